"""Differential script 8 (dt = 0.1): callbacks declared with @every (issue 13).

One network: a counter (v += a per step), a leaky integrator solved exactly (exponential
method) and a small COBA network with given connectivity and initial state. Callbacks:

1. the state a callback sees (step, time, values, what a monitor recorded) and a parameter
   it changes, over two simulate() calls (n starts again in each);
2. the steps of several callbacks with period, offset (negative, beyond the period) and wait,
   relative to the start of simulate(), and their order at the same step;
3. disable/enable, simulate(callbacks=False), step() and simulate_until() (no calls);
4. an input switched by a callback: the leaky trace, value for value;
5. the COBA network's input and weights changed every 20 ms: spike for spike;
6. a callback that raises: where the run stopped, what the monitor holds;
7. a Network(everything=True) with its own callback; the global one is not called there
   (last: in the reference, the global network's monitors record no more after the copy).

Durations are multiples of dt, and periods, offsets and waits divide by dt without a
rounding error: there the reference truncates (simulate(2.05) runs 20 steps with callbacks,
21 without; a period of 0.3 ms is 2 steps), annbook does not.

Run as ``python callbacks.py <module> <results.json>`` in an empty directory.
"""

import numpy as np
import scipy.sparse as sparse

from _refcommon import ann, coba_population, rec, guard, finish

ann.setup(dt=0.1)
rng = np.random.default_rng(11)

counter = ann.Population(1, ann.Neuron(parameters="a = 1.0", equations="v = v + a\nr = v"),
                         stop_condition="v > 1e12")
probed = ann.Monitor(counter, "v")
trace = ann.Monitor(counter, "v")

leaky = ann.Population(2, ann.Neuron(parameters="tau = 10.0\nI = 0.0",
                                     equations="tau * dr/dt + r = I : exponential"))
leaky_trace = ann.Monitor(leaky, "r")

coba = coba_population(200, rng)


def random_matrix(n_pre, weight):
    mask = rng.random((n_pre, 200)) < 0.1
    return sparse.lil_matrix(np.where(mask, weight, 0.0))


exc = ann.Projection(coba[:160], coba, "exc")
exc.connect_from_sparse(random_matrix(160, 1.2))
inh = ann.Projection(coba[160:], coba, "inh")
inh.connect_from_sparse(random_matrix(40, 10.0))
coba_spikes = ann.Monitor(coba, "spike")

ann.compile(compiler_flags="-O0")


# ---- 1. what a callback sees, what it changes
seen = []


@ann.every(period=1.0)
def probe(n):
    seen.append([n, ann.get_current_step(), ann.get_time(), float(counter.v[0]),
                 len(probed.get("v"))])
    counter.a = 10.0 * (n + 1)


ann.simulate(3.0)
rec("state.first", [list(map(float, row)) for row in seen])
seen.clear()
ann.simulate(2.0)
rec("state.second", [list(map(float, row)) for row in seen])
rec("state.trace", trace.get("v")[:, 0])
ann.clear_all_callbacks()

# ---- 2. period, offset, wait
calls = []


def declare(tag, period, offset=0.0, wait=0.0):
    @ann.every(period=period, offset=offset, wait=wait)
    def callback(n):
        calls.append([tag, n, ann.get_current_step()])


ann.simulate(0.7)
declare("a", 0.5, -0.1, 0.5)
declare("b", 0.5, 0.1)
declare("c", 1.0, 2.5)          # an offset beyond the period
declare("d", 0.05)              # shorter than dt: every step
declare("e", 2.0, 0.0, -3.0)    # a negative wait
declare("f", 0.4, -1.0, 0.2)
rec("schedule.start", ann.get_current_step())
ann.simulate(3.0)
rec("schedule.calls", calls)
rec("schedule.end", ann.get_current_step())

# ---- 3. switches
calls.clear()
ann.disable_callbacks()
rec("switch.disabled", ann.callbacks_enabled())
ann.simulate(1.0)
ann.enable_callbacks()
rec("switch.enabled", ann.callbacks_enabled())
ann.simulate(1.0, callbacks=False)
ann.step()
ann.simulate_until(1.0, counter)
rec("switch.steps", ann.get_current_step())
rec("switch.calls", len(calls))
ann.simulate(0.2)
rec("switch.calls_after", calls)
ann.clear_all_callbacks()
ann.simulate(1.0)
rec("switch.cleared", len(calls))

# ---- 4. an input switched by a callback
leaky_trace.get()


@ann.every(period=50.0, offset=20.0)
def switch(n):
    leaky.I = [1.0, 2.0][n]


ann.simulate(100.0)
rec("leaky.r", leaky_trace.get("r"))
ann.clear_all_callbacks()


# ---- 5. COBA input and weights changed every 20 ms
@ann.every(period=20.0, offset=5.0)
def drive(n):
    coba.I = 20.0 + 2.0 * n
    exc.w = 1.2 * (1.0 + 0.1 * n)


ann.simulate(120.0)
ann.clear_all_callbacks()
rec("coba.spikes", {str(k): v for k, v in coba_spikes.get("spike").items()})
rec("coba.v", coba.v)


# ---- 6. a callback that raises
@ann.every(period=0.5)
def failing(n):
    if n == 3:
        raise RuntimeError("stop here")


probed.get()
start = ann.get_current_step()
guard("raise.error", lambda: ann.simulate(10.0))
rec("raise.steps", ann.get_current_step() - start)
rec("raise.recorded", len(probed.get("v")))
ann.clear_all_callbacks()

# ---- 7. a network of its own
net = ann.Network(everything=True)
net.compile(compiler_flags="-O0")
own = []
ann.every(period=1.0)(lambda n: own.append(["global", n]))
ann.every(period=0.5, offset=0.2, net_id=net.id)(
    lambda n: own.append(["own", n, net.get_current_step()]))
net.simulate(2.0)
rec("network.calls", own)
rec("network.enabled", ann.callbacks_enabled(net_id=net.id))
ann.clear_all_callbacks()

finish()

"""Callbacks (@every): when they are called, what they see, what they change, errors, copies."""

import io
import math
import pickle

import numpy as np
import pytest
from tqdm.std import tqdm

import annbook as ann
from annbook import progress
from annbook.core import observers
from annbook.core.network import global_network
from annbook.errors import ArgumentError, InvalidConfiguration, NetworkError

COUNTER = ann.Neuron(parameters="a = 1.0", equations="v = v + a\nr = v")
LEAKY = ann.Neuron(parameters="tau = 10.0\nI = 0.0",
                   equations="tau * dr/dt + r = I : exponential")


def counter(dt=1.0, size=1):
    ann.setup(dt=dt)
    pop = ann.Population(size, COUNTER)
    monitor = ann.Monitor(pop, "v")
    ann.compile()
    return pop, monitor


def reference_steps(start, steps, period, offset=0.0, wait=0.0, dt=1.0):
    """Steps of the calls as the reference's schedule computes them (exact numbers in ms)."""
    period = max(period, dt)
    offset = min(offset, period)
    p = int(round(period / dt))
    return list(range(start + int(round(max(wait, 0.0) / dt)) + int(round(offset / dt)) % p,
                      start + steps, p))


# ---------------------------------------------------------------- when and what they see
def test_called_before_the_due_step_with_time_and_monitors_of_the_steps_done():
    pop, monitor = counter(dt=0.1)
    seen = []

    @ann.every(period=1.0)
    def probe(n):
        seen.append((n, ann.get_current_step(), ann.get_time(), float(pop.v[0]),
                     len(monitor.get("v"))))
        pop.a = 10.0 * (n + 1)

    ann.simulate(3.0)
    # the numbers of the reference (4.8.2): n, step, t, v, steps recorded since the last get
    assert seen == [(0, 0, 0.0, 0.0, 0), (1, 10, 1.0, 100.0, 10), (2, 20, 2.0, 300.0, 10)]
    assert ann.get_current_step() == 30 and pop.v[0] == 600.0
    seen.clear()
    ann.simulate(2.0)                       # n starts again; times count from this call
    assert [(n, step) for n, step, *_ in seen] == [(0, 30), (1, 40)]


def test_a_changed_input_is_used_from_the_next_step_closed_form():
    ann.setup(dt=0.1)
    pop = ann.Population(2, LEAKY)
    monitor = ann.Monitor(pop, "r")
    ann.compile()

    @ann.every(period=50.0, offset=20.0)
    def switch(n):
        pop.I = [1.0, 2.0][n]

    ann.simulate(100.0)
    r = monitor.get("r")[:, 0]
    decay = math.exp(-0.1 / 10.0)           # the exponential method is exact for a constant input
    assert np.all(r[:200] == 0.0)
    assert r[200] == pytest.approx(1.0 - decay, rel=1e-12)     # the first step with I = 1
    assert r[699] == pytest.approx(1.0 - decay ** 500, rel=1e-12)
    expected = 2.0 + (1.0 - decay ** 500 - 2.0) * decay ** 300         # I = 2 from step 700
    assert pop.r[0] == pytest.approx(expected, rel=1e-12)


def test_a_changed_weight_reaches_the_sums_from_the_next_step():
    ann.setup(dt=1.0)
    source = ann.Population(3, ann.Neuron(parameters="r = 1.0"))
    target = ann.Population(1, ann.Neuron(equations="r = sum(exc)"))
    proj = ann.Projection(source, target, "exc")
    proj.connect_all_to_all(weights=1.0, force_multiple_weights=True)
    monitor = ann.Monitor(target, "r")
    ann.compile()

    @ann.every(period=4.0, offset=2.0)
    def grow(n):
        proj.w = 2.0 * (n + 1)

    ann.simulate(10.0)
    assert monitor.get("r")[:, 0].tolist() == [3.0, 3.0, 6.0, 6.0, 6.0, 6.0, 12.0, 12.0, 12.0,
                                               12.0]


def test_a_constant_and_a_started_monitor_change_from_the_callback_step():
    ann.setup(dt=1.0)
    gain = ann.Constant("gain", 1.0)
    pop = ann.Population(1, ann.Neuron(equations="v = v + gain\nr = v"))
    late = ann.Monitor(pop, "v", start=False)
    ann.compile()

    @ann.every(period=3.0)
    def change(n):
        gain.set(10.0 ** n)
        if n == 1:
            late.start()

    ann.simulate(6.0)
    assert pop.v[0] == 1 + 1 + 1 + 10 + 10 + 10
    assert late.get("v")[:, 0].tolist() == [13.0, 23.0, 33.0]


@pytest.mark.parametrize("period, offset, wait", [
    (0.5, 0.0, 0.0), (0.5, -0.1, 0.5), (0.5, 0.1, 0.0), (1.0, 2.5, 0.0), (0.3, 0.1, 1.0),
    (0.05, 0.0, 0.0), (2.0, 0.0, -3.0), (7.0, 0.0, 50.0)])
def test_offset_and_wait_as_the_reference(period, offset, wait):
    counter(dt=0.1)
    ann.simulate(0.7)                        # times are relative to the start of simulate()
    steps = []

    @ann.every(period=period, offset=offset, wait=wait)
    def due(n):
        assert n == len(steps)
        steps.append(ann.get_current_step())

    ann.simulate(3.0)
    assert steps == reference_steps(7, 30, period, offset, wait, dt=0.1)
    assert ann.get_current_step() == 37


def test_callbacks_due_together_run_in_declaration_order():
    counter()
    calls = []
    ann.every(period=2.0)(lambda n: calls.append(("a", n)))
    ann.every(period=3.0)(lambda n: calls.append(("b", n)))
    ann.every(period=1.0, offset=1.0)(lambda n: calls.append(("c", n)))     # offset = period: 0
    ann.simulate(4.0)
    assert calls == [("a", 0), ("b", 0), ("c", 0), ("c", 1), ("a", 1), ("c", 2), ("b", 1),
                     ("c", 3)]


def test_the_decorator_returns_the_function_and_keeps_the_reference_attributes():
    counter()

    def f(n):
        return n * 2

    decorator = ann.every(period=5.0, offset=1.0, wait=2.0)
    assert decorator(f) is f and f(3) == 6
    assert (decorator.period, decorator.offset, decorator.wait, decorator.func) == \
        (5.0, 1.0, 2.0, f)
    assert "every(period=5.0" in repr(decorator) and "'f'" in repr(decorator)
    calls = []
    twice = ann.every(period=2.0)
    twice(lambda n: calls.append(("first", n)))
    twice(lambda n: calls.append(("second", n)))            # a decorator used again
    ann.simulate(3.0)
    assert calls == [("first", 0), ("second", 0), ("first", 1), ("second", 1)]


# ---------------------------------------------------------------- switches
def test_enable_disable_clear_and_simulate_without_callbacks():
    counter()
    calls = []
    ann.every(period=1.0)(calls.append)
    assert ann.callbacks_enabled()
    ann.disable_callbacks()
    assert not ann.callbacks_enabled()
    ann.simulate(3.0)
    assert calls == []
    ann.enable_callbacks()
    ann.simulate(3.0, callbacks=False)
    assert calls == []
    ann.simulate(3.0)
    assert calls == [0, 1, 2]
    ann.clear_all_callbacks()
    ann.simulate(3.0)
    assert calls == [0, 1, 2] and ann.callbacks_enabled()
    assert ann.get_current_step() == 12


def test_step_and_simulate_until_call_no_callback_as_the_reference():
    ann.setup(dt=1.0)
    pop = ann.Population(1, COUNTER, stop_condition="v > 4.5")
    ann.compile()
    calls = []
    ann.every(period=1.0)(calls.append)
    ann.step()
    assert ann.simulate_until(20.0, pop) == 4.0          # v: 1 after the step, 5 after 4 more
    assert calls == []


def test_clear_forgets_the_callbacks_with_the_network():
    counter()
    calls = []
    ann.every(period=1.0)(calls.append)
    ann.clear()
    counter()
    ann.simulate(2.0)
    assert calls == [] and ann.callbacks_enabled()


# ---------------------------------------------------------------- stops and errors in a run
def test_an_exception_stops_the_run_at_its_step_with_a_consistent_state():
    pop, monitor = counter()
    finished = []

    def follower(network, total, progress):
        return lambda done, final: finished.append((done, final)) if final else None
    observers.add_run_observer(follower)

    @ann.every(period=3.0)
    def failing(n):
        if n == 2:
            raise RuntimeError("callback failed")

    try:
        with pytest.raises(RuntimeError, match="callback failed") as caught:
            ann.simulate(20.0)
    finally:
        observers.remove_run_observer(follower)
    note = "\n".join(getattr(caught.value, "__notes__", []))
    assert "'failing'" in note and "n = 2" in note and "t = 6 ms" in note
    assert ann.get_time() == 6.0 and pop.v[0] == 6.0
    assert monitor.get("v")[:, 0].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert finished == [(6, True)]                  # observers were told the run ended
    ann.simulate(4.0)                               # the network runs on; n counts again
    assert ann.get_time() == 10.0


def test_stop_from_a_callback_ends_simulate_at_that_step():
    pop, monitor = counter()

    @ann.every(period=1.0)
    def watch(n):
        if pop.v[0] >= 4.0:
            global_network().stop()

    ann.simulate(100.0)
    assert ann.get_time() == 4.0 and len(monitor.get("v")) == 4
    ann.simulate(2.0)                               # the watch stops it again before a step
    assert ann.get_time() == 4.0
    ann.clear_all_callbacks()
    ann.simulate(2.0)                               # the flag did not outlive the run
    assert ann.get_time() == 6.0


@pytest.mark.parametrize("arguments, function, message", [
    ((0.0,), lambda n: None, r"every\(period=0.0\) on '<lambda>': the period must be a positive"),
    ((-5.0,), lambda n: None, "must be a positive number of milliseconds, got -5"),
    (("often",), lambda n: None, "the period must be a number, got 'often'"),
    ((10.0, "late"), lambda n: None, "the offset must be a number"),
    ((10.0,), lambda: None, r"'<lambda>': the function takes \(\); a callback takes one argument"),
    ((10.0,), lambda n, m: None, r"takes \(n, m\)"),
    ((10.0,), 42, "decorates a function taking n"),
])
def test_bad_declarations_are_refused_naming_the_function(arguments, function, message):
    counter()
    with pytest.raises(ArgumentError, match=message):
        ann.every(*arguments)(function)
    ann.simulate(2.0)                               # nothing half-registered


def test_callables_taking_one_argument_are_accepted():
    counter()
    calls = []

    class Recorder:
        def __call__(self, n, scale=1):
            calls.append(n * scale)

    ann.every(period=1.0)(Recorder())
    ann.every(period=2.0)(lambda *args: calls.append(args))
    ann.simulate(2.0)
    assert calls == [0, (0,), 1]


def test_a_bad_net_id_is_refused():
    counter()

    def f(n):
        pass
    with pytest.raises(NetworkError, match=r"every\(period=1.0\) on 'f': no network with id 5"):
        ann.every(period=1.0, net_id=5)(f)
    with pytest.raises(ArgumentError, match="on 'f': net_id must be an integer"):
        ann.every(period=1.0, net_id="main")(f)
    for switch in (ann.callbacks_enabled, ann.enable_callbacks, ann.disable_callbacks,
                   ann.clear_all_callbacks):
        with pytest.raises(NetworkError, match=f"{switch.__name__}\\(\\): no network with id 3"):
            switch(net_id=3)


# ---------------------------------------------------------------- several networks, copies
def test_callbacks_belong_to_one_network_and_copies_start_without_any():
    pop, monitor = counter()
    net = ann.Network(everything=True)
    net.compile()
    calls = {0: [], net.id: []}
    ann.every(period=2.0)(lambda n: calls[0].append(n))
    ann.every(period=1.0, net_id=net.id)(lambda n: calls[net.id].append(net.get_current_step()))
    net.simulate(3.0)
    assert calls == {0: [], net.id: [0, 1, 2]}
    ann.simulate(4.0)
    assert calls[0] == [0, 1]
    ann.disable_callbacks(net_id=net.id)
    assert ann.callbacks_enabled() and not ann.callbacks_enabled(net_id=net.id)
    copy = ann.Network(everything=True)
    copy.compile()
    copy.simulate(3.0)
    assert calls == {0: [0, 1], net.id: [0, 1, 2]}


def test_a_network_with_callbacks_pickles_and_comes_back_without_them():
    pop, monitor = counter()
    ann.every(period=1.0)(lambda n: None)            # a lambda: pickle alone cannot send it
    global_net = global_network()
    ann.simulate(2.0)
    copy = pickle.loads(pickle.dumps(global_net))
    assert copy._callbacks.entries == [] and len(global_net._callbacks.entries) == 1
    copy.simulate(3.0)
    assert copy.get(pop).v[0] == 5.0


def test_given_networks_take_their_callbacks_to_the_workers():
    pop, monitor = counter()
    networks = [ann.Network(everything=True) for _ in range(2)]
    for index, net in enumerate(networks):
        net.compile()
        net.get(pop).a = index + 1.0

    for net in networks:
        @ann.every(period=2.0, net_id=net.id)
        def double(n, net=net):                      # the network of the worker, not this one
            net.get(pop).a = 2.0 * net.get(pop).a

    def simulation(idx, net):
        net.simulate(5.0)
        return float(net.get(pop).v[0])

    # a = 2x, 2x, 4x, 4x, 8x: v = 20x
    assert ann.parallel_run(simulation, networks=networks, max_processes=2) == [20.0, 40.0]
    assert [net.get_time() for net in networks] == [0.0, 0.0]
    assert ann.parallel_run(simulation, networks=networks, sequential=True) == [20.0, 40.0]


def test_copies_of_parallel_run_start_without_callbacks_and_may_declare_their_own():
    pop, monitor = counter()
    ann.every(period=1.0)(lambda n: setattr(pop, "a", 100.0))

    def simulation(idx, net):
        @ann.every(period=2.0, offset=1.0, net_id=net.id)
        def faster(n):
            net.get(pop).a = idx + 2.0
        net.simulate(4.0)
        return float(net.get(pop).v[0])

    # the global callback is not copied: a = 1, then idx + 2 from step 1
    assert ann.parallel_run(simulation, number=2, max_processes=2) == [7.0, 10.0]


def test_callbacks_that_cannot_travel_are_named():
    pop, monitor = counter()
    net = ann.Network(everything=True)
    net.compile()
    lock = __import__("threading").Lock()

    @ann.every(period=1.0, net_id=net.id)
    def locked(n):
        with lock:
            pass

    other = ann.Network(everything=True)
    other.compile()
    with pytest.raises(InvalidConfiguration, match=f"the callbacks 'locked' of network {net.id}"):
        ann.parallel_run(lambda idx, net: idx, networks=[net, other], max_processes=2)


# ---------------------------------------------------------------- the run loop around them
def test_progress_bar_and_run_observers_follow_one_run_across_callbacks(monkeypatch):
    bars = []
    monkeypatch.setattr(progress, "new_bar",
                        lambda **options: bars.append(tqdm(file=io.StringIO(), **options))
                        or bars[-1])
    pop, monitor = counter(dt=0.1)
    updates = []

    def follower(network, total, progress):
        updates.append(("start", total))
        return lambda done, final: updates.append((done, final))
    observers.add_run_observer(follower)
    calls = []
    ann.every(period=0.7)(lambda n: calls.append((n, ann.get_current_step())))
    try:
        ann.simulate(5.0, progress_bar=True)
    finally:
        observers.remove_run_observer(follower)
    assert calls == [(n, 7 * n) for n in range(8)]
    assert len(bars) == 1 and bars[0].n == pytest.approx(0.005)      # one bar for the run
    assert updates[0] == ("start", 50) and updates[-1] == (50, True)
    done = [step for step, final in updates[1:]]
    assert done == sorted(done) and set(range(7, 50, 7)) <= set(done)  # chunks end at callbacks
    assert len(monitor.get("v")) == 50


def test_results_are_the_same_with_a_callback_that_changes_nothing():
    """Spiking network with delays and structural plasticity: the chunks a callback makes
    (some inside the steps the conditions stop) change no spike and no synapse."""
    def run(with_callback):
        ann.clear()
        ann.setup(dt=0.5, seed=3, structural_plasticity=True)
        inp = ann.PoissonPopulation(30, rates=80.0)
        pop = ann.Population(20, ann.Izhikevich)
        synapse = ann.Synapse(parameters="w_min = 0.0", equations="",
                              pre_spike="g_target += w", pruning="post.v > -60.0 : proba=0.02",
                              creating="post.v < -64.0 : proba=0.01, w=6.0")
        proj = ann.Projection(inp, pop, "exc", synapse)
        proj.connect_fixed_probability(0.3, weights=6.0, delays=ann.Uniform(0.5, 3.0))
        spikes = ann.Monitor(pop, "spike")
        ann.compile()
        proj.start_pruning(period=2.0)
        proj.start_creating(period=3.0)
        if with_callback:
            ann.every(period=1.5, offset=0.5)(lambda n: None)
            ann.every(period=0.5)(lambda n: None)
        ann.simulate(200.0)
        return spikes.get("spike"), proj.nb_synapses

    spikes, synapses = run(False)
    assert sum(len(times) for times in spikes.values()) > 20 and synapses != 186
    assert run(True) == (spikes, synapses)

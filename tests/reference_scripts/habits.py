"""Differential script 5 (dt = 1.0): habits of scripts written for ANNarchy 4.8.2.

Run as ``python habits.py <module> <results.json>`` in an empty directory.  What published
models and the reference's examples write and what must run unchanged: a target named like a
keyword (``sum(in)``), comments on their own lines, equations continued on a line starting
with ``+``, flags on ``pre_spike``/``post_spike`` statements, ``pre.sum()``/``post.sum()``,
``dendrite[i]``, shapes of assigned arrays, ``spike_times = ...``, ``CSR``, the lists of
standard models, ``NetworkManager()``, parameter values written as arithmetic, quoted
``extra_values``, bounds named by parameters (changed after compile), the star import, and
the errors of the wrong forms (both must raise; the messages are annbook's own and are
checked by tests/test_habits.py).  One network, one compile (the reference's build is slow).
"""

import importlib
import sys

import numpy as np

from _refcommon import ann, rec, guard, run_blocks

ann.setup(dt=1.0)
SCHEDULE = [3, 3, 6]          # 12 steps, pauses after steps 3 and 6
try:                          # where each implementation keeps its base exception
    BASE = ann.ANNarchyException
except AttributeError:
    BASE = importlib.import_module(sys.argv[1] + ".intern.Messages").ANNarchyException


def raises(kind, fn):
    """Whether the statement raises an exception of the given class."""
    try:
        fn()
    except kind:
        return True
    except Exception:
        return False
    return False


def refused(key, neuron):
    """A wrong form, alone in its network: both implementations must raise (the error is
    recorded under ``key``; a run that does not raise lacks the key)."""
    guard(key, lambda: (ann.Population(2, neuron(), name="wrong"),
                        ann.compile(compiler_flags="-O0")))
    ann.clear()


INPUT = ann.Neuron(parameters="r = 1.0")

# ---- wrong forms, refused before any code is built --------------------------------------------
refused("wrong.zero_division", lambda: ann.Neuron(parameters="tau = 10.0\nI = 1.0",
                                                  equations="tau * dr/dt + r = I / (r - r)"))
refused("wrong.missing_extra", lambda: ann.Neuron(parameters="A = 'A_Xr' : population",
                                                  equations="r = A"))
refused("wrong.not_a_number", lambda: ann.Neuron(parameters="x = 2 * foo", equations="r = x"))


# ---- sum(in): a target named like a Python keyword -------------------------------------------
def sum_keyword_block():
    inp = ann.Population(3, INPUT, name="kw_in")
    out = ann.Population(3, ann.Neuron(equations="r = sum(in) + 0.5*sum(exc)"), name="kw_out")
    ann.Projection(inp, out, "in").connect_one_to_one(weights=2.0)
    ann.Projection(inp, out, "exc").connect_one_to_one(weights=1.0)
    yield
    for _ in SCHEDULE:
        yield
    rec("sum_keyword.r", lambda: out.r)
    rec("sum_keyword.sum_in", lambda: out.sum("in"))


# ---- comments on their own lines, a reset of comments only, continued equations --------------
def comments_block():
    neuron = ann.Neuron(parameters="""
        # a comment
        tau = 10.0  # ms
        vt = 1.0
    """, equations="""
        # the membrane
        tau * dv/dt = -v + 2.0
        # a comment between two equations
        x = v + 1
    """, spike="""
        # spike when
        v > vt
    """, reset="""
        # reset it
        v = 0.0
    """)
    silent = ann.Neuron(parameters="vt = 1.0", equations="dv/dt = 0.5", spike="v > vt", reset="""
        # nothing to reset
    """)
    continued = ann.Neuron(parameters="tau = 10.0\nbaseline = 1.0\nnoise = 0.5", equations="""
        tau * dmp/dt + mp = 2.0
            + baseline + noise : implicit
        r = mp
            - 1.0
    """)
    a = ann.Population(2, neuron, name="comments")
    b = ann.Population(1, silent, name="comment_reset")
    c = ann.Population(2, continued, name="continued")
    ma, mb = ann.Monitor(a, "spike"), ann.Monitor(b, "spike")
    yield
    for _ in SCHEDULE:
        yield
    rec("comments.spikes", lambda: ma.get("spike"))
    rec("comments.v", lambda: a.v)
    rec("comments.x", lambda: a.x)
    rec("comments.reset_spikes", lambda: mb.get("spike"))
    rec("comments.reset_v", lambda: b.v)
    rec("continued.mp", lambda: c.mp)
    rec("continued.r", lambda: c.r)


# ---- flags and declarations on the statements of synaptic events -----------------------------
def event_flags_block():
    src = ann.SpikeSourceArray(spike_times=[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0]], name="ev_src")
    post = ann.Population(1, ann.Neuron(
        parameters="gm = 2.0",
        equations="dv/dt = 0.4 : init=0.0\ng_exc = g_exc\ng_inh = g_inh\ng_bnd = g_bnd",
        spike="v > 1.0", reset="v = 0.0"), name="ev_post")
    clipped = ann.Synapse(pre_spike="""
        g_target += w : max=2.5
        w -= 1.0 : min=0.0
        x = x + 1 : init=0.5, max=2.7
        k += 1 : int, init=3
    """, post_spike="""
        w += 0.25 : max=3.75
        y = 2 : init=-1
    """)
    growing = ann.Synapse(pre_spike="g_target += w\nw += 1.0 : max=3.0")
    p = ann.Projection(src, post, "exc", clipped, name="ev_clipped")
    p.connect_all_to_all(weights=4.0)
    q = ann.Projection(src, post, "inh", growing, name="ev_growing")
    q.connect_all_to_all(weights=1.0)
    # bounds named by parameters (changed after compile) and by a Constant (set before: the
    # reference ignores Constant.set() after compile, annbook applies it, see test_habits.py)
    cmax = ann.Constant("ev_cmax", 4.0)
    cmax.set(4.5)
    named = ann.Synapse(parameters="gmax = 2.5 : projection\nwmin = 1.0 : postsynaptic",
                        pre_spike="g_target += w : max=gmax + ev_cmax - 4.0\nw -= 1.0 : min=wmin")
    b = ann.Projection(src, post, "bnd", named, name="ev_named")
    b.connect_all_to_all(weights=5.0)
    m = ann.Monitor(post, ["g_exc", "g_inh", "g_bnd"])
    yield
    rec("events.initial", lambda: [np.asarray(p.x, float), np.asarray(p.k), np.asarray(p.y, float)])
    yield
    b.gmax = 3.5
    b.wmin = 2.0
    for _ in SCHEDULE[1:]:
        yield
    rec("events.w", lambda: [np.asarray(p.w, float), np.asarray(q.w, float),
                             np.asarray(b.w, float)])
    rec("events.declared", lambda: [np.asarray(p.x, float), np.asarray(p.k),
                                    np.asarray(p.y, float)])
    for var in ("g_exc", "g_inh", "g_bnd"):
        rec("events.%s" % var, lambda: m.get(var)[:, 0])


# ---- pre.sum(exc) and post.sum(exc) in synaptic equations ------------------------------------
def side_sums_block():
    inp = ann.Population(2, INPUT, name="ss_in")
    mid = ann.Population(2, ann.Neuron(equations="r = sum(exc) + 1.0"), name="ss_mid")
    out = ann.Population(2, ann.Neuron(equations="r = sum(exc)"), name="ss_out")
    ann.Projection(inp, mid, "exc").connect_all_to_all(weights=0.5)
    synapse = ann.Synapse(equations="""
        x = pre.sum(exc) + 10 * post.sum(exc)
        dw/dt = 0.1 * post.sum(exc) : min=0.0
    """)
    b = ann.Projection(mid, out, "exc", synapse, name="ss_proj")
    b.connect_all_to_all(weights=1.0)
    yield
    for i, _ in enumerate(SCHEDULE):
        yield
        rec("side_sums.x.%d" % i, lambda: np.asarray(b.x, float))
        rec("side_sums.w.%d" % i, lambda: np.asarray(b.w, float))
        rec("side_sums.r.%d" % i, lambda: out.r)


# ---- dendrite[i], a dendrite's w[i]; shapes of assigned arrays; spike_times = ... ------------
def access_block():
    inp = ann.Population(4, INPUT, name="ac_in")
    out = ann.Population(2, ann.Neuron(equations="r = sum(exc)"), name="ac_out")
    proj = ann.Projection(inp, out, "exc", name="ac_proj")
    proj.connect_from_matrix(np.arange(8.0).reshape(2, 4) / 10.0)
    grid = ann.Population((17, 17), ann.Neuron(parameters="r = 0.0\nb = 1.0"), name="grid")
    src = ann.SpikeSourceArray(spike_times=[[1.0], [2.0]], name="ac_src")
    m = ann.Monitor(src, "spike")
    yield
    d = proj.dendrite(1)
    rec("dendrite.synapse", lambda: [d[2].w, d[2].rank, d.w[2], proj[1][3].w])
    guard("dendrite.set", lambda: setattr(d[0], "w", 5.0))
    rec("dendrite.after_set", lambda: np.asarray(proj.dendrite(1).w, float))
    rec("dendrite.missing", lambda: d[7])
    rec("errors.missing_synapse", lambda: raises(BASE, lambda: d[7]))
    rec("errors.missing_dendrite", lambda: raises(BASE, lambda: proj.dendrite(9)))
    rec("errors.unknown_monitored", lambda: raises(BASE, lambda: ann.Monitor(grid, "nothing")))
    grid.r = np.arange(289.0).reshape(1, 289)
    grid.b = np.arange(289.0).reshape(289, 1)
    rec("shape.row", lambda: grid.r)
    rec("shape.column", lambda: grid.b)
    grid.r = [[1.0] * 289]
    rec("shape.list_of_lists", lambda: grid.r)
    rec("shape.wrong_size", lambda: setattr(grid, "r", np.arange(288.0)))
    yield
    src.spike_times = [[5.0, 6.0], [7.0]]
    rec("spike_times.read", lambda: src.spike_times)
    for _ in SCHEDULE[1:]:
        yield
    rec("spike_times.spikes", lambda: m.get("spike"))


# ---- names of the API: CSR, the standard models, NetworkManager ------------------------------
def names_block():
    inp = ann.Population(3, INPUT, name="nm_in")
    out = ann.Population(3, ann.Neuron(equations="r = sum(exc)"), name="nm_out")

    def reversed_pairs(pre, post, weight):
        synapses = ann.CSR()
        for rank in range(post.size):
            synapses.add(rank, [post.size - 1 - rank], [weight * (rank + 1)], [0])
        return synapses

    proj = ann.Projection(inp, out, "exc", name="nm_proj")
    proj.connect_with_func(reversed_pairs, weight=0.5)
    rec("names.csr_is_lil", lambda: ann.CSR is ann.LILConnectivity)
    rec("names.neurons", lambda: [c.__name__ for c in ann.list_standard_neurons()])
    rec("names.synapses", lambda: [c.__name__ for c in ann.models.list_standard_synapses()])
    rec("names.neurons_in_models", lambda: [c.__name__ for c in ann.models.list_standard_neurons()])
    manager = ann.NetworkManager()
    rec("names.manager", lambda: [len(manager), manager.number_projections(0),
                                  manager.is_compiled(0)])
    yield
    rec("names.manager_compiled", lambda: [manager.is_compiled(0),
                                           "nm_out" in manager.get_population_names(0),
                                           manager.get_population(0, "nm_in").size])
    for _ in SCHEDULE:
        yield
    rec("names.csr_weights", lambda: np.asarray(proj.w, float))
    rec("names.csr_r", lambda: out.r)


# ---- parameter values: arithmetic on numbers, quoted names from extra_values -----------------
def values_block():
    arithmetic = ann.Neuron(parameters="""
        tau_plus = 0.00014*0.75
        a = 1/20.0
        b = -65.0 + 5 : population
        c = 2 * 3 : int
        d = 10 / 4 : int
        e = 2**3
        f = (1 + 2) * 3
        g = 1e-3 * 2
    """, equations="r = tau_plus + a")
    extra = ann.Neuron(parameters="A = 'A_Xr' : population\n tau = 'tau_Xr' : population",
                       equations="r = A / tau", extra_values={"A_Xr": 2.5, "tau_Xr": 10.0})
    p = ann.Population(2, arithmetic, name="arith")
    q = ann.Population(2, extra, name="extra")
    eta = ann.Synapse(parameters="eta = 'eta_v' : projection", equations="dw/dt = eta",
                      extra_values={"eta_v": 0.5})
    proj = ann.Projection(q, q, "exc", eta, name="extra_proj")
    proj.connect_all_to_all(1.0)
    yield
    rec("values.arithmetic", lambda: [p.tau_plus, p.a, p.b, p.c, p.d, p.e, p.f, p.g])
    for _ in SCHEDULE:
        yield
    rec("values.extra", lambda: [q.A, q.tau, q.r, proj.eta, np.asarray(proj.w, float)])


# ---- bounds named by parameters (changed after compile) and constants in equations -----------
def bounds_block():
    ann.Constant("bd_cmax", 4.0).set(3.5)
    p = ann.Population(3, ann.Neuron(
        parameters="rmax = 3.0\nrmax_g = 2.0 : population\nrmin = -1.0\ntau = 1.0",
        equations="""
            r = r + 1 : max=rmax
            y = y + 1 : max=rmax_g
            z = z - 1 : min=rmin
            u = u + 1 : max=bd_cmax
            tau * dv/dt = 10 : max=rmax, init=0.5
        """), name="bounded")
    yield
    for i, _ in enumerate(SCHEDULE):
        yield
        rec("bounds.%d" % i, lambda: [p.r, p.y, p.z, p.u, p.v])
        if i == 0:
            p.rmax = [1.0, 5.0, 10.0]
            p.rmax_g = 7.0
            p.rmin = -3.0


# ---- the star import, errors of simulate() ---------------------------------------------------
def star_and_simulate_block():
    namespace = {}
    exec("from %s import *" % sys.argv[1], namespace)
    rec("star.modules", lambda: [namespace.get(name) is module for name, module in
                                 (("np", np), ("sys", sys), ("os", importlib.import_module("os")),
                                  ("time", importlib.import_module("time")))])
    rec("star.api", lambda: [name in namespace for name in
                             ("Population", "Projection", "Neuron", "compile", "simulate", "CSR",
                              "list_standard_neurons", "NetworkManager")])
    yield
    for _ in SCHEDULE:
        yield
    # last block: the other blocks have recorded, time may move on
    rec("simulate.nan", lambda: ann.simulate(float("nan")))
    rec("errors.simulate_nan_is_value_error", lambda: raises(
        ValueError, lambda: ann.simulate(float("nan"))))
    rec("simulate.none", lambda: ann.simulate(None))
    guard("simulate.string", lambda: ann.simulate("10"))
    rec("simulate.time_after_string", lambda: ann.get_time())


run_blocks({"sum_keyword": sum_keyword_block, "comments": comments_block,
            "event_flags": event_flags_block, "side_sums": side_sums_block,
            "access": access_block, "names": names_block, "values": values_block,
            "bounds": bounds_block, "star_and_simulate": star_and_simulate_block},
           SCHEDULE, compile_kwargs={"compiler_flags": "-O0"})

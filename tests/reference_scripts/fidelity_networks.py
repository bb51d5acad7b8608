"""The small networks of the fidelity checks (issue 12), built with either implementation.

Each builder takes the module (``ANNarchy`` or ``annbook``) and returns a namespace of the
objects to read. ``fidelity.py`` builds them all in one network and records what users
read, with both implementations; ``tests/test_fidelity.py`` builds them one by one with
annbook and checks the numbers that the reference gave for them. dt is 0.1 ms.
"""

from types import SimpleNamespace

import numpy as np

ROWS = np.arange(1, 7, dtype=float)[:, None] * np.array([1.0, 10.0])    # 6 inputs, 2 neurons


def conductances(ann):
    """A conductance zeroed by an equation, a declared decay, an undeclared conductance read
    by the spike condition."""
    n = SimpleNamespace()
    n.zeroed = ann.Population(1, ann.Neuron(equations="g_exc = 0", spike="g_exc > 30"))
    ann.Projection(ann.SpikeSourceArray([[1.0]] * 5), n.zeroed, "exc").connect_all_to_all(1.0)
    n.m_zeroed = ann.Monitor(n.zeroed, "g_exc")
    n.decaying = ann.Population(1, ann.Neuron(parameters="tau_e = 5.0",
                                              equations="tau_e * dg_exc/dt = -g_exc\ndv/dt = -v",
                                              spike="v > 1e9"))
    ann.Projection(ann.SpikeSourceArray([[10.0, 30.0]]), n.decaying, "exc") \
        .connect_all_to_all(1.5)
    n.m_decaying = ann.Monitor(n.decaying, "g_exc")
    n.reader = ann.Population(2, ann.Neuron(equations="dv/dt = g_exc - v", spike="g_exc > 0.5",
                                            reset="v = 0.0"))
    ann.Projection(ann.SpikeSourceArray([[0.5, 1.0, 1.5], [2.0]]), n.reader, "exc") \
        .connect_one_to_one(0.8)
    n.m_reader = ann.Monitor(n.reader, ["g_exc", "v", "spike"])
    return n


def if_cond_alpha(ann):
    """The built-in IF_cond_alpha fed by excitatory and inhibitory spike trains."""
    n = SimpleNamespace()
    n.pop = ann.Population(2, ann.IF_cond_alpha)
    n.pop.set({"i_offset": 0.1, "tau_refrac": 3.0, "v_thresh": -51.0, "tau_syn_E": 2.0,
               "tau_syn_I": 5.0, "v_reset": -70.0})
    ann.Projection(ann.SpikeSourceArray([[float(i) for i in range(5, 45, 4)]] * 2), n.pop,
                   "exc").connect_one_to_one(0.3)
    ann.Projection(ann.SpikeSourceArray([[12.0, 20.0, 33.0]] * 2), n.pop, "inh") \
        .connect_one_to_one(0.2)
    n.monitor = ann.Monitor(n.pop, ["g_exc", "alpha_exc", "gmax_exc", "v", "spike"])
    return n


def izhikevich(ann):
    """The pulse-coupled Izhikevich network (undeclared g_exc, g_inh), 32 + 8 neurons driven
    by given spikes; the last volley arrives in the last step of a 50 ms run."""
    rng = np.random.default_rng(1)
    neuron = ann.Neuron(
        parameters="a = 0.02\nb = 0.2\nc = -65.0\nd = 8.0\nnoise = 0.0",
        equations="""
            I = g_exc - g_inh + noise * Normal(0.0, 1.0)
            v_half = v + 0.5 * (0.04 * v^2 + 5.0 * v + 140.0 - u + I)
            v = v_half + 0.5 * (0.04 * v_half^2 + 5.0 * v_half + 140.0 - u + I) : init = -65.0
            u = u + a * (b * v - u)
        """,
        spike="v >= 30.0", reset="v = c\nu += d")
    n = SimpleNamespace()
    n.pop = ann.Population(40, neuron)
    n.pop.u = n.pop.b * -65.0
    n.pop[32:].a = 0.1
    n.pop[32:].d = 2.0
    ann.Projection(n.pop[:32], n.pop, "exc").connect_from_matrix(rng.uniform(0.0, 0.5, (40, 32)))
    ann.Projection(n.pop[32:], n.pop, "inh").connect_from_matrix(rng.uniform(0.0, 1.0, (40, 8)))
    times = [sorted(set(np.round(rng.uniform(0.0, 40.0, 12), 1).tolist())) + [49.8]
             for _ in range(40)]
    ann.Projection(ann.SpikeSourceArray(times), n.pop, "exc").connect_one_to_one(15.0)
    n.monitor = ann.Monitor(n.pop[:4], ["g_exc", "I", "v"])
    n.spikes = ann.Monitor(n.pop, "spike")
    return n


def single_weights(ann):
    """Weights given as one number: rate-coded, forced per synapse, plastic, a random pattern,
    spiking."""
    n = SimpleNamespace()
    inputs = ann.Population(3, ann.Neuron(parameters="r = 0.0"))
    inputs.r = [1.0, 2.0, 4.0]
    n.summed = ann.Population(2, ann.Neuron(equations="r = sum(exc) + sum(inh) + sum(hebb)"))
    n.single = ann.Projection(inputs, n.summed, "exc")
    n.single.connect_all_to_all(weights=0.6)
    n.forced = ann.Projection(inputs, n.summed, "inh")
    n.forced.connect_all_to_all(weights=0.5, force_multiple_weights=True)
    n.hebbian = ann.Projection(inputs, n.summed, "hebb", ann.Hebb(eta=0.0))
    n.hebbian.connect_all_to_all(weights=0.25)
    n.few = ann.Projection(inputs, ann.Population(2, ann.Neuron(equations="r = sum(exc)")), "exc")
    n.few.connect_fixed_number_pre(2, weights=0.1)
    n.spiking = ann.Projection(ann.SpikeSourceArray([[1.0, 2.0], [1.5]]),
                               ann.Population(2, ann.Neuron(equations="v = v + g_exc",
                                                            spike="v > 1e9")), "exc")
    n.spiking.connect_all_to_all(weights=0.75)
    n.m_spiking = ann.Monitor(n.spiking.post, "v")
    return n


def _blocks_of_80(pre, post, weight, lil):
    synapses = lil()
    for rank in range(post.size):
        ranks = list(range(rank * 80, (rank + 1) * 80))
        synapses.add(rank, ranks, [weight] * len(ranks), [0] * len(ranks))
    return synapses


def hybrid(ann):
    """A PoissonPopulation whose rates are the sum of a rate-coded projection (100 Hz),
    decoded by a DecodingProjection connected with connect_with_func."""
    n = SimpleNamespace()
    driver = ann.Population(1, ann.Neuron(parameters="baseline = 100.0", equations="r = baseline"))
    n.poisson = ann.PoissonPopulation(400, target="exc")
    ann.Projection(driver, n.poisson, "exc").connect_all_to_all(1.0)
    n.decoded = ann.Population(5, ann.Neuron(equations="r = sum(exc)"))
    ann.DecodingProjection(n.poisson, n.decoded, "exc", window=10.0).connect_with_func(
        _blocks_of_80, weight=1.0, lil=ann.LILConnectivity)
    n.m_poisson = ann.Monitor(n.poisson, ["rates", "spike"])
    n.m_decoded = ann.Monitor(n.decoded, "r")
    return n


def homeostatic(ann):
    """Izhikevich neurons with four conductances, an inhibitory population fed by a projection
    with two targets, homeostatic STDP reading post.r (given input spikes)."""
    rng = np.random.default_rng(4)
    neuron = ann.Neuron(
        parameters="""
            a = 0.02 : population
            b = 0.2 : population
            c = -65. : population
            d = 8. : population
            tau_ampa = 5. : population
            tau_nmda = 150. : population
            tau_gabaa = 6. : population
            tau_gabab = 150. : population
            vrev_ampa = 0.0 : population
            vrev_nmda = 0.0 : population
            vrev_gabaa = -70.0 : population
            vrev_gabab = -90.0 : population
        """,
        equations="""
            I = g_ampa * (vrev_ampa - v) + g_nmda * nmda(v, -80.0, 60.0) * (vrev_nmda -v) + g_gabaa * (vrev_gabaa - v) + g_gabab * (vrev_gabab -v)
            dv/dt = (0.04 * v + 5.0) * v + 140.0 - u + I : init=-65., min=-90., midpoint
            du/dt = a * (b*v - u) : init=-13., midpoint
            tau_ampa * dg_ampa/dt = -g_ampa : exponential
            tau_nmda * dg_nmda/dt = -g_nmda : exponential
            tau_gabaa * dg_gabaa/dt = -g_gabaa : exponential
            tau_gabab * dg_gabab/dt = -g_gabab : exponential
        """,
        spike="v >= 30.",
        reset="v = c\nu += d\ng_ampa = 0.0\ng_nmda = 0.0\ng_gabaa = 0.0\ng_gabab = 0.0",
        functions="nmda(v, t, s) = ((v-t)/(s))^2 / (1.0 + ((v-t)/(s))^2)",
        refractory=1.0)
    synapse = ann.Synapse(
        parameters="""
            tau_plus = 60. : projection
            tau_minus = 90. : projection
            A_plus = 0.000045 : projection
            A_minus = 0.00003 : projection
            alpha = 0.1 : projection
            beta = 50.0 : projection
            gamma = 50.0 : projection
            Rtarget = 10. : projection
            T = 10000. : projection
        """,
        equations="""
            R = post.r : postsynaptic
            K = R/(T*(1.+fabs(1. - R/Rtarget) * gamma)) : postsynaptic
            stdp = if t_post >= t_pre: ltp else: - ltd
            w += (alpha * w * (1- R/Rtarget) + beta * stdp ) * K : min=0.0, max=10.0
            tau_plus * dltp/dt = -ltp : exponential
            tau_minus * dltd/dt = -ltd : exponential
        """,
        pre_spike="g_target += w\nltp = A_plus",
        post_spike="ltd = A_minus")
    n = SimpleNamespace()
    times = [sorted(set(np.round(rng.uniform(0, 60.0, 20), 1).tolist())) for _ in range(16)]
    buffer = ann.Population(16, neuron)
    ann.Projection(ann.SpikeSourceArray(times), buffer, ["ampa", "nmda"]).connect_one_to_one(0.5)
    n.excitatory, n.inhibitory = ann.Population(4, neuron), ann.Population(4, neuron)
    n.excitatory.compute_firing_rate(20.0)
    n.inhibitory.compute_firing_rate(20.0)
    ann.Projection(buffer, n.excitatory, ["ampa", "nmda"], synapse).connect_from_matrix(
        rng.uniform(0.12, 0.45, (4, 16)))
    n.competition = ann.Projection(n.excitatory, n.inhibitory, ["ampa", "nmda"], synapse)
    n.competition.connect_from_matrix(rng.uniform(0.116, 0.403, (4, 4)))
    n.competition.Rtarget = 75.0
    ann.Projection(n.inhibitory, n.excitatory, ["gabaa", "gabab"]).connect_from_matrix(
        rng.uniform(0.065, 0.259, (4, 4)))
    n.monitor = ann.Monitor(n.inhibitory, ["g_ampa", "g_nmda", "spike"])
    return n


def gap_junctions(ann):
    """Ten neurons coupled all to all by a continuous psp (undeclared g_gap)."""
    n = SimpleNamespace()
    n.pop = ann.Population(10, ann.Neuron(
        parameters="v0 = 1.05 : population\ntau = 10.0 : population",
        equations="tau * dv/dt = v0 - v + g_gap", spike="v > 1.0", reset="v = 0.0",
        refractory=2.0))
    n.pop.v = np.linspace(0.0, 1.0, 10)
    ann.Projection(n.pop, n.pop, "gap", ann.Synapse(psp="w * (pre.v - post.v)")) \
        .connect_all_to_all(0.02)
    n.monitor = ann.Monitor(n.pop, ["g_gap", "v"])
    return n


def timed_arrays(ann):
    """TimedArrays with a schedule and period, without inputs until after compile, updated
    while they run, reset, with truncated steps; a TimedPoissonPopulation."""
    n = SimpleNamespace()
    n.arrays = {
        "periodic": ann.TimedArray(rates=ROWS, schedule=0.2, period=1.0),
        "late_update": ann.TimedArray(geometry=2),
        "late_attributes": ann.TimedArray(geometry=2),
        "late_schedule_first": ann.TimedArray(geometry=2),
        "updated": ann.TimedArray(rates=ROWS),
        "listed": ann.TimedArray(rates=ROWS, schedule=[0.1, 0.3, 0.4]),
        "truncated": ann.TimedArray(rates=np.arange(1, 11, dtype=float)[:, None],
                                    schedule=0.3, period=0.7),
    }
    n.monitors = {name: ann.Monitor(pop, "r") for name, pop in n.arrays.items()}
    n.reader = ann.Population(2, ann.Neuron(equations="r = sum(exc)"))
    ann.Projection(n.arrays["updated"], n.reader, "exc").connect_one_to_one(1.0)
    n.m_reader = ann.Monitor(n.reader, "r")
    n.poisson = ann.TimedPoissonPopulation(1, rates=[0.0, 1e7, 0.0], schedule=[0.3, 3.0, 3.3],
                                           period=5.0)
    n.m_poisson = ann.Monitor(n.poisson, "spike")
    return n


def timed_late_inputs(n):
    """After 0.3 ms: inputs for the arrays created without them (update(), attributes)."""
    n.arrays["late_update"].update(ROWS, schedule=0.2)
    n.arrays["late_attributes"].rates = ROWS
    n.arrays["late_attributes"].schedule = [0.1, 0.2, 0.5, 0.6, 0.8, 0.9]
    n.arrays["late_schedule_first"].schedule = 0.2
    n.arrays["late_schedule_first"].rates = ROWS


def timed_changes(n):
    """After 0.7 ms: new inputs with a period for a running array, a reset, a new period."""
    n.arrays["updated"].update(ROWS[::-1] * 100, schedule=0.1, period=0.4)
    n.arrays["listed"].reset()
    n.arrays["periodic"].period = 0.4


def delayed_global(ann):
    """A uniform delay of 1 ms on a rate-coded synapse whose psp and equations read the
    population-wide pre.glob_r."""
    n = SimpleNamespace()
    pre = ann.Population(2, ann.Neuron(equations="glob_r = glob_r + t : init=-1, population\n"
                                                 "r = t"))
    post = ann.Population(1, ann.Neuron(equations="r = sum(exc)"))
    n.proj = ann.Projection(pre, post, "exc", ann.Synapse(psp="pre.glob_r * w",
                                                          equations="x = pre.glob_r + pre.r"))
    n.proj.connect_all_to_all(1.0, delays=1.0)
    n.monitor = ann.Monitor(post, "sum(exc)")
    return n

"""Spiking networks: spike timing, refractoriness, transmission delays, plasticity, inputs.

Expected numbers come from the closed forms, or from ANNarchy 4.8.2.7 on the same network.
"""

import math

import numpy as np
import pytest

import annbook as ann

RAMP = ann.Neuron(parameters="I = 0.3", equations="dv/dt = I\nz = t", spike="v > 1.0",
                  reset="v = 0.0", refractory=2.0)
READ = ann.Neuron(equations="v = g_exc", spike="v > 1000.0")


def test_spike_reset_and_refractory_as_the_reference():
    pop = ann.Population(1, RAMP)
    m = ann.Monitor(pop, ["spike", "v", "z"])
    ann.compile()
    ann.simulate(20.0)
    data = m.get()
    assert data["spike"] == {0: [3, 9, 15]}
    assert data["v"][:7] == pytest.approx([0.3, 0.6, 0.9, 0.0, 0.0, 0.0, 0.3])
    assert list(data["z"][:7]) == [0, 1, 2, 3, 3, 3, 6]            # frozen while refractory
    assert list(pop.refractory) == [2.0]


def _ramp_replay(condition, steps, refractory_steps):
    """Spikes and values of x of a neuron with dv/dt = 1 (dt = 1) as annbook's and the
    reference's step defines them: frozen while refractory, then x and the condition read
    the new v."""
    v, last, spikes, xs = 0.0, -10 ** 9, [], []
    for step in range(steps):
        if step - last > refractory_steps:
            v += 1.0
            x = float((1.5 < v < 2.5) or v > 3.5)
            if condition(v):
                spikes.append(step)
                last, v = step, 0.0
        xs.append(x if step - last > refractory_steps or step == last else xs[-1])
    return spikes, xs


@pytest.mark.parametrize("spike,condition", [
    ("(v > 2.5 and v < 3.5) or v > 100.0", lambda v: (2.5 < v < 3.5) or v > 100.0),
    ("v > 1.5 and not (v > 2.5)", lambda v: v > 1.5 and not v > 2.5),
    ("v > 3.5 or (v > 0.5 and v < 1.5 and v > 0.7)", lambda v: v > 3.5 or 0.7 < v < 1.5),
])
def test_conjunctions_and_disjunctions_in_conditions(spike, condition):
    # the generated code evaluates every operand (no short-circuit, see cprinter.all_of)
    model = ann.Neuron(equations="dv/dt = 1.0\nx = if (v > 1.5 and v < 2.5) or v > 3.5: 1.0 "
                       "else: 0.0", spike=spike, reset="v = 0.0", refractory=2.0)
    pop = ann.Population(3, model)
    m = ann.Monitor(pop[1], ["spike", "x"])
    ann.compile()
    ann.simulate(20.0)
    spikes, xs = _ramp_replay(condition, 20, 2)
    assert m.get("spike") == {1: spikes}
    assert list(m.get("x")[:, 0]) == xs


def test_first_passage_time_of_a_leaky_integrate_and_fire_neuron():
    lif = ann.Neuron(parameters="tau = 10.0\nI = 2.0", equations="tau * dv/dt = I - v : exponential",
                     spike="v > 1.0", reset="v = 0.0")
    ann.setup(dt=0.01)
    pop = ann.Population(1, lif)
    m = ann.Monitor(pop, "spike")
    ann.compile()
    ann.simulate(100.0)
    first = m.get("spike")[0][0] * 0.01
    assert first == pytest.approx(10.0 * math.log(2.0), abs=0.011)    # tau ln(I / (I - 1))


def test_refractory_counts_truncated_steps_and_can_be_set():
    ann.setup(dt=0.1)
    fast = ann.Neuron(parameters="I = 3.0", equations="dv/dt = I", spike="v > 1.0",
                      reset="v = 0.0", refractory=0.3)
    pop = ann.Population(1, fast)
    m = ann.Monitor(pop, "spike")
    ann.compile()
    ann.simulate(3.0)
    assert m.get("spike")[0][:2] == [3, 9]       # 0.3 / 0.1 truncates to 2 steps
    pop.refractory = 1.0
    ann.simulate(3.0)
    spikes = m.get("spike")[0]
    assert spikes[1] - spikes[0] == 14


@pytest.mark.parametrize("delay,arrival", [(0.0, 6), (1.0, 6), (3.0, 8), (2.4, 7), (2.6, 8)])
def test_transmission_delay_as_the_reference(delay, arrival):
    source = ann.SpikeSourceArray([[5.0]])
    post = ann.Population(1, READ)
    ann.Projection(source, post, "exc").connect_one_to_one(weights=1.0, delays=delay)
    m = ann.Monitor(post, "v")
    spikes = ann.Monitor(source, "spike")
    ann.compile()
    ann.simulate(12.0)
    assert spikes.get("spike") == {0: [5]}
    assert list(np.flatnonzero(m.get("v")[:, 0])) == [arrival]


def test_per_synapse_delays_and_weights():
    source = ann.SpikeSourceArray([[5.0], [5.0], [5.0]])
    post = ann.Population(1, READ)
    proj = ann.Projection(source, post, "exc")
    proj.connect_from_matrix([[1.0, 10.0, 100.0]], delays=np.array([[1.0, 2.0, 3.0]]))
    m = ann.Monitor(post, "v")
    ann.compile()
    ann.simulate(10.0)
    assert m.get("v")[5:9, 0] == pytest.approx([0.0, 1.0, 10.0, 100.0])


def test_per_synapse_delays_of_spikes_in_flight_together():
    # one source spiking at 5 and 6 ms reaches three neurons 1, 2 and 4 steps later
    source = ann.SpikeSourceArray([[5.0, 6.0]])
    post = ann.Population(3, READ)
    proj = ann.Projection(source, post, "exc")
    proj.connect_from_matrix([[1.0], [10.0], [100.0]], delays=np.array([[1.0], [2.0], [4.0]]))
    m = ann.Monitor(post, "v")
    ann.compile()
    ann.simulate(12.0)
    v = m.get("v")
    assert [list(np.flatnonzero(v[:, i])) for i in range(3)] == [[6, 7], [7, 8], [9, 10]]
    assert v[9:11, 2] == pytest.approx([100.0, 100.0])
    proj.delay = [np.array([3.0]), np.array([1.0]), np.array([2.0])]    # after compile
    source.set_spike_times([[15.0]])
    ann.simulate(10.0)
    v = m.get("v")
    assert [list(np.flatnonzero(v[:, i])) for i in range(3)] == [[6], [4], [5]]   # 15 + d - 12


def test_reset_drops_spikes_in_flight_as_the_reference():
    source = ann.SpikeSourceArray([[5.0]])
    post = ann.Population(1, READ)
    ann.Projection(source, post, "exc").connect_one_to_one(weights=1.0, delays=3.0)
    m = ann.Monitor(post, "v")
    ann.compile()
    ann.simulate(6.0)                       # the spike of step 5 is on its way
    ann.reset()
    ann.simulate(12.0)
    assert list(np.flatnonzero(m.get("v")[:, 0])) == [8]     # only the replayed one


def test_weights_set_after_compile_reach_the_spikes():
    source = ann.SpikeSourceArray([[2.0, 4.0, 6.0, 8.0]])
    post = ann.Population(2, READ)
    proj = ann.Projection(source, post, "exc")
    proj.connect_all_to_all(weights=1.0, force_multiple_weights=True)   # one weight per synapse
    m = ann.Monitor(post, "v")
    ann.compile()
    ann.simulate(3.5)
    proj.w = 2.0
    ann.simulate(2.0)
    proj.dendrite(1).w = np.array([5.0])
    ann.simulate(2.0)
    proj.dendrite(0).synapse(0).w = 7.0
    ann.simulate(3.0)
    v = m.get("v")
    assert v[[3, 5, 7, 9]].tolist() == [[1.0, 1.0], [2.0, 2.0], [2.0, 5.0], [7.0, 5.0]]


def stdp_pair(pre_time, post_time):
    pre = ann.SpikeSourceArray([[pre_time]])
    driver = ann.SpikeSourceArray([[post_time - 1.0]])
    post = ann.Population(1, ann.Neuron(equations="v = g_drive", spike="v > 0.5"))
    ann.Projection(driver, post, "drive").connect_one_to_one(weights=1.0)
    plastic = ann.Projection(pre, post, "exc", ann.STDP())
    plastic.connect_one_to_one(weights=0.5)
    ann.compile()
    ann.simulate(30.0)
    return plastic.w[0][0]


def test_stdp_pairs_match_the_reference():
    # closed form of the built-in STDP (A = 0.01, tau = 20 ms): w +- A exp(-|dt| / tau). As in
    # the reference, a pre trace read at a post spike counts from one step earlier: a
    # pre-post pair 5 ms apart acts as 4 ms, a post-pre pair as 5 ms (ANNarchy 4.8.2.7 gives
    # the same numbers).
    assert stdp_pair(10.0, 15.0) == pytest.approx(0.5 + 0.01 * math.exp(-4.0 / 20.0), rel=1e-12)
    ann.clear()
    assert stdp_pair(15.0, 10.0) == pytest.approx(0.5 - 0.01 * math.exp(-5.0 / 20.0), rel=1e-12)
    ann.clear()
    assert stdp_pair(10.0, 25.0) == pytest.approx(0.5 + 0.01 * math.exp(-14.0 / 20.0), rel=1e-12)


def test_stp_increments_match_the_reference():
    source = ann.SpikeSourceArray([[10.0 + 50.0 * k for k in range(6)]])
    post = ann.Population(1, READ)
    ann.Projection(source, post, "exc", ann.STP()).connect_one_to_one(weights=1.0)
    m = ann.Monitor(post, "v")
    ann.compile()
    ann.simulate(300.0)
    increments = m.get("v")[[11, 61, 111, 161, 211, 261], 0]
    # the Tsodyks-Markram recurrence (U = 0.5, tau_rec = 100 ms, tau_facil = 0.01 ms); as in
    # the reference, the recovery between two spikes 50 ms apart lasts 49 ms (pre events
    # count from the previous step). ANNarchy 4.8.2.7 gives these numbers to the last digit.
    x, u, expected = 1.0, 0.5, []
    for _ in range(6):
        expected.append(u * x)
        x, u = x * (1.0 - u), u + 0.5 * (1.0 - u)
        x, u = 1.0 - (1.0 - x) * math.exp(-49.0 / 100.0), 0.5 + (u - 0.5) * math.exp(-49.0 / 0.01)
    assert increments == pytest.approx(expected, rel=1e-12)


def test_poisson_rates_within_statistical_bounds():
    ann.setup(seed=2)
    pop = ann.PoissonPopulation(2000, rates=20.0)
    varied = ann.PoissonPopulation(4, rates=np.array([0.0, 100.0, 500.0, 1500.0]))
    m, mv = ann.Monitor(pop, "spike"), ann.Monitor(varied, "spike")
    ann.compile()
    ann.simulate(1000.0)
    count = sum(len(v) for v in m.get("spike").values())
    assert abs(count - 40000) < 5 * math.sqrt(40000)
    counts = [len(v) for v in mv.get("spike").values()]
    assert counts[0] == 0 and counts[3] == 1000           # saturates at one spike per step
    with pytest.raises(ann.ANNarchyException, match="positive"):
        ann.PoissonPopulation(3, rates=-5.0)
    with pytest.raises(ann.NetworkError, match="positive or zero"):
        varied.rates = [1.0, -2.0, 3.0, 4.0]
    with pytest.raises(ann.NetworkError, match="positive or zero"):
        varied[2].rates = -1.0
    assert list(varied.rates) == [0.0, 100.0, 500.0, 1500.0]


def test_spike_source_array_rounds_sorts_and_warns():
    with pytest.warns(UserWarning):
        source = ann.SpikeSourceArray([[3.0, 1.2, 2.0]])
    m = ann.Monitor(source, "spike")
    ann.compile()
    ann.simulate(5.0)
    assert m.get("spike") == {0: [1, 2, 3]}
    source.set_spike_times([[7.0, 9.0]])
    ann.simulate(10.0)
    assert m.get("spike") == {0: [7, 9]}


@pytest.mark.parametrize("model,rate", [(ann.IF_curr_exp, 35), (ann.IF_cond_exp, 35),
                                        (ann.IF_curr_alpha, 35), (ann.IF_cond_alpha, 35),
                                        (ann.EIF_cond_exp_isfa_ista, 30),
                                        (ann.EIF_cond_alpha_isfa_ista, 30)])
def test_built_in_models_f_i_point(model, rate):
    pop = ann.Population(1, model(i_offset=1.0))
    m = ann.Monitor(pop, "spike")
    ann.compile()
    ann.simulate(1000.0)
    assert abs(len(m.get("spike")[0]) - rate) <= 1


def test_izhikevich_regular_spiking():
    pop = ann.Population(1, ann.Izhikevich(i_offset=10.0))
    m = ann.Monitor(pop, "spike")
    ann.compile()
    ann.simulate(1000.0)
    assert 15 <= len(m.get("spike")[0]) <= 30


def test_spike_analysis_helpers():
    spikes = {0: [10, 20, 30], 1: [15, 45]}
    times, ranks = ann.raster_plot(spikes)
    assert list(times) == [10.0, 20.0, 30.0, 15.0, 45.0] and list(ranks) == [0, 0, 0, 1, 1]
    assert list(ann.histogram(spikes, bins=5)) == [1, 1, 1, 0, 1, 0, 0, 1]
    assert ann.histogram(spikes, bins=10, per_neuron=True).tolist() == [[1, 1, 1, 0], [1, 0, 0, 1]]
    assert ann.inter_spike_interval(spikes) == [10.0, 10.0, 30.0]
    assert ann.coefficient_of_variation({0: [10, 20, 40, 45], 1: [15, 45], 2: [5, 6, 8]}) == \
        pytest.approx([0.5345224838248488, 0.3333333333333333])
    assert ann.mean_fr(spikes) == pytest.approx(71.42857142857143)
    rate = ann.population_rate(spikes)
    assert rate.shape == (36,) and rate[[0, 5, 10, 20, 35]] == pytest.approx([500.0] * 5)
    assert ann.smoothed_rate(spikes).shape == (2, 35)


def test_spike_condition_must_be_a_condition_and_reset_known_variables():
    with pytest.raises(ann.ModelError, match="not a condition"):
        ann.Population(1, ann.Neuron(equations="dv/dt = 1", spike="v + 1", reset="v = 0"))
        ann.compile()
    ann.clear()
    with pytest.raises(ann.ModelError, match="does not declare"):
        ann.Population(1, ann.Neuron(equations="dv/dt = 1", spike="v > 1", reset="u = 0"))
    with pytest.raises(ann.ModelError, match="does not declare"):
        ann.Synapse(pre_spike="nothing += w")._describe()


def test_timed_array_schedule_and_period():
    timed = ann.TimedArray(rates=np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), schedule=2.0,
                           period=10.0)
    m = ann.Monitor(timed, "r")
    ann.compile()
    ann.simulate(12.0)
    assert list(m.get("r")[:, 0]) == [1, 1, 3, 3, 5, 5, 5, 5, 5, 5, 1, 1]
    timed.update(np.array([[7.0, 7.0]]))
    ann.simulate(2.0)
    assert list(timed.r) == [7.0, 7.0]


def test_input_array_holds_what_the_user_sets():
    inputs = ann.InputArray(3)
    post = ann.Population(1, ann.Neuron(equations="r = sum(exc)"))
    ann.Projection(inputs, post, "exc").connect_all_to_all(weights=1.0)
    ann.compile()
    inputs.r = [1.0, 2.0, 3.0]
    ann.simulate(2.0)
    assert list(inputs.r) == [1.0, 2.0, 3.0] and post.r[0] == 6.0


def test_current_injection_copies_rates_into_the_conductance():
    rates = ann.InputArray(2)
    lif = ann.Population(2, ann.Neuron(parameters="tau = 10.0",
                                       equations="tau * dv/dt = -v + g_exc", spike="v > 100.0"))
    ann.CurrentInjection(rates, lif, "exc").connect_current()
    m = ann.Monitor(lif, "g_exc")
    ann.compile()
    rates.r = [1.0, 2.0]
    ann.simulate(3.0)
    assert m.get("g_exc")[-1] == pytest.approx([1.0, 2.0])
    with pytest.raises(ann.ANNarchyException, match="rate-coded"):
        ann.CurrentInjection(lif, rates, "exc")

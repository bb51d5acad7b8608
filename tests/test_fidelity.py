"""What users read matches the reference (issue 12, items 1-7), without the reference.

The networks are those of ``tests/reference_scripts/fidelity_networks.py``; the expected
numbers were recorded from ANNarchy 4.8.2.7 by ``tests/reference_scripts/fidelity.py`` (the
key of each number is named in the test), which ``tests/test_reference.py`` also compares
with annbook as a whole.
"""

import sys
from pathlib import Path

import numpy as np
import pytest

import annbook as ann
from annbook.errors import NetworkError

sys.path.insert(0, str(Path(__file__).parent / "reference_scripts"))
import fidelity_networks as nets  # noqa: E402


@pytest.fixture(autouse=True)
def dt_01():
    ann.setup(dt=0.1)


def counts(monitor):
    return [len(v) for _, v in sorted(monitor.get("spike").items())]


# ---- 1. conductances -------------------------------------------------------------------------
def test_conductances_are_recorded_between_delivery_and_update():
    """cond.zeroed, cond.decaying, cond.reader: a monitor sees a conductance once the spikes
    are delivered, before the neuron update decays it or sets it (``g_exc = 0``); an
    undeclared conductance is zero for the spike condition and after simulate()."""
    n = nets.conductances(ann)
    ann.compile()
    ann.simulate(50.0)
    assert n.m_zeroed.get("g_exc")[8:14, 0].tolist() == [0.0, 0.0, 0.0, 5.0, 0.0, 0.0]
    g = n.m_decaying.get("g_exc")[:, 0]
    assert g.max() == pytest.approx(1.5263819199085824, rel=1e-12) and g.argmax() == 301
    assert g[99:104] == pytest.approx([0.0, 0.0, 1.5, 1.47, 1.4406], rel=1e-12)
    data = n.m_reader.get()
    assert data["g_exc"][:17, 0].tolist() == [0.0] * 6 + [0.8] + [0.0] * 4 + [0.8] + \
        [0.0] * 4 + [0.8]
    assert data["v"][6:9, 0] == pytest.approx([0.08, 0.072, 0.0648], rel=1e-12)
    assert data["spike"] == {0: [], 1: []}          # g_exc > 0.5 never holds after the update
    assert n.reader.g_exc.tolist() == [0.0, 0.0]


def test_if_cond_alpha_after_a_run():
    """cond.alpha.after, cond.alpha.spikes."""
    n = nets.if_cond_alpha(ann)
    ann.compile()
    ann.simulate(50.0)
    assert n.pop.g_exc == pytest.approx([0.0040519406146370856] * 2, rel=1e-9)
    assert n.pop.alpha_exc == pytest.approx([0.13935248132302971] * 2, rel=1e-9)
    assert n.pop.gmax_exc == pytest.approx([2.6511672109826065] * 2, rel=1e-12)
    assert n.pop.v == pytest.approx([-55.59024071789466] * 2, rel=1e-9)
    assert counts(n.monitor) == [11, 11]


def test_undeclared_conductances_of_the_izhikevich_network_read_zero():
    """cond.izhikevich.after, cond.izhikevich.spikes: a volley arrives in the last step; its
    undeclared g_exc was consumed by the update (I = 15 shows it arrived)."""
    n = nets.izhikevich(ann)
    ann.compile()
    ann.simulate(50.0)
    assert np.all(n.pop.g_exc == 0.0) and np.all(n.pop.g_inh == 0.0)
    assert np.all(n.pop.I == 15.0)
    assert n.pop.v[[0, 2, 11, 39]] == pytest.approx(
        [-56.15891388697496, -57.25034370162351, -58.568500695289316, -56.12500000093161],
        rel=1e-9)
    assert counts(n.spikes) == [2, 1, 1, 2, 2, 2, 1, 1, 0, 1, 1, 2, 1, 2, 0, 1, 1, 1, 1, 1, 1, 1,
                                0, 2, 1, 0, 1, 1, 2, 1, 1, 1, 2, 1, 2, 2, 1, 1, 2, 3]


# ---- 2. a single weight --------------------------------------------------------------------------
def test_a_weight_given_as_one_number_stays_one_number():
    """single.before_run, single.set_*, single.after_sets, single.summed: the reference
    refuses per-synapse values (with internal errors; annbook names the projection)."""
    n = nets.single_weights(ann)
    ann.compile()
    assert n.single.w == 0.6 and n.single.dendrite(0).w == 0.6
    assert isinstance(n.single.w, float) and isinstance(n.single.dendrite(1).w, float)
    assert n.few.w == 0.1 and n.spiking.w == 0.75 and n.spiking.dendrite(1).w == 0.75
    assert np.array(n.forced.w).shape == (2, 3) and np.array(n.hebbian.w).shape == (2, 3)
    n.single.w = np.float64(0.4)
    assert n.single.w == 0.4
    for value in ([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], np.ones((2, 3)), ann.Uniform(0.0, 1.0)):
        with pytest.raises(NetworkError, match="share one weight.*force_multiple_weights"):
            n.single.w = value
    with pytest.raises(NetworkError, match="dendrite 0 of 'proj.*one dendrite"):
        n.single.dendrite(0).w = 2.0
    with pytest.raises(NetworkError, match="one synapse"):
        n.single.dendrite(0).synapse(1).w = 5.0
    n.single.set({"w": 0.45})
    n.forced.w = [[1.0, 2.0, 3.0], [0.0, 0.5, 1.0]]
    n.spiking.w = 1.25
    ann.simulate(50.0)
    assert n.summed.r == pytest.approx([21.9, 9.9], rel=1e-12)
    v = n.m_spiking.get("v")[:, 0]
    assert v[[10, 11, 16, 21, 39]].tolist() == [0.0, 1.25, 2.5, 3.75, 3.75]


def test_a_single_weight_is_one_value_in_memory_and_in_the_loop():
    """No per-synapse weights, nor their copy in pre order for spike propagation; the code
    differs from per-synapse weights (the flag is part of the structure's key)."""
    from annbook.core.network import global_network
    n = nets.single_weights(ann)
    assert n.single._state["w"].size == 1 and n.spiking._state["w"].size == 1
    assert n.forced._state["w"].size == n.forced.nb_synapses
    network = global_network()
    source = network._generate()
    assert "q.w_pre" not in source
    structure = network._structure()
    n.spiking._single_weight = False
    assert network._structure() != structure


# ---- 3. a Poisson population driven by a projection -------------------------------------------
def test_poisson_population_fed_by_a_projection_fires_at_the_sum():
    """hybrid.rates, hybrid.monitor, hybrid.*_near_100: the sum is consumed each step."""
    ann.setup(seed=3)
    n = nets.hybrid(ann)
    ann.compile()
    ann.simulate(50.0)
    assert np.all(n.poisson.rates == 100.0)
    assert n.m_poisson.get("rates")[:3, 0].tolist() == [0.0, 100.0, 100.0]
    rate = sum(len(t) for t in n.m_poisson.get("spike").values()) / 400 / 0.05
    assert rate == pytest.approx(100.0, abs=10.0)
    assert n.m_decoded.get("r")[200:].mean() == pytest.approx(100.0, abs=15.0)


# ---- 4. four conductances, two targets ----------------------------------------------------------
def test_four_conductances_two_targets_and_homeostatic_stdp():
    """homeostatic.inhibitory, homeostatic.w, homeostatic.monitor (spikes)."""
    n = nets.homeostatic(ann)
    ann.compile()
    ann.simulate(50.0)
    inh = n.inhibitory
    assert inh.g_ampa == pytest.approx([0.0, 0.327074576584342, 0.0, 0.0], rel=1e-9)
    assert inh.g_nmda == pytest.approx([0.0, 1.0851363853233889, 0.0, 0.0], rel=1e-9)
    assert inh.I == pytest.approx([0.0, 25.784904354517124, 0.0, 0.0], rel=1e-9)
    assert inh.v == pytest.approx([-90.0, -66.51564286891991, -90.0, -90.0], rel=1e-9)
    assert inh.r.tolist() == [50.0, 100.0, 100.0, 100.0]
    assert np.array(n.competition.w)[0] == pytest.approx(
        [0.2559528773083983, 0.13193989503426282, 0.2624549844999445, 0.15167703046113515],
        rel=1e-9)
    assert counts(n.monitor) == [7, 7, 8, 8]


# ---- 5. gap junctions -------------------------------------------------------------------------------
def test_gap_junction_conductance_is_consumed_by_the_update():
    """gap.after: g_gap reads 0 for every neuron (std 0), v as the reference."""
    n = nets.gap_junctions(ann)
    ann.compile()
    ann.simulate(50.0)
    assert n.pop.g_gap.tolist() == [0.0] * 10
    assert n.pop.v[:3] == pytest.approx([0.9989068628340231, 0.04714435988212782,
                                         0.4190585941456973], rel=1e-9)
    assert n.monitor.get("g_gap")[0, :2] == pytest.approx([0.1, 0.0777777777777778])


# ---- 6. TimedArray ------------------------------------------------------------------------------------
def test_timed_arrays_keep_their_clock_as_the_reference():
    """timed.*: late inputs count from their arrival (the clock waits for inputs) and show
    their next row at once; update() keeps the clock (a period already passed never comes
    back); reset() restarts; schedule steps are truncated (0.3 ms * 3 / 0.1 is step 8)."""
    n = nets.timed_arrays(ann)
    ann.compile()
    ann.simulate(0.3)
    nets.timed_late_inputs(n)
    assert n.arrays["late_update"].r.tolist() == [1.0, 10.0]
    assert n.arrays["late_schedule_first"].r.tolist() == [1.0, 10.0]
    ann.simulate(0.4)
    nets.timed_changes(n)
    assert n.arrays["updated"].r.tolist() == [600.0, 6000.0]
    assert n.arrays["listed"].r.tolist() == [0.0, 0.0]
    ann.simulate(4.3)
    r = {name: m.get("r")[:, 0].tolist() for name, m in n.monitors.items()}
    assert r["periodic"][:12] == [1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0, 4.0, 5.0, 5.0, 6.0, 6.0]
    assert r["late_update"][:15] == [0.0] * 3 + [1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0, 4.0, 5.0,
                                                 5.0, 6.0, 6.0]
    assert r["late_attributes"][:12] == [0.0] * 3 + [1.0, 1.0, 2.0, 2.0, 2.0] + [3.0] * 4
    assert r["late_schedule_first"][:8] == [0.0] * 3 + [1.0] * 5
    assert r["updated"][:10] == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 6.0, 600.0, 600.0, 600.0]
    assert r["listed"][:12] == [0.0, 1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 0.0, 1.0, 2.0, 2.0, 3.0]
    assert r["truncated"][:14] == [1.0, 1.0, 2.0, 2.0, 2.0, 3.0, 1.0, 1.0, 2.0, 2.0, 2.0, 3.0,
                                   1.0, 1.0]
    assert n.m_reader.get("r")[5:9, 0].tolist() == [5.0, 6.0, 600.0, 600.0]
    assert n.arrays["late_attributes"].schedule == pytest.approx([0.1, 0.2, 0.5, 0.5, 0.8, 0.9])
    assert n.arrays["truncated"].period == pytest.approx(0.6)
    assert n.m_poisson.get("spike")[0] == [30, 31]


# ---- 7. delayed population-wide values -----------------------------------------------------------
def test_population_wide_pre_values_are_delayed_like_per_neuron_ones():
    """delayed.x, delayed.sum, delayed.sum_after_*: the initial -1 (two synapses: -2) for the
    first 11 steps, again after reset(); a new delay reads the history; a longer one reads 0
    for the steps its ring never held."""
    n = nets.delayed_global(ann)
    ann.compile()
    ann.simulate(50.0)
    assert np.array(n.proj.x).tolist() == [[12077.5, 12077.5]]
    expected = [-2.0] * 11 + [-1.8, -1.4, -0.8]
    assert n.monitor.get("sum(exc)")[:14, 0] == pytest.approx(expected)
    ann.reset()
    ann.simulate(2.0)
    assert n.monitor.get("sum(exc)")[:14, 0] == pytest.approx(expected)
    n.proj.delay = 0.3
    ann.simulate(1.0)
    assert n.monitor.get("sum(exc)")[:4, 0] == pytest.approx([28.6, 32.2, 36.0, 40.0])
    n.proj.delay = 1.5
    ann.simulate(2.0)
    assert n.monitor.get("sum(exc)")[:7, 0] == pytest.approx([0.0] * 5 + [40.0, 44.2])


def test_population_wide_pre_value_with_per_synapse_delays_is_refused():
    """The reference refuses it when it builds ('The psp accesses a global variable with a
    non-uniform delay!'); annbook names the projection and the variable."""
    pre = ann.Population(2, ann.Neuron(equations="g = t : population\nr = t"))
    post = ann.Population(1, ann.Neuron(equations="r = sum(exc)"))
    proj = ann.Projection(pre, post, "exc", ann.Synapse(psp="pre.g * w"), name="glob")
    proj.connect_all_to_all(1.0, delays=ann.Uniform(1.0, 2.0))
    with pytest.raises(NetworkError, match="'glob'.*pre.g.*one delay"):
        ann.compile()

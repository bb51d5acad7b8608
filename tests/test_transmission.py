"""Spiking transmission beyond plain spikes: axonal spikes and continuous (gap-junction) psp.

Expected numbers are those of ANNarchy 4.8.2.7 on the same networks (identical to the last bit).
"""

import numpy as np
import pytest

import annbook as ann

AXON = ann.Neuron(parameters="I = 0.3", equations="dv/dt = I", spike="v > 2.0", reset="v = 0.0",
                  axon_spike="v > 1.0", axon_reset="v += 0.2", refractory=2.0)
READ = ann.Neuron(equations="a = g_fused\nb = g_sep\nc = g_none", spike="a > 1e9")


def test_axonal_spikes_as_the_reference():
    source = ann.Population(2, AXON)
    source.I = [0.3, 0.45]
    post = ann.Population(2, READ)
    fused = ann.Synapse(pre_spike="g_target += w", pre_axon_spike="g_target += w")
    separate = ann.Synapse(pre_spike="g_target += w", pre_axon_spike="g_target += 10 * w")
    ann.Projection(source, post, "fused", fused).connect_one_to_one(weights=1.0, delays=3.0)
    own = ann.Projection(source, post, "sep", separate)
    own.connect_one_to_one(weights=1.0)
    ann.Projection(source, post, "none").connect_one_to_one(weights=1.0)
    spikes = ann.Monitor(source, ["spike", "axon_spike"])
    m = ann.Monitor(post, ["a", "b", "c"])
    ann.compile()
    ann.simulate(30.0)
    own.axon_transmission = False
    ann.simulate(10.0)
    data, received = spikes.get(), m.get()
    assert data["spike"][0] == [5, 13, 21, 29, 37]
    assert data["axon_spike"][0] == [3, 4, 11, 12, 19, 20, 27, 28, 35, 36]
    assert data["axon_spike"][1] == [2, 3, 9, 10, 16, 17, 23, 24, 30, 31, 37, 38]
    # axonal spikes arrive one step later whatever the delay; spikes after the delay
    assert list(received["a"][:13, 0]) == [0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1]
    assert list(received["b"][:15, 0]) == [0, 0, 0, 0, 10, 10, 1, 0, 0, 0, 0, 0, 10, 10, 1]
    assert list(received["b"][34:39, 0]) == [0, 0, 0, 0, 1]        # axon_transmission off
    assert list(received["c"][:15, 0]) == [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]


def test_axon_spike_needs_a_condition_and_is_recorded_only_where_defined():
    with pytest.raises(ann.ModelError, match="axon_spike condition is not a condition"):
        pop = ann.Population(1, ann.Neuron(equations="dv/dt = 1", spike="v > 1",
                                           axon_spike="v + 1"))
        ann.compile()
    ann.clear()
    pop = ann.Population(1, ann.Neuron(equations="dv/dt = 1", spike="v > 1"))
    with pytest.raises(ann.NetworkError, match="no axon_spike condition"):
        ann.Monitor(pop, "axon_spike")
    with pytest.raises(ann.ModelError, match="post_spike"):
        ann.Synapse(pre_spike="g_target += w", pre_axon_spike="g_target += w",
                    post_spike="w += 1")


def test_gap_junctions_sum_a_continuous_psp_into_the_conductance():
    ann.setup(dt=0.1)
    neuron = ann.Neuron(parameters="v0 = 1.05 : population\ntau = 10.0 : population",
                        equations="tau * dv/dt = v0 - v + g_gap", spike="v > 1.0",
                        reset="v = 0.0")
    pop = ann.Population(10, neuron)
    pop.v = np.linspace(0.0, 1.0, 10)
    ann.Projection(pop, pop, "gap", ann.Synapse(psp="w * (pre.v - post.v)")) \
        .connect_all_to_all(0.02)
    m = ann.Monitor(pop, ["v", "g_gap", "spike"])
    ann.compile()
    ann.simulate(100.0)
    data = m.get()
    assert data["g_gap"][:3, 0] == pytest.approx([0.1, 0.0988, 0.0976144], rel=1e-12)
    assert data["v"][:2, 0] == pytest.approx([0.0115, 0.022873], rel=1e-12)
    assert data["spike"][9] == [108, 520, 918]
    assert data["spike"][0] == [454, 865]


def test_events_and_continuous_psp_together():
    source = ann.SpikeSourceArray([[2.0]])
    post = ann.Population(1, ann.Neuron(equations="v = g_exc", spike="v > 1e9"))
    both = ann.Synapse(psp="0.5 * w", pre_spike="g_target += w")
    ann.Projection(source, post, "exc", both).connect_one_to_one(weights=2.0)
    m = ann.Monitor(post, "v")
    ann.compile()
    ann.simulate(5.0)
    assert list(m.get("v")[:, 0]) == [1.0, 1.0, 1.0, 3.0, 1.0]


def test_events_may_only_change_variables_of_the_post_neuron():
    pre = ann.Population(1, ann.Neuron(equations="dv/dt = 1", spike="v > 1"))
    post = ann.Population(1, ann.Neuron(parameters="tau = 10.0", equations="dv/dt = -v / tau",
                                        spike="v > 1"))
    ann.Projection(pre, post, "exc", ann.Synapse(pre_spike="post.u += w")) \
        .connect_one_to_one(weights=1.0)
    with pytest.raises(ann.ModelError, match=r"'post\.u', which is not a variable"):
        ann.compile()
    ann.clear()
    pre = ann.Population(1, ann.Neuron(equations="dv/dt = 1", spike="v > 1"))
    post = ann.Population(1, ann.Neuron(parameters="tau = 10.0", equations="dv/dt = -v / tau",
                                        spike="v > 1"))
    ann.Projection(pre, post, "exc", ann.Synapse(pre_spike="post.tau += w")) \
        .connect_one_to_one(weights=1.0)
    with pytest.raises(ann.ModelError, match="post.v"):
        ann.compile()

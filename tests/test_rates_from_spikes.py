"""Rates computed from spikes: Population.compute_firing_rate and DecodingProjection.

Expected numbers are those of ANNarchy 4.8.2.7 on the same networks.
"""

import numpy as np
import pytest

import annbook as ann

RAMP = ann.Neuron(parameters="I = 0.3", equations="dv/dt = I", spike="v > 1", reset="v = 0",
                  refractory=1.0)


def test_compute_firing_rate_counts_spikes_in_a_sliding_window_as_the_reference():
    ann.setup(dt=0.5)
    pop = ann.Population(3, RAMP)
    pop.I = [0.3, 0.7, 1.5]
    assert pop.variables == ["v", "r"]                 # spiking neurons get r, as the reference
    pop.compute_firing_rate(2.0)
    m = ann.Monitor(pop, ["r", "spike"])
    ann.compile()
    ann.simulate(6.0)
    pop.compute_firing_rate(3.0)                       # after compile: the history is kept
    ann.simulate(6.0)
    data = m.get()
    assert data["spike"] == {0: [6, 15], 1: [2, 7, 12, 17, 22], 2: [1, 5, 9, 13, 17, 21]}
    third = 1000.0 / 3.0
    assert list(data["r"][:7, 2]) == [0.0] + [500.0] * 6
    assert list(data["r"][5:12, 0]) == [0.0, 500.0, 500.0, 500.0, 500.0, 0.0, 0.0]
    assert data["r"][12:18, 2] == pytest.approx([third, 2 * third, 2 * third, third, third,
                                                 2 * third])


def test_compute_firing_rate_keeps_every_spike_of_a_long_window():
    always = ann.Neuron(equations="v = 0", spike="v < 1", reset="")
    pop = ann.Population(5, always)
    pop.compute_firing_rate(40.0)
    ann.compile()
    ann.simulate(30.0)
    assert list(pop.r) == [750.0] * 5                  # 30 spikes in a window of 40 ms
    ann.simulate(30.0)
    assert list(pop.r) == [1000.0] * 5
    pop.compute_firing_rate(0.0)
    ann.reset()
    assert list(pop.r) == [0.0] * 5
    ann.clear()
    with pytest.raises(ann.NetworkError, match="rate-coded"):
        ann.Population(1, ann.LeakyIntegrator).compute_firing_rate(10.0)


def test_decoding_projection_as_the_reference():
    ann.setup(dt=0.5)
    source = ann.SpikeSourceArray([[1.0, 2.0, 5.0, 5.5, 9.0], [2.0, 3.0, 7.5], [0.5, 4.0]])
    post = ann.Population(2, ann.Neuron(equations="r = sum(exc)"))
    proj = ann.DecodingProjection(source, post, "exc", window=2.0)
    proj.connect_from_matrix(np.array([[1.0, 2.0, 0.5], [None, 3.0, 1.0]], dtype=object))
    m = ann.Monitor(post, "r")
    ann.compile()
    ann.simulate(6.0)
    r = m.get("r")
    assert r[:6, 0] == pytest.approx([0.0, 0.0, 250.0 / 3.0, 250.0, 250.0, 750.0])
    assert r[:9, 1] == pytest.approx([0.0, 0.0, 250.0, 250.0, 250.0, 1000.0, 750.0, 1500.0,
                                      1500.0])


def test_decoding_projection_gives_the_mean_rate_of_poisson_inputs():
    ann.setup(seed=1)
    source = ann.PoissonPopulation(500, rates=40.0)
    post = ann.Population(1, ann.Neuron(equations="r = sum(exc)"))
    ann.DecodingProjection(source, post, "exc", window=50.0).connect_all_to_all(1.0)
    m = ann.Monitor(post, "r")
    ann.compile()
    ann.simulate(1000.0)
    rates = m.get("r")[100:, 0]
    assert rates.mean() == pytest.approx(40.0, rel=0.05)
    assert rates.std() < 5.0                          # 500 x 50 ms: sd about 1.3 Hz


def test_decoding_projection_checks_its_populations():
    spiking = ann.PoissonPopulation(2, rates=10.0)
    rate = ann.Population(2, ann.LeakyIntegrator)
    with pytest.raises(ann.NetworkError, match="must be spiking"):
        ann.DecodingProjection(rate, rate, "exc")
    with pytest.raises(ann.NetworkError, match="must be rate-coded"):
        ann.DecodingProjection(spiking, spiking, "exc")
    with pytest.raises(ann.NetworkError, match="at least one step"):
        ann.DecodingProjection(spiking, rate, "exc", window=0.3)
    ann.Projection(spiking, rate, "exc").connect_all_to_all(1.0)      # events into rates
    with pytest.raises(ann.NetworkError, match="use a DecodingProjection"):
        ann.compile()

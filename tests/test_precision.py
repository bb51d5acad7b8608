"""``setup(precision="float")``: state, weights and sums stored and computed in float32.

The same networks run in double and in single precision: accessors, monitors and saved
files give float32 arrays, and the values stay within float32's tolerance of double (the
networks are chosen so that rounding does not change a spike).
"""

import numpy as np
import pytest

import annbook as ann
from annbook.config import reset_config
from annbook.core.network import global_network
from small_models import stdp_synapse

LEAKY = ann.Neuron(parameters="tau = 10.0\nb = 0.0",
                   equations="tau * dr/dt + r = sum(exc) + b + 0.05 * sin(t / 7.0) : min=0.0")
OJA = ann.Synapse(parameters="eta = 0.01 : projection\nalpha = 2.0 : projection",
                  equations="dw/dt = eta * (pre.r * post.r - alpha * post.r^2 * w)")
COBA = ann.Neuron(
    parameters="tau = 20.0 : population\nI = 20.0",
    equations="""
        tau * dv/dt = (-60.0 - v) + g_exc * (0.0 - v) + g_inh * (-80.0 - v) + I
        tau * 0.25 * dg_exc/dt = -g_exc
        tau * 0.5 * dg_inh/dt = -g_inh
    """, spike="v > -50.0", reset="v = -60.0", refractory=5.0)
STDP = stdp_synapse()


def rate_run(precision):
    ann.clear()
    reset_config()
    ann.setup(dt=1.0, precision=precision, seed=1)
    rng = np.random.default_rng(1)
    source = ann.TimedArray(rates=rng.uniform(0.0, 1.0, (20, 200)), period=9.0)
    pop = ann.Population(150, LEAKY)
    pop.b = rng.uniform(-0.1, 0.2, pop.size)
    dense = ann.Projection(source, pop, "exc", OJA)
    dense.connect_all_to_all(ann.Uniform(0.0, 0.02))
    sparse = ann.Projection(source, pop, "exc")
    sparse.connect_fixed_probability(0.2, ann.Uniform(0.0, 0.02), delays=ann.Uniform(1.0, 4.0))
    m = ann.Monitor(pop, ["r", "sum(exc)"])
    ann.compile()
    ann.simulate(100.0)
    return {"r": pop.r, "recorded": m.get("r"), "sum": m.get("sum(exc)"),
            "w": np.array(dense.w), "dendrite": dense.dendrite(3).w,
            "sparse_w": np.concatenate(sparse.w)}


def spiking_run(precision):
    ann.clear()
    reset_config()
    ann.setup(dt=0.5, precision=precision, seed=2)
    rng = np.random.default_rng(2)
    pop = ann.Population(300, COBA)
    pop.v = rng.uniform(-60.0, -50.0, pop.size)
    exc = ann.Projection(pop[:240], pop, "exc")
    exc.connect_fixed_probability(0.05, 0.3)
    inh = ann.Projection(pop[240:], pop, "inh")
    inh.connect_fixed_probability(0.05, 2.0, delays=2.0)
    inputs = ann.SpikeSourceArray([np.arange(1.0 + k % 5, 200.0, 9.0 + k % 7).tolist()
                                   for k in range(50)])
    learning = ann.Projection(inputs, pop[:50], "exc", STDP)
    learning.connect_all_to_all(ann.Uniform(0.0, 0.2))
    spikes = ann.Monitor(pop, "spike")
    traces = ann.Monitor(pop[:5], ["v", "g_exc"])
    ann.compile()
    ann.simulate(200.0)
    return {"spikes": spikes.get("spike"), "v": traces.get("v"), "g": traces.get("g_exc"),
            "w": np.array(learning.w), "x": np.array(learning.x)}


def test_rate_coded_network_in_single_precision(tmp_path):
    double, single = rate_run("double"), rate_run("float")
    for name, value in single.items():
        assert np.asarray(value).dtype == np.float32, name
        assert np.asarray(double[name]).dtype == np.float64, name
        np.testing.assert_allclose(value, double[name], rtol=2e-4, atol=2e-5, err_msg=name)
    pop = global_network().populations[1]
    assert pop.r.dtype == np.float32 and pop.b.dtype == np.float32
    ann.save(str(tmp_path / "state.npz"))
    ann.simulate(5.0)
    ann.load(str(tmp_path / "state.npz"))
    assert pop.r.dtype == np.float32 and np.allclose(pop.r, single["r"])
    pop.b = np.linspace(0.0, 1.0, pop.size)            # float64 values are stored as float32
    assert pop.b.dtype == np.float32


def test_spiking_network_in_single_precision():
    double, single = spiking_run("double"), spiking_run("float")
    assert sum(map(len, single["spikes"].values())) > 100
    assert single.pop("spikes") == double.pop("spikes")
    for name, value in single.items():
        assert np.asarray(value).dtype == np.float32, name
        np.testing.assert_allclose(value, double[name], rtol=1e-3, atol=1e-4, err_msg=name)


def test_single_precision_computes_in_float32():
    """The generated code of a float network computes in float32: exp(1e-8) - 1 is 1e-8 in
    double and 0 in float (float32's exp of 1e-8 is 1)."""
    for precision, expected in (("double", 1e-8), ("float", 0.0)):
        ann.clear()
        reset_config()
        ann.setup(precision=precision)
        pop = ann.Population(4, ann.Neuron(parameters="e = 1e-8", equations="r = exp(e) - 1.0"))
        ann.compile()
        ann.simulate(1.0)
        assert pop.r[0] == pytest.approx(expected, abs=1e-12), precision
        assert "precision=" + precision in global_network()._structure()

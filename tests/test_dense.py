"""Dense layouts (``core/dense.py``): the same network stored densely and sparsely.

Each network is built twice on the same connectivity, once with the storage the reference
chooses for it (dense for all-to-all) and once with ``storage_format="csr"`` (sparse loops);
the runs, the accessors (``w``, dendrites, save/load) and the monitors must agree. Spiking
networks agree spike for spike and value for value; a dense weighted sum adds a row in
another order (blocks of 16), so rate-coded values agree within rounding.
"""

import numpy as np
import pytest

import annbook as ann
from annbook.config import reset_config
from annbook.core.network import global_network
from small_models import stdp_synapse

LEAKY = ann.Neuron(parameters="tau = 10.0\nb = 0.0",
                   equations="tau * dr/dt + r = sum(exc) - sum(inh) + b : min=0.0")
OJA = ann.Synapse(parameters="eta = 0.01 : projection\nalpha = 2.0 : projection",
                  equations="""
                      dw/dt = eta * (pre.r * post.r - alpha * post.r^2 * w)
                      trace = mean(post.r) : postsynaptic
                  """)
LIF = ann.Neuron(parameters="tau = 20.0 : population\nI = 21.0",
                 equations="""
                     tau * dv/dt = -60.0 - v + g_exc * (0.0 - v) + g_inh * (-80.0 - v) + I
                     tau * 0.25 * dg_exc/dt = -g_exc
                     tau * 0.5 * dg_inh/dt = -g_inh
                 """, spike="v > -50.0", reset="v = -60.0", refractory=3.0)
STDP = stdp_synapse()


def fresh():
    ann.clear()
    reset_config()


def rate_network(storage, delays):
    """All-to-all from a timed input (static, learning, per-synapse delays) and from a view
    of a population onto a view of another (ranks not starting at 0)."""
    fresh()
    ann.setup(dt=1.0, seed=3)
    rng = np.random.default_rng(3)
    source = ann.TimedArray(rates=rng.uniform(0.0, 1.0, (25, 40)), period=5.0)
    pop = ann.Population(37, LEAKY)
    pop.b = rng.uniform(-0.2, 0.3, pop.size)
    static = ann.Projection(source, pop, "exc")
    static.connect_all_to_all(ann.Uniform(0.0, 0.05), delays=delays, storage_format=storage)
    learning = ann.Projection(source[5:30], pop[3:30], "inh", OJA)
    learning.connect_all_to_all(ann.Uniform(0.0, 0.05), storage_format=storage)
    rates = ann.Monitor(pop, ["r", "sum(exc)"])
    weights = ann.Monitor(learning.dendrite(4), "w")
    ann.compile()
    return {"pop": pop, "static": static, "learning": learning, "rates": rates,
            "weights": weights}


def spiking_network(storage):
    """All-to-all static (one delay) and with STDP, all-to-all without self-connections
    (padded layout)."""
    fresh()
    ann.setup(dt=0.5, seed=5)
    rng = np.random.default_rng(5)
    pop = ann.Population(120, LIF)
    pop.v = rng.uniform(-60.0, -50.0, pop.size)
    pop.I = rng.uniform(19.0, 22.0, pop.size)
    inputs = ann.SpikeSourceArray([sorted(rng.choice(np.arange(0.5, 100.0, 0.5), 10,
                                                     replace=False).tolist()) for _ in range(30)])
    static = ann.Projection(inputs, pop[10:110], "exc")
    static.connect_all_to_all(ann.Uniform(0.0, 0.4), delays=2.0, storage_format=storage)
    learning = ann.Projection(inputs, pop[:100], "exc", STDP)      # others spike too
    learning.connect_all_to_all(ann.Uniform(0.0, 0.3), storage_format=storage)
    recurrent = ann.Projection(pop[100:], pop[100:], "inh")
    recurrent.connect_all_to_all(ann.Uniform(0.0, 0.5), storage_format=storage)
    spikes = ann.Monitor(pop, "spike")
    traces = ann.Monitor(pop[:10], ["v", "g_exc"])
    synapses = ann.Monitor(learning.dendrite(7), ["w", "x"])
    ann.compile()
    return {"pop": pop, "static": static, "learning": learning, "recurrent": recurrent,
            "spikes": spikes, "traces": traces, "synapses": synapses}


def layouts(net):
    return [p._dense for p in global_network().projections]


@pytest.mark.parametrize("delays", [2.0, ann.Uniform(1.0, 4.0)], ids=["one", "per-synapse"])
def test_rate_coded_dense_equals_sparse(delays, tmp_path):
    results = {}
    for storage in (None, "csr"):
        net = rate_network(storage, delays)
        results[storage] = dict(layouts=layouts(net))
        ann.simulate(30.0)
        net["static"].dendrite(3).w = np.linspace(0.0, 0.1, 40)     # an accessor writes
        ann.simulate(20.0)
        learning = net["learning"]
        results[storage].update(
            r=net["rates"].get("r"), exc=net["rates"].get("sum(exc)"),
            w=np.array(learning.w), trace=learning.trace, dendrite=learning.dendrite(4).w,
            recorded=net["weights"].get("w"), static=np.array(net["static"].w),
            matrix=learning.connectivity_matrix())
        ann.save(str(tmp_path / f"{storage}.npz"))
        ann.simulate(5.0)
        ann.load(str(tmp_path / f"{storage}.npz"))
        results[storage]["loaded"] = np.array(learning.w)
        ann.simulate(5.0)
        results[storage]["after_load"] = net["pop"].r.copy()
    dense, sparse = results[None], results["csr"]
    assert dense.pop("layouts") == ["full", "full"] and sparse.pop("layouts") == ["", ""]
    for name in dense:
        np.testing.assert_allclose(dense[name], sparse[name], rtol=1e-10, atol=1e-13,
                                   err_msg=name)
    assert np.array_equal(dense["loaded"], dense["w"])


def test_spiking_dense_equals_sparse_spike_for_spike(tmp_path):
    results = {}
    for storage in (None, "csr"):
        net = spiking_network(storage)
        results[storage] = dict(layouts=layouts(net))
        ann.simulate(60.0)
        net["recurrent"].dendrite(105).w = 0.9                # refreshes the padded copy
        net["static"][14].w = np.linspace(0.0, 1.0, 30)
        ann.simulate(40.0)
        learning = net["learning"]
        results[storage].update(
            spikes=net["spikes"].get("spike"), v=net["traces"].get("v"),
            g=net["traces"].get("g_exc"), w=np.array(learning.w), x=np.array(learning.x),
            recorded=net["synapses"].get("w"), recorded_x=net["synapses"].get("x"),
            recurrent=np.array(net["recurrent"].w, dtype=object))
        learning.save(str(tmp_path / f"{storage}.npz"))
        ann.simulate(10.0)
        learning.load(str(tmp_path / f"{storage}.npz"))
        results[storage]["loaded"] = np.array(learning.w)
        ann.simulate(10.0)
        results[storage]["after"] = net["pop"].v.copy()
    dense, sparse = results[None], results["csr"]
    assert dense.pop("layouts") == ["full", "full", "padded"]
    assert sparse.pop("layouts") == ["", "", ""]
    assert dense.pop("spikes") == sparse.pop("spikes")
    assert sum(map(len, sparse.get("recorded", []))) > 0
    for name in dense:
        if name == "recurrent":
            for a, b in zip(dense[name], sparse[name]):
                assert np.array_equal(a, b)
            continue
        assert np.array_equal(dense[name], sparse[name]), name


def test_layouts_follow_the_pattern_and_the_format():
    """all-to-all: full; nearly full static spiking: padded; a sparse format or another
    pattern: the sparse loops; a dense format gives every synapse its weight."""
    fresh()
    a = ann.Population(50, LIF)
    b = ann.Population(40, LEAKY)
    full = ann.Projection(a[:25], a[25:], "exc")
    full.connect_all_to_all(0.5, storage_format="dense")
    single = ann.Projection(a[:25], a[25:], "inh")
    single.connect_all_to_all(0.5)
    nearly = ann.Projection(a, a, "inh")
    nearly.connect_fixed_probability(0.9, 0.5)
    sparse = ann.Projection(b, b, "exc")
    sparse.connect_fixed_probability(0.1, 0.5, storage_format="dense")
    asked = ann.Projection(b, b, "exc")
    asked.connect_all_to_all(0.5, storage_format="csr")
    ann.compile()
    assert [p._dense for p in (full, single, nearly, sparse, asked)] == \
        ["full", "full", "padded", "", ""]
    # the reference's semantics: a dense storage gives every synapse its own weight
    assert isinstance(full.w, list) and single.w == asked.w == 0.5
    fresh()
    b = ann.Population(40, LEAKY)
    with pytest.raises(ann.ANNarchyException, match="one-to-one"):
        ann.Projection(b, b, "inh").connect_one_to_one(1.0, storage_format="dense")

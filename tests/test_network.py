"""Network copies: independent state, time and monitors; one binary per structure."""

import numpy as np
import pytest

import annbook as ann

MODEL = ann.Neuron(parameters="tau = 10.0\nI = 1.0", equations="tau * dr/dt + r = I + sum(exc)")


def build():
    pop = ann.Population(20, MODEL, name="pop")
    proj = ann.Projection(pop, pop, "exc", ann.Hebb(eta=0.001))
    proj.connect_fixed_probability(0.3, weights=ann.Uniform(0.0, 0.05))
    monitor = ann.Monitor(pop, "r")
    return pop, proj, monitor


def test_copies_are_independent_and_share_the_binary():
    pop, proj, monitor = build()
    ann.compile()
    net = ann.Network(everything=True)
    net.compile()
    assert net.last_compile["key"] == ann.core.network.global_network().last_compile["key"]
    assert not net.last_compile["built"]
    copy = net.get(pop)
    copy.I = 3.0
    net.get(proj).w = 0.0
    net.simulate(10.0)
    ann.simulate(4.0)
    assert net.get_time() == 10.0 and ann.get_time() == 4.0
    assert pop.I[0] == 1.0 and np.all(copy.I == 3.0)
    assert np.concatenate(proj.w).max() > 0.0
    assert net.get(monitor).get("r").shape == (10, 20) and monitor.get("r").shape == (4, 20)
    net.disable_learning()
    before = np.concatenate(net.get(proj).w).copy()
    net.simulate(5.0)
    assert np.array_equal(np.concatenate(net.get(proj).w), before)
    assert proj._flags[3] == 1                          # the global network still learns


def test_get_on_every_kind_of_object_and_lists():
    pop, proj, monitor = build()
    net = ann.Network()
    net.add([pop, proj])
    net.add(monitor)
    copies = net.get([pop, proj, monitor])
    assert [type(c).__name__ for c in copies] == ["Population", "Projection", "Monitor"]
    assert copies[0] is not pop and copies[1].pre is copies[0]
    assert net.get_population("pop") is copies[0] and net.get_projection(proj.name) is copies[1]
    assert net.get_populations() == [copies[0]] and net.get_projections() == [copies[1]]
    assert net.get_monitors() == [copies[2]]


def test_connectors_are_redrawn_but_matrices_copied():
    ann.setup(seed=5)
    pop, proj, _ = build()
    fixed = ann.Projection(pop, pop, "inh")
    fixed.connect_from_matrix(np.arange(400.0).reshape(20, 20))
    first, second = ann.Network(everything=True), ann.Network(everything=True)
    assert first.get(proj).nb_synapses != second.get(proj).nb_synapses or \
        first.get(proj).pre_ranks != second.get(proj).pre_ranks
    assert np.array_equal(np.concatenate(first.get(fixed).w), np.concatenate(fixed.w))


def test_reset_options():
    pop, proj, monitor = build()
    net = ann.Network(everything=True)
    net.compile()
    copy, copy_proj = net.get(pop), net.get(proj)
    initial_w = np.concatenate(copy_proj.w).copy()
    net.simulate(20.0)
    net.reset(populations=True, projections=False)
    assert np.all(copy.r == 0.0) and net.get_time() == 0.0
    assert not np.array_equal(np.concatenate(copy_proj.w), initial_w)
    net.reset(projections=True, synapses=True)
    assert np.array_equal(np.concatenate(copy_proj.w), initial_w)
    assert net.get(monitor).get("r").shape == (0,)


def test_a_different_structure_compiles_its_own():
    pop, proj, _ = build()
    other = ann.Neuron(parameters="I = 1.0", equations="r = I + sum(exc)")
    ann.Population(3, other, name="other")
    ann.compile()
    net = ann.Network()
    net.add([pop, proj])
    net.compile()
    assert net.last_compile["key"] != ann.core.network.global_network().last_compile["key"]
    net.simulate(2.0)
    assert net.get_current_step() == 2


def test_module_functions_take_a_net_id():
    pop, proj, _ = build()
    net = ann.Network(everything=True)
    net.compile()
    ann.simulate(3.0, net_id=net.id)
    assert net.get_time() == 3.0 and ann.get_time(net_id=net.id) == 3.0
    assert ann.get_population("pop", net_id=net.id) is net.get(pop)


def test_errors():
    pop, proj, monitor = build()
    net = ann.Network()
    with pytest.raises(ann.ANNarchyException, match="never added"):
        net.get(pop)
    with pytest.raises(ann.ANNarchyException, match="add the population"):
        net.add(proj)
    net.add(pop)
    with pytest.raises(ann.ANNarchyException, match="already added"):
        net.add(pop)
    with pytest.raises(ann.ANNarchyException, match="before compile"):
        net.simulate(10.0)
    net.compile()
    with pytest.raises(ann.ANNarchyException, match="after compile"):
        net.add(monitor)
    with pytest.raises(ann.ANNarchyException, match="no network with id"):
        ann.simulate(1.0, net_id=42)


def test_clear_frees_every_network():
    pop, proj, _ = build()
    net = ann.Network(everything=True)
    copy = net.get(pop)
    ann.clear()
    with pytest.raises(ann.ANNarchyException, match="cleared"):
        copy.I = 2.0
    with pytest.raises(ann.ANNarchyException):
        net.compile()

"""Rate-coded projections: weighted sums, operations, delays, learning, dendrites."""

import numpy as np
import pytest

import annbook as ann

INPUT = ann.Neuron(parameters="r = 0.0", name="input")
READOUT = ann.Neuron(equations="r = sum(exc)\nall = sum()\ni = sum(inh)", name="readout")


def net(psp=None, operation="sum", weights=None, pre_rates=(1.0, 2.0, 3.0)):
    pre = ann.Population(len(pre_rates), INPUT)
    post = ann.Population(2, READOUT)
    pre.r = list(pre_rates)
    synapse = ann.Synapse(psp=psp, operation=operation) if psp or operation != "sum" else None
    proj = ann.Projection(pre, post, "exc", synapse)
    if weights is None:
        weights = np.array([[1.0, 2.0, 3.0], [0.5, 0.5, 0.5]])
    proj.connect_from_matrix(weights)
    return pre, post, proj


def test_weighted_sum_matches_hand_computation():
    pre, post, proj = net()
    ann.compile()
    ann.step()
    assert list(post.r) == pytest.approx([1 + 4 + 9, 3.0])
    assert list(post.sum("exc")) == pytest.approx([14.0, 3.0])
    assert list(post.all) == pytest.approx([14.0, 3.0])   # sum() adds every target


@pytest.mark.parametrize("operation,expected", [
    ("sum", [14.0, 3.0]), ("max", [9.0, 1.5]), ("min", [1.0, 0.5]), ("mean", [14 / 3, 1.0])])
def test_operations(operation, expected):
    pre, post, proj = net(psp="w * pre.r", operation=operation)
    ann.compile()
    ann.step()
    assert list(post.r) == pytest.approx(expected)


def test_custom_psp_uses_pre_and_post_values():
    pre, post, proj = net(psp="w * pre.r^2 + post.i")
    ann.compile()
    ann.step()
    assert list(post.r) == pytest.approx([1 + 8 + 27, 0.5 * 14])


def test_transmission_flag_and_disabled_post():
    pre, post, proj = net()
    ann.compile()
    proj.transmission = False
    ann.step()
    assert list(post.r) == [0.0, 0.0]
    proj.transmission = True
    ann.step()
    assert post.r[1] == pytest.approx(3.0)


PULSE = ann.Neuron(parameters="on = 3.0", equations="r = if t == on: 1.0 else: 0.0")


@pytest.mark.parametrize("delay", [0.0, 1.0, 4.0])
def test_uniform_delay_pulse_arrives_d_steps_later(delay):
    source = ann.Population(1, PULSE)
    post = ann.Population(1, READOUT)
    proj = ann.Projection(source, post, "exc")
    proj.connect_all_to_all(weights=1.0, delays=delay)
    m = ann.Monitor(post, "r")
    ann.compile()
    ann.simulate(12.0)
    arrivals = np.flatnonzero(m.get("r")[:, 0])
    assert list(arrivals) == [3 + max(1, int(delay))]      # as the reference: 1 step = none


def test_non_uniform_delays_per_synapse():
    source = ann.Population(3, PULSE)
    post = ann.Population(3, READOUT)
    proj = ann.Projection(source, post, "exc")
    proj.connect_one_to_one(weights=1.0, delays=ann.DiscreteUniform(1, 5))
    m = ann.Monitor(post, "r")
    ann.compile()
    delays = [float(d) for d in np.concatenate(proj.delay)]
    ann.simulate(15.0)
    arrivals = [int(np.flatnonzero(m.get("r", keep=True)[:, i])[0]) for i in range(3)]
    assert arrivals == [3 + max(1, int(d)) for d in delays]


def test_delays_can_grow_after_compile():
    source = ann.Population(1, PULSE)
    post = ann.Population(1, READOUT)
    proj = ann.Projection(source, post, "exc")
    proj.connect_all_to_all(weights=1.0, delays=1.0)
    m = ann.Monitor(post, "r")
    ann.compile()
    proj.delay = 6.0
    ann.simulate(15.0)
    assert list(np.flatnonzero(m.get("r")[:, 0])) == [9]


def hand_hebb(w, pre, post, eta, steps):
    for _ in range(steps):
        w = np.maximum(w + eta * np.outer(post, pre), 0.0)
    return w


def test_hebb_learning_against_hand_integration():
    pre = ann.Population(3, INPUT)
    post = ann.Population(2, INPUT)
    pre.r = [1.0, 0.5, 0.0]
    post.r = [2.0, 1.0]
    proj = ann.Projection(pre, post, "exc", ann.Hebb(eta=0.1))
    proj.connect_all_to_all(weights=0.0)
    ann.compile()
    ann.simulate(5.0)
    expected = hand_hebb(np.zeros((2, 3)), np.array([1.0, 0.5, 0.0]), np.array([2.0, 1.0]), 0.1, 5)
    assert np.array(proj.w) == pytest.approx(expected)
    assert proj.eta == pytest.approx(0.1)


def test_learning_switches_and_period():
    pre = ann.Population(1, INPUT)
    post = ann.Population(1, INPUT)
    pre.r, post.r = 1.0, 1.0
    proj = ann.Projection(pre, post, "exc", ann.Hebb(eta=1.0))
    proj.connect_all_to_all(weights=0.0)
    ann.compile()
    ann.disable_learning()
    ann.simulate(3.0)
    assert proj.w[0][0] == 0.0
    ann.enable_learning(period=2.0)
    ann.simulate(4.0)                        # updates at steps 4 and 6
    assert proj.w[0][0] == 2.0
    ann.enable_learning()
    proj.plasticity = False
    ann.simulate(2.0)
    assert proj.w[0][0] == 2.0


def test_oja_and_ibcm_semiglobal_threshold():
    pre = ann.Population(2, INPUT)
    post = ann.Population(1, INPUT)
    pre.r = [1.0, 1.0]
    post.r = 2.0
    oja = ann.Projection(pre, post, "exc", ann.Oja(eta=0.1, alpha=1.0))
    oja.connect_all_to_all(weights=0.5)
    bcm = ann.Projection(pre, post, "inh", ann.IBCM(eta=0.1, tau=10.0))
    bcm.connect_all_to_all(weights=0.5)
    ann.compile()
    ann.step()
    assert oja.w[0][0] == pytest.approx(0.5 + 0.1 * (2.0 - 4.0 * 0.5))
    theta = 4.0 * (1 - np.exp(-0.1))
    assert bcm.theta[0] == pytest.approx(theta)
    assert bcm.w[0][0] == pytest.approx(0.5 + 0.1 * 2.0 * (2.0 - theta))


def test_dendrites_and_accessors():
    pre, post, proj = net()
    assert proj.size == len(proj) == 2 and proj.nb_synapses == 6
    assert proj.post_ranks == [0, 1] and proj.nb_synapses_per_dendrite() == [3, 3]
    d = proj.dendrite(0)
    assert d is not None and d.size == 3 and d.pre_ranks == [0, 1, 2] and d.post_rank == 0
    assert list(d.w) == [1.0, 2.0, 3.0] and list(proj[1].w) == [0.5, 0.5, 0.5]
    d.w = [4.0, 5.0, 6.0]
    assert list(proj.w[0]) == [4.0, 5.0, 6.0]
    assert proj.synapse(2, 0).w == 6.0 and proj.synapse(5, 0) is None
    assert proj.connectivity_matrix().shape == (2, 3)
    assert list(proj.nb_efferent_synapses()) == [2, 2, 2]
    assert [dd.post_rank for dd in proj] == [0, 1]
    assert ann.get_projection(proj.name) is proj and ann.projections() == [proj]
    assert ann.projections(post=post, target="exc") == [proj]


def test_receptive_fields_in_geometry():
    pre = ann.Population((2, 2), INPUT)
    post = ann.Population((1, 2), READOUT)
    proj = ann.Projection(pre, post, "exc")
    proj.connect_all_to_all(weights=ann.Uniform(0.0, 1.0))
    fields = proj.receptive_fields()
    assert fields.shape == (2, 4)
    assert fields[:, 2:] == pytest.approx(proj.dendrite(1).receptive_field())


def test_monitor_on_sum_and_reset_of_synapses():
    pre, post, proj = net()
    m = ann.Monitor(post, "sum(exc)")
    ann.compile()
    proj.w = 2.0
    ann.simulate(2.0)
    assert m.get("sum(exc)")[-1] == pytest.approx([12.0, 12.0])
    ann.reset(projections=True, synapses=True)
    assert list(proj.w[0]) == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("psp,words", [("w * pre.nothing", "pre.nothing"),
                                        ("w * post.unknown", "post.unknown")])
def test_unknown_pre_or_post_attribute_names_the_projection(psp, words):
    pre, post, proj = net(psp=psp)
    with pytest.raises(ann.ModelError) as error:
        ann.compile()
    assert words in str(error.value) and proj.name in str(error.value)


def test_projection_errors():
    pre, post, proj = net()
    with pytest.raises(ann.ANNarchyException, match="already connected"):
        proj.connect_all_to_all(1.0)
    other = ann.Projection(pre, post, "inh")
    with pytest.raises(ann.ANNarchyException, match="connect"):
        ann.compile()
    with pytest.raises(ann.ANNarchyException, match="structural plasticity is not enabled"):
        other.start_creating()
    with pytest.raises(ann.ANNarchyException):
        ann.Projection(pre, 42, "exc")


def test_monitors_on_projections_and_dendrites():
    pre = ann.Population(2, INPUT)
    post = ann.Population(1, INPUT)
    pre.r, post.r = 1.0, 1.0
    proj = ann.Projection(pre, post, "exc", ann.Hebb(eta=1.0))
    proj.connect_all_to_all(weights=0.0)
    whole = ann.Monitor(proj, "w")
    one = ann.Monitor(proj.dendrite(0), "w", period=2.0)
    ann.compile()
    ann.simulate(3.0)
    assert whole.get("w").tolist() == [[[1.0, 1.0]], [[2.0, 2.0]], [[3.0, 3.0]]]
    assert one.get("w").tolist() == [[1.0, 1.0], [3.0, 3.0]]


def test_leaky_integrator_with_built_in_input():
    pre = ann.Population(1, INPUT)
    pre.r = 2.0
    post = ann.Population(1, ann.LeakyIntegrator(tau=10.0, B=0.5, T=1.0))
    ann.Projection(pre, post, "exc").connect_all_to_all(weights=1.0)
    ann.compile()
    ann.simulate(50.0)
    # exponential Euler is exact for a constant input: v = 2.5 (1 - e^(-50/10))
    assert post.v[0] == pytest.approx(2.5 * (1 - np.exp(-5.0)), rel=1e-9)
    assert post.r[0] == pytest.approx(post.v[0] - 1.0)


@pytest.mark.parametrize("extension", [".npz", ".gz", ".data"])
def test_save_connectivity_round_trip(tmp_path, extension):
    pre = ann.Population(30, INPUT)
    post = ann.Population(20, READOUT)
    first = ann.Projection(pre, post, "exc")
    first.connect_fixed_probability(0.3, weights=ann.Normal(0.0, 1.0),
                                    delays=ann.Uniform(1.0, 5.0))
    filename = str(tmp_path / ("conn" + extension))
    first.save_connectivity(filename)
    second = ann.Projection(pre, post, "inh")
    second.connect_from_file(filename)
    assert second.post_ranks == first.post_ranks
    assert [list(r) for r in second.pre_ranks] == [list(r) for r in first.pre_ranks]
    assert np.array_equal(np.concatenate(second.w), np.concatenate(first.w))
    assert np.array_equal(np.concatenate(second.delay), np.concatenate(first.delay))


def test_connect_with_func():
    def diagonal(pre, post, weight):
        lil = ann.LILConnectivity()
        for rank in range(post.size):
            lil.add(rank, [rank], [weight], [0])
        return lil

    pre = ann.Population(4, INPUT)
    post = ann.Population(4, READOUT)
    proj = ann.Projection(pre, post, "exc")
    proj.connect_with_func(method=diagonal, weight=0.5)
    assert proj.nb_synapses == 4 and proj.dendrite(2).pre_ranks == [2]

"""Convolution, Pooling, Copy and Transpose against scipy.signal and numpy on random inputs."""

import itertools
import warnings

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view
from scipy import signal

import annbook as ann
from annbook.errors import ArgumentError, ConvolutionError, NetworkError
from annbook.extensions.convolution import Convolution, Copy, Pooling, Transpose

INPUT = ann.Neuron(parameters="r = 0.0")
OUTPUT = ann.Neuron(equations="r = sum(exc)")
IAF = ann.Neuron(parameters="vt = 1 : population\nvr = 0 : population\nmask_tau = 20.0",
                 equations="dv/dt = g_exc : init = 0.0, min = -2.0\n"
                           "dmask/dt = -mask / mask_tau : init = 0.0",
                 spike="v > vt", reset="v = vr\nmask += 1.0 / mask_tau")
REDUCE = {"sum": np.sum, "max": np.max, "min": np.min, "mean": np.mean}


def padded(x, kernel, padding):
    """``x`` extended as the convolution sees it: (size - 1) // 2 before, the rest after."""
    widths = [((k - 1) // 2, k - 1 - (k - 1) // 2) for k in kernel]
    widths += [(0, 0)] * (x.ndim - len(kernel))
    if padding == "border":
        return np.pad(x, widths, mode="edge")
    return np.pad(x, widths, constant_values=padding)


def expected_convolution(x, weights, padding, stride, operation):
    """The cross-correlation of ``x`` with ``weights`` (same number of dimensions), one
    value per centre (every ``stride`` pre neurons, from (stride - 1) // 2)."""
    xp = padded(x, weights.shape, padding)
    if operation == "sum":
        full = signal.correlate(xp, weights, mode="valid")
    else:
        windows = sliding_window_view(xp, weights.shape)
        axes = tuple(range(x.ndim, 2 * x.ndim))
        full = REDUCE[operation](windows * weights, axis=axes)
    start = (stride - 1) // 2
    return full[tuple(slice(start, None, stride) for _ in range(x.ndim))]


def expected_pooling(x, extent, operation):
    """Blocks of ``extent``; a partial last block pools what it holds, mean divides by the
    extent's size."""
    blocks = [-(-n // e) for n, e in zip(x.shape, extent)]
    out = np.zeros(blocks)
    for index in itertools.product(*[range(b) for b in blocks]):
        block = x[tuple(slice(i * e, (i + 1) * e) for i, e in zip(index, extent))]
        out[index] = np.sum(block) / np.prod(extent) if operation == "mean" \
            else REDUCE[operation](block)
    return out


def run(steps=2):
    ann.compile()
    ann.simulate(steps)


# ------------------------------------------------------------------ convolution
def test_every_padding_and_stride_against_scipy_and_every_operation():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(12, 12))
    inp = ann.Population((12, 12), INPUT)
    cases = []
    combinations = list(itertools.product([(3, 3)], [0.0, 0.7, "border"], [1, 2, 3], ["sum"]))
    combinations += itertools.product([(4, 2)], [0.0, 0.7, "border"], [2], ["sum"])
    combinations += itertools.product([(1, 5)], [0.7, "border"], [1], ["max", "min", "mean"])
    for kernel, padding, stride, operation in combinations:
        weights = rng.normal(size=kernel)
        post = ann.Population((12 // stride, 12 // stride), OUTPUT)
        Convolution(inp, post, "exc", operation=operation).connect_filter(
            weights, padding=padding)
        cases.append((post, weights, padding, stride, operation))
    inp.r = x
    run()
    for post, weights, padding, stride, operation in cases:
        expected = expected_convolution(x, weights, padding, stride, operation)
        np.testing.assert_allclose(post.r, expected, atol=1e-12,
                                   err_msg=f"{weights.shape} {padding} {stride} {operation}")


def test_one_and_three_dimensional_filters():
    rng = np.random.default_rng(1)
    line = ann.Population(20, INPUT)
    cube = ann.Population((6, 5, 4), INPUT)
    out_line = ann.Population(10, OUTPUT)
    out_cube = ann.Population((6, 5, 4), OUTPUT)
    w1, w3 = rng.normal(size=5), rng.normal(size=(3, 2, 3))
    Convolution(line, out_line, "exc").connect_filter(w1, padding="border")
    Convolution(cube, out_cube, "exc").connect_filter(w3, padding=-0.5)
    x1, x3 = rng.normal(size=20), rng.normal(size=(6, 5, 4))
    line.r, cube.r = x1, x3
    run()
    np.testing.assert_allclose(out_line.r, expected_convolution(x1, w1, "border", 2, "sum"))
    np.testing.assert_allclose(out_cube.r, expected_convolution(x3, w3, -0.5, 1, "sum"))


def test_keep_last_dimension_convolves_each_slice():
    rng = np.random.default_rng(2)
    inp = ann.Population((8, 8, 3), INPUT)
    out = ann.Population((4, 4, 3), OUTPUT)
    weights = rng.normal(size=(3, 3))
    proj = Convolution(inp, out, "exc")
    proj.connect_filter(weights, keep_last_dimension=True, padding="border")
    x = rng.normal(size=(8, 8, 3))
    inp.r = x
    run()
    for c in range(3):
        np.testing.assert_allclose(out.r[:, :, c],
                                   expected_convolution(x[:, :, c], weights, "border", 2, "sum"))


def test_a_post_population_without_the_last_dimension_reads_it_whole():
    rng = np.random.default_rng(3)
    inp = ann.Population((7, 7, 3), INPUT)
    out = ann.Population((7, 7), OUTPUT)
    weights = rng.normal(size=(3, 3, 3))
    Convolution(inp, out, "exc").connect_filter(weights)
    x = rng.normal(size=(7, 7, 3))
    inp.r = x
    run()
    expected = sum(signal.correlate(x[:, :, c], weights[:, :, c], mode="same") for c in range(3))
    np.testing.assert_allclose(out.r, expected, atol=1e-12)


@pytest.mark.parametrize("channels", [None, 2])
def test_bank_of_filters_fills_the_last_post_dimension(channels):
    rng = np.random.default_rng(4)
    shape = (10, 10) if channels is None else (10, 10, channels)
    inp = ann.Population(shape, INPUT)
    out = ann.Population((5, 5, 3), OUTPUT)
    weights = rng.normal(size=(3, 3, 3) + (() if channels is None else (channels,)))
    proj = Convolution(inp, out, "exc")
    proj.connect_filters(weights, padding="border")
    x = rng.normal(size=shape)
    inp.r = x
    run()
    for f in range(3):
        expected = expected_convolution(x, weights[f], "border", 2, "sum")
        if channels is not None:
            expected = expected[..., 0]          # the filter covers the channels whole
        np.testing.assert_allclose(out.r[:, :, f], expected, atol=1e-12)
    assert proj.weights.shape == weights.shape and proj.multiple
    assert proj.pre_coordinates[:3] == ([[0, 0, 0], [0, 0, 1], [0, 0, 2]] if channels is None
                                        else [[0, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 2]])


def test_subsampling_gives_the_centres():
    rng = np.random.default_rng(5)
    inp = ann.Population((6, 6), INPUT)
    out = ann.Population(3, OUTPUT)
    weights = rng.normal(size=(3, 3))
    centres = [[0, 0], [2, 3], [5, 5]]
    Convolution(inp, out, "exc").connect_filter(weights, subsampling=centres)
    x = rng.normal(size=(6, 6))
    inp.r = x
    run()
    full = signal.correlate(x, weights, mode="same")
    np.testing.assert_allclose(out.r, [full[0, 0], full[2, 3], full[5, 5]])


def test_delays_read_the_pre_population_of_earlier_steps():
    """As a regular projection with the same delay: the value a step leaves in the pre
    population reaches the post one ``delay`` steps later."""
    inp = ann.Population(5, INPUT)
    now = ann.Population(5, OUTPUT)
    late = ann.Population(5, OUTPUT)
    explicit = ann.Population(5, OUTPUT)
    Convolution(inp, now, "exc").connect_filter([1.0, 2.0, 1.0])
    Convolution(inp, late, "exc").connect_filter([1.0, 2.0, 1.0], delays=3.0)
    matrix = sum(np.eye(5, k=k) * w for k, w in ((-1, 1.0), (0, 2.0), (1, 1.0)))
    ann.Projection(inp, explicit, "exc").connect_from_matrix(
        np.where(matrix, matrix, None), delays=3.0)
    ann.compile()
    history = []
    for step in range(6):
        inp.r = np.arange(5) + 10.0 * step
        history.append(inp.r.copy())
        ann.simulate(1)
    expected = [signal.correlate(h, [1.0, 2.0, 1.0], mode="same") for h in history]
    np.testing.assert_allclose(now.r, expected[-1])
    np.testing.assert_allclose(late.r, expected[-4])
    np.testing.assert_allclose(late.r, explicit.r)


def test_spiking_populations_read_a_variable_and_receive_a_conductance():
    rng = np.random.default_rng(6)
    pre = ann.Population((6, 6), IAF)
    post = ann.Population((6, 6, 2), IAF)
    pooled = ann.Population((3, 3, 2), IAF)
    weights = rng.uniform(size=(2, 3, 3))
    Convolution(pre, post, "exc", psp="pre.mask * w").connect_filters(weights)
    Pooling(post, pooled, "exc", psp="pre.mask").connect_pooling(extent=(2, 2, 1))
    monitor = ann.Monitor(post, "g_exc")
    pooled_g = ann.Monitor(pooled, "g_exc")
    ann.compile()
    mask = rng.uniform(size=(6, 6))
    post_mask = rng.uniform(size=(6, 6, 2))
    pre.mask, post.mask = mask, post_mask
    ann.step()
    g = monitor.get("g_exc")[0].reshape(6, 6, 2)     # recorded after the transmission
    for f in range(2):
        np.testing.assert_allclose(g[:, :, f], signal.correlate(mask, weights[f], "same"))
    np.testing.assert_allclose(pooled_g.get("g_exc")[0].reshape(3, 3, 2),
                               expected_pooling(post_mask, (2, 2, 1), "max"))


def test_weights_change_after_compile_without_rebuilding():
    inp = ann.Population((5, 5), INPUT)
    out = ann.Population((5, 5), OUTPUT)
    proj = Convolution(inp, out, "exc")
    proj.connect_filter(np.ones((3, 3)))
    run(1)
    inp.r = 1.0
    proj.weights = np.full((3, 3), 2.0)
    ann.simulate(1)
    assert out.r[2, 2] == 18.0 and out.r[0, 0] == 8.0
    proj.w = 0.5
    ann.simulate(1)
    assert out.r[2, 2] == 4.5
    np.testing.assert_array_equal(proj.w, np.full((3, 3), 0.5))
    with pytest.raises(ConvolutionError, match=r"shape of the filter \(3, 3\)"):
        proj.weights = np.ones((2, 2))


def test_the_same_structure_at_other_sizes_reuses_the_binary():
    keys = []
    for size, kernel in ((8, (3, 3)), (12, (5, 5))):
        ann.clear()
        inp = ann.Population((size, size), INPUT)
        out = ann.Population((size // 2, size // 2), OUTPUT)
        Convolution(inp, out, "exc").connect_filter(np.ones(kernel), padding=0.1)
        ann.compile()
        keys.append(ann.core.network.global_network().last_compile["key"])
    assert keys[0] == keys[1]


def test_accessors_behave_as_in_the_reference(tmp_path):
    inp = ann.Population((4, 4), INPUT, name="inp")
    out = ann.Population((4, 4), OUTPUT, name="out")
    proj = Convolution(inp, out, "exc")
    assert proj.weights is None and proj.size == 0
    proj.connect_filter(np.ones((3, 3)))
    run(1)
    assert proj.nb_synapses == 0 and proj.size == 16 and len(proj) == 16
    assert proj.post_ranks == list(range(16)) and proj.attributes == ["w"]
    assert proj.nb_synapses_per_dendrite() == [0] * 16
    for call in (proj.connectivity_matrix, proj.receptive_fields,
                 lambda: proj.save(str(tmp_path / "c.npz")),
                 lambda: proj.load(str(tmp_path / "c.npz")),
                 lambda: proj.save_connectivity(str(tmp_path / "c.npz"))):
        with pytest.warns(UserWarning, match="Convolutional projections can not"):
            assert call() is None
    assert not (tmp_path / "c.npz").exists()
    with pytest.raises(NetworkError, match="has no dendrites"):
        proj.dendrite(0)
    inp.r = 1.0
    ann.simulate(1)
    ann.save(str(tmp_path / "net.npz"))         # the convolution is left out, as the reference
    saved = out.r.copy()
    ann.reset()
    ann.load(str(tmp_path / "net.npz"))
    np.testing.assert_array_equal(out.r, saved)
    assert proj.size_in_bytes() > 0 and "Convolution 'proj" in repr(proj)
    from annbook.jupyter.display import projection_html
    assert "(3, 3)" in projection_html(proj) and "not connected" not in projection_html(proj)


def test_network_copies_compute_the_same():
    rng = np.random.default_rng(7)
    inp = ann.Population((6, 6), INPUT)
    out = ann.Population((3, 3, 2), OUTPUT)
    pool = ann.Population((3, 3), OUTPUT)
    conv = Convolution(inp, out, "exc")
    conv.connect_filters(rng.normal(size=(2, 3, 3)))
    Pooling(inp, pool, "exc", operation="mean").connect_pooling()
    x = rng.normal(size=(6, 6))
    inp.r = x
    net = ann.Network(everything=True)
    net.compile()
    net.simulate(2)
    ann.compile()
    ann.simulate(2)
    np.testing.assert_allclose(net.get(out).r, out.r)
    np.testing.assert_allclose(net.get(pool).r, pool.r)
    np.testing.assert_array_equal(net.get(conv).weights, conv.weights)


# ------------------------------------------------------------------ pooling
def test_pooling_against_numpy():
    rng = np.random.default_rng(8)
    x = rng.normal(size=(7, 8))
    inp = ann.Population((7, 8), INPUT)
    cases = []
    for operation in ("max", "min", "mean"):
        for extent in ((1, 2), (2, 2), (3, 4), (2, 3)):
            blocks = tuple(-(-n // e) for n, e in zip(x.shape, extent))
            post = ann.Population(blocks, OUTPUT)
            Pooling(inp, post, "exc", operation=operation).connect_pooling(extent=extent)
            cases.append((post, extent, operation))
    whole = ann.Population(7, OUTPUT)
    Pooling(inp, whole, "exc", operation="max").connect_pooling(extent=(1, 8))
    inp.r = x
    run()
    for post, extent, operation in cases:
        np.testing.assert_allclose(post.r, expected_pooling(x, extent, operation),
                                   err_msg=f"{operation} {extent}")
    np.testing.assert_allclose(whole.r, x.max(axis=1))


def test_pooling_extent_from_the_geometries_and_in_three_dimensions():
    rng = np.random.default_rng(9)
    inp = ann.Population((6, 6, 3), INPUT)
    implicit = ann.Population((3, 2, 3), OUTPUT)
    Pooling(inp, implicit, "exc").connect_pooling()
    x = rng.normal(size=(6, 6, 3))
    inp.r = x
    run()
    np.testing.assert_allclose(implicit.r, expected_pooling(x, (2, 3, 1), "max"))


# ------------------------------------------------------------------ Copy and Transpose
def test_copy_reuses_weights_and_sees_their_changes():
    rng = np.random.default_rng(10)
    a = ann.Population(5, INPUT)
    b = ann.Population(4, OUTPUT)
    c = ann.Population(4, OUTPUT)
    proj = ann.Projection(a, b, "exc")
    proj.connect_fixed_probability(0.6, ann.Uniform(0.1, 1.0))
    copy = Copy(a, c, "exc", operation="max")
    copy.connect_copy(proj)
    x = rng.uniform(1, 2, size=5)
    a.r = x
    run(1)
    matrix = proj.connectivity_matrix()
    expected = [max((matrix[i] * x)[matrix[i] != 0], default=0.0) for i in range(4)]
    np.testing.assert_allclose(c.r, expected)
    proj.w = 3.0
    ann.simulate(1)
    expected = [max((3.0 * x)[matrix[i] != 0], default=0.0) for i in range(4)]
    np.testing.assert_allclose(c.r, expected)
    assert copy.nb_synapses == proj.nb_synapses
    assert copy.w[0].tolist() == proj.w[0].tolist()
    with pytest.raises(NetworkError, match="assign them there"):
        copy.w = 1.0


def test_copy_errors():
    a = ann.Population(5, INPUT)
    b = ann.Population(4, OUTPUT)
    other = ann.Population(3, OUTPUT)
    proj = ann.Projection(a, b, "exc")
    with pytest.raises(NetworkError, match="not connected"):
        Copy(a, b, "exc").connect_copy(proj)
    proj.connect_all_to_all(1.0)
    with pytest.raises(ConvolutionError, match="same geometries"):
        Copy(a, other, "exc").connect_copy(proj)
    conv = Convolution(a, b, "inh")
    with pytest.raises(ConvolutionError, match="only regular projections"):
        Copy(a, b, "exc").connect_copy(conv)
    with pytest.raises(ConvolutionError, match="existing Projection"):
        Copy(a, b, "exc").connect_copy("proj")


def test_transpose_rate_coded_sums_backwards():
    rng = np.random.default_rng(11)
    a = ann.Population(5, ann.Neuron(parameters="base = 0.0",
                                     equations="r = base + 0.0 * sum(fb)"))
    b = ann.Population(4, OUTPUT)
    proj = ann.Projection(a, b, "exc")
    proj.connect_fixed_probability(0.6, ann.Uniform(-1.0, 1.0))
    back = Transpose(proj, "fb")
    back.connect()
    run(1)
    b.r = rng.normal(size=4)
    previous = b.r.copy()
    ann.simulate(1)
    np.testing.assert_allclose(a.sum("fb"), proj.connectivity_matrix().T @ previous)
    assert back.nb_synapses == proj.nb_synapses
    assert back.nb_synapses_per_dendrite() == [n for n in proj.nb_efferent_synapses() if n]


def test_transpose_spiking_adds_the_weights_of_a_spike():
    pre = ann.Population(3, ann.Neuron(equations="dv/dt = g_exc - g_inh", spike="v > 1",
                                       reset="v = 0"))
    post = ann.Population(4, IAF)
    proj = ann.Projection(pre, post, "exc")
    proj.connect_from_matrix(np.arange(12.0).reshape(4, 3) / 100.0)
    back = Transpose(proj, "inh")
    back.connect()
    monitor = ann.Monitor(pre, "g_inh")
    ann.compile()
    post.v = [2.0, 0.0, 2.0, 0.0]         # posts 0 and 2 spike at the first step
    ann.simulate(2)
    g = monitor.get("g_inh")
    matrix = np.arange(12.0).reshape(4, 3) / 100.0
    np.testing.assert_allclose(g[1], matrix[0] + matrix[2])
    np.testing.assert_allclose(g[0], 0.0)


def test_transpose_errors():
    rate = ann.Population(3, INPUT)
    spiking = ann.Population(3, IAF)
    hybrid = ann.Projection(rate, spiking, "exc")
    with pytest.raises(ConvolutionError, match="rate-coded and a spiking"):
        Transpose(hybrid, "fb")
    delayed = ann.Projection(rate, ann.Population(3, OUTPUT), "exc")
    delayed.connect_all_to_all(1.0, delays=2.0)
    with pytest.raises(ConvolutionError, match="has delays"):
        Transpose(delayed, "fb").connect()


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("pre, post, weights, keep, match", [
    ((8, 8), (8, 8), (3, 3, 3), False, "connect_filters"),
    ((8, 8, 3), (8, 8, 3), (3, 3), False, "keep_last_dimension=True"),
    ((8, 8, 3), (8, 8, 2), (3, 3), True, "same size in the last one"),
    ((8, 8, 3), (8, 8), (3, 3, 2), False, "must be 3, not 2"),
    ((9, 9), (4, 4), (3, 3), False, "multiple of the post-synaptic one"),
    ((8, 8), (8, 8, 2), (3, 3), False, "more dimensions"),
])
def test_filters_that_do_not_fit(pre, post, weights, keep, match):
    proj = Convolution(ann.Population(pre, INPUT), ann.Population(post, OUTPUT), "exc")
    with pytest.raises(ConvolutionError, match=match):
        proj.connect_filter(np.ones(weights), keep_last_dimension=keep)


@pytest.mark.parametrize("pre, post, weights, match", [
    ((8, 8), (8, 8, 3), (2, 3, 3), "one neuron per filter"),
    ((8, 8, 2), (8, 8, 3), (3, 3, 3), "one dimension more"),
    ((8, 8, 2), (8, 8, 3), (3, 3, 3, 1), "must be 2, not 1"),
    ((8, 8), (3, 3, 3), (3, 3, 3), "multiple"),
])
def test_banks_that_do_not_fit(pre, post, weights, match):
    proj = Convolution(ann.Population(pre, INPUT), ann.Population(post, OUTPUT), "exc")
    with pytest.raises(ConvolutionError, match=match):
        proj.connect_filters(np.ones(weights))


def test_other_bad_convolution_arguments():
    inp, out = ann.Population((4, 4), INPUT), ann.Population((4, 4), OUTPUT)
    with pytest.raises(ConvolutionError, match="padding must be a number or 'border'"):
        Convolution(inp, out, "exc").connect_filter(np.ones((3, 3)), padding="edge")
    with pytest.raises(ConvolutionError, match="one number of milliseconds"):
        Convolution(inp, out, "exc").connect_filter(np.ones((3, 3)), delays=[1.0, 2.0])
    with pytest.raises(ConvolutionError, match="16 centres"):
        Convolution(inp, out, "exc").connect_filter(np.ones((3, 3)), subsampling=[[0, 0]])
    with pytest.raises(ConvolutionError, match="nested lists"):
        Convolution(inp, out, "exc").connect_filter([[1, 2], [3]])
    with pytest.raises(ConvolutionError, match="not a view"):
        Convolution(inp[0:4], out, "exc")
    unconnected = Convolution(inp, out, "exc")
    with pytest.raises(NetworkError, match=r"call its connect_filter\(\)"):
        ann.compile()
    unconnected.connect_filter(np.ones((3, 3)))
    with pytest.raises(NetworkError, match="already connected"):
        unconnected.connect_filter(np.ones((3, 3)))


@pytest.mark.parametrize("pre, post, extent, match", [
    ((8, 8), (3, 3), None, "not a multiple"),
    ((8, 8), (4, 4), (3, 3), "do not divide dimension 0"),
    ((8, 8), (4,), None, "same number of dimensions"),
    ((8, 8), (4,), (2, 4), "cover it whole"),
    ((8, 8), (4, 4), (2,), "2 positive sizes"),
])
def test_pooling_extents_that_do_not_divide(pre, post, extent, match):
    proj = Pooling(ann.Population(pre, INPUT), ann.Population(post, OUTPUT), "exc")
    with pytest.raises(ConvolutionError, match=match):
        proj.connect_pooling(extent=extent)


def test_other_bad_pooling_arguments():
    inp, out = ann.Population((4, 4), INPUT), ann.Population((2, 2), OUTPUT)
    with pytest.raises(ArgumentError, match="'max', 'mean' or 'min'"):
        Pooling(inp, out, "exc", operation="sum")
    with pytest.raises(ConvolutionError, match="has no weights"):
        Pooling(inp, out, "exc", psp="w * pre.r")
    with pytest.raises(ArgumentError, match="must be a tuple"):
        Pooling(inp, out, "exc").connect_pooling(extent=[2, 2])
    ann.clear()
    inp, out = ann.Population((4, 4), INPUT), ann.Population((2, 2), OUTPUT)
    proj = Pooling(inp, out, "exc")
    proj.connect_pooling()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run(1)
    with pytest.raises(AttributeError):
        proj.w

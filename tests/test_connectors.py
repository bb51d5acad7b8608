"""Connectivity layer: connector patterns, LIL, files and argument checks."""

import gzip
import pickle
import warnings

import numpy as np
import pytest

import annbook as ann
from annbook.core import connectivity as C
from annbook.core.connectivity import Connectivity, ConnectivityError, LILConnectivity
from annbook.errors import NetworkError


@pytest.fixture
def neuron():
    return ann.Neuron(equations="r = 0.0")


def pairs(conn):
    """Set of (post, pre) pairs."""
    return set(zip(conn.post_of_synapses().tolist(), conn.pre_ranks.tolist()))


def check_invariants(conn):
    conn.validate()
    assert conn.post_ranks.dtype == np.int64 and conn.pre_ranks.dtype == np.int64
    assert conn.row_ptr.dtype == np.int64 and conn.weights.dtype == np.float64
    assert conn.row_ptr[0] == 0 and conn.row_ptr[-1] == conn.nb_synapses
    assert np.all(np.diff(conn.row_ptr) > 0)
    assert np.all(np.diff(conn.post_ranks) > 0)
    for k in range(conn.size):
        assert np.all(np.diff(conn.pre_ranks[conn.row(k)]) > 0)
    assert conn.weights.size == conn.nb_synapses
    assert isinstance(conn.delays, float) or conn.delays.size == conn.nb_synapses


# ---------------------------------------------------------------------------
# Data structure
# ---------------------------------------------------------------------------
def test_connectivity_helpers():
    conn = Connectivity([1, 4], [0, 2, 5], [0, 3, 1, 2, 3], [1., 2., 3., 4., 5.], 1.5)
    assert conn.nb_synapses == 5 and conn.size == 2
    assert conn.row(1) == slice(2, 5)
    assert conn.row_of(4) == 1 and conn.row_of(2) is None
    np.testing.assert_array_equal(conn.post_of_synapses(), [1, 1, 4, 4, 4])
    pre_ptr, order = conn.pre_index(5)
    np.testing.assert_array_equal(pre_ptr, [0, 1, 2, 3, 5, 5])
    np.testing.assert_array_equal(order, [0, 2, 3, 1, 4])
    for p in range(5):
        assert np.all(conn.pre_ranks[order[pre_ptr[p]:pre_ptr[p + 1]]] == p)
    assert pre_ptr.dtype == np.int64 and order.dtype == np.int64
    twin = conn.copy()
    assert twin == conn and twin.weights is not conn.weights
    twin.weights[0] = 9.0
    assert twin != conn and conn.weights[0] == 1.0
    dense = conn.to_dense(5, 4)
    assert dense[4, 2] == 4.0 and np.isnan(dense[0, 0])
    np.testing.assert_array_equal(conn.delay_array(), np.full(5, 1.5))
    with pytest.raises(ConnectivityError, match="pre population of 3"):
        conn.pre_index(3)
    with pytest.raises(ConnectivityError, match="increase strictly within each row"):
        Connectivity([0], [0, 2], [3, 1], [1., 1.]).validate()


# ---------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------
def test_all_to_all_counts(neuron):
    pre = ann.Population(100, neuron)
    post = ann.Population(30, neuron)
    conn = C.all_to_all(pre, post, 0.5)
    check_invariants(conn)
    assert conn.nb_synapses == 3000 and conn.size == 30
    assert np.all(conn.weights == 0.5) and conn.delays == 0.0
    own = C.all_to_all(pre, pre, 1.0)
    check_invariants(own)
    assert own.nb_synapses == 100 * 99
    assert not any(a == b for a, b in pairs(own))
    allowed = C.all_to_all(pre, pre, 1.0, allow_self_connections=True)
    assert allowed.nb_synapses == 100 * 100


def test_all_to_all_views_of_one_population(neuron):
    pop = ann.Population(20, neuron)
    conn = C.all_to_all(pop[0:10], pop[5:15], 1.0)
    check_invariants(conn)
    # the reference removes self-connections for any views of the same population
    assert conn.nb_synapses == 10 * 10 - 5
    np.testing.assert_array_equal(conn.post_ranks, np.arange(5, 15))
    assert not any(a == b for a, b in pairs(conn))
    assert C.all_to_all(pop[0:10], pop[5:15], 1.0, allow_self_connections=True).nb_synapses == 100


def test_one_to_one(neuron):
    pre = ann.Population(50, neuron)
    post = ann.Population(50, neuron)
    conn = C.one_to_one(pre, post, weights=2.0, delays=3.0)
    check_invariants(conn)
    np.testing.assert_array_equal(conn.post_ranks, np.arange(50))
    np.testing.assert_array_equal(conn.pre_ranks, np.arange(50))
    assert conn.delays == 3.0 and np.all(conn.weights == 2.0)
    # views: rank i of the pre view onto rank i of the post view (population ranks)
    conn = C.one_to_one(pre[[7, 3, 9]], post[[20, 10, 30]])
    assert pairs(conn) == {(20, 7), (10, 3), (30, 9)}
    check_invariants(conn)
    # different sizes: a warning and the first pairs, like the reference
    with pytest.warns(UserWarning, match="different sizes"):
        conn = C.one_to_one(pre, ann.Population(10, neuron))
    assert conn.nb_synapses == 10


def test_fixed_probability_statistics(neuron):
    ann.setup(seed=1)
    pre = ann.Population(200, neuron)
    post = ann.Population(150, neuron)
    conn = C.fixed_probability(pre, post, 0.1, 1.0)
    check_invariants(conn)
    n, p = 200 * 150, 0.1
    assert abs(conn.nb_synapses - n * p) < 5 * np.sqrt(n * p * (1 - p))
    own = C.fixed_probability(pre, pre, 0.5, 1.0)
    assert not any(a == b for a, b in pairs(own))
    n = 200 * 199
    assert abs(own.nb_synapses - n / 2) < 5 * np.sqrt(n / 4)
    assert C.fixed_probability(pre, post, 0.0, 1.0).nb_synapses == 0
    assert C.fixed_probability(pre, post, 1.0, 1.0).nb_synapses == 200 * 150
    assert C.fixed_probability(pre, pre, 1.0, 1.0).nb_synapses == 200 * 199


def test_fixed_probability_same_draws_as_reference_order(neuron):
    """One row of uniform numbers per post neuron: same connectivity for the same seed."""
    pre = ann.Population(30, neuron)
    post = ann.Population(20, neuron)
    np.random.seed(5)
    conn = C.fixed_probability(pre, post, 0.3, 1.0)
    np.random.seed(5)
    expected = {(i, j) for i in range(20) for j, x in enumerate(np.random.random(30)) if x < 0.3}
    assert pairs(conn) == expected


def test_fixed_probability_views(neuron):
    pop = ann.Population(40, neuron)
    pre, post = pop[[30, 2, 17, 5]], pop[[8, 1, 25]]
    conn = C.fixed_probability(pre, post, 1.0, 1.0)
    check_invariants(conn)
    np.testing.assert_array_equal(conn.post_ranks, [1, 8, 25])
    np.testing.assert_array_equal(conn.pre_ranks[conn.row(0)], [2, 5, 17, 30])
    # two different views of one population keep self-connections (as in the reference)
    a, b = pop[0:10], pop[0:10]
    assert C.fixed_probability(a, b, 1.0, 1.0).nb_synapses == 100
    assert C.fixed_probability(a, a, 1.0, 1.0).nb_synapses == 90


@pytest.mark.parametrize("n_pre,number", [(100, 10), (100, 60), (30, 30)])
def test_fixed_number_pre(neuron, n_pre, number):
    ann.setup(seed=3)
    pre = ann.Population(n_pre, neuron)
    post = ann.Population(40, neuron)
    conn = C.fixed_number_pre(pre, post, number, 1.0)
    check_invariants(conn)
    assert conn.size == 40 and np.all(np.diff(conn.row_ptr) == number)
    if n_pre > number + 1:
        own = C.fixed_number_pre(pre, pre, number, 1.0)
        check_invariants(own)
        assert np.all(np.diff(own.row_ptr) == number)
        assert not any(a == b for a, b in pairs(own))


def test_fixed_number_pre_uniform_choice(neuron):
    ann.setup(seed=4)
    pre = ann.Population(10, neuron)
    conn = C.fixed_number_pre(pre, pre, 2, 1.0)   # sparse sampler, self excluded
    counts = np.zeros((10, 10))
    for _ in range(200):
        conn = C.fixed_number_pre(pre, pre, 2, 1.0)
        counts[conn.post_of_synapses(), conn.pre_ranks] += 1
    assert np.all(np.diag(counts) == 0)
    off = counts[~np.eye(10, dtype=bool)]
    expected = 200 * 2 / 9
    assert np.all(np.abs(off - expected) < 6 * np.sqrt(expected))


@pytest.mark.parametrize("n_post,number", [(100, 5), (100, 70), (20, 20)])
def test_fixed_number_post(neuron, n_post, number):
    ann.setup(seed=5)
    pre = ann.Population(60, neuron)
    post = ann.Population(n_post, neuron)
    conn = C.fixed_number_post(pre, post, number, 1.0)
    check_invariants(conn)
    assert np.all(np.bincount(conn.pre_ranks, minlength=60) == number)
    if n_post > number + 1:
        own = C.fixed_number_post(post, post, number, 1.0)
        check_invariants(own)
        assert np.all(np.bincount(own.pre_ranks, minlength=n_post) == number)
        assert not any(a == b for a, b in pairs(own))


def test_fixed_number_views(neuron):
    pop = ann.Population(50, neuron)
    pre, post = pop[10:20], pop[[45, 3, 30, 31]]
    conn = C.fixed_number_pre(pre, post, 4, 1.0)
    check_invariants(conn)
    np.testing.assert_array_equal(conn.post_ranks, [3, 30, 31, 45])
    assert set(conn.pre_ranks.tolist()) <= set(range(10, 20))
    conn = C.fixed_number_post(pre, post, 2, 1.0)
    check_invariants(conn)
    assert set(conn.post_ranks.tolist()) <= {3, 30, 31, 45}
    assert np.all(np.bincount(conn.pre_ranks, minlength=50)[10:20] == 2)


def normalized(geometry):
    grid = np.indices(geometry).reshape(len(geometry), -1).T.astype(float)
    return grid / (np.array(geometry, dtype=float) - 1)


def test_gaussian_profile(neuron):
    pre = ann.Population((10, 12), neuron)
    post = ann.Population((5, 6), neuron)
    amp, sigma, limit = 2.0, 0.25, 0.05
    conn = C.gaussian(pre, post, amp, sigma, limit=limit)
    check_invariants(conn)
    d2 = ((normalized((5, 6))[:, None, :] - normalized((10, 12))[None, :, :]) ** 2).sum(-1)
    value = amp * np.exp(-d2 / (2 * sigma ** 2))
    expected = value > limit * amp
    dense = conn.to_dense(post.size, pre.size, fill=0.0)
    border = np.abs(value - limit * amp) < 1e-5
    assert np.array_equal((dense != 0)[~border], expected[~border])
    np.testing.assert_allclose(dense[expected & ~border], value[expected & ~border], rtol=1e-6)
    # single precision, as in the reference
    assert np.all(conn.weights == conn.weights.astype(np.float32))
    # self-connections on the same population
    own = C.gaussian(pre, pre, 1.0, 0.1)
    assert not any(a == b for a, b in pairs(own))
    assert C.gaussian(pre, pre, 1.0, 0.1, allow_self_connections=True).nb_synapses == \
        own.nb_synapses + pre.size


def test_dog_profile(neuron):
    pre = ann.Population((8, 8), neuron)
    post = ann.Population((8, 8), neuron)
    ap, sp, an, sn, limit = 1.0, 0.15, 0.5, 0.4, 0.02
    conn = C.dog(pre, post, ap, sp, an, sn, limit=limit)
    check_invariants(conn)
    g = normalized((8, 8))
    d2 = ((g[:, None, :] - g[None, :, :]) ** 2).sum(-1)
    value = ap * np.exp(-d2 / (2 * sp ** 2)) - an * np.exp(-d2 / (2 * sn ** 2))
    expected = np.abs(value) > limit * abs(ap - an)
    border = np.abs(np.abs(value) - limit * abs(ap - an)) < 1e-5
    dense = conn.to_dense(64, 64, fill=np.nan)
    assert np.array_equal(~np.isnan(dense)[~border], expected[~border])
    np.testing.assert_allclose(dense[expected & ~border], value[expected & ~border],
                               rtol=1e-5, atol=1e-7)


def test_gaussian_one_dimension_and_views(neuron):
    pre = ann.Population(21, neuron)
    post = ann.Population(11, neuron)
    conn = C.gaussian(pre, post, 1.0, 0.1, limit=0.5)
    # post i sits at i/10, pre j at j/20: the closest pre is 2*i
    for k, post_rank in enumerate(conn.post_ranks):
        row = conn.pre_ranks[conn.row(k)]
        assert 2 * post_rank in row
        assert conn.weights[conn.row(k)][list(row).index(2 * post_rank)] == 1.0
    with pytest.raises(NetworkError, match="whole populations"):
        C.gaussian(pre[0:5], post, 1.0, 0.1)
    with pytest.raises(NetworkError, match="dimension"):
        C.dog(ann.Population((4, 4), neuron), post, 1.0, 0.1, 0.5, 0.3)


# ---------------------------------------------------------------------------
# Given matrices
# ---------------------------------------------------------------------------
def test_from_matrix_with_none(neuron):
    pre = ann.Population(3, neuron)
    post = ann.Population(2, neuron)
    weights = [[0.5, None, 0.0],
               [None, None, None]]
    conn = C.from_matrix(pre, post, weights)
    check_invariants(conn)
    # None creates no synapse, zero does
    assert pairs(conn) == {(0, 0), (0, 2)}
    np.testing.assert_array_equal(conn.weights, [0.5, 0.0])
    # pre_post: the first dimension is pre
    conn2 = C.from_matrix(pre, post, np.array(weights, dtype=object).T, pre_post=True)
    assert conn2 == conn
    # per-synapse delays from a matrix
    dense = np.arange(6, dtype=float).reshape(2, 3)
    conn3 = C.from_matrix(pre, post, dense, delays=dense + 1.0)
    np.testing.assert_array_equal(conn3.weights, np.arange(6))
    np.testing.assert_array_equal(conn3.delays, np.arange(6) + 1.0)
    # a delay matrix gives per-synapse delays, a number a single float
    conn4 = C.from_matrix(pre, post, dense, delays=np.full((2, 3), 2.0))
    assert isinstance(conn4.delays, np.ndarray) and np.all(conn4.delays == 2.0)
    assert C.from_matrix(pre, post, dense, delays=2).delays == 2.0


def test_from_matrix_round_trip_and_views(neuron):
    ann.setup(seed=8)
    pop = ann.Population(30, neuron)
    pre, post = pop[[4, 9, 2, 20]], pop[[15, 1, 7]]
    matrix = np.random.random((3, 4))
    conn = C.from_matrix(pre, post, matrix)
    check_invariants(conn)
    dense = conn.to_dense(30, 30)
    for i, rp in enumerate(post.ranks):
        for j, rq in enumerate(pre.ranks):
            assert dense[rp, rq] == matrix[i, j]
    assert conn.nb_synapses == 12


def test_from_sparse(neuron):
    from scipy import sparse
    pre = ann.Population(6, neuron)
    post = ann.Population(4, neuron)
    matrix = sparse.lil_matrix((6, 4))        # pre x post, as in the reference
    matrix[0, 1] = 0.5
    matrix[3, 1] = 1.5
    matrix[5, 3] = -2.0
    conn = C.from_sparse(pre, post, matrix, delays=2.0)
    check_invariants(conn)
    assert pairs(conn) == {(1, 0), (1, 3), (3, 5)}
    np.testing.assert_array_equal(conn.weights, [0.5, 1.5, -2.0])
    assert conn.delays == 2.0
    for kind in (sparse.csr_matrix, sparse.csc_matrix, sparse.coo_matrix):
        assert C.from_sparse(pre, post, kind(matrix), delays=2.0) == conn
    delays = sparse.lil_matrix((6, 4))
    delays[0, 1], delays[3, 1], delays[5, 3] = 1.0, 2.0, 3.0
    conn = C.from_sparse(pre, post, matrix, delays=delays)
    np.testing.assert_array_equal(conn.delays, [1.0, 2.0, 3.0])
    delays[2, 2] = 1.0
    with pytest.raises(NetworkError, match="same sparsity pattern"):
        C.from_sparse(pre, post, matrix, delays=delays)
    # round trip through the dense form
    coords = (conn.pre_ranks, conn.post_of_synapses())
    back = sparse.csr_matrix((conn.weights, coords), shape=(6, 4))
    back_delays = sparse.csr_matrix((conn.delays, coords), shape=(6, 4))
    assert C.from_sparse(pre, post, back, delays=back_delays) == conn
    # views: indices are positions in the views
    pop = ann.Population(10, neuron)
    small = sparse.csr_matrix(np.array([[1.0, 0.0], [0.0, 2.0]]))
    conn = C.from_sparse(pop[[8, 3]], pop[[5, 0]], small)
    assert pairs(conn) == {(5, 8), (0, 3)}
    assert conn.weights[conn.row_of(0)] == 2.0


# ---------------------------------------------------------------------------
# Distributions
# ---------------------------------------------------------------------------
def test_weights_and_delays_from_distributions(neuron):
    ann.setup(seed=11)
    pre = ann.Population(50, neuron)
    post = ann.Population(40, neuron)
    conn = C.all_to_all(pre, post, ann.Uniform(0.2, 0.4), delays=ann.Uniform(1.0, 5.0))
    check_invariants(conn)
    assert conn.weights.size == 2000 and np.unique(conn.weights).size > 1900
    assert conn.weights.min() >= 0.2 and conn.weights.max() <= 0.4
    assert isinstance(conn.delays, np.ndarray) and conn.delays.size == 2000
    assert conn.delays.min() >= 1.0 and conn.delays.max() <= 5.0
    for build in (lambda w, d: C.fixed_probability(pre, post, 0.2, w, d),
                  lambda w, d: C.fixed_number_pre(pre, post, 5, w, d),
                  lambda w, d: C.fixed_number_post(pre, post, 5, w, d),
                  lambda w, d: C.one_to_one(pre, pre, w, d)):
        conn = build(ann.Normal(1.0, 0.1), ann.DiscreteUniform(1, 4))
        check_invariants(conn)
        assert np.unique(conn.weights).size == conn.nb_synapses
        assert set(np.unique(conn.delays)) <= {1.0, 2.0, 3.0, 4.0}
    # delays from a distribution are at least dt (min is raised to dt, as in the reference)
    conn = C.all_to_all(pre, post, 1.0, delays=ann.Uniform(-5.0, 3.0))
    assert conn.delays.min() >= ann.dt()
    # a distribution always gives per-synapse delays (non-uniform in the reference), a number
    # a single float
    conn = C.all_to_all(pre, post, 1.0, delays=ann.DiscreteUniform(2, 2))
    assert isinstance(conn.delays, np.ndarray) and np.all(conn.delays == 2.0)
    assert isinstance(C.all_to_all(pre, post, 1.0, delays=2).delays, float)
    # gaussian delays
    conn = C.gaussian(ann.Population((5, 5), neuron), ann.Population((5, 5), neuron), 1.0,
                      0.3, delays=ann.Uniform(1.0, 2.0))
    assert conn.delays.size == conn.nb_synapses


def test_distribution_seed_reproducible(neuron):
    pre = ann.Population(30, neuron)
    post = ann.Population(30, neuron)
    ann.setup(seed=42)
    a = C.fixed_probability(pre, post, 0.3, ann.Uniform(0, 1), ann.Uniform(1, 3))
    ann.setup(seed=42)
    b = C.fixed_probability(pre, post, 0.3, ann.Uniform(0, 1), ann.Uniform(1, 3))
    assert a == b


# ---------------------------------------------------------------------------
# LIL and user functions
# ---------------------------------------------------------------------------
def probabilistic_pattern(pre, post, weight, probability):
    synapses = LILConnectivity()
    for post_rank in range(post.size - 1, -1, -1):        # any order of rows
        ranks = [r for r in range(pre.size) if np.random.random() < probability]
        synapses.add(post_rank, ranks[::-1], [weight] * len(ranks),
                     [float(post_rank % 3)] * len(ranks))
    return synapses


def test_lil_user_function(neuron):
    ann.setup(seed=2)
    pre = ann.Population(20, neuron)
    post = ann.Population(10, neuron)
    conn = C.with_func(pre, post, probabilistic_pattern, weight=0.7, probability=0.4)
    check_invariants(conn)
    assert np.all(conn.weights == 0.7)
    np.testing.assert_array_equal(conn.delays, (conn.post_of_synapses() % 3).astype(float))
    lil = probabilistic_pattern(pre, post, 0.7, 0.4)
    assert C.from_lil(lil).nb_synapses == lil.nb_synapses


def test_lil_merge_and_checks(neuron):
    lil = LILConnectivity()
    lil.add(3, [5, 1], [0.1, 0.2], [1.0])
    lil.add(0, [2], [1.0], [2.0])
    lil.add(3, [4], 0.3, 1.0)
    lil.add(7, [], [], [])                                   # empty rows are ignored
    conn = C.from_lil(lil)
    np.testing.assert_array_equal(conn.post_ranks, [0, 3])
    np.testing.assert_array_equal(conn.pre_ranks, [2, 1, 4, 5])
    np.testing.assert_array_equal(conn.weights, [1.0, 0.2, 0.3, 0.1])
    np.testing.assert_array_equal(conn.delays, [2.0, 1.0, 1.0, 1.0])
    # one delay per row, the same everywhere: a uniform delay; delays listed per synapse: not
    uniform = LILConnectivity()
    uniform.add(1, [0, 1], [1.0, 1.0], [2.0])
    uniform.add(0, [3], 1.0, 2.0)
    assert C.from_lil(uniform).delays == 2.0
    listed = LILConnectivity()
    listed.add(1, [0, 1], [1.0, 1.0], [2.0, 2.0])
    assert isinstance(C.from_lil(listed).delays, np.ndarray)
    lil.add(0, [2], [1.0], [2.0])
    with pytest.raises(NetworkError, match="more than once"):
        C.from_lil(lil)
    with pytest.raises(NetworkError, match="weights"):
        LILConnectivity().add(0, [1, 2, 3], [1.0, 2.0], [0.0])
    with pytest.raises(NetworkError, match="negative delay"):
        LILConnectivity().add(0, [1], [1.0], [-1.0])
    with pytest.raises(NetworkError, match="LILConnectivity"):
        C.with_func(ann.Population(3, neuron), ann.Population(3, neuron),
                    lambda pre, post: [(0, [1])])
    big = LILConnectivity()
    big.add(0, [50], [1.0], [0.0])
    with pytest.raises(NetworkError, match="outside the pre population"):
        C.with_func(ann.Population(3, neuron), ann.Population(3, neuron), lambda pre, post: big)


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("extension", [".npz", ".gz", ".data", ".mat"])
def test_save_load_round_trip(neuron, tmp_path, extension):
    ann.setup(seed=9)
    pre = ann.Population(40, neuron)
    post = ann.Population(25, neuron)
    cases = [
        C.fixed_probability(pre, post, 0.2, ann.Normal(0, 1), ann.Uniform(0.5, 4.0)),
        C.all_to_all(pre, post, 1.0 / 3.0, delays=2.5),
        C.fixed_number_pre(pre, post, 4, ann.Uniform(-1, 1)),   # equal rows: no 2D arrays
        C.fixed_probability(pre, post, 0.0, 1.0),               # empty
    ]
    for index, conn in enumerate(cases):
        filename = str(tmp_path / "sub" / f"c{index}{extension}")
        C.save(filename, conn)
        back = C.load(filename)
        assert back == conn
        assert type(back.delays) is type(conn.delays)


def test_load_reference_layout(tmp_path):
    """Files of the reference: rows as lists, single weight, delays in steps of dt."""
    ann.setup(dt=0.5)
    rows = np.empty(2, dtype=object)
    rows[0], rows[1] = [1, 3], [0, 2]
    data = {"name": "proj0", "post_ranks": [0, 4], "pre_ranks": np.array([[1, 3], [0, 2]],
                                                                           dtype=object),
            "w": np.array(0.5, dtype=object), "delay": np.array(4, dtype=object),
            "max_delay": 4, "uniform_delay": 4, "size": 2, "nb_synapses": 4}
    with gzip.open(tmp_path / "ref.gz", "wb") as handle:
        pickle.dump(data, handle)
    conn = C.load(str(tmp_path / "ref.gz"))
    assert pairs(conn) == {(0, 1), (0, 3), (4, 0), (4, 2)}
    assert np.all(conn.weights == 0.5) and conn.delays == 2.0
    data.update(w=np.array([[0.1, 0.2], [0.3, 0.4]], dtype=object),
                delay=np.array([[1, 2], [3, 4]], dtype=object), uniform_delay=-1)
    with gzip.open(tmp_path / "ref2.gz", "wb") as handle:
        pickle.dump(data, handle)
    conn = C.load(str(tmp_path / "ref2.gz"))
    np.testing.assert_array_equal(conn.weights, [0.1, 0.2, 0.3, 0.4])
    np.testing.assert_array_equal(conn.delays, [0.5, 1.0, 1.5, 2.0])


def test_npz_with_pickled_rows_is_refused_not_unpickled(tmp_path):
    """The reference's .npz stores rows as pickled objects: annbook never unpickles a .npz."""
    rows = np.empty(2, dtype=object)
    rows[0], rows[1] = [1, 3], [0, 2]
    np.savez_compressed(tmp_path / "ref.npz", post_ranks=[0, 4], pre_ranks=rows, w=rows,
                        delay=np.array(0, dtype=object), uniform_delay=0)
    with pytest.raises(NetworkError, match=r"'pre_ranks', 'w', 'delay' as pickled .*never "
                                           r"unpickles .*allow_pickle=True"):
        C.load(str(tmp_path / "ref.npz"))


def test_file_errors(tmp_path):
    with pytest.raises(NetworkError, match="no file"):
        C.load(str(tmp_path / "missing.npz"))
    (tmp_path / "junk.gz").write_bytes(b"not a gzip file")
    with pytest.raises(NetworkError, match="unable to read"):
        C.load(str(tmp_path / "junk.gz"))
    with open(tmp_path / "other.data", "wb") as handle:
        pickle.dump({"something": 1}, handle)
    with pytest.raises(NetworkError, match="no 'post_ranks'"):
        C.load(str(tmp_path / "other.data"))


# ---------------------------------------------------------------------------
# Matrix Market files and the sparse-matrix helpers
# ---------------------------------------------------------------------------
def test_matrix_market_round_trip(neuron, tmp_path):
    import scipy.io
    from scipy import sparse
    pre, post = ann.Population(6, neuron), ann.Population(4, neuron)
    weights = sparse.random(4, 6, density=0.4, random_state=3, format="coo")   # post x pre
    weights.data[0] = 0.0                          # a stored zero is a synapse too
    scipy.io.mmwrite(str(tmp_path / "w.mtx"), weights)
    proj = ann.Projection(pre, post, "exc")
    proj.connect_from_matrix_market(str(tmp_path / "w.mtx"))
    check_invariants(C.from_matrix_market(pre, post, str(tmp_path / "w.mtx")))
    assert proj.nb_synapses == weights.nnz
    np.testing.assert_allclose(proj.connectivity_matrix(), weights.toarray())
    assert proj.uniform_delay and proj.delay == 0.0
    dense = np.arange(24.0).reshape(4, 6)
    scipy.io.mmwrite(str(tmp_path / "dense.mtx"), dense)
    full = ann.Projection(pre, post, "inh")
    full.connect_from_matrix_market(str(tmp_path / "dense.mtx"))
    assert full.nb_synapses == 24
    np.testing.assert_array_equal(full.connectivity_matrix(), dense)


def test_matrix_market_errors(neuron, tmp_path):
    import scipy.io
    pre, post = ann.Population(3, neuron), ann.Population(3, neuron)
    (tmp_path / "junk.mtx").write_text("not a matrix\n")
    (tmp_path / "w.txt").write_text("")
    scipy.io.mmwrite(str(tmp_path / "big.mtx"), np.ones((5, 3)))
    for name, message in (("junk.mtx", r"cannot read '.*junk.mtx' as a Matrix Market file "
                                       r"\(ValueError: .*banner"),
                          ("w.txt", "expected a Matrix Market file ending in .mtx"),
                          ("missing.mtx", "no file"),
                          ("big.mtx", r"\(5 x 3, rows = post, columns = pre\) has a synapse "
                                      r"with post rank 3, which is not in the post side")):
        proj = ann.Projection(pre, post, "exc")
        with pytest.raises(NetworkError, match=message):
            proj.connect_from_matrix_market(str(tmp_path / name))
        assert proj._connectivity is None


def test_sparse_random_matrix_statistics():
    ann.setup(seed=4)
    matrix = ann.sparse_random_matrix(300, 200, 0.1, 0.5)
    assert matrix.format == "lil" and matrix.shape == (300, 200)
    assert abs(matrix.nnz - 6000) < 4 * np.sqrt(6000 * 0.9)
    assert np.all(matrix.tocoo().data == 0.5)
    per_row = np.diff(matrix.tocsr().indptr)
    assert abs(per_row.var() - 200 * 0.1 * 0.9) < 4.0     # binomial counts per row
    drawn = ann.sparse_random_matrix(50, 40, 0.5, ann.Uniform(1.0, 2.0)).tocoo().data
    assert drawn.min() >= 1.0 and drawn.max() <= 2.0 and np.unique(drawn).size == drawn.size
    assert ann.sparse_random_matrix(5, 5, 0.0, 1.0).nnz == 0
    with pytest.raises(NetworkError, match="p must be a probability"):
        ann.sparse_random_matrix(5, 5, 1.5, 1.0)
    with pytest.raises(NetworkError, match="weight must be a number or a RandomDistribution"):
        ann.sparse_random_matrix(5, 5, 0.5, "heavy")


def test_sparse_delays_follow_the_weights_and_connect(neuron):
    ann.setup(seed=5)
    weights = ann.sparse_random_matrix(30, 20, 0.2, ann.Normal(0.0, 1.0))
    delays = ann.sparse_delays_from_weights(weights, ann.Uniform(1.0, 4.0))
    assert delays.shape == weights.shape
    assert np.array_equal(delays.tocsr().indices, weights.tocsr().indices)
    assert delays.tocoo().data.min() >= 1.0
    same = ann.sparse_delays_from_weights(weights, 0.0)   # zeros stay stored entries
    assert same.nnz == weights.nnz
    pre, post = ann.Population(30, neuron), ann.Population(20, neuron)
    proj = ann.Projection(pre, post, "exc")
    proj.connect_from_sparse(weights, delays=delays)
    np.testing.assert_allclose(proj.connectivity_matrix(), weights.toarray().T)
    dense_delays = np.zeros((20, 30))
    coo = delays.tocoo()
    dense_delays[coo.col, coo.row] = coo.data
    steps = np.round(dense_delays / ann.dt())
    rows = proj._connectivity
    for k, post_rank in enumerate(rows.post_ranks):
        got = proj.delay[k] / ann.dt()
        np.testing.assert_allclose(got, steps[post_rank, rows.pre_ranks[rows.row(k)]])
    with pytest.raises(NetworkError, match="must be a scipy sparse matrix"):
        ann.sparse_delays_from_weights(np.ones((2, 2)), 1.0)


def test_update_launch_config_has_no_effect(neuron):
    pre, post = ann.Population(3, neuron), ann.Population(3, neuron)
    proj = ann.Projection(pre, post, "exc")
    proj.connect_one_to_one(1.0)
    assert proj.update_launch_config(nb_blocks=4, threads_per_block=128) is None
    assert proj.update_launch_config() is None


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------
def test_bad_inputs(neuron):
    pre = ann.Population(10, neuron)
    post = ann.Population(5, neuron)
    with pytest.raises(NetworkError, match=r"shape \(5, 4\), expected \(5, 10\)"):
        C.from_matrix(pre, post, np.ones((5, 4)))
    with pytest.raises(NetworkError, match=r"expected \(10, 5\) \(pre x post\)"):
        C.from_matrix(pre, post, np.ones((5, 10)), pre_post=True)
    with pytest.raises(NetworkError, match="dense 2D matrix"):
        C.from_matrix(pre, post, [[1.0, 2.0], [1.0]])
    with pytest.raises(NetworkError, match="dense 2D matrix"):
        C.from_matrix(pre, post, np.ones(50))
    with pytest.raises(NetworkError, match="delay matrix"):
        C.from_matrix(pre, post, np.ones((5, 10)), delays=np.ones((10, 5)))
    with pytest.raises(NetworkError, match="connect_from_sparse"):
        from scipy import sparse
        C.from_matrix(pre, post, sparse.csr_matrix(np.ones((5, 10))))
    with pytest.raises(NetworkError, match=r"expected \(10, 5\) \(pre x post\)"):
        C.from_sparse(pre, post, sparse.csr_matrix(np.ones((5, 10))))
    with pytest.raises(NetworkError, match="scipy sparse matrix"):
        C.from_sparse(pre, post, np.ones((10, 5)))
    with pytest.raises(NetworkError, match="non-negative"):
        C.all_to_all(pre, post, 1.0, delays=-1.0)
    with pytest.raises(NetworkError, match="non-negative"):
        C.from_matrix(pre, post, np.ones((5, 10)), delays=-np.ones((5, 10)))
    with pytest.raises(NetworkError, match="need a maximum"):
        C.all_to_all(pre, post, 1.0, delays=ann.Normal(2.0, 1.0))
    with pytest.raises(NetworkError, match="delays must be a number"):
        C.all_to_all(pre, post, 1.0, delays="fast")
    with pytest.raises(NetworkError, match="weights must be a number or a RandomDistribution"):
        C.all_to_all(pre, post, "heavy")
    with pytest.raises(NetworkError, match="weights must be a number or a RandomDistribution"):
        C.fixed_probability(pre, post, 0.5, [1.0, 2.0])
    for probability in (-0.1, 1.5, "half", None):
        with pytest.raises(NetworkError, match=r"probability must be a number in \[0, 1\]"):
            C.fixed_probability(pre, post, probability, 1.0)
    with pytest.raises(NetworkError, match="larger than the pre-synaptic side"):
        C.fixed_number_pre(pre, post, 11, 1.0)
    with pytest.raises(NetworkError, match="at most 9"):
        C.fixed_number_pre(pre, pre, 10, 1.0)
    assert C.fixed_number_pre(pre, pre, 10, 1.0, allow_self_connections=True).nb_synapses == 100
    with pytest.raises(NetworkError, match="larger than the post-synaptic side"):
        C.fixed_number_post(pre, post, 6, 1.0)
    with pytest.raises(NetworkError, match="at most 9"):
        C.fixed_number_post(pre, pre, 10, 1.0)
    with pytest.raises(NetworkError, match="non-negative integer"):
        C.fixed_number_pre(pre, post, -1, 1.0)
    with pytest.raises(NetworkError, match="non-negative integer"):
        C.fixed_number_post(pre, post, 2.5, 1.0)
    with pytest.raises(NetworkError, match="sigma must not be zero"):
        C.gaussian(pre, pre, 1.0, 0.0)
    with pytest.raises(NetworkError, match="Population or a PopulationView"):
        C.all_to_all([1, 2, 3], post, 1.0)


def test_bad_views(neuron):
    pop = ann.Population(10, neuron)
    post = ann.Population(5, neuron)
    view = pop[0:3]
    view.ranks = np.array([1, 2, 12])        # corrupted view: rank outside the population
    with pytest.raises(NetworkError, match="rank 12, outside"):
        C.all_to_all(view, post, 1.0)
    with pytest.raises(NetworkError, match="same neuron several times"):
        C.one_to_one(pop[[1, 1, 2]], pop[[3, 4, 5]])


def test_errors_are_network_errors():
    assert issubclass(ConnectivityError, NetworkError)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Connectivity.empty().nb_synapses == 0

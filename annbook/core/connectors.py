"""Connector methods: build the :class:`Connectivity` of a projection.

Each function takes the pre- and post-synaptic Population or PopulationView and returns a
Connectivity whose ranks are ranks in the populations. They follow the behaviour of the
connectors of ANNarchy 4.8.2 (pattern, self-connections, which synapses exist, weights of the
Gaussian patterns), computed with vectorised numpy. Random draws come from numpy's global
generator (``np.random``), which ``setup(seed=...)`` seeds.

Self-connections (a synapse from a neuron onto itself) are removed unless
``allow_self_connections=True``, following the reference:

* ``all_to_all``: when pre and post belong to the same population (two views of one
  population included), the synapses whose pre rank equals the post rank are removed;
* ``fixed_probability``, ``fixed_number_pre``, ``fixed_number_post``, ``gaussian``, ``dog``:
  only when pre and post are the very same object (the same population, or the same view
  object); two different views of one population keep their self-connections;
* ``one_to_one``, ``from_matrix``, ``from_sparse``, ``from_matrix_market`` and user functions
  create exactly the synapses they describe.
"""

import copy
import math
import os
import warnings
from numbers import Integral, Real

import numpy as np

from .connectivity import Connectivity, ConnectivityError, from_coo, from_lil, _dt
from .random import DiscreteUniform, RandomDistribution

__all__ = ["all_to_all", "one_to_one", "fixed_probability", "fixed_number_pre",
           "fixed_number_post", "gaussian", "dog", "from_matrix", "from_sparse",
           "from_matrix_market", "with_func"]

# Random numbers (or distances) computed per block: bounds the memory of large patterns.
BLOCK_ELEMENTS = 1 << 22


# ---------------------------------------------------------------------------
# Arguments
# ---------------------------------------------------------------------------
def _is_number(value):
    return isinstance(value, (Real, np.integer, np.floating)) and \
        not isinstance(value, (bool, np.bool_))


def _ranks(obj, role, what):
    """(population, ranks in the population in the order of the view) of pre or post."""
    try:
        population = obj.population
        ranks = np.asarray(obj.ranks, dtype=np.int64).reshape(-1)
        population.size
    except AttributeError:
        raise ConnectivityError(f"{what}: {role} must be a Population or a PopulationView, "
                                f"got {type(obj).__name__}") from None
    if ranks.size:
        if ranks.min() < 0 or ranks.max() >= population.size:
            bad = int(ranks.max()) if ranks.max() >= population.size else int(ranks.min())
            raise ConnectivityError(f"{what}: the {role} view holds rank {bad}, outside its "
                                    f"population '{population.name}' (ranks 0.."
                                    f"{population.size - 1})")
        if np.unique(ranks).size != ranks.size:
            raise ConnectivityError(f"{what}: the {role} view holds the same neuron several "
                                    "times; expected distinct ranks")
    return population, ranks


def _is_sorted(ranks):
    return ranks.size < 2 or bool(np.all(ranks[1:] > ranks[:-1]))


def _check_weights(weights, what, name="weights"):
    if _is_number(weights) or isinstance(weights, RandomDistribution):
        return weights
    raise ConnectivityError(f"{what}: {name} must be a number or a RandomDistribution, got "
                            f"{type(weights).__name__} ({weights!r})")


def _draw(values, n, what, name="weights"):
    """One float64 value per synapse from a number or a distribution."""
    if isinstance(values, RandomDistribution):
        drawn = np.asarray(values.get_values(n), dtype=np.float64).reshape(-1)
        if drawn.size != n:
            raise ConnectivityError(f"{what}: {values!r} gave {drawn.size} {name} for {n} synapses")
        return drawn
    return np.full(n, float(values))


def _check_delays(delays, what):
    """Validate the delays argument; a distribution gets the bounds of the reference.

    As in ANNarchy, delays drawn from a distribution are at least dt (a missing or smaller
    ``min`` becomes dt, for integer distributions the first integer >= dt), and the
    distribution needs a ``max``. The user's object is not modified.
    """
    if _is_number(delays):
        if not np.isfinite(delays) or delays < 0:
            raise ConnectivityError(f"{what}: delays must be a non-negative number of ms, got "
                                    f"{delays}")
        return float(delays)
    if isinstance(delays, RandomDistribution):
        if getattr(delays, "max", None) is None:
            raise ConnectivityError(f"{what}: delays drawn from {delays!r} need a maximum; give "
                                    "the distribution a max= argument")
        step = _dt()
        bounded = copy.copy(delays)
        low = getattr(bounded, "min", None)
        if low is None or low < step:
            bounded.min = int(math.ceil(step)) if isinstance(bounded, DiscreteUniform) else step
        return bounded
    raise ConnectivityError(f"{what}: delays must be a number (ms) or a RandomDistribution, "
                            f"got {type(delays).__name__} ({delays!r})")


def _delays(checked, n, what):
    """A float for a number; one delay per synapse (an array) for a distribution."""
    if isinstance(checked, RandomDistribution):
        drawn = _draw(checked, n, what, "delays")
        if drawn.size and (not np.all(np.isfinite(drawn)) or drawn.min() < 0):
            raise ConnectivityError(f"{what}: {checked!r} drew negative or invalid delays")
        return drawn
    return checked


def _count(number, what, name="number"):
    if isinstance(number, (bool, np.bool_)) or not (
            isinstance(number, (Integral, np.integer))
            or (_is_number(number) and float(number).is_integer())):
        raise ConnectivityError(f"{what}: {name} must be a non-negative integer, got {number!r}")
    number = int(number)
    if number < 0:
        raise ConnectivityError(f"{what}: {name} must be a non-negative integer, got {number}")
    return number


def _assemble(post, pre, weights, delays, what, presorted):
    """Draw the values and build the CSR structure from one (post, pre) pair per synapse."""
    n = int(pre.size)
    return from_coo(post, pre, _draw(weights, n, what), _delays(delays, n, what),
                    presorted=presorted, what=what)


def _rows_of_blocks(n_rows, n_cols):
    step = max(1, BLOCK_ELEMENTS // max(1, n_cols))
    return ((start, min(n_rows, start + step)) for start in range(0, n_rows, step))


# ---------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------
def all_to_all(pre, post, weights, delays=0.0, allow_self_connections=False):
    """Every pre neuron connects every post neuron.

    Self-connections are removed when pre and post belong to the same population (also for
    two views of it) unless ``allow_self_connections``.
    """
    what = "connect_all_to_all()"
    pre_pop, pre_ranks = _ranks(pre, "pre", what)
    post_pop, post_ranks = _ranks(post, "post", what)
    _check_weights(weights, what)
    delays = _check_delays(delays, what)
    exclude = not allow_self_connections and pre_pop is post_pop
    pre_ranks, post_ranks = np.sort(pre_ranks), np.sort(post_ranks)
    n_pre, n_post = pre_ranks.size, post_ranks.size
    counts = np.full(n_post, n_pre, dtype=np.int64)
    if exclude:
        counts -= np.isin(post_ranks, pre_ranks)
    if n_pre == 0 or n_post == 0 or counts.sum() == 0:
        return Connectivity.empty(_delays(delays, 0, what))
    flat = np.tile(pre_ranks, n_post)
    if exclude:
        flat = flat[flat != np.repeat(post_ranks, n_pre)]
    rows = counts > 0
    row_ptr = np.zeros(int(rows.sum()) + 1, dtype=np.int64)
    np.cumsum(counts[rows], out=row_ptr[1:])
    n = int(flat.size)
    return Connectivity(post_ranks[rows], row_ptr, flat, _draw(weights, n, what),
                        _delays(delays, n, what))


def one_to_one(pre, post, weights=1.0, delays=0.0):
    """Neuron i of pre (in the order of the view) connects neuron i of post.

    As in ANNarchy, populations of different sizes only warn: the first
    ``min(pre.size, post.size)`` pairs are connected.
    """
    what = "connect_one_to_one()"
    _, pre_ranks = _ranks(pre, "pre", what)
    _, post_ranks = _ranks(post, "post", what)
    _check_weights(weights, what)
    delays = _check_delays(delays, what)
    if pre_ranks.size != post_ranks.size:
        warnings.warn(f"{what}: the pre ({pre_ranks.size} neurons) and post ({post_ranks.size} "
                      f"neurons) sides have different sizes; only the first "
                      f"{min(pre_ranks.size, post_ranks.size)} pairs are connected", stacklevel=2)
    n = min(pre_ranks.size, post_ranks.size)
    post_ranks, pre_ranks = post_ranks[:n], pre_ranks[:n]
    return _assemble(post_ranks, pre_ranks, weights, delays, what, _is_sorted(post_ranks))


def fixed_probability(pre, post, probability, weights, delays=0.0, allow_self_connections=False):
    """Each possible synapse exists independently with ``probability``.

    The draws follow the reference: for each post neuron (in the order of the view) one
    uniform number per pre neuron; a synapse exists where it is below ``probability``.
    Self-connections are removed only when pre and post are the same object.
    """
    what = "connect_fixed_probability()"
    _, pre_ranks = _ranks(pre, "pre", what)
    _, post_ranks = _ranks(post, "post", what)
    if not _is_number(probability) or not 0.0 <= probability <= 1.0:
        raise ConnectivityError(f"{what}: probability must be a number in [0, 1], got "
                                f"{probability!r}")
    _check_weights(weights, what)
    delays = _check_delays(delays, what)
    exclude = not allow_self_connections and pre is post
    n_pre, n_post = pre_ranks.size, post_ranks.size
    column_order = None if _is_sorted(pre_ranks) else np.argsort(pre_ranks)
    sorted_pre = pre_ranks if column_order is None else pre_ranks[column_order]
    pres, counts = [], []
    for start, stop in _rows_of_blocks(n_post, n_pre):
        chosen = np.random.random((stop - start, n_pre)) < probability
        if exclude:       # pre is post: the post of row i is the pre of column i
            rows = np.arange(stop - start)
            chosen[rows, rows + start] = False
        if column_order is not None:
            chosen = chosen[:, column_order]
        counts.append(np.count_nonzero(chosen, axis=1))
        pres.append(sorted_pre[np.nonzero(chosen)[1]])
    if not pres:
        return Connectivity.empty(_delays(delays, 0, what))
    counts = np.concatenate(counts)
    post_flat = np.repeat(post_ranks, counts)
    return _assemble(post_flat, np.concatenate(pres), weights, delays, what,
                     _is_sorted(post_ranks))


def _sample_distinct(n_rows, n, k, forbidden=None):
    """For each row, ``k`` distinct column indices in ``0..n-1`` drawn uniformly.

    ``forbidden[i]`` is a column that row ``i`` must not pick. Returns an (n_rows, k) array.
    """
    if k == 0 or n_rows == 0:
        return np.zeros((n_rows, k), dtype=np.int64)
    if 4 * k <= n:
        # Sparse: draw with replacement, then redraw the duplicated / forbidden entries. The
        # kept set is the first k distinct values of an i.i.d. sequence: a uniform subset.
        cols = np.random.randint(0, n, size=(n_rows, k)).astype(np.int64)
        while True:
            cols.sort(axis=1)
            bad = np.zeros(cols.shape, dtype=bool)
            bad[:, 1:] = cols[:, 1:] == cols[:, :-1]
            if forbidden is not None:
                bad |= cols == forbidden[:, None]
            nb_bad = int(np.count_nonzero(bad))
            if nb_bad == 0:
                return cols
            cols[bad] = np.random.randint(0, n, size=nb_bad)
    # Dense: the k smallest of n random keys per row (a uniform random subset).
    blocks = []
    for start, stop in _rows_of_blocks(n_rows, n):
        keys = np.random.random((stop - start, n))
        if forbidden is not None:
            keys[np.arange(stop - start), forbidden[start:stop]] = 2.0
        if k < n:
            blocks.append(np.argpartition(keys, k - 1, axis=1)[:, :k])
        else:
            blocks.append(np.broadcast_to(np.arange(n), (stop - start, n)))
    return np.concatenate(blocks).astype(np.int64)


def fixed_number_pre(pre, post, number, weights, delays=0.0, allow_self_connections=False):
    """Each post neuron receives synapses from ``number`` distinct pre neurons drawn at random.

    Self-connections are removed only when pre and post are the same object; then at most
    ``size - 1`` pre neurons can be chosen.
    """
    return _fixed_number(pre, post, number, weights, delays, allow_self_connections, "pre")


def fixed_number_post(pre, post, number, weights=1.0, delays=0.0, allow_self_connections=False):
    """Each pre neuron sends synapses to ``number`` distinct post neurons drawn at random.

    Self-connections are removed only when pre and post are the same object; then at most
    ``size - 1`` post neurons can be chosen.
    """
    return _fixed_number(pre, post, number, weights, delays, allow_self_connections, "post")


def _fixed_number(pre, post, number, weights, delays, allow_self_connections, drawn):
    """``number`` distinct partners drawn on side ``drawn`` for each neuron of the other side."""
    what = f"connect_fixed_number_{drawn}()"
    _, pre_ranks = _ranks(pre, "pre", what)
    _, post_ranks = _ranks(post, "post", what)
    number = _count(number, what)
    _check_weights(weights, what)
    delays = _check_delays(delays, what)
    exclude = not allow_self_connections and pre is post
    rows, pool = (post_ranks, pre_ranks) if drawn == "pre" else (pre_ranks, post_ranks)
    if number > pool.size:
        raise ConnectivityError(f"{what}: number ({number}) is larger than the {drawn}-synaptic "
                                f"side ({pool.size} neurons)")
    if exclude and rows.size and number > pool.size - 1:
        raise ConnectivityError(f"{what}: without self-connections each neuron can have at most "
                                f"{pool.size - 1} partners, got number={number}; "
                                "use allow_self_connections=True or a smaller number")
    cols = _sample_distinct(rows.size, pool.size, number,
                            np.arange(rows.size) if exclude else None)
    if drawn == "pre":
        pre_flat = np.sort(pre_ranks[cols], axis=1).reshape(-1)
        return _assemble(np.repeat(post_ranks, number), pre_flat, weights, delays, what,
                         _is_sorted(post_ranks))
    return _assemble(post_ranks[cols].reshape(-1), np.repeat(pre_ranks, number), weights,
                     delays, what, presorted=False)


# ---------------------------------------------------------------------------
# Distance-dependent patterns
# ---------------------------------------------------------------------------
def _normalized_coordinates(geometry):
    """Normalized coordinates (size x dims, float64) with the reference's rounding.

    Each coordinate is divided by (extent - 1) so that it lies in [0, 1] (0 for an extent of
    1). In 2 and 3 dimensions the reference keeps them in single precision, in 1 and more
    than 3 dimensions in double precision.
    """
    geometry = tuple(int(g) for g in geometry)
    size = int(np.prod(geometry))
    coords = np.unravel_index(np.arange(size), geometry)
    columns = []
    for c, extent in zip(coords, geometry):
        value = c / float(extent - 1) if extent > 1 else np.zeros(size)
        if len(geometry) in (2, 3):
            value = value.astype(np.float32).astype(np.float64)
        columns.append(value)
    return np.stack(columns, axis=1)


def _distance_setup(pre, post, what):
    for role, obj in (("pre", pre), ("post", post)):
        if getattr(obj, "population", None) is not obj:
            raise ConnectivityError(f"{what}: only possible between whole populations, the "
                                    f"{role} side is a {type(obj).__name__}")
    pre_coords = _normalized_coordinates(pre.geometry)
    post_coords = _normalized_coordinates(post.geometry)
    if post_coords.shape[1] < pre_coords.shape[1]:
        raise ConnectivityError(f"{what}: the post population has {post_coords.shape[1]} "
                                f"dimension(s) and the pre population {pre_coords.shape[1]}; "
                                "expected geometries with the same number of dimensions")
    # the reference compares the first dimensions of post with those of pre
    return pre_coords, post_coords[:, :pre_coords.shape[1]]


def _squared_distances(pre_coords, post_block):
    """Squared distances (rows: posts of the block), accumulated in single precision."""
    distance = np.zeros((post_block.shape[0], pre_coords.shape[0]), dtype=np.float32)
    for k in range(pre_coords.shape[1]):
        delta = pre_coords[None, :, k] - post_block[:, k, None]
        distance = (distance.astype(np.float64) + delta * delta).astype(np.float32)
    return distance.astype(np.float64)


def _distance_pattern(pre, post, delays, allow_self_connections, what, profile, keep):
    """Synapses where ``keep(profile(squared distance))``; weights are the profile values."""
    pre_coords, post_coords = _distance_setup(pre, post, what)
    delays = _check_delays(delays, what)
    exclude = not allow_self_connections and pre is post
    n_pre, n_post = pre_coords.shape[0], post_coords.shape[0]
    pres, counts, values = [], [], []
    for start, stop in _rows_of_blocks(n_post, n_pre):
        value = profile(_squared_distances(pre_coords, post_coords[start:stop]))
        chosen = keep(value)
        if exclude:
            rows = np.arange(stop - start)
            chosen[rows, rows + start] = False
        counts.append(np.count_nonzero(chosen, axis=1))
        pres.append(np.nonzero(chosen)[1])
        values.append(value[chosen])
    if not pres:
        return Connectivity.empty(_delays(delays, 0, what))
    post_flat = np.repeat(np.arange(n_post), np.concatenate(counts))
    pre_flat = np.concatenate(pres)
    weights = np.concatenate(values)
    return from_coo(post_flat, pre_flat, weights, _delays(delays, pre_flat.size, what),
                    presorted=True, what=what)


def _check_number(value, what, name):
    if not _is_number(value) or not np.isfinite(value):
        raise ConnectivityError(f"{what}: {name} must be a finite number, got {value!r}")
    return float(value)


def _squared_width(sigma, what, name):
    sigma = np.float32(_check_number(sigma, what, name))
    if sigma == 0:
        raise ConnectivityError(f"{what}: {name} must not be zero")
    return float(sigma * sigma)


def gaussian(pre, post, amp, sigma, delays=0.0, limit=0.01, allow_self_connections=False):
    """Gaussian weights on normalized coordinates.

    Pre and post must be whole populations. Each neuron's coordinates are normalized to
    [0, 1] in its own population (coordinate / (extent - 1)), so post neurons are mapped onto
    the pre space by their relative position. The weight of the synapse is
    ``amp * exp(-d2 / (2 sigma^2))`` with ``d2`` the squared distance over the dimensions of
    the pre population, and a synapse exists only if this weight is larger than
    ``limit * amp``. As in the reference the computation is in single precision (weights are
    float32 values). Self-connections are removed only when pre is post.
    """
    what = "connect_gaussian()"
    amp = float(np.float32(_check_number(amp, what, "amp")))
    width = 2.0 * _squared_width(sigma, what, "sigma")
    threshold = _check_number(limit, what, "limit") * amp

    def profile(d2):
        return (amp * np.exp(-d2 / width)).astype(np.float32).astype(np.float64)

    return _distance_pattern(pre, post, delays, allow_self_connections, what, profile,
                             lambda value: value > threshold)


def dog(pre, post, amp_pos, sigma_pos, amp_neg, sigma_neg, delays=0.0, limit=0.01,
        allow_self_connections=False):
    """Difference-of-Gaussians weights on normalized coordinates.

    The weight is ``amp_pos * exp(-d2 / (2 sigma_pos^2)) - amp_neg * exp(-d2 / (2
    sigma_neg^2))`` (see :func:`gaussian` for the coordinates), and a synapse exists only if
    ``|weight| > limit * |amp_pos - amp_neg|``.
    """
    what = "connect_dog()"
    amp_pos32 = np.float32(_check_number(amp_pos, what, "amp_pos"))
    amp_neg32 = np.float32(_check_number(amp_neg, what, "amp_neg"))
    width_pos = 2.0 * _squared_width(sigma_pos, what, "sigma_pos")
    width_neg = 2.0 * _squared_width(sigma_neg, what, "sigma_neg")
    threshold = _check_number(limit, what, "limit") * abs(float(amp_pos32 - amp_neg32))
    a_pos, a_neg = float(amp_pos32), float(amp_neg32)

    def profile(d2):
        value = a_pos * np.exp(-d2 / width_pos) - a_neg * np.exp(-d2 / width_neg)
        return value.astype(np.float32).astype(np.float64)

    return _distance_pattern(pre, post, delays, allow_self_connections, what, profile,
                             lambda value: np.abs(value) > threshold)


# ---------------------------------------------------------------------------
# Given synapses
# ---------------------------------------------------------------------------
def _dense(matrix, what, name):
    if isinstance(matrix, (list, tuple)):
        try:
            matrix = np.array(matrix)
        except ValueError:
            raise ConnectivityError(f"{what}: {name} must be a dense 2D matrix (lists of equal "
                                    "lengths)") from None
    if not isinstance(matrix, np.ndarray):
        raise ConnectivityError(f"{what}: {name} must be a 2D numpy array or a list of lists, "
                                f"got {type(matrix).__name__}")
    if matrix.ndim != 2:
        raise ConnectivityError(f"{what}: {name} must be a dense 2D matrix, got "
                                f"{matrix.ndim} dimension(s) (shape {matrix.shape})")
    return matrix


def _not_none(matrix):
    if matrix.dtype == object:
        return np.frompyfunc(lambda value: value is not None, 1, 1)(matrix).astype(bool)
    return np.ones(matrix.shape, dtype=bool)


def _as_floats(values, what, name):
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ConnectivityError(f"{what}: {name} must hold numbers (or None for no synapse)") \
            from None


def from_matrix(pre, post, weights, delays=0.0, pre_post=False):
    """Synapses from a dense matrix of weights.

    ``weights[i, j]`` is the weight from pre neuron j to post neuron i (rows and columns in
    the order of the views); with ``pre_post=True`` the matrix is (pre x post). A ``None``
    entry creates no synapse; every other value, zero included, creates one. ``delays`` is a
    number, a distribution, or a matrix of the same shape (read where a synapse exists).
    """
    what = "connect_from_matrix()"
    _, pre_ranks = _ranks(pre, "pre", what)
    _, post_ranks = _ranks(post, "post", what)
    if hasattr(weights, "tocsr") and hasattr(weights, "nnz"):
        raise ConnectivityError(f"{what}: weights is a sparse matrix; use connect_from_sparse()")
    weights = _dense(weights, what, "weights")
    delay_matrix = isinstance(delays, (list, tuple, np.ndarray)) and np.ndim(delays) > 0
    if delay_matrix:
        delays = _dense(delays, what, "delays")
    elif isinstance(delays, np.ndarray):
        delays = delays.item()
    if pre_post:
        weights = weights.T
        if delay_matrix:
            delays = delays.T
    expected = (post_ranks.size, pre_ranks.size)
    if weights.shape != expected:
        shown = (lambda s: s[::-1]) if pre_post else (lambda s: s)
        raise ConnectivityError(f"{what}: the weight matrix has the shape "
                                f"{shown(weights.shape)}, expected "
                                f"{shown(expected)} ({'pre x post' if pre_post else 'post x pre'})")
    if not delay_matrix:
        delays = _check_delays(delays, what)
    elif delays.shape != weights.shape:
        raise ConnectivityError(f"{what}: the delay matrix has the shape {delays.shape}, "
                                f"expected the shape of the weights {weights.shape}")
    exists = _not_none(weights)
    rows, cols = np.nonzero(exists)
    values = _as_floats(weights[exists], what, "weights")
    if delay_matrix:
        per_synapse = _as_floats(delays[exists] if delays.dtype == object else delays[exists],
                                 what, "delays (where a synapse exists)")
        if per_synapse.size and (not np.all(np.isfinite(per_synapse)) or per_synapse.min() < 0):
            raise ConnectivityError(f"{what}: delays must be non-negative numbers of ms")
        delays = per_synapse
    else:
        delays = _delays(delays, values.size, what)
    return from_coo(post_ranks[rows], pre_ranks[cols], values, delays,
                    presorted=_is_sorted(post_ranks) and _is_sorted(pre_ranks), what=what)


def _canonical_csc(matrix):
    from scipy import sparse
    matrix = sparse.csc_matrix(matrix, dtype=np.float64, copy=True)
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix


def from_sparse(pre, post, weights, delays=0.0):
    """Synapses from a scipy sparse matrix of weights.

    As in ANNarchy the matrix is (pre x post): ``weights[j, i]`` is the weight from pre
    neuron j to post neuron i (in the order of the views). Every stored entry creates a
    synapse (explicitly stored zeros too). ``delays`` is a number, a distribution, or a
    sparse matrix with the same shape and sparsity pattern.
    """
    what = "connect_from_sparse()"
    try:
        from scipy import sparse
    except ImportError:
        raise ConnectivityError(f"{what}: scipy is not installed") from None
    _, pre_ranks = _ranks(pre, "pre", what)
    _, post_ranks = _ranks(post, "post", what)
    if not sparse.issparse(weights):
        raise ConnectivityError(f"{what}: weights must be a scipy sparse matrix (pre x post), "
                                f"got {type(weights).__name__}")
    expected = (pre_ranks.size, post_ranks.size)
    if weights.shape != expected:
        raise ConnectivityError(f"{what}: the sparse matrix has the shape {weights.shape}, "
                                f"expected {expected} (pre x post)")
    matrix = _canonical_csc(weights)
    per_post = np.diff(matrix.indptr)
    post_index = np.repeat(np.arange(post_ranks.size), per_post)
    pre_index = matrix.indices.astype(np.int64)
    values = matrix.data
    if sparse.issparse(delays):
        if delays.shape != expected:
            raise ConnectivityError(f"{what}: the delay matrix has the shape {delays.shape}, "
                                    f"expected {expected} (pre x post)")
        delay_matrix = _canonical_csc(delays)
        if not (np.array_equal(delay_matrix.indptr, matrix.indptr)
                and np.array_equal(delay_matrix.indices, matrix.indices)):
            raise ConnectivityError(f"{what}: the delay matrix must have the same sparsity "
                                    "pattern as the weight matrix")
        if delay_matrix.nnz and delay_matrix.data.min() < 0:
            raise ConnectivityError(f"{what}: delays must be non-negative numbers of ms")
        delays = delay_matrix.data.copy()
    else:
        delays = _delays(_check_delays(delays, what), values.size, what)
    return from_coo(post_ranks[post_index], pre_ranks[pre_index], values, delays,
                    presorted=_is_sorted(post_ranks) and _is_sorted(pre_ranks), what=what)


def _matrix_market(filename, what):
    """The matrix of a .mtx file as (rows, columns, values, shape)."""
    from scipy import io, sparse
    if not str(filename).endswith(".mtx"):
        raise ConnectivityError(f"{what}: expected a Matrix Market file ending in .mtx, got "
                                f"'{filename}'")
    if not os.path.isfile(filename):
        raise ConnectivityError(f"{what}: no file '{filename}'")
    try:
        matrix = io.mmread(filename)
    except Exception as error:       # scipy's reader: ValueError, OSError, ... on a bad file
        raise ConnectivityError(f"{what}: cannot read '{filename}' as a Matrix Market file "
                                f"({type(error).__name__}: {error})") from None
    if np.iscomplexobj(matrix):
        raise ConnectivityError(f"{what}: '{filename}' holds complex values; weights must be "
                                "real numbers")
    if sparse.issparse(matrix):
        matrix = sparse.coo_matrix(matrix, dtype=np.float64)
        matrix.sum_duplicates()
        return matrix.row, matrix.col, matrix.data, matrix.shape
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim != 2:
        raise ConnectivityError(f"{what}: '{filename}' does not hold a 2D matrix")
    rows, cols = np.nonzero(np.ones(matrix.shape, dtype=bool))
    return rows, cols, matrix[rows, cols], matrix.shape


def from_matrix_market(pre, post, filename):
    """Synapses from a Matrix Market (.mtx) file of weights, for benchmarks (as the reference).

    Entry (i, j) is the weight from pre rank j to post rank i (ranks in the populations);
    every stored entry of a sparse (coordinate) file creates a synapse, every entry of a dense
    (array) file too. Delays are zero. Ranks outside the pre or post views raise an error.
    """
    what = "connect_from_matrix_market()"
    _, pre_ranks = _ranks(pre, "pre", what)
    _, post_ranks = _ranks(post, "post", what)
    rows, cols, values, shape = _matrix_market(filename, what)
    for role, ranks, used in (("post", post_ranks, rows), ("pre", pre_ranks, cols)):
        outside = used[~np.isin(used, ranks)]
        if outside.size:
            raise ConnectivityError(f"{what}: '{filename}' ({shape[0]} x {shape[1]}, rows = "
                                    f"post, columns = pre) has a synapse with {role} rank "
                                    f"{int(outside[0])}, which is not in the {role} side "
                                    f"'{(pre if role == 'pre' else post).name}'")
    return from_coo(rows, cols, values, 0.0, what=what)


def with_func(pre, post, method, **args):
    """Synapses from a user function ``method(pre, post, **args)`` returning a LILConnectivity.

    Ranks in the LILConnectivity are ranks in the populations; they are checked against the
    population sizes.
    """
    if not callable(method):
        raise ConnectivityError(f"connect_with_func(): the method must be a function "
                                f"method(pre, post, **args), got {method!r}")
    return from_lil(method(pre, post, **args), pre, post)

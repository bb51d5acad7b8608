"""Random sparse weight and delay matrices for ``connect_from_sparse`` (exports of the reference).

Both return scipy ``lil_matrix`` objects shaped (pre x post), the layout
``Projection.connect_from_sparse`` expects. Draws come from numpy's global generator, which
``setup(seed=...)`` seeds.
"""

import numpy as np

from .connectivity import ConnectivityError
from .connectors import _count, _draw, _is_number, _rows_of_blocks
from .random import RandomDistribution

__all__ = ["sparse_random_matrix", "sparse_delays_from_weights"]


def _values(value, n, what, name):
    if not (_is_number(value) or isinstance(value, RandomDistribution)):
        raise ConnectivityError(f"{what}: {name} must be a number or a RandomDistribution, got "
                                f"{type(value).__name__} ({value!r})")
    return _draw(value, n, what, name)


def sparse_random_matrix(pre, post, p, weight):
    """A (pre x post) ``lil_matrix`` where each entry exists with probability ``p``.

    ``pre`` and ``post`` are numbers of neurons; ``weight`` is a number or a RandomDistribution
    (one draw per entry). Each row holds a binomial number of distinct columns, as in the
    reference.
    """
    from scipy import sparse
    what = "sparse_random_matrix()"
    pre, post = _count(pre, what, "pre"), _count(post, what, "post")
    if not _is_number(p) or not 0.0 <= p <= 1.0:
        raise ConnectivityError(f"{what}: p must be a probability in [0, 1], got {p!r}")
    if not (_is_number(weight) or isinstance(weight, RandomDistribution)):
        raise ConnectivityError(f"{what}: weight must be a number or a RandomDistribution, got "
                                f"{type(weight).__name__} ({weight!r})")
    rows, cols = [], []
    for start, stop in _rows_of_blocks(pre, post):
        block_rows, block_cols = np.nonzero(np.random.random((stop - start, post)) < p)
        rows.append(block_rows + start)
        cols.append(block_cols)
    rows = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    cols = np.concatenate(cols) if cols else np.zeros(0, np.int64)
    values = _values(weight, rows.size, what, "weight")
    return sparse.coo_matrix((values, (rows, cols)), shape=(pre, post)).tolil()


def sparse_delays_from_weights(weight_matrix, delay):
    """A ``lil_matrix`` of delays (ms) with the entries of ``weight_matrix``.

    ``delay`` is a number or a RandomDistribution (one draw per entry). Every stored entry
    of the weight matrix gets a delay, so ``connect_from_sparse(weights, delays)`` accepts the
    pair.
    """
    from scipy import sparse
    what = "sparse_delays_from_weights()"
    if not sparse.issparse(weight_matrix):
        raise ConnectivityError(f"{what}: weight_matrix must be a scipy sparse matrix, got "
                                f"{type(weight_matrix).__name__}")
    entries = sparse.coo_matrix(weight_matrix)
    entries.sum_duplicates()
    values = _values(delay, entries.nnz, what, "delay")
    if values.size and (not np.all(np.isfinite(values)) or values.min() < 0):
        raise ConnectivityError(f"{what}: delays must be non-negative numbers of ms")
    return sparse.coo_matrix((values, (entries.row, entries.col)),
                             shape=entries.shape).tolil()

"""Connectivity of a projection: compressed sparse rows from post to pre.

A :class:`Connectivity` holds the synapses that a connector method created:
for each post-synaptic neuron that receives at least one synapse (its rank in
the post *population*, rows in increasing order), the ranks of its
pre-synaptic neurons (ranks in the pre *population*, increasing within a row),
one weight per synapse and the delays in ms (one number for all synapses, or
one value per synapse).

The connector methods (``all_to_all``, ``fixed_probability``, ...) live in
:mod:`annbook.core.connectors` and are re-exported here. This module also
holds :class:`LILConnectivity` (what user functions given to
``connect_with_func`` return) and the files of ``save_connectivity`` /
``connect_from_file``.
"""

from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np

from ..errors import NetworkError
from . import storage

__all__ = [
    "ConnectivityError", "Connectivity", "LILConnectivity", "from_lil", "from_coo", "save",
    "load",
    # re-exported from connectors
    "all_to_all", "one_to_one", "fixed_probability", "fixed_number_pre", "fixed_number_post",
    "gaussian", "dog", "from_matrix", "from_sparse", "from_matrix_market", "with_func",
]


class ConnectivityError(NetworkError):
    """Invalid arguments of a connector method or an invalid connectivity file."""


# ---------------------------------------------------------------------------
# The data structure
# ---------------------------------------------------------------------------
@dataclass(eq=False)
class Connectivity:
    """Compressed sparse rows, post-to-pre.

    Ranks are ranks in the pre/post POPULATIONS (not view-local).

    * ``post_ranks``: int64, strictly increasing; the posts with a dendrite: connectors give
      only posts with at least one synapse, structural plasticity may empty a row.
    * ``row_ptr``: int64, ``len(post_ranks) + 1`` entries, ``row_ptr[0] == 0``; the synapses
      of row ``k`` are ``row_ptr[k]:row_ptr[k+1]``.
    * ``pre_ranks``: int64 (int32 once a projection holds them), increasing within each row
      (no duplicates in a row).
    * ``weights``: float64, one per synapse.
    * ``delays``: a float (ms, the same delay for every synapse) or a float64 array (ms),
      one per synapse. As in the reference, delays given as a number are uniform (a float);
      delays drawn from a distribution or given as a matrix are per synapse (an array, even
      if the values happen to be equal); a LILConnectivity gives a float only when each row
      was added with a single delay and all are equal.
    """

    post_ranks: np.ndarray
    row_ptr: np.ndarray
    pre_ranks: np.ndarray
    weights: np.ndarray
    delays: object = 0.0

    def __post_init__(self):
        self.post_ranks = np.ascontiguousarray(self.post_ranks, dtype=np.int64).reshape(-1)
        self.row_ptr = np.ascontiguousarray(self.row_ptr, dtype=np.int64).reshape(-1)
        if not (isinstance(self.pre_ranks, np.ndarray) and self.pre_ranks.dtype == np.int32):
            self.pre_ranks = np.ascontiguousarray(self.pre_ranks, dtype=np.int64)
        self.pre_ranks = np.ascontiguousarray(self.pre_ranks).reshape(-1)
        self.weights = np.ascontiguousarray(self.weights, dtype=np.float64).reshape(-1)
        if isinstance(self.delays, (list, tuple)):
            self.delays = np.asarray(self.delays, dtype=np.float64)
        if isinstance(self.delays, np.ndarray) and self.delays.ndim > 0:
            self.delays = np.ascontiguousarray(self.delays, dtype=np.float64).reshape(-1)
        else:
            self.delays = float(self.delays)

    # ------------------------------------------------------------ sizes
    @property
    def nb_synapses(self):
        """Number of synapses."""
        return int(self.pre_ranks.size)

    @property
    def size(self):
        """Number of rows (post neurons with at least one synapse)."""
        return int(self.post_ranks.size)

    def __len__(self):
        return self.size

    def row(self, i):
        """Slice of the synapses of row ``i`` (the ``i``-th entry of ``post_ranks``)."""
        return slice(int(self.row_ptr[i]), int(self.row_ptr[i + 1]))

    def row_lengths(self):
        """Number of synapses of each row."""
        return np.diff(self.row_ptr)

    def row_of(self, post_rank):
        """Row index of a post rank, or None if that neuron receives no synapse."""
        index = int(np.searchsorted(self.post_ranks, post_rank))
        if index < self.size and self.post_ranks[index] == post_rank:
            return index
        return None

    def post_of_synapses(self):
        """Post rank of every synapse (int64, one per synapse)."""
        return np.repeat(self.post_ranks, np.diff(self.row_ptr))

    # ------------------------------------------------------------ delays
    @property
    def uniform_delay(self):
        """True when every synapse has the same delay (``delays`` is a float)."""
        return not isinstance(self.delays, np.ndarray)

    def delay_array(self):
        """Delays in ms, one per synapse (float64)."""
        if isinstance(self.delays, np.ndarray):
            return self.delays.copy()
        return np.full(self.nb_synapses, self.delays)

    @property
    def max_delay(self):
        """Largest delay in ms (the uniform delay if there is no synapse)."""
        if isinstance(self.delays, np.ndarray):
            return float(self.delays.max()) if self.delays.size else 0.0
        return self.delays

    # ------------------------------------------------------------ copies and indexes
    def copy(self):
        """Deep copy (new arrays)."""
        delays = self.delays.copy() if isinstance(self.delays, np.ndarray) else self.delays
        return Connectivity(self.post_ranks.copy(), self.row_ptr.copy(), self.pre_ranks.copy(),
                            self.weights.copy(), delays)

    def pre_index(self, n_pre, delays=None):
        """Index of the synapses by pre neuron (CSR by pre).

        Returns ``(pre_ptr, synapse_order)``: ``pre_ptr`` is int64 of ``n_pre + 1`` entries,
        and ``synapse_order[pre_ptr[p]:pre_ptr[p+1]]`` are the indices (into ``pre_ranks``,
        ``weights``...) of the synapses leaving pre rank ``p``, by increasing ``delays``
        (one per synapse) if given, then by increasing post rank.
        """
        n_pre = int(n_pre)
        if self.nb_synapses and self.pre_ranks.max() >= n_pre:
            raise ConnectivityError(f"pre_index(): pre rank {int(self.pre_ranks.max())} does not "
                                    f"fit in a pre population of {n_pre} neurons")
        counts = np.bincount(self.pre_ranks, minlength=n_pre)
        pre_ptr = np.zeros(n_pre + 1, dtype=np.int64)
        np.cumsum(counts, out=pre_ptr[1:])
        if delays is None:
            order = np.argsort(self.pre_ranks, kind="stable")
        else:
            order = np.lexsort((delays, self.pre_ranks))
        return pre_ptr, order.astype(np.int64, copy=False)

    def to_dense(self, n_post, n_pre, fill=np.nan):
        """Dense (n_post x n_pre) weight matrix, ``fill`` where there is no synapse."""
        dense = np.full((int(n_post), int(n_pre)), fill, dtype=np.float64)
        dense[self.post_of_synapses(), self.pre_ranks] = self.weights
        return dense

    # ------------------------------------------------------------ checks
    def validate(self, n_pre=None, n_post=None):
        """Check the invariants (and ranks against population sizes if given)."""
        problems = []
        nrows = self.post_ranks.size
        if self.row_ptr.size != nrows + 1:
            problems.append(f"row_ptr has {self.row_ptr.size} entries, expected {nrows + 1}")
        elif self.row_ptr[0] != 0 or self.row_ptr[-1] != self.pre_ranks.size \
                or np.any(np.diff(self.row_ptr) < 0):
            problems.append("row_ptr must start at 0, end at the number of synapses and never "
                            "decrease")
        if nrows > 1 and np.any(np.diff(self.post_ranks) <= 0):
            problems.append("post_ranks must increase strictly")
        if self.weights.size != self.pre_ranks.size:
            problems.append(f"{self.weights.size} weights for {self.pre_ranks.size} synapses")
        if isinstance(self.delays, np.ndarray):
            if self.delays.size != self.pre_ranks.size:
                problems.append(f"{self.delays.size} delays for {self.pre_ranks.size} synapses")
            elif self.delays.size and self.delays.min() < 0:
                problems.append("delays must not be negative")
        elif self.delays < 0:
            problems.append("delays must not be negative")
        if not problems and self.pre_ranks.size > 1:
            same_row = np.diff(self.post_of_synapses()) == 0
            if np.any(np.diff(self.pre_ranks)[same_row] <= 0):
                problems.append("pre_ranks must increase strictly within each row")
        if self.pre_ranks.size and (self.pre_ranks.min() < 0 or
                                    (n_pre is not None and self.pre_ranks.max() >= n_pre)):
            top = "n_pre-1" if n_pre is None else n_pre - 1
            problems.append(f"pre ranks must be in 0..{top}")
        if self.post_ranks.size and (self.post_ranks.min() < 0 or
                                     (n_post is not None and self.post_ranks.max() >= n_post)):
            top = "n_post-1" if n_post is None else n_post - 1
            problems.append(f"post ranks must be in 0..{top}")
        if problems:
            raise ConnectivityError("invalid connectivity: " + "; ".join(problems))
        return self

    def __eq__(self, other):
        """Exact equality of the structure, weights and delays."""
        if not isinstance(other, Connectivity):
            return NotImplemented
        if isinstance(self.delays, np.ndarray) != isinstance(other.delays, np.ndarray):
            return False
        return (np.array_equal(self.post_ranks, other.post_ranks)
                and np.array_equal(self.row_ptr, other.row_ptr)
                and np.array_equal(self.pre_ranks, other.pre_ranks)
                and np.array_equal(self.weights, other.weights, equal_nan=True)
                and (np.array_equal(self.delays, other.delays)
                     if isinstance(self.delays, np.ndarray) else self.delays == other.delays))

    __hash__ = None

    def __repr__(self):
        delays = f"{self.delays} ms" if self.uniform_delay else "per synapse"
        return (f"Connectivity({self.size} post neurons, {self.nb_synapses} synapses, "
                f"delays {delays})")

    @classmethod
    def empty(cls, delays=0.0):
        return cls(np.zeros(0, np.int64), np.zeros(1, np.int64), np.zeros(0, np.int64),
                   np.zeros(0, np.float64), delays)


def _collapse_delays(delays):
    """A float when every synapse has the same delay, else the float64 array."""
    delays = np.asarray(delays, dtype=np.float64).reshape(-1)
    if delays.size and np.all(delays == delays[0]):
        return float(delays[0])
    return delays


def from_coo(post, pre, weights, delays=0.0, presorted=False, what="connectivity"):
    """Connectivity from one (post, pre) pair per synapse, in any order.

    ``weights`` has one value per synapse, ``delays`` is a number or one value per synapse.
    Pairs declared twice raise a ConnectivityError. With ``presorted=True`` the pairs are
    already sorted by post rank, then pre rank.
    """
    post = np.asarray(post, dtype=np.int64).reshape(-1)
    pre = np.asarray(pre, dtype=np.int64).reshape(-1)
    weights = np.asarray(weights, dtype=np.float64).reshape(-1)
    per_synapse = isinstance(delays, np.ndarray) and delays.ndim > 0
    if per_synapse:
        delays = np.asarray(delays, dtype=np.float64).reshape(-1)
    if not (post.size == pre.size == weights.size and (not per_synapse or delays.size == pre.size)):
        raise ConnectivityError(f"{what}: ranks, weights and delays must have one value per "
                                "synapse")
    if not presorted and post.size > 1:
        order = np.lexsort((pre, post))
        if np.any(np.diff(order) != 1):
            post, pre, weights = post[order], pre[order], weights[order]
            if per_synapse:
                delays = delays[order]
    n = post.size
    if n > 1:
        same = (post[1:] == post[:-1]) & (pre[1:] == pre[:-1])
        if same.any():
            k = int(np.flatnonzero(same)[0])
            raise ConnectivityError(f"{what}: the synapse from pre rank {int(pre[k])} to post rank "
                                    f"{int(post[k])} is declared more than once")
    if n:
        starts = np.concatenate(([0], np.flatnonzero(post[1:] != post[:-1]) + 1))
        post_ranks = post[starts]
        row_ptr = np.append(starts, n)
    else:
        post_ranks, row_ptr = np.zeros(0, np.int64), np.zeros(1, np.int64)
    return Connectivity(post_ranks, row_ptr, pre, weights,
                        delays if per_synapse else float(delays))


# ---------------------------------------------------------------------------
# List of lists, filled by user connector functions
# ---------------------------------------------------------------------------
class LILConnectivity:
    """Synapses grouped by post neuron, built row by row by a user function.

    ``add(post_rank, ranks, weights, delays)`` declares the synapses received by one post
    neuron: the pre ranks (in the pre population), one weight per synapse (or a single weight
    for all of them) and one delay in ms per synapse (or a single delay for all of them).
    Rows without synapse are ignored, rows may be added in any order and a post neuron may be
    added several times (its synapses are merged) as long as no synapse is declared twice.
    """

    def __init__(self, dt=None):
        self.post_rank = []
        self.pre_rank = []
        self.w = []
        self.delay = []
        self.size = 0
        self.nb_synapses = 0
        self.requires_sorting = False
        self._single_delay = []     # rows given one delay for all their synapses
        self._dt = dt
        self._last_added = -1

    def add(self, post_rank, ranks, weights, delays=(0.0,)):
        """Add the synapses of one post neuron (delays in ms)."""
        post_rank = _as_rank(post_rank, "LILConnectivity.add(): post_rank")
        ranks = np.asarray(ranks)
        if ranks.size and not np.issubdtype(ranks.dtype, np.integer):
            if not np.issubdtype(ranks.dtype, np.floating) or np.any(ranks != np.round(ranks)):
                raise ConnectivityError("LILConnectivity.add(): ranks must be integers")
        ranks = ranks.astype(np.int64).reshape(-1)
        if ranks.size == 0:         # rows without synapse are ignored, as in the reference
            return
        weights = _float_list(weights, "weights")
        delays = _float_list(delays, "delays")
        if ranks.min() < 0:
            raise ConnectivityError("LILConnectivity.add(): pre ranks must not be negative")
        if weights.size not in (1, ranks.size):
            raise ConnectivityError(f"LILConnectivity.add(): {weights.size} weights for "
                                    f"{ranks.size} synapses of post neuron {post_rank}; expected "
                                    "one weight or one per synapse")
        if delays.size not in (1, ranks.size):
            raise ConnectivityError(f"LILConnectivity.add(): {delays.size} delays for "
                                    f"{ranks.size} synapses of post neuron {post_rank}; expected "
                                    "one delay or one per synapse")
        if delays.min() < 0:
            raise ConnectivityError(f"LILConnectivity.add(): negative delay for post neuron "
                                    f"{post_rank}; delays are in ms and must be >= 0")
        if post_rank < self._last_added:
            self.requires_sorting = True
        self._last_added = max(self._last_added, post_rank)
        self.post_rank.append(post_rank)
        self.pre_rank.append(ranks)
        self.w.append(np.broadcast_to(weights, ranks.shape).copy())
        self.delay.append(np.broadcast_to(delays, ranks.shape).copy())
        self._single_delay.append(delays.size == 1)
        self.size += 1
        self.nb_synapses += int(ranks.size)

    push_back = add

    def validate(self):
        """Check that no synapse is declared twice (raises ConnectivityError)."""
        from_lil(self)

    @property
    def max_delay(self):
        """Largest delay in steps of dt (as the reference reports it)."""
        step = _dt(self._dt)
        return max((int(round(float(d.max()) / step)) for d in self.delay), default=0)

    @property
    def uniform_delay(self):
        """The common delay in steps of dt, or -1 if the delays differ."""
        if not self.delay:
            return -1
        values = np.unique(np.concatenate(self.delay))
        return int(round(float(values[0]) / _dt(self._dt))) if values.size == 1 else -1

    def compute_average_row_length(self):
        lengths = np.array([r.size for r in self.pre_rank]) if self.pre_rank else np.zeros(1)
        return np.mean(lengths), np.std(lengths), np.amin(lengths), np.amax(lengths)

    def __repr__(self):
        return f"LILConnectivity({self.size} rows, {self.nb_synapses} synapses)"


def _as_rank(value, what):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (Integral, np.integer)):
        if isinstance(value, (Real, np.floating)) and float(value).is_integer():
            return int(value)
        raise ConnectivityError(f"{what} must be an integer rank, got {value!r}")
    return int(value)


def _float_list(values, what):
    try:
        array = np.asarray(values, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise ConnectivityError(f"LILConnectivity.add(): {what} must be numbers (a number or a "
                                f"list), got {values!r}") from None
    if array.size == 0:
        raise ConnectivityError(f"LILConnectivity.add(): no {what} given")
    return array


def _dt(dt=None):
    if dt is not None:
        return float(dt)
    from ..config import config
    return float(config["dt"])


def from_lil(lil, pre=None, post=None):
    """Connectivity from a LILConnectivity (rows are sorted and merged).

    With ``pre``/``post`` (populations or views) the ranks are checked against the sizes of
    their populations.
    """
    if not isinstance(lil, LILConnectivity):
        raise ConnectivityError("connect_with_func(): the method must return a LILConnectivity "
                                f"object, got {type(lil).__name__}")
    if not lil.post_rank:
        return Connectivity.empty()
    counts = np.array([r.size for r in lil.pre_rank], dtype=np.int64)
    post_flat = np.repeat(np.asarray(lil.post_rank, dtype=np.int64), counts)
    pre_flat = np.concatenate(lil.pre_rank)
    delays = np.concatenate(lil.delay)
    if all(lil._single_delay):      # the reference stores a uniform delay only in that case
        delays = _collapse_delays(delays)
    conn = from_coo(post_flat, pre_flat, np.concatenate(lil.w), delays, what="LILConnectivity")
    return _check_population_ranks(conn, pre, post)


def _check_population_ranks(conn, pre, post_obj):
    if conn.nb_synapses == 0:
        return conn
    if pre is not None:
        size = pre.population.size
        if conn.pre_ranks.max() >= size:
            raise ConnectivityError(f"pre rank {int(conn.pre_ranks.max())} is outside the pre "
                                    f"population '{pre.population.name}' (ranks 0..{size - 1})")
    if post_obj is not None:
        size = post_obj.population.size
        if conn.post_ranks[-1] >= size:
            raise ConnectivityError(f"post rank {int(conn.post_ranks[-1])} is outside the post "
                                    f"population '{post_obj.population.name}' "
                                    f"(ranks 0..{size - 1})")
    return conn


# ---------------------------------------------------------------------------
# Files: save_connectivity() / connect_from_file()
# ---------------------------------------------------------------------------
FORMAT_TAG = "annbook-connectivity-1"


def _rows(flat, row_ptr, dtype):
    """1-D object array holding one array per row (never a 2-D array)."""
    rows = np.empty(len(row_ptr) - 1, dtype=object)
    for k in range(len(row_ptr) - 1):
        rows[k] = np.asarray(flat[row_ptr[k]:row_ptr[k + 1]], dtype=dtype)
    return rows


def _file_data(conn, name, dt):
    """The dictionary written to files.

    The keys of the reference (``post_ranks``, ``pre_ranks`` and ``w`` per row, ``delay``,
    ``max_delay`` and ``uniform_delay`` in steps of dt, ``size``, ``nb_synapses``) come with
    the exact flat arrays of annbook (``annbook_*``; delays in ms) used to read the file back.
    """
    step = _dt(dt)
    if conn.uniform_delay:
        steps = int(round(conn.delays / step))
        delay, uniform, max_delay = steps, steps, steps
        delays_ms = np.array([conn.delays])
    else:
        steps = np.rint(conn.delays / step).astype(np.int64)
        delay = _rows(steps, conn.row_ptr, np.int64)
        uniform, max_delay = -1, int(steps.max()) if steps.size else 0
        delays_ms = conn.delays
    return {
        "name": name,
        "post_ranks": conn.post_ranks,
        "pre_ranks": _rows(conn.pre_ranks, conn.row_ptr, np.int64),
        "w": _rows(conn.weights, conn.row_ptr, np.float64),
        "delay": delay,
        "max_delay": max_delay,
        "uniform_delay": uniform,
        "size": conn.size,
        "nb_synapses": conn.nb_synapses,
        "dt": step,
        "annbook_format": FORMAT_TAG,
        "annbook_row_ptr": conn.row_ptr,
        "annbook_pre_ranks": conn.pre_ranks,
        "annbook_weights": conn.weights,
        "annbook_delays": np.asarray(delays_ms, dtype=np.float64),
        "annbook_uniform_delay": bool(conn.uniform_delay),
    }


def save(filename, connectivity, name="connectivity", dt=None):
    """Write a connectivity to a file; the format follows the extension.

    ``.npz``: compressed numpy archive; ``.gz``: gzipped pickle; ``.mat``: Matlab file
    (needs scipy); anything else: pickle. Missing folders are created. The file is written
    under a temporary name and renamed: a failed save leaves the previous file intact.
    """
    if not isinstance(connectivity, Connectivity):
        raise ConnectivityError("save(): expected a Connectivity, got "
                                f"{type(connectivity).__name__}")
    data = _file_data(connectivity, name, dt)
    if storage.extension(filename) == ".mat":
        data["annbook_uniform_delay"] = int(data["annbook_uniform_delay"])
    storage.write(filename, data, "save_connectivity()", create_folder=True)


def _scalar(value):
    value = np.asarray(value)
    return value.reshape(-1)[0].item() if value.size else None


def load(filename, pickle_encoding=None, dt=None):
    """Read a connectivity written by :func:`save` (or by the reference's save_connectivity).

    Files of annbook are read back exactly. Files of the reference hold the delays in steps
    of dt: they are converted with ``dt`` (default: the current ``setup(dt=...)``).
    ``.npz`` files are read without unpickling (the reference's ``.npz`` files store rows as
    pickled objects and are refused with an explanation); ``.gz`` and other pickle files run
    the code they hold when read: load them only from sources you trust.
    """
    data = storage.read(filename, pickle_encoding, "connect_from_file()")
    if not isinstance(data, dict):
        raise ConnectivityError(f"connect_from_file(): '{filename}' does not hold a "
                                f"connectivity (it holds a {type(data).__name__})")
    try:
        if "annbook_row_ptr" in data:
            storage.refuse_pickled(data, filename, "connect_from_file()",
                                   [k for k in data if k.startswith("annbook_")] + ["post_ranks"])
            conn = _load_annbook(data)
        else:
            storage.refuse_pickled(data, filename, "connect_from_file()")
            conn = _load_reference(data, dt)
    except NetworkError:
        raise
    except Exception as error:
        raise ConnectivityError(f"load(): '{filename}' does not hold a connectivity "
                                f"({type(error).__name__}: {error})") from None
    return conn.validate()


def _load_annbook(data):
    def flat(key, dtype):
        return np.asarray(data[key], dtype=dtype).reshape(-1)
    delays = flat("annbook_delays", np.float64)
    if bool(_scalar(data["annbook_uniform_delay"])):
        delays = float(delays[0])
    return Connectivity(flat("post_ranks", np.int64), flat("annbook_row_ptr", np.int64),
                        flat("annbook_pre_ranks", np.int64), flat("annbook_weights", np.float64),
                        delays)


def _load_reference(data, dt):
    for key in ("post_ranks", "pre_ranks", "w"):
        if key not in data:
            raise ConnectivityError(f"load(): the file has no '{key}' entry")
    post_ranks = np.asarray(data["post_ranks"], dtype=np.int64).reshape(-1)
    pre_rows = [np.asarray(r, dtype=np.int64).reshape(-1) for r in data["pre_ranks"]]
    if len(pre_rows) != post_ranks.size:
        raise ConnectivityError("load(): post_ranks and pre_ranks have different lengths")
    counts = np.array([r.size for r in pre_rows], dtype=np.int64)
    nb = int(counts.sum())
    w = data["w"]
    if np.ndim(w) == 0:      # a single weight shared by all synapses
        weights = np.full(nb, float(np.asarray(w).reshape(-1)[0]))
    else:
        weights = np.concatenate([np.asarray(r, dtype=np.float64).reshape(-1) for r in w]) \
            if len(w) else np.zeros(0)
    step = _dt(dt if dt is not None else (_scalar(data["dt"]) if "dt" in data else None))
    uniform = _scalar(data.get("uniform_delay", -1))
    delay = data.get("delay")
    if uniform is not None and uniform != -1:
        delays = float(uniform) * step
    elif delay is None or np.ndim(delay) == 0:
        delays = float(_scalar(delay) if delay is not None else 0) * step
    else:
        delays = np.concatenate([np.asarray(r, dtype=np.float64).reshape(-1) for r in delay]) \
            * step if len(delay) else 0.0
    post = np.repeat(post_ranks, counts)
    return from_coo(post, np.concatenate(pre_rows) if pre_rows else np.zeros(0, np.int64),
                    weights, delays, what="load()")


# the connector methods (imported last: they use the names above)
from .connectors import (all_to_all, one_to_one, fixed_probability, fixed_number_pre,  # noqa: E402
                         fixed_number_post, gaussian, dog, from_matrix, from_sparse,
                         from_matrix_market, with_func)

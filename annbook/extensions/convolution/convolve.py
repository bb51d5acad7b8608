"""Convolution: one filter, or a bank of filters, applied over the pre-synaptic population.

As in the reference the operation is a cross-correlation: post neuron ``k``, centred on the
pre coordinate ``c``, receives ``sum_o psp(w[o], pre at c + o - centre)`` with ``centre =
(size - 1) // 2`` in each filter dimension. Centres follow the geometries: in each dimension
the post population has, pre size / post size is the stride (the first centre is at
``(stride - 1) // 2``); a dimension the post population lacks is covered whole by the filter.
``subsampling`` gives the centres explicitly.
"""

import numpy as np

from ...core.arguments import number
from ...core.population import numpy_dtype
from ...errors import ConvolutionError
from .shared import SharedProjection, shared_synapse

__all__ = ["Convolution"]

MAX_DIMENSIONS = 4


def filter_centre(size):
    """Index of the element of a filter dimension that sits on the centre coordinate."""
    return (size - 1) // 2


def rank_strides(geometry):
    """How far apart, in ranks, neighbours along each dimension are (C order)."""
    return np.array([int(np.prod(geometry[d + 1:])) for d in range(len(geometry))],
                    dtype=np.int64)


def grid(ranges):
    """Every combination of the per-dimension coordinates, the last dimension fastest."""
    mesh = np.meshgrid(*[np.asarray(r, dtype=np.int64) for r in ranges], indexing="ij")
    return np.stack([m.reshape(-1) for m in mesh], axis=1)


class Convolution(SharedProjection):
    """Applies a filter (``connect_filter``) or a bank of filters (``connect_filters``) to
    the pre-synaptic population; the weights are the filter itself, one copy for all post
    neurons.

    ``psp`` is what one filter element contributes (``pre.r * w``; any pre-synaptic
    variable, such as the ``mask`` of the ANN-to-SNN neurons), ``operation`` how the
    contributions are folded ('sum', 'max', 'min', 'mean'). The pre population may be
    rate-coded or spiking (its variables are read at every step); a spiking post population
    receives the result in ``g_target``. ``proj.weights`` (also ``proj.w``) is the filter.
    """

    _words = "Convolutional projections"
    _connect_method = "connect_filter() or connect_filters()"

    def __init__(self, pre, post, target, psp="pre.r * w", operation="sum", name=None,
                 copied=False):
        super().__init__(pre, post, target, shared_synapse(
            psp, operation, f"Convolution with '{operation}' operation",
            "Convoluted kernel over the pre-synaptic population."), name=name)
        self.operation = operation
        self.psp = psp
        self.multiple = False
        self.keep_last_dimension = False
        self.padding = 0.0
        self.subsampling = None
        self.delays = 0.0
        self._filter_shape = None
        self._layout = ()
        for side in (self.pre, self.post):
            if side.dimension > MAX_DIMENSIONS:
                raise ConvolutionError(
                    f"{self._title}: population '{side.name}' has {side.dimension} dimensions; "
                    f"a convolution handles at most {MAX_DIMENSIONS}")

    # ------------------------------------------------------------ connect
    def connect_filter(self, weights, delays=0.0, keep_last_dimension=False, padding=0.0,
                       subsampling=None):
        """Applies one filter to the pre-synaptic population.

        The filter has as many dimensions as the pre population, or one less with
        ``keep_last_dimension=True`` (then each slice of the last dimension is convolved
        separately and pre and post have the same size in it). A post population with one
        dimension less than the pre one reads the whole last dimension (the filter's last
        size is the pre one). ``padding`` is the value of the pre-synaptic variables outside
        the population, or 'border' to repeat the nearest neuron. ``subsampling`` lists, for
        each post neuron, the pre coordinates of its centre.
        """
        return self._connect(weights, delays, keep_last_dimension, padding, subsampling, False)

    def connect_filters(self, weights, delays=0.0, keep_last_dimension=False, padding=0.0,
                        subsampling=None):
        """Applies a bank of filters: ``weights[f]`` is filter f, whose results fill the
        last dimension of the post population (as many neurons as filters there). Each
        filter has as many dimensions as the pre population. ``subsampling`` lists the
        centres of the post neurons of one filter (post size / number of filters)."""
        return self._connect(weights, delays, keep_last_dimension, padding, subsampling, True)

    def _connect(self, weights, delays, keep_last_dimension, padding, subsampling, bank):
        self._start_connect()
        weights = self._filter(weights)
        self.delays = self._one_delay(delays)
        self.padding = self._padding(padding)
        self.keep_last_dimension = bool(keep_last_dimension)
        self.subsampling = subsampling
        self.multiple = bank
        kernel = weights.shape[1:] if bank else weights.shape
        if bank:
            self._check_bank(weights)
        else:
            self._check_single(kernel)
        filters = weights.shape[0] if bank else 1
        centres = self._centres(kernel, filters, subsampling)
        size = int(np.prod(kernel))
        offsets = (np.arange(self.post.size) % filters) * size if bank else \
            np.zeros(self.post.size, dtype=np.int64)
        self._filter_shape = weights.shape
        self._state = {"w": weights.reshape(-1).astype(numpy_dtype("double"))}
        self._shared = {
            "centers": centres.reshape(-1).astype(np.int64),
            "offsets": np.asarray(offsets, dtype=np.int64),
            "kshape": np.array(kernel, dtype=np.int64),
            "koffset": np.array([filter_centre(k) for k in kernel], dtype=np.int64),
            "pshape": np.array(self.pre.geometry, dtype=np.int64),
            "pstride": rank_strides(self.pre.geometry),
            "padding": np.array([0.0 if self.padding == "border" else self.padding]),
            "divisor": np.array([float(size)])}
        self._layout = (len(kernel), self.pre.dimension,
                        "border" if self.padding == "border" else "constant")
        self._set_delays(self.delays)
        self._connector = ("convolution" if not bank else "convolution_bank",
                           {"delays": self.delays})
        return self

    # ------------------------------------------------------------ checks
    def _problem(self, weights_shape, text):
        return ConvolutionError(
            f"{self._title}: pre {tuple(self.pre.geometry)} * filter {tuple(weights_shape)} -> "
            f"post {tuple(self.post.geometry)}: {text}")

    def _filter(self, weights):
        try:
            weights = np.array(weights, dtype=np.float64)
        except (TypeError, ValueError):
            raise ConvolutionError(f"{self._title}: the weights must be a numpy array or nested "
                                   "lists of numbers of the same length") from None
        if weights.ndim == 0 or weights.size == 0:
            raise ConvolutionError(f"{self._title}: the weights must be a non-empty array, got "
                                   f"the shape {weights.shape}")
        if not np.all(np.isfinite(weights)):
            raise ConvolutionError(f"{self._title}: the weights must be finite numbers")
        return weights

    def _padding(self, padding):
        if isinstance(padding, str):
            if padding != "border":
                raise ConvolutionError(f"{self._title}: padding must be a number or 'border', "
                                       f"got {padding!r}")
            return padding
        return number(padding, f"{self._title}: padding")

    def _check_single(self, kernel):
        m, n, n_post = len(kernel), self.pre.dimension, self.post.dimension
        pre, post = self.pre.geometry, self.post.geometry
        if m > MAX_DIMENSIONS:
            raise self._problem(kernel, f"a filter has at most {MAX_DIMENSIONS} dimensions")
        if m > n:
            raise self._problem(kernel, "the filter has more dimensions than the pre-synaptic "
                                "population; for a bank of filters (first index: the filter), "
                                "use connect_filters()")
        if m < n and (not self.keep_last_dimension or m != n - 1):
            raise self._problem(kernel, "a filter with fewer dimensions than the pre-synaptic "
                                "population needs keep_last_dimension=True and exactly one "
                                "dimension less")
        if self.subsampling is not None:        # the centres are given: no geometry to match
            return
        if m < n:
            if n_post != n or pre[-1] != post[-1]:
                raise self._problem(kernel, "with keep_last_dimension=True, the pre- and "
                                    "post-synaptic populations need the same number of "
                                    "dimensions and the same size in the last one")
        if n_post > n:
            raise self._problem(kernel, "the post-synaptic population has more dimensions "
                                "than the pre-synaptic one; for a bank of filters use "
                                "connect_filters()")
        for d in range(n_post, n):
            if kernel[d] != pre[d]:
                raise self._problem(kernel, f"the post-synaptic population has no dimension {d}, "
                                    f"so the filter must cover it whole: its size there must be "
                                    f"{pre[d]}, not {kernel[d]}")
        self._check_strides(kernel, n_post)

    def _check_bank(self, weights):
        kernel, filters = weights.shape[1:], weights.shape[0]
        n, n_post = self.pre.dimension, self.post.dimension
        pre, post = self.pre.geometry, self.post.geometry
        if self.keep_last_dimension:
            raise self._problem(weights.shape, "keep_last_dimension applies to one filter "
                                "(connect_filter()), not to a bank of filters")
        if len(kernel) != n:
            raise self._problem(weights.shape, "a bank of filters has one dimension more than "
                                "the pre-synaptic population (the first indexes the filters), "
                                f"so {n + 1} dimensions here")
        if self.subsampling is not None:
            return
        if post[-1] != filters:
            raise self._problem(weights.shape, f"the last dimension of the post-synaptic "
                                f"population must have one neuron per filter ({filters}), not "
                                f"{post[-1]}")
        if n_post - 1 > n:
            raise self._problem(weights.shape, "the post-synaptic population has too many "
                                "dimensions: those of the pre population (or fewer), then one "
                                "for the filters")
        for d in range(n_post - 1, n):
            if kernel[d] != pre[d]:
                raise self._problem(weights.shape, f"the post-synaptic population has no "
                                    f"dimension {d} besides the filters, so each filter must "
                                    f"cover it whole: its size there must be {pre[d]}, not "
                                    f"{kernel[d]}")
        self._check_strides(weights.shape, n_post - 1)

    def _check_strides(self, shape, dims):
        for d in range(dims):
            pre, post = self.pre.geometry[d], self.post.geometry[d]
            if post > pre or pre % post:
                raise self._problem(shape, f"in dimension {d} the pre-synaptic size ({pre}) must "
                                    f"be a multiple of the post-synaptic one ({post}) for "
                                    "sub-sampling; give the centres with subsampling=... "
                                    "otherwise")

    # ------------------------------------------------------------ centres
    def _centres(self, kernel, filters, subsampling):
        """Pre coordinates of the centre of each post neuron, in rank order."""
        n = self.pre.dimension
        count = self.post.size // filters
        if subsampling is not None:
            try:
                given = np.array(subsampling, dtype=np.float64)
            except (TypeError, ValueError):
                given = None
            if given is None or given.shape != (count, n) or np.any(given != np.round(given)):
                raise ConvolutionError(
                    f"{self._title}: subsampling must list {count} centres (one per post "
                    f"neuron{' of a filter' if filters > 1 else ''}), each of {n} integer "
                    "coordinates in the pre-synaptic population")
            centres = given.astype(np.int64)
        else:
            spatial = self.post.dimension - (1 if self.multiple else 0)
            ranges = []
            for d in range(n):
                if d < spatial:
                    stride = self.pre.geometry[d] // self.post.geometry[d]
                    ranges.append((stride - 1) // 2 + stride * np.arange(self.post.geometry[d]))
                else:
                    ranges.append([filter_centre(kernel[d])])
            centres = grid(ranges)
        return np.repeat(centres, filters, axis=0) if filters > 1 else centres

    @property
    def pre_coordinates(self):
        """For each post neuron, the pre coordinates of its centre (and its filter for a
        bank), as in the reference."""
        if self._shared is None:
            return None
        centres = self._shared["centers"].reshape(self.post.size, -1).tolist()
        if self.multiple:
            filters = self._filter_shape[0]
            return [c + [k % filters] for k, c in enumerate(centres)]
        return centres

    @property
    def dim_kernel(self):
        return None if self._filter_shape is None else len(self._filter_shape)

    @property
    def dim_pre(self):
        return self.pre.dimension

    @property
    def dim_post(self):
        return self.post.dimension

    def _pattern_rows(self):
        return [("filter" if not self.multiple else "bank of filters", str(self._filter_shape)),
                ("padding", str(self.padding)), ("operation", self.operation)]

    # ------------------------------------------------------------ weights
    @property
    def weights(self):
        """The filter (a bank: one filter per first index), a numpy array; None before a
        connect method."""
        if self._filter_shape is None:
            return None
        return self._state["w"].reshape(self._filter_shape).copy()

    @weights.setter
    def weights(self, value):
        self._set("w", value)

    def _get(self, name):
        if name == "w":
            return self.weights
        return super()._get(name)

    def _set(self, name, value):
        if name != "w":
            return super()._set(name, value)
        self._network.check_usable(self)
        self._check_connected()
        try:
            values = np.array(value, dtype=np.float64)
        except (TypeError, ValueError):
            values = None
        if values is None or (values.ndim and values.shape != self._filter_shape):
            shape = None if values is None else values.shape
            raise ConvolutionError(f"{self._title}: the weights must have the shape of the "
                                   f"filter {self._filter_shape}, got {shape}")
        self._state["w"][:] = np.broadcast_to(values, self._filter_shape).reshape(-1)
        self._changed()

    # ------------------------------------------------------------ compile hooks
    @property
    def transmission_kind(self):
        return "window"

"""Pooling: each post neuron takes the max, min or mean of the psp over a block of the pre
population.

Post neuron at coordinates ``p`` covers the pre neurons from ``p * extent`` to ``(p + 1) *
extent - 1`` in each dimension the post population has, and the whole of a dimension it
lacks. Blocks do not overlap (the stride is the extent). A last block that reaches past the
pre population (as Keras' ``padding='same'``) pools the neurons it holds; ``mean`` divides by
the size of the extent, as the reference.
"""

import numpy as np

from ...core.arguments import integer
from ...errors import ArgumentError, ConvolutionError
from .convolve import MAX_DIMENSIONS, grid, rank_strides
from .shared import SharedProjection, shared_synapse, uses_weights

__all__ = ["Pooling"]

OPERATIONS = ("max", "mean", "min")


class Pooling(SharedProjection):
    """Pools the pre-synaptic population block by block (``operation``: 'max', 'min' or
    'mean' of ``psp``, by default ``pre.r``) into ``sum(target)`` (``g_target`` of a
    spiking post population). Connect with ``connect_pooling()``."""

    _words = "Pooling projections"
    _connect_method = "connect_pooling()"

    def __init__(self, pre, post, target, psp="pre.r", operation="max", name=None,
                 copied=False):
        if operation not in OPERATIONS:
            raise ArgumentError(f"Pooling: the operation must be 'max', 'mean' or 'min', got "
                                f"{operation!r}")
        model = f"Pooling with '{operation}' operation"
        if uses_weights(model, psp):
            raise ConvolutionError(f"Pooling: the psp '{psp}' reads w, but a pooling has no "
                                   "weights; use a Convolution for weighted windows")
        super().__init__(pre, post, target, shared_synapse(
            psp, operation, model, f"{operation}-pooling operation over the pre-synaptic "
            "population."), name=name)
        self.operation = operation
        self.psp = psp
        self.extent = None
        self.delays = 0.0
        self._layout = ()
        for side in (self.pre, self.post):
            if side.dimension > MAX_DIMENSIONS:
                raise ConvolutionError(
                    f"{self._title}: population '{side.name}' has {side.dimension} dimensions; "
                    f"a pooling handles at most {MAX_DIMENSIONS}")

    def connect_pooling(self, extent=None, delays=0.0):
        """Pools blocks of ``extent`` pre neurons per dimension (a tuple with one size per
        pre dimension). Without it, pre and post have the same number of dimensions and the
        extent is pre size / post size."""
        self._start_connect()
        extent = self._extent(extent)
        self.delays = self._one_delay(delays)
        self.extent = extent
        n, kept = self.pre.dimension, self.post.dimension
        ranges = [extent[d] * np.arange(self.post.geometry[d]) if d < kept else [0]
                  for d in range(n)]
        self._state = {}
        self._shared = {
            "centers": grid(ranges).reshape(-1),
            "offsets": np.zeros(self.post.size, dtype=np.int64),
            "kshape": np.array(extent[:n], dtype=np.int64),
            "koffset": np.zeros(n, dtype=np.int64),
            "pshape": np.array(self.pre.geometry, dtype=np.int64),
            "pstride": rank_strides(self.pre.geometry),
            "padding": np.zeros(1), "divisor": np.array([float(np.prod(extent[:n]))])}
        self._layout = (n, n, "skip")
        self._set_delays(self.delays)
        self._connector = ("pooling", {"delays": self.delays})
        return self

    def _problem(self, extent, text):
        return ConvolutionError(f"{self._title}: pre {tuple(self.pre.geometry)} pooled by "
                                f"{extent} -> post {tuple(self.post.geometry)}: {text}")

    def _extent(self, extent):
        pre, post = self.pre.geometry, self.post.geometry
        n, kept = len(pre), len(post)
        if extent is None:
            if n != kept:
                raise self._problem(None, "without an extent, the two populations must have the "
                                    "same number of dimensions; give extent=(...)")
            for d in range(n):
                if post[d] > pre[d] or pre[d] % post[d]:
                    raise self._problem(None, f"the pre-synaptic size {pre[d]} in dimension {d} "
                                        f"is not a multiple of the post-synaptic one ({post[d]}); "
                                        "give the extent explicitly")
            return tuple(pre[d] // post[d] for d in range(n))
        if not isinstance(extent, tuple):
            raise ArgumentError(f"{self._title}: the extent must be a tuple with one size per "
                                f"pre-synaptic dimension, such as (2, 2), got {extent!r}")
        sizes = tuple(integer(e, f"{self._title}: the extent") for e in extent)
        if len(sizes) < n or any(e < 1 for e in sizes):
            raise self._problem(extent, f"the extent needs {n} positive sizes, one per "
                                "pre-synaptic dimension")
        if kept > n:
            raise self._problem(extent, "the post-synaptic population has more dimensions than "
                                "the pre-synaptic one")
        for d in range(n):
            if d < kept:
                fits = (-(-pre[d] // sizes[d]), pre[d] // sizes[d])
                if post[d] not in fits:
                    raise self._problem(extent, f"blocks of {sizes[d]} do not divide dimension "
                                        f"{d}: {pre[d]} pre neurons make {fits[1]} blocks (or "
                                        f"{fits[0]} with a partial last one), not {post[d]}")
            elif sizes[d] != pre[d]:
                raise self._problem(extent, f"the post-synaptic population has no dimension {d}, "
                                    f"so the extent must cover it whole ({pre[d]}), not "
                                    f"{sizes[d]}")
        return sizes

    def _pattern_rows(self):
        return [("extent", str(self.extent)), ("operation", self.operation)]

    def _shared_words(self):
        return "no weights: each pools a block of the pre-synaptic population"

    @property
    def transmission_kind(self):
        return "window"

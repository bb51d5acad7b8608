"""Transpose: the synapses of a projection used backwards, from its post to its pre
population, with its weights (read where they live: learning shows at once)."""

import numpy as np

from ...core.projection import Projection, _with_single_weight
from ...core.synapse import Synapse
from ...errors import ConvolutionError, NetworkError
from .shared import SharedProjection

__all__ = ["Transpose"]


def _spiking(population):
    return population._spike_arrays is not None


class Transpose(SharedProjection):
    """Projection from ``proj.post`` to ``proj.pre`` for ``target`` through the transposed
    synapses of ``proj`` (both populations rate-coded: ``w * pre.r``; both spiking: each
    spike adds ``w`` to ``g_target``). ``proj`` must have no delays. Call ``connect()``."""

    _words = "Transposed projections"
    _connect_method = "connect()"

    def __init__(self, proj, target):
        if not isinstance(proj, Projection) or isinstance(proj, SharedProjection):
            raise ConvolutionError(f"Transpose: expected a regular Projection to transpose, got "
                                   f"{type(proj).__name__}")
        pre, post = proj.pre.population, proj.post.population
        if _spiking(pre) != _spiking(post):
            raise ConvolutionError(f"Transpose: '{proj.name}' connects a rate-coded and a spiking "
                                   "population; only projections between two rate-coded or two "
                                   "spiking populations can be transposed")
        synapse = Synapse(pre_spike="g_target += w", name="Transpose") if _spiking(pre) else \
            Synapse(psp="w * pre.r", name="Transpose")
        super().__init__(proj.post, proj.pre, target, synapse)
        self.fwd_proj = proj

    def connect(self):
        """Builds the transposed view of the forward projection's synapses."""
        self._start_connect()
        fwd = self.fwd_proj
        if fwd._connectivity is None:
            raise NetworkError(f"{self._title}: the projection '{fwd.name}' is not connected "
                               "yet; connect it before its Transpose")
        if fwd.max_delay > 0:
            raise ConvolutionError(f"{self._title}: '{fwd.name}' has delays; a Transpose can only "
                                   "use a projection without delays")
        self._use(fwd)
        self._connector = ("transpose", {"projection": fwd.name})
        return self

    def _use(self, fwd):
        self.fwd_proj = fwd
        c = fwd._connectivity
        self._state = {"w": fwd._state["w"]}
        if fwd._single_weight:
            self._description = _with_single_weight(self._description)
            self._single_weight = True
        if self.spiking:
            row_of_pre = np.full(fwd.post.population.size, -1, dtype=np.int64)
            row_of_pre[c.post_ranks] = np.arange(c.size)
            self._shared = {"row_of_pre": row_of_pre, "row_ptr": c.row_ptr,
                            "targets": c.pre_ranks.astype(np.int32)}
            self._row_sizes = np.bincount(c.pre_ranks, minlength=fwd.pre.population.size)
            return
        pre_ptr, order = c.pre_index(fwd.pre.population.size)
        counts = np.diff(pre_ptr)
        rows = np.nonzero(counts)[0]
        self._shared = {"post_ranks": rows.astype(np.int64),
                        "row_ptr": np.append(pre_ptr[rows], pre_ptr[-1]).astype(np.int64),
                        "pre_ranks": c.post_of_synapses()[order].astype(np.int32),
                        "syn": order.astype(np.int64)}
        self._row_sizes = counts

    # ------------------------------------------------------------ description
    @property
    def size(self):
        """Number of neurons of ``proj.pre`` with outgoing synapses."""
        if self._shared is None:
            return 0
        return int(np.count_nonzero(self._row_sizes))

    @property
    def nb_synapses(self):
        return 0 if self._shared is None else self.fwd_proj.nb_synapses

    @property
    def post_ranks(self):
        if self._shared is None:
            return []
        return np.nonzero(self._row_sizes)[0].tolist()

    def nb_synapses_per_dendrite(self):
        return [int(n) for n in self._row_sizes if n] if self._shared is not None else []

    def _pattern_rows(self):
        return [("transpose of", self.fwd_proj.name), ("synapses", str(self.nb_synapses))]

    def _shared_words(self):
        return f"the synapses of '{self.fwd_proj.name}' (read them there)"

    def _get(self, name):
        if name == "w":
            raise NetworkError(f"{self._title}: its weights are those of '{self.fwd_proj.name}' "
                               "(read them there, transposed)")
        return super()._get(name)

    def _set(self, name, value):
        raise NetworkError(f"{self._title}: its weights are those of '{self.fwd_proj.name}'; "
                           "assign them there")

    @property
    def transmission_kind(self):
        return "transpose_spike" if self.spiking else "transpose"

    def _field(self, key):
        if key in ("post_ranks", "row_ptr", "pre_ranks"):
            return self._shared[key]
        return super()._field(key)

    def _copy_connection(self, copy, network):
        copy.__dict__.update(_shared=None, _state={})
        fwd = network.get(self.fwd_proj)
        copy.__dict__["fwd_proj"] = fwd
        if self._shared is not None:
            copy._use(fwd)

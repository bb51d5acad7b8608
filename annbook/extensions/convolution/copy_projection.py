"""Copy: a projection that reuses the synapses (connectivity, weights, delays) of another.

The copy reads the arrays of the copied projection where they live, so changes of its
weights (by learning or by assignment) show at once; only ``psp`` and ``operation`` are its
own. The pre and post populations must have the geometries of the copied projection's.
"""

from ...core.projection import Projection, _with_single_weight
from ...errors import ConvolutionError, NetworkError
from .shared import SharedProjection, shared_synapse

__all__ = ["Copy"]


class Copy(SharedProjection):
    """Virtual projection reusing the weights and delays of an existing projection
    (``connect_copy(projection)``), with its own ``psp`` and ``operation``. It does not
    learn; the copied projection may."""

    _words = "Copied projections"
    _connect_method = "connect_copy()"

    def __init__(self, pre, post, target, psp="pre.r * w", operation="sum", name=None,
                 copied=False):
        super().__init__(pre, post, target, shared_synapse(
            psp, operation, "Copy", "Weights shared with another projection."), name=name)
        self.projection = None

    def connect_copy(self, projection):
        """Uses the synapses of ``projection`` (a regular Projection between populations of
        the same geometries)."""
        self._start_connect()
        if not isinstance(projection, Projection):
            raise ConvolutionError(f"{self._title}: connect_copy() takes an existing "
                                   f"Projection, got {type(projection).__name__}")
        if isinstance(projection, SharedProjection):
            raise ConvolutionError(f"{self._title}: only regular projections can be copied, "
                                   f"not the {type(projection).__name__} '{projection.name}'")
        if projection._connectivity is None:
            raise NetworkError(f"{self._title}: the projection '{projection.name}' to copy is "
                               "not connected yet; connect it first")
        for side in ("pre", "post"):
            mine, theirs = getattr(self, side), getattr(projection, side)
            if tuple(mine.geometry) != tuple(theirs.geometry):
                raise ConvolutionError(
                    f"{self._title}: the {side}-synaptic geometry {tuple(mine.geometry)} differs "
                    f"from the one of '{projection.name}' ({tuple(theirs.geometry)}); a copy "
                    "needs the same geometries")
        self._use(projection)
        self._connector = ("copy", {"projection": projection.name})
        return self

    def _use(self, projection):
        self.projection = projection
        self._shared = {}
        self._state = {"w": projection._state["w"]}
        if projection._single_weight:       # one weight for all synapses: the copy reads one
            self._description = _with_single_weight(self._description)
            self._single_weight = True

    # the copied projection's synapses, read where they live
    @property
    def size(self):
        return 0 if self.projection is None else self.projection.size

    @property
    def nb_synapses(self):
        return 0 if self.projection is None else self.projection.nb_synapses

    @property
    def post_ranks(self):
        return [] if self.projection is None else self.projection.post_ranks

    def nb_synapses_per_dendrite(self):
        return [] if self.projection is None else self.projection.nb_synapses_per_dendrite()

    @property
    def uniform_delay(self):
        return True if self.projection is None else self.projection.uniform_delay

    @property
    def max_delay(self):
        return 0 if self.projection is None else self.projection.max_delay

    @property
    def delay(self):
        self._check_connected()
        return self.projection.delay

    @delay.setter
    def delay(self, value):
        raise NetworkError(f"{self._title}: the delays are those of '{self.projection.name}'; "
                           "set them there")

    def _pattern_rows(self):
        return [("copy of", self.projection.name), ("synapses", str(self.nb_synapses))]

    def _shared_words(self):
        name = self.projection.name if self.projection is not None else "the copied projection"
        return f"the synapses of '{name}' (read them there)"

    def _get(self, name):
        if name == "w":
            return self.projection._get("w")
        return super()._get(name)

    def _set(self, name, value):
        raise NetworkError(f"{self._title}: its weights are those of '{self.projection.name}'; "
                           "assign them there")

    def _field(self, key):
        if key in ("post_ranks", "row_ptr", "pre_ranks", "delay"):
            return self.projection._field(key)
        return super()._field(key)

    def generate_omp(self):
        """The reference's code-generation hook; annbook generates its code with the network
        (nothing to do here)."""

    def _copy_connection(self, copy, network):
        copy.__dict__.update(projection=None, _shared=None, _state={})
        if self.projection is not None:
            copy._use(network.get(self.projection))

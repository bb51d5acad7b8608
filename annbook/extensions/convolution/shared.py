"""What the projections of this package share: synapses that are not stored one by one.

A Convolution or a Pooling computes which pre neurons each post neuron reads from the
geometry of the populations; a Copy and a Transpose read the synapses of another
projection. None of them has a connectivity of its own (``_connectivity`` stays None, so
``save()``/``load()`` of the network leave them out, as the reference does), none learns,
and their ``save``, ``load``, ``connectivity_matrix`` and ``receptive_fields`` warn and do
nothing, as in the reference.
"""

import ast
import warnings

import numpy as np

from ...core.arguments import number
from ...core.projection import Projection
from ...core.random import RandomDistribution
from ...core.synapse import Synapse
from ...errors import ConvolutionError, NetworkError
from ...parser.syntax import parse_expression

__all__ = ["SharedProjection"]


class SharedProjection(Projection):
    """Base of Convolution, Pooling, Copy and Transpose.

    Subclasses set ``_shared`` (the arrays of the compiled loop, by name) and ``_state``
    when they connect, and say in ``_words`` what they are ('Convolutional projections').
    """

    _words = "Shared projections"
    _connect_method = "connect()"

    def __init__(self, pre, post, target, synapse, name=None):
        for side, obj in (("pre", pre), ("post", post)):
            if getattr(obj, "population", None) is not None and obj is not obj.population:
                raise ConvolutionError(
                    f"{type(self).__name__}: the {side}-synaptic side must be a whole "
                    f"Population, not a view of '{obj.population.name}'")
        super().__init__(pre, post, target, synapse, name=name)
        self._shared = None

    @property
    def _title(self):
        return f"{type(self).__name__} '{self.name}'"

    # ------------------------------------------------------------ description
    @property
    def size(self):
        """Number of post-synaptic neurons (every one receives the projection)."""
        return 0 if self._shared is None else self.post.size

    @property
    def nb_synapses(self):
        """0, as in the reference: no synapse is stored one by one."""
        return 0

    @property
    def post_ranks(self):
        return [] if self._shared is None else list(range(self.post.size))

    @property
    def pre_ranks(self):
        raise NetworkError(f"{self._title} stores no pre-synaptic ranks: its post neurons read "
                           "the pre-synaptic population through its geometry")

    def nb_synapses_per_dendrite(self):
        return [0] * self.size

    def nb_efferent_synapses(self):
        raise NetworkError(f"{self._title} stores no synapses to count")

    def __repr__(self):
        state = "connected" if self._shared is not None else "not connected"
        return (f"{type(self).__name__} '{self.name}' from '{self.pre.name}' to "
                f"'{self.post.name}' (target {self.target}, {state})")

    def _check_connected(self):
        if self._shared is None:
            raise NetworkError(f"{self._title} has no connection pattern yet: call its "
                               f"{self._connect_method} method before compile()")

    def _start_connect(self):
        """A shared projection connects once, before compile()."""
        if self._network.compiled:
            raise NetworkError(f"{self._title}: connectivity cannot change after compile()")
        if self._shared is not None:
            raise NetworkError(f"{self._title} is already connected")

    def _one_delay(self, delays):
        """As in the reference, one delay (ms) for the whole projection."""
        if isinstance(delays, RandomDistribution) or np.ndim(delays) != 0:
            raise ConvolutionError(f"{self._title}: the delays must be one number of "
                                   f"milliseconds (the same for all post neurons), got "
                                   f"{type(delays).__name__}")
        delays = number(delays, f"{self._title}: the delay")
        if delays < 0:
            raise ConvolutionError(f"{self._title}: the delay must be positive, got {delays} ms")
        return delays

    @property
    def delay(self):
        return super().delay

    @delay.setter
    def delay(self, value):
        self._check_connected()
        self._set_delays(self._one_delay(value))

    # ------------------------------------------------------------ what is not stored
    def dendrite(self, post):
        raise NetworkError(f"{self._title} has no dendrites: its post neurons share "
                           f"{self._shared_words()}")

    @property
    def dendrites(self):
        return self.dendrite(None)

    def __iter__(self):
        return self.dendrite(None)

    def __getitem__(self, rank):
        return self.dendrite(rank)

    def synapse(self, pre, post):
        return self.dendrite(post)

    def _shared_words(self):
        return "one set of weights (read and assign proj.weights)"

    def _warn(self, what):
        warnings.warn(f"{self._words} can not {what} ({self._title}).", stacklevel=3)

    def connectivity_matrix(self, fill=0.0):
        """Not available for shared projections: warns and returns None (as the reference)."""
        self._warn("display connectivity matrices")

    def receptive_fields(self, variable="w", in_post_geometry=True):
        """Not available for shared projections: warns and returns None (as the reference)."""
        self._warn("display receptive fields")

    def save_connectivity(self, filename):
        """Not available for shared projections: warns, writes nothing (as the reference)."""
        self._warn("be saved")

    def save(self, filename):
        """Not available for shared projections: warns, writes nothing (as the reference)."""
        self._warn("be saved")

    def load(self, filename, pickle_encoding=None):
        """Not available for shared projections: warns, reads nothing (as the reference)."""
        self._warn("be loaded")

    def _summary_rows(self):
        """(label, text) pairs that describe the connection (for the notebook display)."""
        return [("kind", type(self).__name__), ("post neurons", str(self.size)),
                ("delay", f"{self.delay:g} ms")] + self._pattern_rows()

    def _pattern_rows(self):
        return []

    def size_in_bytes(self):
        """Memory held by the arrays of the compiled loop and the (shared) weights."""
        arrays = list((self._shared or {}).values()) + list(self._state.values())
        return int(sum(a.nbytes for a in arrays)) + self._delay.nbytes

    # ------------------------------------------------------------ compile hooks
    def _field(self, key):
        return {"delay": self._delay, "flags": self._flags, "learn": self._learn}[key]

    def _copy_connection(self, copy, network):
        """Connect ``copy`` (in ``network``) as this projection is connected."""
        copy.__dict__.update(
            _shared=None if self._shared is None else
            {key: values.copy() for key, values in self._shared.items()},
            _state={key: values.copy() for key, values in self._state.items()},
            _delay=self._delay.copy())


def shared_synapse(psp, operation, name, description):
    """The (non-plastic) synapse of a shared projection: its psp and operation."""
    return Synapse(psp=psp, operation=operation, name=name, description=description)


def uses_weights(model, psp):
    """Whether a psp reads ``w``."""
    tree = parse_expression(model, psp, psp)
    return any(isinstance(node, ast.Name) and node.id == "w" for node in ast.walk(tree))

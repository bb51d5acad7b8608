"""Populations: groups of identical neurons whose state lives in numpy arrays."""

import contextlib
import warnings

import numpy as np

from ..config import config
from ..errors import ArgumentError, NetworkError
from .arguments import integer
from .attributes import AttributeAccess
from .constant import value_of
from .model import DescribedAttributes

__all__ = ["Population"]

_NUMPY_TYPES = {"int": np.int64, "bool": np.bool_}


def numpy_dtype(ctype):
    """numpy dtype of an attribute's C type under the current precision."""
    if ctype in _NUMPY_TYPES:
        return _NUMPY_TYPES[ctype]
    return np.float32 if config["precision"] == "float" else np.float64


NEVER = -10000          # last spike step of a neuron that never spiked (the reference's)


def _spike_arrays(size):
    return {"spiked": np.zeros(size, dtype=np.int64), "n_spiked": np.zeros(1, dtype=np.int64),
            "last_spike": np.full(size, NEVER, dtype=np.int64),
            "ref_steps": np.zeros(size, dtype=np.int64), "fired": np.zeros(size, dtype=np.int64),
            "blocks": _no_spikes(size), "axonal": np.zeros(size, dtype=np.int64),
            "n_axonal": np.zeros(1, dtype=np.int64),
            "fr_fifo": np.zeros(2 * size, dtype=np.int64),
            "fr_info": np.array([0, 0, size, 0], dtype=np.int64),
            "fr_count": np.zeros(size, dtype=np.int64), "fr_rate": np.ones(1)}


def _no_spikes(size):
    """The spikes of the last two steps listed by the threads' blocks: none (see
    ``ab_next_spike`` in annbook_rt.h)."""
    return np.full(2 * size, -size - 1, dtype=np.int64)


def _geometry(geometry):
    if isinstance(geometry, (int, np.integer)):
        geometry = (int(geometry),)
    try:
        geometry = tuple(int(g) for g in geometry)
    except (TypeError, ValueError):
        raise NetworkError(f"Population: geometry must be an int or a tuple of ints, "
                           f"got {geometry!r}") from None
    if not 1 <= len(geometry) <= 3 or any(g <= 0 for g in geometry):
        raise NetworkError(f"Population: geometry must have 1 to 3 positive sizes, got {geometry}")
    return geometry


class Population(AttributeAccess, DescribedAttributes):
    """A group of neurons of one model, with a geometry (1D, 2D or 3D).

    Every parameter and variable is an attribute: ``pop.v`` returns a copy of
    the values (shaped like the geometry), ``pop.v = value`` accepts a number,
    an array of the population's size or geometry, or a random distribution.
    """

    def __init__(self, geometry, neuron, name=None, stop_condition=None,
                 storage_order="post_to_pre", copied=False):
        from .network import global_network
        from .neuron import Neuron
        if isinstance(neuron, type) and issubclass(neuron, Neuron):
            neuron = neuron()
        if not isinstance(neuron, Neuron):
            raise NetworkError(f"Population: 'neuron' must be a Neuron, got {type(neuron).__name__}")
        network = global_network()
        if neuron._method is None:      # as the reference: setup(method=) read at first use
            neuron._method = config["method"]
        if stop_condition is not None and not isinstance(stop_condition, str):
            raise ArgumentError(f"Population: stop_condition must be a condition such as "
                                f"'r > 1.0', got {stop_condition!r}")
        self.geometry = _geometry(geometry)
        self.size = int(np.prod(self.geometry))
        self.neuron_type = neuron
        self.stop_condition = stop_condition
        self.storage_order = storage_order
        self._description = neuron._describe()
        self._state = {}
        for attr in self._description.attributes:
            count = self.size if attr.locality == "local" else 1
            self._state[attr.name] = np.full(count, value_of(attr.init),
                                             dtype=numpy_dtype(attr.ctype))
        self._buffers = {}             # sums and global operations, allocated at compile
        self._spike_arrays = _spike_arrays(self.size) if neuron.type == "spike" else None
        self._refractory = None        # per-neuron override (ms) set through .refractory
        self._enabled = np.ones(1, dtype=np.bool_)
        self._ring_depth = np.zeros(1, dtype=np.int64)
        self._spike_depth = np.zeros(1, dtype=np.int64)
        self._initial = None
        self.targets = []
        self.name = name or f"pop{network.next_population_id()}"
        self._network = network
        network.add_population(self)

    @contextlib.contextmanager
    def _withdrawn_on_error(self):
        """Around what a subclass sets up after this constructor: if it fails, the
        population leaves its network again (no half-built population gets compiled)."""
        try:
            yield
        except BaseException:
            self._network.remove_population(self)
            raise

    # ------------------------------------------------------------ description
    @property
    def functions(self):
        return [f[0] for f in self._description.functions]

    @property
    def dimension(self):
        return len(self.geometry)

    @property
    def width(self):
        return self.geometry[0]

    @property
    def height(self):
        return self.geometry[1] if len(self.geometry) > 1 else 1

    @property
    def depth(self):
        return self.geometry[2] if len(self.geometry) > 2 else 1

    @property
    def ranks(self):
        return np.arange(self.size)

    @property
    def population(self):
        return self

    def __len__(self):
        return self.size

    def __repr__(self):
        return (f"Population '{self.name}': {self.size} neurons {self.geometry} of "
                f"{self.neuron_type.name} ({', '.join(self.attributes)})")

    # ------------------------------------------------------------ attributes
    def _ranks(self):
        return None          # all neurons

    def _check_writable(self, name):
        self._network.check_usable(self)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self.__dict__.get("_state", {}):
            return self._get(name)
        description = self.__dict__.get("_description")
        if description is not None and any(f[0] == name for f in description.functions):
            return self._function(name)
        raise AttributeError(f"Population '{self.__dict__.get('name')}' has no attribute '{name}'")

    def _function(self, name):
        from .functions import global_functions, numpy_callable
        known = list(self._description.functions) + global_functions()
        entry = next(f for f in self._description.functions if f[0] == name)
        return numpy_callable(self.neuron_type.name, entry, known)

    # ------------------------------------------------------------ geometry
    def rank_from_coordinates(self, coord):
        """Rank of the neuron at the given coordinates (row-major order)."""
        what = f"Population '{self.name}': a coordinate"
        if not np.isscalar(coord) and not isinstance(coord, (tuple, list, np.ndarray)):
            raise ArgumentError(f"{what} must be an integer, got {coord!r}")
        coord = (coord,) if np.isscalar(coord) else tuple(coord)
        coord = tuple(integer(c, what) for c in coord)
        if len(coord) != len(self.geometry) or any(not 0 <= c < g for c, g in
                                                   zip(coord, self.geometry)):
            raise NetworkError(f"Population '{self.name}': coordinates {coord} are outside "
                               f"the geometry {self.geometry}")
        return int(np.ravel_multi_index(coord, self.geometry))

    def coordinates_from_rank(self, rank):
        """Coordinates of a rank, as a tuple (also for 1D populations)."""
        rank = integer(rank, f"Population '{self.name}': the rank")
        if not 0 <= rank < self.size:
            raise NetworkError(f"Population '{self.name}': rank {rank} is outside 0..{self.size - 1}")
        return tuple(int(c) for c in np.unravel_index(rank, self.geometry))

    def normalized_coordinates_from_rank(self, rank, norm=1.0):
        """Coordinates of a rank scaled to [0, norm] in each dimension (a tuple)."""
        coord = self.coordinates_from_rank(rank)
        return tuple(norm * c / (g - 1) if g > 1 else 0.0 for c, g in zip(coord, self.geometry))

    # ------------------------------------------------------------ selection
    def neuron(self, *coord):
        """The single neuron at a rank or at coordinates."""
        from .views import IndividualNeuron
        if len(coord) == 1 and np.isscalar(coord[0]):
            rank = integer(coord[0], f"Population '{self.name}': the rank")
        else:
            rank = self.rank_from_coordinates(coord[0] if len(coord) == 1 else coord)
        if not 0 <= rank < self.size:
            raise NetworkError(f"Population '{self.name}': rank {rank} is outside 0..{self.size - 1}")
        return IndividualNeuron(self, int(rank))

    @property
    def neurons(self):
        return (self.neuron(rank) for rank in range(self.size))

    def __iter__(self):
        return self.neurons

    def __getitem__(self, key):
        from .views import select
        return select(self, key)

    # ------------------------------------------------------------ run state
    @property
    def enabled(self):
        return bool(self._enabled[0])

    def enable(self):
        """Compute this population again at each step."""
        self._enabled[0] = True

    def disable(self):
        """Freeze the population: its variables keep their values until enable()."""
        self._enabled[0] = False

    def clear(self):
        """Drop spike history: last spike times and refractory states (rate-coded: nothing)."""
        self._clear_spikes()

    def sum(self, target):
        """The current input of the given target (zeros, with a warning, if nothing brings it)."""
        values = self._buffers.get("sum", {}).get(target)
        if target not in self.targets:
            warnings.warn(f"sum(): population '{self.name}' receives no projection with the "
                          f"target '{target}'", stacklevel=2)
        if values is None:
            return np.zeros(self.geometry)
        return values.reshape(self.geometry).astype(np.float64)

    def reset(self, attributes=None):
        """Restore attributes (all, or the listed ones) to their values at compile time."""
        if self._initial is None:
            return
        for name in attributes or list(self._initial):
            if name not in self._initial:
                raise NetworkError(f"Population '{self.name}' has no attribute '{name}' to reset")
            self._state[name][:] = self._initial[name]
        for name, ring in self._buffers.get("ring", {}).items():   # as the reference: the
            ring.reshape(-1, self._state[name].size)[:] = self._state[name]   # delays restart

    def save(self, filename):
        """Write parameters and variables to a file, replaced atomically.

        The format follows the extension: .npz, .mat (MATLAB, for analysis only), .gz
        (gzipped pickle), anything else pickle.
        """
        from .io import save_object
        save_object(self, filename)

    def load(self, filename, pickle_encoding=None):
        """Restore parameters and variables written by save() for a population like this one.

        A file of another population (other attributes or shapes) is refused with what
        differs. Pickle files (.gz and others) run code from the file: trusted files only.
        """
        from .io import load_object
        load_object(self, filename, pickle_encoding)

    def _saved(self):
        return {name: self._get(name) for name in self.attributes}

    def _restore(self, values):
        self.set({name: values[name] for name in self.attributes})

    def size_in_bytes(self):
        """Memory held by the population's arrays."""
        arrays = list(self._state.values())
        for group in self._buffers.values():
            arrays += list(group.values())
        return int(sum(a.nbytes for a in arrays))

    # ------------------------------------------------------------ spiking
    @property
    def refractory(self):
        """Refractory period (ms) of each neuron of a spiking population."""
        if self._spike_arrays is None:
            return None
        return self._refractory_ms().reshape(self.geometry)

    @refractory.setter
    def refractory(self, value):
        if self._spike_arrays is None:
            raise NetworkError(f"Population '{self.name}' is rate-coded: it has no refractory "
                               "period")
        from .attributes import coerce_values
        self._refractory = coerce_values(f"Population '{self.name}'", "refractory", value,
                                         self.size, self.geometry, np.float64)

    def _refractory_ms(self):
        if self._refractory is not None:
            return self._refractory
        period = self._description.refractory
        if period is None:
            return np.zeros(self.size)
        if isinstance(period, str) and period.strip() in self._state:
            values = self._state[period.strip()]
            return np.broadcast_to(values, (self.size,)).astype(np.float64)
        return np.full(self.size, float(period))

    def _is_input(self, name):
        """Whether ``name`` is an input of the neurons: ``sum(target)``, or for a spiking
        population a conductance ``g_x`` of an incoming target or read by the equations."""
        if name.startswith("sum("):
            return True
        if self._spike_arrays is None or not name.startswith("g_"):
            return False
        return name[2:] in self.targets or name in self._description.conductances_read()

    def _checked_value(self, name, values):
        """Values about to be assigned to ``name``; input populations refuse impossible ones."""
        return values

    def compute_firing_rate(self, window):
        """Make ``r`` the firing rate (Hz) of each neuron over the last ``window`` ms
        (spiking populations; 0 turns it off). Also after compile()."""
        attr = self._description.attribute("r")
        if self._spike_arrays is None or attr is None or attr.locality != "local":
            raise NetworkError(f"compute_firing_rate(): population '{self.name}' is "
                               + ("rate-coded: r is its own output" if self._spike_arrays is None
                                  else "spiking, but its model defines r as a parameter or "
                                  "per population; remove that r"))
        if window < 0:
            raise NetworkError(f"compute_firing_rate(): the window must be positive, got "
                               f"{window} ms")
        info = self._spike_arrays["fr_info"]
        if window > 0:
            info[3] = int(window / config["dt"])
            self._spike_arrays["fr_rate"][0] = 1000.0 / window
        else:
            info[3] = 0

    def _make_room_for_spikes(self):
        """Enlarge the ring of compute_firing_rate() when another step of spikes might not fit
        (True when arrays were replaced)."""
        arrays = self._spike_arrays
        if arrays is None:
            return False
        head, size, capacity, _ = arrays["fr_info"]
        if capacity - size >= self.size:
            return False
        order = (head + np.arange(size)) % capacity
        fifo = np.zeros(4 * capacity, dtype=np.int64)
        fifo[:2 * size] = arrays["fr_fifo"].reshape(-1, 2)[order].ravel()
        arrays["fr_fifo"] = fifo
        arrays["fr_info"][:3] = [0, size, 2 * capacity]
        return True

    def _prepare_spiking(self, dt):
        """Refractory periods in steps, as the compiled loop reads them."""
        if self._spike_arrays is not None:
            steps = (self._refractory_ms() / dt).astype(np.int64)   # truncated, as the reference
            self._spike_arrays["ref_steps"][:] = steps

    # ------------------------------------------------------------ compile hooks
    def _compile_variant(self, network):
        """At compile(): choose the model's compiled variant (PoissonPopulation does)."""

    def _not_computed(self, name):
        """Why the attribute ``name`` holds no value to read or record (None: it does)."""
        return None

    def _clock_moved(self):
        """The network's clock was set to another step (reset, set_time)."""

    def _allocate(self, kind, key):
        """The array behind a slot of the compiled module (sums, global operations)."""
        group = self._buffers.setdefault(kind, {})
        if key not in group:
            size = self.size if kind == "sum" else 1
            dtype = numpy_dtype("double") if kind == "sum" else np.float64
            group[key] = np.zeros(size, dtype=dtype)
        return group[key]

    def _snapshot(self):
        self._initial = {name: values.copy() for name, values in self._state.items()}

    def _clear_spikes(self):
        if self._spike_arrays is not None:
            self._spike_arrays["last_spike"][:] = NEVER
            self._spike_arrays["n_spiked"][:] = 0
            self._spike_arrays["n_axonal"][:] = 0
            self._spike_arrays["blocks"][:] = _no_spikes(self.size)
            self._spike_arrays["fr_info"][:2] = 0
            self._spike_arrays["fr_count"][:] = 0
            for count in self._buffers.get("spike_count", {}).values():
                count[:] = 0                # as the reference: spikes in flight are dropped


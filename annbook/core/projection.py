"""Projections: synapses from a pre to a post population for one target."""

import dataclasses

import numpy as np

from ..config import config
from ..errors import ArgumentError, NetworkError
from . import connectivity, connectors, dense, structural
from .arguments import mapping, number, numbers
from .attributes import coerce_values
from .constant import value_of
from .model import DescribedAttributes
from .population import numpy_dtype
from .random import RandomDistribution
from .synapse import Synapse

__all__ = ["Projection"]

_FLAGS = {"transmission": 0, "update": 1, "plasticity": 2, "axon_transmission": 4}


def default_synapse(pre):
    """The reference's default: a weighted rate for rate-coded pre, g_target += w for spikes."""
    if getattr(pre.population, "_spike_arrays", None) is not None:
        return Synapse(pre_spike="g_target += w", name="-")
    return Synapse(psp="w * pre.r", name="-")


def block_bounds(n, blocks):
    """The first rank of each of the ``blocks`` blocks of n neurons, then n (``ab_bound`` of
    annbook_rt.h: n b / blocks rounded to a multiple of 16)."""
    bounds = np.minimum(n, (n * np.arange(blocks + 1) + 8 * blocks) // (16 * blocks) * 16)
    bounds[-1] = n
    return bounds


class Projection(DescribedAttributes):
    """Synapses from ``pre`` to ``post`` (populations or views) for a target.

    Connect with one of the ``connect_*`` methods before ``compile()``. Synaptic
    attributes read as one array per dendrite (``proj.w``), per dendrite for
    ``postsynaptic`` ones, a number for ``projection`` ones. As in the reference, weights
    given as one number to a pattern connector, for a synapse that never changes ``w``, stay
    one number shared by all synapses (unless ``force_multiple_weights=True``).
    """

    def __init__(self, pre, post, target, synapse=None, name=None, disable_omp=True,
                 copied=False):
        from .network import global_network
        for side, obj in (("pre", pre), ("post", post)):
            if not hasattr(obj, "population"):
                raise NetworkError(f"Projection: '{side}' must be a Population or a "
                                   f"PopulationView, got {type(obj).__name__}")
        if isinstance(synapse, type) and issubclass(synapse, Synapse):
            synapse = synapse()
        if synapse is not None and not isinstance(synapse, Synapse):
            raise NetworkError(f"Projection: 'synapse' must be a Synapse, got "
                               f"{type(synapse).__name__}")
        network = global_network()
        self.pre, self.post = pre, post
        self.target = target
        self._targets = _targets(target)
        self.synapse_type = synapse or default_synapse(pre)
        if self.synapse_type._method is None:
            self.synapse_type._method = config["method"]
        self._description = self.synapse_type._describe()
        self.name = name or f"proj{network.next_projection_id()}"
        self._network = network
        self._connectivity = None
        self._recipe = None             # (connector, kwargs): how Network copies redraw it
        self._connector = None          # (connector name, arguments): what report() describes
        self._state = {}
        self._delay = np.zeros(1, dtype=np.int64)
        self._uniform = True
        # transmission, update, plasticity, learning, axon_transmission
        self._flags = np.ones(5, dtype=np.uint8)
        self._learn = np.array([1, 0], dtype=np.int64)
        self._initial = None
        self._spike_arrays = None           # pre-to-post index of a spiking projection
        self._weights_in_pre_order = None
        self._weights_stale = True
        self._cursor = None                 # per-synapse delays: next synapse of each spike
        self._single_weight = False         # one w shared by all synapses (see _one_weight)
        self._storage_format = "lil"        # as the reference resolved it (core/dense.py)
        self._sparse_chosen = False         # the user asked for a sparse storage_format
        self._dense = ""                    # compiled layout: '', 'full' or 'padded'
        self._rewiring = structural.Rewiring()      # pruning/creating schedule and masks
        self._new_synapse_values = {}       # numbers assigned before compile: new synapses' values
        network.add_projection(self)
        for target_name in self._targets:
            if target_name not in post.population.targets:
                post.population.targets.append(target_name)

    # ------------------------------------------------------------ description
    @property
    def size(self):
        """How many post-synaptic neurons receive synapses."""
        return 0 if self._connectivity is None else len(self._connectivity.post_ranks)

    def __len__(self):
        return self.size

    @property
    def nb_synapses(self):
        return 0 if self._connectivity is None else self._connectivity.nb_synapses

    @property
    def post_ranks(self):
        return [] if self._connectivity is None else self._connectivity.post_ranks.tolist()

    @property
    def pre_ranks(self):
        return [list(self._connectivity.pre_ranks[self._connectivity.row(k)])
                for k in range(self.size)]

    def nb_synapses_per_dendrite(self):
        return list(np.diff(self._connectivity.row_ptr)) if self._connectivity else []

    def nb_efferent_synapses(self):
        """Outgoing synapses of each pre neuron (ranks of the pre population)."""
        self._check_connected()
        return np.bincount(self._connectivity.pre_ranks, minlength=self.pre.population.size)

    def __repr__(self):
        return (f"Projection '{self.name}' from '{self.pre.name}' to '{self.post.name}' "
                f"(target {self.target}, {self.nb_synapses} synapses)")

    # ------------------------------------------------------------ connectors
    def _check_connectable(self):
        if self._network.compiled:
            raise NetworkError(f"Projection '{self.name}': connectivity cannot change after "
                               "compile()")
        if self._connectivity is not None:
            raise NetworkError(f"Projection '{self.name}' is already connected")

    def _connected(self, pattern, single_weight=False):
        """Attach a connector's synapses; ``single_weight``: one w for all of them."""
        self._check_connectable()
        # 4-byte pre ranks: the weighted sum is bound by memory traffic (12 bytes per synapse)
        pattern.pre_ranks = pattern.pre_ranks.astype(np.int32)
        self._connectivity = pattern
        if single_weight:
            self._description = _with_single_weight(self._description)
            self._single_weight = True
        self._make_state()
        return self

    def _one_weight(self, weights, force_multiple_weights):
        """As the reference: one number as weights, a synapse that never changes w, neither
        force_multiple_weights nor a dense storage: one weight for all synapses."""
        storage_format = self._storage_format
        description = self._description
        learns = description.attribute("w").kind == "variable" or any(
            d.target == "w" for definitions in description.events.values() for d in definitions)
        return (isinstance(weights, (int, float)) and not force_multiple_weights
                and storage_format != "dense" and not learns
                and not config["structural_plasticity"])

    def _own_weights(self):
        """Structural plasticity gives every synapse its own weight, as in the reference:
        undo a single weight decided before setup(structural_plasticity=True)."""
        if self._single_weight:
            value = self._state["w"][0]
            self._description = self.synapse_type._describe()
            self._single_weight = False
            self._state["w"] = np.full(self.nb_synapses, value, dtype=self._state["w"].dtype)

    def connect_all_to_all(self, weights, delays=0.0, allow_self_connections=False,
                           force_multiple_weights=False, storage_format=None, storage_order=None):
        """Connect every pre neuron to every post neuron."""
        return self._connected_by(
            connectors.all_to_all, storage_format, weights, force_multiple_weights,
            weights=weights, delays=delays, allow_self_connections=allow_self_connections)

    def connect_one_to_one(self, weights=1.0, delays=0.0, force_multiple_weights=False,
                           storage_format=None, storage_order=None):
        """Connect neuron i of pre to neuron i of post."""
        return self._connected_by(connectors.one_to_one, storage_format, weights,
                                  force_multiple_weights, weights=weights, delays=delays)

    def connect_fixed_probability(self, probability, weights, delays=0.0,
                                  allow_self_connections=False, force_multiple_weights=False,
                                  storage_format=None, storage_order=None):
        """Create each possible synapse independently with a probability."""
        return self._connected_by(
            connectors.fixed_probability, storage_format, weights, force_multiple_weights,
            probability=probability, weights=weights, delays=delays,
            allow_self_connections=allow_self_connections)

    def connect_fixed_number_pre(self, number, weights, delays=0.0, allow_self_connections=False,
                                 force_multiple_weights=False, storage_format=None,
                                 storage_order=None):
        """Each post neuron receives ``number`` randomly chosen pre neurons."""
        return self._connected_by(
            connectors.fixed_number_pre, storage_format, weights, force_multiple_weights,
            number=number, weights=weights, delays=delays,
            allow_self_connections=allow_self_connections)

    def connect_fixed_number_post(self, number, weights=1.0, delays=0.0,
                                  allow_self_connections=False, force_multiple_weights=False,
                                  storage_format=None, storage_order=None):
        """Each pre neuron reaches ``number`` randomly chosen post neurons."""
        return self._connected_by(
            connectors.fixed_number_post, storage_format, weights, force_multiple_weights,
            number=number, weights=weights, delays=delays,
            allow_self_connections=allow_self_connections)

    def connect_gaussian(self, amp, sigma, delays=0.0, limit=0.01, allow_self_connections=False,
                         storage_format=None):
        """Distance-dependent weights amp * exp(-d^2 / 2 sigma^2), cut below limit."""
        return self._connected_by(
            connectors.gaussian, storage_format, amp=amp, sigma=sigma, delays=delays,
            limit=limit, allow_self_connections=allow_self_connections)

    def connect_dog(self, amp_pos, sigma_pos, amp_neg, sigma_neg, delays=0.0, limit=0.01,
                    allow_self_connections=False, storage_format=None):
        """Difference-of-Gaussians weights."""
        return self._connected_by(
            connectors.dog, storage_format, amp_pos=amp_pos, sigma_pos=sigma_pos,
            amp_neg=amp_neg, sigma_neg=sigma_neg, delays=delays, limit=limit,
            allow_self_connections=allow_self_connections)

    def connect_from_matrix(self, weights, delays=0.0, pre_post=False, storage_format=None,
                            storage_order=None):
        """Synapses from a dense matrix (rows = post unless pre_post); None creates none."""
        return self._connected_by(connectors.from_matrix, storage_format, weights=weights,
                                  delays=delays, pre_post=pre_post)

    def connect_from_sparse(self, weights, delays=0.0, storage_format=None, storage_order=None):
        """Synapses from a scipy sparse (pre x post) matrix, as in the reference."""
        return self._connected_by(connectors.from_sparse, storage_format, weights=weights,
                                  delays=delays)

    def connect_with_func(self, method, storage_format=None, storage_order=None, **args):
        """Synapses from a user function (pre, post, **args) returning a LILConnectivity."""
        return self._connected_by(connectors.with_func, storage_format, method=method, **args)

    def connect_from_matrix_market(self, filename, storage_format=None, storage_order=None):
        """Synapses from a Matrix Market (.mtx) file of weights (rows = post, columns = pre).

        A benchmarking helper of the reference: every stored entry is a synapse, delays are 0.
        """
        return self._connected_by(connectors.from_matrix_market, storage_format,
                                  filename=filename)

    def connect_from_file(self, filename, pickle_encoding=None, storage_format=None,
                          storage_order=None):
        """Connectivity written by save_connectivity().

        ``.npz`` files are read without unpickling; ``.gz`` and other pickle files run the
        code they hold when read: load them only from sources you trust.
        """
        self._check_connectable()
        pattern = self._checked(connectivity.load(filename, pickle_encoding))
        self._connector = ("from_file", {"filename": filename})
        self._storage_format = dense.resolve_format(self, pattern, storage_format, "from_file")
        self._sparse_chosen = dense.sparse_chosen(storage_format)
        return self._connected(pattern)

    def _connected_by(self, connector, storage_format, given_weights=None,
                      force_multiple_weights=True, **kwargs):
        """Connect with ``connector(pre, post, **kwargs)`` in ``storage_format``;
        ``given_weights`` as one number may give one weight to all synapses (see
        ``_one_weight``)."""
        pattern = self._build(connector, **kwargs)
        self._storage_format = dense.resolve_format(self, pattern, storage_format,
                                                    connector.__name__)
        self._sparse_chosen = dense.sparse_chosen(storage_format)
        return self._connected(pattern, self._one_weight(given_weights, force_multiple_weights))

    def save_connectivity(self, filename):
        """Write ranks, weights and delays for connect_from_file(), replaced atomically.

        The format follows the extension: .npz, .mat, .gz (gzipped pickle), anything else
        pickle; a failed or interrupted save leaves the previous file intact.
        """
        self._check_connected()
        saved = self._connectivity.copy()
        saved.weights = self._state["w"].astype(np.float64) if self._is_local("w") else \
            np.full(saved.nb_synapses, float(self._state["w"][0]))
        connectivity.save(filename, saved)

    def _build(self, connector, **kwargs):
        self._check_connectable()
        try:
            pattern = self._checked(connector(self.pre, self.post, **kwargs))
        except NetworkError as error:
            raise type(error)(f"Projection '{self.name}': {error}") from None
        if connector not in (connectors.from_matrix, connectors.from_sparse,
                             connectors.from_matrix_market):
            self._recipe = (connector, kwargs)
        self._connector = (connector.__name__, kwargs)
        return pattern

    def _checked(self, pattern):
        if pattern.nb_synapses and (
                pattern.pre_ranks.max() >= self.pre.population.size
                or pattern.post_ranks.max() >= self.post.population.size
                or pattern.pre_ranks.min() < 0 or pattern.post_ranks.min() < 0):
            raise NetworkError(f"Projection '{self.name}': ranks outside the pre ({self.pre.size})"
                               f" or post ({self.post.size}) population")
        return pattern

    # ------------------------------------------------------------ state
    def _count(self, attr):
        if attr.locality == "local":
            return self.nb_synapses
        return self.size if attr.locality == "semiglobal" else 1

    def _known(self, name):
        """``name``, when it is an attribute of the synapse."""
        if name not in self._state:
            raise NetworkError(f"Projection '{self.name}' has no attribute '{name}'; it has "
                               f"{self.attributes}")
        return name

    def _is_local(self, name):
        return self._description.attribute(name).locality == "local"

    def _make_state(self):
        for attr in self._description.attributes:
            self._state[attr.name] = np.full(self._count(attr), value_of(attr.init),
                                             dtype=numpy_dtype(attr.ctype))
        self._last_event = np.full(self._connectivity.nb_synapses, structural.LAST_EVENT_NONE,
                                   dtype=np.int64)
        weights = self._connectivity.weights
        if self._is_local("w"):
            self._state["w"][:] = weights
        elif len(weights):
            self._state["w"][:] = weights[0]
        self._set_delays(self._connectivity.delays)

    def _set_delays(self, delays):
        dt = config["dt"]
        if isinstance(delays, np.ndarray):
            # per-synapse delays stay per synapse even when equal, as in the reference
            steps = np.where(delays > 0, np.maximum(1, np.round(delays / dt)), 0).astype(np.int64)
        else:
            steps = np.array([max(1, round(delays / dt)) if delays > 0 else 0], dtype=np.int64)
        if np.any(steps < 0):
            raise NetworkError(f"Projection '{self.name}': delays must be positive")
        uniform = not isinstance(delays, np.ndarray)
        if self._network.compiled and uniform != self._uniform:
            raise NetworkError(f"Projection '{self.name}': after compile(), delays can change "
                               "their values but not switch between one delay and per-synapse "
                               "delays")
        self._delay = steps
        self._uniform = uniform
        self._spike_arrays = None
        if self._network.compiled:
            self._network.rebind()

    @property
    def uniform_delay(self):
        return self._uniform

    @property
    def max_delay(self):
        return int(self._delay.max()) if self._delay.size else 0

    @property
    def delay(self):
        """Delays in ms: one number, or one array per dendrite."""
        if self.uniform_delay:
            return float(self._delay[0] * config["dt"])
        return [self._delay[self._connectivity.row(k)] * config["dt"] for k in range(self.size)]

    @delay.setter
    def delay(self, value):
        self._check_connected()
        if isinstance(value, RandomDistribution):
            value = value.get_values(self.nb_synapses)
        what = f"Projection '{self.name}': the delays"
        if np.ndim(value) == 0:
            self._set_delays(number(value, what))
        else:
            self._set_delays(np.concatenate([numbers(np.atleast_1d(v), what) for v in value])
                             if isinstance(value, list) else numbers(value, what).ravel())

    def __getstate__(self):
        """Pickled without the weights in pre-to-post order (taken again at the next run);
        the index itself travels, as sorting the synapses costs more than sending it."""
        state = dict(self.__dict__)
        state.update(_weights_in_pre_order=None, _weights_stale=True)
        return state

    def _check_connected(self):
        if self._connectivity is None:
            raise NetworkError(f"Projection '{self.name}' has no synapses yet: call one of its "
                               "connect_* methods")

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        state = self.__dict__.get("_state", {})
        if name in state:
            return self._get(name)
        description = self.__dict__.get("_description")
        if description is not None and description.attribute(name) is not None:
            self._check_connected()
        raise AttributeError(f"Projection '{self.__dict__.get('name')}' has no attribute '{name}'")

    def __setattr__(self, name, value):
        if name in _FLAGS:
            self._flags[_FLAGS[name]] = bool(value)
        elif name in self.__dict__.get("_state", {}):
            self._set(name, value)
        else:
            object.__setattr__(self, name, value)

    @property
    def transmission(self):
        return bool(self._flags[0])

    @property
    def axon_transmission(self):
        return bool(self._flags[4])

    @property
    def update(self):
        return bool(self._flags[1])

    @property
    def plasticity(self):
        return bool(self._flags[2])

    def _get(self, name):
        values = self._state[name]
        attr = self._description.attribute(name)
        if attr.locality == "global":
            return values[0].item()
        if attr.locality == "semiglobal":
            return values.copy()
        return [values[self._connectivity.row(k)].copy() for k in range(self.size)]

    def _set(self, name, value):
        self._network.check_usable(self)
        if name == "w" and self._single_weight:
            self._check_single_weight(value, f"Projection '{self.name}'")
        values = self._state[name]
        attr = self._description.attribute(name)
        owner = f"Projection '{self.name}'"
        if attr.locality == "local" and isinstance(value, list) and len(value) == self.size \
                and self.size and all(np.ndim(v) == 1 for v in value):
            value = np.concatenate(value)
        values[:] = coerce_values(owner, name, value, values.size, (values.size,), values.dtype)
        if not self._network.compiled and attr.locality == "local" and np.ndim(value) == 0 \
                and not isinstance(value, RandomDistribution):
            self._new_synapse_values[name] = values[0].item() if values.size else value
        self._changed()

    def _check_single_weight(self, value, owner, part=None):
        """A single weight takes one number for the whole projection, as in the reference;
        ``part`` ('one dendrite', 'one synapse') names a part that cannot have its own."""
        if part is None and np.ndim(value) == 0 and not isinstance(value, RandomDistribution):
            return
        what = f"the weights of {part}" if part else f"{type(value).__name__} values to 'w'"
        raise NetworkError(f"{owner}: cannot assign {what}: the synapses of '{self.name}' share "
                           "one weight (weights given as a single number to a synapse that never "
                           "changes w); assign one number to the projection's w, or connect "
                           "with force_multiple_weights=True to give each synapse its own weight")

    def get(self, name):
        """Values of a synaptic attribute (one array per dendrite for local ones)."""
        return self._get(self._known(name))

    def set(self, value):
        """Assign synaptic attributes from a dict {name: value}."""
        for name, item in mapping(value, f"Projection '{self.name}': set()").items():
            self._set(self._known(name), item)

    # ------------------------------------------------------------ dendrites
    def dendrite(self, post):
        """The Dendrite of a post neuron (rank or coordinates in the post population)."""
        from .dendrite import Dendrite
        self._check_connected()
        rank = post if np.isscalar(post) else self.post.population.rank_from_coordinates(post)
        index = np.searchsorted(self._connectivity.post_ranks, rank)
        if index >= self.size or self._connectivity.post_ranks[index] != rank:
            raise NetworkError(f"Projection '{self.name}': post neuron {rank} receives no synapse")
        return Dendrite(self, int(rank), int(index))

    def __getitem__(self, rank):
        return self.dendrite(rank)

    @property
    def dendrites(self):
        return (self.dendrite(rank) for rank in self.post_ranks)

    def __iter__(self):
        return self.dendrites

    def synapse(self, pre, post):
        """The single synapse from ``pre`` to ``post`` (ranks), or None."""
        try:
            dendrite = self.dendrite(post)
        except NetworkError:
            return None
        return dendrite.synapse(pre) if pre in dendrite.pre_ranks else None

    def connectivity_matrix(self, fill=0.0):
        """Dense (post x pre) weights of the view sizes, ``fill`` where there is no synapse."""
        self._check_connected()
        matrix = np.full((self.post.size, self.pre.size),
                         number(fill, "connectivity_matrix(): fill", finite=False), dtype=np.float64)
        post_index = _positions(self.post)
        pre_index = _positions(self.pre)
        c = self._connectivity
        rows = np.repeat(post_index[c.post_ranks], np.diff(c.row_ptr))
        weights = self._state["w"] if self._is_local("w") else np.full(c.nb_synapses,
                                                                       self._state["w"][0])
        matrix[rows, pre_index[c.pre_ranks]] = weights
        return matrix

    def receptive_fields(self, variable="w", in_post_geometry=True):
        """All receptive fields laid out side by side in the post geometry."""
        self._check_connected()
        self._known(variable)
        pre_shape = _shape2d(self.pre.geometry if hasattr(self.pre, "geometry") else
                             (self.pre.size,))
        post_shape = _shape2d(self.post.geometry) if in_post_geometry else (self.post.size, 1)
        fields = np.zeros((post_shape[0] * pre_shape[0], post_shape[1] * pre_shape[1]))
        for position, rank in enumerate(_ranks(self.post)):
            x, y = np.unravel_index(position, post_shape)
            try:
                field = self.dendrite(int(rank)).receptive_field(variable)
            except NetworkError:
                field = np.zeros(pre_shape)
            fields[x * pre_shape[0]:(x + 1) * pre_shape[0],
                   y * pre_shape[1]:(y + 1) * pre_shape[1]] = field.reshape(pre_shape)
        return fields

    # ------------------------------------------------------------ learning
    def enable_learning(self, period=None, offset=None):
        """Update the synaptic variables again, optionally every ``period`` ms from ``offset``."""
        dt = config["dt"]
        period = number(period, f"Projection '{self.name}': period") if period else None
        offset = number(offset, f"Projection '{self.name}': offset") if offset else None
        self._flags[3] = 1
        self._learn[0] = max(1, int(round(period / dt))) if period else 1
        self._learn[1] = int(round(offset / dt)) if offset else 0

    def disable_learning(self, update=None):
        """Stop updating the synaptic variables (weights stay as they are)."""
        self._flags[3] = 0

    # ------------------------------------------------------------ structural plasticity
    def start_creating(self, period=None):
        """Create synapses where the synapse's ``creating`` condition holds, every ``period``
        ms (default: every step) from the current step on.

        Needs ``setup(structural_plasticity=True)`` before ``compile()``. Only post neurons
        that have a dendrite receive new synapses; a new synapse gets the weight ``w=`` and
        the delay ``d=`` of the condition's flags (default 0 and the projection's delay),
        the other attributes their initial values.
        """
        structural.start(self, "creating", period)

    def start_pruning(self, period=None):
        """Remove the synapses whose ``pruning`` condition holds, every ``period`` ms
        (default: every step) from the current step on; needs
        ``setup(structural_plasticity=True)`` before ``compile()``."""
        structural.start(self, "pruning", period)

    def stop_creating(self):
        """Stop evaluating the ``creating`` condition."""
        structural.stop(self, "creating")

    def stop_pruning(self):
        """Stop evaluating the ``pruning`` condition."""
        structural.stop(self, "pruning")

    def _structural_rules(self):
        """{'pruning'/'creating': StructuralRule} compiled for this projection: the synapse's
        conditions when structural plasticity is on (at compile time), else none."""
        network = self._network
        enabled = network._structural_plasticity if network.compiled else \
            config["structural_plasticity"]
        return self._description.structural if enabled else {}

    def _new_values(self, name):
        """What a synapse created after compile() holds for a per-synapse attribute, as in
        the reference: a number assigned to the projection before compile(), else the
        attribute's initial value."""
        if name in self._new_synapse_values:
            return self._new_synapse_values[name]
        return value_of(self._description.attribute(name).init)

    def _rewire(self, row_ptr, pre_ranks, edit):
        """Replace the connectivity (same rows) and every array that depends on it.

        ``edit(array, name)`` makes the per-synapse array ``name`` (an attribute,
        'last_event' or 'delay') of the new connectivity from the current one (see
        ``structural.inserting``, ``keeping``, ``renewing``). The spike index, the weights
        in pre order, the cursors of spikes in flight and the compiled addresses follow.
        """
        for name, array in self._state.items():
            if self._is_local(name):
                self._state[name] = edit(array, name)
        self._last_event = edit(self._last_event, "last_event")
        if not self.uniform_delay:
            self._delay = edit(self._delay, "delay")
        dt = self._network.dt
        self._connectivity = connectivity.Connectivity(
            self._connectivity.post_ranks, row_ptr, pre_ranks.astype(np.int32, copy=False),
            self._state["w"], self._delay * dt if not self.uniform_delay
            else self._connectivity.delays)
        self._spike_arrays = None
        self._weights_in_pre_order = None
        self._changed()
        if self._network.compiled:
            structural.remap_cursors(self, self._network.last_delivered_step())
            self._network._rebind_needed = True         # before the loop reads the arrays

    def _fill(self, name, given):
        """What new synapses hold for a per-synapse array: ``given[name]``, or the default."""
        if name in given:
            return given[name]
        if name == "last_event":
            return structural.LAST_EVENT_NONE
        return 0 if name == "delay" else self._new_values(name)

    def update_launch_config(self, nb_blocks=-1, threads_per_block=32):
        """Accepted for scripts written for the reference; it has no effect in annbook.

        In the reference it sets the CUDA blocks and threads of this projection's kernels on
        the GPU back-end; annbook runs on the CPU.
        """

    # ------------------------------------------------------------ reset and files
    def _snapshot(self):
        self._initial = {name: values.copy() for name, values in self._state.items()}
        self._initial_delay = self._delay.copy()
        c = self._connectivity           # None for shared-weight projections (convolutions)
        self._initial_synapses = (c.row_ptr, c.pre_ranks) if c is not None else None

    def _rewired(self):
        """Whether synapses were created or pruned since compile()."""
        if self._initial_synapses is None:
            return False
        c = self._connectivity
        row_ptr, pre_ranks = self._initial_synapses
        if c.row_ptr is row_ptr and c.pre_ranks is pre_ranks:
            return False
        return not (np.array_equal(c.row_ptr, row_ptr) and np.array_equal(c.pre_ranks, pre_ranks))

    def _initial_values(self, name):
        """Compile-time values of an attribute for the current synapses: a synapse created
        since then gets what new synapses get."""
        initial = self._initial[name]
        if not self._is_local(name) or not self._rewired():
            return initial
        row_ptr, pre_ranks = self._initial_synapses
        n_pre = self.pre.population.size
        rows = np.repeat(np.arange(row_ptr.size - 1), np.diff(row_ptr))
        then = rows * n_pre + pre_ranks
        c = self._connectivity
        now = np.repeat(np.arange(c.size), np.diff(c.row_ptr)) * n_pre + c.pre_ranks
        where = np.minimum(np.searchsorted(then, now), max(then.size - 1, 0))
        found = then[where] == now if then.size else np.zeros(now.size, dtype=bool)
        return np.where(found, initial[where] if then.size else 0, self._new_values(name))

    def reset(self, attributes=-1, synapses=False):
        """Restore synaptic variables (all, or the listed ones) to their compile-time values.

        With ``synapses=True`` the weights, the delays and, after structural plasticity, the
        synapses of compile time come back too.
        """
        if self._initial is None:
            return
        names = self.variables if attributes == -1 else list(attributes)
        if synapses:
            names = list(self._initial)
            if self._rewired():
                row_ptr, pre_ranks = self._initial_synapses
                self._rewire(row_ptr, pre_ranks, structural.renewing(self, pre_ranks.size))
        for name in names:
            if name != "w" or synapses:
                self._state[name][:] = self._initial_values(name)
        if synapses and self._delay.size == self._initial_delay.size:
            self._delay[:] = self._initial_delay
            self._spike_arrays = None
            if self._network.compiled:
                self._network.rebind()
        self._changed()

    def save(self, filename):
        """Write connectivity and attribute values of the projection, replaced atomically.

        The format follows the extension: .npz, .mat (MATLAB, for analysis only), .gz
        (gzipped pickle), anything else pickle.
        """
        from .io import save_object
        save_object(self, filename)

    def load(self, filename, pickle_encoding=None):
        """Restore attribute values and delays written by save() (same connectivity).

        A file of another projection (other connectivity, attributes or shapes) is refused
        with what differs. Pickle files (.gz and others) run code from the file: trusted
        files only.
        """
        from .io import load_object
        load_object(self, filename, pickle_encoding)

    def _saved(self):
        c = self._connectivity
        data = {"post_ranks": c.post_ranks, "row_ptr": c.row_ptr, "pre_ranks": c.pre_ranks,
                "delay": self._delay}
        data.update({f"attr_{name}": values for name, values in self._state.items()})
        return data

    def _same_synapses(self, data):
        """Whether saved data (``_saved()``) holds the synapses of this projection."""
        c = self._connectivity
        return all(np.array_equal(np.asarray(data[key]).reshape(-1), getattr(c, key))
                   for key in ("post_ranks", "row_ptr", "pre_ranks"))

    def _takes_synapses(self, data):
        """Why the synapses of saved data cannot replace these ones ('' when they can: with
        structural plasticity, the same dendrites and valid ranks)."""
        network = self._network
        if not (network.compiled and network._structural_plasticity):
            return ("random connectors draw again in a new process: fix setup(seed=...) before "
                    "creating the network, build it with connect_from_file() from a "
                    "save_connectivity() file, or compile with "
                    "setup(structural_plasticity=True) to load other synapses")
        if not np.array_equal(np.asarray(data["post_ranks"]).reshape(-1),
                              self._connectivity.post_ranks):
            return ("structural plasticity keeps the post neurons that have a dendrite, and the "
                    "file has others")
        try:
            connectivity.Connectivity(
                data["post_ranks"], data["row_ptr"], data["pre_ranks"],
                np.zeros(np.asarray(data["pre_ranks"]).size)).validate(
                    self.pre.population.size, self.post.population.size)
        except connectivity.ConnectivityError as error:
            return str(error)
        return ""

    def _restore(self, data):
        """Apply values of _saved() that io.py checked against this projection (its synapses
        replace these ones when they differ, with structural plasticity)."""
        if not self._same_synapses(data):
            pre_ranks = np.asarray(data["pre_ranks"]).reshape(-1)
            self._rewire(np.asarray(data["row_ptr"], dtype=np.int64).reshape(-1), pre_ranks,
                         structural.renewing(self, pre_ranks.size))
        for name, values in self._state.items():
            values[:] = np.asarray(data[f"attr_{name}"]).reshape(-1)
        steps = np.asarray(data["delay"], dtype=np.int64).reshape(-1)
        if not np.array_equal(steps, self._delay):
            self._delay = steps.copy()
            self._spike_arrays = None
            if self._network.compiled:
                self._network.rebind()
        self._changed()

    def size_in_bytes(self):
        """Memory held by connectivity and synaptic attributes."""
        c = self._connectivity
        arrays = list(self._state.values()) + [self._delay]
        if c is not None:
            arrays += [c.post_ranks, c.row_ptr, c.pre_ranks]
        return int(sum(a.nbytes for a in arrays))

    # ------------------------------------------------------------ compile hooks
    # what else decides the generated code of a specific kind (dimensions of a convolution...)
    _layout = ()

    @property
    def spiking(self):
        return self.synapse_type.type == "spike"

    @property
    def transmission_kind(self):
        """What the generated code does with it: 'spike' events or a 'rate' sum."""
        return "spike" if self.spiking else "rate"

    def _spike_index(self):
        """Arrays of the compiled spike propagation (see codegen/spiking.py).

        The synapses of each pre neuron, sorted by delay then post rank: their post
        rank, their index in the post-to-pre arrays and their delay in steps (at
        least one); the row of each post neuron; the step of each synapse's last
        event. Built again when the delays change.
        """
        if self._spike_arrays is None:
            c = self._connectivity
            if c.nb_synapses >= 2 ** 31:
                raise NetworkError(f"Projection '{self.name}': {c.nb_synapses} synapses; a "
                                   "spiking projection holds at most 2**31 - 1")
            delays = np.maximum(1, np.broadcast_to(self._delay, (c.nb_synapses,)))
            pre_ptr, order = c.pre_index(self.pre.population.size, delays)
            row_of_post = np.full(self.post.population.size, -1, dtype=np.int64)
            row_of_post[c.post_ranks] = np.arange(c.size)
            self._spike_arrays = {
                "pre_ptr": pre_ptr, "pre_syn": order.astype(np.int32),
                "pre_post": c.post_of_synapses()[order].astype(np.int32),
                "pre_delay": delays[order].astype(np.int32), "row_of_post": row_of_post,
                "last_event": self._last_event}
            self._weights_stale = True
        return self._spike_arrays

    def _block_starts(self, blocks):
        """Where each pre neuron's synapses onto each block of post neurons start in the
        pre-to-post index (pre x (blocks + 1), the blocks of the threads: ``ab_bound`` in
        annbook_rt.h), so that a thread delivers a spike to its blocks without a search."""
        index = self._spike_index()
        pre_size, post_size = self.pre.population.size, self.post.population.size
        starts = index.get("block_starts")
        if starts is None or starts.shape != (pre_size, blocks + 1):
            pre_ptr = index["pre_ptr"]
            block_of = np.searchsorted(block_bounds(post_size, blocks), index["pre_post"],
                                       side="right") - 1
            pre_of = np.repeat(np.arange(pre_size), np.diff(pre_ptr))
            counts = np.bincount(pre_of * blocks + block_of,
                                 minlength=pre_size * blocks).reshape(pre_size, blocks)
            starts = np.zeros((pre_size, blocks + 1), dtype=np.int64)
            np.cumsum(counts, axis=1, out=starts[:, 1:])
            starts += pre_ptr[:-1, None]
            index["block_starts"] = starts
        return starts

    def _static_weights(self):
        """Weights in the order of the pre-to-post index (or pre x post for a dense layout),
        for projections that never write them; refreshed before a run when Python changed
        them."""
        if self._dense:                         # pre x post, zeros where no synapse
            if self._weights_stale or self._weights_in_pre_order is None:
                self._weights_in_pre_order = dense.transposed_weights(
                    self, self._weights_in_pre_order)
                self._weights_stale = False
            return self._weights_in_pre_order
        order = self._spike_index()["pre_syn"]
        if self._weights_in_pre_order is None or self._weights_in_pre_order.size != order.size:
            self._weights_in_pre_order = np.empty(order.size, dtype=self._state["w"].dtype)
            self._weights_stale = True
        if self._weights_stale:
            np.take(self._state["w"], order, out=self._weights_in_pre_order)
            self._weights_stale = False
        return self._weights_in_pre_order

    def _dense_info(self):
        """[first post rank, rows, first pre rank, columns] that a dense layout's code reads."""
        if self.__dict__.get("_dense_array") is None:
            self._dense_array = dense.dense_info(self)
        return self._dense_array

    def _changed(self):
        """Python wrote synaptic values: copies kept for the compiled code are stale."""
        self._weights_stale = True

    def _allocate_gop(self, key):
        buffers = self.__dict__.setdefault("_gops", {})
        if key not in buffers:
            buffers[key] = np.zeros(1)
        return buffers[key]

    def _field(self, key):
        c = self._connectivity
        return {"post_ranks": c.post_ranks, "row_ptr": c.row_ptr, "pre_ranks": c.pre_ranks,
                "delay": self._delay, "flags": self._flags, "learn": self._learn}[key]


def _targets(target):
    """The target names of a projection: a name or a list of names (they reach the code)."""
    targets = [target] if isinstance(target, str) else target
    if not isinstance(targets, (list, tuple)) or not targets or \
            not all(isinstance(t, str) and t.isidentifier() for t in targets):
        raise ArgumentError(f"Projection: the target must be a name such as 'exc' or a list of "
                            f"names, got {target!r}")
    return list(targets)


def _with_single_weight(description):
    """A copy of a synapse description whose w is one value for the whole projection."""
    attributes = [dataclasses.replace(a, locality="global") if a.name == "w" else a
                  for a in description.attributes]
    return dataclasses.replace(description, attributes=attributes)


def _ranks(obj):
    return np.asarray(obj.ranks).reshape(-1)


def _positions(obj):
    """Position of each population rank inside a population or view (-1 when absent)."""
    positions = np.full(obj.population.size, -1, dtype=np.int64)
    positions[_ranks(obj)] = np.arange(obj.size)
    return positions


def _shape2d(geometry):
    geometry = tuple(geometry)
    return geometry if len(geometry) == 2 else (int(np.prod(geometry)), 1)

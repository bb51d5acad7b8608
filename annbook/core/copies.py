"""Copies of global objects inside another Network (``Network.add``).

A population is copied with its current values. A projection re-applies its
connector in the new network, drawing from that network's connectivity seed
(explicit connectivity, from a matrix, a sparse matrix or a file, is copied as
it is). A monitor records the same variables with the same period.
"""

import numpy as np

from ..errors import NetworkError
from . import structural
from .dendrite import Dendrite
from .monitor import Monitor
from .population import Population
from .projection import Projection
from .views import IndividualNeuron, PopulationView

__all__ = ["copy_into", "copy_of", "mapped"]


def copy_of(source, seed=None):
    """A new network holding a copy of everything in ``source``, compiled if it is.

    With a ``seed``, its connectivity, its generators and numpy's global
    generator depend on that seed alone, whatever process makes the copy.
    """
    from .network import Network
    network = Network()
    if seed is not None:
        network.set_seed(seed)
        network._connectivity_seed = seed
    network.add(source.populations + source.projections + source.monitors)
    if source.compiled:
        network.compile(silent=True)
    return network


def copy_into(obj, network):
    """A copy of ``obj`` that belongs to ``network``."""
    if isinstance(obj, Population):
        return _copy_population(obj, network)
    if isinstance(obj, Projection):
        return _copy_projection(obj, network)
    if isinstance(obj, Monitor):
        copy = _copy_monitor(obj, network)
        copy._uid = obj._uid                # found by Network.get() like the original
        return copy
    if hasattr(obj, "_copy_into"):            # objects made of the above (BOLD monitors)
        return obj._copy_into(network)
    raise NetworkError(f"Network {network.id}: cannot add a {type(obj).__name__}; expected a "
                       "Population, a Projection or a Monitor")


def _copy_population(population, network):
    copy = object.__new__(type(population))
    copy.__dict__.update(population.__dict__)
    copy.__dict__.update(
        _state={name: values.copy() for name, values in population._state.items()},
        _buffers={}, _enabled=population._enabled.copy(),
        _ring_depth=np.zeros(1, dtype=np.int64), _spike_depth=np.zeros(1, dtype=np.int64),
        _initial=None, _refractory=None if population._refractory is None
        else population._refractory.copy(),
        _spike_arrays=None if population._spike_arrays is None
        else {k: v.copy() for k, v in population._spike_arrays.items()},
        targets=list(population.targets), _network=network)
    for name in ("_table", "_schedule"):     # replayed inputs: each copy has its own cursor
        if isinstance(population.__dict__.get(name), dict):
            copy.__dict__[name] = {k: v.copy() for k, v in population.__dict__[name].items()}
    if copy.__dict__.get("_table") is not None:  # as a new input of the reference: clock at 0
        copy._table["info"][2:] = 0
        copy.__dict__["_compiled_table"] = None
    network.add_population(copy)
    return copy


def mapped(obj, network):
    """The copy, in ``network``, of a population, view, neuron, projection or dendrite."""
    if isinstance(obj, Population):
        return network.get(obj)
    if isinstance(obj, PopulationView):
        return PopulationView(network.get(obj.population), obj.ranks, obj.geometry)
    if isinstance(obj, IndividualNeuron):
        return IndividualNeuron(network.get(obj.population), obj.rank)
    if isinstance(obj, Projection):
        return network.get(obj)
    if isinstance(obj, Dendrite):
        return network.get(obj.proj).dendrite(obj.post_rank)
    raise NetworkError(f"cannot copy a reference to a {type(obj).__name__}")


def _copy_projection(projection, network):
    for side in (projection.pre, projection.post):
        if side.population._uid not in network._copies:
            raise NetworkError(f"Network {network.id}: add the population "
                               f"'{side.population.name}' before the projection "
                               f"'{projection.name}'")
    copy = object.__new__(type(projection))
    copy.__dict__.update(projection.__dict__)
    copy.__dict__.update(
        pre=mapped(projection.pre, network), post=mapped(projection.post, network),
        _network=network, _flags=projection._flags.copy(), _learn=projection._learn.copy(),
        _initial=None, _gops={}, _connectivity=None, _state={}, _spike_arrays=None,
        _weights_in_pre_order=None, _weights_stale=True, _cursor=None, _decoding=None,
        _dense_array=None,
        _rewiring=structural.Rewiring(),
        _new_synapse_values=dict(projection._new_synapse_values))
    network.add_projection(copy)
    if hasattr(projection, "_copy_connection"):   # synapses not stored one by one (extensions)
        projection._copy_connection(copy, network)
        return copy
    if projection._connectivity is None:
        return copy
    if projection._recipe is not None:
        connector, kwargs = projection._recipe
        state = np.random.get_state()
        np.random.seed(network.connectivity_seed())
        try:
            copy._connected(copy._build(connector, **kwargs))
        finally:
            np.random.set_state(state)
        for name, values in projection._state.items():
            if projection._description.attribute(name).locality != "local":
                copy._state[name][:] = values
    else:
        pattern = projection._connectivity.copy()
        copy._connected(pattern)
        copy.__dict__.update(_state={k: v.copy() for k, v in projection._state.items()},
                             _delay=projection._delay.copy())
    _share_spike_index(projection, copy)
    return copy


def _share_spike_index(projection, copy):
    """A copy with the same synapses and delays as the original (all-to-all, one-to-one,
    explicit patterns) uses the original's pre-to-post index instead of sorting them again:
    the compiled code only reads it."""
    if copy.transmission_kind not in ("spike", "decoding") or projection._spike_arrays is None:
        return
    mine, theirs = copy._connectivity, projection._connectivity
    if np.array_equal(mine.row_ptr, theirs.row_ptr) and \
            np.array_equal(mine.pre_ranks, theirs.pre_ranks) and \
            np.array_equal(mine.post_ranks, theirs.post_ranks) and \
            np.array_equal(copy._delay, projection._delay):
        copy._spike_arrays = dict(projection._spike_index(), last_event=copy._last_event)


def _copy_monitor(monitor, network):
    return Monitor(mapped(monitor.object, network), list(monitor.variables), monitor._period,
                   monitor._period_offset or None, start=monitor._recording)

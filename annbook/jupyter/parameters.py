"""The parameters a live control changes: where they live, their values, their slider range.

A parameter is named ``"name"`` (searched in the controlled populations and
projections), ``"owner.name"`` (a population or projection of the network by its
name) or given as ``(owner, "name")`` / ``(owner, "name", "label")`` where owner is a
Population, a PopulationView, a neuron or a Projection of the network. A
``: population`` parameter has one value; a per-neuron (or per-synapse) one is set
to the slider's value for all neurons of the owner (use a view to change some).
"""

import math

import numpy as np

from ..core.constant import get_constant
from ..errors import NetworkError

__all__ = ["ControlledParameter", "resolve_parameters", "objects_of", "check_member"]


class ControlledParameter:
    """One parameter of one owner behind one slider."""

    def __init__(self, owner, name, label):
        self.owner = owner
        self.name = name
        self.label = label
        self.attribute = owner._description.attribute(name)
        self.kind = {"int": "int", "bool": "bool"}.get(self.attribute.ctype, "float")

    # ------------------------------------------------------------ values
    def values(self):
        """The current values of the owner's selection (a view of the state where possible)."""
        population = getattr(self.owner, "population", None)
        state = (population or self.owner)._state[self.name]
        ranks = self.owner._ranks() if population is not None else None
        if ranks is None or state.size == 1:
            return state
        return state[np.atleast_1d(ranks)]

    def current(self):
        """The slider's value: the common value, or the mean when the values differ."""
        values = self.values()
        if self.kind == "bool":
            return bool(values[0])
        value = float(values.mean()) if values.size else 0.0
        return int(round(value)) if self.kind == "int" else value

    def uniform(self):
        """True when every neuron (synapse) of the selection has the same value."""
        values = self.values()
        return bool(values.size == 0 or np.all(values == values[0]))

    def assign(self, value):
        """Give every neuron (synapse) of the selection ``value``, through the owner's checks."""
        setattr(self.owner, self.name, value)

    # ------------------------------------------------------------ slider range
    def declared_bounds(self):
        """(min, max) declared with ``min=``/``max=`` flags, None where absent."""
        return tuple(_number(getattr(self.attribute, key)) for key in ("min", "max"))

    def slider_range(self, given=None):
        """(low, high, step) of the slider: ``given`` (low, high[, step]) or derived.

        A derived range spans 0 to twice the largest value (negative values: twice the
        smallest to 0) and stays inside the declared bounds; a given range outside them
        raises NetworkError.
        """
        low_bound, high_bound = self.declared_bounds()
        if given is not None:
            low, high, step = self._checked_range(given, low_bound, high_bound)
        else:
            low, high = self._derived_range(low_bound, high_bound)
            step = None
        if self.kind == "int":
            return int(math.floor(low)), int(math.ceil(high)), max(1, int(step or 1))
        return float(low), float(high), float(step or _nice_step((high - low) / 200.0))

    def _checked_range(self, given, low_bound, high_bound):
        try:
            low, high, *rest = (float(v) for v in given)
        except (TypeError, ValueError):
            raise NetworkError(f"control(): the range of '{self.label}' must be (low, high) or "
                               f"(low, high, step), got {given!r}") from None
        step = rest[0] if rest else None
        if len(rest) > 1 or not low < high or (step is not None and step <= 0):
            raise NetworkError(f"control(): the range of '{self.label}' must be (low, high) or "
                               f"(low, high, step) with low < high and step > 0, got {given!r}")
        for value, bound, side in ((low, low_bound, "min"), (high, high_bound, "max")):
            if bound is not None and (value < bound if side == "min" else value > bound):
                raise NetworkError(
                    f"control(): the range {given!r} of '{self.label}' goes beyond the "
                    f"{side}={bound:g} declared in model '{self._model_name()}'; choose a "
                    f"range inside [{_text(low_bound)}, {_text(high_bound)}]")
        return low, high, step

    def _derived_range(self, low_bound, high_bound):
        values = self.values()
        smallest = float(values.min()) if values.size else 0.0
        largest = float(values.max()) if values.size else 0.0
        if smallest >= 0.0:
            low, high = 0.0, 2.0 * largest
        elif largest <= 0.0:
            low, high = 2.0 * smallest, 0.0
        else:
            reach = 2.0 * max(-smallest, largest)
            low, high = -reach, reach
        if high <= low:
            low, high = -1.0, 1.0
        if low_bound is not None:
            low = max(low, low_bound)
        if high_bound is not None:
            high = min(high, high_bound)
        if high <= low:                     # the values sit on a bound: open towards the other
            span = abs(low) or 1.0
            high = low + span if high_bound is None else high_bound
            low = high - span if low_bound is None else low_bound
        return low, high

    def _model_name(self):
        owner = getattr(self.owner, "population", self.owner)
        model = getattr(owner, "neuron_type", None) or getattr(owner, "synapse_type", None)
        return getattr(model, "name", "?")


def objects_of(target):
    """The populations, views and projections a control's target names, and their network."""
    from ..core.network import Network, network_of
    if isinstance(target, Network):
        network, objects = target, target.populations + target.projections
    else:
        objects = list(target) if isinstance(target, (list, tuple)) else [target]
        if not objects:
            raise NetworkError("control(): nothing to control; give a Network, a Population, "
                               "a PopulationView or a list of them")
        for obj in objects:
            if not hasattr(obj, "_description"):
                raise NetworkError(f"control(): cannot control a {type(obj).__name__}; give a "
                                   "Network, Populations, PopulationViews or Projections")
        networks = {id(network_of(_root(obj))): network_of(_root(obj)) for obj in objects}
        if len(networks) > 1:
            raise NetworkError("control(): the objects belong to different networks; one "
                               "control drives one network")
        network = next(iter(networks.values()))
        for obj in objects:
            check_member(network, obj)
    return network, objects


def resolve_parameters(network, objects, specs):
    """ControlledParameters for the given specs, with unique labels (errors name the problem)."""
    resolved, seen = [], set()
    qualify = len(objects) > 1
    for spec in specs:
        parameter = _resolve(network, objects, spec, qualify)
        keys = {parameter.label, (id(parameter.owner), parameter.name)}
        if keys & seen:
            raise NetworkError(f"control(): the parameter '{parameter.label}' is given twice")
        seen |= keys
        resolved.append(parameter)
    return resolved


def _resolve(network, objects, spec, qualify):
    if isinstance(spec, str):
        if "." in spec:
            owner_name, name = spec.rsplit(".", 1)
            owner = _by_name(network, owner_name)
            return ControlledParameter(_checked(owner, name), name, spec)
        owners = [obj for obj in objects if spec in obj._description.parameters]
        if not owners:
            for obj in objects:
                if obj._description.attribute(spec) is not None:
                    _checked(obj, spec)                  # a variable: says so
            _raise_unknown(objects, spec)
        if len(owners) > 1:
            names = ", ".join(f"'{_label_of(obj)}.{spec}'" for obj in owners)
            raise NetworkError(f"control(): '{spec}' is a parameter of several objects; name "
                               f"one: {names}")
        label = f"{_label_of(owners[0])}.{spec}" if qualify else spec
        return ControlledParameter(owners[0], spec, label)
    if isinstance(spec, tuple) and len(spec) in (2, 3) and isinstance(spec[1], str):
        owner, name = spec[0], spec[1]
        if not hasattr(owner, "_description"):
            raise NetworkError(f"control(): in {spec!r}, {type(owner).__name__} has no "
                               "parameters; give a Population, a PopulationView or a Projection")
        check_member(network, owner)
        label = spec[2] if len(spec) == 3 else f"{_label_of(owner)}.{name}"
        return ControlledParameter(_checked(owner, name), name, label)
    raise NetworkError(f"control(): a parameter is 'name', 'population.name', (owner, 'name') "
                       f"or (owner, 'name', 'label'), got {spec!r}")


def _checked(owner, name):
    attribute = owner._description.attribute(name)
    if attribute is None:
        _raise_unknown([owner], name)
    if attribute.kind != "parameter":
        raise NetworkError(f"control(): '{name}' of '{_label_of(owner)}' is a variable (its "
                           "equations overwrite it); sliders set parameters: "
                           f"{owner._description.parameters}")
    population = getattr(owner, "population", owner)
    if population is not owner and attribute.locality != "local":
        raise NetworkError(f"control(): '{name}' has one value for all of population "
                           f"'{population.name}'; give the population, not a part of it")
    return owner


def _raise_unknown(objects, name):
    known = "; ".join(f"'{_label_of(obj)}': {obj._description.parameters}" for obj in objects)
    raise NetworkError(f"control(): no parameter '{name}' in the controlled objects; their "
                       f"parameters are {known}")


def _by_name(network, name):
    for obj in network.populations + network.projections:
        if obj.name == name:
            return obj
    names = [obj.name for obj in network.populations + network.projections]
    raise NetworkError(f"control(): network {network.id} has no population or projection "
                       f"called '{name}'; it has {names}")


def check_member(network, obj):
    """Raise NetworkError unless ``obj`` (or its population) is part of ``network``."""
    root = _root(obj)
    if root not in network.populations and root not in network.projections:
        raise NetworkError(f"control(): '{_label_of(obj)}' is not part of network {network.id}"
                           " (it belongs to another network, or was cleared)")


def _root(obj):
    return getattr(obj, "population", obj)


def _label_of(obj):
    population = getattr(obj, "population", None)
    ranks = obj._ranks() if population is not None else None
    if ranks is None:
        return obj.name
    ranks = np.atleast_1d(ranks)
    if ranks.size == 1:
        return f"{population.name}[{int(ranks[0])}]"
    if np.all(np.diff(ranks) == 1):
        return f"{population.name}[{int(ranks[0])}:{int(ranks[-1]) + 1}]"
    return f"{population.name}[{ranks.size} neurons]"


def _number(value):
    if value is None:
        return None
    if isinstance(value, str):
        constant = get_constant(value)
        return None if constant is None else float(constant.value)
    return float(value)


def _nice_step(raw):
    """The largest of 1, 2, 5 x 10^k not above ``raw``."""
    if raw <= 0:
        return 0.01
    exponent = math.floor(math.log10(raw))
    for factor in (5.0, 2.0, 1.0):
        if factor * 10 ** exponent <= raw:
            return factor * 10 ** exponent
    return 10 ** exponent


def _text(bound):
    return "..." if bound is None else f"{bound:g}"

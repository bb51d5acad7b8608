"""Saving and loading the state or the global parameters of a network."""

import json
import warnings

from ..errors import StorageError
from .constant import _constants
from .storage import check_filename, read, write

__all__ = ["save", "load", "save_parameters", "load_parameters", "load_parameter"]


def _network(net_id):
    from .network import network_by_id
    return network_by_id(net_id)


def save(filename, populations=True, projections=True, net_id=0):
    """Save the attributes of all populations and/or projections (state and connectivity).

    The format follows the extension: .npz, .gz (gzipped pickle), anything else pickle.
    """
    check_filename(filename)
    network = _network(net_id)
    data = {}
    if populations:
        for population in network.populations:
            data[population.name] = {name: population._get(name)
                                     for name in population.attributes}
    if projections:
        for projection in network.projections:
            if projection._connectivity is not None:
                data[projection.name] = projection._saved()
    if filename.endswith(".npz"):
        flat = {f"{owner}/{key}": value for owner, values in data.items()
                for key, value in values.items()}
        write(filename, flat)
    else:
        write(filename, data)


def load(filename, populations=True, projections=True, pickle_encoding=None, net_id=0):
    """Load a state written by save() into the network (same names, same connectivity)."""
    network = _network(net_id)
    data = read(filename, pickle_encoding)
    if filename.endswith(".npz"):
        nested = {}
        for key, value in data.items():
            owner, name = key.split("/", 1)
            nested.setdefault(owner, {})[name] = value
        data = nested
    if populations:
        for population in network.populations:
            if population.name in data:
                values = data[population.name]
                population.set({k: v for k, v in values.items() if k in population._state})
    if projections:
        for projection in network.projections:
            if projection.name in data:
                projection._restore(data[projection.name])


def save_parameters(filename, net_id=0):
    """Write the global parameters (flags population/projection) and constants to JSON."""
    network = _network(net_id)
    description = {"populations": {}, "projections": {}, "network": {}, "constants": {}}
    for name, constant in _constants.items():
        description["constants"][name] = constant.value
    for owners, key in ((network.populations, "populations"), (network.projections, "projections")):
        for owner in owners:
            description[key][owner.name] = {
                a.name: owner._state[a.name][0].item() for a in owner._description.attributes
                if a.kind == "parameter" and a.locality == "global" and a.name in owner._state}
    try:
        with open(filename, "w") as handle:
            json.dump(description, handle, indent=4)
    except OSError as error:
        raise StorageError(f"save_parameters(): cannot write '{filename}' ({error}); make sure "
                           "its folder exists") from None


def load_parameters(filename, global_only=True, verbose=False, net_id=0):
    """Apply parameters from a JSON file written by save_parameters().

    Returns the 'network' dictionary of the file (values not tied to an object).
    """
    network = _network(net_id)
    description = _read_json(filename, "load_parameters()")
    for name, value in description.get("constants", {}).items():
        if name in _constants:
            _constants[name].set(value)
    for key, lookup in (("populations", network.populations),
                        ("projections", network.projections)):
        owners = {owner.name: owner for owner in lookup}
        for owner_name, parameters in description.get(key, {}).items():
            owner = owners.get(owner_name)
            if owner is None:
                warnings.warn(f"load_parameters(): no {key[:-1]} called '{owner_name}'",
                              stacklevel=2)
                continue
            for name, value in parameters.items():
                attr = owner._description.attribute(name)
                if attr is None or attr.kind != "parameter" or \
                        (global_only and attr.locality != "global"):
                    if verbose:
                        print(f"  {name} is not a global parameter of {owner_name}, skipping")
                    continue
                if verbose:
                    print(f"  {owner_name}.{name}: {owner.get(name)} -> {value}")
                owner.set({name: float(value)})
    return description.get("network", {})


def load_parameter(in_file):
    """Read a parameter JSON file and return its content (kept for old scripts)."""
    return _read_json(in_file, "load_parameter()")


def _read_json(filename, what):
    try:
        with open(filename) as handle:
            return json.load(handle)
    except OSError as error:
        raise StorageError(f"{what}: cannot read '{filename}' ({error})") from None
    except ValueError as error:
        raise StorageError(f"{what}: '{filename}' is not a JSON file of parameters "
                           f"({error})") from None

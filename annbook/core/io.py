"""Saving and loading the state or the global parameters of a network.

Every file is written atomically (``storage.atomic_file``): a save that fails or is killed
leaves the previous file intact. A state file names the populations and projections it holds;
``load`` first compares them with the network (names, attributes, shapes, connectivity) and
refuses a file made for another network with the list of what differs, before changing
anything. ``.npz`` files are read without unpickling. Pickle files (``.gz`` and other
extensions) run the code they hold when they are read: load them only from trusted sources.
"""

import json
import warnings

import numpy as np

from ..errors import NetworkError, StorageError
from . import storage
from .constant import _constants

__all__ = ["save", "load", "save_parameters", "load_parameters", "load_parameter",
           "save_object", "load_object", "save_recordings"]

_NAMES = "obj_names"          # which populations and projections a state file holds
_MATLAB_ONLY = ("'{filename}' is a MATLAB file: .mat files are written for analysis "
                "(scipy.io.loadmat, MATLAB) and cannot be loaded back; save in .npz, .gz or "
                "another pickle format to load the state later")


def _network(net_id):
    from .network import network_by_id
    return network_by_id(net_id)


def _flat(data):
    """Nested dicts as the flat ``owner/key`` arrays of a .npz archive."""
    flat = {}
    for key, value in data.items():
        if isinstance(value, dict):
            for name, item in value.items():
                flat[f"{key}/{name}"] = np.asarray(item)
        else:
            flat[key] = np.asarray(value)
    return flat


def _nested(flat):
    nested = {}
    for key, value in flat.items():
        if "/" in key:
            owner, name = key.rsplit("/", 1)
            nested.setdefault(owner, {})[name] = value
        else:
            nested[key] = value.item() if getattr(value, "ndim", 1) == 0 else value
    return nested


def _write(filename, data, what):
    storage.write(filename, _flat(data) if storage.extension(filename) == ".npz" else data,
                  what, create_folder=True)


def _read(filename, pickle_encoding, what):
    if storage.extension(filename) == ".mat":
        raise NetworkError(f"{what}: " + _MATLAB_ONLY.format(filename=filename))
    data = storage.read(filename, pickle_encoding, what)
    if storage.extension(filename) == ".npz":
        storage.refuse_pickled(data, filename, what)
        data = _nested(data)
    if not isinstance(data, dict):
        raise NetworkError(f"{what}: '{filename}' does not hold a saved state (it holds a "
                           f"{type(data).__name__})")
    return data


# ---------------------------------------------------------------- what does not match
def _shape(value):
    return tuple(np.shape(value))


def _attribute_problems(label, expected, found):
    """Missing, extra and reshaped attributes: ``expected``/``found`` map names to values."""
    problems = []
    missing = [n for n in expected if n not in found]
    extra = [n for n in found if n not in expected]
    if missing:
        problems.append(f"{label}: the file has no value for {', '.join(missing)}")
    if extra:
        problems.append(f"{label}: the file has values for {', '.join(extra)}, which it does "
                        "not have")
    for name in expected:
        if name in found and _shape(found[name]) != _shape(expected[name]):
            problems.append(f"{label}: '{name}' has the shape {_shape(found[name])} in the "
                            f"file, {_shape(expected[name])} here")
    return problems


def _population_problems(population, values):
    if not isinstance(values, dict):
        return [f"population '{population.name}': the file holds no attributes for it"]
    return _attribute_problems(f"population '{population.name}'", population._saved(), values)


def _projection_problems(projection, values):
    label = f"projection '{projection.name}'"
    if projection._connectivity is None:
        return [f"{label} is not connected here"]
    if not isinstance(values, dict) or not {"post_ranks", "row_ptr", "pre_ranks"} <= set(values):
        return [f"{label}: the file holds no connectivity for it"]
    c = projection._connectivity
    expected = projection._saved()
    if not projection._same_synapses(values):
        saved = np.asarray(values["pre_ranks"]).size, np.asarray(values["post_ranks"]).size
        problem = projection._takes_synapses(values)
        if problem:
            return [f"{label}: the file holds another connectivity ({saved[0]} synapses onto "
                    f"{saved[1]} post neurons; here {c.nb_synapses} onto {c.size}); {problem}"]
        for name in expected:              # per-synapse values: as many as the file's synapses
            if name.startswith("attr_") and projection._is_local(name[5:]) or \
                    name == "delay" and not projection.uniform_delay:
                expected[name] = np.empty(saved[0])
    found = {k: v for k, v in values.items() if k not in ("post_ranks", "row_ptr", "pre_ranks")}
    return _attribute_problems(label, {k: v for k, v in expected.items()
                                       if k not in ("post_ranks", "row_ptr", "pre_ranks")}, found)


def _refuse(filename, problems, what):
    if problems:
        listed = "\n".join("  - " + p for p in problems)
        raise NetworkError(f"{what}: '{filename}' was not saved from this network; nothing was "
                           f"loaded:\n{listed}")


def _kind_names(data, kind):
    """Names of the file's objects of one kind (None: the file did not save that kind)."""
    names = data.get(_NAMES, {}).get(kind) if isinstance(data.get(_NAMES), dict) else None
    if names is None:
        return None
    return [str(name) for name in np.asarray(names).reshape(-1)]


def _objects_problems(data, kind, objects, check):
    names = _kind_names(data, kind)
    if names is None:
        return []
    here = [obj.name for obj in objects]
    problems = [f"{kind[:-1]} '{name}' is in the file but not in this network"
                for name in names if name not in here]
    problems += [f"{kind[:-1]} '{name}' of this network is not in the file"
                 for name in here if name not in names]
    for obj in objects:
        if obj.name in names:
            problems += check(obj, data.get(obj.name))
    return problems


# ---------------------------------------------------------------- network state
def _saved_projections(network):
    return [p for p in network.projections if p._connectivity is not None]


def save(filename, populations=True, projections=True, net_id=0):
    """Save the attributes of all populations and/or projections (state and connectivity).

    The format follows the extension: ``.npz`` (recommended), ``.mat`` (MATLAB, for analysis
    only: it cannot be loaded back), ``.gz`` (gzipped pickle), anything else pickle. The file
    is written under a temporary name and renamed, so a failed or interrupted save leaves the
    previous file intact.
    """
    network = _network(net_id)
    data = {"time_step": network.current_step(), "net_id": network.id, _NAMES: {}}
    if populations:
        data[_NAMES]["populations"] = [p.name for p in network.populations]
        for population in network.populations:
            data[population.name] = population._saved()
    if projections:
        chosen = _saved_projections(network)
        data[_NAMES]["projections"] = [p.name for p in chosen]
        for projection in chosen:
            data[projection.name] = projection._saved()
    _write(filename, data, "save()")


def load(filename, populations=True, projections=True, pickle_encoding=None, net_id=0):
    """Load a state written by save() into the network, and its time.

    The file must come from the same network: populations and projections of the same names,
    attributes and shapes, the same connectivity. Otherwise nothing is loaded and the error
    lists every difference. ``.npz`` files are read without unpickling; other formats are
    pickles, which run code from the file: load them only from sources you trust.
    """
    network = _network(net_id)
    data = _read(filename, pickle_encoding, "load()")
    if not isinstance(data.get(_NAMES, {}), dict) or (_NAMES not in data and
                                                      "time_step" not in data):
        raise NetworkError(f"load(): '{filename}' was not written by save() (it names no "
                           "populations or projections)")
    problems = []
    if populations:
        problems += _objects_problems(data, "populations", network.populations,
                                      _population_problems)
    if projections:
        problems += _objects_problems(data, "projections", _saved_projections(network),
                                      _projection_problems)
    _refuse(filename, problems, "load()")
    if populations and _kind_names(data, "populations") is not None:
        for population in network.populations:
            population._restore(data[population.name])
    if projections and _kind_names(data, "projections") is not None:
        for projection in _saved_projections(network):
            projection._restore(data[projection.name])
    if "time_step" in data:
        network.set_current_step(int(np.asarray(data["time_step"]).reshape(-1)[0]))


def save_object(obj, filename):
    """Population.save / Projection.save: the attributes (and connectivity) of one object."""
    what = f"{type(obj).__name__}.save()"
    if getattr(obj, "_connectivity", True) is None:
        raise NetworkError(f"{what}: projection '{obj.name}' is not connected yet")
    _write(filename, obj._saved(), what)


def load_object(obj, filename, pickle_encoding=None):
    """Population.load / Projection.load: values written by save_object for the same object."""
    what = f"{type(obj).__name__}.load()"
    data = _read(filename, pickle_encoding, what)
    check = _projection_problems if hasattr(obj, "_connectivity") else _population_problems
    _refuse(filename, check(obj, data), what)
    obj._restore(data)


# ---------------------------------------------------------------- recordings
def _matlab_name(name):
    """``sum(exc)`` -> ``sum_exc``: MATLAB field names are identifiers."""
    return "".join(c if c.isalnum() or c == "_" else "_" for c in name).strip("_") or "value"


def _matlab_value(value):
    if isinstance(value, dict):          # spikes: ranks and one cell of steps per rank
        steps = np.empty(len(value), dtype=object)
        for k, times in enumerate(value.values()):
            steps[k] = np.asarray(times, dtype=np.int64)
        return {"ranks": np.array(list(value), dtype=np.int64), "steps": steps}
    return value


def _numeric(name, value, what, formats):
    if isinstance(value, dict) or np.asarray(value).dtype == object:
        raise NetworkError(f"{what}: '{name}' is not one array (spikes are a dict per neuron, "
                           f"dendrites of different sizes a list); save it as {formats}")
    return np.asarray(value)


def save_recordings(filename, data, what="Monitor.save()"):
    """Write a dict {variable: recording} of Monitor.get(), replaced atomically.

    ``.npy``: one variable as an array; ``.hdf5``/``.h5``: one dataset per variable (needs
    h5py; spikes as a group holding the steps of each rank); ``.mat``: MATLAB (spikes as a
    struct of ``ranks`` and a cell of ``steps``); ``.npz``, ``.gz`` or other extensions: the
    dict itself (``.npz`` stores spikes as a pickled dict, read with allow_pickle=True).
    """
    kind = storage.extension(filename)
    if kind == ".npy":
        if len(data) != 1:
            raise NetworkError(f"{what}: a .npy file holds one variable, got {list(data)}; "
                               "choose one with variables='name', or save as .npz or .hdf5")
        (name, value), = data.items()
        storage.write(filename, _numeric(name, value, what, ".npz, .hdf5 or .gz"), what,
                      create_folder=False)
    elif kind in (".hdf5", ".h5"):
        try:
            import h5py
        except ImportError:
            raise NetworkError(f"{what}: the .hdf5 format needs h5py (pip install h5py)") \
                from None
        with storage.atomic_file(filename, what) as handle, h5py.File(handle, "w") as archive:
            for name, value in data.items():
                if isinstance(value, dict):
                    group = archive.create_group(name)
                    for rank, steps in value.items():
                        group[str(rank)] = np.asarray(steps, dtype=np.int64)
                else:
                    archive[name] = _numeric(name, value, what, ".npz or .gz")
    elif kind == ".mat":
        storage.write(filename, {_matlab_name(k): _matlab_value(v) for k, v in data.items()},
                      what, create_folder=False)
    else:
        storage.write(filename, data, what, create_folder=False)


# ---------------------------------------------------------------- parameters
def save_parameters(filename, net_id=0):
    """Write the global parameters (flags population/projection) and constants to JSON.

    The folder must exist, as in the reference. The file is replaced atomically.
    """
    network = _network(net_id)
    description = {"populations": {}, "projections": {}, "network": {}, "constants": {}}
    for name, constant in _constants.items():
        description["constants"][name] = constant.value
    for owners, key in ((network.populations, "populations"), (network.projections, "projections")):
        for owner in owners:
            description[key][owner.name] = {
                a.name: owner._state[a.name][0].item() for a in owner._description.attributes
                if a.kind == "parameter" and a.locality == "global" and a.name in owner._state}
    with storage.atomic_file(filename, "save_parameters()") as handle:
        handle.write(json.dumps(description, indent=4).encode())


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
        with open(storage.check_filename(filename, what)) as handle:
            return json.load(handle)
    except OSError as error:
        raise StorageError(f"{what}: cannot read '{filename}' ({error})") from None
    except ValueError as error:
        raise StorageError(f"{what}: '{filename}' is not a JSON file of parameters "
                           f"({error})") from None

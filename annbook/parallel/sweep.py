"""parallel_run: one method on many copies of a network, or on given networks."""

import inspect
import os
import time
import warnings

import numpy as np

from ..core.network import Network, global_network
from ..errors import InvalidConfiguration, NetworkError
from .results import Progress, Results
from .worker import call_method, describe, format_traceback, network_for, release_memory

__all__ = ["parallel_run", "copy_seeds"]


def parallel_run(method, networks=None, number=0, max_processes=-1, measure_time=False,
                 sequential=False, same_seed=False, annarchy_json="", visible_cores=[],
                 progress=True, return_exceptions=False, **args):
    """Call ``method(idx, net, **kw)`` on many networks at once and return what it returns.

    Parameters
    ----------
    method : callable
        ``method(idx, net, **kw)``; ``net`` is a compiled network whose objects are
        reached with ``net.get(pop)`` (the global objects as keys). It may be
        defined in a notebook cell.
    networks : list of Network, optional
        Compiled networks to run; each keeps its own state and seed.
    number : int
        Else, how many copies of the global network to run; connectors are
        re-drawn and each copy has its own seed, reproducible from
        ``setup(seed=...)``, or the same one with ``same_seed=True``.
    max_processes : int
        Worker processes; -1: the cores this process may use (affinity mask,
        container quota). With one, the networks run in this process (on
        ``visible_cores[0]`` if given).
    measure_time : bool
        Print the time the sweep took.
    sequential : bool
        Run in this process, one network after the other.
    same_seed : bool
        Give every copy the same seed (``number`` only).
    annarchy_json : str
        Accepted for compatibility; unused.
    visible_cores : list of int
        Pin each worker to one of these cores (needs ``max_processes`` equal to
        their number; loky backend only).
    progress : bool
        A progress bar once the sweep has lasted two seconds.
    return_exceptions : bool
        Keep going when networks fail: their place in the result holds a
        ``NetworkRunError`` (else the first failure is raised).
    **args
        For each further parameter of ``method``, a list of one value per network.

    Returns
    -------
    list
        ``method``'s return values, in network order.

    The joblib backend chosen with ``joblib.parallel_config(backend=...)``
    (dask.distributed, ...) is used; workers load the compiled binary and never
    compile.
    """
    from .dispatch import Backend, run_on_backend       # joblib: imported when first used
    from .payload import pack, release
    networks = _checked_networks(networks, number)
    count = len(networks) if networks is not None else number
    kwargs = _checked_arguments(method, count, args)
    cores = _checked_cores(visible_cores, max_processes)
    source = None if networks is not None else _compiled_global()
    seeds = [None] * count if source is None else copy_seeds(count, same_seed, source._seed)
    runs = [(i, seeds[i], kwargs[i], None if networks is None else networks[i])
            for i in range(count)]
    started = time.perf_counter()
    backend = None if sequential else Backend(count, max_processes)
    here = sequential or (backend.loky and backend.n_jobs == 1)
    if cores and not here and not backend.loky:
        raise InvalidConfiguration(
            f"parallel_run(): visible_cores pins the loky workers of this machine, but the "
            f"active joblib backend is {backend.name}; remove visible_cores")
    with Progress(count, progress) as bar:
        results = Results(count, return_exceptions, bar, method)
        if here:
            _run_here(method, source, runs, results, cores if not sequential else [])
        else:
            compiled = [source] if source is not None else list(networks)
            if global_network().compiled and source is None:
                compiled.append(global_network())       # the method's global objects
            ref = pack(method, source, compiled, backend.local)
            try:
                run_on_backend(backend, ref, runs, cores, results)
            finally:
                release(ref.token)
                ref.remove()
    if measure_time:
        how = "sequentially" if here else "in parallel"
        print(f"Running {count} networks {how} took: {time.perf_counter() - started} seconds")
    return results.values()


def copy_seeds(count, same_seed, base):
    """One seed per copy, reproducible from ``base`` (the global seed), else fresh.

    With ``same_seed`` every copy gets ``base`` itself (or one fresh seed).
    Seed ``i`` does not depend on ``count``.
    """
    sequence = np.random.SeedSequence(base)
    if same_seed:
        seed = int(base) if base is not None else int(sequence.generate_state(1)[0])
        return [seed] * count
    return [int(seed) for seed in sequence.generate_state(count)]


def _run_here(method, source, runs, results, cores):
    """The runs in this process (on ``cores``, if given, for the time of the sweep);
    numpy's global generator and this thread's cores are left as they were."""
    state = np.random.get_state()
    allowed = os.sched_getaffinity(0) if cores else None
    if cores:
        os.sched_setaffinity(0, cores)
    try:
        for index, seed, kwargs, given in runs:
            try:
                value = call_method(method, index, network_for(source, seed, given), kwargs)
            except (Exception, SystemExit) as error:
                results.fail(index, describe(error), format_traceback(error), error)
            else:
                results.succeed(index, value)
            release_memory()
    finally:
        np.random.set_state(state)
        if cores:
            os.sched_setaffinity(0, allowed)


def _compiled_global():
    network = global_network()
    if not network.compiled:
        warnings.warn("parallel_run(): the network is not compiled yet; compiling it now",
                      stacklevel=3)
        network.compile()
    return network


def _checked_networks(networks, number):
    if not networks:
        if isinstance(number, bool) or not isinstance(number, (int, np.integer)) or number < 1:
            raise InvalidConfiguration(
                "parallel_run(): give networks=[...] (compiled networks) or number=N (N >= 1 "
                f"copies of the global network); got networks={networks!r}, number={number!r}")
        return None
    if not isinstance(networks, (list, tuple)):
        raise InvalidConfiguration(f"parallel_run(): networks must be a list of Network, got "
                                   f"{type(networks).__name__}")
    for index, network in enumerate(networks):
        if not isinstance(network, Network):
            raise InvalidConfiguration(f"parallel_run(): networks[{index}] is a "
                                       f"{type(network).__name__}, not a Network")
        if not network.compiled:
            raise NetworkError(f"parallel_run(): networks[{index}] (network {network.id}) is "
                               "not compiled; call its compile() before parallel_run")
    if number not in (0, len(networks)):
        raise InvalidConfiguration(f"parallel_run(): number={number} but {len(networks)} "
                                   "networks were given; give one of them")
    return list(networks)


def _checked_arguments(method, count, args):
    """One dict of keyword arguments per network, after checking ``method`` accepts them."""
    name = getattr(method, "__name__", repr(method))
    if not callable(method):
        raise InvalidConfiguration(f"parallel_run(): method must be a function taking (idx, net, "
                                   f"...), got a {type(method).__name__}")
    try:
        signature = inspect.signature(method)
    except (TypeError, ValueError):
        signature = None
    if signature is not None:
        try:
            signature.bind(0, None, **dict.fromkeys(args))
        except TypeError as error:
            call = ", ".join(["idx", "net"] + [f"{k}=..." for k in args])
            raise InvalidConfiguration(
                f"parallel_run(): {name}{signature} cannot be called as {name}({call}): {error}. "
                "The method takes the network's index and the network, then one parameter per "
                "extra argument of parallel_run") from None
    for key, values in args.items():
        if isinstance(values, (str, bytes, dict)) or not hasattr(values, "__len__"):
            raise InvalidConfiguration(f"parallel_run(): argument '{key}' must be a list with one "
                                       f"value per network ({count}), got {values!r}")
        if len(values) != count:
            raise InvalidConfiguration(f"parallel_run(): argument '{key}' has {len(values)} "
                                       f"values for {count} networks; give one per network")
    return [{key: values[i] for key, values in args.items()} for i in range(count)]


def _checked_cores(visible_cores, max_processes):
    if isinstance(max_processes, bool) or not isinstance(max_processes, (int, np.integer)) or \
            (max_processes < 1 and max_processes != -1):
        raise InvalidConfiguration(f"parallel_run(): max_processes must be -1 (every core) or a "
                                   f"positive number of processes, got {max_processes!r}")
    cores = list(visible_cores or [])
    if not cores:
        return []
    if max_processes == -1:
        raise InvalidConfiguration(
            f"parallel_run(): visible_cores gives one core per process, so max_processes must be "
            f"set to its length ({len(cores)})")
    if len(cores) != max_processes:
        raise InvalidConfiguration(
            f"parallel_run(): visible_cores lists {len(cores)} cores for max_processes="
            f"{max_processes}; give one core per process")
    if len(set(cores)) != len(cores):
        raise InvalidConfiguration(f"parallel_run(): visible_cores lists a core twice: {cores}")
    allowed = os.sched_getaffinity(0)
    refused = [core for core in cores if core not in allowed]
    if refused:
        raise InvalidConfiguration(
            f"parallel_run(): visible_cores {refused} cannot be used by this process; it may "
            f"use the cores {sorted(allowed)}")
    return cores

"""What runs in a process of parallel_run: pinning, then one network per task.

A worker never compiles. It unpacks the sweep once (see ``payload``), then for
each task copies the network with the task's seed (or unpickles the network it
was given), calls the user's method and forgets the network again. The same
functions run the networks in the caller's process for ``sequential=True``.
"""

import gc
import logging
import os
import pickle
import queue
import signal
import threading
import traceback

import cloudpickle
import numpy as np

from ..core.callbacks import arrived
from ..core.copies import copy_of
from ..core.network import Network, forget_network

__all__ = ["init_worker", "run_network", "network_for", "call_method", "release_memory",
           "describe", "format_traceback"]

logger = logging.getLogger(__name__)

_lock = threading.Lock()        # numpy's global generator: one copy drawn at a time


def init_worker(cores):
    """Initializer of a loky worker: ignore Ctrl-C (the caller stops the sweep), take a core.

    ``cores`` is None or a queue of core ids, one per worker.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if cores is None:
        return
    try:
        core = cores.get(timeout=2)
    except queue.Empty:             # a worker started again after another one died
        logger.warning("parallel_run: no core left in visible_cores for worker %d", os.getpid())
        return
    os.sched_setaffinity(0, {core})


def network_for(source, seed, given, threads=None):
    """The network one run uses, and whether it was made for this run (to forget after).

    ``given`` is a network (or its pickled bytes, with its callbacks) from
    ``networks=[...]``: it keeps its own seed, which also seeds numpy's global
    generator, and its callbacks. Otherwise a copy of ``source`` is drawn from
    ``seed`` (without callbacks, as a new network). ``threads``: at most this many
    threads for its compiled loop (None: those of ``setup(num_threads=...)``).
    """
    with _lock:
        if given is None:
            network, made = copy_of(source, seed), True
        else:
            network = arrived(pickle.loads(given)) if isinstance(given, bytes) else given
            if network._seed is not None:
                np.random.seed(network._seed)
            made = not isinstance(given, Network)
    if threads is not None:
        network.limit_threads(threads)
    return network, made


def call_method(method, index, network, kwargs):
    """``method(index, network, **kwargs)``; the network is forgotten after if it was made here."""
    net, made = network
    try:
        return method(index, net, **kwargs)
    finally:
        if made:
            forget_network(net)


def run_network(ref, task, threads=1):
    """One task in a worker: (index, True, pickled result) or (index, False, failure).

    The network runs on at most ``threads`` threads. A failure is (problem, traceback text,
    pickled exception or None). Results are pickled here so that one that cannot travel
    fails its own network only; the network's memory is freed before the next task.
    """
    index, seed, kwargs, given = task
    from .payload import unpack
    ref.mark_started(index)
    try:
        sweep = unpack(ref)
        result = call_method(sweep.method, index, network_for(sweep.source, seed, given, threads),
                             kwargs)
        outcome = index, True, cloudpickle.dumps(result)
    except (Exception, SystemExit) as error:
        try:
            travelling = cloudpickle.dumps(error)
        except Exception:
            travelling = None
        outcome = index, False, (describe(error), format_traceback(error), travelling)
    result = error = None
    release_memory()
    return outcome


_collected_at = [0]         # resident bytes after this process's last full collection


def release_memory():
    """Free the networks of finished runs now.

    A network holds reference cycles (its objects point back to it), which Python's
    collector counts as a few objects however large their arrays: left to it, each copy
    of a sweep stayed in the worker's memory, and loky restarts a worker that grew by
    300 MB. A young collection (~1 ms) frees a copy made during the task; a full one runs
    when the process still grew by more than 100 MB since the last one.
    """
    gc.collect(1)
    if _resident_bytes() - _collected_at[0] > 100e6:
        gc.collect()
        _collected_at[0] = _resident_bytes()


def _resident_bytes():
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):       # not Linux: young collections only
        return 0


def describe(error):
    return f"{type(error).__name__}: {error}"


def format_traceback(error):
    """The traceback from the user's method down (annbook's own calling frames left out)."""
    frames = error.__traceback__
    while frames is not None and frames.tb_frame.f_code.co_filename == __file__:
        frames = frames.tb_next
    return "".join(traceback.format_exception(type(error), error, frames))

"""Running the networks of a sweep on joblib's active backend (loky unless the user chose).

Results stream back as they finish (``return_as="generator_unordered"``). On
loky, workers are single-threaded and optionally pinned, one core each, by
their initializer; each network runs on one thread unless
``joblib.parallel_config(inner_max_num_threads=N)`` allows more. When a worker process dies, the networks that were running
are run again one at a time, which tells the one that kills its process from
those that were only stopped with it; the others go on.
"""

import contextlib
import re
import warnings

import cloudpickle
from joblib import Parallel, cpu_count, delayed
from joblib._parallel_backends import (LokyBackend, MultiprocessingBackend, SequentialBackend,
                                       ThreadingBackend)
from joblib.externals.loky.backend.context import get_context
from joblib.parallel import get_active_backend

from ..core.callbacks import travelling
from ..errors import InvalidConfiguration
from .worker import init_worker, run_network

__all__ = ["Backend", "run_on_backend"]

_LOCAL = (LokyBackend, MultiprocessingBackend, ThreadingBackend, SequentialBackend)


class Backend:
    """The active joblib backend and how many workers a sweep of ``count`` networks gets."""

    def __init__(self, count, max_processes):
        self.active, _ = get_active_backend()
        self.loky = isinstance(self.active, LokyBackend)
        self.local = isinstance(self.active, _LOCAL)   # workers see this machine's files
        self.name = type(self.active).__name__
        # threads of each network (setup(num_threads=...) at most): one unless the user
        # asked joblib for more, joblib.parallel_config(inner_max_num_threads=N)
        self.threads = self.active.inner_max_num_threads or 1
        if max_processes != -1:
            self.n_jobs = min(count, max_processes)
        else:       # cores this process may use (affinity, container quota), as loky reads them
            self.n_jobs = min(count, cpu_count()) if self.local else -1

    def parallel(self, cores):
        """A ``Parallel`` for one round of tasks (a new core queue each round)."""
        options = dict(n_jobs=self.n_jobs, batch_size=1, return_as="generator_unordered"
                       if self.active.supports_return_generator else "list")
        if self.loky:
            queue = None
            if cores:
                queue = get_context("loky").Queue()
                for core in cores:
                    queue.put(core)
            backend = LokyBackend(nesting_level=self.active.nesting_level,
                                  inner_max_num_threads=self.threads,
                                  **self.active.backend_kwargs)
            options.update(backend=backend, initializer=init_worker, initargs=(queue,))
        return Parallel(**options)


def run_on_backend(backend, ref, runs, cores, results):
    """Run ``runs`` (index, seed, kwargs, given network) on the backend into ``results``."""
    pending = list(runs)
    while pending:
        try:
            with contextlib.closing(_stream(backend, ref, pending, cores)) as outputs:
                for index, ok, payload in outputs:
                    results.add(index, ok, payload)
            return
        except Exception as error:
            if not _process_died(error):
                raise
            unfinished = [run for run in pending if not results.has(run[0])]
            suspects = [run for run in unfinished if ref.started(run[0])] or unfinished
            for run in unfinished:
                ref.forget_started(run[0])
            _find_the_dead(backend, ref, suspects, cores, results, error)
            pending = [run for run in pending if not results.has(run[0])]


def _stream(backend, ref, runs, cores):
    outputs = backend.parallel(cores)(delayed(run_network)(ref, _task(run), backend.threads)
                                      for run in runs)
    try:
        for output in outputs:      # not 'yield from': closing must reach the finally first
            yield output
    finally:
        if hasattr(outputs, "close"):
            with warnings.catch_warnings():     # joblib's note that running tasks were cancelled
                warnings.simplefilter("ignore", UserWarning)
                outputs.close()     # stops the workers of an unfinished round


def _task(run):
    index, seed, kwargs, given = run
    return index, seed, kwargs, None if given is None else _pickled(given)


def _pickled(network):
    """A given network with its callbacks (run in the worker as the reference's are)."""
    try:
        return cloudpickle.dumps(travelling(network))
    except Exception as error:
        stuck = [entry for entry in network._callbacks.entries if not _travels(entry.func)]
        if not stuck:
            raise
        names = ", ".join(f"'{getattr(entry.func, '__name__', entry.func)}'" for entry in stuck)
        raise InvalidConfiguration(
            f"parallel_run(): the callbacks {names} of network {network.id} cannot be sent to "
            f"the workers ({type(error).__name__}: {error}); declare them inside the method "
            "with @every(..., net_id=net.id), or use sequential=True") from error


def _travels(function):
    try:
        cloudpickle.dumps(function)
    except Exception:
        return False
    return True


def _find_the_dead(backend, ref, suspects, cores, results, error):
    """A lone suspect died; several are run again one at a time to find which did."""
    if len(suspects) == 1:
        return _died(results, suspects[0][0], error)
    for run in suspects:
        try:
            with contextlib.closing(_stream(backend, ref, [run], cores)) as outputs:
                for index, ok, payload in outputs:
                    results.add(index, ok, payload)
        except Exception as again:
            if not _process_died(again):
                raise
            _died(results, run[0], again)


def _died(results, index, error):
    codes = re.search(r"exit codes of the workers are (\{[^}]*\})", str(error))
    how = f" (exit code {codes.group(1)[1:-1]})" if codes else ""
    results.fail(index, f"the process running it died{how}: a crash in compiled code, the "
                 "system killing it (memory), or os._exit() in the method")


def _process_died(error):
    from concurrent.futures.process import BrokenProcessPool
    return isinstance(error, BrokenProcessPool) or type(error).__name__ == "KilledWorker"

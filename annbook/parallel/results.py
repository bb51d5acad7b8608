"""The outcome of every network of a sweep, by index, and the bar that counts them."""

import contextvars
import linecache
import pickle
import re
import threading

from ..errors import NetworkRunError

__all__ = ["Results", "Progress"]

PROGRESS_DELAY = 2.0        # s: a sweep shorter than this shows no bar
PROGRESS_TICK = 0.5         # s: elapsed time and estimate refresh while networks run


class Results:
    """Return values in network order; a failure raises at once unless ``return_exceptions``,
    in which case it takes the network's place as a ``NetworkRunError``."""

    def __init__(self, count, return_exceptions, progress, method):
        self._method = method
        self._values = {}
        self._count = count
        self._return_exceptions = return_exceptions
        self._progress = progress

    def has(self, index):
        return index in self._values

    def succeed(self, index, value):
        self._values[index] = value
        self._progress.advance()

    def fail(self, index, problem, worker_traceback=None, exception=None):
        if worker_traceback:
            worker_traceback = self._located(worker_traceback)
        error = NetworkRunError(index, problem, worker_traceback, exception)
        self._values[index] = error
        self._progress.advance()
        if not self._return_exceptions:
            raise error from exception

    def add(self, index, ok, payload):
        """What a worker sent: a pickled value, or (problem, traceback, pickled exception)."""
        if ok:
            try:
                value = pickle.loads(payload)
            except Exception as error:
                return self.fail(index, f"its result cannot be unpickled here ({error})")
            return self.succeed(index, value)
        problem, worker_traceback, travelling = payload
        try:
            exception = pickle.loads(travelling) if travelling is not None else None
        except Exception:
            exception = None
        self.fail(index, problem, worker_traceback, exception)

    def _located(self, text):
        """Frames of the method point to its file and line again (pickled by value, its code
        says '<dynamic-code>'); a notebook cell's line is found in IPython's line cache."""
        code = getattr(self._method, "__code__", None)
        if code is None:
            return text

        def locate(match):
            line = int(match.group(1))
            source = linecache.getline(code.co_filename, line).strip()
            return f'File "{code.co_filename}", line {line}, in {code.co_name}\n' + \
                (f"    {source}\n" if source else "")
        return re.sub(r'File "<dynamic-code>", line (\d+), in ' + re.escape(code.co_name) + r"\n",
                      locate, text)

    def values(self):
        return [self._values[index] for index in range(self._count)]


class Progress:
    """A tqdm.auto bar (a widget in Jupyter, text in a terminal) of finished networks.

    It appears once the sweep has lasted ``PROGRESS_DELAY`` seconds; a thread
    refreshes elapsed time and estimate between two finished networks.
    """

    def __init__(self, total, enabled):
        self._bar = None
        if not enabled:
            return
        from tqdm.auto import tqdm
        # smoothing=0: speed and estimate from the average since the start (networks end in
        # bursts, and the ticks between them made tqdm's moving average jump to nonsense)
        self._bar = tqdm(total=total, desc="parallel_run", unit="network",
                         delay=PROGRESS_DELAY, smoothing=0)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        context = contextvars.copy_context()     # the cell's output, for a Jupyter widget
        self._ticker = threading.Thread(target=context.run, args=(self._tick,), daemon=True,
                                        name="annbook-parallel-progress")
        self._ticker.start()

    def _tick(self):
        while not self._stop.wait(PROGRESS_TICK):
            with self._lock:
                self._bar.update(0)

    def advance(self):
        if self._bar is not None:
            with self._lock:
                self._bar.update(1)

    def close(self):
        if self._bar is not None:
            self._stop.set()
            self._ticker.join()
            self._bar.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

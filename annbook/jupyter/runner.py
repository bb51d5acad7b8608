"""Runs a network in a worker thread, in short chunks; changes land between two chunks.

The cell that starts a live run returns at once (widget messages from the browser
are only handled while no cell executes). The worker runs the compiled loop,
which releases the GIL, in chunks of about ``1 / fps`` s of wall time. Changes
(``submit``) made while it plays wait in a lock-protected dict and are applied at
the next chunk boundary, so never in the middle of a step: the running chunk is asked
to stop after its current step, so a change lands within about a step, not a chunk.
While paused they are applied at once. While it plays the worker holds the network
(``Network.claimed``): ``simulate()`` or ``reset()`` from a cell get a clear error.
"""

import logging
import math
import threading
import time
from collections import deque

from ..core.observers import ChunkPacer
from . import kernel_parent

__all__ = ["BackgroundRun"]

logger = logging.getLogger(__name__)


class BackgroundRun:
    """Plays a network in a daemon thread.

    In the worker: ``on_start()`` when a run begins, ``after_chunk(first_step)`` after each
    chunk (plots, labels), ``on_error(exception)`` after a failure (the run is then
    paused), ``on_idle()`` when a run ends (paused, finished, failed). ``speed`` caps
    simulated ms per wall second (None: as fast as possible).
    """

    def __init__(self, network, on_start, after_chunk, on_error, on_idle, fps=30.0,
                 speed=None):
        self.network = network
        self.on_start = on_start
        self.after_chunk = after_chunk
        self.on_error = on_error
        self.on_idle = on_idle
        self.speed = speed
        self.fps = fps
        self.parent = kernel_parent.capture()
        self._pacer = ChunkPacer(1.0 / fps)
        self._condition = threading.Condition()
        self._budget = 0                # steps still to run (math.inf: until paused)
        self._in_session = False        # the worker holds the network
        self._in_chunk = False
        self._pending = {}              # key -> (action, time submitted)
        self._closed = False
        self._thread = None
        self.chunks = 0
        self.boundaries = deque(maxlen=4096)      # steps at which chunks ended
        self.latencies = deque(maxlen=256)        # seconds from submit to applied
        self.applied = deque(maxlen=256)          # (key, step) of the applied changes
        self.session = {"steps": 0, "seconds": 0.0}
        self.busy = {"run": 0.0, "display": 0.0}  # worker seconds in run() and after_chunk

    # ------------------------------------------------------------ commands
    @property
    def playing(self):
        with self._condition:
            return self._budget > 0 or self._in_session

    def play(self, steps=math.inf):
        """Run ``steps`` steps (default: until paused) from the worker."""
        if steps <= 0:
            return
        with self._condition:
            if self._closed:
                return
            self._budget = steps
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, daemon=True,
                                                name=f"annbook-live-{self.network.id}")
                self._thread.start()
            self._condition.notify_all()

    def pause(self):
        """Stop after the current step; pending changes are still applied."""
        with self._condition:
            self._budget = 0
            if self._in_chunk:
                self.network.stop()
            self._condition.notify_all()

    def submit(self, key, action):
        """Apply ``action()`` between two steps: at once while paused, else at the next chunk
        boundary, which the running chunk reaches early (it stops after its current step).
        The latest action per key wins."""
        with self._condition:
            if self._in_session:
                self._pending[key] = (action, time.perf_counter())
                if self._in_chunk:
                    self.network.stop()
                return
            self._apply(key, action, time.perf_counter())

    def wait(self, timeout=None):
        """Block until the worker is idle (nothing to run); False on timeout."""
        with self._condition:
            return self._condition.wait_for(lambda: self._budget <= 0 and not self._in_session,
                                            timeout)

    def close(self):
        """Stop and end the worker thread."""
        with self._condition:
            self._closed = True
            self._budget = 0
            if self._in_chunk:
                self.network.stop()
            self._condition.notify_all()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5.0)

    # ------------------------------------------------------------ worker
    def _work(self):
        while True:
            with self._condition:
                self._condition.wait_for(lambda: self._closed or self._budget > 0)
                if self._closed:
                    return
                self._in_session = True
            kernel_parent.adopt(self.parent)        # the cell that shows the control (latest)
            try:
                with self.network.claimed("live control"):
                    self._play()
            except Exception as error:          # the network is busy elsewhere, or cleared
                self._fail(error)
            finally:
                with self._condition:
                    self._in_session = False
                    for key, (action, submitted) in list(self._pending.items()):
                        self._apply(key, action, submitted)
                    self._pending.clear()
                    self._condition.notify_all()
                self._safely(self.on_idle)

    def _play(self):
        self.on_start()
        started = time.perf_counter()
        first_step = self.network.current_step()
        self.session = {"steps": 0, "seconds": 0.0}
        while True:
            with self._condition:
                self._apply_pending()
                if self._budget <= 0 or self._closed:
                    return
                if self.network.cleared:
                    raise RuntimeError("the network was cleared by clear(); create the "
                                       "network again and a new control")
                steps = int(min(self._budget, self._pacer.steps, self._speed_steps()))
                self._in_chunk = True
            chunk_first = self.network.current_step()
            chunk_started = time.perf_counter()
            try:
                ran = self.network.run(steps, progress=False)
            except Exception as error:
                self._fail(error)
                return
            finally:
                with self._condition:
                    self._in_chunk = False
            elapsed = time.perf_counter() - chunk_started
            self.busy["run"] += elapsed
            self._pacer.measured(ran, elapsed)
            with self._condition:
                self._budget -= ran
                self.chunks += 1
                self.boundaries.append(self.network.current_step())
                self._apply_pending()
            self.session = {"steps": self.network.current_step() - first_step,
                            "seconds": time.perf_counter() - started}
            display_started = time.perf_counter()
            try:
                self.after_chunk(chunk_first)
            except Exception as error:
                self._fail(error)
                return
            self.busy["display"] += time.perf_counter() - display_started
            self._hold_speed(started, self.session["steps"])

    def _speed_steps(self):
        """Steps of one frame at the speed cap (no cap: unlimited)."""
        if not self.speed:
            return math.inf
        return max(1, int(self.speed / self.fps / self.network.dt))

    def _hold_speed(self, started, steps):
        """With a speed cap, wait until the wall clock catches up with simulated time."""
        if not self.speed:
            return
        ahead = steps * self.network.dt / self.speed - (time.perf_counter() - started)
        if ahead > 0:
            with self._condition:
                self._condition.wait_for(lambda: self._closed or self._budget <= 0, ahead)

    def _apply_pending(self):
        """(condition held) Apply the changes that waited for this boundary."""
        pending, self._pending = self._pending, {}
        for key, (action, submitted) in pending.items():
            self._apply(key, action, submitted)

    def _apply(self, key, action, submitted):
        try:
            action()
        except Exception as error:
            self._budget = 0
            self._safely(self.on_error, error)
            return
        self.latencies.append(time.perf_counter() - submitted)
        self.applied.append((key, self.network.current_step()))

    def _fail(self, error):
        with self._condition:
            self._budget = 0
        logger.error("live control of network %s stopped: %s", self.network.id, error,
                     exc_info=error)
        self._safely(self.on_error, error)

    def _safely(self, callback, *args):
        try:
            callback(*args)
        except Exception:                           # a display problem never kills the worker
            logger.exception("live control of network %s: a display callback failed",
                             self.network.id)

"""Progress bars of long ``simulate()`` runs: a widget in Jupyter, text in a terminal (tqdm.auto).

Importing annbook registers ``observe_run`` as a run observer of the core
(``annbook/core/observers.py``): the chunked Python loop of ``Network.run`` calls
it between two chunks of the compiled loop, never the compiled code itself.
``setup(progress=...)`` and the ``progress_bar`` keyword of ``simulate`` choose:
True shows a bar from the start, False never, 'auto' (the default) only in a
notebook or a terminal and only once the run is expected to last more than
``SHOW_AFTER_SECONDS``.
"""

import logging
import sys
import time

from .config import config
from .core.observers import add_run_observer

__all__ = ["observe_run", "SHOW_AFTER_SECONDS"]

logger = logging.getLogger(__name__)

SHOW_AFTER_SECONDS = 1.5            # 'auto': a bar appears when a run is expected to last longer
BAR_FORMAT = "{desc}: {percentage:3.0f}%|{bar}| {n:.3f}/{total:.3f} s [{elapsed}<{remaining}, " \
             "{rate_noinv_fmt}]"


def observe_run(network, total, progress):
    """Run observer: a RunProgress for this run, or None when no bar may appear."""
    mode = config["progress"] if progress is None else progress
    mode = "auto" if mode == "auto" else bool(mode)
    if mode is False or (mode == "auto" and not _interactive()):
        return None
    return RunProgress(network, total, immediately=mode is True)


class RunProgress:
    """The bar of one run, opened at once or once the run looks long; simulated seconds."""

    def __init__(self, network, total, immediately):
        self.network = network
        self.total = total
        self.started = time.perf_counter()
        self.bar = None
        if immediately:
            self._open(0)

    def __call__(self, done, finished):
        try:
            if self.bar is None and not finished and done > 0:
                elapsed = time.perf_counter() - self.started
                if elapsed * self.total / done > SHOW_AFTER_SECONDS:
                    self._open(done)
            if self.bar is not None:
                advance = self._seconds(done) - self.bar.n
                if advance > 0:
                    self.bar.update(advance)
                if finished:
                    self.bar.close()
        except Exception:                  # a display problem never stops a simulation
            logger.exception("progress bar of network %s failed; no bar for this run",
                             self.network.id)
            self.bar = None

    def _seconds(self, steps):
        return steps * self.network.dt / 1000.0

    def _open(self, done):
        desc = "simulate" if self.network.id == 0 else f"simulate (network {self.network.id})"
        # smoothing=0: speed and estimate from the average since the start of the run
        self.bar = new_bar(total=self._seconds(self.total), desc=desc, unit="s",
                           bar_format=BAR_FORMAT, smoothing=0, leave=True)
        self.bar.start_t -= time.perf_counter() - self.started


def new_bar(**options):
    """A tqdm.auto bar (imported only when a bar is shown)."""
    from tqdm.auto import tqdm
    return tqdm(**options)


def _interactive():
    """True in a Jupyter kernel or when stderr is a terminal."""
    shell = sys.modules.get("IPython")
    if shell is not None:
        ipython = shell.get_ipython()
        if ipython is not None and getattr(ipython, "kernel", None) is not None:
            return True
    stream = sys.stderr
    return bool(stream is not None and hasattr(stream, "isatty") and stream.isatty())


add_run_observer(observe_run)

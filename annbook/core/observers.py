"""Hooks that follow a run of the compiled loop from the outside (progress bars).

The core calls them; it never knows what they show. A *run observer* is a
function ``observer(network, total, progress)`` registered once (``add_run_observer``)
and called when ``Network.run`` starts ``total`` steps; ``progress`` is the
``progress_bar`` keyword of ``simulate`` (None when not given). It returns None
(this run does not interest it) or a callable ``update(done, finished)`` that the
run calls between two chunks of the compiled loop with the steps done so far, and
once more with ``finished=True`` when the run ends, also when it stops early
(interrupt, stop condition, error). While an update is registered, chunks last at
most ``CHUNK_SECONDS`` of wall time.
"""

__all__ = ["add_run_observer", "remove_run_observer", "updates_for_run", "ChunkPacer"]

CHUNK_SECONDS = 0.2             # wall time of a chunk while somebody follows the run
FIRST_CHUNK_STEPS = 16          # the first chunk measures the speed
GROWTH = 8                      # a chunk is at most this many times longer than the last

_observers = []


def add_run_observer(observer):
    """Register ``observer(network, total, progress)`` (once; adding it again does nothing)."""
    if observer not in _observers:
        _observers.append(observer)


def remove_run_observer(observer):
    """Forget an observer registered by add_run_observer (no error when absent)."""
    if observer in _observers:
        _observers.remove(observer)


def updates_for_run(network, total, progress):
    """The update callables of the observers interested in this run."""
    updates = []
    for observer in list(_observers):
        update = observer(network, total, progress)
        if update is not None:
            updates.append(update)
    return updates


class ChunkPacer:
    """Steps of the next chunk so that chunks last about ``seconds`` (default
    ``CHUNK_SECONDS``) of wall time.

    Starts with ``FIRST_CHUNK_STEPS`` steps and grows from the measured speed,
    at most ``GROWTH`` times per chunk (a first chunk can be too short to time well).
    """

    def __init__(self, seconds=None):
        self.seconds = CHUNK_SECONDS if seconds is None else seconds
        self.steps = FIRST_CHUNK_STEPS

    def measured(self, steps, elapsed):
        """Tell the pacer that ``steps`` steps took ``elapsed`` seconds."""
        if steps <= 0:
            return
        target = steps * self.seconds / elapsed if elapsed > 0 else steps * GROWTH
        self.steps = max(1, int(min(target, steps * GROWTH)))

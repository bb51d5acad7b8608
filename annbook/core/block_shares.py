"""How the threads of a threaded run share the blocks of the populations.

The compiled module keeps the shares in a C struct (``ab_shares`` of annbook_rt.h) in
memory the network owns, so that what the threads learnt about their speeds lasts from
one run to the next. The module tells where the fields are (``SHARES_LAYOUT``); reading
the cut and holding shares happen here, in Python, rather than in every compiled module
(compiled there, their conversions took 0.45 s of the 1.55 s gcc spent on a threaded COBA).
"""

import numpy as np


class BlockShares:
    """The ``ab_shares`` of one network, in a buffer of its own cache lines."""

    def __init__(self, layout, allocate):
        (size, self._max_threads, self._share, self._hold, self._cut, self._threads,
         self._blocks) = layout
        self.buffer = allocate(np.zeros(size // 8 + 1))

    @property
    def address(self):
        return self.buffer.ctypes.data

    def _field(self, offset, dtype, count=1):
        return np.ndarray(count, dtype, buffer=self.buffer, offset=offset)

    def cut(self, threads):
        """The first block of each thread and the number of blocks, as the last run on
        ``threads`` threads left them."""
        return [int(b) for b in self._field(self._cut, np.dtype("l"), threads + 1)]

    def hold(self, shares, blocks):
        """Runs on ``len(shares)`` threads give thread t ``shares[t]`` of the ``blocks``
        blocks and keep them; None: the shares follow the threads' speeds again."""
        self._field(self._hold, np.intc)[0] = shares is not None
        if shares is None:
            return
        if len(shares) > self._max_threads or sum(shares) != blocks or min(shares) < 0:
            raise ValueError(f"hold(): {list(shares)} are not shares of {blocks} blocks")
        self._field(self._threads, np.intc)[0] = len(shares)
        self._field(self._blocks, np.intc)[0] = blocks
        self._field(self._share, np.float64, len(shares))[:] = shares

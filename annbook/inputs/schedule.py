"""Tables of inputs that the compiled loop writes into attributes at scheduled steps.

A population replays a table when its neuron lists the receiving attributes in
``neuron._timed``. Row k holds, for each of them in turn, one value per neuron (a
neuron attribute) or one value (a population attribute).
"""

import numpy as np

from ..config import config
from ..core.arguments import number, numbers
from ..errors import NetworkError

__all__ = ["TimedTable", "scheduled_times"]


def scheduled_times(owner, schedule, count):
    """Times (ms) of ``count`` inputs: ``schedule[k]`` (a list) or ``k * schedule`` (a
    number; 0 means every step)."""
    times = numbers(schedule, f"{owner}: the schedule")
    if times.ndim == 0:
        every = float(times) if times > 0 else config["dt"]
        return np.arange(count) * every
    times = times.reshape(-1)
    if times.size > count:
        raise NetworkError(f"{owner}: the schedule has more times ({times.size}) than there "
                           f"are inputs ({count}); give one input per scheduled time")
    if np.any(times < 0) or np.any(np.diff(times) < 0):
        raise NetworkError(f"{owner}: the schedule must be increasing times >= 0 (ms), "
                           f"got {list(times)}")
    return times


class TimedTable:
    """Mixin of populations that replay a table of inputs (row k at the k-th scheduled time).

    Times count from the table's creation or from ``reset()``; with ``period`` > 0
    (ms) the table restarts every period.
    """

    _table = None

    def _replay(self, owner, rows, schedule, period):
        """Replace the table: ``rows`` is (inputs, values per row)."""
        rows = np.asarray(rows, dtype=float)
        times = scheduled_times(owner, schedule, rows.shape[0])
        dt = config["dt"]
        period = number(period, f"{owner}: the period") if period is not None else None
        period_steps = int(round(period / dt)) if period and period > 0 else -1
        self._table = {
            "rates": np.ascontiguousarray(rows[:times.size]),
            "steps": np.round(times / dt).astype(np.int64),
            "info": np.array([times.size, period_steps, self._network.current_step(), 0],
                             dtype=np.int64)}
        if self._network.compiled:
            self._network.rebind()

    def reset(self, attributes=None):
        """Restore the attributes and restart the table from now."""
        super().reset(attributes)
        if self._table is not None:
            self._table["info"][2:] = [self._network.current_step(), 0]

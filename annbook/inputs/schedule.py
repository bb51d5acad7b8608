"""Tables of inputs that the compiled loop writes into attributes at scheduled steps.

A population replays a table when its neuron lists the receiving attributes in
``neuron._timed``. Row k holds, for each of them in turn, one value per neuron (a
neuron attribute) or one value (a population attribute).

As in the reference, the table keeps its own clock: a count of the steps the population
was updated (enabled, with a non-empty table), which a ``period`` restarts. Row k is
written when the clock equals its step (times in ms divided by dt and truncated, as the
reference does: 3.3 ms at dt = 0.1 is step 32), then the next row waits for its own;
after the last row the table starts again from the first one (which a clock that only
grows never meets again, unless a period restarts it). Replacing rates, schedule or
period keeps the clock and the next row; ``reset()`` restores the table of compile time
and restarts the clock.
"""

import numpy as np

from ..config import config
from ..core.arguments import number, numbers
from ..errors import NetworkError

__all__ = ["TimedTable", "scheduled_times", "schedule_steps", "period_steps"]


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


def schedule_steps(times):
    """Steps of times in ms, truncated as the reference converts them."""
    return (np.atleast_1d(np.asarray(times, dtype=float)) / config["dt"]).astype(np.int64)


def period_steps(period):
    """Steps of a period in ms, truncated as the reference; -1 when there is none."""
    return int(period / config["dt"]) if period and period > 0 else -1


class TimedTable:
    """Mixin of populations that replay a table of inputs (row k at the k-th scheduled step).

    ``_table`` holds the rows, their steps and ``info`` = [inputs, period in steps (-1: none),
    clock, next row], which the compiled loop reads and advances.
    """

    _table = None
    _compiled_table = None

    def _replay(self, owner, rows, schedule, period):
        """Replace rows (inputs, values per row), schedule (ms) and period (ms)."""
        rows = np.asarray(rows, dtype=float)
        times = scheduled_times(owner, schedule, rows.shape[0])
        self._replace(rows=rows, steps=schedule_steps(times), period_steps=period_steps(
            number(period, f"{owner}: the period") if period is not None else None))

    def _replace(self, rows=None, steps=None, period_steps=None):
        """Replace parts of the table; the clock and the next row stay (as the reference)."""
        old = self._table or {"rates": np.zeros((0, 0)), "steps": np.zeros(0, dtype=np.int64),
                              "info": np.array([0, -1, 0, 0], dtype=np.int64)}
        rates = old["rates"] if rows is None else np.ascontiguousarray(rows, dtype=float)
        steps = old["steps"] if steps is None else np.ascontiguousarray(steps, dtype=np.int64)
        info = old["info"].copy()
        info[0] = min(len(steps), len(rates))
        if period_steps is not None:
            info[1] = period_steps
        if info[3] >= max(info[0], 1):
            info[3] = 0
        self._table = {"rates": rates, "steps": steps, "info": info}
        if self._network.compiled:
            self._network.rebind()

    def _snapshot(self):
        super()._snapshot()
        if self._table is not None:
            self._compiled_table = {key: values.copy() for key, values in self._table.items()}

    def reset(self, attributes=None):
        """Restore the attributes and the table of compile time; the clock starts again."""
        super().reset(attributes)
        if self._compiled_table is not None:
            self._table = {key: values.copy() for key, values in self._compiled_table.items()}
            self._table["info"][2:] = 0
            self._network.rebind()

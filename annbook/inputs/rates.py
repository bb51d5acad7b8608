"""Rate-coded inputs: values set by the user, or replayed from a table over time."""

import numpy as np

from ..config import config
from ..core.neuron import Neuron
from ..core.arguments import number, numbers
from ..core.population import Population
from ..errors import NetworkError
from .schedule import TimedTable, period_steps, schedule_steps, scheduled_times

__all__ = ["InputArray", "TimedArray"]


class InputArray(Population):
    """A rate-coded population whose ``r`` is set directly by the user (no dynamics)."""

    def __init__(self, geometry=None, name=None, copied=False):
        if geometry is None:
            raise NetworkError("InputArray: a geometry is needed")
        super().__init__(geometry, Neuron(equations="r += 0.0", name="InputArray"), name=name)


class TimedArray(TimedTable, Population):
    """Replays ``rates`` (first axis: time) into ``r``.

    Input k is set at ``schedule[k]`` ms (a list) or at ``k * schedule`` ms (a number,
    default every step); with ``period`` > 0 the table restarts every period ms. After
    the last input, ``r`` keeps it. As in the reference, times count the steps the array
    was updated since compile (or ``reset()``), not from a later ``update()``: new rates
    write their next row into ``r`` at once and keep the schedule's progress.
    """

    def __init__(self, rates=None, geometry=None, schedule=0.0, period=-1.0, name=None,
                 copied=False):
        if rates is None and geometry is None:
            raise NetworkError("TimedArray: give 'rates' (time first) or a 'geometry'")
        if rates is not None:
            rates = numbers(rates, "TimedArray: rates")
        shape = rates.shape[1:] if rates is not None else geometry
        neuron = Neuron(equations="r += 0.0", name="TimedArray")   # r: a recordable variable
        neuron._timed = ("r",)
        super().__init__(shape if np.size(shape) else 1, neuron, name=name)
        with self._withdrawn_on_error():
            if rates is None:       # no inputs yet: r stays 0 and the clock waits for them
                self._replace(rows=np.zeros((0, self.size)), steps=schedule_steps([0.0]))
            else:
                self.update(rates, schedule, period)

    def update(self, rates, schedule=0.0, period=-1):
        """Replace the replayed rates, schedule (ms; a number: every that many ms) and period
        (ms)."""
        rows = self._rows(rates)
        self._replay(f"TimedArray '{self.name}'", rows, schedule, period)
        self._show_next_row()

    def _rows(self, rates):
        rates = numbers(rates, f"TimedArray '{self.name}': rates")
        rates = rates.reshape(rates.shape[0], -1) if rates.ndim > 1 else rates.reshape(-1, 1)
        if rates.shape[1] != self.size:
            raise NetworkError(f"TimedArray '{self.name}': inputs of {rates.shape[1]} values for "
                               f"{self.size} neurons")
        return rates

    def _show_next_row(self):
        """As the reference, new rates after compile() show their next row at once."""
        info = self._table["info"]
        if self._network.compiled and info[3] < len(self._table["rates"]):
            self._state["r"][:] = self._table["rates"][info[3]]

    @property
    def rates(self):
        """The replayed inputs: time first, then the geometry."""
        return self._table["rates"].reshape((-1,) + self.geometry).copy()

    @rates.setter
    def rates(self, rates):
        self._replace(rows=self._rows(rates))
        self._show_next_row()

    @property
    def schedule(self):
        """Times (ms) of the inputs."""
        return self._table["steps"] * config["dt"]

    @schedule.setter
    def schedule(self, schedule):
        """As the reference's attribute: the given times, a number being one time."""
        self._replace(steps=schedule_steps(scheduled_times(f"TimedArray '{self.name}'",
                                                           np.atleast_1d(schedule),
                                                           np.size(schedule))))

    @property
    def period(self):
        """Period (ms) of the replay; -1: none."""
        steps = self._table["info"][1]
        return float(steps * config["dt"]) if steps > 0 else -1.0

    @period.setter
    def period(self, period):
        self._replace(period_steps=period_steps(
            number(period, "TimedArray: the period") if period is not None else None))

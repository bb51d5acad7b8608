"""Poisson spike trains whose rates change at scheduled times."""

import numpy as np

from ..config import config
from ..core.arguments import numbers
from ..core.neuron import Neuron
from ..core.population import Population, _geometry
from ..errors import NetworkError
from .poisson import _DRAW
from .schedule import TimedTable, scheduled_times

__all__ = ["TimedPoissonPopulation"]


class TimedPoissonPopulation(TimedTable, Population):
    """Poisson neurons whose rates (Hz) take the k-th row of ``rates`` at the k-th time.

    ``rates`` has time first, then one rate per time for all neurons or one per neuron
    (the geometry). ``schedule`` is a list of times (ms) or a number (every ``schedule``
    ms; 0: every step); ``period`` > 0 (ms) restarts the schedule. Before the first
    time, no spikes. As in the reference, times count the steps since compile() (or
    ``reset()``) and replacing ``rates``, ``schedule`` or ``period`` keeps that count.
    The current rates are the attribute ``proba``.
    """

    def __init__(self, geometry, rates, schedule=0.0, period=-1.0, name=None, copied=False):
        owner = f"TimedPoissonPopulation '{name}'" if name else "TimedPoissonPopulation"
        rows = _table_rows(owner, rates, schedule, _geometry(geometry))
        neuron = Neuron(parameters="proba = 0.0", equations=_DRAW, spike="p < proba",
                        name="TimedPoisson")
        neuron._timed = ("proba",)
        super().__init__(geometry, neuron, name=name)
        with self._withdrawn_on_error():
            self._update(rows, schedule, period)

    @property
    def rates(self):
        """The table of rates (Hz): time first, then the geometry."""
        return self._table["rates"].reshape((-1,) + self.geometry).copy()

    @rates.setter
    def rates(self, rates):
        self._update(_table_rows(self._owner(), rates, self._inputs[1], self.geometry),
                     *self._inputs[1:])

    @property
    def schedule(self):
        """Times (ms) at which the rows of ``rates`` are applied."""
        return self._table["steps"] * config["dt"]

    @schedule.setter
    def schedule(self, schedule):
        rows = self._inputs[0]
        self._update(_table_rows(self._owner(), rows, schedule, self.geometry), schedule,
                     self._inputs[2])

    @property
    def period(self):
        """Period (ms) of the schedule; -1: no repetition."""
        return self._inputs[2]

    @period.setter
    def period(self, period):
        self._update(*self._inputs[:2], period)

    def _owner(self):
        return f"TimedPoissonPopulation '{self.name}'"

    def _update(self, rows, schedule, period):
        self._replay(self._owner(), rows, schedule, period)
        self._inputs = (rows, schedule, period)


def _table_rows(owner, rates, schedule, geometry):
    """Rates as (inputs, neurons), checked against the geometry and the schedule."""
    size = int(np.prod(geometry))
    rates = numbers(rates, f"{owner}: rates")
    if rates.ndim == 0:
        raise NetworkError(f"{owner}: 'rates' must have time first (a list of rates, or of "
                           "arrays of the population's geometry), got a number")
    if np.any(rates < 0) or not np.all(np.isfinite(rates)):
        raise NetworkError(f"{owner}: rates must be finite and >= 0 (Hz)")
    if rates.ndim == 1 or rates[0].size == 1:
        rows = np.repeat(rates.reshape(-1, 1), size, axis=1)
    elif rates.shape[1:] in ((size,), tuple(geometry)):
        rows = rates.reshape(rates.shape[0], size)
    else:
        raise NetworkError(f"{owner}: each input of 'rates' has the shape {rates.shape[1:]}; "
                           f"expected one value, {size} values or {tuple(geometry)}")
    if np.ndim(schedule) > 0:
        if np.size(schedule) != len(rows):
            raise NetworkError(f"{owner}: {len(rows)} inputs in 'rates' for "
                               f"{np.size(schedule)} scheduled times; give one time per input")
        scheduled_times(owner, schedule, len(rows))
    return rows

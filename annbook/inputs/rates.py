"""Rate-coded inputs: values set by the user, or replayed from a table over time."""

import numpy as np

from ..core.neuron import Neuron
from ..core.arguments import numbers
from ..core.population import Population
from ..errors import NetworkError
from .schedule import TimedTable

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
    the last input, ``r`` keeps it. Times count from creation, or from ``reset()``.
    """

    def __init__(self, rates=None, geometry=None, schedule=0.0, period=-1.0, name=None,
                 copied=False):
        if rates is None and geometry is None:
            raise NetworkError("TimedArray: give 'rates' (time first) or a 'geometry'")
        rates = np.zeros((1,) + tuple(np.atleast_1d(geometry))) if rates is None \
            else numbers(rates, "TimedArray: rates")
        neuron = Neuron(equations="r += 0.0", name="TimedArray")   # r: a recordable variable
        neuron._timed = ("r",)
        super().__init__(rates.shape[1:] if rates.ndim > 1 else 1, neuron, name=name)
        with self._withdrawn_on_error():
            self.update(rates, schedule, period)

    def update(self, rates, schedule=0.0, period=-1):
        """Replace the replayed rates, schedule (ms) and period (ms)."""
        rates = numbers(rates, f"TimedArray '{self.name}': rates")
        rates = rates.reshape(rates.shape[0], -1) if rates.ndim > 1 else rates.reshape(-1, 1)
        if rates.shape[1] != self.size:
            raise NetworkError(f"TimedArray '{self.name}': inputs of {rates.shape[1]} values for "
                               f"{self.size} neurons")
        self._replay(f"TimedArray '{self.name}'", rates, schedule, period)
        self.schedule, self.period = schedule, period

"""Rate-coded inputs: values set by the user, or replayed from a table over time."""

import numpy as np

from ..config import config
from ..core.neuron import Neuron
from ..core.population import Population
from ..errors import NetworkError

__all__ = ["InputArray", "TimedArray"]


class InputArray(Population):
    """A rate-coded population whose ``r`` is set directly by the user (no dynamics)."""

    def __init__(self, geometry=None, name=None, copied=False):
        if geometry is None:
            raise NetworkError("InputArray: a geometry is needed")
        super().__init__(geometry, Neuron(equations="r += 0.0", name="InputArray"), name=name)


class TimedArray(Population):
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
            else np.asarray(rates, dtype=float)
        neuron = Neuron(equations="r += 0.0", name="TimedArray")   # r: a recordable variable
        neuron._timed = True
        super().__init__(rates.shape[1:] if rates.ndim > 1 else 1, neuron, name=name)
        self._table = None
        self.update(rates, schedule, period)

    def update(self, rates, schedule=0.0, period=-1):
        """Replace the replayed rates, schedule (ms) and period (ms)."""
        rates = np.asarray(rates, dtype=float)
        rates = rates.reshape(rates.shape[0], -1) if rates.ndim > 1 else rates.reshape(-1, 1)
        if rates.shape[1] != self.size:
            raise NetworkError(f"TimedArray '{self.name}': inputs of {rates.shape[1]} values for "
                               f"{self.size} neurons")
        dt = config["dt"]
        if np.ndim(schedule) == 0:
            every = float(schedule) if schedule > 0 else dt
            times = np.arange(rates.shape[0]) * every
        else:
            times = np.asarray(schedule, dtype=float)
            if times.size > rates.shape[0]:
                raise NetworkError(f"TimedArray '{self.name}': the schedule has more times "
                                   f"({times.size}) than there are inputs ({rates.shape[0]})")
        period_steps = int(round(period / dt)) if period and period > 0 else -1
        self._table = {
            "rates": np.ascontiguousarray(rates[:times.size]),
            "steps": np.round(times / dt).astype(np.int64),
            "info": np.array([times.size, period_steps, self._network.current_step(), 0],
                             dtype=np.int64)}
        self.schedule, self.period = schedule, period
        if self._network.compiled:
            self._network.rebind()

    def reset(self, attributes=None):
        """Restore r and restart the table from now."""
        super().reset(attributes)
        if self._table is not None:
            self._table["info"][2:] = [self._network.current_step(), 0]

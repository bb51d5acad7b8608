"""Poisson spike trains at given rates."""

import numpy as np

from ..core.neuron import Neuron
from ..core.population import Population
from ..errors import NetworkError

__all__ = ["PoissonPopulation"]

_DRAW = "p = Uniform(0.0, 1.0) * 1000.0 / dt"


class PoissonPopulation(Population):
    """Neurons spiking as Poisson processes.

    ``rates`` (Hz) is a number, an array (one rate per neuron), or an equation
    string of ``t`` and of the extra ``parameters``; with ``target`` instead, the
    rate is the weighted sum that rate-coded projections bring to that target.
    """

    def __init__(self, geometry, name=None, rates=None, target=None, parameters=None,
                 refractory=None, copied=False):
        if rates is None and target is None:
            raise NetworkError("PoissonPopulation: give either 'rates' or 'target'")
        extra = parameters or ""
        if target is not None:
            neuron = Neuron(parameters=extra, equations=f"rates = sum({target})\n{_DRAW}",
                            spike="p < rates", refractory=refractory, name="Hybrid")
        elif isinstance(rates, str):
            neuron = Neuron(parameters=extra, equations=f"rates = {rates}\n{_DRAW}",
                            spike="p < rates", refractory=refractory, name="Poisson")
        else:
            values = np.asarray(rates, dtype=float)
            if np.any(values < 0):
                raise NetworkError("PoissonPopulation: rates must be positive or zero (Hz)")
            initial = float(values) if values.ndim == 0 else 10.0
            neuron = Neuron(parameters=f"rates = {initial}\n{extra}", equations=_DRAW,
                            spike="p < rates", refractory=refractory, name="Poisson")
        super().__init__(geometry, neuron, name=name)
        if rates is not None and not isinstance(rates, str) and np.ndim(rates) > 0:
            self.rates = rates

    def _checked_value(self, name, values):
        if name == "rates" and np.any(values < 0):
            raise NetworkError(f"PoissonPopulation '{self.name}': rates must be positive or "
                               f"zero (Hz), got {values.min()}")
        return values

"""Poisson spike trains at given rates.

As in the reference, each neuron spikes at a step with probability ``rates * dt / 1000``
(clipped to 1), independently of the other steps. The reference draws ``p`` uniformly for
every neuron at every step and spikes when ``p < rates``. When nothing reads ``p`` (no
synapse, stop condition or monitor known at ``compile()``) and the rates are numbers (not
an equation), annbook instead draws, at each spike, the number of steps to the next one
(geometric, after the refractory period): the same spike trains in law, for one draw per
spike instead of one per neuron and step. ``uniform_draws=True`` keeps the reference's
per-step draws.
"""

import dataclasses
import re

import numpy as np

from ..core.neuron import Neuron
from ..core.population import Population
from ..errors import NetworkError

__all__ = ["PoissonPopulation"]

_DRAW = "p = Uniform(0.0, 1.0) * 1000.0 / dt"
_NEVER = 2 ** 62                 # the next spike of a neuron at rate 0
_READS_P = re.compile(r"\bpre\s*\.\s*p\b")


class PoissonPopulation(Population):
    """Neurons spiking as Poisson processes.

    ``rates`` (Hz) is a number, an array (one rate per neuron), or an equation
    string of ``t`` and of the extra ``parameters``; with ``target`` instead, the
    rate is the weighted sum that rate-coded projections bring to that target.
    ``uniform_draws`` (annbook's own): True draws ``p`` for every neuron at every step as
    the reference does; by default this happens only when something reads ``p``, otherwise
    the steps between spikes are drawn (see the module).
    """

    def __init__(self, geometry, name=None, rates=None, target=None, parameters=None,
                 refractory=None, copied=False, uniform_draws=None):
        if rates is None and target is None:
            raise NetworkError("PoissonPopulation: give either 'rates' or 'target'")
        extra = parameters or ""
        constant = False
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
            constant = True
        super().__init__(geometry, neuron, name=name)
        self._uniform_draws = bool(uniform_draws) or not constant
        self._reference = self._description        # with the per-step draw of p
        self._spike_arrays["next_spike"] = np.zeros(self.size, dtype=np.int64)
        self._redraw = True
        if rates is not None and not isinstance(rates, str) and np.ndim(rates) > 0:
            self.rates = rates

    # ------------------------------------------------------------ which draws
    def _compile_variant(self, network):
        """At compile(): draw the steps between spikes unless something reads ``p``."""
        self._description = self._reference
        if self._uniform_draws or self._p_read(network):
            return
        self._description = dataclasses.replace(
            self._reference, drawn=True,
            definitions=[d for d in self._reference.definitions if d.target != "p"])
        self._redraw = True

    def _p_read(self, network):
        """Whether a synapse of a projection from here, the stop condition or a monitor
        reads ``p``."""
        if self.stop_condition and re.search(r"\bp\b", self.stop_condition):
            return True
        for projection in network.projections:
            if projection.pre.population is self:
                description = projection._description
                texts = [d.rhs for d in description.definitions] + \
                    [d.rhs for event in description.events.values() for d in event] + \
                    [str(getattr(projection.synapse_type, "psp", "") or "")]
                if any(_READS_P.search(text) for text in texts):
                    return True
        return any(getattr(m.object, "population", None) is self and "p" in m.variables
                   for m in network.monitors)

    def _not_computed(self, name):
        """Why ``name`` cannot be read (None when it can)."""
        if name == "p" and self._description.drawn and self._network.compiled:
            return (f"PoissonPopulation '{self.name}' draws the steps between its spikes, not "
                    "p at every step (nothing read p when it was compiled); create it with "
                    "uniform_draws=True to read or record p, as in the reference")
        return None

    def __getattr__(self, name):
        if name == "p" and "_description" in self.__dict__:
            reason = self._not_computed(name)
            if reason:
                raise NetworkError(reason)
        return super().__getattr__(name)

    def get(self, name):
        reason = self._not_computed(name)
        if reason:
            raise NetworkError(reason)
        return super().get(name)

    # ------------------------------------------------------------ the next spikes
    def _checked_value(self, name, values):
        if name == "rates":
            if np.any(values < 0):
                raise NetworkError(f"PoissonPopulation '{self.name}': rates must be positive "
                                   f"or zero (Hz), got {values.min()}")
            self._redraw = True
        return values

    def _prepare_spiking(self, dt):
        super()._prepare_spiking(dt)
        if self._description.drawn and self._redraw:
            self._draw_next_spikes(dt)

    def _draw_next_spikes(self, dt):
        """The step of each neuron's next spike from the current step on, drawn from the
        population's generator (what the compiled loop draws from after each spike)."""
        arrays = self._spike_arrays
        step = self._network.current_step()
        rates = np.broadcast_to(self._state["rates"], (self.size,)).astype(np.float64)
        chance = np.minimum(rates * dt / 1000.0, 1.0)
        gaps = np.full(self.size, _NEVER, dtype=np.int64)
        some = chance > 0
        gaps[some] = np.random.Generator(self._bitgen).geometric(chance[some])
        start = np.maximum(step - 1, arrays["last_spike"] + arrays["ref_steps"])
        arrays["next_spike"][:] = start + gaps
        self._redraw = False

    def _clock_moved(self):
        self._redraw = True

    def _clear_spikes(self):
        super()._clear_spikes()
        self._redraw = True

    def enable(self):
        super().enable()
        self._redraw = True

    def reset(self, attributes=None):
        super().reset(attributes)
        self._redraw = True

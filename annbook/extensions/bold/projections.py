"""Projections of the BOLD extension: the inputs of a BOLD model, normalised conductances.

``AccProjection`` brings the mean of a population variable to a BOLD model (compiled by
``codegen/accumulation.py``); ``NormProjection`` is a spiking projection that also counts
each spike, divided by the number of synapses the post neuron receives, into a variable
(a synaptic activity that a BOLD monitor can read).
"""

import numpy as np

from ...config import config
from ...core.arguments import number
from ...core.projection import Projection
from ...core.synapse import Synapse
from ...errors import ArgumentError, NetworkError

__all__ = ["AccProjection", "NormProjection"]

_ACCUMULATOR = """
    scale = 1.0 : projection
    baseline_steps = 0 : projection, int
    baseline_until = -1 : projection, int
    baseline_sum = 0.0 : postsynaptic
    baseline_count = 0 : postsynaptic, int
    baseline_mean = 0.0 : postsynaptic
"""


class AccProjection(Projection):
    """Sends ``scale_factor`` times the mean of ``variable`` over each dendrite's pre-synaptic
    neurons to ``sum(target)`` of a rate-coded population, every step.

    ``normalize_input`` (ms, 0 for none): after ``start_baseline()``, the mean is collected
    for that long (the target receives nothing), then the target receives the relative
    deviation from the baseline's average, ``(mean - baseline) / |baseline|``. Weights and
    delays are ignored; the variable is read as it is at the start of the step.
    """

    def __init__(self, pre, post, target, variable, name=None, normalize_input=0,
                 scale_factor=1.0, copied=False):
        owner = "AccProjection"
        _check_variable(owner, pre, variable, "pre-synaptic")
        if getattr(post.population, "_spike_arrays", None) is not None:
            raise NetworkError(f"{owner}: the post-synaptic population "
                               f"'{post.population.name}' must be rate-coded")
        self._variable = variable
        self._scale_factor = number(scale_factor, f"{owner}: scale_factor")
        self._normalize_input = number(normalize_input, f"{owner}: normalize_input")
        self._baseline_steps = _baseline_steps(owner, self._normalize_input)
        super().__init__(pre, post, target, Synapse(parameters=_ACCUMULATOR,
                                                    psp=f"pre.{variable}",
                                                    name="AccProjection"), name=name)

    @property
    def transmission_kind(self):
        return "accumulate"

    def _make_state(self):
        super()._make_state()
        self._state["scale"][:] = self._scale_factor
        self._state["baseline_steps"][:] = self._baseline_steps

    def start_baseline(self):
        """Collect a new baseline for ``normalize_input`` ms from now (no effect without)."""
        self._check_connected()
        if self._baseline_steps > 0:
            self._state["baseline_until"][:] = \
                self._network.current_step() + self._baseline_steps
            self._state["baseline_sum"][:] = 0.0
            self._state["baseline_count"][:] = 0


class NormProjection(Projection):
    """A spiking projection (``g_target += w``) that also adds, for each spike, one over
    the number of synapses its post neuron receives (from all projections onto its
    population, counted at compile time) to the post neuron's ``variable``."""

    def __init__(self, pre, post, target, variable, synapse=None, name=None, copied=False):
        owner = "NormProjection"
        for side, obj in (("pre", pre), ("post", post)):
            if getattr(getattr(obj, "population", None), "_spike_arrays", None) is None:
                raise NetworkError(f"{owner}: the {side}-synaptic population must be spiking")
        if synapse is not None:
            raise NetworkError(f"{owner}: a synapse model cannot be given; its synapses are "
                               "g_target += w (use a Projection for other synapses)")
        attribute = _check_variable(owner, post, variable, "post-synaptic")
        if attribute.kind != "variable" or attribute.locality != "local":
            what = "a parameter" if attribute.kind != "variable" else \
                "one value for the population"
            raise NetworkError(f"{owner}: '{variable}' of '{post.population.name}' is {what}; "
                               "give a per-neuron variable (defined by an equation)")
        self._variable = variable
        super().__init__(pre, post, target, Synapse(
            parameters="nb_aff_synapse = 1.0 : postsynaptic",
            pre_spike=f"g_target += w\npost.{variable} += 1.0 / nb_aff_synapse",
            name="NormProjection"), name=name)

    def _snapshot(self):
        """At compile: count the synapses each post neuron receives from all projections."""
        post = self.post.population
        counts = np.zeros(post.size)
        for projection in self._network.projections:
            if projection.post.population is post and projection._connectivity is not None:
                c = projection._connectivity
                np.add.at(counts, c.post_ranks, np.diff(c.row_ptr))
        self._state["nb_aff_synapse"][:] = counts[self._connectivity.post_ranks]
        super()._snapshot()


def _check_variable(owner, side, variable, which):
    """The attribute ``variable`` of a population (or view), or an error naming it."""
    population = getattr(side, "population", None)
    if population is None:
        raise NetworkError(f"{owner}: the {which} side must be a Population or a "
                           f"PopulationView, got {type(side).__name__}")
    if not isinstance(variable, str):
        raise ArgumentError(f"{owner}: the variable must be a name, got {variable!r}")
    attribute = population._description.attribute(variable)
    if attribute is None:
        raise NetworkError(f"{owner}: the {which} population '{population.name}' has no "
                           f"attribute '{variable}'; its attributes are "
                           f"{population.attributes}")
    return attribute


def _baseline_steps(owner, duration):
    """Steps of a baseline of ``duration`` ms (0: no normalisation)."""
    if duration < 0:
        raise ArgumentError(f"{owner}: normalize_input must be 0 (no normalisation) or a "
                            f"duration in ms, got {duration}")
    steps = int(round(duration / config["dt"]))
    if duration > 0 and steps == 0:
        raise ArgumentError(f"{owner}: normalize_input ({duration} ms) is shorter than one "
                            f"step (dt = {config['dt']} ms)")
    return steps

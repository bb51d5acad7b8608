"""Synapse models described by text."""

from ..errors import ModelError
from .model import Model

__all__ = ["Synapse"]

OPERATIONS = ("sum", "max", "min", "mean")


class Synapse(Model):
    """A synapse model: parameters, equations, ``psp`` and ``operation`` for rate-coded
    networks, ``pre_spike``/``post_spike`` for spiking ones.

    ``w`` always exists: a parameter unless an equation changes it. Attributes
    are per synapse by default, ``postsynaptic`` makes them per post neuron,
    ``projection`` one value for the whole projection.

    ``pruning`` and ``creating`` (structural plasticity) are conditions such as
    ``"age > T : proba = 0.2"`` and ``"pre.r * post.r > 1.0 : proba = 0.1, w = 0.01"``
    (``d=`` also gives the delay of created synapses), evaluated every period once
    ``Projection.start_pruning()`` / ``start_creating()`` is called.
    """

    _kind = "synapse"
    _fields = ("psp", "operation", "pre_spike", "post_spike", "pre_axon_spike", "pruning",
               "creating")

    def __init__(self, parameters="", equations="", psp=None, operation="sum", pre_spike=None,
                 post_spike=None, pre_axon_spike=None, functions=None, pruning=None,
                 creating=None, name=None, description=None, extra_values={}):
        if operation not in OPERATIONS:
            raise ModelError(name or "Synapse", f"unknown operation '{operation}'", None,
                             "one of " + ", ".join(OPERATIONS), field="operation")
        self.psp = psp
        self.operation = operation
        self.pre_spike = pre_spike
        self.post_spike = post_spike
        self.pre_axon_spike = pre_axon_spike
        if pre_axon_spike and post_spike:
            raise ModelError(name or "Synapse", "axonal spikes (pre_axon_spike) cannot be used "
                             "together with post_spike", None,
                             "a separate synapse model for the plastic connections",
                             field="pre_axon_spike")
        self.pruning = pruning
        self.creating = creating
        self.type = "spike" if (pre_spike or post_spike or pre_axon_spike) else "rate"
        self._init_model(parameters, equations, functions, name, description, extra_values)

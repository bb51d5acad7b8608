"""Neuron models described by text."""

from .model import Model

__all__ = ["Neuron"]


class Neuron(Model):
    """A neuron model: parameters, equations and, for spiking models, spike/reset.

    Nothing is compiled here; the text is read when a population is created
    (names, flags, initial values) and analysed when the network is compiled.
    """

    _kind = "neuron"
    _fields = ("spike", "reset", "axon_spike", "axon_reset", "refractory", "_schedule", "_timed")
    _schedule = False        # spikes at given times (SpikeSourceArray), not from a condition
    _timed = ()              # attributes replayed from a table of inputs (inputs/schedule.py)

    def __init__(self, parameters="", equations="", spike=None, axon_spike=None, reset=None,
                 axon_reset=None, refractory=None, functions=None, name="", description="",
                 extra_values={}):
        self.spike = spike
        self.axon_spike = axon_spike
        self.reset = reset
        self.axon_reset = axon_reset
        self.refractory = refractory
        self.type = "spike" if spike else "rate"
        self._init_model(parameters, equations, functions, name, description, extra_values)

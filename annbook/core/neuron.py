"""Neuron models described by text."""

from ..parser.description import describe
from .constant import constant_names

__all__ = ["Neuron"]

_counter = [0]


class Neuron:
    """A neuron model: parameters, equations and, for spiking models, spike/reset.

    Nothing is compiled here; the text is read when a population is created
    (names, flags, initial values) and analysed when the network is compiled.
    """

    def __init__(self, parameters="", equations="", spike=None, axon_spike=None, reset=None,
                 axon_reset=None, refractory=None, functions=None, name="", description="",
                 extra_values={}):
        self.parameters = parameters or ""
        self.equations = equations or ""
        self.spike = spike
        self.axon_spike = axon_spike
        self.reset = reset
        self.axon_reset = axon_reset
        self.refractory = refractory
        self.functions = functions or ""
        _counter[0] += 1
        self.name = name or f"neuron{_counter[0]}"
        self.description = description
        self.extra_values = dict(extra_values)
        self.type = "spike" if spike else "rate"
        self._method = None      # default numerical method, fixed by the first population
        self._cache = {}

    def _describe(self):
        """The ModelDescription, read once per set of visible constants."""
        key = tuple(constant_names())
        if key not in self._cache:
            self._cache[key] = describe(self.name, "neuron", self.parameters, self.equations,
                                        self.functions, set(key), rate_coded=self.type == "rate")
        return self._cache[key]

    def _structure(self):
        """What decides the generated code for this model (parameter values do not)."""
        return "\n--\n".join([self.type, str(self._method), self._describe().structure(),
                              str(self.spike),
                              str(self.reset), str(self.axon_spike), str(self.axon_reset),
                              str(self.refractory)])

    def __repr__(self):
        kind = "Spiking" if self.type == "spike" else "Rate-coded"
        text = f"{kind} neuron '{self.name}'"
        if self.description:
            text += f": {self.description}"
        text += "\nParameters:\n" + _indent(self.parameters)
        text += "\nEquations:\n" + _indent(self.equations)
        if self.functions:
            text += "\nFunctions:\n" + _indent(self.functions)
        return text


def _indent(text):
    lines = [line.strip() for line in (text or "").strip().splitlines() if line.strip()]
    return "\n".join("    " + line for line in lines) or "    (none)"

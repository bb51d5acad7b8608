"""Synapse models described by text."""

from ..parser.description import describe
from .constant import constant_names

__all__ = ["Synapse"]

_counter = [0]
OPERATIONS = ("sum", "max", "min", "mean")


class Synapse:
    """A synapse model: parameters, equations, ``psp`` and ``operation`` for rate-coded
    networks, ``pre_spike``/``post_spike`` for spiking ones.

    ``w`` always exists: a parameter unless an equation changes it. Attributes
    are per synapse by default, ``postsynaptic`` makes them per post neuron,
    ``projection`` one value for the whole projection.
    """

    def __init__(self, parameters="", equations="", psp=None, operation="sum", pre_spike=None,
                 post_spike=None, pre_axon_spike=None, functions=None, pruning=None,
                 creating=None, name=None, description=None, extra_values={}):
        from ..errors import ModelError
        _counter[0] += 1
        self.name = name or f"synapse{_counter[0]}"
        if operation not in OPERATIONS:
            raise ModelError(self.name, f"unknown operation '{operation}'", None,
                             "one of " + ", ".join(OPERATIONS))
        self.parameters = parameters or ""
        self.equations = equations or ""
        self.psp = psp
        self.operation = operation
        self.pre_spike = pre_spike
        self.post_spike = post_spike
        self.pre_axon_spike = pre_axon_spike
        self.functions = functions or ""
        self.pruning = pruning
        self.creating = creating
        self.description = description
        self.extra_values = dict(extra_values)
        self.type = "spike" if (pre_spike or post_spike or pre_axon_spike) else "rate"
        self._method = None
        self._cache = {}

    def _describe(self):
        key = tuple(constant_names())
        if key not in self._cache:
            self._cache[key] = describe(self.name, "synapse", self.parameters, self.equations,
                                        self.functions, set(key))
        return self._cache[key]

    def _structure(self):
        return "\n--\n".join([self.type, str(self._method), self._describe().structure(),
                              str(self.psp), self.operation, str(self.pre_spike),
                              str(self.post_spike), str(self.pre_axon_spike)])

    def __repr__(self):
        kind = "Spiking" if self.type == "spike" else "Rate-coded"
        return (f"{kind} synapse '{self.name}'\nParameters:\n{_indent(self.parameters)}\n"
                f"Equations:\n{_indent(self.equations)}\npsp: {self.psp or 'w * pre.r'}"
                f"  operation: {self.operation}")


def _indent(text):
    lines = [line.strip() for line in (text or "").strip().splitlines() if line.strip()]
    return "\n".join("    " + line for line in lines) or "    (none)"

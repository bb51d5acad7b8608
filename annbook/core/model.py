"""What neuron and synapse models share: their text, its reading, its structure."""

from ..parser.description import describe
from .constant import constant_names

__all__ = ["Model", "DescribedAttributes"]


class Model:
    """Base of Neuron and Synapse: the description is read once per set of visible constants.

    ``_kind`` is 'neuron' or 'synapse'; ``_fields`` lists the event fields (spike,
    reset, pre_spike...) whose text decides generated code besides the equations.
    """

    _kind = ""
    _fields = ()
    _counter = [0]

    def _init_model(self, parameters, equations, functions, name, description, extra_values):
        Model._counter[0] += 1
        self.parameters = parameters or ""
        self.equations = equations or ""
        self.functions = functions or ""
        self.name = name or f"{self._kind}{Model._counter[0]}"
        self.description = description
        self.extra_values = dict(extra_values or {})
        self._method = None      # default numerical method, fixed by the first user
        self._cache = {}

    def _describe(self):
        """The ModelDescription, read once per set of visible constants."""
        key = tuple(constant_names())
        if key not in self._cache:
            events = {name: getattr(self, name) for name in self._fields
                      if name not in ("operation", "_schedule", "_timed")}
            self._cache[key] = describe(self.name, self._kind, self.parameters, self.equations,
                                        self.functions, set(key),
                                        rate_coded=self.type == "rate", events=events,
                                        extra_values=self.extra_values,
                                        implicit_r=getattr(self, "_implicit_r", False))
            self._cache[key].schedule = bool(getattr(self, "_schedule", False))
            self._cache[key].timed = tuple(getattr(self, "_timed", ()))
        return self._cache[key]

    def _structure(self):
        """What decides the generated code for this model (parameter values do not)."""
        return "\n--\n".join([self.type, str(self._method), self._describe().structure()]
                             + [str(getattr(self, name)) for name in self._fields])

    def __repr__(self):
        kind = "Spiking" if self.type == "spike" else "Rate-coded"
        text = f"{kind} {self._kind} '{self.name}'"
        if self.description:
            text += f": {self.description}"
        text += "\nParameters:\n" + _indent(self.parameters)
        text += "\nEquations:\n" + _indent(self.equations)
        for name in self._fields:
            if getattr(self, name):
                text += f"\n{name}:\n" + _indent(str(getattr(self, name)))
        if self.functions:
            text += "\nFunctions:\n" + _indent(self.functions)
        return text


class DescribedAttributes:
    """Names of a population's or projection's attributes, from its model description."""

    @property
    def parameters(self):
        return self._description.parameters

    @property
    def variables(self):
        return self._description.variables

    @property
    def attributes(self):
        return [a.name for a in self._description.attributes]


def _indent(text):
    lines = [line.strip() for line in (text or "").strip().splitlines() if line.strip()]
    return "\n".join("    " + line for line in lines) or "    (none)"

"""Named global constants usable in every equation."""

from ..errors import ANNarchyException
from .arguments import number

__all__ = ["Constant", "get_constant", "value_of", "constant_names", "constant_values"]

_constants = {}


class Constant(float):
    """A named constant: behaves like a float in Python, like a name in equations.

    ``set(value)`` changes it, also after compile: the compiled code reads the
    current value at every ``simulate()``. Arithmetic uses the value it had
    at creation, as a float does.
    """

    def __new__(cls, name, value, net_id=0):
        return float.__new__(cls, number(value, f"Constant '{name}': the value"))

    def __init__(self, name, value, net_id=0):
        if not isinstance(name, str) or not name.isidentifier():
            raise ANNarchyException(f"Constant: '{name}' is not a valid name")
        self.name = name
        self.value = float(self)
        _constants[name] = self

    def set(self, value, network=None):
        """Change the value; takes effect at the next simulate()."""
        self.value = number(value, f"Constant '{self.name}': the value")

    def __reduce__(self):
        return _unpickled_constant, (self.name, self.value)

    def __repr__(self):
        return f"Constant('{self.name}', {self.value!r})"

    def __str__(self):
        return str(self.value)


def _unpickled_constant(name, value):
    """The constant of that name in this process (created with ``value`` if missing)."""
    existing = _constants.get(name)
    return Constant(name, value) if existing is None else existing


def get_constant(name):
    """The Constant called ``name``, or None."""
    return _constants.get(name)


def value_of(value):
    """A model's value: a number, or the current value of the Constant it names."""
    return _constants[value].value if isinstance(value, str) else value


def constant_names():
    """Names of all constants, sorted (the order of the compiled values array)."""
    return sorted(_constants)


def constant_values(names):
    """Current values for the given names."""
    return [_constants[name].value if name in _constants else 0.0 for name in names]


def clear_constants():
    _constants.clear()

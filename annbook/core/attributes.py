"""Reading and writing model attributes through populations, views and neurons."""

import numpy as np

from ..errors import NetworkError, ShapeError
from .arguments import mapping
from .random import RandomDistribution

__all__ = ["AttributeAccess", "coerce_values"]


def coerce_values(owner, name, value, count, geometry, dtype):
    """Turn a user value into a flat array of ``count`` elements, or raise ShapeError.

    The array must be flat or have the shape ``geometry``, dimensions of size one
    aside: a (1, 289) row fits a (17, 17) population, as in the reference (which
    takes any shape of the right size; a (3, 2) array for a (2, 3) population is
    refused here, being more likely a mistake).
    """
    if isinstance(value, RandomDistribution):
        return np.asarray(value.get_values(count), dtype=dtype)
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise ShapeError(f"{owner}: cannot assign {type(value).__name__} to '{name}'; "
                         "expected a number, an array or a random distribution")
    if array.size == 1:
        return np.full(count, array.reshape(-1)[0], dtype=dtype)
    shape = _without_ones(array.shape)
    if array.size == count and (len(shape) <= 1 or shape == _without_ones(geometry)):
        return array.reshape(count).astype(dtype)
    raise ShapeError(f"{owner}: cannot assign an array of shape {array.shape} to '{name}'; "
                     f"expected a single value, {count} values or the shape {tuple(geometry)}")


def _without_ones(shape):
    return tuple(size for size in shape if size != 1)


class AttributeAccess:
    """Attribute get/set for anything that selects ranks of a population.

    Subclasses provide ``population``, ``_ranks()`` (None for all neurons, an
    int for one neuron, an array for a view) and ``geometry`` for the shape of
    what is returned.
    """

    def _get(self, name):
        population = self.population
        values = population._state[name]
        attr = population._description.attribute(name)
        if attr.locality != "local":
            return values[0].item()
        ranks = self._ranks()
        if ranks is None:
            return values.reshape(population.geometry).copy()
        if np.isscalar(ranks):
            return values[ranks].item()
        return values[ranks]                 # views read flat, as the reference

    def _set(self, name, value):
        population = self.population
        population._network.check_usable(population)
        values = population._state[name]
        attr = population._description.attribute(name)
        owner = self._describe_owner()
        if attr.locality != "local":
            values[:] = population._checked_value(name, coerce_values(owner, name, value, 1,
                                                                      (1,), values.dtype))
            return
        ranks = self._ranks()
        if ranks is None:
            values[:] = population._checked_value(name, coerce_values(
                owner, name, value, population.size, population.geometry, values.dtype))
        elif np.isscalar(ranks):
            values[ranks] = population._checked_value(name, coerce_values(
                owner, name, value, 1, (1,), values.dtype))[0]
        else:
            values[ranks] = population._checked_value(name, coerce_values(
                owner, name, value, len(ranks), self.geometry, values.dtype))

    def _describe_owner(self):
        return f"Population '{self.population.name}'"

    def __setattr__(self, name, value):
        population = self.__dict__.get("population", self)
        if name in population.__dict__.get("_state", {}):
            self._set(name, value)
        else:
            object.__setattr__(self, name, value)

    def get(self, name):
        """Current value of a parameter or variable."""
        if name not in self.population._state:
            raise NetworkError(f"{self._describe_owner()} has no attribute '{name}'; "
                               f"it has {self.population.attributes}")
        return self._get(name)

    def set(self, values):
        """Assign several attributes at once from a dict {name: value}."""
        for name, value in mapping(values, f"{self._describe_owner()}: set()").items():
            if name not in self.population._state:
                raise NetworkError(f"{self._describe_owner()} has no attribute '{name}'; "
                                   f"it has {self.population.attributes}")
            self._set(name, value)

"""Subsets of a population: views (several ranks) and individual neurons."""

import numpy as np

from ..errors import ANNarchyException, NetworkError
from .attributes import AttributeAccess
from .model import DescribedAttributes

__all__ = ["PopulationView", "IndividualNeuron", "select"]


class PopulationView(AttributeAccess, DescribedAttributes):
    """Some neurons of one population, usable for attribute access and monitors.

    Attribute reads return the values of the selected ranks (shaped like the
    view's geometry); writes change only them.
    """

    def __init__(self, population, ranks, geometry=None):
        object.__setattr__(self, "population", population)
        ranks = np.asarray(ranks, dtype=np.int64).reshape(-1)
        if ranks.size and (ranks.min() < 0 or ranks.max() >= population.size):
            raise NetworkError(f"PopulationView of '{population.name}': ranks must be in "
                               f"0..{population.size - 1}")
        self.ranks = ranks
        self.size = int(ranks.size)
        self.geometry = tuple(geometry) if geometry is not None else (self.size,)
        self.name = population.name

    def _ranks(self):
        return self.ranks

    def _describe_owner(self):
        return f"PopulationView of '{self.population.name}'"

    def __getattr__(self, name):
        if name.startswith("_") or "population" not in self.__dict__:
            raise AttributeError(name)
        if name in self.population._state:
            return self._get(name)
        raise AttributeError(f"PopulationView of '{self.population.name}' has no attribute '{name}'")

    @property
    def _description(self):
        return self.population._description

    @property
    def targets(self):
        return self.population.targets

    def __len__(self):
        return self.size

    def __repr__(self):
        return f"PopulationView of '{self.population.name}' with {self.size} neurons"

    def __add__(self, other):
        """Union (sorted ranks) with another view or neuron of the same population."""
        if other.population is not self.population:
            raise NetworkError("only views of the same population can be added")
        return PopulationView(self.population, np.union1d(self.ranks, _ranks_of(other)))

    def __getitem__(self, key):
        sub = np.arange(self.size).reshape(self.geometry)[key]
        return PopulationView(self.population, self.ranks[np.asarray(sub).reshape(-1)])

    def set(self, value):
        """Assign attributes of the view's neurons from a dict {name: value}."""
        super().set(value)

    def sum(self, target):
        """Input of a target for the neurons of the view."""
        return self.population.sum(target).reshape(-1)[self.ranks]

    def rank_from_coordinates(self, coord, local=False):
        """Rank of coordinates, in the full population or (local=True) in the view."""
        if not local:
            return self.population.rank_from_coordinates(coord)
        return int(np.ravel_multi_index(tuple(np.atleast_1d(coord)), self.geometry))

    def coordinates_from_rank(self, rank, local=False):
        """Coordinates of a rank, in the full population or (local=True) in the view."""
        if not local:
            return self.population.coordinates_from_rank(rank)
        return tuple(int(c) for c in np.unravel_index(rank, self.geometry))


class IndividualNeuron(AttributeAccess):
    """One neuron of a population; its attributes read and write single values."""

    def __init__(self, population, rank):
        object.__setattr__(self, "population", population)
        self.rank = rank
        self.ranks = np.array([rank])
        self.size = 1
        self.geometry = (1,)

    def _ranks(self):
        return self.rank

    def _describe_owner(self):
        return f"neuron {self.rank} of '{self.population.name}'"

    def __getattr__(self, name):
        if name.startswith("_") or "population" not in self.__dict__:
            raise AttributeError(name)
        if name in self.population._state:
            return self._get(name)
        raise AttributeError(f"neuron {self.rank} of '{self.population.name}' has no "
                             f"attribute '{name}'")

    def __add__(self, other):
        if other.population is not self.population:
            raise NetworkError("only neurons of the same population can be added")
        return PopulationView(self.population, np.union1d(self.ranks, _ranks_of(other)))

    def __repr__(self):
        population = self.population
        lines = [f"Neuron of the population {population.name} with rank {self.rank} "
                 f"(coordinates {tuple(int(c) for c in np.unravel_index(self.rank, population.geometry))})."]
        for title, names in (("Parameters", population.parameters),
                             ("Variables", population.variables)):
            lines += [f"{title}:"] + [f"  {name} = {self._get(name)}" for name in names] + [""]
        return "\n".join(lines)


def _ranks_of(obj):
    return np.asarray(obj.ranks).reshape(-1)


def select(population, key):
    """pop[key]: a neuron for full integer coordinates, else a view (also for one rank)."""
    try:
        return _select(population, key)
    except ANNarchyException:
        raise
    except (IndexError, TypeError, ValueError) as error:
        raise NetworkError(f"Population '{population.name}': invalid index {key!r} ({error})") \
            from None


def _select(population, key):
    geometry = population.geometry
    if isinstance(key, (int, np.integer)):
        rank = int(key) if key >= 0 else population.size + int(key)
        if not 0 <= rank < population.size:
            raise NetworkError(f"Population '{population.name}': no neuron of rank {key} "
                               f"(size {population.size})")
        return PopulationView(population, [rank])
    if isinstance(key, tuple) and len(key) == len(geometry) and \
            all(isinstance(k, (int, np.integer)) for k in key):
        return IndividualNeuron(population, population.rank_from_coordinates(key))
    grid = np.arange(population.size).reshape(geometry)
    if isinstance(key, slice):              # a single slice selects ranks, whatever the geometry
        return PopulationView(population, np.arange(population.size)[key])
    if isinstance(key, (list, np.ndarray)):
        key = np.asarray(key)
        if key.dtype == bool:
            if key.shape not in ((population.size,), geometry):
                raise NetworkError(f"Population '{population.name}': a mask must have "
                                   f"{population.size} elements or the shape {geometry}")
            return PopulationView(population, np.flatnonzero(key.reshape(-1)))
        return PopulationView(population, key.astype(np.int64).reshape(-1))
    if isinstance(key, tuple):      # an integer keeps its dimension: pop[1, :] is (1, width)
        key = tuple(slice(k, k + 1 if k != -1 else None) if isinstance(k, (int, np.integer))
                    else k for k in key)
    selected = np.asarray(grid[key])
    return PopulationView(population, selected.reshape(-1),
                          geometry=selected.shape if selected.ndim > 1 else None)

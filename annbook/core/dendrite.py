"""Dendrites: the synapses of one projection that reach one post neuron."""

import numpy as np

from ..errors import NetworkError, UnsupportedFeature
from .arguments import mapping, number
from .attributes import coerce_values

__all__ = ["Dendrite", "IndividualSynapse"]


class Dendrite:
    """All synapses of ``proj`` onto the post neuron ``post_rank`` (row ``idx``)."""

    def __init__(self, proj, post_rank, idx):
        object.__setattr__(self, "proj", proj)
        object.__setattr__(self, "post_rank", post_rank)
        object.__setattr__(self, "idx", idx)

    @property
    def _row(self):
        return self.proj._connectivity.row(self.idx)

    @property
    def pre_ranks(self):
        return self.proj._connectivity.pre_ranks[self._row].tolist()

    @property
    def size(self):
        return self._row.stop - self._row.start

    def __len__(self):
        return self.size

    @property
    def synapses(self):
        return (IndividualSynapse(self, rank) for rank in self.pre_ranks)

    def __iter__(self):
        return self.synapses

    def __getitem__(self, pos):
        """``dendrite[rank]`` (or ``dendrite[x, y]``): the synapse from that pre neuron."""
        return self.synapse(pos)

    def __repr__(self):
        return f"Dendrite of '{self.proj.name}' onto neuron {self.post_rank} ({self.size} synapses)"

    def _values(self, name):
        attr = self.proj._description.attribute(self.proj._known(name))
        values = self.proj._state[name]
        if attr.locality == "local":
            return values[self._row]
        if attr.locality == "semiglobal":
            return values[self.idx:self.idx + 1]
        return values[:1]

    def __getattr__(self, name):
        proj = self.__dict__.get("proj")
        if proj is None or name.startswith("_") or name not in proj._state:
            raise AttributeError(name)
        return self.get(name)

    def __setattr__(self, name, value):
        if name in self.proj._state:
            self.set({name: value})
        else:
            object.__setattr__(self, name, value)

    def get(self, name):
        """The value(s) of an attribute for this dendrite."""
        values = self._values(name)
        if self.proj._description.attribute(name).locality == "local":
            return values.copy()
        return values[0].item()

    def set(self, value):
        """Assign attributes of this dendrite from a dict {name: value}."""
        owner = f"dendrite {self.post_rank} of '{self.proj.name}'"
        for name, item in mapping(value, f"{self!r}: set()").items():
            if name not in self.proj._state:
                raise NetworkError(f"Projection '{self.proj.name}' has no attribute '{name}'")
            if name == "w" and self.proj._single_weight:
                self.proj._check_single_weight(item, owner, "one dendrite")
            target = self._values(name)
            target[:] = coerce_values(owner, name, item, target.size, (target.size,),
                                      target.dtype)
            self.proj._changed()

    def synapse(self, pos):
        """The synapse coming from a pre neuron (its rank, or its coordinates)."""
        if not np.isscalar(pos):
            pos = self.proj.pre.population.rank_from_coordinates(pos)
        if pos not in self.pre_ranks:
            raise NetworkError(f"dendrite {self.post_rank} of '{self.proj.name}' has no synapse "
                               f"from pre neuron {pos}")
        return IndividualSynapse(self, pos)

    def receptive_field(self, variable="w", fill=0.0):
        """Values laid out in the pre-synaptic geometry, ``fill`` where there is no synapse."""
        pre = self.proj.pre
        self.proj._known(variable)
        field = np.full(pre.population.size, number(fill, "receptive_field(): fill"),
                        dtype=np.float64)
        field[self.proj._connectivity.pre_ranks[self._row]] = self._values(variable) \
            if self.proj._is_local(variable) else self._values(variable)[0]
        if pre.population is pre:
            return field.reshape(pre.geometry)
        return field[np.asarray(pre.ranks)].reshape(pre.geometry)

    def create_synapse(self, rank, w=0.0, delay=0):
        """Add a synapse (structural plasticity: not supported yet)."""
        _structural("create_synapse")

    def create_synapses(self, ranks, weights=None, delays=None):
        """Add synapses (structural plasticity: not supported yet)."""
        _structural("create_synapses")

    def prune_synapse(self, rank):
        """Remove a synapse (structural plasticity: not supported yet)."""
        _structural("prune_synapse")

    def prune_synapses(self, ranks):
        """Remove synapses (structural plasticity: not supported yet)."""
        _structural("prune_synapses")


def _structural(what):
    raise UnsupportedFeature(f"structural plasticity ({what}) is not supported by annbook yet")


class IndividualSynapse:
    """One synapse of a dendrite, from pre rank ``rank``."""

    def __init__(self, dendrite, rank):
        object.__setattr__(self, "dendrite", dendrite)
        object.__setattr__(self, "rank", rank)
        ranks = dendrite.proj._connectivity.pre_ranks[dendrite._row]
        object.__setattr__(self, "_index", dendrite._row.start + int(np.searchsorted(ranks, rank)))

    def __getattr__(self, name):
        proj = self.__dict__["dendrite"].proj
        if name not in proj._state:
            raise AttributeError(name)
        if proj._is_local(name):
            return proj._state[name][self._index].item()
        return self.dendrite.get(name)

    def __setattr__(self, name, value):
        proj = self.dendrite.proj
        if name == "w" and proj._single_weight:
            proj._check_single_weight(value, f"synapse {self.rank} -> {self.dendrite.post_rank} "
                                      f"of '{proj.name}'", "one synapse")
        if name in proj._state and proj._is_local(name):
            proj._state[name][self._index] = value
            proj._changed()
        elif name in proj._state:
            self.dendrite.set({name: value})
        else:
            object.__setattr__(self, name, value)

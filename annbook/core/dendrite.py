"""Dendrites: the synapses of one projection that reach one post neuron."""

import numpy as np

from ..errors import NetworkError
from . import structural
from .arguments import integer, mapping, number
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

    # ------------------------------------------------------------ structural plasticity
    def create_synapse(self, rank, w=0.0, delay=0):
        """Create a synapse from pre neuron ``rank`` with weight ``w`` and ``delay`` (ms).

        Needs ``setup(structural_plasticity=True)``, called before ``compile()``. With one
        delay for the whole projection the synapse gets it; with per-synapse delays
        ``delay`` (truncated to steps, at most the longest delay). Its other attributes take
        the values new synapses get: a number assigned to the projection before compile(),
        else their initial value. Each call copies the projection's per-synapse arrays:
        give ``create_synapses`` all the synapses of a dendrite at once.
        """
        self._create([rank], [w], [delay], f"{self!r}: create_synapse()")

    def create_synapses(self, ranks, weights=None, delays=None):
        """Create synapses from the pre neurons ``ranks`` with ``weights`` and ``delays`` (ms;
        lists, or one number for all; by default 0 and the default of ``create_synapse``);
        none is created if one of them exists."""
        self._create(ranks, weights, delays, f"{self!r}: create_synapses()")

    def _create(self, ranks, weights, delays, what):
        structural.check_enabled(self.proj, what)
        ranks = self._pre_ranks_of(ranks, what)
        existing = set(self.pre_ranks)
        double = [r for r in ranks if r in existing]
        if double:
            raise NetworkError(f"{what}: the synapse from pre neuron {double[0]} already exists")
        weights = self._per_synapse(0.0 if weights is None else weights, ranks, "weights", what)
        delays = self._per_synapse(0.0 if delays is None else delays, ranks, "delays", what)
        steps = [structural.delay_steps(self.proj, d, what) for d in delays]
        structural.add_synapses(self.proj, np.full(len(ranks), self.idx), ranks, weights, steps)

    def prune_synapse(self, rank):
        """Remove the synapse from pre neuron ``rank`` (it must exist)."""
        self._prune([rank], f"{self!r}: prune_synapse()")

    def prune_synapses(self, ranks):
        """Remove the synapses from the pre neurons ``ranks``; none is removed if one of them
        does not exist."""
        self._prune(ranks, f"{self!r}: prune_synapses()")

    def _prune(self, ranks, what):
        structural.check_enabled(self.proj, what)
        ranks = self._pre_ranks_of(ranks, what)
        row = self._row
        present = self.proj._connectivity.pre_ranks[row]
        where = np.searchsorted(present, ranks)
        missing = [r for r, k in zip(ranks, where) if k >= present.size or present[k] != r]
        if missing:
            raise NetworkError(f"{what}: there is no synapse from pre neuron {missing[0]}; it "
                               f"has synapses from {present.tolist()}")
        structural.remove_synapses(self.proj, row.start + where)

    def _pre_ranks_of(self, ranks, what):
        """Ranks of neurons of the pre population (or view), each given once."""
        pre = self.proj.pre
        values = [ranks] if np.isscalar(ranks) else list(ranks)
        checked = [integer(rank, f"{what}: a rank") for rank in values]
        whole = pre.population is pre
        allowed = None if whole else set(np.asarray(pre.ranks).reshape(-1).tolist())
        for rank in checked:
            if not (0 <= rank < pre.population.size if whole else rank in allowed):
                raise NetworkError(f"{what}: pre neuron {rank} is not part of "
                                   f"'{pre.name}' (ranks of {pre.population.name}: "
                                   f"0..{pre.population.size - 1})")
        if len(set(checked)) != len(checked):
            raise NetworkError(f"{what}: a pre neuron is given twice in {checked}")
        return checked

    @staticmethod
    def _per_synapse(values, ranks, name, what):
        """One number per synapse (a single number is used for all of them)."""
        values = [values] * len(ranks) if np.isscalar(values) else list(values)
        if len(values) != len(ranks):
            raise NetworkError(f"{what}: {len(values)} {name} for {len(ranks)} synapses")
        return [number(v, f"{what}: {name}") for v in values]


class IndividualSynapse:
    """One synapse of a dendrite, from pre rank ``rank``."""

    def __init__(self, dendrite, rank):
        object.__setattr__(self, "dendrite", dendrite)
        object.__setattr__(self, "rank", rank)

    @property
    def _index(self):
        """Index of the synapse in the projection's arrays (synapses may be created or
        pruned after this object was made)."""
        row = self.dendrite._row
        ranks = self.dendrite.proj._connectivity.pre_ranks[row]
        index = int(np.searchsorted(ranks, self.rank))
        if index >= ranks.size or ranks[index] != self.rank:
            raise NetworkError(f"the synapse {self.rank} -> {self.dendrite.post_rank} of "
                               f"'{self.dendrite.proj.name}' was pruned")
        return row.start + index

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

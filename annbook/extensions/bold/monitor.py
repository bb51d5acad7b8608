"""BOLD monitors: population activity through a hemodynamic model, recorded.

A monitor is made of ordinary objects compiled with the rest of the network: a population
of the BOLD model (one neuron per recorded region), one ``AccProjection`` per input of the
model and recorded population (the mean of the mapped variable, scaled, optionally
normalised by a baseline), and a ``Monitor`` of the model's variables.

Departures from the reference: ``stop()`` keeps what was recorded (``get()`` still returns
it) and ``start()`` resumes; each ``start()`` collects a new baseline, also
``start=True`` at creation (the reference then never collects one); several monitors may
use the same model (the population gets a numbered name); population views are accepted.
"""

import inspect

import numpy as np

from ...core.arguments import number
from ...core.monitor import Monitor
from ...core.network import global_network
from ...core.population import Population
from ...errors import ArgumentError, NetworkError
from .model import BoldModel
from .predefined import balloon_RN
from .projections import AccProjection, _baseline_steps, _check_variable

__all__ = ["BoldMonitor", "BoldMonitorFromSlices"]


class _BoldRecording:
    """What both monitors share: the model's population, its inputs, the recording."""

    _kind = "BoldMonitor"

    def _prepare(self, bold_model, mapping, recorded_variables):
        """The model instance, the checked mapping and the variables to record."""
        if inspect.isclass(bold_model):
            bold_model = bold_model()
        if not isinstance(bold_model, BoldModel):
            raise ArgumentError(f"{self._kind}: bold_model must be a BoldModel (e.g. "
                                f"balloon_RN), got {type(bold_model).__name__}")
        if not isinstance(mapping, dict) or not mapping:
            raise ArgumentError(f"{self._kind}: mapping must be a dict {{model input: "
                                f"population variable}} such as {{'I_CBF': 'r'}}, got "
                                f"{mapping!r}")
        for target in mapping:
            if target not in bold_model._inputs:
                raise NetworkError(f"{self._kind}: the key '{target}' of mapping is not an "
                                   f"input of the BOLD model '{bold_model.name}'; its inputs "
                                   f"are {bold_model._inputs}")
        if recorded_variables is None:
            recorded = list(bold_model._output)
        else:
            chosen = [recorded_variables] if isinstance(recorded_variables, str) \
                else list(recorded_variables)
            recorded = sorted(set(chosen + bold_model._output))     # as the reference
        description = bold_model._describe()
        for variable in recorded:
            attribute = description.attribute(variable) if isinstance(variable, str) else None
            if attribute is None or attribute.kind != "variable":
                raise NetworkError(f"{self._kind}: '{variable}' is not a variable of the BOLD "
                                   f"model '{bold_model.name}'; its variables are "
                                   f"{description.variables}")
        return bold_model, dict(mapping), recorded

    def _build(self, size, bold_model, mapping, recorded, start, projections):
        """Create the model's population, its monitor and the projections
        ``projections``: [(target, source, variable, scale, normalize, connect)]."""
        network = global_network()
        if network.compiled:
            raise NetworkError(f"{self._kind}: created after compile(); create BOLD monitors "
                               "with the rest of the network, before compile()")
        self._bold_pop = Population(size, bold_model, name=_free_name(network, bold_model.name))
        self._acc_proj = []
        try:
            if not start:
                self._bold_pop.disable()
            self._monitor = Monitor(self._bold_pop, recorded, start=start)
            for target, source, variable, scale, normalize, connect in projections:
                projection = AccProjection(source, self._bold_pop, target, variable,
                                           normalize_input=normalize, scale_factor=scale)
                connect(projection)
                self._acc_proj.append(projection)
        except BaseException:
            _withdraw(network, self)
            raise
        self._bold_model = bold_model
        self._mapping = mapping
        self._recorded_variables = recorded
        self._start = bool(start)
        self._started = bool(start)
        self.name = "bold_monitor"
        self.net_id = network.id
        network.add_extension(self)
        self.id = len(network.extensions)
        if start:
            for projection in self._acc_proj:
                projection.start_baseline()

    # ------------------------------------------------------------ recording
    def start(self):
        """Start (or resume) the model and its recording; inputs normalised by a baseline
        collect a new one."""
        self._bold_pop.enable()
        if self._started:
            self._monitor.resume()
        else:
            self._monitor.start()
            self._started = True
        for projection in self._acc_proj:
            projection.start_baseline()

    def stop(self):
        """Freeze the model and pause the recording (what was recorded is kept)."""
        self._bold_pop.disable()
        if self._monitor._recording:
            self._monitor.pause()

    def get(self, variable=None):
        """The recorded values of a variable of the model, (time, regions); all of them as
        a dict when ``variable`` is None. Returned values are cleared, as Monitor.get()."""
        return self._monitor.get(variable)

    # ------------------------------------------------------------ the model's attributes
    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        population = self.__dict__.get("_bold_pop")
        if population is not None and name in population.attributes:
            return getattr(population, name)
        raise AttributeError(f"{self._kind}: '{name}' is not an attribute of its BOLD model")

    def __setattr__(self, name, value):
        population = self.__dict__.get("_bold_pop")
        if name.startswith("_") or name in ("name", "id", "net_id") or population is None:
            object.__setattr__(self, name, value)
        elif name in population.attributes:
            setattr(population, name, value)
        else:
            raise AttributeError(f"{self._kind}: '{name}' is not an attribute of its BOLD "
                                 f"model '{self._bold_model.name}'; its attributes are "
                                 f"{population.attributes}")

    def __repr__(self):
        state = "recording" if self._bold_pop.enabled else "stopped"
        return (f"{self._kind} of {self._region_names()} through '{self._bold_model.name}' "
                f"(mapping {self._mapping}, records {self._recorded_variables}; {state})")

    # ------------------------------------------------------------ copies
    def _copy_into(self, network):
        """This monitor in another network (Network.add), with copies of its parts."""
        parts = [self._bold_pop] + self._acc_proj + [self._monitor]
        for part in parts:
            if part._uid not in network._copies:
                network.add(part)
        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy.__dict__.update(_bold_pop=network.get(self._bold_pop),
                             _acc_proj=network.get(self._acc_proj),
                             _monitor=network.get(self._monitor), net_id=network.id)
        network.add_extension(copy)
        return copy


class BoldMonitor(_BoldRecording):
    """Records the BOLD signal of populations through a hemodynamic model.

    Each input of the model named in ``mapping`` receives, every step, the mean of the
    mapped variable over each population, weighted by ``scale_factor`` (by default each
    population's share of all recorded neurons) and summed over the populations.

    Parameters
    ----------
    populations : Population, PopulationView or list of them
        The recorded region (one BOLD signal for all of them).
    bold_model : BoldModel (class or instance)
        Default ``balloon_RN``.
    mapping : dict
        {model input: population variable}, default ``{'I_CBF': 'r'}``.
    scale_factor : float or list of float
        Weight of each population (default: its size over the total size).
    normalize_input : float or list of float
        Per population, a baseline period in ms (0: none): after ``start()`` the input is
        collected for that long, then replaced by its relative deviation from the
        baseline's average.
    recorded_variables : str or list of str
        Variables of the model to record besides its outputs (``BOLD``).
    start : bool
        Run the model and record from the first step (else wait for ``start()``).
    net_id, copied
        Accepted for the reference's signature; copies are made by ``Network.add``.
    """

    def __init__(self, populations=None, bold_model=balloon_RN, mapping={"I_CBF": "r"},
                 scale_factor=None, normalize_input=None, recorded_variables=None, start=False,
                 net_id=0, copied=False):
        bold_model, mapping, recorded = self._prepare(bold_model, mapping, recorded_variables)
        populations = self._populations_of(populations)
        scales = self._per_population(scale_factor, populations, "scale_factor")
        if scales is None:
            total = sum(p.size for p in populations)
            scales = [p.size / total for p in populations]
        normalize = self._per_population(normalize_input, populations, "normalize_input") \
            or [0.0] * len(populations)
        for value in normalize:
            _baseline_steps(self._kind, value)
        for variable in mapping.values():
            for population in populations:
                _check_variable(self._kind, population, variable, "recorded")
        self._populations = populations
        self._scale_factor = scales
        self._normalize_input = normalize
        self._build(1, bold_model, mapping, recorded, start,
                    [(target, population, variable, scale, norm, _all_to_all)
                     for target, variable in mapping.items()
                     for population, scale, norm in zip(populations, scales, normalize)])

    def _populations_of(self, populations):
        if populations is None:
            raise ArgumentError(f"{self._kind}: give a population or a list of populations "
                                "(populations=...)")
        populations = list(populations) if isinstance(populations, (list, tuple)) \
            else [populations]
        if not populations:
            raise ArgumentError(f"{self._kind}: populations is empty")
        network = global_network()
        for population in populations:
            if not hasattr(population, "population") or not hasattr(population, "size"):
                raise ArgumentError(f"{self._kind}: expected populations or population views, "
                                    f"got {type(population).__name__}")
            if population.population._network is not network:
                raise NetworkError(f"{self._kind}: '{population.name}' does not belong to the "
                                   "global network; create the monitor on the global "
                                   "populations, then Network.add() it")
        return populations

    def _per_population(self, value, populations, what):
        """A list with one number per population (one number is repeated), or None."""
        if value is None or (isinstance(value, (list, tuple)) and not value):
            return None
        values = list(value) if isinstance(value, (list, tuple)) else [value] * len(populations)
        if len(values) != len(populations):
            raise ArgumentError(f"{self._kind}: {what} has {len(values)} values for "
                                f"{len(populations)} populations")
        return [number(v, f"{self._kind}: {what}") for v in values]

    def _region_names(self):
        return [p.name for p in self._populations]


class BoldMonitorFromSlices(_BoldRecording):
    """Records one BOLD signal per group of neurons of a population.

    Neuron ``i`` of the model receives the mean of the mapped variable over the ranks
    ``slices[i]``; ``get()`` returns (time, len(slices)) arrays. Other parameters as
    ``BoldMonitor`` (``normalize_input`` is one period for all groups).
    """

    _kind = "BoldMonitorFromSlices"

    def __init__(self, population, slices=None, bold_model=None, mapping={"I_CBF": "r"},
                 normalize_input=0, recorded_variables=None, start=False, copied=False,
                 net_id=0):
        bold_model, mapping, recorded = self._prepare(
            balloon_RN if bold_model is None else bold_model, mapping, recorded_variables)
        if not isinstance(population, Population):
            raise ArgumentError(f"{self._kind}: population must be a Population, got "
                                f"{type(population).__name__}; use BoldMonitor for several "
                                "populations")
        slices = _slices(self._kind, population, slices)
        normalize = number(0 if normalize_input is None else normalize_input,
                           f"{self._kind}: normalize_input")
        _baseline_steps(self._kind, normalize)
        for variable in mapping.values():
            _check_variable(self._kind, population, variable, "recorded")
        self._populations = population
        self._slices = slices
        self._normalize_input = normalize

        def connect(projection):
            projection.connect_with_func(_slice_rows, slices=slices)

        self._build(len(slices), bold_model, mapping, recorded, start,
                    [(target, population, variable, 1.0, normalize, connect)
                     for target, variable in mapping.items()])

    def _region_names(self):
        return [f"{self._populations.name}[{len(s)} ranks]" for s in self._slices]


def _all_to_all(projection):
    projection.connect_all_to_all(weights=1.0)


def _slice_rows(pre, post, slices):
    """LILConnectivity: post neuron i receives the pre ranks of slices[i]."""
    from ...core.connectivity import LILConnectivity
    lil = LILConnectivity()
    for rank, ranks in enumerate(slices):
        lil.add(rank, sorted(ranks), [1.0], [0.0])
    return lil


def _slices(kind, population, slices):
    """The groups of ranks, checked against the population."""
    if slices is None or not isinstance(slices, (list, tuple)) or not slices:
        raise ArgumentError(f"{kind}: slices must be a list of lists of ranks of "
                            f"'{population.name}', got {slices!r}")
    checked = []
    for group in slices:
        ranks = np.asarray(group).reshape(-1)
        if ranks.size == 0 or not np.issubdtype(ranks.dtype, np.integer) or \
                np.unique(ranks).size != ranks.size or ranks.min() < 0 or \
                ranks.max() >= population.size:
            raise ArgumentError(f"{kind}: each slice must be a non-empty list of distinct "
                                f"ranks of '{population.name}' (0..{population.size - 1}), "
                                f"got {group!r}")
        checked.append(ranks.tolist())
    return checked


def _free_name(network, name):
    """``name``, or ``name (2)``... when a population of the network already has it."""
    taken = {p.name for p in network.populations}
    candidate, count = name, 1
    while candidate in taken:
        count += 1
        candidate = f"{name} ({count})"
    return candidate


def _withdraw(network, monitor):
    """Remove the parts of a monitor whose construction failed."""
    population = monitor._bold_pop
    network.projections[:] = [p for p in network.projections
                              if p.post.population is not population]
    network.monitors[:] = [m for m in network.monitors if m._owner is not population]
    network.remove_population(population)

"""Monitors: record variables of populations, views and neurons during simulate().

The compiled loop writes into buffers sized for each ``simulate()`` call
(``_prepare``); Python then appends the filled part (``_collect``).
"""

import numpy as np

from ..errors import ArgumentError, NetworkError
from .arguments import number
from . import spikes as analysis

__all__ = ["Monitor", "recorded_object"]

_DTYPES = {np.dtype(np.float64): 0, np.dtype(np.float32): 1, np.dtype(np.int64): 2,
           np.dtype(np.bool_): 3}
RECORDER_FIELDS = 10
SPIKES = 4                      # recorder dtype code of spike recording
# when a recorder row is read in a step: after the transmission (a neuron's inputs) or at the end
AFTER_TRANSMISSION, END_OF_STEP = 1, 2
# recordable events of spiking populations: (ranks of this step, their count)
SPIKE_SOURCES = {"spike": ("spiked", "n_spiked"), "axon_spike": ("axonal", "n_axonal")}
SPIKE_BUFFER_PAIRS = 1 << 20    # (step, rank) pairs per buffer before the loop pauses


class Monitor:
    """Records variables of a population, view or neuron.

    ``period`` (ms, default every step) and ``period_offset`` (ms) choose the
    recorded steps; ``start=False`` waits for ``start()``. ``get()`` returns
    arrays of shape (time, neurons), or (time,) for population-wide variables.
    """

    def __init__(self, obj, variables=[], period=None, period_offset=None, start=True, net_id=0):
        from .network import network_of
        self.object = obj
        self._owner = _owner_of(obj)
        if self._owner is None:
            raise NetworkError(f"Monitor: cannot record a {type(obj).__name__}; expected a "
                               "Population, a PopulationView, a neuron, a Projection or a Dendrite")
        self._network = network_of(self._owner)
        self._network.check_usable(self._owner)
        self._variables = self._checked(_variable_names(variables, self._owner))
        self._set_period(period, period_offset)
        self._chunks = {var: [] for var in self._variables}
        self._layouts = {var: [] for var in self._variables}   # row_ptr of each chunk
        self._live = {var: {"start": [self._network.current_step()], "stop": [None]}
                      for var in self._variables}
        self._last = {var: {"start": [], "stop": []} for var in self._variables}
        self._recording = bool(start)
        self._pending = []
        self._network.add_monitor(self)

    # ------------------------------------------------------------ configuration
    def _checked(self, variables):
        owner = self._owner
        for var in variables:
            if var.startswith("sum(") and var.endswith(")") and self._on_population():
                continue
            attr = owner._description.attribute(var)
            if var in SPIKE_SOURCES:
                if getattr(owner, "_spike_arrays", None) is None:
                    raise NetworkError(f"Monitor of '{owner.name}': '{var}' can only be "
                                       "recorded on spiking populations")
                if var == "axon_spike" and not owner._description.axon_spike:
                    raise NetworkError(f"Monitor of '{owner.name}': its neuron has no "
                                       "axon_spike condition, so there is no 'axon_spike' to "
                                       "record")
                continue
            if attr is None:
                raise NetworkError(f"Monitor of '{owner.name}': it has no attribute '{var}'; "
                                   f"its variables are {owner.variables}")
            reason = getattr(getattr(owner, "population", None), "_not_computed", None)
            if reason is not None and reason(var):
                raise NetworkError(f"Monitor of '{owner.name}': {reason(var)}")
            if attr.kind == "parameter" and not (var == "w" and not self._on_population()):
                raise NetworkError(f"Monitor of '{owner.name}': '{var}' is a parameter "
                                   "and cannot be recorded; record variables only")
        return variables

    def _on_population(self):
        return hasattr(self._owner, "geometry")

    def _set_period(self, period, period_offset):
        dt = self._network.dt
        owner = f"Monitor of '{self._owner.name}'"
        period = None if period is None else number(period, f"{owner}: period")
        period_offset = None if period_offset is None else \
            number(period_offset, f"{owner}: period_offset")
        self._period = period
        self._period_offset = period_offset if period_offset is not None else 0
        steps = max(1, int(round(period / dt))) if period else 1
        offset = int(round(self._period_offset / dt)) if period_offset else 0
        if period_offset and offset >= steps:
            raise NetworkError(f"Monitor of '{self._owner.name}': period_offset "
                               f"({period_offset} ms) must be smaller than the period")
        self._period_steps = steps
        self._offset_steps = (self._network.current_step() % steps + offset) % steps

    @property
    def period(self):
        return self._period if self._period else self._network.dt

    @property
    def period_offset(self):
        return float(self._period_offset)

    @property
    def variables(self):
        return list(self._variables)

    @property
    def obj(self):
        return self.object

    def __repr__(self):
        return (f"Monitor of {recorded_object(self.object)} recording {self._variables} every "
                f"{self.period:g} ms" + ("" if self._recording else " (paused)"))

    # ------------------------------------------------------------ control
    def start(self, variables=None, period=None):
        """Start (or restart) recording, optionally with new variables or period."""
        if variables is not None:
            added = [v for v in self._checked(_variable_names(variables, self._owner))
                     if v not in self._variables]
            for var in added:
                self._variables.append(var)
                self._clear(var)
                self._live[var] = {"start": [self._network.current_step()], "stop": [None]}
                self._last[var] = {"start": [], "stop": []}
        if period is not None:
            self._set_period(period, None)
        self._recording = True

    def pause(self):
        """Stop recording for now; resume() continues."""
        self._recording = False
        for times in self._live.values():
            times["stop"][-1] = self._network.current_step()

    def resume(self):
        """Continue recording after pause()."""
        self._recording = True
        for times in self._live.values():
            times["start"].append(self._network.current_step())
            times["stop"].append(None)

    def stop(self):
        """Stop recording and forget the variables and their data."""
        self._recording = False
        self._variables = []
        self._chunks, self._layouts, self._live, self._last = {}, {}, {}, {}

    def reset(self):
        """Drop what was recorded and start the timing anew."""
        for var in self._variables:
            self._clear(var)
            self._live[var] = {"start": [self._network.current_step()], "stop": [None]}

    # ------------------------------------------------------------ results
    def get(self, variables=None, keep=False, reshape=False, force_dict=False):
        """Recorded values: an array for one variable, else a dict {name: array}.

        Clears what it returns unless ``keep=True``.
        """
        names = self._recorded(variables)
        now = self._network.current_step()
        data = {}
        for var in names:
            data[var] = self._assemble(var, reshape)
            live = self._live[var]
            live["stop"][-1] = now
            self._last[var] = {"start": list(live["start"]), "stop": list(live["stop"])}
        if not keep:
            self._forget(names)
        if len(names) == 1 and not force_dict and variables is not None:
            return data[names[0]]
        return data

    def _assemble(self, var, reshape):
        chunks = self._chunks[var]
        if var in SPIKE_SOURCES:
            return self._spike_dict(chunks)
        if not chunks:
            return np.array([])
        dtype = self._source(var).dtype
        if not self._on_population() and not self._is_global(var):
            return self._synapse_values(var, [c.astype(dtype, copy=False) for c in chunks])
        values = np.concatenate(chunks, axis=0).astype(dtype, copy=False)
        if self._is_global(var):
            return values.reshape(-1)
        if reshape:
            return values.reshape((values.shape[0],) + tuple(self._geometry()))
        return values

    def _drain(self, var):
        """What was recorded for ``var`` since the last call or get(), emptied, as one array:
        (step, rank) pairs for spikes, (samples, values) otherwise; None when nothing.

        Live displays read their own monitor this way, without building get()'s dicts.
        """
        chunks, self._chunks[var] = self._chunks[var], []
        return np.concatenate(chunks, axis=0) if chunks else None

    def times(self, variables=None):
        """{variable: {'start': [steps], 'stop': [steps]}} of the recording periods last returned by get()."""
        names = self._recorded(variables)
        return {var: self._last[var] if self._last[var]["start"] else self._live[var]
                for var in names}

    def _recorded(self, variables):
        """The names asked for (all recorded variables for None), each one recorded."""
        names = self._variables if variables is None else \
            _variable_names(variables, self._owner)
        for var in names:
            if var not in self._chunks:
                raise NetworkError(f"Monitor of '{self._owner.name}': '{var}' is not "
                                   f"recorded; recorded: {self._variables}")
        return names

    def size_in_bytes(self):
        """Memory held by the recorded data."""
        return int(sum(c.nbytes for chunks in self._chunks.values() for c in chunks))

    def save(self, filename, variables=None, keep=False, reshape=False, force_dict=False):
        """Write the recordings (as get() returns them) to a file, replaced atomically.

        ``.npy``: one variable; ``.hdf5``: one dataset per variable (needs h5py); ``.mat``:
        MATLAB; ``.npz``, ``.gz`` (gzipped pickle) or other extensions: get()'s dict. The
        recordings are cleared (unless ``keep``) only once the file is written.
        """
        from .io import save_recordings
        data = self.get(variables, keep=True, reshape=reshape, force_dict=True)
        save_recordings(filename, data)
        if not keep:
            self._forget(list(data))

    def _forget(self, names):
        now = self._network.current_step()
        for var in names:
            self._clear(var)
            self._live[var] = {"start": [now], "stop": [None]}

    def _clear(self, var):
        self._chunks[var] = []
        self._layouts[var] = []

    # ------------------------------------------------------------ spike analysis
    def _spikes(self, spikes):
        return self.get("spike") if not spikes else spikes

    def raster_plot(self, spikes=None):
        """Spike times (ms) and ranks of the recorded (or given) spikes."""
        return analysis.raster_plot(self._spikes(spikes))

    def histogram(self, spikes=None, bins=None, per_neuron=False, recording_window=None):
        """Spike counts per time bin."""
        return analysis.histogram(self._spikes(spikes), bins, per_neuron, recording_window)

    def inter_spike_interval(self, spikes=None, ranks=None, per_neuron=False):
        """Inter-spike intervals (ms)."""
        return analysis.inter_spike_interval(self._spikes(spikes), ranks, per_neuron)

    def coefficient_of_variation(self, spikes=None, ranks=None):
        """Coefficient of variation of the inter-spike intervals of each neuron."""
        return analysis.coefficient_of_variation(self._spikes(spikes), ranks)

    def _window(self):
        times = self.times("spike")["spike"] if "spike" in self._variables else None
        if not times or times["stop"][-1] is None:
            return None
        return times["start"][0], times["stop"][-1]

    def mean_fr(self, spikes=None):
        """Mean firing rate (Hz) over the recording."""
        spikes = self._spikes(spikes)
        window = self._window()
        return analysis.mean_fr(spikes, None if window is None else window[1] - window[0])

    def population_rate(self, spikes=None, smooth=0.0):
        """Population firing rate (Hz) per step of the recording."""
        spikes = self._spikes(spikes)
        return analysis.population_rate(spikes, smooth, self._window())

    def smoothed_rate(self, spikes=None, smooth=0.0):
        """Per-neuron firing rate (Hz) per step of the recording."""
        spikes = self._spikes(spikes)
        return analysis.smoothed_rate(spikes, smooth, self._window())

    # ------------------------------------------------------------ compiled side
    def _spike_dict(self, chunks):
        """{rank: [steps]} for every recorded neuron, in the reference's format."""
        ranks = _ranks_of(self.object)
        ranks = range(self._owner.size) if ranks is None else ranks.tolist()
        spikes = {int(rank): [] for rank in ranks}
        if chunks:
            pairs = np.concatenate(chunks, axis=0)
            order = np.argsort(pairs[:, 1], kind="stable")
            steps, owners = pairs[order, 0], pairs[order, 1]
            bounds = np.flatnonzero(np.diff(owners)) + 1
            for group_steps, group_owner in zip(np.split(steps, bounds),
                                                np.split(owners, bounds)):
                spikes[int(group_owner[0])] = group_steps.tolist()
        return spikes

    def _synapse_values(self, var, chunks):
        """Projection recordings: (time, dendrite, synapse), or (time, synapse) for a dendrite.

        Rows of different sizes, or synapses created or pruned during the recording, give an
        object array of one array per step (and dendrite), as the reference's lists."""
        proj = self._owner
        if proj._description.attribute(var).locality != "local":
            return np.concatenate(chunks, axis=0)
        if self.object is not proj:                 # a dendrite
            if len({chunk.shape[1] for chunk in chunks}) == 1:
                return np.concatenate(chunks, axis=0)
            return _objects([values for chunk in chunks for values in chunk], 1)
        layouts = self._layouts[var]
        sizes = {tuple(np.diff(layout)) for layout in _distinct(layouts)}
        if len(sizes) == 1 and len(set(next(iter(sizes)))) <= 1:     # every row of one size
            values = np.concatenate(chunks, axis=0)
            rows = len(next(iter(sizes)))
            return values.reshape(values.shape[0], rows, values.shape[1] // max(rows, 1))
        steps = [np.split(values, layout[1:-1]) for chunk, layout in zip(chunks, layouts)
                 for values in chunk]
        return _objects(steps, 2)

    def _geometry(self):
        return getattr(self.object, "geometry", (1,))

    def _is_global(self, var):
        if var in SPIKE_SOURCES:
            return False
        attr = self._owner._description.attribute(var)
        if attr is None:
            return False
        return attr.locality == "global" or (attr.locality == "semiglobal"
                                             and self.object is not self._owner)

    def _source(self, var):
        if var in SPIKE_SOURCES:
            return self._owner._spike_arrays[SPIKE_SOURCES[var][0]]
        if var.startswith("sum("):
            return self._owner._allocate("sum", var[4:-1].strip())
        return self._owner._state[var]

    def _ranks(self, var):
        """Indices recorded in the source array, None for all of it."""
        if self._is_global(var):
            return None
        if self._on_population():
            return _ranks_of(self.object)
        if self.object is self._owner:
            return None
        dendrite = self.object
        row = dendrite._row
        return np.arange(row.start, row.stop, dtype=np.int64)

    def _stage(self, var):
        """As the reference, a population's inputs (``sum(target)``, the conductances of a
        spiking neuron) are recorded after the transmission, before the update uses them."""
        inputs = self._on_population() and self._owner._is_input(var)
        return AFTER_TRANSMISSION if inputs else END_OF_STEP

    def _bytes_per_step(self):
        if not self._recording:
            return 0.0
        values = 0
        for var in self._variables:
            if var in SPIKE_SOURCES:
                continue
            ranks = self._ranks(var)
            values += self._source(var).size if ranks is None else ranks.size
        return 8.0 * values / self._period_steps

    def _layout(self):
        """The row_ptr of a recorded projection, kept with each chunk: structural plasticity
        may change it between two chunks."""
        return self._owner._connectivity.row_ptr if self.object is self._owner \
            and not self._on_population() else None

    def _prepare(self, first_step, steps):
        """Recorder rows (int64) for the steps [first_step, first_step + steps)."""
        self._pending = []
        if not self._recording or steps <= 0:
            return []
        period, offset = self._period_steps, self._offset_steps
        first = first_step + (offset - first_step) % period
        capacity = max(0, (first_step + steps - 1 - first) // period + 1)
        rows = []
        for var in self._variables:
            if var in SPIKE_SOURCES:
                rows.append(self._prepare_spikes(steps, var))
                continue
            source = self._source(var)
            ranks = self._ranks(var)
            count = 1 if ranks is None and source.size == 1 else \
                (source.size if ranks is None else ranks.size)
            buffer = np.zeros((capacity, count))
            # ranks and source stay referenced: the compiled loop reads them by address
            self._pending.append((var, buffer, self._layout(), (ranks, source)))
            rows.append([source.ctypes.data, _DTYPES[source.dtype],
                         0 if ranks is None else ranks.ctypes.data, count, buffer.ctypes.data,
                         period, offset, 0, capacity, self._stage(var)])
        return rows

    def _prepare_spikes(self, steps, var):
        """A spike recorder row: (step, rank) pairs; the loop pauses when it fills up."""
        ranks, count = (self._owner._spike_arrays[key] for key in SPIKE_SOURCES[var])
        size = self._owner.size
        mask = None
        if self.object is not self._owner:
            mask = np.zeros(size, dtype=np.uint8)
            mask[_ranks_of(self.object)] = 1
        capacity = max(2 * size, min(steps * size, SPIKE_BUFFER_PAIRS))
        buffer = np.zeros((capacity, 2), dtype=np.int64)
        self._pending.append((var, buffer, None, mask))
        return [ranks.ctypes.data, SPIKES, count.ctypes.data,
                0 if mask is None else mask.ctypes.data, buffer.ctypes.data, size, 0, 0,
                capacity, END_OF_STEP]

    def _collect(self, table):
        """Keep the rows the compiled loop filled (``table`` = this monitor's recorder rows)."""
        for (var, buffer, layout, _), row in zip(self._pending, table):
            if row[7] > 0:                      # a view: no copy on the way out of simulate()
                self._chunks[var].append(buffer[:row[7]])
                self._layouts[var].append(layout)
        self._pending = []


def recorded_object(obj):
    """What a monitor records, in words: "Population 'exc'", "neuron 3 of 'exc'"..."""
    if hasattr(obj, "geometry") and obj is getattr(obj, "population", None):
        return f"Population '{obj.name}'"
    if hasattr(obj, "rank"):
        return f"neuron {obj.rank} of '{obj.population.name}'"
    if hasattr(obj, "population"):
        return f"PopulationView of '{obj.population.name}' ({obj.size} neurons)"
    if hasattr(obj, "post_rank"):
        return f"Dendrite of '{obj.proj.name}' onto neuron {obj.post_rank}"
    return f"Projection '{obj.name}'"


def _variable_names(variables, owner):
    """A variable name or a list of names, as a list."""
    if isinstance(variables, str):
        return [variables]
    if isinstance(variables, (list, tuple)) and all(isinstance(v, str) for v in variables):
        return list(variables)
    raise ArgumentError(f"Monitor of '{getattr(owner, 'name', owner)}': expected the name of a "
                        f"variable or a list of names, got {variables!r}")


def _owner_of(obj):
    """The population or projection whose arrays a monitor reads."""
    if hasattr(obj, "population"):
        return obj.population
    if hasattr(obj, "_connectivity"):
        return obj
    return getattr(obj, "proj", None)


def _ranks_of(obj):
    ranks = getattr(obj, "_ranks", lambda: None)()
    if ranks is None:
        return None
    return np.ascontiguousarray(np.atleast_1d(ranks), dtype=np.int64)


def _distinct(arrays):
    """The arrays of a list, each content once (consecutive equal ones skipped)."""
    kept = []
    for array in arrays:
        if not kept or (array is not kept[-1] and not np.array_equal(array, kept[-1])):
            kept.append(array)
    return kept


def _objects(items, ndim):
    """An object array of ``ndim`` dimensions holding the arrays of nested lists."""
    shape = (len(items),) + ((len(items[0]),) if ndim == 2 and items else ())
    result = np.empty(shape, dtype=object)
    for index, item in enumerate(items):
        if ndim == 1:
            result[index] = item
        else:
            for k, part in enumerate(item):
                result[index, k] = part
    return result

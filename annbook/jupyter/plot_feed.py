"""What a live plot shows, recorded by a monitor of its own and thinned to pixel columns.

A raster keeps at most one dot per (column, neuron) of a chosen subset of
neurons; traces and population means keep the minimum and maximum of each
column (a spike in a membrane trace stays visible). Frames therefore stay small
whatever the speed: at most ``rows x columns`` dots or ``traces x columns`` pairs.
The monitor records only while the control plays (``resume``/``pause``).
"""

import threading

import numpy as np

from ..core.monitor import Monitor
from ..core.views import PopulationView
from ..errors import NetworkError

__all__ = ["PlotFeed", "PLOT_KINDS", "plotted_ranks"]

PLOT_KINDS = ("raster", "traces", "mean")
RASTER_NEURONS = 200            # neurons of a raster by default (evenly spaced)
TRACE_NEURONS = 5               # neurons of traces by default
MAX_ROWS = 65535                # rows and column ages travel as 16-bit integers


class PlotFeed:
    """Records ``variable`` of the neurons ``ranks`` of ``source`` for ``plot``, in frames."""

    def __init__(self, network, source, kind, variable, ranks, plot):
        self.network = network
        self.plot = plot
        self.kind = kind
        self.variable = variable
        self.population = source.population
        self._lock = threading.Lock()
        self._pending = []
        self._now_step = network.current_step()
        dt = network.dt
        self._columns_per_step = plot.columns * dt / plot.window
        self.ranks = ranks
        if _population_wide(self.population, variable):
            kind = self.kind = "traces"
            period_steps, recorded = 1, self.population
            plot.labels = [variable]
        elif kind == "mean":
            period_steps = max(1, int(plot.window / plot.columns / dt))
            recorded = source
            plot.labels = [f"mean {variable}"]
        else:
            period_steps = 1
            recorded = PopulationView(self.population, self.ranks)
            if kind == "raster":
                self._row_of = np.full(self.population.size, -1, dtype=np.int64)
                self._row_of[self.ranks] = np.arange(self.ranks.size)
                plot.rows = int(self.ranks.size)
            else:
                plot.labels = [f"{variable}[{int(rank)}]" for rank in self.ranks]
        plot.kind = "raster" if kind == "raster" else "traces"
        self._period = period_steps
        self._offset = network.current_step() % period_steps     # the monitor's sample steps
        self.monitor = Monitor(recorded, [variable], period=period_steps * dt, start=False,
                               net_id=network.id)

    # ------------------------------------------------------------ recording
    def resume(self):
        """Record from now on (the control starts playing)."""
        self.monitor.resume()

    def pause(self):
        """Stop recording (the control pauses; simulate() from a cell costs nothing extra)."""
        self.monitor.pause()

    def collect(self, first_step):
        """Take what the monitor recorded since ``first_step`` (the start of the last chunk)."""
        data = self.monitor._drain(self.variable)
        with self._lock:
            self._now_step = self.network.current_step()
            if data is None or not len(data):
                return
            if self.kind == "raster":
                self._pending.append(self._raster_keys(data))
            else:
                self._pending.append(self._envelope(data, first_step))
            if len(self._pending) > 64:              # no answer for a while: keep it compact
                self._pending = [self._merged()]

    def _raster_keys(self, pairs):
        rows = self._row_of[pairs[:, 1]]
        keep = rows >= 0
        return self._column(pairs[keep, 0]) * self.ranks.size + rows[keep]

    def _envelope(self, values, first_step):
        values = values.astype(np.float64, copy=False)
        if self.kind == "mean":
            values = values.mean(axis=1, keepdims=True)
        first = first_step + (self._offset - first_step) % self._period
        steps = first + self._period * np.arange(len(values))
        return _min_max_by_column(self._column(steps), values, values)

    def _column(self, steps):
        return np.floor(steps * self._columns_per_step).astype(np.int64)

    # ------------------------------------------------------------ frames
    def flush(self):
        """Send what is pending when the browser drew the previous frame; True if sent."""
        if not self.plot.ready():
            return False
        with self._lock:
            if not self._pending:
                return False
            merged = self._merged()
            self._pending = []
            now = int(self._column(np.array([self._now_step]))[0])
            time_ms = self._now_step * self.network.dt
        content, buffers = self._frame(merged, now)
        self.plot.push(dict(content, now=now, t=time_ms), buffers)
        return True

    def clear(self):
        """Forget what was recorded and empty the plot (reset)."""
        self.monitor._drain(self.variable)
        with self._lock:
            self._pending = []
            self._now_step = self.network.current_step()
        self.plot.clear()

    def close(self):
        """Remove the plot's monitor from the network."""
        self.network.remove_monitor(self.monitor)

    def _merged(self):
        oldest = int(self._column(np.array([self._now_step]))[0]) - self.plot.columns
        if self.kind == "raster":
            keys = _distinct(np.concatenate(self._pending))
            return keys[keys // self.ranks.size > oldest]
        columns = np.concatenate([p[0] for p in self._pending])
        low = np.concatenate([p[1] for p in self._pending])
        high = np.concatenate([p[2] for p in self._pending])
        columns, low, high = _min_max_by_column(columns, low, high)
        keep = columns > oldest
        return columns[keep], low[keep], high[keep]

    def _frame(self, merged, now):
        if self.kind == "raster":
            ages = (now - merged // self.ranks.size).astype(np.uint16)
            rows = (merged % self.ranks.size).astype(np.uint16)
            return {"dots": int(merged.size)}, [ages.tobytes(), rows.tobytes()]
        columns, low, high = merged
        ages = (now - columns).astype(np.uint16)
        return ({"count": int(columns.size)},
                [ages.tobytes(), low.astype(np.float32).tobytes(),
                 high.astype(np.float32).tobytes()])


def _population_wide(population, variable):
    attribute = population._description.attribute(variable)
    return attribute is not None and attribute.locality != "local"


def _distinct(values):
    """Sorted distinct values (np.unique of numpy 2.4 hashes, ~100x slower than a sort here)."""
    values = np.sort(values)
    if values.size:
        values = values[np.concatenate([[True], values[1:] != values[:-1]])]
    return values


def _min_max_by_column(columns, low, high):
    """Per distinct column (columns never decrease): the minimum of low, the maximum of high."""
    if not columns.size:
        return columns, low, high
    starts = np.concatenate([[0], np.flatnonzero(np.diff(columns)) + 1])
    return (columns[starts], np.minimum.reduceat(low, starts, axis=0),
            np.maximum.reduceat(high, starts, axis=0))


def plotted_ranks(source, kind, variable, neurons):
    """The neurons a plot shows: all, ``neurons`` evenly spaced ones, or the given ranks
    (a mean: all neurons of the source; a population-wide variable: one value)."""
    ranks = source._ranks()
    population = source.population
    ranks = np.arange(population.size) if ranks is None else \
        np.atleast_1d(np.asarray(ranks, dtype=np.int64))
    if _population_wide(population, variable):
        return ranks[:1]
    if kind == "mean":
        return ranks
    default = RASTER_NEURONS if kind == "raster" else TRACE_NEURONS
    if neurons is None or isinstance(neurons, (int, np.integer)):
        count = default if neurons is None else int(neurons)
        if not 0 < count <= MAX_ROWS:
            raise NetworkError(f"control(): neurons must be a number of neurons (1 to "
                               f"{MAX_ROWS}) or a list of ranks, got {neurons!r}")
        if ranks.size <= count:
            return ranks
        return ranks[np.unique(np.linspace(0, ranks.size - 1, count).round().astype(np.int64))]
    chosen = np.unique(np.asarray(neurons, dtype=np.int64).reshape(-1))
    outside = np.setdiff1d(chosen, ranks)
    if outside.size:
        raise NetworkError(f"control(): the neurons to plot must be ranks of '{population.name}' "
                           f"shown by the plot; {outside[:5].tolist()} are not")
    if not 0 < chosen.size <= MAX_ROWS:
        raise NetworkError(f"control(): between 1 and {MAX_ROWS} neurons can be plotted, got "
                           f"{chosen.size}")
    return chosen

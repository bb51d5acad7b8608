"""Figures people make every time, with matplotlib: raster, traces, rates, weights.

Each function takes what a user has at hand (a Monitor, what ``Monitor.get()``
returned, arrays, a Projection) and returns the matplotlib objects it made, so a
figure can be adjusted or saved afterwards. matplotlib is imported when a
function is called, not with this module.

    from annbook import plotting
    plotting.raster(monitor)                 # spikes above, population rate below
    plotting.traces(monitor, "v", neurons=[0, 1, 2])
    plotting.weights(projection)
"""

from numbers import Integral

import numpy as np

from .config import config
from .core.dendrite import Dendrite
from .core.monitor import Monitor
from .core.projection import Projection, _shape2d
from .core.spikes import raster_plot

__all__ = ["raster", "rate", "traces", "weights", "receptive_fields", "spike_data",
           "population_rate"]

MAX_TRACES = 10          # neurons drawn by traces() when none are chosen


def _pyplot():
    import matplotlib.pyplot as plt
    return plt


# ---------------------------------------------------------------- data in
def spike_data(source, dt=None):
    """(times in ms, ranks, number of neurons, (start, stop) in ms) of recorded spikes.

    ``source``: a Monitor recording 'spike' (read without clearing it), the dict
    ``{rank: [steps]}`` of ``Monitor.get('spike')`` (or the dict of ``Monitor.get()``),
    or a ``(times, ranks)`` pair as ``raster_plot`` returns. ``dt`` (ms) converts steps
    of a dict; by default the one of ``setup()``.
    """
    if isinstance(source, Monitor):
        if "spike" not in source.variables:
            raise ValueError(f"{source!r} does not record 'spike'")
        dt = source._network.dt
        spikes = source.get("spike", keep=True)
        period = source.times("spike")["spike"]
        stop = period["stop"][-1] if period["stop"][-1] is not None else \
            source._network.current_step()
        window = (period["start"][0] * dt, stop * dt)
        times, ranks = _raster(spikes, dt)
        return times, ranks, len(spikes), window
    if isinstance(source, dict):
        spikes = source.get("spike", source)
        dt = dt or config["dt"]
        times, ranks = _raster(spikes, dt)
        last = max((max(train) for train in spikes.values() if len(train)), default=0)
        return times, ranks, len(spikes), (0.0, (last + 1) * dt)
    times, ranks = (np.asarray(part) for part in source)
    count = int(ranks.max()) + 1 if ranks.size else 0
    return times, ranks, count, (0.0, float(times.max()) + (dt or config["dt"]) if times.size
                                 else 0.0)


def _raster(spikes, dt):
    times, ranks = raster_plot(spikes)
    return times * (dt / config["dt"]), ranks


def population_rate(times, count, window, bin_width):
    """(bin centres in ms, population rate in Hz) of spikes ``times`` (ms) of ``count`` neurons."""
    start, stop = window
    edges = np.arange(start, stop + bin_width * 1e-9, bin_width)
    if edges.size < 2:
        edges = np.array([start, start + bin_width])
    counts, _ = np.histogram(times, edges)
    return edges[:-1] + bin_width / 2.0, counts / max(count, 1) / (bin_width / 1000.0)


def _recorded(source, variables, period):
    """{variable: (times in ms, values (time, columns)), column labels} of recordings."""
    if isinstance(source, Monitor):
        names = [v for v in source.variables if v not in ("spike", "axon_spike")]
        names = names if variables is None else \
            ([variables] if isinstance(variables, str) else list(variables))
        data = {name: source.get(name, keep=True) for name in names}
        start = {name: source.times(name)[name]["start"][0] * source._network.dt
                 for name in names}
        period = source.period
        ranks = getattr(source.object, "ranks", None)
        labels = None if ranks is None else [int(r) for r in np.atleast_1d(ranks)]
    else:
        if isinstance(source, dict):
            data = dict(source) if variables is None else \
                {v: source[v] for v in ([variables] if isinstance(variables, str) else variables)}
        else:
            data = {variables or "value": source}
        start = {name: 0.0 for name in data}
        period = period or config["dt"]
        labels = None
    result = {}
    for name, values in data.items():
        values = np.asarray(values, dtype=np.float64)
        values = values.reshape(values.shape[0], -1) if values.ndim else values.reshape(1, 1)
        result[name] = (start[name] + period * np.arange(values.shape[0]), values)
    return result, labels


# ---------------------------------------------------------------- figures
def raster(source, rate=True, bin_width=None, axes=None, dt=None, markersize=2.0, color="k"):
    """Spikes as dots (time, rank), with the population rate below when ``rate``.

    ``bin_width`` (ms) of the rate histogram: by default 1 ms or 5 steps, the larger.
    ``axes``: an Axes (or two, with ``rate``) to draw in; by default a new figure.
    Returns (figure, raster axes, rate axes or None).
    """
    times, ranks, count, window = spike_data(source, dt)
    plt = _pyplot()
    if axes is None:
        if rate:
            figure, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(8, 5),
                                                 gridspec_kw={"height_ratios": [3, 1]})
        else:
            figure, top = plt.subplots(figsize=(8, 4))
            bottom = None
    else:
        top, bottom = (axes if rate else (axes, None))
        figure = top.figure
    top.plot(times, ranks, linestyle="none", marker=".", markersize=markersize, color=color)
    top.set_ylabel("neuron")
    top.set_xlim(window)
    if count:
        top.set_ylim(-0.5, max(count, int(ranks.max()) + 1 if ranks.size else 0) - 0.5)
    if bottom is not None:
        _rate_line(bottom, times, count, window, bin_width or _default_bin(source, dt), color)
        bottom.set_xlabel("time (ms)")
    else:
        top.set_xlabel("time (ms)")
    return figure, top, bottom


def _default_bin(source, dt):
    step = source._network.dt if isinstance(source, Monitor) else (dt or config["dt"])
    return max(1.0, 5 * step)


def _rate_line(ax, times, count, window, bin_width, color):
    centres, hz = population_rate(times, count, window, bin_width)
    line, = ax.plot(centres, hz, color=color)
    ax.set_ylabel("rate (Hz)")
    ax.set_xlim(window)
    return line


def rate(source, bin_width=None, ax=None, dt=None, variable="r", color="C0"):
    """The population rate over time.

    Spikes (a Monitor recording 'spike', a spike dict, a (times, ranks) pair): the
    population firing rate in bins of ``bin_width`` ms. Rates (a Monitor recording
    ``variable``, an array (time, neurons)): the mean over neurons, with the range
    between the smallest and the largest shaded. Returns (figure, axes, line).
    """
    ax = ax or _pyplot().subplots(figsize=(8, 3))[1]
    spikes = isinstance(source, (dict, tuple)) or (isinstance(source, Monitor) and
                                                  "spike" in source.variables)
    if spikes:
        times, _, count, window = spike_data(source, dt)
        line = _rate_line(ax, times, count, window, bin_width or _default_bin(source, dt), color)
    else:
        data, _ = _recorded(source, variable if isinstance(source, Monitor) else None, dt)
        times, values = next(iter(data.values()))
        line, = ax.plot(times, values.mean(axis=1), color=color, label="mean")
        if values.shape[1] > 1:
            ax.fill_between(times, values.min(axis=1), values.max(axis=1), color=color,
                            alpha=0.25, linewidth=0, label="min-max")
        ax.set_ylabel(next(iter(data)))
    ax.set_xlabel("time (ms)")
    return ax.figure, ax, line


def traces(source, variables=None, neurons=None, axes=None, period=None):
    """Recorded variables over time, one panel per variable, one line per neuron.

    ``source``: a Monitor (read without clearing it), a dict {variable: array} as
    ``Monitor.get()`` returns, or one array (time,) or (time, neurons). ``neurons``:
    columns of the recording to draw (default: the first ten). ``period`` (ms)
    between two records of arrays (default dt). Returns (figure, [axes], {variable:
    [lines]}).
    """
    data, labels = _recorded(source, variables, period)
    if not data:
        raise ValueError(f"traces(): {source!r} records no variable, only spikes; "
                         "use raster() for spikes")
    plt = _pyplot()
    if axes is None:
        figure, axes = plt.subplots(len(data), 1, sharex=True, squeeze=False,
                                    figsize=(8, 2.5 * len(data)))
        axes = list(axes[:, 0])
    else:
        axes = list(np.atleast_1d(axes))
        figure = axes[0].figure
    lines = {}
    for ax, (name, (times, values)) in zip(axes, data.items()):
        columns = range(min(values.shape[1], MAX_TRACES)) if neurons is None else \
            ([neurons] if isinstance(neurons, Integral) else list(neurons))
        lines[name] = []
        for column in columns:
            lines[name] += ax.plot(times, values[:, column],
                                   label=_label(name, column, values.shape[1], labels))
        ax.set_ylabel(name)
        if 1 < len(lines[name]) <= MAX_TRACES:
            ax.legend(loc="upper right", fontsize="small")
    axes[-1].set_xlabel("time (ms)")
    return figure, axes, lines


def _label(name, column, columns, labels):
    if labels is not None and len(labels) == columns:
        return f"neuron {labels[column]}"
    return name if columns == 1 else f"neuron {column}"


def weights(source, ax=None, cmap="viridis", colorbar=True):
    """The weight matrix (post x pre) of a Projection (or a 2D array); blank where no synapse.

    Returns (figure, axes, image).
    """
    if isinstance(source, Projection):
        matrix = source.connectivity_matrix(fill=np.nan)
        xlabel, ylabel = f"pre-synaptic neuron ({source.pre.name})", \
            f"post-synaptic neuron ({source.post.name})"
    else:
        matrix, xlabel, ylabel = np.asarray(source, dtype=np.float64), "pre", "post"
    ax = ax or _pyplot().subplots(figsize=(6, 5))[1]
    image = ax.imshow(matrix, cmap=cmap, interpolation="nearest", aspect="auto")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label="w")
    return ax.figure, ax, image


def receptive_fields(source, variable="w", ax=None, cmap="viridis", colorbar=True):
    """Receptive fields: of one Dendrite, or of every post neuron of a Projection side by
    side in the post geometry (each in the pre geometry, separated by lines).

    Returns (figure, axes, image).
    """
    ax = ax or _pyplot().subplots(figsize=(6, 6))[1]
    if isinstance(source, Dendrite):
        field = np.asarray(source.receptive_field(variable), dtype=np.float64)
        image = ax.imshow(np.atleast_2d(field if field.ndim > 1 else field[:, None]),
                          cmap=cmap, interpolation="nearest")
        ax.set_title(f"neuron {source.post_rank} of {source.proj.post.name}")
    else:
        mosaic = source.receptive_fields(variable)
        image = ax.imshow(mosaic, cmap=cmap, interpolation="nearest")
        rows, columns = _shape2d(source.pre.geometry)
        for y in np.arange(rows, mosaic.shape[0], rows):
            ax.axhline(y - 0.5, color="w", linewidth=0.8)
        for x in np.arange(columns, mosaic.shape[1], columns):
            ax.axvline(x - 0.5, color="w", linewidth=0.8)
    ax.set_xticks([])
    ax.set_yticks([])
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label=variable)
    return ax.figure, ax, image

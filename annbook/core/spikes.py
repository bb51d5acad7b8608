"""Analysis of recorded spikes: dictionaries {rank: [steps]} as Monitor.get('spike') returns.

Spike entries are integer steps; results are in ms and Hz, as in the reference.
"""

import numpy as np

from ..config import config
from ..errors import ArgumentError
from .arguments import number

__all__ = ["raster_plot", "histogram", "inter_spike_interval", "coefficient_of_variation",
           "population_rate", "smoothed_rate", "mean_fr"]


def _unwrap(spikes):
    """The {rank: [steps]} dict of Monitor.get('spike') (also inside get()'s dict)."""
    spikes = spikes["spike"] if isinstance(spikes, dict) and "spike" in spikes else spikes
    if not isinstance(spikes, dict):
        raise ArgumentError("expected the spikes recorded by a Monitor (a dict {rank: [steps]} "
                            f"as Monitor.get('spike') returns), got {type(spikes).__name__}")
    return spikes


def _bounds(spikes):
    """First and last spike step over all neurons (0, 0 without spikes)."""
    steps = [s for train in spikes.values() for s in train]
    return (min(steps), max(steps)) if steps else (0, 0)


def raster_plot(spikes):
    """Two arrays: spike times (ms) and the rank of each spike."""
    spikes = _unwrap(spikes)
    dt = config["dt"]
    times = [dt * s for train in spikes.values() for s in train]
    ranks = [rank for rank, train in spikes.items() for _ in train]
    return np.array(times, dtype=np.float64), np.array(ranks, dtype=np.int64)


def histogram(spikes, bins=None, per_neuron=False, recording_window=None):
    """Spike counts per time bin (``bins`` in ms, default dt); per neuron if asked.

    ``recording_window`` (first, last step) replaces the span of the spikes.
    """
    spikes = _unwrap(spikes)
    dt = config["dt"]
    step = max(1, int((number(bins, "histogram(): bins") if bins else dt) / dt))
    first, last = recording_window if recording_window else _bounds(spikes)
    count = int((last - first) / step) + 1
    if per_neuron:
        counts = np.zeros((max(spikes) + 1 if spikes else 0, count), dtype=np.int64)
        for rank, train in spikes.items():
            for s in train:
                counts[rank, int((s - first) / step)] += 1
        return counts
    counts = np.zeros(count, dtype=np.int64)
    for train in spikes.values():
        for s in train:
            counts[int((s - first) / step)] += 1
    return counts


def _intervals(spikes, ranks):
    dt = config["dt"]
    return {rank: [dt * (b - a) for a, b in zip(train[:-1], train[1:])]
            for rank, train in spikes.items()
            if (ranks is None or rank in ranks) and len(train) > 1}


def inter_spike_interval(spikes, ranks=None, per_neuron=False):
    """Inter-spike intervals (ms), pooled in a list or per neuron in a dict."""
    intervals = _intervals(_unwrap(spikes), ranks)
    if per_neuron:
        return intervals
    return [isi for values in intervals.values() for isi in values]


def coefficient_of_variation(spikes, ranks=None, per_neuron=False):
    """std/mean of the intervals of each neuron that has at least two of them."""
    values = {rank: np.std(isi) / np.mean(isi)
              for rank, isi in _intervals(_unwrap(spikes), ranks).items() if len(isi) > 1}
    return values if per_neuron else list(values.values())


def mean_fr(spikes, duration=None):
    """Mean firing rate (Hz) over the neurons; ``duration`` in steps (default: spike span)."""
    spikes = _unwrap(spikes)
    if duration is None:
        first, last = _bounds(spikes)
        duration = last - first
    total = sum(len(train) for train in spikes.values())
    with np.errstate(divide="ignore"):
        return np.float64(total) / len(spikes) / duration / config["dt"] * 1000.0


def _low_pass(values, smooth):
    smooth = number(smooth, "smooth (ms)")
    dt = config["dt"]
    if smooth <= dt:
        return values
    out = np.empty_like(values)
    out[..., 0] = values[..., 0]
    factor = dt / smooth
    for k in range(1, values.shape[-1]):
        out[..., k] = out[..., k - 1] + (values[..., k] - out[..., k - 1]) * factor
    return out


def population_rate(spikes, smooth=0.0, window=None):
    """Instantaneous population rate (Hz) per step, optionally low-pass filtered (``smooth`` ms)."""
    spikes = _unwrap(spikes)
    first, last = window if window else _bounds(spikes)
    counts = np.zeros(last - first + 1)
    for train in spikes.values():
        for s in train:
            if first <= s <= last:
                counts[s - first] += 1
    rate = counts / (config["dt"] * len(spikes) / 1000.0) if spikes else counts
    return _low_pass(rate, smooth)


def smoothed_rate(spikes, smooth=0.0, window=None):
    """Per-neuron rate (Hz) per step: the inverse of the current inter-spike interval."""
    spikes = _unwrap(spikes)
    first, last = window if window else _bounds(spikes)
    dt = config["dt"]
    rates = np.zeros((len(spikes), max(0, last - first)))
    for row, train in enumerate(spikes.values()):
        previous = None
        for s in train:
            if previous is not None and s > previous:
                rates[row, max(0, previous - first):max(0, s - first)] = 1000.0 / dt / (s - previous)
            previous = s
    return _low_pass(rates, smooth)

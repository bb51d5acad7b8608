"""Neurons that spike at times given by the user."""

import warnings

import numpy as np

from ..config import config
from ..core.neuron import Neuron
from ..core.population import Population
from ..core.arguments import numbers
from ..errors import ArgumentError, NetworkError

__all__ = ["SpikeSourceArray"]


class SpikeSourceArray(Population):
    """One neuron per list of spike times (ms); a single list makes one neuron.

    Times are rounded to the time grid (with a warning when they were not on
    it) and sorted. Assigning ``spike_times`` (or ``set_spike_times``) replaces
    them, also after compile.
    """

    def __init__(self, spike_times, name=None, copied=False):
        times = _as_lists(spike_times, "SpikeSourceArray")
        schedule = _schedule(times, f"SpikeSourceArray '{name}'" if name else "SpikeSourceArray")
        neuron = Neuron(spike="False", name="SpikeSourceArray")
        neuron._schedule = True
        super().__init__(len(times), neuron, name=name)     # once the times are known good
        self._schedule = None
        self._install(schedule)

    @property
    def spike_times(self):
        """Spike times (ms) of each neuron."""
        times, ptr = self._schedule["times"], self._schedule["ptr"]
        dt = config["dt"]
        return [list(times[ptr[i]:ptr[i + 1]] * dt) for i in range(self.size)]

    @spike_times.setter
    def spike_times(self, spike_times):
        self.set_spike_times(spike_times)

    def set_spike_times(self, spike_times):
        """Replace the spike times (a list of lists of ms, one per neuron)."""
        owner = f"SpikeSourceArray '{self.name}'"
        times = _as_lists(spike_times, owner)
        if len(times) != self.size:
            raise NetworkError(f"{owner}: {len(times)} lists of times for {self.size} neurons")
        self._install(_schedule(times, owner))

    def _install(self, schedule):
        self._schedule = schedule
        self._rewind()
        if self._network.compiled:
            self._network.rebind()

    def _rewind(self):
        """Point each neuron at its first spike not before the current step."""
        now = self._network.current_step()
        times, ptr = self._schedule["times"], self._schedule["ptr"]
        for i in range(self.size):
            self._schedule["cursor"][i] = ptr[i] + np.searchsorted(times[ptr[i]:ptr[i + 1]], now)

    def _clear_spikes(self):
        super()._clear_spikes()
        if getattr(self, "_schedule", None) is not None:
            self._rewind()


def _schedule(times, owner):
    """The spike steps of all neurons, where each neuron's start, and a cursor per neuron.

    Times are rounded to the step (with a warning when they were not on it) and sorted.
    """
    dt = config["dt"]
    steps, ptr = [], [0]
    for rank, neuron_times in enumerate(times):
        values = numbers(neuron_times, f"{owner}: the spike times of neuron {rank}")
        if np.any(values < 0):
            raise NetworkError(f"{owner}: negative spike time for neuron {rank}")
        rounded = np.round(values / dt)
        if not np.allclose(rounded * dt, values, rtol=0.0, atol=1e-9 * max(1.0, dt)):
            warnings.warn(f"{owner}: spike times of neuron {rank} are not multiples of dt = "
                          f"{dt} ms; they are rounded", stacklevel=4)
        if np.any(np.diff(values) < 0):
            warnings.warn(f"{owner}: spike times of neuron {rank} are not sorted; they are "
                          "sorted", stacklevel=4)
        neuron_steps = np.unique(rounded.astype(np.int64))
        steps.append(neuron_steps)
        ptr.append(ptr[-1] + neuron_steps.size)
    flat = np.concatenate(steps) if steps else np.zeros(0, np.int64)
    return {"times": np.ascontiguousarray(flat, dtype=np.int64),
            "ptr": np.array(ptr, dtype=np.int64),
            "cursor": np.array(ptr[:-1], dtype=np.int64)}


def _as_lists(spike_times, owner):
    """One list of times per neuron (a single list of numbers is one neuron)."""
    if not isinstance(spike_times, (list, tuple, np.ndarray)):
        raise ArgumentError(f"{owner}: spike_times must be a list of times (ms), or a list of "
                            f"such lists (one per neuron), got {spike_times!r}")
    if len(spike_times) and np.ndim(spike_times[0]) == 0:
        return [list(spike_times)]
    return [list(t) for t in spike_times]

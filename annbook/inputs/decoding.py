"""Spike trains decoded into rates for a rate-coded population."""

import numpy as np

from ..config import config
from ..core.projection import Projection
from ..core.synapse import Synapse
from ..errors import NetworkError

__all__ = ["DecodingProjection"]


class DecodingProjection(Projection):
    """Turns the spikes of a spiking population into a rate in ``sum(target)`` of a
    rate-coded one.

    Each step, post neuron i receives the weights of its synapses that the
    previous step's spikes reached, averaged over the last ``window`` ms (default
    dt), in Hz, divided by its number of synapses: with all-to-all weights of
    1.0, ``sum(target)`` is the mean firing rate of the pre neurons. Delays are
    ignored.
    """

    def __init__(self, pre, post, target, window=0.0, name=None, copied=False):
        if getattr(pre.population, "_spike_arrays", None) is None:
            raise NetworkError("DecodingProjection: the pre-synaptic population must be spiking")
        if getattr(post.population, "_spike_arrays", None) is not None:
            raise NetworkError("DecodingProjection: the post-synaptic population must be "
                               "rate-coded")
        dt = config["dt"]
        if window < 0 or 0 < window < dt:
            raise NetworkError(f"DecodingProjection: the window ({window} ms) must be at least "
                               f"one step (dt = {dt} ms), or 0 for one step")
        self._decoding = None
        super().__init__(pre, post, target, Synapse(psp="w", name="DecodingProjection"),
                         name=name)
        self.window = window or dt

    @property
    def transmission_kind(self):
        return "decoding"

    def _decoding_arrays(self):
        """The history of decoded rates (window steps x post neurons) and its depth."""
        steps = max(1, int(self.window / config["dt"] + 1e-9))
        size = steps * self.post.population.size
        if self._decoding is None or self._decoding["history"].size != size:
            self._decoding = {"history": np.zeros(size), "window": np.array([steps])}
        return self._decoding

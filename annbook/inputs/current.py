"""Rates of a rate-coded population injected as conductance/current of spiking neurons."""

from ..core.projection import Projection
from ..core.synapse import Synapse
from ..errors import NetworkError

__all__ = ["CurrentInjection"]


class CurrentInjection(Projection):
    """One-to-one projection that sets ``g_target`` of each post neuron to ``r`` of its pre
    neuron at every step (pre rate-coded, post spiking, same size)."""

    def __init__(self, pre, post, target, name=None, copied=False):
        if getattr(pre.population, "_spike_arrays", None) is not None or \
                getattr(post.population, "_spike_arrays", None) is None:
            raise NetworkError("CurrentInjection: the pre population must be rate-coded and the "
                               "post population spiking")
        if pre.size != post.size:
            raise NetworkError(f"CurrentInjection: pre ({pre.size}) and post ({post.size}) must "
                               "have the same size")
        super().__init__(pre, post, target, Synapse(psp="pre.r", name="CurrentInjection"),
                         name=name)

    def connect_current(self):
        """Connect neuron i of pre to neuron i of post."""
        return self.connect_one_to_one(weights=1.0)

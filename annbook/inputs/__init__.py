"""Input populations: Poisson spike trains, spikes at given times."""

from .poisson import PoissonPopulation
from .spike_source import SpikeSourceArray
from .rates import InputArray, TimedArray
from .current import CurrentInjection

__all__ = ["PoissonPopulation", "SpikeSourceArray", "InputArray", "TimedArray",
           "CurrentInjection"]

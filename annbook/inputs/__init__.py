"""Input populations: Poisson spike trains, spikes at given times, rates over time."""

from .poisson import PoissonPopulation
from .timed_poisson import TimedPoissonPopulation
from .correlated import HomogeneousCorrelatedSpikeTrains
from .spike_source import SpikeSourceArray
from .rates import InputArray, TimedArray
from .current import CurrentInjection
from .decoding import DecodingProjection

__all__ = ["PoissonPopulation", "TimedPoissonPopulation", "HomogeneousCorrelatedSpikeTrains",
           "SpikeSourceArray", "InputArray", "TimedArray", "CurrentInjection", "DecodingProjection"]

"""Built-in neuron and synapse models (ANNarchy 4.8.2 names, parameters and defaults)."""

from .rate import LeakyIntegrator, Hebb, Oja, IBCM

__all__ = ["LeakyIntegrator", "Hebb", "Oja", "IBCM"]

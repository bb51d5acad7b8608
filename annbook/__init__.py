"""annbook: rate-coded and spiking neural networks, compiled, in Jupyter.

The public API is the one of ANNarchy 4.8.2: ``import annbook as ann``.
"""

__version__ = "0.1.0"

from .errors import (ANNarchyException, InvalidConfiguration, ModelError, NetworkError,
                     CompilationError, ShapeError)
from .config import setup, dt
from .core.neuron import Neuron
from .core.population import Population
from .core.views import PopulationView, IndividualNeuron
from .core.synapse import Synapse
from .core.projection import Projection
from .core.dendrite import Dendrite
from .core.connectivity import LILConnectivity
from .core.monitor import Monitor
from .core.network import Network
from .core.io import save, load, save_parameters, load_parameters, load_parameter
from .core.constant import Constant, get_constant
from .core.functions import add_function, functions
from .core.random import (RandomDistribution, Uniform, DiscreteUniform, Normal, LogNormal,
                          Exponential, Gamma, Binomial)
from .api import (compile, clear, reset, simulate, simulate_until, step, get_time, set_time,
                  get_current_step, set_current_step, set_seed, get_population, populations,
                  monitors, enable_learning, disable_learning, get_projection, projections)
from .build.cache import clear_cache
from .models import (LeakyIntegrator, Hebb, Oja, IBCM, Izhikevich, IF_curr_exp, IF_cond_exp,
                     IF_curr_alpha, IF_cond_alpha, HH_cond_exp, EIF_cond_exp_isfa_ista,
                     EIF_cond_alpha_isfa_ista, STP, STDP)
from .inputs import (PoissonPopulation, TimedPoissonPopulation, HomogeneousCorrelatedSpikeTrains,
                     SpikeSourceArray, InputArray, TimedArray, CurrentInjection,
                     DecodingProjection)
from .core.spikes import (raster_plot, histogram, inter_spike_interval, coefficient_of_variation,
                          population_rate, smoothed_rate, mean_fr)
from . import progress                    # registers the progress bars of simulate()

__all__ = [
    "ANNarchyException", "InvalidConfiguration", "ModelError", "NetworkError",
    "CompilationError", "ShapeError", "setup", "dt", "Neuron", "Population", "PopulationView",
    "IndividualNeuron", "Synapse", "Projection", "Dendrite", "LILConnectivity", "Monitor", "Network", "save", "load", "save_parameters",
    "load_parameters", "load_parameter", "Constant", "get_constant", "add_function", "functions",
    "RandomDistribution", "Uniform", "DiscreteUniform", "Normal", "LogNormal", "Exponential",
    "Gamma", "Binomial", "compile", "clear", "reset", "simulate", "simulate_until", "step",
    "get_time", "set_time", "get_current_step", "set_current_step", "set_seed",
    "get_population", "populations", "monitors", "enable_learning", "disable_learning",
    "get_projection", "projections",
    "clear_cache", "LeakyIntegrator", "Hebb", "Oja", "IBCM", "Izhikevich", "IF_curr_exp",
    "IF_cond_exp", "IF_curr_alpha", "IF_cond_alpha", "HH_cond_exp", "EIF_cond_exp_isfa_ista",
    "EIF_cond_alpha_isfa_ista", "STP", "STDP", "PoissonPopulation", "TimedPoissonPopulation",
    "HomogeneousCorrelatedSpikeTrains",
    "SpikeSourceArray", "InputArray", "TimedArray", "CurrentInjection", "DecodingProjection", "raster_plot", "histogram", "inter_spike_interval",
    "coefficient_of_variation", "population_rate", "smoothed_rate", "mean_fr",
]


def __getattr__(name):
    """``annbook.widgets`` is imported on first use: ipywidgets is not needed before."""
    if name == "widgets":
        import importlib
        return importlib.import_module(".widgets", __name__)
    raise AttributeError(f"module 'annbook' has no attribute '{name}'")

"""annbook: rate-coded and spiking neural networks, compiled, in Jupyter.

The public API is the one of ANNarchy 4.8.2: ``import annbook as ann``. As the
reference's, ``from annbook import *`` also brings ``np``, ``os``, ``sys`` and ``time``,
which scripts written for it use without importing them.
"""

__version__ = "0.1.0"

import os
import sys
import time

import numpy as np

from .errors import (ANNarchyException, InvalidConfiguration, ModelError, NetworkError,
                     CompilationError, ShapeError, ArgumentError, StorageError,
                     UnsupportedFeature, MissingDependency,
                     NetworkRunError)
from .config import setup, dt
from .core.neuron import Neuron
from .core.population import Population
from .core.views import PopulationView, IndividualNeuron
from .core.synapse import Synapse
from .core.projection import Projection
from .core.dendrite import Dendrite
from .core.connectivity import LILConnectivity
from .core.connectivity import LILConnectivity as CSR     # its name before 4.6, still used
from .core.manager import NetworkManager
from .core.monitor import Monitor
from .core.network import Network
from .core.io import save, load, save_parameters, load_parameters, load_parameter
from .core.sparse_matrices import sparse_random_matrix, sparse_delays_from_weights
from .report import report
from .core.constant import Constant, get_constant
from .core.functions import add_function, functions
from .core.random import (RandomDistribution, Uniform, DiscreteUniform, Normal, LogNormal,
                          Exponential, Gamma, Binomial)
from .api import (compile, clear, reset, simulate, simulate_until, step, get_time, set_time,
                  get_current_step, set_current_step, set_seed, get_population, populations,
                  monitors, enable_learning, disable_learning, get_projection, projections)
from .core.callbacks import (every, callbacks_enabled, enable_callbacks, disable_callbacks,
                             clear_all_callbacks)
from .build.cache import clear_cache
from .models import (LeakyIntegrator, Hebb, Oja, IBCM, Izhikevich, IF_curr_exp, IF_cond_exp,
                     IF_curr_alpha, IF_cond_alpha, HH_cond_exp, EIF_cond_exp_isfa_ista,
                     EIF_cond_alpha_isfa_ista, STP, STDP, list_standard_neurons,
                     list_standard_synapses)
from .inputs import (PoissonPopulation, TimedPoissonPopulation, HomogeneousCorrelatedSpikeTrains,
                     SpikeSourceArray, InputArray, TimedArray, CurrentInjection,
                     DecodingProjection)
from .parallel import parallel_run
from .core.spikes import (raster_plot, histogram, inter_spike_interval, coefficient_of_variation,
                          population_rate, smoothed_rate, mean_fr)
from . import progress                    # registers the progress bars of simulate()

__all__ = [
    # modules the reference's star import brings
    "np", "os", "sys", "time",
    "ANNarchyException", "InvalidConfiguration", "ModelError", "NetworkError",
    "CompilationError", "ShapeError", "ArgumentError", "StorageError", "UnsupportedFeature",
    "MissingDependency", "NetworkRunError",
    "setup", "dt", "Neuron", "Population", "PopulationView", "IndividualNeuron", "Synapse",
    "Projection", "Dendrite", "LILConnectivity", "CSR", "Monitor", "Network", "NetworkManager",
    "save", "load", "save_parameters", "load_parameters", "load_parameter",
    "sparse_random_matrix", "sparse_delays_from_weights", "report", "Constant",
    "get_constant", "add_function", "functions",
    "RandomDistribution", "Uniform", "DiscreteUniform", "Normal", "LogNormal", "Exponential",
    "Gamma", "Binomial", "compile", "clear", "reset", "simulate", "simulate_until", "step",
    "get_time", "set_time", "get_current_step", "set_current_step", "set_seed",
    "get_population", "populations", "monitors", "enable_learning", "disable_learning",
    "get_projection", "projections", "parallel_run", "every", "callbacks_enabled",
    "enable_callbacks", "disable_callbacks", "clear_all_callbacks",
    "clear_cache", "LeakyIntegrator", "Hebb", "Oja", "IBCM", "Izhikevich", "IF_curr_exp",
    "IF_cond_exp", "IF_curr_alpha", "IF_cond_alpha", "HH_cond_exp", "EIF_cond_exp_isfa_ista",
    "EIF_cond_alpha_isfa_ista", "STP", "STDP", "list_standard_neurons", "list_standard_synapses",
    "PoissonPopulation", "TimedPoissonPopulation", "HomogeneousCorrelatedSpikeTrains",
    "SpikeSourceArray", "InputArray", "TimedArray", "CurrentInjection", "DecodingProjection",
    "raster_plot", "histogram", "inter_spike_interval", "coefficient_of_variation",
    "population_rate", "smoothed_rate", "mean_fr",
]


def load_ipython_extension(ipython):
    """``%load_ext annbook``: the ``%%neuron`` / ``%%synapse`` magics and the rich display."""
    from .jupyter import load_ipython_extension as load
    load(ipython)


def unload_ipython_extension(ipython):
    """``%unload_ext annbook``: remove what ``%load_ext annbook`` added."""
    from .jupyter import unload_ipython_extension as unload
    unload(ipython)


def _display_in_ipython():
    """Inside IPython (a notebook, a console), show annbook's objects as HTML summaries.

    Outside IPython nothing is imported: ``import annbook`` stays as fast as before.
    """
    import sys
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None and hasattr(shell, "display_formatter"):
        from .jupyter.display import register
        register(shell)


_display_in_ipython()


def __getattr__(name):
    """``annbook.widgets`` is imported on first use: ipywidgets is not needed before."""
    if name == "widgets":
        import importlib
        return importlib.import_module(".widgets", __name__)
    raise AttributeError(f"module 'annbook' has no attribute '{name}'")

"""Built-in neuron and synapse models (ANNarchy 4.8.2 names, parameters and defaults)."""

from .rate import LeakyIntegrator, Hebb, Oja, IBCM
from .spiking import (Izhikevich, IF_curr_exp, IF_cond_exp, IF_curr_alpha, IF_cond_alpha,
                      HH_cond_exp, EIF_cond_exp_isfa_ista, EIF_cond_alpha_isfa_ista, STP, STDP)

__all__ = ["LeakyIntegrator", "Hebb", "Oja", "IBCM", "Izhikevich", "IF_curr_exp", "IF_cond_exp",
           "IF_curr_alpha", "IF_cond_alpha", "HH_cond_exp", "EIF_cond_exp_isfa_ista",
           "EIF_cond_alpha_isfa_ista", "STP", "STDP", "list_standard_neurons",
           "list_standard_synapses"]


def list_standard_neurons():
    """The built-in neuron classes, in the reference's order."""
    return [LeakyIntegrator, Izhikevich, IF_curr_exp, IF_cond_exp, IF_curr_alpha, IF_cond_alpha,
            HH_cond_exp, EIF_cond_alpha_isfa_ista, EIF_cond_exp_isfa_ista]


def list_standard_synapses():
    """The built-in synapse classes, in the reference's order."""
    return [STP, STDP, Hebb, Oja, IBCM]

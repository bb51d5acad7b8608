"""Neuron models of the ANN-to-SNN conversion: input encodings and integrate-and-fire neurons.

Every spiking layer keeps a ``mask``: it jumps by 1 / mask_tau at each spike and decays with
mask_tau, so it follows the firing rate; convolutions and poolings read it (``pre.mask``)
instead of the spikes. Dense layers receive the spikes themselves (``g_exc += w``).
"""

from ...core.neuron import Neuron

__all__ = ["CPN", "IB", "PSO", "IaF", "IaF_ReadOut", "IaF_TTKS", "IaF_Acc",
           "INPUT_ENCODINGS", "READ_OUTS"]

# Poisson input: each step a neuron fires with probability rates * dt / 1000
CPN = Neuron(
    parameters="""
        rates = 0.0
        mask_tau = 20.0
    """,
    equations="""
        p = Uniform(0.0, 1.0) * 1000.0 / dt
        dmask/dt = -mask / mask_tau : init = 0.0
    """,
    spike="p < rates",
    reset="mask += 1.0 / mask_tau",
    name="custom poisson neuron")

# Intrinsically bursting Izhikevich neuron (Izhikevich, 2003) driven by the input
IB = Neuron(
    parameters="""
        a = 0.02
        b = 0.2
        c = -55.0
        d = 4.0
        v_thresh = 30.0
        rates = 0.0
        mask_tau = 20.0
    """,
    equations="""
        dv/dt = 0.04 * v^2 + 5.0 * v + 140.0 - u + rates : init = -55.0
        du/dt = a * (b * v - u) : init = -13.0
        dmask/dt = -mask / mask_tau : init = 0.0
    """,
    spike="v > v_thresh",
    reset="""
        v = c
        u += d
        mask += 1.0 / mask_tau
    """,
    name="intrinsically bursting")

# Phase shift oscillation (Park et al., 2019): the threshold follows a period of k ms
PSO = Neuron(
    parameters="""
        k = 8
        vt = 1
        rates = 0
        mask_tau = 20.0
    """,
    equations="""
        p = pow(2, -1 + modulo(t - 1, k))
        vt_new = p * vt
        v = rates : init = 0
        dmask/dt = -mask / mask_tau : init = 0.0
    """,
    spike="v > vt_new",
    reset="mask += 1.0 / mask_tau",
    name="phase shift oscillation")

# Hidden layers: integrate g_exc, fire above vt, reset to vr
IaF = Neuron(
    parameters="""
        vt = 1 : population
        vr = 0 : population
        mask_tau = 20.0 : population
    """,
    equations="""
        dv/dt = g_exc : init = 0.0, min = -2.0
        dmask/dt = -mask / mask_tau : init = 0.0
    """,
    spike="v > vt",
    reset="""
        v = vr
        mask += 1.0 / mask_tau
    """,
    name="IaF neuron")

IaF_ReadOut = Neuron(
    parameters="""
        vt = 1 : population
        vr = 0 : population
    """,
    equations="dv/dt = g_exc : init = 0.0, min = -2.0",
    spike="v > vt",
    reset="v = vr",
    name="IaF read-out neuron")

# 'time_to_k_spikes': counts its spikes in sc
IaF_TTKS = Neuron(
    parameters="""
        k = 0 : population
        vt = 1 : population
        vr = 0 : population
        sc = 0
    """,
    equations="dv/dt = g_exc : init = 0.0, min = -2.0",
    spike="v > vt",
    reset="""
        v = vr
        sc += 1
    """,
    name="IaF neuron counting its spikes")

# 'membrane_potential': accumulates its input, never fires
IaF_Acc = Neuron(
    equations="dv/dt = g_exc : init = 0.0, min = -2.0",
    spike="v < -10000",
    reset="",
    name="IaF accumulator")

INPUT_ENCODINGS = {"CPN": CPN, "poisson": CPN, "IB": IB, "PSO": PSO}
READ_OUTS = ("spike_count", "time_to_first_spike", "time_to_k_spikes", "membrane_potential")

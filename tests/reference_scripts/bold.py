"""Differential script 6 (dt = 1 ms): BOLD monitors (``<module>.extensions.bold``).

A small deterministic network: two rate-coded regions (``area`` copies a stepped input,
``leaky`` integrates it through a projection) and a spiking one (integrate-and-fire neurons
driven by constant currents, whose synaptic input ``syn`` filters the conductance).
Every predefined model records one of them with other options: default and given scale
factors, baseline normalisations started by start(), recorded variables, two inputs, slices
of a population, a model parameter changed after compile, a copy of the network. Bad
arguments must raise in both (the reference does not check the mapped variables, and its
NormProjection fails in its compile(): tests/test_bold.py checks those).

Two models are adapted to run in the reference: ``balloon_CN`` has a tuple for a name there,
which its Monitor refuses (the script names it as annbook does); the reference's
``balloon_RL`` integrates q and v without the conversion to seconds that its documented
equations have, so the reference side runs those documented equations as a BoldModel and
annbook its ``balloon_RL``: the key checks annbook's model against them.

Run as ``python bold.py <module> <results.json>`` in an empty directory.
"""

import importlib
import sys

import numpy as np

from _refcommon import ann, rec, finish

bold = importlib.import_module(sys.argv[1] + ".extensions.bold")
ann.setup(dt=1.0)
EVERY = 5            # recorded values kept: one every EVERY steps


def signal(monitor, variable="BOLD"):
    return np.asarray(monitor.get(variable))[::EVERY]


# ---- regions ----------------------------------------------------------------------------------
area = ann.Population(10, ann.Neuron(parameters="I = 0.0", equations="r = I"), name="area")
leaky = ann.Population(6, ann.Neuron(parameters="tau = 40.0 : population",
                                     equations="tau * dr/dt + r = sum(exc)"), name="leaky")
ann.Projection(area, leaky, "exc").connect_all_to_all(weights=0.3)
IF = ann.Neuron(
    parameters="tau = 10.0 : population\n tau_syn = 50.0 : population\n I = 0.0",
    equations="tau * dv/dt = I - v + g_exc\n tau_syn * dsyn/dt = g_exc - syn",
    spike="v > 1.0", reset="v = 0.0")
drivers = ann.Population(8, IF, name="drivers")
drivers.I = np.linspace(1.2, 3.0, 8)
spiking = ann.Population(5, IF, name="spiking")
spiking.I = 0.8
pattern = np.arange(40).reshape(5, 8) % 3 == 0
ann.Projection(drivers, spiking, "exc").connect_from_matrix(np.where(pattern, 0.5, None))

# ---- one monitor per model --------------------------------------------------------------------
m_rn = bold.BoldMonitor(populations=[area, leaky], bold_model=bold.balloon_RN,
                        recorded_variables=["I_CBF", "s", "f_in", "q", "v", "E"], start=True)
documented_rl = bold.BoldModel(
    parameters="""
        second = 1000.0 : population
        phi = 1.0 : population
        kappa = 0.6493506493506493 : population
        gamma = 0.4065040650406504 : population
        E_0 = 0.34 : population
        tau = 0.98 : population
        alpha = 0.33 : population
        V_0 = 0.02 : population
        v_0 = 40.3 : population
        TE = 0.04 : population
        epsilon = 1.43 : population
        r_0 = 25.0 : population
    """,
    equations="""
        I_CBF = sum(I_CBF) : init=0
        ds/dt = (phi * I_CBF - kappa * s - gamma * (f_in - 1)) / second : init=0
        df_in/dt = s / second : init=1, min=0.01
        E = 1 - (1 - E_0)**(1 / f_in) : init=0.3424
        dq/dt = (f_in * E / E_0 - (q / v) * f_out) / (tau * second) : init=1, min=0.01
        dv/dt = (f_in - f_out) / (tau * second) : init=1, min=0.01
        f_out = v**(1 / alpha) : init=1, min=0.01
        k_1 = 4.3 * v_0 * E_0 * TE
        k_2 = epsilon * r_0 * E_0 * TE
        k_3 = 1 - epsilon
        BOLD = V_0 * ((k_1 + k_2) * (1 - q) + (k_3 - k_2) * (1 - v)) : init=0
    """, inputs="I_CBF", name="documented RL")
m_rl = bold.BoldMonitor(populations=leaky, start=True,
                        bold_model=bold.balloon_RL() if ann.__name__ == "annbook"
                        else documented_rl)
classic = bold.balloon_CN(kappa=0.7, tau=1.1)
classic.name = "BoldNeuron CN"          # the reference's is a tuple, which Monitor refuses
m_cn = bold.BoldMonitor(populations=leaky, bold_model=classic,
                        scale_factor=2.0, normalize_input=20, recorded_variables="I_CBF")
m_cl = bold.BoldMonitor(populations=[area, leaky], bold_model=bold.balloon_CL,
                        scale_factor=[0.3, 0.7], recorded_variables=["s", "q", "v"], start=True)
m_maith = bold.BoldMonitor(populations=[area], bold_model=bold.balloon_maith2021(),
                           normalize_input=[50], recorded_variables=["I_CBF"])
m_two = bold.BoldMonitor(populations=spiking, bold_model=bold.balloon_two_inputs(),
                         mapping={"I_CBF": "syn", "I_CMRO2": "v"},
                         recorded_variables=["I_CBF", "I_CMRO2", "r"], start=True)
sliced = bold.balloon_RN(phi=1.5)
sliced.name = "BOLD of slices"          # the reference refuses two populations of one name
m_slices = bold.BoldMonitorFromSlices(area, slices=[[0, 1, 2], [3, 4, 5, 6, 7, 8, 9]],
                                      bold_model=sliced,
                                      recorded_variables=["I_CBF"], start=True)

# ---- bad arguments ----------------------------------------------------------------------------
rec("bold.errors.unknown_input", lambda: bold.BoldMonitor(populations=area, mapping={"I": "r"}))
rec("bold.errors.scale_factors",
    lambda: bold.BoldMonitor(populations=[area, leaky], scale_factor=[1.0]))
rec("bold.errors.normalize_inputs",
    lambda: bold.BoldMonitor(populations=[area, leaky], normalize_input=[10, 10, 10]))
rec("bold.errors.no_population", lambda: bold.BoldMonitor(bold_model=bold.balloon_RN))

# a copy of the whole network (before compile: the reference copies the initial state, and a
# copy made later stops the original's monitors)
net = ann.Network(everything=True)
ann.compile(compiler_flags="-O0")
net.compile(compiler_flags="-O0")
rec("bold.names", lambda: [m._bold_pop.size for m in (m_rn, m_rl, m_cn, m_cl, m_maith, m_two,
                                                         m_slices)])
rec("bold.parameters", lambda: {"phi": m_rn.phi, "kappa": m_cn.kappa, "tau": m_cn.tau,
                                "maith_kappa": m_maith.kappa, "two_gamma": m_two.gamma_CMRO2})
rec("bold.at_rest", lambda: {"BOLD": m_rn.BOLD, "q": m_rn.q, "E": m_rn.E})

for step, value in enumerate([0.0, 1.0, 1.0, 3.0, 0.5, 0.0, 2.0, 0.0]):
    area.I = value * np.linspace(0.5, 1.5, 10)
    if step == 1:
        m_cn.start()
        m_maith.start()
    if step == 4:
        m_cl.phi = 1.5                     # a model parameter changed between two runs
    ann.simulate(250.0)

for name, monitor in (("rn", m_rn), ("rl", m_rl), ("cn", m_cn), ("cl", m_cl),
                      ("maith", m_maith), ("two", m_two), ("slices", m_slices)):
    variables = monitor._recorded_variables
    rec(f"bold.{name}", lambda: {v: signal(monitor, v) for v in variables})

copied = net.get(m_rn)
net.get(area).I = np.linspace(0.0, 2.0, 10)
net.simulate(300.0)
rec("bold.copy", lambda: signal(copied))
finish()

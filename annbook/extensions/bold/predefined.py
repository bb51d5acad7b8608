"""The BOLD models of ANNarchy 4.8.2: variants of the balloon model.

All of them drive a damped oscillator with the input ``I_CBF`` (Friston et al., 2000): a
flow-inducing signal ``s`` and the normalised cerebral blood inflow ``f_in``. The balloon
(Buxton et al., 1998) turns the inflow into the normalised venous volume ``v``, the outflow
``f_out = v^(1/alpha)`` and the normalised deoxyhemoglobin content ``q``, with the oxygen
extraction fraction ``E = 1 - (1 - E_0)^(1/f_in)``::

    ds/dt    = phi I_CBF - kappa s - gamma (f_in - 1)
    df_in/dt = s
    tau dv/dt = f_in - f_out
    tau dq/dt = f_in E / E_0 - f_out q / v

The constants are per second; the simulator's time is in ms, hence ``second = 1000``.
The BOLD signal combines ``q`` and ``v`` (Stephan et al., 2007) through a non-linear (N)
or linear (L) equation, with classic (C, Buxton et al., 1998) or revised (R, Obata et al.,
2004) coefficients::

    N: BOLD = V_0 (k_1 (1 - q) + k_2 (1 - q/v) + k_3 (1 - v))
    L: BOLD = V_0 ((k_1 + k_2) (1 - q) + (k_3 - k_2) (1 - v))
    C: k_1 = (1 - V_0) 4.3 v_0 E_0 TE,  k_2 = 2 E_0,                k_3 = 1 - epsilon
    R: k_1 = 4.3 v_0 E_0 TE,            k_2 = epsilon r_0 E_0 TE,   k_3 = 1 - epsilon

``balloon_maith2021`` uses the coefficients of Friston et al. (2000) with the parameters
fitted in Maith et al. (2021); ``balloon_two_inputs`` (Maith et al., 2022) drives the
oxygen metabolism with a second input ``I_CMRO2`` and lets the outflow lag the volume.
"""

import math

from ...core.arguments import number
from .model import BoldModel

__all__ = ["balloon_RN", "balloon_RL", "balloon_CN", "balloon_CL", "balloon_maith2021",
           "balloon_two_inputs"]

# input signal, inflow and balloon (equations of the module docstring, time in ms)
_BALLOON = """
    I_CBF = sum(I_CBF)                                                 : init=0
    ds/dt = (phi * I_CBF - kappa * s - gamma * (f_in - 1)) / second    : init=0
    df_in/dt = s / second                                              : init=1, min=0.01
    E = 1 - (1 - E_0)**(1 / f_in)                                      : init=0.3424
    dq/dt = (f_in * E / E_0 - (q / v) * f_out) / (tau * second)        : init=1, min=0.01
    dv/dt = (f_in - f_out) / (tau * second)                            : init=1, min=0.01
    f_out = v**(1 / alpha)                                             : init=1, min=0.01
"""
_COEFFICIENTS = {
    "classic": """
    k_1 = (1 - V_0) * 4.3 * v_0 * E_0 * TE
    k_2 = 2 * E_0
    k_3 = 1 - epsilon
""",
    "revised": """
    k_1 = 4.3 * v_0 * E_0 * TE
    k_2 = epsilon * r_0 * E_0 * TE
    k_3 = 1 - epsilon
""",
    "friston": """
    k_1 = 7 * E_0
    k_2 = 2
    k_3 = 2 * E_0 - 0.2
""",
}
_SIGNAL = {
    "nonlinear": "BOLD = V_0 * (k_1 * (1 - q) + k_2 * (1 - q / v) + k_3 * (1 - v)) : init=0\n",
    "linear": "BOLD = V_0 * ((k_1 + k_2) * (1 - q) + (k_3 - k_2) * (1 - v)) : init=0\n",
}


def _parameters(model, values, flag=" : population"):
    """Parameter text of ``values`` ({name: number}) after ``second = 1000``."""
    lines = [f"second = 1000.0{flag}"]
    for name, value in values.items():
        lines.append(f"{name} = {number(value, f'{model}: {name}')!r}{flag}")
    return "\n".join(lines)


class _Balloon(BoldModel):
    """A balloon model of Stephan et al. (2007): its coefficients and BOLD equation."""

    _coefficients = ""
    _signal = ""
    _title = ""

    def _build(self, values):
        values = {k: v for k, v in values.items() if k not in ("self", "__class__")}
        name = type(self).__name__
        super().__init__(parameters=_parameters(name, values),
                         equations=_BALLOON + _COEFFICIENTS[self._coefficients]
                         + _SIGNAL[self._signal],
                         inputs="I_CBF", output="BOLD", name=self._title,
                         description=f"balloon model, {self._coefficients} coefficients, "
                                     f"{self._signal} BOLD equation (Stephan et al., 2007)")


class balloon_RN(_Balloon):
    """Balloon model with revised coefficients and the non-linear BOLD equation.

    Parameters
    ----------
    phi : float
        Gain of the input.
    kappa, gamma : float
        Decay of the flow-inducing signal and feedback of the flow (1/s).
    E_0 : float
        Oxygen extraction fraction at rest.
    tau : float
        Mean transit time through the venous compartment (s).
    alpha : float
        Stiffness of the vessels (Grubb's exponent).
    V_0 : float
        Venous blood volume fraction at rest.
    v_0 : float
        Frequency offset of fully deoxygenated blood at 1.5 T (Hz).
    TE : float
        Echo time (s).
    epsilon : float
        Ratio of the intra- to the extravascular signal.
    r_0 : float
        Slope of the intravascular relaxation rate against oxygen saturation (Hz).
    """

    _coefficients, _signal, _title = "revised", "nonlinear", "BOLD model RN"

    def __init__(self, phi=1.0, kappa=1 / 1.54, gamma=1 / 2.46, E_0=0.34, tau=0.98,
                 alpha=0.33, V_0=0.02, v_0=40.3, TE=40 / 1000.0, epsilon=1.43, r_0=25):
        self._build(locals())


class balloon_RL(_Balloon):
    """Balloon model with revised coefficients and the linear BOLD equation.

    Parameters as ``balloon_RN``. Unlike the reference, whose ``balloon_RL`` integrates
    ``q`` and ``v`` without the conversion to seconds (1000 times too fast, unstable at
    dt = 1 ms), both follow the same time scale as in the other variants.
    """

    _coefficients, _signal, _title = "revised", "linear", "BOLD model RL"

    def __init__(self, phi=1.0, kappa=1 / 1.54, gamma=1 / 2.46, E_0=0.34, tau=0.98,
                 alpha=0.33, V_0=0.02, v_0=40.3, TE=40 / 1000.0, epsilon=1.43, r_0=25):
        self._build(locals())


class balloon_CN(_Balloon):
    """Balloon model with classic coefficients and the non-linear BOLD equation.

    Parameters as ``balloon_RN``, without ``r_0``.
    """

    _coefficients, _signal, _title = "classic", "nonlinear", "BoldNeuron CN"

    def __init__(self, phi=1.0, kappa=1 / 1.54, gamma=1 / 2.46, E_0=0.34, tau=0.98,
                 alpha=0.33, V_0=0.02, v_0=40.3, TE=40 / 1000.0, epsilon=1.43):
        self._build(locals())


class balloon_CL(_Balloon):
    """Balloon model with classic coefficients and the linear BOLD equation.

    Parameters as ``balloon_RN``, without ``r_0``.
    """

    _coefficients, _signal, _title = "classic", "linear", "BoldNeuron CL"

    def __init__(self, phi=1.0, kappa=1 / 1.54, gamma=1 / 2.46, E_0=0.34, tau=0.98,
                 alpha=0.33, V_0=0.02, v_0=40.3, TE=40 / 1000.0, epsilon=1.43):
        self._build(locals())


class balloon_maith2021(BoldModel):
    """The balloon model of Maith et al. (2021): the coefficients of Friston et al. (2000)
    (k_1 = 7 E_0, k_2 = 2, k_3 = 2 E_0 - 0.2) and their fitted hemodynamic parameters."""

    def __init__(self):
        values = {"phi": 1.0, "kappa": 0.665, "gamma": 0.412, "E_0": 0.3424, "tau": 1.0368,
                  "alpha": 0.3215, "V_0": 0.02}
        super().__init__(parameters=_parameters("balloon_maith2021", values, flag=""),
                         equations=_BALLOON + _COEFFICIENTS["friston"] + _SIGNAL["nonlinear"],
                         inputs="I_CBF", output="BOLD", name="Maith2021 BOLD model",
                         description="balloon model of Maith et al. (2021)")


# Two damped oscillators: blood flow (f_in, driven by I_CBF) and oxygen metabolism (r, driven
# by I_CMRO2). The flow is under-damped (an undershoot after a stimulus), the metabolism ten
# times stiffer and critically damped (kappa^2 = 4 gamma); I_CMRO2 is scaled so that equal
# inputs give equal steady states. The outflow lags a growing volume (tau_out1) less than a
# shrinking one (tau_out2): the balloon's viscoelastic effect (Buxton et al., 2004).
_TWO_INPUTS = {"kappa_CBF": 0.6 * math.sqrt(4 / 2.46), "gamma_CBF": 1 / 2.46,
               "kappa_CMRO2": math.sqrt(4 * 10 / 2.46), "gamma_CMRO2": 10 / 2.46,
               "phi_CBF": 1.0, "phi_CMRO2": 1.0, "E_0": 0.34, "tau": 0.98, "alpha": 0.33,
               "V_0": 0.02, "v_0": 40.3, "TE": 40 / 1000.0, "epsilon": 1.0, "r_0": 25.0,
               "tau_out1": 0.0, "tau_out2": 20.0}
_TWO_INPUTS_EQUATIONS = """
    I_CBF = sum(I_CBF)                                                   : init=0
    second * ds_CBF/dt = phi_CBF * I_CBF - kappa_CBF * s_CBF
                         - gamma_CBF * (f_in - 1)                        : init=0
    second * df_in/dt = s_CBF                                            : init=1, min=0.01
    I_CMRO2 = sum(I_CMRO2)                                               : init=0
    second * ds_CMRO2/dt = phi_CMRO2 * I_CMRO2 * (gamma_CMRO2 / gamma_CBF)
                           - kappa_CMRO2 * s_CMRO2 - gamma_CMRO2 * (r - 1) : init=0
    second * dr/dt = s_CMRO2                                             : init=1, min=0.01
    dv = f_in - v**(1 / alpha)
    tau_out = if dv > 0: tau_out1 else: tau_out2
    f_out = v**(1 / alpha) + tau_out * dv / (tau + tau_out)              : init=1, min=0.01
    dq/dt = (r - (q / v) * f_out) / (second * tau)                       : init=1, min=0.01
    dv/dt = dv / (tau + tau_out) / second                                : init=1, min=0.01
""" + _COEFFICIENTS["revised"] + _SIGNAL["nonlinear"]


class balloon_two_inputs(BoldModel):
    """The two-input balloon model of Maith et al. (2022): ``I_CBF`` drives the blood flow,
    ``I_CMRO2`` the oxygen metabolism ``r``; revised coefficients, non-linear BOLD equation."""

    def __init__(self):
        super().__init__(parameters=_parameters("balloon_two_inputs", _TWO_INPUTS, flag=""),
                         equations=_TWO_INPUTS_EQUATIONS, inputs=["I_CBF", "I_CMRO2"],
                         output="BOLD", name="BOLD model with two inputs",
                         description="balloon model with CBF and CMRO2 inputs "
                                     "(Maith et al., 2022)")

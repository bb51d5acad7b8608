"""Built-in spiking models with the parameter names and defaults of ANNarchy 4.8.2.

Each class's arguments are its parameters. Conductances g_exc/g_inh receive the
weights of the incoming spikes; the IF/EIF models use the exponential method.
"""

from ..core.neuron import Neuron
from ..core.synapse import Synapse

__all__ = ["Izhikevich", "IF_curr_exp", "IF_cond_exp", "IF_curr_alpha", "IF_cond_alpha",
           "HH_cond_exp", "EIF_cond_exp_isfa_ista", "EIF_cond_alpha_isfa_ista", "STP", "STDP"]


def _arguments(values):
    """A constructor's parameters, in order, from its locals()."""
    return {name: value for name, value in values.items() if name not in ("self", "__class__")}


def _parameters(values):
    return "\n".join(f"{name} = {value}" for name, value in values.items())


_SYNAPSES = """
    tau_syn_E * dg_exc/dt = - g_exc : exponential
    tau_syn_I * dg_inh/dt = - g_inh : exponential
"""
_ALPHA = """
    gmax_exc = exp((tau_syn_E - dt/2.0)/tau_syn_E)
    gmax_inh = exp((tau_syn_I - dt/2.0)/tau_syn_I)
"""
_ALPHA_SYNAPSES = _SYNAPSES + """
    tau_syn_E * dalpha_exc/dt = gmax_exc * g_exc - alpha_exc : exponential
    tau_syn_I * dalpha_inh/dt = gmax_inh * g_inh - alpha_inh : exponential
"""
_LEAK = "cm * dv/dt = cm/tau_m*(v_rest - v)"


class Izhikevich(Neuron):
    """Izhikevich (2003) quadratic integrate-and-fire neuron with recovery variable u."""

    def __init__(self, a=0.02, b=0.2, c=-65.0, d=8.0, v_thresh=30.0, i_offset=0.0, noise=0.0,
                 tau_refrac=0.0, conductance="g_exc - g_inh"):
        super().__init__(
            parameters=_parameters(dict(noise=noise, a=a, b=b, c=c, d=d, v_thresh=v_thresh,
                                        i_offset=i_offset, tau_refrac=tau_refrac)),
            equations=f"""
                I = {conductance} + noise * Normal(0.0, 1.0) + i_offset
                dv/dt = 0.04 * v^2 + 5.0 * v + 140.0 - u + I : init = -65.0
                du/dt = a * (b*v - u) : init = -13.0
            """,
            spike="v > v_thresh", reset="v = c\nu += d", refractory="tau_refrac",
            name="Izhikevich", description="Izhikevich quadratic spiking neuron.")


class _IF(Neuron):
    """Leaky integrate-and-fire neurons of the PyNN family."""

    _input = ""
    _extra = ""
    _synapses = _SYNAPSES

    def _build(self, values, name):
        super().__init__(
            parameters=_parameters(values),
            equations=self._extra + f"{_LEAK} + {self._input} + i_offset : exponential, "
                                    "init=-65.0\n" + self._synapses,
            spike="v > v_thresh", reset="v = v_reset", refractory="tau_refrac", name=name,
            description=(self.__doc__ or "").strip())


class IF_curr_exp(_IF):
    """Integrate-and-fire neuron with exponentially decaying current synapses."""

    _input = "g_exc - g_inh"

    def __init__(self, v_rest=-65.0, cm=1.0, tau_m=20.0, tau_refrac=0.0, tau_syn_E=5.0,
                 tau_syn_I=5.0, v_thresh=-50.0, v_reset=-65.0, i_offset=0.0):
        self._build(_arguments(locals()), "IF_curr_exp")


class IF_cond_exp(_IF):
    """Integrate-and-fire neuron with exponentially decaying conductance synapses."""

    _input = "g_exc * (e_rev_E - v) + g_inh * (e_rev_I - v)"

    def __init__(self, v_rest=-65.0, cm=1.0, tau_m=20.0, tau_refrac=0.0, tau_syn_E=5.0,
                 tau_syn_I=5.0, e_rev_E=0.0, e_rev_I=-70.0, v_thresh=-50.0, v_reset=-65.0,
                 i_offset=0.0):
        self._build(_arguments(locals()), "IF_cond_exp")


class IF_curr_alpha(_IF):
    """Integrate-and-fire neuron with alpha-shaped current synapses."""

    _input = "alpha_exc - alpha_inh"
    _extra = _ALPHA
    _synapses = _ALPHA_SYNAPSES

    def __init__(self, v_rest=-65.0, cm=1.0, tau_m=20.0, tau_refrac=0.0, tau_syn_E=5.0,
                 tau_syn_I=5.0, v_thresh=-50.0, v_reset=-65.0, i_offset=0.0):
        self._build(_arguments(locals()), "IF_curr_alpha")


class IF_cond_alpha(_IF):
    """Integrate-and-fire neuron with alpha-shaped conductance synapses."""

    _input = "alpha_exc * (e_rev_E - v) + alpha_inh * (e_rev_I - v)"
    _extra = _ALPHA
    _synapses = _ALPHA_SYNAPSES

    def __init__(self, v_rest=-65.0, cm=1.0, tau_m=20.0, tau_refrac=0.0, tau_syn_E=5.0,
                 tau_syn_I=5.0, e_rev_E=0.0, e_rev_I=-70.0, v_thresh=-50.0, v_reset=-65.0,
                 i_offset=0.0):
        self._build(_arguments(locals()), "IF_cond_alpha")


class HH_cond_exp(Neuron):
    """Hodgkin-Huxley neuron (Na, K, leak) with exponential conductance synapses."""

    def __init__(self, gbar_Na=20.0, gbar_K=6.0, gleak=0.01, cm=0.2, v_offset=-63.0,
                 e_rev_Na=50.0, e_rev_K=-90.0, e_rev_leak=-65.0, e_rev_E=0.0, e_rev_I=-80.0,
                 tau_syn_E=0.2, tau_syn_I=2.0, i_offset=0.0, v_thresh=0.0):
        super().__init__(
            parameters=_parameters(dict(
                gbar_Na=gbar_Na, gbar_K=gbar_K, gleak=gleak, cm=cm, v_offset=v_offset,
                e_rev_Na=e_rev_Na, e_rev_K=e_rev_K, e_rev_leak=e_rev_leak, e_rev_E=e_rev_E,
                e_rev_I=e_rev_I, tau_syn_E=tau_syn_E, tau_syn_I=tau_syn_I, i_offset=i_offset,
                v_thresh=v_thresh)),
            equations="""
                prev_v = v
                an = 0.032 * (15.0 - v + v_offset) / (exp((15.0 - v + v_offset)/5.0) - 1.0)
                am = 0.32 * (13.0 - v + v_offset) / (exp((13.0 - v + v_offset)/4.0) - 1.0)
                ah = 0.128 * exp((17.0 - v + v_offset)/18.0)
                bn = 0.5 * exp((10.0 - v + v_offset)/40.0)
                bm = 0.28 * (v - v_offset - 40.0) / (exp((v - v_offset - 40.0)/5.0) - 1.0)
                bh = 4.0/(1.0 + exp(10.0 - v + v_offset))
                dn/dt = an * (1.0 - n) - bn * n : init = 0.0, exponential
                dm/dt = am * (1.0 - m) - bm * m : init = 0.0, exponential
                dh/dt = ah * (1.0 - h) - bh * h : init = 1.0, exponential
                cm * dv/dt = gleak*(e_rev_leak - v) + gbar_K * n**4 * (e_rev_K - v) + gbar_Na * m**3 * h * (e_rev_Na - v) + g_exc * (e_rev_E - v) + g_inh * (e_rev_I - v) + i_offset : exponential, init=-65.0
            """ + _SYNAPSES,
            spike="(v > v_thresh) and (prev_v <= v_thresh)", reset="",
            name="HH_cond_exp", description="Hodgkin-Huxley neuron with conductance synapses.")


class _EIF(Neuron):
    """Adaptive exponential integrate-and-fire (AdEx) neurons."""

    def _build(self, values, alpha, name):
        inputs = "alpha_exc * (e_rev_E - v) + alpha_inh * (e_rev_I - v)" if alpha else \
            "g_exc * (e_rev_E - v) + g_inh * (e_rev_I - v)"
        super().__init__(
            parameters=_parameters(values),
            equations=(_ALPHA if alpha else "") + f"""
                I = {inputs} + i_offset
                tau_m * dv/dt = (v_rest - v + delta_T * exp((v-v_thresh)/delta_T)) + tau_m/cm*(I - w) : init=-70.6
                tau_w * dw/dt = a * (v - v_rest) / 1000.0 - w
            """ + (_ALPHA_SYNAPSES if alpha else _SYNAPSES),
            spike="v > v_spike", reset="v = v_reset\nw += b", refractory="tau_refrac",
            name=name, description=(self.__doc__ or "").strip())


class EIF_cond_exp_isfa_ista(_EIF):
    """AdEx neuron with exponential conductance synapses."""

    def __init__(self, v_rest=-70.6, cm=0.281, tau_m=9.3667, tau_refrac=0.1, tau_syn_E=5.0,
                 tau_syn_I=5.0, e_rev_E=0.0, e_rev_I=-80.0, tau_w=144.0, a=4.0, b=0.0805,
                 i_offset=0.0, delta_T=2.0, v_thresh=-50.4, v_reset=-70.6, v_spike=-40.0):
        self._build(_arguments(locals()), False, "EIF_cond_exp_isfa_ista")


class EIF_cond_alpha_isfa_ista(_EIF):
    """AdEx neuron with alpha-shaped conductance synapses."""

    def __init__(self, v_rest=-70.6, cm=0.281, tau_m=9.3667, tau_refrac=0.1, tau_syn_E=5.0,
                 tau_syn_I=5.0, e_rev_E=0.0, e_rev_I=-80.0, tau_w=144.0, a=4.0, b=0.0805,
                 i_offset=0.0, delta_T=2.0, v_thresh=-50.4, v_reset=-70.6, v_spike=-40.0):
        self._build(_arguments(locals()), True, "EIF_cond_alpha_isfa_ista")


class STP(Synapse):
    """Short-term plasticity (Tsodyks-Markram): depression x and facilitation u."""

    def __init__(self, tau_rec=100.0, tau_facil=0.01, U=0.5):
        super().__init__(
            parameters=f"tau_rec = {tau_rec} : projection\ntau_facil = {tau_facil} : projection\n"
                       f"U = {U}",
            equations="dx/dt = (1 - x)/tau_rec : init = 1.0, event-driven\n"
                      "du/dt = (U - u)/tau_facil : init = 0.5, event-driven",
            pre_spike="g_target += w * u * x\nx *= (1 - u)\nu += U * (1 - u)",
            name="Short-term plasticity", description="Tsodyks-Markram synapse.")


class STDP(Synapse):
    """Trace-based spike-timing-dependent plasticity with clipped weights."""

    def __init__(self, tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.01, w_min=0.0,
                 w_max=1.0):
        super().__init__(
            parameters="\n".join(f"{k} = {v} : projection" for k, v in dict(
                tau_plus=tau_plus, tau_minus=tau_minus, A_plus=A_plus, A_minus=A_minus,
                w_min=w_min, w_max=w_max).items()),
            equations="tau_plus * dx/dt = -x : event-driven\n"
                      "tau_minus * dy/dt = -y : event-driven",
            pre_spike="g_target += w\nx += A_plus * w_max\nw = clip(w + y, w_min, w_max)",
            post_spike="y -= A_minus * w_max\nw = clip(w + x, w_min, w_max)",
            name="Spike-timing dependent plasticity", description="Online STDP.")

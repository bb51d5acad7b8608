"""Built-in rate-coded models. Each is a class whose arguments are its parameters."""

from ..core.neuron import Neuron
from ..core.synapse import Synapse

__all__ = ["LeakyIntegrator", "Hebb", "Oja", "IBCM"]


class LeakyIntegrator(Neuron):
    """Leaky integrator: ``tau * dv/dt + v = sum + B (+ noise)``, ``r = pos(v - T)``.

    ``sum`` is the input expression (default ``sum(exc) - sum(inh)``), ``noise``
    an optional random term such as ``'Normal(0.0, 1.0)'``. Exponential Euler.
    """

    def __init__(self, tau=10.0, B=0.0, T=0.0, sum="sum(exc) - sum(inh)", noise=None):
        noise_term = f" + {noise}" if noise else ""
        super().__init__(
            parameters=f"tau = {tau} : population\nB = {B}\nT = {T} : population",
            equations=f"tau * dv/dt + v = {sum} + B{noise_term} : exponential\nr = pos(v - T)",
            name="Leaky-Integrator",
            description="Leaky integrator with a positive transfer function and optional noise.")


class Hebb(Synapse):
    """Hebbian rule: ``dw/dt = eta * pre.r * post.r``, weights kept positive."""

    def __init__(self, eta=0.01):
        super().__init__(parameters=f"eta = {eta} : projection",
                         equations="dw/dt = eta * pre.r * post.r : min=0.0, explicit",
                         name="Hebbian Synapse", description="Hebbian learning rule.")


class Oja(Synapse):
    """Oja's rule: ``dw/dt = eta * (pre.r * post.r - alpha * post.r^2 * w)``."""

    def __init__(self, eta=0.01, alpha=1.0):
        super().__init__(
            parameters=f"eta = {eta} : projection\nalpha = {alpha} : projection",
            equations="dw/dt = eta * (pre.r * post.r - alpha * post.r^2 * w) : min=0.0, explicit",
            name="Oja learning rule", description="Hebbian rule with Oja's normalisation.")


class IBCM(Synapse):
    """BCM rule with a sliding threshold ``theta``, the running mean of ``post.r^2``."""

    def __init__(self, eta=0.01, tau=2000.0):
        super().__init__(
            parameters=f"eta = {eta} : projection\ntau = {tau} : projection",
            equations="tau * dtheta/dt + theta = post.r^2 : postsynaptic, exponential\n"
                      "dw/dt = eta * post.r * (post.r - theta) * pre.r : min=0.0, explicit",
            name="IBCM", description="Intrator and Cooper BCM learning rule.")

"""Semi-implicit Euler: implicit in the linear part of each ODE, explicit in the rest.

With ``dx/dt = a*x + b``: ``x += dt * (a*x + b) / (1 - a*dt)``, which equals
backward Euler for a linear ODE. Each ODE is treated on its own: the other
variables of its block keep their old values, as in the reference.
"""

import sympy

from . import DT, Update, linear_split


def integrate(block, model):
    updates = []
    for x, f, line in block:
        a, _ = linear_split(f, x, model, line, "semiimplicit")
        updates.append(Update(f"_k_{x}", DT * f / (1 - a * DT), temp=True))
    return updates + [Update(str(x), sympy.Symbol(f"_k_{x}"), "+=") for x, _, _ in block]

"""Exponential Euler for ODEs linear in their own variable.

``dx/dt = a*x + b`` (that is ``tau*dx/dt + x = A`` with ``tau = -1/a`` and
``A = -b/a``) becomes ``x += (1 - exp(a*dt)) * (A - x)``: exact when ``a`` and
``b`` are constant over the step.
"""

import sympy

from . import DT, Update, linear_split


def integrate(block, model):
    updates = []
    for x, f, line in block:
        a, b = linear_split(f, x, model, line, "exponential")
        updates.append(Update(f"_k_{x}", (1 - sympy.exp(a * DT)) * (-b / a - x), temp=True))
    return updates + [Update(str(x), sympy.Symbol(f"_k_{x}"), "+=") for x, _, _ in block]

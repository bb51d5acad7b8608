"""Forward Euler: the derivatives at the start of the step, all from old values."""

import sympy

from . import DT, Update


def integrate(block, model):
    slopes = [Update(f"_k_{x}", f, temp=True) for x, f, _ in block]
    return slopes + [Update(str(x), DT * sympy.Symbol(f"_k_{x}"), "+=") for x, _, _ in block]

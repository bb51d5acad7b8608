"""Second-order Runge-Kutta (midpoint): the slope taken half a step ahead."""

import sympy

from . import DT, Update


def integrate(block, model):
    updates = [Update(f"_k1_{x}", f, temp=True) for x, f, _ in block]
    middle = {x: sympy.Symbol(f"_mid_{x}") for x, _, _ in block}
    updates += [Update(f"_mid_{x}", x + DT / 2 * sympy.Symbol(f"_k1_{x}"), temp=True)
                for x, _, _ in block]
    updates += [Update(f"_k2_{x}", f.xreplace(middle), temp=True) for x, f, _ in block]
    return updates + [Update(str(x), DT * sympy.Symbol(f"_k2_{x}"), "+=") for x, _, _ in block]

"""Classic fourth-order Runge-Kutta."""

import sympy

from . import DT, Update


def integrate(block, model):
    updates = [Update(f"_k1_{x}", f, temp=True) for x, f, _ in block]
    for stage, (previous, fraction) in enumerate((("k1", DT / 2), ("k2", DT / 2), ("k3", DT)), 2):
        point = {x: sympy.Symbol(f"_p{stage}_{x}") for x, _, _ in block}
        updates += [Update(f"_p{stage}_{x}", x + fraction * sympy.Symbol(f"_{previous}_{x}"),
                           temp=True) for x, _, _ in block]
        updates += [Update(f"_k{stage}_{x}", f.xreplace(point), temp=True) for x, f, _ in block]
    k = lambda i, x: sympy.Symbol(f"_k{i}_{x}")  # noqa: E731
    return updates + [Update(str(x), DT / 6 * (k(1, x) + 2 * k(2, x) + 2 * k(3, x) + k(4, x)), "+=")
                      for x, _, _ in block]

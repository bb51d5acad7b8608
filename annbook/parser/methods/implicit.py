"""Backward Euler: the derivatives at the end of the step.

The block is solved symbolically for the new values (all ODEs of the block at
once), so it must be linear in its variables.
"""

import sympy
from sympy.solvers.solveset import NonlinearError

from ...errors import ModelError
from . import DT, Update


def integrate(block, model):
    new = {x: sympy.Symbol(f"_new_{x}") for x, _, _ in block}
    system = [new[x] - x - DT * f.xreplace(new) for x, f, _ in block]
    unknowns = list(new.values())
    try:
        matrix, rhs = sympy.linear_eq_to_matrix(system, unknowns)
        solution = matrix.LUsolve(rhs)
    except (NonlinearError, ValueError, NotImplementedError, ZeroDivisionError):
        raise ModelError(model, "the implicit method needs ODEs linear in their variables",
                         block[0][2], "a linear ODE, or the explicit, midpoint or rk4 method") from None
    updates = [Update(f"_new_{x}", sympy.factor_terms(solution[i]), temp=True)
               for i, (x, _, _) in enumerate(block)]
    return updates + [Update(str(x), new[x]) for x, _, _ in block]

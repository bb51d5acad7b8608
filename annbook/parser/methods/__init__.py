"""Numerical methods: one module each, all with the same interface.

``integrate(block, dt)`` takes a block of ODEs integrated together, a list of
``(variable_symbol, derivative_expression, source_line)``, and returns the
assignments that advance them one step: a list of ``Update``. Temporaries are
named ``_<something>_<variable>``; the last updates write the variables.
"""

from dataclasses import dataclass

import sympy

__all__ = ["Update", "integrator", "DT"]

DT = sympy.Symbol("dt")


@dataclass
class Update:
    """``target op expr``; ``temp`` targets are local C doubles."""

    target: str
    expr: object
    op: str = "="
    temp: bool = False


def integrator(method):
    """The module implementing a method name (already normalised)."""
    from . import explicit, implicit, semiimplicit, exponential, midpoint, rk4
    return {"explicit": explicit, "implicit": implicit, "semiimplicit": semiimplicit,
            "exponential": exponential, "midpoint": midpoint, "rk4": rk4}[method]


def linear_split(f, x, model, line, method):
    """Write ``f`` as ``a*x + b`` with ``a`` free of ``x``.

    ``b`` may still hold non-linear functions of ``x`` (as in the reference);
    powers of ``x`` or an ``a`` of zero are refused.
    """
    from ...errors import ModelError
    parts = sympy.collect(sympy.expand(f, power_base=False, power_exp=False, log=False,
                                       multinomial=False), x, evaluate=False, exact=False)
    a = parts.get(x, sympy.S.Zero)
    if set(parts) - {x, sympy.S.One} or a == 0 or a.has(x):
        raise ModelError(model, f"the {method} method needs an ODE linear in '{x}' with a "
                         "decay term", line, f"a form such as 'tau * d{x}/dt = A - {x}', "
                         "or the explicit, midpoint or rk4 method")
    return a, parts.get(sympy.S.One, sympy.S.Zero)

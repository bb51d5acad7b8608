"""User functions: global ones (``add_function``) and Python callables for them.

In equations a function is compiled inline; from Python, ``functions('f')``
(or ``pop.f`` for a model's own functions) evaluates the same expression on
numpy arrays.
"""

import numpy as np

from ..errors import ANNarchyException, ModelError
from ..parser.description import parse_functions

__all__ = ["add_function", "functions", "global_functions", "numpy_callable"]

_global_functions = {}


def add_function(function):
    """Declare a global one-line function, e.g. ``add_function('sigmoid(x) = 1/(1+exp(-x))')``."""
    if not isinstance(function, str):
        raise ModelError("add_function", f"the function must be a string, not a "
                         f"{type(function).__name__}", None, "'name(x, y) = expression'")
    for entry in parse_functions("add_function", function):
        _global_functions[entry[0]] = entry


def global_functions():
    """(name, args, body, line) of every global function, in declaration order."""
    return list(_global_functions.values())


def functions(name, network=None):
    """A global function as a Python callable working on numbers and arrays."""
    if name not in _global_functions:
        raise ANNarchyException(f"functions(): no global function called '{name}'; "
                                "declare it with add_function('name(x) = ...')")
    return numpy_callable("add_function", _global_functions[name], list(_global_functions.values()))


_NUMPY = {
    "pos": lambda x: np.maximum(x, 0.0), "neg": lambda x: np.minimum(x, 0.0),
    "clip": np.clip, "ite": lambda c, a, b: np.where(c, a, b),
    "modulo": lambda a, b: np.fmod(np.trunc(a), np.trunc(b)),
    "power": np.power, "_fmax": np.fmax, "_fmin": np.fmin, "fmax": np.fmax, "fmin": np.fmin,
    "round": np.round, "isfinite": np.isfinite, "isnan": np.isnan, "log10": np.log10,
    "log2": np.log2, "exp2": np.exp2, "cbrt": np.cbrt,
}


def numpy_callable(model, entry, known):
    """Compile one (name, args, body, line) function to a numpy callable via sympy."""
    import sympy
    from ..parser.analysis import analyse_function
    arities = {n: len(a) for n, a, _, _ in known}
    callables = {}
    for other in known:
        if other[0] != entry[0]:
            callables[other[0]] = lambda *xs, _o=other: numpy_callable(model, _o, known)(*xs)
    name, args, body, line = entry
    expr = analyse_function(model, name, args, body, line, arities)
    return sympy.lambdify([sympy.Symbol(a) for a in args], expr,
                          modules=[dict(_NUMPY, **callables), "numpy"])


def clear_functions():
    _global_functions.clear()

"""sympy expressions to C, with annbook's names for variables and functions."""

import sympy
from sympy.printing.c import C99CodePrinter

__all__ = ["CPrinter", "all_of", "any_of"]

# opaque function -> C template (arguments as {0}, {1}, ...)
_TEMPLATES = {
    "pos": "ab_pos({0})", "neg": "ab_neg({0})", "clip": "ab_clip({0}, {1}, {2})",
    "modulo": "ab_modulo({0}, {1})", "power": "ab_power({0}, {1})",
    "ite": "(({1}) if ({0}) else ({2}))", "round": "round({0})", "isfinite": "isfinite({0})",
    "isnan": "isnan({0})", "log10": "log10({0})", "log2": "log2({0})", "exp2": "exp2({0})",
    "cbrt": "cbrt({0})", "_fmax": "fmax({0}, {1})", "_fmin": "fmin({0}, {1})",
    "fmax": "fmax({0}, {1})", "fmin": "fmin({0}, {1})",
}


def all_of(conditions):
    """C text of the conjunction of side-effect-free ``conditions`` without short-circuit:
    Cython's ``and`` branches, and a branch in a loop over neurons makes gcc store each
    array twice under masks and reload it (COBA's update ran 20 % slower); random draws
    are locals drawn before the expression, so evaluating every operand changes nothing."""
    return _truths(" & ", conditions)


def any_of(conditions):
    """C text of the disjunction of side-effect-free ``conditions``, as ``all_of``."""
    return _truths(" | ", conditions)


def _truths(operator, conditions):
    return "(" + operator.join(f"(<bint> {c})" for c in conditions) + ")"


def _real(number):
    """A number of an expression in the network's precision (``real``), so that a float
    network computes in float (C reads an unsuffixed literal as a double)."""
    return f"(<real> {number})"


class CPrinter(C99CodePrinter):
    """Prints an expression as Cython-compatible C.

    ``names`` maps a symbol name to its C text (``p.v[i]``, ``p.tau[0]``...);
    user functions are prefixed with ``function_prefix``. The conditional
    expression uses Cython's ``a if c else b`` so the code stays valid Cython.
    """

    def __init__(self, names, function_prefix="fn_"):
        super().__init__({"full_prec": True})
        self.names = names
        self.function_prefix = function_prefix

    def _print_Symbol(self, expr):
        return self.names.get(expr.name, expr.name)

    def _print_Integer(self, expr):
        return _real(f"{int(expr)}.0" if abs(int(expr)) < 2**52 else f"{float(expr)!r}")

    def _print_Rational(self, expr):
        return _real(f"({int(expr.p)}.0/{int(expr.q)}.0)")

    def _print_Float(self, expr):
        return _real(repr(float(expr)))

    def _print_Pi(self, expr):
        return _real("3.141592653589793")

    def _print_BooleanTrue(self, expr):
        return "1"

    def _print_BooleanFalse(self, expr):
        return "0"

    def _print_Abs(self, expr):
        return f"fabs({self._print(expr.args[0])})"

    def _print_Pow(self, expr):
        base, exponent = expr.args
        if exponent.is_Integer and 1 <= abs(int(exponent)) <= 4:
            text = "*".join([f"({self._print(base)})"] * abs(int(exponent)))
            return f"({text})" if exponent > 0 else f"({_real('1.0')}/({text}))"
        if exponent.is_Float and float(exponent) == int(float(exponent)) \
                and 1 <= abs(int(float(exponent))) <= 4:
            return self._print_Pow(sympy.Pow(base, sympy.Integer(int(float(exponent))),
                                             evaluate=False))
        if exponent == sympy.Rational(1, 2) or (exponent.is_Float and float(exponent) == 0.5):
            return f"sqrt({self._print(base)})"
        if exponent == -sympy.Rational(1, 2):
            return f"({_real('1.0')}/sqrt({self._print(base)}))"
        return f"pow({self._print(base)}, {self._print(exponent)})"

    def _print_Relational(self, expr):
        op = {"==": "==", "!=": "!=", "<": "<", ">": ">", "<=": "<=", ">=": ">="}[expr.rel_op]
        return f"({self._print(expr.lhs)} {op} {self._print(expr.rhs)})"

    def _print_And(self, expr):
        return all_of(self._print(a) for a in expr.args)

    def _print_Or(self, expr):
        return any_of(self._print(a) for a in expr.args)

    def _print_Not(self, expr):
        return f"(not {self._print(expr.args[0])})"

    def _print_Function(self, expr):
        name = type(expr).__name__
        args = [self._print(a) for a in expr.args]
        if name in _TEMPLATES:
            return _TEMPLATES[name].format(*args)
        if isinstance(type(expr), sympy.core.function.UndefinedFunction):
            return f"{self.function_prefix}{name}({', '.join(args)})"
        return super()._print_Function(expr)

    def _print_ceiling(self, expr):
        return f"ceil({self._print(expr.args[0])})"

    def _print_floor(self, expr):
        return f"floor({self._print(expr.args[0])})"

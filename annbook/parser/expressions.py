"""Right-hand sides to sympy, by walking Python's AST.

Walking the AST (instead of ``sympify``) keeps user names such as ``beta`` or
``gamma`` plain symbols. Every name must be known: model attributes, built-in
names, constants, functions. Special calls become special symbols:
``sum(exc)`` -> ``_sum_exc`` (also for a target named like a Python keyword,
``sum(in)``), ``pre.sum(exc)`` / ``post.sum(exc)`` in synapses -> ``_pre_sum_exc`` /
``_post_sum_exc``, ``mean(r)`` -> ``_mean_r``, and each random draw ``Uniform(0, 1)``
-> a fresh ``_rand_<k>`` whose distribution is recorded. An expression that sympy
reduces to an infinite or undefined value (``I / (r - r)``) is refused.
"""

import ast
import math
from dataclasses import dataclass

import sympy

from ..errors import ModelError
from .syntax import original_text, parse_expression

__all__ = ["ExpressionContext", "RandomDraw", "to_sympy", "opaque", "DISTRIBUTIONS",
           "GLOBAL_OPERATIONS"]

DISTRIBUTIONS = {"Uniform": 2, "DiscreteUniform": 2, "Normal": 2, "LogNormal": 2,
                 "Exponential": 1, "Gamma": 2, "Binomial": 2}
GLOBAL_OPERATIONS = ("mean", "max", "min", "norm1", "norm2")

_SYMPY_FUNCTIONS = {
    "exp": sympy.exp, "log": sympy.log, "sqrt": sympy.sqrt, "sin": sympy.sin,
    "cos": sympy.cos, "tan": sympy.tan, "asin": sympy.asin, "acos": sympy.acos,
    "atan": sympy.atan, "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh,
    "atan2": sympy.atan2, "fabs": sympy.Abs, "abs": sympy.Abs, "floor": sympy.floor,
    "ceil": sympy.ceiling, "pow": sympy.Pow,
}
# Functions sympy must not look into; the C printer knows each of them.
_OPAQUE = {"pos": 1, "positive": 1, "neg": 1, "negative": 1, "clip": 3, "modulo": 2,
           "power": 2, "ite": 3, "round": 1, "isfinite": 1, "isnan": 1, "log10": 1,
           "log2": 1, "exp2": 1, "cbrt": 1, "fmax": 2, "fmin": 2, "_fmax": 2, "_fmin": 2}
_ALIASES = {"positive": "pos", "negative": "neg"}
_opaque_cache = {}


def opaque(name):
    """A sympy function that stays unevaluated (pos, clip, user functions...)."""
    if name not in _opaque_cache:
        _opaque_cache[name] = sympy.Function(name)
    return _opaque_cache[name]


@dataclass
class RandomDraw:
    """One random number drawn per element and step."""

    symbol: str
    distribution: str
    args: tuple          # sympy expressions


class ExpressionContext:
    """What names an expression of one model may use.

    ``names`` maps a visible name to its sympy symbol; ``functions`` maps user
    function names to their number of arguments. Parsing records the sums,
    global operations and random draws it meets.
    """

    def __init__(self, model, names, functions=None, targets_allowed=True, synapse=False,
                 spiking_sides=None):
        self.model = model
        self.names = dict(names)
        self.functions = dict(functions or {})
        self.targets_allowed = targets_allowed
        self.synapse = synapse             # pre.sum(target) and post.sum(target) are allowed,
        self.spiking_sides = dict(spiking_sides or {})   # but not of these: side -> neuron name
        self.sums = set()
        self.side_sums = set()             # ('pre' or 'post', target)
        self.global_operations = set()     # (operation, variable)
        self.random_draws = []
        self.line = None


def to_sympy(text, ctx):
    """Parse one right-hand side into a sympy expression."""
    return _Walker(ctx).visit(parse_expression(ctx.model, text, ctx.line).body)


_BINARY = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
           ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b,
           ast.Pow: lambda a, b: sympy.Pow(a, b), ast.Mod: lambda a, b: opaque("modulo")(a, b)}
_COMPARE = {ast.Lt: sympy.Lt, ast.LtE: sympy.Le, ast.Gt: sympy.Gt, ast.GtE: sympy.Ge,
            ast.Eq: sympy.Eq, ast.NotEq: sympy.Ne, ast.Is: sympy.Eq, ast.IsNot: sympy.Ne}


class _Walker:
    def __init__(self, ctx):
        self.ctx = ctx

    def fail(self, problem, expected):
        raise ModelError(self.ctx.model, problem, self.ctx.line, expected)

    def visit(self, node):
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            self.fail(f"'{ast.unparse(node)}' is not allowed in an equation",
                      "arithmetic, comparisons, function calls and 'if c: a else: b'")
        return method(node)

    def visit_Constant(self, node):
        if isinstance(node.value, bool):
            return sympy.true if node.value else sympy.false
        if isinstance(node.value, (int, float)):
            if not math.isfinite(node.value):
                self.fail("a number is too large for a double (it reads as infinite)",
                          "a finite number")
            return sympy.Integer(node.value) if isinstance(node.value, int) else sympy.Float(node.value)
        self.fail(f"the value {node.value!r} is not a number", "numbers, True or False")

    def visit_Name(self, node):
        name = node.id
        if name in self.ctx.names:
            return self.ctx.names[name]
        if name == "pi":
            return sympy.pi
        if name in ("True", "False"):
            return sympy.true if name == "True" else sympy.false
        self.fail(f"unknown name '{name}'",
                  "a parameter or variable of the model, a Constant, t, dt or pi")

    def visit_Attribute(self, node):
        if isinstance(node.value, ast.Name) and node.value.id in ("pre", "post"):
            key = f"{node.value.id}.{node.attr}"
            if key in self.ctx.names:
                return self.ctx.names[key]
            self.fail(f"'{key}' is not an attribute of the {node.value.id}-synaptic neuron",
                      f"a parameter or variable of the {node.value.id}-synaptic neuron model")
        self.fail(f"'{ast.unparse(node)}' is not allowed here", "pre.x or post.x in synapses")

    def visit_UnaryOp(self, node):
        operand = self.visit(node.operand)
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return operand
        if isinstance(node.op, ast.Not):
            return sympy.Not(operand)
        self.fail(f"operator in '{ast.unparse(node)}' is not supported", "+, -, not")

    def visit_BinOp(self, node):
        op = _BINARY.get(type(node.op))
        if op is None:
            self.fail(f"operator in '{ast.unparse(node)}' is not supported", "+ - * / ^ %")
        left, right = self.visit(node.left), self.visit(node.right)
        try:
            return self._finite(node, op(left, right))
        except TypeError:
            self.fail(f"'{ast.unparse(node)}' mixes a condition with arithmetic",
                      "ite(condition, a, b) to turn a condition into a number")

    def _finite(self, node, expr):
        """``expr``, unless sympy reduced it to a value that is not a finite real number
        (``I / (r - r)``, ``log(0)``, ``sqrt(-1)``): C code could not compute it."""
        if expr.has(sympy.nan):
            what = "an undefined value (0/0)"
        elif expr.has(sympy.zoo, sympy.oo, -sympy.oo):
            what = "an infinite value (a division by zero, or log(0))"
        elif expr.has(sympy.I):
            what = "an imaginary value"
        else:
            return expr
        self.fail(f"'{original_text(ast.unparse(node))}' cannot be computed: sympy reduces it to "
                  f"{what}", "an expression that stays a finite real number, e.g. a "
                  "denominator that is not identically zero")

    def visit_BoolOp(self, node):
        values = [self.visit(v) for v in node.values]
        return sympy.And(*values) if isinstance(node.op, ast.And) else sympy.Or(*values)

    def visit_Compare(self, node):
        parts, left = [], self.visit(node.left)
        for op, comparator in zip(node.ops, node.comparators):
            right = self.visit(comparator)
            relation = _COMPARE.get(type(op))
            if relation is None:
                self.fail(f"comparison in '{ast.unparse(node)}' is not supported",
                          "==, !=, <, >, <=, >=, is, is not")
            parts.append(relation(left, right, evaluate=False))
            left = right
        return parts[0] if len(parts) == 1 else sympy.And(*parts)

    def visit_Call(self, node):
        if self._side_sum(node):
            return self._sum(node, node.func.value.id)
        if not isinstance(node.func, ast.Name):
            self.fail(f"'{ast.unparse(node.func)}' cannot be called", "a function name")
        name = node.func.id
        if node.keywords:
            self.fail(f"keyword arguments in '{ast.unparse(node)}' are not supported",
                      "positional arguments")
        if name == "sum":
            return self._sum(node)
        if name in GLOBAL_OPERATIONS and len(node.args) == 1:
            return self._global_operation(name, node)
        if name in DISTRIBUTIONS:
            return self._random(name, node)
        args = [self.visit(a) for a in node.args]
        if name in self.ctx.functions:
            self._check_arity(name, node, self.ctx.functions[name])
            return opaque(name)(*args)
        if name in ("max", "min") and len(args) == 2:
            return opaque("_fmax" if name == "max" else "_fmin")(*args)
        if name in _SYMPY_FUNCTIONS:
            if name == "pow":
                self._check_arity(name, node, 2)
            return self._finite(node, _SYMPY_FUNCTIONS[name](*args))
        if name in _OPAQUE:
            self._check_arity(name, node, _OPAQUE[name])
            return opaque(_ALIASES.get(name, name))(*args)
        self.fail(f"unknown function '{name}'",
                  "a math function (exp, log, sqrt, ...), pos, neg, clip, modulo, power, ite, "
                  "a random distribution, or a function declared in 'functions' or add_function()")

    def _check_arity(self, name, node, expected):
        if len(node.args) != expected:
            self.fail(f"'{name}' takes {expected} argument(s), {len(node.args)} given",
                      f"{name}(" + ", ".join(f"a{i}" for i in range(expected)) + ")")

    @staticmethod
    def _side_sum(node):
        """``pre.sum(...)`` or ``post.sum(...)``."""
        func = node.func
        return isinstance(func, ast.Attribute) and func.attr == "sum" and \
            isinstance(func.value, ast.Name) and func.value.id in ("pre", "post")

    def _sum(self, node, side=None):
        """``sum(target)`` of a neuron, ``pre.sum(target)`` / ``post.sum(target)`` of a synapse."""
        call = f"{side}.sum" if side else "sum"
        if side and not self.ctx.synapse:
            self.fail(f"'{original_text(ast.unparse(node))}' is only available in synapses",
                      "sum(target) in neuron equations")
        if side in self.ctx.spiking_sides:
            self.fail(f"'{original_text(ast.unparse(node))}': the {side}-synaptic neuron "
                      f"'{self.ctx.spiking_sides[side]}' is spiking, it has conductances instead "
                      "of weighted sums", f"its conductance, e.g. {side}.g_exc")
        if not side and not self.ctx.targets_allowed:
            expected = "pre.sum(target) or post.sum(target)" if self.ctx.synapse else "no sum()"
            self.fail("sum(target) is only available in neuron equations", expected + " here")
        if side and not node.args:
            self.fail(f"'{ast.unparse(node)}' needs a target", f"{call}(target), e.g. {call}(exc)")
        if not node.args:
            self.ctx.sums.add("")
            return sympy.Symbol("_sum_")
        if len(node.args) != 1 or not isinstance(node.args[0], ast.Name) or node.keywords:
            self.fail(f"'{original_text(ast.unparse(node))}' is not a valid sum",
                      f"{call}(target), e.g. {call}(exc)")
        target = original_text(node.args[0].id)
        if side:
            self.ctx.side_sums.add((side, target))
            return sympy.Symbol(f"_{side}_sum_{target}")
        self.ctx.sums.add(target)
        return sympy.Symbol("_sum_" + target)

    def _global_operation(self, name, node):
        arg = node.args[0]
        if isinstance(arg, ast.Name) and arg.id in self.ctx.names:
            self.ctx.global_operations.add((name, arg.id))
            return sympy.Symbol(f"_{name}_{arg.id}")
        if isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name) \
                and arg.value.id in ("pre", "post"):
            key = f"{arg.value.id}.{arg.attr}"
            self.visit(arg)
            self.ctx.global_operations.add((name, key))
            return sympy.Symbol(f"_{name}_{arg.value.id}_{arg.attr}")
        self.fail(f"the global operation '{ast.unparse(node)}' needs a variable name",
                  f"{name}(x) where x is a variable of the model")

    def _random(self, name, node):
        if len(node.args) != DISTRIBUTIONS[name]:
            self._check_arity(name, node, DISTRIBUTIONS[name])
        args = tuple(self.visit(a) for a in node.args)
        symbol = f"_rand_{len(self.ctx.random_draws)}"
        self.ctx.random_draws.append(RandomDraw(symbol, name, args))
        return sympy.Symbol(symbol)

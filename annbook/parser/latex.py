"""Model text to LaTeX, without sympy: what the rich display and report() typeset.

An expression is parsed with Python's AST (``parser/syntax.py``, the same
reading the model parser does) and printed back as LaTeX: fractions, powers,
greek letters and subscripts for names such as ``tau_m``, ``r^{pre}`` for
``pre.r``, cases for conditionals. It prints what the user wrote, it does not
simplify. Anything it cannot print raises ``ValueError``; the display then
shows the text as code.
"""

import ast

from ..errors import ModelError
from .description import _ODE
from .syntax import parse_expression, python_syntax

__all__ = ["expression_latex", "statement_latex", "name_latex"]

_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
          "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi",
          "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi",
          "Psi", "Omega"}
_FUNCTIONS = {"exp": r"\exp", "log": r"\log", "sin": r"\sin", "cos": r"\cos", "tan": r"\tan",
              "sinh": r"\sinh", "cosh": r"\cosh", "tanh": r"\tanh", "asin": r"\arcsin",
              "acos": r"\arccos", "atan": r"\arctan", "max": r"\max", "min": r"\min",
              "fmax": r"\max", "fmin": r"\min", "log10": r"\log_{10}", "log2": r"\log_{2}"}
_DISTRIBUTIONS = {"Normal": r"\mathcal{N}", "Uniform": r"\mathcal{U}"}
_COMPARE = {ast.Lt: "<", ast.LtE: r"\leq", ast.Gt: ">", ast.GtE: r"\geq", ast.Eq: "=",
            ast.NotEq: r"\neq", ast.Is: "=", ast.IsNot: r"\neq"}
_OPERATORS = {"=": "=", "+=": r"\mathrel{+}=", "-=": r"\mathrel{-}=", "*=": r"\mathrel{*}=",
              "/=": r"\mathrel{/}="}
_DERIVATIVE = "__derivative_"
# binding strength of what a node prints: parentheses go around weaker operands
_LOGIC, _RELATION, _SUM, _PRODUCT, _SIGN, _POWER, _ATOM = range(7)


def name_latex(name):
    """``tau_m`` -> ``\\tau_{m}``, ``g_exc`` -> ``g_{\\mathrm{exc}}``, ``noise`` -> ``\\mathrm{noise}``."""
    if name == "dt":
        return r"\Delta t"
    if name.startswith(_DERIVATIVE):
        return r"\frac{d" + name_latex(name[len(_DERIVATIVE):]) + "}{dt}"
    base, _, subscript = name.partition("_")
    if not base:                                # a leading underscore: print the name as is
        return _text(name)
    text = _symbol(base)
    if subscript:
        text += "_{" + (_symbol(subscript) if "_" not in subscript else _text(subscript)) + "}"
    return text


def _symbol(word):
    if word in _GREEK:
        return "\\" + word
    return word if len(word) == 1 else _text(word)


def _text(word):
    return r"\mathrm{" + word.replace("_", r"\_") + "}"


def _number(text):
    """A number as the user wrote it; ``2.5e-4`` as ``2.5 \\times 10^{-4}``."""
    mantissa, e, exponent = text.lower().partition("e")
    if not e:
        return text
    prefix = "" if mantissa in ("1", "1.", "1.0") else mantissa + r" \times "
    return prefix + "10^{" + str(int(exponent)) + "}"


class _Printer:
    """Walks an expression's AST; each visit returns (latex, binding strength).

    ``source`` is the text that was parsed: numbers are printed as written there.
    """

    def __init__(self, source):
        self.source = source

    def visit(self, node):
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise ValueError(f"cannot print {ast.dump(node)}")
        return method(node)

    def wrapped(self, node, weakest):
        """LaTeX of ``node``, in parentheses when it binds less than ``weakest``."""
        text, strength = self.visit(node)
        return rf"\left({text}\right)" if strength < weakest else text

    def visit_Constant(self, node):
        if isinstance(node.value, bool):
            return _text(str(node.value)), _ATOM
        if not isinstance(node.value, (int, float)):
            raise ValueError(f"not a number: {node.value!r}")
        return _number(ast.get_source_segment(self.source, node) or repr(node.value)), _ATOM

    def visit_Name(self, node):
        return name_latex(node.id), _ATOM

    def visit_Attribute(self, node):
        if not (isinstance(node.value, ast.Name) and node.value.id in ("pre", "post")):
            raise ValueError("only pre.x and post.x are attributes")
        return name_latex(node.attr) + r"^{\mathrm{" + node.value.id + "}}", _POWER

    def visit_UnaryOp(self, node):
        if isinstance(node.op, ast.USub):
            return "-" + self.wrapped(node.operand, _PRODUCT), _SIGN
        if isinstance(node.op, ast.UAdd):
            return self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            return r"\neg " + self.wrapped(node.operand, _POWER), _SIGN
        raise ValueError("unknown unary operator")

    def visit_BinOp(self, node):
        op = type(node.op)
        if op is ast.Add:
            return self.wrapped(node.left, _SUM) + " + " + self.wrapped(node.right, _SUM), _SUM
        if op is ast.Sub:
            return (self.wrapped(node.left, _SUM) + " - " + self.wrapped(node.right, _PRODUCT),
                    _SUM)
        if op is ast.Mult:
            left = self.wrapped(node.left, _PRODUCT)
            right = self.wrapped(node.right, _POWER if _is_signed(node.right) else _PRODUCT)
            joint = r" \cdot " if right[:1].isdigit() or right.startswith("-") else r" \, "
            return left + joint + right, _PRODUCT
        if op is ast.Div:
            return (r"\frac{" + self.visit(node.left)[0] + "}{" + self.visit(node.right)[0] + "}",
                    _PRODUCT)
        if op is ast.Pow:
            return self._power(node.left, node.right)
        if op is ast.Mod:
            return (self.wrapped(node.left, _PRODUCT) + r" \bmod " +
                    self.wrapped(node.right, _POWER), _PRODUCT)
        raise ValueError("unknown operator")

    def _power(self, base, exponent):
        return self.wrapped(base, _ATOM) + "^{" + self.visit(exponent)[0] + "}", _POWER

    def visit_Compare(self, node):
        parts = [self.wrapped(node.left, _SUM)]
        for op, right in zip(node.ops, node.comparators):
            parts += [_COMPARE[type(op)], self.wrapped(right, _SUM)]
        return " ".join(parts), _RELATION

    def visit_BoolOp(self, node):
        joint = r" \wedge " if isinstance(node.op, ast.And) else r" \vee "
        return joint.join(self.wrapped(v, _RELATION) for v in node.values), _LOGIC

    def visit_Call(self, node):
        if not isinstance(node.func, ast.Name) or node.keywords:
            raise ValueError("only calls of named functions")
        name, args = node.func.id, node.args
        if name == "ite" and len(args) == 3:
            condition, then, otherwise = (self.visit(a)[0] for a in args)
            return (r"\begin{cases} " + then + r" & \text{if } " + condition + r" \\ " +
                    otherwise + r" & \text{otherwise} \end{cases}", _ATOM)
        if name in ("pow", "power") and len(args) == 2:
            return self._power(*args)
        if name == "sqrt" and len(args) == 1:
            return r"\sqrt{" + self.visit(args[0])[0] + "}", _ATOM
        if name in ("fabs", "abs") and len(args) == 1:
            return r"\left|" + self.visit(args[0])[0] + r"\right|", _ATOM
        if name in ("pos", "positive", "neg", "negative") and len(args) == 1:
            sign = "+" if name.startswith("pos") else "-"
            return r"\left[" + self.visit(args[0])[0] + r"\right]^{" + sign + "}", _POWER
        if name == "sum":
            inside = ", ".join(_text(a.id) if isinstance(a, ast.Name) else self.visit(a)[0]
                               for a in args)
            return _text("sum") + r"\left(" + inside + r"\right)", _ATOM
        head = _FUNCTIONS.get(name) or _DISTRIBUTIONS.get(name) or _text(name)
        inside = ", ".join(self.visit(a)[0] for a in args)
        return head + r"\left(" + inside + r"\right)", _ATOM


def _is_signed(node):
    return isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)


def expression_latex(text):
    """LaTeX of one model expression (a right-hand side, a condition); ValueError if unknown."""
    try:
        source = python_syntax(_ODE.sub(lambda m: _DERIVATIVE + m.group(1), text))
        tree = parse_expression("", source, text)
    except (SyntaxError, ModelError) as error:
        raise ValueError(str(error)) from None
    return _Printer(source).visit(tree.body)[0]


def statement_latex(lhs, op, rhs):
    """LaTeX of ``lhs op rhs``: an ODE (``tau * dv/dt + v = I``), an assignment, an update."""
    if op not in _OPERATORS:
        raise ValueError(f"unknown operator {op}")
    return expression_latex(lhs) + " " + _OPERATORS[op] + " " + expression_latex(rhs)


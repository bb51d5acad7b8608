import pytest
import sympy

from annbook.errors import ModelError
from annbook.parser.expressions import ExpressionContext, to_sympy
from annbook.codegen.cprinter import CPrinter


def ctx(*names, functions=None):
    c = ExpressionContext("M", {n: sympy.Symbol(n) for n in names}, functions)
    c.line = "the line"
    return c


def test_user_names_stay_symbols():
    beta, gamma = sympy.symbols("beta gamma")
    assert to_sympy("beta * gamma", ctx("beta", "gamma")) == beta * gamma


def test_power_operator_and_pi():
    x = sympy.Symbol("x")
    assert to_sympy("x^2 + pi", ctx("x")) == x ** 2 + sympy.pi


def test_conditionals_become_ite():
    c = ctx("x")
    expr = to_sympy("if x > 0 and (x < 2): 1 else: if x is 0: 2 else: 3", c)
    assert type(expr).__name__ == "ite"
    assert type(expr.args[2]).__name__ == "ite"


def test_special_calls_are_recorded():
    c = ctx("r", "v")
    to_sympy("sum(exc) + sum(inh) + mean(r) + max(v) + norm2(r) + Normal(0, 1) + Uniform(0, 1)", c)
    assert c.sums == {"exc", "inh"}
    assert c.global_operations == {("mean", "r"), ("max", "v"), ("norm2", "r")}
    assert [d.distribution for d in c.random_draws] == ["Normal", "Uniform"]


def test_each_random_draw_is_distinct():
    c = ctx()
    expr = to_sympy("Uniform(0, 1) - Uniform(0, 1)", c)
    assert expr != 0 and len(c.random_draws) == 2


@pytest.mark.parametrize("text,words", [
    ("x + y", "unknown name 'y'"), ("x +", "syntax error"), ("foo(x)", "unknown function 'foo'"),
    ("clip(x, 1)", "takes 3 argument"), ("x.y", "not allowed"), ("Normal(0)", "takes 2"),
    ("mean(2*x)", "needs a variable name"),
])
def test_errors_name_model_line_and_expectation(text, words):
    with pytest.raises(ModelError) as error:
        to_sympy(text, ctx("x"))
    assert words in str(error.value) and "the line" in str(error.value)


@pytest.mark.parametrize("text,expected", [
    ("pos(x)", "ab_pos(x)"), ("neg(x)", "ab_neg(x)"), ("positive(x)", "ab_pos(x)"),
    ("clip(x, 0, 1)", "ab_clip(x, (<real> 0.0), (<real> 1.0))"),
    ("modulo(x, 3)", "ab_modulo(x, (<real> 3.0))"), ("fabs(x)", "fabs(x)"), ("x^2", "((x)*(x))"),
    ("ite(x > 0, 1, 2)", "(((<real> 1.0)) if ((x > (<real> 0.0))) else ((<real> 2.0)))"),
    ("power(x, 3)", "ab_power(x, (<real> 3.0))"), ("f(x)", "fn_f(x)"), ("x / 3", "((<real> (1.0/3.0)))*x"),
])
def test_printer(text, expected):
    assert CPrinter({}).doprint(to_sympy(text, ctx("x", functions={"f": 1}))) == expected

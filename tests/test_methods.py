"""Each numerical method's update, evaluated symbolically on one step."""

import pytest
import sympy

from annbook.errors import ModelError
from annbook.parser.analysis import analyse_neuron
from annbook.parser.description import describe


def one_step(equations, values, method="explicit", dt=1.0):
    """Apply the generated updates once (sympy evaluation) and return the new values."""
    code = analyse_neuron(describe("M", "neuron", "tau = 10.0\nI = 1.0\nr = 0.0", equations, "", set()),
                          set(), [], method)
    env = dict(values, tau=10.0, I=1.0, dt=dt)
    for update in code.local_updates:
        value = float(update.expr.subs({sympy.Symbol(k): v for k, v in env.items()}))
        env[update.target] = env[update.target] + value if update.op == "+=" else value
    return env


@pytest.mark.parametrize("method,expected", [
    ("explicit", 0.1), ("implicit", 1 / 11), ("semiimplicit", 1 / 11),
    ("exponential", 1 - 2.718281828459045 ** -0.1), ("midpoint", 0.095), ("rk4", 0.0951625),
])
def test_single_linear_ode(method, expected):
    env = one_step(f"tau * dx/dt = -x + I : {method}", {"x": 0.0, "r": 0.0})
    assert env["x"] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("method,expected", [
    # values of the reference (ANNarchy 4.8.2.7) after one step of the coupled system
    ("explicit", (1.0, 0.0)), ("implicit", (2 / 9, 4 / 9)), ("semiimplicit", (0.5, 0.5)),
    ("exponential", (0.6321205588285577, 0.36787944117144233)), ("midpoint", (0.0, 0.25)),
    ("rk4", (1 / 3, 0.2604166666666667)),
])
def test_coupled_system(method, expected):
    env = one_step(f"dx/dt = -x + y : {method}\ndy/dt = -y - 0.5*x : {method}",
                   {"x": 0.0, "y": 1.0, "r": 0.0})
    assert (env["x"], env["y"]) == pytest.approx(expected, rel=1e-12)


def test_global_method_is_the_default_and_flags_win():
    env = one_step("tau * dx/dt = -x + I\ntau * dy/dt = -y + I : explicit", {"x": 0.0, "y": 0.0,
                                                                            "r": 0.0}, "implicit")
    assert env["x"] == pytest.approx(1 / 11) and env["y"] == pytest.approx(0.1)


def test_assignment_between_odes_splits_blocks():
    env = one_step("dx/dt = -x + y\nz = x\ndy/dt = -y - 0.5*x", {"x": 0.0, "y": 1.0, "z": 0.0,
                                                                 "r": 0.0})
    assert (env["x"], env["y"]) == pytest.approx((1.0, -0.5))


@pytest.mark.parametrize("method", ["exponential", "semiimplicit", "implicit"])
def test_nonlinear_odes_are_refused_by_linear_methods(method):
    with pytest.raises(ModelError) as error:
        one_step(f"dx/dt = 1 - x*x : {method}", {"x": 0.0, "r": 0.0})
    assert "linear" in str(error.value)


def test_coupled_system_cannot_mix_system_methods():
    with pytest.raises(ModelError, match="cannot mix"):
        one_step("dx/dt = -x + y : rk4\ndy/dt = -y + x : midpoint\ndz/dt = -z : rk4",
                 {"x": 0.0, "y": 1.0, "z": 0.0, "r": 0.0})

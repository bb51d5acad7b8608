import re

import pytest

from annbook.errors import ModelError
from annbook.parser.description import describe


def model(parameters="", equations="", functions="", constants=()):
    needs_r = not re.search(r"\br\b", parameters + "\n" + equations.replace("rk4", ""))
    return describe("M", "neuron", parameters + "\nr = 0.0" * needs_r, equations, functions,
                    set(constants))


def test_parameters_locality_type_and_values():
    d = model("tau = 10.0 : population\nn = 3 : int\nflag = True\nB = c", "r = B",
              constants=["c"])
    tau, n, flag, b = (d.attribute(x) for x in ("tau", "n", "flag", "B"))
    assert (tau.kind, tau.locality, tau.init) == ("parameter", "global", 10.0)
    assert n.ctype == "int" and flag.ctype == "bool" and flag.init is True
    assert b.init == "c"


def test_variables_flags():
    d = model("", "dv/dt = -v : init=-65.0, min=-90, max=40, implicit\n"
                  "g = 1 : population, int\nb = v > 0 : bool")
    v = d.attribute("v")
    assert v.kind == "variable" and v.init == -65.0
    (ode, g, b) = d.definitions
    assert (ode.form, ode.method, ode.min, ode.max) == ("ode", "implicit", "-90", "40")
    assert d.attribute("g").locality == "global" and d.attribute("g").ctype == "int"
    assert d.attribute("b").ctype == "bool"


@pytest.mark.parametrize("flag,method", [("explicit", "explicit"), ("implicit", "implicit"),
                                         ("semiimplicit", "semiimplicit"),
                                         ("exponential", "exponential"),
                                         ("midpoint", "midpoint"), ("rk4", "rk4"),
                                         ("runge-kutta4", "rk4")])
def test_every_method_flag(flag, method):
    d = model("", f"dx/dt = -x : {flag}")
    assert d.definitions[0].method == method


def test_ode_forms_are_recognised():
    d = model("tau = 1.0", "tau * dx/dt + x = 1\nd y / dt = -y\nz += 1")
    assert [(x.target, x.form, x.op) for x in d.definitions] == [
        ("x", "ode", "="), ("y", "ode", "="), ("z", "assign", "+=")]


def test_rate_neuron_must_define_r():
    with pytest.raises(ModelError, match="must define the variable 'r'"):
        describe("M", "neuron", "", "v = 1", "", set())


def test_functions_are_parsed():
    d = model(functions="sigmoid(x) = 1 / (1 + exp(-x))\nf(a, b) = a * b")
    assert [(f[0], f[1]) for f in d.functions] == [("sigmoid", ("x",)), ("f", ("a", "b"))]


@pytest.mark.parametrize("parameters,equations,words", [
    ("tau = 10", "dtau/dt = 1", "parameter"),
    ("", "dx/dt = -x : populaton", "unknown flag 'populaton'"),
    ("tau = ten", "", "not a number"),
    ("tau = 1 : implicit", "", "only applies to ODEs"),
    ("", "x + y = 1", "not a single variable"),
    ("", "x = dy/dt", "left side"),
    ("", "dx/dt += 1", "cannot be used with an ODE"),
    ("dt = 1", "", "reserved"),
    ("a = 1\na = 2", "", "declared twice"),
    ("", "x", "left side and a right side"),
])
def test_bad_descriptions_name_model_and_line(parameters, equations, words):
    with pytest.raises(ModelError) as error:
        model(parameters, equations)
    text = str(error.value)
    assert "'M'" in text and words in text and "line:" in text and "expected:" in text


@pytest.mark.parametrize("where,text,field,lineno", [
    ("parameters", "tau = 10.0\n\n# a comment\ntau = 2.0", "parameters", 4),
    ("equations", "r = 1.0\n# a comment\nv = if r > 0:\n    1.0\n  else: (2.0", "equations", 3),
    ("equations", "r = 1.0\ndv/dt = -v : init=0, mx=1", "equations", 2),
    ("functions", "f(x) = x\n\ng(y = y", "functions", 3),
])
def test_errors_name_the_argument_and_its_line(where, text, field, lineno):
    arguments = {"parameters": "", "equations": "r = 0.0", "functions": ""}
    arguments[where] = text
    with pytest.raises(ModelError) as error:
        describe("M", "neuron", arguments["parameters"], arguments["equations"],
                 arguments["functions"], set())
    assert (error.value.field, error.value.lineno) == (field, lineno)


def test_event_and_condition_errors_name_their_argument():
    with pytest.raises(ModelError) as error:
        describe("M", "neuron", "", "dv/dt = -v", "", set(), rate_coded=False,
                 events={"spike": "v > 1", "reset": "v = 0\nv = (1"})
    assert (error.value.field, error.value.lineno) == ("reset", 2)
    assert "syntax error" in str(error.value)
    with pytest.raises(ModelError) as error:
        describe("M", "neuron", "", "dv/dt = -v", "", set(), rate_coded=False,
                 events={"spike": "v >> > 1"})
    assert (error.value.field, error.value.lineno) == ("spike", 1)

"""Bad input: each case raises a named exception that quotes the model, line and expectation."""

import pytest

import annbook as ann
from annbook.build import cache


def neuron(equations, parameters="tau = 10.0", name="Broken"):
    return ann.Neuron(parameters=parameters, equations=equations, name=name)


@pytest.mark.parametrize("equations,words", [
    ("dr/dt = (undefined - r) / tau", "unknown name 'undefined'"),
    ("r = sigmoid(tau)", "unknown function 'sigmoid'"),
    ("dr/dt = r * r : exponential", "linear"),
])
def test_expression_errors_are_raised_at_compile(equations, words):
    ann.Population(2, neuron(equations))
    with pytest.raises(ann.ModelError) as error:
        ann.compile()
    text = str(error.value)
    assert "'Broken'" in text and words in text and "line:" in text and "expected:" in text
    assert isinstance(error.value, ann.ANNarchyException)


@pytest.mark.parametrize("parameters,equations,words", [
    ("tau = 10.0", "dr/dt = -r : unknownflag", "unknown flag 'unknownflag'"),
    ("tau = 10.0", "dtau/dt = 1.0\nr = tau", "'tau' is a parameter"),
    ("tau = 10.0", "v = 1.0", "must define the variable 'r'"),
    ("tau = 10.0", "dr/dt = (1 - r / tau", "syntax error"),      # read without sympy
])
def test_description_errors_are_raised_at_population_creation(parameters, equations, words):
    with pytest.raises(ann.ModelError, match=words):
        ann.Population(2, neuron(equations, parameters))


def test_simulate_before_compile():
    ann.Population(2, neuron("r = 1.0"))
    with pytest.raises(ann.ANNarchyException, match="before compile"):
        ann.simulate(10.0)
    with pytest.raises(ann.ANNarchyException, match="before compile"):
        ann.step()


def test_population_after_compile():
    ann.Population(2, neuron("r = 1.0"))
    ann.compile()
    with pytest.raises(ann.ANNarchyException, match="created after compile"):
        ann.Population(2, neuron("r = 1.0"), name="late")


def test_cleared_objects_refuse_to_work():
    pop = ann.Population(2, neuron("r = 1.0"))
    ann.clear()
    with pytest.raises(ann.ANNarchyException, match="cleared"):
        pop.r = 1.0


def test_compile_without_populations():
    with pytest.raises(ann.ANNarchyException, match="no population"):
        ann.compile()


def test_setup_errors():
    with pytest.raises(ann.InvalidConfiguration):
        ann.setup(precision="half")
    with pytest.raises(ann.InvalidConfiguration):
        ann.setup(disable_SIMD_SpMV=True)
    with pytest.warns(UserWarning, match="unknown option"):
        ann.setup(no_such_option=1)


def test_failing_c_build_reports_file_and_first_error(monkeypatch, tmp_path):
    monkeypatch.setenv("ANNBOOK_CFLAGS", "-O2 -fno-such-option-exists")
    monkeypatch.setattr(cache, "_environment", None)
    ann.Population(2, neuron("r = 1.0"))
    with pytest.raises(ann.CompilationError) as error:
        ann.compile(directory=str(tmp_path))
    assert "error" in error.value.first_error and "no-such-option" in error.value.first_error
    assert error.value.source.endswith(".failed.c")
    monkeypatch.setattr(cache, "_environment", None)


def test_missing_compiler(monkeypatch, tmp_path):
    monkeypatch.setenv("CC", "/nonexistent/gcc")
    monkeypatch.setattr(cache, "_environment", None)
    ann.Population(2, neuron("r = 1.0"))
    with pytest.raises(ann.CompilationError, match="no C compiler found"):
        ann.compile(directory=str(tmp_path))
    monkeypatch.setattr(cache, "_environment", None)

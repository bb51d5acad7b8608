"""The %%neuron / %%synapse cell magics, driven through a real IPython InteractiveShell."""

import inspect

import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

import annbook as ann
from annbook.jupyter.magics import NEURON_SECTIONS, SYNAPSE_SECTIONS, CellError

LIF = """\
parameters:
    tau = 10.0 : population
    I = 2.0
equations:
    tau * dv/dt = I - v : init=0.0
spike: v > 1.0
reset: v = 0.0
refractory: 5.0
"""


@pytest.fixture
def ip():
    config = Config()
    config.HistoryManager.hist_file = ":memory:"      # leave the user's IPython history alone
    shell = InteractiveShell.instance(config=config)
    shell.run_line_magic("load_ext", "annbook")
    names = set(shell.user_ns)
    yield shell
    for name in set(shell.user_ns) - names:
        del shell.user_ns[name]


def run(ip, magic, line, body):
    """Run a whole cell as the notebook would; returns the ExecutionResult."""
    return ip.run_cell(f"%%{magic} {line}\n{body}")


def test_sections_become_the_keyword_arguments(ip):
    result = run(ip, "neuron", "LIF", LIF)
    assert result.success
    neuron = ip.user_ns["LIF"]
    assert isinstance(neuron, ann.Neuron) and neuron.name == "LIF" and neuron.type == "spike"
    assert neuron.parameters.splitlines() == ["tau = 10.0 : population", "I = 2.0"]
    assert neuron.equations == "tau * dv/dt = I - v : init=0.0"
    assert (neuron.spike, neuron.reset, neuron.refractory) == ("v > 1.0", "v = 0.0", 5.0)
    assert result.result is neuron                 # the cell shows the model
    pop = ann.Population(3, neuron)
    assert pop.parameters == ["tau", "I"] and pop.I.tolist() == [2.0, 2.0, 2.0]


def test_a_one_line_section_may_continue_on_indented_lines(ip):
    run(ip, "neuron", "Mixed", "equations: dv/dt = -v\n    r = pos(v)\n"
                               "description: a leaky\n    integrator\n"
                               "refractory: tau_ref  # a parameter's name\n")
    neuron = ip.user_ns["Mixed"]
    assert neuron.equations == "dv/dt = -v\nr = pos(v)"
    assert neuron.description == "a leaky\nintegrator"
    assert neuron.refractory == "tau_ref"


def test_comments_and_blank_lines_anywhere(ip):
    body = "# a comment before the sections\n\nparameters:\n    tau = 10.0\n# col 0\n\n" \
           "    I = 1.0   # input\nequations:\n    r = I / tau\n"
    assert run(ip, "neuron", "Commented", body).success
    assert ann.Population(1, ip.user_ns["Commented"]).parameters == ["tau", "I"]


def test_synapse_sections(ip):
    body = ("parameters:\n    eta = 0.01 : projection\nequations:\n"
            "    dw/dt = eta * pre.r * post.r : min=0.0\npsp: w * pre.r\noperation: max\n")
    assert run(ip, "synapse", "Hebbian", body).success
    synapse = ip.user_ns["Hebbian"]
    assert isinstance(synapse, ann.Synapse) and synapse.type == "rate"
    assert (synapse.psp, synapse.operation) == ("w * pre.r", "max")
    run(ip, "synapse", "Pair", "pre_spike:\n    g_target += w\n    x += 1.0\n"
                               "post_spike: w = clip(w + x, 0.0, 1.0)\nequations:\n"
                               "    tau * dx/dt = -x : event-driven\nparameters: tau = 20.0\n")
    pair = ip.user_ns["Pair"]
    assert pair.type == "spike" and pair.pre_spike == "g_target += w\nx += 1.0"


def test_the_sections_are_the_constructor_keywords():
    for cls, sections in ((ann.Neuron, NEURON_SECTIONS), (ann.Synapse, SYNAPSE_SECTIONS)):
        keywords = set(inspect.signature(cls).parameters) - {"name", "extra_values"}
        assert set(sections) == keywords


def test_help_documents_every_section(ip):
    for magic, sections in (("neuron", NEURON_SECTIONS), ("synapse", SYNAPSE_SECTIONS)):
        doc = ip.find_cell_magic(magic).__doc__
        assert f"%%{magic} [-q] [NAME]" in doc
        for name, text in sections.items():
            assert f"{name}:" in doc and text in doc


def test_quiet_option_binds_without_display(ip):
    for option in ("-q", "--quiet"):
        result = run(ip, "neuron", f"{option} Quiet", "equations: r = 1.0")
        assert result.success and result.result is None
        assert isinstance(ip.user_ns["Quiet"], ann.Neuron)
    with pytest.raises(UsageError, match="unrecognized arguments: --loud"):
        ip.run_cell_magic("neuron", "--loud Quiet", "equations: r = 1.0")


def test_running_the_cell_again_replaces_the_model(ip):
    run(ip, "neuron", "LIF", LIF)
    first = ip.user_ns["LIF"]
    run(ip, "neuron", "LIF", LIF.replace("I = 2.0", "I = 3.0"))
    second = ip.user_ns["LIF"]
    assert second is not first and "I = 3.0" in second.parameters
    assert ann.Population(1, second).I[0] == 3.0


def test_the_body_is_never_variable_expanded(ip):
    ip.user_ns.update(x=42, name="Expanded")
    run(ip, "neuron", "Literal", "equations: r = 1.0\ndescription: costs $x and {x}, $name\n")
    assert ip.user_ns["Literal"].description == "costs $x and {x}, $name"
    with pytest.raises(UsageError, match=r"'\$name' is not a valid Python name"):
        ip.run_cell_magic("neuron", "$name", "equations: r = 1.0")
    assert "Expanded" not in ip.user_ns


@pytest.mark.parametrize("line,words", [
    ("", "needs the name of the model"),
    ("1LIF", "'1LIF' is not a valid Python name"),
    ("my-model", "'my-model' is not a valid Python name"),
    ("class", "'class' is not a valid Python name"),
])
def test_a_missing_or_invalid_name_is_a_usage_error(ip, line, words):
    with pytest.raises(UsageError, match=words):
        ip.run_cell_magic("neuron", line, "equations: r = 1.0")


@pytest.mark.parametrize("body,lineno,words", [
    # a model error: the line of the cell, comments and blank lines counted
    (LIF.replace("init=0.0", "init=0.0, foo"), 6, "unknown flag 'foo'"),
    ("parameters:\n    tau = 10.0\n\n    tau = 2.0\nequations: r = 1\n", 5,
     "'tau' is declared twice"),
    ("equations:\n    dv/dt = -v\n    r = (v + \nspike: v > 1\n", 4, "syntax error"),
    ("equations: dv/dt = -v\nspike: v >> > 1\n", 3, "syntax error"),
    ("equations: dv/dt = -v\nspike: v > 1\nreset:\n    v = 0\n    w = 1\n", 6,
     "'reset' changes 'w'"),
    ("parameters: tau = 1\nequations:\n    v = tau\n", 3, "must define the variable 'r'"),
    # the shape of the cell
    ("    tau = 10.0\nequations: r = 1\n", 2, "text before the first section"),
    ("tau = 10.0\nequations: r = 1\n", 2, "text before the first section"),
    ("equations:\n    r = 1\nv = 2\n", 4, "not indented under a section header"),
    ("equations: r = 1\nequation: v = 1\n", 3, "unknown section 'equation'"),
    ("equations: r = 1\nparameters: a = 1\nequations: v = 1\n", 4,
     "the section 'equations' appears twice (first at line 2"),
])
def test_errors_point_at_the_line_of_the_cell(ip, capsys, body, lineno, words):
    result = run(ip, "neuron", "Bad", body)
    error = result.error_in_exec
    assert isinstance(error, CellError) and isinstance(error, ann.ModelError)
    assert error.cell_lineno == lineno and words in str(error)
    cell_lines = f"%%neuron Bad\n{body}".splitlines()
    assert error.cell_line == cell_lines[lineno - 1]
    shown = capsys.readouterr().out
    assert f"line {lineno} of the cell" in shown and words in shown
    assert "Traceback" not in shown and len(shown.splitlines()) <= 4
    assert "Bad" not in ip.user_ns


def test_a_synapse_error_without_a_line_points_at_its_section(ip):
    with pytest.raises(CellError) as error:
        ip.run_cell_magic("synapse", "S", "psp: w * pre.r\noperation: median\n")
    assert error.value.cell_lineno == 3 and "unknown operation 'median'" in str(error.value)
    with pytest.raises(CellError, match="syntax error") as error:
        ip.run_cell_magic("synapse", "S", "parameters: a = 1\npsp: w * (pre.r\n")
    assert error.value.cell_lineno == 3


def test_the_cell_shows_the_model_as_html(ip):
    result = run(ip, "neuron", "LIF", LIF)
    data, _ = ip.display_formatter.format(result.result)
    assert r"\tau \, \frac{dv}{dt} = I - v" in data["text/html"]
    assert data["text/plain"].startswith("Spiking neuron 'LIF'")


def test_unload_removes_the_magics_and_the_display(ip):
    ip.run_line_magic("unload_ext", "annbook")
    try:
        assert ip.find_cell_magic("neuron") is None and ip.find_cell_magic("synapse") is None
        data, _ = ip.display_formatter.format(ann.Neuron(equations="r = 1"))
        assert "text/html" not in data
    finally:
        ip.run_line_magic("load_ext", "annbook")
    assert ip.find_cell_magic("neuron") is not None

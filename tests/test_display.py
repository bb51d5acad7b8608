"""Rich display: HTML summaries with typeset equations and current values; short reprs."""

import html
import subprocess
import sys

import numpy as np
import pytest

import annbook as ann
from annbook.jupyter import display
from annbook.parser.latex import expression_latex, name_latex, statement_latex


def text_of(fragment):
    """The HTML as the browser's text (entities decoded), what MathJax reads."""
    return html.unescape(fragment)


@pytest.mark.parametrize("source,latex", [
    ("tau_m", r"\tau_{m}"), ("g_exc", r"g_{\mathrm{exc}}"), ("noise", r"\mathrm{noise}"),
    ("v_half", r"v_{\mathrm{half}}"), ("E_L", "E_{L}"), ("t_last_spike", r"t_{\mathrm{last\_spike}}"),
])
def test_names(source, latex):
    assert name_latex(source) == latex


@pytest.mark.parametrize("source,latex", [
    ("I - v + g_exc * (E_exc - v)", r"I - v + g_{\mathrm{exc}} \, \left(E_{\mathrm{exc}} - v\right)"),
    ("0.04 * v^2 + 5 * v", r"0.04 \, v^{2} + 5 \, v"),
    ("(a + b) / (c - d)", r"\frac{a + b}{c - d}"),
    ("a - (b - c)", r"a - \left(b - c\right)"),
    ("2 * 3", r"2 \cdot 3"),
    ("w * pre.r", r"w \, r^{\mathrm{pre}}"),
    ("pre.r^2", r"\left(r^{\mathrm{pre}}\right)^{2}"),
    ("-x^2", "-x^{2}"),
    ("(-x)^2", r"\left(-x\right)^{2}"),
    ("exp(-x / tau)", r"\exp\left(\frac{-x}{\tau}\right)"),
    ("sqrt(fabs(x))", r"\sqrt{\left|x\right|}"),
    ("pos(v)", r"\left[v\right]^{+}"),
    ("sum(exc)", r"\mathrm{sum}\left(\mathrm{exc}\right)"),
    ("sigma * Normal(0.0, 1.0)", r"\sigma \, \mathcal{N}\left(0.0, 1.0\right)"),
    ("v >= v_thresh and not b", r"v \geq v_{\mathrm{thresh}} \wedge \neg b"),
    ("if v < 1.0: v else: 1.0",
     r"\begin{cases} v & \text{if } v < 1.0 \\ 1.0 & \text{otherwise} \end{cases}"),
    ("1e-3 * x", r"10^{-3} \, x"),
    ("2.5e-4", r"2.5 \times 10^{-4}"),
])
def test_expressions(source, latex):
    assert expression_latex(source) == latex


def test_statements_keep_the_form_the_user_wrote():
    assert statement_latex("tau * dv/dt + v", "=", "I") == r"\tau \, \frac{dv}{dt} + v = I"
    assert statement_latex("u", "+=", "d") == r"u \mathrel{+}= d"
    with pytest.raises(ValueError):
        expression_latex("v +* 1")


def lif():
    return ann.Neuron(parameters="tau = 10.0 : population\nI = 2.0\nv_thresh = 1.0",
                      equations="tau * dv/dt = I - v : init=0.5, max=2.0\nr = v",
                      spike="v > v_thresh", reset="v = 0.0", refractory=5.0, name="LIF",
                      description="a leaky <integrate-and-fire> neuron")


def test_neuron_html_shows_typeset_equations_and_values():
    page = text_of(display.model_html(lif()))
    assert r"\(\displaystyle \tau \, \frac{dv}{dt} = I - v\)" in page
    assert r"\(\displaystyle v > v_{\mathrm{thresh}}\)" in page
    assert r"\(\displaystyle v = 0.0\)" in page
    assert "Refractory period</b></div>5 ms" in page
    assert "max=2.0" in page
    assert "a leaky <integrate-and-fire> neuron" in page       # escaped in the HTML
    assert "&lt;integrate-and-fire&gt;" in display.model_html(lif())
    for row in ("<td", "tau", "10", "population"), ("I", "2", "neuron"), ("v", "0.5", "neuron"):
        assert all(cell in page for cell in row)


def test_synapse_html_shows_events_and_psp():
    stdp = ann.STDP()
    page = text_of(display.model_html(stdp))
    assert r"g_{\mathrm{target}} \mathrel{+}= w" in page
    assert r"\mathrm{clip}\left(w + y, w_{\mathrm{min}}, w_{\mathrm{max}}\right)" in page
    assert "event-driven" in page and "Spiking synapse" in page
    rate = text_of(display.model_html(ann.Synapse(psp="w * pre.r", operation="max")))
    assert r"w \, r^{\mathrm{pre}}" in rate and "<code>max</code>" in rate


def test_an_invalid_model_shows_its_error():
    page = display.model_html(ann.Neuron(equations="dv/dt = -v : bogus", name="Broken"))
    assert "unknown flag &#x27;bogus&#x27;" in page and "color:#b00" in page


def test_population_html_summarises_current_values():
    pop = ann.Population((4, 5), lif(), name="exc")
    pop.I = np.arange(20.0)
    page = text_of(display.population_html(pop))
    assert "20 spiking neurons" in page and "geometry (4, 5)" in page
    assert "0 … 19 (mean 9.5)" in page                    # I: one value per neuron
    assert "10 (all)" not in page and ">10<" in page       # tau: one value per population
    assert "0.5 (all)" in page and "not compiled yet" in page
    assert r"\frac{dv}{dt}" in page                        # the model, folded below
    view = text_of(display.view_html(pop[2:6]))
    assert "4 of 20 neurons (ranks 2–5)" in view and "2 … 5 (mean 3.5)" in view


def test_projection_html_summarises_connectivity():
    pre = ann.Population(10, ann.Neuron(equations="r = 1.0"), name="pre")
    post = ann.Population(3, ann.Neuron(equations="r = sum(exc)"), name="post")
    proj = ann.Projection(pre, post, "exc", name="ff")
    assert "not connected yet" in display.projection_html(proj)
    mask = np.array([[1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
                     [1, 1, 1, 1, 0, 0, 0, 0, 0, 0],
                     [1, 1, 1, 1, 1, 1, 0, 0, 0, 0]], dtype=float)
    weights = np.where(mask > 0, np.arange(30.0).reshape(3, 10), np.nan)
    proj.connect_from_matrix([[None if np.isnan(w) else w for w in row] for row in weights],
                             delays=2.0)
    page = text_of(display.projection_html(proj))
    assert "<code>pre</code> → <code>post</code>" in page
    assert ">12<" in page                                  # synapses
    assert "3 of 3" in page
    assert "2 … 6 (mean 4)" in page                        # synapses per post neuron
    assert "0 … 3 (mean 1.2)" in page                      # synapses per pre neuron
    assert "2 ms (all)" in page
    assert f"0 … 25 (mean {weights[mask > 0].mean():.4g})" in page
    dendrite = text_of(display.dendrite_html(proj.dendrite(1)))
    assert "4 synapses" in dendrite and "ranks 0–3" in dendrite and "10 … 13" in dendrite


def test_monitor_and_network_html_follow_the_simulation():
    pop = ann.Population(5, ann.Neuron(parameters="I = 1.0", equations="dr/dt = I - r"),
                         name="rates")
    monitor = ann.Monitor(pop, "r", period=2.0)
    network = pop._network
    assert "not compiled yet" in display.network_html(network)
    ann.compile()
    ann.simulate(10.0)
    page = text_of(display.monitor_html(monitor))
    assert "Population 'rates'" in page and "every 2 ms" in page and "5 samples" in page
    net = text_of(display.network_html(network))
    assert "compiled (" in net and "t = 10 ms" in net and "<code>rates</code>" in net
    assert "Population 'rates'" in net and "period (ms)" in net


def test_reprs_are_one_line():
    pop = ann.Population(5, ann.Neuron(equations="r = 1.0"), name="p")
    monitor = ann.Monitor(pop[:2], "r")
    assert repr(monitor) == "Monitor of PopulationView of 'p' (2 neurons) recording ['r'] every 1 ms"
    assert repr(pop._network) == "Network 0: 1 population, 0 projections, 1 monitor; not compiled"
    monitor.pause()
    assert repr(monitor).endswith("(paused)")


def test_formatters_are_registered_when_imported_inside_ipython():
    code = ("from IPython.core.interactiveshell import InteractiveShell\n"
            "from traitlets.config import Config\n"
            "config = Config()\n"
            "config.HistoryManager.hist_file = ':memory:'\n"
            "shell = InteractiveShell.instance(config=config)\n"
            "import annbook as ann\n"
            "data, _ = shell.display_formatter.format(ann.Neuron(equations='r = 1.0'))\n"
            "print('text/html' in data)\n")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "True"


def test_import_outside_ipython_loads_no_notebook_layer():
    code = ("import sys, annbook\n"
            "print(sorted(m for m in sys.modules if m.startswith(('annbook.jupyter', 'IPython',"
            " 'matplotlib'))))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_refractory_parameter_is_shown_by_name():
    neuron = ann.Neuron(parameters="t_ref = 2.0", equations="dv/dt = -v", spike="v > 1",
                        reset="v = 0", refractory="t_ref")
    assert "Refractory period</b></div><code>t_ref</code>" in display.model_html(neuron)

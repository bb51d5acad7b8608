"""report(): LaTeX and Markdown descriptions of a rate-coded and a spiking network."""

import shutil
import subprocess

import pytest

import annbook as ann
from annbook.errors import NetworkError

PDFLATEX = shutil.which("pdflatex")


def rate_network():
    ann.setup(dt=0.5)
    ann.Constant("k_gain", 2.5)
    ann.add_function("sigmoid(x) = 1.0 / (1.0 + exp(-x))")
    leaky = ann.Neuron(
        parameters="tau = 10.0 : population\nbaseline = 0.1",
        equations="tau * dmp/dt + mp = sum(exc) - sum(inh) + baseline\n"
                  "r = sigmoid(k_gain * mp) : min=0.0",
        name="Leaky", description="A leaky neuron")
    oja = ann.Synapse(parameters="eta = 0.01 : projection\nalpha = 8.0 : projection",
                      equations="dw/dt = eta * (pre.r * post.r - alpha * post.r^2 * w) : min=0.0",
                      pruning="w < 0.01 : proba=0.5", name="Oja rule", description="Oja's rule")
    inp = ann.Population((10, 10), leaky, name="Input")
    out = ann.Population(20, leaky, name="Output")
    inp.baseline = ann.Uniform(0.0, 1.0)
    ann.Projection(inp, out, "exc", oja, name="ff").connect_fixed_probability(
        0.2, ann.Uniform(0.0, 1.0))
    ann.Projection(out, out, "inh").connect_all_to_all(0.5)
    ann.Projection(inp[:50], out, "inh", name="half").connect_fixed_number_pre(3, 0.1,
                                                                               delays=2.0)
    ann.Monitor(out, "r")


def spiking_network():
    ann.setup(dt=0.1)
    coba = ann.Neuron(
        parameters="El = -60.0 : population\nVr = -60.0 : population\n"
                   "Vt = -50.0 : population\ntau = 20.0 : population",
        equations="tau * dv/dt = (El - v) + g_exc * (0.0 - v)\n"
                  "tau_exc * dg_exc/dt = - g_exc : exponential",
        spike="v > Vt", reset="v = Vr", refractory=5.0, name="COBA_cell")
    coba.parameters += "\ntau_exc = 5.0 : population"
    pop = ann.Population(100, coba, name="P")
    inp = ann.PoissonPopulation(20, rates=10.0, name="noise")
    ann.Projection(pop[:80], pop, "exc").connect_fixed_probability(0.05, 0.6)
    ann.Projection(inp, pop, "exc", ann.STDP(tau_plus=20.0), name="plastic") \
        .connect_fixed_probability(0.1, ann.Uniform(0.0, 0.1), delays=ann.Uniform(1.0, 3.0))
    ann.Monitor(pop, "spike")


def written(tmp_path, name, **kwargs):
    filename = str(tmp_path / name)
    ann.report(filename, **kwargs)
    with open(filename, encoding="utf-8") as handle:
        return handle.read()


def compiles(tmp_path, name):
    result = subprocess.run([PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", name],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:]
    assert (tmp_path / name.replace(".tex", ".pdf")).stat().st_size > 0


def test_rate_coded_latex(tmp_path):
    rate_network()
    tex = written(tmp_path, "rate.tex")
    for section in ("Model summary", "Populations", "Connectivity", "Neuron models",
                    "Synapse models", "Parameters", "Input", "Measurements"):
        assert section in tex
    # equations from the parsed statements
    assert (r"\tau \, \frac{d\mathrm{mp}}{dt} + \mathrm{mp} = "
            r"\mathrm{sum}\left(\mathrm{exc}\right)") in tex
    assert r"r = \mathrm{sigmoid}\left(k_{\mathrm{gain}} \, \mathrm{mp}\right)" in tex
    assert r"\frac{dw}{dt} = \eta \, \left(r^{\mathrm{pre}} \, r^{\mathrm{post}}" in tex
    assert r"\mathrm{sigmoid}\left(x\right) = \frac{1.0}{1.0 + \exp\left(-x\right)}" in tex
    # populations, projections with connector and sizes, parameters with values, constants
    assert r"100 (10 x 10)" in tex
    assert "random, probability 0.2, weights $\\mathcal{U}\\left(0.0, 1.0\\right)$" in tex
    assert "Input (50 of 100 neurons) & Output & inh & default & random convergent, 3 " \
           "pre-synaptic neurons per post neuron, weights 0.1, delays 2.0 ms & 60" in tex
    assert "all-to-all, weights 0.5, delays 0.0 ms & 380" in tex
    assert r"$k_{\mathrm{gain}}$ & 2.5" in tex
    assert r"$\eta$ & 0.01" in tex
    assert "min 0.0, explicit method" in tex
    assert r"\textbf{Pruning condition} & $\displaystyle w < 0.01$\quad{\footnotesize " \
           "(proba=0.5)}" in tex
    assert r"\textbf{Precision}: double" in tex
    assert "Oja rule" in tex and r"Population 'Output' (r)" in tex
    assert tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")


def test_spiking_markdown(tmp_path):
    spiking_network()
    md = written(tmp_path, "spiking.md", title="COBA: a test", author="me", date="today")
    assert md.startswith('---\ntitle: "COBA: a test"\nauthor: "me"\ndate: "today"\n---')
    for heading in ("# Structure of the network", "## Populations", "## Projections",
                    "## Inputs", "## Monitors", "# Neuron models", "## COBA\\_cell",
                    "# Synapse models", "## Spike-timing dependent plasticity",
                    "# Parameters", "## Population parameters", "## Projection parameters"):
        assert "\n" + heading + "\n" in md
    assert "**Spike emitted when:**\n\n$$\nv > \\mathrm{Vt}\n$$" in md
    assert "**After a spike:**\n\n$$\nv = \\mathrm{Vr}\n$$" in md
    assert "5.0\\ \\mathrm{ms}" in md
    assert "(exponential method)" in md
    assert "**Pre-synaptic event:**" in md and "**Post-synaptic event:**" in md
    assert "x \\mathrel{+}= A_{\\mathrm{plus}} \\, w_{\\mathrm{max}}" in md
    assert "| noise | PoissonPopulation | Neurons spiking as Poisson processes. | 20 |" in md
    assert "delays $\\mathcal{U}\\left(1.0, 3.0\\right)$ ms" in md
    assert "| $\\tau_{\\mathrm{plus}}$ | 20.0 |" in md
    assert "| Population 'P' | spike | 0.1 ms |" in md


@pytest.mark.skipif(PDFLATEX is None, reason="pdflatex is not installed")
@pytest.mark.parametrize("build", [rate_network, spiking_network])
def test_latex_compiles(tmp_path, build):
    build()
    written(tmp_path, "report.tex")
    compiles(tmp_path, "report.tex")


@pytest.mark.skipif(PDFLATEX is None, reason="pdflatex is not installed")
def test_special_characters_and_includable_tables(tmp_path):
    odd = ann.Neuron(parameters="I_ext = 1.0", equations="r = I_ext", name="50% & #1_{x}^~",
                     description="a $cost$ \\ <odd> | text")
    ann.Population(3, odd, name="pop_1&2")
    tables = written(tmp_path, "tables.tex", standalone=False)
    assert r"\documentclass" not in tables and r"\begin{longtable}" in tables
    assert r"50\% \& \#1\_\{x\}\textasciicircum{}\textasciitilde{}" in tables
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\usepackage{amsmath,array,longtable}\n"
        "\\usepackage[table]{xcolor}\n\\begin{document}\n\\input{tables}\n\\end{document}\n")
    compiles(tmp_path, "main.tex")


def test_gather_subprojections(tmp_path):
    pop = ann.Population(10, ann.Neuron(equations="r = sum(exc)"), name="pop")
    ann.Projection(pop[:5], pop, "exc").connect_all_to_all(1.0)
    ann.Projection(pop[5:], pop, "exc").connect_all_to_all(1.0)
    apart = written(tmp_path, "apart.md")
    gathered = written(tmp_path, "gathered.md", gather_subprojections=True)
    assert apart.count("| pop (5 of 10 neurons) | pop |") == 2
    assert "| pop | pop | exc | default | all-to-all, weights 1.0, delays 0.0 ms; 2 " \
           "sub-projections | 90 |" in gathered


def test_bad_calls(tmp_path):
    ann.Population(2, ann.Neuron(equations="r = 1.0"))
    with pytest.raises(NetworkError, match="folder .*missing' does not exist"):
        ann.report(str(tmp_path / "missing" / "report.tex"))
    with pytest.raises(NetworkError, match=r"must end with .tex \(LaTeX\) or .md"):
        ann.report(str(tmp_path / "report.pdf"))
    assert list(tmp_path.iterdir()) == []

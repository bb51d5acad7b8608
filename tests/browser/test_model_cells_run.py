"""Model cells run in a real JupyterLab and Notebook 7: the rich display, the errors.

The notebook is the example ``examples/magics.ipynb``; its code cells, in order: imports and
``%load_ext annbook`` (0), ``%%neuron LIF`` (1), ``%%neuron Broken`` with a misspelt flag
(2, expected to fail), ``%%synapse Facilitating`` (3). The test also types cells of its own,
as a user would, for the other mistakes.
"""

import re

import pytest

from lab_page import wait_for

pytestmark = pytest.mark.browser

NOTEBOOK = "magics.ipynb"
SETUP, LIF, BROKEN, SYNAPSE = range(4)
MATH_TIMEOUT_MS = 30_000

# Typeset math in an output: MathJax 3 replaces each \( ... \) with an mjx-container.
_TYPESET = """([output, least]) => {
    const math = output.querySelectorAll('mjx-container');
    return math.length >= least ? math.length : false;
}"""

NO_NAME = """%%neuron
paramters:
    tau = 10.0 : population
equations:
    dv/dt = -v / tau : init=1.0"""
MISSPELT_SECTION = NO_NAME.replace("%%neuron", "%%neuron Leaky")


def check_rich_display(page, cell, name, least_math):
    """The cell shows annbook's summary of model ``name``, its equations typeset."""
    output = cell.locator(".jp-OutputArea-output .annbook-summary")
    output.wait_for(state="visible")
    typeset = wait_for(page.page, _TYPESET, [output.element_handle(), least_math],
                       timeout_ms=MATH_TIMEOUT_MS,
                       what=f"{least_math} equations of {name} typeset by MathJax")
    text = output.inner_text()
    assert name in text
    assert "\\(" not in text and "displaystyle" not in text, "raw LaTeX is shown: " + text
    return typeset, text


def check_short_message(text, *expected):
    """A model error shows as a few lines naming the cell's line, never a traceback."""
    for part in expected:
        assert part in text, text
    assert "Traceback" not in text and "File " not in text, text
    assert len(text.strip().splitlines()) <= 4, text


def test_model_cells_run_in_jupyterlab(lab, screenshot):
    panel = lab.open(NOTEBOOK)
    kernel = lab.wait_kernel_idle()
    lab.run_cell(panel, SETUP)

    cell, count = lab.run_cell(panel, LIF)
    typeset, text = check_rich_display(lab, cell, "LIF", least_math=4)
    for shown in ("Spiking neuron", "leaky integrate-and-fire", "tau", "v_thresh", "-50",
                  "Refractory period"):
        assert shown in text, text
    print(f"\n%%neuron LIF: {typeset} formulas typeset")
    screenshot("neuron-displayed", cell)

    cell, broken_count = lab.run_cell(panel, BROKEN)
    text = lab.output_text(cell)
    check_short_message(text, "ModelError in %%neuron Broken, line 3 of the cell: unknown "
                        "flag 'populaton'", "3 |     tau = 10.0 : populaton", "expected:")
    assert cell.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 1
    screenshot("model-error", cell)

    # The kernel lived through it: same kernel, the next cell runs and counts on.
    assert lab.kernel() == {"id": kernel["id"], "status": "idle"}
    cell, count = lab.run_cell(panel, SYNAPSE)
    assert count == broken_count + 1, "the kernel was restarted"
    check_rich_display(lab, cell, "Facilitating", least_math=2)
    screenshot("synapse-after-the-error", cell)


def test_malformed_model_cells_show_the_kernels_message(lab, screenshot):
    """Typed cells without a name and with a misspelt section: highlighted all the same,
    the kernel's message under them."""
    panel = lab.open(NOTEBOOK)
    kernel = lab.wait_kernel_idle()
    lab.run_cell(panel, SETUP)
    shown = {}
    for text, index in ((NO_NAME, SETUP), (MISSPELT_SECTION, SETUP + 1)):
        index = lab.add_cell_below(panel, index, text)
        cell, _ = lab.run_cell(panel, index)
        editor = cell.locator(".cm-content")
        assert editor.get_attribute("data-language") == "annbook"
        assert editor.locator(".annbook-invalid").all_inner_texts() == ["paramters:"]
        assert editor.locator(".annbook-section").all_inner_texts() == ["paramters:",
                                                                        "equations:"]
        shown[index] = lab.output_text(cell)
    screenshot("malformed-cells", panel)
    no_name, misspelt = shown[SETUP + 1], shown[SETUP + 2]
    check_short_message(no_name, "UsageError: %%neuron needs the name of the model: "
                        "%%neuron NAME, e.g. %%neuron LIF")
    check_short_message(misspelt, "%%neuron Leaky, line 2 of the cell: unknown section "
                        "'paramters'", "did you mean 'parameters'?")
    assert re.search(r"2 \| paramters:", misspelt), misspelt
    assert lab.kernel() == {"id": kernel["id"], "status": "idle"}


def test_model_cell_display_in_notebook_7(notebook7, screenshot):
    notebook = notebook7(NOTEBOOK)
    panel = notebook.notebook_panel()
    notebook.wait_kernel_idle()
    notebook.run_cell(panel, SETUP)
    cell, _ = notebook.run_cell(panel, LIF)
    typeset, _ = check_rich_display(notebook, cell, "LIF", least_math=4)
    print(f"\nNotebook 7, %%neuron LIF: {typeset} formulas typeset")
    screenshot("notebook7-neuron-displayed", cell)

"""Model cells are highlighted in a real JupyterLab and Notebook 7; Python cells are not.

The notebook (tests/browser/notebooks/model_cells.ipynb) holds a markdown cell, a Python
cell, a ``%%neuron`` cell, a ``%%synapse`` cell and a malformed ``%%neuron`` cell.
"""

import pytest

pytestmark = pytest.mark.browser

NOTEBOOK = "model_cells.ipynb"
CODE_CELLS, MODEL_CELLS = 4, 3
OPEN_GOAL_MS = 2000           # opening the notebook to highlighted cells, JupyterLab up
SWITCH_GOAL_MS = 100          # editors drawn to model cells highlighted: the extension's part

# annbook class -> theme variable its colour comes from (style/index.css).
COLOURS = {
    "annbook-section": "--jp-mirror-editor-header-color",
    "annbook-flag": "--jp-mirror-editor-string-2-color",
    "annbook-number": "--jp-mirror-editor-number-color",
    "annbook-comment": "--jp-mirror-editor-comment-color",
    "annbook-derivative": "--jp-mirror-editor-def-color",
    "annbook-random": "--jp-mirror-editor-string-color",
    "annbook-magic": "--jp-mirror-editor-meta-color",
}


def _tokens(cell, css_class):
    return [text for text, classes in cell["tokens"] if css_class in classes.split()]


def check_cells(cells):
    """What a user sees: the right cells in the model language, with the right tokens."""
    code = [cell for cell in cells if cell["code"]]
    assert len(code) == CODE_CELLS, cells
    python, neuron, synapse, malformed = code

    assert python["language"] == "python"
    assert python["tokens"] == [], "a Python cell carries no annbook class"
    assert "Uniform" in python["text"]

    assert neuron["language"] == "annbook"
    assert _tokens(neuron, "annbook-magic") == ["%%neuron"]
    assert _tokens(neuron, "annbook-model-name") == ["LIF"]
    assert _tokens(neuron, "annbook-section") == ["parameters:", "equations:", "spike:",
                                                  "reset:", "refractory:"]
    assert _tokens(neuron, "annbook-flag") == ["population", "init", "min"]
    assert {"10.0", "2.0", "0.1", "1.0", "5.0"} <= set(_tokens(neuron, "annbook-number"))
    assert _tokens(neuron, "annbook-comment") == ["# membrane time constant"]
    assert _tokens(neuron, "annbook-derivative") == ["dv/dt"]
    assert _tokens(neuron, "annbook-sum") == ["sum(exc)"]
    assert _tokens(neuron, "annbook-random") == ["Normal"]

    assert synapse["language"] == "annbook"
    assert _tokens(synapse, "annbook-section") == ["parameters:", "equations:", "pre_spike:",
                                                   "post_spike:"]
    assert _tokens(synapse, "annbook-flag") == ["projection", "projection", "postsynaptic",
                                                "event-driven", "event-driven", "unless_post"]
    assert _tokens(synapse, "annbook-function") == ["clip", "clip", "exp"]
    assert _tokens(synapse, "annbook-pre-post") == ["pre."]

    # No name after %%neuron and a misspelt section: still highlighted, up to and past it.
    assert malformed["language"] == "annbook"
    assert _tokens(malformed, "annbook-invalid") == ["paramters:"]
    assert _tokens(malformed, "annbook-section") == ["paramters:", "equations:"]
    assert _tokens(malformed, "annbook-flag") == ["population", "init"]
    assert _tokens(malformed, "annbook-derivative") == ["dv/dt"]


def check_colours(page, panel):
    """Each class is drawn in its theme colour (the extension's stylesheet is loaded)."""
    shown = page.token_colours(panel)
    expected = page.theme_colours(COLOURS.values())
    assert {c: shown[c] for c in COLOURS} == {c: expected[v] for c, v in COLOURS.items()}
    return shown


def _open_and_time(lab):
    start = lab.now()
    panel = lab.open(NOTEBOOK)
    return panel, lab.wait_highlighted(panel, CODE_CELLS, MODEL_CELLS, start)


def test_model_cells_are_highlighted_in_jupyterlab(lab, screenshot):
    """Opened twice (first open, then again after closing it): other processes on the
    machine slow JupyterLab's own rendering, so the best of the two is held to the goal."""
    _, first = _open_and_time(lab)
    lab.execute("application:close-all")
    panel, second = _open_and_time(lab)
    for name, times in (("first", first), ("second", second)):
        print(f"\nJupyterLab, {name} open: model cells highlighted {times['highlighted']:.0f} ms "
              f"after opening the notebook (cell editors drawn after {times['editors']:.0f} ms)")
        assert times["highlighted"] - times["editors"] < SWITCH_GOAL_MS
    screenshot("opened-light")
    screenshot("model-cells-light", panel)
    check_cells(lab.cells(panel))
    light = check_colours(lab, panel)
    assert min(first["highlighted"], second["highlighted"]) < OPEN_GOAL_MS

    lab.change_theme("JupyterLab Dark", light=False)
    screenshot("model-cells-dark", panel)
    dark = check_colours(lab, panel)
    assert dark["annbook-section"] != light["annbook-section"], "colours follow the theme"
    lab.change_theme("JupyterLab Light", light=True)


def test_editing_the_first_line_switches_the_language(lab, screenshot):
    panel = lab.open(NOTEBOOK)
    lab.wait_highlighted(panel, CODE_CELLS, MODEL_CELLS, lab.now())
    python_editor = panel.locator(".jp-CodeCell .cm-content").first
    python_editor.click()
    lab.page.keyboard.press("Control+Home")
    lab.page.keyboard.type("%%neuron Typed\n")
    lab.page.wait_for_function("(e) => e.dataset.language === 'annbook'",
                               arg=python_editor.element_handle())
    screenshot("python-cell-turned-model-cell", panel)
    typed = lab.cells(panel)[1]
    assert ["%%neuron", "annbook-magic"] in typed["tokens"]
    assert ["Typed", "annbook-model-name"] in typed["tokens"]

    for key in ("Control+Home", "Shift+End", "Backspace", "Delete"):
        lab.page.keyboard.press(key)
    lab.page.wait_for_function("(e) => e.dataset.language === 'python'",
                               arg=python_editor.element_handle())
    screenshot("back-to-python", panel)
    back = lab.cells(panel)[1]
    assert back["tokens"] == [] and back["text"].startswith("import annbook")


def test_model_cells_are_highlighted_in_notebook_7(notebook7, screenshot):
    notebook = notebook7(NOTEBOOK)
    restored = notebook.now()
    panel = notebook.notebook_panel()
    times = notebook.wait_highlighted(panel, CODE_CELLS, MODEL_CELLS, 0.0)
    print(f"\nNotebook 7: model cells highlighted by {times['highlighted']:.0f} ms after "
          f"navigation (application restored after {restored:.0f} ms)")
    assert times["highlighted"] - times["editors"] < SWITCH_GOAL_MS
    screenshot("notebook7-light")
    check_cells(notebook.cells(panel))
    check_colours(notebook, panel)

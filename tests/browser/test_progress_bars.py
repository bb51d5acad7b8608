"""Progress bars of a long ``simulate()`` and of ``parallel_run`` in a real JupyterLab.

The notebook (tests/browser/notebooks/progress.ipynb): a small network and the speed of its
simulation (code cell 0), ``simulate(..., progress_bar=True)`` of about 4 s (1), a
``parallel_run`` of 6 networks of about 1.5 s each (2; its bar appears after 2 s).
"""

import pytest

from lab_page import wait_for

pytestmark = pytest.mark.browser

NOTEBOOK = "progress.ipynb"
NETWORK, SIMULATE, SWEEP = range(3)
BAR_TIMEOUT_MS = 60_000

# The bar under a cell as the user sees it (tqdm's widget: text, bar, text), with the
# cell's prompt at the same moment; null while there is none.
_BAR = """(cell) => {
    const bar = cell.querySelector('.jp-OutputArea .widget-hprogress .progress-bar');
    if (!bar) return null;
    return {prompt: cell.querySelector('.jp-InputPrompt').textContent.trim(),
            width: parseFloat(bar.style.width),
            success: bar.classList.contains('progress-bar-success'),
            text: bar.closest('.widget-hbox').innerText.replace(/\\s+/g, ' ').trim()};
}"""
_ADVANCING = f"""(cell) => {{
    const bar = ({_BAR})(cell);
    if (bar && bar.prompt !== '[*]:') return {{finished: bar}};   // done before it was seen
    return bar && bar.width > 0 && bar.width < 100 ? bar : false;
}}"""


def check_bar(lab, panel, index, screenshot, name):
    """Runs code cell ``index``: its bar shows and advances while it runs, then is full."""
    cell, before = lab.run_cell(panel, index, wait=False)
    running = wait_for(lab.page, _ADVANCING, cell.element_handle(), timeout_ms=BAR_TIMEOUT_MS,
                       what=f"a progress bar advancing under the {name} cell while it runs")
    assert "finished" not in running, f"the {name} cell ended before its bar advanced: {running}"
    screenshot(f"{name}-running", cell)
    lab.wait_cell(cell, before)
    done = cell.evaluate(_BAR)
    screenshot(f"{name}-done", cell)
    assert done is not None and done["width"] == 100.0 and done["success"], done
    assert done["text"].startswith(f"{name}: 100%"), done
    print(f"\n{name}: while running '{running['text']}', at the end '{done['text']}'")
    return cell, done["text"]


def test_progress_bars_of_simulate_and_parallel_run(lab, screenshot):
    panel = lab.open(NOTEBOOK)
    lab.wait_kernel_idle()
    lab.run_cell(panel, NETWORK)

    _, text = check_bar(lab, panel, SIMULATE, screenshot, "simulate")
    simulated, total = text.split()[2].split("/")
    assert simulated == total, text             # seconds simulated / to simulate

    cell, text = check_bar(lab, panel, SWEEP, screenshot, "parallel_run")
    assert " 6/6 " in text, text
    assert "6 networks done" in lab.output_text(cell)

"""Every notebook of ``examples/`` runs from top to bottom in a real kernel (nbclient).

The notebooks run in quick mode (``ANNBOOK_EXAMPLE_QUICK=1``), in a temporary folder, with
this checkout of annbook and the session's build cache. A failing cell fails its test with
the cell's number, source and error. A model error in a ``%%neuron`` cell stops the notebook
there, shown as a short message.
"""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

import annbook

ROOT = Path(annbook.__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "examples").glob("*.ipynb"))
TIMEOUT = 600          # seconds for one cell (a cold build included)


def kernel_environment(cache_directory):
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return dict(os.environ, PYTHONPATH=path, ANNBOOK_CACHE_DIR=cache_directory,
                ANNBOOK_EXAMPLE_QUICK="1")


def execute(notebook, directory, cache_directory):
    client = NotebookClient(notebook, timeout=TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(directory)}})
    client.execute(env=kernel_environment(cache_directory))
    return notebook


def failed_cell(notebook):
    """(number from 1, cell) of the first cell with an error output."""
    for number, cell in enumerate(notebook.cells, start=1):
        if any(output.get("output_type") == "error" for output in cell.get("outputs", [])):
            return number, cell
    return None, None


def test_there_are_notebooks():
    assert {"neural_field", "izhikevich", "coba", "stdp", "magics"} <= {p.stem for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path, cache_directory):
    notebook = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), \
        f"{path.name} is committed with outputs; clear them"
    try:
        execute(notebook, tmp_path, cache_directory)
    except CellExecutionError as error:
        number, cell = failed_cell(notebook)
        source = cell.source if cell is not None else "?"
        pytest.fail(f"{path.name}: cell {number} failed\n--- source ---\n{source}\n"
                    f"--- error ---\n{error}", pytrace=False)
    for cell in notebook.cells:
        if cell.cell_type == "code" and "raises-exception" not in cell.metadata.get("tags", []):
            assert cell.execution_count is not None


def test_a_model_error_stops_the_notebook_at_its_cell(tmp_path, cache_directory):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("%load_ext annbook"),
                      nbformat.v4.new_code_cell("%%neuron Leaky\nequations:\n"
                                                "    dv/dt = -v : bogus\n    r = v"),
                      nbformat.v4.new_code_cell("print('not reached')")]
    with pytest.raises(CellExecutionError) as error:
        execute(notebook, tmp_path, cache_directory)
    message = str(error.value)
    assert "line 3 of the cell" in message and "unknown flag 'bogus'" in message
    assert "Traceback" not in message
    error_output, = notebook.cells[1].outputs
    assert error_output.ename == "CellError" and len(error_output.traceback) <= 4
    assert notebook.cells[2].execution_count is None


def test_precompile_reports_the_failing_cell(tmp_path, capsys, cache_directory, monkeypatch):
    from annbook.jupyter.precompile import precompile
    monkeypatch.setenv("ANNBOOK_CACHE_DIR", cache_directory)
    notebook = nbformat.v4.new_notebook()
    allowed = nbformat.v4.new_code_cell("raise ValueError('shown, not fatal')")
    allowed.metadata["tags"] = ["raises-exception"]
    notebook.cells = [nbformat.v4.new_markdown_cell("# a title"),
                      nbformat.v4.new_code_cell("import os\nquick = os.environ['ANNBOOK_EXAMPLE_QUICK']"),
                      allowed, nbformat.v4.new_code_cell("1 / 0")]
    path = tmp_path / "broken.ipynb"
    nbformat.write(notebook, path)
    assert precompile([str(path), str(tmp_path / "missing.ipynb")]) == 2
    reported = capsys.readouterr().err
    assert f"{path}: cell 4 failed: ZeroDivisionError" in reported
    assert "missing.ipynb: cannot read the notebook" in reported


def test_the_demo_needs_no_jupyter():
    """`python -m annbook demo` with IPython, ipykernel, ipywidgets and matplotlib unimportable."""
    code = ("import sys\n"
            "for name in ('IPython', 'ipykernel', 'ipywidgets', 'matplotlib', 'jupyter_client'):\n"
            "    sys.modules[name] = None\n"
            "from annbook.__main__ import main\n"
            "sys.exit(main(['demo']))\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert "1000 noisy leaky integrators" in done.stdout

"""Binder: install from ``binder/`` into a fresh virtual environment, run ``postBuild``, then
execute an example notebook in a kernel of that environment: it must load its networks from
the cache that postBuild filled (the first run in a classroom compiles nothing).

It does what repo2docker does: ``pip install -r binder/requirements.txt`` and
``binder/postBuild`` from the repository's root (here a copy of its tracked files), then the
session with the environment of ``binder/start``. pip downloads the dependencies unless its
cache has them. About 2 minutes with a warm pip cache.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "magics"

pytestmark = pytest.mark.slow


def tracked_copy(destination):
    """The files git tracks (as they are in the working tree), copied to ``destination``."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


def session_environment(venv, cache):
    """A clean environment: the venv first on PATH, no PYTHONPATH, a cache of its own."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("PYTHONPATH", "VIRTUAL_ENV", "ANNBOOK_PORTABLE",
                                  "ANNBOOK_CFLAGS", "ANNBOOK_EXAMPLE_QUICK")}
    environment.update(PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
                       ANNBOOK_CACHE_DIR=str(cache), VIRTUAL_ENV=str(venv))
    return environment


def run(command, cwd, environment, timeout=900):
    done = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, command))} failed:\n" \
                                 f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def binaries(cache):
    return sorted(path.name for path in cache.glob("*.so"))


def test_binder_environment_runs_an_example_without_compiling(tmp_path, monkeypatch):
    if not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout (the tracked files are what Binder sees)")
    repo, venv, cache = tracked_copy(tmp_path / "repo"), tmp_path / "venv", tmp_path / "cache"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    environment = session_environment(venv, cache)
    python = str(venv / "bin" / "python")
    run([python, "-m", "pip", "install", "--quiet", "-r", "binder/requirements.txt"], repo,
        environment)
    run(["bash", "binder/postBuild"], repo, environment)
    built = binaries(cache)
    assert built, "postBuild compiled nothing into the cache"

    # the session: binder/start's environment, a kernel of the venv
    start = (repo / "binder" / "start").read_text()
    assert "export ANNBOOK_PORTABLE=1" in start
    session = dict(environment, ANNBOOK_PORTABLE="1", ANNBOOK_EXAMPLE_QUICK="1")
    kernels = tmp_path / "kernels"
    run([python, "-m", "ipykernel", "install", "--prefix", str(kernels), "--name",
         "annbook-binder"], repo, environment)
    monkeypatch.setenv("JUPYTER_PATH", str(kernels / "share" / "jupyter"))
    notebook = nbformat.read(repo / "examples" / f"{NOTEBOOK}.ipynb", as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(
        "import annbook\nfrom annbook.core.network import global_network\n"
        "print(annbook.__file__, global_network().last_compile['built'])"))
    NotebookClient(notebook, timeout=600, kernel_name="annbook-binder",
                   resources={"metadata": {"path": str(repo / "examples")}}).execute(env=session)
    where, was_built = notebook.cells[-1].outputs[0].text.split()
    assert where.startswith(str(venv)) and was_built == "False"
    assert binaries(cache) == built                  # nothing new was compiled

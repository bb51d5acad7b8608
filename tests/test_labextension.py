"""The JupyterLab extension: committed build up to date, shipped in the wheel, tokenizer tests.

None of these needs Node except the wrapper of the extension's own unit tests, which skips
(with the command to run) when ``extension/node_modules`` is absent.
"""

import importlib.util
import inspect
import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import annbook as ann
from annbook.parser import description as parser_description
from annbook.parser import expressions as parser_expressions

ROOT = Path(__file__).resolve().parent.parent
EXTENSION = ROOT / "extension"
BUILD = ROOT / "annbook" / "labextension"
NAME = "annbook-jupyterlab"


def _source_hash_module():
    spec = importlib.util.spec_from_file_location("source_hash", EXTENSION / "source_hash.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _vocabulary():
    return json.loads((EXTENSION / "src" / "vocabulary.json").read_text())


def test_committed_build_matches_its_sources():
    recorded = json.loads((BUILD / "sources.json").read_text())
    source_hash = _source_hash_module()
    assert recorded["files"] == source_hash.source_files()
    assert recorded["sha256"] == source_hash.fingerprint(), (
        "annbook/labextension/ was built from other sources than extension/ holds now: "
        "run extension/build.sh and commit annbook/labextension/")


def test_committed_build_is_complete():
    package = json.loads((BUILD / "package.json").read_text())
    assert package["name"] == NAME
    assert (BUILD / package["jupyterlab"]["_build"]["load"]).is_file()
    install = json.loads((BUILD / "install.json").read_text())
    assert install["packageManager"] == "python" and install["packageName"] == "annbook"


def test_vocabulary_matches_the_parser():
    """Sections, flags, functions and distributions the highlighter knows are the parser's."""
    vocabulary = _vocabulary()
    for kind, model in (("neuron", ann.Neuron), ("synapse", ann.Synapse)):
        arguments = set(inspect.signature(model).parameters) - {"name", "extra_values"}
        assert set(vocabulary["sections"][kind]) == arguments, kind
    flags = (set(parser_description.METHODS) | parser_description.TYPES
             | parser_description.OTHER_FLAGS
             | {flag for table in parser_description.LOCALITIES.values() for flag in table})
    assert set(vocabulary["flags"]) == flags
    assert parser_description.VALUED_FLAGS <= set(vocabulary["valuedFlags"])
    assert set(vocabulary["distributions"]) == set(parser_expressions.DISTRIBUTIONS)
    public_functions = {name for name in (set(parser_expressions._SYMPY_FUNCTIONS)
                                          | set(parser_expressions._OPAQUE))
                        if not name.startswith("_")}
    assert set(vocabulary["functions"]) == (public_functions
                                            | set(parser_expressions.GLOBAL_OPERATIONS))


def test_extension_unit_tests():
    """The tokenizer's own tests (vitest), when Node and the extension's packages are there."""
    npm = shutil.which("npm")
    if npm is None or not (EXTENSION / "node_modules").is_dir():
        pytest.skip("the extension's unit tests need Node >= 20.19 and its packages: "
                    "cd extension && npm ci && npm test")
    result = subprocess.run([npm, "test"], cwd=EXTENSION, capture_output=True, text=True,
                            timeout=300, env=dict(os.environ, CI="1", NO_COLOR="1"))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """A wheel built by pip from a copy of the project (the work tree stays clean)."""
    copy = tmp_path_factory.mktemp("project")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, copy / name)
    shutil.copytree(ROOT / "annbook", copy / "annbook",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", str(copy), "--no-deps",
                             "-q", "-w", str(out)], capture_output=True, text=True, timeout=300)
    if result.returncode != 0 and "No matching distribution found for setuptools" in result.stderr:
        pytest.skip("pip could not fetch setuptools to build the wheel (no network)")
    assert result.returncode == 0, result.stderr
    (path,) = out.glob("annbook-*.whl")
    return path


@pytest.mark.slow
def test_wheel_ships_the_prebuilt_extension(wheel):
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    data = f"annbook-{ann.__version__}.data/data/share/jupyter/labextensions/{NAME}/"
    expected = {data + path.relative_to(BUILD).as_posix()
                for path in BUILD.rglob("*") if path.is_file() and path.name != "sources.json"}
    assert expected <= set(names)
    assert not [n for n in names if n.startswith("annbook/labextension")], \
        "the extension is shipped once, as data files, not also inside the package"


@pytest.mark.slow
def test_installed_wheel_is_seen_by_jupyterlab(wheel, tmp_path):
    """`jupyter labextension list` in a fresh environment with the wheel installed."""
    pytest.importorskip("jupyterlab")
    environment = tmp_path / "venv"
    venv.create(environment, system_site_packages=True, with_pip=False, symlinks=True)
    python = environment / "bin" / "python"
    # --ignore-installed: pip otherwise skips a wheel whose version the base environment has
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--ignore-installed",
                    str(wheel)], check=True, timeout=300)
    listing = subprocess.run(
        [str(python), "-c", "import sys; from jupyterlab.labextensions import main; "
                            "sys.argv = ['jupyter-labextension', 'list']; main()"],
        capture_output=True, text=True, timeout=120)
    output = listing.stdout + listing.stderr
    assert str(environment / "share" / "jupyter" / "labextensions") in output
    assert f"{NAME} v" in output and "enabled" in output and "OK" in output, output
    assert "(python, annbook)" in output, output

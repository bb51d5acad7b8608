"""Fixtures of the browser suite: a Jupyter server, headless Chromium, screenshots.

The suite runs only when asked for (``python -m pytest -m browser``, or a path inside
``tests/browser``): it takes about 80 s, the rest of the suite a minute. When Chromium,
Playwright or JupyterLab is missing, its tests skip with the command that installs them.
Screenshots of every step, the page's console and the server logs go to
``test-artifacts/browser/`` (or ``$ANNBOOK_TEST_ARTIFACTS/browser/``).
"""

import itertools
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from browser_harness import (CHROMIUM, CHROMIUM_ARGS, INSTALL_HINT, ROOT, JupyterServer,
                             missing_requirements)
from lab_page import LabPage

HERE = Path(__file__).resolve().parent
NOTEBOOKS = HERE / "notebooks"
# Example notebooks the suite opens as a user would (served next to its own notebooks).
EXAMPLES = [ROOT / "examples" / name for name in ("magics.ipynb", "live_exploration.ipynb")]
ARTIFACTS = Path(os.environ.get("ANNBOOK_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "browser"
PAGE_TIMEOUT_MS = 20_000
VIEWPORT = {"width": 1280, "height": 1000}


def _asked_for(config):
    """Whether the command line selects the browser suite (by marker or by path)."""
    if re.search(r"(?<!not )\bbrowser\b", config.option.markexpr or ""):
        return True
    return any(HERE == path or HERE in path.parents
               for path in (Path(arg.split("::")[0]).resolve() for arg in config.args))


def pytest_collection_modifyitems(config, items):
    ours = [item for item in items if HERE in Path(item.path).parents]
    if ours and not _asked_for(config):
        skip = pytest.mark.skip(reason="browser suite: run python -m pytest -m browser")
        for item in ours:
            item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the item, so that teardown knows a test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def _require(app):
    """Skips without Chromium, Playwright or the Jupyter app; fails instead where
    ``ANNBOOK_BROWSER_REQUIRED=1`` (CI), so that a broken install cannot pass as skipped."""
    missing = missing_requirements(app)
    if missing:
        message = "; ".join(missing) + f". Install with: {INSTALL_HINT}"
        if os.environ.get("ANNBOOK_BROWSER_REQUIRED") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def _start_server(app, tmp_path_factory):
    _require(app)
    root = tmp_path_factory.mktemp(f"{app}-root")
    for notebook in [*NOTEBOOKS.glob("*.ipynb"), *EXAMPLES]:
        shutil.copy(notebook, root)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    server = JupyterServer(app, root, tmp_path_factory.mktemp(f"{app}-home"),
                           ARTIFACTS / f"{app}-server.log")
    started = time.monotonic()
    server.start()
    server.startup_seconds = time.monotonic() - started
    print(f"\n{app} server answering after {server.startup_seconds:.1f} s")
    return server


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    """JupyterLab serving copies of tests/browser/notebooks and of EXAMPLES."""
    server = _start_server("lab", tmp_path_factory)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def notebook_server(tmp_path_factory):
    """Jupyter Notebook 7 serving copies of tests/browser/notebooks and of EXAMPLES."""
    server = _start_server("notebook", tmp_path_factory)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    _require("lab")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              headless=True, timeout=60_000)
    except BaseException:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def artifacts(request):
    """This test's artifact folder, emptied."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def page(browser, artifacts, request):
    """A fresh browser page; its console goes to console.log, a failure to a screenshot."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    context.set_default_navigation_timeout(60_000)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    page.console = console
    yield page
    _failure_screenshot(page, artifacts, request)
    (artifacts / "console.log").write_text("\n".join(console) + "\n")
    context.close()


def _failure_screenshot(page, artifacts, request):
    """After a failed test, the page as it was (once: before its kernels are shut down)."""
    report = getattr(request.node, "report_call", None)
    if report is None or not report.failed or (artifacts / "failure.png").exists():
        return
    try:
        page.screenshot(path=str(artifacts / "failure.png"), timeout=10_000)
    except Exception as error:       # the page itself may be what broke
        page.console.append(f"no failure screenshot: {error}")


@pytest.fixture
def screenshot(page, artifacts):
    """``screenshot(name, target=page)`` saves the next numbered step of this test."""
    steps = itertools.count(1)

    def take(name, target=None):
        path = artifacts / f"{next(steps):02d}-{name}.png"
        (target or page).screenshot(path=str(path))
        return path
    return take


@pytest.fixture
def lab(page, lab_server, artifacts, request):
    """JupyterLab loaded and restored in a fresh page; the kernels it started are shut
    down after the test."""
    yield LabPage(page, lab_server).start()
    _failure_screenshot(page, artifacts, request)
    lab_server.shutdown_kernels()


@pytest.fixture
def notebook7(page, notebook_server, artifacts, request):
    """``open(path)``: Notebook 7 showing ``path`` in a fresh page (a LabPage); the kernels
    it started are shut down after the test."""
    yield lambda path: LabPage(page, notebook_server).start(f"notebooks/{path}")
    _failure_screenshot(page, artifacts, request)
    notebook_server.shutdown_kernels()

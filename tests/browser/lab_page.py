"""What a test does in a JupyterLab or Notebook 7 page, through Playwright.

The server exposes the application object (``window.jupyterapp``); the page functions
below use it for what a user does with menus (opening a file, changing the theme) and
read the notebook from the DOM, as the user sees it.
"""

__all__ = ["LabPage"]

APP_TIMEOUT_MS = 60_000
COMMAND_TIMEOUT_MS = 20_000


def _bounded(function, timeout_ms):
    """A page function (JS source) whose promise is rejected after ``timeout_ms``."""
    return (f"(arg) => Promise.race([({function})(arg), new Promise((_, reject) => "
            f"setTimeout(() => reject(new Error('no answer within {timeout_ms} ms')), "
            f"{timeout_ms}))])")


# (text, annbook classes) of the highlighted tokens and the editor language of every cell.
_READ_CELLS = """(panel) => [...panel.querySelectorAll('.jp-Cell')].map(cell => {
    const content = cell.querySelector('.jp-InputArea .cm-content');
    const tokens = content ? [...content.querySelectorAll('[class*="annbook-"]')] : [];
    return {
        code: cell.classList.contains('jp-CodeCell'),
        language: content ? (content.dataset.language || null) : null,
        text: content ? content.innerText : '',
        tokens: tokens.map(e => [e.textContent,
            [...e.classList].filter(c => c.startsWith('annbook-')).join(' ')]),
    };
})"""

# Resolves `var(--name)` colours the way the page does, to compare with computed styles.
_RESOLVE_COLOURS = """(names) => Object.fromEntries(names.map(name => {
    const probe = document.createElement('span');
    probe.style.color = `var(${name})`;
    document.body.appendChild(probe);
    const colour = getComputedStyle(probe).color;
    probe.remove();
    return [name, colour];
}))"""

_TOKEN_COLOURS = """(panel) => {
    const colours = {};
    for (const e of panel.querySelectorAll('.cm-content [class*="annbook-"]')) {
        for (const c of e.classList) {
            if (c.startsWith('annbook-') && !(c in colours)) {
                colours[c] = getComputedStyle(e).color;
            }
        }
    }
    return colours;
}"""

# Resolves with the milliseconds from `start` until `cells` code-cell editors exist
# ("editors": JupyterLab's own rendering) and until `models` of them are in the model
# language, each showing its section headers ("highlighted"); rejects after `timeout` ms.
_WAIT_HIGHLIGHTED = """(panel, {cells, models, start, timeout}) => new Promise((resolve, reject) => {
    const times = {};
    const highlighted = () => {
        const editors = panel.querySelectorAll('.cm-content[data-language="annbook"]');
        return editors.length >= models &&
            [...editors].every(e => e.querySelector('.annbook-section'));
    };
    const limit = setTimeout(() => reject(new Error(
        `${models} model cells not highlighted within ${timeout} ms`)), timeout);
    const tick = () => {
        const now = performance.now() - start;
        if (times.editors === undefined &&
                panel.querySelectorAll('.jp-CodeCell .cm-content').length >= cells) {
            times.editors = now;
        }
        if (times.editors !== undefined && highlighted()) {
            times.highlighted = now;
            clearTimeout(limit);
            resolve(times);
        } else {
            requestAnimationFrame(tick);
        }
    };
    tick();
})"""


class LabPage:
    """A Playwright page showing JupyterLab (``app="lab"``) or Notebook 7."""

    def __init__(self, page, server):
        self.page, self.server = page, server

    def start(self, path=None):
        """Loads the application (on ``path``, e.g. ``notebooks/x.ipynb``) until restored."""
        if path is None:    # a fresh workspace: nothing restored from an earlier test
            address = self.server.url("lab") + "&reset" if self.server.app == "lab" \
                else self.server.url("tree")
        else:
            address = self.server.url(path)
        self.page.goto(address, timeout=APP_TIMEOUT_MS)
        self.page.wait_for_function("() => window.jupyterapp !== undefined",
                                    timeout=APP_TIMEOUT_MS)
        self.page.evaluate(_bounded("() => window.jupyterapp.restored.then(() => true)",
                                    APP_TIMEOUT_MS))
        return self

    def execute(self, command, arguments=None):
        """Runs an application command (what menus and shortcuts do) and waits for it."""
        self.page.evaluate(_bounded(
            "([command, args]) => window.jupyterapp.commands.execute(command, args)"
            ".then(() => true)", COMMAND_TIMEOUT_MS), [command, arguments or {}])

    def now(self):
        """The page's clock (``performance.now()``, ms)."""
        return self.page.evaluate("() => performance.now()")

    def open(self, path):
        """Opens a document with the application's command, as the file browser does."""
        self.execute("docmanager:open", {"path": path})
        return self.notebook_panel()

    def notebook_panel(self):
        """The visible notebook panel (a Playwright locator)."""
        locator = self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").first
        locator.wait_for(state="visible")
        return locator

    def wait_highlighted(self, panel, cells, models, start, timeout_ms=20_000):
        """Milliseconds from ``start`` (page clock) until the ``cells`` code cells have
        editors (``"editors"``) and ``models`` of them are highlighted (``"highlighted"``)."""
        return panel.evaluate(_WAIT_HIGHLIGHTED, {"cells": cells, "models": models,
                                                  "start": start, "timeout": timeout_ms})

    def cells(self, panel):
        """Per cell: code or not, editor language, visible text, highlighted tokens."""
        return panel.evaluate(_READ_CELLS)

    def token_colours(self, panel):
        """Computed text colour of each annbook class shown in ``panel``."""
        return panel.evaluate(_TOKEN_COLOURS)

    def theme_colours(self, variables):
        """Colours the current theme gives to CSS variables such as ``--jp-mirror-editor-...``."""
        return self.page.evaluate(_RESOLVE_COLOURS, list(variables))

    def change_theme(self, name, light):
        """Switches to theme ``name`` and waits until it is applied."""
        self.execute("apputils:change-theme", {"theme": name})
        self.page.wait_for_function(
            "([name, light]) => document.body.dataset.jpThemeName === name && "
            "document.body.dataset.jpThemeLight === String(light) && "
            "!document.querySelector('#jupyterlab-splash')", arg=[name, light])
        self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => r(true)))")

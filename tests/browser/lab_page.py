"""What a test does in a JupyterLab or Notebook 7 page, through Playwright.

The server exposes the application object (``window.jupyterapp``); the page functions
below use it for what a user does with menus (opening a file, changing the theme) and
read the notebook from the DOM, as the user sees it. Cells are run as a user runs them
(click the cell's prompt, Shift+Enter) and waited for through their prompt (``[*]:`` while
running, ``[n]:`` when done). Every wait has a timeout and fails with what it waited for.
"""

import re

__all__ = ["LabPage", "Waited", "wait_for"]

APP_TIMEOUT_MS = 60_000
COMMAND_TIMEOUT_MS = 20_000
KERNEL_TIMEOUT_MS = 120_000     # a kernel starts (imports) on a loaded machine
CELL_TIMEOUT_MS = 180_000       # a cell runs (a first compile on a loaded machine)
_DONE_PROMPT = re.compile(r"^\[(\d+)\]:$")


class Waited(AssertionError):
    """A condition of the page did not hold within its timeout."""


def wait_for(page, function, arg=None, timeout_ms=20_000, what="a condition"):
    """``page.wait_for_function`` failing with ``what`` was awaited (a test failure)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout   # the suite may skip

    try:
        return page.wait_for_function(function, arg=arg, timeout=timeout_ms).json_value()
    except PlaywrightTimeout:
        raise Waited(f"{what}: not within {timeout_ms / 1000:.0f} s") from None


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


# The kernel of the notebook shown ({id, status}), or null while it has none.
_KERNEL = """() => {
    const widget = window.jupyterapp.shell.currentWidget;
    const session = widget && widget.sessionContext && widget.sessionContext.session;
    return session && session.kernel ?
        {id: session.kernel.id, status: session.kernel.status} : null;
}"""


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

    # ------------------------------------------------------------ kernel and cells
    def kernel(self):
        """``{"id", "status"}`` of the shown notebook's kernel, or None."""
        return self.page.evaluate(_KERNEL)

    def wait_kernel_idle(self, timeout_ms=KERNEL_TIMEOUT_MS):
        """Waits until the notebook's kernel is started and idle; returns its id and status."""
        try:
            return wait_for(self.page, f"() => {{ const k = ({_KERNEL})(); "
                                       "return k && k.status === 'idle' ? k : false; }",
                            timeout_ms=timeout_ms, what="the notebook's kernel idle")
        except Waited as error:
            raise Waited(f"{error} (the kernel: {self.kernel()})") from None

    def code_cell(self, panel, index):
        """The ``index``-th code cell of ``panel`` (a locator)."""
        return panel.locator(".jp-CodeCell").nth(index)

    def run_cell(self, panel, index, wait=True, timeout_ms=CELL_TIMEOUT_MS):
        """Runs a code cell as a user does (click its prompt, Shift+Enter).

        Returns ``(cell, count)``: the cell's locator and its execution count, or, with
        ``wait=False``, the prompt it had before (for ``wait_cell``) once it is queued.
        """
        cell = self.code_cell(panel, index)
        prompt = cell.locator(".jp-InputPrompt")
        before = prompt.inner_text().strip()
        prompt.click()
        self.page.keyboard.press("Shift+Enter")
        if not wait:
            wait_for(self.page, "(p) => p.textContent.trim() === '[*]:'",
                     prompt.element_handle(), what=f"code cell {index} queued")
            return cell, before
        return cell, self.wait_cell(cell, before, timeout_ms)

    def wait_cell(self, cell, before, timeout_ms=CELL_TIMEOUT_MS):
        """Waits until ``cell`` has run (a new execution count); returns the count."""
        text = wait_for(self.page,
                        "([p, before]) => { const t = p.textContent.trim(); "
                        "return /^\\[\\d+\\]:$/.test(t) && t !== before ? t : false; }",
                        [cell.locator(".jp-InputPrompt").element_handle(), before],
                        timeout_ms=timeout_ms, what="the cell done (a new execution count)")
        return int(_DONE_PROMPT.match(text).group(1))

    def add_cell_below(self, panel, index, text):
        """Inserts a code cell holding ``text`` below code cell ``index`` (keys B, Enter, then
        the text as pasted: no auto-indent); returns its index among the code cells."""
        self.code_cell(panel, index).locator(".jp-InputPrompt").click()
        self.page.keyboard.press("b")
        self.page.keyboard.press("Enter")
        self.page.keyboard.insert_text(text)
        editor = self.code_cell(panel, index + 1).locator(".cm-content")
        wait_for(self.page, "([e, text]) => e.innerText.trim() === text.trim()",
                 [editor.element_handle(), text], what="the typed cell shows its text")
        self.page.keyboard.press("Escape")
        return index + 1

    def output_text(self, cell):
        """What the output area of ``cell`` shows, as text."""
        return cell.locator(".jp-OutputArea").inner_text()

    # ------------------------------------------------------------ widgets
    def drag_slider(self, slider, fraction, steps=8):
        """Drags the handle of an ipywidgets slider (a noUiSlider) with the mouse to
        ``fraction`` of its track; returns the wall clock of the release (``Date.now()``,
        ms since the epoch: the clock of ``time.time()`` in a kernel on this machine)."""
        handle = slider.locator(".noUi-handle")
        handle.scroll_into_view_if_needed()
        track = slider.locator(".noUi-target").bounding_box()
        box = handle.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        self.page.evaluate(_CLOCK_RELEASE)
        self.page.mouse.move(x, y)
        self.page.mouse.down()
        self.page.mouse.move(track["x"] + fraction * track["width"], y, steps=steps)
        self.page.mouse.up()
        return wait_for(self.page, "() => window.annbookReleasedAt || false",
                        what="the page saw the mouse release")

    def canvas_state(self, canvas):
        """``{"frames", "received", "hash", "at"}`` of a live plot's canvas: drawings with new
        data, frames received, a hash of its pixels, the page clock (ms)."""
        return canvas.evaluate(_CANVAS_STATE)

    def wait_plot_changed(self, canvas, before, frames=1, timeout_ms=60_000):
        """Waits until the canvas drew new data ``frames`` times and shows other pixels than
        in ``before`` (a ``canvas_state``); returns the new state."""
        return wait_for(self.page, _PLOT_CHANGED, [canvas.element_handle(), before, frames],
                        timeout_ms=timeout_ms,
                        what=f"the live plot changed ({frames} new drawings, since {before})")


# Records when the next mouse button release happens (the wall clock, ms).
_CLOCK_RELEASE = """() => {
    window.annbookReleasedAt = null;
    window.addEventListener('pointerup', () => {
        window.annbookReleasedAt = Date.now();
    }, {capture: true, once: true});
}"""

_CANVAS_STATE = """(canvas) => {
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const words = new Uint32Array(pixels.data.buffer);
    let hash = 2166136261;                      // FNV-1a over the pixels
    for (let i = 0; i < words.length; i++) hash = Math.imul(hash ^ words[i], 16777619) >>> 0;
    return {frames: Number(canvas.dataset.frames), received: Number(canvas.dataset.received),
            hash, at: performance.now()};
}"""

_PLOT_CHANGED = f"""([canvas, before, frames]) => {{
    const now = ({_CANVAS_STATE})(canvas);
    return now.frames >= before.frames + frames && now.hash !== before.hash ? now : false;
}}"""

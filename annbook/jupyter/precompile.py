"""Run notebooks once so that their networks are in the build cache (``python -m annbook
precompile``): what Binder's ``postBuild`` does, so that the first run in a classroom loads
every network instead of compiling it.

Each notebook runs top to bottom in a fresh kernel of this Python, in its own folder, in
quick mode (``ANNBOOK_EXAMPLE_QUICK=1``: the examples shorten their simulations, not their
networks). A cell tagged ``raises-exception`` may fail; any other error stops the notebook
and is reported with the cell's number.
"""

import json
import os
import re
import sys
import time

__all__ = ["NotebookError", "run_notebook", "precompile"]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class NotebookError(Exception):
    """A cell of a notebook failed."""


def _code_cells(path):
    try:
        with open(path, encoding="utf-8") as handle:
            notebook = json.load(handle)
    except (OSError, ValueError) as error:
        raise NotebookError(f"{path}: cannot read the notebook ({error})") from None
    for number, cell in enumerate(notebook["cells"], start=1):
        if cell["cell_type"] == "code":
            source = cell["source"]
            yield number, "".join(source) if isinstance(source, list) else source, \
                "raises-exception" in cell.get("metadata", {}).get("tags", [])


def run_notebook(path, timeout=1800):
    """Execute the code cells of the notebook ``path`` in a new kernel; NotebookError on failure."""
    from jupyter_client.manager import start_new_kernel
    cells = list(_code_cells(path))
    folder = os.path.dirname(os.path.abspath(path))
    environment = dict(os.environ, ANNBOOK_EXAMPLE_QUICK="1", MPLBACKEND="Agg")
    manager, client = start_new_kernel(kernel_name="python3", cwd=folder, env=environment)
    try:
        for number, source, may_fail in cells:
            reply = client.execute_interactive(source, timeout=timeout, allow_stdin=False,
                                               output_hook=lambda message: None)
            content = reply["content"]
            if content["status"] == "error" and not may_fail:
                trace = _ANSI.sub("", "\n".join(content.get("traceback", [])))
                raise NotebookError(f"{path}: cell {number} failed: {content['ename']}: "
                                    f"{content['evalue']}\n{trace}")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def precompile(paths):
    """Run each notebook of ``paths``; returns the number that failed (each is reported)."""
    failed = 0
    for path in paths:
        started = time.perf_counter()
        try:
            run_notebook(path)
        except NotebookError as error:
            failed += 1
            print(error, file=sys.stderr)
            continue
        print(f"{path}: run in {time.perf_counter() - started:.1f} s")
    return failed

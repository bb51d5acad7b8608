"""Output of a worker thread goes to the cell that showed the widget (ipykernel 6 and 7).

The kernel attributes every message it sends to a *parent* request. ipykernel 7
keeps the parent per thread (a context variable): a thread that never set one
falls back to the latest request, so ``capture()`` takes the parent in the main
thread (in the cell that shows the widget) and ``adopt()`` sets it in the worker.
ipykernel 6 keeps one parent for all threads: setting it from the worker would move
the output of the cell running at that moment, so ``adopt()`` leaves it alone there.
Widget updates are comm messages, which reach their widget whatever the parent;
that is why a live control shows everything it has to say (errors included) in
its own widgets.
"""

__all__ = ["capture", "adopt"]


def capture():
    """In the main thread: (kernel, ident, parent message) of the current request, or None
    outside a kernel."""
    kernel = _kernel()
    if kernel is None:
        return None
    return kernel, _shell_ident(kernel), kernel.get_parent("shell")


def adopt(captured):
    """In a worker thread: make this thread's output belong to the captured request."""
    if captured is None or not per_thread_parents():
        return
    kernel, ident, parent = captured
    kernel.set_parent(ident, parent, "shell")


def per_thread_parents():
    """True when the kernel keeps one parent per thread (ipykernel >= 7)."""
    import ipykernel
    return int(ipykernel.__version__.split(".")[0]) >= 7


def _kernel():
    import sys
    if "ipykernel" not in sys.modules:
        return None
    from IPython import get_ipython
    shell = get_ipython()
    return getattr(shell, "kernel", None)


def _shell_ident(kernel):
    """The routing identity of the current request (used by input() from the thread)."""
    variable = getattr(kernel, "_shell_parent_ident", None)           # ipykernel 7
    if variable is not None:
        return kernel._get_shell_context_var(variable)
    return getattr(kernel, "_parent_ident", {}).get("shell", b"")       # ipykernel 6

"""Time from running a %%neuron cell to the displayed model (the target is under 0.2 s).

usage: python benchmarks/notebook.py [--reps 3] [--no-kernel]

Two ways, each repetition in fresh processes:

  shell   a real IPython InteractiveShell in a fresh Python process: ``%load_ext
          annbook``, then ``run_cell`` of a %%neuron cell (the COBA neuron: 8
          parameters, 3 ODEs, spike, reset, refractory) with every display format
          active, as in a notebook: the magic, the model's first reading, the
          HTML with its LaTeX and the plain text. The first cell of the session
          is timed on its own, then the median of 20 more; a %%synapse cell (STDP)
          and the HTML of a 4000-neuron Population too.
  kernel  the same cell sent to a real ipykernel through jupyter_client: from the
          execute request to the execute_result carrying text/html (ZMQ included),
          first cell after %load_ext and median of 10 more.

RESULT lines: one per repetition and one median line (stat=median):
  load_ext_s        %load_ext annbook (imports annbook, numpy, the magics)
  first_cell_s      the first %%neuron cell of the session, displayed
  cell_s            a %%neuron cell (median of 20)
  synapse_cell_s    a %%synapse cell (median of 20)
  population_html_s HTML of a 4000-neuron population with per-neuron values (median of 20)
  sympy_loaded      1 if anything imported sympy (it must not)
  kernel_first_cell_s, kernel_cell_s   the kernel round trips
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import child_report, median, now, result, run_child  # noqa: E402

TARGET_S = 0.2
NEURON_CELL = """%%neuron LIF
parameters:
    tau_m = 20.0 : population      # membrane time constant (ms)
    E_leak = -60.0 : population    # reversal potentials (mV)
    E_exc = 0.0 : population
    E_inh = -80.0 : population
    tau_exc = 5.0 : population     # synaptic time constants (ms)
    tau_inh = 10.0 : population
    v_thresh = -50.0 : population
    v_reset = -60.0 : population
equations:
    tau_m * dv/dt = E_leak - v + g_exc * (E_exc - v) + g_inh * (E_inh - v) : init = -60.0
    tau_exc * dg_exc/dt = - g_exc
    tau_inh * dg_inh/dt = - g_inh
spike: v > v_thresh
reset: v = v_reset
refractory: 5.0
"""
SYNAPSE_CELL = """%%synapse STDP
parameters:
    tau_plus = 20.0 : projection
    tau_minus = 20.0 : projection
    A_plus = 0.01 : projection
    A_minus = 0.0105 : projection
    w_max = 0.01 : projection
equations:
    tau_plus * dx/dt = -x : event-driven
    tau_minus * dy/dt = -y : event-driven
pre_spike:
    g_target += w
    x += A_plus * w_max
    w = clip(w + y, 0.0, w_max)
post_spike:
    y -= A_minus * w_max
    w = clip(w + x, 0.0, w_max)
"""


def _timed_cell(shell, cell):
    started = now()
    outcome = shell.run_cell(cell)
    elapsed = now() - started
    if not outcome.success:
        raise RuntimeError(f"the cell failed: {outcome.error_in_exec!r}")
    return elapsed


def shell_child():
    """In a fresh process: the InteractiveShell measurements."""
    import io
    from contextlib import redirect_stdout
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    shell = InteractiveShell.instance(config=config)
    formatter = shell.display_formatter
    formatter.active_types = list(formatter.formatters)      # text/html computed, as in Jupyter
    quiet = io.StringIO()
    with redirect_stdout(quiet):                              # the displayed text goes nowhere
        started = now()
        shell.run_line_magic("load_ext", "annbook")
        load_s = now() - started
        first = _timed_cell(shell, NEURON_CELL)
        cells = [_timed_cell(shell, NEURON_CELL) for _ in range(20)]
        synapses = [_timed_cell(shell, SYNAPSE_CELL) for _ in range(20)]
    import numpy as np
    import annbook as ann
    population = ann.Population(4000, shell.user_ns["LIF"])
    population.v = np.linspace(-70.0, -50.0, 4000)
    html = []
    for _ in range(20):
        started = now()
        data, _ = formatter.format(population)
        html.append(now() - started)
    assert r"\frac{dv}{dt}" in data["text/html"]
    child_report(load_ext_s=load_s, first_cell_s=first, cell_s=median(cells),
                 synapse_cell_s=median(synapses), population_html_s=median(html),
                 sympy_loaded=int("sympy" in sys.modules))


def _execute(client, code):
    """Seconds from the execute request to the execute_result with text/html."""
    started = now()
    msg_id = client.execute(code)
    while True:
        message = client.get_iopub_msg(timeout=60)
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        kind = message["msg_type"]
        if kind == "error":
            raise RuntimeError("\n".join(message["content"]["traceback"]))
        if kind == "execute_result" and "text/html" in message["content"]["data"]:
            return now() - started
        if kind == "status" and message["content"]["execution_state"] == "idle":
            raise RuntimeError(f"no HTML result for {code[:30]!r}")


def kernel_times():
    """First and median %%neuron cell through a real kernel (in this process, as a client)."""
    from jupyter_client.manager import start_new_kernel
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        client.execute_interactive("%load_ext annbook", timeout=60)
        first = _execute(client, NEURON_CELL)
        rest = [_execute(client, NEURON_CELL) for _ in range(10)]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return first, median(rest)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--no-kernel", action="store_true", help="skip the kernel round trips")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        shell_child()
        return
    rows = []
    for rep in range(1, args.reps + 1):
        report, _ = run_child(__file__, ["--child"])
        if not args.no_kernel:
            report["kernel_first_cell_s"], report["kernel_cell_s"] = kernel_times()
        rows.append(report)
        result(bench="notebook", rep=rep, **report)
    medians = {key: median([row[key] for row in rows]) for key in rows[0]}
    result(bench="notebook", stat="median", reps=args.reps, **medians)
    print(f"\n%%neuron cell to displayed model: first of the session "
          f"{medians['first_cell_s'] * 1000:.1f} ms, then {medians['cell_s'] * 1000:.1f} ms "
          f"(target < {TARGET_S * 1000:.0f} ms); %%synapse {medians['synapse_cell_s'] * 1000:.1f}"
          f" ms; 4000-neuron population HTML {medians['population_html_s'] * 1000:.1f} ms; "
          f"%load_ext {medians['load_ext_s'] * 1000:.0f} ms; sympy imported: "
          f"{'yes' if medians['sympy_loaded'] else 'no'}")
    if "kernel_cell_s" in medians:
        print(f"through a kernel (ZMQ round trip): first {medians['kernel_first_cell_s'] * 1000:.1f}"
              f" ms, then {medians['kernel_cell_s'] * 1000:.1f} ms")
    slowest = max(medians.get("kernel_first_cell_s", 0.0), medians["first_cell_s"])
    print("within target" if slowest < TARGET_S else "ABOVE TARGET")


if __name__ == "__main__":
    main()

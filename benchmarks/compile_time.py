"""Compile time of a 3-population rate-coded network: cold build and cache hit.

usage: python benchmarks/compile_time.py [--reps 3]

Each measurement runs in its own fresh Python process, so the imports that
compile() triggers (sympy, Cython) and the interpreter start-up are counted.
Per repetition, with a new empty cache folder (a temporary ANNBOOK_CACHE_DIR):

  cold    process 1, network A: empty cache -> generate, cythonize, gcc, load
  cached  process 2, network B: same structure (same Neuron texts), other
          population sizes and other parameter values (set by assignment,
          ``pop.tau = ...``) -> must be a cache hit
  edited  process 3, network C: network A whose Neuron texts carry other
          *default* values (``tau = 12.0`` instead of ``tau = 10.0``); the
          generated code does not depend on them, so ideally also a cache hit

The three neuron models: one with noise (Uniform), one with a global
operation (mean(r)) integrated with rk4, one with a conditional (if/else).

RESULT lines: one per repetition (rep=1..N) and one median line (stat=median):
  cold_compile_s          ann.compile() in the cold process (includes the
                          lazy imports of sympy and Cython, code generation,
                          Cython, the C compiler and loading the module)
  cold_cython_s/cold_cc_s the Cython and C-compiler parts of it (annbook's log)
  cold_other_s            the rest: importing sympy and Cython, parsing and
                          analysing the equations, code generation, loading
  cold_compile_cpu_s      CPU time of compile(), compiler child processes included
  cold_process_total_s    wall time of the whole cold process, seen from outside
  cold_rss_mb             peak RSS of the cold process (Cython runs in-process)
  cached_compile_s        ann.compile() in the cached process
  cached_import_s         `import annbook` (numpy included) in that process
  cached_process_total_s  wall time of the whole cached process (python start-up,
                          imports, network construction, compile, 10 ms of
                          simulation, exit), seen from outside
  cached_hit              1 if annbook reported a cache hit
  cached_loaded_sympy/_cython  1 if the cached process imported sympy/Cython
  edited_compile_s, edited_hit  the same for network C
"""

import argparse
import os
import shutil
import sys
import tempfile

from _common import now, all_cpu_s, peak_rss_mb, result, child_report, run_child, median

HERE = os.path.dirname(os.path.abspath(__file__))
GOAL_COLD_S = 3.0
GOAL_CACHED_S = 0.3

NOISY = dict(parameters="""
    tau = {tau1} : population
    B = 0.5
    amp = 0.2 : population
""", equations="""
    tau * dr/dt + r = B + amp * Uniform(-1.0, 1.0) : min = 0.0
""")

GLOBAL_RK4 = dict(parameters="""
    tau = 20.0 : population
    k = {k2} : population
    I = 1.0
""", equations="""
    tau * dv/dt = I - v - k * mean(r) : rk4
    r = tanh(pos(v))
""")

CONDITIONAL = dict(parameters="""
    theta = 0.5 : population
    tau = 5.0 : population
    I = 0.0
""", equations="""
    tau * dx/dt = -x + I
    r = if x > theta: x - theta else: 0.0
""")


def build_network(ann, np, variant):
    """Network A (reference), B (other sizes and assigned values) or C (other defaults)."""
    defaults = dict(tau1="12.0", k2="0.4") if variant == "C" else dict(tau1="10.0", k2="0.3")
    n1 = ann.Neuron(parameters=NOISY["parameters"].format(**defaults),
                    equations=NOISY["equations"], name="noisy")
    n2 = ann.Neuron(parameters=GLOBAL_RK4["parameters"].format(**defaults),
                    equations=GLOBAL_RK4["equations"], name="global_rk4")
    n3 = ann.Neuron(parameters=CONDITIONAL["parameters"], equations=CONDITIONAL["equations"],
                    name="conditional")
    sizes = (3000, 250, 64) if variant == "B" else (1000, 500, 200)
    p1 = ann.Population(sizes[0], n1, name="noisy")
    p2 = ann.Population(sizes[1], n2, name="global_rk4")
    p3 = ann.Population(sizes[2], n3, name="conditional")
    if variant == "B":
        p1.tau = 25.0
        p1.B = ann.Uniform(0.0, 1.0)
        p1.amp = 0.05
        p2.k = 0.8
        p2.I = np.linspace(0.0, 2.0, sizes[1])
        p3.theta = 0.2
        p3.I = np.linspace(-1.0, 1.0, sizes[2])
    else:
        p3.I = np.linspace(0.0, 2.0, sizes[2])
    return p1, p2, p3


class _Capture:
    """Collects annbook's INFO log records (build breakdown, hit or miss)."""

    def __init__(self):
        import logging
        self.records = []
        handler = logging.Handler(logging.INFO)
        handler.emit = self.records.append
        logger = logging.getLogger("annbook")
        logger.setLevel(logging.INFO)
        logger.propagate = False
        logger.addHandler(handler)

    def build_breakdown(self):
        for record in self.records:
            if record.getMessage().startswith("built ") and len(record.args) == 3:
                return float(record.args[1]), float(record.args[2])
        return float("nan"), float("nan")

    def hit(self):
        for record in self.records:
            if record.getMessage().startswith("compile: "):
                return int(record.args[0] == "cache hit")
        return -1


def child(variant):
    capture = _Capture()
    t0 = now()
    import numpy as np
    import annbook as ann
    import_s = now() - t0
    ann.setup(dt=1.0, seed=1)
    t1 = now()
    pops = build_network(ann, np, variant)
    build_s = now() - t1
    c0 = all_cpu_s()
    t2 = now()
    ann.compile()
    compile_s = now() - t2
    compile_cpu_s = all_cpu_s() - c0
    ann.simulate(10.0)                     # the module really works
    cython_s, cc_s = capture.build_breakdown()
    child_report(import_s=import_s, build_s=build_s, compile_s=compile_s,
                 compile_cpu_s=compile_cpu_s, cython_s=cython_s, cc_s=cc_s, hit=capture.hit(),
                 sympy=int("sympy" in sys.modules), cython=int("Cython" in sys.modules),
                 rss_mb=peak_rss_mb(),
                 sizes=[p.size for p in pops], mean_r=[float(np.mean(p.r)) for p in pops])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--child", choices=["A", "B", "C"], help=argparse.SUPPRESS)
    ap.add_argument("--keep", action="store_true", help="keep the temporary cache folders")
    args = ap.parse_args()
    if args.child:
        return child(args.child)

    script = os.path.abspath(__file__)
    rows = []
    for rep in range(1, args.reps + 1):
        cache = tempfile.mkdtemp(prefix="annbook-bench-compile-")
        env = {"ANNBOOK_CACHE_DIR": cache}
        try:
            cold, cold_wall = run_child(script, ["--child", "A"], env)
            cached, cached_wall = run_child(script, ["--child", "B"], env)
            edited, edited_wall = run_child(script, ["--child", "C"], env)
        finally:
            if not args.keep:
                shutil.rmtree(cache, ignore_errors=True)
        if cold["hit"] != 0:
            raise RuntimeError("the cold run did not build: is ANNBOOK_CACHE_DIR honoured?")
        row = dict(
            cold_compile_s=cold["compile_s"], cold_cython_s=cold["cython_s"],
            cold_cc_s=cold["cc_s"],
            cold_other_s=cold["compile_s"] - cold["cython_s"] - cold["cc_s"],
            cold_compile_cpu_s=cold["compile_cpu_s"],
            cold_import_s=cold["import_s"], cold_process_total_s=cold_wall,
            cold_rss_mb=cold["rss_mb"],
            cached_compile_s=cached["compile_s"], cached_import_s=cached["import_s"],
            cached_build_s=cached["build_s"], cached_process_total_s=cached_wall,
            cached_hit=cached["hit"], cached_loaded_sympy=cached["sympy"],
            cached_loaded_cython=cached["cython"], cached_rss_mb=cached["rss_mb"],
            edited_compile_s=edited["compile_s"], edited_hit=edited["hit"],
            edited_process_total_s=edited_wall)
        rows.append(row)
        result(bench="compile_time", rep=rep, **row)
    summary = {}
    for key in rows[0]:
        values = [r[key] for r in rows]
        if isinstance(values[0], float):
            summary[key] = median(values)
        else:   # flags: 'hit' only if every repetition hit, 'loaded' if any loaded
            summary[key] = max(values) if "loaded" in key else min(values)
    result(bench="compile_time", stat="median", reps=len(rows), **summary)
    print(f"cold compile  {summary['cold_compile_s']:.2f} s (goal < {GOAL_COLD_S} s: "
          f"{'met' if summary['cold_compile_s'] < GOAL_COLD_S else 'MISSED'}; "
          f"Cython {summary['cold_cython_s']:.2f} s, gcc {summary['cold_cc_s']:.2f} s)")
    print(f"cached compile {summary['cached_compile_s']:.3f} s (goal < {GOAL_CACHED_S} s: "
          f"{'met' if summary['cached_compile_s'] < GOAL_CACHED_S else 'MISSED'}); whole cached "
          f"process {summary['cached_process_total_s']:.2f} s")
    if summary["cached_hit"] != 1:
        print("WARNING: network B (same structure) was not a cache hit")
    if summary["edited_hit"] != 1:
        print(f"note: network C (same code, other default values in the Neuron text) was rebuilt: "
              f"{summary['edited_compile_s']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Cost of the progress bar of simulate(): a 10 s COBA run with and without the bar.

usage: python benchmarks/progress_overhead.py [--reps 3] [--duration 10000]

COBA (4000 neurons, dt = 0.1 ms, see spiking.py) simulates ``duration`` ms in a fresh
process per case and repetition, the cases interleaved:

* ``off``: ``progress_bar=False``, one call of the compiled loop (no observer);
* ``auto``: the default in a notebook: the run observer follows the run in chunks of at
  most 0.2 s of wall time and opens a bar once the run looks longer than 1.5 s;
* ``on``: ``progress_bar=True``, a text bar (written to the child's stderr pipe); tqdm
  is imported before the timing (it is imported once, by the first bar), and that import
  is timed apart.

Prints RESULT lines per run and the median wall and CPU times of each case over ``off``
(CPU time is the steadier figure on a shared machine).
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from _common import child_report, median, result, run_child  # noqa: E402

CASES = ("off", "auto", "on")


def child(case, duration):
    import numpy as np
    import annbook as ann
    from annbook import progress
    from spiking import build_coba
    ann.setup(dt=0.1, seed=1)
    np.random.seed(1)
    build_coba(ann, np)
    ann.compile()
    ann.simulate(100.0, progress_bar=False)               # warm caches
    if case == "auto":
        progress._interactive = lambda: True              # as in a notebook
    imported = time.perf_counter()
    if case == "on":                                      # once per process, not per step:
        import tqdm.auto                                  # noqa: F401  timed apart
    import_s = time.perf_counter() - imported
    keyword = {"off": False, "auto": None, "on": True}[case]
    started, cpu = time.perf_counter(), time.process_time()
    ann.simulate(duration, progress_bar=keyword)
    child_report(wall=time.perf_counter() - started, cpu=time.process_time() - cpu,
                 import_s=import_s)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10000.0)
    parser.add_argument("--child", choices=CASES)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.duration)
        return
    walls = {case: [] for case in CASES}
    cpus = {case: [] for case in CASES}
    imports = []
    for rep in range(1, args.reps + 1):
        for case in CASES:
            report, _ = run_child(__file__, ["--child", case, "--duration", str(args.duration)])
            walls[case].append(report["wall"])
            cpus[case].append(report["cpu"])
            if case == "on":
                imports.append(report["import_s"])
            result(bench="progress_overhead", case=case, rep=rep, wall_s=report["wall"],
                   cpu_s=report["cpu"])
    base, cpu_base = median(walls["off"]), median(cpus["off"])
    ratios = {case: (median(walls[case]) / base, median(cpus[case]) / cpu_base)
              for case in ("auto", "on")}
    result(bench="progress_overhead", stat="median", reps=args.reps, off_s=base,
           auto_ratio=ratios["auto"][0], on_ratio=ratios["on"][0],
           auto_cpu_ratio=ratios["auto"][1], on_cpu_ratio=ratios["on"][1],
           tqdm_import_s=median(imports))
    print(f"\nCOBA, {args.duration / 1000:g} s simulated, median of {args.reps}: off "
          f"{base:.3f} s wall, {cpu_base:.3f} s CPU; over off (wall, CPU): auto "
          f"{ratios['auto'][0]:.3f}x, {ratios['auto'][1]:.3f}x; bar on {ratios['on'][0]:.3f}x, "
          f"{ratios['on'][1]:.3f}x (plus {median(imports) * 1000:.0f} ms to import tqdm at the "
          "first bar of a process)")


if __name__ == "__main__":
    main()

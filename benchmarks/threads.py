"""Thread scaling: the workloads of ../shared/bench on one thread and on N.

usage: python benchmarks/threads.py [--workloads coba,izh,rate] [--threads 2] [--reps 3]
                                    [--duration 1000] [--shared /work/shared/bench]

For each repetition and workload, two fresh processes build the network of the shared
``workloads.py``: one with the single-threaded build (``num_threads=1``), one with the
threaded build (``num_threads=N``), which then simulates ``--duration`` ms three ways with
the same binary: forced on one thread, forced on N, and as run() chooses (tuned, the
default). Prints RESULT lines (wall and CPU seconds, load) and the medians: the speed-up of
N threads over the single-threaded build, forced and tuned.

The machine is shared: the speed-up of threads that meet at a barrier every step depends
on whether both cores are free at that moment; quote it with the load.
"""

import argparse
import os
import runpy
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from _common import child_report, median, result, run_child  # noqa: E402

# the tuning of run() (run_threads.pyx): [seconds per step on one thread, on all, segments
# before the other choice is tried, between two tries]
FORCED = {"forced_1": [1e-9, 1e9, 1e9, 1e9], "forced_n": [1e9, 1e-9, 1e9, 1e9],
          "tuned": [0.0, 0.0, 0.0, 0.0]}


def child(workload, threads, duration, shared):
    """In a fresh process: build the workload (simulating 1 ms), then time the cases."""
    sys.path.insert(0, shared)
    sys.argv = ["workloads.py", workload, "--durations", "1"] + \
        (["--threads", str(threads)] if threads > 1 else [])
    runpy.run_path(os.path.join(shared, "workloads.py"), run_name="__main__")
    import annbook as ann
    from annbook.core.network import global_network
    network = global_network()
    out = {}
    for case, tuning in ({"single": None} if threads <= 1 else FORCED).items():
        if tuning is not None:
            network._tuning[:] = tuning
        cpu, wall = os.times(), time.perf_counter()
        ann.simulate(duration)
        wall, after = time.perf_counter() - wall, os.times()
        out[case] = {"wall": wall, "cpu": after.user + after.system - cpu.user - cpu.system,
                     "load": os.getloadavg()[0]}
    child_report(**out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workloads", default="coba,izh,rate")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--duration", type=float, default=1000.0)
    parser.add_argument("--shared", default="/work/shared/bench")
    parser.add_argument("--child", nargs=2, metavar=("WORKLOAD", "THREADS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child[0], int(args.child[1]), args.duration, args.shared)
    for workload in args.workloads.split(","):
        runs = []
        for rep in range(args.reps):
            row = {}
            for threads in (1, args.threads):
                report, _ = run_child(__file__, ["--child", workload, str(threads), "--duration",
                                                 str(args.duration), "--shared", args.shared])
                row.update(report)
            runs.append(row)
            for case, values in row.items():
                result(bench="threads", workload=workload, rep=rep + 1, case=case,
                       threads=1 if case in ("single", "forced_1") else args.threads,
                       sim_ms=args.duration, wall_s=values["wall"], cpu_s=values["cpu"],
                       load1=values["load"])
        wall = {case: median(r[case]["wall"] for r in runs) for case in runs[0]}
        cpu = {case: median(r[case]["cpu"] for r in runs) for case in runs[0]}
        result(bench="threads", workload=workload, stat="median", reps=args.reps,
               **{f"{case}_wall_s": value for case, value in wall.items()},
               **{f"{case}_cpu_s": value for case, value in cpu.items()},
               speedup_forced=wall["single"] / wall["forced_n"],
               speedup_tuned=wall["single"] / wall["tuned"])
        print(f"{workload}: single-threaded build {wall['single']:.3f} s, threaded build on "
              f"1 thread {wall['forced_1']:.3f} s, on {args.threads} {wall['forced_n']:.3f} s "
              f"(x{wall['single'] / wall['forced_n']:.2f}), tuned {wall['tuned']:.3f} s "
              f"(x{wall['single'] / wall['tuned']:.2f})", flush=True)


if __name__ == "__main__":
    main()

"""Thread scaling: the workloads of ../shared/bench on one thread and on N.

usage: python benchmarks/threads.py [--workloads coba,izh,rate] [--threads 2] [--reps 3]
                                    [--rounds 5] [--duration 1000] [--shared /work/shared/bench]

For each repetition and workload, two fresh processes build the network of the shared
``workloads.py``: one with the single-threaded build (``num_threads=1``), one with the
threaded build (``num_threads=N``). Each simulates ``--duration`` ms ``--rounds`` times; the
threaded one takes its three cases in turn in each round, with the same binary: forced on
one thread, forced on N, and as run() chooses (tuned, the default, which keeps what it
learnt from one round to the next as it does between simulate() calls). A process reports the
median of its rounds. Prints RESULT lines (wall and CPU seconds, load) and the medians over
the repetitions of the speed-up of N threads over the single-threaded build, forced and
tuned, each repetition pairing its two processes.

It first measures the machine's ceiling: N threads that share nothing (``ceiling.c``, built
with the C compiler), against one. The machine is shared: the speed-up of threads that meet
at a barrier every step depends on whether both cores are free at that moment; quote it with
the load and the ceiling.
"""

import argparse
import os
import runpy
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from _common import child_report, median, result, run_child  # noqa: E402

# the tuning of run() (run_threads.pyx): [seconds per step on one thread, on all, segments
# before the other choice is tried, between two tries]
FORCED = {"forced_1": [1e-9, 1e9, 1e9, 1e9], "forced_n": [1e9, 1e-9, 1e9, 1e9],
          "tuned": [0.0, 0.0, 0.0, 0.0]}


def child(workload, threads, duration, rounds, shared):
    """In a fresh process: build the workload (simulating 1 ms), then time the cases."""
    sys.path.insert(0, shared)
    sys.argv = ["workloads.py", workload, "--durations", "1"] + \
        (["--threads", str(threads)] if threads > 1 else [])
    runpy.run_path(os.path.join(shared, "workloads.py"), run_name="__main__")
    import annbook as ann
    from annbook.core.network import global_network
    network = global_network()
    cases = {"single": None} if threads <= 1 else {case: list(tuning) for case, tuning
                                                    in FORCED.items()}
    times = {case: [] for case in cases}
    for _ in range(rounds):
        for case, tuning in cases.items():
            if tuning is not None:
                network._tuning[:] = tuning
            cpu, wall = time.process_time(), time.perf_counter()
            ann.simulate(duration)
            times[case].append((time.perf_counter() - wall, time.process_time() - cpu))
            if case == "tuned":         # what run() learnt, kept for the next round
                tuning[:] = network._tuning
    child_report(**{case: {"wall": median(w for w, _ in values),
                           "cpu": median(c for _, c in values), "load": os.getloadavg()[0]}
                    for case, values in times.items()})


def ceiling(threads, steps=100000):
    """Work per second of ``threads`` threads sharing nothing against one (best of 3 each,
    in turn), or None without a C compiler."""
    compiler = shutil.which(os.environ.get("CC", "gcc"))
    if compiler is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        binary = os.path.join(folder, "ceiling")
        subprocess.run([compiler, "-O3", "-march=native", "-fopenmp", "-o", binary,
                        os.path.join(os.path.dirname(__file__), "ceiling.c")], check=True)
        best = {1: float("inf"), threads: float("inf")}
        for _ in range(3):
            for n in best:
                out = subprocess.run([binary, str(n), str(steps)], capture_output=True,
                                     text=True, check=True).stdout
                best[n] = min(best[n], float(out.split()[0]))
    return threads * best[1] / best[threads]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workloads", default="coba,izh,rate")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=float, default=1000.0)
    parser.add_argument("--shared", default="/work/shared/bench")
    parser.add_argument("--child", nargs=2, metavar=("WORKLOAD", "THREADS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child[0], int(args.child[1]), args.duration, args.rounds,
                     args.shared)
    limit = ceiling(args.threads)
    if limit is not None:
        result(bench="threads", case="ceiling", threads=args.threads, speedup=limit)
        print(f"ceiling: {args.threads} threads sharing nothing do x{limit:.2f} the work of one",
              flush=True)
    for workload in args.workloads.split(","):
        runs = []
        for rep in range(args.reps):
            row = {}
            order = (1, args.threads) if rep % 2 == 0 else (args.threads, 1)
            for threads in order:
                report, _ = run_child(__file__, ["--child", workload, str(threads), "--duration",
                                                 str(args.duration), "--rounds", str(args.rounds),
                                                 "--shared", args.shared])
                row.update(report)
            runs.append(row)
            for case, values in row.items():
                result(bench="threads", workload=workload, rep=rep + 1, case=case,
                       threads=1 if case in ("single", "forced_1") else args.threads,
                       sim_ms=args.duration, wall_s=values["wall"], cpu_s=values["cpu"],
                       load1=values["load"])
        wall = {case: median(r[case]["wall"] for r in runs) for case in runs[0]}
        cpu = {case: median(r[case]["cpu"] for r in runs) for case in runs[0]}
        forced = median(r["single"]["wall"] / r["forced_n"]["wall"] for r in runs)
        tuned = median(r["single"]["wall"] / r["tuned"]["wall"] for r in runs)
        result(bench="threads", workload=workload, stat="median", reps=args.reps,
               **{f"{case}_wall_s": value for case, value in wall.items()},
               **{f"{case}_cpu_s": value for case, value in cpu.items()},
               speedup_forced=forced, speedup_tuned=tuned)
        print(f"{workload}: single-threaded build {wall['single']:.3f} s, threaded build on "
              f"1 thread {wall['forced_1']:.3f} s, on {args.threads} {wall['forced_n']:.3f} s "
              f"(x{forced:.2f}), tuned {wall['tuned']:.3f} s (x{tuned:.2f})", flush=True)


if __name__ == "__main__":
    main()

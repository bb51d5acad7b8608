"""Thread scaling: the workloads of ../shared/bench on one thread and on N.

usage: python benchmarks/threads.py [--workloads coba,izh,rate] [--threads 2] [--reps 3]
                                    [--rounds 5] [--duration 1000] [--shared /work/shared/bench]

For each repetition and workload, two fresh processes build the network of the shared
``workloads.py``: one with the single-threaded build (``num_threads=1``), one with the
threaded build (``num_threads=N``). Each simulates ``--duration`` ms ``--rounds`` times; the
threaded one takes its four cases in turn in each round, with the same binary: forced on
one thread, forced on N (the threads' shares of the blocks following their speeds, as by
default), forced on N with the blocks shared evenly (``even_n``), and as run() chooses
(tuned, the default, which keeps what it learnt from one round to the next as it does
between simulate() calls). A process reports the
median of its rounds. Prints RESULT lines (wall and CPU seconds, load) and the medians over
the repetitions of the speed-up of N threads over the single-threaded build, forced and
tuned, each repetition pairing its two processes.

It first measures the machine's ceiling: N threads that share nothing (``ceiling.c``, built
with the C compiler), against one. Before each round, a child also measures how long a cache
line written on one core takes to reach another and back (``handoff.c``: the round trip). A
step whose threads meet once hands lines over at least three times one after the other (the
last arrival at the barrier, its release, the spikes of the other thread's neurons): with the
work split evenly, N threads are at most T1 / (T1 / N + steps x 1.5 round trips) faster than
one (the bound printed). On a virtual machine the round trip changes from one second to the
next (30 to 800 ns seen on the development guest, as the host moves its cores): quote the
speed-up with the load, the ceiling and the round trips.
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
          "even_n": [1e9, 1e-9, 1e9, 1e9], "tuned": [0.0, 0.0, 0.0, 0.0]}


def child(workload, threads, duration, rounds, shared, handoff):
    """In a fresh process: build the workload (simulating 1 ms), then time the cases (and,
    with the ``handoff`` program, the cores' round trip before each round)."""
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
    trips = []
    for _ in range(rounds):
        if handoff:
            trips.append(round_trip(handoff))
        for case, tuning in cases.items():
            if tuning is not None:
                network._tuning[:] = tuning
                even = [network._blocks() // threads] * threads
                network._shares.hold(even if case == "even_n" else None, network._blocks())
            cpu, wall = time.process_time(), time.perf_counter()
            ann.simulate(duration)
            times[case].append((time.perf_counter() - wall, time.process_time() - cpu))
            if case == "tuned":         # what run() learnt, kept for the next round
                tuning[:] = network._tuning
    steps = round(duration / network.dt)
    child_report(**{case: {"wall": median(w for w, _ in values),
                           "cpu": median(c for _, c in values), "load": os.getloadavg()[0],
                           "steps": steps, "trips_ns": trips}
                    for case, values in times.items()})


def compiled(folder, name, flags):
    """``name``.c of this folder built into ``folder``; its path, or None without a compiler."""
    compiler = shutil.which(os.environ.get("CC", "gcc"))
    if compiler is None:
        return None
    binary = os.path.join(folder, name)
    subprocess.run([compiler, "-O3", "-march=native", *flags, "-o", binary,
                    os.path.join(os.path.dirname(__file__), name + ".c")], check=True)
    return binary


def round_trip(handoff):
    """Nanoseconds for a cache line to go to another core and back (``handoff.c``)."""
    return float(subprocess.run([handoff, "20000"], capture_output=True, text=True,
                                check=True).stdout)


def ceiling(binary, threads, steps=100000):
    """Work per second of ``threads`` threads sharing nothing against one (best of 3 each,
    in turn; ``ceiling.c``)."""
    best = {1: float("inf"), threads: float("inf")}
    for _ in range(3):
        for n in best:
            out = subprocess.run([binary, str(n), str(steps)], capture_output=True,
                                 text=True, check=True).stdout
            best[n] = min(best[n], float(out.split()[0]))
    return threads * best[1] / best[threads]


def bound(single_s, steps, threads, trip_ns):
    """The speed-up of ``threads`` threads that split a step's work evenly and hand cache
    lines over three times a step (1.5 round trips of ``trip_ns``)."""
    return single_s / (single_s / threads + steps * 1.5 * trip_ns * 1e-9)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workloads", default="coba,izh,rate")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=float, default=1000.0)
    parser.add_argument("--shared", default="/work/shared/bench")
    parser.add_argument("--child", nargs=2, metavar=("WORKLOAD", "THREADS"), help=argparse.SUPPRESS)
    parser.add_argument("--handoff", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child[0], int(args.child[1]), args.duration, args.rounds,
                     args.shared, args.handoff)
    with tempfile.TemporaryDirectory() as folder:
        handoff = compiled(folder, "handoff", ["-pthread"])
        limit = compiled(folder, "ceiling", ["-fopenmp"])
        if limit is not None:
            limit = ceiling(limit, args.threads)
            result(bench="threads", case="ceiling", threads=args.threads, speedup=limit)
            print(f"ceiling: {args.threads} threads sharing nothing do x{limit:.2f} the work "
                  "of one", flush=True)
        for workload in args.workloads.split(","):
            measure(workload, args, handoff)


def measure(workload, args, handoff):
    """The repetitions of one workload, their RESULT lines and the summary line."""
    runs = []
    for rep in range(args.reps):
        row = {}
        order = (1, args.threads) if rep % 2 == 0 else (args.threads, 1)
        for threads in order:
            extra = ["--handoff", handoff] if handoff and threads > 1 else []
            report, _ = run_child(__file__, ["--child", workload, str(threads), "--duration",
                                             str(args.duration), "--rounds", str(args.rounds),
                                             "--shared", args.shared] + extra)
            row.update(report)
        runs.append(row)
        trips = row["forced_n"]["trips_ns"]
        for case, values in row.items():
            result(bench="threads", workload=workload, rep=rep + 1, case=case,
                   threads=1 if case in ("single", "forced_1") else args.threads,
                   sim_ms=args.duration, wall_s=values["wall"], cpu_s=values["cpu"],
                   load1=values["load"],
                   **({"round_trip_ns": median(trips)} if trips and case != "single" else {}))
    wall = {case: median(r[case]["wall"] for r in runs) for case in runs[0]}
    cpu = {case: median(r[case]["cpu"] for r in runs) for case in runs[0]}
    forced = median(r["single"]["wall"] / r["forced_n"]["wall"] for r in runs)
    even = median(r["single"]["wall"] / r["even_n"]["wall"] for r in runs)
    tuned = median(r["single"]["wall"] / r["tuned"]["wall"] for r in runs)
    trips = [t for r in runs for t in r["forced_n"]["trips_ns"]]
    limits = {}
    if trips:
        limits = {"round_trip_ns": median(trips), "bound": median(
            bound(r["single"]["wall"], r["forced_n"]["steps"], args.threads,
                  median(r["forced_n"]["trips_ns"])) for r in runs)}
    result(bench="threads", workload=workload, stat="median", reps=args.reps,
           **{f"{case}_wall_s": value for case, value in wall.items()},
           **{f"{case}_cpu_s": value for case, value in cpu.items()},
           speedup_forced=forced, speedup_even=even, speedup_tuned=tuned, **limits)
    print(f"{workload}: single-threaded build {wall['single']:.3f} s, threaded build on "
          f"1 thread {wall['forced_1']:.3f} s, on {args.threads} {wall['forced_n']:.3f} s "
          f"(x{forced:.2f}; blocks shared evenly {wall['even_n']:.3f} s, x{even:.2f}), tuned "
          f"{wall['tuned']:.3f} s (x{tuned:.2f})", flush=True)
    if trips:
        print(f"{workload}: cores' round trip {min(trips):.0f}-{max(trips):.0f} ns (median "
              f"{limits['round_trip_ns']:.0f}), {runs[0]['forced_n']['steps']} steps: bound "
              f"x{limits['bound']:.2f} with the work split evenly", flush=True)


if __name__ == "__main__":
    main()

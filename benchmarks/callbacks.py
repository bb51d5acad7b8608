"""Cost of callbacks: a 10 s COBA run with a callback every 100 ms against none.

usage: python benchmarks/callbacks.py [--reps 3] [--rounds 3] [--duration 10000] [--period 100]

COBA (4000 neurons, dt = 0.1 ms, see spiking.py) is built in a fresh process per
repetition, which then simulates ``duration`` ms ``rounds`` times per case, the cases
interleaved in turning order (the same network goes on, its activity is stationary), with
``progress_bar=False``:

* ``none``: no callback, one call of the compiled loop;
* ``noop``: ``@every(period)`` on a function that does nothing: the loop runs in chunks
  that end at each due step (100 chunks for 10 s at 100 ms);
* ``input``: the callback changes the population's input ``I`` (a population-wide
  parameter), as a user stepping an input does;
* ``dense``: the no-op callback 100 times as often (every ms by default), so that the cost of
  one callback (a chunk boundary) stands out of the machine's noise: (dense - none) / calls.

Prints RESULT lines per run, then the median and the best CPU and wall times of each case
over ``none`` (CPU time, and the best of the runs, are the steadier figures on a shared
machine; the goal is within 3 %), the CPU cost of one callback from ``dense`` and the ratio
it implies at ``period``.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from _common import child_report, median, result, run_child  # noqa: E402

CASES = ("none", "noop", "input", "dense")


def child(rounds, duration, period):
    import numpy as np
    import annbook as ann
    from spiking import build_coba
    ann.setup(dt=0.1, seed=1)
    np.random.seed(1)
    pop = build_coba(ann, np)
    ann.compile()
    ann.simulate(100.0, progress_bar=False)               # warm caches
    calls = []

    def step_input(n):
        calls.append(n)
        pop.I = 20.0 + 0.01 * (n % 2)
    callback = {"none": None, "noop": calls.append, "input": step_input, "dense": calls.append}
    times = {case: [] for case in CASES}
    for round_ in range(rounds):
        for case in CASES[round_ % 4:] + CASES[:round_ % 4]:        # no case always first
            ann.clear_all_callbacks()
            if callback[case] is not None:
                ann.every(period=period / 100 if case == "dense" else period)(callback[case])
            calls.clear()
            started, cpu = time.perf_counter(), time.process_time()
            ann.simulate(duration, progress_bar=False)
            times[case].append((time.perf_counter() - started, time.process_time() - cpu,
                                len(calls)))
    child_report(times=times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10000.0)
    parser.add_argument("--period", type=float, default=100.0)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.rounds, args.duration, args.period)
        return
    walls = {case: [] for case in CASES}
    cpus = {case: [] for case in CASES}
    for rep in range(1, args.reps + 1):
        report, _ = run_child(__file__, ["--child", "--rounds", str(args.rounds), "--duration",
                                         str(args.duration), "--period", str(args.period)])
        for case in CASES:
            for run, (wall, cpu, calls) in enumerate(report["times"][case], 1):
                walls[case].append(wall)
                cpus[case].append(cpu)
                result(bench="callbacks", case=case, rep=rep, run=run, wall_s=wall, cpu_s=cpu,
                       calls=calls)
    ratio = {(case, how): how_of(cpus[case]) / how_of(cpus["none"])
             for case in ("noop", "input") for how, how_of in (("median", median), ("best", min))}
    wall_ratio = {case: median(walls[case]) / median(walls["none"]) for case in ("noop", "input")}
    calls = args.duration / args.period
    per_call = (median(cpus["dense"]) - median(cpus["none"])) / (100 * calls)
    implied = 1.0 + per_call * calls / median(cpus["none"])
    result(bench="callbacks", stat="median", runs=len(cpus["none"]),
           none_cpu_s=median(cpus["none"]), none_wall_s=median(walls["none"]),
           noop_cpu_ratio=ratio["noop", "median"], input_cpu_ratio=ratio["input", "median"],
           noop_best_cpu_ratio=ratio["noop", "best"], input_best_cpu_ratio=ratio["input", "best"],
           noop_wall_ratio=wall_ratio["noop"], input_wall_ratio=wall_ratio["input"],
           per_callback_us=per_call * 1e6, implied_ratio=implied)
    print(f"\nCOBA, {args.duration / 1000:g} s simulated, a callback every {args.period:g} ms, "
          f"{len(cpus['none'])} runs per case: none {median(cpus['none']):.3f} s CPU (median); "
          f"CPU over none, median / best: no-op callback {ratio['noop', 'median']:.3f}x / "
          f"{ratio['noop', 'best']:.3f}x, callback setting I {ratio['input', 'median']:.3f}x / "
          f"{ratio['input', 'best']:.3f}x; wall (median) {wall_ratio['noop']:.3f}x, "
          f"{wall_ratio['input']:.3f}x; one callback costs {per_call * 1e6:.0f} us of CPU "
          f"(every {args.period / 100:g} ms), {implied:.4f}x at every {args.period:g} ms")


if __name__ == "__main__":
    main()

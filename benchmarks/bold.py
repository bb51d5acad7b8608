"""Cost of a BOLD monitor: simulation time and cold compile time it adds to a network.

usage: python benchmarks/bold.py [--reps 3] [--n 10000] [--steps 5000]

The network: n leaky integrators (``tau * dr/dt + r = I``, dt = 1 ms). Cases:
  none        the network alone
  bold        a BoldMonitor(balloon_RN) over the population, recording BOLD every step
  normalized  the same with a baseline normalisation (normalize_input=100 ms)
  two_inputs  balloon_two_inputs, I_CBF and I_CMRO2 both mapped on r (two accumulations)

Each case is built once into a fresh temporary cache (its cold compile time is reported),
then runs --reps times, each in a fresh process (cache hits). RESULT lines per run and
medians:
  cold_compile_s     wall time of the first compile() of the case (code generation, Cython, gcc)
  sim_cpu_s          CPU seconds of ann.simulate(steps)
  ns_per_neuron_step sim_cpu_s / (steps x n), in ns
  ratio              median CPU time of the case / that of 'none'
The machine is shared: compare CPU figures and medians, not single wall times.
"""

import argparse
import os
import shutil
import sys
import tempfile

from _common import cpu_s, result, child_report, run_child, median

CASES = ("none", "bold", "normalized", "two_inputs")


def child(case, n, steps, compile_only):
    import annbook as ann
    from annbook.extensions.bold import BoldMonitor, balloon_RN, balloon_two_inputs
    ann.setup(dt=1.0)
    population = ann.Population(n, ann.Neuron(parameters="tau = 10.0 : population\nI = 1.0",
                                              equations="tau * dr/dt + r = I"))
    if case == "bold":
        BoldMonitor(population, balloon_RN, start=True)
    elif case == "normalized":
        BoldMonitor(population, balloon_RN, normalize_input=100.0, start=True)
    elif case == "two_inputs":
        BoldMonitor(population, balloon_two_inputs, mapping={"I_CBF": "r", "I_CMRO2": "r"},
                    start=True)
    ann.compile()
    if compile_only:
        from annbook.core.network import global_network
        return child_report(cold_compile_s=global_network().last_compile["seconds"])
    ann.simulate(10.0)                          # warm up
    started = cpu_s()
    ann.simulate(float(steps))
    spent = cpu_s() - started
    child_report(sim_cpu_s=spent, ns_per_neuron_step=spent / (steps * n) * 1e9)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--steps", type=int, default=5000)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--compile-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child, args.n, args.steps, args.compile_only)
    script = os.path.abspath(__file__)
    cache = tempfile.mkdtemp(prefix="annbook-bench-bold-")
    env = {"ANNBOOK_CACHE_DIR": cache}
    common = ["--n", str(args.n), "--steps", str(args.steps)]
    medians, cold = {}, {}
    try:
        for case in CASES:
            cold[case] = run_child(script, ["--child", case, "--compile-only"] + common,
                                   env)[0]["cold_compile_s"]
            reports = [run_child(script, ["--child", case] + common, env)[0]
                       for _ in range(args.reps)]
            for rep, report in enumerate(reports, 1):
                result(bench="bold", case=case, n=args.n, steps=args.steps, rep=rep, **report)
            medians[case] = {key: median([r[key] for r in reports]) for key in reports[0]}
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    print(f"\nmedians of {args.reps} runs ({args.n} neurons, {args.steps} steps):")
    for case, values in medians.items():
        ratio = values["sim_cpu_s"] / medians["none"]["sim_cpu_s"]
        result(bench="bold", case=case, n=args.n, steps=args.steps, stat="median",
               reps=args.reps, ratio=ratio, cold_compile_s=cold[case], **values)
        print(f"  {case:11s} {values['ns_per_neuron_step']:7.3f} ns per neuron and step, "
              f"ratio to none {ratio:.3f}, cold compile {cold[case]:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Cost of a bound (``min=`` / ``max=``) written as a number, a parameter or a Constant.

usage: python benchmarks/bounds.py [--reps 3] [--n 10000] [--steps 2000]

A bound that names a parameter or a Constant is read from its array at run time (so that
changing it after compile needs no rebuild); a number is a literal of the generated code.
This measures what the run-time read costs, against the literal:

  neuron cases   n leaky integrators, dt = 1 ms,
                 ``tau * dr/dt + r = I : min=0.0, max=BOUND`` where BOUND is
                 literal   1.5
                 global    a parameter ``: population`` (read once per step, before the loop)
                 local     a per-neuron parameter (one more load per neuron)
                 constant  a Constant
  event cases    1000 Poisson inputs (50 Hz) onto n/10 neurons, all to all,
                 ``g_target += w : max=BOUND`` in pre_spike, BOUND a literal (event_literal) or
                 a ``: projection`` parameter (event_param)

Every case runs --reps times, each in a fresh process, after one build per case into a
temporary cache (the timed runs are cache hits). RESULT lines per run and medians:
  sim_cpu_s                  CPU seconds of ann.simulate(steps)
  ns_per_element_step_cpu    sim_cpu_s / (steps x neurons) (neuron cases) or
                             / (steps x synapses) (event cases), in ns
  ratio                      median CPU time of the case / that of its literal case
The machine is shared: compare the CPU figures and medians, not single wall times.
"""

import argparse
import os
import shutil
import sys
import tempfile

from _common import cpu_s, result, child_report, run_child, median

NEURON_CASES = {"literal": "1.5", "global": "bmax", "local": "bmax_n", "constant": "cmax"}
EVENT_CASES = {"event_literal": "2.0", "event_param": "gmax"}
N_INPUTS = 1000


def child(case, n, steps, compile_only):
    import annbook as ann
    ann.setup(dt=1.0, seed=1)
    ann.Constant("cmax", 1.5)
    if case in NEURON_CASES:
        neuron = ann.Neuron(
            parameters="tau = 10.0 : population\nI = 2.0\nbmax = 1.5 : population\nbmax_n = 1.5",
            equations=f"tau * dr/dt + r = I : min=0.0, max={NEURON_CASES[case]}")
        ann.Population(n, neuron)
        elements = n
    else:
        inputs = ann.PoissonPopulation(N_INPUTS, rates=50.0)
        post = ann.Population(n // 10, ann.Neuron(
            parameters="tau = 5.0 : population", equations="tau * dg_exc/dt = -g_exc\nv = 0",
            spike="v > 1.0", reset="v = 0.0"))
        synapse = ann.Synapse(parameters="gmax = 2.0 : projection",
                              pre_spike=f"g_target += w : max={EVENT_CASES[case]}")
        proj = ann.Projection(inputs, post, "exc", synapse)
        proj.connect_all_to_all(weights=0.01)
        elements = N_INPUTS * (n // 10)
    ann.compile()
    if compile_only:
        return child_report()
    ann.simulate(10.0)                          # warm up
    started = cpu_s()
    ann.simulate(float(steps))
    spent = cpu_s() - started
    child_report(sim_cpu_s=spent, ns_per_element_step_cpu=spent / (steps * elements) * 1e9)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--compile-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child, args.n, args.steps, args.compile_only)
    script = os.path.abspath(__file__)
    cache = tempfile.mkdtemp(prefix="annbook-bench-bounds-")
    env = {"ANNBOOK_CACHE_DIR": cache}
    common = ["--n", str(args.n), "--steps", str(args.steps)]
    medians = {}
    try:
        for case in list(NEURON_CASES) + list(EVENT_CASES):
            run_child(script, ["--child", case, "--compile-only"] + common, env)
            reports = [run_child(script, ["--child", case] + common, env)[0]
                       for _ in range(args.reps)]
            for rep, report in enumerate(reports, 1):
                result(bench="bounds", case=case, n=args.n, steps=args.steps, rep=rep, **report)
            medians[case] = {key: median([r[key] for r in reports]) for key in reports[0]}
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    print(f"\nmedians of {args.reps} runs, CPU ns per element and step:")
    for case, values in medians.items():
        literal = medians["event_literal" if case.startswith("event") else "literal"]
        ratio = values["sim_cpu_s"] / literal["sim_cpu_s"]
        result(bench="bounds", case=case, n=args.n, steps=args.steps, stat="median",
               reps=args.reps, ratio=ratio, **values)
        print(f"  {case:14s} {values['ns_per_element_step_cpu']:8.3f} ns   "
              f"ratio to the literal bound {ratio:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

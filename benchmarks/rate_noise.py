"""Simulation speed of 1000 noisy leaky integrators (dt = 1 ms), with and without a Monitor.

usage: python benchmarks/rate_noise.py [--reps 3] [--durations 10000,100000] [--n 1000]

    tau * dr/dt + r = B + sigma * Normal(0.0, 1.0)        (explicit Euler, tau = 10 ms)

Cases, each run --reps times, every run in a fresh process (the network is
compiled once beforehand into a temporary cache, so the runs are cache hits):

  none     the same integrator without noise: the cost of the loop and a few flops
  normal   with sigma * Normal(0, 1): one Gaussian draw per neuron and step
  uniform  with sigma * Uniform(-1, 1): one uniform draw per neuron and step
  monitor  'normal' with Monitor(pop, 'r') recording every step, first
           duration only (10 s = 10^4 steps x 1000 neurons x 8 bytes = 80 MB;
           the Monitor allocates its buffer for the whole simulate() call).
           In the same process: simulate(d) with the monitor paused (base),
           then simulate(d) recording, then monitor.get('r'); the difference
           of the two simulate() times is the recording cost.
  numpy    context, no annbook: numpy.random.Generator(PCG64()).standard_normal
           and .random on 10^7 elements (into a preallocated array), and a
           numpy multiply-add on 10^7 elements, per element

RESULT lines per run (rep=1..N) and medians (stat=median), per case and duration:
  sim_s, sim_cpu_s            wall and CPU seconds of ann.simulate(duration)
  rt_ratio                    simulated seconds per wall second
  ns_per_neuron_step(_cpu)    sim_s (sim_cpu_s) / (steps x neurons), in ns
  rss_mb                      peak RSS of the process (resource.getrusage)
  mean_r, std_r, std_r_theory population mean/std of r at the end; for the noisy
                              cases std_r should match the stationary std of the
                              Euler scheme, sigma * sd(xi) * sqrt(a / (2 - a)),
                              a = dt / tau (a check that every neuron draws its
                              own numbers at every step)
  monitor only: base_sim_s, base_sim_cpu_s (same process, monitor paused),
  record_ns_per_value(_cpu) = (sim_s recording - base_sim_s) / recorded values,
  get_s (monitor.get('r') for the whole recording), rec_shape, rec_mb,
  rss_before_get_mb, rss_mb (peak after get())
The machine is shared: compare CPU-time figures and medians, not single wall times.
"""

import argparse
import os
import shutil
import sys
import tempfile

from _common import now, cpu_s, peak_rss_mb, result, child_report, run_child, median

TAU, B, SIGMA, DT = 10.0, 1.0, 0.5, 1.0
NOISE = {"none": "", "normal": " + sigma * Normal(0.0, 1.0)",
         "uniform": " + sigma * Uniform(-1.0, 1.0)"}
XI_SD = {"none": 0.0, "normal": 1.0, "uniform": (1.0 / 3.0) ** 0.5}


def std_theory(noise):
    a = DT / TAU
    return SIGMA * XI_SD[noise] * (a / (2.0 - a)) ** 0.5


def child(noise, n, durations, monitor, compile_only):
    import numpy as np
    import annbook as ann
    ann.setup(dt=DT, seed=42)
    neuron = ann.Neuron(
        parameters=f"tau = {TAU} : population\nB = {B}\nsigma = {SIGMA} : population",
        equations="tau * dr/dt + r = B" + NOISE[noise],
        name=f"leaky_{noise}")
    pop = ann.Population(n, neuron, name="leaky")
    mon = ann.Monitor(pop, "r", start=False) if monitor else None
    t0 = now()
    ann.compile()
    compile_s = now() - t0
    if compile_only:
        return child_report(compile_s=compile_s)

    def timed(duration):
        w0, c0 = now(), cpu_s()
        ann.simulate(duration)
        return now() - w0, cpu_s() - c0

    runs = []
    for duration in durations:
        steps = int(round(duration / DT))
        extra = {}
        if mon is not None:
            base_s, base_cpu_s = timed(duration)     # monitor paused
            mon.start()
        sim_s, sim_cpu_s = timed(duration)
        r = pop.r
        run = dict(sim_ms=duration, sim_s=sim_s, sim_cpu_s=sim_cpu_s,
                   rt_ratio=(duration / 1000.0) / sim_s,
                   ns_per_neuron_step=sim_s / (steps * n) * 1e9,
                   ns_per_neuron_step_cpu=sim_cpu_s / (steps * n) * 1e9,
                   mean_r=float(np.mean(r)), std_r=float(np.std(r)),
                   std_r_theory=std_theory(noise))
        if mon is not None:
            mon.pause()
            rss_before = peak_rss_mb()
            g0 = now()
            data = mon.get("r")
            run.update(base_sim_s=base_s, base_sim_cpu_s=base_cpu_s,
                       record_ns_per_value=(sim_s - base_s) / (steps * n) * 1e9,
                       record_ns_per_value_cpu=(sim_cpu_s - base_cpu_s) / (steps * n) * 1e9,
                       get_s=now() - g0, rec_shape="x".join(map(str, data.shape)),
                       rec_mb=data.nbytes / 2 ** 20, rss_before_get_mb=rss_before)
            del data
        run["rss_mb"] = peak_rss_mb()   # peak so far: grows with the recorded data
        runs.append(run)
    child_report(compile_s=compile_s, runs=runs)


def numpy_child():
    """Per-element cost of numpy's vectorised draws and of a multiply-add (context)."""
    import time
    import numpy as np
    size = 10 ** 7
    gen = np.random.Generator(np.random.PCG64(42))
    out = np.empty(size)
    other = np.ones(size)
    timings = {"normal": [], "uniform": [], "fma": []}
    for _ in range(3):
        for key, work in (("normal", lambda: gen.standard_normal(out=out)),
                          ("uniform", lambda: gen.random(out=out)),
                          ("fma", lambda: np.add(np.multiply(out, 0.9, out=out), other, out=out))):
            c0 = time.process_time()
            work()
            timings[key].append((time.process_time() - c0) / size * 1e9)
    child_report(**{f"numpy_{key}_ns_cpu": float(np.median(v)) for key, v in timings.items()})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--n", type=int, default=1000, help="number of neurons")
    ap.add_argument("--durations", default="10000,100000", help="ms, comma separated")
    ap.add_argument("--cases", default="none,normal,uniform,monitor,numpy")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--monitor", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--compile-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    durations = [float(d) for d in args.durations.split(",") if d]
    if args.child == "numpy":
        return numpy_child()
    if args.child:
        return child(args.child, args.n, durations, args.monitor, args.compile_only)

    script = os.path.abspath(__file__)
    cases = [c for c in args.cases.split(",") if c]
    cache = tempfile.mkdtemp(prefix="annbook-bench-noise-")
    env = {"ANNBOOK_CACHE_DIR": cache}
    common = ["--n", str(args.n)]
    summaries, numpy_summary = [], None
    try:
        for noise in ("none", "normal", "uniform"):     # build once: the timed runs are cache hits
            if noise in cases or (noise == "normal" and "monitor" in cases):
                run_child(script, ["--child", noise, "--compile-only"] + common, env)
        for case in cases:
            if case == "numpy":
                values = [run_child(script, ["--child", "numpy"])[0] for _ in range(args.reps)]
                for rep, v in enumerate(values, 1):
                    result(bench="rate_noise", case="numpy", rep=rep, **v)
                numpy_summary = {k: median([v[k] for v in values]) for k in values[0]}
                result(bench="rate_noise", case="numpy", stat="median", reps=args.reps,
                       **numpy_summary)
                continue
            noise, extra, durs = case, [], durations
            if case == "monitor":
                noise, extra, durs = "normal", ["--monitor"], durations[:1]
            child_args = ["--child", noise, "--durations", ",".join(map(str, durs))] + extra
            reports = [run_child(script, child_args + common, env)[0] for _ in range(args.reps)]
            for rep, report in enumerate(reports, 1):
                for run in report["runs"]:
                    result(bench="rate_noise", case=case, n=args.n, rep=rep,
                           compile_s=report["compile_s"], **run)
            for k, duration in enumerate(durs):
                runs = [rep["runs"][k] for rep in reports]
                summary = {key: (median([r[key] for r in runs]) if isinstance(runs[0][key], float)
                                 else runs[0][key]) for key in runs[0]}
                result(bench="rate_noise", case=case, n=args.n, stat="median", reps=args.reps,
                       **summary)
                summaries.append((case, summary))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    print(f"\nmedians of {args.reps} runs, {args.n} neurons, dt = {DT} ms:")
    print(f"{'case':8s} {'sim s':>6s} {'sim/wall':>9s} {'ns/n-step':>9s} {'(cpu)':>6s} "
          f"{'rss MB':>7s}  notes")
    for case, m in summaries:
        note = f"std_r {m['std_r']:.4f} (theory {m['std_r_theory']:.4f})"
        if case == "monitor":
            note = (f"recording {m['record_ns_per_value']:.2f} ns/value "
                    f"({m['record_ns_per_value_cpu']:.2f} cpu), get() {m['get_s']:.3f} s, "
                    f"{m['rec_mb']:.0f} MB recorded")
        print(f"{case:8s} {m['sim_ms'] / 1000:6g} {m['rt_ratio']:9.1f} "
              f"{m['ns_per_neuron_step']:9.2f} {m['ns_per_neuron_step_cpu']:6.2f} "
              f"{m['rss_mb']:7.1f}  {note}")
    if numpy_summary:
        print("numpy, per element (cpu): standard_normal %.2f ns, random %.2f ns, "
              "multiply-add %.2f ns" % (numpy_summary["numpy_normal_ns_cpu"],
                                        numpy_summary["numpy_uniform_ns_cpu"],
                                        numpy_summary["numpy_fma_ns_cpu"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Spiking networks side by side with the reference: speed, compile time, memory, firing rates.

usage: python benchmarks/spiking.py [--networks coba,izh] [--seeds 1,2,3,4,5]
                                    [--duration 1000] [--reference PYTHON]

Each network (COBA: 4000 LIF neurons, p = 0.02, dt = 0.1 ms; Izhikevich: 800 + 200 neurons,
all-to-all, dt = 1 ms) runs once per seed in a fresh process, annbook and the reference
alternately (the reference only with --reference, the python of a virtualenv holding
annarchy==4.8.2.7; default ~/.annarchy-ref/bin/python when it exists). The seed changes the
connectivity and the initial state: the spread of the firing rate over seeds is the
run-to-run spread that the two simulators must share.

Prints RESULT lines per run, then per network: the ratio annbook / reference of the median
CPU seconds per simulated second, cold and cached compile times, peak memory, and the firing
rate as mean +- sd over seeds for both.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from _common import child_report, peak_rss_mb, result  # noqa: E402

DT = {"coba": 0.1, "izh": 1.0}


def build_coba(ann, np):
    neuron = ann.Neuron(
        parameters="""
            El = -60.0 : population
            Vr = -60.0 : population
            Erev_exc = 0.0 : population
            Erev_inh = -80.0 : population
            Vt = -50.0 : population
            tau = 20.0 : population
            tau_exc = 5.0 : population
            tau_inh = 10.0 : population
            I = 20.0 : population
        """,
        equations="""
            tau * dv/dt = (El - v) + g_exc * (Erev_exc - v) + g_inh * (Erev_inh - v) + I
            tau_exc * dg_exc/dt = - g_exc
            tau_inh * dg_inh/dt = - g_inh
        """,
        spike="v > Vt", reset="v = Vr", refractory=5.0)
    pop = ann.Population(4000, neuron)
    pop.v = ann.Normal(-55.0, 5.0)
    pop.g_exc = ann.Normal(4.0, 1.5)
    pop.g_inh = ann.Normal(20.0, 12.0)
    ann.Projection(pop[:3200], pop, "exc").connect_fixed_probability(weights=0.6,
                                                                      probability=0.02)
    ann.Projection(pop[3200:], pop, "inh").connect_fixed_probability(weights=6.7,
                                                                      probability=0.02)
    return pop


def build_izh(ann, np):
    neuron = ann.Neuron(
        parameters="noise = 5.0\na = 0.02\nb = 0.2\nc = -65.0\nd = 2.0\nv_thresh = 30.0",
        equations="""
            I = g_exc - g_inh + noise * Normal(0.0, 1.0)
            dv/dt = 0.04 * v^2 + 5.0 * v + 140.0 - u + I
            du/dt = a * (b * v - u)
        """,
        spike="v >= v_thresh", reset="v = c\nu += d")
    pop = ann.Population(1000, neuron)
    exc, inh = pop[:800], pop[800:]
    re, ri = np.random.random(800), np.random.random(200)
    exc.noise, inh.noise = 5.0, 2.0
    exc.a, inh.a = 0.02, 0.02 + 0.08 * ri
    exc.b, inh.b = 0.2, 0.25 - 0.05 * ri
    exc.c, inh.c = -65.0 + 15.0 * re ** 2, -65.0
    exc.d, inh.d = 8.0 - 6.0 * re ** 2, 2.0
    pop.v = -65.0
    exc.u, inh.u = -65.0 * 0.2, -65.0 * (0.25 - 0.05 * ri)
    ann.Projection(exc, pop, "exc").connect_all_to_all(weights=ann.Uniform(0.0, 0.5))
    ann.Projection(inh, pop, "inh").connect_all_to_all(weights=ann.Uniform(0.0, 1.0))
    return pop


def child(module, network, seed, duration, directory):
    """One run in this process: build, compile, simulate; report the figures."""
    import importlib
    import numpy as np
    ann = importlib.import_module(module)
    np.random.seed(seed)
    ann.setup(dt=DT[network], seed=seed)
    started = time.perf_counter()
    pop = {"coba": build_coba, "izh": build_izh}[network](ann, np)
    monitor = ann.Monitor(pop, "spike")
    ann.compile(directory=directory)
    compile_s = time.perf_counter() - started
    cpu = time.process_time()
    ann.simulate(duration)
    sim_cpu_s = time.process_time() - cpu
    spikes = sum(len(v) for v in monitor.get("spike").values())
    child_report(compile_s=compile_s, sim_cpu_per_s=sim_cpu_s / (duration / 1000.0),
                 rate_hz=spikes / pop.size / (duration / 1000.0), rss_mb=peak_rss_mb())


def run(python, module, network, seed, duration, directory, env):
    # the reference takes its build folder relative to the working directory
    proc = subprocess.run([python, os.path.abspath(__file__), "--child", module, network,
                           str(seed), str(duration), os.path.basename(directory)],
                          capture_output=True, text=True, env=env, timeout=900,
                          cwd=os.path.dirname(directory))
    lines = [line for line in proc.stdout.splitlines() if line.startswith("CHILD ")]
    if proc.returncode != 0 or not lines:
        sys.stderr.write(proc.stdout[-2000:] + proc.stderr[-2000:])
        raise RuntimeError(f"{module} run of {network} (seed {seed}) failed")
    import json
    return json.loads(lines[0][6:])


def summary(name, rows):
    rates = [r["rate_hz"] for r in rows]
    spread = statistics.stdev(rates) if len(rates) > 1 else 0.0
    return (f"{name}: rate {statistics.mean(rates):.2f} +- {spread:.2f} Hz, "
            f"CPU per simulated s {statistics.median(r['sim_cpu_per_s'] for r in rows):.4f} s, "
            f"compile cold {rows[0]['compile_s']:.2f} s, cached "
            f"{statistics.median(r['compile_s'] for r in rows[1:]) if len(rows) > 1 else 0:.2f} s, "
            f"peak RSS {max(r['rss_mb'] for r in rows):.0f} MB")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--networks", default="coba,izh")
    parser.add_argument("--seeds", default="1,2,3,4,5")
    parser.add_argument("--duration", type=float, default=1000.0)
    default_ref = os.path.expanduser("~/.annarchy-ref/bin/python")
    parser.add_argument("--reference", default=default_ref if os.path.exists(default_ref)
                        else None)
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    work = tempfile.mkdtemp(prefix="annbook-spiking-bench-")
    sides = [("annbook", sys.executable, dict(os.environ, ANNBOOK_CACHE_DIR=work + "/cache"))]
    if args.reference:
        path = os.path.dirname(args.reference) + os.pathsep + os.environ.get("PATH", "")
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        sides.append(("ANNarchy", args.reference, dict(env, PATH=path)))
    for network in args.networks.split(","):
        rows = {name: [] for name, _, _ in sides}
        for seed in seeds:
            for name, python, env in sides:
                row = run(python, name, network, seed, args.duration,
                          os.path.join(work, f"{name}-{network}"), env)
                rows[name].append(row)
                result(network=network, sim=name, seed=seed, **row)
        for name, _, _ in sides:
            print(summary(f"{network} {name}", rows[name]))
        if args.reference:
            ratio = statistics.median(r["sim_cpu_per_s"] for r in rows["annbook"]) / \
                statistics.median(r["sim_cpu_per_s"] for r in rows["ANNarchy"])
            print(f"{network}: annbook / reference CPU time per simulated second = {ratio:.2f}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]), sys.argv[6])
    else:
        main()

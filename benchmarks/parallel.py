"""parallel_run: speed-up on 2 workers and overhead per network, with the reference alongside.

usage: python benchmarks/parallel.py [--reps 3] [--networks 8] [--small 64] [--no-reference]

Sweep 1: ``--networks`` copies of the 1000-neuron Izhikevich network of
../shared/bench/workloads.py (1M synapses), 1 s simulated each, ``max_processes=2``,
against ``sequential=True`` in the same process. Sweep 2: ``--small`` copies of a
100-neuron version. Each simulator runs in its own child process (the reference with
~/.annarchy-ref/bin/python): sequential, then a first parallel call (workers start), then
a second one (workers reused, what a notebook sees from its second sweep on).

overhead per network = (parallel wall x workers - sequential wall) / networks: what a
network costs in a worker beyond its simulation (start-up, transfer, results). The CPU
overhead is the same difference in CPU seconds of the caller and its workers: it does not
depend on other jobs sharing the cores, the wall-time figures do (see load1).
"""

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from _common import median, now, result, run_child  # noqa: E402

REFERENCE = os.path.expanduser("~/.annarchy-ref/bin/python")
WORKERS = 2
monitor = None


def izhikevich(ann, n):
    """The Izhikevich workload of ../shared/bench/workloads.py at size n (all-to-all)."""
    import numpy as np
    neuron = ann.Neuron(
        parameters="""
            noise = 5.0
            a = 0.02
            b = 0.2
            c = -65.0
            d = 2.0
            v_thresh = 30.0
        """,
        equations="""
            I = g_exc - g_inh + noise * Normal(0.0, 1.0)
            dv/dt = 0.04 * v^2 + 5.0 * v + 140.0 - u + I
            du/dt = a * (b*v - u)
        """,
        spike="v >= v_thresh",
        reset="""
            v = c
            u += d
        """)
    n_exc = int(0.8 * n)
    pop = ann.Population(geometry=n, neuron=neuron)
    exc, inh = pop[:n_exc], pop[n_exc:]
    re, ri = np.random.random(n_exc), np.random.random(n - n_exc)
    inh.noise = 2.0
    inh.a = 0.02 + 0.08 * ri
    inh.b = 0.25 - 0.05 * ri
    exc.c = -65.0 + 15.0 * re ** 2
    exc.d = 8.0 - 6.0 * re ** 2
    inh.d = 2.0
    pop.v = -65.0
    exc.u = -65.0 * 0.2
    inh.u = -65.0 * (0.25 - 0.05 * ri)
    ann.Projection(pre=exc, post=pop, target="exc").connect_all_to_all(
        weights=ann.Uniform(0.0, 0.5))
    ann.Projection(pre=inh, post=pop, target="inh").connect_all_to_all(
        weights=ann.Uniform(0.0, 1.0))
    return ann.Monitor(pop, "spike")


def simulation(idx, net):
    net.simulate(1000.0)
    return sum(len(times) for times in net.get(monitor).get("spike").values())


def child(module, size, networks):
    """One simulator, one network size: sequential, first parallel, second parallel."""
    global monitor
    import importlib
    import numpy as np
    ann = importlib.import_module(module)
    ann.setup(dt=1.0, seed=42)
    np.random.seed(42)
    monitor = izhikevich(ann, size)
    started = now()
    ann.compile()
    compile_s = now() - started
    options = dict(progress=False) if module == "annbook" else {}
    times, counts = {}, {}
    for case, kwargs in (("sequential", dict(sequential=True)),
                         ("parallel_first", dict(max_processes=WORKERS)),
                         ("parallel_second", dict(max_processes=WORKERS))):
        started, cpu = now(), cpu_with_children()
        counts[case] = ann.parallel_run(simulation, number=networks, **kwargs, **options)
        times[case] = now() - started
        times[case + "_cpu"] = cpu_with_children() - cpu
    print("CHILD " + __import__("json").dumps(dict(
        compile_s=compile_s, **times, same=counts["parallel_second"] == counts["sequential"],
        mean_spikes=float(np.mean(counts["sequential"])))), flush=True)


def cpu_with_children():
    """CPU seconds of this process, of its finished children and of the live ones (workers,
    read from /proc: the reference's environment has no psutil)."""
    finished = os.times()
    tick = os.sysconf("SC_CLK_TCK")
    live = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():         # ppid; then utime and stime at 11, 12
            live += (int(fields[11]) + int(fields[12])) / tick
    return time.process_time() + finished.children_user + finished.children_system + live


def measure(module, size, networks, reps, folder):
    python = REFERENCE if module == "ANNarchy" else sys.executable
    env = {"PATH": os.path.dirname(REFERENCE) + ":" + os.environ["PATH"]} \
        if module == "ANNarchy" else {}
    rows = []
    for rep in range(reps):
        command = [python, os.path.abspath(__file__), "--child", module, str(size), str(networks)]
        started = now()
        import subprocess
        done = subprocess.run(command, cwd=folder, env=dict(os.environ, **env),
                              capture_output=True, text=True, timeout=1800)
        if done.returncode != 0:
            sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
            raise RuntimeError(f"{module} child failed")
        line = [row for row in done.stdout.splitlines() if row.startswith("CHILD ")][0]
        report = __import__("json").loads(line[6:])
        for case in ("parallel_first", "parallel_second"):
            report[case + "_speedup"] = report["sequential"] / report[case]
            report[case + "_overhead_s"] = (report[case] * WORKERS - report["sequential"]) \
                / networks
            report[case + "_cpu_overhead_s"] = \
                (report[case + "_cpu"] - report["sequential_cpu"]) / networks
        rows.append(report)
        result(bench="parallel", sim=module, n=size, networks=networks, workers=WORKERS,
               rep=rep + 1, **{k: v for k, v in report.items() if not isinstance(v, bool)},
               same_results=report["same"], wall_child_s=now() - started)
    medians = {key: median([row[key] for row in rows]) for key in rows[0]
               if not isinstance(rows[0][key], bool)}
    result(bench="parallel", sim=module, n=size, networks=networks, workers=WORKERS,
           stat="median", reps=reps, **medians)
    return medians


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--networks", type=int, default=8)
    parser.add_argument("--small", type=int, default=64)
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        return child(args.child[0], int(args.child[1]), int(args.child[2]))
    os.environ.setdefault("ANNBOOK_CACHE_DIR", tempfile.mkdtemp(prefix="annbook-bench-"))
    folder = tempfile.mkdtemp(prefix="annbook-bench-parallel-")
    print(f"# load before: {os.getloadavg()[0]:.2f} (2 cores: above ~1, other jobs share them)")
    simulators = ["annbook"] + ([] if args.no_reference or not os.path.exists(REFERENCE)
                                else ["ANNarchy"])
    summary = {}
    for module in simulators:
        summary[module, 1000] = measure(module, 1000, args.networks, args.reps, folder)
    summary["annbook", 100] = measure("annbook", 100, args.small, args.reps, folder)
    for (module, size), m in summary.items():
        networks = args.networks if size == 1000 else args.small
        print(f"{module:8s} {networks} x {size} neurons, 1 s each: sequential "
              f"{m['sequential']:.2f} s, parallel {m['parallel_first']:.2f} s first call "
              f"(x{m['parallel_first_speedup']:.2f}, overhead "
              f"{m['parallel_first_overhead_s'] * 1000:.0f} ms/network, CPU "
              f"{m['parallel_first_cpu_overhead_s'] * 1000:.0f} ms/network), "
              f"{m['parallel_second']:.2f} s next calls (x{m['parallel_second_speedup']:.2f}, "
              f"overhead {m['parallel_second_overhead_s'] * 1000:.0f} ms/network, CPU "
              f"{m['parallel_second_cpu_overhead_s'] * 1000:.0f} ms/network)")
    if ("ANNarchy", 1000) in summary:
        mine, theirs = summary["annbook", 1000], summary["ANNarchy", 1000]
        print(f"parallel wall time annbook / reference: first call "
              f"{mine['parallel_first'] / theirs['parallel_first']:.2f}, next calls "
              f"{mine['parallel_second'] / theirs['parallel_second']:.2f}")
    print(f"# load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

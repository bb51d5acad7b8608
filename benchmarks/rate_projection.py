"""1000 x 1000 all-to-all rate projection (dt = 1 ms): simulation speed, memory, connector time.

usage: python benchmarks/rate_projection.py [--n 1000] [--duration 10000] [--reps 3]
                                           [--precision double|float] [--sparse 0.1]

Prints RESULT lines: connector build times (all_to_all, fixed_probability 0.1), simulated
seconds per wall second, ns per synapse and step, bytes per synapse, and the time of a numpy
dense matrix-vector product of the same size and precision (the speed to compare with: the
weights are read once per step either way). ``--sparse 0`` leaves the sparse projection out.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from _common import result  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--duration", type=float, default=10000.0)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--precision", choices=["double", "float"], default="double")
    parser.add_argument("--sparse", type=float, default=0.1)
    args = parser.parse_args()
    os.environ.setdefault("ANNBOOK_CACHE_DIR", tempfile.mkdtemp(prefix="annbook-bench-"))
    import numpy as np
    import annbook as ann

    n = args.n
    builds = {"all_to_all": [], "fixed_probability": []}
    sims, matvec = [], []
    for _ in range(args.reps):
        ann.clear()
        ann.setup(precision=args.precision)
        inp = ann.Population(n, ann.Neuron(parameters="baseline = 0.5",
                                           equations="r = baseline + 0.1 * Uniform(-1.0, 1.0)"))
        pop = ann.Population(n, ann.Neuron(
            parameters="tau = 10.0\nbaseline = 0.0\nnoise = 0.1",
            equations="tau * dr/dt + r = sum(exc) + baseline + noise * Uniform(-1.0, 1.0) : min=0.0"))
        sparse = None
        if args.sparse > 0:
            sparse = ann.Projection(inp, pop, "inh")
            started = time.perf_counter()
            sparse.connect_fixed_probability(args.sparse, weights=ann.Uniform(0.0, 0.001))
            builds["fixed_probability"].append(time.perf_counter() - started)
        proj = ann.Projection(inp, pop, "exc")
        started = time.perf_counter()
        proj.connect_all_to_all(weights=ann.Uniform(-0.004, 0.005))
        builds["all_to_all"].append(time.perf_counter() - started)
        ann.compile()
        ann.simulate(10.0)
        started = time.perf_counter()
        ann.simulate(args.duration)
        sims.append(time.perf_counter() - started)
        dtype = np.float32 if args.precision == "float" else np.float64
        matrix, vector = np.random.rand(n, n).astype(dtype), np.random.rand(n).astype(dtype)
        started = time.perf_counter()
        for _ in range(200):
            matrix.dot(vector)
        matvec.append((time.perf_counter() - started) / 200)
    steps = args.duration / ann.dt()
    synapses = proj.nb_synapses + (sparse.nb_synapses if sparse else 0)
    sim = statistics.median(sims)
    per_synapse = proj.size_in_bytes() / proj.nb_synapses
    result(bench="rate_projection", n=n, reps=args.reps, precision=args.precision,
           sparse=args.sparse, build_all_to_all_s=statistics.median(builds["all_to_all"]),
           build_fixed_probability_s=statistics.median(builds["fixed_probability"] or [0.0]),
           sim_s=sim, rt_ratio=(args.duration / 1000.0) / sim,
           ns_per_synapse_step=sim / steps / synapses * 1e9,
           numpy_matvec_ns_per_synapse=statistics.median(matvec) / (n * n) * 1e9,
           bytes_per_synapse=per_synapse)
    print(f"{n}x{n} all-to-all + {args.sparse:.0%} sparse ({args.precision}): {(args.duration / 1000.0) / sim:.1f} simulated s per "
          f"wall s, {sim / steps / synapses * 1e9:.2f} ns per synapse-step "
          f"(numpy dense matvec: {statistics.median(matvec) / (n * n) * 1e9:.2f} ns per element), "
          f"{per_synapse:.1f} bytes per synapse")


if __name__ == "__main__":
    main()

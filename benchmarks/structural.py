"""Structural plasticity on a 1000 x 1000 rate projection at 10 % density (dt = 1 ms).

usage: python benchmarks/structural.py [--n 1000] [--updates 100] [--period 10] [--reps 3]
                                       [--module annbook|ANNarchy]

A pruning and a creating condition are evaluated every ``period`` steps: each update prunes
~1 % of the synapses and creates about as many. Prints RESULT lines with the cost of one
structural update (creating, pruning, both: milliseconds beyond the same steps without
them), the cost of one simulation step for scale, and the cost of one
``Dendrite.create_synapse`` / ``prune_synapse`` call from Python. With ``--module ANNarchy``
(run by the reference's interpreter) the same script measures the reference.
"""

import argparse
import importlib
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from _common import result  # noqa: E402


def build(ann, n):
    ann.clear()
    ann.setup(structural_plasticity=True, seed=1)
    fixed = ann.Neuron(parameters="r = 0.0")
    pre = ann.Population(n, fixed)
    post = ann.Population(n, ann.Neuron(parameters="level = 0.0",
                                        equations="r = level + 0.001 * sum(exc)"))
    synapse = ann.Synapse(equations="age = age + 1 : init=0, int",
                          pruning="pre.r < 0.1 : proba = 0.1",
                          creating="pre.r * post.r > 0.81 : proba = 0.01, w = 0.5")
    proj = ann.Projection(pre, post, "exc", synapse)
    proj.connect_fixed_probability(0.1, weights=ann.Uniform(0.0, 1.0))
    rng = __import__("numpy").random.default_rng(2)
    pre.r = rng.random(n)
    post.level = rng.random(n)
    ann.compile(**({} if ann.__name__ == "annbook" else {"silent": True}))
    return proj


def timed(ann, steps):
    started = time.perf_counter()
    ann.simulate(float(steps))
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--updates", type=int, default=100)
    parser.add_argument("--period", type=int, default=10)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--module", default="annbook")
    args = parser.parse_args()
    os.environ.setdefault("ANNBOOK_CACHE_DIR", tempfile.mkdtemp(prefix="annbook-bench-"))
    ann = importlib.import_module(args.module)

    steps = args.updates * args.period
    costs = {"creating": [], "pruning": [], "both": []}
    per_step, calls = [], {"create_synapse": [], "prune_synapse": []}
    synapses = []
    for _ in range(args.reps):
        proj = build(ann, args.n)
        ann.simulate(10.0)
        plain = timed(ann, steps)
        per_step.append(plain / steps)
        for kind in ("creating", "pruning", "both"):
            if kind in ("creating", "both"):
                proj.start_creating(period=float(args.period))
            if kind in ("pruning", "both"):
                proj.start_pruning(period=float(args.period))
            before = proj.nb_synapses
            costs[kind].append((timed(ann, steps) - plain) / args.updates)
            synapses.append((kind, before, proj.nb_synapses))
            for stop in (proj.stop_creating, proj.stop_pruning):
                stop()
        dendrite = proj.dendrite(0)
        absent = [r for r in range(args.n) if r not in set(dendrite.pre_ranks)][:50]
        started = time.perf_counter()
        for rank in absent:
            dendrite.create_synapse(rank, 0.5)
        calls["create_synapse"].append((time.perf_counter() - started) / len(absent))
        started = time.perf_counter()
        for rank in absent:
            dendrite.prune_synapse(rank)
        calls["prune_synapse"].append((time.perf_counter() - started) / len(absent))
    for kind, before, after in synapses[-3:]:
        result(bench="structural", case=kind, synapses_before=before, synapses_after=after)
    medians = {f"{kind}_ms_per_update": 1000 * statistics.median(values)
               for kind, values in costs.items()}
    medians.update({f"{name}_ms_per_call": 1000 * statistics.median(values)
                    for name, values in calls.items()})
    result(bench="structural", stat="median", module=args.module, reps=args.reps, n=args.n,
           synapses=proj.nb_synapses, period_steps=args.period,
           step_ms=1000 * statistics.median(per_step), **medians)


if __name__ == "__main__":
    main()

"""Creating and compiling 10 copies of a 1000-neuron network: total time vs one compile.

usage: python benchmarks/network_copies.py [--copies 10] [--n 1000]
Prints RESULT lines: the first compile, the total time of creating and compiling the copies,
and the time of copying the network's arrays with numpy (what the copies should cost).
"""

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from _common import result  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()
    os.environ.setdefault("ANNBOOK_CACHE_DIR", tempfile.mkdtemp(prefix="annbook-bench-"))
    import numpy as np
    import annbook as ann

    pop = ann.Population(args.n, ann.Neuron(
        parameters="tau = 10.0\nI = 1.0",
        equations="tau * dr/dt + r = I + sum(exc) + 0.1 * Normal(0.0, 1.0)"))
    proj = ann.Projection(pop, pop, "exc")
    proj.connect_fixed_probability(0.1, weights=ann.Uniform(0.0, 0.01))
    started = time.perf_counter()
    ann.compile()
    first = time.perf_counter() - started
    started = time.perf_counter()
    networks = []
    for _ in range(args.copies):
        net = ann.Network(everything=True)
        net.compile()
        networks.append(net)
    copies = time.perf_counter() - started
    arrays = [pop.r, pop.I, np.concatenate(proj.w)]
    started = time.perf_counter()
    for _ in range(args.copies):
        [a.copy() for a in arrays]
    array_copies = time.perf_counter() - started
    for net in networks:
        net.simulate(10.0)
    result(bench="network_copies", n=args.n, copies=args.copies, first_compile_s=first,
           copies_total_s=copies, per_copy_s=copies / args.copies,
           numpy_array_copies_s=array_copies,
           builds=sum(net.last_compile["built"] for net in networks))
    print(f"first compile {first:.2f} s; {args.copies} copies created and compiled in "
          f"{copies:.2f} s ({copies / args.copies * 1000:.1f} ms each, no build); "
          f"copying their arrays alone: {array_copies * 1000:.1f} ms")


if __name__ == "__main__":
    main()

"""Cost of safe saves: ann.save() (temporary file, fsync, rename, checks on load) against
writing the same dict straight to the target, and ann.load().

usage: python benchmarks/save_load.py [--n 4000] [--density 0.1] [--reps 3]
Prints one RESULT line per format with median times in seconds and the ratio
save / direct write (the price of the atomic write).
"""

import argparse
import gzip
import os
import pickle
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from _common import result  # noqa: E402


def direct(filename, data, flat):
    """The same content written the way a plain save would, without the atomic steps."""
    if filename.endswith(".npz"):
        import numpy as np
        np.savez_compressed(filename, **flat)
    else:
        opener = gzip.open if filename.endswith(".gz") else open
        with opener(filename, "wb") as handle:
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=4000)
    parser.add_argument("--density", type=float, default=0.1)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    import annbook as ann
    from annbook.core import io

    ann.setup(seed=1)
    neuron = ann.Neuron(parameters="tau = 10.0\nI = 1.0", equations="tau * dr/dt + r = I")
    pop = ann.Population(args.n, neuron, name="pop")
    proj = ann.Projection(pop, pop, "exc", ann.Hebb(), name="rec")
    proj.connect_fixed_probability(args.density, weights=ann.Uniform(0.0, 1.0))
    folder = tempfile.mkdtemp(prefix="annbook-save-")
    data = {"time_step": 0, "net_id": 0,
            "obj_names": {"populations": ["pop"], "projections": ["rec"]},
            "pop": pop._saved(), "rec": proj._saved()}
    flat = io._flat(data)
    for extension in (".npz", ".gz", ".data"):
        filename = os.path.join(folder, "state" + extension)
        times = {"save": [], "direct": [], "load": []}
        for _ in range(args.reps):
            started = time.perf_counter()
            ann.save(filename)
            times["save"].append(time.perf_counter() - started)
            started = time.perf_counter()
            direct(os.path.join(folder, "direct" + extension), data, flat)
            times["direct"].append(time.perf_counter() - started)
            started = time.perf_counter()
            ann.load(filename)
            times["load"].append(time.perf_counter() - started)
        median = {k: statistics.median(v) for k, v in times.items()}
        result(bench="save_load", format=extension[1:], neurons=args.n,
               synapses=proj.nb_synapses, megabytes=os.path.getsize(filename) / 1e6,
               save_s=median["save"], direct_s=median["direct"], load_s=median["load"],
               ratio=median["save"] / median["direct"])


if __name__ == "__main__":
    main()

"""A two-layer convolutional network on 28x28 inputs: speed, compile time, memory.

usage: python benchmarks/convolution.py [--reps 3] [--duration 1000] [--no-reference]

The network (rate-coded, dt = 1 ms, neurons ``r = pos(sum(exc))``):

  input 28x28 -> bank of 8 filters 5x5 -> 28x28x8 -> max-pooling 2x2 -> 14x14x8
              -> bank of 16 filters 3x3x8 -> 14x14x16 -> max-pooling 2x2 -> 7x7x16

built three ways:

  shared     Convolution and Pooling (extensions.convolution): one copy of each filter
  explicit   the same synapses as ordinary projections (connect_from_sparse: one weight and
             one pre rank per synapse; the poolings stay Pooling)
  reference  the shared network in ANNarchy 4.8.2.7 (~/.annarchy-ref, or
             $ANNBOOK_REFERENCE_PYTHON), when it is installed

For each: cold compile (empty cache) and cached compile in seconds, and simulated ms per
wall ms (``--duration`` ms of simulation, input changed once). Memory: bytes per synapse of
the two convolutions (``size_in_bytes()`` over their synapses) for shared and explicit, and
of an all-to-all projection from the 784 inputs to the 6272 neurons of the first layer.
Every measurement runs in a fresh process; medians of ``--reps``.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

from _common import child_report, median, result, run_child

FILTERS1, FILTERS2 = (8, 5, 5), (16, 3, 3, 8)


def build(ann, conv, explicit):
    rng = np.random.default_rng(0)
    neuron = ann.Neuron(equations="r = pos(sum(exc))")
    inp = ann.Population((28, 28), ann.Neuron(parameters="r = 0.0"), name="inp")
    c1 = ann.Population((28, 28, 8), neuron, name="c1")
    p1 = ann.Population((14, 14, 8), neuron, name="p1")
    c2 = ann.Population((14, 14, 16), neuron, name="c2")
    p2 = ann.Population((7, 7, 16), neuron, name="p2")
    w1 = rng.normal(0, 0.2, size=FILTERS1)
    w2 = rng.normal(0, 0.1, size=FILTERS2)
    projections = []
    for pre, post, weights in ((inp, c1, w1), (p1, c2, w2)):
        if explicit:
            proj = ann.Projection(pre, post, "exc")
            proj.connect_from_sparse(_sparse(pre.geometry, post.geometry, weights))
        else:
            proj = conv.Convolution(pre, post, "exc")
            proj.connect_filters(weights)
        projections.append(proj)
    conv.Pooling(c1, p1, "exc").connect_pooling(extent=(2, 2, 1))
    conv.Pooling(c2, p2, "exc").connect_pooling(extent=(2, 2, 1))
    return inp, projections


def _sparse(pre_geometry, post_geometry, bank):
    """The synapses of a bank convolution as a scipy (pre x post) matrix."""
    import scipy.sparse as sparse
    pre_shape = tuple(pre_geometry) + ((1,) if len(pre_geometry) == 2 else ())
    filters = bank.reshape(bank.shape[:3] + (-1,))
    rows, cols, values = [], [], []
    height, width, channels = pre_shape
    kh, kw = filters.shape[1:3]
    post_ranks = np.arange(int(np.prod(post_geometry))).reshape(post_geometry)
    for i in range(height):
        for j in range(width):
            for a in range(kh):
                for b in range(kw):
                    x, y = i + a - (kh - 1) // 2, j + b - (kw - 1) // 2
                    if not (0 <= x < height and 0 <= y < width):
                        continue
                    for c in range(channels):
                        pre = (x * width + y) * channels + c
                        for f in range(filters.shape[0]):
                            rows.append(pre)
                            cols.append(post_ranks[i, j, f])
                            values.append(filters[f, a, b, c])
    size = int(np.prod(pre_shape)), int(np.prod(post_geometry))
    return sparse.csr_matrix((values, (rows, cols)), shape=size)


def virtual_synapses(proj):
    """Synapses a convolution stands for (its window elements inside the pre population)."""
    centres = proj._shared["centers"].reshape(proj.post.size, -1)
    count = 0
    kernel = proj._shared["kshape"]
    shape = proj._shared["pshape"]
    for d, (k, n) in enumerate(zip(kernel, shape)):
        offsets = np.arange(k) - (k - 1) // 2
        inside = ((centres[:, d:d + 1] + offsets >= 0) & (centres[:, d:d + 1] + offsets < n))
        count = inside.sum(1) if d == 0 else count * inside.sum(1)
    return int(np.sum(count))


def child(case, module, duration, compile_only):
    import importlib
    ann = importlib.import_module(module)
    conv = importlib.import_module(module + ".extensions.convolution")
    ann.setup(dt=1.0)
    inp, projections = build(ann, conv, case == "explicit")
    started = time.perf_counter()
    ann.compile(compiler_flags="-O3 -march=native") if module == "ANNarchy" else ann.compile()
    compiled = time.perf_counter() - started
    if compile_only:
        return child_report(compile_s=compiled)
    report = {"compile_s": compiled}
    rng = np.random.default_rng(1)
    inp.r = rng.uniform(size=(28, 28))
    ann.simulate(10.0)
    started = time.perf_counter()
    ann.simulate(duration / 2)
    inp.r = rng.uniform(size=(28, 28))
    ann.simulate(duration / 2)
    report["sim_ms_per_wall_ms"] = duration / ((time.perf_counter() - started) * 1000.0)
    if module != "ANNarchy":
        synapses = sum(p.nb_synapses if case == "explicit" else virtual_synapses(p)
                       for p in projections)
        report["bytes_per_synapse"] = sum(p.size_in_bytes() for p in projections) / synapses
        report["synapses"] = synapses
    child_report(**report)


def all_to_all_bytes():
    import annbook as ann
    pre = ann.Population((28, 28), ann.Neuron(parameters="r = 0.0"))
    post = ann.Population((28, 28, 8), ann.Neuron(equations="r = sum(exc)"))
    proj = ann.Projection(pre, post, "exc")
    proj.connect_all_to_all(ann.Uniform(0.0, 1.0))
    return proj.size_in_bytes() / proj.nb_synapses


def reference_python():
    path = os.environ.get("ANNBOOK_REFERENCE_PYTHON") or \
        os.path.expanduser("~/.annarchy-ref/bin/python")
    return path if os.path.exists(path) else None


def run_reference(python, script, args, workdir):
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env["PATH"] = os.path.dirname(python) + os.pathsep + env.get("PATH", "")
    proc = subprocess.run([python, script] + args, cwd=workdir, env=env, capture_output=True,
                          text=True, timeout=900)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise RuntimeError("reference run failed")
    return json.loads(next(line[6:] for line in proc.stdout.splitlines()
                           if line.startswith("CHILD ")))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--duration", type=float, default=1000.0)
    ap.add_argument("--no-reference", action="store_true")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--module", default="annbook", help=argparse.SUPPRESS)
    ap.add_argument("--compile-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child, args.module, args.duration, args.compile_only)
    script = os.path.abspath(__file__)
    common = ["--duration", str(args.duration)]
    summary = {}
    for case in ("shared", "explicit"):
        cache = tempfile.mkdtemp(prefix="annbook-bench-conv-")
        env = {"ANNBOOK_CACHE_DIR": cache}
        try:
            cold = [run_child(script, ["--child", case, "--compile-only"] + common, env)[0]]
            for _ in range(args.reps - 1):     # more cold builds: a fresh cache each time
                shutil.rmtree(cache, ignore_errors=True)
                cold.append(run_child(script, ["--child", case, "--compile-only"] + common,
                                      env)[0])
            runs = [run_child(script, ["--child", case] + common, env)[0]
                    for _ in range(args.reps)]
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        summary[case] = {"cold_compile_s": median([r["compile_s"] for r in cold]),
                         "cached_compile_s": median([r["compile_s"] for r in runs]),
                         "sim_ms_per_wall_ms": median([r["sim_ms_per_wall_ms"] for r in runs]),
                         "bytes_per_synapse": runs[0]["bytes_per_synapse"],
                         "synapses": runs[0]["synapses"]}
    python = None if args.no_reference else reference_python()
    if python:
        workdir = tempfile.mkdtemp(prefix="annbook-bench-conv-ref-")
        try:
            refs = [run_reference(python, script, ["--child", "shared", "--module", "ANNarchy"]
                                  + common, workdir) for _ in range(args.reps)]
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        # the first run builds in the fresh folder, the others find the reference's build
        summary["reference"] = {"cold_compile_s": refs[0]["compile_s"],
                                "sim_ms_per_wall_ms": median([r["sim_ms_per_wall_ms"]
                                                              for r in refs])}
        if len(refs) > 1:
            summary["reference"]["cached_compile_s"] = median([r["compile_s"] for r in refs[1:]])
    dense = all_to_all_bytes()
    for case, values in summary.items():
        result(bench="convolution", case=case, stat="median", reps=args.reps,
               duration_ms=args.duration, **values)
    result(bench="convolution", case="all_to_all", bytes_per_synapse=dense)
    print(f"\nmedians of {args.reps} runs ({args.duration:g} ms simulated, dt = 1 ms):")
    print(f"  {'case':10s} {'cold compile':>13s} {'cached':>8s} {'sim ms/wall ms':>15s} "
          f"{'bytes/synapse':>14s}")
    for case, values in summary.items():
        cached = values.get("cached_compile_s")
        per = values.get("bytes_per_synapse")
        print(f"  {case:10s} {values['cold_compile_s']:12.2f}s "
              f"{'' if cached is None else f'{cached:7.2f}s':>8s} "
              f"{values['sim_ms_per_wall_ms']:15.1f} {'' if per is None else f'{per:14.4f}':>14s}")
    print(f"  all-to-all 784 -> 6272: {dense:.2f} bytes per synapse")
    if "reference" in summary:
        ratio = summary["shared"]["sim_ms_per_wall_ms"] / summary["reference"]["sim_ms_per_wall_ms"]
        print(f"  shared / reference simulation speed: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

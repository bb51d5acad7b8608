"""Command line.

``python -m annbook demo`` simulates an example network and shows the result (no Jupyter
needed); ``python -m annbook precompile [NOTEBOOK ...]`` runs notebooks (default: those of
``examples/``) once so that their networks are in the build cache.
"""

import argparse
import glob
import sys
import time

__all__ = ["main", "demo"]

_BARS = " ▁▂▃▄▅▆▇█"


def _sparkline(values):
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    return "".join(_BARS[int((v - low) / span * (len(_BARS) - 1))] for v in values)


def demo():
    """1000 noisy leaky integrators driven by a step input; prints what they did."""
    import numpy as np
    import annbook as ann

    ann.setup(dt=1.0, seed=42)
    neuron = ann.Neuron(
        parameters="""
            tau = 20.0 : population
            I = 0.0
            sigma = 0.2 : population
        """,
        equations="""
            tau * dv/dt + v = I + sigma * Normal(0.0, 1.0) : exponential
            r = pos(v)
        """,
        name="noisy leaky integrator")
    pop = ann.Population(1000, neuron, name="integrators")
    pop.I = np.linspace(-1.0, 2.0, 1000)
    monitor = ann.Monitor(pop, "r", period=5.0)
    started = time.perf_counter()
    ann.compile()
    compile_s = time.perf_counter() - started
    started = time.perf_counter()
    ann.simulate(200.0)
    pop.I = pop.I + 1.0          # a step of input, no recompilation
    ann.simulate(300.0)
    sim_s = time.perf_counter() - started
    rates = monitor.get("r")
    mean_rate = rates.mean(axis=1)
    print("annbook demo: 1000 noisy leaky integrators, dt = 1 ms, 500 ms simulated")
    print(f"  compile: {compile_s:.2f} s   simulate: {sim_s * 1000:.1f} ms "
          f"({0.5 / sim_s:.0f}x real time)")
    print(f"  mean rate over time (input step at 200 ms): {_sparkline(list(mean_rate))}")
    print(f"  mean rate before the step: {mean_rate[30:40].mean():.3f}   "
          f"after: {mean_rate[-10:].mean():.3f}")
    print(f"  expected steady states (mean of pos(I)): {np.maximum(np.linspace(-1, 2, 1000), 0).mean():.3f}"
          f" -> {np.maximum(np.linspace(0, 3, 1000), 0).mean():.3f}")
    print(f"  recorded array: {rates.shape} (records x neurons)")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="annbook")
    parser.add_argument("command", choices=["demo", "precompile"],
                        help="demo: simulate an example network; precompile: run notebooks "
                             "once so that their networks are compiled in the cache")
    parser.add_argument("notebooks", nargs="*", metavar="NOTEBOOK",
                        help="precompile: the notebooks to run (default: examples/*.ipynb)")
    args = parser.parse_args(argv)
    if args.command == "demo":
        if args.notebooks:
            parser.error("demo takes no argument")
        demo()
        return 0
    from .jupyter.precompile import precompile
    notebooks = args.notebooks or sorted(glob.glob("examples/*.ipynb"))
    if not notebooks:
        parser.error("precompile: no notebook given and none in examples/")
    return 1 if precompile(notebooks) else 0


if __name__ == "__main__":
    sys.exit(main())

"""Song, Miller & Abbott (2000): competitive Hebbian learning through STDP.

1000 Poisson inputs at 15 Hz excite one integrate-and-fire neuron through conductance
synapses with additive spike-timing-dependent plasticity (the built-in ``ann.STDP``, traces
of 20 ms, depression 5 % stronger than potentiation). Inputs that happen to fire before the
neuron are potentiated, which makes them more likely to cause its next spikes: the weights
start uniform in [0, w_max] and split into two groups, near 0 and near w_max, while the
output rate settles to a moderate value.
Run: python examples/stdp.py   (ANNBOOK_EXAMPLE_QUICK=1: 20 s of learning instead of 100 s)
"""

import os

import numpy as np

import annbook as ann

duration = 20000.0 if os.environ.get("ANNBOOK_EXAMPLE_QUICK") == "1" else 100000.0  # ms
w_max = 0.01
dt = 0.1
ann.setup(dt=dt, seed=3)

IntegrateAndFire = ann.Neuron(
    parameters="""
        tau_m = 10.0 : population      # ms
        tau_exc = 5.0 : population     # ms
        E_leak = -74.0 : population    # mV
        E_exc = 0.0 : population
        v_thresh = -54.0 : population
        v_reset = -60.0 : population
    """,
    equations="""
        tau_m * dv/dt = E_leak - v + g_exc * (E_exc - v) : init = -74.0
        tau_exc * dg_exc/dt = - g_exc
    """,
    spike="v > v_thresh",
    reset="v = v_reset",
)

inputs = ann.PoissonPopulation(1000, rates=15.0, name="inputs")
neuron = ann.Population(1, IntegrateAndFire, name="neuron")
synapses = ann.Projection(inputs, neuron, "exc", ann.STDP(
    tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.0105, w_min=0.0, w_max=w_max))
synapses.connect_all_to_all(weights=ann.Uniform(0.0, w_max))
output = ann.Monitor(neuron, "spike")
ann.compile()

initial = np.array(synapses.w[0]) / w_max
ann.simulate(duration)
final = np.array(synapses.w[0]) / w_max

spikes = np.array(output.get("spike")[0]) * dt             # ms
first = np.sum(spikes < 1000.0)
last = np.sum(spikes >= duration - 1000.0)
print(f"{duration / 1000:.0f} s of learning: output rate {first} Hz in the first second, "
      f"{last} Hz in the last one")
print("weights / w_max    before   after")
before, edges = np.histogram(initial, bins=10, range=(0.0, 1.0))
after, _ = np.histogram(final, bins=10, range=(0.0, 1.0))
for low, high, a, b in zip(edges[:-1], edges[1:], before, after):
    print(f"  {low:.1f} - {high:.1f}      {a:6d}  {b:6d}  {'#' * int(b / 10)}")
print(f"fraction of weights below 0.1 w_max: {np.mean(final < 0.1):.2f}, "
      f"above 0.9 w_max: {np.mean(final > 0.9):.2f}")

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
if plt is not None:
    plt.hist(final, bins=20, range=(0.0, 1.0))
    plt.xlabel("w / w_max")
    plt.ylabel("synapses")
    plt.savefig("stdp.png", dpi=100)
    print("weight histogram saved to stdp.png")

"""CUBA benchmark: Vogels & Abbott (2005) network with current-based synapses.

4000 leaky integrate-and-fire neurons, 3200 excitatory and 800 inhibitory, connected at
random with probability 0.02 (benchmark 2 of Brette et al., 2007). A spike adds an
exponentially decaying current (5 ms excitatory, 10 ms inhibitory), expressed in mV
(jumps of 1.62 mV and 9 mV). The leak pulls towards -49 mV, just above the threshold, so
every neuron would fire on its own; recurrent inhibition keeps the rate low and the activity
asynchronous and irregular.
Run: python examples/cuba.py   (ANNBOOK_EXAMPLE_QUICK=1: 200 ms instead of 1 s)
"""

import os
import time

import numpy as np

import annbook as ann

duration = 200.0 if os.environ.get("ANNBOOK_EXAMPLE_QUICK") == "1" else 1000.0  # ms
ann.setup(dt=0.1, seed=1)

LIF = ann.Neuron(
    parameters="""
        tau_m = 20.0 : population      # membrane time constant (ms)
        E_leak = -49.0 : population    # resting potential (mV)
        tau_exc = 5.0 : population     # synaptic time constants (ms)
        tau_inh = 10.0 : population
        v_thresh = -50.0 : population
        v_reset = -60.0 : population
    """,
    equations="""
        tau_m * dv/dt = E_leak - v + g_exc - g_inh : init = -60.0
        tau_exc * dg_exc/dt = - g_exc
        tau_inh * dg_inh/dt = - g_inh
    """,
    spike="v > v_thresh",
    reset="v = v_reset",
    refractory=5.0,
)

neurons = ann.Population(4000, LIF, name="neurons")
neurons.v = ann.Uniform(-60.0, -50.0)
exc, inh = neurons[:3200], neurons[3200:]

ann.Projection(exc, neurons, "exc").connect_fixed_probability(0.02, weights=1.62)
ann.Projection(inh, neurons, "inh").connect_fixed_probability(0.02, weights=9.0)
monitors = {"excitatory": ann.Monitor(exc, "spike"), "inhibitory": ann.Monitor(inh, "spike")}
ann.compile()

start = time.perf_counter()
ann.simulate(duration)
wall = time.perf_counter() - start

print(f"CUBA: 4000 neurons, {duration:.0f} ms simulated in {wall:.2f} s of wall time "
      f"({duration / 1000.0 / wall:.1f} s simulated per s)")
rasters = {}
for name, monitor in monitors.items():
    spikes = monitor.get("spike")
    cv = monitor.coefficient_of_variation(spikes)
    print(f"{name}: mean firing rate {monitor.mean_fr(spikes):5.2f} Hz, "
          f"CV of ISI {np.mean(cv):.2f} (mean over {len(cv)} neurons)")
    rasters[name] = monitor.raster_plot(spikes)

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
if plt is not None:
    for name, (times, ranks) in rasters.items():     # ranks in the whole population
        plt.plot(times, ranks, ".", markersize=1, label=name)
    plt.xlabel("time (ms)")
    plt.ylabel("neuron")
    plt.legend(loc="upper right")
    plt.savefig("cuba.png", dpi=100)
    print("raster plot saved to cuba.png")

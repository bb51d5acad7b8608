"""Izhikevich (2003) pulse-coupled network: 800 excitatory and 200 inhibitory neurons.

Regular-spiking and chattering excitatory cells, fast-spiking and low-threshold inhibitory
cells (parameters drawn per neuron as in the paper), all-to-all coupling with random
weights and a noisy thalamic input. Each spike adds its weight to the membrane equation
during one millisecond, and the membrane is integrated in two half steps of 0.5 ms, as in
the paper's program. The activity organises into synchronous volleys that recur at about
7 Hz, with faster oscillations inside them (the paper reports alpha and gamma rhythms).
Run: python examples/izhikevich.py   (ANNBOOK_EXAMPLE_QUICK=1: 250 ms instead of 1 s)
"""

import os

import numpy as np

import annbook as ann

duration = 250.0 if os.environ.get("ANNBOOK_EXAMPLE_QUICK") == "1" else 1000.0  # ms
ann.setup(dt=1.0, seed=2)
rng = np.random.default_rng(2)

PulseCoupled = ann.Neuron(
    parameters="""
        a = 0.02
        b = 0.2
        c = -65.0
        d = 8.0
        noise = 5.0        # standard deviation of the thalamic input
    """,
    equations="""
        I = g_exc - g_inh + noise * Normal(0.0, 1.0)
        v_half = v + 0.5 * (0.04 * v^2 + 5.0 * v + 140.0 - u + I)
        v = v_half + 0.5 * (0.04 * v_half^2 + 5.0 * v_half + 140.0 - u + I) : init = -65.0
        u = u + a * (b * v - u)
    """,
    spike="v >= 30.0",
    reset="""
        v = c
        u += d
    """,
)

network = ann.Population(1000, PulseCoupled, name="network")
exc, inh = network[:800], network[800:]
r_exc, r_inh = rng.random(800), rng.random(200)
exc.c = -65.0 + 15.0 * r_exc**2          # regular spiking (r = 0) to chattering (r = 1)
exc.d = 8.0 - 6.0 * r_exc**2
inh.a = 0.02 + 0.08 * r_inh              # fast spiking (r = 0) to low-threshold spiking
inh.b = 0.25 - 0.05 * r_inh
inh.d = 2.0
inh.noise = 2.0
network.u = network.b * -65.0

ann.Projection(exc, network, "exc").connect_all_to_all(
    weights=ann.Uniform(0.0, 0.5), allow_self_connections=True)
ann.Projection(inh, network, "inh").connect_all_to_all(
    weights=ann.Uniform(0.0, 1.0), allow_self_connections=True)
monitor = ann.Monitor(network, "spike")
ann.compile()

ann.simulate(duration)
spikes = monitor.get("spike")
times, ranks = monitor.raster_plot(spikes)
seconds = duration / 1000.0
print(f"mean firing rate: excitatory {np.sum(ranks < 800) / 800 / seconds:.1f} Hz, "
      f"inhibitory {np.sum(ranks >= 800) / 200 / seconds:.1f} Hz")

# population activity in 1 ms bins, without the first 50 ms (transient)
counts = np.bincount(times.astype(int), minlength=int(duration))[50:int(duration)]
power = np.abs(np.fft.rfft(counts - counts.mean()))**2
frequencies = np.fft.rfftfreq(counts.size, d=0.001)
band = frequencies >= 5.0
print(f"population rhythm: spectral peak at {frequencies[band][np.argmax(power[band])]:.0f} Hz")

# a text picture of the rhythm: spikes per 4 ms bin during the last 200 ms
bins = counts[-200:].reshape(50, 4).sum(axis=1)
levels = " .:-=+*#%@"
line = "".join(levels[min(9, int(9 * c / bins.max() + 0.5))] for c in bins)
print(f"spikes per 4 ms, {duration - 200:.0f}-{duration:.0f} ms (max {bins.max()}): |{line}|")

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
if plt is not None:
    fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(8, 6))
    top.plot(times, ranks, ".", markersize=1)
    top.set_ylabel("neuron")
    bottom.plot(np.arange(counts.size) + 50, counts)
    bottom.set_xlabel("time (ms)")
    bottom.set_ylabel("spikes per ms")
    fig.savefig("izhikevich.png", dpi=100)
    print("raster plot saved to izhikevich.png")

"""Tsodyks-Markram short-term plasticity: depressing and facilitating synapses.

One presynaptic neuron fires 8 spikes at 20 Hz, then a last spike 500 ms later. It reaches
two passive membranes (tau_m = 50 ms, synaptic current decaying in 3 ms) through the
built-in ``ann.STP`` synapse, which gives each spike the efficacy w * u * x: x is the
fraction of available resources (each spike uses a fraction u of them; they recover in
tau_rec), u the utilisation (raised by U * (1 - u) at each spike, decaying back to U in
tau_facil). With U = 0.5 and slow recovery the synapse depresses; with U = 0.1 and slow
decay of u it facilitates. Each PSP is measured on top of the decaying tail of the previous
ones. (Tsodyks & Markram 1997; Tsodyks, Pawelzik & Markram 1998.)
Run: python examples/stp.py
"""

import numpy as np

import annbook as ann

dt = 0.1
ann.setup(dt=dt)
train = [100.0 + 50.0 * k for k in range(8)] + [950.0]       # ms

Membrane = ann.Neuron(
    parameters="""
        tau_m = 50.0 : population      # ms
        tau_syn = 3.0 : population     # ms
    """,
    equations="""
        tau_m * dv/dt = - v + g_exc    # depolarisation from rest (mV)
        tau_syn * dg_exc/dt = - g_exc
    """,
    spike="v > 100.0",                 # never reached here: the membranes stay passive
    reset="v = 0.0",
)

source = ann.SpikeSourceArray(spike_times=train, name="source")
depressing = ann.Population(1, Membrane, name="depressing")
facilitating = ann.Population(1, Membrane, name="facilitating")
synapses = {
    "depressing": ann.Projection(source, depressing, "exc",
                                 ann.STP(U=0.5, tau_rec=800.0, tau_facil=0.01)),
    "facilitating": ann.Projection(source, facilitating, "exc",
                                   ann.STP(U=0.1, tau_rec=100.0, tau_facil=1000.0)),
}
synapses["depressing"].connect_all_to_all(weights=20.0)
synapses["facilitating"].connect_all_to_all(weights=20.0)
synapses["facilitating"].u = 0.1       # utilisation at rest is U (the model starts at 0.5)
monitors = {name: ann.Monitor(pop, "v") for name, pop in
            [("depressing", depressing), ("facilitating", facilitating)]}
ann.compile()

ann.simulate(1100.0)

print("PSP amplitudes (mV) for spikes at " + ", ".join(f"{t:.0f}" for t in train) + " ms")
traces = {}
for name, monitor in monitors.items():
    v = monitor.get("v")[:, 0]
    traces[name] = v
    amplitudes = []
    for t in train:
        start = int(round(t / dt))
        window = np.arange(start, start + int(30.0 / dt))
        tail = v[start] * np.exp(-(window - start) * dt / 50.0)   # what was left of earlier PSPs
        amplitudes.append(np.max(v[window] - tail))
    print(f"{name:>13}: " + " ".join(f"{a:.3f}" for a in amplitudes))
    print(f"{'':>13}  8th / 1st = {amplitudes[7] / amplitudes[0]:.2f}, "
          f"after 500 ms of rest: {amplitudes[8] / amplitudes[0]:.2f}")

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
if plt is not None:
    for name, v in traces.items():
        plt.plot(np.arange(v.size) * dt, v, label=name)
    plt.xlabel("time (ms)")
    plt.ylabel("depolarisation (mV)")
    plt.legend()
    plt.savefig("stp.png", dpi=100)
    print("membrane traces saved to stp.png")

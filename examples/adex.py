"""Adaptive exponential integrate-and-fire neuron (Brette & Gerstner, 2005): adaptation.

The built-in ``ann.EIF_cond_exp_isfa_ista`` with the parameters of the paper (a pyramidal
cell: C = 281 pF, g_L = 30 nS, tau_w = 144 ms). The adaptation current w grows with the
membrane potential (a, subthreshold adaptation) and jumps by b at each spike
(spike-triggered adaptation), so a constant current gives inter-spike intervals that
lengthen until they settle. Three copies receive the same 1 nA step for 500 ms: without
adaptation, with a only, and with a and b.
Run: python examples/adex.py
"""

import numpy as np

import annbook as ann

dt = 0.05
ann.setup(dt=dt)

cells = ann.Population(3, ann.EIF_cond_exp_isfa_ista(), name="cells")
cells.a = [0.0, 4.0, 4.0]               # nS
cells.b = [0.0, 0.0, 0.0805]            # nA
labels = ["no adaptation", "a = 4 nS", "a = 4 nS, b = 80.5 pA"]
spikes = ann.Monitor(cells, "spike")
traces = ann.Monitor(cells, ["v", "w"])
ann.compile()

ann.simulate(50.0)
cells.i_offset = 1.0                    # nA
ann.simulate(500.0)
cells.i_offset = 0.0
ann.simulate(50.0)

times = {rank: np.array(steps) * dt for rank, steps in spikes.get("spike").items()}
print("first inter-spike intervals (ms) during a 1 nA step:")
for rank, label in enumerate(labels):
    isi = np.diff(times[rank])
    print(f"  {label:>21}: " + " ".join(f"{x:5.1f}" for x in isi[:8])
          + f"  ... last {isi[-1]:5.1f} ({len(times[rank])} spikes)")

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
if plt is not None:
    recorded = traces.get()
    fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(8, 6))
    time = np.arange(recorded["v"].shape[0]) * dt
    for rank, label in enumerate(labels):
        top.plot(time, recorded["v"][:, rank], label=label)
        bottom.plot(time, recorded["w"][:, rank])
    top.set_ylabel("v (mV)")
    top.legend(loc="lower right")
    bottom.set_ylabel("w (nA)")
    bottom.set_xlabel("time (ms)")
    fig.savefig("adex.png", dpi=100)
    print("membrane and adaptation traces saved to adex.png")

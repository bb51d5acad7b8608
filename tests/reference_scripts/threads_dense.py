"""Differential script: two threads and dense storage (double precision).

Rate-coded and spiking networks with given weights and inputs (no randomness left) on
``num_threads=2``: the reference's results on two threads, value for value and spike for
spike. The rate-coded projections are stored densely (``storage_format="dense"``, also in
the reference) and their accessors compared; the spiking ones keep the default format,
which annbook runs in its dense layout (all-to-all) and the reference in sparse rows (its
dense storage of spiking projections is experimental and gives other numbers than its
sparse formats for this network: annbook's dense layout gives the sparse numbers).

Run as ``python threads_dense.py <module> <results.json>`` in an empty directory.
"""

import numpy as np

from _refcommon import ann, rec, finish, stdp_synapse

ann.setup(dt=0.5, num_threads=2)
rng = np.random.default_rng(11)

# ---- rate-coded: static and learning all-to-all, dense -----------------------------------
LEAKY = ann.Neuron(parameters="tau = 10.0\nb = 0.0",
                   equations="tau * dr/dt + r = sum(exc) + b : min=0.0")
OJA = ann.Synapse(parameters="eta = 0.01 : projection\nalpha = 2.0 : projection",
                  equations="dw/dt = eta * (pre.r * post.r - alpha * post.r^2 * w)")
source = ann.Population(90, ann.Neuron(parameters="r = 0.0"))
source.r = rng.uniform(0.0, 1.0, 90)
rate = ann.Population(61, LEAKY)
rate.b = rng.uniform(-0.2, 0.3, 61)
static = ann.Projection(source, rate, "exc")
static.connect_from_matrix(rng.uniform(0.0, 0.02, (61, 90)), storage_format="dense")
learning = ann.Projection(source, rate, "exc", OJA)      # (the reference's dense w fails on views)
learning.connect_from_matrix(rng.uniform(0.0, 0.02, (61, 90)), storage_format="dense")
m_rate = ann.Monitor(rate, "r")

# ---- spiking: inputs given, all-to-all static with a delay and STDP, dense ------------------
LIF = ann.Neuron(parameters="tau = 20.0 : population\nI = 19.0",
                 equations="""
                     tau * dv/dt = -60.0 - v + g_exc * (0.0 - v) + I
                     tau * 0.25 * dg_exc/dt = -g_exc
                 """, spike="v > -50.0", reset="v = -60.0", refractory=3.0)
STDP = stdp_synapse()
inputs = ann.SpikeSourceArray([sorted(rng.choice(np.arange(1.0, 200.0, 1.0), 12,
                                                 replace=False).tolist()) for _ in range(40)])
lif = ann.Population(70, LIF)
lif.v = rng.uniform(-60.0, -50.0, 70)
lif.I = rng.uniform(18.0, 21.0, 70)
feed = ann.Projection(inputs, lif, "exc")
feed.connect_from_matrix(rng.uniform(0.0, 0.3, (70, 40)), delays=2.0)
plastic = ann.Projection(inputs, lif[:50], "exc", STDP)
plastic.connect_from_matrix(rng.uniform(0.0, 0.3, (50, 40)))
m_spikes = ann.Monitor(lif, "spike")
m_v = ann.Monitor(lif[:6], "v")

ann.compile(compiler_flags="-O0")
ann.simulate(200.0)

rec("rate.r", lambda: m_rate.get("r"))
rec("rate.w", lambda: np.array(learning.w))
rec("rate.dendrite", lambda: np.array(learning.dendrite(7).w))
rec("rate.static_nb", lambda: static.nb_synapses)
rec("rate.matrix", lambda: learning.connectivity_matrix())
rec("layouts", lambda: [getattr(p, "_dense", "n/a") for p in (static, learning, feed, plastic)]
    if ann.__name__ == "annbook" else ["full", "full", "full", "full"])
rec("spiking.spikes", lambda: {str(k): v for k, v in m_spikes.get("spike").items()})
rec("spiking.v", lambda: m_v.get("v"))
rec("spiking.w", lambda: np.array(plastic.w))
rec("spiking.x", lambda: np.array(plastic.x))
rec("spiking.dendrite", lambda: np.array(plastic.dendrite(3).w))

# accessors write dense projections; the next run reads them
learning.dendrite(7).w = np.linspace(0.0, 0.05, 90)
feed[4].w = np.linspace(0.0, 1.0, 40)
ann.simulate(50.0)
rec("after.r", lambda: np.array(rate.r))
rec("after.w", lambda: np.array(learning.dendrite(7).w))
rec("after.spikes", lambda: {str(k): v for k, v in m_spikes.get("spike").items()})
finish()

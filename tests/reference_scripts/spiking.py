"""Differential script 4 (dt = 0.1): spiking networks, spike for spike.

A COBA network with given connectivity and initial state (no randomness left, so the spike
trains must be identical), axonal spikes, gap junctions, a decoding projection, per-synapse
delays, STDP and compute_firing_rate.

Run as ``python spiking.py <module> <results.json>`` in an empty directory.
"""

import numpy as np
import scipy.sparse as sparse

from _refcommon import ann, coba_population, rec, finish

ann.setup(dt=0.1)
rng = np.random.default_rng(7)


def spikes(monitor, name="spike"):
    return {str(k): v for k, v in monitor.get(name).items()}


# ---- COBA: 800 neurons, p = 0.05, connectivity from a sparse matrix -------------------------
coba = coba_population(800, rng)


def random_matrix(n_pre, weight):
    mask = rng.random((n_pre, 800)) < 0.05
    return sparse.lil_matrix(np.where(mask, weight, 0.0))


ann.Projection(coba[:640], coba, "exc").connect_from_sparse(random_matrix(640, 1.2))
ann.Projection(coba[640:], coba, "inh").connect_from_sparse(random_matrix(160, 10.0))
m_coba = ann.Monitor(coba, "spike")

# ---- axonal spikes ----------------------------------------------------------------------------
axon = ann.Population(2, ann.Neuron(parameters="I = 0.03", equations="dv/dt = I",
                                    spike="v > 2.0", reset="v = 0.0", axon_spike="v > 1.0",
                                    axon_reset="v += 0.2", refractory=2.0))
axon.I = [0.03, 0.045]
reader = ann.Population(2, ann.Neuron(equations="a = g_fused\nb = g_sep", spike="a > 1e9"))
ann.Projection(axon, reader, "fused", ann.Synapse(pre_spike="g_target += w",
                                                  pre_axon_spike="g_target += w")) \
    .connect_one_to_one(weights=1.0, delays=3.0)
ann.Projection(axon, reader, "sep", ann.Synapse(pre_spike="g_target += w",
                                                pre_axon_spike="g_target += 10 * w")) \
    .connect_one_to_one(weights=1.0)
m_axon = ann.Monitor(axon, ["spike", "axon_spike"])
m_reader = ann.Monitor(reader, ["a", "b"])

# ---- gap junctions ----------------------------------------------------------------------------
gap = ann.Population(10, ann.Neuron(parameters="v0 = 1.05 : population\ntau = 10.0 : population",
                                    equations="tau * dv/dt = v0 - v + g_gap", spike="v > 1.0",
                                    reset="v = 0.0"))
gap.v = np.linspace(0.0, 1.0, 10)
ann.Projection(gap, gap, "gap", ann.Synapse(psp="w * (pre.v - post.v)")).connect_all_to_all(0.02)
m_gap = ann.Monitor(gap, ["v", "spike"])

# ---- per-synapse delays, STDP, decoding, firing rate ----------------------------------------
source = ann.SpikeSourceArray([[1.0, 2.0, 5.0, 5.5, 9.0, 30.0], [2.0, 3.0, 7.5, 31.0],
                               [0.5, 4.0, 32.5]])
target = ann.Population(3, ann.Neuron(parameters="tau = 5.0", equations="tau * dv/dt = -v + g_exc",
                                      spike="v > 0.6", reset="v = 0.0"))
delayed = ann.Projection(source, target, "exc", ann.STDP(tau_plus=5.0, tau_minus=5.0))
delayed.connect_from_matrix(np.array([[1.0, 2.0, 0.5], [0.3, 3.0, 1.0], [2.0, 0.1, 0.7]]),
                            delays=np.array([[0.1, 1.0, 2.5], [3.0, 0.5, 0.2], [1.2, 1.2, 4.0]]))
decoded = ann.Population(2, ann.Neuron(equations="r = sum(exc)"))
ann.DecodingProjection(source, decoded, "exc", window=2.0).connect_from_matrix(
    np.array([[1.0, 2.0, 0.5], [None, 3.0, 1.0]], dtype=object))
target.compute_firing_rate(5.0)
m_target = ann.Monitor(target, ["v", "r", "spike"])
m_decoded = ann.Monitor(decoded, "r")

ann.compile(compiler_flags="-O0")
ann.simulate(400.0)

rec("coba.spike", lambda: spikes(m_coba))
rec("axon.spike", lambda: spikes(m_axon))
rec("axon.axon_spike", lambda: spikes(m_axon, "axon_spike"))
rec("axon.received", lambda: m_reader.get())
rec("gap.v", lambda: m_gap.get("v")[::50])
rec("gap.spike", lambda: spikes(m_gap))
rec("delays.target", lambda: m_target.get(["v", "r"]))
rec("delays.spike", lambda: spikes(m_target))
rec("delays.w", lambda: np.array(delayed.w))
rec("decoding.r", lambda: m_decoded.get("r"))
finish()

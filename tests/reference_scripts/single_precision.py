"""Differential script: ``setup(precision="float")``.

A rate-coded network (dense weighted sum, Oja learning, a Constant, functions of the
equation language) and a spiking one (conductances, STDP) with given weights and inputs,
stored and computed in float32 by both: values within float32 rounding of the reference
(compared with a looser tolerance) and the same spikes. (The reference's accessors return
float64 copies of its float32 arrays; annbook's return float32, as ``tests/test_precision.py``
checks.)

Run as ``python single_precision.py <module> <results.json>`` in an empty directory.
"""

import numpy as np

from _refcommon import ann, rec, finish, stdp_synapse

ann.setup(dt=0.5, precision="float")
rng = np.random.default_rng(13)
gain = ann.Constant("gain", 1.5)

LEAKY = ann.Neuron(parameters="tau = 10.0\nb = 0.0",
                   equations="tau * dr/dt + r = gain * tanh(sum(exc)) + b + 0.1 * sin(t / 20.0)"
                             " : min=0.0")
OJA = ann.Synapse(parameters="eta = 0.01 : projection\nalpha = 2.0 : projection",
                  equations="dw/dt = eta * (pre.r * post.r - alpha * post.r^2 * w)")
source = ann.Population(80, ann.Neuron(parameters="r = 0.0"))
source.r = rng.uniform(0.0, 1.0, 80)
rate = ann.Population(50, LEAKY)
rate.b = rng.uniform(-0.2, 0.3, 50)
learning = ann.Projection(source, rate, "exc", OJA)
learning.connect_from_matrix(rng.uniform(0.0, 0.05, (50, 80)), storage_format="dense")
m_rate = ann.Monitor(rate, ["r", "sum(exc)"])

LIF = ann.Neuron(parameters="tau = 20.0 : population\nI = 19.0",
                 equations="""
                     tau * dv/dt = -60.0 - v + g_exc * (0.0 - v) + I
                     tau * 0.25 * dg_exc/dt = -g_exc
                 """, spike="v > -50.0", reset="v = -60.0", refractory=3.0)
STDP = stdp_synapse()
inputs = ann.SpikeSourceArray([sorted(rng.choice(np.arange(1.0, 100.0, 1.0), 8,
                                                 replace=False).tolist()) for _ in range(30)])
lif = ann.Population(40, LIF)
lif.v = rng.uniform(-60.0, -52.0, 40)
lif.I = rng.uniform(18.0, 20.5, 40)
plastic = ann.Projection(inputs, lif, "exc", STDP)
plastic.connect_from_matrix(rng.uniform(0.0, 0.3, (40, 30)))
m_spikes = ann.Monitor(lif, "spike")
m_v = ann.Monitor(lif[:5], "v")

ann.compile(compiler_flags="-O0")
ann.simulate(100.0)

rec("single.r", lambda: m_rate.get("r"))
rec("single.sum", lambda: m_rate.get("sum(exc)"))
rec("single.w", lambda: np.array(learning.w))
rec("single.v", lambda: m_v.get("v"))
rec("single.stdp_w", lambda: np.array(plastic.w))
rec("spikes", lambda: {str(k): v for k, v in m_spikes.get("spike").items()})
finish()

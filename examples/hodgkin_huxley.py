"""Hodgkin & Huxley (1952): the squid giant axon driven by current steps.

The original sodium, potassium and leak currents (per cm2 of membrane, resting potential
-65 mV), written out as equations. Ten copies of the neuron receive steps of current of
different amplitudes for 500 ms. Below about 6.3 uA/cm2 the membrane answers the onset of
the step with at most a spike or two; above, it fires repetitively, at once above 50 Hz (a
"type II" neuron: its f-I curve jumps from 0 to a finite rate).
Run: python examples/hodgkin_huxley.py   (ANNBOOK_EXAMPLE_QUICK=1: 100 ms steps)
"""

import os

import numpy as np

import annbook as ann

step = 100.0 if os.environ.get("ANNBOOK_EXAMPLE_QUICK") == "1" else 500.0   # ms
dt = 0.01
ann.setup(dt=dt)

HodgkinHuxley = ann.Neuron(
    parameters="""
        C = 1.0 : population          # uF/cm2
        gbar_Na = 120.0 : population     # mS/cm2
        gbar_K = 36.0 : population
        gbar_L = 0.3 : population
        E_Na = 50.0 : population      # mV
        E_K = -77.0 : population
        E_L = -54.387 : population
        I = 0.0                       # injected current (uA/cm2)
    """,
    equations="""
        v_before = v
        alpha_m = 0.1 * (v + 40.0) / (1.0 - exp(-(v + 40.0) / 10.0))
        beta_m = 4.0 * exp(-(v + 65.0) / 18.0)
        alpha_h = 0.07 * exp(-(v + 65.0) / 20.0)
        beta_h = 1.0 / (1.0 + exp(-(v + 35.0) / 10.0))
        alpha_n = 0.01 * (v + 55.0) / (1.0 - exp(-(v + 55.0) / 10.0))
        beta_n = 0.125 * exp(-(v + 65.0) / 80.0)
        I_Na = gbar_Na * m^3 * h * (E_Na - v)
        I_K = gbar_K * n^4 * (E_K - v)
        I_L = gbar_L * (E_L - v)
        dm/dt = alpha_m * (1.0 - m) - beta_m * m : init = 0.0529
        dh/dt = alpha_h * (1.0 - h) - beta_h * h : init = 0.5961
        dn/dt = alpha_n * (1.0 - n) - beta_n * n : init = 0.3177
        C * dv/dt = I_Na + I_K + I_L + I : init = -65.0
    """,
    spike="(v > 0.0) and (v_before <= 0.0)",    # upward crossing of 0 mV; no reset
    reset="",
)

amplitudes = np.array([2.0, 4.0, 6.0, 6.5, 8.0, 10.0, 15.0, 20.0, 30.0, 50.0])
axons = ann.Population(amplitudes.size, HodgkinHuxley, name="axons")
monitor = ann.Monitor(axons, "spike")
trace = ann.Monitor(axons[5], "v")
ann.compile()

ann.simulate(20.0)
axons.I = amplitudes
ann.simulate(step)
axons.I = 0.0
ann.simulate(30.0)

spikes = monitor.get("spike")
times = {rank: np.array(steps) * dt for rank, steps in spikes.items()}
first = times[5][:6]
print(f"spike times (ms) for a step of {amplitudes[5]:.0f} uA/cm2 from 20 ms: "
      + ", ".join(f"{t:.2f}" for t in first) + ", ...")
print(f"f-I curve ({step:.0f} ms steps):")
print("  I (uA/cm2)  spikes  rate (Hz)")
for rank, amplitude in enumerate(amplitudes):
    count = len(times[rank])
    print(f"  {amplitude:10.1f}  {count:6d}  {1000.0 * count / step:9.1f}")

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
if plt is not None:
    v = trace.get("v")[:, 0]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(np.arange(v.size) * dt, v)
    left.set_xlabel("time (ms)")
    left.set_ylabel(f"v (mV), I = {amplitudes[5]:.0f} uA/cm2")
    right.plot(amplitudes, [1000.0 * len(times[rank]) / step for rank in range(amplitudes.size)],
               "o-")
    right.set_xlabel("I (uA/cm2)")
    right.set_ylabel("rate (Hz)")
    fig.savefig("hodgkin_huxley.png", dpi=100)
    print("trace and f-I curve saved to hodgkin_huxley.png")

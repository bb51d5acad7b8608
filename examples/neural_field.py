"""Dynamic neural field (Rougier & Vitay, 2006) in the ANNarchy 4.8.2 API.

A noisy bump of input moves around a ring; the field tracks it thanks to
difference-of-Gaussians lateral connections. Run: python examples/neural_field.py
"""

import numpy as np

import annbook as ann

N = 20
ann.setup(dt=1.0, seed=1)

InputNeuron = ann.Neuron(
    parameters="""
        baseline = 0.0
    """,
    equations="""
        r = pos(baseline + Uniform(-0.5, 0.5))
    """,
)
NeuralFieldNeuron = ann.Neuron(
    parameters="""
        tau = 10.0 : population
    """,
    equations="""
        tau * dmp/dt + mp = sum(exc) + sum(inh) + Uniform(-0.5, 0.5)
        r = if mp < 1.0: pos(mp) else: 1.0
    """,
)

inp = ann.Population(geometry=(N, N), neuron=InputNeuron, name="Input")
focus = ann.Population(geometry=(N, N), neuron=NeuralFieldNeuron, name="Focus")
ff = ann.Projection(pre=inp, post=focus, target="exc")
ff.connect_one_to_one(weights=1.0, delays=20.0)
lat = ann.Projection(pre=focus, post=focus, target="inh")
lat.connect_dog(amp_pos=0.2, sigma_pos=0.1, amp_neg=0.1, sigma_neg=0.7)
ann.compile()


def bump(angle):
    x, y = np.meshgrid(np.arange(N), np.arange(N), indexing="ij")
    cx = N / 2 + N / 3 * np.cos(angle)
    cy = N / 2 + N / 3 * np.sin(angle)
    return np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * (N / 10) ** 2))


positions = []
for step in range(40):
    angle = 2 * np.pi * step / 40
    inp.baseline = bump(angle)
    ann.simulate(10.0)
    rates = focus.r
    if rates.sum() > 0:
        x, y = np.unravel_index(np.argmax(rates), rates.shape)
        positions.append((step, angle, float(np.arctan2(y - N / 2, x - N / 2)) % (2 * np.pi)))
errors = [min(abs(a - b), 2 * np.pi - abs(a - b)) for _, a, b in positions[5:]]
print(f"{lat.nb_synapses} lateral synapses; the bump of activity follows the input with a "
      f"median angular error of {np.degrees(np.median(errors)):.0f} degrees")

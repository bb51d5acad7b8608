"""Selectivity through BCM learning (IBCM rule) in the ANNarchy 4.8.2 API.

Two input patterns alternate; the post neuron ends up responding to one of them only.
Run: python examples/bcm_learning.py
"""

import numpy as np

import annbook as ann

ann.setup(dt=1.0, seed=3)
inputs = ann.Population(10, ann.Neuron(parameters="r = 0.0"), name="inputs")
neuron = ann.Population(1, ann.LeakyIntegrator(tau=10.0), name="neuron")
proj = ann.Projection(inputs, neuron, "exc", ann.IBCM(eta=0.001, tau=100.0))
proj.connect_all_to_all(weights=ann.Uniform(0.4, 0.6))
ann.compile()

patterns = [np.r_[np.ones(5), np.zeros(5)], np.r_[np.zeros(5), np.ones(5)]]
for trial in range(400):
    inputs.r = patterns[trial % 2]
    ann.simulate(50.0)

responses = []
for pattern in patterns:
    inputs.r = pattern
    ann.disable_learning()
    ann.simulate(100.0)
    responses.append(float(neuron.r[0]))
w = proj.w[0]
print(f"response to pattern A: {responses[0]:.2f}, to pattern B: {responses[1]:.2f}")
print(f"mean weight from A: {w[:5].mean():.2f}, from B: {w[5:].mean():.2f}")

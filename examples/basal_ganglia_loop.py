"""A cortico-basal-ganglia-thalamic loop with delays, in the ANNarchy 4.8.2 API.

Cortex excites the striatum, which inhibits the tonically active GPi, which
inhibits the thalamus, which excites the cortex back: a brief cue to one cortical
channel is amplified by disinhibition and outlasts the cue by a few loop delays,
while lateral inhibition keeps the other channels silent.
Run: python examples/basal_ganglia_loop.py
"""

import annbook as ann

ann.setup(dt=1.0, seed=0)
channels = 4
Unit = ann.LeakyIntegrator
cortex = ann.Population(channels, Unit(tau=10.0, sum="sum(exc) + sum(cue)"), name="cortex")
striatum = ann.Population(channels, Unit(tau=10.0, T=0.3), name="striatum")
gpi = ann.Population(channels, Unit(tau=10.0, B=1.0), name="GPi")
thalamus = ann.Population(channels, Unit(tau=10.0, B=0.8), name="thalamus")
cue = ann.Population(channels, ann.Neuron(parameters="r = 0.0"), name="cue")

ann.Projection(cue, cortex, "cue").connect_one_to_one(weights=1.0)
ann.Projection(cortex, striatum, "exc").connect_one_to_one(weights=1.0, delays=5.0)
ann.Projection(striatum, gpi, "inh").connect_one_to_one(weights=2.0, delays=5.0)
ann.Projection(gpi, thalamus, "inh").connect_one_to_one(weights=1.0, delays=5.0)
ann.Projection(thalamus, cortex, "exc").connect_one_to_one(weights=0.9, delays=5.0)
ann.Projection(cortex, cortex, "inh").connect_all_to_all(weights=0.2)
monitor = ann.Monitor(cortex, "r", period=10.0)
ann.compile()

ann.simulate(100.0)
cue.r = [0.0, 1.0, 0.0, 0.0]
ann.simulate(50.0)
cue.r = 0.0
ann.simulate(350.0)
rates = monitor.get("r")
print("cortex rates every 50 ms (channel 1 received the cue at 100-150 ms):")
for row in rates[::5]:
    print("  " + "  ".join(f"{value:5.2f}" for value in row))

"""Differential script 7: structural plasticity (issue 13).

One network, compiled once with ``setup(structural_plasticity=True)``, holding:

1. ``r = t`` neurons connected one to one by a synapse whose pruning and creating
   conditions hold at known steps: the steps where they act (period and offset of
   start_pruning/start_creating), the weights and values of created synapses, and what a
   monitor of the projection records while synapses come and go;
2. the Dendrite methods on all-to-all and one-to-one projections (as the reference's own
   tests): pre ranks, weights, the weighted sums after the changes, an emptied dendrite, a
   created synapse's other attribute, the errors for a synapse that exists or does not;
3. spikes of a SpikeSourceArray through synapses pruned and created between two runs;
4. the reference's StructuralPlasticity example notebook (10 trials instead of 100: the
   connectivity is final after 8): synapse counts within and between the two halves,
   compared through bounded statistics (the draws of the conditions differ).

Run as ``python structural.py <module> <results.json>`` in an empty directory.
"""

import numpy as np

from _refcommon import ann, rec, guard, finish

ann.setup(structural_plasticity=True, seed=1)

# ---------------------------------------------------------------- 1. conditions at known steps
clocked = ann.Neuron(equations="r = t")
ruled = ann.Synapse(equations="x = x + 1 : init=0",
                    pruning="(pre.r >= 3) and (pre.r <= 9) : proba=1.0",
                    creating="pre.r >= 5 : proba=1.0, w=0.25")
clock_pop = ann.Population(3, clocked)
clock_proj = ann.Projection(clock_pop, clock_pop, "exc", ruled)
clock_proj.connect_one_to_one(weights=0.5)
clock_mon = ann.Monitor(clock_proj, "x")

# ---------------------------------------------------------------- 2. Dendrite methods
counter = ann.Neuron(parameters="r = 0.0")
reader = ann.Neuron(equations="r = sum(exc)")
aged = ann.Synapse(parameters="c = 3.0", equations="age = age + 1 : init=0")
source = ann.Population(8, counter)
target = ann.Population(8, reader)
dense = ann.Projection(source, target, "exc")
dense.connect_all_to_all(weights=1.0)
sparse = ann.Projection(source, target, "exc", aged)
sparse.connect_one_to_one(weights=1.0)

# ---------------------------------------------------------------- 3. spikes
# (parts 1 and 2 end at 18 ms: the spikes come after)
spikes = ann.SpikeSourceArray([[20.0, 27.0, 32.0], [21.0, 27.0, 33.0], [22.0, 27.0, 34.0]])
listener = ann.Population(3, ann.Neuron(equations="v = g_exc", spike="v > 1000.0"))
wires = ann.Projection(spikes, listener, "exc")
wires.connect_all_to_all(weights=1.0, delays=2.0)
heard = ann.Monitor(listener, "v")

# ---------------------------------------------------------------- 4. the example notebook
leaky = ann.Neuron(parameters="tau = 10.0 : population\nbaseline = 0.0",
                   equations="tau * dr/dt + r = baseline + sum(exc) : min=0.0")
pop = ann.Population(100, leaky)
plastic = ann.Synapse(
    parameters=" T = 10000 : int, projection ",
    equations="""
        age = if pre.r * post.r > 1.0 :
                0
              else :
                age + 1 : init = 0, int""",
    pruning="age > T : proba = 0.2",
    creating="pre.r * post.r > 1.0 : proba = 0.1, w = 0.01")
proj = ann.Projection(pop, pop, "exc", plastic)
proj.connect_fixed_probability(weights=0.01, probability=0.1)

ann.compile(compiler_flags="-O0")


def cells(recorded):
    """A projection recording (time x dendrite lists) as plain lists of floats."""
    return [[[float(v) for v in cell] for cell in step] for step in recorded]


# ---- 1.
ann.simulate(1.0)
clock_proj.start_pruning(period=2.0)
counts = []
for _ in range(8):
    ann.simulate(1.0)
    counts.append(clock_proj.nb_synapses)
rec("rules.pruned_counts", counts)
clock_proj.stop_pruning()
clock_proj.start_creating(period=3.0)
counts = []
for _ in range(6):
    ann.simulate(1.0)
    counts.append(clock_proj.nb_synapses)
rec("rules.created_counts", counts)
rec("rules.w", np.array(clock_proj.w, dtype=float))
rec("rules.x", np.array(clock_proj.x, dtype=float))
rec("rules.size", clock_proj.size)
rec("rules.dendrite_sizes", [d.size for d in clock_proj.dendrites])
rec("rules.monitor", cells(clock_mon.get("x")))
clock_proj.stop_creating()

# ---- 2.
source.r = np.arange(1.0, 9.0)
rec("dendrite.all_before", dense.dendrite(3).pre_ranks)
dense.dendrite(3).prune_synapse(2)
dense.dendrite(3).prune_synapse(4)
dense.dendrite(3).prune_synapse(6)
rec("dendrite.all_pruned", dense.dendrite(3).pre_ranks)
rec("dendrite.all_pruned_w", np.array(dense.dendrite(3).w, dtype=float))
dense.dendrite(5).prune_synapses([0, 7])
rec("dendrite.all_pruned_many", dense.dendrite(5).pre_ranks)
rec("dendrite.nb", dense.nb_synapses)
sparse.dendrite(3).create_synapse(2, 2.0)
sparse.dendrite(3).create_synapse(4, 2.0)
sparse.dendrite(3).create_synapse(6, 3.0)
rec("dendrite.one_created", sparse.dendrite(3).pre_ranks)
rec("dendrite.one_created_w", np.array(sparse.dendrite(3).w, dtype=float))
sparse.dendrite(5).prune_synapse(5)
rec("dendrite.emptied_size", sparse.dendrite(5).size)
rec("dendrite.proj_size", sparse.size)
ann.simulate(2.0)
rec("dendrite.sums", np.array(target.r, dtype=float))
rec("dendrite.age", np.array(sparse.dendrite(3).age, dtype=float))
sparse.dendrite(5).create_synapse(1, 0.5)
rec("dendrite.recreated", sparse.dendrite(5).pre_ranks)
rec("dendrite.created_c", np.array(sparse.dendrite(5).c, dtype=float))
guard("dendrite.exists", lambda: sparse.dendrite(3).create_synapse(4, 1.0))
guard("dendrite.missing", lambda: sparse.dendrite(3).prune_synapse(7))
rec("dendrite.after_errors", sparse.dendrite(3).pre_ranks)
ann.simulate(1.0)
rec("dendrite.sums_after", np.array(target.r, dtype=float))
rec("dendrite.matrix", np.nan_to_num(np.array(dense.connectivity_matrix(), dtype=float)))

# ---- 3.
rec("spikes.start", ann.get_current_step())
for post, weights in enumerate([[1.0, 2.0, 4.0], [8.0, 16.0, 32.0], [64.0, 128.0, 256.0]]):
    wires.dendrite(post).w = weights
ann.simulate(6.0)                 # spikes of 20 and 21 ms heard, the one of 22 ms on its way
wires.dendrite(0).prune_synapse(1)
wires.dendrite(1).prune_synapses([0, 2])
wires.dendrite(2).prune_synapse(2)
wires.dendrite(2).create_synapse(2, 5.0)
heard.get("v")
ann.simulate(20.0)
rec("spikes.heard", np.array(heard.get("v"), dtype=float))
rec("spikes.pre_ranks", [d.pre_ranks for d in wires.dendrites])

# ---- 4.
def blocks():
    m = np.nan_to_num(np.array(proj.connectivity_matrix(), dtype=float)) != 0
    return [int(m[:50, :50].sum() + m[50:, 50:].sum()), int(m[:50, 50:].sum() + m[50:, :50].sum())]


proj.start_creating(period=100.0)
proj.start_pruning(period=100.0)
initial = blocks()
trials = []
for trial in range(10):
    pop[:50].baseline = 1.0
    ann.simulate(1000.)
    pop.baseline = 0.0
    ann.simulate(100.)
    pop[50:].baseline = 1.0
    ann.simulate(1000.)
    pop.baseline = 0.0
    ann.simulate(100.)
    trials.append(blocks())
within, between = np.array(trials).T
# fraction of the missing synapses within a half that were still missing after each trial
rec("example.missing_within_1", (5000 - within[0]) / (5000 - initial[0]))
rec("example.missing_within_2", (5000 - within[1]) / (5000 - within[0]))
rec("example.between_kept_4", between[3] / initial[1])
rec("example.between_kept_5", between[4] / initial[1])
rec("example.final", trials[-1])
rec("example.initial_density", (initial[0] + initial[1]) / 10000.0)
finish()

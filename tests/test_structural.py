"""Structural plasticity: synapses created and pruned after compile().

The Dendrite methods against hand-built connectivity, the pruning and creating conditions
(their steps and their statistics), and the consistency of everything that depends on the
synapses: weighted sums, spike propagation (with spikes in flight), monitors, reset, files.
"""

import numpy as np
import pytest

import annbook as ann
from annbook.errors import ModelError, NetworkError

INPUT = ann.Neuron(parameters="r = 0.0", name="input")
READOUT = ann.Neuron(equations="r = sum(exc)", name="readout")
CLOCKED = ann.Neuron(equations="r = t", name="clocked")
READ = ann.Neuron(equations="v = g_exc", spike="v > 1000.0", name="read")
TRACED = ann.Synapse(parameters="c = 7.0", equations="x = x + 1 : init=0", name="traced")


def rate_network(connect="all_to_all", size=8, synapse=None):
    ann.setup(structural_plasticity=True)
    pre = ann.Population(size, INPUT)
    post = ann.Population(size, READOUT)
    proj = ann.Projection(pre, post, "exc", synapse)
    if connect == "all_to_all":
        proj.connect_all_to_all(weights=1.0)
    else:
        proj.connect_one_to_one(weights=1.0)
    return pre, post, proj


# ---------------------------------------------------------------- Dendrite methods
def test_prune_synapse_and_synapses_as_the_reference():
    pre, post, proj = rate_network()
    ann.compile()
    dendrite = proj.dendrite(3)
    assert dendrite.pre_ranks == list(range(8))
    dendrite.prune_synapse(2)
    dendrite.prune_synapses([4, 6])
    assert proj.dendrite(3).pre_ranks == [0, 1, 3, 5, 7]
    assert proj.dendrite(3).w == pytest.approx([1.0] * 5)
    assert proj.nb_synapses == 64 - 3
    assert proj.nb_synapses_per_dendrite()[3] == 5
    expected = np.ones((8, 8))
    expected[3, [2, 4, 6]] = 0.0
    assert np.array_equal(proj.connectivity_matrix(), expected)


def test_create_synapse_and_synapses_as_the_reference():
    pre, post, proj = rate_network("one_to_one")
    ann.compile()
    proj.dendrite(3).create_synapse(2, 2.0)
    proj.dendrite(3).create_synapse(6, 2.0)
    proj.dendrite(3).create_synapses([4, 7], [3.0, 4.0])
    assert proj.dendrite(3).pre_ranks == [2, 3, 4, 6, 7]
    assert proj.dendrite(3).w == pytest.approx([2.0, 1.0, 3.0, 2.0, 4.0])
    proj.dendrite(5).create_synapses([0, 1])            # weights default to 0
    assert proj.dendrite(5).w == pytest.approx([0.0, 0.0, 1.0])
    assert proj.nb_synapses == 8 + 6
    assert proj.synapse(7, 3).w == 4.0 and proj.synapse(1, 3) is None


def test_changed_synapses_sum_as_a_hand_built_connectivity():
    pre, post, proj = rate_network()
    ann.compile()
    rates = np.arange(1.0, 9.0)
    pre.r = rates
    matrix = np.ones((8, 8))
    rng = np.random.default_rng(3)
    for _ in range(4):
        post_rank = int(rng.integers(8))
        present = proj.dendrite(post_rank).pre_ranks
        absent = sorted(set(range(8)) - set(present))
        if present:
            drop = int(rng.choice(present))
            proj.dendrite(post_rank).prune_synapse(drop)
            matrix[post_rank, drop] = 0.0
        if absent:
            add = int(rng.choice(absent))
            proj.dendrite(post_rank).create_synapse(add, 0.5)
            matrix[post_rank, add] = 0.5
        ann.step()
        assert post.r == pytest.approx(matrix @ rates)
        assert np.array_equal(proj.connectivity_matrix(), matrix)


def test_a_dendrite_stays_when_its_synapses_are_all_pruned():
    pre, post, proj = rate_network("one_to_one")
    pre.r = 1.0
    ann.compile()
    proj.dendrite(5).prune_synapse(5)
    assert proj.size == 8 and proj.post_ranks == list(range(8))
    assert proj.dendrite(5).size == 0 and proj.dendrite(5).pre_ranks == []
    ann.step()
    assert post.r[5] == 0.0 and post.r[4] == 1.0
    proj.dendrite(5).create_synapse(1, 3.0)
    ann.step()
    assert post.r[5] == 3.0


def test_new_synapses_take_the_initial_values_of_other_attributes():
    ann.setup(structural_plasticity=True)
    pre = ann.Population(3, INPUT)
    post = ann.Population(3, READOUT)
    proj = ann.Projection(pre, post, "exc", TRACED)
    proj.connect_one_to_one(weights=1.0)
    proj.c = 2.5                         # a number assigned before compile(), as the reference
    ann.compile()
    ann.simulate(4.0)
    proj.c = 9.0                          # after compile(): not what new synapses get
    proj.dendrite(0).create_synapses([1, 2], [0.5, 0.25])
    assert proj.dendrite(0).x == pytest.approx([4.0, 0.0, 0.0])
    assert proj.dendrite(0).c == pytest.approx([9.0, 2.5, 2.5])
    ann.step()
    assert proj.dendrite(0).x == pytest.approx([5.0, 1.0, 1.0])
    synapse = proj.dendrite(0).synapse(2)
    assert synapse.w == 0.25
    proj.dendrite(0).prune_synapse(2)
    with pytest.raises(NetworkError, match="was pruned"):
        synapse.x


def test_per_synapse_delays_of_new_synapses():
    ann.setup(structural_plasticity=True)
    pre = ann.Population(3, INPUT)
    post = ann.Population(1, READOUT)
    proj = ann.Projection(pre, post, "exc")
    proj.connect_from_matrix([[1.0, None, None]], delays=np.array([[3.0, 0.0, 0.0]]))
    ann.compile()
    proj.dendrite(0).create_synapse(2, 1.0, delay=2.0)
    proj.dendrite(0).create_synapse(1, 1.0)             # default: 0 steps, as the reference
    assert proj.delay[0] == pytest.approx([3.0, 0.0, 2.0])
    proj.dendrite(0).prune_synapse(1)
    with pytest.raises(NetworkError, match="longer than the longest delay"):
        proj.dendrite(0).create_synapse(1, 1.0, delay=5.0)
    proj.dendrite(0).create_synapse(1, 1.0)
    pre.r = [1.0, 10.0, 100.0]
    ann.simulate(5.0)
    assert post.r[0] == pytest.approx(111.0)


def test_uniform_delay_goes_to_new_synapses():
    ann.setup(structural_plasticity=True)
    pre = ann.Population(2, INPUT)
    post = ann.Population(1, READOUT)
    proj = ann.Projection(pre, post, "exc")
    proj.connect_from_matrix([[1.0, None]], delays=2.0)
    ann.compile()
    proj.dendrite(0).create_synapse(1, 1.0)
    assert proj.delay == 2.0
    proj.dendrite(0).prune_synapse(0)
    with pytest.raises(NetworkError, match="share one delay"):
        proj.dendrite(0).create_synapse(0, 1.0, delay=3.0)


# ---------------------------------------------------------------- errors
def test_structural_plasticity_must_be_enabled_before_compile():
    pre = ann.Population(2, INPUT)
    post = ann.Population(2, READOUT)
    proj = ann.Projection(pre, post, "exc")
    proj.connect_one_to_one(weights=1.0)
    ann.compile()
    with pytest.raises(NetworkError, match="setup\\(structural_plasticity=True\\)"):
        proj.dendrite(0).create_synapse(1)
    with pytest.raises(NetworkError, match="not enabled"):
        proj.dendrite(0).prune_synapse(0)
    ann.setup(structural_plasticity=True)
    with pytest.raises(NetworkError, match="compiled without structural plasticity"):
        proj.dendrite(0).prune_synapse(0)
    assert proj.nb_synapses == 2


def test_bad_synapses_and_ranks_are_refused_without_change():
    pre, post, proj = rate_network("one_to_one", size=4)
    ann.compile()
    dendrite = proj.dendrite(1)
    cases = [(lambda: dendrite.create_synapse(1), "already exists"),
             (lambda: dendrite.create_synapses([0, 1]), "already exists"),
             (lambda: dendrite.prune_synapse(2), "no synapse from pre neuron 2"),
             (lambda: dendrite.prune_synapses([1, 3]), "no synapse from pre neuron 3"),
             (lambda: dendrite.create_synapse(4), "not part of"),
             (lambda: dendrite.create_synapse(-1), "not part of"),
             (lambda: dendrite.create_synapse(1.5), "integer"),
             (lambda: dendrite.create_synapses([0, 0]), "given twice"),
             (lambda: dendrite.create_synapses([0, 2], [1.0]), "1 weights for 2 synapses"),
             (lambda: dendrite.create_synapse(0, "heavy"), "must be a number")]
    for call, message in cases:
        with pytest.raises(ann.ANNarchyException, match=message):
            call()
    assert proj.nb_synapses == 4 and dendrite.pre_ranks == [1]


def test_pruning_and_creating_errors():
    ann.setup(structural_plasticity=True)
    pre = ann.Population(3, CLOCKED)
    post = ann.Population(3, CLOCKED)
    plain = ann.Projection(pre, post, "exc").connect_one_to_one(weights=1.0)
    rules = ann.Synapse(pruning="w < 0.5", creating="pre.r > 2.0 : w=0.5, d=2.0")
    ruled = ann.Projection(pre, post, "inh", rules).connect_one_to_one(weights=1.0)
    with pytest.raises(NetworkError, match="not compiled"):
        ruled.start_pruning()
    ann.compile()
    with pytest.raises(NetworkError, match="does not define a 'pruning' condition"):
        plain.start_pruning()
    with pytest.raises(NetworkError, match="does not define a 'creating' condition"):
        plain.stop_creating()
    with pytest.raises(NetworkError, match="at least one step"):
        ruled.start_pruning(period=0.5)
    with pytest.raises(NetworkError, match="share one delay"):
        ruled.start_creating()                 # d=2.0 differs from the projection's 0 ms


@pytest.mark.parametrize("kwargs,message", [
    ({"pruning": "w < 0.5 : w = 0.1"}, "unknown flag 'w = 0.1' in 'pruning'"),
    ({"creating": "pre.r > 1 : chance=0.5"}, "unknown flag"),
    ({"creating": "pre.r > (1"}, "creating"),
    ({"creating": "pre.r > 1 : d=-1.0"}, "negative"),
])
def test_bad_rules_are_model_errors(kwargs, message):
    synapse = ann.Synapse(name="bad", **kwargs)
    pop = ann.Population(2, INPUT)
    with pytest.raises(ModelError, match=message) as error:
        ann.Projection(pop, pop, "exc", synapse)
    assert error.value.field in ("pruning", "creating")


def test_creating_cannot_read_a_value_of_each_synapse():
    ann.setup(structural_plasticity=True)
    pop = ann.Population(2, INPUT)
    synapse = ann.Synapse(equations="x = pre.r", creating="x > 1.0", name="reads_x")
    ann.Projection(pop, pop, "exc", synapse).connect_all_to_all(1.0)
    with pytest.raises(ModelError, match="creating condition reads 'x'"):
        ann.compile()


# ---------------------------------------------------------------- rules: steps
def clocked_network():
    """r = t: the conditions hold from a known step on."""
    ann.setup(structural_plasticity=True)
    synapse = ann.Synapse(equations="x = x + 1 : init=0",
                          pruning="(pre.r >= 3) and (pre.r <= 9) : proba=1.0",
                          creating="pre.r >= 5 : proba=1.0, w=0.25", name="clocked_rules")
    pop = ann.Population(3, CLOCKED)
    proj = ann.Projection(pop, pop, "exc", synapse)
    proj.connect_one_to_one(weights=0.5)
    return pop, proj


def test_conditions_are_evaluated_every_period_from_the_start_step():
    pop, proj = clocked_network()
    monitor = ann.Monitor(proj, "x")
    ann.compile()
    ann.simulate(1.0)
    proj.start_pruning(period=2.0)           # steps 1, 3, 5...: r = 3 at step 3
    counts = []
    for _ in range(8):
        ann.simulate(1.0)
        counts.append(proj.nb_synapses)
    assert counts == [3, 3, 0, 0, 0, 0, 0, 0]
    proj.stop_pruning()
    proj.start_creating(period=3.0)          # steps 9, 12...: everything is created at 9
    ann.simulate(6.0)
    assert proj.nb_synapses == 9
    assert [list(w) for w in proj.w] == [[0.25] * 3] * 3
    assert [list(x) for x in proj.x] == [[5.0] * 3] * 3
    recorded = monitor.get("x")              # as the reference: the new synapses of a step
    assert recorded.shape == (15, 3)         # are recorded at that step
    assert [list(recorded[s, 0]) for s in (2, 3, 9, 14)] == [[3.0], [], [0.0] * 3, [5.0] * 3]


def test_creating_is_applied_before_pruning_sees_the_new_synapses():
    ann.setup(structural_plasticity=True)
    synapse = ann.Synapse(pruning="w < 0.1", creating="pre.r > 0.5 : w=0.05", name="churn")
    pre = ann.Population(4, INPUT)
    post = ann.Population(2, READOUT)
    proj = ann.Projection(pre, post, "exc", synapse)
    proj.connect_from_matrix([[1.0, None, None, None], [None, 1.0, None, None]])
    pre.r = 1.0
    ann.compile()
    proj.start_creating()
    proj.start_pruning()
    ann.step()                               # created with w = 0.05, then pruned at once
    assert proj.nb_synapses == 2
    proj.stop_pruning()
    ann.step()
    assert proj.nb_synapses == 8


def test_created_synapses_take_the_delay_flag():
    ann.setup(structural_plasticity=True)
    pre = ann.Population(3, INPUT)
    post = ann.Population(2, READOUT)
    grow = ann.Synapse(creating="pre.r > 0.5 : w = 2.0, d = 2.0", name="delayed_growth")
    proj = ann.Projection(pre, post, "exc", grow)
    proj.connect_from_matrix([[1.0, None, None], [None, 1.0, None]],
                             delays=np.array([[3.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))
    too_long = ann.Synapse(creating="pre.r > 0.5 : d = 4.0", name="too_long")
    other = ann.Projection(pre, post, "inh", too_long)
    other.connect_from_matrix([[1.0, None, None], [None, 1.0, None]],
                              delays=np.array([[3.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))
    pre.r = [1.0, 1.0, 0.0]
    ann.compile()
    with pytest.raises(NetworkError, match="longer than the longest delay"):
        other.start_creating()
    proj.start_creating()
    ann.step()
    assert [d.pre_ranks for d in proj.dendrites] == [[0, 1], [0, 1]]
    assert [list(d) for d in proj.delay] == [[3.0, 2.0], [2.0, 1.0]]
    assert [list(d.w) for d in proj.dendrites] == [[1.0, 2.0], [2.0, 1.0]]


def test_creating_draws_only_from_the_pre_view():
    ann.setup(structural_plasticity=True)
    synapse = ann.Synapse(creating="pre.r > 0.5", name="grow")
    pre = ann.Population(6, INPUT)
    post = ann.Population(2, READOUT)
    proj = ann.Projection(pre[2:5], post, "exc", synapse)
    proj.connect_from_matrix([[1.0, None, None], [None, None, 1.0]])
    pre.r = 1.0
    ann.compile()
    proj.start_creating()
    ann.step()
    assert [d.pre_ranks for d in proj.dendrites] == [[2, 3, 4], [2, 3, 4]]


# ---------------------------------------------------------------- rules: statistics
def test_pruning_statistics():
    ann.setup(structural_plasticity=True, seed=11)
    synapse = ann.Synapse(pruning="post.r > 0.5 : proba = 0.2", name="pruned")
    pre = ann.Population(100, INPUT)
    post = ann.Population(40, INPUT)
    proj = ann.Projection(pre, post, "exc", synapse).connect_all_to_all(weights=1.0)
    post[:20].r = 1.0                            # only the dendrites of these 20 qualify
    ann.compile()
    proj.start_pruning(period=5.0)
    kept = []
    for _ in range(4):
        ann.simulate(5.0)
        kept.append(sum(d.size for d in proj.dendrites if d.post_rank < 20))
    n = 2000
    for k, count in enumerate(kept, start=1):
        mean, sd = n * 0.8 ** k, np.sqrt(n * 0.8 ** k * (1 - 0.8 ** k))
        assert abs(count - mean) < 5 * sd, (k, count, mean)
    assert all(proj.dendrite(rank).size == 100 for rank in range(20, 40))


def test_creating_statistics_and_flags():
    ann.setup(structural_plasticity=True, seed=5)
    synapse = ann.Synapse(parameters="tau = 3.0", equations="y = tau",
                          creating="pre.r * post.r > 0.5 : proba = 0.1, w = 0.3",
                          name="created")
    pre = ann.Population(60, INPUT)
    post = ann.Population(60, INPUT)
    proj = ann.Projection(pre, post, "exc", synapse).connect_one_to_one(weights=1.0)
    pre.r, post.r = 1.0, 1.0
    pre[50:].r = 0.0                          # never a candidate
    ann.compile()
    proj.start_creating(period=10.0)
    ann.simulate(1.0)
    candidates = 60 * 50 - 50
    created = proj.nb_synapses - 60
    assert abs(created - 0.1 * candidates) < 5 * np.sqrt(candidates * 0.09)
    ann.simulate(10.0)                         # one more evaluation
    remaining = candidates - (proj.nb_synapses - 60)
    assert abs(remaining - 0.81 * candidates) < 5 * np.sqrt(candidates * 0.81 * 0.19)
    matrix = proj.connectivity_matrix()
    assert not np.any(matrix[:, 50:][~np.eye(60, dtype=bool)[:, 50:]])
    new = matrix[~np.eye(60, dtype=bool) & (matrix != 0)]
    assert np.all(new == 0.3)
    ann.step()                                 # synapses created at a step update from the next
    assert all(np.all(d.y == 3.0) for d in proj.dendrites)


def example_network(seed):
    """The StructuralPlasticity example notebook of the reference."""
    ann.setup(structural_plasticity=True, seed=seed)
    neuron = ann.Neuron(parameters="tau = 10.0 : population\nbaseline = 0.0",
                        equations="tau * dr/dt + r = baseline + sum(exc) : min=0.0")
    pop = ann.Population(100, neuron)
    synapse = ann.Synapse(
        parameters=" T = 10000 : int, projection ",
        equations="""
            age = if pre.r * post.r > 1.0 :
                    0
                  else :
                    age + 1 : init = 0, int""",
        pruning="age > T : proba = 0.2",
        creating="pre.r * post.r > 1.0 : proba = 0.1, w = 0.01")
    proj = ann.Projection(pop, pop, "exc", synapse)
    proj.connect_fixed_probability(weights=0.01, probability=0.1)
    return pop, proj


def blocks(proj):
    """Synapses within each half and between the halves."""
    m = proj.connectivity_matrix() != 0
    return np.array([m[:50, :50].sum() + m[50:, 50:].sum(), m[:50, 50:].sum() + m[50:, :50].sum()])


def test_the_reference_example_statistics():
    pop, proj = example_network(seed=2)
    ann.compile()
    proj.start_creating(period=100.0)
    proj.start_pruning(period=100.0)
    initial = blocks(proj)
    trials = []
    for _ in range(6):
        for half in (slice(0, 50), slice(50, 100)):
            pop[half].baseline = 1.0
            ann.simulate(1000.0)
            pop.baseline = 0.0
            ann.simulate(100.0)
        trials.append(blocks(proj))
    # each half is co-active at 10 creating steps per trial: a missing synapse stays missing
    # with probability 0.9 ** 10; between the halves, synapses age 2200 steps per trial
    missing = 5000 - initial[0]
    expected = 5000 - missing * 0.9 ** 10
    sd = np.sqrt(missing * 0.9 ** 10 * (1 - 0.9 ** 10))
    assert abs(trials[0][0] - expected) < 5 * sd
    assert [t[1] for t in trials[:4]] == [initial[1]] * 4   # not yet older than T
    assert trials[4][1] < 0.3 * initial[1]                  # then pruned with 0.2 per 100 ms
    assert trials[5][0] > 4950 and trials[5][1] < 10


# ---------------------------------------------------------------- spikes
def spiking_pair(matrix, delays, synapse=None):
    source = ann.SpikeSourceArray([[2.0, 9.0], [3.0, 9.0], [4.0, 9.0]])
    post = ann.Population(3, READ)
    proj = ann.Projection(source, post, "exc", synapse)
    proj.connect_from_matrix(matrix, delays=delays)
    return source, post, proj, ann.Monitor(post, "v")


@pytest.mark.parametrize("synapse", [None, ann.Synapse(pre_spike="g_target += w; w += 0.0",
                                                        name="written")],
                         ids=["weights in pre order", "synapse index"])
def test_spike_propagation_after_changes_equals_a_built_network(synapse):
    before = np.array([[1.0, 2.0, None], [None, 4.0, 8.0], [16.0, None, 32.0]], dtype=object)
    after = np.array([[1.0, None, 64.0], [None, 4.0, 8.0], [16.0, 128.0, None]], dtype=object)
    delays = 2.0
    ann.setup(structural_plasticity=True)
    _, _, proj, changed = spiking_pair(before, delays, synapse)
    ann.compile()
    ann.simulate(6.0)                          # every spike of 2, 3, 4 ms was delivered
    proj.dendrite(0).prune_synapse(1)
    proj.dendrite(0).create_synapse(2, 64.0)
    proj.dendrite(2).prune_synapse(2)
    proj.dendrite(2).create_synapse(1, 128.0)
    ann.simulate(10.0)
    changed = changed.get("v")
    ann.clear()
    ann.setup(structural_plasticity=True)
    _, _, _, built = spiking_pair(after, delays, synapse)
    ann.compile()
    ann.simulate(16.0)
    built = built.get("v")
    assert np.array_equal(changed[6:], built[6:]) and np.any(built[6:])
    assert not np.array_equal(changed[:6], built[:6])


def test_spikes_in_flight_reach_the_synapses_they_have_not_reached_yet():
    ann.setup(structural_plasticity=True)
    source = ann.SpikeSourceArray([[2.0], []])
    post = ann.Population(5, READ)
    proj = ann.Projection(source, post, "exc")
    proj.connect_from_matrix([[1.0, None], [2.0, None], [4.0, None], [8.0, None], [None, 1.0]],
                             delays=np.array([[1.0, 0], [2.0, 0], [3.0, 0], [5.0, 0], [0, 1.0]]))
    monitor = ann.Monitor(post, "v")
    ann.compile()
    ann.simulate(5.0)                # emitted at step 2, delivered at 3 and 4 so far
    proj.dendrite(2).prune_synapse(0)                    # delay 3: would arrive at step 5
    proj.dendrite(4).create_synapse(0, 16.0, delay=4.0)  # arrives at step 6
    proj.dendrite(1).prune_synapse(0)                    # already delivered
    ann.simulate(6.0)
    v = monitor.get("v")
    arrivals = {int(i): np.flatnonzero(v[:, i]).tolist() for i in range(5)}
    assert arrivals == {0: [3], 1: [4], 2: [], 3: [7], 4: [6]}


def test_pruning_condition_of_a_spiking_projection():
    ann.setup(structural_plasticity=True)
    neuron = ann.Neuron(equations="v = g_exc", spike="v > 1000.0", name="read_t")
    source = ann.SpikeSourceArray([[1.0, 5.0]])
    post = ann.Population(2, neuron)
    synapse = ann.Synapse(pre_spike="g_target += w", pruning="t_pre >= 4.0", name="once")
    proj = ann.Projection(source, post, "exc", synapse).connect_all_to_all(weights=1.0)
    monitor = ann.Monitor(post, "v")
    ann.compile()
    proj.start_pruning()
    ann.simulate(8.0)
    assert proj.nb_synapses == 0
    assert np.flatnonzero(monitor.get("v")[:, 0]).tolist() == [2]


# ---------------------------------------------------------------- monitors, reset, files
def test_monitors_follow_the_synapses():
    ann.setup(structural_plasticity=True)
    pre = ann.Population(4, INPUT)
    post = ann.Population(4, READOUT)
    proj = ann.Projection(pre, post, "exc", TRACED).connect_one_to_one(weights=0.5)
    whole = ann.Monitor(proj, "x")
    ann.compile()
    one = ann.Monitor(proj.dendrite(1), "x")
    ann.simulate(2.0)
    proj.dendrite(1).create_synapse(3, 2.0)
    ann.simulate(2.0)
    proj.dendrite(1).prune_synapse(1)
    ann.simulate(1.0)
    recorded = whole.get("x")
    assert recorded.shape == (5, 4) and recorded.dtype == object
    assert [list(recorded[s, 1]) for s in range(5)] == [[1.0], [2.0], [3.0, 1.0], [4.0, 2.0],
                                                        [3.0]]
    assert [list(recorded[s, 0]) for s in range(5)] == [[1.0], [2.0], [3.0], [4.0], [5.0]]
    alone = one.get("x")
    assert [list(values) for values in alone] == [[1.0], [2.0], [3.0, 1.0], [4.0, 2.0], [3.0]]
    ann.simulate(2.0)                          # unchanged synapses: numbers again
    assert whole.get("x").shape == (2, 4, 1)


def test_reset_brings_back_the_synapses_of_compile_time():
    pre, post, proj = rate_network("one_to_one", size=4, synapse=TRACED)
    ann.compile()
    ann.simulate(3.0)
    proj.dendrite(0).create_synapse(2, 5.0)
    proj.dendrite(3).prune_synapse(3)
    proj.reset()                                # values of compile time, new synapses' values
    assert proj.dendrite(0).x == pytest.approx([0.0, 0.0]) and proj.nb_synapses == 4
    ann.simulate(1.0)
    ann.reset(projections=True, synapses=True)
    assert [d.pre_ranks for d in proj.dendrites] == [[0], [1], [2], [3]]
    assert proj.w == [pytest.approx([1.0])] * 4 and proj.x == [pytest.approx([0.0])] * 4


def test_a_state_file_brings_its_synapses(tmp_path):
    pre, post, proj = rate_network("one_to_one", size=4, synapse=TRACED)
    ann.compile()
    proj.dendrite(0).create_synapses([1, 3], [0.5, 0.75])
    proj.dendrite(2).prune_synapse(2)
    ann.simulate(2.0)
    ann.save(str(tmp_path / "state.npz"))
    saved = [(d.pre_ranks, list(d.w), list(d.x)) for d in proj.dendrites]
    ann.reset(projections=True, synapses=True)
    ann.load(str(tmp_path / "state.npz"))
    assert [(d.pre_ranks, list(d.w), list(d.x)) for d in proj.dendrites] == saved
    pre.r = 1.0
    ann.step()
    assert post.r == pytest.approx([2.25, 1.0, 0.0, 1.0])


def test_network_copies_rewire_on_their_own():
    pre, post, proj = rate_network("one_to_one", size=3)
    network = ann.Network(everything=True)
    network.compile()
    ann.compile()
    copy = network.get(proj)
    copy.dendrite(0).create_synapse(1, 1.0)
    assert copy.nb_synapses == 4 and proj.nb_synapses == 3


# ---------------------------------------------------------------- nothing costs without it
def generated(synapse, **connect):
    from annbook.core.network import global_network
    pop = ann.Population(3, INPUT)
    ann.Projection(pop, pop, "exc", synapse).connect_all_to_all(weights=0.5, **connect)
    source = global_network()._generate()
    ann.clear()
    return source


def test_without_structural_plasticity_the_code_is_unchanged():
    plain = ann.Synapse(equations="x = pre.r", name="same")
    ruled = ann.Synapse(equations="x = pre.r", pruning="x > 1.0", creating="pre.r > 2.0",
                        name="same")
    assert generated(ruled) == generated(plain)
    alone = generated(plain, force_multiple_weights=True)
    ann.setup(structural_plasticity=True)          # every synapse then has its own weight
    assert generated(plain) == alone
    assert "def structural(" in generated(ruled) and "prune_0" in generated(ruled)


def test_ctrl_c_during_a_structural_change_stops_after_the_step(monkeypatch):
    import _thread
    from annbook.core import structural
    ann.setup(structural_plasticity=True)
    counter = ann.Neuron(equations="r = 1.0\ncount += 1", name="counting")
    pop = ann.Population(10, counter)
    synapse = ann.Synapse(pruning="w > 0.5 : proba = 0.5", creating="pre.r > 0.5 : w = 1.0",
                          name="churning")
    proj = ann.Projection(pop, pop, "exc", synapse).connect_one_to_one(weights=1.0)
    monitor = ann.Monitor(pop, "count")
    ann.compile()
    ann.simulate(3.0)
    proj.start_creating(period=5.0)           # at steps 3, 8, 13...
    proj.start_pruning(period=5.0)
    apply = structural.apply_conditions

    def interrupted(network):
        _thread.interrupt_main()              # Ctrl-C in the middle of the change
        apply(network)

    monkeypatch.setattr(structural, "apply_conditions", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ann.simulate(10.0)
    assert ann.get_current_step() == 4        # the step of the change was finished
    assert np.all(pop.count == 4) and len(monitor.get("count")) == 4
    c = proj._connectivity
    c.validate(10, 10)
    assert all(values.size == c.nb_synapses for values in (proj._state["w"], proj._last_event))
    monkeypatch.setattr(structural, "apply_conditions", apply)
    ann.simulate(10.0)
    assert ann.get_current_step() == 14 and np.all(pop.count == 14)

"""Threads (``setup(num_threads=N)``): the runs of one thread, spike for spike.

Deterministic networks must give the same numbers on 1 and on 2 or 3 threads (every
addition into a neuron's input happens on one thread, in the single-threaded order);
stochastic ones are reproducible for a seed and a number of threads and keep the statistics
of one thread. The networks below put many features of the compiled step together so that
each build covers a lot.
"""

import _thread
import os
import re
import threading
import time

import numpy as np
import pytest

import annbook as ann
from annbook.build import cache
from annbook.config import reset_config
from annbook.core.network import global_network

LIF = ann.Neuron(
    parameters="""
        tau = 20.0 : population
        El = -60.0 : population
        Vt = -50.0 : population
        I = 21.0
    """,
    equations="""
        tau * dv/dt = El - v + g_exc * (0.0 - v) + g_inh * (-80.0 - v) + I
        tau * 0.25 * dg_exc/dt = -g_exc
        tau * 0.5 * dg_inh/dt = -g_inh
        dslow/dt = 0.01 * (mean(v) - slow) : population
    """,
    spike="v > Vt", reset="v = El", refractory=3.0, name="lif")
STDP = ann.Synapse(
    parameters="""
        tau_plus = 20.0 : projection
        tau_minus = 20.0 : projection
        w_max = 0.5 : projection
    """,
    equations="""
        tau_plus * dx/dt = -x : event-driven
        tau_minus * dy/dt = -y : event-driven
    """,
    pre_spike="""
        g_target += w
        x += 0.01
        w = clip(w - y, 0.0, w_max)
    """,
    post_spike="""
        y += 0.012
        w = clip(w + x, 0.0, w_max)
    """, name="stdp")
LEAKY = ann.Neuron(parameters="tau = 10.0\nb = 0.0", name="leaky",
                   equations="tau * dr/dt + r = sum(exc) - sum(inh) + b - 0.1 * mean(r) : min=0.0")
OJA = ann.Synapse(parameters="eta = 0.01 : projection\nalpha = 2.0 : projection",
                  equations="""
                      dw/dt = eta * (pre.r * post.r - alpha * post.r^2 * w)
                      trace = mean(post.r) : postsynaptic
                  """, name="oja")


def run(build, threads, duration, seed=1, dt=0.5):
    """Build a network on ``threads`` threads, simulate it, return what ``build`` reads
    (``build``'s entry 'compiled', if any, is called after compile())."""
    ann.clear()
    reset_config()
    ann.setup(dt=dt, seed=seed, num_threads=threads)
    reads = build()
    ann.compile()
    reads.pop("compiled", lambda: None)()
    ann.simulate(duration)
    return {name: read() for name, read in reads.items()}


def same(first, second):
    assert first.keys() == second.keys()
    for name, value in first.items():
        if isinstance(value, (dict, str, list)):
            assert value == second[name], name
        else:
            assert np.array_equal(np.asarray(value), np.asarray(second[name])), name


def spiking_network():
    """Static sparse, nearly full (padded), per-synapse and uniform delays, STDP (post
    events, event-driven variables), a population-wide equation, inputs recorded."""
    np.random.seed(7)
    pop = ann.Population(203, LIF)               # not a multiple of 8: uneven thread blocks
    pop.v = np.random.uniform(-60.0, -50.0, pop.size)
    pop.I = np.random.uniform(19.0, 22.0, pop.size)
    exc = ann.Projection(pop[:160], pop, "exc")
    exc.connect_fixed_probability(0.1, weights=0.3)
    inh = ann.Projection(pop[160:], pop, "inh")
    inh.connect_all_to_all(weights=ann.Uniform(0.0, 0.4))            # padded (no self)
    late = ann.Projection(pop[:50], pop, "exc")
    late.connect_fixed_probability(0.2, weights=0.2, delays=ann.Uniform(0.5, 4.0))
    slow = ann.Projection(pop[50:100], pop, "exc")
    slow.connect_fixed_probability(0.2, weights=0.2, delays=2.0)
    inputs = ann.SpikeSourceArray([sorted(np.random.choice(np.arange(0.5, 150.0, 0.5), 9,
                                                            replace=False).tolist())
                                   for _ in range(40)])
    learning = ann.Projection(inputs, pop[:100], "exc", STDP)
    learning.connect_fixed_probability(0.5, weights=ann.Uniform(0.0, 0.3))
    spikes = ann.Monitor(pop, "spike")
    inputs_recorded = ann.Monitor(pop[:20], ["g_exc", "v"])
    return {"spikes": lambda: spikes.get("spike"), "v": lambda: pop.v,
            "slow": lambda: pop.slow, "w": lambda: np.concatenate(learning.w),
            "inputs": lambda: inputs_recorded.get("g_exc"), "trace": lambda: inputs_recorded.get("v"),
            "layout": lambda: [exc._dense, inh._dense, learning._dense]}


def rate_network():
    """Dense and sparse sums, per-synapse delays, learning with a per-dendrite variable,
    global operations, a timed input."""
    np.random.seed(3)
    source = ann.TimedArray(rates=np.random.uniform(0.0, 1.0, (30, 60)), period=7.0)
    pop = ann.Population(77, LEAKY)
    pop.b = np.random.uniform(-0.2, 0.3, pop.size)
    dense = ann.Projection(source, pop, "exc", OJA)
    dense.connect_all_to_all(weights=ann.Uniform(0.0, 0.1))
    sparse = ann.Projection(source, pop, "inh")
    sparse.connect_fixed_probability(0.3, weights=ann.Uniform(0.0, 0.05),
                                     delays=ann.Uniform(1.0, 5.0))
    recurrent = ann.Projection(pop, pop, "exc")
    recurrent.connect_fixed_number_pre(10, weights=0.02, delays=3.0)
    rates = ann.Monitor(pop, ["r", "sum(exc)"])
    return {"r": lambda: rates.get("r"), "exc": lambda: rates.get("sum(exc)"),
            "w": lambda: np.concatenate(dense.w), "trace": lambda: dense.trace,
            "layout": lambda: [dense._dense, sparse._dense]}


@pytest.mark.filterwarnings("ignore:.*but this process may use")     # 3 threads on 2 cores
@pytest.mark.parametrize("build,duration", [(spiking_network, 150.0), (rate_network, 40.0)])
def test_threads_give_the_single_threaded_run(build, duration):
    single = run(build, 1, duration)
    assert single["layout"] in (["", "padded", ""], ["full", ""])
    same(run(build, 2, duration), single)
    same(run(build, 3, duration), single)
    assert global_network()._module.THREADED and global_network().num_threads == 3


COBA_LIKE = ann.Neuron(
    parameters="tau = 20.0 : population\nVt = -50.0 : population\nI = 21.0",
    equations="""
        tau * dv/dt = -60.0 - v + g_exc * (0.0 - v) + g_inh * (-80.0 - v) + I
        tau * 0.25 * dg_exc/dt = -g_exc
        tau * 0.5 * dg_inh/dt = -g_inh
    """,
    spike="v > Vt", reset="v = -60.0", refractory=2.0, name="coba_like")


def one_barrier_network():
    """What steps of one barrier allow: static projections (sparse and dense, delays of
    one step and of several), a spike source, a stop condition, a paused value monitor."""
    np.random.seed(5)
    pop = ann.Population(203, COBA_LIKE, stop_condition="v > -50.5 : any")
    pop.v = np.random.uniform(-60.0, -50.0, pop.size)
    pop.I = np.random.uniform(19.0, 22.0, pop.size)
    exc = ann.Projection(pop[:160], pop, "exc")
    exc.connect_fixed_probability(0.1, weights=0.3)
    inh = ann.Projection(pop[160:], pop, "inh")
    inh.connect_all_to_all(weights=ann.Uniform(0.0, 0.4))
    late = ann.Projection(pop[:60], pop, "exc")
    late.connect_fixed_probability(0.2, weights=0.2, delays=2.0)
    inputs = ann.SpikeSourceArray([sorted(np.random.choice(np.arange(0.5, 300.0, 0.5), 20,
                                                            replace=False).tolist())
                                   for _ in range(30)])
    feed = ann.Projection(inputs, pop, "exc")
    feed.connect_fixed_probability(0.3, weights=0.5)
    spikes = ann.Monitor(pop, "spike")
    values = ann.Monitor(pop[:5], "v", start=False)
    ticks = ann.Population(16, ann.Neuron(equations="v = 0.0", spike="v > -1.0"))
    every_step = ann.Monitor(ticks, "spike")        # fills its buffer as fast as can be

    steps = []

    def story():
        """Runs on steps of one barrier and of two, in turn: both must give one history."""
        ann.simulate_until(50.0, pop)                    # a stop condition: two barriers
        ann.simulate(40.0)
        values.resume()                                  # a value recorded: two barriers
        ann.simulate(20.0)
        values.pause()
        ann.simulate(30.0)
        steps.append(ann.get_current_step())
        ann.reset(monitors=False)                        # spikes in flight are dropped
        ann.simulate(35.0)
        pop.compute_firing_rate(5.0)                     # thread 0 writes r: two barriers
        ann.simulate(25.0)
        steps.append(ann.get_current_step())
    return {"compiled": story, "spikes": lambda: spikes.get("spike"), "v": lambda: pop.v,
            "ticks": lambda: every_step.get("spike"), "steps": lambda: sum(steps),
            "values": lambda: values.get("v"), "r": lambda: pop.r}


@pytest.mark.filterwarnings("ignore:.*but this process may use")     # 3 threads on 2 cores
def test_steps_of_one_barrier_give_the_single_threaded_run(monkeypatch):
    monkeypatch.setattr("annbook.core.monitor.SPIKE_BUFFER_PAIRS", 700)    # refilled often
    single = run(one_barrier_network, 1, 0.0)
    assert sum(len(times) for times in single["spikes"].values()) > 1000
    assert {len(times) for times in single["ticks"].values()} == {single["steps"]}
    for threads in (2, 3):
        same(run(one_barrier_network, threads, 0.0), single)
        assert global_network()._module.ONE_BARRIER
    run(spiking_network, 2, 1.0)
    assert not global_network()._module.ONE_BARRIER     # its learning needs two


def test_stochastic_runs_are_reproducible_and_keep_their_statistics():
    def noisy():
        pop = ann.Population(1000, ann.Izhikevich)
        pop.noise = 5.0
        pop.v = -65.0
        rec = ann.Projection(pop, pop, "exc")
        rec.connect_fixed_probability(0.05, weights=ann.Uniform(0.0, 0.4))
        inputs = ann.PoissonPopulation(200, rates=20.0)
        feed = ann.Projection(inputs, pop, "exc")
        feed.connect_fixed_probability(0.1, weights=1.0)
        m = ann.Monitor(pop, "spike")
        n = ann.Monitor(inputs, "spike")
        return {"spikes": lambda: m.get("spike"), "inputs": lambda: n.get("spike")}
    first, again = run(noisy, 2, 500.0, seed=11), run(noisy, 2, 500.0, seed=11)
    same(first, again)
    single = run(noisy, 1, 500.0, seed=11)
    assert first["spikes"] != single["spikes"]           # each block draws its own numbers
    for name in ("spikes", "inputs"):
        counts = [sum(len(times) for times in result[name].values()) for result in
                  (first, single)]
        assert counts[0] == pytest.approx(counts[1], rel=0.05)
    expected = 200 * 20.0 * 0.5
    assert sum(len(t) for t in first["inputs"].values()) == pytest.approx(expected, rel=0.05)


def noisy_izhikevich():
    """Izhikevich neurons with noise, recurrent synapses and Poisson inputs."""
    pop = ann.Population(300, ann.Izhikevich)
    pop.noise = 5.0
    rec = ann.Projection(pop, pop, "exc")
    rec.connect_fixed_probability(0.1, weights=ann.Uniform(0.0, 0.5))
    inputs = ann.PoissonPopulation(100, rates=30.0)
    ann.Projection(inputs, pop, "exc").connect_fixed_probability(0.2, weights=1.0)
    m = ann.Monitor(pop, "spike")
    return {"spikes": lambda: m.get("spike"), "v": lambda: pop.v}


def test_a_run_depends_on_the_threads_of_setup_not_on_those_that_execute_it():
    """The blocks and their generators follow setup(num_threads=N): one thread executing
    the N blocks (parallel_run's workers, a busy machine) draws the same numbers."""
    def limited():
        reads = noisy_izhikevich()
        reads["compiled"] = lambda: global_network().limit_threads(1)
        return reads
    two = run(noisy_izhikevich, 2, 200.0, seed=5)
    one = run(limited, 2, 200.0, seed=5)
    assert global_network().num_threads == 1
    same(two, one)


def _held(build, shares):
    """``build`` on all its threads (even on a busy machine: ``tuned_threads`` of
    run_threads.pyx), holding ``shares`` of the blocks (None: as their speeds say)."""
    def held():
        reads = build()

        def hold():
            network = global_network()
            network._tuning[:] = [1e9, 1e-9, 1e9, 1e9]     # seconds a step: 1 thread, all
            network._shares.hold(shares, network._blocks())
        reads["compiled"] = hold
        return reads
    return held


@pytest.mark.parametrize("shares", [[4, 12], [12, 4], None])
def test_the_cut_between_the_threads_changes_no_number_and_no_draw(shares):
    """Thread 0 moves the cut between the threads' blocks as their speeds differ
    (ab_rebalance): deterministic networks still give the single-threaded run, and stochastic
    ones the same draws as with an even cut, each block drawing from its own generators."""
    same(run(_held(spiking_network, shares), 2, 150.0), run(spiking_network, 1, 150.0))

    even = run(_held(noisy_izhikevich, [8, 8]), 2, 200.0, seed=5)
    same(run(_held(noisy_izhikevich, shares), 2, 200.0, seed=5), even)
    network = global_network()
    cut = network._shares.cut(2)
    assert cut[0] == 0 and cut[2] == network._blocks() == 16
    assert cut[1] == (shares[0] if shares else cut[1]) and 4 <= cut[1] <= 12


def test_projections_that_thread_zero_runs_alone():
    """Shared-weight, decoding and accumulating projections run on thread 0 between
    barriers; the other threads' neurons still get their inputs."""
    from annbook.extensions.bold import BoldMonitor
    from annbook.extensions.convolution import Convolution, Pooling

    def build():
        np.random.seed(5)
        image = ann.Population((12, 12), ann.Neuron(parameters="r = 0.0"))
        image.r = np.random.uniform(0.0, 1.0, (12, 12))
        features = ann.Population((12, 12), LEAKY)
        conv = Convolution(image, features, "exc")
        conv.connect_filter(np.random.uniform(-0.5, 1.0, (3, 3)))
        pooled = ann.Population((6, 6), LEAKY)
        Pooling(features, pooled, "exc", operation="max").connect_pooling(extent=(2, 2))
        spikes = ann.SpikeSourceArray([np.arange(0.5 + n % 7, 30.0, 2.0 + n % 5).tolist()
                                       for n in range(50)])
        decoded = ann.Population(20, LEAKY)
        ann.DecodingProjection(spikes, decoded, "exc", window=5.0).connect_all_to_all(1.0)
        bold = BoldMonitor(populations=[features], recorded_variables="BOLD")
        bold.start()
        m = ann.Monitor(pooled, "r")
        return {"pooled": lambda: m.get("r"), "decoded": lambda: decoded.r,
                "bold": lambda: bold.get("BOLD")}
    single, threaded = run(build, 1, 30.0), run(build, 2, 30.0)
    same(single, threaded)
    assert threaded["pooled"].any() and threaded["decoded"].any()


def test_callbacks_between_threaded_steps():
    def build():
        reads = spiking_network()
        pop = global_network().populations[0]

        @ann.every(period=7.0)
        def drive(n):
            pop.I = 19.0 + 0.3 * (n % 5)
        return reads
    same(run(build, 2, 60.0), run(build, 1, 60.0))


def test_structural_plasticity_on_threads():
    def build():
        ann.setup(structural_plasticity=True)
        synapse = ann.Synapse(parameters="w_min = 0.15 : projection",
                              pruning="w < w_min", creating="pre.r > 0.8 : w=0.5")
        np.random.seed(2)
        pre = ann.Population(40, ann.Neuron(parameters="r = 0.0"))
        pre.r = np.random.uniform(0.0, 1.0, 40)
        post = ann.Population(30, ann.Neuron(equations="r = sum(exc)"))
        proj = ann.Projection(pre, post, "exc", synapse)
        proj.connect_fixed_probability(0.3, weights=ann.Uniform(0.0, 0.3))
        m = ann.Monitor(post, "r")
        return {"r": lambda: m.get("r"), "synapses": lambda: proj.nb_synapses_per_dendrite(),
                "compiled": lambda: (proj.start_pruning(period=2.0),
                                     proj.start_creating(period=3.0))}
    single, threaded = run(build, 1, 20.0), run(build, 2, 20.0)
    same(single, threaded)


def test_stop_conditions_stop_flag_and_interrupt_on_threads():
    ann.setup(num_threads=2)
    model = ann.Neuron(parameters="tau = 10.0", equations="tau * dr/dt + r = 1.0\ncount += 1")
    pop = ann.Population(1000, model, stop_condition="r > 0.5 : any")
    m = ann.Monitor(pop, "count", period=10.0)
    ann.compile()
    stopped_at = ann.simulate_until(100.0, pop)
    assert stopped_at == pytest.approx(7.0) and np.all(pop.count == 7)
    net = global_network()
    done = threading.Event()
    worker = threading.Thread(target=lambda: (ann.simulate(1e8), done.set()))
    worker.start()                  # outside the main thread: one region for the whole run
    time.sleep(0.3)
    net.stop()                      # another thread asks the loop to stop
    worker.join(5.0)
    assert done.is_set()
    steps = ann.get_current_step()
    assert 7 < steps < 1e8 and np.all(pop.count == steps)
    assert len(m.get("count")) == (steps + 9) // 10
    fired = []
    timer = threading.Timer(0.3, lambda: (fired.append(time.perf_counter()),
                                          _thread.interrupt_main()))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        ann.simulate(1e9)
    assert time.perf_counter() - fired[0] < 0.5
    now = ann.get_current_step()
    assert steps < now < steps + 1e9 and np.all(pop.count == now)
    assert len(m.get("count")) == (now + 9) // 10 - (steps + 9) // 10
    ann.simulate(5.0)
    assert np.all(pop.count == now + 5)


def test_parallel_run_workers_stay_single_threaded():
    ann.setup(num_threads=2, seed=4)
    pop = ann.Population(100, ann.Izhikevich)
    ann.compile()

    def method(idx, net):
        return net.num_threads

    assert ann.parallel_run(method, number=2, max_processes=2) == [1, 1]
    assert ann.parallel_run(method, number=2, sequential=True) == [2, 2]
    assert global_network().num_threads == 2


def _update_local_source(threads):
    """The generated update_local (or update) of the first model of a network of
    Izhikevich neurons built for ``threads`` threads."""
    reset_config()
    ann.setup(num_threads=threads)
    ann.Population(1000, ann.Izhikevich)
    ann.compile()
    module = global_network()._module
    with open(module.__file__.split(".cpython")[0] + ".pyx") as source:
        text = source.read()
    start = text.index("cdef void update_local_0" if threads > 1 else "cdef void update_0")
    end = re.compile(r"^\S", re.MULTILINE).search(text, start + 1)     # the next definition
    return text[start:end.start() if end else len(text)]


def test_blocks_after_the_first_claim_the_lines_their_update_writes():
    """The arrays the loop writes, not those it only reads, and only past the first block
    (``ab_claim``: the prefetcher of the block before takes their first lines)."""
    source = _update_local_source(2)
    claims = source[source.index("    if lo > 0:"):source.index("    for i in range(lo, hi):")]
    claimed = re.findall(r"ab_claim\(p\.(\w+) \+ lo, \(hi - lo\) \* sizeof\(p\.\1\[0\]\)\)",
                         claims)
    assert sorted(claimed) == ["a_I", "a_g_exc", "a_g_inh", "a_u", "a_v", "fired"]
    ann.clear()
    assert "ab_claim" not in _update_local_source(1)


@pytest.mark.filterwarnings("ignore:.*but this process may use")
def test_thread_blocks_are_whole_cache_lines_and_cut_the_spike_index_alike():
    """A block of float values fills whole cache lines (no line written by two threads), and
    the spike index cuts each pre neuron's synapses where the module's blocks start."""
    ann.setup(num_threads=3, precision="float")
    pre, post = ann.Population(50, LIF), ann.Population(203, LIF)
    proj = ann.Projection(pre, post, "exc")
    proj.connect_fixed_probability(probability=0.3, weights=0.1)
    ann.compile()
    module = global_network()._module
    for n in (10, 203, 4000):
        for blocks in (2, 3, 4):
            ranges = [module.block_range(n, b, blocks) for b in range(blocks)]
            assert ranges[0][0] == 0 and ranges[-1][1] == n
            assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:]))
            assert all(lo * np.dtype(np.float32).itemsize % 64 == 0 for lo, hi in ranges
                       if lo < hi)
    ranges = [module.block_range(post.size, b, 3) for b in range(3)]
    starts, posts = proj._block_starts(3), proj._spike_index()["pre_post"]
    assert len({lo for lo, _ in ranges}) == 3                  # three blocks, none empty
    for i in range(pre.size):
        for b, (lo, hi) in enumerate(ranges):
            block = posts[starts[i, b]:starts[i, b + 1]]
            assert np.all((block >= lo) & (block < hi))


@pytest.mark.filterwarnings("ignore:.*but this process may use")
def test_num_threads_is_checked_and_keys_the_threading_mode_only():
    with pytest.raises(ann.ANNarchyException, match="num_threads"):
        ann.setup(num_threads=0)
    keys = []
    for threads in (1, 2, 3):
        ann.clear()
        reset_config()
        ann.setup(num_threads=threads)
        ann.Population(10, ann.Izhikevich)
        ann.compile()
        keys.append(global_network().last_compile["key"])
    assert keys[0] != keys[1] == keys[2]
    ann.clear()
    reset_config()
    ann.setup(num_threads=len(os.sched_getaffinity(0)) + 1)
    ann.Population(10, ann.Izhikevich)
    with pytest.warns(UserWarning, match="may use"):
        ann.compile()


def test_a_compiler_without_openmp_is_named(tmp_path, monkeypatch):
    compiler = tmp_path / "cc"
    compiler.write_text('#!/bin/sh\nfor a in "$@"; do [ "$a" = -fopenmp ] && '
                        '{ echo "cc: error: unsupported option \'-fopenmp\'" >&2; exit 1; }; done\n'
                        'exec gcc "$@"\n')
    compiler.chmod(0o755)
    monkeypatch.setenv("CC", str(compiler))
    monkeypatch.setattr(cache, "_environment", None)        # the key names the compiler
    ann.setup(num_threads=2)
    ann.Population(10, ann.Izhikevich)
    with pytest.raises(ann.ANNarchyException, match="cannot build OpenMP code") as error:
        ann.compile()
    assert "-fopenmp" in str(error.value)


def test_held_shares_must_share_every_block():
    """Holding shares that do not add up to the blocks is refused, naming them."""
    run(_held(noisy_izhikevich, [8, 8]), 2, 10.0)
    shares = global_network()._shares
    with pytest.raises(ValueError, match=r"\[8, 9\] are not shares of 16 blocks"):
        shares.hold([8, 9], 16)
    shares.hold(None, 16)

"""parallel_run: copies and given networks in loky workers, seeds, pinning, errors, dask."""

import os
import re
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import psutil
import pytest

import annbook as ann
from annbook.errors import InvalidConfiguration, NetworkError, NetworkRunError
from annbook.parallel import results as progress_module
from annbook.parallel.sweep import copy_seeds

RATES = [20.0, 40.0, 60.0, 80.0]


def build(seed=7, sizes=(40, 20)):
    """Poisson input onto Izhikevich neurons through a random connector: seeds show."""
    if seed is not None:
        ann.setup(seed=seed)
    inp = ann.PoissonPopulation(sizes[0], rates=50.0, name="inp")
    pop = ann.Population(sizes[1], ann.Izhikevich, name="pop")
    proj = ann.Projection(inp, pop, "exc")
    proj.connect_fixed_probability(0.3, weights=ann.Uniform(5.0, 15.0))
    monitor = ann.Monitor(pop, "spike")
    ann.compile()
    return inp, pop, proj, monitor


def spikes_of(net, monitor):
    return {rank: list(times) for rank, times in net.get(monitor).get("spike").items()}


def test_copies_come_back_in_order_and_equal_a_sequential_run():
    inp, pop, proj, monitor = build()

    def simulation(idx, net, rate):
        net.get(inp).rates = rate                 # global objects as keys, as the reference
        net.simulate(100.0)
        return idx, spikes_of(net, monitor), net.get(proj).nb_synapses, net.get(pop).v

    parallel = ann.parallel_run(simulation, number=4, rate=RATES, max_processes=2)
    sequential = ann.parallel_run(simulation, number=4, rate=RATES, sequential=True)
    assert [result[0] for result in parallel] == [0, 1, 2, 3]
    for mine, expected in zip(parallel, sequential):
        assert mine[1] == expected[1] and mine[2] == expected[2]
        assert np.array_equal(mine[3], expected[3])
    counts = [sum(len(times) for times in result[1].values()) for result in parallel]
    assert counts[0] < counts[-1]                                  # the rates reached the copies
    assert len({result[2] for result in parallel}) > 1             # connectors re-drawn per copy
    again = ann.parallel_run(simulation, number=4, rate=RATES, max_processes=2)
    assert [result[1] for result in again] == [result[1] for result in parallel]
    assert inp.rates[0] == 50.0 and ann.get_time() == 0.0          # the global network untouched


@pytest.mark.parametrize("seed", [7, None])
def test_same_seed_both_ways_in_parallel_and_sequentially(seed):
    inp, pop, proj, monitor = build(seed)

    def simulation(idx, net):
        net.simulate(80.0)
        return spikes_of(net, monitor), net.get(proj).nb_synapses

    for sequential in (False, True):
        same = ann.parallel_run(simulation, number=3, same_seed=True, sequential=sequential)
        assert same[1] == same[0] and same[2] == same[0]
        different = ann.parallel_run(simulation, number=3, sequential=sequential)
        assert different[0] != different[1] != different[2]
        if seed is not None:
            if sequential:
                assert same == parallel_same and different == parallel_different
            parallel_same, parallel_different = same, different


def test_given_networks_keep_their_own_seed_and_state():
    inp, pop, proj, monitor = build()
    networks = []
    for seed in (1, 2):
        net = ann.Network(everything=True)
        net.set_seed(seed)
        net.compile()
        networks.append(net)

    def simulation(idx, net):
        net.simulate(60.0)
        return spikes_of(net, monitor), float(np.random.random())

    parallel = ann.parallel_run(simulation, networks=networks)
    assert [net.get_time() for net in networks] == [0.0, 0.0]      # workers ran copies
    sequential = ann.parallel_run(simulation, networks=networks, sequential=True)
    assert parallel == sequential and parallel[0] != parallel[1]
    assert [net.get_time() for net in networks] == [60.0, 60.0]    # here: the networks themselves


def test_extra_arguments_are_lists_and_defaults_stay():
    build()

    def simulation(idx, net, a, b=10):
        return idx, a, b

    assert ann.parallel_run(simulation, number=2, a=[1, 2]) == [(0, 1, 10), (1, 2, 10)]
    assert ann.parallel_run(simulation, number=2, a=(1, 2), b=np.array([3, 4])) == \
        [(0, 1, 3), (1, 2, 4)]


def test_workers_load_the_binary_and_never_build():
    build()

    def simulation(idx, net):
        from annbook.build import cache
        net.simulate(10.0)
        return cache.build_count(), net.last_compile["built"], os.getpid(), \
            os.environ.get("OMP_NUM_THREADS")

    results = ann.parallel_run(simulation, number=4, max_processes=2)
    assert all(result[:2] == (0, False) for result in results)
    assert all(result[2] != os.getpid() for result in results)
    assert all(result[3] == "1" for result in results)             # single-threaded workers


def test_a_copy_is_freed_once_its_task_is_done():
    """A network's cycles kept every copy of a sweep in a worker's memory until a full
    collection (loky restarted workers that grew by 300 MB)."""
    import gc
    import weakref

    from annbook.core.network import global_network
    from annbook.parallel.worker import call_method, network_for, release_memory

    build()
    copies = []

    def simulation(idx, net):
        copies.append(weakref.ref(net))
        net.simulate(5.0)
        return idx

    enabled = gc.isenabled()
    gc.disable()            # only what the worker does may free the copy
    try:
        assert call_method(simulation, 0, network_for(global_network(), 3, None), {}) == 0
        assert copies[0]() is not None
        release_memory()
        assert copies[0]() is None
    finally:
        if enabled:
            gc.enable()


@pytest.mark.parametrize("processes", [1, 2])          # here (sequentially) and in workers
def test_memory_stays_flat_over_a_sweep(processes):
    build(sizes=(2000, 1000))       # 600k synapses, ~10 MB a copy (sizes are state: no build)

    def resident(idx, net):
        net.simulate(1.0)
        return os.getpid(), psutil.Process().memory_info().rss

    ann.parallel_run(resident, number=2 * processes, max_processes=processes)   # warm up
    seen = {}
    for _ in range(2):
        for pid, rss in ann.parallel_run(resident, number=6 * processes,
                                         max_processes=processes):
            seen.setdefault(pid, []).append(rss)
    for pid, sizes in seen.items():
        assert max(sizes) - sizes[0] < 25e6, f"process {pid} grew: {sizes}"


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two usable cores")
def test_each_worker_is_pinned_to_one_visible_core():
    build()
    cores = sorted(os.sched_getaffinity(0))[:2]

    def simulation(idx, net):
        time.sleep(0.15)                         # both workers get networks
        return os.getpid(), sorted(os.sched_getaffinity(0))

    results = ann.parallel_run(simulation, number=4, max_processes=2, visible_cores=cores)
    by_worker = dict(results)
    assert len(by_worker) == 2
    assert sorted(affinity[0] for affinity in by_worker.values()) == cores
    assert all(len(affinity) == 1 for affinity in by_worker.values())
    unpinned = ann.parallel_run(simulation, number=2, max_processes=2)
    assert all(affinity == sorted(os.sched_getaffinity(0)) for _, affinity in unpinned)


def test_a_method_defined_in_main_as_in_a_notebook(cache_directory):
    script = textwrap.dedent("""
        import annbook as ann
        pop = ann.Population(10, ann.LeakyIntegrator)
        ann.compile()

        def simulation(idx, net, value):
            net.get(pop).B = value
            net.simulate(100.0)
            return round(float(net.get(pop).v.mean()), 3)

        print(ann.parallel_run(simulation, number=3, value=[0.0, 1.0, 2.0], max_processes=2))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, ANNBOOK_CACHE_DIR=cache_directory))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[0.0, 1.0, 2.0]"


def test_a_monitor_returned_by_a_worker_still_gives_its_data():
    inp, pop, proj, monitor = build()

    def simulation(idx, net):
        net.simulate(50.0)
        return net.get(monitor)

    returned = ann.parallel_run(simulation, number=2, same_seed=True)
    times, ranks = returned[0].raster_plot()
    assert len(times) > 0 and np.array_equal(times, returned[1].raster_plot()[0])


def test_progress_bar_and_measured_time(monkeypatch, capsys):
    build()
    monkeypatch.setattr(progress_module, "PROGRESS_DELAY", 0.0)
    ann.parallel_run(lambda idx, net: idx, number=3, measure_time=True)
    shown = capsys.readouterr()
    assert "parallel_run" in shown.err and "3/3" in shown.err
    assert "Running 3 networks in parallel took" in shown.out
    ann.parallel_run(lambda idx, net: idx, number=3, progress=False)
    assert "parallel_run" not in capsys.readouterr().err


def test_progress_speed_is_the_average_since_the_start(monkeypatch, capsys):
    """Ticks between two finished networks do not make the speed jump: one network per
    0.3 s shows as at most 3.4 networks per second (tqdm's moving average showed 10)."""
    monkeypatch.setattr(progress_module, "PROGRESS_DELAY", 0.0)
    monkeypatch.setattr(progress_module, "PROGRESS_TICK", 0.01)
    with progress_module.Progress(4, enabled=True) as bar:
        for _ in range(2):
            time.sleep(0.3)
            bar.advance()
    shown = capsys.readouterr().err
    rates = [float(rate) for rate in re.findall(r"\s[12]/4 .*?([\d.]+)network/s", shown)]
    assert rates and max(rates) < 3.4, shown


def test_one_process_runs_the_networks_here_on_the_visible_core():
    build()
    allowed = os.sched_getaffinity(0)
    core = max(allowed)
    results = ann.parallel_run(lambda idx, net: (os.getpid(), os.sched_getaffinity(0)),
                               number=2, max_processes=1, visible_cores=[core])
    assert results == [(os.getpid(), {core})] * 2 and os.sched_getaffinity(0) == allowed


def test_an_uncompiled_global_network_is_compiled_first():
    ann.Population(5, ann.LeakyIntegrator)
    with pytest.warns(UserWarning, match="not compiled yet"):
        assert ann.parallel_run(lambda idx, net: net.get_populations()[0].size, number=2) == [5, 5]


def test_seeds_are_reproducible_and_do_not_depend_on_the_count():
    assert copy_seeds(3, False, 42) == copy_seeds(8, False, 42)[:3]
    assert len(set(copy_seeds(8, False, 42))) == 8
    assert copy_seeds(3, True, 42) == [42, 42, 42]
    fresh = copy_seeds(2, True, None)
    assert fresh[0] == fresh[1] and copy_seeds(2, False, None) != copy_seeds(2, False, None)


def _takes_one(idx):
    return idx


@pytest.mark.parametrize("call, message", [
    (dict(), "give networks=\\[...\\] .* or number=N"),
    (dict(number=2, visible_cores=[0]), "max_processes must be set to its length \\(1\\)"),
    (dict(number=2, visible_cores=[0], max_processes=2), "lists 1 cores for max_processes=2"),
    (dict(number=2, visible_cores=[0, 0], max_processes=2), "lists a core twice"),
    (dict(number=2, visible_cores=[4096], max_processes=1), "\\[4096\\] cannot be used"),
    (dict(number=2, max_processes=0), "max_processes must be -1"),
    (dict(number=2, rate=[1.0]), "'rate' has 1 values for 2 networks"),
    (dict(number=2, rate=5.0), "'rate' must be a list"),
    (dict(number=2, method=3), "method must be a function"),
    (dict(number=2, method=_takes_one), "cannot be called as _takes_one\\(idx, net\\)"),
    (dict(number=2, unknown=[1, 2]), "unexpected keyword argument 'unknown'"),
    (dict(networks="net"), "networks must be a list of Network"),
])
def test_bad_input_is_refused_with_a_clear_message(call, message):
    build()

    def simulation(idx, net, rate=1.0):
        return idx

    method = call.pop("method", simulation)
    with pytest.raises(InvalidConfiguration, match=message):
        ann.parallel_run(method, **call)


def test_a_method_that_cannot_travel_is_refused():
    build()
    lock = __import__("threading").Lock()

    def simulation(idx, net):
        with lock:
            return idx

    with pytest.raises(InvalidConfiguration, match="cannot be sent to the workers"):
        ann.parallel_run(simulation, number=2, max_processes=2)
    assert ann.parallel_run(simulation, number=2, sequential=True) == [0, 1]


def test_networks_must_be_compiled_networks():
    build()
    uncompiled = ann.Network(everything=True)
    with pytest.raises(NetworkError, match="networks\\[0\\] .* is not compiled"):
        ann.parallel_run(lambda idx, net: idx, networks=[uncompiled])
    uncompiled.compile()
    with pytest.raises(InvalidConfiguration, match="networks\\[1\\] is a int"):
        ann.parallel_run(lambda idx, net: idx, networks=[uncompiled, 3])


@pytest.mark.parametrize("sequential", [False, True])
def test_a_method_that_raises_names_the_network_and_keeps_the_others(sequential):
    build()

    def simulation(idx, net):
        if idx == 1:
            raise ValueError(f"bad value for network {idx}")
        return idx

    with pytest.raises(NetworkRunError, match="network 1 failed: ValueError: bad value") as info:
        ann.parallel_run(simulation, number=3, sequential=sequential, max_processes=2)
    assert info.value.index == 1 and isinstance(info.value.__cause__, ValueError)
    assert 'raise ValueError(f"bad value for network {idx}")' in info.value.worker_traceback
    assert "test_parallel.py" in str(info.value)
    results = ann.parallel_run(simulation, number=3, sequential=sequential, max_processes=2,
                               return_exceptions=True)
    assert results[0] == 0 and results[2] == 2
    assert isinstance(results[1], NetworkRunError) and results[1].index == 1


def test_a_worker_that_dies_is_named_and_does_not_hang():
    build()

    def simulation(idx, net, pause):
        if idx == 1:
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(pause)
        return idx

    with pytest.raises(NetworkRunError, match="network 1 failed: the process running it died "
                                              "\\(exit code SIGKILL"):
        ann.parallel_run(simulation, number=2, max_processes=2, pause=[0.0, 0.0])
    # network 2 runs while 1 dies: both are run again alone to tell which one kills its process
    results = ann.parallel_run(simulation, number=4, max_processes=2, return_exceptions=True,
                               pause=[0.0, 0.0, 0.5, 0.0])
    assert results[0] == 0 and results[2:] == [2, 3]
    assert isinstance(results[1], NetworkRunError) and "died" in str(results[1])
    assert ann.parallel_run(lambda idx, net: idx, number=2) == [0, 1]     # workers again


def test_dask_backend_on_a_local_cluster():
    distributed = pytest.importorskip("distributed")
    import joblib
    inp, pop, proj, monitor = build()

    def simulation(idx, net, rate):
        net.get(inp).rates = rate
        net.simulate(100.0)
        return (spikes_of(net, monitor),)

    expected = ann.parallel_run(simulation, number=4, rate=RATES, sequential=True)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster), joblib.parallel_config(backend="dask"):
        results = ann.parallel_run(simulation, number=4, rate=RATES)
        with pytest.raises(InvalidConfiguration, match="active joblib backend is Dask"):
            ann.parallel_run(simulation, number=4, rate=RATES, max_processes=1,
                             visible_cores=[sorted(os.sched_getaffinity(0))[0]])
    assert [result[0] for result in results] == [result[0] for result in expected]
    assert len(ann.core.network.all_networks()) == 1      # what dask's threads unpacked is gone


def test_a_kernel_interrupt_stops_the_sweep_and_leaves_no_process(cache_directory):
    """The notebook's interrupt (SIGINT to the kernel's process group): the workers are
    stopped at once, the kernel runs the next cell, and shutting it down leaves nothing."""
    from jupyter_client.manager import start_new_kernel
    manager, client = start_new_kernel(kernel_name="python3",
                                       env=dict(os.environ, ANNBOOK_CACHE_DIR=cache_directory))
    try:
        kernel = psutil.Process(manager.provisioner.process.pid)
        _execute(client, "import annbook as ann\nann.Population(100, ann.LeakyIntegrator)\n"
                         "ann.compile()\ndef forever(idx, net):\n    net.simulate(1e9)\n")
        client.execute("ann.parallel_run(forever, number=4, max_processes=2, progress=False)")
        deadline = time.monotonic() + 60
        while len(_workers(kernel)) < 2:
            assert time.monotonic() < deadline, "the workers never started"
            time.sleep(0.1)
        workers = _workers(kernel)
        time.sleep(0.5)                                   # they are inside simulate()
        manager.interrupt_kernel()
        started = time.monotonic()
        reply = client.get_shell_msg(timeout=30)["content"]
        assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"
        assert time.monotonic() - started < 10      # about 1 s; more when the machine is busy
        assert not [worker for worker in workers if _alive(worker)]   # no worker keeps running
        assert _execute(client, "ann.parallel_run(lambda idx, net: idx, number=2)") == "[0, 1]"
        children = kernel.children(recursive=True)
    finally:
        manager.shutdown_kernel(now=False)
        client.stop_channels()
    gone, alive = psutil.wait_procs(children, timeout=15)     # they exit with the kernel
    assert not [child for child in alive if _alive(child)]            # nothing orphaned


def _execute(client, code):
    """Run a cell; its result as text (fails on an error).

    Right after an error, ipykernel aborts the requests it receives until it is idle
    again (``stop_on_error``); such a request is sent again, as a user would run the cell.
    """
    for _ in range(20):
        reply = client.execute_interactive(code, timeout=60, output_hook=_keep_result)
        if reply["content"]["status"] != "aborted":
            break
        time.sleep(0.25)
    assert reply["content"]["status"] == "ok", reply["content"]
    return _keep_result.last


def _keep_result(message):
    if message["msg_type"] == "execute_result":
        _keep_result.last = message["content"]["data"]["text/plain"]


_keep_result.last = None


def _workers(process):
    return [child for child in process.children(recursive=True)
            if "LokyProcess" in " ".join(child.cmdline())]


def _alive(process):
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False

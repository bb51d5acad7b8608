"""A compiled network pickles with its state and loads its binary elsewhere without compiling."""

import os
import pickle
import shutil
import subprocess
import sys
import textwrap

import cloudpickle
import numpy as np

import annbook as ann
from annbook.build import cache


def build():
    ann.setup(seed=11)
    inp = ann.PoissonPopulation(40, rates=50.0, name="inp")
    pop = ann.Population(20, ann.Izhikevich, name="pop")
    proj = ann.Projection(inp, pop, "exc")
    proj.connect_fixed_probability(0.3, weights=ann.Uniform(5.0, 15.0))
    monitor = ann.Monitor(pop, ["spike", "v"])
    return inp, pop, proj, monitor


def test_pickled_network_goes_on_exactly_like_the_original():
    inp, pop, proj, monitor = build()
    ann.compile()
    ann.simulate(30.0)
    network = ann.core.network.global_network()
    copy, copy_pop, copy_monitor = pickle.loads(pickle.dumps((network, pop, monitor)))
    assert copy is not network and copy_pop._network is copy and copy.get(pop) is copy_pop
    assert not copy.last_compile["built"] and copy.get_time() == 30.0
    ann.simulate(50.0)
    copy.simulate(50.0)
    recorded, expected = copy_monitor.get(), monitor.get()
    assert np.array_equal(recorded["v"], expected["v"]) and recorded["spike"] == expected["spike"]
    assert sum(len(times) for times in expected["spike"].values()) > 0        # it did spike
    assert np.array_equal(copy_pop.v, pop.v)


def test_get_finds_copies_of_global_objects_unpickled_apart():
    inp, pop, proj, monitor = build()
    ann.compile()
    net = ann.Network(everything=True)
    net.compile()
    assert net.last_compile["key"] == ann.core.network.global_network().last_compile["key"]
    unpickled_net = pickle.loads(pickle.dumps(net))
    unpickled_pop, unpickled_view = pickle.loads(pickle.dumps((pop, pop[2:5])))
    assert unpickled_net.get(unpickled_pop) is unpickled_net.get_population("pop")
    view = unpickled_net.get(unpickled_view)
    assert view.population is unpickled_net.get(unpickled_pop) and list(view.ranks) == [2, 3, 4]
    assert unpickled_net.get([proj, monitor]) == [unpickled_net.get_projections()[0],
                                                  unpickled_net.get_monitors()[0]]


def test_constants_unpickle_to_the_constant_of_that_name():
    tau = ann.Constant("tau_test", 7.0)
    assert pickle.loads(pickle.dumps(tau)) is tau
    zero = ann.Constant("zero_test", 0.0)
    assert pickle.loads(pickle.dumps(zero)) is zero


def test_binary_sent_to_a_process_that_shares_no_cache(tmp_path):
    """What a cluster worker does: install the binary's bytes, unpickle, run; nothing built."""
    inp, pop, proj, monitor = build()
    ann.compile()
    network = ann.core.network.global_network()
    key = network.last_compile["key"]
    shutil.copy(network.last_compile["binary"], tmp_path / "binary.so")
    (tmp_path / "network.pkl").write_bytes(cloudpickle.dumps((network, monitor)))
    ann.simulate(40.0)
    expected = monitor.get("v")
    hidden = network.last_compile["binary"]
    os.rename(hidden, tmp_path / "hidden.so")           # the worker cannot see it
    try:
        child = textwrap.dedent(f"""
            import pickle
            import numpy as np
            from annbook.build import cache
            from annbook.config import cache_directory
            from annbook.core.network import clear_networks
            from annbook.errors import CompilationError
            data = open({str(tmp_path / "network.pkl")!r}, "rb").read()
            try:
                pickle.loads(data)
                raise SystemExit("loaded without its binary")
            except CompilationError as error:
                assert "none of the folders" in str(error), error
            clear_networks()
            binary = open({str(tmp_path / "binary.so")!r}, "rb").read()
            cache.install_binary({key!r}, binary, cache_directory())
            network, monitor = pickle.loads(data)
            network.simulate(40.0)
            np.save({str(tmp_path / "v.npy")!r}, monitor.get("v"))
            print(cache.build_count(), network.last_compile["built"])
        """)
        environment = dict(os.environ, ANNBOOK_CACHE_DIR=str(tmp_path / "worker-cache"))
        done = subprocess.run([sys.executable, "-c", child], env=environment, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == ["0", "False"]
        assert np.array_equal(np.load(tmp_path / "v.npy"), expected)
        assert os.path.exists(cache.binary_path(key, str(tmp_path / "worker-cache")))
    finally:
        os.rename(tmp_path / "hidden.so", hidden)       # the session's cache stays whole


def test_copies_with_the_same_synapses_share_the_pre_to_post_index():
    inp = ann.PoissonPopulation(30, rates=80.0)
    pop = ann.Population(10, ann.Izhikevich)
    full = ann.Projection(inp, pop, "exc")            # sparse loops: they read the index
    full.connect_all_to_all(weights=ann.Uniform(2.0, 6.0), storage_format="csr")
    sparse = ann.Projection(inp, pop, "inh")
    sparse.connect_fixed_probability(0.5, weights=1.0)
    dense = ann.Projection(inp, pop, "exc")           # a dense layout needs no index at all
    dense.connect_all_to_all(weights=ann.Uniform(2.0, 6.0))
    monitor = ann.Monitor(pop, "spike")
    ann.compile()
    net = ann.Network(everything=True)
    net.compile()
    assert dense._spike_arrays is None and net.get(dense)._spike_arrays is None
    mine, theirs = net.get(full)._spike_index(), full._spike_index()
    assert mine["pre_post"] is theirs["pre_post"] and mine["last_event"] is not theirs["last_event"]
    assert net.get(sparse)._spike_index()["pre_post"] is not sparse._spike_index()["pre_post"]
    net.simulate(50.0)
    assert sum(len(times) for times in net.get(monitor).get("spike").values()) > 0

"""Saving and loading: formats, atomic replacement, refusal of files of another network."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
import scipy.io

import annbook as ann
from annbook.core import storage
from annbook.errors import NetworkError

MODEL = ann.Neuron(parameters="tau = 10.0 : population\nI = 1.0", equations="tau * dr/dt + r = I")
OTHER = ann.Neuron(parameters="tau = 10.0 : population\nJ = 1.0", equations="tau * dr/dt + r = J")


def small_network(size=5, names=("pop",), model=MODEL):
    pops = [ann.Population(size, model, name=name) for name in names]
    proj = ann.Projection(pops[0], pops[0], "exc", ann.Hebb(eta=0.5), name="rec")
    proj.connect_all_to_all(weights=ann.Uniform(0.0, 1.0))
    return pops, proj


@pytest.mark.parametrize("extension", [".npz", ".gz", ".pkl"])
def test_save_and_load_a_network_state(tmp_path, extension):
    (pop,), proj = small_network()
    ann.compile()
    ann.simulate(10.0)
    filename = str(tmp_path / ("state" + extension))
    ann.save(filename)
    saved_r, saved_w = pop.r.copy(), np.concatenate(proj.w).copy()
    ann.simulate(10.0)
    ann.load(filename)
    assert np.array_equal(pop.r, saved_r)
    assert np.array_equal(np.concatenate(proj.w), saved_w)
    assert ann.get_time() == pytest.approx(10.0)          # the reference restores the time too


def test_load_restores_delays_and_objects_save_their_own_files(tmp_path):
    (pop,), proj = small_network()
    proj.delay = 2.0
    ann.compile()
    pop.I = np.arange(5.0)
    pop.save(str(tmp_path / "pop.npz"))
    proj.save(str(tmp_path / "proj.gz"))
    pop.I = 0.0
    proj.delay = 4.0
    proj.w = 0.0
    pop.load(str(tmp_path / "pop.npz"))
    proj.load(str(tmp_path / "proj.gz"))
    assert np.array_equal(pop.I, np.arange(5.0))
    assert proj.delay == 2.0 and proj.max_delay == 2
    assert np.concatenate(proj.w).min() > 0.0
    ann.simulate(5.0)                                     # rings re-bound after the delay change


def test_mismatching_network_is_named_and_nothing_is_loaded(tmp_path):
    small_network(names=("pop", "gone"))
    filename = str(tmp_path / "state.npz")
    ann.save(filename)
    ann.clear()
    (pop, new), proj = small_network(size=6, names=("pop", "new"))
    pop.I = 7.0
    with pytest.raises(NetworkError) as error:
        ann.load(filename)
    message = str(error.value)
    assert "nothing was loaded" in message
    assert "population 'gone' is in the file but not in this network" in message
    assert "population 'new' of this network is not in the file" in message
    assert "population 'pop': 'I' has the shape (5,) in the file, (6,) here" in message
    assert "projection 'rec': the file holds another connectivity (20 synapses onto 5 post " \
           "neurons; here 30 onto 6)" in message
    assert np.all(pop.I == 7.0)


def test_other_attributes_are_named(tmp_path):
    small_network()
    filename = str(tmp_path / "state.gz")
    ann.save(filename)
    ann.clear()
    ann.setup(seed=1)
    (pop,), _ = small_network(model=OTHER)
    with pytest.raises(NetworkError, match=r"population 'pop': the file has no value for J(.|\n)*"
                                           r"has values for I, which it does not have"):
        ann.load(filename, projections=False)


def test_object_loads_check_their_file(tmp_path):
    (pop,), proj = small_network()
    pop.save(str(tmp_path / "pop.npz"))
    proj.save(str(tmp_path / "proj.npz"))
    ann.clear()
    (pop,), proj = small_network(size=4)
    with pytest.raises(NetworkError, match=r"Population.load\(\).*not saved from this network"
                                           r"(.|\n)*'I' has the shape \(5,\) in the file, \(4,\)"):
        pop.load(str(tmp_path / "pop.npz"))
    with pytest.raises(NetworkError, match="another connectivity"):
        proj.load(str(tmp_path / "proj.npz"))


def test_partial_saves_load_what_they_hold(tmp_path):
    (pop,), proj = small_network()
    filename = str(tmp_path / "populations.npz")
    ann.save(filename, projections=False)
    pop.I = 3.0
    proj.w = 0.25
    ann.load(filename)                       # no projection in the file: not a mismatch
    assert np.all(pop.I == 1.0)
    assert np.all(np.concatenate(proj.w) == 0.25)


def test_npz_is_never_unpickled(tmp_path):
    filename = str(tmp_path / "evil.npz")
    np.savez(filename, obj_names=np.array({"populations": ["pop"]}, dtype=object))
    small_network()
    with pytest.raises(NetworkError, match="never unpickles .npz"):
        ann.load(filename)


def test_mat_files_are_written_for_analysis(tmp_path):
    (pop,), proj = small_network()
    pop.I = np.arange(5.0)
    filename = str(tmp_path / "state.mat")
    ann.save(filename)
    content = scipy.io.loadmat(filename, simplify_cells=True)
    assert np.array_equal(content["pop"]["I"], np.arange(5.0))
    assert content["rec"]["attr_w"].size == 20
    pop.save(str(tmp_path / "pop.mat"))
    proj.save_connectivity(str(tmp_path / "conn.mat"))
    with pytest.raises(NetworkError, match="MATLAB file.*cannot be loaded back"):
        ann.load(filename)


def test_files_that_are_not_states(tmp_path):
    small_network()
    with pytest.raises(NetworkError, match="no file"):
        ann.load(str(tmp_path / "missing.npz"))
    (tmp_path / "junk.gz").write_bytes(b"not gzip")
    with pytest.raises(NetworkError, match="unable to read"):
        ann.load(str(tmp_path / "junk.gz"))
    storage.write(str(tmp_path / "list.data"), [1, 2, 3])
    with pytest.raises(NetworkError, match="does not hold a saved state"):
        ann.load(str(tmp_path / "list.data"))


# ---------------------------------------------------------------- atomic replacement
def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "state.npz"
    target.write_bytes(b"previous")
    with pytest.raises(RuntimeError):
        with storage.atomic_file(str(target)) as handle:
            handle.write(b"half of it")
            raise RuntimeError("interrupted")
    assert target.read_bytes() == b"previous"
    assert os.listdir(tmp_path) == ["state.npz"]
    with storage.atomic_file(str(target)) as handle:
        handle.write(b"new")
    assert target.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["state.npz"]
    umask = os.umask(0)
    os.umask(umask)
    assert os.stat(target).st_mode & 0o777 == 0o666 & ~umask


def test_missing_folders(tmp_path):
    small_network()
    with pytest.raises(NetworkError, match="folder .*nowhere' does not exist; create it first"):
        ann.save_parameters(str(tmp_path / "nowhere" / "parameters.json"))
    ann.save(str(tmp_path / "made" / "state.npz"))      # as the reference, save() creates it
    assert os.path.isfile(tmp_path / "made" / "state.npz")
    with pytest.raises(NetworkError, match="is a folder"):
        ann.save(str(tmp_path / "made"))


KILLED_SAVE = """
import sys
import numpy as np
import annbook as ann
pop = ann.Population({size}, ann.Neuron(parameters="I = 1.0", equations="r = I"), name="pop")
pop.I = np.random.random({size})
print("saving", flush=True)
ann.save(sys.argv[1])
print("saved", flush=True)
"""


def test_a_save_killed_midway_leaves_the_old_file_loadable(tmp_path):
    filename = str(tmp_path / "state.npz")
    pop = ann.Population(10, ann.Neuron(parameters="I = 1.0", equations="r = I"), name="pop")
    pop.I = np.arange(10.0)
    ann.save(filename)
    before = open(filename, "rb").read()
    script = tmp_path / "big_save.py"
    script.write_text(textwrap.dedent(KILLED_SAVE.format(size=1_000_000)))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    child = subprocess.Popen([sys.executable, str(script), filename], stdout=subprocess.PIPE,
                             env=env, text=True)
    try:
        assert child.stdout.readline().strip() == "saving"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:        # kill once the temporary file has grown
            partial = [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]
            if partial and os.path.getsize(tmp_path / partial[0]) > 1 << 18:
                break
            time.sleep(0.01)
        else:
            pytest.fail("the child never wrote its temporary file")
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert open(filename, "rb").read() == before
    pop.I = 0.0
    ann.load(filename)
    assert np.array_equal(pop.I, np.arange(10.0))


# ---------------------------------------------------------------- parameters
def test_parameters_round_trip_through_json(tmp_path):
    pop = ann.Population(5, MODEL, name="pop")
    proj = ann.Projection(pop, pop, "exc", ann.Oja(eta=0.2))
    proj.connect_all_to_all(weights=0.1)
    ann.Constant("k", 2.0)
    filename = str(tmp_path / "parameters.json")
    ann.save_parameters(filename)
    pop.tau = 99.0
    proj.eta = 0.0
    assert ann.load_parameters(filename) == {}
    assert pop.tau == 10.0 and proj.eta == pytest.approx(0.2)
    assert ann.load_parameter(filename)["constants"] == {"k": 2.0}
    with open(filename) as handle:
        assert json.load(handle)["populations"] == {"pop": {"tau": 10.0}}
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(NetworkError, match="not a JSON file"):
        ann.load_parameters(str(tmp_path / "broken.json"))


# ---------------------------------------------------------------- monitors
def recorded(variables=("r",)):
    pop = ann.Population(3, ann.Neuron(equations="r = t"), name="pop")
    monitor = ann.Monitor(pop, list(variables))
    ann.compile()
    ann.simulate(4.0)
    return monitor


def test_monitor_save_formats(tmp_path):
    monitor = recorded()
    monitor.save(str(tmp_path / "r.npy"), keep=True)
    assert np.load(tmp_path / "r.npy").shape == (4, 3)
    monitor.save(str(tmp_path / "r.mat"), keep=True)
    assert scipy.io.loadmat(tmp_path / "r.mat")["r"].shape == (4, 3)
    monitor.save(str(tmp_path / "r.npz"))
    with np.load(tmp_path / "r.npz") as archive:
        assert archive["r"][:, 0].tolist() == [0.0, 1.0, 2.0, 3.0]
    assert monitor.get("r").size == 0                     # cleared once written


def test_monitor_keeps_its_data_when_the_file_cannot_be_written(tmp_path):
    monitor = recorded()
    with pytest.raises(NetworkError, match="does not exist"):
        monitor.save(str(tmp_path / "nowhere" / "r.npz"))
    assert monitor.get("r").shape == (4, 3)


def test_monitor_npy_holds_one_array(tmp_path):
    pop = ann.Population(3, ann.Neuron(parameters="I = 2.0", equations="v = t\nr = I"))
    monitor = ann.Monitor(pop, ["v", "r"])
    ann.compile()
    ann.simulate(2.0)
    with pytest.raises(NetworkError, match="a .npy file holds one variable"):
        monitor.save(str(tmp_path / "both.npy"))
    assert monitor.get("v").shape == (2, 3)


def test_monitor_spikes_in_hdf5(tmp_path):
    h5py = pytest.importorskip("h5py")
    pop = ann.Population(3, ann.Neuron(equations="v = t", spike="v > 1.5", reset="v = 0.0"))
    monitor = ann.Monitor(pop, ["spike", "v"])
    ann.compile()
    ann.simulate(4.0)
    expected = monitor.get("spike", keep=True)
    monitor.save(str(tmp_path / "m.hdf5"))
    with h5py.File(tmp_path / "m.hdf5") as archive:
        assert archive["v"].shape == (4, 3)
        assert {int(k): list(archive["spike"][k]) for k in archive["spike"]} == \
            {k: list(v) for k, v in expected.items()}
    with pytest.raises(NetworkError, match="'spike' is not one array"):
        monitor.save(str(tmp_path / "spikes.npy"), variables="spike")


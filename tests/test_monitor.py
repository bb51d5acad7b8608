import numpy as np
import pytest

import annbook as ann

RAMP = ann.Neuron(parameters="g0 = 0.0 : population",
                  equations="dr/dt = 1.0\nx = 2 * r : int\ng = t : population")


def build(geometry=3):
    pop = ann.Population(geometry, RAMP)
    return pop


def test_first_row_is_after_the_first_update_and_recording_continues():
    pop = build()
    m = ann.Monitor(pop, "r")
    ann.compile()
    ann.simulate(3.0)
    ann.simulate(2.0)
    r = m.get("r")
    assert r.shape == (5, 3) and r[:, 0] == pytest.approx([1, 2, 3, 4, 5])
    assert m.get("r").shape == (0,)                      # get() cleared it


def test_shapes_global_reshape_and_dtype():
    pop = build((2, 3))
    m = ann.Monitor(pop, ["r", "g", "x"])
    ann.compile()
    ann.simulate(4.0)
    assert m.get("r", keep=True).shape == (4, 6)
    assert m.get("r", reshape=True, keep=True).shape == (4, 2, 3)
    assert m.get("g", keep=True) == pytest.approx([0, 1, 2, 3])
    assert m.get("x", keep=True).dtype == np.int64
    data = m.get()
    assert set(data) == {"r", "g", "x"} and data["r"].shape == (4, 6)
    assert isinstance(m.get(["r"]), np.ndarray) and m.get(["r"]).shape == (0,)
    assert isinstance(m.get("r", force_dict=True), dict)


def test_period_and_offset():
    pop = build()
    every2 = ann.Monitor(pop, "r", period=2.0)
    shifted = ann.Monitor(pop, "r", period=2.0, period_offset=1.0)
    ann.compile()
    ann.simulate(5.0)
    assert every2.get("r")[:, 0] == pytest.approx([1, 3, 5])
    assert shifted.get("r")[:, 0] == pytest.approx([2, 4])
    assert every2.period == 2.0
    with pytest.raises(ann.ANNarchyException, match="period_offset"):
        ann.Monitor(pop, "r", period=2.0, period_offset=2.0)


def test_monitor_created_later_counts_its_period_from_creation():
    pop = build()
    ann.compile()
    ann.simulate(17.0)
    m = ann.Monitor(pop, "r", period=3.0)
    ann.simulate(7.0)
    assert m.get("r")[:, 0] == pytest.approx([18, 21, 24])


def test_start_pause_resume_and_times():
    pop = build()
    ann.compile()
    ann.simulate(3.0)
    m = ann.Monitor(pop, "r", start=False)
    ann.simulate(2.0)
    m.start()
    ann.simulate(2.0)
    m.pause()
    ann.simulate(3.0)
    m.resume()
    ann.simulate(1.0)
    assert m.get("r")[:, 0] == pytest.approx([6, 7, 11])
    assert m.times() == {"r": {"start": [3, 10], "stop": [7, 11]}}


def test_views_and_single_neurons_record_their_ranks():
    pop = build(6)
    pop.r = np.arange(6.0)
    view = ann.Monitor(pop[1:4], "r")
    single = ann.Monitor(pop.neuron(5), "r")
    ann.compile()
    ann.simulate(2.0)
    assert np.array_equal(view.get("r"), [[2, 3, 4], [3, 4, 5]])
    assert np.array_equal(single.get("r"), [[6], [7]])


def test_size_in_bytes_and_stop():
    pop = build()
    m = ann.Monitor(pop, "r")
    ann.compile()
    assert m.size_in_bytes() == 0
    ann.simulate(10.0)
    assert m.size_in_bytes() == 10 * 3 * 8
    m.stop()
    ann.simulate(1.0)
    assert m.variables == []


@pytest.mark.parametrize("variable,words", [("nope", "no attribute 'nope'"),
                                            ("g0", "is a parameter"), ("spike", "spiking")])
def test_bad_variables(variable, words):
    pop = build()
    with pytest.raises(ann.ANNarchyException, match=words):
        ann.Monitor(pop, variable)


def test_period_in_ms_of_the_dt_set_before_the_monitor():
    ann.setup(dt=0.1)
    pop = ann.Population(2, ann.Neuron(equations="r = t"))
    monitor = ann.Monitor(pop, "r", period=1.0)
    ann.compile()
    ann.simulate(10.0)
    assert monitor.get("r").shape == (10, 2)

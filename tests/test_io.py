import numpy as np
import pytest

import annbook as ann

MODEL = ann.Neuron(parameters="tau = 10.0 : population\nI = 1.0", equations="tau * dr/dt + r = I")


@pytest.mark.parametrize("extension", [".npz", ".gz", ".pkl"])
def test_save_and_load_a_network_state(tmp_path, extension):
    pop = ann.Population(5, MODEL, name="pop")
    proj = ann.Projection(pop, pop, "exc", ann.Hebb(eta=0.5))
    proj.connect_all_to_all(weights=ann.Uniform(0.0, 1.0))
    ann.compile()
    ann.simulate(10.0)
    filename = str(tmp_path / ("state" + extension))
    ann.save(filename)
    saved_r, saved_w = pop.r.copy(), np.concatenate(proj.w).copy()
    ann.simulate(10.0)
    ann.load(filename)
    assert np.array_equal(pop.r, saved_r)
    assert np.array_equal(np.concatenate(proj.w), saved_w)


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

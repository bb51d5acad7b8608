import numpy as np
import pytest

import annbook as ann

MODEL = ann.Neuron(parameters="tau = 10.0 : population\nbase = 1.0\nn = 2 : int",
                   equations="tau * dr/dt + r = base")


def test_geometry_and_coordinates():
    pop = ann.Population((4, 5), MODEL, name="grid")
    assert (pop.size, pop.geometry, pop.dimension, pop.width, pop.height, pop.depth) == \
        (20, (4, 5), 2, 4, 5, 1)
    assert pop.rank_from_coordinates((2, 3)) == 13
    assert pop.coordinates_from_rank(13) == (2, 3)
    assert pop.normalized_coordinates_from_rank(19) == (1.0, 1.0)
    assert pop.normalized_coordinates_from_rank(13, norm=3.0) == (2.0, 2.25)
    cube = ann.Population((2, 3, 4), MODEL)
    assert cube.coordinates_from_rank(23) == (1, 2, 3) and cube.depth == 4
    line = ann.Population(7, MODEL)
    assert line.coordinates_from_rank(3) == (3,) and line.name == "pop1"
    assert line.normalized_coordinates_from_rank(3) == (0.5,)
    with pytest.raises(ann.ANNarchyException, match="outside"):
        pop.rank_from_coordinates((4, 0))


def test_attributes_names_and_values():
    pop = ann.Population(3, MODEL)
    assert pop.parameters == ["tau", "base", "n"] and pop.variables == ["r"]
    assert pop.attributes == ["tau", "base", "n", "r"]
    assert isinstance(pop.tau, float) and pop.tau == 10.0
    assert pop.n.dtype == np.int64 and list(pop.n) == [2, 2, 2]
    copy = pop.base
    copy[0] = 99.0
    assert pop.base[0] == 1.0                      # reads are copies
    pop.base = [1.0, 2.0, 3.0]
    pop.n = 2.7                                    # truncated like a C cast
    pop.set({"tau": 5.0, "r": 0.5})
    assert list(pop.base) == [1.0, 2.0, 3.0] and list(pop.n) == [2, 2, 2]
    assert pop.get("tau") == 5.0 and list(pop.get("r")) == [0.5] * 3
    pop.base = ann.Uniform(4.0, 5.0)
    assert np.all((pop.base >= 4.0) & (pop.base <= 5.0))


def test_two_dimensional_values_take_both_shapes():
    pop = ann.Population((2, 3), MODEL)
    pop.base = np.arange(6.0).reshape(2, 3)
    assert pop.base.shape == (2, 3) and pop.base[1, 2] == 5.0
    pop.base = np.arange(6.0)
    assert pop.base[1, 0] == 3.0


@pytest.mark.parametrize("value", [[1.0, 2.0], np.zeros((3, 2)), "text"])
def test_wrong_shapes_are_refused_with_the_names(value):
    pop = ann.Population((2, 3), MODEL, name="shaped")
    with pytest.raises(ann.ANNarchyException) as error:
        pop.base = value
    assert "'shaped'" in str(error.value) and "'base'" in str(error.value)
    with pytest.raises(ValueError):
        pop.tau = [1.0, 2.0]


def test_views_slicing_lists_masks_and_union():
    pop = ann.Population(6, MODEL)
    pop.base = np.arange(6.0)
    view = pop[2:5]
    assert list(view.ranks) == [2, 3, 4] and view.size == len(view) == 3
    assert list(view.base) == [2.0, 3.0, 4.0]
    view.base = 7.0
    assert list(pop.base) == [0, 1, 7, 7, 7, 5]
    assert list(pop[[4, 0, 2]].ranks) == [4, 0, 2]
    assert list(pop[np.array([True, False] * 3)].ranks) == [0, 2, 4]
    assert list((pop[3:4] + pop[0:2]).ranks) == [0, 1, 3]
    assert list(pop[1].ranks) == [1]
    with pytest.raises(ann.ANNarchyException):
        pop[[0, 1]].base = [1.0, 2.0, 3.0]


def test_two_dimensional_views_and_single_neurons():
    pop = ann.Population((2, 3), MODEL)
    block = pop[0:2, 0:2]
    assert list(block.ranks) == [0, 1, 3, 4] and block.geometry == (2, 2)
    assert pop[1, :].geometry == (1, 3) and list(pop[0:2, 1].ranks) == [1, 4]
    assert pop[0:2, 1].base.shape == (2,)               # views read flat
    assert list(pop[1:3].ranks) == [1, 2]               # one slice selects ranks
    neuron = pop[1, 2]
    assert neuron.rank == 5
    neuron.base = 42.0
    assert pop.neuron(1, 2).base == 42.0 and pop.neuron(5).base == 42.0
    assert pop.neuron(5).tau == 10.0
    assert block.coordinates_from_rank(3, local=True) == (1, 1)


def test_init_reset_and_sum():
    pop = ann.Population(2, MODEL)
    pop.r = 0.3
    ann.compile()
    ann.simulate(5.0)
    assert pop.r[0] != 0.3
    pop.reset()
    assert list(pop.r) == [0.3, 0.3]
    with pytest.warns(UserWarning, match="no projection"):
        assert np.array_equal(pop.sum("exc"), np.zeros(2))
    assert pop.size_in_bytes() > 0


def test_iteration_and_neurons():
    pop = ann.Population(3, MODEL)
    assert [n.rank for n in pop] == [0, 1, 2] and len(pop) == 3
    assert "Population" in repr(pop)
    assert repr(pop.neuron(1)).startswith("Neuron of the population pop0 with rank 1 (coordinates (1,))")


def test_lookup_functions():
    pop = ann.Population(3, MODEL, name="named")
    assert ann.get_population("named") is pop and ann.populations() == [pop]
    assert ann.monitors() == []
    with pytest.warns(UserWarning, match="no population called"):
        assert ann.get_population("other") is None


@pytest.mark.parametrize("extension", [".npz", ".gz", ".data"])
def test_save_and_load_round_trip(tmp_path, extension):
    pop = ann.Population((2, 2), MODEL)
    pop.base = np.arange(4.0).reshape(2, 2)
    filename = str(tmp_path / ("state" + extension))
    pop.save(filename)
    pop.base = 0.0
    pop.tau = 3.0
    pop.load(filename)
    assert pop.base[1, 1] == 3.0 and pop.tau == 10.0


def test_float_precision():
    ann.setup(precision="float", dt=0.5)
    pop = ann.Population(4, MODEL)
    m = ann.Monitor(pop, "r")
    ann.compile()
    ann.simulate(10.0)
    assert pop.r.dtype == np.float32 and m.get("r").dtype == np.float32
    assert pop.r[0] == pytest.approx(1.0 - (1.0 - 0.05) ** 20, rel=1e-5)

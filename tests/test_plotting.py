"""annbook.plotting draws what was recorded: checked on the artists' data (Agg backend)."""

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import annbook as ann  # noqa: E402
from annbook import plotting  # noqa: E402

SPIKE_TIMES = [[1.0, 3.0, 7.0], [2.0, 3.0], [], [9.0]]      # ms, neurons 0..3


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def spiking():
    """A monitor of 4 neurons that spike at SPIKE_TIMES during 10 ms (dt = 0.5 ms)."""
    ann.setup(dt=0.5)
    source = ann.SpikeSourceArray(SPIKE_TIMES, name="source")
    monitor = ann.Monitor(source, "spike")
    ann.compile()
    ann.simulate(10.0)
    return monitor


def expected_points():
    times = [t for train in SPIKE_TIMES for t in train]
    ranks = [rank for rank, train in enumerate(SPIKE_TIMES) for _ in train]
    return np.array(times), np.array(ranks)


def test_raster_of_a_monitor_with_the_population_rate_below(spiking):
    figure, top, bottom = plotting.raster(spiking, bin_width=5.0)
    dots, = top.get_lines()
    times, ranks = expected_points()
    order = np.lexsort((dots.get_xdata(), dots.get_ydata()))
    assert np.allclose(dots.get_xdata()[order], times) and np.all(dots.get_ydata()[order] == ranks)
    assert top.get_xlim() == (0.0, 10.0)
    rate, = bottom.get_lines()
    assert np.allclose(rate.get_xdata(), [2.5, 7.5])
    # 4 spikes in [0, 5), 2 in [5, 10): per neuron (4) per second (5 ms)
    assert np.allclose(rate.get_ydata(), [4 / 4 / 0.005, 2 / 4 / 0.005])
    assert figure is top.figure is bottom.figure
    assert len(spiking.get("spike")[0]) == 3          # plotting did not empty the monitor


def test_raster_of_what_get_returned_and_of_raster_plot_pairs(spiking):
    spikes = spiking.get("spike")
    _, top, bottom = plotting.raster(spikes, rate=False)
    assert bottom is None
    times, _ = expected_points()
    assert np.allclose(np.sort(top.get_lines()[0].get_xdata()), np.sort(times))
    pair = ann.raster_plot(spikes)
    _, top, _ = plotting.raster(pair, rate=False)
    assert np.allclose(top.get_lines()[0].get_xdata(), pair[0])


def test_rate_of_spikes_and_of_rates(spiking):
    _, ax, line = plotting.rate(spiking, bin_width=2.5)
    counts = np.histogram(expected_points()[0], np.arange(0.0, 10.1, 2.5))[0]
    assert np.allclose(line.get_ydata(), counts / 4 / 0.0025)
    values = np.array([[0.0, 1.0, 5.0], [1.0, 2.0, 3.0]])
    _, ax, line = plotting.rate(values, dt=2.0)
    assert np.allclose(line.get_ydata(), [2.0, 2.0]) and np.allclose(line.get_xdata(), [0, 2])
    band, = ax.collections
    assert np.allclose(band.get_paths()[0].vertices[:, 1].min(), 0.0)
    assert np.allclose(band.get_paths()[0].vertices[:, 1].max(), 5.0)


def test_traces_of_a_monitor():
    pop = ann.Population(3, ann.Neuron(parameters="I = 1.0", equations="tau = 5.0\n"
                                       "tau * dv/dt = I - v\nr = pos(v)"), name="leaky")
    pop.I = [1.0, 2.0, 3.0]
    monitor = ann.Monitor(pop[1:], ["v", "r"], period=2.0)
    ann.compile()
    ann.simulate(20.0)
    figure, axes, lines = plotting.traces(monitor, "v")
    recorded = monitor.get("v", keep=True)
    assert len(axes) == 1 and len(lines["v"]) == 2
    for column, line in enumerate(lines["v"]):
        assert np.allclose(line.get_ydata(), recorded[:, column])
        assert np.allclose(line.get_xdata(), 2.0 * np.arange(10))
    assert [line.get_label() for line in lines["v"]] == ["neuron 1", "neuron 2"]
    _, axes, lines = plotting.traces(monitor, neurons=1)
    assert [ax.get_ylabel() for ax in axes] == ["v", "r"]
    assert len(lines["r"]) == 1 and lines["r"][0].get_label() == "neuron 2"


def test_traces_of_arrays():
    values = np.arange(12.0).reshape(4, 3)
    _, axes, lines = plotting.traces({"v": values, "g": values[:, 0]}, period=0.5)
    assert len(axes) == 2 and len(lines["v"]) == 3 and lines["g"][0].get_label() == "g"
    assert np.allclose(lines["v"][2].get_ydata(), [2, 5, 8, 11])
    assert np.allclose(lines["g"][0].get_xdata(), [0, 0.5, 1.0, 1.5])
    many = np.zeros((5, 50))
    assert len(plotting.traces(many)[2]["value"]) == plotting.MAX_TRACES


def test_weight_matrix_blank_where_there_is_no_synapse():
    pre = ann.Population(3, ann.Neuron(equations="r = 1.0"), name="pre")
    post = ann.Population(2, ann.Neuron(equations="r = sum(exc)"), name="post")
    proj = ann.Projection(pre, post, "exc")
    proj.connect_from_matrix([[0.5, None, 1.5], [None, 2.0, None]])
    _, ax, image = plotting.weights(proj)
    shown = image.get_array()
    assert shown.shape == (2, 3)
    assert np.allclose(shown.filled(-1), [[0.5, -1, 1.5], [-1, 2.0, -1]])
    assert "pre" in ax.get_xlabel() and "post" in ax.get_ylabel()


def test_receptive_fields_side_by_side_in_the_post_geometry():
    pre = ann.Population((3, 3), ann.Neuron(equations="r = 1.0"), name="retina")
    post = ann.Population((2, 2), ann.Neuron(equations="r = sum(exc)"), name="cells")
    proj = ann.Projection(pre, post, "exc")
    weights = np.arange(36.0).reshape(4, 9)
    proj.connect_from_matrix(weights)
    _, ax, image = plotting.receptive_fields(proj)
    mosaic = np.asarray(image.get_array())
    assert mosaic.shape == (6, 6)
    assert np.allclose(mosaic[:3, :3], weights[0].reshape(3, 3))
    assert np.allclose(mosaic[3:, 3:], weights[3].reshape(3, 3))
    horizontal, vertical = ax.get_lines()           # between the fields, at 2.5
    assert np.allclose(horizontal.get_ydata(), 2.5) and np.allclose(vertical.get_xdata(), 2.5)
    _, _, image = plotting.receptive_fields(proj.dendrite(2), colorbar=False)
    assert np.allclose(np.asarray(image.get_array()), weights[2].reshape(3, 3))


def test_importing_the_module_does_not_import_matplotlib():
    code = "import sys, annbook.plotting; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

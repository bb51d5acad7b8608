"""Input populations: timed Poisson trains, correlated spike trains, images, camera frames.

Spike steps and pixel values are those of ANNarchy 4.8.2.7 on the same inputs; the
correlated trains are checked against Brette's (2009) statistics.
"""

import sys
import types

import numpy as np
import pytest

import annbook as ann
from annbook.extensions.image import ImagePopulation, VideoPopulation
from annbook.inputs.correlated import ou_parameters

ALWAYS = 5000.0          # Hz: with dt = 1 ms, a spike at every step


# ---------------------------------------------------------------- TimedPoissonPopulation
def _timed_network():
    ann.setup(dt=1.0)
    pops = [ann.TimedPoissonPopulation(2, rates=[0.0, ALWAYS, 0.0, ALWAYS],
                                       schedule=[0.0, 5.0, 8.0, 12.0]),
            ann.TimedPoissonPopulation(1, rates=[ALWAYS, 0.0], schedule=[0.0, 3.0], period=10.0),
            ann.TimedPoissonPopulation(3, rates=[[ALWAYS, 0.0, ALWAYS], [0.0, ALWAYS, 0.0]],
                                       schedule=[2.0, 6.0]),
            ann.TimedPoissonPopulation(1, rates=[ALWAYS, 0.0, ALWAYS], schedule=[0.0, 4.0, 7.0],
                                       period=5.0)]
    timed = ann.TimedArray(rates=[[1.0], [2.0], [3.0], [4.0]], schedule=[0.0, 5.0, 8.0, 12.0])
    monitors = [ann.Monitor(pop, "spike") for pop in pops] + [ann.Monitor(timed, "r")]
    ann.compile()
    return pops, timed, monitors


def test_timed_poisson_switches_rates_at_the_scheduled_steps_as_the_reference():
    pops, timed, monitors = _timed_network()
    ann.simulate(30.0)
    spikes = [m.get("spike") for m in monitors[:4]]
    later = list(range(12, 30))
    assert spikes[0] == {0: [5, 6, 7] + later, 1: [5, 6, 7] + later}
    assert spikes[1] == {0: [0, 1, 2, 10, 11, 12, 20, 21, 22]}               # period 10 ms
    assert spikes[2] == {0: [2, 3, 4, 5], 1: list(range(6, 30)), 2: [2, 3, 4, 5]}
    assert spikes[3] == {0: [s for s in range(30) if s % 5 != 4]}   # 7 ms: after the period
    assert list(monitors[4].get("r")[:13, 0]) == [1] * 5 + [2] * 3 + [3] * 4 + [4]
    pops[0].reset()                                       # the schedule restarts from now
    ann.simulate(15.0)
    assert monitors[0].get("spike") == {0: [35, 36, 37, 42, 43, 44], 1: [35, 36, 37, 42, 43, 44]}
    assert pops[2].rates.shape == (2, 3) and list(pops[2].schedule) == [2.0, 6.0]
    assert pops[1].period == 10.0 and list(pops[0].proba) == [ALWAYS, ALWAYS]


def test_timed_poisson_tables_can_be_replaced_after_compile():
    pops, _, monitors = _timed_network()
    pops[0].rates = [ALWAYS, 0.0, 0.0, ALWAYS]          # restarts the schedule from now
    pops[1].period = 4.0
    pops[2].schedule = [0.0, 1.0]
    ann.simulate(14.0)
    assert monitors[0].get("spike") == {0: [0, 1, 2, 3, 4, 12, 13], 1: [0, 1, 2, 3, 4, 12, 13]}
    assert monitors[1].get("spike") == {0: [0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13]}
    assert monitors[2].get("spike")[1] == list(range(1, 14))


def test_copies_in_another_network_replay_their_own_schedule():
    _, _, monitors = _timed_network()
    net = ann.Network(everything=True)
    net.compile()
    ann.simulate(10.0)
    net.simulate(30.0)
    assert net.get(monitors[1]).get("spike") == {0: [0, 1, 2, 10, 11, 12, 20, 21, 22]}
    assert list(net.get(monitors[4]).get("r")[:13, 0]) == [1] * 5 + [2] * 3 + [3] * 4 + [4]


def test_timed_poisson_rates_per_phase_are_poisson():
    ann.setup(dt=1.0, seed=7)
    pop = ann.TimedPoissonPopulation(500, rates=[10.0, 50.0], schedule=[0.0, 500.0],
                                     period=1000.0)
    m = ann.Monitor(pop, "spike")
    ann.compile()
    ann.simulate(4000.0)
    steps = np.concatenate([np.asarray(s) for s in m.get("spike").values()])
    per_phase = np.bincount((steps % 1000) // 500, minlength=2) / (500 * 2.0)   # Hz
    # 20 000 and 100 000 spikes expected: 5 standard deviations are 0.35 and 0.8 Hz
    assert per_phase[0] == pytest.approx(10.0, abs=0.35)
    assert per_phase[1] == pytest.approx(50.0, abs=0.8)


@pytest.mark.parametrize("rates,schedule,match", [
    ([10.0, -1.0], [0.0, 10.0], ">= 0"),
    ([[1.0, 2.0], [3.0, 4.0]], [0.0, 10.0], "shape"),             # 2 values for 3 neurons
    ([10.0, 20.0], [0.0, 10.0, 20.0], "one time per input"),
    ([10.0, 20.0, 30.0], [0.0, 10.0], "one time per input"),
    ([10.0, 20.0], [10.0, 0.0], "increasing"),
    (10.0, 0.0, "time first"),
])
def test_timed_poisson_rejects_bad_tables(rates, schedule, match):
    with pytest.raises(ann.NetworkError, match=match) as error:
        ann.TimedPoissonPopulation(3, rates=rates, schedule=schedule, name="tp")
    assert "TimedPoissonPopulation 'tp'" in str(error.value)


def test_timed_poisson_tables_per_time_per_neuron_or_per_geometry():
    table = np.arange(12.0).reshape(3, 2, 2)
    for rates in (table, table.reshape(3, 4)):
        pop = ann.TimedPoissonPopulation((2, 2), rates=rates, schedule=[0.0, 1.0, 2.0])
        assert pop.rates.shape == (3, 2, 2) and (pop.rates == table).all()
    for rates in ([1.0, 2.0, 3.0], [[1.0], [2.0], [3.0]]):          # one rate per time
        pop = ann.TimedPoissonPopulation((2, 2), rates=rates, schedule=[0.0, 1.0, 2.0])
        assert (pop.rates == np.array([1.0, 2.0, 3.0])[:, None, None]).all()


def test_timed_array_rejects_a_schedule_longer_than_its_inputs():
    with pytest.raises(ann.NetworkError, match="TimedArray 'ta'.*more times"):
        ann.TimedArray(rates=[[1.0], [2.0]], schedule=[0.0, 1.0, 2.0], name="ta")


# ---------------------------------------------------------------- correlated spike trains
def test_mu_and_sigma_are_the_reference_rectified_values():
    for (rate, corr), expected in [((20.0, 0.3), (17.751760373614275, 20.709578379826944)),
                                   ((10.0, 0.1), (9.58926593, 7.79396519)),
                                   ((40.0, 0.5), (37.09772864, 36.31004769)),
                                   ((20.0, 0.0), (20.0, 0.0))]:
        assert ou_parameters(rate, corr, 10.0) == pytest.approx(expected, rel=1e-8)


def _counts(spikes, size, steps, bin_steps):
    counts = np.zeros((size, steps // bin_steps))
    for rank, times in spikes.items():
        counts[rank] = np.bincount(np.asarray(times) // bin_steps, minlength=counts.shape[1])
    return counts


def _mean_pair_correlation(counts):
    coefficients = np.corrcoef(counts)
    return coefficients[~np.eye(len(counts), dtype=bool)].mean()


def test_correlated_trains_have_the_asked_rate_and_correlation():
    ann.setup(dt=0.5, seed=11)
    correlated = ann.HomogeneousCorrelatedSpikeTrains(100, rates=20.0, corr=0.3, tau=10.0)
    independent = ann.HomogeneousCorrelatedSpikeTrains(100, rates=20.0, corr=0.0, tau=10.0)
    timed = ann.HomogeneousCorrelatedSpikeTrains(50, rates=[10.0, 40.0], corr=[0.1, 0.5],
                                                 tau=10.0, schedule=[0.0, 1000.0], period=2000.0)
    monitors = [ann.Monitor(pop, "spike") for pop in (correlated, independent, timed)]
    shared = ann.Monitor(correlated, "x")
    ann.compile()
    steps = 40000                                               # 20 s
    ann.simulate(steps * 0.5)
    x = shared.get("x")
    assert x.mean() == pytest.approx(correlated.mu, abs=3.0)   # time average: sd 0.65 Hz
    assert x.std() == pytest.approx(correlated.sigma, rel=0.1)  # x ~ N(mu, sigma^2)
    counts = [_counts(m.get("spike"), pop.size, steps, 400)     # 200 ms bins
              for m, pop in zip(monitors, (correlated, independent, timed))]
    assert counts[0].sum() / 100 / 20.0 == pytest.approx(20.0, abs=2.5)
    assert counts[1].sum() / 100 / 20.0 == pytest.approx(20.0, abs=0.6)
    # counts over T >> tau: correlation corr / (1 + corr) = 0.23 (a little less: tau / T)
    assert 0.12 < _mean_pair_correlation(counts[0]) < 0.32      # 0.22 +- 0.02 over 20 seeds
    assert abs(_mean_pair_correlation(counts[1])) < 0.02
    phases = counts[2].reshape(50, 10, 2, 5).sum(axis=(0, 1, 3)) / 50 / 10.0
    # sd over 20 seeds: 0.4 and 1.4 Hz
    assert phases[0] == pytest.approx(10.0, abs=2.0) and phases[1] == pytest.approx(40.0, abs=7.0)
    assert timed.sigma == pytest.approx(36.31004769)            # second half of a period
    ann.step()                                                  # 20 s: the period restarts
    assert timed.sigma == pytest.approx(7.79396519)
    ann.simulate(999.5)
    assert timed.sigma == pytest.approx(7.79396519)
    ann.step()                                                  # 1000 ms later exactly
    assert (timed.mu, timed.sigma) == pytest.approx((37.09772864, 36.31004769))


def test_correlated_trains_recompute_mu_and_sigma_when_changed():
    pop = ann.HomogeneousCorrelatedSpikeTrains(10, rates=10.0, corr=0.1, tau=10.0)
    pop.rates = 20.0
    pop.corr = 0.3
    assert (pop.mu, pop.sigma) == pytest.approx((17.751760373614275, 20.709578379826944))
    pop.tau = 20.0
    assert (pop.mu, pop.sigma) == pytest.approx(ou_parameters(20.0, 0.3, 20.0))
    assert pop.tau == 20.0 and pop.rates == 20.0 and pop.corr == 0.3
    assert pop.x == pytest.approx(9.58926593)              # mu at creation


@pytest.mark.parametrize("arguments,match", [
    (dict(rates=-5.0, corr=0.1), ">= 0"),
    (dict(rates=10.0, corr=1.5), r"\[0, 1\]"),
    (dict(rates=10.0, corr=-0.1), r"\[0, 1\]"),
    (dict(rates=10.0, corr=0.1, tau=0.0), "tau must be > 0"),
    (dict(rates=[10.0, 20.0], corr=0.1), "without a schedule"),
    (dict(rates=[10.0, 20.0], corr=0.1, schedule=[0.0]), "one rate per time"),
    (dict(rates=[10.0, 20.0], corr=[0.1, 0.2, 0.3], schedule=[0.0, 5.0]), "values of corr"),
])
def test_correlated_trains_reject_bad_statistics(arguments, match):
    arguments = dict(dict(tau=10.0, name="hc"), **arguments)
    with pytest.raises(ann.NetworkError, match=match) as error:
        ann.HomogeneousCorrelatedSpikeTrains(5, **arguments)
    assert "'hc'" in str(error.value)


def test_a_schedule_is_given_at_creation():
    pop = ann.HomogeneousCorrelatedSpikeTrains(5, rates=10.0, corr=0.1, tau=10.0)
    with pytest.raises(ann.NetworkError, match="when the population is created"):
        pop.schedule = [0.0, 10.0]
    with pytest.raises(ann.NetworkError, match=r"\[0, 1\]"):
        pop.corr = 2.0
    assert pop.corr == 0.1                       # a refused change leaves the statistics


# ---------------------------------------------------------------- images
RED, GREEN, BLUE, DARK = [255, 0, 0], [0, 255, 0], [0, 0, 255], [10, 20, 30]


@pytest.fixture
def image_file(tmp_path):
    """A 4x6 RGB image: random pixels (seed 3) after four known ones."""
    from PIL import Image
    pixels = np.random.default_rng(3).integers(0, 256, size=(4, 6, 3), dtype=np.uint8)
    pixels[0, :4] = [RED, GREEN, BLUE, DARK]
    path = tmp_path / "image.png"
    Image.fromarray(pixels).save(path)
    return str(path), pixels


def test_image_population_grey_and_colour_values_as_the_reference(image_file):
    path, pixels = image_file
    grey, colour, single = (ImagePopulation(g) for g in ((4, 6), (4, 6, 3), (4, 6, 1)))
    for pop in (grey, colour, single):
        pop.set_image(path)
    # Pillow's luminance 0.299 R + 0.587 G + 0.114 B, rounded to a byte, then / 255
    assert grey.r[0, :4] == pytest.approx(np.array([76, 150, 29, 18]) / 255.0)
    assert colour.r == pytest.approx(pixels / 255.0)
    assert single.geometry == (4, 6) and single.r == pytest.approx(grey.r)
    assert grey.r.min() >= 0.0 and grey.r.max() <= 1.0


def test_image_population_resizes_other_sizes(image_file):
    path, _ = image_file
    small, large = ImagePopulation((2, 3)), ImagePopulation((8, 12, 3))
    with pytest.warns(UserWarning, match="resized to 3x2"):
        small.set_image(path)
    with pytest.warns(UserWarning, match="resized to 12x8"):
        large.set_image(path)
    assert small.r == pytest.approx(np.array([[85, 65, 82], [104, 110, 102]]) / 255.0)
    assert large.r[0, :3] == pytest.approx(np.array([[255, 0, 0], [216, 55, 0],
                                                     [53, 232, 0]]) / 255.0)


def test_image_population_errors(tmp_path):
    for geometry in (10, (4, 6, 2), (2, 2, 2, 2)):
        with pytest.raises(ann.NetworkError, match=r"\(height, width, 3\)"):
            ImagePopulation(geometry)
    pop = ImagePopulation((4, 6), name="retina")
    with pytest.raises(ann.NetworkError, match="'retina'.*does not exist"):
        pop.set_image(str(tmp_path / "missing.png"))
    (tmp_path / "notes.txt").write_text("not an image")
    with pytest.raises(ann.NetworkError, match="'retina'.*cannot read"):
        pop.set_image(str(tmp_path / "notes.txt"))


def test_image_population_reads_with_matplotlib_without_pillow(image_file, monkeypatch):
    path, pixels = image_file
    rgba = np.concatenate([pixels / 255.0, np.ones((4, 6, 1))], axis=2)
    reader = types.ModuleType("matplotlib.image")
    reader.imread = lambda name: rgba if name == path else None
    matplotlib = types.ModuleType("matplotlib")
    matplotlib.image = reader
    monkeypatch.setitem(sys.modules, "PIL", None)
    monkeypatch.setitem(sys.modules, "matplotlib", matplotlib)
    monkeypatch.setitem(sys.modules, "matplotlib.image", reader)
    colour, grey = ImagePopulation((4, 6, 3)), ImagePopulation((2, 3))
    colour.set_image(path)
    assert colour.r == pytest.approx(pixels / 255.0)
    with pytest.warns(UserWarning, match="resized"):
        grey.set_image(path)
    nearest = pixels[[1, 3]][:, [1, 3, 5]] / 255.0             # centres of 2x2 blocks
    assert grey.r == pytest.approx(nearest @ [0.299, 0.587, 0.114])
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ann.NetworkError, match="pip install Pillow"):
        grey.set_image(path)


# ---------------------------------------------------------------- camera
class _FakeCapture:
    def __init__(self, port, frames):
        self.port, self.frames, self.released = port, frames, False

    def isOpened(self):
        return self.port >= 0

    def read(self):
        return (True, self.frames.pop(0)) if self.frames else (False, None)

    def release(self):
        self.released = True


@pytest.fixture
def fake_cv2(monkeypatch):
    """A cv2 module whose camera returns two 2x4 BGR frames (resized by 2x2 blocks)."""
    cv2 = types.ModuleType("cv2")
    cv2.COLOR_BGR2RGB, cv2.COLOR_BGR2GRAY = 4, 6
    cv2.frames = [np.full((4, 8, 3), [0, 0, 255], dtype=np.uint8),
                  np.arange(96, dtype=np.uint8).reshape(4, 8, 3)]
    cv2.cameras = []

    def capture(port):
        cv2.cameras.append(_FakeCapture(port, cv2.frames))
        return cv2.cameras[-1]

    def resize(frame, size):
        width, height = size
        return frame[::frame.shape[0] // height, ::frame.shape[1] // width]

    def cvt_color(frame, code):
        rgb = frame[..., ::-1]
        return rgb if code == cv2.COLOR_BGR2RGB else (rgb @ [0.299, 0.587, 0.114]).round()

    cv2.VideoCapture, cv2.resize, cv2.cvtColor = capture, resize, cvt_color
    monkeypatch.setitem(sys.modules, "cv2", cv2)
    return cv2


def test_video_population_feeds_camera_frames_into_r(fake_cv2):
    pop = VideoPopulation((2, 4, 3), name="camera")
    pop.start_camera(2)
    pop.grab_image()
    assert fake_cv2.cameras[0].port == 2
    assert pop.r.shape == (2, 4, 3) and pop.r == pytest.approx(np.full((2, 4, 3), [1, 0, 0]))
    pop.grab_image()
    frame = np.arange(96).reshape(4, 8, 3)[::2, ::2, ::-1]      # every other pixel, as RGB
    assert pop.r == pytest.approx(frame / 255.0)
    with pytest.raises(ann.NetworkError, match="'camera'.*no frame"):
        pop.grab_image()
    pop.release()
    assert fake_cv2.cameras[0].released
    with pytest.raises(ann.NetworkError, match="start_camera"):
        pop.grab_image()
    with pytest.raises(ann.NetworkError, match="cannot open the camera -1"):
        pop.start_camera(-1)


def test_video_population_grey_frames(fake_cv2):
    pop = VideoPopulation((2, 4))
    pop.start_camera()
    pop.grab_image()
    assert fake_cv2.cameras[0].port == 0
    assert pop.r == pytest.approx(np.full((2, 4), 76 / 255.0))      # pure red


def test_video_population_without_opencv_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "cv2", None)
    with pytest.raises(ann.NetworkError, match="pip install opencv-python"):
        VideoPopulation((4, 6))

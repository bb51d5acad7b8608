"""Progress bars of simulate(): on, off, 'auto' threshold, what they count, no effect on results."""

import _thread
import io
import threading

import numpy as np
import pytest
from tqdm.std import tqdm

import annbook as ann
from annbook import progress
from annbook.core import observers

NOISY = ann.Neuron(parameters="tau = 10.0 : population\nsigma = 0.5",
                   equations="tau * dr/dt + r = sigma * Normal(0.0, 1.0)\ncount += 1")


@pytest.fixture
def bars(monkeypatch):
    """Every bar opened, as text bars written to a string instead of the terminal."""
    opened = []

    def new_bar(**options):
        bar = tqdm(file=io.StringIO(), **options)
        opened.append(bar)
        return bar
    monkeypatch.setattr(progress, "new_bar", new_bar)
    return opened


@pytest.fixture
def interactive(monkeypatch):
    monkeypatch.setattr(progress, "_interactive", lambda: True)


def noisy_network(size=10, seed=1):
    ann.setup(seed=seed)
    pop = ann.Population(size, NOISY)
    monitor = ann.Monitor(pop, "r")
    ann.compile()
    return pop, monitor


def test_progress_bar_true_shows_simulated_seconds_and_counts_every_step(bars):
    noisy_network()
    ann.simulate(250.0, progress_bar=True)
    assert len(bars) == 1
    bar = bars[0]
    assert bar.total == pytest.approx(0.25) and bar.n == pytest.approx(0.25)
    assert bar.disable                                # closed at the end
    text = bar.fp.getvalue()
    assert "0.250/0.250 s" in text and "s/s" in text                     # time and speed


def test_progress_bar_false_and_setup_false_show_nothing(bars, interactive, monkeypatch):
    monkeypatch.setattr(progress, "SHOW_AFTER_SECONDS", 0.0)
    noisy_network()
    ann.simulate(100.0, progress_bar=False)
    ann.setup(progress=False)
    ann.simulate(100.0)
    assert bars == []
    ann.simulate(100.0, progress_bar=True)          # the keyword wins over setup()
    assert len(bars) == 1


def test_setup_progress_true_shows_a_bar_for_every_run(bars):
    noisy_network()
    ann.setup(progress=True)
    ann.simulate(10.0)
    ann.simulate(20.0)
    assert [bar.total for bar in bars] == pytest.approx([0.01, 0.02])


def test_auto_shows_a_bar_only_for_runs_expected_to_be_long(bars, interactive, monkeypatch):
    noisy_network()
    ann.simulate(1000.0)                             # far below SHOW_AFTER_SECONDS
    assert bars == []
    monkeypatch.setattr(progress, "SHOW_AFTER_SECONDS", 0.0)
    ann.simulate(1000.0)
    assert len(bars) == 1 and bars[0].n == pytest.approx(1.0)


def test_auto_shows_nothing_outside_a_notebook_or_terminal(bars, monkeypatch):
    monkeypatch.setattr(progress, "SHOW_AFTER_SECONDS", 0.0)
    monkeypatch.setattr(progress, "_interactive", lambda: False)
    noisy_network()
    ann.simulate(1000.0)
    assert bars == []


def test_setup_refuses_an_unknown_progress_mode():
    with pytest.raises(ann.InvalidConfiguration, match="progress must be True, False or 'auto'"):
        ann.setup(progress="sometimes")


def test_network_simulate_takes_the_keyword_and_names_the_network(bars):
    noisy_network()
    net = ann.Network(everything=True)
    net.compile()
    net.simulate(30.0, progress_bar=True)
    assert bars[0].desc == f"simulate (network {net.id})" and bars[0].n == pytest.approx(0.03)


def test_a_run_stopped_early_counts_the_steps_done(bars):
    model = ann.Neuron(equations="r = t")
    pop = ann.Population(1, model, stop_condition="r >= 40.0")
    ann.compile()
    assert ann.simulate_until(1000.0, pop) == pytest.approx(41.0)
    ann.reset()
    ann.setup(progress=True)
    ann.simulate_until(1000.0, pop)
    assert bars[0].total == pytest.approx(1.0) and bars[0].n == pytest.approx(0.041)


def test_chunks_bounded_in_wall_time_change_nothing_in_the_results(monkeypatch):
    pop, monitor = noisy_network(seed=7)
    ann.simulate(3000.0, progress_bar=False)          # one call of the compiled loop
    expected_r, expected_record = pop.r.copy(), monitor.get("r")
    calls = []

    def observer(network, total, progress_keyword):
        return lambda done, finished: calls.append((done, finished))
    monkeypatch.setattr(observers, "CHUNK_SECONDS", 1e-5)   # many tiny chunks
    observers.add_run_observer(observer)
    try:
        ann.clear()
        pop, monitor = noisy_network(seed=7)
        ann.simulate(3000.0, progress_bar=False)
    finally:
        observers.remove_run_observer(observer)
    assert len(calls) > 10                            # it really ran in many chunks
    dones = [done for done, _ in calls]
    assert dones == sorted(dones) and calls[-1] == (3000, True)
    assert np.array_equal(pop.r, expected_r)
    assert np.array_equal(monitor.get("r"), expected_record)


def test_observer_is_told_the_total_and_the_progress_keyword():
    seen = []

    def observer(network, total, progress_keyword):
        seen.append((network.id, total, progress_keyword))
    observers.add_run_observer(observer)
    try:
        noisy_network()
        ann.simulate(12.0, progress_bar=True)
        ann.simulate(5.0)
    finally:
        observers.remove_run_observer(observer)
    assert seen == [(0, 12, True), (0, 5, None)]


def test_interrupt_stops_a_run_with_a_bar_and_closes_it(bars):
    model = ann.Neuron(parameters="tau = 10.0", equations="tau * dr/dt + r = 1.0\ncount += 1")
    pop = ann.Population(1000, model)
    ann.compile()
    timer = threading.Timer(0.3, _thread.interrupt_main)
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        ann.simulate(1e9, progress_bar=True)
    steps = ann.get_current_step()
    assert 0 < steps < 1e9 and np.all(pop.count == steps)
    assert bars[0].n == pytest.approx(steps / 1000.0) and bars[0].disable   # closed
    ann.simulate(5.0, progress_bar=False)
    assert ann.get_current_step() == steps + 5

"""PoissonPopulation: the steps between spikes drawn at each spike (the fast path) against
the reference's draw of ``p`` at every step (``uniform_draws=True``).

Both must give Bernoulli trains of probability ``rates * dt / 1000`` per step: the same
rate, inter-spike intervals of the same (geometric) law, refractoriness, rates that change
during a run, and one uniform draw per neuron and step only where something reads ``p``.
"""

import numpy as np
import pytest
from scipy import stats

import annbook as ann
from annbook.config import reset_config

DT = 0.1


def trains(rate, uniform_draws, duration=3000.0, size=500, refractory=None, seed=4):
    """Spike steps per neuron and whether the population drew the steps between spikes."""
    ann.clear()
    reset_config()
    ann.setup(dt=DT, seed=seed)
    pop = ann.PoissonPopulation(size, rates=rate, refractory=refractory,
                                uniform_draws=uniform_draws)
    m = ann.Monitor(pop, "spike")
    ann.compile()
    ann.simulate(duration)
    return m.get("spike"), pop._description.drawn


def intervals(spikes):
    return np.concatenate([np.diff(times) for times in spikes.values() if len(times) > 1])


@pytest.mark.parametrize("rate,duration", [(5.0, 20000.0), (15.0, 5000.0), (200.0, 1000.0)])
def test_drawn_steps_give_the_rate_and_the_intervals_of_per_step_draws(rate, duration):
    """(durations of 100 mean intervals at least: intervals cut by the end bias the mean)"""
    fast, drawn = trains(rate, None, duration)
    slow, per_step = trains(rate, True, duration, seed=5)
    assert drawn and not per_step
    p = rate * DT / 1000.0
    expected = 500 * duration / DT * p                  # spikes of 500 neurons
    for spikes in (fast, slow):
        count = sum(map(len, spikes.values()))
        assert abs(count - expected) < 5 * np.sqrt(expected * (1 - p))
    isi_fast, isi_slow = intervals(fast), intervals(slow)
    assert isi_fast.min() >= 1
    # geometric law of parameter p (in steps): mean 1/p, the same as per-step draws
    assert stats.ks_2samp(isi_fast, isi_slow).pvalue > 1e-3
    assert np.mean(isi_fast) == pytest.approx(1.0 / p, rel=0.05)
    assert np.std(isi_fast) == pytest.approx(np.sqrt(1.0 - p) / p, rel=0.05)


def test_refractory_period_shifts_every_interval():
    fast, _ = trains(50.0, None, refractory=2.0)
    slow, _ = trains(50.0, True, refractory=2.0, seed=5)
    isi_fast, isi_slow = intervals(fast), intervals(slow)
    assert isi_fast.min() == isi_slow.min() == 21          # 20 refractory steps, then a trial
    assert stats.ks_2samp(isi_fast, isi_slow).pvalue > 1e-3
    assert np.mean(isi_fast) == pytest.approx(20 + 1000.0 / (50.0 * DT), rel=0.05)


def test_runs_are_reproducible_with_a_seed():
    assert trains(30.0, None, duration=500.0)[0] == trains(30.0, None, duration=500.0)[0]
    assert trains(30.0, None, duration=500.0)[0] != trains(30.0, None, duration=500.0, seed=9)[0]


def test_rates_changed_disabled_or_reset_during_a_run():
    ann.setup(dt=DT, seed=1)
    pop = ann.PoissonPopulation(1000, rates=np.full(1000, 10.0))
    m = ann.Monitor(pop, "spike")
    ann.compile()

    def count(duration):
        ann.simulate(duration)
        return sum(map(len, m.get("spike").values()))

    assert count(1000.0) == pytest.approx(10000, rel=0.05)
    pop.rates = 100.0                       # the next spikes are drawn again at once
    assert count(100.0) == pytest.approx(10000, rel=0.05)
    pop[:500].rates = 0.0
    assert count(1000.0) == pytest.approx(50000, rel=0.05)
    pop.disable()
    assert count(50.0) == 0
    pop.enable()
    assert count(100.0) == pytest.approx(5000, rel=0.1)
    ann.reset()                             # the rates of compile() time again: 10 Hz
    assert count(100.0) == pytest.approx(1000, rel=0.15)


def test_what_reads_p_keeps_the_per_step_draws():
    """A monitor or a synapse reading p, or rates given as an equation keep the reference's
    per-step draws; reading p of a fast population says why it cannot."""
    ann.setup(seed=3)
    fast = ann.PoissonPopulation(10, rates=20.0)
    monitored = ann.PoissonPopulation(10, rates=20.0)
    read = ann.PoissonPopulation(10, rates=20.0)
    equation = ann.PoissonPopulation(10, rates="20.0 * (1.0 + sin(t))")
    ann.Monitor(monitored, "p")
    post = ann.Population(10, ann.Neuron(equations="r = sum(exc)"))
    ann.Projection(read, post, "exc", ann.Synapse(psp="w * pre.p")).connect_one_to_one(1.0)
    ann.compile()
    drawn = [pop._description.drawn for pop in (fast, monitored, read, equation)]
    assert drawn == [True, False, False, False]
    ann.simulate(10.0)
    assert monitored.p.shape == (10,)
    with pytest.raises(ann.ANNarchyException, match="uniform_draws=True"):
        fast.p

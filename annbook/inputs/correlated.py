"""Correlated Poisson spike trains: a shared rate following an Ornstein-Uhlenbeck process.

Brette (2009), Generation of correlated spike trains, Neural Computation 21(1): every
neuron spikes as a Poisson process of the rate ``x(t)``, an Ornstein-Uhlenbeck process
of time constant ``tau``. Two neurons then have the total correlation
``corr = 2 tau Var(x) / rates``. Negative values of ``x`` give no spikes, so ``mu`` and
``sigma`` are chosen such that ``max(x, 0)`` has the asked mean and variance.
"""

import math

import numpy as np

from ..core.arguments import numbers
from ..core.neuron import Neuron
from ..core.population import Population
from ..errors import NetworkError
from .schedule import TimedTable, scheduled_times

__all__ = ["HomogeneousCorrelatedSpikeTrains", "ou_parameters"]

_PARAMETERS = """
tau = 10.0 : population
mu = 0.0 : population
sigma = 0.0 : population
"""
# exact update: x keeps the stationary law N(mu, sigma^2) whatever dt
_EQUATIONS = """
x = mu + (x - mu) * exp(-dt/tau) + sigma * sqrt(1 - exp(-2*dt/tau)) * Normal(0, 1) : population
p = Uniform(0.0, 1.0) * 1000.0 / dt
"""


def _rectified_moments(u):
    """Mean and standard deviation of max(X, 0) for X ~ N(u, 1)."""
    positive = 0.5 * math.erfc(-u / math.sqrt(2.0))    # P(X > 0)
    density = math.exp(-0.5 * u * u) / math.sqrt(2.0 * math.pi)
    mean = density + u * positive
    second = (u * u + 1.0) * positive + u * density
    return mean, math.sqrt(max(second - mean * mean, 0.0))


def ou_parameters(rate, corr, tau):
    """``(mu, sigma)`` (Hz) of the process x such that max(x, 0) has mean ``rate`` (Hz) and
    variance ``corr * rate / (2 tau)`` (tau in ms)."""
    if rate == 0.0 or corr == 0.0:
        return float(rate), 0.0
    target = rate / math.sqrt(corr * rate / (2.0 * tau / 1000.0))     # mean / std wanted
    low, high = -6.0, max(target, 1.0) + 10.0      # mean / std grows with u = mu / sigma
    if _ratio(low) > target:
        raise NetworkError(f"HomogeneousCorrelatedSpikeTrains: a rate of {rate} Hz is too low "
                           f"for corr={corr} and tau={tau} ms; raise the rate or tau, or lower "
                           "corr")
    while high - low > 1e-12 * max(1.0, abs(high)):
        middle = 0.5 * (low + high)
        low, high = (middle, high) if _ratio(middle) < target else (low, middle)
    u = 0.5 * (low + high)
    sigma = rate / _rectified_moments(u)[0]
    return u * sigma, sigma


def _ratio(u):
    mean, std = _rectified_moments(u)
    return mean / std


class HomogeneousCorrelatedSpikeTrains(TimedTable, Population):
    """Poisson neurons sharing one fluctuating rate: mean ``rates`` (Hz), pairwise total
    correlation ``corr`` (0 to 1), correlation time ``tau`` (ms).

    With ``schedule`` (a list of times in ms, or a number: every that many ms),
    ``rates`` and ``corr`` are lists whose k-th values apply from the k-th time, the
    first ones before it; ``period`` > 0 (ms) restarts the schedule. Setting ``rates``,
    ``corr``, ``tau``, ``schedule`` or ``period`` recomputes ``mu`` and ``sigma`` (the
    schedule keeps its count of steps, as in the reference). The shared rate is the
    population variable ``x``.

    Unlike the reference, whose update gives x a standard deviation sigma / sqrt(2)
    (and so lower rates and correlations than asked), x has the law N(mu, sigma^2).
    """

    def __init__(self, geometry, rates, corr, tau, schedule=None, period=-1.0, name=None,
                 refractory=None, copied=False):
        owner = f"HomogeneousCorrelatedSpikeTrains '{name}'" if name else \
            "HomogeneousCorrelatedSpikeTrains"
        statistics = dict(rates=rates, corr=corr, tau=tau, schedule=schedule, period=period)
        table = _ou_table(owner, statistics, schedule is not None)
        neuron = Neuron(parameters=_PARAMETERS, equations=_EQUATIONS, spike="p < x",
                        refractory=refractory, name="HomogeneousCorrelated")
        if schedule is not None:
            neuron._timed = ("mu", "sigma")
        super().__init__(geometry, neuron, name=name)
        self._statistics = None
        with self._withdrawn_on_error():
            self._apply(statistics, table)
        self.x = self.mu

    def __setattr__(self, name, value):
        if name in ("rates", "corr", "tau", "schedule", "period") and \
                self.__dict__.get("_statistics") is not None:
            statistics = dict(self._statistics, **{name: value})
            owner = f"HomogeneousCorrelatedSpikeTrains '{self.name}'"
            self._apply(statistics, _ou_table(owner, statistics, bool(self.neuron_type._timed)))
        else:
            super().__setattr__(name, value)

    def __getattr__(self, name):
        statistics = self.__dict__.get("_statistics")
        if statistics is not None and name in ("rates", "corr", "schedule", "period"):
            return statistics[name]
        return super().__getattr__(name)

    def _apply(self, statistics, table):
        """Set tau, mu and sigma (and the table of the schedule) from checked statistics."""
        self._set("tau", statistics["tau"])
        self._set("mu", table[0, 0])
        self._set("sigma", table[0, 1])
        if self.neuron_type._timed:
            self._replay(f"HomogeneousCorrelatedSpikeTrains '{self.name}'", table,
                         statistics["schedule"], statistics["period"])
        self._statistics = statistics


def _ou_table(owner, statistics, timed):
    """(mu, sigma) of each scheduled input (one row without a schedule), after checks."""
    rates, corr, tau, schedule = (statistics[key] for key in ("rates", "corr", "tau", "schedule"))
    if (schedule is not None) != timed:
        raise NetworkError(f"{owner}: a schedule can only be given when the population is "
                           "created (schedule=[...] with lists of rates and corr)")
    rate_list = np.atleast_1d(numbers(rates, f"{owner}: rates")).reshape(-1)
    if not timed and rate_list.size != 1:
        raise NetworkError(f"{owner}: {rate_list.size} rates without a schedule; give one "
                           "rate, or a schedule with one time per rate")
    if np.ndim(schedule) > 0:
        if np.size(schedule) != rate_list.size:
            raise NetworkError(f"{owner}: {rate_list.size} rates for {np.size(schedule)} "
                               "scheduled times; give one rate per time")
        scheduled_times(owner, schedule, rate_list.size)
    corr_list = np.atleast_1d(numbers(corr, f"{owner}: corr")).reshape(-1)
    if corr_list.size not in (1, rate_list.size):
        raise NetworkError(f"{owner}: {corr_list.size} values of corr for {rate_list.size} "
                           "rates; give one, or one per rate")
    if np.any(rate_list < 0) or not np.all(np.isfinite(rate_list)):
        raise NetworkError(f"{owner}: rates must be finite and >= 0 (Hz)")
    if np.any(corr_list < 0) or np.any(corr_list > 1):
        raise NetworkError(f"{owner}: corr must be in [0, 1], got {corr}")
    if not tau > 0:
        raise NetworkError(f"{owner}: tau must be > 0 (ms), got {tau}")
    corr_list = np.broadcast_to(corr_list, rate_list.shape)
    return np.array([ou_parameters(r, c, tau) for r, c in zip(rate_list, corr_list)])

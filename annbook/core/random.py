"""Random distributions: initial values from Python, or draws inside equations.

As initial values they draw from numpy's global generator (seeded by
``setup(seed=...)``/``set_seed``) unless they were given their own ``seed``.
Inside equations the same names draw a new number per element and step in
the compiled code.
"""

import numpy as np

from ..errors import ANNarchyException
from .arguments import number

__all__ = ["RandomDistribution", "Uniform", "DiscreteUniform", "Normal", "LogNormal",
           "Exponential", "Gamma", "Binomial"]


class RandomDistribution:
    """Base class: ``get_values(shape)`` draws an array."""

    def __init__(self, seed=None):
        self.seed = seed
        self._generator = np.random.RandomState(seed) if seed is not None else None

    def _random(self):
        return self._generator if self._generator is not None else np.random

    def get_values(self, shape):
        raise NotImplementedError

    def get_value(self):
        return self.get_values(1)[0]

    def _numbers(self, values, optional=()):
        """The distribution's arguments (a dict), as given, once checked to be numbers;
        those named in ``optional`` may be None."""
        for name, value in values.items():
            if value is not None or name not in optional:
                number(value, f"{type(self).__name__}: {name}")
        return list(values.values())

    def _bounded(self, values, low, high):
        if low is not None or high is not None:
            values = np.clip(values, low, high)
        return values


class Uniform(RandomDistribution):
    """Uniform distribution on [min, max]."""

    def __init__(self, min, max, seed=None):
        super().__init__(seed)
        self.min, self.max = self._numbers(dict(min=min, max=max))

    def get_values(self, shape):
        return self._random().uniform(self.min, self.max, shape)

    def __repr__(self):
        return f"Uniform({self.min}, {self.max})"


class DiscreteUniform(RandomDistribution):
    """Uniform distribution over the integers of [min, max]."""

    def __init__(self, min, max, seed=None):
        super().__init__(seed)
        self.min, self.max = (int(value) for value in self._numbers(dict(min=min, max=max)))

    def get_values(self, shape):
        return self._random().randint(self.min, self.max + 1, shape)

    def __repr__(self):
        return f"DiscreteUniform({self.min}, {self.max})"


class Normal(RandomDistribution):
    """Gaussian distribution, optionally clipped to [min, max]."""

    def __init__(self, mu, sigma, min=None, max=None, seed=None):
        super().__init__(seed)
        self.mu, self.sigma, self.min, self.max = self._numbers(
            dict(mu=mu, sigma=sigma, min=min, max=max), optional=("min", "max"))
        if sigma < 0:
            raise ANNarchyException(f"Normal: sigma must be positive, got {sigma}")

    def get_values(self, shape):
        return self._bounded(self._random().normal(self.mu, self.sigma, shape), self.min, self.max)

    def __repr__(self):
        return f"Normal({self.mu}, {self.sigma})"


class LogNormal(RandomDistribution):
    """Log-normal distribution, optionally clipped to [min, max]."""

    def __init__(self, mu, sigma, min=None, max=None, seed=None):
        super().__init__(seed)
        self.mu, self.sigma, self.min, self.max = self._numbers(
            dict(mu=mu, sigma=sigma, min=min, max=max), optional=("min", "max"))
        if sigma < 0:
            raise ANNarchyException(f"LogNormal: sigma must be positive, got {sigma}")

    def get_values(self, shape):
        return self._bounded(self._random().lognormal(self.mu, self.sigma, shape),
                             self.min, self.max)

    def __repr__(self):
        return f"LogNormal({self.mu}, {self.sigma})"


class Exponential(RandomDistribution):
    """Exponential distribution with rate Lambda (mean 1/Lambda)."""

    def __init__(self, Lambda, min=None, max=None, seed=None):
        super().__init__(seed)
        self.Lambda, self.min, self.max = self._numbers(
            dict(Lambda=Lambda, min=min, max=max), optional=("min", "max"))
        if Lambda <= 0:
            raise ANNarchyException(f"Exponential: Lambda must be positive, got {Lambda}")

    def get_values(self, shape):
        return self._bounded(self._random().exponential(1.0 / self.Lambda, shape),
                             self.min, self.max)

    def __repr__(self):
        return f"Exponential({self.Lambda})"


class Gamma(RandomDistribution):
    """Gamma distribution with shape alpha and scale beta."""

    def __init__(self, alpha, beta=1.0, min=None, max=None, seed=None):
        super().__init__(seed)
        self.alpha, self.beta, self.min, self.max = self._numbers(
            dict(alpha=alpha, beta=beta, min=min, max=max), optional=("min", "max"))

    def get_values(self, shape):
        return self._bounded(self._random().gamma(self.alpha, self.beta, shape),
                             self.min, self.max)

    def __repr__(self):
        return f"Gamma({self.alpha}, {self.beta})"


class Binomial(RandomDistribution):
    """Binomial distribution: successes among n trials of probability p."""

    def __init__(self, n, p, seed=None):
        super().__init__(seed)
        n, self.p = self._numbers(dict(n=n, p=p))
        self.n = int(n)
        if self.n < 0 or not 0.0 <= self.p <= 1.0:
            raise ANNarchyException(f"Binomial: n must be a non-negative integer and p a "
                                    f"probability in [0, 1], got n={n}, p={p}")

    def get_values(self, shape):
        return self._random().binomial(self.n, self.p, shape)

    def __repr__(self):
        return f"Binomial({self.n}, {self.p})"

"""Random distributions: initial values from Python, or draws inside equations.

As initial values they draw from numpy's global generator (seeded by
``setup(seed=...)``/``set_seed``) unless they were given their own ``seed``.
Inside equations the same names draw a new number per element and step in
the compiled code.
"""

import numpy as np

from ..errors import ANNarchyException

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

    def _bounded(self, values, low, high):
        if low is not None or high is not None:
            values = np.clip(values, low, high)
        return values


class Uniform(RandomDistribution):
    """Uniform distribution on [min, max]."""

    def __init__(self, min, max, seed=None):
        super().__init__(seed)
        self.min, self.max = min, max

    def get_values(self, shape):
        return self._random().uniform(self.min, self.max, shape)

    def __repr__(self):
        return f"Uniform({self.min}, {self.max})"


class DiscreteUniform(RandomDistribution):
    """Uniform distribution over the integers of [min, max]."""

    def __init__(self, min, max, seed=None):
        super().__init__(seed)
        self.min, self.max = int(min), int(max)

    def get_values(self, shape):
        return self._random().randint(self.min, self.max + 1, shape)

    def __repr__(self):
        return f"DiscreteUniform({self.min}, {self.max})"


class Normal(RandomDistribution):
    """Gaussian distribution, optionally clipped to [min, max]."""

    def __init__(self, mu, sigma, min=None, max=None, seed=None):
        super().__init__(seed)
        if sigma < 0:
            raise ANNarchyException(f"Normal: sigma must be positive, got {sigma}")
        self.mu, self.sigma, self.min, self.max = mu, sigma, min, max

    def get_values(self, shape):
        return self._bounded(self._random().normal(self.mu, self.sigma, shape), self.min, self.max)

    def __repr__(self):
        return f"Normal({self.mu}, {self.sigma})"


class LogNormal(RandomDistribution):
    """Log-normal distribution, optionally clipped to [min, max]."""

    def __init__(self, mu, sigma, min=None, max=None, seed=None):
        super().__init__(seed)
        if sigma < 0:
            raise ANNarchyException(f"LogNormal: sigma must be positive, got {sigma}")
        self.mu, self.sigma, self.min, self.max = mu, sigma, min, max

    def get_values(self, shape):
        return self._bounded(self._random().lognormal(self.mu, self.sigma, shape),
                             self.min, self.max)

    def __repr__(self):
        return f"LogNormal({self.mu}, {self.sigma})"


class Exponential(RandomDistribution):
    """Exponential distribution with rate Lambda (mean 1/Lambda)."""

    def __init__(self, Lambda, min=None, max=None, seed=None):
        super().__init__(seed)
        if Lambda <= 0:
            raise ANNarchyException(f"Exponential: Lambda must be positive, got {Lambda}")
        self.Lambda, self.min, self.max = Lambda, min, max

    def get_values(self, shape):
        return self._bounded(self._random().exponential(1.0 / self.Lambda, shape),
                             self.min, self.max)

    def __repr__(self):
        return f"Exponential({self.Lambda})"


class Gamma(RandomDistribution):
    """Gamma distribution with shape alpha and scale beta."""

    def __init__(self, alpha, beta=1.0, min=None, max=None, seed=None):
        super().__init__(seed)
        self.alpha, self.beta, self.min, self.max = alpha, beta, min, max

    def get_values(self, shape):
        return self._bounded(self._random().gamma(self.alpha, self.beta, shape),
                             self.min, self.max)

    def __repr__(self):
        return f"Gamma({self.alpha}, {self.beta})"


class Binomial(RandomDistribution):
    """Binomial distribution: successes among n trials of probability p."""

    def __init__(self, n, p, seed=None):
        super().__init__(seed)
        self.n, self.p = int(n), p

    def get_values(self, shape):
        return self._random().binomial(self.n, self.p, shape)

    def __repr__(self):
        return f"Binomial({self.n}, {self.p})"

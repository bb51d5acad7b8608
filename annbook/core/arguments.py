"""Checks of the arguments users pass: a wrong one raises ArgumentError naming it."""

from numbers import Integral, Real

import numpy as np

from ..errors import ArgumentError

__all__ = ["number", "numbers", "integer", "mapping"]


def number(value, what, finite=True):
    """``value`` as a float; ``what`` names the argument in the error (``simulate(): dt``)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
        raise ArgumentError(f"{what} must be a number, got {value!r}")
    value = float(value)
    if finite and not np.isfinite(value):
        raise ArgumentError(f"{what} must be a finite number, got {value!r}")
    return value


def numbers(value, what):
    """``value`` (a number, a list or an array of numbers) as a float array."""
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ArgumentError(f"{what} must be numbers (a number, a list or an array), got "
                            f"{value!r}") from None


def integer(value, what):
    """``value`` as an int (a float with no fractional part is accepted)."""
    if isinstance(value, (Integral, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)
    raise ArgumentError(f"{what} must be an integer, got {value!r}")


def mapping(value, what):
    """``value`` when it is a dict (``pop.set({'tau': 10.0})``)."""
    if not isinstance(value, dict):
        raise ArgumentError(f"{what} takes a dict {{name: value}}, got {type(value).__name__}")
    return value

"""Global options set by ``setup()``, with the defaults of ANNarchy 4.8.2."""

import logging
import os
import warnings

import numpy as np

from .errors import InvalidConfiguration

__all__ = ["setup", "config", "dt", "cache_directory"]

logger = logging.getLogger(__name__)

_DEFAULTS = {
    "dt": 1.0,
    "seed": None,
    "method": "explicit",
    "precision": "double",
    "structural_plasticity": False,
    "num_threads": 1,
    "visible_cores": [],
    "paradigm": "openmp",
    "verbose": False,
    "suppress_warnings": False,
    "show_time": False,
    "only_int_idx_type": True,
    "sparse_matrix_format": "default",
    "sparse_matrix_storage_order": "post_to_pre",
    "profiling": False,
    "profile_out": None,
    "debug": False,
    "disable_shared_library_time_offset": False,
    # annbook's own keys
    "cache_dir": None,
    "portable": False,
    "progress": "auto",
}

# Internal performance switches of the reference; its setup() refuses them too.
_REFUSED = {
    "disable_parallel_rng", "use_seed_seq", "use_cpp_connectors",
    "disable_split_matrix", "disable_SIMD_SpMV", "disable_SIMD_Eq",
}

_METHODS = {"explicit", "implicit", "semiimplicit", "exponential", "midpoint",
            "rk4", "runge-kutta4", "euler"}

config = dict(_DEFAULTS)


def setup(**keyValueArgs):
    """Set global options (dt, seed, method, precision, ...) before building a network.

    Unknown keys warn; the reference's internal performance switches are refused.
    ``cache_dir`` chooses where compiled networks are kept, ``portable=True``
    compiles without ``-march=native`` (for clusters with mixed CPUs).
    ``progress`` chooses the progress bar of ``simulate()``: 'auto' (default: shown
    when a run is expected to last more than a second or two), True (always) or False.
    """
    from .core import network  # late: network imports config

    for key, value in keyValueArgs.items():
        if key in _REFUSED:
            raise InvalidConfiguration(
                f"setup(): '{key}' is an internal switch of the reference and cannot be set")
        if key not in _DEFAULTS:
            warnings.warn(f"setup(): unknown option '{key}' is ignored", stacklevel=2)
            continue
        if key == "dt":
            try:
                value = float(value)
            except (TypeError, ValueError):
                raise InvalidConfiguration(f"setup(): dt must be a number of ms, got "
                                           f"{value!r}") from None
            if value <= 0.0:
                raise InvalidConfiguration(f"setup(): dt must be positive, got {value}")
        elif key == "precision" and value not in ("double", "float"):
            raise InvalidConfiguration(
                f"setup(): precision must be 'double' or 'float', got {value!r}")
        elif key == "method" and value not in _METHODS:
            raise InvalidConfiguration(
                f"setup(): unknown numerical method {value!r}; "
                f"expected one of {sorted(_METHODS - {'euler', 'runge-kutta4'})}")
        elif key == "num_threads":
            value = _thread_count(value)
        elif key == "progress" and value not in (True, False, "auto"):
            raise InvalidConfiguration(
                f"setup(): progress must be True, False or 'auto', got {value!r}")
        elif key == "paradigm" and value != "openmp":
            raise InvalidConfiguration(
                f"setup(): paradigm {value!r} is not available; annbook runs on the CPU ('openmp')")
        if key in ("dt", "precision") and network.global_network().populations \
                and value != config[key]:
            warnings.warn(f"setup(): changing '{key}' after objects were created; "
                          "call setup() first", stacklevel=2)
        config[key] = value
    if "seed" in keyValueArgs and keyValueArgs["seed"] is not None:
        network.global_network().set_seed(keyValueArgs["seed"])


def _thread_count(value):
    """setup()'s num_threads: a positive integer (None: 1)."""
    if value is None:
        return 1
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise InvalidConfiguration(f"setup(): num_threads must be a positive number of threads, "
                                   f"got {value!r}")
    return int(value)


def dt():
    """Integration step in ms."""
    return config["dt"]


def cache_directory():
    """Folder that holds the compiled networks.

    Order of choice: ``setup(cache_dir=...)``, the ``ANNBOOK_CACHE_DIR``
    environment variable, then ``~/.cache/annbook``.
    """
    folder = config["cache_dir"] or os.environ.get("ANNBOOK_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "annbook")
    return os.path.abspath(folder)


def reset_config():
    """Restore every option to its default (tests use it between cases)."""
    config.clear()
    config.update(_DEFAULTS)

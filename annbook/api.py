"""Module-level functions of the ANNarchy 4.8.2 API, acting on the global network."""

from .core import network as _network
from .core.constant import clear_constants
from .core.functions import clear_functions

__all__ = ["compile", "clear", "reset", "simulate", "simulate_until", "step", "get_time",
           "set_time", "get_current_step", "set_current_step", "set_seed", "get_population",
           "populations", "monitors", "enable_learning", "disable_learning", "get_projection",
           "projections"]


def _net(net_id=0):
    return _network.network_by_id(net_id)


def compile(directory="annarchy", clean=False, populations=None, projections=None,
            compiler="default", compiler_flags="default", add_sources="", extra_libs="",
            cuda_config={"device": 0}, annarchy_json="", silent=False, debug_build=False,
            profile_enabled=False, net_id=0):
    """Generate, build (or load from the cache) and load the code of the network.

    ``directory`` is the build cache folder; the default ('annarchy') means the
    user cache (``ANNBOOK_CACHE_DIR`` or ``~/.cache/annbook``). ``clean=True``
    rebuilds even when the cache holds the structure.
    """
    _net(net_id).compile(directory=directory, clean=clean, compiler_flags=compiler_flags,
                         silent=silent)


def clear(functions=True, neurons=True, synapses=True, constants=True):
    """Forget all populations and monitors (and, by default, functions and constants)."""
    _network.clear_networks()
    if functions:
        clear_functions()
    if constants:
        clear_constants()


def reset(populations=True, projections=False, synapses=False, monitors=True, net_id=0):
    """Restore populations (and monitors) to their state at compile time; time goes back to 0."""
    _net(net_id).reset(populations, projections, monitors, synapses)


def simulate(duration, measure_time=False, progress_bar=None, callbacks=True, net_id=0):
    """Advance the simulation by ``duration`` ms.

    ``progress_bar=True`` shows a progress bar (simulated time, speed, estimate),
    False never; None (the default) follows ``setup(progress=...)``, by default a
    bar that appears only when the run is expected to last more than a second or two.
    ``callbacks=False`` runs without calling the functions declared with ``@every``.
    """
    _net(net_id).simulate(duration, measure_time, progress_bar, callbacks)


def simulate_until(max_duration, population, operator="and", measure_time=False, net_id=0):
    """Simulate until the populations' stop conditions hold; returns the simulated time (ms)."""
    return _net(net_id).simulate_until(max_duration, population, operator, measure_time)


def step(net_id=0):
    """Advance the simulation by one step."""
    _net(net_id).step()


def get_time(net_id=0):
    """Current simulated time in ms."""
    return _net(net_id).get_time()


def set_time(t, net_id=0):
    """Set the simulated time in ms."""
    _net(net_id).set_time(t)


def get_current_step(net_id=0):
    """Current integration step."""
    return _net(net_id).get_current_step()


def set_current_step(t, net_id=0):
    """Set the current integration step."""
    _net(net_id).set_current_step(t)


def set_seed(seed, use_seed_seq=True, net_id=0):
    """Seed numpy and the compiled random generators."""
    _net(net_id).set_seed(seed, use_seed_seq)


def get_population(name, net_id=0):
    """The population called ``name``."""
    return _net(net_id).get_population(name)


def get_projection(name, net_id=0):
    """The projection called ``name``."""
    return _net(net_id).get_projection(name)


def projections(net_id=0, post=None, pre=None, target=None, suppress_error=False):
    """All projections, optionally filtered by post, pre and target."""
    return _net(net_id).get_projections(post, pre, target, suppress_error)


def populations(net_id=0):
    """All populations of the network."""
    return list(_net(net_id).populations)


def monitors(net_id=0, obj=None):
    """All monitors, or those recording ``obj``."""
    return _net(net_id).get_monitors(obj)


def enable_learning(projections=None, period=None, offset=None, net_id=0):
    """Turn plasticity on for all (or the given) projections."""
    _net(net_id).enable_learning(projections, period, offset)


def disable_learning(projections=None, net_id=0):
    """Turn plasticity off for all (or the given) projections."""
    _net(net_id).disable_learning(projections)

"""Callbacks: Python functions called every ``period`` ms of simulated time during ``simulate()``.

As in ANNarchy 4.8.2, ``@every(period, offset, wait, net_id)`` registers a function on a
network. Each ``simulate()`` of that network counts its steps from its own start: a
callback is due at step ``wait + offset`` of the call, then every ``period``, and is called
with ``n`` (0 at its first call in this ``simulate()``, then 1, 2...) *before* that step is
computed. At that moment ``t`` is the time of the step about to be computed and monitors
hold the steps before it; what the callback changes (parameters, weights, inputs) is used
from that step on. ``step()`` and ``simulate_until()`` call no callback (as the reference).

The compiled loop runs at full speed between two due steps: ``Network.run`` ends its chunks
there (``Schedule``). Copies of a network (``Network.add``, ``parallel_run(number=...)``)
and unpickled networks start without callbacks, as new networks of the reference do;
``parallel_run(networks=[...])`` sends each network's callbacks with it.
"""

import inspect
import math

from ..errors import ArgumentError, NetworkError
from .arguments import integer, number

__all__ = ["every", "callbacks_enabled", "enable_callbacks", "disable_callbacks",
           "clear_all_callbacks", "Callbacks", "Schedule", "travelling", "arrived"]


class every:
    """Decorator: call the function every ``period`` ms of simulated time during ``simulate()``.

    ::

        @every(period=100.0, offset=-10.0)
        def step_input(n):
            pop.I = n / 100.0

    calls ``step_input(0)`` 90 ms after the start of each ``simulate()``, ``step_input(1)``
    100 ms later, and so on.

    Parameters
    ----------
    period : float
        Interval between two calls in ms (> 0); shorter than ``dt``: every step.
    offset : float
        Delay of the calls within the period in ms (taken modulo the period; a negative
        offset counts from the end of the period; one of a whole period or more, as the
        reference, means 0).
    wait : float
        Time in ms from the start of ``simulate()`` before the first period starts.
    net_id : int
        The network whose ``simulate()`` calls the function (0: the global one; a
        ``Network``'s ``id``).

    The function takes one argument, ``n``. Its return value is ignored; an exception it
    raises stops ``simulate()`` at that step (time and monitors hold the steps done) and
    reaches the caller. Functions due at the same step are called in the order they were
    declared. The decorator returns the function unchanged.
    """

    def __init__(self, period, offset=0.0, wait=0.0, net_id=0):
        self.period = period
        self.offset = offset
        self.wait = wait
        self.net_id = net_id
        self.func = None

    def __repr__(self):
        name = getattr(self.func, "__name__", None)
        return (f"every(period={self.period!r}, offset={self.offset!r}, wait={self.wait!r}, "
                f"net_id={self.net_id!r})" + (f" on '{name}'" if name else ""))

    def __call__(self, func):
        if self.func is not None:           # the same decorator on another function
            return every(self.period, self.offset, self.wait, self.net_id)(func)
        name = getattr(func, "__name__", repr(func))
        what = f"every(period={self.period!r}) on '{name}'"
        if not callable(func):
            raise ArgumentError(f"every(period={self.period!r}) decorates a function taking "
                                f"n (the number of the call), got {name}")
        _check_signature(func, what)
        self.period = number(self.period, f"{what}: the period")
        if self.period <= 0:
            raise ArgumentError(f"{what}: the period must be a positive number of milliseconds, "
                                f"got {self.period:g}; for a call before every step give "
                                "period=dt()")
        self.offset = number(self.offset, f"{what}: the offset")
        self.wait = number(self.wait, f"{what}: wait")
        network = _network(self.net_id, what)
        self.net_id = network.id
        self.func = func
        network._callbacks.entries.append(self)
        return func

    def steps(self, dt):
        """(period, first due step) in steps of ``dt``, counted from the start of a run."""
        period = max(1, _steps(self.period, dt))
        offset = _steps(min(self.offset, self.period), dt) % period
        return period, _steps(max(self.wait, 0.0), dt) + offset


class Callbacks:
    """The callbacks of one network, in declaration order, and whether they are enabled."""

    def __init__(self):
        self.entries = []
        self.enabled = True

    def __repr__(self):
        return f"Callbacks({'enabled' if self.enabled else 'disabled'}, {self.entries!r})"

    def schedule(self, steps, dt):
        """The Schedule of a ``simulate()`` of ``steps`` steps; None when it calls nothing."""
        if not self.enabled or not self.entries:
            return None
        schedule = Schedule(self.entries, steps, dt)
        return schedule if schedule.timers else None


class Schedule:
    """When callbacks fall in one run: steps counted from the start of the run.

    Holds, per callback due in the run, its next step, its period in steps and its ``n``.
    """

    def __init__(self, entries, steps, dt):
        self.timers = []
        for entry in entries:
            period, first = entry.steps(dt)
            if first < steps:
                self.timers.append([first, period, 0, entry])

    def next_step(self):
        """The next step (from the start of the run) before which a callback is due."""
        return min(timer[0] for timer in self.timers)

    def call_due(self, done, network):
        """Call, in declaration order, the callbacks due before step ``done`` of the run.

        An exception of a callback is raised again, with a note saying which callback and
        when (the run stops there).
        """
        for timer in self.timers:
            if timer[0] != done:
                continue
            n, entry = timer[2], timer[3]
            timer[0] += timer[1]
            timer[2] += 1
            try:
                entry.func(n)
            except Exception as error:
                if hasattr(error, "add_note"):          # Python 3.11
                    error.add_note(
                        f"raised by the callback {entry!r}, called with n = {n} at t = "
                        f"{network.get_time():g} ms; simulate() stopped there, time and "
                        "monitors hold the steps done")
                raise


def callbacks_enabled(net_id=0):
    """Whether ``simulate()`` of the network calls its callbacks."""
    return _network(net_id, "callbacks_enabled()")._callbacks.enabled


def enable_callbacks(net_id=0):
    """Let ``simulate()`` of the network call its callbacks again."""
    _network(net_id, "enable_callbacks()")._callbacks.enabled = True


def disable_callbacks(net_id=0):
    """Stop ``simulate()`` of the network from calling its callbacks (they stay declared)."""
    _network(net_id, "disable_callbacks()")._callbacks.enabled = False


def clear_all_callbacks(net_id=0):
    """Forget every callback declared on the network (cannot be undone)."""
    _network(net_id, "clear_all_callbacks()")._callbacks.entries.clear()


def travelling(network):
    """The network with its callbacks, to pickle together (a network pickled alone has none):
    a callback's own reference to the network then finds the unpickled one."""
    return network, network._callbacks


def arrived(pickled):
    """The network of an unpickled ``travelling()`` pair, its callbacks given back."""
    network, callbacks = pickled
    for entry in callbacks.entries:
        entry.net_id = network.id
    network._callbacks = callbacks
    return network


def _network(net_id, what):
    from .network import network_by_id
    net_id = integer(net_id, f"{what}: net_id")
    try:
        return network_by_id(net_id)
    except NetworkError as error:
        raise NetworkError(f"{what}: {error}") from None


def _check_signature(func, what):
    """The callback must accept being called with one positional argument, n."""
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):             # a built-in without a signature: trust it
        return
    try:
        signature.bind(0)
    except TypeError:
        raise ArgumentError(f"{what}: the function takes {signature}; a callback takes one "
                            "argument, n (0 at its first call in a simulate(), then 1, 2...)"
                            ) from None


def _steps(ms, dt):
    """Whole steps in ``ms`` (truncated toward zero, as the reference, but 0.3 ms at
    dt = 0.1 is 3 steps: the rounding error of the division is not truncated)."""
    value = ms / dt
    return int(value + math.copysign(1e-9, value))

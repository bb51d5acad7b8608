"""Live control of a running network: sliders, play / pause / step / reset, a live plot.

``control(network_or_populations, parameters=[...])`` returns a ``LiveControl``
widget (show it as the value of a cell). Play runs the network in a worker thread
in chunks of about ``1 / fps`` s, so the cell returns at once and other cells keep
running; a slider change is applied at the next chunk boundary (between two
steps, never recompiling); the plot follows in the browser.

DOM classes (stable, for browser tests): the whole control ``annbook-live-control``;
buttons ``annbook-play``, ``annbook-pause``, ``annbook-step``, ``annbook-reset``;
the time ``annbook-time``; every slider ``annbook-slider`` plus
``annbook-slider-<label>`` (label with non-alphanumerics as '-'); the status line
``annbook-status`` (holding ``annbook-error`` after a failure); the plot
``annbook-live-plot`` (see ``live_plot.py``).
"""

import html
import math
import re
import threading
import time
import traceback
import weakref

import ipywidgets as widgets

from ..core.monitor import SPIKE_SOURCES, Monitor
from ..errors import NetworkError
from . import kernel_parent
from .live_plot import LivePlot
from .parameters import check_member, objects_of, resolve_parameters
from .plot_feed import PLOT_KINDS, PlotFeed, plotted_ranks
from .runner import BackgroundRun

__all__ = ["control", "LiveControl"]

LABEL_SECONDS = 0.25            # the time line changes at most this often while playing
_controls = weakref.WeakValueDictionary()   # network id -> its live control


def control(target, parameters=(), monitor=None, plot=None, variable=None, neurons=None,
            ranges=None, window=1000.0, step=None, fps=30.0, speed=None, columns=640,
            height=240, autoplay=False):
    """A live control of a compiled network: sliders, buttons, simulated time and a live plot.

    Parameters
    ----------
    target : Network, Population, PopulationView, Projection or a list of them
        What is controlled; parameter names are searched in it.
    parameters : list
        ``"name"``, ``"population.name"``, ``(owner, "name")`` or ``(owner, "name", label)``.
        A per-neuron parameter gets one slider that sets all neurons of its owner
        (give a PopulationView to change some of them).
    monitor : Monitor, Population or PopulationView, optional
        What the plot shows (default: the first population). A Monitor lends its
        object and first variable; the control records with a monitor of its own,
        so the data of yours stays yours.
    plot : {'raster', 'traces', 'mean'}, optional
        Default: a raster of spikes for spiking populations, traces of ``r`` otherwise.
    variable : str, optional
        Recorded variable ('spike' for a raster; default 'spike' or 'r').
    neurons : int or list of ranks, optional
        Neurons of a raster (default 200, evenly spaced) or of traces (default 5).
    ranges : dict, optional
        ``{label: (low, high)}`` or ``(low, high, step)``; by default a range is derived
        from the current values. Declared ``min=``/``max=`` bound it.
    window : float
        Simulated ms across the plot.
    step : float, optional
        Simulated ms of one press of Step (default: a tenth of the window).
    fps : float
        Target plot refreshes per second; a chunk lasts about ``1 / fps`` s, which is also
        the delay before a slider change lands.
    speed : float, optional
        At most this many simulated ms per wall second (default: as fast as possible).
    columns, height : int
        Size of the plot area in pixels (one column per pixel).
    autoplay : bool
        Start playing at once (default False, so that a notebook run headless ends).
    """
    network, objects = objects_of(target)
    if not network.compiled:
        raise NetworkError(f"control(): network {network.id} is not compiled; call compile() "
                           "first (sliders and the plot act on the compiled network)")
    network.check_usable(network)
    if isinstance(parameters, str) or (isinstance(parameters, tuple) and parameters
                                       and hasattr(parameters[0], "_description")):
        parameters = [parameters]                   # one parameter given alone
    controlled = resolve_parameters(network, objects, list(parameters))
    chosen_ranges = _ranges_by_label(controlled, list(parameters), ranges or {})
    source, kind, variable = _plot_choice(network, objects, monitor, plot, variable)
    ranks = plotted_ranks(source, kind, variable, neurons)
    if window <= 0 or fps <= 0 or (speed is not None and speed <= 0):
        raise NetworkError("control(): window, fps and speed must be positive")
    previous = _controls.get(network.id)
    if previous is not None:
        previous.close()
    live = LiveControl(network, controlled, chosen_ranges, source, kind, variable, ranks,
                       float(window), float(step) if step else window / 10.0, float(fps), speed,
                       int(columns), int(height))
    _controls[network.id] = live
    if autoplay:
        live.play()
    return live


class LiveControl(widgets.VBox):
    """Sliders, buttons, simulated time and a live plot driving one network (see control())."""

    def __init__(self, network, parameters, ranges, source, kind, variable, ranks, window,
                 step_ms, fps, speed, columns, height):
        self.network = network
        self.parameters = {p.label: p for p in parameters}
        self.step_duration = step_ms
        self._quiet = threading.local()         # set while the kernel itself moves a slider
        self._known = {}                        # label -> value last seen in the state
        self._label_at = 0.0
        self.plot = LivePlot(columns=columns, height=height, window=window,
                             title=_plot_title(source, kind, variable))
        self._feed = PlotFeed(network, source, kind, variable, ranks, self.plot)
        self._runner = BackgroundRun(network, self._started, self._after_chunk,
                                     self._show_error, self._became_idle, fps, speed)
        self.plot.on_ack = self._feed.flush
        label_width = f"{max([len(p.label) + 7 for p in parameters], default=0)}ch"
        self.sliders = {p.label: self._slider(p, ranges.get(p.label), label_width)
                        for p in parameters}
        self._buttons = {name: self._button(name, icon, tip) for name, icon, tip in (
            ("play", "play", "run in the background until paused"),
            ("pause", "pause", "stop after the current step"),
            ("step", "step-forward", f"advance {step_ms:g} ms"),
            ("reset", "undo", "back to t = 0 (the slider values stay)"))}
        self._time = widgets.HTML()
        self._time.add_class("annbook-time")
        self._status = widgets.HTML()
        self._status.add_class("annbook-status")
        super().__init__(children=[widgets.HBox(list(self._buttons.values()) + [self._time]),
                                   widgets.VBox(list(self.sliders.values())), self.plot,
                                   self._status])
        self.add_class("annbook-live-control")
        self._set_buttons(playing=False)
        self._show_time()

    # ------------------------------------------------------------ commands
    def play(self, duration=None):
        """Run in the background until paused (or for ``duration`` ms); returns at once."""
        steps = math.inf if duration is None else self.network.steps_for(duration)
        if steps <= 0:
            return
        self._status.value = ""
        self._set_buttons(playing=True)
        self._runner.play(steps)

    def pause(self):
        """Stop after the current step (pending slider changes are still applied)."""
        self._runner.pause()

    def step(self):
        """Advance by ``step_duration`` ms in the background."""
        self.play(self.step_duration)

    def reset(self):
        """Back to t = 0 (as ``reset()``: populations and monitors); the slider values stay."""
        self._runner.submit("reset", self._reset_now)

    def wait(self, timeout=None):
        """Block until the control is idle (after a bounded play or a pause); False on timeout."""
        return self._runner.wait(timeout)

    def set(self, label, value):
        """Move a slider from code (as a user would): applied at the next chunk boundary.

        The slider's range widens to ``value`` if needed, within the declared min/max.
        """
        if label not in self.sliders:
            raise NetworkError(f"LiveControl: no slider '{label}'; the sliders are "
                               f"{list(self.sliders)}")
        slider = self.sliders[label]
        if hasattr(slider, "max"):
            low, high = self.parameters[label].declared_bounds()
            if (low is not None and value < low) or (high is not None and value > high):
                raise NetworkError(f"LiveControl: {value} is outside the bounds "
                                   f"[{low}, {high}] declared for '{label}'")
            slider.min, slider.max = min(slider.min, value), max(slider.max, value)
        slider.value = value

    def close(self):
        """Stop the run, remove the plot's monitor, close the widgets."""
        self._runner.close()
        self._feed.close()
        if _controls.get(self.network.id) is self:
            del _controls[self.network.id]
        _close_children(self)
        super().close()

    @property
    def playing(self):
        return self._runner.playing

    @property
    def stats(self):
        """Figures of the current or last run: simulated time, speed, chunks, frames, latencies,
        and the worker's seconds in the simulation and in the display (plot, labels)."""
        runner = self._runner
        latencies = list(runner.latencies)
        return {
            "time_ms": self.network.get_time(), "playing": runner.playing,
            "chunks": runner.chunks, "frames_sent": self.plot.frames_sent,
            "frames_acknowledged": self.plot.frames_acknowledged,
            "speed": self._speed(),
            "last_change_latency_s": latencies[-1] if latencies else None,
            "max_change_latency_s": max(latencies) if latencies else None,
            "applied": list(runner.applied), "boundaries": list(runner.boundaries),
            "run_seconds": runner.busy["run"], "display_seconds": runner.busy["display"],
        }

    def _repr_mimebundle_(self, **kwargs):
        self._runner.parent = kernel_parent.capture()   # output goes under the cell showing it
        return super()._repr_mimebundle_(**kwargs)

    # ------------------------------------------------------------ widgets
    def _slider(self, parameter, given_range, label_width):
        value = parameter.current()
        self._known[parameter.label] = value
        description = parameter.label if parameter.uniform() else f"{parameter.label} (mean)"
        tooltip = ("sets every neuron (synapse) of the owner" if parameter.values().size > 1
                   else "")
        if parameter.kind == "bool":
            slider = widgets.Checkbox(value=value, description=description, tooltip=tooltip)
        else:
            low, high, step = parameter.slider_range(given_range)
            low, high = min(low, value), max(high, value)
            kind = widgets.IntSlider if parameter.kind == "int" else widgets.FloatSlider
            options = {} if parameter.kind == "int" else {"readout_format": ".4g"}
            slider = kind(value=value, min=low, max=high, step=step, description=description,
                          tooltip=tooltip, continuous_update=True,
                          style={"description_width": label_width},   # aligned sliders
                          layout=widgets.Layout(width="640px"), **options)
        slider.add_class("annbook-slider")
        slider.add_class("annbook-slider-" + re.sub(r"[^A-Za-z0-9]+", "-", parameter.label))
        slider.observe(lambda change, p=parameter: self._on_slider(p, change["new"]), "value")
        return slider

    def _button(self, name, icon, tooltip):
        button = widgets.Button(description=name.capitalize(), icon=icon, tooltip=tooltip,
                                layout=widgets.Layout(width="90px"))
        button.add_class(f"annbook-{name}")
        button.on_click(lambda _: getattr(self, name)())
        return button

    def _on_slider(self, parameter, value):
        if getattr(self._quiet, "active", False):
            return                                  # the kernel moved it: not a change

        def apply():
            parameter.assign(value)
            self._known[parameter.label] = parameter.current()
        self._runner.submit(parameter.label, apply)

    def _show_value(self, label, value):
        """Move a slider to the state's value without it counting as a change."""
        slider = self.sliders[label]
        self._quiet.active = True
        try:
            with slider.hold_sync():
                if hasattr(slider, "max"):
                    slider.min, slider.max = min(slider.min, value), max(slider.max, value)
                slider.value = value
        finally:
            self._quiet.active = False

    def _set_buttons(self, playing):
        self._buttons["play"].disabled = playing
        self._buttons["step"].disabled = playing
        self._buttons["pause"].disabled = not playing

    def _speed(self):
        """Simulated ms per wall second of the current or last run."""
        session = self._runner.session
        return session["steps"] * self.network.dt / session["seconds"] if session["seconds"] \
            else 0.0

    def _show_time(self):
        state = "playing" if self._runner.playing else "paused"
        speed = self._speed()
        text = f"t = {_time_text(self.network.get_time())} &middot; {state}"
        if speed:
            text += f" &middot; {speed / 1000.0:.3g} s simulated per second"
        self._time.value = text

    def _show_error(self, error):
        message = html.escape(f"{type(error).__name__}: {error}")
        details = html.escape("".join(traceback.format_exception(error)))
        self._status.value = (
            f'<div class="annbook-error" style="color:#b00020"><b>{message}</b><br>'
            f"The run is paused at t = {_time_text(self.network.get_time())}; nothing of the state "
            "was lost. Fix the cause, then press Play."
            f"<details><summary>traceback</summary><pre>{details}</pre></details></div>")

    # ------------------------------------------------------------ worker side
    def _after_chunk(self, first_step):
        self._feed.collect(first_step)
        self._feed.flush()
        self._follow_state()
        now = time.perf_counter()
        if now - self._label_at > LABEL_SECONDS:
            self._label_at = now
            self._show_time()

    def _follow_state(self):
        """Sliders follow parameters changed from code (another cell) while playing."""
        for label, parameter in self.parameters.items():
            value = parameter.current()
            if value != self._known.get(label):
                self._known[label] = value
                self._show_value(label, value)

    def _started(self):
        self._feed.resume()
        self._set_buttons(playing=True)

    def _became_idle(self):
        self._feed.pause()
        self._feed.flush()
        self._follow_state()
        self._set_buttons(playing=False)
        self._show_time()

    def _reset_now(self):
        self.network.reset(populations=True, projections=False, monitors=True)
        for label, parameter in self.parameters.items():
            parameter.assign(self.sliders[label].value)
            self._known[label] = parameter.current()
        self._feed.clear()
        self._show_time()


def _close_children(box):
    for child in getattr(box, "children", ()):
        _close_children(child)
        child.close()


def _time_text(ms):
    return f"{ms:.1f} ms" if ms < 10000.0 else f"{ms / 1000.0:.2f} s"


def _ranges_by_label(parameters, specs, ranges):
    """Ranges keyed by the sliders' labels (a range may name a parameter as it was given)."""
    by_label = {}
    aliases = {}
    for parameter, spec in zip(parameters, specs):
        aliases[parameter.label] = parameter.label
        if isinstance(spec, str):
            aliases[spec] = parameter.label
    for key, given in ranges.items():
        if key not in aliases:
            raise NetworkError(f"control(): a range is given for '{key}', which is not one of "
                               f"the parameters {[p.label for p in parameters]}")
        by_label[aliases[key]] = given
    for parameter in parameters:                 # check them now: errors before any widget
        if parameter.kind != "bool":
            parameter.slider_range(by_label.get(parameter.label))
    return by_label


def _plot_choice(network, objects, monitor, plot, variable):
    """(source, kind, variable) of the live plot, checked."""
    if isinstance(monitor, Monitor):
        source = monitor.object
        variable = variable or (monitor.variables[0] if monitor.variables else None)
    elif monitor is not None:
        source = monitor
    else:
        populations = [obj for obj in objects if hasattr(obj, "population")]
        if not populations:
            populations = network.populations[:1]
        source = populations[0]
    if not hasattr(source, "population"):
        raise NetworkError(f"control(): the plot shows a Population or a PopulationView (or a "
                           f"Monitor of one), got {type(source).__name__}")
    check_member(network, source)
    population = source.population
    spiking = population._spike_arrays is not None
    variable = variable or ("spike" if spiking else "r")
    plot = plot or ("raster" if variable in SPIKE_SOURCES else "traces")
    if plot not in PLOT_KINDS:
        raise NetworkError(f"control(): plot must be one of {list(PLOT_KINDS)}, got {plot!r}")
    if plot == "raster":
        if variable not in SPIKE_SOURCES or not spiking:
            raise NetworkError(f"control(): a raster shows spikes of a spiking population; "
                               f"'{population.name}' with variable '{variable}' has none "
                               "(use plot='traces' or 'mean' for a variable)")
    elif variable not in population.variables:
        raise NetworkError(f"control(): '{variable}' is not a variable of '{population.name}' "
                           f"(plot='{plot}' records a variable: {population.variables})")
    return source, plot, variable


def _plot_title(source, kind, variable):
    name = source.population.name
    if kind == "raster":
        return f"{name}: spikes"
    return f"{name}: {'mean ' if kind == 'mean' else ''}{variable}"

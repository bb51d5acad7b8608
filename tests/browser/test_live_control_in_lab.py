"""The live control of ``examples/live_exploration.ipynb`` in a real JupyterLab.

Code cells of the example: the 1000-neuron network (0), ``control(...)`` shown as the cell's
value (1). The test presses Play, watches the raster change, drags a slider with the mouse
while it plays and reads the parameter back from a cell it types below the control, then
presses Pause and checks that nothing moves any more.
"""

import re
import time

import pytest

from lab_page import wait_for

pytestmark = pytest.mark.browser

NOTEBOOK = "live_exploration.ipynb"
NETWORK, CONTROL = 0, 1
SLIDERS = ["excitatory noise", "inhibitory noise", "threshold", "excitation.gain",
           "inhibition.gain"]
PLOT_TIMEOUT_MS = 60_000
FRAMES_APART = 15               # new drawings between the two screenshots of the playing plot
READ_BACK_TIMEOUT_S = 30.0
READ_BACK = """print("noise", exc.noise.min(), exc.noise.max(),
      "playing" if panel.playing else "paused", "t", ann.get_time())"""
_READ = re.compile(r"noise (\S+) (\S+) (playing|paused) t (\S+)")


def _read_back(lab, panel, cell):
    """Runs the read-back cell; (lowest, highest excitatory noise, playing, time in ms)."""
    shown, _ = lab.run_cell(panel, cell)
    text = lab.output_text(shown)
    found = _READ.search(text)
    assert found, f"the read-back cell printed {text!r}"
    low, high, state, time_ms = found.groups()
    return float(low), float(high), state == "playing", float(time_ms)


def _time_label(control):
    return control.locator(".annbook-time").inner_text()


def test_live_control_plays_follows_the_mouse_and_pauses(lab, screenshot):
    panel = lab.open(NOTEBOOK)
    lab.wait_kernel_idle()
    lab.run_cell(panel, NETWORK)
    cell, _ = lab.run_cell(panel, CONTROL)
    control = cell.locator(".annbook-live-control")
    control.wait_for(state="visible")
    labels = control.locator(".annbook-slider .widget-label").all_inner_texts()
    assert labels == SLIDERS
    for button in ("play", "pause", "step", "reset"):
        assert control.locator(f"button.annbook-{button}").is_visible()
    assert control.locator("button.annbook-pause").is_disabled()
    assert "paused" in _time_label(control)
    canvas = control.locator("canvas.annbook-live-canvas")
    canvas.wait_for(state="visible")
    screenshot("control-shown", control)
    read_back = lab.add_cell_below(panel, CONTROL, READ_BACK)

    # Play: the raster changes over time (two different images, drawn from new frames).
    idle = lab.canvas_state(canvas)
    control.locator("button.annbook-play").click()
    wait_for(lab.page, "(c) => c.querySelector('.annbook-time').innerText.includes('playing')",
             control.element_handle(), what="the control says it is playing")
    assert control.locator("button.annbook-play").is_disabled()
    states = [idle]
    for shot, frames in ((1, 1), (2, FRAMES_APART)):
        states.append(lab.wait_plot_changed(canvas, states[-1], frames, PLOT_TIMEOUT_MS))
        screenshot(f"plot-playing-{shot}", canvas)
    rate = (states[2]["frames"] - states[1]["frames"]) / (states[2]["at"] - states[1]["at"]) * 1e3
    print(f"\nlive plot: {rate:.1f} refreshes/s seen by the page between the two screenshots")

    # A slider moved with the mouse while playing: the kernel has the new value.
    slider = control.locator(".annbook-slider-excitatory-noise")
    handle = slider.locator(".noUi-handle")
    assert float(handle.get_attribute("aria-valuenow")) == 5.0
    lab.drag_slider(slider, 0.8)
    moved = float(wait_for(lab.page, "(h) => { const v = h.getAttribute('aria-valuenow'); "
                           "return Number(v) !== 5 && v; }", handle.element_handle(),
                           what="the slider moved by the mouse"))
    assert 7.0 < moved < 9.0, moved
    screenshot("slider-moved-while-playing", control)
    time_ms = _read_back_until(lab, panel, read_back, moved)
    screenshot("value-read-back", panel)

    # Pause: the simulated time and the plot stop.
    control.locator("button.annbook-pause").click()
    wait_for(lab.page, "(c) => c.querySelector('.annbook-time').innerText.includes('paused')",
             control.element_handle(), what="the control says it is paused")
    _, _, playing, paused_at = _read_back(lab, panel, read_back)
    assert not playing and paused_at > time_ms
    stopped = lab.canvas_state(canvas)
    _, _, playing, later = _read_back(lab, panel, read_back)
    still = lab.canvas_state(canvas)
    assert not playing and later == paused_at, "the simulated time moved while paused"
    assert (still["frames"], still["hash"]) == (stopped["frames"], stopped["hash"]), \
        "the plot changed while paused"
    assert control.locator("button.annbook-play").is_enabled()
    screenshot("paused", control)


def _read_back_until(lab, panel, cell, value):
    """Runs the read-back cell until the kernel has ``value`` for all excitatory neurons
    (the slider's last message may still be on its way); returns the simulated time."""
    deadline = time.monotonic() + READ_BACK_TIMEOUT_S
    runs = 0
    while True:
        low, high, playing, time_ms = _read_back(lab, panel, cell)
        runs += 1
        assert playing, "the control stopped playing when the slider moved"
        if low == high == value:
            print(f"kernel has the slider's value {value} (read back in {runs} run(s))")
            return time_ms
        assert time.monotonic() < deadline, \
            f"the kernel has noise in [{low}, {high}], the slider shows {value}"

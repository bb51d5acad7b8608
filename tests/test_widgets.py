"""The live control driven headlessly: ipywidgets without a front end, a fake kernel where needed."""

import threading
import time

import numpy as np
import pytest

import annbook as ann
from annbook.jupyter import kernel_parent, live_plot
from annbook.widgets import control

TRACKER = ann.Neuron(
    parameters="""
        k = 1.0 : population
        g = 0.0
        limit = 2.0 : min=0.0, max=10.0
        n = 3 : int
    """,
    equations="r = k + g\ncount += 1")
SPIKER = ann.Neuron(
    parameters="I = 1.5\ntau = 10.0 : population",
    equations="tau * dv/dt = I - v",
    spike="v > 1.0", reset="v = 0.0")


@pytest.fixture
def sent(monkeypatch):
    """Messages the live plots send to the browser: (content, buffers)."""
    messages = []
    monkeypatch.setattr(live_plot.LivePlot, "send",
                        lambda self, content, buffers=None: messages.append((content, buffers)))
    return messages


@pytest.fixture
def panels():
    """Controls made by a test are closed at its end (their threads stop)."""
    made = []
    yield made
    for panel in made:
        panel.close()


def tracker(size=3):
    pop = ann.Population(size, TRACKER, name="T")
    monitor = ann.Monitor(pop, "r")
    ann.compile()
    return pop, monitor


def wait_until(condition, timeout=10.0):
    deadline = time.perf_counter() + timeout
    while not condition():
        assert time.perf_counter() < deadline, "timed out"
        time.sleep(0.005)


def frames(messages):
    return [(content, buffers) for content, buffers in messages if content["type"] == "frame"]


# ---------------------------------------------------------------- changes between steps
def test_a_slider_change_lands_at_the_next_chunk_boundary_while_playing(sent, panels):
    pop, monitor = tracker()
    panel = control(pop, ["k"], plot="traces", variable="r")
    panels.append(panel)
    panel.play()
    assert panel.playing                                  # play() returned, the worker runs
    wait_until(lambda: panel.stats["chunks"] >= 3)
    panel.set("k", 4.0)                                   # as a user moving the slider
    wait_until(lambda: panel.stats["applied"])
    (label, step), = panel.stats["applied"]
    wait_until(lambda: ann.get_current_step() > step)
    panel.pause()
    assert panel.wait(10.0) and not panel.playing
    assert label == "k" and step in panel.stats["boundaries"]
    r = monitor.get("r")[:, 0]
    assert len(r) == ann.get_current_step() and step < len(r)
    assert np.all(r[:step] == 1.0) and np.all(r[step:] == 4.0)   # no step saw half a change
    assert pop.k == 4.0
    assert panel.stats["last_change_latency_s"] is not None


def test_while_paused_a_change_applies_at_once_and_step_advances_the_step_duration(sent, panels):
    pop, monitor = tracker()
    panel = control(pop, ["k", "g"], step=25.0)
    panels.append(panel)
    panel.step()
    assert panel.wait(10.0)
    assert ann.get_current_step() == 25
    panel.sliders["g"].value = 0.5                        # paused: applied now
    assert np.all(pop.g == 0.5)
    panel.step()
    assert panel.wait(10.0) and ann.get_current_step() == 50
    r = monitor.get("r")
    assert np.all(r[:25] == 1.0) and np.all(r[25:] == 1.5)


def test_buttons_play_pause_step_and_reset(sent, panels):
    pop, monitor = tracker()
    panel = control(pop, ["k"], step=10.0)
    panels.append(panel)
    buttons = panel._buttons
    assert buttons["pause"].disabled and not buttons["play"].disabled
    buttons["play"].click()
    assert buttons["play"].disabled and not buttons["pause"].disabled
    wait_until(lambda: ann.get_current_step() > 100)
    buttons["pause"].click()
    assert panel.wait(10.0)
    assert not buttons["play"].disabled and buttons["pause"].disabled
    stopped = ann.get_current_step()
    time.sleep(0.05)
    assert ann.get_current_step() == stopped              # paused means paused
    assert np.all(pop.count == stopped)
    buttons["step"].click()
    assert panel.wait(10.0) and ann.get_current_step() == stopped + 10
    panel.set("k", 2.5)
    buttons["reset"].click()
    assert ann.get_current_step() == 0 and np.all(pop.count == 0)
    assert pop.k == 2.5                                    # the slider's value survives reset
    assert {"type": "clear"} in [content for content, _ in sent]
    assert "t = 0.0 ms" in panel._time.value


def test_reset_while_playing_happens_between_two_chunks(sent, panels):
    pop, _ = tracker()
    panel = control(pop, ["k"])
    panels.append(panel)
    panel.play()
    wait_until(lambda: ann.get_current_step() > 1000)
    panel.reset()
    wait_until(lambda: ("reset", 0) in panel.stats["applied"])
    panel.pause()
    assert panel.wait(10.0)
    assert np.all(pop.count == ann.get_current_step())    # counted from 0 again, consistently


# ---------------------------------------------------------------- no echo, following the state
def test_the_kernel_moving_a_slider_is_not_a_change(sent, panels):
    pop, _ = tracker()
    panel = control(pop, ["k"])
    panels.append(panel)
    assert panel.stats["applied"] == []                   # creating sliders changes nothing
    panel.play()
    wait_until(lambda: panel.stats["chunks"] >= 2)
    pop.k = 3.0                                            # from another cell
    wait_until(lambda: panel.sliders["k"].value == 3.0)   # the slider follows the state
    panel.pause()
    assert panel.wait(10.0)
    assert panel.stats["applied"] == []                   # and that did not echo as a change
    assert pop.k == 3.0


def test_a_slider_following_a_value_outside_its_range_widens_it(sent, panels):
    pop, _ = tracker()
    panel = control(pop, ["k"])
    panels.append(panel)
    assert (panel.sliders["k"].min, panel.sliders["k"].max) == (0.0, 2.0)
    pop.k = 7.0
    panel.step()
    assert panel.wait(10.0)
    assert panel.sliders["k"].value == 7.0 and panel.sliders["k"].max >= 7.0
    assert panel.stats["applied"] == []


# ---------------------------------------------------------------- sliders
def test_sliders_per_kind_of_parameter_and_their_ranges(sent, panels):
    pop, _ = tracker(4)
    pop.g = [0.0, 1.0, 2.0, 3.0]
    panel = control(pop, ["k", "g", "limit", "n"], ranges={"k": (0.5, 3.0, 0.25)})
    panels.append(panel)
    k, g, limit, n = (panel.sliders[name] for name in ("k", "g", "limit", "n"))
    assert (k.min, k.max, k.step) == (0.5, 3.0, 0.25)
    assert g.description == "g (mean)" and g.value == 1.5 and (g.min, g.max) == (0.0, 6.0)
    assert (limit.min, limit.max) == (0.0, 4.0)           # inside the declared [0, 10]
    assert type(n).__name__ == "IntSlider" and n.value == 3
    g.value = 0.25                                         # one slider sets every neuron
    assert np.all(pop.g == 0.25)
    assert "annbook-slider" in k._dom_classes and "annbook-slider-k" in k._dom_classes


def test_one_parameter_may_be_given_alone(sent, panels):
    pop, _ = tracker()
    panels.append(control(pop, "k"))
    assert list(panels[-1].sliders) == ["k"]
    panels.append(control(pop, (pop, "g")))
    assert list(panels[-1].sliders) == ["T.g"]
    panels.append(control(pop, ("k", "g")))
    assert list(panels[-1].sliders) == ["k", "g"]


def test_a_view_slider_changes_only_the_view(sent, panels):
    pop, _ = tracker(6)
    panel = control(pop, [(pop[2:4], "g")])
    panels.append(panel)
    label, = panel.sliders
    assert label == "T[2:4].g"
    panel.set(label, 0.75)
    assert pop.g.tolist() == [0.0, 0.0, 0.75, 0.75, 0.0, 0.0]


def test_parameters_of_several_populations_and_of_a_projection(sent, panels):
    pre = ann.Population(2, TRACKER, name="pre")
    post = ann.Population(2, TRACKER, name="post")
    synapse = ann.Synapse(parameters="gain = 1.0 : projection", psp="gain * w * pre.r")
    proj = ann.Projection(pre, post, "exc", synapse, name="link")
    proj.connect_all_to_all(weights=0.5)
    ann.compile()
    panel = control(ann.core.network.global_network(), ["pre.k", "post.g", "gain"])
    panels.append(panel)
    assert list(panel.sliders) == ["pre.k", "post.g", "link.gain"]
    panel.set("link.gain", 2.0)
    assert proj.gain == 2.0


# ---------------------------------------------------------------- errors
def test_errors_of_bad_input_are_clear(sent):
    pop = ann.Population(3, TRACKER, name="T")
    with pytest.raises(ann.NetworkError, match="not compiled; call compile"):
        control(pop, ["k"])
    other = ann.Population(3, TRACKER, name="U")
    ann.compile()
    with pytest.raises(ann.NetworkError, match=r"no parameter 'tau'.*'T': \['k', 'g', 'limit'"):
        control(pop, ["tau"])
    with pytest.raises(ann.NetworkError, match="'count' of 'T' is a variable"):
        control(pop, ["count"])
    with pytest.raises(ann.NetworkError, match="no population or projection called 'Q'"):
        control(pop, ["Q.k"])
    with pytest.raises(ann.NetworkError, match="several objects; name one: 'T.k', 'U.k'"):
        control([pop, other], ["k"])
    with pytest.raises(ann.NetworkError, match=r"beyond the max=10 declared in model"):
        control(pop, ["limit"], ranges={"limit": (0.0, 20.0)})
    with pytest.raises(ann.NetworkError, match=r"beyond the min=0 declared"):
        control(pop, ["limit"], ranges={"limit": (-1.0, 5.0)})
    with pytest.raises(ann.NetworkError, match="low < high"):
        control(pop, ["k"], ranges={"k": (3.0, 1.0)})
    with pytest.raises(ann.NetworkError, match="a range is given for 'g'"):
        control(pop, ["k"], ranges={"g": (0.0, 1.0)})
    with pytest.raises(ann.NetworkError, match="given twice"):
        control(pop, ["k", "T.k"])
    with pytest.raises(ann.NetworkError, match="a raster shows spikes"):
        control(pop, ["k"], plot="raster")
    with pytest.raises(ann.NetworkError, match="plot must be one of"):
        control(pop, ["k"], plot="histogram")
    with pytest.raises(ann.NetworkError, match="'v' is not a variable of 'T'"):
        control(pop, ["k"], variable="v")
    with pytest.raises(ann.NetworkError, match="'k' has one value for all of population 'T'"):
        control(pop, [(pop[:2], "k")])
    with pytest.raises(ann.NetworkError, match="neurons to plot must be ranks of 'T'"):
        control(pop, ["k"], plot="traces", neurons=[0, 7])
    net = ann.Network()
    net.add(pop)
    net.compile()
    with pytest.raises(ann.NetworkError, match="'T' is not part of network 1"):
        control(net, [(pop, "k")])              # the global population, not net's copy
    assert control(net, [(net.get(pop), "k")]).sliders["T.k"].value == 1.0


def test_an_error_in_the_background_run_is_shown_the_run_pauses_and_the_state_stays(
        sent, panels, monkeypatch):
    pop, monitor = tracker()
    network = ann.core.network.global_network()
    panel = control(pop, ["k"])
    panels.append(panel)
    panel.play()
    wait_until(lambda: ann.get_current_step() > 100)
    real_run = network.run

    def failing(steps, **options):
        raise RuntimeError("the compiled loop went wrong")
    monkeypatch.setattr(network, "run", failing)
    assert panel.wait(10.0) and not panel.playing
    status = panel._status.value
    assert "annbook-error" in status and "RuntimeError: the compiled loop went wrong" in status
    assert "nothing of the state was lost" in status
    stopped = ann.get_current_step()
    assert np.all(pop.count == stopped) and len(monitor.get("r")) == stopped
    assert not panel._buttons["play"].disabled
    monkeypatch.setattr(network, "run", real_run)
    panel.step()                                           # the control still works
    assert panel.wait(10.0) and ann.get_current_step() > stopped
    assert panel._status.value == ""


def test_a_change_the_model_refuses_is_shown_and_pauses(sent, panels):
    inputs = ann.PoissonPopulation(5, rates=10.0, name="inputs")
    ann.compile()
    panel = control(inputs, ["rates"], ranges={"rates": (-10.0, 50.0)})
    panels.append(panel)
    panel.play()
    wait_until(lambda: panel.stats["chunks"] >= 2)
    panel.set("rates", -5.0)
    assert panel.wait(10.0) and not panel.playing
    assert "annbook-error" in panel._status.value and "rates" in panel._status.value
    assert np.all(inputs.rates == 10.0)


def test_simulate_from_a_cell_while_playing_is_refused(sent, panels):
    pop, _ = tracker()
    panel = control(pop, ["k"])
    panels.append(panel)
    panel.play()
    wait_until(lambda: panel.stats["chunks"] >= 1)
    with pytest.raises(ann.NetworkError, match="being simulated by another thread"):
        ann.simulate(10.0)
    with pytest.raises(ann.NetworkError, match="reset\\(\\): network 0 is being simulated"):
        ann.reset()
    panel.pause()
    assert panel.wait(10.0)
    ann.simulate(10.0)                                     # paused: the cell may simulate


def test_a_new_control_of_the_same_network_closes_the_previous_one(sent, panels):
    pop, _ = tracker()
    first = control(pop, ["k"])
    first.play()
    second = control(pop, ["g"])
    panels.append(second)
    assert not first.playing and first._runner._closed
    assert first._feed.monitor not in ann.core.network.global_network().monitors
    second.step()
    assert second.wait(10.0)


def test_close_removes_the_plot_monitor_and_no_thread_starts_before_play(sent):
    pop, monitor = tracker()
    panel = control(pop, ["k"])
    network = ann.core.network.global_network()
    assert panel._runner._thread is None                   # a headless notebook run ends
    assert panel._feed.monitor in network.monitors
    panel.close()
    assert network.monitors == [monitor]


# ---------------------------------------------------------------- live plot frames
def spiking_network():
    pop = ann.Population(50, SPIKER, name="S")
    pop.I = np.linspace(1.05, 3.0, 50)
    spikes = ann.Monitor(pop, "spike")
    ann.compile()
    return pop, spikes


def shown_by_browser(messages, kind):
    """What the browser holds after merging every frame, as the live plot's script does:
    raster {(column, row)}, traces {column: (low per trace, high per trace)}."""
    dots, envelopes = set(), {}
    for content, buffers in frames(messages):
        columns = content["now"] - np.frombuffer(buffers[0], np.uint16).astype(int)
        if kind == "raster":
            dots |= set(zip(columns.tolist(), np.frombuffer(buffers[1], np.uint16).tolist()))
            continue
        low = np.frombuffer(buffers[1], np.float32).reshape(columns.size, -1)
        high = np.frombuffer(buffers[2], np.float32).reshape(columns.size, -1)
        for column, lo, hi in zip(columns.tolist(), low, high):
            old = envelopes.get(column, (lo, hi))
            envelopes[column] = (np.minimum(old[0], lo), np.maximum(old[1], hi))
    return dots if kind == "raster" else envelopes


def test_raster_frames_hold_one_dot_per_column_and_neuron_of_the_chosen_subset(
        sent, panels, monkeypatch):
    monkeypatch.setattr(live_plot, "ACK_TIMEOUT", 0.0)     # no browser: every frame goes
    pop, spikes = spiking_network()
    panel = control(pop, ["I"], neurons=10, window=100.0, columns=50)
    panels.append(panel)
    plot, feed = panel.plot, panel._feed
    assert plot.kind == "raster" and plot.rows == 10 and feed.ranks.size == 10
    panel.play(duration=60.0)
    assert panel.wait(10.0)
    last, _ = frames(sent)[-1]
    assert last["t"] == 60.0 and last["now"] == 30
    # the same dots from the user's own monitor: column = step * dt / (100 ms / 50 columns)
    recorded = spikes.get("spike")
    expected = {(int(step) // 2, row) for row, rank in enumerate(feed.ranks)
                for step in recorded[int(rank)]}
    assert shown_by_browser(sent, "raster") == expected and len(expected) > 10


def test_an_unanswered_frame_is_followed_after_the_timeout(sent, panels, monkeypatch):
    pop, _ = spiking_network()
    panel = control(pop, ["I"])
    panels.append(panel)
    panel.play(duration=20.0)
    assert panel.wait(10.0)
    count = len(frames(sent))
    monkeypatch.setattr(live_plot, "ACK_TIMEOUT", 0.0)
    panel.play(duration=20.0)
    assert panel.wait(10.0)
    assert len(frames(sent)) > count


def test_traces_and_mean_send_the_minimum_and_maximum_of_each_column(sent, panels, monkeypatch):
    monkeypatch.setattr(live_plot, "ACK_TIMEOUT", 0.0)
    pop, _ = spiking_network()
    trace = ann.Monitor(pop[[0, 49]], "v")
    panel = control(pop, ["I"], plot="traces", variable="v", neurons=[0, 49], window=100.0,
                    columns=25)
    panels.append(panel)
    assert panel.plot.kind == "traces" and panel.plot.labels == ["v[0]", "v[49]"]
    panel.play(duration=40.0)
    assert panel.wait(10.0)
    envelopes = shown_by_browser(sent, "traces")
    values = trace.get("v")                                # (40 steps, 2 neurons)
    columns = np.arange(40) // 4                           # 100 ms / 25 columns = 4 steps
    assert sorted(envelopes) == list(range(10))
    for column, (low, high) in envelopes.items():
        assert np.allclose(low, values[columns == column].min(axis=0))
        assert np.allclose(high, values[columns == column].max(axis=0))
    mean = control(pop, ["I"], plot="mean", variable="v", window=100.0, columns=25)
    panels.append(mean)
    sent.clear()
    assert mean.plot.labels == ["mean v"] and mean._feed.monitor.object is pop
    everyone = ann.Monitor(pop, "v")
    mean.play(duration=40.0)                               # steps 40..79, one sample per column
    assert mean.wait(10.0)
    means = everyone.get("v").mean(axis=1)[::4]           # steps 40, 44, ..., 76
    envelopes = shown_by_browser(sent, "traces")
    assert sorted(envelopes) == list(range(10, 20))
    assert np.allclose([envelopes[c][0][0] for c in range(10, 20)], means)
    assert np.allclose([envelopes[c][1][0] for c in range(10, 20)], means)


def test_frames_wait_for_the_browser_once_too_many_are_unanswered(sent, panels, monkeypatch):
    monkeypatch.setattr(live_plot, "IN_FLIGHT", 2)
    pop, _ = spiking_network()
    panel = control(pop, ["I"], window=100.0, columns=50)
    panels.append(panel)
    for _ in range(3):
        panel.play(duration=20.0)
        assert panel.wait(10.0)
    assert [content["seq"] for content, _ in frames(sent)] == [1, 2]    # then held back
    panel.plot._on_message(panel.plot, {"type": "ack", "seq": 2}, [])   # answers 1 and 2
    assert len(frames(sent)) == 3                         # what was held back goes at once
    content, _ = frames(sent)[2]
    assert content["seq"] == 3 and content["t"] == 60.0
    assert panel.stats["frames_acknowledged"] == 2


# ---------------------------------------------------------------- kernel parent
class FakeKernel:
    def __init__(self):
        self.parents = []

    def get_parent(self, channel):
        return {"header": {"msg_id": "cell-1"}, "channel": channel}

    def set_parent(self, ident, parent, channel):
        self.parents.append((threading.current_thread().name, ident, parent, channel))


@pytest.mark.parametrize("per_thread", [True, False])
def test_the_worker_takes_the_parent_of_the_cell_that_showed_the_control(
        sent, panels, monkeypatch, per_thread):
    kernel = FakeKernel()
    monkeypatch.setattr(kernel_parent, "_kernel", lambda: kernel)
    monkeypatch.setattr(kernel_parent, "per_thread_parents", lambda: per_thread)
    pop, _ = tracker()
    panel = control(pop, ["k"])
    panels.append(panel)
    panel.step()
    assert panel.wait(10.0)
    if per_thread:                                         # ipykernel 7: set in the worker
        (thread, ident, parent, channel), = kernel.parents
        assert thread.startswith("annbook-live") and channel == "shell"
        assert parent["header"]["msg_id"] == "cell-1"
    else:                                                  # ipykernel 6: one global parent
        assert kernel.parents == []


def test_outside_a_kernel_there_is_no_parent_to_capture():
    assert kernel_parent.capture() is None


def test_in_a_real_kernel_the_worker_writes_under_the_cell_that_shows_the_control():
    from jupyter_client import KernelManager
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)

        def run(code):
            msg_id = client.execute(code)
            while True:
                reply = client.get_shell_msg(timeout=120)
                if reply["parent_header"]["msg_id"] == msg_id:
                    assert reply["content"]["status"] == "ok", reply["content"]
                    return msg_id
        shown = run("import annbook as ann\nfrom annbook.widgets import control\n"
                    "pop = ann.Population(3, ann.Neuron(parameters='k = 1.0', equations='r = k'))\n"
                    "ann.compile()\npanel = control(pop, ['k'])\npanel")
        later = run("def talk(first, original=panel._runner.after_chunk):\n"
                    "    print('from the worker')\n    original(first)\n"
                    "panel._runner.after_chunk = talk\npanel.step()\npanel.wait()")
        parents = []
        deadline = time.perf_counter() + 10.0
        while not parents and time.perf_counter() < deadline:
            try:
                message = client.get_iopub_msg(timeout=1)
            except Exception:
                continue
            if message["msg_type"] == "stream" and "from the worker" in message["content"]["text"]:
                parents.append(message["parent_header"]["msg_id"])
        expected = shown if kernel_parent.per_thread_parents() else later
        assert parents and set(parents) == {expected}
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)

"""The live control in a real JupyterLab, in headless Chromium: refresh rate, latencies, speed.

usage: python benchmarks/live_widget.py [--seconds 6] [--screenshot live_widget.png]
                                        [--no-alternative]

Starts its own JupyterLab (temporary root folder, random port and token), opens a notebook
in Chromium through Playwright, runs it (the 1000-neuron Izhikevich network of
benchmarks/spiking.py, ``control(P, ["noise"])``, play), then measures

* plot refreshes per second: frames drawn by the canvas (its ``data-frames`` counter);
* slider latency: arrow keys on the noise slider in the page, then the time from the
  change reaching the kernel to its application between two chunks (``panel.stats``);
* slider release to kernel: the slider dragged with the mouse, from the release of the
  button (the page's clock) to the new value applied in the kernel's state (the kernel's
  clock: the same wall clock of this machine);
* simulation speed while playing, against ``simulate()`` in the same kernel in windows of
  the same length between the playing ones (a shared machine's load weighs on both);
* kernel latency while playing: trivial cells executed through a second kernel client
  (jupyter_client) connected to the notebook's kernel;

and, unless ``--no-alternative``, the refresh rate of the simplest alternative, a
``widgets.Image`` receiving matplotlib PNGs from a thread. A screenshot of the page is
written (default ``live_widget.png`` in the temporary folder, path printed). The server,
the browser and the page actions are those of the browser suite (tests/browser); server,
kernel and browser are stopped at the end. Skips (exit 0, with a message) when Chromium,
JupyterLab or Playwright is missing.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "browser"))
from _common import result  # noqa: E402
from browser_harness import (CHROMIUM, CHROMIUM_ARGS, INSTALL_HINT, JupyterServer,  # noqa: E402
                             missing_requirements)
from lab_page import LabPage  # noqa: E402

DRAGS = 8                      # mouse drags of the slider for the release-to-kernel latency

CELLS = [
    # 0: the network
    f"""import sys, time, json
sys.path.insert(0, {HERE!r})
import numpy as np
import annbook as ann
from spiking import build_izh
np.random.seed(42)
P = build_izh(ann, np)
ann.compile()""",
    # 1: plain simulate() in this kernel, for comparison (called between two playing windows)
    """def thread_cpu():
    # CPU seconds of the live control's worker, of the main thread and of the whole kernel
    import os, threading
    def cpu(tid):
        with open(f"/proc/self/task/{tid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    worker = panel._runner._thread
    return [cpu(worker.native_id) if worker else 0.0, cpu(threading.main_thread().native_id),
            sum(cpu(tid) for tid in os.listdir("/proc/self/task"))]

def plain_speed(seconds):
    started, simulated = time.perf_counter(), ann.get_time()
    while time.perf_counter() - started < seconds:
        ann.simulate(1000.0)
    return (ann.get_time() - simulated) / (time.perf_counter() - started)
plain_speed(0.2)""",
    # 2: the control; `arrivals` notes when each slider value reaches the kernel (the
    # control's own observer, registered first, has just submitted it)
    """from annbook.widgets import control
panel = control(P, parameters=["noise"], window=1000.0)
arrivals = []
panel.sliders["noise"].observe(lambda change: arrivals.append((time.time(), change["new"])),
                               "value")
panel""",
    # 3: play (returns at once)
    "panel.play()",
]

ALTERNATIVE = """# the alternative, run on request (benchmarks/live_widget.py runs it after the measurements)
if globals().get("measure_alternative"):
    import io, threading, ipywidgets as widgets
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    image = widgets.Image(format="png")
    image.add_class("annbook-alternative")
    spikes = ann.Monitor(P[:200], "spike")
    image_frames = [0]

    def render(stop):
        figure, axes = plt.subplots(figsize=(7.2, 2.6), dpi=100)
        shown = np.empty((0, 2))
        while not stop.is_set():
            ann.simulate(33.0)
            times, ranks = spikes.raster_plot()
            now = ann.get_time()
            shown = np.concatenate([shown, np.column_stack([times, ranks])])
            shown = shown[shown[:, 0] > now - 1000.0]
            axes.clear()
            axes.plot(shown[:, 0], shown[:, 1], ".", markersize=1)
            axes.set_xlim(now - 1000.0, now)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png")
            image.value = buffer.getvalue()
            image_frames[0] += 1

    stop = threading.Event()
    threading.Thread(target=render, args=(stop,), daemon=True).start()
    display(image)"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each window")
    parser.add_argument("--screenshot", default=None, help="PNG file of the page while playing")
    parser.add_argument("--no-alternative", action="store_true",
                        help="skip the widgets.Image comparison")
    args = parser.parse_args()
    missing = _missing()
    if missing:
        print(f"live_widget.py: skipped, {'; '.join(missing)}. Install with: {INSTALL_HINT}")
        return
    folder = Path(tempfile.mkdtemp(prefix="annbook-live-"))
    (folder / "root").mkdir()
    _write_notebook(folder / "root" / "live.ipynb", CELLS + [ALTERNATIVE])
    server = JupyterServer("lab", folder / "root", folder / "home", folder / "server.log")
    try:
        server.start()
        figures = _measure(server, folder, args)
    finally:
        server.stop()
    _report(figures)


def _missing():
    missing = missing_requirements("lab")
    for module in ("jupyter_client", "nbformat", "psutil"):
        try:
            __import__(module)
        except ImportError:
            missing.append(f"the Python package '{module}' is not installed")
    return missing


def _write_notebook(path, cells):
    import nbformat
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                   "language": "python"}
    nbformat.write(book, path)


def _measure(server, folder, args):
    from playwright.sync_api import sync_playwright
    figures = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1000})
            page.on("console", lambda message: _console.append(message.text))
            lab = LabPage(page, server).start()
            lab.open("live.ipynb")
            lab.wait_kernel_idle()
            # Connected before it plays: jupyter_client's wait_for_ready() reads IOPub until
            # it is quiet for 0.2 s, which a playing control's frames never let it be.
            kernel = _kernel_client(server)
            _phase("kernel started")
            try:
                page.get_by_role("menuitem", name="Run", exact=True).click()   # Run > Run All
                page.click("li[data-command='runmenu:run-all']")
                try:
                    page.wait_for_selector(".annbook-live-canvas", timeout=120000)
                except Exception:
                    page.screenshot(path=str(folder / "failure.png"), full_page=True)
                    print("no live plot in the page; screenshot", folder / "failure.png",
                          "console:", *_console[-20:], sep="\n  ")
                    raise
                _wait_playing(kernel)
                _phase("playing")
                time.sleep(1.0)                                      # warm up
                figures.update(_refresh_rate(page, kernel, args.seconds))
                _phase("refresh rate and speed measured")
                figures.update(_kernel_latency(kernel, args.seconds))
                figures.update(_slider_latency(page, kernel))
                figures.update(_release_latency(lab, kernel))
                _phase("latencies measured")
                shot = args.screenshot or str(folder / "live_widget.png")
                page.screenshot(path=shot, full_page=True)
                figures["screenshot"] = shot
                _value(kernel, "panel.pause() or panel.wait(10)")
                if not args.no_alternative:
                    figures.update(_alternative(page, kernel, args.seconds))
                    _phase("alternative measured")
            finally:
                kernel.stop_channels()
        finally:
            browser.close()
    return figures


_console = []          # messages of the page's console, shown when something fails
_STARTED = time.perf_counter()


def _phase(name):
    print(f"  [{time.perf_counter() - _STARTED:5.0f} s] {name}", flush=True)


def _kernel_client(server):
    from jupyter_client import BlockingKernelClient
    kernel_id = server.kernels()[0]["id"]
    client = BlockingKernelClient(connection_file=os.path.join(
        server.environment["JUPYTER_RUNTIME_DIR"], f"kernel-{kernel_id}.json"))
    client.load_connection_file()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    return client


def _execute(kernel, code, expression=None, timeout=60):
    """Run code in the notebook's kernel; (seconds to the reply, expression's text)."""
    started = time.perf_counter()
    msg_id = kernel.execute(code, silent=False, store_history=False,
                            user_expressions={"value": expression} if expression else None)
    while True:
        left = timeout - (time.perf_counter() - started)
        if left <= 0:
            raise RuntimeError(f"no reply to {code or expression!r} within {timeout} s")
        reply = kernel.get_shell_msg(timeout=left)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    elapsed = time.perf_counter() - started
    content = reply["content"]
    if content["status"] != "ok":
        raise RuntimeError(f"{code!r} failed in the kernel: {content}")
    if expression is None:
        return elapsed, None
    value = content["user_expressions"]["value"]
    if value["status"] != "ok":
        raise RuntimeError(f"{expression!r} failed in the kernel: {value}")
    return elapsed, value["data"]["text/plain"]


def _value(kernel, expression):
    return json.loads(_execute(kernel, "", f"json.dumps({expression})")[1].strip("'"))


def _wait_playing(kernel):
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            if _value(kernel, "'panel' in globals() and panel.playing"):
                return
        except RuntimeError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the notebook never started playing")


def _refresh_rate(page, kernel, seconds, rounds=2):
    """Playing windows alternating with plain simulate() windows of the same length, so that
    the load of a shared machine weighs on both alike."""
    def sample():
        drawn, received, canvases = page.evaluate(
            "() => { const all = document.querySelectorAll('.annbook-live-canvas');"
            " return [Number(all[0].dataset.frames), Number(all[0].dataset.received), "
            "all.length]; }")
        if canvases != 1:
            raise RuntimeError(f"{canvases} live plots in the page, expected 1")
        kernel_side = _value(kernel, "[ann.get_time(), time.perf_counter(), "
                                     "panel.stats['chunks'], panel.stats['frames_sent']] "
                                     "+ thread_cpu() + [panel.stats['run_seconds'], "
                                     "panel.stats['display_seconds']]")
        return drawn, received, kernel_side, time.perf_counter(), _process_cpu()
    totals = {"wall": 0.0, "kernel_wall": 0.0, "drawn": 0, "received": 0, "chunks": 0,
              "sent": 0, "simulated": 0.0, "worker_cpu": 0.0, "main_cpu": 0.0,
              "kernel_cpu": 0.0, "browser_cpu": 0.0, "server_cpu": 0.0, "run_s": 0.0,
              "display_s": 0.0}
    plain = []
    for round_ in range(rounds):
        if round_:
            _execute(kernel, "panel.play()")
            time.sleep(1.0)
        first = sample()
        time.sleep(seconds)
        last = sample()
        print(f"  window {round_ + 1}: drawn {last[0] - first[0]}, received "
              f"{last[1] - first[1]}, sent {last[2][3] - first[2][3]} in {last[3] - first[3]:.2f} s")
        totals["wall"] += last[3] - first[3]
        totals["kernel_wall"] += last[2][1] - first[2][1]
        totals["drawn"] += last[0] - first[0]
        totals["received"] += last[1] - first[1]
        totals["chunks"] += last[2][2] - first[2][2]
        totals["sent"] += last[2][3] - first[2][3]
        totals["simulated"] += last[2][0] - first[2][0]
        for index, name in ((4, "worker_cpu"), (5, "main_cpu"), (6, "kernel_cpu"),
                            (7, "run_s"), (8, "display_s")):
            totals[name] += last[2][index] - first[2][index]
        for name in ("browser_cpu", "server_cpu"):
            totals[name] += last[4][name] - first[4][name]
        _execute(kernel, "panel.pause(); panel.wait(10)")
        plain.append(float(_execute(kernel, "", f"plain_speed({seconds})")[1]))
    _execute(kernel, "panel.play()")
    time.sleep(1.0)
    playing_speed = totals["simulated"] / totals["kernel_wall"]
    plain_speed = sum(plain) / len(plain)
    return {"fps": totals["drawn"] / totals["wall"],
            "received_fps": totals["received"] / totals["wall"],
            "chunks_per_s": totals["chunks"] / totals["kernel_wall"],
            "sent_fps": totals["sent"] / totals["kernel_wall"],
            "playing_speed": playing_speed, "plain_speed": plain_speed,
            "speed_ratio": playing_speed / plain_speed,
            "cpu_shares": {name[:-4]: totals[name] / totals["kernel_wall"] for name in
                           ("worker_cpu", "main_cpu", "kernel_cpu", "browser_cpu",
                            "server_cpu")},
            "worker_split": {"run": totals["run_s"] / totals["kernel_wall"],
                             "display": totals["display_s"] / totals["kernel_wall"]}}


def _process_cpu():
    """CPU seconds so far of Chromium's processes and of the Jupyter server (without kernel)."""
    import psutil
    cpu = {"browser_cpu": 0.0, "server_cpu": 0.0}
    for process in psutil.Process().children(recursive=True):
        try:
            times = process.cpu_times()
            name = process.name()
            if "chrom" in name:
                cpu["browser_cpu"] += times.user + times.system
            elif "jupyterlab" in " ".join(process.cmdline()):
                cpu["server_cpu"] += times.user + times.system
        except psutil.Error:
            continue
    return cpu


def _kernel_latency(kernel, seconds):
    latencies = []
    deadline = time.perf_counter() + seconds / 2
    while time.perf_counter() < deadline or len(latencies) < 10:
        latencies.append(_execute(kernel, "1 + 1")[0])
        time.sleep(0.05)
    latencies.sort()
    return {"cell_latency_median_s": latencies[len(latencies) // 2],
            "cell_latency_max_s": latencies[-1], "cells": len(latencies)}


def _slider_latency(page, kernel):
    handle = page.locator(".annbook-slider-noise .noUi-handle").first
    before = _value(kernel, "len(panel.stats['applied'])")
    latencies = []
    for _ in range(5):
        handle.focus()
        page.keyboard.press("ArrowRight")
        time.sleep(0.4)
        latencies.append(_value(kernel, "panel.stats['last_change_latency_s']"))
    applied = _value(kernel, "len(panel.stats['applied'])") - before
    state = _value(kernel, "[float(P.noise[0]), panel.sliders['noise'].value]")
    return {"slider_changes": applied, "slider_latency_max_s": max(latencies),
            "slider_state_matches": state[0] == state[1]}


def _release_latency(lab, kernel, drags=DRAGS):
    """The noise slider dragged with the mouse while playing, to alternate ends of its track:
    seconds from the button's release (page clock) to the slider's final value applied in
    the kernel (its arrival, on the kernel's clock, plus the wait for the chunk boundary)."""
    slider = lab.page.locator(".annbook-slider-noise")
    handle = slider.locator(".noUi-handle")
    latencies, in_kernel = [], []
    for drag in range(drags):
        before = _value(kernel, "len(arrivals)")
        released_ms = lab.drag_slider(slider, 0.7 if drag % 2 else 0.3)
        shown = float(handle.get_attribute("aria-valuenow"))
        deadline = time.perf_counter() + 10.0
        while True:
            arrived, value, count, applied, state = _value(
                kernel, "arrivals[-1] + (len(arrivals), panel.stats['last_change_latency_s'], "
                        "float(P.noise[0]))")
            if count > before and value == shown and state == shown:
                break
            if time.perf_counter() > deadline:
                raise RuntimeError(f"the kernel never had the dragged value {shown} (last "
                                   f"received {value}, state {state})")
            time.sleep(0.05)
        applied = _value(kernel, "panel.stats['last_change_latency_s']")   # noted after the state
        latencies.append(arrived + applied - released_ms / 1000.0)
        in_kernel.append(applied)
    return {"release_latency_median_s": statistics.median(latencies),
            "release_latency_max_s": max(latencies), "release_drags": drags,
            "release_in_kernel_median_s": statistics.median(in_kernel)}


def _alternative(page, kernel, seconds):
    _execute(kernel, "measure_alternative = True")
    page.locator(".jp-Notebook .jp-Cell").last.click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_selector(".annbook-alternative", timeout=60000)
    time.sleep(1.0)
    first = _value(kernel, "[ann.get_time(), time.perf_counter(), image_frames[0]]")
    counted = page.evaluate("""() => new Promise(resolve => {
        const image = document.querySelector('.annbook-alternative');
        let loads = 0;
        image.addEventListener('load', () => loads++);
        setTimeout(() => resolve(loads), %d);
    })""" % int(seconds * 1000))
    last = _value(kernel, "[ann.get_time(), time.perf_counter(), image_frames[0]]")
    _execute(kernel, "stop.set()")
    wall = last[1] - first[1]
    return {"image_fps": counted / seconds, "image_kernel_fps": (last[2] - first[2]) / wall,
            "image_speed": (last[0] - first[0]) / wall}


def _report(figures):
    result(bench="live_widget", fps=figures["fps"], playing_speed=figures["playing_speed"],
           plain_speed=figures["plain_speed"], speed_ratio=figures["speed_ratio"],
           slider_latency_max_s=figures["slider_latency_max_s"],
           release_latency_median_s=figures["release_latency_median_s"],
           release_latency_max_s=figures["release_latency_max_s"],
           cell_latency_median_s=figures["cell_latency_median_s"],
           cell_latency_max_s=figures["cell_latency_max_s"],
           image_fps=figures.get("image_fps", -1.0), image_speed=figures.get("image_speed", -1.0))
    checks = [
        ("plot refreshes per second", f"{figures['fps']:.1f}", figures["fps"] >= 20),
        ("slider change applied within (s)", f"{figures['slider_latency_max_s']:.3f}",
         figures["slider_latency_max_s"] < 0.05 and figures["slider_changes"] > 0
         and figures["slider_state_matches"]),
        (f"mouse release to kernel, median / max of {figures['release_drags']} (s)",
         f"{figures['release_latency_median_s']:.3f} / {figures['release_latency_max_s']:.3f}",
         figures["release_latency_max_s"] < 0.1),
        ("speed while playing / plain simulate()", f"{figures['speed_ratio']:.2f}",
         figures["speed_ratio"] >= 0.8),
        ("trivial cell while playing, median / max (s)",
         f"{figures['cell_latency_median_s']:.3f} / {figures['cell_latency_max_s']:.3f}",
         figures["cell_latency_max_s"] < 0.1),
    ]
    print(f"\nlive control on the 1000-neuron Izhikevich network "
          f"(simulate(): {figures['plain_speed'] / 1000:.1f} s simulated per second); "
          f"chunks {figures['chunks_per_s']:.1f}/s, frames sent {figures['sent_fps']:.1f}/s, "
          f"received {figures['received_fps']:.1f}/s, drawn {figures['fps']:.1f}/s")
    shares = figures["cpu_shares"]
    print(f"  CPU while playing (cores): worker {shares['worker']:.2f}, kernel main thread "
          f"{shares['main']:.2f}, whole kernel {shares['kernel']:.2f}, Chromium "
          f"{shares['browser']:.2f}, Jupyter server {shares['server']:.2f}; machine load "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  mouse release to kernel: median {figures['release_latency_median_s'] * 1000:.0f} "
          f"ms, of which {figures['release_in_kernel_median_s'] * 1000:.0f} ms from the value's "
          "arrival in the kernel to its application at a chunk boundary")
    split = figures["worker_split"]
    print(f"  worker's wall time: in run() {split['run']:.0%}, plot and labels "
          f"{split['display']:.0%}, the rest waiting (pauses between windows excluded)")
    for name, value, ok in checks:
        print(f"  {name:48s} {value:>16s}  {'ok' if ok else 'BELOW TARGET'}")
    if figures.get("image_fps") is not None:
        print(f"  alternative, widgets.Image of matplotlib PNGs: {figures['image_fps']:.1f} fps "
              f"drawn, {figures['image_kernel_fps']:.1f} rendered by the kernel, simulation at "
              f"{figures['image_speed'] / 1000:.2f} s per second")
    print(f"  screenshot: {figures['screenshot']}")


if __name__ == "__main__":
    main()

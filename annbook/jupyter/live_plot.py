"""A live plot: a canvas in the browser fed with compact binary frames (an anywidget).

Protocol. The kernel sends ``{"type": "frame", "seq": n, "now": column, "t": ms, ...}``
with binary buffers (``push``); the browser merges each frame into what it shows, draws
at most once per animation frame, and answers ``{"type": "ack", "seq": n}`` for every
``ACK_EVERY``-th frame (and 0.2 s after an unanswered one): the answer acknowledges all
frames up to ``n``. The kernel keeps at most ``IN_FLIGHT`` frames unanswered, and sends
again after ``ACK_TIMEOUT`` seconds without an answer (no front end). So a busy browser
and the Jupyter server's output limits (about 1000 messages or 1 MB per second) are never
overrun, what is recorded meanwhile goes into the next frame, and the browser answers
only a few times per second: each message from the browser makes the kernel publish
busy/idle, which JupyterLab renders (measured: about 35 ms of browser CPU per answer,
against 4 ms per frame received). ``{"type": "clear"}`` empties the plot.

Time runs along ``columns`` pixel columns covering ``window`` ms; a column is the
unit of time of a frame. The front end keeps the last ``columns`` columns.

DOM (for browser tests): the view's root is ``div.annbook-live-plot`` holding
``canvas.annbook-live-canvas``; the canvas carries ``data-frames`` (drawings showing new
data: refreshes), ``data-received`` (frames received), ``data-cleared`` (times emptied)
and ``data-kind``.
"""

import pathlib
import threading
import time

import anywidget
import traitlets

__all__ = ["LivePlot", "ACK_TIMEOUT", "IN_FLIGHT"]

ACK_TIMEOUT = 1.0          # seconds without an answer before the next frame goes anyway
IN_FLIGHT = 16             # frames sent and not yet answered, at most (the script answers
                           # every ACK_EVERY = 8 frames)


class LivePlot(anywidget.AnyWidget):
    """Browser-side canvas drawing a spike raster or traces (min/max per pixel column)."""

    _esm = pathlib.Path(__file__).parent / "static" / "live_plot.js"
    kind = traitlets.Unicode("raster").tag(sync=True)          # 'raster' or 'traces'
    columns = traitlets.Int(640).tag(sync=True)                # pixel columns of time
    height = traitlets.Int(240).tag(sync=True)                 # pixels of the plot area
    window = traitlets.Float(1000.0).tag(sync=True)            # ms shown
    rows = traitlets.Int(0).tag(sync=True)                     # raster: neurons shown
    labels = traitlets.List(traitlets.Unicode()).tag(sync=True)   # traces: one per line
    title = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **traits):
        super().__init__(**traits)
        self._lock = threading.Lock()
        self._sent = 0                  # seq of the last frame sent
        self._acked = 0                 # seq of the last frame the browser answered
        self._heard_at = 0.0            # last answer, or last frame sent on the timeout
        self.on_ack = None              # called (no argument) after each answer
        self.on_msg(self._on_message)

    def ready(self):
        """True when another frame may go: few are unanswered, or an answer is overdue."""
        with self._lock:
            return (self._sent - self._acked < IN_FLIGHT
                    or time.perf_counter() - self._heard_at > ACK_TIMEOUT)

    def push(self, content, buffers):
        """Send one frame (content without its type and seq)."""
        with self._lock:
            now = time.perf_counter()
            if self._sent == self._acked or self._sent - self._acked >= IN_FLIGHT:
                self._heard_at = now            # the wait for an answer starts (again)
            self._sent += 1
            seq = self._sent
        self.send(dict(content, type="frame", seq=seq), buffers)

    def clear(self):
        """Empty the plot in the browser."""
        self.send({"type": "clear"})

    @property
    def frames_sent(self):
        return self._sent

    @property
    def frames_acknowledged(self):
        return self._acked

    def _on_message(self, _, content, buffers):
        if not isinstance(content, dict) or content.get("type") != "ack":
            return
        with self._lock:
            self._acked = max(self._acked, int(content.get("seq", 0)))
            self._heard_at = time.perf_counter()
        if self.on_ack is not None:
            self.on_ack()

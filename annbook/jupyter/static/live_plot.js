// Live plot of annbook: a canvas fed with compact binary frames.
// Protocol and DOM classes: annbook/jupyter/live_plot.py. Every frame received is merged
// into what is shown, drawn at most once per animation frame, and acknowledged in batches
// ({type: "ack", seq} for every ACK_EVERY-th frame, or ACK_DELAY ms after an unanswered
// one): each message to the kernel costs the page far more than a frame received.

const MARGIN = { left: 58, right: 12, top: 22, bottom: 26 };
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
  "#7f7f7f", "#bcbd22", "#17becf"];
const DOT = 0xff2a2a2a;            // raster dot (ABGR in a little-endian Uint32 pixel)
const BACKGROUND = 0xffffffff;
const REDRAW_ON = ["columns", "height", "kind", "rows", "labels", "window", "title"];
const ACK_EVERY = 8;               // frames per answer (the kernel allows 16 unanswered)
const ACK_DELAY = 200;             // ms before a lone unanswered frame is answered

// A typed array over a received buffer (DataView or ArrayBuffer), copied: offsets
// inside the websocket message need not be aligned for the element type.
function typed(buffer, Type) {
  if (buffer instanceof DataView) {
    return new Type(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
  }
  return new Type(buffer.slice ? buffer.slice(0) : buffer);
}

function formatTime(ms) {
  return Math.abs(ms) >= 10000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

function formatValue(value) {
  return Math.abs(value) >= 1000 || (Math.abs(value) < 0.01 && value !== 0)
    ? value.toExponential(2) : value.toPrecision(3);
}

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "annbook-live-plot";
  const canvas = document.createElement("canvas");
  canvas.className = "annbook-live-canvas";
  canvas.dataset.frames = "0";
  canvas.dataset.received = "0";
  canvas.dataset.cleared = "0";
  canvas.style.display = "block";
  root.appendChild(canvas);
  el.appendChild(root);
  const context = canvas.getContext("2d");

  let shown;              // what is on screen, rebuilt by clear()
  let scheduled = false;
  let fresh = false;      // frames arrived since the last drawing
  let unanswered = 0;     // frames received since the last answer
  let newest = 0;         // seq of the newest frame received
  let answerTimer = null;

  function clear() {
    const columns = model.get("columns");
    const traces = Math.max(1, model.get("labels").length);
    canvas.width = columns + MARGIN.left + MARGIN.right;
    canvas.height = model.get("height") + MARGIN.top + MARGIN.bottom;
    canvas.dataset.kind = model.get("kind");
    canvas.dataset.cleared = String(Number(canvas.dataset.cleared) + 1);
    shown = {
      now: 0, t: 0, columns, traces,
      dotColumns: new Float64Array(0), dotRows: new Uint16Array(0), dots: 0,
      slotColumn: new Float64Array(columns).fill(-1),   // traces: a ring of columns
      low: new Float32Array(columns * traces), high: new Float32Array(columns * traces),
    };
    schedule();
  }

  function mergeRaster(frame, buffers) {
    const ages = typed(buffers[0], Uint16Array);
    const rows = typed(buffers[1], Uint16Array);
    const oldest = frame.now - shown.columns;
    const columns = new Float64Array(shown.dots + ages.length);
    const kept = new Uint16Array(shown.dots + ages.length);
    let n = 0;
    for (let i = 0; i < shown.dots; i++) {
      if (shown.dotColumns[i] > oldest) {
        columns[n] = shown.dotColumns[i];
        kept[n++] = shown.dotRows[i];
      }
    }
    for (let i = 0; i < ages.length; i++) {
      columns[n] = frame.now - ages[i];
      kept[n++] = rows[i];
    }
    shown.dotColumns = columns;
    shown.dotRows = kept;
    shown.dots = n;
  }

  function mergeTraces(frame, buffers) {
    const ages = typed(buffers[0], Uint16Array);
    const low = typed(buffers[1], Float32Array);
    const high = typed(buffers[2], Float32Array);
    const { columns, traces } = shown;
    for (let i = 0; i < ages.length; i++) {
      const column = frame.now - ages[i];
      const slot = ((column % columns) + columns) % columns;
      const fresh = shown.slotColumn[slot] !== column;
      shown.slotColumn[slot] = column;
      for (let k = 0; k < traces; k++) {
        const at = slot * traces + k;
        shown.low[at] = fresh ? low[i * traces + k] : Math.min(shown.low[at], low[i * traces + k]);
        shown.high[at] = fresh ? high[i * traces + k] : Math.max(shown.high[at], high[i * traces + k]);
      }
    }
  }

  function drawRaster(width, height) {
    const rows = Math.max(1, model.get("rows"));
    const image = context.createImageData(width, height);
    const pixels = new Uint32Array(image.data.buffer);
    pixels.fill(BACKGROUND);
    const dotHeight = Math.max(1, Math.floor(height / rows));
    for (let i = 0; i < shown.dots; i++) {
      const x = width - 1 - (shown.now - shown.dotColumns[i]);
      if (x < 0 || x >= width) continue;
      const top = Math.floor(shown.dotRows[i] * height / rows);
      for (let y = top; y < Math.min(height, top + dotHeight); y++) pixels[y * width + x] = DOT;
    }
    context.putImageData(image, MARGIN.left, MARGIN.top);
    context.fillStyle = "#333";
    context.textAlign = "right";
    context.fillText("0", MARGIN.left - 4, MARGIN.top + 9);
    context.fillText(String(rows - 1), MARGIN.left - 4, MARGIN.top + height);
  }

  function visibleRange() {
    const { columns, traces, now } = shown;
    let low = Infinity, high = -Infinity;
    for (let slot = 0; slot < columns; slot++) {
      if (shown.slotColumn[slot] <= now - columns) continue;
      for (let k = 0; k < traces; k++) {
        low = Math.min(low, shown.low[slot * traces + k]);
        high = Math.max(high, shown.high[slot * traces + k]);
      }
    }
    if (!Number.isFinite(low)) return [0, 1];
    if (high - low < 1e-12) return [low - 1, high + 1];
    const pad = 0.05 * (high - low);
    return [low - pad, high + pad];
  }

  function drawTraces(width, height) {
    const { columns, traces, now } = shown;
    const [bottom, top] = visibleRange();
    const y = (value) => MARGIN.top + height - ((value - bottom) / (top - bottom)) * height;
    context.lineWidth = 1;
    for (let k = 0; k < traces; k++) {
      context.strokeStyle = COLORS[k % COLORS.length];
      context.beginPath();
      let drawing = false;
      for (let x = 0; x < width; x++) {
        const column = now - (width - 1 - x);
        const slot = ((column % columns) + columns) % columns;
        if (column < 0 || shown.slotColumn[slot] !== column) { drawing = false; continue; }
        const X = MARGIN.left + x + 0.5;
        const low = y(shown.low[slot * traces + k]);
        const high = y(shown.high[slot * traces + k]);
        if (drawing) context.lineTo(X, low); else context.moveTo(X, low);
        context.lineTo(X, high);
        drawing = true;
      }
      context.stroke();
    }
    context.fillStyle = "#333";
    context.textAlign = "right";
    context.fillText(formatValue(top), MARGIN.left - 4, MARGIN.top + 9);
    context.fillText(formatValue(bottom), MARGIN.left - 4, MARGIN.top + height);
    let x = MARGIN.left + width;
    const labels = model.get("labels");
    for (let k = labels.length - 1; k >= 0; k--) {
      context.fillStyle = COLORS[k % COLORS.length];
      context.fillText(labels[k], x, 14);
      x -= context.measureText(labels[k]).width + 10;
    }
  }

  function draw() {
    scheduled = false;
    const width = shown.columns;
    const height = model.get("height");
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.font = "11px sans-serif";
    if (model.get("kind") === "raster") drawRaster(width, height);
    else drawTraces(width, height);
    context.strokeStyle = "#999";
    context.strokeRect(MARGIN.left - 0.5, MARGIN.top - 0.5, width + 1, height + 1);
    context.fillStyle = "#333";
    context.textAlign = "left";
    context.fillText(model.get("title"), MARGIN.left, 14);
    context.fillText(formatTime(Math.max(0, shown.t - model.get("window"))), MARGIN.left,
      MARGIN.top + height + 16);
    context.textAlign = "right";
    context.fillText(`t = ${formatTime(shown.t)}`, MARGIN.left + width, MARGIN.top + height + 16);
    if (fresh) canvas.dataset.frames = String(Number(canvas.dataset.frames) + 1);
    fresh = false;
  }

  function schedule() {
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(draw);
    }
  }

  function answer() {
    clearTimeout(answerTimer);
    answerTimer = null;
    if (unanswered) model.send({ type: "ack", seq: newest });
    unanswered = 0;
  }

  function onMessage(message, buffers) {
    if (message.type === "clear") {
      clear();
      return;
    }
    if (message.type !== "frame") return;
    shown.now = message.now;
    shown.t = message.t;
    if (model.get("kind") === "raster") mergeRaster(message, buffers);
    else mergeTraces(message, buffers);
    canvas.dataset.received = String(Number(canvas.dataset.received) + 1);
    newest = Math.max(newest, message.seq);
    unanswered += 1;
    if (unanswered >= ACK_EVERY) answer();
    else if (answerTimer === null) answerTimer = setTimeout(answer, ACK_DELAY);
    fresh = true;
    schedule();
  }

  model.on("msg:custom", onMessage);
  for (const name of REDRAW_ON) model.on(`change:${name}`, clear);
  clear();
  return () => {
    clearTimeout(answerTimer);
    model.off("msg:custom", onMessage);
    for (const name of REDRAW_ON) model.off(`change:${name}`, clear);
  };
}

export default { render };

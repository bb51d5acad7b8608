"""Rich display of annbook objects in Jupyter: HTML summaries with typeset equations.

The core classes know nothing of Jupyter: ``register(shell)`` adds an HTML
formatter per class to IPython's display formatter (``annbook`` calls it when
it is imported inside IPython, and ``%load_ext annbook`` does too). Equations
are LaTeX between ``\\(`` and ``\\)``, which JupyterLab and Notebook 7 typeset
with MathJax in HTML outputs. Nothing here imports sympy or compiles: the
model's first reading is enough, so a model shows in a few milliseconds.
"""

import html

import numpy as np

from ..core.dendrite import Dendrite
from ..core.monitor import SPIKE_SOURCES, Monitor, recorded_object
from ..core.network import Network
from ..core.neuron import Neuron
from ..core.population import Population
from ..core.projection import Projection
from ..core.synapse import Synapse
from ..core.views import PopulationView
from ..errors import ModelError
from ..parser.latex import expression_latex, statement_latex

__all__ = ["summary", "model_html", "population_html", "view_html", "projection_html", "dendrite_html",
           "monitor_html", "network_html", "register", "unregister"]

_LOCALITY = {"neuron": {"local": "neuron", "global": "population"},
             "synapse": {"local": "synapse", "semiglobal": "post neuron",
                         "global": "projection"}}
_NEURON_EVENTS = ("reset", "axon_reset")
_SYNAPSE_EVENTS = ("pre_spike", "post_spike", "pre_axon_spike")
_CELL = 'style="text-align:left; padding:1px 8px"'


# ---------------------------------------------------------------- small pieces
def _escape(text):
    return html.escape(str(text))


def _code(text):
    return f"<code>{_escape(text)}</code>"


def _math(latex):
    return _escape(r"\(\displaystyle " + latex + r"\)")


def _table(header, rows):
    """A table of HTML cells; ``header`` (plain text) may be None."""
    head = "" if header is None else \
        "<thead><tr>" + "".join(f"<th {_CELL}>{_escape(h)}</th>" for h in header) + "</tr></thead>"
    body = "".join("<tr>" + "".join(f"<td {_CELL}>{cell}</td>" for cell in row) + "</tr>"
                   for row in rows)
    return f"<table>{head}<tbody>{body}</tbody></table>"


def _section(title, content):
    return f'<div style="margin-top:4px"><b>{_escape(title)}</b></div>{content}' if content else ""


def _details(title, content):
    return f"<details><summary>{title}</summary>{content}</details>"


def _box(title, content):
    return f'<div class="annbook-summary">{title}{content}</div>'


def _number(value, digits=10):
    """A value as text: ``digits`` significant digits for floats (values as declared: all)."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.{digits}g}"
    return str(value)


def summary(values):
    """Short text for the values of an attribute: one value, or min / mean / max."""
    values = np.asarray(values).reshape(-1)
    if values.size == 0:
        return "(none)"
    if values.dtype == np.bool_:
        count = int(values.sum())
        return _number(bool(values[0])) if count in (0, values.size) else \
            f"{count} of {values.size} True"
    low, high = values.min(), values.max()
    if low == high:
        return _number(low) if values.size == 1 else f"{_number(low)} (all)"
    return f"{_number(low, 4)} … {_number(high, 4)} (mean {_number(values.mean(), 4)})"


def _formula(latex_of, *text):
    """Typeset math, or the text as code when it cannot be printed as LaTeX."""
    try:
        return _math(latex_of(*text))
    except (ValueError, KeyError, RecursionError):
        return _code(" ".join(text))


# ---------------------------------------------------------------- models
def _attributes_rows(description, kind, values=None):
    rows = []
    for attr in description.attributes:
        if attr.implicit:
            continue
        where = _LOCALITY[kind].get(attr.locality, attr.locality)
        ctype = {"double": "float"}.get(attr.ctype, attr.ctype)
        shown = values(attr) if values else _escape(_number(attr.init))
        rows.append((attr, [_code(attr.name), shown, _escape(where), _escape(ctype)]))
    return rows


def _definitions_html(definitions):
    rows = []
    for d in definitions:
        flags = []
        if d.method:
            flags.append(d.method)
        flags += [f"{bound}={value}" for bound, value in (("min", d.min), ("max", d.max))
                  if value is not None]
        flags += list(d.flags)
        rows.append(f'<tr><td {_CELL} title="{_escape(d.source)}">'
                    f"{_formula(statement_latex, d.lhs, d.op, d.rhs)}</td>"
                    f"<td {_CELL}>{_escape(', '.join(flags))}</td></tr>")
    return f"<table><tbody>{''.join(rows)}</tbody></table>" if rows else ""


def _model_body(model):
    description = model._describe()
    kind = model._kind
    rows = _attributes_rows(description, kind)
    header = ["name", "initial value", "one per", "type"]
    parts = []
    for title, wanted in (("Parameters", "parameter"), ("Variables", "variable")):
        chosen = [cells for attr, cells in rows if attr.kind == wanted]
        if chosen:
            parts.append(_section(title, _table(header, chosen)))
    parts.append(_section("Equations", _definitions_html(description.definitions)))
    if kind == "neuron":
        for name, label in (("spike", "Spike"), ("axon_spike", "Axonal spike")):
            text = getattr(description, name)
            if text:
                parts.append(_section(label, _formula(expression_latex, text)))
        for event in _NEURON_EVENTS:
            parts.append(_section(event.replace("_", " ").capitalize(),
                                  _definitions_html(description.events.get(event, []))))
        if description.refractory is not None:
            period = description.refractory          # ms, or the name of a parameter
            shown = _code(period) if isinstance(period, str) and period.isidentifier() else \
                _escape(_number(period)) + " ms"
            parts.append(_section("Refractory period", shown))
    else:
        if model.psp:
            parts.append(_section("psp", _formula(expression_latex, model.psp)))
        if model.type == "rate" and model.operation != "sum":
            parts.append(_section("Operation", _code(model.operation)))
        for event in _SYNAPSE_EVENTS:
            parts.append(_section(event, _definitions_html(description.events.get(event, []))))
    if description.functions:
        items = [_formula(statement_latex, f"{name}({', '.join(args)})", "=", body)
                 for name, args, body, _ in description.functions]
        parts.append(_section("Functions", "<br>".join(items)))
    return "".join(parts)


def _model_title(model):
    kind = "Spiking" if model.type == "spike" else "Rate-coded"
    title = f"<b>{kind} {model._kind}</b> {_code(model.name)}"
    if model.description:
        title += f": {_escape(model.description)}"
    return title


def model_html(model):
    """A Neuron or Synapse: parameters, variables, equations and events, typeset."""
    try:
        body = _model_body(model)
    except ModelError as error:
        body = (f'<pre style="color:#b00">{_escape(error)}</pre>'
                f"<pre>{_escape(repr(model))}</pre>")
    return _box(_model_title(model), body)


# ---------------------------------------------------------------- network objects
def _compiled(network):
    if not network.compiled:
        return "not compiled yet"
    info = network.last_compile or {}
    how = "built" if info.get("built") else "loaded from the cache"
    return f"compiled ({how} in {info.get('seconds', 0.0):.2f} s)"


def _state_rows(description, kind, state, ranks=None):
    def values(attr):
        array = state[attr.name]
        if ranks is not None and attr.locality == "local":
            array = array[ranks]
        return _escape(summary(array))
    return [cells for _, cells in _attributes_rows(description, kind, values)]


def _state_table(owner, ranks=None):
    rows = _state_rows(owner._description, owner._description.kind, owner._state, ranks)
    return _table(["name", "value", "one per", "type"], rows) if rows else ""


def population_html(population):
    """A Population: size, geometry, model, state of every attribute, compile state."""
    neuron = population.neuron_type
    kind = "spiking" if neuron.type == "spike" else "rate-coded"
    facts = [f"{population.size} {kind} neurons",
             "geometry " + _escape(population.geometry),
             "model " + _code(neuron.name), _compiled(population._network)]
    if population.targets:
        facts.append("receives " + ", ".join(_code(t) for t in population.targets))
    if not population.enabled:
        facts.append("<b>disabled</b>")
    title = f"<b>Population</b> {_code(population.name)}: " + ", ".join(facts)
    return _box(title, _state_table(population) +
                _details(f"model {_code(neuron.name)}", model_html(neuron)))


def _ranks_text(ranks):
    ranks = np.asarray(ranks).reshape(-1)
    if ranks.size and np.all(np.diff(ranks) == 1):
        return f"ranks {ranks[0]}–{ranks[-1]}"
    shown = ", ".join(str(r) for r in ranks[:8])
    return f"ranks {shown}" + (", …" if ranks.size > 8 else "")


def view_html(view):
    """A PopulationView: which neurons of which population, and their values."""
    population = view.population
    title = (f"<b>PopulationView</b> of {_code(population.name)}: {view.size} of "
             f"{population.size} neurons ({_escape(_ranks_text(view.ranks))}), model "
             f"{_code(population.neuron_type.name)}")
    return _box(title, _state_table(population, view.ranks))


def _connectivity_rows(projection):
    c = projection._connectivity
    fan_in = np.diff(c.row_ptr)
    fan_out = np.bincount(c.pre_ranks, minlength=projection.pre.population.size)
    fan_out = fan_out[np.asarray(projection.pre.ranks).reshape(-1)]
    rows = [("synapses", _number(c.nb_synapses)),
            ("post neurons reached", f"{c.size} of {projection.post.size}"),
            ("synapses per post neuron", summary(fan_in)),
            ("synapses per pre neuron", summary(fan_out))]
    dt = projection._network.dt
    if projection.uniform_delay:
        delays = f"{_number(projection._delay[0] * dt)} ms (all)"
    else:
        delays = summary(projection._delay * dt) + " ms, one per synapse"
    rows.append(("delays", delays))
    return [[_escape(a), _escape(b)] for a, b in rows]


def projection_html(projection):
    """A Projection: pre, post, target, synapse model, connectivity and synaptic state."""
    synapse = projection.synapse_type
    title = (f"<b>Projection</b> {_code(projection.name)}: {_code(projection.pre.name)} → "
             f"{_code(projection.post.name)}, target "
             + ", ".join(_code(t) for t in projection._targets)
             + f", synapse {_code(synapse.name)}, {_compiled(projection._network)}")
    if projection._description.plastic:
        title += ", learning " + ("on" if projection._flags[3] else "off")
    if getattr(projection, "_shared", None) is not None:     # extensions.convolution
        rows = [[_escape(a), _escape(b)] for a, b in projection._summary_rows()]
        return _box(title, _section("Connectivity", _table(None, rows))
                    + _details("synapse model", model_html(synapse)))
    if projection._connectivity is None:
        return _box(title, "<div>not connected yet: call one of its <code>connect_*</code> "
                           "methods</div>" + _details("synapse model", model_html(synapse)))
    body = _section("Connectivity", _table(None, _connectivity_rows(projection)))
    body += _section("Synaptic attributes", _state_table(projection))
    return _box(title, body + _details(f"synapse model {_code(synapse.name)}",
                                       model_html(synapse)))


def dendrite_html(dendrite):
    """A Dendrite: the synapses of one projection onto one post neuron."""
    projection = dendrite.proj
    title = (f"<b>Dendrite</b> of {_code(projection.name)} onto neuron {dendrite.post_rank}: "
             f"{dendrite.size} synapses from {_code(projection.pre.name)} "
             f"({_escape(_ranks_text(dendrite.pre_ranks))})")
    state = {name: dendrite._values(name) for name in projection._state}
    rows = _state_rows(projection._description, "synapse", state)
    return _box(title, _table(["name", "value", "one per", "type"], rows))


def _recorded(monitor, variable):
    chunks = monitor._chunks.get(variable, [])
    count = int(sum(len(chunk) for chunk in chunks))
    return f"{count} spikes" if variable in SPIKE_SOURCES else f"{count} samples"


def monitor_html(monitor):
    """A Monitor: what it records, how often, and how much it holds."""
    state = "recording" if monitor._recording else "paused"
    title = (f"<b>Monitor</b> of {_escape(recorded_object(monitor.object))}: every "
             f"{_number(monitor.period)} ms, {state}")
    rows = [[_code(v), _escape(_recorded(monitor, v))] for v in monitor.variables]
    return _box(title, _table(["variable", "recorded so far"], rows) if rows else
                "<div>records nothing</div>")


def network_html(network):
    """A Network: its populations, projections and monitors, clock and compile state."""
    title = (f"<b>Network</b> {network.id}{' (the global network)' if network.id == 0 else ''}"
             f": dt = {_number(network.dt)} ms, t = {_number(network.get_time())} ms, "
             f"{_compiled(network)}")
    populations = [[_code(p.name), _escape(p.size), _escape(p.geometry),
                    _code(p.neuron_type.name),
                    "spiking" if p.neuron_type.type == "spike" else "rate-coded"]
                   for p in network.populations]
    projections = [[_code(p.name), f"{_code(p.pre.name)} → {_code(p.post.name)}",
                    ", ".join(_code(t) for t in p._targets), _code(p.synapse_type.name),
                    _escape(p.nb_synapses)] for p in network.projections]
    monitors = [[_escape(recorded_object(m.object)), _escape(", ".join(m.variables)),
                 _escape(_number(m.period))] for m in network.monitors]
    body = _section("Populations", _table(["name", "size", "geometry", "model", "type"],
                                          populations) if populations else "")
    body += _section("Projections", _table(["name", "from → to", "target", "synapse",
                                            "synapses"], projections) if projections else "")
    body += _section("Monitors", _table(["of", "variables", "period (ms)"], monitors)
                     if monitors else "")
    return _box(title, body or "<div>empty</div>")


# ---------------------------------------------------------------- IPython
FORMATTERS = {Neuron: model_html, Synapse: model_html, Population: population_html,
              PopulationView: view_html, Projection: projection_html, Dendrite: dendrite_html,
              Monitor: monitor_html, Network: network_html}


def register(shell):
    """Add the HTML formatters to an IPython shell (idempotent)."""
    formatter = shell.display_formatter.formatters["text/html"]
    for cls, function in FORMATTERS.items():
        formatter.for_type(cls, function)


def unregister(shell):
    """Remove what ``register`` added."""
    formatter = shell.display_formatter.formatters["text/html"]
    for cls in FORMATTERS:
        formatter.type_printers.pop(cls, None)

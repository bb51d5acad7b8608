"""What report() says about a network, before it becomes LaTeX or Markdown.

The sections follow Nordlie, Gewaltig & Plesser (2009), "Towards reproducible descriptions of
neuronal network models" (PLoS Comput Biol 5(8): e1000456), as the reference's report does:
summary, populations, connectivity, neuron and synapse models, parameters, inputs,
measurements. Equations come from the models' parsed statements (``parser/latex.py`` prints
their syntax trees), values from the network's current state.

A table cell is a list of fragments, ``(TEXT, str)`` or ``(MATH, latex)``; the renderers
escape text and put math in their own delimiters.
"""

from dataclasses import dataclass, field

import numpy as np

from .. import __version__
from ..config import config
from ..core.constant import _constants
from ..core.functions import global_functions
from ..core.monitor import recorded_object
from ..core.random import RandomDistribution
from ..errors import ModelError
from ..inputs import (CurrentInjection, DecodingProjection, HomogeneousCorrelatedSpikeTrains,
                      InputArray, PoissonPopulation, SpikeSourceArray, TimedArray,
                      TimedPoissonPopulation)
from ..parser.latex import expression_latex, name_latex, statement_latex

__all__ = ["TEXT", "MATH", "Statement", "Attribute", "Model", "Report", "collect"]

TEXT, MATH = "text", "math"
INPUT_POPULATIONS = (PoissonPopulation, TimedPoissonPopulation, HomogeneousCorrelatedSpikeTrains,
                     SpikeSourceArray, InputArray, TimedArray)
INPUT_PROJECTIONS = (CurrentInjection, DecodingProjection)
_LOCALITY = {"neuron": {"local": "per neuron", "global": "per population"},
             "synapse": {"local": "per synapse", "semiglobal": "per post-synaptic neuron",
                         "global": "per projection"}}
_TYPES = {"double": "float", "int": "int", "bool": "bool"}
# connector name -> (pattern, [(argument, its words; {} stands for the value)])
_PATTERNS = {
    "all_to_all": ("all-to-all", []),
    "one_to_one": ("one-to-one", []),
    "fixed_probability": ("random", [("probability", "probability {}")]),
    "fixed_number_pre": ("random convergent", [("number", "{} pre-synaptic neurons per post "
                                                          "neuron")]),
    "fixed_number_post": ("random divergent", [("number", "{} post-synaptic neurons per pre "
                                                           "neuron")]),
    "gaussian": ("Gaussian", [("amp", "amplitude {}"), ("sigma", "width {}"),
                              ("limit", "cut below {}")]),
    "dog": ("difference of Gaussians", [("amp_pos", "amplitude {} (+)"),
                                        ("sigma_pos", "width {} (+)"),
                                        ("amp_neg", "amplitude {} (-)"),
                                        ("sigma_neg", "width {} (-)"),
                                        ("limit", "cut below {}")]),
    "from_matrix": ("from a dense matrix", []),
    "from_sparse": ("from a sparse matrix", []),
    "from_matrix_market": ("from a Matrix Market file", [("filename", "file {}")]),
    "from_file": ("from a connectivity file", [("filename", "file {}")]),
    "with_func": ("user-defined", []),
}


def text(value):
    return [(TEXT, str(value))]


def math(latex):
    return [(MATH, latex)]


def joined(cells, separator=", "):
    """One cell from several, with a text separator between them."""
    out = []
    for k, cell in enumerate(cells):
        if k:
            out.append((TEXT, separator))
        out.extend(cell)
    return out


@dataclass
class Statement:
    """An equation, condition or function: LaTeX when it can be printed, the text otherwise."""

    latex: str             # None when the printer cannot print it
    source: str
    notes: list = field(default_factory=list)


@dataclass
class Attribute:
    name: str
    symbol: str            # LaTeX
    locality: str          # words: "per neuron", ...
    ctype: str
    init: list             # a cell


@dataclass
class Model:
    """A neuron or synapse model as the report presents it."""

    name: str
    kind: str              # 'neuron' or 'synapse'
    spiking: bool
    description: str
    used_by: list
    parameters: list
    variables: list
    equations: list        # Statements
    sections: list         # (title, [Statement]): spike, reset, psp, events...
    functions: list        # Statements
    plastic: bool = False  # a synapse that changes more than its target's input


@dataclass
class Report:
    title: str
    author: str
    date: str
    facts: list            # (label, text): simulator, time step, precision
    summary: list          # (label, text)
    populations: list      # rows of cells
    projections: list
    neurons: list          # Models
    synapses: list
    constants: list
    functions: list        # Statements
    population_parameters: list   # (population name, [(symbol cell, value cell)])
    projection_parameters: list
    inputs: list
    monitors: list


# ---------------------------------------------------------------- equations and values
def _statement(lhs, op, rhs, notes=()):
    try:
        latex = statement_latex(lhs, op, rhs)
    except (ValueError, KeyError, RecursionError):
        latex = None
    return Statement(latex, f"{lhs} {op} {rhs}", list(notes))


def _condition(source, notes=()):
    try:
        latex = expression_latex(source)
    except (ValueError, KeyError, RecursionError):
        latex = None
    return Statement(latex, source, list(notes))


def _number(value):
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return repr(float(value))


def value_cell(value):
    """A value of a parameter or connector argument: number, distribution, constant, range."""
    if isinstance(value, RandomDistribution):
        shown = _condition(repr(value))
        return math(shown.latex) if shown.latex else text(repr(value))
    if isinstance(value, str):                 # a Constant's name, a file name
        return text(value)
    values = np.asarray(value).reshape(-1)
    if values.size == 0:
        return text("none")
    if values.size == 1 or np.all(values == values[0]):
        return text(_number(values[0]))
    if values.dtype == np.bool_:
        return text(f"{int(values.sum())} of {values.size} True")
    return text(f"{_number(values.min())} to {_number(values.max())}")


def _init_cell(attr):
    if isinstance(attr.init, str):
        return math(name_latex(attr.init))
    return text(_number(attr.init))


# ---------------------------------------------------------------- models
def _attributes(description, kind, wanted):
    chosen = []
    for attr in description.attributes:
        if attr.kind != wanted or attr.implicit or not attr.source:
            continue          # implied by annbook (w of a synapse, r of a spiking neuron)
        chosen.append(Attribute(attr.name, name_latex(attr.name),
                                _LOCALITY[kind].get(attr.locality, attr.locality),
                                _TYPES.get(attr.ctype, attr.ctype), _init_cell(attr)))
    return chosen


def _definition_notes(definition, method):
    notes = [f"{bound} {value}" for bound, value in (("min", definition.min),
                                                     ("max", definition.max)) if value]
    if definition.form == "ode":
        notes.append(f"{definition.method or method} method")
    return notes + list(definition.flags)


def _statements(definitions, method=None):
    """Statements of equations (``method``: the model's default numerical method) or events."""
    return [_statement(d.lhs, d.op, d.rhs, _definition_notes(d, method)) for d in definitions]


def _neuron_sections(description):
    sections = []
    if description.spike:
        sections.append(("Spike emitted when", [_condition(description.spike)]))
    if description.events.get("reset"):
        sections.append(("After a spike", _statements(description.events["reset"])))
    if description.refractory is not None:
        period = description.refractory
        shown = _condition(period) if isinstance(period, str) else \
            Statement(_number(period) + r"\ \mathrm{ms}", f"{period} ms")
        sections.append(("Refractory period", [shown]))
    if description.axon_spike:
        sections.append(("Axonal spike emitted when", [_condition(description.axon_spike)]))
    if description.events.get("axon_reset"):
        sections.append(("After an axonal spike", _statements(description.events["axon_reset"])))
    return sections


def _structural(text_value):
    """A pruning or creating condition with its flags (``x < 0.1 : proba=0.5``)."""
    condition, _, flags = str(text_value).partition(":")
    return _condition(condition.strip(), [f.strip() for f in flags.split(",") if f.strip()])


def _synapse_sections(model, description):
    sections = []
    if model.psp:
        label = "Weighted sum (psp)" if model.type == "rate" else "Continuous input (psp)"
        sections.append((label, [_condition(model.psp)]))
    if model.type == "rate" and model.operation != "sum":
        sections.append(("Operation", [Statement(r"\mathrm{" + model.operation + "}",
                                                 model.operation)]))
    for event, label in (("pre_spike", "Pre-synaptic event"),
                         ("post_spike", "Post-synaptic event"),
                         ("pre_axon_spike", "Pre-synaptic axonal event")):
        if description.events.get(event):
            sections.append((label, _statements(description.events[event])))
    for name, label in (("pruning", "Pruning condition"), ("creating", "Creating condition")):
        if getattr(model, name, None):
            sections.append((label, [_structural(getattr(model, name))]))
    return sections


def _functions(entries):
    return [_statement(f"{name}({', '.join(args)})", "=", body) for name, args, body, _ in entries]


def _model(model, used_by):
    description = model._describe()
    kind = model._kind
    sections = _neuron_sections(description) if kind == "neuron" else \
        _synapse_sections(model, description)
    return Model(model.name, kind, model.type == "spike", model.description or "", used_by,
                 _attributes(description, kind, "parameter"),
                 _attributes(description, kind, "variable"),
                 _statements(description.definitions, model._method or "explicit"), sections,
                 _functions(description.functions),
                 plastic=kind == "synapse" and description.plastic)


def _distinct_models(owners, model_of):
    """[(model, [names of owners])] in the order of first use."""
    seen = {}
    for owner in owners:
        model = model_of(owner)
        seen.setdefault(id(model), (model, []))[1].append(owner.name)
    return list(seen.values())


def _is_default_synapse(projection):
    return projection.synapse_type.name == "-"


# ---------------------------------------------------------------- network objects
def _side(obj):
    population = obj.population
    if obj is population:
        return population.name
    return f"{population.name} ({obj.size} of {population.size} neurons)"


def _size(population):
    geometry = population.geometry
    if len(geometry) == 1:
        return str(population.size)
    return f"{population.size} ({' x '.join(str(g) for g in geometry)})"


def _synapse_name(projection):
    if isinstance(projection, INPUT_PROJECTIONS):
        return type(projection).__name__
    return "default" if _is_default_synapse(projection) else projection.synapse_type.name


def pattern_cell(projection):
    """How a projection was connected: the pattern, its arguments, weights and delays."""
    if projection._connector is None:
        return text("not connected")
    name, args = projection._connector
    pattern, arguments = _PATTERNS.get(name, (name.replace("_", " "), []))
    parts = [text(pattern)]
    if name == "with_func":
        method = args.get("method")
        parts = [text(f"user-defined ({getattr(method, '__name__', 'a function')})")]
    for key, words in arguments + [("weights", "weights {}"), ("delays", "delays {} ms")]:
        if key in args and not (key in ("weights", "delays") and
                                name in ("from_matrix", "from_sparse")):
            before, _, after = words.partition("{}")
            parts.append(text(before) + value_cell(args[key]) + text(after))
    if args.get("allow_self_connections"):
        parts.append(text("self-connections allowed"))
    return joined(parts)


def _gathered(projections, gather):
    """Groups of projections; with ``gather``, those between the same populations for the
    same target and synapse model form one group (sub-projections of views)."""
    if not gather:
        return [[p] for p in projections]
    groups = {}
    for p in projections:
        key = (id(p.pre.population), id(p.post.population), tuple(p._targets),
               p.synapse_type._structure())
        groups.setdefault(key, []).append(p)
    return list(groups.values())


def _projection_row(group):
    first = group[0]
    if len(group) == 1:
        pre, post = _side(first.pre), _side(first.post)
    else:
        pre, post = first.pre.population.name, first.post.population.name
    synapses = sum(p.nb_synapses for p in group)
    pattern = pattern_cell(first)
    if len(group) > 1:
        pattern = joined([pattern, text(f"{len(group)} sub-projections")], "; ")
    return [text(pre), text(post), text(" / ".join(first._targets)), text(_synapse_name(first)),
            pattern, text(synapses)]


def _projection_label(group):
    first = group[0]
    return (f"{first.name}: {first.pre.population.name} → {first.post.population.name} "
            f"({' / '.join(first._targets)})")


def _parameter_rows(owner):
    rows = []
    for attr in owner._description.attributes:
        if attr.kind == "parameter" and attr.name != "w" and attr.name in owner._state:
            rows.append((math(name_latex(attr.name)), value_cell(owner._state[attr.name])))
    return rows


def _monitored(monitor):
    return recorded_object(monitor.object)


def _monitor_row(monitor):
    return [text(_monitored(monitor)), text(", ".join(monitor.variables) or "nothing"),
            text(f"{_number(monitor.period)} ms")]


def _input_row(population):
    doc = (type(population).__doc__ or "").strip().splitlines()
    return [text(population.name), text(type(population).__name__),
            text(doc[0] if doc else ""), text(_size(population))]


def collect(network, gather_subprojections=False, title=None, author=None, date=None):
    """The Report of a network (global functions and constants included)."""
    populations = list(network.populations)
    neurons = [p for p in populations if not isinstance(p, INPUT_POPULATIONS)]
    inputs = [p for p in populations if isinstance(p, INPUT_POPULATIONS)]
    projections = list(network.projections)
    modelled = [p for p in projections if not isinstance(p, INPUT_PROJECTIONS)
                and not _is_default_synapse(p)]
    groups = _gathered(projections, gather_subprojections)
    try:
        neuron_models = [_model(m, users) for m, users in
                         _distinct_models(neurons, lambda p: p.neuron_type)]
        synapse_models = [_model(m, users) for m, users in
                          _distinct_models(modelled, lambda p: p.synapse_type)]
    except ModelError as error:
        raise type(error)(f"report(): {error}") from None
    plastic = [m.name for m in synapse_models if m.plastic]
    patterns = sorted({_PATTERNS.get(p._connector[0], (p._connector[0],))[0]
                       for p in projections if p._connector is not None})
    summary = [
        ("Populations", f"{len(populations)}: " + ", ".join(p.name for p in populations)
         if populations else "none"),
        ("Topology", "---"),
        ("Connectivity", ", ".join(patterns) or "---"),
        ("Neuron models", ", ".join(m.name for m in neuron_models) or "---"),
        ("Synapse models", ", ".join(m.name for m in synapse_models) or "---"),
        ("Plasticity", ", ".join(plastic) or "---"),
        ("Input", ", ".join(sorted({type(p).__name__ for p in inputs})) or "---"),
        ("Measurements", ", ".join(f"{_monitored(m)} ({', '.join(m.variables)})"
                                   for m in network.monitors) or "---"),
    ]
    facts = [("Simulator", f"annbook {__version__} (the ANNarchy 4.8.2 API)"),
             ("Time step", f"{_number(network.dt)} ms"),
             ("Precision", "single (float)" if config["precision"] == "float" else "double")]
    return Report(
        title=title or "Network description", author=author or "", date=date or "",
        facts=facts, summary=summary,
        populations=[[text(p.name), text(type(p).__name__ if isinstance(p, INPUT_POPULATIONS)
                                         else p.neuron_type.name), text(_size(p))]
                     for p in populations],
        projections=[_projection_row(g) for g in groups],
        neurons=neuron_models, synapses=synapse_models,
        constants=[(math(name_latex(name)), text(_number(c.value)))
                   for name, c in sorted(_constants.items())],
        functions=_functions(global_functions()),
        population_parameters=[(p.name, _parameter_rows(p)) for p in populations
                               if _parameter_rows(p)],
        projection_parameters=[(_projection_label(g), _parameter_rows(g[0])) for g in groups
                               if _parameter_rows(g[0])],
        inputs=[_input_row(p) for p in inputs],
        monitors=[_monitor_row(m) for m in network.monitors])


"""First reading of a model: names, kinds, flags and initial values.

This stage needs no sympy: it is what Python needs to allocate the arrays of
a population, and what the build cache hashes. The expressions themselves are
analysed later (``analysis.py``), only when code has to be generated.
"""

import re
from dataclasses import dataclass, field

from ..errors import ModelError
from .statements import split_statements

__all__ = ["Attribute", "Definition", "ModelDescription", "describe"]

METHODS = {"explicit": "explicit", "euler": "explicit", "implicit": "implicit",
           "semiimplicit": "semiimplicit", "exponential": "exponential",
           "midpoint": "midpoint", "rk4": "rk4", "runge-kutta4": "rk4",
           "event-driven": "event-driven", "exact": "event-driven"}
TYPES = {"int", "bool", "float"}
LOCALITIES = {"neuron": {"population": "global"},
              "synapse": {"projection": "global", "postsynaptic": "semiglobal"}}
VALUED_FLAGS = {"init", "min", "max"}
OTHER_FLAGS = {"unless_post", "unless_refractory"}

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_ODE = re.compile(r"\bd\s*(" + _NAME + r")\s*/\s*dt\b")
_ASSIGN = re.compile(r"^\s*(" + _NAME + r")\s*(\+=|-=|\*=|/=|=)(?!=)\s*(.*)$", re.S)
_PARAM = re.compile(r"^\s*(" + _NAME + r")\s*=\s*(.+)$", re.S)
RESERVED = {"t", "dt", "pi", "sum", "if", "else", "and", "or", "not", "is", "True",
            "False", "ite", "pre", "post", "pos", "positive", "neg", "negative", "clip",
            "modulo", "fabs", "power", "round"}


@dataclass
class Attribute:
    """A parameter or variable of a model."""

    name: str
    kind: str                 # 'parameter' or 'variable'
    locality: str = "local"   # 'local', 'global' ('population'/'projection'), 'semiglobal'
    ctype: str = "double"     # 'double', 'int' or 'bool'
    init: object = 0.0        # number, bool, or the name of a Constant
    source: str = ""
    implicit: bool = False    # a conductance g_x used but not declared: zeroed every step
    min: object = None        # parameters: declared bounds (number or Constant name), for
    max: object = None        # tools such as sliders; assignments are not clamped (as the reference)


@dataclass
class Definition:
    """One line of ``equations``: an ODE, an assignment or an in-place update."""

    target: str
    form: str                  # 'ode', 'assign'
    op: str                    # '=', '+=', '-=', '*=', '/=' (ODEs: '=')
    lhs: str
    rhs: str
    method: str = None         # numerical method flag, None = default
    min: str = None
    max: str = None
    source: str = ""
    flags: tuple = ()          # event statements: 'unless_post'


@dataclass
class ModelDescription:
    """Everything known about a model without parsing its expressions."""

    name: str
    kind: str                                    # 'neuron' or 'synapse'
    attributes: list = field(default_factory=list)
    definitions: list = field(default_factory=list)
    functions: list = field(default_factory=list)    # (name, args, body, source)
    spike: str = None                            # spiking neurons: condition text
    axon_spike: str = None                       # condition of an axonal spike (no reset)
    refractory: object = None                    # number (ms) or attribute name
    events: dict = field(default_factory=dict)   # 'reset', 'pre_spike', ... -> [Definition]
    schedule: bool = False                       # spikes at given steps (SpikeSourceArray)
    timed: tuple = ()                            # attributes replayed from a table (TimedArray...)

    def attribute(self, name):
        for attr in self.attributes:
            if attr.name == name:
                return attr
        return None

    def structure(self):
        """Everything of the model that reaches generated code (no values, no init)."""
        lines = [f"{a.name}:{a.kind}:{a.locality}:{a.ctype}" for a in self.attributes]
        lines += [f"{d.target}|{d.form}|{d.op}|{d.lhs}|{d.rhs}|{d.method}|{d.min}|{d.max}"
                  for d in self.definitions]
        lines += [f"{name}({','.join(args)})={body}" for name, args, body, _ in self.functions]
        lines += [f"spike={self.spike}", f"axon_spike={self.axon_spike}",
                  f"refractory={self.refractory}",
                  f"schedule={self.schedule}", f"timed={self.timed}"]
        for event, definitions in sorted(self.events.items()):
            lines += [f"{event}:{d.target}|{d.op}|{d.rhs}|{d.flags}" for d in definitions]
        return "\n".join(lines)

    @property
    def parameters(self):
        return [a.name for a in self.attributes if a.kind == "parameter"]

    @property
    def variables(self):
        return [a.name for a in self.attributes if a.kind == "variable"]


def _parse_value(model, text, line, constants):
    """A parameter value or init: a number, True/False, or a Constant's name."""
    text = text.strip()
    if text in ("True", "False"):
        return text == "True"
    try:
        value = float(text)
    except ValueError:
        if text in constants:
            return text
        raise ModelError(model, f"the value '{text}' is not a number, True/False or a Constant",
                         line, "a number (e.g. 10.0), True/False, or the name of a Constant") from None
    return value


def _read_flags(model, kind_of_model, flags, line, constants, allow_method):
    """Sort a flag list into (locality, ctype, method, valued dict, others)."""
    locality, ctype, method, valued, others = "local", None, None, {}, set()
    localities = LOCALITIES[kind_of_model]
    for flag in flags:
        if "=" in flag:
            key, value = (p.strip() for p in flag.split("=", 1))
            if key not in VALUED_FLAGS:
                raise ModelError(model, f"unknown flag '{flag}'", line,
                                 "flags such as init=..., min=..., max=...")
            valued[key] = value
        elif flag in localities:
            locality = localities[flag]
        elif flag in TYPES:
            ctype = "double" if flag == "float" else flag
        elif flag in METHODS:
            if not allow_method:
                raise ModelError(model, f"the flag '{flag}' (numerical method) only applies to ODEs",
                                 line, "a method flag after an equation of the form dx/dt = ...")
            method = METHODS[flag]
        elif flag in OTHER_FLAGS:
            others.add(flag)
        else:
            known = sorted(set(localities) | TYPES | set(METHODS) | OTHER_FLAGS)
            raise ModelError(model, f"unknown flag '{flag}'", line,
                             "one of " + ", ".join(known) + ", init=..., min=..., max=...")
    return locality, ctype or "double", method, valued, others


def _parse_parameters(desc, text, constants):
    for st in split_statements(text):
        match = _PARAM.match(st.text)
        if not match:
            raise ModelError(desc.name, "a parameter must be written 'name = value'", st.source,
                             "for example 'tau = 10.0 : population'")
        name, value = match.group(1), match.group(2)
        if name in RESERVED:
            raise ModelError(desc.name, f"'{name}' is a reserved name and cannot be a parameter",
                             st.source, "another name")
        if desc.attribute(name):
            raise ModelError(desc.name, f"'{name}' is declared twice", st.source,
                             "each parameter and variable declared once")
        locality, ctype, _, valued, _ = _read_flags(desc.name, desc.kind, st.flags, st.source,
                                                    constants, allow_method=False)
        init = _parse_value(desc.name, value, st.source, constants)
        if "init" in valued:
            init = _parse_value(desc.name, valued["init"], st.source, constants)
        if isinstance(init, bool) and ctype == "double" and "bool" not in st.flags:
            ctype = "bool"
        bounds = {key: _parse_value(desc.name, valued[key], st.source, constants)
                  for key in ("min", "max") if key in valued}
        desc.attributes.append(Attribute(name, "parameter", locality, ctype, init, st.source,
                                         **bounds))


def _parse_equation(desc, st, constants):
    lhs_rhs = _split_equal(st.text)
    if lhs_rhs is None:
        raise ModelError(desc.name, "an equation needs a left side and a right side", st.source,
                         "'x = expression', 'x += expression' or 'tau * dx/dt = expression'")
    lhs, op, rhs = lhs_rhs
    odes = _ODE.findall(lhs)
    if _ODE.search(rhs):
        raise ModelError(desc.name, "a derivative may only appear on the left side", st.source,
                         "'dx/dt' left of '='")
    if odes:
        if len(set(odes)) > 1:
            raise ModelError(desc.name, "only one variable may carry the gradient", st.source,
                             "one 'dx/dt' per equation")
        if op != "=":
            raise ModelError(desc.name, f"'{op}' cannot be used with an ODE", st.source,
                             "'dx/dt = expression'")
        return odes[0], "ode", op, lhs, rhs
    name = lhs.strip()
    if not re.fullmatch(_NAME, name):
        raise ModelError(desc.name, f"the left side '{lhs.strip()}' is not a single variable",
                         st.source, "'x = expression' or an ODE such as 'tau * dx/dt = expression'")
    return name, "assign", op, lhs, rhs


def _split_equal(text):
    """Split 'lhs op rhs' on the first assignment operator outside parentheses."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and ch == "=":
            prev = text[i - 1] if i else ""
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if nxt == "=" or prev in "=!<>":
                continue
            if prev in "+-*/":
                return text[:i - 1], prev + "=", text[i + 1:]
            return text[:i], "=", text[i + 1:]
    return None


def _parse_equations(desc, text, constants):
    for st in split_statements(text):
        target, form, op, lhs, rhs = _parse_equation(desc, st, constants)
        if target in RESERVED:
            raise ModelError(desc.name, f"'{target}' is a reserved name and cannot be a variable",
                             st.source, "another name")
        locality, ctype, method, valued, _ = _read_flags(
            desc.name, desc.kind, st.flags, st.source, constants, allow_method=(form == "ode"))
        existing = desc.attribute(target)
        if existing is not None and existing.kind == "parameter":
            what = "an ODE" if form == "ode" else "an equation"
            raise ModelError(desc.name, f"'{target}' is a parameter and cannot be the subject of {what}",
                             st.source, f"declare '{target}' in equations only, or remove this line")
        if existing is None:
            init = _parse_value(desc.name, valued["init"], st.source, constants) \
                if "init" in valued else 0.0
            if isinstance(init, bool) and ctype == "double":
                ctype = "bool"
            desc.attributes.append(Attribute(target, "variable", locality, ctype, init, st.source))
        elif any(f for f in st.flags if f not in METHODS):
            raise ModelError(desc.name, f"the variable '{target}' is defined twice with flags",
                             st.source, "flags on the first definition of a variable only")
        desc.definitions.append(Definition(target, form, op, lhs.strip(), rhs.strip(), method,
                                           valued.get("min"), valued.get("max"), st.source))


_FUNCTION = re.compile(r"^\s*(" + _NAME + r")\s*\(([^)]*)\)\s*=\s*(.+)$", re.S)


def parse_functions(model, text):
    """Parse ``f(x, y) = expression`` one-liners into (name, args, body, source)."""
    functions = []
    for line in (text or "").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        body_flags = line.rsplit(":", 1)
        match = _FUNCTION.match(body_flags[0] if len(body_flags) == 2 and
                                "(" not in body_flags[1] else line)
        if not match:
            raise ModelError(model, "a function must be written 'name(arg1, arg2) = expression'",
                             line, "for example 'sigmoid(x) = 1.0 / (1.0 + exp(-x))'")
        name, args, body = match.group(1), match.group(2), match.group(3)
        args = [a.strip() for a in args.split(",") if a.strip()]
        for arg in args:
            if not re.fullmatch(_NAME, arg):
                raise ModelError(model, f"'{arg}' is not a valid argument name", line,
                                 "argument names made of letters, digits and '_'")
        functions.append((name, tuple(args), body.strip(), line))
    return functions


_CONDUCTANCE = re.compile(r"(?<![.\w])(g_[A-Za-z0-9_]+)")
_EVENT_TARGET = re.compile(r"^\s*((?:post\.)?" + _NAME + r")\s*$")


def _parse_events(desc, events, constants):
    """Reset statements of neurons, pre/post-synaptic events of synapses."""
    for event, text in events.items():
        if event in ("spike", "axon_spike", "refractory") or not text:
            continue
        definitions = []
        for st in split_statements(text):
            parts = _split_equal(st.text)
            if parts is None or _ODE.search(parts[0]):
                raise ModelError(desc.name, f"'{event}' holds statements such as 'v = 0.0' or "
                                 "'g_target += w'", st.source, "assignments, no ODE")
            lhs, op, rhs = parts
            match = _EVENT_TARGET.match(lhs)
            if not match:
                raise ModelError(desc.name, f"the left side '{lhs.strip()}' in '{event}' is not "
                                 "a single variable", st.source, "'x = ...' or 'x += ...'")
            target = match.group(1)
            known = target == "g_target" or target.startswith("post.") or \
                desc.attribute(target) is not None
            if not known:
                raise ModelError(desc.name, f"'{event}' changes '{target}', which the model does "
                                 "not declare", st.source,
                                 f"a variable of the model ({', '.join(desc.variables)})")
            for flag in st.flags:
                if flag not in OTHER_FLAGS:
                    raise ModelError(desc.name, f"unknown flag '{flag}' in '{event}'", st.source,
                                     "unless_post")
            definitions.append(Definition(target, "assign", op, lhs.strip(), rhs.strip(),
                                          source=st.source, flags=tuple(st.flags)))
        desc.events[event] = definitions


def _implicit_conductances(desc, texts):
    """Spiking neurons: every g_x used but not declared is a conductance zeroed each step."""
    for text in texts:
        for name in _CONDUCTANCE.findall(text or ""):
            if desc.attribute(name) is None:
                desc.attributes.append(Attribute(name, "variable", "local", "double", 0.0, "",
                                                 implicit=True))


def describe(name, kind, parameters, equations, functions, constants, rate_coded=True,
             events=None):
    """Build the ModelDescription of a neuron or synapse.

    ``constants`` is the set of Constant names visible to the model; ``events``
    maps 'spike' (condition), 'reset', 'refractory' (neurons) or 'pre_spike',
    'post_spike' (synapses) to their text.
    """
    desc = ModelDescription(name=name, kind=kind)
    events = dict(events or {})
    _parse_parameters(desc, parameters, constants)
    _parse_equations(desc, equations, constants)
    desc.functions = parse_functions(name, functions)
    if kind == "neuron" and not rate_coded:
        _implicit_conductances(desc, [equations] + [events.get(name) for name in
                                                    ("spike", "reset", "axon_spike", "axon_reset")])
        desc.spike = events.get("spike")
        desc.axon_spike = events.get("axon_spike")
        if desc.attribute("r") is None:       # the firing rate of compute_firing_rate()
            desc.attributes.append(Attribute("r", "variable", "local", "double", 0.0, ""))
        desc.refractory = events.get("refractory")
    if kind == "synapse" and desc.attribute("w") is None:
        desc.attributes.insert(0, Attribute("w", "parameter", "local", "double", 0.0, ""))
    _parse_events(desc, events, constants)
    if kind == "neuron" and rate_coded and desc.attribute("r") is None:
        raise ModelError(name, "a rate-coded neuron must define the variable 'r' (its output)",
                         None, "an equation for r, e.g. 'r = pos(v)', or a parameter 'r = 0.0'")
    return desc

"""First reading of a model: names, kinds, flags and initial values.

This stage needs no sympy: it is what Python needs to allocate the arrays of
a population, and what the build cache hashes. The expressions themselves are
analysed later (``analysis.py``), only when code has to be generated.
"""

import ast
import numbers
import operator
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from ..errors import ModelError
from .statements import split_flags, split_statements, strip_comments
from .syntax import parse_expression

__all__ = ["Attribute", "Definition", "StructuralRule", "ModelDescription", "describe"]

METHODS = {"explicit": "explicit", "euler": "explicit", "implicit": "implicit",
           "semiimplicit": "semiimplicit", "exponential": "exponential",
           "midpoint": "midpoint", "rk4": "rk4", "runge-kutta4": "rk4",
           "event-driven": "event-driven", "exact": "event-driven"}
TYPES = {"int", "bool", "float"}
LOCALITIES = {"neuron": {"population": "global"},
              "synapse": {"projection": "global", "postsynaptic": "semiglobal"}}
VALUED_FLAGS = {"init", "min", "max"}
OTHER_FLAGS = {"unless_post", "unless_refractory"}
SYNAPTIC_EVENTS = ("pre_spike", "post_spike", "pre_axon_spike")

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
    implicit: bool = False    # a conductance g_x used but not declared: zeroed after each update
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
class StructuralRule:
    """A synapse's ``pruning`` or ``creating`` condition and its flags.

    ``proba`` is the text of the probability of acting when the condition holds (None: 1);
    ``weight`` and ``delay`` (creating only) are the weight and the delay in ms of a created
    synapse: a number or a Constant's name (delay None: the projection's own).
    """

    condition: str
    proba: str = None
    weight: object = 0.0
    delay: object = None
    source: str = ""


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
    structural: dict = field(default_factory=dict)   # 'pruning'/'creating' -> StructuralRule
    drawn: bool = False                          # Poisson spikes at steps drawn ahead (no p)

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
                  f"schedule={self.schedule}", f"timed={self.timed}", f"drawn={self.drawn}"]
        for event, definitions in sorted(self.events.items()):
            lines += [f"{event}:{d.target}|{d.op}|{d.rhs}|{d.flags}|{d.min}|{d.max}"
                      for d in definitions]
        lines += [f"{kind}={rule.condition}|proba={rule.proba}"
                  for kind, rule in sorted(self.structural.items())]
        return "\n".join(lines)

    def conductances_read(self):
        """Names ``g_x`` that the equations read (not a line's own leading target).

        With the targets of incoming projections, these are the inputs of a spiking
        neuron: monitors see them between the spike delivery and the neuron update.
        """
        names = set()
        for d in self.definitions:
            names.update(_CONDUCTANCE.findall(d.rhs))
            names.update(m.group(1) for m in _CONDUCTANCE.finditer(d.lhs) if m.start() > 0)
        return names

    @property
    def plastic(self):
        """Whether a synapse changes more than the post-synaptic input (equations, events)."""
        events = [d for e in ("pre_spike", "post_spike", "pre_axon_spike")
                  for d in self.events.get(e, [])]
        return bool(self.definitions) or any(d.target != "g_target" for d in events)

    @property
    def parameters(self):
        return [a.name for a in self.attributes if a.kind == "parameter"]

    @property
    def variables(self):
        return [a.name for a in self.attributes if a.kind == "variable"]


@contextmanager
def _at(field, lineno=None):
    """A ModelError raised inside names the model argument (and its line) it comes from."""
    try:
        yield
    except ModelError as error:
        if error.field is None:
            error.field, error.lineno = field, lineno
        raise


def _parse_value(model, text, line, constants, extra_values=None, parameter=None):
    """A parameter value or init: a number or arithmetic on numbers (evaluated once),
    True/False, a Constant's name, or (parameters) a quoted name looked up in
    ``extra_values``."""
    text = text.strip()
    if text in ("True", "False"):
        return text == "True"
    if text in constants:
        return text
    if extra_values is not None and len(text) > 2 and text[0] == text[-1] and text[0] in "'\"":
        return _extra_value(model, text[1:-1].strip(), line, extra_values, parameter)
    try:
        return _arithmetic(text)
    except _NotArithmetic as error:
        raise ModelError(model, f"the value '{text}' {error}", line,
                         "a number or arithmetic on numbers (e.g. 10.0 or 1/20.0), True/False, "
                         "the name of a Constant, or a quoted name given in extra_values") from None


_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
               ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
               ast.Pow: operator.pow, ast.USub: operator.neg, ast.UAdd: operator.pos}
_NOT_A_VALUE = "is not a number, arithmetic on numbers, True/False or a Constant"


class _NotArithmetic(Exception):
    """A value that is not arithmetic on numbers; the message says why."""


def _arithmetic(text):
    """The value of arithmetic on numbers (+ - * / // % ** and parentheses), in floats."""
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError:
        raise _NotArithmetic(_NOT_A_VALUE) from None

    def value(node):
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return float(node.value)          # float arithmetic: 2 ** 1e9 overflows at once
        if isinstance(node, ast.UnaryOp) and type(node.op) in _ARITHMETIC:
            return _ARITHMETIC[type(node.op)](value(node.operand))
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
            return _ARITHMETIC[type(node.op)](value(node.left), value(node.right))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitXor):
            raise _NotArithmetic("uses '^', a bitwise xor in Python; write a power as '**'")
        raise _NotArithmetic(_NOT_A_VALUE)

    try:
        return value(tree)
    except ZeroDivisionError:
        raise _NotArithmetic("divides by zero") from None
    except OverflowError:
        raise _NotArithmetic("is too large for a number") from None


def _extra_value(model, key, line, extra_values, parameter):
    """The value of a quoted name ('A_Xr') taken from the model's extra_values."""
    if key not in extra_values:
        given = ", ".join(repr(k) for k in extra_values) or "none"
        raise ModelError(model, f"the parameter '{parameter}' takes the value of '{key}' from "
                         f"extra_values, which does not hold it (given: {given})", line,
                         f"extra_values={{'{key}': value, ...}} in the model's constructor")
    value = extra_values[key]
    if isinstance(value, bool):
        return value
    if not isinstance(value, numbers.Real):
        raise ModelError(model, f"extra_values['{key}'] of the parameter '{parameter}' is a "
                         f"{type(value).__name__}, not a number", line, "a number or True/False")
    return float(value)


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


def _parse_parameters(desc, text, constants, extra_values):
    for st in split_statements(text):
        with _at("parameters", st.lineno):
            _parse_parameter(desc, st, constants, extra_values)


def _parse_parameter(desc, st, constants, extra_values):
    """One line of ``parameters``."""
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
    init = _parse_value(desc.name, value, st.source, constants, extra_values, name)
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
        parse_expression(desc.name, _ODE.sub("_grad_", lhs), st.source)
        parse_expression(desc.name, rhs, st.source)
        return odes[0], "ode", op, lhs, rhs
    name = lhs.strip()
    if not re.fullmatch(_NAME, name):
        raise ModelError(desc.name, f"the left side '{lhs.strip()}' is not a single variable",
                         st.source, "'x = expression' or an ODE such as 'tau * dx/dt = expression'")
    parse_expression(desc.name, rhs, st.source)
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
        with _at("equations", st.lineno):
            _add_definition(desc, st, constants)


def _add_definition(desc, st, constants):
    """One line of ``equations``: its variable (declared at its first definition)."""
    target, form, op, lhs, rhs = _parse_equation(desc, st, constants)
    if target in RESERVED:
        raise ModelError(desc.name, f"'{target}' is a reserved name and cannot be a variable",
                         st.source, "another name")
    locality, ctype, method, valued, _ = _read_flags(
        desc.name, desc.kind, st.flags, st.source, constants, allow_method=(form == "ode"))
    for bound in ("min", "max"):
        if bound in valued:
            parse_expression(desc.name, valued[bound], st.source)
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
    for lineno, line in enumerate((text or "").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if line:
            with _at("functions", lineno):
                functions.append(_parse_function(model, line))
    return functions


def _parse_function(model, line):
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
    parse_expression(model, body, line)
    return name, tuple(args), body.strip(), line


_EXPRESSIONS = ("spike", "axon_spike", "refractory", "psp")   # one expression, no statements
STRUCTURAL = ("pruning", "creating")                          # a condition and its flags
_STRUCTURAL_FLAGS = {"pruning": ("proba",), "creating": ("proba", "w", "d")}
_CONDUCTANCE = re.compile(r"(?<![.\w])(g_[A-Za-z0-9_]+)")
_EVENT_TARGET = re.compile(r"^\s*((?:post\.)?" + _NAME + r")\s*$")


def _parse_events(desc, events, constants):
    """Reset statements of neurons, pre/post-synaptic events of synapses."""
    for event, text in events.items():
        if event in _EXPRESSIONS or event in STRUCTURAL or not text:
            continue
        definitions = []
        for st in split_statements(text):
            with _at(event, st.lineno):
                definitions.append(_event_statement(desc, event, st, constants))
        desc.events[event] = definitions



def _event_statement(desc, event, st, constants):
    """One statement of an event as a Definition.

    As in the reference, a statement of a synaptic event may carry bounds
    (``w -= 1.0 : min=0.0``, ``g_target += w : max=g_max``), applied after it, and a
    variable that only an event changes is declared there (``x = pre.r : init=0.0``).
    """
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
    synaptic = event in SYNAPTIC_EVENTS
    known = target == "g_target" or target.startswith("post.") or \
        desc.attribute(target) is not None
    ctype, valued, others = _event_flags(desc, event, st, synaptic) if known or synaptic \
        else (None, {}, ())
    if not known and (ctype or "init" in valued):
        if target in RESERVED:
            raise ModelError(desc.name, f"'{target}' is a reserved name and cannot be a "
                             "variable", st.source, "another name")
        init = _parse_value(desc.name, valued.get("init", "0.0"), st.source, constants)
        if isinstance(init, bool) and ctype is None:
            ctype = "bool"
        desc.attributes.append(Attribute(target, "variable", "local", ctype or "double", init,
                                         st.source))
    elif not known:
        declare = ", or declare it here with ': init=0.0'" if synaptic else ""
        raise ModelError(desc.name, f"'{event}' changes '{target}', which the model does "
                         "not declare", st.source,
                         f"a variable of the model ({', '.join(desc.variables)}){declare}")
    parse_expression(desc.name, rhs, st.source)
    return Definition(target, "assign", op, lhs.strip(), rhs.strip(), min=valued.get("min"),
                      max=valued.get("max"), source=st.source, flags=tuple(others))


def _event_flags(desc, event, st, synaptic):
    """(type, init/min/max texts, other flags) of an event statement; neurons' events
    (reset) take no bounds, as the reference ignores them there."""
    ctype, valued, others = None, {}, []
    for flag in st.flags:
        key, _, value = (part.strip() for part in flag.partition("="))
        if not synaptic and flag not in OTHER_FLAGS:
            raise ModelError(desc.name, f"unknown flag '{flag}' in '{event}'", st.source,
                             "unless_post")
        if value and key in VALUED_FLAGS:
            valued[key] = value
        elif flag in TYPES:
            ctype = "double" if flag == "float" else flag
        elif flag in OTHER_FLAGS:
            others.append(flag)
        elif flag in LOCALITIES["synapse"] or flag in METHODS:
            raise ModelError(desc.name, f"the flag '{flag}' cannot be given in '{event}'",
                             st.source, "this flag where the variable is declared (parameters "
                             "or equations)")
        else:
            raise ModelError(desc.name, f"unknown flag '{flag}' in '{event}'", st.source,
                             "unless_post, init=..., min=..., max=..., int, bool or float")
    return ctype, valued, others


def _condition_text(model, event, text):
    """A spike condition without its comments (None when not given)."""
    if not text:
        return None
    condition = strip_comments(text)
    if not condition:
        raise ModelError(model, f"the {event} condition holds only comments", text,
                         "a condition such as 'v > v_thresh'")
    return condition


def _structural_rule(model, kind, text, constants):
    """A ``pruning``/``creating`` text as a StructuralRule: ``condition : proba=p`` (and, when
    creating, ``w=weight, d=delay``)."""
    condition, flags = split_flags(strip_comments(text))
    if not condition:
        raise ModelError(model, f"the {kind} condition is empty", text,
                         "a condition such as 'age > T : proba = 0.2'")
    parse_expression(model, condition, f"{kind}: {text}")
    allowed = _STRUCTURAL_FLAGS[kind]
    values = {}
    for flag in flags:
        key, _, value = (part.strip() for part in flag.partition("="))
        if key not in allowed or not value:
            raise ModelError(model, f"unknown flag '{flag}' in '{kind}'", text,
                             ", ".join(f"{name}=..." for name in allowed))
        values[key] = value
    rule = StructuralRule(condition, source=text)
    if "proba" in values:
        parse_expression(model, values["proba"], f"{kind}: {text}")
        rule.proba = values["proba"]
    if "w" in values:
        rule.weight = _parse_value(model, values["w"], text, constants)
    if "d" in values:
        rule.delay = _parse_value(model, values["d"], text, constants)
        if not isinstance(rule.delay, str) and rule.delay < 0:
            raise ModelError(model, f"the delay d={values['d']} of created synapses is "
                             "negative", text, "a delay in ms, d >= 0")
    return rule


def _implicit_conductances(desc, texts):
    """Spiking neurons: every g_x used but not declared is a conductance zeroed each step."""
    for text in texts:
        for name in _CONDUCTANCE.findall(text or ""):
            if desc.attribute(name) is None:
                desc.attributes.append(Attribute(name, "variable", "local", "double", 0.0, "",
                                                 implicit=True))


def describe(name, kind, parameters, equations, functions, constants, rate_coded=True,
             events=None, extra_values=None, implicit_r=False):
    """Build the ModelDescription of a neuron or synapse.

    ``constants`` is the set of Constant names visible to the model; ``events``
    maps 'spike' (condition), 'reset', 'refractory' (neurons) or 'psp', 'pre_spike',
    'post_spike' (synapses) to their text; ``extra_values`` gives the values of
    quoted parameter values (``tau = 'tau_x'``). ``implicit_r``: a rate-coded neuron
    without ``r`` gets one that nothing changes (BOLD models, whose output is another
    variable), instead of an error.
    """
    desc = ModelDescription(name=name, kind=kind)
    events = dict(events or {})
    texts = {"parameters": parameters, "equations": equations, "functions": functions}
    texts.update((event, text) for event, text in events.items() if event != "refractory")
    for field_name, text in texts.items():
        if text is not None and not isinstance(text, str):
            raise ModelError(name, f"'{field_name}' must be a string, not a "
                             f"{type(text).__name__}", None, "a (multi-line) string")
    _parse_parameters(desc, parameters, constants, dict(extra_values or {}))
    _parse_equations(desc, equations, constants)
    desc.functions = parse_functions(name, functions)
    if kind == "neuron" and not rate_coded:
        _implicit_conductances(desc, [strip_comments(text) for text in [equations] + [
            events.get(name) or "" for name in ("spike", "reset", "axon_spike", "axon_reset")]])
        desc.spike = _condition_text(name, "spike", events.get("spike"))
        desc.axon_spike = _condition_text(name, "axon_spike", events.get("axon_spike"))
        if desc.attribute("r") is None:       # the firing rate of compute_firing_rate()
            desc.attributes.append(Attribute("r", "variable", "local", "double", 0.0, ""))
        desc.refractory = events.get("refractory")
    if kind == "synapse" and desc.attribute("w") is None:
        desc.attributes.insert(0, Attribute("w", "parameter", "local", "double", 0.0, ""))
    for event in _EXPRESSIONS:
        text = events.get(event)
        if isinstance(text, str) and strip_comments(text):
            with _at(event, 1):
                parse_expression(name, strip_comments(text), f"{event}: {text}")
    _parse_events(desc, events, constants)
    for event in STRUCTURAL:
        text = events.get(event)
        if isinstance(text, str) and strip_comments(text):
            with _at(event, 1):
                desc.structural[event] = _structural_rule(name, event, text, constants)
    if kind == "neuron" and rate_coded and desc.attribute("r") is None and implicit_r:
        desc.attributes.append(Attribute("r", "variable", "local", "double", 0.0, ""))
    if kind == "neuron" and rate_coded and desc.attribute("r") is None:
        raise ModelError(name, "a rate-coded neuron must define the variable 'r' (its output)",
                         None, "an equation for r, e.g. 'r = pos(v)', or a parameter 'r = 0.0'",
                         field="equations")
    return desc

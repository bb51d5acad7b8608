"""Second reading of a model: expressions to sympy, ODEs to update steps.

Produces a ``ModelCode``: the ordered updates of the global (population-wide)
and local (per-neuron) attributes, the random draws, sums and global
operations the code generator needs. Only called when code is generated.
"""

from dataclasses import dataclass, field

import sympy

from ..errors import ModelError
from .description import _ODE
from .expressions import ExpressionContext, opaque, to_sympy
from .methods import Update, integrator

__all__ = ["ModelCode", "analyse_neuron", "analyse_synapse", "analyse_function",
           "analyse_condition"]

_SYSTEM_METHODS = {"implicit", "midpoint", "rk4"}
_CONDITIONS = (sympy.core.relational.Relational, sympy.logic.boolalg.BooleanFunction,
               sympy.logic.boolalg.BooleanAtom)


LOCALITIES = ("global", "semiglobal", "local")


@dataclass
class ModelCode:
    """What the code generator needs to know about one neuron or synapse model.

    ``updates`` and ``random_draws`` are keyed by locality: 'global' (once per
    population or projection), 'semiglobal' (once per post-synaptic neuron),
    'local' (per neuron or per synapse).
    """

    description: object
    updates: dict = field(default_factory=lambda: {k: [] for k in LOCALITIES})
    clamps: dict = field(default_factory=dict)            # name -> (min expr, max expr)
    random_draws: dict = field(default_factory=lambda: {k: [] for k in LOCALITIES})
    sums: set = field(default_factory=set)
    side_sums: set = field(default_factory=set)           # synapses: ('pre'/'post', target)
    global_operations: set = field(default_factory=set)
    functions: list = field(default_factory=list)         # (name, args, sympy body)
    psp: object = None                                    # synapses: sympy expression
    locality: dict = field(default_factory=dict)          # symbol name -> locality
    spike: object = None                                  # spiking neurons: sympy condition
    axon_spike: object = None                             # condition of an axonal spike
    refractory: object = None                             # sympy expression in ms, or None
    events: dict = field(default_factory=dict)            # 'reset', 'pre_spike'... -> [Update]
    unless_post: dict = field(default_factory=dict)       # event -> [bool] per statement
    event_bounds: dict = field(default_factory=dict)      # event -> [(min, max)] per statement
    event_driven: list = field(default_factory=list)      # (variable, a, b): dx/dt = a*x + b
    structural: dict = field(default_factory=dict)        # 'pruning'/'creating' ->
    #                                                       (condition, proba or None, draws)

    def symbols(self):
        """Names of the symbols that the psp, the equations and their bounds read."""
        exprs = [self.psp] if self.psp is not None else []
        exprs += [u.expr for where in self.updates for u in self.updates[where]]
        exprs += [b for pair in self.clamps.values() for b in pair if b is not None]
        return {str(s) for e in exprs for s in e.free_symbols}

    @property
    def global_updates(self):
        return self.updates["global"]

    @property
    def local_updates(self):
        return self.updates["local"]


def _symbols(desc, constants):
    names = {a.name: sympy.Symbol(a.name) for a in desc.attributes}
    for name in constants:
        names.setdefault(name, sympy.Symbol(name))
    names["t"] = sympy.Symbol("t")
    names["dt"] = sympy.Symbol("dt")
    return names


def analyse_function(model, name, args, body, line, functions):
    """A user function's body as sympy over its arguments."""
    ctx = ExpressionContext(model, {a: sympy.Symbol(a) for a in args}, functions,
                            targets_allowed=False)
    ctx.line = line
    expr = to_sympy(body, ctx)
    if ctx.random_draws or ctx.global_operations:
        raise ModelError(model, f"the function '{name}' may not draw random numbers or use "
                         "global operations", line, "a pure expression of its arguments")
    return expr


def _derivative(definition, ctx, grad):
    """Solve 'lhs = rhs' (lhs holding dx/dt) for dx/dt."""
    lhs_text = _ODE.sub("_grad_", definition.lhs)
    ctx.names["_grad_"] = grad
    try:
        lhs = to_sympy(lhs_text, ctx)
    finally:
        del ctx.names["_grad_"]
    rhs = to_sympy(definition.rhs, ctx)
    balance = lhs - rhs
    factor = sympy.diff(balance, grad)
    if factor == 0 or factor.has(grad):
        raise ModelError(ctx.model, "the ODE is not linear in its derivative", definition.source,
                         "a form such as 'tau * dx/dt = f' or 'tau * dx/dt + x = f'")
    return -balance.xreplace({grad: 0}) / factor


def _blocks(definitions):
    """Group consecutive ODEs: they are integrated together from old values."""
    blocks, current = [], []
    for definition in definitions:
        if definition.form == "ode":
            current.append(definition)
            continue
        if current:
            blocks.append(current)
            current = []
        blocks.append(definition)
    if current:
        blocks.append(current)
    return blocks


def _integrate(block, model, default_method):
    """Updates for one block of ODEs, all temporaries before any variable changes.

    ODEs sharing a method are integrated together (implicit, midpoint and rk4
    then solve them as one system); the others of the block are constants.
    """
    by_method = {}
    for x, f, line, method in block:
        by_method.setdefault(method or default_method, []).append((x, f, line))
    systems = [m for m in by_method if m in _SYSTEM_METHODS and len(by_method[m]) > 1]
    if len(set(by_method) & _SYSTEM_METHODS) > 1 and systems:
        raise ModelError(model, "coupled ODEs cannot mix the methods "
                         + ", ".join(sorted(set(by_method) & _SYSTEM_METHODS)), block[0][2],
                         "one of implicit, midpoint or rk4 for all ODEs of the system")
    updates = []
    for method, odes in by_method.items():
        updates += integrator(method).integrate(odes, model)
    return [u for u in updates if u.temp] + [u for u in updates if not u.temp]


def analyse_neuron(desc, constants, global_functions, default_method):
    """Build the ModelCode of a rate-coded neuron description."""
    code = ModelCode(description=desc)
    functions = _functions(desc, code, global_functions)
    names = _symbols(desc, constants)
    if desc.spike:
        names["t_last"] = sympy.Symbol("t_last")
    ctx = ExpressionContext(desc.name, names, functions)
    code.locality = {a.name: a.locality for a in desc.attributes}
    _analyse_equations(desc, ctx, code, default_method)
    if desc.spike:
        _analyse_spiking(desc, ctx, code)
    code.sums = set(ctx.sums)
    return code


def _analyse_spiking(desc, ctx, code):
    """Spike condition, reset statements and refractory period of a spiking neuron."""
    first_draw = len(ctx.random_draws)
    code.spike = _condition(desc, ctx, "spike", desc.spike)
    code.events["reset"] = _event_updates(desc, ctx, "reset")
    if desc.axon_spike:
        code.axon_spike = _condition(desc, ctx, "axon_spike", desc.axon_spike)
        code.events["axon_reset"] = _event_updates(desc, ctx, "axon_reset")
    if desc.refractory is not None:
        ctx.line = f"refractory: {desc.refractory}"
        code.refractory = to_sympy(str(desc.refractory), ctx)
    if len(ctx.random_draws) > first_draw:
        raise ModelError(desc.name, "random draws are not allowed in spike and reset",
                         ctx.line, "draw in an equation and use the variable")


def _condition(desc, ctx, name, text):
    ctx.line = f"{name}: {text}"
    condition = to_sympy(text, ctx)
    if not isinstance(condition, _CONDITIONS):
        raise ModelError(desc.name, f"the {name} condition is not a condition", ctx.line,
                         "a comparison such as 'v > v_thresh'")
    return condition


def _event_updates(desc, ctx, event, code=None):
    """The statements of an event; with ``code``, also their own bounds (synaptic events)."""
    updates, bounds = [], []
    for definition in desc.events.get(event, []):
        ctx.line = definition.source
        updates.append(Update(definition.target, to_sympy(definition.rhs, ctx), definition.op))
        bounds.append(_clamp(definition, ctx, None))
    if code is not None:
        code.event_bounds[event] = bounds
    return updates


def analyse_synapse(desc, pre, post, psp, constants, global_functions, default_method,
                    projection):
    """Build the ModelCode of a rate-coded synapse between two neuron descriptions.

    ``projection`` names the projection in error messages.
    """
    code = ModelCode(description=desc)
    functions = _functions(desc, code, global_functions)
    names = _symbols(desc, constants)
    code.locality = {a.name: a.locality for a in desc.attributes}
    for side, neuron in (("pre", pre), ("post", post)):
        for attr in neuron.attributes:
            symbol = f"{side}__{attr.name}"
            names[f"{side}.{attr.name}"] = sympy.Symbol(symbol)
            # a pre value differs per synapse, a post value per post-synaptic neuron
            code.locality[symbol] = "global" if attr.locality == "global" else \
                ("local" if side == "pre" else "semiglobal")
    spiking = any(desc.events.get(e) for e in ("pre_spike", "post_spike", "pre_axon_spike"))
    if spiking:
        for name in ("g_target", "t_pre", "t_post"):
            names[name] = sympy.Symbol(name)
    spiking_sides = {side: neuron.name for side, neuron in (("pre", pre), ("post", post))
                     if neuron.spike is not None}
    ctx = ExpressionContext(f"{desc.name}' of projection '{projection}", names, functions,
                            targets_allowed=False, synapse=True, spiking_sides=spiking_sides)
    continuous = [d for d in desc.definitions if d.method != "event-driven"]
    _analyse_equations(desc, ctx, code, default_method, continuous)
    code.event_driven = _event_driven(desc, ctx)
    for event in ("pre_spike", "post_spike", "pre_axon_spike"):
        _check_post_targets(desc, post, event, projection)
        code.events[event] = _event_updates(desc, ctx, event, code)
        code.unless_post[event] = [("unless_post" in d.flags) for d in desc.events.get(event, [])]
    _structural_rules(desc, ctx, code)
    code.global_operations |= set(ctx.global_operations)
    code.side_sums = set(ctx.side_sums)
    if psp is not None:
        ctx.line = f"psp = {psp}"
        first_draw = len(ctx.random_draws)
        code.psp = to_sympy(psp, ctx)
        if ctx.side_sums != code.side_sums:
            raise ModelError(ctx.model, "pre.sum() and post.sum() cannot be read in psp: the "
                             "weighted sums are being computed there", ctx.line,
                             "pre.sum(target) or post.sum(target) in the synapse's equations")
        code.random_draws["local"] += ctx.random_draws[first_draw:]
    return code


def _structural_rules(desc, ctx, code):
    """The pruning and creating conditions with their probabilities and random draws.

    A creating condition is evaluated where no synapse exists yet: it may read pre- and
    post-synaptic values and the synapse's postsynaptic or projection-wide attributes,
    not its per-synapse ones.
    """
    for kind, rule in desc.structural.items():
        first_draw = len(ctx.random_draws)
        condition = _condition(desc, ctx, kind, rule.condition)
        proba = None
        if rule.proba is not None:
            ctx.line = f"{kind}: {rule.source}"
            proba = to_sympy(rule.proba, ctx)
            if isinstance(proba, _CONDITIONS):
                raise ModelError(ctx.model, f"the probability of '{kind}' is a condition",
                                 ctx.line, "a number between 0 and 1, e.g. proba = 0.2")
        draws = ctx.random_draws[first_draw:]
        if kind == "creating":
            used = condition.free_symbols | (proba.free_symbols if proba is not None else set())
            local = sorted(a.name for a in desc.attributes if a.locality == "local"
                           and sympy.Symbol(a.name) in used)
            if local:
                raise ModelError(ctx.model, f"the creating condition reads '{local[0]}', a "
                                 "value of each synapse, which a synapse that does not exist yet "
                                 "has not", f"creating: {rule.source}",
                                 "pre- and post-synaptic values, or the synapse's postsynaptic "
                                 "or projection attributes")
        code.structural[kind] = (condition, proba, draws)


def _check_post_targets(desc, post, event, projection):
    """``post.x = ...`` in an event needs a variable x of the post-synaptic neuron."""
    for definition in desc.events.get(event, []):
        if not definition.target.startswith("post."):
            continue
        name = definition.target[5:]
        attr = post.attribute(name)
        if attr is None or attr.kind != "variable":
            raise ModelError(f"{desc.name}' of projection '{projection}", f"'{event}' changes "
                             f"'{definition.target}', which is not a variable of the "
                             f"post-synaptic neuron '{post.name}'", definition.source,
                             f"one of {', '.join('post.' + v for v in post.variables)}")


def _event_driven(desc, ctx):
    """(variable, a, b) of each event-driven ODE dx/dt = a*x + b, solved exactly between events."""
    from .methods import linear_split
    result = []
    for definition in desc.definitions:
        if definition.method != "event-driven":
            continue
        ctx.line = definition.source
        x = sympy.Symbol(definition.target)
        f = _derivative(definition, ctx, sympy.Symbol("_grad_"))
        a, b = linear_split(f, x, ctx.model, definition.source, "event-driven")
        others = {str(s) for s in (a.free_symbols | b.free_symbols)} & set(desc.variables)
        if others:
            raise ModelError(ctx.model, f"the event-driven variable '{x}' depends on other "
                             f"variables {sorted(others)}", definition.source,
                             "a linear ODE of its own variable and parameters only")
        result.append((definition.target, a, b))
    return result


def _functions(desc, code, global_functions):
    functions = {name: len(args) for name, args, _, _ in global_functions}
    functions.update({name: len(args) for name, args, _, _ in desc.functions})
    for name, args, body, line in desc.functions:
        code.functions.append((name, args, analyse_function(desc.name, name, args, body, line,
                                                            functions)))
    return functions


def _analyse_equations(desc, ctx, code, default_method, definitions=None):
    """Fill code.updates, clamps and random draws from the model's equations."""
    rank = {k: i for i, k in enumerate(LOCALITIES)}
    definitions = desc.definitions if definitions is None else definitions
    for block in _blocks(definitions):
        definitions = block if isinstance(block, list) else [block]
        first_draw = len(ctx.random_draws)
        parsed = [(d, _parse_definition(d, desc, ctx)) for d in definitions]
        for definition, expr in parsed:
            attr = desc.attribute(definition.target)
            finer = sorted(str(s) for s in expr.free_symbols
                           if rank[_locality_of(str(s), code)] > rank[attr.locality])
            if finer:
                shown = [_shown(name) for name in finer]
                raise ModelError(ctx.model, f"the {_LOCALITY_WORDS[attr.locality]} variable "
                                 f"'{attr.name}' depends on {shown}, which vary more finely",
                                 definition.source, "an expression of attributes that are at "
                                 "least as coarse (global < postsynaptic < local)")
            code.clamps[attr.name] = _clamp(definition, ctx, code.clamps.get(attr.name))
            draws = [d for d in ctx.random_draws[first_draw:]
                     if sympy.Symbol(d.symbol) in expr.free_symbols]
            code.random_draws[attr.locality] += draws
        for where in LOCALITIES:
            mine = [(d, e) for d, e in parsed if desc.attribute(d.target).locality == where]
            if not mine:
                continue
            if isinstance(block, list):
                odes = [(sympy.Symbol(d.target), e, d.source, d.method) for d, e in mine]
                code.updates[where].extend(_integrate(odes, ctx.model, default_method))
            else:
                code.updates[where].append(Update(block.target, mine[0][1], block.op))
    code.global_operations = set(ctx.global_operations)
    code.clamps = {k: v for k, v in code.clamps.items() if v != (None, None)}


def _locality_of(name, code):
    if name.startswith(("_sum_", "_pre_sum_")):
        return "local"
    if name.startswith("_post_sum_"):
        return "semiglobal"
    return code.locality.get(name, "global")


def _shown(name):
    """A symbol as the user wrote it: pre.r, post.sum(exc)."""
    for side in ("pre", "post"):
        if name.startswith(f"_{side}_sum_"):
            return f"{side}.sum({name[len(side) + 6:]})"
    return name.replace("__", ".")


_LOCALITY_WORDS = {"global": "population-wide", "semiglobal": "postsynaptic", "local": "local"}


def _parse_definition(definition, desc, ctx):
    ctx.line = definition.source
    if definition.form == "ode":
        return _derivative(definition, ctx, sympy.Symbol("_grad_"))
    expr = to_sympy(definition.rhs, ctx)
    if isinstance(expr, _CONDITIONS) and desc.attribute(definition.target).ctype != "bool":
        expr = opaque("ite")(expr, 1, 0)
    return expr


def _clamp(definition, ctx, previous):
    bounds = list(previous or (None, None))
    for i, text in enumerate((definition.min, definition.max)):
        if text is not None:
            bounds[i] = to_sympy(text, ctx)
    return tuple(bounds)


def analyse_condition(desc, text, constants, global_functions):
    """A population's stop condition: (sympy boolean, 'any' or 'all')."""
    from .statements import split_top_level
    parts = split_top_level(text, ":")
    condition, flags = parts[0], [f.strip() for f in ":".join(parts[1:]).split(",") if f.strip()]
    for flag in flags:
        if flag not in ("any", "all"):
            raise ModelError(desc.name, f"unknown flag '{flag}' in the stop condition", text,
                             "': any' (default) or ': all'")
    functions = {name: len(args) for name, args, _, _ in global_functions}
    functions.update({name: len(args) for name, args, _, _ in desc.functions})
    symbols = _symbols(desc, constants)
    if desc.spike is not None:          # as the reference: whether the neuron spiked this step
        symbols.setdefault("spiked", sympy.Symbol("spiked"))
    ctx = ExpressionContext(desc.name, symbols, functions)
    ctx.line = text
    expr = to_sympy(condition, ctx)
    if "spiked" in symbols and not any(a.name == "spiked" for a in desc.attributes):
        flag = symbols["spiked"]
        expr = expr.xreplace({flag: sympy.Eq(flag, 1)})
    if ctx.random_draws or ctx.sums or ctx.global_operations:
        raise ModelError(desc.name, "a stop condition may only use attributes of the neurons",
                         text, "a condition such as 'r > 1.0'")
    if not isinstance(expr, _CONDITIONS):
        raise ModelError(desc.name, "the stop condition is not a condition", text,
                         "a comparison such as 'r > 1.0'")
    return expr, "all" if "all" in flags else "any"

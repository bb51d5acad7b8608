"""Network structure -> one Cython module.

The module holds a struct type and an update function per neuron model, and a
``run(steps, addrs, ...)`` entry point. Every number lives in numpy arrays
owned by Python: ``addrs`` carries their addresses in the order of the module's
``SLOTS``, so parameter values and population sizes never reach the source.
"""

import os
from dataclasses import dataclass
from string import Template

import sympy

from .cprinter import CPrinter

__all__ = ["generate", "GeneratedModule"]

_TEMPLATE = os.path.join(os.path.dirname(__file__), "templates", "module.pyx")
_CTYPES = {"int": "int64_t", "bool": "unsigned char"}
_RANDOM = {"Uniform": "ab_uniform", "DiscreteUniform": "ab_discrete_uniform",
           "Normal": "ab_normal", "LogNormal": "ab_lognormal", "Exponential": "ab_exponential",
           "Gamma": "ab_gamma", "Binomial": "ab_binomial"}


@dataclass
class GeneratedModule:
    source: str
    slots: tuple
    constants: tuple


def _ctype(ctype):
    return _CTYPES.get(ctype, "real")


def _indent(lines, level):
    pad = "    " * level
    return "\n".join(pad + line if line else "" for line in lines)


class _ModelWriter:
    """Writes the struct and the update function of one neuron model."""

    def __init__(self, index, code, constants):
        self.index = index
        self.code = code
        self.desc = code.description
        self.constants = constants
        self.struct = f"Model{index}"

    def fields(self):
        """(kind, key, C declaration) of each pointer field of the struct."""
        fields = [("attr", a.name, f"{_ctype(a.ctype)}* a_{a.name}") for a in self.desc.attributes]
        fields += [("sum", t, f"real* s_{t or 'all'}") for t in sorted(self.code.sums)]
        fields += [("gop", f"{op}_{var}", f"double* g_{op}_{var}")
                   for op, var in sorted(self.code.global_operations)]
        return fields

    def struct_source(self):
        lines = [f"cdef struct {self.struct}:", "    long n", "    unsigned char* enabled",
                 "    bitgen_t* rng"]
        lines += ["    " + decl for _, _, decl in self.fields()]
        return "\n".join(lines) + "\n"

    def names(self, local):
        index = "[i]" if local else "[0]"
        names = {"t": "t", "dt": "dt"}
        for a in self.desc.attributes:
            names[a.name] = f"p.a_{a.name}" + ("[i]" if a.locality == "local" and local else "[0]")
        for target in self.code.sums:
            names["_sum_" + target] = f"p.s_{target or 'all'}{index}"
        for op, var in self.code.global_operations:
            names[f"_{op}_{var}"] = f"p.g_{op}_{var}[0]"
        for k, name in enumerate(self.constants):
            names[name] = f"consts[{k}]"
        return names

    def updates(self, updates, draws, local):
        printer = CPrinter(self.names(local))
        lines = [f"_r{d.symbol} = {_RANDOM[d.distribution]}(p.rng, "
                 + ", ".join(printer.doprint(a) for a in d.args) + ")" for d in draws]
        for update in updates:
            target = f"_t{update.target}" if update.temp else printer.doprint(
                sympy.Symbol(update.target))
            value = printer.doprint(update.expr)
            ctype = None if update.temp else self.desc.attribute(update.target).ctype
            if ctype in _CTYPES:           # Cython refuses implicit double -> int conversions
                if update.op != "=":
                    value = f"{target} {update.op[0]} ({value})"
                lines.append(f"{target} = <{_CTYPES[ctype]}> ({value})")
            else:
                lines.append(f"{target} {update.op} {value}")
            if not update.temp and update.target in self.code.clamps:
                cast = f"<{_CTYPES[ctype]}> " if ctype in _CTYPES else ""
                for bound, test in zip(self.code.clamps[update.target], ("<", ">")):
                    if bound is not None:
                        bound = printer.doprint(bound)
                        lines.append(f"if {target} {test} {bound}: {target} = {cast}({bound})")
        return lines

    def update_source(self):
        code = self.code
        temps = sorted({u.target for u in code.global_updates + code.local_updates if u.temp})
        draws = code.random_draws["global"] + code.random_draws["local"]
        rename = {t: sympy.Symbol(f"_t{t}") for t in temps}
        rename.update({d.symbol: sympy.Symbol(f"_r{d.symbol}") for d in draws})

        def renamed(updates):
            mapping = {sympy.Symbol(k): v for k, v in rename.items()}
            return [type(u)(u.target, u.expr.xreplace(mapping), u.op, u.temp) for u in updates]

        lines = [f"cdef void update_{self.index}({self.struct}* p, double t, double dt, "
                 "const double* consts) noexcept nogil:", "    cdef long i"]
        lines += [f"    cdef double _t{t}" for t in temps]
        lines += [f"    cdef double _r{d.symbol}" for d in draws]
        body = self.updates(renamed(code.global_updates), code.random_draws["global"], False)
        lines += [_indent(body, 1)] if body else []
        local = self.updates(renamed(code.local_updates), code.random_draws["local"], True)
        if local:
            lines += ["    if not p.enabled[0]:", "        return",
                      "    for i in range(p.n):", _indent(local, 2)]
        lines.append("    return")
        lines += self.global_operations_source()
        return "\n".join(lines) + "\n"

    def global_operations_source(self):
        if not self.code.global_operations:
            return []
        lines = ["", f"cdef void global_ops_{self.index}({self.struct}* p) noexcept nogil:",
                 "    cdef long i", "    cdef double acc, x"]
        for op, var in sorted(self.code.global_operations):
            src, out = f"p.a_{var}", f"p.g_{op}_{var}[0]"
            start = {"mean": "0.0", "norm1": "0.0", "norm2": "0.0",
                     "max": "-1e308", "min": "1e308"}[op]
            fold = {"mean": "acc += x", "norm1": "acc += fabs(x)", "norm2": "acc += x * x",
                    "max": "if x > acc: acc = x", "min": "if x < acc: acc = x"}[op]
            finish = {"mean": "acc / p.n if p.n > 0 else 0.0", "norm2": "sqrt(acc)"}.get(op, "acc")
            lines += [f"    acc = {start}", "    for i in range(p.n):",
                      f"        x = {src}[i]", f"        {fold}", f"    {out} = {finish}"]
        return lines


def _function_source(name, args, body):
    printer = CPrinter({a: a for a in args})
    signature = ", ".join(f"double {a}" for a in args)
    return (f"cdef inline double fn_{name}({signature}) noexcept nogil:\n"
            f"    return {printer.doprint(body)}\n")


def generate(populations, model_codes, global_functions, constants, precision, stops):
    """Cython source for a network.

    ``populations`` is a list of model indices (one per population, in order),
    ``model_codes`` the analysed ModelCode of each distinct model,
    ``global_functions`` the analysed add_function() entries (name, args, body),
    ``constants`` the names of the Constants, in the order of the values array,
    ``stops`` per population None or (sympy condition, 'any'/'all').
    """
    constants = tuple(constants)
    writers = [_ModelWriter(i, code, constants) for i, code in enumerate(model_codes)]
    functions = {}
    for name, args, body in global_functions:
        functions[name] = _function_source(name, args, body)
    for code in model_codes:
        for name, args, body in code.functions:
            functions[name] = _function_source(name, args, body)

    slots = [("consts",)]
    declare, bind, step, gops = [], [], [], []
    for p, model in enumerate(populations):
        writer = writers[model]
        declare.append(f"cdef {writer.struct} pop{p}")
        bind += [f"pop{p}.n = addrs[{len(slots)}]",
                 f"pop{p}.enabled = <unsigned char*> <uintptr_t> addrs[{len(slots) + 1}]",
                 f"pop{p}.rng = <bitgen_t*> <uintptr_t> addrs[{len(slots) + 2}]"]
        slots += [("n", p), ("enabled", p), ("rng", p)]
        for kind, key, decl in writer.fields():
            ctype, field = decl.rsplit(" ", 1)
            bind.append(f"pop{p}.{field.lstrip('*')} = <{ctype}> <uintptr_t> addrs[{len(slots)}]")
            slots.append((kind, p, key))
        step.append(f"update_{model}(&pop{p}, t, dt, consts)")
        if writer.code.global_operations:
            gops.append(f"global_ops_{model}(&pop{p})")
    stop_functions, stop_check = [], []
    for p, stop in enumerate(stops):
        if stop is None:
            continue
        writer = writers[populations[p]]
        condition = CPrinter(writer.names(local=True)).doprint(stop[0])
        found, missing = ("1", "0") if stop[1] == "any" else ("0", "1")
        test = condition if stop[1] == "any" else f"not ({condition})"
        stop_functions.append(
            f"cdef bint stop_{p}({writer.struct}* p, const double* consts) noexcept nogil:\n    cdef long i\n"
            f"    for i in range(p.n):\n        if {test}:\n            return {found}\n"
            f"    return {missing}\n")
        stop_check += [f"if select[{p}]:",
                       f"    met = (met and stop_{p}(&pop{p}, consts)) if stop_mode == 1 "
                       f"else (met or stop_{p}(&pop{p}, consts))"]
    template = Template(open(_TEMPLATE).read())
    source = template.substitute(
        real="float" if precision == "float" else "double",
        slots=repr(tuple(slots)), constants=repr(constants),
        functions="\n".join(functions.values()),
        structs="\n".join(w.struct_source() for w in writers),
        updates="\n".join(w.update_source() for w in writers),
        declare_pops=_indent(declare, 1), bind_pops=_indent(bind, 1),
        step=_indent(step + gops, 4), stops="\n".join(stop_functions),
        stop_check=_indent(stop_check or ["pass"], 5))
    return GeneratedModule(source=source, slots=tuple(slots), constants=constants)


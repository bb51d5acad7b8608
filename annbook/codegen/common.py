"""Pieces shared by the neuron and projection writers."""

import sympy

from .cprinter import CPrinter

__all__ = ["CTYPES", "REAL_DT", "ctype", "real_constant", "indent", "function_source",
           "Temporaries", "write_updates", "fold_lines"]

CTYPES = {"int": "int64_t", "bool": "unsigned char"}
_RANDOM = {"Uniform": "ab_uniform", "DiscreteUniform": "ab_discrete_uniform",
           "Normal": "ab_normal", "LogNormal": "ab_lognormal", "Exponential": "ab_exponential",
           "Gamma": "ab_gamma", "Binomial": "ab_binomial"}


# The generated code computes in the network's precision (``real``: double or float): dt and
# the Constants (double arrays of the module) are read as ``real`` in equations, so that a
# float network never widens an expression to double (numbers: see ``cprinter.py``).
REAL_DT = "(<real> dt)"


def real_constant(k):
    """C text of the Constant at index ``k`` of the constants array, in ``real``."""
    return f"(<real> consts[{k}])"


def ctype(kind):
    """C type of an attribute type ('double' follows the network's precision)."""
    return CTYPES.get(kind, "real")


def indent(lines, level):
    pad = "    " * level
    return "\n".join(pad + line if line else "" for line in lines)


def function_source(name, args, body):
    printer = CPrinter({a: a for a in args})
    signature = ", ".join(f"real {a}" for a in args)
    return (f"cdef inline real fn_{name}({signature}) noexcept nogil:\n"
            f"    return {printer.doprint(body)}\n")


class Temporaries:
    """C locals for the temporaries and random draws of a model's updates."""

    def __init__(self, code, localities):
        updates = [u for where in localities for u in code.updates[where]]
        self.temps = sorted({u.target for u in updates if u.temp})
        self.draws = [d for where in localities for d in code.random_draws[where]]
        mapping = {t: f"_t{t}" for t in self.temps}
        mapping.update({d.symbol: f"_r{d.symbol}" for d in self.draws})
        self.mapping = {sympy.Symbol(k): sympy.Symbol(v) for k, v in mapping.items()}

    def declarations(self):
        return [f"cdef real _t{t}" for t in self.temps] + \
            [f"cdef real _r{d.symbol}" for d in self.draws]

    def rename(self, updates):
        return [type(u)(u.target, u.expr.xreplace(self.mapping), u.op, u.temp) for u in updates]

    def rename_expr(self, expr):
        return expr.xreplace(self.mapping)


def write_updates(updates, draws, printer, desc, clamps, rng, guarded=()):
    """Lines of Cython for random draws then updates (with casts and clamps).

    Updates of the attributes in ``guarded`` run only when ``plastic`` is true
    (weights frozen by ``plasticity = False``).
    """
    lines = [f"_r{d.symbol} = {_RANDOM[d.distribution]}({rng}, "
             + ", ".join(printer.doprint(a) for a in d.args) + ")" for d in draws]
    for update in updates:
        target = f"_t{update.target}" if update.temp else printer.doprint(
            sympy.Symbol(update.target))
        value = printer.doprint(update.expr)
        attr = None if update.temp else desc.attribute(update.target)
        kind = attr.ctype if attr is not None else None
        if kind in CTYPES:             # Cython refuses implicit double -> int conversions
            if update.op != "=":        # in double: exact for counters past float's 2**24
                value = f"<double> {target} {update.op[0]} ({value})"
            block = [f"{target} = <{CTYPES[kind]}> ({value})"]
        else:
            block = [f"{target} {update.op} {value}"]
        if not update.temp and update.target in clamps:
            cast = f"<{CTYPES[kind]}> " if kind in CTYPES else ""
            for bound, test in zip(clamps[update.target], ("<", ">")):
                if bound is not None:
                    bound = printer.doprint(bound)
                    block.append(f"if {target} {test} {bound}: {target} = {cast}({bound})")
        if not update.temp and update.target in guarded:
            block = ["if plastic:"] + ["    " + line for line in block]
        lines += block
    return lines


_START = {"mean": "0.0", "norm1": "0.0", "norm2": "0.0", "max": "-1e308", "min": "1e308"}
_FOLD = {"mean": "acc += x", "norm1": "acc += fabs(x)", "norm2": "acc += x * x",
         "max": "if x > acc: acc = x", "min": "if x < acc: acc = x"}


def fold_lines(op, source, size, out):
    """Lines computing a global operation of ``source[i]`` for i < size into ``out``."""
    finish = {"mean": f"acc / {size} if {size} > 0 else 0.0", "norm2": "sqrt(acc)"}.get(op, "acc")
    return [f"acc = {_START[op]}", f"for i in range({size}):", f"    x = {source}[i]",
            f"    {_FOLD[op]}", f"{out} = {finish}"]

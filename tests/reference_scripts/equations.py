"""Differential script 1 (dt = 1.0): numerical methods and equation semantics.

Run as ``python equations.py <module> <results.json>`` in an empty directory.  One network,
one compile, few populations (the reference build time grows with every population).
Each block yields: after creation, after compile, then after each chunk of SCHEDULE.
"""

import numpy as np

from _refcommon import ann, rec, guard, run_blocks

ann.setup(dt=1.0)
SCHEDULE = [3, 2, 1]          # 6 steps, pauses after steps 3 and 5
ALL = 6


def traces(prefix, mon):
    for var in mon.variables:
        rec("%s.%s" % (prefix, var), lambda: mon.get(var, keep=True))


# ---- numerical methods --------------------------------------------------------------------
# Only one of the jointly solved methods (implicit / midpoint / rk4) may appear in a neuron,
# so each of them gets a population; the explicit-like methods ride along in the first one.
# Single ODE: tau*dx/dt = -x + I (per-neuron tau, I, init 0.5).
# Coupled:    dx/dt = -x + y ; dy/dt = -y - a*x (y0 = 1) and a tau-form coupled pair.
SINGLE = "tau*d{x}/dt = -{x} + I : {m}, init=0.5\n"
COUPLED = "d{x}/dt = -{x} + {y} : {m}\nd{y}/dt = -{y} - a*{x} : {m}, init=1.0\n"
COUPLED_TAU = "tau2*d{x}/dt = -{x} + k*{y} + 1.0 : {m}\ntau2*d{y}/dt = -{y} - {x} : {m}, init=-1.0\n"


def methods_block(joint):
    def block():
        eqs = ""
        singles, couples = [], []
        for m in ([joint] + (["explicit", "semiimplicit", "exponential"] if joint == "implicit" else [])):
            s = m[:4]
            eqs += SINGLE.format(x="s" + s, m=m)
            eqs += COUPLED.format(x="cx" + s, y="cy" + s, m=m)
            singles.append(("s" + s, m))
            couples.append((m, "cx" + s, "cy" + s))
        eqs += COUPLED_TAU.format(x="tu", y="tv", m=joint)
        # x solved with `joint`, y explicit: y is a constant for the joint solver
        eqs += "dmx/dt = -mx + my : %s\ndmy/dt = -my - 0.5*mx : explicit, init=1.0\n" % joint
        eqs += "r = tu + tv\n"
        p = ann.Population(3, ann.Neuron(parameters="tau = 10.0\nI = 1.0\na = 0.5\ntau2 = 5.0\nk = 0.3 : population",
                                         equations=eqs), name="meth_" + joint)
        p.tau = [10.0, 4.0, 2.5]
        p.I = [1.0, -2.0, 0.25]
        p.a = [0.5, 2.0, -1.0]
        yield
        mon = ann.Monitor(p, [v for v, _ in singles] + [v for c in couples for v in c[1:]]
                          + ["tu", "tv", "mx", "my", "r"])
        for _ in SCHEDULE:
            yield
        for var, m in singles:
            rec("single.%s" % m, lambda: mon.get(var, keep=True))
        for m, x, y in couples:
            rec("coupled.%s.x" % m, lambda: mon.get(x, keep=True))
            rec("coupled.%s.y" % m, lambda: mon.get(y, keep=True))
        for var in ["tu", "tv", "r"]:
            rec("coupled_tau.%s.%s" % (joint, var), lambda: mon.get(var, keep=True))
        rec("mixed.%s_explicit.x" % joint, lambda: mon.get("mx", keep=True))
        rec("mixed.%s_explicit.y" % joint, lambda: mon.get("my", keep=True))
    return block


# ---- assignment ordering, bounds/init, int/bool, global operations -------------------------
def misc_block():
    p = ann.Population(3, ann.Neuron(
        parameters="""
            zmax = 1.5
            pinit = 1.0 : init = 3.0
            n = 2 : int
            ng = 3 : int, population
            b = True : bool
            f = 1.5
        """,
        equations="""
            dsx/dt = -sx + sy
            sz = sx
            dsy/dt = -sy - 0.5*sx : init=1.0
            oa = orr + 1
            dorr/dt = oa
            ob = orr
            do2/dt = oa2
            oa2 = o2 + 1
            dbr/dt = 1 : min=0.0, max=2.5
            dbx/dt = -1 : min=0.0, init=2.0
            dbz/dt = 1 : max = zmax
            w2 = t : max=2
            hi = 7.0 : init=5.0, max=2.5
            yy = t + 10 : init=3.0
            lo = -t : min=-2.5
            k = t : int
            flag = t > 1 : bool
            dc/dt = 0.7 : int
            kk = k * 2 + n : int
            fr = if flag: k + 0.5 else: -1.0
            dr/dt = 1
            gm = mean(r) : population
            gx = max(r) : population
            gn = min(r) : population
            g1 = norm1(r) : population
            g2 = norm2(r) : population
            lm = mean(r) + r
        """), name="misc")
    # an ndarray, not a list: the reference cannot read back a list assigned before compile
    # (`np.array([init] * size).reshape(geometry)` fails) -- a reference bug, not compared
    p.r = np.array([-1.0, 2.0, -3.0])
    names = ["zmax", "pinit", "n", "ng", "b", "f", "sx", "sy", "sz", "oa", "orr", "ob", "o2", "oa2",
             "br", "bx", "bz", "w2", "hi", "yy", "lo", "k", "flag", "c", "kk", "fr", "r",
             "gm", "gx", "gn", "g1", "g2", "lm"]
    rec("misc.before_compile", lambda: {v: p.get(v) for v in names})
    yield
    rec("misc.after_compile", lambda: {v: p.get(v) for v in names})
    mon = ann.Monitor(p, [v for v in names if v not in ("zmax", "pinit", "n", "ng", "b", "f")])
    for _ in SCHEDULE:
        yield
    traces("misc", mon)
    rec("misc.end", lambda: {v: p.get(v) for v in names})
    # float -> int / bool conversions on assignment
    guard("misc.set_n", lambda: setattr(p, "n", 2.7))
    guard("misc.set_ng", lambda: setattr(p, "ng", 2.7))
    guard("misc.set_k", lambda: setattr(p, "k", [1.9, -1.9, 0.5]))
    guard("misc.set_b", lambda: setattr(p, "b", 0))
    rec("misc.after_set", lambda: {v: p.get(v) for v in ["n", "ng", "b", "k"]})


# ---- conditionals ------------------------------------------------------------------------
def cond_block():
    p = ann.Population(3, ann.Neuron(
        parameters="a = 1.0",
        equations="""
            c1 = if t > 1: 3.0 else: 4.0
            c2 = ite(t > 2, 1, 0)
            c3 = if (t > 1) and (t < 3): 5.0 else: -5.0
            c4 = if t == 2: 1 else: 0
            c6 = if (t < 1) or (t >= 4): a else: -a
            c7 = if t != 3: a * t else: 100.0
            c8 = ite(a > 0, ite(t > 1, 10.0, 20.0), 30.0)
            c9 = if a > t:
                    1.5
                else:
                    2.5
            r = c1 + c2
        """), name="cond")
    p.a = [-1.0, 0.5, 2.0]
    yield
    mon = ann.Monitor(p, ["c1", "c2", "c3", "c4", "c6", "c7", "c8", "c9", "r"])
    for _ in SCHEDULE:
        yield
    traces("cond", mon)


def nested_if_block():
    # nested conditional without parentheses (the reference accepts it, see NOTES Q11)
    p = ann.Population(1, ann.Neuron(equations="r = if t > 2: if t > 3: 2 else: 1 else: 0"),
                       name="nested")
    yield
    mon = ann.Monitor(p, "r")
    for _ in SCHEDULE:
        yield
    traces("nested_if", mon)


# ---- built-in functions, user functions, Constant -------------------------------------------
def functions_block():
    ann.add_function("double_it(x) = 2.0 * x")
    c = ann.Constant("cst", 2.0)
    c.set(5.0)   # before compile only: the reference ignores set() after compile (NOTES Q13)
    c2 = ann.Constant("cst2", 0.25)
    p = ann.Population(4, ann.Neuron(
        parameters="a = 1.0\na2 = 3.0",
        equations="""
            b1 = pos(a - t)
            b2 = neg(a - t)
            b3 = clip(a * t, -1.0, 2.0)
            b4 = modulo(t + 7, 3)
            b5 = power(a, 3)
            b6 = fabs(a - t)
            b7 = exp(-t / a2)
            b8 = a^2
            b9 = 2.0**0.5 * a
            b10 = positive(a) + negative(a)
            b11 = sqrt(a2 + t) + log(a2 + t) + sin(a) * cos(t) + tanh(a)
            b12 = 10 - modulo(t + 7, 4)
            b13 = power(a - t, 2)
            s = sigmoid(a * (t - 2))
            q = mix(a, t, 0.25)
            dd = double_it(a + t)
            cv = cst * 10 + a
            dcr/dt = cst2 * cst
            r = b1 + b2 + s
        """,
        functions="""
            sigmoid(x) = 1.0 / (1.0 + exp(-x))
            mix(x, y, w) = w * x + (1 - w) * y
        """), name="funcs")
    p.a = [-2.5, 0.5, 3.7, 1.25]
    p.a2 = [3.0, 0.5, 7.0, 2.0]
    rec("constant.value", lambda: c.value)
    rec("constant.float", lambda: float(c2))
    yield
    mon = ann.Monitor(p, ["b%d" % i for i in range(1, 14)] + ["s", "q", "dd", "cv", "cr", "r"])
    for _ in SCHEDULE:
        yield
    traces("funcs", mon)


# ---- disable / enable: reference keeps updating `: population` variables ------------------
def disable_block():
    p = ann.Population(3, ann.Neuron(equations="""
            dr/dt = 1
            g = t : population
            loc = t
            gm = mean(r) : population
        """), name="dis")
    yield
    mon = ann.Monitor(p, ["r", "g", "loc", "gm"])
    yield                          # after 3 steps
    guard("dis.disable", p.disable)
    rec("dis.enabled_after_disable", lambda: p.enabled)
    yield                          # after 5 steps
    guard("dis.enable", p.enable)
    rec("dis.enabled_after_enable", lambda: p.enabled)
    yield
    traces("dis", mon)


BLOCKS = {"meth_implicit": methods_block("implicit"), "meth_midpoint": methods_block("midpoint"),
          "meth_rk4": methods_block("rk4"), "misc": misc_block, "cond": cond_block,
          "nested_if": nested_if_block, "funcs": functions_block, "dis": disable_block}
run_blocks(BLOCKS, SCHEDULE, {"compiler_flags": "-O0"})

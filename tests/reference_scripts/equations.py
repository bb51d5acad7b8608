"""Differential script 1 (dt = 1.0): numerical methods, equation semantics, built-ins.

Run as ``python equations.py <module> <results.json>``.  One network, one compile.
"""

import numpy as np

from _refcommon import ann, rec, guard, finish

ann.setup(dt=1.0)
METHODS = ["explicit", "implicit", "semiimplicit", "exponential", "midpoint", "rk4"]
T = 6  # steps simulated

# ---- numerical methods on a single linear ODE (per-neuron tau / I, non-zero init) ----------
single = {}
for m in METHODS:
    n = ann.Neuron(parameters="tau = 10.0\nI = 1.0",
                   equations="tau*dx/dt = -x + I : %s, init=0.5\nr = x" % m)
    p = ann.Population(3, n, name="single_" + m)
    p.tau = [10.0, 4.0, 2.5]
    p.I = [1.0, -2.0, 0.25]
    single[m] = p

# ---- coupled 2-variable system (implicit/midpoint/rk4 are solved jointly) --------------------
coupled = {}
for m in METHODS:
    n = ann.Neuron(parameters="a = 0.5",
                   equations="dx/dt = -x + y : %s\ndy/dt = -y - a*x : %s, init=1.0\nr = x" % (m, m))
    p = ann.Population(2, n, name="coupled_" + m)
    p.a = [0.5, 2.0]
    coupled[m] = p
# tau-form coupled system with a parameter, only the joint methods
coupled_tau = {}
for m in ["implicit", "midpoint", "rk4"]:
    n = ann.Neuron(parameters="tau = 5.0\nk = 0.3 : population",
                   equations="tau*du/dt = -u + k*v + 1.0 : %s\ntau*dv/dt = -v - u : %s, init=-1.0\nr = u + v"
                             % (m, m))
    coupled_tau[m] = ann.Population(1, n, name="coupledtau_" + m)

# ---- mixed methods and assignment between ODEs ------------------------------------------------
mixed_impl = ann.Population(1, ann.Neuron(
    equations="dx/dt = -x + y : implicit\ndy/dt = -y - 0.5*x : explicit, init=1.0\nr = x"), name="mixed_impl")
mixed_rk4 = ann.Population(1, ann.Neuron(
    equations="dx/dt = -x + y : rk4\ndy/dt = -y - 0.5*x : explicit, init=1.0\nr = x"), name="mixed_rk4")
split = ann.Population(1, ann.Neuron(
    equations="dx/dt = -x + y\nz = x\ndy/dt = -y - 0.5*x : init=1.0\nr = x"), name="split")
order1 = ann.Population(1, ann.Neuron(equations="a = r + 1\ndr/dt = a\nb = r"), name="order1")
order2 = ann.Population(1, ann.Neuron(equations="dr/dt = a\na = r + 1"), name="order2")

# ---- bounds / init -----------------------------------------------------------------------
bounds = ann.Population(2, ann.Neuron(
    parameters="zmax = 1.5\np = 1.0 : init = 3.0",
    equations="""
        dr/dt = 1 : min=0.0, max=2.5
        dx/dt = -1 : min=0.0, init=2.0
        dz/dt = 1 : max = zmax
        w2 = t : max=2
        hi = 7.0 : init=5.0, max=2.5
        y = t + 10 : init=3.0
        lo = -t : min=-2.5
    """), name="bounds")
rec("bounds.before_compile", lambda: {v: bounds.get(v) for v in ["r", "x", "z", "w2", "hi", "y", "p", "lo"]})

# ---- int / bool ----------------------------------------------------------------------------
ib = ann.Population(2, ann.Neuron(
    parameters="n = 2 : int\nng = 3 : int, population\nb = True : bool\nf = 1.5",
    equations="""
        k = t : int
        flag = t > 1 : bool
        dc/dt = 0.7 : int
        kk = k * 2 + n : int
        r = if flag: k + 0.5 else: -1.0
    """), name="intbool")

# ---- conditionals ------------------------------------------------------------------------
cond = ann.Population(3, ann.Neuron(
    parameters="a = 1.0",
    equations="""
        c1 = if t > 1: 3.0 else: 4.0
        c2 = ite(t > 2, 1, 0)
        c3 = if (t > 1) and (t < 3): 5.0 else: -5.0
        c4 = if t == 2: 1 else: 0
        c5 = if t > 2: if t > 3: 2 else: 1 else: 0
        c6 = if (t < 1) or (t >= 4): a else: -a
        c7 = if t != 3: a * t else: 100.0
        c8 = ite(a > 0, ite(t > 1, 10.0, 20.0), 30.0)
        c9 = if a > t:
                1.5
            else:
                2.5
        r = c1 + c2
    """), name="cond")
cond.a = [-1.0, 0.5, 2.0]

# ---- built-in functions --------------------------------------------------------------------
builtins = ann.Population(4, ann.Neuron(
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
        r = b1 + b2
    """), name="builtins")
builtins.a = [-2.5, 0.5, 3.7, 1.25]
builtins.a2 = [3.0, 0.5, 7.0, 2.0]

# ---- user functions -------------------------------------------------------------------------
ann.add_function("double_it(x) = 2.0 * x")
ufun = ann.Population(3, ann.Neuron(
    parameters="a = 1.0",
    equations="""
        s = sigmoid(a * (t - 2))
        q = mix(a, t, 0.25)
        dd = double_it(a + t)
        r = s + q
    """,
    functions="""
        sigmoid(x) = 1.0 / (1.0 + exp(-x))
        mix(x, y, w) = w * x + (1 - w) * y
    """), name="ufun")
ufun.a = [-1.0, 0.5, 3.0]

# ---- Constant (set BEFORE compile; the reference ignores set() after compile) -----------------
c = ann.Constant("cst", 2.0)
c.set(5.0)
c2 = ann.Constant("cst2", 0.25)
const = ann.Population(2, ann.Neuron(parameters="a = 1.0",
                                     equations="cv = cst * 10 + a\ndr/dt = cst2 * cst"), name="const")
const.a = [1.0, -1.0]
rec("constant.value", lambda: c.value)
rec("constant.float", lambda: float(c2))

# ---- global operations ----------------------------------------------------------------------
glob = ann.Population(3, ann.Neuron(equations="""
        dr/dt = 1
        gm = mean(r) : population
        gx = max(r) : population
        gn = min(r) : population
        g1 = norm1(r) : population
        g2 = norm2(r) : population
        lm = mean(r) + r
    """), name="glob")
glob.r = [-1.0, 2.0, -3.0]

# ---- disable / enable (reference: disabled pops still update `: population` variables) ------
dis = ann.Population(3, ann.Neuron(equations="""
        dr/dt = 1
        g = t : population
        loc = t
        gm = mean(r) : population
    """), name="dis")

ann.compile()

rec("bounds.after_compile", lambda: {v: bounds.get(v) for v in ["r", "x", "z", "w2", "hi", "y", "p", "lo"]})
rec("intbool.before", lambda: {v: ib.get(v) for v in ["n", "ng", "b", "f", "k", "flag", "c", "kk"]})
rec("glob.before", lambda: {v: glob.get(v) for v in ["r", "gm", "gx", "gn", "g1", "g2", "lm"]})

mons = {}
for m, p in single.items():
    mons["single." + m] = ann.Monitor(p, ["x"])
for m, p in coupled.items():
    mons["coupled." + m] = ann.Monitor(p, ["x", "y"])
for m, p in coupled_tau.items():
    mons["coupledtau." + m] = ann.Monitor(p, ["u", "v", "r"])
mons["mixed.implicit_explicit"] = ann.Monitor(mixed_impl, ["x", "y"])
mons["mixed.rk4_explicit"] = ann.Monitor(mixed_rk4, ["x", "y"])
mons["order.split"] = ann.Monitor(split, ["x", "y", "z"])
mons["order.arb"] = ann.Monitor(order1, ["a", "r", "b"])
mons["order.ra"] = ann.Monitor(order2, ["r", "a"])
mons["bounds"] = ann.Monitor(bounds, ["r", "x", "z", "w2", "hi", "y", "lo"])
mons["intbool"] = ann.Monitor(ib, ["k", "flag", "c", "kk", "r"])
mons["cond"] = ann.Monitor(cond, ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "r"])
mons["builtins"] = ann.Monitor(builtins, ["b%d" % i for i in range(1, 14)] + ["r"])
mons["ufun"] = ann.Monitor(ufun, ["s", "q", "dd", "r"])
mons["const"] = ann.Monitor(const, ["cv", "r"])
mons["glob"] = ann.Monitor(glob, ["r", "gm", "gx", "gn", "g1", "g2", "lm"])
mons["dis"] = ann.Monitor(dis, ["r", "g", "loc", "gm"])

ann.simulate(3)
guard("dis.disable", dis.disable)
rec("dis.enabled_after_disable", lambda: dis.enabled)
ann.simulate(2)
guard("dis.enable", dis.enable)
rec("dis.enabled_after_enable", lambda: dis.enabled)
ann.simulate(T - 5)

for key, mon in mons.items():
    for var in mon.variables:
        rec("trace.%s.%s" % (key, var), lambda: mon.get(var, keep=True))

# ---- type conversions on int / bool attributes after compile -------------------------------
rec("intbool.after_sim", lambda: {v: ib.get(v) for v in ["n", "ng", "b", "f", "k", "flag", "c", "kk"]})
guard("intbool.set_n", lambda: setattr(ib, "n", 2.7))
guard("intbool.set_ng", lambda: setattr(ib, "ng", 2.7))
guard("intbool.set_k", lambda: setattr(ib, "k", [1.9, -1.9]))
guard("intbool.set_b", lambda: setattr(ib, "b", 0))
rec("intbool.after_set", lambda: {v: ib.get(v) for v in ["n", "ng", "b", "k"]})
rec("glob.after", lambda: {v: glob.get(v) for v in ["r", "gm", "gx", "gn", "g1", "g2", "lm"]})
rec("const.after", lambda: const.cv)

finish()

"""End-to-end: compile small networks and compare with closed-form solutions."""

import math

import numpy as np
import pytest

import annbook as ann

METHODS = ["explicit", "implicit", "semiimplicit", "exponential", "midpoint", "rk4"]
# One model integrates the same linear ODE with every method (one compile for all).
LINEAR = ann.Neuron(
    parameters="tau = 10.0 : population\nI = 1.0\nr = 0.0",
    equations="\n".join(f"tau * d{m}/dt + {m} = I : {m}" for m in METHODS),
)


def final_error(dt, duration=20.0):
    ann.clear()
    ann.setup(dt=dt)
    pop = ann.Population(1, LINEAR)
    ann.compile()
    ann.simulate(duration)
    exact = 1.0 - math.exp(-duration / 10.0)
    return {m: abs(float(getattr(pop, m)[0]) - exact) for m in METHODS}


def test_each_method_converges_with_its_order():
    coarse, fine = final_error(1.0), final_error(0.5)
    orders = {m: math.log2(coarse[m] / fine[m]) for m in METHODS if m != "exponential"}
    assert orders["explicit"] == pytest.approx(1.0, abs=0.1)
    assert orders["implicit"] == pytest.approx(1.0, abs=0.1)
    assert orders["semiimplicit"] == pytest.approx(1.0, abs=0.1)
    assert orders["midpoint"] == pytest.approx(2.0, abs=0.1)
    assert orders["rk4"] == pytest.approx(4.0, abs=0.2)
    assert coarse["exponential"] < 1e-12         # exact for a constant input


def test_state_after_steps_matches_the_reference_values():
    pop = ann.Population(2, LINEAR)
    pop.I = [1.0, 2.0]
    ann.compile()
    ann.simulate(3.0)
    assert pop.explicit == pytest.approx([0.271, 0.542])
    assert pop.rk4[0] == pytest.approx(0.2591815779988223, rel=1e-12)
    assert pop.implicit[0] == pytest.approx(0.24868519909842224, rel=1e-12)


def test_coupled_oscillator_rk4_conserves_energy():
    osc = ann.Neuron(parameters="w = 0.1 : population\nr = 0.0",
                     equations="dx/dt = w * y : rk4, init=1.0\ndy/dt = -w * x : rk4")
    pop = ann.Population(1, osc)
    ann.compile()
    ann.simulate(1000.0)
    assert pop.x[0] == pytest.approx(math.cos(100.0), abs=2e-4)     # global error O((w dt)^4)
    assert pop.y[0] == pytest.approx(-math.sin(100.0), abs=2e-4)
    assert pop.x[0] ** 2 + pop.y[0] ** 2 == pytest.approx(1.0, abs=1e-4)


FEATURES = ann.Neuron(
    parameters="""
        a = 2.0 : population
        b = 0.5
        k = 3 : int
    """,
    equations="""
        c = if t > 2.0: 1.0 else: 0.0
        e = ite(t >= 4, a, -a) + clip(t, 0.0, 3.0) + modulo(k - 7, 3) + pos(-1) + neg(-1) : init=7.0
        m = mean(r) : population
        n1 = norm1(r) : population
        n2 = norm2(r) : population
        mx = max(r) : population
        mn = min(r) : population
        r = b * t
        q = fabs(-b) + power(2, 3) + exp(0) + cst * 0.01 + sq(b) : max=11.5
        cnt += 1 : int
        flag = t > 1 : bool
        dclamped/dt = 1.0 : max=2.5
    """,
    functions="sq(x) = x * x",
)


def features():
    ann.Constant("cst", 1.0)
    pop = ann.Population(3, FEATURES)
    pop.b = [1.0, 2.0, 3.0]
    return pop


def test_conditionals_builtins_functions_types_and_clamps():
    pop = features()
    assert pop.e[0] == 7.0               # init before the first step
    ann.compile()
    ann.simulate(5.0)                    # last update ran at t = 4 ms
    assert np.all(pop.c == 1.0)
    assert pop.e[0] == pytest.approx(2.0 + 3.0 - 1.0 + 0.0 - 1.0)       # modulo(-4, 3) = -1 (C)
    assert pop.q[0] == pytest.approx(1.0 + 8.0 + 1.0 + 0.01 + 1.0)
    assert pop.q[1] == 11.5              # max= clamps
    assert pop.cnt.dtype == np.int64 and np.all(pop.cnt == 5)
    assert pop.flag.dtype == np.bool_ and np.all(pop.flag)
    assert np.all(pop.clamped == 2.5)


def test_global_operations_use_the_previous_step():
    pop = features()
    m = ann.Monitor(pop, ["m", "mx", "mn", "n1", "n2", "r"])
    ann.compile()
    ann.simulate(4.0)
    data = m.get()
    r = data["r"]                        # r = b * t, b = 1, 2, 3
    assert data["m"][1:] == pytest.approx(r[:-1].mean(axis=1))
    assert data["mx"][1:] == pytest.approx(r[:-1].max(axis=1))
    assert data["mn"][1:] == pytest.approx(r[:-1].min(axis=1))
    assert data["n1"][1:] == pytest.approx(np.abs(r[:-1]).sum(axis=1))
    assert data["n2"][1:] == pytest.approx(np.sqrt((r[:-1] ** 2).sum(axis=1)))


def test_constants_and_parameters_change_without_recompiling():
    cst = ann.Constant("cst", 1.0)
    pop = ann.Population(3, FEATURES)
    ann.compile()
    pop.a = 5.0
    cst.set(100.0)
    ann.simulate(5.0)
    assert pop.e[0] == pytest.approx(5.0 + 3.0 - 1.0 - 1.0)
    assert pop.q[0] == pytest.approx(0.5 + 8.0 + 1.0 + 1.0 + 0.25)   # new constant value


def test_user_functions_from_python():
    pop = features()
    ann.add_function("double(x) = 2 * x")
    assert pop.sq(np.array([1.0, 3.0])) == pytest.approx([1.0, 9.0])
    assert ann.functions("double")(4.0) == 8.0


NOISE = ann.Neuron(
    parameters="lo = -1.0 : population\nhi = 3.0 : population\nr = 0.0",
    equations="""
        u = Uniform(lo, hi)
        du = DiscreteUniform(1, 3)
        nrm = Normal(2.0, 0.5)
        ln = LogNormal(0.0, 0.5)
        ex = Exponential(2.0)
        ga = Gamma(2.0, 3.0)
        bi = Binomial(10, 0.3)
    """,
)


def test_random_distributions_in_equations():
    ann.setup(seed=1)
    pop = ann.Population(20000, NOISE)
    ann.compile()
    ann.simulate(1.0)
    assert pop.u.min() >= -1.0 and pop.u.max() <= 3.0 and pop.u.mean() == pytest.approx(1.0, abs=0.05)
    assert set(np.unique(pop.du)) == {1.0, 2.0, 3.0}
    assert pop.nrm.mean() == pytest.approx(2.0, abs=0.02) and pop.nrm.std() == pytest.approx(0.5, abs=0.02)
    assert np.log(pop.ln).std() == pytest.approx(0.5, abs=0.02)
    assert pop.ex.mean() == pytest.approx(0.5, abs=0.02)
    assert pop.ga.mean() == pytest.approx(6.0, abs=0.15)
    assert pop.bi.mean() == pytest.approx(3.0, abs=0.05)


def test_same_seed_same_draws_new_draw_each_step():
    def run(seed):
        ann.clear()
        ann.setup(seed=seed)
        pop = ann.Population(100, NOISE)
        m = ann.Monitor(pop, "nrm")
        ann.compile()
        ann.simulate(2.0)
        return m.get("nrm")
    first, second, other = run(3), run(3), run(4)
    assert np.array_equal(first, second)
    assert not np.array_equal(first, other)
    assert not np.array_equal(first[0], first[1])


def test_time_api_and_step():
    ann.Population(1, LINEAR)
    ann.compile()
    ann.simulate(10.0)
    assert ann.get_time() == 10.0 and ann.get_current_step() == 10
    ann.step()
    assert ann.get_current_step() == 11
    ann.set_time(100.0)
    assert ann.get_current_step() == 100
    ann.set_time(3.7)                            # truncated to a step, as the reference
    assert ann.get_current_step() == 3
    ann.simulate(10.5)                           # ceil(duration / dt) steps
    assert ann.get_current_step() == 14
    ann.set_current_step(5)
    assert ann.get_time() == 5.0
    assert ann.dt() == 1.0


def test_simulate_until_stop_condition():
    ramp = ann.Neuron(parameters="slope = 1.0", equations="r = slope * t")
    pop = ann.Population(2, ramp, stop_condition="r > 5.0")
    pop.slope = [1.0, 0.5]
    other = ann.Population(1, ramp, stop_condition="r > 2.0 : all")
    ann.compile()
    elapsed = ann.simulate_until(100.0, pop)
    assert elapsed == 7.0 and ann.get_time() == 7.0         # r = 6 at t = 6 (step 7 done)
    ann.reset()
    assert ann.simulate_until(100.0, [pop, other], operator="or") == 4.0
    ann.reset()
    assert ann.simulate_until(3.0, pop) == 3.0


def test_disable_freezes_a_population_and_reset_restores():
    pop = ann.Population(1, LINEAR)
    pop.explicit = 0.5
    ann.compile()
    pop.disable()
    ann.simulate(5.0)
    assert pop.explicit[0] == 0.5 and not pop.enabled
    pop.enable()
    ann.simulate(5.0)
    assert pop.explicit[0] != 0.5
    ann.reset()
    assert pop.explicit[0] == 0.5 and ann.get_time() == 0.0

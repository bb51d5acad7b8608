"""Habits of scripts written for ANNarchy 4.8.2 (issues 12 and 16), without the reference.

Each number was recorded from ANNarchy 4.8.2.7 with ``tests/reference_scripts/habits.py``
(the key is given); ``python -m pytest -m reference tests/test_reference.py`` compares the
whole script with the reference again. The wrong forms are checked to their messages.
"""

import importlib

import numpy as np
import pytest

import annbook as ann

INPUT = ann.Neuron(parameters="r = 1.0")


def error_of(fn):
    with pytest.raises(ann.ANNarchyException) as error:
        fn()
    return str(error.value)


# ---- sum(in): a target named like a Python keyword -----------------------------------------------

def test_a_target_named_like_a_keyword():
    inp = ann.Population(3, INPUT)
    out = ann.Population(3, ann.Neuron(equations="r = sum(in) + 0.5*sum(exc)"))
    ann.Projection(inp, out, "in").connect_one_to_one(weights=2.0)
    ann.Projection(inp, out, "exc").connect_one_to_one(weights=1.0)
    ann.compile()
    ann.simulate(12)
    # reference: sum_keyword.r, sum_keyword.sum_in
    assert list(out.r) == [2.5, 2.5, 2.5] and list(out.sum("in")) == [2.0, 2.0, 2.0]


def test_a_target_must_be_a_name():
    pop = ann.Population(2, INPUT, name="src")
    assert error_of(lambda: ann.Projection(pop, pop, "ex c")) == (
        "Projection: the target must be a name such as 'exc' or a list of names, got 'ex c'")
    assert "got 5" in error_of(lambda: ann.Projection(pop, pop, 5))


# ---- comments on their own lines, continued equations ------------------------------------------

def test_comments_on_their_own_lines_and_a_reset_of_comments():
    neuron = ann.Neuron(parameters="# a comment\ntau = 10.0  # ms\nvt = 1.0",
                        equations="# the membrane\ntau * dv/dt = -v + 2.0\n# between\nx = v + 1",
                        spike="\n# spike when\nv > vt\n", reset="\n# reset it\nv = 0.0\n")
    silent = ann.Neuron(parameters="vt = 1.0", equations="dv/dt = 0.5", spike="v > vt",
                        reset="\n  # nothing to reset\n")
    a, b = ann.Population(2, neuron), ann.Population(1, silent)
    ma, mb = ann.Monitor(a, "spike"), ann.Monitor(b, "spike")
    ann.compile()
    ann.simulate(12)
    # reference: comments.spikes, comments.v, comments.reset_spikes, comments.reset_v
    assert ma.get("spike") == {0: [6], 1: [6]}
    assert a.v == pytest.approx([0.81902] * 2) and a.x == pytest.approx([1.81902] * 2)
    assert mb.get("spike") == {0: list(range(2, 12))} and list(b.v) == [6.0]


def test_a_comment_in_a_condition_does_not_declare_a_conductance():
    neuron = ann.Neuron(equations="dv/dt = 1  # g_noise is not used", spike="v > 1 # g_x",
                        reset="v = 0")
    assert [a.name for a in ann.Population(1, neuron)._description.attributes] == ["v", "r"]


def test_a_spike_condition_of_comments_only_is_refused():
    neuron = ann.Neuron(equations="dv/dt = 1", spike="# v > 1", reset="v = 0", name="Mute")
    assert error_of(lambda: ann.Population(1, neuron)) == (
        "in model 'Mute': the spike condition holds only comments\n    line: # v > 1\n"
        "    expected: a condition such as 'v > v_thresh'")


def test_an_equation_continued_on_lines_starting_with_an_operator():
    neuron = ann.Neuron(parameters="tau = 10.0\nbaseline = 1.0\nnoise = 0.5", equations="""
        tau * dmp/dt + mp = 2.0
            + baseline + noise : implicit
        r = mp
            - 1.0
    """)
    pop = ann.Population(2, neuron)
    ann.compile()
    ann.simulate(12)
    # reference: continued.mp, continued.r (the implicit flag of the second line applies)
    assert pop.mp == pytest.approx([2.384792138013751] * 2, rel=1e-12)
    assert pop.r == pytest.approx([1.3847921380137511] * 2, rel=1e-12)


def test_a_line_that_continues_nothing_is_still_an_error():
    neuron = ann.Neuron(equations="r = 1.0\n baseline", name="Loose")
    assert error_of(lambda: ann.Population(1, neuron)) == (
        "in model 'Loose': an equation needs a left side and a right side\n    line: baseline\n"
        "    expected: 'x = expression', 'x += expression' or 'tau * dx/dt = expression'")


# ---- flags on the statements of synaptic events --------------------------------------------------

def _event_network(last=8.0):
    src = ann.SpikeSourceArray(spike_times=[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, last]])
    post = ann.Population(1, ann.Neuron(
        equations="dv/dt = 0.4 : init=0.0\ng_exc = g_exc\ng_inh = g_inh\ng_bnd = g_bnd",
        spike="v > 1.0", reset="v = 0.0"))
    return src, post


def test_bounds_and_declarations_on_event_statements():
    src, post = _event_network()
    clipped = ann.Synapse(pre_spike="""
        g_target += w : max=2.5
        w -= 1.0 : min=0.0
        x = x + 1 : init=0.5, max=2.7
        k += 1 : int, init=3
    """, post_spike="w += 0.25 : max=3.75\ny = 2 : init=-1")
    growing = ann.Synapse(pre_spike="g_target += w\nw += 1.0 : max=3.0")
    p = ann.Projection(src, post, "exc", clipped)
    p.connect_all_to_all(weights=4.0)
    q = ann.Projection(src, post, "inh", growing)
    q.connect_all_to_all(weights=1.0)
    m = ann.Monitor(post, ["g_exc", "g_inh"])
    ann.compile()
    # reference: events.initial (variables declared by an event take their init=)
    assert (p.x[0][0], p.k[0][0], p.y[0][0]) == (0.5, 3, -1.0) and p.k[0].dtype.kind == "i"
    ann.simulate(12)
    # reference: events.g_exc, events.g_inh, events.w, events.declared
    assert list(m.get("g_exc")[:, 0]) == [0.0, 0.0] + [2.5] * 10
    assert list(m.get("g_inh")[:, 0]) == [0, 0, 1, 3, 6, 9, 12, 15, 15, 18, 18, 18]
    assert (p.w[0][0], q.w[0][0]) == (0.25, 3.0)
    assert (p.x[0][0], p.k[0][0], p.y[0][0]) == (2.7, 10, 2.0)


def test_event_bounds_named_by_parameters_are_read_at_run_time():
    src, post = _event_network(last=10.0)
    cmax = ann.Constant("ev_cmax", 4.0)
    cmax.set(4.5)
    named = ann.Synapse(parameters="gmax = 2.5 : projection\nwmin = 1.0 : postsynaptic",
                        pre_spike="g_target += w : max=gmax + ev_cmax - 4.0\nw -= 1.0 : min=wmin")
    b = ann.Projection(src, post, "bnd", named)
    b.connect_all_to_all(weights=5.0)
    m = ann.Monitor(post, "g_bnd")
    ann.compile()
    module = ann.core.network.global_network()._module
    ann.simulate(3)
    b.gmax, b.wmin = 3.5, 2.0
    ann.simulate(8)
    # reference: events.g_bnd, events.w (the new values apply without a new build)
    assert list(m.get("g_bnd")[:, 0]) == [0.0, 0.0, 3.0] + [4.0] * 8
    assert b.w[0][0] == 2.0
    assert ann.core.network.global_network()._module is module
    # annbook reads a Constant at run time too (the spike of 10 ms arrives at step 11); the
    # reference keeps the value it had at compile time (its Constant.set() has no effect then)
    cmax.set(4.25)
    ann.simulate(1)
    assert post.g_bnd[0] == 3.75


def test_a_bound_reads_the_current_value_of_a_local_synaptic_parameter():
    src, post = _event_network()
    local = ann.Synapse(parameters="gmax = 2.5", pre_spike="g_target += w : max=gmax")
    p = ann.Projection(src, post, "exc", local)
    p.connect_all_to_all(weights=5.0)
    ann.compile()
    ann.simulate(3)
    assert post.g_exc[0] == 2.5
    p.gmax = 1.5
    ann.simulate(2)
    assert post.g_exc[0] == 1.5


@pytest.mark.parametrize("pre_spike,message", [
    ("g_target += w\nnothing += 1", "in model 'Events': 'pre_spike' changes 'nothing', which the "
     "model does not declare\n    line: nothing += 1\n    expected: a variable of the model (), "
     "or declare it here with ': init=0.0'"),
    ("g_target += w : projection", "in model 'Events': the flag 'projection' cannot be given in "
     "'pre_spike'\n    line: g_target += w : projection\n    expected: this flag where the "
     "variable is declared (parameters or equations)"),
    ("g_target += w : maxi=2", "in model 'Events': unknown flag 'maxi=2' in 'pre_spike'\n    "
     "line: g_target += w : maxi=2\n    expected: unless_post, init=..., min=..., max=..., int, "
     "bool or float"),
])
def test_wrong_flags_in_synaptic_events(pre_spike, message):
    assert error_of(lambda: ann.Synapse(pre_spike=pre_spike, name="Events")._describe()) == message


def test_a_reset_takes_no_bounds():
    neuron = ann.Neuron(equations="dv/dt = 1", spike="v > 2", reset="v = -5 : min=-1", name="R")
    assert "unknown flag 'min=-1' in 'reset'" in error_of(lambda: ann.Population(1, neuron))


# ---- pre.sum(exc) and post.sum(exc) in synapses --------------------------------------------------

def test_pre_and_post_sums_in_synaptic_equations():
    inp = ann.Population(2, INPUT)
    mid = ann.Population(2, ann.Neuron(equations="r = sum(exc) + 1.0"))
    out = ann.Population(2, ann.Neuron(equations="r = sum(exc)"))
    ann.Projection(inp, mid, "exc").connect_all_to_all(weights=0.5)
    synapse = ann.Synapse(equations="x = pre.sum(exc) + 10 * post.sum(exc)\n"
                                    "dw/dt = 0.1 * post.sum(exc) : min=0.0")
    b = ann.Projection(mid, out, "exc", synapse)
    b.connect_all_to_all(weights=1.0)
    ann.compile()
    ann.simulate(3)
    # reference: side_sums.x.0, side_sums.w.0, side_sums.r.0 (the sums of this step)
    assert np.allclose(b.x, 57.0) and np.allclose(b.w, 1.96) and np.allclose(out.r, 5.6)
    ann.simulate(3)
    assert np.allclose(b.x, 154.664) and np.allclose(b.w, 5.37824)


@pytest.mark.parametrize("neuron,synapse,psp,message", [
    (None, "x = pre.sum(exc)", None, "'pre.sum(exc)': the pre-synaptic neuron 'Spiking' is "
     "spiking, it has conductances instead of weighted sums"),
    ("rate", "x = 1", "pre.sum(exc) * w", "pre.sum() and post.sum() cannot be read in psp"),
])
def test_pre_and_post_sums_wrong_forms(neuron, synapse, psp, message):
    if neuron is None:
        pre = ann.Population(1, ann.Neuron(equations="dv/dt = 1", spike="v > 1", reset="v = 0",
                                           name="Spiking"))
        post = ann.Population(1, ann.Neuron(equations="dv/dt = 1\ng_exc = 0", spike="v > 1",
                                            reset="v = 0"))
        syn = ann.Synapse(equations=synapse, pre_spike="g_target += w")
    else:
        pre = post = ann.Population(2, INPUT)
        syn = ann.Synapse(equations=synapse, psp=psp)
    ann.Projection(pre, post, "exc", syn).connect_all_to_all(1.0)
    assert message in error_of(ann.compile)


def test_pre_sum_in_a_neuron_is_refused():
    ann.Population(1, ann.Neuron(equations="r = pre.sum(exc)", name="N"))
    assert error_of(ann.compile) == (
        "in model 'N': 'pre.sum(exc)' is only available in synapses\n    line: r = pre.sum(exc)\n"
        "    expected: sum(target) in neuron equations")


# ---- dendrite[i], assigned shapes, spike_times = ... ---------------------------------------------

def test_dendrite_indexing():
    inp = ann.Population(4, INPUT)
    out = ann.Population(2, ann.Neuron(equations="r = sum(exc)"))
    proj = ann.Projection(inp, out, "exc", name="ac")
    proj.connect_from_matrix(np.arange(8.0).reshape(2, 4) / 10.0)
    ann.compile()
    d = proj.dendrite(1)
    # reference: dendrite.synapse, dendrite.after_set
    assert (d[2].w, d[2].rank, d.w[2], proj[1][3].w) == (0.6, 2, 0.6, 0.7)
    d[0].w = 5.0
    assert list(proj.dendrite(1).w) == [5.0, 0.5, 0.6, 0.7]
    assert error_of(lambda: d[7]) == "dendrite 1 of 'ac' has no synapse from pre neuron 7"


def test_arrays_of_the_right_size_in_a_row_or_a_column():
    grid = ann.Population((17, 17), ann.Neuron(parameters="r = 0.0\nb = 1.0"), name="grid")
    grid.r = np.arange(289.0).reshape(1, 289)
    grid.b = np.arange(289.0).reshape(289, 1)
    # reference: shape.row, shape.column
    assert grid.r.shape == (17, 17) and grid.r[1, 0] == 17.0 and grid.b[2, 1] == 35.0
    grid.r = [[1.0] * 289]
    assert grid.r.sum() == 289.0
    assert error_of(lambda: setattr(grid, "r", np.arange(288.0))) == (
        "Population 'grid': cannot assign an array of shape (288,) to 'r'; expected a single "
        "value, 289 values or the shape (17, 17)")


def test_spike_times_can_be_assigned():
    src = ann.SpikeSourceArray(spike_times=[[1.0], [2.0]], name="src")
    m = ann.Monitor(src, "spike")
    ann.compile()
    ann.simulate(3)
    src.spike_times = [[5.0, 6.0], [7.0]]
    assert src.spike_times == [[5.0, 6.0], [7.0]]
    ann.simulate(9)
    assert m.get("spike") == {0: [1, 5, 6], 1: [2, 7]}      # reference: spike_times.spikes
    assert error_of(lambda: setattr(src, "spike_times", "soon")) == (
        "SpikeSourceArray 'src': spike_times must be a list of times (ms), or a list of such "
        "lists (one per neuron), got 'soon'")


# ---- names of the API ----------------------------------------------------------------------------

def test_csr_standard_models_and_network_manager():
    inp = ann.Population(3, INPUT, name="nm_in")
    out = ann.Population(3, ann.Neuron(equations="r = sum(exc)"), name="nm_out")

    def reversed_pairs(pre, post, weight):
        synapses = ann.CSR()
        for rank in range(post.size):
            synapses.add(rank, [post.size - 1 - rank], [weight * (rank + 1)], [0])
        return synapses

    proj = ann.Projection(inp, out, "exc")
    proj.connect_with_func(reversed_pairs, weight=0.5)
    manager = ann.NetworkManager()
    assert (len(manager), manager.number_projections(0), manager.is_compiled(0)) == (1, 1, False)
    ann.compile()
    ann.simulate(2)
    assert ann.CSR is ann.LILConnectivity and list(out.r) == [0.5, 1.0, 1.5]
    assert manager.get_population_names(0) == ["nm_in", "nm_out"] and manager.is_compiled(0)
    assert manager.get_population(0, "nm_in") is inp and manager.get_projections(0) == [proj]
    assert "Network 0 (MagicNetwork)\n  populations = [nm_in, nm_out]" in repr(manager)
    # reference: names.neurons, names.synapses (same classes, same order)
    assert [c.__name__ for c in ann.list_standard_neurons()] == [
        "LeakyIntegrator", "Izhikevich", "IF_curr_exp", "IF_cond_exp", "IF_curr_alpha",
        "IF_cond_alpha", "HH_cond_exp", "EIF_cond_alpha_isfa_ista", "EIF_cond_exp_isfa_ista"]
    assert [c.__name__ for c in ann.models.list_standard_synapses()] == [
        "STP", "STDP", "Hebb", "Oja", "IBCM"]


def test_the_star_import():
    namespace = {}
    exec("from annbook import *", namespace)
    for name in ("np", "sys", "time", "os"):
        assert namespace[name] is importlib.import_module("numpy" if name == "np" else name)
    exported = set(namespace) - {"__builtins__"}
    assert exported == set(ann.__all__)
    modules = {name for name in exported if type(namespace[name]).__name__ == "module"}
    assert modules == {"np", "sys", "time", "os"}


# ---- parameter values ----------------------------------------------------------------------------

def test_parameter_values_written_as_arithmetic():
    pop = ann.Population(2, ann.Neuron(parameters="""
        tau_plus = 0.00014*0.75
        a = 1/20.0
        b = -65.0 + 5 : population
        c = 2 * 3 : int
        d = 10 / 4 : int
        e = 2**3
        f = (1 + 2) * 3
        g = 1e-3 * 2
    """, equations="r = tau_plus + a"))
    # reference: values.arithmetic
    assert list(pop.tau_plus) == [0.00014 * 0.75] * 2 and list(pop.a) == [0.05, 0.05]
    assert pop.b == -60.0 and list(pop.c) == [6, 6] and list(pop.d) == [2, 2]
    assert list(pop.e) == [8.0, 8.0] and list(pop.f) == [9.0, 9.0] and list(pop.g) == [0.002] * 2


@pytest.mark.parametrize("value,problem", [
    ("2 * foo", "is not a number, arithmetic on numbers, True/False or a Constant"),
    ("2^3", "uses '^', a bitwise xor in Python; write a power as '**'"),
    ("1 / 0", "divides by zero"),
    ("10.0 ** 400", "is too large for a number"),
])
def test_parameter_values_that_are_not_arithmetic_on_numbers(value, problem):
    neuron = ann.Neuron(parameters=f"x = {value}", equations="r = x", name="Values")
    assert error_of(lambda: ann.Population(1, neuron)) == (
        f"in model 'Values': the value '{value}' {problem}\n    line: x = {value}\n"
        "    expected: a number or arithmetic on numbers (e.g. 10.0 or 1/20.0), True/False, the "
        "name of a Constant, or a quoted name given in extra_values")


def test_quoted_names_from_extra_values():
    extra = ann.Neuron(parameters="A = 'A_Xr' : population\n tau = 'tau_Xr' : population",
                       equations="r = A / tau", extra_values={"A_Xr": 2.5, "tau_Xr": 10.0})
    q = ann.Population(2, extra)
    eta = ann.Synapse(parameters='eta = "eta_v" : projection', equations="dw/dt = eta",
                      extra_values={"eta_v": 0.5})
    proj = ann.Projection(q, q, "exc", eta)
    proj.connect_all_to_all(1.0)
    ann.compile()
    ann.simulate(12)
    # reference: values.extra
    assert (q.A, q.tau, list(q.r), proj.eta) == (2.5, 10.0, [0.25, 0.25], 0.5)
    assert [list(w) for w in proj.w] == [[7.0], [7.0]]


def test_a_quoted_name_missing_from_extra_values():
    neuron = ann.Neuron(parameters="A = 'A_Xr' : population", equations="r = A", name="Xr",
                        extra_values={"B": 1.0})
    assert error_of(lambda: ann.Population(1, neuron)) == (
        "in model 'Xr': the parameter 'A' takes the value of 'A_Xr' from extra_values, which "
        "does not hold it (given: 'B')\n    line: A = 'A_Xr' : population\n"
        "    expected: extra_values={'A_Xr': value, ...} in the model's constructor")
    wrong = ann.Neuron(parameters="A = 'A_Xr'", equations="r = A", name="Xr",
                       extra_values={"A_Xr": "ten"})
    assert "extra_values['A_Xr'] of the parameter 'A' is a str, not a number" in \
        error_of(lambda: ann.Population(1, wrong))


# ---- bounds named by parameters in equations -----------------------------------------------------

def test_equation_bounds_named_by_parameters_follow_their_changes():
    ann.Constant("bd_cmax", 4.0).set(3.5)
    pop = ann.Population(3, ann.Neuron(
        parameters="rmax = 3.0\nrmax_g = 2.0 : population\nrmin = -1.0\ntau = 1.0",
        equations="""
            r = r + 1 : max=rmax
            y = y + 1 : max=rmax_g
            z = z - 1 : min=rmin
            u = u + 1 : max=bd_cmax
            tau * dv/dt = 10 : max=rmax, init=0.5
        """))
    ann.compile()
    module = ann.core.network.global_network()._module
    ann.simulate(3)
    # reference: bounds.0, bounds.1, bounds.2
    assert [list(pop.r), list(pop.y), list(pop.z), list(pop.u), list(pop.v)] == [
        [3.0] * 3, [2.0] * 3, [-1.0] * 3, [3.0] * 3, [3.0] * 3]
    pop.rmax, pop.rmax_g, pop.rmin = [1.0, 5.0, 10.0], 7.0, -3.0
    ann.simulate(3)
    assert [list(pop.r), list(pop.y), list(pop.z), list(pop.u), list(pop.v)] == [
        [1.0, 5.0, 6.0], [5.0] * 3, [-3.0] * 3, [3.5] * 3, [1.0, 5.0, 10.0]]
    ann.simulate(6)
    assert list(pop.r) == [1.0, 5.0, 10.0] and list(pop.y) == [7.0] * 3
    assert ann.core.network.global_network()._module is module     # no new build


def test_a_bound_naming_an_unknown_parameter():
    ann.Population(1, ann.Neuron(equations="r = r + 1 : max=rmax", name="B"))
    assert error_of(ann.compile) == (
        "in model 'B': unknown name 'rmax'\n    line: r = r + 1 : max=rmax\n"
        "    expected: a parameter or variable of the model, a Constant, t, dt or pi")


# ---- errors: all are ANNarchyException; sympy's infinities; simulate() arguments -----------------

def test_a_division_by_zero_found_by_sympy():
    ann.Population(2, ann.Neuron(parameters="tau = 10.0\nI = 1.0",
                                 equations="tau * dr/dt + r = I / (r - r)", name="Zero"))
    assert error_of(ann.compile) == (
        "in model 'Zero': 'I / (r - r)' cannot be computed: sympy reduces it to an infinite "
        "value (a division by zero, or log(0))\n    line: tau * dr/dt + r = I / (r - r)\n"
        "    expected: an expression that stays a finite real number, e.g. a denominator that "
        "is not identically zero")


@pytest.mark.parametrize("equation,what", [
    ("r = 0 / (tau - tau)", "an undefined value (0/0)"),
    ("r = tau * sqrt(-4)", "an imaginary value"),
    ("r = log(tau - tau)", "an infinite value (a division by zero, or log(0))"),
])
def test_other_values_that_are_not_finite_real_numbers(equation, what):
    ann.Population(1, ann.Neuron(parameters="tau = 10.0 : population", equations=equation))
    assert what in error_of(ann.compile)


def test_simulate_arguments():
    ann.Population(1, ann.Neuron(equations="r = t"))
    ann.compile()
    for duration, problem in [(float("nan"), "a finite number of milliseconds, got nan"),
                              (None, "a number of milliseconds, got None")]:
        with pytest.raises(ann.ArgumentError) as error:
            ann.simulate(duration)
        assert str(error.value) == f"simulate(): the duration must be {problem}"
    # the reference raises bare ValueError / TypeError there: scripts that catch them still do
    assert isinstance(error.value, TypeError) and isinstance(error.value, ValueError)
    ann.simulate("10")                # the reference converts with float(), so does annbook
    assert ann.get_time() == 10.0     # reference: simulate.time_after_string (after 12 ms: 22)


BAD_INPUT = [
    ("setup(dt='abc')", lambda: ann.setup(dt="abc")),
    ("set_seed('x')", lambda: ann.set_seed("x")),
    ("Population('abc')", lambda: ann.Population("abc", INPUT)),
    ("Neuron(parameters=5)", lambda: ann.Population(1, ann.Neuron(parameters=5, equations="r=1"))),
    ("pop.set(5)", lambda: ann.Population(1, INPUT).set(5)),
    ("connect_with_func(5)", lambda: ann.Projection(*[ann.Population(1, INPUT)] * 2, "exc")
     .connect_with_func(5)),
    ("Monitor(period='x')", lambda: ann.Monitor(ann.Population(1, INPUT), "r", period="x")),
    ("Constant('c', 'x')", lambda: ann.Constant("c", "x")),
    ("add_function(5)", lambda: ann.add_function(5)),
    ("Uniform('a', 1)", lambda: ann.Uniform("a", 1)),
    ("Binomial(5, 2.0)", lambda: ann.Binomial(5, 2.0)),
    ("set_time('x')", lambda: ann.set_time("x")),
    ("set_current_step('x')", lambda: ann.set_current_step("x")),
    ("load(missing)", lambda: ann.load("/nonexistent/file.npz")),
    ("save(folder under a file)", lambda: ann.save(__file__ + "/folder/file.npz")),
    ("load_parameters(missing)", lambda: ann.load_parameters("/nonexistent.json")),
    ("SpikeSourceArray('abc')", lambda: ann.SpikeSourceArray("abc")),
    ("TimedArray(schedule='x')", lambda: ann.TimedArray(rates=np.ones((3, 2)), schedule="x")),
    ("InputArray(geometry='x')", lambda: ann.InputArray(geometry="x")),
    ("HomogeneousCorrelatedSpikeTrains(rates='x')",
     lambda: ann.HomogeneousCorrelatedSpikeTrains(10, rates="x", corr=0.1, tau=10)),
    ("TimedPoissonPopulation(rates='x')",
     lambda: ann.TimedPoissonPopulation(10, rates="x", schedule=[0])),
    ("enable_learning([5])", lambda: ann.enable_learning(projections=[5])),
    ("simulate_until(10, 'pop')", lambda: ann.simulate_until(10, "pop")),
    ("start_creating()", lambda: ann.Projection(*[ann.Population(1, INPUT)] * 2, "exc")
     .start_creating()),
    ("pop.neuron('x')", lambda: ann.Population(2, INPUT).neuron("x")),
    ("pop[[1, 'a']]", lambda: ann.Population(2, INPUT)[[1, "a"]]),
    ("pop[::0]", lambda: ann.Population(2, INPUT)[::0]),
    ("rank_from_coordinates('xy')", lambda: ann.Population(2, INPUT).rank_from_coordinates("xy")),
    ("Population(stop_condition=5)", lambda: ann.Population(2, INPUT, stop_condition=5)),
    ("Monitor(pop, 5)", lambda: ann.Monitor(ann.Population(1, INPUT), 5)),
    ("Monitor.get(5)", lambda: ann.Monitor(ann.Population(1, INPUT), "r").get(5)),
    ("Monitor.times('x')", lambda: ann.Monitor(ann.Population(1, INPUT), "r").times("x")),
    ("raster_plot(5)", lambda: ann.raster_plot(5)),
    ("histogram(bins='x')", lambda: ann.histogram({0: [1, 2]}, bins="x")),
    ("save(5)", lambda: ann.save(5)),
    ("Constant(5, 1.0)", lambda: ann.Constant(5, 1.0)),
]


@pytest.mark.parametrize("label,action", BAD_INPUT, ids=[label for label, _ in BAD_INPUT])
def test_bad_input_raises_an_annarchy_exception(label, action):
    with pytest.raises(ann.ANNarchyException):
        action()


def test_errors_keep_the_builtin_classes_scripts_catch():
    assert issubclass(ann.StorageError, OSError) and issubclass(ann.StorageError, ann.NetworkError)
    assert issubclass(ann.UnsupportedFeature, NotImplementedError)
    with pytest.raises(FileNotFoundError.__mro__[1]):        # OSError, as before
        ann.load("/nonexistent/file.npz")
    with pytest.raises(ValueError):
        ann.Constant("c", "x")


def test_a_failed_input_population_leaves_no_trace():
    with pytest.raises(ann.ArgumentError):
        ann.TimedArray(rates=np.ones((3, 2)), period="x")
    with pytest.raises(ann.ArgumentError):
        ann.SpikeSourceArray([[1.0], ["a"]])
    assert ann.populations() == []
    ann.Population(1, INPUT)
    ann.compile()                      # nothing half-built is compiled

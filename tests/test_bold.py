"""BOLD monitoring (annbook.extensions.bold): the balloon models against a direct numerical
integration of their equations, the monitor's inputs (scale factors, baselines, slices),
start/stop, copies, NormProjection, and the errors of bad arguments."""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

import annbook as ann
from annbook.extensions.bold import (AccProjection, BoldModel, BoldMonitor,
                                     BoldMonitorFromSlices, NormProjection, balloon_CL,
                                     balloon_CN, balloon_maith2021, balloon_RL, balloon_RN,
                                     balloon_two_inputs)


@pytest.fixture(autouse=True)
def fresh():
    ann.clear()
    ann.setup(dt=1.0)
    yield
    ann.clear()
    ann.setup(dt=1.0)


SOURCE = ann.Neuron(parameters="I = 0.0\n c = 0.5 : population", equations="r = I\n x = c * r")

# ---- the balloon equations, written here in seconds (Friston et al., 2000; Stephan et al.,
# 2007; Maith et al., 2021, 2022), integrated by scipy -------------------------------------------
DEFAULTS = dict(phi=1.0, kappa=1 / 1.54, gamma=1 / 2.46, E_0=0.34, tau=0.98, alpha=0.33,
                V_0=0.02, v_0=40.3, TE=0.04, epsilon=1.43, r_0=25.0)
MAITH = dict(phi=1.0, kappa=0.665, gamma=0.412, E_0=0.3424, tau=1.0368, alpha=0.3215,
             V_0=0.02)


def coefficients(kind, p):
    if kind == "classic":
        return (1 - p["V_0"]) * 4.3 * p["v_0"] * p["E_0"] * p["TE"], 2 * p["E_0"], \
            1 - p["epsilon"]
    if kind == "revised":
        return 4.3 * p["v_0"] * p["E_0"] * p["TE"], p["epsilon"] * p["r_0"] * p["E_0"] * p["TE"], \
            1 - p["epsilon"]
    return 7 * p["E_0"], 2.0, 2 * p["E_0"] - 0.2               # Friston et al. (2000)


def bold_signal(q, v, k, linear, V_0):
    k1, k2, k3 = k
    if linear:
        return V_0 * ((k1 + k2) * (1 - q) + (k3 - k2) * (1 - v))
    return V_0 * (k1 * (1 - q) + k2 * (1 - q / v) + k3 * (1 - v))


def balloon(p, u):
    """Right-hand side (per second) of s, f, v, q for the input u(t)."""
    def rhs(t, y):
        s, f, v, q = y
        extraction = 1 - (1 - p["E_0"]) ** (1 / f)
        outflow = v ** (1 / p["alpha"])
        return [p["phi"] * u(t) - p["kappa"] * s - p["gamma"] * (f - 1), s,
                (f - outflow) / p["tau"], (f * extraction / p["E_0"] - outflow * q / v) / p["tau"]]
    return rhs


TWO = dict(kappa_CBF=0.6 * np.sqrt(4 / 2.46), gamma_CBF=1 / 2.46,
           kappa_CMRO2=np.sqrt(40 / 2.46), gamma_CMRO2=10 / 2.46, E_0=0.34, tau=0.98,
           alpha=0.33, V_0=0.02, v_0=40.3, TE=0.04, epsilon=1.0, r_0=25.0, tau_out1=0.0,
           tau_out2=20.0)


def two_inputs(p, u_cbf, u_cmro2):
    """Flow and metabolism oscillators, volume with a viscoelastic outflow
    (state s_f, f, s_m, m, v, q)."""
    def rhs(t, y):
        s_f, f, s_m, m, v, q = y
        dv = f - v ** (1 / p["alpha"])
        tau_out = p["tau_out1"] if dv > 0 else p["tau_out2"]
        outflow = v ** (1 / p["alpha"]) + tau_out * dv / (p["tau"] + tau_out)
        return [u_cbf(t) - p["kappa_CBF"] * s_f - p["gamma_CBF"] * (f - 1), s_f,
                u_cmro2(t) * p["gamma_CMRO2"] / p["gamma_CBF"] - p["kappa_CMRO2"] * s_m
                - p["gamma_CMRO2"] * (m - 1), s_m,
                dv / (p["tau"] + tau_out), (m - outflow * q / v) / p["tau"]]
    return rhs


def integrate(rhs, y0, times, breaks):
    """Solution at ``times`` (s), integrating piece by piece between the input's ``breaks``."""
    out = np.empty((len(times), len(y0)))
    edges = [0.0] + list(breaks) + [times[-1]]
    y = np.array(y0, dtype=float)
    for start, end in zip(edges[:-1], edges[1:]):
        inside = (times > start) & (times <= end)
        points = times[inside]
        solution = solve_ivp(rhs, (start, end), y, method="LSODA", rtol=1e-10, atol=1e-12,
                             t_eval=np.unique(np.append(points, end)),
                             first_step=1e-5, max_step=0.01)
        out[inside] = solution.y[:, :points.size].T
        y = solution.y[:, -1]
    return out


# input of the direct integration: I during [0, 1.5 s), then 0.4 I until 3 s, then 0
PULSES = [(0.0, 1.0), (1.5, 0.4), (3.0, 0.0)]
DURATION = 6000.0          # ms


def expected(dt):
    """BOLD of each model, as the direct integration gives it at the recorded steps.

    The models read their input at the start of a step, as produced in the step before: the
    value set at time T reaches them from T + dt; the value recorded at step k is the state
    at the end of the step, (k + 1) dt.
    """
    shift = dt / 1000.0
    times = (np.arange(int(DURATION / dt)) + 1) * shift
    breaks = [start + shift for start, _ in PULSES]

    def u(amplitude):
        def value(t):
            level = 0.0
            for start, height in PULSES:
                if t > start + shift - 1e-12:
                    level = height
            return amplitude * level
        return value

    results = {}
    rest = [0.0, 1.0, 1.0, 1.0]
    for name, params, kind, linear in [
            ("RN", DEFAULTS, "revised", False), ("RL", DEFAULTS, "revised", True),
            ("CN", dict(DEFAULTS, kappa=0.7), "classic", False),
            ("CL", DEFAULTS, "classic", True), ("maith", MAITH, "friston", False)]:
        s, f, v, q = integrate(balloon(params, u(1.0)), rest, times, breaks).T
        results[name] = bold_signal(q, v, coefficients(kind, params), linear, params["V_0"])
    s_f, f, s_m, m, v, q = integrate(two_inputs(TWO, u(1.0), u(0.5)),
                                     [0.0, 1.0, 0.0, 1.0, 1.0, 1.0], times, breaks).T
    results["two"] = bold_signal(q, v, coefficients("revised", TWO), False, TWO["V_0"])
    return results


def simulated(dt):
    """The same input through the six models in one network (one binary for every dt)."""
    ann.clear()
    ann.setup(dt=dt)
    source = ann.Population(5, SOURCE)
    monitors = {
        "RN": BoldMonitor(source, balloon_RN, start=True),
        "RL": BoldMonitor(source, balloon_RL(), start=True),
        "CN": BoldMonitor(source, balloon_CN(kappa=0.7), start=True),
        "CL": BoldMonitor(source, balloon_CL, start=True),
        "maith": BoldMonitor(source, balloon_maith2021, start=True),
        "two": BoldMonitor(source, balloon_two_inputs, mapping={"I_CBF": "r", "I_CMRO2": "x"},
                           start=True)}
    ann.compile()
    ends = [start for start, _ in PULSES[1:]] + [DURATION / 1000.0]
    for (start, height), end in zip(PULSES, ends):
        source.I = height
        ann.simulate((end - start) * 1000.0)
    return {name: m.get("BOLD")[:, 0] for name, m in monitors.items()}


def test_balloon_models_follow_their_equations():
    """Each model's BOLD signal against scipy's integration of the equations: close at
    dt = 0.25 ms, and converging as the explicit Euler method does (error ~ dt)."""
    errors = {}
    for dt in (1.0, 0.25):
        reference, got = expected(dt), simulated(dt)
        for name in reference:
            peak = np.abs(reference[name]).max()
            assert peak > 1e-3, name                  # a real response to compare
            errors[name, dt] = np.abs(got[name] - reference[name]).max() / peak
    for name in ("RN", "RL", "CN", "CL", "maith", "two"):
        assert errors[name, 0.25] < 1e-3, (name, errors[name, 0.25])
        assert errors[name, 1.0] / errors[name, 0.25] > 3.0, (name, errors[name, 1.0],
                                                              errors[name, 0.25])


# ---- what reaches the model -------------------------------------------------------------------
def test_inputs_are_scaled_means_of_the_populations():
    small = ann.Population(2, SOURCE)
    large = ann.Population(6, SOURCE)
    by_size = BoldMonitor([small, large], recorded_variables="I_CBF", start=True)
    given = BoldMonitor([small, large], balloon_RN, scale_factor=[2.0, -1.0],
                        recorded_variables=["I_CBF"], start=True)
    views = BoldMonitor([small[0:1], large[3:]], balloon_RN, mapping={"I_CBF": "x"},
                        recorded_variables="I_CBF", start=True)
    ann.compile()
    small.I = [1.0, 3.0]
    large.I = np.arange(6.0)
    ann.simulate(3.0)
    # read at the start of a step: the first step still sees the initial r = 0
    assert np.allclose(by_size.get("I_CBF")[:, 0], [0.0] + [(2 * 2.0 + 6 * 2.5) / 8] * 2)
    assert np.allclose(given.get("I_CBF")[:, 0], [0.0] + [2.0 * 2.0 - 2.5] * 2)
    assert np.allclose(views.get("I_CBF")[1:, 0], 0.5 * 1.0 * 1 / 4 + 0.5 * 4.0 * 3 / 4)
    assert by_size.get("BOLD").shape == (3, 1)


def test_baseline_normalisation_after_each_start():
    source = ann.Population(4, SOURCE)
    m = BoldMonitor(source, normalize_input=3.0, recorded_variables="I_CBF")
    ann.compile()
    source.I = 2.0
    ann.simulate(2.0)                 # stopped: nothing recorded, the model is frozen
    m.start()
    ann.simulate(3.0)                 # baseline: mean 2, the model receives nothing
    source.I = 3.0
    ann.simulate(3.0)
    relative = (3.0 - 2.0) / (2.0 + 1e-7)
    assert np.allclose(m.get("I_CBF")[:, 0], [0, 0, 0, 0, relative, relative], rtol=1e-12)
    m.stop()
    bold_at_stop = m.BOLD.copy()
    ann.simulate(5.0)
    assert np.array_equal(m.BOLD, bold_at_stop)          # frozen while stopped
    m.start()                          # a new baseline, at the new level
    ann.simulate(5.0)
    assert np.allclose(m.get("I_CBF")[:, 0], [0, 0, 0, 0, 0], atol=1e-6)


def test_baseline_from_the_first_step_with_start_at_creation():
    source = ann.Population(3, SOURCE)
    source.I = 4.0
    m = BoldMonitor(source, normalize_input=2.0, recorded_variables="I_CBF", start=True)
    ann.compile()
    ann.simulate(2.0)
    source.I = 2.0
    ann.simulate(3.0)
    # baseline over steps 0 and 1 (r: 0 at the first step, then 4): mean 2
    got = m.get("I_CBF")[:, 0]
    assert np.allclose(got, [0.0, 0.0, 1.0, 0.0, 0.0], atol=1e-6)


def test_stop_keeps_the_recording_and_start_resumes():
    source = ann.Population(2, SOURCE)
    m = BoldMonitor(source, start=True)
    ann.compile()
    source.I = 1.0
    ann.simulate(10.0)
    m.stop()
    ann.simulate(10.0)
    m.start()
    ann.simulate(5.0)
    assert m.get("BOLD").shape == (15, 1)
    assert m.get("BOLD").shape == (0,)              # returned values are cleared


def test_monitor_from_slices():
    source = ann.Population(6, SOURCE)
    m = BoldMonitorFromSlices(source, slices=[[0, 1], [2, 3, 4, 5]],
                              recorded_variables="I_CBF", start=True)
    ann.compile()
    source.I = np.arange(6.0)
    ann.simulate(2.0)
    assert np.allclose(m.get("I_CBF")[1], [0.5, 3.5])
    assert m._bold_pop.size == 2


def test_model_attributes_through_the_monitor():
    source = ann.Population(2, SOURCE)
    m = BoldMonitor(source, balloon_RN(phi=2.0, E_0=0.4))
    assert m.phi == 2.0 and m.E_0 == 0.4
    m.kappa = 0.5
    assert m._bold_pop.kappa == 0.5
    with pytest.raises(AttributeError, match="not an attribute of its BOLD model"):
        m.nothing = 1.0
    with pytest.raises(AttributeError):
        m.nothing
    assert "BOLD model RN" in repr(m)


def test_two_monitors_with_one_model_and_a_custom_model_without_r():
    source = ann.Population(2, SOURCE)
    first = BoldMonitor(source, balloon_RN, start=True)
    second = BoldMonitor(source, balloon_RN, start=True)
    assert [first._bold_pop.name, second._bold_pop.name] == ["BOLD model RN",
                                                             "BOLD model RN (2)"]
    leaky = BoldModel(parameters="tau = 100.0", inputs="I",
                      equations="I = sum(I)\n tau * dy/dt = I - y", output="y")
    third = BoldMonitor(source, leaky, mapping={"I": "r"}, start=True)
    assert "r" in third._bold_pop.attributes          # added, as the reference does
    ann.compile()
    source.I = 1.0
    ann.simulate(3.0)
    assert np.allclose(third.get("y")[:, 0], [0.0, 0.01, 0.01 + 0.99 * 0.01])


def test_network_copies_hold_their_own_monitors():
    source = ann.Population(3, SOURCE)
    m = BoldMonitor(source, balloon_RN, start=True)
    net = ann.Network(everything=True)
    alone = ann.Network()
    alone.add([source, m])                 # a monitor's parts come along
    copied, other = net.get(m), alone.get(m)
    assert copied is not m and copied._bold_pop is net.get(m._bold_pop)
    assert other._bold_pop in alone.populations and len(alone.projections) == 1
    ann.compile()
    net.compile()
    for network, population in ((ann, source), (net, net.get(source))):
        population.I = 1.5
        network.simulate(200.0)
    assert np.array_equal(m.get("BOLD"), copied.get("BOLD"))
    assert ann.NetworkManager().number_extensions(net.id) == 1


# ---- NormProjection ---------------------------------------------------------------------------
def test_norm_projection_counts_spikes_per_afferent_synapse():
    drive = ann.Neuron(parameters="I = 2.0", equations="dv/dt = I", spike="v > 1.0",
                       reset="v = 0.0")
    counter = ann.Neuron(equations="dv/dt = -v + g_exc\n dsyn/dt = 0.0", spike="v > 100.0",
                         reset="v = 0.0")
    pre = ann.Population(3, drive)
    post = ann.Population(2, counter)
    norm = NormProjection(pre, post, "exc", "syn")
    norm.connect_all_to_all(weights=0.1)
    other = ann.Projection(pre[:1], post, "inh")
    other.connect_all_to_all(weights=1.0)
    ann.compile()
    assert np.allclose(norm.nb_aff_synapse, [4.0, 4.0])      # 3 + 1 synapses per neuron
    ann.simulate(10.0)
    # each pre neuron spikes every step from the first on: 3 spikes per step, each 1/4
    spikes = 3 * 9
    assert np.allclose(post.syn, spikes / 4.0)


# ---- errors -----------------------------------------------------------------------------------
def test_bad_arguments_are_named():
    source = ann.Population(2, SOURCE)
    spiking = ann.Population(2, ann.Izhikevich)
    with pytest.raises(ann.NetworkError, match="population 'pop0' has no attribute 'rate'"):
        BoldMonitor(source, mapping={"I_CBF": "rate"})
    with pytest.raises(ann.NetworkError, match="'I' of mapping is not an input"):
        BoldMonitor(source, mapping={"I": "r"})
    with pytest.raises(ann.ArgumentError, match="scale_factor has 2 values for 1 populations"):
        BoldMonitor(source, scale_factor=[1.0, 2.0])
    with pytest.raises(ann.ArgumentError, match="normalize_input has 1 values for 2"):
        BoldMonitor([source, spiking], mapping={"I_CBF": "v"}, normalize_input=[5.0])
    with pytest.raises(ann.ArgumentError, match="shorter than one step"):
        BoldMonitor(source, normalize_input=0.2)
    with pytest.raises(ann.ArgumentError, match="normalize_input must be 0"):
        BoldMonitor(source, normalize_input=-3)
    with pytest.raises(ann.NetworkError, match="'nothing' is not a variable of the BOLD"):
        BoldMonitor(source, recorded_variables=["nothing"])
    with pytest.raises(ann.NetworkError, match="'phi' is not a variable"):
        BoldMonitor(source, recorded_variables="phi")
    with pytest.raises(ann.ArgumentError, match="bold_model must be a BoldModel"):
        BoldMonitor(source, bold_model=ann.LeakyIntegrator)
    with pytest.raises(ann.ArgumentError, match="give a population"):
        BoldMonitor()
    with pytest.raises(ann.ArgumentError, match="mapping must be a dict"):
        BoldMonitor(source, mapping="r")
    with pytest.raises(ann.ArgumentError, match="each slice must be"):
        BoldMonitorFromSlices(source, slices=[[0, 2]])
    with pytest.raises(ann.ArgumentError, match="population must be a Population"):
        BoldMonitorFromSlices(source[:1], slices=[[0]])
    # nothing half-built was left in the network
    assert [p.name for p in ann.populations()] == ["pop0", "pop1"]
    assert not ann.projections() and not ann.monitors()
    ann.compile()
    with pytest.raises(ann.NetworkError, match="created after compile"):
        BoldMonitor(source)


def test_bad_models_and_projections_are_named():
    with pytest.raises(ann.ModelError, match="the input 'I_CMRO2' is never read"):
        BoldModel("", "I_CBF = sum(I_CBF)\n BOLD = I_CBF", inputs=["I_CBF", "I_CMRO2"])
    with pytest.raises(ann.ModelError, match="the output 'BOLD' is not a variable"):
        BoldModel("BOLD = 1.0", "I_CBF = sum(I_CBF)", inputs="I_CBF")
    with pytest.raises(ann.ArgumentError, match="balloon_RN: phi must be a number"):
        balloon_RN(phi="fast")
    rate = ann.Population(2, SOURCE)
    spiking = ann.Population(2, ann.Izhikevich)
    with pytest.raises(ann.NetworkError, match="pre-synaptic population must be spiking"):
        NormProjection(rate, spiking, "exc", "v")
    with pytest.raises(ann.NetworkError, match="has no attribute 'syn'"):
        NormProjection(spiking, spiking, "exc", "syn")
    with pytest.raises(ann.NetworkError, match="'a' of 'pop1' is a parameter"):
        NormProjection(spiking, spiking, "exc", "a")
    with pytest.raises(ann.NetworkError, match="a synapse model cannot be given"):
        NormProjection(spiking, spiking, "exc", "v", synapse=ann.STDP)
    with pytest.raises(ann.NetworkError, match="must be rate-coded"):
        AccProjection(rate, spiking, "exc", "r")

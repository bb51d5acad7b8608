"""Differential tests against the reference implementation (ANNarchy 4.8.2.7).

Each script of ``tests/reference_scripts/`` is written against the ANNarchy API with the
module name as a placeholder (``python script.py <module> <results.json>``).  It is run once
with the reference interpreter (module ``ANNarchy``) and once with this interpreter (module
``annbook``), each in its own temporary directory, and the JSON results are compared key by
key (floats with ``rtol=1e-9``; dtype kinds int/bool/float and shapes must match).

The reference interpreter is ``$ANNBOOK_REFERENCE_PYTHON`` or ``~/.annarchy-ref/bin/python``;
when neither exists (or ANNarchy cannot be imported there) every test is skipped.
ANNarchy is never imported in this process.  Deselect with ``pytest -m "not reference"``.

The scripts compile with ``compiler_flags="-O0"`` (annbook ignores it): the reference's build
of a network takes ~3x longer at its default -O3.  All runs are started in parallel.
"""

import fnmatch
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.reference

SCRIPT_DIR = Path(__file__).parent / "reference_scripts"
SCRIPTS = ["equations", "api", "dt05", "spiking", "habits", "fidelity", "bold",
           "convolution", "structural", "callbacks", "threads_dense", "single_precision"]
TIMEOUT = 600          # seconds for one run
RTOL, ATOL = 1e-9, 1e-12
# key patterns (fnmatch) compared with a looser tolerance
LOOSE = {
    # the reference computes normalized coordinates in float32 (Cython fast path)
    "coord.*.norm": 1e-6,
    # structural plasticity: the draws of the conditions differ (a few standard deviations)
    "example.missing_within_*": 0.15,
    "example.between_kept_5": 0.5,
    "example.initial_density": 0.05,
    # float32 on both sides: operations in another order (or fused) round otherwise
    "single.*": 1e-4,
}

# ---- comparison groups: (script, test id) -> key patterns -------------------------------------
GROUPS = {
    "equations": {
        "methods_single_linear_ode": ["single.*"],
        "methods_coupled_system": ["coupled.*", "coupled_tau.*", "mixed.*"],
        "assignment_between_odes": ["misc.sx", "misc.sy", "misc.sz", "misc.oa", "misc.orr",
                                    "misc.ob", "misc.o2", "misc.oa2"],
        "bounds_and_init": ["misc.br", "misc.bx", "misc.bz", "misc.w2", "misc.hi", "misc.yy",
                            "misc.lo", "misc.before_compile", "misc.after_compile"],
        "int_bool_variables": ["misc.k", "misc.flag", "misc.c", "misc.kk", "misc.fr", "misc.end",
                               "misc.set_*", "misc.after_set"],
        "global_operations": ["misc.r", "misc.gm", "misc.gx", "misc.gn", "misc.g1", "misc.g2",
                              "misc.lm"],
        "conditionals": ["cond.*"],
        "nested_conditional": ["nested_if.*"],
        "builtin_functions": ["funcs.b*"],
        "user_functions": ["funcs.s", "funcs.q", "funcs.dd", "funcs.r"],
        "constant": ["constant.*", "funcs.cv", "funcs.cr"],
        "disable_enable": ["dis.*"],
        "methods_blocks_created": ["meth_*"],
    },
    "api": {
        "geometry": ["geom.*"],
        "coordinates": ["coord.*"],
        "view_slicing": ["view.*"],
        "view_read_write": ["viewrw.*"],
        "monitor_get_keep_dict": ["mon.period", "mon.period_offset", "mon.variables",
                                  "mon.get_before", "mon.m1.keep*", "mon.m1.get*", "mon.mg.*",
                                  "mon.mb.*"],
        "monitor_period_offset": ["mon.m2.*", "mon.m3.*", "mon.m7.*", "mon.m8.*",
                                  "mon.step_before_m7"],
        "monitor_population_view": ["mon.m4.*", "mon.m6.*"],
        "monitor_times_pause_resume": ["mon.m5.*", "mon.m1.times*", "mon.times_before",
                                       "mon.m1.reset", "mon.m1.after_reset"],
        "time_api": ["time.*"],
        "simulate_until": ["until.*"],
        "reset": ["reset.*"],
        "connectivity_helpers": ["helpers.*"],
    },
    "dt05": {
        "t_and_dt_in_equations": ["dt", "trace.P.tt", "trace.P.gt", "trace.P.ddt", "trace.P.tdt",
                                  "trace.P.r", "set_time.*"],
        "methods": ["trace.P.c*", "trace.P.s*", "trace.Q.*", "trace.M.*"],
        "monitor_period": ["mon.*"],
        "simulate_step_rounding": ["steps_after_4ms", "simulate.*"],
        "simulate_until": ["until.*"],
    },
    "spiking": {
        "coba_spike_for_spike": ["coba.*"],
        "axonal_spikes": ["axon.*"],
        "gap_junctions": ["gap.*"],
        "per_synapse_delays_stdp_firing_rate": ["delays.*"],
        "decoding_projection": ["decoding.*"],
    },
    "habits": {
        "sum_of_a_keyword_target": ["sum_keyword.*"],
        "comments_and_continued_equations": ["comments.*", "continued.*"],
        "flags_and_declarations_in_synaptic_events": ["events.*"],
        "pre_and_post_sums_in_synapses": ["side_sums.*"],
        "dendrite_indexing": ["dendrite.*"],
        "shapes_of_assigned_arrays": ["shape.*"],
        "spike_times_setter": ["spike_times.*"],
        "csr_standard_models_network_manager": ["names.*"],
        "errors_are_annarchy_exceptions": ["errors.*"],
        "parameter_arithmetic_and_extra_values": ["values.*", "wrong.missing_extra",
                                                  "wrong.not_a_number"],
        "bounds_named_by_parameters": ["bounds.*", "events.g_bnd"],
        "zero_division_and_simulate_arguments": ["wrong.zero_division", "simulate.*"],
        "star_import": ["star.*"],
    },
    "fidelity": {
        "conductances_seen_after_delivery": ["cond.zeroed", "cond.decaying", "cond.reader"],
        "if_cond_alpha": ["cond.alpha.*"],
        "izhikevich_undeclared_conductances": ["cond.izhikevich.*"],
        "single_weight": ["single.*"],
        "poisson_driven_by_projection": ["hybrid.*"],
        "four_conductances_two_targets_homeostasis": ["homeostatic.*"],
        "gap_junctions": ["gap.*"],
        "timed_array": ["timed.*"],
        "delayed_population_wide_value": ["delayed.*"],
    },
    "bold": {
        "balloon_RN_two_regions": ["bold.rn"],
        "balloon_RL_documented_equations": ["bold.rl"],
        "balloon_CN_baseline_after_start": ["bold.cn"],
        "balloon_CL_scale_factors_parameter_change": ["bold.cl"],
        "balloon_maith2021_baseline": ["bold.maith"],
        "balloon_two_inputs_spiking": ["bold.two"],
        "monitor_from_slices": ["bold.slices"],
        "model_attributes": ["bold.names", "bold.parameters", "bold.at_rest"],
        "bad_arguments": ["bold.errors.*"],
        "network_copy": ["bold.copy"],
    },
    "convolution": {
        "filters_padding_strides": ["conv.c3", "conv.c4x2", "conv.c_stride",
                                    "conv.c_border_stride", "conv.c_subsampled"],
        "operations_and_last_dimension": ["conv.c_max", "conv.c_mean", "conv.c_whole_last"],
        "delayed_convolution": ["conv.c_delay"],
        "banks_of_filters": ["conv.bank2d", "conv.bank3d"],
        "pooling": ["conv.p_*"],
        "transpose": ["transpose.*"],
        "spiking_mask_convolution": ["spiking.*"],
    },
    "structural": {
        "conditions_at_known_steps": ["rules.*"],
        "dendrite_methods": ["dendrite.*"],
        "spikes_through_changed_synapses": ["spikes.*"],
        "example_notebook_counts": ["example.*"],
    },
    "callbacks": {
        "state_seen_and_parameter_changed": ["state.*"],
        "period_offset_wait_order": ["schedule.*"],
        "enable_disable_step_until": ["switch.*"],
        "input_switched_exact_trace": ["leaky.*"],
        "coba_input_and_weights_spike_for_spike": ["coba.*"],
        "exception_stops_the_run": ["raise.*"],
        "network_of_its_own": ["network.*"],
    },
    "threads_dense": {
        "rate_coded_dense_on_two_threads": ["rate.*", "after.r", "after.w", "layouts"],
        "spiking_dense_layout_on_two_threads": ["spiking.*", "after.spikes"],
    },
    "single_precision": {
        "rate_coded_in_float": ["single.r", "single.sum", "single.w"],
        "spiking_in_float": ["single.v", "single.stdp_w", "spikes"],
    },
}


def reference_python():
    """Path of the reference interpreter, or None."""
    path = os.environ.get("ANNBOOK_REFERENCE_PYTHON")
    if path:
        return path if os.path.exists(path) else None
    path = os.path.expanduser("~/.annarchy-ref/bin/python")
    return path if os.path.exists(path) else None


def _environment(kind, workdir, ref_python):
    env = dict(os.environ)
    if kind == "ANNarchy":
        env.pop("PYTHONPATH", None)
        env.pop("PYTHONHOME", None)
        env["PATH"] = os.path.dirname(ref_python) + os.pathsep + env.get("PATH", "")
    else:
        env["ANNBOOK_CACHE_DIR"] = str(workdir / "annbook-cache")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _tail(path, lines=40):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "<no log>"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Run every script with both implementations (in parallel); results per script."""
    ref_python = reference_python()
    if ref_python is None:
        pytest.skip("reference ANNarchy not available (set ANNBOOK_REFERENCE_PYTHON or install "
                    "~/.annarchy-ref)")
    base = tmp_path_factory.mktemp("reference")
    jobs = {}
    for script in SCRIPTS:
        for kind in ("ANNarchy", "annbook"):
            workdir = base / f"{script}-{kind}"
            workdir.mkdir()
            log = open(workdir / "log.txt", "w")
            python = ref_python if kind == "ANNarchy" else sys.executable
            proc = subprocess.Popen(
                [python, str(SCRIPT_DIR / f"{script}.py"), kind, str(workdir / "results.json")],
                cwd=workdir, env=_environment(kind, workdir, ref_python), stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)
            jobs[script, kind] = (proc, log, workdir)
    deadline = time.monotonic() + TIMEOUT
    unusable = False
    try:
        while time.monotonic() < deadline and any(p.poll() is None for p, _, _ in jobs.values()):
            for (script, kind), (proc, log, workdir) in jobs.items():
                if (kind == "ANNarchy" and proc.poll() not in (None, 0)
                        and "No module named 'ANNarchy'" in _tail(workdir / "log.txt")):
                    unusable = True
            if unusable:
                break
            time.sleep(0.2)
    finally:
        for proc, log, _ in jobs.values():
            if proc.poll() is None:   # our own child and its build tools (own session/group)
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except OSError:
                    proc.kill()
                proc.wait()
            log.close()
    if unusable:
        pytest.skip(f"ANNarchy cannot be imported by {ref_python}")
    results = {}
    for (script, kind), (proc, _, workdir) in jobs.items():
        log = workdir / "log.txt"
        out = workdir / "results.json"
        if proc.returncode == 0 and out.exists():
            results[script, kind] = json.loads(out.read_text())
        else:
            results[script, kind] = RuntimeError(
                f"{kind} run of {script}.py failed (exit {proc.returncode}); log tail:\n{_tail(log)}")
    return results


def _pair(runs, script):
    ref, got = runs[script, "ANNarchy"], runs[script, "annbook"]
    if isinstance(ref, Exception):
        pytest.fail(str(ref))
    if isinstance(got, Exception):
        pytest.fail(str(got))
    return ref, got


# ---- comparison ------------------------------------------------------------------------------

def _show(value, limit=400):
    text = json.dumps(_plain(value))
    return text if len(text) <= limit else text[:limit] + " ..."


def _plain(value):
    """Decoded form of an encoded value, for messages."""
    if isinstance(value, dict):
        if "__array__" in value:
            return {"array": value["__array__"], "dtype": value["kind"]}
        if "__scalar__" in value:
            return value["__scalar__"] if value["kind"] != "i" else int(value["__scalar__"])
        if "__dict__" in value:
            return {k: _plain(v) for k, v in value["__dict__"].items()}
        if "__list__" in value:
            return [_plain(v) for v in value["__list__"]]
        if "__error__" in value:
            return f"raised {value['__error__']}: {value['message']}"
    return value


def _is_error(value):
    return isinstance(value, dict) and "__error__" in value


def _close(a, b, rtol):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return bool(np.allclose(a, b, rtol=rtol, atol=ATOL, equal_nan=True))


def _diff(ref, got, path, rtol, out):
    if _is_error(ref) or _is_error(got):
        if not (_is_error(ref) and _is_error(got)):   # both raising is a match
            out.append(f"{path}: reference {_show(ref)} | annbook {_show(got)}")
        return
    if isinstance(ref, dict) and isinstance(got, dict):
        if "__array__" in ref and "__array__" in got:
            if ref["shape"] != got["shape"] or ref["kind"] != got["kind"]:
                out.append(f"{path}: reference shape {ref['shape']} dtype {ref['kind']} | "
                           f"annbook shape {got['shape']} dtype {got['kind']}\n"
                           f"    reference {_show(ref)}\n    annbook   {_show(got)}")
            elif ref["kind"] == "f":
                if not _close(ref["__array__"], got["__array__"], rtol):
                    out.append(f"{path}:\n    reference {_show(ref)}\n    annbook   {_show(got)}")
            elif ref["__array__"] != got["__array__"]:
                out.append(f"{path}:\n    reference {_show(ref)}\n    annbook   {_show(got)}")
            return
        if "__scalar__" in ref and "__scalar__" in got:
            same_kind = ref["kind"] == got["kind"]
            if ref["kind"] == "f" and same_kind:
                same = _close(ref["__scalar__"], got["__scalar__"], rtol)
            else:
                same = ref["__scalar__"] == got["__scalar__"]
            if not (same and same_kind):
                out.append(f"{path}: reference {ref['__scalar__']!r} ({ref['kind']}) | "
                           f"annbook {got['__scalar__']!r} ({got['kind']})")
            return
        if "__dict__" in ref and "__dict__" in got:
            a, b = ref["__dict__"], got["__dict__"]
            if list(a) != list(b):
                out.append(f"{path}: keys reference {list(a)} | annbook {list(b)}")
            for key in a:
                if key in b:
                    _diff(a[key], b[key], f"{path}[{key!r}]", rtol, out)
            return
        if "__list__" in ref and "__list__" in got:
            a, b = ref["__list__"], got["__list__"]
            if len(a) != len(b):
                out.append(f"{path}: reference {_show(ref)} | annbook {_show(got)}")
                return
            for i, (x, y) in enumerate(zip(a, b)):
                _diff(x, y, f"{path}[{i}]", rtol, out)
            return
    if ref != got:
        out.append(f"{path}: reference {_show(ref)} | annbook {_show(got)}")


def _matches(key, patterns):
    return any(fnmatch.fnmatchcase(key, p) for p in patterns)


def _compare(ref, got, patterns):
    keys = [k for k in dict.fromkeys(list(ref) + list(got)) if _matches(k, patterns)]
    out = []
    for key in keys:
        if key not in got:
            out.append(f"{key}: missing in annbook (reference {_show(ref[key])})")
        elif key not in ref:
            out.append(f"{key}: missing in reference (annbook {_show(got[key])})")
        else:
            rtol = next((r for p, r in LOOSE.items() if fnmatch.fnmatchcase(key, p)), RTOL)
            _diff(ref[key], got[key], key, rtol, out)
    return keys, out


CASES = [(script, name) for script, groups in GROUPS.items() for name in groups]


@pytest.mark.parametrize("script,group", CASES, ids=[f"{s}-{g}" for s, g in CASES])
def test_reference(runs, script, group):
    ref, got = _pair(runs, script)
    keys, out = _compare(ref, got, GROUPS[script][group])
    if group != "methods_blocks_created":   # that group only collects block errors
        assert keys, f"no result matches the group {group} (script {script}.py)"
    assert not out, f"{len(out)} difference(s) with the reference:\n" + "\n".join(out)


@pytest.mark.parametrize("script", SCRIPTS)
def test_reference_complete(runs, script):
    """Every result key belongs to a group (so that it is compared somewhere).

    A compile error of the whole network is only reported here when no block could be
    blamed for it (blocks that fail alone are reported by their group's test).
    """
    ref, got = _pair(runs, script)
    patterns = [p for group in GROUPS[script].values() for p in group]
    problems = []
    for name, results in [("reference", ref), ("annbook", got)]:
        blamed = [k for k in results if k.endswith(".__compile_error__")]
        if "__compile_error__" in results and not blamed:
            problems.append(f"{name} could not compile the network: "
                            + _show(results["__compile_error__"]))
    for key in sorted(set(ref) | set(got)):
        if key != "__compile_error__" and not _matches(key, patterns):
            side = ("both runs" if key in ref and key in got
                    else "reference run" if key in ref else "annbook run")
            problems.append(f"{key} ({side}): not compared by any group "
                            f"(reference {_show(ref.get(key))} | annbook {_show(got.get(key))})")
    assert not problems, "\n".join(problems)

"""Helpers shared by the differential scripts (runs under BOTH ANNarchy and annbook).

Usage from a script::

    from _refcommon import ann, rec, finish
    rec("key", lambda: pop.r)      # records the value (or the exception raised)
    finish()                       # writes the JSON results file (path = sys.argv[2])

``sys.argv[1]`` is the module to test (``ANNarchy`` or ``annbook``).  Every value is
encoded with its numpy dtype kind and shape so that int/bool/float types are compared too.
"""

import importlib
import json
import sys

import numpy as np

ann = importlib.import_module(sys.argv[1])
RESULTS = {}


def stdp_synapse():
    """A small additive STDP rule with event-driven traces (bounded weights)."""
    return ann.Synapse(parameters="tau_plus = 20.0 : projection\nw_max = 0.5 : projection",
                       equations="tau_plus * dx/dt = -x : event-driven\n"
                                 "tau_plus * dy/dt = -y : event-driven",
                       pre_spike="g_target += w\nx += 0.01\nw = clip(w - y, 0.0, w_max)",
                       post_spike="y += 0.012\nw = clip(w + x, 0.0, w_max)")


def coba_population(size, rng):
    """Vogels & Abbott's COBA neurons, their state drawn from ``rng`` (v, g_exc, g_inh)."""
    neuron = ann.Neuron(
        parameters="""
            El = -60.0 : population
            Vr = -60.0 : population
            Erev_exc = 0.0 : population
            Erev_inh = -80.0 : population
            Vt = -50.0 : population
            tau = 20.0 : population
            tau_exc = 5.0 : population
            tau_inh = 10.0 : population
            I = 20.0 : population
        """,
        equations="""
            tau * dv/dt = (El - v) + g_exc * (Erev_exc - v) + g_inh * (Erev_inh - v) + I
            tau_exc * dg_exc/dt = - g_exc
            tau_inh * dg_inh/dt = - g_inh
        """,
        spike="v > Vt", reset="v = Vr", refractory=5.0)
    population = ann.Population(size, neuron)
    population.v = rng.normal(-55.0, 5.0, size)
    population.g_exc = rng.normal(4.0, 1.5, size)
    population.g_inh = rng.normal(20.0, 12.0, size)
    return population


def enc(value):
    """JSON-able representation of a value (keeps dtype kind/shape for arrays)."""
    if isinstance(value, np.ndarray):
        kind = value.dtype.kind
        if kind == "u":
            kind = "i"
        return {"__array__": value.tolist(), "kind": kind, "shape": list(value.shape)}
    if isinstance(value, (bool, np.bool_)):
        return {"__scalar__": bool(value), "kind": "b"}
    if isinstance(value, (int, np.integer)):
        return {"__scalar__": int(value), "kind": "i"}
    if isinstance(value, (float, np.floating)):
        return {"__scalar__": float(value), "kind": "f"}
    if isinstance(value, dict):
        return {"__dict__": {str(k): enc(v) for k, v in value.items()}}
    if isinstance(value, (list, tuple)):
        return {"__list__": [enc(v) for v in value]}
    if value is None or isinstance(value, str):
        return value
    return {"__type__": type(value).__name__}


def rec(key, fn):
    """Record ``fn()`` (or the exception it raises) under ``key``."""
    if key in RESULTS:
        raise KeyError("duplicate result key " + key)
    try:
        value = fn() if callable(fn) else fn
    except Exception as error:  # recorded, compared by the test
        RESULTS[key] = {"__error__": type(error).__name__, "message": str(error)}
    else:
        RESULTS[key] = enc(value)


def guard(key, fn):
    """Run a statement that changes state; an exception is recorded under ``key``."""
    try:
        fn()
    except Exception as error:
        RESULTS[key] = {"__error__": type(error).__name__, "message": str(error)}


def finish():
    with open(sys.argv[2], "w") as handle:
        json.dump(RESULTS, handle, allow_nan=True)


# ---------------------------------------------------------------------------------------------
# Block driver: a script made of independent "blocks" (generators) sharing ONE network.
#
# A block creates its populations, then ``yield``s; it is resumed once after compile() and
# once after each simulation chunk of ``schedule`` (so it can record / act between chunks).
# If compile() fails (an implementation bug), each block is compiled alone to find the
# culprit(s) ("<block>.__compile_error__" is recorded) and the network is rebuilt without
# them, so that the other checks still run.
# ---------------------------------------------------------------------------------------------

def _start(blocks, names):
    gens = {}
    for name in names:
        gen = blocks[name]()
        try:
            next(gen)
        except StopIteration:
            continue
        except Exception as error:
            RESULTS[name + ".__create_error__"] = {"__error__": type(error).__name__,
                                                   "message": str(error)}
            continue
        gens[name] = gen
    return gens


def _resume(gens):
    for name in list(gens):
        try:
            next(gens[name])
        except StopIteration:
            del gens[name]
        except Exception as error:
            RESULTS[name + ".__run_error__"] = {"__error__": type(error).__name__,
                                                "message": str(error)}
            del gens[name]


def run_blocks(blocks, schedule, compile_kwargs=None):
    """Create every block, compile once, simulate ``schedule`` (list of step counts)."""
    global RESULTS
    compile_kwargs = compile_kwargs or {}
    names = list(blocks)
    saved = RESULTS
    gens = _start(blocks, names)
    try:
        ann.compile(**compile_kwargs)
    except Exception as error:
        # find the blocks that cannot be compiled alone (only happens on a buggy implementation)
        first = {"__error__": type(error).__name__, "message": str(error)}
        bad = {}
        for name in list(gens):
            ann.clear()
            RESULTS = {}
            alone = _start(blocks, [name])
            try:
                ann.compile(**compile_kwargs)
            except Exception as err:
                bad[name] = {"__error__": type(err).__name__, "message": str(err)}
            del alone
        ann.clear()
        RESULTS = saved
        RESULTS.clear()
        RESULTS["__compile_error__"] = first
        for name, err in bad.items():
            RESULTS[name + ".__compile_error__"] = err
        names = [n for n in names if n not in bad]
        gens = _start(blocks, names)
        ann.compile(**compile_kwargs)
    _resume(gens)
    for steps in schedule:
        ann.simulate(steps)
        _resume(gens)
    finish()

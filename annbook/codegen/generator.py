"""Network structure -> one Cython module.

The module holds a struct type and an update function per neuron model and
per projection, and a ``run(steps, addrs, ...)`` entry point. Every number
lives in numpy arrays owned by Python: ``addrs`` points to their addresses in the
order of the module's ``SLOTS``, so parameter values, sizes, weights and
delays never reach the source.

One step, in the reference's order: reset the sums, weighted sums of every
projection (``transmission``); then, in the template, the recording of the
neurons' inputs; then neuron updates, ring buffers of delayed values, global
operations, synaptic updates (``step``); then, in the template, the recording
of everything else and t += 1.
"""

import os
from dataclasses import dataclass, field
from string import Template

from .common import function_source, indent
from .neuron import NeuronWriter
from .projection import ProjectionWriter
from .accumulation import AccumulationWriter
from .decoding import DecodingProjectionWriter
from .spiking import SpikingProjectionWriter
from .transpose import SpikingTransposeWriter, TransposeWriter
from .window import WindowWriter
from .structural import STRUCTURAL_RESUME, STRUCTURAL_STOP
from .threads import threaded_run

__all__ = ["generate", "GeneratedModule", "ProjectionSpec"]

_TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")
# a float module: the run-time header makes libm's functions type-generic (runtime/annbook_rt.h)
_SINGLE = 'cdef extern from *:\n    """\n    #define AB_SINGLE 1\n    """\n'


@dataclass
class GeneratedModule:
    source: str
    slots: tuple
    constants: tuple


@dataclass
class ProjectionSpec:
    """What decides a projection's code (no weights, no delay values)."""

    code: int                 # index into the synapse codes
    pre: int                  # population indices
    post: int
    targets: list = field(default_factory=list)
    operation: str = "sum"
    uniform: bool = True      # one delay for all synapses
    kind: str = "rate"        # 'rate', 'spike', 'decoding', 'accumulate', 'window', 'transpose'...
    layout: tuple = ()        # what else decides the code of that kind (dimensions, modes)
    structural: bool = False  # its pruning/creating conditions are compiled
    dense: str = ""           # layout of its synapses: '', 'full' or 'padded' (core/dense.py)


def generate(populations, neuron_codes, projections, synapse_codes, global_functions,
             constants, precision, stops, threaded=False):
    """Cython source for a network.

    ``populations``: model index per population; ``neuron_codes``/``synapse_codes``:
    analysed ModelCode of each distinct model (synapse codes are per projection
    since they depend on the pre and post models); ``projections``: ProjectionSpec
    list; ``global_functions``: analysed add_function() entries (name, args, body);
    ``constants``: Constant names in the order of the values array; ``stops``: per
    population None or (sympy condition, 'any'/'all'); ``threaded``: the step runs on
    several threads (``codegen/threads.py``).
    """
    constants = tuple(constants)
    for spec in projections:            # pre.sum(exc) in a synapse: the neuron keeps s_exc
        for side, target in synapse_codes[spec.code].side_sums:
            neuron_codes[populations[spec.pre if side == "pre" else spec.post]].sums.add(target)
    neurons = [NeuronWriter(i, code, constants, threaded) for i, code in enumerate(neuron_codes)]
    writers = [_WRITERS[spec.kind](
                   k, synapse_codes[spec.code], constants,
                                (spec.pre, neurons[populations[spec.pre]]),
                                (spec.post, neurons[populations[spec.post]]), spec.targets,
                                spec.operation, spec.uniform,
                                "" in neuron_codes[populations[spec.post]].sums, spec.layout,
                                spec.structural, dense=spec.dense, threaded=threaded)
               for k, spec in enumerate(projections)]
    functions = {}
    for name, args, body in global_functions:
        functions[name] = function_source(name, args, body)
    for code in list(neuron_codes) + list(synapse_codes):
        for name, args, body in code.functions:
            functions[name] = function_source(name, args, body)

    slots, declare, bind = [("consts",)], [], []

    def bind_fields(variable, fields, owner):
        for kind, key, decl in fields:
            kind_c, name = decl.rsplit(" ", 1)
            if "*" in name or kind_c.endswith("*"):
                bind.append(f"{variable}.{name.lstrip('*')} = <{kind_c}> addrs[{len(slots)}]")
            else:
                bind.append(f"{variable}.{name} = <{kind_c}> addrs[{len(slots)}]")
            slots.append((kind, owner, key))

    for p, model in enumerate(populations):
        writer = neurons[model]
        declare.append(f"cdef {writer.struct} pop{p}")
        bind_fields(f"pop{p}", [("n", "", "long n"), ("enabled", "", "unsigned char* enabled"),
                                ("rng", "", "bitgen_t* rng")] + writer.fields(), p)
    for writer in writers:
        declare.append(f"cdef {writer.struct} proj{writer.index}")
        bind_fields(f"proj{writer.index}", writer.fields(), writer.index)

    structural = [w for w in writers if w.structural]
    stop_functions = [neurons[populations[p]].stop_source(p, stop)
                      for p, stop in enumerate(stops) if stop is not None]
    if threaded:
        run = threaded_run(_template("run_threads.pyx"), _template("worker_fast.pyx"),
                           neurons, populations, writers,
                           structural, _stop_check(stops, "step"), declare, bind,
                           lambda ranged: _zero_sums(writers, ranged),
                           lambda local: _ring_stores(writers, local),
                           lambda: _spike_ring_stores(writers))
    else:
        run = _single_run(neurons, populations, writers, structural, stops, declare, bind)
    source = _template("module.pyx").substitute(
        real="float" if precision == "float" else "double",
        single=_SINGLE if precision == "float" else "",
        slots=repr(tuple(slots)), constants=repr(constants),
        functions="\n".join(functions.values()),
        structs="\n".join([w.struct_source() for w in neurons] +
                          [w.struct_source() for w in writers]),
        updates="\n".join([w.update_source() for w in neurons] +
                          [w.psp_source() + w.update_source() + w.global_operations_source()
                           + (w.post_events_source() if getattr(w, "spiking", False) else "")
                           + (w.structural.source() if w.structural else "")
                           for w in writers]),
        stops="\n".join(stop_functions), run=run,
        structural=_structural_entry(structural, declare, bind) if structural else "")
    return GeneratedModule(source=source, slots=tuple(slots), constants=constants)


def _template(name):
    with open(os.path.join(_TEMPLATES, name)) as handle:
        return Template(handle.read())


def _stop_check(stops, step):
    """Lines updating ``met`` with the selected stop conditions at ``step``."""
    lines = []
    for p, stop in enumerate(stops):
        if stop is not None:
            lines += [f"if select[{p}]:",
                      f"    met = (met and stop_{p}(&pop{p}, consts, {step})) "
                      f"if stop_mode == 1 else (met or stop_{p}(&pop{p}, consts, {step}))"]
    return lines


def _single_run(neurons, populations, writers, structural, stops, declare, bind):
    """``run()`` of a module that runs on one thread: the step, in the reference's order."""
    transmission = _zero_sums(writers, False)
    transmission += [call for w in writers for call in w.transmission_calls()]
    step = [f"update_{model}(&pop{p}, t, dt, step, consts)"
            for p, model in enumerate(populations)]
    step += _ring_stores(writers)
    step += _spike_ring_stores(writers)
    step += [f"global_ops_{model}(&pop{p})" for p, model in enumerate(populations)
             if neurons[model].code.global_operations]
    step += [f"global_ops_proj_{w.index}(&proj{w.index}, &pop{w.pre_index}, &pop{w.post_index})"
             for w in writers if w.code.global_operations]
    step += [w.call("update_syn") for w in writers if w.has_updates()]
    step += [w.call("post_events") for w in writers
             if getattr(w, "spiking", False) and w.has_post_events()]
    body = ["step = clock[0]", "t = step * dt"] + (transmission or ["pass"]) + \
        ["ab_record(rec, n_recorders, step, 1)"] + step
    if structural:
        body = _resumable(body, structural)
    stop_check = _stop_check(stops, "clock[0] - 1")       # the step just done
    return _template("run_single.pyx").substitute(
        declare=indent(declare, 1), bind=indent(bind, 1), body=indent(body, 4),
        stop_check=indent(stop_check or ["pass"], 5))


_WRITERS = {"rate": ProjectionWriter, "spike": SpikingProjectionWriter,
            "decoding": DecodingProjectionWriter, "accumulate": AccumulationWriter,
            "window": WindowWriter, "transpose": TransposeWriter,
            "transpose_spike": SpikingTransposeWriter}


def _resumable(body, writers):
    """A step that stops before its recording when a structural condition is due, and that
    a run started with ``clock[1] == STRUCTURAL_RESUME`` finishes from its recording."""
    due = " or ".join(w.structural.due(f"proj{w.index}") for w in writers)
    return [f"if clock[1] == {STRUCTURAL_RESUME}:", "    clock[1] = 0", "else:"] + \
        ["    " + line for line in body] + \
        [f"    if {due}:", f"        clock[1] = {STRUCTURAL_STOP}", "        break"]


def _structural_entry(writers, declare, bind):
    """``structural(phase, ...)``: evaluate the creating (phase 0) or pruning (1) conditions
    that are due at the current step into their masks."""
    calls = {kind: [call for w in writers for call in w.structural.calls(kind)] or ["pass"]
             for kind in ("creating", "pruning")}
    lines = ["", "", "def structural(int phase, uintptr_t addrs_addr, uintptr_t clock_addr, "
             "double dt):",
             '    """Evaluate the conditions due at the current step (0: creating, 1: pruning)'
             ' into their masks."""',
             "    cdef const int64_t* clock = <const int64_t*> clock_addr",
             "    cdef const uintptr_t* addrs = <const uintptr_t*> addrs_addr",
             "    cdef const double* consts = <const double*> addrs[0]",
             "    cdef int64_t step = clock[0]",
             "    cdef double t = step * dt"]
    lines += ["    " + line for line in declare + bind]
    lines += ["    with nogil:", "        if phase == 0:"]
    lines += ["            " + call for call in calls["creating"]]
    lines += ["        else:"] + ["            " + call for call in calls["pruning"]]
    return "\n".join(lines)


def _zero_sums(writers, ranged):
    """Every target buffer written by a projection starts each step at zero (``ranged``: the
    calling thread's post neurons only)."""
    lines, done = [], set()
    for w in writers:
        if w.post.spiking:          # spiking neurons consume their inputs in their update
            continue
        targets = w.targets + ([""] if w.sum_all else [])
        for target in targets:
            if (w.post_index, target) in done:
                continue
            done.add((w.post_index, target))
            field = f"t_{target}" if target else "t_all"
            bounds = f"lo{w.post_index}, hi{w.post_index}" if ranged else f"pop{w.post_index}.n"
            lines += [f"for i in range({bounds}):", f"    proj{w.index}.{field}[i] = 0.0"]
    return lines


def _spike_ring_stores(writers):
    """After the neuron updates, keep this step's spikes for the projections that carry them."""
    lines, done = [], set()
    for w in writers:
        if not getattr(w, "spiking", False) or w.pre_index in done:
            continue
        done.add(w.pre_index)
        pop, proj = f"pop{w.pre_index}", f"proj{w.index}"
        lines += [f"slot = ab_slot(step, {proj}.s_depth[0])",
                  f"{proj}.s_count[slot] = {pop}.n_spiked[0]",
                  f"for i in range({pop}.n_spiked[0]):",
                  f"    {proj}.s_ring[slot * {pop}.n + i] = {pop}.spiked[i]"]
    return lines


def _ring_stores(writers, local=None):
    """After the neuron updates, keep this step's pre-synaptic values for delayed reads
    (``local``: True for per-neuron values, of the calling thread's neurons; False for
    population-wide values; None for all)."""
    lines, done = [], set()
    for w in writers:
        for name in w.ring_attributes():
            if (w.pre_index, name) in done:
                continue
            n = w.ring_size(name, f"pop{w.pre_index}")
            if local is not None and local != (n != "1"):
                continue
            done.add((w.pre_index, name))
            first, end = (f"lo{w.pre_index}", f"hi{w.pre_index}") if local else ("0", n)
            lines += [f"slot = ab_slot(step, proj{w.index}.h_depth[0]) * {n}",
                      f"for i in range({first}, {end}):",
                      f"    proj{w.index}.h_{name}[slot + i] = pop{w.pre_index}.a_{name}[i]"]
    return lines

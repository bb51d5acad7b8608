"""The struct, update function and global operations of one neuron model."""

import re

import sympy

from ..parser.expressions import opaque
from ..parser.methods import Update
from .common import REAL_DT, Temporaries, ctype, fold_lines, indent, real_constant, write_updates
from .cprinter import CPrinter, all_of

ite = opaque("ite")

__all__ = ["NeuronWriter", "SPIKE_ARRAYS"]

# per spiking population: ranks that spiked this step, their count, last spike step,
# refractory period in steps, whether each neuron's spike condition held (bit 0: spike,
# bit 1: axonal spike without a spike), all int64; ranks of this step's axonal spikes
SPIKE_ARRAYS = ("spiked", "n_spiked", "last_spike", "ref_steps", "fired")
AXON_ARRAYS = ("axonal", "n_axonal")
# compute_firing_rate(): (step, rank) of the spikes in the window, a ring; [head, size,
# capacity, window in steps]; spikes of each neuron in the window; 1000 / window
RATE_ARRAYS = ("fr_fifo", "fr_info", "fr_count", "fr_rate")
_SPIKE_TYPES = {"fr_rate": "double"}
# SpikeSourceArray: spike steps of all neurons, where each neuron's start, the next one
SCHEDULE_ARRAYS = ("times", "ptr", "cursor")


class NeuronWriter:
    """Writes the Cython of one neuron model (shared by all its populations)."""

    def __init__(self, index, code, constants, threaded=False):
        self.index = index
        self.threaded = threaded
        self.code = code
        self.desc = code.description
        self.constants = constants
        self.struct = f"Model{index}"

    def fields(self):
        """(slot kind, key, C declaration) of each pointer field of the struct."""
        fields = [("attr", a.name, f"{ctype(a.ctype)}* a_{a.name}") for a in self.desc.attributes]
        fields += [("sum", t, f"real* s_{t or 'all'}") for t in sorted(self.code.sums)]
        fields += [("gop", f"{op}_{var}", f"double* g_{op}_{var}")
                   for op, var in sorted(self.code.global_operations)]
        if self.spiking:
            keys = SPIKE_ARRAYS + (AXON_ARRAYS if self.code.axon_spike is not None else ())
            keys += RATE_ARRAYS if self._counts_rate() else ()
            fields += [("spk", key, f"{_SPIKE_TYPES.get(key, 'int64_t')}* {key}") for key in keys]
            if self._counts_rate():
                fields.append(("clock", "", "int64_t* clock"))
        if self.desc.schedule:
            fields += [("sched", key, f"int64_t* sched_{key}") for key in SCHEDULE_ARRAYS]
        if self.desc.drawn:
            fields.append(("spk", "next_spike", "int64_t* next_spike"))
        if self.threaded:
            fields.append(("rngs", "", "bitgen_t** rngs"))
            if self.spiking:
                fields.append(("spk", "blocks", "int64_t* blocks"))
        if self.desc.timed:
            fields += [("timed", "rates", "double* timed_rates"),
                       ("timed", "steps", "int64_t* timed_steps"),
                       ("timed", "info", "int64_t* timed_info")]
        return fields

    @property
    def spiking(self):
        return self.code.spike is not None

    def conductances(self):
        return [a.name for a in self.desc.attributes if a.name.startswith("g_")]

    def implicit_conductances(self):
        return [a.name for a in self.desc.attributes if a.implicit]

    def struct_source(self):
        lines = [f"cdef struct {self.struct}:", "    long n", "    unsigned char* enabled",
                 "    bitgen_t* rng"]
        lines += ["    " + decl for _, _, decl in self.fields()]
        return "\n".join(lines) + "\n"

    def hoisted(self):
        """Population-wide attributes read into C locals before the per-neuron loop.

        Reading them through the struct inside the loop would let every store to a
        neuron array alias them, which stops the compiler from vectorising.
        """
        written = {u.target for event in ("reset", "axon_reset")
                   for u in self.code.events.get(event, [])}
        return [a for a in self.desc.attributes
                if a.locality == "global" and a.name not in written]

    def names(self, local, hoist=True):
        """Symbol -> C text inside the update function (``p`` is the population)."""
        index = "[i]" if local else "[0]"
        names = {"t": "t", "dt": REAL_DT, "t_last": "(p.last_spike[i] * dt)"}
        hoisted = {a.name for a in self.hoisted()} if local and hoist else set()
        for a in self.desc.attributes:
            if a.name in hoisted:
                names[a.name] = f"_g_{a.name}"
                continue
            names[a.name] = f"p.a_{a.name}" + ("[i]" if a.locality == "local" and local else "[0]")
        for target in self.code.sums:
            names["_sum_" + target] = f"p.s_{target or 'all'}{index}"
        for op, var in self.code.global_operations:
            names[f"_{op}_{var}"] = f"p.g_{op}_{var}[0]"
        for k, name in enumerate(self.constants):
            names[name] = real_constant(k)
        return names

    def update_source(self):
        """One function per step: global updates, then the per-neuron loop and the spike pass.

        On threads (``threaded``) the step calls instead ``update_global_<m>`` (thread 0,
        when the model has population-wide updates or timed inputs), ``update_local_<m>`` on
        each thread for its neurons ``lo <= i < hi`` (their spikes in the step's half of
        ``blocks``, read by ``ab_next_spike`` of annbook_rt.h), then ``update_finish_<m>``
        (thread 0: the threads' spikes in one list, firing rates).
        """
        code = self.code
        temps = Temporaries(code, ("global", "local"))
        declarations = ["    cdef long i"] + ["    " + line for line in temps.declarations()]
        declarations += [f"    cdef {ctype(a.ctype)} _g_{a.name}" for a in self.hoisted()]
        head = self._global_lines(temps)
        printer = CPrinter(self.names(True))
        rng = "rng" if self.threaded else "p.rng"
        local = self._local_lines(temps, printer, rng)
        hoist = [f"    _g_{a.name} = p.a_{a.name}[0]" for a in self.hoisted()]
        loop = ["    if not p.enabled[0]:", "        return"] + \
            (_claims(local) if self.threaded else []) + [
                f"    for i in range({'lo, hi' if self.threaded else 'p.n'}):",
                indent(local, 2)] if local or self.desc.schedule else []
        if not self.threaded:
            lines = [f"cdef void update_{self.index}({self.struct}* p, double t, double dt, "
                     "int64_t step, const double* consts) noexcept nogil:"] + declarations
            lines += head + hoist
            if self.spiking:
                lines += ["    cdef bint _frozen", "    p.n_spiked[0] = 0"]
                if code.axon_spike is not None:
                    lines.append("    p.n_axonal[0] = 0")
            lines += loop
            if self.spiking:
                lines += self._spike_pass(printer, rng)
            if self._counts_rate():
                lines += self._firing_rate_lines()
            lines.append("    return")
            return "\n".join(lines) + "\n" + self.global_operations_source()
        source = ""
        if self.has_global_step():
            source = "\n".join([f"cdef void update_global_{self.index}({self.struct}* p, "
                                "double t, double dt, int64_t step, const double* consts) "
                                "noexcept nogil:", "    cdef long i"] +
                               ["    " + line for line in temps.declarations()] + head +
                               ["    return"]) + "\n"
        lines = [f"cdef void update_local_{self.index}({self.struct}* p, double t, double dt, "
                 "int64_t step, const double* consts, long lo, long hi, bitgen_t* rng) "
                 "noexcept nogil:"] + declarations
        if self.spiking:
            axon = code.axon_spike is not None
            lines += ["    cdef bint _frozen", "    cdef long _cnt = 0, _cnt_ax = 0",
                      "    cdef long _par = (step & 1) * p.n"]
            lines += ["    if lo < hi:", "        p.blocks[_par + lo] = -hi - 1"]
            lines += ["        p.axonal[lo] = -hi - 1"] if axon else []
        lines += hoist + loop
        if self.spiking:
            lines += self._spike_pass(printer, rng)
            lines += ["    if lo + _cnt < hi:", "        p.blocks[_par + lo + _cnt] = -hi - 1"]
            lines += ["    if lo + _cnt_ax < hi:", "        p.axonal[lo + _cnt_ax] = -hi - 1"] \
                if axon else []
        lines.append("    return")
        source += "\n".join(lines) + "\n"
        if self.spiking:            # the lists of the blocks (ab_next_spike) made one
            lines = [f"cdef void update_finish_{self.index}({self.struct}* p, int64_t step) "
                     "noexcept nogil:",
                     "    p.n_spiked[0] = ab_gather_blocks(p.spiked, p.blocks + (step & 1) * p.n, "
                     "p.n)"]
            if code.axon_spike is not None:
                lines.append("    p.n_axonal[0] = ab_gather_blocks(p.axonal, p.axonal, p.n)")
            if self._counts_rate():
                lines += self._firing_rate_lines()
            lines.append("    return")
            source += "\n".join(lines) + "\n"
        return source + self.global_operations_source()

    def draws(self):
        """Whether the per-neuron updates draw random numbers (on threads: each block with its
        own generator)."""
        return bool(self.code.random_draws["local"]) or bool(self.desc.drawn)

    def has_global_step(self):
        """Population-wide updates or timed inputs (on threads: one thread runs them first)."""
        return bool(self.code.updates["global"] or self.desc.timed)

    def _global_lines(self, temps):
        """Timed inputs, then the population-wide updates."""
        code = self.code
        lines = self._timed_lines() if self.desc.timed else []   # the updates see the inputs
        body = write_updates(temps.rename(code.updates["global"]), code.random_draws["global"],
                             CPrinter(self.names(False)), self.desc, code.clamps, "p.rng")
        return lines + ([indent(body, 1)] if body else [])

    def _local_lines(self, temps, printer, rng):
        """The body of the per-neuron loop: updates, and for spiking neurons whether each
        one's spike condition holds (``fired``)."""
        code = self.code
        if self.desc.drawn:             # Poisson spikes at steps drawn ahead: no equation
            return ["p.fired[i] = p.next_spike[i] == step"]
        updates = temps.rename(code.updates["local"])
        if self.spiking:
            updates = self._frozen_while_refractory(updates)
        local = write_updates(updates, code.random_draws["local"], printer, self.desc,
                              code.clamps, rng)
        if self.spiking:
            local += self._inputs_consumed()
            local = ["_frozen = step - p.last_spike[i] <= p.ref_steps[i]"] + local
            if not self.desc.schedule:      # evaluated with the updates, so it vectorises too
                local.append(f"p.fired[i] = {self._fired_flags(printer)}")
        return local

    def _timed_lines(self):
        """Timed inputs, as the reference: when the table's clock equals the step of the next
        row, the timed attributes take that row (n values for a neuron attribute, 1 for a
        population one) and the row after it waits; a period restarts clock and rows; the
        clock counts the updates of a non-empty table. info = [inputs, period, clock, next]."""
        sizes = ["p.n" if self.desc.attribute(name).locality == "local" else "1"
                 for name in self.desc.timed]
        lines = ["    cdef double* _row",
                 "    if p.enabled[0] and p.timed_info[0] > 0:",
                 "        if p.timed_steps[p.timed_info[3]] == p.timed_info[2]:",
                 f"            _row = p.timed_rates + p.timed_info[3] * ({' + '.join(sizes)})"]
        offset = "0"
        for name, size in zip(self.desc.timed, sizes):
            lines += [f"            for i in range({size}):",
                      f"                p.a_{name}[i] = _row[{offset} + i]"]
            offset += f" + {size}"
        return lines + ["            p.timed_info[3] += 1",
                        "            if p.timed_info[3] == p.timed_info[0]:",
                        "                p.timed_info[3] = 0",
                        "        if p.timed_info[1] > 0 and p.timed_info[2] == p.timed_info[1] - 1:",
                        "            p.timed_info[3] = 0",
                        "            p.timed_info[2] = -1",
                        "        p.timed_info[2] += 1"]

    def _inputs_consumed(self):
        """As the reference, a spiking neuron's inputs that no equation carries over (undeclared
        conductances, sums of rate-coded projections) end its update at zero, also while
        refractory: the spike condition, the reset, synapses and users then read 0."""
        lines = [f"p.a_{name}[i] = 0.0" for name in self.implicit_conductances()]
        return lines + [f"p.s_{target or 'all'}[i] = 0.0" for target in sorted(self.code.sums)]

    def _frozen_while_refractory(self, updates):
        """Refractory neurons keep their variables, except conductances (g_...).

        Written as selections rather than branches so that the loop still vectorises.
        """
        conductances = self.conductances()
        frozen = sympy.Symbol("_frozen")
        result = []
        for update in updates:
            if update.temp or update.target in conductances:
                result.append(update)
            elif update.op == "=":
                result.append(Update(update.target, ite(frozen, sympy.Symbol(update.target),
                                                        update.expr), "="))
            else:
                neutral = 1 if update.op in ("*=", "/=") else 0
                result.append(Update(update.target, ite(frozen, neutral, update.expr), update.op))
        return result

    def _counts_rate(self):
        """Spiking neurons with a per-neuron r can count their spikes into it."""
        attr = self.desc.attribute("r")
        return self.spiking and attr is not None and attr.locality == "local"

    def _firing_rate_lines(self):
        """compute_firing_rate(): r = spikes in the last window steps * 1000 / window.

        As the reference: this step's spikes enter, those of step - window leave.
        When the ring could not take another step of spikes, the loop stops after
        this step so that Python enlarges it.
        """
        body = ["for s in range(p.n_spiked[0]):",
                "    _at = (p.fr_info[0] + p.fr_info[1]) % p.fr_info[2]",
                "    p.fr_fifo[2 * _at] = step",
                "    p.fr_fifo[2 * _at + 1] = p.spiked[s]",
                "    p.fr_info[1] += 1",
                "    p.fr_count[p.spiked[s]] += 1",
                "while p.fr_info[1] > 0 and p.fr_fifo[2 * p.fr_info[0]] <= step - p.fr_info[3]:",
                "    p.fr_count[p.fr_fifo[2 * p.fr_info[0] + 1]] -= 1",
                "    p.fr_info[0] = (p.fr_info[0] + 1) % p.fr_info[2]",
                "    p.fr_info[1] -= 1",
                "for i in range(p.n):",
                "    p.a_r[i] = p.fr_rate[0] * p.fr_count[i]",
                "if p.fr_info[2] - p.fr_info[1] < p.n:",
                "    p.clock[1] = 3"]
        return ["    cdef long s, _at", "    if p.fr_info[3] > 0:", indent(body, 2)]

    def _fired_flags(self, printer):
        """Bit 0: the spike condition holds; bit 1: the axon condition holds without it."""
        condition = printer.doprint(self.code.spike)
        spike = all_of(["(not _frozen)", condition])
        if self.code.axon_spike is None:
            return spike
        axon = printer.doprint(self.code.axon_spike)
        return (f"<int64_t> {spike} + 2 * <int64_t> "
                + all_of(["(not _frozen)", axon, f"(not {condition})"]))

    def _spike_pass(self, printer, rng):
        """Second pass: neurons out of their refractory period may spike, then reset. On
        threads each thread lists its spikes in its part of ``blocks``."""
        code = self.code
        reset = write_updates(code.events.get("reset", []), [], printer, self.desc, code.clamps,
                              "p.rng")
        if self.threaded:
            emit = ["p.blocks[_par + lo + _cnt] = i", "_cnt += 1"]
            axonal = ["p.axonal[lo + _cnt_ax] = i", "_cnt_ax += 1"]
        else:
            emit = ["p.spiked[p.n_spiked[0]] = i", "p.n_spiked[0] += 1"]
            axonal = ["p.axonal[p.n_axonal[0]] = i", "p.n_axonal[0] += 1"]
        emit += ["p.last_spike[i] = step"] + reset
        if self.desc.drawn:             # the step of its next spike, after the refractory period
            rate = printer.doprint(sympy.Symbol("rates"))
            emit.append(f"p.next_spike[i] = step + p.ref_steps[i] + "
                        f"ab_geometric({rng}, {rate} * dt / 1000.0)")
        if code.axon_spike is not None:
            # as the reference: an axonal spike needs its condition without the spike
            # condition, both read after the reset of a neuron that spiked
            axonal += write_updates(code.events.get("axon_reset", []), [], printer, self.desc,
                                    code.clamps, "p.rng")
            after_reset = (f"if ({printer.doprint(code.axon_spike)}) and "
                           f"not ({printer.doprint(code.spike)}):")
            emit = (["if p.fired[i] & 1:"] + ["    " + line for line in emit]
                    + ["    " + after_reset] + ["        " + line for line in axonal]
                    + ["else:"] + ["    " + line for line in axonal])
        first, end = ("lo", "hi") if self.threaded else ("0", "p.n")
        if not self.desc.schedule:      # visit only the neurons whose condition held
            return [f"    i = ab_next_set(p.fired, {first}, {end})", f"    while i < {end}:",
                    indent(emit, 2), f"        i = ab_next_set(p.fired, i + 1, {end})"]
        # SpikeSourceArray: the next given spike step of each neuron
        lines = ["if step - p.last_spike[i] <= p.ref_steps[i]:", "    continue",
                 "while p.sched_cursor[i] < p.sched_ptr[i + 1] and "
                 "p.sched_times[p.sched_cursor[i]] < step:",
                 "    p.sched_cursor[i] += 1",
                 "if p.sched_cursor[i] < p.sched_ptr[i + 1] and "
                 "p.sched_times[p.sched_cursor[i]] == step:"] + ["    " + line for line in emit]
        return [f"    for i in range({first}, {end}):", indent(lines, 2)]

    def global_operations_source(self):
        if not self.code.global_operations:
            return ""
        lines = [f"cdef void global_ops_{self.index}({self.struct}* p) noexcept nogil:",
                 "    cdef long i", "    cdef double acc, x"]
        for op, var in sorted(self.code.global_operations):
            lines += ["    " + line for line in
                      fold_lines(op, f"p.a_{var}", "p.n", f"p.g_{op}_{var}[0]")]
        return "\n".join(lines) + "\n"

    def stop_source(self, p, stop):
        """A population's stop condition: any (or all) neurons satisfy it."""
        names = self.names(local=True, hoist=False)
        if self.desc.spike is not None:
            names.setdefault("spiked", "(p.last_spike[i] == step)")
        condition = CPrinter(names).doprint(stop[0])
        found, missing = ("1", "0") if stop[1] == "any" else ("0", "1")
        test = condition if stop[1] == "any" else f"not ({condition})"
        return (f"cdef bint stop_{p}({self.struct}* p, const double* consts, "
                "int64_t step) noexcept nogil:\n"
                f"    cdef long i\n    for i in range(p.n):\n        if {test}:\n"
                f"            return {found}\n    return {missing}\n")


def _claims(local):
    """Lines asking, in a block after the first, for the first cache lines of each array that
    the per-neuron loop ``local`` writes (``ab_claim`` of annbook_rt.h)."""
    written = sorted(set(re.findall(r"^\s*p\.(\w+)\[i\]\s*[-+*/]?=", "\n".join(local),
                                    re.MULTILINE)))
    if not written:
        return []
    return ["    if lo > 0:"] + [f"        ab_claim(p.{name} + lo, (hi - lo) * sizeof(p.{name}[0]))"
                                for name in written]

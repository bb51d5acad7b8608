"""A projection between spiking populations: events instead of a weighted sum.

Spikes of the pre population are kept in a ring of spike lists; at each step
the spikes emitted ``max(1, delay)`` steps earlier run ``pre_spike`` on every
synapse they reach, so the cost is spikes x fan-out. A pre-to-post index lists
the synapses of each pre neuron with their post rank (``pre_post``) and their
index in the post-to-pre arrays (``pre_syn``). When ``pre_spike`` reads no
per-synapse value but an unchanging weight, the weights are also kept in that
order (``w_pre``) and the loop reads only consecutive memory.

Per-synapse delays: the synapses of each pre neuron are sorted by delay, and
each spike in the ring carries a cursor to its next undelivered synapse, so
a step costs the spikes in flight plus the synapses reached.

Spikes of the post population run ``post_spike`` on their dendrite.
Event-driven variables decay in closed form since the synapse's last event.
"""

import sympy

from .common import indent, write_updates
from .cprinter import CPrinter
from .projection import ProjectionWriter

__all__ = ["SpikingProjectionWriter"]

_INDEX_FIELDS = [("pre_ptr", "int64_t* pre_ptr"), ("pre_post", "int32_t* pre_post"),
                 ("row_of_post", "int64_t* row_of_post")]


class SpikingProjectionWriter(ProjectionWriter):
    """Writes the Cython of one projection carrying spikes."""

    spiking = True
    delays_globals = False

    def fields(self):
        fields = [f for f in super().fields() if f[0] != "ptarget"]
        fields += [("pspk", key, decl) for key, decl in _INDEX_FIELDS]
        if not self.static_weights():
            fields += [("pspk", "pre_syn", "int32_t* pre_syn")]
        if self.event_state():
            fields += [("pspk", "last_event", "int64_t* last_event")]
        if self.static_weights() and self._local("w"):
            fields += [("pwpre", "", "real* w_pre")]
        if not self.uniform:
            fields += [("pspk", "pre_delay", "int32_t* pre_delay"),
                       ("pcursor", "", "int64_t* s_cursor")]
        fields += [("pcond", t, f"real* c_{t}") for t in self.targets]
        fields += [("sring", "", "int64_t* s_ring"), ("scount", "", "int64_t* s_count"),
                   ("sdepth", "", "int64_t* s_depth")]
        return fields

    # ------------------------------------------------------------ what the events need
    def _local(self, name):
        attr = self.desc.attribute(name)
        return attr is not None and attr.locality == "local"

    def event_state(self):
        """Whether synapses keep the step of their last event (event-driven variables)."""
        return bool(self.code.event_driven)

    def static_weights(self):
        """``pre_spike`` reads no per-synapse value but the weight, which nothing writes.

        Its loop then needs no synapse index: weights are read in pre order.
        """
        code = self.code
        if code.event_driven:
            return False
        written = {u.target for updates in code.events.values() for u in updates}
        written |= {u.target for where in code.updates for u in code.updates[where]}
        if "w" in written:
            return False
        local = {a.name for a in self.desc.attributes if a.locality == "local"}
        for event in ("pre_spike", "pre_axon_spike"):
            updates = code.events.get(event, [])
            bounds = code.event_bounds.get(event) or [(None, None)] * len(updates)
            for update, pair in zip(updates, bounds):
                exprs = [update.expr] + [bound for bound in pair if bound is not None]
                used = {str(s) for expr in exprs for s in expr.free_symbols}
                if update.target in local or (used & local) - {"w"}:
                    return False
        return True

    # ------------------------------------------------------------ names
    def names(self, where, lag):
        """Names in the continuous synaptic equations (loops over rows k and synapses j);
        a continuous psp (``lag`` 1) reads delayed pre-synaptic values as rate-coded ones."""
        names = super().names(where, lag)
        if lag:
            return names
        for a in self.pre.desc.attributes:
            if a.locality != "global":
                names[f"pre__{a.name}"] = f"pre.a_{a.name}[q.pre_ranks[j]]"
        names["t_pre"] = "(pre.last_spike[q.pre_ranks[j]] * dt)"
        names["t_post"] = "(post.last_spike[q.post_ranks[k]] * dt)"
        return names

    def event_names(self, static):
        """Names inside an event: ``i_pre`` and ``r`` are the pre and post ranks."""
        names = super().names("local", 0)
        for side, rank in (("pre", "i_pre"), ("post", "r")):
            for a in getattr(self, side).desc.attributes:
                if a.locality != "global":
                    names[f"{side}__{a.name}"] = f"{side}.a_{a.name}[{rank}]"
        names["t_pre"] = "(pre.last_spike[i_pre] * dt)"
        names["t_post"] = "(post.last_spike[r] * dt)"
        if static and self._local("w"):
            names["w"] = "q.w_pre[idx]"
        return names

    def _event_lines(self, event, static=False):
        """Decay of event-driven variables, then the event's statements, for one synapse.

        As in the reference, a pre-synaptic event measures the time since the
        synapse's last event from the previous step, a post-synaptic one from now;
        an axonal event with statements of its own decays nothing.
        """
        printer = CPrinter(self.event_names(static))
        lines = []
        if self.code.event_driven and event != "pre_axon_spike":
            since = "step - 1" if event == "pre_spike" else "step"
            lines.append(f"_elapsed = ({since} - q.last_event[j]) * dt")
            for name, a, b in self.code.event_driven:
                x = printer.doprint(sympy.Symbol(name))
                rate = printer.doprint(a)
                if b == 0:
                    lines.append(f"{x} *= exp({rate} * _elapsed)")
                else:
                    steady = printer.doprint(-b / a)
                    lines.append(f"{x} = {steady} + ({x} - {steady}) * exp({rate} * _elapsed)")
            lines.append("q.last_event[j] = step")
        updates = self.code.events.get(event, [])
        skips = self.code.unless_post.get(event, [False] * len(updates))
        bounds = self.code.event_bounds.get(event, [(None, None)] * len(updates))
        # as in the reference, the increments of g_target come first, then the rest in order
        order = sorted(range(len(updates)), key=lambda i: updates[i].target != "g_target")
        for i in order:
            update, unless_post = updates[i], skips[i]
            clamps = self._bounds(update.target, bounds[i])
            targets = [f"q.c_{t}[r]" for t in self.targets] \
                if update.target == "g_target" else [None]
            for target in targets:
                names = dict(printer.names)
                if target:
                    names["g_target"] = target
                if update.target.startswith("post."):
                    names[update.target] = f"post.a_{update.target[5:]}[r]"
                body = write_updates([update], [], CPrinter(names), self.desc, clamps,
                                     "q.rng", guarded={"w"})
                if unless_post:
                    body = ["if pre.last_spike[i_pre] != post.last_spike[r]:"] + \
                        ["    " + line for line in body]
                lines += body
        if any(a.locality == "semiglobal" for a in self.desc.attributes):
            lines.insert(0, "k = q.row_of_post[r]")
        return lines

    def _bounds(self, target, own):
        """Bounds of an event statement: its own flags (``w -= 1 : min=0``), else those of
        the variable's equation."""
        base = self.code.clamps.get(target, (None, None))
        pair = tuple(mine if mine is not None else other for mine, other in zip(own, base))
        return {target: pair} if pair != (None, None) else {}

    # ------------------------------------------------------------ code
    def _axonal_event(self):
        """Which statements the pre neuron's axonal spikes run here (None: they do not reach
        this projection). As the reference: ``pre_axon_spike`` equal to ``pre_spike`` lets
        axonal spikes act as spikes; otherwise they run ``pre_axon_spike``."""
        synapse = self.code.description
        if self.pre.code.axon_spike is None or not self.code.events.get("pre_axon_spike"):
            return None
        same = [(d.target, d.op, d.rhs, d.min, d.max)
                for d in synapse.events.get("pre_axon_spike", [])] == \
            [(d.target, d.op, d.rhs, d.min, d.max) for d in synapse.events.get("pre_spike", [])]
        return "pre_spike" if same else "pre_axon_spike"

    def transmission_calls(self):
        calls = [self.call("psp")]
        if self.code.psp is not None:
            calls.append(self.call("continuous"))
        return calls

    def psp_source(self):
        """Spike propagation, then the continuous psp summed into the conductances."""
        source = self.spikes_source()
        if self.code.psp is not None:
            source += super().psp_source("continuous", "c")
        return source

    def spikes_source(self):
        """Propagation of the spikes that reach their synapses at this step; axonal spikes
        of the previous step reach them without delay."""
        static = self.static_weights()
        synapse = ["r = q.pre_post[idx]"] + ([] if static else ["j = q.pre_syn[idx]"])
        body = synapse + self._event_lines("pre_spike", static)
        head = [self._signature("psp"),
                "    cdef long s, idx, end, j, k, r, i_pre, slot, at, d",
                "    cdef double _elapsed",
                "    cdef bint plastic = q.flags[2] and q.flags[3]",
                "    cdef bint active = q.flags[0] and post.enabled[0]"]
        lines = []
        axonal = self._axonal_event()
        if axonal:
            gate = "active and q.flags[4]" if axonal == "pre_spike" else \
                "q.flags[4] and post.enabled[0]"
            lines += [f"if {gate}:", "    for s in range(pre.n_axonal[0]):",
                      "        i_pre = pre.axonal[s]",
                      "        for idx in range(q.pre_ptr[i_pre], q.pre_ptr[i_pre + 1]):"]
            lines += ["            " + line
                      for line in synapse + self._event_lines(axonal, static)]
        if self.uniform:
            lines += ["if not active:", "    return",
                     "slot = ab_slot(step - (q.delay[0] if q.delay[0] > 1 else 1), q.s_depth[0])",
                     "for s in range(q.s_count[slot]):",
                     "    i_pre = q.s_ring[slot * pre.n + s]",
                     "    for idx in range(q.pre_ptr[i_pre], q.pre_ptr[i_pre + 1]):"]
            lines += ["        " + line for line in body]
        else:
            # a spike of age d delivers the synapses of delay d from its cursor on
            lines += ["for d in range(1, q.s_depth[0]):",
                     "    slot = ab_slot(step - d, q.s_depth[0])",
                     "    for s in range(q.s_count[slot]):",
                     "        at = slot * pre.n + s",
                     "        i_pre = q.s_ring[at]",
                     "        idx = q.pre_ptr[i_pre] if d == 1 else q.s_cursor[at]",
                     "        end = q.pre_ptr[i_pre + 1]",
                     "        while idx < end and q.pre_delay[idx] == d:",
                     "            if active:"]
            lines += ["                " + line for line in body]
            lines += ["            idx += 1", "        q.s_cursor[at] = idx"]
        return "\n".join(head) + "\n" + indent(lines, 1) + "\n"

    def has_post_events(self):
        return bool(self.code.events.get("post_spike"))

    def post_events_source(self):
        """``post_spike`` on the dendrite of every post neuron that spiked at this step."""
        if not self.has_post_events():
            return ""
        lines = [self._signature("post_events"), "    cdef long s, j, k, r, i_pre",
                 "    cdef double _elapsed", "    cdef bint plastic = q.flags[2] and q.flags[3]",
                 "    for s in range(post.n_spiked[0]):",
                 "        r = post.spiked[s]",
                 "        k = q.row_of_post[r]",
                 "        if k < 0:", "            continue",
                 "        for j in range(q.row_ptr[k], q.row_ptr[k + 1]):",
                 "            i_pre = q.pre_ranks[j]"]
        body = [line for line in self._event_lines("post_spike") if line != "k = q.row_of_post[r]"]
        lines += ["            " + line for line in body]
        return "\n".join(lines) + "\n"

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
        if not self.dense:
            fields += [("pspk", key, decl) for key, decl in _INDEX_FIELDS]
            if self.ranged and self.uniform:
                fields += [("pspk", "block_starts", "int64_t* block_starts")]
            if not self.static_weights():
                fields += [("pspk", "pre_syn", "int32_t* pre_syn")]
            if not self.uniform:
                fields += [("pspk", "pre_delay", "int32_t* pre_delay")]
                if not self.ranged:
                    fields += [("pcursor", "", "int64_t* s_cursor")]
        if self.event_state():
            fields += [("pspk", "last_event", "int64_t* last_event")]
        if self.static_weights() and self._local("w") or self.dense == "padded":
            fields += [("pwpre", "", "real* w_pre")]
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
        rank = self.synapse_pre_rank()
        for a in self.pre.desc.attributes:
            if a.locality != "global":
                names[f"pre__{a.name}"] = f"pre.a_{a.name}[{rank}]"
        names["t_pre"] = f"(pre.last_spike[{rank}] * dt)"
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
        if static and (self._local("w") or self.dense == "padded"):
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
        if any(a.locality == "semiglobal" for a in self.desc.attributes) and \
                self.dense != "full":
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
        static = self.static_weights() or self.dense == "padded"
        body = self._event_lines("pre_spike", static)
        head = [self._signature("psp", self.ranged),
                "    cdef int64_t s, idx, end, j, k, r, i_pre, slot, at, d, k0, k1, c, n_listed",
                "    cdef const int64_t* spikes",
                "    cdef real _elapsed",
                "    cdef bint plastic = q.flags[2] and q.flags[3]",
                "    cdef bint active = q.flags[0] and post.enabled[0]"]
        if self.dense:
            head += ["    cdef long _post0 = q.dense[0], _rows = q.dense[1]",
                     "    cdef long _pre0 = q.dense[2], _cols = q.dense[3]"]
        lines = self._dense_rows() if self.dense else []
        axonal = self._axonal_event()
        if axonal:
            gate = "active and q.flags[4]" if axonal == "pre_spike" else \
                "q.flags[4] and post.enabled[0]"
            lines += [f"if {gate}:", "    for s in range(pre.n_axonal[0]):",
                      "        i_pre = pre.axonal[s]"]
            lines += ["        " + line for line in
                      self._deliver(self._event_lines(axonal, static), static)]
        if self.uniform and self.ranged:
            # the spikes of the previous step straight from the pre neurons' blocks, so that
            # thread 0 may fill the ring with them while the others go on
            lines += ["if not active:", "    return",
                      "if q.delay[0] > 1:",
                      "    slot = ab_slot(step - q.delay[0], q.s_depth[0])",
                      "    spikes, n_listed = q.s_ring + slot * pre.n, q.s_count[slot]",
                      "else:",
                      "    spikes, n_listed = pre.blocks + ((step - 1) & 1) * pre.n, pre.n",
                      "s = 0",
                      "while True:",
                      "    i_pre = ab_next_spike(spikes, n_listed, &s)",
                      "    if i_pre < 0:",
                      "        break"]
            lines += ["    " + line for line in self._deliver(body, static)]
        elif self.uniform:
            lines += ["if not active:", "    return",
                      "slot = ab_slot(step - (q.delay[0] if q.delay[0] > 1 else 1), q.s_depth[0])",
                      "for s in range(q.s_count[slot]):",
                      "    i_pre = q.s_ring[slot * pre.n + s]"]
            lines += ["    " + line for line in self._deliver(body, static)]
        elif self.ranged:
            # a spike of age d delivers its synapses of delay d: found by bisection, the
            # threads' post ranks among them too (no cursor shared between threads)
            lines += ["if not active:", "    return",
                      "for d in range(1, q.s_depth[0]):",
                      "    slot = ab_slot(step - d, q.s_depth[0])",
                      "    for s in range(q.s_count[slot]):",
                      "        i_pre = q.s_ring[slot * pre.n + s]",
                      "        idx = ab_lower32(q.pre_delay, q.pre_ptr[i_pre], "
                      "q.pre_ptr[i_pre + 1], d)",
                      "        end = ab_lower32(q.pre_delay, idx, q.pre_ptr[i_pre + 1], d + 1)",
                      "        idx = ab_lower32(q.pre_post, idx, end, lo)",
                      "        end = ab_lower32(q.pre_post, idx, end, hi)",
                      "        while idx < end:"]
            lines += ["            " + line for line in self._synapse(static) + body]
            lines += ["            idx += 1"]
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
            lines += ["                " + line for line in self._synapse(static) + body]
            lines += ["            idx += 1", "        q.s_cursor[at] = idx"]
        return "\n".join(head) + "\n" + indent(lines, 1) + "\n"

    def _synapse(self, static):
        """Post rank (and index) of synapse ``idx`` of the pre-to-post index."""
        return ["r = q.pre_post[idx]"] + ([] if static else ["j = q.pre_syn[idx]"])

    def _dense_rows(self):
        """Rows ``k0 <= k < k1`` of a dense layout that this call reaches."""
        if not self.ranged:
            return ["k0 = 0", "k1 = _rows"]
        return ["k0 = min(max(lo - _post0, 0), _rows)", "k1 = min(max(hi - _post0, 0), _rows)"]

    def _deliver(self, body, static):
        """The synapses of pre neuron ``i_pre`` running ``body``: its column of a dense layout
        (from the pre x post copy of static weights, else from the rows), or its entries of
        the pre-to-post index (on threads: those of the thread's post ranks)."""
        if self.dense:
            lines = ["c = i_pre - _pre0", "if c >= 0 and c < _cols:"]
            inner = ["r = _post0 + k"] + (["idx = c * _rows + k"] if static
                                          else ["j = k * _cols + c"])
            return lines + ["    for k in range(k0, k1):"] + \
                ["        " + line for line in inner + body]
        if self.ranged:     # the synapses of the blocks (Projection._block_starts)
            lines = ["idx = q.block_starts[i_pre * (nb + 1) + b0]",
                     "end = q.block_starts[i_pre * (nb + 1) + b1]"]
        else:
            lines = ["idx = q.pre_ptr[i_pre]", "end = q.pre_ptr[i_pre + 1]"]
        return lines + ["for idx in range(idx, end):"] + \
            ["    " + line for line in self._synapse(static) + body]

    def has_post_events(self):
        return bool(self.code.events.get("post_spike"))

    def post_events_source(self):
        """``post_spike`` on the dendrite of every post neuron that spiked at this step (on
        threads, each thread those of its post ranks)."""
        if not self.has_post_events():
            return ""
        lines = [self._signature("post_events", self.ranged), "    cdef long s, j, k, r, i_pre",
                 "    cdef real _elapsed", "    cdef bint plastic = q.flags[2] and q.flags[3]",
                 "    for s in range(post.n_spiked[0]):",
                 "        r = post.spiked[s]"]
        if self.ranged:
            lines += ["        if r < lo or r >= hi:", "            continue"]
        if self.dense == "full":            # rows: the post ranks dense[0] ... + dense[1]
            lines += ["        k = r - q.dense[0]", "        if k < 0 or k >= q.dense[1]:",
                      "            continue"]
        else:
            lines += ["        k = q.row_of_post[r]", "        if k < 0:", "            continue"]
        rank = "q.dense[2] + j - q.row_ptr[k]" if self.dense == "full" else "q.pre_ranks[j]"
        lines += ["        for j in range(q.row_ptr[k], q.row_ptr[k + 1]):",
                  f"            i_pre = {rank}"]
        body = [line for line in self._event_lines("post_spike") if line != "k = q.row_of_post[r]"]
        lines += ["            " + line for line in body]
        return "\n".join(lines) + "\n"

    # ------------------------------------------------------------ threads
    def _event_updates(self):
        return [u for event in ("pre_spike", "pre_axon_spike", "post_spike")
                for u in self.code.events.get(event, [])]

    def _shares_safely(self):
        """Events write synapses, their post neuron and ``g_target``: per post neuron. A
        projection-wide variable written by an event makes thread 0 run the projection alone."""
        written = {u.target for u in self._event_updates()}
        return not any(a.locality == "global" and a.name in written for a in self.desc.attributes)

    def transmission_closed(self):
        """Spike delivery reads the spike rings, the synapses and the post neurons of the
        thread: closed unless an event reads a pre-synaptic neuron (its value, ``t_pre``,
        ``unless_post``), or a continuous psp is summed."""
        if not self.ranged or self.code.psp is not None:
            return False
        for event in ("pre_spike", "pre_axon_spike"):
            updates = self.code.events.get(event, [])
            if any(self.code.unless_post.get(event, [])):
                return False
            bounds = self.code.event_bounds.get(event) or [(None, None)] * len(updates)
            for update, pair in zip(updates, bounds):
                exprs = [update.expr] + [b for b in pair if b is not None]
                used = {str(x) for expr in exprs for x in expr.free_symbols}
                if "t_pre" in used or any(name.startswith("pre__") or name.startswith("_pre_")
                                          for name in used):
                    return False
        return True

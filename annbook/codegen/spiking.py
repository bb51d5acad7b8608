"""A projection between spiking populations: events instead of a weighted sum.

Spikes of the pre population are kept in a ring of spike lists; at each step
the spikes emitted ``max(1, delay)`` steps earlier run ``pre_spike`` on every
synapse they reach (a pre-to-post index lists them), so the cost is spikes x
fan-out. Spikes of the post population run ``post_spike`` on their dendrite.
Event-driven variables decay in closed form since the synapse's last event.
"""

import sympy

from .common import indent, write_updates
from .cprinter import CPrinter
from .projection import ProjectionWriter

__all__ = ["SpikingProjectionWriter"]

# A spike emitted during step s reaches its synapses at the start of step s + max(1, d),
# d the delay in steps (the reference's rule): a delay of one step equals no delay.
_SPIKE_FIELDS = [("pre_ptr", "int64_t* pre_ptr"), ("pre_order", "int64_t* pre_order"),
                 ("syn_row", "int32_t* syn_row"), ("row_of_post", "int64_t* row_of_post"),
                 ("last_event", "int64_t* last_event")]


class SpikingProjectionWriter(ProjectionWriter):
    """Writes the Cython of one projection carrying spikes."""

    spiking = True

    def fields(self):
        fields = [f for f in super().fields() if f[0] != "ptarget"]
        fields += [("pspk", key, decl) for key, decl in _SPIKE_FIELDS]
        fields += [("pcond", t, f"real* c_{t}") for t in self.targets]
        fields += [("sring", "", "int64_t* s_ring"), ("scount", "", "int64_t* s_count"),
                   ("sdepth", "", "int64_t* s_depth")]
        return fields

    def names(self, where, lag):
        names = super().names(where, lag)
        for a in self.pre.desc.attributes:
            if a.locality != "global":
                names[f"pre__{a.name}"] = f"pre.a_{a.name}[q.pre_ranks[j]]"
        names["t_pre"] = "(pre.last_spike[q.pre_ranks[j]] * dt)"
        names["t_post"] = "(post.last_spike[q.post_ranks[k]] * dt)"
        return names

    def _event_lines(self, event):
        """Decay of event-driven variables, then the event's statements, for synapse j.

        As in the reference, a pre-synaptic event measures the time since the
        synapse's last event from the previous step, a post-synaptic one from now.
        """
        printer = CPrinter(self.names("local", 0))
        lines = []
        if self.code.event_driven:
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
        # as in the reference, the increments of g_target come first, then the rest in order
        order = sorted(range(len(updates)), key=lambda i: updates[i].target != "g_target")
        updates, skips = [updates[i] for i in order], [skips[i] for i in order]
        for update, unless_post in zip(updates, skips):
            targets = [f"q.c_{t}[q.post_ranks[k]]" for t in self.targets] \
                if update.target == "g_target" else [None]
            for target in targets:
                names = dict(printer.names)
                if target:
                    names["g_target"] = target
                body = write_updates([update], [], CPrinter(names), self.desc, self.code.clamps,
                                     "q.rng", guarded={"w"})
                if update.target.startswith("post."):
                    name = update.target[5:]
                    body = [line.replace(update.target, f"post.a_{name}[q.post_ranks[k]]", 1)
                            for line in body]
                if target:
                    body = [line.replace("g_target", target, 1) for line in body]
                if unless_post:
                    body = ["if pre.last_spike[q.pre_ranks[j]] != post.last_spike[q.post_ranks[k]]:"] + \
                        ["    " + line for line in body]
                lines += body
        return lines

    def psp_source(self):
        """Propagation of the spikes that reach their synapses at this step."""
        body = self._event_lines("pre_spike")
        head = [self._signature("psp"), "    cdef long s, idx, j, k, i_pre, slot, n_sp, d",
                "    cdef double _elapsed",
                "    cdef bint plastic = q.flags[2] and q.flags[3]",
                "    if not q.flags[0] or not post.enabled[0]:", "        return"]
        loop = ["for s in range(n_sp):", "    i_pre = q.s_ring[slot * pre.n + s]",
                "    for idx in range(q.pre_ptr[i_pre], q.pre_ptr[i_pre + 1]):",
                "        j = q.pre_order[idx]"]
        if self.uniform:
            lines = ["slot = ab_slot(step - (q.delay[0] if q.delay[0] > 1 else 1), q.s_depth[0])",
                     "n_sp = q.s_count[slot]"] + loop + ["        k = q.syn_row[j]"]
            lines += ["        " + line for line in body]
        else:
            lines = ["for d in range(1, q.s_depth[0]):",
                     "    slot = ab_slot(step - d, q.s_depth[0])",
                     "    n_sp = q.s_count[slot]"]
            lines += ["    " + line for line in loop]
            lines += ["            if (q.delay[j] if q.delay[j] > 1 else 1) != d:",
                      "                continue", "            k = q.syn_row[j]"]
            lines += ["            " + line for line in body]
        return "\n".join(head) + "\n" + indent(lines, 1) + "\n"

    def has_post_events(self):
        return bool(self.code.events.get("post_spike"))

    def post_events_source(self):
        """``post_spike`` on the dendrite of every post neuron that spiked at this step."""
        if not self.has_post_events():
            return ""
        lines = [self._signature("post_events"), "    cdef long s, j, k",
                 "    cdef double _elapsed", "    cdef bint plastic = q.flags[2] and q.flags[3]",
                 "    for s in range(post.n_spiked[0]):",
                 "        k = q.row_of_post[post.spiked[s]]",
                 "        if k < 0:", "            continue",
                 "        for j in range(q.row_ptr[k], q.row_ptr[k + 1]):"]
        lines += ["            " + line for line in self._event_lines("post_spike")]
        return "\n".join(lines) + "\n"

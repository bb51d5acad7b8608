"""Transposed projections: the synapses of another projection, used backwards.

A rate-coded Transpose sums, for each pre neuron of the forward projection, ``w * pre.r``
over its outgoing synapses: compressed rows by forward pre neuron whose entries hold the
forward post rank and (``syn``) the synapse's index in the forward projection's arrays, so
the forward weights are read where they live and learning shows at once. A spiking
Transpose adds, for each forward post neuron that spiked at the previous step, the weights
of its dendrite to ``g_target`` of the forward pre neurons.
"""

from .projection import ProjectionWriter

__all__ = ["TransposeWriter", "SpikingTransposeWriter"]


class TransposeWriter(ProjectionWriter):
    """Writes the weighted sum of a rate-coded Transpose."""

    partitionable = False

    def fields(self):
        return super().fields() + [("pshared", "syn", "int64_t* syn")]

    def has_updates(self):
        return False

    def names(self, where, lag, **ranks):
        names = super().names(where, lag, **ranks)
        if self.desc.attribute("w").locality == "local":
            names["w"] = "q.a_w[q.syn[j]]"
        return names


class SpikingTransposeWriter(ProjectionWriter):
    """Writes the spike propagation of a spiking Transpose (``g_target += w``)."""

    partitionable = False

    spiking = True

    def fields(self):
        fields = [("proj", "flags", "unsigned char* flags"),
                  ("pattr", "w", "real* a_w")]
        fields += [("pcond", t, f"real* c_{t}") for t in self.targets]
        fields += [("pshared", "row_of_pre", "int64_t* row_of_pre"),
                   ("pshared", "row_ptr", "int64_t* row_ptr"),
                   ("pshared", "targets", "int32_t* targets"),
                   ("sring", "", "int64_t* s_ring"), ("scount", "", "int64_t* s_count"),
                   ("sdepth", "", "int64_t* s_depth")]
        return fields

    def ring_attributes(self):
        return []

    def has_updates(self):
        return False

    def has_post_events(self):
        return False

    def post_events_source(self):
        return ""

    def psp_source(self):
        weight = "q.a_w[j]" if self.desc.attribute("w").locality == "local" else "q.a_w[0]"
        lines = [self._signature("psp"), "    cdef long s, i, k, j, slot",
                 "    if not q.flags[0] or not post.enabled[0]:", "        return",
                 "    slot = ab_slot(step - 1, q.s_depth[0])",
                 "    for s in range(q.s_count[slot]):",
                 "        i = q.s_ring[slot * pre.n + s]",
                 "        k = q.row_of_pre[i]",
                 "        if k < 0:", "            continue",
                 "        for j in range(q.row_ptr[k], q.row_ptr[k + 1]):"]
        lines += [f"            q.c_{t}[q.targets[j]] += {weight}" for t in self.targets]
        return "\n".join(lines) + "\n"

"""A decoding projection: spikes of the pre population become a rate in ``sum(target)``.

At each step, the weights of the synapses reached by the previous step's spikes
are added up per post neuron into one row of a history ring of ``window`` steps;
``sum(target)`` gets the mean of those rows, in Hz (times 1000 / dt), divided by
the number of synapses of the dendrite. Delays are ignored, as in the reference.
"""

from .projection import ProjectionWriter

__all__ = ["DecodingProjectionWriter"]


class DecodingProjectionWriter(ProjectionWriter):
    """Writes the Cython of one DecodingProjection."""

    partitionable = False

    def fields(self):
        return super().fields() + [
            ("pspk", "pre_ptr", "int64_t* pre_ptr"), ("pspk", "pre_post", "int32_t* pre_post"),
            ("pspk", "pre_syn", "int32_t* pre_syn"), ("pdecode", "history", "double* history"),
            ("pdecode", "window", "int64_t* window")]

    def has_updates(self):
        return False

    def psp_source(self):
        weight = "q.a_w[q.pre_syn[idx]]" if self.desc.attribute("w").locality == "local" \
            else "q.a_w[0]"
        lines = [self._signature("psp"), "    cdef long s, idx, i_pre, k, r, d, row",
                 "    cdef double acc", "    cdef long window = q.window[0]",
                 "    if not q.flags[0] or not post.enabled[0]:", "        return",
                 "    row = ab_slot(step, window) * post.n",
                 "    for r in range(post.n):", "        q.history[row + r] = 0.0",
                 "    for s in range(pre.n_spiked[0]):",
                 "        i_pre = pre.spiked[s]",
                 "        for idx in range(q.pre_ptr[i_pre], q.pre_ptr[i_pre + 1]):",
                 f"            q.history[row + q.pre_post[idx]] += {weight}",
                 "    for k in range(q.n_rows):",
                 "        r = q.post_ranks[k]",
                 "        acc = 0.0",
                 "        for d in range(window):",
                 "            acc += q.history[ab_slot(step - d, window) * post.n + r]"]
        fields = [f"t_{t}" for t in self.targets] + (["t_all"] if self.sum_all else [])
        lines += [f"        q.{field}[r] += acc / window * 1000.0 / dt / "
                  "(q.row_ptr[k + 1] - q.row_ptr[k])" for field in fields]
        return "\n".join(lines) + "\n"

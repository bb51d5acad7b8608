"""An accumulating projection: the mean of ``psp`` over each dendrite, into ``sum(target)``.

What a BOLD monitor feeds its hemodynamic model with (``extensions/bold``). Each step,
post neuron ``post_ranks[k]`` receives ``scale`` times the mean over its synapses of the
synapse's ``psp`` (a pre-synaptic variable, read as it is at the start of the step: no
delay, no ring buffer). With ``baseline_steps > 0`` the mean is first collected for the
steps before ``baseline_until`` (nothing reaches the target then); from that step on the
target receives ``scale * (mean - baseline) / (|baseline| + 1e-7)``, the relative
deviation from the baseline's average (as the reference). ``baseline_until`` becomes -1
once the baseline is known.
"""

from .cprinter import CPrinter
from .projection import ProjectionWriter

__all__ = ["AccumulationWriter"]


class AccumulationWriter(ProjectionWriter):
    """Writes the Cython of one accumulating projection (its synapse declares ``scale``,
    ``baseline_steps``, ``baseline_until``, ``baseline_sum``, ``baseline_count`` and
    ``baseline_mean``)."""

    partitionable = False

    def ring_attributes(self):
        return []                  # current values only: nothing to keep per step

    def has_updates(self):
        return False

    def names(self, where, lag):
        names = super().names(where, lag)
        for a in self.pre.desc.attributes:
            names[f"pre__{a.name}"] = f"pre.a_{a.name}[0]" if a.locality == "global" \
                else f"pre.a_{a.name}[q.pre_ranks[j]]"
        return names

    def psp_source(self):
        value = CPrinter(self.names("local", 1)).doprint(self.code.psp)
        fields = [f"t_{t}" for t in self.targets] + (["t_all"] if self.sum_all else [])
        lines = [self._signature("psp"), "    cdef long k, j", "    cdef double acc, n, mean",
                 "    if not q.flags[0] or not post.enabled[0]:", "        return",
                 "    for k in range(q.n_rows):",
                 "        acc = 0.0",
                 "        for j in range(q.row_ptr[k], q.row_ptr[k + 1]):",
                 f"            acc += {value}",
                 "        n = q.row_ptr[k + 1] - q.row_ptr[k]",
                 "        if q.a_baseline_steps[0] <= 0:",
                 "            acc = q.a_scale[0] * acc / n",
                 "        else:",
                 "            acc /= n",
                 "            if q.a_baseline_until[0] >= 0:",
                 "                if step < q.a_baseline_until[0]:",
                 "                    q.a_baseline_sum[k] += acc",
                 "                    q.a_baseline_count[k] += 1",
                 "                    continue",
                 "                if q.a_baseline_count[k] > 0:",
                 "                    q.a_baseline_mean[k] = q.a_baseline_sum[k] / "
                 "q.a_baseline_count[k]",
                 "            mean = q.a_baseline_mean[k]",
                 "            acc = q.a_scale[0] * ((acc - mean) / (fabs(mean) + 1e-7))"]
        lines += [f"        q.{field}[q.post_ranks[k]] += acc" for field in fields]
        lines += ["    if 0 <= q.a_baseline_until[0] <= step and q.a_baseline_steps[0] > 0:",
                  "        q.a_baseline_until[0] = -1"]
        return "\n".join(lines) + "\n"

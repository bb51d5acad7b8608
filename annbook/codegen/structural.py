"""The pruning and creating conditions of one projection, for structural plasticity.

With ``setup(structural_plasticity=True)``, a projection whose synapse has ``pruning`` or
``creating`` conditions gets a schedule (``sp``: pruning on, period, offset, creating on,
period, offset, then two flags saying which conditions were just evaluated) and one mask
per condition. The step loop stops, after the synaptic updates and post-synaptic events
of a step where a condition is due, before that step's recording; Python then calls the
module's ``structural()`` entry point, which evaluates the creating conditions (one byte per
post neuron with a dendrite and pre neuron, 0 for the synapses that exist) or the pruning
ones (one byte per synapse), applies them to the connectivity and resumes the step at its
recording. Synapses are created before pruning is evaluated, as in the reference.

The conditions read the values of this step (pre-synaptic values without delay).
"""

from .common import write_updates
from .cprinter import CPrinter

__all__ = ["StructuralWriter", "STRUCTURAL_STOP", "STRUCTURAL_RESUME"]

# clock[1] codes, as core/network.py reads and writes them
STRUCTURAL_STOP = 4       # the loop stopped inside a step for a structural change
STRUCTURAL_RESUME = 5     # given to run(): finish the stopped step from its recording

# (first schedule entry, evaluated flag), as core/structural.py fills and reads them
_SCHEDULE = {"pruning": (0, 6), "creating": (3, 7)}


class StructuralWriter:
    """Writes the pruning/creating code of the projection written by ``writer``."""

    def __init__(self, writer):
        self.writer = writer
        self.rules = writer.code.structural

    def fields(self):
        fields = [("pstruct", "schedule", "int64_t* sp")]
        if "pruning" in self.rules:
            fields.append(("pstruct", "prune_mask", "unsigned char* prune_mask"))
        if "creating" in self.rules:
            fields.append(("pstruct", "create_mask", "unsigned char* create_mask"))
        return fields

    def due(self, proj):
        """C test of a step where a condition of ``proj`` (the struct's name) is evaluated."""
        tests = []
        for kind in ("creating", "pruning"):
            if kind in self.rules:
                on = _SCHEDULE[kind][0]
                tests.append(f"({proj}.sp[{on}] and (step - {proj}.sp[{on + 2}]) % "
                             f"{proj}.sp[{on + 1}] == 0)")
        return " or ".join(tests)

    def calls(self, kind):
        """The call of the evaluation of ``kind`` ('pruning' or 'creating'), if it has one
        (one thread: Python calls it between two parts of a step)."""
        if kind not in self.rules:
            return []
        return [self.writer.call("prune" if kind == "pruning" else "create", ranged=False)]

    # ------------------------------------------------------------ code
    def names(self, rank):
        """Symbols of a condition: ``rank`` is the C text of the pre-synaptic rank."""
        writer = self.writer
        names = writer.names("local", 0)
        for a in writer.pre.desc.attributes:
            names[f"pre__{a.name}"] = f"pre.a_{a.name}[0]" if a.locality == "global" \
                else f"pre.a_{a.name}[{rank}]"
        for side, target in writer.code.side_sums:
            if side == "pre":
                names[f"_pre_sum_{target}"] = f"pre.s_{target}[{rank}]"
        if getattr(writer, "spiking", False):
            names["t_pre"] = f"(pre.last_spike[{rank}] * dt)"
            names["t_post"] = "(post.last_spike[q.post_ranks[k]] * dt)"
        return names

    def _test(self, kind, rank, target):
        """Lines setting ``target`` to the rule's outcome for one candidate synapse."""
        condition, proba, draws = self.rules[kind]
        printer = CPrinter(self.names(rank))
        lines = write_updates([], draws, printer, self.writer.desc, {}, "q.rng")
        test = f"({printer.doprint(condition)})"
        if proba is not None:
            test += f" and ab_uniform(q.rng, 0.0, 1.0) < ({printer.doprint(proba)})"
        return lines + [f"{target} = {test}"]

    def _head(self, name, kind, declarations):
        on, done = _SCHEDULE[kind]
        _, _, draws = self.rules[kind]
        return [self.writer._signature(name), f"    cdef long {declarations}"] + \
            [f"    cdef real _r{d.symbol}" for d in draws] + \
            [f"    q.sp[{done}] = 0",
             f"    if not q.sp[{on}] or (step - q.sp[{on + 2}]) % q.sp[{on + 1}] != 0:",
             "        return", f"    q.sp[{done}] = 1"]

    def source(self):
        lines = []
        if "pruning" in self.rules:
            lines += self._head("prune", "pruning", "k, j")
            lines += ["    for k in range(q.n_rows):",
                      "        for j in range(q.row_ptr[k], q.row_ptr[k + 1]):"]
            lines += ["            " + line
                      for line in self._test("pruning", "q.pre_ranks[j]", "q.prune_mask[j]")]
            lines.append("")
        if "creating" in self.rules:
            # rows and pre ranks walked together: the synapses that exist are skipped
            lines += self._head("create", "creating", "k, j, end, i_pre")
            lines += ["    for k in range(q.n_rows):",
                      "        j = q.row_ptr[k]",
                      "        end = q.row_ptr[k + 1]",
                      "        for i_pre in range(pre.n):",
                      "            if j < end and q.pre_ranks[j] == i_pre:",
                      "                q.create_mask[k * pre.n + i_pre] = 0",
                      "                j += 1",
                      "                continue"]
            lines += ["            " + line for line in
                      self._test("creating", "i_pre", "q.create_mask[k * pre.n + i_pre]")]
            lines.append("")
        return "\n".join(lines) + "\n" if lines else ""

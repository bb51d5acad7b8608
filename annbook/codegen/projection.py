"""The struct, weighted sum and synaptic updates of one rate-coded projection.

Connectivity is compressed sparse rows, post to pre: row ``k`` is the
dendrite of post neuron ``post_ranks[k]``, its synapses ``row_ptr[k] ..
row_ptr[k+1]`` come from ``pre_ranks[j]``. Delayed pre-synaptic values are
read from a ring buffer of the pre population kept by the step loop: as in the
reference, a value produced at step s is summed at step s + max(1, d) for a
delay of d steps (one step of delay equals none).
"""


from .common import Temporaries, ctype, fold_lines, write_updates
from .cprinter import CPrinter
from .structural import StructuralWriter

__all__ = ["ProjectionWriter"]

_FIELDS = [("n_rows", "long n_rows"), ("post_ranks", "int64_t* post_ranks"),
           ("row_ptr", "int64_t* row_ptr"), ("pre_ranks", "int32_t* pre_ranks"),
           ("delay", "int64_t* delay"), ("flags", "unsigned char* flags"),
           ("learn", "int64_t* learn"), ("rng", "bitgen_t* rng")]
_ACC_START = {"sum": "0.0", "mean": "0.0", "max": "-1e308", "min": "1e308"}
_ACC_FOLD = {"sum": "acc += v", "mean": "acc += v", "max": "if v > acc: acc = v",
             "min": "if v < acc: acc = v"}


class ProjectionWriter:
    """Writes the Cython of one projection.

    ``pre``/``post`` are (population index, NeuronWriter); ``uniform`` says
    whether all synapses share one delay; ``sum_all`` whether the post model
    uses ``sum()`` over all targets; ``structural`` whether its pruning and creating
    conditions are compiled (structural plasticity).
    """

    def __init__(self, index, code, constants, pre, post, targets, operation, uniform, sum_all,
                 layout=(), structural=False):
        self.index = index
        self.code = code
        self.desc = code.description
        self.constants = constants
        self.pre_index, self.pre = pre
        self.post_index, self.post = post
        self.targets = list(targets)
        self.operation = operation
        self.uniform = uniform
        self.sum_all = sum_all
        self.layout = tuple(layout)       # what else decides the code of a specific projection
        self.struct = f"Proj{index}"
        self.structural = StructuralWriter(self) if structural and code.structural else None

    # population-wide pre values are delayed like per-neuron ones (as the reference, for
    # rate-coded transmission with one delay)
    delays_globals = True

    # ------------------------------------------------------------ layout
    def used_symbols(self):
        names = self.code.symbols()
        names |= {f"pre__{var[4:]}" for _, var in self.code.global_operations
                  if var.startswith("pre.")}
        return names

    def ring_attributes(self):
        """Attributes of the pre population read through ``pre.x`` (delayed)."""
        used = self.used_symbols()
        delayed = ("local", "global") if self.delays_globals and self.uniform else ("local",)
        return [a.name for a in self.pre.desc.attributes
                if a.locality in delayed and f"pre__{a.name}" in used]

    def ring_size(self, name, pre="pre"):
        """Values per step in the ring of ``name``: the size of ``pre`` (the pre population's
        struct), or 1 for a population-wide value."""
        return "1" if self.pre.desc.attribute(name).locality == "global" else f"{pre}.n"

    def fields(self):
        fields = [("proj", key, decl) for key, decl in _FIELDS]
        fields += [("pattr", a.name, f"{ctype(a.ctype)}* a_{a.name}") for a in self.desc.attributes]
        fields += [("ptarget", t, f"real* t_{t}") for t in self.targets]
        if self.sum_all:
            fields.append(("ptarget", "", "real* t_all"))
        fields += [("pgop", _gop_key(op, var), f"double* g_{_gop_key(op, var)}")
                   for op, var in sorted(self.code.global_operations)]
        for name in self.ring_attributes():
            kind = ctype(self.pre.desc.attribute(name).ctype)
            fields.append(("ring", name, f"{kind}* h_{name}"))
        fields.append(("depth", "", "int64_t* h_depth"))
        if self.structural:
            fields += self.structural.fields()
        return fields

    def struct_source(self):
        lines = [f"cdef struct {self.struct}:"] + ["    " + d for _, _, d in self.fields()]
        return "\n".join(lines) + "\n"

    # ------------------------------------------------------------ names
    def names(self, where, lag, pre_rank="q.pre_ranks[j]", post_rank="q.post_ranks[k]"):
        """Symbol -> C text; ``where`` is the loop level, ``lag`` 1 in the sum, 0 in updates;
        ``pre_rank``/``post_rank`` the C expressions of the synapse's pre and post ranks."""
        names = {"t": "t", "dt": "dt"}
        index = {"local": "[j]", "semiglobal": "[k]", "global": "[0]"}
        for a in self.desc.attributes:
            level = a.locality if a.locality != "local" or where == "local" else "global"
            names[a.name] = f"q.a_{a.name}{index[level]}"
        delayed = set(self.ring_attributes())
        for a in self.pre.desc.attributes:
            if a.locality == "global":
                names[f"pre__{a.name}"] = f"src_{a.name}[0]" if a.name in delayed \
                    else f"pre.a_{a.name}[0]"
            elif self.uniform:
                names[f"pre__{a.name}"] = f"src_{a.name}[{pre_rank}]"
            else:
                names[f"pre__{a.name}"] = (
                    f"q.h_{a.name}[ab_slot(step + {1 - lag} - (q.delay[j] if q.delay[j] > 1 "
                    "else 1), q.h_depth[0]) * pre.n + q.pre_ranks[j]]")
        for a in self.post.desc.attributes:
            names[f"post__{a.name}"] = f"post.a_{a.name}[0]" if a.locality == "global" \
                else f"post.a_{a.name}[{post_rank}]"
        for side, target in self.code.side_sums:     # weighted sums of this step (rate-coded)
            rank = pre_rank if side == "pre" else post_rank
            names[f"_{side}_sum_{target}"] = f"{side}.s_{target}[{rank}]"
        for op, var in self.code.global_operations:
            names[f"_{_gop_key(op, var)}"] = f"q.g_{_gop_key(op, var)}[0]"
        for k, name in enumerate(self.constants):
            names[name] = f"consts[{k}]"
        return names

    def _signature(self, name):
        return (f"cdef void {name}_{self.index}({self.struct}* q, {self.pre.struct}* pre, "
                f"{self.post.struct}* post, double t, double dt, int64_t step, "
                "const double* consts) noexcept nogil:")

    def _sources(self, lag):
        """Pointers to the (delayed) pre-synaptic arrays, for uniform delays."""
        if not self.uniform:
            return []
        lines = []
        for name in self.ring_attributes():
            kind = ctype(self.pre.desc.attribute(name).ctype)
            lines.append(f"cdef const {kind}* src_{name} = pre.a_{name} if q.delay[0] <= 1 else "
                         f"q.h_{name} + ab_slot(step + {1 - lag} - q.delay[0], q.h_depth[0]) "
                         f"* {self.ring_size(name)}")
        return lines

    # ------------------------------------------------------------ code
    def transmission_calls(self):
        """What the step calls to bring this projection's input to the post neurons."""
        return [self.call("psp")]

    def psp_source(self, name="psp", field="t"):
        """The weighted sum: each dendrite's psp folded with the operation into the targets
        (``q.t_...``, or the conductances ``q.c_...`` of a spiking projection)."""
        temps = Temporaries(self.code, ())
        printer = CPrinter(self.names("local", 1))
        draws = write_updates([], self.code.random_draws["local"], printer, self.desc, {},
                              "q.rng") if self.code.random_draws["local"] else []
        psp = printer.doprint(temps.rename_expr(self.code.psp))
        rank = "q.post_ranks[k]"
        lines = [self._signature(name), "    cdef long k, j", "    cdef double acc, v"]
        lines += [f"    cdef double _r{d.symbol}" for d in self.code.random_draws["local"]]
        lines += ["    if not q.flags[0] or not post.enabled[0]:", "        return"]
        lines += ["    " + line for line in self._sources(1)]
        lines += ["    for k in range(q.n_rows):", f"        acc = {_ACC_START[self.operation]}",
                  "        for j in range(q.row_ptr[k], q.row_ptr[k + 1]):"]
        lines += ["            " + line for line in draws]
        lines += [f"            v = {psp}", f"            {_ACC_FOLD[self.operation]}"]
        if self.operation == "mean":
            lines.append("        acc /= (q.row_ptr[k + 1] - q.row_ptr[k])")
        lines += [f"        q.{field}_{t}[{rank}] += acc" for t in self.targets]
        if self.sum_all:
            lines.append(f"        q.t_all[{rank}] += acc")
        return "\n".join(lines) + "\n"

    def has_updates(self):
        return any(self.code.updates[where] for where in self.code.updates)

    def update_source(self):
        """Synaptic equations: global, then per dendrite, then per synapse."""
        if not self.has_updates():
            return ""
        code = self.code
        temps = Temporaries(code, ("global", "semiglobal", "local"))
        lines = [self._signature("update_syn"), "    cdef long k, j",
                 "    cdef bint plastic = q.flags[2]"]
        lines += ["    " + line for line in temps.declarations()]
        lines += ["    if not q.flags[1] or not q.flags[3]:", "        return",
                  "    if q.learn[0] > 1 and (step - q.learn[1]) % q.learn[0] != 0:",
                  "        return"]
        lines += ["    " + line for line in self._sources(0)]
        blocks = {}
        for where in ("global", "semiglobal", "local"):
            blocks[where] = write_updates(temps.rename(code.updates[where]),
                                          code.random_draws[where],
                                          CPrinter(self.names(where, 0)), self.desc,
                                          code.clamps, "q.rng", guarded={"w"})
        lines += ["    " + line for line in blocks["global"]]
        if blocks["semiglobal"] or blocks["local"]:
            lines.append("    for k in range(q.n_rows):")
            lines += ["        " + line for line in blocks["semiglobal"]]
            if blocks["local"]:
                lines.append("        for j in range(q.row_ptr[k], q.row_ptr[k + 1]):")
                lines += ["            " + line for line in blocks["local"]]
        return "\n".join(lines) + "\n"

    def global_operations_source(self):
        if not self.code.global_operations:
            return ""
        lines = [f"cdef void global_ops_proj_{self.index}({self.struct}* q, {self.pre.struct}* pre, "
                 f"{self.post.struct}* post) noexcept nogil:", "    cdef long i",
                 "    cdef double acc, x"]
        for op, var in sorted(self.code.global_operations):
            side, name = var.split(".") if "." in var else ("", var)
            if side:
                source, size = f"{side}.a_{name}", f"{side}.n"
            else:
                source, size = f"q.a_{name}", "(q.row_ptr[q.n_rows])"
            lines += ["    " + line for line in
                      fold_lines(op, source, size, f"q.g_{_gop_key(op, var)}[0]")]
        return "\n".join(lines) + "\n"

    def call(self, name):
        return (f"{name}_{self.index}(&proj{self.index}, &pop{self.pre_index}, "
                f"&pop{self.post_index}, t, dt, clock[0], consts)")


def _gop_key(op, var):
    return f"{op}_{var.replace('.', '_')}"



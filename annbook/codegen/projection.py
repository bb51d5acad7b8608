"""The struct, weighted sum and synaptic updates of one rate-coded projection.

Connectivity is compressed sparse rows, post to pre: row ``k`` is the
dendrite of post neuron ``post_ranks[k]``, its synapses ``row_ptr[k] ..
row_ptr[k+1]`` come from ``pre_ranks[j]``. Delayed pre-synaptic values are
read from a ring buffer of the pre population kept by the step loop: as in the
reference, a value produced at step s is summed at step s + max(1, d) for a
delay of d steps (one step of delay equals none).
"""


from .common import REAL_DT, Temporaries, ctype, fold_lines, real_constant, write_updates
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


# rows of a dense layout are folded in blocks of this many synapses, one accumulator each:
# the block vectorises without reordering anything else (see core/dense.py)
DENSE_BLOCK = 16


class ProjectionWriter:
    """Writes the Cython of one projection.

    ``pre``/``post`` are (population index, NeuronWriter); ``uniform`` says
    whether all synapses share one delay; ``sum_all`` whether the post model
    uses ``sum()`` over all targets; ``structural`` whether its pruning and creating
    conditions are compiled (structural plasticity); ``dense`` the layout of its synapses
    ('', 'full' or 'padded', see ``core/dense.py``); ``threaded`` whether the module runs on
    several threads (then the functions of a partitionable projection take the range of
    post ranks of the calling thread and its generator).
    """

    # whether threads can share this kind's work by post-synaptic rank ranges
    partitionable = True

    def __init__(self, index, code, constants, pre, post, targets, operation, uniform, sum_all,
                 layout=(), structural=False, dense="", threaded=False):
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
        self.dense = dense
        self.ranged = threaded and self.partitionable and self._shares_safely()
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
        fields = [("proj", key, decl) for key, decl in _FIELDS
                  if not (self.dense == "full" and key == "pre_ranks")]
        if self.dense:
            fields.append(("pdense", "", "int64_t* dense"))
        if self.ranged:
            fields.append(("prngs", "", "bitgen_t** rngs"))
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
    def names(self, where, lag, pre_rank=None, post_rank="q.post_ranks[k]"):
        """Symbol -> C text; ``where`` is the loop level, ``lag`` 1 in the sum, 0 in updates;
        ``pre_rank``/``post_rank`` the C expressions of the synapse's pre and post ranks."""
        pre_rank = pre_rank or self.synapse_pre_rank()
        names = {"t": "t", "dt": REAL_DT}
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
                    f"else 1), q.h_depth[0]) * pre.n + {pre_rank}]")
        for a in self.post.desc.attributes:
            names[f"post__{a.name}"] = f"post.a_{a.name}[0]" if a.locality == "global" \
                else f"post.a_{a.name}[{post_rank}]"
        for side, target in self.code.side_sums:     # weighted sums of this step (rate-coded)
            rank = pre_rank if side == "pre" else post_rank
            names[f"_{side}_sum_{target}"] = f"{side}.s_{target}[{rank}]"
        for op, var in self.code.global_operations:
            names[f"_{_gop_key(op, var)}"] = f"q.g_{_gop_key(op, var)}[0]"
        for k, name in enumerate(self.constants):
            names[name] = real_constant(k)
        return names

    def synapse_pre_rank(self):
        """C text of the pre rank of synapse ``j``: read from the index, or, in a full dense
        layout, ``_c0 + j`` (``_c0``: the first pre rank minus the row's first synapse)."""
        return "(_c0 + j)" if self.dense == "full" else "q.pre_ranks[j]"

    def _signature(self, name, ranged=False):
        extra = ", long lo, long hi, bitgen_t* rng, long b0, long b1, int nb" if ranged else ""
        return (f"cdef void {name}_{self.index}({self.struct}* q, {self.pre.struct}* pre, "
                f"{self.post.struct}* post, double t, double dt, int64_t step, "
                f"const double* consts{extra}) noexcept nogil:")

    def _rows(self, indent_level=1):
        """Lines computing the rows ``k0 <= k < k1`` of this call: all of them, or those of the
        post ranks ``lo <= r < hi`` of the calling thread (rows are in post rank order)."""
        pad = "    " * indent_level
        if not self.ranged:
            return [f"{pad}k0 = 0", f"{pad}k1 = q.n_rows"]
        return [f"{pad}k0 = ab_lower(q.post_ranks, q.n_rows, lo)",
                f"{pad}k1 = ab_lower(q.post_ranks, q.n_rows, hi)"]

    def draws(self):
        """Whether the weighted sum or the synaptic equations of single synapses or dendrites
        draw random numbers."""
        return any(self.code.random_draws[where] for where in ("semiglobal", "local"))

    def _rng(self, ranged):
        return "rng" if ranged else "q.rng"

    def _shares_safely(self):
        """Whether threads may run this projection's work side by side, each on its own post
        neurons (else thread 0 runs it alone): nothing written is shared between post
        neurons (projection-wide variables are written by thread 0 before the others start)."""
        return True

    def transmission_closed(self):
        """Whether this projection's transmission reads nothing that the neuron updates of
        other threads write in the same step (then no barrier separates them)."""
        return False

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
        blocked = self.dense == "full" and self.operation in ("sum", "mean")
        printer = CPrinter(self.names("local", 1))
        draws = write_updates([], self.code.random_draws["local"], printer, self.desc, {},
                              self._rng(self.ranged)) if self.code.random_draws["local"] else []
        psp = printer.doprint(temps.rename_expr(self.code.psp))
        rank = "q.post_ranks[k]"
        lines = [self._signature(name, self.ranged), "    cdef long k, j, k0, k1",
                 "    cdef real acc, v"]
        lines += [f"    cdef real _r{d.symbol}" for d in self.code.random_draws["local"]]
        if self.dense == "full":
            lines += ["    cdef long _c0, jj, l, _n, _nb", "    cdef long _pre0 = q.dense[2]"]
        if blocked:
            lines.append(f"    cdef real _acc[{DENSE_BLOCK}]")
        lines += ["    if not q.flags[0] or not post.enabled[0]:", "        return"]
        lines += ["    " + line for line in self._sources(1)]
        lines += self._rows()
        lines += ["    for k in range(k0, k1):"]
        if self.dense == "full":
            lines.append("        _c0 = _pre0 - q.row_ptr[k]")
        if blocked:
            lines += _blocked_row(draws, psp)
        else:
            lines += [f"        acc = {_ACC_START[self.operation]}",
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
        """Synaptic equations: global, then per dendrite, then per synapse.

        On threads, the projection-wide ones are a function of their own
        (``update_syn_global``, run by one thread before the others share the rows).
        """
        if not self.has_updates():
            return ""
        code = self.code
        temps = Temporaries(code, ("global", "semiglobal", "local"))
        head = ["    cdef bint plastic = q.flags[2]"]
        head += ["    " + line for line in temps.declarations()]
        head += ["    if not q.flags[1] or not q.flags[3]:", "        return",
                 "    if q.learn[0] > 1 and (step - q.learn[1]) % q.learn[0] != 0:",
                 "        return"]
        head += ["    " + line for line in self._sources(0)]
        blocks = {}
        for where in ("global", "semiglobal", "local"):
            rng = self._rng(self.ranged and where != "global")
            blocks[where] = write_updates(temps.rename(code.updates[where]),
                                          code.random_draws[where],
                                          CPrinter(self.names(where, 0)), self.desc,
                                          code.clamps, rng, guarded={"w"})
        source = ""
        lines = [self._signature("update_syn", self.ranged), "    cdef long k, j, k0, k1"]
        if self.dense == "full":
            lines.append("    cdef long _c0")
        lines += head
        if self.ranged:
            if blocks["global"]:
                source = "\n".join([self._signature("update_syn_global"), *head] +
                                   ["    " + line for line in blocks["global"]]) + "\n"
        else:
            lines += ["    " + line for line in blocks["global"]]
        if blocks["semiglobal"] or blocks["local"]:
            lines += self._rows()
            lines.append("    for k in range(k0, k1):")
            if self.dense == "full":
                lines.append("        _c0 = q.dense[2] - q.row_ptr[k]")
            lines += ["        " + line for line in blocks["semiglobal"]]
            if blocks["local"]:
                lines.append("        for j in range(q.row_ptr[k], q.row_ptr[k + 1]):")
                lines += ["            " + line for line in blocks["local"]]
        return source + "\n".join(lines) + "\n"

    def has_global_updates(self):
        """Projection-wide synaptic equations (on threads: run by one thread first)."""
        return bool(self.code.updates["global"])

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

    def call(self, name, ranged=None):
        """The call of the function ``name``; on threads, with the calling thread's blocks
        ``blk0 <= b < blk1`` of ``nb`` and their post ranks (``lo<post>``, ``hi<post>``), and
        the block's generator (``rng_proj<index>``) when the synapses draw random numbers."""
        ranged = self.ranged if ranged is None else ranged
        rng = f"rng_proj{self.index}" if self.draws() else "NULL"
        extra = (f", lo{self.post_index}, hi{self.post_index}, {rng}, blk0, blk1, nb"
                 if ranged else "")
        return (f"{name}_{self.index}(&proj{self.index}, &pop{self.pre_index}, "
                f"&pop{self.post_index}, t, dt, step, consts{extra})")


def _blocked_row(draws, psp):
    """Row ``k`` of a dense layout summed in blocks of DENSE_BLOCK synapses, one accumulator
    per place in the block, added up in a fixed order (whatever the number of threads), then
    the synapses after the last block. Synapses and random draws are visited in the order of
    the sparse loop; only the additions are grouped otherwise."""
    block = DENSE_BLOCK
    lines = ["        _n = q.row_ptr[k + 1] - q.row_ptr[k]", f"        _nb = _n - _n % {block}",
             f"        for l in range({block}):", "            _acc[l] = 0.0",
             f"        for jj in range(0, _nb, {block}):",
             f"            for l in range({block}):", "                j = q.row_ptr[k] + jj + l"]
    lines += ["                " + line for line in draws]
    lines += [f"                v = {psp}", "                _acc[l] += v",
              f"        acc = {_tree([f'_acc[{l}]' for l in range(block)])}",
              "        for j in range(q.row_ptr[k] + _nb, q.row_ptr[k + 1]):"]
    lines += ["            " + line for line in draws]
    return lines + [f"            v = {psp}", "            acc += v"]


def _tree(terms):
    """``terms`` added pairwise (the order C keeps)."""
    while len(terms) > 1:
        terms = [f"({a} + {b})" for a, b in zip(terms[::2], terms[1::2])] + \
            (terms[-1:] if len(terms) % 2 else [])
    return terms[0]


def _gop_key(op, var):
    return f"{op}_{var.replace('.', '_')}"



"""Convolution and pooling: each post neuron folds the psp over a window of the pre population.

Nothing is stored per synapse. Post neuron ``k`` has a position in the pre population
(``centers[k * n ...]``, one coordinate per pre dimension) and, for a convolution, the offset
of its filter in the weights (``offsets[k]``: 0, or the start of its filter in a bank). The
window has ``m`` dimensions (the first ``m`` of the pre population); its element ``o`` reads
the pre neuron at ``centers + o - koffset`` in those dimensions and at ``centers`` in the
others. The layout ``(m, n, mode)`` is structure; sizes, geometry and the filter are state,
read from arrays at run time. ``mode`` says what a window element outside the population
reads: ``constant`` evaluates the psp with the pre-synaptic values equal to ``padding``,
``border`` repeats the nearest element, ``skip`` leaves it out (pooling).
"""

from .common import write_updates
from .cprinter import CPrinter
from .projection import ProjectionWriter, _ACC_FOLD, _ACC_START

__all__ = ["WindowWriter"]

_KEPT = {"n_rows", "delay", "flags", "rng"}
_WINDOW_FIELDS = [("centers", "int64_t* centers"), ("offsets", "int64_t* offsets"),
                  ("kshape", "int64_t* kshape"), ("koffset", "int64_t* koffset"),
                  ("pshape", "int64_t* pshape"), ("pstride", "int64_t* pstride"),
                  ("padding", "double* padding"), ("divisor", "double* divisor")]


class WindowWriter(ProjectionWriter):
    """Writes the weighted sum of a Convolution or a Pooling projection."""

    partitionable = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.dims, self.pre_dims, self.mode = self.layout

    def weighted(self):
        return "w" in self.used_symbols()

    def fields(self):
        fields = [f for f in super().fields()
                  if not (f[0] == "proj" and f[1] not in _KEPT)
                  and not (f[0] == "pattr" and (f[1] != "w" or not self.weighted()))]
        return fields + [("pshared", key, decl) for key, decl in _WINDOW_FIELDS]

    def has_updates(self):
        return False

    def _padded(self, names):
        """Names of the psp for a window element outside the population: every per-neuron
        pre-synaptic value is the padding."""
        padded = dict(names)
        for a in self.pre.desc.attributes:
            if a.locality != "global":
                padded[f"pre__{a.name}"] = "q.padding[0]"
        return padded

    def psp_source(self):
        m, n, mode = self.dims, self.pre_dims, self.mode
        names = self.names("local", 1, pre_rank="rank", post_rank="k")
        draws = self.code.random_draws["local"]
        printer = CPrinter(names)
        psp = printer.doprint(self.code.psp)
        sizes = [f"K{d}, S{d}, P{d}, F{d}" for d in range(m)]
        lines = [self._signature("psp"),
                 "    cdef long k, j, c, rank, base, start, " + ", ".join(
                     [f"o{d}, x{d}, r{d}" for d in range(m)]),
                 "    cdef long " + ", ".join(sizes), "    cdef bint inside",
                 "    cdef double acc, v"]
        if mode == "constant":
            lines.append("    cdef bint " + ", ".join(f"out{d}" for d in range(m)))
        lines += [f"    cdef real _r{d.symbol}" for d in draws]
        lines += ["    if not q.flags[0] or not post.enabled[0]:", "        return"]
        lines += ["    " + line for line in self._sources(1)]
        lines += [f"    K{d} = q.kshape[{d}]; S{d} = q.pstride[{d}]; P{d} = q.pshape[{d}]; "
                  f"F{d} = q.koffset[{d}]" for d in range(m)]
        fixed = " + ".join(f"q.centers[c + {d}] * q.pstride[{d}]" for d in range(m, n)) or "0"
        lines += ["    for k in range(q.n_rows):", f"        c = k * {n}",
                  f"        acc = {_ACC_START[self.operation]}", f"        base = {fixed}",
                  "        j = q.offsets[k]", "        start = base", "        inside = True"]
        for d in range(m):
            lines += [f"        x{d} = q.centers[c + {d}] - F{d}",
                      f"        if x{d} < 0 or x{d} + K{d} > P{d}:", "            inside = False",
                      f"        start += x{d} * S{d}"]
        draw = write_updates([], draws, printer, self.desc, {}, "q.rng") if draws else []
        fold = [_ACC_FOLD[self.operation], "j += 1"]
        # the whole window inside the population (most post neurons): no checks
        lines.append("        if inside:")
        pad = "            "
        for d in range(m):
            previous = f"r{d - 1}" if d else "start"
            lines += [f"{pad}for o{d} in range(K{d}):", f"{pad}    r{d} = {previous} + o{d} * S{d}"]
            pad += "    "
        lines += [pad + line for line in [f"rank = r{m - 1}"] + draw + [f"v = {psp}"] + fold]
        # near the border: each element checked
        lines.append("        else:")
        pad = "            "
        for d in range(m):
            lines += [f"{pad}for o{d} in range(K{d}):",
                      f"{pad}    x{d} = q.centers[c + {d}] + o{d} - F{d}"]
            if mode == "skip":
                lines += [f"{pad}    if x{d} < 0 or x{d} >= P{d}:", f"{pad}        continue"]
            elif mode == "border":
                lines += [f"{pad}    if x{d} < 0:", f"{pad}        x{d} = 0",
                          f"{pad}    elif x{d} >= P{d}:", f"{pad}        x{d} = P{d} - 1"]
            else:
                before = f"out{d - 1} or " if d else ""
                lines.append(f"{pad}    out{d} = {before}x{d} < 0 or x{d} >= P{d}")
            pad += "    "
        rank = "rank = base + " + " + ".join(f"x{d} * S{d}" for d in range(m))
        body = list(draw)
        if mode == "constant":
            padded = CPrinter(self._padded(names)).doprint(self.code.psp)
            body += [f"if out{m - 1}:", f"    v = {padded}", "else:", f"    {rank}",
                     f"    v = {psp}"]
        else:
            body += [rank, f"v = {psp}"]
        lines += [pad + line for line in body + fold]
        if self.operation == "mean":
            lines.append("        acc /= q.divisor[0]")
        fields = [f"t_{t}" for t in self.targets] + (["t_all"] if self.sum_all else [])
        lines += [f"        q.{field}[k] += acc" for field in fields]
        return "\n".join(lines) + "\n"

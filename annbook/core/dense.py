"""Storage formats: what ``storage_format`` means, and which projections run dense.

Python keeps the synapses of every projection in compressed rows, post to pre (see
``connectivity.py``): accessors, dendrites, files, monitors and copies read those arrays
whatever the format. The format decides two things:

* **semantics**, as in the reference: a dense storage (``storage_format="dense"``, the
  ``sparse_matrix_format`` of ``setup()``, or what ``"auto"`` chooses) gives every synapse
  its own weight (no single weight, see ``Projection._one_weight``);
* **the compiled layout**, chosen at ``compile()`` whatever the user wrote (it is part of
  the structure's key):

  - ``full``: the rows are the post neurons of a range of consecutive ranks and every row
    holds the same range of consecutive pre ranks (all-to-all between populations or
    slices). The per-synapse arrays in row order then *are* the post x pre matrix, row
    after row: the compiled loops read no index (the pre rank of synapse ``j`` of row ``k``
    follows from ``j``), and the weighted sum folds a row in blocks that vectorise;
  - ``padded``: a spiking projection whose only event adds ``w`` to ``g_target`` and whose
    weights never change, with synapses covering a rectangle of pre x post ranks nearly
    full (all-to-all without self-connections). Its spikes are propagated from a pre x
    post copy of the weights with zeros where no synapse exists (adding 0 changes no
    conductance), refreshed like any copy of static weights;
  - ``""``: the sparse loops (index arrays).

Rows of the post-to-pre arrays are summed by one thread each, so threads never change a
sum; a dense sum adds a row in another order than the sparse loop (blocks of 16), equal to
it within rounding.
"""

import numpy as np

from ..config import config
from ..errors import NetworkError

__all__ = ["FORMATS", "AUTO_DENSITY", "resolve_format", "sparse_chosen", "choose_layout",
           "dense_info",
           "transposed_weights"]

# the reference's names; every one but 'dense' is stored as compressed rows here
FORMATS = ("lil", "csr", "dense", "ell", "ellr", "sell", "coo", "hyb", "bsr", "dia",
           "csr_scalar", "csr_vector", "auto")
AUTO_DENSITY = 0.6          # the reference's threshold for 'auto', also that of 'padded'


def resolve_format(projection, pattern, storage_format, connector):
    """The storage format of a connected projection, as the reference decides it.

    ``None`` takes ``setup(sparse_matrix_format=...)`` ('default': 'lil'); 'auto' picks
    'dense' for all-to-all and for patterns of density >= 0.6, 'lil' for one-to-one and
    with structural plasticity, 'csr' otherwise.
    """
    fmt = storage_format
    if fmt is None:
        fmt = config["sparse_matrix_format"]
        fmt = "lil" if fmt in (None, "default") else fmt
    if fmt not in FORMATS:
        raise NetworkError(f"Projection '{projection.name}': unknown storage_format {fmt!r}; "
                           f"expected one of {list(FORMATS)}")
    if fmt == "dense" and connector == "one_to_one":
        raise NetworkError(f"Projection '{projection.name}': a dense storage is not allowed "
                           "for a one-to-one pattern (as in the reference); leave "
                           "storage_format out")
    if fmt == "auto":
        if config["structural_plasticity"] or connector == "one_to_one":
            fmt = "lil"
        elif connector == "all_to_all":
            fmt = "dense"
        else:
            cells = projection.pre.size * projection.post.size
            fmt = "dense" if cells and pattern.nb_synapses / cells >= AUTO_DENSITY else "csr"
    return fmt


def sparse_chosen(storage_format):
    """Whether the user asked for a sparse format (argument or ``setup()``)."""
    fmt = storage_format if storage_format is not None else config["sparse_matrix_format"]
    return fmt not in (None, "default", "auto", "dense")


def choose_layout(projection, structural_plasticity):
    """'full', 'padded' or '' for a connected projection about to be compiled."""
    c = projection._connectivity
    if projection.transmission_kind not in ("rate", "spike") or structural_plasticity \
            or c is None or c.nb_synapses == 0 or projection._sparse_chosen:
        return ""
    post0, rows, pre0, cols = _rectangle(c)
    full = rows == c.size and c.nb_synapses == rows * cols and np.array_equal(
        c.pre_ranks.reshape(rows, cols), np.broadcast_to(np.arange(pre0, pre0 + cols),
                                                         (rows, cols)))
    if full and (not projection.spiking or projection.uniform_delay):
        return "full"
    if projection.spiking and projection.uniform_delay and _adds_weight_only(projection):
        dense = projection._storage_format == "dense"
        if dense or c.nb_synapses >= AUTO_DENSITY * rows * cols:
            return "padded"
    return ""


def dense_info(projection):
    """[first post rank, rows, first pre rank, columns] of the dense layout (int64)."""
    return np.array(_rectangle(projection._connectivity), dtype=np.int64)


def transposed_weights(projection, out=None):
    """The weights pre x post (``columns x rows``), 0 where no synapse exists."""
    c = projection._connectivity
    post0, rows, pre0, cols = _rectangle(c)
    w = projection._state["w"]
    if out is None or out.size != rows * cols:
        out = np.zeros(rows * cols, dtype=w.dtype)
    else:
        out[:] = 0
    where = (c.pre_ranks.astype(np.int64) - pre0) * rows + (c.post_of_synapses() - post0)
    out[where] = w if w.size == c.nb_synapses else w[0]
    return out


def _rectangle(c):
    """(first post rank, rows, first pre rank, columns) of the ranks the synapses span."""
    post0 = int(c.post_ranks[0])
    rows = int(c.post_ranks[-1]) - post0 + 1
    pre0 = int(c.pre_ranks.min())
    cols = int(c.pre_ranks.max()) - pre0 + 1
    return post0, rows, pre0, cols


def _adds_weight_only(projection):
    """The synapse's only event is ``g_target += w`` and its weights never change."""
    description = projection._description
    statements = description.events.get("pre_spike", [])
    return (set(description.events) == {"pre_spike"} and not description.plastic
            and len(statements) == 1 and statements[0].target == "g_target"
            and statements[0].op == "+=" and statements[0].rhs.strip() == "w"
            and statements[0].min is None and statements[0].max is None
            and not statements[0].flags)

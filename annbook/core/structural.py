"""Structural plasticity: synapses created and pruned after compile(), without recompiling.

Enabled by ``setup(structural_plasticity=True)`` before ``compile()``. Synapses change in
two ways, as in the reference:

* from Python, through ``Dendrite.create_synapse(s)`` / ``prune_synapse(s)``;
* by the synapse's ``creating`` / ``pruning`` conditions, evaluated every ``period`` once
  ``Projection.start_creating()`` / ``start_pruning()`` was called. The compiled loop stops
  at such a step after the synaptic updates (``codegen/structural.py``), the conditions fill
  masks, the changes are applied here (creating first, then pruning sees the new synapses),
  and the step resumes at its recording, so monitors record the new connectivity.

The rows of a projection (the post neurons with a dendrite) are fixed at compile time, as in
the reference: creating only adds synapses to existing dendrites, and a dendrite whose
synapses were all pruned stays, empty. Every change goes through ``Projection._rewire``,
the one place that rebuilds what depends on the connectivity.
"""

import numpy as np

from ..config import config
from ..errors import NetworkError
from .arguments import number
from .constant import value_of

__all__ = ["Rewiring", "check_enabled", "start", "stop", "delay_steps", "add_synapses",
           "remove_synapses", "inserting", "keeping", "renewing", "apply_conditions",
           "remap_cursors"]

KINDS = ("creating", "pruning")            # in the order they are applied
# schedule entries: (on, period, offset) from the first index, then the evaluated flag (the
# layout codegen/structural.py compiles)
_SCHEDULE = {"pruning": (0, 6), "creating": (3, 7)}
LAST_EVENT_NONE = -10000                # step of the last event of a synapse that had none


class Rewiring:
    """Per projection: the schedule of its conditions and the masks they fill."""

    def __init__(self):
        # pruning on, period, offset, creating on, period, offset, pruning / creating evaluated
        self.schedule = np.zeros(8, dtype=np.int64)
        self.schedule[[1, 4]] = 1
        self.masks = {}

    def array(self, key, projection):
        """The schedule or a mask, sized for the projection's current connectivity."""
        if key == "schedule":
            return self.schedule
        c = projection._connectivity
        size = c.nb_synapses if key == "prune_mask" else c.size * projection.pre.population.size
        mask = self.masks.get(key)
        if mask is None or mask.size != max(1, size):
            mask = self.masks[key] = np.zeros(max(1, size), dtype=np.uint8)
        return mask


# ---------------------------------------------------------------------------
# checks, start and stop
# ---------------------------------------------------------------------------
def check_enabled(projection, what):
    """Structural plasticity must be on, and the network compiled with it."""
    network = projection._network
    network.check_usable(projection)
    if not config["structural_plasticity"]:
        raise NetworkError(f"{what}: structural plasticity is not enabled; call "
                           "setup(structural_plasticity=True) before compile()")
    if network.compiled and not network._structural_plasticity:
        raise NetworkError(f"{what}: the network was compiled without structural plasticity; "
                           "call setup(structural_plasticity=True) before compile()")
    projection._check_connected()


def start(projection, kind, period):
    """Evaluate the synapse's ``kind`` condition every ``period`` ms from the current step."""
    what = f"Projection '{projection.name}': start_{kind}()"
    check_enabled(projection, what)
    network = projection._network
    if not network.compiled:
        raise NetworkError(f"{what}: the network is not compiled; call compile() first")
    rule = projection._structural_rules().get(kind)
    if rule is None:
        raise NetworkError(f"{what}: the synapse '{projection.synapse_type.name}' does not "
                           f"define a '{kind}' condition; give it one, e.g. "
                           f"Synapse(..., {kind}='...')")
    dt = network.dt
    period = dt if not period else number(period, f"{what}: period")
    steps = int(period / dt + 1e-9)
    if steps < 1:
        raise NetworkError(f"{what}: the period ({period} ms) must be at least one step "
                           f"(dt = {dt} ms)")
    if kind == "creating":
        delay_steps(projection, rule.delay, what)          # refuse a delay that cannot be
    on, _ = _SCHEDULE[kind]
    projection._rewiring.schedule[on:on + 3] = (1, steps, network.current_step())


def stop(projection, kind):
    """Stop evaluating the ``kind`` condition."""
    what = f"Projection '{projection.name}': stop_{kind}()"
    check_enabled(projection, what)
    if not projection._network.compiled:
        raise NetworkError(f"{what}: the network is not compiled; call compile() first")
    if kind not in projection._structural_rules():
        raise NetworkError(f"{what}: the synapse '{projection.synapse_type.name}' does not "
                           f"define a '{kind}' condition")
    projection._rewiring.schedule[_SCHEDULE[kind][0]] = 0


def delay_steps(projection, delay, what, strict=True):
    """Delay in steps of new synapses given ``delay`` in ms (None or 0: the default).

    As in the reference: a projection with one delay gives it to every new synapse (another
    value is refused); with per-synapse delays, ``delay`` is truncated to steps, 0 by
    default, and may not exceed the longest delay of the projection. Not ``strict`` (in the
    middle of a step, when delays changed since ``start_creating()``), the delay is made to
    fit instead.
    """
    delay = 0.0 if delay is None else number(value_of(delay), f"{what}: the delay")
    dt = projection._network.dt
    if delay < 0:
        raise NetworkError(f"{what}: the delay must not be negative, got {delay} ms")
    steps = int(delay / dt + 1e-9)
    if projection.uniform_delay:
        if strict and delay and steps != projection._delay[0]:
            raise NetworkError(f"{what}: the synapses of '{projection.name}' share one delay "
                               f"({projection._delay[0] * dt:g} ms); a new synapse cannot have "
                               f"{delay:g} ms")
        return int(projection._delay[0])
    if steps > projection.max_delay and not strict:
        return projection.max_delay
    if steps > projection.max_delay:
        raise NetworkError(f"{what}: a delay of {delay:g} ms is longer than the longest delay "
                           f"of '{projection.name}' ({projection.max_delay * dt:g} ms)")
    return steps


# ---------------------------------------------------------------------------
# changes of the connectivity
# ---------------------------------------------------------------------------
def add_synapses(projection, rows, pre_ranks, weights, delays):
    """Create the synapses (rows[i], pre_ranks[i]) that do not exist, in any order.

    ``weights`` and ``delays`` (steps) are numbers or one value per synapse; the other
    per-synapse attributes take the values new synapses get (``Projection._new_values``).
    """
    c = projection._connectivity
    rows = np.asarray(rows, dtype=np.int64).reshape(-1)
    pre_ranks = np.asarray(pre_ranks, dtype=np.int64).reshape(-1)
    if rows.size == 0:
        return
    order = np.lexsort((pre_ranks, rows))
    rows, pre_ranks = rows[order], pre_ranks[order]
    given = {"w": _ordered(weights, order), "delay": _ordered(delays, order)}
    positions = _positions_in_rows(c, rows, pre_ranks)
    added = np.bincount(rows, minlength=c.size)
    row_ptr = c.row_ptr + np.concatenate(([0], np.cumsum(added)))
    projection._rewire(row_ptr, np.insert(c.pre_ranks, positions, pre_ranks),
                       inserting(projection, positions, given))


def _positions_in_rows(c, rows, pre_ranks):
    """Where synapses from ``pre_ranks`` go in their ``rows`` (sorted pre ranks): one
    bisection of every row at once, without touching the rest of the synapses."""
    low, high = c.row_ptr[rows], c.row_ptr[rows + 1]
    active = low < high
    while np.any(active):
        middle = (low + high) // 2
        below = c.pre_ranks[np.where(active, middle, 0)] < pre_ranks
        low = np.where(active & below, middle + 1, low)
        high = np.where(active & ~below, middle, high)
        active = low < high
    return low


def remove_synapses(projection, indices):
    """Remove the synapses at ``indices`` of the post-to-pre arrays."""
    c = projection._connectivity
    indices = np.asarray(indices, dtype=np.int64).reshape(-1)
    if indices.size == 0:
        return
    keep = np.ones(c.nb_synapses, dtype=bool)
    keep[indices] = False
    removed = np.bincount(np.searchsorted(c.row_ptr, indices, side="right") - 1,
                          minlength=c.size)
    row_ptr = c.row_ptr - np.concatenate(([0], np.cumsum(removed)))
    projection._rewire(row_ptr, c.pre_ranks[keep], keeping(keep))


# the edits of Projection._rewire: (array, name) -> the array of the new connectivity
def inserting(projection, positions, given):
    """New synapses at ``positions``, holding ``given`` values or the defaults."""
    return lambda array, name: np.insert(array, positions, projection._fill(name, given))


def keeping(keep):
    """The synapses where ``keep`` is true."""
    return lambda array, name: array[keep]


def renewing(projection, size):
    """``size`` new synapses (their values are assigned afterwards)."""
    return lambda array, name: np.full(size, projection._fill(name, {}), dtype=array.dtype)


def _ordered(values, order):
    values = np.asarray(values)
    return values if values.ndim == 0 else values.reshape(-1)[order]


def apply_conditions(network):
    """At a step where the loop stopped for structural plasticity: create, then prune."""
    module = network._module
    for phase, kind in enumerate(KINDS):
        if network._rebind_needed:
            network.rebind()
        module.structural(phase, network._addresses.ctypes.data, network._clock.ctypes.data,
                          network.dt)
        for projection in network.projections:
            if kind not in projection._structural_rules():
                continue
            rewiring = projection._rewiring
            if not rewiring.schedule[_SCHEDULE[kind][1]]:
                continue
            if kind == "creating":
                _create(projection)
            else:
                remove_synapses(projection, set_bytes(
                    rewiring.masks["prune_mask"][:projection.nb_synapses]))


def set_bytes(mask):
    """Indices of the non-zero bytes of a uint8 mask, read eight at a time (few are set)."""
    whole = mask.size - mask.size % 8
    words = np.flatnonzero(mask[:whole].view(np.uint64))
    candidates = (words[:, None] * 8 + np.arange(8)).reshape(-1)
    tail = whole + np.flatnonzero(mask[whole:])
    return np.concatenate((candidates[mask[candidates] != 0], tail))


def _create(projection):
    """Create the pairs the creating condition chose, from the pre neurons of the projection
    (the reference also tries the rest of a pre population when the projection starts at a
    view)."""
    pre = projection.pre
    n_pre = pre.population.size
    c = projection._connectivity
    chosen = set_bytes(projection._rewiring.masks["create_mask"][:c.size * n_pre])
    rows, pre_ranks = np.divmod(chosen, n_pre)
    if pre.population is not pre:
        inside = np.zeros(n_pre, dtype=bool)
        inside[np.asarray(pre.ranks).reshape(-1)] = True
        rows, pre_ranks = rows[inside[pre_ranks]], pre_ranks[inside[pre_ranks]]
    rule = projection._structural_rules()["creating"]
    what = f"Projection '{projection.name}': creating"
    add_synapses(projection, rows, pre_ranks, float(value_of(rule.weight)),
                 delay_steps(projection, rule.delay, what, strict=False))


# ---------------------------------------------------------------------------
# spikes in flight
# ---------------------------------------------------------------------------
def remap_cursors(projection, last_step):
    """Per-synapse delays of a spiking projection: after a change, each spike in flight
    points again to the first synapse of its neuron that it has not reached yet (delay
    longer than its age at ``last_step``, the last step whose spikes were delivered)."""
    pre = projection.pre.population
    depth = int(pre._spike_depth[0])
    cursor = projection._cursor
    if cursor is None or depth < 2 or "spike_ring" not in pre._buffers:
        return
    index = projection._spike_index()
    pre_ptr, delays = index["pre_ptr"], index["pre_delay"].astype(np.int64)
    top = int(delays.max()) + 2 if delays.size else 2
    owners = np.repeat(np.arange(pre.size, dtype=np.int64), np.diff(pre_ptr))
    keys = owners * top + delays                      # sorted: by pre neuron, then delay
    ring = pre._buffers["spike_ring"][""].reshape(depth, pre.size)
    counts = pre._buffers["spike_count"][""]
    for age in range(depth - 1):
        slot = (last_step - age) % depth
        ranks = ring[slot, :counts[slot]]
        cursor[slot * pre.size:slot * pre.size + ranks.size] = \
            np.searchsorted(keys, ranks * top + min(age, top - 1), side="right")

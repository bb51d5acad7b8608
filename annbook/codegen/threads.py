"""The step loop of a module run by several threads (``setup(num_threads=N)``, N > 1).

All threads run the whole loop (one OpenMP parallel region per segment of the run) in
lockstep. Each population is cut into 8 N blocks of consecutive ranks, N the number of
threads of ``setup()`` (``ab_bound``, boundaries on multiples of 16 neurons: whole cache
lines of float and double arrays, whole vector registers); thread t takes the blocks
``R.shares.cut[t]`` to ``cut[t + 1]``, a cut that thread 0 moves between steps when a
thread waits more than the others (``ab_rebalance``): it updates their neurons (in one
call, or block by block when the updates draw random numbers), computes the weighted sums
of their dendrites (rows are in post rank order) and delivers the spikes that reach them
(the pre-to-post index is sorted by post rank). Every addition into a neuron's input therefore happens in one block, in the
order of the single-threaded loop: deterministic networks give the same numbers, spike for
spike, whatever the number of threads. Random draws come from one generator per block and
population (or projection): a run is reproducible for a given seed and N, however many
threads execute the blocks. ``run()`` uses this to choose, segment by segment, between all
the threads and one (``tuned_threads`` in ``run_threads.pyx``): when other processes take
the cores, one thread is faster than threads that wait for each other.

Barriers separate what threads share: thread 0 alone runs population-wide updates, the
projections whose work cannot be shared (shared-weight and transposed projections,
decoding and accumulating ones, events writing projection-wide variables), the global
operations, the gathering of the threads' spikes into one list, the recording, the clock
and the decision to go on. A step of spiking neurons whose spike delivery reads nothing
another thread writes (``transmission_closed``) needs two barriers: after the neuron
updates and at its end. When nothing else needs thread 0 between steps (no learning,
population-wide or global values, structural changes, axonal spikes), the module also has
``worker_fast``, whose steps meet once: each block lists its spikes in the half of its
population's ``blocks`` for the step's parity, the next step delivers them from there, and
thread 0 gathers, rings and records them after the barrier while the others go on. run()
takes it when nothing records inputs or values and no stop condition is set.
"""

import re

from .common import indent
from .structural import STRUCTURAL_RESUME, STRUCTURAL_STOP

__all__ = ["threaded_run"]

_BARRIER = ("barrier",)


def threaded_run(template, fast_template, neurons, populations, writers, structural,
                 stop_check, declare, bind, zero_sums, ring_stores, spike_ring_stores):
    """The workers and ``run()`` of a threaded module, from ``template`` (and
    ``fast_template``, the worker of one barrier per step, when the network allows it).

    ``zero_sums``, ``ring_stores`` and ``spike_ring_stores`` make the generator's lines
    for a range of post neurons (``lo<p>``, ``hi<p>``) or for all of them.
    """
    spiking = [p for p, model in enumerate(populations) if neurons[model].spiking]
    transmission = [("all", zero_sums(True))] if zero_sums(True) else []
    for w in writers:
        for call in w.transmission_calls():
            transmission += [("all", [call])] if w.ranged else \
                [_BARRIER, ("master", [call]), _BARRIER]
    items = list(transmission)
    closed = all(w.ranged and w.transmission_closed() for w in writers)
    record = ["if tid == 0:", "    ab_record(rec, n_recorders, step, 1)", "ab_barrier(&R.team)"]
    if closed:      # nothing to wait for before the updates, unless the inputs are recorded
        items.append(("raw", ["if R.stage1:", "    ab_barrier(&R.team)"] + ["    " + line
                                                                      for line in record]))
    else:
        items += [_BARRIER, ("raw", ["if R.stage1:"] + ["    " + line for line in record])]
    population_wide = [f"update_global_{model}(&pop{p}, t, dt, step, consts)"
                       for p, model in enumerate(populations) if neurons[model].has_global_step()]
    if population_wide:
        items += [_BARRIER, ("master", population_wide), _BARRIER]
    updates = []
    for p, model in enumerate(populations):
        rng = f"rng_pop{p}" if neurons[model].draws() else "NULL"
        updates.append(("all", [f"update_local_{model}(&pop{p}, t, dt, step, consts, lo{p}, "
                                f"hi{p}, {rng})"]))
    stores = ring_stores(True)
    if stores:
        updates.append(("all", stores))
    items += updates + [_BARRIER]
    gathered = [f"update_finish_{populations[p]}(&pop{p}, step)" for p in spiking]
    master = gathered + spike_ring_stores() + ring_stores(False)
    master += [f"global_ops_{model}(&pop{p})" for p, model in enumerate(populations)
               if neurons[model].code.global_operations]
    master += [f"global_ops_proj_{w.index}(&proj{w.index}, &pop{w.pre_index}, "
               f"&pop{w.post_index})" for w in writers if w.code.global_operations]
    if master:
        items.append(("master", master))
    synaptic = _synaptic_items(writers)
    items += synaptic
    body = _MY_BLOCKS + _lines(items)
    lone = (closed and not population_wide and not synaptic and not structural
            and master == gathered + spike_ring_stores()
            and all(w.uniform for w in writers if getattr(w, "spiking", False))
            and all(neurons[model].code.axon_spike is None for model in populations))
    declarations = ["    cdef int tid = ab_thread()", "    cdef int nt = ab_threads()",
                    "    cdef int nb = R.blocks", "    cdef long mine0, mine1, blk0, blk1"]
    declarations += [f"    cdef {line[5:]} = R.{line.split()[-1]}" for line in declare]
    for p, model in enumerate(populations):
        declarations += [f"    cdef long lo{p}, hi{p}", f"    cdef bitgen_t* rng_pop{p}"]
    declarations += [f"    cdef bitgen_t* rng_proj{w.index}" for w in writers if w.ranged]
    fast = _one_barrier_worker(fast_template, declarations, transmission + updates,
                               master) if lone else ""
    rates = [f"R.pop{p}.fr_info[3] == 0" for p, model in enumerate(populations)
             if "fr_info" in {key for _, key, _ in neurons[model].fields()}]
    due = " or ".join(w.structural.due(f"proj{w.index}") for w in structural)
    end = _end_of_step(stop_check, due)
    return template.substitute(
        run_fields="\n".join("    " + line[5:] for line in declare),
        prologue=_PROLOGUE, declare="\n".join(declarations), body=indent(body or ["pass"], 3),
        fast_worker=fast,
        fast_ok=" and ".join(["1" if fast else "0"] + rates), one_barrier=bool(fast),
        worker="worker_fast if R.fast else worker" if fast else "worker",
        end=indent(end, 2), bind=indent(["R." + line for line in bind], 1),
        resume=(f"R.resume = clock[1] == {STRUCTURAL_RESUME}\n    if R.resume:\n"
                "        clock[1] = 0" if structural else "R.resume = 0"))


def _one_barrier_worker(template, declarations, items, master):
    """``worker_fast``: the steps of a network whose steps need one barrier (``run()`` uses
    it when nothing records inputs or values and no stop condition is set): ``items`` on
    every thread, the barrier, then ``master`` on thread 0.

    A spike delivery reads the spikes of the previous step from the blocks of their neurons
    (``psp`` of spiking.py), never the ring that thread 0 fills after the barrier; before
    it, thread 0 decides whether the next step runs (the number of steps, the stop flag, the
    time of the segment, and room for two more steps in every spike recorder).
    """
    after = ["if ab_record(rec, n_recorders, step, 2) or not room:",
             "    clock[1] = 3                      # Python empties the spike buffers",
             "clock[0] += 1"]
    return template.substitute(prologue=_PROLOGUE, declare="\n".join(declarations),
                               body=indent(_MY_BLOCKS + _lines(items), 2),
                               master=indent(master + after, 3))


# the locals of both workers
_PROLOGUE = """    cdef Run* R = <Run*> context
    cdef ab_recorder* rec = R.rec
    cdef long n_recorders = R.n_recorders
    cdef int64_t* clock = R.clock
    cdef const double* consts = R.consts
    cdef double dt = R.dt
    cdef int64_t step = R.step0
    cdef double t
    cdef double started = ab_now()
    cdef int parity = 0
    cdef int go = 0
    cdef long i, slot"""


def _synaptic_items(writers):
    """Synaptic equations and post-synaptic events, each thread on the rows of its post
    neurons (thread 0 first runs projection-wide equations, or the projections it runs
    alone)."""
    items = []
    for w in writers:
        if not w.has_updates():
            continue
        if not w.ranged:
            items += [_BARRIER, ("master", [w.call("update_syn")]), _BARRIER]
            continue
        if w.has_global_updates():
            items += [("master", [w.call("update_syn_global", ranged=False)]), _BARRIER]
        items.append(("all", [w.call("update_syn")]))
    events = [w for w in writers if getattr(w, "spiking", False) and w.has_post_events()]
    if any(u.target.startswith("post.") for w in events for u in w.code.events["post_spike"]):
        items.append(_BARRIER)         # the synaptic equations may read those post values
    for w in events:
        items += [("all", [w.call("post_events")])] if w.ranged else \
            [_BARRIER, ("master", [w.call("post_events")]), _BARRIER]
    return [_BARRIER] + items + [_BARRIER] if items else []


def _lines(items):
    """Cython lines of the step's items: consecutive barriers merged, consecutive blocks of
    thread 0 joined, no barrier first (the previous step ended with one); the items of all
    threads loop over the thread's blocks (``_blocks``)."""
    merged = []
    for item in items:
        if item == _BARRIER and (not merged or merged[-1] == _BARRIER):
            continue
        if item[0] == "master" and merged and merged[-1][0] == "master":
            merged[-1] = ("master", merged[-1][1] + item[1])
            continue
        merged.append(item)
    lines = []
    for item in merged:
        if item == _BARRIER:
            lines.append("ab_barrier(&R.team)")
        elif item[0] == "master":
            lines += ["if tid == 0:"] + ["    " + line for line in item[1]]
        elif item[0] == "all":
            lines += _blocks(item[1])
        else:
            lines += item[1]
    return lines


# the calling thread's blocks in this step (thread 0 may move the cut between steps)
_MY_BLOCKS = ["mine0 = R.shares.cut[tid]", "mine1 = R.shares.cut[tid + 1]"]


def _blocks(lines):
    """``lines`` on the blocks ``blk0 <= b < blk1`` of the calling thread (ranks ``lo<p>`` to
    ``hi<p>``): once for all of them, or block by block when they draw random numbers
    (``rng_pop<p>``, ``rng_proj<k>``: each block's own generators, so that the draws do not
    depend on which thread takes which blocks)."""
    text = "\n".join(lines)
    ranks = []
    for p in sorted({int(m) for m in re.findall(r"\b(?:lo|hi|rng_pop)(\d+)\b", text)}):
        ranks += [f"lo{p} = ab_bound(pop{p}.n, blk0, nb)", f"hi{p} = ab_bound(pop{p}.n, blk1, nb)"]
    rngs = [f"rng_pop{p} = pop{p}.rngs[blk0]"
            for p in sorted({int(m) for m in re.findall(r"\brng_pop(\d+)\b", text)})]
    rngs += [f"rng_proj{k} = proj{k}.rngs[blk0]"
             for k in sorted({int(m) for m in re.findall(r"\brng_proj(\d+)\b", text)})]
    if not rngs:
        return ["blk0 = mine0", "blk1 = mine1"] + ranks + lines
    return ["blk0 = mine0", "while blk0 < mine1:", "    blk1 = blk0 + 1"] + \
        ["    " + line for line in ranks + rngs + lines] + ["    blk0 += 1"]


def _end_of_step(stop_check, due):
    """Thread 0 after a step: recording, clock, stop conditions, the decision to go on."""
    lines = ["if tid == 0:"]
    finish = ["if ab_record(rec, n_recorders, step, 2):",
              "    clock[1] = 3                      # a spike buffer is full: Python empties it",
              "clock[0] += 1", "R.done += 1", "ab_rebalance(R.shares, nt, R.done)",
              "go = R.done < R.steps",
              "if stop_mode != 0:", "    met = stop_mode == 1"]
    finish += ["    " + line for line in stop_check]
    finish += ["    if met:", "        clock[1] = 2", "        go = 0",
               "if clock[1] != 0:", "    go = 0",
               "if (R.done & 7) == 0 and ab_now() - started > R.segment_seconds:", "    go = 0"]
    if due:         # structural plasticity: stop before the recording of a due step
        lines += [f"    if not resuming and ({due}):", f"        clock[1] = {STRUCTURAL_STOP}",
                  "        go = 0",
                  "    else:"] + ["        " + line for line in finish]
    else:
        lines += ["    " + line for line in finish]
    return lines + ["    R.go[parity] = go"]

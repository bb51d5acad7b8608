cdef void worker_fast(void* context) noexcept nogil:
    """One thread's share of the steps of a run, one barrier per step (threads.py)."""
$prologue
    cdef bint room = 1
$declare
    while True:
        t = step * dt
$body
        if tid == 0:
            R.done += 1
            ab_rebalance(R.shares, nt, R.done)
            room = ab_spike_room(rec, n_recorders, 2)
            go = R.done < R.steps and clock[1] == 0 and room
            if (R.done & 7) == 0 and ab_now() - started > R.segment_seconds:
                go = 0
            R.go[parity] = go
        ab_barrier(&R.team)
        if tid == 0:
$master
        if not R.go[parity]:
            break
        parity = 1 - parity
        step += 1

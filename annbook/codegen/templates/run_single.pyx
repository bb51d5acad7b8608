def run(long steps, uintptr_t addrs_addr, uintptr_t recorders, long n_recorders, uintptr_t clock_addr,
        double dt, double poll_seconds, uintptr_t stop_select, int stop_mode):
    """Advance `steps` steps; returns how many were done.

    Stops early, between two steps, on the stop flag (clock[1]), on Ctrl-C, or
    when the selected stop conditions hold (stop_mode 1: all of them, 2: any).
    """
    cdef const unsigned char* select = <const unsigned char*> stop_select
    cdef bint met
    cdef int64_t* clock = <int64_t*> clock_addr       # [current step, stop flag]
    cdef ab_recorder* rec = <ab_recorder*> recorders
    cdef const uintptr_t* addrs = <const uintptr_t*> addrs_addr    # in the order of SLOTS
    cdef const double* consts = <const double*> addrs[0]
    cdef long done = 0
    cdef double t, started
    cdef int64_t step
    cdef long i, slot
$declare
$bind
    while done < steps:
        with nogil:
            started = ab_now()
            while done < steps:
$body
                if ab_record(rec, n_recorders, clock[0], 2):
                    clock[1] = 3                      # a spike buffer is full: Python empties it
                clock[0] += 1
                done += 1
                if stop_mode != 0:
                    met = stop_mode == 1
$stop_check
                    if met:
                        clock[1] = 2
                        break
                if clock[1] != 0:
                    break
                if (done & 7) == 0 and ab_now() - started > poll_seconds:
                    break
        if clock[1] != 0:
            break
        PyErr_CheckSignals()
    return done

cdef extern from "annbook_rt.h" nogil:
    ctypedef struct ab_team:
        pass
    void ab_parallel(void (*)(void*) noexcept nogil, void*, int, ab_team*)
    void ab_barrier(ab_team*)
    int ab_thread()
    int ab_threads()
    void ab_range(long, int, int, long*, long*)
    int64_t ab_gather(int64_t*, const int64_t*, long, int)
    int ab_has_stage(const ab_recorder*, int64_t, int64_t)

THREADED = True


cdef struct Run:
$run_fields
    ab_recorder* rec
    long n_recorders
    int64_t* clock
    const double* consts
    double dt
    double poll_seconds
    const unsigned char* select
    int stop_mode
    long steps
    long done
    int64_t step0
    int resume
    int stage1
    int64_t* scratch
    int go[2]
    ab_team team


cdef void worker(void* context) noexcept nogil:
    """One thread's share of the steps of a run (all threads in lockstep)."""
    cdef Run* R = <Run*> context
    cdef ab_recorder* rec = R.rec
    cdef long n_recorders = R.n_recorders
    cdef int64_t* clock = R.clock
    cdef const double* consts = R.consts
    cdef double dt = R.dt
    cdef const unsigned char* select = R.select
    cdef int stop_mode = R.stop_mode
    cdef int64_t step = R.step0
    cdef double t
    cdef double started = ab_now()
    cdef bint met
    cdef bint resuming = R.resume
    cdef int parity = 0
    cdef int go = 0
    cdef long i, slot
$declare
    while True:
        t = step * dt
        if not resuming:
$body
$end
        resuming = 0
        ab_barrier(&R.team)
        if not R.go[parity]:
            break
        parity = 1 - parity
        step += 1


def run(long steps, uintptr_t addrs_addr, uintptr_t recorders, long n_recorders, uintptr_t clock_addr,
        double dt, double poll_seconds, uintptr_t stop_select, int stop_mode, int n_threads=1,
        uintptr_t scratch=0):
    """Advance `steps` steps on `n_threads` threads; returns how many were done.

    Stops early, between two steps, on the stop flag (clock[1]), on Ctrl-C, or
    when the selected stop conditions hold (stop_mode 1: all of them, 2: any).
    `scratch` holds two int64 per thread and spiking population.
    """
    cdef Run R
    cdef int64_t* clock = <int64_t*> clock_addr       # [current step, stop flag]
    cdef const uintptr_t* addrs = <const uintptr_t*> addrs_addr    # in the order of SLOTS
$bind
    R.rec = <ab_recorder*> recorders
    R.n_recorders = n_recorders
    R.clock = clock
    R.consts = <const double*> addrs[0]
    R.dt = dt
    R.poll_seconds = poll_seconds
    R.select = <const unsigned char*> stop_select
    R.stop_mode = stop_mode
    R.steps = steps
    R.done = 0
    R.scratch = <int64_t*> scratch
    R.stage1 = ab_has_stage(R.rec, n_recorders, 1)
    $resume
    while R.done < steps:
        R.step0 = clock[0]
        with nogil:
            ab_parallel(<void (*)(void*) noexcept nogil> worker, &R, n_threads, &R.team)
        R.resume = 0
        if clock[1] != 0:
            break
        PyErr_CheckSignals()
    return R.done

cdef extern from "annbook_rt.h" nogil:
    ctypedef struct ab_team:
        pass
    ctypedef struct ab_shares:
        long cut[1]
        double share[1]
        int threads
        int blocks
        int hold
    int AB_MAX_THREADS
    void ab_parallel(void (*)(void*) noexcept nogil, void*, int, ab_team*, ab_shares*, int)
    void ab_rebalance(ab_shares*, int, long)
    void ab_barrier(ab_team*)
    int ab_thread()
    int ab_threads()
    long ab_bound(long, long, long)
    int64_t ab_next_spike(const int64_t*, int64_t, int64_t*)
    int64_t ab_gather_blocks(int64_t*, const int64_t*, int64_t)
    int ab_has_stage(const ab_recorder*, int64_t, int64_t)
    int ab_spike_room(const ab_recorder*, int64_t, int64_t)
    int ab_spikes_only(const ab_recorder*, int64_t, int64_t)

THREADED = True
ONE_BARRIER = $one_barrier          # steps of one barrier when run() allows them


cdef struct Run:
$run_fields
    ab_recorder* rec
    long n_recorders
    int64_t* clock
    const double* consts
    double dt
    double segment_seconds
    const unsigned char* select
    int stop_mode
    long steps
    long done
    int64_t step0
    int resume
    int stage1
    int fast
    int blocks
    ab_shares* shares
    int go[2]
    ab_team team


cdef void worker(void* context) noexcept nogil:
    """One thread's share of the steps of a run (all threads in lockstep)."""
$prologue
    cdef const unsigned char* select = R.select
    cdef int stop_mode = R.stop_mode
    cdef bint met
    cdef bint resuming = R.resume
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
$fast_worker

cdef int tuned_threads(double* tuning, int n_threads, bint* trying) noexcept nogil:
    """Threads for the next segment: all of them or one, whichever ran faster (tuning:
    [seconds per step on one thread, on all; 0 = not measured yet, -1 = the first segment
    on all ran; segments before the other choice is tried again, between two tries]).
    `trying` tells when the segment measures the choice that is not the best (yet)."""
    trying[0] = 0
    if n_threads <= 1 or tuning == NULL:
        return n_threads
    if tuning[1] <= 0:
        return n_threads
    trying[0] = 1
    if tuning[0] <= 0:
        return 1
    cdef int best = n_threads if tuning[1] <= tuning[0] else 1
    tuning[2] -= 1
    if tuning[2] <= 0:
        return 1 if best == n_threads else n_threads
    trying[0] = 0
    return best


cdef void measured(double* tuning, int used, int n_threads, long steps,
                   double seconds) noexcept nogil:
    """A segment of `steps` steps on `used` threads took `seconds`. The cost kept is the
    segment's or 1.25 times the one kept before, whichever is lower: a slow segment (an
    interrupt, the other core waking up for a short try) barely moves it, a machine that
    stays busy raises it to its new cost within a few segments. (An average of the last
    segments chose one thread in some runs of COBA where two were 1.3x faster.) After a try
    of the other choice, the next try comes 16 segments later if it won, else twice as late
    as the last (at most 1024 segments: 20 s)."""
    if tuning == NULL or n_threads <= 1 or steps < 4 or seconds <= 0:
        return
    cdef int k = 1 if used > 1 else 0
    cdef double cost = seconds / steps
    if k == 1 and tuning[1] == 0:       # the first segment starts the threads: not counted
        tuning[1] = -1
        return
    tuning[k] = cost if tuning[k] <= 0 else min(cost, 1.25 * tuning[k])
    if tuning[2] > 0 or tuning[0] <= 0 or tuning[1] <= 0:
        return
    cdef bint won = (tuning[1] <= tuning[0]) == (used > 1)
    tuning[3] = 16 if won or tuning[3] <= 0 else min(1024, 2 * tuning[3])
    tuning[2] = tuning[3]


cdef ab_shares _shares
# the network keeps the threads' shares of blocks (core/block_shares.py): the struct's size,
# the most threads, and where share, hold, cut, threads and blocks are, in bytes
SHARES_LAYOUT = (sizeof(ab_shares), AB_MAX_THREADS,
                 <char*> &_shares.share[0] - <char*> &_shares, <char*> &_shares.hold - <char*> &_shares,
                 <char*> &_shares.cut[0] - <char*> &_shares, <char*> &_shares.threads - <char*> &_shares,
                 <char*> &_shares.blocks - <char*> &_shares)


def block_range(long n, int block, int blocks):
    """The ranks [lo, hi) of a block of a population of n neurons cut into `blocks`
    (``ab_bound``), for the tests that compare it with Python's cut of the spike index."""
    return ab_bound(n, block, blocks), ab_bound(n, block + 1, blocks)


def run(long steps, uintptr_t addrs_addr, uintptr_t recorders, long n_recorders, uintptr_t clock_addr,
        double dt, double poll_seconds, uintptr_t stop_select, int stop_mode, int n_threads=1,
        uintptr_t shares_addr=0, int n_blocks=1, uintptr_t tuning_addr=0):
    """Advance `steps` steps on up to `n_threads` threads; returns how many were done.

    Stops early, between two steps, on the stop flag (clock[1]), on Ctrl-C, or
    when the selected stop conditions hold (stop_mode 1: all of them, 2: any).
    Populations are cut into `n_blocks` blocks, which the threads share as `shares` (an
    ab_shares kept by the network between runs) says; `tuning` (4 doubles, also kept)
    chooses between the threads and one thread, segment by segment.
    """
    cdef Run R
    cdef int64_t* clock = <int64_t*> clock_addr       # [current step, stop flag]
    cdef const uintptr_t* addrs = <const uintptr_t*> addrs_addr    # in the order of SLOTS
    cdef double* tuning = <double*> tuning_addr
    cdef double polled, begun
    cdef long before
    cdef int used
$bind
    R.rec = <ab_recorder*> recorders
    R.n_recorders = n_recorders
    R.clock = clock
    R.consts = <const double*> addrs[0]
    R.dt = dt
    cdef double segment = poll_seconds if poll_seconds < 0.02 else 0.02
    cdef bint trying
    R.select = <const unsigned char*> stop_select
    R.stop_mode = stop_mode
    R.steps = steps
    R.done = 0
    if n_threads > AB_MAX_THREADS:
        n_threads = AB_MAX_THREADS
    R.blocks = n_blocks if n_blocks >= n_threads else n_threads
    R.shares = <ab_shares*> shares_addr
    R.stage1 = ab_has_stage(R.rec, n_recorders, 1)
    R.fast = $fast_ok and not R.stage1 and stop_mode == 0 and ab_spikes_only(R.rec, n_recorders, 2)
    $resume
    while R.done < steps:
        with nogil:
            polled = ab_now()
            while R.done < steps:
                used = tuned_threads(tuning, n_threads, &trying)
                # a try measures a few hundred steps: long tries cost when the other won
                R.segment_seconds = segment / 5 if trying else segment
                R.step0 = clock[0]
                before = R.done
                begun = ab_now()
                ab_parallel(<void (*)(void*) noexcept nogil> ($worker), &R, used, &R.team,
                            R.shares, R.blocks)
                measured(tuning, used, n_threads, R.done - before, ab_now() - begun)
                R.resume = 0
                if clock[1] != 0 or ab_now() - polled >= poll_seconds:
                    break
        if clock[1] != 0:
            break
        PyErr_CheckSignals()
    return R.done

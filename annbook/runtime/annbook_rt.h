/* annbook's fixed run-time machinery, included by every generated module.
 *
 * Small helpers only: the built-in functions of the equation language, random draws on
 * numpy's bit generators, the monitor recorder, a clock, and for threaded modules the
 * barrier and the threads' shares of the blocks.
 */
#ifndef ANNBOOK_RT_H
#define ANNBOOK_RT_H

#include <math.h>
#include <stdint.h>
#include <time.h>
#include "numpy/random/distributions.h"

/* Helpers called a few times a step from several places of a module (the barrier, the
 * recorder, the rebalancing of the threads' shares) are compiled once, not at each call:
 * inlined copies made gcc take 0.17 s longer on a threaded COBA module, for no speed. */
#define AB_OUTLINE static __attribute__((noinline))

/* ---- precision ---------------------------------------------------------
 * A module of a float network (setup(precision="float")) defines AB_SINGLE: its numbers are
 * float and <tgmath.h> makes exp, pow, sqrt... of float arguments compute in float (expf,
 * powf, ...), as the reference's C++ overloads do. */
#ifdef AB_SINGLE
#include <tgmath.h>
typedef float ab_real;
#else
typedef double ab_real;
#endif

/* ---- built-in functions of the equation language ---------------------- */
static inline ab_real ab_pos(ab_real x) { return x > 0 ? x : 0; }
static inline ab_real ab_neg(ab_real x) { return x < 0 ? x : 0; }
static inline ab_real ab_clip(ab_real x, ab_real a, ab_real b) { return x < a ? a : (x > b ? b : x); }
/* C remainder of the operands truncated to integers (sign of a), as the reference's modulo. */
static inline ab_real ab_modulo(ab_real a, ab_real b) {
    long ia = (long)a, ib = (long)b;
    return ib == 0 ? 0 : (ab_real)(ia % ib);
}
static inline ab_real ab_power(ab_real x, ab_real n) {
    long k = (long)n;
    if ((ab_real)k != n) return pow(x, n);
    ab_real result = 1, base = x;
    long e = k < 0 ? -k : k;
    while (e) { if (e & 1) result *= base; base *= base; e >>= 1; }
    return k < 0 ? 1 / result : result;
}

/* ---- random draws --------------------------------------------------------- */
/* numpy's random library is compiled for SSE alone. Entered with the upper halves of the
 * AVX registers dirty (vectorised code before the draw, when gcc does not clear them
 * itself), its instructions ran 6-12 times slower on the development guest's AMD EPYC: the
 * single-threaded Izhikevich step took 6 times as long, after an unrelated change of what
 * gcc inlined. Clearing them before each draw costs about a cycle. */
static inline void ab_before_draw(void) {
#ifdef __AVX__
    __builtin_ia32_vzeroupper();
#endif
}
static inline double ab_uniform(bitgen_t *g, double a, double b) {
    ab_before_draw();
    return a + (b - a) * random_standard_uniform(g);
}
static inline double ab_discrete_uniform(bitgen_t *g, double a, double b) {
    long lo = (long)ceil(a), hi = (long)floor(b);
    if (hi <= lo) return (double)lo;
    ab_before_draw();
    return (double)(lo + (long)random_interval(g, (uint64_t)(hi - lo)));
}
static inline double ab_normal(bitgen_t *g, double mu, double sigma) {
    ab_before_draw();
    return mu + sigma * random_standard_normal(g);
}
static inline double ab_lognormal(bitgen_t *g, double mu, double sigma) {
    ab_before_draw();
    return exp(mu + sigma * random_standard_normal(g));
}
static inline double ab_exponential(bitgen_t *g, double lambda) {
    ab_before_draw();
    return random_standard_exponential(g) / lambda;
}
static inline double ab_gamma(bitgen_t *g, double alpha, double beta) {
    ab_before_draw();
    return random_standard_gamma(g, alpha) * beta;
}
/* Steps to the next event of a Bernoulli trial of probability p per step (>= 1); never
 * (a step no run reaches) when p <= 0. */
static inline int64_t ab_geometric(bitgen_t *g, double p) {
    if (p >= 1.0) return 1;
    if (!(p > 0.0)) return (int64_t)1 << 62;
    ab_before_draw();
    return random_geometric(g, p);
}
static inline double ab_binomial(bitgen_t *g, double n, double p) {
    binomial_t state = {0};
    ab_before_draw();
    return (double)random_binomial(g, p, (int64_t)n, &state);
}

/* ---- monitors --------------------------------------------------------------
 * One row per monitored attribute, every field 8 bytes so that Python can fill
 * the table as an int64 array. Values are copied into a double buffer. A row is
 * read at one stage of the step: 1 after the transmission (a neuron's inputs,
 * before its update reads and decays them, as the reference records them), 2 at
 * the end of the step. */
typedef struct {
    char *src;         /* first element of the attribute's array            */
    int64_t dtype;     /* 0 double, 1 float, 2 int64, 3 bool (1 byte)         */
    int64_t *ranks;    /* ranks to record, NULL for the first `count` ones    */
    int64_t count;     /* values per record                                    */
    double *buf;       /* rows x count                                         */
    int64_t period;    /* in steps                                             */
    int64_t offset;    /* in steps                                             */
    int64_t row;       /* next row to write                                   */
    int64_t rows;      /* capacity of buf                                      */
    int64_t stage;     /* 1 after the transmission, 2 at the end of the step  */
} ab_recorder;

static inline double ab_read(const char *src, int64_t dtype, int64_t k) {
    switch (dtype) {
        case 0: return ((const double *)src)[k];
        case 1: return (double)((const float *)src)[k];
        case 2: return (double)((const int64_t *)src)[k];
        default: return (double)((const unsigned char *)src)[k];
    }
}

/* Spikes (dtype 4) reuse the row: src = ranks that spiked this step (int64), ranks = their
 * count (int64[1]), count = mask of recorded ranks (uint8, NULL for all), buf = (step, rank)
 * int64 pairs, period = population size. Returns 1 when a spike buffer could not take
 * another step of spikes: the loop then stops so that Python empties it. */
static inline int ab_record_spikes(ab_recorder *m, int64_t step) {
    const int64_t *spiked = (const int64_t *)m->src;
    int64_t n = m->ranks[0];
    const unsigned char *mask = (const unsigned char *)(intptr_t)m->count;
    int64_t *out = (int64_t *)m->buf;
    for (int64_t k = 0; k < n; k++) {
        if (mask && !mask[spiked[k]]) continue;
        out[2 * m->row] = step;
        out[2 * m->row + 1] = spiked[k];
        m->row++;
    }
    return m->rows - m->row < m->period;
}

AB_OUTLINE int ab_record(ab_recorder *rec, int64_t n, int64_t step, int64_t stage) {
    int full = 0;
    for (int64_t r = 0; r < n; r++) {
        ab_recorder *m = rec + r;
        if (m->stage != stage) continue;
        if (m->dtype == 4) { full |= ab_record_spikes(m, step); continue; }
        if (m->row >= m->rows) continue;
        int64_t phase = ((step - m->offset) % m->period + m->period) % m->period;
        if (phase != 0) continue;
        double *out = m->buf + m->row * m->count;
        for (int64_t k = 0; k < m->count; k++)
            out[k] = ab_read(m->src, m->dtype, m->ranks ? m->ranks[k] : k);
        m->row++;
    }
    return full;
}

/* ---- ring buffers of delayed values: slot of a step, for any sign ------------ */
static inline int64_t ab_slot(int64_t step, int64_t depth) {
    int64_t r = step % depth;
    return r < 0 ? r + depth : r;
}

/* ---- spikes ---------------------------------------------------------------
 * First index >= from whose flag is set, or n. In a step few neurons spike, so
 * flags are tested four at a time. (Flags are as wide as the state variables: a
 * narrower type would make the vectorised update loop handle many more neurons
 * per iteration than the registers hold.) */
static inline int64_t ab_next_set(const int64_t *flags, int64_t from, int64_t n) {
    while (from + 4 <= n && !(flags[from] | flags[from + 1] | flags[from + 2] | flags[from + 3]))
        from += 4;
    while (from < n && !flags[from]) from++;
    return from;
}

/* ---- sorted ranks: first index in [from, to) whose value is >= x ----------- */
static inline int64_t ab_lower(const int64_t *a, int64_t n, int64_t x) {
    int64_t from = 0, to = n;
    while (from < to) {
        int64_t mid = from + (to - from) / 2;
        if (a[mid] < x) from = mid + 1; else to = mid;
    }
    return from;
}
static inline int64_t ab_lower32(const int32_t *a, int64_t from, int64_t to, int64_t x) {
    while (from < to) {
        int64_t mid = from + (to - from) / 2;
        if (a[mid] < x) from = mid + 1; else to = mid;
    }
    return from;
}

/* ---- threads (modules built with OpenMP) ------------------------------------
 * A population of n neurons is cut into nb blocks of consecutive ranks, block b of nb
 * starting at ab_bound(n, b, nb): n b / nb rounded to a multiple of 16 ranks, so that blocks
 * differ by at most 16 neurons and fill whole cache lines of float and double arrays (arrays
 * start on one): no line holds values of two threads. With 8, the float arrays of
 * setup(precision="float") had such a line at every block boundary, written by both threads
 * at every step (core/projection.py cuts blocks the same way). */
static inline long ab_bound(long n, long b, long nb) {
    if (b >= nb) return n;
    long bound = (n * b + 8 * nb) / (16 * nb) * 16;
    return bound < n ? bound : n;
}
/* The first lines of a block's array (from `start`, `bytes` long) asked for, for writing,
 * all at once. The thread of the block before streams its part of the array up to them and
 * its hardware prefetcher takes them along; written one after the other, each then waited
 * for the other core (the second of two threads updated COBA's neurons 11 % slower than one
 * thread did, the first 3 %). 64 lines (4 KB, a page of doubles) made two-thread COBA 4 %
 * faster; 16 did nothing, 32 half of it, 128 or 256 no more. */
#define AB_CLAIM_LINES 64
static inline void ab_claim(const void *start, long bytes) {
    long lines = (bytes + 63) / 64 < AB_CLAIM_LINES ? (bytes + 63) / 64 : AB_CLAIM_LINES;
    for (long k = 0; k < lines; k++) __builtin_prefetch((const char *)start + 64 * k, 1, 3);
}
/* Spikes of one step listed block by block (threads): block [lo, hi) holds its spikes from
 * lo on, then -hi - 1 when it is not full, which sends the reader to the next block. Returns
 * the spike at *k or after (advancing *k past it), or -1 at n. A plain list of n spikes reads
 * the same way. */
static inline int64_t ab_next_spike(const int64_t *list, int64_t n, int64_t *k) {
    while (*k < n) {
        int64_t v = list[*k];
        if (v >= 0) { (*k)++; return v; }
        *k = -v - 1;
    }
    return -1;
}
/* The spikes of `blocks` (as above, n neurons) moved into one list in rank order; returns
 * their number. `list` may be `blocks` itself: each spike is written where one was read. */
static inline int64_t ab_gather_blocks(int64_t *list, const int64_t *blocks, int64_t n) {
    int64_t total = 0, k = 0, i;
    while ((i = ab_next_spike(blocks, n, &k)) >= 0) list[total++] = i;
    return total;
}
/* Whether every spike recorder of `stage` can take two more steps of spikes. */
static inline int ab_spike_room(const ab_recorder *rec, int64_t n, int64_t stage) {
    for (int64_t r = 0; r < n; r++)
        if (rec[r].stage == stage && rec[r].dtype == 4 &&
            rec[r].rows - rec[r].row < 2 * rec[r].period)
            return 0;
    return 1;
}
/* Whether the recorders of `stage` record spikes only. */
static inline int ab_spikes_only(const ab_recorder *rec, int64_t n, int64_t stage) {
    for (int64_t r = 0; r < n; r++) if (rec[r].stage == stage && rec[r].dtype != 4) return 0;
    return 1;
}
static inline int ab_has_stage(const ab_recorder *rec, int64_t n, int64_t stage) {
    for (int64_t r = 0; r < n; r++) if (rec[r].stage == stage) return 1;
    return 0;
}

/* ---- clock for interrupt polling ------------------------------------------ */
static inline double ab_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#ifdef _OPENMP
#include <omp.h>
#include <stdatomic.h>
#include <limits.h>
#ifdef __linux__
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif
/* The barrier of the threads of one run. A thread that arrives early spins for up to
 * AB_SPIN seconds, then sleeps on a futex until the last one arrives: spinning as long as a
 * sleep and its wake-up cost (16-64 us on the development VMs) never loses more than twice
 * the best choice. On a quiet machine the others arrive within microseconds; the longer
 * waits (an interrupt, a page fault on the other core: 4-30 us, about 1 step in 100 for
 * COBA) then cost what they last instead of a wake-up. An earlier spin that adapted down to
 * 0.5 us slept at about 1 barrier in 150 and made COBA on two threads 5-6 % slower, and 2.5x
 * slower beside four busy processes. When other processes take the cores, the thread waited
 * for is descheduled and a waiter gives its core back after AB_SPIN (OpenMP's barrier spins
 * for milliseconds: COBA on two threads then ran 20x slower than on one), and run() falls
 * back to one thread (tuned_threads). */
#define AB_SPIN 50e-6
typedef struct {
    atomic_int arrived;        /* threads at the barrier of this generation */
    atomic_int generation;     /* barriers passed */
    atomic_int sleepers;       /* threads waiting on the futex */
    int threads;
    double *waited;            /* seconds thread t waited, at waited[AB_LINE * t] (ab_shares) */
} ab_team;
#define AB_LINE 8              /* doubles in a cache line */
static inline void ab_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}
AB_OUTLINE void ab_barrier(ab_team *team) {
#ifdef __linux__
    int generation = atomic_load_explicit(&team->generation, memory_order_acquire);
    if (atomic_fetch_add_explicit(&team->arrived, 1, memory_order_acq_rel) == team->threads - 1) {
        atomic_store_explicit(&team->arrived, 0, memory_order_relaxed);
        atomic_fetch_add_explicit(&team->generation, 1, memory_order_acq_rel);
        if (atomic_load_explicit(&team->sleepers, memory_order_acquire) > 0)
            syscall(SYS_futex, &team->generation, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
        return;
    }
    double arrived = ab_now();
    double *waited = team->waited + AB_LINE * omp_get_thread_num();
    for (long spins = 1;; spins++) {
        if (atomic_load_explicit(&team->generation, memory_order_acquire) != generation) {
            *waited += ab_now() - arrived;
            return;
        }
        ab_relax();
        if ((spins & 15) == 0 && ab_now() - arrived > AB_SPIN) break;
    }
    atomic_fetch_add_explicit(&team->sleepers, 1, memory_order_acq_rel);
    while (atomic_load_explicit(&team->generation, memory_order_acquire) == generation)
        syscall(SYS_futex, &team->generation, FUTEX_WAIT_PRIVATE, generation, NULL, NULL, 0);
    atomic_fetch_sub_explicit(&team->sleepers, 1, memory_order_acq_rel);
    *waited += ab_now() - arrived;
#else
    (void)team;
    _Pragma("omp barrier")
#endif
}
/* How the blocks of every population are shared between the threads of a run: thread t
 * takes blocks [cut[t], cut[t + 1]). Two cores of this guest rarely run at the same speed
 * (the worker thread's was 20-35 % slower than the main one's in most processes, whichever
 * blocks it had: benchmarks/README.md), so an even cut leaves the faster one waiting at
 * every barrier. Every AB_PERIOD steps thread 0 moves the cut towards equal busy times
 * (ab_rebalance); the shares live in the network between runs. Which thread updates a block
 * changes neither numbers nor draws: each block has its own generators, and every addition
 * into a neuron's input still happens in the order of one thread. */
#define AB_MAX_THREADS 256
#define AB_PERIOD 64
#define AB_GAIN 0.25
typedef struct {
    double waited[AB_LINE * AB_MAX_THREADS];  /* each thread's seconds at barriers */
    double share[AB_MAX_THREADS];   /* blocks of thread t, before rounding */
    double last_wait[AB_MAX_THREADS];
    double last_time;               /* 0: no period measured yet in this segment */
    int hold;                       /* nonzero: the shares stay as they are (BlockShares.hold) */
    long cut[AB_MAX_THREADS + 1];
    int threads;                    /* the threads that `share` is for */
    int blocks;
} ab_shares;
static inline void ab_cut(ab_shares *s, int threads) {
    double sum = 0;
    s->cut[0] = 0;
    for (int t = 0; t < threads; t++) {
        sum += s->share[t];
        s->cut[t + 1] = (long)(sum + 0.5);
    }
    s->cut[threads] = s->blocks;
}
/* The cut for a segment on `threads` threads of `blocks` blocks: the shares kept for that
 * many threads, else even ones; one thread takes every block. */
static inline void ab_shares_start(ab_shares *s, int threads, int blocks) {
    s->last_time = 0;
    if (s->blocks != blocks || (threads > 1 && s->threads != threads)) {
        s->blocks = blocks;
        s->threads = threads;
        for (int t = 0; t < threads; t++) s->share[t] = (double)blocks / threads;
    }
    if (threads <= 1) {
        s->cut[0] = 0;
        s->cut[1] = blocks;
        return;
    }
    ab_cut(s, threads);
}
/* Thread 0 after `done` steps of a segment on `threads` threads: every AB_PERIOD steps, each
 * thread's speed (its blocks over the time it was not waiting) sets the share it should have
 * (shares proportional to speeds give equal busy times); the shares move AB_GAIN of the way
 * there, within half and one and a half of an even share (a thread stopped by the host for a
 * while does not lose its blocks). */
AB_OUTLINE void ab_rebalance(ab_shares *s, int threads, long done) {
    if (threads <= 1 || s->hold || done % AB_PERIOD) return;
    double now = ab_now(), speed[AB_MAX_THREADS], total = 0;
    double elapsed = now - s->last_time;
    int measured = s->last_time > 0 && elapsed > 0;
    for (int t = 0; t < threads; t++) {
        double busy = elapsed - (s->waited[AB_LINE * t] - s->last_wait[t]);
        s->last_wait[t] = s->waited[AB_LINE * t];
        if (!measured) continue;
        busy = busy > 0.05 * elapsed ? busy : 0.05 * elapsed;
        speed[t] = (double)(s->cut[t + 1] - s->cut[t]) / busy;
        total += speed[t];
    }
    s->last_time = now;
    if (!measured || total <= 0) return;
    double even = (double)s->blocks / threads, sum = 0;
    for (int t = 0; t < threads; t++) {
        double share = s->share[t] + AB_GAIN * (s->blocks * speed[t] / total - s->share[t]);
        s->share[t] = share < 0.5 * even ? 0.5 * even : share > 1.5 * even ? 1.5 * even : share;
        sum += s->share[t];
    }
    for (int t = 0; t < threads; t++) s->share[t] *= s->blocks / sum;
    ab_cut(s, threads);
}
/* body(context) on `threads` threads meeting at `team`'s barriers, sharing blocks as
 * `shares` says; one runs it here, without a parallel region (no thread pool: a process
 * forked later, as multiprocessing does, stays usable). */
static inline void ab_parallel(void (*body)(void *), void *context, int threads, ab_team *team,
                               ab_shares *shares, int blocks) {
    atomic_store(&team->arrived, 0);
    atomic_store(&team->generation, 0);
    atomic_store(&team->sleepers, 0);
    team->threads = 1;
    team->waited = shares->waited;
    if (threads <= 1) {
        ab_shares_start(shares, 1, blocks);
        body(context);
        return;
    }
    #pragma omp parallel num_threads(threads)
    {
        #pragma omp single
        {
            team->threads = omp_get_num_threads();      /* (the runtime may give fewer) */
            ab_shares_start(shares, team->threads, blocks);
        }
        body(context);
    }
}
static inline int ab_thread(void) { return omp_get_thread_num(); }
static inline int ab_threads(void) { return omp_get_num_threads(); }
#endif

#endif

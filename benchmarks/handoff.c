/* How long one core takes to see a cache line that another one wrote: two threads pass a
 * counter back and forth through one cache line, as the threads of a run do at every step
 * (the barrier's arrival and release, the spikes of the other thread's neurons). Prints the
 * round trip (two hand-offs) in nanoseconds, the best of 5 runs of `trips` round trips.
 * threads.py turns it into the bound of a network that meets once a step. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static _Alignas(64) atomic_long turn;
static long trips = 100000;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void wait_for(long value) {
    while (atomic_load_explicit(&turn, memory_order_acquire) != value)
        __builtin_ia32_pause();
}

static void *answer(void *unused) {
    (void)unused;
    for (long i = 0; i < trips; i++) {
        wait_for(2 * i + 1);
        atomic_store_explicit(&turn, 2 * i + 2, memory_order_release);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc > 1) trips = atol(argv[1]);
    double best = 1e9;
    for (int run = 0; run < 5; run++) {
        pthread_t other;
        atomic_store(&turn, 0);
        pthread_create(&other, NULL, answer, NULL);
        double started = now();
        for (long i = 0; i < trips; i++) {
            atomic_store_explicit(&turn, 2 * i + 1, memory_order_release);
            wait_for(2 * i + 2);
        }
        double seconds = now() - started;
        pthread_join(other, NULL);
        if (seconds / trips < best) best = seconds / trips;
    }
    printf("%.1f\n", 1e9 * best);
    return 0;
}

/* What two threads can do on this machine with nothing shared: each thread integrates its
 * own 2000 leaky neurons (a division and a few multiply-adds each, as a COBA step) for a
 * fixed number of steps, with no barrier. threads.py runs it on 1 thread and on N and
 * prints the ratio of the work per second: the ceiling of any threaded simulator here. */
#include <stdio.h>
#include <stdlib.h>
#include <omp.h>

#define N 2000

static double integrate(double *v, double *g, long steps) {
    for (long s = 0; s < steps; s++)
        for (int i = 0; i < N; i++) {
            v[i] += (-60.0 - v[i] + g[i] * (0.0 - v[i])) / 20.0 * 0.1;
            g[i] += -g[i] / 5.0 * 0.1;
        }
    return v[0] + g[0];
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    long steps = argc > 2 ? atol(argv[2]) : 100000;
    double sum = 0.0, started = omp_get_wtime();
    #pragma omp parallel num_threads(threads) reduction(+:sum)
    {
        double *v = malloc(N * sizeof(double)), *g = malloc(N * sizeof(double));
        for (int i = 0; i < N; i++) { v[i] = -60.0 + i % 7; g[i] = 0.01 * (i % 5); }
        sum += integrate(v, g, steps);
        free(v);
        free(g);
    }
    printf("%.6f %g\n", omp_get_wtime() - started, sum);
    return 0;
}

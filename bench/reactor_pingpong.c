/* SPDX-License-Identifier: MIT */
/*
 * Reactor ping-pong: two sockets of a socketpair bounce a 64-byte message N times through
 * the reactor (recv callback -> send), on each backend. Prints round trips per second and
 * the CPU time per round trip. Build and run through bench/run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "tide/common.h"
#include "tide/reactor.h"

typedef struct side {
    int fd;
    long *left;
    char msg[64];
} side_t;

static void on_recv(tide_reactor_t *r, void *udata, const char *data, ssize_t n)
{
    side_t *s = udata;
    if (n <= 0)
        return;
    (void)data;
    if (--*s->left <= 0) {
        tide_reactor_stop(r);
        return;
    }
    tide_reactor_send(r, s->fd, s->msg, (size_t)n, NULL, NULL);
}

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

static int run(tide_backend_t backend, long trips, double *per_sec, double *cpu_us)
{
    tide_reactor_t *r;
    tide_reactor_opts_t opts = {backend, 0};
    if (tide_reactor_create(&r, &opts, NULL, 0) < 0)
        return -1;
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
    long left = trips * 2;
    side_t a = {.fd = sv[0], .left = &left}, b = {.fd = sv[1], .left = &left};
    memset(a.msg, 'a', sizeof(a.msg));
    memset(b.msg, 'b', sizeof(b.msg));
    tide_op_t *ra = tide_reactor_recv(r, sv[0], on_recv, &a, NULL);
    tide_op_t *rb = tide_reactor_recv(r, sv[1], on_recv, &b, NULL);
    tide_reactor_send(r, sv[0], a.msg, sizeof(a.msg), NULL, NULL);
    double c0 = cpu_seconds();
    uint64_t t0 = tide_time_ns();
    tide_reactor_run(r, TIDE_RUN_DEFAULT);
    double secs = (double)(tide_time_ns() - t0) / 1e9;
    *cpu_us = (cpu_seconds() - c0) / (double)trips * 1e6;
    *per_sec = (double)trips / secs;
    tide_reactor_cancel(r, ra);
    tide_reactor_cancel(r, rb);
    tide_reactor_destroy(r);
    return 0;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    long trips = argc > 1 ? atol(argv[1]) : 500000;
    const struct { const char *name; tide_backend_t b; const char *env; } v[] = {
        {"io_uring", TIDE_BACKEND_URING, NULL},
        {"io_uring single-shot", TIDE_BACKEND_URING, "TIDE_URING_NO_MULTISHOT"},
        {"epoll", TIDE_BACKEND_EPOLL, NULL},
    };
    printf("| backend | round trips/s (median of 3) | CPU µs per round trip |\n|---|---|---|\n");
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        double rate[3], cpu[3];
        if (v[i].env)
            setenv(v[i].env, "1", 1);
        for (int k = 0; k < 3; k++)
            if (run(v[i].b, trips, &rate[k], &cpu[k]) < 0) {
                printf("| %s | unavailable | |\n", v[i].name);
                goto next;
            }
        qsort(rate, 3, sizeof(double), cmp);
        qsort(cpu, 3, sizeof(double), cmp);
        printf("| %s | %.0f | %.2f |\n", v[i].name, rate[1], cpu[1]);
    next:
        if (v[i].env)
            unsetenv(v[i].env);
    }
    return 0;
}

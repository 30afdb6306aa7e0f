/* SPDX-License-Identifier: MIT */
/*
 * Context switch cost: 10,000,000 round trips (two switches each) with the hand-written
 * switch and with glibc's swapcontext, median of 3; plus coroutine create+finish through the
 * scheduler with pooled stacks. Run through bench/run.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tide/common.h"
#include "tide/context.h"
#include "tide/coro.h"

static tide_context_t a_main, a_co;
static tide_ucontext_t u_main, u_co;

static void asm_loop(void *arg)
{
    (void)arg;
    for (;;)
        tide_context_switch(&a_co, &a_main);
}

static void uc_loop(void *arg)
{
    (void)arg;
    for (;;)
        tide_ucontext_switch(&u_co, &u_main);
}

/*
 * Why yield and resume share one call path (tide_coro_switch in coro.h): a ping-pong where
 * both sides reach the switch through the same three functions, against one where each
 * side has its own three. Only the return addresses differ.
 */
static tide_context_t p_main, p_co;
#define NOINLINE __attribute__((noinline))
static volatile int sink;
NOINLINE static void shared3(tide_context_t *from, tide_context_t *to)
{
    tide_context_switch(from, to);
    sink++;
}
NOINLINE static void shared2(tide_context_t *from, tide_context_t *to)
{
    shared3(from, to);
    sink++;
}
NOINLINE static void shared1(tide_context_t *from, tide_context_t *to)
{
    shared2(from, to);
    sink++;
}
NOINLINE static void main3(void)
{
    tide_context_switch(&p_main, &p_co);
    sink++;
}
NOINLINE static void main2(void)
{
    main3();
    sink++;
}
NOINLINE static void main1(void)
{
    main2();
    sink++;
}
NOINLINE static void co3(void)
{
    tide_context_switch(&p_co, &p_main);
    sink++;
}
NOINLINE static void co2(void)
{
    co3();
    sink++;
}
NOINLINE static void co1(void)
{
    co2();
    sink++;
}
static int paths_differ;
static void path_loop(void *arg)
{
    (void)arg;
    for (;;) {
        if (paths_differ)
            co1();
        else
            shared1(&p_co, &p_main);
    }
}

static double path_round_trip(int differ, char *stack, size_t size, long n)
{
    paths_differ = differ;
    tide_context_init(&p_co, stack, size, path_loop, NULL);
    uint64_t t0 = tide_time_ns();
    for (long i = 0; i < n; i++) {
        if (differ)
            main1();
        else
            shared1(&p_main, &p_co);
    }
    return (double)(tide_time_ns() - t0) / n;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void nothing(tide_coro_t *co, void *arg)
{
    (void)co;
    (void)arg;
}

int main(void)
{
    static char s1[64 * 1024] __attribute__((aligned(16))), s2[64 * 1024] __attribute__((aligned(16)));
    const long n = 10000000;
    static char s3[64 * 1024] __attribute__((aligned(16)));
    double asm_ns[3], uc_ns[3], create_ns[3], same_ns[3], differ_ns[3];

    tide_context_init(&a_co, s1, sizeof(s1), asm_loop, NULL);
    tide_ucontext_init(&u_co, s2, sizeof(s2), uc_loop, NULL);
    for (int k = 0; k < 3; k++) {
        uint64_t t0 = tide_time_ns();
        for (long i = 0; i < n; i++)
            tide_context_switch(&a_main, &a_co);
        asm_ns[k] = (double)(tide_time_ns() - t0) / n;
        t0 = tide_time_ns();
        for (long i = 0; i < n / 10; i++)
            tide_ucontext_switch(&u_main, &u_co);
        uc_ns[k] = (double)(tide_time_ns() - t0) / (n / 10);
        same_ns[k] = path_round_trip(0, s3, sizeof(s3), n);
        differ_ns[k] = path_round_trip(1, s3, sizeof(s3), n);
    }

    tide_reactor_t *r;
    tide_reactor_opts_t opts = {TIDE_BACKEND_EPOLL, 0};
    tide_reactor_create(&r, &opts, NULL, 0);
    tide_sched_t *s = tide_sched_create(r, NULL);
    for (int k = 0; k < 3; k++) {
        uint64_t t0 = tide_time_ns();
        for (long i = 0; i < 1000000; i++)
            tide_coro_create(s, nothing, NULL);
        create_ns[k] = (double)(tide_time_ns() - t0) / 1000000;
    }
    tide_sched_destroy(s);
    tide_reactor_destroy(r);

    qsort(asm_ns, 3, sizeof(double), cmp);
    qsort(uc_ns, 3, sizeof(double), cmp);
    qsort(create_ns, 3, sizeof(double), cmp);
    qsort(same_ns, 3, sizeof(double), cmp);
    qsort(differ_ns, 3, sizeof(double), cmp);
    printf("| what | ns (median of 3) |\n|---|---|\n");
    printf("| round trip, %s switch | %.1f |\n", tide_context_impl(), asm_ns[1]);
    printf("| round trip, glibc swapcontext | %.1f |\n", uc_ns[1]);
    printf("| ratio hand-written / swapcontext | %.3f |\n", asm_ns[1] / uc_ns[1]);
    printf("| C coroutine create + run + finish (pooled stack) | %.1f |\n", create_ns[1]);
    printf("| round trip, both sides switch through the same 3 calls | %.1f |\n", same_ns[1]);
    printf("| round trip, each side through its own 3 calls | %.1f |\n", differ_ns[1]);
    return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * The context switch on the paths the main test binary does not take: built with
 * -DTIDE_CONTEXT_UCONTEXT (the portable swapcontext path) and cross-built for aarch64 to
 * run under qemu-user (see `make check-portable`). Exit 0 when switches keep integer
 * and floating-point state.
 */
#include <stdio.h>

#include "tide/context.h"

static tide_context_t main_ctx, co_ctx;
static int steps;
static double seen;

static void body(void *arg)
{
    volatile double x = *(double *)arg;
    for (;;) {
        steps++;
        seen = x * 2;
        tide_context_switch(&co_ctx, &main_ctx);
    }
}

int main(void)
{
    static char stack[65536] __attribute__((aligned(16)));
    double arg = 1.25;
    volatile long keep = 0x1234567890abcdefL;
    tide_context_init(&co_ctx, stack, sizeof(stack), body, &arg);
    for (int i = 0; i < 100000; i++)
        tide_context_switch(&main_ctx, &co_ctx);
    int ok = steps == 100000 && seen == 2.5 && keep == 0x1234567890abcdefL;
    printf("%s %s: %d switches\n", ok ? "ok  " : "FAIL", tide_context_impl(), steps);
    return ok ? 0 : 1;
}

/* SPDX-License-Identifier: MIT */
/*
 * Execution contexts: a saved CPU state that one C stack can switch to and back from.
 *
 * On x86-64 and aarch64 the switch is a few instructions of assembly that save the
 * callee-saved registers (and the floating-point control words) on the old stack and load
 * them from the new one: no system call, unlike glibc's swapcontext(), which saves and
 * restores the signal mask with rt_sigprocmask on every switch. Elsewhere (or with
 * -DTIDE_CONTEXT_UCONTEXT) the portable ucontext path is used. bench/context.c measures
 * both; tests/c runs both.
 */
#ifndef TIDE_CONTEXT_H
#define TIDE_CONTEXT_H

#include <stddef.h>
#include <ucontext.h>

typedef void (*tide_context_fn)(void *arg);

#if !defined(TIDE_CONTEXT_UCONTEXT) && (defined(__x86_64__) || defined(__aarch64__))
#define TIDE_CONTEXT_ASM 1
#endif

/* A saved context. The one that calls tide_context_switch() first needs no init. */
typedef struct tide_context {
#ifdef TIDE_CONTEXT_ASM
    void *sp; /* the saved stack pointer; registers live on that stack */
#else
    ucontext_t uc;
#endif
} tide_context_t;

/*
 * Prepares ctx to run fn(arg) on [stack, stack + size) when first switched to. fn must not
 * return: it ends by switching away for good.
 */
void tide_context_init(tide_context_t *ctx, void *stack, size_t size, tide_context_fn fn,
                       void *arg);
/* Saves the running context in from and continues in to. Returns when switched back. */
void tide_context_switch(tide_context_t *from, tide_context_t *to);
/* "asm x86-64", "asm aarch64" or "ucontext". */
const char *tide_context_impl(void);

/* The portable path, always built, so tests and benchmarks can compare the two. */
typedef struct tide_ucontext {
    ucontext_t uc;
} tide_ucontext_t;
void tide_ucontext_init(tide_ucontext_t *ctx, void *stack, size_t size, tide_context_fn fn,
                        void *arg);
void tide_ucontext_switch(tide_ucontext_t *from, tide_ucontext_t *to);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Coroutine C stacks: mmap'd in slabs of 32, each stack with a 64 KiB PROT_NONE guard below
 * it, handed out from a free list and reused. Steady state makes no system call; a slab
 * whose stacks are all free is unmapped once more than `keep` stacks are free, so memory
 * goes back after a burst (100,000 sleeping coroutines) without an munmap per coroutine.
 *
 * Every guard page splits a mapping in two, and the kernel allows vm.max_map_count (65,530
 * by default) mappings per process. So only the first max_map_count / 4 stacks get a guard
 * page; the others get a canary word near their bottom instead, which the scheduler checks
 * whenever the coroutine switches out (an overflow is then reported after the fact rather
 * than trapped). Raising vm.max_map_count raises the number of guarded stacks.
 */
#ifndef TIDE_STACK_H
#define TIDE_STACK_H

#include <stddef.h>
#include <stdint.h>

typedef struct tide_stack_slab tide_stack_slab_t;

typedef struct tide_stack {
    char *lo;    /* lowest usable byte (the guard page is just below) */
    size_t size; /* usable bytes of C stack: asked + TIDE_STACK_TOP_OFFSET */
    size_t asked; /* the pool's stack size when the slab was made (what messages name) */
    char *extra; /* the pool's `extra` bytes, just above the C stack (lo + size) */
    tide_stack_slab_t *slab;
    struct tide_stack *prev, *next; /* the free list */
    unsigned valgrind_id;
    int guarded;  /* has its guard page */
    int canaried; /* has the canary instead */
    int on_free;  /* on the pool's free list */
    int in_use;   /* handed out, not yet put back */
} tide_stack_t;

typedef struct tide_stack_pool {
    size_t size;      /* usable size of new stacks (a multiple of the page size) */
    size_t extra;     /* bytes above each stack for its owner's state */
    size_t keep;      /* free stacks kept mapped by tide_stack_pool_trim (default 128) */
    size_t max_free;  /* past this many free stacks, whole free slabs go at once */
    size_t nfree, nused, nslabs;
    size_t nguarded, guard_budget; /* stacks with a guard page; how many may have one */
    tide_stack_t *free; /* most recently freed first: its pages are warm */
    tide_stack_slab_t *slabs;
} tide_stack_pool_t;

/* size: usable bytes per stack, rounded up to pages (minimum 16 KiB); extra: bytes above
 * each stack for its owner's state (may be 0). */
void tide_stack_pool_init(tide_stack_pool_t *p, size_t size, size_t extra);
/* Unmaps the slabs whose stacks are all free, beyond the `keep` spare stacks. Freed stacks
 * stay mapped (and their pages resident) until then, so a busy loop reuses warm stacks;
 * the scheduler trims when it runs out of work. */
void tide_stack_pool_trim(tide_stack_pool_t *p);
/* Unmaps every slab; stacks still in use must not be used afterwards. */
void tide_stack_pool_destroy(tide_stack_pool_t *p);
/* Changes the size of stacks handed out from now on. */
void tide_stack_pool_resize(tide_stack_pool_t *p, size_t size);
/* A stack, or NULL (with errno) when mmap fails. */
tide_stack_t *tide_stack_get(tide_stack_pool_t *p);
void tide_stack_put(tide_stack_pool_t *p, tide_stack_t *s);

/*
 * Starts loading into the cache the part of the stack handed out after the next one that a
 * new coroutine touches first: the top TIDE_STACK_HOT_BELOW bytes of its C stack and the first
 * TIDE_STACK_HOT_ABOVE bytes of its owner's state. Call it when the next stack is sure to
 * be a cold one: the coroutine just made is still alive, so the warm stack is taken. A
 * burst of spawns that suspend then overlaps these misses with the work of each spawn.
 */
#define TIDE_STACK_HOT_BELOW 1152
#define TIDE_STACK_HOT_ABOVE 1024
void tide_stack_prefetch_next(const tide_stack_pool_t *p);
/* False when the canary of an unguarded stack was overwritten (its coroutine overflowed). */
static inline int tide_stack_canary_ok(const tide_stack_t *s)
{
    return !s->canaried || *(const uint64_t *)(s->lo + 64) == (0x7469646573746b21ull ^ (uintptr_t)s);
}

/*
 * Where a stack's top sits in its page. A coroutine that suspends shallow (the usual case: a
 * PHP coroutine waiting in sleep() or recv() uses about 1.2 KiB of C stack) touches the top
 * of its C stack and the first bytes of its owner's state just above, and nothing else. With
 * the top half-way into a page, both are in that one page: one TLB entry and 4 KiB of
 * resident memory per sleeping coroutine, instead of two or three pages. The usable stack is
 * this much bigger than asked for.
 */
#define TIDE_STACK_TOP_OFFSET 2048

/* The guard page of s, for the overflow handler. */
#define TIDE_STACK_GUARD (64 * 1024) /* a multiple of the page size */

static inline int tide_stack_in_guard(const tide_stack_t *s, const void *addr)
{
    const char *a = addr;
    return s->guarded && a < s->lo && a >= s->lo - TIDE_STACK_GUARD;
}

#endif

/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define TIDE_HAVE_VALGRIND 1
#endif
#endif

#include "tide/common.h"
#include "tide/stack.h"

#define SLAB_STACKS 32
/* The guard below each stack is TIDE_STACK_GUARD bytes, not one page: PHP's own functions
 * have frames over 4 KiB without stack-clash probes, and one could step over a single page
 * into the neighbouring slot. A bigger PROT_NONE area costs address space, not memory. */

struct tide_stack_slab {
    char *mem;
    size_t len, stride;
    unsigned nfree;
    tide_stack_slab_t *prev, *next;
    tide_stack_t stacks[SLAB_STACKS];
};

static size_t page_size(void)
{
    static size_t page;
    if (!page)
        page = (size_t)sysconf(_SC_PAGESIZE);
    return page;
}

static size_t round_size(size_t size)
{
    size_t page = page_size();
    if (size < 16384)
        size = 16384;
    return (size + page - 1) & ~(page - 1);
}

/* A quarter of vm.max_map_count: each guarded stack costs two mappings. */
static size_t guard_budget(void)
{
    unsigned long max = 65530;
    FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
    if (f) {
        if (fscanf(f, "%lu", &max) != 1)
            max = 65530;
        fclose(f);
    }
    return max / 4;
}

void tide_stack_pool_init(tide_stack_pool_t *p, size_t size, size_t extra)
{
    p->size = round_size(size);
    p->extra = extra;
    p->keep = 128;
    p->max_free = 65536;
    p->nguarded = 0;
    p->guard_budget = guard_budget();
    p->nfree = p->nused = p->nslabs = 0;
    p->free = NULL;
    p->slabs = NULL;
}

static void free_list_remove(tide_stack_pool_t *p, tide_stack_t *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        p->free = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->prev = s->next = NULL;
    s->on_free = 0;
    p->nfree--;
}

static void free_list_push(tide_stack_pool_t *p, tide_stack_t *s)
{
    s->prev = NULL;
    s->next = p->free;
    if (p->free)
        p->free->prev = s;
    p->free = s;
    s->on_free = 1;
    p->nfree++;
}

static void slab_unmap(tide_stack_pool_t *p, tide_stack_slab_t *slab)
{
    for (unsigned i = 0; i < SLAB_STACKS; i++) {
        if (slab->stacks[i].guarded)
            p->nguarded--;
#ifdef TIDE_HAVE_VALGRIND
        if (slab->stacks[i].valgrind_id)
            VALGRIND_STACK_DEREGISTER(slab->stacks[i].valgrind_id);
#endif
    }
    if (slab->prev)
        slab->prev->next = slab->next;
    else
        p->slabs = slab->next;
    if (slab->next)
        slab->next->prev = slab->prev;
    munmap(slab->mem, slab->len);
    p->nslabs--;
    tide_free(slab);
}

/* Guard, C stack and the owner's state; the state starts TIDE_STACK_TOP_OFFSET bytes into a
 * page, so that the stack's top and the state share that page. */
static size_t slot_stride(const tide_stack_pool_t *p)
{
    size_t page = page_size();
    return TIDE_STACK_GUARD + ((p->size + TIDE_STACK_TOP_OFFSET + p->extra + page - 1) & ~(page - 1));
}

static tide_stack_slab_t *slab_new(tide_stack_pool_t *p)
{
    size_t stride = slot_stride(p);
    size_t len = stride * SLAB_STACKS;
    void *mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED)
        return NULL;
    tide_stack_slab_t *slab = tide_calloc(1, sizeof(*slab));
    slab->mem = mem;
    slab->len = len;
    slab->stride = stride;
    slab->next = p->slabs;
    if (p->slabs)
        p->slabs->prev = slab;
    p->slabs = slab;
    p->nslabs++;
    /* Pushed in reverse so that the lowest stack is handed out first. */
    for (int i = SLAB_STACKS - 1; i >= 0; i--) {
        tide_stack_t *s = &slab->stacks[i];
        s->lo = slab->mem + (size_t)i * stride + TIDE_STACK_GUARD;
        s->asked = p->size;
        s->size = p->size + TIDE_STACK_TOP_OFFSET;
        s->extra = s->lo + s->size;
        s->slab = slab;
        slab->nfree++;
        free_list_push(p, s);
    }
    return slab;
}

static int slab_current(const tide_stack_pool_t *p, const tide_stack_slab_t *slab)
{
    return slab->stride == slot_stride(p);
}

/* Takes a slab whose stacks are all free off the free list and unmaps it. */
static void slab_release(tide_stack_pool_t *p, tide_stack_slab_t *slab)
{
    for (unsigned i = 0; i < SLAB_STACKS; i++)
        if (slab->stacks[i].on_free)
            free_list_remove(p, &slab->stacks[i]);
    slab_unmap(p, slab);
}

tide_stack_t *tide_stack_get(tide_stack_pool_t *p)
{
    if (!p->free && !slab_new(p))
        return NULL;
    tide_stack_t *s = p->free;
    free_list_remove(p, s);
    s->in_use = 1;
    s->slab->nfree--;
    p->nused++;
    if (!s->guarded && !s->canaried) {
        /* Once per stack for the life of its slab, not per coroutine. */
        if (p->nguarded < p->guard_budget &&
            mprotect(s->lo - TIDE_STACK_GUARD, TIDE_STACK_GUARD, PROT_NONE) == 0) {
            s->guarded = 1;
            p->nguarded++;
        } else {
            s->canaried = 1;
        }
#ifdef TIDE_HAVE_VALGRIND
        s->valgrind_id = VALGRIND_STACK_REGISTER(s->lo, s->lo + s->size);
#endif
    }
    if (s->canaried)
        *(uint64_t *)(s->lo + 64) = 0x7469646573746b21ull ^ (uintptr_t)s;
    return s;
}

void tide_stack_prefetch_next(const tide_stack_pool_t *p)
{
    if (!p->free)
        return;
    /* In a burst, the spawn before this one already started on p->free: start on the stack
     * after it, so that each stack has two spawns' time (about a microsecond) to arrive. */
    const char *top = (p->free->next ? p->free->next : p->free)->extra;
    /* Not past the owner's state: above it is the next slot's guard, or the slab's end. */
    int above = p->extra < TIDE_STACK_HOT_ABOVE ? (int)p->extra : TIDE_STACK_HOT_ABOVE;
    for (int off = -TIDE_STACK_HOT_BELOW; off < above; off += 64)
        __builtin_prefetch(top + off, 1, 3);
}

void tide_stack_put(tide_stack_pool_t *p, tide_stack_t *s)
{
    tide_stack_slab_t *slab = s->slab;
    int current = slab_current(p, slab);
    s->in_use = 0;
    p->nused--;
    slab->nfree++;
    if (current)
        free_list_push(p, s);
    /* A slab of an old size goes as soon as it is free; others wait for a trim, unless far
     * too many stacks are free. */
    if (slab->nfree == SLAB_STACKS && (!current || p->nfree >= p->max_free))
        slab_release(p, slab);
}

void tide_stack_pool_trim(tide_stack_pool_t *p)
{
    for (tide_stack_slab_t *slab = p->slabs, *next; slab && p->nfree >= p->keep + SLAB_STACKS;
         slab = next) {
        next = slab->next;
        if (slab->nfree == SLAB_STACKS)
            slab_release(p, slab);
    }
}

void tide_stack_pool_resize(tide_stack_pool_t *p, size_t size)
{
    size = round_size(size);
    if (size == p->size)
        return;
    p->size = size;
    /* Stacks of the old size are handed out no more: free slabs go now, the others when
     * their last stack comes back. */
    for (tide_stack_slab_t *slab = p->slabs, *next; slab; slab = next) {
        next = slab->next;
        if (slab_current(p, slab)) {
            /* Of this size again (a resize away and back): its free stacks, taken off the
             * list by the first resize, are handed out again. */
            for (unsigned i = 0; i < SLAB_STACKS; i++)
                if (!slab->stacks[i].in_use && !slab->stacks[i].on_free)
                    free_list_push(p, &slab->stacks[i]);
            continue;
        }
        if (slab->nfree == SLAB_STACKS) {
            slab_release(p, slab);
            continue;
        }
        for (unsigned i = 0; i < SLAB_STACKS; i++)
            if (slab->stacks[i].on_free)
                free_list_remove(p, &slab->stacks[i]);
    }
}

void tide_stack_pool_destroy(tide_stack_pool_t *p)
{
    while (p->slabs)
        slab_unmap(p, p->slabs);
    p->free = NULL;
    p->nfree = p->nused = 0;
}

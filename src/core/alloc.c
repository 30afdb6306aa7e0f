/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "tide/common.h"

static tide_allocator_t allocator = {malloc, realloc, free};

void tide_set_allocator(const tide_allocator_t *a)
{
    allocator = a ? *a : (tide_allocator_t){malloc, realloc, free};
}

void *tide_malloc(size_t n)
{
    void *p = allocator.malloc(n ? n : 1);
    if (TIDE_UNLIKELY(!p))
        tide_panic("out of memory allocating %zu bytes", n);
    return p;
}

void *tide_calloc(size_t count, size_t n)
{
    if (n && count > SIZE_MAX / n)
        tide_panic("allocation overflow: %zu x %zu", count, n);
    void *p = tide_malloc(count * n);
    memset(p, 0, count * n);
    return p;
}

void *tide_realloc(void *p, size_t n)
{
    void *q = allocator.realloc(p, n ? n : 1);
    if (TIDE_UNLIKELY(!q))
        tide_panic("out of memory reallocating %zu bytes", n);
    return q;
}

void tide_free(void *p)
{
    if (p)
        allocator.free(p);
}

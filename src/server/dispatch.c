/* SPDX-License-Identifier: MIT */
/*
 * dispatch_mode and the worker queues (tide/dispatch.h): pure bookkeeping.
 */
#include <string.h>

#include "tide/common.h"
#include "tide/dispatch.h"

void tide_dispatch_init(tide_dispatch_t *d, int mode, unsigned workers, uint32_t max_count,
                        uint64_t max_bytes)
{
    memset(d, 0, sizeof(*d));
    d->mode = mode;
    d->workers = workers;
    d->max_count = max_count;
    d->max_bytes = max_bytes;
    d->q = tide_calloc(workers + 1, sizeof(tide_wqueue_t));
}

void tide_dispatch_destroy(tide_dispatch_t *d)
{
    if (!d->q)
        return;
    for (unsigned i = 0; i <= d->workers; i++)
        tide_free(d->q[i].waiting);
    tide_free(d->q);
    d->q = NULL;
}

int tide_dispatch_bind(const tide_dispatch_t *d, uint64_t session, const char *remote_ip)
{
    if (d->mode == 4) {
        uint32_t h = 2166136261u; /* FNV-1a of the address text */
        for (const char *p = remote_ip; *p; p++)
            h = (h ^ (uint8_t)*p) * 16777619u;
        return (int)(h % d->workers);
    }
    if (d->mode == 2)
        return (int)((session - 1) % d->workers);
    return -1;
}

bool tide_dispatch_full(const tide_dispatch_t *d, int w, size_t len)
{
    const tide_wqueue_t *q = &d->q[w];
    if (d->max_count && q->count >= d->max_count)
        return true;
    /* A message larger than the whole bound still goes to an empty queue. */
    return d->max_bytes && q->count && q->bytes + len > d->max_bytes;
}

int tide_dispatch_pick(tide_dispatch_t *d, int bound, size_t len, int *wait_on)
{
    unsigned n = d->workers;
    if (bound >= 0) {
        if (tide_dispatch_full(d, bound, len)) {
            *wait_on = bound;
            return -1;
        }
        return bound;
    }
    int best = -1, any_up = -1;
    uint32_t best_load = UINT32_MAX;
    for (unsigned i = 0; i < n; i++) {
        int w = (int)((d->rr + i) % n);
        if (!d->q[w].up)
            continue;
        if (any_up < 0)
            any_up = w;
        if (tide_dispatch_full(d, w, len))
            continue;
        if (d->mode != 3) {
            best = w; /* round robin: the first free one in turn */
            break;
        }
        if (d->q[w].count < best_load) {
            best_load = d->q[w].count;
            best = w;
        }
    }
    d->rr++;
    if (best >= 0)
        return best;
    if (any_up >= 0) {
        *wait_on = (int)n; /* every worker that is up is full */
        return -1;
    }
    /* None is up (all being replaced): hand it to one; it is held for the next. */
    int w = (int)(d->rr % n);
    if (tide_dispatch_full(d, w, len)) {
        *wait_on = w;
        return -1;
    }
    return w;
}

void tide_dispatch_add(tide_dispatch_t *d, int w, size_t len)
{
    d->q[w].count++;
    d->q[w].bytes += len;
}

/* Moves what waits on q to *ready. */
static size_t take_waiting(tide_wqueue_t *q, uint64_t **ready)
{
    size_t n = q->nwaiting;
    *ready = q->waiting;
    q->waiting = NULL;
    q->nwaiting = q->cap = 0;
    return n;
}

static bool drained(const tide_dispatch_t *d, const tide_wqueue_t *q)
{
    return (!d->max_count || q->count <= d->max_count / 2) &&
           (!d->max_bytes || q->bytes <= d->max_bytes / 2);
}

size_t tide_dispatch_done(tide_dispatch_t *d, int w, uint32_t n, uint64_t len, uint64_t **ready)
{
    tide_wqueue_t *q = &d->q[w];
    q->count = q->count > n ? q->count - n : 0;
    q->bytes = q->bytes >= len ? q->bytes - len : 0;
    *ready = NULL;
    if (!drained(d, q))
        return 0;
    if (q->nwaiting)
        return take_waiting(q, ready);
    /* Per-message modes: a drained worker takes what waits for any. */
    tide_wqueue_t *any = &d->q[d->workers];
    return any->nwaiting ? take_waiting(any, ready) : 0;
}

void tide_dispatch_wait(tide_dispatch_t *d, int qi, uint64_t session)
{
    tide_wqueue_t *q = &d->q[qi];
    if (q->nwaiting == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 16;
        q->waiting = tide_realloc(q->waiting, q->cap * sizeof(uint64_t));
    }
    q->waiting[q->nwaiting++] = session;
}

size_t tide_dispatch_set_up(tide_dispatch_t *d, int w, bool up, uint64_t **ready)
{
    tide_wqueue_t *q = &d->q[w];
    q->up = up;
    *ready = NULL;
    if (!up)
        return 0;
    if (q->nwaiting && drained(d, q))
        return take_waiting(q, ready);
    tide_wqueue_t *any = &d->q[d->workers];
    return any->nwaiting ? take_waiting(any, ready) : 0;
}

size_t tide_dispatch_lost(tide_dispatch_t *d, int w, uint64_t **ready)
{
    tide_wqueue_t *q = &d->q[w];
    q->count = 0;
    q->bytes = 0;
    *ready = NULL;
    return q->nwaiting ? take_waiting(q, ready) : 0;
}

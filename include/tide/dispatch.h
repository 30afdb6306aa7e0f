/* SPDX-License-Identifier: MIT */
/*
 * Which worker gets a connection's messages (Swoole's dispatch_mode), and how much each
 * worker may have been handed and not finished. Pure functions over what the owner of the
 * connections knows; no I/O.
 *
 *   1  round robin, per message            3  the least busy worker, per message
 *   2  by connection (session id), fixed   4  by the client's address, fixed
 *
 * Worker queues: every message handed to a worker counts in its queue until the worker says
 * it is done. A queue is full at max_count messages or max_bytes bytes (a single message
 * larger than max_bytes still goes to an empty queue). A message for a full worker is not
 * read from its connection: the connection waits on that worker's queue (or, for the
 * per-message modes, on any worker) and proceeds when the queue has drained to half.
 */
#ifndef TIDE_DISPATCH_H
#define TIDE_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tide_wqueue {
    uint32_t count;   /* messages handed over and not done */
    uint64_t bytes;
    bool up;          /* a worker runs and takes messages */
    uint64_t *waiting; /* sessions held until this queue drains (0: a datagram port) */
    size_t nwaiting, cap;
} tide_wqueue_t;

typedef struct tide_dispatch {
    int mode;          /* 1..4 */
    unsigned workers;
    uint32_t max_count; /* 0: no bound */
    uint64_t max_bytes; /* 0: no bound */
    uint64_t rr;
    tide_wqueue_t *q;  /* per worker, then one more: what waits for any worker (modes 1, 3) */
} tide_dispatch_t;

void tide_dispatch_init(tide_dispatch_t *d, int mode, unsigned workers, uint32_t max_count,
                        uint64_t max_bytes);
void tide_dispatch_destroy(tide_dispatch_t *d);
/* Modes 1 and 3 pick a worker per message; 2 and 4 bind a connection to one. */
static inline bool tide_dispatch_per_message(const tide_dispatch_t *d)
{
    return d->mode == 1 || d->mode == 3;
}
/* At accept: the worker a connection is bound to (modes 2, 4), or -1 (modes 1, 3). */
int tide_dispatch_bind(const tide_dispatch_t *d, uint64_t session, const char *remote_ip);
/*
 * The worker to hand a message of len bytes to: the bound one (modes 2, 4), or one chosen
 * among the workers that are up and not full (modes 1, 3; when no worker is up at all, any
 * one, whose successor gets it). -1 when it must wait: the bound worker, or every worker
 * that is up, is full. Then `*wait_on` is the queue to wait on (a worker id, or d->workers
 * for "any").
 */
int tide_dispatch_pick(tide_dispatch_t *d, int bound, size_t len, int *wait_on);
/* A message of len bytes was handed to worker w. */
void tide_dispatch_add(tide_dispatch_t *d, int w, size_t len);
/*
 * Worker w is done with n messages of len bytes in all. When that drains its queue to half
 * (or below) and connections wait on it (or on any worker), they are moved to *ready (an
 * array the caller frees with tide_free) and their number returned: the caller lets them
 * proceed.
 */
size_t tide_dispatch_done(tide_dispatch_t *d, int w, uint32_t n, uint64_t len, uint64_t **ready);
/* Connection `session` waits until queue `q` (a worker id, or d->workers) drains. */
void tide_dispatch_wait(tide_dispatch_t *d, int q, uint64_t session);
/* Worker w stops taking messages (it is stopping or being replaced: what it has counts
 * until it says done, what comes meanwhile waits for its successor) or takes them again:
 * then what waits on it (or on any worker) may proceed, as tide_dispatch_done() says. */
size_t tide_dispatch_set_up(tide_dispatch_t *d, int w, bool up, uint64_t **ready);
/* Worker w died: what it had is lost (its queue is empty now); what waits on it may
 * proceed (to wait again on its successor). */
size_t tide_dispatch_lost(tide_dispatch_t *d, int w, uint64_t **ready);
/* Whether worker w's queue is full. */
bool tide_dispatch_full(const tide_dispatch_t *d, int w, size_t len);

#endif

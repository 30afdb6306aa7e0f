/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "tide/channel.h"
#include "tide/common.h"

/* A coroutine waiting on a channel or wait group; lives on that coroutine's stack. */
typedef struct wait_queue wait_queue_t;

typedef struct waiter {
    tide_coro_t *co;
    void *item;       /* push: the item to give; pop: where to put the one taken */
    int result;       /* set by whoever wakes it: 0 or TIDE_ECLOSED */
    bool queued;
    bool woken;       /* by wake(): its item was handed over (or the channel closed) */
    wait_queue_t *q;
    struct waiter *prev, *next;
} waiter_t;

struct wait_queue {
    waiter_t *head, *tail;
    size_t n;
};

static void wq_push(wait_queue_t *q, waiter_t *w)
{
    w->next = NULL;
    w->prev = q->tail;
    if (q->tail)
        q->tail->next = w;
    else
        q->head = w;
    q->tail = w;
    q->n++;
    w->queued = true;
}

static void wq_remove(wait_queue_t *q, waiter_t *w)
{
    if (w->prev)
        w->prev->next = w->next;
    else
        q->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        q->tail = w->prev;
    q->n--;
    w->queued = false;
}

/* The coroutine is dropped by tide_sched_destroy: w, on its stack, must leave q. */
static void drop_waiter(void *arg)
{
    waiter_t *w = arg;
    if (w->queued)
        wq_remove(w->q, w);
}

/* Waits in q; the waker removes w from q before waking. */
static int wait_in(tide_sched_t *s, wait_queue_t *q, waiter_t *w, int64_t timeout_ns)
{
    w->co = tide_coro_current(s);
    if (tide_coro_is_main(w->co))
        return -EPERM;
    w->result = 0;
    w->woken = false;
    w->q = q;
    wq_push(q, w);
    tide_coro_set_drop(s, drop_waiter, w);
    int rc = tide_coro_wait(s, timeout_ns, true);
    tide_coro_set_drop(s, NULL, NULL);
    if (w->queued)
        wq_remove(q, w); /* timed out, cancelled or killed */
    /* Woken by a push, pop or close: that stands even if the coroutine was killed while it
     * sat in the run queue. Its item was taken (push) or given (pop), and the caller owns
     * what it was given; the kill is seen at its next wait. */
    return w->woken ? w->result : rc;
}

/* The first waiter still waiting, taken off q. One whose wait already ended (a timeout or a
 * cancel made it ready, it has not run yet) is dropped from the queue and skipped: it must
 * be handed nothing. */
static waiter_t *take_waiter(wait_queue_t *q)
{
    waiter_t *w;
    while ((w = q->head)) {
        wq_remove(q, w);
        if (tide_coro_state(w->co) == TIDE_CORO_WAITING)
            return w;
    }
    return NULL;
}

static void wake(tide_sched_t *s, waiter_t *w, int result)
{
    w->result = result;
    w->woken = true;
    tide_coro_wake(s, w->co);
}

static bool wake_first(tide_sched_t *s, wait_queue_t *q, int result)
{
    waiter_t *w = take_waiter(q);
    if (w)
        wake(s, w, result);
    return w != NULL;
}

/* ---- channels ---- */

struct tide_chan {
    tide_sched_t *s;
    size_t capacity, item_size;
    size_t head, len; /* ring buffer of capacity items */
    bool closed;
    wait_queue_t producers, consumers;
    char *items;
};

/* w's item went through: wake it (it runs after the caller suspends), or run it at once
 * (now: Swoole's order). The channel is consistent before the switch, and nothing of it is
 * touched after: the waiter may have freed it. */
static inline void hand_over(tide_chan_t *ch, waiter_t *w, bool now)
{
    if (!now) {
        wake(ch->s, w, 0);
        return;
    }
    w->result = 0;
    w->woken = true;
    tide_coro_wake_switch(ch->s, w->co);
}

tide_chan_t *tide_chan_create(tide_sched_t *s, size_t capacity, size_t item_size)
{
    TIDE_ASSERT(capacity >= 1);
    tide_chan_t *ch = tide_calloc(1, sizeof(*ch));
    ch->s = s;
    ch->capacity = capacity;
    ch->item_size = item_size;
    ch->items = tide_calloc(capacity, item_size);
    return ch;
}

void tide_chan_set_sched(tide_chan_t *ch, tide_sched_t *s)
{
    ch->s = s;
}

void tide_chan_destroy(tide_chan_t *ch)
{
    TIDE_ASSERT(!ch->producers.n && !ch->consumers.n);
    tide_free(ch->items);
    tide_free(ch);
}

/* The i-th buffered item (i < capacity). head + i < 2 * capacity: a subtraction, not a
 * division, wraps it (a 64-bit division takes dozens of cycles, on every push and pop). */
/* Items are copied often and are mostly zvals: a fixed 16-byte copy is two moves, where a
 * memcpy of a run-time size is a libc call. */
static inline void copy_item(const tide_chan_t *ch, void *to, const void *from)
{
    if (ch->item_size == 16)
        memcpy(to, from, 16);
    else
        memcpy(to, from, ch->item_size);
}

static void *slot(tide_chan_t *ch, size_t i)
{
    size_t at = ch->head + i;
    if (at >= ch->capacity)
        at -= ch->capacity;
    return ch->items + at * ch->item_size;
}

void *tide_chan_item(tide_chan_t *ch, size_t i)
{
    return slot(ch, i);
}

static inline int push(tide_chan_t *ch, const void *item, int64_t timeout_ns, bool now)
{
    if (ch->closed)
        return TIDE_ECLOSED;
    waiter_t *w = take_waiter(&ch->consumers);
    if (w) {
        /* Someone waits on an empty channel: hand the item over directly. */
        copy_item(ch, w->item, item);
        hand_over(ch, w, now);
        return 0;
    }
    if (ch->len < ch->capacity) {
        copy_item(ch, slot(ch, ch->len++), item);
        return 0;
    }
    if (timeout_ns == 0)
        return -ETIMEDOUT; /* full, and no wait asked for */
    waiter_t me = {.item = (void *)item};
    return wait_in(ch->s, &ch->producers, &me, timeout_ns);
}

int tide_chan_push(tide_chan_t *ch, const void *item, int64_t timeout_ns)
{
    return push(ch, item, timeout_ns, false);
}

int tide_chan_push_now(tide_chan_t *ch, const void *item, int64_t timeout_ns)
{
    return push(ch, item, timeout_ns, true);
}

static inline bool try_pop(tide_chan_t *ch, void *item, bool now)
{
    if (!ch->len)
        return false;
    copy_item(ch, item, slot(ch, 0));
    if (++ch->head == ch->capacity)
        ch->head = 0;
    ch->len--;
    waiter_t *w = take_waiter(&ch->producers);
    if (w) {
        /* Room again: the first waiting producer's item joins the buffer. */
        copy_item(ch, slot(ch, ch->len++), w->item);
        hand_over(ch, w, now);
    }
    return true;
}

bool tide_chan_try_pop(tide_chan_t *ch, void *item)
{
    return try_pop(ch, item, false);
}

static inline int pop(tide_chan_t *ch, void *item, int64_t timeout_ns, bool now)
{
    if (try_pop(ch, item, now))
        return 0;
    if (ch->closed)
        return TIDE_ECLOSED;
    if (timeout_ns == 0)
        return -ETIMEDOUT; /* empty, and no wait asked for */
    waiter_t w = {.item = item};
    return wait_in(ch->s, &ch->consumers, &w, timeout_ns);
}

int tide_chan_pop(tide_chan_t *ch, void *item, int64_t timeout_ns)
{
    return pop(ch, item, timeout_ns, false);
}

int tide_chan_pop_now(tide_chan_t *ch, void *item, int64_t timeout_ns)
{
    return pop(ch, item, timeout_ns, true);
}

bool tide_chan_close(tide_chan_t *ch)
{
    if (ch->closed)
        return false;
    ch->closed = true;
    while (wake_first(ch->s, &ch->consumers, TIDE_ECLOSED))
        ;
    while (wake_first(ch->s, &ch->producers, TIDE_ECLOSED))
        ;
    return true;
}

bool tide_chan_closed(const tide_chan_t *ch)
{
    return ch->closed;
}

size_t tide_chan_length(const tide_chan_t *ch)
{
    return ch->len;
}

size_t tide_chan_capacity(const tide_chan_t *ch)
{
    return ch->capacity;
}

size_t tide_chan_producers(const tide_chan_t *ch)
{
    return ch->producers.n;
}

size_t tide_chan_consumers(const tide_chan_t *ch)
{
    return ch->consumers.n;
}

/* ---- wait groups ---- */

struct tide_wg {
    tide_sched_t *s;
    int64_t count;
    wait_queue_t waiters;
};

tide_wg_t *tide_wg_create(tide_sched_t *s)
{
    tide_wg_t *wg = tide_calloc(1, sizeof(*wg));
    wg->s = s;
    return wg;
}

void tide_wg_set_sched(tide_wg_t *wg, tide_sched_t *s)
{
    wg->s = s;
}

void tide_wg_destroy(tide_wg_t *wg)
{
    TIDE_ASSERT(!wg->waiters.n);
    tide_free(wg);
}

int tide_wg_add(tide_wg_t *wg, int64_t delta)
{
    if (delta < 0 ? wg->count < -delta : wg->count > INT64_MAX - delta)
        return -ERANGE;
    wg->count += delta;
    if (wg->count == 0)
        while (wake_first(wg->s, &wg->waiters, 0))
            ;
    return 0;
}

int64_t tide_wg_count(const tide_wg_t *wg)
{
    return wg->count;
}

int tide_wg_wait(tide_wg_t *wg, int64_t timeout_ns)
{
    if (wg->count == 0)
        return 0;
    if (timeout_ns == 0)
        return -ETIMEDOUT;
    waiter_t w = {0};
    return wait_in(wg->s, &wg->waiters, &w, timeout_ns);
}

size_t tide_wg_waiters(const tide_wg_t *wg)
{
    return wg->waiters.n;
}

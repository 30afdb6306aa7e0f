/* SPDX-License-Identifier: MIT */
/*
 * Channels: a bounded FIFO of fixed-size items between coroutines of one scheduler, with
 * FIFO queues of waiting producers and consumers. Items are copied in and out as bytes (the
 * Zend layer stores zvals and moves their ownership with them).
 *
 * Closing wakes every waiter; pushes then fail with TIDE_ECLOSED, while pops still return
 * what is buffered (nothing pushed is lost) and fail only once the buffer is empty.
 */
#ifndef TIDE_CHANNEL_H
#define TIDE_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tide/coro.h"

typedef struct tide_chan tide_chan_t;

/* capacity >= 1 items of item_size bytes. */
tide_chan_t *tide_chan_create(tide_sched_t *s, size_t capacity, size_t item_size);
/* Moves the channel to scheduler s (the one it was made with was destroyed: after fork). */
void tide_chan_set_sched(tide_chan_t *ch, tide_sched_t *s);
/* Frees the channel; nobody may be waiting on it. Buffered items are not touched: drain them
 * first with tide_chan_try_pop() if they own something. */
void tide_chan_destroy(tide_chan_t *ch);

/*
 * Pushes item (copied). Waits while the channel is full, up to timeout_ns (< 0: no limit).
 * 0, -ETIMEDOUT, -ECANCELED, TIDE_ECLOSED, TIDE_EKILLED, or -EPERM when it would have to wait
 * outside a coroutine.
 */
int tide_chan_push(tide_chan_t *ch, const void *item, int64_t timeout_ns);
/* The same, in Swoole's order: a push that hands its item to a waiting pop runs that
 * coroutine at once, and the caller goes on when it suspends (tide_coro_wake_switch); the
 * plain calls queue the waiter to run after the caller. Likewise tide_chan_pop_now() for a
 * pop that lets a waiting push in. */
int tide_chan_push_now(tide_chan_t *ch, const void *item, int64_t timeout_ns);
int tide_chan_pop_now(tide_chan_t *ch, void *item, int64_t timeout_ns);
/* Pops into item. Waits while empty. 0, -ETIMEDOUT, -ECANCELED, TIDE_ECLOSED (closed and
 * empty), TIDE_EKILLED, or -EPERM. */
int tide_chan_pop(tide_chan_t *ch, void *item, int64_t timeout_ns);
/* Pops without waiting: false when empty. */
bool tide_chan_try_pop(tide_chan_t *ch, void *item);
/* The i-th buffered item (0 = next to pop), i < tide_chan_length(). */
void *tide_chan_item(tide_chan_t *ch, size_t i);
/* Closes; false if it was closed already. */
bool tide_chan_close(tide_chan_t *ch);

bool tide_chan_closed(const tide_chan_t *ch);
size_t tide_chan_length(const tide_chan_t *ch);
size_t tide_chan_capacity(const tide_chan_t *ch);
size_t tide_chan_producers(const tide_chan_t *ch);
size_t tide_chan_consumers(const tide_chan_t *ch);

/* A wait group: a counter; wait() returns once it is zero. */
typedef struct tide_wg tide_wg_t;
tide_wg_t *tide_wg_create(tide_sched_t *s);
void tide_wg_destroy(tide_wg_t *wg);
void tide_wg_set_sched(tide_wg_t *wg, tide_sched_t *s);
/* Adds delta (may be negative); -ERANGE if the counter would go below zero (unchanged). */
int tide_wg_add(tide_wg_t *wg, int64_t delta);
int64_t tide_wg_count(const tide_wg_t *wg);
/* 0 once the counter is zero, -ETIMEDOUT, -ECANCELED, TIDE_EKILLED, -EPERM outside a
 * coroutine while the counter is not zero. */
int tide_wg_wait(tide_wg_t *wg, int64_t timeout_ns);
size_t tide_wg_waiters(const tide_wg_t *wg);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Coroutines: stackful, one scheduler per thread, on top of the thread's reactor.
 *
 * Model: tide_coro_create() runs the new coroutine at once, until it first suspends; then
 * the creator goes on. A coroutine that suspends (yield, wait, sleep) returns control to
 * whoever resumed it last (its origin). Coroutines made runnable by tide_coro_wake() wait
 * in a FIFO run queue that tide_sched_run() drains, in the thread's own ("main") context,
 * between turns of the reactor.
 *
 * The scheduler knows nothing of PHP: the on_switch hook saves and restores whatever a
 * language runtime keeps per coroutine, and `udata` carries its per-coroutine state.
 */
#ifndef TIDE_CORO_H
#define TIDE_CORO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tide/reactor.h"

typedef struct tide_sched tide_sched_t;
typedef struct tide_coro tide_coro_t;

typedef void (*tide_coro_fn)(tide_coro_t *co, void *arg);

typedef enum tide_coro_state {
    TIDE_CORO_RUNNING,  /* running, or waiting for a coroutine it resumed to come back */
    TIDE_CORO_READY,    /* in the run queue */
    TIDE_CORO_YIELDED,  /* suspended by tide_coro_yield(), until tide_coro_resume() */
    TIDE_CORO_WAITING,  /* suspended in tide_coro_wait(), until woken, timed out, cancelled */
    TIDE_CORO_DEAD,
} tide_coro_state_t;

typedef struct tide_sched_hooks {
    /* Called on every switch, before it, on the stack being left: save from's runtime
     * state and load to's. Either may be the main pseudo-coroutine. */
    void (*on_switch)(tide_coro_t *from, tide_coro_t *to, void *udata);
    /* Called when a coroutine is made, before it first runs, with the arg given to
     * tide_coro_create: set up its runtime state (udata). */
    void (*on_start)(tide_coro_t *co, void *arg, void *udata);
    /* Called when a dead coroutine is freed, off its stack: free what udata holds. */
    void (*on_exit)(tide_coro_t *co, void *udata);
    void *udata;
    /* Bytes of per-coroutine runtime state the scheduler provides next to each stack (no
     * allocation per coroutine); the coroutine's udata points at them. 0: udata = arg. The
     * main pseudo-coroutine gets such an area too (zeroed). */
    size_t state_size;
} tide_sched_hooks_t;

/* Makes the scheduler of a thread, on reactor r (which it does not own). */
tide_sched_t *tide_sched_create(tide_reactor_t *r, const tide_sched_hooks_t *hooks);
/* Frees the scheduler. Coroutines still alive must have been finished (tide_sched_kill_all)
 * or their stacks are released without unwinding them. */
void tide_sched_destroy(tide_sched_t *s);
tide_reactor_t *tide_sched_reactor(const tide_sched_t *s);

/* Limits: max_coroutine (0 = none) counts every live coroutine; stack size for new ones. */
void tide_sched_set_max(tide_sched_t *s, size_t max);
size_t tide_sched_max(const tide_sched_t *s);
void tide_sched_set_stack_size(tide_sched_t *s, size_t bytes);
size_t tide_sched_stack_size(const tide_sched_t *s);

typedef struct tide_sched_stats {
    size_t coroutine_num, coroutine_peak_num;
    int64_t coroutine_last_cid;
    size_t ready_num, stack_size, stacks_free, stacks_used, stack_slabs;
    uint64_t switch_count;
} tide_sched_stats_t;
void tide_sched_stats(const tide_sched_t *s, tide_sched_stats_t *out);

/*
 * Creates a coroutine running fn(co, arg) and switches to it at once; its udata is the
 * state area (hooks.state_size) or else arg. Returns its id (> 0),
 * or TIDE_ELIMIT when max_coroutine coroutines are alive, or -ENOMEM when no stack could
 * be mapped. The coroutine may already be dead when this returns.
 */
int64_t tide_coro_create(tide_sched_t *s, tide_coro_fn fn, void *arg);

/*
 * The first fields of every coroutine and of the scheduler, readable through the inline
 * functions below (they sit on every switch's path). Everything else is private.
 */
typedef struct tide_coro_head {
    int64_t id;        /* > 0; -1 for the main pseudo-coroutine */
    int64_t parent_id; /* -1 if the main context made it */
    tide_coro_state_t state;
    void *udata;
} tide_coro_head_t;

typedef struct tide_sched_head {
    tide_coro_t *current;
} tide_sched_head_t;

/* The running coroutine; the main pseudo-coroutine (id -1) outside any. */
static inline tide_coro_t *tide_coro_current(const tide_sched_t *s)
{
    return ((const tide_sched_head_t *)s)->current;
}
static inline bool tide_coro_is_main(const tide_coro_t *co)
{
    return ((const tide_coro_head_t *)co)->id < 0;
}
static inline int64_t tide_coro_id(const tide_coro_t *co)
{
    return ((const tide_coro_head_t *)co)->id;
}
/* Id of the coroutine that created co, -1 if the main context did. */
static inline int64_t tide_coro_parent_id(const tide_coro_t *co)
{
    return ((const tide_coro_head_t *)co)->parent_id;
}
static inline tide_coro_state_t tide_coro_state(const tide_coro_t *co)
{
    return ((const tide_coro_head_t *)co)->state;
}
static inline void *tide_coro_udata(const tide_coro_t *co)
{
    return ((const tide_coro_head_t *)co)->udata;
}
static inline void tide_coro_set_udata(tide_coro_t *co, void *udata)
{
    ((tide_coro_head_t *)co)->udata = udata;
}
tide_coro_t *tide_sched_main(const tide_sched_t *s);
/* The live coroutine with id cid, or NULL. */
tide_coro_t *tide_coro_find(tide_sched_t *s, int64_t cid);
const struct tide_stack *tide_coro_stack(const tide_coro_t *co);
bool tide_coro_canceled(const tide_coro_t *co);

/* Suspends the running coroutine until tide_coro_resume(). 0, or TIDE_EKILLED when the
 * scheduler is tearing the coroutine down (it must unwind and end). */
int tide_coro_yield(tide_sched_t *s);
/* Switches to a coroutine suspended by tide_coro_yield() now; returns when it suspends
 * again or ends. -ESRCH if it is not yielded. */
int tide_coro_resume(tide_sched_t *s, tide_coro_t *co);
/*
 * co NULL: tide_coro_yield(s); else tide_coro_resume(s, co). One function with one switch
 * in it, for callers that want every yield and resume to leave through the same call path.
 *
 * Why: a CPU predicts where `ret` goes from a small stack of the return addresses of recent
 * calls. After a switch, that stack holds the calls the *other* coroutine made on its way
 * down to the switch, and the switched-to coroutine now returns up its own path. Where the
 * two paths are the same functions at the same call sites, every return is predicted; where
 * they differ, each differing level costs a mispredicted return (about 15 cycles) on every
 * switch. Three differing levels made a C ping-pong take 64 ns a round trip instead of 32
 * (bench/context.c). The PHP layer enters this function from yield() and resume() through
 * one shared tail-called function, so that their paths match all the way up to the VM.
 */
int tide_coro_switch(tide_sched_t *s, tide_coro_t *co);

/*
 * Suspends the running coroutine until tide_coro_wake(), timeout_ns (< 0: none) or
 * tide_coro_cancel(). Returns 0 when woken, -ETIMEDOUT, -ECANCELED, or TIDE_EKILLED.
 * `cancelable` false: cancel does not end this wait.
 */
int tide_coro_wait(tide_sched_t *s, int64_t timeout_ns, bool cancelable);
/* Makes a waiting coroutine ready (it returns 0 from tide_coro_wait); false if it was
 * not waiting. */
bool tide_coro_wake(tide_sched_t *s, tide_coro_t *co);
/* While the running coroutine waits: fn(arg) is called if the scheduler is destroyed with
 * the coroutine still suspended (it is dropped, not unwound), so that the wait can take
 * itself off the queues of other objects. fn NULL clears it. */
/* Ends co's wait as tide_coro_wake() does, and runs it at once: the caller goes on when co
 * next suspends or ends (Swoole's order for a channel hand-off). From the main context (or a
 * stopping scheduler), only wakes it. False when co was not waiting. */
bool tide_coro_wake_switch(tide_sched_t *s, tide_coro_t *co);
void tide_coro_set_drop(tide_sched_t *s, void (*fn)(void *arg), void *arg);
/* Sleeps; 0 when the time is up, -ECANCELED, or TIDE_EKILLED. */
int tide_coro_sleep(tide_sched_t *s, int64_t ns);
/* Marks co cancelled; a cancelable wait it is in ends with -ECANCELED. false if co is not
 * in a cancelable wait (the mark is still set). */
bool tide_coro_cancel(tide_sched_t *s, tide_coro_t *co);

/*
 * Runs the run queue and the reactor until neither has anything left. Returns 0, or a
 * negative error from the reactor (TIDE_EFORKED in a forked child). tide_sched_stop()
 * makes it return after the coroutine or callback that called it.
 */
int tide_sched_run(tide_sched_t *s);
void tide_sched_stop(tide_sched_t *s);

/* Calls fn for every live coroutine (not main), oldest first. */
void tide_sched_foreach(const tide_sched_t *s, void (*fn)(tide_coro_t *co, void *arg),
                        void *arg);
/* Resumes every suspended coroutine with TIDE_EKILLED so it unwinds and ends; from main. */
void tide_sched_kill_all(tide_sched_t *s);

#endif

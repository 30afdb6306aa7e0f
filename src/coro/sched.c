/* SPDX-License-Identifier: MIT */
/*
 * The coroutine scheduler: creation (run at once), asymmetric suspend/resume, waits with
 * timeouts and cancellation, the FIFO run queue, and teardown. See include/tide/coro.h.
 */
#include <errno.h>
#include <string.h>

#include "tide/common.h"
#include "tide/context.h"
#include "tide/coro.h"
#include "tide/idmap.h"
#include "tide/stack.h"

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

struct tide_coro {
    tide_coro_head_t h; /* first: read by the inline accessors in coro.h */
    tide_sched_t *s;
    tide_context_t ctx;
    tide_stack_t *stack;
    tide_coro_t *origin; /* who resumed it last: where suspending returns to */
    tide_coro_fn fn;
    void *arg;
    int wake_result;
    tide_timer_t timer; /* the timeout of the current wait */
    bool cancelable, canceled, killed;
    tide_coro_t *ready_next;
    tide_coro_t *all_prev, *all_next;
    void (*drop_fn)(void *arg); /* see tide_coro_set_drop() */
    void *drop_arg;
#ifdef __SANITIZE_ADDRESS__
    const void *asan_bottom;
    size_t asan_size;
#endif
};

struct tide_sched {
    tide_sched_head_t h; /* first: h.current, read by tide_coro_current() */
    tide_reactor_t *r;
    tide_sched_hooks_t hooks;
    tide_coro_t main;
    tide_stack_pool_t stacks;
    tide_idmap_t ids;
    int64_t last_cid;
    size_t count, peak, max;
    tide_coro_t *ready_head, *ready_tail;
    size_t nready;
    tide_coro_t *all_head, *all_tail;
    bool stop;
    uint64_t switches;
    tide_coro_t *switch_from; /* ASan: the coroutine a switch came from */
    tide_coro_t *zombie;      /* ended, still on its stack: freed by whoever runs next */
    tide_coro_t *found;       /* the last tide_coro_find() answer (resume($cid) in a loop) */
};

#define DEFAULT_STACK_SIZE (256 * 1024)
/* The coroutine struct's share of the stack slot's extra area; the runtime's state follows. */
#define CORO_SIZE ((sizeof(struct tide_coro) + 63) & ~(size_t)63)

tide_sched_t *tide_sched_create(tide_reactor_t *r, const tide_sched_hooks_t *hooks)
{
    tide_sched_t *s = tide_calloc(1, sizeof(*s));
    s->r = r;
    if (hooks)
        s->hooks = *hooks;
    s->main.s = s;
    s->main.h.id = -1;
    s->main.h.parent_id = -1;
    s->main.h.state = TIDE_CORO_RUNNING;
    /* The main context has runtime state to save too, per scheduler: after fork a child may
     * make a scheduler while it still runs on a coroutine of the parent's. */
    if (s->hooks.state_size)
        s->main.h.udata = tide_calloc(1, s->hooks.state_size);
    s->h.current = &s->main;
    tide_stack_pool_init(&s->stacks, DEFAULT_STACK_SIZE, CORO_SIZE + s->hooks.state_size);
    tide_idmap_init(&s->ids);
    tide_reactor_set_pending(r, &s->nready);
    return s;
}

static void release(tide_sched_t *s, tide_coro_t *co)
{
    if (s->hooks.on_exit)
        s->hooks.on_exit(co, s->hooks.udata);
    if (co->all_prev)
        co->all_prev->all_next = co->all_next;
    else
        s->all_head = co->all_next;
    if (co->all_next)
        co->all_next->all_prev = co->all_prev;
    else
        s->all_tail = co->all_prev;
    tide_idmap_del(&s->ids, (uint64_t)co->h.id);
    if (s->found == co)
        s->found = NULL;
#ifdef __SANITIZE_ADDRESS__
    /* Its frames never returned: clear their redzones before the stack is reused. */
    ASAN_UNPOISON_MEMORY_REGION(co->stack->lo, co->stack->size);
#endif
    s->count--;
    tide_stack_put(&s->stacks, co->stack); /* co lives in the stack slot: last */
}

void tide_sched_destroy(tide_sched_t *s)
{
    tide_reactor_set_pending(s->r, NULL);
    /* First take the coroutines off what they wait in (their waiters live on the stacks that
     * go below): freeing one runs on_exit, which may free a channel another one waits in. */
    for (tide_coro_t *co = s->all_head; co; co = co->all_next)
        if (co->drop_fn) {
            co->drop_fn(co->drop_arg);
            co->drop_fn = NULL;
        }
    while (s->all_head) {
        tide_coro_t *co = s->all_head;
        tide_timer_stop(s->r, &co->timer);
        release(s, co);
    }
    tide_stack_pool_destroy(&s->stacks);
    tide_idmap_destroy(&s->ids);
    if (s->hooks.state_size)
        tide_free(s->main.h.udata);
    tide_free(s);
}

tide_reactor_t *tide_sched_reactor(const tide_sched_t *s)
{
    return s->r;
}

void tide_sched_set_max(tide_sched_t *s, size_t max)
{
    s->max = max;
}

size_t tide_sched_max(const tide_sched_t *s)
{
    return s->max;
}

void tide_sched_set_stack_size(tide_sched_t *s, size_t bytes)
{
    tide_stack_pool_resize(&s->stacks, bytes);
}

size_t tide_sched_stack_size(const tide_sched_t *s)
{
    return s->stacks.size;
}

void tide_sched_stats(const tide_sched_t *s, tide_sched_stats_t *out)
{
    out->coroutine_num = s->count;
    out->coroutine_peak_num = s->peak;
    out->coroutine_last_cid = s->last_cid;
    out->ready_num = s->nready;
    out->stack_size = s->stacks.size;
    out->stacks_free = s->stacks.nfree;
    out->stacks_used = s->stacks.nused;
    out->stack_slabs = s->stacks.nslabs;
    out->switch_count = s->switches;
}

/* ---- switching ---- */

#ifdef __SANITIZE_ADDRESS__
/* ASan must be told about stack switches; it learns the main stack's bounds from the first
 * switch away from it. */
static void asan_finish_switch(tide_sched_t *s, void *fake)
{
    const void *bottom;
    size_t size;
    __sanitizer_finish_switch_fiber(fake, &bottom, &size);
    if (tide_coro_is_main(s->switch_from)) {
        s->main.asan_bottom = bottom;
        s->main.asan_size = size;
    }
}
#endif

static void switch_to(tide_sched_t *s, tide_coro_t *from, tide_coro_t *to, bool from_dies)
{
    if (from->stack && TIDE_UNLIKELY(!tide_stack_canary_ok(from->stack)))
        tide_panic("C stack overflow in coroutine #%lld (its stack is %zu bytes); raise the "
                   "stack size",
                   (long long)from->h.id, from->stack->asked);
    if (s->hooks.on_switch)
        s->hooks.on_switch(from, to, s->hooks.udata);
    s->h.current = to;
    s->switches++;
#ifdef __SANITIZE_ADDRESS__
    void *fake = NULL;
    const void *bottom = to->stack ? to->stack->lo : to->asan_bottom;
    size_t size = to->stack ? to->stack->size : to->asan_size;
    s->switch_from = from;
    __sanitizer_start_switch_fiber(from_dies ? NULL : &fake, bottom, size);
    tide_context_switch(&from->ctx, &to->ctx);
    asan_finish_switch(s, fake);
#else
    TIDE_UNUSED(from_dies);
    tide_context_switch(&from->ctx, &to->ctx);
#endif
    /* Back on our own stack: a coroutine that ended and switched here can go now. */
    if (s->zombie) {
        tide_coro_t *dead = s->zombie;
        s->zombie = NULL;
        release(s, dead);
    }
}

/* Runs co (not running) from the current coroutine until it suspends or ends. */
static void resume_into(tide_sched_t *s, tide_coro_t *co)
{
    tide_coro_t *self = s->h.current;
    co->origin = self;
    co->h.state = TIDE_CORO_RUNNING;
    switch_to(s, self, co, false);
    /* Back here: co (or whatever it handed over to) suspended or ended. */
}

static tide_coro_t *dequeue_first(tide_sched_t *s)
{
    tide_coro_t *co = s->ready_head;
    s->ready_head = co->ready_next;
    if (!s->ready_head)
        s->ready_tail = NULL;
    s->nready--;
    return co;
}

/*
 * Where a coroutine that suspends or ends goes: back to its origin, except that when the
 * origin is the main context, the next ready coroutine runs at once in its place (one
 * switch per hand-off instead of two through main). It returns to main when it suspends.
 */
static tide_coro_t *next_after(tide_sched_t *s, tide_coro_t *self)
{
    tide_coro_t *origin = self->origin;
    if (!tide_coro_is_main(origin) || !s->ready_head || s->stop)
        return origin;
    tide_coro_t *next = dequeue_first(s);
    next->origin = origin;
    next->h.state = TIDE_CORO_RUNNING;
    return next;
}

/* Suspends the running coroutine in `state`. */
static void suspend(tide_sched_t *s, tide_coro_state_t state)
{
    tide_coro_t *self = s->h.current;
    self->h.state = state;
    switch_to(s, self, next_after(s, self), false);
}

static void trampoline(void *arg)
{
    tide_coro_t *co = arg;
    tide_sched_t *s = co->s;
#ifdef __SANITIZE_ADDRESS__
    asan_finish_switch(s, NULL);
#endif
    co->fn(co, co->arg);
    co->h.state = TIDE_CORO_DEAD;
    /* Whoever runs next frees the stack we stand on, once we are off it (switch_to). */
    s->zombie = co;
    switch_to(s, co, next_after(s, co), true);
    tide_panic("a dead coroutine was resumed");
}

int64_t tide_coro_create(tide_sched_t *s, tide_coro_fn fn, void *arg)
{
    if (s->max && s->count >= s->max)
        return TIDE_ELIMIT;
    tide_stack_t *stack = tide_stack_get(&s->stacks);
    if (!stack)
        return -ENOMEM;
    /* The coroutine and its runtime state live above its stack: no allocation. */
    tide_coro_t *co = (tide_coro_t *)stack->extra;
    memset(co, 0, sizeof(*co));
    co->timer.node.index = SIZE_MAX; /* not armed */
    co->s = s;
    co->h.id = ++s->last_cid;
    co->h.parent_id = s->h.current->h.id;
    co->fn = fn;
    co->arg = arg;
    co->h.udata = s->hooks.state_size ? stack->extra + CORO_SIZE : arg;
    co->stack = stack;
    tide_context_init(&co->ctx, stack->lo, stack->size, trampoline, co);
    co->all_prev = s->all_tail;
    if (s->all_tail)
        s->all_tail->all_next = co;
    else
        s->all_head = co;
    s->all_tail = co;
    tide_idmap_put(&s->ids, (uint64_t)co->h.id, co);
    if (++s->count > s->peak)
        s->peak = s->count;
    int64_t id = co->h.id;
    if (s->hooks.on_start)
        s->hooks.on_start(co, arg, s->hooks.udata);
    resume_into(s, co);
    /* Still alive (it suspended): it keeps its stack, and the next coroutine will get one
     * that has not been touched for a while. Load that one while the caller goes on. */
    if (tide_coro_find(s, id))
        tide_stack_prefetch_next(&s->stacks);
    return id;
}

/* ---- queries ---- */

tide_coro_t *tide_sched_main(const tide_sched_t *s)
{
    return (tide_coro_t *)&s->main;
}

tide_coro_t *tide_coro_find(tide_sched_t *s, int64_t cid)
{
    if (s->found && s->found->h.id == cid)
        return s->found;
    tide_coro_t *co = cid > 0 ? tide_idmap_get(&s->ids, (uint64_t)cid) : NULL;
    if (co)
        s->found = co;
    return co;
}

const struct tide_stack *tide_coro_stack(const tide_coro_t *co)
{
    return co->stack;
}

bool tide_coro_canceled(const tide_coro_t *co)
{
    return co->canceled;
}

/* ---- suspension ---- */

/*
 * yield and resume are one function with one switch in it, so that a coroutine that
 * yielded and one that resumed it were suspended at the same return address: see
 * tide_coro_switch() in coro.h.
 */
int tide_coro_switch(tide_sched_t *s, tide_coro_t *co)
{
    tide_coro_t *self = s->h.current, *to;
    if (co) {
        if (co->h.state != TIDE_CORO_YIELDED)
            return -ESRCH;
        co->origin = self;
        co->h.state = TIDE_CORO_RUNNING;
        to = co;
    } else {
        if (tide_coro_is_main(self))
            return -EPERM;
        if (self->killed)
            return TIDE_EKILLED;
        self->h.state = TIDE_CORO_YIELDED;
        to = next_after(s, self);
    }
    /* Opaque to the optimizer, so that it cannot copy the switch into each branch above:
     * the point is that there is one call site. */
    __asm__ volatile("" : "+r"(to), "+r"(co));
    switch_to(s, self, to, false);
    return !co && self->killed ? TIDE_EKILLED : 0;
}

int tide_coro_yield(tide_sched_t *s)
{
    return tide_coro_switch(s, NULL);
}

int tide_coro_resume(tide_sched_t *s, tide_coro_t *co)
{
    return co ? tide_coro_switch(s, co) : -ESRCH;
}

static void enqueue(tide_sched_t *s, tide_coro_t *co)
{
    co->h.state = TIDE_CORO_READY;
    co->ready_next = NULL;
    if (s->ready_tail)
        s->ready_tail->ready_next = co;
    else
        s->ready_head = co;
    s->ready_tail = co;
    s->nready++;
}

static bool make_ready(tide_coro_t *co, int result)
{
    tide_sched_t *s = co->s; /* its own scheduler, whoever wakes it */
    if (co->h.state != TIDE_CORO_WAITING)
        return false;
    tide_timer_stop(s->r, &co->timer);
    co->wake_result = result;
    enqueue(s, co);
    return true;
}

static void on_wait_timeout(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(id);
    tide_coro_t *co = udata;
    make_ready(co, -ETIMEDOUT);
}

int tide_coro_wait(tide_sched_t *s, int64_t timeout_ns, bool cancelable)
{
    tide_coro_t *self = s->h.current;
    if (tide_coro_is_main(self))
        return -EPERM;
    if (self->killed)
        return TIDE_EKILLED;
    self->canceled = false;
    self->cancelable = cancelable;
    self->wake_result = 0;
    if (timeout_ns >= 0)
        tide_timer_start(s->r, &self->timer, (uint64_t)timeout_ns, on_wait_timeout, self);
    suspend(s, TIDE_CORO_WAITING);
    self->cancelable = false;
    return self->wake_result;
}

bool tide_coro_wake(tide_sched_t *s, tide_coro_t *co)
{
    TIDE_UNUSED(s);
    return make_ready(co, 0);
}

bool tide_coro_wake_switch(tide_sched_t *s, tide_coro_t *co)
{
    tide_coro_t *self = s->h.current;
    if (tide_coro_is_main(self) || co->s != s || s->stop)
        return make_ready(co, 0);
    if (co->h.state != TIDE_CORO_WAITING)
        return false;
    tide_timer_stop(s->r, &co->timer);
    co->wake_result = 0;
    resume_into(s, co);
    return true;
}

void tide_coro_set_drop(tide_sched_t *s, void (*fn)(void *arg), void *arg)
{
    tide_coro_t *self = s->h.current;
    self->drop_fn = fn;
    self->drop_arg = arg;
}

int tide_coro_sleep(tide_sched_t *s, int64_t ns)
{
    int rc = tide_coro_wait(s, ns < 0 ? 0 : ns, true);
    return rc == -ETIMEDOUT ? 0 : rc;
}

bool tide_coro_cancel(tide_sched_t *s, tide_coro_t *co)
{
    TIDE_UNUSED(s);
    if (co->h.state != TIDE_CORO_WAITING || !co->cancelable)
        return false;
    co->canceled = true;
    return make_ready(co, -ECANCELED);
}

/* ---- running ---- */

int tide_sched_run(tide_sched_t *s)
{
    s->stop = false;
    for (;;) {
        while (s->ready_head && !s->stop)
            resume_into(s, dequeue_first(s));
        if (s->stop || !tide_reactor_alive(s->r))
            break;
        int rc = tide_reactor_run(s->r, TIDE_RUN_ONCE);
        if (rc < 0)
            return rc;
        if (s->stop)
            break;
    }
    s->stop = false;
    /* Out of work: give back the stacks a burst needed (a busy loop keeps them warm). */
    if (!s->count)
        tide_stack_pool_trim(&s->stacks);
    return 0;
}

void tide_sched_stop(tide_sched_t *s)
{
    s->stop = true;
    tide_reactor_stop(s->r);
}

void tide_sched_foreach(const tide_sched_t *s, void (*fn)(tide_coro_t *co, void *arg), void *arg)
{
    for (tide_coro_t *co = s->all_head, *next; co; co = next) {
        next = co->all_next;
        fn(co, arg);
    }
}

/* Takes co out of the run queue if it is there (short here: see tide_sched_kill_all). */
static void dequeue(tide_sched_t *s, tide_coro_t *co)
{
    for (tide_coro_t **p = &s->ready_head, *prev = NULL; *p; prev = *p, p = &(*p)->ready_next) {
        if (*p != co)
            continue;
        *p = co->ready_next;
        if (s->ready_tail == co)
            s->ready_tail = prev;
        s->nready--;
        return;
    }
}

void tide_sched_kill_all(tide_sched_t *s)
{
    /* Unwinding may start more coroutines; they are killed in the next round. */
    for (int round = 0; round < 100 && s->count; round++) {
        size_t n = s->count, i = 0;
        int64_t *ids = tide_malloc(n * sizeof(*ids));
        for (tide_coro_t *co = s->all_head; co && i < n; co = co->all_next)
            ids[i++] = co->h.id;
        s->ready_head = s->ready_tail = NULL;
        s->nready = 0;
        for (size_t j = 0; j < i; j++) {
            tide_coro_t *co = tide_coro_find(s, ids[j]);
            if (!co || co->h.state == TIDE_CORO_RUNNING || co->h.state == TIDE_CORO_DEAD)
                continue;
            /* One made ready since the round began (an earlier one's unwinding woke it) is
             * queued again: take it out before it dies, or the queue keeps a freed slot. */
            if (co->h.state == TIDE_CORO_READY)
                dequeue(s, co);
            co->killed = true;
            tide_timer_stop(s->r, &co->timer);
            co->wake_result = TIDE_EKILLED;
            resume_into(s, co);
        }
        tide_free(ids);
    }
    if (!s->count)
        tide_stack_pool_trim(&s->stacks);
}

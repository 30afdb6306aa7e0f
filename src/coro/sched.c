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
    tide_sched_t *s;
    int64_t id, parent_id;
    tide_coro_state_t state;
    tide_context_t ctx;
    tide_stack_t *stack;
    tide_coro_t *origin; /* who resumed it last: where suspending returns to */
    tide_coro_fn fn;
    void *arg;
    void *udata;
    int wake_result;
    uint64_t timer_id; /* the timeout of the current wait, 0 if none */
    bool cancelable, canceled, killed;
    tide_coro_t *ready_next;
    tide_coro_t *all_prev, *all_next;
#ifdef __SANITIZE_ADDRESS__
    const void *asan_bottom;
    size_t asan_size;
#endif
};

struct tide_sched {
    tide_reactor_t *r;
    tide_sched_hooks_t hooks;
    tide_coro_t main;
    tide_coro_t *current;
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
};

#define DEFAULT_STACK_SIZE (256 * 1024)

tide_sched_t *tide_sched_create(tide_reactor_t *r, const tide_sched_hooks_t *hooks)
{
    tide_sched_t *s = tide_calloc(1, sizeof(*s));
    s->r = r;
    if (hooks)
        s->hooks = *hooks;
    s->main.s = s;
    s->main.id = -1;
    s->main.parent_id = -1;
    s->main.state = TIDE_CORO_RUNNING;
    s->current = &s->main;
    tide_stack_pool_init(&s->stacks, DEFAULT_STACK_SIZE);
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
    tide_idmap_del(&s->ids, (uint64_t)co->id);
#ifdef __SANITIZE_ADDRESS__
    /* Its frames never returned: clear their redzones before the stack is reused. */
    ASAN_UNPOISON_MEMORY_REGION(co->stack->lo, co->stack->size);
#endif
    tide_stack_put(&s->stacks, co->stack);
    s->count--;
    tide_free(co);
}

void tide_sched_destroy(tide_sched_t *s)
{
    tide_reactor_set_pending(s->r, NULL);
    while (s->all_head) {
        tide_coro_t *co = s->all_head;
        if (co->timer_id)
            tide_timer_cancel(s->r, co->timer_id);
        release(s, co);
    }
    tide_stack_pool_destroy(&s->stacks);
    tide_idmap_destroy(&s->ids);
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
                   (long long)from->id, from->stack->size);
    if (s->hooks.on_switch)
        s->hooks.on_switch(from, to, s->hooks.udata);
    s->current = to;
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
}

/* Runs co (not running) from the current coroutine until it suspends or ends. */
static void resume_into(tide_sched_t *s, tide_coro_t *co)
{
    tide_coro_t *self = s->current;
    co->origin = self;
    co->state = TIDE_CORO_RUNNING;
    switch_to(s, self, co, false);
    /* Back here: co suspended or ended (whoever switched to us restored our state). */
    if (co->state == TIDE_CORO_DEAD)
        release(s, co);
}

/* Suspends the running coroutine in `state`, back to its origin. */
static void suspend(tide_sched_t *s, tide_coro_state_t state)
{
    tide_coro_t *self = s->current;
    self->state = state;
    switch_to(s, self, self->origin, false);
}

static void trampoline(void *arg)
{
    tide_coro_t *co = arg;
    tide_sched_t *s = co->s;
#ifdef __SANITIZE_ADDRESS__
    asan_finish_switch(s, NULL);
#endif
    co->fn(co, co->arg);
    co->state = TIDE_CORO_DEAD;
    /* Its origin frees the stack we stand on once we are off it (resume_into). */
    switch_to(s, co, co->origin, true);
    tide_panic("a dead coroutine was resumed");
}

int64_t tide_coro_create(tide_sched_t *s, tide_coro_fn fn, void *arg)
{
    if (s->max && s->count >= s->max)
        return TIDE_ELIMIT;
    tide_stack_t *stack = tide_stack_get(&s->stacks);
    if (!stack)
        return -ENOMEM;
    tide_coro_t *co = tide_calloc(1, sizeof(*co));
    co->s = s;
    co->id = ++s->last_cid;
    co->parent_id = s->current->id;
    co->fn = fn;
    co->arg = arg;
    co->udata = arg;
    co->stack = stack;
    tide_context_init(&co->ctx, stack->lo, stack->size, trampoline, co);
    co->all_prev = s->all_tail;
    if (s->all_tail)
        s->all_tail->all_next = co;
    else
        s->all_head = co;
    s->all_tail = co;
    tide_idmap_put(&s->ids, (uint64_t)co->id, co);
    if (++s->count > s->peak)
        s->peak = s->count;
    int64_t id = co->id;
    resume_into(s, co);
    return id;
}

/* ---- queries ---- */

tide_coro_t *tide_coro_current(const tide_sched_t *s)
{
    return s->current;
}

tide_coro_t *tide_sched_main(const tide_sched_t *s)
{
    return (tide_coro_t *)&s->main;
}

bool tide_coro_is_main(const tide_coro_t *co)
{
    return co->id < 0;
}

tide_coro_t *tide_coro_find(const tide_sched_t *s, int64_t cid)
{
    return cid > 0 ? tide_idmap_get(&s->ids, (uint64_t)cid) : NULL;
}

int64_t tide_coro_id(const tide_coro_t *co)
{
    return co->id;
}

int64_t tide_coro_parent_id(const tide_coro_t *co)
{
    return co->parent_id;
}

tide_coro_state_t tide_coro_state(const tide_coro_t *co)
{
    return co->state;
}

void *tide_coro_udata(const tide_coro_t *co)
{
    return co->udata;
}

void tide_coro_set_udata(tide_coro_t *co, void *udata)
{
    co->udata = udata;
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

int tide_coro_yield(tide_sched_t *s)
{
    tide_coro_t *self = s->current;
    if (tide_coro_is_main(self))
        return -EPERM;
    if (self->killed)
        return TIDE_EKILLED;
    suspend(s, TIDE_CORO_YIELDED);
    return self->killed ? TIDE_EKILLED : 0;
}

int tide_coro_resume(tide_sched_t *s, tide_coro_t *co)
{
    if (!co || co->state != TIDE_CORO_YIELDED)
        return -ESRCH;
    resume_into(s, co);
    return 0;
}

static void enqueue(tide_sched_t *s, tide_coro_t *co)
{
    co->state = TIDE_CORO_READY;
    co->ready_next = NULL;
    if (s->ready_tail)
        s->ready_tail->ready_next = co;
    else
        s->ready_head = co;
    s->ready_tail = co;
    s->nready++;
}

static bool make_ready(tide_sched_t *s, tide_coro_t *co, int result)
{
    if (co->state != TIDE_CORO_WAITING)
        return false;
    if (co->timer_id) {
        tide_timer_cancel(s->r, co->timer_id);
        co->timer_id = 0;
    }
    co->wake_result = result;
    enqueue(s, co);
    return true;
}

static void on_wait_timeout(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(id);
    tide_coro_t *co = udata;
    co->timer_id = 0; /* a one-shot timer is gone before its callback runs */
    make_ready(co->s, co, -ETIMEDOUT);
}

int tide_coro_wait(tide_sched_t *s, int64_t timeout_ns, bool cancelable)
{
    tide_coro_t *self = s->current;
    if (tide_coro_is_main(self))
        return -EPERM;
    if (self->killed)
        return TIDE_EKILLED;
    self->canceled = false;
    self->cancelable = cancelable;
    self->wake_result = 0;
    if (timeout_ns >= 0)
        self->timer_id = tide_timer_add_ns(s->r, (uint64_t)timeout_ns, 0, on_wait_timeout, self);
    suspend(s, TIDE_CORO_WAITING);
    self->cancelable = false;
    return self->wake_result;
}

bool tide_coro_wake(tide_sched_t *s, tide_coro_t *co)
{
    return make_ready(s, co, 0);
}

int tide_coro_sleep(tide_sched_t *s, int64_t ns)
{
    int rc = tide_coro_wait(s, ns < 0 ? 0 : ns, true);
    return rc == -ETIMEDOUT ? 0 : rc;
}

bool tide_coro_cancel(tide_sched_t *s, tide_coro_t *co)
{
    if (co->state != TIDE_CORO_WAITING || !co->cancelable)
        return false;
    co->canceled = true;
    return make_ready(s, co, -ECANCELED);
}

/* ---- running ---- */

int tide_sched_run(tide_sched_t *s)
{
    s->stop = false;
    for (;;) {
        while (s->ready_head && !s->stop) {
            tide_coro_t *co = s->ready_head;
            s->ready_head = co->ready_next;
            if (!s->ready_head)
                s->ready_tail = NULL;
            s->nready--;
            resume_into(s, co);
        }
        if (s->stop || !tide_reactor_alive(s->r))
            break;
        int rc = tide_reactor_run(s->r, TIDE_RUN_ONCE);
        if (rc < 0)
            return rc;
        if (s->stop)
            break;
    }
    s->stop = false;
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

void tide_sched_kill_all(tide_sched_t *s)
{
    /* Unwinding may start more coroutines; they are killed in the next round. */
    for (int round = 0; round < 100 && s->count; round++) {
        size_t n = s->count, i = 0;
        int64_t *ids = tide_malloc(n * sizeof(*ids));
        for (tide_coro_t *co = s->all_head; co && i < n; co = co->all_next)
            ids[i++] = co->id;
        s->ready_head = s->ready_tail = NULL;
        s->nready = 0;
        for (size_t j = 0; j < i; j++) {
            tide_coro_t *co = tide_coro_find(s, ids[j]);
            if (!co || co->state == TIDE_CORO_RUNNING || co->state == TIDE_CORO_DEAD)
                continue;
            co->killed = true;
            if (co->timer_id) {
                tide_timer_cancel(s->r, co->timer_id);
                co->timer_id = 0;
            }
            co->wake_result = TIDE_EKILLED;
            resume_into(s, co);
        }
        tide_free(ids);
    }
}

/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

#include "test.h"
#include "tide/channel.h"
#include "tide/common.h"
#include "tide/context.h"
#include "tide/coro.h"
#include "tide/stack.h"

/* ---- raw contexts: both implementations ---- */

static tide_context_t main_ctx, co_ctx;
static tide_ucontext_t main_uc, co_uc;
static int steps;
static double fp_seen;

static void ping(void *arg)
{
    volatile double x = *(double *)arg; /* floating point survives switches */
    for (;;) {
        steps++;
        fp_seen = x * 2;
        tide_context_switch(&co_ctx, &main_ctx);
    }
}

TEST(context_switch_round_trips_keep_registers_and_fp_state)
{
    static char stack[64 * 1024] __attribute__((aligned(16)));
    double arg = 1.25;
    tide_context_init(&co_ctx, stack, sizeof(stack), ping, &arg);
    volatile long keep = 0x1234567890abcdefL;
    for (int i = 0; i < 1000; i++)
        tide_context_switch(&main_ctx, &co_ctx);
    CHECK_EQ(steps, 1000);
    CHECK(fp_seen == 2.5);
    CHECK_EQ(keep, 0x1234567890abcdefL);
    CHECK(strlen(tide_context_impl()) > 0);
}

static void uping(void *arg)
{
    TIDE_UNUSED(arg);
    for (;;) {
        steps++;
        tide_ucontext_switch(&co_uc, &main_uc);
    }
}

TEST(ucontext_switch_round_trips)
{
    static char stack[64 * 1024] __attribute__((aligned(16)));
    tide_ucontext_init(&co_uc, stack, sizeof(stack), uping, NULL);
    for (int i = 0; i < 1000; i++)
        tide_ucontext_switch(&main_uc, &co_uc);
    CHECK_EQ(steps, 1000);
}

/* ---- stack pool ---- */

TEST(stack_pool_reuses_stacks_and_gives_slabs_back)
{
    tide_stack_pool_t p;
    tide_stack_pool_init(&p, 64 * 1024, 0);
    p.keep = 32;
    tide_stack_t *a = tide_stack_get(&p);
    CHECK(a != NULL);
    CHECK_EQ(a->asked, 64 * 1024);
    CHECK_EQ(a->size, 64 * 1024 + TIDE_STACK_TOP_OFFSET);
    CHECK(a->extra == a->lo + a->size);
    /* The top sits half-way into a page, so the top and the owner's state share it. */
    CHECK_EQ((uintptr_t)a->extra % 4096, TIDE_STACK_TOP_OFFSET);
    memset(a->lo, 0xab, a->size); /* the whole stack is writable */
    tide_stack_put(&p, a);
    CHECK(tide_stack_get(&p) == a); /* the warm one comes back first */
    tide_stack_put(&p, a);

    enum { N = 1000 };
    tide_stack_t **all = malloc(N * sizeof(*all));
    for (int i = 0; i < N; i++)
        all[i] = tide_stack_get(&p);
    size_t slabs = p.nslabs;
    CHECK(slabs >= N / 32);
    for (int i = 0; i < N; i++)
        tide_stack_put(&p, all[i]);
    CHECK_EQ(p.nused, 0);
    CHECK_EQ(p.nslabs, slabs); /* kept warm until a trim */
    tide_stack_pool_trim(&p);
    /* Back to what `keep` allows: one or two slabs, not 32. */
    CHECK(p.nslabs <= 3);
    CHECK(p.nfree <= p.keep + 64);
    tide_stack_pool_resize(&p, 128 * 1024);
    tide_stack_t *b = tide_stack_get(&p);
    CHECK_EQ(b->asked, 128 * 1024);
    tide_stack_put(&p, b);
    tide_stack_pool_destroy(&p);
    free(all);
}

TEST(stack_pool_resized_away_and_back_hands_out_its_free_stacks_again)
{
    tide_stack_pool_t p;
    tide_stack_pool_init(&p, 64 * 1024, 0);
    tide_stack_t *a = tide_stack_get(&p), *b = tide_stack_get(&p);
    tide_stack_put(&p, a);
    CHECK_EQ(p.nfree, 31); /* one slab of 32, b in use */
    tide_stack_pool_resize(&p, 128 * 1024); /* b's slab is of the old size now */
    CHECK_EQ(p.nfree, 0);
    tide_stack_pool_resize(&p, 64 * 1024); /* and current again */
    CHECK_EQ(p.nfree, 31);
    CHECK_EQ(p.nslabs, 1);
    tide_stack_t *c = tide_stack_get(&p);
    CHECK(c->slab == b->slab); /* no new slab: the free ones are reused */
    CHECK_EQ(c->asked, 64 * 1024);
    tide_stack_put(&p, c);
    tide_stack_put(&p, b);
    CHECK_EQ(p.nused, 0);
    CHECK_EQ(p.nfree, 32);
    tide_stack_pool_destroy(&p);
}

/* ---- the scheduler ---- */

static tide_sched_t *sched(tide_backend_t backend, tide_reactor_t **rp)
{
    tide_reactor_t *r = test_reactor(backend);
    *rp = r;
    return tide_sched_create(r, NULL);
}

static char trace[256];
static void note(const char *s)
{
    strcat(trace, s);
}

static void child_yields(tide_coro_t *co, void *arg)
{
    tide_sched_t *s = arg;
    CHECK(tide_coro_current(s) == co);
    note("b");
    CHECK_EQ(tide_coro_yield(s), 0);
    note("d");
}

REACTOR_TEST(create_runs_at_once_and_yield_returns_to_the_resumer)
{
    tide_reactor_t *r;
    tide_sched_t *s = sched(backend, &r);
    trace[0] = 0;
    note("a");
    int64_t id = tide_coro_create(s, child_yields, s);
    CHECK_EQ(id, 1);
    note("c");
    tide_coro_t *co = tide_coro_find(s, id);
    CHECK(co != NULL);
    CHECK_EQ(tide_coro_state(co), TIDE_CORO_YIELDED);
    CHECK_EQ(tide_coro_parent_id(co), -1);
    CHECK_EQ(tide_coro_resume(s, co), 0);
    note("e");
    CHECK_STR(trace, "abcde");
    CHECK(tide_coro_find(s, id) == NULL); /* dead and freed */
    CHECK_EQ(tide_coro_resume(s, co = NULL), -ESRCH);
    CHECK(tide_coro_is_main(tide_coro_current(s)));
    tide_sched_destroy(s);
    tide_reactor_destroy(r);
}

static void just_yield(tide_coro_t *co, void *arg)
{
    TIDE_UNUSED(co);
    tide_coro_yield(arg);
}

REACTOR_TEST(find_does_not_answer_for_a_dead_coroutine_whose_slot_was_reused)
{
    tide_reactor_t *r;
    tide_sched_t *s = sched(backend, &r);
    int64_t a = tide_coro_create(s, just_yield, s);
    tide_coro_t *ca = tide_coro_find(s, a); /* remembered by find */
    CHECK(ca != NULL);
    CHECK_EQ(tide_coro_resume(s, ca), 0); /* ends */
    int64_t b = tide_coro_create(s, just_yield, s);
    tide_coro_t *cb = tide_coro_find(s, b);
    CHECK(cb == ca); /* the same warm slot, a new coroutine */
    CHECK(tide_coro_find(s, a) == NULL);
    CHECK(tide_coro_find(s, b) == cb);
    CHECK(tide_coro_find(s, 0) == NULL);
    CHECK(tide_coro_find(s, -1) == NULL);
    CHECK_EQ(tide_coro_switch(s, cb), 0); /* resume through the shared path */
    CHECK(tide_coro_find(s, b) == NULL);
    CHECK_EQ(tide_coro_switch(s, NULL), -EPERM); /* main cannot yield */
    tide_sched_destroy(s);
    tide_reactor_destroy(r);
}

static int order[16], norder;

static tide_sched_t *the_sched;

static void sleeper(tide_coro_t *co, void *arg)
{
    TIDE_UNUSED(co);
    intptr_t ms = (intptr_t)arg;
    CHECK_EQ(tide_coro_sleep(the_sched, ms * 1000000), 0);
    order[norder++] = (int)ms;
}

static void start_sleeper(tide_sched_t *s, intptr_t ms)
{
    CHECK(tide_coro_create(s, sleeper, (void *)ms) > 0);
}

REACTOR_TEST(sleepers_wake_in_deadline_order_through_the_run_queue)
{
    tide_reactor_t *r;
    tide_sched_t *s = the_sched = sched(backend, &r);
    norder = 0;
    uint64_t t0 = tide_time_ns(); /* before the first sleep starts its timer */
    start_sleeper(s, 30);
    start_sleeper(s, 10);
    start_sleeper(s, 20);
    tide_sched_stats_t st;
    tide_sched_stats(s, &st);
    CHECK_EQ(st.coroutine_num, 3);
    CHECK_EQ(st.coroutine_peak_num, 3);
    CHECK_EQ(tide_sched_run(s), 0);
    CHECK(tide_time_ns() - t0 >= 30000000ull);
    CHECK_EQ(norder, 3);
    CHECK_EQ(order[0], 10);
    CHECK_EQ(order[1], 20);
    CHECK_EQ(order[2], 30);
    tide_sched_stats(s, &st);
    CHECK_EQ(st.coroutine_num, 0);
    tide_sched_destroy(s);
    tide_reactor_destroy(r);
}

static void long_sleeper(tide_coro_t *co, void *arg)
{
    TIDE_UNUSED(co);
    int *result = arg;
    *result = tide_coro_sleep(the_sched, 10000000000ll);
}

static void canceller(tide_coro_t *co, void *arg)
{
    TIDE_UNUSED(co);
    tide_coro_t *target = tide_coro_find(the_sched, *(int64_t *)arg);
    CHECK_EQ(tide_coro_sleep(the_sched, 5000000), 0);
    CHECK(tide_coro_cancel(the_sched, target));
    CHECK(!tide_coro_cancel(the_sched, target)); /* already woken */
}

REACTOR_TEST(cancel_wakes_a_sleeper_with_ecanceled)
{
    tide_reactor_t *r;
    tide_sched_t *s = the_sched = sched(backend, &r);
    int result = 1;
    int64_t id = tide_coro_create(s, long_sleeper, &result);
    tide_coro_create(s, canceller, &id);
    uint64_t t0 = tide_time_ns();
    CHECK_EQ(tide_sched_run(s), 0);
    CHECK(tide_time_ns() - t0 < 2000000000ull);
    CHECK_EQ(result, -ECANCELED);
    tide_sched_destroy(s);
    tide_reactor_destroy(r);
}

static void yield_forever(tide_coro_t *co, void *arg)
{
    TIDE_UNUSED(co);
    int *results = arg;
    results[0] = tide_coro_yield(the_sched);
    results[1] = tide_coro_sleep(the_sched, 1000); /* killed coroutines cannot wait again */
}

REACTOR_TEST(kill_all_unwinds_suspended_coroutines)
{
    tide_reactor_t *r;
    tide_sched_t *s = the_sched = sched(backend, &r);
    int a[2] = {1, 1}, b[2] = {1, 1};
    tide_coro_create(s, yield_forever, a);
    tide_coro_create(s, yield_forever, b);
    CHECK_EQ(tide_sched_run(s), 0); /* nothing can wake them: a deadlock */
    tide_sched_stats_t st;
    tide_sched_stats(s, &st);
    CHECK_EQ(st.coroutine_num, 2);
    tide_sched_kill_all(s);
    CHECK_EQ(a[0], TIDE_EKILLED);
    CHECK_EQ(a[1], TIDE_EKILLED);
    CHECK_EQ(b[0], TIDE_EKILLED);
    tide_sched_stats(s, &st);
    CHECK_EQ(st.coroutine_num, 0);
    tide_sched_destroy(s);
    tide_reactor_destroy(r);
}

static void nothing(tide_coro_t *co, void *arg)
{
    TIDE_UNUSED(co);
    TIDE_UNUSED(arg);
}

REACTOR_TEST(max_coroutine_limits_live_coroutines)
{
    tide_reactor_t *r;
    tide_sched_t *s = the_sched = sched(backend, &r);
    tide_sched_set_max(s, 2);
    int a[2], b[2];
    CHECK(tide_coro_create(s, yield_forever, a) > 0);
    CHECK(tide_coro_create(s, yield_forever, b) > 0);
    CHECK_EQ(tide_coro_create(s, nothing, NULL), TIDE_ELIMIT);
    tide_sched_kill_all(s);
    CHECK(tide_coro_create(s, nothing, NULL) > 0); /* room again */
    tide_sched_destroy(s);
    tide_reactor_destroy(r);
}

TEST(many_coroutines_reuse_pooled_stacks)
{
    tide_reactor_t *r;
    tide_sched_t *s = sched(TIDE_BACKEND_EPOLL, &r);
    for (int i = 0; i < 100000; i++)
        CHECK(tide_coro_create(s, nothing, NULL) > 0);
    tide_sched_stats_t st;
    tide_sched_stats(s, &st);
    CHECK_EQ(st.coroutine_num, 0);
    CHECK_EQ(st.coroutine_last_cid, 100000);
    CHECK_EQ(st.stack_slabs, 1); /* one slab served them all */
    tide_sched_destroy(s);
    tide_reactor_destroy(r);
}

/* ---- channels ---- */

typedef struct pp {
    tide_chan_t *in, *out;
    int n;
    long sum;
} pp_t;

static void pinger(tide_coro_t *co, void *arg)
{
    TIDE_UNUSED(co);
    pp_t *p = arg;
    for (long i = 1; i <= p->n; i++) {
        CHECK_EQ(tide_chan_push(p->out, &i, -1), 0);
        long back;
        CHECK_EQ(tide_chan_pop(p->in, &back, -1), 0);
        CHECK_EQ(back, i * 2);
        p->sum += back;
    }
    tide_chan_close(p->out);
}

static void ponger(tide_coro_t *co, void *arg)
{
    TIDE_UNUSED(co);
    pp_t *p = arg;
    long v;
    int rc;
    while ((rc = tide_chan_pop(p->out, &v, -1)) == 0) {
        v *= 2;
        CHECK_EQ(tide_chan_push(p->in, &v, -1), 0);
    }
    CHECK_EQ(rc, TIDE_ECLOSED);
}

REACTOR_TEST(channel_ping_pong_and_close)
{
    tide_reactor_t *r;
    tide_sched_t *s = sched(backend, &r);
    pp_t p = {tide_chan_create(s, 1, sizeof(long)), tide_chan_create(s, 1, sizeof(long)), 10000,
              0};
    tide_coro_create(s, ponger, &p);
    tide_coro_create(s, pinger, &p);
    CHECK_EQ(tide_sched_run(s), 0);
    CHECK_EQ(p.sum, 10000L * 10001L);
    tide_chan_destroy(p.in);
    tide_chan_destroy(p.out);
    tide_sched_destroy(s);
    tide_reactor_destroy(r);
}

typedef struct fifo {
    tide_chan_t *ch;
    int got[8], ngot;
    int rcs[8], nrc;
} fifo_t;

static fifo_t *F;

static void fifo_popper(tide_coro_t *co, void *arg)
{
    TIDE_UNUSED(co);
    int v = -1, rc = tide_chan_pop(F->ch, &v, (intptr_t)arg);
    F->rcs[F->nrc++] = rc;
    if (rc == 0)
        F->got[F->ngot++] = v;
}

static void fifo_pusher(tide_coro_t *co, void *arg)
{
    TIDE_UNUSED(co);
    TIDE_UNUSED(arg);
    for (int i = 1; i <= 3; i++)
        CHECK_EQ(tide_chan_push(F->ch, &i, -1), 0);
}

REACTOR_TEST(channel_waiters_are_served_in_fifo_order_and_timeouts_take_nothing)
{
    tide_reactor_t *r;
    tide_sched_t *s = sched(backend, &r);
    fifo_t f = {.ch = tide_chan_create(s, 1, sizeof(int))};
    F = &f;
    tide_coro_create(s, fifo_popper, (void *)(intptr_t)-1);
    tide_coro_create(s, fifo_popper, (void *)(intptr_t)1000000); /* times out after 1 ms */
    tide_coro_create(s, fifo_popper, (void *)(intptr_t)-1);
    tide_coro_create(s, fifo_popper, (void *)(intptr_t)-1);
    CHECK_EQ(tide_chan_consumers(f.ch), 4);
    CHECK_EQ(tide_sched_run(s) , 0); /* the 1 ms one times out; the others wait (deadlock) */
    CHECK_EQ(f.nrc, 1);
    CHECK_EQ(f.rcs[0], -ETIMEDOUT);
    tide_coro_create(s, fifo_pusher, NULL);
    CHECK_EQ(tide_sched_run(s), 0);
    CHECK_EQ(f.ngot, 3);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(f.got[i], i + 1);
    /* Zero timeout: never waits, even outside a coroutine. */
    int one = 7, out;
    CHECK_EQ(tide_chan_pop(f.ch, &out, 0), -ETIMEDOUT);
    CHECK_EQ(tide_chan_push(f.ch, &one, 0), 0);
    CHECK_EQ(tide_chan_push(f.ch, &one, 0), -ETIMEDOUT);
    CHECK_EQ(tide_chan_pop(f.ch, &out, 0), 0);
    /* Closed: pushes fail, buffered items still come out, then pops fail. */
    CHECK_EQ(tide_chan_push(f.ch, &one, 0), 0);
    CHECK(tide_chan_close(f.ch));
    CHECK(!tide_chan_close(f.ch));
    CHECK_EQ(tide_chan_push(f.ch, &one, 0), TIDE_ECLOSED);
    CHECK_EQ(tide_chan_pop(f.ch, &out, 0), 0);
    CHECK_EQ(out, 7);
    CHECK_EQ(tide_chan_pop(f.ch, &out, 0), TIDE_ECLOSED);
    tide_chan_destroy(f.ch);
    tide_sched_destroy(s);
    tide_reactor_destroy(r);
}

static tide_wg_t *WG;

static void wg_worker(tide_coro_t *co, void *arg)
{
    TIDE_UNUSED(co);
    CHECK_EQ(tide_coro_sleep(the_sched, (intptr_t)arg * 1000000), 0);
    CHECK_EQ(tide_wg_add(WG, -1), 0);
}

static void wg_waiter(tide_coro_t *co, void *arg)
{
    TIDE_UNUSED(co);
    *(int *)arg = tide_wg_wait(WG, -1);
}

REACTOR_TEST(wait_group_wakes_waiters_at_zero_and_refuses_going_negative)
{
    tide_reactor_t *r;
    tide_sched_t *s = the_sched = sched(backend, &r);
    WG = tide_wg_create(s);
    CHECK_EQ(tide_wg_add(WG, 3), 0);
    int res = 1;
    tide_coro_create(s, wg_waiter, &res);
    for (intptr_t ms = 1; ms <= 3; ms++)
        tide_coro_create(s, wg_worker, (void *)ms);
    CHECK_EQ(tide_sched_run(s), 0);
    CHECK_EQ(res, 0);
    CHECK_EQ(tide_wg_count(WG), 0);
    CHECK_EQ(tide_wg_add(WG, -1), -ERANGE);
    CHECK_EQ(tide_wg_count(WG), 0);
    CHECK_EQ(tide_wg_wait(WG, -1), 0); /* zero: no need to be in a coroutine */
    tide_wg_destroy(WG);
    tide_sched_destroy(s);
    tide_reactor_destroy(r);
}

/* ---- teardown: kills and drops ---- */

typedef struct handoff {
    tide_chan_t *ch;
    long v;
    int rc;
} handoff_t;

static void handoff_push(tide_coro_t *co, void *arg)
{
    TIDE_UNUSED(co);
    handoff_t *h = arg;
    h->rc = tide_chan_push(h->ch, &h->v, -1);
}

static void handoff_pop(tide_coro_t *co, void *arg)
{
    TIDE_UNUSED(co);
    handoff_t *h = arg;
    h->rc = tide_chan_pop(h->ch, &h->v, -1);
}

REACTOR_TEST(channel_handoff_stands_when_the_woken_coroutine_is_killed_in_the_run_queue)
{
    tide_reactor_t *r;
    tide_sched_t *s = sched(backend, &r);
    long one = 1, out = 0;
    handoff_t prod = {tide_chan_create(s, 1, sizeof(long)), 2, 99};
    handoff_t cons = {tide_chan_create(s, 1, sizeof(long)), 0, 99};
    CHECK_EQ(tide_chan_push(prod.ch, &one, 0), 0);
    tide_coro_create(s, handoff_push, &prod); /* full: waits */
    tide_coro_create(s, handoff_pop, &cons);  /* empty: waits */
    CHECK(tide_chan_try_pop(prod.ch, &out));  /* the producer's 2 joins the buffer */
    CHECK_EQ(tide_chan_push(cons.ch, &one, 0), 0); /* handed to the consumer */
    tide_sched_kill_all(s); /* both are READY: killed before they ran */
    CHECK_EQ(prod.rc, 0);   /* its item was taken: it must not free it */
    CHECK_EQ(cons.rc, 0);   /* it was given an item: it owns it */
    CHECK_EQ(cons.v, 1);
    CHECK(tide_chan_try_pop(prod.ch, &out));
    CHECK_EQ(out, 2);
    tide_chan_destroy(prod.ch);
    tide_chan_destroy(cons.ch);
    tide_sched_destroy(s);
    tide_reactor_destroy(r);
}

/* Swoole's order: tide_chan_push_now()/tide_chan_pop_now() run the waiter they end at
 * once, and the caller goes on when it suspends. */
typedef struct order {
    tide_chan_t *ch;
    char log[32];
    int n;
} order_t;

static order_t *O;

static void order_note(char c)
{
    O->log[O->n++] = c;
}

static void order_consumer(tide_coro_t *co, void *arg)
{
    TIDE_UNUSED(co);
    TIDE_UNUSED(arg);
    long v;
    order_note('w');                                        /* waits on the empty channel */
    CHECK_EQ(tide_chan_pop(O->ch, &v, -1), 0);
    order_note((char)('0' + v));                            /* runs before the pusher goes on */
    CHECK_EQ(tide_chan_pop(O->ch, &v, -1), 0);
    order_note((char)('0' + v));
}

static void order_producer(tide_coro_t *co, void *arg)
{
    TIDE_UNUSED(co);
    long v = (long)(intptr_t)arg;
    order_note('p');
    CHECK_EQ(tide_chan_push_now(O->ch, &v, -1), 0);
    order_note('P');
    v++;
    CHECK_EQ(tide_chan_push_now(O->ch, &v, -1), 0);
    order_note('Q');
}

static void order_filler(tide_coro_t *co, void *arg)
{
    TIDE_UNUSED(co);
    TIDE_UNUSED(arg);
    long v = 5;
    order_note('f');
    CHECK_EQ(tide_chan_push(O->ch, &v, -1), 0);       /* full: waits for room */
    order_note('F');
}

REACTOR_TEST(channel_now_runs_the_waiter_at_once_in_swooles_order)
{
    tide_reactor_t *r;
    tide_sched_t *s = sched(backend, &r);
    order_t o = {tide_chan_create(s, 1, sizeof(long)), {0}, 0};
    O = &o;
    tide_coro_create(s, order_consumer, NULL);
    tide_coro_create(s, order_producer, (void *)(intptr_t)1);
    CHECK_EQ(tide_sched_run(s), 0);
    /* the consumer took 1 before the producer went on, and 2 as well */
    CHECK_STR(o.log, "wp1P2Q");

    /* pop_now: taking from a full channel lets the waiting push in at once */
    o.n = 0;
    memset(o.log, 0, sizeof(o.log));
    long v = 4, out = 0;
    CHECK_EQ(tide_chan_push(o.ch, &v, 0), 0);
    tide_coro_create(s, order_filler, NULL);         /* waits: the channel is full */
    CHECK_STR(o.log, "f");
    /* from the main context: only woken, as the plain call would */
    CHECK_EQ(tide_chan_pop_now(o.ch, &out, 0), 0);
    CHECK_EQ(out, 4);
    CHECK_STR(o.log, "f");
    CHECK_EQ(tide_sched_run(s), 0);
    CHECK_STR(o.log, "fF");
    CHECK(tide_chan_try_pop(o.ch, &out));
    CHECK_EQ(out, 5);
    tide_chan_destroy(o.ch);
    tide_sched_destroy(s);
    tide_reactor_destroy(r);
}

static tide_coro_t *waker_target;

static void wakes_on_kill(tide_coro_t *co, void *arg)
{
    TIDE_UNUSED(co);
    TIDE_UNUSED(arg);
    if (tide_coro_yield(the_sched) == TIDE_EKILLED)
        tide_coro_wake(the_sched, waker_target); /* unwinding wakes another one */
}

static void waits_forever(tide_coro_t *co, void *arg)
{
    TIDE_UNUSED(arg);
    waker_target = co;
    tide_coro_wait(the_sched, -1, true);
}

REACTOR_TEST(kill_all_leaves_no_dead_coroutine_in_the_run_queue)
{
    tide_reactor_t *r;
    tide_sched_t *s = the_sched = sched(backend, &r);
    tide_coro_create(s, wakes_on_kill, NULL);
    tide_coro_create(s, waits_forever, NULL);
    tide_sched_kill_all(s);
    tide_sched_stats_t st;
    tide_sched_stats(s, &st);
    CHECK_EQ(st.coroutine_num, 0);
    CHECK_EQ(st.ready_num, 0);
    CHECK_EQ(tide_sched_run(s), 0); /* must not resume the freed one */
    tide_sched_destroy(s);
    tide_reactor_destroy(r);
}

REACTOR_TEST(destroying_the_scheduler_takes_dropped_waiters_off_channels)
{
    tide_reactor_t *r;
    tide_sched_t *s = sched(backend, &r);
    handoff_t cons = {tide_chan_create(s, 1, sizeof(long)), 0, 99};
    tide_coro_create(s, handoff_pop, &cons);
    CHECK_EQ(tide_chan_consumers(cons.ch), 1);
    tide_sched_destroy(s); /* drops the waiting consumer: its stack is unmapped */
    CHECK_EQ(tide_chan_consumers(cons.ch), 0);
    long one = 1;
    CHECK_EQ(tide_chan_push(cons.ch, &one, 0), 0); /* buffered: nobody to hand it to */
    tide_chan_destroy(cons.ch);
    tide_reactor_destroy(r);
}

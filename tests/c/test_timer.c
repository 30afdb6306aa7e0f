/* SPDX-License-Identifier: MIT */
/*
 * Timers against the loop's own wait (src/core/reactor.c, uring.c): a deadline is never
 * served late by a timeout armed for an older one, nor by a clock read before slow
 * callbacks.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test.h"
#include "tide/common.h"
#include "tide/reactor.h"

static void on_deadline_timer(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(id);
    FAILF("deadline reached: %s", (const char *)udata);
}

static void ignore_recv(tide_reactor_t *r, void *udata, const char *data, ssize_t n)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(data);
    if (n > 0)
        *(size_t *)udata += (size_t)n;
}

/* ---- io_uring: a stale loop timeout is reused and a timer fires far too late ---- */

static void stamp(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(id);
    *(uint64_t *)udata = tide_time_ns();
}

REACTOR_TEST(timer_is_not_delayed_by_an_older_loop_timeout)
{
    tide_reactor_t *r = test_reactor(backend);
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
    size_t got = 0;
    CHECK(tide_reactor_recv(r, sv[0], ignore_recv, &got, NULL) != NULL);
    uint64_t far = tide_timer_add(r, 3000, 0, on_deadline_timer, "far timer");
    tide_reactor_run(r, TIDE_RUN_NOWAIT); /* recv armed */
    /* A completion that is there before the next turn's loop timeout is armed: the wait
     * returns at once and that timeout (3 s) stays in the kernel. */
    CHECK_EQ(write(sv[1], "x", 1), 1);
    tide_reactor_run(r, TIDE_RUN_ONCE);
    while (got < 1)
        tide_reactor_run(r, TIDE_RUN_ONCE);

    uint64_t fired = 0;
    tide_timer_add(r, 30, 0, stamp, &fired); /* an earlier deadline: a second timeout */
    while (!fired)
        tide_reactor_run(r, TIDE_RUN_ONCE);

    fired = 0;
    uint64_t start = tide_time_ns();
    tide_timer_add(r, 50, 0, stamp, &fired); /* between the two: must not reuse the 3 s one */
    while (!fired)
        tide_reactor_run(r, TIDE_RUN_ONCE);
    uint64_t late_ms = (fired - start) / 1000000;
    if (late_ms > 500)
        FAILF("a 50 ms timer fired after %llu ms", (unsigned long long)late_ms);
    CHECK(tide_timer_cancel(r, far));
    close(sv[0]);
    close(sv[1]);
    tide_reactor_destroy(r);
}

/* ---- the loop's wait is computed from a clock read before the timer callbacks ---- */

typedef struct slow {
    uint64_t added, fired;
} slow_t;

static void note_fire(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(id);
    ((slow_t *)udata)->fired = tide_time_ns();
}

static void slow_callback(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(id);
    slow_t *s = udata;
    uint64_t until = tide_time_ns() + 300000000ull;
    while (tide_time_ns() < until)
        ; /* 300 ms of work in a timer callback */
    s->added = tide_time_ns();
    tide_timer_add(r, 10, 0, note_fire, s);
}

REACTOR_TEST(timer_added_by_a_slow_timer_callback_is_not_late)
{
    tide_reactor_t *r = test_reactor(backend);
    slow_t s = {0};
    tide_timer_add(r, 1, 0, slow_callback, &s);
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 0);
    uint64_t late_ms = (s.fired - s.added) / 1000000;
    if (late_ms > 150)
        FAILF("a 10 ms timer fired after %llu ms", (unsigned long long)late_ms);
    tide_reactor_destroy(r);
}

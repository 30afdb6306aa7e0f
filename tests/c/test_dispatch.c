/* SPDX-License-Identifier: MIT */
/*
 * dispatch_mode and the worker queues (src/server/dispatch.c) against tide/dispatch.h.
 */
#include <stdio.h>
#include <string.h>

#include "test.h"
#include "tide/common.h"
#include "tide/dispatch.h"

static void all_up(tide_dispatch_t *d)
{
    for (unsigned w = 0; w < d->workers; w++) {
        uint64_t *ready;
        CHECK_EQ(tide_dispatch_set_up(d, (int)w, true, &ready), 0);
        CHECK(ready == NULL);
    }
}

/* Picks a message of len bytes and hands it over; returns the worker. */
static int pick_add(tide_dispatch_t *d, int bound, size_t len)
{
    int wait_on = -12345;
    int w = tide_dispatch_pick(d, bound, len, &wait_on);
    CHECK(w >= 0);
    CHECK(w < (int)d->workers);
    CHECK_EQ(wait_on, -12345); /* only set when it must wait */
    tide_dispatch_add(d, w, len);
    return w;
}

/* What done/set_up/lost released, as "a,b,c" (ready freed). */
static const char *released(size_t n, uint64_t *ready, char *buf, size_t cap)
{
    buf[0] = 0;
    size_t off = 0;
    if (n == 0)
        CHECK(ready == NULL);
    for (size_t i = 0; i < n; i++)
        off += (size_t)snprintf(buf + off, cap - off, "%s%llu", i ? "," : "",
                                (unsigned long long)ready[i]);
    tide_free(ready);
    return buf;
}

#define DONE(d, w, len, want)                                                                      \
    do {                                                                                           \
        uint64_t *r_;                                                                              \
        char b_[256];                                                                              \
        size_t n_ = tide_dispatch_done(d, w, 1, len, &r_);                                            \
        CHECK_STR(released(n_, r_, b_, sizeof(b_)), want);                                         \
    } while (0)

#define SET_UP(d, w, up, want)                                                                     \
    do {                                                                                           \
        uint64_t *r_;                                                                              \
        char b_[256];                                                                              \
        size_t n_ = tide_dispatch_set_up(d, w, up, &r_);                                           \
        CHECK_STR(released(n_, r_, b_, sizeof(b_)), want);                                         \
    } while (0)

#define LOST(d, w, want)                                                                           \
    do {                                                                                           \
        uint64_t *r_;                                                                              \
        char b_[256];                                                                              \
        size_t n_ = tide_dispatch_lost(d, w, &r_);                                                 \
        CHECK_STR(released(n_, r_, b_, sizeof(b_)), want);                                         \
    } while (0)

/* ---- bind ---- */

TEST(dispatch_bind_by_session_is_fixed_and_spreads_evenly)
{
    tide_dispatch_t d;
    tide_dispatch_init(&d, 2, 4, 0, 0);
    CHECK(!tide_dispatch_per_message(&d));
    unsigned per[4] = {0};
    for (uint64_t s = 1; s <= 1000; s++) {
        int w = tide_dispatch_bind(&d, s, "10.0.0.1");
        CHECK(w >= 0 && w < 4);
        CHECK_EQ(tide_dispatch_bind(&d, s, "192.168.1.1"), w); /* the address plays no part */
        per[w]++;
    }
    for (int w = 0; w < 4; w++)
        CHECK_EQ(per[w], 250);
    tide_dispatch_destroy(&d);
}

TEST(dispatch_bind_by_address_is_fixed_and_spreads_over_workers)
{
    tide_dispatch_t d;
    tide_dispatch_init(&d, 4, 4, 0, 0);
    CHECK(!tide_dispatch_per_message(&d));
    unsigned per[4] = {0};
    for (int i = 0; i < 1000; i++) {
        char ip[64];
        snprintf(ip, sizeof(ip), "10.%d.%d.%d", i / 200, (i / 7) % 256, i % 256);
        int w = tide_dispatch_bind(&d, 1, ip);
        CHECK(w >= 0 && w < 4);
        /* The same address from another connection: the same worker. */
        CHECK_EQ(tide_dispatch_bind(&d, (uint64_t)i + 77, ip), w);
        per[w]++;
    }
    for (int w = 0; w < 4; w++)
        if (per[w] < 150)
            FAILF("worker %d got %u of 1000 addresses", w, per[w]);
    /* IPv6 and unix-socket peers too. */
    CHECK_EQ(tide_dispatch_bind(&d, 1, "::1"), tide_dispatch_bind(&d, 9, "::1"));
    int w = tide_dispatch_bind(&d, 1, "");
    CHECK(w >= 0 && w < 4);
    tide_dispatch_destroy(&d);
}

TEST(dispatch_bind_is_minus_one_for_the_per_message_modes)
{
    for (int mode = 1; mode <= 3; mode += 2) {
        tide_dispatch_t d;
        tide_dispatch_init(&d, mode, 3, 0, 0);
        CHECK(tide_dispatch_per_message(&d));
        CHECK_EQ(tide_dispatch_bind(&d, 1, "127.0.0.1"), -1);
        CHECK_EQ(tide_dispatch_bind(&d, 5, "::1"), -1);
        tide_dispatch_destroy(&d);
    }
}

/* ---- pick ---- */

TEST(dispatch_round_robin_takes_turns_and_skips_workers_down_or_full)
{
    tide_dispatch_t d;
    tide_dispatch_init(&d, 1, 3, 2, 0);
    all_up(&d);
    /* Every worker in turn. */
    int first = pick_add(&d, -1, 1);
    for (int i = 1; i < 3; i++)
        CHECK_EQ(pick_add(&d, -1, 1), (first + i) % 3);
    for (int w = 0; w < 3; w++)
        DONE(&d, w, 1, "");

    /* Worker 1 down: never picked, the others still take turns. */
    SET_UP(&d, 1, false, "");
    int seen[3] = {0};
    for (int i = 0; i < 4; i++) {
        int w = pick_add(&d, -1, 1);
        DONE(&d, w, 1, "");
        seen[w]++;
    }
    CHECK_EQ(seen[1], 0);
    CHECK_EQ(seen[0], 2);
    CHECK_EQ(seen[2], 2);
    SET_UP(&d, 1, true, "");

    /* Worker 2 full (max_count 2): never picked. */
    tide_dispatch_add(&d, 2, 1);
    tide_dispatch_add(&d, 2, 1);
    CHECK(tide_dispatch_full(&d, 2, 1));
    memset(seen, 0, sizeof(seen));
    for (int i = 0; i < 6; i++) {
        int w = pick_add(&d, -1, 1);
        DONE(&d, w, 1, "");
        seen[w]++;
    }
    CHECK_EQ(seen[2], 0);
    CHECK(seen[0] >= 2 && seen[1] >= 2);
    tide_dispatch_destroy(&d);
}

TEST(dispatch_mode_3_picks_the_least_loaded_worker)
{
    tide_dispatch_t d;
    tide_dispatch_init(&d, 3, 4, 0, 0);
    all_up(&d);
    /* Loads 3, 1, 0, 2: worker 2 has the fewest. */
    const int load[4] = {3, 1, 0, 2};
    for (int w = 0; w < 4; w++)
        for (int k = 0; k < load[w]; k++)
            tide_dispatch_add(&d, w, 10);
    CHECK_EQ(pick_add(&d, -1, 10), 2); /* 3 1 1 2 */
    int w = pick_add(&d, -1, 10);      /* 1 or 2 */
    CHECK(w == 1 || w == 2);
    /* Whatever the turn, never one with more than the least. */
    for (int i = 0; i < 40; i++) {
        uint32_t least = UINT32_MAX;
        for (int k = 0; k < 4; k++)
            if (d.q[k].count < least)
                least = d.q[k].count;
        w = pick_add(&d, -1, 10);
        CHECK_EQ(d.q[w].count - 1, least);
        if (i % 3 == 0)
            DONE(&d, i % 4, 10, "");
    }
    /* A worker that is down is not picked even when idle. */
    tide_dispatch_t e;
    tide_dispatch_init(&e, 3, 2, 0, 0);
    all_up(&e);
    tide_dispatch_add(&e, 1, 1);
    SET_UP(&e, 0, false, "");
    CHECK_EQ(pick_add(&e, -1, 1), 1);
    tide_dispatch_destroy(&e);
    tide_dispatch_destroy(&d);
}

TEST(dispatch_a_full_bound_worker_makes_the_message_wait_on_it)
{
    tide_dispatch_t d;
    tide_dispatch_init(&d, 2, 3, 2, 0);
    all_up(&d);
    CHECK_EQ(pick_add(&d, 1, 5), 1);
    CHECK_EQ(pick_add(&d, 1, 5), 1);
    int wait_on = -1;
    CHECK_EQ(tide_dispatch_pick(&d, 1, 5, &wait_on), -1);
    CHECK_EQ(wait_on, 1);
    /* The others are not full: they still take theirs. */
    CHECK_EQ(pick_add(&d, 0, 5), 0);
    /* A bound worker that is down still gets its messages (held for its successor). */
    SET_UP(&d, 2, false, "");
    CHECK_EQ(pick_add(&d, 2, 5), 2);
    tide_dispatch_destroy(&d);
}

TEST(dispatch_every_worker_full_makes_the_message_wait_on_any)
{
    for (int mode = 1; mode <= 3; mode += 2) {
        tide_dispatch_t d;
        tide_dispatch_init(&d, mode, 3, 1, 0);
        all_up(&d);
        for (int i = 0; i < 3; i++)
            pick_add(&d, -1, 1);
        int wait_on = -1;
        CHECK_EQ(tide_dispatch_pick(&d, -1, 1, &wait_on), -1);
        CHECK_EQ(wait_on, 3); /* d->workers: any */
        /* Full ones and down ones: still "any". */
        SET_UP(&d, 0, false, "");
        DONE(&d, 0, 1, "");
        wait_on = -1;
        CHECK_EQ(tide_dispatch_pick(&d, -1, 1, &wait_on), -1);
        CHECK_EQ(wait_on, 3);
        tide_dispatch_destroy(&d);
    }
}

TEST(dispatch_with_no_worker_up_still_picks_one)
{
    for (int mode = 1; mode <= 3; mode += 2) {
        tide_dispatch_t d;
        tide_dispatch_init(&d, mode, 3, 4, 0);
        /* None up yet (or all being replaced): each message goes to one, held there. */
        int seen[3] = {0};
        for (int i = 0; i < 6; i++)
            seen[pick_add(&d, -1, 1)]++;
        for (int w = 0; w < 3; w++)
            CHECK(seen[w] > 0); /* spread, not all on one */
        tide_dispatch_destroy(&d);
    }
}

TEST(dispatch_a_message_larger_than_max_bytes_still_goes_to_an_empty_queue)
{
    tide_dispatch_t d;
    tide_dispatch_init(&d, 2, 2, 0, 1000);
    all_up(&d);
    CHECK(!tide_dispatch_full(&d, 0, 5000));
    CHECK_EQ(pick_add(&d, 0, 5000), 0);
    /* Now it holds more than the bound: even one byte waits. */
    int wait_on = -1;
    CHECK(tide_dispatch_full(&d, 0, 1));
    CHECK_EQ(tide_dispatch_pick(&d, 0, 1, &wait_on), -1);
    CHECK_EQ(wait_on, 0);
    DONE(&d, 0, 5000, "");
    /* Under the bound, a message that would cross it waits behind one that is there. */
    CHECK_EQ(pick_add(&d, 1, 600), 1);
    CHECK(!tide_dispatch_full(&d, 1, 400));
    CHECK(tide_dispatch_full(&d, 1, 401));
    CHECK_EQ(pick_add(&d, 1, 400), 1);
    CHECK(tide_dispatch_full(&d, 1, 1));
    tide_dispatch_destroy(&d);
}

/* ---- waiting and draining ---- */

TEST(dispatch_waiters_proceed_only_once_the_queue_drained_to_half)
{
    tide_dispatch_t d;
    tide_dispatch_init(&d, 2, 2, 4, 0);
    all_up(&d);
    for (int i = 0; i < 4; i++)
        pick_add(&d, 0, 1);
    int wait_on;
    CHECK_EQ(tide_dispatch_pick(&d, 0, 1, &wait_on), -1);
    tide_dispatch_wait(&d, wait_on, 30);
    tide_dispatch_wait(&d, wait_on, 10);
    tide_dispatch_wait(&d, wait_on, 20);
    /* 3 of 4: not full any more, but not drained either (hysteresis). */
    DONE(&d, 0, 1, "");
    CHECK(!tide_dispatch_full(&d, 0, 1));
    DONE(&d, 0, 1, "30,10,20"); /* 2 of 4: half; in the order they came */
    DONE(&d, 0, 1, "");         /* nobody waits any more */

    /* The same on bytes. */
    tide_dispatch_t b;
    tide_dispatch_init(&b, 4, 1, 0, 1000);
    all_up(&b);
    pick_add(&b, 0, 700);
    pick_add(&b, 0, 300);
    CHECK_EQ(tide_dispatch_pick(&b, 0, 1, &wait_on), -1);
    for (uint64_t s = 1; s <= 40; s++) /* past the array's first growth */
        tide_dispatch_wait(&b, wait_on, s);
    DONE(&b, 0, 300, ""); /* 700 > 500 */
    pick_add(&b, 0, 100);
    DONE(&b, 0, 100, "");
    uint64_t *ready;
    size_t n = tide_dispatch_done(&b, 0, 1, 700, &ready); /* 0 */
    CHECK_EQ(n, 40);
    for (size_t i = 0; i < n; i++)
        CHECK_EQ(ready[i], i + 1);
    tide_free(ready);
    tide_dispatch_destroy(&b);
    tide_dispatch_destroy(&d);
}

TEST(dispatch_waiters_on_any_proceed_when_any_worker_drains)
{
    tide_dispatch_t d;
    tide_dispatch_init(&d, 1, 3, 2, 0);
    all_up(&d);
    for (int i = 0; i < 6; i++)
        pick_add(&d, -1, 1);
    int wait_on;
    CHECK_EQ(tide_dispatch_pick(&d, -1, 1, &wait_on), -1);
    CHECK_EQ(wait_on, 3);
    tide_dispatch_wait(&d, wait_on, 7);
    tide_dispatch_wait(&d, wait_on, 8);
    DONE(&d, 2, 1, "7,8"); /* worker 2 at 1 of 2: half */
    DONE(&d, 1, 1, "");
    /* A worker's own waiters go first; "any" waits for the next drain. */
    tide_dispatch_t e;
    tide_dispatch_init(&e, 1, 2, 2, 0);
    all_up(&e);
    tide_dispatch_add(&e, 0, 1);
    tide_dispatch_add(&e, 0, 1);
    tide_dispatch_add(&e, 1, 1);
    tide_dispatch_add(&e, 1, 1);
    tide_dispatch_wait(&e, 0, 1);
    tide_dispatch_wait(&e, 2, 2);
    DONE(&e, 0, 1, "1");
    DONE(&e, 1, 1, "2");
    tide_dispatch_destroy(&e);
    tide_dispatch_destroy(&d);
}

TEST(dispatch_set_up_false_keeps_counts_and_true_releases_waiters)
{
    tide_dispatch_t d;
    tide_dispatch_init(&d, 2, 2, 2, 0);
    all_up(&d);
    pick_add(&d, 0, 1);
    SET_UP(&d, 0, false, "");
    /* What it had still counts until it says done. */
    CHECK_EQ(d.q[0].count, 1);
    pick_add(&d, 0, 1); /* held for its successor */
    CHECK(tide_dispatch_full(&d, 0, 1));
    int wait_on;
    CHECK_EQ(tide_dispatch_pick(&d, 0, 1, &wait_on), -1);
    tide_dispatch_wait(&d, wait_on, 41);
    tide_dispatch_wait(&d, wait_on, 42);
    /* Back up while still full: they keep waiting. */
    SET_UP(&d, 0, true, "");
    SET_UP(&d, 0, false, "");
    DONE(&d, 0, 1, "41,42");
    /* Waiting on a worker being replaced (not full): its successor coming up releases it. */
    CHECK(!tide_dispatch_full(&d, 0, 1));
    tide_dispatch_wait(&d, 0, 43);
    SET_UP(&d, 0, true, "43");

    /* Per message: a worker coming up releases what waits for any. */
    tide_dispatch_t e;
    tide_dispatch_init(&e, 3, 2, 1, 0);
    pick_add(&e, -1, 1);
    pick_add(&e, -1, 1);
    tide_dispatch_wait(&e, 2, 5);
    SET_UP(&e, 1, true, "5");
    tide_dispatch_destroy(&e);
    tide_dispatch_destroy(&d);
}

TEST(dispatch_lost_empties_the_queue_and_releases_its_waiters)
{
    tide_dispatch_t d;
    tide_dispatch_init(&d, 2, 2, 3, 1000);
    all_up(&d);
    for (int i = 0; i < 3; i++)
        pick_add(&d, 1, 100);
    int wait_on;
    CHECK_EQ(tide_dispatch_pick(&d, 1, 1, &wait_on), -1);
    tide_dispatch_wait(&d, wait_on, 9);
    tide_dispatch_wait(&d, wait_on, 3);
    SET_UP(&d, 1, false, "");
    LOST(&d, 1, "9,3");
    CHECK_EQ(d.q[1].count, 0);
    CHECK_EQ(d.q[1].bytes, 0);
    CHECK(!tide_dispatch_full(&d, 1, 1000));
    /* Done for what was lost is counted from nothing, not below it. */
    DONE(&d, 1, 100, "");
    CHECK_EQ(d.q[1].count, 0);
    CHECK_EQ(d.q[1].bytes, 0);
    LOST(&d, 0, "");
    tide_dispatch_destroy(&d);
    tide_dispatch_destroy(&d); /* twice: nothing left to free */
}

TEST(dispatch_destroy_frees_the_waiting_lists)
{
    /* Under SAN=1, LeakSanitizer checks that nothing is left. */
    tide_dispatch_t d;
    tide_dispatch_init(&d, 1, 8, 1, 0);
    for (unsigned q = 0; q <= 8; q++)
        for (uint64_t s = 0; s < 100; s++)
            tide_dispatch_wait(&d, (int)q, s + 1);
    tide_dispatch_destroy(&d);
    CHECK(d.q == NULL);
}

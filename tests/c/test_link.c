/* SPDX-License-Identifier: MIT */
/*
 * IPC links (src/server/link.c): whole messages over a SOCK_SEQPACKET socketpair, on every
 * reactor backend, and descriptor passing (src/server/sock.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test.h"
#include "tide/common.h"
#include "tide/ipc.h"
#include "tide/log.h"
#include "tide/link.h"
#include "tide/sock.h"

static void link_deadline(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(id);
    FAILF("deadline reached: %s", (const char *)udata);
}

static void guard(tide_reactor_t *r, uint64_t ms, const char *what)
{
    tide_timer_unref(r, tide_timer_add(r, ms, 0, link_deadline, (void *)what));
}

static void seqpacket_pair(int sv[2])
{
    CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
}

static void quiet(int level, const char *line, void *udata)
{
    TIDE_UNUSED(level);
    TIDE_UNUSED(line);
    TIDE_UNUSED(udata);
}

/* ---- every size, both ways ---- */

static const size_t sizes[] = {0, 1, 100, TIDE_IPC_PACKET - sizeof(tide_ipc_hdr_t), 16384,
                               100 * 1024, 1 << 20};
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

static char *pattern(size_t len, unsigned seed)
{
    char *p = malloc(len ? len : 1);
    for (size_t i = 0; i < len; i++)
        p[i] = (char)(i * 31 + seed + i / 251);
    return p;
}

typedef struct end {
    tide_link_t l;
    size_t got;
    unsigned seed; /* of what the other end sends */
} end_t;

static int *ends_done;

static void sized_msg(tide_link_t *l, void *udata, int type, uint64_t session, uint32_t worker,
                      const char *payload, size_t len)
{
    end_t *e = udata;
    CHECK(l == &e->l);
    size_t i = e->got++;
    CHECK(i < NSIZES);
    CHECK_EQ(type, (int)(10 + i));
    CHECK_EQ(session, 1000000000000ull + i);
    CHECK_EQ(worker, 7 * i + e->seed);
    CHECK_EQ(len, sizes[i]);
    char *want = pattern(len, e->seed + (unsigned)i);
    CHECK(memcmp(payload, want, len) == 0);
    free(want);
    if (e->got == NSIZES && ++*ends_done == 2)
        tide_reactor_stop(l->r);
}

static void no_gone(tide_link_t *l, void *udata, int err)
{
    TIDE_UNUSED(l);
    TIDE_UNUSED(udata);
    FAILF("on_gone(%s) while the peer is alive", tide_strerror(err));
}

static void send_all_sizes(end_t *from, unsigned seed)
{
    for (size_t i = 0; i < NSIZES; i++) {
        char *p = pattern(sizes[i], seed + (unsigned)i);
        uint32_t worker = (uint32_t)(7 * i + seed);
        if (i % 2) {
            /* In two pieces: a small head and the rest. */
            size_t head = sizes[i] < 10 ? sizes[i] : 10;
            CHECK_EQ(tide_link_send2(&from->l, (int)(10 + i), 1000000000000ull + i, worker, p,
                                     head, p + head, sizes[i] - head),
                     0);
        } else {
            CHECK_EQ(tide_link_send(&from->l, (int)(10 + i), 1000000000000ull + i, worker, p,
                                    sizes[i]),
                     0);
        }
        free(p); /* the link copied it */
    }
}

REACTOR_TEST(link_messages_of_every_size_cross_both_ways)
{
    tide_reactor_t *r = test_reactor(backend);
    int sv[2];
    seqpacket_pair(sv);
    int done = 0;
    ends_done = &done;
    end_t a = {.seed = 50}, b = {.seed = 3};
    CHECK_EQ(tide_link_open(&a.l, r, sv[0], -1, sized_msg, no_gone, &a), 0);
    CHECK_EQ(tide_link_open(&b.l, r, sv[1], -1, sized_msg, no_gone, &b), 0);
    send_all_sizes(&a, 3);  /* b reads them with seed 3 */
    send_all_sizes(&b, 50); /* and a with seed 50 */
    guard(r, 10000, "messages of every size");
    CHECK(tide_reactor_run(r, TIDE_RUN_DEFAULT) >= 0);
    CHECK_EQ(a.got, NSIZES);
    CHECK_EQ(b.got, NSIZES);
    /* Once more, after a turn, as separate turns. */
    a.got = b.got = 0;
    done = 0;
    send_all_sizes(&a, 3);
    CHECK(tide_reactor_run(r, TIDE_RUN_NOWAIT) >= 0);
    send_all_sizes(&b, 50);
    CHECK(tide_reactor_run(r, TIDE_RUN_DEFAULT) >= 0);
    CHECK_EQ(a.got, NSIZES);
    CHECK_EQ(b.got, NSIZES);
    tide_link_close(&a.l);
    tide_link_close(&b.l);
    CHECK_EQ(a.l.fd, -1);
    CHECK(tide_reactor_run(r, TIDE_RUN_DEFAULT) >= 0);
    tide_reactor_destroy(r);
}

/* ---- many small messages in one turn share packets ---- */

typedef struct counter {
    tide_ipc_reader_t reader;
    int packets;
    int msgs;
    int want;
    int order_ok;
} counter_t;

static int count_one(void *udata, const tide_ipc_hdr_t *hdr, const char *payload)
{
    counter_t *c = udata;
    char want[32];
    int n = snprintf(want, sizeof(want), "message %d", c->msgs);
    if (hdr->session != (uint64_t)c->msgs || hdr->len != (uint32_t)n || memcmp(payload, want, (size_t)n))
        c->order_ok = 0;
    c->msgs++;
    return 0;
}

static void count_packets(tide_reactor_t *r, void *udata, const char *data, ssize_t n)
{
    counter_t *c = udata;
    CHECK(n > 0);
    CHECK(n <= TIDE_IPC_PACKET);
    c->packets++;
    CHECK_EQ(tide_ipc_read(&c->reader, data, (size_t)n, count_one, c), 0);
    if (c->msgs == c->want)
        tide_reactor_stop(r);
}

typedef struct small_end {
    int got;
    int want;
} small_end_t;

static void small_msg(tide_link_t *l, void *udata, int type, uint64_t session, uint32_t worker,
                      const char *payload, size_t len)
{
    TIDE_UNUSED(worker);
    small_end_t *s = udata;
    CHECK_EQ(session, (uint64_t)s->got);
    if (type == 2) {
        char *big = pattern(200000, 1);
        CHECK_EQ(len, 200000);
        CHECK(memcmp(payload, big, len) == 0);
        free(big);
        s->got++;
        return;
    }
    CHECK_EQ(type, 1);
    char want[32];
    int n = snprintf(want, sizeof(want), "message %d", s->got);
    CHECK_EQ(session, (uint64_t)s->got);
    CHECK_EQ(len, (size_t)n);
    CHECK(memcmp(payload, want, len) == 0);
    if (++s->got == s->want)
        tide_reactor_stop(l->r);
}

REACTOR_TEST(link_small_messages_of_one_turn_share_packets_in_order)
{
    enum { N = 3000 };
    tide_reactor_t *r = test_reactor(backend);
    int sv[2];
    seqpacket_pair(sv);
    tide_link_t l;
    CHECK_EQ(tide_link_open(&l, r, sv[0], -1, NULL, NULL, NULL), 0); /* write only */
    counter_t c = {.want = N, .order_ok = 1};
    tide_ipc_reader_init(&c.reader, 0);
    tide_op_t *rd = tide_reactor_recv(r, sv[1], count_packets, &c, NULL);
    CHECK(rd != NULL);
    size_t bytes = 0;
    for (int i = 0; i < N; i++) {
        char m[32];
        int n = snprintf(m, sizeof(m), "message %d", i);
        CHECK_EQ(tide_link_send(&l, 1, (uint64_t)i, 0, m, (size_t)n), 0);
        bytes += sizeof(tide_ipc_hdr_t) + (size_t)n;
    }
    guard(r, 10000, "small messages");
    CHECK(tide_reactor_run(r, TIDE_RUN_DEFAULT) >= 0);
    CHECK_EQ(c.msgs, N);
    CHECK(c.order_ok);
    /* Packed: as few packets as the bytes need (a message never straddles two). */
    CHECK(c.packets <= (int)(bytes / (TIDE_IPC_PACKET - 64)) + 1);
    CHECK(c.packets < N / 10);
    tide_reactor_cancel(r, rd);
    tide_ipc_reader_destroy(&c.reader);

    /* The other way, read by a link, with a big message in the middle of the small ones. */
    tide_link_t rl;
    small_end_t se = {.want = N};
    CHECK_EQ(tide_link_open(&rl, r, sv[1], -1, small_msg, no_gone, &se), 0);
    char *big = pattern(200000, 1);
    for (int i = 0; i < N; i++) {
        char m[32];
        int n = snprintf(m, sizeof(m), "message %d", i);
        if (i == N / 2)
            CHECK_EQ(tide_link_send(&l, 2, (uint64_t)i, 0, big, 200000), 0);
        else
            CHECK_EQ(tide_link_send(&l, 1, (uint64_t)i, 0, m, (size_t)n), 0);
    }
    CHECK(tide_reactor_run(r, TIDE_RUN_DEFAULT) >= 0);
    CHECK_EQ(se.got, N);
    free(big);
    tide_link_close(&l);
    tide_link_close(&rl);
    CHECK(tide_reactor_run(r, TIDE_RUN_DEFAULT) >= 0);
    tide_reactor_destroy(r);
}

typedef struct mixed {
    int got;
    size_t lens[8];
} mixed_t;

static void mixed_msg(tide_link_t *l, void *udata, int type, uint64_t session, uint32_t worker,
                      const char *payload, size_t len)
{
    TIDE_UNUSED(worker);
    mixed_t *m = udata;
    CHECK_EQ(type, m->got);
    CHECK_EQ(session, (uint64_t)m->got);
    CHECK_EQ(len, m->lens[m->got]);
    char *want = pattern(len, (unsigned)m->got);
    CHECK(memcmp(payload, want, len) == 0);
    free(want);
    if (++m->got == 8)
        tide_reactor_stop(l->r);
}

REACTOR_TEST(link_keeps_order_between_batched_and_long_messages)
{
    tide_reactor_t *r = test_reactor(backend);
    int sv[2];
    seqpacket_pair(sv);
    tide_link_t w, rd;
    mixed_t m = {.lens = {5, 300000, 0, 7, TIDE_IPC_CHUNK, 1, TIDE_IPC_CHUNK + 1, 3}};
    CHECK_EQ(tide_link_open(&w, r, sv[0], -1, NULL, NULL, NULL), 0);
    CHECK_EQ(tide_link_open(&rd, r, sv[1], -1, mixed_msg, no_gone, &m), 0);
    for (int i = 0; i < 8; i++) {
        char *p = pattern(m.lens[i], (unsigned)i);
        CHECK_EQ(tide_link_send(&w, i, (uint64_t)i, 0, p, m.lens[i]), 0);
        free(p);
    }
    guard(r, 10000, "mixed messages");
    CHECK(tide_reactor_run(r, TIDE_RUN_DEFAULT) >= 0);
    CHECK_EQ(m.got, 8);
    tide_link_close(&w);
    tide_link_close(&rd);
    CHECK(tide_reactor_run(r, TIDE_RUN_DEFAULT) >= 0);
    tide_reactor_destroy(r);
}

/* A long message on a link with nothing on its way out is written at once, from the
 * caller's buffers; what does not fit the socket (a small SO_SNDBUF) is queued, and every
 * message still arrives whole and in order, a long one sent behind the queued rest too. */
REACTOR_TEST(link_writes_a_long_message_at_once_when_nothing_waits)
{
    tide_reactor_t *r = test_reactor(backend);
    int sv[2];
    seqpacket_pair(sv);
    tide_link_t w, rd;
    mixed_t m = {.lens = {200000, 3, 1 << 20, 100000, 0, 0, 0, 0}};
    CHECK_EQ(tide_link_open(&w, r, sv[0], -1, NULL, NULL, NULL), 0);
    CHECK_EQ(tide_link_open(&rd, r, sv[1], -1, mixed_msg, no_gone, &m), 0);
    int big = 4 << 20;
    CHECK_EQ(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big)), 0);
    char *p = pattern(m.lens[0], 0);
    CHECK_EQ(tide_link_send2(&w, 0, 0, 0, p, 10, p + 10, m.lens[0] - 10), 0);
    free(p);
    CHECK_EQ(tide_link_queued(&w), 0); /* in the socket already */
    p = pattern(m.lens[1], 1);
    CHECK_EQ(tide_link_send(&w, 1, 1, 0, p, m.lens[1]), 0);
    free(p);
    CHECK_EQ(tide_link_queued(&w), sizeof(tide_ipc_hdr_t) + 3); /* batched for the turn */
    /* Behind a batch: queued, not written ahead of it. */
    p = pattern(m.lens[2], 2);
    CHECK_EQ(tide_link_send(&w, 2, 2, 0, p, m.lens[2]), 0);
    free(p);
    CHECK(tide_link_queued(&w) >= m.lens[2]);
    /* A socket that is nearly full takes what fits; the rest is queued. (The kernel doubles
     * the size, and refuses a packet longer than it.) */
    int small = 40000;
    CHECK_EQ(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
    p = pattern(m.lens[3], 3);
    CHECK_EQ(tide_link_send(&w, 3, 3, 0, p, m.lens[3]), 0);
    free(p);
    guard(r, 10000, "long messages written at once");
    while (m.got < 4)
        CHECK(tide_reactor_run(r, TIDE_RUN_ONCE) >= 0);
    CHECK_EQ(tide_link_queued(&w), 0);
    /* Now idle again, with the small buffer: part at once, the rest queued. */
    p = pattern(m.lens[3], 3);
    m.got = 3;
    CHECK_EQ(tide_link_send(&w, 3, 3, 0, p, m.lens[3]), 0);
    free(p);
    CHECK(tide_link_queued(&w) > 0);
    while (m.got < 4)
        CHECK(tide_reactor_run(r, TIDE_RUN_ONCE) >= 0);
    tide_link_close(&w);
    tide_link_close(&rd);
    CHECK(tide_reactor_run(r, TIDE_RUN_DEFAULT) >= 0);
    tide_reactor_destroy(r);
}

/* ---- the peer going away ---- */

typedef struct gone_end {
    tide_link_t l;
    int msgs;
    int gone;
    int err;
} gone_end_t;

static void gone_msg(tide_link_t *l, void *udata, int type, uint64_t session, uint32_t worker,
                     const char *payload, size_t len)
{
    TIDE_UNUSED(l);
    TIDE_UNUSED(type);
    TIDE_UNUSED(worker);
    TIDE_UNUSED(payload);
    gone_end_t *g = udata;
    CHECK_EQ(g->gone, 0); /* every message comes before on_gone */
    CHECK_EQ(session, (uint64_t)g->msgs);
    CHECK_EQ(len, session == 1 ? 50000u : 3u);
    g->msgs++;
}

static void gone_cb(tide_link_t *l, void *udata, int err)
{
    gone_end_t *g = udata;
    CHECK(l == &g->l);
    g->gone++;
    g->err = err;
    CHECK_EQ(l->fd, -1); /* closed already */
    CHECK_EQ(tide_link_send(l, 1, 0, 0, "x", 1), TIDE_ECLOSED);
}

REACTOR_TEST(link_peer_close_calls_on_gone_once_after_the_last_message)
{
    tide_reactor_t *r = test_reactor(backend);
    int sv[2];
    seqpacket_pair(sv);
    gone_end_t a = {0}, b = {0};
    CHECK_EQ(tide_link_open(&a.l, r, sv[0], -1, gone_msg, gone_cb, &a), 0);
    CHECK_EQ(tide_link_open(&b.l, r, sv[1], -1, gone_msg, gone_cb, &b), 0);
    /* b says three things and closes in the same turn: the close waits for the writes. */
    char *big = pattern(50000, 0);
    CHECK_EQ(tide_link_send(&b.l, 1, 0, 0, "one", 3), 0);
    CHECK_EQ(tide_link_send(&b.l, 1, 1, 0, big, 50000), 0);
    CHECK_EQ(tide_link_send(&b.l, 1, 2, 0, "two", 3), 0);
    free(big);
    tide_link_close(&b.l);
    CHECK_EQ(tide_link_send(&b.l, 1, 3, 0, "x", 1), TIDE_ECLOSED);
    guard(r, 5000, "on_gone");
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 0);
    CHECK_EQ(a.msgs, 3);
    CHECK_EQ(a.gone, 1);
    CHECK_EQ(a.err, TIDE_ECLOSED);
    CHECK_EQ(b.gone, 0); /* closing a link yourself does not call on_gone */
    CHECK_EQ(b.msgs, 0);
    tide_link_close(&a.l); /* after on_gone: frees the reader, nothing else */
    tide_link_close(&a.l);
    tide_reactor_destroy(r);
}

/* on_gone frees the memory the link lives in (as the server does with its worker links). */
static void gone_and_free(tide_link_t *l, void *udata, int err)
{
    int *calls = udata;
    (*calls)++;
    CHECK_EQ(err, TIDE_EPROTO);
    tide_link_close(l);
    free(l);
}

static void unexpected_msg(tide_link_t *l, void *udata, int type, uint64_t session,
                           uint32_t worker, const char *payload, size_t len)
{
    TIDE_UNUSED(l);
    TIDE_UNUSED(udata);
    TIDE_UNUSED(type);
    TIDE_UNUSED(session);
    TIDE_UNUSED(worker);
    TIDE_UNUSED(payload);
    TIDE_UNUSED(len);
    FAILF("a message from a broken packet");
}

REACTOR_TEST(link_broken_packet_calls_on_gone_with_eproto)
{
    tide_log_set_sink(quiet, NULL);
    tide_reactor_t *r = test_reactor(backend);
    int sv[2];
    seqpacket_pair(sv);
    tide_link_t *l = malloc(sizeof(*l));
    int calls = 0;
    CHECK_EQ(tide_link_open(l, r, sv[0], -1, unexpected_msg, gone_and_free, &calls), 0);
    CHECK_EQ(send(sv[1], "garbage", 7, 0), 7);
    guard(r, 5000, "on_gone for a broken packet");
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 0);
    CHECK_EQ(calls, 1);
    /* Our end was closed: the peer sees EOF. */
    char c;
    CHECK_EQ(recv(sv[1], &c, 1, MSG_DONTWAIT), 0);
    close(sv[1]);
    tide_reactor_destroy(r);
}

/* The handler closes the link on a message gathered from several packets, with more
 * messages behind it: nothing more is delivered, nothing is touched after the close. */
typedef struct closer {
    tide_link_t l;
    int msgs;
} closer_t;

static void close_on_first(tide_link_t *l, void *udata, int type, uint64_t session,
                           uint32_t worker, const char *payload, size_t len)
{
    TIDE_UNUSED(type);
    TIDE_UNUSED(session);
    TIDE_UNUSED(worker);
    TIDE_UNUSED(payload);
    closer_t *c = udata;
    c->msgs++;
    CHECK_EQ(len, 100000);
    tide_link_close(l);
    tide_reactor_stop(l->r);
}

REACTOR_TEST(link_closed_by_its_handler_on_a_long_message_stops_reading)
{
    tide_reactor_t *r = test_reactor(backend);
    int sv[2];
    seqpacket_pair(sv);
    closer_t c = {0};
    tide_link_t w;
    CHECK_EQ(tide_link_open(&c.l, r, sv[0], -1, close_on_first, no_gone, &c), 0);
    CHECK_EQ(tide_link_open(&w, r, sv[1], -1, NULL, NULL, NULL), 0);
    char *big = pattern(100000, 0);
    CHECK_EQ(tide_link_send(&w, 1, 1, 0, big, 100000), 0);
    CHECK_EQ(tide_link_send(&w, 1, 2, 0, "after", 5), 0);
    CHECK_EQ(tide_link_send(&w, 1, 3, 0, big, 100000), 0);
    free(big);
    guard(r, 5000, "the first message");
    CHECK(tide_reactor_run(r, TIDE_RUN_DEFAULT) >= 0);
    tide_link_close(&w);
    CHECK(tide_reactor_run(r, TIDE_RUN_DEFAULT) >= 0);
    CHECK_EQ(c.msgs, 1);
    tide_reactor_destroy(r);
}

/* Closing on a small message, with more small ones in the same packet. */
static void close_on_first_small(tide_link_t *l, void *udata, int type, uint64_t session,
                                 uint32_t worker, const char *payload, size_t len)
{
    TIDE_UNUSED(type);
    TIDE_UNUSED(session);
    TIDE_UNUSED(worker);
    TIDE_UNUSED(payload);
    TIDE_UNUSED(len);
    closer_t *c = udata;
    c->msgs++;
    tide_link_close(l);
    tide_reactor_stop(l->r);
}

REACTOR_TEST(link_closed_by_its_handler_drops_the_rest_of_the_packet)
{
    tide_reactor_t *r = test_reactor(backend);
    int sv[2];
    seqpacket_pair(sv);
    closer_t c = {0};
    tide_link_t w;
    CHECK_EQ(tide_link_open(&c.l, r, sv[0], -1, close_on_first_small, no_gone, &c), 0);
    CHECK_EQ(tide_link_open(&w, r, sv[1], -1, NULL, NULL, NULL), 0);
    for (int i = 0; i < 10; i++)
        CHECK_EQ(tide_link_send(&w, 1, (uint64_t)i, 0, "hi", 2), 0);
    guard(r, 5000, "the first message");
    CHECK(tide_reactor_run(r, TIDE_RUN_DEFAULT) >= 0);
    tide_link_close(&w);
    CHECK(tide_reactor_run(r, TIDE_RUN_DEFAULT) >= 0);
    CHECK_EQ(c.msgs, 1);
    tide_reactor_destroy(r);
}

REACTOR_TEST(link_stop_reading_keeps_writing)
{
    tide_reactor_t *r = test_reactor(backend);
    int sv[2];
    seqpacket_pair(sv);
    closer_t c = {0};
    small_end_t se = {.want = 1};
    tide_link_t other;
    CHECK_EQ(tide_link_open(&c.l, r, sv[0], -1, close_on_first_small, no_gone, &c), 0);
    CHECK_EQ(tide_link_open(&other, r, sv[1], -1, small_msg, no_gone, &se), 0);
    tide_link_stop_reading(&c.l);
    tide_link_stop_reading(&c.l);
    CHECK_EQ(tide_link_send(&other, 1, 0, 0, "ignored", 7), 0);
    CHECK_EQ(tide_link_send(&c.l, 1, 0, 0, "message 0", 9), 0);
    guard(r, 5000, "a message from a link that does not read");
    CHECK(tide_reactor_run(r, TIDE_RUN_DEFAULT) >= 0);
    CHECK_EQ(se.got, 1);
    CHECK_EQ(c.msgs, 0);
    tide_link_close(&c.l);
    tide_link_close(&other);
    CHECK(tide_reactor_run(r, TIDE_RUN_DEFAULT) >= 0);
    tide_reactor_destroy(r);
}

/* ---- descriptor passing ---- */

/* One descriptor (or none) with a message, as the tests below pass them. */
static ssize_t recv_one(int sock, int *fd, void *buf, size_t len)
{
    int nfds = 0;
    *fd = -1;
    ssize_t n = tide_recv_fds(sock, fd, 1, &nfds, buf, len);
    if (!nfds)
        *fd = -1;
    return n;
}

static int send_one(int sock, int fd, const void *buf, size_t len)
{
    return tide_send_fds(sock, &fd, fd >= 0 ? 1 : 0, buf, len);
}

TEST(send_fd_passes_a_descriptor_with_its_message)
{
    int sv[2], p[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
    CHECK_EQ(pipe(p), 0);
    int fd = -2;
    char buf[32];
    /* Nothing there yet. */
    CHECK_EQ(recv_one(sv[1], &fd, buf, sizeof(buf)), -EAGAIN);
    CHECK_EQ(fd, -1);

    CHECK_EQ(send_one(sv[0], p[1], "worker 3", 8), 0);
    CHECK_EQ(send_one(sv[0], -1, "no fd", 5), 0);
    CHECK_EQ(recv_one(sv[1], &fd, buf, sizeof(buf)), 8);
    CHECK(memcmp(buf, "worker 3", 8) == 0);
    CHECK(fd >= 0);
    CHECK(fd != p[1]);
    CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    /* The same pipe: what goes in through the passed fd comes out of the original's pair. */
    close(p[1]);
    CHECK_EQ(write(fd, "through", 7), 7);
    close(fd);
    char got[16] = {0};
    CHECK_EQ(read(p[0], got, sizeof(got)), 7);
    CHECK_STR(got, "through");
    CHECK_EQ(read(p[0], got, sizeof(got)), 0); /* every write end is closed */
    close(p[0]);

    int fd2 = -2;
    CHECK_EQ(recv_one(sv[1], &fd2, buf, sizeof(buf)), 5);
    CHECK_EQ(fd2, -1);
    CHECK(memcmp(buf, "no fd", 5) == 0);

    close(sv[0]);
    CHECK_EQ(recv_one(sv[1], &fd2, buf, sizeof(buf)), 0); /* EOF */
    CHECK_EQ(send_one(sv[1], -1, "x", 1), -EPIPE);
    close(sv[1]);
}

/* What before_flush adds joins the packet of the messages batched in the turn, after them. */
static void add_last(tide_link_t *l, void *arg)
{
    int *next = arg;
    char m[32];
    int n = snprintf(m, sizeof(m), "message %d", *next);
    CHECK_EQ(tide_link_send(l, 1, (uint64_t)*next, 0, m, (size_t)n), 0);
    (*next)++;
}

REACTOR_TEST(link_before_flush_adds_to_the_packet_of_its_turn)
{
    tide_reactor_t *r = test_reactor(backend);
    int sv[2];
    seqpacket_pair(sv);
    tide_link_t l;
    CHECK_EQ(tide_link_open(&l, r, sv[0], -1, NULL, NULL, NULL), 0);
    int next = 2;
    l.before_flush = add_last;
    l.before_flush_arg = &next;
    counter_t c = {.want = 3, .order_ok = 1};
    tide_ipc_reader_init(&c.reader, 0);
    tide_op_t *rd = tide_reactor_recv(r, sv[1], count_packets, &c, NULL);
    CHECK(rd != NULL);
    CHECK_EQ(tide_link_send(&l, 1, 0, 0, "message 0", 9), 0);
    CHECK_EQ(tide_link_send(&l, 1, 1, 0, "message 1", 9), 0);
    guard(r, 10000, "before_flush");
    CHECK(tide_reactor_run(r, TIDE_RUN_DEFAULT) >= 0);
    CHECK_EQ(c.msgs, 3);
    CHECK(c.order_ok);
    CHECK_EQ(c.packets, 1); /* the added message rode in the same packet */
    CHECK_EQ(next, 3);      /* asked once per flush, not again for its own message */
    tide_reactor_cancel(r, rd);
    tide_ipc_reader_destroy(&c.reader);
    tide_link_close(&l);
    close(sv[1]);
    CHECK(tide_reactor_run(r, TIDE_RUN_DEFAULT) >= 0);
    tide_reactor_destroy(r);
}

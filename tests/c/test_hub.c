/* SPDX-License-Identifier: MIT */
/*
 * The hub (src/server/hub.c): links to worker incarnations on a real reactor, with
 * SEQPACKET socketpairs standing in for workers (their side is a tide_link_t on the same
 * reactor). What it holds, relays, answers and reports through tide_hub_ops_t.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "server_int.h"
#include "test.h"
#include "tide/common.h"
#include "tide/log.h"
#include "tide/msg.h"

/* The worker's side of a link: what it received, as "TYPE session field len;" lines. */
typedef struct wk {
    tide_link_t l;
    char log[4096];
    int got;
    bool gone;
    char *last; /* the last payload */
    size_t last_len;
    /* Direct links the hub introduced (not in log or got): their fds, and who is at the
     * other end. */
    int ndirect;
    int direct_fd[8], direct_to[8];
} wk_t;

typedef struct fix {
    tide_reactor_t *r;
    tide_server_t srv;
    tide_hub_t hub;
    char ev[4096]; /* what the hub reported: "up 0;crash 1;msg DONE 5 9 cur;" */
    int crashes, warnings, errors;
    char logged[4096];
    /* up(w, true) sends this worker a message (order against what was held). */
    bool send_on_up;
} fix_t;

/* A DONE message with one entry (the list a worker sends at the end of a loop turn). */
static int send_done(tide_link_t *l, uint64_t session, uint32_t count)
{
    tide_msg_done_t e = {.session = session, .bytes = count, .count = count};
    return tide_link_send(l, TIDE_MSG_DONE, 0, 0, &e, sizeof(e));
}

static fix_t *the_fix; /* for the log sink */

static void add(char *buf, size_t cap, const char *fmt, ...)
{
    size_t n = strlen(buf);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + n, cap - n, fmt, ap);
    va_end(ap);
}

static void sink(int level, const char *line, void *udata)
{
    TIDE_UNUSED(udata);
    if (level == TIDE_LOG_WARNING)
        the_fix->warnings++;
    if (level == TIDE_LOG_ERROR)
        the_fix->errors++;
    add(the_fix->logged, sizeof(the_fix->logged), "%s\n", line);
}

static void op_msg(tide_hub_t *h, hub_link_t *from, int type, uint64_t session, uint32_t field,
                   const char *payload, size_t len)
{
    fix_t *f = h->udata;
    CHECK(from->hub == h);
    CHECK_EQ(tide_msg_check(type, session, field, payload, len, h->accept), 0);
    add(f->ev, sizeof(f->ev), "msg %s %llu %u %zu %s;", tide_msg_name(type),
        (unsigned long long)session, field, len,
        h->slots[from->id].cur == from ? "cur" : "old");
}

static void op_crashed(tide_hub_t *h, int w)
{
    fix_t *f = h->udata;
    f->crashes++;
    add(f->ev, sizeof(f->ev), "crash %d;", w);
}

static void op_up(tide_hub_t *h, int w, bool up)
{
    fix_t *f = h->udata;
    add(f->ev, sizeof(f->ev), "%s %d;", up ? "up" : "down", w);
    if (up && f->send_on_up)
        CHECK_EQ(tide_hub_send(h, w, TIDE_MSG_DATA, 99, 0, "from up()", 9, NULL, 0), 0);
}

static const tide_hub_ops_t ops = {op_msg, op_crashed, op_up};

static void fix_init(fix_t *f, tide_backend_t backend, int n, unsigned accept)
{
    memset(f, 0, sizeof(*f));
    the_fix = f;
    tide_log_set_sink(sink, NULL);
    f->r = test_reactor(backend);
    tide_server_hooks_t hooks = {0};
    tide_server_init(&f->srv, &hooks, NULL); /* role NONE: shutdown()/reload() do nothing */
    tide_hub_init(&f->hub, &f->srv, f->r, n, accept, &ops, f);
}

static void wk_msg(tide_link_t *l, void *udata, int type, uint64_t session, uint32_t field,
                   const char *payload, size_t len)
{
    TIDE_UNUSED(l);
    wk_t *w = udata;
    if (type == TIDE_MSG_DIRECT) {
        CHECK(session >> 63); /* a hub's ticket */
        int fd = tide_link_take_fd(&w->l, session);
        CHECK(fd >= 0);
        if (w->ndirect < 8) {
            w->direct_fd[w->ndirect] = fd;
            w->direct_to[w->ndirect++] = (int)field;
        } else {
            close(fd);
        }
        return;
    }
    add(w->log, sizeof(w->log), "%s %llu %u %zu;", tide_msg_name(type),
        (unsigned long long)session, field, len);
    w->got++;
    free(w->last);
    w->last = malloc(len + 1);
    memcpy(w->last, payload, len);
    w->last[len] = 0;
    w->last_len = len;
}

static void wk_gone(tide_link_t *l, void *udata, int err)
{
    TIDE_UNUSED(l);
    TIDE_UNUSED(err);
    wk_t *w = udata;
    w->gone = true;
}

/* A new incarnation of worker id: its side reads (or not, when `reads` is false). */
static void attach(fix_t *f, wk_t *w, int id, pid_t pid, bool reads)
{
    int l[2], c[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, l), 0);
    CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, c), 0);
    memset(w, 0, sizeof(*w));
    CHECK_EQ(tide_link_open(&w->l, f->r, l[1], c[1], reads ? wk_msg : NULL, wk_gone, w), 0);
    int fds[TIDE_WORKER_FDS] = {l[0], c[0], -1}; /* no blocking channel here */
    tide_hub_attach(&f->hub, id, pid, fds);
}

static void wk_close(wk_t *w)
{
    if (w->l.fd >= 0 || w->l.count)
        tide_link_close(&w->l);
    for (int i = 0; i < w->ndirect; i++)
        close(w->direct_fd[i]);
    w->ndirect = 0;
    free(w->last);
    w->last = NULL;
}

static int nlinks(const fix_t *f)
{
    int n = 0;
    for (hub_link_t *hl = f->hub.links; hl; hl = hl->next)
        n++;
    return n;
}

#define PUMP_UNTIL(f, cond)                                                                        \
    do {                                                                                           \
        uint64_t dl_ = tide_time_ns() + 5000000000ull;                                             \
        while (!(cond)) {                                                                          \
            if (tide_time_ns() > dl_)                                                              \
                FAILF("timed out waiting for %s (events: %s)", #cond, (f)->ev);                    \
            CHECK(tide_reactor_run((f)->r, TIDE_RUN_ONCE) >= 0);                                   \
        }                                                                                          \
    } while (0)

/* A few turns with nothing due (to see that nothing more happens). */
static void settle(fix_t *f)
{
    for (int i = 0; i < 5; i++)
        CHECK(tide_reactor_run(f->r, TIDE_RUN_NOWAIT) >= 0);
}

/* Destroys the hub, closes the workers' sides and runs the loop dry. */
static void fix_done(fix_t *f, wk_t *ws, int n)
{
    tide_hub_destroy(&f->hub);
    CHECK(f->hub.slots == NULL);
    for (int i = 0; i < n; i++)
        wk_close(&ws[i]);
    uint64_t dl = tide_time_ns() + 5000000000ull;
    while (tide_reactor_run(f->r, TIDE_RUN_ONCE) > 0)
        if (tide_time_ns() > dl)
            FAILF("the loop stays alive after the hub is gone");
    tide_reactor_destroy(f->r);
    tide_server_destroy(&f->srv);
    tide_log_set_sink(NULL, NULL);
}

static char *pattern(size_t len, unsigned seed)
{
    char *p = malloc(len ? len : 1);
    for (size_t i = 0; i < len; i++)
        p[i] = (char)(i * 13 + seed + i / 509);
    return p;
}

/* ---- held until a worker attaches ---- */

REACTOR_TEST(hub_holds_messages_for_a_slot_until_a_worker_attaches_then_delivers_them_in_order)
{
    fix_t f;
    wk_t w[1];
    fix_init(&f, backend, 2, TIDE_MSG_TO_HUB);
    CHECK(tide_hub_link(&f.hub, 0) == NULL);
    size_t big = 200 * 1024;
    char *p = pattern(big, 5);
    CHECK_EQ(tide_hub_send(&f.hub, 0, TIDE_MSG_CONNECT, 1, 0, NULL, 0, NULL, 0), 0);
    CHECK_EQ(tide_hub_send(&f.hub, 0, TIDE_MSG_DATA, 1, 0, "ab", 2, "cd", 2), 0);
    CHECK_EQ(tide_hub_send(&f.hub, 0, TIDE_MSG_DATA, 2, 1, p, 100, p + 100, big - 100), 0);
    CHECK_EQ(tide_hub_send(&f.hub, 0, TIDE_MSG_CLOSE, 1, 0, NULL, 0, NULL, 0), 0);
    CHECK_EQ(f.hub.slots[0].held_bytes, 4 + big);
    settle(&f);
    CHECK_STR(f.ev, "");

    /* What up() sends comes after what was held. */
    f.send_on_up = true;
    attach(&f, &w[0], 0, 0, true);
    CHECK_STR(f.ev, "up 0;");
    CHECK(tide_hub_link(&f.hub, 0) == &f.hub.slots[0].cur->l);
    PUMP_UNTIL(&f, w[0].got == 5);
    char want[256];
    snprintf(want, sizeof(want), "CONNECT 1 0 0;DATA 1 0 4;DATA 2 1 %zu;CLOSE 1 0 0;DATA 99 0 9;",
             big);
    CHECK_STR(w[0].log, want);
    CHECK_EQ(f.hub.slots[0].held_bytes, 0);
    CHECK(f.hub.slots[0].head == NULL);

    /* Now straight to the link. */
    CHECK_EQ(tide_hub_send(&f.hub, 0, TIDE_MSG_DATA, 3, 0, "x", 1, NULL, 0), 0);
    CHECK(f.hub.slots[0].head == NULL);
    PUMP_UNTIL(&f, w[0].got == 6);
    CHECK_STR(w[0].last, "x");
    CHECK_EQ(f.crashes, 0);
    free(p);
    fix_done(&f, w, 1);
}

/* ---- stopping and crashing ---- */

REACTOR_TEST(hub_answers_exiting_with_ack_and_holds_what_comes_next_for_the_successor)
{
    fix_t f;
    wk_t w[2];
    fix_init(&f, backend, 1, TIDE_MSG_TO_HUB);
    attach(&f, &w[0], 0, 0, true);
    CHECK_EQ(tide_link_send(&w[0].l, TIDE_MSG_EXITING, 0, 0, NULL, 0), 0);
    PUMP_UNTIL(&f, w[0].got == 1);
    CHECK_STR(w[0].log, "ACK 0 0 0;");
    CHECK_STR(f.ev, "up 0;down 0;");
    CHECK(tide_hub_link(&f.hub, 0) == NULL);

    /* It finishes what it had: its replies still come. */
    CHECK_EQ(send_done(&w[0].l, 4, 10), 0);
    PUMP_UNTIL(&f, strstr(f.ev, "msg DONE"));
    CHECK_STR(f.ev, "up 0;down 0;msg DONE 0 0 24 cur;");

    /* What comes now waits for the next incarnation. */
    CHECK_EQ(tide_hub_send(&f.hub, 0, TIDE_MSG_DATA, 8, 0, "held", 4, NULL, 0), 0);
    CHECK(f.hub.slots[0].head != NULL);

    /* It ends: not a crash. */
    tide_link_close(&w[0].l);
    PUMP_UNTIL(&f, nlinks(&f) == 0);
    settle(&f);
    CHECK_EQ(f.crashes, 0);
    CHECK(f.hub.slots[0].head != NULL); /* still held */
    CHECK_EQ(w[0].got, 1);

    attach(&f, &w[1], 0, 0, true);
    PUMP_UNTIL(&f, w[1].got == 1);
    CHECK_STR(w[1].log, "DATA 8 0 4;");
    CHECK_STR(w[1].last, "held");
    CHECK_EQ(f.crashes, 0);
    fix_done(&f, w, 2);
}

REACTOR_TEST(hub_reports_a_link_that_ends_without_exiting_as_a_crash)
{
    fix_t f;
    wk_t w[2];
    fix_init(&f, backend, 2, TIDE_MSG_TO_HUB);
    attach(&f, &w[0], 0, 0, true);
    attach(&f, &w[1], 1, 0, true);
    CHECK_STR(f.ev, "up 0;up 1;");
    tide_link_close(&w[1].l);
    PUMP_UNTIL(&f, f.crashes == 1);
    settle(&f);
    /* It is gone: it takes nothing (before what it had is lost, so that what waited on
     * it goes elsewhere), and it crashed. */
    CHECK_STR(f.ev, "up 0;up 1;down 1;crash 1;");
    CHECK(tide_hub_link(&f.hub, 1) == NULL);
    CHECK_EQ(f.hub.slots[1].pid, 0);
    CHECK_EQ(nlinks(&f), 1);
    /* What comes for it now is held for its successor. */
    CHECK_EQ(tide_hub_send(&f.hub, 1, TIDE_MSG_CLOSE, 3, 0, NULL, 0, NULL, 0), 0);
    CHECK(f.hub.slots[1].head != NULL);
    fix_done(&f, w, 2);
}

REACTOR_TEST(hub_counts_a_new_attach_over_a_live_link_as_a_crash_of_the_old_one)
{
    fix_t f;
    wk_t w[4];
    fix_init(&f, backend, 1, TIDE_MSG_TO_HUB);
    attach(&f, &w[0], 0, 0, true);
    attach(&f, &w[1], 0, 0, true); /* the manager replaced it: the old one is dead */
    CHECK_STR(f.ev, "up 0;crash 0;up 0;");
    hub_link_t *cur = f.hub.slots[0].cur;
    CHECK(cur != NULL && cur->draining == false);
    CHECK(tide_hub_link(&f.hub, 0) == &cur->l);
    CHECK(f.hub.links == cur); /* the newest first; the old one still listed */
    CHECK(cur->next != NULL && cur->next->draining);
    CHECK_EQ(nlinks(&f), 2);

    /* The old one is read until its EOF: its last replies still count. */
    CHECK_EQ(send_done(&w[0].l, 5, 9), 0);
    PUMP_UNTIL(&f, strstr(f.ev, "msg DONE"));
    CHECK_STR(f.ev, "up 0;crash 0;up 0;msg DONE 0 0 24 old;");
    /* New messages go to the new one. */
    CHECK_EQ(tide_hub_send(&f.hub, 0, TIDE_MSG_DATA, 1, 0, "new", 3, NULL, 0), 0);
    PUMP_UNTIL(&f, w[1].got == 1);
    CHECK_EQ(w[0].got, 0);
    /* Its EOF changes nothing more. */
    tide_link_close(&w[0].l);
    PUMP_UNTIL(&f, nlinks(&f) == 1);
    settle(&f);
    CHECK_STR(f.ev, "up 0;crash 0;up 0;msg DONE 0 0 24 old;");

    /* Replacing one that said EXITING is no crash. */
    CHECK_EQ(tide_link_send(&w[1].l, TIDE_MSG_EXITING, 0, 0, NULL, 0), 0);
    PUMP_UNTIL(&f, w[1].got == 2);
    attach(&f, &w[2], 0, 0, true);
    tide_link_close(&w[1].l);
    PUMP_UNTIL(&f, nlinks(&f) == 1);
    settle(&f);
    CHECK_STR(f.ev, "up 0;crash 0;up 0;msg DONE 0 0 24 old;down 0;up 0;");
    CHECK_EQ(f.crashes, 1);
    fix_done(&f, w, 3);
}

/* ---- pipe messages ---- */

REACTOR_TEST(hub_relays_pipe_req_as_pipe_with_the_source_id)
{
    fix_t f;
    wk_t w[3];
    fix_init(&f, backend, 3, TIDE_MSG_TO_HUB);
    attach(&f, &w[0], 0, 0, true);
    attach(&f, &w[1], 1, 0, true);
    CHECK_EQ(tide_link_send(&w[0].l, TIDE_MSG_PIPE_REQ, 0, 1, "hello", 5), 0);
    PUMP_UNTIL(&f, w[1].got == 1);
    CHECK_STR(w[1].log, "PIPE 0 1 5;");
    CHECK_STR(w[1].last, "hello");

    size_t big = 100 * 1024 + 3;
    char *p = pattern(big, 1);
    CHECK_EQ(tide_link_send(&w[1].l, TIDE_MSG_PIPE_REQ, 1, 0, p, big), 0);
    PUMP_UNTIL(&f, w[0].got == 1);
    CHECK_EQ(w[0].last_len, big);
    CHECK(!memcmp(w[0].last, p, big));
    free(p);

    /* To a worker nobody attached yet: held for it. */
    CHECK_EQ(tide_link_send(&w[1].l, TIDE_MSG_PIPE_REQ, 1, 2, "later", 5), 0);
    PUMP_UNTIL(&f, f.hub.slots[2].head != NULL);
    attach(&f, &w[2], 2, 0, true);
    PUMP_UNTIL(&f, w[2].got == 1);
    CHECK_STR(w[2].log, "PIPE 1 2 5;");

    /* To a worker that does not exist: dropped with a warning, the sender stays. */
    CHECK_EQ(tide_link_send(&w[0].l, TIDE_MSG_PIPE_REQ, 0, 7, "lost", 4), 0);
    PUMP_UNTIL(&f, f.warnings == 1);
    CHECK(strstr(f.logged, "unknown worker #7"));
    CHECK_EQ(tide_link_send(&w[0].l, TIDE_MSG_PIPE_REQ, 0, 1, "still", 5), 0);
    PUMP_UNTIL(&f, w[1].got == 2);
    CHECK_STR(w[1].last, "still");
    /* A worker cannot pose as another: the source is the link's, not what it claims. */
    CHECK_EQ(tide_link_send(&w[0].l, TIDE_MSG_PIPE_REQ, 2, 1, "posing", 6), 0);
    PUMP_UNTIL(&f, w[1].got == 3);
    CHECK_STR(w[1].last, "posing");
    CHECK(strstr(w[1].log, "PIPE 0 1 6;") != NULL);
    /* None of it reached ops.msg. */
    CHECK_STR(f.ev, "up 0;up 1;up 2;");
    CHECK_EQ(f.crashes, 0);
    fix_done(&f, w, 3);
}

TEST(hub_drops_pipe_messages_past_the_bound_held_for_a_slot)
{
    fix_t f;
    fix_init(&f, TIDE_BACKEND_EPOLL, 2, TIDE_MSG_TO_HUB);
    size_t mib = 1 << 20;
    char *p = pattern(mib, 3);
    /* 64 MiB held for slot 1 (nobody attached): the bound. */
    for (int i = 0; i < 64; i++)
        CHECK_EQ(tide_hub_send(&f.hub, 1, TIDE_MSG_PIPE, 0, 1, p, mib / 2, p, mib / 2), 0);
    CHECK_EQ(f.hub.slots[1].held_bytes, 64 * mib);
    CHECK_EQ(tide_hub_send(&f.hub, 1, TIDE_MSG_PIPE, 0, 1, p, 1, NULL, 0), -ENOBUFS);
    CHECK_EQ(f.warnings, 1);
    CHECK(strstr(f.logged, "dropped"));
    /* Requests are bounded by the dispatch queues, not here: still held. */
    CHECK_EQ(tide_hub_send(&f.hub, 1, TIDE_MSG_DATA, 4, 0, p, mib, NULL, 0), 0);
    CHECK_EQ(f.hub.slots[1].held_bytes, 65 * mib);
    /* Another slot has its own bound. */
    CHECK_EQ(tide_hub_send(&f.hub, 0, TIDE_MSG_PIPE, 1, 0, p, 10, NULL, 0), 0);
    free(p);
    fix_done(&f, NULL, 0); /* frees what is held (LeakSanitizer under SAN=1) */
}

REACTOR_TEST(hub_drops_pipe_messages_for_a_worker_that_does_not_read)
{
    fix_t f;
    wk_t w[1];
    fix_init(&f, backend, 1, TIDE_MSG_TO_HUB);
    attach(&f, &w[0], 0, 0, false);
    size_t mib = 1 << 20;
    char *p = pattern(mib, 4);
    /* Nothing is written while the loop does not run: what is queued passes 64 MiB. */
    int sent = 0;
    while (sent < 80 && tide_hub_send(&f.hub, 0, TIDE_MSG_PIPE, 0, 0, p, mib, NULL, 0) == 0)
        sent++;
    CHECK_EQ(sent, 65); /* refused once more than 64 MiB wait */
    CHECK(tide_link_queued(tide_hub_link(&f.hub, 0)) > 64 * mib);
    CHECK_EQ(f.warnings, 1);
    /* Not a pipe message: passes. */
    CHECK_EQ(tide_hub_send(&f.hub, 0, TIDE_MSG_CLOSE, 1, 0, NULL, 0, NULL, 0), 0);
    free(p);
    CHECK_EQ(f.crashes, 0);
    /* The worker goes: what was queued fails and is freed. */
    tide_link_close(&w[0].l);
    PUMP_UNTIL(&f, f.crashes == 1);
    fix_done(&f, w, 1);
}

/* ---- broken workers ---- */

static pid_t sleeper(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        for (;;)
            pause();
    }
    return pid;
}

/* Waits (running the loop) until child pid ends; its status. */
static int wait_child(fix_t *f, pid_t pid)
{
    int status;
    uint64_t dl = tide_time_ns() + 5000000000ull;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        CHECK(r >= 0);
        if (r == pid)
            return status;
        if (tide_time_ns() > dl) {
            kill(pid, SIGKILL);
            FAILF("child %d still runs", (int)pid);
        }
        tide_reactor_run(f->r, TIDE_RUN_NOWAIT);
        usleep(1000);
    }
}

REACTOR_TEST(hub_kills_and_drops_a_worker_that_sends_a_message_it_may_not)
{
    fix_t f;
    wk_t w[2];
    fix_init(&f, backend, 2, TIDE_MSG_TO_HUB);
    pid_t child = sleeper();
    attach(&f, &w[0], 0, child, true);
    attach(&f, &w[1], 1, 0, true);
    /* DATA goes to workers, never to the hub. */
    CHECK_EQ(tide_link_send(&w[0].l, TIDE_MSG_DATA, 1, 0, "x", 1), 0);
    PUMP_UNTIL(&f, f.crashes == 1);
    CHECK_STR(f.ev, "up 0;up 1;down 0;crash 0;");
    CHECK_EQ(f.errors, 1);
    CHECK(strstr(f.logged, "DATA"));
    int status = wait_child(&f, child);
    CHECK(WIFSIGNALED(status));
    CHECK_EQ(WTERMSIG(status), SIGKILL);
    /* Its link is closed: the worker's side sees the end. */
    PUMP_UNTIL(&f, w[0].gone);
    CHECK(tide_hub_link(&f.hub, 0) == NULL);
    CHECK_EQ(nlinks(&f), 1);

    /* A payload of the wrong shape for a hub message: the same. */
    CHECK_EQ(tide_link_send(&w[1].l, TIDE_MSG_EXITING, 0, 1, "oops", 4), 0);
    PUMP_UNTIL(&f, f.crashes == 2);
    CHECK_EQ(w[1].got, 0); /* no ACK */
    PUMP_UNTIL(&f, w[1].gone);
    CHECK_EQ(nlinks(&f), 0);
    fix_done(&f, w, 2);
}

REACTOR_TEST(hub_ignores_what_a_broken_worker_sent_after_the_message_that_broke_it)
{
    fix_t f;
    wk_t w[2];
    fix_init(&f, backend, 2, TIDE_MSG_TO_HUB);
    attach(&f, &w[0], 0, 0, true);
    attach(&f, &w[1], 1, 0, true);
    /* Sent in one turn: one packet. */
    CHECK_EQ(tide_link_send(&w[0].l, TIDE_MSG_SEND, 1, 0, "x", 1), 0); /* owner msg: refused */
    CHECK_EQ(tide_link_send(&w[0].l, TIDE_MSG_PIPE_REQ, 0, 1, "relay me", 8), 0);
    CHECK_EQ(send_done(&w[0].l, 1, 1), 0);
    CHECK_EQ(tide_link_send(&w[0].l, TIDE_MSG_EXITING, 0, 0, NULL, 0), 0);
    PUMP_UNTIL(&f, w[0].gone);
    settle(&f);
    /* Dropped as a crashed one, not let go as one that stopped. */
    CHECK_STR(f.ev, "up 0;up 1;down 0;crash 0;");
    CHECK_EQ(w[0].got, 0);
    CHECK_EQ(w[1].got, 0);
    fix_done(&f, w, 2);
}

/* ---- what the hub handles itself, and what it passes on ---- */

REACTOR_TEST(hub_handles_shutdown_and_reload_and_passes_the_rest_on)
{
    fix_t f;
    wk_t w[1];
    fix_init(&f, backend, 1, TIDE_MSG_TO_HUB | TIDE_MSG_TO_OWNER);
    attach(&f, &w[0], 0, 0, true);
    /* tide_server_shutdown/reload on a server that is not running: TIDE_ESTATE, nothing
     * else; they never reach ops.msg. */
    CHECK_EQ(tide_link_send(&w[0].l, TIDE_MSG_SHUTDOWN, 0, 0, NULL, 0), 0);
    CHECK_EQ(tide_link_send(&w[0].l, TIDE_MSG_RELOAD, 0, 1, NULL, 0), 0);
    CHECK_EQ(send_done(&w[0].l, 0, 9), 0);
    CHECK_EQ(tide_link_send(&w[0].l, TIDE_MSG_SEND, 5, 0, "hi", 2), 0);
    CHECK_EQ(tide_link_send(&w[0].l, TIDE_MSG_CLOSE_REQ, 5, 1, NULL, 0), 0);
    PUMP_UNTIL(&f, strstr(f.ev, "CLOSE_REQ"));
    CHECK_STR(f.ev, "up 0;msg DONE 0 0 24 cur;msg SEND 5 0 2 cur;msg CLOSE_REQ 5 1 0 cur;");
    CHECK_EQ(f.crashes, 0);
    CHECK_EQ(f.errors, 0);
    fix_done(&f, w, 1);
}

/* ---- freeing ---- */

REACTOR_TEST(hub_destroy_frees_links_in_every_state_and_held_messages)
{
    fix_t f;
    wk_t w[3];
    fix_init(&f, backend, 3, TIDE_MSG_TO_HUB);
    attach(&f, &w[0], 0, 0, true);
    attach(&f, &w[1], 1, 0, true);
    /* Worker 1 stops; its successor is not there yet; messages wait for it. */
    CHECK_EQ(tide_link_send(&w[1].l, TIDE_MSG_EXITING, 0, 1, NULL, 0), 0);
    PUMP_UNTIL(&f, w[1].got == 1);
    CHECK_EQ(tide_hub_send(&f.hub, 1, TIDE_MSG_DATA, 2, 0, "held", 4, NULL, 0), 0);
    CHECK_EQ(tide_hub_send(&f.hub, 2, TIDE_MSG_CONNECT, 3, 0, NULL, 0, NULL, 0), 0);
    /* Worker 0 replaced while alive: two incarnations on slot 0. */
    attach(&f, &w[2], 0, 0, true);
    /* Writes still queued when it goes. */
    char *p = pattern(300000, 9);
    CHECK_EQ(tide_hub_send(&f.hub, 0, TIDE_MSG_DATA, 4, 0, p, 300000, NULL, 0), 0);
    CHECK_EQ(tide_hub_send(&f.hub, 0, TIDE_MSG_DATA, 4, 0, "tail", 4, NULL, 0), 0);
    free(p);
    CHECK_EQ(nlinks(&f), 3);
    fix_done(&f, w, 3); /* LeakSanitizer under SAN=1 */
}

REACTOR_TEST(hub_forget_in_a_forked_child_leaves_the_parent_links_working)
{
    fix_t f;
    wk_t w[1];
    fix_init(&f, backend, 2, TIDE_MSG_TO_HUB);
    attach(&f, &w[0], 0, 0, true);
    CHECK_EQ(tide_hub_send(&f.hub, 1, TIDE_MSG_CONNECT, 3, 0, NULL, 0, NULL, 0), 0);
    CHECK_EQ(tide_hub_send(&f.hub, 0, TIDE_MSG_DATA, 1, 0, "batched", 7, NULL, 0), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        tide_hub_forget(&f.hub);
        CHECK(f.hub.slots == NULL);
        /* The worker's side of the pair is a link on the same (inherited) reactor. */
        tide_link_forget(&w[0].l);
        free(w[0].last);
        tide_reactor_destroy(f.r);
        tide_server_destroy(&f.srv);
        exit(0); /* LeakSanitizer checks the child too */
    }
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
    /* The batch made before the fork still goes, and new messages too. */
    CHECK_EQ(tide_hub_send(&f.hub, 0, TIDE_MSG_DATA, 2, 0, "after", 5, NULL, 0), 0);
    PUMP_UNTIL(&f, w[0].got == 2);
    CHECK_STR(w[0].log, "DATA 1 0 7;DATA 2 0 5;");
    CHECK_EQ(f.crashes, 0);
    fix_done(&f, w, 1);
}

TEST(role_names_are_those_messages_and_logs_print)
{
    CHECK_STR(tide_role_name(TIDE_ROLE_MASTER, "x"), "master");
    CHECK_STR(tide_role_name(TIDE_ROLE_MANAGER, "x"), "manager");
    CHECK_STR(tide_role_name(TIDE_ROLE_WORKER, "x"), "worker");
    CHECK_STR(tide_role_name(TIDE_ROLE_NONE, "calling"), "calling");
}

/* ---- tasks ---- */

static int send_task(wk_t *w, uint64_t id, uint32_t dst, const char *data)
{
    tide_msg_task_t head = {0, 0, 0};
    return tide_link_send2(&w->l, TIDE_MSG_TASK_REQ, id, dst, &head, sizeof(head), data,
                           strlen(data));
}

/* A task worker's answer to the task whose TASK it got last (its head sent back). */
static int send_end(wk_t *t, uint64_t id, uint32_t src, uint32_t flags, const char *result)
{
    tide_msg_task_t head;
    memcpy(&head, t->last, sizeof(head));
    head.flags = flags | (result ? TIDE_TASK_RESULT : 0);
    return tide_link_send2(&t->l, TIDE_MSG_TASK_END, id, src, &head, sizeof(head), result,
                           result ? strlen(result) : 0);
}

static uint32_t last_flags(const wk_t *w)
{
    tide_msg_task_t head;
    memcpy(&head, w->last, sizeof(head));
    return head.flags;
}

/* Tasks go to the task worker asked for, or to the one with the fewest not ended; answers
 * go back to the incarnation that sent the task and to no other; a task worker is believed
 * only about its own tasks; a crashed one has its tasks reported lost. */
REACTOR_TEST(hub_hands_out_tasks_idle_first_and_routes_their_answers)
{
    fix_t f;
    wk_t w[4]; /* w[0] a worker, w[1] and w[2] task workers, w[3] w[0]'s successor */
    fix_init(&f, backend, 3, TIDE_MSG_TO_HUB);
    f.srv.cfg.worker_num = 1;
    f.srv.cfg.task_worker_num = 2;
    attach(&f, &w[0], 0, 0, true);
    attach(&f, &w[1], 1, 0, true);
    attach(&f, &w[2], 2, 0, true);
    /* Two tasks to any: one each (the fewest first); a third to index 0 (worker #1). */
    CHECK_EQ(send_task(&w[0], 1, TIDE_TASK_ANY, "a"), 0);
    CHECK_EQ(send_task(&w[0], 2, TIDE_TASK_ANY, "b"), 0);
    PUMP_UNTIL(&f, w[1].got == 1 && w[2].got == 1);
    wk_t *first = strstr(w[1].log, "TASK 1 0") ? &w[1] : &w[2];
    wk_t *second = first == &w[1] ? &w[2] : &w[1];
    CHECK(strstr(first->log, "TASK 1 0 ") != NULL);
    CHECK(strstr(second->log, "TASK 2 0 ") != NULL);
    CHECK_EQ(f.hub.slots[1].tasks.len + f.hub.slots[2].tasks.len, 2);
    CHECK_EQ(send_task(&w[0], 3, 0, "c"), 0);
    PUMP_UNTIL(&f, w[1].got == 2);
    CHECK(strstr(w[1].log, "TASK 3 0 ") != NULL);
    CHECK_EQ(w[1].last_len, sizeof(tide_msg_task_t) + 1);
    CHECK_EQ(w[1].last[sizeof(tide_msg_task_t)], 'c');

    /* An answer with a result reaches the sender as FINISH from that task worker. */
    CHECK_EQ(send_end(&w[1], 3, 0, TIDE_TASK_END, "done"), 0);
    PUMP_UNTIL(&f, w[0].got == 1);
    CHECK(strstr(w[0].log, "FINISH 3 1 ") != NULL);
    CHECK_EQ(last_flags(&w[0]), TIDE_TASK_END | TIDE_TASK_RESULT);
    CHECK_STR(w[0].last + sizeof(tide_msg_task_t), "done");
    CHECK_EQ(f.hub.slots[1].tasks.len, first == &w[1] ? 1 : 0);
    /* The same task ended twice, or a task the task worker never had: not passed on. */
    CHECK_EQ(send_end(&w[1], 3, 0, TIDE_TASK_END, "again"), 0);
    CHECK_EQ(send_end(&w[1], 99, 0, TIDE_TASK_END, "lie"), 0);
    settle(&f);
    CHECK_EQ(w[0].got, 1);

    /* The second task worker crashes (its link ends without EXITING): its task is lost. */
    wk_close(second);
    PUMP_UNTIL(&f, w[0].got == 2);
    CHECK_EQ(last_flags(&w[0]), TIDE_TASK_END | TIDE_TASK_LOST);
    CHECK(strstr(w[0].log, second == &w[2] ? "FINISH 2 2 " : "FINISH 2 1 ") != NULL);

    /* The worker goes and a successor attaches: an answer to the old one's task goes to
     * nobody (the successor has tasks of the same ids). */
    wk_close(&w[0]);
    PUMP_UNTIL(&f, f.crashes >= 2);
    attach(&f, &w[3], 0, 0, true);
    CHECK_EQ(send_end(first, 1, 0, TIDE_TASK_END, "late"), 0);
    settle(&f);
    PUMP_UNTIL(&f, f.hub.slots[first == &w[1] ? 1 : 2].tasks.len == 0);
    CHECK_EQ(w[3].got, 0);
    /* A task worker may not send tasks. */
    CHECK_EQ(send_task(first, 4, TIDE_TASK_ANY, "x"), 0);
    PUMP_UNTIL(&f, f.warnings >= 1);
    CHECK(strstr(f.logged, "a task worker may not send tasks") != NULL);
    fix_done(&f, w, 4);
}

/* The end of w's direct link to `other`, or -1. */
static int direct_fd(const wk_t *w, int other)
{
    int fd = -1;
    for (int i = 0; i < w->ndirect; i++)
        if (w->direct_to[i] == other)
            fd = w->direct_fd[i]; /* the latest */
    return fd;
}

/* Whether a and b hold the two ends of one pair. */
static bool linked(const wk_t *a, int a_id, const wk_t *b, int b_id)
{
    int x = direct_fd(a, b_id), y = direct_fd(b, a_id);
    if (x < 0 || y < 0 || send(x, "ping", 4, MSG_DONTWAIT) != 4)
        return false;
    char buf[8];
    return recv(y, buf, sizeof(buf), MSG_DONTWAIT) == 4 && memcmp(buf, "ping", 4) == 0;
}

/* Every worker gets a direct link to every task worker (one pair, an end each), when
 * either of the two takes its slot; workers among themselves get none. */
REACTOR_TEST(hub_introduces_every_worker_to_every_task_worker)
{
    fix_t f;
    wk_t w[5]; /* w[0], w[1] workers, w[2], w[3] task workers, w[4] w[2]'s successor */
    fix_init(&f, backend, 4, TIDE_MSG_TO_HUB);
    f.srv.cfg.worker_num = 2;
    f.srv.cfg.task_worker_num = 2;
    attach(&f, &w[0], 0, 0, true);
    attach(&f, &w[2], 2, 0, true);
    attach(&f, &w[1], 1, 0, true);
    attach(&f, &w[3], 3, 0, true);
    PUMP_UNTIL(&f, w[0].ndirect == 2 && w[1].ndirect == 2 && w[2].ndirect == 2 &&
                       w[3].ndirect == 2);
    for (int a = 0; a < 2; a++)
        for (int t = 2; t < 4; t++)
            CHECK(linked(&w[a], a, &w[t], t) && linked(&w[t], t, &w[a], a));
    CHECK_EQ(direct_fd(&w[0], 1), -1);
    /* A task worker's next incarnation is introduced to both workers again. */
    wk_close(&w[2]);
    PUMP_UNTIL(&f, f.crashes >= 1);
    attach(&f, &w[4], 2, 0, true);
    PUMP_UNTIL(&f, w[4].ndirect == 2 && w[0].ndirect == 3 && w[1].ndirect == 3);
    CHECK(linked(&w[0], 0, &w[4], 2) && linked(&w[4], 2, &w[1], 1));
    CHECK_EQ(w[0].got + w[1].got + w[3].got + w[4].got, 0);
    fix_done(&f, w, 5);
}

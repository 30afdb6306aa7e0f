/* SPDX-License-Identifier: MIT */
/*
 * The HTTP/1.x head parser and port protocol (src/proto/http1.c). Every stream is fed
 * whole, split in two at every offset, and byte by byte: what is handed out (requests,
 * with chunked bodies decoded) and what the protocol answers itself must be the same each
 * time.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "test.h"
#include "tide/common.h"
#include "tide/http1.h"

/* A transcript: each message as "[...]", each reply as "{...}", the feed's result last. */
typedef struct got {
    char out[16384];
    size_t len;
    int count;
    int hold;  /* answer HOLD to this many messages first */
    int stop;  /* answer STOP to each message when set */
    /* spooling (offered when `spool_on`): the file, and what it saw */
    bool spool_on;
    int spool_fail; /* fail the spool write that comes when this many bytes are in */
    char file[16384];
    size_t file_len;
    int spooled;     /* spooled messages taken */
    size_t max_held; /* the most bytes the protocol held at once */
} got_t;

static void put(got_t *g, const char *pre, const char *data, size_t len, const char *post)
{
    size_t a = strlen(pre), b = strlen(post);
    CHECK(g->len + a + len + b + 1 < sizeof(g->out));
    memcpy(g->out + g->len, pre, a);
    memcpy(g->out + g->len + a, data, len);
    memcpy(g->out + g->len + a + len, post, b);
    g->len += a + len + b;
    g->out[g->len] = 0;
}

static int on_message(void *ctx, const char *data, size_t len)
{
    got_t *g = ctx;
    if (g->hold > 0) {
        g->hold--;
        return TIDE_PROTO_HOLD;
    }
    put(g, "[", data, len, "]");
    g->count++;
    return g->stop ? TIDE_PROTO_STOP : TIDE_PROTO_TAKEN;
}

static int on_spool(void *ctx, const char *data, size_t len)
{
    got_t *g = ctx;
    if (g->spool_fail && g->file_len + len >= (size_t)g->spool_fail)
        return -28; /* ENOSPC */
    CHECK(g->file_len + len <= sizeof(g->file));
    memcpy(g->file + g->file_len, data, len);
    g->file_len += len;
    return 0;
}

/* A spooled message is put in the transcript as if it came whole: head and body. */
static int on_spooled(void *ctx, const char *data, size_t len, uint64_t body_len)
{
    got_t *g = ctx;
    CHECK_EQ(body_len, g->file_len);
    if (g->hold > 0) {
        g->hold--;
        return TIDE_PROTO_HOLD;
    }
    put(g, "[", data, len, "");
    put(g, "", g->file, g->file_len, "]");
    g->file_len = 0;
    g->count++;
    g->spooled++;
    return g->stop ? TIDE_PROTO_STOP : TIDE_PROTO_TAKEN;
}

static void on_reply(void *ctx, const void *data, size_t len)
{
    got_t *g = ctx;
    /* Only the status line of a reply: its body is fixed. */
    const char *nl = memchr(data, '\r', len);
    put(g, "{", data, nl ? (size_t)(nl - (const char *)data) : len, "}");
}

static const tide_http1_opts_t small = {.max_head = 256, .max_body = 64};

/* Feeds `in` in pieces cut at `cut` (n+1: byte by byte) and returns the transcript, with
 * " E" appended when a feed refused the stream. */
static void run_spool(const tide_http1_opts_t *o, const char *in, size_t n, size_t cut, got_t *g,
                      bool spool, int spool_fail)
{
    tide_http1_conn_t st;
    tide_proto_io_t io = {on_message, on_reply, g, 0, spool ? on_spool : NULL,
                          spool ? on_spooled : NULL};
    memset(g, 0, sizeof(*g));
    g->spool_fail = spool_fail;
    tide_proto_http1.init(&st, o);
    int rc = 0;
    if (cut <= n) {
        rc = tide_proto_http1.feed(&st, in, cut, &io);
        if (st.len > g->max_held)
            g->max_held = st.len;
        if (rc >= 0)
            rc = tide_proto_http1.feed(&st, in + cut, n - cut, &io);
    } else {
        for (size_t i = 0; i < n && rc >= 0; i++) {
            rc = tide_proto_http1.feed(&st, in + i, 1, &io);
            if (st.len > g->max_held)
                g->max_held = st.len;
        }
    }
    if (rc < 0)
        put(g, " E", "", 0, "");
    tide_proto_http1.destroy(&st);
}

static void run(const tide_http1_opts_t *o, const char *in, size_t n, size_t cut, got_t *g)
{
    run_spool(o, in, n, cut, g, false, 0);
}

static void check_splits(const tide_http1_opts_t *o, const char *in, const char *want)
{
    size_t n = strlen(in);
    for (size_t cut = 0; cut <= n + 1; cut++) {
        got_t g;
        run(o, in, n, cut, &g);
        if (strcmp(g.out, want))
            FAILF("split at %zu of %zu:\n got: %s\nwant: %s", cut, n, g.out, want);
    }
}

TEST(http1_requests_are_handed_out_whole_at_every_split)
{
    check_splits(&small, "GET /a?b=1 HTTP/1.1\r\nHost: x\r\n\r\n",
                 "[GET /a?b=1 HTTP/1.1\r\nHost: x\r\n\r\n]");
    /* Pipelined: a body, bare LF line ends, a chunked body (decoded, trailer dropped), and
     * empty lines between requests. */
    check_splits(&small,
                 "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                 "GET /g HTTP/1.1\nHost: x\n\n"
                 "\r\n"
                 "PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n"
                 "GET /last HTTP/1.1\r\nHost: x\r\n\r\n",
                 "[POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello]"
                 "[GET /g HTTP/1.1\nHost: x\n\n]"
                 "[PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nhello world]"
                 "[GET /last HTTP/1.1\r\nHost: x\r\n\r\n]");
    /* Chunk sizes in upper-case hex, LF-only chunk lines, an empty chunked body. */
    check_splits(&small,
                 "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\nA\nabcdefghij\n0\n\n"
                 "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                 "[POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\nabcdefghij]"
                 "[POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n]");
}

TEST(http1_refusals_answer_their_status_and_end_the_stream)
{
    struct {
        const char *in, *want;
    } cases[] = {
        {"GET / HTTP/1.1\r\nHost: x\r\n\r\nBAD LINE\r\n\r\n",
         "[GET / HTTP/1.1\r\nHost: x\r\n\r\n]{HTTP/1.1 400 Bad Request} E"},
        {"GET  / HTTP/1.1\r\nHost: x\r\n\r\n", "{HTTP/1.1 400 Bad Request} E"},
        {"GET / HTTP/1.1\r\nHost : x\r\n\r\n", "{HTTP/1.1 400 Bad Request} E"},
        {"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", "{HTTP/1.1 400 Bad Request} E"},
        {"GET / HTTP/1.1\r\nHost: x\ry\r\n\r\n", "{HTTP/1.1 400 Bad Request} E"},
        {"GET / HTTP/1.1\r\nHost: x\x01\r\n\r\n", "{HTTP/1.1 400 Bad Request} E"},
        {"GET / HTTP/1.1\r\n\r\n", "{HTTP/1.1 400 Bad Request} E"}, /* no Host */
        {"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "{HTTP/1.1 400 Bad Request} E"},
        {"GET / HTTP/1.1x\r\nHost: x\r\n\r\n", "{HTTP/1.1 400 Bad Request} E"},
        {"GET / HTTP/2.0\r\nHost: x\r\n\r\n", "{HTTP/1.1 505 HTTP Version Not Supported} E"},
        {"GET / HTTP/0.9\r\nHost: x\r\n\r\n", "{HTTP/1.1 505 HTTP Version Not Supported} E"},
        /* Smuggling: both framings, two lengths, a coding not last or twice. */
        {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
         "{HTTP/1.1 400 Bad Request} E"},
        {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
         "{HTTP/1.1 400 Bad Request} E"},
        {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 4\r\n\r\nabcd",
         "{HTTP/1.1 400 Bad Request} E"},
        {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", "{HTTP/1.1 400 Bad Request} E"},
        {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc", "{HTTP/1.1 400 Bad Request} E"},
        {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
         "{HTTP/1.1 501 Not Implemented} E"},
        {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
         "{HTTP/1.1 501 Not Implemented} E"},
        {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
         "{HTTP/1.1 400 Bad Request} E"},
        {"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", "{HTTP/1.1 400 Bad Request} E"},
        /* Chunk framing. */
        {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
         "{HTTP/1.1 400 Bad Request} E"},
        {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n",
         "{HTTP/1.1 400 Bad Request} E"},
        {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n",
         "{HTTP/1.1 400 Bad Request} E"},
        /* Bounds: body (max_body 64) and head (max_head 256). */
        {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 65\r\n\r\n",
         "{HTTP/1.1 413 Content Too Large} E"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_splits(&small, cases[i].in, cases[i].want);
}

TEST(http1_bounds_of_head_and_body_hold_at_every_split)
{
    char in[1024];
    /* A chunked body that passes max_body over two chunks. */
    snprintf(in, sizeof(in),
             "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
             "20\r\n%032d\r\n21\r\n", 0);
    check_splits(&small, in, "{HTTP/1.1 413 Content Too Large} E");
    /* A head over max_head, complete or not. */
    snprintf(in, sizeof(in), "GET / HTTP/1.1\r\nHost: x\r\nX-Long: %0300d", 0);
    check_splits(&small, in, "{HTTP/1.1 431 Request Header Fields Too Large} E");
    snprintf(in, sizeof(in), "GET / HTTP/1.1\r\nHost: x\r\nX-Long: %0300d\r\n\r\n", 0);
    check_splits(&small, in, "{HTTP/1.1 431 Request Header Fields Too Large} E");
    /* A request line alone longer than max_head, never ended. */
    memset(in, 'A', 400);
    in[400] = 0;
    check_splits(&small, in, "{HTTP/1.1 431 Request Header Fields Too Large} E");
    /* More header lines than TIDE_HTTP1_MAX_HEADERS, within the byte bound. */
    tide_http1_opts_t big = {.max_head = 8192, .max_body = 64};
    char many[4096];
    size_t len = (size_t)snprintf(many, sizeof(many), "GET / HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < TIDE_HTTP1_MAX_HEADERS; i++)
        len += (size_t)snprintf(many + len, sizeof(many) - len, "a%d: 1\r\n", i);
    snprintf(many + len, sizeof(many) - len, "\r\n");
    got_t g;
    run(&big, many, strlen(many), strlen(many), &g);
    CHECK_STR(g.out, "{HTTP/1.1 431 Request Header Fields Too Large} E");
}

TEST(http1_empty_lines_before_a_request_hold_no_memory)
{
    tide_http1_conn_t st;
    got_t g;
    memset(&g, 0, sizeof(g));
    tide_proto_io_t io = {on_message, on_reply, &g, 0, NULL, NULL};
    tide_proto_http1.init(&st, &small);
    for (int i = 0; i < 100000; i++) {
        CHECK_EQ(tide_proto_http1.feed(&st, "\r\n", 2, &io), 0);
        CHECK(tide_proto_http1.pending(&st) <= 1);
    }
    const char req[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    CHECK_EQ(tide_proto_http1.feed(&st, req, sizeof(req) - 1, &io), 0);
    CHECK_EQ(g.count, 1);
    tide_proto_http1.destroy(&st);
}

TEST(http1_connection_close_and_http10_end_the_stream_after_their_request)
{
    check_splits(&small, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /2 HTTP/1.1\r\n",
                 "[GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n]");
    check_splits(&small, "GET / HTTP/1.0\r\n\r\nGET /2 HTTP/1.0\r\n\r\n", "[GET / HTTP/1.0\r\n\r\n]");
    check_splits(&small,
                 "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /2 HTTP/1.0\r\n\r\nGET /3 HTTP/1.0\r\n\r\n",
                 "[GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n][GET /2 HTTP/1.0\r\n\r\n]");
}

TEST(http1_expect_100_continue_is_answered_before_the_body_comes)
{
    const char head[] = "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n";
    got_t g;
    run(&small, head, sizeof(head) - 1, sizeof(head) - 1, &g);
    CHECK_STR(g.out, "{HTTP/1.1 100 Continue}");
    /* The body is here already: nothing to wait for, no 100. */
    char whole[256];
    snprintf(whole, sizeof(whole), "%sok", head);
    got_t w;
    run(&small, whole, strlen(whole), strlen(whole), &w);
    char want[300];
    snprintf(want, sizeof(want), "[%s]", whole);
    CHECK_STR(w.out, want);
    /* Too long a body: 413 instead of 100. */
    const char big[] = "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 100\r\n\r\n";
    run(&small, big, sizeof(big) - 1, sizeof(big) - 1, &g);
    CHECK_STR(g.out, "{HTTP/1.1 413 Content Too Large} E");
}

TEST(http1_hold_and_stop_keep_requests_for_the_next_feed)
{
    const char in[] = "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n";
    tide_http1_conn_t st;
    got_t g;
    memset(&g, 0, sizeof(g));
    tide_proto_io_t io = {on_message, on_reply, &g, 0, NULL, NULL};
    tide_proto_http1.init(&st, &small);
    g.hold = 1;
    CHECK_EQ(tide_proto_http1.feed(&st, in, sizeof(in) - 1, &io), TIDE_PROTO_HOLD);
    CHECK_EQ(g.count, 0);
    CHECK_EQ(tide_proto_http1.pending(&st), sizeof(in) - 1);
    g.stop = 1;
    CHECK_EQ(tide_proto_http1.feed(&st, NULL, 0, &io), TIDE_PROTO_STOP);
    CHECK_STR(g.out, "[GET /1 HTTP/1.1\r\nHost: x\r\n\r\n]");
    CHECK_EQ(tide_proto_http1.feed(&st, NULL, 0, &io), TIDE_PROTO_STOP);
    CHECK_STR(g.out, "[GET /1 HTTP/1.1\r\nHost: x\r\n\r\n][GET /2 HTTP/1.1\r\nHost: x\r\n\r\n]");
    CHECK_EQ(tide_proto_http1.pending(&st), 0);
    tide_proto_http1.destroy(&st);

    /* STOP from the caller's bytes (nothing held before): the rest is not even parsed. */
    memset(&g, 0, sizeof(g));
    tide_proto_http1.init(&st, &small);
    g.stop = 1;
    const char bad[] = "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nBAD\r\n\r\n";
    CHECK_EQ(tide_proto_http1.feed(&st, bad, sizeof(bad) - 1, &io), TIDE_PROTO_STOP);
    CHECK_STR(g.out, "[GET /1 HTTP/1.1\r\nHost: x\r\n\r\n]");
    CHECK_EQ(tide_proto_http1.pending(&st), 7);
    CHECK_EQ(tide_proto_http1.feed(&st, NULL, 0, &io), TIDE_EPROTO);
    CHECK_STR(g.out, "[GET /1 HTTP/1.1\r\nHost: x\r\n\r\n]{HTTP/1.1 400 Bad Request}");
    tide_proto_http1.destroy(&st);

    /* A chunked request held: handed out again whole, decoded once. */
    const char ch[] = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n";
    memset(&g, 0, sizeof(g));
    tide_proto_http1.init(&st, &small);
    g.hold = 1;
    CHECK_EQ(tide_proto_http1.feed(&st, ch, sizeof(ch) - 1, &io), TIDE_PROTO_HOLD);
    CHECK_EQ(tide_proto_http1.feed(&st, NULL, 0, &io), 0);
    CHECK_STR(g.out, "[POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nab]");
    tide_proto_http1.destroy(&st);
}

TEST(http1_head_parser_records_spans_into_the_request)
{
    const char in[] = "\r\nDELETE /p/q?x=1&y HTTP/1.1\r\nHost:  example.org \r\nX-A:\r\n"
                      "Connection: Upgrade, keep-alive\r\nContent-Length: 7, 7\r\n\r\n";
    tide_http1_head_t h;
    long n = tide_http1_parse_head(in, sizeof(in) - 1, 0, &h);
    CHECK_EQ(n, (long)sizeof(in) - 1);
    CHECK_EQ(h.start, 2);
    CHECK(h.method.len == 6 && !memcmp(in + h.method.off, "DELETE", 6));
    CHECK(h.path.len == 4 && !memcmp(in + h.path.off, "/p/q", 4));
    CHECK(h.query.len == 5 && !memcmp(in + h.query.off, "x=1&y", 5));
    CHECK(h.target.len == 10);
    CHECK_EQ(h.version, 11);
    CHECK_EQ(h.nheaders, 4);
    const tide_http1_header_t *host = tide_http1_find(&h, in, "host");
    CHECK(host && host->value.len == 11 && !memcmp(in + host->value.off, "example.org", 11));
    const tide_http1_header_t *xa = tide_http1_find(&h, in, "x-a");
    CHECK(xa && xa->value.len == 0);
    CHECK(h.keep_alive && h.upgrade);
    CHECK_EQ(h.body, TIDE_HTTP1_BODY_LENGTH);
    CHECK_EQ(h.content_length, 7);
    CHECK(!tide_http1_find(&h, in, "cookie"));
    /* Incomplete: 0, at every length short of the whole. */
    for (size_t k = 0; k < sizeof(in) - 1; k++)
        CHECK_EQ(tide_http1_parse_head(in, k, 0, &h), 0);
    CHECK_STR(tide_http1_reason(404), "Not Found");
    CHECK_STR(tide_http1_reason(799), "");
}

TEST(http1_a_head_not_whole_within_its_deadline_expires_with_408)
{
    tide_http1_opts_t o = {.max_head = 256, .max_body = 64, .head_timeout_ns = 1000};
    tide_http1_conn_t st;
    got_t g;
    memset(&g, 0, sizeof(g));
    tide_proto_io_t io = {on_message, on_reply, &g, 100, NULL, NULL};
    tide_proto_http1.init(&st, &o);
    /* Nothing read yet, or a request handed out whole: no clock runs. */
    io.now_ns = 5000;
    CHECK_EQ(tide_proto_http1.expire(&st, &io), 0);
    io.now_ns = 100;
    const char req[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HT";
    CHECK_EQ(tide_proto_http1.feed(&st, req, sizeof(req) - 1, &io), 0);
    CHECK_EQ(g.count, 1);
    /* The clock of the second head runs from its first byte (t=100), not from later ones. */
    io.now_ns = 900;
    CHECK_EQ(tide_proto_http1.feed(&st, "T", 1, &io), 0);
    io.now_ns = 1099;
    CHECK_EQ(tide_proto_http1.expire(&st, &io), 0);
    io.now_ns = 1100;
    CHECK_EQ(tide_proto_http1.expire(&st, &io), 1);
    CHECK_STR(g.out, "[GET / HTTP/1.1\r\nHost: x\r\n\r\n]{HTTP/1.1 408 Request Timeout}");
    tide_proto_http1.destroy(&st);

    /* No deadline set: never. */
    tide_proto_http1.init(&st, &small);
    CHECK_EQ(tide_proto_http1.feed(&st, "GET", 3, &io), 0);
    io.now_ns = UINT64_MAX / 2;
    CHECK_EQ(tide_proto_http1.expire(&st, &io), 0);
    tide_proto_http1.destroy(&st);
}

/* Bodies over spool_min go to the spool as they arrive (when spooling is offered): what is
 * handed out is the same at every split, and the protocol holds about spool_min bytes, not
 * the body. */
TEST(http1_large_bodies_are_spooled_as_they_arrive_at_every_split)
{
    static const tide_http1_opts_t o = {.max_head = 256, .max_body = 4096, .spool_min = 16};
    static char in[4096], want[8192];
    char body[1001], part[301];
    for (int i = 0; i < 1000; i++)
        body[i] = (char)('a' + i % 26);
    body[1000] = 0;
    memcpy(part, body + 7, 300);
    part[300] = 0;
    snprintf(in, sizeof(in),
             "POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n%s"
             "GET /g HTTP/1.1\r\nHost: x\r\n\r\n"
             "PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
             "12c\r\n%s\r\n12C;x=y\r\n%s\r\n12c\r\n%s\r\n0\r\nT: 1\r\n\r\n"
             "POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
             "GET /last HTTP/1.1\r\nHost: x\r\n\r\n",
             body, part, part, part);
    snprintf(want, sizeof(want),
             "[POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n%s]"
             "[GET /g HTTP/1.1\r\nHost: x\r\n\r\n]"
             "[PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n%s%s%s]"
             "[POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello]"
             "[GET /last HTTP/1.1\r\nHost: x\r\n\r\n]",
             body, part, part, part);
    size_t n = strlen(in);
    static got_t g;
    for (size_t cut = 0; cut <= n + 1; cut++) {
        run_spool(&o, in, n, cut, &g, true, 0);
        if (strcmp(g.out, want))
            FAILF("split at %zu of %zu:\n got: %s\nwant: %s", cut, n, g.out, want);
    }
    /* Byte by byte: both large bodies were spooled, and the protocol never held more than
     * a head, spool_min decoded bytes and a chunk line. */
    run_spool(&o, in, n, n + 1, &g, true, 0);
    CHECK_EQ(g.spooled, 2);
    CHECK(g.max_held < 120);
    /* Not offered: the same requests, held in memory. */
    run_spool(&o, in, n, n + 1, &g, false, 0);
    CHECK_STR(g.out, want);
    CHECK_EQ(g.spooled, 0);
    CHECK(g.max_held > 1000);

    /* A spool that fails (a full disk): 500, and the stream ends. */
    for (int which = 0; which < 2; which++) {
        const char *req = which ? strstr(in, "PUT /c") : in;
        run_spool(&o, req, strlen(req), strlen(req) + 1, &g, true, 500);
        CHECK_STR(g.out, "{HTTP/1.1 500 Internal Server Error} E");
    }
}

TEST(http1_a_held_spooled_request_comes_again_with_its_whole_body)
{
    static const tide_http1_opts_t o = {.max_head = 256, .max_body = 4096, .spool_min = 16};
    const char head[] = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\n";
    const char body[] = "0123456789012345678901234567890123456789";
    static got_t g;
    memset(&g, 0, sizeof(g));
    tide_http1_conn_t st;
    tide_proto_io_t io = {on_message, on_reply, &g, 0, on_spool, on_spooled};
    tide_proto_http1.init(&st, &o);
    CHECK_EQ(tide_proto_http1.feed(&st, head, sizeof(head) - 1, &io), 0);
    CHECK_EQ(tide_proto_http1.feed(&st, body, 20, &io), 0);
    CHECK_EQ(g.file_len, 20);
    g.hold = 1;
    CHECK_EQ(tide_proto_http1.feed(&st, body + 20, 20, &io), TIDE_PROTO_HOLD);
    CHECK_EQ(g.count, 0);
    CHECK_EQ(tide_proto_http1.feed(&st, NULL, 0, &io), 0);
    char want[256];
    snprintf(want, sizeof(want), "[%s%s]", head, body);
    CHECK_STR(g.out, want);
    CHECK_EQ(g.spooled, 1);
    CHECK_EQ(tide_proto_http1.pending(&st), 0);
    tide_proto_http1.destroy(&st);
}

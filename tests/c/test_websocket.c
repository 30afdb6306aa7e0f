/* SPDX-License-Identifier: MIT */
/*
 * WebSocket (src/proto/websocket.c): the frame codec, UTF-8 checking, the handshake pieces,
 * permessage-deflate negotiation and compression, and the port protocol. Client streams are
 * fed whole, split in two at every offset, byte by byte and in random pieces, with the owner
 * taking, stopping or holding messages: what is handed out and what the protocol answers
 * must be the same each time. Every allocation of the protocol goes through a counting
 * allocator: a connection destroyed leaves none behind.
 */
#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "test.h"
#include "tide/common.h"
#include "tide/websocket.h"

#define MIB (1024u * 1024u)

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* ---- byte buffers (the test's own, not counted) ---- */

typedef struct buf {
    char *p;
    size_t n, cap;
} buf_t;

static void buf_put(buf_t *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        size_t c = b->cap ? b->cap : 256;
        while (c < b->n + n)
            c *= 2;
        b->p = realloc(b->p, c);
        CHECK(b->p);
        b->cap = c;
    }
    if (n)
        memcpy(b->p + b->n, p, n);
    b->n += n;
}

static void buf_free(buf_t *b)
{
    free(b->p);
    memset(b, 0, sizeof(*b));
}

/* ---- client frames, built without the code under test ---- */

/* The header of a frame, as RFC 6455 5.2 draws it: its length. */
static size_t head_ref(uint8_t *h, uint8_t first, uint64_t len, const uint8_t *key)
{
    size_t n = 0;
    uint8_t m = key ? 0x80 : 0;
    h[n++] = first;
    if (len < 126) {
        h[n++] = m | (uint8_t)len;
    } else if (len < 65536) {
        h[n++] = m | 126;
        h[n++] = (uint8_t)(len >> 8);
        h[n++] = (uint8_t)len;
    } else {
        h[n++] = m | 127;
        for (int i = 7; i >= 0; i--)
            h[n++] = (uint8_t)(len >> (8 * i));
    }
    if (key) {
        memcpy(h + n, key, 4);
        n += 4;
    }
    return n;
}

/* A frame with the first byte `first` (FIN | RSV | opcode), masked with a random key unless
 * masked is false. */
static void frame_raw(buf_t *b, uint8_t first, const void *payload, size_t n, bool masked)
{
    uint8_t h[14], key[4] = {0};
    uint32_t k = (uint32_t)rnd();
    memcpy(key, &k, 4);
    size_t hl = head_ref(h, first, n, masked ? key : NULL);
    buf_put(b, h, hl);
    size_t at = b->n;
    buf_put(b, payload, n);
    if (masked)
        for (size_t i = 0; i < n; i++)
            b->p[at + i] ^= (char)key[i & 3];
}

static void frame(buf_t *b, uint8_t first, const void *payload, size_t n)
{
    frame_raw(b, first, payload, n, true);
}

static void frame_str(buf_t *b, uint8_t first, const char *s)
{
    frame(b, first, s, strlen(s));
}

/* A close frame from the client: code (0: no payload) and reason. */
static void frame_close(buf_t *b, unsigned code, const char *reason)
{
    char p[2 + 125];
    size_t n = 0;
    if (code) {
        p[0] = (char)(code >> 8);
        p[1] = (char)code;
        n = 2 + strlen(reason);
        memcpy(p + 2, reason, n - 2);
    }
    frame(b, 0x80 | TIDE_WS_CLOSE, p, n);
}

/* ---- allocations counted ---- */

static long allocs;       /* live blocks from tide_malloc and friends */
static size_t live, peak; /* their bytes, and the most at once */

static void *count_malloc(size_t n)
{
    void *p = malloc(n);
    if (p) {
        allocs++;
        live += malloc_usable_size(p);
        if (live > peak)
            peak = live;
    }
    return p;
}

static void *count_realloc(void *p, size_t n)
{
    size_t was = p ? malloc_usable_size(p) : 0;
    void *q = realloc(p, n);
    if (q) {
        allocs += p ? 0 : 1;
        live += malloc_usable_size(q) - was;
        if (live > peak)
            peak = live;
    }
    return q;
}

static void count_free(void *p)
{
    if (!p)
        return;
    allocs--;
    live -= malloc_usable_size(p);
    free(p);
}

static void count_allocations(void)
{
    static bool on;
    if (!on)
        tide_set_allocator(&(tide_allocator_t){count_malloc, count_realloc, count_free});
    on = true;
}

/* ---- a connection and what it hands out ---- */

enum { TAKE, STOP, HOLD_ALT, RANDOM }; /* how the owner answers messages */

#define MAX_EV 512

/* An event: a message ('m', its head and payload) or a reply ('r'), at log.p + off. */
typedef struct ev {
    char kind;
    size_t off, n;
} ev_t;

typedef struct rec {
    buf_t log; /* every event: kind, 8 bytes of length, bytes; and the feed's end result */
    ev_t ev[MAX_EV];
    int nev;
    int policy;
    unsigned calls;               /* message() calls, held ones included */
    unsigned hold_from, hold_to;  /* calls numbered from 1 in [from, to] answer HOLD */
    uint64_t seed;
} rec_t;

static void rec_add(rec_t *r, char kind, const void *p, size_t n)
{
    uint64_t len = n;
    buf_put(&r->log, &kind, 1);
    buf_put(&r->log, &len, sizeof(len));
    CHECK(r->nev < MAX_EV);
    r->ev[r->nev++] = (ev_t){kind, r->log.n, n};
    buf_put(&r->log, p, n);
}

static int on_message(void *ctx, const char *data, size_t len)
{
    rec_t *r = ctx;
    if (len < sizeof(tide_ws_msg_t) || (uint8_t)data[0] != TIDE_WS_MSG_MAGIC)
        FAILF("a message of %zu bytes without its head", len);
    unsigned call = ++r->calls;
    int answer = r->policy == STOP ? TIDE_PROTO_STOP : TIDE_PROTO_TAKEN;
    if (r->policy == HOLD_ALT && call % 2)
        answer = TIDE_PROTO_HOLD;
    if (r->policy == RANDOM) {
        r->seed = r->seed * 6364136223846793005ull + 1442695040888963407ull;
        int k = (int)(r->seed >> 61);
        answer = k < 2 ? TIDE_PROTO_HOLD : k < 4 ? TIDE_PROTO_STOP : TIDE_PROTO_TAKEN;
    }
    if (call >= r->hold_from && call <= r->hold_to)
        answer = TIDE_PROTO_HOLD;
    /* A close frame is handed out once, whatever the owner answers: it is not held. */
    if (data[1] == TIDE_WS_CLOSE && answer == TIDE_PROTO_HOLD)
        answer = TIDE_PROTO_TAKEN;
    if (answer != TIDE_PROTO_HOLD)
        rec_add(r, 'm', data, len);
    return answer;
}

static void on_reply(void *ctx, const void *data, size_t len)
{
    rec_add(ctx, 'r', data, len);
}

typedef struct ws {
    tide_ws_conn_t *st;
    tide_ws_opts_t o; /* the state points here: a ws_t does not move */
    rec_t r;
    tide_proto_io_t io;
} ws_t;

static int open_conns;
static long allocs_kept; /* live allocations the test itself holds (a zout, its output) */

static ws_t *ws_new(const tide_ws_opts_t *o, const tide_ws_deflate_t *z)
{
    count_allocations();
    ws_t *w = calloc(1, sizeof(*w));
    CHECK(w);
    if (o)
        w->o = *o;
    CHECK_EQ(tide_proto_websocket.state_size, sizeof(tide_ws_conn_t));
    w->st = malloc(tide_proto_websocket.state_size);
    CHECK(w->st);
    memset(w->st, 0x5A, tide_proto_websocket.state_size); /* the engine does not zero it */
    CHECK_EQ(tide_proto_websocket.check(&w->o), 0);
    tide_proto_websocket.init(w->st, &w->o);
    w->io = (tide_proto_io_t){on_message, on_reply, &w->r, 0, NULL, NULL};
    CHECK_EQ(tide_proto_websocket.control(w->st, TIDE_PROTO_CTL_UPGRADE, z, z ? sizeof(*z) : 0,
                                          &w->io),
             0);
    open_conns++;
    return w;
}

static void ws_free(ws_t *w)
{
    tide_proto_websocket.destroy(w->st);
    free(w->st);
    buf_free(&w->r.log);
    free(w);
    if (--open_conns == 0 && allocs != allocs_kept)
        FAILF("%ld allocations left after every connection was destroyed",
              allocs - allocs_kept);
}

/* One feed, from a buffer of its own so that ASan sees a read past it. */
static int ws_feed(ws_t *w, const void *p, size_t n)
{
    char *copy = malloc(n ? n : 1);
    CHECK(copy);
    if (n)
        memcpy(copy, p, n);
    int rc = tide_proto_websocket.feed(w->st, n ? copy : NULL, n, &w->io);
    free(copy);
    return rc;
}

static int ws_feed_buf(ws_t *w, const buf_t *b)
{
    return ws_feed(w, b->p, b->n);
}

static size_t ws_pending(const ws_t *w)
{
    return tide_proto_websocket.pending(w->st);
}

static const uint8_t *ev_data(const ws_t *w, int i)
{
    if (i >= w->r.nev)
        FAILF("event %d: there are only %d", i, w->r.nev);
    return (const uint8_t *)w->r.log.p + w->r.ev[i].off;
}

/* Event i is a message with this opcode, these of its FIN and COMPRESS flags, this payload. */
static void expect_msg(const ws_t *w, int i, int opcode, int flags, const void *p, size_t n)
{
    const uint8_t *d = ev_data(w, i);
    const ev_t *e = &w->r.ev[i];
    if (e->kind != 'm')
        FAILF("event %d: a reply, not a message", i);
    int f = d[2] & (TIDE_WS_FLAG_FIN | TIDE_WS_FLAG_COMPRESS);
    if (d[1] != opcode || f != flags)
        FAILF("event %d: opcode %u flags %#x, not %d %#x", i, d[1], f, opcode, flags);
    if (e->n != sizeof(tide_ws_msg_t) + n || memcmp(d + sizeof(tide_ws_msg_t), p, n))
        FAILF("event %d: a payload of %zu bytes, not the %zu expected", i,
              e->n - sizeof(tide_ws_msg_t), n);
}

static void expect_msg_str(const ws_t *w, int i, int opcode, int flags, const char *s)
{
    expect_msg(w, i, opcode, flags, s, strlen(s));
}

/* Event i is a server frame (one reply call, unmasked): its first byte and payload. */
static const uint8_t *reply_frame(const ws_t *w, int i, uint8_t *first, size_t *n)
{
    const uint8_t *d = ev_data(w, i);
    const ev_t *e = &w->r.ev[i];
    if (e->kind != 'r')
        FAILF("event %d: a message, not a reply", i);
    CHECK(e->n >= 2);
    CHECK(!(d[1] & 0x80)); /* a server never masks */
    uint64_t len = d[1] & 0x7F;
    size_t h = 2;
    if (len == 126) {
        len = (uint64_t)d[2] << 8 | d[3];
        h = 4;
    } else if (len == 127) {
        len = 0;
        for (int k = 0; k < 8; k++)
            len = len << 8 | d[2 + k];
        h = 10;
    }
    if (e->n != h + len)
        FAILF("event %d: a reply of %zu bytes holds a frame of %zu", i, e->n, (size_t)(h + len));
    *first = d[0];
    *n = (size_t)len;
    return d + h;
}

static void expect_reply(const ws_t *w, int i, uint8_t first, const void *p, size_t n)
{
    uint8_t f;
    size_t len;
    const uint8_t *d = reply_frame(w, i, &f, &len);
    if (f != first)
        FAILF("event %d: a reply frame starting %#x, not %#x", i, f, first);
    if (len != n || memcmp(d, p, n))
        FAILF("event %d: a reply of %zu payload bytes, not the %zu expected", i, len, n);
}

/* Event i is a close frame from the server with this code. */
static void expect_close(const ws_t *w, int i, unsigned code)
{
    uint8_t f;
    size_t len;
    const uint8_t *d = reply_frame(w, i, &f, &len);
    if (f != (0x80 | TIDE_WS_CLOSE))
        FAILF("event %d: a reply frame starting %#x, not a close", i, f);
    if (len < 2)
        FAILF("event %d: a close frame without a code", i);
    unsigned got = (unsigned)d[0] << 8 | d[1];
    if (got != code)
        FAILF("event %d: close code %u, not %u", i, got, code);
    CHECK_EQ(tide_utf8_run(TIDE_UTF8_OK, d + 2, len - 2), TIDE_UTF8_OK);
}

/* ---- transcripts ---- */

static bool ended(int rc)
{
    return rc < 0 || rc == TIDE_PROTO_CLOSE;
}

/*
 * Feeds in[0..n) as [0, cut), then the rest in pieces of `step` bytes (0: at once,
 * SIZE_MAX: random sizes), the owner answering by `policy`; then, while it stopped or held,
 * feeds n = 0. out: the transcript (messages taken, replies, the result that ended it).
 */
static void run(const tide_ws_opts_t *o, const tide_ws_deflate_t *z, int policy, const char *in,
                size_t n, size_t cut, size_t step, buf_t *out)
{
    ws_t *w = ws_new(o, z);
    w->r.policy = policy;
    w->r.seed = cut * 7919 + step + 1;
    int rc = ws_feed(w, in, cut);
    size_t at = cut;
    while (at < n && !ended(rc)) {
        size_t k = step == 0 ? n - at : step == SIZE_MAX ? 1 + rnd() % 5000 : step;
        if (k > n - at)
            k = n - at;
        rc = ws_feed(w, in + at, k);
        at += k;
    }
    for (int i = 0; i < 100000 && (rc == TIDE_PROTO_STOP || rc == TIDE_PROTO_HOLD); i++)
        rc = ws_feed(w, NULL, 0);
    CHECK(rc != TIDE_PROTO_STOP && rc != TIDE_PROTO_HOLD);
    if (rc) {
        char r[16];
        snprintf(r, sizeof(r), "%d", rc);
        rec_add(&w->r, 'c', r, strlen(r));
    }
    CHECK_EQ(ws_pending(w), 0); /* every stream here is whole */
    *out = w->r.log;
    w->r.log = (buf_t){0};
    ws_free(w);
}

static void same(const buf_t *want, const buf_t *got, const char *what, size_t cut, int policy)
{
    if (want->n == got->n && !memcmp(want->p, got->p, want->n))
        return;
    size_t i = 0;
    while (i < want->n && i < got->n && want->p[i] == got->p[i])
        i++;
    FAILF("%s, cut at %zu, policy %d: the transcript differs at byte %zu (%zu and %zu bytes)",
          what, cut, policy, i, want->n, got->n);
}

/* The stream cut at every offset (or `cuts` random ones), byte by byte, and in random
 * pieces, with each owner policy: the same transcript as fed whole and taken at once. */
static void check_splits(const tide_ws_opts_t *o, const tide_ws_deflate_t *z, const buf_t *s,
                         int cuts)
{
    buf_t want, got;
    run(o, z, TAKE, s->p, s->n, s->n, 0, &want);
    for (int policy = TAKE; policy <= RANDOM; policy++) {
        if (cuts == 0) {
            for (size_t cut = 0; cut <= s->n; cut++) {
                run(o, z, policy, s->p, s->n, cut, 0, &got);
                same(&want, &got, "two feeds", cut, policy);
                buf_free(&got);
            }
        } else {
            for (int i = 0; i < (policy == TAKE ? cuts : cuts / 8); i++) {
                size_t cut = (size_t)(rnd() % (s->n + 1));
                run(o, z, policy, s->p, s->n, cut, 0, &got);
                same(&want, &got, "two feeds", cut, policy);
                buf_free(&got);
            }
        }
        if (cuts == 0 || policy == TAKE || policy == RANDOM) {
            run(o, z, policy, s->p, s->n, 0, 1, &got);
            same(&want, &got, "byte by byte", 0, policy);
            buf_free(&got);
        }
        for (int i = 0; i < (cuts ? 2 : 4); i++) {
            run(o, z, policy, s->p, s->n, 0, SIZE_MAX, &got);
            same(&want, &got, "random pieces", 0, policy);
            buf_free(&got);
        }
    }
    buf_free(&want);
}

/* ---- the frame codec ---- */

TEST(websocket_frame_head_round_trips_through_parse_for_every_length_class)
{
    static const uint64_t lens[] = {0,     1,     125,      126,       127,
                                    65535, 65536, 16777216, (1ull << 63) - 1};
    static const size_t heads[] = {2, 2, 2, 4, 4, 4, 10, 10, 10};
    static const uint8_t firsts[] = {0x81, 0x02, 0x80, 0x89, 0xC1, 0x7F, 0x8A};
    static const uint8_t key[4] = {0x37, 0xFA, 0x21, 0x3D};
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        for (int masked = 0; masked < 2; masked++) {
            for (size_t j = 0; j < sizeof(firsts); j++) {
                uint8_t out[TIDE_WS_HEAD_MAX + 8], ref[TIDE_WS_HEAD_MAX];
                memset(out, 0xEE, sizeof(out));
                const uint8_t *k = masked ? key : NULL;
                size_t h = tide_ws_frame_head(out, firsts[j], lens[i], k);
                CHECK_EQ(h, heads[i] + (masked ? 4 : 0));
                CHECK(h <= TIDE_WS_HEAD_MAX);
                CHECK_EQ(out[h], 0xEE); /* nothing written past the header */
                /* the shortest form, as RFC 6455 5.2 draws it */
                CHECK_EQ(head_ref(ref, firsts[j], lens[i], k), h);
                CHECK(memcmp(out, ref, h) == 0);
                /* parsed back, alone and with payload bytes after it */
                for (size_t extra = 0; extra <= 8; extra += 8) {
                    tide_ws_frame_t f;
                    memset(&f, 0xCC, sizeof(f));
                    CHECK_EQ(tide_ws_parse_frame(out, h + extra, &f), h);
                    CHECK_EQ(f.fin, (firsts[j] & 0x80) != 0);
                    CHECK_EQ(f.rsv, firsts[j] & 0x70);
                    CHECK_EQ(f.opcode, firsts[j] & 0x0F);
                    CHECK_EQ(f.masked, masked);
                    CHECK(f.len == lens[i]);
                    CHECK_EQ(f.head_len, h);
                    if (masked)
                        CHECK(memcmp(f.key, key, 4) == 0);
                }
                /* every prefix of the header is not a header yet */
                for (size_t cut = 0; cut < h; cut++) {
                    tide_ws_frame_t f;
                    if (tide_ws_parse_frame(out, cut, &f) != 0)
                        FAILF("length %llu masked %d: a header of %zu bytes parsed from %zu",
                              (unsigned long long)lens[i], masked, h, cut);
                }
            }
        }
    }
}

TEST(websocket_parse_frame_refuses_a_length_with_its_top_bit_set)
{
    for (int masked = 0; masked < 2; masked++) {
        for (int v = 0; v < 3; v++) {
            uint8_t b[14] = {0x82, (uint8_t)((masked ? 0x80 : 0) | 127)};
            static const uint8_t tops[3] = {0x80, 0xFF, 0x81};
            b[2] = tops[v];
            for (int i = 3; i < 10; i++)
                b[i] = v == 1 ? 0xFF : 0;
            tide_ws_frame_t f;
            CHECK_EQ(tide_ws_parse_frame(b, masked ? 14 : 10, &f), TIDE_EPROTO);
            /* fewer bytes than the length field: still only "more, please" */
            CHECK_EQ(tide_ws_parse_frame(b, 9, &f), 0);
        }
        /* the largest length that fits is a header */
        uint8_t b[14] = {0x82, (uint8_t)((masked ? 0x80 : 0) | 127), 0x7F, 0xFF, 0xFF, 0xFF,
                         0xFF,  0xFF, 0xFF, 0xFF};
        tide_ws_frame_t f;
        CHECK_EQ(tide_ws_parse_frame(b, 14, &f), masked ? 14 : 10);
        CHECK(f.len == 0x7FFFFFFFFFFFFFFFull);
    }
}

TEST(websocket_mask_matches_a_bytewise_reference_at_every_offset)
{
    static const uint64_t ats[] = {0, 1, 2, 3, 4, 5, 6, 7, 4096 + 3, (1ull << 32) + 1,
                                   UINT64_MAX - 2};
    for (size_t a = 0; a < sizeof(ats) / sizeof(ats[0]); a++) {
        for (size_t n = 0; n <= 40; n++) {
            for (size_t align = 0; align < 8; align++) {
                uint8_t key[4], data[64], ref[64], got[64 + 16];
                uint32_t k = (uint32_t)rnd();
                memcpy(key, &k, 4);
                for (size_t i = 0; i < n; i++)
                    data[i] = (uint8_t)rnd();
                for (size_t i = 0; i < n; i++)
                    ref[i] = data[i] ^ key[(ats[a] + i) & 3];
                memset(got, 0xEE, sizeof(got));
                memcpy(got + align, data, n);
                tide_ws_mask(got + align, n, key, ats[a]);
                if (memcmp(got + align, ref, n))
                    FAILF("at %llu, %zu bytes, alignment %zu: not the reference",
                          (unsigned long long)ats[a], n, align);
                for (size_t i = 0; i < sizeof(got); i++)
                    if ((i < align || i >= align + n) && got[i] != 0xEE)
                        FAILF("at %llu, %zu bytes: byte %zu outside was changed",
                              (unsigned long long)ats[a], n, i);
                /* masked in two pieces: the same */
                for (size_t cut = 0; cut <= n; cut++) {
                    uint8_t two[64];
                    memcpy(two, data, n);
                    tide_ws_mask(two, cut, key, ats[a]);
                    tide_ws_mask(two + cut, n - cut, key, ats[a] + cut);
                    CHECK(memcmp(two, ref, n) == 0);
                }
            }
        }
    }
}

/* ---- UTF-8 ---- */

/* The reference: 0 whole characters, 1 a character cut short that may still end well, 2 not
 * UTF-8. Decodes each character, then judges its code point. */
static int utf8_ref(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = p[i];
        int len;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return 2;
        }
        int k = 1;
        for (; k < len && i + (size_t)k < n; k++) {
            if ((p[i + (size_t)k] & 0xC0) != 0x80)
                return 2;
            cp = cp << 6 | (p[i + (size_t)k] & 0x3F);
        }
        if (k < len) {
            /* cut short: the code points it may still become */
            uint32_t lo = cp, hi = cp;
            for (int j = k; j < len; j++) {
                lo = lo << 6;
                hi = hi << 6 | 0x3F;
            }
            uint32_t a = lo > min ? lo : min, b = hi < 0x10FFFF ? hi : 0x10FFFF;
            if (a > b || (a >= 0xD800 && b <= 0xDFFF))
                return 2;
            return 1;
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 2;
        i += (size_t)len;
    }
    return 0;
}

static int utf8_class(uint32_t s)
{
    return s == TIDE_UTF8_OK ? 0 : s == TIDE_UTF8_BAD ? 2 : 1;
}

static void check_utf8(const uint8_t *p, size_t n, bool splits)
{
    int want = utf8_ref(p, n);
    uint32_t whole = tide_utf8_run(TIDE_UTF8_OK, p, n);
    if (utf8_class(whole) != want) {
        char hex[3 * 80 + 1] = "";
        for (size_t i = 0; i < n && i < 80; i++)
            snprintf(hex + 3 * i, 4, "%02x ", p[i]);
        FAILF("%s: state %u, the reference says %d", hex, whole, want);
    }
    if (!splits)
        return;
    for (size_t k = 0; k <= n; k++) {
        uint32_t s = tide_utf8_run(tide_utf8_run(TIDE_UTF8_OK, p, k), p + k, n - k);
        if (s != whole)
            FAILF("%zu bytes split at %zu: state %u, whole %u", n, k, s, whole);
    }
}

TEST(websocket_utf8_run_matches_a_reference_on_every_short_sequence)
{
    /* Every 1- and 2-byte sequence; every 3-byte one whose first two bytes may still start
     * UTF-8 with a lead byte; after an ASCII first byte or a prefix that is already bad,
     * third bytes of each class (a bad prefix stays bad; ASCII first is the 2-byte case
     * again). Exhaustive over all 2^24 takes minutes under valgrind. */
    static const uint8_t classes[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0,
                                      0xBF, 0xC0, 0xC2, 0xE0, 0xED, 0xF0, 0xF4, 0xFF};
    uint8_t b[4];
    for (unsigned x = 0; x < 256; x++) {
        b[0] = (uint8_t)x;
        check_utf8(b, 1, true);
        for (unsigned y = 0; y < 256; y++) {
            b[1] = (uint8_t)y;
            check_utf8(b, 2, true);
            bool every = x >= 0x80 && utf8_ref(b, 2) != 2;
            for (unsigned z = 0; z < (every ? 256u : sizeof(classes)); z++) {
                b[2] = every ? (uint8_t)z : classes[z];
                check_utf8(b, 3, true);
            }
        }
    }
    /* four bytes: every lead F0..F4 with every second byte, then random ones weighted to
     * the bytes that matter */
    static const uint8_t edge[] = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
    for (unsigned x = 0xF0; x <= 0xF5; x++)
        for (unsigned y = 0; y < 256; y++)
            for (size_t z = 0; z < sizeof(edge); z++)
                for (size_t w = 0; w < sizeof(edge); w++) {
                    b[0] = (uint8_t)x, b[1] = (uint8_t)y, b[2] = edge[z], b[3] = edge[w];
                    check_utf8(b, 4, true);
                }
    static const uint8_t leads[] = {0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF3, 0xF4, 0xF5};
    for (int i = 0; i < 300000; i++) {
        for (int j = 0; j < 4; j++) {
            uint64_t r = rnd();
            switch (r % 4) {
            case 0: b[j] = (uint8_t)(r >> 8); break;
            case 1: b[j] = leads[(r >> 8) % sizeof(leads)]; break;
            default: b[j] = (uint8_t)(0x80 | ((r >> 8) & 0x3F)); break;
            }
        }
        check_utf8(b, 4, true);
    }
}

TEST(websocket_utf8_run_checks_ascii_runs_around_every_other_byte)
{
    /* ASCII is read eight bytes at a time: a byte that is not ASCII anywhere in a run */
    static const char *const odd[] = {"\x80", "\xff", "\xc3\xa9", "\xc3", "\xe2\x82\xac",
                                      "\xed\xa0\x80", "\xf0\x9f\x98\x80", "\xf4\x90\x80\x80"};
    for (size_t o = 0; o < sizeof(odd) / sizeof(odd[0]); o++) {
        for (size_t at = 0; at < 40; at++) {
            for (size_t tail = 0; tail < 20; tail++) {
                uint8_t b[80];
                size_t n = 0;
                for (size_t i = 0; i < at; i++)
                    b[n++] = (uint8_t)('a' + i % 26);
                memcpy(b + n, odd[o], strlen(odd[o]));
                n += strlen(odd[o]);
                for (size_t i = 0; i < tail; i++)
                    b[n++] = (uint8_t)('0' + i % 10);
                check_utf8(b, n, true);
            }
        }
    }
}

TEST(websocket_utf8_run_knows_the_classic_bad_and_good_sequences)
{
    static const struct {
        const char *s;
        int want; /* 0 whole, 1 cut short, 2 bad */
    } cases[] = {
        {"", 0},
        {"plain ascii text", 0},
        {"\xc2\x80", 0},              /* U+0080 */
        {"\xdf\xbf", 0},              /* U+07FF */
        {"\xe0\xa0\x80", 0},          /* U+0800 */
        {"\xed\x9f\xbf", 0},          /* U+D7FF */
        {"\xee\x80\x80", 0},          /* U+E000 */
        {"\xef\xbf\xbf", 0},          /* U+FFFF */
        {"\xf0\x90\x80\x80", 0},      /* U+10000 */
        {"\xf4\x8f\xbf\xbf", 0},      /* U+10FFFF */
        {"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5", 0},
        {"\xc0\x80", 2},              /* overlong NUL */
        {"\xc1\xbf", 2},              /* overlong */
        {"\xe0\x80\x80", 2},          /* overlong */
        {"\xe0\x9f\xbf", 2},          /* overlong */
        {"\xf0\x80\x80\x80", 2},      /* overlong */
        {"\xf0\x8f\xbf\xbf", 2},      /* overlong */
        {"\xed\xa0\x80", 2},          /* U+D800, a surrogate */
        {"\xed\xbf\xbf", 2},          /* U+DFFF */
        {"\xf4\x90\x80\x80", 2},      /* U+110000 */
        {"\xf5\x80\x80\x80", 2},
        {"\xf8\x88\x80\x80\x80", 2},
        {"\xfe", 2},
        {"\xff", 2},
        {"\x80", 2},                  /* a lone continuation */
        {"a\xbf" "b", 2},
        {"\xc2\x41", 2},              /* a lead without its continuation */
        {"\xe2\x82\x41", 2},
        {"\xc2", 1},
        {"\xe2\x82", 1},
        {"\xf0\x9f\x98", 1},
        {"\xe0", 1},
        {"\xed", 1},
        {"\xf4\x8f", 1},
        {"\xe0\x80", 2},              /* cannot end well any more */
        {"\xed\xa0", 2},
        {"\xf4\x90", 2},
        {"\xf0\x80", 2},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = strlen(cases[i].s);
        uint32_t s = tide_utf8_run(TIDE_UTF8_OK, cases[i].s, n);
        if (utf8_class(s) != cases[i].want)
            FAILF("case %zu: state %u, want class %d", i, s, cases[i].want);
        check_utf8((const uint8_t *)cases[i].s, n, true);
    }
    /* bad stays bad, whatever comes after */
    CHECK_EQ(tide_utf8_run(TIDE_UTF8_BAD, "abc", 3), TIDE_UTF8_BAD);
    CHECK_EQ(tide_utf8_run(tide_utf8_run(TIDE_UTF8_OK, "\xff", 1), "\xc2\x80", 2), TIDE_UTF8_BAD);
    /* a character cut short ends well */
    CHECK_EQ(tide_utf8_run(tide_utf8_run(TIDE_UTF8_OK, "\xf0\x9f", 2), "\x98\x80", 2),
             TIDE_UTF8_OK);
    /* nothing read: the state as it was */
    uint32_t mid = tide_utf8_run(TIDE_UTF8_OK, "\xe2", 1);
    CHECK_EQ(tide_utf8_run(mid, "", 0), mid);
}

/* ---- the opening handshake ---- */

TEST(websocket_accept_gives_the_rfc_6455_answer)
{
    static const struct {
        const char *key;
        size_t n;
        const char *accept;
    } cases[] = {
        {"dGhlIHNhbXBsZSBub25jZQ==", 24, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="}, /* RFC 6455, 1.3 */
        {"x3JJHMbDL1EzLkh9GBhXDw==", 24, "HSmrc0sMlYUkAGmm5OPpG2HaGWk="},
        /* lengths around SHA-1's block edges (checked with Python's hashlib) */
        {"", 0, "Kfh9QIsMVZcl6xEPYxPHzW8SZ8w="},
        {"aaaaaaaaaaaaaaaaaaa", 19, "yzaGyu0mcUukN7CdsSwa30tnCpc="},
        {"aaaaaaaaaaaaaaaaaaaa", 20, "dUYRM7bOMwDmbriNIPr11x+r3E0="},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaa", 28, "xMWmCBqYJY4uXzUs8PNU1t+Pzro="},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[29];
        memset(out, 'X', sizeof(out));
        tide_ws_accept(cases[i].key, cases[i].n, out);
        CHECK_STR(out, cases[i].accept);
    }
    char long_key[200], out[29];
    memset(long_key, 'b', 83);
    tide_ws_accept(long_key, 83, out);
    CHECK_STR(out, "kLD/ueq+t2/nBg/Q4+eED+i3DGE=");
    memset(long_key, 'c', 200);
    tide_ws_accept(long_key, 200, out);
    CHECK_STR(out, "w16Fq8xnrf+X0fO/XjN5I1C5wqs=");
}

static void b64_16(const uint8_t in[16], char out[25])
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (int i = 0; i < 16; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < 16 ? (uint32_t)in[i + 1] << 8 : 0) |
                     (i + 2 < 16 ? in[i + 2] : 0);
        out[o++] = t[v >> 18 & 63];
        out[o++] = t[v >> 12 & 63];
        out[o++] = i + 1 < 16 ? t[v >> 6 & 63] : '=';
        out[o++] = i + 2 < 16 ? t[v & 63] : '=';
    }
    out[o] = 0;
}

TEST(websocket_key_valid_takes_only_the_base64_of_16_bytes)
{
    CHECK(tide_ws_key_valid("dGhlIHNhbXBsZSBub25jZQ==", 24));
    for (int i = 0; i < 2000; i++) {
        uint8_t raw[16];
        char key[25];
        for (int j = 0; j < 16; j++)
            raw[j] = (uint8_t)rnd();
        b64_16(raw, key);
        CHECK_EQ(strlen(key), 24);
        if (!tide_ws_key_valid(key, 24))
            FAILF("%s refused", key);
    }
    const char *good = "dGhlIHNhbXBsZSBub25jZQ==";
    /* wrong lengths */
    CHECK(!tide_ws_key_valid(good, 0));
    CHECK(!tide_ws_key_valid(good, 23));
    CHECK(!tide_ws_key_valid("dGhlIHNhbXBsZSBub25jZQ===", 25));
    CHECK(!tide_ws_key_valid("dGhlIHNhbXBsZSBub25jZQ", 22));
    CHECK(!tide_ws_key_valid("dGhlIHNhbXBsZSBub25jZQAAAAA=", 28)); /* 20 bytes */
    /* no "==" at the end */
    CHECK(!tide_ws_key_valid("dGhlIHNhbXBsZSBub25jZQA=", 24));
    CHECK(!tide_ws_key_valid("dGhlIHNhbXBsZSBub25jZQAA", 24));
    CHECK(!tide_ws_key_valid("dGhlIHNhbXBsZSBub25jZ===", 24));
    /* a character outside base64 anywhere */
    static const char bad[] = {'*', '-', '_', ' ', '=', '.', '\0', '\x80', '\n'};
    for (size_t at = 0; at < 22; at++)
        for (size_t b = 0; b < sizeof(bad); b++) {
            char key[25];
            memcpy(key, good, 25);
            key[at] = bad[b];
            if (tide_ws_key_valid(key, 24))
                FAILF("byte %#x at %zu taken", (unsigned char)bad[b], at);
        }
    /* the last character's four unused bits must be 0: only A, Q, g and w end 16 bytes */
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int v = 0; v < 64; v++) {
        char key[25];
        memcpy(key, good, 25);
        key[21] = t[v];
        if (tide_ws_key_valid(key, 24) != ((v & 15) == 0))
            FAILF("last character %c judged wrongly", t[v]);
    }
    CHECK(!tide_ws_key_valid("dGhlIHNhbXBsZSBub25jZR==", 24));
}

/* ---- permessage-deflate negotiation ---- */

static tide_ws_deflate_t offer(const char *s)
{
    tide_ws_deflate_t d;
    memset(&d, 0x77, sizeof(d));
    tide_ws_deflate_offer(s, strlen(s), &d);
    return d;
}

static void check_answer(const char *offered, const char *answer)
{
    tide_ws_deflate_t d = offer(offered);
    if (!d.on)
        FAILF("\"%s\": declined", offered);
    char out[128];
    memset(out, 'X', sizeof(out));
    size_t n = tide_ws_deflate_answer(&d, out);
    CHECK_EQ(n, strlen(out));
    if (strcmp(out, answer))
        FAILF("\"%s\": answered \"%s\", not \"%s\"", offered, out, answer);
}

static void check_declined(const char *offered)
{
    tide_ws_deflate_t d = offer(offered);
    if (d.on)
        FAILF("\"%s\": taken", offered);
}

TEST(websocket_deflate_offer_takes_what_browsers_and_node_offer)
{
    /* Chrome, Firefox and npm ws by default */
    tide_ws_deflate_t d = offer("permessage-deflate; client_max_window_bits");
    CHECK(d.on);
    CHECK(d.server_no_context_takeover);
    CHECK(!d.client_no_context_takeover);
    check_answer("permessage-deflate; client_max_window_bits",
                 "permessage-deflate; server_no_context_takeover");
    check_answer("permessage-deflate", "permessage-deflate; server_no_context_takeover");
    /* both no_context_takeover */
    d = offer("permessage-deflate; client_no_context_takeover; server_no_context_takeover");
    CHECK(d.on);
    CHECK(d.server_no_context_takeover);
    CHECK(d.client_no_context_takeover);
    check_answer("permessage-deflate; client_no_context_takeover; server_no_context_takeover",
                 "permessage-deflate; server_no_context_takeover; client_no_context_takeover");
    /* Safari's old extension first: the second offer */
    check_answer("x-webkit-deflate-frame, permessage-deflate",
                 "permessage-deflate; server_no_context_takeover");
    check_answer("x-webkit-deflate-frame, permessage-deflate; client_max_window_bits=10",
                 "permessage-deflate; server_no_context_takeover");
    /* spaces around separators */
    check_answer("permessage-deflate ;  client_max_window_bits = 12 ; client_no_context_takeover",
                 "permessage-deflate; server_no_context_takeover; client_no_context_takeover");
    check_answer("permessage-deflate; client_max_window_bits=\"15\"",
                 "permessage-deflate; server_no_context_takeover");
}

TEST(websocket_deflate_offer_skips_offers_it_cannot_take)
{
    /* an unknown parameter: that offer is not understood, the next one is taken */
    tide_ws_deflate_t d = offer("permessage-deflate; foo=1, permessage-deflate; "
                                "client_no_context_takeover");
    CHECK(d.on);
    CHECK(d.client_no_context_takeover);
    check_declined("permessage-deflate; foo");
    check_declined("permessage-deflate; foo=1");
    /* a window of 256 bytes is beyond zlib's raw deflate */
    check_declined("permessage-deflate; server_max_window_bits=8");
    d = offer("permessage-deflate; server_max_window_bits=8, permessage-deflate");
    CHECK(d.on);
    CHECK(d.server_max_window_bits == 0 || d.server_max_window_bits == 15);
    /* 10 is taken, and answered */
    d = offer("permessage-deflate; server_max_window_bits=10");
    CHECK(d.on);
    CHECK_EQ(d.server_max_window_bits, 10);
    check_answer("permessage-deflate; server_max_window_bits=10",
                 "permessage-deflate; server_no_context_takeover; server_max_window_bits=10");
    check_answer("permessage-deflate; server_max_window_bits=15",
                 "permessage-deflate; server_no_context_takeover");
    /* bad window values */
    check_declined("permessage-deflate; server_max_window_bits");
    check_declined("permessage-deflate; server_max_window_bits=");
    check_declined("permessage-deflate; server_max_window_bits=16");
    check_declined("permessage-deflate; server_max_window_bits=010");
    check_declined("permessage-deflate; server_max_window_bits=1a");
    check_declined("permessage-deflate; client_max_window_bits=7");
    check_declined("permessage-deflate; client_max_window_bits=16");
    check_declined("permessage-deflate; client_max_window_bits=09");
    check_declined("permessage-deflate; client_max_window_bits=");
    /* no_context_takeover with a value */
    check_declined("permessage-deflate; server_no_context_takeover=1");
    check_declined("permessage-deflate; client_no_context_takeover=true");
    /* each parameter at most once */
    check_declined("permessage-deflate; server_no_context_takeover; server_no_context_takeover");
    check_declined("permessage-deflate; client_no_context_takeover; client_no_context_takeover");
    check_declined("permessage-deflate; client_max_window_bits; client_max_window_bits");
    check_declined("permessage-deflate; server_max_window_bits=10; server_max_window_bits=10");
    d = offer("permessage-deflate; client_max_window_bits; client_max_window_bits, "
              "permessage-deflate; client_no_context_takeover");
    CHECK(d.on);
    CHECK(d.client_no_context_takeover);
    /* no offer at all */
    tide_ws_deflate_t zero;
    memset(&zero, 0, sizeof(zero));
    d = offer("");
    CHECK(!d.on);
    CHECK(memcmp(&d, &zero, sizeof(d)) == 0);
    check_declined("x-webkit-deflate-frame");
    check_declined("permessage-deflatex");
    check_declined("deflate");
    check_declined(", ,");
    d = offer("permessage-deflate; foo");
    CHECK(memcmp(&d, &zero, sizeof(d)) == 0);
}

TEST(websocket_close_code_valid_follows_rfc_6455)
{
    static const unsigned good[] = {1000, 1001, 1002, 1003, 1007, 1008, 1009,
                                    1010, 1011, 3000, 3999, 4000, 4999};
    static const unsigned bad[] = {0,    1,    999,  1004, 1005, 1006, 1015, 1016, 1100,
                                   2000, 2999, 5000, 6000, 65535, 100000};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        if (!tide_ws_close_code_valid(good[i]))
            FAILF("%u refused", good[i]);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (tide_ws_close_code_valid(bad[i]))
            FAILF("%u taken", bad[i]);
}

/* ---- the protocol: streams cut anywhere ---- */

static char pattern[MIB + 70000];

static void fill_pattern(void)
{
    for (size_t i = 0; i < sizeof(pattern); i++)
        pattern[i] = (char)('a' + (i * 7 + i / 251) % 26);
}

/* Small frames of every kind: text, binary of 0, 125 and 126 bytes, a text message in three
 * fragments with pings between them (its emoji cut across two), a pong, a close. */
static void small_stream(buf_t *s)
{
    fill_pattern();
    frame_str(s, 0x81, "hello");
    frame(s, 0x82, NULL, 0);
    frame(s, 0x82, pattern, 125);
    frame(s, 0x82, pattern + 1, 126);
    frame_str(s, 0x01, "fra\xf0\x9f");
    frame_str(s, 0x89, "are you there");
    frame_str(s, 0x00, "\x98");
    frame(s, 0x89, NULL, 0);
    frame_str(s, 0x80, "\x80ment");
    frame_str(s, 0x8A, "unsolicited");
    frame_str(s, 0x81, "");
    frame_close(s, 1001, "going");
}

TEST(websocket_small_frames_give_the_same_transcript_split_at_every_byte)
{
    buf_t s = {0};
    small_stream(&s);
    /* fed whole, the events are these */
    ws_t *w = ws_new(NULL, NULL);
    CHECK_EQ(ws_feed_buf(w, &s), TIDE_PROTO_CLOSE);
    int i = 0;
    expect_msg_str(w, i++, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN, "hello");
    expect_msg(w, i++, TIDE_WS_BINARY, TIDE_WS_FLAG_FIN, "", 0);
    expect_msg(w, i++, TIDE_WS_BINARY, TIDE_WS_FLAG_FIN, pattern, 125);
    expect_msg(w, i++, TIDE_WS_BINARY, TIDE_WS_FLAG_FIN, pattern + 1, 126);
    expect_reply(w, i++, 0x8A, "are you there", 13);
    expect_reply(w, i++, 0x8A, "", 0);
    expect_msg_str(w, i++, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN, "fra\xf0\x9f\x98\x80ment");
    expect_msg_str(w, i++, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN, "");
    expect_close(w, i++, 1001);
    CHECK_EQ(w->r.nev, i);
    ws_free(w);
    /* everything handed out */
    tide_ws_opts_t all = {.pass_ping = true, .pass_pong = true, .pass_close = true,
                          .pass_fragments = true};
    w = ws_new(&all, NULL);
    CHECK_EQ(ws_feed_buf(w, &s), TIDE_PROTO_CLOSE);
    i = 4;
    expect_msg_str(w, i++, TIDE_WS_TEXT, 0, "fra\xf0\x9f");
    expect_msg_str(w, i++, TIDE_WS_PING, TIDE_WS_FLAG_FIN, "are you there");
    expect_msg_str(w, i++, TIDE_WS_CONTINUATION, 0, "\x98");
    expect_msg_str(w, i++, TIDE_WS_PING, TIDE_WS_FLAG_FIN, "");
    expect_msg_str(w, i++, TIDE_WS_CONTINUATION, TIDE_WS_FLAG_FIN, "\x80ment");
    expect_msg_str(w, i++, TIDE_WS_PONG, TIDE_WS_FLAG_FIN, "unsolicited");
    expect_msg_str(w, i++, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN, "");
    /* the close: answered, and handed out */
    int close_at = w->r.ev[i].kind == 'r' ? i : i + 1;
    expect_close(w, close_at, 1001);
    expect_msg_str(w, close_at == i ? i + 1 : i, TIDE_WS_CLOSE, TIDE_WS_FLAG_FIN, "\x03\xe9going");
    CHECK_EQ(w->r.nev, i + 2);
    ws_free(w);

    check_splits(NULL, NULL, &s, 0);
    check_splits(&all, NULL, &s, 0);
    buf_free(&s);
}

/* Frames of 65535 and 65536 bytes, a fragmented text of 135662 bytes with a ping inside,
 * and with_mib a binary frame of 1 MiB. */
static void big_stream(buf_t *s, bool with_mib)
{
    fill_pattern();
    frame(s, 0x82, pattern, 65535);
    frame(s, 0x82, pattern + 3, 65536);
    if (with_mib)
        frame(s, 0x82, pattern + 5, MIB);
    frame(s, 0x01, pattern, 70000);
    frame_str(s, 0x89, "ping");
    frame(s, 0x00, pattern + 70000, 126);
    frame(s, 0x80, pattern, 65536);
    frame_close(s, 1000, "");
}

TEST(websocket_big_frames_give_the_same_transcript_at_random_splits)
{
    buf_t s = {0};
    big_stream(&s, true);
    ws_t *w = ws_new(NULL, NULL);
    CHECK_EQ(ws_feed_buf(w, &s), TIDE_PROTO_CLOSE);
    expect_msg(w, 0, TIDE_WS_BINARY, TIDE_WS_FLAG_FIN, pattern, 65535);
    expect_msg(w, 1, TIDE_WS_BINARY, TIDE_WS_FLAG_FIN, pattern + 3, 65536);
    expect_msg(w, 2, TIDE_WS_BINARY, TIDE_WS_FLAG_FIN, pattern + 5, MIB);
    expect_reply(w, 3, 0x8A, "ping", 4);
    char *text = malloc(70000 + 126 + 65536);
    memcpy(text, pattern, 70000);
    memcpy(text + 70000, pattern + 70000, 126);
    memcpy(text + 70126, pattern, 65536);
    expect_msg(w, 4, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN, text, 70000 + 126 + 65536);
    expect_close(w, 5, 1000);
    CHECK_EQ(w->r.nev, 6);
    free(text);
    ws_free(w);
    /* without the 1 MiB frame, cut at 300 random places (and the owner's other answers) */
    s.n = 0;
    big_stream(&s, false);
    check_splits(NULL, NULL, &s, 300);
    tide_ws_opts_t frags = {.pass_fragments = true, .pass_ping = true};
    check_splits(&frags, NULL, &s, 60);
    buf_free(&s);
}

TEST(websocket_one_mib_frame_gives_the_same_transcript_at_random_splits)
{
    buf_t s = {0};
    big_stream(&s, true);
    check_splits(NULL, NULL, &s, 48);
    buf_free(&s);
}

/* ---- control frames ---- */

TEST(websocket_ping_is_answered_with_a_pong_of_the_same_payload)
{
    char p125[125];
    for (int i = 0; i < 125; i++)
        p125[i] = (char)i;
    buf_t s = {0};
    frame_str(&s, 0x89, "hi there");
    frame(&s, 0x89, p125, 125);
    frame(&s, 0x89, NULL, 0);
    frame_str(&s, 0x81, "after");
    ws_t *w = ws_new(NULL, NULL);
    CHECK_EQ(ws_feed_buf(w, &s), 0);
    expect_reply(w, 0, 0x8A, "hi there", 8);
    expect_reply(w, 1, 0x8A, p125, 125);
    expect_reply(w, 2, 0x8A, "", 0);
    expect_msg_str(w, 3, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN, "after");
    CHECK_EQ(w->r.nev, 4);
    ws_free(w);
    buf_free(&s);
}

TEST(websocket_pass_ping_hands_pings_out_and_sends_no_pong)
{
    buf_t s = {0};
    frame_str(&s, 0x89, "hi there");
    frame(&s, 0x89, NULL, 0);
    ws_t *w = ws_new(&(tide_ws_opts_t){.pass_ping = true}, NULL);
    CHECK_EQ(ws_feed_buf(w, &s), 0);
    expect_msg_str(w, 0, TIDE_WS_PING, TIDE_WS_FLAG_FIN, "hi there");
    expect_msg_str(w, 1, TIDE_WS_PING, TIDE_WS_FLAG_FIN, "");
    CHECK_EQ(w->r.nev, 2);
    ws_free(w);
    buf_free(&s);
}

TEST(websocket_pongs_are_handed_out_only_with_pass_pong)
{
    buf_t s = {0};
    frame_str(&s, 0x8A, "pong 1");
    frame_str(&s, 0x81, "text");
    frame(&s, 0x8A, NULL, 0);
    ws_t *w = ws_new(NULL, NULL);
    CHECK_EQ(ws_feed_buf(w, &s), 0);
    expect_msg_str(w, 0, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN, "text");
    CHECK_EQ(w->r.nev, 1);
    ws_free(w);
    w = ws_new(&(tide_ws_opts_t){.pass_pong = true}, NULL);
    CHECK_EQ(ws_feed_buf(w, &s), 0);
    expect_msg_str(w, 0, TIDE_WS_PONG, TIDE_WS_FLAG_FIN, "pong 1");
    expect_msg_str(w, 1, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN, "text");
    expect_msg_str(w, 2, TIDE_WS_PONG, TIDE_WS_FLAG_FIN, "");
    CHECK_EQ(w->r.nev, 3);
    ws_free(w);
    buf_free(&s);
}

TEST(websocket_client_close_is_answered_with_its_code_and_ends_the_connection)
{
    buf_t s = {0}, after = {0};
    frame_close(&s, 1001, "tab closed");
    frame_str(&s, 0x81, "after the close");
    frame_str(&after, 0x81, "later");
    frame_str(&after, 0x89, "ping");
    ws_t *w = ws_new(NULL, NULL);
    CHECK_EQ(ws_feed_buf(w, &s), TIDE_PROTO_CLOSE);
    expect_close(w, 0, 1001);
    CHECK_EQ(w->r.nev, 1);
    CHECK_EQ(ws_pending(w), 0);
    /* nothing is read after it */
    CHECK_EQ(ws_feed_buf(w, &after), 0);
    CHECK_EQ(w->r.nev, 1);
    ws_free(w);
    /* with pass_close it is handed out too, as it came */
    w = ws_new(&(tide_ws_opts_t){.pass_close = true}, NULL);
    CHECK_EQ(ws_feed_buf(w, &s), TIDE_PROTO_CLOSE);
    CHECK_EQ(w->r.nev, 2);
    int m = w->r.ev[0].kind == 'm' ? 0 : 1;
    expect_msg_str(w, m, TIDE_WS_CLOSE, TIDE_WS_FLAG_FIN, "\x03\xe9tab closed");
    expect_close(w, 1 - m, 1001);
    ws_free(w);
    /* even when the owner would rather hold it */
    w = ws_new(&(tide_ws_opts_t){.pass_close = true}, NULL);
    w->r.policy = STOP;
    CHECK_EQ(ws_feed_buf(w, &s), TIDE_PROTO_CLOSE);
    CHECK_EQ(w->r.nev, 2);
    ws_free(w);
    buf_free(&s);
    buf_free(&after);
}

TEST(websocket_empty_close_is_answered_with_1000)
{
    buf_t s = {0};
    frame_close(&s, 0, "");
    ws_t *w = ws_new(&(tide_ws_opts_t){.pass_close = true}, NULL);
    CHECK_EQ(ws_feed_buf(w, &s), TIDE_PROTO_CLOSE);
    CHECK_EQ(w->r.nev, 2);
    int m = w->r.ev[0].kind == 'm' ? 0 : 1;
    expect_msg(w, m, TIDE_WS_CLOSE, TIDE_WS_FLAG_FIN, "", 0);
    expect_close(w, 1 - m, 1000);
    ws_free(w);
    /* each valid code comes back as it was sent */
    static const unsigned codes[] = {1000, 1002, 1003, 1007, 1011, 3000, 4999};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        buf_t c = {0};
        frame_close(&c, codes[i], "r\xc3\xa9sum\xc3\xa9");
        w = ws_new(NULL, NULL);
        CHECK_EQ(ws_feed_buf(w, &c), TIDE_PROTO_CLOSE);
        expect_close(w, 0, codes[i]);
        CHECK_EQ(w->r.nev, 1);
        ws_free(w);
        buf_free(&c);
    }
    buf_free(&s);
}

/* ---- fragments ---- */

TEST(websocket_fragments_are_reassembled_into_one_message)
{
    buf_t s = {0};
    frame_str(&s, 0x01, "Hel");
    frame_str(&s, 0x89, "p");
    frame_str(&s, 0x00, "lo ");
    frame_str(&s, 0x8A, "q");
    frame_str(&s, 0x80, "world");
    frame(&s, 0x02, "\x00\xff", 2);
    frame(&s, 0x00, NULL, 0);
    frame(&s, 0x80, "\xfe", 1);
    frame(&s, 0x01, NULL, 0);
    frame(&s, 0x80, NULL, 0);
    ws_t *w = ws_new(&(tide_ws_opts_t){.pass_pong = true}, NULL);
    CHECK_EQ(ws_feed_buf(w, &s), 0);
    expect_reply(w, 0, 0x8A, "p", 1);
    expect_msg_str(w, 1, TIDE_WS_PONG, TIDE_WS_FLAG_FIN, "q");
    expect_msg_str(w, 2, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN, "Hello world");
    expect_msg(w, 3, TIDE_WS_BINARY, TIDE_WS_FLAG_FIN, "\x00\xff\xfe", 3);
    expect_msg(w, 4, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN, "", 0);
    CHECK_EQ(w->r.nev, 5);
    CHECK_EQ(ws_pending(w), 0);
    ws_free(w);
    buf_free(&s);
}

TEST(websocket_pass_fragments_hands_out_each_frame)
{
    buf_t s = {0};
    frame_str(&s, 0x01, "Hel");
    frame_str(&s, 0x89, "p");
    frame_str(&s, 0x00, "lo ");
    frame_str(&s, 0x80, "world");
    frame(&s, 0x02, "\x00\xff", 2);
    frame(&s, 0x80, "\xfe", 1);
    frame_str(&s, 0x81, "whole");
    ws_t *w = ws_new(&(tide_ws_opts_t){.pass_fragments = true}, NULL);
    CHECK_EQ(ws_feed_buf(w, &s), 0);
    int i = 0;
    expect_msg_str(w, i++, TIDE_WS_TEXT, 0, "Hel");
    expect_reply(w, i++, 0x8A, "p", 1);
    expect_msg_str(w, i++, TIDE_WS_CONTINUATION, 0, "lo ");
    expect_msg_str(w, i++, TIDE_WS_CONTINUATION, TIDE_WS_FLAG_FIN, "world");
    expect_msg(w, i++, TIDE_WS_BINARY, 0, "\x00\xff", 2);
    expect_msg(w, i++, TIDE_WS_CONTINUATION, TIDE_WS_FLAG_FIN, "\xfe", 1);
    expect_msg_str(w, i++, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN, "whole");
    CHECK_EQ(w->r.nev, i);
    ws_free(w);
    buf_free(&s);
}

TEST(websocket_utf8_cut_across_fragments_is_accepted)
{
    static const char emoji[] = "\xf0\x9f\x8c\x8a"; /* U+1F30A */
    for (int pass = 0; pass < 2; pass++) {
        for (int a = 0; a <= 4; a++) {
            for (int b = a; b <= 4; b++) {
                char whole[16];
                snprintf(whole, sizeof(whole), "x%sy", emoji);
                buf_t s = {0};
                /* "x" + emoji[0..a) | emoji[a..b) | emoji[b..4) + "y" */
                char f1[8], f3[8];
                f1[0] = 'x';
                memcpy(f1 + 1, emoji, (size_t)a);
                memcpy(f3, emoji + b, (size_t)(4 - b));
                f3[4 - b] = 'y';
                frame(&s, 0x01, f1, 1 + (size_t)a);
                frame(&s, 0x00, emoji + a, (size_t)(b - a));
                frame(&s, 0x80, f3, (size_t)(4 - b) + 1);
                ws_t *w = ws_new(&(tide_ws_opts_t){.pass_fragments = pass}, NULL);
                if (ws_feed_buf(w, &s) != 0)
                    FAILF("emoji cut at %d and %d refused", a, b);
                if (!pass) {
                    expect_msg_str(w, 0, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN, whole);
                    CHECK_EQ(w->r.nev, 1);
                } else {
                    CHECK_EQ(w->r.nev, 3);
                    expect_msg(w, 2, TIDE_WS_CONTINUATION, TIDE_WS_FLAG_FIN, f3,
                               (size_t)(4 - b) + 1);
                }
                ws_free(w);
                buf_free(&s);
            }
        }
    }
}

/* ---- refusals ---- */

/*
 * Feeds s and a good frame after it: the protocol answers with a close frame with `code`
 * after `before` events, feed returns TIDE_EPROTO (TIDE_ETOOBIG for 1009), and nothing more
 * is handed out, then or later. The same however the bytes are cut.
 */
static void refused(const tide_ws_opts_t *o, const tide_ws_deflate_t *z, const buf_t *bad,
                    int before, unsigned code, const char *what)
{
    buf_t s = {0}, later = {0};
    buf_put(&s, bad->p, bad->n);
    frame_str(&s, 0x81, "after");
    frame_str(&later, 0x81, "later");
    frame_str(&later, 0x89, "ping");
    ws_t *w = ws_new(o, z);
    int rc = ws_feed_buf(w, &s);
    int want = code == TIDE_WS_CLOSE_TOO_BIG ? TIDE_ETOOBIG : TIDE_EPROTO;
    if (rc != want)
        FAILF("%s: feed returned %d, not %d", what, rc, want);
    if (w->r.nev != before + 1)
        FAILF("%s: %d events, not %d", what, w->r.nev, before + 1);
    expect_close(w, before, code);
    const char *why = tide_proto_websocket.why(w->st);
    CHECK(why && *why);
    CHECK_EQ(ws_pending(w), 0);
    CHECK_EQ(ws_feed_buf(w, &later), 0);
    CHECK_EQ(ws_feed(w, NULL, 0), 0);
    CHECK_EQ(w->r.nev, before + 1);
    ws_free(w);
    /* cut anywhere: the same */
    buf_t ref, got;
    run(o, z, TAKE, s.p, s.n, s.n, 0, &ref);
    for (size_t cut = 0; cut <= s.n; cut += s.n > 4096 ? 997 : 1) {
        run(o, z, TAKE, s.p, s.n, cut, 0, &got);
        same(&ref, &got, what, cut, TAKE);
        buf_free(&got);
    }
    if (s.n < 100000) {
        run(o, z, TAKE, s.p, s.n, 0, 1, &got);
        same(&ref, &got, what, 0, TAKE);
        buf_free(&got);
    }
    buf_free(&ref);
    buf_free(&s);
    buf_free(&later);
}

/* A stream of frames, given as (first byte, payload) pairs, refused with code. */
static void refused1(const tide_ws_deflate_t *z, uint8_t first, const char *payload, size_t n,
                     unsigned code, const char *what)
{
    buf_t s = {0};
    frame_str(&s, 0x81, "before");
    frame(&s, first, payload, n);
    refused(NULL, z, &s, 1, code, what);
    buf_free(&s);
}

TEST(websocket_frames_no_client_may_send_are_refused_with_1002)
{
    static const tide_ws_deflate_t on = {.on = true, .server_no_context_takeover = true,
                                         .server_max_window_bits = 15,
                                         .client_max_window_bits = 15};
    static const tide_ws_deflate_t off = {0};
    buf_t s = {0};
    /* unmasked */
    frame_raw(&s, 0x81, "hello", 5, false);
    refused(NULL, NULL, &s, 0, 1002, "an unmasked text frame");
    s.n = 0;
    frame_raw(&s, 0x89, "", 0, false);
    refused(NULL, NULL, &s, 0, 1002, "an unmasked ping");
    s.n = 0;
    frame_str(&s, 0x01, "frag");
    frame_raw(&s, 0x80, "ment", 4, false);
    refused(NULL, NULL, &s, 0, 1002, "an unmasked continuation");
    /* reserved opcodes */
    static const uint8_t ops[] = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF};
    for (size_t i = 0; i < sizeof(ops); i++) {
        char what[64];
        snprintf(what, sizeof(what), "opcode %#x", ops[i]);
        refused1(NULL, (uint8_t)(0x80 | ops[i]), "x", 1, 1002, what);
        refused1(NULL, ops[i], "", 0, 1002, what);
    }
    /* reserved bits */
    refused1(NULL, 0x80 | 0x40 | TIDE_WS_TEXT, "x", 1, 1002, "RSV1 without deflate");
    refused1(&off, 0x80 | 0x40 | TIDE_WS_BINARY, "x", 1, 1002, "RSV1 with deflate declined");
    refused1(NULL, 0x80 | 0x20 | TIDE_WS_TEXT, "x", 1, 1002, "RSV2");
    refused1(NULL, 0x80 | 0x10 | TIDE_WS_TEXT, "x", 1, 1002, "RSV3");
    refused1(&on, 0x80 | 0x20 | TIDE_WS_TEXT, "x", 1, 1002, "RSV2 with deflate");
    refused1(&on, 0x80 | 0x10 | TIDE_WS_BINARY, "x", 1, 1002, "RSV3 with deflate");
    refused1(&on, 0x80 | 0x40 | TIDE_WS_PING, "x", 1, 1002, "RSV1 on a ping");
    refused1(&on, 0x80 | 0x40 | TIDE_WS_CLOSE, "", 0, 1002, "RSV1 on a close");
    refused1(NULL, 0x80 | 0x20 | TIDE_WS_PONG, "", 0, 1002, "RSV2 on a pong");
    s.n = 0;
    frame(&s, 0x40 | TIDE_WS_TEXT, "\xf3\x48\xcd", 3);
    frame(&s, 0x80 | 0x40 | TIDE_WS_CONTINUATION, "\x01\x00", 2);
    refused(NULL, &on, &s, 0, 1002, "RSV1 on a continuation");
    /* control frames: short and whole */
    char big[126];
    memset(big, 'p', sizeof(big));
    refused1(NULL, 0x80 | TIDE_WS_PING, big, 126, 1002, "a ping of 126 bytes");
    refused1(NULL, 0x80 | TIDE_WS_PONG, big, 126, 1002, "a pong of 126 bytes");
    big[0] = 0x03, big[1] = (char)0xE8;
    refused1(NULL, 0x80 | TIDE_WS_CLOSE, big, 126, 1002, "a close of 126 bytes");
    refused1(NULL, TIDE_WS_PING, "x", 1, 1002, "a ping without FIN");
    refused1(NULL, TIDE_WS_PONG, "", 0, 1002, "a pong without FIN");
    refused1(NULL, TIDE_WS_CLOSE, "\x03\xe8", 2, 1002, "a close without FIN");
    /* continuation and new messages out of order */
    refused1(NULL, 0x80 | TIDE_WS_CONTINUATION, "x", 1, 1002, "a continuation of nothing");
    refused1(NULL, TIDE_WS_CONTINUATION, "x", 1, 1002, "a non-FIN continuation of nothing");
    s.n = 0;
    frame_str(&s, 0x01, "one");
    frame_str(&s, 0x81, "two");
    refused(NULL, NULL, &s, 0, 1002, "a text frame inside a fragmented message");
    s.n = 0;
    frame_str(&s, 0x02, "one");
    frame_str(&s, 0x00, "two");
    frame_str(&s, 0x02, "three");
    refused(NULL, NULL, &s, 0, 1002, "a binary frame inside a fragmented message");
    s.n = 0;
    frame_str(&s, 0x01, "one");
    frame_str(&s, 0x80, "two");
    frame_str(&s, 0x80, "three");
    refused(NULL, NULL, &s, 1, 1002, "a continuation after the message ended");
    s.n = 0;
    frame_str(&s, 0x01, "one");
    frame_str(&s, 0x81, "two");
    refused(&(tide_ws_opts_t){.pass_fragments = true}, NULL, &s, 1, 1002,
            "a text frame inside a fragmented message, with pass_fragments");
    /* a 64-bit length with its top bit set */
    s.n = 0;
    buf_put(&s, "\x82\xff\x80\0\0\0\0\0\0\0\x01\x02\x03\x04", 14);
    refused(NULL, NULL, &s, 0, 1002, "a length with its top bit set");
    buf_free(&s);
}

TEST(websocket_bad_close_frames_are_refused)
{
    refused1(NULL, 0x80 | TIDE_WS_CLOSE, "\x03", 1, 1002, "a close of one byte");
    static const unsigned codes[] = {0,    1,    999,  1004, 1005, 1006, 1015,
                                     1016, 1100, 2000, 2999, 5000, 65535};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        char what[64], p[2] = {(char)(codes[i] >> 8), (char)codes[i]};
        snprintf(what, sizeof(what), "close code %u", codes[i]);
        refused1(NULL, 0x80 | TIDE_WS_CLOSE, p, 2, 1002, what);
    }
    refused1(NULL, 0x80 | TIDE_WS_CLOSE, "\x03\xecreason", 8, 1002, "close code 1004, a reason");
    /* a reason that is not UTF-8, whole or cut short */
    refused1(NULL, 0x80 | TIDE_WS_CLOSE, "\x03\xe8\xff", 3, 1007, "a reason of 0xff");
    refused1(NULL, 0x80 | TIDE_WS_CLOSE, "\x03\xe8ok\xed\xa0\x80", 7, 1007,
             "a reason with a surrogate");
    refused1(NULL, 0x80 | TIDE_WS_CLOSE, "\x03\xe8" "abc\xe2\x82", 7, 1007,
             "a reason cut inside a character");
}

TEST(websocket_text_that_is_not_utf8_is_refused_with_1007)
{
    refused1(NULL, 0x81, "\xc0\x80", 2, 1007, "an overlong NUL");
    refused1(NULL, 0x81, "hello \xff world", 13, 1007, "0xff");
    refused1(NULL, 0x81, "\xed\xa0\x80", 3, 1007, "a surrogate");
    refused1(NULL, 0x81, "\xf4\x90\x80\x80", 4, 1007, "past U+10FFFF");
    refused1(NULL, 0x81, "ab\xf0\x9f\x98", 5, 1007, "a text frame ending inside a character");
    buf_t s = {0};
    /* bad only across two fragments: E0 then 80 80 is an overlong form */
    frame_str(&s, 0x01, "ab\xe0");
    frame_str(&s, 0x80, "\x80\x80");
    refused(NULL, NULL, &s, 0, 1007, "an overlong form across fragments");
    refused(&(tide_ws_opts_t){.pass_fragments = true}, NULL, &s, 1, 1007,
            "an overlong form across fragments, with pass_fragments");
    /* the final fragment ends inside a character */
    s.n = 0;
    frame_str(&s, 0x01, "ab");
    frame_str(&s, 0x00, "cd\xe2");
    frame_str(&s, 0x80, "\x82");
    refused(NULL, NULL, &s, 0, 1007, "a message ending inside a character");
    refused(&(tide_ws_opts_t){.pass_fragments = true}, NULL, &s, 2, 1007,
            "a message ending inside a character, with pass_fragments");
    /* a bad byte in a long ASCII message, far into it */
    s.n = 0;
    fill_pattern();
    char *t = malloc(100000);
    memcpy(t, pattern, 100000);
    t[77777] = (char)0x80;
    frame(&s, 0x81, t, 100000);
    free(t);
    refused(NULL, NULL, &s, 0, 1007, "a bad byte deep in a long text");
    /* binary is not checked */
    s.n = 0;
    frame(&s, 0x82, "\xc0\x80\xff", 3);
    ws_t *w = ws_new(NULL, NULL);
    CHECK_EQ(ws_feed_buf(w, &s), 0);
    expect_msg(w, 0, TIDE_WS_BINARY, TIDE_WS_FLAG_FIN, "\xc0\x80\xff", 3);
    ws_free(w);
    buf_free(&s);
}

TEST(websocket_messages_over_max_len_are_refused_with_1009)
{
    const tide_ws_opts_t o = {.max_len = 100};
    fill_pattern();
    buf_t s = {0};
    /* exactly max_len is a message; one more is not */
    frame(&s, 0x82, pattern, 100);
    ws_t *w = ws_new(&o, NULL);
    CHECK_EQ(ws_feed_buf(w, &s), 0);
    expect_msg(w, 0, TIDE_WS_BINARY, TIDE_WS_FLAG_FIN, pattern, 100);
    ws_free(w);
    s.n = 0;
    frame(&s, 0x82, pattern, 101);
    refused(&o, NULL, &s, 0, 1009, "a frame of max_len + 1");
    s.n = 0;
    frame(&s, 0x81, pattern, 70000);
    refused(&o, NULL, &s, 0, 1009, "a frame of 70000");
    /* the sum of fragments */
    s.n = 0;
    frame(&s, 0x01, pattern, 60);
    frame(&s, 0x80, pattern, 40);
    w = ws_new(&o, NULL);
    CHECK_EQ(ws_feed_buf(w, &s), 0);
    char sum[100];
    memcpy(sum, pattern, 60);
    memcpy(sum + 60, pattern, 40);
    expect_msg(w, 0, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN, sum, 100);
    ws_free(w);
    s.n = 0;
    frame(&s, 0x01, pattern, 60);
    frame_str(&s, 0x89, "ping");
    frame(&s, 0x00, pattern, 30);
    frame(&s, 0x80, pattern, 11);
    refused(&o, NULL, &s, 1, 1009, "fragments adding up to max_len + 1");
    /* a length far past anything, before its payload came */
    s.n = 0;
    uint8_t h[14];
    buf_put(&s, h, head_ref(h, 0x82, 1ull << 40, (const uint8_t *)"abcd"));
    refused(&o, NULL, &s, 0, 1009, "a frame of 2^40 bytes");
    refused(NULL, NULL, &s, 0, 1009, "a frame of 2^40 bytes, default max_len");
    buf_free(&s);
}

/* ---- the owner stops or holds ---- */

TEST(websocket_held_message_comes_again_on_the_next_feed)
{
    buf_t s = {0}, more = {0};
    frame_str(&s, 0x81, "one");
    frame_str(&s, 0x81, "two");
    frame_str(&s, 0x89, "ping");
    frame_str(&s, 0x82, "three");
    frame_str(&more, 0x82, "four");
    ws_t *w = ws_new(NULL, NULL);
    w->r.hold_from = 2, w->r.hold_to = 4; /* "two" is held three times */
    CHECK_EQ(ws_feed_buf(w, &s), TIDE_PROTO_HOLD);
    expect_msg_str(w, 0, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN, "one");
    CHECK_EQ(w->r.nev, 1); /* nothing after it, not even the pong */
    CHECK(ws_pending(w) != 0);
    CHECK_EQ(ws_feed(w, NULL, 0), TIDE_PROTO_HOLD);
    CHECK_EQ(w->r.nev, 1);
    CHECK(ws_pending(w) != 0);
    /* more bytes while it is held: they wait behind it */
    CHECK_EQ(ws_feed_buf(w, &more), TIDE_PROTO_HOLD);
    CHECK_EQ(w->r.nev, 1);
    CHECK_EQ(ws_feed(w, NULL, 0), 0);
    expect_msg_str(w, 1, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN, "two");
    expect_reply(w, 2, 0x8A, "ping", 4);
    expect_msg_str(w, 3, TIDE_WS_BINARY, TIDE_WS_FLAG_FIN, "three");
    expect_msg_str(w, 4, TIDE_WS_BINARY, TIDE_WS_FLAG_FIN, "four");
    CHECK_EQ(w->r.nev, 5);
    CHECK_EQ(ws_pending(w), 0);
    ws_free(w);

    /* held, then stopped when it comes again: the rest waits for the feed after */
    w = ws_new(NULL, NULL);
    w->r.policy = STOP;
    w->r.hold_from = 1, w->r.hold_to = 1;
    CHECK_EQ(ws_feed_buf(w, &s), TIDE_PROTO_HOLD);
    CHECK_EQ(w->r.nev, 0);
    CHECK_EQ(ws_feed(w, NULL, 0), TIDE_PROTO_STOP);
    expect_msg_str(w, 0, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN, "one");
    CHECK_EQ(w->r.nev, 1);
    CHECK(ws_pending(w) != 0);
    CHECK_EQ(ws_feed(w, NULL, 0), TIDE_PROTO_STOP);
    expect_msg_str(w, 1, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN, "two");
    CHECK_EQ(w->r.nev, 2);
    ws_free(w);

    /* the last message held, nothing after it: still pending */
    w = ws_new(NULL, NULL);
    w->r.hold_from = 1, w->r.hold_to = 1;
    CHECK_EQ(ws_feed_buf(w, &more), TIDE_PROTO_HOLD);
    CHECK_EQ(w->r.nev, 0);
    CHECK(ws_pending(w) != 0);
    CHECK_EQ(ws_feed(w, NULL, 0), 0);
    expect_msg_str(w, 0, TIDE_WS_BINARY, TIDE_WS_FLAG_FIN, "four");
    CHECK_EQ(ws_pending(w), 0);
    ws_free(w);

    /* a ping handed out and held: no pong, and it comes again */
    w = ws_new(&(tide_ws_opts_t){.pass_ping = true}, NULL);
    w->r.hold_from = 3, w->r.hold_to = 3;
    CHECK_EQ(ws_feed_buf(w, &s), TIDE_PROTO_HOLD);
    CHECK_EQ(w->r.nev, 2);
    CHECK(ws_pending(w) != 0);
    CHECK_EQ(ws_feed(w, NULL, 0), 0);
    expect_msg_str(w, 2, TIDE_WS_PING, TIDE_WS_FLAG_FIN, "ping");
    expect_msg_str(w, 3, TIDE_WS_BINARY, TIDE_WS_FLAG_FIN, "three");
    CHECK_EQ(w->r.nev, 4);
    ws_free(w);

    /* a fragment held with pass_fragments, the rest of its message behind it */
    buf_t f = {0};
    frame_str(&f, 0x01, "a");
    frame_str(&f, 0x00, "b");
    frame_str(&f, 0x80, "c");
    w = ws_new(&(tide_ws_opts_t){.pass_fragments = true}, NULL);
    w->r.hold_from = 2, w->r.hold_to = 2;
    CHECK_EQ(ws_feed_buf(w, &f), TIDE_PROTO_HOLD);
    CHECK_EQ(w->r.nev, 1);
    CHECK_EQ(ws_feed(w, NULL, 0), 0);
    expect_msg_str(w, 0, TIDE_WS_TEXT, 0, "a");
    expect_msg_str(w, 1, TIDE_WS_CONTINUATION, 0, "b");
    expect_msg_str(w, 2, TIDE_WS_CONTINUATION, TIDE_WS_FLAG_FIN, "c");
    ws_free(w);
    buf_free(&f);
    buf_free(&s);
    buf_free(&more);
}

TEST(websocket_stop_leaves_the_rest_for_the_next_feed)
{
    buf_t s = {0};
    frame_str(&s, 0x81, "one");
    frame_str(&s, 0x89, "ping");
    frame_str(&s, 0x81, "two");
    frame_str(&s, 0x82, "three");
    buf_t four = {0};
    frame_str(&four, 0x81, "four"); /* its last two bytes come later */
    buf_put(&s, four.p, four.n - 2);
    ws_t *w = ws_new(NULL, NULL);
    w->r.policy = STOP;
    CHECK_EQ(ws_feed_buf(w, &s), TIDE_PROTO_STOP);
    expect_msg_str(w, 0, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN, "one");
    CHECK_EQ(w->r.nev, 1); /* the pong comes in order, after the next feed */
    CHECK(ws_pending(w) != 0);
    CHECK_EQ(ws_feed(w, NULL, 0), TIDE_PROTO_STOP);
    expect_reply(w, 1, 0x8A, "ping", 4);
    expect_msg_str(w, 2, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN, "two");
    CHECK_EQ(w->r.nev, 3);
    CHECK_EQ(ws_feed(w, NULL, 0), TIDE_PROTO_STOP);
    expect_msg_str(w, 3, TIDE_WS_BINARY, TIDE_WS_FLAG_FIN, "three");
    CHECK_EQ(w->r.nev, 4);
    CHECK_EQ(ws_feed(w, NULL, 0), 0);
    CHECK_EQ(w->r.nev, 4);
    /* the end of "four" comes */
    CHECK_EQ(ws_feed(w, four.p + four.n - 2, 2), TIDE_PROTO_STOP);
    expect_msg_str(w, 4, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN, "four");
    CHECK_EQ(ws_pending(w), 0);
    ws_free(w);
    buf_free(&s);
    buf_free(&four);
}

/* ---- the server closes ---- */

TEST(websocket_server_close_sends_its_frame_and_waits_for_the_peers)
{
    ws_t *w = ws_new(&(tide_ws_opts_t){.close_timeout_ns = 1000, .pass_pong = true}, NULL);
    /* a message in progress when the server closes */
    buf_t s = {0};
    frame_str(&s, 0x01, "half");
    CHECK_EQ(ws_feed_buf(w, &s), 0);
    CHECK_EQ(w->r.nev, 0);
    w->io.now_ns = 5000;
    CHECK_EQ(tide_proto_websocket.expire(w->st, &w->io), 0);
    static const uint8_t arg[] = {0x0F, 0xA0, 'b', 'y', 'e'}; /* 4000 */
    CHECK_EQ(tide_proto_websocket.control(w->st, TIDE_WS_CTL_CLOSE, arg, sizeof(arg), &w->io), 0);
    expect_reply(w, 0, 0x88, arg, sizeof(arg));
    CHECK_EQ(w->r.nev, 1);
    /* a second close sends nothing more */
    CHECK_EQ(tide_proto_websocket.control(w->st, TIDE_WS_CTL_CLOSE, arg, sizeof(arg), &w->io), 0);
    CHECK_EQ(w->r.nev, 1);
    /* what comes meanwhile is not handed out */
    s.n = 0;
    frame_str(&s, 0x80, " and the rest");
    frame_str(&s, 0x81, "late");
    frame_str(&s, 0x82, "later");
    frame_str(&s, 0x8A, "pong");
    frame_str(&s, 0x02, "frag");
    frame_str(&s, 0x80, "ment");
    CHECK_EQ(ws_feed_buf(w, &s), 0);
    CHECK_EQ(w->r.nev, 1);
    w->io.now_ns = 5999;
    CHECK_EQ(tide_proto_websocket.expire(w->st, &w->io), 0);
    /* the peer's close ends it, without a second close frame */
    s.n = 0;
    frame_close(&s, 1000, "");
    CHECK_EQ(ws_feed_buf(w, &s), TIDE_PROTO_CLOSE);
    CHECK_EQ(w->r.nev, 1);
    ws_free(w);
    buf_free(&s);
}

TEST(websocket_server_close_expires_after_close_timeout)
{
    /* close_timeout_ns given */
    ws_t *w = ws_new(&(tide_ws_opts_t){.close_timeout_ns = 1000}, NULL);
    w->io.now_ns = 5000;
    CHECK_EQ(tide_proto_websocket.control(w->st, TIDE_WS_CTL_CLOSE, "\x03\xe8", 2, &w->io), 0);
    expect_reply(w, 0, 0x88, "\x03\xe8", 2);
    w->io.now_ns = 5000;
    CHECK_EQ(tide_proto_websocket.expire(w->st, &w->io), 0);
    w->io.now_ns = 5999;
    CHECK_EQ(tide_proto_websocket.expire(w->st, &w->io), 0);
    w->io.now_ns = 6001;
    CHECK(tide_proto_websocket.expire(w->st, &w->io) != 0);
    CHECK(tide_proto_websocket.why(w->st) != NULL);
    ws_free(w);
    /* the default: 3 s */
    w = ws_new(NULL, NULL);
    w->io.now_ns = 1000000000ull;
    CHECK_EQ(tide_proto_websocket.control(w->st, TIDE_WS_CTL_CLOSE, "\x03\xe9", 2, &w->io), 0);
    w->io.now_ns = 3900000000ull;
    CHECK_EQ(tide_proto_websocket.expire(w->st, &w->io), 0);
    w->io.now_ns = 4100000000ull;
    CHECK(tide_proto_websocket.expire(w->st, &w->io) != 0);
    ws_free(w);
    /* nothing expires while nobody closes */
    w = ws_new(&(tide_ws_opts_t){.close_timeout_ns = 1}, NULL);
    w->io.now_ns = 1;
    CHECK_EQ(tide_proto_websocket.expire(w->st, &w->io), 0);
    w->io.now_ns = UINT64_MAX / 2;
    CHECK_EQ(tide_proto_websocket.expire(w->st, &w->io), 0);
    ws_free(w);
}

TEST(websocket_control_takes_only_what_it_knows)
{
    ws_t *w = ws_new(NULL, NULL);
    char reason[2 + 124];
    memset(reason, 'r', sizeof(reason));
    reason[0] = 0x03, reason[1] = (char)0xE8;
    /* a code is two bytes; a reason at most 123 */
    CHECK_EQ(tide_proto_websocket.control(w->st, TIDE_WS_CTL_CLOSE, reason, 1, &w->io), -EINVAL);
    CHECK_EQ(tide_proto_websocket.control(w->st, TIDE_WS_CTL_CLOSE, reason, 126, &w->io), -EINVAL);
    CHECK_EQ(tide_proto_websocket.control(w->st, 77, NULL, 0, &w->io), -EINVAL);
    CHECK_EQ(tide_proto_websocket.control(w->st, TIDE_PROTO_CTL_UPGRADE, reason, 3, &w->io),
             -EINVAL);
    CHECK_EQ(w->r.nev, 0);
    CHECK_EQ(tide_proto_websocket.control(w->st, TIDE_WS_CTL_CLOSE, reason, 125, &w->io), 0);
    expect_reply(w, 0, 0x88, reason, 125);
    ws_free(w);
    CHECK_EQ(TIDE_WS_CTL_START, TIDE_PROTO_CTL_UPGRADE);
}

/* ---- permessage-deflate ---- */

static const tide_ws_deflate_t deflate_on = {.on = true, .server_no_context_takeover = true,
                                             .server_max_window_bits = 15,
                                             .client_max_window_bits = 15};

/* The client's compressor: raw deflate, each message flushed and its 00 00 ff ff cut. */
typedef struct zc {
    z_stream z;
} zc_t;

static void zc_init(zc_t *c)
{
    memset(c, 0, sizeof(*c));
    CHECK_EQ(deflateInit2(&c->z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
}

static void zc_msg(zc_t *c, const void *in, size_t n, buf_t *out)
{
    static char tmp[65536];
    out->n = 0;
    c->z.next_in = (Bytef *)(uintptr_t)in;
    c->z.avail_in = (uInt)n;
    do {
        c->z.next_out = (Bytef *)tmp;
        c->z.avail_out = sizeof(tmp);
        CHECK(deflate(&c->z, Z_SYNC_FLUSH) != Z_STREAM_ERROR);
        buf_put(out, tmp, sizeof(tmp) - c->z.avail_out);
    } while (c->z.avail_out == 0);
    CHECK_EQ(c->z.avail_in, 0);
    CHECK(out->n >= 4 && memcmp(out->p + out->n - 4, "\0\0\xff\xff", 4) == 0);
    out->n -= 4;
}

static void zc_end(zc_t *c)
{
    deflateEnd(&c->z);
}

/* Raw inflate with a fresh inflater of in[0..n) and 00 00 ff ff: the bytes. */
static void inflate_fresh(const void *in, size_t n, buf_t *out)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    CHECK_EQ(inflateInit2(&z, -15), Z_OK);
    static char tmp[65536];
    buf_t all = {0};
    buf_put(&all, in, n);
    buf_put(&all, "\0\0\xff\xff", 4);
    z.next_in = (Bytef *)all.p;
    z.avail_in = (uInt)all.n;
    out->n = 0;
    int rc;
    do {
        z.next_out = (Bytef *)tmp;
        z.avail_out = sizeof(tmp);
        rc = inflate(&z, Z_SYNC_FLUSH);
        CHECK(rc == Z_OK || rc == Z_BUF_ERROR);
        buf_put(out, tmp, sizeof(tmp) - z.avail_out);
    } while (z.avail_in || z.avail_out == 0);
    inflateEnd(&z);
    buf_free(&all);
}

/* Some text that compresses, a little different each time. */
static void sample_text(char *p, size_t n, unsigned seed)
{
    static const char *const words[] = {"tide ", "websocket ", "frame ", "deflate ", "window ",
                                        "message ", "\xc3\xa9t\xc3\xa9 ", "\xf0\x9f\x8c\x8a "};
    size_t at = 0;
    uint64_t r = seed * 2654435761u + 1;
    while (at < n) {
        r = r * 6364136223846793005ull + 1442695040888963407ull;
        const char *w = words[(r >> 33) % 8];
        size_t k = strlen(w);
        if (at + k > n) {
            memset(p + at, '.', n - at);
            break;
        }
        memcpy(p + at, w, k);
        at += k;
    }
}

TEST(websocket_compressed_messages_are_inflated_with_context_takeover)
{
    zc_t c;
    zc_init(&c);
    buf_t s = {0}, z = {0};
    char text[5][3000];
    size_t first_len = 0, later_len = 0;
    for (int i = 0; i < 5; i++) {
        snprintf(text[i], 8, "msg %d ", i);
        sample_text(text[i] + 6, sizeof(text[i]) - 6, 1); /* all alike: the window pays */
        zc_msg(&c, text[i], sizeof(text[i]), &z);
        if (i == 0)
            first_len = z.n;
        else
            later_len = z.n;
        frame(&s, 0x80 | 0x40 | TIDE_WS_TEXT, z.p, z.n);
        if (i == 2)
            frame_str(&s, 0x81, "plain"); /* not every message need be compressed */
    }
    CHECK(later_len * 4 < first_len); /* the later ones refer to the first */
    ws_t *w = ws_new(NULL, &deflate_on);
    CHECK_EQ(ws_feed_buf(w, &s), 0);
    int e = 0;
    for (int i = 0; i < 5; i++) {
        expect_msg(w, e++, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN | TIDE_WS_FLAG_COMPRESS, text[i],
                   sizeof(text[i]));
        if (i == 2)
            expect_msg_str(w, e++, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN, "plain");
    }
    CHECK_EQ(w->r.nev, e);
    ws_free(w);
    /* the same cut anywhere, the owner holding and stopping */
    frame_close(&s, 1000, "");
    check_splits(NULL, &deflate_on, &s, 300);
    zc_end(&c);
    buf_free(&s);
    buf_free(&z);
}

TEST(websocket_compressed_messages_are_inflated_with_client_no_context_takeover)
{
    tide_ws_deflate_t d = deflate_on;
    d.client_no_context_takeover = true;
    zc_t c;
    zc_init(&c);
    buf_t s = {0}, z = {0};
    char text[4][2000];
    for (int i = 0; i < 4; i++) {
        sample_text(text[i], sizeof(text[i]), (unsigned)i % 2);
        zc_msg(&c, text[i], sizeof(text[i]), &z);
        deflateReset(&c.z); /* each message from an empty window */
        frame(&s, 0x80 | 0x40 | (i % 2 ? TIDE_WS_BINARY : TIDE_WS_TEXT), z.p, z.n);
    }
    ws_t *w = ws_new(NULL, &d);
    CHECK_EQ(ws_feed_buf(w, &s), 0);
    for (int i = 0; i < 4; i++)
        expect_msg(w, i, i % 2 ? TIDE_WS_BINARY : TIDE_WS_TEXT,
                   TIDE_WS_FLAG_FIN | TIDE_WS_FLAG_COMPRESS, text[i], sizeof(text[i]));
    CHECK_EQ(w->r.nev, 4);
    ws_free(w);
    zc_end(&c);
    buf_free(&s);
    buf_free(&z);
}

TEST(websocket_compressed_message_in_fragments_is_inflated)
{
    static char text[50000];
    sample_text(text, sizeof(text), 7);
    zc_t c;
    zc_init(&c);
    buf_t s = {0}, z = {0};
    zc_msg(&c, text, sizeof(text), &z);
    CHECK(z.n > 30);
    size_t a = z.n / 3, b = 2 * z.n / 3;
    frame(&s, 0x40 | TIDE_WS_TEXT, z.p, a); /* RSV1 on the first frame only */
    frame_str(&s, 0x89, "ping");
    frame(&s, TIDE_WS_CONTINUATION, z.p + a, b - a);
    frame(&s, 0x80 | TIDE_WS_CONTINUATION, z.p + b, z.n - b);
    /* then a second one, in two fragments, the second empty */
    zc_msg(&c, text + 100, 1000, &z);
    frame(&s, 0x40 | TIDE_WS_BINARY, z.p, z.n);
    frame(&s, 0x80 | TIDE_WS_CONTINUATION, NULL, 0);
    ws_t *w = ws_new(NULL, &deflate_on);
    CHECK_EQ(ws_feed_buf(w, &s), 0);
    expect_reply(w, 0, 0x8A, "ping", 4);
    expect_msg(w, 1, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN | TIDE_WS_FLAG_COMPRESS, text, sizeof(text));
    expect_msg(w, 2, TIDE_WS_BINARY, TIDE_WS_FLAG_FIN | TIDE_WS_FLAG_COMPRESS, text + 100, 1000);
    CHECK_EQ(w->r.nev, 3);
    ws_free(w);
    /* with pass_fragments: each frame inflated as it comes, together the message */
    tide_ws_opts_t o = {.pass_fragments = true};
    w = ws_new(&o, &deflate_on);
    CHECK_EQ(ws_feed_buf(w, &s), 0);
    buf_t joined = {0};
    int frames = 0;
    for (int i = 0; i < w->r.nev; i++) {
        if (w->r.ev[i].kind != 'm')
            continue;
        const uint8_t *d = ev_data(w, i);
        CHECK(d[2] & TIDE_WS_FLAG_COMPRESS);
        CHECK_EQ(d[1], frames == 0 ? TIDE_WS_TEXT : TIDE_WS_CONTINUATION);
        buf_put(&joined, d + 4, w->r.ev[i].n - 4);
        if (++frames == 3) {
            CHECK(d[2] & TIDE_WS_FLAG_FIN);
            break;
        }
        CHECK(!(d[2] & TIDE_WS_FLAG_FIN));
    }
    CHECK_EQ(frames, 3);
    CHECK_EQ(joined.n, sizeof(text));
    CHECK(memcmp(joined.p, text, sizeof(text)) == 0);
    ws_free(w);
    frame_close(&s, 1000, "");
    check_splits(NULL, &deflate_on, &s, 200);
    check_splits(&o, &deflate_on, &s, 100);
    zc_end(&c);
    buf_free(&s);
    buf_free(&z);
    buf_free(&joined);
}

TEST(websocket_compressed_message_ending_with_a_final_block_is_inflated)
{
    /* A client may end a message with a DEFLATE block with BFINAL set, then one 0x00 (the
     * header of the empty stored block the receiver completes): RFC 7692, 7.2.3.3, whose
     * example comes first. The next message starts a new stream. */
    buf_t s = {0};
    frame(&s, 0x80 | 0x40 | TIDE_WS_TEXT, "\xf3\x48\xcd\xc9\xc9\x07\x00\x00", 8);
    const char *words[] = {"Hello", "World", "again, and again, and again"};
    for (int i = 0; i < 3; i++) {
        z_stream z;
        memset(&z, 0, sizeof(z));
        CHECK_EQ(deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
        char out[256];
        z.next_in = (Bytef *)(uintptr_t)words[i];
        z.avail_in = (uInt)strlen(words[i]);
        z.next_out = (Bytef *)out;
        z.avail_out = sizeof(out);
        CHECK_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
        out[sizeof(out) - z.avail_out] = 0;
        frame(&s, 0x80 | 0x40 | TIDE_WS_TEXT, out, sizeof(out) - z.avail_out + 1);
        deflateEnd(&z);
    }
    ws_t *w = ws_new(NULL, &deflate_on);
    CHECK_EQ(ws_feed_buf(w, &s), 0);
    expect_msg_str(w, 0, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN | TIDE_WS_FLAG_COMPRESS, "Hello");
    for (int i = 0; i < 3; i++)
        expect_msg_str(w, i + 1, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN | TIDE_WS_FLAG_COMPRESS,
                       words[i]);
    CHECK_EQ(w->r.nev, 4);
    ws_free(w);
    buf_free(&s);
}

TEST(websocket_empty_compressed_messages_are_inflated)
{
    buf_t s = {0};
    frame(&s, 0x80 | 0x40 | TIDE_WS_TEXT, "\x00", 1);   /* one empty stored block */
    frame(&s, 0x80 | 0x40 | TIDE_WS_TEXT, "\x02\x00", 2); /* an empty fixed block */
    frame(&s, 0x80 | 0x40 | TIDE_WS_BINARY, "\x00", 1);
    /* fragments: an empty first one, then the empty stored block */
    frame(&s, 0x40 | TIDE_WS_TEXT, NULL, 0);
    frame(&s, 0x80 | TIDE_WS_CONTINUATION, "\x00", 1);
    ws_t *w = ws_new(NULL, &deflate_on);
    CHECK_EQ(ws_feed_buf(w, &s), 0);
    expect_msg(w, 0, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN | TIDE_WS_FLAG_COMPRESS, "", 0);
    expect_msg(w, 1, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN | TIDE_WS_FLAG_COMPRESS, "", 0);
    expect_msg(w, 2, TIDE_WS_BINARY, TIDE_WS_FLAG_FIN | TIDE_WS_FLAG_COMPRESS, "", 0);
    expect_msg(w, 3, TIDE_WS_TEXT, TIDE_WS_FLAG_FIN | TIDE_WS_FLAG_COMPRESS, "", 0);
    CHECK_EQ(w->r.nev, 4);
    ws_free(w);
    buf_free(&s);
}

TEST(websocket_decompression_bomb_is_refused_with_1009_in_bounded_memory)
{
    const size_t max = MIB;
    const tide_ws_opts_t o = {.max_len = max};
    char *zeros = calloc(1, 10 * MIB);
    zc_t c;
    buf_t z = {0}, s = {0};
    for (int fragmented = 0; fragmented < 2; fragmented++) {
        zc_init(&c);
        zc_msg(&c, zeros, 10 * MIB, &z);
        zc_end(&c);
        CHECK(z.n < 64 * 1024);
        s.n = 0;
        if (!fragmented) {
            frame(&s, 0x80 | 0x40 | TIDE_WS_BINARY, z.p, z.n);
        } else {
            size_t step = z.n / 10 + 1;
            for (size_t at = 0; at < z.n; at += step) {
                size_t k = z.n - at < step ? z.n - at : step;
                uint8_t first = (at ? TIDE_WS_CONTINUATION : 0x40 | TIDE_WS_BINARY) |
                                (at + k == z.n ? 0x80 : 0);
                frame(&s, first, z.p + at, k);
            }
        }
        ws_t *w = ws_new(&o, &deflate_on);
        size_t before = live;
        peak = live;
        CHECK_EQ(ws_feed_buf(w, &s), TIDE_ETOOBIG);
        size_t held = peak - before;
        printf("     bomb (%s): at most %zu bytes held for max_len %zu\n",
               fragmented ? "fragments" : "one frame", held, max);
        CHECK(held <= 2 * max + 128 * 1024);
        CHECK_EQ(w->r.nev, 1);
        expect_close(w, 0, 1009);
        ws_free(w);
    }
    /* a message of exactly max_len inflates; one byte more does not */
    for (size_t extra = 0; extra < 2; extra++) {
        zc_init(&c);
        zc_msg(&c, zeros, max + extra, &z);
        zc_end(&c);
        s.n = 0;
        frame(&s, 0x80 | 0x40 | TIDE_WS_BINARY, z.p, z.n);
        ws_t *w = ws_new(&o, &deflate_on);
        CHECK_EQ(ws_feed_buf(w, &s), extra ? TIDE_ETOOBIG : 0);
        if (extra)
            expect_close(w, 0, 1009);
        else
            expect_msg(w, 0, TIDE_WS_BINARY, TIDE_WS_FLAG_FIN | TIDE_WS_FLAG_COMPRESS, zeros, max);
        CHECK_EQ(w->r.nev, 1);
        ws_free(w);
    }
    free(zeros);
    buf_free(&z);
    buf_free(&s);
}

TEST(websocket_bad_compressed_data_is_refused_with_1007)
{
    buf_t s = {0};
    /* a reserved block type */
    frame(&s, 0x80 | 0x40 | TIDE_WS_BINARY, "\xff\xff\xff", 3);
    refused(NULL, &deflate_on, &s, 0, 1007, "a reserved block type");
    /* a stored block whose length does not match its complement */
    s.n = 0;
    frame(&s, 0x80 | 0x40 | TIDE_WS_TEXT, "\x00\x05\x00\x00\x00hello", 10);
    refused(NULL, &deflate_on, &s, 0, 1007, "stored block lengths");
    /* inflated text that is not UTF-8 */
    zc_t c;
    zc_init(&c);
    buf_t z = {0};
    zc_msg(&c, "ok \xc0\x80 not", 9, &z);
    s.n = 0;
    frame(&s, 0x80 | 0x40 | TIDE_WS_TEXT, z.p, z.n);
    refused(NULL, &deflate_on, &s, 0, 1007, "compressed text that is not UTF-8");
    /* inflated text ending inside a character */
    zc_msg(&c, "ends in \xe2\x82", 10, &z);
    s.n = 0;
    frame(&s, 0x80 | 0x40 | TIDE_WS_TEXT, z.p, z.n);
    refused(NULL, &deflate_on, &s, 0, 1007, "compressed text cut inside a character");
    zc_end(&c);
    buf_free(&z);
    buf_free(&s);
}

TEST(websocket_zout_output_inflates_back_with_a_fresh_inflater)
{
    count_allocations();
    char *big = malloc(MIB);
    sample_text(big, MIB, 3);
    const struct {
        const char *p;
        size_t n;
    } inputs[] = {{"", 0}, {"a", 1}, {"Hello, Hello, Hello", 19}, {big, MIB}, {big + 5, 70000},
                  {"", 0}, {"Hello, Hello, Hello", 19}};
    static const int params[][2] = {{6, 15}, {1, 9}, {9, 12}};
    for (size_t k = 0; k < sizeof(params) / sizeof(params[0]); k++) {
        tide_ws_zout_t *zo = tide_ws_zout_new(params[k][0], params[k][1]);
        CHECK(zo != NULL);
        for (int round = 0; round < 2; round++) {
            for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
                char *out = NULL;
                size_t out_len = 0;
                CHECK_EQ(tide_ws_zout_run(zo, inputs[i].p, inputs[i].n, &out, &out_len), 0);
                CHECK(out != NULL && out_len > 0);
                buf_t back = {0};
                inflate_fresh(out, out_len, &back);
                if (back.n != inputs[i].n || (back.n && memcmp(back.p, inputs[i].p, back.n)))
                    FAILF("level %d bits %d input %zu: %zu bytes came back, not %zu",
                          params[k][0], params[k][1], i, back.n, inputs[i].n);
                /* as the client's deflate with the same settings, 00 00 ff ff cut */
                if (params[k][1] == 15 && inputs[i].n) {
                    zc_t c;
                    zc_init(&c);
                    buf_t z = {0};
                    zc_msg(&c, inputs[i].p, inputs[i].n, &z);
                    CHECK_EQ(z.n, out_len);
                    CHECK(memcmp(z.p, out, out_len) == 0);
                    zc_end(&c);
                    buf_free(&z);
                }
                /* and a server's message goes through the protocol's inflater */
                if (inputs[i].n < 100000) {
                    allocs_kept = allocs; /* zo and out */
                    buf_t s = {0};
                    frame(&s, 0x80 | 0x40 | TIDE_WS_BINARY, out, out_len);
                    ws_t *w = ws_new(NULL, &deflate_on);
                    CHECK_EQ(ws_feed_buf(w, &s), 0);
                    expect_msg(w, 0, TIDE_WS_BINARY, TIDE_WS_FLAG_FIN | TIDE_WS_FLAG_COMPRESS,
                               inputs[i].p, inputs[i].n);
                    ws_free(w);
                    buf_free(&s);
                }
                tide_free(out);
                buf_free(&back);
            }
        }
        tide_ws_zout_free(zo);
    }
    CHECK_EQ(allocs, 0);
    free(big);
}

TEST(websocket_zout_new_refuses_bad_arguments)
{
    count_allocations();
    CHECK(tide_ws_zout_new(0, 15) == NULL);
    CHECK(tide_ws_zout_new(10, 15) == NULL);
    CHECK(tide_ws_zout_new(6, 8) == NULL);
    CHECK(tide_ws_zout_new(6, 16) == NULL);
    CHECK(tide_ws_zout_new(-1, -15) == NULL);
    tide_ws_zout_free(NULL);
    tide_ws_zout_t *z = tide_ws_zout_new(9, 9);
    CHECK(z != NULL);
    tide_ws_zout_free(z);
    CHECK_EQ(allocs, 0);
}

/* ---- memory ---- */

TEST(websocket_idle_connection_keeps_no_big_buffer)
{
    fill_pattern();
    buf_t s = {0};
    frame(&s, 0x82, pattern, MIB);
    frame(&s, 0x01, pattern, 300000);
    frame(&s, 0x80, pattern, 300000);
    frame_str(&s, 0x81, "small");
    ws_t *w = ws_new(NULL, NULL);
    size_t before = live;
    /* whole, and in pieces that leave a header cut short each time */
    CHECK_EQ(ws_feed_buf(w, &s), 0);
    CHECK_EQ(w->r.nev, 3);
    CHECK(live - before <= 8192);
    for (size_t at = 0; at < s.n;) {
        size_t k = 1 + rnd() % 70000;
        if (k > s.n - at)
            k = s.n - at;
        CHECK_EQ(ws_feed(w, s.p + at, k), 0);
        at += k;
    }
    CHECK_EQ(w->r.nev, 6);
    if (live - before > 8192)
        FAILF("%zu bytes held by a connection with nothing in progress", live - before);
    /* the owner stopped: what came after waits, and is let go once handed out */
    w->r.policy = STOP;
    CHECK_EQ(ws_feed_buf(w, &s), TIDE_PROTO_STOP);
    CHECK(ws_pending(w) > 600000);
    for (int i = 0; i < 10 && ws_feed(w, NULL, 0) == TIDE_PROTO_STOP; i++)
        ;
    CHECK_EQ(w->r.nev, 9);
    CHECK_EQ(ws_pending(w), 0);
    if (live - before > 8192)
        FAILF("%zu bytes held after what waited was handed out", live - before);
    ws_free(w);
    buf_free(&s);
}

/* ---- destroy ---- */

TEST(websocket_destroy_frees_everything_in_every_state)
{
    fill_pattern();
    zc_t c;
    zc_init(&c);
    buf_t z = {0}, s = {0};
    zc_msg(&c, pattern, 300000, &z);
    zc_end(&c);
    for (int state = 0; state < 9; state++) {
        ws_t *w = ws_new(&(tide_ws_opts_t){.pass_ping = true}, &deflate_on);
        s.n = 0;
        switch (state) {
        case 0: /* fresh */
            break;
        case 1: /* a header cut short */
            frame(&s, 0x82, pattern, 70000);
            s.n = 5;
            break;
        case 2: /* inside a big payload */
            frame(&s, 0x82, pattern, 500000);
            s.n = 300000;
            break;
        case 3: /* a fragmented message in progress */
            frame(&s, 0x01, pattern, 100000);
            frame(&s, 0x00, pattern, 100);
            break;
        case 4: /* a message held, bytes behind it */
            w->r.hold_from = 1, w->r.hold_to = 100;
            frame(&s, 0x82, pattern, 100000);
            frame(&s, 0x82, pattern, 100000);
            s.n -= 10;
            break;
        case 5: /* a ping held */
            w->r.hold_from = 1, w->r.hold_to = 100;
            frame_str(&s, 0x89, "ping");
            frame(&s, 0x82, pattern, 10000);
            break;
        case 6: /* inside a compressed message */
            frame(&s, 0x80 | 0x40 | TIDE_WS_TEXT, z.p, z.n);
            s.n -= z.n / 2;
            break;
        case 7: /* after a refusal */
            frame(&s, 0x82, pattern, 1000);
            frame_raw(&s, 0x82, pattern, 1000, false);
            break;
        case 8: /* after a compressed message, the inflater kept for the next */
            frame(&s, 0x80 | 0x40 | TIDE_WS_TEXT, z.p, z.n);
            frame(&s, 0x40 | TIDE_WS_TEXT, z.p, z.n / 2);
            break;
        }
        ws_feed_buf(w, &s);
        if (state >= 2 && state != 7)
            CHECK(allocs > 0); /* else the check below proves nothing */
        ws_free(w);            /* fails when anything is left */
        CHECK_EQ(allocs, 0);
        CHECK_EQ(live, 0);
    }
    buf_free(&z);
    buf_free(&s);
}

/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "test.h"
#include "tide/common.h"
#include "tide/frame.h"

/* What the framer handed out: packages joined with '|' (the fixtures hold no '|'). */
typedef struct got {
    char out[4096];
    size_t len;
    int count;
} got_t;

static int collect(void *udata, const char *data, size_t len)
{
    got_t *g = udata;
    CHECK(g->len + len + 1 < sizeof(g->out));
    memcpy(g->out + g->len, data, len);
    g->len += len;
    g->out[g->len++] = '|';
    g->out[g->len] = 0;
    g->count++;
    return 0;
}

/* Feeds input whole, then split in two at every offset, then byte by byte: the packages
 * must be the same every time (except for eof_check, whose units follow the reads). */
static void check_all_splits(const tide_frame_opts_t *o, const char *input, size_t n,
                             const char *want, size_t pending)
{
    for (size_t cut = 0; cut <= n + 1; cut++) {
        tide_framer_t f;
        got_t g = {{0}, 0, 0};
        tide_framer_init(&f, o);
        if (cut <= n) {
            CHECK_EQ(tide_framer_feed(&f, input, cut, collect, &g), 0);
            CHECK_EQ(tide_framer_feed(&f, input + cut, n - cut, collect, &g), 0);
        } else {
            for (size_t i = 0; i < n; i++)
                CHECK_EQ(tide_framer_feed(&f, input + i, 1, collect, &g), 0);
        }
        if (strcmp(g.out, want))
            FAILF("split at %zu: got \"%s\", want \"%s\"", cut, g.out, want);
        CHECK_EQ(tide_framer_pending(&f), pending);
        tide_framer_destroy(&f);
    }
}

TEST(frame_eof_split_at_every_offset)
{
    tide_frame_opts_t o = {.mode = TIDE_FRAME_EOF, .eof_split = true, .eof = "\r\n", .eof_len = 2};
    const char in[] = "PING\r\nPONG\r\n\r\nX\rY";
    check_all_splits(&o, in, sizeof(in) - 1, "PING\r\n|PONG\r\n|\r\n|", 3);

    tide_frame_opts_t o4 = {.mode = TIDE_FRAME_EOF, .eof_split = true, .eof = "\r\n\r\n",
                            .eof_len = 4};
    const char in4[] = "GET / HTTP/1.0\r\nA: b\r\n\r\nGET /x\r\n\r\n\r\n";
    check_all_splits(&o4, in4, sizeof(in4) - 1,
                     "GET / HTTP/1.0\r\nA: b\r\n\r\n|GET /x\r\n\r\n|", 2);
}

TEST(frame_eof_check_delivers_what_ends_with_the_eof)
{
    tide_frame_opts_t o = {.mode = TIDE_FRAME_EOF, .eof_split = false, .eof = "\n", .eof_len = 1};
    tide_framer_t f;
    got_t g = {{0}, 0, 0};
    tide_framer_init(&f, &o);
    CHECK_EQ(tide_framer_feed(&f, "a\nb", 3, collect, &g), 0); /* does not end with eof */
    CHECK_EQ(g.count, 0);
    CHECK_EQ(tide_framer_feed(&f, "\nc\n", 3, collect, &g), 0);
    CHECK_STR(g.out, "a\nb\nc\n|"); /* Swoole's eof_check: one unit, not split */
    CHECK_EQ(tide_framer_pending(&f), 0);
    tide_framer_destroy(&f);
}

/* Builds a package: `pre` bytes of header before the length field, the field, then up to
 * body_offset, then the body. */
static size_t build(char *out, char type, size_t offset, size_t body_offset, const char *body,
                    int64_t field)
{
    size_t size = tide_frame_length_size(type);
    memset(out, '#', body_offset);
    unsigned char *p = (unsigned char *)out + offset;
    uint64_t v = (uint64_t)field;
    switch (type) {
    case 'n': case 'N': case 'J':
        for (size_t i = 0; i < size; i++)
            p[i] = (unsigned char)(v >> (8 * (size - 1 - i)));
        break;
    case 'v': case 'V': case 'P': case 'c': case 'C':
        for (size_t i = 0; i < size; i++)
            p[i] = (unsigned char)(v >> (8 * i));
        break;
    default: /* native order: s S l L q */
        if (size == 2) { int16_t x = (int16_t)field; memcpy(p, &x, 2); }
        else if (size == 4) { int32_t x = (int32_t)field; memcpy(p, &x, 4); }
        else memcpy(p, &field, 8);
    }
    size_t blen = strlen(body);
    memcpy(out + body_offset, body, blen);
    return body_offset + blen;
}

TEST(frame_length_every_type_at_every_offset)
{
    const char types[] = "cCsSnNlLvVqJP";
    for (const char *t = types; *t; t++) {
        size_t size = tide_frame_length_size(*t);
        CHECK(size > 0);
        /* The field after 3 header bytes; the body after 2 more. */
        tide_frame_opts_t o = {.mode = TIDE_FRAME_LENGTH, .length_type = *t, .length_offset = 3,
                               .body_offset = 3 + size + 2};
        CHECK_EQ(tide_frame_opts_check(&o), 0);
        char in[256], want[512];
        size_t n = 0;
        n += build(in + n, *t, 3, o.body_offset, "hello", 5);
        n += build(in + n, *t, 3, o.body_offset, "", 0);
        n += build(in + n, *t, 3, o.body_offset, "world!", 6);
        size_t partial = build(in + n, *t, 3, o.body_offset, "tail", 4) - 1; /* incomplete */
        /* want = the three packages, each followed by '|' */
        size_t w = 0, off = 0;
        size_t lens[3] = {o.body_offset + 5, o.body_offset, o.body_offset + 6};
        for (int i = 0; i < 3; i++) {
            memcpy(want + w, in + off, lens[i]);
            w += lens[i];
            off += lens[i];
            want[w++] = '|';
        }
        want[w] = 0;
        /* The header bytes are '#' and lengths are small: no NUL inside, strcmp is fine,
         * except for zero bytes of the length fields themselves: compare via the framer's
         * own output which has the same bytes. */
        for (size_t cut = 0; cut <= n + partial; cut++) {
            tide_framer_t f;
            got_t g = {{0}, 0, 0};
            tide_framer_init(&f, &o);
            CHECK_EQ(tide_framer_feed(&f, in, cut, collect, &g), 0);
            CHECK_EQ(tide_framer_feed(&f, in + cut, n + partial - cut, collect, &g), 0);
            CHECK_EQ(g.count, 3);
            CHECK_EQ(g.len, w);
            CHECK(!memcmp(g.out, want, w));
            CHECK_EQ(tide_framer_pending(&f), partial);
            tide_framer_destroy(&f);
        }
    }
}

TEST(frame_length_bad_values_are_refused)
{
    char in[64];
    got_t g = {{0}, 0, 0};
    tide_framer_t f;

    /* A negative signed length. */
    tide_frame_opts_t o = {.mode = TIDE_FRAME_LENGTH, .length_type = 'l', .body_offset = 4};
    tide_framer_init(&f, &o);
    size_t n = build(in, 'l', 0, 4, "x", -1);
    CHECK_EQ(tide_framer_feed(&f, in, n, collect, &g), TIDE_EPROTO);
    CHECK_EQ(tide_framer_pending(&f), 0);
    tide_framer_destroy(&f);

    /* Longer than package_max_length: refused from the header, before the body arrives. */
    tide_frame_opts_t big = {.mode = TIDE_FRAME_LENGTH, .length_type = 'N', .body_offset = 4,
                             .max_length = 1024};
    tide_framer_init(&f, &big);
    n = build(in, 'N', 0, 4, "", 1021);
    CHECK_EQ(tide_framer_feed(&f, in, n, collect, &g), TIDE_ETOOBIG);
    tide_framer_destroy(&f);

    /* A total that cannot even hold its own length field. */
    tide_frame_opts_t self = {.mode = TIDE_FRAME_LENGTH, .length_type = 'N', .length_offset = 2,
                              .body_offset = 0};
    tide_framer_init(&f, &self);
    n = build(in, 'N', 2, 0, "", 3);
    CHECK_EQ(tide_framer_feed(&f, in, 6, collect, &g), TIDE_EPROTO);
    tide_framer_destroy(&f);

    /* An EOF package that never ends. */
    tide_frame_opts_t eof = {.mode = TIDE_FRAME_EOF, .eof_split = true, .eof = "\n",
                             .eof_len = 1, .max_length = 100};
    tide_framer_init(&f, &eof);
    memset(in, 'a', sizeof(in));
    CHECK_EQ(tide_framer_feed(&f, in, 64, collect, &g), 0);
    CHECK_EQ(tide_framer_feed(&f, in, 64, collect, &g), TIDE_ETOOBIG);
    tide_framer_destroy(&f);

    CHECK_EQ(g.count, 0);
    tide_frame_opts_t bad = {.mode = TIDE_FRAME_LENGTH, .length_type = 'x'};
    CHECK_EQ(tide_frame_opts_check(&bad), TIDE_EPROTO);
    tide_frame_opts_t noeof = {.mode = TIDE_FRAME_EOF, .eof_len = 0};
    CHECK_EQ(tide_frame_opts_check(&noeof), TIDE_EPROTO);
}

static int stop_after_one(void *udata, const char *data, size_t len)
{
    TIDE_UNUSED(data);
    TIDE_UNUSED(len);
    (*(int *)udata)++;
    return 1;
}

TEST(frame_callback_can_stop_the_feed)
{
    tide_frame_opts_t o = {.mode = TIDE_FRAME_EOF, .eof_split = true, .eof = ";", .eof_len = 1};
    tide_framer_t f;
    int calls = 0;
    tide_framer_init(&f, &o);
    CHECK_EQ(tide_framer_feed(&f, "a;b;c;", 6, stop_after_one, &calls), 1);
    CHECK_EQ(calls, 1);
    tide_framer_destroy(&f);

    tide_frame_opts_t raw = {.mode = TIDE_FRAME_RAW};
    got_t g = {{0}, 0, 0};
    tide_framer_init(&f, &raw);
    CHECK_EQ(tide_framer_feed(&f, "abc", 3, collect, &g), 0);
    CHECK_STR(g.out, "abc|");
    tide_framer_destroy(&f);
}

/* ---- HOLD and STOP: what the callback did not take comes again ---- */

/* A callback that answers from a script (TAKEN once the script ends) and records every
 * package it was offered and every package it took. */
typedef struct script {
    got_t offered, taken;
    const int *rcs;
    int nrc, calls;
} script_t;

static void join(got_t *g, const char *data, size_t len)
{
    CHECK(g->len + len + 1 < sizeof(g->out));
    memcpy(g->out + g->len, data, len);
    g->len += len;
    g->out[g->len++] = '|';
    g->out[g->len] = 0;
    g->count++;
}

static int scripted(void *udata, const char *data, size_t len)
{
    script_t *s = udata;
    join(&s->offered, data, len);
    int rc = s->calls < s->nrc ? s->rcs[s->calls] : TIDE_PROTO_TAKEN;
    s->calls++;
    if (rc != TIDE_PROTO_HOLD)
        join(&s->taken, data, len);
    return rc;
}

static void script_reset(script_t *s, const int *rcs, int nrc)
{
    memset(s, 0, sizeof(*s));
    s->rcs = rcs;
    s->nrc = nrc;
}

#define FEED(f, s, data, n, want_rc, want_offered, want_pending)                                   \
    do {                                                                                           \
        int rc_ = tide_framer_feed(f, data, n, scripted, s);                                       \
        if (rc_ != (want_rc))                                                                      \
            FAILF("feed returned %d, want %d (offered \"%s\")", rc_, (int)(want_rc),               \
                  (s)->offered.out);                                                               \
        CHECK_STR((s)->offered.out, want_offered);                                                 \
        CHECK_EQ(tide_framer_pending(f), want_pending);                                            \
    } while (0)

/* Framings that cut packages: three whole ones and the start of a fourth, the rest of it. */
static const struct split_mode {
    const char *name;
    tide_frame_opts_t o;
    const char *p[3], *head, *rest;
} split_modes[] = {
    {"eof_split", {.mode = TIDE_FRAME_EOF, .eof_split = true, .eof = ";;", .eof_len = 2},
     {"a;;", "bb;;", "ccc;;"}, "dd;", ";"},
    {"length", {.mode = TIDE_FRAME_LENGTH, .length_type = 'C', .body_offset = 1},
     {"\001a", "\002bb", "\003ccc"}, "\002d", "d"},
};

TEST(frame_hold_keeps_the_package_for_the_next_feed_in_every_mode)
{
    static const int taken_hold[] = {TIDE_PROTO_TAKEN, TIDE_PROTO_HOLD};
    static const int hold[] = {TIDE_PROTO_HOLD};
    for (size_t m = 0; m < sizeof(split_modes) / sizeof(split_modes[0]); m++) {
        const struct split_mode *sm = &split_modes[m];
        char in[64], want[128];
        snprintf(in, sizeof(in), "%s%s%s%s", sm->p[0], sm->p[1], sm->p[2], sm->head);
        size_t n = strlen(in), rest_of = n - strlen(sm->p[0]);
        tide_framer_t f;
        script_t s;
        tide_framer_init(&f, &sm->o);

        /* The second package is held: the first was taken, the rest is kept. */
        script_reset(&s, taken_hold, 2);
        snprintf(want, sizeof(want), "%s|%s|", sm->p[0], sm->p[1]);
        FEED(&f, &s, in, n, TIDE_PROTO_HOLD, want, rest_of);
        snprintf(want, sizeof(want), "%s|", sm->p[0]);
        CHECK_STR(s.taken.out, want);

        /* A feed of nothing offers it again (held once more). */
        script_reset(&s, hold, 1);
        snprintf(want, sizeof(want), "%s|", sm->p[1]);
        FEED(&f, &s, NULL, 0, TIDE_PROTO_HOLD, want, rest_of);
        CHECK_STR(s.taken.out, "");

        /* More bytes after it: it comes first, then the rest, then the new package. */
        script_reset(&s, NULL, 0);
        snprintf(want, sizeof(want), "%s|%s|%s%s|", sm->p[1], sm->p[2], sm->head, sm->rest);
        FEED(&f, &s, sm->rest, strlen(sm->rest), 0, want, 0);
        CHECK_STR(s.taken.out, want);

        /* Held from the buffer, not the caller's bytes: half a package, then the rest. */
        script_reset(&s, hold, 1);
        size_t half = strlen(sm->p[2]) / 2;
        FEED(&f, &s, sm->p[2], half, 0, "", half);
        snprintf(want, sizeof(want), "%s|", sm->p[2]);
        FEED(&f, &s, sm->p[2] + half, strlen(sm->p[2]) - half, TIDE_PROTO_HOLD, want,
             strlen(sm->p[2]));
        script_reset(&s, NULL, 0);
        FEED(&f, &s, NULL, 0, 0, want, 0);
        tide_framer_destroy(&f);
    }
}

TEST(frame_hold_in_eof_check_joins_the_held_bytes_with_what_comes_next)
{
    static const int hold[] = {TIDE_PROTO_HOLD};
    tide_frame_opts_t o = {.mode = TIDE_FRAME_EOF, .eof = "\n", .eof_len = 1};
    tide_framer_t f;
    script_t s;
    tide_framer_init(&f, &o);
    script_reset(&s, hold, 1);
    FEED(&f, &s, "a\nb", 3, 0, "", 3); /* does not end with the eof yet */
    FEED(&f, &s, "\n", 1, TIDE_PROTO_HOLD, "a\nb\n|", 4);
    script_reset(&s, hold, 1);
    FEED(&f, &s, NULL, 0, TIDE_PROTO_HOLD, "a\nb\n|", 4);
    /* What comes next joins it: one unit, as eof_check hands out whatever has arrived. */
    script_reset(&s, NULL, 0);
    FEED(&f, &s, "c\n", 2, 0, "a\nb\nc\n|", 0);
    CHECK_STR(s.taken.out, "a\nb\nc\n|");
    tide_framer_destroy(&f);
}

TEST(frame_hold_without_framing_hands_the_read_out_again_with_what_follows)
{
    static const int hold[] = {TIDE_PROTO_HOLD};
    static const int stop[] = {TIDE_PROTO_STOP};
    tide_frame_opts_t o = {.mode = TIDE_FRAME_RAW};
    tide_framer_t f;
    script_t s;
    tide_framer_init(&f, &o);
    script_reset(&s, hold, 1);
    FEED(&f, &s, "abc", 3, TIDE_PROTO_HOLD, "abc|", 3);
    script_reset(&s, hold, 1);
    FEED(&f, &s, NULL, 0, TIDE_PROTO_HOLD, "abc|", 3);
    script_reset(&s, NULL, 0);
    FEED(&f, &s, "de", 2, 0, "abcde|", 0);
    /* Nothing held, nothing to hand out. */
    script_reset(&s, NULL, 0);
    FEED(&f, &s, NULL, 0, 0, "", 0);
    /* STOP takes the read: nothing is left for later. */
    script_reset(&s, stop, 1);
    FEED(&f, &s, "xy", 2, TIDE_PROTO_STOP, "xy|", 0);
    CHECK_STR(s.taken.out, "xy|");
    script_reset(&s, NULL, 0);
    FEED(&f, &s, NULL, 0, 0, "", 0);
    tide_framer_destroy(&f);
}

TEST(frame_stop_ends_the_feed_after_the_package_and_keeps_the_rest)
{
    static const int stop[] = {TIDE_PROTO_STOP};
    for (size_t m = 0; m < sizeof(split_modes) / sizeof(split_modes[0]); m++) {
        const struct split_mode *sm = &split_modes[m];
        char in[64], want[128];
        snprintf(in, sizeof(in), "%s%s%s%s", sm->p[0], sm->p[1], sm->p[2], sm->head);
        size_t n = strlen(in);
        tide_framer_t f;
        script_t s;
        tide_framer_init(&f, &sm->o);
        /* From the caller's bytes. */
        script_reset(&s, stop, 1);
        snprintf(want, sizeof(want), "%s|", sm->p[0]);
        FEED(&f, &s, in, n, TIDE_PROTO_STOP, want, n - strlen(sm->p[0]));
        CHECK_STR(s.taken.out, want);
        script_reset(&s, NULL, 0);
        snprintf(want, sizeof(want), "%s|%s|", sm->p[1], sm->p[2]);
        FEED(&f, &s, NULL, 0, 0, want, strlen(sm->head));
        /* From the buffer: the completed package, then stop before the next one. */
        script_reset(&s, stop, 1);
        char more[64];
        snprintf(more, sizeof(more), "%s%s", sm->rest, sm->p[0]);
        snprintf(want, sizeof(want), "%s%s|", sm->head, sm->rest);
        FEED(&f, &s, more, strlen(more), TIDE_PROTO_STOP, want, strlen(sm->p[0]));
        script_reset(&s, NULL, 0);
        snprintf(want, sizeof(want), "%s|", sm->p[0]);
        FEED(&f, &s, NULL, 0, 0, want, 0);
        tide_framer_destroy(&f);
    }
}

/* ---- package_max_length with open_eof_check ---- */

TEST(frame_eof_check_refuses_a_read_that_brings_the_eof_past_the_bound)
{
    tide_frame_opts_t o = {.mode = TIDE_FRAME_EOF, .eof = "\n", .eof_len = 1, .max_length = 16};
    tide_framer_t f;
    got_t g = {{0}, 0, 0};
    char buf[32];
    memset(buf, 'a', sizeof(buf));

    /* Ten bytes, then eight that end with the eof: 18 > 16. */
    tide_framer_init(&f, &o);
    CHECK_EQ(tide_framer_feed(&f, buf, 10, collect, &g), 0);
    buf[7] = '\n';
    CHECK_EQ(tide_framer_feed(&f, buf, 8, collect, &g), TIDE_ETOOBIG);
    CHECK_EQ(tide_framer_pending(&f), 0);
    CHECK_EQ(g.count, 0);
    tide_framer_destroy(&f);

    /* In one read. */
    memset(buf, 'a', sizeof(buf));
    buf[16] = '\n';
    tide_framer_init(&f, &o);
    CHECK_EQ(tide_framer_feed(&f, buf, 17, collect, &g), TIDE_ETOOBIG);
    CHECK_EQ(g.count, 0);
    tide_framer_destroy(&f);

    /* Exactly the bound, in one read or two: delivered. */
    memset(buf, 'a', sizeof(buf));
    buf[15] = '\n';
    for (size_t cut = 0; cut <= 16; cut += 8) {
        tide_framer_init(&f, &o);
        CHECK_EQ(tide_framer_feed(&f, buf, cut, collect, &g), 0);
        CHECK_EQ(tide_framer_feed(&f, buf + cut, 16 - cut, collect, &g), 0);
        CHECK_EQ(tide_framer_pending(&f), 0);
        tide_framer_destroy(&f);
    }
    CHECK_EQ(g.count, 3);

    /* eof_split: a package of max_length bytes (its eof included) passes, one more not. */
    tide_frame_opts_t sp = {.mode = TIDE_FRAME_EOF, .eof_split = true, .eof = "\r\n",
                            .eof_len = 2, .max_length = 8};
    got_t g2 = {{0}, 0, 0};
    tide_framer_init(&f, &sp);
    CHECK_EQ(tide_framer_feed(&f, "123456\r\n", 8, collect, &g2), 0);
    CHECK_STR(g2.out, "123456\r\n|");
    CHECK_EQ(tide_framer_feed(&f, "1234567\r\n", 9, collect, &g2), TIDE_ETOOBIG);
    tide_framer_destroy(&f);
}

/* ---- the framer as a port protocol ---- */

/* Feeds input through tide_proto_frame split at every offset; the result must be what the
 * framer itself gives. */
static void check_proto_like_framer(const tide_frame_opts_t *o, const char *input, size_t n)
{
    const tide_proto_t *p = &tide_proto_frame;
    CHECK(p->state_size >= sizeof(tide_framer_t));
    for (size_t cut = 0; cut <= n; cut++) {
        got_t via = {{0}, 0, 0}, direct = {{0}, 0, 0};
        tide_proto_io_t io = {collect, NULL, &via, 0, NULL, NULL};
        void *st = malloc(p->state_size);
        p->init(st, o);
        int rc1 = p->feed(st, input, cut, &io);
        int rc2 = p->feed(st, input + cut, n - cut, &io);
        int rc3 = p->feed(st, NULL, 0, &io);
        size_t pending = p->pending(st);
        p->destroy(st);
        free(st);

        tide_framer_t f;
        tide_framer_init(&f, o);
        CHECK_EQ(rc1, tide_framer_feed(&f, input, cut, collect, &direct));
        CHECK_EQ(rc2, tide_framer_feed(&f, input + cut, n - cut, collect, &direct));
        CHECK_EQ(rc3, tide_framer_feed(&f, NULL, 0, collect, &direct));
        CHECK_EQ(pending, tide_framer_pending(&f));
        tide_framer_destroy(&f);
        CHECK_EQ(via.len, direct.len);
        CHECK(!memcmp(via.out, direct.out, via.len));
    }
}

TEST(frame_proto_frame_behaves_like_the_framer)
{
    const tide_proto_t *p = &tide_proto_frame;
    CHECK(p->name && *p->name);
    tide_frame_opts_t eof = {.mode = TIDE_FRAME_EOF, .eof_split = true, .eof = "\r\n", .eof_len = 2};
    tide_frame_opts_t chk = {.mode = TIDE_FRAME_EOF, .eof = "\n", .eof_len = 1};
    tide_frame_opts_t len = {.mode = TIDE_FRAME_LENGTH, .length_type = 'n', .body_offset = 2};
    tide_frame_opts_t raw = {.mode = TIDE_FRAME_RAW};
    CHECK_EQ(p->check(&eof), 0);
    CHECK_EQ(p->check(&len), 0);
    CHECK_EQ(p->check(&raw), 0);
    tide_frame_opts_t bad = {.mode = TIDE_FRAME_LENGTH, .length_type = 'x'};
    CHECK_EQ(p->check(&bad), TIDE_EPROTO);
    tide_frame_opts_t noeof = {.mode = TIDE_FRAME_EOF};
    CHECK_EQ(p->check(&noeof), TIDE_EPROTO);

    const char in[] = "PING\r\nPONG\r\n\r\nX";
    check_proto_like_framer(&eof, in, sizeof(in) - 1);
    check_proto_like_framer(&chk, "a\nb\nc", 5);
    check_proto_like_framer(&raw, "abc", 3);
    check_proto_like_framer(&len, "\000\003abc\000\001d\000", 9);
    /* Errors come back the same way. */
    tide_frame_opts_t small = {.mode = TIDE_FRAME_EOF, .eof = "\n", .eof_len = 1, .max_length = 4};
    check_proto_like_framer(&small, "abcdef\n", 7);
}

/* SPDX-License-Identifier: MIT */
/* HTTP response compression (src/proto/compress.c): negotiation, types, and the stream
 * checked by decoding its output with zlib's inflate. */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "test.h"
#include "tide/common.h"
#include "tide/compress.h"

static tide_coding_t accept_of(const char *v)
{
    return tide_accept_coding(v, v ? strlen(v) : 0);
}

TEST(compress_accept_encoding_picks_gzip_then_deflate)
{
    CHECK_EQ(accept_of(NULL), TIDE_CODING_NONE);
    CHECK_EQ(accept_of(""), TIDE_CODING_NONE);
    CHECK_EQ(accept_of("gzip"), TIDE_CODING_GZIP);
    CHECK_EQ(accept_of("GZip"), TIDE_CODING_GZIP);
    CHECK_EQ(accept_of("x-gzip"), TIDE_CODING_GZIP);
    CHECK_EQ(accept_of("deflate"), TIDE_CODING_DEFLATE);
    CHECK_EQ(accept_of("gzip, deflate, br"), TIDE_CODING_GZIP);
    CHECK_EQ(accept_of("br, deflate"), TIDE_CODING_DEFLATE);
    CHECK_EQ(accept_of("br"), TIDE_CODING_NONE);
    CHECK_EQ(accept_of("identity"), TIDE_CODING_NONE);
    CHECK_EQ(accept_of("*"), TIDE_CODING_GZIP);
    CHECK_EQ(accept_of(" gzip ;q=0 , deflate"), TIDE_CODING_DEFLATE);
    CHECK_EQ(accept_of("gzip;q=0.5, deflate;q=0.8"), TIDE_CODING_DEFLATE);
    CHECK_EQ(accept_of("gzip;q=0.8, deflate;q=0.8"), TIDE_CODING_GZIP);
    CHECK_EQ(accept_of("*;q=0"), TIDE_CODING_NONE);
    CHECK_EQ(accept_of("*, gzip;q=0"), TIDE_CODING_DEFLATE);
    CHECK_EQ(accept_of("gzip;q=0.000"), TIDE_CODING_NONE);
    CHECK_EQ(accept_of("gzip;q=1.000"), TIDE_CODING_GZIP);
    CHECK_EQ(accept_of("gzip; Q=0.001"), TIDE_CODING_GZIP);
    /* A malformed q is read as 0: never send what the client may not decode. */
    CHECK_EQ(accept_of("gzip;q=2"), TIDE_CODING_NONE);
    CHECK_EQ(accept_of("gzip;q=0.5x"), TIDE_CODING_NONE);
    CHECK_EQ(accept_of("gzip;q=1.5"), TIDE_CODING_NONE);
    CHECK_EQ(accept_of("gzip;q=0.12345"), TIDE_CODING_NONE);
    CHECK_EQ(accept_of("gzipper, deflated"), TIDE_CODING_NONE);
    CHECK_EQ(accept_of(",,,gzip,,"), TIDE_CODING_GZIP);
    CHECK_EQ(accept_of("gzip;level=9;q=0.1"), TIDE_CODING_GZIP);
    CHECK_STR(tide_coding_name(TIDE_CODING_GZIP), "gzip");
    CHECK_STR(tide_coding_name(TIDE_CODING_DEFLATE), "deflate");
    CHECK_STR(tide_coding_name(TIDE_CODING_NONE), "");
}

static bool type_ok(const char *t)
{
    return tide_compressible_type(t, t ? strlen(t) : 0);
}

TEST(compress_only_bodies_worth_it)
{
    CHECK(type_ok(NULL));
    CHECK(type_ok("text/html; charset=utf-8"));
    CHECK(type_ok("TEXT/PLAIN"));
    CHECK(type_ok("application/json"));
    CHECK(type_ok(" application/javascript ; charset=utf-8"));
    CHECK(type_ok("application/vnd.github+json"));
    CHECK(type_ok("application/soap+xml"));
    CHECK(type_ok("image/svg+xml"));
    CHECK(type_ok("application/wasm"));
    CHECK(!type_ok("image/png"));
    CHECK(!type_ok("image/jpeg"));
    CHECK(!type_ok("application/zip"));
    CHECK(!type_ok("application/gzip"));
    CHECK(!type_ok("application/octet-stream"));
    CHECK(!type_ok("video/mp4"));
    CHECK(!type_ok("font/woff2"));
    CHECK(!type_ok("text/"));
    CHECK(!type_ok("application/"));
    CHECK(!type_ok("application/+json"));
}

typedef struct {
    char *p;
    size_t len, cap;
    size_t pieces;
    size_t fail_after; /* 0: never */
} buf_t;

static bool sink(void *arg, const char *p, size_t n)
{
    buf_t *b = arg;
    if (b->fail_after && b->pieces + 1 >= b->fail_after)
        return false;
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
    b->pieces++;
    return true;
}

/* Decodes in[0..n) (gzip or zlib, told apart by zlib's automatic header detection). */
static size_t inflate_all(const char *in, size_t n, char *out, size_t cap, int *rc)
{
    z_stream z = {0};
    CHECK_EQ(inflateInit2(&z, 15 + 32), Z_OK);
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    *rc = inflate(&z, Z_FINISH);
    size_t made = cap - z.avail_out;
    inflateEnd(&z);
    return made;
}

static void round_trip(tide_coding_t c, int level, const char *data, size_t n, size_t piece)
{
    tide_deflate_t *d = tide_deflate_new(c, level, level == 1 ? TIDE_DEFLATE_STREAMED : TIDE_DEFLATE_WHOLE);
    CHECK(d != NULL);
    buf_t b = {0};
    size_t at = 0;
    do {
        size_t k = n - at < piece ? n - at : piece;
        CHECK_EQ(tide_deflate_run(d, data + at, k, at + k == n, sink, &b), 0);
        at += k;
    } while (at < n);
    CHECK_EQ(tide_deflate_run(d, "x", 1, true, sink, &b), -EINVAL); /* done */
    tide_deflate_free(d);
    CHECK(b.len > 0);
    if (c == TIDE_CODING_GZIP) {
        CHECK_EQ((unsigned char)b.p[0], 0x1f);
        CHECK_EQ((unsigned char)b.p[1], 0x8b);
    } else {
        CHECK_EQ((unsigned char)b.p[0] & 0x0f, 8); /* zlib header: CM = 8 (deflate) */
        CHECK_EQ((((unsigned char)b.p[0] << 8) | (unsigned char)b.p[1]) % 31, 0);
    }
    char *out = malloc(n + 1);
    int rc;
    CHECK_EQ(inflate_all(b.p, b.len, out, n + 1, &rc), n);
    CHECK_EQ(rc, Z_STREAM_END);
    CHECK(memcmp(out, data, n) == 0);
    free(out);
    free(b.p);
}

TEST(compress_round_trips_whole_and_in_pieces)
{
    size_t n = 3u << 20;
    char *data = malloc(n);
    for (size_t i = 0; i < n; i++)
        data[i] = (char)("hello tide "[i % 11] ^ ((i / 4096) & 1 ? (char)(i * 2654435761u >> 24) : 0));
    int levels[] = {1, 6, 9};
    for (int l = 0; l < 3; l++) {
        round_trip(TIDE_CODING_GZIP, levels[l], data, n, n);
        round_trip(TIDE_CODING_DEFLATE, levels[l], data, n, n);
    }
    round_trip(TIDE_CODING_GZIP, 1, data, n, 1000);
    round_trip(TIDE_CODING_DEFLATE, 1, data, 100000, 1);
    round_trip(TIDE_CODING_GZIP, 1, data, 0, 1); /* an empty body is a valid empty stream */
    round_trip(TIDE_CODING_DEFLATE, 1, data, 1, 1);
    free(data);
}

/* Each piece flushed without finishing decodes on its own (what a streaming client sees). */
TEST(compress_each_flushed_piece_decodes_at_once)
{
    tide_deflate_t *d = tide_deflate_new(TIDE_CODING_GZIP, 1, TIDE_DEFLATE_STREAMED);
    buf_t b = {0};
    CHECK_EQ(tide_deflate_run(d, "first piece;", 12, false, sink, &b), 0);
    z_stream z = {0};
    CHECK_EQ(inflateInit2(&z, 15 + 16), Z_OK);
    char out[64];
    z.next_in = (Bytef *)b.p;
    z.avail_in = (uInt)b.len;
    z.next_out = (Bytef *)out;
    z.avail_out = sizeof(out);
    CHECK_EQ(inflate(&z, Z_SYNC_FLUSH), Z_OK);
    CHECK_EQ(sizeof(out) - z.avail_out, 12);
    CHECK(memcmp(out, "first piece;", 12) == 0);
    inflateEnd(&z);
    tide_deflate_free(d);
    free(b.p);
}

TEST(compress_bad_arguments_and_a_failing_sink)
{
    CHECK(tide_deflate_new(TIDE_CODING_NONE, 1, TIDE_DEFLATE_WHOLE) == NULL);
    CHECK(tide_deflate_new(TIDE_CODING_GZIP, 0, TIDE_DEFLATE_WHOLE) == NULL);
    CHECK(tide_deflate_new(TIDE_CODING_GZIP, 10, TIDE_DEFLATE_WHOLE) == NULL);
    CHECK(tide_deflate_new(TIDE_CODING_GZIP, 1, (tide_deflate_size_t)7) == NULL);
    tide_deflate_t *d = tide_deflate_new(TIDE_CODING_DEFLATE, 9, TIDE_DEFLATE_WHOLE);
    buf_t b = {.fail_after = 1};
    CHECK_EQ(tide_deflate_run(d, "abc", 3, true, sink, &b), -ENOMEM);
    tide_deflate_free(d); /* freed mid-stream: no leak (ASan checks) */

    /* A reset stream serves again, and keeps what it was made with. */
    d = tide_deflate_new(TIDE_CODING_GZIP, 3, TIDE_DEFLATE_STREAMED);
    b = (buf_t){0};
    CHECK_EQ(tide_deflate_run(d, "one", 3, true, sink, &b), 0);
    tide_deflate_reset(d);
    size_t first = b.len;
    CHECK_EQ(tide_deflate_run(d, "two", 3, true, sink, &b), 0);
    CHECK_EQ(tide_deflate_coding(d), TIDE_CODING_GZIP);
    CHECK_EQ(tide_deflate_level(d), 3);
    char out[8];
    int rc;
    CHECK_EQ(inflate_all(b.p + first, b.len - first, out, sizeof(out), &rc), 3);
    CHECK_EQ(rc, Z_STREAM_END);
    CHECK(memcmp(out, "two", 3) == 0);
    tide_deflate_free(d);
    free(b.p);
    tide_deflate_free(NULL);
}

/* What a stream holds, counted through Tide's allocator: a streamed response's stream is
 * the one a server keeps per open event stream, so it must stay small. */
static size_t live;

static void *count_malloc(size_t n)
{
    void *p = malloc(n);
    live += malloc_usable_size(p);
    return p;
}

static void *count_realloc(void *p, size_t n)
{
    live -= p ? malloc_usable_size(p) : 0;
    p = realloc(p, n);
    live += malloc_usable_size(p);
    return p;
}

static void count_free(void *p)
{
    live -= p ? malloc_usable_size(p) : 0;
    free(p);
}

TEST(compress_stream_memory_is_bounded)
{
    tide_set_allocator(&(tide_allocator_t){count_malloc, count_realloc, count_free});
    size_t sizes[2];
    for (int i = 0; i < 2; i++) {
        size_t before = live;
        tide_deflate_t *d = tide_deflate_new(TIDE_CODING_GZIP, 6, i ? TIDE_DEFLATE_STREAMED
                                                                    : TIDE_DEFLATE_WHOLE);
        buf_t b = {0};
        static char text[200000];
        for (size_t k = 0; k < sizeof(text); k++)
            text[k] = "tide streams text "[k % 18];
        CHECK_EQ(tide_deflate_run(d, text, sizeof(text), false, sink, &b), 0);
        sizes[i] = live - before;
        tide_deflate_free(d);
        CHECK_EQ(live, before);
        free(b.p);
    }
    tide_set_allocator(NULL);
    printf("     whole: %zu bytes, streamed: %zu bytes\n", sizes[0], sizes[1]);
    CHECK(sizes[0] < 300 * 1024);
    CHECK(sizes[1] < 80 * 1024);
}

/* SPDX-License-Identifier: MIT */
/*
 * The HTTP/1.x response parser, chunked decoder and Content-Encoding decoder
 * (src/proto/http1_response.c). Heads are parsed at every prefix (0 until whole, never an
 * error for a good one cut short); chunked bodies are fed split at every offset and byte
 * by byte, and must decode to the same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "test.h"
#include "tide/common.h"
#include "tide/http1_response.h"

static long parse(const char *s, bool head, tide_http1_response_t *r)
{
    return tide_http1_parse_response(s, strlen(s), 0, head, r);
}

/* A good head: every proper prefix needs more, the whole parses to its length. */
static void check_prefixes(const char *s)
{
    tide_http1_response_t r;
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        if (tide_http1_parse_response(s, i, 0, false, &r) != 0)
            FAILF("prefix %zu of a good head did not ask for more", i);
    CHECK_EQ(tide_http1_parse_response(s, n, 0, false, &r), (long)n);
}

TEST(http1_response_basic)
{
    tide_http1_response_t r;
    const char *s = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A:  b \r\n\r\nhello";
    long n = parse(s, false, &r);
    CHECK_EQ(n, (long)strlen(s) - 5);
    CHECK_EQ(r.status, 200);
    CHECK_EQ(r.version, 11);
    CHECK_EQ(r.body, TIDE_HTTP1_BODY_LENGTH);
    CHECK_EQ(r.content_length, 5);
    CHECK(r.keep_alive);
    CHECK_EQ(r.nheaders, 2);
    CHECK_EQ(r.reason.len, 2);
    const tide_http1_header_t *h = tide_http1_response_find(&r, s, "x-a");
    CHECK(h && h->value.len == 1 && s[h->value.off] == 'b');
    check_prefixes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A:  b \r\n\r\n");
    check_prefixes("HTTP/1.0 404 Not Found\nServer: x\n\n");
}

TEST(http1_response_framing)
{
    tide_http1_response_t r;
    CHECK(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", false, &r) > 0);
    CHECK_EQ(r.body, TIDE_HTTP1_BODY_CHUNKED);
    CHECK(r.keep_alive);
    /* chunked wins over a length, and the connection is not reused */
    CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                false, &r) > 0);
    CHECK_EQ(r.body, TIDE_HTTP1_BODY_CHUNKED);
    CHECK(!r.keep_alive);
    CHECK(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", false, &r) > 0);
    CHECK_EQ(r.body, TIDE_HTTP1_BODY_CLOSE);
    CHECK(parse("HTTP/1.1 200 OK\r\n\r\n", false, &r) > 0);
    CHECK_EQ(r.body, TIDE_HTTP1_BODY_CLOSE);
    CHECK(!r.keep_alive);
    CHECK(parse("HTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n", false, &r) > 0);
    CHECK_EQ(r.body, TIDE_HTTP1_BODY_NONE);
    CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n", true, &r) > 0);
    CHECK_EQ(r.body, TIDE_HTTP1_BODY_NONE);
    CHECK(parse("HTTP/1.1 100 Continue\r\n\r\n", false, &r) > 0);
    CHECK_EQ(r.status, 100);
    CHECK_EQ(r.body, TIDE_HTTP1_BODY_NONE);
    CHECK(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false, &r) > 0);
    CHECK(!r.keep_alive);
    CHECK(parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n",
                false, &r) > 0);
    CHECK(r.keep_alive);
    CHECK(parse("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n\r\n", false, &r) > 0);
    CHECK(r.upgrade);
    CHECK(parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n", false, &r) > 0);
    CHECK(!r.keep_alive);
    CHECK(parse("HTTP/1.1 200\r\nContent-Length: 5, 5\r\n\r\n", false, &r) > 0);
    CHECK_EQ(r.content_length, 5);
    CHECK(parse("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n", false, &r) > 0);
    CHECK_EQ(r.coding, TIDE_CODING_GZIP);
    CHECK(parse("HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n", false, &r) > 0);
    CHECK(r.coding_unknown);
    CHECK_EQ(r.coding, TIDE_CODING_NONE);
}

TEST(http1_response_refused)
{
    static const char *bad[] = {
        "garbage\r\n\r\n",
        "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 abc OK\r\n\r\n",
        "HTTP/1.1 200 O\rK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\n folded\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX: a\x01\r\n\r\n",
    };
    tide_http1_response_t r;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (parse(bad[i], false, &r) != TIDE_EPROTO)
            FAILF("accepted bad head %zu", i);
    /* garbage is refused from its first bytes, before any line end */
    CHECK_EQ(tide_http1_parse_response("<html>", 6, 0, false, &r), TIDE_EPROTO);
    CHECK_EQ(tide_http1_parse_response("HTTX", 4, 0, false, &r), TIDE_EPROTO);
    CHECK_EQ(tide_http1_parse_response("HTT", 3, 0, false, &r), 0);
}

TEST(http1_response_bounds)
{
    char big[9000];
    tide_http1_response_t r;
    strcpy(big, "HTTP/1.1 200 OK\r\nX: ");
    memset(big + strlen(big), 'a', sizeof(big) - strlen(big));
    CHECK_EQ(tide_http1_parse_response(big, sizeof(big), 8192, false, &r), TIDE_ETOOBIG);
    CHECK_EQ(tide_http1_parse_response(big, 8000, 8192, false, &r), 0);
    /* too many header lines */
    static char many[8192];
    size_t n = (size_t)sprintf(many, "HTTP/1.1 200 OK\r\n");
    for (int i = 0; i <= TIDE_HTTP1_MAX_HEADERS; i++)
        n += (size_t)sprintf(many + n, "a%d: b\r\n", i);
    n += (size_t)sprintf(many + n, "\r\n");
    CHECK_EQ(tide_http1_parse_response(many, n, sizeof(many), false, &r), TIDE_ETOOBIG);
}

/* Decodes s fed in pieces of `step` bytes (0: split once at `cut`); the data into out, the
 * decoder's result: consumed total, or the error. */
static long chunked_feed(const char *s, size_t n, size_t cut, size_t step, char *out,
                         size_t *out_len, bool *done)
{
    tide_http1_chunked_t c;
    tide_http1_chunked_init(&c);
    char buf[4096];
    CHECK(n <= sizeof(buf));
    memcpy(buf, s, n);
    size_t at = 0, total = 0;
    *out_len = 0;
    while (at < n && !c.done) {
        size_t len = step ? (n - at < step ? n - at : step) : (at < cut ? cut - at : n - at);
        size_t o;
        long used = tide_http1_chunked_decode(&c, buf + at, len, &o);
        if (used < 0)
            return used;
        memcpy(out + *out_len, buf + at, o);
        *out_len += o;
        at += (size_t)used;
        total += (size_t)used;
        if ((size_t)used < len && !c.done)
            FAILF("consumed less without being done");
    }
    *done = c.done;
    return (long)total;
}

static void check_chunked(const char *s, const char *want, size_t want_used)
{
    size_t n = strlen(s);
    char out[4096];
    size_t out_len;
    bool done;
    for (size_t cut = 0; cut <= n; cut++) {
        long used = chunked_feed(s, n, cut, 0, out, &out_len, &done);
        if (used != (long)want_used || !done || out_len != strlen(want) ||
            memcmp(out, want, out_len))
            FAILF("split at %zu: used %ld, done %d, \"%.*s\"", cut, used, done, (int)out_len, out);
    }
    long used = chunked_feed(s, n, 0, 1, out, &out_len, &done);
    CHECK_EQ(used, (long)want_used);
    CHECK(done && out_len == strlen(want) && !memcmp(out, want, out_len));
}

TEST(http1_response_chunked)
{
    const char *a = "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n";
    check_chunked(a, "hello world", strlen(a));
    const char *b = "A \r\n0123456789\n0\nTrailer: x\n\nHTTP/1.1 200 OK";
    check_chunked(b, "0123456789", strlen(b) - strlen("HTTP/1.1 200 OK"));
    check_chunked("0\r\n\r\n", "", 5);
    check_chunked("00000001\r\nx\r\n0\r\nA: b\r\nC: d\r\n\r\n", "x", 30);
}

TEST(http1_response_chunked_refused)
{
    static const char *bad[] = {
        "x\r\n", "\r\n", "5\r\nhelloX", "5\r\nhello\rX", "1 2\r\n", "5\rX",
        "10000000000000000\r\n", "0;\x01\r\n", "-1\r\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char out[64];
        size_t ol;
        bool done;
        if (chunked_feed(bad[i], strlen(bad[i]), 0, 1, out, &ol, &done) != TIDE_EPROTO)
            FAILF("accepted bad chunked body %zu", i);
    }
    /* an endless extension or trailer is cut off */
    static char ext[TIDE_HTTP1_CHUNK_LINE_MAX + 16];
    memset(ext, 'a', sizeof(ext));
    memcpy(ext, "1;", 2);
    tide_http1_chunked_t c;
    tide_http1_chunked_init(&c);
    size_t o;
    CHECK_EQ(tide_http1_chunked_decode(&c, ext, sizeof(ext), &o), TIDE_EPROTO);
    memcpy(ext, "0\r\n", 3);
    tide_http1_chunked_init(&c);
    CHECK_EQ(tide_http1_chunked_decode(&c, ext, sizeof(ext), &o), TIDE_EPROTO);
}

typedef struct {
    char buf[65536];
    size_t len;
} sink_t;

static bool sink(void *arg, const char *p, size_t n)
{
    sink_t *s = arg;
    CHECK(s->len + n <= sizeof(s->buf));
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    return true;
}

/* in compressed with windowBits wb into out; its length. */
static size_t zip(const char *in, size_t n, int wb, unsigned char *out, size_t cap)
{
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    CHECK(deflateInit2(&zs, 6, Z_DEFLATED, wb, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    zs.next_in = (unsigned char *)in;
    zs.avail_in = (uInt)n;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    CHECK(deflate(&zs, Z_FINISH) == Z_STREAM_END);
    size_t len = cap - zs.avail_out;
    deflateEnd(&zs);
    return len;
}

TEST(http1_response_inflate)
{
    char text[20000];
    for (size_t i = 0; i < sizeof(text); i++)
        text[i] = (char)('a' + (i * 7 + i / 13) % 26);
    unsigned char z[40000];
    static const struct {
        tide_coding_t c;
        int wb;
    } kinds[] = {{TIDE_CODING_GZIP, 31}, {TIDE_CODING_DEFLATE, 15}, {TIDE_CODING_DEFLATE, -15}};
    for (size_t k = 0; k < 3; k++) {
        size_t zn = zip(text, sizeof(text), kinds[k].wb, z, sizeof(z));
        size_t steps[] = {zn, 1, 7, 1000};
        for (size_t s = 0; s < 4; s++) {
            static sink_t out;
            out.len = 0;
            tide_inflate_t *d = tide_inflate_new(kinds[k].c, sizeof(text));
            CHECK(d);
            for (size_t at = 0; at < zn; at += steps[s]) {
                size_t len = zn - at < steps[s] ? zn - at : steps[s];
                CHECK_EQ(tide_inflate_run(d, z + at, len, sink, &out), 0);
            }
            CHECK(tide_inflate_done(d));
            CHECK_EQ(out.len, sizeof(text));
            CHECK(!memcmp(out.buf, text, sizeof(text)));
            tide_inflate_free(d);
        }
        /* one byte less output allowed: refused */
        static sink_t out;
        out.len = 0;
        tide_inflate_t *d = tide_inflate_new(kinds[k].c, sizeof(text) - 1);
        CHECK_EQ(tide_inflate_run(d, z, zn, sink, &out), TIDE_ETOOBIG);
        tide_inflate_free(d);
        /* truncated: not done */
        out.len = 0;
        d = tide_inflate_new(kinds[k].c, sizeof(text));
        CHECK_EQ(tide_inflate_run(d, z, zn - 4, sink, &out), 0);
        CHECK(!tide_inflate_done(d));
        tide_inflate_free(d);
    }
    static sink_t out;
    tide_inflate_t *d = tide_inflate_new(TIDE_CODING_GZIP, 100);
    CHECK_EQ(tide_inflate_run(d, "not gzip at all", 15, sink, &out), TIDE_EPROTO);
    tide_inflate_free(d);
    CHECK(tide_inflate_new(TIDE_CODING_NONE, 1) == NULL);
}

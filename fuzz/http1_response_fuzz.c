/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for what an HTTP client reads from a server
 * (src/proto/http1_response.c). The first byte picks the head limit and where the body is
 * cut into two feeds; the rest is what a server sent. Checked: no crash, no UB; a head
 * that parses lies within the input with sane spans; the chunked decoder never hands out
 * more than it consumed, and fed in two pieces decodes to the same bytes as fed whole; the
 * body's Content-Encoding decoder never goes past its output bound.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tide/common.h"
#include "tide/http1_response.h"

#define MAX_OUT 65536

static size_t zout;

static bool count_sink(void *arg, const char *p, size_t n)
{
    (void)arg;
    (void)p;
    zout += n;
    return zout <= MAX_OUT;
}

/* Decodes a chunked body from p[0..n) cut at `cut`: the decoded bytes into out. */
static long chunked(const char *p, size_t n, size_t cut, char *out, size_t *out_len)
{
    char *buf = malloc(n ? n : 1);
    memcpy(buf, p, n);
    tide_http1_chunked_t c;
    tide_http1_chunked_init(&c);
    size_t at = 0, o;
    long rc = 0;
    *out_len = 0;
    while (at < n && !c.done) {
        size_t len = at < cut ? cut - at : n - at;
        long used = tide_http1_chunked_decode(&c, buf + at, len, &o);
        if (used < 0) {
            rc = used;
            break;
        }
        if (o > (size_t)used || (size_t)used > len)
            abort();
        memcpy(out + *out_len, buf + at, o);
        *out_len += o;
        at += (size_t)used;
        rc = (long)at;
    }
    free(buf);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t k = data[0];
    const char *p = (const char *)data + 1;
    size_t n = size - 1;
    tide_http1_response_t r;
    long h = tide_http1_parse_response(p, n, (k & 1) ? 256 : 0, (k & 2) != 0, &r);
    if (h > 0) {
        if ((size_t)h > n || r.status < 100 || r.status > 999 || r.nheaders > TIDE_HTTP1_MAX_HEADERS)
            abort();
        for (uint32_t i = 0; i < r.nheaders; i++)
            if ((size_t)r.headers[i].name.off + r.headers[i].name.len > (size_t)h ||
                (size_t)r.headers[i].value.off + r.headers[i].value.len > (size_t)h)
                abort();
        (void)tide_http1_response_find(&r, p, "content-type");
    } else if (h != 0 && h != TIDE_EPROTO && h != TIDE_ETOOBIG) {
        abort();
    }
    /* the rest (or everything) as a chunked body, whole and split */
    const char *b = h > 0 ? p + h : p;
    size_t bn = h > 0 ? n - (size_t)h : n;
    char *o1 = malloc(bn + 1), *o2 = malloc(bn + 1);
    size_t l1, l2;
    long r1 = chunked(b, bn, bn, o1, &l1);
    long r2 = chunked(b, bn, bn ? (size_t)k % bn : 0, o2, &l2);
    if (r1 != r2 || (r1 >= 0 && (l1 != l2 || memcmp(o1, o2, l1))))
        abort();
    /* the decoded body (or the raw one) through the Content-Encoding decoder */
    tide_inflate_t *z = tide_inflate_new((k & 4) ? TIDE_CODING_GZIP : TIDE_CODING_DEFLATE, MAX_OUT);
    if (z) {
        zout = 0;
        int rc = r1 >= 0 ? tide_inflate_run(z, o1, l1, count_sink, NULL)
                         : tide_inflate_run(z, b, bn, count_sink, NULL);
        if (zout > MAX_OUT || (rc != 0 && rc != TIDE_EPROTO && rc != TIDE_ETOOBIG))
            abort();
        tide_inflate_free(z);
    }
    free(o1);
    free(o2);
    return 0;
}

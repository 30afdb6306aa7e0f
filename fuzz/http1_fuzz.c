/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the HTTP/1.x protocol (src/proto/http1.c). The first byte picks
 * where the input is cut into two feeds, the rest is what a client sent. Checked: no crash,
 * no UB, and every request handed out parses again as a complete head within the message,
 * with the body (content-length, or the decoded chunks) in the rest, and no more bytes
 * handed out than were sent. Each input is fed twice: with spooling offered (bodies over 64
 * bytes go to a spool as they arrive) and without; a spooled request's head must parse the
 * same and its body length must be what was spooled for it. The Accept-Encoding and Content-Type of each request also go
 * through the compression negotiation (src/proto/compress.c), which must answer a known
 * coding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tide/common.h"
#include "tide/compress.h"
#include "tide/http1.h"

static size_t total_in, total_out;
static uint64_t spool_bytes; /* spooled since the last spooled request */

/* A request: head and body_len bytes of body (in data after the head, or spooled). */
static void check_request(const char *data, size_t len, uint64_t body_len, bool spooled)
{
    tide_http1_head_t h;
    long n = tide_http1_parse_head(data, len, 1024, &h);
    if (n <= 0 || (size_t)n > len)
        abort();
    if (spooled && (size_t)n != len)
        abort();
    if (!spooled)
        body_len = len - (size_t)n;
    if (h.body == TIDE_HTTP1_BODY_LENGTH && h.content_length != body_len)
        abort();
    if (h.body == TIDE_HTTP1_BODY_NONE && body_len)
        abort();
    const tide_http1_header_t *ae = tide_http1_find(&h, data, "accept-encoding");
    if (ae) {
        tide_coding_t c = tide_accept_coding(data + ae->value.off, ae->value.len);
        if (c != TIDE_CODING_NONE && c != TIDE_CODING_GZIP && c != TIDE_CODING_DEFLATE)
            abort();
    }
    const tide_http1_header_t *ct = tide_http1_find(&h, data, "content-type");
    if (ct)
        (void)tide_compressible_type(data + ct->value.off, ct->value.len);
    total_out += len + (spooled ? body_len : 0);
}

static int on_message(void *ctx, const char *data, size_t len)
{
    (void)ctx;
    check_request(data, len, 0, false);
    return TIDE_PROTO_TAKEN;
}

static int on_spool(void *ctx, const char *data, size_t len)
{
    (void)ctx;
    (void)data;
    spool_bytes += len;
    return 0;
}

static int on_spooled(void *ctx, const char *data, size_t len, uint64_t body_len)
{
    (void)ctx;
    if (body_len != spool_bytes || body_len <= 64)
        abort();
    check_request(data, len, body_len, true);
    spool_bytes = 0;
    return TIDE_PROTO_TAKEN;
}

static void on_reply(void *ctx, const void *data, size_t len)
{
    (void)ctx;
    if (len < 12 || memcmp(data, "HTTP/1.1 ", 9))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    static const tide_http1_opts_t o = {.max_head = 1024, .max_body = 4096, .spool_min = 64};
    size_t cut = data[0] % size;
    const char *in = (const char *)data + 1;
    size_t n = size - 1;
    if (cut > n)
        cut = n;
    /* Each feed from a buffer of its own, so that ASan sees reads past it. */
    char *a = malloc(cut + 1), *b = malloc(n - cut + 1);
    memcpy(a, in, cut);
    memcpy(b, in + cut, n - cut);
    for (int spool = 0; spool < 2; spool++) {
        tide_http1_conn_t st;
        tide_proto_io_t io = {on_message, on_reply, NULL, 0, spool ? on_spool : NULL,
                              spool ? on_spooled : NULL};
        total_in = n;
        total_out = 0;
        spool_bytes = 0;
        tide_proto_http1.init(&st, &o);
        if (tide_proto_http1.feed(&st, a, cut, &io) >= 0)
            tide_proto_http1.feed(&st, b, n - cut, &io);
        tide_proto_http1.destroy(&st);
        if (total_out > total_in)
            abort();
    }
    free(a);
    free(b);
    return 0;
}

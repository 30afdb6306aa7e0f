/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the stream framer (src/proto/frame.c). The first bytes choose the
 * options, the rest is the stream, fed in chunks whose sizes come from the input too.
 * Checked: what comes out (packages, then what is pending) is exactly what went in, fed
 * whole or in pieces alike, every EOF package ends with the eof, and every length-framed
 * package is as long as its length field says.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tide/common.h"
#include "tide/frame.h"

typedef struct out {
    char *data;
    size_t len;
    const tide_frame_opts_t *o;
} out_t;

static int take(void *udata, const char *data, size_t len)
{
    out_t *out = udata;
    const tide_frame_opts_t *o = out->o;
    if (!len)
        abort();
    if (o->mode == TIDE_FRAME_EOF &&
        (len < o->eof_len || memcmp(data + len - o->eof_len, o->eof, o->eof_len)))
        abort();
    memcpy(out->data + out->len, data, len);
    out->len += len;
    return 0;
}

static int run(const tide_frame_opts_t *o, const uint8_t *in, size_t n, const uint8_t *cuts,
               size_t ncuts, out_t *out)
{
    tide_framer_t f;
    tide_framer_init(&f, o);
    size_t off = 0, c = 0;
    int rc = 0;
    while (off < n && rc == 0) {
        size_t step = ncuts ? 1 + cuts[c++ % ncuts] % 64 : n;
        if (step > n - off)
            step = n - off;
        rc = tide_framer_feed(&f, (const char *)in + off, step, take, out);
        off += step;
    }
    if (rc == 0) {
        /* No loss: packages then pending bytes are the input. */
        if (out->len + tide_framer_pending(&f) != n || memcmp(out->data, in, out->len))
            abort();
        /* f.buf is NULL while nothing is pending: memcmp(NULL, p, 0) is still undefined. */
        size_t pending = tide_framer_pending(&f);
        if (pending && memcmp(f.buf, in + out->len, pending))
            abort();
    }
    tide_framer_destroy(&f);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char types[] = "cCsSnNlLvVqJP";
    if (size < 6)
        return 0;
    tide_frame_opts_t o = {0};
    uint8_t mode = data[0] % 3;
    o.max_length = 64 + data[1] * 16u;
    if (mode == 0) {
        o.mode = TIDE_FRAME_LENGTH;
        o.length_type = types[data[2] % 13];
        o.length_offset = data[3] % 8;
        o.body_offset = data[4] % 16;
    } else {
        o.mode = TIDE_FRAME_EOF;
        o.eof_split = mode == 1;
        o.eof_len = 1 + data[2] % 3;
        memcpy(o.eof, "\r\n\n", o.eof_len);
    }
    size_t ncuts = data[5] % 8;
    if (size < 6 + ncuts)
        return 0;
    const uint8_t *cuts = data + 6, *in = data + 6 + ncuts;
    size_t n = size - 6 - ncuts;

    out_t whole = {malloc(n + 1), 0, &o}, parts = {malloc(n + 1), 0, &o};
    int rc1 = run(&o, in, n, NULL, 0, &whole);
    int rc2 = run(&o, in, n, cuts, ncuts, &parts);
    /* Split modes give the same packages however the stream is cut (eof_check follows the
     * reads by design). */
    if (o.mode == TIDE_FRAME_LENGTH || o.eof_split) {
        if (rc1 == 0 && rc2 == 0 && (whole.len != parts.len || memcmp(whole.data, parts.data, whole.len)))
            abort();
    }
    free(whole.data);
    free(parts.data);
    return 0;
}

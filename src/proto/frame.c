/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "tide/common.h"
#include "tide/frame.h"

#define DEFAULT_MAX_LENGTH (2u * 1024 * 1024)

size_t tide_frame_length_size(char type)
{
    switch (type) {
    case 'c':
    case 'C':
        return 1;
    case 's':
    case 'S':
    case 'n':
    case 'v':
        return 2;
    case 'l':
    case 'L':
    case 'N':
    case 'V':
        return 4;
    case 'q':
    case 'J':
    case 'P':
        return 8;
    default:
        return 0;
    }
}

int tide_frame_opts_check(const tide_frame_opts_t *o)
{
    switch (o->mode) {
    case TIDE_FRAME_RAW:
        return 0;
    case TIDE_FRAME_EOF:
        return o->eof_len >= 1 && o->eof_len <= TIDE_FRAME_EOF_MAX ? 0 : TIDE_EPROTO;
    case TIDE_FRAME_LENGTH:
        if (!tide_frame_length_size(o->length_type))
            return TIDE_EPROTO;
        if (o->length_offset > (size_t)1 << 20 || o->body_offset > (size_t)1 << 20)
            return TIDE_EPROTO;
        return 0;
    }
    return TIDE_EPROTO;
}

static size_t max_length(const tide_frame_opts_t *o)
{
    return o->max_length ? o->max_length : DEFAULT_MAX_LENGTH;
}

/* The length field at p as an unsigned value; *negative when a signed type holds < 0. */
static uint64_t read_length(char type, const unsigned char *p, bool *negative)
{
    uint64_t v = 0;
    *negative = false;
    switch (type) {
    case 'c':
        *negative = (int8_t)p[0] < 0;
        return (uint64_t)(int64_t)(int8_t)p[0];
    case 'C':
        return p[0];
    case 'n':
        return (uint64_t)p[0] << 8 | p[1];
    case 'v':
        return (uint64_t)p[1] << 8 | p[0];
    case 'N':
        return (uint64_t)p[0] << 24 | (uint64_t)p[1] << 16 | (uint64_t)p[2] << 8 | p[3];
    case 'V':
        return (uint64_t)p[3] << 24 | (uint64_t)p[2] << 16 | (uint64_t)p[1] << 8 | p[0];
    case 'J':
        for (int i = 0; i < 8; i++)
            v = v << 8 | p[i];
        return v;
    case 'P':
        for (int i = 7; i >= 0; i--)
            v = v << 8 | p[i];
        return v;
    case 's': {
        int16_t x;
        memcpy(&x, p, 2); /* machine byte order, as PHP's pack('s') */
        *negative = x < 0;
        return (uint64_t)(int64_t)x;
    }
    case 'S': {
        uint16_t x;
        memcpy(&x, p, 2);
        return x;
    }
    case 'l': {
        int32_t x;
        memcpy(&x, p, 4);
        *negative = x < 0;
        return (uint64_t)(int64_t)x;
    }
    case 'L': {
        uint32_t x;
        memcpy(&x, p, 4);
        return x;
    }
    default: { /* 'q' */
        int64_t x;
        memcpy(&x, p, 8);
        *negative = x < 0;
        return (uint64_t)x;
    }
    }
}

/*
 * Looks for one package at the start of p[0..n). *len: its size when complete, else 0.
 * *scanned (EOF modes): how much of p is known to hold no eof, carried between calls.
 */
static int next_package(const tide_frame_opts_t *o, const char *p, size_t n, size_t *scanned,
                        size_t *len)
{
    *len = 0;
    if (o->mode == TIDE_FRAME_LENGTH) {
        size_t size = tide_frame_length_size(o->length_type);
        if (n < o->length_offset + size)
            return 0;
        bool negative;
        uint64_t v = read_length(o->length_type, (const unsigned char *)p + o->length_offset,
                                 &negative);
        if (negative)
            return TIDE_EPROTO;
        /* v first: body_offset + v can wrap around for a 64-bit field. */
        if (v > max_length(o) || (uint64_t)o->body_offset + v > max_length(o))
            return TIDE_ETOOBIG;
        uint64_t total = (uint64_t)o->body_offset + v;
        /* A package must at least hold its own length field, and cannot be empty. */
        if (total < o->length_offset + size || total == 0)
            return TIDE_EPROTO;
        if (total <= n)
            *len = (size_t)total;
        return 0;
    }
    if (!o->eof_split) {
        /* open_eof_check: what has arrived goes on once it ends with the eof, within the
         * bound also when the read that brings the eof crosses it. */
        if (n > max_length(o))
            return TIDE_ETOOBIG;
        if (n >= o->eof_len && !memcmp(p + n - o->eof_len, o->eof, o->eof_len))
            *len = n;
        return 0;
    }
    size_t from = *scanned >= o->eof_len ? *scanned - (o->eof_len - 1) : 0;
    const char *hit = from < n ? memmem(p + from, n - from, o->eof, o->eof_len) : NULL;
    if (hit) {
        *len = (size_t)(hit - p) + o->eof_len;
        *scanned = 0;
        if (*len > max_length(o))
            return TIDE_ETOOBIG;
        return 0;
    }
    *scanned = n;
    return n > max_length(o) ? TIDE_ETOOBIG : 0;
}

void tide_framer_init(tide_framer_t *f, const tide_frame_opts_t *o)
{
    memset(f, 0, sizeof(*f));
    f->o = o;
}

void tide_framer_destroy(tide_framer_t *f)
{
    tide_free(f->buf);
    f->buf = NULL;
    f->len = f->cap = 0;
}

static void reset(tide_framer_t *f)
{
    f->len = 0;
    f->eof_scan = 0;
}

static void append(tide_framer_t *f, const char *data, size_t n)
{
    if (!n)
        return; /* a feed of nothing may pass data NULL: memcpy() wants it valid even then */
    if (f->len + n > f->cap) {
        size_t cap = f->cap ? f->cap : 4096;
        while (cap < f->len + n)
            cap *= 2;
        f->buf = tide_realloc(f->buf, cap);
        f->cap = cap;
    }
    memcpy(f->buf + f->len, data, n);
    f->len += n;
}

/* Hands out every whole package at the start of p[0..n); returns how many bytes that was. */
static int drain(tide_framer_t *f, const char *p, size_t n, size_t *used, tide_frame_cb cb,
                 void *udata)
{
    size_t off = 0;
    *used = 0;
    while (off < n) {
        size_t len;
        int rc = next_package(f->o, p + off, n - off, &f->eof_scan, &len);
        if (rc < 0)
            return rc;
        if (!len)
            break;
        rc = cb(udata, p + off, len);
        if (rc == TIDE_PROTO_HOLD)
            return rc; /* not taken: it stays for the next feed */
        off += len;
        *used = off;
        if (rc)
            return rc;
    }
    return 0;
}

int tide_framer_feed(tide_framer_t *f, const char *data, size_t n, tide_frame_cb cb,
                     void *udata)
{
    size_t used;
    int rc;

    if (f->o->mode == TIDE_FRAME_RAW) {
        /* Each read as it is; one held back goes first, with what came since. */
        if (f->len) {
            append(f, data, n);
            rc = cb(udata, f->buf, f->len);
            if (rc != TIDE_PROTO_HOLD)
                reset(f);
            return rc;
        }
        if (!n)
            return 0;
        rc = cb(udata, data, n);
        if (rc == TIDE_PROTO_HOLD)
            append(f, data, n);
        return rc;
    }
    if (!f->len) {
        /* Nothing held back: whole packages go straight from the caller's bytes. */
        rc = drain(f, data, n, &used, cb, udata);
        if (rc < 0) {
            reset(f);
            return rc;
        }
        /* Also when cb stopped the feed: what it did not take waits for the next one. */
        if (used < n)
            append(f, data + used, n - used);
        return rc;
    }
    append(f, data, n);
    rc = drain(f, f->buf, f->len, &used, cb, udata);
    if (rc < 0) {
        reset(f);
        return rc;
    }
    if (used) {
        memmove(f->buf, f->buf + used, f->len - used);
        f->len -= used;
    }
    /* A buffer grown for one big package is not kept for the small ones after it. */
    if (!f->len && f->cap > 65536) {
        tide_free(f->buf);
        f->buf = NULL;
        f->cap = 0;
    }
    return rc;
}

/* ---- the framer as a port protocol ---- */

static int proto_check(const void *opts)
{
    return tide_frame_opts_check(opts);
}

static void proto_init(void *state, const void *opts)
{
    tide_framer_init(state, opts);
}

static void proto_destroy(void *state)
{
    tide_framer_destroy(state);
}

static int proto_feed(void *state, const char *data, size_t n, const tide_proto_io_t *io)
{
    return tide_framer_feed(state, data, n, io->message, io->ctx);
}

static size_t proto_pending(const void *state)
{
    return tide_framer_pending(state);
}

static const char *proto_why(const void *state)
{
    (void)state;
    return "a package length that cannot be: negative, or shorter than its own header";
}

const tide_proto_t tide_proto_frame = {
    .name = "stream framing",
    .state_size = sizeof(tide_framer_t),
    .check = proto_check,
    .init = proto_init,
    .destroy = proto_destroy,
    .feed = proto_feed,
    .pending = proto_pending,
    .why = proto_why,
};

/* SPDX-License-Identifier: MIT */
/* WebSocket frames, handshake pieces and the port protocol: see include/tide/websocket.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "tide/ascii.h"
#include "tide/common.h"
#include "tide/websocket.h"

#define DEFAULT_MAX_LEN (2u * 1024 * 1024)
#define DEFAULT_CLOSE_TIMEOUT_NS (3000000000ull)
#define HEAD sizeof(tide_ws_msg_t)

bool tide_ws_close_code_valid(unsigned code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
           (code >= 3000 && code <= 4999);
}

/* ---- frames ---- */

long tide_ws_parse_frame(const void *p, size_t n, tide_ws_frame_t *f)
{
    const uint8_t *b = p;
    if (n < 2)
        return 0;
    f->fin = (b[0] & 0x80) != 0;
    f->rsv = b[0] & 0x70;
    f->opcode = b[0] & 0x0F;
    f->masked = (b[1] & 0x80) != 0;
    uint64_t len = b[1] & 0x7F;
    size_t h = 2;
    if (len == 126) {
        if (n < 4)
            return 0;
        len = (uint64_t)b[2] << 8 | b[3];
        h = 4;
    } else if (len == 127) {
        if (n < 10)
            return 0;
        len = 0;
        for (int i = 0; i < 8; i++)
            len = len << 8 | b[2 + i];
        if (len >> 63)
            return TIDE_EPROTO;
        h = 10;
    }
    if (f->masked) {
        if (n < h + 4)
            return 0;
        memcpy(f->key, b + h, 4);
        h += 4;
    } else {
        memset(f->key, 0, 4);
    }
    f->len = len;
    f->head_len = h;
    return (long)h;
}

size_t tide_ws_frame_head(void *out, uint8_t first, uint64_t len, const uint8_t *key)
{
    uint8_t *b = out;
    uint8_t mask = key ? 0x80 : 0;
    size_t h;
    b[0] = first;
    if (len < 126) {
        b[1] = mask | (uint8_t)len;
        h = 2;
    } else if (len <= 0xFFFF) {
        b[1] = mask | 126;
        b[2] = (uint8_t)(len >> 8);
        b[3] = (uint8_t)len;
        h = 4;
    } else {
        b[1] = mask | 127;
        for (int i = 0; i < 8; i++)
            b[2 + i] = (uint8_t)(len >> (56 - 8 * i));
        h = 10;
    }
    if (key) {
        memcpy(b + h, key, 4);
        h += 4;
    }
    return h;
}

void tide_ws_mask(void *p, size_t n, const uint8_t key[4], uint64_t at)
{
    uint8_t *b = p;
    uint8_t k[8];
    for (int i = 0; i < 8; i++)
        k[i] = key[(at + (uint64_t)i) & 3];
    size_t i = 0;
    if (n >= 8) {
        uint64_t k64;
        memcpy(&k64, k, 8);
        for (; i + 8 <= n; i += 8) {
            uint64_t v;
            memcpy(&v, b + i, 8);
            v ^= k64;
            memcpy(b + i, &v, 8);
        }
    }
    for (; i < n; i++)
        b[i] ^= k[i & 7];
}

/* ---- UTF-8 ---- */

/* States: 0 a whole character; 1..3 that many continuation bytes to come (80..BF); 4..7
 * the byte after E0 (A0..BF), ED (80..9F), F0 (90..BF), F4 (80..8F); 12 bad. */
uint32_t tide_utf8_run(uint32_t state, const void *p, size_t n)
{
    const uint8_t *b = p;
    size_t i = 0;
    while (i < n) {
        if (state == TIDE_UTF8_BAD)
            return state;
        if (state == 0) {
            /* ASCII runs, eight bytes at a time */
            while (i + 8 <= n) {
                uint64_t v;
                memcpy(&v, b + i, 8);
                if (v & 0x8080808080808080ull)
                    break;
                i += 8;
            }
            if (i >= n)
                break;
            uint8_t c = b[i++];
            if (c < 0x80)
                continue;
            if (c >= 0xC2 && c <= 0xDF)
                state = 1;
            else if (c == 0xE0)
                state = 4;
            else if (c == 0xED)
                state = 5;
            else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
                state = 2;
            else if (c == 0xF0)
                state = 6;
            else if (c >= 0xF1 && c <= 0xF3)
                state = 3;
            else if (c == 0xF4)
                state = 7;
            else
                state = TIDE_UTF8_BAD;
            continue;
        }
        uint8_t c = b[i++];
        uint8_t lo = 0x80, hi = 0xBF;
        uint32_t next;
        switch (state) {
        case 4: lo = 0xA0; next = 1; break;
        case 5: hi = 0x9F; next = 1; break;
        case 6: lo = 0x90; next = 2; break;
        case 7: hi = 0x8F; next = 2; break;
        default: next = state - 1; break;
        }
        state = c >= lo && c <= hi ? next : TIDE_UTF8_BAD;
    }
    return state;
}

/* ---- the opening handshake ---- */

typedef struct sha1 {
    uint32_t h[5];
    uint8_t block[64];
    size_t fill;
    uint64_t total;
} sha1_t;

static uint32_t rol(uint32_t v, int n)
{
    return v << n | v >> (32 - n);
}

static void sha1_block(sha1_t *s, const uint8_t *p)
{
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 80; i++)
        w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3], e = s->h[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5A827999;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ED9EBA1;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8F1BBCDC;
        } else {
            f = b ^ c ^ d;
            k = 0xCA62C1D6;
        }
        uint32_t t = rol(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rol(b, 30);
        b = a;
        a = t;
    }
    s->h[0] += a;
    s->h[1] += b;
    s->h[2] += c;
    s->h[3] += d;
    s->h[4] += e;
}

static void sha1_add(sha1_t *s, const void *data, size_t n)
{
    const uint8_t *p = data;
    s->total += n;
    while (n) {
        size_t take = 64 - s->fill < n ? 64 - s->fill : n;
        memcpy(s->block + s->fill, p, take);
        s->fill += take;
        p += take;
        n -= take;
        if (s->fill == 64) {
            sha1_block(s, s->block);
            s->fill = 0;
        }
    }
}

static void sha1_end(sha1_t *s, uint8_t out[20])
{
    uint64_t bits = s->total * 8;
    uint8_t pad = 0x80;
    sha1_add(s, &pad, 1);
    pad = 0;
    while (s->fill != 56)
        sha1_add(s, &pad, 1);
    uint8_t len[8];
    for (int i = 0; i < 8; i++)
        len[i] = (uint8_t)(bits >> (56 - 8 * i));
    sha1_add(s, len, 8);
    for (int i = 0; i < 5; i++) {
        out[4 * i] = (uint8_t)(s->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)s->h[i];
    }
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_value(char c)
{
    const char *p = c ? strchr(b64, c) : NULL;
    return p ? (int)(p - b64) : -1;
}

bool tide_ws_key_valid(const char *key, size_t n)
{
    if (n != 24 || key[22] != '=' || key[23] != '=')
        return false;
    for (size_t i = 0; i < 22; i++)
        if (b64_value(key[i]) < 0)
            return false;
    /* 16 bytes leave the last character's low four bits unused: they must be 0 */
    return (b64_value(key[21]) & 0x0F) == 0;
}

void tide_ws_accept(const char *key, size_t n, char out[29])
{
    static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    sha1_t s = {{0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0}, {0}, 0, 0};
    sha1_add(&s, key, n);
    sha1_add(&s, guid, sizeof(guid) - 1);
    uint8_t d[21];
    sha1_end(&s, d);
    d[20] = 0;
    char *o = out;
    for (int i = 0; i < 21; i += 3) {
        uint32_t v = (uint32_t)d[i] << 16 | (uint32_t)(i + 1 < 20 ? d[i + 1] : 0) << 8 |
                     (i + 2 < 20 ? d[i + 2] : 0);
        *o++ = b64[v >> 18 & 63];
        *o++ = b64[v >> 12 & 63];
        *o++ = i + 1 < 20 ? b64[v >> 6 & 63] : '=';
        *o++ = i + 2 < 20 ? b64[v & 63] : '=';
    }
    out[28] = 0;
}

/* The end of p..end without its trailing spaces and tabs. */
static const char *trim_ows(const char *p, const char *end)
{
    while (end > p && tide_is_ows(end[-1]))
        end--;
    return end;
}

/* Skips spaces and tabs. */
static const char *skip_ows(const char *p, const char *end)
{
    while (p < end && tide_is_ows(*p))
        p++;
    return p;
}

/* p[0..n) is word (given in lowercase), ignoring ASCII case. */
static bool token_is(const char *p, size_t n, const char *word)
{
    return n == strlen(word) && tide_prefix_ci(p, n, word);
}

/* A window-bits value: 8..15, digits only, possibly quoted; -1 when bad. */
static int window_bits(const char *v, size_t n)
{
    if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
        v++;
        n -= 2;
    }
    if (n < 1 || n > 2)
        return -1;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return -1;
        bits = bits * 10 + (v[i] - '0');
    }
    if (n == 2 && v[0] == '0')
        return -1;
    return bits >= 8 && bits <= 15 ? bits : -1;
}

/* One extension offer p[0..n) ("name; param; param=value"): whether it is a
 * permessage-deflate offer this server takes, and then its answer in *d. */
static bool deflate_offer(const char *p, size_t n, tide_ws_deflate_t *d)
{
    const char *end = p + n;
    const char *semi = memchr(p, ';', n);
    const char *name_end = semi ? semi : end;
    const char *ns = skip_ows(p, name_end);
    const char *ne = trim_ows(ns, name_end);
    if (!token_is(ns, (size_t)(ne - ns), "permessage-deflate"))
        return false;
    *d = (tide_ws_deflate_t){.on = true, .server_no_context_takeover = true,
                             .server_max_window_bits = 15, .client_max_window_bits = 15};
    bool seen_s = false, seen_c = false, seen_sb = false, seen_cb = false;
    for (const char *q = semi ? semi + 1 : NULL; q;) {
        size_t left = q < end ? (size_t)(end - q) : 0;
        const char *pe = left ? memchr(q, ';', left) : NULL;
        if (!pe)
            pe = q + left;
        const char *ks = skip_ows(q, pe);
        size_t klen = pe > ks ? (size_t)(pe - ks) : 0;
        const char *eq = klen ? memchr(ks, '=', klen) : NULL;
        const char *ke = trim_ows(ks, eq ? eq : pe);
        const char *vs = NULL, *ve = NULL;
        if (eq) {
            vs = skip_ows(eq + 1, pe);
            ve = trim_ows(vs, pe);
        }
        size_t kl = (size_t)(ke - ks);
        if (token_is(ks, kl, "server_no_context_takeover")) {
            if (eq || seen_s)
                return false;
            seen_s = true;
        } else if (token_is(ks, kl, "client_no_context_takeover")) {
            if (eq || seen_c)
                return false;
            seen_c = true;
            d->client_no_context_takeover = true;
        } else if (token_is(ks, kl, "server_max_window_bits")) {
            int bits = eq ? window_bits(vs, (size_t)(ve - vs)) : -1;
            /* zlib's raw deflate has no 256-byte window: an offer of 8 is declined */
            if (seen_sb || bits < 9)
                return false;
            seen_sb = true;
            d->server_max_window_bits = (uint8_t)bits;
        } else if (token_is(ks, kl, "client_max_window_bits")) {
            if (seen_cb || (eq && window_bits(vs, (size_t)(ve - vs)) < 0))
                return false;
            seen_cb = true; /* our inflater's window (15) reads any smaller one */
        } else if (kl || eq) {
            return false; /* an unknown parameter: this offer is not understood */
        }
        q = pe < end ? pe + 1 : NULL;
    }
    return true;
}

void tide_ws_deflate_offer(const char *p, size_t n, tide_ws_deflate_t *out)
{
    memset(out, 0, sizeof(*out));
    const char *end = p + n;
    while (p && p < end) {
        /* offers are separated by commas (parameter values here never hold one) */
        size_t left = end > p ? (size_t)(end - p) : 0;
        const char *comma = left ? memchr(p, ',', left) : NULL;
        const char *oe = comma ? comma : end;
        if (deflate_offer(p, (size_t)(oe - p), out))
            return;
        memset(out, 0, sizeof(*out));
        p = comma ? comma + 1 : NULL;
    }
}

size_t tide_ws_deflate_answer(const tide_ws_deflate_t *d, char *out)
{
    int n = snprintf(out, 128, "permessage-deflate; server_no_context_takeover%s",
                     d->client_no_context_takeover ? "; client_no_context_takeover" : "");
    if (d->server_max_window_bits && d->server_max_window_bits < 15)
        n += snprintf(out + n, 128 - (size_t)n, "; server_max_window_bits=%u",
                      d->server_max_window_bits);
    return (size_t)n;
}

/* ---- compression of outgoing messages ---- */

struct tide_ws_zout {
    z_stream z;
};

tide_ws_zout_t *tide_ws_zout_new(int level, int bits)
{
    if (level < 1 || level > 9 || bits < 9 || bits > 15)
        return NULL;
    tide_ws_zout_t *z = tide_calloc(1, sizeof(*z));
    if (deflateInit2(&z->z, level, Z_DEFLATED, -bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        tide_free(z);
        return NULL;
    }
    return z;
}

void tide_ws_zout_free(tide_ws_zout_t *z)
{
    if (!z)
        return;
    deflateEnd(&z->z);
    tide_free(z);
}

int tide_ws_zout_run(tide_ws_zout_t *z, const void *in, size_t n, char **out, size_t *out_len)
{
    size_t cap = deflateBound(&z->z, (uLong)n) + 16, len = 0;
    char *buf = tide_malloc(cap);
    z->z.next_in = (Bytef *)(uintptr_t)in;
    z->z.avail_in = (uInt)n;
    for (;;) {
        z->z.next_out = (Bytef *)buf + len;
        z->z.avail_out = (uInt)(cap - len);
        int rc = deflate(&z->z, Z_SYNC_FLUSH);
        len = cap - z->z.avail_out;
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            deflateReset(&z->z);
            tide_free(buf);
            return -ENOMEM;
        }
        if (z->z.avail_out)
            break;
        cap *= 2;
        buf = tide_realloc(buf, cap);
    }
    deflateReset(&z->z);
    /* Z_SYNC_FLUSH ends with an empty stored block, 00 00 ff ff: the receiver adds it */
    if (len >= 4 && memcmp(buf + len - 4, "\0\0\xff\xff", 4) == 0)
        len -= 4;
    if (len == 0)
        buf[len++] = 0; /* an empty message: one empty fixed block (RFC 7692, 7.2.3.6) */
    *out = buf;
    *out_len = len;
    return 0;
}

/* ---- the port protocol ---- */

enum { READY_NONE = 0, READY_DATA, READY_CTL };

static size_t max_len(const tide_ws_conn_t *st)
{
    return st->o->max_len ? st->o->max_len : DEFAULT_MAX_LEN;
}

/* Sends a close frame with code and reason (code 0: none). */
static void send_close(const tide_proto_io_t *io, unsigned code, const char *reason, size_t rlen)
{
    if (!io->reply)
        return;
    uint8_t out[2 + 2 + 125];
    if (rlen > 123)
        rlen = 123;
    size_t plen = code ? 2 + rlen : 0;
    size_t h = tide_ws_frame_head(out, 0x80 | TIDE_WS_CLOSE, plen, NULL);
    if (code) {
        out[h] = (uint8_t)(code >> 8);
        out[h + 1] = (uint8_t)code;
        if (rlen) /* reason may be NULL: memcpy's arguments may not, even for 0 bytes */
            memcpy(out + h + 2, reason, rlen);
    }
    io->reply(io->ctx, out, h + plen);
}

/* Fails the connection: a close frame with code, and no more reading. */
static int fail(tide_ws_conn_t *st, int code, const tide_proto_io_t *io)
{
    static const char *const reasons[] = {
        [0] = "protocol error", [5] = "invalid payload data", [7] = "message too big"};
    const char *r = code >= 1002 && code <= 1009 && reasons[code - 1002] ? reasons[code - 1002]
                                                                          : "";
    st->error = code;
    if (!st->closed)
        send_close(io, (unsigned)code, r, strlen(r));
    st->closed = true;
    st->rx_len = 0;
    st->ready = READY_NONE;
    return code == TIDE_WS_CLOSE_TOO_BIG ? TIDE_ETOOBIG : TIDE_EPROTO;
}

/* Room for need bytes, doubling, but never past most (when need is within it). */
static void reserve_max(char **buf, size_t *cap, size_t need, size_t most)
{
    if (need <= *cap)
        return;
    size_t c = *cap ? *cap : 256;
    while (c < need)
        c *= 2;
    if (c > most && need <= most)
        c = most;
    *buf = tide_realloc(*buf, c);
    *cap = c;
}

static void reserve(char **buf, size_t *cap, size_t need)
{
    reserve_max(buf, cap, need, SIZE_MAX);
}

/* The message buffer always starts with room for its head. */
static void msg_append(tide_ws_conn_t *st, const char *p, size_t n)
{
    if (!st->len)
        st->len = HEAD;
    reserve_max(&st->buf, &st->cap, st->len + n, max_len(st) + HEAD);
    memcpy(st->buf + st->len, p, n);
    st->len += n;
}

static int inflate_in(tide_ws_conn_t *st, const uint8_t *p, size_t n, const tide_proto_io_t *io)
{
    z_stream *z = st->inflate;
    if (!z) {
        z = tide_calloc(1, sizeof(*z));
        if (inflateInit2(z, -15) != Z_OK) {
            tide_free(z);
            return fail(st, TIDE_WS_CLOSE_ERROR, io);
        }
        st->inflate = z;
    }
    if (!st->len)
        st->len = HEAD;
    size_t limit = max_len(st) + HEAD;
    z->next_in = (Bytef *)(uintptr_t)p;
    z->avail_in = (uInt)n;
    while (z->avail_in) {
        size_t before = st->len;
        /* never more room than one byte past the bound: a bomb stops there */
        size_t want = st->len + 16384 > limit + 1 ? limit + 1 : st->len + 16384;
        reserve_max(&st->buf, &st->cap, want, limit + 1);
        z->next_out = (Bytef *)st->buf + st->len;
        z->avail_out = (uInt)(want - st->len);
        int rc = inflate(z, Z_SYNC_FLUSH);
        st->len = want - z->avail_out;
        if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END)
            return fail(st, TIDE_WS_CLOSE_BAD_DATA, io);
        if (st->len > limit)
            return fail(st, TIDE_WS_CLOSE_TOO_BIG, io);
        if (st->msg_opcode == TIDE_WS_TEXT &&
            (st->utf8 = tide_utf8_run(st->utf8, st->buf + before, st->len - before)) ==
                TIDE_UTF8_BAD)
            return fail(st, TIDE_WS_CLOSE_BAD_DATA, io);
        if (rc == Z_STREAM_END)
            inflateReset(z); /* a final block: what follows starts a new stream */
        else if (rc == Z_BUF_ERROR)
            break;
    }
    return 0;
}

/* Payload bytes of the frame being read. */
static int frame_payload(tide_ws_conn_t *st, const char *p, size_t n, const tide_proto_io_t *io)
{
    tide_ws_frame_t *f = &st->f;
    if (!n)
        return 0;
    if (f->opcode & 8) {
        char *dst = st->ctl + HEAD + st->got;
        memcpy(dst, p, n);
        tide_ws_mask(dst, n, f->key, st->got);
        return 0;
    }
    if (st->closing)
        return 0; /* the server closes: data is not read any more */
    if (st->msg_compressed) {
        uint8_t tmp[4096];
        st->msg_zempty = false;
        uint64_t at = st->got;
        while (n) {
            size_t take = n < sizeof(tmp) ? n : sizeof(tmp);
            memcpy(tmp, p, take);
            tide_ws_mask(tmp, take, f->key, at);
            int rc = inflate_in(st, tmp, take, io);
            if (rc)
                return rc;
            p += take;
            n -= take;
            at += take;
        }
        return 0;
    }
    size_t before = st->len ? st->len : HEAD;
    msg_append(st, p, n);
    tide_ws_mask(st->buf + before, n, f->key, st->got);
    if (st->msg_opcode == TIDE_WS_TEXT &&
        (st->utf8 = tide_utf8_run(st->utf8, st->buf + before, n)) == TIDE_UTF8_BAD)
        return fail(st, TIDE_WS_CLOSE_BAD_DATA, io);
    return 0;
}

/* A frame's header is read: is it one a client may send now? */
static int frame_begin(tide_ws_conn_t *st, const tide_proto_io_t *io)
{
    tide_ws_frame_t *f = &st->f;
    if (!f->masked)
        return fail(st, TIDE_WS_CLOSE_PROTOCOL, io);
    if (f->rsv & 0x30)
        return fail(st, TIDE_WS_CLOSE_PROTOCOL, io);
    switch (f->opcode) {
    case TIDE_WS_CLOSE:
    case TIDE_WS_PING:
    case TIDE_WS_PONG:
        if (!f->fin || f->len > 125 || f->rsv)
            return fail(st, TIDE_WS_CLOSE_PROTOCOL, io);
        st->ctl_len = HEAD + (size_t)f->len;
        return 0;
    case TIDE_WS_TEXT:
    case TIDE_WS_BINARY:
        if (st->msg_opcode || (f->rsv && !st->z.on))
            return fail(st, TIDE_WS_CLOSE_PROTOCOL, io);
        st->msg_opcode = f->opcode;
        st->msg_compressed = f->rsv != 0;
        st->msg_zempty = true;
        st->msg_first = true;
        st->utf8 = TIDE_UTF8_OK;
        break;
    case TIDE_WS_CONTINUATION:
        if (!st->msg_opcode || f->rsv)
            return fail(st, TIDE_WS_CLOSE_PROTOCOL, io);
        break;
    default:
        return fail(st, TIDE_WS_CLOSE_PROTOCOL, io);
    }
    size_t have = st->len ? st->len - HEAD : 0;
    if (!st->msg_compressed && (f->len > max_len(st) || have + f->len > max_len(st)))
        return fail(st, TIDE_WS_CLOSE_TOO_BIG, io);
    /* A message in one frame: its buffer in one allocation, of its size (no doublings;
     * and glibc hands the same memory back message after message). */
    if (!st->msg_compressed && f->fin && !have && !st->closing)
        reserve_max(&st->buf, &st->cap, HEAD + (size_t)f->len, HEAD + (size_t)f->len);
    if (st->msg_compressed && f->len > max_len(st))
        return fail(st, TIDE_WS_CLOSE_TOO_BIG, io);
    return 0;
}

static int deliver(tide_ws_conn_t *st, int kind, const tide_proto_io_t *io)
{
    char *m = kind == READY_CTL ? st->ctl : st->buf;
    size_t len = kind == READY_CTL ? st->ctl_len : (st->len ? st->len : HEAD);
    if (kind == READY_DATA && !st->buf) {
        reserve(&st->buf, &st->cap, HEAD);
        m = st->buf;
    }
    int rc = io->message(io->ctx, m, len);
    if (rc == TIDE_PROTO_HOLD) {
        st->ready = (uint8_t)kind;
        return rc;
    }
    st->ready = READY_NONE;
    if (kind == READY_DATA) {
        st->len = 0;
        /* a buffer grown for a big message is not kept for the small ones after it */
        if (st->cap > 4096) {
            tide_free(st->buf);
            st->buf = NULL;
            st->cap = 0;
        }
    }
    return rc;
}

static void set_head(char *m, uint8_t opcode, uint8_t flags)
{
    tide_ws_msg_t h = {TIDE_WS_MSG_MAGIC, opcode, flags, 0};
    memcpy(m, &h, sizeof(h));
}

static int end_control(tide_ws_conn_t *st, const tide_proto_io_t *io)
{
    tide_ws_frame_t *f = &st->f;
    const char *payload = st->ctl + HEAD;
    size_t n = (size_t)f->len;
    set_head(st->ctl, f->opcode, TIDE_WS_FLAG_FIN);
    switch (f->opcode) {
    case TIDE_WS_PING:
        if (st->closing)
            return 0;
        if (st->o->pass_ping)
            return deliver(st, READY_CTL, io);
        if (io->reply) {
            char out[2 + 125];
            size_t h = tide_ws_frame_head(out, 0x80 | TIDE_WS_PONG, n, NULL);
            memcpy(out + h, payload, n);
            io->reply(io->ctx, out, h + n);
        }
        return 0;
    case TIDE_WS_PONG:
        return st->o->pass_pong && !st->closing ? deliver(st, READY_CTL, io) : 0;
    default: { /* CLOSE */
        unsigned code = 0;
        if (n == 1)
            return fail(st, TIDE_WS_CLOSE_PROTOCOL, io);
        if (n >= 2) {
            code = (unsigned)(uint8_t)payload[0] << 8 | (uint8_t)payload[1];
            if (!tide_ws_close_code_valid(code))
                return fail(st, TIDE_WS_CLOSE_PROTOCOL, io);
            if (tide_utf8_run(TIDE_UTF8_OK, payload + 2, n - 2) != TIDE_UTF8_OK)
                return fail(st, TIDE_WS_CLOSE_BAD_DATA, io);
        }
        if (!st->closing)
            send_close(io, code ? code : TIDE_WS_CLOSE_NORMAL, NULL, 0);
        st->closed = true;
        if (st->o->pass_close)
            deliver(st, READY_CTL, io); /* the connection closes whatever the owner says */
        return TIDE_PROTO_CLOSE;
    }
    }
}

static int end_data(tide_ws_conn_t *st, const tide_proto_io_t *io)
{
    tide_ws_frame_t *f = &st->f;
    if (st->closing) {
        if (f->fin)
            st->msg_opcode = 0;
        st->len = 0;
        return 0;
    }
    if (!f->fin && !st->o->pass_fragments)
        return 0; /* more fragments come */
    /* An empty compressed message may come with no byte at all (RFC 7692 says 0x00): the
     * tail alone would leave the inflater inside a block. */
    if (f->fin && st->msg_compressed && !st->msg_zempty) {
        static const uint8_t tail[4] = {0, 0, 0xff, 0xff};
        int rc = inflate_in(st, tail, 4, io);
        if (rc)
            return rc;
        if (st->z.client_no_context_takeover && st->inflate)
            inflateReset(st->inflate);
    }
    if (f->fin && st->msg_opcode == TIDE_WS_TEXT && st->utf8 != TIDE_UTF8_OK)
        return fail(st, TIDE_WS_CLOSE_BAD_DATA, io);
    uint8_t opcode = st->msg_first ? st->msg_opcode : TIDE_WS_CONTINUATION;
    uint8_t flags = (f->fin ? TIDE_WS_FLAG_FIN : 0) |
                    (st->msg_compressed ? TIDE_WS_FLAG_COMPRESS | TIDE_WS_FLAG_RSV1 : 0);
    if (!st->buf)
        reserve(&st->buf, &st->cap, HEAD);
    set_head(st->buf, opcode, flags);
    st->msg_first = false;
    if (f->fin)
        st->msg_opcode = 0;
    return deliver(st, READY_DATA, io);
}

/* Reads frames from p[0..n); *used: bytes consumed. */
static int process(tide_ws_conn_t *st, const char *p, size_t n, size_t *used,
                   const tide_proto_io_t *io)
{
    size_t off = 0;
    int rc = 0;
    while (!rc && !st->closed) {
        if (!st->in_frame) {
            long hl = tide_ws_parse_frame(p + off, n - off, &st->f);
            if (hl == 0)
                break;
            if (hl < 0) {
                rc = fail(st, TIDE_WS_CLOSE_PROTOCOL, io);
                break;
            }
            off += (size_t)hl;
            st->got = 0;
            st->in_frame = true;
            if ((rc = frame_begin(st, io)) != 0)
                break;
        }
        uint64_t left = st->f.len - st->got;
        size_t take = n - off < left ? n - off : (size_t)left;
        if ((rc = frame_payload(st, p + off, take, io)) != 0)
            break;
        off += take;
        st->got += take;
        if (st->got < st->f.len)
            break;
        st->in_frame = false;
        rc = st->f.opcode & 8 ? end_control(st, io) : end_data(st, io);
    }
    *used = off;
    return rc;
}

static void rx_keep(tide_ws_conn_t *st, const char *p, size_t n)
{
    if (!n)
        return;
    reserve(&st->rx, &st->rx_cap, st->rx_len + n);
    memmove(st->rx + st->rx_len, p, n);
    st->rx_len += n;
}

static int proto_feed(void *state, const char *data, size_t n, const tide_proto_io_t *io)
{
    tide_ws_conn_t *st = state;
    if (st->closed)
        return 0;
    if (!n)
        data = ""; /* n = 0 may come with NULL: no arithmetic on a null pointer below */
    if (st->ready) {
        int rc = deliver(st, st->ready, io);
        if (rc == TIDE_PROTO_HOLD || rc == TIDE_PROTO_STOP) {
            rx_keep(st, data, n);
            return rc;
        }
    }
    int rc;
    size_t used;
    if (st->rx_len) {
        rx_keep(st, data, n);
        rc = process(st, st->rx, st->rx_len, &used, io);
        if (st->closed) {
            st->rx_len = 0;
        } else {
            memmove(st->rx, st->rx + used, st->rx_len - used);
            st->rx_len -= used;
        }
    } else {
        rc = process(st, data, n, &used, io);
        if (!st->closed)
            rx_keep(st, data + used, n - used);
    }
    if (!st->rx_len && st->rx_cap > 4096) {
        tide_free(st->rx);
        st->rx = NULL;
        st->rx_cap = 0;
    }
    return rc;
}

static int proto_control(void *state, int op, const void *arg, size_t len,
                         const tide_proto_io_t *io)
{
    tide_ws_conn_t *st = state;
    switch (op) {
    case TIDE_PROTO_CTL_UPGRADE:
        if (len == sizeof(tide_ws_deflate_t))
            memcpy(&st->z, arg, sizeof(st->z));
        else if (len)
            return -EINVAL;
        return 0;
    case TIDE_WS_CTL_CLOSE: {
        if (len < 2 || len > 2 + 123)
            return -EINVAL;
        if (st->closing || st->closed)
            return 0;
        const uint8_t *a = arg;
        send_close(io, (unsigned)a[0] << 8 | a[1], (const char *)a + 2, len - 2);
        st->closing = true;
        st->closing_since = io->now_ns ? io->now_ns : 1;
        return 0;
    }
    default:
        return -EINVAL;
    }
}

/* Published in the connection's slot: bit 0 permessage-deflate, bits 1..4 the window bits
 * of what the server sends (so any process can compress a push for it). */
static uint32_t proto_info(const void *state)
{
    const tide_ws_conn_t *st = state;
    return st->z.on ? 1u | (uint32_t)(st->z.server_max_window_bits & 15) << 1 : 0;
}

static int proto_expire(void *state, const tide_proto_io_t *io)
{
    tide_ws_conn_t *st = state;
    uint64_t limit = st->o->close_timeout_ns ? st->o->close_timeout_ns : DEFAULT_CLOSE_TIMEOUT_NS;
    if (!st->closing || st->closed || io->now_ns - st->closing_since < limit)
        return 0;
    st->error = -1;
    return 1;
}

static int proto_check(const void *opts)
{
    (void)opts;
    return 0;
}

static void proto_init(void *state, const void *opts)
{
    tide_ws_conn_t *st = state;
    memset(st, 0, sizeof(*st));
    st->o = opts;
}

static void proto_destroy(void *state)
{
    tide_ws_conn_t *st = state;
    tide_free(st->rx);
    tide_free(st->buf);
    if (st->inflate) {
        inflateEnd(st->inflate);
        tide_free(st->inflate);
    }
    memset(st, 0, sizeof(*st));
}

static size_t proto_pending(const void *state)
{
    const tide_ws_conn_t *st = state;
    if (st->closed)
        return 0;
    return st->rx_len + (st->ready ? 1 : 0);
}

static const char *proto_why(const void *state)
{
    const tide_ws_conn_t *st = state;
    switch (st->error) {
    case -1: return "no answer to the server's close frame within the close timeout";
    case TIDE_WS_CLOSE_PROTOCOL: return "a frame no client may send: closed with 1002";
    case TIDE_WS_CLOSE_BAD_DATA:
        return "a text message that is not UTF-8, or bad compressed data: closed with 1007";
    case TIDE_WS_CLOSE_TOO_BIG: return "a message over package_max_length: closed with 1009";
    default: return "a refused frame";
    }
}

const tide_proto_t tide_proto_websocket = {
    .name = "WebSocket",
    .state_size = sizeof(tide_ws_conn_t),
    .check = proto_check,
    .init = proto_init,
    .destroy = proto_destroy,
    .feed = proto_feed,
    .pending = proto_pending,
    .expire = proto_expire,
    .control = proto_control,
    .info = proto_info,
    .why = proto_why,
};

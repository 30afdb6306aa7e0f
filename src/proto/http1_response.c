/* SPDX-License-Identifier: MIT */
/* HTTP/1.x responses as a client reads them: see include/tide/http1_response.h. */
#include <errno.h>
#include <string.h>
#include <zlib.h>

#include "tide/ascii.h"
#include "tide/common.h"
#include "tide/http1_response.h"
#include "http1_fields.h"

#define DEFAULT_MAX_HEAD (8u * 1024)

/* ---- the head ---- */

/* Whether the last transfer coding is chunked. */
static bool last_coding(void *arg, const char *t, size_t n)
{
    *(bool *)arg = ieq(t, n, "chunked");
    return true;
}

/* Content-Encoding: one coding this decoder knows, or identity. */
typedef struct {
    tide_coding_t c;
    int count;
    bool unknown;
} encoding_t;

static bool encoding_element(void *arg, const char *t, size_t n)
{
    encoding_t *e = arg;
    if (ieq(t, n, "identity"))
        return true;
    e->count++;
    if (ieq(t, n, "gzip") || ieq(t, n, "x-gzip"))
        e->c = TIDE_CODING_GZIP;
    else if (ieq(t, n, "deflate"))
        e->c = TIDE_CODING_DEFLATE;
    else
        e->unknown = true;
    return true;
}

/* "HTTP/1.x NNN reason": version, status and reason into r; false when it is not one. */
static bool status_line(const char *base, const char *p, const char *ce,
                        tide_http1_response_t *r)
{
    if (ce - p < 12 || memcmp(p, "HTTP/1.", 7) || p[7] < '0' || p[7] > '9' || p[8] != ' ')
        return false;
    r->version = p[7] == '0' ? 10 : 11;
    const char *s = p + 9;
    if (s[0] < '1' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9')
        return false;
    r->status = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
    s += 3;
    if (s == ce) { /* no reason, not even its space: tolerated */
        r->reason = span(base, s, 0);
        return true;
    }
    if (*s != ' ')
        return false;
    s++;
    for (const char *c = s; c < ce; c++)
        if (*c != '\t' && ((unsigned char)*c < 0x20 || *c == 0x7f))
            return false;
    r->reason = span(base, s, (size_t)(ce - s));
    return true;
}

long tide_http1_parse_response(const char *p, size_t n, size_t max_head, bool head_request,
                               tide_http1_response_t *r)
{
    if (!max_head)
        max_head = DEFAULT_MAX_HEAD;
    const char *end = p + (n < max_head ? n : max_head);
    const char *s = p, *ce, *lf;
    bool bad = false;

    memset(r, 0, offsetof(tide_http1_response_t, headers));
    /* The status line: checked as soon as its first bytes are in, so that garbage fails at
     * once instead of waiting for a line end that may never come. */
    size_t pre = (size_t)(end - p) < 7 ? (size_t)(end - p) : 7;
    if (memcmp(p, "HTTP/1.", pre))
        return TIDE_EPROTO;
    if (!(lf = line_end(s, end, &ce, &bad)))
        return n >= max_head ? TIDE_ETOOBIG : 0;
    if (bad || !status_line(p, s, ce, r))
        return TIDE_EPROTO;

    connection_t conn = {false, false, false};
    length_t length = {0, false};
    encoding_t enc = {TIDE_CODING_NONE, 0, false};
    bool te = false, chunked = false;
    for (s = lf + 1;; s = lf + 1) {
        if (!(lf = line_end(s, end, &ce, &bad)))
            return n >= max_head ? TIDE_ETOOBIG : 0;
        if (bad)
            return TIDE_EPROTO;
        if (ce == s)
            break;
        if (r->nheaders == TIDE_HTTP1_MAX_HEADERS)
            return TIDE_ETOOBIG;
        const char *name = s;
        while (s < ce && is_tchar((unsigned char)*s))
            s++;
        /* No name, a space before the colon, or a folded line. */
        if (s == name || s == ce || *s != ':')
            return TIDE_EPROTO;
        size_t name_len = (size_t)(s - name);
        s++;
        while (s < ce && tide_is_ows(*s))
            s++;
        const char *v = s, *ve = ce;
        while (ve > v && tide_is_ows(ve[-1]))
            ve--;
        for (const char *c = v; c < ve; c++)
            if (*c != '\t' && ((unsigned char)*c < 0x20 || *c == 0x7f))
                return TIDE_EPROTO;
        size_t vlen = (size_t)(ve - v);
        tide_http1_header_t *hd = &r->headers[r->nheaders++];
        hd->name = span(p, name, name_len);
        hd->value = span(p, v, vlen);
        if (ieq(name, name_len, "content-length")) {
            if (!each_element(v, vlen, length_element, &length) || !length.seen)
                return TIDE_EPROTO;
        } else if (ieq(name, name_len, "connection")) {
            each_element(v, vlen, connection_token, &conn);
        } else if (ieq(name, name_len, "transfer-encoding")) {
            te = true;
            each_element(v, vlen, last_coding, &chunked);
        } else if (ieq(name, name_len, "content-encoding")) {
            each_element(v, vlen, encoding_element, &enc);
        }
    }
    r->len = (size_t)(lf + 1 - p);
    r->keep_alive = !conn.close && (r->version == 11 || conn.keep_alive);
    r->upgrade = conn.upgrade;
    /* Two codings (gzip over deflate) are not decoded: said unknown, the body kept as is. */
    r->coding = enc.count == 1 && !enc.unknown ? enc.c : TIDE_CODING_NONE;
    r->coding_unknown = enc.unknown || enc.count > 1;

    if (head_request || (r->status >= 100 && r->status < 200) || r->status == 204 ||
        r->status == 304) {
        r->body = TIDE_HTTP1_BODY_NONE;
    } else if (te) {
        /* A Content-Length beside it is ignored, and the connection not reused (RFC 9112,
         * 6.3: it may be an attempt at smuggling). */
        r->body = chunked ? TIDE_HTTP1_BODY_CHUNKED : TIDE_HTTP1_BODY_CLOSE;
        if (!chunked || length.seen)
            r->keep_alive = false;
    } else if (length.seen) {
        r->body = length.value ? TIDE_HTTP1_BODY_LENGTH : TIDE_HTTP1_BODY_NONE;
        r->content_length = length.value;
    } else {
        r->body = TIDE_HTTP1_BODY_CLOSE;
        r->keep_alive = false;
    }
    return (long)r->len;
}

const tide_http1_header_t *tide_http1_response_find(const tide_http1_response_t *r,
                                                    const char *p, const char *name)
{
    for (uint32_t i = 0; i < r->nheaders; i++)
        if (ieq(p + r->headers[i].name.off, r->headers[i].name.len, name))
            return &r->headers[i];
    return NULL;
}

/* ---- chunked ---- */

enum {
    CH_SIZE = 0,  /* hex digits of a chunk size */
    CH_SIZE_WS,   /* whitespace after them */
    CH_EXT,       /* an extension, up to the line end */
    CH_SIZE_LF,   /* the LF after the size line's CR */
    CH_DATA,      /* chunk data */
    CH_DATA_END,  /* the CR or LF after it */
    CH_DATA_LF,   /* the LF after its CR */
    CH_TRAILER,   /* the start of a trailer line (or of the empty line that ends them) */
    CH_TRAILER_LINE, /* inside a trailer line */
    CH_END_LF,    /* the LF of the empty line's CRLF */
};

void tide_http1_chunked_init(tide_http1_chunked_t *c)
{
    memset(c, 0, sizeof(*c));
}

static int hexval(unsigned char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    ch = (unsigned char)tide_ascii_lower(ch);
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    return -1;
}

/* The size line is whole: data next, or the trailer after the last chunk. */
static void size_done(tide_http1_chunked_t *c)
{
    c->state = c->left ? CH_DATA : CH_TRAILER;
    c->line = 0;
}

long tide_http1_chunked_decode(tide_http1_chunked_t *c, char *p, size_t n, size_t *out)
{
    size_t i = 0, o = 0;
    while (i < n && !c->done) {
        unsigned char ch = (unsigned char)p[i];
        if (c->state == CH_DATA) {
            size_t take = n - i;
            if (take > c->left)
                take = (size_t)c->left;
            if (o != i)
                memmove(p + o, p + i, take);
            o += take;
            i += take;
            c->left -= take;
            if (!c->left)
                c->state = CH_DATA_END;
            continue;
        }
        i++;
        if (c->state != CH_DATA_END && c->state != CH_DATA_LF &&
            ++c->line > TIDE_HTTP1_CHUNK_LINE_MAX)
            return TIDE_EPROTO;
        switch (c->state) {
        case CH_SIZE: {
            int h = hexval(ch);
            if (h >= 0) {
                if (c->digits == 16 || c->left > (UINT64_MAX >> 4))
                    return TIDE_EPROTO;
                c->left = c->left << 4 | (uint64_t)h;
                c->digits++;
                break;
            }
            if (!c->digits)
                return TIDE_EPROTO;
            if (tide_is_ows((char)ch))
                c->state = CH_SIZE_WS;
            else if (ch == ';')
                c->state = CH_EXT;
            else if (ch == '\r')
                c->state = CH_SIZE_LF;
            else if (ch == '\n')
                size_done(c);
            else
                return TIDE_EPROTO;
            break;
        }
        case CH_SIZE_WS:
            if (ch == ';')
                c->state = CH_EXT;
            else if (ch == '\r')
                c->state = CH_SIZE_LF;
            else if (ch == '\n')
                size_done(c);
            else if (!tide_is_ows((char)ch))
                return TIDE_EPROTO;
            break;
        case CH_EXT:
            if (ch == '\r')
                c->state = CH_SIZE_LF;
            else if (ch == '\n')
                size_done(c);
            else if (ch < 0x20 && ch != '\t')
                return TIDE_EPROTO;
            break;
        case CH_SIZE_LF:
            if (ch != '\n')
                return TIDE_EPROTO;
            size_done(c);
            break;
        case CH_DATA_END:
            if (ch == '\r')
                c->state = CH_DATA_LF;
            else if (ch == '\n')
                goto next_chunk;
            else
                return TIDE_EPROTO;
            break;
        case CH_DATA_LF:
            if (ch != '\n')
                return TIDE_EPROTO;
        next_chunk:
            c->state = CH_SIZE;
            c->digits = 0;
            c->left = 0;
            c->line = 0;
            break;
        case CH_TRAILER:
            if (ch == '\r')
                c->state = CH_END_LF;
            else if (ch == '\n')
                c->done = true;
            else
                c->state = CH_TRAILER_LINE;
            break;
        case CH_TRAILER_LINE:
            if (ch == '\n')
                c->state = CH_TRAILER;
            break;
        case CH_END_LF:
            if (ch != '\n')
                return TIDE_EPROTO;
            c->done = true;
            break;
        }
    }
    *out = o;
    return (long)i;
}

/* ---- Content-Encoding ---- */

struct tide_inflate {
    z_stream zs;
    tide_coding_t coding;
    bool started; /* inflateInit2 was called */
    bool done;
    unsigned char first; /* DEFLATE: the first byte, held until the second tells the format */
    bool have_first;
    size_t max_out, total;
};

tide_inflate_t *tide_inflate_new(tide_coding_t c, size_t max_out)
{
    if (c != TIDE_CODING_GZIP && c != TIDE_CODING_DEFLATE)
        return NULL;
    tide_inflate_t *z = tide_calloc(1, sizeof(*z));
    z->coding = c;
    z->max_out = max_out;
    if (c == TIDE_CODING_GZIP) {
        if (inflateInit2(&z->zs, 15 + 16) != Z_OK) {
            tide_free(z);
            return NULL;
        }
        z->started = true;
    }
    return z;
}

/* Feeds in[0..n) to zlib. */
static int inflate_some(tide_inflate_t *z, const unsigned char *in, size_t n,
                        tide_deflate_sink_fn sink, void *arg)
{
    unsigned char buf[16384];
    z->zs.next_in = (unsigned char *)in;
    while (n && !z->done) {
        uInt step = n > (1u << 30) ? (1u << 30) : (uInt)n;
        z->zs.next_in = (unsigned char *)in;
        z->zs.avail_in = step;
        do {
            z->zs.next_out = buf;
            z->zs.avail_out = sizeof(buf);
            int rc = inflate(&z->zs, Z_NO_FLUSH);
            size_t got = sizeof(buf) - z->zs.avail_out;
            if (rc == Z_MEM_ERROR)
                return -ENOMEM;
            if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
                return TIDE_EPROTO;
            if (got) {
                if (got > z->max_out - z->total)
                    return TIDE_ETOOBIG;
                z->total += got;
                if (!sink(arg, (const char *)buf, got))
                    return -ENOMEM;
            }
            if (rc == Z_STREAM_END) {
                z->done = true;
                break;
            }
            if (rc == Z_BUF_ERROR && !got)
                break; /* needs more input */
        } while (z->zs.avail_in || !z->zs.avail_out);
        size_t used = step - z->zs.avail_in;
        in += used;
        n -= used;
        if (z->done)
            break;
        if (!used && z->zs.avail_in)
            return TIDE_EPROTO;
    }
    /* Bytes past the end of the stream: refused, so that a body is one stream. */
    return z->done && n ? TIDE_EPROTO : 0;
}

int tide_inflate_run(tide_inflate_t *z, const void *in, size_t n, tide_deflate_sink_fn sink,
                     void *arg)
{
    const unsigned char *p = in;
    if (!n)
        return 0;
    if (z->done)
        return TIDE_EPROTO;
    if (!z->started) {
        /* "deflate" is the zlib format (RFC 9110, 8.4.1.2), but some servers send raw
         * deflate: a zlib header is CM 8, a window up to 32 KiB, and a multiple of 31. */
        if (!z->have_first) {
            z->first = p[0];
            z->have_first = true;
            p++;
            n--;
            if (!n)
                return 0;
        }
        unsigned b0 = z->first, b1 = p[0];
        bool zlib = (b0 & 0x0f) == 8 && (b0 >> 4) <= 7 && (b0 << 8 | b1) % 31 == 0;
        if (inflateInit2(&z->zs, zlib ? 15 : -15) != Z_OK)
            return -ENOMEM;
        z->started = true;
        int rc = inflate_some(z, &z->first, 1, sink, arg);
        if (rc < 0)
            return rc;
    }
    return inflate_some(z, p, n, sink, arg);
}

bool tide_inflate_done(const tide_inflate_t *z)
{
    return z->done;
}

void tide_inflate_free(tide_inflate_t *z)
{
    if (!z)
        return;
    if (z->started)
        inflateEnd(&z->zs);
    tide_free(z);
}

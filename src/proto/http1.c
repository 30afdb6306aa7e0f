/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "tide/ascii.h"
#include "tide/common.h"
#include "tide/http1.h"
#include "http1_fields.h"

#define DEFAULT_MAX_HEAD (8u * 1024)
#define DEFAULT_MAX_BODY (2u * 1024 * 1024)
#define MAX_CHUNK_LINE 1024 /* a chunk-size line with its extensions */
#define NEED_BUF 100        /* drain_head: a chunked body, to be decoded in buf */

/* A byte of a field value: visible, obs-text, space or tab (no other control). */
static bool is_vchar_ws(unsigned char c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/* A byte of a request-target: visible or obs-text (no space, no control). */
static bool is_target(unsigned char c)
{
    return c > 0x20 && c != 0x7f;
}

/* ---- the head ---- */

/* Transfer-Encoding: chunked, and only that, once (anything else: 501; a second chunked
 * or chunked not last: 400). */
typedef struct {
    int chunked; /* elements seen that are "chunked" */
    bool other;  /* a coding other than chunked */
    bool after;  /* a coding after chunked */
} coding_t;

static bool coding_element(void *arg, const char *t, size_t n)
{
    coding_t *c = arg;
    if (c->chunked)
        c->after = true;
    if (ieq(t, n, "chunked"))
        c->chunked++;
    else
        c->other = true;
    return true;
}

static long request_line(const char *base, const char *p, const char *ce, tide_http1_head_t *h)
{
    const char *s = p;
    while (s < ce && is_tchar((unsigned char)*s))
        s++;
    if (s == p || s == ce || *s != ' ')
        return -400;
    h->method = span(base, p, (size_t)(s - p));
    const char *t = ++s;
    while (s < ce && is_target((unsigned char)*s))
        s++;
    if (s == t || s == ce || *s != ' ')
        return -400;
    h->target = span(base, t, (size_t)(s - t));
    const char *q = memchr(t, '?', (size_t)(s - t));
    h->path = span(base, t, (size_t)((q ? q : s) - t));
    h->query = q ? span(base, q + 1, (size_t)(s - q - 1)) : span(base, s, 0);
    const char *v = ++s;
    if (ce - v != 8 || memcmp(v, "HTTP/", 5) || v[6] != '.' || v[5] < '0' || v[5] > '9' ||
        v[7] < '0' || v[7] > '9')
        return -400;
    if (v[5] != '1')
        return -505;
    h->version = v[7] == '0' ? 10 : 11;
    return 0;
}

long tide_http1_parse_head(const char *p, size_t n, size_t max_head, tide_http1_head_t *h)
{
    if (!max_head)
        max_head = DEFAULT_MAX_HEAD;
    const char *end = p + (n < max_head ? n : max_head);
    const char *s = p, *ce, *lf;
    bool bad = false;

    /* Empty lines before the request line are skipped. */
    while (s < end && (*s == '\n' || (*s == '\r' && s + 1 < end && s[1] == '\n')))
        s += *s == '\n' ? 1 : 2;
    if (s < end && *s == '\r' && s + 1 == end)
        return n > max_head ? -431 : 0;
    memset(h, 0, offsetof(tide_http1_head_t, headers));
    h->start = (size_t)(s - p);
    if (!(lf = line_end(s, end, &ce, &bad)))
        return n >= max_head ? -431 : 0;
    if (bad)
        return -400;
    long rc = request_line(p, s, ce, h);
    if (rc < 0)
        return rc;
    connection_t conn = {false, false, false};
    length_t length = {0, false};
    coding_t coding = {0, false, false};
    int te_lines = 0, hosts = 0;
    for (s = lf + 1;; s = lf + 1) {
        if (!(lf = line_end(s, end, &ce, &bad)))
            return n >= max_head ? -431 : 0;
        if (bad)
            return -400;
        if (ce == s)
            break; /* the empty line: the head is whole */
        if (h->nheaders == TIDE_HTTP1_MAX_HEADERS)
            return -431;
        const char *name = s;
        while (s < ce && is_tchar((unsigned char)*s))
            s++;
        /* No name, a space before the colon, or a folded line (starts with whitespace). */
        if (s == name || s == ce || *s != ':')
            return -400;
        size_t name_len = (size_t)(s - name);
        s++;
        while (s < ce && (*s == ' ' || *s == '\t'))
            s++;
        const char *v = s, *ve = ce;
        while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
            ve--;
        for (const char *c = v; c < ve; c++)
            if (!is_vchar_ws((unsigned char)*c))
                return -400;
        size_t vlen = (size_t)(ve - v);
        tide_http1_header_t *hd = &h->headers[h->nheaders++];
        hd->name = span(p, name, name_len);
        hd->value = span(p, v, vlen);

        switch (tide_ascii_lower((unsigned char)name[0])) {
        case 'c':
            if (ieq(name, name_len, "content-length")) {
                if (!each_element(v, vlen, length_element, &length) || !length.seen)
                    return -400;
            } else if (ieq(name, name_len, "connection")) {
                each_element(v, vlen, connection_token, &conn);
            }
            break;
        case 't':
            if (ieq(name, name_len, "transfer-encoding")) {
                te_lines++;
                each_element(v, vlen, coding_element, &coding);
            }
            break;
        case 'h':
            if (ieq(name, name_len, "host"))
                hosts++;
            break;
        case 'e':
            if (ieq(name, name_len, "expect") && ieq(v, vlen, "100-continue"))
                h->expect_continue = true;
            break;
        }
    }
    h->len = (size_t)(lf + 1 - p);
    h->keep_alive = !conn.close && (h->version == 11 || conn.keep_alive);
    h->upgrade = conn.upgrade;

    /* HTTP/1.1 needs exactly one Host (RFC 9112, 3.2); HTTP/1.0 at most one. */
    if ((h->version == 11 && hosts != 1) || hosts > 1)
        return -400;
    if (te_lines) {
        /* Both framings: refused, not guessed (RFC 9112, 6.1). A 1.0 request cannot be
         * chunked. */
        if (length.seen || h->version == 10)
            return -400;
        if (coding.other)
            return -501;
        if (coding.chunked != 1 || coding.after)
            return -400;
        h->body = TIDE_HTTP1_BODY_CHUNKED;
    } else if (length.seen && length.value) {
        h->body = TIDE_HTTP1_BODY_LENGTH;
        h->content_length = length.value;
    }
    if (h->version == 10)
        h->expect_continue = false;
    return (long)h->len;
}

const tide_http1_header_t *tide_http1_find(const tide_http1_head_t *h, const char *p,
                                           const char *name)
{
    for (uint32_t i = 0; i < h->nheaders; i++)
        if (ieq(p + h->headers[i].name.off, h->headers[i].name.len, name))
            return &h->headers[i];
    return NULL;
}

const char *tide_http1_reason(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 203: return "Non-Authoritative Information";
    case 204: return "No Content";
    case 205: return "Reset Content";
    case 206: return "Partial Content";
    case 207: return "Multi-Status";
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 421: return "Misdirected Request";
    case 422: return "Unprocessable Content";
    case 425: return "Too Early";
    case 426: return "Upgrade Required";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 451: return "Unavailable For Legal Reasons";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "";
    }
}

/* ---- the port protocol ---- */

enum {
    ST_HEAD = 0,   /* reading a head */
    ST_LENGTH,     /* a Content-Length body */
    ST_CHUNK_SIZE, /* a chunk-size line */
    ST_CHUNK_DATA, /* chunk data */
    ST_CHUNK_END,  /* the line end after chunk data */
    ST_TRAILER,    /* trailer lines after the last chunk */
    ST_READY,      /* a chunked request decoded in buf, not taken yet */
    ST_CLOSED,     /* no more requests on this connection */
};

static size_t max_head(const tide_http1_conn_t *st)
{
    return st->o->max_head ? st->o->max_head : DEFAULT_MAX_HEAD;
}

static size_t max_body(const tide_http1_conn_t *st)
{
    return st->o->max_body ? st->o->max_body : DEFAULT_MAX_BODY;
}

static void append(tide_http1_conn_t *st, const char *data, size_t n)
{
    if (!n)
        return;
    if (st->len + n > st->cap) {
        size_t cap = st->cap ? st->cap : 4096;
        while (cap < st->len + n)
            cap *= 2;
        st->buf = tide_realloc(st->buf, cap);
        st->cap = cap;
    }
    memcpy(st->buf + st->len, data, n);
    st->len += n;
}

static void consume(tide_http1_conn_t *st, size_t n)
{
    memmove(st->buf, st->buf + n, st->len - n);
    st->len -= n;
    /* A buffer grown for one big request is not kept for the small ones after it. */
    if (!st->len && st->cap > 65536) {
        tide_free(st->buf);
        st->buf = NULL;
        st->cap = 0;
    }
}

/* Refuses the request: the status with Connection: close, and no more requests. */
static int refuse(tide_http1_conn_t *st, int status, const tide_proto_io_t *io)
{
    st->error = status;
    st->stage = ST_CLOSED;
    st->len = 0;
    if (io->reply) {
        const char *reason = tide_http1_reason(status);
        char out[256];
        int len = snprintf(out, sizeof(out),
                           "HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\n"
                           "Content-Length: %zu\r\nConnection: close\r\n\r\n%s\n",
                           status, reason, strlen(reason) + 1, reason);
        io->reply(io->ctx, out, (size_t)len);
    }
    return TIDE_EPROTO;
}

static void send_continue(tide_http1_conn_t *st, const tide_proto_io_t *io)
{
    static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
    if (!st->continued && io->reply)
        io->reply(io->ctx, cont, sizeof(cont) - 1);
    st->continued = true;
}

/* Whether a body of n bytes (or n held so far) goes to the spool. */
static bool spools(const tide_http1_conn_t *st, const tide_proto_io_t *io, uint64_t n)
{
    return io->spool && io->spooled && st->o->spool_min && n > st->o->spool_min;
}

/* Writes buf[at, at + n) to the spool; a failure refuses the request (500). */
static int spool_out(tide_http1_conn_t *st, const tide_proto_io_t *io, size_t at, size_t n)
{
    if (n && io->spool(io->ctx, st->buf + at, n) < 0)
        return refuse(st, 500, io);
    st->spooled += n;
    return 0;
}

/* After a request is handed out: the next one starts. */
static int next_request(tide_http1_conn_t *st)
{
    st->stage = st->keep_alive ? ST_HEAD : ST_CLOSED;
    st->scanned = 0;
    st->continued = false;
    st->head_len = st->body_len = st->raw = 0;
    st->head_since = 0;
    st->spooled = 0;
    st->spooling = false;
    return st->stage == ST_CLOSED;
}

/* Bytes of empty lines at the start of p[0..n) (before a request line). */
static size_t blank_prefix(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && (p[i] == '\r' || p[i] == '\n'))
        i++;
    return i;
}

/* Looks for the end of a head in p[0..n) from where the last look stopped: a line end
 * followed by an empty line, after the empty lines a request may start with. */
static bool head_complete(tide_http1_conn_t *st, const char *p, size_t n)
{
    size_t lead = blank_prefix(p, n);
    size_t from = st->scanned > 2 ? st->scanned - 2 : 0;
    if (from < lead)
        from = lead;
    for (const char *s = p + from; s < p + n && (s = memchr(s, '\n', (size_t)(p + n - s))); s++) {
        size_t i = (size_t)(s - p);
        if ((i + 1 < n && p[i + 1] == '\n') ||
            (i + 2 < n && p[i + 1] == '\r' && p[i + 2] == '\n'))
            return true;
    }
    st->scanned = n;
    return false;
}

/*
 * Reads requests from p[0..n) (the caller's bytes, or buf). *used: bytes fully handled.
 * Returns 0, a callback's non-zero answer, TIDE_EPROTO (refused: the reply is queued), or
 * NEED_BUF when a chunked body must be decoded in buf (p is the caller's: *used is where the
 * request starts).
 */
static int drain_head(tide_http1_conn_t *st, const char *p, size_t n, size_t *used,
                      const tide_proto_io_t *io, bool in_buf)
{
    size_t off = 0;
    *used = 0;
    while (off < n && st->stage == ST_HEAD) {
        const char *r = p + off;
        size_t avail = n - off;
        if (!head_complete(st, r, avail)) {
            /* Empty lines before a request are dropped as they come (through their last
             * LF), so that a stream of them holds no memory. */
            size_t blank = blank_prefix(r, avail);
            while (blank && r[blank - 1] != '\n')
                blank--;
            if (blank) {
                *used = off + blank;
                st->scanned = st->scanned > blank ? st->scanned - blank : 0;
            }
            if (avail - blank > max_head(st))
                return refuse(st, 431, io);
            break;
        }
        tide_http1_head_t h;
        long hl = tide_http1_parse_head(r, avail, max_head(st), &h);
        if (hl < 0)
            return refuse(st, (int)-hl, io);
        if (hl == 0)
            return refuse(st, 431, io); /* complete, but not within max_head */
        if (h.start) {
            /* Empty lines before it: dropped, so that the request starts the message. */
            off += h.start;
            *used = off;
            st->scanned = 0;
            continue;
        }
        st->keep_alive = h.keep_alive;
        st->head_len = (size_t)hl;
        if (h.body == TIDE_HTTP1_BODY_CHUNKED) {
            if (!in_buf) {
                *used = off;
                return NEED_BUF;
            }
            if (h.expect_continue)
                send_continue(st, io);
            st->stage = ST_CHUNK_SIZE;
            st->raw = st->head_len;
            st->body_len = 0;
            return 0;
        }
        if (h.content_length > max_body(st))
            return refuse(st, 413, io);
        size_t total = st->head_len + (size_t)h.content_length;
        if (total > avail) {
            if (h.expect_continue)
                send_continue(st, io);
            st->stage = ST_LENGTH;
            st->body_len = (size_t)h.content_length;
            st->spooling = spools(st, io, h.content_length);
            break;
        }
        int rc = io->message(io->ctx, r, total);
        if (rc == TIDE_PROTO_HOLD)
            return rc; /* not taken: this request is read again next feed */
        off += total;
        *used = off;
        if (next_request(st))
            return rc;
        if (rc)
            return rc;
    }
    return 0;
}

/* A Content-Length body being gathered in buf, or written to the spool as it comes (buf
 * then holds the head, and what follows the body once it is whole). */
static int drain_length(tide_http1_conn_t *st, const tide_proto_io_t *io, bool *again)
{
    size_t total = st->head_len + st->body_len;
    *again = false;
    if (st->spooling) {
        size_t have = st->len - st->head_len;
        uint64_t left = st->body_len - st->spooled;
        size_t take = have < left ? have : (size_t)left;
        if (spool_out(st, io, st->head_len, take) < 0)
            return TIDE_EPROTO;
        memmove(st->buf + st->head_len, st->buf + st->head_len + take, have - take);
        st->len -= take;
        if (st->spooled < st->body_len)
            return 0;
        total = st->head_len;
    } else if (st->len < total) {
        return 0;
    }
    int rc = st->spooling ? io->spooled(io->ctx, st->buf, st->head_len, st->body_len)
                          : io->message(io->ctx, st->buf, total);
    if (rc == TIDE_PROTO_HOLD)
        return rc;
    consume(st, total);
    bool closed = next_request(st);
    *again = !closed && !rc;
    return rc;
}

/* Parses a chunk-size line at buf[raw..): its size, or -1 (more bytes), -400. */
static int64_t chunk_size(tide_http1_conn_t *st)
{
    const char *p = st->buf + st->raw;
    size_t avail = st->len - st->raw;
    const char *lf = memchr(p, '\n', avail < MAX_CHUNK_LINE ? avail : MAX_CHUNK_LINE);
    if (!lf)
        return avail >= MAX_CHUNK_LINE ? -400 : -1;
    const char *ce = lf > p && lf[-1] == '\r' ? lf - 1 : lf;
    uint64_t v = 0;
    size_t digits = 0;
    const char *s = p;
    for (; s < ce; s++, digits++) {
        int c = tide_ascii_lower((unsigned char)*s), d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else
            break;
        if (digits == 15)
            return -400; /* over 2^60: no body is that long */
        v = v << 4 | (uint64_t)d;
    }
    if (!digits)
        return -400;
    /* Extensions: BWS ";" ..., visible characters only, ignored. */
    while (s < ce && (*s == ' ' || *s == '\t'))
        s++;
    if (s < ce && *s != ';')
        return -400;
    for (; s < ce; s++)
        if (!is_vchar_ws((unsigned char)*s))
            return -400;
    st->raw = (size_t)(lf + 1 - st->buf);
    return (int64_t)v;
}

/* A chunked body being decoded in place in buf: decoded bytes are written at
 * head_len + body_len, never past raw, the next coded byte. */
static int drain_chunked(tide_http1_conn_t *st, const tide_proto_io_t *io, bool *again)
{
    *again = false;
    for (;;) {
        switch (st->stage) {
        case ST_CHUNK_SIZE: {
            int64_t v = chunk_size(st);
            if (v == -1)
                return 0;
            if (v < 0)
                return refuse(st, 400, io);
            if ((uint64_t)v > max_body(st) - st->body_len)
                return refuse(st, 413, io);
            st->chunk_left = (uint64_t)v;
            if (v == 0) {
                st->stage = ST_TRAILER;
                st->trailer_start = st->raw;
            } else {
                st->stage = ST_CHUNK_DATA;
            }
            break;
        }
        case ST_CHUNK_DATA: {
            size_t avail = st->len - st->raw;
            size_t take = avail < st->chunk_left ? avail : (size_t)st->chunk_left;
            if (!take)
                return 0;
            /* Decoded bytes not spooled yet are held right after the head. */
            size_t held = st->body_len - st->spooled;
            memmove(st->buf + st->head_len + held, st->buf + st->raw, take);
            st->body_len += take;
            st->raw += take;
            st->chunk_left -= take;
            held += take;
            if (spools(st, io, held)) {
                /* Out to the spool, and the coded bytes read so far dropped from buf. */
                if (spool_out(st, io, st->head_len, held) < 0)
                    return TIDE_EPROTO;
                memmove(st->buf + st->head_len, st->buf + st->raw, st->len - st->raw);
                st->len -= st->raw - st->head_len;
                st->raw = st->head_len;
                st->spooling = true;
            }
            if (!st->chunk_left)
                st->stage = ST_CHUNK_END;
            break;
        }
        case ST_CHUNK_END: {
            size_t avail = st->len - st->raw;
            const char *p = st->buf + st->raw;
            if (!avail)
                return 0;
            if (p[0] == '\n') {
                st->raw += 1;
            } else if (p[0] == '\r') {
                if (avail < 2)
                    return 0;
                if (p[1] != '\n')
                    return refuse(st, 400, io);
                st->raw += 2;
            } else {
                return refuse(st, 400, io);
            }
            st->stage = ST_CHUNK_SIZE;
            break;
        }
        case ST_TRAILER: {
            /* Trailer fields are read and dropped, within max_head. */
            const char *p = st->buf + st->raw;
            size_t avail = st->len - st->raw;
            const char *lf = memchr(p, '\n', avail);
            if (!lf) {
                if (st->len - st->trailer_start > max_head(st))
                    return refuse(st, 431, io);
                return 0;
            }
            const char *ce = lf > p && lf[-1] == '\r' ? lf - 1 : lf;
            if (memchr(p, '\r', (size_t)(ce - p)))
                return refuse(st, 400, io);
            st->raw = (size_t)(lf + 1 - st->buf);
            if (st->raw - st->trailer_start > max_head(st))
                return refuse(st, 431, io);
            if (ce == p)
                st->stage = ST_READY;
            break;
        }
        case ST_READY: {
            int rc;
            if (st->spooling) {
                if (spool_out(st, io, st->head_len, st->body_len - st->spooled) < 0)
                    return TIDE_EPROTO;
                rc = io->spooled(io->ctx, st->buf, st->head_len, st->body_len);
            } else {
                rc = io->message(io->ctx, st->buf, st->head_len + st->body_len);
            }
            if (rc == TIDE_PROTO_HOLD)
                return rc;
            consume(st, st->raw);
            bool closed = next_request(st);
            *again = !closed && !rc;
            return rc;
        }
        default:
            return 0;
        }
    }
}

/* Goes on with what buf holds. */
static int drain_buf(tide_http1_conn_t *st, const tide_proto_io_t *io)
{
    for (;;) {
        int rc;
        bool again = false;
        switch (st->stage) {
        case ST_HEAD: {
            size_t used;
            rc = drain_head(st, st->buf, st->len, &used, io, true);
            if (rc == TIDE_EPROTO)
                return rc;
            if (used)
                consume(st, used);
            if (rc || st->stage == ST_HEAD || st->stage == ST_CLOSED)
                return rc;
            again = true; /* a body follows */
            break;
        }
        case ST_LENGTH:
            rc = drain_length(st, io, &again);
            break;
        case ST_CLOSED:
            st->len = 0;
            return 0;
        default:
            rc = drain_chunked(st, io, &again);
            break;
        }
        if (rc || !again)
            return rc;
    }
}

static int feed(tide_http1_conn_t *st, const char *data, size_t n, const tide_proto_io_t *io)
{
    if (st->stage == ST_CLOSED)
        return 0; /* what follows a last request is not read */
    if (!st->len && st->stage == ST_HEAD && n) {
        /* Nothing held: whole requests go straight from the caller's bytes. */
        size_t used;
        int rc = drain_head(st, data, n, &used, io, false);
        if (rc == TIDE_EPROTO)
            return rc;
        if (st->stage != ST_CLOSED)
            append(st, data + used, n - used);
        if (rc == NEED_BUF) {
            st->scanned = 0;
            return drain_buf(st, io);
        }
        if (rc || (st->stage == ST_LENGTH && !st->spooling))
            return rc; /* the rest waits in buf */
        return drain_buf(st, io);
    }
    append(st, data, n);
    return drain_buf(st, io);
}

static int proto_feed(void *state, const char *data, size_t n, const tide_proto_io_t *io)
{
    tide_http1_conn_t *st = state;
    int rc = feed(st, data, n, io);
    /* The clock of http_header_timeout runs from the first byte of a head. */
    if (st->stage == ST_HEAD && st->len && !st->head_since)
        st->head_since = io->now_ns ? io->now_ns : 1;
    else if (st->stage != ST_HEAD || !st->len)
        st->head_since = 0;
    return rc;
}

static int proto_expire(void *state, const tide_proto_io_t *io)
{
    tide_http1_conn_t *st = state;
    uint64_t limit = st->o->head_timeout_ns;
    if (!limit || st->stage != ST_HEAD || !st->head_since || io->now_ns - st->head_since < limit)
        return 0;
    refuse(st, 408, io);
    return 1;
}

static int proto_check(const void *opts)
{
    (void)opts;
    return 0;
}

static void proto_init(void *state, const void *opts)
{
    tide_http1_conn_t *st = state;
    memset(st, 0, sizeof(*st));
    st->o = opts;
}

static void proto_destroy(void *state)
{
    tide_http1_conn_t *st = state;
    tide_free(st->buf);
    st->buf = NULL;
    st->len = st->cap = 0;
}

static size_t proto_pending(const void *state)
{
    const tide_http1_conn_t *st = state;
    return st->stage == ST_CLOSED ? 0 : st->len;
}

/* After an Upgrade request: what followed it (a new protocol's first bytes). */
static const char *proto_rest(const void *state, size_t *len)
{
    const tide_http1_conn_t *st = state;
    *len = st->stage == ST_HEAD ? st->len : 0;
    return *len ? st->buf : NULL;
}

static void proto_abort(void *state, const tide_proto_io_t *io)
{
    refuse(state, 502, io);
}

static const char *proto_why(const void *state)
{
    const tide_http1_conn_t *st = state;
    switch (st->error) {
    case 400: return "a malformed request: answered 400";
    case 408: return "no whole request head within http_header_timeout: answered 408";
    case 413: return "a body over package_max_length: answered 413";
    case 431: return "a header section over http_max_header_size: answered 431";
    case 500: return "a request body that could not be written to its spool file: answered 500";
    case 501: return "a transfer coding other than chunked: answered 501";
    case 505: return "an HTTP version other than 1.x: answered 505";
    default: return "a refused request";
    }
}

const tide_proto_t tide_proto_http1 = {
    .name = "HTTP/1.1",
    .state_size = sizeof(tide_http1_conn_t),
    .check = proto_check,
    .init = proto_init,
    .destroy = proto_destroy,
    .feed = proto_feed,
    .pending = proto_pending,
    .abort = proto_abort,
    .expire = proto_expire,
    .why = proto_why,
    .rest = proto_rest,
    .max_inflight = 1,
};

/* SPDX-License-Identifier: MIT */
/*
 * Tide\Http\Response. end() sends the head and the body in one write; write() sends the
 * head first and the body in chunks (HTTP/1.1), or unframed with the connection closed at
 * the end (HTTP/1.0); sendfile() sends the head, then the file, opened here with this
 * worker's privileges. Content-Length, Transfer-Encoding and Connection are the
 * response's own: set by header(), they are ignored (Connection: close is honoured), but
 * for the Content-Length of a HEAD answer with no body (head_length).
 *
 * Compression (http_compression): a body goes out as gzip or deflate when the request
 * accepts one, the port has it on, and the body is worth it: a type that compresses (text,
 * JSON, XML, JavaScript, SVG...), at least http_compression_min_length bytes when it is
 * whole, no Content-Encoding or Content-Range set by the handler, and not the answer to a
 * HEAD request, a 204, 206 or 304. A whole body that does not shrink goes as it is. A body
 * sent by write() is compressed piece by piece, each piece flushed so that the client can
 * decode it at once (server-sent events keep working). sendfile() sends the file as it is.
 *
 * Trailers (trailer()) go after the last chunk of a chunked body, announced by a Trailer
 * header when the head has not gone yet: end() with trailers set sends its body as one chunk
 * for them. A body that is not chunked (HTTP/1.0, sendfile(), HEAD, 204, 304) has no room
 * for trailers: they are dropped, as Swoole drops them on HTTP/1.1 (it sends them on h2 only).
 *
 * Wrong use is an error naming the culprit: a header name that is not a token, or a value
 * with CR, LF or NUL, is a ValueError (a header injection otherwise); a status outside
 * 100..999 too. Using a response that has ended is Swoole's false with a warning.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "php.h"
#include "ext/standard/url.h"
#include "php_tide_http.h"
#include "tide/websocket.h"
#include "zend_exceptions.h"
#include "zend_smart_str.h"

zend_class_entry *php_tide_http_response_ce;
static zend_object_handlers response_handlers;

#define THIS_RESPONSE() php_tide_response_from(Z_OBJ_P(ZEND_THIS))

static zend_object *response_create(zend_class_entry *ce)
{
    php_tide_response_t *r = zend_object_alloc(sizeof(php_tide_response_t), ce);
    zend_object_std_init(&r->std, ce);
    object_properties_init(&r->std, ce);
    r->std.handlers = &response_handlers;
    r->status = 200;
    r->ended = true; /* until php_tide_response_new() binds it to a connection */
    return &r->std;
}

static void response_free(zend_object *obj)
{
    php_tide_response_t *r = php_tide_response_from(obj);
    if (r->reason)
        zend_string_release(r->reason);
    if (r->headers) {
        zend_hash_destroy(r->headers);
        FREE_HASHTABLE(r->headers);
    }
    smart_str_free(&r->cookies);
    if (r->trailers) {
        zend_hash_destroy(r->trailers);
        FREE_HASHTABLE(r->trailers);
    }
    tide_deflate_free(r->z);
    zend_object_std_dtor(obj);
}

zend_object *php_tide_response_new(tide_server_t *s, uint64_t session, bool keep_alive,
                                   bool http10, bool head)
{
    zval z;
    object_init_ex(&z, php_tide_http_response_ce);
    php_tide_response_t *r = php_tide_response_from(Z_OBJ(z));
    r->s = s;
    r->session = session;
    r->keep_alive = keep_alive;
    r->http10 = http10;
    r->head = head;
    r->ended = false;
    ZVAL_LONG(OBJ_PROP_NUM(&r->std, 0), (zend_long)session);
    return &r->std;
}

zend_object *php_tide_response_new_sink(const php_tide_response_sink_t *sink, void *conn,
                                        uint64_t id, bool keep_alive, bool http10, bool head)
{
    zend_object *obj = php_tide_response_new(NULL, id, keep_alive, http10, head);
    php_tide_response_t *r = php_tide_response_from(obj);
    r->sink = sink;
    r->conn = conn;
    return obj;
}

void php_tide_response_unbind(php_tide_response_t *r)
{
    r->sink = NULL;
    r->peer = NULL;
    r->conn = NULL;
    r->ended = true;
}

/* Whether the response has a connection to write to. */
static bool bound(const php_tide_response_t *r)
{
    return r->s || r->sink;
}

/* Closes the response's connection (reset: at once, dropping what is queued). */
static int conn_close(php_tide_response_t *r, bool reset)
{
    if (r->sink) {
        r->sink->close(r->conn);
        return 0;
    }
    return tide_server_close(r->s, r->session, reset);
}

/* ---- the head ---- */

/* "Thu, 04 Dec 2026 18:30:00 GMT" (RFC 9110, 5.6.7), remade once a second. */
const char *php_tide_http_date_now(void)
{
    static char buf[TIDE_HTTP_DATE_LEN];
    static time_t at = -1;
    time_t now = (time_t)tide_unix_time();
    if (now != at) {
        tide_http_date(now, buf, sizeof(buf));
        at = now;
    }
    return buf;
}

/* The response's header table, made on first use. */
static HashTable *headers_of(php_tide_response_t *r)
{
    if (!r->headers) {
        ALLOC_HASHTABLE(r->headers);
        zend_hash_init(r->headers, 8, NULL, ZVAL_PTR_DTOR, 0);
    }
    return r->headers;
}

/* "Trailer: a, b" (RFC 9110, 6.6.2): the trailer fields announced before the body. */
static void append_trailer_names(const php_tide_response_t *r, smart_str *out)
{
    const char *sep = "Trailer: ";
    zval *entry;
    ZEND_HASH_FOREACH_VAL(r->trailers, entry) {
        smart_str_appends(out, sep);
        smart_str_append(out, Z_STR_P(zend_hash_index_find(Z_ARRVAL_P(entry), 0)));
        sep = ", ";
    } ZEND_HASH_FOREACH_END();
    smart_str_appends(out, "\r\n");
}

/* The end of a chunked body: the last chunk, the trailers, the empty line. */
static void append_last_chunk(const php_tide_response_t *r, smart_str *out)
{
    smart_str_appends(out, "0\r\n");
    if (r->trailers) {
        zval *entry;
        ZEND_HASH_FOREACH_VAL(r->trailers, entry) {
            HashTable *kv = Z_ARRVAL_P(entry);
            smart_str_append(out, Z_STR_P(zend_hash_index_find(kv, 0)));
            smart_str_appends(out, ": ");
            smart_str_append(out, Z_STR_P(zend_hash_index_find(kv, 1)));
            smart_str_appends(out, "\r\n");
        } ZEND_HASH_FOREACH_END();
    }
    smart_str_appends(out, "\r\n");
}

/* The status line and headers. length: the body's, or -1 for chunks (or, on HTTP/1.0, a
 * body that ends with the connection). */
static void build_head(php_tide_response_t *r, smart_str *out, int64_t length)
{
    smart_str_appends(out, "HTTP/1.1 ");
    smart_str_append_long(out, r->status);
    smart_str_appendc(out, ' ');
    if (r->reason)
        smart_str_append(out, r->reason);
    else
        smart_str_appends(out, tide_http1_reason(r->status));
    smart_str_appends(out, "\r\n");
    if (r->headers) {
        zval *entry;
        zend_string *lower;
        ZEND_HASH_FOREACH_STR_KEY_VAL(r->headers, lower, entry) {
            if (zend_string_equals_literal(lower, "content-length") ||
                zend_string_equals_literal(lower, "transfer-encoding"))
                continue;
            HashTable *vals = Z_ARRVAL_P(entry);
            zval *name = zend_hash_index_find(vals, 0);
            zval *v;
            zend_ulong i;
            ZEND_HASH_FOREACH_NUM_KEY_VAL(vals, i, v) {
                if (i == 0)
                    continue;
                smart_str_append(out, Z_STR_P(name));
                smart_str_appends(out, ": ");
                smart_str_append(out, Z_STR_P(v));
                smart_str_appends(out, "\r\n");
            } ZEND_HASH_FOREACH_END();
        } ZEND_HASH_FOREACH_END();
    }
    if (r->cookies.s)
        smart_str_append(out, r->cookies.s);
    if (r->encoding) {
        smart_str_appends(out, "Content-Encoding: ");
        smart_str_appends(out, tide_coding_name(r->coding));
        smart_str_appends(out, "\r\n");
    }
    if (r->vary)
        smart_str_appends(out, "Vary: Accept-Encoding\r\n");
    if (!has_header(r, "server"))
        smart_str_appends(out, "Server: Tide\r\n");
    if (!has_header(r, "date")) {
        smart_str_appends(out, "Date: ");
        smart_str_appends(out, php_tide_http_date_now());
        smart_str_appends(out, "\r\n");
    }
    if (!has_header(r, "content-type") && !bodiless(r->status))
        smart_str_appends(out, "Content-Type: text/html; charset=utf-8\r\n");
    if (length < 0 && r->http10)
        r->keep_alive = false; /* the body ends with the connection */
    if (r->status == 101)
        smart_str_appends(out, "Connection: Upgrade\r\n"); /* a switch of protocols */
    else
        smart_str_appends(out, r->keep_alive ? (r->http10 ? "Connection: keep-alive\r\n" : "")
                                             : "Connection: close\r\n");
    if (!bodiless(r->status)) {
        if (length >= 0) {
            smart_str_appends(out, "Content-Length: ");
            smart_str_append_unsigned(out, (zend_ulong)length);
            smart_str_appends(out, "\r\n");
        } else if (!r->http10) {
            smart_str_appends(out, "Transfer-Encoding: chunked\r\n");
            if (r->trailers && !r->head)
                append_trailer_names(r, out);
        }
    }
    smart_str_appends(out, "\r\n");
    r->header_sent = true;
}

/* A rate-limited warning for a response that cannot go out. */
static tide_ratelimit_t rl_warn;

#define warn(...) php_tide_warn_limited(&rl_warn, __VA_ARGS__)

/* A response larger than the connection's output buffer goes in pieces of at most this
 * share of buffer_output_size, each when there is room for it. */
#define PIECE_SHARE 2
/* A client that takes no byte of a large response for this long is given up on. */
#define STALL_NS (60 * 1000000000LL)

/* Waits (the coroutine sleeps) until the connection's output queue has room, or the client
 * has taken nothing for STALL_NS. *queued: what was queued at the last try; *stalled: the
 * time spent waiting since the queue last shrank. False when the coroutine must not wait
 * any more (the wait was long enough, or the coroutine is being torn down). */
static bool wait_room(uint64_t queued, uint64_t *last_queued, int64_t *stalled, int64_t *step)
{
    if (queued < *last_queued) {
        *stalled = 0; /* the client took some: wait again from the start */
        *step = 1000000;
    }
    *last_queued = queued;
    if (*stalled >= STALL_NS)
        return false;
    php_tide_coro_waits_on("Tide\\Http\\Response (the client to read)");
    int rc = tide_coro_sleep(TIDE_G(sched), *step);
    if (rc == TIDE_EKILLED) {
        php_tide_coro_killed();
        return false;
    }
    *stalled += *step;
    if (*step < 20000000)
        *step *= 2; /* 1 ms, doubling to 20 ms: a fast client is not kept waiting */
    return true;
}

/*
 * Sends bytes on the response's connection; false with a warning. What does not fit the
 * output buffer (buffer_output_size) goes in pieces: inside a coroutine each piece waits
 * until the client has read enough for it, so a response of any size goes out through a
 * bounded buffer; outside one (enable_coroutine off) a response that does not fit fails.
 */
static bool send_out(php_tide_response_t *r, const char *data, size_t len)
{
    if (r->sink) {
        int rc = r->sink->send(r->conn, data, len);
        if (rc < 0 && !EG(exception))
            warn("connection #%llu: %s", (unsigned long long)r->session,
                 rc == TIDE_ECLOSED || rc == -EPIPE || rc == -ECONNRESET ? "the client is gone"
                                                                          : tide_strerror(rc));
        return rc == 0;
    }
    size_t limit = 0; /* buffer_output_size, read when a send is first refused */
    uint64_t last_queued = UINT64_MAX;
    int64_t stalled = 0, step = 1000000;
    while (len) {
        size_t n = limit && len > limit ? limit / PIECE_SHARE : len;
        uint64_t queued = 0;
        int rc = tide_server_send(r->s, r->session, data, n, &queued);
        if (rc == 0) {
            data += n;
            len -= n;
            continue;
        }
        if (rc == TIDE_EFULL && !limit) {
            tide_conninfo_t info;
            const tide_port_t *port = tide_conntab_snapshot(&r->s->tab, r->session, &info)
                                          ? tide_server_port_of(r->s, &info)
                                          : NULL;
            limit = port && port->buffer_output_size >= PIECE_SHARE ? port->buffer_output_size
                                                                    : PIECE_SHARE;
            if (n > limit)
                continue; /* again, in pieces */
        }
        if (rc == TIDE_EFULL && php_tide_coro_can_suspend() &&
            wait_room(queued, &last_queued, &stalled, &step))
            continue;
        if (rc == TIDE_EFULL && EG(exception))
            return false; /* torn down while waiting */
        if (rc == TIDE_EFULL && stalled >= STALL_NS) {
            warn("connection #%llu: the client read nothing of the response for %d s: closed",
                 (unsigned long long)r->session, (int)(STALL_NS / 1000000000LL));
            tide_server_close(r->s, r->session, true);
        } else if (rc == TIDE_EFULL) {
            warn("connection #%llu: the response (%zu bytes) does not fit the output buffer "
                 "(buffer_output_size; %llu bytes queued), and only a coroutine can wait for room",
                 (unsigned long long)r->session, len, (unsigned long long)queued);
        } else {
            warn("connection #%llu: %s", (unsigned long long)r->session,
                 rc == TIDE_ECLOSED ? "the client is gone" : tide_strerror(rc));
        }
        return false;
    }
    return true;
}

static void close_if_done(php_tide_response_t *r)
{
    if (!r->keep_alive)
        conn_close(r, false);
}

/* Whether the response can still be used; else a warning (PHP names the method). */
static bool usable(php_tide_response_t *r)
{
    if (!bound(r)) {
        warn("the response belongs to no connection");
        return false;
    }
    if (r->ended) {
        warn("the response has ended already");
        return false;
    }
    return true;
}

/* Whether the head can still change (status, headers, cookies, or a body that brings its
 * own head); else a warning. */
static bool head_open(php_tide_response_t *r)
{
    if (!usable(r))
        return false;
    if (r->header_sent) {
        warn("the head was sent by write() already");
        return false;
    }
    return true;
}

/* A 101 answered a WebSocket upgrade: the connection switches, with the compression the
 * answer's Sec-WebSocket-Extensions agreed to (the default handshake's, or the handshake
 * handler's own). */
static bool ws_switch(php_tide_response_t *r)
{
    if (r->sink) {
        /* Tide\Coroutine\Http\Server: the handler reads and writes frames itself (no
         * compression is negotiated there). */
        r->peer = r->sink->upgrade ? r->sink->upgrade(r->conn) : NULL;
        if (!r->peer) {
            warn("connection #%llu: the WebSocket upgrade failed: the connection is gone",
                 (unsigned long long)r->session);
            return false;
        }
        r->upgraded = true;
        return true;
    }
    tide_ws_deflate_t d = {0};
    zval *ext = header_value(r, "sec-websocket-extensions", sizeof("sec-websocket-extensions") - 1);
    if (ext)
        tide_ws_deflate_offer(Z_STRVAL_P(ext), Z_STRLEN_P(ext), &d);
    int rc = tide_server_control(r->s, r->session, TIDE_PROTO_CTL_UPGRADE, &d, sizeof(d));
    if (rc < 0) {
        warn("connection #%llu: the WebSocket upgrade failed: %s", (unsigned long long)r->session,
             rc == TIDE_ECLOSED ? "the client is gone" : tide_strerror(rc));
        return false;
    }
    /* The owner says so too once it switched; said here at once, so that this worker's
     * push() right after the handshake (which follows the switch on the same way) works. */
    tide_conninfo_t *c = tide_conntab_find(&r->s->tab, r->session);
    if (c)
        tide_conninfo_set(c, TIDE_CONN_UPGRADED);
    r->upgraded = true;
    return true;
}

/*
 * The Content-Length of an end(): the body's. Except for a HEAD request answered with no
 * body, where a Content-Length the handler set (the GET body's, as RFC 9110 9.3.2 lets a
 * HEAD answer say) is kept when it is a plain number: a framework that renders nothing for
 * HEAD still says how long the GET would be.
 */
static int64_t head_length(const php_tide_response_t *r, int64_t len)
{
    if (!r->head || len != 0)
        return len;
    zval *v = header_value(r, "content-length", sizeof("content-length") - 1);
    if (!v || Z_TYPE_P(v) != IS_STRING || Z_STRLEN_P(v) == 0 || Z_STRLEN_P(v) > 18)
        return len;
    int64_t n = 0;
    for (size_t i = 0; i < Z_STRLEN_P(v); i++) {
        char c = Z_STRVAL_P(v)[i];
        if (c < '0' || c > '9')
            return len;
        n = n * 10 + (c - '0');
    }
    return n;
}

/* write()'s head: the body will follow in chunks (HTTP/1.1) or until the connection ends
 * (HTTP/1.0), compressed piece by piece when it can be. */
static void start_stream(php_tide_response_t *r, smart_str *out)
{
    r->chunked = !r->http10;
    r->vary = php_tide_response_compressible(r, -1);
    if (r->vary && r->coding)
        r->encoding = (r->z = tide_deflate_new(r->coding, r->level, TIDE_DEFLATE_STREAMED)) != NULL;
    build_head(r, out, -1);
}

static bool end_with(php_tide_response_t *r, const char *body, size_t len)
{
    smart_str out = {0}, z = {0};
    bool ok = true;
    if (!r->header_sent && r->trailers && !r->http10 && !r->head && !bodiless(r->status))
        start_stream(r, &out); /* trailers need a chunked body: this one goes as one chunk */
    if (!r->header_sent) {
        r->vary = php_tide_response_compressible(r, (int64_t)len);
        if (r->vary && r->coding && php_tide_response_compress_whole(r, body, len, &z) && z.s &&
            ZSTR_LEN(z.s) < len) {
            r->encoding = true;
            body = ZSTR_VAL(z.s);
            len = ZSTR_LEN(z.s);
        }
        build_head(r, &out, bodiless(r->status) ? 0 : head_length(r, (int64_t)len));
        if (!r->head && !bodiless(r->status))
            smart_str_appendl(&out, body, len);
    } else if (!r->head && !bodiless(r->status)) {
        /* The rest of a body write() began: its last piece, then the end of the chunks. */
        if ((len || r->encoding) && !php_tide_response_append_piece(r, &out, body, len, true)) {
            warn("connection #%llu: compressing the response failed",
                 (unsigned long long)r->session);
            r->keep_alive = false; /* the body cannot end properly */
            ok = false;
        } else if (r->chunked) {
            append_last_chunk(r, &out);
        }
    }
    r->ended = true;
    tide_deflate_free(r->z);
    r->z = NULL;
    ok = (!out.s || send_out(r, ZSTR_VAL(out.s), ZSTR_LEN(out.s))) && ok;
    smart_str_free(&out);
    smart_str_free(&z);
    if (ok && r->ws && r->status == 101)
        ok = ws_switch(r);
    else
        close_if_done(r);
    return ok;
}

void php_tide_response_finish(php_tide_response_t *r)
{
    if (r->ended || r->detached || !bound(r))
        return;
    tide_log(TIDE_LOG_WARNING, "connection #%llu: the request handler returned without "
                               "Tide\\Http\\Response::end(): answered 500",
             (unsigned long long)r->session);
    if (r->header_sent) {
        /* Part of the answer went out: it cannot become a 500; the connection ends. */
        r->keep_alive = false;
        r->ended = true;
        conn_close(r, false);
        return;
    }
    r->status = 500;
    if (r->reason) {
        zend_string_release(r->reason);
        r->reason = NULL;
    }
    static const char body[] = "Internal Server Error\n";
    if (r->headers)
        zend_hash_clean(r->headers);
    if (r->trailers)
        zend_hash_clean(r->trailers);
    smart_str_free(&r->cookies);
    end_with(r, body, sizeof(body) - 1);
}

/* ---- methods ---- */

ZEND_METHOD(Tide_Http_Response, __construct)
{
    TIDE_UNUSED(return_value);
    ZEND_PARSE_PARAMETERS_NONE();
}

ZEND_METHOD(Tide_Http_Response, status)
{
    zend_long code;
    zend_string *reason = NULL;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_LONG(code)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR(reason)
    ZEND_PARSE_PARAMETERS_END();
    if (code < 100 || code > 999) {
        zend_argument_value_error(1, "must be an HTTP status between 100 and 999, " ZEND_LONG_FMT
                                     " given", code);
        RETURN_THROWS();
    }
    if (reason && strpbrk(ZSTR_VAL(reason), "\r\n")) {
        zend_argument_value_error(2, "must not contain CR or LF");
        RETURN_THROWS();
    }
    php_tide_response_t *r = THIS_RESPONSE();
    if (!head_open(r))
        RETURN_FALSE;
    r->status = (int)code;
    if (r->reason)
        zend_string_release(r->reason);
    r->reason = reason && ZSTR_LEN(reason) ? zend_string_copy(reason) : NULL;
    RETURN_TRUE;
}

static bool is_token(const char *p, size_t n)
{
    static const char ok[] = "!#$%&'*+-.^_`|~";
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c && strchr(ok, c))))
            return false;
    }
    return true;
}

static bool value_ok(zend_string *v)
{
    for (size_t i = 0; i < ZSTR_LEN(v); i++) {
        char c = ZSTR_VAL(v)[i];
        if (c == '\r' || c == '\n' || c == '\0')
            return false;
    }
    return true;
}

/* "content-type" -> "Content-Type" (Swoole's $format). */
static zend_string *format_name(zend_string *name)
{
    zend_string *out = zend_string_init(ZSTR_VAL(name), ZSTR_LEN(name), 0);
    bool up = true;
    for (size_t i = 0; i < ZSTR_LEN(out); i++) {
        char c = ZSTR_VAL(out)[i];
        ZSTR_VAL(out)[i] = up ? (char)toupper((unsigned char)c) : (char)tolower((unsigned char)c);
        up = c == '-';
    }
    return out;
}

ZEND_METHOD(Tide_Http_Response, header)
{
    zend_string *key, *sval = NULL;
    HashTable *aval = NULL;
    bool format = true;
    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_STR(key)
        Z_PARAM_ARRAY_HT_OR_STR(aval, sval)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(format)
    ZEND_PARSE_PARAMETERS_END();
    if (!is_token(ZSTR_VAL(key), ZSTR_LEN(key))) {
        zend_argument_value_error(1, "must be a header name (letters, digits and !#$%%&'*+-.^_`|~), "
                                     "'%s' given", ZSTR_VAL(key));
        RETURN_THROWS();
    }
    zval vals;
    array_init(&vals);
    zval zname;
    ZVAL_STR(&zname, format ? format_name(key) : zend_string_copy(key));
    zend_hash_next_index_insert(Z_ARRVAL(vals), &zname);
    if (sval) {
        if (!value_ok(sval)) {
            zval_ptr_dtor(&vals);
            zend_argument_value_error(2, "must not contain CR, LF or NUL (header '%s')",
                                      ZSTR_VAL(key));
            RETURN_THROWS();
        }
        zval v;
        ZVAL_STR_COPY(&v, sval);
        zend_hash_next_index_insert(Z_ARRVAL(vals), &v);
    } else {
        zval *v;
        ZEND_HASH_FOREACH_VAL(aval, v) {
            zend_string *s = zval_try_get_string(v);
            if (!s) {
                zval_ptr_dtor(&vals);
                RETURN_THROWS();
            }
            if (!value_ok(s)) {
                zend_string_release(s);
                zval_ptr_dtor(&vals);
                zend_argument_value_error(2, "must not contain CR, LF or NUL (header '%s')",
                                          ZSTR_VAL(key));
                RETURN_THROWS();
            }
            zval zv;
            ZVAL_STR(&zv, s);
            zend_hash_next_index_insert(Z_ARRVAL(vals), &zv);
        } ZEND_HASH_FOREACH_END();
    }
    php_tide_response_t *r = THIS_RESPONSE();
    if (!head_open(r)) {
        zval_ptr_dtor(&vals);
        RETURN_FALSE;
    }
    zend_string *lower = zend_string_tolower(key);
    if (zend_string_equals_literal(lower, "connection")) {
        /* Connection: close is honoured; the header itself is the server's to write. */
        zval *v;
        zend_ulong i;
        ZEND_HASH_FOREACH_NUM_KEY_VAL(Z_ARRVAL(vals), i, v) {
            if (i > 0 && strcasestr(Z_STRVAL_P(v), "close"))
                r->keep_alive = false;
        } ZEND_HASH_FOREACH_END();
        zval_ptr_dtor(&vals);
        zend_string_release(lower);
        RETURN_TRUE;
    }
    zend_hash_update(headers_of(r), lower, &vals);
    zend_string_release(lower);
    RETURN_TRUE;
}

/* Set-Cookie, as PHP's setcookie() writes it (http_cookie.c checks and formats), from the
 * arguments or, for cookie(), from a Tide\Http\Cookie. */
static void cookie(INTERNAL_FUNCTION_PARAMETERS, bool raw)
{
    zend_object *obj = NULL;
    php_tide_cookie_t args = {.encode = !raw};
    ZEND_PARSE_PARAMETERS_START(1, 10)
        Z_PARAM_OBJ_OF_CLASS_OR_STR(obj, php_tide_http_cookie_ce, args.name)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR(args.value)
        Z_PARAM_LONG(args.expires)
        Z_PARAM_STR(args.path)
        Z_PARAM_STR(args.domain)
        Z_PARAM_BOOL(args.secure)
        Z_PARAM_BOOL(args.httponly)
        Z_PARAM_STR(args.samesite)
        Z_PARAM_STR(args.priority)
        Z_PARAM_BOOL(args.partitioned)
    ZEND_PARSE_PARAMETERS_END();
    const php_tide_cookie_t *c = &args;
    if (obj && raw) {
        /* A Cookie says itself whether its value is encoded: cookie() takes it. */
        zend_argument_type_error(1, "must be of type string, %s given", ZSTR_VAL(obj->ce->name));
        RETURN_THROWS();
    }
    if (obj) {
        if (ZEND_NUM_ARGS() > 1) {
            zend_argument_count_error("%s(): a Tide\\Http\\Cookie comes alone, %d arguments given",
                                      ZSTR_VAL(EX(func)->common.function_name), (int)ZEND_NUM_ARGS());
            RETURN_THROWS();
        }
        c = php_tide_cookie_of(obj); /* its fields were checked when they were set */
        if (!c->name) {
            zend_argument_value_error(1, "is a Tide\\Http\\Cookie without a name (call withName())");
            RETURN_THROWS();
        }
    } else {
        static const struct {
            uint32_t arg;
            php_tide_cookie_field_t kind;
            size_t offset;
        } checks[] = {
            {1, PHP_TIDE_COOKIE_NAME, XtOffsetOf(php_tide_cookie_t, name)},
            {2, PHP_TIDE_COOKIE_VALUE, XtOffsetOf(php_tide_cookie_t, value)},
            {4, PHP_TIDE_COOKIE_ATTR, XtOffsetOf(php_tide_cookie_t, path)},
            {5, PHP_TIDE_COOKIE_ATTR, XtOffsetOf(php_tide_cookie_t, domain)},
            {8, PHP_TIDE_COOKIE_ATTR, XtOffsetOf(php_tide_cookie_t, samesite)},
            {9, PHP_TIDE_COOKIE_ATTR, XtOffsetOf(php_tide_cookie_t, priority)},
        };
        for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
            const zend_string *v = *(zend_string **)((char *)&args + checks[i].offset);
            const char *why = php_tide_cookie_check(checks[i].kind, v, args.encode);
            if (why) {
                zend_argument_value_error(checks[i].arg, "%s", why);
                RETURN_THROWS();
            }
        }
    }
    php_tide_response_t *r = THIS_RESPONSE();
    if (!head_open(r))
        RETURN_FALSE;
    smart_str_appends(&r->cookies, "Set-Cookie: ");
    php_tide_cookie_format(c, &r->cookies);
    smart_str_appends(&r->cookies, "\r\n");
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Http_Response, cookie)
{
    cookie(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

ZEND_METHOD(Tide_Http_Response, rawcookie)
{
    cookie(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

ZEND_METHOD(Tide_Http_Response, initHeader)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_response_t *r = THIS_RESPONSE();
    if (!head_open(r))
        RETURN_FALSE;
    if (r->headers)
        zend_hash_clean(r->headers);
    if (r->trailers)
        zend_hash_clean(r->trailers);
    smart_str_free(&r->cookies);
    RETURN_TRUE;
}

/* Fields that frame, route or describe the message: never a trailer (RFC 9110, 6.5.1). */
static bool trailer_allowed(const zend_string *lower)
{
    static const char *const refused[] = {"content-length", "transfer-encoding", "trailer",
                                          "content-encoding", "content-type", "content-range",
                                          "host", "connection", "te", "set-cookie", NULL};
    for (int i = 0; refused[i]; i++) {
        if (zend_string_equals_cstr(lower, refused[i], strlen(refused[i])))
            return false;
    }
    return true;
}

ZEND_METHOD(Tide_Http_Response, trailer)
{
    zend_string *key, *value;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(key)
        Z_PARAM_STR(value)
    ZEND_PARSE_PARAMETERS_END();
    if (!is_token(ZSTR_VAL(key), ZSTR_LEN(key))) {
        zend_argument_value_error(1, "must be a field name (letters, digits and !#$%%&'*+-.^_`|~), "
                                     "'%s' given", ZSTR_VAL(key));
        RETURN_THROWS();
    }
    if (!value_ok(value)) {
        zend_argument_value_error(2, "must not contain CR, LF or NUL (trailer '%s')", ZSTR_VAL(key));
        RETURN_THROWS();
    }
    zend_string *lower = zend_string_tolower(key);
    if (!trailer_allowed(lower)) {
        zend_argument_value_error(1, "cannot be a trailer ('%s' frames, routes or describes the "
                                     "message: RFC 9110, 6.5.1)", ZSTR_VAL(key));
        zend_string_release(lower);
        RETURN_THROWS();
    }
    php_tide_response_t *r = THIS_RESPONSE();
    if (!usable(r)) {
        zend_string_release(lower);
        RETURN_FALSE;
    }
    if (!r->trailers) {
        ALLOC_HASHTABLE(r->trailers);
        zend_hash_init(r->trailers, 4, NULL, ZVAL_PTR_DTOR, 0);
    }
    zval kv;
    array_init(&kv);
    add_next_index_str(&kv, zend_string_copy(key));
    add_next_index_str(&kv, zend_string_copy(value));
    zend_hash_update(r->trailers, lower, &kv);
    zend_string_release(lower);
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Http_Response, close)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_response_t *r = THIS_RESPONSE();
    if (!bound(r)) {
        warn("the response belongs to no connection");
        RETURN_FALSE;
    }
    /* Nothing more goes out on this response, and no 500 when the handler returns. */
    r->ended = true;
    r->keep_alive = false;
    r->peer = NULL; /* an upgraded one: no more frames either */
    int rc = conn_close(r, false);
    if (rc < 0) {
        warn("connection #%llu: %s", (unsigned long long)r->session,
             rc == TIDE_ECLOSED ? "the client is gone" : tide_strerror(rc));
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Http_Response, write)
{
    zend_string *data;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();
    if (!ZSTR_LEN(data)) {
        zend_argument_value_error(1, "must not be empty (an empty chunk would end the body)");
        RETURN_THROWS();
    }
    php_tide_response_t *r = THIS_RESPONSE();
    if (!usable(r))
        RETURN_FALSE;
    smart_str out = {0};
    if (!r->header_sent)
        start_stream(r, &out);
    if (!r->head && !bodiless(r->status) &&
        !php_tide_response_append_piece(r, &out, ZSTR_VAL(data), ZSTR_LEN(data), false)) {
        smart_str_free(&out);
        warn("connection #%llu: compressing the response failed", (unsigned long long)r->session);
        RETURN_FALSE;
    }
    bool ok = !out.s || send_out(r, ZSTR_VAL(out.s), ZSTR_LEN(out.s));
    smart_str_free(&out);
    RETURN_BOOL(ok);
}

ZEND_METHOD(Tide_Http_Response, end)
{
    zend_string *body = NULL;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(body)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_response_t *r = THIS_RESPONSE();
    if (!usable(r))
        RETURN_FALSE;
    RETURN_BOOL(end_with(r, body ? ZSTR_VAL(body) : "", body ? ZSTR_LEN(body) : 0));
}

/* sendfile() on a sink's connection: the file read and sent in pieces. */
static bool send_file_piecewise(php_tide_response_t *r, int fd, zend_long offset,
                                zend_long length, zend_string *file)
{
    enum { PIECE = 65536 };
    char *buf = emalloc(PIECE);
    bool ok = true;
    while (ok && length > 0) {
        ssize_t n = pread(fd, buf, length < PIECE ? (size_t)length : PIECE, (off_t)offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            warn("%s: %s", ZSTR_VAL(file), n < 0 ? strerror(errno) : "the file got shorter");
            r->keep_alive = false; /* the body cannot be whole */
            ok = false;
            break;
        }
        ok = send_out(r, buf, (size_t)n);
        offset += n;
        length -= n;
    }
    efree(buf);
    return ok;
}

ZEND_METHOD(Tide_Http_Response, sendfile)
{
    zend_string *file;
    zend_long offset = 0, length = 0;
    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_PATH_STR(file)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(offset)
        Z_PARAM_LONG(length)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_response_t *r = THIS_RESPONSE();
    if (!head_open(r))
        RETURN_FALSE;
    if (offset < 0 || length < 0) {
        zend_argument_value_error(offset < 0 ? 2 : 3, "must be 0 or more");
        RETURN_THROWS();
    }
    /* Opened here, with this worker's privileges (never by the master for it). */
    int fd = open(ZSTR_VAL(file), O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        warn("%s: %s", ZSTR_VAL(file),
             fd < 0 ? strerror(errno) : "not a regular file");
        if (fd >= 0)
            close(fd);
        RETURN_FALSE;
    }
    if (offset > st.st_size || (length && offset + length > st.st_size)) {
        close(fd);
        zend_value_error("Tide\\Http\\Response::sendfile(): offset " ZEND_LONG_FMT
                         " / length " ZEND_LONG_FMT " lie outside the file (%lld bytes)",
                         offset, length, (long long)st.st_size);
        RETURN_THROWS();
    }
    if (!length)
        length = st.st_size - offset;
    if (!has_header(r, "content-type")) {
        zval vals, v;
        array_init(&vals);
        add_next_index_string(&vals, "Content-Type");
        ZVAL_STRING(&v, tide_mime_type(ZSTR_VAL(file), ZSTR_LEN(file)));
        zend_hash_next_index_insert(Z_ARRVAL(vals), &v);
        zend_hash_str_update(headers_of(r), "content-type", 12, &vals);
    }
    smart_str out = {0};
    build_head(r, &out, length);
    r->ended = true;
    bool ok = send_out(r, ZSTR_VAL(out.s), ZSTR_LEN(out.s));
    smart_str_free(&out);
    if (ok && !r->head && length && r->sink) {
        ok = send_file_piecewise(r, fd, offset, length, file);
    } else if (ok && !r->head && length) {
        int rc = tide_server_sendfile(r->s, r->session, fd, (uint64_t)offset, (uint64_t)length);
        fd = -1; /* the core's now */
        if (rc < 0) {
            warn("%s: %s", ZSTR_VAL(file), tide_strerror(rc));
            ok = false;
        }
    }
    if (fd >= 0)
        close(fd);
    close_if_done(r);
    RETURN_BOOL(ok);
}

ZEND_METHOD(Tide_Http_Response, redirect)
{
    zend_string *location;
    zend_long code = 302;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_STR(location)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(code)
    ZEND_PARSE_PARAMETERS_END();
    if (!value_ok(location)) {
        zend_argument_value_error(1, "must not contain CR, LF or NUL");
        RETURN_THROWS();
    }
    if (code < 300 || code > 399) {
        zend_argument_value_error(2, "must be a redirection status (300 to 399), " ZEND_LONG_FMT
                                     " given", code);
        RETURN_THROWS();
    }
    php_tide_response_t *r = THIS_RESPONSE();
    if (!head_open(r))
        RETURN_FALSE;
    r->status = (int)code;
    zval vals;
    array_init(&vals);
    add_next_index_string(&vals, "Location");
    add_next_index_str(&vals, zend_string_copy(location));
    zend_hash_str_update(headers_of(r), "location", 8, &vals);
    RETURN_BOOL(end_with(r, "", 0));
}

/* What detach() remembers of its request (keep-alive, HTTP/1.0, HEAD), by connection, for
 * a create() in this worker: an HTTP/1.0 client then gets its connection closed after the
 * answer, a HEAD no body. A create() in another worker answers as for HTTP/1.1 keep-alive.
 * Entries of connections that are gone are swept when the map has grown. */
enum { D_KEEP = 1, D_HTTP10 = 2, D_HEAD = 4 };
#define DETACHED_SWEEP 1024
static HashTable *detached;
static uint32_t detached_sweep_at = DETACHED_SWEEP;

static void remember_detached(const php_tide_response_t *r)
{
    if (!detached) {
        ALLOC_HASHTABLE(detached);
        zend_hash_init(detached, 8, NULL, NULL, 0);
    }
    if (zend_hash_num_elements(detached) >= detached_sweep_at) {
        zend_ulong session;
        tide_conninfo_t info;
        ZEND_HASH_FOREACH_NUM_KEY(detached, session) {
            if (!tide_conntab_snapshot(&r->s->tab, (uint64_t)session, &info) ||
                (info.flags & TIDE_CONN_CLOSING))
                zend_hash_index_del(detached, session);
        } ZEND_HASH_FOREACH_END();
        detached_sweep_at = 2 * zend_hash_num_elements(detached) + DETACHED_SWEEP;
    }
    zval v;
    ZVAL_LONG(&v, (r->keep_alive ? D_KEEP : 0) | (r->http10 ? D_HTTP10 : 0) |
                      (r->head ? D_HEAD : 0));
    zend_hash_index_update(detached, (zend_ulong)r->session, &v);
}

void php_tide_response_rshutdown(void)
{
    if (detached) {
        zend_hash_destroy(detached);
        FREE_HASHTABLE(detached);
        detached = NULL;
    }
    detached_sweep_at = DETACHED_SWEEP;
}

ZEND_METHOD(Tide_Http_Response, detach)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_response_t *r = THIS_RESPONSE();
    if (!r->s || r->ended || r->detached)
        RETURN_FALSE;
    r->detached = true;
    remember_detached(r);
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Http_Response, create)
{
    zend_object *server = NULL;
    zend_long sfd = 0, fd = -1;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_OBJ_OF_CLASS_OR_LONG(server, php_tide_server_ce, sfd)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(fd)
    ZEND_PARSE_PARAMETERS_END();
    if (!server)
        fd = sfd;
    php_tide_server_t *srv = php_tide_server_running(server ? php_tide_server_from(server) : NULL,
                                                     "Tide\\Http\\Response::create");
    if (!srv)
        RETURN_THROWS();
    if (fd <= 0) {
        zend_argument_value_error(server ? 2 : 1, "must be a connection id");
        RETURN_THROWS();
    }
    tide_conninfo_t info;
    if (!tide_conntab_snapshot(&srv->core.tab, (uint64_t)fd, &info) ||
        (info.flags & TIDE_CONN_CLOSING))
        RETURN_FALSE;
    zend_long how = D_KEEP;
    zval *seen = detached ? zend_hash_index_find(detached, (zend_ulong)fd) : NULL;
    if (seen) {
        how = Z_LVAL_P(seen);
        zend_hash_index_del(detached, (zend_ulong)fd);
    }
    RETURN_OBJ(php_tide_response_new(&srv->core, (uint64_t)fd, how & D_KEEP, how & D_HTTP10,
                                     how & D_HEAD));
}

/* Sets a header the server writes for itself (replacing any of that name). */
static void set_header(php_tide_response_t *r, const char *name, const char *value)
{
    zval vals, v;
    array_init(&vals);
    ZVAL_STRING(&v, name);
    zend_hash_next_index_insert(Z_ARRVAL(vals), &v);
    ZVAL_STRING(&v, value);
    zend_hash_next_index_insert(Z_ARRVAL(vals), &v);
    zend_string *lower = zend_string_init(name, strlen(name), 0);
    zend_str_tolower(ZSTR_VAL(lower), ZSTR_LEN(lower));
    zend_hash_update(headers_of(r), lower, &vals);
    zend_string_release(lower);
}

bool php_tide_response_ws_accept(php_tide_response_t *r)
{
    if (r->ws_refuse) {
        /* 400 (no usable key, not an upgrade) or 426 (another version): the connection
         * closes after it (RFC 6455, 4.2.2). */
        r->status = r->ws_refuse;
        r->keep_alive = false;
        r->ws = false;
        if (r->ws_refuse == 426) {
            set_header(r, "Upgrade", "websocket");
            set_header(r, "Sec-WebSocket-Version", "13");
        }
        char body[160];
        snprintf(body, sizeof(body), "%s\n",
                 r->ws_refuse == 426 ? "Upgrade Required: this server speaks WebSocket version 13"
                                     : "Bad Request: not a valid WebSocket handshake");
        end_with(r, body, strlen(body));
        return false;
    }
    r->status = 101;
    set_header(r, "Upgrade", "websocket");
    set_header(r, "Sec-WebSocket-Accept", r->ws_accept);
    if (r->ws_deflate.on) {
        char ext[128];
        tide_ws_deflate_answer(&r->ws_deflate, ext);
        set_header(r, "Sec-WebSocket-Extensions", ext);
    }
    return end_with(r, "", 0);
}

ZEND_METHOD(Tide_Http_Response, upgrade)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_response_t *r = THIS_RESPONSE();
    if (!head_open(r))
        RETURN_FALSE;
    if (!r->ws) {
        warn("connection #%llu: upgrade(): the request is not a WebSocket upgrade on a port with "
             "open_websocket_protocol", (unsigned long long)r->session);
        RETURN_FALSE;
    }
    RETURN_BOOL(php_tide_response_ws_accept(r));
}

ZEND_METHOD(Tide_Http_Response, isWritable)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_response_t *r = THIS_RESPONSE();
    if (!bound(r) || r->ended)
        RETURN_FALSE;
    if (r->sink)
        RETURN_TRUE;
    tide_conninfo_t info;
    RETURN_BOOL(php_tide_running &&
                tide_conntab_snapshot(&php_tide_running->core.tab, r->session, &info) &&
                !(info.flags & TIDE_CONN_CLOSING));
}

void php_tide_response_minit(zend_class_entry *ce)
{
    php_tide_http_response_ce = ce;
    ce->create_object = response_create;
    memcpy(&response_handlers, zend_get_std_object_handlers(), sizeof(response_handlers));
    response_handlers.offset = XtOffsetOf(php_tide_response_t, std);
    response_handlers.free_obj = response_free;
    response_handlers.clone_obj = NULL;
}

/* SPDX-License-Identifier: MIT */
/*
 * Tide\Coroutine\Http\Client: one request and its response. The request is built from
 * the properties set before (method, headers, cookies, a form, a multipart body with
 * files) into one string, sent on the connection (made again once when a kept-alive one
 * turns out closed), and the response read by the pure parser of src/proto/http1_response.c
 * into the properties, the body into memory or the download file. See php_tide_http_client.h.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <sys/random.h>

#include "php.h"
#include "ext/standard/url.h"
#include "zend_smart_str.h"
#include "php_tide.h"
#include "php_tide_http_client.h"

/* ---- reading a response ---- */

/* Where body bytes go: memory (bounded) or the download file. */
typedef struct body_out {
    smart_str mem;
    php_stream *file;
    size_t total, max;
    bool too_big, write_failed;
} body_out_t;

static bool body_put(void *arg, const char *p, size_t n)
{
    body_out_t *b = arg;
    if (n > b->max - b->total) {
        b->too_big = true;
        return false;
    }
    b->total += n;
    if (b->file) {
        if (php_stream_write(b->file, p, n) != (ssize_t)n) {
            b->write_failed = true;
            return false;
        }
        return true;
    }
    smart_str_appendl(&b->mem, p, n);
    return true;
}

/* Body bytes as they come off the wire (de-chunked), through the content decoder. */
static int body_feed(body_out_t *b, tide_inflate_t *z, const char *p, size_t n)
{
    if (!n)
        return 0;
    int rc = z ? tide_inflate_run(z, p, n, body_put, b) : (body_put(b, p, n) ? 0 : -ENOMEM);
    if (b->too_big)
        return TIDE_ETOOBIG;
    if (b->write_failed)
        return -EIO;
    return rc;
}

/* A failure from a read or the parser: the statusCode and error that say it. */
static php_tide_http_client_result_t fail(php_tide_http_client_t *c, long rc, const char *what)
{
    if (rc == TIDE_EKILLED || EG(exception))
        return RES_EXCEPTION;
    if (rc == -ETIMEDOUT) {
        php_tide_http_client_prop_long(c, P_STATUS, STATUS_TIMEOUT);
        php_tide_http_client_set_error(c, ETIMEDOUT, "%s timed out", what);
    } else if (rc == TIDE_ETOOBIG) {
        php_tide_http_client_prop_long(c, P_STATUS, STATUS_SERVER_RESET);
        php_tide_http_client_set_error(c, EMSGSIZE, "%s is over %s (%zu bytes)", what,
                  strstr(what, "head") ? "http_max_header_size" : "http_max_body_size",
                  strstr(what, "head") ? c->max_header : c->max_body);
    } else if (rc == TIDE_EPROTO) {
        php_tide_http_client_prop_long(c, P_STATUS, STATUS_SERVER_RESET);
        php_tide_http_client_set_error(c, EPROTO, "the server sent a malformed %s", what);
    } else if (rc == -EIO) {
        php_tide_http_client_prop_long(c, P_STATUS, STATUS_SERVER_RESET);
        php_tide_http_client_set_error(c, EIO, "writing the download file failed");
    } else {
        php_tide_http_client_prop_long(c, P_STATUS, STATUS_SERVER_RESET);
        php_tide_http_client_set_error(c, ECONNRESET, "the server closed the connection before the end of the %s", what);
    }
    return RES_FAILED;
}

/* Set-Cookie "name=value; attributes": cookies[name] = decoded value. */
static void add_cookie(zval *cookies, const char *v, size_t n)
{
    const char *semi = memchr(v, ';', n);
    size_t pair = semi ? (size_t)(semi - v) : n;
    const char *eq = memchr(v, '=', pair);
    if (!eq || eq == v)
        return;
    size_t klen = (size_t)(eq - v);
    while (klen && (v[klen - 1] == ' ' || v[klen - 1] == '\t'))
        klen--;
    zend_string *val = zend_string_init(eq + 1, pair - klen - 1 - (size_t)(eq - v - klen), 0);
    ZSTR_LEN(val) = php_url_decode(ZSTR_VAL(val), ZSTR_LEN(val));
    add_assoc_str_ex(cookies, v, klen, val);
}

/* Fills headers, set_cookie_headers and cookies from the head in buf. */
static void take_head(php_tide_http_client_t *c, const char *p, const tide_http1_response_t *r)
{
    zval headers, set_cookie, cookies, *cur = PROP(c, P_COOKIES);
    array_init(&headers);
    array_init(&set_cookie);
    if (Z_TYPE_P(cur) == IS_ARRAY)
        ZVAL_ARR(&cookies, zend_array_dup(Z_ARRVAL_P(cur)));
    else
        array_init(&cookies);
    for (uint32_t i = 0; i < r->nheaders; i++) {
        const tide_http1_header_t *h = &r->headers[i];
        zend_string *name = zend_string_init(p + h->name.off, h->name.len, 0);
        if (c->lowercase_header)
            zend_str_tolower(ZSTR_VAL(name), ZSTR_LEN(name));
        const char *v = p + h->value.off;
        if (zend_string_equals_literal_ci(name, "set-cookie")) {
            add_next_index_stringl(&set_cookie, v, h->value.len);
            add_cookie(&cookies, v, h->value.len);
        }
        zval val;
        ZVAL_STRINGL(&val, v, h->value.len);
        zend_symtable_update(Z_ARRVAL(headers), name, &val);
        zend_string_release(name);
    }
    php_tide_http_client_prop_set(c, P_HEADERS, &headers);
    php_tide_http_client_prop_set(c, P_SET_COOKIE_HEADERS, &set_cookie);
    php_tide_http_client_prop_set(c, P_COOKIES, &cookies);
    php_tide_http_client_prop_long(c, P_STATUS, r->status);
}

/*
 * Reads one response (interim 1xx ones skipped) into the properties, the body into
 * memory or `file`. *keep: the connection may carry the next request.
 */
static php_tide_http_client_result_t read_response(php_tide_http_client_t *c,
                                                   bool head_request, php_stream *file,
                                                   bool *keep, tide_http1_response_t *r)
{
    size_t start_len = c->len - c->off;
    long h;
    for (;;) {
        h = tide_http1_parse_response(c->buf + c->off, c->len - c->off, c->max_header,
                                      head_request, r);
        if (h > 0 && r->status >= 100 && r->status < 200 && r->status != 101) {
            c->off += (size_t)h;
            continue;
        }
        if (h != 0)
            break;
        ssize_t n = php_tide_http_client_fill(c, c->read_ns);
        if (n == 0 && c->len == 0 && start_len == 0)
            return RES_CLOSED_IDLE;
        if (n <= 0)
            return fail(c, n, "response head");
    }
    if (h < 0)
        return fail(c, h, "response head");
    take_head(c, c->buf + c->off, r);
    c->off += (size_t)h;
    if (r->status == 101) {
        *keep = true;
        return RES_OK;
    }
    body_out_t b = {{0}, file, 0, c->max_body, false, false};
    tide_inflate_t *z = NULL;
    if (c->body_decompression && r->coding != TIDE_CODING_NONE)
        z = tide_inflate_new(r->coding, c->max_body);
    long rc = 0;
    switch (r->body) {
    case TIDE_HTTP1_BODY_LENGTH: {
        if (r->content_length > c->max_body) {
            rc = TIDE_ETOOBIG;
            break;
        }
        uint64_t left = r->content_length;
        while (left) {
            size_t take = c->len - c->off < left ? c->len - c->off : (size_t)left;
            if ((rc = body_feed(&b, z, c->buf + c->off, take)) < 0)
                break;
            c->off += take;
            left -= take;
            if (left && (rc = php_tide_http_client_fill(c, c->read_ns)) <= 0) {
                if (rc == 0)
                    rc = -ECONNRESET;
                break;
            }
        }
        if (rc > 0)
            rc = 0;
        break;
    }
    case TIDE_HTTP1_BODY_CHUNKED: {
        tide_http1_chunked_t ch;
        tide_http1_chunked_init(&ch);
        for (;;) {
            size_t out;
            long used = tide_http1_chunked_decode(&ch, c->buf + c->off, c->len - c->off, &out);
            if (used < 0) {
                rc = used;
                break;
            }
            if ((rc = body_feed(&b, z, c->buf + c->off, out)) < 0)
                break;
            c->off += (size_t)used;
            if (ch.done)
                break;
            if ((rc = php_tide_http_client_fill(c, c->read_ns)) <= 0) {
                if (rc == 0)
                    rc = -ECONNRESET;
                break;
            }
        }
        if (rc > 0)
            rc = 0;
        break;
    }
    case TIDE_HTTP1_BODY_CLOSE:
        for (;;) {
            if ((rc = body_feed(&b, z, c->buf + c->off, c->len - c->off)) < 0)
                break;
            c->off = c->len;
            if ((rc = php_tide_http_client_fill(c, c->read_ns)) <= 0)
                break;
        }
        break;
    }
    if (rc == 0 && z && !tide_inflate_done(z))
        rc = TIDE_EPROTO; /* a compressed body cut short */
    tide_inflate_free(z);
    if (rc < 0) {
        smart_str_free(&b.mem);
        return fail(c, rc, "response body");
    }
    if (!file)
        php_tide_http_client_prop_str(c, P_BODY, b.mem.s ? smart_str_extract(&b.mem) : ZSTR_EMPTY_ALLOC());
    /* bytes after the response that nobody asked for: the connection is not reused */
    *keep = r->keep_alive && r->body != TIDE_HTTP1_BODY_CLOSE && c->off == c->len;
    return RES_OK;
}

/* ---- building a request ---- */

static bool has_header(HashTable *h, const char *name)
{
    zend_string *k;
    if (!h)
        return false;
    ZEND_HASH_FOREACH_STR_KEY(h, k) {
        if (k && ZSTR_LEN(k) == strlen(name) &&
            !zend_binary_strcasecmp(ZSTR_VAL(k), ZSTR_LEN(k), name, strlen(name)))
            return true;
    } ZEND_HASH_FOREACH_END();
    return false;
}

/* A multipart/form-data body of the form fields and the files; false with a warning when
 * a file cannot be read. */
static bool multipart(HashTable *fields, HashTable *files, const char *boundary, smart_str *out)
{
    zend_string *k;
    zval *v;
    if (fields)
        ZEND_HASH_FOREACH_STR_KEY_VAL(fields, k, v) {
            if (!k)
                continue;
            zend_string *s = zval_get_string(v);
            smart_str_append_printf(out, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n",
                                    boundary, ZSTR_VAL(k));
            smart_str_append(out, s);
            smart_str_appends(out, "\r\n");
            zend_string_release(s);
        } ZEND_HASH_FOREACH_END();
    ZEND_HASH_FOREACH_VAL(files, v) {
        if (Z_TYPE_P(v) != IS_ARRAY)
            continue;
        HashTable *e = Z_ARRVAL_P(v);
        zval *path = zend_hash_str_find(e, "path", 4), *content = zend_hash_str_find(e, "content", 7);
        zval *name = zend_hash_str_find(e, "name", 4), *type = zend_hash_str_find(e, "type", 4);
        zval *fname = zend_hash_str_find(e, "filename", 8);
        zval *off = zend_hash_str_find(e, "offset", 6), *len = zend_hash_str_find(e, "length", 6);
        if (!name || !type || !fname || Z_TYPE_P(name) != IS_STRING || Z_TYPE_P(type) != IS_STRING ||
            Z_TYPE_P(fname) != IS_STRING)
            continue;
        smart_str_append_printf(out,
                                "--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                                "Content-Type: %s\r\n\r\n",
                                boundary, Z_STRVAL_P(name), Z_STRVAL_P(fname), Z_STRVAL_P(type));
        if (content && Z_TYPE_P(content) == IS_STRING) {
            smart_str_append(out, Z_STR_P(content));
        } else if (path && Z_TYPE_P(path) == IS_STRING) {
            php_stream *f = php_stream_open_wrapper(Z_STRVAL_P(path), "rb", REPORT_ERRORS, NULL);
            if (!f)
                return false;
            zend_long o = off && Z_TYPE_P(off) == IS_LONG ? Z_LVAL_P(off) : 0;
            zend_long l = len && Z_TYPE_P(len) == IS_LONG ? Z_LVAL_P(len) : 0;
            if (o)
                php_stream_seek(f, o, SEEK_SET);
            zend_string *data = php_stream_copy_to_mem(f, l > 0 ? (size_t)l : PHP_STREAM_COPY_ALL, 0);
            php_stream_close(f);
            if (data) {
                smart_str_append(out, data);
                zend_string_release(data);
            }
        }
        smart_str_appends(out, "\r\n");
    } ZEND_HASH_FOREACH_END();
    smart_str_append_printf(out, "--%s--\r\n", boundary);
    return true;
}

/* The request for path: head and body in one string; NULL after a warning. */
static zend_string *build_request(php_tide_http_client_t *c, zend_string *path, const char *ws_key,
                                  zend_long range_from, bool *head_request)
{
    zval *mz = PROP(c, P_METHOD), *hz = PROP(c, P_REQ_HEADERS), *dz = PROP(c, P_REQ_BODY);
    zval *fz = PROP(c, P_UPLOAD_FILES), *cz = PROP(c, P_COOKIES);
    HashTable *hdrs = Z_TYPE_P(hz) == IS_ARRAY ? Z_ARRVAL_P(hz) : NULL;
    HashTable *files = Z_TYPE_P(fz) == IS_ARRAY && zend_hash_num_elements(Z_ARRVAL_P(fz)) ? Z_ARRVAL_P(fz) : NULL;
    bool has_data = Z_TYPE_P(dz) == IS_ARRAY || (Z_TYPE_P(dz) == IS_STRING);
    const char *method = Z_TYPE_P(mz) == IS_STRING ? Z_STRVAL_P(mz) : (has_data || files ? "POST" : "GET");
    *head_request = !strcmp(method, "HEAD");

    smart_str body = {0};
    const char *ctype = NULL;
    char boundary[48];
    if (files) {
        unsigned char rnd[12];
        if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
            memset(rnd, 0x42, sizeof(rnd));
        int at = snprintf(boundary, sizeof(boundary), "----TideFormBoundary");
        for (size_t i = 0; i < sizeof(rnd); i++)
            at += snprintf(boundary + at, sizeof(boundary) - (size_t)at, "%02x", rnd[i]);
        if (!multipart(Z_TYPE_P(dz) == IS_ARRAY ? Z_ARRVAL_P(dz) : NULL, files, boundary, &body)) {
            smart_str_free(&body);
            return NULL;
        }
        ctype = "multipart/form-data";
    } else if (Z_TYPE_P(dz) == IS_ARRAY) {
        /* as http_build_query() encodes it */
        zval fn, rv;
        ZVAL_STRING(&fn, "http_build_query");
        ZVAL_UNDEF(&rv);
        call_user_function(NULL, NULL, &fn, &rv, 1, dz);
        zval_ptr_dtor(&fn);
        if (Z_TYPE(rv) == IS_STRING)
            smart_str_append(&body, Z_STR(rv));
        zval_ptr_dtor(&rv);
        ctype = "application/x-www-form-urlencoded";
    } else if (Z_TYPE_P(dz) == IS_STRING) {
        smart_str_append(&body, Z_STR_P(dz));
    }

    smart_str out = {0};
    smart_str_append_printf(&out, "%s %s HTTP/1.1\r\n", method, ZSTR_LEN(path) ? ZSTR_VAL(path) : "/");
    if (!has_header(hdrs, "host")) {
        zend_string *host = Z_STR_P(PROP(c, P_HOST));
        zend_long port = Z_LVAL_P(PROP(c, P_PORT));
        bool ssl = Z_TYPE_P(PROP(c, P_SSL)) == IS_TRUE;
        bool v6 = memchr(ZSTR_VAL(host), ':', ZSTR_LEN(host)) && ZSTR_VAL(host)[0] != '[';
        smart_str_append_printf(&out, "Host: %s%s%s", v6 ? "[" : "", ZSTR_VAL(host), v6 ? "]" : "");
        if (port != (ssl ? 443 : 80))
            smart_str_append_printf(&out, ":" ZEND_LONG_FMT, port);
        smart_str_appends(&out, "\r\n");
    }
    if (ws_key) {
        smart_str_append_printf(&out, "Connection: Upgrade\r\nUpgrade: websocket\r\n"
                                      "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: %s\r\n", ws_key);
    } else if (!has_header(hdrs, "connection")) {
        smart_str_appends(&out, c->keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
    }
    if (c->http_compression && !ws_key && !has_header(hdrs, "accept-encoding"))
        smart_str_appends(&out, "Accept-Encoding: gzip, deflate\r\n");
    if (range_from > 0 && !has_header(hdrs, "range"))
        smart_str_append_printf(&out, "Range: bytes=" ZEND_LONG_FMT "-\r\n", range_from);
    if (hdrs) {
        zend_string *k;
        zval *v;
        ZEND_HASH_FOREACH_STR_KEY_VAL(hdrs, k, v) {
            if (!k)
                continue;
            if (ctype && zend_string_equals_literal_ci(k, "content-type") && !files)
                ctype = NULL; /* the caller's own */
            if (zend_string_equals_literal_ci(k, "content-length") ||
                (files && zend_string_equals_literal_ci(k, "content-type")))
                continue;
            zend_string *s = zval_get_string(v);
            smart_str_append_printf(&out, "%s: %s\r\n", ZSTR_VAL(k), ZSTR_VAL(s));
            zend_string_release(s);
        } ZEND_HASH_FOREACH_END();
    }
    if (Z_TYPE_P(cz) == IS_ARRAY && zend_hash_num_elements(Z_ARRVAL_P(cz))) {
        zend_string *k;
        zval *v;
        bool first = true;
        smart_str_appends(&out, "Cookie: ");
        ZEND_HASH_FOREACH_STR_KEY_VAL(Z_ARRVAL_P(cz), k, v) {
            if (!k)
                continue;
            zend_string *s = zval_get_string(v);
            zend_string *e = php_url_encode(ZSTR_VAL(s), ZSTR_LEN(s));
            smart_str_append_printf(&out, "%s%s=%s", first ? "" : "; ", ZSTR_VAL(k), ZSTR_VAL(e));
            zend_string_release(e);
            zend_string_release(s);
            first = false;
        } ZEND_HASH_FOREACH_END();
        smart_str_appends(&out, "\r\n");
    }
    if (ctype && files)
        smart_str_append_printf(&out, "Content-Type: multipart/form-data; boundary=%s\r\n", boundary);
    else if (ctype)
        smart_str_append_printf(&out, "Content-Type: %s\r\n", ctype);
    size_t blen = body.s ? ZSTR_LEN(body.s) : 0;
    if (blen || has_data || files || !strcmp(method, "POST") || !strcmp(method, "PUT"))
        smart_str_append_printf(&out, "Content-Length: %zu\r\n", blen);
    smart_str_appends(&out, "\r\n");
    if (c->header_out)
        zend_string_release(c->header_out);
    c->header_out = zend_string_init(ZSTR_VAL(out.s), ZSTR_LEN(out.s), 0);
    if (blen)
        smart_str_append(&out, body.s);
    smart_str_free(&body);
    return smart_str_extract(&out);
}

/* After a request: what was asked for is forgotten (headers and cookies stay), as Swoole. */
void php_tide_http_client_reset_request(php_tide_http_client_t *c)
{
    php_tide_http_client_prop_null(c, P_METHOD);
    php_tide_http_client_prop_null(c, P_REQ_BODY);
    php_tide_http_client_prop_null(c, P_UPLOAD_FILES);
    php_tide_http_client_prop_null(c, P_DOWNLOAD_FILE);
    php_tide_http_client_prop_long(c, P_DOWNLOAD_OFFSET, 0);
}

/*
 * One request and its response: connects (again once when a kept-alive connection turns
 * out closed by the server), sends, reads. ws_key: the upgrade of upgrade().
 */
php_tide_http_client_result_t php_tide_http_client_request(php_tide_http_client_t *c,
                                                           zend_string *path, php_stream *file,
                                                           zend_long range_from,
                                                           const char *ws_key,
                                                           tide_http1_response_t *r)
{
    php_tide_http_client_prop_long(c, P_STATUS, 0);
    php_tide_http_client_prop_long(c, P_ERRCODE, 0);
    php_tide_http_client_prop_str(c, P_ERRMSG, ZSTR_EMPTY_ALLOC());
    php_tide_http_client_prop_null(c, P_HEADERS);
    php_tide_http_client_prop_null(c, P_SET_COOKIE_HEADERS);
    php_tide_http_client_prop_str(c, P_BODY, ZSTR_EMPTY_ALLOC());
    if (c->websocket) {
        php_tide_http_client_prop_long(c, P_STATUS, STATUS_SEND_FAILED);
        php_tide_http_client_set_error(c, EISCONN, "the connection is a WebSocket now: close() it first");
        return RES_FAILED;
    }
    bool head_request;
    zend_string *req = build_request(c, path, ws_key, range_from, &head_request);
    if (req && EG(exception)) { /* http_build_query() threw */
        zend_string_release(req);
        return RES_EXCEPTION;
    }
    if (!req) {
        if (EG(exception))
            return RES_EXCEPTION;
        php_tide_http_client_set_error(c, ENOENT, "a file to upload cannot be read");
        return RES_FAILED;
    }
    c->deadline = c->total_ns > 0 ? tide_time_ns() + (uint64_t)c->total_ns : 0;
    php_tide_http_client_result_t res = RES_FAILED;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (!c->s && !php_tide_http_client_connect(c)) {
            res = EG(exception) ? RES_EXCEPTION : RES_FAILED;
            break;
        }
        bool fresh = !c->reused;
        int rc = php_tide_http_client_send(c, ZSTR_VAL(req), ZSTR_LEN(req));
        if (rc == TIDE_EKILLED) {
            res = RES_EXCEPTION;
            break;
        }
        if (rc < 0) {
            php_tide_http_client_drop(c);
            if (!fresh && rc != -ETIMEDOUT)
                continue;
            php_tide_http_client_prop_long(c, P_STATUS, rc == -ETIMEDOUT ? STATUS_TIMEOUT : STATUS_SEND_FAILED);
            php_tide_http_client_set_error(c, -rc, rc == -ETIMEDOUT ? "sending the request timed out" : "sending the request failed");
            break;
        }
        bool keep = false;
        res = read_response(c, head_request, file, &keep, r);
        if (res == RES_CLOSED_IDLE && !fresh) {
            php_tide_http_client_drop(c);
            continue;
        }
        if (res == RES_CLOSED_IDLE)
            res = fail(c, 0, "response head");
        if (res != RES_OK || !keep || !c->keep_alive)
            php_tide_http_client_drop(c);
        else
            c->reused = true;
        break;
    }
    c->deadline = 0;
    zend_string_release(req);
    if (res == RES_EXCEPTION)
        /* killed mid-request: what is left on the connection is not a response */
        php_tide_http_client_drop(c);
    return res;
}

static void do_execute(zval *return_value, php_tide_http_client_t *c, zend_string *path,
                       const char *method)
{
    if (!php_tide_http_client_enter(c, method))
        RETURN_THROWS();
    php_stream *file = NULL;
    zval *df = PROP(c, P_DOWNLOAD_FILE);
    zend_long offset = Z_LVAL_P(PROP(c, P_DOWNLOAD_OFFSET));
    if (Z_TYPE_P(df) == IS_STRING) {
        file = php_stream_open_wrapper(Z_STRVAL_P(df), offset > 0 ? "cb" : "wb", REPORT_ERRORS, NULL);
        if (!file) {
            php_tide_http_client_set_error(c, EACCES, "cannot open the download file \"%s\"", Z_STRVAL_P(df));
            php_tide_http_client_reset_request(c);
            php_tide_http_client_leave(c);
            RETURN_FALSE;
        }
        if (offset > 0)
            php_stream_seek(file, offset, SEEK_SET);
    }
    tide_http1_response_t *r = emalloc(sizeof(*r));
    php_tide_http_client_result_t res =
        php_tide_http_client_request(c, path, file, file ? offset : 0, NULL, r);
    efree(r);
    if (file)
        php_stream_close(file);
    php_tide_http_client_reset_request(c);
    php_tide_http_client_leave(c);
    if (res == RES_EXCEPTION)
        RETURN_THROWS();
    RETURN_BOOL(res == RES_OK);
}

ZEND_METHOD(Tide_Coroutine_Http_Client, execute)
{
    zend_string *path;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(path)
    ZEND_PARSE_PARAMETERS_END();
    do_execute(return_value, THIS(), path, "execute");
}

ZEND_METHOD(Tide_Coroutine_Http_Client, get)
{
    zend_string *path;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(path)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_http_client_t *c = THIS();
    if (Z_TYPE_P(PROP(c, P_METHOD)) != IS_STRING)
        php_tide_http_client_prop_str(c, P_METHOD, zend_string_init("GET", 3, 0));
    do_execute(return_value, c, path, "get");
}

ZEND_METHOD(Tide_Coroutine_Http_Client, post)
{
    zend_string *path;
    zval *data;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(path)
        Z_PARAM_ZVAL(data)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_http_client_t *c = THIS();
    zval v;
    if (Z_TYPE_P(data) == IS_ARRAY) {
        ZVAL_COPY(&v, data);
    } else {
        zend_string *s = zval_try_get_string(data);
        if (!s)
            RETURN_THROWS();
        ZVAL_STR(&v, s);
    }
    php_tide_http_client_prop_set(c, P_REQ_BODY, &v);
    php_tide_http_client_prop_str(c, P_METHOD, zend_string_init("POST", 4, 0));
    do_execute(return_value, c, path, "post");
}

ZEND_METHOD(Tide_Coroutine_Http_Client, download)
{
    zend_string *path, *file;
    zend_long offset = 0;
    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_STR(path)
        Z_PARAM_PATH_STR(file)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(offset)
    ZEND_PARSE_PARAMETERS_END();
    if (offset < 0) {
        zend_argument_value_error(3, "must be greater than or equal to 0");
        RETURN_THROWS();
    }
    php_tide_http_client_t *c = THIS();
    php_tide_http_client_prop_str(c, P_DOWNLOAD_FILE, zend_string_copy(file));
    php_tide_http_client_prop_long(c, P_DOWNLOAD_OFFSET, offset);
    if (Z_TYPE_P(PROP(c, P_METHOD)) != IS_STRING)
        php_tide_http_client_prop_str(c, P_METHOD, zend_string_init("GET", 3, 0));
    do_execute(return_value, c, path, "download");
}


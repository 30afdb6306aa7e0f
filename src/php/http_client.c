/* SPDX-License-Identifier: MIT */
/*
 * Tide\Coroutine\Http\Client: an HTTP/1.1 and WebSocket client for coroutines, with
 * Swoole's API (Swoole\Coroutine\Http\Client).
 *
 * The connection is a PHP stream (tcp://, or ssl:// from ext/openssl), so the runtime
 * hooks (runtime_stream.c) make each connect, TLS handshake, read and write wait in the
 * calling coroutine on the reactor; PHP's own code resolves names, applies the TLS context
 * and reports errors. The bytes the server sends are read by the pure parser of
 * src/proto/http1_response.c (head, chunked body, gzip/deflate) and, after an upgrade, the
 * frame codec of src/proto/websocket.c.
 *
 * Bounds: a response head over http_max_header_size, a body (decoded, or written to the
 * download file) or a WebSocket message over http_max_body_size fail the request instead
 * of growing; so does anything that is not HTTP. The object owns its stream (a resource
 * referenced from `stream`), its receive buffer and its settings; all live as long as the
 * object, or until close().
 *
 * This file holds the object, its settings, the request being prepared, the connection
 * and what came back; http_client_request.c one request and its response,
 * http_client_ws.c the WebSocket (php_tide_http_client.h lists what they share).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>

#include "php.h"
#include "php_network.h"
#include "ext/standard/base64.h"
#include "ext/standard/php_array.h"
#include "zend_attributes.h"
#include "zend_exceptions.h"
#include "zend_smart_str.h"
#include "php_tide.h"
#include "php_tide_http_client.h"
#include "tide_http_client_arginfo.h"

#define DEFAULT_MAX_HEADER (64 * 1024)
#define DEFAULT_MAX_BODY (64 * 1024 * 1024)

static zend_class_entry *client_ce;
static zend_object_handlers client_handlers;

void php_tide_http_client_prop_set(php_tide_http_client_t *c, int n, zval *v)
{
    zval *p = PROP(c, n);
    zval old;
    ZVAL_COPY_VALUE(&old, p);
    ZVAL_COPY_VALUE(p, v);
    zval_ptr_dtor(&old);
}
void php_tide_http_client_prop_long(php_tide_http_client_t *c, int n, zend_long l)
{
    zval v;
    ZVAL_LONG(&v, l);
    php_tide_http_client_prop_set(c, n, &v);
}
void php_tide_http_client_prop_bool(php_tide_http_client_t *c, int n, bool b)
{
    zval v;
    ZVAL_BOOL(&v, b);
    php_tide_http_client_prop_set(c, n, &v);
}
void php_tide_http_client_prop_null(php_tide_http_client_t *c, int n)
{
    zval v;
    ZVAL_NULL(&v);
    php_tide_http_client_prop_set(c, n, &v);
}
void php_tide_http_client_prop_str(php_tide_http_client_t *c, int n, zend_string *s)
{
    zval v;
    ZVAL_STR(&v, s);
    php_tide_http_client_prop_set(c, n, &v);
}

/* errCode and errMsg (errMsg formatted when fmt, else strerror(code)). */
void php_tide_http_client_set_error(php_tide_http_client_t *c, int code, const char *fmt, ...)
{
    php_tide_http_client_prop_long(c, P_ERRCODE, code);
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        php_tide_http_client_prop_str(c, P_ERRMSG, zend_vstrpprintf(0, fmt, ap));
        va_end(ap);
    } else {
        php_tide_http_client_prop_str(c, P_ERRMSG, zend_string_init(strerror(code), strlen(strerror(code)), 0));
    }
}
/* ---- the object ---- */

static zend_object *client_create(zend_class_entry *ce)
{
    php_tide_http_client_t *c = zend_object_alloc(sizeof(php_tide_http_client_t), ce);
    zend_object_std_init(&c->std, ce);
    object_properties_init(&c->std, ce);
    c->std.handlers = &client_handlers;
    ZVAL_UNDEF(&c->stream);
    c->connect_ns = 2 * (int64_t)NS_PER_S; /* Swoole's defaults */
    c->read_ns = c->write_ns = 60 * (int64_t)NS_PER_S;
    c->total_ns = -1;
    c->keep_alive = c->ws_mask = c->http_compression = c->body_decompression = true;
    c->lowercase_header = true;
    c->max_header = DEFAULT_MAX_HEADER;
    c->max_body = DEFAULT_MAX_BODY;
    return &c->std;
}

/* Drops the connection (and what was read from it). */
void php_tide_http_client_drop(php_tide_http_client_t *c)
{
    if (Z_TYPE(c->stream) == IS_RESOURCE)
        zval_ptr_dtor(&c->stream); /* the only reference: the stream closes */
    ZVAL_UNDEF(&c->stream);
    c->s = NULL;
    c->reused = c->websocket = false;
    php_tide_ws_peer_reset(&c->ws);
    c->off = c->len = 0;
    php_tide_http_client_prop_bool(c, P_CONNECTED, false);
}

static void client_free(zend_object *o)
{
    php_tide_http_client_t *c = php_tide_http_client_from(o);
    /* At request end the stream may be closed already (PHP closes resources first); the
     * reference is then only released. */
    if (Z_TYPE(c->stream) == IS_RESOURCE)
        zval_ptr_dtor(&c->stream);
    ZVAL_UNDEF(&c->stream);
    php_tide_ws_peer_reset(&c->ws);
    if (c->buf)
        efree(c->buf);
    if (c->header_out)
        zend_string_release(c->header_out);
    zend_object_std_dtor(o);
}

/* Whether the running coroutine may use the client now: a coroutine that can suspend,
 * and no other coroutine in the middle of a call on it. Throws otherwise. */
bool php_tide_http_client_enter(php_tide_http_client_t *c, const char *method)
{
    char what[80];
    snprintf(what, sizeof(what), "Tide\\Coroutine\\Http\\Client::%s()", method);
    if (!php_tide_coro_suspendable(what))
        return false;
    int64_t me = tide_coro_id(tide_coro_current(TIDE_G(sched)));
    if (c->busy && c->busy != me) {
        php_tide_throw(0, "%s: the client is in use by coroutine #%lld", what, (long long)c->busy);
        return false;
    }
    c->busy = me;
    return true;
}
void php_tide_http_client_leave(php_tide_http_client_t *c)
{
    c->busy = 0;
}

ZEND_METHOD(Tide_Coroutine_Http_Client, __construct)
{
    zend_string *host;
    zend_long port = 0;
    bool ssl = false;
    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_STR(host)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(port)
        Z_PARAM_BOOL(ssl)
    ZEND_PARSE_PARAMETERS_END();
    if (!ZSTR_LEN(host) || memchr(ZSTR_VAL(host), '/', ZSTR_LEN(host)) ||
        strpbrk(ZSTR_VAL(host), " \r\n")) {
        zend_argument_value_error(1, "must be a host name or an IP address");
        RETURN_THROWS();
    }
    if (port < 0 || port > 65535) {
        zend_argument_value_error(2, "must be between 0 and 65535");
        RETURN_THROWS();
    }
    php_tide_http_client_t *c = THIS();
    php_tide_http_client_prop_str(c, P_HOST, zend_string_copy(host));
    php_tide_http_client_prop_long(c, P_PORT, port ? port : (ssl ? 443 : 80));
    php_tide_http_client_prop_bool(c, P_SSL, ssl);
}

/* ---- settings ---- */

static const char *const ssl_keys[][2] = {
    /* Swoole's key, PHP's ssl context option */
    {"ssl_verify_peer", "verify_peer"},      {"ssl_allow_self_signed", "allow_self_signed"},
    {"ssl_host_name", "peer_name"},          {"ssl_cafile", "cafile"},
    {"ssl_capath", "capath"},                {"ssl_cert_file", "local_cert"},
    {"ssl_key_file", "local_pk"},            {"ssl_passphrase", "passphrase"},
    {"ssl_ciphers", "ciphers"},              {"ssl_verify_depth", "verify_depth"},
};

static bool setting_time(zval *v, const char *key, int64_t *out)
{
    double d = zval_get_double(v);
    if (Z_TYPE_P(v) != IS_LONG && Z_TYPE_P(v) != IS_DOUBLE) {
        zend_value_error("Setting '%s' must be a number of seconds, %s given", key,
                         zend_zval_type_name(v));
        return false;
    }
    *out = d <= 0 ? -1 : (int64_t)(d * NS_PER_S);
    return true;
}

static bool setting_size(zval *v, const char *key, zend_long min, size_t *out)
{
    if (Z_TYPE_P(v) != IS_LONG || Z_LVAL_P(v) < min) {
        zend_value_error("Setting '%s' must be an int of at least " ZEND_LONG_FMT, key, min);
        return false;
    }
    *out = (size_t)Z_LVAL_P(v);
    return true;
}

ZEND_METHOD(Tide_Coroutine_Http_Client, set)
{
    HashTable *settings;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(settings)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_http_client_t *c = THIS();
    zend_string *key;
    zval *v;
    ZEND_HASH_FOREACH_STR_KEY_VAL(settings, key, v) {
        if (!key) {
            zend_value_error("Settings must be keyed by name");
            RETURN_THROWS();
        }
        const char *k = ZSTR_VAL(key);
        bool ok = true, known = true;
        if (zend_string_equals_literal(key, "timeout")) {
            ok = setting_time(v, k, &c->total_ns);
            if (ok && c->total_ns > 0 && (c->connect_ns < 0 || c->connect_ns > c->total_ns))
                c->connect_ns = c->total_ns;
        } else if (zend_string_equals_literal(key, "connect_timeout")) {
            ok = setting_time(v, k, &c->connect_ns);
        } else if (zend_string_equals_literal(key, "read_timeout")) {
            ok = setting_time(v, k, &c->read_ns);
        } else if (zend_string_equals_literal(key, "write_timeout")) {
            ok = setting_time(v, k, &c->write_ns);
        } else if (zend_string_equals_literal(key, "keep_alive")) {
            c->keep_alive = zend_is_true(v);
        } else if (zend_string_equals_literal(key, "websocket_mask")) {
            c->ws_mask = zend_is_true(v);
        } else if (zend_string_equals_literal(key, "websocket_compression")) {
            if (zend_is_true(v)) {
                zend_value_error("Setting 'websocket_compression' is not supported by "
                                 "Tide\\Coroutine\\Http\\Client (messages are sent and "
                                 "received uncompressed)");
                RETURN_THROWS();
            }
        } else if (zend_string_equals_literal(key, "http_compression")) {
            c->http_compression = zend_is_true(v);
        } else if (zend_string_equals_literal(key, "body_decompression")) {
            c->body_decompression = zend_is_true(v);
        } else if (zend_string_equals_literal(key, "lowercase_header")) {
            c->lowercase_header = zend_is_true(v);
        } else if (zend_string_equals_literal(key, "http_max_header_size")) {
            ok = setting_size(v, k, 1024, &c->max_header);
        } else if (zend_string_equals_literal(key, "http_max_body_size")) {
            ok = setting_size(v, k, 1, &c->max_body);
        } else {
            known = false;
            for (size_t i = 0; i < sizeof(ssl_keys) / sizeof(ssl_keys[0]); i++)
                if (!strcmp(k, ssl_keys[i][0]))
                    known = true;
        }
        if (!known) {
            zend_value_error("Unknown setting '%s' for Tide\\Coroutine\\Http\\Client", k);
            RETURN_THROWS();
        }
        if (!ok)
            RETURN_THROWS();
    } ZEND_HASH_FOREACH_END();
    /* `setting` holds every key set so far (the TLS options are read from it at connect) */
    zval *cur = PROP(c, P_SETTING), merged;
    if (Z_TYPE_P(cur) == IS_ARRAY) {
        ZVAL_ARR(&merged, zend_array_dup(Z_ARRVAL_P(cur)));
        php_array_merge(Z_ARRVAL(merged), settings);
    } else {
        ZVAL_ARR(&merged, zend_array_dup(settings));
    }
    php_tide_http_client_prop_set(c, P_SETTING, &merged);
    RETURN_TRUE;
}

/* ---- the request being prepared ---- */

/* Whether s may go into a header line (no CR, LF or NUL). */
static bool header_safe(const zend_string *s)
{
    for (size_t i = 0; i < ZSTR_LEN(s); i++)
        if (ZSTR_VAL(s)[i] == '\r' || ZSTR_VAL(s)[i] == '\n' || ZSTR_VAL(s)[i] == 0)
            return false;
    return true;
}

ZEND_METHOD(Tide_Coroutine_Http_Client, setMethod)
{
    zend_string *m;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(m)
    ZEND_PARSE_PARAMETERS_END();
    for (size_t i = 0; i < ZSTR_LEN(m); i++)
        if (!isalpha((unsigned char)ZSTR_VAL(m)[i]) && ZSTR_VAL(m)[i] != '-') {
            zend_argument_value_error(1, "must be an HTTP method name");
            RETURN_THROWS();
        }
    if (!ZSTR_LEN(m)) {
        zend_argument_value_error(1, "must be an HTTP method name");
        RETURN_THROWS();
    }
    php_tide_http_client_prop_str(THIS(), P_METHOD, zend_string_toupper(m));
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Coroutine_Http_Client, setHeaders)
{
    HashTable *h;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(h)
    ZEND_PARSE_PARAMETERS_END();
    zend_string *k;
    zval *v;
    ZEND_HASH_FOREACH_STR_KEY_VAL(h, k, v) {
        if (!k || !ZSTR_LEN(k) || !header_safe(k) || memchr(ZSTR_VAL(k), ':', ZSTR_LEN(k))) {
            zend_argument_value_error(1, "must be keyed by header names");
            RETURN_THROWS();
        }
        zend_string *s = zval_get_string(v);
        bool ok = header_safe(s);
        zend_string_release(s);
        if (!ok) {
            zend_argument_value_error(1, "has a value with CR, LF or NUL (header '%s')", ZSTR_VAL(k));
            RETURN_THROWS();
        }
    } ZEND_HASH_FOREACH_END();
    zval a;
    ZVAL_ARR(&a, zend_array_dup(h));
    php_tide_http_client_prop_set(THIS(), P_REQ_HEADERS, &a);
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Coroutine_Http_Client, setBasicAuth)
{
    zend_string *user, *pass;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(user)
        Z_PARAM_STR(pass)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_http_client_t *c = THIS();
    zend_string *up = zend_strpprintf(0, "%s:%s", ZSTR_VAL(user), ZSTR_VAL(pass));
    zend_string *b = php_base64_encode((unsigned char *)ZSTR_VAL(up), ZSTR_LEN(up));
    zend_string_release(up);
    zval *h = PROP(c, P_REQ_HEADERS), a;
    if (Z_TYPE_P(h) == IS_ARRAY)
        ZVAL_ARR(&a, zend_array_dup(Z_ARRVAL_P(h)));
    else
        array_init(&a);
    add_assoc_str(&a, "Authorization", zend_strpprintf(0, "Basic %s", ZSTR_VAL(b)));
    zend_string_release(b);
    php_tide_http_client_prop_set(c, P_REQ_HEADERS, &a);
    TIDE_UNUSED(return_value);
}

ZEND_METHOD(Tide_Coroutine_Http_Client, setCookies)
{
    HashTable *h;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(h)
    ZEND_PARSE_PARAMETERS_END();
    zval a;
    ZVAL_ARR(&a, zend_array_dup(h));
    php_tide_http_client_prop_set(THIS(), P_COOKIES, &a);
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Coroutine_Http_Client, setData)
{
    zval *d;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(d)
    ZEND_PARSE_PARAMETERS_END();
    if (Z_TYPE_P(d) != IS_ARRAY && Z_TYPE_P(d) != IS_STRING) {
        zend_argument_type_error(1, "must be of type array|string, %s given", zend_zval_type_name(d));
        RETURN_THROWS();
    }
    zval v;
    ZVAL_COPY(&v, d);
    php_tide_http_client_prop_set(THIS(), P_REQ_BODY, &v);
    RETURN_TRUE;
}

/* Appends an entry to uploadFiles: path or content, form name, type, file name, range. */
static void add_upload(php_tide_http_client_t *c, const char *what, zend_string *src, zend_string *name,
                       zend_string *type, zend_string *filename, zend_long offset, zend_long length)
{
    zval e, *cur = PROP(c, P_UPLOAD_FILES), a;
    array_init(&e);
    add_assoc_str(&e, what, zend_string_copy(src));
    add_assoc_str(&e, "name", zend_string_copy(name));
    add_assoc_str(&e, "type", type ? zend_string_copy(type) : zend_string_init("application/octet-stream", 24, 0));
    if (filename)
        add_assoc_str(&e, "filename", zend_string_copy(filename));
    else if (!strcmp(what, "path")) {
        const char *slash = strrchr(ZSTR_VAL(src), '/');
        add_assoc_string(&e, "filename", slash ? slash + 1 : ZSTR_VAL(src));
    } else {
        add_assoc_str(&e, "filename", zend_string_copy(name));
    }
    add_assoc_long(&e, "offset", offset);
    add_assoc_long(&e, "length", length);
    if (Z_TYPE_P(cur) == IS_ARRAY)
        ZVAL_ARR(&a, zend_array_dup(Z_ARRVAL_P(cur)));
    else
        array_init(&a);
    add_next_index_zval(&a, &e);
    php_tide_http_client_prop_set(c, P_UPLOAD_FILES, &a);
}

ZEND_METHOD(Tide_Coroutine_Http_Client, addFile)
{
    zend_string *path, *name, *type = NULL, *filename = NULL;
    zend_long offset = 0, length = 0;
    ZEND_PARSE_PARAMETERS_START(2, 6)
        Z_PARAM_PATH_STR(path)
        Z_PARAM_STR(name)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(type)
        Z_PARAM_STR_OR_NULL(filename)
        Z_PARAM_LONG(offset)
        Z_PARAM_LONG(length)
    ZEND_PARSE_PARAMETERS_END();
    if (offset < 0 || length < 0) {
        zend_argument_value_error(offset < 0 ? 5 : 6, "must be greater than or equal to 0");
        RETURN_THROWS();
    }
    zend_stat_t st;
    if (VCWD_STAT(ZSTR_VAL(path), &st) != 0 || !S_ISREG(st.st_mode)) {
        php_error_docref(NULL, E_WARNING, "File \"%s\" is not a readable file", ZSTR_VAL(path));
        RETURN_FALSE;
    }
    if (offset > st.st_size) {
        php_error_docref(NULL, E_WARNING, "Offset " ZEND_LONG_FMT " is past the end of \"%s\"",
                         offset, ZSTR_VAL(path));
        RETURN_FALSE;
    }
    add_upload(THIS(), "path", path, name, type, filename, offset, length);
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Coroutine_Http_Client, addData)
{
    zend_string *data, *name, *type = NULL, *filename = NULL;
    ZEND_PARSE_PARAMETERS_START(2, 4)
        Z_PARAM_STR(data)
        Z_PARAM_STR(name)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(type)
        Z_PARAM_STR_OR_NULL(filename)
    ZEND_PARSE_PARAMETERS_END();
    add_upload(THIS(), "content", data, name, type, filename, 0, 0);
    RETURN_TRUE;
}

/* ---- the connection ---- */

static void timeval_of(int64_t ns, struct timeval *tv)
{
    if (ns < 0) {
        tv->tv_sec = -1;
        tv->tv_usec = 0;
        return;
    }
    tv->tv_sec = (time_t)(ns / 1000000000);
    tv->tv_usec = (suseconds_t)((ns % 1000000000) / 1000);
}

/* The time an operation may wait: its own timeout, within the request's deadline. */
static int64_t op_timeout(const php_tide_http_client_t *c, int64_t op_ns)
{
    if (!c->deadline)
        return op_ns;
    int64_t left = (int64_t)(c->deadline - tide_time_ns());
    if (left < 1000)
        left = 1000; /* already past: one last look */
    return op_ns < 0 || left < op_ns ? left : op_ns;
}

static bool timed_out(php_stream *s)
{
    php_netstream_data_t *sock = s->abstract;
    return sock && sock->timeout_event;
}

/* Connects: true, or false with statusCode -1 and errCode/errMsg (or an exception). */
bool php_tide_http_client_connect(php_tide_http_client_t *c)
{
    zend_string *host = Z_STR_P(PROP(c, P_HOST));
    zend_long port = Z_LVAL_P(PROP(c, P_PORT));
    bool ssl = Z_TYPE_P(PROP(c, P_SSL)) == IS_TRUE;
    bool v6 = memchr(ZSTR_VAL(host), ':', ZSTR_LEN(host)) && ZSTR_VAL(host)[0] != '[';
    zend_string *url = zend_strpprintf(0, "%s://%s%s%s:" ZEND_LONG_FMT, ssl ? "ssl" : "tcp",
                                       v6 ? "[" : "", ZSTR_VAL(host), v6 ? "]" : "", port);
    php_stream_context *ctx = php_stream_context_alloc();
    if (ssl) {
        zval v, *set = PROP(c, P_SETTING), *o;
        /* Swoole does not verify by default; SNI and the name checked are the host's */
        ZVAL_FALSE(&v);
        php_stream_context_set_option(ctx, "ssl", "verify_peer", &v);
        php_stream_context_set_option(ctx, "ssl", "verify_peer_name", &v);
        ZVAL_STR(&v, host);
        php_stream_context_set_option(ctx, "ssl", "peer_name", &v);
        if (Z_TYPE_P(set) == IS_ARRAY)
            for (size_t i = 0; i < sizeof(ssl_keys) / sizeof(ssl_keys[0]); i++)
                if ((o = zend_hash_str_find(Z_ARRVAL_P(set), ssl_keys[i][0], strlen(ssl_keys[i][0])))) {
                    php_stream_context_set_option(ctx, "ssl", ssl_keys[i][1], o);
                    if (i == 0)
                        php_stream_context_set_option(ctx, "ssl", "verify_peer_name", o);
                }
    }
    struct timeval tv;
    timeval_of(op_timeout(c, c->connect_ns), &tv);
    zend_string *errstr = NULL;
    int err = 0;
    php_stream *s = php_stream_xport_create(ZSTR_VAL(url), ZSTR_LEN(url), 0,
                                            STREAM_XPORT_CLIENT | STREAM_XPORT_CONNECT, NULL,
                                            tv.tv_sec < 0 ? NULL : &tv, ctx, &errstr, &err);
    zend_string_release(url);
    /* the stream keeps its own reference to the context */
    zend_list_delete(ctx->res);
    if (!s) {
        if (!EG(exception)) {
            php_tide_http_client_prop_long(c, P_STATUS, STATUS_CONNECT_FAILED);
            if (!err)
                err = errstr && strstr(ZSTR_VAL(errstr), "timed out") ? ETIMEDOUT : ECONNREFUSED;
            php_tide_http_client_set_error(c, err, "%s", errstr ? ZSTR_VAL(errstr) : strerror(err));
        }
        if (errstr)
            zend_string_release(errstr);
        return false;
    }
    if (errstr)
        zend_string_release(errstr);
    s->flags |= PHP_STREAM_FLAG_NO_BUFFER;
    ZVAL_RES(&c->stream, s->res); /* the stream's only reference: closing is releasing it */
    c->s = s;
    c->reused = false;
    c->off = c->len = 0;
    php_tide_http_client_prop_bool(c, P_CONNECTED, true);
    return true;
}

/* Writes all of p[0..n): 0, or -ETIMEDOUT / -EPIPE (errors in errCode), TIDE_EKILLED when
 * an exception is pending. */
int php_tide_http_client_send(php_tide_http_client_t *c, const char *p, size_t n)
{
    struct timeval tv;
    timeval_of(op_timeout(c, c->write_ns), &tv);
    php_stream_set_option(c->s, PHP_STREAM_OPTION_READ_TIMEOUT, 0, &tv);
    while (n) {
        ssize_t w = php_stream_write(c->s, p, n);
        if (EG(exception))
            return TIDE_EKILLED;
        if (w <= 0)
            return timed_out(c->s) ? -ETIMEDOUT : -EPIPE;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads what comes into buf (room for at least `want` more bytes): the bytes read, 0 at
 * the end of the stream, -ETIMEDOUT, -ECONNRESET, or TIDE_EKILLED (exception pending). */
ssize_t php_tide_http_client_fill(php_tide_http_client_t *c, int64_t op_ns)
{
    if (c->off == c->len)
        c->off = c->len = 0;
    if (c->cap - c->len < 4096) {
        if (c->off) {
            memmove(c->buf, c->buf + c->off, c->len - c->off);
            c->len -= c->off;
            c->off = 0;
        }
        if (c->cap - c->len < 4096) {
            c->cap = c->cap ? c->cap * 2 : 16384;
            c->buf = erealloc(c->buf, c->cap);
        }
    }
    struct timeval tv;
    timeval_of(op_timeout(c, op_ns), &tv);
    php_stream_set_option(c->s, PHP_STREAM_OPTION_READ_TIMEOUT, 0, &tv);
    ssize_t n = php_stream_read(c->s, c->buf + c->len, c->cap - c->len);
    if (EG(exception))
        return TIDE_EKILLED;
    if (n > 0) {
        c->len += (size_t)n;
        return n;
    }
    if (timed_out(c->s))
        return -ETIMEDOUT;
    return n == 0 && c->s->eof ? 0 : (n < 0 ? -ECONNRESET : 0);
}
/* ---- what came back ---- */

ZEND_METHOD(Tide_Coroutine_Http_Client, getBody)
{
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_COPY(PROP(THIS(), P_BODY));
}

ZEND_METHOD(Tide_Coroutine_Http_Client, getHeaders)
{
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_COPY(PROP(THIS(), P_HEADERS));
}

ZEND_METHOD(Tide_Coroutine_Http_Client, getCookies)
{
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_COPY(PROP(THIS(), P_COOKIES));
}

ZEND_METHOD(Tide_Coroutine_Http_Client, getStatusCode)
{
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_COPY(PROP(THIS(), P_STATUS));
}

ZEND_METHOD(Tide_Coroutine_Http_Client, getHeaderOut)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_http_client_t *c = THIS();
    if (!c->header_out)
        RETURN_FALSE;
    RETURN_STR_COPY(c->header_out);
}

static void sock_name(INTERNAL_FUNCTION_PARAMETERS, bool peer)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_http_client_t *c = THIS();
    zend_string *name = NULL;
    if (!c->s || php_stream_xport_get_name(c->s, peer, &name, NULL, NULL) != 0 || !name)
        RETURN_FALSE;
    /* "ip:port" or "[ip6]:port" */
    const char *colon = strrchr(ZSTR_VAL(name), ':');
    array_init(return_value);
    if (colon) {
        const char *h = ZSTR_VAL(name);
        size_t hl = (size_t)(colon - h);
        if (hl >= 2 && h[0] == '[') {
            h++;
            hl -= 2;
        }
        add_assoc_stringl(return_value, "host", h, hl);
        add_assoc_long(return_value, "port", ZEND_STRTOL(colon + 1, NULL, 10));
    }
    zend_string_release(name);
}

ZEND_METHOD(Tide_Coroutine_Http_Client, getsockname)
{
    sock_name(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

ZEND_METHOD(Tide_Coroutine_Http_Client, getpeername)
{
    sock_name(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

ZEND_METHOD(Tide_Coroutine_Http_Client, close)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_http_client_t *c = THIS();
    if (c->busy) {
        php_tide_throw(0, "Tide\\Coroutine\\Http\\Client::close(): the client is in use by "
                          "coroutine #%lld", (long long)c->busy);
        RETURN_THROWS();
    }
    bool was = c->s != NULL;
    php_tide_http_client_drop(c);
    RETURN_BOOL(was);
}

void php_tide_http_client_minit(void)
{
    client_ce = register_class_Tide_Coroutine_Http_Client();
    client_ce->create_object = client_create;
    memcpy(&client_handlers, zend_get_std_object_handlers(), sizeof(client_handlers));
    client_handlers.offset = XtOffsetOf(php_tide_http_client_t, std);
    client_handlers.free_obj = client_free;
    client_handlers.clone_obj = NULL;
    php_tide_http_client_ws_minit();
}

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
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <sys/random.h>

#include "php.h"
#include "php_network.h"
#include "ext/standard/base64.h"
#include "ext/standard/url.h"
#include "ext/standard/php_array.h"
#include "zend_attributes.h"
#include "zend_exceptions.h"
#include "zend_smart_str.h"
#include "php_tide.h"
#include "tide/http1_response.h"
#include "tide/websocket.h"
#include "tide_http_client_arginfo.h"

/* Swoole's statusCode values for a request that got no response. */
#define STATUS_CONNECT_FAILED (-1)
#define STATUS_TIMEOUT (-2)
#define STATUS_SERVER_RESET (-3)
#define STATUS_SEND_FAILED (-4)

#define DEFAULT_MAX_HEADER (64 * 1024)
#define DEFAULT_MAX_BODY (64 * 1024 * 1024)
#define NS_PER_S 1000000000.0

/* The declared properties, in the stub's order. */
enum {
    P_ERRCODE, P_ERRMSG, P_CONNECTED, P_HOST, P_PORT, P_SSL, P_SETTING, P_METHOD,
    P_REQ_HEADERS, P_REQ_BODY, P_UPLOAD_FILES, P_DOWNLOAD_FILE, P_DOWNLOAD_OFFSET,
    P_STATUS, P_HEADERS, P_SET_COOKIE_HEADERS, P_COOKIES, P_BODY,
};

typedef struct client {
    zval stream;   /* the connection's stream resource, UNDEF when not connected */
    php_stream *s; /* its stream */
    bool reused;   /* the connection carried a whole response already */
    bool websocket;
    bool ws_closing; /* our close frame was sent */
    /* settings: times in ns, -1 for none */
    int64_t connect_ns, read_ns, write_ns, total_ns;
    bool keep_alive, ws_mask, http_compression, body_decompression, lowercase_header;
    size_t max_header, max_body;
    /* received bytes not used yet: buf[off..len) */
    char *buf;
    size_t off, len, cap;
    uint64_t deadline; /* of the running request (0: none) */
    zend_string *header_out;
    int64_t busy;      /* the coroutine using the client, 0 when none */
    zend_object std;
} client_t;

static zend_class_entry *client_ce, *frame_ce, *close_frame_ce;
static zend_object_handlers client_handlers;

static client_t *client_from(zend_object *o)
{
    return (client_t *)((char *)o - XtOffsetOf(client_t, std));
}
#define THIS() client_from(Z_OBJ_P(ZEND_THIS))
#define PROP(c, n) OBJ_PROP_NUM(&(c)->std, n)

static void prop_set(client_t *c, int n, zval *v)
{
    zval *p = PROP(c, n);
    zval old;
    ZVAL_COPY_VALUE(&old, p);
    ZVAL_COPY_VALUE(p, v);
    zval_ptr_dtor(&old);
}
static void prop_long(client_t *c, int n, zend_long l)
{
    zval v;
    ZVAL_LONG(&v, l);
    prop_set(c, n, &v);
}
static void prop_bool(client_t *c, int n, bool b)
{
    zval v;
    ZVAL_BOOL(&v, b);
    prop_set(c, n, &v);
}
static void prop_null(client_t *c, int n)
{
    zval v;
    ZVAL_NULL(&v);
    prop_set(c, n, &v);
}
static void prop_str(client_t *c, int n, zend_string *s)
{
    zval v;
    ZVAL_STR(&v, s);
    prop_set(c, n, &v);
}

/* errCode and errMsg (errMsg formatted when fmt, else strerror(code)). */
static void set_error(client_t *c, int code, const char *fmt, ...) ZEND_ATTRIBUTE_FORMAT(printf, 3, 4);
static void set_error(client_t *c, int code, const char *fmt, ...)
{
    prop_long(c, P_ERRCODE, code);
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        prop_str(c, P_ERRMSG, zend_vstrpprintf(0, fmt, ap));
        va_end(ap);
    } else {
        prop_str(c, P_ERRMSG, zend_string_init(strerror(code), strlen(strerror(code)), 0));
    }
}

/* ---- the object ---- */

static zend_object *client_create(zend_class_entry *ce)
{
    client_t *c = zend_object_alloc(sizeof(client_t), ce);
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
static void drop(client_t *c)
{
    if (Z_TYPE(c->stream) == IS_RESOURCE)
        zval_ptr_dtor(&c->stream); /* the only reference: the stream closes */
    ZVAL_UNDEF(&c->stream);
    c->s = NULL;
    c->reused = c->websocket = c->ws_closing = false;
    c->off = c->len = 0;
    prop_bool(c, P_CONNECTED, false);
}

static void client_free(zend_object *o)
{
    client_t *c = client_from(o);
    /* At request end the stream may be closed already (PHP closes resources first); the
     * reference is then only released. */
    if (Z_TYPE(c->stream) == IS_RESOURCE)
        zval_ptr_dtor(&c->stream);
    ZVAL_UNDEF(&c->stream);
    if (c->buf)
        efree(c->buf);
    if (c->header_out)
        zend_string_release(c->header_out);
    zend_object_std_dtor(o);
}

/* Whether the running coroutine may use the client now: a coroutine that can suspend,
 * and no other coroutine in the middle of a call on it. Throws otherwise. */
static bool enter(client_t *c, const char *method)
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
static void leave(client_t *c)
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
    client_t *c = THIS();
    prop_str(c, P_HOST, zend_string_copy(host));
    prop_long(c, P_PORT, port ? port : (ssl ? 443 : 80));
    prop_bool(c, P_SSL, ssl);
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
    client_t *c = THIS();
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
    prop_set(c, P_SETTING, &merged);
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
    prop_str(THIS(), P_METHOD, zend_string_toupper(m));
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
    prop_set(THIS(), P_REQ_HEADERS, &a);
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Coroutine_Http_Client, setBasicAuth)
{
    zend_string *user, *pass;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(user)
        Z_PARAM_STR(pass)
    ZEND_PARSE_PARAMETERS_END();
    client_t *c = THIS();
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
    prop_set(c, P_REQ_HEADERS, &a);
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
    prop_set(THIS(), P_COOKIES, &a);
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
    prop_set(THIS(), P_REQ_BODY, &v);
    RETURN_TRUE;
}

/* Appends an entry to uploadFiles: path or content, form name, type, file name, range. */
static void add_upload(client_t *c, const char *what, zend_string *src, zend_string *name,
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
    prop_set(c, P_UPLOAD_FILES, &a);
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
static int64_t op_timeout(const client_t *c, int64_t op_ns)
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
static bool do_connect(client_t *c)
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
            prop_long(c, P_STATUS, STATUS_CONNECT_FAILED);
            if (!err)
                err = errstr && strstr(ZSTR_VAL(errstr), "timed out") ? ETIMEDOUT : ECONNREFUSED;
            set_error(c, err, "%s", errstr ? ZSTR_VAL(errstr) : strerror(err));
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
    prop_bool(c, P_CONNECTED, true);
    return true;
}

/* Writes all of p[0..n): 0, or -ETIMEDOUT / -EPIPE (errors in errCode), TIDE_EKILLED when
 * an exception is pending. */
static int send_all(client_t *c, const char *p, size_t n)
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
static ssize_t fill(client_t *c, int64_t op_ns)
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

/* How a request ended, for execute(). */
typedef enum {
    RES_OK = 0,
    RES_CLOSED_IDLE, /* the connection closed before any byte of the response */
    RES_FAILED,      /* statusCode, errCode and errMsg are set */
    RES_EXCEPTION,   /* an exception is pending */
} result_t;

/* A failure from a read or the parser: the statusCode and error that say it. */
static result_t fail(client_t *c, long rc, const char *what)
{
    if (rc == TIDE_EKILLED || EG(exception))
        return RES_EXCEPTION;
    if (rc == -ETIMEDOUT) {
        prop_long(c, P_STATUS, STATUS_TIMEOUT);
        set_error(c, ETIMEDOUT, "%s timed out", what);
    } else if (rc == TIDE_ETOOBIG) {
        prop_long(c, P_STATUS, STATUS_SERVER_RESET);
        set_error(c, EMSGSIZE, "%s is over %s (%zu bytes)", what,
                  strstr(what, "head") ? "http_max_header_size" : "http_max_body_size",
                  strstr(what, "head") ? c->max_header : c->max_body);
    } else if (rc == TIDE_EPROTO) {
        prop_long(c, P_STATUS, STATUS_SERVER_RESET);
        set_error(c, EPROTO, "the server sent a malformed %s", what);
    } else if (rc == -EIO) {
        prop_long(c, P_STATUS, STATUS_SERVER_RESET);
        set_error(c, EIO, "writing the download file failed");
    } else {
        prop_long(c, P_STATUS, STATUS_SERVER_RESET);
        set_error(c, ECONNRESET, "the server closed the connection before the end of the %s", what);
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
static void take_head(client_t *c, const char *p, const tide_http1_response_t *r)
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
    prop_set(c, P_HEADERS, &headers);
    prop_set(c, P_SET_COOKIE_HEADERS, &set_cookie);
    prop_set(c, P_COOKIES, &cookies);
    prop_long(c, P_STATUS, r->status);
}

/*
 * Reads one response (interim 1xx ones skipped) into the properties, the body into
 * memory or `file`. *keep: the connection may carry the next request.
 */
static result_t read_response(client_t *c, bool head_request, php_stream *file, bool *keep,
                              tide_http1_response_t *r)
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
        ssize_t n = fill(c, c->read_ns);
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
            if (left && (rc = fill(c, c->read_ns)) <= 0) {
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
            if ((rc = fill(c, c->read_ns)) <= 0) {
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
            if ((rc = fill(c, c->read_ns)) <= 0)
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
        prop_str(c, P_BODY, b.mem.s ? smart_str_extract(&b.mem) : ZSTR_EMPTY_ALLOC());
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
static zend_string *build_request(client_t *c, zend_string *path, const char *ws_key,
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
static void reset_request(client_t *c)
{
    prop_null(c, P_METHOD);
    prop_null(c, P_REQ_BODY);
    prop_null(c, P_UPLOAD_FILES);
    prop_null(c, P_DOWNLOAD_FILE);
    prop_long(c, P_DOWNLOAD_OFFSET, 0);
}

/*
 * One request and its response: connects (again once when a kept-alive connection turns
 * out closed by the server), sends, reads. ws_key: the upgrade of upgrade().
 */
static result_t request(client_t *c, zend_string *path, php_stream *file, zend_long range_from,
                        const char *ws_key, tide_http1_response_t *r)
{
    prop_long(c, P_STATUS, 0);
    prop_long(c, P_ERRCODE, 0);
    prop_str(c, P_ERRMSG, ZSTR_EMPTY_ALLOC());
    prop_null(c, P_HEADERS);
    prop_null(c, P_SET_COOKIE_HEADERS);
    prop_str(c, P_BODY, ZSTR_EMPTY_ALLOC());
    if (c->websocket) {
        prop_long(c, P_STATUS, STATUS_SEND_FAILED);
        set_error(c, EISCONN, "the connection is a WebSocket now: close() it first");
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
        set_error(c, ENOENT, "a file to upload cannot be read");
        return RES_FAILED;
    }
    c->deadline = c->total_ns > 0 ? tide_time_ns() + (uint64_t)c->total_ns : 0;
    result_t res = RES_FAILED;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (!c->s && !do_connect(c)) {
            res = EG(exception) ? RES_EXCEPTION : RES_FAILED;
            break;
        }
        bool fresh = !c->reused;
        int rc = send_all(c, ZSTR_VAL(req), ZSTR_LEN(req));
        if (rc == TIDE_EKILLED) {
            res = RES_EXCEPTION;
            break;
        }
        if (rc < 0) {
            drop(c);
            if (!fresh && rc != -ETIMEDOUT)
                continue;
            prop_long(c, P_STATUS, rc == -ETIMEDOUT ? STATUS_TIMEOUT : STATUS_SEND_FAILED);
            set_error(c, -rc, rc == -ETIMEDOUT ? "sending the request timed out" : "sending the request failed");
            break;
        }
        bool keep = false;
        res = read_response(c, head_request, file, &keep, r);
        if (res == RES_CLOSED_IDLE && !fresh) {
            drop(c);
            continue;
        }
        if (res == RES_CLOSED_IDLE)
            res = fail(c, 0, "response head");
        if (res != RES_OK || !keep || !c->keep_alive)
            drop(c);
        else
            c->reused = true;
        break;
    }
    c->deadline = 0;
    zend_string_release(req);
    if (res == RES_EXCEPTION)
        drop(c); /* killed mid-request: what is left on the connection is not a response */
    return res;
}

static void do_execute(zval *return_value, client_t *c, zend_string *path,
                       const char *method)
{
    if (!enter(c, method))
        RETURN_THROWS();
    php_stream *file = NULL;
    zval *df = PROP(c, P_DOWNLOAD_FILE);
    zend_long offset = Z_LVAL_P(PROP(c, P_DOWNLOAD_OFFSET));
    if (Z_TYPE_P(df) == IS_STRING) {
        file = php_stream_open_wrapper(Z_STRVAL_P(df), offset > 0 ? "cb" : "wb", REPORT_ERRORS, NULL);
        if (!file) {
            set_error(c, EACCES, "cannot open the download file \"%s\"", Z_STRVAL_P(df));
            reset_request(c);
            leave(c);
            RETURN_FALSE;
        }
        if (offset > 0)
            php_stream_seek(file, offset, SEEK_SET);
    }
    tide_http1_response_t *r = emalloc(sizeof(*r));
    result_t res = request(c, path, file, file ? offset : 0, NULL, r);
    efree(r);
    if (file)
        php_stream_close(file);
    reset_request(c);
    leave(c);
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
    client_t *c = THIS();
    if (Z_TYPE_P(PROP(c, P_METHOD)) != IS_STRING)
        prop_str(c, P_METHOD, zend_string_init("GET", 3, 0));
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
    client_t *c = THIS();
    zval v;
    if (Z_TYPE_P(data) == IS_ARRAY) {
        ZVAL_COPY(&v, data);
    } else {
        zend_string *s = zval_try_get_string(data);
        if (!s)
            RETURN_THROWS();
        ZVAL_STR(&v, s);
    }
    prop_set(c, P_REQ_BODY, &v);
    prop_str(c, P_METHOD, zend_string_init("POST", 4, 0));
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
    client_t *c = THIS();
    prop_str(c, P_DOWNLOAD_FILE, zend_string_copy(file));
    prop_long(c, P_DOWNLOAD_OFFSET, offset);
    if (Z_TYPE_P(PROP(c, P_METHOD)) != IS_STRING)
        prop_str(c, P_METHOD, zend_string_init("GET", 3, 0));
    do_execute(return_value, c, path, "download");
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
    client_t *c = THIS();
    if (!c->header_out)
        RETURN_FALSE;
    RETURN_STR_COPY(c->header_out);
}

static void sock_name(INTERNAL_FUNCTION_PARAMETERS, bool peer)
{
    ZEND_PARSE_PARAMETERS_NONE();
    client_t *c = THIS();
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

/* ---- WebSocket ---- */

ZEND_METHOD(Tide_Coroutine_Http_Client, upgrade)
{
    zend_string *path;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(path)
    ZEND_PARSE_PARAMETERS_END();
    client_t *c = THIS();
    if (!enter(c, "upgrade"))
        RETURN_THROWS();
    unsigned char raw[16];
    if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
        memset(raw, 0x3c, sizeof(raw));
    zend_string *key = php_base64_encode(raw, sizeof(raw));
    prop_str(c, P_METHOD, zend_string_init("GET", 3, 0));
    prop_null(c, P_REQ_BODY);
    prop_null(c, P_UPLOAD_FILES);
    tide_http1_response_t *r = emalloc(sizeof(*r));
    result_t res = request(c, path, NULL, 0, ZSTR_VAL(key), r);
    reset_request(c);
    if (res == RES_OK) {
        char want[29];
        tide_ws_accept(ZSTR_VAL(key), ZSTR_LEN(key), want);
        zval *h = PROP(c, P_HEADERS), *acc = NULL;
        if (Z_TYPE_P(h) == IS_ARRAY)
            acc = zend_hash_str_find(Z_ARRVAL_P(h), "sec-websocket-accept", 20);
        if (Z_LVAL_P(PROP(c, P_STATUS)) != 101 || !c->s) {
            set_error(c, EPROTO, "the server did not accept the WebSocket upgrade (status " ZEND_LONG_FMT ")",
                      Z_LVAL_P(PROP(c, P_STATUS)));
            drop(c);
            res = RES_FAILED;
        } else if (!acc || Z_TYPE_P(acc) != IS_STRING || strcmp(Z_STRVAL_P(acc), want)) {
            set_error(c, EPROTO, "the server's Sec-WebSocket-Accept does not match the key");
            drop(c);
            res = RES_FAILED;
        } else {
            c->websocket = true;
        }
    }
    efree(r);
    zend_string_release(key);
    leave(c);
    if (res == RES_EXCEPTION)
        RETURN_THROWS();
    RETURN_BOOL(res == RES_OK);
}

/* Sends one frame: 0, or a negative code (errCode set). */
static int ws_send(client_t *c, uint8_t first, const char *p, size_t n)
{
    uint8_t key[4], *k = NULL;
    if (c->ws_mask) {
        if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key))
            memset(key, 0x5a, sizeof(key));
        k = key;
    }
    char head[TIDE_WS_HEAD_MAX];
    size_t hl = tide_ws_frame_head(head, first, n, k);
    zend_string *f = zend_string_alloc(hl + n, 0);
    memcpy(ZSTR_VAL(f), head, hl);
    memcpy(ZSTR_VAL(f) + hl, p, n);
    ZSTR_VAL(f)[hl + n] = 0;
    if (k)
        tide_ws_mask(ZSTR_VAL(f) + hl, n, k, 0);
    c->deadline = 0;
    int rc = send_all(c, ZSTR_VAL(f), ZSTR_LEN(f));
    zend_string_release(f);
    if (rc < 0 && rc != TIDE_EKILLED) {
        set_error(c, -rc, NULL);
        drop(c);
    }
    return rc;
}

static bool ws_ready(client_t *c)
{
    if (c->websocket && c->s)
        return true;
    set_error(c, ENOTCONN, "the client is not connected by WebSocket: call upgrade() first");
    return false;
}

static bool opcode_ok(zend_long op)
{
    return op == TIDE_WS_CONTINUATION || op == TIDE_WS_TEXT || op == TIDE_WS_BINARY ||
           op == TIDE_WS_CLOSE || op == TIDE_WS_PING || op == TIDE_WS_PONG;
}

ZEND_METHOD(Tide_Coroutine_Http_Client, push)
{
    zval *data;
    zend_long opcode = TIDE_WS_TEXT, flags = TIDE_WS_FLAG_FIN;
    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_ZVAL(data)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(opcode)
        Z_PARAM_LONG(flags)
    ZEND_PARSE_PARAMETERS_END();
    client_t *c = THIS();
    zend_string *s;
    if (Z_TYPE_P(data) == IS_OBJECT && instanceof_function(Z_OBJCE_P(data), frame_ce)) {
        zend_object *o = Z_OBJ_P(data);
        zval rv, *d = zend_read_property(frame_ce, o, "data", 4, 1, &rv);
        zval *op = zend_read_property(frame_ce, o, "opcode", 6, 1, &rv);
        opcode = Z_TYPE_P(op) == IS_LONG ? Z_LVAL_P(op) : TIDE_WS_TEXT;
        zval *fl = zend_read_property(frame_ce, o, "flags", 5, 1, &rv);
        flags = Z_TYPE_P(fl) == IS_LONG ? Z_LVAL_P(fl) : TIDE_WS_FLAG_FIN;
        s = zval_get_string(d);
    } else if (!(s = zval_try_get_string(data))) {
        RETURN_THROWS();
    }
    if (!opcode_ok(opcode)) {
        zend_string_release(s);
        zend_argument_value_error(2, "must be a WebSocket opcode, " ZEND_LONG_FMT " given", opcode);
        RETURN_THROWS();
    }
    if (flags & TIDE_WS_FLAG_COMPRESS) {
        zend_string_release(s);
        zend_argument_value_error(3, "asks for compression, which this client does not do");
        RETURN_THROWS();
    }
    if ((opcode & 8) && (ZSTR_LEN(s) > 125 || !(flags & TIDE_WS_FLAG_FIN))) {
        zend_string_release(s);
        zend_argument_value_error(1, "is a control frame: at most 125 bytes, with FLAG_FIN");
        RETURN_THROWS();
    }
    if (!enter(c, "push")) {
        zend_string_release(s);
        RETURN_THROWS();
    }
    bool ok = ws_ready(c);
    int rc = 0;
    if (ok) {
        uint8_t first = (uint8_t)opcode | ((flags & TIDE_WS_FLAG_FIN) ? 0x80 : 0) |
                        ((flags & TIDE_WS_FLAG_RSV1) ? 0x40 : 0) |
                        ((flags & TIDE_WS_FLAG_RSV2) ? 0x20 : 0) |
                        ((flags & TIDE_WS_FLAG_RSV3) ? 0x10 : 0);
        rc = ws_send(c, first, ZSTR_VAL(s), ZSTR_LEN(s));
        if (opcode == TIDE_WS_CLOSE && rc == 0)
            c->ws_closing = true;
        ok = rc == 0;
    }
    zend_string_release(s);
    leave(c);
    if (rc == TIDE_EKILLED)
        RETURN_THROWS();
    RETURN_BOOL(ok);
}

ZEND_METHOD(Tide_Coroutine_Http_Client, ping)
{
    zend_string *data = ZSTR_EMPTY_ALLOC();
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();
    if (ZSTR_LEN(data) > 125) {
        zend_argument_value_error(1, "must be at most 125 bytes");
        RETURN_THROWS();
    }
    client_t *c = THIS();
    if (!enter(c, "ping"))
        RETURN_THROWS();
    int rc = ws_ready(c) ? ws_send(c, 0x80 | TIDE_WS_PING, ZSTR_VAL(data), ZSTR_LEN(data)) : -ENOTCONN;
    leave(c);
    if (rc == TIDE_EKILLED)
        RETURN_THROWS();
    RETURN_BOOL(rc == 0);
}

/* A Frame (or CloseFrame) object for a message. */
static void frame_new(zval *out, uint8_t opcode, bool fin, const char *p, size_t n)
{
    object_init_ex(out, opcode == TIDE_WS_CLOSE ? close_frame_ce : frame_ce);
    zend_object *o = Z_OBJ_P(out);
    zend_update_property_long(frame_ce, o, "opcode", 6, opcode);
    zend_update_property_long(frame_ce, o, "flags", 5, fin ? TIDE_WS_FLAG_FIN : 0);
    zend_update_property_bool(frame_ce, o, "finish", 6, fin);
    if (opcode == TIDE_WS_CLOSE) {
        zend_update_property_long(close_frame_ce, o, "code", 4,
                                  n >= 2 ? ((uint8_t)p[0] << 8 | (uint8_t)p[1]) : TIDE_WS_CLOSE_NO_STATUS);
        if (n > 2) {
            zend_update_property_stringl(close_frame_ce, o, "reason", 6, p + 2, n - 2);
            zend_update_property_stringl(frame_ce, o, "data", 4, p + 2, n - 2);
        }
        return;
    }
    zend_update_property_stringl(frame_ce, o, "data", 4, p, n);
}

/*
 * Reads the next message: data frames put together (up to http_max_body_size), ping
 * answered with pong, pong and close handed out. 0 with *out set, or a negative code.
 */
static int ws_read(client_t *c, int64_t timeout_ns, zval *out)
{
    smart_str msg = {0};
    uint8_t msg_op = 0;
    for (;;) {
        tide_ws_frame_t f;
        long h = tide_ws_parse_frame(c->buf + c->off, c->len - c->off, &f);
        if (h > 0 && f.len > c->max_body) {
            smart_str_free(&msg);
            return TIDE_ETOOBIG;
        }
        if (h < 0 || (h > 0 && (f.rsv || !opcode_ok(f.opcode) ||
                                ((f.opcode & 8) && (f.len > 125 || !f.fin))))) {
            smart_str_free(&msg);
            return TIDE_EPROTO;
        }
        if (h == 0 || c->len - c->off < (size_t)h + f.len) {
            ssize_t n = fill(c, timeout_ns);
            if (n <= 0) {
                smart_str_free(&msg);
                return n == 0 ? -ECONNRESET : (int)n;
            }
            continue;
        }
        char *p = c->buf + c->off + h;
        size_t n = (size_t)f.len;
        if (f.masked)
            tide_ws_mask(p, n, f.key, 0);
        c->off += (size_t)h + n;
        if (f.opcode == TIDE_WS_PING) {
            int rc = ws_send(c, 0x80 | TIDE_WS_PONG, p, n);
            if (rc < 0) {
                smart_str_free(&msg);
                return rc;
            }
            continue;
        }
        if (f.opcode & 8) { /* pong, close */
            frame_new(out, f.opcode, true, p, n);
            if (f.opcode == TIDE_WS_CLOSE) {
                if (!c->ws_closing)
                    ws_send(c, 0x80 | TIDE_WS_CLOSE, p, n >= 2 ? 2 : 0);
                drop(c);
            }
            smart_str_free(&msg);
            return 0;
        }
        if ((f.opcode == TIDE_WS_CONTINUATION) != (msg_op != 0)) {
            smart_str_free(&msg);
            return TIDE_EPROTO;
        }
        if (!msg_op)
            msg_op = f.opcode;
        if (n > c->max_body - (msg.s ? ZSTR_LEN(msg.s) : 0)) {
            smart_str_free(&msg);
            return TIDE_ETOOBIG;
        }
        smart_str_appendl(&msg, p, n);
        if (f.fin) {
            frame_new(out, msg_op, true, msg.s ? ZSTR_VAL(msg.s) : "", msg.s ? ZSTR_LEN(msg.s) : 0);
            smart_str_free(&msg);
            return 0;
        }
    }
}

ZEND_METHOD(Tide_Coroutine_Http_Client, recv)
{
    double timeout = 0;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    client_t *c = THIS();
    if (!enter(c, "recv"))
        RETURN_THROWS();
    if (!ws_ready(c)) {
        leave(c);
        RETURN_FALSE;
    }
    /* 0: the read_timeout setting; below 0: none */
    int64_t ns = timeout == 0 ? c->read_ns : timeout < 0 ? -1 : (int64_t)(timeout * NS_PER_S);
    c->deadline = 0;
    int rc = ws_read(c, ns, return_value);
    leave(c);
    if (rc == TIDE_EKILLED || EG(exception)) {
        zval_ptr_dtor(return_value);
        ZVAL_UNDEF(return_value);
        RETURN_THROWS();
    }
    if (rc < 0) {
        if (rc == -ETIMEDOUT) {
            set_error(c, ETIMEDOUT, "recv() timed out");
        } else {
            if (rc == TIDE_ETOOBIG)
                set_error(c, EMSGSIZE, "a WebSocket message is over http_max_body_size (%zu bytes)", c->max_body);
            else if (rc == TIDE_EPROTO)
                set_error(c, EPROTO, "the server sent a malformed WebSocket frame");
            else
                set_error(c, ECONNRESET, "the server closed the connection");
            drop(c);
        }
        RETURN_FALSE;
    }
}

ZEND_METHOD(Tide_Coroutine_Http_Client, disconnect)
{
    zend_long code = TIDE_WS_CLOSE_NORMAL;
    zend_string *reason = ZSTR_EMPTY_ALLOC();
    ZEND_PARSE_PARAMETERS_START(0, 2)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(code)
        Z_PARAM_STR(reason)
    ZEND_PARSE_PARAMETERS_END();
    if (code > 65535 || !tide_ws_close_code_valid((unsigned)code)) {
        zend_argument_value_error(1, "must be a close code that may be sent (1000-1003, 1007-1014, 3000-4999)");
        RETURN_THROWS();
    }
    if (ZSTR_LEN(reason) > 123) {
        zend_argument_value_error(2, "must be at most 123 bytes");
        RETURN_THROWS();
    }
    client_t *c = THIS();
    if (!enter(c, "disconnect"))
        RETURN_THROWS();
    int rc = -ENOTCONN;
    if (ws_ready(c)) {
        char p[125];
        p[0] = (char)(code >> 8);
        p[1] = (char)code;
        memcpy(p + 2, ZSTR_VAL(reason), ZSTR_LEN(reason));
        rc = ws_send(c, 0x80 | TIDE_WS_CLOSE, p, 2 + ZSTR_LEN(reason));
        if (rc != TIDE_EKILLED)
            drop(c);
    }
    leave(c);
    if (rc == TIDE_EKILLED)
        RETURN_THROWS();
    RETURN_BOOL(rc == 0);
}

ZEND_METHOD(Tide_Coroutine_Http_Client, close)
{
    ZEND_PARSE_PARAMETERS_NONE();
    client_t *c = THIS();
    if (c->busy) {
        php_tide_throw(0, "Tide\\Coroutine\\Http\\Client::close(): the client is in use by "
                          "coroutine #%lld", (long long)c->busy);
        RETURN_THROWS();
    }
    bool was = c->s != NULL;
    drop(c);
    RETURN_BOOL(was);
}

void php_tide_http_client_minit(void)
{
    client_ce = register_class_Tide_Coroutine_Http_Client();
    client_ce->create_object = client_create;
    memcpy(&client_handlers, zend_get_std_object_handlers(), sizeof(client_handlers));
    client_handlers.offset = XtOffsetOf(client_t, std);
    client_handlers.free_obj = client_free;
    client_handlers.clone_obj = NULL;
    frame_ce = zend_hash_str_find_ptr(CG(class_table), "tide\\websocket\\frame",
                                      sizeof("tide\\websocket\\frame") - 1);
    close_frame_ce = zend_hash_str_find_ptr(CG(class_table), "tide\\websocket\\closeframe",
                                            sizeof("tide\\websocket\\closeframe") - 1);
}

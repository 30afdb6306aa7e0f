/* SPDX-License-Identifier: MIT */
/*
 * Tide\Coroutine\Http\Server (Swoole's Swoole\Coroutine\Http\Server): an HTTP/1.1 server
 * inside the coroutines of one process, without the server engine. start() accepts in the
 * calling coroutine and serves each connection in a coroutine of its own; the bytes go
 * through the engine's own request protocol (tide_proto_http1, driven here instead of by
 * the engine: the same limits, the same 400/413/431 answers), and each request is handed to
 * the handler of the longest pattern that starts its path as the usual Tide\Http\Request
 * and Tide\Http\Response, the response bound to the connection through a sink.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "php.h"
#include "php_tide_http.h"
#include "ext/standard/php_array.h"
#include "zend_exceptions.h"

#include "../../php_stubs/tide_coserver_arginfo.h"

zend_class_entry *php_tide_coserver_ce;
static zend_object_handlers coserver_handlers;

#define READ_CHUNK 16384

typedef struct route {
    zend_string *pattern;
    php_tide_cb_t cb;
} route_t;

/* The server object. Its connections point at it; each connection's coroutine holds a
 * reference to the object (its callable), so it outlives them. */
typedef struct coserver {
    int fd; /* the listening socket, -1 once closed */
    int port;
    bool running;  /* start() is accepting */
    bool stopping; /* shutdown() was called */
    php_tide_http_opts_t http; /* what set() chose: parsing, compression, wire limits */
    uint64_t idle_ns; /* heartbeat_idle_time: a connection that sends nothing this long while
                       * a request is awaited or read is closed (0: never) */
    route_t *routes; /* handle()'s patterns, in no order */
    uint32_t nroutes, cap;
    HashTable conns; /* fd -> coconn_t *: the connections being served (owned by their coroutines) */
    zend_object std;
} coserver_t;

/* One connection: made by start() when accepted, then owned by its coroutine (onAccept),
 * which frees it when the connection ends. */
typedef struct coconn {
    coserver_t *srv;
    int fd;
    bool started;    /* its coroutine took it */
    bool in_handler; /* a request handler runs for it */
    bool closing;    /* no more requests: it closes once the response is out */
    bool broken;     /* a send failed: nothing more goes out */
    int rport;
    char ip[INET6_ADDRSTRLEN];
    smart_str replies; /* what the protocol answers itself (100 Continue, a 400), not sent yet */
    tide_http1_conn_t st;
    /* After Response::upgrade(): the WebSocket end the handler reads and writes frames
     * through, and the bytes received for it, wbuf[woff..wlen). */
    bool websocket;
    php_tide_ws_peer_t peer;
    char *wbuf;
    size_t woff, wlen, wcap;
} coconn_t;

static coserver_t *coserver_from(zend_object *obj)
{
    return (coserver_t *)((char *)obj - XtOffsetOf(coserver_t, std));
}

#define THIS_SERVER() coserver_from(Z_OBJ_P(ZEND_THIS))

static zend_object *coserver_create(zend_class_entry *ce)
{
    coserver_t *s = zend_object_alloc(sizeof(coserver_t), ce);
    zend_object_std_init(&s->std, ce);
    object_properties_init(&s->std, ce);
    s->std.handlers = &coserver_handlers;
    s->fd = -1;
    /* Tide\Http\Server's defaults (server_settings.c), which are Swoole's */
    s->http.on = true;
    s->http.parse_post = true;
    s->http.parse_cookie = true;
    s->http.upload_max_filesize = 2 << 20;
    s->http.compression = true;
    s->http.compression_level = 1;
    s->http.compression_min_length = 20;
    s->http.static_root_fd = -1;
    s->http.wire.max_head = 16384;
    s->http.wire.max_body = 2 << 20;
    s->http.wire.head_timeout_ns = 60 * 1000000000ULL;
    zend_hash_init(&s->conns, 8, NULL, NULL, 0);
    return &s->std;
}

static void close_listener(coserver_t *s)
{
    if (s->fd < 0)
        return;
    php_tide_forget_fd(s->fd);
    close(s->fd);
    s->fd = -1;
}

static void coserver_free(zend_object *obj)
{
    coserver_t *s = coserver_from(obj);
    close_listener(s);
    for (uint32_t i = 0; i < s->nroutes; i++) {
        zend_string_release(s->routes[i].pattern);
        zval_ptr_dtor(&s->routes[i].cb.fn);
    }
    if (s->routes)
        efree(s->routes);
    /* Connections accepted whose coroutine never started (the others hold this object). */
    coconn_t *c;
    ZEND_HASH_FOREACH_PTR(&s->conns, c) {
        if (!c->started) {
            close(c->fd);
            efree(c);
        }
    } ZEND_HASH_FOREACH_END();
    zend_hash_destroy(&s->conns);
    zend_object_std_dtor(obj);
}

static HashTable *coserver_gc(zend_object *obj, zval **table, int *n)
{
    coserver_t *s = coserver_from(obj);
    zend_get_gc_buffer *buf = zend_get_gc_buffer_create();
    for (uint32_t i = 0; i < s->nroutes; i++)
        zend_get_gc_buffer_add_zval(buf, &s->routes[i].cb.fn);
    zend_get_gc_buffer_use(buf, table, n);
    return zend_std_get_properties(obj);
}

static void set_error(coserver_t *s, int err)
{
    zend_update_property_long(php_tide_coserver_ce, &s->std, ZEND_STRL("errCode"), err);
    zend_update_property_string(php_tide_coserver_ce, &s->std, ZEND_STRL("errMsg"),
                                strerror(err));
}

/* ---- __construct: listen at once ---- */

ZEND_METHOD(Tide_Coroutine_Http_Server, __construct)
{
    zend_string *host;
    zend_long port = 0;
    bool ssl = false, reuse_port = false;
    ZEND_PARSE_PARAMETERS_START(1, 4)
        Z_PARAM_STR(host)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(port)
        Z_PARAM_BOOL(ssl)
        Z_PARAM_BOOL(reuse_port)
    ZEND_PARSE_PARAMETERS_END();
    TIDE_UNUSED(return_value);
    coserver_t *s = THIS_SERVER();
    if (!ZSTR_LEN(host)) {
        zend_argument_value_error(1, "must not be empty");
        RETURN_THROWS();
    }
    if (port < 0 || port > 65535) {
        zend_argument_value_error(2, "must be between 0 and 65535");
        RETURN_THROWS();
    }
    if (ssl) {
        php_tide_throw(-EPROTONOSUPPORT, "Tide\\Coroutine\\Http\\Server: TLS (ssl) is not "
                                         "supported yet");
        RETURN_THROWS();
    }
    if (s->fd >= 0) {
        zend_throw_error(NULL, "Tide\\Coroutine\\Http\\Server::__construct() called twice");
        RETURN_THROWS();
    }
    zend_update_property_str(php_tide_coserver_ce, &s->std, ZEND_STRL("host"), host);
    struct addrinfo hints = {.ai_flags = AI_PASSIVE | AI_NUMERICSERV, .ai_socktype = SOCK_STREAM};
    struct addrinfo *ai = NULL;
    char service[8];
    snprintf(service, sizeof(service), "%d", (int)port);
    int gai = getaddrinfo(ZSTR_VAL(host), service, &hints, &ai);
    if (gai != 0) {
        zend_update_property_long(php_tide_coserver_ce, &s->std, ZEND_STRL("errCode"), EINVAL);
        zend_update_property_string(php_tide_coserver_ce, &s->std, ZEND_STRL("errMsg"),
                                    gai_strerror(gai));
        php_tide_throw(-EINVAL, "bind(%s:%d) failed: %s", ZSTR_VAL(host), (int)port,
                       gai_strerror(gai));
        RETURN_THROWS();
    }
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1, err = 0;
    const char *step = "socket()";
    if (fd < 0) {
        err = errno;
    } else {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (reuse_port && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0) {
            err = errno;
            step = "setsockopt(SO_REUSEPORT)";
        } else if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
            err = errno;
            step = "bind()";
        } else if (listen(fd, 512) < 0) {
            err = errno;
            step = "listen()";
        }
    }
    freeaddrinfo(ai);
    if (err) {
        if (fd >= 0)
            close(fd);
        set_error(s, err);
        php_tide_throw(-err, "%s on %s:%d failed: %s", step, ZSTR_VAL(host), (int)port,
                       strerror(err));
        RETURN_THROWS();
    }
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    s->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                             : ((struct sockaddr_in *)&ss)->sin_port);
    s->fd = fd;
    zend_update_property_long(php_tide_coserver_ce, &s->std, ZEND_STRL("fd"), fd);
    zend_update_property_long(php_tide_coserver_ce, &s->std, ZEND_STRL("port"), s->port);
}

/* ---- set() ---- */

static bool setting_size(zend_string *key, zval *v, zend_long min, zend_long max, zend_long *out)
{
    if (!php_tide_parse_size(v, out, 0, ZSTR_VAL(key)))
        return false;
    if (*out < min || *out > max) {
        zend_value_error("Setting '%s' must be between " ZEND_LONG_FMT " and " ZEND_LONG_FMT
                         ", " ZEND_LONG_FMT " given", ZSTR_VAL(key), min, max, *out);
        return false;
    }
    return true;
}

/* A number of seconds from 0 (none) to max: false with a ValueError naming key. */
static bool setting_seconds(zend_string *key, zval *v, double max, uint64_t *ns)
{
    double t = -1;
    if (Z_TYPE_P(v) == IS_LONG || Z_TYPE_P(v) == IS_DOUBLE ||
        (Z_TYPE_P(v) == IS_STRING && is_numeric_string(Z_STRVAL_P(v), Z_STRLEN_P(v), NULL, NULL, 0)))
        t = zval_get_double(v);
    if (!(t >= 0 && t <= max)) {
        zend_value_error("Setting '%s' must be between 0 (none) and %.0f seconds", ZSTR_VAL(key), max);
        return false;
    }
    *ns = (uint64_t)(t * 1e9);
    return true;
}

ZEND_METHOD(Tide_Coroutine_Http_Server, set)
{
    HashTable *ht;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(ht)
    ZEND_PARSE_PARAMETERS_END();
    coserver_t *s = THIS_SERVER();
    /* Checked whole first: a refused call changes nothing. */
    php_tide_http_opts_t o = s->http;
    uint64_t idle_ns = s->idle_ns;
    zend_string *key;
    zval *v;
    ZEND_HASH_FOREACH_STR_KEY_VAL(ht, key, v) {
        zend_long n = 0;
        if (!key) {
            zend_argument_value_error(1, "must have string keys (setting names)");
            RETURN_THROWS();
        }
        if (zend_string_equals_literal(key, "http_parse_post")) {
            o.parse_post = zend_is_true(v);
        } else if (zend_string_equals_literal(key, "http_parse_cookie")) {
            o.parse_cookie = zend_is_true(v);
        } else if (zend_string_equals_literal(key, "http_compression")) {
            o.compression = zend_is_true(v);
        } else if (zend_string_equals_literal(key, "http_compression_level")) {
            if (!setting_size(key, v, 1, 9, &n))
                RETURN_THROWS();
            o.compression_level = (int)n;
        } else if (zend_string_equals_literal(key, "http_compression_min_length") ||
                   zend_string_equals_literal(key, "compression_min_length")) {
            if (!setting_size(key, v, 0, INT32_MAX, &n))
                RETURN_THROWS();
            o.compression_min_length = (size_t)n;
        } else if (zend_string_equals_literal(key, "package_max_length")) {
            if (!setting_size(key, v, 1, (zend_long)1 << 30, &n))
                RETURN_THROWS();
            o.wire.max_body = (size_t)n;
        } else if (zend_string_equals_literal(key, "http_max_header_size")) {
            if (!setting_size(key, v, 1024, 1 << 20, &n))
                RETURN_THROWS();
            o.wire.max_head = (size_t)n;
        } else if (zend_string_equals_literal(key, "http_header_timeout")) {
            if (!setting_seconds(key, v, 86400, &o.wire.head_timeout_ns))
                RETURN_THROWS();
        } else if (zend_string_equals_literal(key, "heartbeat_idle_time")) {
            if (!setting_seconds(key, v, 86400 * 30, &idle_ns))
                RETURN_THROWS();
        } else if (zend_string_equals_literal(key, "upload_max_filesize")) {
            if (!setting_size(key, v, 0, (zend_long)1 << 30, &n))
                RETURN_THROWS();
            o.upload_max_filesize = (uint64_t)n;
        } else {
            zend_value_error("Unknown setting '%s' for Tide\\Coroutine\\Http\\Server (it takes "
                             "http_parse_post, http_parse_cookie, http_compression, "
                             "http_compression_level, http_compression_min_length, "
                             "package_max_length, http_max_header_size, http_header_timeout, "
                             "heartbeat_idle_time, upload_max_filesize)",
                             ZSTR_VAL(key));
            RETURN_THROWS();
        }
    } ZEND_HASH_FOREACH_END();
    s->http = o;
    s->idle_ns = idle_ns;
    /* $settings: what was set, merged (as Swoole keeps it) */
    zval *prop = zend_read_property(php_tide_coserver_ce, &s->std, ZEND_STRL("settings"), 1, NULL);
    zval merged;
    ZVAL_ARR(&merged, zend_array_dup(Z_ARRVAL_P(prop)));
    php_array_merge(Z_ARRVAL(merged), ht);
    zend_update_property(php_tide_coserver_ce, &s->std, ZEND_STRL("settings"), &merged);
    zval_ptr_dtor(&merged);
    RETURN_TRUE;
}

/* ---- handle() ---- */

ZEND_METHOD(Tide_Coroutine_Http_Server, handle)
{
    zend_string *pattern;
    zend_fcall_info fci;
    zend_fcall_info_cache fcc;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(pattern)
        Z_PARAM_FUNC(fci, fcc)
    ZEND_PARSE_PARAMETERS_END();
    if (!ZSTR_LEN(pattern)) {
        zend_argument_value_error(1, "must not be empty (use '/' for every path)");
        RETURN_THROWS();
    }
    coserver_t *s = THIS_SERVER();
    route_t *r = NULL;
    for (uint32_t i = 0; i < s->nroutes; i++) {
        if (zend_string_equals(s->routes[i].pattern, pattern)) {
            r = &s->routes[i];
            zval_ptr_dtor(&r->cb.fn); /* replaced, as Swoole does */
            break;
        }
    }
    if (!r) {
        if (s->nroutes == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 4;
            s->routes = erealloc(s->routes, s->cap * sizeof(route_t));
        }
        r = &s->routes[s->nroutes++];
        r->pattern = zend_string_copy(pattern);
    }
    ZVAL_COPY(&r->cb.fn, &fci.function_name);
    r->cb.fcc = fcc;
    RETURN_TRUE;
}

/* The route whose pattern is the longest prefix of the path (ASCII case ignored, as Swoole
 * compares), or NULL. */
static route_t *route_of(coserver_t *s, const char *path, size_t n)
{
    route_t *best = NULL;
    for (uint32_t i = 0; i < s->nroutes; i++) {
        route_t *r = &s->routes[i];
        size_t k = ZSTR_LEN(r->pattern);
        if (k <= n && strncasecmp(path, ZSTR_VAL(r->pattern), k) == 0 &&
            (!best || k > ZSTR_LEN(best->pattern)))
            best = r;
    }
    return best;
}

/* ---- a connection ---- */

static int conn_send(void *arg, const char *data, size_t len)
{
    coconn_t *c = arg;
    if (c->broken)
        return -EPIPE;
    while (len) {
        ssize_t n = send(c->fd, data, len, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) {
            data += n;
            len -= (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int rc = php_tide_wait_fd_ex(c->fd, true, -1,
                                         "Tide\\Http\\Response (the client to read)", false);
            if (rc < 0) {
                c->broken = true;
                return rc;
            }
            continue;
        }
        c->broken = true;
        return n < 0 ? -errno : -EPIPE;
    }
    return 0;
}

static void conn_close(void *arg)
{
    coconn_t *c = arg;
    c->closing = true;
    if (c->websocket)
        shutdown(c->fd, SHUT_RDWR); /* at once: the handler may go on without it */
}

/* ---- the connection after Response::upgrade() ---- */

/* Reads more of what the client sends into wbuf: the bytes read, 0 at the end of the
 * stream, -ETIMEDOUT, or what the wait returned (a kill: an exception pending). */
static ssize_t ws_fill(void *arg, int64_t timeout_ns)
{
    coconn_t *c = arg;
    if (c->woff == c->wlen) {
        c->woff = c->wlen = 0;
    } else if (c->woff && c->wcap - c->wlen < READ_CHUNK) {
        memmove(c->wbuf, c->wbuf + c->woff, c->wlen - c->woff);
        c->wlen -= c->woff;
        c->woff = 0;
    }
    /* At most one frame is held (its length was checked against max_len), and a read. */
    if (c->wcap - c->wlen < READ_CHUNK) {
        c->wcap = c->wcap ? c->wcap * 2 : 2 * READ_CHUNK;
        c->wbuf = erealloc(c->wbuf, c->wcap);
    }
    for (;;) {
        ssize_t n = recv(c->fd, c->wbuf + c->wlen, c->wcap - c->wlen, MSG_DONTWAIT);
        if (n > 0) {
            c->wlen += (size_t)n;
            return n;
        }
        if (n == 0)
            return 0;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return -errno;
        int rc = php_tide_wait_fd(c->fd, false, timeout_ns, "Tide\\Http\\Response::recv()");
        if (rc < 0)
            return rc;
    }
}

static void ws_done(void *arg)
{
    conn_close(arg);
}

static php_tide_ws_peer_t *conn_upgrade(void *arg)
{
    coconn_t *c = arg;
    if (c->broken)
        return NULL;
    size_t max = c->srv->http.wire.max_body ? c->srv->http.wire.max_body : 2 * 1024 * 1024;
    c->websocket = true;
    c->closing = true; /* no more requests: it closes once the handler returns */
    c->peer = (php_tide_ws_peer_t){
        .buf = &c->wbuf, .off = &c->woff, .len = &c->wlen,
        .fill = ws_fill, .send = conn_send, .done = ws_done, .ctx = c,
        .max_len = max, .fd = c->fd, .must_mask = true,
        .idle_ns = c->srv->idle_ns ? (int64_t)c->srv->idle_ns : -1,
    };
    return &c->peer;
}

static const php_tide_response_sink_t conn_sink = {conn_send, conn_close, conn_upgrade};

static void on_reply(void *ctx, const void *data, size_t len)
{
    coconn_t *c = ctx;
    smart_str_appendl(&c->replies, data, len);
}

static void flush_replies(coconn_t *c)
{
    if (!c->replies.s || !ZSTR_LEN(c->replies.s))
        return;
    conn_send(c, ZSTR_VAL(c->replies.s), ZSTR_LEN(c->replies.s));
    ZSTR_LEN(c->replies.s) = 0;
}

/* A path no pattern starts: 404, the connection kept as the request asks. */
static void not_found(coconn_t *c, const tide_http1_head_t *h, bool head)
{
    static const char body[] = "Not Found\n";
    char out[256];
    int n = snprintf(out, sizeof(out),
                     "HTTP/1.1 404 Not Found\r\nDate: %s\r\nContent-Type: text/plain; "
                     "charset=utf-8\r\nContent-Length: %zu\r\nConnection: %s\r\n\r\n%s",
                     php_tide_http_date_now(), sizeof(body) - 1,
                     h->keep_alive ? "keep-alive" : "close", head ? "" : body);
    conn_send(c, out, (size_t)n);
    if (!h->keep_alive)
        c->closing = true;
}

/* One whole request (the head, then the body): its handler runs here, in the connection's
 * coroutine, and its response is out before the next request is read. */
static int on_message(void *ctx, const char *data, size_t len)
{
    coconn_t *c = ctx;
    coserver_t *s = c->srv;
    flush_replies(c);
    tide_http1_head_t h;
    /* The protocol parsed and checked it already: this only finds the spans again. */
    if (tide_http1_parse_head(data, len, len, &h) <= 0) {
        c->closing = true;
        return TIDE_PROTO_STOP;
    }
    bool head = h.method.len == 4 && memcmp(data + h.method.off, "HEAD", 4) == 0;
    route_t *route = route_of(s, data + h.path.off, h.path.len);
    if (!route) {
        not_found(c, &h, head);
        return c->closing || s->stopping ? TIDE_PROTO_STOP : TIDE_PROTO_TAKEN;
    }
    zend_object *req = php_tide_request_new(&s->http, (uint64_t)c->fd, c->ip, c->rport, s->port,
                                            data, len, &h, -1, 0);
    zend_object *res = php_tide_response_new_sink(&conn_sink, c, (uint64_t)c->fd, h.keep_alive,
                                                  h.version == 10, head);
    php_tide_response_t *r = php_tide_response_from(res);
    if (php_tide_ws_is_upgrade(&h, data))
        php_tide_ws_prepare(r, &h, data, false); /* what upgrade() answers: 101, 400 or 426 */
    if (s->http.compression) {
        const tide_http1_header_t *ae = tide_http1_find(&h, data, "accept-encoding");
        r->coding = ae ? tide_accept_coding(data + ae->value.off, ae->value.len) : TIDE_CODING_NONE;
        r->level = s->http.compression_level;
        r->min_length = s->http.compression_min_length;
    }
    /* The callable is held for the call: the handler may replace its own route. */
    zval fn, retval, args[2];
    ZVAL_COPY(&fn, &route->cb.fn);
    zend_fcall_info_cache fcc = route->cb.fcc;
    ZVAL_OBJ(&args[0], req);
    ZVAL_OBJ(&args[1], res);
    zend_fcall_info fci = {
        .size = sizeof(fci), .retval = &retval, .params = args, .param_count = 2,
    };
    ZVAL_COPY_VALUE(&fci.function_name, &fn);
    ZVAL_UNDEF(&retval);
    c->in_handler = true;
    zend_call_function(&fci, &fcc);
    c->in_handler = false;
    zval_ptr_dtor(&retval);
    zval_ptr_dtor(&fn);
    if (EG(exception))
        c->closing = true; /* it goes up and ends this coroutine; the connection with it */
    else
        php_tide_response_finish(r);
    if (!r->keep_alive)
        c->closing = true;
    php_tide_response_unbind(r);
    php_tide_request_end(req);
    OBJ_RELEASE(req);
    OBJ_RELEASE(res);
    return c->closing || c->broken || s->stopping ? TIDE_PROTO_STOP : TIDE_PROTO_TAKEN;
}

/* Reads and answers requests until the connection ends. */
static void serve(coconn_t *c)
{
    coserver_t *s = c->srv;
    const tide_proto_t *proto = &tide_proto_http1;
    proto->init(&c->st, &s->http.wire);
    tide_proto_io_t io = {.message = on_message, .reply = on_reply, .ctx = c};
    char *buf = emalloc(READ_CHUNK);
    bool refused = false;
    uint64_t last_in = tide_time_ns(); /* when the client last sent something */
    while (!c->closing && !c->broken && !s->stopping) {
        ssize_t n = recv(c->fd, buf, READ_CHUNK, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            /* Part of a request held: its head's deadline (http_header_timeout) is checked
             * four times a second, as the engine checks it. */
            int64_t tick = proto->pending(&c->st) && s->http.wire.head_timeout_ns ? 250000000 : -1;
            uint64_t now = tide_time_ns();
            if (s->idle_ns) {
                if (now - last_in >= s->idle_ns)
                    break; /* heartbeat_idle_time: closed */
                int64_t left = (int64_t)(last_in + s->idle_ns - now);
                if (tick < 0 || left < tick)
                    tick = left;
            }
            int rc = php_tide_wait_fd(c->fd, false, tick, "Tide\\Coroutine\\Http\\Server (a request)");
            if (rc == -ETIMEDOUT) {
                io.now_ns = tide_time_ns();
                if (proto->expire(&c->st, &io)) {
                    flush_replies(c); /* 408 */
                    refused = true;
                    break;
                }
                continue;
            }
            if (rc < 0)
                break; /* killed or canceled */
            continue;
        }
        if (n <= 0)
            break; /* the client closed, or the connection failed */
        io.now_ns = last_in = tide_time_ns();
        int rc = proto->feed(&c->st, buf, (size_t)n, &io);
        if (s->idle_ns)
            last_in = tide_time_ns(); /* (the time in a handler is not idle time) */
        flush_replies(c);
        if (EG(exception))
            break;
        if (rc == TIDE_EPROTO || rc == TIDE_ETOOBIG) {
            refused = true;
            break;
        }
    }
    if (refused && !c->broken) {
        /* The refusal went out: the client gets it before the close, instead of a reset for
         * what it sent that was not read. */
        shutdown(c->fd, SHUT_WR);
        for (int i = 0; i < 16 && recv(c->fd, buf, READ_CHUNK, MSG_DONTWAIT) > 0; i++)
            ;
    }
    efree(buf);
    proto->destroy(&c->st);
    smart_str_free(&c->replies);
}

ZEND_METHOD(Tide_Coroutine_Http_Server, onAccept)
{
    zend_long fd;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(fd)
    ZEND_PARSE_PARAMETERS_END();
    TIDE_UNUSED(return_value);
    coserver_t *s = THIS_SERVER();
    coconn_t *c = zend_hash_index_find_ptr(&s->conns, (zend_ulong)fd);
    if (!c || c->started) {
        zend_throw_error(NULL, "Tide\\Coroutine\\Http\\Server::onAccept() serves the "
                               "connections start() accepted; it is not for PHP code");
        RETURN_THROWS();
    }
    c->started = true;
    serve(c);
    /* Calls on its upgraded response from other coroutines (a push() to it from another
     * connection's handler) end before the connection is freed: the shutdown wakes them. */
    for (int i = 0; c->peer.busy && i < 2000; i++) {
        shutdown(c->fd, SHUT_RDWR);
        if (i == 1000)
            php_tide_forget_fd(c->fd); /* its waits end with EBADF */
        tide_coro_sleep(TIDE_G(sched), 1000000); /* 1 ms */
    }
    zend_hash_index_del(&s->conns, (zend_ulong)fd);
    if (c->peer.busy)
        return; /* a caller that could not be woken: its memory and descriptor are left to it */
    php_tide_ws_peer_reset(&c->peer);
    if (c->wbuf)
        efree(c->wbuf);
    php_tide_forget_fd(c->fd);
    close(c->fd);
    efree(c);
}

/* ---- start() and shutdown() ---- */

/* Waits after accept() failed for lack of descriptors, so that the loop does not spin. */
static void accept_pause(coserver_t *s, int err)
{
    static tide_ratelimit_t rl;
    php_tide_warn_limited(&rl, "Tide\\Coroutine\\Http\\Server on port %d: accept() failed: %s",
                          s->port, strerror(err));
    tide_coro_sleep(TIDE_G(sched), 10000000); /* 10 ms */
}

ZEND_METHOD(Tide_Coroutine_Http_Server, start)
{
    ZEND_PARSE_PARAMETERS_NONE();
    coserver_t *s = THIS_SERVER();
    if (!php_tide_coro_suspendable("Tide\\Coroutine\\Http\\Server::start()"))
        RETURN_THROWS();
    if (s->running) {
        php_tide_throw(0, "Tide\\Coroutine\\Http\\Server::start(): the server is running already");
        RETURN_THROWS();
    }
    if (s->fd < 0 || s->stopping)
        RETURN_FALSE; /* shut down (or never listening) */
    s->running = true;
    zval callable;
    array_init(&callable);
    GC_ADDREF(&s->std);
    add_next_index_object(&callable, &s->std);
    add_next_index_stringl(&callable, "onAccept", sizeof("onAccept") - 1);
    zend_fcall_info_cache fcc = {
        .function_handler = zend_hash_str_find_ptr(&php_tide_coserver_ce->function_table,
                                                   "onaccept", sizeof("onaccept") - 1),
        .object = &s->std,
        .called_scope = php_tide_coserver_ce,
    };
    bool ok = true;
    while (!s->stopping) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof(ss);
        int fd = accept4(s->fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            int err = errno;
            if (err == EINTR || err == ECONNABORTED)
                continue;
            if (err == EAGAIN || err == EWOULDBLOCK) {
                int rc = php_tide_wait_fd(s->fd, false, -1, "Tide\\Coroutine\\Http\\Server::start()");
                if (rc < 0) {
                    ok = rc == -ECANCELED && !EG(exception);
                    break;
                }
                continue;
            }
            if (s->stopping)
                break;
            if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
                accept_pause(s, err);
                continue;
            }
            set_error(s, err);
            ok = false;
            break;
        }
        coconn_t *c = ecalloc(1, sizeof(*c));
        c->srv = s;
        c->fd = fd;
        if (ss.ss_family == AF_INET6) {
            struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
            inet_ntop(AF_INET6, &a->sin6_addr, c->ip, sizeof(c->ip));
            c->rport = ntohs(a->sin6_port);
        } else {
            struct sockaddr_in *a = (struct sockaddr_in *)&ss;
            inet_ntop(AF_INET, &a->sin_addr, c->ip, sizeof(c->ip));
            c->rport = ntohs(a->sin_port);
        }
        zend_hash_index_update_ptr(&s->conns, (zend_ulong)fd, c);
        zval arg;
        ZVAL_LONG(&arg, fd);
        zend_long id = php_tide_coro_spawn(&callable, &fcc, &arg, 1);
        if (!id) {
            /* max_coroutine reached (warned): this connection is not served */
            zend_hash_index_del(&s->conns, (zend_ulong)fd);
            close(fd);
            efree(c);
        }
        if (EG(exception))
            break;
    }
    zval_ptr_dtor(&callable);
    s->running = false;
    if (s->stopping)
        close_listener(s);
    if (EG(exception))
        RETURN_THROWS();
    RETURN_BOOL(ok);
}

ZEND_METHOD(Tide_Coroutine_Http_Server, shutdown)
{
    ZEND_PARSE_PARAMETERS_NONE();
    TIDE_UNUSED(return_value);
    coserver_t *s = THIS_SERVER();
    s->stopping = true;
    if (s->fd >= 0) {
        if (s->running)
            shutdown(s->fd, SHUT_RDWR); /* wakes start(), which closes it */
        else
            close_listener(s);
    }
    /* Connections waiting for a request end now; those in a handler after its response. */
    coconn_t *c;
    ZEND_HASH_FOREACH_PTR(&s->conns, c) {
        if (c->started && (!c->in_handler || c->websocket))
            shutdown(c->fd, SHUT_RD); /* a WebSocket handler's recv() gets '' */
    } ZEND_HASH_FOREACH_END();
}

void php_tide_coserver_minit(void)
{
    php_tide_coserver_ce = register_class_Tide_Coroutine_Http_Server();
    php_tide_coserver_ce->create_object = coserver_create;
    memcpy(&coserver_handlers, zend_get_std_object_handlers(), sizeof(coserver_handlers));
    coserver_handlers.offset = XtOffsetOf(coserver_t, std);
    coserver_handlers.free_obj = coserver_free;
    coserver_handlers.get_gc = coserver_gc;
    coserver_handlers.clone_obj = NULL;
}

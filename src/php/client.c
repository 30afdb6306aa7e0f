/* SPDX-License-Identifier: MIT */
/*
 * Socket clients: Tide\Coroutine\Client (Swoole's Swoole\Coroutine\Client) and Tide\Client
 * (Swoole\Client, synchronous mode). One implementation, two classes: they differ in
 * their method signatures, defaults and in how they report failures (the synchronous one
 * also warns, and a timeout is EAGAIN there, as the kernel's SO_RCVTIMEO gives Swoole).
 *
 * A connection is one of PHP's own socket streams (tcp://, udp://, unix://, udg://), made
 * by php_stream_xport_create(): PHP parses the address, resolves the name, applies the
 * context, and TLS is ext/openssl's (crypto turned on over the tcp:// stream, with the
 * ssl_* settings as the stream context's "ssl" options). Inside a coroutine the runtime
 * hooks make the connect, the name lookup and TLS wait on the reactor.
 *
 * Plain sockets are read and written here, without PHP's stream buffers: recv()/send()
 * with MSG_DONTWAIT, and when the socket is not ready a wait that suspends the calling
 * coroutine on the reactor (php_tide_wait_fd), or poll() outside coroutines. So a plain
 * socket never blocks the process inside a coroutine, whatever the hook flags. A TLS
 * stream is read and written through PHP's stream (its hooked operations wait on the
 * reactor when HOOK_SSL/HOOK_TLS are on; with them off it blocks like stock PHP).
 *
 * Framing (open_eof_check/open_eof_split/open_length_check) is the server's framer
 * (src/proto/frame.c): recv() hands out one package and keeps what follows for the next
 * recv(), bounded by package_max_length.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "php.h"
#include "php_network.h"
#include "ext/standard/file.h"
#include "zend_exceptions.h"
#include "php_tide.h"
#include "tide/frame.h"
#include "tide/sock.h"
#include "tide_client_arginfo.h"

/* The flag OR'd into a socket type for TLS (Tide\SSL, php_tide_server.h). */
#define CLIENT_SSL 512

/* Swoole's error codes where errno has none (include/swoole_error.h in Swoole). */
enum {
    E_DNS_FAILED = 711,        /* SW_ERROR_DNSLOOKUP_RESOLVE_FAILED */
    E_SSL_NO_PEER_CERT = 1013, /* SW_ERROR_SSL_EMPTY_PEER_CERTIFICATE */
    E_SSL_HANDSHAKE = 1018,    /* SW_ERROR_SSL_HANDSHAKE_FAILED */
    E_TOO_BIG = 1201,          /* SW_ERROR_PACKAGE_LENGTH_TOO_LARGE */
    E_MALFORMED = 1204,        /* SW_ERROR_PACKAGE_MALFORMED_DATA */
    E_NO_CONNECTION = 5001,    /* SW_ERROR_CLIENT_NO_CONNECTION */
};

#define READ_CHUNK 65535 /* one unframed recv() at most, as Swoole */

static zend_class_entry *co_client_ce, *client_ce;
static zend_object_handlers client_handlers;

/*
 * One client object. It owns the stream (closed by close() or when the object is freed),
 * the framer's buffer and its copy of the settings. `busy` counts the methods running on
 * it (a coroutine may wait in one while another calls close(): the close then only shuts
 * the socket down, which wakes the waiter, and the last method out closes the stream).
 */
typedef struct client {
    php_stream *stream; /* NULL: no socket */
    int fd;
    int type;       /* TIDE_SOCK_* */
    bool ssl;       /* Tide\SSL was asked for: TLS at connect */
    bool tls;       /* TLS is on */
    bool sync;      /* Tide\Client */
    bool connected; /* connect() succeeded (a datagram socket made by sendto() is not) */
    bool close_pending;
    int busy;
    double connect_timeout, read_timeout, write_timeout; /* seconds; < 0: no limit */
    bool nodelay;
    tide_frame_opts_t fo;
    tide_framer_t framer;
    char *rbuf;        /* READ_CHUNK bytes for framed reads, made on first use */
    zend_string *pkg;  /* the package the framer just handed out */
    zval settings;     /* the merged settings array (UNDEF before set()) */
    zend_object std;
} client_t;

static client_t *client_of(zend_object *obj)
{
    return (client_t *)((char *)obj - XtOffsetOf(client_t, std));
}
#define THIS_CLIENT client_of(Z_OBJ_P(ZEND_THIS))

/* ---- properties and errors ---- */

static const char *error_text(int code)
{
    switch (code) {
    case E_DNS_FAILED:
        return "DNS lookup failed";
    case E_SSL_NO_PEER_CERT:
        return "the peer sent no certificate";
    case E_SSL_HANDSHAKE:
        return "SSL handshake failed";
    case E_TOO_BIG:
        return "package length too large (package_max_length)";
    case E_MALFORMED:
        return "malformed package (a length field that cannot be)";
    case E_NO_CONNECTION:
        return "client is not connected to server";
    default:
        return strerror(code); /* NTS PHP: one thread */
    }
}

static void set_error_msg(client_t *c, int code, const char *msg)
{
    zend_update_property_long(c->std.ce, &c->std, ZEND_STRL("errCode"), code);
    zend_update_property_string(c->std.ce, &c->std, ZEND_STRL("errMsg"), msg);
}

static void set_error(client_t *c, int code)
{
    set_error_msg(c, code, error_text(code));
}

/* A failure of the synchronous client also warns, as Swoole's does. */
static void fail(client_t *c, const char *what, int code)
{
    set_error(c, code);
    if (c->sync)
        php_error_docref(NULL, E_WARNING, "%s failed. Error: %s [%d]", what, error_text(code),
                         code);
}

static void set_connected_props(client_t *c)
{
    zend_long fd = c->stream && c->connected ? c->fd : -1;
    zend_update_property_long(c->std.ce, &c->std, c->sync ? "sock" : "fd", c->sync ? 4 : 2, fd);
    if (!c->sync)
        zend_update_property_bool(c->std.ce, &c->std, ZEND_STRL("connected"), fd >= 0);
}

/* ---- settings ---- */

typedef enum { S_BOOL, S_INT, S_NUM, S_STR } stype_t;

static const struct key {
    const char *name;
    stype_t type;
    double min, max;
    const char *ssl; /* the "ssl" stream context option it is */
} keys[] = {
    {"timeout", S_NUM, -1, 86400 * 365, NULL},
    {"connect_timeout", S_NUM, -1, 86400 * 365, NULL},
    {"read_timeout", S_NUM, -1, 86400 * 365, NULL},
    {"write_timeout", S_NUM, -1, 86400 * 365, NULL},
    {"open_eof_check", S_BOOL, 0, 1, NULL},
    {"open_eof_split", S_BOOL, 0, 1, NULL},
    {"package_eof", S_STR, 0, 0, NULL},
    {"open_length_check", S_BOOL, 0, 1, NULL},
    {"package_length_type", S_STR, 0, 0, NULL},
    {"package_length_offset", S_INT, 0, 65535, NULL},
    {"package_body_offset", S_INT, 0, 65535, NULL},
    {"package_max_length", S_INT, 1, 2147483648.0, NULL},
    {"open_tcp_nodelay", S_BOOL, 0, 1, NULL},
    {"bind_address", S_STR, 0, 0, NULL},
    {"bind_port", S_INT, 0, 65535, NULL},
    {"ssl_verify_peer", S_BOOL, 0, 1, "verify_peer"},
    {"ssl_allow_self_signed", S_BOOL, 0, 1, "allow_self_signed"},
    {"ssl_host_name", S_STR, 0, 0, "peer_name"},
    {"ssl_cafile", S_STR, 0, 0, "cafile"},
    {"ssl_capath", S_STR, 0, 0, "capath"},
    {"ssl_cert_file", S_STR, 0, 0, "local_cert"},
    {"ssl_key_file", S_STR, 0, 0, "local_pk"},
    {"ssl_passphrase", S_STR, 0, 0, "passphrase"},
    {"ssl_verify_depth", S_INT, 0, 100, "verify_depth"},
    {"ssl_ciphers", S_STR, 0, 0, "ciphers"},
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static const struct key *find_key(const zend_string *name)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (zend_string_equals_cstr(name, keys[i].name, strlen(keys[i].name)))
            return &keys[i];
    return NULL;
}

/* Every key known and of its type and bounds; false after a ValueError naming it. */
static bool check_settings(HashTable *ht)
{
    zend_string *name;
    zend_ulong idx;
    zval *v;
    ZEND_HASH_FOREACH_KEY_VAL(ht, idx, name, v) {
        if (!name) {
            zend_value_error("Settings must be keyed by name, got index " ZEND_ULONG_FMT, idx);
            return false;
        }
        const struct key *k = find_key(name);
        if (!k) {
            zend_value_error("Unknown setting '%s'", ZSTR_VAL(name));
            return false;
        }
        ZVAL_DEREF(v);
        double d = 0;
        switch (k->type) {
        case S_BOOL:
            if (Z_TYPE_P(v) == IS_TRUE || Z_TYPE_P(v) == IS_FALSE ||
                (Z_TYPE_P(v) == IS_LONG && (Z_LVAL_P(v) == 0 || Z_LVAL_P(v) == 1)))
                continue;
            zend_value_error("Setting '%s' must be a bool, %s given", k->name,
                             zend_zval_type_name(v));
            return false;
        case S_STR:
            if (Z_TYPE_P(v) == IS_STRING)
                continue;
            zend_value_error("Setting '%s' must be a string, %s given", k->name,
                             zend_zval_type_name(v));
            return false;
        case S_INT:
            if (Z_TYPE_P(v) != IS_LONG) {
                zend_value_error("Setting '%s' must be an integer, %s given", k->name,
                                 zend_zval_type_name(v));
                return false;
            }
            d = (double)Z_LVAL_P(v);
            break;
        case S_NUM:
            if (Z_TYPE_P(v) != IS_LONG && (Z_TYPE_P(v) != IS_DOUBLE || isnan(Z_DVAL_P(v)))) {
                zend_value_error("Setting '%s' must be a number, %s given", k->name,
                                 zend_zval_type_name(v));
                return false;
            }
            d = zval_get_double(v);
            break;
        }
        if (d < k->min || d > k->max) {
            zend_value_error("Setting '%s' must be between %g and %g, %g given", k->name, k->min,
                             k->max, d);
            return false;
        }
    } ZEND_HASH_FOREACH_END();
    return true;
}

static zval *setting(client_t *c, const char *name)
{
    if (Z_TYPE(c->settings) != IS_ARRAY)
        return NULL;
    return zend_hash_str_find_deref(Z_ARRVAL(c->settings), name, strlen(name));
}

static bool setting_bool(client_t *c, const char *name)
{
    zval *v = setting(c, name);
    return v && zend_is_true(v);
}

/* Applies the (checked) settings of ht to the client; false after a ValueError. */
static bool apply_settings(client_t *c, HashTable *ht)
{
    zval *v;
    tide_frame_opts_t f = {0};
    bool eof = (v = zend_hash_str_find_deref(ht, ZEND_STRL("open_eof_check"))) && zend_is_true(v);
    bool split = (v = zend_hash_str_find_deref(ht, ZEND_STRL("open_eof_split"))) && zend_is_true(v);
    bool length =
        (v = zend_hash_str_find_deref(ht, ZEND_STRL("open_length_check"))) && zend_is_true(v);
    if ((eof || split) && length) {
        zend_value_error("Settings 'open_eof_check'/'open_eof_split' and 'open_length_check' "
                         "cannot both be on");
        return false;
    }
    if (eof || split) {
        f.mode = TIDE_FRAME_EOF;
        f.eof_split = split;
        v = zend_hash_str_find_deref(ht, ZEND_STRL("package_eof"));
        if (!v) {
            memcpy(f.eof, "\r\n", 2);
            f.eof_len = 2;
        } else if (Z_STRLEN_P(v) == 0 || Z_STRLEN_P(v) > TIDE_FRAME_EOF_MAX) {
            zend_value_error("Setting 'package_eof' must be 1 to %d bytes long, %zu given",
                             TIDE_FRAME_EOF_MAX, Z_STRLEN_P(v));
            return false;
        } else {
            memcpy(f.eof, Z_STRVAL_P(v), Z_STRLEN_P(v));
            f.eof_len = Z_STRLEN_P(v);
        }
    } else if (length) {
        f.mode = TIDE_FRAME_LENGTH;
        v = zend_hash_str_find_deref(ht, ZEND_STRL("package_length_type"));
        f.length_type = v ? (Z_STRLEN_P(v) == 1 ? Z_STRVAL_P(v)[0] : 0) : 'N';
        if (!tide_frame_length_size(f.length_type)) {
            zend_value_error("Setting 'package_length_type' must be one of c C s S n N l L v V "
                             "q J P, '%s' given", Z_STRVAL_P(v));
            return false;
        }
        if ((v = zend_hash_str_find_deref(ht, ZEND_STRL("package_length_offset"))))
            f.length_offset = (size_t)Z_LVAL_P(v);
        if ((v = zend_hash_str_find_deref(ht, ZEND_STRL("package_body_offset"))))
            f.body_offset = (size_t)Z_LVAL_P(v);
    }
    f.max_length = (v = zend_hash_str_find_deref(ht, ZEND_STRL("package_max_length")))
                       ? (size_t)Z_LVAL_P(v)
                       : 2u << 20;
    if (tide_frame_opts_check(&f) < 0) {
        zend_value_error("Settings 'package_length_offset' and 'package_body_offset' do not "
                         "describe a valid length header");
        return false;
    }
    double t;
    if ((v = zend_hash_str_find_deref(ht, ZEND_STRL("timeout")))) {
        t = zval_get_double(v);
        c->connect_timeout = c->read_timeout = c->write_timeout = t;
    }
    if ((v = zend_hash_str_find_deref(ht, ZEND_STRL("connect_timeout"))))
        c->connect_timeout = zval_get_double(v);
    if ((v = zend_hash_str_find_deref(ht, ZEND_STRL("read_timeout"))))
        c->read_timeout = zval_get_double(v);
    if ((v = zend_hash_str_find_deref(ht, ZEND_STRL("write_timeout"))))
        c->write_timeout = zval_get_double(v);
    c->nodelay =
        (v = zend_hash_str_find_deref(ht, ZEND_STRL("open_tcp_nodelay"))) && zend_is_true(v);
    /* A change of framing starts afresh (bytes held for the old one would not parse). */
    if (f.mode != c->fo.mode) {
        tide_framer_destroy(&c->framer);
        tide_framer_init(&c->framer, &c->fo);
    }
    c->fo = f;
    return true;
}

/* ---- waiting ---- */

static int64_t deadline_of(double seconds)
{
    if (seconds < 0)
        return -1;
    if (seconds > 9e9)
        seconds = 9e9;
    return (int64_t)tide_time_ns() + (int64_t)(seconds * 1e9);
}

/* Nanoseconds left until the deadline (-1: none); 0 when it passed. */
static int64_t left_of(int64_t deadline)
{
    if (deadline < 0)
        return -1;
    int64_t left = deadline - (int64_t)tide_time_ns();
    return left > 0 ? left : 0;
}

/*
 * Waits until fd is readable (writable: out) or the deadline: in a coroutine on the
 * reactor (only this coroutine waits), else in poll(). 0, -ETIMEDOUT, or another negative
 * code (a cancel, or a kill or a second waiter, with the exception thrown).
 */
static int wait_io(int fd, bool out, int64_t deadline, const char *what)
{
    int64_t left = left_of(deadline);
    if (left == 0)
        return -ETIMEDOUT;
    if (php_tide_coro_can_suspend())
        return php_tide_wait_fd(fd, out, left, what);
    for (;;) {
        struct pollfd p = {.fd = fd, .events = out ? POLLOUT : POLLIN};
        int ms = left < 0 ? -1 : (int)((left + 999999) / 1000000);
        int rc = poll(&p, 1, ms);
        if (rc > 0)
            return 0;
        if (rc == 0)
            return -ETIMEDOUT;
        if (errno != EINTR)
            return -errno;
        if ((left = left_of(deadline)) == 0)
            return -ETIMEDOUT;
    }
}

/* The TLS stream's timeout, for PHP's (hooked or stock) TLS read or write. */
static void stream_timeout(client_t *c, int64_t deadline)
{
    int64_t left = left_of(deadline);
    struct timeval tv = {-1, 0};
    if (left >= 0) {
        tv.tv_sec = (time_t)(left / 1000000000);
        tv.tv_usec = (suseconds_t)(left % 1000000000 / 1000);
        if (!tv.tv_sec && !tv.tv_usec)
            tv.tv_usec = 1;
    }
    php_stream_set_option(c->stream, PHP_STREAM_OPTION_READ_TIMEOUT, 0, &tv);
}

/* Reads what is there (waiting for something): > 0 bytes, 0 at the peer's close, or a
 * negative errno. */
static ssize_t read_some(client_t *c, char *buf, size_t len, int flags, int64_t deadline)
{
    if (c->tls) {
        if (flags & MSG_PEEK)
            return -EOPNOTSUPP;
        stream_timeout(c, deadline);
        ssize_t n = php_stream_read(c->stream, buf, len);
        if (n > 0)
            return n;
        php_netstream_data_t *s = c->stream->abstract;
        if (s->timeout_event)
            return -ETIMEDOUT;
        return c->stream->eof ? 0 : -ECONNRESET;
    }
    for (;;) {
        ssize_t n = recv(c->fd, buf, len, flags | MSG_DONTWAIT);
        if (n >= 0)
            return n;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return -errno;
        int rc = wait_io(c->fd, false, deadline, "Tide\\Coroutine\\Client::recv()");
        if (rc < 0)
            return rc;
        if (c->close_pending)
            return -ECONNABORTED;
    }
}

/* Writes all of buf; 0, or a negative errno with *sent what went. */
static int write_all(client_t *c, const char *buf, size_t len, int64_t deadline, size_t *sent)
{
    *sent = 0;
    while (*sent < len) {
        ssize_t n;
        if (c->tls) {
            stream_timeout(c, deadline);
            n = php_stream_write(c->stream, buf + *sent, len - *sent);
            if (n <= 0) {
                php_netstream_data_t *s = c->stream->abstract;
                return s->timeout_event ? -ETIMEDOUT : -EPIPE;
            }
        } else {
            n = send(c->fd, buf + *sent, len - *sent, MSG_DONTWAIT | MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                if (errno != EAGAIN && errno != EWOULDBLOCK)
                    return -errno;
                int rc = wait_io(c->fd, true, deadline, "Tide\\Coroutine\\Client::send()");
                if (rc < 0)
                    return rc;
                if (c->close_pending)
                    return -ECONNABORTED;
                continue;
            }
        }
        *sent += (size_t)n;
    }
    return 0;
}

/* ---- the connection ---- */

static void drop_stream(client_t *c)
{
    if (!c->stream)
        return;
    php_tide_forget_fd(c->fd); /* the reactor must not keep a watch on the number */
    /* (At request shutdown PHP has closed every stream already, and this does nothing.) */
    php_stream_close(c->stream);
    c->stream = NULL;
    c->fd = -1;
    c->tls = false;
    c->connected = false;
    tide_framer_destroy(&c->framer);
    tide_framer_init(&c->framer, &c->fo);
}

/* close(): at once, or (while another coroutine waits on the socket) by the last method
 * out; the socket's shutdown wakes the waiter. */
static bool close_client(client_t *c)
{
    if (!c->stream)
        return false;
    if (c->busy) {
        c->close_pending = true;
        shutdown(c->fd, SHUT_RDWR);
        return true;
    }
    drop_stream(c);
    set_connected_props(c);
    return true;
}

static void enter(client_t *c)
{
    c->busy++;
}

static void leave(client_t *c)
{
    if (--c->busy == 0 && c->close_pending) {
        c->close_pending = false;
        drop_stream(c);
        set_connected_props(c);
    }
}

/* The "ssl" context options of the settings (Swoole's defaults: no verification). */
static php_stream_context *make_context(client_t *c)
{
    php_stream_context *ctx = php_stream_context_alloc();
    zval v;
    bool verify = setting_bool(c, "ssl_verify_peer");
    ZVAL_BOOL(&v, verify);
    php_stream_context_set_option(ctx, "ssl", "verify_peer", &v);
    php_stream_context_set_option(ctx, "ssl", "verify_peer_name", &v);
    ZVAL_TRUE(&v);
    php_stream_context_set_option(ctx, "ssl", "capture_peer_cert", &v);
    for (size_t i = 0; i < NKEYS; i++) {
        zval *s = keys[i].ssl ? setting(c, keys[i].name) : NULL;
        if (s && strcmp(keys[i].name, "ssl_verify_peer") != 0)
            php_stream_context_set_option(ctx, "ssl", keys[i].ssl, s);
    }
    zval *addr = setting(c, "bind_address"), *port = setting(c, "bind_port");
    if (addr || port) {
        const char *a = addr ? Z_STRVAL_P(addr) : (c->type == TIDE_SOCK_TCP6 ? "::" : "0.0.0.0");
        zend_string *to = strchr(a, ':') ? zend_strpprintf(0, "[%s]:" ZEND_LONG_FMT, a,
                                                           port ? Z_LVAL_P(port) : 0)
                                         : zend_strpprintf(0, "%s:" ZEND_LONG_FMT, a,
                                                           port ? Z_LVAL_P(port) : 0);
        ZVAL_STR(&v, to);
        php_stream_context_set_option(ctx, "socket", "bindto", &v);
        zval_ptr_dtor(&v);
    }
    return ctx;
}

/* Turns TLS on over the connected tcp:// stream; 0 or E_SSL_HANDSHAKE. */
static int start_tls(client_t *c, int64_t deadline)
{
    /* ext/openssl bounds the handshake by the stream's connect timeout, and warns on a
     * failure: the client reports it in errCode instead. */
    int er = EG(error_reporting);
    EG(error_reporting) = 0;
    stream_timeout(c, deadline);
    bool ok =
        php_stream_xport_crypto_setup(c->stream, STREAM_CRYPTO_METHOD_ANY_CLIENT, NULL) >= 0 &&
        php_stream_xport_crypto_enable(c->stream, 1) > 0;
    EG(error_reporting) = er;
    if (!ok)
        return E_SSL_HANDSHAKE;
    c->tls = true;
    return 0;
}

/* Connects; 0 or an error code (errno, or one of Swoole's). */
static int connect_client(client_t *c, const char *host, size_t host_len, zend_long port,
                          double timeout)
{
    const char *scheme;
    switch (c->type) {
    case TIDE_SOCK_UDP:
    case TIDE_SOCK_UDP6:
        scheme = "udp";
        break;
    case TIDE_SOCK_UNIX_STREAM:
        scheme = "unix";
        break;
    case TIDE_SOCK_UNIX_DGRAM:
        scheme = "udg";
        break;
    default:
        scheme = "tcp";
    }
    zend_string *name;
    if (tide_sock_is_unix(c->type))
        name = zend_strpprintf(0, "%s://%.*s", scheme, (int)host_len, host);
    else if (memchr(host, ':', host_len) && host[0] != '[')
        name = zend_strpprintf(0, "%s://[%.*s]:" ZEND_LONG_FMT, scheme, (int)host_len, host, port);
    else
        name = zend_strpprintf(0, "%s://%.*s:" ZEND_LONG_FMT, scheme, (int)host_len, host, port);

    if (timeout != 0) /* as Swoole: connect()'s timeout is also the one of reads and writes */
        c->connect_timeout = c->read_timeout = c->write_timeout = timeout;
    int64_t deadline = deadline_of(c->connect_timeout);
    struct timeval tv = {0, 0}, *tvp = NULL;
    if (deadline >= 0) {
        int64_t left = left_of(deadline);
        tv.tv_sec = (time_t)(left / 1000000000);
        tv.tv_usec = (suseconds_t)(left % 1000000000 / 1000);
        tvp = &tv;
    }
    php_stream_context *ctx = make_context(c);
    zend_string *errstr = NULL;
    int err = 0;
    int er = EG(error_reporting);
    EG(error_reporting) = 0; /* (PHP's warnings: the client reports in errCode) */
    php_stream *s = php_stream_xport_create(ZSTR_VAL(name), ZSTR_LEN(name), 0,
                                            STREAM_XPORT_CLIENT | STREAM_XPORT_CONNECT, NULL, tvp,
                                            ctx, &errstr, &err);
    EG(error_reporting) = er;
    zend_list_delete(ctx->res); /* the stream holds its own reference */
    zend_string_release(name);
    if (errstr)
        zend_string_release(errstr);
    if (EG(exception)) {
        if (s)
            php_stream_close(s);
        return ECANCELED;
    }
    if (!s)
        return err ? err : tide_sock_is_unix(c->type) ? ENOENT : E_DNS_FAILED;
    php_socket_t fd = -1;
    if (php_stream_cast(s, PHP_STREAM_AS_FD_FOR_SELECT | PHP_STREAM_CAST_INTERNAL, (void **)&fd,
                        0) != SUCCESS || fd < 0) {
        php_stream_close(s);
        return EBADF;
    }
    /* Unbuffered: a TLS read hands back what it got, and nothing waits in PHP's buffer. */
    php_stream_set_option(s, PHP_STREAM_OPTION_READ_BUFFER, PHP_STREAM_BUFFER_NONE, NULL);
    c->stream = s;
    c->fd = fd;
    c->connected = true;
    if (c->nodelay && tide_sock_is_tcp(c->type)) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    if (c->ssl) {
        int rc = start_tls(c, deadline);
        if (rc) {
            drop_stream(c);
            return rc;
        }
    }
    return 0;
}

/* The datagram socket sendto() uses when connect() made none (Swoole's UDP clients send
 * without connecting). */
static int make_dgram(client_t *c)
{
    int family = c->type == TIDE_SOCK_UDP6  ? AF_INET6
                 : c->type == TIDE_SOCK_UDP ? AF_INET
                                            : AF_UNIX;
    int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return errno;
    php_stream *s = php_stream_sock_open_from_socket(fd, NULL);
    if (!s) {
        close(fd);
        return ENOMEM;
    }
    c->stream = s;
    c->fd = fd;
    return 0;
}

/* ---- the object ---- */

static zend_object *client_new(zend_class_entry *ce)
{
    client_t *c = zend_object_alloc(sizeof(client_t), ce);
    zend_object_std_init(&c->std, ce);
    object_properties_init(&c->std, ce);
    c->std.handlers = &client_handlers;
    c->fd = -1;
    c->type = TIDE_SOCK_TCP;
    c->sync = instanceof_function(ce, client_ce);
    c->fo.max_length = 2u << 20;
    tide_framer_init(&c->framer, &c->fo);
    ZVAL_UNDEF(&c->settings);
    return &c->std;
}

static void client_free(zend_object *obj)
{
    client_t *c = client_of(obj);
    c->busy = 0;
    drop_stream(c);
    tide_framer_destroy(&c->framer);
    efree(c->rbuf);
    if (c->pkg)
        zend_string_release(c->pkg);
    zval_ptr_dtor(&c->settings);
    zend_object_std_dtor(obj);
}

/* The type as given, checked; false after a ValueError. */
static bool init_type(client_t *c, zend_long type)
{
    zend_long base = type & ~(zend_long)CLIENT_SSL;
    if (base < TIDE_SOCK_TCP || base > TIDE_SOCK_UNIX_DGRAM) {
        zend_argument_value_error(1, "must be one of Tide\\SOCK_TCP, SOCK_TCP6, SOCK_UDP, "
                                     "SOCK_UDP6, SOCK_UNIX_STREAM, SOCK_UNIX_DGRAM (| Tide\\SSL "
                                     "for TCP), " ZEND_LONG_FMT " given", type);
        return false;
    }
    if ((type & CLIENT_SSL) && !tide_sock_is_tcp((int)base)) {
        zend_argument_value_error(1, "may have Tide\\SSL only with SOCK_TCP or SOCK_TCP6");
        return false;
    }
    c->type = (int)base;
    c->ssl = type & CLIENT_SSL;
    /* Swoole's defaults: a coroutine client waits 10 s for a connect and 60 s for a
     * read or write; the synchronous one as long as connect()'s timeout says. */
    c->connect_timeout = c->sync ? 0.5 : 10;
    c->read_timeout = c->write_timeout = c->sync ? -1 : 60;
    zend_update_property_long(c->std.ce, &c->std, ZEND_STRL("type"), type);
    return true;
}

/* The method's client if it has a socket; else false with errCode (and, for the
 * synchronous client, a warning). */
static client_t *connected_client(zval *this_, const char *what)
{
    client_t *c = client_of(Z_OBJ_P(this_));
    if (!c->stream || c->close_pending) {
        fail(c, what, E_NO_CONNECTION);
        return NULL;
    }
    return c;
}

/* Coroutine\Client's I/O must run in a coroutine (Swoole: a fatal error); Client's anywhere. */
static bool may_run(client_t *c, const char *what)
{
    return c->sync || php_tide_coro_suspendable(what);
}

ZEND_METHOD(Tide_Coroutine_Client, __construct)
{
    zend_long type;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(type)
    ZEND_PARSE_PARAMETERS_END();
    if (!init_type(THIS_CLIENT, type))
        RETURN_THROWS();
}

ZEND_METHOD(Tide_Client, __construct)
{
    zend_long type;
    bool async = false;
    zend_string *id = NULL;
    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_LONG(type)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(async)
        Z_PARAM_STR(id)
    ZEND_PARSE_PARAMETERS_END();
    if (async) {
        zend_argument_value_error(2, "must be false (SWOOLE_SOCK_SYNC): the asynchronous client "
                                     "was removed in Swoole 4.3; use Tide\\Coroutine\\Client "
                                     "in a coroutine");
        RETURN_THROWS();
    }
    client_t *c = THIS_CLIENT;
    if (!init_type(c, type))
        RETURN_THROWS();
    if (id && ZSTR_LEN(id))
        zend_update_property_str(c->std.ce, &c->std, ZEND_STRL("id"), id);
}

ZEND_METHOD(Tide_Coroutine_Client, set)
{
    HashTable *ht;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(ht)
    ZEND_PARSE_PARAMETERS_END();
    client_t *c = THIS_CLIENT;
    if (!check_settings(ht))
        RETURN_THROWS();
    zval merged;
    if (Z_TYPE(c->settings) == IS_ARRAY)
        ZVAL_ARR(&merged, zend_array_dup(Z_ARRVAL(c->settings)));
    else
        array_init(&merged);
    zend_hash_merge(Z_ARRVAL(merged), ht, zval_add_ref, 1);
    if (!apply_settings(c, Z_ARRVAL(merged))) {
        zval_ptr_dtor(&merged);
        RETURN_THROWS();
    }
    zval_ptr_dtor(&c->settings);
    ZVAL_COPY_VALUE(&c->settings, &merged);
    zend_update_property(c->std.ce, &c->std, ZEND_STRL("setting"), &c->settings);
    RETURN_TRUE;
}

static void do_connect(INTERNAL_FUNCTION_PARAMETERS, double timeout_default, const char *what)
{
    zend_string *host;
    zend_long port = 0, flags = 0;
    double timeout = timeout_default;
    ZEND_PARSE_PARAMETERS_START(1, 4)
        Z_PARAM_STR(host)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(port)
        Z_PARAM_DOUBLE(timeout)
        Z_PARAM_LONG(flags)
    ZEND_PARSE_PARAMETERS_END();
    TIDE_UNUSED(flags); /* Swoole's sock_flag: SWOOLE_ASYNC/KEEP, which Tide does not have */
    client_t *c = THIS_CLIENT;
    if (!may_run(c, what))
        RETURN_THROWS();
    if (ZSTR_LEN(host) == 0) {
        zend_argument_value_error(1, "cannot be empty");
        RETURN_THROWS();
    }
    if (!tide_sock_is_unix(c->type) && (port < 1 || port > 65535)) {
        zend_argument_value_error(2, "must be between 1 and 65535");
        RETURN_THROWS();
    }
    if (c->connected && c->stream) {
        fail(c, what, EISCONN);
        RETURN_FALSE;
    }
    if (c->stream) /* a datagram socket sendto() made */
        drop_stream(c);
    enter(c);
    int rc = connect_client(c, ZSTR_VAL(host), ZSTR_LEN(host), port, timeout);
    leave(c);
    if (EG(exception))
        RETURN_THROWS();
    if (rc) {
        if (c->sync && rc == ETIMEDOUT)
            rc = EAGAIN;
        set_error(c, rc);
        if (c->sync)
            php_error_docref(NULL, E_WARNING, "connect to server[%s:" ZEND_LONG_FMT
                             "] failed. Error: %s[%d]", ZSTR_VAL(host), port, error_text(rc), rc);
        RETURN_FALSE;
    }
    set_connected_props(c);
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Coroutine_Client, connect)
{
    do_connect(INTERNAL_FUNCTION_PARAM_PASSTHRU, 0, "Tide\\Coroutine\\Client::connect()");
}

ZEND_METHOD(Tide_Client, connect)
{
    do_connect(INTERNAL_FUNCTION_PARAM_PASSTHRU, 0.5, "connect()");
}

/* The code of a failed operation as the client reports it: a timeout is ETIMEDOUT for
 * the coroutine client, EAGAIN for the synchronous one (Swoole's, from SO_RCVTIMEO). */
static int failure(client_t *c, int rc)
{
    int code = -rc;
    if (code == ETIMEDOUT && c->sync)
        code = EAGAIN;
    return code;
}

static void send_data(zval *return_value, client_t *c, zend_string *data,
                      double timeout, const char *what)
{
    enter(c);
    size_t sent;
    int rc = write_all(c, ZSTR_VAL(data), ZSTR_LEN(data),
                       deadline_of(timeout != 0 ? timeout : c->write_timeout), &sent);
    leave(c);
    if (EG(exception))
        RETURN_THROWS();
    if (rc < 0) {
        fail(c, what, failure(c, rc));
        if (!sent)
            RETURN_FALSE;
    }
    RETURN_LONG((zend_long)sent);
}

ZEND_METHOD(Tide_Coroutine_Client, send)
{
    zend_string *data;
    double timeout = 0;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_STR(data)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    client_t *c = THIS_CLIENT;
    if (!may_run(c, "Tide\\Coroutine\\Client::send()"))
        RETURN_THROWS();
    if (!(c = connected_client(ZEND_THIS, "send()")))
        RETURN_FALSE;
    send_data(return_value, c, data, timeout, "send()");
}

ZEND_METHOD(Tide_Client, send)
{
    zend_string *data;
    zend_long flag = 0;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_STR(data)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(flag)
    ZEND_PARSE_PARAMETERS_END();
    TIDE_UNUSED(flag);
    client_t *c = connected_client(ZEND_THIS, "send()");
    if (!c)
        RETURN_FALSE;
    send_data(return_value, c, data, 0, "send()");
}

static int on_package(void *udata, const char *data, size_t len)
{
    client_t *c = udata;
    c->pkg = zend_string_init(data, len, 0);
    return TIDE_PROTO_STOP; /* one per recv(); the rest waits in the framer */
}

/* One whole package: > 0 with *out, 0 when the peer closed, or a negative code. */
static ssize_t recv_package(client_t *c, int64_t deadline, zend_string **out)
{
    c->pkg = NULL;
    int rc = tide_framer_feed(&c->framer, NULL, 0, on_package, c);
    if (!c->rbuf)
        c->rbuf = emalloc(READ_CHUNK);
    while (!c->pkg && rc >= 0) {
        ssize_t n = read_some(c, c->rbuf, READ_CHUNK, 0, deadline);
        if (n <= 0)
            return n;
        rc = tide_framer_feed(&c->framer, c->rbuf, (size_t)n, on_package, c);
    }
    if (rc < 0) {
        if (c->pkg)
            zend_string_release(c->pkg);
        c->pkg = NULL;
        return rc == TIDE_ETOOBIG ? -E_TOO_BIG : -E_MALFORMED;
    }
    *out = c->pkg;
    c->pkg = NULL;
    return (ssize_t)ZSTR_LEN(*out);
}

/* recv() of both classes: a package with framing on; else up to size bytes (all of them
 * with MSG_WAITALL, unless the peer closes first). */
static void recv_data(zval *return_value, client_t *c, size_t size, int flags,
                      double timeout)
{
    int64_t deadline = deadline_of(flags & MSG_DONTWAIT ? 0 : timeout != 0 ? timeout
                                                                            : c->read_timeout);
    zend_string *s = NULL;
    ssize_t n;
    enter(c);
    if (c->fo.mode != TIDE_FRAME_RAW && !(flags & MSG_PEEK)) {
        n = recv_package(c, deadline, &s);
    } else {
        s = zend_string_alloc(size, 0);
        size_t got = 0;
        do {
            n = read_some(c, ZSTR_VAL(s) + got, size - got, flags & MSG_PEEK, deadline);
            if (n > 0)
                got += (size_t)n;
        } while ((flags & MSG_WAITALL) && n > 0 && got < size);
        if (got)
            n = (ssize_t)got;
        if (n > 0) {
            s = zend_string_truncate(s, got, 0);
            ZSTR_VAL(s)[got] = 0;
        } else {
            zend_string_efree(s);
        }
    }
    leave(c);
    if (EG(exception)) {
        if (n > 0)
            zend_string_release(s);
        RETURN_THROWS();
    }
    if (n > 0)
        RETURN_STR(s);
    if (n == 0) { /* the peer closed: '' (as Swoole), and the connection is done */
        close_client(c);
        RETURN_EMPTY_STRING();
    }
    fail(c, "recv()", failure(c, (int)n));
    if (n == -E_TOO_BIG || n == -E_MALFORMED)
        close_client(c); /* the stream is out of step: its next bytes are no package */
    RETURN_FALSE;
}

ZEND_METHOD(Tide_Coroutine_Client, recv)
{
    double timeout = 0;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    client_t *c = THIS_CLIENT;
    if (!may_run(c, "Tide\\Coroutine\\Client::recv()"))
        RETURN_THROWS();
    if (!(c = connected_client(ZEND_THIS, "recv()")))
        RETURN_FALSE;
    recv_data(return_value, c, READ_CHUNK, 0, timeout);
}

ZEND_METHOD(Tide_Client, recv)
{
    zend_long size = 65536, flag = 0;
    ZEND_PARSE_PARAMETERS_START(0, 2)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(size)
        Z_PARAM_LONG(flag)
    ZEND_PARSE_PARAMETERS_END();
    if (size < 1) {
        zend_argument_value_error(1, "must be greater than 0");
        RETURN_THROWS();
    }
    client_t *c = connected_client(ZEND_THIS, "recv()");
    if (!c)
        RETURN_FALSE;
    recv_data(return_value, c, (size_t)size,
              (int)(flag & (MSG_WAITALL | MSG_PEEK | MSG_DONTWAIT)), 0);
}

ZEND_METHOD(Tide_Coroutine_Client, peek)
{
    zend_long length = 65535;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(length)
    ZEND_PARSE_PARAMETERS_END();
    if (length < 1) {
        zend_argument_value_error(1, "must be greater than 0");
        RETURN_THROWS();
    }
    client_t *c = THIS_CLIENT;
    if (!may_run(c, "Tide\\Coroutine\\Client::peek()"))
        RETURN_THROWS();
    if (!(c = connected_client(ZEND_THIS, "peek()")))
        RETURN_FALSE;
    recv_data(return_value, c, (size_t)length, MSG_PEEK, 0);
}

/* A socket address for host and port (a path for a Unix socket); false if it is none. */
static bool make_addr(client_t *c, const char *host, zend_long port, struct sockaddr_storage *sa,
                      socklen_t *len)
{
    memset(sa, 0, sizeof(*sa));
    if (c->type == TIDE_SOCK_UNIX_DGRAM) {
        struct sockaddr_un *u = (struct sockaddr_un *)sa;
        if (strlen(host) >= sizeof(u->sun_path))
            return false;
        u->sun_family = AF_UNIX;
        strcpy(u->sun_path, host);
        *len = sizeof(*u);
        return true;
    }
    struct sockaddr_in *a4 = (struct sockaddr_in *)sa;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)sa;
    if (c->type == TIDE_SOCK_UDP6 && inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        *len = sizeof(*a6);
        return true;
    }
    if (c->type == TIDE_SOCK_UDP && inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        *len = sizeof(*a4);
        return true;
    }
    return false;
}

ZEND_METHOD(Tide_Coroutine_Client, sendto)
{
    zend_string *host, *data;
    zend_long port;
    ZEND_PARSE_PARAMETERS_START(3, 3)
        Z_PARAM_STR(host)
        Z_PARAM_LONG(port)
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();
    client_t *c = THIS_CLIENT;
    if (!tide_sock_is_dgram(c->type)) {
        php_tide_throw(0, "sendto() needs a datagram client (SOCK_UDP, SOCK_UDP6, "
                          "SOCK_UNIX_DGRAM)");
        RETURN_THROWS();
    }
    if (!may_run(c, "Tide\\Coroutine\\Client::sendto()"))
        RETURN_THROWS();
    struct sockaddr_storage sa;
    socklen_t salen;
    if (!make_addr(c, ZSTR_VAL(host), port, &sa, &salen)) {
        zend_argument_value_error(1, "must be an IP address of the client's family (or a "
                                     "socket path for SOCK_UNIX_DGRAM), '%s' given",
                                  ZSTR_VAL(host));
        RETURN_THROWS();
    }
    int err;
    if (!c->stream && (err = make_dgram(c))) {
        fail(c, "sendto()", err);
        RETURN_FALSE;
    }
    enter(c);
    int64_t deadline = deadline_of(c->write_timeout);
    ssize_t n;
    for (;;) {
        n = sendto(c->fd, ZSTR_VAL(data), ZSTR_LEN(data), MSG_DONTWAIT | MSG_NOSIGNAL,
                   (struct sockaddr *)&sa, salen);
        if (n >= 0 || (errno != EAGAIN && errno != EINTR)) {
            err = n < 0 ? errno : 0;
            break;
        }
        int rc = errno == EINTR
                     ? 0
                     : wait_io(c->fd, true, deadline, "Tide\\Coroutine\\Client::sendto()");
        if (rc < 0) {
            err = failure(c, rc);
            break;
        }
    }
    leave(c);
    if (EG(exception))
        RETURN_THROWS();
    if (err) {
        fail(c, "sendto()", err);
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Coroutine_Client, recvfrom)
{
    zend_long length;
    zval *zaddr, *zport = NULL;
    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_LONG(length)
        Z_PARAM_ZVAL(zaddr)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(zport)
    ZEND_PARSE_PARAMETERS_END();
    if (length < 1) {
        zend_argument_value_error(1, "must be greater than 0");
        RETURN_THROWS();
    }
    client_t *c = THIS_CLIENT;
    if (!may_run(c, "Tide\\Coroutine\\Client::recvfrom()"))
        RETURN_THROWS();
    if (!(c = connected_client(ZEND_THIS, "recvfrom()")))
        RETURN_FALSE;
    zend_string *s = zend_string_alloc((size_t)length, 0);
    struct sockaddr_storage sa;
    socklen_t salen;
    int64_t deadline = deadline_of(c->read_timeout);
    ssize_t n;
    int err = 0;
    enter(c);
    for (;;) {
        salen = sizeof(sa);
        n = recvfrom(c->fd, ZSTR_VAL(s), (size_t)length, MSG_DONTWAIT, (struct sockaddr *)&sa,
                     &salen);
        if (n >= 0 || (errno != EAGAIN && errno != EINTR)) {
            err = n < 0 ? errno : 0;
            break;
        }
        int rc = errno == EINTR
                     ? 0
                     : wait_io(c->fd, false, deadline, "Tide\\Coroutine\\Client::recvfrom()");
        if (rc < 0 || c->close_pending) {
            err = rc < 0 ? failure(c, rc) : ECONNABORTED;
            break;
        }
    }
    leave(c);
    if (EG(exception) || err) {
        zend_string_efree(s);
        if (EG(exception))
            RETURN_THROWS();
        fail(c, "recvfrom()", err);
        RETURN_FALSE;
    }
    char ip[INET6_ADDRSTRLEN] = "";
    zend_long port = 0;
    if (sa.ss_family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)&sa;
        inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
        port = ntohs(a->sin_port);
        ZEND_TRY_ASSIGN_REF_STRING(zaddr, ip);
    } else if (sa.ss_family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&sa;
        inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
        port = ntohs(a->sin6_port);
        ZEND_TRY_ASSIGN_REF_STRING(zaddr, ip);
    } else {
        struct sockaddr_un *u = (struct sockaddr_un *)&sa;
        ZEND_TRY_ASSIGN_REF_STRING(zaddr, salen > offsetof(struct sockaddr_un, sun_path)
                                              ? u->sun_path
                                              : "");
    }
    if (zport)
        ZEND_TRY_ASSIGN_REF_LONG(zport, port);
    s = zend_string_truncate(s, (size_t)n, 0);
    ZSTR_VAL(s)[n] = 0;
    RETURN_STR(s);
}

ZEND_METHOD(Tide_Coroutine_Client, sendfile)
{
    zend_string *file;
    zend_long offset = 0, length = 0;
    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_PATH_STR(file)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(offset)
        Z_PARAM_LONG(length)
    ZEND_PARSE_PARAMETERS_END();
    if (offset < 0 || length < 0) {
        zend_argument_value_error(offset < 0 ? 2 : 3, "must be greater than or equal to 0");
        RETURN_THROWS();
    }
    client_t *c = THIS_CLIENT;
    if (!may_run(c, "Tide\\Coroutine\\Client::sendfile()"))
        RETURN_THROWS();
    if (!(c = connected_client(ZEND_THIS, "sendfile()")))
        RETURN_FALSE;
    php_stream *f = php_stream_open_wrapper(ZSTR_VAL(file), "rb", REPORT_ERRORS, NULL);
    if (!f) {
        set_error(c, ENOENT);
        RETURN_FALSE;
    }
    int rc = 0;
    int64_t deadline = deadline_of(c->write_timeout);
    enter(c);
    if (offset && php_stream_seek(f, offset, SEEK_SET) != 0)
        rc = -EINVAL;
    char *buf = emalloc(READ_CHUNK);
    zend_long left = length ? length : ZEND_LONG_MAX;
    while (!rc && left > 0 && !EG(exception)) {
        ssize_t n = php_stream_read(f, buf, left < READ_CHUNK ? (size_t)left : READ_CHUNK);
        if (n <= 0) {
            if (n < 0 || length)
                rc = -EIO; /* a read error, or the file ends before length */
            break;
        }
        size_t sent;
        rc = write_all(c, buf, (size_t)n, deadline, &sent);
        left -= n;
    }
    efree(buf);
    php_stream_close(f);
    leave(c);
    if (EG(exception))
        RETURN_THROWS();
    if (rc) {
        fail(c, "sendfile()", failure(c, rc));
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Coroutine_Client, enableSSL)
{
    ZEND_PARSE_PARAMETERS_NONE();
    client_t *c = THIS_CLIENT;
    if (!may_run(c, "Tide\\Coroutine\\Client::enableSSL()"))
        RETURN_THROWS();
    if (!(c = connected_client(ZEND_THIS, "enableSSL()")))
        RETURN_FALSE;
    if (!tide_sock_is_tcp(c->type)) {
        php_tide_throw(0, "enableSSL() needs a TCP client");
        RETURN_THROWS();
    }
    if (c->tls)
        RETURN_TRUE;
    enter(c);
    int rc = start_tls(c, deadline_of(c->connect_timeout));
    leave(c);
    if (EG(exception))
        RETURN_THROWS();
    if (rc) {
        fail(c, "enableSSL()", rc);
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Coroutine_Client, getPeerCert)
{
    ZEND_PARSE_PARAMETERS_NONE();
    client_t *c = connected_client(ZEND_THIS, "getPeerCert()");
    if (!c)
        RETURN_FALSE;
    zval *cert = c->tls && PHP_STREAM_CONTEXT(c->stream)
                     ? php_stream_context_get_option(PHP_STREAM_CONTEXT(c->stream), "ssl",
                                                     "peer_certificate")
                     : NULL;
    if (!cert || Z_TYPE_P(cert) != IS_OBJECT) {
        set_error(c, E_SSL_NO_PEER_CERT);
        RETURN_FALSE;
    }
    /* ext/openssl's openssl_x509_export($cert, $pem): the PEM text. */
    zval fn, args[2], rv;
    ZVAL_STRING(&fn, "openssl_x509_export");
    ZVAL_COPY(&args[0], cert);
    ZVAL_NEW_REF(&args[1], &EG(uninitialized_zval));
    ZVAL_UNDEF(&rv);
    bool ok = call_user_function(NULL, NULL, &fn, &rv, 2, args) == SUCCESS &&
              Z_TYPE(rv) == IS_TRUE && Z_TYPE_P(Z_REFVAL(args[1])) == IS_STRING;
    if (ok)
        RETVAL_STR_COPY(Z_STR_P(Z_REFVAL(args[1])));
    zval_ptr_dtor(&fn);
    zval_ptr_dtor(&args[0]);
    zval_ptr_dtor(&args[1]);
    zval_ptr_dtor(&rv);
    if (EG(exception))
        RETURN_THROWS();
    if (!ok)
        RETURN_FALSE;
}

ZEND_METHOD(Tide_Coroutine_Client, isConnected)
{
    ZEND_PARSE_PARAMETERS_NONE();
    client_t *c = THIS_CLIENT;
    RETURN_BOOL(c->stream && c->connected && !c->close_pending);
}

/* ['host' => ..., 'port' => ...] of a socket address. */
static void addr_array(zval *out, const struct sockaddr_storage *sa, socklen_t len)
{
    char ip[INET6_ADDRSTRLEN] = "";
    zend_long port = 0;
    array_init(out);
    if (sa->ss_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
        port = ntohs(a->sin_port);
        add_assoc_string(out, "host", ip);
    } else if (sa->ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)sa;
        inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
        port = ntohs(a->sin6_port);
        add_assoc_string(out, "host", ip);
    } else {
        const struct sockaddr_un *u = (const struct sockaddr_un *)sa;
        add_assoc_string(out, "host",
                         len > offsetof(struct sockaddr_un, sun_path) ? u->sun_path : "");
    }
    add_assoc_long(out, "port", port);
}

static void sock_name(INTERNAL_FUNCTION_PARAMETERS, bool peer)
{
    ZEND_PARSE_PARAMETERS_NONE();
    client_t *c = connected_client(ZEND_THIS, peer ? "getpeername()" : "getsockname()");
    if (!c)
        RETURN_FALSE;
    struct sockaddr_storage sa;
    socklen_t len = sizeof(sa);
    memset(&sa, 0, sizeof(sa));
    if ((peer ? getpeername(c->fd, (struct sockaddr *)&sa, &len)
              : getsockname(c->fd, (struct sockaddr *)&sa, &len)) < 0) {
        set_error(c, errno);
        RETURN_FALSE;
    }
    addr_array(return_value, &sa, len);
}

ZEND_METHOD(Tide_Coroutine_Client, getsockname)
{
    sock_name(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

ZEND_METHOD(Tide_Coroutine_Client, getpeername)
{
    sock_name(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

ZEND_METHOD(Tide_Coroutine_Client, close)
{
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_BOOL(close_client(THIS_CLIENT));
}

ZEND_METHOD(Tide_Client, close)
{
    bool force = false;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(force)
    ZEND_PARSE_PARAMETERS_END();
    TIDE_UNUSED(force); /* (Swoole's: drop a SWOOLE_KEEP connection; Tide keeps none) */
    RETURN_BOOL(close_client(THIS_CLIENT));
}

ZEND_METHOD(Tide_Client, shutdown)
{
    zend_long how;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(how)
    ZEND_PARSE_PARAMETERS_END();
    if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR) {
        zend_argument_value_error(1, "must be Tide\\Client::SHUT_RD, SHUT_WR or SHUT_RDWR");
        RETURN_THROWS();
    }
    client_t *c = connected_client(ZEND_THIS, "shutdown()");
    if (!c)
        RETURN_FALSE;
    if (shutdown(c->fd, (int)how) < 0) {
        fail(c, "shutdown()", errno);
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

/* tide.swoole_compat=On: Swoole's constants that only the clients use (their classes'
 * Swoole names are in compat.c's table). SWOOLE_SOCK_SYNC/ASYNC are bools in Swoole. */
static void register_swoole_constants(int module_number)
{
    static const struct {
        const char *name;
        int value;
    } types[] = {
        {"SWOOLE_TCP", TIDE_SOCK_TCP},
        {"SWOOLE_TCP6", TIDE_SOCK_TCP6},
        {"SWOOLE_UDP", TIDE_SOCK_UDP},
        {"SWOOLE_UDP6", TIDE_SOCK_UDP6},
        {"SWOOLE_UNIX_STREAM", TIDE_SOCK_UNIX_STREAM},
        {"SWOOLE_UNIX_DGRAM", TIDE_SOCK_UNIX_DGRAM},
    };
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        zend_register_long_constant(types[i].name, strlen(types[i].name), types[i].value,
                                    CONST_PERSISTENT, module_number);
    zend_register_bool_constant(ZEND_STRL("SWOOLE_SOCK_SYNC"), false, CONST_PERSISTENT,
                                module_number);
    zend_register_bool_constant(ZEND_STRL("SWOOLE_SOCK_ASYNC"), true, CONST_PERSISTENT,
                                module_number);
}

void php_tide_client_minit(int module_number)
{
    co_client_ce = register_class_Tide_Coroutine_Client();
    co_client_ce->create_object = client_new;
    client_ce = register_class_Tide_Client();
    client_ce->create_object = client_new;
    memcpy(&client_handlers, zend_get_std_object_handlers(), sizeof(client_handlers));
    client_handlers.offset = XtOffsetOf(client_t, std);
    client_handlers.free_obj = client_free;
    client_handlers.clone_obj = NULL;
    if (TIDE_G(swoole_compat))
        register_swoole_constants(module_number);
}

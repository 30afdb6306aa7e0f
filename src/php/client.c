/* SPDX-License-Identifier: MIT */
/*
 * Socket clients: Tide\Coroutine\Client (Swoole's Swoole\Coroutine\Client) and Tide\Client
 * (Swoole\Client, synchronous mode). One implementation, two classes: they differ in
 * their method signatures, defaults and in how they report failures (the synchronous one
 * also warns, and a timeout is EAGAIN there, as the kernel's SO_RCVTIMEO gives Swoole).
 *
 * This file holds the classes and their methods; the settings are client_settings.c's,
 * the connection (streams, waiting, reads and writes, TLS) client_io.c's
 * (php_tide_client.h).
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
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "php.h"
#include "zend_exceptions.h"
#include "php_tide.h"
#include "php_tide_client.h"
#include "tide/frame.h"
#include "tide/sock.h"
#include "tide_client_arginfo.h"

/* The flag OR'd into a socket type for TLS (Tide\SSL, php_tide_server.h). */
#define CLIENT_SSL 512

#define READ_CHUNK 65535 /* one unframed recv() at most, as Swoole */

static zend_class_entry *co_client_ce, *client_ce;
static zend_object_handlers client_handlers;

static php_tide_client_t *client_of(zend_object *obj)
{
    return (php_tide_client_t *)((char *)obj - XtOffsetOf(php_tide_client_t, std));
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

static void set_error_msg(php_tide_client_t *c, int code, const char *msg)
{
    zend_update_property_long(c->std.ce, &c->std, ZEND_STRL("errCode"), code);
    zend_update_property_string(c->std.ce, &c->std, ZEND_STRL("errMsg"), msg);
}

static void set_error(php_tide_client_t *c, int code)
{
    set_error_msg(c, code, error_text(code));
}

/* A failure of the synchronous client also warns, as Swoole's does. */
static void fail(php_tide_client_t *c, const char *what, int code)
{
    set_error(c, code);
    if (c->sync)
        php_error_docref(NULL, E_WARNING, "%s failed. Error: %s [%d]", what, error_text(code),
                         code);
}

/* ---- the object ---- */

static zend_object *client_new(zend_class_entry *ce)
{
    php_tide_client_t *c = zend_object_alloc(sizeof(php_tide_client_t), ce);
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
    php_tide_client_t *c = client_of(obj);
    c->busy = 0;
    php_tide_client_drop_stream(c);
    tide_framer_destroy(&c->framer);
    efree(c->rbuf);
    if (c->pkg)
        zend_string_release(c->pkg);
    zval_ptr_dtor(&c->settings);
    zend_object_std_dtor(obj);
}

/* The type as given, checked; false after a ValueError. */
static bool init_type(php_tide_client_t *c, zend_long type)
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
static php_tide_client_t *connected_client(zval *this_, const char *what)
{
    php_tide_client_t *c = client_of(Z_OBJ_P(this_));
    if (!c->stream || c->close_pending) {
        fail(c, what, E_NO_CONNECTION);
        return NULL;
    }
    return c;
}

/* Coroutine\Client's I/O must run in a coroutine (Swoole: a fatal error); Client's anywhere. */
static bool may_run(php_tide_client_t *c, const char *what)
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
    php_tide_client_t *c = THIS_CLIENT;
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
    php_tide_client_t *c = THIS_CLIENT;
    if (!php_tide_client_check_settings(ht))
        RETURN_THROWS();
    zval merged;
    if (Z_TYPE(c->settings) == IS_ARRAY)
        ZVAL_ARR(&merged, zend_array_dup(Z_ARRVAL(c->settings)));
    else
        array_init(&merged);
    zend_hash_merge(Z_ARRVAL(merged), ht, zval_add_ref, 1);
    if (!php_tide_client_apply_settings(c, Z_ARRVAL(merged))) {
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
    php_tide_client_t *c = THIS_CLIENT;
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
        php_tide_client_drop_stream(c);
    php_tide_client_enter(c);
    int rc = php_tide_client_connect(c, ZSTR_VAL(host), ZSTR_LEN(host), port, timeout);
    php_tide_client_leave(c);
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
    php_tide_client_set_connected_props(c);
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
static int failure(php_tide_client_t *c, int rc)
{
    int code = -rc;
    if (code == ETIMEDOUT && c->sync)
        code = EAGAIN;
    return code;
}

static void send_data(zval *return_value, php_tide_client_t *c, zend_string *data, double timeout,
                      const char *what)
{
    php_tide_client_enter(c);
    size_t sent;
    int rc = php_tide_client_write_all(
        c, ZSTR_VAL(data), ZSTR_LEN(data),
        php_tide_client_deadline(timeout != 0 ? timeout : c->write_timeout), &sent);
    php_tide_client_leave(c);
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
    php_tide_client_t *c = THIS_CLIENT;
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
    php_tide_client_t *c = connected_client(ZEND_THIS, "send()");
    if (!c)
        RETURN_FALSE;
    send_data(return_value, c, data, 0, "send()");
}

static int on_package(void *udata, const char *data, size_t len)
{
    php_tide_client_t *c = udata;
    c->pkg = zend_string_init(data, len, 0);
    return TIDE_PROTO_STOP; /* one per recv(); the rest waits in the framer */
}

/* One whole package: > 0 with *out, 0 when the peer closed, or a negative code. */
static ssize_t recv_package(php_tide_client_t *c, int64_t deadline, zend_string **out)
{
    c->pkg = NULL;
    int rc = tide_framer_feed(&c->framer, NULL, 0, on_package, c);
    if (!c->rbuf)
        c->rbuf = emalloc(READ_CHUNK);
    while (!c->pkg && rc >= 0) {
        ssize_t n = php_tide_client_read(c, c->rbuf, READ_CHUNK, 0, deadline);
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
static void recv_data(zval *return_value, php_tide_client_t *c, size_t size, int flags,
                      double timeout)
{
    int64_t deadline = php_tide_client_deadline(flags & MSG_DONTWAIT ? 0
                                                : timeout != 0       ? timeout
                                                                     : c->read_timeout);
    zend_string *s = NULL;
    ssize_t n;
    php_tide_client_enter(c);
    if (c->fo.mode != TIDE_FRAME_RAW && !(flags & MSG_PEEK)) {
        n = recv_package(c, deadline, &s);
    } else {
        s = zend_string_alloc(size, 0);
        size_t got = 0;
        do {
            n = php_tide_client_read(c, ZSTR_VAL(s) + got, size - got, flags & MSG_PEEK, deadline);
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
    php_tide_client_leave(c);
    if (EG(exception)) {
        if (n > 0)
            zend_string_release(s);
        RETURN_THROWS();
    }
    if (n > 0)
        RETURN_STR(s);
    if (n == 0) { /* the peer closed: '' (as Swoole), and the connection is done */
        php_tide_client_close(c);
        RETURN_EMPTY_STRING();
    }
    fail(c, "recv()", failure(c, (int)n));
    if (n == -E_TOO_BIG || n == -E_MALFORMED)
        php_tide_client_close(c); /* the stream is out of step: its next bytes are no package */
    RETURN_FALSE;
}

ZEND_METHOD(Tide_Coroutine_Client, recv)
{
    double timeout = 0;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_client_t *c = THIS_CLIENT;
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
    php_tide_client_t *c = connected_client(ZEND_THIS, "recv()");
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
    php_tide_client_t *c = THIS_CLIENT;
    if (!may_run(c, "Tide\\Coroutine\\Client::peek()"))
        RETURN_THROWS();
    if (!(c = connected_client(ZEND_THIS, "peek()")))
        RETURN_FALSE;
    recv_data(return_value, c, (size_t)length, MSG_PEEK, 0);
}

/* A socket address for host and port (a path for a Unix socket); false if it is none. */
static bool make_addr(php_tide_client_t *c, const char *host, zend_long port,
                      struct sockaddr_storage *sa, socklen_t *len)
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
    php_tide_client_t *c = THIS_CLIENT;
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
    if (!c->stream && (err = php_tide_client_make_dgram(c))) {
        fail(c, "sendto()", err);
        RETURN_FALSE;
    }
    php_tide_client_enter(c);
    int64_t deadline = php_tide_client_deadline(c->write_timeout);
    ssize_t n;
    for (;;) {
        n = sendto(c->fd, ZSTR_VAL(data), ZSTR_LEN(data), MSG_DONTWAIT | MSG_NOSIGNAL,
                   (struct sockaddr *)&sa, salen);
        if (n >= 0 || (errno != EAGAIN && errno != EINTR)) {
            err = n < 0 ? errno : 0;
            break;
        }
        int rc = errno == EINTR ? 0
                                : php_tide_client_wait_io(c->fd, true, deadline,
                                                          "Tide\\Coroutine\\Client::sendto()");
        if (rc < 0) {
            err = failure(c, rc);
            break;
        }
    }
    php_tide_client_leave(c);
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
    php_tide_client_t *c = THIS_CLIENT;
    if (!may_run(c, "Tide\\Coroutine\\Client::recvfrom()"))
        RETURN_THROWS();
    if (!(c = connected_client(ZEND_THIS, "recvfrom()")))
        RETURN_FALSE;
    zend_string *s = zend_string_alloc((size_t)length, 0);
    struct sockaddr_storage sa;
    socklen_t salen;
    int64_t deadline = php_tide_client_deadline(c->read_timeout);
    ssize_t n;
    int err = 0;
    php_tide_client_enter(c);
    for (;;) {
        salen = sizeof(sa);
        n = recvfrom(c->fd, ZSTR_VAL(s), (size_t)length, MSG_DONTWAIT, (struct sockaddr *)&sa,
                     &salen);
        if (n >= 0 || (errno != EAGAIN && errno != EINTR)) {
            err = n < 0 ? errno : 0;
            break;
        }
        int rc = errno == EINTR ? 0
                                : php_tide_client_wait_io(c->fd, false, deadline,
                                                          "Tide\\Coroutine\\Client::recvfrom()");
        if (rc < 0 || c->close_pending) {
            err = rc < 0 ? failure(c, rc) : ECONNABORTED;
            break;
        }
    }
    php_tide_client_leave(c);
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
    php_tide_client_t *c = THIS_CLIENT;
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
    int64_t deadline = php_tide_client_deadline(c->write_timeout);
    php_tide_client_enter(c);
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
        rc = php_tide_client_write_all(c, buf, (size_t)n, deadline, &sent);
        left -= n;
    }
    efree(buf);
    php_stream_close(f);
    php_tide_client_leave(c);
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
    php_tide_client_t *c = THIS_CLIENT;
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
    php_tide_client_enter(c);
    int rc = php_tide_client_start_tls(c, php_tide_client_deadline(c->connect_timeout));
    php_tide_client_leave(c);
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
    php_tide_client_t *c = connected_client(ZEND_THIS, "getPeerCert()");
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
    php_tide_client_t *c = THIS_CLIENT;
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
    php_tide_client_t *c = connected_client(ZEND_THIS, peer ? "getpeername()" : "getsockname()");
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
    RETURN_BOOL(php_tide_client_close(THIS_CLIENT));
}

ZEND_METHOD(Tide_Client, close)
{
    bool force = false;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(force)
    ZEND_PARSE_PARAMETERS_END();
    TIDE_UNUSED(force); /* (Swoole's: drop a SWOOLE_KEEP connection; Tide keeps none) */
    RETURN_BOOL(php_tide_client_close(THIS_CLIENT));
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
    php_tide_client_t *c = connected_client(ZEND_THIS, "shutdown()");
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
    client_handlers.offset = XtOffsetOf(php_tide_client_t, std);
    client_handlers.free_obj = client_free;
    client_handlers.clone_obj = NULL;
    if (TIDE_G(swoole_compat))
        register_swoole_constants(module_number);
}

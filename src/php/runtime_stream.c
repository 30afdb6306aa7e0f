/* SPDX-License-Identifier: MIT */
/*
 * The socket transports under runtime hooks (runtime.c): HOOK_TCP, HOOK_UDP, HOOK_UNIX and
 * HOOK_UDG. Every stream PHP's own factory makes for tcp://, udp://, unix:// and udg://
 * gets a copy of its stock operations in which reading, writing, connecting and accepting
 * wait on the reactor, in the calling coroutine, instead of in poll(): so
 * stream_socket_client(), fsockopen(), stream_socket_accept(), fread(), fwrite(), fgets()
 * and every client library built on PHP streams (mysqlnd, phpredis) suspend only the
 * calling coroutine. Outside a coroutine, with the hook off, or on a non-blocking stream,
 * each operation is the stock one.
 *
 * What stays PHP's own: the address parsing, context options and socket options of
 * connect and bind (the stock code runs, asked for an asynchronous connect), timeouts
 * (stream_set_timeout, default_socket_timeout, the connect timeout) and what a timeout
 * does (meta data "timed_out", an empty read), errors and their messages.
 *
 * One coroutine at a time waits on a socket: a second one that would wait on it (to read
 * or to write) gets a Tide\Exception naming both. A coroutine canceled or killed while it
 * waits gets false from the call; nothing stays pending on the reactor, and the stream is
 * usable (what it had read or written so far stays read or written).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

#include "php.h"
#include "php_network.h"
#include "streams/php_stream_plain_wrapper.h"
#include "php_tide.h"
#include "tide/coro.h"
#include "tide/idmap.h"
#include "tide/reactor.h"

typedef struct xport {
    const char *proto;
    int flag;
    bool inet; /* a name to resolve (HOOK_DNS) */
    php_stream_transport_factory stock_factory;
    const php_stream_ops *stock_ops; /* learned from the first stream the factory makes */
    php_stream_ops ops;              /* the stock ones, with the hooks */
    bool openssl;                    /* ext/openssl's streams (which can do TLS) */
} xport_t;

static xport_t xports[] = {
    {"tcp", PHP_TIDE_HOOK_TCP, true, NULL, NULL, {0}, false},
    {"udp", PHP_TIDE_HOOK_UDP, true, NULL, NULL, {0}, false},
    {"unix", PHP_TIDE_HOOK_UNIX, false, NULL, NULL, {0}, false},
    {"udg", PHP_TIDE_HOOK_UDG, false, NULL, NULL, {0}, false},
    /* stream_socket_pair(): PHP's generic socket streams, not made by a transport */
    {"(pair)", PHP_TIDE_HOOK_UNIX, false, NULL, NULL, {0}, false},
    /* ext/openssl's (which also makes tcp:// streams, so that they can turn on TLS) */
    {"ssl", PHP_TIDE_HOOK_SSL, true, NULL, NULL, {0}, false},
    {"sslv3", PHP_TIDE_HOOK_SSL, true, NULL, NULL, {0}, false},
    {"tls", PHP_TIDE_HOOK_TLS, true, NULL, NULL, {0}, false},
    {"tlsv1.0", PHP_TIDE_HOOK_TLS, true, NULL, NULL, {0}, false},
    {"tlsv1.1", PHP_TIDE_HOOK_TLS, true, NULL, NULL, {0}, false},
    {"tlsv1.2", PHP_TIDE_HOOK_TLS, true, NULL, NULL, {0}, false},
    {"tlsv1.3", PHP_TIDE_HOOK_TLS, true, NULL, NULL, {0}, false},
};
enum { X_PAIR = 4 };

/*
 * TLS over a hooked socket. ext/openssl's stream data begins, from PHP 5.6 to 8.4, with
 * these members (xp_ssl.c, php_openssl_netstream_data_t); Tide reads them, never writes
 * but `is_blocked` and `enable_on_connect`, each put back at once. SSL_want() comes from
 * the libssl ext/openssl is linked with (found at startup; without it TLS stays stock).
 */
typedef struct openssl_sock {
    php_netstream_data_t s;
    void *ssl_handle; /* SSL * */
    void *ctx;
    struct timeval connect_timeout;
    int enable_on_connect;
    int is_client;
    int ssl_active;
    php_stream_xport_crypt_method_t method;
} openssl_sock_t;

static int (*ssl_want)(const void *ssl);
#define TLS_WANTS_WRITE 2 /* SSL_WRITING */
#define TLS_WANTS_READ 3  /* SSL_READING */

/* The stream's TLS state when TLS is on, or NULL (a plain socket). */
static openssl_sock_t *tls_on(const xport_t *x, php_stream *stream)
{
    openssl_sock_t *t = stream->abstract;
    return x->openssl && t && t->ssl_active && t->ssl_handle ? t : NULL;
}

/* Whether TLS I/O waits in the coroutine now (else the stock TLS call, which polls). */
static bool tls_hooked(void)
{
    return ssl_want && php_tide_hooked(PHP_TIDE_HOOK_SSL | PHP_TIDE_HOOK_TLS);
}
#define NXPORTS (sizeof(xports) / sizeof(xports[0]))

static xport_t *xport_of(const php_stream *stream)
{
    for (size_t i = 0; i < NXPORTS; i++)
        if (stream->ops == &xports[i].ops)
            return &xports[i];
    return NULL;
}

static int64_t tv_ns(const struct timeval *tv)
{
    if (!tv || tv->tv_sec < 0)
        return -1; /* no timeout */
    return (int64_t)tv->tv_sec * 1000000000 + (int64_t)tv->tv_usec * 1000;
}

/* ---- waiting on a socket in a coroutine ---- */

/*
 * A socket's watch on the reactor stays armed between waits (no poll armed and cancelled
 * per wait): referenced while a coroutine waits on it, unreferenced between waits, and
 * dropped when an event comes with nobody waiting (epoll's level trigger would report it
 * again and again) or when the stream closes. The table also names the coroutine that
 * waits, for the error a second one gets.
 */
typedef struct fd_watch {
    tide_reactor_t *r;
    tide_op_t *op; /* armed, or NULL */
    bool out;      /* for writability */
    tide_coro_t *waiter;
    bool ready;  /* the waiter was woken by an event */
    bool closed; /* the stream closed while a coroutine waited (it frees this) */
} fd_watch_t;

static tide_idmap_t watches; /* fd + 1 -> fd_watch_t */

static void on_fd_ready(tide_reactor_t *r, void *udata, int fd)
{
    TIDE_UNUSED(fd);
    fd_watch_t *w = udata;
    if (w->waiter) {
        if (!w->ready) {
            w->ready = true;
            tide_coro_wake(TIDE_G(sched), w->waiter);
        }
        return;
    }
    tide_reactor_cancel(r, w->op);
    w->op = NULL;
}

/* Disarms fd's watch if nobody waits on it (its reader place is wanted elsewhere). */
static void release_watch(int fd)
{
    fd_watch_t *w = tide_idmap_get(&watches, (uint64_t)fd + 1);
    if (w && !w->waiter && w->op) {
        tide_reactor_cancel(w->r, w->op);
        w->op = NULL;
    }
}

/* The stream of fd closes: its watch goes (a waiter is woken, and frees it). */
static void forget_watch(int fd)
{
    fd_watch_t *w = tide_idmap_del(&watches, (uint64_t)fd + 1);
    if (!w)
        return;
    /* In a child forked since, the watch is on the parent's ring: the child must not touch
     * it (a cancel there is the parent's op); its copy goes with that reactor. */
    if (w->op && !tide_reactor_forked(w->r))
        tide_reactor_cancel(w->r, w->op);
    w->op = NULL;
    if (w->waiter) {
        w->closed = true;
        tide_coro_wake(TIDE_G(sched), w->waiter);
    } else {
        tide_free(w);
    }
}

void php_tide_stream_watches_forget(void)
{
    for (size_t i = 0; i < watches.cap; i++)
        if (watches.slots[i].id)
            tide_free(watches.slots[i].value); /* (their ops go with the reactor) */
    tide_idmap_destroy(&watches);
    tide_idmap_init(&watches);
}

/* The wait itself, for a caller that just found fd not ready (EAGAIN). */
static int wait_fd_ex(int fd, bool out, int64_t timeout_ns, const char *what, bool cancelable)
{
    tide_reactor_t *r = php_tide_reactor();
    tide_coro_t *self = tide_coro_current(TIDE_G(sched));
    fd_watch_t *w = tide_idmap_get(&watches, (uint64_t)fd + 1);
    if (w && w->waiter) {
        php_tide_throw(0, "%s: coroutine #%lld cannot wait on socket #%d: coroutine #%lld "
                       "is waiting on it (one coroutine at a time reads or writes a socket)",
                       what, (long long)tide_coro_id(self), fd,
                       (long long)tide_coro_id(w->waiter));
        return -EBUSY;
    }
    if (!w) {
        w = tide_calloc(1, sizeof(*w));
        tide_idmap_put(&watches, (uint64_t)fd + 1, w);
    }
    if (w->op && (w->r != r || w->out != out)) {
        if (w->r == r)
            tide_reactor_cancel(r, w->op);
        w->op = NULL;
    }
    if (w->op) {
        tide_reactor_ref(r, w->op);
    } else {
        int err = 0;
        w->op = out ? tide_reactor_poll_out(r, fd, on_fd_ready, w, &err)
                    : tide_reactor_poll(r, fd, on_fd_ready, w, &err);
        if (!w->op) {
            php_tide_throw(err, "%s: cannot wait on socket #%d", what, fd);
            return err;
        }
        w->r = r;
        w->out = out;
    }
    w->waiter = self;
    w->ready = false;
    php_tide_coro_waits_on(what);
    int rc = tide_coro_wait(TIDE_G(sched), timeout_ns, cancelable);
    bool ready = w->ready;
    if (w->closed) {
        tide_free(w);
        ready = false;
        if (rc == 0)
            rc = -EBADF;
    } else {
        w->waiter = NULL;
        if (w->op)
            tide_reactor_unref(r, w->op); /* armed for the next wait, not keeping the loop */
    }
    if (rc == TIDE_EKILLED) {
        php_tide_coro_killed();
        return rc;
    }
    return ready ? 0 : rc;
}

static int wait_fd(int fd, bool out, int64_t timeout_ns, const char *what)
{
    return wait_fd_ex(fd, out, timeout_ns, what, true);
}

void php_tide_forget_fd(int fd)
{
    forget_watch(fd);
}

/*
 * For a caller whose next call blocks (a stock accept, recvfrom, a pipe's read, reading a
 * connect's result): returns only when fd really is ready. A wake can be stale: the watch
 * is edge-triggered on io_uring, and an event queued for bytes that an earlier call found
 * and took (a poll() here, before any wait) still wakes the next waiter.
 */
int php_tide_wait_fd(int fd, bool out, int64_t timeout_ns, const char *what)
{
    return php_tide_wait_fd_ex(fd, out, timeout_ns, what, true);
}

int php_tide_wait_fd_ex(int fd, bool out, int64_t timeout_ns, const char *what, bool cancelable)
{
    int64_t deadline = timeout_ns < 0 ? -1 : (int64_t)tide_time_ns() + timeout_ns;
    for (;;) {
        struct pollfd p = {.fd = fd, .events = out ? POLLOUT : POLLIN};
        if (poll(&p, 1, 0) > 0)
            return 0; /* ready (or failed: the call finds out) */
        int64_t left = -1;
        if (deadline >= 0 && (left = deadline - (int64_t)tide_time_ns()) <= 0)
            return -ETIMEDOUT;
        int rc = wait_fd_ex(fd, out, left, what, cancelable);
        if (rc != 0)
            return rc;
    }
}

/* ---- the hooked operations ---- */

static bool use_hook(const xport_t *x, const php_netstream_data_t *sock)
{
    return x && sock && sock->socket >= 0 && sock->is_blocked && php_tide_hooked(x->flag);
}

/* ---- TLS: the stock calls made non-blocking, and the waits here ---- */

static int stock_set_option(xport_t *x, php_stream *stream, int option, int value, void *ptr);
/* The bit that tells a client method from a server one (STREAM_CRYPTO_METHOD_*_CLIENT). */
#define CRYPTO_IS_CLIENT 1

/*
 * The stock TLS read or write waits in poll() for the way TLS wants (a read may have to
 * write, in a renegotiation). Here: the stock call, made non-blocking (PHP's own
 * non-blocking TLS path, one SSL_read/SSL_write), and after each "not yet" a wait in the
 * coroutine for what SSL_want() says, until the stream's timeout (timed out: -1 and
 * timed_out in the meta data, as the stock call).
 */
static ssize_t tls_io(xport_t *x, php_stream *stream, openssl_sock_t *t, char *buf,
                      size_t count, bool rd)
{
    int fd = t->s.socket;
    int64_t timeout = tv_ns(&t->s.timeout);
    int64_t deadline = timeout < 0 ? -1 : (int64_t)tide_time_ns() + timeout;
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0 && !(fl & O_NONBLOCK))
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    t->s.is_blocked = 0;
    t->s.timeout_event = 0;
    ssize_t n;
    for (;;) {
        n = rd ? x->stock_ops->read(stream, buf, count) : x->stock_ops->write(stream, buf, count);
        if (n != 0 || stream->eof || EG(exception))
            break;
        int want = ssl_want(t->ssl_handle);
        if (want != TLS_WANTS_WRITE && want != TLS_WANTS_READ)
            break; /* not a "wait for the socket": an error the stock call reported */
        int64_t left = -1;
        if (deadline >= 0 && (left = deadline - (int64_t)tide_time_ns()) <= 0) {
            t->s.timeout_event = 1;
            n = -1;
            break;
        }
        int rc = wait_fd(fd, want == TLS_WANTS_WRITE, left, rd ? "fread()" : "fwrite()");
        if (rc < 0) {
            t->s.timeout_event = rc == -ETIMEDOUT;
            n = -1;
            break;
        }
    }
    t->s.is_blocked = 1;
    if (fl >= 0 && !(fl & O_NONBLOCK))
        fcntl(fd, F_SETFL, fl);
    return n;
}

/*
 * Turning TLS on (stream_socket_enable_crypto(), and the handshake of an ssl:// or tls://
 * connect or accept): the stock handshake step, non-blocking (PHP answers 0, "not yet"),
 * then a wait in the coroutine for what SSL_want() says, until it is done or fails, or
 * the handshake's timeout (PHP's warning, and false).
 */
static int tls_enable(xport_t *x, php_stream *stream, openssl_sock_t *t, void *ptr)
{
    php_stream_xport_crypto_param *cp = ptr;
    int fd = t->s.socket;
    const struct timeval *tv = t->is_client ? &t->connect_timeout : &t->s.timeout;
    int64_t timeout = tv->tv_sec > 0 || tv->tv_usec > 0 ? tv_ns(tv) : -1;
    int64_t deadline = timeout < 0 ? -1 : (int64_t)tide_time_ns() + timeout;
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0 && !(fl & O_NONBLOCK))
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    t->s.is_blocked = 0;
    int rc;
    for (;;) {
        rc = stock_set_option(x, stream, PHP_STREAM_OPTION_CRYPTO_API, 0, ptr);
        if (rc != PHP_STREAM_OPTION_RETURN_OK || cp->outputs.returncode != 0 || EG(exception))
            break;
        int want = ssl_want(t->ssl_handle);
        int64_t left = -1;
        if (deadline >= 0 && (left = deadline - (int64_t)tide_time_ns()) <= 0) {
            php_error_docref(NULL, E_WARNING, "SSL: Handshake timed out");
            cp->outputs.returncode = -1;
            break;
        }
        int w = wait_fd(fd, want == TLS_WANTS_WRITE, left, "stream_socket_enable_crypto()");
        if (w == -ETIMEDOUT) {
            php_error_docref(NULL, E_WARNING, "SSL: Handshake timed out");
            cp->outputs.returncode = -1;
            break;
        }
        if (w < 0) {
            cp->outputs.returncode = -1;
            break;
        }
    }
    t->s.is_blocked = 1;
    if (fl >= 0 && !(fl & O_NONBLOCK))
        fcntl(fd, F_SETFL, fl);
    return rc;
}

/* The TLS of an ssl:// or tls:// stream that connected or was accepted: set up and
 * turned on as the stock connect and accept do it, the handshake here. */
static bool tls_start(php_stream *stream, php_stream_xport_crypt_method_t method)
{
    if (php_stream_xport_crypto_setup(stream, method, NULL) < 0 ||
        php_stream_xport_crypto_enable(stream, 1) < 0) {
        php_error_docref(NULL, E_WARNING, "Failed to enable crypto");
        return false;
    }
    return true;
}

static ssize_t hook_read(php_stream *stream, char *buf, size_t count)
{
    xport_t *x = xport_of(stream);
    php_netstream_data_t *sock = stream->abstract;
    if (!use_hook(x, sock))
        return x ? x->stock_ops->read(stream, buf, count) : -1;
    openssl_sock_t *t = tls_on(x, stream);
    if (t) /* (bytes on the socket are TLS records: never read them here) */
        return count && tls_hooked() ? tls_io(x, stream, t, buf, count, true)
                                     : x->stock_ops->read(stream, buf, count);
    sock->timeout_event = 0;
    for (;;) {
        ssize_t n = recv(sock->socket, buf, count, MSG_DONTWAIT);
        if (n > 0) {
            php_stream_notify_progress_increment(PHP_STREAM_CONTEXT(stream), n, 0);
            return n;
        }
        if (n == 0) {
            stream->eof = 1;
            return 0;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            stream->eof = 1;
            return -1;
        }
        int rc = wait_fd(sock->socket, false, tv_ns(&sock->timeout), "fread()");
        if (rc == -ETIMEDOUT) {
            sock->timeout_event = 1;
            return 0;
        }
        if (rc < 0)
            return -1;
    }
}

static ssize_t hook_write(php_stream *stream, const char *buf, size_t count)
{
    xport_t *x = xport_of(stream);
    php_netstream_data_t *sock = stream->abstract;
    if (!use_hook(x, sock))
        return x ? x->stock_ops->write(stream, buf, count) : -1;
    openssl_sock_t *t = tls_on(x, stream);
    if (t)
        return count && tls_hooked() ? tls_io(x, stream, t, (char *)buf, count, false)
                                     : x->stock_ops->write(stream, buf, count);
    int err;
    for (;;) {
        ssize_t n = send(sock->socket, buf, count, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n >= 0) {
            if (n > 0)
                php_stream_notify_progress_increment(PHP_STREAM_CONTEXT(stream), n, 0);
            return n;
        }
        err = errno;
        if (err == EINTR)
            continue;
        if (err != EAGAIN && err != EWOULDBLOCK)
            break;
        sock->timeout_event = 0;
        int rc = wait_fd(sock->socket, true, tv_ns(&sock->timeout), "fwrite()");
        if (rc == -ETIMEDOUT) {
            sock->timeout_event = 1;
            break; /* as the stock write: a notice naming EAGAIN */
        }
        if (rc < 0)
            return -1;
    }
    char *estr = php_socket_strerror(err, NULL, 0);
    php_error_docref(NULL, E_NOTICE, "Send of " ZEND_LONG_FMT " bytes failed with errno=%d %s",
                     (zend_long)count, err, estr);
    efree(estr);
    return -1;
}

/* The stock set_option, with the stock operations in place (the stock code tells a unix
 * socket from a TCP one, and a datagram one, by them). */
static int stock_set_option(xport_t *x, php_stream *stream, int option, int value, void *ptr)
{
    stream->ops = x->stock_ops;
    int rc = x->stock_ops->set_option(stream, option, value, ptr);
    stream->ops = &x->ops;
    return rc;
}

static void adopt(xport_t *x, php_stream *stream);

static void connect_failed(php_stream_xport_param *xp, php_netstream_data_t *sock, int err)
{
    forget_watch(sock->socket);
    closesocket(sock->socket);
    sock->socket = -1;
    xp->outputs.returncode = -1;
    xp->outputs.error_code = err;
    if (xp->want_errortext)
        xp->outputs.error_text = php_socket_error_str(err);
}

/*
 * The stock connect, asked not to wait; then the wait here, in the coroutine. An address
 * that refuses (or cannot be reached): with `each` the stock connect tries every address
 * the name has (localhost: ::1, then 127.0.0.1), as PHP does; without, *refused is set and
 * the caller tries its next address.
 */
static int connect_one(xport_t *x, php_stream *stream, php_stream_xport_param *xp, bool each,
                       bool *refused)
{
    /* ext/openssl's asynchronous connect would start an ssl:// or tls:// handshake at once,
     * in poll(): that is done below, once connected, in the coroutine. */
    openssl_sock_t *t = x->openssl && tls_hooked() ? stream->abstract : NULL;
    int tls = t ? t->enable_on_connect : 0;
    if (tls)
        t->enable_on_connect = 0;
    xp->op = STREAM_XPORT_OP_CONNECT_ASYNC;
    int rc = stock_set_option(x, stream, PHP_STREAM_OPTION_XPORT_API, 0, xp);
    xp->op = STREAM_XPORT_OP_CONNECT;
    if (tls)
        t->enable_on_connect = tls;
    php_netstream_data_t *sock = stream->abstract;
    if (rc == PHP_STREAM_OPTION_RETURN_OK && xp->outputs.returncode == 0 && tls &&
        !tls_start(stream, t->method))
        xp->outputs.returncode = -1; /* connected at once: the handshake, here */
    if (rc != PHP_STREAM_OPTION_RETURN_OK || xp->outputs.returncode != 1 || !sock ||
        sock->socket < 0)
        return rc; /* connected at once, or failed (with PHP's error) */
    int err = 0;
    int w = php_tide_wait_fd(sock->socket, true, tv_ns(xp->inputs.timeout),
                             "stream_socket_client()");
    if (w == 0) {
        socklen_t len = sizeof(err);
        if (getsockopt(sock->socket, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
            err = errno;
    } else {
        err = w == -ETIMEDOUT ? ETIMEDOUT : ECANCELED;
    }
    if (err == ECONNREFUSED || err == ENETUNREACH || err == EHOSTUNREACH) {
        if (each) {
            forget_watch(sock->socket);
            closesocket(sock->socket);
            sock->socket = -1;
            if (xp->outputs.error_text) {
                zend_string_release(xp->outputs.error_text);
                xp->outputs.error_text = NULL;
            }
            return stock_set_option(x, stream, PHP_STREAM_OPTION_XPORT_API, 0, xp);
        }
        *refused = true;
    }
    if (err) {
        connect_failed(xp, sock, err);
        return PHP_STREAM_OPTION_RETURN_OK;
    }
    /* Connected. The socket is as blocking as the stream says (the stock asynchronous
     * connect leaves it non-blocking), so that it behaves as stock PHP outside coroutines. */
    php_set_sock_blocking(sock->socket, sock->is_blocked);
    release_watch(sock->socket); /* (for writability: not what the next wait wants) */
    xp->outputs.returncode = 0;
    if (tls && !tls_start(stream, t->method))
        xp->outputs.returncode = -1; /* (ssl://, tls://: what the stock connect does next) */
    return PHP_STREAM_OPTION_RETURN_OK;
}

/* The host of a tcp:// or udp:// name "host:port" when it is a name to look up (not an
 * address), with its port; false otherwise (PHP parses and reports the rest). */
static bool name_to_resolve(const php_stream_xport_param *xp, size_t *host_len, unsigned *port)
{
    const char *name = xp->inputs.name;
    if (!name || !xp->inputs.namelen || name[0] == '[')
        return false;
    const char *colon = zend_memrchr(name, ':', xp->inputs.namelen);
    if (!colon || colon == name)
        return false;
    char *end;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (end == colon + 1 || p > 65535)
        return false;
    size_t len = (size_t)(colon - name);
    char host[MAXFQDNLEN + 1];
    if (len > MAXFQDNLEN)
        return false;
    memcpy(host, name, len);
    host[len] = 0;
    struct in6_addr a;
    if (inet_pton(AF_INET, host, &a) == 1 || inet_pton(AF_INET6, host, &a) == 1)
        return false;
    *host_len = len;
    *port = (unsigned)p;
    return true;
}

static int hooked_connect(xport_t *x, php_stream *stream, php_stream_xport_param *xp)
{
    size_t host_len;
    unsigned port;
    bool refused = false;
    if (x->inet && php_tide_hooked(PHP_TIDE_HOOK_DNS) &&
        name_to_resolve(xp, &host_len, &port)) {
        /* HOOK_DNS: the lookup PHP would make, in a helper thread; then each address in
         * turn, as PHP tries them. */
        int rc;
        php_tide_dns_t *j =
            php_tide_dns_connect_lookup(xp->inputs.name, host_len, x == &xports[1] ? SOCK_DGRAM
                                                                                  : SOCK_STREAM,
                                        "stream_socket_client()", &rc);
        if (j || rc < 0) {
            if (rc < 0 || php_tide_dns_count(j) == 0) {
                /* Killed, or no address: PHP's warning and error text. */
                xp->outputs.returncode = -1;
                xp->outputs.error_code = 0;
                if (rc == 0) {
                    zend_string *e = php_tide_dns_error(j);
                    php_error_docref(NULL, E_WARNING, "%s", ZSTR_VAL(e));
                    if (xp->want_errortext)
                        xp->outputs.error_text = e;
                    else
                        zend_string_release(e);
                }
                if (j)
                    efree(j);
                return PHP_STREAM_OPTION_RETURN_OK;
            }
            char *name = xp->inputs.name;
            size_t namelen = xp->inputs.namelen;
            char addr[INET6_ADDRSTRLEN + 16];
            int n = php_tide_dns_count(j);
            for (int i = 0; i < n; i++) {
                xp->inputs.namelen = php_tide_dns_name(j, i, port, addr, sizeof(addr));
                xp->inputs.name = addr;
                refused = false;
                rc = connect_one(x, stream, xp, false, &refused);
                if (!refused || i == n - 1 || EG(exception))
                    break;
                if (xp->outputs.error_text) {
                    zend_string_release(xp->outputs.error_text);
                    xp->outputs.error_text = NULL;
                }
            }
            xp->inputs.name = name;
            xp->inputs.namelen = namelen;
            efree(j);
            return rc;
        }
    }
    return connect_one(x, stream, xp, true, &refused);
}

static int hooked_accept(xport_t *x, php_stream *stream, php_stream_xport_param *xp)
{
    php_netstream_data_t *sock = stream->abstract;
    int w = php_tide_wait_fd(sock->socket, false, tv_ns(xp->inputs.timeout),
                             "stream_socket_accept()");
    if (w < 0) {
        int err = w == -ETIMEDOUT ? ETIMEDOUT : ECANCELED;
        xp->outputs.client = NULL;
        xp->outputs.returncode = -1;
        xp->outputs.error_code = err;
        if (xp->want_errortext)
            xp->outputs.error_text = php_socket_error_str(err);
        return PHP_STREAM_OPTION_RETURN_OK;
    }
    /* A connection waits: the stock accept takes it without waiting. An ssl:// or tls://
     * server's handshake with it is done here, in the coroutine, not by the stock accept
     * (which would wait for the client in poll()). */
    openssl_sock_t *t = x->openssl && tls_hooked() ? stream->abstract : NULL;
    int tls = t ? t->enable_on_connect : 0;
    if (tls)
        t->enable_on_connect = 0;
    struct timeval zero = {0, 0}, *timeout = xp->inputs.timeout;
    xp->inputs.timeout = &zero;
    int rc = stock_set_option(x, stream, PHP_STREAM_OPTION_XPORT_API, 0, xp);
    xp->inputs.timeout = timeout;
    if (tls)
        t->enable_on_connect = tls;
    php_stream *client = xp->outputs.client;
    if (client)
        adopt(x, client);
    if (client && tls) {
        /* As the stock accept: the server's method (without the client bit) for both. */
        if (t->method & CRYPTO_IS_CLIENT)
            t->method = (php_stream_xport_crypt_method_t)((t->method >> 1) << 1);
        ((openssl_sock_t *)client->abstract)->method = t->method;
        if (!tls_start(client, t->method)) {
            php_stream_close(client);
            xp->outputs.client = NULL;
            xp->outputs.returncode = -1;
        }
    }
    return rc;
}

static int hook_close(php_stream *stream, int close_handle)
{
    xport_t *x = xport_of(stream);
    php_netstream_data_t *sock = stream->abstract;
    if (sock && sock->socket >= 0)
        forget_watch(sock->socket); /* before the number can be handed out again */
    return x ? x->stock_ops->close(stream, close_handle) : 0;
}

static int hook_set_option(php_stream *stream, int option, int value, void *ptr)
{
    xport_t *x = xport_of(stream);
    if (!x)
        return PHP_STREAM_OPTION_RETURN_ERR;
    php_netstream_data_t *sock = stream->abstract;
    if (option == PHP_STREAM_OPTION_XPORT_API && sock && php_tide_hooked(x->flag)) {
        php_stream_xport_param *xp = ptr;
        if (xp->op == STREAM_XPORT_OP_CONNECT)
            return hooked_connect(x, stream, xp);
        if (xp->op == STREAM_XPORT_OP_ACCEPT && sock->socket >= 0)
            return hooked_accept(x, stream, xp);
        if (xp->op == STREAM_XPORT_OP_RECV && sock->socket >= 0 && sock->is_blocked) {
            /* stream_socket_recvfrom(): waits for data here, then the stock one reads. */
            int w = php_tide_wait_fd(sock->socket, false, tv_ns(&sock->timeout),
                                     "stream_socket_recvfrom()");
            if (w < 0) {
                sock->timeout_event = w == -ETIMEDOUT;
                xp->outputs.returncode = -1;
                return PHP_STREAM_OPTION_RETURN_OK;
            }
        }
    }
    if (option == PHP_STREAM_OPTION_CRYPTO_API && x->openssl && sock && sock->socket >= 0 &&
        sock->is_blocked && php_tide_hooked(x->flag) && tls_hooked()) {
        php_stream_xport_crypto_param *cp = ptr;
        openssl_sock_t *t = stream->abstract;
        if (cp->op == STREAM_XPORT_CRYPTO_OP_ENABLE && cp->inputs.activate && t->ssl_handle &&
            !t->ssl_active)
            return tls_enable(x, stream, t, ptr);
    }
    int rc = stock_set_option(x, stream, option, value, ptr);
    if (option == PHP_STREAM_OPTION_XPORT_API && ((php_stream_xport_param *)ptr)->op ==
                                                     STREAM_XPORT_OP_ACCEPT &&
        ((php_stream_xport_param *)ptr)->outputs.client)
        adopt(x, ((php_stream_xport_param *)ptr)->outputs.client);
    return rc;
}

/* ---- the transports ---- */

static void adopt(xport_t *x, php_stream *stream)
{
    if (!x->stock_ops) {
        x->stock_ops = stream->ops;
        x->ops = *stream->ops; /* its label too: stream_get_meta_data() says the same */
        x->ops.read = hook_read;
        x->ops.write = hook_write;
        x->ops.set_option = hook_set_option;
        x->ops.close = hook_close;
        x->openssl = stream->ops->label && !strcmp(stream->ops->label, "tcp_socket/ssl");
    }
    if (stream->ops == x->stock_ops)
        stream->ops = &x->ops;
}

static php_stream *hook_factory(const char *proto, size_t protolen, const char *resourcename,
                                size_t resourcenamelen, const char *persistent_id, int options,
                                int flags, struct timeval *timeout,
                                php_stream_context *context STREAMS_DC)
{
    xport_t *x = NULL;
    for (size_t i = 0; i < NXPORTS; i++)
        if (strlen(xports[i].proto) == protolen && !strncasecmp(proto, xports[i].proto, protolen))
            x = &xports[i];
    if (!x || !x->stock_factory)
        return NULL;
    php_stream *stream = x->stock_factory(proto, protolen, resourcename, resourcenamelen,
                                          persistent_id, options, flags, timeout,
                                          context STREAMS_CC);
    if (stream)
        adopt(x, stream);
    return stream;
}

static zif_handler stock_pair;

/* The stream a zval holds, or NULL. */
static php_stream *stream_of(zval *z)
{
    ZVAL_DEREF(z);
    return Z_TYPE_P(z) == IS_RESOURCE ? zend_fetch_resource2(Z_RES_P(z), "stream",
                                                             php_file_le_stream(),
                                                             php_file_le_pstream())
                                      : NULL;
}

/* stream_socket_pair(): the stock one, then both its streams are hooked streams. */
static ZEND_NAMED_FUNCTION(hook_stream_socket_pair)
{
    stock_pair(execute_data, return_value);
    if (Z_TYPE_P(return_value) != IS_ARRAY)
        return;
    zval *z;
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(return_value), z) {
        php_stream *stream = stream_of(z);
        if (stream)
            adopt(&xports[X_PAIR], stream);
    } ZEND_HASH_FOREACH_END();
}

/* ---- HOOK_PROC: the pipes of proc_open() ---- */

/* php_stream_stdio_ops with read, write and close hooked, for the pipes proc_open() made. */
static php_stream_ops pipe_ops;
static zif_handler stock_proc_open;

static int stream_fd(php_stream *stream)
{
    int fd = -1;
    if (php_stream_cast(stream, PHP_STREAM_AS_FD | PHP_STREAM_CAST_INTERNAL, (void **)&fd, 0) !=
        SUCCESS)
        return -1;
    return fd;
}

/* The pipe's descriptor when its hook applies (a blocking pipe, in a coroutine), or -1. */
static int hooked_pipe(php_stream *stream)
{
    if (!php_tide_hooked(PHP_TIDE_HOOK_PROC))
        return -1;
    int fd = stream_fd(stream);
    if (fd < 0)
        return -1;
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 || (fl & O_NONBLOCK) ? -1 : fd;
}

static ssize_t hook_pipe_read(php_stream *stream, char *buf, size_t count)
{
    int fd = hooked_pipe(stream);
    if (fd >= 0) {
        if (php_tide_wait_fd(fd, false, -1, "fread()") < 0)
            return -1;
    }
    return php_stream_stdio_ops.read(stream, buf, count);
}

static ssize_t hook_pipe_write(php_stream *stream, const char *buf, size_t count)
{
    int fd = hooked_pipe(stream);
    if (fd < 0)
        return php_stream_stdio_ops.write(stream, buf, count);
    /* All of it, as a blocking write does, waiting in the coroutine while the pipe is full
     * (its reader may be another coroutine of this process). */
    int fl = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    size_t done = 0;
    int err = 0;
    while (done < count) {
        ssize_t n = write(fd, buf + done, count - done);
        if (n > 0) {
            done += (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (wait_fd(fd, true, -1, "fwrite()") < 0)
                break;
        } else {
            err = n < 0 ? errno : EIO;
            break;
        }
    }
    fcntl(fd, F_SETFL, fl);
    if (err && !done) {
        php_error_docref(NULL, E_NOTICE, "Write of %zu bytes failed with errno=%d %s", count, err,
                         strerror(err));
        return -1;
    }
    return (ssize_t)done;
}

static int hook_pipe_close(php_stream *stream, int close_handle)
{
    int fd = stream_fd(stream);
    if (fd >= 0)
        forget_watch(fd);
    return php_stream_stdio_ops.close(stream, close_handle);
}

/* proc_open(): the stock one, then the pipes it made are hooked pipes. */
static ZEND_NAMED_FUNCTION(hook_proc_open)
{
    stock_proc_open(execute_data, return_value);
    if (Z_TYPE_P(return_value) != IS_RESOURCE || ZEND_NUM_ARGS() < 3)
        return;
    zval *pipes = ZEND_CALL_ARG(execute_data, 3);
    ZVAL_DEREF(pipes);
    if (Z_TYPE_P(pipes) != IS_ARRAY)
        return;
    if (!pipe_ops.read) {
        pipe_ops = php_stream_stdio_ops;
        pipe_ops.read = hook_pipe_read;
        pipe_ops.write = hook_pipe_write;
        pipe_ops.close = hook_pipe_close;
    }
    zval *z;
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(pipes), z) {
        php_stream *stream = stream_of(z);
        if (stream && stream->ops == &php_stream_stdio_ops)
            stream->ops = &pipe_ops;
    } ZEND_HASH_FOREACH_END();
}

/* ---- HOOK_STREAM_FUNCTION: stream_select() ---- */

static zif_handler stock_select;

typedef struct select_wait {
    tide_coro_t *co;
    bool ready;
} select_wait_t;

static void on_select_ready(tide_reactor_t *r, void *udata, int fd)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(fd);
    select_wait_t *w = udata;
    if (!w->ready) {
        w->ready = true;
        tide_coro_wake(TIDE_G(sched), w->co);
    }
}

/* The descriptors of the streams in array a (or NULL), appended to fds; false when one
 * has none (not a stream that can be selected). */
static bool select_fds(zval *a, int **fds, size_t *n, size_t *cap)
{
    if (!a || Z_TYPE_P(a) != IS_ARRAY)
        return true;
    zval *z;
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(a), z) {
        php_stream *stream = stream_of(z);
        php_socket_t fd;
        if (!stream ||
            php_stream_cast(stream, PHP_STREAM_AS_FD_FOR_SELECT | PHP_STREAM_CAST_INTERNAL,
                            (void **)&fd, 1) != SUCCESS ||
            fd < 0)
            return false;
        if (*n == *cap) {
            *cap = *cap ? 2 * *cap : 8;
            *fds = erealloc(*fds, *cap * sizeof(**fds));
        }
        (*fds)[(*n)++] = fd;
    } ZEND_HASH_FOREACH_END();
    return true;
}

int php_tide_wait_fds(const int *rfds, size_t nr, const int *wfds, size_t nw,
                      int64_t timeout_ns, const char *what, bool cancelable)
{
    tide_reactor_t *r = php_tide_reactor();
    select_wait_t w = {tide_coro_current(TIDE_G(sched)), false};
    size_t n = nr + nw, armed = 0;
    tide_op_t **ops = ecalloc(n ? n : 1, sizeof(*ops));
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        release_watch(i < nr ? rfds[i] : wfds[i - nr]); /* (their reader place is wanted) */
    for (size_t i = 0; i < n && rc == 0; i++) {
        ops[i] = i < nr ? tide_reactor_poll(r, rfds[i], on_select_ready, &w, &rc)
                        : tide_reactor_poll_out(r, wfds[i - nr], on_select_ready, &w, &rc);
        if (ops[i])
            armed++;
        else if (rc == 0)
            rc = -EBUSY;
    }
    if (rc == 0) {
        php_tide_coro_waits_on(what);
        if (tide_coro_wait(TIDE_G(sched), timeout_ns, cancelable) == TIDE_EKILLED) {
            php_tide_coro_killed();
            rc = TIDE_EKILLED;
        }
    }
    for (size_t i = 0; i < armed; i++)
        tide_reactor_cancel(r, ops[i]);
    efree(ops);
    return rc;
}

/*
 * stream_select() in a coroutine: the stock one is asked with a zero timeout; when
 * nothing is ready and the caller would wait, the coroutine waits on the reactor for any
 * of the descriptors (or the timeout), and the stock one, asked again with the arrays as
 * they were, says which are ready. A stream in both the read and the write array, an
 * except array, or a stream without a descriptor: the stock one, which blocks.
 */
static ZEND_NAMED_FUNCTION(hook_stream_select)
{
    zval *r_arr, *w_arr, *e_arr;
    zend_long sec = 0, usec = 0;
    bool sec_null = true, usec_null = true;
    ZEND_PARSE_PARAMETERS_START(4, 5)
        Z_PARAM_ARRAY_EX2(r_arr, 1, 1, 0)
        Z_PARAM_ARRAY_EX2(w_arr, 1, 1, 0)
        Z_PARAM_ARRAY_EX2(e_arr, 1, 1, 0)
        Z_PARAM_LONG_OR_NULL(sec, sec_null)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG_OR_NULL(usec, usec_null)
    ZEND_PARSE_PARAMETERS_END();
    /* (the arrays are the referenced values, separated: ours to put back) */
    zval *e_val = e_arr;
    bool waits = sec_null || sec > 0 || (!usec_null && usec > 0);
    if (!php_tide_hooked(PHP_TIDE_HOOK_STREAM_FUNCTION) || !waits || sec < 0 || usec < 0 ||
        (e_val && Z_TYPE_P(e_val) == IS_ARRAY && zend_hash_num_elements(Z_ARRVAL_P(e_val)))) {
        stock_select(execute_data, return_value);
        return;
    }
    int *fds = NULL;
    size_t nr = 0, n = 0, cap = 0;
    bool selectable = select_fds(r_arr, &fds, &n, &cap);
    nr = n;
    selectable = selectable && select_fds(w_arr, &fds, &n, &cap);
    for (size_t i = 0; selectable && i < nr; i++)
        for (size_t k = nr; k < n; k++)
            selectable = selectable && fds[i] != fds[k];
    if (!selectable || !n) {
        efree(fds);
        stock_select(execute_data, return_value);
        return;
    }
    /* What the arrays hold now: the stock call empties what is not ready. */
    zval r_copy, w_copy;
    ZVAL_UNDEF(&r_copy);
    ZVAL_UNDEF(&w_copy);
    if (r_arr)
        ZVAL_COPY(&r_copy, r_arr);
    if (w_arr)
        ZVAL_COPY(&w_copy, w_arr);
    /* The stock one, without waiting (its timeout arguments set to 0 for the call). */
    uint32_t nargs = ZEND_NUM_ARGS();
    zval *zsec = ZEND_CALL_ARG(execute_data, 4), *zusec = nargs > 4 ? ZEND_CALL_ARG(execute_data, 5) : NULL;
    zval sec_saved = *zsec, usec_saved;
    ZVAL_LONG(zsec, 0);
    if (zusec) {
        usec_saved = *zusec;
        ZVAL_LONG(zusec, 0);
    }
    uint64_t deadline = sec_null ? 0 : tide_time_ns() + (uint64_t)sec * 1000000000u +
                                           (uint64_t)(usec_null ? 0 : usec) * 1000u;
    stock_select(execute_data, return_value);
    while (Z_TYPE_P(return_value) == IS_LONG && Z_LVAL_P(return_value) == 0 && !EG(exception)) {
        int64_t left = -1;
        if (!sec_null) {
            uint64_t now = tide_time_ns();
            if (now >= deadline)
                break;
            left = (int64_t)(deadline - now);
        }
        bool waited =
            php_tide_wait_fds(fds, nr, fds + nr, n - nr, left, "stream_select()", true) == 0;
        if (EG(exception))
            break;
        /* The arrays as they were, and the stock one again. */
        if (r_arr) {
            zval_ptr_dtor(r_arr);
            ZVAL_COPY(r_arr, &r_copy);
        }
        if (w_arr) {
            zval_ptr_dtor(w_arr);
            ZVAL_COPY(w_arr, &w_copy);
        }
        zval_ptr_dtor(return_value);
        if (!waited) {
            /* A stream another coroutine waits on: the stock one, which blocks. */
            *zsec = sec_saved;
            if (zusec)
                *zusec = usec_saved;
            stock_select(execute_data, return_value);
            break;
        }
        stock_select(execute_data, return_value);
    }
    *zsec = sec_saved;
    if (zusec)
        *zusec = usec_saved;
    zval_ptr_dtor(&r_copy);
    zval_ptr_dtor(&w_copy);
    efree(fds);
}

void php_tide_stream_hooks_minit(void)
{
    ssl_want = (int (*)(const void *))dlsym(RTLD_DEFAULT, "SSL_want");
    php_tide_hook_function("proc_open", hook_proc_open, &stock_proc_open);
    php_tide_hook_function("stream_select", hook_stream_select, &stock_select);
    php_tide_hook_function("stream_socket_pair", hook_stream_socket_pair, &stock_pair);
    HashTable *h = php_stream_xport_get_hash();
    for (size_t i = 0; i < NXPORTS; i++) {
        php_stream_transport_factory xf =
            i == X_PAIR ? NULL
                        : zend_hash_str_find_ptr(h, xports[i].proto, strlen(xports[i].proto));
        if (!xf)
            continue; /* not in this build (unix:// without AF_UNIX) */
        xports[i].stock_factory = xf;
        php_stream_xport_register(xports[i].proto, hook_factory);
    }
}

void php_tide_stream_hooks_mshutdown(void)
{
    php_tide_unhook_function("proc_open", hook_proc_open, &stock_proc_open);
    php_tide_unhook_function("stream_select", hook_stream_select, &stock_select);
    php_tide_unhook_function("stream_socket_pair", hook_stream_socket_pair, &stock_pair);
    HashTable *h = php_stream_xport_get_hash();
    for (size_t i = 0; i < NXPORTS; i++) {
        if (xports[i].stock_factory &&
            zend_hash_str_find_ptr(h, xports[i].proto, strlen(xports[i].proto)) == hook_factory)
            php_stream_xport_register(xports[i].proto, xports[i].stock_factory);
        xports[i].stock_factory = NULL;
    }
}

void php_tide_stream_hooks_rshutdown(void)
{
    php_tide_stream_watches_forget();
}

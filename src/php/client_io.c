/* SPDX-License-Identifier: MIT */
/*
 * The socket clients' connection: deadlines, waiting on the socket, reading, writing,
 * connect, TLS and close.
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
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "php.h"
#include "php_network.h"
#include "php_tide.h"
#include "php_tide_client.h"
#include "tide/frame.h"
#include "tide/sock.h"

/* ---- waiting ---- */

int64_t php_tide_client_deadline(double seconds)
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
int php_tide_client_wait_io(int fd, bool out, int64_t deadline, const char *what)
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
static void stream_timeout(php_tide_client_t *c, int64_t deadline)
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
ssize_t php_tide_client_read(php_tide_client_t *c, char *buf, size_t len, int flags,
                             int64_t deadline)
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
        int rc = php_tide_client_wait_io(c->fd, false, deadline, "Tide\\Coroutine\\Client::recv()");
        if (rc < 0)
            return rc;
        if (c->close_pending)
            return -ECONNABORTED;
    }
}

/* Writes all of buf; 0, or a negative errno with *sent what went. */
int php_tide_client_write_all(php_tide_client_t *c, const char *buf, size_t len, int64_t deadline,
                              size_t *sent)
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
                int rc = php_tide_client_wait_io(c->fd, true, deadline,
                                                 "Tide\\Coroutine\\Client::send()");
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

void php_tide_client_drop_stream(php_tide_client_t *c)
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
bool php_tide_client_close(php_tide_client_t *c)
{
    if (!c->stream)
        return false;
    if (c->busy) {
        c->close_pending = true;
        shutdown(c->fd, SHUT_RDWR);
        return true;
    }
    php_tide_client_drop_stream(c);
    php_tide_client_set_connected_props(c);
    return true;
}

void php_tide_client_enter(php_tide_client_t *c)
{
    c->busy++;
}

void php_tide_client_leave(php_tide_client_t *c)
{
    if (--c->busy == 0 && c->close_pending) {
        c->close_pending = false;
        php_tide_client_drop_stream(c);
        php_tide_client_set_connected_props(c);
    }
}

void php_tide_client_set_connected_props(php_tide_client_t *c)
{
    zend_long fd = c->stream && c->connected ? c->fd : -1;
    zend_update_property_long(c->std.ce, &c->std, c->sync ? "sock" : "fd", c->sync ? 4 : 2, fd);
    if (!c->sync)
        zend_update_property_bool(c->std.ce, &c->std, ZEND_STRL("connected"), fd >= 0);
}

/* Turns TLS on over the connected tcp:// stream; 0 or E_SSL_HANDSHAKE. */
int php_tide_client_start_tls(php_tide_client_t *c, int64_t deadline)
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
int php_tide_client_connect(php_tide_client_t *c, const char *host, size_t host_len, zend_long port,
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
    int64_t deadline = php_tide_client_deadline(c->connect_timeout);
    struct timeval tv = {0, 0}, *tvp = NULL;
    if (deadline >= 0) {
        int64_t left = left_of(deadline);
        tv.tv_sec = (time_t)(left / 1000000000);
        tv.tv_usec = (suseconds_t)(left % 1000000000 / 1000);
        tvp = &tv;
    }
    php_stream_context *ctx = php_tide_client_context(c);
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
        int rc = php_tide_client_start_tls(c, deadline);
        if (rc) {
            php_tide_client_drop_stream(c);
            return rc;
        }
    }
    return 0;
}

/* The datagram socket sendto() uses when connect() made none (Swoole's UDP clients send
 * without connecting). */
int php_tide_client_make_dgram(php_tide_client_t *c)
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

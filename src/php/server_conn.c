/* SPDX-License-Identifier: MIT */
/*
 * Methods on connections: send, sendwait, sendto, sendfile, close, pause, resume, exists,
 * getClientInfo, getClientList, heartbeat; and getLastError. They work in any process of a
 * running server (the core routes each to the connection's owner).
 *
 * Errors: calling one before start() or where it cannot work is a Tide\Exception naming the
 * method; a connection that went away is Swoole's false with a warning. Warnings that a
 * busy server can repeat without end (a full output buffer) are rate-limited: at most 10 a
 * second per kind, then one line saying how many were left out.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "php.h"
#include "php_tide_server.h"
#include "zend_exceptions.h"

#define THIS_SERVER() php_tide_server_from(Z_OBJ_P(ZEND_THIS))

static tide_ratelimit_t rl_gone, rl_full;

void php_tide_warn_limited(tide_ratelimit_t *rl, const char *fmt, ...)
{
    uint64_t dropped;
    if (!tide_ratelimit_allow(rl, &dropped))
        return;
    va_list ap;
    va_start(ap, fmt);
    zend_string *msg = zend_vstrpprintf(0, fmt, ap);
    va_end(ap);
    if (dropped)
        php_error_docref(NULL, E_WARNING, "%s (%llu similar warnings left out)", ZSTR_VAL(msg),
                         (unsigned long long)dropped);
    else
        php_error_docref(NULL, E_WARNING, "%s", ZSTR_VAL(msg));
    zend_string_release(msg);
}

/* A core result as PHP sees it: true, false with a warning (the connection went away, or
 * its buffer is full), or an exception (the method cannot work here). A failure's code is
 * what getLastError() and swoole_last_error() say next. */
static void result(zval *return_value, int rc, zend_long fd, const char *method)
{
    if (rc < 0)
        TIDE_G(last_error) = -(zend_long)rc;
    if (rc >= 0) {
        RETVAL_TRUE;
    } else if (rc == TIDE_ECLOSED) {
        php_tide_warn_limited(&rl_gone, "connection #" ZEND_LONG_FMT " does not exist", fd);
        RETVAL_FALSE;
    } else if (rc == TIDE_ESTATE) {
        php_tide_throw(0, "Tide\\Server::%s() cannot be used in the %s process", method,
                       php_tide_running->core.role == TIDE_ROLE_MANAGER ? "manager" : "master");
    } else {
        php_tide_warn_limited(&rl_gone, "connection #" ZEND_LONG_FMT ": %s", fd, tide_strerror(rc));
        RETVAL_FALSE;
    }
}

static bool snapshot(zend_long fd, tide_conninfo_t *out);

/* send() and sendwait(): data queued for connection fd; false with a warning. */
static bool send_to(php_tide_server_t *srv, zend_long fd, zend_string *data, zval *return_value,
                    const char *method)
{
    uint64_t queued = 0;
    int rc = fd > 0 ? tide_server_send(&srv->core, (uint64_t)fd, ZSTR_VAL(data), ZSTR_LEN(data),
                                       &queued)
                    : TIDE_ECLOSED;
    if (rc == TIDE_EFULL) {
        TIDE_G(last_error) = -(zend_long)rc;
        tide_conninfo_t *c = tide_conntab_find(&srv->core.tab, (uint64_t)fd);
        tide_port_t *port = c ? tide_server_port_of(&srv->core, c) : NULL;
        php_tide_warn_limited(&rl_full,
                     "connection #" ZEND_LONG_FMT
                     ": output buffer full (%llu bytes queued, buffer_output_size is %zu)",
                     fd, (unsigned long long)queued,
                     port && port->buffer_output_size ? port->buffer_output_size : (size_t)2 << 20);
        RETVAL_FALSE;
        return false;
    }
    result(return_value, rc, fd, method);
    return rc >= 0;
}

ZEND_METHOD(Tide_Server, send)
{
    zend_long fd;
    zend_string *data;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_LONG(fd)
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = php_tide_server_running(THIS_SERVER(), "send");
    if (!srv)
        RETURN_THROWS();
    send_to(srv, fd, data, return_value, "send");
}

/* A client that takes none of what sendwait() queued for this long is given up on. */
#define SENDWAIT_STALL_NS (60 * 1000000000LL)

typedef struct sendwait {
    zend_long fd;
    uint64_t last_sent; /* the connection's sent_bytes when it last grew */
    int64_t stalled, step;
} sendwait_t;

/* Sleeps a step (1 ms, doubling to 20 ms) while the client reads. False (return_value set,
 * with a warning, or an exception) when the connection is gone, the client read nothing for
 * SENDWAIT_STALL_NS, or the coroutine is being torn down. */
static bool sendwait_sleep(sendwait_t *w, tide_conninfo_t *now, zval *return_value)
{
    if (now->sent_bytes > w->last_sent) {
        w->last_sent = now->sent_bytes; /* the client takes some: wait again from the start */
        w->stalled = 0;
        w->step = 1000000;
    }
    if (w->stalled >= SENDWAIT_STALL_NS) {
        php_tide_warn_limited(&rl_full, "connection #" ZEND_LONG_FMT ": sendwait(): the client "
                              "read nothing for %d s", w->fd, (int)(SENDWAIT_STALL_NS / 1000000000LL));
        RETVAL_FALSE;
        return false;
    }
    php_tide_coro_waits_on("Tide\\Server::sendwait() (the client to read)");
    if (tide_coro_sleep(TIDE_G(sched), w->step) == TIDE_EKILLED) {
        php_tide_coro_killed();
        return false;
    }
    w->stalled += w->step;
    if (w->step < 20000000)
        w->step *= 2;
    return true;
}

/* The connection's slot now; false (with a warning) when it is gone. */
static bool sendwait_alive(sendwait_t *w, tide_conninfo_t *now, zval *return_value)
{
    if (snapshot(w->fd, now))
        return true;
    TIDE_G(last_error) = -(zend_long)TIDE_ECLOSED;
    php_tide_warn_limited(&rl_gone, "connection #" ZEND_LONG_FMT " closed before sendwait()'s "
                          "data was written", w->fd);
    RETVAL_FALSE;
    return false;
}

/*
 * Swoole's sendwait() writes synchronously, in MODE_BASE only. Here, inside a coroutine (the
 * request and receive callbacks run in one): the data goes in pieces that fit the output
 * buffer (buffer_output_size), each when there is room, and sendwait() returns once the
 * connection's owner has written to the socket what was queued before it and all of it (the
 * counters of the connection table, so from any worker, in both modes); the coroutine sleeps
 * meanwhile. False with a warning when the connection goes away or the client reads nothing
 * for 60 s (the connection stays). Outside a coroutine it is send(): waiting there would stop
 * the loop that writes.
 */
ZEND_METHOD(Tide_Server, sendwait)
{
    zend_long fd;
    zend_string *data;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_LONG(fd)
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();
    if (!ZSTR_LEN(data)) {
        zend_argument_value_error(2, "must not be empty");
        RETURN_THROWS();
    }
    php_tide_server_t *srv = php_tide_server_running(THIS_SERVER(), "sendwait");
    if (!srv)
        RETURN_THROWS();
    sendwait_t w = {fd, 0, 0, 1000000};
    tide_conninfo_t now;
    if (!php_tide_coro_can_suspend() || !snapshot(fd, &now)) {
        send_to(srv, fd, data, return_value, "sendwait");
        return;
    }
    w.last_sent = now.sent_bytes;
    uint64_t target = now.sent_bytes + now.out_bytes + ZSTR_LEN(data);
    tide_port_t *port = tide_server_port_of(&srv->core, &now);
    size_t piece = port && port->buffer_output_size ? port->buffer_output_size / 2 : (size_t)1 << 20;
    if (!piece)
        piece = 1;
    const char *p = ZSTR_VAL(data);
    size_t left = ZSTR_LEN(data);
    while (left) {
        size_t n = left < piece ? left : piece;
        int rc = tide_server_send(&srv->core, (uint64_t)fd, p, n, NULL);
        if (rc == 0) {
            p += n;
            left -= n;
            continue;
        }
        if (rc != TIDE_EFULL) {
            result(return_value, rc, fd, "sendwait");
            return;
        }
        if (!sendwait_alive(&w, &now, return_value) || !sendwait_sleep(&w, &now, return_value))
            return;
    }
    for (;;) {
        if (!sendwait_alive(&w, &now, return_value))
            return;
        if (now.sent_bytes >= target && now.out_bytes == 0)
            RETURN_TRUE;
        if (!sendwait_sleep(&w, &now, return_value))
            return;
    }
}

ZEND_METHOD(Tide_Server, sendfile)
{
    zend_long fd, offset = 0, length = 0;
    zend_string *file;
    ZEND_PARSE_PARAMETERS_START(2, 4)
        Z_PARAM_LONG(fd)
        Z_PARAM_PATH_STR(file)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(offset)
        Z_PARAM_LONG(length)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = php_tide_server_running(THIS_SERVER(), "sendfile");
    if (!srv)
        RETURN_THROWS();
    tide_conninfo_t *c = fd > 0 ? tide_conntab_find(&srv->core.tab, (uint64_t)fd) : NULL;
    if (!c || (tide_conninfo_flags(c) & TIDE_CONN_CLOSING)) {
        php_tide_warn_limited(&rl_gone, "connection #" ZEND_LONG_FMT " does not exist", fd);
        RETURN_FALSE;
    }
    /* Opened here, with this process's rights (a worker that dropped to `user` cannot
     * read what that user cannot read); the descriptor goes to the connection's owner. */
    int file_fd = open(ZSTR_VAL(file), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    if (file_fd < 0 || fstat(file_fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        int err = file_fd < 0 ? errno : 0;
        if (file_fd >= 0)
            close(file_fd);
        php_error_docref(NULL, E_WARNING, "%s: %s", ZSTR_VAL(file),
                         err ? strerror(err) : "not a regular file");
        RETURN_FALSE;
    }
    if (offset < 0 || length < 0 || offset > st.st_size) {
        close(file_fd);
        zend_value_error("Tide\\Server::sendfile(): offset " ZEND_LONG_FMT " / length " ZEND_LONG_FMT
                         " do not fit in %s (%lld bytes)",
                         offset, length, ZSTR_VAL(file), (long long)st.st_size);
        RETURN_THROWS();
    }
    if (length == 0 || offset + length > st.st_size)
        length = st.st_size - offset;
    if (length == 0) {
        close(file_fd);
        RETURN_TRUE;
    }
    int rc = tide_server_sendfile(&srv->core, (uint64_t)fd, file_fd, (uint64_t)offset,
                                  (uint64_t)length);
    result(return_value, rc, fd, "sendfile");
}

static void fd_request(INTERNAL_FUNCTION_PARAMETERS, const char *method,
                       int (*op)(tide_server_t *s, uint64_t session, bool reset))
{
    zend_long fd;
    bool reset = false;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_LONG(fd)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(reset)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = php_tide_server_running(THIS_SERVER(), method);
    if (!srv)
        RETURN_THROWS();
    int rc = fd > 0 ? op(&srv->core, (uint64_t)fd, reset) : TIDE_ECLOSED;
    if (rc == 1)
        RETURN_FALSE; /* paused already, or not paused: nothing to do */
    result(return_value, rc, fd, method);
}

static int op_close(tide_server_t *s, uint64_t session, bool reset)
{
    return tide_server_close(s, session, reset);
}

static int op_pause(tide_server_t *s, uint64_t session, bool reset)
{
    TIDE_UNUSED(reset);
    return tide_server_pause(s, session);
}

static int op_resume(tide_server_t *s, uint64_t session, bool reset)
{
    TIDE_UNUSED(reset);
    return tide_server_resume(s, session);
}

ZEND_METHOD(Tide_Server, close)
{
    fd_request(INTERNAL_FUNCTION_PARAM_PASSTHRU, "close", op_close);
}

ZEND_METHOD(Tide_Server, pause)
{
    fd_request(INTERNAL_FUNCTION_PARAM_PASSTHRU, "pause", op_pause);
}

ZEND_METHOD(Tide_Server, resume)
{
    fd_request(INTERNAL_FUNCTION_PARAM_PASSTHRU, "resume", op_resume);
}

/* The live connection fd of the running server (a snapshot), or false. */
static bool snapshot(zend_long fd, tide_conninfo_t *out)
{
    if (!php_tide_running || fd <= 0 || !php_tide_running->core.tab.mem)
        return false;
    if (!tide_conntab_snapshot(&php_tide_running->core.tab, (uint64_t)fd, out))
        return false;
    return !(out->flags & TIDE_CONN_CLOSING);
}

ZEND_METHOD(Tide_Server, exists)
{
    zend_long fd;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(fd)
    ZEND_PARSE_PARAMETERS_END();
    tide_conninfo_t c;
    RETURN_BOOL(snapshot(fd, &c));
}

static void conn_array(zval *out, const tide_conninfo_t *c)
{
    tide_server_t *s = &php_tide_running->core;
    array_init(out);
    tide_port_t *tp = tide_server_port_of(s, c);
    php_tide_port_t *port = tp ? tp->udata : NULL;
    zend_long owner = s->cfg.mode == TIDE_MODE_BASE ? (zend_long)tide_conntab_part(&s->tab, c->session)
                                                    : c->worker;
    add_assoc_long(out, "server_port", port ? port->p.port : 0);
    add_assoc_long(out, "server_fd", port ? port->server_fd : -1);
    add_assoc_long(out, "socket_fd", c->fd);
    add_assoc_long(out, "socket_type", port ? port->p.type : 0);
    add_assoc_long(out, "remote_port", c->remote_port);
    add_assoc_string(out, "remote_ip", (char *)c->remote_ip);
    add_assoc_long(out, "reactor_id", s->cfg.mode == TIDE_MODE_BASE ? owner : 0);
    add_assoc_long(out, "connect_time", (zend_long)c->connect_time);
    add_assoc_long(out, "last_time", (zend_long)c->last_time);
    add_assoc_long(out, "last_recv_time", (zend_long)c->last_time);
    add_assoc_long(out, "last_dispatch_time", (zend_long)c->last_dispatch_time);
    add_assoc_long(out, "close_errno", 0);
    add_assoc_long(out, "worker_id", owner);
    add_assoc_long(out, "recv_bytes", (zend_long)c->recv_bytes);
    add_assoc_long(out, "sent_bytes", (zend_long)c->sent_bytes);
    add_assoc_long(out, "out_buffer_bytes", (zend_long)c->out_bytes);
    add_assoc_bool(out, "paused", (c->flags & TIDE_CONN_PAUSED) != 0);
}

bool php_tide_server_client_info(zend_long fd, zval *out)
{
    tide_conninfo_t c;
    if (!snapshot(fd, &c))
        return false;
    conn_array(out, &c);
    return true;
}

ZEND_METHOD(Tide_Server, getClientInfo)
{
    zend_long fd;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(fd)
    ZEND_PARSE_PARAMETERS_END();
    if (!php_tide_server_client_info(fd, return_value))
        RETURN_FALSE;
}

typedef struct list_arg {
    zval *out;
    zend_long left;
} list_arg_t;

static bool list_one(const tide_conninfo_t *c, void *arg)
{
    list_arg_t *a = arg;
    if (tide_conninfo_flags(c) & TIDE_CONN_CLOSING)
        return true;
    add_next_index_long(a->out, (zend_long)c->session);
    return --a->left > 0;
}

ZEND_METHOD(Tide_Server, getClientList)
{
    zend_long start = 0, count = 10;
    ZEND_PARSE_PARAMETERS_START(0, 2)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(start)
        Z_PARAM_LONG(count)
    ZEND_PARSE_PARAMETERS_END();
    if (count <= 0 || count > 100) {
        zend_argument_value_error(2, "must be between 1 and 100");
        RETURN_THROWS();
    }
    if (!php_tide_running || !php_tide_running->core.tab.mem)
        RETURN_FALSE;
    array_init(return_value);
    list_arg_t a = {return_value, count};
    tide_conntab_each(&php_tide_running->core.tab, start > 0 ? (uint64_t)start : 0, list_one, &a);
}

ZEND_METHOD(Tide_Server, sendto)
{
    zend_string *ip, *data;
    zend_long port, server_socket = -1;
    ZEND_PARSE_PARAMETERS_START(3, 4)
        Z_PARAM_STR(ip)
        Z_PARAM_LONG(port)
        Z_PARAM_STR(data)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(server_socket)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = THIS_SERVER();
    int want = strchr(ZSTR_VAL(ip), '/') ? TIDE_SOCK_UNIX_DGRAM
               : strchr(ZSTR_VAL(ip), ':') ? TIDE_SOCK_UDP6 : TIDE_SOCK_UDP;
    tide_port_t *p = NULL;
    for (int i = 0; i < srv->core.nports && !p; i++) {
        tide_port_t *q = srv->core.ports[i];
        php_tide_port_t *pq = q->udata;
        if (server_socket >= 0 ? pq->server_fd == server_socket && tide_sock_is_dgram(q->type)
                               : q->type == want)
            p = q;
    }
    if (!p || p->fd < 0) {
        php_error_docref(NULL, E_WARNING,
                         "no datagram port to send to %s from (listen on a "
                         "Tide\\SOCK_UDP, SOCK_UDP6 or SOCK_UNIX_DGRAM port)",
                         ZSTR_VAL(ip));
        RETURN_FALSE;
    }
    int rc = tide_sock_sendto(p->fd, p->type, ZSTR_VAL(ip), (int)port, ZSTR_VAL(data),
                              ZSTR_LEN(data));
    if (rc < 0) {
        php_tide_warn_limited(&rl_gone, "sending to %s port " ZEND_LONG_FMT ": %s", ZSTR_VAL(ip), port,
                     tide_strerror(rc));
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

typedef struct idle_arg {
    zval *out;
    uint64_t before; /* unix seconds: a connection whose last byte came earlier is idle */
} idle_arg_t;

static bool idle_one(const tide_conninfo_t *c, void *arg)
{
    idle_arg_t *a = arg;
    if (!(tide_conninfo_flags(c) & TIDE_CONN_CLOSING) && c->last_time < a->before)
        add_next_index_long(a->out, (zend_long)c->session);
    return true;
}

/*
 * The connections idle for longer than heartbeat_idle_time (nothing received), from any
 * process; closed too unless asked not to. The table keeps whole seconds of the last byte:
 * a connection is listed once a full second more than heartbeat_idle_time has passed since
 * the second its last byte came, so none is listed early.
 */
ZEND_METHOD(Tide_Server, heartbeat)
{
    bool close_them = true;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(close_them)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = php_tide_server_running(THIS_SERVER(), "heartbeat");
    if (!srv)
        RETURN_THROWS();
    uint64_t idle_s = srv->core.cfg.heartbeat_idle_ms / 1000;
    if (!idle_s) {
        php_error_docref(NULL, E_WARNING, "no heartbeat_idle_time (or heartbeat_check_interval) "
                                          "is set: no connection can be idle");
        RETURN_FALSE;
    }
    uint64_t now = tide_unix_time();
    array_init(return_value);
    idle_arg_t a = {return_value, now > idle_s ? now - idle_s : 0};
    tide_conntab_each(&srv->core.tab, 0, idle_one, &a);
    if (!close_them)
        return;
    zval *id;
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(return_value), id) {
        tide_server_close(&srv->core, (uint64_t)Z_LVAL_P(id), false);
    } ZEND_HASH_FOREACH_END();
}

ZEND_METHOD(Tide_Server, getLastError)
{
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_LONG(TIDE_G(last_error));
}

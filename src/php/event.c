/* SPDX-License-Identifier: MIT */
/*
 * Tide\Event (Swoole\Event): PHP callbacks on file descriptors, Event::write()'s queues,
 * Event::defer() and Event::cycle(), and one turn of the loop (dispatch) or its end (exit).
 * Event::wait() is in loop.c, with Tide\run().
 *
 * Watches. Swoole's are level-triggered: a read callback that leaves bytes in the socket is
 * called again. The reactor's poll is level-triggered on epoll but edge-triggered on
 * io_uring (a multishot poll), so there, after each callback, a poll(2) with no timeout
 * asks whether the fd is still ready, and if so the callback runs again on the next turn.
 *
 * Each callback runs in a coroutine of its own (as Swoole's with enable_coroutine, and as
 * Tide's timers), so it may call hooked functions. While one for an fd and direction is
 * suspended, that direction does not fire again; when it returns, readiness is checked
 * and the callback runs again if the fd is still ready.
 *
 * The reactor takes one reader per fd number, and the stream hooks (runtime_stream.c) keep
 * one on a socket a coroutine waited on. So each direction is watched on a dup(2) of the
 * user's fd, ours alone: read and write watches coexist, a hooked fread() in a callback
 * can still wait on the original number, and a user who closes the fd without del() never
 * leaves a watch in the reactor on a number that is then handed to another file. The
 * price: until the watch notices (on its next event, or the once-a-second check of every
 * watch), the dup keeps the socket open; then a warning says the fd was closed without
 * Event::del(), and the watch goes.
 *
 * Who owns what: `watches` (fd => event_watch_t, emalloc'd) holds one reference to each
 * watch, a running callback another; a watch holds its zvals (the user's $fd value and
 * callbacks) and its dups, released when the last reference goes. Everything here lives for
 * the request; php_tide_event_forget() drops it without touching the reactor (fork, fatal
 * error), php_tide_event_rshutdown() at the request's end.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "php.h"
#include "php_network.h"
#include "php_tide.h"
#include "zend_exceptions.h"

/* ext/sockets is built as a shared extension, and its header hides itself unless it was
 * built in: only its php_socket layout and Z_SOCKET_P() are used (no symbol of it). */
#ifndef HAVE_SOCKETS
#define HAVE_SOCKETS 1
#include "ext/sockets/php_sockets.h"
#undef HAVE_SOCKETS
#else
#include "ext/sockets/php_sockets.h"
#endif

/* Bytes Event::write() queues per fd before it refuses more (Swoole's default
 * socket_buffer_size). */
#define WRITE_MAX ((size_t)8 * 1024 * 1024)
/* Event::defer() callbacks pending at once. */
#define DEFER_MAX (1u << 20)
/* How often every watch is checked for an fd closed without Event::del() (ms). */
#define CHECK_MS 1000

enum { DIR_R = 0, DIR_W = 1 };
enum { KIND_INT, KIND_STREAM, KIND_SOCKET };

typedef struct event_watch event_watch_t;

/* One direction of a watch: what its reactor callback and its coroutine's end get. */
typedef struct event_side {
    event_watch_t *w;
    int dir;
    int dfd;          /* our dup of the fd, or -1 */
    tide_op_t *op;    /* armed poll, or NULL */
    zval cb;          /* UNDEF: none */
    zend_fcall_info_cache fcc;
    bool running;     /* its callback's coroutine has not ended */
    bool again;       /* io_uring: check readiness on the next turn */
} event_side_t;

typedef struct write_chunk {
    struct write_chunk *next;
    size_t off;
    zend_string *data;
} write_chunk_t;

struct event_watch {
    uint32_t refs;
    bool gone; /* out of `watches`: never fires again */
    int fd;    /* the user's number */
    int kind;
    zval zfd;  /* the user's value, each callback's argument */
    dev_t dev; /* what fd was when added: a reused number is another file */
    ino_t ino;
    int events; /* PHP_TIDE_EVENT_READ | PHP_TIDE_EVENT_WRITE the user asked for */
    event_side_t side[2];
    tide_defer_t again_node; /* io_uring's level-trigger emulation */
    write_chunk_t *head, *tail;
    size_t queued; /* bytes in head..tail not yet written */
};

static HashTable watches;
static bool watches_init;
static tide_reactor_t *watch_reactor; /* the reactor every watch and node below is on */
static uint64_t check_timer;

/* Event::defer(): callables in order, and the node that runs them. */
static HashTable defers;
static bool defers_init;
static tide_defer_t defer_node;

/* Event::cycle(): [0] at the end of each turn, [1] before the wait. */
static zval cycle_cb[2];

static zend_class_entry *socket_ce_cached;

/* ---- the fd a value names ---- */

static zend_class_entry *socket_class(void)
{
    if (!socket_ce_cached)
        socket_ce_cached = zend_hash_str_find_ptr(CG(class_table), "socket", sizeof("socket") - 1);
    return socket_ce_cached;
}

int php_tide_fd_of(zval *z, uint32_t arg, int *kind)
{
    ZVAL_DEREF(z);
    if (Z_TYPE_P(z) == IS_LONG) {
        if (Z_LVAL_P(z) < 0 || Z_LVAL_P(z) > INT_MAX) {
            zend_argument_value_error(arg, "must be a file descriptor (>= 0), " ZEND_LONG_FMT
                                           " given", Z_LVAL_P(z));
            return -1;
        }
        *kind = KIND_INT;
        return (int)Z_LVAL_P(z);
    }
    if (Z_TYPE_P(z) == IS_RESOURCE) {
        php_stream *stream = zend_fetch_resource2(Z_RES_P(z), "stream", php_file_le_stream(),
                                                  php_file_le_pstream());
        if (!stream) {
            EG(exception) ? (void)0 : zend_argument_type_error(arg, "must be an open stream");
            return -1;
        }
        php_socket_t fd = -1;
        if (php_stream_cast(stream, PHP_STREAM_AS_FD_FOR_SELECT | PHP_STREAM_CAST_INTERNAL,
                            (void **)&fd, 0) != SUCCESS ||
            fd < 0) {
            zend_argument_type_error(arg, "must be a stream with a file descriptor, %s stream "
                                          "given", stream->ops->label);
            return -1;
        }
        *kind = KIND_STREAM;
        return (int)fd;
    }
    if (Z_TYPE_P(z) == IS_OBJECT && socket_class() && Z_OBJCE_P(z) == socket_class()) {
        php_socket *sock = Z_SOCKET_P(z);
        if (IS_INVALID_SOCKET(sock)) {
            zend_argument_type_error(arg, "must be an open Socket, a closed one given");
            return -1;
        }
        *kind = KIND_SOCKET;
        return sock->bsd_socket;
    }
    zend_argument_type_error(arg, "must be a file descriptor, a stream or a Socket, %s given",
                             zend_zval_type_name(z));
    return -1;
}

/* Whether the user's $fd still is what was added (not closed, its number not reused). */
static bool still_open(const event_watch_t *w)
{
    const zval *z = &w->zfd;
    ZVAL_DEREF(z);
    if (w->kind == KIND_STREAM)
        return Z_RES_P(z)->type == php_file_le_stream() || Z_RES_P(z)->type == php_file_le_pstream();
    if (w->kind == KIND_SOCKET)
        return Z_SOCKET_P(z)->bsd_socket == w->fd;
    struct stat st;
    return fstat(w->fd, &st) == 0 && st.st_dev == w->dev && st.st_ino == w->ino;
}

static bool fd_ready(int fd, bool out)
{
    struct pollfd p = {.fd = fd, .events = out ? POLLOUT : POLLIN};
    return poll(&p, 1, 0) > 0;
}

static bool reactor_ours(void)
{
    return watch_reactor && watch_reactor == TIDE_G(reactor) && !tide_reactor_forked(watch_reactor);
}

/* ---- a watch's life ---- */

static void watch_release(event_watch_t *w)
{
    if (--w->refs)
        return;
    for (int d = 0; d < 2; d++)
        zval_ptr_dtor(&w->side[d].cb);
    for (write_chunk_t *c = w->head, *next; c; c = next) {
        next = c->next;
        zend_string_release(c->data);
        efree(c);
    }
    zval_ptr_dtor(&w->zfd);
    efree(w);
}

/* Ends a watch's polls and dups; `live`: on the reactor that is running (else it is gone,
 * and took the ops with it). */
static void watch_unhook(event_watch_t *w, bool live)
{
    for (int d = 0; d < 2; d++) {
        event_side_t *s = &w->side[d];
        if (s->op && live)
            tide_reactor_cancel(watch_reactor, s->op);
        s->op = NULL;
        if (s->dfd >= 0) {
            if (!live || tide_reactor_close(watch_reactor, s->dfd, NULL, NULL) < 0)
                close(s->dfd);
            s->dfd = -1;
        }
    }
    if (live)
        tide_reactor_undefer(watch_reactor, &w->again_node);
    w->again_node.queued = false;
}

static void stop_check_timer(void)
{
    if (check_timer && reactor_ours())
        tide_timer_cancel(watch_reactor, check_timer);
    check_timer = 0;
}

/* Takes w out of the table: no callback runs for it again. */
static void watch_drop(event_watch_t *w)
{
    if (w->gone)
        return;
    w->gone = true;
    watch_unhook(w, reactor_ours());
    zend_hash_index_del(&watches, (zend_ulong)w->fd);
    if (!zend_hash_num_elements(&watches))
        stop_check_timer();
    watch_release(w);
}

static void watch_stale(event_watch_t *w)
{
    php_error_docref(NULL, E_WARNING,
                     "fd %d was closed without Tide\\Event::del(): its watch is removed", w->fd);
    watch_drop(w);
}

/* ---- firing ---- */

static void on_ready(tide_reactor_t *r, void *udata, int fd);
static bool side_arm(event_watch_t *w, int dir);
static void flush_queue(event_watch_t *w);

static bool wants(const event_watch_t *w, int dir)
{
    if (dir == DIR_R)
        return (w->events & PHP_TIDE_EVENT_READ) != 0;
    return (w->events & PHP_TIDE_EVENT_WRITE) || w->head;
}

static void side_done(void *arg)
{
    event_side_t *s = arg;
    event_watch_t *w = s->w;
    s->running = false;
    if (!w->gone && reactor_ours() && wants(w, s->dir)) {
        if (!s->op) {
            side_arm(w, s->dir); /* epoll: disarmed while the callback ran */
        } else if (tide_reactor_backend(watch_reactor) == TIDE_BACKEND_URING &&
                   fd_ready(s->dfd, s->dir == DIR_W)) {
            /* edge-triggered: no new event comes for what is still there */
            s->again = true;
            tide_reactor_defer(watch_reactor, &w->again_node);
        }
    }
    watch_release(w);
}

static void fire(event_watch_t *w, int dir)
{
    event_side_t *s = &w->side[dir];
    if (w->gone)
        return;
    if (!still_open(w)) {
        watch_stale(w);
        return;
    }
    if (dir == DIR_W && w->head) {
        flush_queue(w);
        if (w->gone || w->head || !(w->events & PHP_TIDE_EVENT_WRITE)) {
            if (!w->gone && !w->head && !(w->events & PHP_TIDE_EVENT_WRITE) && s->op) {
                tide_reactor_cancel(watch_reactor, s->op);
                s->op = NULL;
            }
            return;
        }
    }
    if (Z_ISUNDEF(s->cb))
        return;
    if (s->running) {
        /* On epoll the fd would be reported every turn until the callback reads it: the
         * poll is armed again when the callback returns. */
        if (s->op && tide_reactor_backend(watch_reactor) == TIDE_BACKEND_EPOLL) {
            tide_reactor_cancel(watch_reactor, s->op);
            s->op = NULL;
        }
        return;
    }
    s->running = true;
    w->refs++;
    php_tide_coro_spawn_done(&s->cb, &s->fcc, &w->zfd, 1, side_done, s);
}

static void on_ready(tide_reactor_t *r, void *udata, int fd)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(fd);
    event_side_t *s = udata;
    fire(s->w, s->dir);
}

/* io_uring: the callbacks whose fd was still ready when they returned. */
static void on_again(tide_reactor_t *r, void *udata)
{
    TIDE_UNUSED(r);
    event_watch_t *w = udata;
    w->refs++;
    for (int d = 0; d < 2 && !w->gone; d++) {
        event_side_t *s = &w->side[d];
        if (!s->again)
            continue;
        s->again = false;
        if (!s->running && wants(w, d) && fd_ready(s->dfd, d == DIR_W))
            fire(w, d);
    }
    watch_release(w);
}

static bool side_arm(event_watch_t *w, int dir)
{
    event_side_t *s = &w->side[dir];
    if (s->op)
        return true;
    if (s->dfd < 0) {
        s->dfd = fcntl(w->fd, F_DUPFD_CLOEXEC, 0);
        if (s->dfd < 0) {
            php_error_docref(NULL, E_WARNING, "Cannot watch fd %d: dup: %s", w->fd,
                             strerror(errno));
            return false;
        }
    }
    int err = 0;
    s->op = dir == DIR_R ? tide_reactor_poll(watch_reactor, s->dfd, on_ready, s, &err)
                         : tide_reactor_poll_out(watch_reactor, s->dfd, on_ready, s, &err);
    if (!s->op) {
        php_error_docref(NULL, E_WARNING, "Cannot watch fd %d: %s", w->fd, tide_strerror(err));
        return false;
    }
    return true;
}

static void side_disarm(event_watch_t *w, int dir)
{
    event_side_t *s = &w->side[dir];
    if (s->op)
        tide_reactor_cancel(watch_reactor, s->op);
    s->op = NULL;
    s->again = false;
}

/* Arms or disarms each direction as w->events and the write queue say. */
static bool watch_apply(event_watch_t *w)
{
    for (int d = 0; d < 2; d++) {
        if (!wants(w, d))
            side_disarm(w, d);
        else if (!w->side[d].running && !side_arm(w, d))
            return false;
    }
    return true;
}

/* Every watch, now and then: a stream closed without del() must not keep the loop alive. */
static void on_check(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(udata);
    TIDE_UNUSED(id);
    zend_ulong fd;
    event_watch_t *w;
    uint32_t n = zend_hash_num_elements(&watches), i = 0;
    event_watch_t **stale = safe_emalloc(n ? n : 1, sizeof(*stale), 0);
    ZEND_HASH_FOREACH_NUM_KEY_PTR(&watches, fd, w) {
        TIDE_UNUSED(fd);
        if (!still_open(w))
            stale[i++] = w;
    } ZEND_HASH_FOREACH_END();
    for (uint32_t j = 0; j < i; j++)
        watch_stale(stale[j]);
    efree(stale);
}

/* ---- the write queue ---- */

/* Writes what it can; false after an error (warned, the queue dropped). */
static ssize_t fd_write(int fd, const char *p, size_t n)
{
    ssize_t k = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (k < 0 && errno == ENOTSOCK)
        k = write(fd, p, n);
    return k;
}

static void queue_failed(event_watch_t *w, int err)
{
    php_error_docref(NULL, E_WARNING, "Cannot write to fd %d: %s (%zu queued bytes dropped)",
                     w->fd, strerror(err), w->queued);
    for (write_chunk_t *c = w->head, *next; c; c = next) {
        next = c->next;
        zend_string_release(c->data);
        efree(c);
    }
    w->head = w->tail = NULL;
    w->queued = 0;
}

static void flush_queue(event_watch_t *w)
{
    int fd = w->side[DIR_W].dfd >= 0 ? w->side[DIR_W].dfd : w->fd;
    while (w->head) {
        write_chunk_t *c = w->head;
        size_t left = ZSTR_LEN(c->data) - c->off;
        ssize_t k = fd_write(fd, ZSTR_VAL(c->data) + c->off, left);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                queue_failed(w, errno);
            return;
        }
        w->queued -= (size_t)k;
        c->off += (size_t)k;
        if ((size_t)k < left)
            return;
        w->head = c->next;
        if (!w->head)
            w->tail = NULL;
        zend_string_release(c->data);
        efree(c);
    }
}

/* ---- Event::defer() and Event::cycle() ---- */

static void run_defers(tide_reactor_t *r, void *udata)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(udata);
    /* This turn's batch: what these callbacks defer runs on the next one. */
    HashTable batch = defers;
    zend_hash_init(&defers, 8, NULL, ZVAL_PTR_DTOR, 0);
    zval *cb;
    zend_fcall_info_cache fcc = {0};
    ZEND_HASH_FOREACH_VAL(&batch, cb) {
        php_tide_coro_spawn(cb, &fcc, NULL, 0);
    } ZEND_HASH_FOREACH_END();
    zend_hash_destroy(&batch);
}

static void on_turn(tide_reactor_t *r, void *udata)
{
    TIDE_UNUSED(r);
    zval *slot = udata;
    if (Z_ISUNDEF_P(slot))
        return;
    zval cb;
    ZVAL_COPY(&cb, slot); /* it may remove itself */
    zend_fcall_info_cache fcc = {0};
    php_tide_coro_spawn(&cb, &fcc, NULL, 0);
    zval_ptr_dtor(&cb);
}

/* ---- the table ---- */

static void ensure_tables(void)
{
    if (!watches_init) {
        zend_hash_init(&watches, 16, NULL, NULL, 0);
        watches_init = true;
    }
    if (!defers_init) {
        zend_hash_init(&defers, 8, NULL, ZVAL_PTR_DTOR, 0);
        defers_init = true;
    }
}

/* The reactor, made on first use; a new one (after a fork) drops what was on the old. */
static tide_reactor_t *event_reactor(void)
{
    tide_reactor_t *r = php_tide_reactor();
    if (!r)
        return NULL;
    ensure_tables();
    if (watch_reactor != r) {
        if (watch_reactor)
            php_tide_event_forget();
        watch_reactor = r;
    }
    return r;
}

static event_watch_t *watch_find(int fd)
{
    return watches_init ? zend_hash_index_find_ptr(&watches, (zend_ulong)fd) : NULL;
}

/* A callable argument (or NULL) kept: trampolines are resolved anew each call. */
static void keep_callable(zval *dst, zend_fcall_info_cache *dst_fcc, zend_fcall_info *fci,
                          zend_fcall_info_cache *fcc)
{
    zval_ptr_dtor(dst);
    ZVAL_COPY(dst, &fci->function_name);
    *dst_fcc = *fcc;
    if (fcc->function_handler &&
        (fcc->function_handler->common.fn_flags & ZEND_ACC_CALL_VIA_TRAMPOLINE)) {
        zend_release_fcall_info_cache(fcc);
        dst_fcc->function_handler = NULL;
    }
}

static bool events_valid(zend_long events, uint32_t arg)
{
    if (events & ~(zend_long)(PHP_TIDE_EVENT_READ | PHP_TIDE_EVENT_WRITE)) {
        zend_argument_value_error(arg, "must be Tide\\Event::READ, Tide\\Event::WRITE or both");
        return false;
    }
    return true;
}

ZEND_METHOD(Tide_Event, add)
{
    zval *zfd;
    zend_fcall_info rfci = empty_fcall_info, wfci = empty_fcall_info;
    zend_fcall_info_cache rfcc = empty_fcall_info_cache, wfcc = empty_fcall_info_cache;
    zend_long events = PHP_TIDE_EVENT_READ;
    int kind;

    ZEND_PARSE_PARAMETERS_START(1, 4)
        Z_PARAM_ZVAL(zfd)
        Z_PARAM_OPTIONAL
        Z_PARAM_FUNC_OR_NULL(rfci, rfcc)
        Z_PARAM_FUNC_OR_NULL(wfci, wfcc)
        Z_PARAM_LONG(events)
    ZEND_PARSE_PARAMETERS_END();

    int fd = php_tide_fd_of(zfd, 1, &kind);
    if (fd < 0 || !events_valid(events, 4))
        RETURN_THROWS();
    if (!(events & (PHP_TIDE_EVENT_READ | PHP_TIDE_EVENT_WRITE))) {
        zend_argument_value_error(4, "must include Tide\\Event::READ or Tide\\Event::WRITE");
        RETURN_THROWS();
    }
    if ((events & PHP_TIDE_EVENT_READ) && !ZEND_FCI_INITIALIZED(rfci)) {
        zend_argument_value_error(2, "must be a callable when $events has Tide\\Event::READ");
        RETURN_THROWS();
    }
    if ((events & PHP_TIDE_EVENT_WRITE) && !ZEND_FCI_INITIALIZED(wfci)) {
        zend_argument_value_error(3, "must be a callable when $events has Tide\\Event::WRITE");
        RETURN_THROWS();
    }
    if (!event_reactor())
        RETURN_THROWS();
    event_watch_t *old = watch_find(fd);
    if (old) {
        if (still_open(old)) {
            php_error_docref(NULL, E_WARNING, "fd %d is already added", fd);
            RETURN_FALSE;
        }
        watch_stale(old); /* its number now names another file */
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        php_error_docref(NULL, E_WARNING, "Cannot watch fd %d: %s", fd, strerror(errno));
        RETURN_FALSE;
    }
    /* As Swoole: the callbacks read and write without blocking the loop. */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0 && !(fl & O_NONBLOCK))
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);

    event_watch_t *w = ecalloc(1, sizeof(*w));
    w->refs = 1;
    w->fd = fd;
    w->kind = kind;
    ZVAL_COPY(&w->zfd, zfd);
    ZVAL_DEREF(zfd);
    if (Z_ISREF(w->zfd)) { /* the value, not the caller's variable */
        zval_ptr_dtor(&w->zfd);
        ZVAL_COPY(&w->zfd, zfd);
    }
    w->dev = st.st_dev;
    w->ino = st.st_ino;
    w->events = (int)events;
    w->again_node.cb = on_again;
    w->again_node.udata = w;
    for (int d = 0; d < 2; d++) {
        w->side[d].w = w;
        w->side[d].dir = d;
        w->side[d].dfd = -1;
        ZVAL_UNDEF(&w->side[d].cb);
    }
    if (ZEND_FCI_INITIALIZED(rfci))
        keep_callable(&w->side[DIR_R].cb, &w->side[DIR_R].fcc, &rfci, &rfcc);
    if (ZEND_FCI_INITIALIZED(wfci))
        keep_callable(&w->side[DIR_W].cb, &w->side[DIR_W].fcc, &wfci, &wfcc);
    zend_hash_index_add_new_ptr(&watches, (zend_ulong)fd, w);
    if (!watch_apply(w)) {
        watch_drop(w);
        RETURN_FALSE;
    }
    if (!check_timer) {
        check_timer = tide_timer_add(watch_reactor, CHECK_MS, CHECK_MS, on_check, NULL);
        tide_timer_unref(watch_reactor, check_timer);
    }
    php_tide_wait_at_shutdown();
    RETURN_LONG(fd);
}

ZEND_METHOD(Tide_Event, set)
{
    zval *zfd;
    zend_fcall_info rfci = empty_fcall_info, wfci = empty_fcall_info;
    zend_fcall_info_cache rfcc = empty_fcall_info_cache, wfcc = empty_fcall_info_cache;
    zend_long events = 0;
    int kind;

    ZEND_PARSE_PARAMETERS_START(1, 4)
        Z_PARAM_ZVAL(zfd)
        Z_PARAM_OPTIONAL
        Z_PARAM_FUNC_OR_NULL(rfci, rfcc)
        Z_PARAM_FUNC_OR_NULL(wfci, wfcc)
        Z_PARAM_LONG(events)
    ZEND_PARSE_PARAMETERS_END();

    int fd = php_tide_fd_of(zfd, 1, &kind);
    if (fd < 0 || !events_valid(events, 4))
        RETURN_THROWS();
    /* As Swoole's reactor: no event bit means READ. */
    if (!events)
        events = PHP_TIDE_EVENT_READ;
    event_watch_t *w = watch_find(fd);
    if (!w || !reactor_ours()) {
        php_error_docref(NULL, E_WARNING, "fd %d is not added", fd);
        RETURN_FALSE;
    }
    if ((events & PHP_TIDE_EVENT_READ) && !ZEND_FCI_INITIALIZED(rfci) &&
        Z_ISUNDEF(w->side[DIR_R].cb)) {
        zend_argument_value_error(2, "must be a callable when $events has Tide\\Event::READ "
                                     "and fd %d has no read callback", fd);
        RETURN_THROWS();
    }
    if ((events & PHP_TIDE_EVENT_WRITE) && !ZEND_FCI_INITIALIZED(wfci) &&
        Z_ISUNDEF(w->side[DIR_W].cb)) {
        zend_argument_value_error(3, "must be a callable when $events has Tide\\Event::WRITE "
                                     "and fd %d has no write callback", fd);
        RETURN_THROWS();
    }
    if (ZEND_FCI_INITIALIZED(rfci))
        keep_callable(&w->side[DIR_R].cb, &w->side[DIR_R].fcc, &rfci, &rfcc);
    if (ZEND_FCI_INITIALIZED(wfci))
        keep_callable(&w->side[DIR_W].cb, &w->side[DIR_W].fcc, &wfci, &wfcc);
    w->events = (int)events;
    RETURN_BOOL(watch_apply(w));
}

ZEND_METHOD(Tide_Event, del)
{
    zval *zfd;
    int kind;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(zfd)
    ZEND_PARSE_PARAMETERS_END();
    int fd = php_tide_fd_of(zfd, 1, &kind);
    if (fd < 0)
        RETURN_THROWS();
    event_watch_t *w = watch_find(fd);
    if (!w)
        RETURN_FALSE;
    watch_drop(w);
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Event, isset)
{
    zval *zfd;
    zend_long events = PHP_TIDE_EVENT_READ | PHP_TIDE_EVENT_WRITE;
    int kind;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ZVAL(zfd)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(events)
    ZEND_PARSE_PARAMETERS_END();
    int fd = php_tide_fd_of(zfd, 1, &kind);
    if (fd < 0)
        RETURN_THROWS();
    event_watch_t *w = watch_find(fd);
    RETURN_BOOL(w && (w->events & events));
}

ZEND_METHOD(Tide_Event, write)
{
    zval *zfd;
    zend_string *data;
    int kind;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_ZVAL(zfd)
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();
    int fd = php_tide_fd_of(zfd, 1, &kind);
    if (fd < 0)
        RETURN_THROWS();
    event_watch_t *w = watch_find(fd);
    if (!w || !reactor_ours()) {
        php_error_docref(NULL, E_WARNING, "fd %d is not added (Tide\\Event::add() first)", fd);
        RETURN_FALSE;
    }
    if (!still_open(w)) {
        watch_stale(w);
        RETURN_FALSE;
    }
    if (!ZSTR_LEN(data))
        RETURN_TRUE;
    if (ZSTR_LEN(data) > WRITE_MAX - w->queued) {
        php_error_docref(NULL, E_WARNING,
                         "fd %d: %zu bytes are queued already, and %zu more would pass the "
                         "limit of %zu (wait for the peer to read)",
                         fd, w->queued, ZSTR_LEN(data), WRITE_MAX);
        RETURN_FALSE;
    }
    size_t off = 0;
    if (!w->head) {
        ssize_t k;
        do
            k = fd_write(fd, ZSTR_VAL(data), ZSTR_LEN(data));
        while (k < 0 && errno == EINTR);
        if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            php_error_docref(NULL, E_WARNING, "Cannot write to fd %d: %s", fd, strerror(errno));
            RETURN_FALSE;
        }
        off = k > 0 ? (size_t)k : 0;
        if (off == ZSTR_LEN(data))
            RETURN_TRUE;
    }
    write_chunk_t *c = emalloc(sizeof(*c));
    c->next = NULL;
    c->off = off;
    c->data = zend_string_copy(data);
    if (w->tail)
        w->tail->next = c;
    else
        w->head = c;
    w->tail = c;
    w->queued += ZSTR_LEN(data) - off;
    RETURN_BOOL(w->side[DIR_W].running || side_arm(w, DIR_W));
}

ZEND_METHOD(Tide_Event, defer)
{
    zend_fcall_info fci;
    zend_fcall_info_cache fcc;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_FUNC(fci, fcc)
    ZEND_PARSE_PARAMETERS_END();
    TIDE_UNUSED(fcc);
    tide_reactor_t *r = event_reactor();
    if (!r)
        RETURN_THROWS();
    if (zend_hash_num_elements(&defers) >= DEFER_MAX) {
        php_error_docref(NULL, E_WARNING,
                         "%u callbacks are deferred already (the limit): they run at the end "
                         "of this loop turn",
                         DEFER_MAX);
        RETURN_FALSE;
    }
    Z_TRY_ADDREF(fci.function_name);
    zend_hash_next_index_insert(&defers, &fci.function_name);
    defer_node.cb = run_defers;
    tide_reactor_defer(r, &defer_node);
    php_tide_wait_at_shutdown();
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Event, cycle)
{
    zend_fcall_info fci = empty_fcall_info;
    zend_fcall_info_cache fcc = empty_fcall_info_cache;
    bool before = false;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_FUNC_OR_NULL(fci, fcc)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(before)
    ZEND_PARSE_PARAMETERS_END();
    TIDE_UNUSED(fcc);
    tide_reactor_t *r = event_reactor();
    if (!r)
        RETURN_THROWS();
    zval *slot = &cycle_cb[before];
    if (!ZEND_FCI_INITIALIZED(fci)) {
        if (Z_ISUNDEF_P(slot))
            RETURN_FALSE;
        zval_ptr_dtor(slot);
        ZVAL_UNDEF(slot);
        tide_reactor_on_turn(r, before, NULL, NULL);
        RETURN_TRUE;
    }
    zval_ptr_dtor(slot);
    ZVAL_COPY(slot, &fci.function_name);
    tide_reactor_on_turn(r, before, on_turn, slot);
    RETURN_TRUE;
}

static void stop_sched(tide_reactor_t *r, void *udata)
{
    TIDE_UNUSED(r);
    tide_sched_stop(udata);
}

ZEND_METHOD(Tide_Event, dispatch)
{
    ZEND_PARSE_PARAMETERS_NONE();
    if (TIDE_G(in_loop)) {
        php_tide_throw(0, "Tide\\Event::dispatch() cannot be called while the event loop runs");
        RETURN_THROWS();
    }
    tide_sched_t *s = php_tide_sched();
    if (!s)
        RETURN_THROWS();
    if (!tide_coro_is_main(tide_coro_current(s))) {
        php_tide_throw(0, "Tide\\Event::dispatch() cannot be called from a coroutine");
        RETURN_THROWS();
    }
    tide_reactor_t *r = tide_sched_reactor(s);
    TIDE_G(in_loop) = true;
    /* One turn (waiting for an event if something is alive), then the coroutines it woke
     * run until they suspend: a deferred stop ends the scheduler's run after its queue. */
    int rc = tide_reactor_run(r, TIDE_RUN_ONCE);
    if (rc >= 0 && !TIDE_G(coro_exception) && !TIDE_G(coro_exit) && !TIDE_G(coro_bailout)) {
        static tide_defer_t stop_node;
        stop_node.cb = stop_sched;
        stop_node.udata = s;
        tide_reactor_defer(r, &stop_node);
        rc = tide_sched_run(s);
        tide_reactor_undefer(r, &stop_node);
    }
    TIDE_G(in_loop) = false;
    if (php_tide_coro_rethrow())
        RETURN_THROWS();
    RETURN_BOOL(rc >= 0);
}

ZEND_METHOD(Tide_Event, exit)
{
    ZEND_PARSE_PARAMETERS_NONE();
    TIDE_UNUSED(return_value);
    /* As Swoole: the timers go, and (as Swoole frees its reactor after the loop) so do
     * the watches and the callbacks deferred or per turn. */
    php_tide_timer_clear_all();
    php_tide_event_clear();
    if (TIDE_G(sched) && TIDE_G(in_loop)) {
        TIDE_G(loop_exit) = true;
        tide_sched_stop(TIDE_G(sched));
    }
}

/* Drops every watch, deferred and per-turn callback, on a running reactor. */
void php_tide_event_clear(void)
{
    if (!watches_init)
        return;
    bool live = reactor_ours();
    event_watch_t *w;
    uint32_t n = zend_hash_num_elements(&watches), i = 0;
    event_watch_t **all = safe_emalloc(n ? n : 1, sizeof(*all), 0);
    ZEND_HASH_FOREACH_PTR(&watches, w) {
        all[i++] = w;
    } ZEND_HASH_FOREACH_END();
    for (uint32_t j = 0; j < i; j++)
        watch_drop(all[j]);
    efree(all);
    if (live) {
        tide_reactor_undefer(watch_reactor, &defer_node);
        tide_reactor_on_turn(watch_reactor, false, NULL, NULL);
        tide_reactor_on_turn(watch_reactor, true, NULL, NULL);
    }
    defer_node.queued = false;
    zend_hash_clean(&defers);
    for (int k = 0; k < 2; k++) {
        zval_ptr_dtor(&cycle_cb[k]);
        ZVAL_UNDEF(&cycle_cb[k]);
    }
    stop_check_timer();
}

void php_tide_event_forget(void)
{
    if (!watches_init)
        return;
    /* The reactor is going (or gone) with every op, node and timer on it. */
    event_watch_t *w;
    ZEND_HASH_FOREACH_PTR(&watches, w) {
        w->gone = true;
        watch_unhook(w, false);
        watch_release(w);
    } ZEND_HASH_FOREACH_END();
    zend_hash_clean(&watches);
    defer_node.queued = false;
    zend_hash_clean(&defers);
    for (int k = 0; k < 2; k++) {
        zval_ptr_dtor(&cycle_cb[k]);
        ZVAL_UNDEF(&cycle_cb[k]);
    }
    check_timer = 0;
    watch_reactor = NULL;
}

void php_tide_event_rshutdown(void)
{
    if (watches_init && reactor_ours())
        php_tide_event_clear();
    php_tide_event_forget();
    if (watches_init)
        zend_hash_destroy(&watches);
    if (defers_init)
        zend_hash_destroy(&defers);
    watches_init = defers_init = false;
    socket_ce_cached = NULL;
}

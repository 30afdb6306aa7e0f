/* SPDX-License-Identifier: MIT */
/*
 * The connection engine (see tide/engine.h): accepts, reads, frames and writes for the
 * process that owns the connections (the master, or a MODE_BASE worker).
 *
 * A connection's private state (its fd, its protocol state, its output) is here; its public
 * facts are in its slot of the shared table, written between tide_conninfo_begin/end.
 *
 * Closing is one path for every cause: mark closing, tell the owner (handlers.close), queue
 * the close behind the pending writes, and release when that close completes, so nothing is
 * freed under a callback that is still using it. Operations still on the reactor that name
 * the connection (writes, the close, a file read) are counted in `ops`: a connection released
 * with some left is kept as an orphan, freed by the last of their callbacks.
 *
 * Reading: a connection is read while nothing stops it: not closing, no EOF seen, not
 * paused, not holding a message its owner refused (HOLD), and under conn_max_inflight
 * requests in flight. When the last stop goes, reading restarts and what was held back is
 * handed over first.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <netinet/tcp.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tide/common.h"
#include "tide/engine.h"
#include "tide/log.h"

#include "engine_int.h"

static void sync_reading(conn_t *c);
static void settle(conn_t *c);

static const tide_proto_t *proto_of(const tide_port_t *p)
{
    return p->proto ? p->proto : &tide_proto_frame;
}

static const void *proto_opts_of(const tide_port_t *p)
{
    return p->proto ? p->proto_opts : &p->frame;
}

static size_t slot_index(const tide_engine_t *e, const tide_conninfo_t *info)
{
    return (size_t)(info - e->tab->slots) - (size_t)e->part * e->tab->cap;
}

conn_t *tide__conn_of(const tide_engine_t *e, uint64_t session)
{
    if (session == 0 || tide_conntab_part(e->tab, session) != e->part)
        return NULL;
    tide_conninfo_t *info = tide_conntab_find(e->tab, session);
    if (!info)
        return NULL;
    return e->conns[slot_index(e, info)];
}

/* Takes c out of the engine and the table; frees it unless operations still name it. */
static void release_conn(conn_t *c)
{
    tide_engine_t *e = c->e;
    if (c->prev)
        c->prev->next = c->next;
    else
        e->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    e->conns[slot_index(e, c->info)] = NULL;
    tide_reactor_undefer(e->r, &c->flush);
    tide_reactor_undefer(e->r, &c->drain);
    tide__drop_pend(c);
    if (c->spool_fd >= 0)
        close(c->spool_fd);
    c->spool_fd = -1;
    tide_free(c->held);
    tide_free(c->switch_arg);
    c->switch_arg = NULL;
    tide_free(c->out);
    c->out = NULL;
    tide_conntab_release(e->tab, c->info);
    c->proto->destroy(c->state);
    e->count--;
    if (c->ops)
        c->orphan = true;
    else
        tide_free(c);
}

/* An operation that named c has ended; false when c is an orphan (and maybe freed now). */
bool tide__op_ended(conn_t *c)
{
    c->ops--;
    if (!c->orphan)
        return true;
    if (!c->ops)
        tide_free(c);
    return false;
}

static void on_closed(tide_reactor_t *r, void *udata, ssize_t res)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(res);
    conn_t *c = udata;
    if (tide__op_ended(c))
        release_conn(c);
}


/* The one way a connection ends. */
void tide__conn_close(conn_t *c, bool reset)
{
    tide_engine_t *e = c->e;
    if (c->closing)
        return;
    c->closing = true;
    tide_conninfo_set(c->info, TIDE_CONN_CLOSING);
    tide_conntab_stats_t *st = tide_conntab_stats(e->tab, e->part);
    st->close_count++;
    st->connection_num--;
    if (c->recv) {
        tide_reactor_cancel(e->r, c->recv);
        c->recv = NULL;
    }
    tide_reactor_undefer(e->r, &c->drain);
    if (reset) {
        struct linger lg = {1, 0};
        setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
        tide_reactor_undefer(e->r, &c->flush);
        if (c->out) {
            tide_conninfo_add(&c->info->out_bytes, -(int64_t)c->out->len);
            c->wire -= c->out->len;
            tide_free(c->out);
            c->out = NULL;
        }
        tide__drop_pend(c);
    }
    if (e->h.close)
        e->h.close(e->udata, c->info);
    if (c->pend) {
        /* A file is still going out: the close follows it (see pump). */
        c->close_pending = true;
        return;
    }
    tide__finish_close(c);
}

/* Queues the close of c behind its writes. */
void tide__finish_close(conn_t *c)
{
    tide_engine_t *e = c->e;
    /* What the close handler (or anyone before) sent goes out before the close. */
    tide_reactor_undefer(e->r, &c->flush);
    tide__flush_out(e->r, c);
    c->close_queued = true;
    if (tide_reactor_close(e->r, c->fd, on_closed, c) < 0) {
        close(c->fd);
        release_conn(c);
    } else {
        c->ops++;
    }
}

/* Why c is not handed more messages now (or 0). */
static bool at_bound(const conn_t *c)
{
    uint32_t max = c->proto->max_inflight ? c->proto->max_inflight : c->e->opts.conn_max_inflight;
    return max && c->info->inflight >= max;
}

/* A protocol with requests in flight (HTTP) is handed the next request only once the files
 * queued for the ones before have been read: a client that pipelines requests for files
 * and never reads holds one open file, not one per request. */
static bool files_pending(const conn_t *c)
{
    return c->files && c->proto->max_inflight;
}

static bool delivery_stopped(const conn_t *c)
{
    return c->closing || c->holding || at_bound(c) || files_pending(c) ||
           (tide_conninfo_flags(c->info) & TIDE_CONN_PAUSED);
}

/* Hands a message to the owner: data[0..len), and a spooled body (spool_fd >= 0). */
static int deliver(conn_t *c, const char *data, size_t len, int spool_fd, uint64_t body_len)
{
    tide_engine_t *e = c->e;
    if (delivery_stopped(c)) {
        c->stalled = true;
        return TIDE_PROTO_HOLD;
    }
    /* Counted before the handler runs: it may finish the request (or read the stats)
     * before it returns. */
    tide_conntab_stats_t *st = tide_conntab_stats(e->tab, e->part);
    c->info->inflight++;
    st->request_count++;
    c->queued_mark = c->queued;
    int rc = spool_fd >= 0
                 ? e->h.receive_spooled(e->udata, c->info, data, len, spool_fd, body_len)
                 : e->h.receive(e->udata, c->info, data, len);
    if (rc == TIDE_ENGINE_HOLD) {
        c->info->inflight--;
        st->request_count--;
        c->holding = true;
        c->stalled = true;
        return TIDE_PROTO_HOLD;
    }
    /* Paused or closed by the handler, or at the bound, or switched to another protocol
     * (what follows is not this protocol's): the rest waits. */
    if (delivery_stopped(c) || c->switch_pending) {
        c->stalled = true;
        return TIDE_PROTO_STOP;
    }
    return TIDE_PROTO_TAKEN;
}

static int on_message(void *ctx, const char *data, size_t len)
{
    return deliver(ctx, data, len, -1, 0);
}

/* An unnamed file in dir for a spooled body (removed by the kernel when its last
 * descriptor closes, whatever happens to the processes holding it). */
static int spool_file(const char *dir)
{
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
        return fd >= 0 ? fd : -errno;
    /* A file system without O_TMPFILE: a named file, unlinked at once. */
    char path[4096];
    if (snprintf(path, sizeof(path), "%s/tide-body-XXXXXX", dir) >= (int)sizeof(path))
        return -ENAMETOOLONG;
    fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0)
        return -errno;
    unlink(path);
    return fd;
}

static int on_spool(void *ctx, const char *data, size_t len)
{
    conn_t *c = ctx;
    int err = 0;
    if (c->spool_fd < 0 && (c->spool_fd = spool_file(c->port->spool_dir)) < 0) {
        err = c->spool_fd;
        c->spool_fd = -1;
    }
    while (!err && len) {
        ssize_t n = write(c->spool_fd, data, len);
        if (n < 0 && errno != EINTR)
            err = -errno;
        if (n > 0) {
            data += n;
            len -= (size_t)n;
        }
    }
    if (err)
        tide_log_limited(&c->e->rl_bad, TIDE_LOG_ERROR,
                         "connection #%llu: cannot spool a request body to %s: %s",
                         (unsigned long long)c->session, c->port->spool_dir, tide_strerror(err));
    return err;
}

static int on_spooled(void *ctx, const char *data, size_t len, uint64_t body_len)
{
    conn_t *c = ctx;
    TIDE_ASSERT(c->spool_fd >= 0); /* a spooled body is never empty */
    /* The owner's from the call on (it may close it before it returns); back on HOLD. */
    int fd = c->spool_fd;
    c->spool_fd = -1;
    int rc = deliver(c, data, len, fd, body_len);
    if (rc == TIDE_PROTO_HOLD)
        c->spool_fd = fd;
    return rc;
}

static void on_reply(void *ctx, const void *data, size_t len);

/* The protocol's view of c: spooling is offered when its port has a directory for it and
 * the owner takes spooled messages. */
static tide_proto_io_t io_of(conn_t *c, uint64_t now)
{
    bool spool = c->port->spool_dir && c->e->h.receive_spooled;
    return (tide_proto_io_t){.message = on_message,
                             .reply = on_reply,
                             .ctx = c,
                             .now_ns = now,
                             .spool = spool ? on_spool : NULL,
                             .spooled = spool ? on_spooled : NULL};
}

static void on_reply(void *ctx, const void *data, size_t len)
{
    conn_t *c = ctx;
    tide_engine_send(c->e, c->session, data, len);
}

static void switch_proto(conn_t *c, const void *arg, size_t len);

static void feed(conn_t *c, const char *data, size_t n)
{
    tide_proto_io_t io = io_of(c, tide_reactor_now(c->e->r));
    c->feeding = true;
    int rc = c->proto->feed(c->state, data, n, &io);
    c->feeding = false;
    if (c->switch_pending && !c->closing) {
        /* The handler of the message just taken (MODE_BASE) switched the protocol: the
         * old one has returned, and kept what followed that message. */
        char *arg = c->switch_arg;
        c->switch_pending = false;
        c->switch_arg = NULL;
        switch_proto(c, arg, c->switch_len);
        tide_free(arg);
        return;
    }
    if (rc == TIDE_PROTO_CLOSE) {
        tide__conn_close(c, false); /* the protocol ended the connection itself */
    } else if (rc == TIDE_ETOOBIG) {
        tide_log_limited(&c->e->rl_bad, TIDE_LOG_WARNING,
                         "connection #%llu from %s: a package longer than package_max_length "
                         "(%zu bytes); closing it",
                         (unsigned long long)c->session, c->info->remote_ip,
                         c->port->frame.max_length ? c->port->frame.max_length
                                                   : (size_t)2 << 20);
        tide__conn_close(c, false);
    } else if (rc < 0 && rc != TIDE_PROTO_HOLD) {
        tide_log_limited(&c->e->rl_bad, TIDE_LOG_WARNING,
                         "connection #%llu from %s: bytes that break the %s protocol (%s); "
                         "closing it",
                         (unsigned long long)c->session, c->info->remote_ip, c->proto->name,
                         rc == TIDE_EPROTO && c->proto->why ? c->proto->why(c->state)
                                                            : tide_strerror(rc));
        tide__conn_close(c, false);
    }
}

/* Keeps bytes read while delivery is stopped, in order, for later. */
static void hold_bytes(conn_t *c, const char *data, size_t n)
{
    c->held = tide_realloc(c->held, c->held_len + n);
    memcpy(c->held + c->held_len, data, n);
    c->held_len += n;
}

/* Hands over what is held (bytes read meanwhile, messages the protocol kept). */
static void deliver_held(conn_t *c)
{
    if (c->held) {
        char *held = c->held;
        size_t len = c->held_len;
        c->held = NULL;
        c->held_len = 0;
        feed(c, held, len);
        tide_free(held);
    } else {
        feed(c, "", 0);
    }
}

static void on_recv(tide_reactor_t *r, void *udata, const char *data, ssize_t n)
{
    TIDE_UNUSED(r);
    conn_t *c = udata;
    if (n <= 0) {
        c->recv = NULL; /* the watch ended by itself */
        if (n == 0) {
            /* The peer closed its side: what it asked for is still answered (settle). */
            c->eof = true;
            settle(c);
            return;
        }
        if (n != -ECONNRESET)
            tide_log(TIDE_LOG_DEBUG, "connection #%llu: %s", (unsigned long long)c->session,
                     tide_strerror((int)n));
        tide__conn_close(c, false);
        return;
    }
    tide_conninfo_begin(c->info);
    c->info->last_time = tide_unix_time();
    c->info->recv_bytes += (uint64_t)n;
    tide_conninfo_end(c->info);
    c->last_recv_ns = tide_time_ns();
    if (delivery_stopped(c) || c->held) {
        /* Reading was asked to stop after this read began (pause() from another process,
         * or the bound reached): nothing more is handed out, and what is held goes first. */
        hold_bytes(c, data, (size_t)n);
        c->stalled = true;
        sync_reading(c);
        return;
    }
    feed(c, data, (size_t)n);
    if (!c->closing)
        sync_reading(c);
}

static void on_drain(tide_reactor_t *r, void *udata)
{
    TIDE_UNUSED(r);
    conn_t *c = udata;
    if (delivery_stopped(c)) {
        c->stalled = true; /* stopped again meanwhile: the next go-ahead drains */
        return;
    }
    deliver_held(c);
    if (c->closing)
        return;
    if (c->eof)
        settle(c);
    else
        sync_reading(c);
}

/* Starts or stops reading c as its state asks; schedules what is held when it may go on. */
static void sync_reading(conn_t *c)
{
    tide_engine_t *e = c->e;
    if (c->closing)
        return;
    /* The common case (a request done on a connection that is read): nothing to do. */
    if (TIDE_LIKELY(c->recv && !c->stalled && !c->eof && !delivery_stopped(c)))
        return;
    bool stopped = delivery_stopped(c);
    if ((stopped || c->eof) && c->recv) {
        tide_reactor_cancel(e->r, c->recv);
        c->recv = NULL;
    }
    if (stopped) {
        c->stalled = true;
        return;
    }
    if (c->stalled) {
        /* What was held back goes first, before anything read from now on; and nothing is
         * read until it has gone (the drain comes back here): a client that sends faster
         * than its messages are handled waits in its socket, not in our memory. */
        c->stalled = false;
        if (c->held || c->proto->pending(c->state)) {
            tide_reactor_defer(e->r, &c->drain);
            return;
        }
    }
    if (!c->eof && !c->recv) {
        int err = 0;
        c->recv = tide_reactor_recv(e->r, c->fd, on_recv, c, &err);
        if (!c->recv) {
            tide_log(TIDE_LOG_ERROR, "connection #%llu: cannot read: %s",
                     (unsigned long long)c->session, tide_strerror(err));
            tide__conn_close(c, false);
        }
    }
}

/* After EOF: hands over what is complete, then closes once nothing is in flight. */
static void settle(conn_t *c)
{
    if (c->closing || delivery_stopped(c))
        return; /* resume, proceed or done comes back here */
    if (c->held || c->proto->pending(c->state)) {
        deliver_held(c);
        if (c->closing || delivery_stopped(c))
            return;
    }
    if (c->info->inflight == 0)
        tide__conn_close(c, false);
}

static void add_conn(tide_engine_t *e, tide_port_t *p, int fd)
{
    if (e->count >= e->opts.max_connection) {
        tide_log_limited(&e->rl_refused, TIDE_LOG_WARNING,
                         "max_connection (%u) reached: a new connection on port %d is closed",
                         e->opts.max_connection, p->port);
        close(fd);
        return;
    }
    tide_conninfo_t *info = tide_conntab_take(e->tab, e->part);
    if (!info) {
        close(fd);
        return;
    }
    const tide_proto_t *proto = proto_of(p);
    /* Room for the state of the protocol it may switch to as well. */
    size_t state_size = proto->state_size;
    if (p->upgrade && p->upgrade->state_size > state_size)
        state_size = p->upgrade->state_size;
    conn_t *c = tide_calloc(1, sizeof(*c) + state_size);
    c->e = e;
    c->info = info;
    c->session = info->session;
    c->fd = fd;
    c->port = p;
    c->proto = proto;
    c->flush.cb = tide__flush_out;
    c->flush.udata = c;
    c->drain.cb = on_drain;
    c->drain.udata = c;
    c->spool_fd = -1;
    proto->init(c->state, proto_opts_of(p));
    tide_conninfo_begin(info);
    info->fd = fd;
    info->port = p->index;
    info->worker = -1;
    info->connect_time = info->last_time = tide_unix_time();
    struct sockaddr_storage ss;
    socklen_t sslen = sizeof(ss);
    if (getpeername(fd, (struct sockaddr *)&ss, &sslen) == 0)
        tide_sockaddr_text((struct sockaddr *)&ss, sslen, info->remote_ip,
                           sizeof(info->remote_ip), &info->remote_port);
    tide_conninfo_end(info);
    c->last_recv_ns = tide_time_ns();
    if (p->tcp_nodelay && tide_sock_is_tcp(p->type)) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    if (p->socket_buffer_size > 0) {
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &p->socket_buffer_size, sizeof(int));
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &p->socket_buffer_size, sizeof(int));
    }
    e->conns[slot_index(e, info)] = c;
    c->next = e->head;
    if (e->head)
        e->head->prev = c;
    e->head = c;
    e->count++;
    tide_conntab_stats_t *st = tide_conntab_stats(e->tab, e->part);
    st->accept_count++;
    st->connection_num++;

    int err = 0;
    c->recv = tide_reactor_recv(e->r, fd, on_recv, c, &err);
    if (e->h.connect)
        e->h.connect(e->udata, info);
    if (!c->recv && !c->closing) {
        tide_log(TIDE_LOG_ERROR, "connection #%llu: cannot read: %s",
                 (unsigned long long)c->session, tide_strerror(err));
        tide__conn_close(c, false);
    } else if (!c->closing) {
        /* Accepted by the kernel before stop_ports (see there), reaped after pause_all. */
        if (e->paused_all)
            tide_conninfo_set(info, TIDE_CONN_PAUSED);
        sync_reading(c); /* or paused from its connect handler */
    }
}

static void on_accept(tide_reactor_t *r, void *udata, int fd)
{
    TIDE_UNUSED(r);
    tide_port_t *p = udata;
    if (fd == -ECANCELED) {
        p->watch = NULL; /* the graceful stop of tide_engine_stop_ports() is over */
        p->stopping = false;
        return;
    }
    if (fd < 0) {
        tide_log_limited(&p->engine->rl_refused, TIDE_LOG_WARNING, "accept on port %d: %s",
                         p->port, tide_strerror(fd));
        return;
    }
    add_conn(p->engine, p, fd);
}

/* Hands one datagram to the owner; false when it was held (the port stops). */
static bool deliver_dgram(tide_engine_t *e, tide_port_t *p, const struct sockaddr *from,
                          socklen_t from_len, const char *data, size_t len)
{
    if (!e->h.packet)
        return true;
    tide_conntab_stats_t *st = tide_conntab_stats(e->tab, e->part);
    st->request_count++;
    if (e->h.packet(e->udata, p, from, from_len, data, len) != TIDE_ENGINE_HOLD)
        return true;
    st->request_count--;
    dgram_t *d = tide_malloc(sizeof(*d) + len);
    memcpy(&d->from, from, from_len);
    d->from_len = from_len;
    d->len = len;
    memcpy(d->data, data, len);
    p->held = d;
    if (p->watch) {
        tide_reactor_cancel(e->r, p->watch);
        p->watch = NULL;
    }
    return false;
}

static void on_dgram(tide_reactor_t *r, void *udata, int fd)
{
    TIDE_UNUSED(r);
    tide_port_t *p = udata;
    tide_engine_t *e = p->engine;
    for (;;) {
        struct sockaddr_storage ss;
        socklen_t alen = sizeof(ss);
        ssize_t n = recvfrom(fd, e->dgram, DGRAM_MAX, MSG_DONTWAIT, (struct sockaddr *)&ss, &alen);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                tide_log_limited(&e->rl_bad, TIDE_LOG_WARNING, "recvfrom on port %d: %s",
                                 p->port, strerror(errno));
            return;
        }
        if (!deliver_dgram(e, p, (struct sockaddr *)&ss, alen, e->dgram, (size_t)n))
            return;
        if (!p->watch)
            return; /* the handler stopped the port */
    }
}

/* Protocol deadlines (an HTTP head that takes too long), for connections with nothing in
 * flight: the client is the one being waited for. */
static void on_deadlines(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(id);
    tide_engine_t *e = udata;
    uint64_t now = tide_reactor_now(r);
    for (conn_t *c = e->head, *next; c; c = next) {
        next = c->next;
        if (c->closing || c->info->inflight || !c->proto->expire)
            continue;
        tide_proto_io_t io = io_of(c, now);
        if (c->proto->expire(c->state, &io)) {
            tide_log_limited(&e->rl_bad, TIDE_LOG_INFO,
                             "connection #%llu from %s: %s; closing it",
                             (unsigned long long)c->session, c->info->remote_ip,
                             c->proto->why ? c->proto->why(c->state) : "a deadline passed");
            tide__conn_close(c, false);
        }
    }
}

static void on_heartbeat(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(id);
    tide_engine_t *e = udata;
    /* Monotonic and to the nanosecond: unix seconds would close a connection idle for
     * a few milliseconds when a second boundary falls between its last byte and the check. */
    uint64_t now = tide_time_ns();
    uint64_t idle = e->opts.heartbeat_idle_ms * 1000000;
    for (conn_t *c = e->head, *next; c; c = next) {
        next = c->next;
        if (!c->closing && now - c->last_recv_ns >= idle) {
            tide_log(TIDE_LOG_INFO,
                     "connection #%llu from %s: idle for %.3f s (heartbeat_idle_time); closing it",
                     (unsigned long long)c->session, c->info->remote_ip,
                     (double)(now - c->last_recv_ns) / 1e9);
            tide__conn_close(c, false);
        }
    }
}

tide_engine_t *tide_engine_create(tide_reactor_t *r, tide_conntab_t *tab, unsigned part,
                                  const tide_engine_opts_t *opts,
                                  const tide_engine_handlers_t *h, void *udata)
{
    tide_engine_t *e = tide_calloc(1, sizeof(*e));
    e->r = r;
    e->tab = tab;
    e->part = part;
    e->opts = *opts;
    if (!e->opts.max_connection || e->opts.max_connection > tab->cap / 2)
        e->opts.max_connection = tab->cap / 2;
    e->h = *h;
    e->udata = udata;
    e->conns = tide_calloc(tab->cap, sizeof(conn_t *));
    if (opts->heartbeat_check_ms && opts->heartbeat_idle_ms) {
        e->heartbeat = tide_timer_add(r, opts->heartbeat_check_ms, opts->heartbeat_check_ms,
                                      on_heartbeat, e);
        tide_timer_unref(r, e->heartbeat);
    }
    return e;
}

void tide_engine_destroy(tide_engine_t *e)
{
    if (!e)
        return;
    tide_engine_stop_ports(e);
    /* A graceful stop still in progress would call on_accept after e is gone: end it now
     * (a connection the kernel accepted meanwhile is closed by the reactor). */
    for (int i = 0; i < e->nports; i++) {
        tide_port_t *p = e->ports[i];
        if (p->watch) {
            tide_reactor_cancel(e->r, p->watch);
            p->watch = NULL;
        }
        tide_free(p->held);
        p->held = NULL;
        p->engine = NULL;
    }
    if (e->heartbeat)
        tide_timer_cancel(e->r, e->heartbeat);
    if (e->deadlines)
        tide_timer_cancel(e->r, e->deadlines);
    /* Connections still here were never closed through the loop (the process is going
     * away): close their sockets without callbacks. One with operations still on the
     * reactor stays behind as an orphan, freed by the last of their callbacks. */
    while (e->head) {
        conn_t *c = e->head;
        if (c->out)
            tide_conninfo_add(&c->info->out_bytes, -(int64_t)c->out->len);
        if (c->recv)
            tide_reactor_cancel(e->r, c->recv);
        c->recv = NULL;
        if (!c->closing) {
            c->closing = true;
            tide_conntab_stats(e->tab, e->part)->connection_num--;
        }
        if (!c->close_queued) {
            c->close_queued = true;
            if (c->ops && tide_reactor_close(e->r, c->fd, on_closed, c) == 0)
                c->ops++; /* after the writes in flight; c is an orphan by then */
            else
                close(c->fd);
        }
        release_conn(c);
    }
    tide_free(e->conns);
    tide_free(e->dgram);
    tide_free(e);
}

int tide_engine_add_port(tide_engine_t *e, tide_port_t *p)
{
    int err = 0;
    if (e->nports == (int)(sizeof(e->ports) / sizeof(e->ports[0])))
        return -EMFILE;
    p->engine = e;
    if (tide_sock_is_dgram(p->type)) {
        if (!e->dgram)
            e->dgram = tide_malloc(DGRAM_MAX);
        p->watch = tide_reactor_poll(e->r, p->fd, on_dgram, p, &err);
    } else {
        p->watch = tide_reactor_accept(e->r, p->fd, on_accept, p, &err);
    }
    if (!p->watch)
        return err;
    e->ports[e->nports++] = p;
    if (((p->proto && p->proto->expire) || (p->upgrade && p->upgrade->expire)) && !e->deadlines) {
        e->deadlines = tide_timer_add(e->r, 250, 250, on_deadlines, e);
        tide_timer_unref(e->r, e->deadlines);
    }
    return 0;
}

void tide_engine_stop_ports(tide_engine_t *e)
{
    for (int i = 0; i < e->nports; i++) {
        tide_port_t *p = e->ports[i];
        if (!p->watch || p->stopping)
            continue;
        if (tide_sock_is_dgram(p->type)) {
            tide_reactor_cancel(e->r, p->watch);
            p->watch = NULL;
            tide_free(p->held);
            p->held = NULL;
            continue;
        }
        /* A connection io_uring accepted already (without DEFER_TASKRUN it does so as the
         * client connects, before the loop reaps it) still reaches on_accept; on_accept
         * clears p->watch when the watch has ended. Calling this again does not restart
         * anything. */
        p->stopping = true;
        tide_reactor_accept_stop(e->r, p->watch);
        /* Connections the kernel finished already are served, not dropped with the socket. */
        for (;;) {
            int fd = accept4(p->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EINTR || errno == ECONNABORTED)
                    continue;
                break;
            }
            add_conn(e, p, fd);
        }
    }
}

void tide_engine_pause_all(tide_engine_t *e)
{
    e->paused_all = true;
    for (conn_t *c = e->head; c; c = c->next)
        if (!c->closing)
            tide_engine_pause(e, c->session);
}

size_t tide_engine_connections(const tide_engine_t *e)
{
    return e->count;
}

int tide_engine_close(tide_engine_t *e, uint64_t session, bool reset)
{
    conn_t *c = tide__conn_of(e, session);
    if (!c || c->closing)
        return TIDE_ECLOSED;
    tide__conn_close(c, reset);
    return 0;
}

int tide_engine_pause(tide_engine_t *e, uint64_t session)
{
    conn_t *c = tide__conn_of(e, session);
    if (!c || c->closing)
        return TIDE_ECLOSED;
    tide_conninfo_set(c->info, TIDE_CONN_PAUSED);
    sync_reading(c);
    return 0;
}

int tide_engine_resume(tide_engine_t *e, uint64_t session)
{
    conn_t *c = tide__conn_of(e, session);
    if (!c || c->closing)
        return TIDE_ECLOSED;
    tide_conninfo_clear(c->info, TIDE_CONN_PAUSED);
    if (c->eof) {
        tide_reactor_defer(e->r, &c->drain); /* settle, from the loop */
        return 0;
    }
    sync_reading(c);
    return c->closing ? TIDE_ECLOSED : 0;
}

/* Delivery may go on (a bound was left): reading resumes, or after EOF what is held is
 * handed out from the loop (the owner may be inside a callback of this connection). */
void tide__go_on(conn_t *c)
{
    if (c->eof)
        tide_reactor_defer(c->e->r, &c->drain);
    else
        sync_reading(c);
}

/* Switches c to its port's upgrade protocol, then hands that protocol the upgrade op. */
static void switch_proto(conn_t *c, const void *arg, size_t len)
{
    const tide_proto_t *to = c->port->upgrade;
    /* What the client sent after its request (its first frames) goes to the new protocol,
     * before anything read later. */
    size_t rn = 0;
    const char *rest = c->proto->rest ? c->proto->rest(c->state, &rn) : NULL;
    if (rest && rn) {
        char *held = tide_malloc(rn + c->held_len);
        memcpy(held, rest, rn);
        if (c->held_len)
            memcpy(held + rn, c->held, c->held_len);
        tide_free(c->held);
        c->held = held;
        c->held_len += rn;
    }
    c->proto->destroy(c->state);
    c->proto = to;
    to->init(c->state, c->port->upgrade_opts);
    tide_conninfo_set(c->info, TIDE_CONN_UPGRADED);
    c->stalled = true; /* what is held is handed over when delivery may go on */
    tide_proto_io_t io = io_of(c, tide_reactor_now(c->e->r));
    if (to->control)
        to->control(c->state, TIDE_PROTO_CTL_UPGRADE, arg, len, &io);
    if (to->info) {
        tide_conninfo_begin(c->info);
        c->info->proto_info = to->info(c->state);
        tide_conninfo_end(c->info);
    }
    if (!c->closing)
        sync_reading(c);
}

int tide_engine_control(tide_engine_t *e, uint64_t session, int op, const void *arg, size_t len)
{
    conn_t *c = tide__conn_of(e, session);
    if (!c || c->closing)
        return TIDE_ECLOSED;
    if (op == TIDE_PROTO_CTL_UPGRADE) {
        if (!c->port->upgrade || c->proto == c->port->upgrade || c->switch_pending)
            return -EINVAL;
        if (c->feeding) {
            /* The old protocol is on the stack (it handed out the message whose handler
             * asks this): the switch waits for it to return (feed). */
            c->switch_pending = true;
            c->switch_len = len;
            c->switch_arg = len ? tide_malloc(len) : NULL;
            if (len)
                memcpy(c->switch_arg, arg, len);
            return 0;
        }
        switch_proto(c, arg, len);
        return 0;
    }
    if (!c->proto->control)
        return -EINVAL;
    tide_proto_io_t io = io_of(c, tide_reactor_now(e->r));
    int rc = c->proto->control(c->state, op, arg, len, &io);
    if (c->proto->info) {
        tide_conninfo_begin(c->info);
        c->info->proto_info = c->proto->info(c->state);
        tide_conninfo_end(c->info);
    }
    return rc;
}

void tide_engine_done(tide_engine_t *e, uint64_t session, uint32_t n)
{
    conn_t *c = tide__conn_of(e, session);
    if (!c || c->closing)
        return;
    c->info->inflight = c->info->inflight > n ? c->info->inflight - n : 0;
    tide__go_on(c);
}

void tide_engine_proceed(tide_engine_t *e, uint64_t session)
{
    conn_t *c = tide__conn_of(e, session);
    if (!c || c->closing || !c->holding)
        return;
    c->holding = false;
    if (c->eof)
        tide_reactor_defer(e->r, &c->drain);
    else
        sync_reading(c);
}

void tide_engine_port_proceed(tide_engine_t *e, tide_port_t *p)
{
    if (p->engine != e || p->watch)
        return;
    dgram_t *d = p->held;
    if (d) {
        p->held = NULL;
        bool taken = deliver_dgram(e, p, (struct sockaddr *)&d->from, d->from_len, d->data,
                                   d->len);
        tide_free(d);
        if (!taken)
            return;
    }
    int err = 0;
    p->watch = tide_reactor_poll(e->r, p->fd, on_dgram, p, &err);
    if (!p->watch)
        tide_log(TIDE_LOG_ERROR, "port %d: cannot read datagrams again: %s", p->port,
                 tide_strerror(err));
}

/* c's message in flight will not be answered: the protocol says so if it can (and nothing
 * of an answer went out yet), then c closes. */
static void lost(conn_t *c)
{
    if (c->info->inflight && c->proto->abort && c->queued == c->queued_mark) {
        tide_proto_io_t io = io_of(c, tide_reactor_now(c->e->r));
        c->proto->abort(c->state, &io);
    }
    tide__conn_close(c, false);
}

void tide_engine_close_worker(tide_engine_t *e, int worker)
{
    for (conn_t *c = e->head, *next; c; c = next) {
        next = c->next;
        if (!c->closing && c->info->worker == worker)
            lost(c);
    }
}

void tide_engine_lost(tide_engine_t *e, uint64_t session, uint32_t n)
{
    conn_t *c = tide__conn_of(e, session);
    if (c && !c->closing && c->proto->abort)
        lost(c);
    else
        tide_engine_done(e, session, n);
}

void tide_engine_close_all(tide_engine_t *e)
{
    for (conn_t *c = e->head, *next; c; c = next) {
        next = c->next;
        tide__conn_close(c, false);
    }
}

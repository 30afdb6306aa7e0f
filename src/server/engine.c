/* SPDX-License-Identifier: MIT */
/*
 * The connection engine (see tide/server.h): accepts, reads, frames and writes for the
 * process that owns the connections (the master, or a MODE_BASE worker).
 *
 * A connection's private state (its fd, reader, framer) is here; its public facts are in
 * its slot of the shared table. Closing is one path for every cause: mark closing, tell the
 * owner (handlers.close), queue the close behind the pending writes, and free when that
 * close completes, so nothing is freed under a callback that is still using it.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <string.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "tide/common.h"
#include "tide/log.h"
#include "tide/server.h"

#define DEFAULT_OUTPUT_SIZE (2u * 1024 * 1024)
/* sendfile: how much of a file is handed to the reactor ahead of the socket. */
#define FILE_WINDOW (256u * 1024)
#define FILE_CHUNK (64u * 1024)
#define DGRAM_MAX 65536

typedef struct conn {
    tide_engine_t *e;
    tide_conninfo_t *info;
    uint64_t session;
    int fd;
    tide_port_t *port;
    tide_op_t *recv;
    tide_framer_t framer;
    uint64_t last_recv_ns; /* monotonic: when the last byte came (or the accept) */
    bool closing;
    struct conn *prev, *next;
    /* What send() gathered this loop turn: written as one op before the loop waits. */
    tide_defer_t flush;
    struct out_buf *out;
    size_t out_cap;
    /* After resume(): hands out the packages a pause held back in the framer. */
    tide_defer_t drain;
    /* Writes and the close queued on the reactor, whose callbacks use c. When the engine
     * is destroyed with some in flight, c is left as an orphan for the last one to free. */
    unsigned inflight;
    bool orphan;
    /* sendfile: the file parts, and what is sent after them, wait here in order and go
     * out a window at a time as the socket takes them (a file is never read whole). */
    struct pend *pend, *pend_tail;
    size_t wire;         /* bytes in c->out and in writes on the reactor */
    bool close_pending;  /* a graceful close waits until the queue is out */
    /* Read after another process paused c (its request to stop reading is on its way):
     * kept, not handed out, until resume(). */
    char *held;
    size_t held_len;
} conn_t;

/* Something queued behind a file: a part of a file (fd >= 0), or bytes. */
typedef struct pend {
    struct pend *next;
    int fd;
    uint64_t off, left;
    size_t len;
    char data[];
} pend_t;

struct tide_engine {
    tide_reactor_t *r;
    tide_conntab_t *tab;
    unsigned part;
    tide_engine_opts_t opts;
    tide_engine_handlers_t h;
    void *udata;
    conn_t **conns; /* by slot index in the partition */
    conn_t *head;   /* every live connection */
    size_t count;
    tide_port_t *ports[64];
    int nports;
    uint64_t heartbeat;
    char *dgram; /* receive buffer for datagrams */
    bool paused_all; /* tide_engine_pause_all(): a connection that comes after is paused too */
};

/* A queued write: the bytes follow the header. */
typedef struct out_buf {
    conn_t *c;
    size_t len;
    char data[];
} out_buf_t;

static void flush_out(tide_reactor_t *r, void *udata);
static void pump(conn_t *c);

static void drop_pend(conn_t *c)
{
    while (c->pend) {
        pend_t *p = c->pend;
        c->pend = p->next;
        if (p->fd >= 0)
            close(p->fd);
        else
            c->info->out_bytes -= p->len;
        tide_free(p);
    }
    c->pend_tail = NULL;
}

static uint64_t unix_now(void)
{
    return (uint64_t)time(NULL);
}

static size_t slot_index(const tide_engine_t *e, const tide_conninfo_t *info)
{
    return (size_t)(info - e->tab->slots) - (size_t)e->part * e->tab->cap;
}

static conn_t *conn_of(const tide_engine_t *e, uint64_t session)
{
    if (session == 0 || tide_conntab_part(e->tab, session) != e->part)
        return NULL;
    tide_conninfo_t *info = tide_conntab_find(e->tab, session);
    if (!info)
        return NULL;
    return e->conns[slot_index(e, info)];
}

/* Takes c out of the engine and the table (c itself is not freed). */
static void detach_conn(conn_t *c)
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
    drop_pend(c);
    tide_free(c->held);
    tide_free(c->out);
    tide_conntab_release(e->tab, c->info);
    tide_framer_destroy(&c->framer);
    e->count--;
}

static void free_conn(conn_t *c)
{
    detach_conn(c);
    tide_free(c);
}

static void on_closed(tide_reactor_t *r, void *udata, ssize_t res)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(res);
    conn_t *c = udata;
    c->inflight--;
    if (c->orphan) {
        if (!c->inflight)
            tide_free(c);
        return;
    }
    free_conn(c);
}

static void finish_close(conn_t *c);

/* The one way a connection ends. */
static void conn_close(conn_t *c, bool reset)
{
    tide_engine_t *e = c->e;
    if (c->closing)
        return;
    c->closing = true;
    c->info->flags |= TIDE_CONN_CLOSING;
    tide_conntab_stats_t *st = tide_conntab_stats(e->tab, e->part);
    st->close_count++;
    st->connection_num--;
    if (c->recv) {
        tide_reactor_cancel(e->r, c->recv);
        c->recv = NULL;
    }
    if (reset) {
        struct linger lg = {1, 0};
        setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
        tide_reactor_undefer(e->r, &c->flush);
        if (c->out) {
            c->info->out_bytes -= c->out->len;
            c->wire -= c->out->len;
            tide_free(c->out);
            c->out = NULL;
        }
        drop_pend(c);
    }
    if (e->h.close)
        e->h.close(e->udata, c->info);
    if (c->pend) {
        /* A file is still going out: the close follows it (see pump). */
        c->close_pending = true;
        return;
    }
    finish_close(c);
}

/* Queues the close of c behind its writes. */
static void finish_close(conn_t *c)
{
    tide_engine_t *e = c->e;
    /* What the close handler (or anyone before) sent goes out before the close. */
    tide_reactor_undefer(e->r, &c->flush);
    flush_out(e->r, c);
    if (tide_reactor_close(e->r, c->fd, on_closed, c) < 0) {
        close(c->fd);
        free_conn(c);
    } else {
        c->inflight++;
    }
}

static int on_package(void *udata, const char *data, size_t len)
{
    conn_t *c = udata;
    tide_engine_t *e = c->e;
    tide_conntab_stats(e->tab, e->part)->request_count++;
    e->h.receive(e->udata, c->info, data, len);
    /* Paused by the handler: the rest of this read waits in the framer for resume(). */
    return c->closing || (c->info->flags & TIDE_CONN_PAUSED) ? 1 : 0;
}

static void feed(conn_t *c, const char *data, size_t n)
{
    int rc = tide_framer_feed(&c->framer, data, n, on_package, c);
    if (rc == TIDE_ETOOBIG) {
        tide_log(TIDE_LOG_WARNING,
                 "connection #%llu from %s: a package longer than package_max_length (%zu "
                 "bytes); closing it",
                 (unsigned long long)c->session, c->info->remote_ip,
                 c->port->frame.max_length ? c->port->frame.max_length : (size_t)2 << 20);
        conn_close(c, false);
    } else if (rc == TIDE_EPROTO) {
        tide_log(TIDE_LOG_WARNING, "connection #%llu from %s: a negative package length; closing it",
                 (unsigned long long)c->session, c->info->remote_ip);
        conn_close(c, false);
    }
}

static void on_recv(tide_reactor_t *r, void *udata, const char *data, ssize_t n)
{
    TIDE_UNUSED(r);
    conn_t *c = udata;
    if (n <= 0) {
        c->recv = NULL; /* the watch ended by itself */
        if (n < 0 && n != -ECONNRESET)
            tide_log(TIDE_LOG_DEBUG, "connection #%llu: %s", (unsigned long long)c->session,
                     tide_strerror((int)n));
        conn_close(c, false);
        return;
    }
    c->info->last_time = unix_now();
    c->last_recv_ns = tide_time_ns();
    c->info->recv_bytes += (uint64_t)n;
    if ((c->info->flags & TIDE_CONN_PAUSED) || c->held) {
        /* pause() from another process has returned there: nothing more is handed out
         * (and after resume(), what was held goes first). */
        c->held = tide_realloc(c->held, c->held_len + (size_t)n);
        memcpy(c->held + c->held_len, data, (size_t)n);
        c->held_len += (size_t)n;
        if ((c->info->flags & TIDE_CONN_PAUSED) && c->recv) {
            tide_reactor_cancel(c->e->r, c->recv);
            c->recv = NULL;
        }
        return;
    }
    feed(c, data, (size_t)n);
}

static void on_drain(tide_reactor_t *r, void *udata)
{
    TIDE_UNUSED(r);
    conn_t *c = udata;
    if (c->closing || (c->info->flags & TIDE_CONN_PAUSED))
        return;
    if (c->held) {
        char *held = c->held;
        size_t len = c->held_len;
        c->held = NULL;
        c->held_len = 0;
        feed(c, held, len);
        tide_free(held);
        return;
    }
    feed(c, "", 0);
}

static void fill_peer(tide_conninfo_t *info, int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
        return;
    if (ss.ss_family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        inet_ntop(AF_INET, &a->sin_addr, info->remote_ip, sizeof(info->remote_ip));
        info->remote_port = ntohs(a->sin_port);
    } else if (ss.ss_family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        inet_ntop(AF_INET6, &a->sin6_addr, info->remote_ip, sizeof(info->remote_ip));
        info->remote_port = ntohs(a->sin6_port);
    } else if (ss.ss_family == AF_UNIX) {
        struct sockaddr_un *a = (struct sockaddr_un *)&ss;
        size_t n = len > offsetof(struct sockaddr_un, sun_path)
                       ? len - offsetof(struct sockaddr_un, sun_path)
                       : 0;
        if (n >= sizeof(info->remote_ip))
            n = sizeof(info->remote_ip) - 1;
        memcpy(info->remote_ip, a->sun_path, n);
        info->remote_ip[n] = 0;
    }
}

static void add_conn(tide_engine_t *e, tide_port_t *p, int fd)
{
    if (e->count >= e->opts.max_connection) {
        tide_log(TIDE_LOG_WARNING, "max_connection (%u) reached: a new connection on port %d is closed",
                 e->opts.max_connection, p->port);
        close(fd);
        return;
    }
    tide_conninfo_t *info = tide_conntab_take(e->tab, e->part);
    if (!info) {
        close(fd);
        return;
    }
    conn_t *c = tide_calloc(1, sizeof(*c));
    c->e = e;
    c->info = info;
    c->session = info->session;
    c->fd = fd;
    c->port = p;
    c->flush.cb = flush_out;
    c->flush.udata = c;
    c->drain.cb = on_drain;
    c->drain.udata = c;
    tide_framer_init(&c->framer, &p->frame);
    info->fd = fd;
    info->port = p->index;
    info->worker = -1;
    info->connect_time = info->last_time = unix_now();
    c->last_recv_ns = tide_time_ns();
    fill_peer(info, fd);
    if (p->tcp_nodelay && (p->type == TIDE_SOCK_TCP || p->type == TIDE_SOCK_TCP6)) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
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
        conn_close(c, false);
    } else if (e->paused_all && !c->closing) {
        /* Accepted by the kernel before stop_ports (see there), reaped after pause_all. */
        tide_engine_pause(e, c->session);
    }
}

static void on_accept(tide_reactor_t *r, void *udata, int fd)
{
    TIDE_UNUSED(r);
    tide_port_t *p = udata;
    if (fd == -ECANCELED) {
        p->watch = NULL; /* the graceful stop of tide_engine_stop_ports() is over */
        return;
    }
    if (fd < 0) {
        tide_log(TIDE_LOG_WARNING, "accept on port %d: %s", p->port, tide_strerror(fd));
        return;
    }
    add_conn(p->engine, p, fd);
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
                tide_log(TIDE_LOG_WARNING, "recvfrom on port %d: %s", p->port, strerror(errno));
            return;
        }
        tide_conntab_stats(e->tab, e->part)->request_count++;
        if (e->h.packet)
            e->h.packet(e->udata, p, (struct sockaddr *)&ss, alen, e->dgram, (size_t)n);
        if (!p->watch)
            return; /* the handler stopped the port */
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
            tide_log(TIDE_LOG_INFO, "connection #%llu from %s: idle for %.3f s (heartbeat_idle_time); closing it",
                     (unsigned long long)c->session, c->info->remote_ip,
                     (double)(now - c->last_recv_ns) / 1e9);
            conn_close(c, false);
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
    for (int i = 0; i < e->nports; i++)
        if (e->ports[i]->watch) {
            tide_reactor_cancel(e->r, e->ports[i]->watch);
            e->ports[i]->watch = NULL;
        }
    if (e->heartbeat)
        tide_timer_cancel(e->r, e->heartbeat);
    /* Connections still here were never closed through the loop (the process is going
     * away): close their sockets without callbacks. One with writes or a close still on the
     * reactor stays behind as an orphan, freed by the last of their callbacks. */
    while (e->head) {
        conn_t *c = e->head;
        if (c->out)
            c->info->out_bytes -= c->out->len;
        if (c->recv)
            tide_reactor_cancel(e->r, c->recv);
        if (!c->closing) {
            tide_conntab_stats(e->tab, e->part)->connection_num--;
            if (c->inflight && tide_reactor_close(e->r, c->fd, on_closed, c) == 0)
                c->inflight++; /* after the writes in flight */
            else
                close(c->fd);
        }
        if (c->inflight) {
            detach_conn(c);
            c->orphan = true;
        } else {
            free_conn(c);
        }
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
    return 0;
}

void tide_engine_stop_ports(tide_engine_t *e)
{
    for (int i = 0; i < e->nports; i++) {
        tide_port_t *p = e->ports[i];
        if (!p->watch)
            continue;
        if (tide_sock_is_dgram(p->type)) {
            tide_reactor_cancel(e->r, p->watch);
            p->watch = NULL;
            continue;
        }
        /* A connection io_uring accepted already (without DEFER_TASKRUN it does so as the
         * client connects, before the loop reaps it) still reaches on_accept; on_accept
         * clears p->watch when the watch has ended. Calling this again does not restart
         * anything. */
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

static void on_written(tide_reactor_t *r, void *udata, ssize_t res)
{
    TIDE_UNUSED(r);
    out_buf_t *b = udata;
    conn_t *c = b->c;
    c->inflight--;
    if (c->orphan) {
        tide_free(b);
        if (!c->inflight)
            tide_free(c);
        return;
    }
    c->info->out_bytes -= b->len;
    c->wire -= b->len;
    if (res >= 0)
        c->info->sent_bytes += (uint64_t)res;
    tide_free(b);
    if (res < 0) {
        drop_pend(c); /* nothing more can go out */
        if (!c->closing) {
            tide_log(TIDE_LOG_DEBUG, "connection #%llu: send: %s", (unsigned long long)c->session,
                     tide_strerror((int)res));
            conn_close(c, false);
            return;
        }
    }
    pump(c);
}

static void flush_out(tide_reactor_t *r, void *udata)
{
    conn_t *c = udata;
    out_buf_t *b = c->out;
    if (!b)
        return;
    c->out = NULL;
    c->out_cap = 0;
    if (tide_reactor_send(r, c->fd, b->data, b->len, on_written, b) < 0) {
        c->info->out_bytes -= b->len;
        c->wire -= b->len;
        tide_free(b);
    } else {
        c->inflight++;
    }
}

/* Room for len more bytes at the end of c->out (written before the loop waits). */
static char *out_room(conn_t *c, size_t len)
{
    size_t have = c->out ? c->out->len : 0;
    if (have + len > c->out_cap) {
        size_t cap = c->out_cap ? c->out_cap * 2 : 512;
        while (cap < have + len)
            cap *= 2;
        c->out = tide_realloc(c->out, sizeof(out_buf_t) + cap);
        c->out_cap = cap;
        if (!have) {
            c->out->c = c;
            c->out->len = 0;
        }
    }
    return c->out->data + have;
}

/* Counts n bytes put at out_room() as queued. */
static void out_commit(conn_t *c, size_t n)
{
    c->out->len += n;
    c->wire += n;
    tide_reactor_defer(c->e->r, &c->flush);
}

/* Moves what waits behind files to the reactor while less than a window is on it. */
static void pump(conn_t *c)
{
    while (c->pend && c->wire < FILE_WINDOW) {
        pend_t *p = c->pend;
        if (p->fd < 0) {
            memcpy(out_room(c, p->len), p->data, p->len); /* counted in out_bytes already */
            out_commit(c, p->len);
        } else {
            size_t want = FILE_WINDOW - c->wire;
            if (want > FILE_CHUNK)
                want = FILE_CHUNK;
            if (want > p->left)
                want = (size_t)p->left;
            ssize_t n = pread(p->fd, out_room(c, want), want, (off_t)p->off);
            if (n < 0 && errno == EINTR)
                continue;
            if (n > 0) {
                c->info->out_bytes += (uint64_t)n;
                out_commit(c, (size_t)n);
                p->off += (uint64_t)n;
                p->left -= (uint64_t)n;
                if (p->left)
                    continue;
            } else {
                tide_log(TIDE_LOG_WARNING, "connection #%llu: sendfile: %s; %llu bytes not sent",
                         (unsigned long long)c->session, n < 0 ? strerror(errno) : "the file got shorter",
                         (unsigned long long)p->left);
            }
        }
        c->pend = p->next;
        if (!c->pend)
            c->pend_tail = NULL;
        if (p->fd >= 0)
            close(p->fd);
        tide_free(p);
    }
    if (!c->pend && c->close_pending) {
        c->close_pending = false;
        finish_close(c);
    }
}

static void pend_add(conn_t *c, pend_t *p)
{
    p->next = NULL;
    if (c->pend_tail)
        c->pend_tail->next = p;
    else
        c->pend = p;
    c->pend_tail = p;
}

int tide_engine_send(tide_engine_t *e, uint64_t session, const void *data, size_t len)
{
    conn_t *c = conn_of(e, session);
    if (!c || c->closing)
        return TIDE_ECLOSED;
    size_t limit = c->port->buffer_output_size ? c->port->buffer_output_size : DEFAULT_OUTPUT_SIZE;
    if (c->info->out_bytes + len > limit)
        return TIDE_ELIMIT;
    if (len == 0)
        return 0;
    c->info->out_bytes += len;
    if (c->pend) {
        /* Behind a file still going out. */
        pend_t *p = tide_malloc(sizeof(*p) + len);
        p->fd = -1;
        p->len = len;
        memcpy(p->data, data, len);
        pend_add(c, p);
        return 0;
    }
    /* Gathered with what else this turn sends to c: one write per connection per turn. */
    memcpy(out_room(c, len), data, len);
    out_commit(c, len);
    return 0;
}

int tide_engine_sendfile(tide_engine_t *e, uint64_t session, int fd, uint64_t offset,
                         uint64_t length)
{
    conn_t *c = conn_of(e, session);
    if (!c || c->closing) {
        close(fd);
        return TIDE_ECLOSED;
    }
    if (length == 0) {
        close(fd);
        return 0;
    }
    pend_t *p = tide_malloc(sizeof(*p));
    p->fd = fd;
    p->off = offset;
    p->left = length;
    p->len = 0;
    pend_add(c, p);
    pump(c);
    return 0;
}

int tide_engine_close(tide_engine_t *e, uint64_t session, bool reset)
{
    conn_t *c = conn_of(e, session);
    if (!c || c->closing)
        return TIDE_ECLOSED;
    conn_close(c, reset);
    return 0;
}

int tide_engine_pause(tide_engine_t *e, uint64_t session)
{
    conn_t *c = conn_of(e, session);
    if (!c || c->closing)
        return TIDE_ECLOSED;
    if (c->recv) {
        tide_reactor_cancel(e->r, c->recv);
        c->recv = NULL;
    }
    c->info->flags |= TIDE_CONN_PAUSED;
    return 0;
}

int tide_engine_resume(tide_engine_t *e, uint64_t session)
{
    conn_t *c = conn_of(e, session);
    int err = 0;
    if (!c || c->closing)
        return TIDE_ECLOSED;
    if (!c->recv) {
        c->recv = tide_reactor_recv(e->r, c->fd, on_recv, c, &err);
        if (!c->recv)
            return err;
    }
    c->info->flags &= ~(uint32_t)TIDE_CONN_PAUSED;
    if (tide_framer_pending(&c->framer) || c->held)
        tide_reactor_defer(e->r, &c->drain);
    return 0;
}

void tide_engine_close_worker(tide_engine_t *e, int worker)
{
    for (conn_t *c = e->head, *next; c; c = next) {
        next = c->next;
        if (!c->closing && c->info->worker == worker)
            conn_close(c, false);
    }
}

void tide_engine_close_all(tide_engine_t *e)
{
    for (conn_t *c = e->head, *next; c; c = next) {
        next = c->next;
        conn_close(c, false);
    }
}

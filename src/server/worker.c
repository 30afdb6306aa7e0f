/* SPDX-License-Identifier: MIT */
/*
 * A worker: the end of its link to the hub, the hooks that run PHP, and (MODE_BASE) its own
 * engine with the connections it accepts itself.
 *
 * A worker stops gracefully (SIGTERM, stop(), max_request, reload): it says EXITING (the
 * master sends it nothing new and answers ACK), or in MODE_BASE stops accepting and reading;
 * then workerExit runs, the loop runs until what it serves is done, workerStop runs, and it
 * exits. One that exit()s in a callback leaves without a word, as a crashed one would.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "server_int.h"
#include "tide/common.h"
#include "tide/ipc.h"
#include "tide/log.h"
#include "tide/process.h"

typedef struct tide_worker {
    tide_server_t *s;
    tide_link_t link;
    bool link_done;  /* the hub will send nothing more */
    tide_op_t *sigs[2];
    /* MODE_BASE: its own engine, and the bound on what it has been handed */
    tide_engine_t *e;
    tide_dispatch_t d;
    int listen_fds[TIDE_SERVER_MAX_PORTS];
    /* session -> the taken_bytes value its connection reaches once every byte this worker
     * sent it over its link has been handled by the owner (a uint64_t each) */
    tide_idmap_t inflight;
    size_t sweep_at; /* sweep the map of the gone when it holds this many */
    /* MODE_PROCESS: what finished this loop turn, sent as one DONE message at its end
     * (one entry per connection: pipelined requests of one finish together) */
    tide_msg_done_t *dones;
    size_t ndones, cap_dones;
    tide_defer_t done_flush;
    /* Tasks this worker sent that have not ended: a stopping worker reads its link until
     * their answers came (stop_reading set: then it stops). */
    uint64_t tasks_out;
    bool stop_reading;
    /* The blocking channel (tide/manager.h): written and read here synchronously by a
     * caller that waits outside the loop, read on readiness by the loop otherwise. */
    int sync_fd;
    tide_op_t *sync_watch;
    tide_ipc_reader_t sync_reader;
    /* Its direct links: a worker's to the task workers, a task worker's to the workers. */
    tide_directs_t directs;
} tide_worker_t;

/* Stops reading the link now, or once the tasks out have ended. */
static void stop_reading(tide_worker_t *w)
{
    if (w->tasks_out)
        w->stop_reading = true;
    else
        tide_link_stop_reading(&w->link);
}

void tide__worker_task_sent(tide_server_t *s)
{
    if (s->worker)
        s->worker->tasks_out++;
}

/* ---- requests in flight to an owner ---- */

uint64_t tide__worker_inflight(tide_server_t *s, const tide_conninfo_t *c, uint64_t session)
{
    tide_worker_t *w = s->worker;
    if (!w)
        return 0;
    uint64_t *until = tide_idmap_get(&w->inflight, session);
    if (!until)
        return 0;
    /* The owner adds to out_bytes before it counts the bytes taken: read taken first. */
    uint64_t taken = __atomic_load_n(&c->taken_bytes, __ATOMIC_ACQUIRE);
    if (taken >= *until) {
        tide_free(tide_idmap_del(&w->inflight, session));
        return 0;
    }
    return *until - taken;
}

/* Drops what is known of connections that are gone, or whose bytes have all been taken: a
 * worker is not told when a connection another worker owns closes (MODE_BASE), nor, with
 * dispatch_mode 1 and 3, when any does. Run as the map doubles, so it costs O(1) a send. */
static void inflight_sweep(tide_worker_t *w)
{
    tide_idmap_t *m = &w->inflight;
    size_t i = 0;
    while (i < m->cap) {
        uint64_t id = m->slots[i].id;
        const uint64_t *until = m->slots[i].value;
        const tide_conninfo_t *c = id ? tide_conntab_find(&w->s->tab, id) : NULL;
        if (id && (!c || __atomic_load_n(&c->taken_bytes, __ATOMIC_ACQUIRE) >= *until)) {
            tide_free(tide_idmap_del(m, id));
            if (m->cap < 64 || !m->len)
                break;
            continue; /* the slot holds the next member of its run now (or the map shrank) */
        }
        i++;
    }
    w->sweep_at = m->len * 2 > 64 ? m->len * 2 : 64;
}

void tide__worker_inflight_add(tide_server_t *s, const tide_conninfo_t *c, uint64_t session,
                               size_t len)
{
    tide_worker_t *w = s->worker;
    if (!w || !session)
        return;
    uint64_t *until = tide_idmap_get(&w->inflight, session);
    if (!until) {
        if (w->inflight.len >= w->sweep_at)
            inflight_sweep(w);
        until = tide_malloc(sizeof(*until));
        *until = __atomic_load_n(&c->taken_bytes, __ATOMIC_ACQUIRE);
        tide_idmap_put(&w->inflight, session, until);
    }
    *until += len;
}

void tide__worker_inflight_forget(tide_server_t *s, uint64_t session)
{
    tide_worker_t *w = s->worker;
    if (w)
        tide_free(tide_idmap_del(&w->inflight, session));
}

/* ---- requests ---- */

static void count_request(tide_server_t *s)
{
    s->requests++;
    if (s->cfg.max_request && s->requests >= s->cfg.max_request && !s->stopping) {
        tide_log(TIDE_LOG_INFO, "worker #%d served max_request (%llu); restarting it",
                 s->worker_id, (unsigned long long)s->cfg.max_request);
        tide__worker_begin_stop(s);
    }
}

/* The most entries one DONE message carries (it stays under a packet of the link). */
#define DONES_MAX (TIDE_IPC_CHUNK / sizeof(tide_msg_done_t))

static void flush_dones(tide_reactor_t *r, void *udata)
{
    TIDE_UNUSED(r);
    tide_worker_t *w = udata;
    size_t n = w->ndones;
    if (!n)
        return;
    w->ndones = 0; /* first: sending may flush the link, which asks for them again */
    tide_link_send(&w->link, TIDE_MSG_DONE, 0, 0, w->dones, n * sizeof(tide_msg_done_t));
}

/* Finished requests go out with the replies of the same turn, in their packet: the master
 * counts a request done before its reply reaches the client (a client that sends again at
 * once must not find the worker still busy with it). */
static void dones_before_flush(tide_link_t *l, void *arg)
{
    tide_worker_t *w = arg;
    TIDE_UNUSED(l);
    if (!w->ndones)
        return;
    tide_reactor_undefer(w->s->r, &w->done_flush);
    flush_dones(w->s->r, w);
}

void tide__worker_done(tide_server_t *s, uint64_t session, size_t len)
{
    tide_worker_t *w = s->worker;
    if (!w)
        return;
    if (!w->e) {
        /* MODE_PROCESS: the master counts it, with what else ends this turn. */
        for (size_t i = w->ndones; i-- > 0 && i + 8 >= w->ndones;) {
            if (w->dones[i].session == session) {
                w->dones[i].count++;
                w->dones[i].bytes += len;
                return;
            }
        }
        if (w->ndones == DONES_MAX) {
            tide_reactor_undefer(s->r, &w->done_flush);
            flush_dones(s->r, w);
        }
        if (w->ndones == w->cap_dones) {
            w->cap_dones = w->cap_dones ? w->cap_dones * 2 : 16;
            w->dones = tide_realloc(w->dones, w->cap_dones * sizeof(tide_msg_done_t));
        }
        w->dones[w->ndones++] = (tide_msg_done_t){.session = session, .bytes = len, .count = 1};
        tide_reactor_defer(s->r, &w->done_flush);
        return;
    }
    uint64_t *ready;
    size_t n = tide_dispatch_done(&w->d, 0, 1, len, &ready);
    __atomic_store_n(&s->tab.pids->worker[s->worker_id].inflight, w->d.q[0].count,
                     __ATOMIC_RELAXED);
    if (session)
        tide_engine_done(w->e, session, 1);
    tide__proceed(w->e, s, ready, n);
}

/* ---- what the hub sends ---- */

typedef void (*msg_fn)(tide_worker_t *w, uint64_t session, uint32_t field, const char *payload,
                       size_t len);

static void msg_connect(tide_worker_t *w, uint64_t session, uint32_t field, const char *payload,
                        size_t len)
{
    TIDE_UNUSED(payload);
    TIDE_UNUSED(len);
    if (w->s->h.connect)
        w->s->h.connect(w->s, (int)field, session);
}

static void msg_data(tide_worker_t *w, uint64_t session, uint32_t field, const char *payload,
                     size_t len)
{
    tide_server_t *s = w->s;
    if (s->h.receive)
        s->h.receive(s, (int)field, session, payload, len);
    else
        tide__worker_done(s, session, len);
    count_request(s);
}

/* A message and its body's file: handed to the binding (which closes the file); with no
 * hook for it, the request is dropped (done without an answer). */
static void receive_file(tide_server_t *s, int port, uint64_t session, const char *head,
                         size_t len, int fd, uint64_t body_len)
{
    if (s->h.receive_file) {
        s->h.receive_file(s, port, session, head, len, fd, body_len);
        return;
    }
    close(fd);
    tide__worker_done(s, session, len);
}

static void msg_data_file(tide_worker_t *w, uint64_t session, uint32_t field,
                          const char *payload, size_t len)
{
    tide_server_t *s = w->s;
    tide_msg_datafile_t df;
    const char *head;
    size_t head_len;
    if (tide_msg_datafile_decode(payload, len, &df, &head, &head_len) < 0) {
        /* (tide_msg_check saw the size: only a length past INT64_MAX gets here) */
        tide__worker_done(s, session, len - sizeof(df));
        tide_server_close(s, session, true);
        return;
    }
    int fd = tide_link_take_fd(&w->link, df.ticket);
    if (fd < 0) {
        /* Lost on the way (the channel was closed under it): the request cannot be
         * answered, and its client is told by a closed connection. */
        tide_log(TIDE_LOG_ERROR, "worker #%d: the body of a request on connection #%llu did "
                 "not arrive (%s); closing it", s->worker_id, (unsigned long long)session,
                 tide_strerror(fd));
        tide__worker_done(s, session, head_len);
        tide_server_close(s, session, true);
        return;
    }
    receive_file(s, (int)field, session, head, head_len, fd, df.body_len);
    count_request(s);
}

static void msg_close(tide_worker_t *w, uint64_t session, uint32_t field, const char *payload,
                      size_t len)
{
    TIDE_UNUSED(payload);
    TIDE_UNUSED(len);
    tide__worker_inflight_forget(w->s, session);
    if (w->s->h.close)
        w->s->h.close(w->s, (int)field, session);
}

static void msg_packet(tide_worker_t *w, uint64_t session, uint32_t field, const char *payload,
                       size_t len)
{
    TIDE_UNUSED(session);
    tide_server_t *s = w->s;
    tide_msg_peer_t peer;
    const char *data;
    size_t dlen;
    if (tide_msg_packet_decode(payload, len, &peer, &data, &dlen) < 0 || (int)field >= s->nports)
        return;
    if (s->h.packet)
        s->h.packet(s, (int)field, &peer, data, dlen);
    else
        tide__worker_done(s, 0, dlen);
    count_request(s);
}

static void msg_pipe(tide_worker_t *w, uint64_t session, uint32_t field, const char *payload,
                     size_t len)
{
    TIDE_UNUSED(field);
    if (w->s->h.pipe_message)
        w->s->h.pipe_message(w->s, (int)session, payload, len);
}

static void msg_ack(tide_worker_t *w, uint64_t session, uint32_t field, const char *payload,
                    size_t len)
{
    TIDE_UNUSED(session);
    TIDE_UNUSED(field);
    TIDE_UNUSED(payload);
    TIDE_UNUSED(len);
    w->link_done = true;
    stop_reading(w);
}

/* MODE_BASE: requests another worker made of a connection this one owns. */
static void msg_owner(tide_worker_t *w, int type, uint64_t session, uint32_t field,
                      const char *payload, size_t len)
{
    if (w->e)
        tide__owner_request(w->s, w->e, &w->link, type, session, field, payload, len);
}

static void msg_task(tide_worker_t *w, uint64_t session, uint32_t field, const char *payload,
                     size_t len)
{
    tide_server_t *s = w->s;
    tide_msg_task_t head;
    memcpy(&head, payload, sizeof(head)); /* checked: at least that long */
    if (s->h.task && TIDE_SERVER_IS_TASK(s, s->worker_id)) {
        s->h.task(s, (int)field, session, &head, payload + sizeof(head), len - sizeof(head));
        if (s->tasks_block) {
            /* Its answer goes out now: the next task (maybe in this very packet) may
             * block the loop for long. */
            tide_link_flush(&w->link);
            tide_reactor_submit(s->r);
        }
    } else {
        head.flags = TIDE_TASK_END;
        tide_server_task_end(s, (int)field, session, &head, NULL, 0);
    }
}

/* An answer to one of this worker's tasks, over the hub's way or a direct link. */
static void finish(tide_worker_t *w, uint64_t session, uint32_t field, const char *payload,
                   size_t len)
{
    tide_server_t *s = w->s;
    tide_msg_task_t head;
    memcpy(&head, payload, sizeof(head));
    if (s->h.finish)
        s->h.finish(s, (int)field, session, &head, payload + sizeof(head), len - sizeof(head));
    if ((head.flags & TIDE_TASK_END) && w->tasks_out && !--w->tasks_out && w->stop_reading) {
        w->stop_reading = false;
        tide_link_stop_reading(&w->link);
    }
}

void tide__worker_finish(tide_server_t *s, uint64_t id, uint32_t t, const char *payload,
                         size_t len)
{
    if (s->worker)
        finish(s->worker, id, t, payload, len);
}

static void msg_finish(tide_worker_t *w, uint64_t session, uint32_t field, const char *payload,
                       size_t len)
{
    tide_msg_task_t head;
    memcpy(&head, payload, sizeof(head));
    if ((head.flags & TIDE_TASK_END) && w->directs.hub_out)
        w->directs.hub_out--;
    finish(w, session, field, payload, len);
}

/* The hub introduces a direct link: its end is on the descriptor channel. */
static void msg_direct(tide_worker_t *w, uint64_t session, uint32_t field, const char *payload,
                       size_t len)
{
    uint32_t epoch;
    memcpy(&epoch, payload, sizeof(epoch)); /* checked: exactly that long */
    TIDE_UNUSED(len);
    int fd = tide_link_take_fd(&w->link, session);
    if (fd < 0) {
        tide_log(TIDE_LOG_WARNING, "worker #%d: its direct link to #%u did not arrive (%s); "
                 "tasks take the hub's way", w->s->worker_id, field, tide_strerror(fd));
        return;
    }
    tide__directs_add(&w->directs, fd, (int)field, epoch);
}

/* ---- the blocking channel ---- */

static int sync_deliver(void *udata, const tide_ipc_hdr_t *hdr, const char *payload)
{
    tide_worker_t *w = udata;
    if (hdr->type == TIDE_MSG_FINISH &&
        tide_msg_check(hdr->type, hdr->session, hdr->worker, payload, hdr->len,
                       TIDE_MSG_TO_WORKER) == 0)
        msg_finish(w, hdr->session, hdr->worker, payload, hdr->len);
    return 0;
}

/* Reads what the channel holds now. false when it is broken (EOF or a bad packet). */
static bool sync_drain(tide_worker_t *w)
{
    static char packet[TIDE_IPC_PACKET];
    for (;;) {
        ssize_t n = recv(w->sync_fd, packet, sizeof(packet), 0);
        if (n > 0) {
            if (tide_ipc_read(&w->sync_reader, packet, (size_t)n, sync_deliver, w) < 0)
                return false;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
}

static void on_sync_ready(tide_reactor_t *r, void *udata, int fd)
{
    TIDE_UNUSED(fd);
    tide_worker_t *w = udata;
    if (!sync_drain(w) && w->sync_watch) {
        tide_reactor_cancel(r, w->sync_watch);
        w->sync_watch = NULL;
    }
}

static void sync_open(tide_worker_t *w, int fd)
{
    if (fd < 0)
        return;
    w->sync_fd = fd;
    tide_ipc_reader_init(&w->sync_reader, 0);
    int err = 0;
    /* Answers that come while nobody blocks (a waiter that gave up) still end their tasks. */
    w->sync_watch = tide_reactor_poll(w->s->r, fd, on_sync_ready, w, &err);
    if (w->sync_watch)
        tide_reactor_unref(w->s->r, w->sync_watch);
}

/* Writes all of buf to the channel, waiting for room until deadline. */
static int sync_write(int fd, const struct iovec *iov, int n, uint64_t deadline_ns)
{
    struct msghdr mh = {.msg_iov = (struct iovec *)iov, .msg_iovlen = (size_t)n};
    for (;;) {
        ssize_t k = sendmsg(fd, &mh, MSG_NOSIGNAL);
        if (k >= 0)
            return 0;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return -errno;
        uint64_t now = tide_time_ns();
        if (now >= deadline_ns)
            return -ETIMEDOUT;
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        poll(&p, 1, (int)((deadline_ns - now + 999999) / 1000000));
    }
}

int tide_server_task_sync(tide_server_t *s, uint64_t id, uint32_t dst, const tide_msg_task_t *head,
                          const char *data, size_t len, uint64_t deadline_ns)
{
    tide_worker_t *w = s->role == TIDE_ROLE_WORKER ? s->worker : NULL;
    if (!w || w->sync_fd < 0 || !id || id >= TIDE__TASK_ID_MAX)
        return TIDE_ESTATE;
    size_t total = sizeof(*head) + len;
    if (total > UINT32_MAX)
        return -EMSGSIZE;
    /* Direct tasks sent this turn go out before the worker blocks (a task worker that
     * stops waits for every task counted in at its gate). */
    tide__directs_flush(&w->directs);
    char *payload = tide_malloc(total);
    memcpy(payload, head, sizeof(*head));
    if (len)
        memcpy(payload + sizeof(*head), data, len);
    tide_ipc_hdr_t msg = {.len = (uint32_t)total, .type = TIDE_MSG_TASK_REQ, .session = id,
                          .worker = dst};
    int rc = 0;
    for (size_t i = 0, n = tide_ipc_packets(total); i < n && rc == 0; i++) {
        tide_ipc_hdr_t hdr;
        struct iovec iov[2];
        tide_ipc_packet(&msg, payload, i, &hdr, iov);
        rc = sync_write(w->sync_fd, iov, 2, deadline_ns);
    }
    tide_free(payload);
    if (rc == 0) {
        w->tasks_out++;
        w->directs.hub_out++;
    }
    return rc;
}

int tide_server_sync_wait(tide_server_t *s, uint64_t deadline_ns, bool (*done)(void *arg),
                          void *arg)
{
    tide_worker_t *w = s->role == TIDE_ROLE_WORKER ? s->worker : NULL;
    if (!w || w->sync_fd < 0)
        return TIDE_ESTATE;
    for (;;) {
        if (!sync_drain(w))
            return TIDE_ECLOSED;
        if (done(arg))
            return 0;
        uint64_t now = tide_time_ns();
        if (now >= deadline_ns)
            return -ETIMEDOUT;
        struct pollfd p = {.fd = w->sync_fd, .events = POLLIN};
        poll(&p, 1, (int)((deadline_ns - now + 999999) / 1000000));
    }
}

static const msg_fn handlers[TIDE_MSG_COUNT] = {
    [TIDE_MSG_CONNECT] = msg_connect, [TIDE_MSG_DATA] = msg_data,
    [TIDE_MSG_DATA_FILE] = msg_data_file,
    [TIDE_MSG_CLOSE] = msg_close,     [TIDE_MSG_PACKET] = msg_packet,
    [TIDE_MSG_PIPE] = msg_pipe,       [TIDE_MSG_ACK] = msg_ack,
    [TIDE_MSG_TASK] = msg_task,       [TIDE_MSG_FINISH] = msg_finish,
    [TIDE_MSG_DIRECT] = msg_direct,
};

static void on_msg(tide_link_t *l, void *udata, int type, uint64_t session, uint32_t field,
                   const char *payload, size_t len)
{
    TIDE_UNUSED(l);
    tide_worker_t *w = udata;
    unsigned to = TIDE_MSG_TO_WORKER | (w->e ? TIDE_MSG_TO_OWNER : 0);
    if (tide_msg_check(type, session, field, payload, len, to) < 0) {
        tide_log(TIDE_LOG_ERROR, "worker #%d: a message from the %s that does not fit (%s, %zu "
                 "bytes); ignored", w->s->worker_id,
                 w->s->cfg.mode == TIDE_MODE_BASE ? "manager" : "master", tide_msg_name(type),
                 len);
        return;
    }
    if (handlers[type])
        handlers[type](w, session, field, payload, len);
    else
        msg_owner(w, type, session, field, payload, len);
}

static void on_gone(tide_link_t *l, void *udata, int err)
{
    TIDE_UNUSED(l);
    TIDE_UNUSED(err);
    tide_worker_t *w = udata;
    w->link_done = true;
    if (!w->s->stopping) {
        tide_log(TIDE_LOG_WARNING, "worker #%d lost its link to the %s; stopping",
                 w->s->worker_id, w->s->cfg.mode == TIDE_MODE_BASE ? "manager" : "master");
        tide__worker_begin_stop(w->s);
    }
}

/* ---- MODE_BASE: its own connections ---- */

static void base_connect(void *udata, tide_conninfo_t *c)
{
    tide_worker_t *w = udata;
    if (w->s->h.connect)
        w->s->h.connect(w->s, c->port, c->session);
}

static void publish_base_load(tide_worker_t *w)
{
    __atomic_store_n(&w->s->tab.pids->worker[w->s->worker_id].inflight, w->d.q[0].count,
                     __ATOMIC_RELAXED);
}

/* Whether this worker takes a message of len bytes now (counted as in flight if so);
 * false: the connection waits until it does. */
static bool base_take(tide_worker_t *w, tide_conninfo_t *c, size_t len)
{
    if (tide_dispatch_full(&w->d, 0, len)) {
        tide_dispatch_wait(&w->d, 0, c->session);
        return false;
    }
    tide_dispatch_add(&w->d, 0, len);
    publish_base_load(w);
    tide_conninfo_begin(c);
    c->last_dispatch_time = c->last_time;
    tide_conninfo_end(c);
    return true;
}

static int base_receive(void *udata, tide_conninfo_t *c, const char *data, size_t len)
{
    tide_worker_t *w = udata;
    tide_server_t *s = w->s;
    if (!base_take(w, c, len))
        return TIDE_ENGINE_HOLD;
    if (s->h.receive)
        s->h.receive(s, c->port, c->session, data, len);
    else
        tide__worker_done(s, c->session, len);
    count_request(s);
    return TIDE_ENGINE_TAKEN;
}

static int base_receive_spooled(void *udata, tide_conninfo_t *c, const char *data, size_t len,
                                int fd, uint64_t body_len)
{
    tide_worker_t *w = udata;
    if (!base_take(w, c, len))
        return TIDE_ENGINE_HOLD;
    receive_file(w->s, c->port, c->session, data, len, fd, body_len);
    count_request(w->s);
    return TIDE_ENGINE_TAKEN;
}

static void base_close(void *udata, tide_conninfo_t *c)
{
    tide_worker_t *w = udata;
    if (w->s->h.close)
        w->s->h.close(w->s, c->port, c->session);
}

static int base_packet(void *udata, tide_port_t *p, const struct sockaddr *addr,
                       socklen_t addrlen, const char *data, size_t len)
{
    tide_worker_t *w = udata;
    tide_server_t *s = w->s;
    if (tide_dispatch_full(&w->d, 0, len)) {
        tide_dispatch_wait(&w->d, 0, TIDE__PORT_WAIT(p->index));
        return TIDE_ENGINE_HOLD;
    }
    tide_dispatch_add(&w->d, 0, len);
    publish_base_load(w);
    tide_msg_peer_t peer;
    memset(&peer, 0, sizeof(peer));
    tide_sockaddr_text(addr, addrlen, peer.addr, sizeof(peer.addr), &peer.port);
    peer.server_fd = p->fd;
    if (s->h.packet)
        s->h.packet(s, p->index, &peer, data, len);
    else
        tide__worker_done(s, 0, len);
    count_request(s);
    return TIDE_ENGINE_TAKEN;
}

/* Its engine, its own SO_REUSEPORT listeners, and the ports. 0 or -1 (logged). */
static int base_setup(tide_worker_t *w)
{
    tide_server_t *s = w->s;
    int id = s->worker_id;
    /* Connections a crashed predecessor left in this worker's part of the table died with
     * it. */
    size_t left = tide_conntab_reset_part(&s->tab, (unsigned)id);
    if (left)
        tide_log(TIDE_LOG_INFO, "worker #%d: %zu connection(s) of the previous worker #%d are gone",
                 id, left, id);
    tide_dispatch_init(&w->d, 2, 1, s->cfg.worker_max_inflight, s->cfg.worker_max_inflight_bytes);
    w->d.q[0].up = true;
    tide_engine_opts_t eo = {
        .max_connection = s->cfg.max_connection,
        .heartbeat_check_ms = s->cfg.heartbeat_check_ms,
        .heartbeat_idle_ms = s->cfg.heartbeat_idle_ms,
        .conn_max_inflight = s->cfg.connection_max_inflight,
    };
    tide_engine_handlers_t h = {.connect = base_connect,
                                .receive = base_receive,
                                .receive_spooled = base_receive_spooled,
                                .close = base_close,
                                .packet = base_packet};
    w->e = tide_engine_create(s->r, &s->tab, (unsigned)id, &eo, &h, w);
    for (int i = 0; i < s->nports; i++) {
        tide_port_t *p = s->ports[i];
        if (tide_sock_is_tcp(p->type)) {
            char why[256];
            int lfd = tide_sock_listen(p->type, p->host, p->port, p->backlog, true, true, why,
                                       sizeof(why));
            if (lfd < 0) {
                tide_log(TIDE_LOG_ERROR, "worker #%d: %s", id, why);
                return -1;
            }
            close(p->fd); /* the manager's reservation */
            p->fd = lfd;
            w->listen_fds[i] = lfd;
        }
        int rc = tide_engine_add_port(w->e, p);
        if (rc < 0) {
            tide_log(TIDE_LOG_ERROR, "worker #%d: port %d: %s", id, p->port, tide_strerror(rc));
            return -1;
        }
    }
    return 0;
}

/* ---- the worker's life ---- */

tide_link_t *tide__worker_link(tide_server_t *s)
{
    /* Writable also after ACK (the hub sends nothing more, but still reads what this
     * worker sends until it exits: replies to what it is finishing). */
    return s->worker && s->worker->link.fd >= 0 ? &s->worker->link : NULL;
}

tide_directs_t *tide__worker_directs(tide_server_t *s)
{
    return s->worker ? &s->worker->directs : NULL;
}

tide_engine_t *tide__worker_engine(tide_server_t *s)
{
    return s->worker ? s->worker->e : NULL;
}

/* An orphan that did not finish in time: nobody else will end it. */
static void orphan_deadline(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(id);
    tide_server_t *s = udata;
    tide_log(TIDE_LOG_WARNING, "worker #%d: its manager is gone and it did not finish within "
             "max_wait_time; leaving now", s->worker_id);
    _exit(1);
}

void tide__worker_begin_stop(tide_server_t *s)
{
    tide_worker_t *w = s->worker;
    if (!w || s->stopping)
        return;
    s->stopping = true;
    /* Told to stop by its parent's death (PR_SET_PDEATHSIG): the manager that would kill
     * it after max_wait_time is gone, so it keeps that deadline itself (a coroutine asleep
     * for long would keep it alive). */
    if (getppid() != s->tab.pids->manager && s->cfg.max_wait_ms)
        tide_timer_unref(s->r, tide_timer_add(s->r, s->cfg.max_wait_ms, 0, orphan_deadline, s));
    tide__directs_exiting(&w->directs); /* a task worker's senders send nothing more */
    if (!w->e) {
        if (!w->link_done &&
            tide_link_send(&w->link, TIDE_MSG_EXITING, 0, (uint32_t)s->worker_id, NULL, 0) < 0) {
            w->link_done = true;
            tide_link_stop_reading(&w->link);
        }
    } else {
        tide_engine_stop_ports(w->e);
        tide_engine_pause_all(w->e);
        for (int i = 0; i < TIDE_SERVER_MAX_PORTS; i++)
            if (w->listen_fds[i] > 0) {
                close(w->listen_fds[i]);
                w->listen_fds[i] = 0;
                s->ports[i]->fd = -1;
            }
        /* Relays to this worker are no longer read (once its tasks have answered); the
         * manager sees it leave. */
        stop_reading(w);
        w->link_done = true;
    }
    if (s->h.worker_exit)
        s->h.worker_exit(s);
}

static void on_signal(tide_reactor_t *r, void *udata, int signo)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(signo);
    tide__worker_begin_stop(udata);
}

static bool run_loop(tide_server_t *s)
{
    return s->h.run ? s->h.run(s) : tide_reactor_run(s->r, TIDE_RUN_DEFAULT) >= 0;
}

static void worker_free(tide_server_t *s)
{
    tide_worker_t *w = s->worker;
    for (size_t i = 0; i < sizeof(w->sigs) / sizeof(w->sigs[0]); i++)
        if (w->sigs[i])
            tide_reactor_cancel(s->r, w->sigs[i]);
    if (w->e) {
        tide_engine_destroy(w->e);
        w->e = NULL;
        tide_dispatch_destroy(&w->d);
    }
    tide_reactor_undefer(s->r, &w->done_flush);
    if (!w->link_done)
        flush_dones(s->r, w); /* the master counts what ended in the last turn */
    tide_free(w->dones);
    if (w->sync_watch)
        tide_reactor_cancel(s->r, w->sync_watch);
    if (w->sync_fd >= 0) {
        close(w->sync_fd);
        tide_ipc_reader_destroy(&w->sync_reader);
    }
    tide__directs_free(&w->directs);
    tide_link_close(&w->link);
    for (size_t i = 0; i < w->inflight.cap; i++)
        if (w->inflight.slots[i].id)
            tide_free(w->inflight.slots[i].value);
    tide_idmap_destroy(&w->inflight);
    tide_free(w);
    s->worker = NULL;
}

static void close_fds(const int fds[TIDE_WORKER_FDS])
{
    for (int i = 0; i < TIDE_WORKER_FDS; i++)
        if (fds[i] >= 0)
            close(fds[i]);
}

int tide__worker_main(tide_server_t *s, int id, const int fds[TIDE_WORKER_FDS], int *exit_status)
{
    *exit_status = 1;
    s->role = TIDE_ROLE_WORKER;
    s->worker_id = id;
    s->stopping = false;
    s->requests = 0;
    if (geteuid() == 0 && (s->cfg.user || s->cfg.group)) {
        char why[256];
        if (tide_user_switch(s->cfg.user, s->cfg.group, why, sizeof(why)) < 0) {
            tide_log(TIDE_LOG_ERROR, "worker #%d: %s", id, why);
            close_fds(fds);
            return TIDE_SERVER_LEAVE;
        }
        /* The kernel forgets PR_SET_PDEATHSIG when the credentials change (prctl(2)). */
        if (!tide_die_with_parent(s->tab.pids->manager)) {
            close_fds(fds);
            return TIDE_SERVER_LEAVE;
        }
    }
    s->r = s->h.reactor(s);
    if (!s->r) {
        tide_log(TIDE_LOG_ERROR, "worker #%d: %s", id, s->error);
        close_fds(fds);
        return TIDE_SERVER_LEAVE;
    }
    tide_worker_t *w = tide_calloc(1, sizeof(*w));
    w->sync_fd = -1;
    w->s = s;
    tide_idmap_init(&w->inflight);
    w->sweep_at = 64;
    w->done_flush.cb = flush_dones;
    w->done_flush.udata = w;
    tide__directs_init(&w->directs, s);
    s->worker = w;
    if (s->h.process_start)
        s->h.process_start(s);
    if (tide_link_open(&w->link, s->r, fds[0], fds[1], on_msg, on_gone, w) < 0) {
        tide_log(TIDE_LOG_ERROR, "worker #%d: cannot read its link", id);
        close_fds(fds);
        w->link_done = true;
        worker_free(s);
        return TIDE_SERVER_LEAVE;
    }
    w->link.before_flush = dones_before_flush;
    w->link.before_flush_arg = w;
    sync_open(w, fds[2]);
    static const int sigs[] = {SIGTERM, SIGINT};
    for (size_t i = 0; i < 2; i++) {
        int err = 0;
        w->sigs[i] = tide_reactor_signal(s->r, sigs[i], on_signal, s, &err);
        if (w->sigs[i])
            tide_reactor_unref(s->r, w->sigs[i]);
    }
    /* The manager forked us with its signals blocked (so that they waited for the watches
     * above); those a worker does not watch are unblocked too, so that processes PHP code
     * starts from here begin with the default mask. */
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, SIGCHLD);
    sigaddset(&unblock, SIGUSR1);
    sigaddset(&unblock, SIGUSR2);
    sigprocmask(SIG_UNBLOCK, &unblock, NULL);
    if (TIDE_SERVER_IS_TASK(s, id)) {
        /* A predecessor killed inside a task left its count behind. */
        __atomic_store_n(&s->tab.pids->worker[id].running, 0, __ATOMIC_RELAXED);
        /* A task worker serves no connections: in MODE_BASE the manager's reservations of
         * the stream ports are not its to keep (datagram sockets stay, for sendto()). */
        for (int i = 0; s->cfg.mode == TIDE_MODE_BASE && i < s->nports; i++) {
            tide_port_t *p = s->ports[i];
            if (!tide_sock_is_dgram(p->type) && p->fd >= 0) {
                close(p->fd);
                p->fd = -1;
            }
        }
    } else if (s->cfg.mode == TIDE_MODE_BASE && base_setup(w) < 0) {
        worker_free(s);
        return TIDE_SERVER_LEAVE;
    }

    if (s->h.worker_start)
        s->h.worker_start(s);
    bool ok = run_loop(s);
    if (!s->stopping) {
        /* exit() in a callback: the worker dies with requests unanswered. No goodbye
         * (EXITING), so that the master closes its connections as a crashed worker's. */
        if (!ok) {
            w->link_done = true;
            tide_link_stop_reading(&w->link);
        }
        tide__worker_begin_stop(s); /* exit() in a callback, or nothing left to serve */
    }
    if (w->e) {
        tide_engine_close_all(w->e);
        run_loop(s);
    }
    if (s->h.worker_stop)
        s->h.worker_stop(s);
    run_loop(s);
    /* A second SIGTERM (the manager's, after a terminal's or a process group's) must not
     * kill the worker with the default action once its watch is gone. */
    signal(SIGTERM, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    worker_free(s);
    *exit_status = 0;
    return TIDE_SERVER_LEAVE;
}

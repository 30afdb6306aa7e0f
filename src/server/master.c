/* SPDX-License-Identifier: MIT */
/*
 * The master of MODE_PROCESS: its engine accepts, reads and frames; each message goes to a
 * worker chosen by dispatch_mode, over the hub (tide/dispatch.h, hub.c); what workers ask
 * of connections (send, close, pause, sendfile) comes back over their links.
 *
 * The manager hands the master each worker's new link and descriptor channel over the
 * control socket. The control socket's EOF means the manager is gone: when the master did
 * not ask for it, that is a failure (start() fails in the caller, so a supervisor sees a
 * non-zero exit and restarts the server).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "server_int.h"
#include "tide/common.h"
#include "tide/log.h"
#include "tide/process.h"

typedef struct ctl_msg {
    int32_t id;
    int32_t pid;
} ctl_msg_t;

typedef struct tide_master {
    tide_server_t *s;
    tide_engine_t *e;
    tide_hub_t hub;
    tide_dispatch_t d;
    /* dispatch_mode 1 and 3: per worker, session -> how many of its messages that worker
     * has (as a pointer-sized count): if the worker dies, its connections get them back. */
    tide_idmap_t *at;
    int ctl_fd;
    tide_op_t *ctl_watch;
    pid_t manager_pid;
    bool manager_gone;
    bool manager_lost; /* it went without being asked to */
    bool manager_reaped;
    int manager_status;
    tide_op_t *sigs[5];
    tide_ratelimit_t rl;
} tide_master_t;

/* ---- what the master knows of its workers ---- */

static void publish_load(tide_master_t *m, int w)
{
    __atomic_store_n(&m->s->tab.pids->worker[w].inflight, m->d.q[w].count, __ATOMIC_RELAXED);
}

static void at_add(tide_master_t *m, int w, uint64_t session, intptr_t n)
{
    if (!m->at || !session)
        return;
    intptr_t have = (intptr_t)tide_idmap_get(&m->at[w], session) + n;
    if (have > 0)
        tide_idmap_put(&m->at[w], session, (void *)have);
    else
        tide_idmap_del(&m->at[w], session);
}

/* ---- engine handlers ---- */

static void on_connect(void *udata, tide_conninfo_t *c)
{
    tide_master_t *m = udata;
    int w = tide_dispatch_bind(&m->d, c->session, c->remote_ip);
    tide_conninfo_begin(c);
    c->worker = w;
    tide_conninfo_end(c);
    if (w >= 0)
        tide_hub_send(&m->hub, w, TIDE_MSG_CONNECT, c->session, (uint32_t)c->port, NULL, 0,
                      NULL, 0);
}

/* The worker for a message of len bytes (counted as its from now on), or -1: none may
 * take it now (the connection waits for one). */
static int pick(tide_master_t *m, tide_conninfo_t *c, size_t len)
{
    int wait_on;
    int w = tide_dispatch_pick(&m->d, c->worker, len, &wait_on);
    if (w < 0) {
        tide_dispatch_wait(&m->d, wait_on, c->session);
        return -1;
    }
    tide_dispatch_add(&m->d, w, len);
    publish_load(m, w);
    at_add(m, w, c->session, 1);
    tide_conninfo_begin(c);
    c->last_dispatch_time = c->last_time;
    tide_conninfo_end(c);
    tide_conntab_stats(&m->s->tab, 0)->dispatch_count++;
    return w;
}

/* What pick() counted for a message that will not go to w after all. */
static void unpick(tide_master_t *m, tide_conninfo_t *c, int w, size_t len)
{
    at_add(m, w, c->session, -1);
    uint64_t *ready;
    size_t n = tide_dispatch_done(&m->d, w, 1, len, &ready);
    publish_load(m, w);
    tide__proceed(m->e, m->s, ready, n);
}

static int on_receive(void *udata, tide_conninfo_t *c, const char *data, size_t len)
{
    tide_master_t *m = udata;
    int w = pick(m, c, len);
    if (w < 0)
        return TIDE_ENGINE_HOLD;
    tide_hub_send(&m->hub, w, TIDE_MSG_DATA, c->session, (uint32_t)c->port, data, len, NULL, 0);
    return TIDE_ENGINE_TAKEN;
}

/* A message whose body was spooled: the file goes to the worker on the descriptor
 * channel (the worker reads what the master wrote, without the master's rights over the
 * directory). A worker being replaced, or a full channel, gets the body in the message. */
static int on_receive_spooled(void *udata, tide_conninfo_t *c, const char *data, size_t len,
                              int fd, uint64_t body_len)
{
    tide_master_t *m = udata;
    int w = pick(m, c, len);
    if (w < 0)
        return TIDE_ENGINE_HOLD;
    tide_msg_datafile_t df = {tide__hub_ticket(&m->hub), body_len};
    tide_link_t *l = tide_hub_link(&m->hub, w);
    if (l && tide_link_send_fd(l, df.ticket, fd) == 0) {
        close(fd);
        tide_hub_send(&m->hub, w, TIDE_MSG_DATA_FILE, c->session, (uint32_t)c->port, &df,
                      sizeof(df), data, len);
        return TIDE_ENGINE_TAKEN;
    }
    char *whole = tide_malloc(len + body_len);
    memcpy(whole, data, len);
    size_t got = 0;
    while (got < body_len) {
        ssize_t n = pread(fd, whole + len + got, body_len - got, (off_t)got);
        if (n <= 0 && !(n < 0 && errno == EINTR))
            break;
        if (n > 0)
            got += (size_t)n;
    }
    close(fd);
    if (got < body_len) {
        /* The spool file cannot be read back: the request is lost, and nothing of it goes
         * to the worker (the client sees its connection reset). */
        tide_log_limited(&m->rl, TIDE_LOG_ERROR,
                         "connection #%llu: cannot read its spooled request body back",
                         (unsigned long long)c->session);
        tide_free(whole);
        unpick(m, c, w, len);
        tide_engine_close(m->e, c->session, true);
        tide_engine_done(m->e, c->session, 1);
        return TIDE_ENGINE_TAKEN;
    }
    m->d.q[w].bytes += body_len; /* as the worker will count it when done */
    tide_hub_send(&m->hub, w, TIDE_MSG_DATA, c->session, (uint32_t)c->port, whole,
                  len + body_len, NULL, 0);
    tide_free(whole);
    return TIDE_ENGINE_TAKEN;
}

static void on_close(void *udata, tide_conninfo_t *c)
{
    tide_master_t *m = udata;
    if (c->worker < 0 || m->hub.slots[c->worker].dying)
        return; /* per-message modes tell nobody; a dead worker has nobody to tell */
    tide_hub_send(&m->hub, c->worker, TIDE_MSG_CLOSE, c->session, (uint32_t)c->port, NULL, 0,
                  NULL, 0);
}

static int on_packet(void *udata, tide_port_t *p, const struct sockaddr *addr,
                     socklen_t addrlen, const char *data, size_t len)
{
    tide_master_t *m = udata;
    int wait_on;
    int w = tide_dispatch_pick(&m->d, -1, len, &wait_on);
    if (w < 0) {
        tide_dispatch_wait(&m->d, wait_on, TIDE__PORT_WAIT(p->index));
        return TIDE_ENGINE_HOLD;
    }
    tide_msg_peer_t peer;
    memset(&peer, 0, sizeof(peer));
    tide_sockaddr_text(addr, addrlen, peer.addr, sizeof(peer.addr), &peer.port);
    peer.server_fd = p->fd;
    tide_dispatch_add(&m->d, w, len);
    publish_load(m, w);
    tide_hub_send(&m->hub, w, TIDE_MSG_PACKET, 0, (uint32_t)p->index, &peer, sizeof(peer), data,
                  len);
    return TIDE_ENGINE_TAKEN;
}

/* ---- the hub's reports ---- */

static void hub_msg(tide_hub_t *h, hub_link_t *from, int type, uint64_t session,
                    uint32_t field, const char *payload, size_t len)
{
    tide_master_t *m = h->udata;
    if (type != TIDE_MSG_DONE) {
        tide__owner_request(m->s, m->e, &from->l, type, session, field, payload, len);
        return;
    }
    int w = from->id;
    if (TIDE_SERVER_IS_TASK(m->s, w))
        return; /* a task worker is handed no requests: it has none to finish */
    uint32_t count = 0;
    uint64_t bytes = 0;
    size_t entries = len / sizeof(tide_msg_done_t);
    for (size_t i = 0; i < entries; i++) {
        tide_msg_done_t e = tide_msg_done_entry(payload, i);
        count += e.count;
        bytes += e.bytes;
        if (e.session) {
            at_add(m, w, e.session, -(intptr_t)e.count);
            tide_engine_done(m->e, e.session, e.count);
        }
    }
    uint64_t *ready;
    size_t n = tide_dispatch_done(&m->d, w, count, bytes, &ready);
    publish_load(m, w);
    tide__proceed(m->e, m->s, ready, n);
}

static void hub_crashed(tide_hub_t *h, int w)
{
    tide_master_t *m = h->udata;
    if (TIDE_SERVER_IS_TASK(m->s, w))
        return; /* no connections, no requests */
    tide_log(TIDE_LOG_WARNING, "worker #%d is gone; closing its connections", w);
    if (m->at) {
        /* Per-message modes: its connections live on and may send again (a protocol that
         * answers a lost request, HTTP, answers it and closes). */
        tide_idmap_t *map = &m->at[w];
        for (size_t i = 0; i < map->cap; i++)
            if (map->slots[i].id)
                tide_engine_lost(m->e, map->slots[i].id, (uint32_t)(intptr_t)map->slots[i].value);
        tide_idmap_destroy(map);
        tide_idmap_init(map);
    } else {
        tide_engine_close_worker(m->e, w);
    }
    uint64_t *ready;
    size_t n = tide_dispatch_lost(&m->d, w, &ready);
    publish_load(m, w);
    tide__proceed(m->e, m->s, ready, n);
}

static void hub_up(tide_hub_t *h, int w, bool up)
{
    tide_master_t *m = h->udata;
    if (TIDE_SERVER_IS_TASK(m->s, w))
        return; /* not one connections are dispatched to */
    uint64_t *ready;
    size_t n = tide_dispatch_set_up(&m->d, w, up, &ready);
    tide__proceed(m->e, m->s, ready, n);
}

/* ---- the manager ---- */

static void reap_manager(tide_master_t *m)
{
    if (m->manager_reaped || m->manager_pid <= 0)
        return;
    int status;
    if (tide_reap(m->manager_pid, &status) == m->manager_pid) {
        m->manager_reaped = true;
        m->manager_status = status;
    }
}

static void on_ctl(tide_reactor_t *r, void *udata, int fd)
{
    TIDE_UNUSED(r);
    tide_master_t *m = udata;
    for (;;) {
        ctl_msg_t msg;
        int fds[TIDE_WORKER_FDS] = {-1, -1, -1}, nfds = 0;
        ssize_t n = tide_recv_fds(fd, fds, TIDE_WORKER_FDS, &nfds, &msg, sizeof(msg));
        if (n == -EAGAIN || n == -EWOULDBLOCK)
            return;
        if (n <= 0) {
            /* The manager is gone. */
            if (m->ctl_watch) {
                tide_reactor_cancel(m->s->r, m->ctl_watch);
                m->ctl_watch = NULL;
            }
            m->manager_gone = true;
            m->manager_lost = !m->s->stopping;
            if (m->manager_lost)
                tide_log(TIDE_LOG_ERROR, "the manager process is gone; shutting down");
            tide__master_shutdown(m->s);
            tide_reactor_stop(m->s->r);
            return;
        }
        if (nfds != TIDE_WORKER_FDS || (size_t)n != sizeof(msg) || msg.id < 0 ||
            msg.id >= TIDE_SERVER_PROCS(m->s)) {
            for (int i = 0; i < nfds; i++)
                close(fds[i]);
            continue;
        }
        tide_hub_attach(&m->hub, msg.id, msg.pid, fds);
    }
}

static void on_signal(tide_reactor_t *r, void *udata, int signo)
{
    TIDE_UNUSED(r);
    tide_master_t *m = udata;
    switch (signo) {
    case SIGTERM:
    case SIGINT:
        tide__master_shutdown(m->s);
        break;
    case SIGUSR1:
    case SIGUSR2:
        if (m->manager_pid > 0 && !m->manager_gone)
            kill(m->manager_pid, signo);
        break;
    case SIGCHLD:
        reap_manager(m); /* only ours: a child PHP code started keeps its status */
        break;
    }
}

void tide__master_shutdown(tide_server_t *s)
{
    tide_master_t *m = s->master;
    if (!m || s->stopping)
        return;
    s->stopping = true;
    if (m->e)
        tide_engine_stop_ports(m->e);
    if (m->manager_pid > 0 && !m->manager_gone)
        kill(m->manager_pid, SIGTERM);
}

/* ---- the master's life ---- */

int tide__master_run(tide_server_t *s, pid_t manager_pid, int ctl_fd)
{
    tide_master_t *m = tide_calloc(1, sizeof(*m));
    s->master = m;
    m->s = s;
    m->manager_pid = manager_pid;
    m->ctl_fd = ctl_fd;
    const tide_server_config_t *cfg = &s->cfg;
    tide_dispatch_init(&m->d, cfg->dispatch_mode, (unsigned)cfg->worker_num,
                       cfg->worker_max_inflight, cfg->worker_max_inflight_bytes);
    if (tide_dispatch_per_message(&m->d)) {
        m->at = tide_calloc((size_t)cfg->worker_num, sizeof(tide_idmap_t));
        for (int i = 0; i < cfg->worker_num; i++)
            tide_idmap_init(&m->at[i]);
    }
    tide_hub_ops_t ops = {hub_msg, hub_crashed, hub_up};
    tide_hub_init(&m->hub, s, s->r, TIDE_SERVER_PROCS(s), TIDE_MSG_TO_HUB | TIDE_MSG_TO_OWNER, &ops,
                  m);
    tide_engine_opts_t eo = {
        .max_connection = cfg->max_connection,
        .heartbeat_check_ms = cfg->heartbeat_check_ms,
        .heartbeat_idle_ms = cfg->heartbeat_idle_ms,
        .conn_max_inflight = cfg->connection_max_inflight,
    };
    tide_engine_handlers_t h = {.connect = on_connect,
                                .receive = on_receive,
                                .receive_spooled = on_receive_spooled,
                                .close = on_close,
                                .packet = on_packet};
    m->e = tide_engine_create(s->r, &s->tab, 0, &eo, &h, m);
    for (int i = 0; i < s->nports; i++) {
        int rc = tide_engine_add_port(m->e, s->ports[i]);
        if (rc < 0)
            tide_log(TIDE_LOG_ERROR, "port %d: %s", s->ports[i]->port, tide_strerror(rc));
    }
    int err = 0;
    m->ctl_watch = tide_reactor_poll(s->r, ctl_fd, on_ctl, m, &err);
    static const int sigs[] = {SIGTERM, SIGINT, SIGUSR1, SIGUSR2, SIGCHLD};
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        m->sigs[i] = tide_reactor_signal(s->r, sigs[i], on_signal, m, &err);
        if (m->sigs[i])
            tide_reactor_unref(s->r, m->sigs[i]);
    }
    if (s->h.start)
        s->h.start(s);

    while (!m->manager_gone) {
        int rc = tide_reactor_run(s->r, TIDE_RUN_ONCE);
        if (rc < 0 && rc != -EINTR) {
            tide_log(TIDE_LOG_ERROR, "master loop: %s", tide_strerror(rc));
            break;
        }
    }
    /* Every worker has left: close what is left, give the closes a moment to flush. */
    tide_engine_close_all(m->e);
    uint64_t deadline = tide_time_ns() + 1000000000ull;
    while (tide_engine_connections(m->e) && tide_time_ns() < deadline)
        if (tide_reactor_run(s->r, TIDE_RUN_ONCE) < 0)
            break;
    /* The manager has closed its end: it exits now, if it has not already. */
    while (!m->manager_reaped && m->manager_pid > 0) {
        int status;
        pid_t r = waitpid(m->manager_pid, &status, 0);
        if (r == m->manager_pid) {
            m->manager_reaped = true;
            m->manager_status = status;
        } else if (r < 0 && errno != EINTR) {
            break;
        }
    }
    int rc = 0;
    if (m->manager_reaped && (!WIFEXITED(m->manager_status) || WEXITSTATUS(m->manager_status))) {
        if (WIFSIGNALED(m->manager_status))
            snprintf(s->error, sizeof(s->error), "the manager process was killed by signal %d",
                     WTERMSIG(m->manager_status));
        else
            snprintf(s->error, sizeof(s->error), "the manager process exited with status %d",
                     WEXITSTATUS(m->manager_status));
        rc = -ECHILD;
    } else if (m->manager_lost) {
        snprintf(s->error, sizeof(s->error), "the manager process ended unasked");
        rc = -ECHILD;
    }
    tide__master_free(s);
    return rc;
}

void tide__master_free(tide_server_t *s)
{
    tide_master_t *m = s->master;
    if (!m)
        return;
    for (size_t i = 0; i < sizeof(m->sigs) / sizeof(m->sigs[0]); i++)
        if (m->sigs[i])
            tide_reactor_cancel(s->r, m->sigs[i]);
    if (m->ctl_watch)
        tide_reactor_cancel(s->r, m->ctl_watch);
    if (m->ctl_fd >= 0)
        close(m->ctl_fd);
    tide_hub_destroy(&m->hub);
    tide_engine_destroy(m->e);
    if (m->at) {
        for (int i = 0; i < s->cfg.worker_num; i++)
            tide_idmap_destroy(&m->at[i]);
        tide_free(m->at);
    }
    tide_dispatch_destroy(&m->d);
    tide_reactor_run(s->r, TIDE_RUN_NOWAIT); /* what the engine and links left in flight */
    tide_free(m);
    s->master = NULL;
}

tide_engine_t *tide__master_engine(tide_server_t *s)
{
    return s->master ? s->master->e : NULL;
}

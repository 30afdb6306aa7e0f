/* SPDX-License-Identifier: MIT */
/*
 * A server's life (tide/server.h): checks and set-up in the caller, the fork of the manager
 * (MODE_PROCESS) and of the workers, the manager's main, and the calls that work in any
 * process of a running server (send, close, sendfile... routed to the connection's owner).
 *
 * Nothing that can fail for a reason the caller should hear about happens after the first
 * fork: the reactor, the connection table, the user and group are all checked first, so a
 * failed start() throws in the process that called it and nowhere else.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "server_int.h"
#include "tide/common.h"
#include "tide/log.h"
#include "tide/process.h"

#define DEFAULT_OUTPUT_SIZE (2u * 1024 * 1024)

void tide_server_init(tide_server_t *s, const tide_server_hooks_t *h, void *udata)
{
    memset(s, 0, sizeof(*s));
    s->h = *h;
    s->udata = udata;
    s->worker_id = -1;
    s->cfg.mode = TIDE_MODE_PROCESS;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    s->cfg.worker_num = n > 0 ? (int)n : 1;
    s->cfg.dispatch_mode = 2;
    s->cfg.max_wait_ms = 3000;
    s->cfg.max_connection = 65536;
    s->cfg.connection_max_inflight = 64;
    s->cfg.worker_max_inflight = 1024;
    s->cfg.worker_max_inflight_bytes = 64u << 20;
    s->cfg.log_fd = -1;
}

void tide_server_destroy(tide_server_t *s)
{
    if (s->tab.mem)
        tide_conntab_destroy(&s->tab);
    if (s->task_pairs)
        munmap(s->task_pairs, s->task_pairs_len);
    s->task_pairs = NULL;
}

tide_port_t *tide_server_port_of(const tide_server_t *s, const tide_conninfo_t *c)
{
    return c->port >= 0 && c->port < s->nports ? s->ports[c->port] : NULL;
}

static bool any_host(const char *h)
{
    return strcmp(h, "0.0.0.0") == 0 || strcmp(h, "::") == 0;
}

const char *tide_role_name(tide_role_t role, const char *none)
{
    switch (role) {
    case TIDE_ROLE_MASTER:
        return "master";
    case TIDE_ROLE_MANAGER:
        return "manager";
    case TIDE_ROLE_WORKER:
        return "worker";
    case TIDE_ROLE_PROCESS:
        return "process";
    default:
        return none;
    }
}

int tide_server_listen(tide_server_t *s, tide_port_t *p, char *why, size_t why_len)
{
    if (s->nports == TIDE_SERVER_MAX_PORTS) {
        snprintf(why, why_len, "a server has at most %d ports", TIDE_SERVER_MAX_PORTS);
        return -EMFILE;
    }
    /* SO_REUSEPORT (MODE_BASE) would let a second port of this server bind the same
     * address without an error: the server's own ports are checked here. */
    if (!tide_sock_is_unix(p->type) && p->port != 0) {
        for (int i = 0; i < s->nports; i++) {
            tide_port_t *q = s->ports[i];
            if (q->type == p->type && q->port == p->port &&
                (strcmp(q->host, p->host) == 0 || any_host(q->host) || any_host(p->host))) {
                snprintf(why, why_len,
                         "cannot listen on %s:%d: Address already in use (port %d of this server)",
                         p->host, p->port, i);
                return -EADDRINUSE;
            }
        }
    }
    /* MODE_BASE: each worker listens on its own SO_REUSEPORT socket; this one only holds
     * the address (and finds the port when 0 is asked for). It is bound without
     * SO_REUSEPORT (SO_REUSEADDR and not listening is enough for the workers' sockets to
     * bind next to it), so that an address someone else listens on is refused here. */
    bool base_tcp = s->cfg.mode == TIDE_MODE_BASE && tide_sock_is_tcp(p->type);
    int fd = tide_sock_listen(p->type, p->host, tide_sock_is_unix(p->type) ? 0 : p->port,
                              p->backlog, false, !base_tcp, why, why_len);
    if (fd < 0)
        return fd;
    p->fd = fd;
    p->port = tide_sock_is_unix(p->type) ? 0 : tide_sock_port(fd);
    p->index = s->nports;
    s->ports[s->nports++] = p;
    return 0;
}

/* ---- the owner of connections ---- */

void tide__owner_request(tide_server_t *s, tide_engine_t *e, tide_link_t *from, int type,
                         uint64_t session, uint32_t field, const char *payload, size_t len)
{
    static tide_ratelimit_t rl_full;
    switch (type) {
    case TIDE_MSG_SEND: {
        int rc = tide_engine_send(e, session, payload, len);
        if (rc == TIDE_EFULL)
            tide_log_limited(&rl_full, TIDE_LOG_WARNING,
                             "connection #%llu: output buffer full (buffer_output_size); %zu "
                             "bytes dropped",
                             (unsigned long long)session, len);
        /* Counted after out_bytes: a sender reads taken_bytes first (see send()). */
        tide_conninfo_t *c = tide_conntab_find(&s->tab, session);
        if (c)
            __atomic_store_n(&c->taken_bytes, c->taken_bytes + len, __ATOMIC_RELEASE);
        break;
    }
    case TIDE_MSG_CLOSE_REQ:
        tide_engine_close(e, session, field != 0);
        break;
    case TIDE_MSG_PAUSE:
        tide_engine_pause(e, session);
        break;
    case TIDE_MSG_RESUME:
        tide_engine_resume(e, session);
        break;
    case TIDE_MSG_CONTROL:
        tide_engine_control(e, session, (int)field, payload, len);
        break;
    case TIDE_MSG_SENDFILE: {
        tide_msg_sendfile_t req;
        if (tide_msg_sendfile_decode(payload, len, &req) < 0)
            break;
        /* The worker opened the file with its own rights and passed the descriptor. */
        int fd = from ? tide_link_take_fd(from, req.ticket) : -ENOENT;
        if (fd < 0) {
            tide_log(TIDE_LOG_WARNING, "sendfile to #%llu: the file's descriptor did not come "
                     "(%s)", (unsigned long long)session, tide_strerror(fd));
            break;
        }
        int rc = tide_engine_sendfile(e, session, fd, req.offset, req.length);
        if (rc == TIDE_EFULL)
            tide_log(TIDE_LOG_WARNING, "sendfile to #%llu: too many files queued for the "
                     "connection: this one is not sent",
                     (unsigned long long)session);
        else if (rc < 0)
            tide_log(TIDE_LOG_DEBUG, "sendfile to #%llu: the connection is gone",
                     (unsigned long long)session);
        break;
    }
    }
}

void tide__proceed(tide_engine_t *e, tide_server_t *s, uint64_t *ready, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (tide__is_port_wait(ready[i])) {
            uint64_t idx = UINT64_MAX - ready[i];
            if (idx < (uint64_t)s->nports)
                tide_engine_port_proceed(e, s->ports[idx]);
        } else {
            tide_engine_proceed(e, ready[i]);
        }
    }
    tide_free(ready);
}

/* ---- the manager ---- */

typedef struct ctl_msg {
    int32_t id;
    int32_t pid;
} ctl_msg_t;

typedef struct mgr_ctx {
    tide_server_t *s;
    int ctl_fd;
} mgr_ctx_t;

static void mgr_forked(void *udata, int id, pid_t pid, const int fds[TIDE_WORKER_FDS])
{
    mgr_ctx_t *mc = udata;
    tide_server_t *s = mc->s;
    if (s->cfg.mode == TIDE_MODE_PROCESS) {
        ctl_msg_t m = {id, (int32_t)pid};
        int rc = tide_send_fds(mc->ctl_fd, fds, TIDE_WORKER_FDS, &m, sizeof(m));
        if (rc < 0)
            tide_log(TIDE_LOG_ERROR, "cannot hand worker #%d to the master: %s", id,
                     tide_strerror(rc));
        for (int i = 0; i < TIDE_WORKER_FDS; i++)
            close(fds[i]);
        return;
    }
    /* MODE_BASE: the manager is the hub that relays between workers. */
    tide_hub_attach(s->hub, id, pid, fds);
}

static void mgr_exited(void *udata, int id, pid_t pid, int status, bool expected)
{
    mgr_ctx_t *mc = udata;
    TIDE_UNUSED(expected);
    bool failed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    if (failed && mc->s->h.worker_error)
        mc->s->h.worker_error(mc->s, id, pid, WIFEXITED(status) ? WEXITSTATUS(status) : 0,
                              WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

static void mgr_reload_begin(void *udata)
{
    mgr_ctx_t *mc = udata;
    if (mc->s->h.reload)
        mc->s->h.reload(mc->s, false);
}

static void mgr_reload_end(void *udata)
{
    mgr_ctx_t *mc = udata;
    if (mc->s->h.reload)
        mc->s->h.reload(mc->s, true);
}

/* MODE_BASE hub: what a worker asks of another's connection, passed on. */
static void relay(tide_hub_t *h, hub_link_t *from, int type, uint64_t session, uint32_t field,
                  const char *payload, size_t len)
{
    tide_msg_relay_t head;
    const char *inner;
    size_t inner_len;
    if (type != TIDE_MSG_RELAY || field >= (uint32_t)h->n ||
        tide_msg_relay_decode(payload, len, &head, &inner, &inner_len) < 0)
        return;
    int owner = (int)field;
    if (head.type == TIDE_MSG_SENDFILE) {
        /* The descriptor goes along, on the owner's channel, ahead of the request. */
        tide_msg_sendfile_t req;
        if (tide_msg_sendfile_decode(inner, inner_len, &req) < 0)
            return;
        int fd = tide_link_take_fd(&from->l, req.ticket);
        tide_link_t *to = tide_hub_link(h, owner);
        if (fd < 0 || !to || tide_link_send_fd(to, req.ticket, fd) < 0) {
            tide_log(TIDE_LOG_WARNING, "sendfile to #%llu: cannot pass the file to worker #%d",
                     (unsigned long long)session, owner);
            if (fd >= 0)
                close(fd);
            return;
        }
        close(fd);
    }
    tide_hub_send(h, owner, (int)head.type, session, head.field, inner, inner_len, NULL, 0);
}

/* A child the manager started for an added process: no ports, no loop of the server's. */
static int user_process_main(tide_server_t *s, int index, int *exit_status)
{
    s->role = TIDE_ROLE_PROCESS;
    for (int i = 0; i < s->nports; i++) {
        tide_port_t *p = s->ports[i];
        if (p->fd >= 0) {
            close(p->fd);
            p->fd = -1;
        }
    }
    if (s->h.process_start)
        s->h.process_start(s);
    /* A reactor of its own now: dropping the manager's copy puts back the mask the manager
     * had when it watched its signals (blocked, in MODE_PROCESS: forked that way), and the
     * process must start with them unblocked, at their default actions. */
    s->r = s->h.reactor(s);
    tide_signals_unblock();
    if (!s->r) {
        tide_log(TIDE_LOG_ERROR, "process #%d: %s", index, s->error);
        *exit_status = 1;
        return TIDE_SERVER_LEAVE;
    }
    if (s->h.user_process)
        s->h.user_process(s, index);
    *exit_status = 0;
    return TIDE_SERVER_LEAVE;
}

int tide__manager_main(tide_server_t *s, int ctl_fd, int *exit_status)
{
    *exit_status = 1;
    mgr_ctx_t mc = {s, ctl_fd};
    tide_hub_t hub;
    bool base = s->cfg.mode == TIDE_MODE_BASE;
    if (!base) {
        s->role = TIDE_ROLE_MANAGER;
        s->r = s->h.reactor(s);
        if (!s->r) {
            tide_log(TIDE_LOG_ERROR, "manager: %s", s->error);
            return TIDE_SERVER_LEAVE;
        }
        /* The master accepts; the manager and its workers keep only the datagram sockets
         * (workers answer datagrams with sendto() on them). */
        for (int i = 0; i < s->nports; i++) {
            tide_port_t *p = s->ports[i];
            if (!tide_sock_is_dgram(p->type) && p->fd >= 0) {
                close(p->fd);
                p->fd = -1;
            }
        }
        if (s->h.process_start)
            s->h.process_start(s);
    } else {
        tide_hub_ops_t ops = {relay, NULL, NULL};
        tide_hub_init(&hub, s, s->r, TIDE_SERVER_PROCS(s), TIDE_MSG_TO_HUB, &ops, &mc);
        s->hub = &hub;
    }
    tide_manager_opts_t mo = {
        .worker_num = TIDE_SERVER_PROCS(s),
        .task_worker_num = s->cfg.task_worker_num,
        .max_wait_ms = s->cfg.max_wait_ms,
        .extra_num = s->cfg.process_num,
    };
    tide_manager_hooks_t mh = {mgr_forked, mgr_exited, mgr_reload_begin, mgr_reload_end};
    s->manager = tide_manager_create(s->r, &mo, &mh, &mc, s->tab.pids);
    /* Signals first: shutdown() or reload() from the callbacks below must work. */
    tide_manager_watch_signals(s->manager);
    if (base && s->h.start)
        s->h.start(s);
    if (s->h.manager_start)
        s->h.manager_start(s);
    int fds[TIDE_WORKER_FDS] = {-1, -1, -1};
    int id = tide_manager_run(s->manager, fds);
    if (id >= TIDE_SERVER_PROCS(s)) {
        /* An added process: what the manager had is not ours either. */
        tide_manager_destroy(s->manager);
        s->manager = NULL;
        if (base) {
            tide_hub_forget(&hub);
            s->hub = NULL;
        }
        if (ctl_fd >= 0)
            close(ctl_fd);
        return user_process_main(s, id - TIDE_SERVER_PROCS(s), exit_status);
    }
    if (id >= 0) {
        /* A worker: what the manager had is not ours. */
        tide_manager_destroy(s->manager);
        s->manager = NULL;
        if (base) {
            tide_hub_forget(&hub);
            s->hub = NULL;
        }
        if (ctl_fd >= 0)
            close(ctl_fd);
        return tide__worker_main(s, id, fds, exit_status);
    }
    if (s->h.manager_stop)
        s->h.manager_stop(s);
    tide_manager_destroy(s->manager);
    s->manager = NULL;
    if (base) {
        tide_hub_destroy(&hub);
        s->hub = NULL;
        tide_reactor_run(s->r, TIDE_RUN_NOWAIT);
    }
    if (ctl_fd >= 0)
        close(ctl_fd);
    *exit_status = 0;
    return base ? 0 : TIDE_SERVER_LEAVE;
}

/* ---- start ---- */

static void fail(tide_server_t *s, const char *fmt, const char *arg)
{
    snprintf(s->error, sizeof(s->error), fmt, arg);
}

int tide_server_start(tide_server_t *s, int *exit_status)
{
    tide_server_config_t *cfg = &s->cfg;
    *exit_status = 0;
    if (s->started) {
        fail(s, "%s", "the server was already started");
        return TIDE_ESTATE;
    }
    char why[256];
    if ((cfg->user || cfg->group) && tide_user_check(cfg->user, cfg->group, why, sizeof(why)) < 0) {
        fail(s, "%s", why);
        return -ENOENT;
    }
    /* The caller's reactor is made (and a forced backend checked) before anything forks. */
    s->r = s->h.reactor(s);
    if (!s->r)
        return TIDE_ENOURING;
    int rc = tide_conntab_create(&s->tab, cfg->mode == TIDE_MODE_BASE ? (unsigned)cfg->worker_num : 1,
                                 cfg->max_connection, (unsigned)TIDE_SERVER_PROCS(s));
    if (rc < 0) {
        fail(s, "cannot map the connection table: %s", strerror(-rc));
        return rc;
    }
    if (cfg->task_worker_num) {
        s->task_pairs_len = (size_t)cfg->worker_num * (size_t)cfg->task_worker_num *
                            sizeof(tide_task_pair_t);
        void *mem = mmap(NULL, s->task_pairs_len, PROT_READ | PROT_WRITE,
                         MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (mem == MAP_FAILED) {
            rc = -errno;
            fail(s, "cannot map the task counters: %s", strerror(-rc));
            return rc;
        }
        s->task_pairs = mem;
    }
    s->started = true;
    if (cfg->daemonize) {
        rc = tide_daemonize(cfg->log_fd);
        if (rc < 0) {
            fail(s, "daemonize: %s", strerror(-rc));
            return rc;
        }
        if (rc == 1)
            return TIDE_SERVER_LEAVE; /* the daemon runs on without this process */
        /* The daemon is a new process: its reactor too. */
        s->r = s->h.reactor(s);
        if (!s->r)
            return TIDE_SERVER_LEAVE;
    }
    pid_t caller = getpid();
    s->tab.pids->master = caller;
    if (cfg->pid_file && (rc = tide_pid_file_write(cfg->pid_file, caller)) < 0)
        tide_log(TIDE_LOG_WARNING, "pid_file %s: %s", cfg->pid_file, strerror(-rc));

    if (cfg->mode == TIDE_MODE_BASE) {
        s->role = TIDE_ROLE_MANAGER;
        s->tab.pids->manager = caller;
        if (s->h.process_start)
            s->h.process_start(s);
        rc = tide__manager_main(s, -1, exit_status);
    } else {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
            rc = -errno;
            fail(s, "socketpair: %s", strerror(-rc));
            return rc;
        }
        fflush(stdout);
        fflush(stderr);
        /* Signals to either process wait for its watches (a start callback of one may
         * signal the other at once); the caller's mask comes back when the server ends. */
        sigset_t old;
        tide_signals_block(&old);
        pid_t pid = fork();
        if (pid < 0)
            sigprocmask(SIG_SETMASK, &old, NULL);
        if (pid < 0) {
            rc = -errno;
            close(sv[0]);
            close(sv[1]);
            fail(s, "fork: %s", strerror(-rc));
            return rc;
        }
        if (pid == 0) {
            close(sv[0]);
            s->tab.pids->manager = getpid();
            if (!tide_die_with_parent(caller)) {
                *exit_status = 1;
                return TIDE_SERVER_LEAVE;
            }
            return tide__manager_main(s, sv[1], exit_status);
        }
        close(sv[1]);
        fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
        s->tab.pids->manager = pid;
        s->role = TIDE_ROLE_MASTER;
        if (s->h.process_start)
            s->h.process_start(s);
        rc = tide__master_run(s, pid, sv[0]);
        sigprocmask(SIG_SETMASK, &old, NULL);
    }
    if (getpid() != caller)
        return rc; /* a forked process (TIDE_SERVER_LEAVE) */
    s->role = TIDE_ROLE_NONE;
    if (cfg->pid_file)
        unlink(cfg->pid_file);
    return rc;
}

/* ---- calls from any process of a running server ---- */

static bool running(const tide_server_t *s)
{
    return s->started && s->tab.mem && s->role != TIDE_ROLE_NONE;
}

/* Whether a request about session goes over this process's link (to the master, or to the
 * hub that relays it to the owner), rather than straight into an engine here. */
static bool over_link(const tide_server_t *s, uint64_t session)
{
    if (s->role != TIDE_ROLE_WORKER)
        return false;
    return s->cfg.mode == TIDE_MODE_PROCESS ||
           (int)tide_conntab_part(&s->tab, session) != s->worker_id;
}

/* The engine of this process that owns session, or NULL. */
static tide_engine_t *local_engine(tide_server_t *s, uint64_t session)
{
    if (s->role == TIDE_ROLE_MASTER && s->master)
        return tide__master_engine(s);
    if (s->role == TIDE_ROLE_WORKER && s->cfg.mode == TIDE_MODE_BASE &&
        (int)tide_conntab_part(&s->tab, session) == s->worker_id)
        return tide__worker_engine(s);
    return NULL;
}

/* Sends an owner request over this worker's link (MODE_BASE: as a relay to the owner). */
static int link_request(tide_server_t *s, int type, uint64_t session, uint32_t field,
                        const void *a, size_t alen, const void *b, size_t blen)
{
    tide_link_t *l = tide__worker_link(s);
    if (!l)
        return TIDE_ECLOSED;
    if (s->cfg.mode == TIDE_MODE_PROCESS)
        return tide_link_send2(l, type, session, field, a, alen, b, blen);
    tide_msg_relay_t head = {(uint32_t)type, field};
    size_t n = sizeof(head) + alen + blen;
    char *buf = tide_malloc(n);
    memcpy(buf, &head, sizeof(head));
    if (alen)
        memcpy(buf + sizeof(head), a, alen);
    if (blen)
        memcpy(buf + sizeof(head) + alen, b, blen);
    int rc = tide_link_send(l, TIDE_MSG_RELAY, session, tide_conntab_part(&s->tab, session), buf,
                            n);
    tide_free(buf);
    return rc;
}

void tide_server_done(tide_server_t *s, uint64_t session, size_t len)
{
    if (s->role == TIDE_ROLE_WORKER)
        tide__worker_done(s, session, len);
}

int tide_server_send(tide_server_t *s, uint64_t session, const void *data, size_t len,
                     uint64_t *queued)
{
    if (!running(s))
        return TIDE_ESTATE;
    tide_conninfo_t *c = tide_conntab_find(&s->tab, session);
    if (!c || (tide_conninfo_flags(c) & TIDE_CONN_CLOSING)) {
        tide__worker_inflight_forget(s, session);
        return TIDE_ECLOSED;
    }
    tide_port_t *port = tide_server_port_of(s, c);
    size_t limit = port && port->buffer_output_size ? port->buffer_output_size : DEFAULT_OUTPUT_SIZE;
    /* What the owner has queued, and what this worker sent that has not reached it yet
     * (in this worker's link or the socket): the owner would drop what does not fit. In
     * flight first: the owner adds to out_bytes before it counts the bytes taken. */
    bool linked = over_link(s, session);
    uint64_t inflight = linked ? tide__worker_inflight(s, c, session) : 0;
    uint64_t q = tide_conninfo_load(&c->out_bytes) + inflight;
    if (q + len > limit) {
        if (queued)
            *queued = q;
        return TIDE_EFULL;
    }
    if (len == 0)
        return 0;
    if (!linked) {
        tide_engine_t *e = local_engine(s, session);
        return e ? tide_engine_send(e, session, data, len) : TIDE_ESTATE;
    }
    /* Counted before it goes: a long message may be written at once, and the owner may
     * have taken it before link_request() returns. (session, not c->session: the owner
     * may have closed it, and zeroed its slot, since.) */
    tide__worker_inflight_add(s, c, session, len);
    int rc = link_request(s, TIDE_MSG_SEND, session, 0, data, len, NULL, 0);
    if (rc < 0)
        tide__worker_inflight_forget(s, session); /* the link is broken: nothing will come */
    return rc;
}

int tide_server_sendfile(tide_server_t *s, uint64_t session, int fd, uint64_t offset,
                         uint64_t length)
{
    if (!running(s)) {
        close(fd);
        return TIDE_ESTATE;
    }
    if (!over_link(s, session)) {
        tide_engine_t *e = local_engine(s, session);
        if (!e) {
            close(fd);
            return TIDE_ESTATE;
        }
        return tide_engine_sendfile(e, session, fd, offset, length);
    }
    tide_link_t *l = tide__worker_link(s);
    static uint64_t tickets;
    tide_msg_sendfile_t req = {offset, length, ++tickets};
    int rc = l ? tide_link_send_fd(l, req.ticket, fd) : TIDE_ECLOSED;
    close(fd);
    if (rc < 0)
        return rc;
    return link_request(s, TIDE_MSG_SENDFILE, session, 0, &req, sizeof(req), NULL, 0);
}

/* close, pause, resume: the flag changes here at once, the owner does the rest. */
static int conn_request(tide_server_t *s, int type, uint64_t session, uint32_t field)
{
    if (!running(s))
        return TIDE_ESTATE;
    tide_conninfo_t *c = tide_conntab_find(&s->tab, session);
    if (!c || (tide_conninfo_flags(c) & TIDE_CONN_CLOSING))
        return TIDE_ECLOSED;
    if (type == TIDE_MSG_CLOSE_REQ && !tide_conninfo_claim(c, TIDE_CONN_CLOSING))
        return TIDE_ECLOSED;
    if (type == TIDE_MSG_PAUSE && !tide_conninfo_claim(c, TIDE_CONN_PAUSED))
        return 1; /* paused already */
    if (type == TIDE_MSG_RESUME && !(tide_conninfo_flags(c) & TIDE_CONN_PAUSED))
        return 1; /* not paused */
    if (over_link(s, session))
        return link_request(s, type, session, field, NULL, 0, NULL, 0);
    tide_engine_t *e = local_engine(s, session);
    if (!e)
        return TIDE_ESTATE;
    switch (type) {
    case TIDE_MSG_CLOSE_REQ:
        /* The flag was claimed above: the engine sees it set already. */
        tide_conninfo_clear(c, TIDE_CONN_CLOSING);
        return tide_engine_close(e, session, field != 0);
    case TIDE_MSG_PAUSE:
        return tide_engine_pause(e, session);
    default:
        return tide_engine_resume(e, session);
    }
}

int tide_server_close(tide_server_t *s, uint64_t session, bool reset)
{
    return conn_request(s, TIDE_MSG_CLOSE_REQ, session, reset);
}

int tide_server_control(tide_server_t *s, uint64_t session, int op, const void *arg, size_t len)
{
    if (!running(s))
        return TIDE_ESTATE;
    if (len > TIDE_MSG_CONTROL_MAX || op < 0)
        return -EINVAL;
    tide_conninfo_t *c = tide_conntab_find(&s->tab, session);
    if (!c || (tide_conninfo_flags(c) & TIDE_CONN_CLOSING))
        return TIDE_ECLOSED;
    if (over_link(s, session))
        return link_request(s, TIDE_MSG_CONTROL, session, (uint32_t)op, arg, len, NULL, 0);
    tide_engine_t *e = local_engine(s, session);
    return e ? tide_engine_control(e, session, op, arg, len) : TIDE_ESTATE;
}

int tide_server_pause(tide_server_t *s, uint64_t session)
{
    return conn_request(s, TIDE_MSG_PAUSE, session, 0);
}

int tide_server_resume(tide_server_t *s, uint64_t session)
{
    return conn_request(s, TIDE_MSG_RESUME, session, 0);
}

int tide_server_send_message(tide_server_t *s, int dst, const void *data, size_t len)
{
    if (s->role != TIDE_ROLE_WORKER)
        return TIDE_ESTATE;
    tide_link_t *l = tide__worker_link(s);
    if (!l)
        return TIDE_ECLOSED;
    return tide_link_send(l, TIDE_MSG_PIPE_REQ, (uint64_t)s->worker_id, (uint32_t)dst, data, len);
}

static int signal_pid(pid_t pid, int signo)
{
    if (pid <= 0)
        return TIDE_ESTATE;
    return kill(pid, signo) < 0 ? -errno : 0;
}

int tide_server_shutdown(tide_server_t *s)
{
    switch (s->role) {
    case TIDE_ROLE_WORKER: {
        /* Over its link: a worker that dropped to another user may not signal the master. */
        tide_link_t *l = tide__worker_link(s);
        if (l)
            return tide_link_send(l, TIDE_MSG_SHUTDOWN, 0, 0, NULL, 0);
        return signal_pid(s->tab.pids->master, SIGTERM);
    }
    case TIDE_ROLE_MASTER:
        tide__master_shutdown(s);
        return 0;
    case TIDE_ROLE_MANAGER:
        if (s->cfg.mode == TIDE_MODE_BASE && s->manager) {
            tide_manager_shutdown(s->manager);
            return 0;
        }
        return signal_pid(s->tab.pids->master, SIGTERM);
    case TIDE_ROLE_PROCESS:
        /* The master (in MODE_BASE, the manager: the same process) stops everything. */
        return signal_pid(s->tab.pids->master, SIGTERM);
    default:
        return TIDE_ESTATE;
    }
}

int tide_server_reload(tide_server_t *s, bool tasks_only)
{
    switch (s->role) {
    case TIDE_ROLE_WORKER: {
        tide_link_t *l = tide__worker_link(s);
        if (l)
            return tide_link_send(l, TIDE_MSG_RELOAD, 0, tasks_only, NULL, 0);
        return signal_pid(s->tab.pids->manager, tasks_only ? SIGUSR2 : SIGUSR1);
    }
    case TIDE_ROLE_MANAGER:
        if (s->manager) {
            if (tasks_only)
                tide_manager_reload_tasks(s->manager);
            else
                tide_manager_reload(s->manager);
            return 0;
        }
        return TIDE_ESTATE;
    case TIDE_ROLE_MASTER:
    case TIDE_ROLE_PROCESS:
        return signal_pid(s->tab.pids->manager, tasks_only ? SIGUSR2 : SIGUSR1);
    default:
        return TIDE_ESTATE;
    }
}

int tide_server_task(tide_server_t *s, uint64_t id, uint32_t dst, const tide_msg_task_t *head,
                     const char *data, size_t len)
{
    tide_link_t *l = s->role == TIDE_ROLE_WORKER ? tide__worker_link(s) : NULL;
    if (!l || !id || id >= TIDE__TASK_ID_MAX)
        return TIDE_ESTATE;
    /* Straight to the task worker when it may, or the hub's way (direct.c). */
    tide_directs_t *d = tide__worker_directs(s);
    int rc = tide__directs_task(d, id, dst, head, data, len);
    if (rc == 0) {
        rc = tide_link_send2(l, TIDE_MSG_TASK_REQ, id, dst, head, sizeof(*head), data, len);
        if (rc == 0)
            d->hub_out++;
    }
    if (rc < 0)
        return rc;
    tide__worker_task_sent(s);
    return 0;
}

int tide_server_task_end(tide_server_t *s, int src, uint64_t id, const tide_msg_task_t *head,
                         const char *data, size_t len)
{
    /* A direct task's answer goes back over its link, whatever became of the hub's. */
    if (s->role == TIDE_ROLE_WORKER && s->worker && (head->gen & TIDE__TASK_DIRECT))
        return tide__directs_task_end(tide__worker_directs(s), src, id, head, data, len);
    tide_link_t *l = s->role == TIDE_ROLE_WORKER ? tide__worker_link(s) : NULL;
    if (!l)
        return TIDE_ESTATE;
    return tide_link_send2(l, TIDE_MSG_TASK_END, id, (uint32_t)src, head, sizeof(*head), data,
                           len);
}

size_t tide_server_link_queued(tide_server_t *s)
{
    tide_link_t *l = s->role == TIDE_ROLE_WORKER ? tide__worker_link(s) : NULL;
    return l ? tide_link_queued(l) : 0;
}

int tide_server_stop_worker(tide_server_t *s, int id)
{
    if (!running(s))
        return TIDE_ESTATE;
    if (s->role == TIDE_ROLE_WORKER && (id < 0 || id == s->worker_id)) {
        tide__worker_begin_stop(s);
        return 0;
    }
    if (id < 0 || id >= TIDE_SERVER_PROCS(s))
        return TIDE_ESTATE;
    return signal_pid(s->tab.pids->worker[id].pid, SIGTERM);
}

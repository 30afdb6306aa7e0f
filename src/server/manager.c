/* SPDX-License-Identifier: MIT */
/*
 * The manager process: it forks the workers and keeps worker_num of them alive (workers,
 * then task workers: the same processes to it, told apart by their id).
 *
 * A worker that dies is replaced at once (after a second if it died within a second of
 * starting, so a worker that cannot start does not make a fork loop). SIGUSR1 reloads the
 * workers one at a time: SIGTERM to one, wait for it to exit (it finishes what it serves),
 * fork its replacement, go on to the next, so the others keep serving all along. SIGTERM or
 * SIGINT stops them all. A worker that does not stop within max_wait is killed.
 *
 * Forking happens inside reactor callbacks: the child returns from the callback, the loop
 * it inherited returns TIDE_EFORKED, and tide_manager_run() returns the worker's id.
 *
 * Extra children (a server's added processes, Server::addProcess()) come after the workers
 * in the same table: kept alive, backed off and stopped the same way, but never reloaded,
 * never handed to the hooks, and without links (they start with the default signal
 * dispositions, unblocked: SIGTERM ends one unless its own code catches it).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tide/common.h"
#include "tide/log.h"
#include "tide/manager.h"
#include "tide/process.h"

typedef struct mworker {
    pid_t pid;
    uint64_t started;   /* ns */
    bool stopping;      /* SIGTERM sent */
    uint64_t kill_timer;
    uint64_t respawn_timer;
} mworker_t;

struct tide_manager {
    tide_reactor_t *r;
    tide_manager_opts_t o;
    tide_manager_hooks_t h;
    void *udata;
    tide_server_pids_t *pids;
    mworker_t *w;
    tide_op_t *sig[5];
    bool shutting_down;
    bool watching;
    int reloading; /* the next worker to reload, -1 when no reload runs */
    int reload_from; /* where the reload under way began (0, or the first task worker) */
    bool reload_again;
    int again_from;  /* the widest reload asked for while one ran */
    /* In a forked child: */
    int child_id;
    int child_fds[TIDE_WORKER_FDS];
};

static void spawn(tide_manager_t *m, int id);
static void reload_from(tide_manager_t *m, int from);

/* "worker" or "task worker", for the log. */
static const char *kind(const tide_manager_t *m, int id)
{
    if (id >= m->o.worker_num)
        return "process";
    return id >= m->o.worker_num - m->o.task_worker_num ? "task worker" : "worker";
}

/* The number the log gives id: a worker's id, an extra child's index among them. */
static int num(const tide_manager_t *m, int id)
{
    return id >= m->o.worker_num ? id - m->o.worker_num : id;
}

/* Workers and extra children: the size of m->w. */
static int total(const tide_manager_t *m)
{
    return m->o.worker_num + m->o.extra_num;
}

/* What the manager watches; a new worker starts with them blocked. */
static const int manager_signals[] = {SIGCHLD, SIGTERM, SIGINT, SIGUSR1, SIGUSR2};

static void on_kill_timer(tide_reactor_t *r, void *udata, uint64_t tid)
{
    TIDE_UNUSED(r);
    tide_manager_t *m = udata;
    for (int i = 0; i < total(m); i++) {
        if (m->w[i].kill_timer == tid) {
            m->w[i].kill_timer = 0;
            if (m->w[i].pid > 0) {
                tide_log(TIDE_LOG_WARNING, "%s #%d (pid %d) did not stop within max_wait_time; killing it",
                         kind(m, i), num(m, i), (int)m->w[i].pid);
                kill(m->w[i].pid, SIGKILL);
            }
        }
    }
}

static void stop_worker(tide_manager_t *m, int id)
{
    mworker_t *w = &m->w[id];
    if (w->pid <= 0 || w->stopping)
        return;
    w->stopping = true;
    kill(w->pid, SIGTERM);
    w->kill_timer = tide_timer_add(m->r, m->o.max_wait_ms, 0, on_kill_timer, m);
}

static void reload_next(tide_manager_t *m)
{
    while (m->reloading >= 0 && m->reloading < m->o.worker_num) {
        int id = m->reloading;
        if (m->w[id].pid > 0) {
            stop_worker(m, id);
            return; /* continued when it has exited and been replaced */
        }
        m->reloading++;
    }
    if (m->reloading >= 0) {
        m->reloading = -1;
        tide_log(TIDE_LOG_INFO, "reload done: %d %s replaced", m->o.worker_num - m->reload_from,
                 m->reload_from ? "task worker(s)" : "worker(s)");
        if (m->h.reload_end)
            m->h.reload_end(m->udata);
        if (m->reload_again) {
            m->reload_again = false;
            reload_from(m, m->again_from);
        }
    }
}

static void on_respawn_timer(tide_reactor_t *r, void *udata, uint64_t tid)
{
    TIDE_UNUSED(r);
    tide_manager_t *m = udata;
    for (int i = 0; i < total(m); i++)
        if (m->w[i].respawn_timer == tid) {
            m->w[i].respawn_timer = 0;
            if (!m->shutting_down)
                spawn(m, i);
        }
}

/* One worker that ended. */
static void reaped(tide_manager_t *m, int id, pid_t pid, int status);

static void reap(tide_manager_t *m)
{
    /* Only our workers, by pid: a child that PHP code in this process started (proc_open in
     * managerStart) keeps its exit status for proc_close(). */
    for (int id = 0; id < total(m) && m->child_id < 0; id++) {
        int status;
        pid_t pid = m->w[id].pid;
        if (pid > 0 && tide_reap(pid, &status) == pid)
            reaped(m, id, pid, status);
    }
    if (m->shutting_down && m->child_id < 0) {
        for (int i = 0; i < total(m); i++)
            if (m->w[i].pid > 0)
                return;
        tide_reactor_stop(m->r);
    }
}

static void reaped(tide_manager_t *m, int id, pid_t pid, int status)
{
    {
        mworker_t *w = &m->w[id];
        bool expected = w->stopping;
        if (w->kill_timer)
            tide_timer_cancel(m->r, w->kill_timer);
        w->kill_timer = 0;
        w->pid = 0;
        w->stopping = false;
        bool extra = id >= m->o.worker_num;
        if (m->pids && !extra)
            m->pids->worker[id].pid = 0;
        /* SIGTERM's default action is how an extra child that catches nothing stops. */
        bool stopped = expected && extra && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM;
        if (!stopped && (!expected || !WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
            if (WIFSIGNALED(status))
                tide_log(TIDE_LOG_WARNING, "%s #%d (pid %d) was killed by signal %d%s", kind(m, id), num(m, id),
                         (int)pid, WTERMSIG(status), m->shutting_down ? "" : "; starting a new one");
            else if (WEXITSTATUS(status) != 0)
                tide_log(TIDE_LOG_WARNING, "%s #%d (pid %d) exited with status %d%s", kind(m, id), num(m, id),
                         (int)pid, WEXITSTATUS(status), m->shutting_down ? "" : "; starting a new one");
        }
        if (m->h.exited && !extra)
            m->h.exited(m->udata, id, pid, status, expected);
        if (m->child_id >= 0)
            return; /* the hook forked?! never: but do not go on as the manager */
        if (m->shutting_down)
            return;
        uint64_t alive_ns = tide_time_ns() - w->started;
        /* An extra child's callback that returns at once would fork without end: any
         * early end of one waits too. */
        bool failed = extra || !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        if (failed && alive_ns < 1000000000ull && !expected) {
            tide_log(TIDE_LOG_ERROR, "%s #%d died within a second of starting; retrying in 1 s",
                     kind(m, id), num(m, id));
            w->respawn_timer = tide_timer_add(m->r, 1000, 0, on_respawn_timer, m);
        } else {
            spawn(m, id);
            if (m->child_id >= 0)
                return;
        }
        if (m->reloading == id) {
            m->reloading++;
            reload_next(m);
        }
    }
}

static void on_signal(tide_reactor_t *r, void *udata, int signo)
{
    TIDE_UNUSED(r);
    tide_manager_t *m = udata;
    switch (signo) {
    case SIGCHLD:
        reap(m);
        break;
    case SIGTERM:
    case SIGINT:
        tide_manager_shutdown(m);
        break;
    case SIGUSR1:
        tide_manager_reload(m);
        break;
    case SIGUSR2:
        tide_manager_reload_tasks(m);
        break;
    }
}

/* Blocks the manager's signals (across a fork); old gets the mask to restore. */
static void block_manager_signals(sigset_t *old)
{
    sigset_t block;
    sigemptyset(&block);
    for (size_t i = 0; i < sizeof(manager_signals) / sizeof(manager_signals[0]); i++)
        sigaddset(&block, manager_signals[i]);
    pthread_sigmask(SIG_BLOCK, &block, old);
}

/* Extra child `id`: a plain fork, no links. */
static void spawn_extra(tide_manager_t *m, int id)
{
    pid_t parent = getpid();
    sigset_t old;
    block_manager_signals(&old);
    pid_t pid = fork();
    if (pid < 0) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        tide_log(TIDE_LOG_ERROR, "process #%d: fork: %s", id - m->o.worker_num, strerror(errno));
        m->w[id].respawn_timer = tide_timer_add(m->r, 1000, 0, on_respawn_timer, m);
        return;
    }
    if (pid == 0) {
        /* The manager's handlers would hand these signals to its loop, which is not ours:
         * the defaults, as any new process has, before they are unblocked. */
        for (size_t i = 0; i < sizeof(manager_signals) / sizeof(manager_signals[0]); i++)
            signal(manager_signals[i], SIG_DFL);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (!tide_die_with_parent(parent))
            _exit(1);
        m->child_id = id;
        return;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    m->w[id].pid = pid;
    m->w[id].started = tide_time_ns();
    m->w[id].stopping = false;
}

static void spawn(tide_manager_t *m, int id)
{
    if (id >= m->o.worker_num) {
        spawn_extra(m, id);
        return;
    }
    /* The worker's link, its descriptor channel (tide/link.h), and its blocking channel. */
    int sv[2], fv[2], yv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
        tide_log(TIDE_LOG_ERROR, "worker #%d: socketpair: %s", id, strerror(errno));
        m->w[id].respawn_timer = tide_timer_add(m->r, 1000, 0, on_respawn_timer, m);
        return;
    }
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fv) < 0) {
        tide_log(TIDE_LOG_ERROR, "worker #%d: socketpair: %s", id, strerror(errno));
        close(sv[0]);
        close(sv[1]);
        m->w[id].respawn_timer = tide_timer_add(m->r, 1000, 0, on_respawn_timer, m);
        return;
    }
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, yv) < 0) {
        tide_log(TIDE_LOG_ERROR, "worker #%d: socketpair: %s", id, strerror(errno));
        close(sv[0]);
        close(sv[1]);
        close(fv[0]);
        close(fv[1]);
        m->w[id].respawn_timer = tide_timer_add(m->r, 1000, 0, on_respawn_timer, m);
        return;
    }
    /* Big enough that a burst of replies does not wait for the master. */
    int sz = 4 << 20;
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
    setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
    pid_t parent = getpid();
    /* A worker inherits our signal handlers but not our watches: until it has watches of its
     * own, our handler would give it the default action, and a SIGTERM sent right after the
     * fork (a reload or a shutdown) would kill it before it could stop gracefully. Blocked,
     * such a signal waits for the worker's own watch, which unblocks it. */
    sigset_t old;
    block_manager_signals(&old);
    pid_t pid = fork();
    if (pid != 0)
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (pid < 0) {
        tide_log(TIDE_LOG_ERROR, "worker #%d: fork: %s", id, strerror(errno));
        close(sv[0]);
        close(sv[1]);
        close(fv[0]);
        close(fv[1]);
        close(yv[0]);
        close(yv[1]);
        m->w[id].respawn_timer = tide_timer_add(m->r, 1000, 0, on_respawn_timer, m);
        return;
    }
    if (pid == 0) {
        close(sv[0]);
        close(fv[0]);
        close(yv[0]);
        if (!tide_die_with_parent(parent))
            _exit(1); /* the manager died before we could ask to follow it */
        m->child_id = id;
        m->child_fds[0] = sv[1];
        m->child_fds[1] = fv[1];
        m->child_fds[2] = yv[1];
        return;
    }
    close(sv[1]);
    close(fv[1]);
    close(yv[1]);
    m->w[id].pid = pid;
    m->w[id].started = tide_time_ns();
    m->w[id].stopping = false;
    if (m->pids)
        m->pids->worker[id].pid = pid;
    int fds[TIDE_WORKER_FDS] = {sv[0], fv[0], yv[0]};
    if (m->h.forked) {
        m->h.forked(m->udata, id, pid, fds);
    } else {
        for (int i = 0; i < TIDE_WORKER_FDS; i++)
            close(fds[i]);
    }
}

tide_manager_t *tide_manager_create(tide_reactor_t *r, const tide_manager_opts_t *o,
                                    const tide_manager_hooks_t *h, void *udata,
                                    tide_server_pids_t *pids)
{
    tide_manager_t *m = tide_calloc(1, sizeof(*m));
    m->r = r;
    m->o = *o;
    if (!m->o.max_wait_ms)
        m->o.max_wait_ms = 3000;
    m->h = *h;
    m->udata = udata;
    m->pids = pids;
    m->w = tide_calloc((size_t)(o->worker_num + o->extra_num), sizeof(mworker_t));
    m->reloading = -1;
    m->child_id = -1;
    m->child_fds[0] = m->child_fds[1] = m->child_fds[2] = -1;
    return m;
}

void tide_manager_destroy(tide_manager_t *m)
{
    if (!m)
        return;
    if (m->child_id < 0) {
        for (size_t i = 0; i < sizeof(m->sig) / sizeof(m->sig[0]); i++)
            if (m->sig[i])
                tide_reactor_cancel(m->r, m->sig[i]);
    }
    tide_free(m->w);
    tide_free(m);
}

static void on_keepalive(tide_reactor_t *r, void *udata, uint64_t tid)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(udata);
    TIDE_UNUSED(tid);
}

void tide_manager_watch_signals(tide_manager_t *m)
{
    if (m->watching)
        return;
    m->watching = true;
    for (size_t i = 0; i < sizeof(manager_signals) / sizeof(manager_signals[0]); i++) {
        int err = 0;
        m->sig[i] = tide_reactor_signal(m->r, manager_signals[i], on_signal, m, &err);
        if (m->sig[i])
            tide_reactor_unref(m->r, m->sig[i]);
    }
}

int tide_manager_run(tide_manager_t *m, int fds[TIDE_WORKER_FDS])
{
    tide_manager_watch_signals(m);
    /* The signal watches are unreferenced (they must not keep other runs of the loop
     * alive), so TIDE_RUN_ONCE would not wait for them: it would spin. A referenced timer
     * keeps it waiting while the manager runs. */
    uint64_t keepalive = tide_timer_add(m->r, 3600000, 3600000, on_keepalive, m);
    /* A shutdown asked for before the workers exist (a start callback) forks none. */
    for (int i = 0; i < total(m) && m->child_id < 0 && !m->shutting_down; i++)
        spawn(m, i);
    while (m->child_id < 0) {
        if (m->shutting_down) {
            bool any = false;
            for (int i = 0; i < total(m); i++)
                any |= m->w[i].pid > 0;
            if (!any)
                break;
        }
        int rc = tide_reactor_run(m->r, TIDE_RUN_ONCE);
        if (rc == TIDE_EFORKED || m->child_id >= 0)
            break;
        if (rc < 0 && rc != -EINTR) {
            tide_log(TIDE_LOG_ERROR, "manager loop: %s", tide_strerror(rc));
            break;
        }
    }
    if (m->child_id >= 0) {
        for (int i = 0; i < TIDE_WORKER_FDS; i++)
            fds[i] = m->child_fds[i];
        return m->child_id;
    }
    tide_timer_cancel(m->r, keepalive);
    return -1;
}

void tide_manager_shutdown(tide_manager_t *m)
{
    if (m->shutting_down)
        return;
    m->shutting_down = true;
    for (int i = 0; i < total(m); i++) {
        if (m->w[i].respawn_timer) {
            tide_timer_cancel(m->r, m->w[i].respawn_timer);
            m->w[i].respawn_timer = 0;
        }
        stop_worker(m, i);
    }
}

static void reload_from(tide_manager_t *m, int from)
{
    if (m->shutting_down)
        return;
    if (m->reloading >= 0) {
        /* Code changed again during the reload: once more after, as wide as asked. */
        m->again_from = m->reload_again && m->again_from < from ? m->again_from : from;
        m->reload_again = true;
        return;
    }
    tide_log(TIDE_LOG_INFO, "reloading %d %s", m->o.worker_num - from,
             from ? "task worker(s)" : "worker(s)");
    if (m->h.reload_begin)
        m->h.reload_begin(m->udata);
    m->reload_from = from;
    m->reloading = from;
    reload_next(m);
}

void tide_manager_reload(tide_manager_t *m)
{
    reload_from(m, 0);
}

void tide_manager_reload_tasks(tide_manager_t *m)
{
    if (!m->o.task_worker_num) {
        tide_log(TIDE_LOG_INFO, "reload: no task workers to reload");
        return;
    }
    reload_from(m, m->o.worker_num - m->o.task_worker_num);
}

/* SPDX-License-Identifier: MIT */
/*
 * The manager: forks the workers, keeps worker_num of them alive, reloads them one at a
 * time, stops them all. Used by the manager process (MODE_PROCESS) and by the process that
 * called start() in MODE_BASE.
 */
#ifndef TIDE_MANAGER_H
#define TIDE_MANAGER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "tide/conntab.h"
#include "tide/reactor.h"

typedef struct tide_manager tide_manager_t;

/* The descriptors between a worker and its hub: its link, the link's descriptor channel,
 * and the channel a caller that blocks outside the loop uses (tasks waited for outside a
 * coroutine). The hub's ends go to the forked hook, the worker's to tide_manager_run(). */
#define TIDE_WORKER_FDS 3

typedef struct tide_manager_hooks {
    /* In the manager, after worker `id` was forked as `pid`: fds are the manager's ends of
     * the worker's new link and descriptor channel (the hook owns them). */
    void (*forked)(void *udata, int id, pid_t pid, const int fds[TIDE_WORKER_FDS]);
    /* A worker ended (status as waitpid gives it); expected: it had been asked to stop. */
    void (*exited)(void *udata, int id, pid_t pid, int status, bool expected);
    void (*reload_begin)(void *udata);
    void (*reload_end)(void *udata);
} tide_manager_hooks_t;

typedef struct tide_manager_opts {
    int worker_num;       /* every process it keeps alive: workers, then task workers */
    int task_worker_num;  /* the last task_worker_num of them are task workers */
    uint64_t max_wait_ms; /* a stopping worker is killed after this long (0: 3000) */
    int extra_num;        /* extra children after the workers (ids worker_num ..
                           * worker_num + extra_num - 1): kept alive and stopped like
                           * workers, never reloaded, no links, no hooks, not in pids */
} tide_manager_opts_t;

/* Made in the manager process, on its reactor; pids (may be NULL) is kept up to date. */
tide_manager_t *tide_manager_create(tide_reactor_t *r, const tide_manager_opts_t *o,
                                    const tide_manager_hooks_t *h, void *udata,
                                    tide_server_pids_t *pids);
void tide_manager_destroy(tide_manager_t *m);
/* Watches SIGCHLD, SIGTERM, SIGINT, SIGUSR1 and SIGUSR2 (before any worker exists, so a
 * shutdown or reload asked for early is not lost). tide_manager_run() does it too. */
void tide_manager_watch_signals(tide_manager_t *m);
/*
 * Forks the workers, then runs the loop: respawns workers that die, SIGUSR1 reloads them
 * one at a time, SIGTERM/SIGINT stops them all (SIGKILL after max_wait). Reaps only its own
 * workers (never waitpid(-1): a child PHP code started keeps its status for proc_close()).
 * Returns -1 in the manager once every worker is gone, or the worker id (>= 0) in a forked
 * worker, which then owns fds[0..1] (its ends of the link and descriptor channel) and must
 * drop the manager's state with tide_manager_destroy() without using it. In extra child i
 * it returns worker_num + i (fds stay -1); that child starts with the manager's signals at
 * their default dispositions and unblocked, and a 1 s backoff follows any end of it within
 * a second of its start (a callback that returns at once does not make a fork loop).
 * A worker starts with SIGCHLD, SIGTERM, SIGINT, SIGUSR1 and SIGUSR2 blocked, so that none
 * is lost or acted on by default before it is ready: its own tide_reactor_signal() watches
 * unblock theirs; it unblocks the others itself.
 */
int tide_manager_run(tide_manager_t *m, int fds[TIDE_WORKER_FDS]);
/* From inside the manager (e.g. a PHP callback): the same as the signals. */
void tide_manager_shutdown(tide_manager_t *m);
void tide_manager_reload(tide_manager_t *m);
/* SIGUSR2: reloads the task workers only (logged and ignored when there are none). */
void tide_manager_reload_tasks(tide_manager_t *m);

#endif

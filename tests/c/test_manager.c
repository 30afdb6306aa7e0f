/* SPDX-License-Identifier: MIT */
/*
 * The manager (src/server/manager.c): forks worker_num workers, respawns the dead, stops
 * them all. The workers here are tiny: they say who they are on their SOCK_SEQPACKET end
 * and then exit at once or wait for SIGTERM (a 4 s alarm ends any that outlive their test).
 * Every test reaps all its children; none is left behind.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test.h"
#include "tide/common.h"
#include "tide/log.h"
#include "tide/conntab.h"
#include "tide/manager.h"

#define MAXW 8
#define MAXEV 32

/* What workers do, per incarnation (shared memory: the children count too). */
enum { STAY = 0, EXIT0, EXIT3, IGNORE_TERM, TERM_MANAGER };

typedef struct shared {
    int incarnation[MAXW];
    int plan[MAXW][4]; /* per worker id, per incarnation (the last one repeats) */
} shared_t;

enum { ACT_SHUTDOWN = 0, ACT_SIGTERM, ACT_SIGUSR1, ACT_SIGUSR2 };

typedef struct ev {
    int id;
    pid_t pid;
    int status;
    bool expected;
    uint64_t at;
} ev_t;

typedef struct mgr {
    tide_reactor_t *r;
    tide_manager_t *m;
    tide_conntab_t tab;
    shared_t *sh;
    int worker_num;
    int task_worker_num; /* the last ones of worker_num */
    /* forked hook */
    ev_t forks[MAXEV];
    int nforks;
    int fds[MAXEV];
    /* exited hook */
    ev_t exits[MAXEV];
    int nexits;
    int reload_begin, reload_end;
    /* shut down once this many forks happened (0: never from here) */
    int shutdown_after;
    uint64_t shutdown_delay_ms;
    int action; /* ACT_*: what the timer does */
    uint64_t t0;
    /* extra children: they say hello on extra_fd[1]; the test reads extra_fd[0] */
    int extra_num;
    int extra_fd[2];
    ev_t extra_hellos[MAXEV];
    int nextra_hellos;
} mgr_t;

static void quiet(int level, const char *line, void *udata)
{
    TIDE_UNUSED(level);
    TIDE_UNUSED(line);
    TIDE_UNUSED(udata);
}

/* ---- the workers ---- */

static void wait_for_term(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGALRM);
    /* The manager forks its workers with its signals blocked (see spawn()). */
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    for (;;)
        pause();
}

static void worker_main(shared_t *sh, int id, int fd)
{
    alarm(4); /* whatever happens to the test, no worker outlives it for long */
    int n = __atomic_fetch_add(&sh->incarnation[id], 1, __ATOMIC_SEQ_CST);
    int plan = sh->plan[id][n < 4 ? n : 3];
    int32_t hello[2] = {id, (int32_t)getpid()};
    if (send(fd, hello, sizeof(hello), MSG_NOSIGNAL) != sizeof(hello))
        _exit(9);
    switch (plan) {
    case EXIT0:
        _exit(0);
    case EXIT3:
        _exit(3);
    case IGNORE_TERM:
        signal(SIGTERM, SIG_IGN);
        wait_for_term();
        break;
    case TERM_MANAGER:
        /* Not a wait for readiness: the 300 ms in which the manager has nothing to do are
         * what manager_does_not_spin_while_workers_run measures its CPU over. A timer of the
         * test's own in the manager would keep its loop waiting and hide a spin. */
        usleep(300 * 1000);
        kill(getppid(), SIGTERM);
        wait_for_term();
        break;
    default:
        wait_for_term();
    }
    _exit(0);
}

/* An extra child: says {id, pid, SIGTERM blocked, SIGTERM handled} and waits for its end
 * (SIGTERM's default action, or the 4 s alarm). */
static void extra_main(mgr_t *g, int id)
{
    alarm(4);
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    struct sigaction sa;
    sigaction(SIGTERM, NULL, &sa);
    int32_t hello[4] = {id, (int32_t)getpid(), sigismember(&cur, SIGTERM),
                        sa.sa_handler != SIG_DFL};
    if (send(g->extra_fd[1], hello, sizeof(hello), MSG_NOSIGNAL) != sizeof(hello))
        _exit(9);
    for (;;)
        pause();
}

/* ---- the manager's side ---- */

static void on_shutdown_timer(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(id);
    mgr_t *g = udata;
    if (g->action == ACT_SIGTERM)
        kill(getpid(), SIGTERM);
    else if (g->action == ACT_SIGUSR1)
        kill(getpid(), SIGUSR1);
    else if (g->action == ACT_SIGUSR2 && g->task_worker_num)
        kill(getpid(), SIGUSR2); /* reload_end shuts the manager down */
    else if (g->action == ACT_SIGUSR2) {
        /* Nothing to reload: then a shutdown, once the signal had time to do harm. */
        kill(getpid(), SIGUSR2);
        g->action = ACT_SHUTDOWN;
        tide_timer_add(r, 100, 0, on_shutdown_timer, g);
    }
    else
        tide_manager_shutdown(g->m);
}

static void hook_forked(void *udata, int id, pid_t pid, const int fds[TIDE_WORKER_FDS])
{
    mgr_t *g = udata;
    CHECK(g->nforks < MAXEV);
    CHECK(id >= 0 && id < g->worker_num);
    CHECK(pid > 0);
    CHECK(fds[0] >= 0 && fds[1] >= 0 && fds[2] >= 0);
    /* The pids block knows it already. */
    CHECK_EQ(g->tab.pids->worker[id].pid, pid);
    g->forks[g->nforks] = (ev_t){id, pid, 0, false, tide_time_ns()};
    g->fds[g->nforks] = fds[0];
    close(fds[1]); /* the descriptor channel and the blocking one: not used here */
    close(fds[2]);
    g->nforks++;
}

/* Once shutdown_after workers were forked and each said hello (so none is stopped before
 * it ran), waits shutdown_delay_ms more, then acts. */
static void on_check(tide_reactor_t *r, void *udata, uint64_t id)
{
    mgr_t *g = udata;
    if (g->nforks < g->shutdown_after)
        return;
    for (int i = 0; i < g->nforks; i++) {
        int32_t hello[2];
        if (recv(g->fds[i], hello, sizeof(hello), MSG_PEEK | MSG_DONTWAIT) != sizeof(hello))
            return;
    }
    tide_timer_cancel(r, id);
    tide_timer_add(r, g->shutdown_delay_ms, 0, on_shutdown_timer, g);
}

static void hook_exited(void *udata, int id, pid_t pid, int status, bool expected)
{
    mgr_t *g = udata;
    CHECK(g->nexits < MAXEV);
    CHECK_EQ(g->tab.pids->worker[id].pid, 0);
    g->exits[g->nexits++] = (ev_t){id, pid, status, expected, tide_time_ns()};
}

static void hook_reload_begin(void *udata)
{
    ((mgr_t *)udata)->reload_begin++;
}

static void hook_reload_end(void *udata)
{
    mgr_t *g = udata;
    g->reload_end++;
    tide_manager_shutdown(g->m);
}

static const tide_manager_hooks_t hooks = {hook_forked, hook_exited, hook_reload_begin,
                                           hook_reload_end};

static void mgr_init(mgr_t *g, tide_backend_t backend, int worker_num)
{
    memset(g, 0, sizeof(*g));
    tide_log_set_sink(quiet, NULL);
    g->worker_num = worker_num;
    g->r = test_reactor(backend);
    CHECK_EQ(tide_conntab_create(&g->tab, 1, 8, (unsigned)worker_num), 0);
    g->sh = mmap(NULL, sizeof(shared_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(g->sh != MAP_FAILED);
    memset(g->sh, 0, sizeof(*g->sh));
}

/* Runs the manager; in a worker, never returns. */
static void mgr_run(mgr_t *g, uint64_t max_wait_ms)
{
    tide_manager_opts_t o = {.worker_num = g->worker_num,
                             .task_worker_num = g->task_worker_num,
                             .max_wait_ms = max_wait_ms,
                             .extra_num = g->extra_num};
    g->m = tide_manager_create(g->r, &o, &hooks, g, g->tab.pids);
    CHECK(g->m != NULL);
    g->t0 = tide_time_ns();
    uint64_t check = g->shutdown_after ? tide_timer_add(g->r, 5, 5, on_check, g) : 0;
    int fds[TIDE_WORKER_FDS] = {-1, -1, -1};
    int id = tide_manager_run(g->m, fds);
    if (id >= g->worker_num) {
        CHECK(id < g->worker_num + g->extra_num);
        CHECK_EQ(fds[0], -1);
        extra_main(g, id);
    }
    if (id >= 0) {
        /* A worker: the manager's state is the parent's; leave it be. */
        CHECK(id < g->worker_num);
        CHECK(fds[1] >= 0 && fds[2] >= 0);
        worker_main(g->sh, id, fds[0]);
    }
    CHECK_EQ(id, -1);
    CHECK_EQ(fds[0], -1);
    if (check)
        tide_timer_cancel(g->r, check);
}

/* Checks that no child is left, closes what the hooks handed over, frees everything. */
static void mgr_done(mgr_t *g)
{
    for (int i = 0; i < g->worker_num; i++)
        CHECK_EQ(g->tab.pids->worker[i].pid, 0);
    for (int i = 0; i < g->nforks; i++)
        CHECK(kill(g->forks[i].pid, 0) < 0 && errno == ESRCH);
    CHECK(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD);
    for (int i = 0; i < g->nforks; i++)
        close(g->fds[i]);
    tide_manager_destroy(g->m);
    tide_reactor_destroy(g->r);
    tide_conntab_destroy(&g->tab);
    munmap(g->sh, sizeof(*g->sh));
}

/* Each fd the hook got is the far end of that worker's pair: it said {id, pid} on it. */
static void check_hellos(mgr_t *g)
{
    for (int i = 0; i < g->nforks; i++) {
        int32_t hello[2] = {-1, -1};
        CHECK_EQ(recv(g->fds[i], hello, sizeof(hello), MSG_DONTWAIT), sizeof(hello));
        CHECK_EQ(hello[0], g->forks[i].id);
        CHECK_EQ(hello[1], g->forks[i].pid);
    }
}

static const ev_t *exit_of(const mgr_t *g, pid_t pid)
{
    for (int i = 0; i < g->nexits; i++)
        if (g->exits[i].pid == pid)
            return &g->exits[i];
    FAILF("pid %d never exited", (int)pid);
}

REACTOR_TEST(manager_forks_the_workers_and_shutdown_stops_them)
{
    mgr_t g;
    mgr_init(&g, backend, 3);
    g.shutdown_after = 3;
    g.shutdown_delay_ms = 100;
    mgr_run(&g, 0);
    CHECK(tide_time_ns() - g.t0 < 3000000000ull);
    CHECK_EQ(g.nforks, 3);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(g.forks[i].id, i);
    CHECK_EQ(g.nexits, 3);
    for (int i = 0; i < 3; i++) {
        const ev_t *x = exit_of(&g, g.forks[i].pid);
        CHECK_EQ(x->id, g.forks[i].id);
        CHECK(x->expected);
        CHECK(WIFSIGNALED(x->status) && WTERMSIG(x->status) == SIGTERM);
    }
    check_hellos(&g);
    mgr_done(&g);
}

REACTOR_TEST(manager_stops_on_sigterm)
{
    mgr_t g;
    mgr_init(&g, backend, 2);
    g.shutdown_after = 2;
    g.shutdown_delay_ms = 50;
    g.action = ACT_SIGTERM;
    mgr_run(&g, 0);
    CHECK_EQ(g.nforks, 2);
    CHECK_EQ(g.nexits, 2);
    for (int i = 0; i < 2; i++)
        CHECK(g.exits[i].expected);
    check_hellos(&g);
    mgr_done(&g);
}

REACTOR_TEST(manager_respawns_a_worker_that_exits)
{
    mgr_t g;
    mgr_init(&g, backend, 2);
    /* Worker 0 exits at once the first two times; then it stays. */
    g.sh->plan[0][0] = EXIT0;
    g.sh->plan[0][1] = EXIT0;
    g.shutdown_after = 4;
    g.shutdown_delay_ms = 100;
    mgr_run(&g, 0);
    CHECK_EQ(g.nforks, 4);
    int zero = 0, one = 0;
    for (int i = 0; i < g.nforks; i++)
        *(g.forks[i].id == 0 ? &zero : &one) += 1;
    CHECK_EQ(zero, 3);
    CHECK_EQ(one, 1);
    CHECK_EQ(g.sh->incarnation[0], 3);
    /* Distinct processes, each reaped once. */
    for (int i = 0; i < g.nforks; i++)
        for (int j = i + 1; j < g.nforks; j++)
            CHECK(g.forks[i].pid != g.forks[j].pid);
    CHECK_EQ(g.nexits, 4);
    /* The early exits were not asked for; the rest were stopped. */
    CHECK_EQ(g.exits[0].id, 0);
    CHECK(!g.exits[0].expected);
    CHECK(WIFEXITED(g.exits[0].status) && WEXITSTATUS(g.exits[0].status) == 0);
    CHECK(!g.exits[1].expected);
    CHECK(g.exits[2].expected && g.exits[3].expected);
    /* A clean exit is replaced at once. */
    CHECK(g.forks[3].at - g.exits[0].at < 500000000ull || g.forks[2].at - g.exits[0].at < 500000000ull);
    check_hellos(&g);
    mgr_done(&g);
}

REACTOR_TEST(manager_waits_a_second_before_respawning_a_worker_that_fails_at_once)
{
    mgr_t g;
    mgr_init(&g, backend, 1);
    g.sh->plan[0][0] = EXIT3;
    g.shutdown_after = 2;
    g.shutdown_delay_ms = 50;
    mgr_run(&g, 0);
    CHECK_EQ(g.nforks, 2);
    CHECK_EQ(g.nexits, 2);
    CHECK(WIFEXITED(g.exits[0].status) && WEXITSTATUS(g.exits[0].status) == 3);
    CHECK(!g.exits[0].expected);
    uint64_t gap = g.forks[1].at - g.exits[0].at;
    CHECK(gap >= 900000000ull);
    CHECK(gap < 2500000000ull);
    check_hellos(&g);
    mgr_done(&g);
}

REACTOR_TEST(manager_kills_a_worker_that_ignores_sigterm_after_max_wait)
{
    mgr_t g;
    mgr_init(&g, backend, 2);
    g.sh->plan[1][0] = IGNORE_TERM;
    g.shutdown_after = 2;
    g.shutdown_delay_ms = 100;
    mgr_run(&g, 300);
    uint64_t took = tide_time_ns() - g.t0;
    CHECK(took < 3000000000ull);
    CHECK_EQ(g.nexits, 2);
    pid_t stubborn = g.forks[0].id == 1 ? g.forks[0].pid : g.forks[1].pid;
    pid_t polite = g.forks[0].id == 1 ? g.forks[1].pid : g.forks[0].pid;
    const ev_t *s = exit_of(&g, stubborn), *p = exit_of(&g, polite);
    CHECK(WIFSIGNALED(p->status) && WTERMSIG(p->status) == SIGTERM);
    CHECK(WIFSIGNALED(s->status) && WTERMSIG(s->status) == SIGKILL);
    CHECK(s->expected);
    /* Killed after max_wait, not before. */
    uint64_t asked = g.forks[1].at + 100000000ull;
    CHECK(s->at >= asked + 250000000ull);
    check_hellos(&g);
    mgr_done(&g);
}

REACTOR_TEST(manager_reload_replaces_every_worker_one_at_a_time)
{
    mgr_t g;
    mgr_init(&g, backend, 2);
    /* SIGUSR1 once both run; reload_end shuts the manager down. */
    g.shutdown_after = 2;
    g.shutdown_delay_ms = 50;
    g.action = ACT_SIGUSR1;
    mgr_run(&g, 0);
    CHECK_EQ(g.reload_begin, 1);
    CHECK_EQ(g.reload_end, 1);
    CHECK_EQ(g.nforks, 4);
    CHECK_EQ(g.nexits, 4);
    /* Worker 0 is stopped and replaced, then worker 1: never both down at once. */
    CHECK_EQ(g.exits[0].pid, g.forks[0].pid);
    CHECK(g.exits[0].expected);
    CHECK_EQ(g.forks[2].id, 0);
    CHECK(g.forks[2].at >= g.exits[0].at);
    CHECK_EQ(g.exits[1].pid, g.forks[1].pid);
    CHECK(g.exits[1].at >= g.forks[2].at);
    CHECK_EQ(g.forks[3].id, 1);
    CHECK(g.forks[3].at >= g.exits[1].at);
    /* Then the shutdown stops the new ones. */
    CHECK(exit_of(&g, g.forks[2].pid)->expected);
    CHECK(exit_of(&g, g.forks[3].pid)->expected);
    check_hellos(&g);
    mgr_done(&g);
}

/* SIGUSR2 reloads the task workers (the last task_worker_num) one at a time, and only
 * them. */
REACTOR_TEST(manager_sigusr2_reloads_only_the_task_workers)
{
    mgr_t g;
    mgr_init(&g, backend, 3);
    g.task_worker_num = 1;
    g.shutdown_after = 3;
    g.shutdown_delay_ms = 50;
    g.action = ACT_SIGUSR2;
    mgr_run(&g, 0);
    CHECK_EQ(g.reload_begin, 1);
    CHECK_EQ(g.reload_end, 1);
    CHECK_EQ(g.nforks, 4);
    /* The task worker (#2) alone was stopped and replaced. */
    CHECK_EQ(g.exits[0].pid, g.forks[2].pid);
    CHECK(g.exits[0].expected);
    CHECK_EQ(g.forks[3].id, 2);
    CHECK(g.forks[3].at >= g.exits[0].at);
    for (int i = 1; i < g.nexits; i++)
        CHECK(g.exits[i].at >= g.forks[3].at); /* the rest only at the shutdown */
    check_hellos(&g);
    mgr_done(&g);
}

/* Without task workers SIGUSR2 changes nothing. */
REACTOR_TEST(manager_sigusr2_without_task_workers_reloads_nothing)
{
    mgr_t g;
    mgr_init(&g, backend, 2);
    g.shutdown_after = 2;
    g.shutdown_delay_ms = 50;
    g.action = ACT_SIGUSR2;
    mgr_run(&g, 0);
    CHECK_EQ(g.reload_begin, 0);
    CHECK_EQ(g.nforks, 2);
    mgr_done(&g);
}

/* The manager sleeps in the loop while its workers run: no busy polling. */
REACTOR_TEST(manager_does_not_spin_while_workers_run)
{
    mgr_t g;
    mgr_init(&g, backend, 2);
    /* No timer of ours keeps the loop awake: worker 0 sends the SIGTERM after 300 ms. */
    g.sh->plan[0][0] = TERM_MANAGER;
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    mgr_run(&g, 0);
    getrusage(RUSAGE_SELF, &after);
    uint64_t wall = tide_time_ns() - g.t0;
    uint64_t cpu_us = (uint64_t)(after.ru_utime.tv_sec - before.ru_utime.tv_sec) * 1000000 +
                      (uint64_t)(after.ru_utime.tv_usec - before.ru_utime.tv_usec) +
                      (uint64_t)(after.ru_stime.tv_sec - before.ru_stime.tv_sec) * 1000000 +
                      (uint64_t)(after.ru_stime.tv_usec - before.ru_stime.tv_usec);
    CHECK(wall >= 300000000ull);
    if (cpu_us * 1000 > wall / 2)
        FAILF("the manager used %llu us of CPU in %llu us", (unsigned long long)cpu_us,
              (unsigned long long)(wall / 1000));
    CHECK_EQ(g.nexits, 2);
    check_hellos(&g);
    mgr_done(&g);
}

/* ---- forking inside a reactor callback (what the manager does) ---- */

typedef struct forker {
    pid_t child;
    int usr1, usr2;
    bool in_child;
} forker_t;

static void fork_on_usr1(tide_reactor_t *r, void *udata, int signo)
{
    TIDE_UNUSED(r);
    forker_t *f = udata;
    if (signo == SIGUSR1) {
        f->usr1++;
        f->child = fork();
        CHECK(f->child >= 0);
        if (f->child == 0)
            f->in_child = true;
    } else {
        f->usr2++;
    }
    if (!f->in_child && f->usr1 && f->usr2)
        tide_reactor_stop(r);
}

/* Two signals noted before the loop looks, the first one's callback forks: the child's loop
 * returns TIDE_EFORKED without running the second callback or touching the ring, and the
 * parent handles both. */
REACTOR_TEST(fork_in_a_signal_callback_leaves_the_rest_to_the_parent)
{
    tide_reactor_t *r = test_reactor(backend);
    forker_t f = {0};
    tide_op_t *w1 = tide_reactor_signal(r, SIGUSR1, fork_on_usr1, &f, NULL);
    tide_op_t *w2 = tide_reactor_signal(r, SIGUSR2, fork_on_usr1, &f, NULL);
    CHECK(w1 && w2);
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR2);
    int rc;
    do
        rc = tide_reactor_run(r, TIDE_RUN_ONCE);
    while (rc >= 0 && !(f.usr1 && f.usr2) && !f.in_child);
    if (f.in_child) {
        /* The child: its copy of the loop gave up at once. */
        alarm(4);
        _exit(rc == TIDE_EFORKED && tide_reactor_forked(r) && f.usr2 == 0 ? 0 : 1);
    }
    CHECK_EQ(f.usr1, 1);
    CHECK_EQ(f.usr2, 1);
    int status = 0;
    uint64_t dl = tide_time_ns() + 3000000000ull;
    while (waitpid(f.child, &status, WNOHANG) == 0) {
        if (tide_time_ns() > dl) {
            kill(f.child, SIGKILL);
            waitpid(f.child, &status, 0);
            FAILF("the forked child did not leave the loop");
        }
        usleep(1000);
    }
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* The parent's loop still works. */
    kill(getpid(), SIGUSR2);
    while (f.usr2 < 2)
        CHECK(tide_reactor_run(r, TIDE_RUN_ONCE) >= 0);
    tide_reactor_cancel(r, w1);
    tide_reactor_cancel(r, w2);
    tide_reactor_destroy(r);
}

/* The test's side of manager_keeps_an_extra_child_alive_apart_from_reloads: SIGKILL to the
 * extra child's first incarnation, SIGUSR1 (a reload, whose end shuts down) once the second
 * said hello. */
static void on_extra_check(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(id);
    mgr_t *g = udata;
    int32_t hello[4];
    while (recv(g->extra_fd[0], hello, sizeof(hello), MSG_DONTWAIT) == sizeof(hello)) {
        CHECK(g->nextra_hellos < MAXEV);
        CHECK_EQ(hello[2], 0); /* SIGTERM not blocked */
        CHECK_EQ(hello[3], 0); /* nor handled: its default action */
        g->extra_hellos[g->nextra_hellos++] = (ev_t){hello[0], hello[1], 0, false, tide_time_ns()};
        if (g->nextra_hellos == 1)
            kill(hello[1], SIGKILL);
        else if (g->nextra_hellos == 2)
            kill(getpid(), SIGUSR1);
    }
}

REACTOR_TEST(manager_keeps_an_extra_child_alive_apart_from_reloads)
{
    mgr_t g;
    mgr_init(&g, backend, 1);
    g.extra_num = 1;
    CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, g.extra_fd), 0);
    uint64_t check = tide_timer_add(g.r, 5, 5, on_extra_check, &g);
    mgr_run(&g, 0);
    tide_timer_cancel(g.r, check);
    CHECK(tide_time_ns() - g.t0 < 3500000000ull);
    /* Killed once, started again after the backoff (it had lived under a second). */
    CHECK_EQ(g.nextra_hellos, 2);
    CHECK_EQ(g.extra_hellos[0].id, 1);
    CHECK_EQ(g.extra_hellos[1].id, 1);
    CHECK(g.extra_hellos[0].pid != g.extra_hellos[1].pid);
    CHECK(g.extra_hellos[1].at - g.extra_hellos[0].at >= 900000000ull);
    /* The reload replaced the worker only; the hooks never saw the extra child. */
    CHECK_EQ(g.reload_end, 1);
    CHECK_EQ(g.nforks, 2);
    CHECK_EQ(g.forks[0].id, 0);
    CHECK_EQ(g.forks[1].id, 0);
    CHECK_EQ(g.nexits, 2);
    for (int i = 0; i < 2; i++)
        CHECK(kill(g.extra_hellos[i].pid, 0) < 0 && errno == ESRCH);
    check_hellos(&g);
    close(g.extra_fd[0]);
    close(g.extra_fd[1]);
    mgr_done(&g);
}

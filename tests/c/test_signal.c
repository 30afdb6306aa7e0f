/* SPDX-License-Identifier: MIT */
/*
 * Signal watches (src/core/signal.c): a sigaction handler, never a blocked mask. What a
 * watch must not leave in processes started while it is active, what a forked child does
 * with a signal the parent watches, and what cancelling puts back.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"
#include "tide/common.h"
#include "tide/reactor.h"

extern char **environ;

static void on_deadline(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(id);
    FAILF("deadline reached: %s", (const char *)udata);
}

static void count_signal(tide_reactor_t *r, void *udata, int signo)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(signo);
    (*(int *)udata)++;
}

/* The masks of /proc/<pid>/status in text: "SigBlk:\t0000000000004000\n..." */
typedef struct sigmasks {
    uint64_t blk, ign, cgt;
    int found;
} sigmasks_t;

static void parse_masks(const char *text, sigmasks_t *m)
{
    static const char *names[] = {"SigBlk:", "SigIgn:", "SigCgt:"};
    uint64_t *dst[] = {&m->blk, &m->ign, &m->cgt};
    memset(m, 0, sizeof(*m));
    for (int i = 0; i < 3; i++) {
        const char *p = strstr(text, names[i]);
        if (p) {
            *dst[i] = strtoull(p + strlen(names[i]), NULL, 16);
            m->found++;
        }
    }
}

static void own_masks(sigmasks_t *m)
{
    char text[4096];
    FILE *f = fopen("/proc/self/status", "r");
    CHECK(f != NULL);
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = 0;
    fclose(f);
    parse_masks(text, m);
    CHECK_EQ(m->found, 3);
}

static uint64_t bit(int signo)
{
    return 1ull << (signo - 1);
}

/* What a child started with posix_spawn says about its own signal masks. */
static void spawned_masks(sigmasks_t *m)
{
    int pfd[2];
    CHECK_EQ(pipe(pfd), 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
    posix_spawn_file_actions_addclose(&fa, pfd[0]);
    char *argv[] = {"/bin/sh", "-c", "exec grep -E '^Sig(Blk|Ign|Cgt)' /proc/self/status", NULL};
    pid_t pid;
    CHECK_EQ(posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    close(pfd[1]);
    char text[1024];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof(text) - 1 && (n = read(pfd[0], text + len, sizeof(text) - 1 - len)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        CHECK(n > 0);
        len += (size_t)n;
    }
    text[len] = 0;
    close(pfd[0]);
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    parse_masks(text, m);
    CHECK_EQ(m->found, 3);
}

/* The same through popen (glibc: posix_spawn of sh -c, no atfork handlers). */
static void popen_masks(sigmasks_t *m)
{
    FILE *f = popen("exec grep -E '^Sig(Blk|Ign|Cgt)' /proc/self/status", "r");
    CHECK(f != NULL);
    char text[1024];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = 0;
    CHECK_EQ(pclose(f), 0);
    parse_masks(text, m);
    CHECK_EQ(m->found, 3);
}

REACTOR_TEST(signal_watch_leaves_started_processes_the_default_mask_and_disposition)
{
    tide_reactor_t *r = test_reactor(backend);
    int got = 0;
    tide_op_t *term = tide_reactor_signal(r, SIGTERM, count_signal, &got, NULL);
    tide_op_t *usr2 = tide_reactor_signal(r, SIGUSR2, count_signal, &got, NULL);
    CHECK(term && usr2);

    /* In what we start: neither blocked, nor caught, nor ignored. */
    sigmasks_t m;
    spawned_masks(&m);
    for (int signo = SIGTERM; signo; signo = signo == SIGTERM ? SIGUSR2 : 0) {
        if (m.blk & bit(signo))
            FAILF("signal %d is blocked in a posix_spawn child (SigBlk %016llx)", signo,
                  (unsigned long long)m.blk);
        CHECK(!(m.cgt & bit(signo)));
        CHECK(!(m.ign & bit(signo)));
    }
    popen_masks(&m);
    for (int signo = SIGTERM; signo; signo = signo == SIGTERM ? SIGUSR2 : 0) {
        if (m.blk & bit(signo))
            FAILF("signal %d is blocked in a popen child (SigBlk %016llx)", signo,
                  (unsigned long long)m.blk);
        CHECK(!(m.cgt & bit(signo)));
        CHECK(!(m.ign & bit(signo)));
    }
    /* Here: caught, not blocked. */
    own_masks(&m);
    CHECK(m.cgt & bit(SIGTERM));
    CHECK(m.cgt & bit(SIGUSR2));
    CHECK(!(m.blk & bit(SIGTERM)));
    CHECK(!(m.blk & bit(SIGUSR2)));
    tide_reactor_cancel(r, term);
    tide_reactor_cancel(r, usr2);
    CHECK_EQ(got, 0);
    tide_reactor_destroy(r);
}

/* ---- delivery ---- */

typedef struct sigseen {
    int usr1, usr2;
    int last; /* the order: signo of the last callback */
    int order_ok;
} sigseen_t;

static void on_usr(tide_reactor_t *r, void *udata, int signo)
{
    sigseen_t *s = udata;
    if (signo == SIGUSR1)
        s->usr1++;
    else if (signo == SIGUSR2)
        s->usr2++;
    else
        FAILF("unexpected signal %d", signo);
    s->last = signo;
    if (s->usr1 && s->usr2)
        tide_reactor_stop(r);
}

static void raise_both(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(udata);
    TIDE_UNUSED(id);
    /* The handler runs before kill() returns (the signal is not blocked here). */
    CHECK_EQ(kill(getpid(), SIGUSR2), 0);
    CHECK_EQ(kill(getpid(), SIGUSR1), 0);
    CHECK_EQ(kill(getpid(), SIGUSR1), 0); /* may be one callback with the one before */
}

REACTOR_TEST(signals_sent_to_the_process_reach_their_callbacks_on_the_loop)
{
    tide_reactor_t *r = test_reactor(backend);
    sigseen_t s = {0};
    tide_op_t *a = tide_reactor_signal(r, SIGUSR1, on_usr, &s, NULL);
    tide_op_t *b = tide_reactor_signal(r, SIGUSR2, on_usr, &s, NULL);
    CHECK(a && b);
    sigset_t cur;
    pthread_sigmask(SIG_SETMASK, NULL, &cur);
    CHECK(!sigismember(&cur, SIGUSR1));
    tide_timer_add(r, 5, 0, raise_both, NULL);
    uint64_t guard = tide_timer_add(r, 5000, 0, on_deadline, "the signals");
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 1);
    CHECK(s.usr1 >= 1 && s.usr1 <= 2);
    CHECK_EQ(s.usr2, 1);
    CHECK_EQ(s.last, SIGUSR2); /* ascending numbers: USR1 (10) before USR2 (12) */
    tide_timer_cancel(r, guard);
    tide_reactor_cancel(r, a);
    tide_reactor_cancel(r, b);
    CHECK(!tide_reactor_alive(r));
    tide_reactor_destroy(r);
}

/* ---- fork without exec ---- */

static void mark_fired(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(id);
    *(int *)udata = 1;
}

REACTOR_TEST(forked_child_dies_of_sigterm_and_the_parent_loop_hears_nothing)
{
    tide_reactor_t *r = test_reactor(backend);
    int got = 0;
    tide_op_t *w = tide_reactor_signal(r, SIGTERM, count_signal, &got, NULL);
    CHECK(w != NULL);
    tide_reactor_run(r, TIDE_RUN_NOWAIT); /* the signal eventfd is being read */

    int sync[2];
    CHECK_EQ(pipe(sync), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        alarm(5); /* never outlives the test */
        close(sync[0]);
        if (write(sync[1], "r", 1) != 1)
            _exit(2);
        for (;;)
            pause();
    }
    close(sync[1]);
    char c;
    CHECK_EQ(read(sync[0], &c, 1), 1);
    close(sync[0]);
    CHECK_EQ(kill(pid, SIGTERM), 0);
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGTERM)
        FAILF("the child did not die of SIGTERM (status 0x%x)", status);

    /* Had the child written to the eventfd it shares with us, this turn would end before
     * the timer is due, without firing it. */
    int fired = 0;
    tide_timer_add(r, 50, 0, mark_fired, &fired);
    tide_reactor_run(r, TIDE_RUN_ONCE);
    CHECK_EQ(fired, 1);
    CHECK_EQ(got, 0);
    tide_reactor_cancel(r, w);
    tide_reactor_destroy(r);
}

static void child_on_term(tide_reactor_t *r, void *udata, int signo)
{
    TIDE_UNUSED(signo);
    (*(int *)udata)++;
    tide_reactor_stop(r);
}

/* A forked child that makes a watch of its own for the same number gets the signal through
 * its own loop; cancelling it there puts back what was there before the parent's watch. */
REACTOR_TEST(forked_child_can_watch_the_signal_itself)
{
    tide_reactor_t *r = test_reactor(backend);
    int got = 0;
    tide_op_t *w = tide_reactor_signal(r, SIGTERM, count_signal, &got, NULL);
    CHECK(w != NULL);
    int sync[2];
    CHECK_EQ(pipe(sync), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        alarm(5);
        close(sync[0]);
        CHECK(tide_reactor_forked(r));
        tide_reactor_destroy(r); /* the parent's copy */
        tide_reactor_t *mine = test_reactor(backend);
        int mine_got = 0;
        tide_op_t *mw = tide_reactor_signal(mine, SIGTERM, child_on_term, &mine_got, NULL);
        CHECK(mw != NULL);
        CHECK_EQ(write(sync[1], "r", 1), 1);
        tide_timer_add(mine, 4000, 0, on_deadline, "SIGTERM in the child");
        tide_reactor_run(mine, TIDE_RUN_DEFAULT);
        CHECK_EQ(mine_got, 1);
        tide_reactor_cancel(mine, mw);
        struct sigaction sa;
        sigaction(SIGTERM, NULL, &sa);
        CHECK(sa.sa_handler == SIG_DFL);
        _exit(0);
    }
    close(sync[1]);
    char c;
    CHECK_EQ(read(sync[0], &c, 1), 1);
    close(sync[0]);
    CHECK_EQ(kill(pid, SIGTERM), 0);
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        FAILF("the child failed (status 0x%x)", status);
    int fired = 0;
    tide_timer_add(r, 20, 0, mark_fired, &fired);
    tide_reactor_run(r, TIDE_RUN_ONCE);
    CHECK_EQ(fired, 1);
    CHECK_EQ(got, 0);
    tide_reactor_destroy(r);
}

/* ---- what cancelling puts back ---- */

static volatile sig_atomic_t own_handler_ran;

static void own_handler(int signo)
{
    TIDE_UNUSED(signo);
    own_handler_ran++;
}

static void (*disposition(int signo))(int)
{
    struct sigaction sa;
    CHECK_EQ(sigaction(signo, NULL, &sa), 0);
    return sa.sa_handler;
}

REACTOR_TEST(cancel_and_destroy_put_back_the_disposition_from_before)
{
    tide_reactor_t *r = test_reactor(backend);
    int got = 0;

    /* SIG_IGN before: back after cancel. */
    signal(SIGUSR1, SIG_IGN);
    tide_op_t *w = tide_reactor_signal(r, SIGUSR1, count_signal, &got, NULL);
    CHECK(w != NULL);
    CHECK(disposition(SIGUSR1) != SIG_IGN);
    tide_reactor_cancel(r, w);
    CHECK(disposition(SIGUSR1) == SIG_IGN);
    kill(getpid(), SIGUSR1); /* ignored: the test goes on */

    /* A handler of the program's: back after destroy, and it works. */
    signal(SIGUSR2, own_handler);
    w = tide_reactor_signal(r, SIGUSR2, count_signal, &got, NULL);
    CHECK(w != NULL);
    CHECK(disposition(SIGUSR2) != own_handler);
    tide_reactor_destroy(r);
    CHECK(disposition(SIGUSR2) == own_handler);
    kill(getpid(), SIGUSR2);
    CHECK_EQ(own_handler_ran, 1);

    /* Set while the watch is active: the caller's, kept by the cancel. */
    r = test_reactor(backend);
    signal(SIGUSR1, SIG_DFL);
    w = tide_reactor_signal(r, SIGUSR1, count_signal, &got, NULL);
    CHECK(w != NULL);
    signal(SIGUSR1, SIG_IGN);
    tide_reactor_cancel(r, w);
    CHECK(disposition(SIGUSR1) == SIG_IGN);
    CHECK_EQ(got, 0);
    tide_reactor_destroy(r);
}

REACTOR_TEST(watch_takes_a_blocked_signal_and_cancel_blocks_it_again)
{
    tide_reactor_t *r = test_reactor(backend);
    sigset_t one, cur;
    sigemptyset(&one);
    sigaddset(&one, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &one, NULL);
    kill(getpid(), SIGUSR1); /* pending: it waits for the watch */
    int got = 0;
    tide_op_t *w = tide_reactor_signal(r, SIGUSR1, count_signal, &got, NULL);
    CHECK(w != NULL);
    pthread_sigmask(SIG_SETMASK, NULL, &cur);
    CHECK(!sigismember(&cur, SIGUSR1));
    uint64_t guard = tide_timer_add(r, 5000, 0, on_deadline, "the pending signal");
    while (!got)
        tide_reactor_run(r, TIDE_RUN_ONCE);
    CHECK_EQ(got, 1);
    tide_timer_cancel(r, guard);
    tide_reactor_cancel(r, w);
    pthread_sigmask(SIG_SETMASK, NULL, &cur);
    CHECK(sigismember(&cur, SIGUSR1));
    tide_reactor_destroy(r);
}

REACTOR_TEST(one_watch_per_signal_in_a_process)
{
    tide_reactor_t *r = test_reactor(backend);
    tide_reactor_t *other = test_reactor(backend);
    int got = 0, err = 0;
    tide_op_t *w = tide_reactor_signal(r, SIGUSR1, count_signal, &got, &err);
    CHECK(w != NULL);
    CHECK(tide_reactor_signal(r, SIGUSR1, count_signal, &got, &err) == NULL);
    CHECK_EQ(err, -EBUSY);
    CHECK(tide_reactor_signal(other, SIGUSR1, count_signal, &got, &err) == NULL);
    CHECK_EQ(err, -EBUSY);
    CHECK(tide_reactor_signal(r, SIGSTOP, count_signal, &got, &err) == NULL);
    CHECK_EQ(err, -EINVAL);
    CHECK(tide_reactor_signal(r, 65, count_signal, &got, &err) == NULL);
    CHECK_EQ(err, -EINVAL);
    CHECK(tide_reactor_signal(r, 32, count_signal, &got, &err) == NULL); /* glibc's own */
    CHECK_EQ(err, -EINVAL);
    /* Once cancelled, the other reactor may have it. */
    tide_reactor_cancel(r, w);
    w = tide_reactor_signal(other, SIGUSR1, count_signal, &got, &err);
    CHECK(w != NULL);
    tide_reactor_destroy(other);
    tide_reactor_destroy(r);
}

/* ---- a watch on a signal the application blocked itself leaves it blocked ---- */

static void no_signal(tide_reactor_t *r, void *udata, int signo)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(udata);
    TIDE_UNUSED(signo);
}

REACTOR_TEST(signal_watch_restores_the_thread_mask_it_found)
{
    sigset_t set, cur;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    CHECK_EQ(pthread_sigmask(SIG_BLOCK, &set, NULL), 0); /* the application's own choice */
    tide_reactor_t *r = test_reactor(backend);
    tide_op_t *w = tide_reactor_signal(r, SIGUSR2, no_signal, NULL, NULL);
    CHECK(w != NULL);
    tide_reactor_cancel(r, w);
    tide_reactor_run(r, TIDE_RUN_NOWAIT);
    CHECK_EQ(pthread_sigmask(SIG_BLOCK, NULL, &cur), 0);
    CHECK(sigismember(&cur, SIGUSR2)); /* still blocked, as before the watch */
    tide_reactor_destroy(r);
}

/* SPDX-License-Identifier: MIT */
/*
 * Signal watches: a sigaction handler per watched signal; the signal is never blocked.
 *
 * Why not signalfd: it only sees signals that are blocked, and a blocked mask outlives
 * execve. Every process a server started later (exec, proc_open, popen; glibc's popen and
 * posix_spawn run no pthread_atfork handlers, so nothing could unblock it in between)
 * began with SIGTERM blocked and could not be stopped with it. A caught signal instead
 * goes back to SIG_DFL across execve, and the mask is left alone.
 *
 * The handler only marks the signal pending (an atomic flag) and writes to the watching
 * reactor's signal eventfd; the loop wakes up and calls the watch's callback on its own
 * thread. Signals of one number that arrive before the loop looks are one callback.
 *
 * Handlers and the table below are per process, so one signal number has at most one
 * watch in a process. A child forked without exec inherits the handler but not the watch
 * (the loop is the parent's): there the handler puts back the disposition that was there
 * before the watch and raises the signal again, as if no watch existed.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "reactor_int.h"
#include "tide/common.h"

#define NSIG_WATCH 65 /* signal numbers 1..64 */

/* One watched signal number. The handler reads pid, wake_fd, pending and prev; the rest is
 * the loop threads' (under table_lock). */
typedef struct sigslot {
    int pid;               /* the process whose watch this is; 0 when none */
    int wake_fd;           /* its reactor's signal eventfd */
    int pending;           /* set by the handler, taken by the loop */
    struct sigaction prev; /* the disposition the watch replaced */
    tide_reactor_t *owner;
    bool was_blocked; /* the watching thread had the signal blocked before the watch */
} sigslot_t;

static sigslot_t table[NSIG_WATCH];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

void tide__signal_atfork_child(void)
{
    pthread_mutex_init(&table_lock, NULL);
}

/* Async-signal-safe: getpid, sigaction, raise and write only; errno is kept. */
static void on_signal(int signo)
{
    int saved_errno = errno;
    sigslot_t *s = &table[signo];
    if (__atomic_load_n(&s->pid, __ATOMIC_ACQUIRE) != getpid()) {
        /* A child forked without exec (or a watch being taken down): the watch is not
         * ours. Act as the disposition before it would: the signal is blocked while this
         * handler runs, so the raised one is delivered under prev as soon as we return
         * (SIG_DFL: SIGTERM ends the child, SIGCHLD is ignored). Never touch the
         * parent's eventfd: that would wake the parent's loop. */
        sigaction(signo, &s->prev, NULL);
        raise(signo);
        errno = saved_errno;
        return;
    }
    __atomic_store_n(&s->pending, 1, __ATOMIC_RELEASE);
    int fd = __atomic_load_n(&s->wake_fd, __ATOMIC_ACQUIRE);
    if (fd >= 0) {
        uint64_t one = 1;
        /* EAGAIN: the counter is not zero, the loop has a wake-up coming anyway. */
        ssize_t n = write(fd, &one, sizeof(one));
        (void)n;
    }
    errno = saved_errno;
}

static bool is_our_handler(const struct sigaction *sa)
{
    return !(sa->sa_flags & SA_SIGINFO) && sa->sa_handler == on_signal;
}

/* The loop side: run the callbacks of the watches whose signal came. */
static void on_signal_event(tide_reactor_t *r, const char *data, ssize_t n)
{
    TIDE_UNUSED(data);
    if (n <= 0)
        return;
    for (int signo = 1; signo < NSIG_WATCH; signo++) {
        tide_op_t *w = r->signal_watch[signo];
        if (!w || __atomic_load_n(&table[signo].owner, __ATOMIC_RELAXED) != r)
            continue;
        if (!__atomic_exchange_n(&table[signo].pending, 0, __ATOMIC_ACQ_REL))
            continue;
        if (!(w->flags & OPF_CANCELED))
            w->cb.signal(r, w->udata, signo);
        if (TIDE_FORKED(r))
            return; /* the callback forked: the rest are the parent's to handle */
    }
}

/* The eventfd the handler wakes r with, made at the first watch. */
static int signal_eventfd(tide_reactor_t *r)
{
    if (r->signal_fd >= 0)
        return 0;
    int rc = 0;
    r->signal_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (r->signal_fd < 0)
        return -errno;
    r->signal_op = tide__start_internal_reader(r, r->signal_fd, on_signal_event, &rc);
    if (!r->signal_op) {
        close(r->signal_fd);
        r->signal_fd = -1;
        return rc;
    }
    return 0;
}

tide_op_t *tide_reactor_signal(tide_reactor_t *r, int signo, tide_signal_cb cb, void *udata,
                               int *err)
{
    int rc = 0;
    if (TIDE_FORKED(r)) {
        rc = TIDE_EFORKED; /* its eventfd is the parent's too: we would wake its loop */
        goto fail;
    }
    if (signo <= 0 || signo >= NSIG_WATCH || signo == SIGKILL || signo == SIGSTOP) {
        rc = -EINVAL;
        goto fail;
    }
    if (r->signal_watch[signo]) {
        rc = -EBUSY;
        goto fail;
    }
    rc = signal_eventfd(r);
    if (rc < 0)
        goto fail;

    pthread_mutex_lock(&table_lock);
    sigslot_t *s = &table[signo];
    pid_t self = getpid();
    if (s->owner && s->pid == self) {
        /* Another reactor of this process watches it: a process has one handler. */
        pthread_mutex_unlock(&table_lock);
        rc = -EBUSY;
        goto fail;
    }
    struct sigaction cur;
    if (sigaction(signo, NULL, &cur) < 0) {
        pthread_mutex_unlock(&table_lock);
        rc = -errno; /* glibc's reserved real-time signals (32, 33) */
        goto fail;
    }
    /* Our handler already there: a parent's watch this process inherited through fork.
     * What it replaced is what ours replaces. */
    if (!is_our_handler(&cur))
        s->prev = cur;
    __atomic_store_n(&s->owner, r, __ATOMIC_RELAXED);
    __atomic_store_n(&s->pending, 0, __ATOMIC_RELEASE);
    __atomic_store_n(&s->wake_fd, r->signal_fd, __ATOMIC_RELEASE);
    __atomic_store_n(&s->pid, (int)self, __ATOMIC_RELEASE);

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(signo, &sa, NULL) < 0) {
        rc = -errno;
        __atomic_store_n(&s->pid, 0, __ATOMIC_RELEASE);
        __atomic_store_n(&s->wake_fd, -1, __ATOMIC_RELEASE);
        __atomic_store_n(&s->owner, NULL, __ATOMIC_RELAXED);
        pthread_mutex_unlock(&table_lock);
        goto fail;
    }
    /* A watch receives its signal whatever the thread's mask was (as signalfd did): one
     * that was blocked is unblocked for this thread, and one already pending arrives now
     * (a worker forked with it blocked, so that none is lost before its watch exists). */
    sigset_t one, old;
    sigemptyset(&one);
    sigaddset(&one, signo);
    pthread_sigmask(SIG_UNBLOCK, &one, &old);
    s->was_blocked = sigismember(&old, signo) == 1;
    pthread_mutex_unlock(&table_lock);

    tide_op_t *op = tide__op_new(r, OP_SIGNAL, -1, udata);
    op->cb.signal = cb;
    op->signo = signo;
    r->signal_watch[signo] = op;
    r->refs++;
    return op;
fail:
    if (err)
        *err = rc;
    return NULL;
}

/* Puts signo back as it was before r's watch, if the watch still holds the slot. */
static void release(tide_reactor_t *r, int signo)
{
    pthread_mutex_lock(&table_lock);
    sigslot_t *s = &table[signo];
    if (s->owner == r) {
        /* A disposition set since (signal(SIGTERM, SIG_IGN) before the cancel, so that a
         * late SIGTERM is ignored) is the caller's and stays. Otherwise the one before the
         * watch comes back, before the slot is cleared: a signal in between finds the slot
         * no longer ours and acts as prev too. In a forked child this takes down the
         * parent's watch in the child only. */
        struct sigaction cur;
        if (sigaction(signo, NULL, &cur) == 0 && is_our_handler(&cur))
            sigaction(signo, &s->prev, NULL);
        __atomic_store_n(&s->pid, 0, __ATOMIC_RELEASE);
        __atomic_store_n(&s->wake_fd, -1, __ATOMIC_RELEASE);
        __atomic_store_n(&s->pending, 0, __ATOMIC_RELEASE);
        __atomic_store_n(&s->owner, NULL, __ATOMIC_RELAXED);
        if (s->was_blocked) {
            sigset_t one;
            sigemptyset(&one);
            sigaddset(&one, signo);
            pthread_sigmask(SIG_BLOCK, &one, NULL);
        }
    }
    pthread_mutex_unlock(&table_lock);
}

void tide__signal_cancel(tide_reactor_t *r, tide_op_t *op)
{
    r->signal_watch[op->signo] = NULL;
    release(r, op->signo);
    tide__op_garbage(r, op);
}

void tide__signal_release_all(tide_reactor_t *r)
{
    for (int signo = 1; signo < NSIG_WATCH; signo++)
        if (r->signal_watch[signo]) {
            r->signal_watch[signo] = NULL;
            release(r, signo);
        }
}

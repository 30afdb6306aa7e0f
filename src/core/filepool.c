/* SPDX-License-Identifier: MIT */
/*
 The helper threads of a reactor. The epoll backend's file ops run here: epoll cannot
 * wait for a regular file (it is always "ready", and a read that misses the page cache
 * blocks). So does the work of both backends (tide_reactor_work: getaddrinfo and the like,
 * which no ring op does). At most POOL_THREADS per reactor, started when the first op comes
 * and when every started one is busy (a slow source does not hold up the ops behind it). A
 * finished op is queued for the loop and an eventfd wakes it; the callback runs on the
 * loop thread.
 *
 * The helpers block every signal: a signal meant for the process (a watch's, or a
 * terminal's) must reach the loop thread or a thread of the program's, never a helper.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "reactor_int.h"
#include "tide/common.h"

#define POOL_THREADS 64
#define POOL_STACK (512 * 1024) /* getaddrinfo's NSS modules want room; so do sanitizers */

/* Owned by its reactor (r->filepool); lives until tide__filepool_destroy. The lock guards
 * everything but event_fd and event_op, which are the loop thread's. */
struct tide_filepool {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    tide_op_t *queue_head, *queue_tail; /* waiting for a helper (linked by op->next) */
    size_t queued;
    tide_op_t *done_head, *done_tail;   /* finished, result in op->res, for the loop */
    pthread_t threads[POOL_THREADS];
    int nthreads;
    int idle; /* helpers waiting for work */
    bool stopping;
    int event_fd;
    tide_op_t *event_op;
};

static ssize_t do_op(const tide_op_t *op)
{
    for (;;) {
        ssize_t n;
        bool at_pos = op->file_off == TIDE_FILE_POS;
        switch (op->file_kind) {
        case FILE_READ:
            n = at_pos ? -1 : pread(op->fd, op->file_buf, op->file_len, (off_t)op->file_off);
            if (at_pos || (n < 0 && errno == ESPIPE)) /* a pipe or FIFO: no offset */
                n = read(op->fd, op->file_buf, op->file_len);
            break;
        case FILE_WRITE:
            n = at_pos ? -1 : pwrite(op->fd, op->file_buf, op->file_len, (off_t)op->file_off);
            if (at_pos || (n < 0 && errno == ESPIPE))
                n = write(op->fd, op->file_buf, op->file_len);
            break;
        case FILE_FSYNC:
            n = fsync(op->fd);
            break;
        case FILE_FDATASYNC:
            n = fdatasync(op->fd);
            break;
        default:
            return -EINVAL;
        }
        if (n >= 0)
            return n;
        if (errno != EINTR)
            return -errno;
    }
}

static void *helper_main(void *arg)
{
    tide_filepool_t *p = arg;
    pthread_setname_np(pthread_self(), "tide-file");
    /* Cancellable only inside a file op (see tide__filepool_destroy), never with the lock. */
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->queue_head && !p->stopping) {
            p->idle++;
            pthread_cond_wait(&p->cond, &p->lock);
            p->idle--;
        }
        if (p->stopping)
            break; /* what is still queued is dropped by tide__filepool_destroy */
        tide_op_t *op = p->queue_head;
        p->queue_head = op->next;
        if (!p->queue_head)
            p->queue_tail = NULL;
        p->queued--;
        pthread_mutex_unlock(&p->lock);

        /* The op and its buffer stay valid: the loop does not touch a queued op, and
         * destroy joins us before it frees anything. A file op may be cancelled (see
         * tide__filepool_destroy); a work is not (it may hold a lock of libc's). */
        ssize_t res;
        if (op->file_kind == FILE_WORK) {
            res = op->work(op->file_buf);
        } else {
            pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
            res = do_op(op);
            pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
        }

        pthread_mutex_lock(&p->lock);
        op->res = res;
        op->next = NULL;
        bool was_empty = !p->done_head;
        if (p->done_tail)
            p->done_tail->next = op;
        else
            p->done_head = op;
        p->done_tail = op;
        if (was_empty) {
            /* One wake-up per batch: the loop takes the whole list. */
            uint64_t one = 1;
            ssize_t w = write(p->event_fd, &one, sizeof(one));
            (void)w; /* EAGAIN: a wake-up is pending anyway */
        }
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* The loop side: call back for every finished read. */
static void on_done(tide_reactor_t *r, const char *data, ssize_t n)
{
    TIDE_UNUSED(data);
    tide_filepool_t *p = r->filepool;
    if (n <= 0 || !p)
        return;
    pthread_mutex_lock(&p->lock);
    tide_op_t *op = p->done_head;
    p->done_head = p->done_tail = NULL;
    pthread_mutex_unlock(&p->lock);
    while (op) {
        tide_op_t *next = op->next;
        tide__file_done(r, op, op->res);
        if (TIDE_FORKED(r))
            return; /* a callback forked: the rest are the parent's */
        op = next;
    }
}

static tide_filepool_t *pool_get(tide_reactor_t *r, int *err)
{
    if (r->filepool)
        return r->filepool;
    tide_filepool_t *p = tide_calloc(1, sizeof(*p));
    p->event_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (p->event_fd < 0) {
        *err = -errno;
        tide_free(p);
        return NULL;
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->cond, NULL);
    r->filepool = p;
    p->event_op = tide__start_internal_reader(r, p->event_fd, on_done, err);
    if (!p->event_op) {
        r->filepool = NULL;
        close(p->event_fd);
        pthread_mutex_destroy(&p->lock);
        pthread_cond_destroy(&p->cond);
        tide_free(p);
        return NULL;
    }
    return p;
}

/* Starts a helper with every signal blocked (it inherits the mask it is created with, so
 * there is no moment at which it could take one). Under p->lock. */
static int start_helper(tide_filepool_t *p)
{
    sigset_t all, old;
    pthread_attr_t attr;
    sigfillset(&all);
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, POOL_STACK);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&p->threads[p->nthreads], &attr, helper_main, p);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    if (rc != 0)
        return -rc;
    p->nthreads++;
    return 0;
}

int tide__filepool_submit(tide_reactor_t *r, tide_op_t *op)
{
    int rc = 0;
    tide_filepool_t *p = pool_get(r, &rc);
    if (!p)
        return rc;
    pthread_mutex_lock(&p->lock);
    op->next = NULL;
    if (p->queue_tail)
        p->queue_tail->next = op;
    else
        p->queue_head = op;
    p->queue_tail = op;
    p->queued++;
    if (p->queued > (size_t)p->idle && p->nthreads < POOL_THREADS) {
        rc = start_helper(p);
        if (rc < 0 && p->nthreads > 0)
            rc = 0; /* the helpers there are will get to it */
    }
    if (rc < 0) {
        /* No helper at all: take the read back. It was the only one queued. */
        p->queue_head = p->queue_tail = NULL;
        p->queued = 0;
    } else {
        pthread_cond_signal(&p->cond);
    }
    pthread_mutex_unlock(&p->lock);
    return rc;
}

void tide__filepool_destroy(tide_reactor_t *r)
{
    tide_filepool_t *p = r->filepool;
    if (!p)
        return;
    r->filepool = NULL;
    if (!TIDE_FORKED(r)) {
        /* Reads in progress write into their callers' buffers: they must be over before we
         * return. Queued ones never start. A read of a regular file ends soon anyway; one
         * of a pipe or FIFO may wait for a writer forever, so the helpers are cancelled:
         * that interrupts a read that waits, and acts on one from disk when it returns
         * (as io_uring's cancel does). No callbacks; the reactor frees the ops. */
        pthread_mutex_lock(&p->lock);
        p->stopping = true;
        pthread_cond_broadcast(&p->cond);
        pthread_mutex_unlock(&p->lock);
        for (int i = 0; i < p->nthreads; i++)
            pthread_cancel(p->threads[i]);
        for (int i = 0; i < p->nthreads; i++)
            pthread_join(p->threads[i], NULL);
        pthread_mutex_destroy(&p->lock);
        pthread_cond_destroy(&p->cond);
    }
    /* In a forked child the helpers do not exist (fork copies only the calling thread) and
     * the lock may have been copied held: leave both alone, free the memory. */
    close(p->event_fd);
    tide_free(p);
}

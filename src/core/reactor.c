/* SPDX-License-Identifier: MIT */
/*
 * The backend-independent half of the reactor: backend selection, the fd table with its
 * ordered write queues, timers, the wake-up eventfd and the loop itself. Signal watches are
 * in signal.c, the helper threads (file ops on epoll, work) in filepool.c.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "reactor_int.h"
#include "tide/common.h"
#include "tide/log.h"

#define NS_PER_MS 1000000ull

unsigned tide__fork_gen;
static uint64_t next_timer_id; /* process-wide: ids stay unique across reactors */

static void on_fork_child(void)
{
    tide__fork_gen++;
    tide__signal_atfork_child();
}

static void register_atfork(void)
{
    pthread_atfork(NULL, NULL, on_fork_child);
}

bool tide_reactor_forked(const tide_reactor_t *r)
{
    return TIDE_FORKED(r);
}

int tide_backend_parse(const char *name, tide_backend_t *out)
{
    if (!strcmp(name, "auto") || !strcmp(name, ""))
        *out = TIDE_BACKEND_AUTO;
    else if (!strcmp(name, "io_uring") || !strcmp(name, "uring"))
        *out = TIDE_BACKEND_URING;
    else if (!strcmp(name, "epoll"))
        *out = TIDE_BACKEND_EPOLL;
    else
        return TIDE_EBACKEND;
    return 0;
}

const char *tide_backend_name(tide_backend_t b)
{
    switch (b) {
    case TIDE_BACKEND_URING:
        return "io_uring";
    case TIDE_BACKEND_EPOLL:
        return "epoll";
    default:
        return "auto";
    }
}

uint64_t tide_time_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t tide_unix_time(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec;
}

void tide_reactor_submit(tide_reactor_t *r)
{
    if (r->ops->submit)
        r->ops->submit(r);
}

uint64_t tide_unix_time_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint64_t tide_reactor_now(const tide_reactor_t *r)
{
    return r->now;
}

tide_backend_t tide_reactor_backend(const tide_reactor_t *r)
{
    return r->backend;
}

const tide_reactor_features_t *tide_reactor_features(const tide_reactor_t *r)
{
    return &r->features;
}

/* ---- ops ---- */

tide_op_t *tide__op_new(tide_reactor_t *r, int kind, int fd, void *udata)
{
    tide_op_t *op = tide_calloc(1, sizeof(*op));
    op->backoff.node.index = SIZE_MAX; /* not armed */
    op->r = r;
    op->kind = (uint8_t)kind;
    op->fd = fd;
    op->udata = udata;
    op->all_next = r->all_ops;
    if (r->all_ops)
        r->all_ops->all_prev = op;
    r->all_ops = op;
    return op;
}

void tide__op_free(tide_op_t *op)
{
    tide_reactor_t *r = op->r;
    tide_timer_stop(r, &op->backoff);
    if (op->all_prev)
        op->all_prev->all_next = op->all_next;
    else
        r->all_ops = op->all_next;
    if (op->all_next)
        op->all_next->all_prev = op->all_prev;
    tide_free(op->iov_alloc);
    tide_free(op->buf);
    tide_free(op);
}

void tide__op_garbage(tide_reactor_t *r, tide_op_t *op)
{
    op->next = r->garbage;
    r->garbage = op;
}

static void collect_garbage(tide_reactor_t *r)
{
    while (r->garbage) {
        tide_op_t *op = r->garbage;
        r->garbage = op->next;
        tide__op_free(op);
    }
}

/* Drops the loop reference an op holds, once. */
static void op_unref(tide_reactor_t *r, tide_op_t *op)
{
    if (!(op->flags & OPF_UNREF)) {
        op->flags |= OPF_UNREF;
        r->refs--;
    }
}

tide_fdent_t *tide__fdent(tide_reactor_t *r, int fd)
{
    if (fd >= r->nfds) {
        int n = r->nfds ? r->nfds : 64;
        while (n <= fd)
            n *= 2;
        r->fds = tide_realloc(r->fds, (size_t)n * sizeof(*r->fds));
        memset(r->fds + r->nfds, 0, (size_t)(n - r->nfds) * sizeof(*r->fds));
        r->nfds = n;
    }
    return &r->fds[fd];
}

/* ---- readers ---- */

static void drop_stash(tide_fdent_t *e);
static bool same_file(const uint64_t a[2], const uint64_t b[2]);

static tide_op_t *start_reader(tide_reactor_t *r, int kind, int fd, void *cb, void *udata,
                               uint16_t flags, int *err)
{
    int rc;
    if (fd < 0) {
        rc = -EBADF;
        goto fail;
    }
    if (tide__fdent(r, fd)->reader) {
        rc = -EBUSY;
        goto fail;
    }
    tide_op_t *op = tide__op_new(r, kind, fd, udata);
    op->flags |= flags;
    if (kind == OP_ACCEPT)
        op->cb.accept = (tide_accept_cb)cb;
    else if (kind == OP_READ)
        op->cb.read = (tide__read_cb)cb;
    else if (kind == OP_POLL)
        op->cb.poll = (tide_poll_cb)cb;
    else
        op->cb.recv = (tide_recv_cb)cb;
    if (kind == OP_RECV) {
        struct stat st;
        if (fstat(fd, &st) == 0) {
            op->file_id[0] = (uint64_t)st.st_dev;
            op->file_id[1] = (uint64_t)st.st_ino;
        }
        tide_fdent_t *e = tide__fdent(r, fd);
        if (e->stash && !same_file(e->stash_file, op->file_id))
            drop_stash(e); /* left by a socket that was closed without tide_reactor_close */
    }
    if (kind == OP_RECV && tide__fdent(r, fd)->stash) {
        /* Bytes left by a cancelled reader come first; the kernel op starts after them. */
        op->ready_next = NULL;
        if (r->ready_tail)
            r->ready_tail->ready_next = op;
        else
            r->ready_head = op;
        r->ready_tail = op;
        rc = 0;
    } else {
        rc = r->ops->start_reader(r, op);
    }
    if (rc < 0) {
        tide__op_free(op);
        goto fail;
    }
    tide__fdent(r, fd)->reader = op;
    r->refs++;
    return op;
fail:
    if (err)
        *err = rc;
    return NULL;
}

tide_op_t *tide_reactor_accept(tide_reactor_t *r, int lfd, tide_accept_cb cb, void *udata,
                               int *err)
{
    return start_reader(r, OP_ACCEPT, lfd, (void *)cb, udata, 0, err);
}

tide_op_t *tide_reactor_recv(tide_reactor_t *r, int fd, tide_recv_cb cb, void *udata, int *err)
{
    return start_reader(r, OP_RECV, fd, (void *)cb, udata, 0, err);
}

tide_op_t *tide_reactor_poll(tide_reactor_t *r, int fd, tide_poll_cb cb, void *udata, int *err)
{
    return start_reader(r, OP_POLL, fd, (void *)cb, udata, 0, err);
}

tide_op_t *tide_reactor_poll_out(tide_reactor_t *r, int fd, tide_poll_cb cb, void *udata,
                                 int *err)
{
    return start_reader(r, OP_POLL, fd, (void *)cb, udata, OPF_POLLOUT, err);
}

tide_op_t *tide__start_internal_reader(tide_reactor_t *r, int fd, tide__read_cb cb, int *err)
{
    tide_op_t *op = start_reader(r, OP_READ, fd, (void *)cb, NULL, 0, err);
    if (op)
        op_unref(r, op);
    return op;
}

void tide__reader_ended(tide_reactor_t *r, tide_op_t *op)
{
    tide_fdent_t *e = tide__fdent(r, op->fd);
    if (e->reader == op)
        e->reader = NULL;
    op->flags |= OPF_ENDED;
    op_unref(r, op);
}

void tide_reactor_cancel(tide_reactor_t *r, tide_op_t *op)
{
    if (op->flags & (OPF_CANCELED | OPF_ENDED))
        return;
    op->flags |= OPF_CANCELED;
    op_unref(r, op);
    if (op->kind == OP_SIGNAL) {
        tide__signal_cancel(r, op);
        return;
    }
    if (op->flags & OPF_STOPPING) {
        /* Already off its fd, with its end on the way: the ready list (OPF_READY), the
         * cancel sent to the kernel, or the CQE being handled now frees it; fds accepted
         * from here on are closed there. */
        return;
    }
    tide_fdent_t *e = tide__fdent(r, op->fd);
    if (e->reader == op)
        e->reader = NULL;
    r->ops->cancel_reader(r, op);
}

void tide_reactor_unref(tide_reactor_t *r, tide_op_t *op)
{
    op_unref(r, op);
}

void tide_reactor_ref(tide_reactor_t *r, tide_op_t *op)
{
    if ((op->flags & OPF_UNREF) && !(op->flags & (OPF_CANCELED | OPF_ENDED))) {
        op->flags &= ~OPF_UNREF;
        r->refs++;
    }
}

void tide_reactor_accept_stop(tide_reactor_t *r, tide_op_t *op)
{
    if (op->flags & (OPF_CANCELED | OPF_ENDED | OPF_STOPPING))
        return;
    if (TIDE_FORKED(r))
        return; /* a child's copy: the ring and the epoll set are the parent's */
    if (op->kind != OP_ACCEPT) {
        TIDE_ASSERT(!"tide_reactor_accept_stop() is for accept watches");
        tide_reactor_cancel(r, op);
        return;
    }
    op->flags |= OPF_STOPPING;
    /* Off its fd at once: the caller may close the listener or give it a new reader. The
     * op keeps its loop reference until its -ECANCELED has been delivered. */
    tide_fdent_t *e = tide__fdent(r, op->fd);
    if (e->reader == op)
        e->reader = NULL;
    r->ops->stop_reader(r, op);
}

void tide__accept_end(tide_reactor_t *r, tide_op_t *op)
{
    op->flags &= ~OPF_READY;
    if (op->flags & OPF_CANCELED) {
        tide__op_garbage(r, op);
        return;
    }
    op->flags |= OPF_ENDED; /* a cancel from inside the callback does nothing */
    op_unref(r, op);
    op->cb.accept(r, op->udata, -ECANCELED);
    tide__op_garbage(r, op);
}

void tide__accept_end_later(tide_reactor_t *r, tide_op_t *op)
{
    op->flags |= OPF_READY;
    tide__complete_later(r, op, -ECANCELED);
}

/* ---- file reads, writes and syncs; work for the helper threads ---- */

/* Linux never reads more than this in one read(2) (MAX_RW_COUNT); io_uring takes a u32. */
#define FILE_READ_MAX 0x7ffff000u

static int file_op(tide_reactor_t *r, int kind, int fd, void *buf, size_t len, uint64_t offset,
                   tide_work_fn work, tide_done_cb cb, void *udata)
{
    if (TIDE_FORKED(r))
        return TIDE_EFORKED; /* the kernel objects and helper threads are the parent's */
    tide_op_t *op = tide__op_new(r, OP_FILE, fd, udata);
    op->cb.done = cb;
    op->file_kind = (uint8_t)kind;
    op->file_buf = buf;
    op->file_len = len < FILE_READ_MAX ? len : FILE_READ_MAX;
    op->file_off = offset;
    op->work = work;
    r->refs++;
    int rc = kind == FILE_WORK ? tide__filepool_submit(r, op) : r->ops->file_op(r, op);
    if (rc < 0) {
        r->refs--;
        tide__op_free(op);
    }
    return rc;
}

int tide_reactor_read_file(tide_reactor_t *r, int fd, void *buf, size_t len, uint64_t offset,
                           tide_done_cb cb, void *udata)
{
    if (fd < 0)
        return -EBADF;
    if (offset > (uint64_t)INT64_MAX && offset != TIDE_FILE_POS)
        return -EINVAL;
    return file_op(r, FILE_READ, fd, buf, len, offset, NULL, cb, udata);
}

int tide_reactor_write_file(tide_reactor_t *r, int fd, const void *buf, size_t len,
                            uint64_t offset, tide_done_cb cb, void *udata)
{
    if (fd < 0)
        return -EBADF;
    if (offset > (uint64_t)INT64_MAX && offset != TIDE_FILE_POS)
        return -EINVAL;
    return file_op(r, FILE_WRITE, fd, (void *)buf, len, offset, NULL, cb, udata);
}

int tide_reactor_fsync(tide_reactor_t *r, int fd, bool datasync, tide_done_cb cb, void *udata)
{
    if (fd < 0)
        return -EBADF;
    return file_op(r, datasync ? FILE_FDATASYNC : FILE_FSYNC, fd, NULL, 0, 0, NULL, cb, udata);
}

int tide_reactor_work(tide_reactor_t *r, tide_work_fn fn, void *arg, tide_done_cb cb,
                      void *udata)
{
    if (!fn)
        return -EINVAL;
    return file_op(r, FILE_WORK, -1, arg, 0, 0, fn, cb, udata);
}

void tide__file_done(tide_reactor_t *r, tide_op_t *op, ssize_t res)
{
    op_unref(r, op);
    if (op->cb.done)
        op->cb.done(r, op->udata, res);
    tide__op_free(op);
}


/* ---- writes ---- */

static int queue_write(tide_reactor_t *r, tide_op_t *op)
{
    tide_fdent_t *e = tide__fdent(r, op->fd);
    r->refs++;
    if (e->wq_tail) {
        e->wq_tail->next = op;
        e->wq_tail = op;
        return 0;
    }
    e->wq_head = e->wq_tail = op;
    r->ops->start_write(r, op);
    return 0;
}

int tide_reactor_writev(tide_reactor_t *r, int fd, const struct iovec *iov, int iovcnt,
                        tide_done_cb cb, void *udata)
{
    if (fd < 0)
        return -EBADF;
    if (iovcnt <= 0 || iovcnt > IOV_MAX)
        return -EINVAL;
    tide_op_t *op = tide__op_new(r, OP_SEND, fd, udata);
    op->cb.done = cb;
    if (iovcnt <= 2)
        op->iov = op->iov_small;
    else
        op->iov = op->iov_alloc = tide_malloc((size_t)iovcnt * sizeof(*iov));
    memcpy(op->iov, iov, (size_t)iovcnt * sizeof(*iov));
    op->iovcnt = iovcnt;
    return queue_write(r, op);
}

int tide_reactor_send(tide_reactor_t *r, int fd, const void *buf, size_t len, tide_done_cb cb,
                      void *udata)
{
    struct iovec iov = {(void *)buf, len};
    return tide_reactor_writev(r, fd, &iov, 1, cb, udata);
}

int tide_reactor_close(tide_reactor_t *r, int fd, tide_done_cb cb, void *udata)
{
    if (fd < 0)
        return -EBADF;
    tide_fdent_t *e = tide__fdent(r, fd);
    if (e->reader) {
        /* Its last CQE may come after the number was reused: nothing may be kept for it. */
        e->reader->flags |= OPF_NOSTASH;
        tide_reactor_cancel(r, e->reader);
    }
    tide_op_t *op = tide__op_new(r, OP_CLOSE, fd, udata);
    op->cb.done = cb;
    return queue_write(r, op);
}

/* Advances op's iovec past n written bytes; true when nothing is left. */
bool tide__iov_advance(tide_op_t *op, size_t n)
{
    op->written += n;
    while (op->iovcnt > 0 && n >= op->iov[0].iov_len) {
        n -= op->iov[0].iov_len;
        op->iov++;
        op->iovcnt--;
    }
    if (op->iovcnt > 0) {
        op->iov[0].iov_base = (char *)op->iov[0].iov_base + n;
        op->iov[0].iov_len -= n;
    }
    /* Zero-length entries left at the end do not need a system call. */
    while (op->iovcnt > 0 && op->iov[0].iov_len == 0) {
        op->iov++;
        op->iovcnt--;
    }
    return op->iovcnt == 0;
}

void tide__write_done(tide_reactor_t *r, tide_op_t *op, ssize_t res)
{
    tide_fdent_t *e = tide__fdent(r, op->fd);
    TIDE_ASSERT(e->wq_head == op);
    tide_op_t *next = op->next;
    e->wq_head = next;
    if (!next)
        e->wq_tail = NULL;
    if (op->kind == OP_CLOSE) {
        /* The number may be handed out again at once: forget what the old file had.
         * (Not ep_events: epoll resets it when it closes, and by now the number may
         * belong to a new socket that is in the epoll set.) */
        drop_stash(e);
    }
    r->refs--;
    /* Start the next write before calling back, so a write queued by the callback
     * lands behind it rather than being started twice. */
    if (next)
        r->ops->start_write(r, next);
    if (op->cb.done)
        op->cb.done(r, op->udata, res < 0 ? res : (ssize_t)op->written);
    tide__op_free(op);
}

#define ACCEPT_BACKOFF_NS (100 * 1000000ull)

static void on_backoff_over(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(id);
    tide_op_t *op = udata;
    op->flags &= ~OPF_BACKOFF;
    if (!(op->flags & OPF_CANCELED) && r->ops->start_reader(r, op) < 0)
        tide__accept_backoff(r, op); /* still nothing to be done: wait again */
}

void tide__accept_backoff(tide_reactor_t *r, tide_op_t *op)
{
    op->flags |= OPF_BACKOFF;
    if (!tide_timer_armed(&op->backoff))
        tide_timer_start(r, &op->backoff, ACCEPT_BACKOFF_NS, on_backoff_over, op);
}

void tide__accept_backoff_stop(tide_reactor_t *r, tide_op_t *op)
{
    tide_timer_stop(r, &op->backoff);
    op->flags &= ~OPF_BACKOFF;
}

void tide__complete_later(tide_reactor_t *r, tide_op_t *op, ssize_t res)
{
    op->res = res;
    op->ready_next = NULL;
    if (r->ready_tail)
        r->ready_tail->ready_next = op;
    else
        r->ready_head = op;
    r->ready_tail = op;
}

static bool same_file(const uint64_t a[2], const uint64_t b[2])
{
    return a[0] == b[0] && a[1] == b[1];
}

void tide__stash(tide_reactor_t *r, tide_op_t *op, const char *data, size_t n)
{
    tide_fdent_t *e = tide__fdent(r, op->fd);
    tide_op_t *next = e->reader;
    if (next && next->kind == OP_RECV && !same_file(next->file_id, op->file_id))
        return; /* the number was closed behind our back and means another socket now */
    if (next && next->kind == OP_RECV && (next->flags & OPF_INFLIGHT)) {
        /* A new reader is already armed: the kernel gives it only bytes that come after
         * these (its op was queued behind the cancel), so they are its next ones. */
        next->cb.recv(r, next->udata, data, (ssize_t)n);
        return;
    }
    if (e->stash && !same_file(e->stash_file, op->file_id))
        drop_stash(e);
    e->stash_file[0] = op->file_id[0];
    e->stash_file[1] = op->file_id[1];
    e->stash = tide_realloc(e->stash, e->stash_len + n);
    memcpy(e->stash + e->stash_len, data, n);
    e->stash_len += n;
}

static void drop_stash(tide_fdent_t *e)
{
    tide_free(e->stash);
    e->stash = NULL;
    e->stash_len = 0;
}

/* A new reader on an fd with stashed bytes: deliver them, then start the kernel op. */
static void deliver_stash(tide_reactor_t *r, tide_op_t *op)
{
    tide_fdent_t *e = tide__fdent(r, op->fd);
    if (op->flags & OPF_CANCELED) {
        tide__op_garbage(r, op);
        return;
    }
    char *data = e->stash;
    size_t n = e->stash_len;
    e->stash = NULL;
    e->stash_len = 0;
    if (data) {
        op->cb.recv(r, op->udata, data, (ssize_t)n);
        tide_free(data);
    }
    if (op->flags & OPF_CANCELED) {
        tide__op_garbage(r, op);
        return;
    }
    int rc = r->ops->start_reader(r, op);
    if (rc < 0) {
        tide__reader_ended(r, op);
        op->cb.recv(r, op->udata, NULL, rc);
        tide__op_garbage(r, op);
    }
}

static void run_ready(tide_reactor_t *r)
{
    /* Only what is ready now: writes completed by these callbacks wait for the next turn. */
    tide_op_t *op = r->ready_head;
    r->ready_head = r->ready_tail = NULL;
    while (op) {
        tide_op_t *next = op->ready_next;
        if (op->kind == OP_RECV)
            deliver_stash(r, op);
        else if (op->kind == OP_ACCEPT)
            tide__accept_end(r, op);
        else
            tide__write_done(r, op, op->res);
        op = next;
    }
}

/* ---- wake-up ---- */

static void on_wakefd(tide_reactor_t *r, const char *data, ssize_t n)
{
    TIDE_UNUSED(data);
    if (n > 0 && r->wake_cb)
        r->wake_cb(r, r->wake_udata);
}

void tide_reactor_on_wake(tide_reactor_t *r, tide_wake_cb cb, void *udata)
{
    r->wake_cb = cb;
    r->wake_udata = udata;
}

void tide_reactor_wake(tide_reactor_t *r)
{
    uint64_t one = 1;
    /* EAGAIN means the counter is already non-zero: a wake is pending anyway. */
    while (write(r->wake_fd, &one, sizeof(one)) < 0 && errno == EINTR)
        ;
}

/* ---- timers ---- */

uint64_t tide_timer_add(tide_reactor_t *r, uint64_t ms, uint64_t interval_ms, tide_timer_cb cb,
                        void *udata)
{
    return tide_timer_add_ns(r, ms * NS_PER_MS, interval_ms * NS_PER_MS, cb, udata);
}

uint64_t tide_timer_add_ns(tide_reactor_t *r, uint64_t ns, uint64_t interval_ns,
                           tide_timer_cb cb, void *udata)
{
    tide_timer_t *t = tide_calloc(1, sizeof(*t));
    t->id = __atomic_add_fetch(&next_timer_id, 1, __ATOMIC_RELAXED);
    t->interval_ns = interval_ns;
    t->cb = cb;
    t->udata = udata;
    /* A fresh clock, not the loop's cached one: after() following a long computation in
     * the same turn still waits the full delay. */
    t->node.key = tide_time_ns() + ns;
    tide_heap_push(&r->timers, &t->node);
    tide_idmap_put(&r->timer_ids, t->id, t);
    r->timer_refs++;
    return t->id;
}

void tide_timer_start(tide_reactor_t *r, tide_timer_t *t, uint64_t ns, tide_timer_cb cb,
                      void *udata)
{
    t->id = 0;
    t->interval_ns = 0;
    t->cb = cb;
    t->udata = udata;
    t->unref = false;
    t->cancelled = false;
    t->node.key = tide_time_ns() + ns;
    tide_heap_push(&r->timers, &t->node);
    r->timer_refs++;
}

bool tide_timer_stop(tide_reactor_t *r, tide_timer_t *t)
{
    if (!tide_timer_armed(t))
        return false;
    tide_heap_remove(&r->timers, &t->node);
    r->timer_refs--;
    return true;
}

static void timer_release(tide_reactor_t *r, tide_timer_t *t)
{
    if (!t->unref)
        r->timer_refs--;
    t->unref = true;
}

bool tide_timer_cancel(tide_reactor_t *r, uint64_t id)
{
    tide_timer_t *t = tide_idmap_del(&r->timer_ids, id);
    if (!t)
        return false;
    timer_release(r, t);
    if (t == r->running_timer) {
        t->cancelled = true; /* run_timers frees it when the callback returns */
        return true;
    }
    tide_heap_remove(&r->timers, &t->node);
    tide_free(t);
    return true;
}

void tide_timer_unref(tide_reactor_t *r, uint64_t id)
{
    tide_timer_t *t = tide_idmap_get(&r->timer_ids, id);
    if (t)
        timer_release(r, t);
}

bool tide_timer_info(const tide_reactor_t *r, uint64_t id, tide_timer_info_t *out)
{
    const tide_timer_t *t = tide_idmap_get(&r->timer_ids, id);
    if (!t)
        return false;
    uint64_t now = tide_time_ns();
    out->interval_ms = t->interval_ns / NS_PER_MS;
    out->remaining_ns = t->node.key > now ? t->node.key - now : 0;
    out->exec_count = t->exec_count;
    out->udata = t->udata;
    return true;
}

size_t tide_timer_count(const tide_reactor_t *r)
{
    return r->timer_ids.len;
}

static void run_timers(tide_reactor_t *r)
{
    /* Timers added by the callbacks below wait for the next turn, even with delay 0. */
    uint64_t seq_limit = r->timers.next_seq;
    tide_heap_node_t *top;

    while (!r->stop && !TIDE_FORKED(r) && (top = tide_heap_top(&r->timers)) && top->key <= r->now &&
           top->seq < seq_limit) {
        tide_timer_t *t = (tide_timer_t *)top;
        tide_heap_pop(&r->timers);
        t->exec_count++;
        if (!t->id) {
            /* Embedded: the owner's memory; disarmed (popped) before its callback. */
            r->timer_refs--;
            t->cb(r, t->udata, 0);
            continue;
        }
        if (!t->interval_ns) {
            tide_idmap_del(&r->timer_ids, t->id);
            timer_release(r, t);
            t->cb(r, t->udata, t->id);
            tide_free(t);
            continue;
        }
        /* Keep the rhythm, but never try to catch up on missed runs in a burst. The next
         * deadline is set before the callback, so info() from inside it sees it. */
        t->node.key += t->interval_ns;
        if (t->node.key <= r->now)
            t->node.key = r->now + t->interval_ns;
        r->running_timer = t;
        t->cb(r, t->udata, t->id);
        r->running_timer = NULL;
        if (t->cancelled) {
            tide_free(t);
            continue;
        }
        tide_heap_push(&r->timers, &t->node);
    }
}

/* ---- lifecycle ---- */

static int backend_init(tide_reactor_t *r, const tide_backend_ops_t *ops, tide_backend_t b,
                        char *why, size_t why_len)
{
    r->ops = ops;
    r->backend = b;
    memset(&r->features, 0, sizeof(r->features));
    return ops->init(r, why, why_len);
}

int tide_reactor_create(tide_reactor_t **out, const tide_reactor_opts_t *opts, char *why,
                        size_t why_len)
{
    static bool fallback_logged;
    tide_reactor_opts_t defaults = {TIDE_BACKEND_AUTO, 0};
    char reason[256] = "";
    int rc;

    static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;
    pthread_once(&atfork_once, register_atfork);
    if (!opts)
        opts = &defaults;
    tide_reactor_t *r = tide_calloc(1, sizeof(*r));
    r->fork_gen = tide__fork_gen;
    r->wake_fd = r->signal_fd = -1;
    tide_heap_init(&r->timers);
    tide_idmap_init(&r->timer_ids);
    r->entries = opts->entries ? opts->entries : 256;

    if (opts->backend == TIDE_BACKEND_EPOLL) {
        rc = backend_init(r, &tide__epoll_ops, TIDE_BACKEND_EPOLL, reason, sizeof(reason));
    } else {
        rc = backend_init(r, &tide__uring_ops, TIDE_BACKEND_URING, reason, sizeof(reason));
        if (rc < 0 && opts->backend == TIDE_BACKEND_URING) {
            rc = TIDE_ENOURING;
        } else if (rc < 0) {
            if (!fallback_logged)
                tide_log(TIDE_LOG_NOTICE, "io_uring unavailable (%s); using epoll", reason);
            fallback_logged = true;
            rc = backend_init(r, &tide__epoll_ops, TIDE_BACKEND_EPOLL, NULL, 0);
        }
    }
    if (why && why_len)
        snprintf(why, why_len, "%s", reason);
    if (rc < 0)
        goto fail;

    r->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (r->wake_fd < 0) {
        rc = -errno;
        goto fail_backend;
    }
    r->wake_op = tide__start_internal_reader(r, r->wake_fd, on_wakefd, &rc);
    if (!r->wake_op)
        goto fail_backend;
    r->now = tide_time_ns();
    *out = r;
    return 0;

fail_backend:
    tide_reactor_destroy(r);
    return rc;
fail:
    tide_heap_destroy(&r->timers);
    tide_idmap_destroy(&r->timer_ids);
    tide_free(r);
    return rc;
}

void tide_reactor_destroy(tide_reactor_t *r)
{
    tide__signal_release_all(r);
    if (r->ops)
        r->ops->destroy(r);
    /* A close queued behind writes was never started: the caller gave the fd up, so it
     * is closed here rather than leaked. (The head of a queue has been started.) */
    for (int fd = 0; fd < r->nfds; fd++)
        for (tide_op_t *op = r->fds[fd].wq_head; op; op = op->next)
            if (op->kind == OP_CLOSE && op != r->fds[fd].wq_head)
                close(op->fd);
    while (r->all_ops)
        tide__op_free(r->all_ops);
    r->garbage = NULL;
    if (r->wake_fd >= 0)
        close(r->wake_fd);
    if (r->signal_fd >= 0)
        close(r->signal_fd);
    tide_heap_entry_t *timers = r->timers.ents;
    size_t ntimers = r->timers.len;
    tide_heap_init(&r->timers); /* the heap must not touch the timers freed below */
    for (size_t i = 0; i < ntimers; i++)
        if (((tide_timer_t *)timers[i].node)->id) /* embedded ones belong to their owners */
            tide_free(timers[i].node);
        else
            timers[i].node->index = SIZE_MAX;
    tide_free(timers);
    tide_idmap_destroy(&r->timer_ids);
    for (int fd = 0; fd < r->nfds; fd++)
        drop_stash(&r->fds[fd]);
    tide_free(r->fds);
    tide_free(r);
}

tide_backend_t tide_reactor_probe(tide_backend_t requested, char *why, size_t why_len)
{
    tide_reactor_t *r;
    tide_reactor_opts_t opts = {requested, 8};
    if (tide_reactor_create(&r, &opts, why, why_len) < 0)
        return TIDE_BACKEND_AUTO; /* nothing usable */
    tide_backend_t b = r->backend;
    tide_reactor_destroy(r);
    return b;
}

/* ---- the loop ---- */

bool tide_reactor_alive(const tide_reactor_t *r)
{
    return r->refs > 0 || r->timer_refs > 0 || r->defer_head;
}

void tide_reactor_defer(tide_reactor_t *r, tide_defer_t *d)
{
    if (d->queued)
        return;
    d->queued = true;
    d->next = NULL;
    if (r->defer_tail)
        r->defer_tail->next = d;
    else
        r->defer_head = d;
    r->defer_tail = d;
}

/* Unlinks d from the list at *head (tail: its last node, or NULL for the running batch);
 * false when d is not there. */
static bool unlink_defer(tide_defer_t **head, tide_defer_t **tail, tide_defer_t *d)
{
    tide_defer_t **pp = head, *prev = NULL;
    while (*pp && *pp != d) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    if (!*pp)
        return false;
    *pp = d->next;
    if (tail && *tail == d)
        *tail = prev;
    return true;
}

void tide_reactor_undefer(tide_reactor_t *r, tide_defer_t *d)
{
    if (!d->queued)
        return;
    /* Queued for the next turn, or still waiting in the batch being run now: a callback of
     * that batch may free what owns d (a connection it closed), so d must leave it. */
    if (!unlink_defer(&r->defer_head, &r->defer_tail, d))
        unlink_defer(&r->defer_running, NULL, d);
    d->queued = false;
}

/* What was deferred during the turn, now that the turn's callbacks are done. Only those
 * queued so far: one queued by a callback here waits for the next turn. The batch stays
 * reachable (defer_running) so that tide_reactor_undefer() can take a node out of it. */
static void run_deferred(tide_reactor_t *r)
{
    if (!r->defer_head)
        return;
    r->defer_running = r->defer_head;
    r->defer_head = r->defer_tail = NULL;
    while (r->defer_running) {
        tide_defer_t *d = r->defer_running;
        r->defer_running = d->next;
        d->queued = false;
        d->cb(r, d->udata);
    }
}

void tide_reactor_set_pending(tide_reactor_t *r, const size_t *pending)
{
    r->pending = pending;
}

void tide_reactor_on_turn(tide_reactor_t *r, bool before, tide_wake_cb cb, void *udata)
{
    r->turn_cb[before] = cb;
    r->turn_udata[before] = udata;
}

static void run_turn_cb(tide_reactor_t *r, bool before)
{
    if (r->turn_cb[before])
        r->turn_cb[before](r, r->turn_udata[before]);
}

void tide_reactor_stop(tide_reactor_t *r)
{
    r->stop = true;
}

static int64_t poll_timeout(tide_reactor_t *r, tide_run_mode_t mode)
{
    if (mode == TIDE_RUN_NOWAIT || r->stop || !tide_reactor_alive(r) || r->ready_head ||
        r->defer_head || (r->pending && *r->pending))
        return 0;
    r->now = tide_time_ns(); /* the timer callbacks may have taken a while */
    tide_heap_node_t *top = tide_heap_top(&r->timers);
    if (!top)
        return -1;
    return top->key > r->now ? (int64_t)(top->key - r->now) : 0;
}

int tide_reactor_run(tide_reactor_t *r, tide_run_mode_t mode)
{
    r->stop = false;
    for (;;) {
        if (TIDE_FORKED(r))
            return TIDE_EFORKED;
        r->now = tide_time_ns();
        run_timers(r);
        if (TIDE_FORKED(r))
            return TIDE_EFORKED;
        run_deferred(r);
        if (TIDE_FORKED(r))
            return TIDE_EFORKED;
        run_turn_cb(r, true);
        if (TIDE_FORKED(r))
            return TIDE_EFORKED;
        int rc = r->ops->poll(r, poll_timeout(r, mode));
        if (TIDE_FORKED(r))
            return TIDE_EFORKED; /* a callback forked: leave the parent's ring alone */
        run_ready(r);
        collect_garbage(r);
        if (rc < 0 && rc != -EINTR)
            return rc;
        if (mode != TIDE_RUN_DEFAULT) {
            r->now = tide_time_ns();
            run_timers(r);
            if (TIDE_FORKED(r))
                return TIDE_EFORKED;
            run_turn_cb(r, false);
            break;
        }
        run_turn_cb(r, false);
        if (TIDE_FORKED(r))
            return TIDE_EFORKED;
        if (r->stop || !tide_reactor_alive(r))
            break;
    }
    r->stop = false;
    return TIDE_FORKED(r) ? TIDE_EFORKED : tide_reactor_alive(r);
}

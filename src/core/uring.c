/* SPDX-License-Identifier: MIT */
/*
 * The io_uring backend. Multishot accept and multishot recv into a registered provided-
 * buffer ring where the kernel has them, single-shot equivalents where it does not; one
 * submit per loop turn (io_uring_submit_and_wait), the loop's deadline as an
 * IORING_OP_TIMEOUT. Builds against liburing 2.3: the buffer ring is set up by hand with
 * io_uring_register_buf_ring (io_uring_setup_buf_ring is 2.4+).
 */
#include <errno.h>
#include <liburing.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "reactor_int.h"
#include "tide/common.h"
#include "tide/log.h"

/* valgrind cannot see what the kernel writes through io_uring: tell it, when its header is
 * there (the macros cost nothing outside valgrind). */
#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define KERNEL_WROTE(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#endif
#endif
#ifndef KERNEL_WROTE
#define KERNEL_WROTE(p, n) ((void)(p), (void)(n))
#endif
/* valgrind delivers a signal only while a thread sits in a system call it knows to block,
 * and io_uring_enter is not one (valgrind 3.19): a signal sent to a process waiting in its
 * ring would wait for the next completion. Under valgrind the wait returns every 50 ms. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND() RUNNING_ON_VALGRIND
#endif
#endif
#ifndef UNDER_VALGRIND
#define UNDER_VALGRIND() 0
#endif
#define VALGRIND_MAX_WAIT_NS (50 * 1000000ll)

#define BUF_GROUP 0
#define BUF_COUNT_DEFAULT 256 /* a power of two */
#define BUF_SIZE TIDE_RECV_BUF_SIZE
#define READ_BUF_SIZE 8 /* OP_READ reads eventfds: one 8-byte counter */

typedef struct uring_impl {
    struct io_uring ring;
    struct io_uring_buf_ring *br; /* NULL when no buffer ring is registered */
    unsigned nbufs;                /* buffers in the ring, a power of two */
    char *bufs;
    size_t br_len;
    unsigned timeouts_inflight;
    uint64_t timeout_deadline; /* of the last armed timeout */
    struct __kernel_timespec ts;
} uring_impl_t;

/* user_data of CQEs that need no handling (cancel requests), and of the loop timeout. */
#define UD_IGNORE 0ull
#define UD_TIMEOUT 1ull

static bool env_flag(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

static struct io_uring_sqe *get_sqe(uring_impl_t *u)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);
    while (!sqe) {
        /* The queue is full: submit what is there (rare; only bursts of many ops). */
        io_uring_submit(&u->ring);
        sqe = io_uring_get_sqe(&u->ring);
    }
    return sqe;
}

static void setup_buf_ring(tide_reactor_t *r, uring_impl_t *u)
{
    /* TIDE_URING_RECV_BUFFERS (a power of two) lets tests run the ring dry (-ENOBUFS). */
    const char *env = getenv("TIDE_URING_RECV_BUFFERS");
    unsigned long want = env ? strtoul(env, NULL, 10) : 0;
    u->nbufs = want && want <= 32768 && !(want & (want - 1)) ? (unsigned)want : BUF_COUNT_DEFAULT;
    size_t ring_bytes = u->nbufs * sizeof(struct io_uring_buf);
    size_t len = ring_bytes + (size_t)u->nbufs * BUF_SIZE;
    void *mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        return;
    struct io_uring_buf_reg reg = {
        .ring_addr = (uint64_t)(uintptr_t)mem,
        .ring_entries = u->nbufs,
        .bgid = BUF_GROUP,
    };
    if (io_uring_register_buf_ring(&u->ring, &reg, 0) < 0) {
        munmap(mem, len);
        return;
    }
    u->br = mem;
    u->br_len = len;
    u->bufs = (char *)mem + ring_bytes;
    io_uring_buf_ring_init(u->br);
    for (unsigned i = 0; i < u->nbufs; i++)
        io_uring_buf_ring_add(u->br, u->bufs + (size_t)i * BUF_SIZE, BUF_SIZE, (unsigned short)i,
                              io_uring_buf_ring_mask(u->nbufs), (int)i);
    io_uring_buf_ring_advance(u->br, u->nbufs);
    r->features.buf_ring = true;
}

static int ur_init(tide_reactor_t *r, char *why, size_t why_len)
{
    uring_impl_t *u = tide_calloc(1, sizeof(*u));
    struct io_uring_params p;
    int rc = -EINVAL;

    /* Best first; each older kernel refuses the newer flags with EINVAL. */
    static const unsigned flag_sets[] = {
        IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN, /* 6.1 */
        IORING_SETUP_COOP_TASKRUN,                               /* 5.19 */
        0,
    };
    bool no_defer = env_flag("TIDE_URING_NO_DEFER_TASKRUN");
    for (size_t i = no_defer ? 1 : 0; i < sizeof(flag_sets) / sizeof(flag_sets[0]); i++) {
        memset(&p, 0, sizeof(p));
        p.flags = flag_sets[i];
        rc = io_uring_queue_init_params(r->entries, &u->ring, &p);
        if (rc != -EINVAL)
            break;
    }
    if (rc < 0) {
        if (why && why_len)
            snprintf(why, why_len, "io_uring_setup: %s", strerror(-rc));
        tide_free(u);
        return rc;
    }
    r->impl = u;
    r->features.defer_taskrun = (p.flags & IORING_SETUP_DEFER_TASKRUN) != 0;
    r->features.single_issuer = (p.flags & IORING_SETUP_SINGLE_ISSUER) != 0;

    /* Multishot accept came with 5.19 (as did IORING_OP_SOCKET), multishot recv with 6.0
     * (as did IORING_OP_SEND_ZC): the opcode probe tells which kernel we are on. A kernel
     * that still refuses answers -EINVAL, and the op falls back then (see on_cqe). */
    struct io_uring_probe *probe = io_uring_get_probe_ring(&u->ring);
    bool multishot = !env_flag("TIDE_URING_NO_MULTISHOT");
    if (probe) {
        r->features.multishot_accept =
            multishot && io_uring_opcode_supported(probe, IORING_OP_SOCKET);
        r->features.multishot_recv =
            multishot && io_uring_opcode_supported(probe, IORING_OP_SEND_ZC);
        io_uring_free_probe(probe);
    }
    if (r->features.multishot_recv) {
        setup_buf_ring(r, u);
        r->features.multishot_recv = r->features.buf_ring;
    }
    return 0;
}

/* File ops still in the kernel use their callers' buffers until they complete,
 * and closing the ring does not wait for that (the kernel tears a ring down in a worker of
 * its own): cancel them and wait for their last CQEs before destroy returns. */
static void drain_file_ops(tide_reactor_t *r, uring_impl_t *u)
{
    unsigned left = 0;
    for (tide_op_t *op = r->all_ops; op; op = op->all_next)
        if (op->kind == OP_FILE && (op->flags & OPF_INFLIGHT)) {
            struct io_uring_sqe *sqe = get_sqe(u);
            io_uring_prep_cancel(sqe, op, 0);
            io_uring_sqe_set_data64(sqe, UD_IGNORE);
            left++;
        }
    if (left)
        io_uring_submit(&u->ring);
    while (left) {
        struct io_uring_cqe *cqe;
        int rc = io_uring_wait_cqe(&u->ring, &cqe);
        if (rc == -EINTR)
            continue;
        if (rc < 0)
            break; /* the ring is broken: nothing more will come */
        uint64_t ud = io_uring_cqe_get_data64(cqe);
        int res = cqe->res;
        unsigned flags = cqe->flags;
        io_uring_cqe_seen(&u->ring, cqe);
        if (ud == UD_IGNORE || ud == UD_TIMEOUT)
            continue;
        /* Every other user_data is an op still on the reactor's list (ops are freed only
         * after their last CQE, and destroy frees them after this). No callbacks now. */
        tide_op_t *op = (tide_op_t *)(uintptr_t)ud;
        if (!(flags & IORING_CQE_F_MORE))
            op->flags &= ~OPF_INFLIGHT;
        if (op->kind == OP_FILE)
            left--;
        else if (op->kind == OP_ACCEPT && res >= 0 && !(op->flags & OPF_POLLING))
            close(res); /* accepted meanwhile: nobody will see it */
    }
}

static void ur_destroy(tide_reactor_t *r)
{
    uring_impl_t *u = r->impl;
    if (!u)
        return;
    tide__filepool_destroy(r); /* the work on helper threads */
    /* A close already asked for still happens; not in a forked child: the ring's queues
     * are the parent's too. */
    if (!TIDE_FORKED(r)) {
        drain_file_ops(r, u);
        io_uring_submit(&u->ring);
    }
    io_uring_queue_exit(&u->ring);
    if (u->br)
        munmap(u->br, u->br_len);
    tide_free(u);
    r->impl = NULL;
}

/* (Re)issues a reader's operation. */
static void arm_reader(tide_reactor_t *r, tide_op_t *op)
{
    uring_impl_t *u = r->impl;
    struct io_uring_sqe *sqe = get_sqe(u);

    switch (op->kind) {
    case OP_ACCEPT:
        if (r->features.multishot_accept)
            io_uring_prep_multishot_accept(sqe, op->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        else
            io_uring_prep_accept(sqe, op->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        break;
    case OP_RECV:
        if (r->features.multishot_recv) {
            io_uring_prep_recv_multishot(sqe, op->fd, NULL, 0, 0);
            sqe->flags |= IOSQE_BUFFER_SELECT;
            sqe->buf_group = BUF_GROUP;
        } else {
            if (!op->buf)
                op->buf = tide_malloc(op->buf_len = BUF_SIZE);
            io_uring_prep_recv(sqe, op->fd, op->buf, op->buf_len, 0);
        }
        break;
    case OP_POLL:
        io_uring_prep_poll_multishot(sqe, op->fd, (op->flags & OPF_POLLOUT) ? POLLOUT : POLLIN);
        break;
    default: /* OP_READ */
        if (!op->buf)
            op->buf = tide_malloc(op->buf_len = READ_BUF_SIZE);
        io_uring_prep_read(sqe, op->fd, op->buf, (unsigned)op->buf_len, 0);
        break;
    }
    io_uring_sqe_set_data(sqe, op);
    op->flags |= OPF_INFLIGHT;
}

/* The fd said -EAGAIN (a non-blocking file io_uring does not poll for us): wait for it. */
static void arm_poll(tide_reactor_t *r, tide_op_t *op, unsigned events)
{
    uring_impl_t *u = r->impl;
    struct io_uring_sqe *sqe = get_sqe(u);
    io_uring_prep_poll_add(sqe, op->fd, events);
    io_uring_sqe_set_data(sqe, op);
    op->flags |= OPF_INFLIGHT | OPF_POLLING;
}

static int ur_start_reader(tide_reactor_t *r, tide_op_t *op)
{
    arm_reader(r, op);
    return 0;
}

static void ur_cancel_reader(tide_reactor_t *r, tide_op_t *op)
{
    uring_impl_t *u = r->impl;
    if (op->flags & OPF_BACKOFF) {
        /* Pausing after EMFILE: nothing is in the kernel. */
        tide__accept_backoff_stop(r, op);
        tide__op_garbage(r, op);
        return;
    }
    if (!(op->flags & OPF_INFLIGHT))
        return; /* inside its CQE's handling: on_cqe frees it */
    struct io_uring_sqe *sqe = get_sqe(u);
    io_uring_prep_cancel(sqe, op, 0);
    io_uring_sqe_set_data64(sqe, UD_IGNORE);
}

static void ur_stop_reader(tide_reactor_t *r, tide_op_t *op)
{
    uring_impl_t *u = r->impl;
    if (op->flags & OPF_BACKOFF) {
        /* Pausing after EMFILE: nothing is in the kernel. */
        tide__accept_backoff_stop(r, op);
        tide__accept_end_later(r, op);
        return;
    }
    if (!(op->flags & OPF_INFLIGHT))
        return; /* inside its CQE's handling: on_reader_cqe ends it */
    /* Without DEFER_TASKRUN (before 6.1, or TIDE_URING_NO_DEFER_TASKRUN) an armed accept
     * completes as task work as soon as a client connects, before we get to reap it: the
     * CQE may be there already, or come before the cancel lands. on_reader_cqe hands such
     * an fd to the owner, and the op's last CQE ends the watch. */
    struct io_uring_sqe *sqe = get_sqe(u);
    io_uring_prep_cancel(sqe, op, 0);
    io_uring_sqe_set_data64(sqe, UD_IGNORE);
    /* Now, not with the next turn's submit: a client that connects after this returns
     * stays in the backlog for the caller's accept4(), instead of being accepted by a
     * watch that is ending. */
    io_uring_submit(&u->ring);
}

static void arm_file_op(tide_reactor_t *r, tide_op_t *op)
{
    struct io_uring_sqe *sqe = get_sqe(r->impl);
    /* IORING_OP_READ/WRITE (5.6, as the eventfd reads need anyway): one that would block (a
     * regular file not in the page cache) is handed to the kernel's io-wq workers, a pipe
     * or FIFO is polled. The loop never waits for it. An offset of -1 (TIDE_FILE_POS) is
     * the file's position (IORING_FEAT_RW_CUR_POS, 5.6). */
    switch (op->file_kind) {
    case FILE_READ:
        io_uring_prep_read(sqe, op->fd, op->file_buf, (unsigned)op->file_len, op->file_off);
        break;
    case FILE_WRITE:
        io_uring_prep_write(sqe, op->fd, op->file_buf, (unsigned)op->file_len, op->file_off);
        break;
    default:
        io_uring_prep_fsync(sqe, op->fd,
                            op->file_kind == FILE_FDATASYNC ? IORING_FSYNC_DATASYNC : 0);
        break;
    }
    io_uring_sqe_set_data(sqe, op);
    op->flags |= OPF_INFLIGHT;
}

static int ur_file_op(tide_reactor_t *r, tide_op_t *op)
{
    arm_file_op(r, op);
    return 0;
}

static void arm_send(tide_reactor_t *r, tide_op_t *op)
{
    uring_impl_t *u = r->impl;
    struct io_uring_sqe *sqe = get_sqe(u);
    op->msg.msg_iov = op->iov;
    op->msg.msg_iovlen = (size_t)op->iovcnt;
    io_uring_prep_sendmsg(sqe, op->fd, &op->msg, MSG_NOSIGNAL);
    io_uring_sqe_set_data(sqe, op);
    op->flags |= OPF_INFLIGHT;
}

static void ur_start_write(tide_reactor_t *r, tide_op_t *op)
{
    if (op->kind == OP_CLOSE) {
        struct io_uring_sqe *sqe = get_sqe(r->impl);
        io_uring_prep_close(sqe, op->fd);
        io_uring_sqe_set_data(sqe, op);
        op->flags |= OPF_INFLIGHT;
        return;
    }
    if (tide__iov_advance(op, 0)) {
        tide__complete_later(r, op, 0); /* nothing to write */
        return;
    }
    arm_send(r, op);
}

static void recycle_buffer(uring_impl_t *u, unsigned flags)
{
    if (!(flags & IORING_CQE_F_BUFFER))
        return;
    unsigned short bid = (unsigned short)(flags >> IORING_CQE_BUFFER_SHIFT);
    io_uring_buf_ring_add(u->br, u->bufs + (size_t)bid * BUF_SIZE, BUF_SIZE, bid,
                          io_uring_buf_ring_mask(u->nbufs), 0);
    io_uring_buf_ring_advance(u->br, 1);
}

static void on_write_cqe(tide_reactor_t *r, tide_op_t *op, int res)
{
    if (op->kind == OP_CLOSE) {
        tide__write_done(r, op, res);
        return;
    }
    if (res == -EAGAIN) {
        arm_poll(r, op, POLLOUT);
        return;
    }
    if (res == -EINTR) {
        arm_send(r, op);
        return;
    }
    if (res <= 0) {
        tide__write_done(r, op, res == 0 ? -EIO : res);
        return;
    }
    if (tide__iov_advance(op, (size_t)res))
        tide__write_done(r, op, (ssize_t)op->written);
    else
        arm_send(r, op); /* a short write: send the rest */
}

/* A reader's CQE: deliver, then re-arm if the kernel ended a watch the owner still wants. */
static void on_reader_cqe(tide_reactor_t *r, tide_op_t *op, int res, unsigned flags)
{
    uring_impl_t *u = r->impl;
    bool more = flags & IORING_CQE_F_MORE;
    const char *data;

    if (op->flags & OPF_CANCELED) {
        if (op->kind == OP_ACCEPT && res >= 0)
            close(res); /* accepted after the cancel: nobody will ever see it */
        if (op->kind == OP_RECV && res > 0 && !(op->flags & OPF_NOSTASH)) {
            const char *late = (flags & IORING_CQE_F_BUFFER)
                                   ? u->bufs + (size_t)(flags >> IORING_CQE_BUFFER_SHIFT) * BUF_SIZE
                                   : op->buf;
            KERNEL_WROTE(late, (size_t)res);
            tide__stash(r, op, late, (size_t)res);
        }
        recycle_buffer(u, flags);
        if (!more)
            tide__op_garbage(r, op);
        return;
    }
    if (op->flags & OPF_STOPPING) {
        /* Accepted before the stop reached the kernel: the owner still gets it. Errors,
         * -EAGAIN and the cancel's own -ECANCELED are not news for a watch that is ending. */
        if (res >= 0)
            op->cb.accept(r, op->udata, res);
        if (more || TIDE_FORKED(r))
            return;
        if (op->flags & OPF_CANCELED)
            tide__op_garbage(r, op); /* cancelled from the callback */
        else
            tide__accept_end(r, op); /* the kernel is done with it */
        return;
    }
    if (op->kind == OP_POLL) {
        if (res >= 0)
            op->cb.poll(r, op->udata, op->fd);
        if (more || TIDE_FORKED(r))
            return; /* forked: the ring is the parent's, leave it alone */
        if (op->flags & (OPF_CANCELED | OPF_ENDED))
            tide__op_garbage(r, op);
        else
            arm_reader(r, op); /* the kernel ended the multishot poll (or it failed): again */
        return;
    }
    if (res == -EAGAIN || res == -ENOBUFS || res == -EINTR) {
        /* ENOBUFS: every ring buffer was in use; they are back now, try again. */
        if (!more) {
            if (res == -EAGAIN)
                arm_poll(r, op, POLLIN);
            else
                arm_reader(r, op);
        }
        return;
    }
    if (res == -EINVAL && op->kind == OP_ACCEPT && r->features.multishot_accept) {
        tide_log(TIDE_LOG_DEBUG, "multishot accept refused by the kernel; using accept");
        r->features.multishot_accept = false;
        arm_reader(r, op);
        return;
    }
    if (res == -EINVAL && op->kind == OP_RECV && r->features.multishot_recv) {
        tide_log(TIDE_LOG_DEBUG, "multishot recv refused by the kernel; using recv");
        r->features.multishot_recv = false;
        arm_reader(r, op);
        return;
    }

    switch (op->kind) {
    case OP_ACCEPT:
        /* -ECANCELED is kept for the end of a stopped watch (tide_reactor_accept_stop);
         * one the kernel gives a watch we did not stop just means: arm it again. */
        if (res != -ECONNABORTED && res != -ECANCELED)
            op->cb.accept(r, op->udata, res);
        if (TIDE_FORKED(r))
            return;
        if (tide__accept_exhausted(res) && !more &&
            !(op->flags & (OPF_CANCELED | OPF_STOPPING))) {
            /* Retrying at once would fail at once, every turn: wait a little. */
            tide__accept_backoff(r, op);
            return;
        }
        break;
    case OP_READ:
        if (res > 0) {
            KERNEL_WROTE(op->buf, (size_t)res);
            op->cb.read(r, op->buf, res);
        }
        else
            tide__reader_ended(r, op); /* the eventfd was closed under us */
        break;
    default: /* OP_RECV */
        data = (flags & IORING_CQE_F_BUFFER)
                   ? u->bufs + (size_t)(flags >> IORING_CQE_BUFFER_SHIFT) * BUF_SIZE
                   : op->buf;
        if (res > 0) {
            KERNEL_WROTE(data, (size_t)res);
            op->cb.recv(r, op->udata, data, res);
            recycle_buffer(u, flags);
            break;
        }
        recycle_buffer(u, flags);
        tide__reader_ended(r, op);
        op->cb.recv(r, op->udata, NULL, res);
        break;
    }

    /* A callback that forked: in the child, nothing more goes to the parent's ring. */
    if (more || TIDE_FORKED(r))
        return;
    if (op->flags & (OPF_CANCELED | OPF_ENDED))
        tide__op_garbage(r, op);
    else if (op->flags & OPF_STOPPING)
        tide__accept_end(r, op); /* stopped from inside its own callback */
    else
        arm_reader(r, op);
}

static void on_cqe(tide_reactor_t *r, struct io_uring_cqe *cqe)
{
    uring_impl_t *u = r->impl;
    uint64_t ud = io_uring_cqe_get_data64(cqe);

    if (ud == UD_IGNORE)
        return;
    if (ud == UD_TIMEOUT) {
        /* Which one ended is unknown: the deadline of those left cannot be relied on. */
        u->timeouts_inflight--;
        u->timeout_deadline = UINT64_MAX;
        return;
    }
    tide_op_t *op = (tide_op_t *)(uintptr_t)ud;
    if (!(cqe->flags & IORING_CQE_F_MORE))
        op->flags &= ~OPF_INFLIGHT;

    if (op->flags & OPF_POLLING) {
        /* The fd is ready (or the poll failed): issue the real operation again. */
        op->flags &= ~OPF_POLLING;
        if (op->kind == OP_SEND) {
            arm_send(r, op);
        } else if (op->flags & OPF_CANCELED) {
            tide__op_garbage(r, op);
        } else if (op->flags & OPF_STOPPING) {
            /* Whatever waits in the backlog now is the owner's to accept (accept4 after
             * accept_stop); the watch itself is over. */
            tide__accept_end(r, op);
        } else {
            arm_reader(r, op);
        }
        return;
    }
    if (op->kind == OP_FILE) {
        if (cqe->res == -EINTR) {
            arm_file_op(r, op); /* nothing was done: ask again */
            return;
        }
        if (cqe->res > 0 && op->file_kind == FILE_READ)
            KERNEL_WROTE(op->file_buf, (size_t)cqe->res);
        tide__file_done(r, op, cqe->res);
        return;
    }
    if (op->kind == OP_SEND || op->kind == OP_CLOSE)
        on_write_cqe(r, op, cqe->res);
    else
        on_reader_cqe(r, op, cqe->res, cqe->flags);
}

static int ur_poll(tide_reactor_t *r, int64_t timeout_ns)
{
    uring_impl_t *u = r->impl;
    int rc;

    if (TIDE_UNLIKELY(UNDER_VALGRIND()) && (timeout_ns < 0 || timeout_ns > VALGRIND_MAX_WAIT_NS))
        timeout_ns = VALGRIND_MAX_WAIT_NS;

    if (timeout_ns > 0) {
        uint64_t deadline = r->now + (uint64_t)timeout_ns;
        /* A timeout with count 1 also completes on the first other completion, so armed
         * timeouts never pile up; one that will fire soon enough is reused. */
        if (!u->timeouts_inflight || u->timeout_deadline > deadline) {
            struct io_uring_sqe *sqe = get_sqe(u);
            u->ts.tv_sec = timeout_ns / 1000000000;
            u->ts.tv_nsec = timeout_ns % 1000000000;
            io_uring_prep_timeout(sqe, &u->ts, 1, 0);
            io_uring_sqe_set_data64(sqe, UD_TIMEOUT);
            u->timeouts_inflight++;
            u->timeout_deadline = deadline;
        }
    }
    if (timeout_ns == 0)
        rc = io_uring_submit_and_get_events(&u->ring);
    else
        rc = io_uring_submit_and_wait(&u->ring, 1);
    if (rc < 0 && rc != -EINTR && rc != -ETIME && rc != -EBUSY)
        return rc;

    /* Handle every completion there is; handlers only queue SQEs for the next submit. */
    unsigned handled = 0;
    struct io_uring_cqe *cqe;
    while (io_uring_peek_cqe(&u->ring, &cqe) == 0) {
        struct io_uring_cqe copy = *cqe;
        io_uring_cqe_seen(&u->ring, cqe);
        on_cqe(r, &copy);
        handled++;
        if (TIDE_FORKED(r))
            break; /* the callback forked: the ring's memory is the parent's too */
    }
    return (int)handled;
}

static void ur_submit(tide_reactor_t *r)
{
    uring_impl_t *u = r->impl;
    io_uring_submit(&u->ring);
}

const tide_backend_ops_t tide__uring_ops = {
    .name = "io_uring",
    .init = ur_init,
    .destroy = ur_destroy,
    .start_reader = ur_start_reader,
    .cancel_reader = ur_cancel_reader,
    .stop_reader = ur_stop_reader,
    .file_op = ur_file_op,
    .start_write = ur_start_write,
    .poll = ur_poll,
    .submit = ur_submit,
};

/* SPDX-License-Identifier: MIT */
/*
 * The epoll backend: readiness turned into completions. Level-triggered; EPOLLOUT is asked
 * for only while a write waits for room. Used where io_uring is refused, or when forced.
 * Regular files are always "ready" to epoll (and cannot be added to a set): their reads,
 * writes and syncs go to helper threads (filepool.c).
 */
#include <errno.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "reactor_int.h"
#include "tide/common.h"

#define MAX_EVENTS 256
#define ACCEPTS_PER_EVENT 64

typedef struct epoll_impl {
    int epfd;
    struct epoll_event events[MAX_EVENTS];
    _Alignas(16) char buf[TIDE_RECV_BUF_SIZE]; /* recv lands here; lent to the callback */
} epoll_impl_t;

static int ep_init(tide_reactor_t *r, char *why, size_t why_len)
{
    TIDE_UNUSED(why);
    TIDE_UNUSED(why_len);
    epoll_impl_t *ep = tide_calloc(1, sizeof(*ep));
    ep->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (ep->epfd < 0) {
        int rc = -errno;
        tide_free(ep);
        return rc;
    }
    r->impl = ep;
    return 0;
}

static void ep_destroy(tide_reactor_t *r)
{
    epoll_impl_t *ep = r->impl;
    if (!ep)
        return;
    tide__filepool_destroy(r);
    close(ep->epfd);
    tide_free(ep);
    r->impl = NULL;
}

/* What a reader waits for: readability, or writability (tide_reactor_poll_out). */
static uint32_t reader_events(const tide_op_t *op)
{
    return (op->flags & OPF_POLLOUT) ? EPOLLOUT : EPOLLIN;
}

/* Makes the epoll set match what fd's entry needs now. */
static void update_interest(tide_reactor_t *r, int fd)
{
    epoll_impl_t *ep = r->impl;
    tide_fdent_t *e = tide__fdent(r, fd);
    uint32_t want = 0;
    if (e->reader && !(e->reader->flags & OPF_BACKOFF))
        want |= reader_events(e->reader);
    if (e->wq_head && (e->wq_head->flags & OPF_INFLIGHT))
        want |= EPOLLOUT;
    if (want == e->ep_events)
        return;
    struct epoll_event ev = {.events = want, .data.fd = fd};
    if (!want)
        epoll_ctl(ep->epfd, EPOLL_CTL_DEL, fd, NULL);
    else if (!e->ep_events && epoll_ctl(ep->epfd, EPOLL_CTL_ADD, fd, &ev) < 0 && errno == EEXIST)
        epoll_ctl(ep->epfd, EPOLL_CTL_MOD, fd, &ev);
    else if (e->ep_events)
        epoll_ctl(ep->epfd, EPOLL_CTL_MOD, fd, &ev);
    e->ep_events = want;
}

static int ep_start_reader(tide_reactor_t *r, tide_op_t *op)
{
    epoll_impl_t *ep = r->impl;
    tide_fdent_t *e = tide__fdent(r, op->fd);
    uint32_t want = reader_events(op) | (e->ep_events & EPOLLOUT);
    struct epoll_event ev = {.events = want, .data.fd = op->fd};
    if (epoll_ctl(ep->epfd, e->ep_events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, op->fd, &ev) < 0)
        return -errno;
    e->ep_events = want;
    return 0;
}

static void ep_cancel_reader(tide_reactor_t *r, tide_op_t *op)
{
    tide__accept_backoff_stop(r, op);
    update_interest(r, op->fd);
    tide__op_garbage(r, op);
}

static void ep_stop_reader(tide_reactor_t *r, tide_op_t *op)
{
    /* We accept ourselves, so the kernel holds nothing for the watch: what is in the
     * backlog stays there for the owner, and the end comes later in the turn. */
    tide__accept_backoff_stop(r, op);
    update_interest(r, op->fd);
    tide__accept_end_later(r, op);
}

/* Writes as much of op as the socket takes now. */
static void try_send(tide_reactor_t *r, tide_op_t *op)
{
    for (;;) {
        if (op->iovcnt == 0) {
            op->flags &= ~OPF_INFLIGHT;
            tide__complete_later(r, op, (ssize_t)op->written);
            break;
        }
        struct msghdr msg = {.msg_iov = op->iov, .msg_iovlen = (size_t)op->iovcnt};
        ssize_t n = sendmsg(op->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0) {
            tide__iov_advance(op, (size_t)n);
            continue;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            op->flags |= OPF_INFLIGHT; /* waiting for EPOLLOUT */
            break;
        }
        op->flags &= ~OPF_INFLIGHT;
        tide__complete_later(r, op, -errno);
        break;
    }
    update_interest(r, op->fd);
}

static void ep_start_write(tide_reactor_t *r, tide_op_t *op)
{
    if (op->kind == OP_SEND) {
        tide__iov_advance(op, 0); /* skips empty buffers */
        try_send(r, op);
        return;
    }
    /* OP_CLOSE: leave the epoll set first, the number may be reused at once. */
    epoll_impl_t *ep = r->impl;
    tide_fdent_t *e = tide__fdent(r, op->fd);
    if (e->ep_events)
        epoll_ctl(ep->epfd, EPOLL_CTL_DEL, op->fd, NULL);
    e->ep_events = 0;
    int rc = close(op->fd);
    tide__complete_later(r, op, rc < 0 && errno != EINTR ? -errno : 0);
}

static void on_readable(tide_reactor_t *r, tide_op_t *op)
{
    epoll_impl_t *ep = r->impl;
    ssize_t n;

    switch (op->kind) {
    case OP_ACCEPT:
        for (int i = 0; i < ACCEPTS_PER_EVENT && !(op->flags & (OPF_CANCELED | OPF_STOPPING)) &&
                        !TIDE_FORKED(r);
             i++) {
            int fd = accept4(op->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd >= 0) {
                op->cb.accept(r, op->udata, fd);
                continue;
            }
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                int err = -errno;
                op->cb.accept(r, op->udata, err);
                if (tide__accept_exhausted(err) && !(op->flags & (OPF_CANCELED | OPF_STOPPING))) {
                    /* Level-triggered: the listener stays readable. Stop listening to it a
                     * little rather than spin. */
                    tide__accept_backoff(r, op);
                    update_interest(r, op->fd);
                }
            }
            break;
        }
        return;
    case OP_POLL:
        op->cb.poll(r, op->udata, op->fd);
        return;
    case OP_RECV:
        n = recv(op->fd, ep->buf, sizeof(ep->buf), MSG_DONTWAIT);
        break;
    default: /* OP_READ */
        n = read(op->fd, ep->buf, sizeof(ep->buf));
        break;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n < 0)
        n = -errno;
    if (op->kind == OP_READ) {
        if (n > 0)
            op->cb.read(r, ep->buf, n);
        return;
    }
    if (n > 0) {
        op->cb.recv(r, op->udata, ep->buf, n);
        return;
    }
    int fd = op->fd;
    tide__reader_ended(r, op);
    update_interest(r, fd);
    op->cb.recv(r, op->udata, NULL, n);
    tide__op_garbage(r, op);
}

static int ep_poll(tide_reactor_t *r, int64_t timeout_ns)
{
    epoll_impl_t *ep = r->impl;
    /* Rounded up to whole milliseconds: a timer may fire up to 1 ms late on epoll, never
     * early (which would spin). epoll_pwait2 would keep nanoseconds, but valgrind 3.19 does
     * not know it, and the suite must stay clean under valgrind. */
    int64_t ms = timeout_ns < 0 ? -1 : (timeout_ns + 999999) / 1000000;
    if (ms > 3600000)
        ms = 3600000; /* a far timer: wake once an hour and look again */
    int n = epoll_wait(ep->epfd, ep->events, MAX_EVENTS, (int)ms);
    if (n < 0)
        return -errno;
    for (int i = 0; i < n; i++) {
        int fd = ep->events[i].data.fd;
        uint32_t ev = ep->events[i].events;
        /* Look the entry up again after every callback: the table may have grown. */
        tide_fdent_t *e = tide__fdent(r, fd);
        if (e->reader && (ev & (reader_events(e->reader) | EPOLLHUP | EPOLLERR)))
            on_readable(r, e->reader);
        if (TIDE_FORKED(r))
            break; /* the callback forked: the epoll set is the parent's too */
        e = tide__fdent(r, fd);
        if ((ev & (EPOLLOUT | EPOLLHUP | EPOLLERR)) && e->wq_head &&
            (e->wq_head->flags & OPF_INFLIGHT))
            try_send(r, e->wq_head);
    }
    return n;
}

const tide_backend_ops_t tide__epoll_ops = {
    .name = "epoll",
    .init = ep_init,
    .destroy = ep_destroy,
    .start_reader = ep_start_reader,
    .cancel_reader = ep_cancel_reader,
    .stop_reader = ep_stop_reader,
    .file_op = tide__filepool_submit,
    .start_write = ep_start_write,
    .poll = ep_poll,
};

/* SPDX-License-Identifier: MIT */
/*
 * An IPC link (tide/link.h): one end of a SOCK_SEQPACKET pair on a reactor, reading whole
 * messages and sending them cut into packets (tide/ipc.h), with its descriptor channel.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tide/common.h"
#include "tide/ipc.h"
#include "tide/link.h"
#include "tide/log.h"
#include "tide/sock.h"

/*
 * Bytes on their way out, counted for tide_link_t.queued: writes on the reactor may finish
 * after their link is gone, so they count on this shared counter (freed by the last one),
 * never on the link itself.
 */
typedef struct tide_link_count {
    size_t queued;
    unsigned refs;
} link_count_t;

static link_count_t *count_ref(link_count_t *c)
{
    c->refs++;
    return c;
}

static void count_put(link_count_t *c, size_t bytes)
{
    c->queued -= bytes;
    if (--c->refs == 0)
        tide_free(c);
}

/* One message on its way out: the packet headers, then the payload. */
typedef struct out_msg {
    link_count_t *count;
    size_t bytes;
    size_t packets, done;
    char *payload;
    tide_ipc_hdr_t hdrs[];
} out_msg_t;

/* A packet being filled with whole messages. */
typedef struct tide_link_batch {
    link_count_t *count;
    size_t len;
    char data[TIDE_IPC_PACKET];
} link_batch_t;

static void on_batch_sent(tide_reactor_t *r, void *udata, ssize_t res)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(res);
    link_batch_t *b = udata;
    count_put(b->count, b->len);
    tide_free(b);
}

static void flush_batch(tide_reactor_t *r, void *udata)
{
    tide_link_t *l = udata;
    if (l->before_flush && !l->in_before_flush && l->fd >= 0) {
        l->in_before_flush = true;
        l->before_flush(l, l->before_flush_arg);
        l->in_before_flush = false;
    }
    link_batch_t *b = l->batch;
    if (!b)
        return;
    l->batch = NULL;
    if (l->fd < 0 || tide_reactor_send(r, l->fd, b->data, b->len, on_batch_sent, b) < 0) {
        count_put(b->count, b->len);
        tide_free(b);
    }
}

void tide_link_flush(tide_link_t *l)
{
    tide_reactor_undefer(l->r, &l->flush);
    flush_batch(l->r, l);
}

static void link_gone(tide_link_t *l, int err)
{
    if (l->watch) {
        tide_reactor_cancel(l->r, l->watch);
        l->watch = NULL;
    }
    if (l->fd >= 0) {
        tide_reactor_undefer(l->r, &l->flush);
        flush_batch(l->r, l);
        tide_reactor_close(l->r, l->fd, NULL, NULL);
        l->fd = -1;
    }
    if (l->fd_chan >= 0) {
        close(l->fd_chan);
        l->fd_chan = -1;
    }
    tide_reactor_undefer(l->r, &l->flush);
    tide_free(l->batch);
    l->batch = NULL;
    if (l->on_gone)
        l->on_gone(l, l->udata, err);
}

static int deliver(void *udata, const tide_ipc_hdr_t *hdr, const char *payload)
{
    tide_link_t *l = udata;
    l->on_msg(l, l->udata, hdr->type, hdr->session, hdr->worker, payload, hdr->len);
    return l->fd < 0 ? 1 : 0; /* the handler closed the link */
}

static void on_packet(tide_reactor_t *r, void *udata, const char *data, ssize_t n)
{
    TIDE_UNUSED(r);
    tide_link_t *l = udata;
    if (n <= 0) {
        l->watch = NULL;
        link_gone(l, n == 0 ? TIDE_ECLOSED : (int)n);
        return;
    }
    int rc = tide_ipc_read(l->reader, data, (size_t)n, deliver, l);
    if (rc == TIDE_EPROTO) {
        tide_log(TIDE_LOG_ERROR, "IPC: a packet that does not fit the message being read; dropping the link");
        link_gone(l, rc);
    }
}

int tide_link_open(tide_link_t *l, tide_reactor_t *r, int fd, int fd_chan,
                   tide_link_msg_cb on_msg, tide_link_gone_cb on_gone, void *udata)
{
    int err = 0;
    memset(l, 0, sizeof(*l));
    l->r = r;
    l->fd = fd;
    l->fd_chan = fd_chan;
    l->on_msg = on_msg;
    l->on_gone = on_gone;
    l->udata = udata;
    l->flush.cb = flush_batch;
    l->flush.udata = l;
    l->count = tide_calloc(1, sizeof(link_count_t));
    l->count->refs = 1;
    l->reader = tide_malloc(sizeof(tide_ipc_reader_t));
    tide_ipc_reader_init(l->reader, 0);
    if (on_msg) {
        l->watch = tide_reactor_recv(r, fd, on_packet, l, &err);
        if (!l->watch) {
            tide_ipc_reader_destroy(l->reader);
            tide_free(l->reader);
            l->reader = NULL;
            l->fd = l->fd_chan = -1; /* the caller keeps them on failure */
            tide_free(l->count);
            l->count = NULL;
            return err;
        }
    }
    return 0;
}

void tide_link_stop_reading(tide_link_t *l)
{
    if (l->watch) {
        tide_reactor_cancel(l->r, l->watch);
        l->watch = NULL;
    }
}

void tide_link_close(tide_link_t *l)
{
    l->on_gone = NULL;
    link_gone(l, 0);
    if (l->count) {
        count_put(l->count, 0);
        l->count = NULL;
    }
    if (l->reader) {
        tide_ipc_reader_destroy(l->reader);
        tide_free(l->reader);
        l->reader = NULL;
    }
}

static void on_sent(tide_reactor_t *r, void *udata, ssize_t res)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(res);
    out_msg_t *m = udata;
    if (++m->done < m->packets)
        return;
    count_put(m->count, m->bytes);
    tide_free(m);
}

/* Packet i of a message whose payload is a then b: its header (in hdr) and the iovecs of
 * header and chunk (how many). */
static int packet_iov(const tide_ipc_hdr_t *msg, const char *a, size_t alen, const char *b,
                      size_t i, tide_ipc_hdr_t *hdr, struct iovec iov[3])
{
    size_t n = tide_ipc_packets(msg->len);
    size_t off = i * TIDE_IPC_CHUNK;
    size_t chunk = msg->len - off < TIDE_IPC_CHUNK ? msg->len - off : TIDE_IPC_CHUNK;
    *hdr = *msg;
    hdr->flags = (uint16_t)((i == 0 ? TIDE_IPC_FIRST : 0) | (i + 1 == n ? TIDE_IPC_LAST : 0));
    hdr->chunk = (uint32_t)chunk;
    iov[0] = (struct iovec){hdr, sizeof(*hdr)};
    int k = 1;
    if (off < alen) {
        size_t take = alen - off < chunk ? alen - off : chunk;
        iov[k++] = (struct iovec){(void *)(a + off), take};
        off += take;
        chunk -= take;
    }
    if (chunk)
        iov[k++] = (struct iovec){(void *)(b + (off - alen)), chunk};
    return k;
}

/* A long message on a link with nothing on its way out: its packets go to the socket now,
 * from the caller's buffers, until the socket is full (no copy, no loop turn per packet).
 * How many went. */
static size_t send_now(tide_link_t *l, const tide_ipc_hdr_t *msg, const char *a, size_t alen,
                       const char *b)
{
    size_t n = tide_ipc_packets(msg->len), i = 0;
    while (i < n) {
        tide_ipc_hdr_t hdr;
        struct iovec iov[3];
        struct msghdr mh = {.msg_iov = iov};
        mh.msg_iovlen = (size_t)packet_iov(msg, a, alen, b, i, &hdr, iov);
        /* (a SEQPACKET send is whole or nothing) */
        if (sendmsg(l->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
            i++;
        else if (errno != EINTR)
            break; /* full (or broken: the reactor's write reports it) */
    }
    return i;
}

int tide_link_send2(tide_link_t *l, int type, uint64_t session, uint32_t worker,
                    const void *a, size_t alen, const void *b, size_t blen)
{
    if (l->fd < 0 || !l->count)
        return TIDE_ECLOSED;
    size_t len = alen + blen;
    if (len > UINT32_MAX)
        return -EMSGSIZE;
    tide_ipc_hdr_t msg = {.len = (uint32_t)len, .type = (uint16_t)type, .session = session,
                          .worker = worker};
    if (sizeof(msg) + len <= TIDE_IPC_PACKET) {
        /* Into this turn's packet (a new one when it is full). */
        if (l->batch && l->batch->len + sizeof(msg) + len > TIDE_IPC_PACKET) {
            tide_reactor_undefer(l->r, &l->flush);
            flush_batch(l->r, l);
        }
        if (!l->batch) {
            l->batch = tide_malloc(sizeof(link_batch_t));
            l->batch->count = count_ref(l->count);
            l->batch->len = 0;
        }
        msg.flags = TIDE_IPC_FIRST | TIDE_IPC_LAST;
        msg.chunk = (uint32_t)len;
        char *p = l->batch->data + l->batch->len;
        memcpy(p, &msg, sizeof(msg));
        if (alen)
            memcpy(p + sizeof(msg), a, alen);
        if (blen)
            memcpy(p + sizeof(msg) + alen, b, blen);
        l->batch->len += sizeof(msg) + len;
        l->count->queued += sizeof(msg) + len;
        tide_reactor_defer(l->r, &l->flush);
        return 0;
    }
    /* A long message: what was batched goes first, then its packets. */
    tide_reactor_undefer(l->r, &l->flush);
    flush_batch(l->r, l);
    size_t n = tide_ipc_packets(len);
    size_t first = l->count->queued == 0 ? send_now(l, &msg, a, alen, b) : 0;
    if (first == n)
        return 0;
    out_msg_t *m = tide_malloc(sizeof(*m) + n * sizeof(tide_ipc_hdr_t) + len);
    m->count = count_ref(l->count);
    m->bytes = len;
    l->count->queued += len;
    m->packets = n - first;
    m->done = 0;
    m->payload = (char *)&m->hdrs[n];
    if (alen)
        memcpy(m->payload, a, alen);
    if (blen)
        memcpy(m->payload + alen, b, blen);
    for (size_t i = first; i < n; i++) {
        struct iovec iov[2];
        tide_ipc_packet(&msg, m->payload, i, &m->hdrs[i], iov);
        int rc = tide_reactor_writev(l->r, l->fd, iov, 2, on_sent, m);
        if (rc < 0) {
            /* Packets already queued will still call on_sent: count this and the rest. */
            m->packets = i - first;
            if (i == first) {
                count_put(m->count, m->bytes);
                tide_free(m);
            }
            return rc;
        }
    }
    return 0;
}

int tide_link_send(tide_link_t *l, int type, uint64_t session, uint32_t worker,
                   const void *payload, size_t len)
{
    return tide_link_send2(l, type, session, worker, payload, len, NULL, 0);
}

void tide_link_forget(tide_link_t *l)
{
    /* A forked child: the reactor is the parent's, so only our copies are dropped. */
    if (l->fd >= 0)
        close(l->fd);
    l->fd = -1;
    if (l->fd_chan >= 0)
        close(l->fd_chan);
    l->fd_chan = -1;
    /* Writes on the inherited reactor never complete here: nothing else uses the counter. */
    tide_free(l->count);
    l->count = NULL;
    l->watch = NULL;
    l->flush.queued = false; /* the node sat on the parent's reactor: not ours */
    tide_free(l->batch);
    l->batch = NULL;
    if (l->reader) {
        tide_ipc_reader_destroy(l->reader);
        tide_free(l->reader);
        l->reader = NULL;
    }
}

int tide_link_send_fd(tide_link_t *l, uint64_t ticket, int fd)
{
    if (l->fd_chan < 0)
        return TIDE_ECLOSED;
    return tide_send_fds(l->fd_chan, &fd, 1, &ticket, sizeof(ticket));
}

int tide_link_take_fd(tide_link_t *l, uint64_t ticket)
{
    if (l->fd_chan < 0)
        return TIDE_ECLOSED;
    for (;;) {
        uint64_t t = 0;
        int fd = -1, nfds = 0;
        ssize_t n = tide_recv_fds(l->fd_chan, &fd, 1, &nfds, &t, sizeof(t));
        if (n < 0)
            return n == -EAGAIN ? -ENOENT : (int)n;
        if (n == 0)
            return -ENOENT; /* the peer is gone */
        if (nfds && n == (ssize_t)sizeof(t) && t == ticket)
            return fd;
        /* One whose message never came (its sender failed after sending it): not ours. */
        if (nfds)
            close(fd);
    }
}

size_t tide_link_queued(const tide_link_t *l)
{
    return l->count ? l->count->queued : 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * The hub: the links to every worker, as the master (MODE_PROCESS) or the manager
 * (MODE_BASE) holds them. It knows which incarnation of a worker is current, holds messages
 * for a worker being replaced, tells a worker that stops from one that crashed, relays pipe
 * messages, and passes everything else on (tide_hub_ops_t).
 *
 * Crashed or stopping: a worker says EXITING before it stops (answered with ACK: nothing
 * more will come). One whose link ends without it, or whose successor arrives first (the
 * manager replaces a worker only once it has exited), crashed: what it had is lost.
 *
 * Bounds: messages for a worker being replaced are held. Requests count in the dispatch
 * queues (tide/dispatch.h), which bound them; pipe messages are bounded here: past
 * HELD_MAX bytes held, or LINK_MAX bytes not yet written to a worker's link (it does not
 * read), a pipe message is dropped with a (rate-limited) warning.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server_int.h"
#include "tide/common.h"
#include "tide/log.h"
#include "tide/msg.h"

#define HELD_MAX (64u << 20)
#define LINK_MAX (64u << 20)

struct held_msg {
    held_msg_t *next;
    int type;
    uint64_t session;
    uint32_t field;
    size_t len;
    char data[];
};

static void drop_held(hub_slot_t *s)
{
    while (s->head) {
        held_msg_t *m = s->head;
        s->head = m->next;
        tide_free(m);
    }
    s->tail = NULL;
    s->held_bytes = 0;
}

static bool takes(const hub_slot_t *s)
{
    return s->cur && !s->cur->draining;
}

static void flush_held(tide_hub_t *h, int w)
{
    hub_slot_t *s = &h->slots[w];
    while (s->head && takes(s)) {
        held_msg_t *m = s->head;
        s->head = m->next;
        if (!s->head)
            s->tail = NULL;
        s->held_bytes -= m->len;
        tide_link_send(&s->cur->l, m->type, m->session, m->field, m->data, m->len);
        tide_free(m);
    }
}

int tide_hub_send(tide_hub_t *h, int w, int type, uint64_t session, uint32_t field,
                  const void *a, size_t alen, const void *b, size_t blen)
{
    hub_slot_t *s = &h->slots[w];
    if (type == TIDE_MSG_PIPE &&
        (s->held_bytes + alen + blen > HELD_MAX ||
         (takes(s) && tide_link_queued(&s->cur->l) > LINK_MAX))) {
        tide_log_limited(&h->rl, TIDE_LOG_WARNING,
                         "pipe message from worker #%llu to worker #%d dropped: worker #%d "
                         "does not read what it is sent",
                         (unsigned long long)session, w, w);
        return -ENOBUFS;
    }
    if (takes(s) && !s->head)
        return tide_link_send2(&s->cur->l, type, session, field, a, alen, b, blen);
    /* Being replaced: held for the next one. */
    held_msg_t *m = tide_malloc(sizeof(*m) + alen + blen);
    m->next = NULL;
    m->type = type;
    m->session = session;
    m->field = field;
    m->len = alen + blen;
    if (alen)
        memcpy(m->data, a, alen);
    if (blen)
        memcpy(m->data + alen, b, blen);
    if (s->tail)
        s->tail->next = m;
    else
        s->head = m;
    s->tail = m;
    s->held_bytes += m->len;
    return 0;
}

tide_link_t *tide_hub_link(tide_hub_t *h, int w)
{
    hub_slot_t *s = &h->slots[w];
    return takes(s) ? &s->cur->l : NULL;
}

/* The incarnation on slot w died without saying it stops. */
/* ---- tasks ---- */

static void publish_tasking(tide_hub_t *h, int t)
{
    if (h->s->tab.pids)
        __atomic_store_n(&h->s->tab.pids->worker[t].inflight, (uint32_t)h->slots[t].tasks.len,
                         __ATOMIC_RELAXED);
}

/* The task worker for a task: the one asked for, or the up one with the fewest tasks. */
static int pick_task_worker(tide_hub_t *h, uint32_t want)
{
    int first = h->s->cfg.worker_num, n = h->s->cfg.task_worker_num;
    if (want != TIDE_TASK_ANY)
        return want < (uint32_t)n ? first + (int)want : -1;
    int best = -1;
    for (int k = 0; k < n; k++) {
        int t = first + (h->task_rr + k) % n;
        if (!takes(&h->slots[t]))
            continue;
        if (best < 0 || h->slots[t].tasks.len < h->slots[best].tasks.len)
            best = t;
    }
    h->task_rr = (h->task_rr + 1) % n;
    /* None takes tasks now (all being replaced): held for the next one. */
    return best >= 0 ? best : first + h->task_rr;
}

/* A holder's tag in a slot's task map: the incarnation, and whether the sender blocks. */
#define TASK_SYNC_TAG (1u << 31)

static void relay_task(tide_hub_t *h, const hub_link_t *from, uint64_t id, uint32_t want,
                       const char *payload, size_t len, bool sync)
{
    int src = from->id;
    int t = TIDE_SERVER_IS_TASK(h->s, src) || id >= TIDE__TASK_ID_MAX
                ? -1
                : pick_task_worker(h, want);
    if (t < 0) {
        tide_log_limited(&h->rl, TIDE_LOG_WARNING,
                         "task %llu from worker #%d dropped: %s", (unsigned long long)id, src,
                         TIDE_SERVER_IS_TASK(h->s, src) ? "a task worker may not send tasks"
                         : id >= TIDE__TASK_ID_MAX      ? "its id is out of range"
                                                        : "no such task worker");
        return;
    }
    tide_msg_task_t head;
    memcpy(&head, payload, sizeof(head));
    head.flags = (head.flags & ~(uint32_t)TIDE_TASK_SYNC) | (sync ? TIDE_TASK_SYNC : 0);
    head.gen = from->gen; /* the incarnation that sent it (an old one may still be read) */
    head.dispatch_us = tide_unix_time_us();
    hub_slot_t *ts = &h->slots[t];
    uint32_t holder = takes(ts) ? ts->cur->gen : ts->gen + 1; /* held: the next one's */
    tide_idmap_put(&ts->tasks, tide__task_key(src, head.gen, id),
                   (void *)(uintptr_t)(holder | (sync ? TASK_SYNC_TAG : 0)));
    publish_tasking(h, t);
    tide_hub_send(h, t, TIDE_MSG_TASK, id, (uint32_t)src, &head, sizeof(head),
                  payload + sizeof(head), len - sizeof(head));
}

/* A task's answer goes to the incarnation that sent it (still read while it stops), or
 * nowhere: a result for a worker that is gone is not handed to its successor. */
static void to_sender(tide_hub_t *h, int dst, uint32_t gen16, uint64_t id, int t,
                      const tide_msg_task_t *head, const char *data, size_t len, bool sync)
{
    for (hub_link_t *hl = h->links; hl; hl = hl->next)
        if (hl->id == dst && (hl->gen & 0xffff) == gen16) {
            tide_link_t *l = sync && hl->sync_up ? &hl->sync : &hl->l;
            tide_link_send2(l, TIDE_MSG_FINISH, id, (uint32_t)t, head, sizeof(*head), data,
                            len);
            return;
        }
}

static void task_end(tide_hub_t *h, int t, uint64_t id, uint32_t dst, const char *payload,
                     size_t len)
{
    tide_msg_task_t head;
    memcpy(&head, payload, sizeof(head));
    if (!TIDE_SERVER_IS_TASK(h->s, t) || dst >= (uint32_t)h->n || id >= TIDE__TASK_ID_MAX)
        return;
    /* Only a task this task worker has: what it says of others is not believed. */
    uint64_t key = tide__task_key((int)dst, head.gen, id);
    uintptr_t tag = (uintptr_t)tide_idmap_get(&h->slots[t].tasks, key);
    if (!tag)
        return;
    if (head.flags & TIDE_TASK_END) {
        tide_idmap_del(&h->slots[t].tasks, key);
        publish_tasking(h, t);
    }
    to_sender(h, (int)dst, head.gen & 0xffff, id, t, &head, payload + sizeof(head),
              len - sizeof(head), tag & TASK_SYNC_TAG);
}

/* The tasks of task worker t held by incarnation `holder` (0: every one) are reported
 * lost to their senders: that incarnation is gone without ending them. */
static void tasks_lost(tide_hub_t *h, int t, uint32_t holder)
{
    tide_idmap_t *m = &h->slots[t].tasks;
    size_t n = 0;
    uint64_t *keys = m->len ? tide_malloc(m->len * sizeof(*keys)) : NULL;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].id &&
            (!holder || ((uintptr_t)m->slots[i].value & ~(uintptr_t)TASK_SYNC_TAG) == holder))
            keys[n++] = m->slots[i].id;
    for (size_t i = 0; i < n; i++) {
        uint64_t key = keys[i];
        bool sync = (uintptr_t)tide_idmap_del(m, key) & TASK_SYNC_TAG;
        uint32_t gen16 = (uint32_t)(key >> 37) & 0xffff;
        tide_msg_task_t head = {TIDE_TASK_END | TIDE_TASK_LOST | (sync ? TIDE_TASK_SYNC : 0),
                                gen16, 0};
        to_sender(h, (int)(key >> 53), gen16, key & (TIDE__TASK_ID_MAX - 1), t, &head, NULL, 0,
                  sync);
    }
    tide_free(keys);
    publish_tasking(h, t);
}

static void crashed(tide_hub_t *h, int w)
{
    hub_slot_t *s = &h->slots[w];
    if (h->s->stopping)
        return;
    drop_held(s);
    if (TIDE_SERVER_IS_TASK(h->s, w))
        tasks_lost(h, w, 0); /* its own, and those held for its successor (just dropped) */
    s->dying = true;
    if (h->ops.crashed)
        h->ops.crashed(h, w);
    s->dying = false;
}

static void relay_pipe(tide_hub_t *h, uint64_t src, uint32_t dst, const char *payload,
                       size_t len)
{
    if (dst >= (uint32_t)h->n) {
        tide_log_limited(&h->rl, TIDE_LOG_WARNING,
                         "pipe message from worker #%llu to unknown worker #%u dropped",
                         (unsigned long long)src, dst);
        return;
    }
    tide_hub_send(h, (int)dst, TIDE_MSG_PIPE, src, dst, payload, len, NULL, 0);
}

static void on_gone(tide_link_t *l, void *udata, int err);

static void drop_now(tide_reactor_t *r, void *udata)
{
    TIDE_UNUSED(r);
    hub_link_t *hl = udata;
    on_gone(&hl->l, hl, TIDE_EPROTO);
}

static void on_msg(tide_link_t *l, void *udata, int type, uint64_t session, uint32_t field,
                   const char *payload, size_t len)
{
    hub_link_t *hl = udata;
    tide_hub_t *h = hl->hub;
    /* Being dropped for a message that did not fit: the rest of its packet is not acted
     * on (an EXITING after it would turn the crash into a stop). */
    if (hl->drop.queued)
        return;
    if (tide_msg_check(type, session, field, payload, len, h->accept) < 0) {
        /* A worker that breaks the protocol is broken: it goes, as a crashed one would. */
        tide_log(TIDE_LOG_ERROR, "worker #%d sent a message that does not fit (%s, %zu bytes); "
                 "dropping it", hl->id, tide_msg_name(type), len);
        tide_link_stop_reading(l);
        hub_slot_t *s = &h->slots[hl->id];
        if (s->cur == hl && s->pid > 0)
            kill(s->pid, SIGKILL);
        tide_reactor_defer(h->r, &hl->drop);
        return;
    }
    switch (type) {
    case TIDE_MSG_EXITING:
        /* It finishes what it has; what comes for its connections waits for the next. */
        if (!hl->draining) {
            hl->draining = true;
            if (h->ops.up && h->slots[hl->id].cur == hl)
                h->ops.up(h, hl->id, false);
        }
        tide_link_send(l, TIDE_MSG_ACK, 0, 0, NULL, 0);
        return;
    case TIDE_MSG_PIPE_REQ:
        /* From the worker on this link, whatever it claims (a worker cannot pose as
         * another). */
        relay_pipe(h, (uint64_t)hl->id, field, payload, len);
        return;
    case TIDE_MSG_SHUTDOWN:
        tide_server_shutdown(h->s);
        return;
    case TIDE_MSG_RELOAD:
        tide_server_reload(h->s, field != 0);
        return;
    case TIDE_MSG_TASK_REQ:
        relay_task(h, hl, session, field, payload, len, false);
        return;
    case TIDE_MSG_TASK_END:
        task_end(h, hl->id, session, field, payload, len);
        return;
    }
    if (h->ops.msg)
        h->ops.msg(h, hl, type, session, field, payload, len);
}

static void unlist(tide_hub_t *h, hub_link_t *hl)
{
    tide_reactor_undefer(h->r, &hl->drop);
    if (hl->prev)
        hl->prev->next = hl->next;
    else
        h->links = hl->next;
    if (hl->next)
        hl->next->prev = hl->prev;
}

static void on_gone(tide_link_t *l, void *udata, int err)
{
    TIDE_UNUSED(l);
    TIDE_UNUSED(err);
    hub_link_t *hl = udata;
    tide_hub_t *h = hl->hub;
    int w = hl->id;
    hub_slot_t *s = &h->slots[w];
    bool was_current = s->cur == hl;
    bool crash = !hl->draining;
    if (was_current) {
        s->cur = NULL;
        s->pid = 0;
    }
    /* A task worker that stopped (or an older incarnation) with tasks it never ended:
     * lost (a crash of the current one loses every task of the slot, below). */
    if (TIDE_SERVER_IS_TASK(h->s, w) && !(was_current && crash))
        tasks_lost(h, w, hl->gen);
    unlist(h, hl);
    tide_link_close(&hl->l);
    if (hl->has_sync)
        tide_link_close(&hl->sync);
    tide_free(hl);
    if (!was_current)
        return; /* an older incarnation: its successor took over already */
    /* Gone, crashed or not: it takes nothing more. Said before the loss, so that what
     * waited on it and proceeds now is not handed to it again. */
    if (h->ops.up)
        h->ops.up(h, w, false);
    if (crash)
        crashed(h, w);
}

/* The blocking channel: a task its worker waits for outside a coroutine (its answers go
 * back the same way). Anything else on it is ignored. */
static void on_sync_msg(tide_link_t *l, void *udata, int type, uint64_t session, uint32_t field,
                        const char *payload, size_t len)
{
    TIDE_UNUSED(l);
    hub_link_t *hl = udata;
    if (type == TIDE_MSG_TASK_REQ &&
        tide_msg_check(type, session, field, payload, len, TIDE_MSG_TO_HUB) == 0)
        relay_task(hl->hub, hl, session, field, payload, len, true);
}

static void on_sync_gone(tide_link_t *l, void *udata, int err)
{
    TIDE_UNUSED(l);
    TIDE_UNUSED(err);
    ((hub_link_t *)udata)->sync_up = false;
}

/* ---- direct links (direct.c): the hub introduces every worker to every task worker ---- */

static void introduce(tide_hub_t *h, int w, int t)
{
    tide_link_t *wl = tide_hub_link(h, w), *tl = tide_hub_link(h, t);
    if (!wl || !tl)
        return;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
        tide_log_limited(&h->rl, TIDE_LOG_WARNING, "no direct link between worker #%d and "
                         "task worker #%d (%s): tasks take the hub's way", w, t,
                         strerror(errno));
        return;
    }
    /* As deep as a link to the hub: a burst of tasks or answers does not wait. */
    int sz = 4 << 20;
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
    setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
    /* A new link: a new epoch of the pair's gate, open. (An end still holding the last
     * link sees the epoch change: that link takes no more.) */
    uint32_t epoch = 0;
    if (h->s->task_pairs) {
        uint64_t *gate = &tide_task_pair(h->s, w, t)->gate;
        epoch = (tide_gate_epoch(__atomic_load_n(gate, __ATOMIC_ACQUIRE)) + 1) &
                TIDE_GATE_EPOCH_MASK;
        __atomic_store_n(gate, (uint64_t)epoch << TIDE_GATE_EPOCH_SHIFT, __ATOMIC_RELEASE);
    }
    uint64_t ticket = tide__hub_ticket(h);
    if (tide_link_send_fd(wl, ticket, sv[0]) == 0 && tide_link_send_fd(tl, ticket, sv[1]) == 0) {
        tide_link_send(wl, TIDE_MSG_DIRECT, ticket, (uint32_t)t, &epoch, sizeof(epoch));
        tide_link_send(tl, TIDE_MSG_DIRECT, ticket, (uint32_t)w, &epoch, sizeof(epoch));
    }
    close(sv[0]);
    close(sv[1]);
}

static void introduce_all(tide_hub_t *h, int w)
{
    int first = h->s->cfg.worker_num, n = TIDE_SERVER_PROCS(h->s);
    if (first >= n)
        return;
    if (TIDE_SERVER_IS_TASK(h->s, w))
        for (int i = 0; i < first; i++)
            introduce(h, i, w);
    else
        for (int t = first; t < n; t++)
            introduce(h, w, t);
}

void tide_hub_attach(tide_hub_t *h, int w, pid_t pid, const int fds[TIDE_WORKER_FDS])
{
    hub_slot_t *s = &h->slots[w];
    hub_link_t *hl = tide_calloc(1, sizeof(*hl));
    hl->hub = h;
    hl->id = w;
    hl->drop.cb = drop_now;
    hl->drop.udata = hl;
    if (tide_link_open(&hl->l, h->r, fds[0], fds[1], on_msg, on_gone, hl) < 0) {
        for (int i = 0; i < TIDE_WORKER_FDS; i++)
            close(fds[i]);
        tide_free(hl);
        return;
    }
    if (fds[2] >= 0) {
        if (tide_link_open(&hl->sync, h->r, fds[2], -1, on_sync_msg, on_sync_gone, hl) == 0)
            hl->has_sync = hl->sync_up = true;
        else
            close(fds[2]);
    }
    hl->next = h->links;
    if (h->links)
        h->links->prev = hl;
    h->links = hl;
    /* An older incarnation still being read keeps its link until its EOF. The manager
     * replaces a worker only once it has exited, so one that never said EXITING crashed,
     * even if the EOF of its link has not been read yet. */
    if (s->cur && !s->cur->draining) {
        s->cur->draining = true;
        crashed(h, w);
    }
    s->cur = hl;
    s->pid = pid;
    hl->gen = ++s->gen;
    if (h->ops.up)
        h->ops.up(h, w, true);
    flush_held(h, w);
    introduce_all(h, w);
}

void tide_hub_init(tide_hub_t *h, tide_server_t *s, tide_reactor_t *r, int n, unsigned accept,
                   const tide_hub_ops_t *ops, void *udata)
{
    memset(h, 0, sizeof(*h));
    h->s = s;
    h->r = r;
    h->n = n;
    h->accept = accept;
    h->ops = *ops;
    h->udata = udata;
    h->slots = tide_calloc((size_t)n, sizeof(hub_slot_t));
    for (int i = 0; i < n; i++)
        tide_idmap_init(&h->slots[i].tasks);
}

static void free_all(tide_hub_t *h, bool forked)
{
    if (!h->slots)
        return;
    while (h->links) {
        hub_link_t *hl = h->links;
        h->links = hl->next;
        if (forked) {
            hl->drop.queued = false; /* the node sat on the parent's reactor: not ours */
            tide_link_forget(&hl->l);
            if (hl->has_sync)
                tide_link_forget(&hl->sync);
        } else {
            tide_reactor_undefer(h->r, &hl->drop);
            tide_link_close(&hl->l);
            if (hl->has_sync)
                tide_link_close(&hl->sync);
        }
        tide_free(hl);
    }
    for (int i = 0; i < h->n; i++) {
        h->slots[i].cur = NULL;
        drop_held(&h->slots[i]);
        tide_idmap_destroy(&h->slots[i].tasks);
    }
    tide_free(h->slots);
    h->slots = NULL;
}

void tide_hub_destroy(tide_hub_t *h)
{
    free_all(h, false);
}

void tide_hub_forget(tide_hub_t *h)
{
    free_all(h, true);
}

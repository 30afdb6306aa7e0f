/* SPDX-License-Identifier: MIT */
/*
 * Direct links between a worker and a task worker (server_int.h): a task and its answers
 * go straight between the two processes, two hops where the hub's way takes four.
 *
 * The hub introduces the two ends (tide_hub_attach: a SEQPACKET pair, one end on each
 * one's descriptor channel) whenever a worker or a task worker takes its slot. A worker
 * sends a task directly when it has a link to the task worker it picks and no task of its
 * is on the hub's way (the two ways would not keep its order). Otherwise, and for a task
 * waited for outside a coroutine, the task goes through the hub as before.
 *
 * Faults: the EOF of a link ends it at both ends. A worker reports the tasks it sent over
 * it and that never ended as lost. A task worker drops the answers of a sender that is
 * gone. A task worker that stops says EXITING on each link, and shuts each one's gate
 * (tide_task_pair_t) once it has read every task counted in at it: nothing sent to it is
 * lost, and it does not wait for a sender that is busy or blocked. A sender that finds a
 * gate shut, or reads EXITING, sends nothing more over that link and closes it once its
 * tasks on it have ended.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "server_int.h"
#include "tide/common.h"
#include "tide/log.h"
#include "tide/msg.h"

struct tide_direct {
    tide_link_t l;
    tide_directs_t *set;
    tide_direct_t *prev, *next;
    int other;         /* the worker or task worker at the other end */
    uint32_t num;      /* a task worker's number for it: answers name it in head.gen */
    uint32_t epoch;    /* its gate's (tide_task_pair_t) */
    uint32_t out;      /* a worker's: tasks sent over it that have not ended */
    bool draining;     /* a worker's: its task worker stops; nothing new goes over it */
    uint64_t read;     /* a task worker's: tasks read from it */
    bool shut;         /* a task worker's: its gate is shut (it is read no more) */
    tide_defer_t drop; /* closed at the end of the turn (not inside its own callback) */
};

static bool is_task(const tide_directs_t *d)
{
    return TIDE_SERVER_IS_TASK(d->s, d->s->worker_id);
}

/* A task worker's count of the tasks it read from direct links and has not ended. */
static uint32_t *held_count(const tide_directs_t *d, int t)
{
    return &d->s->tab.pids->worker[t].direct;
}

/* A worker's count of its direct tasks to task worker t that have not ended (stats() sums
 * them; only this worker writes them). */
static void count_open(const tide_directs_t *d, int t, int delta)
{
    uint32_t *c = &tide_task_pair(d->s, d->s->worker_id, t)->open;
    __atomic_store_n(c, (uint32_t)((int64_t)*c + delta), __ATOMIC_RELAXED);
}

static tide_direct_t **cur_of(const tide_directs_t *d, const tide_direct_t *x)
{
    return &d->cur[x->other - d->s->cfg.worker_num];
}

static void unlist(tide_direct_t *x)
{
    tide_directs_t *d = x->set;
    if (x->prev)
        x->prev->next = x->next;
    else
        d->list = x->next;
    if (x->next)
        x->next->prev = x->prev;
    if (d->cur && *cur_of(d, x) == x)
        *cur_of(d, x) = NULL;
}

static void report_lost(tide_direct_t *x);

static void drop_now(tide_reactor_t *r, void *udata)
{
    TIDE_UNUSED(r);
    tide_direct_t *x = udata;
    unlist(x);
    if (!is_task(x->set) && x->out)
        report_lost(x); /* (dropped for a message that did not fit) */
    tide_link_close(&x->l);
    tide_free(x);
}

/* Closed once this turn is over: its link may be inside its own callback now. A worker
 * sends nothing more over it meanwhile. */
static void drop_later(tide_direct_t *x)
{
    if (x->drop.queued)
        return;
    tide_directs_t *d = x->set;
    if (d->cur && *cur_of(d, x) == x)
        *cur_of(d, x) = NULL;
    tide_link_stop_reading(&x->l);
    tide_reactor_defer(d->s->r, &x->drop);
}

/* A worker: x's task worker stops. Nothing new goes over x, which is closed once the tasks
 * on it have ended. */
static void draining(tide_direct_t *x)
{
    tide_directs_t *d = x->set;
    x->draining = true;
    if (*cur_of(d, x) == x)
        *cur_of(d, x) = NULL;
    if (!x->out)
        drop_later(x);
}

/* A task worker that stops: shuts x's gate if every task counted in at it has been read;
 * then x is read no more (and kept for the answers). Only the newest link from a worker
 * has the gate: an older one is from a worker that has exited, and ends with its EOF. */
static void try_shut(tide_direct_t *x)
{
    tide_directs_t *d = x->set;
    if (!d->exiting || x->shut || x->drop.queued)
        return;
    for (tide_direct_t *y = d->list; y; y = y->next)
        if (y->other == x->other && y->num > x->num)
            return;
    uint64_t *gate = &tide_task_pair(d->s, x->other, d->s->worker_id)->gate;
    uint64_t v = __atomic_load_n(gate, __ATOMIC_ACQUIRE);
    /* (a gate of another epoch belongs to a newer link: this one ends with its EOF) */
    if (!(v & TIDE_GATE_SHUT) && tide_gate_epoch(v) == x->epoch &&
        (v & TIDE_GATE_COUNT_MASK) == x->read &&
        __atomic_compare_exchange_n(gate, &v, v | TIDE_GATE_SHUT, false, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE)) {
        x->shut = true;
        tide_link_stop_reading(&x->l);
    }
}

/* A worker: the tasks that went over x and never ended are lost. */
static void report_lost(tide_direct_t *x)
{
    tide_directs_t *d = x->set;
    tide_idmap_t *m = &d->out;
    uint64_t *ids = x->out ? tide_malloc(x->out * sizeof(*ids)) : NULL;
    size_t n = 0;
    for (size_t i = 0; i < m->cap && n < x->out; i++)
        if (m->slots[i].id && m->slots[i].value == x)
            ids[n++] = m->slots[i].id;
    for (size_t i = 0; i < n; i++)
        tide_idmap_del(m, ids[i]);
    x->out = 0;
    count_open(d, x->other, -(int)n);
    /* (the finish callbacks may send tasks: the map is not walked while they run) */
    for (size_t i = 0; i < n; i++) {
        tide_msg_task_t head = {TIDE_TASK_END | TIDE_TASK_LOST, 0, 0};
        tide__worker_finish(d->s, ids[i], (uint32_t)x->other, (const char *)&head,
                            sizeof(head));
    }
    tide_free(ids);
}

static void on_gone(tide_link_t *l, void *udata, int err)
{
    TIDE_UNUSED(l);
    TIDE_UNUSED(err);
    tide_direct_t *x = udata;
    tide_reactor_undefer(x->set->s->r, &x->drop);
    unlist(x);
    if (!is_task(x->set) && x->out)
        report_lost(x);
    tide_link_close(&x->l);
    tide_free(x);
}

/* A task worker: a task from the worker at the other end (whatever the message says). */
static void task_in(tide_direct_t *x, uint64_t id, const char *payload, size_t len)
{
    tide_server_t *s = x->set->s;
    tide_msg_task_t head;
    memcpy(&head, payload, sizeof(head));
    head.flags &= ~(uint32_t)TIDE_TASK_SYNC;
    head.gen = TIDE__TASK_DIRECT | x->num;
    x->read++;
    __atomic_add_fetch(held_count(x->set, s->worker_id), 1, __ATOMIC_RELAXED);
    s->h.task(s, x->other, id, &head, payload + sizeof(head), len - sizeof(head));
    if (s->tasks_block && x->l.fd >= 0) {
        /* Its answer goes out now: the next task may block the loop for long. */
        tide_link_flush(&x->l);
        tide_reactor_submit(s->r);
    }
    try_shut(x);
}

/* A worker: an answer to a task it sent over x. */
static void answer_in(tide_direct_t *x, uint64_t id, const char *payload, size_t len)
{
    tide_directs_t *d = x->set;
    tide_msg_task_t head;
    memcpy(&head, payload, sizeof(head));
    if (tide_idmap_get(&d->out, id) != x)
        return; /* not one of ours over this link: not believed */
    if (head.flags & TIDE_TASK_END) {
        tide_idmap_del(&d->out, id);
        x->out--;
        count_open(d, x->other, -1);
        if (x->draining && !x->out)
            drop_later(x);
    }
    tide__worker_finish(d->s, id, (uint32_t)x->other, payload, len);
}

static void on_msg(tide_link_t *l, void *udata, int type, uint64_t session, uint32_t field,
                   const char *payload, size_t len)
{
    TIDE_UNUSED(l);
    tide_direct_t *x = udata;
    tide_directs_t *d = x->set;
    bool task = is_task(d);
    if (x->drop.queued || x->shut)
        return;
    if (!task && type == TIDE_MSG_EXITING && len == 0) {
        draining(x);
        return;
    }
    int want = task ? TIDE_MSG_TASK : TIDE_MSG_FINISH;
    if (type != want ||
        tide_msg_check(type, session, field, payload, len, TIDE_MSG_TO_WORKER) < 0 ||
        session >= TIDE__TASK_ID_MAX || (task && !d->s->h.task)) {
        tide_log(TIDE_LOG_ERROR, "worker #%d: a message from #%d on their direct link that "
                 "does not fit (%s, %zu bytes); closing the link", d->s->worker_id, x->other,
                 tide_msg_name(type), len);
        drop_later(x);
        return;
    }
    if (task)
        task_in(x, session, payload, len);
    else
        answer_in(x, session, payload, len);
}

void tide__directs_init(tide_directs_t *d, tide_server_t *s)
{
    memset(d, 0, sizeof(*d));
    d->s = s;
    tide_idmap_init(&d->out);
    if (TIDE_SERVER_IS_TASK(s, s->worker_id)) {
        __atomic_store_n(held_count(d, s->worker_id), 0, __ATOMIC_RELAXED); /* a predecessor's */
    } else if (s->task_pairs) {
        d->cur = tide_calloc((size_t)s->cfg.task_worker_num, sizeof(*d->cur));
        for (int t = s->cfg.worker_num; t < TIDE_SERVER_PROCS(s); t++) /* a predecessor's */
            __atomic_store_n(&tide_task_pair(s, s->worker_id, t)->open, 0, __ATOMIC_RELAXED);
    }
}

void tide__directs_add(tide_directs_t *d, int fd, int other, uint32_t epoch)
{
    bool task = is_task(d);
    int first = d->s->cfg.worker_num;
    /* A worker's link goes to a task worker, a task worker's to a worker. */
    if (!d->s->task_pairs ||
        (task ? other < 0 || other >= first
              : other < first || other >= TIDE_SERVER_PROCS(d->s) || !d->cur)) {
        close(fd);
        return;
    }
    tide_direct_t *x = tide_calloc(1, sizeof(*x));
    x->set = d;
    x->other = other;
    x->num = ++d->next_num & ~TIDE__TASK_DIRECT;
    x->epoch = epoch;
    x->drop.cb = drop_now;
    x->drop.udata = x;
    if (tide_link_open(&x->l, d->s->r, fd, -1, on_msg, on_gone, x) < 0) {
        close(fd);
        tide_free(x);
        return;
    }
    /* A worker's links do not keep its loop alive: a stopping worker reads its hub link
     * until its tasks have ended, and leaves then. */
    if (!task && x->l.watch)
        tide_reactor_unref(d->s->r, x->l.watch);
    x->next = d->list;
    if (d->list)
        d->list->prev = x;
    d->list = x;
    if (task) {
        /* One that stops says so on links that come late too. */
        if (d->exiting) {
            tide_link_send(&x->l, TIDE_MSG_EXITING, 0, 0, NULL, 0);
            try_shut(x);
        }
    } else {
        /* A newer link to the same task worker (its next incarnation) takes new tasks. */
        tide_direct_t *old = *cur_of(d, x);
        *cur_of(d, x) = x;
        if (old)
            draining(old);
    }
}

/* The task worker for a direct task: the one asked for, or the least busy one this worker
 * has a link to (what the hub has handed it, what it has read from direct links, and what
 * this worker sent it that has not ended). NULL: none. */
static tide_direct_t *pick(tide_directs_t *d, uint32_t dst)
{
    int n = d->s->cfg.task_worker_num, first = d->s->cfg.worker_num;
    if (dst != TIDE_TASK_ANY)
        return dst < (uint32_t)n ? d->cur[dst] : NULL;
    tide_direct_t *best = NULL;
    uint64_t best_load = 0;
    for (int k = 0; k < n; k++) {
        int i = (int)((d->rr + (unsigned)k) % (unsigned)n);
        tide_direct_t *x = d->cur[i];
        if (!x)
            continue;
        uint64_t load = (uint64_t)x->out +
                        __atomic_load_n(&d->s->tab.pids->worker[first + i].inflight,
                                        __ATOMIC_RELAXED) +
                        __atomic_load_n(held_count(d, first + i), __ATOMIC_RELAXED);
        if (!best || load < best_load) {
            best = x;
            best_load = load;
            if (!load)
                break;
        }
    }
    d->rr = (d->rr + 1) % (unsigned)n;
    return best;
}

/* Counts a task in at x's gate (delta 1), or takes one back (-1); false when the gate is
 * shut (its task worker stops) or of another epoch (a newer link replaced x). */
static bool gate_count(tide_directs_t *d, tide_direct_t *x, int delta)
{
    uint64_t *gate = &tide_task_pair(d->s, d->s->worker_id, x->other)->gate;
    uint64_t v = __atomic_load_n(gate, __ATOMIC_ACQUIRE);
    do {
        if ((v & TIDE_GATE_SHUT) || tide_gate_epoch(v) != x->epoch)
            return false;
    } while (!__atomic_compare_exchange_n(gate, &v, v + (uint64_t)(int64_t)delta, true,
                                          __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
    return true;
}

int tide__directs_task(tide_directs_t *d, uint64_t id, uint32_t dst, const tide_msg_task_t *head,
                       const char *data, size_t len)
{
    if (!d->cur || d->hub_out)
        return 0;
    tide_direct_t *x;
    while ((x = pick(d, dst)) && !gate_count(d, x, 1))
        draining(x);
    if (!x)
        return 0;
    tide_msg_task_t h = *head;
    h.gen = 0;
    h.dispatch_us = tide_unix_time_us();
    int rc = tide_link_send2(&x->l, TIDE_MSG_TASK, id, (uint32_t)d->s->worker_id, &h,
                             sizeof(h), data, len);
    if (rc < 0) {
        gate_count(d, x, -1);
        return rc;
    }
    tide_idmap_put(&d->out, id, x);
    x->out++;
    count_open(d, x->other, 1);
    return 1;
}

int tide__directs_task_end(tide_directs_t *d, int src, uint64_t id, const tide_msg_task_t *head,
                           const char *data, size_t len)
{
    if (head->flags & TIDE_TASK_END)
        __atomic_sub_fetch(held_count(d, d->s->worker_id), 1, __ATOMIC_RELAXED);
    uint32_t num = head->gen & ~TIDE__TASK_DIRECT;
    for (tide_direct_t *x = d->list; x; x = x->next)
        if (x->num == num && x->other == src) {
            if (x->drop.queued)
                break;
            return tide_link_send2(&x->l, TIDE_MSG_FINISH, id, (uint32_t)d->s->worker_id, head,
                                   sizeof(*head), data, len);
        }
    return 0; /* its sender is gone: nobody to tell */
}

void tide__directs_flush(tide_directs_t *d)
{
    bool any = false;
    for (tide_direct_t *x = d->list; x; x = x->next)
        if (x->l.batch) {
            tide_link_flush(&x->l);
            any = true;
        }
    if (any)
        tide_reactor_submit(d->s->r);
}

void tide__directs_exiting(tide_directs_t *d)
{
    if (!is_task(d) || d->exiting)
        return;
    d->exiting = true;
    for (tide_direct_t *x = d->list; x; x = x->next) {
        tide_link_send(&x->l, TIDE_MSG_EXITING, 0, 0, NULL, 0);
        try_shut(x);
    }
}

void tide__directs_free(tide_directs_t *d)
{
    while (d->list) {
        tide_direct_t *x = d->list;
        tide_reactor_undefer(d->s->r, &x->drop);
        unlist(x);
        tide_link_close(&x->l);
        tide_free(x);
    }
    tide_free(d->cur);
    d->cur = NULL;
    tide_idmap_destroy(&d->out);
}

/* SPDX-License-Identifier: MIT */
/*
 * What the server's files share (server.c, hub.c, master.c, worker.c). Not a public header.
 */
#ifndef TIDE_SERVER_INT_H
#define TIDE_SERVER_INT_H

#include "tide/dispatch.h"
#include "tide/idmap.h"
#include "tide/link.h"
#include "tide/manager.h"
#include "tide/server.h"

/* ---- the hub: one link per worker incarnation (the master, or the MODE_BASE manager) ---- */

typedef struct tide_hub tide_hub_t;

/* One incarnation of a worker, as its hub sees it: read until EOF even after a successor
 * took the slot (its last replies are still in it). */
typedef struct hub_link {
    tide_link_t l;
    tide_hub_t *hub;
    int id;
    bool draining; /* it said EXITING: it finishes what it has, and takes nothing new */
    uint32_t gen;  /* which incarnation of its slot (1, 2, ...): tasks name their sender's */
    /* Its blocking channel: tasks a caller waits for outside a coroutine come over it,
     * their answers go back over it (the worker writes and reads it synchronously). */
    tide_link_t sync;
    bool has_sync; /* opened (closed with the link) */
    bool sync_up;  /* still there (no EOF yet) */
    struct hub_link *prev, *next; /* every incarnation still read */
    tide_defer_t drop;             /* a broken link is dropped from the loop, not a callback */
} hub_link_t;

typedef struct held_msg held_msg_t;

typedef struct hub_slot {
    hub_link_t *cur;   /* NULL while the worker is being replaced */
    pid_t pid;
    bool dying;        /* its connections are being closed after a crash: nobody to tell */
    held_msg_t *head, *tail; /* messages held until the next incarnation takes the slot */
    size_t held_bytes;
    uint32_t gen;      /* incarnations attached so far */
    /* A task worker's: the tasks handed to it and not ended, by tide__task_key(), each with
     * the gen of the incarnation of this task worker that has it (or will get it, when it
     * is held) as value; reported lost to their senders if that incarnation goes. */
    tide_idmap_t tasks;
} hub_slot_t;

/* A task's key in the hub: its sender, the sender's incarnation (16 bits of it) and its id
 * (ids below 2^37; senders below 2^11, TIDE_SERVER_PROCS at most 2048). */
#define TIDE__TASK_ID_MAX (1ull << 37)
static inline uint64_t tide__task_key(int src, uint32_t gen, uint64_t id)
{
    return (uint64_t)src << 53 | (uint64_t)(gen & 0xffff) << 37 | (id & (TIDE__TASK_ID_MAX - 1));
}

/* A direct task's head.gen in the task worker: this bit and the number of the link it came
 * over (its answers go back over that link). */
#define TIDE__TASK_DIRECT (1u << 31)

typedef struct tide_hub_ops {
    /* A message from a worker that the hub does not handle itself (checked already). */
    void (*msg)(tide_hub_t *h, hub_link_t *from, int type, uint64_t session, uint32_t field,
                const char *payload, size_t len);
    /* Worker w died without saying it stops: what it had is lost. */
    void (*crashed)(tide_hub_t *h, int w);
    /* Worker w takes messages (a new incarnation), or stops taking them (it said EXITING,
     * or it is gone). */
    void (*up)(tide_hub_t *h, int w, bool up);
} tide_hub_ops_t;

struct tide_hub {
    tide_server_t *s;
    tide_reactor_t *r;
    int n;
    unsigned accept;   /* what it takes from workers: TIDE_MSG_TO_HUB, maybe TO_OWNER */
    hub_slot_t *slots;
    hub_link_t *links; /* every incarnation's link, current or draining */
    int task_rr;       /* where the next idle-first choice among equals starts */
    uint64_t tickets;  /* the last ticket of a descriptor sent to a worker */
    tide_hub_ops_t ops;
    void *udata;
    tide_ratelimit_t rl;
};

/* A ticket for a descriptor the hub sends a worker: never one a worker's own sendfile
 * tickets (relayed in MODE_BASE, on the same channel) can be. */
static inline uint64_t tide__hub_ticket(tide_hub_t *h)
{
    return 1ull << 63 | ++h->tickets;
}

void tide_hub_init(tide_hub_t *h, tide_server_t *s, tide_reactor_t *r, int n, unsigned accept,
                   const tide_hub_ops_t *ops, void *udata);
/* Closes every link (after what is queued). */
void tide_hub_destroy(tide_hub_t *h);
/* In a forked child: drops the parent's links without touching its reactor. */
void tide_hub_forget(tide_hub_t *h);
/* A new incarnation of worker w, on its link and descriptor channel (the hub owns them). */
void tide_hub_attach(tide_hub_t *h, int w, pid_t pid, const int fds[TIDE_WORKER_FDS]);
/* Sends to worker w now, or holds it for its next incarnation. 0 or -errno. */
int tide_hub_send(tide_hub_t *h, int w, int type, uint64_t session, uint32_t field,
                  const void *a, size_t alen, const void *b, size_t blen);
/* Worker w's link while it takes messages, or NULL. */
tide_link_t *tide_hub_link(tide_hub_t *h, int w);

/* ---- direct links between workers and task workers (direct.c) ---- */

typedef struct tide_direct tide_direct_t;
typedef struct tide_directs {
    tide_server_t *s;
    tide_direct_t *list; /* every link still open */
    tide_direct_t **cur; /* a worker's: by task worker index, the link new tasks take */
    tide_idmap_t out;    /* a worker's: task id -> the link it went over (until it ends) */
    uint64_t hub_out;    /* a worker's: its tasks on the hub's way that have not ended */
    uint32_t next_num;   /* a task worker's: the number of its last link */
    unsigned rr;         /* where the next idle-first choice among equals starts */
    bool exiting;        /* a task worker that stops: its links were told */
} tide_directs_t;

void tide__directs_init(tide_directs_t *d, tide_server_t *s);
void tide__directs_free(tide_directs_t *d);
/* The hub introduced a link (fd, owned from here) to worker or task worker `other`. */
void tide__directs_add(tide_directs_t *d, int fd, int other, uint32_t epoch);
/* Hands every link's batch to the reactor and submits (a worker about to block). */
void tide__directs_flush(tide_directs_t *d);
/* A worker: sends task id directly when it may. 1 sent, 0 not (it takes the hub's way),
 * or a negative code. */
int tide__directs_task(tide_directs_t *d, uint64_t id, uint32_t dst, const tide_msg_task_t *head,
                       const char *data, size_t len);
/* A task worker: the answer to a direct task (head.gen names its link). */
int tide__directs_task_end(tide_directs_t *d, int src, uint64_t id, const tide_msg_task_t *head,
                           const char *data, size_t len);
/* A task worker that stops: tells its senders (who close their links when done). */
void tide__directs_exiting(tide_directs_t *d);
/* The worker's, or NULL. */
tide_directs_t *tide__worker_directs(tide_server_t *s);
/* A worker: an answer to one of its tasks, from wherever it came. */
void tide__worker_finish(tide_server_t *s, uint64_t id, uint32_t t, const char *payload,
                         size_t len);

/* ---- the owner of connections: requests about them (send, close...) ---- */

/* Carries out an owner message on engine e; from: the link it came over (the descriptor
 * channel of a SENDFILE), or NULL. */
void tide__owner_request(tide_server_t *s, tide_engine_t *e, tide_link_t *from, int type,
                         uint64_t session, uint32_t field, const char *payload, size_t len);
/* Lets the connections and ports in ready[0..n) proceed, then frees ready. */
void tide__proceed(tide_engine_t *e, tide_server_t *s, uint64_t *ready, size_t n);
/* Datagram ports wait in dispatch queues under these pseudo-sessions. */
#define TIDE__PORT_WAIT(i) (UINT64_MAX - (uint64_t)(i))
static inline bool tide__is_port_wait(uint64_t session)
{
    return session > UINT64_MAX - TIDE_SERVER_MAX_PORTS;
}

/* ---- the processes ---- */

/* The master of MODE_PROCESS, until the server has shut down; manager_pid runs already
 * and ctl_fd is its control socket. 0, or a negative code with s->error. */
int tide__master_run(tide_server_t *s, pid_t manager_pid, int ctl_fd);
void tide__master_shutdown(tide_server_t *s);
tide_engine_t *tide__master_engine(tide_server_t *s);
void tide__master_free(tide_server_t *s);
/* The manager: MODE_PROCESS (forked, ctl_fd to the master) or MODE_BASE (the caller,
 * ctl_fd -1). Returns as tide_server_start() does in this process. */
int tide__manager_main(tide_server_t *s, int ctl_fd, int *exit_status);
/* A worker, forked by the manager: fds are its link and descriptor channel. Returns
 * TIDE_SERVER_LEAVE with *exit_status. */
int tide__worker_main(tide_server_t *s, int id, const int fds[TIDE_WORKER_FDS], int *exit_status);
void tide__worker_begin_stop(tide_server_t *s);
tide_link_t *tide__worker_link(tide_server_t *s);
tide_engine_t *tide__worker_engine(tide_server_t *s);
/* What this worker sent to the connection over its link and the owner has not handled. */
uint64_t tide__worker_inflight(tide_server_t *s, const tide_conninfo_t *c, uint64_t session);
void tide__worker_inflight_add(tide_server_t *s, const tide_conninfo_t *c, uint64_t session,
                               size_t len);
void tide__worker_inflight_forget(tide_server_t *s, uint64_t session);
void tide__worker_done(tide_server_t *s, uint64_t session, size_t len);
/* A task went out: the worker reads its link until it has ended (a stopping one too). */
void tide__worker_task_sent(tide_server_t *s);

#endif

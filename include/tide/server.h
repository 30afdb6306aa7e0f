/* SPDX-License-Identifier: MIT */
/*
 * A server: the process model, in plain C, that the Zend layer drives through hooks.
 *
 *   MODE_PROCESS  the process that calls tide_server_start() becomes the master: it forks
 *                 the manager, which forks the workers. The master accepts, reads and frames
 *                 (tide/engine.h) and hands each message to a worker over that worker's link
 *                 (tide/link.h, tide/msg.h); workers run the hooks and send replies back.
 *   MODE_BASE     the calling process is the manager; every worker accepts and reads itself
 *                 (its own SO_REUSEPORT socket for TCP) and runs the hooks on what it read.
 *                 The manager relays what one worker asks of another (pipe messages, or a
 *                 send() to a connection another worker owns).
 *
 * The binding sets the configuration, adds ports, installs hooks and calls
 * tide_server_start(). Hooks run in the process the event belongs to. A forked process
 * (manager, worker) never returns into the code that called start() as if it were the
 * caller: tide_server_start() returns TIDE_SERVER_LEAVE there, and the binding ends it.
 *
 * Back-pressure: each message handed to a worker is in flight until the binding calls
 * tide_server_done() for it. A connection with connection_max_inflight messages in flight is
 * not read; a worker with worker_max_inflight messages (or worker_max_inflight_bytes) is
 * handed nothing more: the connections bound to it wait unread (tide/dispatch.h).
 */
#ifndef TIDE_SERVER_H
#define TIDE_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "tide/conntab.h"
#include "tide/engine.h"
#include "tide/log.h"
#include "tide/msg.h"
#include "tide/reactor.h"

enum { TIDE_MODE_BASE = 1, TIDE_MODE_PROCESS = 2 };

typedef enum tide_role {
    TIDE_ROLE_NONE = 0, /* not started, or the process that called start() after it ended */
    TIDE_ROLE_MASTER,   /* MODE_PROCESS master */
    TIDE_ROLE_MANAGER,  /* the manager (in MODE_BASE: the process that called start()) */
    TIDE_ROLE_WORKER,
    TIDE_ROLE_PROCESS,  /* a process added with Server::addProcess() (the user_process hook) */
} tide_role_t;

/* Every process the manager keeps alive: workers and task workers. */
#define TIDE_SERVER_PROCS(s) ((s)->cfg.worker_num + (s)->cfg.task_worker_num)
/* Whether worker id `id` is a task worker (no connections, no requests: tasks). */
#define TIDE_SERVER_IS_TASK(s, id) ((id) >= (s)->cfg.worker_num)

/* "master", "manager", "worker", "process", or what `none` says for TIDE_ROLE_NONE. */
const char *tide_role_name(tide_role_t role, const char *none);

#define TIDE_SERVER_MAX_PORTS 64

typedef struct tide_server tide_server_t;

typedef struct tide_server_config {
    int mode;
    int worker_num;
    int task_worker_num;          /* task workers: ids worker_num .. worker_num + this - 1 */
    int dispatch_mode;            /* 1..4 */
    uint64_t max_request;         /* a worker is replaced after this many (0: never) */
    uint64_t max_wait_ms;         /* a stopping worker is killed after this long */
    uint32_t max_connection;
    uint64_t heartbeat_check_ms, heartbeat_idle_ms;
    uint32_t connection_max_inflight; /* 0: no bound */
    uint32_t worker_max_inflight;     /* 0: no bound */
    uint64_t worker_max_inflight_bytes;
    bool daemonize;
    const char *pid_file;         /* the binding's strings, alive while the server runs */
    const char *user, *group;
    int log_fd;                   /* where a daemon's stdout/stderr go (-1: /dev/null) */
    int process_num;              /* added processes (the user_process hook runs each) */
} tide_server_config_t;

typedef struct tide_server_hooks {
    /* The reactor of the process: called in the caller before anything is forked, and in
     * every forked process that runs a loop. NULL (with s->error set) fails the start. */
    tide_reactor_t *(*reactor)(tide_server_t *s);
    /* Runs the worker's loop (the binding's scheduler) until nothing is left. False: the
     * worker must end at once (exit() in a callback): it leaves as a crashed one would. */
    bool (*run)(tide_server_t *s);
    /* A process of the server begins (role, worker_id and pids are set). */
    void (*process_start)(tide_server_t *s);
    /* Events: the master (MODE_BASE: the manager) */
    void (*start)(tide_server_t *s);
    /* the manager */
    void (*manager_start)(tide_server_t *s);
    void (*manager_stop)(tide_server_t *s);
    void (*worker_error)(tide_server_t *s, int id, pid_t pid, int exit_code, int signo);
    void (*reload)(tide_server_t *s, bool after);
    /* An added process (0 .. process_num - 1), in a child of the manager (MODE_BASE: of the
     * process that called start()) that the manager keeps alive as it keeps workers (a
     * 1 s backoff when it ended within a second) and stops with SIGTERM, then SIGKILL after
     * max_wait, when the server shuts down; never reloaded. The hook runs the process to
     * its end; the process then leaves (TIDE_SERVER_LEAVE) with *exit_status 0. */
    void (*user_process)(tide_server_t *s, int index);
    /* a worker */
    void (*worker_start)(tide_server_t *s);
    void (*worker_exit)(tide_server_t *s); /* it takes no new requests from now on */
    void (*worker_stop)(tide_server_t *s);
    void (*connect)(tide_server_t *s, int port, uint64_t session);
    /* A message: the binding calls tide_server_done(s, session, len) when it is handled. */
    void (*receive)(tide_server_t *s, int port, uint64_t session, const char *data, size_t len);
    /* A message whose body was spooled (a large HTTP request body): head[0..len), and the
     * body_len bytes of the file fd (the binding's to close). tide_server_done(s, session,
     * len) when it is handled. NULL: the body is dropped (the message is done). */
    void (*receive_file)(tide_server_t *s, int port, uint64_t session, const char *head,
                         size_t len, int fd, uint64_t body_len);
    void (*close)(tide_server_t *s, int port, uint64_t session);
    /* A datagram: tide_server_done(s, 0, len) when it is handled. */
    void (*packet)(tide_server_t *s, int port, const tide_msg_peer_t *from, const char *data,
                   size_t len);
    void (*pipe_message)(tide_server_t *s, int src_worker, const char *data, size_t len);
    /* A task worker: a task from worker src (head->flags says how data is encoded). The
     * binding answers with tide_server_task_end() (with END exactly once per task). */
    void (*task)(tide_server_t *s, int src, uint64_t id, const tide_msg_task_t *head,
                 const char *data, size_t len);
    /* The worker that sent task id: its result (RESULT), its end (END), or its loss with
     * the task worker that had it (END | LOST). */
    void (*finish)(tide_server_t *s, int task_worker, uint64_t id, const tide_msg_task_t *head,
                   const char *data, size_t len);
} tide_server_hooks_t;

struct tide_server {
    tide_server_config_t cfg;
    tide_server_hooks_t h;
    void *udata;
    tide_port_t *ports[TIDE_SERVER_MAX_PORTS];
    int nports;
    char error[512];    /* why start() failed */
    /* Runtime, in the process running it: */
    tide_role_t role;
    int worker_id;      /* a worker's id, -1 elsewhere */
    bool started;
    bool stopping;
    tide_conntab_t tab;
    /* Shared: per worker w and task worker t, at [w * task_worker_num + (t - worker_num)],
     * what their direct link carries (tide_task_pair_t). */
    struct tide_task_pair *task_pairs;
    size_t task_pairs_len;
    tide_reactor_t *r;
    uint64_t requests;  /* messages this worker was handed */
    /* A task worker whose task callbacks block (they run outside coroutines): each answer
     * is written before the next task runs. */
    bool tasks_block;
    struct tide_master *master;
    struct tide_worker *worker;
    struct tide_manager *manager;
    struct tide_hub *hub;
};

/* In shared memory, per worker and task worker (tide_server_t.task_pairs), for their
 * direct link (src/server/direct.c). The gate closes the link without a race: a worker
 * counts a task in before it sends it, unless the gate is shut; a task worker that stops
 * shuts it once it has read as many tasks as were counted in. Then nothing more can come,
 * and it need not wait for that worker (which may be busy, or blocked) to close the link.
 * Each link the hub makes for the pair has a new epoch; both ends know it, and a gate of
 * another epoch is not theirs (as good as shut for a worker, left alone by a task worker). */
#define TIDE_GATE_SHUT (1ull << 63)
#define TIDE_GATE_EPOCH_SHIFT 40
#define TIDE_GATE_EPOCH_MASK ((1u << 23) - 1)
#define TIDE_GATE_COUNT_MASK ((1ull << TIDE_GATE_EPOCH_SHIFT) - 1)
static inline uint32_t tide_gate_epoch(uint64_t gate)
{
    return (uint32_t)(gate >> TIDE_GATE_EPOCH_SHIFT) & TIDE_GATE_EPOCH_MASK;
}
typedef struct tide_task_pair {
    uint64_t gate; /* TIDE_GATE_SHUT, the epoch, and the tasks counted in at it */
    uint32_t open; /* the worker's: its direct tasks that have not ended (stats() sums) */
    uint32_t reserved;
} tide_task_pair_t;

static inline tide_task_pair_t *tide_task_pair(const tide_server_t *s, int w, int t)
{
    return &s->task_pairs[(size_t)w * (size_t)s->cfg.task_worker_num +
                          (size_t)(t - s->cfg.worker_num)];
}

/* tide_server_start(): the caller's server ended (0), or this forked process must end now. */
enum { TIDE_SERVER_LEAVE = 1 };

/* Sets defaults (the configuration Swoole users expect) and the hooks. */
void tide_server_init(tide_server_t *s, const tide_server_hooks_t *h, void *udata);
/* Frees what start() left (the connection table); ports stay the caller's. */
void tide_server_destroy(tide_server_t *s);
/*
 * Opens p's socket as the server's mode needs (p->type, host and port set by the caller;
 * port 0 picks one) and adds it: fills p->fd, p->port, p->index. A TCP address this server
 * listens on already is refused (SO_REUSEPORT would hide it). 0 or -errno with `why`.
 */
int tide_server_listen(tide_server_t *s, tide_port_t *p, char *why, size_t why_len);
/*
 * Runs the server (blocks). Returns 0 in the caller once the server has shut down; a
 * negative code with s->error when it could not start (nothing was forked that runs on);
 * TIDE_SERVER_LEAVE in a forked process that is done, or in the caller of a daemonizing
 * start: the process must end with *exit_status without running the caller's code.
 */
int tide_server_start(tide_server_t *s, int *exit_status);

/* A message (session) or datagram (session 0) of len bytes handed to this worker is done. */
void tide_server_done(tide_server_t *s, uint64_t session, size_t len);
/*
 * Sends to a connection, from any process of the running server: straight into the engine
 * of its owner, or over a link. 0; TIDE_ECLOSED when it is gone; TIDE_EFULL when its output
 * queue (with what this process sent it that is still on the way) would pass
 * buffer_output_size: *queued (may be NULL) then holds what is queued.
 */
int tide_server_send(tide_server_t *s, uint64_t session, const void *data, size_t len,
                     uint64_t *queued);
/* Sends length bytes of the open file fd from offset, in order with send(); takes fd.
 * TIDE_EFULL when 64 files are queued for the connection already (each holds an fd); on an
 * HTTP connection the next request is not handed out while a file is queued. */
int tide_server_sendfile(tide_server_t *s, uint64_t session, int fd, uint64_t offset,
                         uint64_t length);
int tide_server_close(tide_server_t *s, uint64_t session, bool reset);
int tide_server_pause(tide_server_t *s, uint64_t session);
/* A request to the connection's protocol (tide_engine_control), from any process, in order
 * with what this process sent the connection. 0 or a negative code (from another process:
 * whether it was sent; the owner's answer does not come back). */
int tide_server_control(tide_server_t *s, uint64_t session, int op, const void *arg, size_t len);
int tide_server_resume(tide_server_t *s, uint64_t session);
/* From a worker: a message to worker dst (its pipeMessage). 0 or an error. */
int tide_server_send_message(tide_server_t *s, int dst, const void *data, size_t len);
/* Graceful shutdown of the whole server, from any of its processes. */
int tide_server_shutdown(tide_server_t *s);
/* Replaces the workers one at a time, from any process. */
int tide_server_reload(tide_server_t *s, bool tasks_only);
/* From a worker: task id (> 0, < 2^37, unique in this worker) with head (flags only) and
 * data, to task worker `dst` (an index among them) or TIDE_TASK_ANY. 0 or a negative code. */
int tide_server_task(tide_server_t *s, uint64_t id, uint32_t dst, const tide_msg_task_t *head,
                     const char *data, size_t len);
/* From a task worker: the answer to task id of worker src (head as it came, flags set). */
int tide_server_task_end(tide_server_t *s, int src, uint64_t id, const tide_msg_task_t *head,
                         const char *data, size_t len);
/* The same for a caller that blocks outside the loop: sent now, synchronously, over the
 * worker's blocking channel (waiting for room until deadline_ns); its answers come back on
 * that channel, read by tide_server_sync_wait() (or by the loop, when nobody waits). */
int tide_server_task_sync(tide_server_t *s, uint64_t id, uint32_t dst, const tide_msg_task_t *head,
                          const char *data, size_t len, uint64_t deadline_ns);
/* Blocks (the loop does not run) reading answers from the blocking channel, handed to the
 * finish hook as they come, until done(arg) is true or deadline_ns: 0, -ETIMEDOUT, or
 * TIDE_ECLOSED when the channel broke. */
int tide_server_sync_wait(tide_server_t *s, uint64_t deadline_ns, bool (*done)(void *arg),
                          void *arg);
/* Bytes this worker sent over its link that are not written yet (back-pressure). */
size_t tide_server_link_queued(tide_server_t *s);
/* Stops worker id (this worker when id is its own: it finishes what it has, then is
 * replaced). */
int tide_server_stop_worker(tide_server_t *s, int id);
/* The connection's port, or NULL. */
tide_port_t *tide_server_port_of(const tide_server_t *s, const tide_conninfo_t *c);

#endif

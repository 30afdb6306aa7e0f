/* SPDX-License-Identifier: MIT */
/*
 * The server's connection engine: listening sockets (TCP, TCP6, UDP, UDP6, Unix stream and
 * datagram), the connections accepted on them, framing, output buffers, pause/resume,
 * heartbeat. Plain C on a reactor; what happens to a connection's messages is up to the
 * owner's handlers (MODE_BASE: call PHP; MODE_PROCESS: the master forwards to a worker).
 *
 * Connections are named by session ids, never by kernel fds: ids grow for the server's whole
 * life and are never reused. Their public facts live in a connection table in shared memory
 * (MAP_SHARED, made before any fork), so every process of the server can answer exists(),
 * getClientInfo() and getClientList() without asking the process that owns the connection.
 * The table has one partition per process that accepts connections (the master, or each
 * MODE_BASE worker); only the partition's owner writes it.
 */
#ifndef TIDE_SERVER_H
#define TIDE_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "tide/frame.h"
#include "tide/reactor.h"

/* ---- socket types (values as Swoole's SWOOLE_SOCK_*) ---- */
enum {
    TIDE_SOCK_TCP = 1,
    TIDE_SOCK_UDP = 2,
    TIDE_SOCK_TCP6 = 3,
    TIDE_SOCK_UDP6 = 4,
    TIDE_SOCK_UNIX_STREAM = 5,
    TIDE_SOCK_UNIX_DGRAM = 6,
};
#define TIDE_SOCK_TYPE_MASK 0xff

static inline bool tide_sock_is_dgram(int type)
{
    return type == TIDE_SOCK_UDP || type == TIDE_SOCK_UDP6 || type == TIDE_SOCK_UNIX_DGRAM;
}
static inline bool tide_sock_valid(int type)
{
    return type >= TIDE_SOCK_TCP && type <= TIDE_SOCK_UNIX_DGRAM;
}

/*
 * Opens, binds and (for streams) listens: host is an address (or a path for Unix
 * sockets), port 0 picks a free one (read it back with tide_sock_port). reuseport sets
 * SO_REUSEPORT first; listen is false for a socket that only reserves the address (MODE_BASE).
 * Returns the fd (non-blocking, close-on-exec) or -errno, with `why` saying what failed.
 */
int tide_sock_listen(int type, const char *host, int port, int backlog, bool reuseport,
                     bool listen, char *why, size_t why_len);
int tide_sock_port(int fd);

/* ---- the connection table ---- */

#define TIDE_ADDR_MAX 108 /* a Unix path, or an IPv6 address as text */

typedef struct tide_conninfo {
    uint64_t session;      /* 0: free. Written last when taken, first when freed */
    int32_t fd;
    int32_t port;          /* index of the listening port */
    int32_t worker;        /* MODE_PROCESS: the worker its messages go to */
    int32_t remote_port;
    uint32_t flags;        /* TIDE_CONN_* */
    uint32_t reserved;
    uint64_t connect_time; /* unix seconds */
    uint64_t last_time;    /* unix seconds of the last byte received */
    uint64_t last_dispatch_time;
    uint64_t out_bytes;    /* queued for the socket and not written yet */
    uint64_t recv_bytes, sent_bytes;
    char remote_ip[TIDE_ADDR_MAX];
    /* Bytes of send requests that came over a link and the owner has handled (queued or
     * refused), ever: a sender compares it with what it sent to know what is in flight. */
    uint64_t taken_bytes;
} tide_conninfo_t;

enum {
    TIDE_CONN_PAUSED = 1 << 0,
    TIDE_CONN_CLOSING = 1 << 1,
};

typedef struct tide_conntab_stats {
    uint64_t start_time;
    uint64_t accept_count, close_count, request_count, dispatch_count;
    uint64_t connection_num;
    uint64_t worker_request[0]; /* per-worker request counts follow (see tide_conntab_create) */
} tide_conntab_stats_t;

/* Who is who, for every process of the server (in the table's shared memory). */
typedef struct tide_server_pids {
    int32_t master, manager;
    int32_t worker[]; /* by worker id; 0 while a worker is being replaced */
} tide_server_pids_t;

typedef struct tide_conntab {
    tide_server_pids_t *pids;
    void *mem;
    size_t mem_len;
    unsigned parts;   /* partitions */
    uint32_t cap;     /* slots per partition (a power of two) */
    unsigned workers; /* per-worker counters kept in stats */
    tide_conninfo_t *slots;
    tide_conntab_stats_t *stats; /* per partition */
    uint64_t *next_seq; /* per partition: the sequence number the next id is made from */
    uint64_t *last_id;  /* the last id given out by any partition (ids grow server-wide) */
} tide_conntab_t;

/* Maps the table (shared with processes forked afterwards): `parts` partitions that each
 * hold up to max_conn connections. 0 or -errno. */
int tide_conntab_create(tide_conntab_t *t, unsigned parts, uint32_t max_conn, unsigned workers);
void tide_conntab_destroy(tide_conntab_t *t);
/* A free slot of partition `part` and a new session id for it, or NULL when full. */
tide_conninfo_t *tide_conntab_take(tide_conntab_t *t, unsigned part);
void tide_conntab_release(tide_conntab_t *t, tide_conninfo_t *c);
/* Frees every slot of a partition whose owner died (MODE_BASE: a worker's replacement
 * starts clean; ids keep growing). Returns how many were left. */
size_t tide_conntab_reset_part(tide_conntab_t *t, unsigned part);
/* The live connection with that id, or NULL. From any process. */
tide_conninfo_t *tide_conntab_find(const tide_conntab_t *t, uint64_t session);
/* Which partition a session id belongs to. */
static inline unsigned tide_conntab_part(const tide_conntab_t *t, uint64_t session)
{
    return (unsigned)((session - 1) % t->parts);
}
/* Calls cb for live connections with ids > after, in id order of each partition's slots,
 * until cb returns false. */
void tide_conntab_each(const tide_conntab_t *t, uint64_t after,
                       bool (*cb)(const tide_conninfo_t *c, void *arg), void *arg);
/* Sums the partitions' counters into out (per-worker counts too, into worker_req[workers]). */
void tide_conntab_sum(const tide_conntab_t *t, tide_conntab_stats_t *out, uint64_t *worker_req);
static inline tide_conntab_stats_t *tide_conntab_stats(const tide_conntab_t *t, unsigned part)
{
    return (tide_conntab_stats_t *)((char *)t->stats +
                                    part * (sizeof(tide_conntab_stats_t) + t->workers * 8));
}

/* ---- ports and the engine ---- */

typedef struct tide_port {
    int index;
    int type;
    char host[TIDE_ADDR_MAX];
    int port;
    int fd;          /* the listening (or datagram) socket */
    tide_frame_opts_t frame;
    size_t buffer_output_size; /* 0: 2 MiB */
    bool tcp_nodelay;
    void *udata;     /* the owner's (the Zend layer's Port object) */
    tide_op_t *watch; /* accept, or readiness of a datagram socket */
    struct tide_engine *engine;
} tide_port_t;

typedef struct tide_engine tide_engine_t;

typedef struct tide_engine_handlers {
    void (*connect)(void *udata, tide_conninfo_t *c);
    /* One framed message (or, without framing, what one read gave). */
    void (*receive)(void *udata, tide_conninfo_t *c, const char *data, size_t len);
    /* The connection is gone (peer, error, close, heartbeat); c is released after. */
    void (*close)(void *udata, tide_conninfo_t *c);
    /* A datagram; addr/addrlen is the sender. */
    void (*packet)(void *udata, tide_port_t *p, const struct sockaddr *addr, socklen_t addrlen,
                   const char *data, size_t len);
    /* The output buffer of c went under the low-water mark again (not used yet). */
} tide_engine_handlers_t;

typedef struct tide_engine_opts {
    uint32_t max_connection;
    uint64_t heartbeat_check_ms; /* 0: no heartbeat */
    uint64_t heartbeat_idle_ms;
} tide_engine_opts_t;

tide_engine_t *tide_engine_create(tide_reactor_t *r, tide_conntab_t *tab, unsigned part,
                                  const tide_engine_opts_t *opts,
                                  const tide_engine_handlers_t *h, void *udata);
/* Stops every port, closes every connection (no close handler; output gathered this turn
 * is dropped) and frees it. Writes and closes already on the reactor still finish: run the
 * loop afterwards (tide_reactor_destroy without that leaks their buffers). */
void tide_engine_destroy(tide_engine_t *e);
/* Starts accepting (streams) or reading (datagrams) on p; p must outlive the engine. */
int tide_engine_add_port(tide_engine_t *e, tide_port_t *p);
/* Stops accepting and reading datagrams on every port (a graceful stop): connections in
 * the backlog, and any the reactor had accepted already, are still served (the connect
 * handler may run for those after this returns, until the accept watch has ended). */
void tide_engine_stop_ports(tide_engine_t *e);
/* Stops reading from every connection, as pause() would, and from any accepted after. */
void tide_engine_pause_all(tide_engine_t *e);
/* Closes every connection (the close handler runs for each; writes are flushed first). */
void tide_engine_close_all(tide_engine_t *e);
size_t tide_engine_connections(const tide_engine_t *e);

/* Queues data (copied) for the connection. 0, TIDE_ECLOSED for an unknown or closing
 * session, TIDE_ELIMIT when its output buffer would pass buffer_output_size. */
int tide_engine_send(tide_engine_t *e, uint64_t session, const void *data, size_t len);
/* Queues length bytes of the file fd from offset (the engine owns fd from now on, and
 * closes it): read a window at a time as the socket takes them, in order with send(). */
int tide_engine_sendfile(tide_engine_t *e, uint64_t session, int fd, uint64_t offset,
                         uint64_t length);
/* Closes after what is queued is written (reset: at once, with RST). 0 or TIDE_ECLOSED. */
int tide_engine_close(tide_engine_t *e, uint64_t session, bool reset);
int tide_engine_pause(tide_engine_t *e, uint64_t session);
int tide_engine_resume(tide_engine_t *e, uint64_t session);
/* Closes every connection whose flag worker == w (MODE_PROCESS: that worker died). */
void tide_engine_close_worker(tide_engine_t *e, int worker);
/* Sends one datagram from port p. 0 or -errno (EAGAIN: the socket buffer is full). */
int tide_port_sendto(const tide_port_t *p, const char *host, int port, const void *data,
                     size_t len);

/* ---- IPC links (a SOCK_SEQPACKET end with its reader) ---- */

typedef struct tide_link tide_link_t;
/* A whole message; payload valid during the call. */
typedef void (*tide_link_msg_cb)(tide_link_t *l, void *udata, int type, uint64_t session,
                                 uint32_t worker, const char *payload, size_t len);
/* The peer is gone (EOF, error, or a broken message). The link is closed already. */
typedef void (*tide_link_gone_cb)(tide_link_t *l, void *udata, int err);

struct tide_link {
    tide_reactor_t *r;
    int fd;
    tide_op_t *watch;
    struct tide_ipc_reader *reader;
    tide_link_msg_cb on_msg;
    tide_link_gone_cb on_gone;
    void *udata;
    /* Small messages sent in one loop turn share packets (one write for many). */
    tide_defer_t flush;
    struct tide_link_batch *batch;
};

int tide_link_open(tide_link_t *l, tide_reactor_t *r, int fd, tide_link_msg_cb on_msg,
                   tide_link_gone_cb on_gone, void *udata);
/* Stops reading (writes still work). */
void tide_link_stop_reading(tide_link_t *l);
/* Closes after queued writes. */
void tide_link_close(tide_link_t *l);
/* In a forked child: closes the fd and frees the reader without touching the reactor. */
void tide_link_forget(tide_link_t *l);
/* Sends one message (payload copied, cut into packets). 0 or -errno. */
int tide_link_send(tide_link_t *l, int type, uint64_t session, uint32_t worker,
                   const void *payload, size_t len);
/* The same with the payload in two pieces (a small head and the data). */
int tide_link_send2(tide_link_t *l, int type, uint64_t session, uint32_t worker,
                    const void *a, size_t alen, const void *b, size_t blen);

/* File descriptor passing over a Unix socket (blocking-safe: one small message). */
int tide_send_fd(int sock, int fd, const void *data, size_t len);
/* -EAGAIN when nothing is there; the received fd (or -1 if none came) in *fd. */
ssize_t tide_recv_fd(int sock, int *fd, void *data, size_t len);

#endif

/* ---- the manager: forks workers, respawns the dead, reloads, stops ---- */

typedef struct tide_manager tide_manager_t;

typedef struct tide_manager_hooks {
    /* In the manager, after worker `id` was forked as `pid`: fd is the manager's end of
     * the worker's new SOCK_SEQPACKET pair (the hook owns it). */
    void (*forked)(void *udata, int id, pid_t pid, int fd);
    /* A worker ended (status as waitpid gives it); expected: it had been asked to stop. */
    void (*exited)(void *udata, int id, pid_t pid, int status, bool expected);
    void (*reload_begin)(void *udata);
    void (*reload_end)(void *udata);
} tide_manager_hooks_t;

typedef struct tide_manager_opts {
    int worker_num;
    uint64_t max_wait_ms; /* a stopping worker is killed after this long (0: 3000) */
} tide_manager_opts_t;

/* Made in the manager process, on its reactor; pids (may be NULL) is kept up to date. */
tide_manager_t *tide_manager_create(tide_reactor_t *r, const tide_manager_opts_t *o,
                                    const tide_manager_hooks_t *h, void *udata,
                                    tide_server_pids_t *pids);
void tide_manager_destroy(tide_manager_t *m);
/*
 * Forks the workers, then runs the loop: respawns workers that die, SIGUSR1 reloads them
 * one at a time, SIGTERM/SIGINT stops them all (SIGKILL after max_wait). Returns -1 in the
 * manager once every worker is gone, or the worker id (>= 0) in a forked worker, which then
 * owns *fd (its end of its pair) and must drop the manager's state without using it.
 * A worker starts with SIGCHLD, SIGTERM, SIGINT, SIGUSR1 and SIGUSR2 blocked, so that none
 * is lost or acted on by default before it is ready: its own tide_reactor_signal() watches
 * unblock theirs; it unblocks the others itself.
 */
int tide_manager_run(tide_manager_t *m, int *fd);
/* From inside the manager (e.g. a PHP callback): the same as the signals. */
void tide_manager_shutdown(tide_manager_t *m);
void tide_manager_reload(tide_manager_t *m);

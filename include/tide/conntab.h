/* SPDX-License-Identifier: MIT */
/*
 * The connection table: session ids and what PHP may ask about a connection, in shared
 * memory (MAP_SHARED, made before any fork), so every process of a server can answer
 * exists(), getClientInfo() and getClientList() without asking the process that owns the
 * connection.
 *
 * Connections are named by session ids, never by kernel fds: ids grow for the server's whole
 * life and are never reused. The table has one partition per process that accepts
 * connections (the master, or each MODE_BASE worker).
 *
 * Who writes what: a slot's fields are written only by the partition's owner, inside
 * tide_conninfo_begin()/end() (a sequence lock), so tide_conntab_snapshot() from any process
 * copies a consistent state. `flags` is the one field other processes change too (a worker's
 * close() or pause() marks the connection at once): every change to it is an atomic
 * read-modify-write.
 */
#ifndef TIDE_CONNTAB_H
#define TIDE_CONNTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tide/sock.h"

typedef struct tide_conninfo {
    uint64_t session;      /* 0: free. Written last when taken, first when freed */
    uint32_t seq;          /* odd while the owner writes (tide_conninfo_begin) */
    uint32_t flags;        /* TIDE_CONN_*: atomic read-modify-write only */
    int32_t fd;
    int32_t port;          /* index of the listening port */
    int32_t worker;        /* MODE_PROCESS: the worker its messages go to (-1: per message) */
    int32_t remote_port;
    uint32_t inflight;     /* requests handed to workers and not finished */
    uint32_t proto_info;   /* what an upgraded connection's protocol publishes
                            * (tide_proto_t.info: WebSocket's compression) */
    uint64_t connect_time; /* unix seconds */
    uint64_t last_time;    /* unix seconds of the last byte received */
    uint64_t last_dispatch_time;
    uint64_t out_bytes;    /* queued for the socket and not written yet */
    uint64_t recv_bytes, sent_bytes;
    /* Bytes of send requests that came over a link and the owner has handled (queued or
     * refused), ever: a sender compares it with what it sent to know what is in flight. */
    uint64_t taken_bytes;
    char remote_ip[TIDE_ADDR_MAX];
} tide_conninfo_t;

enum {
    TIDE_CONN_PAUSED = 1 << 0,  /* pause(): not read until resume() */
    TIDE_CONN_CLOSING = 1 << 1, /* close() asked or under way: exists() is false */
    TIDE_CONN_UPGRADED = 1 << 2, /* switched to its port's upgrade protocol (WebSocket) */
    TIDE_CONN_ENDING = 1 << 3,   /* its protocol's closing handshake began (WebSocket's
                                  * disconnect()): no more messages may be sent */
};

/* The owner's bracket around a change to a slot (single writer). */
static inline void tide_conninfo_begin(tide_conninfo_t *c)
{
    __atomic_store_n(&c->seq, c->seq + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
}
static inline void tide_conninfo_end(tide_conninfo_t *c)
{
    __atomic_store_n(&c->seq, c->seq + 1, __ATOMIC_RELEASE);
}
static inline uint32_t tide_conninfo_flags(const tide_conninfo_t *c)
{
    return __atomic_load_n(&c->flags, __ATOMIC_ACQUIRE);
}
static inline void tide_conninfo_set(tide_conninfo_t *c, uint32_t f)
{
    __atomic_fetch_or(&c->flags, f, __ATOMIC_ACQ_REL);
}
static inline void tide_conninfo_clear(tide_conninfo_t *c, uint32_t f)
{
    __atomic_fetch_and(&c->flags, ~f, __ATOMIC_ACQ_REL);
}
/* Sets f; true when this call set it (it was clear). */
static inline bool tide_conninfo_claim(tide_conninfo_t *c, uint32_t f)
{
    return !(__atomic_fetch_or(&c->flags, f, __ATOMIC_ACQ_REL) & f);
}
/* A counter the owner changes and other processes read. */
static inline uint64_t tide_conninfo_load(const uint64_t *v)
{
    return __atomic_load_n(v, __ATOMIC_RELAXED);
}
static inline void tide_conninfo_add(uint64_t *v, int64_t d)
{
    __atomic_store_n(v, __atomic_load_n(v, __ATOMIC_RELAXED) + (uint64_t)d, __ATOMIC_RELAXED);
}

typedef struct tide_conntab_stats {
    uint64_t start_time;
    uint64_t accept_count, close_count, request_count, dispatch_count;
    uint64_t connection_num;
} tide_conntab_stats_t;

/* Who is who, and how busy, for every process of the server (in the table's memory). */
typedef struct tide_server_pids {
    int32_t master, manager;
    struct {
        int32_t pid;       /* 0 while the worker is being replaced */
        uint32_t inflight; /* requests handed to it and not finished (its owner writes it);
                            * a task worker's: tasks handed to it and not ended (the hub's) */
        uint32_t running;  /* a task worker's: tasks in its callbacks now (its own) */
        uint32_t direct;   /* a task worker's: tasks read from direct links, not ended */
        uint64_t task_count; /* a task worker's slot: tasks it ended, every incarnation */
    } worker[];
} tide_server_pids_t;

typedef struct tide_conntab {
    tide_server_pids_t *pids;
    void *mem;
    size_t mem_len;
    unsigned parts;   /* partitions */
    uint32_t cap;     /* slots per partition (a power of two) */
    unsigned workers;
    tide_conninfo_t *slots;
    tide_conntab_stats_t *stats; /* per partition */
    uint64_t *next_seq; /* per partition: the sequence number the next id is made from */
    uint64_t *last_id;  /* the last id given out by any partition (ids grow server-wide) */
} tide_conntab_t;

/* Maps the table (shared with processes forked afterwards): `parts` partitions that each
 * hold up to max_conn connections, and the pids of `workers` workers. 0 or -errno. */
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
/* A consistent copy of the live connection with that id; false when there is none (or, in
 * theory, when its owner rewrites the slot without a pause for 100,000 tries). */
bool tide_conntab_snapshot(const tide_conntab_t *t, uint64_t session, tide_conninfo_t *out);
/* Which partition a session id belongs to (no division for the one partition of a
 * MODE_PROCESS master: this is on every request's path). */
static inline unsigned tide_conntab_part(const tide_conntab_t *t, uint64_t session)
{
    return t->parts == 1 ? 0 : (unsigned)((session - 1) % t->parts);
}
/* The slot's index within its partition (0 .. cap-1). */
static inline size_t tide_conntab_index(const tide_conntab_t *t, const tide_conninfo_t *c)
{
    return (size_t)(c - t->slots) % t->cap;
}
/* Calls cb for live connections with ids > after, in id order, until cb returns false. */
void tide_conntab_each(const tide_conntab_t *t, uint64_t after,
                       bool (*cb)(const tide_conninfo_t *c, void *arg), void *arg);
/* Sums the partitions' counters into out. */
void tide_conntab_sum(const tide_conntab_t *t, tide_conntab_stats_t *out);
static inline tide_conntab_stats_t *tide_conntab_stats(const tide_conntab_t *t, unsigned part)
{
    return &t->stats[part];
}

#endif

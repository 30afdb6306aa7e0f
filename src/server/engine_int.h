/* SPDX-License-Identifier: MIT */
/*
 * What the engine's files share (engine.c: connections, reading, delivery; engine_out.c:
 * a connection's output queue, with files sent a window at a time). Not a public header.
 */
#ifndef TIDE_ENGINE_INT_H
#define TIDE_ENGINE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tide/common.h"
#include "tide/engine.h"
#include "tide/log.h"

#define DEFAULT_OUTPUT_SIZE (2u * 1024 * 1024)
/* sendfile: how much of a file is handed to the reactor ahead of the socket. */
#define FILE_WINDOW (256u * 1024)
#define FILE_CHUNK (64u * 1024)
/* sendfile: files queued on one connection at most (each holds an open fd); past it
 * sendfile is refused (TIDE_EFULL). */
#define MAX_FILES 64
#define DGRAM_MAX 65536

typedef struct file_read file_read_t;

typedef struct conn {
    tide_engine_t *e;
    tide_conninfo_t *info;
    uint64_t session;
    int fd;
    tide_port_t *port;
    const tide_proto_t *proto;
    tide_op_t *recv;
    uint64_t last_recv_ns; /* monotonic: when the last byte came (or the accept) */
    uint64_t queued;      /* bytes ever queued for the peer (send and sendfile) */
    uint64_t queued_mark; /* queued when the last message was handed out */
    bool closing;
    bool close_queued; /* the close of fd is on the reactor (or done) */
    bool eof;        /* the peer closed its side: closed once what it asked for is done */
    bool holding;    /* the owner refused a message (HOLD): not read until proceed */
    bool stalled;    /* delivery stopped with bytes or messages held back: hand them over
                      * when it may go on (a drain), and only then */
    struct conn *prev, *next;
    /* What send() gathered this loop turn: written as one op before the loop waits. */
    tide_defer_t flush;
    struct out_buf *out;
    size_t out_cap;
    /* Hands out what reading stopped for (held bytes, messages the protocol kept). */
    tide_defer_t drain;
    /* Reactor operations that name c (writes, the close, a file read). */
    unsigned ops;
    bool orphan;
    /* sendfile: the file parts, and what is sent after them, wait here in order and go
     * out a window at a time as the socket takes them (a file is never read whole). */
    struct pend *pend, *pend_tail;
    size_t wire;         /* bytes in c->out and in writes on the reactor */
    file_read_t *reading; /* the one file read in flight */
    uint32_t files;      /* file parts in pend */
    bool close_pending;  /* a graceful close waits until the queue is out */
    /* Read after reading was asked to stop (another process paused c, or a bound was
     * reached within a read): kept, not handed out, until reading resumes. */
    char *held;
    size_t held_len;
    /* The body of the message being read, spooled to an unnamed file (-1: none). */
    int spool_fd;
    /* Inside the protocol's feed (a MODE_BASE handler runs there): a switch of protocol
     * asked meanwhile waits until the feed has returned, with its argument. */
    bool feeding;
    bool switch_pending;
    size_t switch_len;
    char *switch_arg;
    /* The protocol's state follows (proto->state_size bytes). */
    _Alignas(16) char state[];
} conn_t;

/* Something queued behind a file: a part of a file (fd >= 0), or bytes. */
typedef struct pend {
    struct pend *next;
    int fd;
    uint64_t off, left;
    size_t len;
    char data[];
} pend_t;

/* A datagram the owner did not take yet (HOLD). */
typedef struct tide_dgram {
    struct sockaddr_storage from;
    socklen_t from_len;
    size_t len;
    char data[];
} dgram_t;

struct tide_engine {
    tide_reactor_t *r;
    tide_conntab_t *tab;
    unsigned part;
    tide_engine_opts_t opts;
    tide_engine_handlers_t h;
    void *udata;
    conn_t **conns; /* by slot index in the partition */
    conn_t *head;   /* every live connection */
    size_t count;
    tide_port_t *ports[64];
    int nports;
    uint64_t heartbeat;
    uint64_t deadlines; /* the timer that checks protocol deadlines (0: no port has one) */
    char *dgram; /* receive buffer for datagrams */
    tide_ratelimit_t rl_refused, rl_bad;
    bool paused_all; /* tide_engine_pause_all(): a connection that comes after is paused too */
};

/* A queued write: the bytes follow the header. */
typedef struct out_buf {
    conn_t *c;
    size_t len;
    char data[];
} out_buf_t;

/* A read of a file part on its way (tide_reactor_read_file): its buffer becomes the
 * write of that part. */
struct file_read {
    conn_t *c;
    int fd;         /* the file; closed here when the part was dropped meanwhile */
    bool dropped;   /* the connection no longer wants it */
    out_buf_t *b;
};

/* engine.c */
conn_t *tide__conn_of(const tide_engine_t *e, uint64_t session);
/* An operation that named c has ended; false when c is an orphan (and maybe freed now). */
bool tide__op_ended(conn_t *c);
void tide__conn_close(conn_t *c, bool reset);
void tide__finish_close(conn_t *c);
/* Delivery may go on (a bound was left). */
void tide__go_on(conn_t *c);

/* engine_out.c */
/* Writes what send() gathered this turn (c->flush's callback). */
void tide__flush_out(tide_reactor_t *r, void *udata);
/* Drops what waits behind files (the connection goes). */
void tide__drop_pend(conn_t *c);

#endif

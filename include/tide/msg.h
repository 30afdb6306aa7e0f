/* SPDX-License-Identifier: MIT */
/*
 * The messages between a server's processes, over links (tide/link.h). A message is an IPC
 * header (type, session, a 32-bit field) and a payload. This file is their one description:
 * which way each goes, what its field means and what its payload must look like, and the
 * encoding of the payloads that have a structure. A receiver checks every message with
 * tide_msg_check() before it acts on it, and dispatches through a table indexed by type.
 */
#ifndef TIDE_MSG_H
#define TIDE_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tide/sock.h"

typedef enum tide_msg_type {
    /* to a worker */
    TIDE_MSG_CONNECT = 1, /* session; field: port index */
    TIDE_MSG_DATA,        /* session; field: port index; payload: the message */
    TIDE_MSG_DATA_FILE,   /* session; field: port index; payload: tide_msg_datafile_t, then
                           * the message's head; its body in a file on the fd channel */
    TIDE_MSG_CLOSE,       /* session; field: port index */
    TIDE_MSG_PACKET,      /* field: port index; payload: tide_msg_peer_t, then the datagram */
    TIDE_MSG_PIPE,        /* session: source worker id; payload: the message */
    TIDE_MSG_ACK,         /* the hub sends this worker nothing more */
    TIDE_MSG_TASK,        /* to a task worker; session: the task's id; field: the worker that
                           * sent it; payload: tide_msg_task_t, then the task's data */
    TIDE_MSG_FINISH,      /* to the worker that sent a task; session: its id; field: the task
                           * worker; payload: tide_msg_task_t (RESULT, END, LOST), then the
                           * result */
    TIDE_MSG_DIRECT,      /* a direct link (server_int.h) to worker `field`; session: the
                           * ticket of its end on the descriptor channel; payload: the
                           * epoch of its gate (a uint32_t) */
    /* to the owner of a connection (the master, or a MODE_BASE worker through its hub) */
    TIDE_MSG_SEND,        /* session; payload: bytes */
    TIDE_MSG_CLOSE_REQ,   /* session; field: 1 to reset */
    TIDE_MSG_PAUSE,       /* session */
    TIDE_MSG_RESUME,      /* session */
    TIDE_MSG_SENDFILE,    /* session; payload: tide_msg_sendfile_t; the file on the fd channel */
    /* to the hub (the master, or the MODE_BASE manager) */
    TIDE_MSG_EXITING,     /* field: worker id; the worker stops: answered with ACK */
    TIDE_MSG_DONE,        /* payload: tide_msg_done_t entries: what finished in one loop turn */
    TIDE_MSG_PIPE_REQ,    /* field: destination; payload: message (the source is the link's) */
    TIDE_MSG_RELAY,       /* MODE_BASE; session; field: owner worker; payload:
                           * tide_msg_relay_t + the inner request's payload */
    TIDE_MSG_SHUTDOWN,    /* shutdown() from a worker (which may not signal a root master) */
    TIDE_MSG_RELOAD,      /* reload() from a worker; field: 1 for task workers only */
    TIDE_MSG_TASK_REQ,    /* a worker's task; session: its id (> 0); field: the task worker
                           * (an index among them) or TIDE_TASK_ANY; payload:
                           * tide_msg_task_t, then the data */
    TIDE_MSG_TASK_END,    /* from a task worker; session: the task's id; field: the worker
                           * that sent it; payload: the tide_msg_task_t it got (flags
                           * changed: RESULT, END), then the result */
    /* to the owner of a connection */
    TIDE_MSG_CONTROL,     /* session; field: the op (tide_engine_control); payload: its
                           * argument (at most TIDE_MSG_CONTROL_MAX bytes) */
    TIDE_MSG_COUNT
} tide_msg_type_t;

#define TIDE_MSG_CONTROL_MAX 256

/* Who receives a message (a receiver passes its own when it checks one). */
enum {
    TIDE_MSG_TO_WORKER = 1 << 0,
    TIDE_MSG_TO_OWNER = 1 << 1,
    TIDE_MSG_TO_HUB = 1 << 2,
};

/* The sender of a datagram. */
typedef struct tide_msg_peer {
    int32_t port;      /* remote port */
    int32_t server_fd; /* the datagram socket it came in on (its number in the master) */
    char addr[TIDE_ADDR_MAX]; /* NUL-terminated */
} tide_msg_peer_t;

/* Requests of one connection (session 0: datagrams) a worker finished in one loop turn. */
typedef struct tide_msg_done {
    uint64_t session;
    uint64_t bytes;  /* their length */
    uint32_t count;
    uint32_t reserved;
} tide_msg_done_t;

typedef struct tide_msg_sendfile {
    uint64_t offset, length;
    uint64_t ticket; /* the descriptor's ticket on the fd channel */
} tide_msg_sendfile_t;

typedef struct tide_msg_datafile {
    uint64_t ticket;   /* the body file's ticket on the fd channel */
    uint64_t body_len;
} tide_msg_datafile_t;

/* The head of a task and of its answers. The hub sets `gen` and `dispatch_us` when it
 * hands a task out; a task worker sends the head back unchanged but for `flags`. */
typedef struct tide_msg_task {
    uint32_t flags;       /* TIDE_TASK_* */
    uint32_t gen;         /* the incarnation of the sending worker (the hub's) */
    uint64_t dispatch_us; /* when the hub handed it out (Unix time, microseconds) */
} tide_msg_task_t;

enum {
    TIDE_TASK_SERIALIZED = 1 << 0, /* the data (or result) is serialize()d, not a string */
    TIDE_TASK_RESULT = 1 << 1,     /* a result follows the head */
    TIDE_TASK_END = 1 << 2,        /* the task worker is done with the task */
    TIDE_TASK_LOST = 1 << 3,       /* the task worker died with it: no result will come */
    TIDE_TASK_SYNC = 1 << 4,       /* its sender blocks for it: answers go over the blocking
                                    * channel (set by the hub) */
};
#define TIDE_TASK_ANY UINT32_MAX

/* The head of a relayed request (MODE_BASE: a worker asks for a connection another owns). */
typedef struct tide_msg_relay {
    uint32_t type;  /* an owner message: SEND, CLOSE_REQ, PAUSE, RESUME, SENDFILE, CONTROL */
    uint32_t field;
} tide_msg_relay_t;

/* The message's name ("DATA"), or "?" for an unknown type. */
const char *tide_msg_name(int type);
/* Whether a message with this header and payload may reach receiver `to` (TIDE_MSG_TO_*):
 * its type is one `to` receives, it names a connection if its type is about one, and its
 * payload has the shape its type asks for (a RELAY's inner request too). 0 or TIDE_EPROTO. */
int tide_msg_check(int type, uint64_t session, uint32_t field, const char *payload, size_t len,
                   unsigned to);

/* PACKET: the peer and the datagram in a payload (checked: 0 or TIDE_EPROTO). */
int tide_msg_packet_decode(const char *payload, size_t len, tide_msg_peer_t *peer,
                           const char **data, size_t *data_len);
/* DONE: entry i of a checked payload (which holds len / sizeof(tide_msg_done_t)). */
static inline tide_msg_done_t tide_msg_done_entry(const char *payload, size_t i)
{
    tide_msg_done_t e;
    __builtin_memcpy(&e, payload + i * sizeof(e), sizeof(e)); /* may not be aligned */
    return e;
}
/* SENDFILE */
int tide_msg_sendfile_decode(const char *payload, size_t len, tide_msg_sendfile_t *out);
/* DATA_FILE: the body file's ticket and length, and the head after them. */
int tide_msg_datafile_decode(const char *payload, size_t len, tide_msg_datafile_t *out,
                             const char **head, size_t *head_len);
/* RELAY: the inner request (type checked to be an owner message). */
int tide_msg_relay_decode(const char *payload, size_t len, tide_msg_relay_t *head,
                          const char **inner, size_t *inner_len);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * An IPC link: one end of a SOCK_SEQPACKET pair on a reactor, reading whole messages and
 * sending them cut into packets (tide/ipc.h). The hub (the master, or the MODE_BASE
 * manager) has one per worker incarnation; a worker has one to its hub.
 *
 * Beside each link runs a descriptor channel (a second SEQPACKET pair, not on the reactor):
 * a sender that hands over a descriptor (sendfile: the file a worker opened with its own
 * rights) sends it there first, synchronously, then the message that uses it on the link.
 * The receiver takes the descriptor when it reads that message: it is always there already.
 */
#ifndef TIDE_LINK_H
#define TIDE_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "tide/reactor.h"

typedef struct tide_link tide_link_t;
/* A whole message; payload valid during the call. */
typedef void (*tide_link_msg_cb)(tide_link_t *l, void *udata, int type, uint64_t session,
                                 uint32_t field, const char *payload, size_t len);
/* The peer is gone (EOF, error, or a broken message). The link is closed already. */
typedef void (*tide_link_gone_cb)(tide_link_t *l, void *udata, int err);

struct tide_link {
    tide_reactor_t *r;
    int fd;
    int fd_chan; /* the descriptor channel (-1: none); the link owns it */
    tide_op_t *watch;
    struct tide_ipc_reader *reader;
    tide_link_msg_cb on_msg;
    tide_link_gone_cb on_gone;
    void *udata;
    /* Small messages sent in one loop turn share packets (one write for many). */
    tide_defer_t flush;
    struct tide_link_batch *batch;
    struct tide_link_count *count; /* bytes on their way out (tide_link_queued) */
    /* Called before batched messages go out, to add what its owner gathered over the turn
     * (a worker's list of finished requests joins the packet of their replies). */
    void (*before_flush)(tide_link_t *l, void *arg);
    void *before_flush_arg;
    bool in_before_flush;
};

/* Reads fd (when on_msg is set) and writes to it; owns fd and fd_chan (-1 if none). */
int tide_link_open(tide_link_t *l, tide_reactor_t *r, int fd, int fd_chan,
                   tide_link_msg_cb on_msg, tide_link_gone_cb on_gone, void *udata);
/* Stops reading (writes still work). */
void tide_link_stop_reading(tide_link_t *l);
/* Closes after queued writes. */
void tide_link_close(tide_link_t *l);
/* In a forked child: closes the fds and frees the reader without touching the reactor. */
void tide_link_forget(tide_link_t *l);
/* Sends one message (payload copied, cut into packets). 0 or -errno. */
int tide_link_send(tide_link_t *l, int type, uint64_t session, uint32_t field,
                   const void *payload, size_t len);
/* The same with the payload in two pieces (a small head and the data). */
int tide_link_send2(tide_link_t *l, int type, uint64_t session, uint32_t field,
                    const void *a, size_t alen, const void *b, size_t blen);
/* Hands what this turn batched to the reactor now (tide_reactor_submit() then sends it
 * before the loop waits: for a caller about to block the loop). */
void tide_link_flush(tide_link_t *l);
/* Bytes sent (batched or on the reactor) and not written to the socket yet. */
size_t tide_link_queued(const tide_link_t *l);
/* Sends descriptor fd with a ticket on the descriptor channel (before the message that
 * names the ticket). 0 or -errno (-EAGAIN: the channel is full; fd stays the caller's). */
int tide_link_send_fd(tide_link_t *l, uint64_t ticket, int fd);
/* The descriptor sent with ticket (earlier ones that were never claimed are closed), or
 * -errno: -ENOENT when it is not there. */
int tide_link_take_fd(tide_link_t *l, uint64_t ticket);

#endif

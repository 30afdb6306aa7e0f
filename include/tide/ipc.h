/* SPDX-License-Identifier: MIT */
/*
 * Messages between the master and its workers (MODE_PROCESS), over one SOCK_SEQPACKET
 * socketpair per worker. A message is a header and a payload; a payload larger than one
 * packet is cut into packets of at most TIDE_IPC_PACKET bytes (header included), marked
 * FIRST ... LAST, and put back together by the reader. Packets of one message are sent
 * back to back on one socket (the reactor keeps writes in order), so a reader only ever
 * gathers one message at a time.
 *
 * Several whole messages may share one packet (a writer batches what it sends in one loop
 * turn); a piece of a message longer than a packet always fills its packet alone.
 *
 * TIDE_IPC_PACKET matches the reactor's receive buffers (16 KiB): a SEQPACKET recv into a
 * smaller buffer would cut the packet short.
 */
#ifndef TIDE_IPC_H
#define TIDE_IPC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#define TIDE_IPC_PACKET 16384

enum {
    TIDE_IPC_FIRST = 1 << 0,
    TIDE_IPC_LAST = 1 << 1,
};

/* On the wire in host byte order: both ends are the same machine and binary. */
typedef struct tide_ipc_hdr {
    uint32_t len;     /* the whole message's payload length */
    uint16_t type;    /* what the message is (the server's own enum) */
    uint16_t flags;   /* TIDE_IPC_FIRST / TIDE_IPC_LAST */
    uint64_t session; /* the connection it is about (0: none) */
    uint32_t worker;  /* the worker it comes from or goes to */
    uint32_t chunk;   /* this packet's payload length */
} tide_ipc_hdr_t;

#define TIDE_IPC_CHUNK (TIDE_IPC_PACKET - sizeof(tide_ipc_hdr_t))

/* How many packets a payload of len bytes takes (1 for an empty one). */
static inline size_t tide_ipc_packets(size_t len)
{
    return len ? (len + TIDE_IPC_CHUNK - 1) / TIDE_IPC_CHUNK : 1;
}

/*
 * Fills the header and iovec pair of packet i (0-based) of a message: hdr is the caller's
 * (one per packet, it must live until the packet is sent), iov[0] points at it, iov[1] at
 * the payload slice.
 */
void tide_ipc_packet(const tide_ipc_hdr_t *msg, const char *payload, size_t i,
                     tide_ipc_hdr_t *hdr, struct iovec iov[2]);

/* Gathers packets back into messages. */
typedef struct tide_ipc_reader {
    size_t max_len; /* longest payload accepted (0: 64 MiB) */
    tide_ipc_hdr_t hdr; /* of the message being gathered */
    char *buf;
    size_t len;
    int gathering;
} tide_ipc_reader_t;

/* Receives a whole message; payload valid only during the call. Non-zero stops the read,
 * and the reader is not touched again (cb may have destroyed it). */
typedef int (*tide_ipc_cb)(void *udata, const tide_ipc_hdr_t *hdr, const char *payload);

void tide_ipc_reader_init(tide_ipc_reader_t *r, size_t max_len);
void tide_ipc_reader_destroy(tide_ipc_reader_t *r);
/*
 * One received packet. Calls cb when it completes a message (straight from the packet when
 * the message is a single one, without copying). Returns 0, cb's non-zero value, or
 * TIDE_EPROTO for a packet that does not fit (short header, chunk size that disagrees,
 * a LAST without FIRST, a message longer than max_len): the channel is then broken.
 */
int tide_ipc_read(tide_ipc_reader_t *r, const char *packet, size_t n, tide_ipc_cb cb,
                  void *udata);

#endif

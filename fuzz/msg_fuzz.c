/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the message table (src/server/msg.c) behind the IPC reader
 * (src/server/ipc.c): the input is a sequence of packets (2-byte length prefix each) from a
 * peer that may be broken or hostile. Every message the reader hands out is checked for
 * each receiver, and the typed decoders run on what is accepted. Checked: no crash, no UB,
 * and what the decoders hand out lies within the payload and keeps the promises of
 * tide/msg.h (a NUL-terminated address, a file range inside an off_t, a relayed request
 * that is an owner message of the right shape).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tide/common.h"
#include "tide/ipc.h"

#include "packets.h"
#include "tide/msg.h"

#define ALL (TIDE_MSG_TO_WORKER | TIDE_MSG_TO_OWNER | TIDE_MSG_TO_HUB)

static void touch(const char *p, size_t n)
{
    volatile char sink = 0; /* ASan catches a slice longer than its memory */
    for (size_t i = 0; i < n; i++)
        sink ^= p[i];
    (void)sink;
}

static void within(const char *payload, size_t len, const char *p, size_t n)
{
    if (p < payload || n > len || p > payload + len - n)
        abort();
    touch(p, n);
}

static void check_sendfile(const char *p, size_t n)
{
    tide_msg_sendfile_t sf;
    if (tide_msg_sendfile_decode(p, n, &sf) < 0)
        return;
    if (n != sizeof(sf) || sf.length == 0 || sf.offset > INT64_MAX ||
        sf.length > INT64_MAX - sf.offset)
        abort();
}

static void check_one(int type, uint64_t session, uint32_t field, const char *payload,
                      size_t len)
{
    int any = tide_msg_check(type, session, field, payload, len, ALL);
    int ok = 0;
    for (unsigned to = 1; to <= ALL; to <<= 1)
        if (tide_msg_check(type, session, field, payload, len, to) == 0)
            ok = 1;
    /* Accepted by several receivers iff by one of them. */
    if ((any == 0) != ok || (any != 0 && any != TIDE_EPROTO))
        abort();
    if (any < 0)
        return;
    if (type <= 0 || type >= TIDE_MSG_COUNT || !strcmp(tide_msg_name(type), "?"))
        abort();

    switch (type) {
    case TIDE_MSG_PACKET: {
        tide_msg_peer_t peer;
        const char *data;
        size_t dlen;
        if (tide_msg_packet_decode(payload, len, &peer, &data, &dlen) < 0)
            break; /* only an address without its NUL may be refused here */
        if (!memchr(peer.addr, 0, sizeof(peer.addr)) || data != payload + sizeof(peer) ||
            dlen != len - sizeof(peer))
            abort();
        within(payload, len, data, dlen);
        break;
    }
    case TIDE_MSG_SENDFILE:
        if (session == 0)
            abort();
        check_sendfile(payload, len);
        break;
    case TIDE_MSG_RELAY: {
        tide_msg_relay_t head;
        const char *inner;
        size_t inner_len;
        if (session == 0)
            abort();
        /* Accepted: the inner request was checked too, so it decodes. */
        if (tide_msg_relay_decode(payload, len, &head, &inner, &inner_len) < 0)
            abort();
        /* What the hub passes on must be what the owner accepts. */
        if (tide_msg_check((int)head.type, session, head.field, inner, inner_len, TIDE_MSG_TO_OWNER))
            abort();
        if (tide_msg_check((int)head.type, session, head.field, inner, inner_len,
                           TIDE_MSG_TO_WORKER | TIDE_MSG_TO_HUB) == 0)
            abort();
        if (inner != payload + sizeof(head) || inner_len != len - sizeof(head))
            abort();
        within(payload, len, inner, inner_len);
        if (head.type == TIDE_MSG_SENDFILE)
            check_sendfile(inner, inner_len);
        break;
    }
    default:
        break;
    }
}

static int on_msg(void *udata, const tide_ipc_hdr_t *hdr, const char *payload)
{
    (void)udata;
    touch(payload, hdr->len);
    check_one(hdr->type, hdr->session, hdr->worker, payload, hdr->len);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read_packets(data, size, on_msg);
    return 0;
}

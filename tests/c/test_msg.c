/* SPDX-License-Identifier: MIT */
/*
 * The message table (src/server/msg.c) against its description in include/tide/msg.h:
 * who receives each type, what its session and payload must be, and the typed decoders.
 */
#include <limits.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "test.h"
#include "tide/common.h"
#include "tide/msg.h"

enum { NONE, BYTES, PEER, FILE_, DFILE, TASK, RELAY, DONES, EPOCH, SMALL };

/* The spec, written from the comments in tide/msg.h (not from msg.c's table). */
static const struct spec {
    int type;
    const char *name;
    unsigned to;
    bool session; /* names a connection: 0 is refused */
    int payload;
} spec[] = {
    {TIDE_MSG_CONNECT, "CONNECT", TIDE_MSG_TO_WORKER, true, NONE},
    {TIDE_MSG_DATA, "DATA", TIDE_MSG_TO_WORKER, true, BYTES},
    {TIDE_MSG_DATA_FILE, "DATA_FILE", TIDE_MSG_TO_WORKER, true, DFILE},
    {TIDE_MSG_CLOSE, "CLOSE", TIDE_MSG_TO_WORKER, true, NONE},
    {TIDE_MSG_PACKET, "PACKET", TIDE_MSG_TO_WORKER, false, PEER},
    {TIDE_MSG_PIPE, "PIPE", TIDE_MSG_TO_WORKER, false, BYTES}, /* session: worker 0 is one */
    {TIDE_MSG_ACK, "ACK", TIDE_MSG_TO_WORKER, false, NONE},
    /* A task's messages name it by its id (never 0), as others name a connection. */
    {TIDE_MSG_TASK, "TASK", TIDE_MSG_TO_WORKER, true, TASK},
    {TIDE_MSG_FINISH, "FINISH", TIDE_MSG_TO_WORKER, true, TASK},
    /* (its session is the ticket of a descriptor) */
    {TIDE_MSG_DIRECT, "DIRECT", TIDE_MSG_TO_WORKER, true, EPOCH},
    {TIDE_MSG_SEND, "SEND", TIDE_MSG_TO_OWNER, true, BYTES},
    {TIDE_MSG_CLOSE_REQ, "CLOSE_REQ", TIDE_MSG_TO_OWNER, true, NONE},
    {TIDE_MSG_PAUSE, "PAUSE", TIDE_MSG_TO_OWNER, true, NONE},
    {TIDE_MSG_RESUME, "RESUME", TIDE_MSG_TO_OWNER, true, NONE},
    {TIDE_MSG_SENDFILE, "SENDFILE", TIDE_MSG_TO_OWNER, true, FILE_},
    {TIDE_MSG_EXITING, "EXITING", TIDE_MSG_TO_HUB, false, NONE},
    {TIDE_MSG_DONE, "DONE", TIDE_MSG_TO_HUB, false, DONES},
    {TIDE_MSG_PIPE_REQ, "PIPE_REQ", TIDE_MSG_TO_HUB, false, BYTES},
    /* A relayed owner request is about a connection too. */
    {TIDE_MSG_RELAY, "RELAY", TIDE_MSG_TO_HUB, true, RELAY},
    {TIDE_MSG_SHUTDOWN, "SHUTDOWN", TIDE_MSG_TO_HUB, false, NONE},
    {TIDE_MSG_RELOAD, "RELOAD", TIDE_MSG_TO_HUB, false, NONE},
    {TIDE_MSG_TASK_REQ, "TASK_REQ", TIDE_MSG_TO_HUB, true, TASK},
    {TIDE_MSG_TASK_END, "TASK_END", TIDE_MSG_TO_HUB, true, TASK},
    {TIDE_MSG_CONTROL, "CONTROL", TIDE_MSG_TO_OWNER, true, SMALL},
};
#define NSPEC (sizeof(spec) / sizeof(spec[0]))

#define ALL_RECEIVERS (TIDE_MSG_TO_WORKER | TIDE_MSG_TO_OWNER | TIDE_MSG_TO_HUB)

/* A payload of up to len bytes for any type: it starts with a relay head for SEND, so that
 * a RELAY's inner request is a good one (other types do not look inside). */
static const char *payload_of(size_t len)
{
    static char *buf;
    static size_t cap;
    if (len + sizeof(tide_msg_relay_t) > cap) {
        cap = len + sizeof(tide_msg_relay_t);
        buf = realloc(buf, cap);
        memset(buf, 'p', cap);
        tide_msg_relay_t head = {TIDE_MSG_SEND, 0};
        memcpy(buf, &head, sizeof(head));
    }
    return buf;
}

static int check(int type, uint64_t session, uint32_t field, size_t len, unsigned to)
{
    return tide_msg_check(type, session, field, payload_of(len), len, to);
}

/* A payload length that fits the shape. */
static size_t good_len(int payload)
{
    switch (payload) {
    case BYTES:
        return 5;
    case PEER:
        return sizeof(tide_msg_peer_t) + 3;
    case FILE_:
        return sizeof(tide_msg_sendfile_t);
    case DFILE:
        return sizeof(tide_msg_datafile_t) + 4;
    case TASK:
        return sizeof(tide_msg_task_t) + 3;
    case RELAY:
        return sizeof(tide_msg_relay_t);
    case DONES:
        return sizeof(tide_msg_done_t);
    case EPOCH:
        return sizeof(uint32_t);
    case SMALL:
        return 2;
    default:
        return 0;
    }
}

TEST(msg_table_covers_every_type_the_header_declares)
{
    CHECK_EQ(NSPEC, TIDE_MSG_COUNT - 1);
    for (size_t i = 0; i < NSPEC; i++)
        CHECK_EQ(spec[i].type, (int)i + 1);
}

TEST(msg_check_accepts_each_type_only_at_its_receiver)
{
    for (size_t i = 0; i < NSPEC; i++) {
        const struct spec *m = &spec[i];
        size_t len = good_len(m->payload);
        for (unsigned to = 1; to <= ALL_RECEIVERS; to++) {
            int want = (to & m->to) ? 0 : TIDE_EPROTO;
            int rc = check(m->type, 7, 3, len, to);
            if (rc != want)
                FAILF("%s to 0x%x: %d, want %d", m->name, to, rc, want);
        }
    }
}

TEST(msg_check_refuses_unknown_types)
{
    const int unknown[] = {0, TIDE_MSG_COUNT, TIDE_MSG_COUNT + 1, 65535, -1, INT_MIN, INT_MAX};
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        for (size_t len = 0; len < 64; len += 21)
            CHECK_EQ(check(unknown[i], 1, 0, len, ALL_RECEIVERS), TIDE_EPROTO);
        CHECK_STR(tide_msg_name(unknown[i]), "?");
    }
}

TEST(msg_check_refuses_a_payload_of_the_wrong_shape)
{
    for (size_t i = 0; i < NSPEC; i++) {
        const struct spec *m = &spec[i];
        size_t ok[4], bad[4];
        int nok = 0, nbad = 0;
        switch (m->payload) {
        case NONE:
            ok[nok++] = 0;
            bad[nbad++] = 1;
            bad[nbad++] = 4096;
            break;
        case BYTES:
            ok[nok++] = 0;
            ok[nok++] = 1;
            ok[nok++] = 1 << 20;
            break;
        case PEER:
            bad[nbad++] = 0;
            bad[nbad++] = sizeof(tide_msg_peer_t) - 1;
            ok[nok++] = sizeof(tide_msg_peer_t); /* an empty datagram */
            ok[nok++] = sizeof(tide_msg_peer_t) + 65507;
            break;
        case FILE_:
            bad[nbad++] = 0;
            bad[nbad++] = sizeof(tide_msg_sendfile_t) - 1;
            bad[nbad++] = sizeof(tide_msg_sendfile_t) + 1;
            ok[nok++] = sizeof(tide_msg_sendfile_t);
            break;
        case DFILE:
            bad[nbad++] = 0;
            bad[nbad++] = sizeof(tide_msg_datafile_t) - 1;
            ok[nok++] = sizeof(tide_msg_datafile_t);
            ok[nok++] = sizeof(tide_msg_datafile_t) + 8192;
            break;
        case TASK:
            bad[nbad++] = 0;
            bad[nbad++] = sizeof(tide_msg_task_t) - 1;
            ok[nok++] = sizeof(tide_msg_task_t);
            ok[nok++] = sizeof(tide_msg_task_t) + (16 << 20);
            break;
        case RELAY:
            bad[nbad++] = 0;
            bad[nbad++] = sizeof(tide_msg_relay_t) - 1;
            ok[nok++] = sizeof(tide_msg_relay_t);
            ok[nok++] = sizeof(tide_msg_relay_t) + 100;
            break;
        case DONES:
            bad[nbad++] = 0;
            bad[nbad++] = sizeof(tide_msg_done_t) - 1;
            bad[nbad++] = sizeof(tide_msg_done_t) + 1;
            ok[nok++] = sizeof(tide_msg_done_t);
            ok[nok++] = 100 * sizeof(tide_msg_done_t);
            break;
        case EPOCH:
            bad[nbad++] = 0;
            bad[nbad++] = 3;
            bad[nbad++] = 5;
            ok[nok++] = 4;
            break;
        case SMALL:
            ok[nok++] = 0;
            ok[nok++] = TIDE_MSG_CONTROL_MAX;
            bad[nbad++] = TIDE_MSG_CONTROL_MAX + 1;
            bad[nbad++] = 1 << 20;
            break;
        }
        for (int k = 0; k < nok; k++)
            if (check(m->type, 9, 0, ok[k], m->to) != 0)
                FAILF("%s with %zu bytes refused", m->name, ok[k]);
        for (int k = 0; k < nbad; k++)
            if (check(m->type, 9, 0, bad[k], m->to) != TIDE_EPROTO)
                FAILF("%s with %zu bytes accepted", m->name, bad[k]);
    }
}

TEST(msg_check_refuses_session_0_where_a_message_names_a_connection)
{
    for (size_t i = 0; i < NSPEC; i++) {
        const struct spec *m = &spec[i];
        int rc = check(m->type, 0, 0, good_len(m->payload), m->to);
        int want = m->session ? TIDE_EPROTO : 0;
        if (rc != want)
            FAILF("%s with session 0: %d, want %d", m->name, rc, want);
        /* Any other session, and any field, is fine. */
        CHECK_EQ(check(m->type, UINT64_MAX, UINT32_MAX, good_len(m->payload), m->to), 0);
    }
}

TEST(msg_names_every_type)
{
    for (size_t i = 0; i < NSPEC; i++)
        CHECK_STR(tide_msg_name(spec[i].type), spec[i].name);
}

/* ---- PACKET ---- */

static size_t put_peer(char *buf, int32_t port, int32_t server_fd, const char *addr,
                       const char *data)
{
    tide_msg_peer_t peer;
    memset(&peer, 'x', sizeof(peer));
    peer.port = port;
    peer.server_fd = server_fd;
    if (addr)
        memcpy(peer.addr, addr, strlen(addr) + 1);
    memcpy(buf, &peer, sizeof(peer));
    memcpy(buf + sizeof(peer), data, strlen(data));
    return sizeof(peer) + strlen(data);
}

TEST(msg_packet_decode_gives_the_peer_and_the_datagram)
{
    char raw[sizeof(tide_msg_peer_t) + 64];
    char *buf = raw + 1; /* not aligned, as inside a packet */
    size_t n = put_peer(buf, 5353, 9, "fe80::1%lo", "hello");
    tide_msg_peer_t peer;
    const char *data;
    size_t dlen;
    CHECK_EQ(check(TIDE_MSG_PACKET, 0, 0, n, TIDE_MSG_TO_WORKER), 0);
    CHECK_EQ(tide_msg_packet_decode(buf, n, &peer, &data, &dlen), 0);
    CHECK_EQ(peer.port, 5353);
    CHECK_EQ(peer.server_fd, 9);
    CHECK_STR(peer.addr, "fe80::1%lo");
    CHECK(data == buf + sizeof(tide_msg_peer_t));
    CHECK_EQ(dlen, 5);
    CHECK(!memcmp(data, "hello", 5));

    /* An empty datagram. */
    n = put_peer(buf, 1, 2, "127.0.0.1", "");
    CHECK_EQ(tide_msg_packet_decode(buf, n, &peer, &data, &dlen), 0);
    CHECK_EQ(dlen, 0);
}

TEST(msg_packet_decode_refuses_an_address_without_nul_or_a_short_payload)
{
    char buf[sizeof(tide_msg_peer_t) + 8];
    size_t n = put_peer(buf, 1, 2, NULL, "data"); /* addr is all 'x' */
    tide_msg_peer_t peer;
    const char *data = NULL;
    size_t dlen = 0;
    CHECK_EQ(tide_msg_packet_decode(buf, n, &peer, &data, &dlen), TIDE_EPROTO);
    /* NUL in its last byte is enough. */
    buf[offsetof(tide_msg_peer_t, addr) + TIDE_ADDR_MAX - 1] = 0;
    CHECK_EQ(tide_msg_packet_decode(buf, n, &peer, &data, &dlen), 0);
    CHECK_EQ(strlen(peer.addr), TIDE_ADDR_MAX - 1);
    for (size_t len = 0; len < sizeof(tide_msg_peer_t); len++)
        CHECK_EQ(tide_msg_packet_decode(buf, len, &peer, &data, &dlen), TIDE_EPROTO);
}

/* ---- DATA_FILE ---- */

TEST(msg_datafile_decode_gives_the_ticket_the_length_and_the_head)
{
    tide_msg_datafile_t in = {42, 1 << 20}, out;
    char raw[sizeof(in) + 8];
    memcpy(raw + 1, &in, sizeof(in)); /* not aligned, as inside a packet */
    memcpy(raw + 1 + sizeof(in), "GET /", 5);
    const char *head;
    size_t head_len;
    CHECK_EQ(tide_msg_datafile_decode(raw + 1, sizeof(in) + 5, &out, &head, &head_len), 0);
    CHECK_EQ(out.ticket, 42);
    CHECK_EQ(out.body_len, 1 << 20);
    CHECK(head == raw + 1 + sizeof(in) && head_len == 5);
    CHECK_EQ(tide_msg_datafile_decode(raw + 1, sizeof(in) - 1, &out, &head, &head_len),
             TIDE_EPROTO);
    in.body_len = (uint64_t)INT64_MAX + 1;
    memcpy(raw + 1, &in, sizeof(in));
    CHECK_EQ(tide_msg_datafile_decode(raw + 1, sizeof(in), &out, &head, &head_len), TIDE_EPROTO);
}

/* ---- SENDFILE ---- */

static int sendfile_decode(uint64_t offset, uint64_t length, tide_msg_sendfile_t *out)
{
    tide_msg_sendfile_t in = {offset, length, 77};
    char raw[sizeof(in) + 1];
    memcpy(raw + 1, &in, sizeof(in));
    return tide_msg_sendfile_decode(raw + 1, sizeof(in), out);
}

TEST(msg_sendfile_decode_refuses_length_0_and_ranges_past_int64)
{
    tide_msg_sendfile_t out;
    CHECK_EQ(sendfile_decode(10, 20, &out), 0);
    CHECK_EQ(out.offset, 10);
    CHECK_EQ(out.length, 20);
    CHECK_EQ(out.ticket, 77);
    CHECK_EQ(sendfile_decode(0, 0, &out), TIDE_EPROTO);
    CHECK_EQ(sendfile_decode(5, 0, &out), TIDE_EPROTO);
    /* offset + length must stay within an off_t. */
    CHECK_EQ(sendfile_decode(INT64_MAX - 1, 1, &out), 0);
    CHECK_EQ(sendfile_decode(0, INT64_MAX, &out), 0);
    CHECK_EQ(sendfile_decode(INT64_MAX, 1, &out), TIDE_EPROTO);
    CHECK_EQ(sendfile_decode(1, INT64_MAX, &out), TIDE_EPROTO);
    CHECK_EQ(sendfile_decode((uint64_t)INT64_MAX + 1, 1, &out), TIDE_EPROTO);
    CHECK_EQ(sendfile_decode(UINT64_MAX, UINT64_MAX, &out), TIDE_EPROTO);
    CHECK_EQ(sendfile_decode(1, UINT64_MAX, &out), TIDE_EPROTO);
    /* Wrong sizes. */
    char buf[sizeof(tide_msg_sendfile_t) + 1] = {0};
    buf[8] = 1; /* a length of 1 in either half */
    CHECK_EQ(tide_msg_sendfile_decode(buf, sizeof(tide_msg_sendfile_t) - 1, &out), TIDE_EPROTO);
    CHECK_EQ(tide_msg_sendfile_decode(buf, sizeof(tide_msg_sendfile_t) + 1, &out), TIDE_EPROTO);
    CHECK_EQ(tide_msg_sendfile_decode(buf, 0, &out), TIDE_EPROTO);
}

/* ---- RELAY ---- */

static size_t put_relay(char *buf, uint32_t type, uint32_t field, const void *inner, size_t n)
{
    tide_msg_relay_t head = {type, field};
    memcpy(buf, &head, sizeof(head));
    if (n)
        memcpy(buf + sizeof(head), inner, n);
    return sizeof(head) + n;
}

TEST(msg_relay_decode_gives_the_inner_owner_request)
{
    char raw[256];
    char *buf = raw + 3;
    tide_msg_relay_t head;
    const char *inner;
    size_t inner_len;

    size_t n = put_relay(buf, TIDE_MSG_SEND, 0, "bytes", 5);
    CHECK_EQ(tide_msg_check(TIDE_MSG_RELAY, 4, 1, buf, n, TIDE_MSG_TO_HUB), 0);
    CHECK_EQ(tide_msg_relay_decode(buf, n, &head, &inner, &inner_len), 0);
    CHECK_EQ(head.type, TIDE_MSG_SEND);
    CHECK(inner == buf + sizeof(tide_msg_relay_t));
    CHECK_EQ(inner_len, 5);
    CHECK(!memcmp(inner, "bytes", 5));

    n = put_relay(buf, TIDE_MSG_CLOSE_REQ, 1, NULL, 0);
    CHECK_EQ(tide_msg_relay_decode(buf, n, &head, &inner, &inner_len), 0);
    CHECK_EQ(head.type, TIDE_MSG_CLOSE_REQ);
    CHECK_EQ(head.field, 1);
    CHECK_EQ(inner_len, 0);

    tide_msg_sendfile_t sf = {0, 10, 1};
    n = put_relay(buf, TIDE_MSG_SENDFILE, 0, &sf, sizeof(sf));
    CHECK_EQ(tide_msg_relay_decode(buf, n, &head, &inner, &inner_len), 0);
    CHECK_EQ(inner_len, sizeof(sf));

    /* Every owner message may be relayed; empty SEND too. */
    const uint32_t owner[] = {TIDE_MSG_SEND, TIDE_MSG_CLOSE_REQ, TIDE_MSG_PAUSE, TIDE_MSG_RESUME};
    for (size_t i = 0; i < 4; i++) {
        n = put_relay(buf, owner[i], 0, NULL, 0);
        CHECK_EQ(tide_msg_relay_decode(buf, n, &head, &inner, &inner_len), 0);
    }
}

TEST(msg_relay_decode_refuses_an_inner_request_that_is_not_an_owner_message)
{
    char buf[256];
    tide_msg_relay_t head;
    const char *inner;
    size_t inner_len;
    for (uint32_t t = 0; t <= TIDE_MSG_COUNT; t++) {
        bool owner = false;
        for (size_t i = 0; i < NSPEC; i++)
            if (spec[i].type == (int)t && spec[i].to == TIDE_MSG_TO_OWNER)
                owner = true;
        if (owner)
            continue;
        size_t n = put_relay(buf, t, 0, NULL, 0);
        if (tide_msg_relay_decode(buf, n, &head, &inner, &inner_len) != TIDE_EPROTO)
            FAILF("a relayed %s accepted", tide_msg_name((int)t));
    }
    const uint32_t odd[] = {65535, 0x80000000u, UINT32_MAX, TIDE_MSG_SENDFILE | 0x10000u};
    for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
        size_t n = put_relay(buf, odd[i], 0, NULL, 0);
        CHECK_EQ(tide_msg_relay_decode(buf, n, &head, &inner, &inner_len), TIDE_EPROTO);
    }
    /* Shorter than its head. */
    put_relay(buf, TIDE_MSG_SEND, 0, NULL, 0);
    for (size_t len = 0; len < sizeof(tide_msg_relay_t); len++)
        CHECK_EQ(tide_msg_relay_decode(buf, len, &head, &inner, &inner_len), TIDE_EPROTO);
}

TEST(msg_relay_decode_refuses_an_inner_payload_that_breaks_its_shape)
{
    char buf[256];
    tide_msg_relay_t head;
    const char *inner;
    size_t inner_len;
    /* Payload-less owner requests with bytes. */
    const uint32_t none[] = {TIDE_MSG_CLOSE_REQ, TIDE_MSG_PAUSE, TIDE_MSG_RESUME};
    for (size_t i = 0; i < 3; i++) {
        size_t n = put_relay(buf, none[i], 0, "x", 1);
        CHECK_EQ(tide_msg_relay_decode(buf, n, &head, &inner, &inner_len), TIDE_EPROTO);
    }
    /* SENDFILE of the wrong size. */
    char sf[sizeof(tide_msg_sendfile_t) + 1] = {0};
    size_t n = put_relay(buf, TIDE_MSG_SENDFILE, 0, sf, sizeof(tide_msg_sendfile_t) - 1);
    CHECK_EQ(tide_msg_relay_decode(buf, n, &head, &inner, &inner_len), TIDE_EPROTO);
    n = put_relay(buf, TIDE_MSG_SENDFILE, 0, sf, sizeof(tide_msg_sendfile_t) + 1);
    CHECK_EQ(tide_msg_relay_decode(buf, n, &head, &inner, &inner_len), TIDE_EPROTO);
    n = put_relay(buf, TIDE_MSG_SENDFILE, 0, NULL, 0);
    CHECK_EQ(tide_msg_relay_decode(buf, n, &head, &inner, &inner_len), TIDE_EPROTO);
}

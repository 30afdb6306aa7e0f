/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test.h"
#include "tide/common.h"
#include "tide/ipc.h"
#include "tide/reactor.h"

static const size_t sizes[] = {0, 1, TIDE_IPC_CHUNK - 1, TIDE_IPC_CHUNK, TIDE_IPC_CHUNK + 1,
                               10 * TIDE_IPC_CHUNK + 7, 1 << 20};
#define NMSG (sizeof(sizes) / sizeof(sizes[0]))

static char *payload_of(size_t i, size_t len)
{
    char *p = malloc(len ? len : 1);
    for (size_t k = 0; k < len; k++)
        p[k] = (char)(k * 7 + i);
    return p;
}

typedef struct recv_state {
    tide_ipc_reader_t reader;
    size_t got;
} recv_state_t;

static void too_slow(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(udata);
    TIDE_UNUSED(id);
    FAILF("the messages did not all arrive in 20 s");
}

static int on_message(void *udata, const tide_ipc_hdr_t *hdr, const char *payload)
{
    recv_state_t *st = udata;
    size_t i = st->got++;
    CHECK(i < NMSG);
    CHECK_EQ(hdr->len, sizes[i]);
    CHECK_EQ(hdr->session, 1000 + i);
    CHECK_EQ(hdr->type, 7);
    char *want = payload_of(i, sizes[i]);
    CHECK(memcmp(payload, want, sizes[i]) == 0);
    free(want);
    return 0;
}

static void on_packet(tide_reactor_t *r, void *udata, const char *data, ssize_t n)
{
    recv_state_t *st = udata;
    CHECK(n > 0);
    CHECK_EQ(tide_ipc_read(&st->reader, data, (size_t)n, on_message, st), 0);
    if (st->got == NMSG)
        tide_reactor_stop(r);
}

REACTOR_TEST(ipc_messages_of_every_size_cross_a_seqpacket_pair)
{
    tide_reactor_t *r = test_reactor(backend);
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv), 0);
    recv_state_t st = {0};
    tide_ipc_reader_init(&st.reader, 0);
    tide_op_t *rd = tide_reactor_recv(r, sv[1], on_packet, &st, NULL);
    CHECK(rd != NULL);

    char *payloads[NMSG];
    tide_ipc_hdr_t *hdrs[NMSG];
    for (size_t i = 0; i < NMSG; i++) {
        payloads[i] = payload_of(i, sizes[i]);
        tide_ipc_hdr_t msg = {.len = (uint32_t)sizes[i], .type = 7, .session = 1000 + i};
        size_t n = tide_ipc_packets(sizes[i]);
        hdrs[i] = calloc(n, sizeof(tide_ipc_hdr_t));
        for (size_t k = 0; k < n; k++) {
            struct iovec iov[2];
            tide_ipc_packet(&msg, payloads[i], k, &hdrs[i][k], iov);
            CHECK_EQ(tide_reactor_writev(r, sv[0], iov, 2, NULL, NULL), 0);
        }
    }
    uint64_t guard = tide_timer_add(r, 20000, 0, too_slow, NULL);
    tide_timer_unref(r, guard);
    tide_reactor_run(r, TIDE_RUN_DEFAULT);
    CHECK_EQ(st.got, NMSG);
    tide_reactor_cancel(r, rd);
    tide_reactor_destroy(r);
    tide_ipc_reader_destroy(&st.reader);
    for (size_t i = 0; i < NMSG; i++) {
        free(payloads[i]);
        free(hdrs[i]);
    }
    close(sv[0]);
    close(sv[1]);
}

static int count_msg(void *udata, const tide_ipc_hdr_t *hdr, const char *payload)
{
    TIDE_UNUSED(hdr);
    TIDE_UNUSED(payload);
    (*(int *)udata)++;
    return 0;
}

TEST(ipc_reader_refuses_packets_that_do_not_fit)
{
    tide_ipc_reader_t r;
    int got = 0;
    char pkt[64];
    tide_ipc_hdr_t h = {.len = 4, .flags = TIDE_IPC_FIRST | TIDE_IPC_LAST, .chunk = 4};

    tide_ipc_reader_init(&r, 1024);
    CHECK_EQ(tide_ipc_read(&r, "short", 5, count_msg, &got), TIDE_EPROTO);

    memcpy(pkt, &h, sizeof(h));
    memcpy(pkt + sizeof(h), "abcd", 4);
    CHECK_EQ(tide_ipc_read(&r, pkt, sizeof(h) + 4, count_msg, &got), 0);
    CHECK_EQ(got, 1);
    /* chunk length that disagrees with the packet */
    CHECK_EQ(tide_ipc_read(&r, pkt, sizeof(h) + 3, count_msg, &got), TIDE_EPROTO);
    /* a middle packet without a FIRST */
    h.flags = 0;
    memcpy(pkt, &h, sizeof(h));
    CHECK_EQ(tide_ipc_read(&r, pkt, sizeof(h) + 4, count_msg, &got), TIDE_EPROTO);
    /* longer than max_len */
    h = (tide_ipc_hdr_t){.len = 2048, .flags = TIDE_IPC_FIRST, .chunk = 4};
    memcpy(pkt, &h, sizeof(h));
    CHECK_EQ(tide_ipc_read(&r, pkt, sizeof(h) + 4, count_msg, &got), TIDE_EPROTO);
    /* a FIRST while another message is still being gathered */
    h = (tide_ipc_hdr_t){.len = 8, .flags = TIDE_IPC_FIRST, .chunk = 4};
    memcpy(pkt, &h, sizeof(h));
    CHECK_EQ(tide_ipc_read(&r, pkt, sizeof(h) + 4, count_msg, &got), 0);
    CHECK_EQ(tide_ipc_read(&r, pkt, sizeof(h) + 4, count_msg, &got), TIDE_EPROTO);
    /* more bytes than announced */
    h = (tide_ipc_hdr_t){.len = 6, .flags = TIDE_IPC_FIRST, .chunk = 4};
    memcpy(pkt, &h, sizeof(h));
    CHECK_EQ(tide_ipc_read(&r, pkt, sizeof(h) + 4, count_msg, &got), 0);
    h.flags = TIDE_IPC_LAST;
    memcpy(pkt, &h, sizeof(h));
    CHECK_EQ(tide_ipc_read(&r, pkt, sizeof(h) + 4, count_msg, &got), TIDE_EPROTO);
    CHECK_EQ(got, 1);
    tide_ipc_reader_destroy(&r);
}

/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the IPC reader (src/server/ipc.c): the input is a sequence of
 * packets (2-byte length prefix each) from a peer that may be broken or hostile. Checked:
 * no crash, and every message handed out has exactly the length its header announced.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tide/common.h"
#include "tide/ipc.h"

static int check(void *udata, const tide_ipc_hdr_t *hdr, const char *payload)
{
    (void)udata;
    /* Touch every byte: ASan catches a message shorter than it claims. */
    volatile char sink = 0;
    for (uint32_t i = 0; i < hdr->len; i++)
        sink ^= payload[i];
    (void)sink;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tide_ipc_reader_t r;
    tide_ipc_reader_init(&r, 1 << 16);
    size_t off = 0;
    while (off + 2 <= size) {
        size_t n = (size_t)data[off] | (size_t)data[off + 1] << 8;
        off += 2;
        if (n > size - off)
            n = size - off;
        /* A packet of its own, as recv() would give it (unaligned on purpose). */
        char *pkt = malloc(n + 1);
        memcpy(pkt + 1, data + off, n);
        if (tide_ipc_read(&r, pkt + 1, n, check, NULL) < 0) {
            /* a broken channel: the reader starts over, as after a reconnect */
        }
        free(pkt);
        off += n;
    }
    tide_ipc_reader_destroy(&r);
    return 0;
}

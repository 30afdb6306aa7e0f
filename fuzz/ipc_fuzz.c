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

#include "packets.h"

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
    fuzz_read_packets(data, size, check);
    return 0;
}

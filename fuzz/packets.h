/* SPDX-License-Identifier: MIT */
/*
 * The input of the IPC fuzz targets: a sequence of packets, each a 2-byte little-endian
 * length and that many bytes (the last one cut short by the input's end), fed to one IPC
 * reader as recv() on a SOCK_SEQPACKET link would give them, each in a buffer of its own
 * (unaligned on purpose, so ASan sees reads past a packet). A broken channel starts over,
 * as after a reconnect.
 */
#ifndef TIDE_FUZZ_PACKETS_H
#define TIDE_FUZZ_PACKETS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tide/ipc.h"

static inline void fuzz_read_packets(const uint8_t *data, size_t size, tide_ipc_cb on_msg)
{
    tide_ipc_reader_t r;
    tide_ipc_reader_init(&r, 1 << 16);
    size_t off = 0;
    while (off + 2 <= size) {
        size_t n = (size_t)data[off] | (size_t)data[off + 1] << 8;
        off += 2;
        if (n > size - off)
            n = size - off;
        char *pkt = malloc(n + 1);
        memcpy(pkt + 1, data + off, n);
        (void)tide_ipc_read(&r, pkt + 1, n, on_msg, NULL);
        free(pkt);
        off += n;
    }
    tide_ipc_reader_destroy(&r);
}

#endif

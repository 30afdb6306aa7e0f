/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <string.h>

#include "tide/common.h"
#include "tide/ipc.h"

#define DEFAULT_MAX_LEN (64u * 1024 * 1024)

void tide_ipc_packet(const tide_ipc_hdr_t *msg, const char *payload, size_t i,
                     tide_ipc_hdr_t *hdr, struct iovec iov[2])
{
    size_t n = tide_ipc_packets(msg->len);
    size_t off = i * TIDE_IPC_CHUNK;
    size_t chunk = msg->len - off < TIDE_IPC_CHUNK ? msg->len - off : TIDE_IPC_CHUNK;
    *hdr = *msg;
    hdr->flags = (uint16_t)((i == 0 ? TIDE_IPC_FIRST : 0) | (i + 1 == n ? TIDE_IPC_LAST : 0));
    hdr->chunk = (uint32_t)chunk;
    iov[0].iov_base = hdr;
    iov[0].iov_len = sizeof(*hdr);
    iov[1].iov_base = (void *)(payload + off);
    iov[1].iov_len = chunk;
}

void tide_ipc_reader_init(tide_ipc_reader_t *r, size_t max_len)
{
    memset(r, 0, sizeof(*r));
    r->max_len = max_len ? max_len : DEFAULT_MAX_LEN;
}

void tide_ipc_reader_destroy(tide_ipc_reader_t *r)
{
    tide_free(r->buf);
    memset(r, 0, sizeof(*r));
}

static int broken(tide_ipc_reader_t *r)
{
    r->gathering = 0;
    r->len = 0;
    return TIDE_EPROTO;
}

/* One message piece at the start of buf (n bytes left in the packet); its size, or < 0. */
static long read_piece(tide_ipc_reader_t *r, const char *buf, size_t n, tide_ipc_cb cb,
                       void *udata, int *rc)
{
    tide_ipc_hdr_t hdr;
    *rc = 0;
    if (n < sizeof(hdr))
        return broken(r);
    memcpy(&hdr, buf, sizeof(hdr)); /* the packet may not be aligned */
    const char *chunk = buf + sizeof(hdr);
    size_t avail = n - sizeof(hdr);
    if (hdr.chunk > avail || hdr.len > r->max_len || hdr.chunk > hdr.len)
        return broken(r);
    bool whole = (hdr.flags & TIDE_IPC_FIRST) && (hdr.flags & TIDE_IPC_LAST);
    /* Whole messages may share a packet; a piece of a longer one fills its packet. */
    if (!whole && hdr.chunk != avail)
        return broken(r);
    long used = (long)(sizeof(hdr) + hdr.chunk);

    if (hdr.flags & TIDE_IPC_FIRST) {
        if (r->gathering)
            return broken(r); /* the previous message never ended */
        if (whole) {
            if (hdr.chunk != hdr.len)
                return broken(r);
            *rc = cb(udata, &hdr, chunk); /* the common case: no copy */
            return used;
        }
        r->hdr = hdr;
        r->gathering = 1;
        r->len = 0;
        r->buf = tide_realloc(r->buf, hdr.len ? hdr.len : 1);
    } else if (!r->gathering || hdr.len != r->hdr.len || hdr.session != r->hdr.session ||
               hdr.type != r->hdr.type) {
        return broken(r);
    }
    if (r->len + hdr.chunk > r->hdr.len)
        return broken(r);
    memcpy(r->buf + r->len, chunk, hdr.chunk);
    r->len += hdr.chunk;
    if (!(hdr.flags & TIDE_IPC_LAST))
        return used;
    if (r->len != r->hdr.len)
        return broken(r);
    r->gathering = 0;
    *rc = cb(udata, &r->hdr, r->buf);
    /* Non-zero: the reader may be gone (the handler closed the link), so r is not touched.
     * A large message's buffer is not kept for the small ones after it. */
    if (*rc == 0 && r->hdr.len > 4 * TIDE_IPC_PACKET) {
        tide_free(r->buf);
        r->buf = NULL;
    }
    return used;
}

int tide_ipc_read(tide_ipc_reader_t *r, const char *packet, size_t n, tide_ipc_cb cb,
                  void *udata)
{
    size_t off = 0;
    do {
        int rc;
        long used = read_piece(r, packet + off, n - off, cb, udata, &rc);
        if (used < 0)
            return (int)used;
        if (rc)
            return rc;
        off += (size_t)used;
    } while (off < n);
    return 0;
}

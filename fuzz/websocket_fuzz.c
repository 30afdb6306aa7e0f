/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for WebSocket (src/proto/websocket.c). The first byte picks the
 * connection's settings: bit 0 permessage-deflate negotiated (bit 5 with
 * client_no_context_takeover), bits 1-4 pass_ping, pass_pong, pass_close, pass_fragments,
 * bits 6-7 max_len (64 bytes to 64 KiB). The second byte seeds the sizes of the pieces the
 * rest is fed in, and whether the owner takes, stops or holds each message; once in a while
 * the server closes. The rest is what a client sent.
 *
 * Checked: no crash, no UB, no leak; each message has its head, a known opcode and flags,
 * no more than max_len bytes, and text handed out whole is UTF-8; each reply is one server
 * frame (unmasked, FIN, a pong or a close with a code that may be sent); after a refusal
 * or the end of the close handshake nothing more is handed out. The same input also goes
 * through the frame parser, the mask, UTF-8 checking cut in two, the extension offer parser
 * and the handshake key functions.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tide/common.h"
#include "tide/websocket.h"

typedef struct fuzz {
    tide_ws_opts_t o;
    uint64_t rng;
    unsigned holds;   /* HOLDs in a row: bounded, so that the feeding ends */
    bool done;        /* refused or closed: nothing more may come */
    int messages;
} fuzz_t;

static uint64_t next(fuzz_t *f)
{
    f->rng = f->rng * 6364136223846793005ull + 1442695040888963407ull;
    return f->rng >> 33;
}

static size_t max_len(const fuzz_t *f)
{
    return f->o.max_len;
}

static int on_message(void *ctx, const char *data, size_t len)
{
    fuzz_t *f = ctx;
    if (f->done || len < sizeof(tide_ws_msg_t))
        abort();
    const uint8_t *d = (const uint8_t *)data;
    size_t n = len - sizeof(tide_ws_msg_t);
    if (d[0] != TIDE_WS_MSG_MAGIC)
        abort();
    uint8_t op = d[1], flags = d[2];
    switch (op) {
    case TIDE_WS_TEXT:
    case TIDE_WS_BINARY:
    case TIDE_WS_CONTINUATION:
        if (n > max_len(f))
            abort();
        if (op == TIDE_WS_CONTINUATION && !f->o.pass_fragments)
            abort();
        if (!(flags & TIDE_WS_FLAG_FIN) && !f->o.pass_fragments)
            abort();
        if (op == TIDE_WS_TEXT && (flags & TIDE_WS_FLAG_FIN) &&
            tide_utf8_run(TIDE_UTF8_OK, d + 4, n) != TIDE_UTF8_OK)
            abort();
        break;
    case TIDE_WS_PING:
    case TIDE_WS_PONG:
    case TIDE_WS_CLOSE:
        if (n > 125 || !(flags & TIDE_WS_FLAG_FIN))
            abort();
        if ((op == TIDE_WS_PING && !f->o.pass_ping) || (op == TIDE_WS_PONG && !f->o.pass_pong) ||
            (op == TIDE_WS_CLOSE && !f->o.pass_close))
            abort();
        if (op == TIDE_WS_CLOSE && n == 1)
            abort();
        break;
    default:
        abort();
    }
    f->messages++;
    uint64_t r = next(f) % 8;
    if (r == 0 && f->holds < 3) {
        f->holds++;
        f->messages--;
        return TIDE_PROTO_HOLD;
    }
    f->holds = 0;
    return r == 1 ? TIDE_PROTO_STOP : TIDE_PROTO_TAKEN;
}

static void on_reply(void *ctx, const void *data, size_t len)
{
    (void)ctx;
    tide_ws_frame_t fr;
    long h = tide_ws_parse_frame(data, len, &fr);
    if (h <= 0 || fr.masked || !fr.fin || fr.rsv || (size_t)h + fr.len != len || fr.len > 125)
        abort();
    const uint8_t *p = (const uint8_t *)data + h;
    if (fr.opcode == TIDE_WS_CLOSE) {
        if (fr.len < 2)
            abort();
        if (!tide_ws_close_code_valid((unsigned)p[0] << 8 | p[1]))
            abort();
        if (tide_utf8_run(TIDE_UTF8_OK, p + 2, (size_t)fr.len - 2) != TIDE_UTF8_OK)
            abort();
    } else if (fr.opcode != TIDE_WS_PONG) {
        abort();
    }
}

static void fuzz_protocol(const uint8_t *data, size_t size)
{
    if (size < 2)
        return;
    static const size_t lens[4] = {64, 1024, 8192, 65536};
    fuzz_t f = {.rng = data[1] * 0x9E3779B97F4A7C15ull + 1};
    f.o.pass_ping = data[0] & 2;
    f.o.pass_pong = data[0] & 4;
    f.o.pass_close = data[0] & 8;
    f.o.pass_fragments = data[0] & 16;
    f.o.max_len = lens[data[0] >> 6];
    f.o.close_timeout_ns = 1000;
    tide_ws_deflate_t z = {.on = data[0] & 1, .server_no_context_takeover = true,
                           .client_no_context_takeover = (data[0] & 32) != 0,
                           .server_max_window_bits = 15, .client_max_window_bits = 15};
    const char *in = (const char *)data + 2;
    size_t n = size - 2;

    char *st = malloc(tide_proto_websocket.state_size);
    memset(st, 0x5A, tide_proto_websocket.state_size); /* the engine does not zero it */
    if (tide_proto_websocket.check(&f.o) != 0)
        abort();
    tide_proto_websocket.init(st, &f.o);
    tide_proto_io_t io = {on_message, on_reply, &f, 0, NULL, NULL};
    if (tide_proto_websocket.control(st, TIDE_PROTO_CTL_UPGRADE, &z, sizeof(z), &io) != 0)
        abort();
    size_t at = 0;
    int rc = 0;
    while (at < n) {
        size_t k = 1 + next(&f) % (next(&f) % 2 ? 16 : 4096);
        if (k > n - at)
            k = n - at;
        /* each piece in a buffer of its own, so that ASan sees a read past it */
        char *piece = malloc(k);
        memcpy(piece, in + at, k);
        rc = tide_proto_websocket.feed(st, piece, k, &io);
        free(piece);
        at += k;
        io.now_ns += 100;
        if (rc < 0 || rc == TIDE_PROTO_CLOSE)
            f.done = true;
        if (f.done)
            break;
        if (next(&f) % 64 == 0) {
            static const char bye[] = "\x03\xe9" "bye";
            if (tide_proto_websocket.control(st, TIDE_WS_CTL_CLOSE, bye, 5, &io) != 0)
                abort();
        }
        if (tide_proto_websocket.expire(st, &io))
            break;
    }
    /* what the owner left waiting */
    for (int i = 0; !f.done && i < 1000000 && (rc == TIDE_PROTO_STOP || rc == TIDE_PROTO_HOLD);
         i++) {
        rc = tide_proto_websocket.feed(st, NULL, 0, &io);
        if (rc < 0 || rc == TIDE_PROTO_CLOSE)
            f.done = true;
    }
    if (rc == TIDE_PROTO_STOP || rc == TIDE_PROTO_HOLD)
        abort(); /* the owner took everything in the end: nothing may stay held */
    if (f.done) {
        if (tide_proto_websocket.pending(st) != 0)
            abort();
        const char *why = tide_proto_websocket.why(st);
        if (!why || !*why)
            abort();
        /* nothing after a refusal or a close */
        if (tide_proto_websocket.feed(st, in, n, &io) != 0)
            abort();
    }
    tide_proto_websocket.destroy(st);
    free(st);
}

static void fuzz_pieces(const uint8_t *data, size_t size)
{
    /* the frame parser: a header it takes re-encodes to itself when in shortest form */
    tide_ws_frame_t fr;
    long h = tide_ws_parse_frame(data, size, &fr);
    if (h < 0 && h != TIDE_EPROTO)
        abort();
    if (h > 0) {
        if ((size_t)h > size || (size_t)h > TIDE_WS_HEAD_MAX || (size_t)h != fr.head_len)
            abort();
        uint8_t out[TIDE_WS_HEAD_MAX];
        size_t m = tide_ws_frame_head(out, data[0], fr.len, fr.masked ? fr.key : NULL);
        if (m > (size_t)h || (m == (size_t)h && memcmp(out, data, m)))
            abort();
    }
    /* UTF-8, whole and cut in two */
    size_t cut = size ? data[0] % (size + 1) : 0;
    uint32_t whole = tide_utf8_run(TIDE_UTF8_OK, data, size);
    if (tide_utf8_run(tide_utf8_run(TIDE_UTF8_OK, data, cut), data + cut, size - cut) != whole)
        abort();
    /* the mask, twice: the bytes again */
    if (size >= 4 && size <= 4096) {
        uint8_t *copy = malloc(size);
        memcpy(copy, data, size);
        tide_ws_mask(copy, size, data, data[size - 1]);
        tide_ws_mask(copy, size, data, data[size - 1]);
        if (memcmp(copy, data, size))
            abort();
        free(copy);
    }
    /* Sec-WebSocket-Extensions: an answer that fits */
    tide_ws_deflate_t d;
    tide_ws_deflate_offer((const char *)data, size, &d);
    if (d.on) {
        char out[128];
        size_t m = tide_ws_deflate_answer(&d, out);
        if (m >= sizeof(out) || strlen(out) != m || memcmp(out, "permessage-deflate", 18))
            abort();
        if (d.server_max_window_bits && (d.server_max_window_bits < 9 ||
                                         d.server_max_window_bits > 15))
            abort();
    }
    /* Sec-WebSocket-Key */
    if (tide_ws_key_valid((const char *)data, size)) {
        if (size != 24)
            abort();
        char acc[29];
        tide_ws_accept((const char *)data, size, acc);
        if (strlen(acc) != 28)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_protocol(data, size);
    fuzz_pieces(data, size);
    return 0;
}

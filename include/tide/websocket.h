/* SPDX-License-Identifier: MIT */
/*
 * WebSocket (RFC 6455) with permessage-deflate (RFC 7692): the frame codec, the pieces of
 * the opening handshake, and the port protocol a connection switches to once its HTTP/1.1
 * upgrade is accepted.
 *
 * The protocol reads client frames: it checks them (masked, known opcode, no reserved bit
 * that was not negotiated, control frames short and whole), unmasks them, answers ping
 * with pong and close with close itself, reassembles fragmented messages, inflates
 * compressed ones and checks that text is UTF-8. It hands the owner one message per data
 * message (or per frame, with pass_fragments), each behind a tide_ws_msg_t head. What breaks
 * the protocol is answered with a close frame naming why (1002, 1007, 1009) before the
 * engine closes the connection.
 *
 * Frames the server sends are built by whoever sends (tide_ws_frame_head): the owner of
 * the connection need not know them.
 */
#ifndef TIDE_WEBSOCKET_H
#define TIDE_WEBSOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tide/proto.h"

enum {
    TIDE_WS_CONTINUATION = 0x0,
    TIDE_WS_TEXT = 0x1,
    TIDE_WS_BINARY = 0x2,
    TIDE_WS_CLOSE = 0x8,
    TIDE_WS_PING = 0x9,
    TIDE_WS_PONG = 0xA,
};

/* Frame flags as PHP sees them (Swoole's values). */
enum {
    TIDE_WS_FLAG_FIN = 1 << 0,
    TIDE_WS_FLAG_COMPRESS = 1 << 1, /* = RSV1 on a message with permessage-deflate */
    TIDE_WS_FLAG_RSV1 = 1 << 2,
    TIDE_WS_FLAG_RSV2 = 1 << 3,
    TIDE_WS_FLAG_RSV3 = 1 << 4,
    TIDE_WS_FLAG_MASK = 1 << 5,
};

/* Close codes (RFC 6455, 7.4.1). */
enum {
    TIDE_WS_CLOSE_NORMAL = 1000,
    TIDE_WS_CLOSE_GOING_AWAY = 1001,
    TIDE_WS_CLOSE_PROTOCOL = 1002,
    TIDE_WS_CLOSE_UNSUPPORTED = 1003,
    TIDE_WS_CLOSE_NO_STATUS = 1005, /* never sent: a close frame without a code */
    TIDE_WS_CLOSE_ABNORMAL = 1006,  /* never sent: the connection ended without a close */
    TIDE_WS_CLOSE_BAD_DATA = 1007,
    TIDE_WS_CLOSE_POLICY = 1008,
    TIDE_WS_CLOSE_TOO_BIG = 1009,
    TIDE_WS_CLOSE_EXTENSION = 1010,
    TIDE_WS_CLOSE_ERROR = 1011,
};

/* Whether a close code may be sent in a close frame: 1000-1003, 1007-1014 (1012-1014 are
 * IANA's Service Restart, Try Again Later, Bad Gateway), 3000-4999. */
bool tide_ws_close_code_valid(unsigned code);

/* ---- frames ---- */

#define TIDE_WS_HEAD_MAX 14

typedef struct tide_ws_frame {
    bool fin;
    uint8_t rsv;      /* the RSV bits as in the first byte (0x40, 0x20, 0x10) */
    uint8_t opcode;
    bool masked;
    uint8_t key[4];
    uint64_t len;     /* payload length */
    size_t head_len;  /* bytes of the header (2 to 14) */
} tide_ws_frame_t;

/*
 * Parses a frame header at p[0..n): its length when whole, 0 when more bytes are needed,
 * TIDE_EPROTO when it cannot be a frame (a 64-bit length with its top bit set). Opcodes,
 * RSV bits and the mask are the caller's to judge.
 */
long tide_ws_parse_frame(const void *p, size_t n, tide_ws_frame_t *f);

/*
 * Writes the header of a frame: first = FIN (0x80) | RSV bits | opcode, then the payload
 * length in its shortest form, then the key when key != NULL (a client's frame). Returns
 * its length (2 to 14). out has room for TIDE_WS_HEAD_MAX bytes.
 */
size_t tide_ws_frame_head(void *out, uint8_t first, uint64_t len, const uint8_t *key);

/* XORs p[0..n) with the key, p[0] being byte `at` of the payload. */
void tide_ws_mask(void *p, size_t n, const uint8_t key[4], uint64_t at);

/* ---- UTF-8, checked as it comes ---- */

enum { TIDE_UTF8_OK = 0, TIDE_UTF8_BAD = 12 };
/* Goes on from state (TIDE_UTF8_OK at the start) over p[0..n): TIDE_UTF8_BAD once the
 * bytes cannot be UTF-8 (stays so), TIDE_UTF8_OK at the end of a whole character, another
 * value inside one. Overlong forms, surrogates and code points past U+10FFFF are bad. */
uint32_t tide_utf8_run(uint32_t state, const void *p, size_t n);

/* ---- the opening handshake ---- */

/* Whether a Sec-WebSocket-Key value is the base64 of 16 bytes. */
bool tide_ws_key_valid(const char *key, size_t n);
/* Sec-WebSocket-Accept for a key: 28 characters and a NUL. */
void tide_ws_accept(const char *key, size_t n, char out[29]);

/* permessage-deflate, as negotiated. Window bits are 8..15 (15: the default). */
typedef struct tide_ws_deflate {
    bool on;
    bool server_no_context_takeover;
    bool client_no_context_takeover;
    uint8_t server_max_window_bits;
    uint8_t client_max_window_bits;
} tide_ws_deflate_t;

/*
 * Picks the first permessage-deflate offer this server can accept from the
 * Sec-WebSocket-Extensions values p[0..n) (all of the request's, joined by ", "): its
 * parameters as answered in *out (on = false when there is none). The server always keeps
 * no context of its own between messages (server_no_context_takeover, RFC 7692 7.1.1.1),
 * so any worker can compress a message for any connection.
 */
void tide_ws_deflate_offer(const char *p, size_t n, tide_ws_deflate_t *out);
/* The Sec-WebSocket-Extensions value that answers *d, NUL-terminated: its length. out has
 * room for 128 bytes. */
size_t tide_ws_deflate_answer(const tide_ws_deflate_t *d, char *out);

/* ---- compression of the messages the server sends (no context kept between them) ---- */

typedef struct tide_ws_zout tide_ws_zout_t;
/* level 1..9, window bits 9..15; NULL when out of memory or for a bad argument. */
tide_ws_zout_t *tide_ws_zout_new(int level, int bits);
void tide_ws_zout_free(tide_ws_zout_t *z);
/* Compresses one message: *out (tide_malloc'd, the caller frees) of *out_len bytes, as a
 * permessage-deflate payload (the final 00 00 ff ff removed). 0 or -ENOMEM. */
int tide_ws_zout_run(tide_ws_zout_t *z, const void *in, size_t n, char **out, size_t *out_len);

/* ---- the port protocol ---- */

typedef struct tide_ws_opts {
    size_t max_len;           /* package_max_length: of a message (inflated); 0: 2 MiB */
    bool pass_ping;           /* open_websocket_ping_frame: ping to the owner, no pong */
    bool pass_pong;           /* open_websocket_pong_frame */
    bool pass_close;          /* open_websocket_close_frame (answered all the same) */
    bool pass_fragments;      /* each data frame as it comes, not whole messages */
    uint64_t close_timeout_ns; /* after the server's close frame, the peer's is awaited this
                                * long; 0: 3 s */
} tide_ws_opts_t;

/* The head of each message the protocol hands the owner; the payload follows (unmasked,
 * inflated; a close frame's payload as it came: a code and a reason, or nothing). */
#define TIDE_WS_MSG_MAGIC 0xA5 /* a byte no HTTP request starts with */
typedef struct tide_ws_msg {
    uint8_t magic;
    uint8_t opcode; /* TEXT, BINARY, CONTINUATION (pass_fragments), CLOSE, PING, PONG */
    uint8_t flags;  /* TIDE_WS_FLAG_*: FIN, COMPRESS when it came compressed */
    uint8_t reserved;
} tide_ws_msg_t;

/* What the protocol publishes in its connection's slot (tide_conninfo_t.proto_info). */
#define TIDE_WS_INFO_DEFLATE 1u
#define TIDE_WS_INFO_BITS(info) ((int)((info) >> 1 & 15))

/* What the owner may ask of a connection's protocol (tide_engine_control). */
enum {
    /* The HTTP upgrade is accepted: arg is the tide_ws_deflate_t negotiated. */
    TIDE_WS_CTL_START = 1,
    /* The server closes: arg is the code (2 bytes, network order) and the reason (at most
     * 123 bytes). The close frame is sent; the peer's answer is awaited close_timeout_ns,
     * then the connection is closed. Messages after it are not handed out. */
    TIDE_WS_CTL_CLOSE = 2,
};

typedef struct tide_ws_conn {
    const tide_ws_opts_t *o;
    tide_ws_deflate_t z;  /* negotiated */
    void *inflate;        /* z_stream, made on the first compressed message */
    /* bytes not parsed yet: a partial frame header, or what came after a message the
     * owner did not take at once */
    char *rx;
    size_t rx_len, rx_cap;
    /* the frame being read (in_frame: its header is read, got bytes of its payload) */
    tide_ws_frame_t f;
    uint64_t got;
    bool in_frame;
    /* the data message being gathered: a tide_ws_msg_t head, then its payload */
    char *buf;
    size_t len, cap;
    uint8_t msg_opcode;   /* TEXT/BINARY of the message in progress (0: none) */
    bool msg_compressed;
    bool msg_zempty;      /* no compressed byte came yet (an empty message: nothing to inflate) */
    bool msg_first;       /* pass_fragments: the next frame handed out is the first */
    uint32_t utf8;        /* UTF-8 state of its text */
    /* a control frame: head and payload (at most 125 bytes) */
    char ctl[sizeof(tide_ws_msg_t) + 125];
    size_t ctl_len;
    uint8_t ready;        /* a whole message the owner did not take (HOLD): 1 data, 2 control */
    bool closing;         /* the server sent its close frame */
    bool closed;          /* the peer's close frame came: nothing more is read */
    uint64_t closing_since;
    int error;            /* the close code of a refusal, for why() */
} tide_ws_conn_t;

extern const tide_proto_t tide_proto_websocket;

#endif

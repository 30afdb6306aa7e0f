/* SPDX-License-Identifier: MIT */
/*
 * The protocol a port speaks: how the engine turns a connection's bytes into messages.
 *
 * Each port names a protocol (a const tide_proto_t) and its options; the engine keeps one
 * protocol state per connection, feeds it what the socket gave, and receives whole messages
 * through tide_proto_io_t. Protocols are pure (bytes in, messages and answer bytes out): they
 * never touch a socket, a reactor or PHP, so each is a file under src/proto/ with its own C
 * tests and fuzz target. The stream framing of Swoole's settings (tide/frame.h) is the first;
 * HTTP/1.1, WebSocket, HTTP/2 and FastCGI plug in the same way.
 */
#ifndef TIDE_PROTO_H
#define TIDE_PROTO_H

#include <stddef.h>
#include <stdint.h>

/* What a message callback returns. */
enum {
    TIDE_PROTO_TAKEN = 0, /* taken; go on */
    TIDE_PROTO_STOP = 1,  /* taken; stop feeding (the rest waits for the next feed) */
    TIDE_PROTO_HOLD = 2,  /* not taken: keep this message and stop; it comes again next feed */
    /* From feed: the protocol is done with the connection (a WebSocket close handshake
     * ended): the engine closes it once the replies are written, without a warning. */
    TIDE_PROTO_CLOSE = 3,
};

/* tide_engine_control(): the connection switches to its port's `upgrade` protocol (the
 * HTTP/1.1 request in flight was an accepted Upgrade); the new protocol's control() then
 * gets the same op and argument. Protocols' own ops are above it. */
#define TIDE_PROTO_CTL_UPGRADE 1

typedef struct tide_proto_io {
    /* One whole message, valid during the call only. */
    int (*message)(void *ctx, const char *data, size_t len);
    /* Bytes the protocol answers with itself, in order with the messages (an HTTP 400
     * before the connection is closed, a WebSocket pong). May be NULL if it never does. */
    void (*reply)(void *ctx, const void *data, size_t len);
    void *ctx;
    uint64_t now_ns; /* the loop's monotonic time, for protocols with deadlines */
    /* Spooling, offered or not (both NULL): the body of a message too large to hold may be
     * written to a file as it arrives. spool() appends bytes to the connection's spool
     * file (made on first use): 0 or -errno. spooled() hands over the message whose head
     * is data[0..len) and whose body is the body_len bytes spooled since the last spooled
     * message was taken; it answers as message() does, and a taken message takes the file
     * with it (the next spool() starts a new one). */
    int (*spool)(void *ctx, const char *data, size_t len);
    int (*spooled)(void *ctx, const char *data, size_t len, uint64_t body_len);
} tide_proto_io_t;

typedef struct tide_proto {
    const char *name;
    size_t state_size; /* bytes of per-connection state the engine provides */
    /* Options: 0, or TIDE_EPROTO when they do not describe a valid protocol. */
    int (*check)(const void *opts);
    void (*init)(void *state, const void *opts);
    void (*destroy)(void *state);
    /*
     * Feeds received bytes (n may be 0: go on with what is held). Calls io->message for
     * every whole message, in order, until one returns non-zero. Returns 0, that non-zero
     * value, or TIDE_ETOOBIG / TIDE_EPROTO when the bytes break the protocol or its bounds:
     * the engine then closes the connection (after any reply written).
     */
    int (*feed)(void *state, const char *data, size_t n, const tide_proto_io_t *io);
    /* Bytes held: an incomplete message, or messages not handed out yet. */
    size_t (*pending)(const void *state);
    /* The handler of the message in flight is gone (its worker died) and nothing of an
     * answer was sent: reply what the protocol answers for that (HTTP: 502); the engine
     * closes the connection after. NULL: the connection is closed without a word. */
    void (*abort)(void *state, const tide_proto_io_t *io);
    /* Checked about four times a second for a connection with nothing in flight: non-zero
     * when a deadline of the protocol passed (an HTTP head that takes too long: 408, the
     * reply written through io); the engine then closes the connection. May be NULL. */
    int (*expire)(void *state, const tide_proto_io_t *io);
    /* An owner's request (tide_engine_control): 0, or -EINVAL for an op or argument it
     * does not take. Replies go through io. May be NULL. */
    int (*control)(void *state, int op, const void *arg, size_t len, const tide_proto_io_t *io);
    /* What the connection's slot publishes for every process (tide_conninfo_t.proto_info),
     * read after each control(). May be NULL. */
    uint32_t (*info)(const void *state);
    /* Bytes held after the messages handed out (a client's first frames behind its
     * Upgrade request): what a protocol switched to goes on with. May be NULL. */
    const char *(*rest)(const void *state, size_t *len);
    /* Why the last feed refused the bytes (TIDE_EPROTO), for the log. */
    const char *(*why)(const void *state);
    /* Messages in flight at once per connection (0: the server's connection_max_inflight).
     * HTTP/1.1 says 1: responses go out in the order of the requests. */
    unsigned max_inflight;
} tide_proto_t;

#endif

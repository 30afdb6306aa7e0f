/* SPDX-License-Identifier: MIT */
/*
 * One end of a WebSocket connection driven from a coroutine (ws_peer.c): whole messages
 * read as Frame objects, frames written. Two ends use it: Tide\Coroutine\Http\Client after
 * upgrade() (the client side: frames it sends are masked, frames it reads must not be) and
 * a Tide\Http\Response of Tide\Coroutine\Http\Server after upgrade() (the server side).
 */
#ifndef PHP_TIDE_WS_PEER_H
#define PHP_TIDE_WS_PEER_H

#include <errno.h>

#include "php.h"
#include "zend_smart_str.h"
#include "tide/websocket.h"

typedef struct php_tide_ws_peer {
    /* The connection's received bytes not used yet: (*buf)[*off..*len). */
    char **buf;
    size_t *off, *len;
    /* Reads more into the buffer: the bytes read, 0 at the end of the stream, or a negative
     * code (-ETIMEDOUT, TIDE_EKILLED with an exception pending...). timeout_ns < 0: none. */
    ssize_t (*fill)(void *ctx, int64_t timeout_ns);
    /* Writes all of data[0..n): 0, or a negative code. */
    int (*send)(void *ctx, const char *data, size_t n);
    /* The peer's close frame was answered: the connection is done. */
    void (*done)(void *ctx);
    void *ctx;
    size_t max_len;  /* of a message */
    zend_long fd;    /* what Frame::$fd says (0: nothing) */
    int64_t idle_ns; /* a server's recv() with no timeout of its own waits this long (-1: none) */
    bool must_mask;  /* frames read must be masked (the server side) */
    bool mask;       /* frames written are masked (a client's) */
    bool closing;    /* our close frame went out */
    bool ended;      /* the peer's close frame came (and was answered) */
    /* A message whose first fragments came (kept across a recv() that timed out) */
    smart_str msg;
    uint8_t msg_op;
    /* Calls using the peer now, from any coroutine: its connection is not freed before
     * they are out. */
    unsigned busy;
} php_tide_ws_peer_t;

/* Forgets the message being put together and the close state (the connection ended, or
 * a new one begins). */
void php_tide_ws_peer_reset(php_tide_ws_peer_t *p);

/* php_tide_ws_peer_read(): a text message or a close reason that is not UTF-8 (RFC 6455
 * 8.1: close 1007). */
#define PHP_TIDE_WS_EBADDATA (-EILSEQ)

/* Finds the Frame classes (after websocket.c registered them). */
void php_tide_ws_peer_minit(void);

/* Sends one frame (first: FIN, RSV and opcode bits): 0, or the send's negative code. */
int php_tide_ws_peer_send(php_tide_ws_peer_t *p, uint8_t first, const char *data, size_t n);

/*
 * Reads the next message: data frames put together (up to max_len), a ping answered with a
 * pong, a pong or close handed out (a close answered, then done()). 0 with *out set to a
 * Frame or CloseFrame, or a negative code: TIDE_ETOOBIG, TIDE_EPROTO (also a close frame
 * with a 1-byte payload or a code that may not be sent), PHP_TIDE_WS_EBADDATA (text that is
 * not UTF-8), -ECONNRESET (the stream ended),
 * or what fill() or send() returned. Fragments read before a timeout are kept for the next
 * call.
 */
int php_tide_ws_peer_read(php_tide_ws_peer_t *p, int64_t timeout_ns, zval *out);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Framing of stream protocols the server does for PHP (Swoole's settings): EOF-delimited
 * (open_eof_check / open_eof_split with package_eof) and length-prefixed
 * (open_length_check with package_length_type, package_length_offset,
 * package_body_offset), bounded by package_max_length.
 *
 * Pure: bytes in, whole packages out. A framer owns a buffer per connection; packages are
 * handed out as slices valid only during the callback. Nothing here touches a socket.
 */
#ifndef TIDE_FRAME_H
#define TIDE_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tide/proto.h"

typedef enum tide_frame_mode {
    TIDE_FRAME_RAW = 0, /* no framing: every read is handed on as it is */
    TIDE_FRAME_EOF,     /* package_eof ends a package */
    TIDE_FRAME_LENGTH,  /* a length field gives the package's size */
} tide_frame_mode_t;

#define TIDE_FRAME_EOF_MAX 8

typedef struct tide_frame_opts {
    tide_frame_mode_t mode;
    /* EOF: with eof_split, each package (ending with eof) is delivered on its own; without
     * (open_eof_check), whatever has been received is delivered once it ends with eof,
     * possibly several packages at once, as Swoole does. */
    bool eof_split;
    char eof[TIDE_FRAME_EOF_MAX];
    size_t eof_len;
    /* LENGTH: the field of type length_type at length_offset holds the body's length; the
     * package is body_offset + that many bytes. */
    char length_type;
    size_t length_offset;
    size_t body_offset;
    size_t max_length; /* package_max_length; 0 = 2 MiB */
} tide_frame_opts_t;

/* Validates a package_length_type letter (c C s S n N l L v V q J P): its size in bytes,
 * or 0 when the letter is not one of them. */
size_t tide_frame_length_size(char type);
/* 0, or TIDE_EPROTO naming nothing (the Zend layer names the setting): an eof that is empty
 * or longer than 8 bytes, an unknown length type, a length field past body_offset... */
int tide_frame_opts_check(const tide_frame_opts_t *o);

typedef struct tide_framer {
    const tide_frame_opts_t *o; /* shared by the port's connections; outlives the framer */
    char *buf;                  /* bytes of packages not yet complete */
    size_t len, cap;
    size_t eof_scan;   /* EOF: how much of the package being gathered holds no eof */
} tide_framer_t;

void tide_framer_init(tide_framer_t *f, const tide_frame_opts_t *o);
void tide_framer_destroy(tide_framer_t *f);

/* Receives one package (or, for eof_check, a run of them); valid during the call only.
 * It returns a TIDE_PROTO_* value: TAKEN goes on; STOP stops tide_framer_feed after this
 * package (the connection is going away, or paused); HOLD stops before it: the package is
 * not taken and is handed out again by the next feed. Bytes not handed out are kept, and
 * the next feed (n may be 0) goes on with them. */
typedef int (*tide_frame_cb)(void *udata, const char *data, size_t len);

/*
 * Feeds received bytes. Calls cb for every package they complete, in order. Returns 0,
 * the callback's non-zero value, TIDE_ETOOBIG when a package exceeds max_length, or
 * TIDE_EPROTO when a length field is negative: the connection must then be closed (what
 * was buffered is dropped). The callback must not feed the same framer. Without framing
 * (TIDE_FRAME_RAW) each feed is handed out as it is (with what a HOLD kept before it).
 */
int tide_framer_feed(tide_framer_t *f, const char *data, size_t n, tide_frame_cb cb,
                     void *udata);
/* Bytes held for an incomplete package. */
static inline size_t tide_framer_pending(const tide_framer_t *f)
{
    return f->len;
}

/* The framer as a port protocol (tide/proto.h); its options are a tide_frame_opts_t. */
extern const tide_proto_t tide_proto_frame;

#endif

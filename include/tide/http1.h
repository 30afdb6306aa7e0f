/* SPDX-License-Identifier: MIT */
/*
 * HTTP/1.x requests (RFC 9112): the head parser and the port protocol built on it.
 *
 * The parser reads a request head where it lies and records spans (offset, length) into
 * it: nothing is copied. It is strict where leniency lets two parsers disagree on where a
 * request ends (request smuggling): both Content-Length and Transfer-Encoding, two
 * different Content-Lengths, a transfer coding other than chunked, whitespace before a
 * header's colon, folded header lines, a bare CR. Lines may end in CRLF or LF alone (as
 * nginx accepts); empty lines before the request line are skipped (RFC 9112, 2.2).
 *
 * The protocol (tide_proto_http1) hands the owner one message per request: the head as
 * received, then the body with its chunked coding removed, so that the owner finds the
 * body right after head_len bytes whatever the framing was. A body longer than spool_min
 * goes to the engine's spool file as it arrives instead (when the engine offers spooling,
 * tide/proto.h), and the request is handed over as its head with the body's length: memory
 * per connection stays near spool_min whatever package_max_length allows. It answers 100 Continue itself
 * and, for a request it refuses, the status (400, 408, 413, 431, 501, 505) with
 * `Connection: close`, and then asks the engine to close. It parses a request only when
 * the engine may hand it out, so such an answer never overtakes the responses of the
 * requests before it.
 */
#ifndef TIDE_HTTP1_H
#define TIDE_HTTP1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tide/proto.h"

/* More header lines than this is answered 431. */
#define TIDE_HTTP1_MAX_HEADERS 128

typedef struct tide_span {
    uint32_t off, len;
} tide_span_t;

typedef struct tide_http1_header {
    tide_span_t name, value; /* value without surrounding whitespace */
} tide_http1_header_t;

enum { TIDE_HTTP1_BODY_NONE = 0, TIDE_HTTP1_BODY_LENGTH, TIDE_HTTP1_BODY_CHUNKED };

typedef struct tide_http1_head {
    size_t len;           /* bytes of the head, through the empty line that ends it */
    size_t start;         /* where the request line starts (after skipped empty lines) */
    tide_span_t method, target, path, query; /* query: after '?', without it */
    int version;          /* 10 or 11 (a later 1.x minor is 11) */
    int body;             /* TIDE_HTTP1_BODY_* */
    uint64_t content_length;
    bool keep_alive;      /* what the request asks for (version and Connection) */
    bool expect_continue;
    bool upgrade;         /* Connection: upgrade */
    uint32_t nheaders;
    tide_http1_header_t headers[TIDE_HTTP1_MAX_HEADERS];
} tide_http1_head_t;

/*
 * Parses the request head at p[0..n). Returns the head's length when it is complete, 0 when
 * more bytes are needed (and the head so far is within max_head), or minus an HTTP status
 * when the request must be refused: -400 malformed, -431 a head over max_head bytes or
 * TIDE_HTTP1_MAX_HEADERS lines, -501 a transfer coding other than chunked, -505 a version
 * other than 1.x.
 */
long tide_http1_parse_head(const char *p, size_t n, size_t max_head, tide_http1_head_t *h);

/* The header's value (first of that name, case-insensitive), or NULL. */
const tide_http1_header_t *tide_http1_find(const tide_http1_head_t *h, const char *p,
                                           const char *name);

/* The reason phrase of a status code ("" for an unknown one). */
const char *tide_http1_reason(int status);

/* ---- the port protocol ---- */

typedef struct tide_http1_opts {
    size_t max_head; /* http_max_header_size; 0: 8 KiB */
    size_t max_body; /* package_max_length; 0: 2 MiB */
    uint64_t head_timeout_ns; /* http_header_timeout: a head must be whole within it; 0: none */
    size_t spool_min; /* http_body_buffer_size: a longer body is spooled; 0: never */
} tide_http1_opts_t;

typedef struct tide_http1_conn {
    const tide_http1_opts_t *o;
    char *buf;            /* bytes held: a request not complete yet, and what follows */
    size_t len, cap;
    size_t scanned;       /* bytes of buf known not to hold the end of the head */
    int stage;            /* where the request being read is */
    size_t head_len;      /* of the request being read (its bytes start buf) */
    size_t body_len;      /* body bytes gathered after the head (chunked: decoded) */
    size_t raw;           /* chunked: bytes of buf consumed (head, then coded body) */
    uint64_t chunk_left;  /* chunked: data bytes of the current chunk still to come */
    size_t trailer_start; /* chunked: where the trailer section began in buf */
    uint64_t head_since;  /* when the bytes of the head being read began to come (0: none) */
    uint64_t spooled;     /* body bytes of the request being read written to the spool */
    bool spooling;        /* its body goes to the spool */
    bool keep_alive;
    bool continued;       /* 100 Continue sent for the request being read */
    bool done;            /* a request said Connection: close, or one was refused */
    int error;            /* the status of the last refusal (0: none) */
} tide_http1_conn_t;

extern const tide_proto_t tide_proto_http1;

#endif

/* SPDX-License-Identifier: MIT */
/*
 * HTTP/1.x responses (RFC 9112), as a client reads them: the head parser, the chunked
 * decoder and the Content-Encoding decoder (gzip, deflate). Pure: bytes in, spans and
 * bytes out; no socket, no allocation but zlib's state.
 *
 * Everything is bounded by the caller's limits: a head over max_head bytes or with more
 * than TIDE_HTTP1_MAX_HEADERS lines, a chunk-size line or trailer section over
 * TIDE_HTTP1_CHUNK_LINE_MAX bytes, and a decoded body over the caller's max fail instead
 * of growing. Bytes that cannot be a response (a hostile or broken server) give
 * TIDE_EPROTO, never a guess.
 */
#ifndef TIDE_HTTP1_RESPONSE_H
#define TIDE_HTTP1_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tide/compress.h"
#include "tide/http1.h"

/* The body runs until the server closes the connection (no length, no chunking). */
#define TIDE_HTTP1_BODY_CLOSE 3

/* The longest chunk-size line (with extensions), and trailer section, accepted. */
#define TIDE_HTTP1_CHUNK_LINE_MAX 4096

typedef struct tide_http1_response {
    size_t len;          /* bytes of the head, through the empty line that ends it */
    int version;         /* 10 or 11 (a later 1.x minor is 11) */
    int status;          /* 100..999 */
    tide_span_t reason;  /* may be empty */
    int body;            /* TIDE_HTTP1_BODY_NONE, _LENGTH, _CHUNKED or TIDE_HTTP1_BODY_CLOSE */
    uint64_t content_length; /* _LENGTH: the body's length */
    bool keep_alive;     /* the connection may carry another request after this body */
    bool upgrade;        /* Connection: upgrade */
    tide_coding_t coding; /* Content-Encoding: gzip/x-gzip, deflate, or none (identity, or
                           * a coding this parser does not know: coding_unknown is set) */
    bool coding_unknown;
    uint32_t nheaders;
    tide_http1_header_t headers[TIDE_HTTP1_MAX_HEADERS];
} tide_http1_response_t;

/*
 * Parses the response head at p[0..n). head_request: the request was HEAD (no body
 * follows, whatever the head says). Returns the head's length when it is complete, 0 when
 * more bytes are needed (and the head so far is within max_head), TIDE_ETOOBIG for a head
 * over max_head bytes (0: 8 KiB) or TIDE_HTTP1_MAX_HEADERS lines, TIDE_EPROTO for bytes
 * that are not an HTTP/1.x response head (a bad status line, a bad header line, a bad or
 * contradictory Content-Length).
 *
 * The body's framing follows RFC 9112, 6.3: none for HEAD, 1xx, 204 and 304; chunked when
 * chunked is the last transfer coding (it wins over a Content-Length, and the connection
 * is then not reused); until close for another transfer coding or when neither is given.
 * A 1xx other than 101 is an interim response: the caller skips it and parses again.
 */
long tide_http1_parse_response(const char *p, size_t n, size_t max_head, bool head_request,
                               tide_http1_response_t *r);

/* The response's header (first of that name, case-insensitive), or NULL. */
const tide_http1_header_t *tide_http1_response_find(const tide_http1_response_t *r,
                                                    const char *p, const char *name);

/* ---- chunked bodies (RFC 9112, 7.1) ---- */

typedef struct tide_http1_chunked {
    int state;
    uint64_t left;   /* data bytes of the chunk still to come; while reading a size: the size */
    uint32_t line;   /* bytes of the current size line or of the trailer section */
    uint8_t digits;  /* hex digits of the size read */
    bool done;       /* the last chunk and the trailer section are read */
} tide_http1_chunked_t;

/* Starts (or restarts) a decoder. */
void tide_http1_chunked_init(tide_http1_chunked_t *c);

/*
 * Decodes p[0..n) in place: the chunk data in it is moved to p[0..*out) (*out <= what was
 * consumed). Returns the bytes consumed: all of n, or fewer once the body ended (c->done;
 * the bytes after it belong to what follows). TIDE_EPROTO for a bad chunk-size line (not
 * hex, more than 16 digits, a value over 2^64), a missing line end after chunk data, or a
 * size line or trailer section over TIDE_HTTP1_CHUNK_LINE_MAX bytes. Extensions and
 * trailer fields are skipped. A line may end in CRLF or LF.
 */
long tide_http1_chunked_decode(tide_http1_chunked_t *c, char *p, size_t n, size_t *out);

/* ---- Content-Encoding (RFC 9110, 8.4.1) ---- */

typedef struct tide_inflate tide_inflate_t;

/*
 * A decoder for coding c (GZIP, or DEFLATE: the zlib format, or raw deflate as some
 * servers send, told apart by the first two bytes) whose output may total at most max_out
 * bytes. NULL when out of memory or for a bad coding.
 */
tide_inflate_t *tide_inflate_new(tide_coding_t c, size_t max_out);

/*
 * Decodes in[0..n) and hands the output to sink as it comes. Returns 0, TIDE_EPROTO when
 * the input is not a valid stream (or goes on past its end: the bytes after it are
 * ignored), TIDE_ETOOBIG when the output would pass max_out (a compression bomb), -ENOMEM
 * when zlib or the sink ran out of memory.
 */
int tide_inflate_run(tide_inflate_t *z, const void *in, size_t n, tide_deflate_sink_fn sink,
                     void *arg);

/* Whether the stream ended (its trailer came): a body that ends before is truncated. */
bool tide_inflate_done(const tide_inflate_t *z);

void tide_inflate_free(tide_inflate_t *z);

#endif

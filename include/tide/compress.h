/* SPDX-License-Identifier: MIT */
/*
 * HTTP response compression (RFC 9110, 8.4.1): which coding a client accepts, which bodies
 * are worth compressing, and a zlib stream that turns a body, whole or in pieces, into
 * gzip (RFC 1952) or deflate (RFC 9110's "deflate" is the zlib format, RFC 1950).
 *
 * The stream hands its output to a sink in pieces as zlib makes them, so that the owner
 * appends them where it builds the response (a chunk, or the body after the head) without
 * a second copy.
 */
#ifndef TIDE_COMPRESS_H
#define TIDE_COMPRESS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum tide_coding {
    TIDE_CODING_NONE = 0,
    TIDE_CODING_GZIP,
    TIDE_CODING_DEFLATE,
} tide_coding_t;

/* The coding to answer with for an Accept-Encoding value (NULL/0: the header is absent):
 * gzip when accepted with a q above 0 (by name or by "*"), else deflate, else none. Ties
 * on q go to gzip; a q of 0 refuses a coding even when "*" allows the rest. */
tide_coding_t tide_accept_coding(const char *p, size_t n);

/* "gzip", "deflate" or "". */
const char *tide_coding_name(tide_coding_t c);

/* Whether a body of this Content-Type is worth compressing: any text type, JSON, XML, JavaScript,
 * SVG, WebAssembly and the like; not images, audio, video, fonts in compressed formats or
 * archives. NULL/0 (no Content-Type): true, since the server then says text/html. */
bool tide_compressible_type(const char *p, size_t n);

typedef struct tide_deflate tide_deflate_t;

/* Receives a piece of output; returns false to stop (the run then fails with -ENOMEM). */
typedef bool (*tide_deflate_sink_fn)(void *arg, const char *p, size_t n);

/* How much memory a stream may use: zlib's full window for bodies compressed whole (one
 * stream per worker, reused), a small one for bodies streamed by write() (one stream per
 * such response, alive as long as it: an event stream may last hours). */
typedef enum tide_deflate_size {
    TIDE_DEFLATE_WHOLE,    /* 32 KiB window, memLevel 8: about 260 KiB */
    TIDE_DEFLATE_STREAMED, /* 8 KiB window, memLevel 6: about 70 KiB */
} tide_deflate_size_t;

/* A stream for coding c (GZIP or DEFLATE) at level 1..9; NULL when out of memory or for a
 * bad argument. */
tide_deflate_t *tide_deflate_new(tide_coding_t c, int level, tide_deflate_size_t size);

/*
 * Compresses in[0..n) and hands the output to sink. finish: this is the last piece (the
 * stream's trailer follows and the stream is done); otherwise what was given is flushed
 * to a byte boundary (Z_SYNC_FLUSH), so that a client can decode each piece as it comes.
 * Returns 0, or -ENOMEM (zlib or the sink ran out of memory), or -EINVAL (the stream is
 * done, or zlib found it broken).
 */
int tide_deflate_run(tide_deflate_t *d, const void *in, size_t n, bool finish,
                     tide_deflate_sink_fn sink, void *arg);

/* Makes a done (or used) stream new again, keeping its memory: a whole-body stream costs
 * about 260 KiB of zlib state, which a server that compresses many small bodies should
 * allocate once. */
void tide_deflate_reset(tide_deflate_t *d);

/* The coding and level the stream was made with. */
tide_coding_t tide_deflate_coding(const tide_deflate_t *d);
int tide_deflate_level(const tide_deflate_t *d);

void tide_deflate_free(tide_deflate_t *d);

#endif

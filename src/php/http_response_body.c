/* SPDX-License-Identifier: MIT */
/*
 * How a response's body goes on the wire (http_response.c decides when): whether it may go
 * compressed, a whole body compressed with one zlib stream per coding kept per worker, and
 * the pieces of a streamed body, compressed and chunked.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>

#include "php.h"
#include "php_tide_http.h"
#include "tide/compress.h"
#include "zend_smart_str.h"

/* Whether the body could go compressed, whatever this client accepts (then the head says
 * Vary: Accept-Encoding). length: the whole body's, or -1 for one streamed by write(). */
bool php_tide_response_compressible(const php_tide_response_t *r, int64_t length)
{
    if (!r->level || r->head || bodiless(r->status) || r->status == 206)
        return false;
    if (length >= 0 && (uint64_t)length < r->min_length)
        return false;
    if (has_header(r, "content-encoding") || has_header(r, "content-range"))
        return false;
    zval *ct = header_value(r, "content-type", 12);
    return tide_compressible_type(ct ? Z_STRVAL_P(ct) : NULL, ct ? Z_STRLEN_P(ct) : 0);
}

static bool to_str(void *arg, const char *p, size_t n)
{
    smart_str_appendl((smart_str *)arg, p, n);
    return true;
}

/* One stream per coding for whole bodies, reset between them: zlib's state (about 256 KiB)
 * is made once per worker, not once per response. */
static tide_deflate_t *whole_streams[3];

bool php_tide_response_compress_whole(const php_tide_response_t *r, const char *body, size_t len,
                                      smart_str *out)
{
    tide_deflate_t **slot = &whole_streams[r->coding];
    if (*slot && tide_deflate_level(*slot) != r->level) {
        tide_deflate_free(*slot);
        *slot = NULL;
    }
    if (!*slot && !(*slot = tide_deflate_new(r->coding, r->level, TIDE_DEFLATE_WHOLE)))
        return false;
    tide_deflate_reset(*slot);
    return tide_deflate_run(*slot, body, len, true, to_str, out) == 0;
}

void php_tide_response_mshutdown(void)
{
    for (size_t i = 0; i < sizeof(whole_streams) / sizeof(whole_streams[0]); i++) {
        tide_deflate_free(whole_streams[i]);
        whole_streams[i] = NULL;
    }
}

/* "<size in hex>\r\n<bytes>\r\n" */
static void append_chunk(smart_str *out, const char *p, size_t n)
{
    char size[24];
    int k = snprintf(size, sizeof(size), "%zx\r\n", n);
    smart_str_appendl(out, size, (size_t)k);
    smart_str_appendl(out, p, n);
    smart_str_appends(out, "\r\n");
}

/* A piece of a streamed body as it goes on the wire: compressed when the head said so, in
 * a chunk unless HTTP/1.0. finish: the body's last piece. False when zlib failed. */
bool php_tide_response_append_piece(php_tide_response_t *r, smart_str *out, const char *p,
                                    size_t n, bool finish)
{
    smart_str z = {0};
    if (r->encoding) {
        if (tide_deflate_run(r->z, p, n, finish, to_str, &z) < 0) {
            smart_str_free(&z);
            return false;
        }
        p = z.s ? ZSTR_VAL(z.s) : "";
        n = z.s ? ZSTR_LEN(z.s) : 0;
    }
    if (n) {
        if (r->chunked)
            append_chunk(out, p, n);
        else
            smart_str_appendl(out, p, n);
    }
    smart_str_free(&z);
    return true;
}


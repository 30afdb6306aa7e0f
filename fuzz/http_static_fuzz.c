/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the pure parts of static files (src/proto/http_static.c): the
 * first byte picks a file size, the rest is a header value or a request path. Checked:
 * no crash, no UB, and
 *   - a satisfiable range lies within the size and is not empty, and only "bytes=" is
 *     ever understood;
 *   - a parsed date formats back to a date that parses to the same second;
 *   - a normalized path starts with one '/', has no empty, "." or ".." segment, fits in
 *     the n + 1 bytes it was given, and normalizes to itself when it has no '%' left;
 *   - a path under a location starts with it, on a segment boundary;
 *   - a media type is never NULL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tide/common.h"
#include "tide/http_static.h"

static const uint64_t sizes[] = {0, 1, 2, 13, 1000, 1u << 31, UINT64_MAX - 1, UINT64_MAX};

static void check_range(const char *p, size_t n, uint64_t size)
{
    uint64_t off = 0, len = 0;
    int rc = tide_http_range(p, n, size, &off, &len);
    if (rc < -1 || rc > 1)
        abort();
    if (rc == 1 && (len == 0 || off >= size || len > size - off))
        abort();
    if (rc != 0 && (n < 6 || strncasecmp(p, "bytes=", 6)))
        abort(); /* only the bytes unit is understood */
}

static void check_date(const char *p, size_t n)
{
    int64_t t, back;
    char buf[TIDE_HTTP_DATE_LEN];
    if (!tide_http_date_parse(p, n, &t))
        return;
    tide_http_date(t, buf, sizeof(buf));
    if (strlen(buf) != 29 || !tide_http_date_parse(buf, 29, &back) || back != t)
        abort();
}

static bool segment_ok(const char *s, size_t n)
{
    return n > 0 && !(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.');
}

static void check_normalized(const char *out, int n)
{
    if (n < 1 || out[0] != '/' || out[n] != 0 || strlen(out) != (size_t)n)
        abort();
    for (int i = 1; i < n;) { /* every segment but an empty last one (a trailing '/') */
        const char *slash = memchr(out + i, '/', (size_t)(n - i));
        size_t len = slash ? (size_t)(slash - (out + i)) : (size_t)(n - i);
        if (!segment_ok(out + i, len))
            abort();
        i += (int)len + 1;
    }
    if (!memchr(out, '%', (size_t)n)) {
        char *again = malloc((size_t)n + 1);
        int m = tide_static_normalize(out, (size_t)n, again, (size_t)n + 1);
        if (m != n || memcmp(again, out, (size_t)n))
            abort();
        free(again);
    }
}

static void check_path(const char *p, size_t n)
{
    char *out = malloc(n + 1);
    int rc = tide_static_normalize(p, n, out, n + 1);
    if (rc > 0)
        check_normalized(out, rc);
    else if (rc != -400 && rc != -404)
        abort(); /* n + 1 bytes always suffice: never -414 */
    free(out);
}

/* The input split at its first '\n': a location, then a path. */
static void check_location(const char *p, size_t n)
{
    const char *nl = memchr(p, '\n', n);
    if (!nl)
        return;
    const char *loc = p, *path = nl + 1;
    size_t ll = (size_t)(nl - p), pl = n - ll - 1;
    if (!tide_static_in_locations(path, pl, &loc, &ll, 1))
        return;
    while (ll > 0 && loc[ll - 1] == '/')
        ll--;
    if (pl < ll || memcmp(path, loc, ll) || (pl > ll && path[ll] != '/') ||
        (ll == 0 && (pl == 0 || path[0] != '/')))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    uint64_t fsize = sizes[data[0] % (sizeof(sizes) / sizeof(sizes[0]))];
    size_t n = size - 1;
    char *p = malloc(n ? n : 1); /* its own allocation: ASan sees a read past n */
    memcpy(p, data + 1, n);
    check_range(p, n, fsize);
    check_date(p, n);
    check_path(p, n);
    check_location(p, n);
    if (!tide_mime_type(p, n))
        abort();
    free(p);
    return 0;
}

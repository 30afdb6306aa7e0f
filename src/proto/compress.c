/* SPDX-License-Identifier: MIT */
/* HTTP response compression: see include/tide/compress.h. */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "tide/ascii.h"
#include "tide/common.h"
#include "tide/compress.h"

/* ---- Accept-Encoding ---- */

/* p[0..n) without surrounding whitespace. */
static void trim(const char **p, size_t *n)
{
    while (*n && tide_is_ows(**p))
        (*p)++, (*n)--;
    while (*n && tide_is_ows((*p)[*n - 1]))
        (*n)--;
}

static bool same(const char *p, size_t n, const char *word)
{
    return n == strlen(word) && strncasecmp(p, word, n) == 0;
}

/* A qvalue (RFC 9110, 12.4.2) in thousandths: "0", "0.5", "1", "1.000"; -1 when malformed. */
static int qvalue(const char *p, size_t n)
{
    if (!n || (p[0] != '0' && p[0] != '1'))
        return -1;
    int q = (p[0] - '0') * 1000;
    if (n == 1)
        return q;
    if (p[1] != '.' || n > 5)
        return -1;
    int scale = 100;
    for (size_t i = 2; i < n; i++, scale /= 10) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        q += (p[i] - '0') * scale;
    }
    return q > 1000 ? -1 : q;
}

/* The q of one element's parameters ("; q=0.5"); 1000 when it has none. A malformed q
 * counts as 0: a coding the client may not want is not sent. */
static int element_q(const char *p, size_t n)
{
    int q = 1000;
    while (n) {
        const char *semi = memchr(p, ';', n);
        if (!semi)
            break;
        n -= (size_t)(semi + 1 - p);
        p = semi + 1;
        const char *end = memchr(p, ';', n);
        size_t len = end ? (size_t)(end - p) : n;
        const char *param = p;
        trim(&param, &len);
        if (len >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
            const char *v = param + 2;
            size_t vn = len - 2;
            trim(&v, &vn);
            q = qvalue(v, vn);
            if (q < 0)
                q = 0;
        }
    }
    return q;
}

tide_coding_t tide_accept_coding(const char *p, size_t n)
{
    int gzip = -1, deflate = -1, star = -1; /* q of each, -1: not named */
    while (p && n) {
        const char *comma = memchr(p, ',', n);
        size_t len = comma ? (size_t)(comma - p) : n;
        const char *el = p;
        size_t el_len = len;
        p += len + (comma ? 1 : 0);
        n -= len + (comma ? 1 : 0);

        const char *semi = memchr(el, ';', el_len);
        size_t name_len = semi ? (size_t)(semi - el) : el_len;
        const char *name = el;
        trim(&name, &name_len);
        int q = element_q(el, el_len);
        if (same(name, name_len, "gzip") || same(name, name_len, "x-gzip"))
            gzip = gzip > q ? gzip : q;
        else if (same(name, name_len, "deflate"))
            deflate = deflate > q ? deflate : q;
        else if (same(name, name_len, "*"))
            star = star > q ? star : q;
    }
    if (gzip < 0)
        gzip = star;
    if (deflate < 0)
        deflate = star;
    if (gzip > 0 && gzip >= deflate)
        return TIDE_CODING_GZIP;
    if (deflate > 0)
        return TIDE_CODING_DEFLATE;
    return TIDE_CODING_NONE;
}

const char *tide_coding_name(tide_coding_t c)
{
    return c == TIDE_CODING_GZIP ? "gzip" : c == TIDE_CODING_DEFLATE ? "deflate" : "";
}

/* ---- which bodies ---- */

bool tide_compressible_type(const char *p, size_t n)
{
    static const char *const apps[] = {
        "json", "javascript", "x-javascript", "ecmascript", "xml", "xhtml+xml", "rss+xml",
        "atom+xml", "ld+json", "manifest+json", "wasm", "x-www-form-urlencoded", "graphql",
        "x-yaml", "yaml", "toml", "x-sh", "sql", "vnd.api+json", "geo+json", "x-ndjson",
        "problem+json", "problem+xml", "octet-stream+text",
    };
    if (!p || !n)
        return true;
    const char *semi = memchr(p, ';', n);
    size_t len = semi ? (size_t)(semi - p) : n;
    trim(&p, &len);
    if (len > 5 && strncasecmp(p, "text/", 5) == 0)
        return true;
    if (same(p, len, "image/svg+xml") || same(p, len, "image/x-icon") ||
        same(p, len, "image/vnd.microsoft.icon") || same(p, len, "image/bmp") ||
        same(p, len, "font/ttf") || same(p, len, "font/otf"))
        return true;
    if (len > 12 && strncasecmp(p, "application/", 12) == 0) {
        const char *sub = p + 12;
        size_t sub_len = len - 12;
        for (size_t i = 0; i < sizeof(apps) / sizeof(apps[0]); i++)
            if (same(sub, sub_len, apps[i]))
                return true;
        /* Structured syntax suffixes (RFC 6839): vnd.foo+json, vnd.bar+xml. */
        if ((sub_len > 5 && strncasecmp(sub + sub_len - 5, "+json", 5) == 0) ||
            (sub_len > 4 && strncasecmp(sub + sub_len - 4, "+xml", 4) == 0))
            return true;
    }
    return false;
}

/* ---- the zlib stream ---- */

struct tide_deflate {
    z_stream z;
    tide_coding_t coding;
    int level;
    bool done;
};

/* zlib's allocations go through ours, as every other allocation of Tide's does. */
static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
    (void)opaque;
    return tide_calloc(items, size);
}

static void z_free(voidpf opaque, voidpf p)
{
    (void)opaque;
    tide_free(p);
}

tide_deflate_t *tide_deflate_new(tide_coding_t c, int level, tide_deflate_size_t size)
{
    if ((c != TIDE_CODING_GZIP && c != TIDE_CODING_DEFLATE) || level < 1 || level > 9 ||
        (size != TIDE_DEFLATE_WHOLE && size != TIDE_DEFLATE_STREAMED))
        return NULL;
    tide_deflate_t *d = tide_calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    d->z.zalloc = z_alloc;
    d->z.zfree = z_free;
    /* zlib's memory is (1 << (windowBits + 2)) + (1 << (memLevel + 9)) plus ~7 KiB: 32 KiB
     * window and memLevel 8 (its defaults) take 263 KiB, an 8 KiB window and memLevel 6
     * take 71 KiB and compress text a few percent less. +16 asks for the gzip wrapper. Any
     * inflater decodes either (the window is the largest a decoder must keep). */
    int bits = size == TIDE_DEFLATE_WHOLE ? 15 : 13;
    int mem = size == TIDE_DEFLATE_WHOLE ? 8 : 6;
    if (c == TIDE_CODING_GZIP)
        bits += 16;
    if (deflateInit2(&d->z, level, Z_DEFLATED, bits, mem, Z_DEFAULT_STRATEGY) != Z_OK) {
        tide_free(d);
        return NULL;
    }
    d->coding = c;
    d->level = level;
    return d;
}

int tide_deflate_run(tide_deflate_t *d, const void *in, size_t n, bool finish,
                     tide_deflate_sink_fn sink, void *arg)
{
    char out[16384];
    if (d->done)
        return -EINVAL;
    const unsigned char *src = in;
    /* avail_in is an unsigned int: a piece over 4 GiB goes in slices. */
    do {
        size_t slice = n > (1u << 30) ? (1u << 30) : n;
        bool last = slice == n;
        int flush = last ? (finish ? Z_FINISH : Z_SYNC_FLUSH) : Z_NO_FLUSH;
        d->z.next_in = (Bytef *)(uintptr_t)src;
        d->z.avail_in = (uInt)slice;
        int rc;
        do {
            d->z.next_out = (Bytef *)out;
            d->z.avail_out = sizeof(out);
            rc = deflate(&d->z, flush);
            if (rc == Z_STREAM_ERROR)
                return -EINVAL;
            size_t made = sizeof(out) - d->z.avail_out;
            if (made && !sink(arg, out, made))
                return -ENOMEM;
            /* Z_BUF_ERROR: no progress was possible, which with output space left means
             * there is nothing more to do for this flush. */
        } while (d->z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END && rc != Z_BUF_ERROR));
        src += slice;
        n -= slice;
    } while (n);
    if (finish)
        d->done = true;
    return 0;
}

void tide_deflate_reset(tide_deflate_t *d)
{
    deflateReset(&d->z);
    d->done = false;
}

tide_coding_t tide_deflate_coding(const tide_deflate_t *d)
{
    return d->coding;
}

int tide_deflate_level(const tide_deflate_t *d)
{
    return d->level;
}

void tide_deflate_free(tide_deflate_t *d)
{
    if (!d)
        return;
    deflateEnd(&d->z);
    tide_free(d);
}

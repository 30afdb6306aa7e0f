/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "tide/ascii.h"
#include "tide/common.h"
#include "tide/multipart.h"

static tide_span_t span(const char *base, const char *p, size_t n)
{
    return (tide_span_t){(uint32_t)(p - base), (uint32_t)n};
}

/* The value of a parameter such as name="x" or name=x, from p (just after '='). */
static const char *param_value(const char *p, const char *end, const char **v, size_t *vn)
{
    if (p < end && *p == '"') {
        const char *q = ++p;
        while (q < end && *q != '"') {
            if (*q == '\\' && q + 1 < end)
                q++;
            q++;
        }
        *v = p;
        *vn = (size_t)(q - p);
        return q < end ? q + 1 : q;
    }
    const char *q = p;
    while (q < end && *q != ';' && *q != ' ' && *q != '\t')
        q++;
    *v = p;
    *vn = (size_t)(q - p);
    return q;
}

bool tide_multipart_boundary(const char *ct, size_t n, tide_span_t *boundary)
{
    const char *end = ct + n;
    for (const char *p = ct; p < end; p++) {
        if (*p != ';')
            continue;
        p++;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (!tide_prefix_ci(p, (size_t)(end - p), "boundary="))
            continue;
        const char *v;
        size_t vn;
        param_value(p + 9, end, &v, &vn);
        if (vn < 1 || vn > 70)
            return false;
        *boundary = span(ct, v, vn);
        return true;
    }
    return false;
}

/* Content-Disposition: form-data; name="..."; filename="..." */
static bool disposition(const char *body, const char *p, const char *end,
                        tide_multipart_part_t *part)
{
    if (!tide_prefix_ci(p, (size_t)(end - p), "form-data"))
        return false;
    p += 9;
    bool named = false;
    while (p < end) {
        while (p < end && (*p == ';' || *p == ' ' || *p == '\t'))
            p++;
        const char *k = p;
        while (p < end && *p != '=' && *p != ';')
            p++;
        if (p >= end || *p != '=')
            continue;
        size_t kn = (size_t)(p - k);
        const char *v;
        size_t vn;
        p = param_value(p + 1, end, &v, &vn);
        if (kn == 4 && tide_prefix_ci(k, kn, "name")) {
            part->name = span(body, v, vn);
            named = true;
        } else if (kn == 8 && tide_prefix_ci(k, kn, "filename")) {
            part->filename = span(body, v, vn);
            part->has_filename = true;
        }
    }
    return named;
}

/* The line at p: its end (the LF) or NULL; *ce: where its content ends. */
static const char *line(const char *p, const char *end, const char **ce)
{
    const char *lf = memchr(p, '\n', (size_t)(end - p));
    if (lf)
        *ce = lf > p && lf[-1] == '\r' ? lf - 1 : lf;
    return lf;
}

/* The next delimiter at or after p: "\r\n--boundary" followed by "--", whitespace or a line
 * end (the same bytes followed by anything else are data). */
static const char *find_delim(const char *p, const char *end, const char *delim, size_t dlen)
{
    while (p < end) {
        const char *hit = memmem(p, (size_t)(end - p), delim, dlen);
        if (!hit)
            return NULL;
        const char *after = hit + dlen;
        if (after == end || *after == '-' || *after == ' ' || *after == '\t' || *after == '\r' ||
            *after == '\n')
            return hit;
        p = hit + 1;
    }
    return NULL;
}

int tide_multipart_parse(const char *body, size_t n, const char *boundary, size_t blen,
                         int (*part)(void *arg, const tide_multipart_part_t *p), void *arg)
{
    const char *end = body + n;
    char delim[2 + 70 + 2];
    if (blen < 1 || blen > 70)
        return TIDE_EPROTO;
    /* "\r\n--boundary": the delimiter before every part but a first at the very start. */
    memcpy(delim, "\r\n--", 4);
    memcpy(delim + 4, boundary, blen);
    size_t dlen = blen + 4;
    const char *p;
    if (n >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0) {
        p = body + dlen - 2;
    } else {
        const char *hit = find_delim(body, end, delim, dlen); /* after a preamble */
        if (!hit)
            return TIDE_EPROTO;
        p = hit + dlen;
    }
    for (;;) {
        /* After a delimiter: "--" ends the body; else padding and a line end. */
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return 0;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        const char *ce, *lf = line(p, end, &ce);
        if (!lf || ce != p)
            return TIDE_EPROTO;
        p = lf + 1;
        tide_multipart_part_t pt;
        memset(&pt, 0, sizeof(pt));
        bool disposed = false;
        for (;;) {
            if (!(lf = line(p, end, &ce)))
                return TIDE_EPROTO;
            if (ce == p) {
                p = lf + 1;
                break; /* the end of the part's headers */
            }
            size_t ln = (size_t)(ce - p);
            if (tide_prefix_ci(p, ln, "content-disposition:")) {
                const char *v = p + 20;
                while (v < ce && (*v == ' ' || *v == '\t'))
                    v++;
                disposed = disposition(body, v, ce, &pt);
            } else if (tide_prefix_ci(p, ln, "content-type:")) {
                const char *v = p + 13, *ve = ce;
                while (v < ve && (*v == ' ' || *v == '\t'))
                    v++;
                while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
                    ve--;
                pt.content_type = span(body, v, (size_t)(ve - v));
            }
            p = lf + 1;
        }
        if (!disposed)
            return TIDE_EPROTO;
        const char *next = find_delim(p, end, delim, dlen);
        if (!next)
            return TIDE_EPROTO;
        pt.data = span(body, p, (size_t)(next - p));
        int rc = part(arg, &pt);
        if (rc)
            return rc;
        p = next + dlen;
    }
}

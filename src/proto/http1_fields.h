/* SPDX-License-Identifier: MIT */
/*
 * What the HTTP/1 request parser (http1.c) and the response parser (http1_response.c)
 * read alike: token characters, lines, comma-separated lists, Connection and
 * Content-Length (RFC 9110, 9112). Private to src/proto; static inline, one copy of the
 * source.
 */
#ifndef TIDE_PROTO_HTTP1_FIELDS_H
#define TIDE_PROTO_HTTP1_FIELDS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "tide/ascii.h"
#include "tide/http1.h"

/* ---- characters (RFC 9110, 5.6.2) ---- */

static const unsigned char http1_tchar[256] = {
    ['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['\''] = 1, ['*'] = 1, ['+'] = 1,
    ['-'] = 1, ['.'] = 1, ['^'] = 1, ['_'] = 1, ['`'] = 1, ['|'] = 1, ['~'] = 1,
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
    ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
    ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
    ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
    ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1,
};

static inline bool is_tchar(unsigned char c)
{
    return http1_tchar[c];
}

static inline bool ieq(const char *a, size_t n, const char *b)
{
    if (strlen(b) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (tide_ascii_lower((unsigned char)a[i]) != b[i])
            return false;
    return true;
}

static inline tide_span_t span(const char *base, const char *p, size_t n)
{
    return (tide_span_t){(uint32_t)(p - base), (uint32_t)n};
}

/* The end of the line starting at p (its '\n'), within [p, end); NULL if none. A CR is
 * allowed only right before the LF. *content_end: where the line's content ends. */
static inline const char *line_end(const char *p, const char *end, const char **content_end,
                            bool *bad)
{
    const char *lf = memchr(p, '\n', (size_t)(end - p));
    if (!lf)
        return NULL;
    const char *ce = lf > p && lf[-1] == '\r' ? lf - 1 : lf;
    if (memchr(p, '\r', (size_t)(ce - p)))
        *bad = true; /* a bare CR */
    *content_end = ce;
    return lf;
}

/* Each comma-separated element of a list value, trimmed; f returns false to stop. */
static inline bool each_element(const char *v, size_t n, bool (*f)(void *, const char *, size_t),
                         void *arg)
{
    size_t i = 0;
    while (i <= n) {
        size_t j = i;
        while (j < n && v[j] != ',')
            j++;
        size_t a = i, b = j;
        while (a < b && (v[a] == ' ' || v[a] == '\t'))
            a++;
        while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t'))
            b--;
        if (b > a && !f(arg, v + a, b - a))
            return false;
        i = j + 1;
    }
    return true;
}

typedef struct {
    bool close, keep_alive, upgrade;
} connection_t;

static inline bool connection_token(void *arg, const char *t, size_t n)
{
    connection_t *c = arg;
    if (ieq(t, n, "close"))
        c->close = true;
    else if (ieq(t, n, "keep-alive"))
        c->keep_alive = true;
    else if (ieq(t, n, "upgrade"))
        c->upgrade = true;
    return true;
}

typedef struct {
    uint64_t value;
    bool seen;
} length_t;

/* One element of a Content-Length value; "5, 5" is one length said twice (RFC 9110,
 * 8.6), "5, 6" is refused. */
static inline bool length_element(void *arg, const char *t, size_t n)
{
    length_t *l = arg;
    uint64_t v = 0;
    if (n > 19)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (t[i] < '0' || t[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(t[i] - '0');
    }
    if (l->seen && l->value != v)
        return false;
    l->value = v;
    l->seen = true;
    return true;
}

#endif

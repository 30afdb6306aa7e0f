/* SPDX-License-Identifier: MIT */
/*
 * ASCII helpers the protocol parsers share. HTTP's names are compared case-insensitively
 * in ASCII whatever the process's locale, so these never call tolower().
 */
#ifndef TIDE_ASCII_H
#define TIDE_ASCII_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

static inline int tide_ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Whether p[0..n) starts with w (given in lowercase), ignoring ASCII case. */
static inline bool tide_prefix_ci(const char *p, size_t n, const char *w)
{
    size_t k = strlen(w);
    if (n < k)
        return false;
    for (size_t i = 0; i < k; i++)
        if (tide_ascii_lower((unsigned char)p[i]) != w[i])
            return false;
    return true;
}

/* Optional whitespace (RFC 9110, 5.6.3). */
static inline bool tide_is_ows(char c)
{
    return c == ' ' || c == '\t';
}

#endif

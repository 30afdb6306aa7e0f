/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for multipart/form-data bodies (src/proto/multipart.c): the first byte
 * is the boundary's length, then the boundary, then the body. Checked: no crash, no UB,
 * and every span handed out lies within the body.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tide/common.h"
#include "tide/multipart.h"

static size_t body_len;

static void inside(tide_span_t s)
{
    if ((size_t)s.off + s.len > body_len)
        abort();
}

static int on_part(void *arg, const tide_multipart_part_t *p)
{
    (void)arg;
    inside(p->name);
    inside(p->filename);
    inside(p->content_type);
    inside(p->data);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    size_t blen = data[0] % 71;
    if (blen + 1 > size)
        return 0;
    body_len = size - 1 - blen;
    char *b = malloc(blen + 1), *body = malloc(body_len + 1);
    memcpy(b, data + 1, blen);
    memcpy(body, data + 1 + blen, body_len);
    tide_multipart_parse(body, body_len, b, blen, on_part, NULL);
    tide_span_t s;
    if (tide_multipart_boundary(body, body_len, &s))
        inside(s);
    free(b);
    free(body);
    return 0;
}

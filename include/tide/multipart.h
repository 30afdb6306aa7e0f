/* SPDX-License-Identifier: MIT */
/*
 * multipart/form-data bodies (RFC 7578), parsed where they lie: each part is handed out as
 * spans into the body (its field name, file name, content type and data), nothing copied.
 * The body is whole in memory (the HTTP protocol bounds it by package_max_length).
 */
#ifndef TIDE_MULTIPART_H
#define TIDE_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#include "tide/http1.h"

typedef struct tide_multipart_part {
    tide_span_t name;         /* the form field's name (quotes removed) */
    tide_span_t filename;     /* the file's name, when has_filename */
    tide_span_t content_type; /* empty when the part names none */
    tide_span_t data;
    bool has_filename;
} tide_multipart_part_t;

/* The boundary of a Content-Type value ("multipart/form-data; boundary=..."), quoted or
 * not: false when there is none or it is not 1 to 70 characters. */
bool tide_multipart_boundary(const char *ct, size_t n, tide_span_t *boundary);

/*
 * Calls part() for each part of body[0..n), in order, until it returns non-zero (that
 * value is returned). 0 when the body ends with the closing boundary; TIDE_EPROTO when it
 * is malformed (no first boundary, a part without a Content-Disposition form-data name,
 * a header section without its end, no closing boundary), after the parts before.
 * Spans are offsets into body.
 */
int tide_multipart_parse(const char *body, size_t n, const char *boundary, size_t blen,
                         int (*part)(void *arg, const tide_multipart_part_t *p), void *arg);

#endif

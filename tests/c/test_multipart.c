/* SPDX-License-Identifier: MIT */
/* multipart/form-data bodies (src/proto/multipart.c). */
#include <stdio.h>
#include <string.h>

#include "test.h"
#include "tide/common.h"
#include "tide/multipart.h"

typedef struct {
    const char *body;
    char out[2048];
    size_t len;
} seen_t;

static int on_part(void *arg, const tide_multipart_part_t *p)
{
    seen_t *s = arg;
    s->len += (size_t)snprintf(s->out + s->len, sizeof(s->out) - s->len, "[%.*s|%s%.*s|%.*s|%.*s]",
                               (int)p->name.len, s->body + p->name.off, p->has_filename ? "file:" : "",
                               (int)p->filename.len, s->body + p->filename.off,
                               (int)p->content_type.len, s->body + p->content_type.off,
                               (int)p->data.len, s->body + p->data.off);
    return 0;
}

static int parse(const char *body, const char *b, seen_t *s)
{
    memset(s, 0, sizeof(*s));
    s->body = body;
    return tide_multipart_parse(body, strlen(body), b, strlen(b), on_part, s);
}

TEST(multipart_fields_and_files_are_spans_into_the_body)
{
    seen_t s;
    const char *body =
        "preamble\r\n--XyZ\r\n"
        "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
        "one\r\n--XyZ\r\n"
        "content-disposition: form-data; name=\"up[]\"; filename=\"dir/x y.txt\"\r\n"
        "Content-Type: text/plain \r\n\r\n"
        "line1\r\nline2 --XyZ not a delimiter\r\n--XyZ  \r\n"
        "Content-Disposition: form-data; name=empty; filename=\"\"\r\n\r\n"
        "\r\n--XyZ--\r\nepilogue";
    CHECK_EQ(parse(body, "XyZ", &s), 0);
    CHECK_STR(s.out, "[a|||one][up[]|file:dir/x y.txt|text/plain|line1\r\nline2 --XyZ not a delimiter]"
                     "[empty|file:||]");
    /* The first delimiter at the very start; an empty body part. */
    CHECK_EQ(parse("--b\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\n\r\n--b--", "b", &s), 0);
    CHECK_STR(s.out, "[k|||]");
    /* The boundary's bytes followed by others are data, not a delimiter. */
    CHECK_EQ(parse("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--bX\r\n--b--", "b", &s), 0);
    CHECK_STR(s.out, "[a|||x\r\n--bX]");
}

TEST(multipart_malformed_bodies_are_refused_after_the_parts_before)
{
    seen_t s;
    CHECK_EQ(parse("no boundary here", "b", &s), TIDE_EPROTO);
    CHECK_EQ(parse("--b\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\nv", "b", &s), TIDE_EPROTO);
    CHECK_EQ(parse("--b\r\nContent-Disposition: attachment\r\n\r\nv\r\n--b--", "b", &s), TIDE_EPROTO);
    CHECK_EQ(parse("--b\r\nContent-Disposition: form-data; name=\"k\"\r\nv\r\n--b--", "b", &s), TIDE_EPROTO);
    CHECK_EQ(parse("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--bX\r\n", "b", &s), TIDE_EPROTO);
    CHECK_STR(s.out, "");
    CHECK_EQ(parse("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b\r\nbroken", "b", &s), TIDE_EPROTO);
    CHECK_STR(s.out, "[a|||1]");
    CHECK_EQ(tide_multipart_parse("x", 1, "", 0, on_part, &s), TIDE_EPROTO);
}

TEST(multipart_boundary_comes_from_the_content_type)
{
    tide_span_t b;
    const char ct[] = "multipart/form-data; charset=utf-8; boundary=\"a b\"";
    CHECK(tide_multipart_boundary(ct, sizeof(ct) - 1, &b));
    CHECK(b.len == 3 && !memcmp(ct + b.off, "a b", 3));
    const char ct2[] = "multipart/form-data;boundary=----WebKitFormBoundary7MA4YWxk";
    CHECK(tide_multipart_boundary(ct2, sizeof(ct2) - 1, &b));
    CHECK(b.len == 30);
    CHECK(!tide_multipart_boundary("multipart/form-data", 19, &b));
    CHECK(!tide_multipart_boundary("multipart/form-data; boundary=", 30, &b));
}

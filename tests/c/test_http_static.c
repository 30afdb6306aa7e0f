/* SPDX-License-Identifier: MIT */
/*
 * Static files (src/proto/http_static.c): dates, media types, ranges, locations, the path
 * normalizer, and tide_static_serve against a real directory made under /tmp, with
 * openat2 and with the component walk that replaces it where seccomp refuses it.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <ftw.h>
#include <inttypes.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test.h"
#include "tide/common.h"
#include "tide/http1.h"
#include "tide/http_static.h"

#define MTIME 1700000000 /* Tue, 14 Nov 2023 22:13:20 GMT */
#define A_TXT "hello, world\n"
#define A_ETAG "\"6553f100-d\""

/* ---- dates ---- */

static const char *date(int64_t t, char *buf)
{
    return tide_http_date(t, buf, TIDE_HTTP_DATE_LEN);
}

TEST(http_static_date_formats_imf_fixdate)
{
    char b[TIDE_HTTP_DATE_LEN];
    CHECK_STR(date(0, b), "Thu, 01 Jan 1970 00:00:00 GMT");
    CHECK_STR(date(784111777, b), "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK_STR(date(951782400, b), "Tue, 29 Feb 2000 00:00:00 GMT");
    CHECK_STR(date(951868800, b), "Wed, 01 Mar 2000 00:00:00 GMT");
    CHECK_STR(date(68256000, b), "Wed, 01 Mar 1972 00:00:00 GMT");
    CHECK_STR(date(2147483647, b), "Tue, 19 Jan 2038 03:14:07 GMT");
    CHECK_STR(date(2147483648, b), "Tue, 19 Jan 2038 03:14:08 GMT");
    CHECK_STR(date(4107542399, b), "Sun, 28 Feb 2100 23:59:59 GMT");
    CHECK_STR(date(4107542400, b), "Mon, 01 Mar 2100 00:00:00 GMT");
    CHECK_STR(date(-1, b), "Wed, 31 Dec 1969 23:59:59 GMT");
    CHECK_STR(date(253402300799, b), "Fri, 31 Dec 9999 23:59:59 GMT");
    CHECK_STR(date(INT64_MAX, b), "Fri, 31 Dec 9999 23:59:59 GMT");
    CHECK_STR(date(-62167219200, b), "Sat, 01 Jan 0000 00:00:00 GMT");
    CHECK_STR(date(INT64_MIN, b), "Sat, 01 Jan 0000 00:00:00 GMT");
    /* Too small a buffer: "" and no overflow. */
    char small[TIDE_HTTP_DATE_LEN - 1];
    memset(small, 'x', sizeof(small));
    CHECK_STR(tide_http_date(0, small, sizeof(small)), "");
    CHECK(tide_http_date(0, small, 0) == small);
}

TEST(http_static_date_agrees_with_gmtime_and_round_trips)
{
    char b[TIDE_HTTP_DATE_LEN], ref[64];
    int64_t back;
    /* Every day from 1901 to 2106, at a time of day that moves, against libc. */
    for (int64_t t = -2177452800; t < 4294967296; t += 86400 + 3607) {
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(ref, sizeof(ref), "%a, %d %b %Y %H:%M:%S GMT", &tm);
        CHECK_STR(date(t, b), ref);
        CHECK(tide_http_date_parse(b, strlen(b), &back));
        CHECK_EQ(back, t);
    }
    /* The whole range, years 0000 to 9999. */
    for (int64_t t = -62167219200; t <= 253402300799; t += 9999991) {
        CHECK(tide_http_date_parse(date(t, b), 29, &back));
        CHECK_EQ(back, t);
    }
    CHECK(tide_http_date_parse(date(253402300799, b), 29, &back));
    CHECK_EQ(back, 253402300799);
}

TEST(http_static_date_parses_the_three_forms)
{
    static const char *const same[] = {
        "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",      "Sun Nov 06 08:49:37 1994",
        "Mon, 06 Nov 1994 08:49:37 GMT", /* the day name is not checked against the date */
    };
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
        int64_t t = 0;
        CHECK(tide_http_date_parse(same[i], strlen(same[i]), &t));
        CHECK_EQ(t, 784111777);
    }
    int64_t t;
    CHECK(tide_http_date_parse("Thursday, 01-Jan-70 00:00:00 GMT", 32, &t));
    CHECK_EQ(t, 0);
    CHECK(tide_http_date_parse("Wednesday, 31-Dec-69 23:59:59 GMT", 33, &t));
    CHECK_EQ(t, 3155759999); /* 2069: the two-digit pivot is 70 */
    CHECK(tide_http_date_parse("Tue, 29 Feb 2000 00:00:00 GMT", 29, &t));
    CHECK_EQ(t, 951782400);
    CHECK(tide_http_date_parse("Sat, 31 Dec 2016 23:59:60 GMT", 29, &t)); /* a leap second */
    CHECK_EQ(t, 1483228800);
}

TEST(http_static_date_refuses_malformed_ones)
{
    static const char *const bad[] = {
        "",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 nov 1994 08:49:37 GMT",
        "sun, 06 Nov 1994 08:49:37 GMT",
        "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT ",
        " Sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 31 Nov 1994 08:49:37 GMT",
        "Sun, 29 Feb 1900 08:49:37 GMT",
        "Sun, 30 Feb 2000 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 08:49:61 GMT",
        "Sun, 06 Nov 1994 08-49-37 GMT",
        "Sun, 06 Nov +994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:3a GMT",
        "Sun; 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sunday, 06 Nov 94 08:49:37 GMT",
        "Sundae, 06-Nov-94 08:49:37 GMT",
        "Sun, 06-Nov-94 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 UTC",
        "Sun Nov 6 08:49:37 1994",
        "Sun Nov  6 08:49:37 94  ",
        "Sun Nov   6 08:49:37 1994",
        "Sun Nov  6 08:49:37 1994 GMT",
        "Sat, 29 Oct 1994 19:43:31 GMT; length=34343",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t t = 42;
        if (tide_http_date_parse(bad[i], strlen(bad[i]), &t))
            FAILF("accepted \"%s\"", bad[i]);
        CHECK_EQ(t, 42);
    }
}

/* ---- media types ---- */

TEST(http_static_mime_types_by_extension)
{
    CHECK_STR(tide_mime_type("index.html", 10), "text/html; charset=utf-8");
    CHECK_STR(tide_mime_type("/a/INDEX.HTM", 12), "text/html; charset=utf-8");
    CHECK_STR(tide_mime_type("app.js", 6), "text/javascript; charset=utf-8");
    CHECK_STR(tide_mime_type("a.css", 5), "text/css; charset=utf-8");
    CHECK_STR(tide_mime_type("a.json", 6), "application/json");
    CHECK_STR(tide_mime_type("a.svg", 5), "image/svg+xml");
    CHECK_STR(tide_mime_type("font.WoFf2", 10), "font/woff2");
    CHECK_STR(tide_mime_type("x.tar.gz", 8), "application/gzip");
    CHECK_STR(tide_mime_type("site.webmanifest", 16), "application/manifest+json");
    CHECK_STR(tide_mime_type("noext", 5), "application/octet-stream");
    CHECK_STR(tide_mime_type("a.", 2), "application/octet-stream");
    CHECK_STR(tide_mime_type("", 0), "application/octet-stream");
    CHECK_STR(tide_mime_type("/dir.html/file", 14), "application/octet-stream");
    CHECK_STR(tide_mime_type(".htaccess", 9), "application/octet-stream");
    CHECK_STR(tide_mime_type("a.unknownlongextension", 22), "application/octet-stream");
    /* Only the n bytes count. */
    CHECK_STR(tide_mime_type("a.css.png", 5), "text/css; charset=utf-8");
    /* Every extension of the table is found: the binary search needs it sorted. */
    static const char *const known[] = {
        "7z",          "aac",  "apng", "atom",  "avi",   "avif", "bmp",  "bz2",    "css",  "csv",
        "doc",         "docx", "eot",  "epub",  "flac",  "gif",  "gz",   "heic",   "htm",  "html",
        "ico",         "ics",  "jar",  "jpeg",  "jpg",   "js",   "json", "jsonld", "jxl",  "m4a",
        "m4v",         "map",  "md",   "mid",   "midi",  "mjs",  "mkv",  "mov",    "mp3",  "mp4",
        "mpeg",        "mpg",  "odp",  "ods",   "odt",   "oga",  "ogg",  "ogv",    "opus", "otf",
        "pdf",         "png",  "ppt",  "pptx",  "rar",   "rss",  "rtf",  "svg",    "tar",  "tgz",
        "tif",         "tiff", "toml", "ttf",   "txt",   "vtt",  "wasm", "wav",    "weba", "webm",
        "webmanifest", "webp", "woff", "woff2", "xhtml", "xls",  "xlsx", "xml",    "xz",   "yaml",
        "yml",         "zip",  "zst",
    };
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        char name[32];
        int n = snprintf(name, sizeof(name), "f.%s", known[i]);
        const char *m = tide_mime_type(name, (size_t)n);
        if (!strcmp(m, "application/octet-stream"))
            FAILF("no type for .%s", known[i]);
        CHECK((strncmp(m, "text/", 5) == 0) == (strstr(m, "; charset=utf-8") != NULL));
    }
}

static void count_type(const char *ext, const char *type, void *arg)
{
    (void)type;
    size_t *n = arg;
    n[0]++;
    if (strcmp(ext, "php") == 0)
        n[1]++;
    if (strcmp(ext, "png") == 0)
        n[2]++;
}

TEST(http_static_mime_types_overridden_by_the_process)
{
    size_t before[3] = {0}, after[3] = {0};
    tide_mime_foreach(count_type, before);
    CHECK_EQ(tide_mime_set("php", "text/x-php", true), 0);
    CHECK_STR(tide_mime_type("index.PHP", 9), "text/x-php");
    CHECK_EQ(tide_mime_set("PHP", "text/plain", true), -EEXIST); /* add: only a new one */
    CHECK_EQ(tide_mime_set("php", "text/plain", false), 0);         /* set: replaces */
    CHECK_STR(tide_mime_type("a.php", 5), "text/plain");
    CHECK_EQ(tide_mime_set("png", "image/x-png", false), 0);        /* over the table */
    CHECK_STR(tide_mime_type("a.png", 5), "image/x-png");
    CHECK_EQ(tide_mime_set("gif", NULL, false), 0);                 /* deleted: unknown */
    CHECK_STR(tide_mime_type("a.gif", 5), "application/octet-stream");
    CHECK_EQ(tide_mime_set("gif", NULL, false), -ENOENT);
    CHECK_EQ(tide_mime_set("gif", "image/gif", true), 0);           /* known again */
    CHECK_STR(tide_mime_type("a.gif", 5), "image/gif");
    tide_mime_foreach(count_type, after);
    CHECK_EQ(after[0], before[0] + 1); /* php added; png replaced; gif back */
    CHECK_EQ(after[1], 1u);
    CHECK_EQ(after[2], 1u);
    /* Bad input: names, header injection, bounds. */
    CHECK_EQ(tide_mime_set("", "a/b", false), -EINVAL);
    CHECK_EQ(tide_mime_set("a.b", "a/b", false), -EINVAL);
    CHECK_EQ(tide_mime_set("a/b", "a/b", false), -EINVAL);
    CHECK_EQ(tide_mime_set("sixteen_chars_xx", "a/b", false), -EINVAL);
    CHECK_EQ(tide_mime_set("x", "a/b\r\nSet-Cookie: x=1", false), -EINVAL);
    CHECK_EQ(tide_mime_set("x", "", false), -EINVAL);
    char name[8];
    int rc = 0;
    for (int i = 0; i < 300 && rc == 0; i++) {
        snprintf(name, sizeof(name), "e%d", i);
        rc = tide_mime_set(name, "a/b", true);
    }
    CHECK_EQ(rc, -ENOSPC);
    tide_mime_reset();
    CHECK_STR(tide_mime_type("a.php", 5), "application/octet-stream");
    CHECK_STR(tide_mime_type("a.png", 5), "image/png");
}

/* ---- Range ---- */

typedef struct range_case {
    const char *h;
    uint64_t size;
    int rc;
    uint64_t off, len;
} range_case_t;

TEST(http_static_range_forms_and_edges)
{
    static const range_case_t cases[] = {
        {"bytes=0-4", 13, 1, 0, 5},
        {"bytes=5-", 13, 1, 5, 8},
        {"bytes=-3", 13, 1, 10, 3},
        {"bytes=12-12", 13, 1, 12, 1},
        {"bytes=0-0", 13, 1, 0, 1},
        {"bytes=10-100", 13, 1, 10, 3}, /* the end clamps */
        {"bytes=0-18446744073709551615", 13, 1, 0, 13},
        {"bytes=-13", 13, 1, 0, 13},
        {"bytes=-100", 13, 1, 0, 13}, /* a suffix past the size: all of it */
        {"BYTES=1-2", 13, 1, 1, 2},   /* the unit is case-insensitive */
        {"bytes= 1-2 ", 13, 1, 1, 2}, /* whitespace around a range */
        {"bytes=\t1-2", 13, 1, 1, 2},
        {"bytes=1-2,", 13, 1, 1, 2}, /* empty list elements */
        {"bytes=, ,1-2", 13, 1, 1, 2},
        {"bytes=007-008", 13, 1, 7, 2},
        {"bytes=0-", 1, 1, 0, 1}, /* size 1 */
        {"bytes=-1", 1, 1, 0, 1},
        {"bytes=-5", 1, 1, 0, 1},
        {"bytes=0-0", 1, 1, 0, 1},
        {"bytes=0-", UINT64_MAX, 1, 0, UINT64_MAX},
        {"bytes=-1", UINT64_MAX, 1, UINT64_MAX - 1, 1},
        {"bytes=18446744073709551614-", UINT64_MAX, 1, UINT64_MAX - 1, 1},
        {"bytes=13-", 13, -1, 0, 0}, /* unsatisfiable */
        {"bytes=13-20", 13, -1, 0, 0},
        {"bytes=100-200", 13, -1, 0, 0},
        {"bytes=-0", 13, -1, 0, 0},
        {"bytes=0-", 0, -1, 0, 0}, /* an empty file */
        {"bytes=-5", 0, -1, 0, 0},
        {"bytes=0-0", 0, -1, 0, 0},
        {"bytes=1-", 1, -1, 0, 0},
        {"bytes=18446744073709551615-", UINT64_MAX, -1, 0, 0},
        {"", 13, 0, 0, 0}, /* ignored: send everything */
        {"bytes=", 13, 0, 0, 0},
        {"bytes=,", 13, 0, 0, 0},
        {"bytes", 13, 0, 0, 0},
        {"bytes =0-1", 13, 0, 0, 0},
        {"items=0-1", 13, 0, 0, 0},
        {"bytes=0-1,3-4", 13, 0, 0, 0}, /* more than one range */
        {"bytes=0-1,0-1", 13, 0, 0, 0},
        {"bytes=0-1, 20-30", 13, 0, 0, 0},
        {"bytes=5-4", 13, 0, 0, 0}, /* last before first */
        {"bytes=-", 13, 0, 0, 0},
        {"bytes=--1", 13, 0, 0, 0},
        {"bytes=1", 13, 0, 0, 0},
        {"bytes=0 - 1", 13, 0, 0, 0},
        {"bytes=0-1-2", 13, 0, 0, 0},
        {"bytes=a-b", 13, 0, 0, 0},
        {"bytes=+1-2", 13, 0, 0, 0},
        {"bytes=0x1-2", 13, 0, 0, 0},
        {"bytes=18446744073709551616-", 13, 0, 0, 0}, /* past UINT64_MAX */
        {"bytes=0-18446744073709551616", 13, 0, 0, 0},
        {"bytes=-18446744073709551616", 13, 0, 0, 0},
        {"bytes=99999999999999999999999-", 13, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const range_case_t *c = &cases[i];
        uint64_t off = 777, len = 777;
        int rc = tide_http_range(c->h, strlen(c->h), c->size, &off, &len);
        if (rc != c->rc)
            FAILF("\"%s\" of %" PRIu64 ": %d, not %d", c->h, c->size, rc, c->rc);
        if (rc == 1 && (off != c->off || len != c->len))
            FAILF("\"%s\": %" PRIu64 "+%" PRIu64, c->h, off, len);
        if (rc != 1)
            CHECK(off == 777 && len == 777);
    }
    /* Only n bytes are read. */
    uint64_t off, len;
    CHECK_EQ(tide_http_range("bytes=0-19", 9, 13, &off, &len), 1);
    CHECK_EQ(len, 2);
}

/* ---- locations ---- */

static bool in(const char *path, const char *loc)
{
    size_t len = strlen(loc);
    return tide_static_in_locations(path, strlen(path), &loc, &len, 1);
}

TEST(http_static_locations_match_on_segment_boundaries)
{
    CHECK(in("/static", "/static"));
    CHECK(in("/static/", "/static"));
    CHECK(in("/static/a.css", "/static"));
    CHECK(in("/static/a/b/c", "/static"));
    CHECK(!in("/staticx", "/static"));
    CHECK(!in("/stati", "/static"));
    CHECK(!in("/x/static/a", "/static"));
    CHECK(!in("/Static/a", "/static"));
    CHECK(in("/static/a.css", "/static/"));
    CHECK(in("/static", "/static/"));
    CHECK(!in("/staticx", "/static/"));
    CHECK(in("/a/b/c", "/a/b"));
    CHECK(!in("/a/bc", "/a/b"));
    CHECK(in("/", "/"));
    CHECK(in("/anything", "/"));
    CHECK(in("/anything", ""));
    CHECK(in("/x", "//"));
    CHECK(!in("", "/"));
    CHECK(!in("relative", "/"));
    const char *locs[] = {"/css", "/js/", "/img"};
    size_t lens[] = {4, 4, 4};
    CHECK(tide_static_in_locations("/img/a.png", 10, locs, lens, 3));
    CHECK(tide_static_in_locations("/js/a.js", 8, locs, lens, 3));
    CHECK(!tide_static_in_locations("/api/x", 6, locs, lens, 3));
    CHECK(!tide_static_in_locations("/img/a.png", 10, locs, lens, 0));
}

/* ---- the path ---- */

typedef struct norm_case {
    const char *in, *out; /* out NULL: the status is rc */
    int rc;
} norm_case_t;

static const norm_case_t norm_cases[] = {
    {"/", "/", 0},
    {"/a.txt", "/a.txt", 0},
    {"/a/b/c", "/a/b/c", 0},
    {"/a/b/", "/a/b/", 0},
    {"//a//b//", "/a/b/", 0},
    {"/./a/./b/.", "/a/b/", 0},
    {"/a/b/..", "/a/", 0},
    {"/a/b/../c", "/a/c", 0},
    {"/a/../../b", NULL, -404},
    {"/..", NULL, -404},
    {"/../etc/passwd", NULL, -404},
    {"/%2e%2e/x", NULL, -404},
    {"/%2E%2E", NULL, -404},
    {"/.%2e/x", NULL, -404},
    {"/..%2fx", NULL, -404}, /* %2F decodes to a separator */
    {"/a/..%2F..%2Fx", NULL, -404},
    {"/a%2fb", "/a/b", 0},
    {"/a%2F..", "/", 0},
    {"/a%20b", "/a b", 0},
    {"/%41%62%63", "/Abc", 0},
    {"/100%25", "/100%", 0},
    {"/...", "/...", 0}, /* only "." and ".." are special */
    {"/..a/a..", "/..a/a..", 0},
    {"/a/.../..", "/a/", 0},
    {"/a\\..\\b", "/a\\..\\b", 0}, /* a backslash is a file name byte on Linux */
    {"/\xc3\xa9t\xc3\xa9", "/\xc3\xa9t\xc3\xa9", 0},
    {"/%c3%A9", "/\xc3\xa9", 0},
    {"", NULL, -400},
    {"a.txt", NULL, -400},
    {"%2fa", NULL, -400},
    {"/a%00b", NULL, -400},
    {"/a%", NULL, -400},
    {"/a%4", NULL, -400},
    {"/a%4g", NULL, -400},
    {"/a%g4", NULL, -400},
    {"/a%%41", NULL, -400},
};

TEST(http_static_normalize_decodes_then_resolves_dot_segments)
{
    for (size_t i = 0; i < sizeof(norm_cases) / sizeof(norm_cases[0]); i++) {
        const norm_case_t *c = &norm_cases[i];
        char out[64];
        int rc = tide_static_normalize(c->in, strlen(c->in), out, sizeof(out));
        if (c->out ? rc != (int)strlen(c->out) || strcmp(out, c->out) : rc != c->rc)
            FAILF("\"%s\": %d \"%s\"", c->in, rc, rc > 0 ? out : "");
    }
    /* A raw NUL. */
    char out[16];
    CHECK_EQ(tide_static_normalize("/a\0b", 4, out, sizeof(out)), -400);
    /* cap: the result and its NUL; n + 1 always suffices. */
    CHECK_EQ(tide_static_normalize("/abc", 4, out, 5), 4);
    CHECK_EQ(tide_static_normalize("/abc", 4, out, 4), -414);
    CHECK_EQ(tide_static_normalize("/abc/", 4, out, 4), -414);
    CHECK_EQ(tide_static_normalize("/", 1, out, 1), -414);
    /* The work needs room for the segments before their "..": 6 bytes for "/a/..". */
    CHECK_EQ(tide_static_normalize("/a/../b", 7, out, 5), -414);
    CHECK_EQ(tide_static_normalize("/a/../b", 7, out, 6), 2);
    CHECK_STR(out, "/b");
}

/* ---- a directory to serve ---- */

static char top[64]; /* removed at exit, whatever the test's outcome */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    TIDE_UNUSED(st);
    TIDE_UNUSED(ftw);
    if (flag == FTW_DP)
        chmod(path, 0700);
    return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

static void remove_top(void)
{
    if (top[0])
        nftw(top, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void put_file(const char *rel, const char *data)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", top, rel);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, data, strlen(data)), (long long)strlen(data));
    struct timespec ts[2] = {{MTIME, 0}, {MTIME, 0}};
    CHECK_EQ(futimens(fd, ts), 0);
    close(fd);
}

static void put_dir(const char *rel)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", top, rel);
    CHECK_EQ(mkdir(path, 0755), 0);
}

static void put_link(const char *target, const char *rel)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", top, rel);
    CHECK_EQ(symlink(target, path), 0);
}

/*
 * top/secret.txt, top/outside/x.txt, and the root top/www:
 *   a.txt (A_TXT, MTIME), empty, has space.txt, UP.CSS, sub/b.css, sub/dir/,
 *   in-link -> sub/b.css, in-dirlink -> sub, out-link -> ../secret.txt,
 *   abs-link -> top/secret.txt, out-dirlink -> ../outside, deep -> in-link (a chain),
 *   fifo, sock (a unix socket), noperm.txt (mode 0).
 * Returns the root's fd.
 */
static int make_root(void)
{
    snprintf(top, sizeof(top), "/tmp/tide-static-XXXXXX");
    CHECK(mkdtemp(top) != NULL);
    atexit(remove_top);
    put_file("secret.txt", "secret\n");
    put_dir("outside");
    put_file("outside/x.txt", "x\n");
    put_dir("www");
    put_file("www/a.txt", A_TXT);
    put_file("www/empty", "");
    put_file("www/has space.txt", "s\n");
    put_file("www/UP.CSS", "u{}\n");
    put_dir("www/sub");
    put_file("www/sub/b.css", "b{}\n");
    put_dir("www/sub/dir");
    put_link("sub/b.css", "www/in-link");
    put_link("sub", "www/in-dirlink");
    put_link("in-link", "www/deep");
    put_link("../secret.txt", "www/out-link");
    put_link("../outside", "www/out-dirlink");
    char abs[128];
    snprintf(abs, sizeof(abs), "%s/secret.txt", top);
    put_link(abs, "www/abs-link");
    char path[256];
    snprintf(path, sizeof(path), "%s/www/fifo", top);
    CHECK_EQ(mkfifo(path, 0644), 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/www/sock", top);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(s >= 0);
    CHECK_EQ(bind(s, (struct sockaddr *)&addr, sizeof(addr)), 0);
    close(s);
    put_file("www/noperm.txt", "no\n");
    snprintf(path, sizeof(path), "%s/www/noperm.txt", top);
    CHECK_EQ(chmod(path, 0), 0);

    snprintf(path, sizeof(path), "%s/www", top);
    int root = tide_static_open_root(path);
    CHECK(root >= 0);
    return root;
}

static tide_static_req_t req(const char *path)
{
    return (tide_static_req_t){.path = path, .path_len = strlen(path)};
}

/* Serves q, checks the invariants of every result, and returns the status; the fd is
 * closed unless keep is given. */
static int serve(int root, const tide_static_req_t *q, tide_static_res_t *keep)
{
    tide_static_res_t res;
    CHECK_EQ(tide_static_serve(root, q, &res), 0);
    bool with_file = res.status == 200 || res.status == 206;
    CHECK((res.fd >= 0) == with_file);
    CHECK((res.mime != NULL) == with_file);
    if (with_file) {
        int fl = fcntl(res.fd, F_GETFL);
        CHECK(!(fl & O_NONBLOCK));
        CHECK(fcntl(res.fd, F_GETFD) & FD_CLOEXEC);
        CHECK(res.offset + res.length <= res.size);
    }
    if (keep)
        *keep = res;
    else if (res.fd >= 0)
        close(res.fd);
    return res.status;
}

static int status_of(int root, const char *path)
{
    tide_static_req_t q = req(path);
    return serve(root, &q, NULL);
}

static bool openat2_works(int root)
{
    struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_BENEATH};
    long fd = syscall(SYS_openat2, root, ".", &how, sizeof(how));
    if (fd < 0)
        return false;
    close((int)fd);
    return true;
}

/* What every kind of request path gets. links: whether symlinks inside the root are
 * followed (openat2) or refused (the component walk). */
static void check_paths(int root, bool links)
{
    static const struct {
        const char *path;
        int status;
    } cases[] = {
        {"/a.txt", 200},
        {"/./a.txt", 200},
        {"//a.txt", 200},
        {"/sub/../a.txt", 200},
        {"/sub/dir/../../a.txt", 200},
        {"/%61.txt", 200},
        {"/has%20space.txt", 200},
        {"/sub%2fb.css", 200},
        {"/sub/b.css", 200},
        {"/UP.CSS", 200},
        {"/empty", 200},
        /* out of the root */
        {"/../secret.txt", 404},
        {"/%2e%2e/secret.txt", 404},
        {"/%2E%2E%2Fsecret.txt", 404},
        {"/a/../../secret.txt", 404},
        {"/sub/..%2f..%2fsecret.txt", 404},
        {"/out-link", 404},
        {"/abs-link", 404},
        {"/out-dirlink/x.txt", 404},
        {"/out-dirlink/", 404},
        /* nothing to serve there */
        {"/", TIDE_STATIC_NONE},
        {"/sub", TIDE_STATIC_NONE},
        {"/sub/", TIDE_STATIC_NONE},
        {"/sub/dir", TIDE_STATIC_NONE},
        {"/missing", TIDE_STATIC_NONE},
        {"/missing/a.txt", TIDE_STATIC_NONE},
        {"/a.txt/", TIDE_STATIC_NONE},
        {"/a.txt/x", TIDE_STATIC_NONE},
        {"/fifo", TIDE_STATIC_NONE},
        {"/sock", TIDE_STATIC_NONE},
        /* malformed */
        {"", 400},
        {"a.txt", 400},
        {"/a%00.txt", 400},
        {"/a.txt%", 400},
        {"/a%zz", 400},
    };
    alarm(10); /* a fifo opened the wrong way would block here */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int st = status_of(root, cases[i].path);
        if (st != cases[i].status)
            FAILF("\"%s\": %d, not %d", cases[i].path, st, cases[i].status);
    }
    int inside = links ? 200 : 404;
    CHECK_EQ(status_of(root, "/in-link"), inside);
    CHECK_EQ(status_of(root, "/in-dirlink/b.css"), inside);
    CHECK_EQ(status_of(root, "/deep"), inside);
    if (geteuid() != 0) /* root reads a mode-0 file: see the test below */
        CHECK_EQ(status_of(root, "/noperm.txt"), 404);
    /* A path longer than PATH_MAX names no file. */
    static char longp[8192];
    memset(longp, 'a', sizeof(longp) - 1);
    longp[0] = '/';
    CHECK_EQ(status_of(root, longp), TIDE_STATIC_NONE);
    alarm(0);
}

TEST(http_static_serve_stays_beneath_the_root)
{
    int root = make_root();
    check_paths(root, openat2_works(root));
    close(root);
}

/* openat2 refused with err for this process, as an old kernel (ENOSYS) or an old
 * seccomp profile (EPERM) does. */
static int refuse_openat2(int err)
{
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((unsigned)err & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {sizeof(filter) / sizeof(filter[0]), filter};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
        prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
        return -errno;
    return 0;
}

TEST(http_static_serve_without_openat2_refuses_every_symlink)
{
    int root = make_root();
    if (refuse_openat2(ENOSYS) < 0)
        SKIP("cannot install a seccomp filter here");
    CHECK(!openat2_works(root));
    check_paths(root, false);
    close(root);
}

TEST(http_static_serve_with_openat2_refused_by_seccomp_walks_too)
{
    int root = make_root();
    if (refuse_openat2(EPERM) < 0)
        SKIP("cannot install a seccomp filter here");
    check_paths(root, false);
    close(root);
}

TEST(http_static_unreadable_files_are_404_not_403)
{
    int root = make_root();
    put_dir("www/locked");
    put_file("www/locked/x.txt", "x\n");
    char path[256];
    snprintf(path, sizeof(path), "%s/www/locked", top);
    CHECK_EQ(chmod(path, 0), 0);
    CHECK_EQ(chmod(top, 0755), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        /* As root, drop to nobody so that permissions apply; the parent cleans up. */
        top[0] = 0;
        if (geteuid() == 0 && (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0))
            _exit(77);
        CHECK_EQ(status_of(root, "/noperm.txt"), 404);
        CHECK_EQ(status_of(root, "/locked/x.txt"), 404);
        CHECK_EQ(status_of(root, "/a.txt"), 200);
        exit(0);
    }
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK_EQ(chmod(path, 0755), 0); /* for the clean-up, when not root */
    CHECK(WIFEXITED(status));
    if (WEXITSTATUS(status) == 77)
        SKIP("cannot drop privileges here");
    CHECK_EQ(WEXITSTATUS(status), 0);
    close(root);
}

TEST(http_static_serve_describes_the_file)
{
    int root = make_root();
    tide_static_req_t q = req("/a.txt");
    tide_static_res_t res;
    CHECK_EQ(serve(root, &q, &res), 200);
    CHECK_EQ(res.offset, 0);
    CHECK_EQ(res.length, strlen(A_TXT));
    CHECK_EQ(res.size, strlen(A_TXT));
    CHECK_EQ(res.mtime, MTIME);
    CHECK_STR(res.etag, A_ETAG);
    CHECK_STR(res.mime, "text/plain; charset=utf-8");
    char got[64] = "";
    CHECK_EQ(pread(res.fd, got, sizeof(got) - 1, 0), (long long)strlen(A_TXT));
    CHECK_STR(got, A_TXT);
    close(res.fd);

    q = req("/UP.CSS");
    CHECK_EQ(serve(root, &q, &res), 200);
    CHECK_STR(res.mime, "text/css; charset=utf-8");
    close(res.fd);
    q = req("/empty");
    CHECK_EQ(serve(root, &q, &res), 200);
    CHECK_EQ(res.length, 0);
    CHECK_STR(res.etag, "\"6553f100-0\"");
    close(res.fd);

    /* Results without a file carry no fd. */
    q = req("/missing");
    CHECK_EQ(serve(root, &q, &res), TIDE_STATIC_NONE);
    CHECK_EQ(res.fd, -1);
    CHECK_STR(res.etag, "");
    close(root);
}

/* The status for a.txt with these headers (NULL: absent). */
static int cond(int root, const char *inm, const char *ims, const char *range, const char *if_range,
                tide_static_res_t *res)
{
    tide_static_req_t q = req("/a.txt");
    if (inm)
        q.if_none_match = inm, q.inm_len = strlen(inm);
    if (ims)
        q.if_modified_since = ims, q.ims_len = strlen(ims);
    if (range)
        q.range = range, q.range_len = strlen(range);
    if (if_range)
        q.if_range = if_range, q.if_range_len = strlen(if_range);
    return serve(root, &q, res);
}

#define LM "Tue, 14 Nov 2023 22:13:20 GMT"
#define LM_BEFORE "Tue, 14 Nov 2023 22:13:19 GMT"
#define LM_AFTER "Wed, 15 Nov 2023 00:00:00 GMT"

TEST(http_static_if_none_match_and_if_modified_since)
{
    int root = make_root();
    tide_static_res_t res;
    CHECK_EQ(cond(root, A_ETAG, NULL, NULL, NULL, &res), 304);
    CHECK_EQ(res.fd, -1);
    CHECK_STR(res.etag, A_ETAG);
    CHECK_EQ(res.mtime, MTIME);
    CHECK_EQ(cond(root, "W/" A_ETAG, NULL, NULL, NULL, NULL), 304); /* weak comparison */
    CHECK_EQ(cond(root, "\"x\", W/\"y\"," A_ETAG, NULL, NULL, NULL, NULL), 304);
    CHECK_EQ(cond(root, "*", NULL, NULL, NULL, NULL), 304);
    CHECK_EQ(cond(root, "\"x\"", NULL, NULL, NULL, NULL), 200);
    CHECK_EQ(cond(root, "\"6553f100-e\"", NULL, NULL, NULL, NULL), 200);
    CHECK_EQ(cond(root, "6553f100-d", NULL, NULL, NULL, NULL), 200); /* unquoted */
    CHECK_EQ(cond(root, "\"6553f100-d", NULL, NULL, NULL, NULL), 200);
    CHECK_EQ(cond(root, "w/" A_ETAG, NULL, NULL, NULL, NULL), 200);
    CHECK_EQ(cond(root, "", NULL, NULL, NULL, NULL), 200);
    /* If-None-Match present: If-Modified-Since is not looked at. */
    CHECK_EQ(cond(root, "\"x\"", LM_AFTER, NULL, NULL, NULL), 200);
    CHECK_EQ(cond(root, A_ETAG, LM_BEFORE, NULL, NULL, NULL), 304);

    CHECK_EQ(cond(root, NULL, LM, NULL, NULL, NULL), 304);
    CHECK_EQ(cond(root, NULL, LM_AFTER, NULL, NULL, NULL), 304);
    CHECK_EQ(cond(root, NULL, "Tuesday, 14-Nov-23 22:13:20 GMT", NULL, NULL, NULL), 304);
    CHECK_EQ(cond(root, NULL, "Tue Nov 14 22:13:20 2023", NULL, NULL, NULL), 304);
    CHECK_EQ(cond(root, NULL, LM_BEFORE, NULL, NULL, NULL), 200);
    CHECK_EQ(cond(root, NULL, "yesterday", NULL, NULL, NULL), 200);
    CHECK_EQ(cond(root, NULL, LM "; length=13", NULL, NULL, NULL), 200);
    /* A 304 wins over a Range. */
    CHECK_EQ(cond(root, A_ETAG, NULL, "bytes=0-1", NULL, NULL), 304);
    close(root);
}

TEST(http_static_range_and_if_range)
{
    int root = make_root();
    tide_static_res_t res;
    CHECK_EQ(cond(root, NULL, NULL, "bytes=7-", NULL, &res), 206);
    CHECK_EQ(res.offset, 7);
    CHECK_EQ(res.length, 6);
    CHECK_EQ(res.size, 13);
    close(res.fd);
    CHECK_EQ(cond(root, NULL, NULL, "bytes=-3", NULL, &res), 206);
    CHECK(res.offset == 10 && res.length == 3);
    close(res.fd);
    CHECK_EQ(cond(root, NULL, NULL, "bytes=13-", NULL, &res), 416);
    CHECK_EQ(res.fd, -1);
    CHECK_EQ(res.size, 13);
    CHECK_EQ(res.length, 0);
    CHECK_EQ(cond(root, NULL, NULL, "bytes=0-1,4-5", NULL, &res), 200);
    CHECK(res.offset == 0 && res.length == 13);
    close(res.fd);
    CHECK_EQ(cond(root, NULL, NULL, "lines=1-2", NULL, NULL), 200);
    /* A not-modified IMS lets the Range through: 206. */
    CHECK_EQ(cond(root, NULL, LM_BEFORE, "bytes=0-0", NULL, NULL), 206);

    CHECK_EQ(cond(root, NULL, NULL, "bytes=0-4", A_ETAG, NULL), 206);
    CHECK_EQ(cond(root, NULL, NULL, "bytes=0-4", LM, NULL), 206);
    CHECK_EQ(cond(root, NULL, NULL, "bytes=0-4", "W/" A_ETAG, NULL), 200); /* strong only */
    CHECK_EQ(cond(root, NULL, NULL, "bytes=0-4", "\"other\"", NULL), 200);
    CHECK_EQ(cond(root, NULL, NULL, "bytes=0-4", LM_BEFORE, NULL), 200); /* equal, not <= */
    CHECK_EQ(cond(root, NULL, NULL, "bytes=0-4", LM_AFTER, NULL), 200);
    CHECK_EQ(cond(root, NULL, NULL, "bytes=0-4", "Wed, 15 Nov 2023", NULL), 200);
    CHECK_EQ(cond(root, NULL, NULL, "bytes=0-4", "", NULL), 200);
    CHECK_EQ(cond(root, NULL, NULL, "bytes=99-", "\"other\"", NULL), 200); /* no 416 either */
    CHECK_EQ(cond(root, NULL, NULL, NULL, A_ETAG, NULL), 200);             /* If-Range alone */

    tide_static_req_t q = req("/empty");
    q.range = "bytes=0-";
    q.range_len = 8;
    CHECK_EQ(serve(root, &q, &res), 416);
    CHECK_EQ(res.size, 0);
    close(root);
}

/* ---- the head ---- */

#define DATE "Thu, 04 Dec 2026 18:30:00 GMT"

static void check_head(const tide_static_res_t *res, bool keep_alive, bool http10, const char *want)
{
    char buf[512];
    size_t n = tide_static_head(res, keep_alive, http10, DATE, buf, sizeof(buf));
    CHECK_EQ(n, strlen(want));
    CHECK_STR(buf, want);
    /* Every smaller buffer is refused, whole: the head and its NUL or nothing. */
    for (size_t cap = 0; cap <= n; cap++)
        CHECK_EQ(tide_static_head(res, keep_alive, http10, DATE, buf, cap), 0);
    CHECK_EQ(tide_static_head(res, keep_alive, http10, DATE, buf, n + 1), n);
}

TEST(http_static_heads_byte_for_byte)
{
    int root = make_root();
    tide_static_res_t res;
    CHECK_EQ(cond(root, NULL, NULL, NULL, NULL, &res), 200);
    close(res.fd);
    check_head(&res, true, false,
               "HTTP/1.1 200 OK\r\nServer: Tide\r\nDate: " DATE "\r\n"
               "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 13\r\n"
               "Last-Modified: " LM "\r\nETag: " A_ETAG "\r\nAccept-Ranges: bytes\r\n\r\n");
    check_head(&res, true, true,
               "HTTP/1.1 200 OK\r\nServer: Tide\r\nDate: " DATE "\r\n"
               "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 13\r\n"
               "Last-Modified: " LM "\r\nETag: " A_ETAG "\r\nAccept-Ranges: bytes\r\n"
               "Connection: keep-alive\r\n\r\n");

    CHECK_EQ(cond(root, NULL, NULL, "bytes=7-11", NULL, &res), 206);
    close(res.fd);
    check_head(&res, false, false,
               "HTTP/1.1 206 Partial Content\r\nServer: Tide\r\nDate: " DATE "\r\n"
               "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\n"
               "Last-Modified: " LM "\r\nETag: " A_ETAG "\r\nAccept-Ranges: bytes\r\n"
               "Content-Range: bytes 7-11/13\r\nConnection: close\r\n\r\n");

    CHECK_EQ(cond(root, NULL, NULL, "bytes=13-", NULL, &res), 416);
    check_head(&res, true, false,
               "HTTP/1.1 416 Range Not Satisfiable\r\nServer: Tide\r\nDate: " DATE "\r\n"
               "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 22\r\n"
               "Content-Range: bytes */13\r\n\r\nRange Not Satisfiable\n");

    CHECK_EQ(cond(root, A_ETAG, NULL, NULL, NULL, &res), 304);
    check_head(&res, true, false,
               "HTTP/1.1 304 Not Modified\r\nServer: Tide\r\nDate: " DATE "\r\n"
               "Last-Modified: " LM "\r\nETag: " A_ETAG "\r\n\r\n");

    CHECK_EQ(status_of(root, "/out-link"), 404);
    tide_static_req_t q = req("/../x");
    CHECK_EQ(serve(root, &q, &res), 404);
    check_head(&res, false, true,
               "HTTP/1.1 404 Not Found\r\nServer: Tide\r\nDate: " DATE "\r\n"
               "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 10\r\n"
               "Connection: close\r\n\r\nNot Found\n");
    q = req("/%00");
    CHECK_EQ(serve(root, &q, &res), 400);
    check_head(&res, true, false,
               "HTTP/1.1 400 Bad Request\r\nServer: Tide\r\nDate: " DATE "\r\n"
               "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 12\r\n"
               "\r\nBad Request\n");

    /* No date: no Date header. Nothing for TIDE_STATIC_NONE. */
    char buf[512];
    size_t n = tide_static_head(&res, true, false, NULL, buf, sizeof(buf));
    CHECK(n > 0 && !strstr(buf, "Date:"));
    q = req("/missing");
    CHECK_EQ(serve(root, &q, &res), TIDE_STATIC_NONE);
    CHECK_EQ(tide_static_head(&res, true, false, DATE, buf, sizeof(buf)), 0);
    close(root);
}

/* ---- random bytes ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* The invariants of a normalized path. */
static void check_normalized(const char *out, int n)
{
    CHECK(n >= 1 && out[0] == '/' && out[n] == 0 && (int)strlen(out) == n);
    CHECK(!strstr(out, "//"));
    CHECK(!strstr(out, "/./") && !strstr(out, "/../"));
    CHECK(strcmp(out + (n >= 2 ? n - 2 : 0), "/.") != 0);
    CHECK(n < 3 || strcmp(out + n - 3, "/..") != 0);
}

TEST(http_static_random_mutations_of_every_path)
{
    int root = make_root();
    static const char alphabet[] = "/.%2eEfF0a\0\\ ";
    const char *seeds[sizeof(norm_cases) / sizeof(norm_cases[0]) + 8];
    size_t nseeds = 0;
    for (size_t i = 0; i < sizeof(norm_cases) / sizeof(norm_cases[0]); i++)
        seeds[nseeds++] = norm_cases[i].in;
    seeds[nseeds++] = "/a.txt";
    seeds[nseeds++] = "/in-dirlink/b.css";
    seeds[nseeds++] = "/out-dirlink/x.txt";
    seeds[nseeds++] = "/fifo";
    alarm(20);
    for (int round = 0; round < 20000; round++) {
        char p[64], out[64];
        const char *s = seeds[rnd() % nseeds];
        size_t n = strlen(s);
        memcpy(p, s, n);
        for (int k = (int)(rnd() % 4); k >= 0; k--) {
            size_t at = n ? rnd() % (n + 1) : 0;
            char c = rnd() % 3 ? alphabet[rnd() % (sizeof(alphabet) - 1)] : (char)rnd();
            if (at == n && n < sizeof(p))
                n++;
            if (at < sizeof(p))
                p[at] = c;
        }
        int rc = tide_static_normalize(p, n, out, sizeof(out));
        if (rc > 0)
            check_normalized(out, rc);
        else
            CHECK(rc == -400 || rc == -404 || rc == -414);
        tide_static_req_t q = {
            .path = p, .path_len = n, .range = p, .range_len = n, .if_none_match = p, .inm_len = n};
        int st = serve(root, &q, NULL);
        CHECK(st == 0 || st == 200 || st == 206 || st == 304 || st == 400 || st == 404 ||
              st == 416);
        uint64_t off, len;
        if (tide_http_range(p, n, 13, &off, &len) == 1)
            CHECK(len >= 1 && off < 13 && len <= 13 - off);
        int64_t t;
        tide_http_date_parse(p, n, &t);
        tide_mime_type(p, n);
    }
    close(root);
}

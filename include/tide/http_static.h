/* SPDX-License-Identifier: MIT */
/*
 * Static files for the HTTP server: from a request path and its conditional headers to an
 * open file and a response head. Plain C, no sockets: the caller sends the head and the
 * file's bytes (sendfile, or reads through the reactor).
 *
 * Security is the point of this file. A request path is percent-decoded, then its
 * segments are normalized ("" and "." dropped, ".." pops one) before anything touches the
 * file system, and a ".." that would climb above the root is refused outright. The result
 * is opened relative to a root directory fd with openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_MAGICLINKS) (Linux 5.6), so that the kernel itself refuses a symlink that
 * leads outside the root (or any absolute one) and /proc magic links, with no race
 * between a check and the open. Where openat2 is missing (ENOSYS: a kernel before 5.6)
 * or refused (EPERM: a seccomp profile that predates the syscall, as older Docker and
 * runc defaults did), the path is walked one component at a time with O_NOFOLLOW, and
 * every symlink is refused, even one that stays inside the root.
 *
 * What a request gets:
 *   TIDE_STATIC_NONE  no regular file there (missing, a directory, a fifo, a socket, a
 *                     device, a path too long to name a file): the caller decides
 *                     (a request handler, or 404).
 *   400               a bad percent-escape, a NUL (raw or %00), a path not starting "/".
 *   404               a path that leaves the root (a ".." above it, a symlink leading
 *                     outside, any absolute symlink), or a file the server may not read
 *                     (EACCES: a 403 would tell a client that the file exists).
 *   304, 206, 416, 200 from the conditional headers (RFC 9110, 13.2.2 and 14).
 *
 * Everything here is for GET and HEAD; the caller routes other methods elsewhere.
 */
#ifndef TIDE_HTTP_STATIC_H
#define TIDE_HTTP_STATIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes an IMF-fixdate needs, with its NUL: "Thu, 04 Dec 2026 18:30:00 GMT". */
#define TIDE_HTTP_DATE_LEN 30

/*
 * Writes unix_seconds as an IMF-fixdate (RFC 9110, 5.6.7) and a NUL into buf; returns
 * buf. Times before year 0000 or after 9999 are clamped to those years' ends (a date has
 * four year digits). With cap < TIDE_HTTP_DATE_LEN, buf gets "" (when cap > 0).
 */
const char *tide_http_date(int64_t unix_seconds, char *buf, size_t cap);

/*
 * Parses an HTTP-date at p[0..n), exactly (no surrounding whitespace): the IMF-fixdate,
 * and the obsolete RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime
 * ("Sun Nov  6 08:49:37 1994") forms. Names are case-sensitive, as the grammar says; the
 * day name must be one but is not checked against the date; second 60 (a leap second) is
 * allowed. An RFC 850 two-digit year is 19yy from 70 and 20yy below, a fixed pivot
 * instead of RFC 9110's "50 years from now", so that the result never depends on the
 * clock. Returns false when malformed (out untouched).
 */
bool tide_http_date_parse(const char *p, size_t n, int64_t *out);

/*
 * The media type for a file name's extension (after the last '.' of the last '/'
 * segment), case-insensitive: a static string, "application/octet-stream" for an
 * unknown or missing extension. The text types (text/html, text/css, text/javascript...)
 * carry "; charset=utf-8"; others do not
 * (JSON is UTF-8 by definition, RFC 8259, and XML-based types declare their own).
 */
const char *tide_mime_type(const char *name, size_t n);
/*
 * This process's own type for an extension (no dot; case-insensitive), over the table:
 * type NULL deletes the extension (then it is unknown). only_new: -EEXIST when the
 * extension is known already. 0, -EINVAL (an extension that is not a plain name of at
 * most 15 bytes, a type with control bytes or over 255), -ENOENT (deleting an unknown one)
 * or -ENOSPC (256 overrides). tide_mime_reset() drops them all.
 */
int tide_mime_set(const char *ext, const char *type, bool only_new);
void tide_mime_reset(void);
/* Each known extension with its type, the table's first (sorted), then those added. */
void tide_mime_foreach(void (*fn)(const char *ext, const char *type, void *arg), void *arg);

/*
 * A Range header value at p[0..n) against a representation of size bytes. We serve one
 * range only. Returns
 *    1  one satisfiable range: *off and *len set (len >= 1). Forms "bytes=a-b" (b past the
 *       end clamps to it), "bytes=a-", "bytes=-n" (n past the size means the whole file);
 *    0  ignore the header and send everything: another unit than "bytes" (compared
 *       case-insensitively), malformed (a > b, no digits, a number past UINT64_MAX), or
 *       more than one range;
 *   -1  unsatisfiable (416): a single valid range whose first byte is >= size, "-0", or
 *       any range of an empty file.
 * Whitespace is allowed around each range, as the list syntax allows it around commas
 * ("bytes= 0-1 "), not inside one ("0 - 1" is malformed); empty list elements are
 * skipped ("bytes=0-1,").
 */
int tide_http_range(const char *p, size_t n, uint64_t size, uint64_t *off, uint64_t *len);

/*
 * Whether path[0..n) lies under one of nlocs locations (locs[i], lens[i] bytes): a prefix
 * match ending on a segment boundary. A location's trailing '/' is ignored, so "/static"
 * and "/static/" both match "/static", "/static/" and "/static/a.css" but not "/staticx";
 * "/" (or "") matches every path that starts with '/'. Case-sensitive. Pass the
 * normalized path (tide_static_normalize): "/static/../secret" does not lie under
 * "/static", and "/st%61tic/x" does.
 */
bool tide_static_in_locations(const char *path, size_t n, const char *const *locs,
                              const size_t *lens, size_t nlocs);

/*
 * Percent-decodes and normalizes a request path p[0..n) (no query) into out, with a NUL:
 * "/" then the segments, '/'-separated. Empty and "." segments are dropped, ".." removes
 * the segment before it. A decoded '/' (%2F) is a separator like any other: normalizing
 * after decoding means "..%2F" cannot sneak a ".." past it. The result ends in '/' when
 * the path did (or ended in "." or ".."): "/a/" names a directory, and opening a file
 * through it fails as it should. Returns the length (>= 1), or -400 (not starting with
 * '/', a bad %-escape, a NUL raw or decoded), -404 (a ".." above the root), or -414 when
 * out runs out of room on the way (segments are decoded into it before a ".." removes
 * them; cap = n + 1 always suffices).
 */
int tide_static_normalize(const char *p, size_t n, char *out, size_t cap);

/* A request for a static file. The pointers are the caller's (slices of the request
 * head) and are only read during tide_static_serve. */
typedef struct tide_static_req {
    const char *path; /* as received: percent-encoded, without the query */
    size_t path_len;
    const char *if_none_match; /* the header values, trimmed; NULL when absent */
    size_t inm_len;
    const char *if_modified_since;
    size_t ims_len;
    const char *range;
    size_t range_len;
    const char *if_range;
    size_t if_range_len;
} tide_static_req_t;

enum { TIDE_STATIC_NONE = 0 }; /* no regular file there: the caller decides */

/* The outcome of tide_static_serve. For 200 and 206, fd is the open file (O_RDONLY,
 * O_CLOEXEC, blocking) and the caller owns it; otherwise fd is -1 and nothing needs
 * freeing. mime points to a static string. */
typedef struct tide_static_res {
    int status; /* TIDE_STATIC_NONE, 200, 206, 304, 400, 404 or 416 */
    int fd;
    uint64_t offset;  /* of the bytes to send (206; 0 for 200) */
    uint64_t length;  /* bytes to send: the size for 200, the range for 206, else 0 */
    uint64_t size;    /* the file's (200, 206, 304, 416) */
    int64_t mtime;    /* seconds (200, 206, 304, 416) */
    const char *mime; /* for 200 and 206; NULL otherwise */
    char etag[48];    /* "\"<mtime hex>-<size hex>\"" (as nginx), strong (200, 206, 304,
                         416); "" otherwise */
} tide_static_res_t;

/* Opens the root directory with O_PATH | O_DIRECTORY | O_CLOEXEC; returns the fd (the
 * caller owns it) or -errno. */
int tide_static_open_root(const char *dir);

/*
 * Resolves q->path under root_fd and evaluates the conditional headers, in RFC 9110's
 * order: If-None-Match (weak comparison, "*" matches) answers 304 on a match, and when it
 * is present If-Modified-Since is ignored; else If-Modified-Since at or after the mtime
 * answers 304. Then Range, when If-Range is absent or matches (the same strong ETag, or a
 * date equal to the mtime): 206 or 416; else 200. Fills *res (always). Returns 0, or
 * -errno for a system failure the caller should log (EMFILE, ENOMEM, EIO...; res is then
 * TIDE_STATIC_NONE).
 */
int tide_static_serve(int root_fd, const tide_static_req_t *q, tide_static_res_t *res);

/*
 * Writes the response head for res into buf, and a NUL after it. Status line (HTTP/1.1),
 * Server: Tide, Date (date: an IMF-fixdate, or NULL for none), and:
 *   200, 206  Content-Type, Content-Length (the bytes to send), Last-Modified, ETag,
 *             Accept-Ranges: bytes, and for 206 Content-Range: bytes a-b/size;
 *   304       Last-Modified and ETag, no Content-Length (RFC 9110, 15.4.5);
 *   400, 404, 416  a text/plain body, the reason phrase and "\n", written after the head
 *             in buf and counted in the return value, so the caller sends buf whole (for
 *             HEAD, it leaves out the last strlen(tide_http1_reason(status)) + 1 bytes);
 *             416 has Content-Range: "bytes *", a slash and the size.
 * Then "Connection: close" when !keep_alive, or "Connection: keep-alive" when http10 and
 * keep_alive (HTTP/1.0 clients close by default). Returns the bytes written (without the
 * NUL), or 0 when they and the NUL do not fit in cap, or for TIDE_STATIC_NONE.
 */
size_t tide_static_head(const tide_static_res_t *res, bool keep_alive, bool http10,
                        const char *date, char *buf, size_t cap);

#endif

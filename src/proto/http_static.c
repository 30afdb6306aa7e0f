/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tide/ascii.h"
#include "tide/common.h"
#include "tide/http1.h"
#include "tide/http_static.h"

#ifndef SYS_openat2
#define SYS_openat2 437 /* Linux 5.6; the same number on every architecture but alpha */
#endif

#define DEFAULT_MIME "application/octet-stream"
#define OPEN_FLAGS (O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
#define OPENAT2_RETRIES 4 /* EAGAIN: the kernel saw a rename race on ".." */
#define PATH_CAP 4096     /* PATH_MAX: a longer path names no file */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* ---- dates (RFC 9110, 5.6.7) ---- */

static const char wday_short[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const wday_long[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                         "Thursday", "Friday", "Saturday"};
static const char month_name[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
/* Days in the year before each month, in a common year. */
static const int month_start[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

#define DAYS_0_TO_1970 719528 /* days from 0000-01-01 (proleptic Gregorian) to 1970-01-01 */
#define MIN_TIME (-(int64_t)DAYS_0_TO_1970 * 86400) /* 0000-01-01 00:00:00 */
#define MAX_TIME INT64_C(253402300799)              /* 9999-12-31 23:59:59 */

static bool is_leap(int64_t y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int month_days(int64_t y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return days[m] + (m == 1 && is_leap(y));
}

/* Days from 0000-01-01 to January 1st of year y (y >= 0): 365 a year and one for each
 * leap year in [0, y). */
static int64_t days_before_year(int64_t y)
{
    return 365 * y + (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
}

/* Days from 1970-01-01 to y-m-d (m 0-11, d 1-31). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t doy = month_start[m] + (m > 1 && is_leap(y)) + d - 1;
    return days_before_year(y) + doy - DAYS_0_TO_1970;
}

/* The inverse: days since 1970-01-01 (within years 0-9999) to y-m-d (m 0-11). */
static void civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
    int64_t z = days + DAYS_0_TO_1970;
    int64_t year = z * 400 / 146097; /* 146097 days every 400 years: off by one at most */
    while (year > 0 && days_before_year(year) > z)
        year--;
    while (days_before_year(year + 1) <= z)
        year++;
    int doy = (int)(z - days_before_year(year)), mon = 0;
    while (mon < 11 && doy >= month_start[mon + 1] + (mon + 1 > 1 && is_leap(year)))
        mon++;
    *y = year;
    *m = mon;
    *d = doy - (month_start[mon] + (mon > 1 && is_leap(year))) + 1;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

const char *tide_http_date(int64_t t, char *buf, size_t cap)
{
    if (cap < TIDE_HTTP_DATE_LEN) {
        if (cap)
            buf[0] = 0;
        return buf;
    }
    t = t < MIN_TIME ? MIN_TIME : t > MAX_TIME ? MAX_TIME : t;
    int64_t days = floor_div(t, 86400), secs = t - days * 86400, y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    int wd = (int)((days % 7 + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
    snprintf(buf, cap, "%s, %02d %s %04d %02d:%02d:%02d GMT", wday_short[wd], d, month_name[m],
             (int)y, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
    return buf;
}

/* k digits at p as a number, or -1. */
static int digits(const char *p, int k)
{
    int v = 0;
    for (int i = 0; i < k; i++) {
        if (!is_digit(p[i]))
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

static int month_of(const char *p)
{
    for (int m = 0; m < 12; m++)
        if (!memcmp(p, month_name[m], 3))
            return m;
    return -1;
}

static bool is_wday_short(const char *p)
{
    for (int i = 0; i < 7; i++)
        if (!memcmp(p, wday_short[i], 3))
            return true;
    return false;
}

/* "hh:mm:ss" at p: seconds into the day, or -1. */
static int64_t time_of_day(const char *p)
{
    int h = digits(p, 2), m = digits(p + 3, 2), s = digits(p + 6, 2);
    if (p[2] != ':' || p[5] != ':' || h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 60)
        return -1;
    return h * 3600 + m * 60 + s;
}

static bool make_time(int64_t y, int m, int d, int64_t tod, int64_t *out)
{
    if (y < 0 || m < 0 || d < 1 || d > month_days(y, m) || tod < 0)
        return false;
    *out = days_from_civil(y, m, d) * 86400 + tod;
    return true;
}

/* "Sun, 06 Nov 1994 08:49:37 GMT" */
static bool parse_imf(const char *p, int64_t *out)
{
    if (!is_wday_short(p) || memcmp(p + 3, ", ", 2) || p[7] != ' ' || p[11] != ' ' ||
        p[16] != ' ' || memcmp(p + 25, " GMT", 4))
        return false;
    return make_time(digits(p + 12, 4), month_of(p + 8), digits(p + 5, 2), time_of_day(p + 17),
                     out);
}

/* "Sun Nov  6 08:49:37 1994" */
static bool parse_asctime(const char *p, int64_t *out)
{
    if (!is_wday_short(p) || p[3] != ' ' || p[7] != ' ' || p[10] != ' ' || p[19] != ' ')
        return false;
    int d = p[8] == ' ' ? digits(p + 9, 1) : digits(p + 8, 2);
    return make_time(digits(p + 20, 4), month_of(p + 4), d, time_of_day(p + 11), out);
}

/* "Sunday, 06-Nov-94 08:49:37 GMT" */
static bool parse_rfc850(const char *p, size_t n, int64_t *out)
{
    const char *comma = memchr(p, ',', n);
    if (!comma)
        return false;
    size_t wl = (size_t)(comma - p);
    bool named = false;
    for (int i = 0; i < 7; i++)
        named |= strlen(wday_long[i]) == wl && !memcmp(p, wday_long[i], wl);
    const char *q = comma + 1; /* " 06-Nov-94 08:49:37 GMT" */
    if (!named || (size_t)(p + n - q) != 23 || q[0] != ' ' || q[3] != '-' || q[7] != '-' ||
        q[10] != ' ' || memcmp(q + 19, " GMT", 4))
        return false;
    int yy = digits(q + 8, 2);
    if (yy < 0)
        return false;
    return make_time(yy + (yy >= 70 ? 1900 : 2000), month_of(q + 4), digits(q + 1, 2),
                     time_of_day(q + 11), out);
}

bool tide_http_date_parse(const char *p, size_t n, int64_t *out)
{
    if (n == 29 && p[3] == ',')
        return parse_imf(p, out);
    if (n == 24 && p[3] == ' ')
        return parse_asctime(p, out);
    return n > 23 && parse_rfc850(p, n, out);
}

/* ---- media types ---- */

typedef struct mime {
    const char *ext; /* lowercase; the table is sorted by it */
    const char *type;
} mime_t;

#define UTF8 "; charset=utf-8"

static const mime_t mimes[] = {
    {"7z", "application/x-7z-compressed"},
    {"aac", "audio/aac"},
    {"apng", "image/apng"},
    {"atom", "application/atom+xml"},
    {"avi", "video/x-msvideo"},
    {"avif", "image/avif"},
    {"bmp", "image/bmp"},
    {"bz2", "application/x-bzip2"},
    {"css", "text/css" UTF8},
    {"csv", "text/csv" UTF8},
    {"doc", "application/msword"},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"eot", "application/vnd.ms-fontobject"},
    {"epub", "application/epub+zip"},
    {"flac", "audio/flac"},
    {"gif", "image/gif"},
    {"gz", "application/gzip"},
    {"heic", "image/heic"},
    {"htm", "text/html" UTF8},
    {"html", "text/html" UTF8},
    {"ico", "image/x-icon"},
    {"ics", "text/calendar" UTF8},
    {"jar", "application/java-archive"},
    {"jpeg", "image/jpeg"},
    {"jpg", "image/jpeg"},
    {"js", "text/javascript" UTF8},
    {"json", "application/json"},
    {"jsonld", "application/ld+json"},
    {"jxl", "image/jxl"},
    {"m4a", "audio/mp4"},
    {"m4v", "video/mp4"},
    {"map", "application/json"},
    {"md", "text/markdown" UTF8},
    {"mid", "audio/midi"},
    {"midi", "audio/midi"},
    {"mjs", "text/javascript" UTF8},
    {"mkv", "video/x-matroska"},
    {"mov", "video/quicktime"},
    {"mp3", "audio/mpeg"},
    {"mp4", "video/mp4"},
    {"mpeg", "video/mpeg"},
    {"mpg", "video/mpeg"},
    {"odp", "application/vnd.oasis.opendocument.presentation"},
    {"ods", "application/vnd.oasis.opendocument.spreadsheet"},
    {"odt", "application/vnd.oasis.opendocument.text"},
    {"oga", "audio/ogg"},
    {"ogg", "audio/ogg"},
    {"ogv", "video/ogg"},
    {"opus", "audio/ogg"},
    {"otf", "font/otf"},
    {"pdf", "application/pdf"},
    {"png", "image/png"},
    {"ppt", "application/vnd.ms-powerpoint"},
    {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    {"rar", "application/vnd.rar"},
    {"rss", "application/rss+xml"},
    {"rtf", "application/rtf"},
    {"svg", "image/svg+xml"},
    {"tar", "application/x-tar"},
    {"tgz", "application/gzip"},
    {"tif", "image/tiff"},
    {"tiff", "image/tiff"},
    {"toml", "application/toml"},
    {"ttf", "font/ttf"},
    {"txt", "text/plain" UTF8},
    {"vtt", "text/vtt" UTF8},
    {"wasm", "application/wasm"},
    {"wav", "audio/wav"},
    {"weba", "audio/webm"},
    {"webm", "video/webm"},
    {"webmanifest", "application/manifest+json"},
    {"webp", "image/webp"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"xhtml", "application/xhtml+xml"},
    {"xls", "application/vnd.ms-excel"},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"xml", "text/xml" UTF8},
    {"xz", "application/x-xz"},
    {"yaml", "application/yaml"},
    {"yml", "application/yaml"},
    {"zip", "application/zip"},
    {"zst", "application/zstd"},
};

#define MAX_EXT 15 /* longer than any extension in the table */
#define MAX_OVERRIDES 256
#define MAX_TYPE 255

/* The process's own types over the table (swoole_mime_type_add/set/delete): an extension
 * with its type, or with NULL for one deleted. Set before a server starts, every process
 * forked after has them. */
static struct {
    char ext[MAX_EXT + 1];
    char *type;
} overrides[MAX_OVERRIDES];
static size_t noverrides;

static const char *table_type(const char *ext)
{
    size_t lo = 0, hi = sizeof(mimes) / sizeof(mimes[0]);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ext, mimes[mid].ext);
        if (c == 0)
            return mimes[mid].type;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* The type of a lowercase extension: the override, else the table's; NULL if unknown. */
static const char *ext_type(const char *ext)
{
    for (size_t i = 0; i < noverrides; i++)
        if (strcmp(overrides[i].ext, ext) == 0)
            return overrides[i].type;
    return table_type(ext);
}

/* ext lowercased into out; false when it is empty, too long or not a plain name. */
static bool lower_ext(const char *ext, char out[MAX_EXT + 1])
{
    size_t len = strlen(ext);
    if (len == 0 || len > MAX_EXT)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)ext[i];
        if (c <= ' ' || c == '.' || c == '/' || c >= 0x7f)
            return false;
        out[i] = (char)tide_ascii_lower(c);
    }
    out[len] = 0;
    return true;
}

int tide_mime_set(const char *ext, const char *type, bool only_new)
{
    char e[MAX_EXT + 1];
    if (!lower_ext(ext, e))
        return -EINVAL;
    if (type) {
        size_t tl = strlen(type);
        if (tl == 0 || tl > MAX_TYPE)
            return -EINVAL;
        for (size_t i = 0; i < tl; i++)
            if ((unsigned char)type[i] < ' ' || (unsigned char)type[i] == 0x7f)
                return -EINVAL; /* it goes into a header line */
    }
    if (only_new && ext_type(e))
        return -EEXIST;
    if (!type && !ext_type(e))
        return -ENOENT;
    size_t i = 0;
    while (i < noverrides && strcmp(overrides[i].ext, e) != 0)
        i++;
    if (i == noverrides) {
        if (noverrides == MAX_OVERRIDES)
            return -ENOSPC;
        memcpy(overrides[i].ext, e, sizeof(e));
        overrides[i].type = NULL;
        noverrides++;
    }
    tide_free(overrides[i].type);
    overrides[i].type = NULL;
    if (type) {
        size_t tl = strlen(type);
        overrides[i].type = tide_malloc(tl + 1);
        memcpy(overrides[i].type, type, tl + 1);
    }
    return 0;
}

void tide_mime_foreach(void (*fn)(const char *ext, const char *type, void *arg), void *arg)
{
    for (size_t i = 0; i < sizeof(mimes) / sizeof(mimes[0]); i++) {
        const char *t = ext_type(mimes[i].ext);
        if (t)
            fn(mimes[i].ext, t, arg);
    }
    for (size_t i = 0; i < noverrides; i++)
        if (overrides[i].type && !table_type(overrides[i].ext))
            fn(overrides[i].ext, overrides[i].type, arg);
}

void tide_mime_reset(void)
{
    for (size_t i = 0; i < noverrides; i++)
        tide_free(overrides[i].type);
    noverrides = 0;
}

const char *tide_mime_type(const char *name, size_t n)
{
    size_t dot = n;
    for (size_t i = n; i-- > 0 && name[i] != '/';)
        if (name[i] == '.') {
            dot = i;
            break;
        }
    size_t len = n - dot - (dot < n);
    if (dot == n || len == 0 || len > MAX_EXT)
        return DEFAULT_MIME;
    char ext[MAX_EXT + 1];
    for (size_t i = 0; i < len; i++)
        ext[i] = (char)tide_ascii_lower((unsigned char)name[dot + 1 + i]);
    ext[len] = 0;
    const char *t = ext_type(ext);
    return t ? t : DEFAULT_MIME;
}

/* ---- Range (RFC 9110, 14.1.2) ---- */

/* Digits at p[0..n) as a number; false when there are none, another byte, or overflow. */
static bool parse_u64(const char *p, size_t n, uint64_t *v)
{
    if (n == 0)
        return false;
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(p[i]) || x > (UINT64_MAX - (uint64_t)(p[i] - '0')) / 10)
            return false;
        x = x * 10 + (uint64_t)(p[i] - '0');
    }
    *v = x;
    return true;
}

/* One range-spec, trimmed, against size: as tide_http_range. */
static int one_range(const char *p, size_t n, uint64_t size, uint64_t *off, uint64_t *len)
{
    const char *dash = memchr(p, '-', n);
    if (!dash)
        return 0;
    size_t a_len = (size_t)(dash - p), b_len = n - a_len - 1;
    uint64_t a, b;
    if (a_len == 0) { /* suffix: the last b bytes */
        if (!parse_u64(dash + 1, b_len, &b))
            return 0;
        if (b == 0 || size == 0)
            return -1;
        *off = b < size ? size - b : 0;
        *len = size - *off;
        return 1;
    }
    if (!parse_u64(p, a_len, &a))
        return 0;
    if (b_len == 0)
        b = UINT64_MAX;
    else if (!parse_u64(dash + 1, b_len, &b) || b < a)
        return 0;
    if (a >= size)
        return -1;
    *off = a;
    *len = (b < size - 1 ? b : size - 1) - a + 1;
    return 1;
}

int tide_http_range(const char *p, size_t n, uint64_t size, uint64_t *off, uint64_t *len)
{
    if (!tide_prefix_ci(p, n, "bytes="))
        return 0;
    const char *spec = NULL;
    size_t spec_len = 0;
    for (size_t i = 6; i <= n;) {
        size_t j = i;
        while (j < n && p[j] != ',')
            j++;
        size_t a = i, b = j;
        while (a < b && tide_is_ows(p[a]))
            a++;
        while (b > a && tide_is_ows(p[b - 1]))
            b--;
        if (b > a) {
            if (spec)
                return 0; /* a second range: we serve one only */
            spec = p + a;
            spec_len = b - a;
        }
        i = j + 1;
    }
    return spec ? one_range(spec, spec_len, size, off, len) : 0;
}

/* ---- locations ---- */

bool tide_static_in_locations(const char *path, size_t n, const char *const *locs,
                              const size_t *lens, size_t nlocs)
{
    for (size_t i = 0; i < nlocs; i++) {
        size_t k = lens[i];
        while (k > 0 && locs[i][k - 1] == '/')
            k--;
        if (k == 0 ? n > 0 && path[0] == '/'
                   : n >= k && !memcmp(path, locs[i], k) && (n == k || path[k] == '/'))
            return true;
    }
    return false;
}

/* ---- the path ---- */

static int hex(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (unsigned char)tide_ascii_lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Ends the segment out[seg..*w): drops it when empty or ".", pops the one before for "..";
 * when more follows (sep), the kept segment gets its '/'. 0, -404 or -414. */
static int end_segment(char *out, size_t cap, size_t seg, size_t *w, bool sep)
{
    size_t len = *w - seg;
    if (len == 0 || (len == 1 && out[seg] == '.')) {
        *w = seg;
    } else if (len == 2 && out[seg] == '.' && out[seg + 1] == '.') {
        if (seg == 1)
            return -404; /* above the root */
        /* From the '/' that ends the segment before back to the one that starts it. */
        *w = seg - 1;
        while (out[*w - 1] != '/')
            (*w)--;
    } else if (sep) {
        if (*w + 1 >= cap)
            return -414;
        out[(*w)++] = '/';
    }
    return 0;
}

int tide_static_normalize(const char *p, size_t n, char *out, size_t cap)
{
    if (n == 0 || p[0] != '/')
        return -400;
    if (cap < 2)
        return -414;
    if (cap > INT_MAX)
        cap = INT_MAX; /* the length is returned as an int */
    out[0] = '/';
    size_t w = 1, seg = 1;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '%') {
            int h = i + 2 < n ? hex((unsigned char)p[i + 1]) : -1;
            int l = h >= 0 ? hex((unsigned char)p[i + 2]) : -1;
            if (l < 0)
                return -400;
            c = (unsigned char)(h * 16 + l);
            i += 2;
        }
        if (c == 0)
            return -400;
        if (c == '/') {
            int rc = end_segment(out, cap, seg, &w, true);
            if (rc < 0)
                return rc;
            seg = w;
            continue;
        }
        if (w + 1 >= cap)
            return -414;
        out[w++] = (char)c;
    }
    int rc = end_segment(out, cap, seg, &w, false);
    if (rc < 0)
        return rc;
    out[w] = 0;
    return (int)w;
}

/* ---- opening beneath the root ---- */

static int openat2_beneath(int root, const char *rel, uint64_t flags)
{
    struct open_how how = {
        .flags = flags,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
    };
    for (int tries = 0;; tries++) {
        long fd = syscall(SYS_openat2, root, rel, &how, sizeof(how));
        if (fd >= 0)
            return (int)fd;
        if (errno == EINTR || (errno == EAGAIN && tries < OPENAT2_RETRIES))
            continue;
        return -errno;
    }
}

/* Without openat2: one component at a time, each opened with O_NOFOLLOW and checked to be
 * a directory, so no symlink is ever followed (the path has no "." or ".." left). rel is
 * the normalized path without its leading '/'; it is modified and restored. */
static int walk_nofollow(int root, char *rel)
{
    int dir = root;
    char *seg = rel;
    char *slash;
    while ((slash = strchr(seg, '/'))) {
        *slash = 0;
        int fd = openat(dir, seg, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        int err = errno;
        *slash = '/';
        if (dir != root)
            close(dir);
        if (fd < 0)
            return -err;
        struct stat st;
        if (fstat(fd, &st) < 0)
            err = errno;
        else if (!S_ISDIR(st.st_mode))
            err = S_ISLNK(st.st_mode) ? ELOOP : ENOTDIR;
        else
            err = 0;
        if (err) {
            close(fd);
            return -err;
        }
        dir = fd;
        seg = slash + 1;
    }
    int fd = openat(dir, *seg ? seg : ".", OPEN_FLAGS | O_NOFOLLOW);
    int err = errno;
    if (dir != root)
        close(dir);
    return fd >= 0 ? fd : -err;
}

/* The file at rel beneath root, or -errno: openat2 where the kernel has it, else the
 * component walk. EPERM may be a seccomp profile that predates openat2 (older Docker and
 * runc defaults answered EPERM for syscalls they did not know): a probe of "." tells it
 * from a real EPERM. The open itself is O_NONBLOCK, so that a fifo in the root does not
 * wait for a writer; a device node in the root would still see its driver's open (only
 * root can make one, and the fstat that follows refuses it). */
static int open_beneath(int root, char *rel)
{
    int fd = openat2_beneath(root, *rel ? rel : ".", OPEN_FLAGS);
    if (fd != -ENOSYS && fd != -EPERM)
        return fd;
    if (fd == -EPERM) {
        int probe = openat2_beneath(root, ".", O_PATH | O_CLOEXEC);
        if (probe >= 0) {
            close(probe);
            return -EPERM;
        }
    }
    return walk_nofollow(root, rel);
}

/* ---- conditionals (RFC 9110, 13.1 and 13.2.2) ---- */

/* Whether an If-None-Match list names etag, W/ ignored on both sides (weak comparison).
 * A malformed element ends the list: what came before it still counts. */
static bool none_match(const char *p, size_t n, const char *etag)
{
    size_t el = strlen(etag), i = 0;
    while (i < n) {
        while (i < n && (tide_is_ows(p[i]) || p[i] == ','))
            i++;
        if (i == n)
            break;
        if (p[i] == '*')
            return true;
        if (n - i >= 2 && p[i] == 'W' && p[i + 1] == '/')
            i += 2;
        if (i == n || p[i] != '"')
            return false;
        const char *close = memchr(p + i + 1, '"', n - i - 1);
        if (!close)
            return false;
        size_t tl = (size_t)(close - (p + i)) + 1;
        if (tl == el && !memcmp(p + i, etag, el))
            return true;
        i += tl;
    }
    return false;
}

/* If-Range: a strong entity-tag equal to ours, or a date equal to the mtime. */
static bool range_matches(const char *p, size_t n, const tide_static_res_t *res)
{
    if ((n > 0 && p[0] == '"') || (n > 1 && p[0] == 'W' && p[1] == '/'))
        return n == strlen(res->etag) && !memcmp(p, res->etag, n);
    int64_t t;
    return tide_http_date_parse(p, n, &t) && t == res->mtime;
}

static bool not_modified(const tide_static_req_t *q, const tide_static_res_t *res)
{
    if (q->if_none_match)
        return none_match(q->if_none_match, q->inm_len, res->etag);
    int64_t t;
    return q->if_modified_since && tide_http_date_parse(q->if_modified_since, q->ims_len, &t) &&
           res->mtime <= t;
}

/* The status for the open file described by res, and its offset and length. */
static int conditionals(const tide_static_req_t *q, tide_static_res_t *res)
{
    if (not_modified(q, res))
        return 304;
    res->offset = 0;
    res->length = res->size;
    if (!q->range || (q->if_range && !range_matches(q->if_range, q->if_range_len, res)))
        return 200;
    uint64_t off, len;
    switch (tide_http_range(q->range, q->range_len, res->size, &off, &len)) {
    case 1:
        res->offset = off;
        res->length = len;
        return 206;
    case -1:
        res->length = 0;
        return 416;
    default:
        return 200;
    }
}

/* ---- serving ---- */

int tide_static_open_root(const char *dir)
{
    int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    return fd >= 0 ? fd : -errno;
}

/* What an open failure means for the request: a status, or -errno to report. */
static int open_error(int err)
{
    switch (err) {
    case -EXDEV:  /* a ".." or a symlink leading outside the root */
    case -ELOOP:  /* a magic link, too many links, or any link in the walk */
    case -EACCES: /* 404, not 403: a 403 tells the client the file exists */
    case -EPERM:
    case -EAGAIN: /* openat2 kept seeing a rename race */
        return 404;
    case -ENOENT:
    case -ENOTDIR:
    case -ENAMETOOLONG:
    case -ENXIO:  /* a unix socket */
    case -ENODEV: /* a device with no driver */
        return TIDE_STATIC_NONE;
    default:
        return err;
    }
}

/* O_NONBLOCK kept the open of a fifo from waiting for a writer. On a regular file it must
 * go: an io_uring read of an O_NONBLOCK file whose file system supports nowait answers
 * -EAGAIN instead of waiting for the disk (REQ_F_NOWAIT). */
static int make_blocking(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
        return -errno;
    return 0;
}

/* fd is a regular file: the fields of res that describe it. */
static void describe(int fd, const struct stat *st, const char *path, size_t n,
                     tide_static_res_t *res)
{
    res->fd = fd;
    res->size = (uint64_t)st->st_size;
    res->mtime = (int64_t)st->st_mtim.tv_sec;
    res->mime = tide_mime_type(path, n);
    snprintf(res->etag, sizeof(res->etag), "\"%" PRIx64 "-%" PRIx64 "\"", (uint64_t)res->mtime,
             res->size);
}

int tide_static_serve(int root_fd, const tide_static_req_t *q, tide_static_res_t *res)
{
    memset(res, 0, sizeof(*res));
    res->fd = -1;
    char path[PATH_CAP];
    int n = tide_static_normalize(q->path, q->path_len, path, sizeof(path));
    if (n < 0) {
        res->status = n == -414 ? TIDE_STATIC_NONE : -n;
        return 0;
    }
    int fd = open_beneath(root_fd, path + 1);
    if (fd < 0) {
        int st = open_error(fd);
        res->status = st > 0 ? st : TIDE_STATIC_NONE;
        return st < 0 ? st : 0;
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int err = -errno;
        close(fd);
        return err;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return 0; /* a directory, fifo, socket or device: TIDE_STATIC_NONE */
    }
    int rc = make_blocking(fd);
    if (rc < 0) {
        close(fd);
        return rc;
    }
    describe(fd, &st, path, (size_t)n, res);
    res->status = conditionals(q, res);
    if (res->status == 304 || res->status == 416) {
        close(fd);
        res->fd = -1;
        res->mime = NULL;
    }
    return 0;
}

/* ---- the response head ---- */

typedef struct out {
    char *p;
    size_t len, cap;
    bool full;
} out_t;

__attribute__((format(printf, 2, 3))) static void put(out_t *o, const char *fmt, ...)
{
    if (o->full)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= o->cap - o->len)
        o->full = true;
    else
        o->len += (size_t)k;
}

/* Content-Type, validators and lengths of a response with the file. */
static void file_fields(out_t *o, const tide_static_res_t *res)
{
    char lm[TIDE_HTTP_DATE_LEN];
    tide_http_date(res->mtime, lm, sizeof(lm));
    if (res->status != 304)
        put(o, "Content-Type: %s\r\nContent-Length: %" PRIu64 "\r\n", res->mime, res->length);
    put(o, "Last-Modified: %s\r\nETag: %s\r\n", lm, res->etag);
    if (res->status == 304)
        return;
    put(o, "Accept-Ranges: bytes\r\n");
    if (res->status == 206)
        put(o, "Content-Range: bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64 "\r\n", res->offset,
            res->offset + res->length - 1, res->size);
}

size_t tide_static_head(const tide_static_res_t *res, bool keep_alive, bool http10,
                        const char *date, char *buf, size_t cap)
{
    if (res->status == TIDE_STATIC_NONE || cap == 0)
        return 0;
    out_t o = {buf, 0, cap, false};
    const char *reason = tide_http1_reason(res->status);
    bool error = res->status >= 400;
    put(&o, "HTTP/1.1 %d %s\r\nServer: Tide\r\n", res->status, reason);
    if (date)
        put(&o, "Date: %s\r\n", date);
    if (error)
        put(&o, "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n",
            strlen(reason) + 1);
    else
        file_fields(&o, res);
    if (res->status == 416)
        put(&o, "Content-Range: bytes */%" PRIu64 "\r\n", res->size);
    if (!keep_alive)
        put(&o, "Connection: close\r\n");
    else if (http10)
        put(&o, "Connection: keep-alive\r\n");
    put(&o, "\r\n");
    if (error)
        put(&o, "%s\n", reason);
    return o.full ? 0 : o.len;
}

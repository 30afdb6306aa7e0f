/* SPDX-License-Identifier: MIT */
/*
 * The static file handler: a GET or HEAD request whose path names a regular file under the
 * port's document_root is answered here, in C, before any PHP object is made; the file
 * goes out with sendfile through the connection's output queue (tide_server_sendfile).
 * Which path is ours, the conditional requests and the head are src/proto/http_static.c's
 * (plain C, tested and fuzzed there); this file applies them to a connection.
 *
 * Whose request it is:
 *   - without static_handler_locations every path is tried, and one that names no file
 *     (missing, a directory) goes to the request handler, as in Swoole;
 *   - with locations, a path under one of them is the handler's only for other methods
 *     than GET and HEAD; a GET or HEAD there that names no file is answered 404;
 *   - a path that would leave the root ("..", a symlink out of it) is answered 404 in
 *     either case, and never reaches the request handler (nothing is revealed);
 *   - a path that is not valid percent-encoding goes to the request handler (it may have
 *     a meaning for the application), unless it lies under a location.
 *
 * The root is opened once per process (O_PATH) and files are resolved under it with
 * openat2(RESOLVE_BENEATH), so a symlink or a rename race cannot lead outside it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <unistd.h>

#include "php.h"
#include "php_tide_http.h"

static tide_ratelimit_t rl_static;

/* The port's document_root, opened by this process (once). -1 with a warning. */
static int root_fd(php_tide_port_t *port)
{
    php_tide_http_opts_t *o = &port->http;
    pid_t me = getpid();
    if (o->static_root_pid == me)
        return o->static_root_fd;
    int fd = tide_static_open_root(o->document_root);
    if (fd < 0) {
        php_tide_warn_limited(&rl_static, "document_root '%s': %s", o->document_root,
                              strerror(-fd));
        return -1;
    }
    o->static_root_fd = fd;
    o->static_root_pid = me;
    return fd;
}

static bool in_locations(const php_tide_http_opts_t *o, const char *path, size_t n)
{
    const char *locs[PHP_TIDE_STATIC_LOCATIONS];
    size_t lens[PHP_TIDE_STATIC_LOCATIONS];
    for (uint32_t i = 0; i < o->nlocations; i++) {
        locs[i] = o->locations + o->location_off[i];
        lens[i] = o->location_len[i];
    }
    return tide_static_in_locations(path, n, locs, lens, o->nlocations);
}

static void header_of(const tide_http1_head_t *h, const char *data, const char *name,
                      const char **p, size_t *n)
{
    const tide_http1_header_t *hd = tide_http1_find(h, data, name);
    *p = hd ? data + hd->value.off : NULL;
    *n = hd ? hd->value.len : 0;
}

/* Sends the answer: the head (and, for 200/206 and not HEAD, the file). */
static void answer(php_tide_server_t *srv, uint64_t session, tide_static_res_t *res,
                   const tide_http1_head_t *h, bool head)
{
    tide_server_t *s = &srv->core;
    char buf[1024];
    size_t n = tide_static_head(res, h->keep_alive, h->version == 10,
                                php_tide_http_date_now(), buf, sizeof(buf));
    if (n && head && res->status != 200 && res->status != 206 && res->status != 304)
        n -= strlen(tide_http1_reason(res->status)) + 1; /* the short text body */
    int rc = n ? tide_server_send(s, session, buf, n, NULL) : TIDE_EFULL;
    if (rc == 0 && res->fd >= 0 && !head && res->length) {
        rc = tide_server_sendfile(s, session, res->fd, res->offset, res->length);
        res->fd = -1; /* the core's now, whatever it answered */
    }
    if (res->fd >= 0)
        close(res->fd);
    if (rc < 0 && rc != TIDE_ECLOSED)
        php_tide_warn_limited(&rl_static, "connection #%llu: a static file: %s",
                              (unsigned long long)session, tide_strerror(rc));
    if (!h->keep_alive || rc < 0)
        tide_server_close(s, session, false);
}

bool php_tide_http_static(php_tide_server_t *srv, php_tide_port_t *port, uint64_t session,
                          const char *data, size_t len, const tide_http1_head_t *h)
{
    const php_tide_http_opts_t *o = &port->http;
    bool head = h->method.len == 4 && memcmp(data + h->method.off, "HEAD", 4) == 0;
    bool get = h->method.len == 3 && memcmp(data + h->method.off, "GET", 3) == 0;
    if (!get && !head)
        return false;
    char small[512];
    size_t cap = (size_t)h->path.len + 1;
    char *norm = cap <= sizeof(small) ? small : emalloc(cap);
    int nl = tide_static_normalize(data + h->path.off, h->path.len, norm, cap);
    tide_static_res_t res = {.status = TIDE_STATIC_NONE, .fd = -1};
    bool mine;
    if (nl == -404) {
        res.status = 404; /* out of the root: never the handler's */
        mine = true;
    } else if (nl < 0) {
        /* Not a valid path: ours to refuse only under a location (checked on the raw path). */
        mine = o->nlocations && in_locations(o, data + h->path.off, h->path.len);
        res.status = 400;
    } else if (o->nlocations && !in_locations(o, norm, (size_t)nl)) {
        mine = false;
    } else {
        int fd = root_fd(port);
        tide_static_req_t q = {.path = data + h->path.off, .path_len = h->path.len};
        header_of(h, data, "if-none-match", &q.if_none_match, &q.inm_len);
        header_of(h, data, "if-modified-since", &q.if_modified_since, &q.ims_len);
        header_of(h, data, "range", &q.range, &q.range_len);
        header_of(h, data, "if-range", &q.if_range, &q.if_range_len);
        int rc = fd >= 0 ? tide_static_serve(fd, &q, &res) : 0;
        if (rc < 0)
            php_tide_warn_limited(&rl_static, "%s%.*s: %s", o->document_root, nl, norm,
                                  strerror(-rc));
        if (res.status == TIDE_STATIC_NONE) {
            mine = o->nlocations > 0; /* under a location: 404; else the handler's */
            res.status = 404;
        } else {
            mine = true;
        }
    }
    if (norm != small)
        efree(norm);
    if (!mine) {
        if (res.fd >= 0)
            close(res.fd);
        return false;
    }
    answer(srv, session, &res, h, head);
    tide_server_done(&srv->core, session, len);
    return true;
}

/* SPDX-License-Identifier: MIT */
/* TEMPORARY: a blocking stand-in for tide_reactor_read_file until the reactor's own lands. */
#include <errno.h>
#include <unistd.h>

#include "tide/common.h"
#include "tide/reactor.h"

typedef struct shim {
    tide_defer_t d;
    tide_done_cb cb;
    void *udata;
    ssize_t res;
} shim_t;

static void run(tide_reactor_t *r, void *udata)
{
    shim_t *s = udata;
    s->cb(r, s->udata, s->res);
    tide_free(s);
}

int tide_reactor_read_file(tide_reactor_t *r, int fd, void *buf, size_t len, uint64_t offset,
                           tide_done_cb cb, void *udata)
{
    shim_t *s = tide_calloc(1, sizeof(*s));
    ssize_t n;
    do
        n = pread(fd, buf, len, (off_t)offset);
    while (n < 0 && errno == EINTR);
    s->res = n < 0 ? -errno : n;
    s->cb = cb;
    s->udata = udata;
    s->d.cb = run;
    s->d.udata = s;
    tide_reactor_defer(r, &s->d);
    return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * A connection's output (tide/engine.h: send, sendfile): what send() gives in one loop turn
 * goes out as one write; a file is read a window at a time as the socket takes it
 * (tide_reactor_read_file), and what is sent after it waits behind it, in order.
 */
#include <string.h>
#include <unistd.h>

#include "engine_int.h"

static void pump(conn_t *c);

void tide__drop_pend(conn_t *c)
{
    while (c->pend) {
        pend_t *p = c->pend;
        c->pend = p->next;
        if (p->fd >= 0) {
            if (c->reading && c->reading->fd == p->fd) {
                /* Its read is on the reactor still: the file is closed when it ends. */
                c->reading->dropped = true;
                c->reading = NULL;
            } else {
                close(p->fd);
            }
        } else {
            tide_conninfo_add(&c->info->out_bytes, -(int64_t)p->len);
        }
        tide_free(p);
    }
    c->pend_tail = NULL;
    c->files = 0;
}

static void on_written(tide_reactor_t *r, void *udata, ssize_t res)
{
    TIDE_UNUSED(r);
    out_buf_t *b = udata;
    conn_t *c = b->c;
    size_t len = b->len;
    tide_free(b);
    if (!tide__op_ended(c))
        return;
    tide_conninfo_begin(c->info);
    c->info->out_bytes -= len;
    if (res >= 0)
        c->info->sent_bytes += (uint64_t)res;
    tide_conninfo_end(c->info);
    c->wire -= len;
    if (res < 0) {
        tide__drop_pend(c); /* nothing more can go out */
        if (!c->closing) {
            tide_log(TIDE_LOG_DEBUG, "connection #%llu: send: %s", (unsigned long long)c->session,
                     tide_strerror((int)res));
            tide__conn_close(c, false);
            return;
        }
    }
    pump(c);
}

/* Hands b to the reactor as c's next write; false (b freed) when that fails. */
static bool write_out(conn_t *c, out_buf_t *b)
{
    if (tide_reactor_send(c->e->r, c->fd, b->data, b->len, on_written, b) < 0) {
        tide_conninfo_add(&c->info->out_bytes, -(int64_t)b->len);
        c->wire -= b->len;
        tide_free(b);
        return false;
    }
    c->ops++;
    return true;
}

void tide__flush_out(tide_reactor_t *r, void *udata)
{
    TIDE_UNUSED(r);
    conn_t *c = udata;
    out_buf_t *b = c->out;
    if (!b)
        return;
    c->out = NULL;
    c->out_cap = 0;
    write_out(c, b);
}

/* Room for len more bytes at the end of c->out (written before the loop waits). */
static char *out_room(conn_t *c, size_t len)
{
    size_t have = c->out ? c->out->len : 0;
    if (have + len > c->out_cap) {
        size_t cap = c->out_cap ? c->out_cap * 2 : 512;
        while (cap < have + len)
            cap *= 2;
        c->out = tide_realloc(c->out, sizeof(out_buf_t) + cap);
        c->out_cap = cap;
        if (!have) {
            c->out->c = c;
            c->out->len = 0;
        }
    }
    return c->out->data + have;
}

/* Counts n bytes put at out_room() as queued. */
static void out_commit(conn_t *c, size_t n)
{
    c->out->len += n;
    c->wire += n;
    tide_reactor_defer(c->e->r, &c->flush);
}

static void pend_pop(conn_t *c)
{
    pend_t *p = c->pend;
    c->pend = p->next;
    if (!c->pend)
        c->pend_tail = NULL;
    if (p->fd >= 0) {
        close(p->fd);
        if (--c->files == 0 && c->stalled && !c->closing)
            tide__go_on(c); /* delivery waited for this file (files_pending) */
    }
    tide_free(p);
}

static void on_file_read(tide_reactor_t *r, void *udata, ssize_t res)
{
    TIDE_UNUSED(r);
    file_read_t *fr = udata;
    conn_t *c = fr->c;
    out_buf_t *b = fr->b;
    if (fr->dropped) {
        close(fr->fd);
        tide_free(b);
        tide_free(fr);
        tide__op_ended(c);
        return;
    }
    tide_free(fr);
    if (!tide__op_ended(c)) {
        tide_free(b);
        return;
    }
    c->reading = NULL;
    pend_t *p = c->pend; /* the file part this read was for */
    if (res > 0) {
        /* The buffer goes out as it is. */
        size_t n = (size_t)res;
        b->len = n;
        tide_conninfo_add(&c->info->out_bytes, (int64_t)n);
        c->wire += n;
        /* What was gathered before goes first. */
        tide_reactor_undefer(c->e->r, &c->flush);
        tide__flush_out(c->e->r, c);
        write_out(c, b);
        p->off += n;
        p->left -= n;
        if (!p->left)
            pend_pop(c);
    } else {
        tide_free(b);
        tide_log(TIDE_LOG_WARNING, "connection #%llu: sendfile: %s; %llu bytes not sent",
                 (unsigned long long)c->session,
                 res < 0 ? tide_strerror((int)res) : "the file got shorter",
                 (unsigned long long)p->left);
        pend_pop(c);
    }
    pump(c);
}

/* Moves what waits behind files to the reactor while less than a window is on it. */
static void pump(conn_t *c)
{
    while (c->pend && c->wire < FILE_WINDOW && !c->reading) {
        pend_t *p = c->pend;
        if (p->fd < 0) {
            memcpy(out_room(c, p->len), p->data, p->len); /* counted in out_bytes already */
            out_commit(c, p->len);
            pend_pop(c);
            continue;
        }
        size_t want = FILE_WINDOW - c->wire;
        if (want > FILE_CHUNK)
            want = FILE_CHUNK;
        if (want > p->left)
            want = (size_t)p->left;
        file_read_t *fr = tide_malloc(sizeof(*fr));
        fr->c = c;
        fr->fd = p->fd;
        fr->dropped = false;
        fr->b = tide_malloc(sizeof(out_buf_t) + want);
        fr->b->c = c;
        fr->b->len = 0;
        int rc = tide_reactor_read_file(c->e->r, p->fd, fr->b->data, want, p->off,
                                        on_file_read, fr);
        if (rc < 0) {
            tide_free(fr->b);
            tide_free(fr);
            tide_log(TIDE_LOG_WARNING, "connection #%llu: sendfile: %s; %llu bytes not sent",
                     (unsigned long long)c->session, tide_strerror(rc),
                     (unsigned long long)p->left);
            pend_pop(c);
            continue;
        }
        c->reading = fr;
        c->ops++;
        return;
    }
    if (!c->pend && c->close_pending) {
        c->close_pending = false;
        tide__finish_close(c);
    }
}

static void pend_add(conn_t *c, pend_t *p)
{
    p->next = NULL;
    if (c->pend_tail)
        c->pend_tail->next = p;
    else
        c->pend = p;
    c->pend_tail = p;
}

int tide_engine_send(tide_engine_t *e, uint64_t session, const void *data, size_t len)
{
    conn_t *c = tide__conn_of(e, session);
    if (!c || c->closing)
        return TIDE_ECLOSED;
    size_t limit = c->port->buffer_output_size ? c->port->buffer_output_size : DEFAULT_OUTPUT_SIZE;
    if (c->info->out_bytes + len > limit)
        return TIDE_EFULL;
    if (len == 0)
        return 0;
    tide_conninfo_add(&c->info->out_bytes, (int64_t)len);
    c->queued += len;
    if (c->pend) {
        /* Behind a file still going out. */
        pend_t *p = tide_malloc(sizeof(*p) + len);
        p->fd = -1;
        p->len = len;
        memcpy(p->data, data, len);
        pend_add(c, p);
        return 0;
    }
    /* Gathered with what else this turn sends to c: one write per connection per turn. */
    memcpy(out_room(c, len), data, len);
    out_commit(c, len);
    return 0;
}

int tide_engine_sendfile(tide_engine_t *e, uint64_t session, int fd, uint64_t offset,
                         uint64_t length)
{
    conn_t *c = tide__conn_of(e, session);
    if (!c || c->closing) {
        close(fd);
        return TIDE_ECLOSED;
    }
    if (length == 0) {
        close(fd);
        return 0;
    }
    if (c->files >= MAX_FILES) {
        close(fd);
        return TIDE_EFULL;
    }
    c->files++;
    c->queued += length;
    pend_t *p = tide_malloc(sizeof(*p));
    p->fd = fd;
    p->off = offset;
    p->left = length;
    p->len = 0;
    pend_add(c, p);
    pump(c);
    return 0;
}


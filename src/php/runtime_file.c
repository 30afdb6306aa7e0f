/* SPDX-License-Identifier: MIT */
/*
 * HOOK_FILE: plain files read, written and synced on the reactor, in the calling coroutine
 * (IORING_OP_READ/WRITE/FSYNC on io_uring; a helper thread of the reactor on epoll), so a
 * file that is not in the page cache, or a slow disk, holds up only the coroutine that uses
 * it. Outside a coroutine, with the hook off, or on any other stream, each operation is the
 * stock one.
 *
 * How: a stream PHP's plain-files wrapper opens (fopen, file_get_contents,
 * file_put_contents, file, SplFileObject...) is noted here when it is a regular file, by
 * an opener put in front of the wrapper's own. PHP's stdio stream operations get a read,
 * a write and a sync in front of theirs that take the reactor's way for a noted stream.
 * The stream keeps its operations table and its wrapper (what compares them to PHP's own
 * still sees PHP's own), its file position (the ops read and write at it, as read(2) and
 * write(2) do), its buffering, and its errors (the same notices, eof and errno).
 *
 * Not through the reactor: opening, stat, unlink and the other metadata calls (the kernel
 * does those from its cache, or in one round trip to the disk); include/require (the
 * compiler reads the file, and must not be suspended); readfile(), fpassthru() and copy(),
 * which map the file into memory (a page fault waits for the disk, in any thread); a stream
 * turned into a stdio FILE* by an extension.
 *
 * One coroutine at a time uses a file stream: a second one that would read or write it
 * while the first waits gets a Tide\Exception naming both. A coroutine canceled while it
 * waits still gets its result (a file operation is short and cannot be recalled from the
 * kernel); one killed leaves the operation to finish on a buffer of its own, which is freed
 * then, so nothing writes into memory the coroutine no longer owns.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <sys/stat.h>

#include "php.h"
#include "streams/php_stream_plain_wrapper.h"
#include "php_tide.h"
#include "tide/coro.h"
#include "tide/idmap.h"
#include "tide/reactor.h"

/* ---- waiting for a file op or a work in the calling coroutine ---- */

struct php_tide_op_wait {
    tide_coro_t *co; /* NULL once its coroutine was killed */
    tide_reactor_t *r;
    ssize_t res;
    bool done;
    php_tide_op_wait_t *next; /* on the abandoned list */
    size_t cap;
    char buf[]; /* the op's own buffer (file ops), or the work's argument */
};

/* Waits whose coroutine was killed: freed by their op's callback, or with their reactor. */
static php_tide_op_wait_t *abandoned;

php_tide_op_wait_t *php_tide_op_wait_new(size_t cap)
{
    php_tide_op_wait_t *w = tide_malloc(sizeof(*w) + cap);
    memset(w, 0, sizeof(*w));
    w->cap = cap;
    return w;
}

void *php_tide_op_wait_buf(php_tide_op_wait_t *w)
{
    return w->buf;
}

void php_tide_op_wait_free(php_tide_op_wait_t *w)
{
    tide_free(w);
}

static void drop_abandoned(php_tide_op_wait_t *w)
{
    for (php_tide_op_wait_t **p = &abandoned; *p; p = &(*p)->next)
        if (*p == w) {
            *p = w->next;
            break;
        }
    tide_free(w);
}

void php_tide_op_done(tide_reactor_t *r, void *udata, ssize_t res)
{
    TIDE_UNUSED(r);
    php_tide_op_wait_t *w = udata;
    w->res = res;
    w->done = true;
    if (w->co)
        tide_coro_wake(TIDE_G(sched), w->co);
    else
        drop_abandoned(w);
}

int php_tide_op_await(php_tide_op_wait_t *w, const char *what, ssize_t *res)
{
    w->co = tide_coro_current(TIDE_G(sched));
    w->r = php_tide_reactor();
    php_tide_coro_waits_on(what);
    while (!w->done) {
        if (tide_coro_wait(TIDE_G(sched), -1, false) != TIDE_EKILLED)
            continue;
        if (w->done) {
            tide_free(w);
        } else {
            w->co = NULL; /* the op still uses w->buf: its callback frees it */
            w->next = abandoned;
            abandoned = w;
        }
        php_tide_coro_killed();
        return TIDE_EKILLED;
    }
    *res = w->res;
    return 0;
}

void php_tide_ops_reactor_gone(tide_reactor_t *r)
{
    /* Destroy dropped their ops without callbacks (file ops over, works joined). */
    php_tide_op_wait_t **p = &abandoned;
    while (*p) {
        php_tide_op_wait_t *w = *p;
        if (w->r == r) {
            *p = w->next;
            tide_free(w);
        } else {
            p = &w->next;
        }
    }
}

/* ---- the noted streams ---- */

typedef struct file_mark {
    int fd;
    tide_coro_t *busy; /* the coroutine waiting on an op of the stream */
    bool closed;       /* closed while busy: the waiter frees this */
} file_mark_t;

static tide_idmap_t marks; /* (uintptr_t)stream -> file_mark_t */
static const php_stream_wrapper_ops *stock_wops;
static php_stream_wrapper_ops file_wops;
static php_stream_ops stock_stdio;

static void mark(php_stream *stream)
{
    int fd = -1;
    struct stat st;
    if (stream->ops != &php_stream_stdio_ops ||
        php_stream_cast(stream, PHP_STREAM_AS_FD | PHP_STREAM_CAST_INTERNAL, (void **)&fd, 0) !=
            SUCCESS ||
        fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return;
    file_mark_t *m = tide_calloc(1, sizeof(*m));
    m->fd = fd;
    file_mark_t *old = tide_idmap_del(&marks, (uintptr_t)stream);
    tide_free(old);
    tide_idmap_put(&marks, (uintptr_t)stream, m);
}

static void unmark(php_stream *stream)
{
    if (!marks.cap)
        return;
    file_mark_t *m = tide_idmap_del(&marks, (uintptr_t)stream);
    if (m && m->busy)
        m->closed = true; /* its waiter frees it */
    else
        tide_free(m);
}

static php_stream *hook_opener(php_stream_wrapper *wrapper, const char *path, const char *mode,
                               int options, zend_string **opened_path,
                               php_stream_context *context STREAMS_DC)
{
    php_stream *stream = stock_wops->stream_opener(wrapper, path, mode, options, opened_path,
                                                   context STREAMS_REL_CC);
    /* Not what the compiler reads (include/require), which must not suspend. */
    if (stream && (TIDE_G(hook_flags) & PHP_TIDE_HOOK_FILE) &&
        !(options & (STREAM_OPEN_FOR_INCLUDE | STREAM_OPEN_FOR_ZEND_STREAM)))
        mark(stream);
    return stream;
}

/*
 * The noted stream's mark when its hook applies now (in a coroutine, HOOK_FILE on), or
 * NULL. A second coroutine that finds the stream busy gets the exception, and *err.
 */
static file_mark_t *hooked_file(php_stream *stream, const char *what, bool *err)
{
    *err = false;
    if (!marks.cap || !php_tide_hooked(PHP_TIDE_HOOK_FILE))
        return NULL;
    file_mark_t *m = tide_idmap_get(&marks, (uintptr_t)stream);
    if (m && m->busy) {
        php_tide_throw(0, "%s: coroutine #%lld cannot use file stream #%lld: coroutine #%lld "
                       "is waiting on it (one coroutine at a time reads or writes a file stream)",
                       what, (long long)tide_coro_id(tide_coro_current(TIDE_G(sched))),
                       (long long)(stream->res ? stream->res->handle : 0), (long long)tide_coro_id(m->busy));
        *err = true;
        return NULL;
    }
    return m;
}

/* Up to this much per op: a bigger read or write is done in pieces (the stream layer asks
 * again for the rest, as after a short read(2)), so the op's buffer stays small. */
#define OP_BUF_MAX (1u << 20)

enum { IO_READ, IO_WRITE, IO_FSYNC, IO_FDATASYNC };

/*
 * One op on m's file in the calling coroutine: bytes or -errno, or TIDE_EKILLED (the
 * exception is thrown), or TIDE_EFORKED-like submit failures as -errno with *stock set (the
 * caller does the stock call instead).
 */
static ssize_t file_op(file_mark_t *m, int kind, char *buf, size_t count, const char *what,
                       bool *stock)
{
    *stock = false;
    size_t n = kind <= IO_WRITE ? (count < OP_BUF_MAX ? count : OP_BUF_MAX) : 0;
    php_tide_op_wait_t *w = php_tide_op_wait_new(n);
    tide_reactor_t *r = php_tide_reactor();
    int rc;
    switch (kind) {
    case IO_READ:
        rc = tide_reactor_read_file(r, m->fd, w->buf, n, TIDE_FILE_POS, php_tide_op_done, w);
        break;
    case IO_WRITE:
        memcpy(w->buf, buf, n);
        rc = tide_reactor_write_file(r, m->fd, w->buf, n, TIDE_FILE_POS, php_tide_op_done, w);
        break;
    default:
        rc = tide_reactor_fsync(r, m->fd, kind == IO_FDATASYNC, php_tide_op_done, w);
        break;
    }
    if (rc < 0) {
        tide_free(w);
        *stock = true;
        return rc;
    }
    m->busy = tide_coro_current(TIDE_G(sched));
    ssize_t res;
    rc = php_tide_op_await(w, what, &res);
    if (m->closed) {
        /* Closed by another coroutine meanwhile: its buffers went with it. */
        tide_free(m);
        if (rc == 0)
            tide_free(w);
        errno = EBADF;
        return rc < 0 ? rc : -EBADF;
    }
    m->busy = NULL;
    if (rc < 0)
        return rc;
    if (kind == IO_READ && res > 0)
        memcpy(buf, w->buf, (size_t)res);
    tide_free(w);
    if (res < 0)
        errno = (int)-res;
    return res;
}

/* ---- PHP's stdio operations, with the hook in front ---- */

static ssize_t hook_read(php_stream *stream, char *buf, size_t count)
{
    bool err, stock;
    file_mark_t *m = hooked_file(stream, "fread()", &err);
    if (err)
        return -1;
    if (!m)
        return stock_stdio.read(stream, buf, count);
    ssize_t ret = file_op(m, IO_READ, buf, count, "fread()", &stock);
    if (stock)
        return stock_stdio.read(stream, buf, count);
    if (ret == TIDE_EKILLED)
        return -1;
    if (ret == 0) {
        stream->eof = 1;
    } else if (ret < 0) {
        int e = (int)-ret;
        if (e == EAGAIN || e == EWOULDBLOCK)
            return 0; /* as the stock read: not an error */
        php_error_docref(NULL, E_NOTICE, "Read of %zu bytes failed with errno=%d %s", count, e,
                         strerror(e));
        if (e != EBADF)
            stream->eof = 1;
        errno = e;
        return -1;
    }
    return ret;
}

static ssize_t hook_write(php_stream *stream, const char *buf, size_t count)
{
    bool err, stock;
    file_mark_t *m = hooked_file(stream, "fwrite()", &err);
    if (err)
        return -1;
    if (!m)
        return stock_stdio.write(stream, buf, count);
    ssize_t ret = file_op(m, IO_WRITE, (char *)buf, count, "fwrite()", &stock);
    if (stock)
        return stock_stdio.write(stream, buf, count);
    if (ret == TIDE_EKILLED)
        return -1;
    if (ret < 0) {
        int e = (int)-ret;
        if (e == EAGAIN || e == EWOULDBLOCK)
            return 0;
        php_error_docref(NULL, E_NOTICE, "Write of %zu bytes failed with errno=%d %s", count, e,
                         strerror(e));
        errno = e;
        return -1;
    }
    return ret;
}

static int hook_set_option(php_stream *stream, int option, int value, void *ptr)
{
    if (option == PHP_STREAM_OPTION_SYNC_API &&
        (value == PHP_STREAM_SYNC_FSYNC || value == PHP_STREAM_SYNC_FDSYNC)) {
        bool err, stock;
        const char *what = value == PHP_STREAM_SYNC_FSYNC ? "fsync()" : "fdatasync()";
        file_mark_t *m = hooked_file(stream, what, &err);
        if (err)
            return PHP_STREAM_OPTION_RETURN_ERR;
        if (m) {
            ssize_t ret = file_op(m, value == PHP_STREAM_SYNC_FSYNC ? IO_FSYNC
                                                                             : IO_FDATASYNC,
                                  NULL, 0, what, &stock);
            if (!stock)
                return ret == 0 ? PHP_STREAM_OPTION_RETURN_OK : PHP_STREAM_OPTION_RETURN_ERR;
        }
    }
    return stock_stdio.set_option(stream, option, value, ptr);
}

static int hook_cast(php_stream *stream, int castas, void **ret)
{
    /* Turned into a FILE*: stdio buffers it from now on, so the fd is not ours to read. */
    if (castas == PHP_STREAM_AS_STDIO && ret)
        unmark(stream);
    return stock_stdio.cast(stream, castas, ret);
}

static int hook_close(php_stream *stream, int close_handle)
{
    unmark(stream);
    return stock_stdio.close(stream, close_handle);
}

void php_tide_file_hooks_minit(void)
{
    tide_idmap_init(&marks);
    stock_wops = php_plain_files_wrapper.wops;
    file_wops = *stock_wops;
    file_wops.stream_opener = hook_opener;
    php_plain_files_wrapper.wops = &file_wops;
    stock_stdio = php_stream_stdio_ops;
    php_stream_stdio_ops.read = hook_read;
    php_stream_stdio_ops.write = hook_write;
    php_stream_stdio_ops.set_option = hook_set_option;
    php_stream_stdio_ops.cast = hook_cast;
    php_stream_stdio_ops.close = hook_close;
}

void php_tide_file_hooks_mshutdown(void)
{
    if (php_plain_files_wrapper.wops == &file_wops)
        php_plain_files_wrapper.wops = stock_wops;
    if (php_stream_stdio_ops.read == hook_read)
        php_stream_stdio_ops = stock_stdio;
    for (size_t i = 0; i < marks.cap; i++)
        if (marks.slots[i].id)
            tide_free(marks.slots[i].value);
    tide_idmap_destroy(&marks);
}

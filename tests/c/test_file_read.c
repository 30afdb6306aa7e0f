/* SPDX-License-Identifier: MIT */
/*
 * tide_reactor_read_file: reads of a file at an offset that do not block the loop
 * (IORING_OP_READ on io_uring, helper threads on epoll).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"
#include "tide/common.h"
#include "tide/reactor.h"

static void on_deadline(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(id);
    FAILF("deadline reached: %s", (const char *)udata);
}

static unsigned char pattern(size_t i)
{
    return (unsigned char)(i * 7 + i / 251);
}

/* A temporary file of size bytes of pattern(), already unlinked. */
static int temp_file(size_t size)
{
    char path[] = "/tmp/tide-read-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    unlink(path);
    unsigned char *data = malloc(size ? size : 1);
    for (size_t i = 0; i < size; i++)
        data[i] = pattern(i);
    size_t off = 0;
    while (off < size) {
        ssize_t n = write(fd, data + off, size - off);
        CHECK(n > 0);
        off += (size_t)n;
    }
    free(data);
    return fd;
}

typedef struct piece {
    uint64_t off;
    size_t len;
    unsigned char *buf;
    ssize_t res;
    int calls;
    int *done; /* counts finished pieces */
} piece_t;

static void on_piece(tide_reactor_t *r, void *udata, ssize_t res)
{
    TIDE_UNUSED(r);
    piece_t *p = udata;
    p->res = res;
    p->calls++;
    (*p->done)++;
}

static void check_piece(const piece_t *p, size_t file_size)
{
    CHECK_EQ(p->calls, 1);
    size_t want = p->off >= file_size ? 0 : file_size - p->off < p->len ? file_size - p->off : p->len;
    CHECK_EQ(p->res, want);
    for (size_t i = 0; i < want; i++)
        if (p->buf[i] != pattern(p->off + i))
            FAILF("byte %zu of the piece at %llu: %u != %u", i, (unsigned long long)p->off,
                  p->buf[i], pattern(p->off + i));
}

REACTOR_TEST(read_file_reads_pieces_at_their_offsets_and_0_at_eof)
{
    tide_reactor_t *r = test_reactor(backend);
    size_t size = 300000;
    int fd = temp_file(size);
    int done = 0;
    piece_t pieces[] = {
        {0, 4096, NULL, 0, 0, &done},
        {4096, 100000, NULL, 0, 0, &done},
        {123457, 1, NULL, 0, 0, &done},
        {size - 1000, 4096, NULL, 0, 0, &done}, /* short: crosses the end */
        {size, 10, NULL, 0, 0, &done},          /* at the end: 0 */
        {size + 5000, 10, NULL, 0, 0, &done},   /* past it: 0 too */
        {77, 0, NULL, 0, 0, &done},             /* nothing asked: 0 */
    };
    size_t n = sizeof(pieces) / sizeof(pieces[0]);
    for (size_t i = 0; i < n; i++) {
        pieces[i].buf = malloc(pieces[i].len + 1);
        CHECK_EQ(tide_reactor_read_file(r, fd, pieces[i].buf, pieces[i].len, pieces[i].off,
                                        on_piece, &pieces[i]),
                 0);
    }
    CHECK(tide_reactor_alive(r)); /* the reads keep the loop alive */
    CHECK_EQ(done, 0);            /* never called back from inside the call */
    uint64_t guard = tide_timer_add(r, 10000, 0, on_deadline, "the reads");
    tide_timer_unref(r, guard);
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 0);
    CHECK_EQ(done, (int)n);
    for (size_t i = 0; i < n; i++) {
        check_piece(&pieces[i], size);
        free(pieces[i].buf);
    }
    close(fd);
    tide_reactor_destroy(r);
}

REACTOR_TEST(read_file_reports_errors)
{
    tide_reactor_t *r = test_reactor(backend);
    char buf[16];
    int done = 0;
    CHECK_EQ(tide_reactor_read_file(r, -1, buf, sizeof(buf), 0, on_piece, NULL), -EBADF);
    CHECK_EQ(tide_reactor_read_file(r, 0, buf, sizeof(buf), UINT64_MAX, on_piece, NULL), -EINVAL);
    CHECK(!tide_reactor_alive(r));

    /* A number that is not open: the kernel says so, through the callback. */
    int fd = fcntl(0, F_DUPFD_CLOEXEC, 900);
    CHECK(fd >= 900);
    close(fd);
    piece_t bad = {0, sizeof(buf), (unsigned char *)buf, 0, 0, &done};
    CHECK_EQ(tide_reactor_read_file(r, fd, buf, sizeof(buf), 0, on_piece, &bad), 0);
    /* A directory: EISDIR. */
    int dir = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    CHECK(dir >= 0);
    piece_t isdir = {0, sizeof(buf), (unsigned char *)buf, 0, 0, &done};
    CHECK_EQ(tide_reactor_read_file(r, dir, buf, sizeof(buf), 0, on_piece, &isdir), 0);
    uint64_t guard = tide_timer_add(r, 5000, 0, on_deadline, "the reads");
    tide_timer_unref(r, guard);
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 0);
    CHECK_EQ(bad.calls, 1);
    CHECK_EQ(bad.res, -EBADF);
    CHECK_EQ(isdir.calls, 1);
    CHECK_EQ(isdir.res, -EISDIR);
    close(dir);
    tide_reactor_destroy(r);
}

REACTOR_TEST(read_file_many_reads_in_flight_complete)
{
    tide_reactor_t *r = test_reactor(backend);
    enum { N = 500, LEN = 4000 };
    size_t size = (size_t)N * LEN;
    int fd = temp_file(size);
    static piece_t pieces[N];
    int done = 0;
    /* Out of order, all at once; more than the io_uring queue holds (256). */
    for (int i = 0; i < N; i++) {
        int k = (i * 7) % N;
        pieces[i] = (piece_t){(uint64_t)k * LEN, LEN, malloc(LEN), 0, 0, &done};
        CHECK_EQ(tide_reactor_read_file(r, fd, pieces[i].buf, LEN, pieces[i].off, on_piece,
                                        &pieces[i]),
                 0);
    }
    uint64_t guard = tide_timer_add(r, 10000, 0, on_deadline, "the reads");
    tide_timer_unref(r, guard);
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 0);
    CHECK_EQ(done, N);
    for (int i = 0; i < N; i++) {
        check_piece(&pieces[i], size);
        free(pieces[i].buf);
    }
    close(fd);
    tide_reactor_destroy(r);
}

static int destroying;

static void not_after_destroy(tide_reactor_t *r, void *udata, ssize_t res)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(udata);
    if (destroying)
        FAILF("a read's callback ran in destroy (res %zd)", res);
}

/* Under ASan: nothing leaks, no callback runs in destroy, nothing is read after. */
REACTOR_TEST(read_file_destroy_with_reads_pending)
{
    tide_reactor_t *r = test_reactor(backend);
    enum { N = 64, LEN = 65536 };
    int fd = temp_file((size_t)N * LEN);
    unsigned char *bufs[N];
    for (int i = 0; i < N; i++) {
        bufs[i] = malloc(LEN);
        CHECK_EQ(tide_reactor_read_file(r, fd, bufs[i], LEN, (uint64_t)i * LEN, not_after_destroy,
                                        NULL),
                 0);
    }
    tide_reactor_run(r, TIDE_RUN_NOWAIT); /* some done, some in progress, some queued */
    destroying = 1;
    tide_reactor_destroy(r);
    for (int i = 0; i < N; i++)
        free(bufs[i]);
    close(fd);
}

static int fifo_open(char *dir, char *path, size_t path_len)
{
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, path_len, "%s/f", dir);
    CHECK_EQ(mkfifo(path, 0600), 0);
    /* O_RDWR: the open does not wait for a writer, and the read has one (us), so it waits
     * for bytes rather than seeing EOF. */
    int ff = open(path, O_RDWR | O_CLOEXEC);
    CHECK(ff >= 0);
    return ff;
}

static void count_done(tide_reactor_t *r, void *udata, ssize_t res)
{
    TIDE_UNUSED(r);
    CHECK(res > 0);
    (*(int *)udata)++;
}

/* A read that waits forever (a FIFO nobody writes to) does not make destroy wait forever,
 * and is really over when destroy returns. */
REACTOR_TEST(read_file_destroy_ends_a_read_that_waits)
{
    tide_reactor_t *r = test_reactor(backend);
    char dir[] = "/tmp/tide-fifo-XXXXXX", path[64];
    int ff = fifo_open(dir, path, sizeof(path));
    static unsigned char fbuf[16];
    CHECK_EQ(tide_reactor_read_file(r, ff, fbuf, sizeof(fbuf), 0, not_after_destroy, NULL), 0);
    /* Reads asked for after it all finish: by then the FIFO read is in progress (on epoll
     * a helper took it first and waits in read()). */
    enum { N = 8 };
    int fd = temp_file(4096), done = 0;
    static char bufs[N][512];
    for (int i = 0; i < N; i++)
        CHECK_EQ(tide_reactor_read_file(r, fd, bufs[i], sizeof(bufs[i]), 0, count_done, &done), 0);
    uint64_t guard = tide_timer_add(r, 5000, 0, on_deadline, "the file reads");
    while (done < N)
        CHECK(tide_reactor_run(r, TIDE_RUN_ONCE) >= 0);
    tide_timer_cancel(r, guard);
    CHECK(tide_reactor_alive(r)); /* the FIFO read */

    uint64_t before = tide_time_ns();
    destroying = 1;
    tide_reactor_destroy(r);
    CHECK(tide_time_ns() - before < 5000000000ull);
    /* Over, not just forgotten: what is written now stays in the FIFO for us. */
    CHECK_EQ(write(ff, "late", 4), 4);
    fcntl(ff, F_SETFL, O_NONBLOCK);
    char late[8];
    CHECK_EQ(read(ff, late, sizeof(late)), 4);
    CHECK(memcmp(late, "late", 4) == 0);
    for (size_t i = 0; i < sizeof(fbuf); i++)
        CHECK_EQ(fbuf[i], 0);
    close(fd);
    close(ff);
    unlink(path);
    rmdir(dir);
}

/* ---- the loop goes on while a read waits ---- */

typedef struct slow {
    int fifo_fd;
    int timer_fired;  /* 1 once the timer ran */
    int read_done;    /* 1 once the FIFO read called back */
    int fired_before; /* the timer ran before the FIFO read ended */
    ssize_t res;
    char buf[64];
    piece_t file;     /* a read of a regular file behind the slow one */
    int file_done;
    int file_before;  /* the file read ended while the FIFO read still waited */
} slow_t;

static void on_fifo_read(tide_reactor_t *r, void *udata, ssize_t res)
{
    TIDE_UNUSED(r);
    slow_t *s = udata;
    s->res = res;
    s->read_done = 1;
    s->fired_before = s->timer_fired;
}

static void on_file_behind(tide_reactor_t *r, void *udata, ssize_t res)
{
    TIDE_UNUSED(r);
    slow_t *s = udata;
    s->file.res = res;
    s->file.calls++;
    s->file_done = 1;
    s->file_before = !s->read_done;
}

static void feed_fifo(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(id);
    slow_t *s = udata;
    s->timer_fired = 1;
    CHECK_EQ(write(s->fifo_fd, "hello", 5), 5);
}

static void wait_for_file(tide_reactor_t *r, void *udata, uint64_t id)
{
    slow_t *s = udata;
    if (s->file_done) {
        tide_timer_cancel(r, id);
        /* Only now is the FIFO fed: its read waited all along. */
        tide_timer_add(r, 1, 0, feed_fifo, s);
    }
}

REACTOR_TEST(read_file_of_a_slow_source_leaves_the_loop_running)
{
    tide_reactor_t *r = test_reactor(backend);
    char dir[] = "/tmp/tide-fifo-XXXXXX", path[64];
    slow_t s = {0};
    s.fifo_fd = fifo_open(dir, path, sizeof(path));
    CHECK_EQ(tide_reactor_read_file(r, s.fifo_fd, s.buf, sizeof(s.buf), 0, on_fifo_read, &s), 0);

    /* A read of a regular file asked for after it does not wait for it. */
    size_t size = 8192;
    int fd = temp_file(size);
    int unused = 0;
    s.file = (piece_t){100, 1000, malloc(1000), 0, 0, &unused};
    CHECK_EQ(tide_reactor_read_file(r, fd, s.file.buf, 1000, 100, on_file_behind, &s), 0);

    /* Polled every millisecond: the timer runs while the FIFO read waits. */
    tide_timer_add(r, 1, 1, wait_for_file, &s);
    uint64_t guard = tide_timer_add(r, 10000, 0, on_deadline, "the FIFO read");
    tide_timer_unref(r, guard);
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 0);
    CHECK(s.file_done && s.file_before);
    check_piece(&s.file, size);
    CHECK(s.read_done && s.fired_before);
    CHECK_EQ(s.res, 5);
    CHECK(memcmp(s.buf, "hello", 5) == 0);
    free(s.file.buf);
    close(fd);
    close(s.fifo_fd);
    unlink(path);
    rmdir(dir);
    tide_reactor_destroy(r);
}

/* A child forked while reads are in flight: its copy refuses new reads and its destroy
 * does not wait for the parent's helpers (which it does not have). */
REACTOR_TEST(read_file_in_a_forked_child)
{
    tide_reactor_t *r = test_reactor(backend);
    int fd = temp_file(4096);
    static char buf[4096];
    int done = 0;
    piece_t p = {0, sizeof(buf), (unsigned char *)buf, 0, 0, &done};
    CHECK_EQ(tide_reactor_read_file(r, fd, buf, sizeof(buf), 0, on_piece, &p), 0);
    tide_reactor_run(r, TIDE_RUN_NOWAIT);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        alarm(5);
        char b[16];
        if (tide_reactor_read_file(r, fd, b, sizeof(b), 0, on_piece, &p) != TIDE_EFORKED)
            _exit(3);
        tide_reactor_destroy(r);
        _exit(0);
    }
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    uint64_t guard = tide_timer_add(r, 5000, 0, on_deadline, "the read");
    tide_timer_unref(r, guard);
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 0);
    check_piece(&p, 4096);
    close(fd);
    tide_reactor_destroy(r);
}

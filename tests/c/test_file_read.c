/* SPDX-License-Identifier: MIT */
/*
 * tide_reactor_read_file/write_file/fsync and tide_reactor_work: file ops and blocking work
 * that do not block the loop (IORING_OP_READ/WRITE/FSYNC on io_uring, helper threads).
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
    CHECK_EQ(tide_reactor_read_file(r, 0, buf, sizeof(buf), UINT64_MAX - 1, on_piece, NULL), -EINVAL);
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

/* ---- writes, syncs, and reads at the file's position ---- */

typedef struct step {
    ssize_t res;
    int calls;
} step_t;

static void on_step(tide_reactor_t *r, void *udata, ssize_t res)
{
    TIDE_UNUSED(r);
    step_t *s = udata;
    s->res = res;
    s->calls++;
}

/* Runs the loop until the op with step s has called back, within 5 s. */
static ssize_t finish(tide_reactor_t *r, step_t *s)
{
    uint64_t guard = tide_timer_add(r, 5000, 0, on_deadline, "a file op");
    while (!s->calls)
        CHECK(tide_reactor_run(r, TIDE_RUN_ONCE) >= 0);
    tide_timer_cancel(r, guard);
    CHECK_EQ(s->calls, 1);
    return s->res;
}

REACTOR_TEST(write_file_at_offsets_at_the_position_and_appending)
{
    tide_reactor_t *r = test_reactor(backend);
    int fd = temp_file(0);
    step_t s = {0};
    CHECK_EQ(tide_reactor_write_file(r, fd, "hello", 5, TIDE_FILE_POS, on_step, &s), 0);
    CHECK_EQ(finish(r, &s), 5);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 5); /* the position moved, as write(2)'s */
    s = (step_t){0};
    CHECK_EQ(tide_reactor_write_file(r, fd, " world", 6, TIDE_FILE_POS, on_step, &s), 0);
    CHECK_EQ(finish(r, &s), 6);
    s = (step_t){0};
    CHECK_EQ(tide_reactor_write_file(r, fd, "J", 1, 0, on_step, &s), 0); /* pwrite */
    CHECK_EQ(finish(r, &s), 1);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 11);
    char buf[32] = {0};
    CHECK_EQ(pread(fd, buf, sizeof(buf), 0), 11);
    CHECK(strcmp(buf, "Jello world") == 0);

    /* Reads at the position follow it too. */
    CHECK_EQ(lseek(fd, 6, SEEK_SET), 6);
    memset(buf, 0, sizeof(buf));
    s = (step_t){0};
    CHECK_EQ(tide_reactor_read_file(r, fd, buf, 3, TIDE_FILE_POS, on_step, &s), 0);
    CHECK_EQ(finish(r, &s), 3);
    CHECK(strcmp(buf, "wor") == 0);
    CHECK_EQ(lseek(fd, 0, SEEK_CUR), 9);

    s = (step_t){0};
    CHECK_EQ(tide_reactor_fsync(r, fd, false, on_step, &s), 0);
    CHECK_EQ(finish(r, &s), 0);
    s = (step_t){0};
    CHECK_EQ(tide_reactor_fsync(r, fd, true, on_step, &s), 0);
    CHECK_EQ(finish(r, &s), 0);
    close(fd);

    /* O_APPEND: every write lands at the end, whatever the position. */
    char path[] = "/tmp/tide-append-XXXXXX";
    int w = mkstemp(path);
    CHECK(w >= 0);
    CHECK_EQ(write(w, "abc", 3), 3);
    close(w);
    int a = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
    unlink(path);
    CHECK(a >= 0);
    CHECK_EQ(lseek(a, 0, SEEK_SET), 0);
    s = (step_t){0};
    CHECK_EQ(tide_reactor_write_file(r, a, "de", 2, TIDE_FILE_POS, on_step, &s), 0);
    CHECK_EQ(finish(r, &s), 2);
    CHECK_EQ(lseek(a, 0, SEEK_END), 5);

    /* Errors are the system call's: a file opened for writing only cannot be read. */
    s = (step_t){0};
    CHECK_EQ(tide_reactor_read_file(r, a, buf, 4, TIDE_FILE_POS, on_step, &s), 0);
    CHECK_EQ(finish(r, &s), -EBADF);
    close(a);
    CHECK_EQ(tide_reactor_write_file(r, -1, "x", 1, 0, on_step, &s), -EBADF);
    CHECK_EQ(tide_reactor_write_file(r, 1, "x", 1, UINT64_MAX - 1, on_step, &s), -EINVAL);
    CHECK_EQ(tide_reactor_fsync(r, -1, false, on_step, &s), -EBADF);
    tide_reactor_destroy(r);
}

/* ---- work on the helper threads ---- */

typedef struct sleeper {
    int fd;      /* the work waits until a byte can be read here */
    int started; /* a pipe it writes to first, or -1 */
    int ran;
} sleeper_t;

static ssize_t wait_for_byte(void *arg)
{
    sleeper_t *s = arg;
    if (s->started >= 0 && write(s->started, "s", 1) != 1)
        return -EIO;
    char c;
    ssize_t n = read(s->fd, &c, 1);
    s->ran++;
    return n == 1 ? 40 + c - '0' : -EIO;
}

static void on_tick(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(id);
    int *p = udata; /* the pipe's write end: the loop ran while the work waited */
    CHECK_EQ(write(*p, "2", 1), 1);
}

/* The loop keeps running while a work blocks (here, until a timer of the loop's own
 * unblocks it), and the work's result reaches the callback on the loop thread. */
REACTOR_TEST(work_runs_off_the_loop_and_calls_back_on_it)
{
    tide_reactor_t *r = test_reactor(backend);
    int p[2];
    CHECK_EQ(pipe(p), 0);
    sleeper_t sl = {.fd = p[0], .started = -1};
    step_t s = {0};
    CHECK_EQ(tide_reactor_work(r, wait_for_byte, &sl, on_step, &s), 0);
    tide_timer_add(r, 20, 0, on_tick, &p[1]);
    CHECK_EQ(finish(r, &s), 42);
    CHECK_EQ(sl.ran, 1);
    CHECK_EQ(tide_reactor_work(r, NULL, NULL, on_step, &s), -EINVAL);
    close(p[0]);
    close(p[1]);
    tide_reactor_destroy(r);
}

static ssize_t count_up(void *arg)
{
    __atomic_fetch_add((int *)arg, 1, __ATOMIC_RELAXED);
    return 1;
}

/* Many works at once all run, on at most a few threads. */
REACTOR_TEST(work_many_at_once_all_run)
{
    tide_reactor_t *r = test_reactor(backend);
    enum { N = 200 };
    int ran = 0;
    step_t s[N];
    memset(s, 0, sizeof(s));
    for (int i = 0; i < N; i++)
        CHECK_EQ(tide_reactor_work(r, count_up, &ran, on_step, &s[i]), 0);
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 0); /* returns when all called back */
    for (int i = 0; i < N; i++)
        CHECK(s[i].calls == 1 && s[i].res == 1);
    CHECK_EQ(__atomic_load_n(&ran, __ATOMIC_RELAXED), N);
    tide_reactor_destroy(r);
}

/* Destroy waits for a work that runs (it is not cancelled: it may hold libc's locks) and
 * drops queued ones without calling back. */
REACTOR_TEST(work_destroy_waits_for_a_running_one)
{
    tide_reactor_t *r = test_reactor(backend);
    int p[2];
    CHECK_EQ(pipe(p), 0);
    int started[2];
    CHECK_EQ(pipe(started), 0);
    sleeper_t sl = {.fd = p[0], .started = started[1]};
    CHECK_EQ(tide_reactor_work(r, wait_for_byte, &sl, not_after_destroy, NULL), 0);
    CHECK_EQ(tide_reactor_work(r, count_up, &sl.ran, not_after_destroy, NULL), 0);
    char c;
    CHECK_EQ(read(started[0], &c, 1), 1); /* running now */
    /* Unblock it from another process after a moment: destroy must wait that long. */
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        usleep(100000);
        _exit(write(p[1], "1", 1) == 1 ? 0 : 1);
    }
    uint64_t before = tide_time_ns();
    destroying = 1;
    tide_reactor_destroy(r);
    destroying = 0;
    CHECK(sl.ran >= 1); /* it finished before destroy returned (the count_up may have run) */
    CHECK(tide_time_ns() - before < 5000000000ull);
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    close(p[0]);
    close(p[1]);
    close(started[0]);
    close(started[1]);
}

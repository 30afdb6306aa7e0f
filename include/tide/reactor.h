/* SPDX-License-Identifier: MIT */
/*
 * The reactor: one event loop per thread, one interface, two backends.
 *
 * The interface is completion-based (you ask for an operation and a callback tells you how
 * it ended), which io_uring does natively and the epoll backend emulates with readiness and
 * non-blocking system calls. Every callback runs on the loop's thread, from inside
 * tide_reactor_run(), never from inside the call that started the operation.
 *
 * Per file descriptor there is at most one reader (an accept or a recv watch) and any number
 * of queued writes, which reach the socket in the order they were asked for.
 *
 * Lifetimes: the reactor owns every tide_op_t. A repeating operation (accept, recv, signal)
 * lives until tide_reactor_cancel(); after that call its callback never runs again and the
 * reactor frees it once the kernel is done with it. An accept watch may instead end with
 * tide_reactor_accept_stop(), which calls back a last time with -ECANCELED. One-shot
 * operations (send, writev, close, read_file) free themselves after their callback.
 */
#ifndef TIDE_REACTOR_H
#define TIDE_REACTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "tide/heap.h"

typedef struct tide_reactor tide_reactor_t;
typedef struct tide_op tide_op_t;

typedef enum tide_backend {
    TIDE_BACKEND_AUTO = 0, /* io_uring where the kernel allows it, else epoll */
    TIDE_BACKEND_URING,
    TIDE_BACKEND_EPOLL,
} tide_backend_t;

/* "auto", "io_uring" (or "uring") and "epoll"; 0 or TIDE_EBACKEND. */
int tide_backend_parse(const char *name, tide_backend_t *out);
const char *tide_backend_name(tide_backend_t b);

typedef struct tide_reactor_opts {
    tide_backend_t backend;
    unsigned entries; /* io_uring submission queue size; 0 = 256 */
} tide_reactor_opts_t;

/* What the running kernel gave us (filled by the io_uring backend's probes). */
typedef struct tide_reactor_features {
    bool multishot_accept; /* Linux 5.19 */
    bool multishot_recv;   /* Linux 6.0, with a registered buffer ring */
    bool buf_ring;         /* provided-buffer ring registered (5.19) */
    bool defer_taskrun;    /* IORING_SETUP_DEFER_TASKRUN (6.1) */
    bool single_issuer;    /* IORING_SETUP_SINGLE_ISSUER (6.0) */
} tide_reactor_features_t;

/*
 * Creates a reactor. With TIDE_BACKEND_AUTO, an io_uring that cannot be set up (old kernel,
 * kernel.io_uring_disabled, a seccomp profile) falls back to epoll and logs one line saying
 * why. With TIDE_BACKEND_URING it fails instead with TIDE_ENOURING; `why` (may be NULL)
 * receives the reason in both cases.
 *
 * Environment, for tests and for kernels that misreport: TIDE_URING_NO_MULTISHOT=1 uses
 * single-shot accept/recv, TIDE_URING_NO_DEFER_TASKRUN=1 sets up the ring without
 * DEFER_TASKRUN/SINGLE_ISSUER, TIDE_URING_RECV_BUFFERS=N (a power of two) sizes the recv
 * buffer ring (default 256 x 16 KiB).
 */
int tide_reactor_create(tide_reactor_t **out, const tide_reactor_opts_t *opts, char *why,
                        size_t why_len);
/*
 * Cancels everything, closes the backend and frees all ops and timers (no callbacks run).
 * File reads in progress (tide_reactor_read_file) are over when it returns, since they
 * write into their callers' buffers: one of a file is waited for, one that waits on a pipe
 * or FIFO is interrupted; their callbacks do not run either. Signal dispositions go back
 * to what they were before the watches.
 */
void tide_reactor_destroy(tide_reactor_t *r);

/* Which backend `requested` would give on this machine, without keeping anything open. */
tide_backend_t tide_reactor_probe(tide_backend_t requested, char *why, size_t why_len);

tide_backend_t tide_reactor_backend(const tide_reactor_t *r);
const tide_reactor_features_t *tide_reactor_features(const tide_reactor_t *r);

/* ---- running ---- */

typedef enum tide_run_mode {
    TIDE_RUN_DEFAULT = 0, /* until tide_reactor_stop() or nothing keeps the loop alive */
    TIDE_RUN_ONCE,        /* one turn; blocks for events if something is alive */
    TIDE_RUN_NOWAIT,      /* one turn; never blocks */
} tide_run_mode_t;

/*
 * Runs the loop. Returns 1 if something is still alive (more to do), 0 if not, or a
 * negative error if the backend failed. What keeps the loop alive: referenced timers and
 * ops (accept, recv, signal watches, writes and closes in flight).
 *
 * fork(): a reactor belongs to the process that made it (the ring and the epoll set are
 * shared with the child). In a child, tide_reactor_run() returns TIDE_EFORKED at once, or
 * as soon as the callback that forked returns, without touching the kernel objects; the
 * child should destroy its copy (which only closes its own descriptors) and make its own.
 */
int tide_reactor_run(tide_reactor_t *r, tide_run_mode_t mode);
/* True in a child process forked after the reactor was made. */
bool tide_reactor_forked(const tide_reactor_t *r);
/* Bumped in every forked child (pthread_atfork): a cheap "did we fork since?" check. */
extern unsigned tide__fork_gen;
static inline unsigned tide_fork_generation(void)
{
    return __atomic_load_n(&tide__fork_gen, __ATOMIC_RELAXED);
}
/* Makes tide_reactor_run() return after the current turn. Loop thread only. */
void tide_reactor_stop(tide_reactor_t *r);
/* While *pending is non-zero (a scheduler's run queue), the loop polls without blocking.
 * NULL turns it off. */
void tide_reactor_set_pending(tide_reactor_t *r, const size_t *pending);
/* True while something keeps the loop alive. */
bool tide_reactor_alive(const tide_reactor_t *r);

/* Monotonic time in nanoseconds, as the loop last read it (updated every turn). */
uint64_t tide_reactor_now(const tide_reactor_t *r);
/* A fresh CLOCK_MONOTONIC reading in nanoseconds. */
uint64_t tide_time_ns(void);
/* Wall-clock seconds, read as PHP's time() reads them. time(2) reads a coarse clock that
 * lags CLOCK_REALTIME by up to a tick: a connect_time taken with it could precede a time()
 * the application read before connecting. */
uint64_t tide_unix_time(void);
/* The same in microseconds. */
uint64_t tide_unix_time_us(void);

/* Hands the kernel the operations queued so far (io_uring: submits the ring) without
 * waiting: for a caller about to block the loop that wants its writes to go out first. */
void tide_reactor_submit(tide_reactor_t *r);

/* ---- I/O ---- */

/* fd is >= 0 on success, or a negative errno (EMFILE, ENFILE...). -ECANCELED comes only
 * once, as the last call after tide_reactor_accept_stop(). */
typedef void (*tide_accept_cb)(tide_reactor_t *r, void *udata, int fd);
/*
 * n > 0: n bytes at data, valid only during the call (the buffer goes back to the kernel
 * after it); n == 0: the peer closed; n < 0: -errno. After n <= 0 the watch has ended: the
 * reactor frees its op at the end of the turn, so do not cancel or touch it.
 */
typedef void (*tide_recv_cb)(tide_reactor_t *r, void *udata, const char *data, ssize_t n);
/* res: total bytes written, 0 for a close, bytes read for read_file, or -errno. */
typedef void (*tide_done_cb)(tide_reactor_t *r, void *udata, ssize_t res);
typedef void (*tide_signal_cb)(tide_reactor_t *r, void *udata, int signo);
typedef void (*tide_wake_cb)(tide_reactor_t *r, void *udata);
typedef void (*tide_poll_cb)(tide_reactor_t *r, void *udata, int fd);

/*
 * Accepts connections on the listening socket lfd until cancelled; new sockets are
 * non-blocking and close-on-exec. Returns NULL with *err set if lfd has a reader already.
 * Errors reach cb as a negative fd and the watch goes on. After EMFILE, ENFILE, ENOBUFS or
 * ENOMEM (nothing can be accepted until something is freed) the watch pauses for 100 ms
 * before it tries again, instead of failing again on every loop turn.
 */
tide_op_t *tide_reactor_accept(tide_reactor_t *r, int lfd, tide_accept_cb cb, void *udata,
                               int *err);
/*
 * Stops an accept watch gracefully: no new accept is armed; a connection the kernel had
 * already accepted for this watch (a completion not yet reaped, or one that completes while
 * the cancel is on its way) is still handed to cb with its fd; then cb runs once more with
 * -ECANCELED, after which the op is gone and cb never runs again. That last call comes
 * from the loop (never from inside this call), on this turn or a later one; until then the
 * op keeps the loop alive (unless unreferenced). Connections still in the backlog stay
 * there, and so do clients that connect after this call returns: accept them with
 * accept4() after this call, or let them go with lfd. The watch leaves lfd at once (lfd may
 * be closed, or get a new reader). tide_reactor_cancel() on a stopping op ends it at once:
 * fds accepted from then on are closed, and cb does not run again. Calling this again, or
 * on a cancelled op, or on a forked child's copy, does nothing.
 */
void tide_reactor_accept_stop(tide_reactor_t *r, tide_op_t *op);
/*
 * Reads from fd until cancelled, EOF or an error. fd must be non-blocking.
 * Cancelling loses nothing: bytes the kernel had already taken for a cancelled io_uring
 * recv go to the fd's next reader (pause, then resume, sees every byte in order). They are
 * dropped by tide_reactor_close(), and never reach a different socket that got the same
 * fd number after a plain close(2).
 */
tide_op_t *tide_reactor_recv(tide_reactor_t *r, int fd, tide_recv_cb cb, void *udata, int *err);

/*
 * Work deferred to the end of the loop turn, right before the loop waits (or submits):
 * a writer that gathers what a turn produces and sends it as one write. The caller embeds
 * the node (zeroed, cb and udata set); queuing a queued node does nothing. A queued node
 * keeps the loop alive.
 */
typedef struct tide_defer {
    struct tide_defer *next;
    void (*cb)(tide_reactor_t *r, void *udata);
    void *udata;
    bool queued;
} tide_defer_t;
void tide_reactor_defer(tide_reactor_t *r, tide_defer_t *d);
void tide_reactor_undefer(tide_reactor_t *r, tide_defer_t *d);

/*
 * Calls cb whenever fd becomes readable, until cancelled; the owner does the reading
 * (recvmsg for datagrams with their sender, or with SCM_RIGHTS), and must read until
 * EAGAIN each time: on io_uring the watch is edge-triggered (a multishot poll), on epoll
 * level-triggered. fd must be non-blocking. It is the fd's one reader.
 */
tide_op_t *tide_reactor_poll(tide_reactor_t *r, int fd, tide_poll_cb cb, void *udata, int *err);
/*
 * The same for writability: cb whenever fd can be written to, until cancelled (a socket
 * its owner writes itself, and waits for room in). It takes the fd's reader place: the fd
 * has no other reader, and no writes queued on the reactor.
 */
tide_op_t *tide_reactor_poll_out(tide_reactor_t *r, int fd, tide_poll_cb cb, void *udata,
                                 int *err);

/*
 * Writes all of buf (retrying short writes) after every write queued before it on fd.
 * buf must stay valid until cb runs; cb may be NULL. 0 or -errno.
 */
int tide_reactor_send(tide_reactor_t *r, int fd, const void *buf, size_t len, tide_done_cb cb,
                      void *udata);
/* The same for an iovec array (copied; the buffers themselves must stay valid). */
int tide_reactor_writev(tide_reactor_t *r, int fd, const struct iovec *iov, int iovcnt,
                        tide_done_cb cb, void *udata);
/*
 * Closes fd after its queued writes are done, ending its reader first (its callback
 * does not run again). cb may be NULL.
 */
int tide_reactor_close(tide_reactor_t *r, int fd, tide_done_cb cb, void *udata);

/*
 * Reads up to len bytes of the file fd at offset without blocking the loop, and calls
 * cb(r, udata, res) on the loop thread with the number of bytes read (0 at end of file)
 * or -errno. On io_uring it is an IORING_OP_READ (the kernel finishes a read that would
 * block in its own workers); on epoll a helper thread of the reactor does a pread().
 * On a pipe or FIFO there is no offset: the bytes come from where the stream is. buf must
 * stay valid until cb runs, or until tide_reactor_destroy() returns. At most 0x7ffff000
 * bytes are read at once (Linux's limit for one read). The read keeps the loop alive;
 * it cannot be cancelled. Reads on one fd are independent: several may run at once, and
 * finish in any order. cb may be NULL. 0, -EBADF for fd < 0, -EINVAL for an offset past
 * INT64_MAX, TIDE_EFORKED in a forked child, or another -errno (no helper thread).
 */
int tide_reactor_read_file(tide_reactor_t *r, int fd, void *buf, size_t len, uint64_t offset,
                           tide_done_cb cb, void *udata);

/* As an offset: at the file's own position, which the read or write moves (read(2) and
 * write(2), not pread/pwrite); a file opened with O_APPEND is written at its end. */
#define TIDE_FILE_POS UINT64_MAX

/*
 * The same for writing len bytes of buf (one write: res may be short, as write(2)'s), and
 * for fsync(2) (datasync: fdatasync(2); res 0). On io_uring IORING_OP_WRITE/FSYNC, on
 * epoll a helper thread. Reads and writes accept TIDE_FILE_POS as the offset.
 */
int tide_reactor_write_file(tide_reactor_t *r, int fd, const void *buf, size_t len,
                            uint64_t offset, tide_done_cb cb, void *udata);
int tide_reactor_fsync(tide_reactor_t *r, int fd, bool datasync, tide_done_cb cb, void *udata);

/*
 * Runs fn(arg) on a helper thread of the reactor (both backends), and then cb(r, udata,
 * fn's result) on the loop thread: blocking work that no system call of the ring does
 * (getaddrinfo). fn runs with every signal blocked and must not touch the loop. It cannot
 * be cancelled: tide_reactor_destroy() waits for a work that runs (so it should end by
 * itself, as a resolver's timeouts make it) and drops queued ones without calling back;
 * arg must stay valid until cb runs or destroy returns. 0, TIDE_EFORKED, or -errno (no
 * helper thread).
 */
typedef ssize_t (*tide_work_fn)(void *arg);
int tide_reactor_work(tide_reactor_t *r, tide_work_fn fn, void *arg, tide_done_cb cb,
                      void *udata);

/* Stops a repeating op (accept, recv, signal) at once. Safe from inside its own callback. */
void tide_reactor_cancel(tide_reactor_t *r, tide_op_t *op);
/* An unreferenced op does not keep tide_reactor_run() alive (a server's signal watch). */
void tide_reactor_unref(tide_reactor_t *r, tide_op_t *op);
/* Undoes tide_reactor_unref(): the op keeps the loop alive again (a watch kept armed
 * between waits, referenced while someone waits on it). */
void tide_reactor_ref(tide_reactor_t *r, tide_op_t *op);

/*
 * Calls cb on the loop thread whenever signal signo arrives. A sigaction handler (with
 * SA_RESTART) catches it, notes it and wakes the loop; the signal is never blocked, so
 * processes started later (exec, posix_spawn, popen) begin with the default mask and, since
 * a caught signal resets to SIG_DFL across execve, the default disposition. Signals of one
 * number that arrive before the loop gets to them run cb once (as with signalfd); different
 * numbers run in ascending order.
 *
 * One watch per signal number in the whole process (-EBUSY for a second one, also from
 * another reactor); -EINVAL for SIGKILL, SIGSTOP and the numbers glibc keeps for itself.
 * If the calling thread has signo blocked, the watch unblocks it for that thread (a
 * pending one arrives then) and cancelling blocks it again. Not being blocked, a watched
 * signal interrupts the calls SA_RESTART does not restart (nanosleep, poll, epoll_wait...)
 * in the thread that takes it, with EINTR.
 *
 * fork(): a child forked without exec inherits the handler but not the watch. There the
 * handler puts back the disposition from before the watch and raises the signal again, so
 * the child acts as if no watch existed (SIGTERM ends it); the parent's loop never hears
 * of it. The child may make its own watch for that number, on a reactor of its own
 * (TIDE_EFORKED on the parent's copy).
 *
 * Cancelling the watch (or destroying the reactor) puts back the disposition from before
 * the watch, unless one was set since (signal(signo, SIG_IGN) before the cancel stays).
 */
tide_op_t *tide_reactor_signal(tide_reactor_t *r, int signo, tide_signal_cb cb, void *udata,
                               int *err);

/*
 * Wake-up from any thread: tide_reactor_wake() makes the loop return from its wait and run
 * the callback set with tide_reactor_on_wake() (several wakes may run it once).
 */
void tide_reactor_on_wake(tide_reactor_t *r, tide_wake_cb cb, void *udata);
void tide_reactor_wake(tide_reactor_t *r);

/*
 * A callback once per loop turn, which does not keep the loop alive and does not make it
 * poll without blocking: `before` true, right before the loop waits for events (after the
 * deferred work); false, at the end of the turn (after its events and timers). One of each per reactor;
 * cb NULL removes it. For Tide\Event::cycle().
 */
void tide_reactor_on_turn(tide_reactor_t *r, bool before, tide_wake_cb cb, void *udata);

/* ---- timers (a min-heap; equal deadlines fire in the order they were added) ---- */

typedef void (*tide_timer_cb)(tide_reactor_t *r, void *udata, uint64_t id);

/*
 * Fires cb after ms milliseconds, then every interval_ms if interval_ms > 0. Returns the
 * timer's id (> 0, unique in the process across all its reactors, never reused). A
 * one-shot timer is removed before its callback runs.
 */
uint64_t tide_timer_add(tide_reactor_t *r, uint64_t ms, uint64_t interval_ms, tide_timer_cb cb,
                        void *udata);
/* The same with nanoseconds (interval_ns 0: once). */
uint64_t tide_timer_add_ns(tide_reactor_t *r, uint64_t ns, uint64_t interval_ns,
                           tide_timer_cb cb, void *udata);
/* Removes a timer; false when no such timer exists. Safe from inside its own callback. */
bool tide_timer_cancel(tide_reactor_t *r, uint64_t id);
/* An unreferenced timer does not keep the loop alive. */
void tide_timer_unref(tide_reactor_t *r, uint64_t id);

/*
 * A timer the caller embeds in its own struct (no allocation, no id): for the scheduler's
 * per-coroutine timeouts. The fields are private. Start it with tide_timer_start(); it is
 * stopped when it fires (before cb runs) or by tide_timer_stop(). Zero it before first use.
 */
typedef struct tide_timer {
    tide_heap_node_t node; /* key = deadline (ns) */
    uint64_t id;           /* 0 for an embedded timer */
    uint64_t interval_ns;
    uint64_t exec_count;
    tide_timer_cb cb;
    void *udata;
    bool unref;
    bool cancelled; /* cancelled from inside its own callback */
} tide_timer_t;

/* Arms t to call cb(r, udata, 0) once, ns from now; t must not be armed. */
void tide_timer_start(tide_reactor_t *r, tide_timer_t *t, uint64_t ns, tide_timer_cb cb,
                      void *udata);
/* Disarms t if armed; true if it was. */
bool tide_timer_stop(tide_reactor_t *r, tide_timer_t *t);
static inline bool tide_timer_armed(const tide_timer_t *t)
{
    return t->node.index != SIZE_MAX;
}

typedef struct tide_timer_info {
    uint64_t interval_ms; /* 0 for a one-shot */
    uint64_t remaining_ns; /* until the next run */
    uint64_t exec_count;
    void *udata;
} tide_timer_info_t;

bool tide_timer_info(const tide_reactor_t *r, uint64_t id, tide_timer_info_t *out);
size_t tide_timer_count(const tide_reactor_t *r);

#endif

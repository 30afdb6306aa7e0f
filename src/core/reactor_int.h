/* SPDX-License-Identifier: MIT */
/*
 * What reactor.c shares with its two backends (uring.c, epoll.c). Not a public header.
 */
#ifndef TIDE_REACTOR_INT_H
#define TIDE_REACTOR_INT_H

#include <errno.h>
#include <signal.h>
#include <sys/socket.h>

#include "tide/heap.h"
#include "tide/idmap.h"
#include "tide/reactor.h"

enum op_kind {
    OP_ACCEPT,  /* reader: accept connections */
    OP_RECV,    /* reader: recv() from a socket */
    OP_READ,    /* reader, internal: read() from one of the reactor's eventfds */
    OP_POLL,    /* reader: tell the owner the fd is readable (it does the reading) */
    OP_SEND,    /* writer: sendmsg() of op->iov */
    OP_CLOSE,   /* writer: close() once the writes before it are done */
    OP_SIGNAL,  /* a signal watch (no kernel operation of its own) */
    OP_FILE,    /* a one-shot file read, write or sync, or work for a helper thread */
    OP_TIMEOUT, /* io_uring only: the loop's deadline */
    OP_CANCEL,  /* io_uring only: an ASYNC_CANCEL request (user_data of its CQE) */
};

enum op_flag {
    OPF_CANCELED = 1 << 0, /* the owner let go: never call back again */
    OPF_UNREF = 1 << 1,    /* does not keep the loop alive */
    OPF_INFLIGHT = 1 << 2, /* io_uring: a CQE is still to come */
    OPF_ENDED = 1 << 3,    /* a reader that reached EOF / error; freed by the backend */
    OPF_POLLING = 1 << 4,  /* io_uring: waiting in a POLL_ADD after -EAGAIN */
    OPF_NOSTASH = 1 << 5,  /* cancelled by a close: late bytes are dropped, not stashed */
    OPF_BACKOFF = 1 << 6,  /* accept: out of descriptors or memory, waiting before retrying */
    OPF_STOPPING = 1 << 7, /* accept: tide_reactor_accept_stop(), its -ECANCELED is to come */
    OPF_READY = 1 << 8,    /* a stopped accept whose -ECANCELED waits on the ready list */
    OPF_POLLOUT = 1 << 9,  /* OP_POLL: for writability (tide_reactor_poll_out) */
};

/* Internal reader callback for OP_READ: the bytes read from the eventfd. */
typedef void (*tide__read_cb)(tide_reactor_t *r, const char *data, ssize_t n);
/* Starts an internal reader (OP_READ) of an eventfd: unreferenced (it does not keep the
 * loop alive). NULL with *err set on failure. */
tide_op_t *tide__start_internal_reader(tide_reactor_t *r, int fd, tide__read_cb cb, int *err);

/* One operation. Owned by the reactor; see reactor.h for when it is freed. */
struct tide_op {
    tide_reactor_t *r;
    tide_op_t *next;                /* the fd's write queue, or the reactor's garbage list */
    tide_op_t *all_prev, *all_next; /* every live op, so destroy can free them */
    int fd;
    uint8_t kind;
    uint16_t flags;
    union {
        tide_accept_cb accept;
        tide_recv_cb recv;
        tide_done_cb done;
        tide_signal_cb signal;
        tide__read_cb read;
        tide_poll_cb poll;
    } cb;
    void *udata;

    /* OP_SEND: what is left to write, and what was written so far. */
    struct msghdr msg;
    struct iovec *iov; /* the part not yet written: into iov_small or iov_alloc */
    struct iovec *iov_alloc; /* owned; NULL when iov_small was enough */
    int iovcnt;
    struct iovec iov_small[2];
    size_t written;
    ssize_t res;          /* a result known early, delivered from the ready list */
    tide_op_t *ready_next; /* the reactor's ready list */

    /* OP_RECV: which file the number meant when the reader started (st_dev, st_ino). */
    uint64_t file_id[2];

    /* OP_RECV/OP_READ without a buffer ring: a private buffer for single-shot reads. */
    char *buf;
    size_t buf_len;

    /* OP_FILE: what to do, the caller's buffer (the work's argument), how much and where
     * (TIDE_FILE_POS: at the file's position); op->next links the helper-thread queues. */
    uint8_t file_kind; /* FILE_* */
    void *file_buf;
    size_t file_len;
    uint64_t file_off;
    tide_work_fn work;

    int signo; /* OP_SIGNAL */
    tide_timer_t backoff; /* OP_ACCEPT: the pause after EMFILE/ENFILE/ENOBUFS/ENOMEM */
};

/* Per file descriptor: the one reader and the queue of writes (head is in progress). */
typedef struct tide_fdent {
    tide_op_t *reader;
    tide_op_t *wq_head, *wq_tail;
    uint32_t ep_events; /* epoll: what is registered now; 0 = not in the epoll set */
    /* Bytes a cancelled io_uring recv took from the socket after the cancel was asked for
     * (the kernel had them in flight): handed to the fd's next reader, dropped on close. */
    char *stash;
    size_t stash_len;
    uint64_t stash_file[2]; /* the file the stashed bytes came from */
} tide_fdent_t;

/* tide_timer_t is declared in reactor.h (callers may embed one); id 0 = embedded. */

typedef struct tide_backend_ops {
    const char *name;
    int (*init)(tide_reactor_t *r, char *why, size_t why_len);
    void (*destroy)(tide_reactor_t *r);
    /* Starts a reader (accept/recv/read); 0 or -errno. */
    int (*start_reader)(tide_reactor_t *r, tide_op_t *op);
    /* The reader was cancelled: stop it; the backend frees op when safe (tide__op_free). */
    void (*cancel_reader)(tide_reactor_t *r, tide_op_t *op);
    /* An accept was stopped gracefully (tide_reactor_accept_stop): arm nothing new, hand
     * over what the kernel accepted already, then tide__accept_end() (or
     * tide__accept_end_later()). */
    void (*stop_reader)(tide_reactor_t *r, tide_op_t *op);
    /* Starts an OP_FILE op (not FILE_WORK, which goes to the helper threads);
     * tide__file_done() when it is over. 0 or -errno. */
    int (*file_op)(tide_reactor_t *r, tide_op_t *op);
    /* Starts the head of an fd's write queue (OP_SEND or OP_CLOSE). */
    void (*start_write)(tide_reactor_t *r, tide_op_t *op);
    /* Waits up to timeout_ns (-1: no limit, 0: do not block) and dispatches completions. */
    int (*poll)(tide_reactor_t *r, int64_t timeout_ns);
    /* Hands the kernel what was queued, without waiting (NULL: nothing is ever queued). */
    void (*submit)(tide_reactor_t *r);
} tide_backend_ops_t;

struct tide_reactor {
    const tide_backend_ops_t *ops;
    tide_backend_t backend;
    tide_reactor_features_t features;
    void *impl; /* the backend's own state */
    unsigned entries; /* io_uring queue size asked for */

    tide_fdent_t *fds;
    int nfds;

    tide_heap_t timers;
    tide_idmap_t timer_ids;
    unsigned fork_gen; /* tide__fork_gen when made: differs in a forked child */
    size_t timer_refs;

    size_t refs;          /* referenced ops alive (readers, writes, signal watches) */
    tide_op_t *all_ops;   /* every op not yet freed */
    tide_timer_t *running_timer; /* the repeating timer whose callback runs now */
    tide_op_t *garbage;   /* cancelled/ended ops to free at the end of the turn */
    tide_op_t *ready_head, *ready_tail; /* writes whose result is known, to call back */
    tide_defer_t *defer_head, *defer_tail; /* run before the next wait (tide_reactor_defer) */
    tide_defer_t *defer_running; /* the batch run_deferred() works through, not run yet */
    uint64_t now;
    bool stop;
    const size_t *pending; /* non-zero: do not block (tide_reactor_set_pending) */
    tide_wake_cb turn_cb[2]; /* tide_reactor_on_turn(): [0] after the events, [1] before the wait */
    void *turn_udata[2];

    int wake_fd; /* eventfd */
    tide_op_t *wake_op;
    tide_wake_cb wake_cb;
    void *wake_udata;

    int signal_fd; /* eventfd the signal handler writes to; -1 until the first watch */
    tide_op_t *signal_op;
    tide_op_t *signal_watch[65];

    struct tide_filepool *filepool; /* helper threads (file ops on epoll, work), or NULL */
};

/* tide__fork_gen (reactor.h) is bumped in the child by a pthread_atfork handler. */
#define TIDE_FORKED(r) ((r)->fork_gen != tide__fork_gen)

extern const tide_backend_ops_t tide__uring_ops;
extern const tide_backend_ops_t tide__epoll_ops;

/* Grows the fd table so that fd fits, and returns its entry (valid until the next growth). */
tide_fdent_t *tide__fdent(tide_reactor_t *r, int fd);

/* A backend finished the head write of op->fd with res (bytes or -errno): calls back, frees
 * the op and starts the next queued write. */
void tide__write_done(tide_reactor_t *r, tide_op_t *op, ssize_t res);
/* A reader ended (EOF/error): detach it from its fd and drop its reference. The backend
 * calls back, then frees it. */
void tide__reader_ended(tide_reactor_t *r, tide_op_t *op);
/* The cancelled recv op came back with data: hand it to the fd's next reader. */
void tide__stash(tide_reactor_t *r, tide_op_t *op, const char *data, size_t n);
/* Accept errors that persist until something is freed: retrying at once would spin. */
static inline bool tide__accept_exhausted(int err)
{
    return err == -EMFILE || err == -ENFILE || err == -ENOBUFS || err == -ENOMEM;
}
/* Pauses an accept op after such an error; the backend's start_reader re-arms it after
 * 100 ms. */
void tide__accept_backoff(tide_reactor_t *r, tide_op_t *op);
/* Stops a pause (cancel or free). */
void tide__accept_backoff_stop(tide_reactor_t *r, tide_op_t *op);

/* A stopped accept is over (the kernel holds nothing of it): its owner's callback runs one
 * last time with -ECANCELED, unless it was cancelled meanwhile, and op is freed. */
void tide__accept_end(tide_reactor_t *r, tide_op_t *op);
/* The same from the ready list, later in the turn (never from inside accept_stop). */
void tide__accept_end_later(tide_reactor_t *r, tide_op_t *op);
/* An OP_FILE read ended with res (bytes or -errno): calls back and frees op. */
void tide__file_done(tide_reactor_t *r, tide_op_t *op, ssize_t res);

/* Signal watches (signal.c, which has tide_reactor_signal too). */
void tide__signal_cancel(tide_reactor_t *r, tide_op_t *op);
/* Lets go of every watch of r (tide_reactor_destroy): dispositions go back as they were. */
void tide__signal_release_all(tide_reactor_t *r);
/* In a forked child (pthread_atfork): the table's lock may have been held by a thread
 * that does not exist here. */
void tide__signal_atfork_child(void);

/* OP_FILE's kinds. */
enum { FILE_READ, FILE_WRITE, FILE_FSYNC, FILE_FDATASYNC, FILE_WORK };

/* The helper threads (filepool.c): every op of the epoll backend's file ops, and the work
 * (tide_reactor_work) of both backends. */
typedef struct tide_filepool tide_filepool_t;
/* Queues op's read for a helper thread, starting one if none is idle; 0 or -errno. */
int tide__filepool_submit(tide_reactor_t *r, tide_op_t *op);
/* Ends the reads in progress (a file's is waited for, one that waits on a pipe is
 * interrupted), drops the queued ones (no callbacks) and frees the pool; in a forked child
 * it only frees memory and closes the child's descriptor. */
void tide__filepool_destroy(tide_reactor_t *r);

/* Delivers a write's result (already known) from the loop rather than from the caller. */
void tide__complete_later(tide_reactor_t *r, tide_op_t *op, ssize_t res);
/* A new op of r, on r's list of every op (freed by tide__op_free or with the reactor). */
tide_op_t *tide__op_new(tide_reactor_t *r, int kind, int fd, void *udata);
/* Queues op to be freed at the end of the turn. */
void tide__op_garbage(tide_reactor_t *r, tide_op_t *op);
void tide__op_free(tide_op_t *op);
/* Advances op->iov past n written bytes; true when nothing is left to write. */
bool tide__iov_advance(tide_op_t *op, size_t n);

#define TIDE_RECV_BUF_SIZE 16384

#endif

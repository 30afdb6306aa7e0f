/* SPDX-License-Identifier: MIT */
/*
 * Tide\Process (Swoole's Process): a child started with fork() that runs a PHP callback and
 * exits, a socketpair between the two, and the process-wide calls Swoole puts on the same
 * class (kill, wait, signal, alarm, daemon, affinity, priority).
 *
 * The child: start() forks; the child drops what belongs to the parent (its signal
 * callbacks, the children it is waiting for; the reactor and scheduler are left behind by
 * loop.c's fork handling), runs $callback($process) (with enable_coroutine inside a fresh
 * Tide\run()), then ends exactly as exit() would end it: shutdown functions and destructors
 * run, the status is 0 or the one given to exit(). An exception the callback leaves
 * uncaught is reported as PHP reports one (status 255); it never travels up into the
 * parent's code that called start().
 *
 * The pipe: read() and write() never block the loop. Inside a coroutine they wait in that
 * coroutine on the reactor; outside, in poll(). The socket is used with MSG_DONTWAIT, so
 * its blocking flag (which a redirected stdin/stdout shares with the child's PHP) is never
 * changed.
 *
 * Signals: one reactor signal watch per number (tide_reactor_signal); its callback runs in
 * a coroutine of its own. The watch is unreferenced: as in Swoole (whose wait_signal is off
 * by default) a signal listener alone does not keep the loop running.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "php.h"
#include "ext/standard/file.h"
#include "zend_exceptions.h"
#include "php_tide.h"
#include "php_tide_process.h"

/* close()'s $which and the pipe types: Swoole's values. */
#define PHP_TIDE_PIPE_CLOSE_MASTER 1
#define PHP_TIDE_PIPE_CLOSE_WORKER 2
#define PHP_TIDE_PIPE_CLOSE_READ 3
#define PHP_TIDE_PIPE_CLOSE_WRITE 4
#define PHP_TIDE_PIPE_TYPE_NONE 0
#define PHP_TIDE_PIPE_TYPE_STREAM 1
#define PHP_TIDE_PIPE_TYPE_DGRAM 2

#include "tide_process_arginfo.h"

/* The most one read() takes (a bigger $size is a ValueError: no unbounded buffer). */
#define READ_MAX (1024 * 1024)
/* Process::wait() in a coroutine looks again this often for a child it was not told of
 * (one made by pcntl_fork() or proc_open()): those have no pidfd here. */
#define WAIT_RECHECK_NS (100 * 1000 * 1000)

zend_class_entry *php_tide_process_ce;
static zend_object_handlers process_handlers;


/* Ids handed out by the constructor: 1, 2, 3... as Swoole numbers its processes. */
static zend_long next_id = 1;

/*
 * The children this process started with start() and has not reaped with wait(): their
 * pidfds are what a wait() in a coroutine waits on. After fork() they are the parent's:
 * `gen` tells (tide_fork_generation()).
 */
static struct {
    pid_t *pids;
    size_t n, cap;
    unsigned gen;
} kids;

static void kids_check_fork(void)
{
    if (kids.gen != tide_fork_generation()) {
        kids.n = 0;
        kids.gen = tide_fork_generation();
    }
}

static void kids_add(pid_t pid)
{
    kids_check_fork();
    if (kids.n == kids.cap) {
        kids.cap = kids.cap ? kids.cap * 2 : 8;
        kids.pids = safe_erealloc(kids.pids, kids.cap, sizeof(pid_t), 0);
    }
    kids.pids[kids.n++] = pid;
}

static void kids_del(pid_t pid)
{
    kids_check_fork();
    for (size_t i = 0; i < kids.n; i++) {
        if (kids.pids[i] == pid) {
            kids.pids[i] = kids.pids[--kids.n];
            return;
        }
    }
}

/* ---- signals ---- */

/* One signal's PHP callback and the reactor watch that calls it. The watch is valid in
 * the process and on the reactor that made it (`gen`, `r`): after fork() or when the
 * reactor was made anew, it is forgotten, not cancelled (it is not ours to touch). */
typedef struct sig_watch {
    zval callback; /* UNDEF: none */
    tide_op_t *op;
    tide_reactor_t *r;
    unsigned gen;
} sig_watch_t;

#define SIGNO_MAX 65
static sig_watch_t sigs[SIGNO_MAX];

static bool sig_watch_live(const sig_watch_t *w)
{
    return w->op && w->gen == tide_fork_generation() && TIDE_G(reactor) == w->r &&
           !tide_reactor_forked(w->r);
}

/* Drops signal signo's callback; cancels its watch when it is still this process's. */
static void sig_drop(int signo)
{
    sig_watch_t *w = &sigs[signo];
    if (sig_watch_live(w))
        tide_reactor_cancel(w->r, w->op);
    w->op = NULL;
    w->r = NULL;
    if (!Z_ISUNDEF(w->callback)) {
        zval_ptr_dtor(&w->callback);
        ZVAL_UNDEF(&w->callback);
    }
}

static void sig_drop_all(void)
{
    for (int i = 1; i < SIGNO_MAX; i++)
        sig_drop(i);
}

static void on_signal(tide_reactor_t *r, void *udata, int signo)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(udata);
    if (signo <= 0 || signo >= SIGNO_MAX || Z_ISUNDEF(sigs[signo].callback))
        return;
    /* A copy: the callback may remove itself (signal($n, null)) while it runs. */
    zval cb, arg;
    ZVAL_COPY(&cb, &sigs[signo].callback);
    ZVAL_LONG(&arg, signo);
    zend_fcall_info_cache fcc = empty_fcall_info_cache; /* resolved by the coroutine */
    php_tide_coro_spawn(&cb, &fcc, &arg, 1);
    zval_ptr_dtor(&cb);
}

/* ---- the object ---- */

static zend_object *process_new(zend_class_entry *ce)
{
    php_tide_process_t *p = zend_object_alloc(sizeof(*p), ce);
    zend_object_std_init(&p->std, ce);
    object_properties_init(&p->std, ce);
    p->std.handlers = &process_handlers;
    p->master_fd = -1;
    p->worker_fd = -1;
    p->blocking = true;
    p->timeout = -1;
    p->queue_id = -1;
    return &p->std;
}

static void close_fd(int *fd)
{
    if (*fd < 0)
        return;
    php_tide_forget_fd(*fd); /* (a forked child's copy of the parent's watch is left alone) */
    close(*fd);
    *fd = -1;
}

static void process_free(zend_object *obj)
{
    php_tide_process_t *p = process_of(obj);
    close_fd(&p->master_fd);
    close_fd(&p->worker_fd);
    zend_object_std_dtor(obj);
}

/* This process's end of the pipe: the worker's in the child, the master's in the parent. */
static int *current_fd(php_tide_process_t *p)
{
    return p->child ? &p->worker_fd : &p->master_fd;
}

static php_tide_process_t *this_process(zval *this_ptr)
{
    php_tide_process_t *p = process_of(Z_OBJ_P(this_ptr));
    if (!p->constructed) {
        php_tide_throw(0, "Tide\\Process::__construct() was not called (a subclass must "
                          "call parent::__construct())");
        return NULL;
    }
    return p;
}

/* The process with a pipe; NULL with a Tide\Exception naming `what` when it has none. */
static php_tide_process_t *piped_process(zval *this_ptr, const char *what)
{
    php_tide_process_t *p = this_process(this_ptr);
    if (p && *current_fd(p) < 0) {
        php_tide_throw(0, "Tide\\Process::%s(): the process has no pipe (pipe_type 0, or "
                          "closed with close())", what);
        return NULL;
    }
    return p;
}

static int make_pipe(php_tide_process_t *p)
{
    int fds[2];
    int type = p->pipe_type == PHP_TIDE_PIPE_TYPE_STREAM ? SOCK_STREAM : SOCK_DGRAM;
    if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, fds) < 0)
        return -errno;
    p->master_fd = fds[0];
    p->worker_fd = fds[1];
    ZVAL_LONG(OBJ_PROP_NUM(&p->std, PROP_PIPE), fds[0]);
    return 0;
}

ZEND_METHOD(Tide_Process, __construct)
{
    zend_fcall_info fci;
    zend_fcall_info_cache fcc;
    bool redirect = false, enable_coroutine = false;
    zend_long pipe_type = PHP_TIDE_PIPE_TYPE_DGRAM;
    ZEND_PARSE_PARAMETERS_START(1, 4)
        Z_PARAM_FUNC(fci, fcc)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(redirect)
        Z_PARAM_LONG(pipe_type)
        Z_PARAM_BOOL(enable_coroutine)
    ZEND_PARSE_PARAMETERS_END();
    zend_release_fcall_info_cache(&fcc); /* a trampoline: resolved again when called */

    php_tide_process_t *p = process_of(Z_OBJ_P(ZEND_THIS));
    if (p->constructed) {
        php_tide_throw(0, "Tide\\Process::__construct() can only be called once");
        RETURN_THROWS();
    }
    if (pipe_type < PHP_TIDE_PIPE_TYPE_NONE || pipe_type > PHP_TIDE_PIPE_TYPE_DGRAM) {
        zend_argument_value_error(3, "must be 0 (no pipe), 1 (SOCK_STREAM) or 2 (SOCK_DGRAM)");
        RETURN_THROWS();
    }
    /* The child's output is a byte stream: a redirected process always gets one (Swoole). */
    if (redirect)
        pipe_type = PHP_TIDE_PIPE_TYPE_STREAM;
    p->pipe_type = (int)pipe_type;
    p->redirect = redirect;
    p->enable_coroutine = enable_coroutine;
    if (pipe_type != PHP_TIDE_PIPE_TYPE_NONE) {
        int rc = make_pipe(p);
        if (rc < 0) {
            php_tide_throw(rc, "Tide\\Process::__construct(): socketpair: %s", strerror(-rc));
            RETURN_THROWS();
        }
    }
    p->constructed = true;
    ZVAL_LONG(OBJ_PROP_NUM(&p->std, PROP_PID), 0);
    ZVAL_LONG(OBJ_PROP_NUM(&p->std, PROP_ID), next_id++);
    zval *cb = OBJ_PROP_NUM(&p->std, PROP_CALLBACK);
    zval_ptr_dtor(cb);
    ZVAL_COPY(cb, &fci.function_name);
}

/* Whether the caller runs in a coroutine or inside the loop (where a fresh Tide\run() in
 * a child could not start). */
static bool in_loop_or_coroutine(void)
{
    return TIDE_G(in_loop) || (TIDE_G(sched) && !tide_coro_is_main(tide_coro_current(TIDE_G(sched))));
}

/* The child, after fork(): runs the callback and ends the process as exit() does. */
static void run_child(php_tide_process_t *p, zval *this_ptr)
{
    p->child = true;
    p->pid = getpid();
    close_fd(&p->master_fd);
    if (p->redirect && p->worker_fd >= 0) {
        /* (dup2 leaves the copies without close-on-exec: exec() keeps them) */
        dup2(p->worker_fd, STDIN_FILENO);
        dup2(p->worker_fd, STDOUT_FILENO);
        dup2(p->worker_fd, STDERR_FILENO);
    }
    /* The parent's signal callbacks and children are not the child's (as in Swoole). */
    sig_drop_all();
    kids_check_fork();
    ZVAL_LONG(OBJ_PROP_NUM(&p->std, PROP_PID), p->pid);
    if (p->worker_fd >= 0)
        ZVAL_LONG(OBJ_PROP_NUM(&p->std, PROP_PIPE), p->worker_fd);

    zval rv, fn, args[2];
    ZVAL_UNDEF(&rv);
    if (p->enable_coroutine) {
        ZVAL_STRING(&fn, "Tide\\run");
        ZVAL_COPY(&args[0], OBJ_PROP_NUM(&p->std, PROP_CALLBACK));
        ZVAL_COPY(&args[1], this_ptr);
        call_user_function(NULL, NULL, &fn, &rv, 2, args);
        zval_ptr_dtor(&args[0]);
        zval_ptr_dtor(&args[1]);
        zval_ptr_dtor(&fn);
    } else {
        ZVAL_COPY(&fn, OBJ_PROP_NUM(&p->std, PROP_CALLBACK));
        ZVAL_COPY(&args[0], this_ptr);
        call_user_function(NULL, NULL, &fn, &rv, 1, args);
        zval_ptr_dtor(&args[0]);
        zval_ptr_dtor(&fn);
    }
    zval_ptr_dtor(&rv);
    if (EG(exception) && !zend_is_unwind_exit(EG(exception)) &&
        !zend_is_graceful_exit(EG(exception))) {
        /* Uncaught in the child: reported here (status 255), as at the end of a script. */
        zend_exception_error(EG(exception), E_ERROR);
        EG(exit_status) = 255;
    }
    if (!EG(exception))
        zend_throw_unwind_exit(); /* exit(): the child never returns into start()'s caller */
}

/* ---- a server's added processes (Server::addProcess) ---- */

bool php_tide_process_check_addable(zend_object *obj, uint32_t arg_num)
{
    php_tide_process_t *p = process_of(obj);
    if (!p->constructed) {
        php_tide_throw(0, "Tide\\Process::__construct() was not called (a subclass must "
                          "call parent::__construct())");
        return false;
    }
    if (p->child || p->pid > 0) {
        zend_argument_value_error(arg_num, "must be a process that was not started");
        return false;
    }
    return true;
}

void php_tide_process_run_child(zend_object *obj)
{
    zval self;
    ZVAL_OBJ(&self, obj);
    run_child(process_of(obj), &self);
}

ZEND_METHOD(Tide_Process, start)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_process_t *p = this_process(ZEND_THIS);
    if (!p)
        RETURN_THROWS();
    if (p->child) {
        php_tide_throw(0, "Tide\\Process::start() called in the process it started");
        RETURN_THROWS();
    }
    if (p->pid > 0 && kill(p->pid, 0) == 0) {
        php_tide_throw(0, "Tide\\Process::start(): process %d is running already",
                       (int)p->pid);
        RETURN_THROWS();
    }
    if (p->enable_coroutine && in_loop_or_coroutine()) {
        php_tide_throw(0, "Tide\\Process::start(): a process with enable_coroutine cannot be "
                          "started from a coroutine or the running loop (its Tide\\run() "
                          "would run inside the parent's); start it before Tide\\run()");
        RETURN_THROWS();
    }
    if (p->pipe_type != PHP_TIDE_PIPE_TYPE_NONE && (p->master_fd < 0 || p->worker_fd < 0)) {
        /* Started again: the last child's pipe is gone with it. */
        close_fd(&p->master_fd);
        close_fd(&p->worker_fd);
        int rc = make_pipe(p);
        if (rc < 0) {
            php_error_docref(NULL, E_WARNING, "socketpair() failed: %s", strerror(-rc));
            RETURN_FALSE;
        }
    }
    pid_t pid = fork();
    if (pid < 0) {
        php_error_docref(NULL, E_WARNING, "fork() failed: %s", strerror(errno));
        RETURN_FALSE;
    }
    if (pid == 0) {
        run_child(p, ZEND_THIS);
        RETURN_THROWS();
    }
    p->pid = pid;
    /* The child's end is the child's: closed here, the parent's read() sees the child's
     * end (EOF on a SOCK_STREAM pipe) when it exits. */
    close_fd(&p->worker_fd);
    kids_add(pid);
    ZVAL_LONG(OBJ_PROP_NUM(&p->std, PROP_PID), pid);
    RETURN_LONG(pid);
}

/* ---- the pipe ---- */

static int64_t timeout_ns(double seconds)
{
    if (seconds < 0)
        return -1;
    if (seconds > 9.2e9)
        seconds = 9.2e9;
    return (int64_t)(seconds * 1e9);
}

/*
 * Waits until fd is readable (writable: out), up to `left` ns (< 0 none): in the coroutine
 * when one runs, else in poll(). 0, -ETIMEDOUT, -ECANCELED, TIDE_EKILLED (exit thrown) or
 * another negative code with an exception thrown.
 */
static int wait_ready(int fd, bool out, int64_t left, const char *what)
{
    if (php_tide_coro_can_suspend())
        return php_tide_wait_fd(fd, out, left, what);
    int64_t deadline = left < 0 ? -1 : (int64_t)tide_time_ns() + left;
    for (;;) {
        int ms = -1;
        if (deadline >= 0) {
            int64_t now_left = deadline - (int64_t)tide_time_ns();
            if (now_left <= 0)
                return -ETIMEDOUT;
            ms = now_left / 1000000 > INT_MAX ? INT_MAX : (int)((now_left + 999999) / 1000000);
        }
        struct pollfd pfd = {.fd = fd, .events = out ? POLLOUT : POLLIN};
        int n = poll(&pfd, 1, ms);
        if (n > 0)
            return 0;
        if (n < 0 && errno != EINTR)
            return -errno;
    }
}

ZEND_METHOD(Tide_Process, read)
{
    zend_long size = 8192;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(size)
    ZEND_PARSE_PARAMETERS_END();
    if (size <= 0 || size > READ_MAX) {
        zend_argument_value_error(1, "must be between 1 and %d", READ_MAX);
        RETURN_THROWS();
    }
    php_tide_process_t *p = piped_process(ZEND_THIS, "read");
    if (!p)
        RETURN_THROWS();
    int fd = *current_fd(p);
    int64_t t = timeout_ns(p->timeout);
    int64_t deadline = t < 0 ? -1 : (int64_t)tide_time_ns() + t;
    zend_string *buf = zend_string_alloc((size_t)size, 0);
    for (;;) {
        ssize_t n = recv(fd, ZSTR_VAL(buf), (size_t)size, MSG_DONTWAIT);
        if (n >= 0) {
            ZSTR_VAL(buf)[n] = '\0';
            ZSTR_LEN(buf) = (size_t)n;
            if ((size_t)n < (size_t)size / 2)
                buf = zend_string_truncate(buf, (size_t)n, 0);
            RETURN_STR(buf);
        }
        if (errno == EINTR)
            continue;
        if ((errno != EAGAIN && errno != EWOULDBLOCK) || !p->blocking) {
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                php_error_docref(NULL, E_WARNING, "read() failed: %s", strerror(errno));
            zend_string_efree(buf);
            RETURN_FALSE;
        }
        int64_t left = -1;
        if (deadline >= 0 && (left = deadline - (int64_t)tide_time_ns()) <= 0)
            left = 0;
        int rc = left == 0 ? -ETIMEDOUT : wait_ready(fd, false, left, "Tide\\Process::read()");
        if (rc != 0) {
            zend_string_efree(buf);
            if (rc == TIDE_EKILLED || EG(exception))
                RETURN_THROWS();
            RETURN_FALSE; /* timed out or cancelled */
        }
    }
}

ZEND_METHOD(Tide_Process, write)
{
    zend_string *data;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();
    if (ZSTR_LEN(data) == 0) {
        zend_argument_value_error(1, "must not be empty");
        RETURN_THROWS();
    }
    php_tide_process_t *p = piped_process(ZEND_THIS, "write");
    if (!p)
        RETURN_THROWS();
    int fd = *current_fd(p);
    int64_t t = timeout_ns(p->timeout);
    int64_t deadline = t < 0 ? -1 : (int64_t)tide_time_ns() + t;
    size_t done = 0;
    while (done < ZSTR_LEN(data)) {
        ssize_t n = send(fd, ZSTR_VAL(data) + done, ZSTR_LEN(data) - done,
                         MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n >= 0) {
            done += (size_t)n;
            continue;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            php_error_docref(NULL, E_WARNING, "write() failed: %s", strerror(errno));
            RETURN_FALSE;
        }
        if (!p->blocking)
            break;
        int64_t left = -1;
        if (deadline >= 0 && (left = deadline - (int64_t)tide_time_ns()) <= 0)
            left = 0;
        int rc = left == 0 ? -ETIMEDOUT : wait_ready(fd, true, left, "Tide\\Process::write()");
        if (rc == TIDE_EKILLED || (rc < 0 && EG(exception)))
            RETURN_THROWS();
        if (rc < 0)
            break; /* timed out or cancelled: what went out so far */
    }
    if (done == 0)
        RETURN_FALSE;
    RETURN_LONG((zend_long)done);
}

ZEND_METHOD(Tide_Process, close)
{
    zend_long which = 0;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(which)
    ZEND_PARSE_PARAMETERS_END();
    if (which < 0 || which > PHP_TIDE_PIPE_CLOSE_WRITE) {
        zend_argument_value_error(1, "must be 0 (both ends), Tide\\Process::PIPE_MASTER, "
                                     "PIPE_WORKER, PIPE_READ or PIPE_WRITE");
        RETURN_THROWS();
    }
    php_tide_process_t *p = piped_process(ZEND_THIS, "close");
    if (!p)
        RETURN_THROWS();
    int rc = 0;
    switch (which) {
    case PHP_TIDE_PIPE_CLOSE_READ:
        rc = shutdown(*current_fd(p), SHUT_RD);
        break;
    case PHP_TIDE_PIPE_CLOSE_WRITE:
        rc = shutdown(*current_fd(p), SHUT_WR);
        break;
    case PHP_TIDE_PIPE_CLOSE_MASTER:
        close_fd(&p->master_fd);
        break;
    case PHP_TIDE_PIPE_CLOSE_WORKER:
        close_fd(&p->worker_fd);
        break;
    default:
        close_fd(&p->master_fd);
        close_fd(&p->worker_fd);
    }
    if (rc < 0) {
        php_error_docref(NULL, E_WARNING, "shutdown() failed: %s", strerror(errno));
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Process, setTimeout)
{
    double seconds;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_DOUBLE(seconds)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_process_t *p = piped_process(ZEND_THIS, "setTimeout");
    if (!p)
        RETURN_THROWS();
    p->timeout = seconds;
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Process, setBlocking)
{
    bool blocking;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_BOOL(blocking)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_process_t *p = piped_process(ZEND_THIS, "setBlocking");
    if (!p)
        RETURN_THROWS();
    p->blocking = blocking;
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Process, set)
{
    HashTable *settings;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(settings)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_process_t *p = this_process(ZEND_THIS);
    if (!p)
        RETURN_THROWS();
    zend_string *key;
    zval *v;
    ZEND_HASH_FOREACH_STR_KEY_VAL(settings, key, v) {
        if (key && zend_string_equals_literal(key, "enable_coroutine")) {
            p->enable_coroutine = zend_is_true(v);
        } else if (TIDE_G(swoole_compat)) {
            /* Swoole ignores other keys silently; Tide names them. */
            php_error_docref(NULL, E_WARNING, "unknown setting '%s' (only enable_coroutine)",
                             key ? ZSTR_VAL(key) : "(an integer key)");
        } else {
            zend_argument_value_error(1, "has an unknown setting '%s' (only enable_coroutine)",
                                      key ? ZSTR_VAL(key) : "(an integer key)");
            RETURN_THROWS();
        }
    } ZEND_HASH_FOREACH_END();
}

/* ---- in the process itself ---- */

ZEND_METHOD(Tide_Process, name)
{
    zend_string *name;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(name)
    ZEND_PARSE_PARAMETERS_END();
    if (!zend_hash_str_exists(CG(function_table), "cli_set_process_title",
                              sizeof("cli_set_process_title") - 1)) {
        php_error_docref(NULL, E_WARNING, "process titles need PHP's CLI (cli_set_process_title())");
        RETURN_FALSE;
    }
    zval fn, arg, rv;
    ZVAL_STRING(&fn, "cli_set_process_title");
    ZVAL_STR_COPY(&arg, name);
    ZVAL_UNDEF(&rv);
    bool ok = call_user_function(NULL, NULL, &fn, &rv, 1, &arg) == SUCCESS &&
              Z_TYPE(rv) == IS_TRUE;
    zval_ptr_dtor(&fn);
    zval_ptr_dtor(&arg);
    zval_ptr_dtor(&rv);
    if (EG(exception))
        RETURN_THROWS();
    RETURN_BOOL(ok);
}

ZEND_METHOD(Tide_Process, exec)
{
    zend_string *file;
    HashTable *args;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_PATH_STR(file)
        Z_PARAM_ARRAY_HT(args)
    ZEND_PARSE_PARAMETERS_END();
    if (ZSTR_LEN(file) == 0) {
        zend_argument_value_error(1, "must not be empty");
        RETURN_THROWS();
    }
    if (!this_process(ZEND_THIS))
        RETURN_THROWS();
    uint32_t n = zend_hash_num_elements(args);
    char **argv = safe_emalloc(n + 2, sizeof(char *), 0);
    zend_string **held = safe_emalloc(n + 1, sizeof(zend_string *), 0);
    uint32_t i = 0;
    zval *v;
    argv[0] = ZSTR_VAL(file);
    ZEND_HASH_FOREACH_VAL(args, v) {
        zend_string *s = zval_try_get_string(v);
        if (!s || strlen(ZSTR_VAL(s)) != ZSTR_LEN(s)) {
            if (s) {
                zend_string_release(s);
                zend_argument_value_error(2, "must not contain strings with NUL bytes");
            }
            for (uint32_t k = 0; k < i; k++)
                zend_string_release(held[k]);
            efree(held);
            efree(argv);
            RETURN_THROWS();
        }
        held[i] = s;
        argv[++i] = ZSTR_VAL(s);
    } ZEND_HASH_FOREACH_END();
    argv[i + 1] = NULL;
    fflush(stdout);
    execv(ZSTR_VAL(file), argv);
    /* still here: it failed */
    php_error_docref(NULL, E_WARNING, "execv(%s) failed: %s", ZSTR_VAL(file), strerror(errno));
    for (uint32_t k = 0; k < i; k++)
        zend_string_release(held[k]);
    efree(held);
    efree(argv);
    RETURN_FALSE;
}

ZEND_METHOD(Tide_Process, exit)
{
    zend_long code = 0;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(code)
    ZEND_PARSE_PARAMETERS_END();
    if (code < 0 || code > 255) {
        zend_argument_value_error(1, "must be between 0 and 255");
        RETURN_THROWS();
    }
    php_tide_process_t *p = this_process(ZEND_THIS);
    if (!p)
        RETURN_THROWS();
    if (!p->child || p->pid != getpid()) {
        php_tide_throw(0, "Tide\\Process::exit() can only be called in the process it started");
        RETURN_THROWS();
    }
    EG(exit_status) = (int)code;
    zend_throw_unwind_exit();
}

/* PRIO_PROCESS with $who null: this object's process (0, the caller, before start()). */
static bool priority_who(php_tide_process_t *p, zend_long which, bool who_null, zend_long *who,
                         uint32_t arg)
{
    if (!who_null)
        return true;
    if (which != PRIO_PROCESS) {
        zend_argument_value_error(arg, "must not be null unless $which is PRIO_PROCESS");
        return false;
    }
    *who = p->child ? 0 : p->pid;
    return true;
}

ZEND_METHOD(Tide_Process, setPriority)
{
    zend_long which, priority, who = 0;
    bool who_null = true;
    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_LONG(which)
        Z_PARAM_LONG(priority)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG_OR_NULL(who, who_null)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_process_t *p = this_process(ZEND_THIS);
    if (!p || !priority_who(p, which, who_null, &who, 3))
        RETURN_THROWS();
    if (setpriority((int)which, (id_t)who, (int)priority) < 0) {
        TIDE_G(last_error) = errno;
        RETURN_FALSE; /* as Swoole: false, the errno in swoole_last_error() */
    }
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Process, getPriority)
{
    zend_long which, who = 0;
    bool who_null = true;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_LONG(which)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG_OR_NULL(who, who_null)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_process_t *p = this_process(ZEND_THIS);
    if (!p || !priority_who(p, which, who_null, &who, 2))
        RETURN_THROWS();
    errno = 0;
    int prio = getpriority((int)which, (id_t)who);
    if (prio == -1 && errno != 0) {
        TIDE_G(last_error) = errno;
        RETURN_FALSE;
    }
    RETURN_LONG(prio);
}

/* ---- static: the calling process ---- */

ZEND_METHOD(Tide_Process, kill)
{
    zend_long pid, signo = SIGTERM;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_LONG(pid)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(signo)
    ZEND_PARSE_PARAMETERS_END();
    if (signo < 0 || signo >= SIGNO_MAX) {
        zend_argument_value_error(2, "must be a signal number (0 to %d)", SIGNO_MAX - 1);
        RETURN_THROWS();
    }
    if (kill((pid_t)pid, (int)signo) < 0) {
        /* kill($pid, 0) asks whether it lives: no warning for "no" (Swoole's) */
        if (!(signo == 0 && errno == ESRCH))
            php_error_docref(NULL, E_WARNING, "kill(" ZEND_LONG_FMT ", " ZEND_LONG_FMT
                             ") failed: %s", pid, signo, strerror(errno));
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

void php_tide_wait_result(zval *return_value, pid_t pid, int status)
{
    kids_del(pid);
    array_init_size(return_value, 3);
    add_assoc_long(return_value, "pid", pid);
    add_assoc_long(return_value, "code", WIFEXITED(status) ? WEXITSTATUS(status) : 0);
    add_assoc_long(return_value, "signal", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/*
 * A blocking wait() in a coroutine: waits on the pidfds of the children start() made (any
 * one ending wakes it), and looks again every WAIT_RECHECK_NS for children made otherwise.
 * Not cancelable (as a blocking waitpid() is not). 0 with *pid and *status; -ECHILD when
 * there is no child; -ETIMEDOUT after timeout_ns (< 0: none); TIDE_EKILLED.
 */
int php_tide_process_wait_any(int64_t timeout_ns, pid_t *pid, int *status)
{
    int64_t deadline = timeout_ns < 0 ? -1 : (int64_t)tide_time_ns() + timeout_ns;
    for (;;) {
        pid_t r = waitpid(-1, status, WNOHANG);
        if (r > 0) {
            *pid = r;
            return 0;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -errno;
        kids_check_fork();
        int *pfds = kids.n ? safe_emalloc(kids.n, sizeof(int), 0) : NULL;
        size_t n = 0;
        for (size_t i = 0; i < kids.n;) {
            int fd = (int)syscall(SYS_pidfd_open, kids.pids[i], 0);
            if (fd < 0 && errno == ESRCH) {
                kids.pids[i] = kids.pids[--kids.n]; /* reaped by someone else */
                continue;
            }
            if (fd >= 0)
                pfds[n++] = fd;
            i++;
        }
        int64_t step = WAIT_RECHECK_NS;
        if (deadline >= 0) {
            int64_t left = deadline - (int64_t)tide_time_ns();
            if (left <= 0) {
                for (size_t i = 0; i < n; i++)
                    close(pfds[i]);
                if (pfds)
                    efree(pfds);
                return -ETIMEDOUT;
            }
            if (left < step)
                step = left;
        }
        int rc = php_tide_wait_fds(pfds, n, NULL, 0, step, "Tide\\Process::wait()", false);
        for (size_t i = 0; i < n; i++) {
            php_tide_forget_fd(pfds[i]);
            close(pfds[i]);
        }
        if (pfds)
            efree(pfds);
        if (rc == TIDE_EKILLED)
            return rc;
        if (rc < 0 && EG(exception))
            return rc;
    }
}

ZEND_METHOD(Tide_Process, wait)
{
    bool blocking = true;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(blocking)
    ZEND_PARSE_PARAMETERS_END();
    int status = 0;
    pid_t pid;
    if (blocking && php_tide_coro_can_suspend()) {
        int rc = php_tide_process_wait_any(-1, &pid, &status);
        if (rc == TIDE_EKILLED || EG(exception))
            RETURN_THROWS();
        if (rc < 0)
            RETURN_FALSE;
    } else {
        while ((pid = waitpid(-1, &status, blocking ? 0 : WNOHANG)) < 0 && errno == EINTR)
            ;
        if (pid <= 0)
            RETURN_FALSE;
    }
    php_tide_wait_result(return_value, pid, status);
}

ZEND_METHOD(Tide_Process, signal)
{
    zend_long signo;
    zend_fcall_info fci = empty_fcall_info;
    zend_fcall_info_cache fcc = empty_fcall_info_cache;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_LONG(signo)
        Z_PARAM_OPTIONAL
        Z_PARAM_FUNC_OR_NULL(fci, fcc)
    ZEND_PARSE_PARAMETERS_END();
    if (ZEND_FCI_INITIALIZED(fci))
        zend_release_fcall_info_cache(&fcc);
    if (signo <= 0 || signo >= SIGNO_MAX || signo == SIGKILL || signo == SIGSTOP) {
        zend_argument_value_error(1, "must be a signal number that can be caught (1 to %d, "
                                     "not SIGKILL or SIGSTOP)", SIGNO_MAX - 1);
        RETURN_THROWS();
    }
    sig_watch_t *w = &sigs[signo];
    if (!sig_watch_live(w))
        sig_drop((int)signo); /* the parent's, or a reactor's that is gone */
    if (!ZEND_FCI_INITIALIZED(fci)) {
        if (Z_ISUNDEF(w->callback)) {
            php_error_docref(NULL, E_WARNING, "no callback for signal " ZEND_LONG_FMT, signo);
            RETURN_FALSE;
        }
        sig_drop((int)signo);
        RETURN_TRUE;
    }
    if (!w->op) {
        tide_reactor_t *r = php_tide_reactor();
        if (!r)
            RETURN_THROWS();
        int err = 0;
        tide_op_t *op = tide_reactor_signal(r, (int)signo, on_signal, NULL, &err);
        if (!op) {
            if (err == -EINVAL) {
                zend_argument_value_error(1, "is a signal the C library keeps for itself");
                RETURN_THROWS();
            }
            /* -EBUSY: another watch of Tide's has it (a server's own signals) */
            php_error_docref(NULL, E_WARNING, "signal " ZEND_LONG_FMT " is handled by Tide "
                             "itself in this process: %s", signo, strerror(-err));
            RETURN_FALSE;
        }
        tide_reactor_unref(r, op); /* a listener alone does not keep the loop (Swoole's) */
        w->op = op;
        w->r = r;
        w->gen = tide_fork_generation();
    }
    if (!Z_ISUNDEF(w->callback))
        zval_ptr_dtor(&w->callback);
    ZVAL_COPY(&w->callback, &fci.function_name);
    if (!TIDE_G(in_loop))
        php_tide_wait_at_shutdown(); /* the loop runs at the script's end, as in Swoole */
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Process, alarm)
{
    zend_long usec, type = ITIMER_REAL;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_LONG(usec)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(type)
    ZEND_PARSE_PARAMETERS_END();
    if (usec < 0) {
        zend_argument_value_error(1, "must be greater than or equal to 0 (0 stops the alarm)");
        RETURN_THROWS();
    }
    if (type != ITIMER_REAL && type != ITIMER_VIRTUAL && type != ITIMER_PROF) {
        zend_argument_value_error(2, "must be 0 (ITIMER_REAL), 1 (ITIMER_VIRTUAL) or 2 "
                                     "(ITIMER_PROF)");
        RETURN_THROWS();
    }
    struct itimerval it = {{0, 0}, {0, 0}};
    it.it_value.tv_sec = (time_t)(usec / 1000000);
    it.it_value.tv_usec = (suseconds_t)(usec % 1000000);
    it.it_interval = it.it_value;
    if (setitimer((int)type, &it, NULL) < 0) {
        php_error_docref(NULL, E_WARNING, "setitimer() failed: %s", strerror(errno));
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

/* A descriptor from an int or a stream; -1 with a TypeError naming pipes[key]. */
static int fd_of(zval *v, zend_ulong idx)
{
    if (Z_TYPE_P(v) == IS_LONG && Z_LVAL_P(v) >= 0 && Z_LVAL_P(v) <= INT_MAX)
        return (int)Z_LVAL_P(v);
    if (Z_TYPE_P(v) == IS_RESOURCE) {
        php_stream *stream = (php_stream *)zend_fetch_resource2_ex(v, NULL, php_file_le_stream(),
                                                                   php_file_le_pstream());
        php_socket_t fd;
        if (stream && php_stream_cast(stream, PHP_STREAM_AS_FD_FOR_SELECT | PHP_STREAM_CAST_INTERNAL,
                                      (void **)&fd, 1) == SUCCESS && fd >= 0)
            return (int)fd;
        if (EG(exception))
            return -1;
    }
    zend_argument_type_error(3, "[" ZEND_ULONG_FMT "] must be a stream or a file descriptor, "
                                "%s given", idx, zend_zval_type_name(v));
    return -1;
}

ZEND_METHOD(Tide_Process, daemon)
{
    bool nochdir = true, noclose = true;
    HashTable *pipes = NULL;
    ZEND_PARSE_PARAMETERS_START(0, 3)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(nochdir)
        Z_PARAM_BOOL(noclose)
        Z_PARAM_ARRAY_HT(pipes)
    ZEND_PARSE_PARAMETERS_END();
    if (in_loop_or_coroutine()) {
        php_tide_throw(0, "Tide\\Process::daemon() cannot be called from a coroutine or the "
                          "running loop (the process goes on in a fork of itself)");
        RETURN_THROWS();
    }
    if (pipes && zend_hash_num_elements(pipes) > 3) {
        zend_argument_value_error(3, "must hold at most 3 entries (stdin, stdout, stderr)");
        RETURN_THROWS();
    }
    int to[3] = {-1, -1, -1};
    if (pipes) {
        zval *v;
        zend_ulong i = 0;
        ZEND_HASH_FOREACH_VAL(pipes, v) {
            if (Z_TYPE_P(v) != IS_NULL && (to[i] = fd_of(v, i)) < 0)
                RETURN_THROWS();
            i++;
        } ZEND_HASH_FOREACH_END();
    }
    fflush(stdout);
    for (int i = 0; i < 3; i++) {
        if (to[i] >= 0 && to[i] != i && dup2(to[i], i) < 0)
            php_error_docref(NULL, E_WARNING, "dup2(%d, %d) failed: %s", to[i], i,
                             strerror(errno));
    }
    if (daemon(!!nochdir, !!noclose) < 0) {
        php_error_docref(NULL, E_WARNING, "daemon() failed: %s", strerror(errno));
        RETURN_FALSE;
    }
    /* A new process: the signal watches and children were the old one's. */
    sig_drop_all();
    kids_check_fork();
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Process, setAffinity)
{
    HashTable *cpus;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(cpus)
    ZEND_PARSE_PARAMETERS_END();
    if (zend_hash_num_elements(cpus) == 0) {
        zend_argument_value_error(1, "must list at least one CPU");
        RETURN_THROWS();
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    zval *v;
    ZEND_HASH_FOREACH_VAL(cpus, v) {
        if (Z_TYPE_P(v) != IS_LONG) {
            zend_argument_type_error(1, "must hold CPU numbers (int), %s given",
                                     zend_zval_type_name(v));
            RETURN_THROWS();
        }
        if (Z_LVAL_P(v) < 0 || Z_LVAL_P(v) >= CPU_SETSIZE) {
            zend_argument_value_error(1, "holds CPU " ZEND_LONG_FMT ", not between 0 and %d",
                                      Z_LVAL_P(v), CPU_SETSIZE - 1);
            RETURN_THROWS();
        }
        CPU_SET((int)Z_LVAL_P(v), &set);
    } ZEND_HASH_FOREACH_END();
    if (sched_setaffinity(0, sizeof(set), &set) < 0) {
        php_error_docref(NULL, E_WARNING, "sched_setaffinity() failed: %s", strerror(errno));
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Process, getAffinity)
{
    ZEND_PARSE_PARAMETERS_NONE();
    cpu_set_t set;
    CPU_ZERO(&set);
    array_init(return_value);
    if (sched_getaffinity(0, sizeof(set), &set) < 0) {
        php_error_docref(NULL, E_WARNING, "sched_getaffinity() failed: %s", strerror(errno));
        return;
    }
    for (int i = 0; i < CPU_SETSIZE; i++)
        if (CPU_ISSET(i, &set))
            add_next_index_long(return_value, i);
}

void php_tide_process_minit(int module_number)
{
    register_tide_process_symbols(module_number);
    php_tide_process_ce = register_class_Tide_Process();
    php_tide_process_ce->create_object = process_new;
    memcpy(&process_handlers, zend_get_std_object_handlers(), sizeof(process_handlers));
    process_handlers.offset = XtOffsetOf(php_tide_process_t, std);
    process_handlers.free_obj = process_free;
    process_handlers.clone_obj = NULL;
    /* Untyped, as Swoole's: a subclass may declare them again. In PROP_* order. */
    zend_declare_property_null(php_tide_process_ce, "pipe", sizeof("pipe") - 1, ZEND_ACC_PUBLIC);
    zend_declare_property_null(php_tide_process_ce, "pid", sizeof("pid") - 1, ZEND_ACC_PUBLIC);
    zend_declare_property_null(php_tide_process_ce, "id", sizeof("id") - 1, ZEND_ACC_PUBLIC);
    zend_declare_property_null(php_tide_process_ce, "callback", sizeof("callback") - 1, ZEND_ACC_PRIVATE);
    for (int i = 0; i < SIGNO_MAX; i++)
        ZVAL_UNDEF(&sigs[i].callback);
}

void php_tide_process_rshutdown(void)
{
    sig_drop_all();
    if (kids.pids)
        efree(kids.pids);
    kids.pids = NULL;
    kids.n = kids.cap = 0;
}

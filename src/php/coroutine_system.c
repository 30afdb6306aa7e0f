/* SPDX-License-Identifier: MIT */
/*
 * Tide\Coroutine\System (Swoole's Coroutine\System): blocking system calls that wait in the
 * calling coroutine only. Each is one of Tide's own waits (a hooked PHP function with its
 * hook turned on for the call, a pidfd, a helper thread's lookup), so the results are
 * PHP's and no second implementation of reading a file or running a command exists here.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/file.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "php.h"
#include "ext/standard/file.h"
#include "php_network.h"
#include "php_tide.h"
#include "tide/reactor.h"
#include "tide_system_arginfo.h"

#define EVENT_READ 512
#define EVENT_WRITE 1024

static zend_class_entry *php_tide_system_ce;

/* Calls PHP's function `name` with `flag`'s hook on for the call. */
static void call_hooked(const char *name, zend_long flag, zval *ret, uint32_t argc, zval *argv)
{
    zval fn;
    ZVAL_STRING(&fn, name);
    zend_long saved = TIDE_G(hook_flags);
    TIDE_G(hook_flags) |= flag;
    call_user_function(NULL, NULL, &fn, ret, argc, argv);
    TIDE_G(hook_flags) = saved;
    zval_ptr_dtor(&fn);
}

static double timeout_ns(double seconds)
{
    return seconds < 0 ? -1 : seconds * 1e9;
}

ZEND_METHOD(Tide_Coroutine_System, exec)
{
    zend_string *cmd;
    bool with_stderr = false;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_PATH_STR(cmd)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(with_stderr)
    ZEND_PARSE_PARAMETERS_END();
    if (!php_tide_coro_suspendable("Tide\\Coroutine\\System::exec()"))
        RETURN_THROWS();
    zend_string *out = NULL;
    int status = 0;
    int rc = php_tide_proc_exec(ZSTR_VAL(cmd), with_stderr, &out, &status,
                                "Tide\\Coroutine\\System::exec()");
    if (rc == TIDE_EKILLED) {
        php_tide_coro_killed();
        RETURN_THROWS();
    }
    if (rc < 0) {
        php_error_docref(NULL, E_WARNING, "Unable to execute '%s': %s", ZSTR_VAL(cmd),
                         strerror(-rc));
        RETURN_FALSE;
    }
    array_init_size(return_value, 3);
    add_assoc_long(return_value, "code", status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : 0);
    add_assoc_long(return_value, "signal", status >= 0 && WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    add_assoc_str(return_value, "output", out);
}

/* The addresses of name for family, as text: into an array (all), or the first one. */
static void lookup(INTERNAL_FUNCTION_PARAMETERS, zend_string *name, zend_long family,
                   zend_long socktype, zend_long protocol, bool all)
{
    TIDE_UNUSED(execute_data);
    if (family != AF_INET && family != AF_INET6) {
        zend_argument_value_error(2, "must be AF_INET (2) or AF_INET6 (10)");
        RETURN_THROWS();
    }
    if (!php_tide_coro_suspendable("Tide\\Coroutine\\System's lookups"))
        RETURN_THROWS();
    int rc;
    php_tide_dns_t *j = php_tide_dns_lookup(ZSTR_VAL(name), ZSTR_LEN(name), (int)family,
                                            (int)socktype, (int)protocol,
                                            "Tide\\Coroutine\\System: a DNS lookup", &rc);
    if (rc == TIDE_EKILLED) {
        php_tide_coro_killed();
        RETURN_THROWS();
    }
    if (!j || php_tide_dns_count(j) == 0) {
        if (j)
            efree(j);
        RETURN_FALSE;
    }
    char ip[64];
    if (all)
        array_init(return_value);
    for (int i = 0; i < php_tide_dns_count(j); i++) {
        if (php_tide_dns_ip(j, i, ip, sizeof(ip)) != family)
            continue;
        if (!all) {
            RETVAL_STRING(ip);
            break;
        }
        /* once each (/etc/hosts may name an address twice) */
        zval *v;
        bool seen = false;
        ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(return_value), v) {
            seen = seen || zend_string_equals_cstr(Z_STR_P(v), ip, strlen(ip));
        } ZEND_HASH_FOREACH_END();
        if (!seen)
            add_next_index_string(return_value, ip);
    }
    efree(j);
    if (Z_TYPE_P(return_value) == IS_NULL)
        RETURN_FALSE;
}

ZEND_METHOD(Tide_Coroutine_System, gethostbyname)
{
    zend_string *name;
    zend_long family = AF_INET;
    double timeout = -1;
    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_STR(name)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(family)
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    (void)timeout; /* the resolver's own timeouts apply (resolv.conf) */
    lookup(INTERNAL_FUNCTION_PARAM_PASSTHRU, name, family, SOCK_STREAM, 0, false);
}

ZEND_METHOD(Tide_Coroutine_System, dnsLookup)
{
    zend_string *name;
    zend_long family = AF_INET;
    double timeout = 60;
    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_STR(name)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
        Z_PARAM_LONG(family)
    ZEND_PARSE_PARAMETERS_END();
    (void)timeout;
    lookup(INTERNAL_FUNCTION_PARAM_PASSTHRU, name, family, SOCK_STREAM, 0, false);
}

ZEND_METHOD(Tide_Coroutine_System, getaddrinfo)
{
    zend_string *name, *service = NULL;
    zend_long family = AF_INET, socktype = SOCK_STREAM, protocol = IPPROTO_TCP;
    double timeout = -1;
    ZEND_PARSE_PARAMETERS_START(1, 6)
        Z_PARAM_STR(name)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(family)
        Z_PARAM_LONG(socktype)
        Z_PARAM_LONG(protocol)
        Z_PARAM_STR_OR_NULL(service)
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    (void)service; /* addresses only, as Swoole returns them */
    (void)timeout;
    lookup(INTERNAL_FUNCTION_PARAM_PASSTHRU, name, family, socktype, protocol, true);
}

ZEND_METHOD(Tide_Coroutine_System, readFile)
{
    zend_string *file;
    zend_long flag = 0;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_PATH_STR(file)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(flag)
    ZEND_PARSE_PARAMETERS_END();
    if (flag != 0) {
        zend_argument_value_error(2, "must be 0: Tide takes no lock for a read");
        RETURN_THROWS();
    }
    if (!php_tide_coro_suspendable("Tide\\Coroutine\\System::readFile()"))
        RETURN_THROWS();
    zval arg;
    ZVAL_STR(&arg, file);
    call_hooked("file_get_contents", PHP_TIDE_HOOK_FILE, return_value, 1, &arg);
}

ZEND_METHOD(Tide_Coroutine_System, writeFile)
{
    zend_string *file, *data;
    zend_long flags = 0;
    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_PATH_STR(file)
        Z_PARAM_STR(data)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(flags)
    ZEND_PARSE_PARAMETERS_END();
    if (flags & ~(zend_long)(PHP_FILE_APPEND | LOCK_EX)) {
        zend_argument_value_error(3, "must be a combination of FILE_APPEND and LOCK_EX");
        RETURN_THROWS();
    }
    if (!php_tide_coro_suspendable("Tide\\Coroutine\\System::writeFile()"))
        RETURN_THROWS();
    zval args[3];
    ZVAL_STR(&args[0], file);
    ZVAL_STR(&args[1], data);
    ZVAL_LONG(&args[2], flags);
    call_hooked("file_put_contents", PHP_TIDE_HOOK_FILE, return_value, 3, args);
}

ZEND_METHOD(Tide_Coroutine_System, waitPid)
{
    zend_long pid;
    double timeout = -1;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_LONG(pid)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    if (pid <= 0) {
        zend_argument_value_error(1, "must be a child's pid (greater than 0)");
        RETURN_THROWS();
    }
    if (!php_tide_coro_suspendable("Tide\\Coroutine\\System::waitPid()"))
        RETURN_THROWS();
    int status;
    pid_t r;
    int64_t deadline = timeout < 0 ? -1 : (int64_t)tide_time_ns() + (int64_t)(timeout * 1e9);
    int64_t step = 1000000; /* without a pidfd: looked at every 1 ms, doubling to 100 ms */
    while ((r = waitpid((pid_t)pid, &status, WNOHANG)) == 0) {
        int64_t left = deadline < 0 ? -1 : deadline - (int64_t)tide_time_ns();
        if (deadline >= 0 && left <= 0)
            RETURN_FALSE; /* timed out */
        int pfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
        int rc;
        if (pfd >= 0) {
            rc = php_tide_wait_fd(pfd, false, left, "Tide\\Coroutine\\System::waitPid()");
            php_tide_forget_fd(pfd);
            close(pfd);
        } else {
            /* a kernel (or valgrind) without pidfds */
            rc = tide_coro_sleep(TIDE_G(sched), left >= 0 && left < step ? left : step);
            if (step < 100000000)
                step *= 2;
        }
        if (rc == TIDE_EKILLED) {
            php_tide_coro_killed();
            RETURN_THROWS();
        }
        if (rc == -ECANCELED || EG(exception))
            RETURN_FALSE; /* canceled; a Tide\Exception is thrown otherwise */
    }
    if (r < 0)
        RETURN_FALSE; /* not our child (ECHILD), as Swoole */
    php_tide_wait_result(return_value, r, status);
}

ZEND_METHOD(Tide_Coroutine_System, wait)
{
    double timeout = -1;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    if (!php_tide_coro_suspendable("Tide\\Coroutine\\System::wait()"))
        RETURN_THROWS();
    pid_t pid;
    int status;
    int rc = php_tide_process_wait_any((int64_t)timeout_ns(timeout), &pid, &status);
    if (rc == TIDE_EKILLED) {
        php_tide_coro_killed();
        RETURN_THROWS();
    }
    if (EG(exception))
        RETURN_THROWS();
    if (rc < 0)
        RETURN_FALSE; /* no child (ECHILD), or timed out */
    php_tide_wait_result(return_value, pid, status);
}

/* One coroutine in waitSignal(): the first signal of its set, and its watches. */
#define MAX_WAIT_SIGNALS 64
typedef struct {
    tide_coro_t *co;
    int got;
    tide_reactor_t *r;
    tide_op_t *ops[MAX_WAIT_SIGNALS];
    int n;
} sigwait_t;

static void on_signal(tide_reactor_t *r, void *udata, int signo)
{
    sigwait_t *w = udata;
    TIDE_UNUSED(r);
    if (!w->got) {
        w->got = signo;
        tide_coro_wake(TIDE_G(sched), w->co);
    }
}

/* The watches go (also when the scheduler drops the waiting coroutine). */
static void sigwait_end(void *arg)
{
    sigwait_t *w = arg;
    for (int i = 0; i < w->n; i++)
        tide_reactor_cancel(w->r, w->ops[i]);
    w->n = 0;
}

ZEND_METHOD(Tide_Coroutine_System, waitSignal)
{
    zval *signals;
    double timeout = -1;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ZVAL(signals)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    int nums[MAX_WAIT_SIGNALS], n = 0;
    if (Z_TYPE_P(signals) == IS_LONG) {
        nums[n++] = (int)Z_LVAL_P(signals);
    } else if (Z_TYPE_P(signals) == IS_ARRAY) {
        zval *v;
        ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(signals), v) {
            if (Z_TYPE_P(v) != IS_LONG || n == MAX_WAIT_SIGNALS) {
                zend_argument_value_error(1, "must be a signal number or an array of at most "
                                             "64 signal numbers");
                RETURN_THROWS();
            }
            nums[n++] = (int)Z_LVAL_P(v);
        } ZEND_HASH_FOREACH_END();
    } else {
        zend_argument_type_error(1, "must be of type array|int, %s given", zend_zval_type_name(signals));
        RETURN_THROWS();
    }
    for (int i = 0; i < n; i++)
        if (nums[i] <= 0 || nums[i] >= 65 || nums[i] == SIGKILL || nums[i] == SIGSTOP) {
            zend_argument_value_error(1, "must hold signal numbers from 1 to 64, not SIGKILL or "
                                         "SIGSTOP (%d given)", nums[i]);
            RETURN_THROWS();
        }
    if (n == 0) {
        zend_argument_value_error(1, "must not be empty");
        RETURN_THROWS();
    }
    if (!php_tide_coro_suspendable("Tide\\Coroutine\\System::waitSignal()"))
        RETURN_THROWS();
    sigwait_t w = {.co = tide_coro_current(TIDE_G(sched)), .r = php_tide_reactor()};
    for (int i = 0; i < n; i++) {
        int err = 0;
        tide_op_t *op = tide_reactor_signal(w.r, nums[i], on_signal, &w, &err);
        if (!op) {
            sigwait_end(&w);
            php_error_docref(NULL, E_WARNING, "cannot wait for signal %d: %s", nums[i],
                             err == -EBUSY ? "another watch has it (Tide\\Process::signal()?)"
                                           : strerror(-err));
            RETURN_FALSE;
        }
        w.ops[w.n++] = op;
    }
    tide_coro_set_drop(TIDE_G(sched), sigwait_end, &w);
    php_tide_coro_waits_on("Tide\\Coroutine\\System::waitSignal()");
    int rc = tide_coro_wait(TIDE_G(sched), (int64_t)timeout_ns(timeout), true);
    tide_coro_set_drop(TIDE_G(sched), NULL, NULL);
    sigwait_end(&w);
    if (rc == TIDE_EKILLED) {
        php_tide_coro_killed();
        RETURN_THROWS();
    }
    if (!w.got)
        RETURN_FALSE; /* timed out, or canceled */
    RETURN_LONG(w.got);
}

ZEND_METHOD(Tide_Coroutine_System, waitEvent)
{
    zval *sock;
    zend_long events = EVENT_READ;
    double timeout = -1;
    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_ZVAL(sock)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(events)
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    if (events == 0 || (events & ~(zend_long)(EVENT_READ | EVENT_WRITE))) {
        zend_argument_value_error(2, "must be Tide\\Event::READ, Tide\\Event::WRITE or both");
        RETURN_THROWS();
    }
    int kind;
    int fd = php_tide_fd_of(sock, 1, &kind);
    if (fd < 0)
        RETURN_THROWS();
    if (!php_tide_coro_suspendable("Tide\\Coroutine\\System::waitEvent()"))
        RETURN_THROWS();
    int rfd[1] = {fd}, wfd[1] = {fd};
    bool r = events & EVENT_READ, w = events & EVENT_WRITE;
    int dupfd = -1;
    if (r && w) {
        /* one watch per descriptor: the write side waits on a second one */
        dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
        if (dupfd < 0) {
            php_tide_throw(-errno, "Tide\\Coroutine\\System::waitEvent(): dup");
            RETURN_THROWS();
        }
        wfd[0] = dupfd;
    }
    int rc = php_tide_wait_fds(rfd, r, wfd, w, (int64_t)timeout_ns(timeout),
                               "Tide\\Coroutine\\System::waitEvent()", true);
    if (dupfd >= 0) {
        php_tide_forget_fd(dupfd);
        close(dupfd);
    }
    if (rc == TIDE_EKILLED) {
        php_tide_coro_killed();
        RETURN_THROWS();
    }
    if (rc < 0 || EG(exception))
        RETURN_FALSE;
    /* which of them is ready now */
    struct pollfd p = {.fd = fd, .events = (short)((r ? POLLIN : 0) | (w ? POLLOUT : 0))};
    zend_long ready = 0;
    if (poll(&p, 1, 0) > 0) {
        if (p.revents & (POLLIN | POLLHUP | POLLERR))
            ready |= r ? EVENT_READ : 0;
        if (p.revents & (POLLOUT | POLLERR))
            ready |= w ? EVENT_WRITE : 0;
    }
    if (!ready)
        RETURN_FALSE; /* timed out */
    RETURN_LONG(ready);
}

ZEND_METHOD(Tide_Coroutine_System, statvfs)
{
    zend_string *path;
    struct statvfs st;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_PATH_STR(path)
    ZEND_PARSE_PARAMETERS_END();
    if (statvfs(ZSTR_VAL(path), &st) < 0)
        RETURN_FALSE;
    array_init_size(return_value, 11);
    add_assoc_long(return_value, "bsize", (zend_long)st.f_bsize);
    add_assoc_long(return_value, "frsize", (zend_long)st.f_frsize);
    add_assoc_long(return_value, "blocks", (zend_long)st.f_blocks);
    add_assoc_long(return_value, "bfree", (zend_long)st.f_bfree);
    add_assoc_long(return_value, "bavail", (zend_long)st.f_bavail);
    add_assoc_long(return_value, "files", (zend_long)st.f_files);
    add_assoc_long(return_value, "ffree", (zend_long)st.f_ffree);
    add_assoc_long(return_value, "favail", (zend_long)st.f_favail);
    add_assoc_long(return_value, "fsid", (zend_long)st.f_fsid);
    add_assoc_long(return_value, "flag", (zend_long)st.f_flag);
    add_assoc_long(return_value, "namemax", (zend_long)st.f_namemax);
}

void php_tide_system_minit(void)
{
    php_tide_system_ce = register_class_Tide_Coroutine_System();
}

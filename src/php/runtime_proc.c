/* SPDX-License-Identifier: MIT */
/*
 * HOOK_PROC, the rest of it (proc_open's pipes are in runtime_stream.c): exec(), system(),
 * passthru(), shell_exec() (and the backtick operator, which calls it) and the wait of
 * proc_close(), in the calling coroutine.
 *
 * The four run the command as popen(3) does, `/bin/sh -c command` with its output on a
 * pipe and everything else inherited, and read that pipe on the reactor; they return and
 * print what PHP's own do (php_exec() in ext/standard/exec.c): lines split at "\n", trailing
 * whitespace stripped where PHP strips it, system() writing each line as it comes and
 * flushing when no output buffer is open, the exit code as pclose(3) reports it, PHP's
 * warnings when the shell cannot start. Argument errors are the stock functions' own.
 *
 * The wait for the command's end is on a pidfd (Linux 5.3), which becomes readable when the
 * child exits, so the coroutine waits on the reactor until then too; the child is reaped by
 * pid (waitpid), never by "any child". proc_close() closes the pipes, waits the same way,
 * then lets the stock function reap and report.
 *
 * A cancel does not end these calls (a stock call ignores a signal's interruption too): the
 * command runs to its end. A coroutine killed while it waits kills its command (SIGKILL)
 * and reaps it, so no process outlives its caller unseen.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "php.h"
#include "SAPI.h"
#include "ext/standard/proc_open.h"
#include "main/php_output.h"
#include "zend_smart_str.h"
#include "php_tide.h"

extern char **environ;

/* ---- the child ---- */

/* `/bin/sh -c cmd` with its stdout (and stderr: with_stderr) on a pipe: the pid, and the
 * pipe's read end (non-blocking, close-on-exec) in *out; -1 with errno when it cannot
 * start. */
static pid_t spawn_shell(const char *cmd, bool with_stderr, int *out)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (p[1] != STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO); /* (dup2 drops CLOEXEC) */
    if (with_stderr)
        posix_spawn_file_actions_adddup2(&fa, p[1], STDERR_FILENO);
    char *argv[] = {"sh", "-c", (char *)cmd, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(p[1]);
    if (rc != 0) {
        close(p[0]);
        errno = rc;
        return -1;
    }
    fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
    *out = p[0];
    return pid;
}

/*
 * Waits in the coroutine until child pid has exited (not reaping it): on its pidfd, or, on
 * a kernel without pidfds, not at all (the reap that follows waits). 0, or TIDE_EKILLED.
 */
static int wait_exit(pid_t pid, const char *what)
{
    int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pfd < 0)
        return 0;
    int rc = php_tide_wait_fd_ex(pfd, false, -1, what, false);
    php_tide_forget_fd(pfd);
    close(pfd);
    return rc == TIDE_EKILLED ? rc : 0;
}

/* Reaps pid: its wait status, or -1. killed: the caller's coroutine is going; so does the
 * child. */
static int reap_status(pid_t pid, bool killed, const char *what)
{
    if (killed || wait_exit(pid, what) == TIDE_EKILLED)
        kill(pid, SIGKILL);
    int status;
    pid_t r;
    while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
        ;
    return r == pid ? status : -1;
}

/* Reaps pid: its exit code, or the raw wait status when a signal ended it (as PHP reports
 * pclose()'s), or -1. */
static int reap(pid_t pid, bool killed, const char *what)
{
    int status = reap_status(pid, killed, what);
    if (status < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : status;
}

/* ---- what the caller gets of the output (php_exec()'s types) ---- */

enum { T_LAST = 0, T_SYSTEM = 1, T_ARRAY = 2, T_PASSTHRU = 3, T_SHELL = 4 };

typedef struct exec_out {
    int type;
    zval *array;       /* T_ARRAY */
    smart_str pending; /* a line not yet ended */
    smart_str all;     /* T_SHELL */
    zend_string *last; /* the last line, stripped */
} exec_out_t;

static size_t stripped(const char *s, size_t len)
{
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    return len;
}

static void one_line(exec_out_t *o, const char *s, size_t len)
{
    if (o->type == T_SYSTEM) {
        PHPWRITE(s, len);
        if (php_output_get_level() < 1)
            sapi_flush();
    }
    size_t l = stripped(s, len);
    if (o->type == T_ARRAY)
        add_next_index_stringl(o->array, s, l);
    if (o->last)
        zend_string_release(o->last);
    o->last = zend_string_init(s, l, 0);
}

static void feed(exec_out_t *o, const char *data, size_t n)
{
    if (o->type == T_PASSTHRU) {
        PHPWRITE(data, n);
        return;
    }
    if (o->type == T_SHELL) {
        smart_str_appendl(&o->all, data, n);
        return;
    }
    const char *end = data + n;
    while (data < end) {
        const char *nl = memchr(data, '\n', (size_t)(end - data));
        if (!nl) {
            smart_str_appendl(&o->pending, data, (size_t)(end - data));
            return;
        }
        size_t len = (size_t)(nl + 1 - data);
        if (o->pending.s && ZSTR_LEN(o->pending.s)) {
            smart_str_appendl(&o->pending, data, len);
            one_line(o, ZSTR_VAL(o->pending.s), ZSTR_LEN(o->pending.s));
            ZSTR_LEN(o->pending.s) = 0;
        } else {
            one_line(o, data, len);
        }
        data = nl + 1;
    }
}

/* Reads fd to its end into o, waiting in the coroutine, then closes it; true when the
 * coroutine was killed meanwhile. */
static bool read_all(int fd, exec_out_t *o, const char *what)
{
    bool killed = false;
    char buf[8192];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n > 0) {
            feed(o, buf, (size_t)n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int rc = php_tide_wait_fd_ex(fd, false, -1, what, false);
            if (rc == 0)
                continue;
            killed = rc == TIDE_EKILLED;
        }
        break; /* end of output, an error, or killed */
    }
    php_tide_forget_fd(fd);
    close(fd);
    return killed;
}

/*
 * Runs cmd and hands its output to o; the exit code (or -1 when the shell did not start,
 * with PHP's warning and false in return_value), or TIDE_EKILLED.
 */
static int run_command(exec_out_t *o, const char *cmd, const char *what, zval *return_value)
{
    int fd;
    pid_t pid = spawn_shell(cmd, false, &fd);
    if (pid < 0) {
        if (o->type == T_SHELL)
            php_error_docref(NULL, E_WARNING, "Unable to execute '%s'", cmd);
        else
            php_error_docref(NULL, E_WARNING, "Unable to fork [%s]", cmd);
        RETVAL_FALSE;
        return -1;
    }
    bool killed = read_all(fd, o, what);
    if (!killed && o->pending.s && ZSTR_LEN(o->pending.s))
        one_line(o, ZSTR_VAL(o->pending.s), ZSTR_LEN(o->pending.s));
    int code = reap(pid, killed, what);
    return killed || EG(exception) ? TIDE_EKILLED : code;
}

static void exec_out_free(exec_out_t *o)
{
    smart_str_free(&o->pending);
    smart_str_free(&o->all);
    if (o->last)
        zend_string_release(o->last);
}

int php_tide_proc_exec(const char *cmd, bool with_stderr, zend_string **output, int *status,
                       const char *what)
{
    int fd;
    pid_t pid = spawn_shell(cmd, with_stderr, &fd);
    if (pid < 0)
        return -errno;
    exec_out_t o = {.type = T_SHELL};
    bool killed = read_all(fd, &o, what);
    *status = reap_status(pid, killed, what);
    if (killed || EG(exception)) {
        exec_out_free(&o);
        return TIDE_EKILLED;
    }
    smart_str_0(&o.all);
    *output = o.all.s ? o.all.s : ZSTR_EMPTY_ALLOC();
    o.all.s = NULL;
    exec_out_free(&o);
    return 0;
}

/* ---- the functions ---- */

enum { P_EXEC, P_SYSTEM, P_PASSTHRU, P_SHELL, P_CLOSE, P_COUNT };
static zif_handler stock[P_COUNT];

/* exec(), system(), passthru(): php_exec_ex()'s arguments, then the command here. */
static void exec_family(INTERNAL_FUNCTION_PARAMETERS, int fn, int mode, const char *what)
{
    if (!php_tide_hooked(PHP_TIDE_HOOK_PROC)) {
        stock[fn](execute_data, return_value);
        return;
    }
    char *cmd;
    size_t cmd_len;
    zval *ret_code = NULL, *ret_array = NULL;
    ZEND_PARSE_PARAMETERS_START(1, (mode ? 2 : 3))
        Z_PARAM_STRING(cmd, cmd_len)
        Z_PARAM_OPTIONAL
        if (!mode) {
            Z_PARAM_ZVAL(ret_array)
        }
        Z_PARAM_ZVAL(ret_code)
    ZEND_PARSE_PARAMETERS_END();
    if (!cmd_len || strlen(cmd) != cmd_len) {
        stock[fn](execute_data, return_value); /* its ValueError */
        return;
    }
    exec_out_t o = {.type = mode};
    if (ret_array) {
        if (Z_TYPE_P(Z_REFVAL_P(ret_array)) == IS_ARRAY) {
            ZVAL_DEREF(ret_array);
            SEPARATE_ARRAY(ret_array);
        } else if (!(ret_array = zend_try_array_init(ret_array))) {
            RETURN_THROWS();
        }
        o.type = T_ARRAY;
        o.array = ret_array;
    }
    int code = run_command(&o, cmd, what, return_value);
    if (code == TIDE_EKILLED) {
        exec_out_free(&o);
        RETURN_THROWS();
    }
    if (code != -1 || Z_TYPE_P(return_value) != IS_FALSE) {
        if (o.type != T_PASSTHRU) {
            if (o.last) {
                RETVAL_STR(o.last);
                o.last = NULL;
            } else {
                RETVAL_EMPTY_STRING();
            }
        }
    }
    exec_out_free(&o);
    if (ret_code)
        ZEND_TRY_ASSIGN_REF_LONG(ret_code, code);
}

static ZEND_NAMED_FUNCTION(hook_exec)
{
    exec_family(INTERNAL_FUNCTION_PARAM_PASSTHRU, P_EXEC, T_LAST, "exec()");
}

static ZEND_NAMED_FUNCTION(hook_system)
{
    exec_family(INTERNAL_FUNCTION_PARAM_PASSTHRU, P_SYSTEM, T_SYSTEM, "system()");
}

static ZEND_NAMED_FUNCTION(hook_passthru)
{
    exec_family(INTERNAL_FUNCTION_PARAM_PASSTHRU, P_PASSTHRU, T_PASSTHRU, "passthru()");
}

static ZEND_NAMED_FUNCTION(hook_shell_exec)
{
    char *cmd;
    size_t cmd_len;
    if (!php_tide_hooked(PHP_TIDE_HOOK_PROC)) {
        stock[P_SHELL](execute_data, return_value);
        return;
    }
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STRING(cmd, cmd_len)
    ZEND_PARSE_PARAMETERS_END();
    if (!cmd_len || strlen(cmd) != cmd_len) {
        stock[P_SHELL](execute_data, return_value);
        return;
    }
    exec_out_t o = {.type = T_SHELL};
    int code = run_command(&o, cmd, "shell_exec()", return_value);
    if (code == TIDE_EKILLED) {
        exec_out_free(&o);
        RETURN_THROWS();
    }
    /* The output, or null when there was none (PHP's shell_exec()). */
    if (code != -1 || Z_TYPE_P(return_value) != IS_FALSE) {
        if (o.all.s && ZSTR_LEN(o.all.s) > 0)
            RETVAL_STR(smart_str_extract(&o.all));
    }
    exec_out_free(&o);
}

/* proc_close(): the pipes closed and the child's end waited for here; then the stock one,
 * which finds it ended, reaps it and reports. */
static ZEND_NAMED_FUNCTION(hook_proc_close)
{
    if (php_tide_hooked(PHP_TIDE_HOOK_PROC) && ZEND_NUM_ARGS() == 1) {
        zval *z = ZEND_CALL_ARG(execute_data, 1);
        ZVAL_DEREF(z);
        const char *type = Z_TYPE_P(z) == IS_RESOURCE ? zend_rsrc_list_get_rsrc_type(Z_RES_P(z))
                                                      : NULL;
        php_process_handle *proc = type && strcmp(type, "process") == 0 ? Z_RES_P(z)->ptr : NULL;
        if (proc) {
            /* As the stock resource destructor does first: the child may be waiting for
             * its input to end. */
            for (int i = 0; i < proc->npipes; i++) {
                if (proc->pipes[i]) {
                    GC_DELREF(proc->pipes[i]);
                    zend_list_close(proc->pipes[i]);
                    proc->pipes[i] = NULL;
                }
            }
            if (wait_exit(proc->child, "proc_close()") == TIDE_EKILLED)
                RETURN_THROWS();
        }
    }
    stock[P_CLOSE](execute_data, return_value);
}

static const php_tide_hook_t hooks[P_COUNT] = {
    [P_EXEC] = {"exec", hook_exec},
    [P_SYSTEM] = {"system", hook_system},
    [P_PASSTHRU] = {"passthru", hook_passthru},
    [P_SHELL] = {"shell_exec", hook_shell_exec},
    [P_CLOSE] = {"proc_close", hook_proc_close},
};

void php_tide_proc_hooks_minit(void)
{
    php_tide_hook_functions(hooks, stock, P_COUNT);
}

void php_tide_proc_hooks_mshutdown(void)
{
    php_tide_unhook_functions(hooks, stock, P_COUNT);
}

/* SPDX-License-Identifier: MIT */
/*
 * What the Zend layer's files share: the module globals (one reactor per process, made on
 * first use), the class entries, and each file's minit/mshutdown.
 */
#ifndef PHP_TIDE_H
#define PHP_TIDE_H

#include "php.h"

/* configure refuses ZTS too (config.m4): the reactor, the scheduler and the signal
 * handlers are one per process. */
#ifdef ZTS
#error "Tide needs a non-thread-safe (NTS) PHP"
#endif

#include "tide/common.h"
#include "tide/coro.h"
#include "tide/reactor.h"

extern zend_module_entry tide_module_entry;
#define phpext_tide_ptr &tide_module_entry

ZEND_BEGIN_MODULE_GLOBALS(tide)
    char *reactor_backend; /* ini tide.reactor_backend */
    bool swoole_compat;    /* ini tide.swoole_compat (startup only) */
    tide_reactor_t *reactor;
    HashTable timers;  /* timer id => php_tide_timer_t*, the timers PHP code made */
    zend_long timer_rounds; /* timer callbacks run (Timer::stats()'s round) */
    bool in_loop;      /* Tide\run() or Event::wait() is running the loop */
    bool wait_registered; /* Event::wait() is registered as a shutdown function */
    tide_sched_t *sched;  /* the coroutine scheduler, on `reactor` */
    zend_object *coro_exception; /* the first uncaught exception of a coroutine */
    bool coro_exit;       /* exit() was called in a coroutine */
    bool coro_bailout;    /* a fatal error ended a coroutine */
    bool loop_abandoned;  /* a fatal error ended the loop: what it ran is dead */
    bool loop_exit;       /* Tide\Event::exit() stopped the loop: no deadlock report */
    bool deadlock_check;  /* Coroutine::set(['deadlock_check' => ...]), default on */
    zend_long max_coroutine, stack_size, hook_flags;
    int64_t forked_in_coro; /* this process was forked inside this coroutine of its parent */
    bool sched_inherited;   /* ... and `sched` is still that parent's (coroutine.c) */
    zend_long last_error; /* the code of the last Tide\Exception with one (swoole_last_error()) */
    zval coro_options;    /* what Coroutine::set() was given (getOptions()), or UNDEF */
    unsigned sched_fork_gen; /* tide_fork_generation() when `sched` was checked last */
    /* A running server's choice, for every reactor its processes make: the backend
     * (TIDE_BACKEND_AUTO: as TIDE_REACTOR / tide.reactor_backend say) and the ring size. */
    int server_backend;
    zend_long reactor_entries;
ZEND_END_MODULE_GLOBALS(tide)

ZEND_EXTERN_MODULE_GLOBALS(tide)
#define TIDE_G(v) ZEND_MODULE_GLOBALS_ACCESSOR(tide, v)

/* Runtime hooks (runtime.c): which blocking calls suspend only their coroutine. The values
 * are Swoole's where Swoole has the name. */
#define PHP_TIDE_HOOK_TCP (1 << 1)
#define PHP_TIDE_HOOK_UDP (1 << 2)
#define PHP_TIDE_HOOK_UNIX (1 << 3)
#define PHP_TIDE_HOOK_UDG (1 << 4)
#define PHP_TIDE_HOOK_SSL (1 << 5)
#define PHP_TIDE_HOOK_TLS (1 << 6)
#define PHP_TIDE_HOOK_STREAM_FUNCTION (1 << 7)
#define PHP_TIDE_HOOK_FILE (1 << 8)
#define PHP_TIDE_HOOK_SLEEP (1 << 9)
#define PHP_TIDE_HOOK_PROC (1 << 10)
#define PHP_TIDE_HOOK_DNS (1 << 11)
#define PHP_TIDE_HOOK_CURL (1 << 12)
#define PHP_TIDE_HOOK_ALL 0x1ffe

extern zend_class_entry *php_tide_exception_ce;

/* Throws Tide\Exception with the message; its code is -rc for a failure (rc < 0: an errno
 * or a TIDE_E* code, so getCode() is positive), 0 for wrong usage (rc >= 0). See error.c. */
ZEND_COLD void php_tide_throw(int rc, const char *fmt, ...) ZEND_ATTRIBUTE_FORMAT(printf, 2, 3);
/* A method used where it cannot work (the wrong process, a server without task workers, a
 * second start()): php_tide_throw(); with tide.swoole_compat=On, Swoole's warning instead,
 * and the caller returns false (PHP_TIDE_RETURN_REFUSED). */
ZEND_COLD void php_tide_refuse(int rc, const char *fmt, ...) ZEND_ATTRIBUTE_FORMAT(printf, 2, 3);
#define PHP_TIDE_RETURN_REFUSED()                                                              \
    do {                                                                                       \
        if (EG(exception))                                                                     \
            RETURN_THROWS();                                                                   \
        RETURN_FALSE;                                                                          \
    } while (0)

/* The process's reactor, made on first use with the backend chosen by TIDE_REACTOR or
 * tide.reactor_backend. NULL with a Tide\Exception thrown when it cannot be made. */
tide_reactor_t *php_tide_reactor(void);
/* Which backend the environment and ini ask for; false (with *bad naming the culprit) when
 * the value is not a backend name. */
bool php_tide_requested_backend(tide_backend_t *out, const char **source, const char **bad);
/* Runs the scheduler and loop until nothing is left; false if coroutines were left waiting
 * (deadlock). The caller then calls php_tide_coro_rethrow(). */
bool php_tide_loop_run(void);
/* Registers Tide\Event::wait() as a shutdown function (once per request). */
void php_tide_wait_at_shutdown(void);

/* The process's scheduler (made with the reactor on first use); NULL with an exception. */
tide_sched_t *php_tide_sched_slow(void);
/* The same, without a call when nothing changed (no fork, no fatal error) since last time:
 * it sits on every channel operation. */
static zend_always_inline tide_sched_t *php_tide_sched(void)
{
    if (EXPECTED(TIDE_G(sched) && TIDE_G(sched_fork_gen) == tide_fork_generation() &&
                 !TIDE_G(loop_abandoned)))
        return TIDE_G(sched);
    return php_tide_sched_slow();
}
/*
 * Starts a coroutine running callable(...argv) (the values are copied) and runs it until it
 * first suspends. Its id, or 0 with a warning when max_coroutine is reached (or a stack
 * cannot be mapped). From a coroutine, an uncaught exception pending from the new one
 * makes the caller unwind; from the main context outside the loop it is rethrown here.
 */
zend_long php_tide_coro_spawn(zval *callable, zend_fcall_info_cache *fcc, zval *argv,
                              uint32_t argc);
/* The same, and done(arg) runs once the coroutine is gone (or at once if it could not
 * start): a server worker counts the requests it has finished. */
zend_long php_tide_coro_spawn_done(zval *callable, zend_fcall_info_cache *fcc, zval *argv,
                                   uint32_t argc, void (*done)(void *arg), void *arg);
/* The same, with the callable's return value left in *result (UNDEF until it returns, and
 * if it threw) for done() to take. */
zend_long php_tide_coro_spawn_result(zval *callable, zend_fcall_info_cache *fcc, zval *argv,
                                     uint32_t argc, zval *result, void (*done)(void *arg),
                                     void *arg);
/*
 * What happens to an exception a coroutine leaves uncaught. By default (NULL) it stops
 * the scheduler and propagates out of Tide\run(). A server worker installs a handler that
 * logs it and keeps serving; the handler must not keep the object (it is released after).
 */
typedef void (*php_tide_uncaught_handler_t)(zend_object *exception);
void php_tide_coro_set_uncaught_handler(php_tide_uncaught_handler_t handler);
/* In the main context: throws what a coroutine left uncaught (or exit()); true if so. */
bool php_tide_coro_rethrow(void);
/* What Tide\run() does: start(arg) spawns the first coroutines, then the loop runs until
 * nothing is left. 1 when all ended, 0 when coroutines were left waiting (a deadlock,
 * reported), -1 with an exception (refused: in a coroutine or in the loop; or thrown by a
 * coroutine). what names the caller in errors. */
int php_tide_run_loop(const char *what, bool (*start)(void *arg), void *arg);
/* After running another coroutine at once (a channel hand-off in Swoole's order): true
 * when it failed in a way that ends the caller too (an exception is then thrown). */
bool php_tide_coro_resumed_failed(void);
/* Throws Tide\Exception naming `what` unless a coroutine runs; false then. */
bool php_tide_coro_required(const char *what);
/* The same, and also false (with the exception) where the coroutine must not switch
 * stacks: while the garbage collector runs, and where PHP forbids Fiber switches
 * (destructors before PHP 8.4, tick functions, pcntl signal handlers). For calls that
 * suspend. */
bool php_tide_coro_suspendable(const char *what);
/* Whether a coroutine runs that may suspend here (php_tide_coro_suspendable without the
 * exception). */
bool php_tide_coro_can_suspend(void);
/* Records where and on what the running coroutine waits (for the deadlock report). */
void php_tide_coro_waits_on(const char *what);
/* After a wait returned TIDE_EKILLED: throws the graceful exit that unwinds the coroutine. */
void php_tide_coro_killed(void);
/* After the loop: prints the deadlock report if coroutines are left; true if any are. */
bool php_tide_report_deadlock(void);
/* Frees the scheduler without running PHP code (fork, request end). */
void php_tide_sched_drop(void);
int php_tide_coro_minit(INIT_FUNC_ARGS);
void php_tide_coro_mshutdown(void);
void php_tide_coro_rinit(void);
void php_tide_coro_rshutdown(void);
int php_tide_channel_minit(INIT_FUNC_ARGS);
int php_tide_runtime_minit(INIT_FUNC_ARGS);
void php_tide_runtime_mshutdown(void);
/* Whether a hooked call runs its hook: inside a coroutine that may switch, with `flag` on
 * (one of PHP_TIDE_HOOK_*). */
bool php_tide_hooked(int flag);
/* Replaces PHP function `name`'s handler with hook (the stock one into *stock_out; left
 * NULL when PHP has no such function), and puts it back. */
void php_tide_hook_function(const char *name, zif_handler hook, zif_handler *stock_out);
void php_tide_unhook_function(const char *name, zif_handler hook, zif_handler *stock_io);
/* The same for a table of n functions, stock handlers into stock[i]. */
typedef struct php_tide_hook {
    const char *name;
    zif_handler handler;
} php_tide_hook_t;
void php_tide_hook_functions(const php_tide_hook_t *hooks, zif_handler *stock, size_t n);
void php_tide_unhook_functions(const php_tide_hook_t *hooks, zif_handler *stock, size_t n);
/* The socket transports under HOOK_TCP/UDP/UNIX/UDG (runtime_stream.c). */
void php_tide_stream_hooks_minit(void);
void php_tide_stream_hooks_mshutdown(void);
void php_tide_stream_hooks_rshutdown(void);
/* The reactor the sockets' watches are on is going away: forget them (it frees them). */
void php_tide_stream_watches_forget(void);
/* HOOK_FILE: plain files on the reactor (runtime_file.c). */
void php_tide_file_hooks_minit(void);
void php_tide_file_hooks_mshutdown(void);
/*
 * A coroutine waiting for a reactor file op or work (runtime_file.c): make one with `cap`
 * bytes of buffer of its own (what the op reads or writes, or the work's argument), start
 * the op with php_tide_op_done and the wait as udata, then php_tide_op_await(): 0 with the
 * op's result in *res (free the wait then), or TIDE_EKILLED (exit thrown; the wait is no
 * longer the caller's: the op's callback, or the reactor's end, frees it). A cancel does
 * not end the wait: the op cannot be recalled.
 */
typedef struct php_tide_op_wait php_tide_op_wait_t;
php_tide_op_wait_t *php_tide_op_wait_new(size_t cap);
void *php_tide_op_wait_buf(php_tide_op_wait_t *w);
void php_tide_op_wait_free(php_tide_op_wait_t *w);
void php_tide_op_done(tide_reactor_t *r, void *udata, ssize_t res);
int php_tide_op_await(php_tide_op_wait_t *w, const char *what, ssize_t *res);
/* Reactor r was destroyed: the waits its dropped ops left are freed. */
void php_tide_ops_reactor_gone(tide_reactor_t *r);
/* HOOK_DNS (runtime_dns.c): gethostbyname(l), and the lookup of a hooked connect: the
 * addresses of host (emalloc'd; NULL when the name is not one to look up, or with *rc
 * TIDE_EKILLED), each as a transport's "ip:port", and PHP's error text when it has none. */
typedef struct php_tide_dns php_tide_dns_t;
void php_tide_dns_hooks_minit(void);
void php_tide_dns_hooks_mshutdown(void);
php_tide_dns_t *php_tide_dns_connect_lookup(const char *host, size_t host_len, int socktype,
                                            const char *what, int *rc);
/* getaddrinfo(host) with these hints, in the coroutine (Coroutine\System's lookups); NULL
 * for a name that cannot be one, or with *rc TIDE_EKILLED. */
php_tide_dns_t *php_tide_dns_lookup(const char *host, size_t host_len, int family, int socktype,
                                    int protocol, const char *what, int *rc);
/* Address i as text into out (INET6_ADDRSTRLEN bytes); its family. */
int php_tide_dns_ip(const php_tide_dns_t *j, int i, char *out, size_t len);
int php_tide_dns_count(const php_tide_dns_t *j);
zend_string *php_tide_dns_error(const php_tide_dns_t *j);
size_t php_tide_dns_name(const php_tide_dns_t *j, int i, unsigned port, char *out, size_t len);
/* Class autoloading across coroutines (autoload.c). */
void php_tide_autoload_minit(void);
void php_tide_autoload_mshutdown(void);
void php_tide_autoload_rshutdown(void);
/* Suspends the running coroutine until fd is readable (writable: out), timeout_ns (< 0:
 * none), a cancel or a kill. 0, -ETIMEDOUT, -ECANCELED, TIDE_EKILLED (exit thrown), or
 * another negative code with a Tide\Exception thrown (another coroutine waits on fd). */
int php_tide_wait_fd(int fd, bool out, int64_t timeout_ns, const char *what);
/* The same; `cancelable` false: a cancel does not end the wait (a kill does). */
int php_tide_wait_fd_ex(int fd, bool out, int64_t timeout_ns, const char *what, bool cancelable);
/* Waits until one of rfds is readable or one of wfds writable, or timeout_ns (< 0: none),
 * or a cancel (when cancelable); each fd in one of the two. 0, TIDE_EKILLED (exit thrown),
 * or -errno when a descriptor cannot be watched (another coroutine waits on it). */
int php_tide_wait_fds(const int *rfds, size_t nr, const int *wfds, size_t nw,
                      int64_t timeout_ns, const char *what, bool cancelable);
/* fd is about to be closed by its owner: its watch goes (the reactor must not keep it). */
void php_tide_forget_fd(int fd);
/* HOOK_CURL (runtime_curl.c): hooked after every extension's startup, when ext/curl is
 * loaded. */
void php_tide_curl_hooks_startup(void);
void php_tide_curl_hooks_mshutdown(void);
/* HOOK_PROC's exec(), system(), passthru(), shell_exec() and proc_close() (runtime_proc.c). */
void php_tide_proc_hooks_minit(void);
/* Runs `/bin/sh -c cmd` and reads its stdout (and stderr: with_stderr) in the coroutine:
 * 0 with *output and the wait status in *status, -errno when it could not start, or
 * TIDE_EKILLED (the child is killed and reaped). Coroutine\System::exec(). */
int php_tide_proc_exec(const char *cmd, bool with_stderr, zend_string **output, int *status,
                       const char *what);
void php_tide_proc_hooks_mshutdown(void);
/* Checks a set of Tide\HOOK_* flags given as argument `arg` of the running function (as
 * its option `option`, when not NULL); false after a ValueError. */
bool php_tide_hook_flags_valid(zend_long flags, uint32_t arg, const char *option);
/* Coroutine::set()'s options, also taken by Server::set(). */
bool php_tide_coro_option_known(const char *name);
bool php_tide_coro_option(zend_string *key, zval *value, uint32_t arg);
/* A size: an int, or a string with PHP's ini suffixes ('2M', '512K', '1G'), as Swoole
 * takes sizes. False with a ValueError naming the option (arg 0: a setting). */
bool php_tide_parse_size(zval *value, zend_long *out, uint32_t arg, const char *name);

int php_tide_loop_minit(INIT_FUNC_ARGS);
void php_tide_loop_rshutdown(void);
/* Tide\Event (event.c): Swoole's event names and values. */
#define PHP_TIDE_EVENT_READ 512
#define PHP_TIDE_EVENT_WRITE 1024
/* Drops every fd watch, deferred and per-turn callback (Event::exit()). */
void php_tide_event_clear(void);
/* The same without touching the reactor, which is gone or going (fork, fatal error). */
void php_tide_event_forget(void);
void php_tide_event_rshutdown(void);
int php_tide_timer_minit(INIT_FUNC_ARGS);
void php_tide_timer_rinit(void);
void php_tide_timer_rshutdown(void);
/* After fork(): drops the PHP side of the parent's timers (the child's reactor is new). */
void php_tide_timer_forget_all(void);
/* Tide\Timer::clearAll(): a stopping server worker drops its timers. */
void php_tide_timer_clear_all(void);
int php_tide_server_minit(INIT_FUNC_ARGS);
/* Frees what HTTP responses keep per process (the compression streams). */
void php_tide_response_mshutdown(void);
/* Shared memory (src/php/table.c, src/php/sync.c): Tide\Table; Tide\Atomic, Tide\Lock. */
void php_tide_system_minit(void);
/* The fd of an int, a stream or an ext/sockets Socket (event.c), and which of them it was
 * in *kind; -1 with a TypeError/ValueError naming argument arg. */
int php_tide_fd_of(zval *z, uint32_t arg, int *kind);
/* tide.swoole_compat=On: Channel::push()/pop() in Swoole's order (channel.c). */
void php_tide_channel_swoole_order(void);
void php_tide_scheduler_minit(void);
void php_tide_colock_minit(void);
void php_tide_table_minit(void);
void php_tide_sync_minit(void);
/* Tide\Coroutine\Http\Client (src/php/http_client.c); after the WebSocket classes. */
void php_tide_http_client_minit(void);
/* Tide\Coroutine\Http\Server (src/php/coserver.c). */
void php_tide_coserver_minit(void);
/* http_response_ws.c: Response::recv()/push()... of Coroutine\Http\Server (and ws_peer.c) */
void php_tide_response_ws_minit(void);
/* Tide\Coroutine\Client and Tide\Client (src/php/client.c). */
void php_tide_client_minit(int module_number);
/* Tide\Process (src/php/process.c); its rshutdown drops the signal callbacks. */
extern zend_class_entry *php_tide_process_ce;
void php_tide_process_minit(int module_number);
void php_tide_process_rshutdown(void);
/* Waits in the coroutine for any child to end (and reaps it): 0 with *pid and *status,
 * -ECHILD (no child), -ETIMEDOUT (timeout_ns < 0: none), TIDE_EKILLED. */
int php_tide_process_wait_any(int64_t timeout_ns, pid_t *pid, int *status);
/* ['pid', 'code', 'signal'] of a reaped child, which Tide\Process forgets. */
void php_tide_wait_result(zval *return_value, pid_t pid, int status);
/* Server::addProcess(): true when obj (a Tide\Process) may be added; false with a
 * Tide\Exception (not constructed) or a ValueError naming argument arg_num (started). */
bool php_tide_process_check_addable(zend_object *obj, uint32_t arg_num);
/* In the child the server started for an added process: runs its callback (in a fresh
 * Tide\run() with enable_coroutine) and leaves as exit() does (an unwind exit pending, or
 * the uncaught exception reported, status 255). Never returns into the script. */
void php_tide_process_run_child(zend_object *obj);
/* tide.swoole_compat=On: Swoole's names (src/php/compat.c); FAILURE next to swoole itself. */
int php_tide_compat_minit(int module_number);
void php_tide_server_rshutdown(void);

#endif

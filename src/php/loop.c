/* SPDX-License-Identifier: MIT */
/*
 * The event loop as PHP sees it: the process's reactor and scheduler (made on first use),
 * Tide\run(), Tide\Event::wait(), and what happens after the loop: the deadlock report,
 * tearing down what is left, and rethrowing what a coroutine left uncaught.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <unistd.h>

#include "php.h"
#include "ext/standard/basic_functions.h"
#include "php_tide.h"
#include "zend_exceptions.h"

/* The reactor and scheduler of a parent process, still on the stack in a child forked by
 * a callback: freed when that loop unwinds (php_tide_loop_run). */
static tide_reactor_t *inherited_running;

bool php_tide_requested_backend(tide_backend_t *out, const char **source, const char **bad)
{
    const char *env = getenv("TIDE_REACTOR");
    const char *value;

    if (env && *env) {
        *source = "TIDE_REACTOR";
        value = env;
    } else {
        *source = "tide.reactor_backend";
        value = TIDE_G(reactor_backend) ? TIDE_G(reactor_backend) : "auto";
    }
    if (tide_backend_parse(value, out) < 0) {
        *bad = *source;
        return false;
    }
    return true;
}

tide_reactor_t *php_tide_reactor(void)
{
    tide_backend_t want;
    const char *source, *bad;
    char why[256] = "";

    if (TIDE_G(loop_abandoned) && !TIDE_G(in_loop)) {
        /* After a fatal error: the coroutines and timers the dead script left are dropped. */
        TIDE_G(loop_abandoned) = false;
        php_tide_sched_drop();
        php_tide_stream_watches_forget();
        php_tide_event_forget();
        if (TIDE_G(reactor)) {
            tide_reactor_destroy(TIDE_G(reactor));
            php_tide_ops_reactor_gone(TIDE_G(reactor));
        }
        TIDE_G(reactor) = NULL;
        php_tide_timer_forget_all();
    }
    if (TIDE_G(reactor) && !tide_reactor_forked(TIDE_G(reactor)))
        return TIDE_G(reactor);
    if (TIDE_G(reactor)) {
        /* Inherited through fork(): its ring belongs to the parent, and so do its timers
         * and coroutines. The child starts afresh. */
        if (TIDE_G(in_loop)) {
            inherited_running = TIDE_G(reactor);
        } else if (TIDE_G(sched) && !tide_coro_is_main(tide_coro_current(TIDE_G(sched)))) {
            /* Forked in a coroutine made outside the loop, whose stack the child still runs
             * on: that scheduler (and the reactor its waits use) must outlive it. Left to the
             * child's exit. */
            TIDE_G(sched) = NULL;
        } else {
            php_tide_sched_drop();
            php_tide_stream_watches_forget();
            php_tide_event_forget();
            tide_reactor_destroy(TIDE_G(reactor));
            php_tide_ops_reactor_gone(TIDE_G(reactor));
        }
        TIDE_G(reactor) = NULL;
        php_tide_timer_forget_all();
    }
    if (TIDE_G(server_backend) != TIDE_BACKEND_AUTO) {
        /* A server's processes all take the backend its first one got (or its setting):
         * no second probe, no second fallback line. */
        want = (tide_backend_t)TIDE_G(server_backend);
        source = "the server's reactor_backend";
    } else if (!php_tide_requested_backend(&want, &source, &bad)) {
        php_tide_throw(TIDE_EBACKEND, "%s must be auto, io_uring or epoll", bad);
        return NULL;
    }
    tide_reactor_opts_t opts = {want, (unsigned)TIDE_G(reactor_entries)};
    int rc = tide_reactor_create(&TIDE_G(reactor), &opts, why, sizeof(why));
    if (rc < 0) {
        TIDE_G(reactor) = NULL;
        php_tide_throw(rc, "Cannot start the event loop: %s asks for %s, but %s", source,
                       tide_backend_name(want), why[0] ? why : tide_strerror(rc));
        return NULL;
    }
    return TIDE_G(reactor);
}

/* Runs the scheduler and the loop. Afterwards: re-raises a coroutine's fatal error,
 * tears down the coroutines left (reporting a deadlock when nothing failed). Returns false
 * when coroutines were left waiting. The caller rethrows with php_tide_coro_rethrow(). */
bool php_tide_loop_run(void)
{
    tide_sched_t *s = php_tide_sched();
    if (!s)
        return false;
    bool was_in_loop = TIDE_G(in_loop);
    TIDE_G(in_loop) = true;
    /* Tide\run()'s fn may have failed (exception, exit(), fatal error) before it first
     * suspended: that stops the loop before it starts, as it stops a running one. */
    bool failed_already = TIDE_G(coro_exception) || TIDE_G(coro_exit) || TIDE_G(coro_bailout);
    int rc = failed_already ? 0 : tide_sched_run(s);
    /* Also when the loop ended without polling (nothing of the parent's left to wait for)
     * after the child made a scheduler of its own (php_tide_sched). */
    while (rc == TIDE_EFORKED || s != TIDE_G(sched)) {
        /* We are a child forked by a callback: the parent's loop has unwound. Drop our copy
         * of it and run the child's own loop, if the child made one. */
        tide_reactor_t *old = tide_sched_reactor(s);
        if (TIDE_G(sched) == s) {
            php_tide_sched_drop();
        } else {
            tide_sched_destroy(s);
        }
        if (TIDE_G(reactor) == old) {
            TIDE_G(reactor) = NULL;
            php_tide_timer_forget_all();
        }
        php_tide_stream_watches_forget();
        php_tide_event_forget();
        tide_reactor_destroy(old);
        php_tide_ops_reactor_gone(old);
        if (inherited_running == old)
            inherited_running = NULL;
        s = TIDE_G(reactor) ? php_tide_sched() : NULL;
        rc = s ? tide_sched_run(s) : 0;
    }
    TIDE_G(in_loop) = was_in_loop;
    if (TIDE_G(coro_bailout))
        php_tide_coro_rethrow(); /* does not return */
    if (!s)
        return true;

    bool failed = TIDE_G(coro_exception) || TIDE_G(coro_exit);
    /* Coroutines left after Event::exit() were told to stop, not forgotten. */
    bool exited = TIDE_G(loop_exit);
    TIDE_G(loop_exit) = false;
    bool left = !failed && !exited && php_tide_report_deadlock();
    /* Unwind what is left (finally blocks and defers run), with no exception pending. */
    zend_object *pending = EG(exception);
    EG(exception) = NULL;
    tide_sched_kill_all(s);
    EG(exception) = pending;
    if (TIDE_G(coro_bailout))
        php_tide_coro_rethrow();
    if (rc < 0 && !EG(exception) && !TIDE_G(coro_exception))
        php_tide_throw(rc, "The event loop failed: %s",
                                tide_strerror(rc));
    return !left;
}

/* start's coroutines and the loop; apart from php_tide_run_loop() so that nothing it
 * changes lives across the zend_try there. */
static bool run_main(bool (*start)(void *arg), void *arg)
{
    return start(arg) && php_tide_loop_run();
}

/* The loop runs in the main context only: a coroutine made outside it (by go() at the top
 * level) must not run it on its own stack. */
static bool in_coroutine(const char *what)
{
    if (!TIDE_G(sched) || tide_coro_is_main(tide_coro_current(TIDE_G(sched))))
        return false;
    php_tide_throw(0, "%s cannot be called from a coroutine",
                            what);
    return true;
}

int php_tide_run_loop(const char *what, bool (*start)(void *arg), void *arg)
{
    volatile bool ok = false;
    if (TIDE_G(in_loop)) {
        php_tide_throw(0, "%s cannot be called while the event loop runs "
                          "(from inside Tide\\run() or Tide\\Event::wait())", what);
        return -1;
    }
    if (in_coroutine(what) || !php_tide_sched())
        return -1;

    TIDE_G(in_loop) = true;
    zend_try
    {
        ok = run_main(start, arg);
    }
    zend_catch
    {
        /* A fatal error: the loop no longer runs (shutdown functions may start it). */
        TIDE_G(in_loop) = false;
        zend_bailout();
    }
    zend_end_try();
    TIDE_G(in_loop) = false;
    if (php_tide_coro_rethrow() || EG(exception))
        return -1;
    return ok ? 1 : 0;
}

typedef struct {
    zend_fcall_info *fci;
    zend_fcall_info_cache *fcc;
    zval *args;
    uint32_t argc;
} run_fn_t;

static bool spawn_fn(void *arg)
{
    run_fn_t *r = arg;
    bool spawned = php_tide_coro_spawn(&r->fci->function_name, r->fcc, r->args, r->argc) != 0;
    zend_release_fcall_info_cache(r->fcc); /* a trampoline: the coroutine resolves its own */
    r->fcc = NULL;
    return spawned;
}

PHP_FUNCTION(Tide_run)
{
    zend_fcall_info fci;
    zend_fcall_info_cache fcc;
    zval *args = NULL;
    uint32_t argc = 0;

    ZEND_PARSE_PARAMETERS_START(1, -1)
        Z_PARAM_FUNC(fci, fcc)
        Z_PARAM_VARIADIC('*', args, argc)
    ZEND_PARSE_PARAMETERS_END();

    run_fn_t r = {&fci, &fcc, args, argc};
    int rc = php_tide_run_loop("Tide\\run()", spawn_fn, &r);
    if (r.fcc)
        zend_release_fcall_info_cache(&fcc); /* refused before the spawn */
    if (rc < 0)
        RETURN_THROWS();
    RETURN_BOOL(rc > 0);
}

ZEND_METHOD(Tide_Event, wait)
{
    ZEND_PARSE_PARAMETERS_NONE();
    if (TIDE_G(in_loop)) {
        php_tide_throw(0, "Tide\\Event::wait() cannot be called while the event loop runs");
        RETURN_THROWS();
    }
    if (in_coroutine("Tide\\Event::wait()"))
        RETURN_THROWS();
    /* After a fatal error (or an uncaught exception) the script is dying: the loop is not
     * resumed, as in Swoole. */
    if (CG(unclean_shutdown))
        return; /* a fatal error: no PHP code runs (suspended Fibers are not unwound either) */
    if (PG(last_error_message) && (PG(last_error_type) & E_FATAL_ERRORS)) {
        /* An uncaught exception: what is suspended is unwound (finally blocks run), as PHP
         * destroys suspended Fibers at shutdown, but nothing new runs. */
        if (TIDE_G(sched) && !TIDE_G(loop_abandoned))
            tide_sched_kill_all(TIDE_G(sched));
        return;
    }
    if (!TIDE_G(reactor))
        return;
    php_tide_loop_run();
    if (php_tide_coro_rethrow())
        RETURN_THROWS();
}

/* Timers and coroutines made outside Tide\run() run when the script ends, as Swoole users
 * expect. */
void php_tide_wait_at_shutdown(void)
{
    php_shutdown_function_entry entry;
    zval fn;

    if (TIDE_G(in_loop) || TIDE_G(wait_registered))
        return;
    ZVAL_STRING(&fn, "Tide\\Event::wait");
    if (zend_fcall_info_init(&fn, 0, &entry.fci, &entry.fci_cache, NULL, NULL) == FAILURE) {
        zval_ptr_dtor(&fn);
        return;
    }
    /* The entry owns fn now; PHP frees it with the shutdown function. */
    append_user_shutdown_function(&entry);
    TIDE_G(wait_registered) = true;
}

int php_tide_loop_minit(INIT_FUNC_ARGS)
{
    TIDE_UNUSED(type);
    TIDE_UNUSED(module_number);
    return SUCCESS;
}

void php_tide_loop_rshutdown(void)
{
    php_tide_sched_drop();
    php_tide_stream_watches_forget();
    php_tide_event_forget();
    /* Also a reactor inherited through fork(): freeing the copy does not touch the parent. */
    if (TIDE_G(reactor)) {
        tide_reactor_destroy(TIDE_G(reactor));
        php_tide_ops_reactor_gone(TIDE_G(reactor));
    }
    TIDE_G(reactor) = NULL;
    TIDE_G(in_loop) = false;
    TIDE_G(wait_registered) = false;
}

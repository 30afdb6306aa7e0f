/* SPDX-License-Identifier: MIT */
/*
 * The event loop as PHP sees it: the process's reactor (made on first use), Tide\run(),
 * Tide\Event::wait(), and the rule that an exception thrown by a callback stops the loop
 * and propagates out of whichever of the two started it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <unistd.h>

#include "php.h"
#include "ext/standard/basic_functions.h"
#include "php_tide.h"
#include "zend_exceptions.h"

static bool callback_bailed_out;

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

/* The reactor of a parent process, still on the stack in the child of a fork() made by a
 * callback: freed when that loop returns (php_tide_loop_run). */
static tide_reactor_t *inherited_running;

tide_reactor_t *php_tide_reactor(void)
{
    tide_backend_t want;
    const char *source, *bad;
    char why[256] = "";

    if (TIDE_G(reactor) && !tide_reactor_forked(TIDE_G(reactor)))
        return TIDE_G(reactor);
    if (TIDE_G(reactor)) {
        /* Inherited through fork(): its ring belongs to the parent, and so do its timers.
         * The child starts afresh. */
        if (TIDE_G(in_loop))
            inherited_running = TIDE_G(reactor);
        else
            tide_reactor_destroy(TIDE_G(reactor));
        TIDE_G(reactor) = NULL;
        php_tide_timer_forget_all();
    }
    if (!php_tide_requested_backend(&want, &source, &bad)) {
        zend_throw_exception_ex(php_tide_exception_ce, TIDE_EBACKEND,
                                "%s must be auto, io_uring or epoll", bad);
        return NULL;
    }
    tide_reactor_opts_t opts = {want, 0};
    int rc = tide_reactor_create(&TIDE_G(reactor), &opts, why, sizeof(why));
    if (rc < 0) {
        TIDE_G(reactor) = NULL;
        zend_throw_exception_ex(php_tide_exception_ce, rc,
                                "Cannot start the event loop: %s asks for %s, but %s", source,
                                tide_backend_name(want), why[0] ? why : tide_strerror(rc));
        return NULL;
    }
    return TIDE_G(reactor);
}

void php_tide_callback_failed(void)
{
    if (TIDE_G(reactor))
        tide_reactor_stop(TIDE_G(reactor));
}

void php_tide_callback_bailout(void)
{
    callback_bailed_out = true;
    php_tide_callback_failed();
}

void php_tide_loop_run(void)
{
    tide_reactor_t *r = php_tide_reactor();
    if (!r)
        return;
    bool was_in_loop = TIDE_G(in_loop);
    TIDE_G(in_loop) = true;
    int rc = tide_reactor_run(r, TIDE_RUN_DEFAULT);
    while (rc == TIDE_EFORKED) {
        /* We are a child forked by a callback: the parent's loop has unwound. Free our copy
         * of it and run the child's own loop, if the child made one. */
        if (r == TIDE_G(reactor)) {
            TIDE_G(reactor) = NULL;
            php_tide_timer_forget_all();
        }
        tide_reactor_destroy(r);
        if (inherited_running == r)
            inherited_running = NULL;
        r = TIDE_G(reactor);
        rc = r ? tide_reactor_run(r, TIDE_RUN_DEFAULT) : 0;
    }
    TIDE_G(in_loop) = was_in_loop;
    if (callback_bailed_out) {
        /* A fatal error in a callback: the loop was left consistent, go on dying. */
        callback_bailed_out = false;
        zend_bailout();
    }
    if (rc < 0 && !EG(exception))
        zend_throw_exception_ex(php_tide_exception_ce, rc, "The event loop failed: %s",
                                tide_strerror(rc));
}

PHP_FUNCTION(Tide_run)
{
    zend_fcall_info fci;
    zend_fcall_info_cache fcc;
    zval *args = NULL, retval;
    uint32_t argc = 0;

    ZEND_PARSE_PARAMETERS_START(1, -1)
        Z_PARAM_FUNC(fci, fcc)
        Z_PARAM_VARIADIC('*', args, argc)
    ZEND_PARSE_PARAMETERS_END();

    if (TIDE_G(in_loop)) {
        zend_throw_exception(php_tide_exception_ce,
                             "Tide\\run() cannot be called while the event loop runs "
                             "(from inside Tide\\run() or Tide\\Event::wait())",
                             0);
        RETURN_THROWS();
    }
    if (!php_tide_reactor())
        RETURN_THROWS();

    TIDE_G(in_loop) = true;
    fci.retval = &retval;
    fci.params = args;
    fci.param_count = argc;
    zend_try
    {
        zend_call_function(&fci, &fcc);
        zval_ptr_dtor(&retval);
        if (!EG(exception))
            php_tide_loop_run();
    }
    zend_catch
    {
        /* A fatal error in $fn or a callback: the loop no longer runs (shutdown functions
         * may start it again), then go on dying. */
        TIDE_G(in_loop) = false;
        zend_bailout();
    }
    zend_end_try();
    TIDE_G(in_loop) = false;
    if (EG(exception))
        RETURN_THROWS();
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Event, wait)
{
    ZEND_PARSE_PARAMETERS_NONE();
    if (TIDE_G(in_loop)) {
        zend_throw_exception(php_tide_exception_ce,
                             "Tide\\Event::wait() cannot be called while the event loop runs",
                             0);
        RETURN_THROWS();
    }
    /* After a fatal error (or an uncaught exception) the script is dying: the loop is not
     * resumed, as in Swoole. */
    if (CG(unclean_shutdown) || (PG(last_error_message) && (PG(last_error_type) & E_FATAL_ERRORS)))
        return;
    if (TIDE_G(reactor) && tide_reactor_alive(TIDE_G(reactor)))
        php_tide_loop_run();
}

/* Timers made outside Tide\run() run when the script ends, as Swoole users expect. */
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
    /* Also a reactor inherited through fork(): freeing the copy does not touch the parent. */
    if (TIDE_G(reactor))
        tide_reactor_destroy(TIDE_G(reactor));
    TIDE_G(reactor) = NULL;
    TIDE_G(in_loop) = false;
    TIDE_G(wait_registered) = false;
}

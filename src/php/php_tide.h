/* SPDX-License-Identifier: MIT */
/*
 * What the Zend layer's files share: the module globals (one reactor per process, made on
 * first use), the class entries, and each file's minit/mshutdown.
 */
#ifndef PHP_TIDE_H
#define PHP_TIDE_H

#include "php.h"
#include "tide/common.h"
#include "tide/reactor.h"

extern zend_module_entry tide_module_entry;
#define phpext_tide_ptr &tide_module_entry

ZEND_BEGIN_MODULE_GLOBALS(tide)
    char *reactor_backend; /* ini tide.reactor_backend */
    tide_reactor_t *reactor;
    HashTable timers;  /* timer id => php_tide_timer_t*, the timers PHP code made */
    bool in_loop;      /* Tide\run() or Event::wait() is running the loop */
    bool wait_registered; /* Event::wait() is registered as a shutdown function */
ZEND_END_MODULE_GLOBALS(tide)

ZEND_EXTERN_MODULE_GLOBALS(tide)
#define TIDE_G(v) ZEND_MODULE_GLOBALS_ACCESSOR(tide, v)

extern zend_class_entry *php_tide_exception_ce;

/* The process's reactor, made on first use with the backend chosen by TIDE_REACTOR or
 * tide.reactor_backend. NULL with a Tide\Exception thrown when it cannot be made. */
tide_reactor_t *php_tide_reactor(void);
/* Which backend the environment and ini ask for; false (with *bad naming the culprit) when
 * the value is not a backend name. */
bool php_tide_requested_backend(tide_backend_t *out, const char **source, const char **bad);
/* Runs the loop until nothing is pending or a callback throws. */
void php_tide_loop_run(void);
/* From a callback: an exception was thrown, stop the loop so it can propagate. */
void php_tide_callback_failed(void);
/* From a callback: a fatal error (bailout) was caught; the loop stops and the bailout goes
 * on once the reactor is consistent again. */
void php_tide_callback_bailout(void);
/* Registers Tide\Event::wait() as a shutdown function (once per request). */
void php_tide_wait_at_shutdown(void);

int php_tide_loop_minit(INIT_FUNC_ARGS);
void php_tide_loop_rshutdown(void);
int php_tide_timer_minit(INIT_FUNC_ARGS);
void php_tide_timer_rinit(void);
void php_tide_timer_rshutdown(void);
/* After fork(): drops the PHP side of the parent's timers (the child's reactor is new). */
void php_tide_timer_forget_all(void);

#endif

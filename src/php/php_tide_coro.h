/* SPDX-License-Identifier: MIT */
/*
 * What the files of Tide\Coroutine share (coroutine.c: the life of a coroutine;
 * coroutine_inspect.c: join() and what can be read of a coroutine from outside it). Private
 * to src/php.
 */
#ifndef PHP_TIDE_CORO_H
#define PHP_TIDE_CORO_H

#include "php.h"
#include "php_tide.h"
#include "zend_fibers.h"

/* PHP >= 8.3 checks the C stack, where zend_call_stack.h knows how (ZEND_CHECK_STACK_LIMIT). */
#if PHP_VERSION_ID >= 80300 && defined(ZEND_CHECK_STACK_LIMIT)
#define TIDE_STACK_LIMIT 1
#endif

/* Per coroutine, owned by the scheduler's coroutine (udata), freed by on_exit. */
typedef struct php_tide_coro {
    /* the executor state while switched out */
    zend_vm_stack vm_stack;
    zval *vm_stack_top, *vm_stack_end;
    size_t vm_stack_page_size;
    zend_execute_data *execute_data;
    int error_reporting;
    uint32_t jit_trace_num;
    JMP_BUF *bailout;
    zend_fiber *active_fiber;
    zend_fiber_context *fiber_context;
#ifdef TIDE_STACK_LIMIT
    /* PHP >= 8.3 checks the C stack against these before a call could overflow it. */
    void *stack_base, *stack_limit;
#endif

    zend_fiber_context base_fiber; /* where Fibers started in this coroutine return to */
    zval callable;
    zend_fcall_info_cache fcc;
    zval *argv;
    uint32_t argc;
    zval context;       /* ArrayObject, or UNDEF */
    zval defers;        /* array of callables, or UNDEF */
    const char *waiting_on; /* for the deadlock report (file:line from execute_data) */
    /* Output buffers it opened itself (ob_start): on the global stack while it runs, above
     * og_base; set aside (bottom first) while it is switched out. */
    php_output_handler **og_saved;
    uint32_t og_saved_n, og_saved_cap;
    int og_base;
    /* Called when the coroutine is gone (php_tide_coro_spawn_done). */
    void (*done)(void *arg);
    void *done_arg;
    zval *result; /* where its return value goes (php_tide_coro_spawn_result), or NULL */
    uint64_t start_ns; /* the loop's clock when it was made (getElapsed) */
} php_tide_coro_t;

/* The running coroutine; NULL in the main context. */
static inline tide_coro_t *current_coro(void)
{
    if (!TIDE_G(sched))
        return NULL;
    tide_coro_t *co = tide_coro_current(TIDE_G(sched));
    return tide_coro_is_main(co) ? NULL : co;
}

/* cid 0 means the running coroutine. */
static inline tide_coro_t *find_coro(zend_long cid)
{
    if (cid == 0)
        return current_coro();
    return TIDE_G(sched) ? tide_coro_find(TIDE_G(sched), cid) : NULL;
}

/* A coroutine ended: those in join() look at their ids again (coroutine_inspect.c). */
void php_tide_coro_wake_joiners(void);

#endif

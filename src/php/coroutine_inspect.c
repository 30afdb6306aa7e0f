/* SPDX-License-Identifier: MIT */
/*
 * Tide\Coroutine's methods that look at coroutines from outside: join() (waiting for others
 * to end), getElapsed(), getBackTrace()/printBackTrace() (of a suspended one too) and
 * getStackUsage().
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>

#include "php.h"
#include "php_tide.h"
#include "php_tide_coro.h"
#include "tide/reactor.h"
#include "zend_builtin_functions.h"
#include "zend_exceptions.h"

/* A coroutine in join(): woken whenever a coroutine ends, it checks its ids again. Few
 * coroutines join at a time, so a list walked at every end costs nothing measurable. */
typedef struct joiner {
    tide_coro_t *co;
    struct joiner *prev, *next;
} joiner_t;
static joiner_t *joiners;

static void joiner_unlink(void *arg)
{
    joiner_t *j = arg;
    if (j->prev)
        j->prev->next = j->next;
    else if (joiners == j)
        joiners = j->next;
    if (j->next)
        j->next->prev = j->prev;
    j->prev = j->next = NULL;
}

void php_tide_coro_wake_joiners(void)
{
    for (joiner_t *j = joiners; j; j = j->next)
        tide_coro_wake(TIDE_G(sched), j->co);
}

/* Whether any of the ids is still alive; ids must be ints, and not the caller's. */
static bool any_alive(HashTable *cids, tide_coro_t *self)
{
    zval *v;
    ZEND_HASH_FOREACH_VAL(cids, v) {
        tide_coro_t *co = find_coro(Z_LVAL_P(v));
        if (co && co != self && Z_LVAL_P(v) > 0)
            return true;
    } ZEND_HASH_FOREACH_END();
    return false;
}

ZEND_METHOD(Tide_Coroutine, join)
{
    HashTable *cids;
    double timeout = -1;
    zval *v;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ARRAY_HT(cids)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    if (!php_tide_coro_suspendable("Tide\\Coroutine::join()"))
        RETURN_THROWS();
    tide_coro_t *self = current_coro();
    ZEND_HASH_FOREACH_VAL(cids, v) {
        if (Z_TYPE_P(v) != IS_LONG) {
            zend_argument_type_error(1, "must contain only coroutine ids (int), %s given",
                                     zend_zval_type_name(v));
            RETURN_THROWS();
        }
        if (Z_LVAL_P(v) == (zend_long)tide_coro_id(self)) {
            zend_argument_value_error(1, "must not contain the calling coroutine's own id "
                                         "(#" ZEND_LONG_FMT ")", Z_LVAL_P(v));
            RETURN_THROWS();
        }
    } ZEND_HASH_FOREACH_END();

    int64_t deadline = timeout < 0 ? -1 : (int64_t)tide_time_ns() + (int64_t)(timeout * 1e9);
    joiner_t j = {.co = self, .next = joiners};
    if (joiners)
        joiners->prev = &j;
    joiners = &j;
    tide_coro_set_drop(TIDE_G(sched), joiner_unlink, &j);
    php_tide_coro_waits_on("Tide\\Coroutine::join()");
    int rc = 0;
    while (any_alive(cids, self)) {
        int64_t left = deadline < 0 ? -1 : deadline - (int64_t)tide_time_ns();
        if (deadline >= 0 && left <= 0) {
            rc = -ETIMEDOUT;
            break;
        }
        rc = tide_coro_wait(TIDE_G(sched), left, true);
        if (rc < 0 && rc != -ETIMEDOUT)
            break;
        rc = 0;
    }
    tide_coro_set_drop(TIDE_G(sched), NULL, NULL);
    joiner_unlink(&j);
    if (rc == TIDE_EKILLED) {
        php_tide_coro_killed();
        RETURN_THROWS();
    }
    RETURN_BOOL(rc == 0);
}

ZEND_METHOD(Tide_Coroutine, getElapsed)
{
    zend_long cid = 0;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(cid)
    ZEND_PARSE_PARAMETERS_END();
    tide_coro_t *co = find_coro(cid);
    if (!co)
        RETURN_LONG(-1);
    php_tide_coro_t *pc = tide_coro_udata(co);
    uint64_t now = tide_time_ns();
    RETURN_LONG(now > pc->start_ns ? (zend_long)((now - pc->start_ns) / 1000000) : 0);
}

/* Runs fn with the executor looking at co's frames (a suspended coroutine keeps them in
 * its state); the running coroutine's own are the executor's already. */
static void with_frames_of(tide_coro_t *co, void (*fn)(void *arg), void *arg)
{
    if (co == current_coro()) {
        fn(arg);
        return;
    }
    php_tide_coro_t *pc = tide_coro_udata(co);
    zend_execute_data *saved = EG(current_execute_data);
    EG(current_execute_data) = pc->execute_data;
    fn(arg);
    EG(current_execute_data) = saved;
}

typedef struct {
    zval *out;
    int skip;
    zend_long options, limit;
} trace_args_t;

static void fetch_trace(void *arg)
{
    trace_args_t *a = arg;
    zend_fetch_debug_backtrace(a->out, a->skip, (int)a->options, (int)a->limit);
}

/* $cid's backtrace into out; false when it does not exist or the arguments are bad. */
static bool backtrace_of(zend_execute_data *execute_data, zval *out, bool print)
{
    zend_long cid = 0, options = print ? 0 : DEBUG_BACKTRACE_PROVIDE_OBJECT, limit = 0;
    ZEND_PARSE_PARAMETERS_START(0, 3)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(cid)
        Z_PARAM_LONG(options)
        Z_PARAM_LONG(limit)
    ZEND_PARSE_PARAMETERS_END_EX(return false);
    if (limit < 0) {
        zend_argument_value_error(3, "must be greater than or equal to 0");
        return false;
    }
    tide_coro_t *co = find_coro(cid);
    if (!co)
        return false;
    /* The running coroutine's trace starts at its caller, as debug_backtrace()'s does. */
    trace_args_t a = {out, co == current_coro() ? 1 : 0, options, limit};
    with_frames_of(co, fetch_trace, &a);
    return true;
}

ZEND_METHOD(Tide_Coroutine, getBackTrace)
{
    if (!backtrace_of(execute_data, return_value, false)) {
        if (!EG(exception))
            RETVAL_FALSE;
    }
}

ZEND_METHOD(Tide_Coroutine, printBackTrace)
{
    zval trace;
    TIDE_UNUSED(return_value);
    ZVAL_UNDEF(&trace);
    if (!backtrace_of(execute_data, &trace, true))
        return;
    zend_string *str = zend_trace_to_string(Z_ARRVAL(trace), false);
    ZEND_WRITE(ZSTR_VAL(str), ZSTR_LEN(str));
    zend_string_release(str);
    zval_ptr_dtor(&trace);
}

static size_t vm_stack_bytes(zend_vm_stack page, zval *top)
{
    size_t n = (size_t)((char *)top - (char *)ZEND_VM_STACK_ELEMENTS(page));
    for (page = page->prev; page; page = page->prev)
        n += (size_t)((char *)page->top - (char *)ZEND_VM_STACK_ELEMENTS(page));
    return n;
}

ZEND_METHOD(Tide_Coroutine, getStackUsage)
{
    zend_long cid = 0;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(cid)
    ZEND_PARSE_PARAMETERS_END();
    tide_coro_t *co = find_coro(cid);
    if (!co)
        RETURN_FALSE;
    if (co == current_coro())
        RETURN_LONG((zend_long)vm_stack_bytes(EG(vm_stack), EG(vm_stack_top)));
    php_tide_coro_t *pc = tide_coro_udata(co);
    RETURN_LONG((zend_long)vm_stack_bytes(pc->vm_stack, pc->vm_stack_top));
}


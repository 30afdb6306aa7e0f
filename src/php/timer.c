/* SPDX-License-Identifier: MIT */
/*
 * Tide\Timer: PHP callables on the reactor's timer heap. The core keeps the schedule;
 * this file keeps, per timer, the callable and its extra arguments (TIDE_G(timers), keyed
 * by timer id), and frees them when the timer is cleared or a one-shot has run.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "ext/spl/spl_array.h"
#include "php_tide.h"
#include "tide_timer_arginfo.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"

/* Longest delay accepted: nanosecond deadlines must not overflow (about 292 years). */
#define MAX_MS (INT64_MAX / 1000000 / 2)

static zend_class_entry *php_tide_timer_ce;

/* One PHP timer; owned by TIDE_G(timers), freed by its destructor. */
typedef struct php_tide_timer {
    uint64_t id;
    zval callable;
    zend_fcall_info_cache fcc;
    zval *argv; /* a tick's argv[0] is its timer id; then the user's params (NULL: none) */
    uint32_t argc;
    bool tick;
    bool running; /* its callback runs now: freeing waits until it returns */
    bool cleared;
} php_tide_timer_t;

static void timer_free(zval *zv)
{
    php_tide_timer_t *t = Z_PTR_P(zv);
    zval_ptr_dtor(&t->callable);
    for (uint32_t i = 0; i < t->argc; i++)
        zval_ptr_dtor(&t->argv[i]);
    if (t->argv)
        efree(t->argv);
    efree(t);
}

/*
 * A table that held a burst (100,000 timers) keeps its size after they are gone, and ids that
 * only grow turn it from packed into a larger hash: rebuild it small once it is mostly empty,
 * so a long-running process gets the memory back. Not called while the table is walked.
 */
static void timers_maybe_shrink(void)
{
    HashTable *ht = &TIDE_G(timers);
    uint32_t n = zend_hash_num_elements(ht);
    zend_ulong id;
    void *t;

    if (ht->nTableSize <= 1024 || n > ht->nTableSize / 8)
        return;
    HashTable fresh;
    zend_hash_init(&fresh, n, NULL, timer_free, 0);
    ZEND_HASH_FOREACH_NUM_KEY_PTR(ht, id, t) {
        zend_hash_index_add_new_ptr(&fresh, id, t);
    } ZEND_HASH_FOREACH_END();
    ht->pDestructor = NULL; /* the timers moved to fresh */
    zend_hash_destroy(ht);
    *ht = fresh;
}

/* Each run of a timer gets a coroutine of its own, which holds its own copies of the
 * callable and arguments: the timer may be cleared while that coroutine still runs. */
static void on_timer(tide_reactor_t *r, void *udata, uint64_t id)
{
    php_tide_timer_t *t = udata;
    TIDE_UNUSED(r);

    /* As in Swoole: a tick's callback gets its timer id first, an after()'s only the params. */
    if (t->tick)
        ZVAL_LONG(&t->argv[0], (zend_long)id);
    t->running = true;
    TIDE_G(timer_rounds)++;
    php_tide_coro_spawn(&t->callable, &t->fcc, t->argv, t->argc);
    t->running = false;
    if (!t->tick || t->cleared) {
        zend_hash_index_del(&TIDE_G(timers), (zend_ulong)id);
        timers_maybe_shrink();
    }
}

static void add_timer(INTERNAL_FUNCTION_PARAMETERS, bool tick)
{
    zend_long ms;
    zval *callable, *params = NULL;
    uint32_t nparams = 0;
    zend_fcall_info_cache fcc;
    char *error = NULL;

    ZEND_PARSE_PARAMETERS_START(2, -1)
        Z_PARAM_LONG(ms)
        Z_PARAM_ZVAL(callable)
        Z_PARAM_VARIADIC('*', params, nparams)
    ZEND_PARSE_PARAMETERS_END();

    if (ms <= 0 && TIDE_G(swoole_compat)) {
        php_error_docref(NULL, E_WARNING, "Timer must be greater than or equal to 1");
        RETURN_FALSE; /* Swoole's answer */
    }
    if (ms <= 0) {
        zend_argument_value_error(1, "must be greater than 0");
        RETURN_THROWS();
    }
    if (ms > MAX_MS) {
        zend_argument_value_error(1, "must be less than or equal to " ZEND_LONG_FMT,
                                  (zend_long)MAX_MS);
        RETURN_THROWS();
    }
    if (!zend_is_callable_ex(callable, NULL, 0, NULL, &fcc, &error)) {
        zend_argument_type_error(2, "must be a valid callback, %s", error);
        efree(error);
        RETURN_THROWS();
    }
    /* A trampoline (__call, __callStatic) must not be kept: release it, and call_timer
     * resolves the callable anew each time. */
    if (fcc.function_handler &&
        (fcc.function_handler->common.fn_flags & ZEND_ACC_CALL_VIA_TRAMPOLINE)) {
        zend_release_fcall_info_cache(&fcc);
        fcc.function_handler = NULL;
    }
    tide_reactor_t *r = php_tide_reactor();
    if (!r)
        RETURN_THROWS();

    php_tide_timer_t *t = ecalloc(1, sizeof(*t));
    ZVAL_COPY(&t->callable, callable);
    t->fcc = fcc;
    t->tick = tick;
    uint32_t first = tick ? 1 : 0; /* the slot for a tick's timer id */
    t->argc = nparams + first;
    t->argv = t->argc ? safe_emalloc(t->argc, sizeof(zval), 0) : NULL;
    if (tick)
        ZVAL_LONG(&t->argv[0], 0);
    for (uint32_t i = 0; i < nparams; i++)
        ZVAL_COPY(&t->argv[i + first], &params[i]);

    t->id = tide_timer_add(r, (uint64_t)ms, tick ? (uint64_t)ms : 0, on_timer, t);
    zend_hash_index_add_new_ptr(&TIDE_G(timers), (zend_ulong)t->id, t);
    php_tide_wait_at_shutdown();
    RETURN_LONG((zend_long)t->id);
}

ZEND_METHOD(Tide_Timer, tick)
{
    add_timer(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

ZEND_METHOD(Tide_Timer, after)
{
    add_timer(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

/* Stops a timer; false when there is no such (pending) timer. */
static bool clear_timer(zend_ulong id)
{
    php_tide_timer_t *t = zend_hash_index_find_ptr(&TIDE_G(timers), id);
    if (!t || t->cleared)
        return false;
    /* A one-shot whose callback runs now has already left the heap: nothing to clear. */
    if (!TIDE_G(reactor) || !tide_timer_cancel(TIDE_G(reactor), id))
        return false;
    if (t->running)
        t->cleared = true; /* on_timer frees it when the callback returns */
    else {
        zend_hash_index_del(&TIDE_G(timers), id);
        timers_maybe_shrink();
    }
    return true;
}

ZEND_METHOD(Tide_Timer, clear)
{
    zend_long id;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(id)
    ZEND_PARSE_PARAMETERS_END();
    RETURN_BOOL(id > 0 && clear_timer((zend_ulong)id));
}

void php_tide_timer_clear_all(void)
{
    zend_ulong id;
    /* Collect first: clearing deletes from the table being walked. */
    uint32_t n = zend_hash_num_elements(&TIDE_G(timers)), i = 0;
    zend_ulong *ids = safe_emalloc(n ? n : 1, sizeof(*ids), 0);
    ZEND_HASH_FOREACH_NUM_KEY(&TIDE_G(timers), id) {
        ids[i++] = id;
    } ZEND_HASH_FOREACH_END();
    for (uint32_t j = 0; j < i; j++)
        clear_timer(ids[j]);
    efree(ids);
}

ZEND_METHOD(Tide_Timer, clearAll)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_timer_clear_all();
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Timer, info)
{
    zend_long id;
    tide_timer_info_t info;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(id)
    ZEND_PARSE_PARAMETERS_END();

    php_tide_timer_t *t = id > 0 ? zend_hash_index_find_ptr(&TIDE_G(timers), (zend_ulong)id) : NULL;
    if (!t || t->cleared || !TIDE_G(reactor) ||
        !tide_timer_info(TIDE_G(reactor), (uint64_t)id, &info))
        RETURN_NULL();
    array_init_size(return_value, 5);
    add_assoc_long(return_value, "id", id);
    add_assoc_long(return_value, "exec_msec", (zend_long)((info.remaining_ns + 999999) / 1000000));
    add_assoc_long(return_value, "exec_count", (zend_long)info.exec_count);
    add_assoc_long(return_value, "interval", (zend_long)info.interval_ms);
    add_assoc_bool(return_value, "removed", false);
}

/* Scheduled: not cleared, and not a one-shot whose callback runs now. */
static bool timer_scheduled(zend_long id)
{
    php_tide_timer_t *t = id > 0 ? zend_hash_index_find_ptr(&TIDE_G(timers), (zend_ulong)id) : NULL;
    return t && !t->cleared && !(t->running && !t->tick);
}

ZEND_METHOD(Tide_Timer, list)
{
    zend_ulong id;
    zval ids;
    ZEND_PARSE_PARAMETERS_NONE();

    array_init_size(&ids, zend_hash_num_elements(&TIDE_G(timers)));
    ZEND_HASH_FOREACH_NUM_KEY(&TIDE_G(timers), id) {
        if (timer_scheduled((zend_long)id))
            add_next_index_long(&ids, (zend_long)id);
    } ZEND_HASH_FOREACH_END();

    object_init_ex(return_value, spl_ce_ArrayIterator);
    zend_call_known_instance_method_with_1_params(spl_ce_ArrayIterator->constructor,
                                                  Z_OBJ_P(return_value), NULL, &ids);
    zval_ptr_dtor(&ids);
}

ZEND_METHOD(Tide_Timer, exists)
{
    zend_long id;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(id)
    ZEND_PARSE_PARAMETERS_END();
    RETURN_BOOL(timer_scheduled(id));
}

ZEND_METHOD(Tide_Timer, stats)
{
    zend_ulong id;
    zend_long num = 0;
    ZEND_PARSE_PARAMETERS_NONE();
    ZEND_HASH_FOREACH_NUM_KEY(&TIDE_G(timers), id) {
        num += timer_scheduled((zend_long)id);
    } ZEND_HASH_FOREACH_END();
    array_init_size(return_value, 3);
    add_assoc_bool(return_value, "initialized", TIDE_G(reactor) != NULL);
    add_assoc_long(return_value, "num", num);
    add_assoc_long(return_value, "round", TIDE_G(timer_rounds));
}

int php_tide_timer_minit(INIT_FUNC_ARGS)
{
    TIDE_UNUSED(type);
    TIDE_UNUSED(module_number);
    php_tide_timer_ce = register_class_Tide_Timer();
    return SUCCESS;
}

void php_tide_timer_rinit(void)
{
    zend_hash_init(&TIDE_G(timers), 64, NULL, timer_free, 0);
    TIDE_G(timer_rounds) = 0;
}

void php_tide_timer_forget_all(void)
{
    php_tide_timer_t *t;
    zend_ulong id;

    /* A timer whose callback runs now (the one that forked) is freed by on_timer when it
     * returns; ids are unique in the process, so it cannot clash with the child's. */
    ZEND_HASH_FOREACH_NUM_KEY_PTR(&TIDE_G(timers), id, t) {
        if (t->running)
            t->cleared = true;
        else
            zend_hash_index_del(&TIDE_G(timers), id);
    } ZEND_HASH_FOREACH_END();
}

void php_tide_timer_rshutdown(void)
{
    /* The reactor (destroyed after this) will not call back into freed timers. */
    if (TIDE_G(reactor)) {
        zend_ulong id;
        ZEND_HASH_FOREACH_NUM_KEY(&TIDE_G(timers), id) {
            tide_timer_cancel(TIDE_G(reactor), id);
        } ZEND_HASH_FOREACH_END();
    }
    zend_hash_destroy(&TIDE_G(timers));
}

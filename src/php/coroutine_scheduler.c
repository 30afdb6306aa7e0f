/* SPDX-License-Identifier: MIT */
/*
 * Tide\Coroutine\Scheduler (Swoole's Coroutine\Scheduler): coroutines collected with add()
 * and parallel(), then started together by start(), which is Tide\run() for several
 * functions at once (php_tide_run_loop). Options set() keeps are Coroutine::set()'s,
 * applied when start() runs.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "php_tide.h"
#include "tide_scheduler_arginfo.h"

typedef struct {
    zval tasks;   /* array of [callable, args array], or UNDEF */
    zval options; /* array, or UNDEF */
    zend_object std;
} scheduler_t;

static zend_class_entry *scheduler_ce;
static zend_object_handlers scheduler_handlers;

static scheduler_t *from_obj(zend_object *obj)
{
    return (scheduler_t *)((char *)obj - XtOffsetOf(scheduler_t, std));
}

static zend_object *scheduler_new(zend_class_entry *ce)
{
    scheduler_t *s = zend_object_alloc(sizeof(*s), ce);
    ZVAL_UNDEF(&s->tasks);
    ZVAL_UNDEF(&s->options);
    zend_object_std_init(&s->std, ce);
    s->std.handlers = &scheduler_handlers;
    return &s->std;
}

static void scheduler_free(zend_object *obj)
{
    scheduler_t *s = from_obj(obj);
    zval_ptr_dtor(&s->tasks);
    zval_ptr_dtor(&s->options);
    zend_object_std_dtor(obj);
}

static HashTable *scheduler_gc(zend_object *obj, zval **table, int *n)
{
    scheduler_t *s = from_obj(obj);
    *table = &s->tasks;
    *n = 2; /* tasks and options, next to each other */
    return zend_std_get_properties(obj);
}

/* Adds n copies of [fn, args]. */
static void add_tasks(scheduler_t *s, zend_long n, zval *fn, zval *args, uint32_t argc)
{
    if (Z_TYPE(s->tasks) != IS_ARRAY)
        array_init(&s->tasks);
    for (zend_long i = 0; i < n; i++) {
        zval task, list;
        array_init_size(&task, 2);
        Z_TRY_ADDREF_P(fn);
        add_next_index_zval(&task, fn);
        array_init_size(&list, argc);
        for (uint32_t j = 0; j < argc; j++) {
            Z_TRY_ADDREF(args[j]);
            add_next_index_zval(&list, &args[j]);
        }
        add_next_index_zval(&task, &list);
        add_next_index_zval(&s->tasks, &task);
    }
}

ZEND_METHOD(Tide_Coroutine_Scheduler, add)
{
    zval *fn, *args = NULL;
    uint32_t argc = 0;
    ZEND_PARSE_PARAMETERS_START(1, -1)
        Z_PARAM_ZVAL(fn)
        Z_PARAM_VARIADIC('*', args, argc)
    ZEND_PARSE_PARAMETERS_END();
    if (!zend_is_callable(fn, 0, NULL)) {
        zend_argument_type_error(1, "must be a valid callback");
        RETURN_THROWS();
    }
    add_tasks(from_obj(Z_OBJ_P(ZEND_THIS)), 1, fn, args, argc);
}

ZEND_METHOD(Tide_Coroutine_Scheduler, parallel)
{
    zend_long n;
    zval *fn, *args = NULL;
    uint32_t argc = 0;
    ZEND_PARSE_PARAMETERS_START(2, -1)
        Z_PARAM_LONG(n)
        Z_PARAM_ZVAL(fn)
        Z_PARAM_VARIADIC('*', args, argc)
    ZEND_PARSE_PARAMETERS_END();
    if (n < 1 || n > 1000000) {
        zend_argument_value_error(1, "must be between 1 and 1000000");
        RETURN_THROWS();
    }
    if (!zend_is_callable(fn, 0, NULL)) {
        zend_argument_type_error(2, "must be a valid callback");
        RETURN_THROWS();
    }
    add_tasks(from_obj(Z_OBJ_P(ZEND_THIS)), n, fn, args, argc);
}

ZEND_METHOD(Tide_Coroutine_Scheduler, set)
{
    HashTable *ht;
    zend_string *key;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(ht)
    ZEND_PARSE_PARAMETERS_END();
    ZEND_HASH_FOREACH_STR_KEY(ht, key) {
        if (!key) {
            zend_argument_value_error(1, "must have string keys (option names)");
            RETURN_THROWS();
        }
        if (!php_tide_coro_option_known(ZSTR_VAL(key)) && !TIDE_G(swoole_compat)) {
            zend_argument_value_error(1, "contains an unknown option \"%s\"", ZSTR_VAL(key));
            RETURN_THROWS();
        }
    } ZEND_HASH_FOREACH_END();
    scheduler_t *s = from_obj(Z_OBJ_P(ZEND_THIS));
    if (Z_TYPE(s->options) != IS_ARRAY)
        array_init(&s->options);
    zend_hash_merge(Z_ARRVAL(s->options), ht, zval_add_ref, true);
}

ZEND_METHOD(Tide_Coroutine_Scheduler, getOptions)
{
    ZEND_PARSE_PARAMETERS_NONE();
    scheduler_t *s = from_obj(Z_OBJ_P(ZEND_THIS));
    if (Z_TYPE(s->options) != IS_ARRAY)
        RETURN_NULL();
    RETURN_COPY(&s->options);
}

/* Spawns every task of the array; false when one could not start (a warning says why). */
static bool spawn_all(void *arg)
{
    zval *task;
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P((zval *)arg), task) {
        zval *fn = zend_hash_index_find(Z_ARRVAL_P(task), 0);
        HashTable *args = Z_ARRVAL_P(zend_hash_index_find(Z_ARRVAL_P(task), 1));
        uint32_t argc = zend_hash_num_elements(args), i = 0;
        zval *argv = argc ? safe_emalloc(argc, sizeof(zval), 0) : NULL, *a;
        ZEND_HASH_FOREACH_VAL(args, a) {
            ZVAL_COPY_VALUE(&argv[i++], a);
        } ZEND_HASH_FOREACH_END();
        zend_fcall_info_cache fcc = {0}; /* resolved by the coroutine when it calls fn */
        zend_long id = php_tide_coro_spawn(fn, &fcc, argv, argc);
        if (argv)
            efree(argv);
        if (!id || EG(exception) || TIDE_G(coro_exception) || TIDE_G(coro_exit) ||
            TIDE_G(coro_bailout))
            return id != 0;
    } ZEND_HASH_FOREACH_END();
    return true;
}

ZEND_METHOD(Tide_Coroutine_Scheduler, start)
{
    ZEND_PARSE_PARAMETERS_NONE();
    scheduler_t *s = from_obj(Z_OBJ_P(ZEND_THIS));
    if (Z_TYPE(s->options) == IS_ARRAY) {
        zend_string *key;
        zval *v;
        ZEND_HASH_FOREACH_STR_KEY_VAL(Z_ARRVAL(s->options), key, v) {
            if (!php_tide_coro_option(key, v, 1))
                RETURN_THROWS();
        } ZEND_HASH_FOREACH_END();
    }
    /* The tasks are the loop's now: a second start() has none (as in Swoole). */
    zval tasks;
    ZVAL_COPY_VALUE(&tasks, &s->tasks);
    ZVAL_UNDEF(&s->tasks);
    if (Z_TYPE(tasks) != IS_ARRAY)
        array_init(&tasks);
    int rc = php_tide_run_loop("Tide\\Coroutine\\Scheduler::start()", spawn_all, &tasks);
    zval_ptr_dtor(&tasks);
    if (rc < 0)
        RETURN_THROWS();
    RETURN_BOOL(rc > 0);
}

void php_tide_scheduler_minit(void)
{
    scheduler_ce = register_class_Tide_Coroutine_Scheduler();
    scheduler_ce->create_object = scheduler_new;
    memcpy(&scheduler_handlers, zend_get_std_object_handlers(), sizeof(scheduler_handlers));
    scheduler_handlers.offset = XtOffsetOf(scheduler_t, std);
    scheduler_handlers.free_obj = scheduler_free;
    scheduler_handlers.get_gc = scheduler_gc;
    scheduler_handlers.clone_obj = NULL;
}

/* SPDX-License-Identifier: MIT */
/*
 * Class autoloading across coroutines. PHP marks a class as being autoloaded
 * (EG(in_autoload)) for the whole request, to stop an autoloader that asks for its own
 * class from recursing; a second lookup of that class gets "not found" at once. With
 * coroutines, an autoloader that suspends (a hooked file or socket read, a sleep) leaves
 * the mark for every other coroutine, and one that needs the same class meanwhile got
 * "Class not found".
 *
 * Here the mark is per coroutine: PHP's is taken off while the autoloader runs and kept in
 * a table of ours (the class -> the coroutine loading it, and who waits for it). Another
 * coroutine that asks for the class waits until the first is done, then finds it (or, if
 * the first did not define it, runs the autoloaders itself, as a later lookup would). The
 * coroutine loading it that asks for it again gets "not found" at once, as in stock PHP.
 * Outside coroutines, or where a coroutine may not switch, nothing changes.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "php_tide.h"
#include "tide/coro.h"
#include "zend_execute.h"

static zend_class_entry *(*stock_autoload)(zend_string *name, zend_string *lc_name);

typedef struct loading {
    tide_coro_t *owner;
    tide_coro_t **waiters;
    uint32_t nwaiters, cap;
} loading_t;

/* lower-case class name -> loading_t (request memory); NULL until first needed. */
static HashTable *loading;

static void loading_free(zval *zv)
{
    loading_t *l = Z_PTR_P(zv);
    efree(l->waiters);
    efree(l);
}

static zend_class_entry *tide_autoload(zend_string *name, zend_string *lc_name)
{
    if (!TIDE_G(sched) || tide_coro_is_main(tide_coro_current(TIDE_G(sched))))
        return stock_autoload(name, lc_name);
    tide_coro_t *self = tide_coro_current(TIDE_G(sched));
    if (!loading) {
        ALLOC_HASHTABLE(loading);
        zend_hash_init(loading, 8, NULL, loading_free, 0);
    }
    loading_t *l = zend_hash_find_ptr(loading, lc_name);
    if (l) {
        if (l->owner == self || !php_tide_coro_can_suspend())
            return NULL; /* its own autoloader asks for it: not found, as in stock PHP */
        /* Another coroutine loads it: wait for it, then look again. */
        if (l->nwaiters == l->cap) {
            l->cap = l->cap ? 2 * l->cap : 4;
            l->waiters = erealloc(l->waiters, l->cap * sizeof(*l->waiters));
        }
        l->waiters[l->nwaiters++] = self;
        /* (PHP's mark, set for this lookup, would turn the others away while it waits) */
        bool marked = EG(in_autoload) && zend_hash_del(EG(in_autoload), lc_name) == SUCCESS;
        php_tide_coro_waits_on("class autoloading");
        int rc = tide_coro_wait(TIDE_G(sched), -1, false);
        if (marked)
            zend_hash_add_empty_element(EG(in_autoload), lc_name);
        if (rc == TIDE_EKILLED) {
            php_tide_coro_killed();
            return NULL;
        }
        zend_class_entry *ce = zend_hash_find_ptr(EG(class_table), lc_name);
        if (ce)
            return ce;
        return tide_autoload(name, lc_name); /* it was not defined: load it ourselves */
    }
    l = ecalloc(1, sizeof(*l));
    l->owner = self;
    zend_hash_add_new_ptr(loading, lc_name, l);
    /* PHP's request-wide mark would turn every other coroutine away meanwhile. */
    bool marked = EG(in_autoload) && zend_hash_del(EG(in_autoload), lc_name) == SUCCESS;
    zend_class_entry *ce = stock_autoload(name, lc_name);
    if (marked)
        zend_hash_add_empty_element(EG(in_autoload), lc_name);
    /* Done: whoever waited looks again. */
    l = zend_hash_find_ptr(loading, lc_name);
    if (l) {
        for (uint32_t i = 0; i < l->nwaiters; i++)
            tide_coro_wake(TIDE_G(sched), l->waiters[i]);
        zend_hash_del(loading, lc_name);
    }
    return ce;
}

void php_tide_autoload_minit(void)
{
    stock_autoload = zend_autoload;
    if (stock_autoload)
        zend_autoload = tide_autoload;
}

void php_tide_autoload_mshutdown(void)
{
    if (zend_autoload == tide_autoload)
        zend_autoload = stock_autoload;
}

void php_tide_autoload_rshutdown(void)
{
    if (loading) {
        zend_hash_destroy(loading);
        FREE_HASHTABLE(loading);
        loading = NULL;
    }
}

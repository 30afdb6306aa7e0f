/* SPDX-License-Identifier: MIT */
/*
 * Tide\Coroutine\Lock (Swoole's Coroutine\Lock): a read-write lock whose holder is a
 * coroutine. A coroutine that cannot have it waits in the coroutine; the others run.
 *
 * The lock is one 32-bit word: 0 free, WRITER held alone, else the number of readers. It
 * lives in a shared page (tide_atomic_t) either way; with $shared the page is made to be
 * one lock for every process forked after it. Waiters of this process queue on the object
 * and are woken by an unlock here; a lock held by another process is polled (0.1 ms,
 * doubling to 5 ms), as Tide\Lock's waits in a coroutine are.
 *
 * Who holds it is kept per process (coroutine id => its hold), so that unlock() lets go of
 * the caller's own hold only. A coroutine that ends holding the lock leaves it held, as a
 * thread ending with a mutex does; not reentrant (a second lock() by the holder is false).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <sys/file.h>
#include <time.h>

#include "php.h"
#include "php_tide.h"
#include "tide/sync.h"
#include "tide_colock_arginfo.h"

#define WRITER UINT32_MAX

/* One coroutine waiting here; on its own stack. */
typedef struct waiter {
    tide_coro_t *co;
    struct waiter *prev, *next;
} waiter_t;

typedef struct {
    tide_atomic_t *word; /* the lock word, in a shared page */
    bool shared;
    HashTable holds;     /* coroutine id (-1: outside coroutines) => 1 read, -1 write */
    waiter_t *head, *tail;
    unsigned gen;        /* the fork generation the holds and waiters belong to */
    zend_object std;
} colock_t;

static zend_class_entry *colock_ce;
static zend_object_handlers colock_handlers;

static colock_t *from_obj(zend_object *obj)
{
    return (colock_t *)((char *)obj - XtOffsetOf(colock_t, std));
}

static zend_object *colock_new(zend_class_entry *ce)
{
    colock_t *l = zend_object_alloc(sizeof(*l), ce);
    zend_hash_init(&l->holds, 4, NULL, NULL, 0);
    l->gen = tide_fork_generation();
    zend_object_std_init(&l->std, ce);
    l->std.handlers = &colock_handlers;
    return &l->std;
}

static void colock_free(zend_object *obj)
{
    colock_t *l = from_obj(obj);
    if (l->word)
        tide_atomic_free(l->word);
    zend_hash_destroy(&l->holds);
    zend_object_std_dtor(obj);
}

static colock_t *this_lock(zval *zv)
{
    colock_t *l = from_obj(Z_OBJ_P(zv));
    if (!l->word) {
        php_tide_throw(0, "Tide\\Coroutine\\Lock was not constructed");
        return NULL;
    }
    /* In a child forked since: the parent's holders and waiters are not here. */
    if (l->gen != tide_fork_generation()) {
        l->gen = tide_fork_generation();
        zend_hash_clean(&l->holds);
        l->head = l->tail = NULL;
    }
    return l;
}

ZEND_METHOD(Tide_Coroutine_Lock, __construct)
{
    bool shared = false;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(shared)
    ZEND_PARSE_PARAMETERS_END();
    colock_t *l = from_obj(Z_OBJ_P(ZEND_THIS));
    if (l->word) {
        zend_throw_error(NULL, "Tide\\Coroutine\\Lock::__construct() can be called only once");
        RETURN_THROWS();
    }
    l->word = tide_atomic_new(0);
    if (!l->word) {
        php_tide_throw(-errno, "Tide\\Coroutine\\Lock: no shared memory: %s", strerror(errno));
        RETURN_THROWS();
    }
    l->shared = shared;
}

static bool try_take(colock_t *l, bool exclusive)
{
    if (exclusive)
        return tide_atomic_cmpset(l->word, 0, WRITER);
    for (;;) {
        uint32_t v = tide_atomic_get(l->word);
        if (v == WRITER || v == WRITER - 1)
            return false;
        if (tide_atomic_cmpset(l->word, v, v + 1))
            return true;
    }
}

/* Who, in a message: "coroutine #5", or "the main context". */
static const char *who(zend_long self, char *buf, size_t n)
{
    if (self < 0)
        return "the main context";
    snprintf(buf, n, "coroutine #" ZEND_LONG_FMT, self);
    return buf;
}

static zend_long self_id(void)
{
    zend_long cid = -1;
    if (TIDE_G(sched) && !tide_coro_is_main(tide_coro_current(TIDE_G(sched))))
        cid = (zend_long)tide_coro_id(tide_coro_current(TIDE_G(sched)));
    return cid;
}

static void unqueue(colock_t *l, waiter_t *w)
{
    if (w->prev)
        w->prev->next = w->next;
    else if (l->head == w)
        l->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else if (l->tail == w)
        l->tail = w->prev;
    w->prev = w->next = NULL;
}

/* The scheduler drops a coroutine still waiting: it leaves the queue. */
typedef struct {
    colock_t *l;
    waiter_t *w;
} drop_t;

static void drop_waiter(void *arg)
{
    drop_t *d = arg;
    unqueue(d->l, d->w);
}

ZEND_METHOD(Tide_Coroutine_Lock, lock)
{
    zend_long op = LOCK_EX;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(op)
    ZEND_PARSE_PARAMETERS_END();
    zend_long kind = op & ~(zend_long)LOCK_NB;
    if (kind != LOCK_EX && kind != LOCK_SH) {
        zend_argument_value_error(1, "must be LOCK_EX or LOCK_SH, optionally | LOCK_NB");
        RETURN_THROWS();
    }
    colock_t *l = this_lock(ZEND_THIS);
    if (!l)
        RETURN_THROWS();
    bool exclusive = kind == LOCK_EX, nb = op & LOCK_NB;
    zend_long self = self_id();
    if (zend_hash_index_exists(&l->holds, (zend_ulong)self)) {
        char b[48];
        php_error_docref(NULL, E_WARNING, "This lock is held already by its caller, %s",
                         who(self, b, sizeof(b)));
        RETURN_FALSE;
    }
    int64_t step = 100000; /* the poll for a holder in another process: 0.1 ms .. 5 ms */
    while (!try_take(l, exclusive)) {
        if (nb)
            RETURN_FALSE;
        if (self < 0 || !php_tide_coro_can_suspend()) {
            if (!l->shared) {
                /* Outside coroutines nobody else of this process can let go. */
                php_tide_throw(-EDEADLK, "Tide\\Coroutine\\Lock::lock() would wait for ever "
                                         "outside a coroutine (the lock is held)");
                RETURN_THROWS();
            }
            struct timespec ts = {0, (long)step};
            nanosleep(&ts, NULL); /* another process holds it: blocks, as Tide\Lock does */
        } else {
            waiter_t w = {.co = tide_coro_current(TIDE_G(sched)), .prev = l->tail};
            if (l->tail)
                l->tail->next = &w;
            else
                l->head = &w;
            l->tail = &w;
            drop_t d = {l, &w};
            tide_coro_set_drop(TIDE_G(sched), drop_waiter, &d);
            php_tide_coro_waits_on("Tide\\Coroutine\\Lock::lock()");
            int rc = tide_coro_wait(TIDE_G(sched), l->shared ? step : -1, true);
            tide_coro_set_drop(TIDE_G(sched), NULL, NULL);
            unqueue(l, &w);
            if (rc == TIDE_EKILLED) {
                php_tide_coro_killed();
                RETURN_THROWS();
            }
            if (rc == -ECANCELED)
                RETURN_FALSE;
        }
        if (step < 5000000)
            step *= 2;
    }
    zend_hash_index_add_new_ptr(&l->holds, (zend_ulong)self, exclusive ? (void *)-1 : (void *)1);
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Coroutine_Lock, unlock)
{
    ZEND_PARSE_PARAMETERS_NONE();
    colock_t *l = this_lock(ZEND_THIS);
    if (!l)
        RETURN_THROWS();
    zend_long self = self_id();
    void *hold = zend_hash_index_find_ptr(&l->holds, (zend_ulong)self);
    if (!hold) {
        char b[48];
        php_error_docref(NULL, E_WARNING, "This lock is not held by its caller, %s",
                         who(self, b, sizeof(b)));
        RETURN_FALSE;
    }
    zend_hash_index_del(&l->holds, (zend_ulong)self);
    if (hold == (void *)-1)
        tide_atomic_set(l->word, 0);
    else
        tide_atomic_sub(l->word, 1);
    /* Everyone waiting here tries again (readers may all get in). */
    for (waiter_t *w = l->head; w; w = w->next)
        tide_coro_wake(TIDE_G(sched), w->co);
    RETURN_TRUE;
}

void php_tide_colock_minit(void)
{
    colock_ce = register_class_Tide_Coroutine_Lock();
    colock_ce->create_object = colock_new;
    memcpy(&colock_handlers, zend_get_std_object_handlers(), sizeof(colock_handlers));
    colock_handlers.offset = XtOffsetOf(colock_t, std);
    colock_handlers.free_obj = colock_free;
    colock_handlers.clone_obj = NULL;
}

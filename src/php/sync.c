/* SPDX-License-Identifier: MIT */
/*
 * Tide\Atomic, Tide\Atomic\Long and Tide\Lock: PHP objects over the shared counters and
 * locks of include/tide/sync.h. An object made before the server forks is shared by every
 * process; each process unmaps its view when its object goes (free_obj), the others keep
 * theirs. Inside a coroutine a wait (Atomic::wait, a lock with a timeout) tries again after
 * short sleeps, so only the coroutine waits; elsewhere it blocks in the kernel.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <limits.h>
#include <math.h>

#include "php.h"
#include "php_tide.h"
#include "tide/sync.h"
#include "tide_sync_arginfo.h"
#include "zend_exceptions.h"

/* One PHP object over one mapping: p is NULL until the constructor ran. */
typedef struct sync_obj {
    void *p;
    void (*unmap)(void *p);
    zend_object std;
} sync_obj_t;

/* PHP's LOCK_SH, LOCK_EX and LOCK_NB (ext/standard/flock_compat.h, which wants the
 * network headers too). */
enum { PHP_LOCK_SH = 1, PHP_LOCK_EX = 2, PHP_LOCK_NB = 4 };

static zend_class_entry *atomic_ce, *long_ce, *lock_ce;
static zend_object_handlers sync_handlers;

static sync_obj_t *sync_from(zend_object *o)
{
    return (sync_obj_t *)((char *)o - XtOffsetOf(sync_obj_t, std));
}

static zend_object *sync_new(zend_class_entry *ce)
{
    sync_obj_t *s = zend_object_alloc(sizeof(*s), ce);
    zend_object_std_init(&s->std, ce);
    object_properties_init(&s->std, ce);
    s->std.handlers = &sync_handlers;
    return &s->std;
}

static void sync_free(zend_object *o)
{
    sync_obj_t *s = sync_from(o);
    if (s->p)
        s->unmap(s->p);
    zend_object_std_dtor(o);
}

static void unmap_atomic(void *p)
{
    tide_atomic_free(p);
}

static void unmap_long(void *p)
{
    tide_atomic64_free(p);
}

static void unmap_lock(void *p)
{
    tide_lock_free(p);
}

/* The mapping behind $this; NULL with an Error when the constructor did not run. */
static void *sync_this(zend_object *o)
{
    sync_obj_t *s = sync_from(o);
    if (!s->p)
        zend_throw_error(NULL, "%s was not constructed", ZSTR_VAL(o->ce->name));
    return s->p;
}

#define THIS_OR_THROW(var)                                                                         \
    do {                                                                                           \
        if (!((var) = sync_this(Z_OBJ_P(ZEND_THIS))))                                              \
            RETURN_THROWS();                                                                       \
    } while (0)

/* Stores a new mapping in $this; false with an exception (constructed twice, no memory). */
static bool sync_set(zend_object *o, void *p, void (*unmap)(void *p), const char *what)
{
    sync_obj_t *s = sync_from(o);
    if (!p) {
        php_tide_throw(-errno, "cannot map shared memory for %s", what);
        return false;
    }
    if (s->p) {
        unmap(p);
        zend_throw_error(NULL, "%s is already constructed", what);
        return false;
    }
    s->p = p;
    s->unmap = unmap;
    return true;
}

/* A timeout in seconds as nanoseconds: < 0 for none (negative, NaN, or too long to count). */
static int64_t timeout_ns_of(double seconds)
{
    if (!(seconds >= 0) || seconds > 1e9)
        return -1;
    return (int64_t)(seconds * 1e9);
}

/*
 * Inside a coroutine: try(arg) until it gives something other than -EBUSY or the deadline
 * passes (-ETIMEDOUT), sleeping 0.1 ms, doubling to 5 ms, in between. TIDE_EKILLED (exit
 * thrown) or -ECANCELED end it early.
 */
static int coro_poll(int (*try)(void *arg), void *arg, int64_t timeout_ns, const char *what)
{
    int64_t deadline = timeout_ns < 0 ? -1 : (int64_t)tide_time_ns() + timeout_ns;
    int64_t step = 100000;
    for (;;) {
        int rc = try(arg);
        if (rc != -EBUSY)
            return rc;
        int64_t left = deadline < 0 ? step : deadline - (int64_t)tide_time_ns();
        if (left <= 0)
            return -ETIMEDOUT;
        php_tide_coro_waits_on(what);
        rc = tide_coro_sleep(TIDE_G(sched), left < step ? left : step);
        if (rc == TIDE_EKILLED) {
            php_tide_coro_killed();
            return rc;
        }
        if (rc < 0)
            return rc;
        if (step < 5000000)
            step *= 2;
    }
}

/* ---- Tide\Atomic ---- */

static bool u32_arg(zend_long v, uint32_t arg)
{
    if (v < 0 || (uint64_t)v > UINT32_MAX) {
        zend_argument_value_error(arg, "must be between 0 and 4294967295 (Tide\\Atomic is "
                                       "32-bit unsigned; Tide\\Atomic\\Long is 64-bit), " ZEND_LONG_FMT
                                       " given",
                                  v);
        return false;
    }
    return true;
}

ZEND_METHOD(Tide_Atomic, __construct)
{
    zend_long value = 0;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(value)
    ZEND_PARSE_PARAMETERS_END();
    if (!u32_arg(value, 1))
        RETURN_THROWS();
    sync_set(Z_OBJ_P(ZEND_THIS), tide_atomic_new((uint32_t)value), unmap_atomic, "Tide\\Atomic");
}

/* add() and sub(): the same argument, one of two operations. */
static void atomic_add(INTERNAL_FUNCTION_PARAMETERS, bool sub)
{
    zend_long n = 1;
    tide_atomic_t *a;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(n)
    ZEND_PARSE_PARAMETERS_END();
    THIS_OR_THROW(a);
    if (!u32_arg(n, 1))
        RETURN_THROWS();
    RETURN_LONG(sub ? tide_atomic_sub(a, (uint32_t)n) : tide_atomic_add(a, (uint32_t)n));
}

ZEND_METHOD(Tide_Atomic, add)
{
    atomic_add(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

ZEND_METHOD(Tide_Atomic, sub)
{
    atomic_add(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

ZEND_METHOD(Tide_Atomic, get)
{
    tide_atomic_t *a;
    ZEND_PARSE_PARAMETERS_NONE();
    THIS_OR_THROW(a);
    RETURN_LONG(tide_atomic_get(a));
}

ZEND_METHOD(Tide_Atomic, set)
{
    zend_long v;
    tide_atomic_t *a;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(v)
    ZEND_PARSE_PARAMETERS_END();
    THIS_OR_THROW(a);
    if (!u32_arg(v, 1))
        RETURN_THROWS();
    tide_atomic_set(a, (uint32_t)v);
}

ZEND_METHOD(Tide_Atomic, cmpset)
{
    zend_long cmp, new_;
    tide_atomic_t *a;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_LONG(cmp)
        Z_PARAM_LONG(new_)
    ZEND_PARSE_PARAMETERS_END();
    THIS_OR_THROW(a);
    if (!u32_arg(cmp, 1) || !u32_arg(new_, 2))
        RETURN_THROWS();
    RETURN_BOOL(tide_atomic_cmpset(a, (uint32_t)cmp, (uint32_t)new_));
}

static int atomic_try_wait(void *a)
{
    int rc = tide_atomic_wait(a, 0);
    return rc == -ETIMEDOUT ? -EBUSY : rc;
}

ZEND_METHOD(Tide_Atomic, wait)
{
    double timeout = 1.0;
    tide_atomic_t *a;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    THIS_OR_THROW(a);
    /* As Swoole: no timeout for 0 or less. */
    int64_t ns = timeout > 0 ? timeout_ns_of(timeout) : -1;
    int rc;
    if (php_tide_coro_can_suspend()) {
        rc = coro_poll(atomic_try_wait, a, ns, "Tide\\Atomic::wait()");
        if (rc == TIDE_EKILLED)
            RETURN_THROWS();
    } else {
        rc = tide_atomic_wait(a, ns);
    }
    RETURN_BOOL(rc == 0);
}

ZEND_METHOD(Tide_Atomic, wakeup)
{
    zend_long n = 1;
    tide_atomic_t *a;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(n)
    ZEND_PARSE_PARAMETERS_END();
    THIS_OR_THROW(a);
    if (n < 1 || n > INT_MAX) {
        zend_argument_value_error(1, "must be between 1 and %d, " ZEND_LONG_FMT " given", INT_MAX,
                                  n);
        RETURN_THROWS();
    }
    RETURN_BOOL(tide_atomic_wakeup(a, (int)n) >= 0);
}

/* ---- Tide\Atomic\Long ---- */

ZEND_METHOD(Tide_Atomic_Long, __construct)
{
    zend_long value = 0;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(value)
    ZEND_PARSE_PARAMETERS_END();
    TIDE_UNUSED(return_value);
    sync_set(Z_OBJ_P(ZEND_THIS), tide_atomic64_new(value), unmap_long, "Tide\\Atomic\\Long");
}

static void atomic64_add(INTERNAL_FUNCTION_PARAMETERS, bool sub)
{
    zend_long n = 1;
    tide_atomic64_t *a;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(n)
    ZEND_PARSE_PARAMETERS_END();
    THIS_OR_THROW(a);
    RETURN_LONG(sub ? tide_atomic64_sub(a, n) : tide_atomic64_add(a, n));
}

ZEND_METHOD(Tide_Atomic_Long, add)
{
    atomic64_add(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

ZEND_METHOD(Tide_Atomic_Long, sub)
{
    atomic64_add(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

ZEND_METHOD(Tide_Atomic_Long, get)
{
    tide_atomic64_t *a;
    ZEND_PARSE_PARAMETERS_NONE();
    THIS_OR_THROW(a);
    RETURN_LONG(tide_atomic64_get(a));
}

ZEND_METHOD(Tide_Atomic_Long, set)
{
    zend_long v;
    tide_atomic64_t *a;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(v)
    ZEND_PARSE_PARAMETERS_END();
    THIS_OR_THROW(a);
    tide_atomic64_set(a, v);
}

ZEND_METHOD(Tide_Atomic_Long, cmpset)
{
    zend_long cmp, new_;
    tide_atomic64_t *a;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_LONG(cmp)
        Z_PARAM_LONG(new_)
    ZEND_PARSE_PARAMETERS_END();
    THIS_OR_THROW(a);
    RETURN_BOOL(tide_atomic64_cmpset(a, cmp, new_));
}

/* ---- Tide\Lock ---- */

ZEND_METHOD(Tide_Lock, __construct)
{
    zend_long type = TIDE_LOCK_MUTEX;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(type)
    ZEND_PARSE_PARAMETERS_END();
    if (type != TIDE_LOCK_MUTEX && type != TIDE_LOCK_RWLOCK && type != TIDE_LOCK_SPINLOCK) {
        zend_argument_value_error(1, "must be Tide\\Lock::MUTEX, Tide\\Lock::RWLOCK or "
                                     "Tide\\Lock::SPINLOCK, " ZEND_LONG_FMT " given",
                                  type);
        RETURN_THROWS();
    }
    sync_set(Z_OBJ_P(ZEND_THIS), tide_lock_new((tide_lock_type_t)type), unmap_lock, "Tide\\Lock");
}

typedef struct lock_try {
    tide_lock_t *l;
    bool shared;
    pid_t dead;
} lock_try_t;

static int lock_try(void *arg)
{
    lock_try_t *t = arg;
    pid_t dead = 0;
    int rc = tide_lock_acquire(t->l, t->shared, 0, &dead);
    if (dead)
        t->dead = dead;
    return rc;
}

/* Takes the lock; false when it is held past the timeout (or the coroutine was canceled),
 * or with a warning when waiting would never end, or with exit thrown. */
static bool lock_take(tide_lock_t *l, bool shared, int64_t timeout_ns)
{
    lock_try_t t = {l, shared, 0};
    int rc;
    if (timeout_ns != 0 && php_tide_coro_can_suspend())
        rc = coro_poll(lock_try, &t, timeout_ns, "Tide\\Lock");
    else
        rc = tide_lock_acquire(l, shared, timeout_ns, &t.dead);
    if (rc == 1) {
        php_error_docref(NULL, E_WARNING,
                         "process %d died holding the lock: taken over from it (what the lock "
                         "guarded may be half written)",
                         (int)t.dead);
    } else if (rc > 1) {
        php_error_docref(NULL, E_WARNING,
                         "%d processes (%d among them) died holding the lock: taken over from "
                         "them (what the lock guarded may be half written)",
                         rc, (int)t.dead);
    } else if (rc == -EDEADLK) {
        php_error_docref(NULL, E_WARNING,
                         "this process already holds the lock: waiting for it would never end");
    } else if (rc < 0 && rc != -EBUSY && rc != -ETIMEDOUT && rc != -ECANCELED &&
               rc != TIDE_EKILLED) {
        php_error_docref(NULL, E_WARNING, "cannot take the lock: %s", tide_strerror(rc));
    }
    return rc >= 0;
}

ZEND_METHOD(Tide_Lock, lock)
{
    zend_long op = PHP_LOCK_EX;
    double timeout = -1;
    tide_lock_t *l;
    ZEND_PARSE_PARAMETERS_START(0, 2)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(op)
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    THIS_OR_THROW(l);
    zend_long kind = op & ~(zend_long)PHP_LOCK_NB;
    if (kind != PHP_LOCK_EX && kind != PHP_LOCK_SH) {
        zend_argument_value_error(1, "must be LOCK_EX or LOCK_SH, optionally | LOCK_NB, " ZEND_LONG_FMT
                                     " given",
                                  op);
        RETURN_THROWS();
    }
    bool ok = lock_take(l, kind == PHP_LOCK_SH, (op & PHP_LOCK_NB) ? 0 : timeout_ns_of(timeout));
    if (EG(exception))
        RETURN_THROWS();
    RETURN_BOOL(ok);
}

ZEND_METHOD(Tide_Lock, trylock)
{
    tide_lock_t *l;
    ZEND_PARSE_PARAMETERS_NONE();
    THIS_OR_THROW(l);
    RETURN_BOOL(lock_take(l, false, 0));
}

ZEND_METHOD(Tide_Lock, lock_read)
{
    tide_lock_t *l;
    ZEND_PARSE_PARAMETERS_NONE();
    THIS_OR_THROW(l);
    bool ok = lock_take(l, true, -1);
    if (EG(exception))
        RETURN_THROWS();
    RETURN_BOOL(ok);
}

ZEND_METHOD(Tide_Lock, trylock_read)
{
    tide_lock_t *l;
    ZEND_PARSE_PARAMETERS_NONE();
    THIS_OR_THROW(l);
    RETURN_BOOL(lock_take(l, true, 0));
}

ZEND_METHOD(Tide_Lock, lockwait)
{
    double timeout = 1.0;
    tide_lock_t *l;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    THIS_OR_THROW(l);
    bool ok = lock_take(l, false, timeout_ns_of(timeout));
    if (EG(exception))
        RETURN_THROWS();
    RETURN_BOOL(ok);
}

ZEND_METHOD(Tide_Lock, unlock)
{
    tide_lock_t *l;
    ZEND_PARSE_PARAMETERS_NONE();
    THIS_OR_THROW(l);
    int rc = tide_lock_release(l);
    if (rc == -EPERM)
        php_error_docref(NULL, E_WARNING, "this process does not hold the lock");
    else if (rc < 0)
        php_error_docref(NULL, E_WARNING, "cannot let go of the lock: %s", tide_strerror(rc));
    RETURN_BOOL(rc == 0);
}

void php_tide_sync_minit(void)
{
    memcpy(&sync_handlers, zend_get_std_object_handlers(), sizeof(sync_handlers));
    sync_handlers.offset = XtOffsetOf(sync_obj_t, std);
    sync_handlers.free_obj = sync_free;
    sync_handlers.clone_obj = NULL;
    atomic_ce = register_class_Tide_Atomic();
    atomic_ce->create_object = sync_new;
    long_ce = register_class_Tide_Atomic_Long();
    long_ce->create_object = sync_new;
    lock_ce = register_class_Tide_Lock();
    lock_ce->create_object = sync_new;
}

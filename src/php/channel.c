/* SPDX-License-Identifier: MIT */
/*
 * Tide\Coroutine\Channel and Tide\Coroutine\WaitGroup over the core's channel and wait
 * group. A channel's items are zvals: a push moves one reference into the channel (or
 * straight to a waiting consumer), a pop moves it out.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>

#include "php.h"
#include "php_tide.h"
#include "tide/channel.h"
#include "tide_channel_arginfo.h"
#include "zend_exceptions.h"

static zend_class_entry *channel_ce, *waitgroup_ce;
static zend_object_handlers channel_handlers, waitgroup_handlers;

enum { ERR_OK = 0, ERR_TIMEOUT = -1, ERR_CLOSED = -2, ERR_CANCELED = -3 };

typedef struct php_tide_channel {
    tide_chan_t *ch;    /* NULL until constructed */
    tide_sched_t *sched; /* the scheduler ch was last given */
    zend_object std;
} php_tide_channel_t;

typedef struct php_tide_waitgroup {
    tide_wg_t *wg;
    zend_object std;
} php_tide_waitgroup_t;

static php_tide_channel_t *channel_of(zend_object *obj)
{
    return (php_tide_channel_t *)((char *)obj - XtOffsetOf(php_tide_channel_t, std));
}

static php_tide_waitgroup_t *waitgroup_of(zend_object *obj)
{
    return (php_tide_waitgroup_t *)((char *)obj - XtOffsetOf(php_tide_waitgroup_t, std));
}

/* Seconds as PHP gives them: < 0 no limit, 0 no wait. In Swoole's order (swoole), 0 waits
 * for ever too, as in Swoole (which only times a wait longer than 0). */
static zend_always_inline int64_t timeout_ns_of(double seconds, const bool swoole)
{
    if (seconds < 0 || (swoole && seconds == 0))
        return -1;
    if (seconds > 9.2e9)
        seconds = 9.2e9;
    return (int64_t)(seconds * 1e9);
}

static int64_t timeout_ns(double seconds)
{
    return timeout_ns_of(seconds, false);
}

static void set_err(zend_object *obj, zend_long code)
{
    /* errCode is the second declared property (after capacity). */
    ZVAL_LONG(OBJ_PROP_NUM(obj, 1), code);
}

static zend_long err_of(int rc)
{
    switch (rc) {
    case 0:
        return ERR_OK;
    case -ETIMEDOUT:
        return ERR_TIMEOUT;
    case -ECANCELED:
        return ERR_CANCELED;
    default:
        return ERR_CLOSED;
    }
}

static zend_object *channel_new(zend_class_entry *ce)
{
    php_tide_channel_t *c = zend_object_alloc(sizeof(*c), ce);
    zend_object_std_init(&c->std, ce);
    object_properties_init(&c->std, ce);
    c->std.handlers = &channel_handlers;
    return &c->std;
}

static void channel_free(zend_object *obj)
{
    php_tide_channel_t *c = channel_of(obj);
    if (c->ch) {
        zval v;
        while (tide_chan_try_pop(c->ch, &v))
            zval_ptr_dtor(&v);
        tide_chan_destroy(c->ch);
    }
    zend_object_std_dtor(obj);
}

static HashTable *channel_gc(zend_object *obj, zval **table, int *n)
{
    php_tide_channel_t *c = channel_of(obj);
    zend_get_gc_buffer *buf = zend_get_gc_buffer_create();
    if (c->ch)
        for (size_t i = 0; i < tide_chan_length(c->ch); i++)
            zend_get_gc_buffer_add_zval(buf, tide_chan_item(c->ch, i));
    zend_get_gc_buffer_use(buf, table, n);
    return zend_std_get_properties(obj);
}

static php_tide_channel_t *this_channel(zval *this_ptr)
{
    php_tide_channel_t *c = channel_of(Z_OBJ_P(this_ptr));
    if (!c->ch) {
        zend_throw_error(NULL, "Tide\\Coroutine\\Channel was not constructed");
        return NULL;
    }
    /* The scheduler it was made with is gone after fork: use the current one. */
    tide_sched_t *s = php_tide_sched();
    if (!s)
        return NULL;
    if (UNEXPECTED(c->sched != s)) {
        tide_chan_set_sched(c->ch, s);
        c->sched = s;
    }
    return c;
}

ZEND_METHOD(Tide_Coroutine_Channel, __construct)
{
    zend_long capacity = 1;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(capacity)
    ZEND_PARSE_PARAMETERS_END();
    if (capacity < 1 || capacity > 16 * 1024 * 1024) {
        zend_argument_value_error(1, "must be between 1 and 16777216");
        RETURN_THROWS();
    }
    php_tide_channel_t *c = channel_of(Z_OBJ_P(ZEND_THIS));
    if (c->ch) {
        zend_throw_error(NULL, "Tide\\Coroutine\\Channel::__construct() cannot be called twice");
        RETURN_THROWS();
    }
    tide_sched_t *s = php_tide_sched();
    if (!s)
        RETURN_THROWS();
    c->ch = tide_chan_create(s, (size_t)capacity, sizeof(zval));
    c->sched = s;
    ZVAL_LONG(OBJ_PROP_NUM(Z_OBJ_P(ZEND_THIS), 0), capacity);
}

/*
 * push() and pop() in two orders, one body each. Tide's (swoole false): a waiter the call
 * ends runs after the caller suspends (no switch per item). Swoole's, which
 * tide.swoole_compat=On installs in their place (php_tide_channel_swoole_order): a push
 * that hands its item to a waiting pop (and a pop that lets a waiting push in) runs the
 * waiter at once, and the caller goes on when the waiter suspends; a timeout of 0 waits.
 * Only where a coroutine may switch (not in a destructor the collector runs, for one). Tide's
 * own push and pop have none of this in them: the mode costs nothing when off.
 */
static zend_always_inline void push(INTERNAL_FUNCTION_PARAMETERS, const bool swoole)
{
    zval *data;
    double timeout = -1;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ZVAL(data)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_channel_t *c = this_channel(ZEND_THIS);
    if (!c)
        RETURN_THROWS();
    int64_t ns = timeout_ns_of(timeout, swoole);
    /* Only a push into a full, open channel with a timeout can suspend. */
    if (tide_chan_length(c->ch) == tide_chan_capacity(c->ch) && !tide_chan_closed(c->ch) &&
        ns != 0) {
        if (!php_tide_coro_suspendable("Tide\\Coroutine\\Channel::push()"))
            RETURN_THROWS();
        php_tide_coro_waits_on("Tide\\Coroutine\\Channel::push()");
    }

    zval item;
    ZVAL_COPY_DEREF(&item, data);
    bool handoff = swoole && php_tide_coro_can_suspend();
    int rc = handoff ? tide_chan_push_now(c->ch, &item, ns) : tide_chan_push(c->ch, &item, ns);
    if (rc != 0)
        zval_ptr_dtor(&item); /* not taken */
    if (rc == TIDE_EKILLED) {
        php_tide_coro_killed();
        RETURN_THROWS();
    }
    if (handoff && php_tide_coro_resumed_failed())
        RETURN_THROWS();
    set_err(Z_OBJ_P(ZEND_THIS), err_of(rc));
    RETURN_BOOL(rc == 0);
}

static zend_always_inline void pop(INTERNAL_FUNCTION_PARAMETERS, const bool swoole)
{
    double timeout = -1;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_channel_t *c = this_channel(ZEND_THIS);
    if (!c)
        RETURN_THROWS();
    int64_t ns = timeout_ns_of(timeout, swoole);
    /* Only a pop from an empty, open channel with a timeout can suspend. */
    if (!tide_chan_length(c->ch) && !tide_chan_closed(c->ch) && ns != 0) {
        if (!php_tide_coro_suspendable("Tide\\Coroutine\\Channel::pop()"))
            RETURN_THROWS();
        php_tide_coro_waits_on("Tide\\Coroutine\\Channel::pop()");
    }

    zval item;
    bool handoff = swoole && php_tide_coro_can_suspend();
    int rc = handoff ? tide_chan_pop_now(c->ch, &item, ns) : tide_chan_pop(c->ch, &item, ns);
    if (rc == TIDE_EKILLED) {
        php_tide_coro_killed();
        RETURN_THROWS();
    }
    if (handoff && php_tide_coro_resumed_failed()) {
        if (rc == 0)
            zval_ptr_dtor(&item);
        RETURN_THROWS();
    }
    set_err(Z_OBJ_P(ZEND_THIS), err_of(rc));
    if (rc != 0)
        RETURN_FALSE;
    RETURN_COPY_VALUE(&item);
}

ZEND_METHOD(Tide_Coroutine_Channel, push)
{
    push(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

ZEND_METHOD(Tide_Coroutine_Channel, pop)
{
    pop(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

static ZEND_NAMED_FUNCTION(push_in_swoole_order)
{
    push(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

static ZEND_NAMED_FUNCTION(pop_in_swoole_order)
{
    pop(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

void php_tide_channel_swoole_order(void)
{
    zend_function *f = zend_hash_str_find_ptr(&channel_ce->function_table, "push",
                                              sizeof("push") - 1);
    f->internal_function.handler = push_in_swoole_order;
    f = zend_hash_str_find_ptr(&channel_ce->function_table, "pop", sizeof("pop") - 1);
    f->internal_function.handler = pop_in_swoole_order;
}

ZEND_METHOD(Tide_Coroutine_Channel, close)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_channel_t *c = this_channel(ZEND_THIS);
    if (!c)
        RETURN_THROWS();
    RETURN_BOOL(tide_chan_close(c->ch));
}

ZEND_METHOD(Tide_Coroutine_Channel, length)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_channel_t *c = this_channel(ZEND_THIS);
    if (!c)
        RETURN_THROWS();
    RETURN_LONG((zend_long)tide_chan_length(c->ch));
}

ZEND_METHOD(Tide_Coroutine_Channel, isEmpty)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_channel_t *c = this_channel(ZEND_THIS);
    if (!c)
        RETURN_THROWS();
    RETURN_BOOL(tide_chan_length(c->ch) == 0);
}

ZEND_METHOD(Tide_Coroutine_Channel, isFull)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_channel_t *c = this_channel(ZEND_THIS);
    if (!c)
        RETURN_THROWS();
    RETURN_BOOL(tide_chan_length(c->ch) == tide_chan_capacity(c->ch));
}

ZEND_METHOD(Tide_Coroutine_Channel, stats)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_channel_t *c = this_channel(ZEND_THIS);
    if (!c)
        RETURN_THROWS();
    array_init(return_value);
    add_assoc_long(return_value, "consumer_num", (zend_long)tide_chan_consumers(c->ch));
    add_assoc_long(return_value, "producer_num", (zend_long)tide_chan_producers(c->ch));
    add_assoc_long(return_value, "queue_num", (zend_long)tide_chan_length(c->ch));
    add_assoc_bool(return_value, "closed", tide_chan_closed(c->ch));
}

/* ---- WaitGroup ---- */

static zend_object *waitgroup_new(zend_class_entry *ce)
{
    php_tide_waitgroup_t *w = zend_object_alloc(sizeof(*w), ce);
    zend_object_std_init(&w->std, ce);
    object_properties_init(&w->std, ce);
    w->std.handlers = &waitgroup_handlers;
    return &w->std;
}

static void waitgroup_free(zend_object *obj)
{
    php_tide_waitgroup_t *w = waitgroup_of(obj);
    if (w->wg)
        tide_wg_destroy(w->wg);
    zend_object_std_dtor(obj);
}

static php_tide_waitgroup_t *this_waitgroup(zval *this_ptr)
{
    php_tide_waitgroup_t *w = waitgroup_of(Z_OBJ_P(this_ptr));
    if (!w->wg) {
        zend_throw_error(NULL, "Tide\\Coroutine\\WaitGroup was not constructed");
        return NULL;
    }
    tide_sched_t *s = php_tide_sched(); /* as for channels */
    if (!s)
        return NULL;
    tide_wg_set_sched(w->wg, s);
    return w;
}

static bool add(php_tide_waitgroup_t *w, zend_long delta)
{
    if (tide_wg_add(w->wg, delta) < 0) {
        zend_throw_error(NULL,
                         "Tide\\Coroutine\\WaitGroup counter cannot go below zero (it is " ZEND_LONG_FMT
                         ", the change is " ZEND_LONG_FMT "): done() was called more often than add()",
                         (zend_long)tide_wg_count(w->wg), delta);
        return false;
    }
    return true;
}

ZEND_METHOD(Tide_Coroutine_WaitGroup, __construct)
{
    zend_long delta = 0;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(delta)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_waitgroup_t *w = waitgroup_of(Z_OBJ_P(ZEND_THIS));
    if (w->wg) {
        zend_throw_error(NULL, "Tide\\Coroutine\\WaitGroup::__construct() cannot be called twice");
        RETURN_THROWS();
    }
    if (delta < 0) {
        zend_argument_value_error(1, "must be greater than or equal to 0");
        RETURN_THROWS();
    }
    tide_sched_t *s = php_tide_sched();
    if (!s)
        RETURN_THROWS();
    w->wg = tide_wg_create(s);
    tide_wg_add(w->wg, delta);
}

ZEND_METHOD(Tide_Coroutine_WaitGroup, add)
{
    zend_long delta = 1;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(delta)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_waitgroup_t *w = this_waitgroup(ZEND_THIS);
    if (!w || !add(w, delta))
        RETURN_THROWS();
}

ZEND_METHOD(Tide_Coroutine_WaitGroup, done)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_waitgroup_t *w = this_waitgroup(ZEND_THIS);
    if (!w || !add(w, -1))
        RETURN_THROWS();
}

ZEND_METHOD(Tide_Coroutine_WaitGroup, wait)
{
    double timeout = -1;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_waitgroup_t *w = this_waitgroup(ZEND_THIS);
    if (!w)
        RETURN_THROWS();
    if (tide_wg_count(w->wg) == 0)
        RETURN_TRUE;
    if (timeout == 0)
        RETURN_FALSE; /* not zero, and no wait asked for */
    if (!php_tide_coro_suspendable("Tide\\Coroutine\\WaitGroup::wait()"))
        RETURN_THROWS();
    php_tide_coro_waits_on("Tide\\Coroutine\\WaitGroup::wait()");
    int rc = tide_wg_wait(w->wg, timeout_ns(timeout));
    if (rc == TIDE_EKILLED) {
        php_tide_coro_killed();
        RETURN_THROWS();
    }
    RETURN_BOOL(rc == 0);
}

ZEND_METHOD(Tide_Coroutine_WaitGroup, count)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_waitgroup_t *w = this_waitgroup(ZEND_THIS);
    if (!w)
        RETURN_THROWS();
    RETURN_LONG((zend_long)tide_wg_count(w->wg));
}

int php_tide_channel_minit(INIT_FUNC_ARGS)
{
    TIDE_UNUSED(type);
    TIDE_UNUSED(module_number);
    channel_ce = register_class_Tide_Coroutine_Channel();
    channel_ce->create_object = channel_new;
    memcpy(&channel_handlers, zend_get_std_object_handlers(), sizeof(channel_handlers));
    channel_handlers.offset = XtOffsetOf(php_tide_channel_t, std);
    channel_handlers.free_obj = channel_free;
    channel_handlers.get_gc = channel_gc;
    channel_handlers.clone_obj = NULL;

    waitgroup_ce = register_class_Tide_Coroutine_WaitGroup();
    waitgroup_ce->create_object = waitgroup_new;
    memcpy(&waitgroup_handlers, zend_get_std_object_handlers(), sizeof(waitgroup_handlers));
    waitgroup_handlers.offset = XtOffsetOf(php_tide_waitgroup_t, std);
    waitgroup_handlers.free_obj = waitgroup_free;
    waitgroup_handlers.clone_obj = NULL;
    return SUCCESS;
}

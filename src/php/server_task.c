/* SPDX-License-Identifier: MIT */
/*
 * Tasks: Tide\Server::task(), taskwait(), taskWaitMulti(), taskCo() in a worker, the `task`
 * event and finish() in a task worker, the `finish` event (or the task's own callback) back
 * in the worker that sent it.
 *
 * A task goes over the worker's link to the hub, which hands it to the task worker asked
 * for or to the one with the fewest tasks (tide/msg.h: TASK_REQ, TASK, TASK_END, FINISH).
 * Data travels as it is when it is a string, else serialize()d; a resource anywhere in it,
 * or a closure, is an error at the call, not in the task worker. Every task ends with one
 * END coming back (with its result, or without one, or LOST when its task worker died), so
 * the sender always knows which of its tasks are out.
 *
 * Back-pressure: a worker has at most TASK_WINDOW tasks (and TASK_WINDOW_BYTES of their
 * data) out at once. task() past that waits, inside a coroutine, until one ends; outside a
 * coroutine it returns false with a warning. So a burst of any size holds a bounded amount
 * of memory in every process, loses nothing it accepted, and keeps each sender's order.
 *
 * In a task worker the `task` callback runs one task at a time, outside any coroutine; with
 * task_enable_coroutine each task runs in a coroutine of its own and the callback gets a
 * Tide\Task, so a task worker has as many tasks in flight as it has coroutines waiting.
 *
 * A waiting call (taskwait, taskCo, taskWaitMulti inside a coroutine) suspends only its
 * coroutine. A result that comes after its waiter gave up is dropped; it never reaches the
 * finish event or a later waiter.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "ext/standard/php_var.h"
#include "php_tide_server.h"
#include "zend_exceptions.h"
#include "zend_smart_str.h"

#define TASK_WINDOW 1024
#define TASK_WINDOW_BYTES (64u << 20)

typedef struct waiter {
    tide_coro_t *co;
    bool waiting;  /* in its wait for answers (not sending, not waiting for room) */
    uint32_t left; /* answers still to come */
    zval results;  /* array: key => result */
} waiter_t;

typedef struct pending {
    size_t bytes;
    zval on_finish;  /* the task's own callback, or UNDEF: the finish event */
    waiter_t *w;     /* a waiting call's, or NULL */
    zval key;        /* its key in w->results */
    bool answered;
} pending_t;

/* A task handed to a task worker: where its answer goes. */
typedef struct task_ref {
    int src;
    uint64_t id;
    tide_msg_task_t head;
    bool finished; /* its result went back */
} task_ref_t;

/* Tide\Task */
typedef struct php_tide_task {
    task_ref_t ref;
    bool live; /* made by a task worker for a task, not by new */
    zend_object std;
} php_tide_task_t;

enum { P_ID, P_WORKER_ID, P_FLAGS, P_DATA, P_DISPATCH_TIME };

static zend_class_entry *task_ce;
static zend_object_handlers task_handlers;

static struct {
    uint64_t next_id;
    HashTable *pending; /* id => pending_t */
    uint32_t out;       /* tasks out (sent, not ended) */
    size_t out_bytes;
    /* coroutines waiting for room in the window */
    tide_coro_t **room;
    size_t nroom, caproom;
    /* a task worker: the task whose callback runs now (without task_enable_coroutine) */
    bool in_task;
    task_ref_t cur;
    bool warned_no_finish;
} T;

static void pending_free(zval *zv)
{
    pending_t *p = Z_PTR_P(zv);
    zval_ptr_dtor(&p->on_finish);
    zval_ptr_dtor(&p->key);
    efree(p);
}

void php_tide_task_rshutdown(void)
{
    if (T.pending) {
        zend_hash_destroy(T.pending);
        FREE_HASHTABLE(T.pending);
    }
    if (T.room)
        efree(T.room);
    memset(&T, 0, sizeof(T));
}

/* ---- data ---- */

/* Whether v holds a resource (which serialize() would turn into 0 without a word). */
static bool has_resource(zval *v, int depth)
{
    ZVAL_DEREF(v);
    if (Z_TYPE_P(v) == IS_RESOURCE)
        return true;
    if (depth > 64)
        return false;
    HashTable *ht = NULL;
    if (Z_TYPE_P(v) == IS_ARRAY)
        ht = Z_ARRVAL_P(v);
    else if (Z_TYPE_P(v) == IS_OBJECT && Z_OBJCE_P(v)->type == ZEND_USER_CLASS &&
             !Z_OBJCE_P(v)->__serialize && !Z_OBJCE_P(v)->serialize)
        ht = Z_OBJPROP_P(v);
    if (!ht || GC_IS_RECURSIVE(ht))
        return false;
    bool found = false;
    GC_TRY_PROTECT_RECURSION(ht);
    zval *e;
    ZEND_HASH_FOREACH_VAL(ht, e) {
        if (has_resource(e, depth + 1)) {
            found = true;
            break;
        }
    } ZEND_HASH_FOREACH_END();
    GC_TRY_UNPROTECT_RECURSION(ht);
    return found;
}

/* The bytes that carry v: the string itself, or its serialization in *buf. false (with an
 * exception naming `what`) when it cannot travel. */
static bool encode(zval *v, smart_str *buf, const char **data, size_t *len, uint32_t *flags,
                   const char *what, size_t max)
{
    ZVAL_DEREF(v);
    if (Z_TYPE_P(v) == IS_STRING) {
        *data = Z_STRVAL_P(v);
        *len = Z_STRLEN_P(v);
        *flags = 0;
    } else {
        if (has_resource(v, 0)) {
            zend_type_error("%s must not hold a resource (it cannot be sent to another process)",
                            what);
            return false;
        }
        php_serialize_data_t vh;
        PHP_VAR_SERIALIZE_INIT(vh);
        php_var_serialize(buf, v, &vh);
        PHP_VAR_SERIALIZE_DESTROY(vh);
        if (EG(exception)) /* a closure, or an object that refuses */
            return false;
        smart_str_0(buf);
        *data = buf->s ? ZSTR_VAL(buf->s) : "";
        *len = buf->s ? ZSTR_LEN(buf->s) : 0;
        *flags = TIDE_TASK_SERIALIZED;
    }
    if (max && *len > max) {
        zend_value_error("%s is %zu bytes, over package_max_length (%zu)", what, *len, max);
        return false;
    }
    return true;
}

static void decode(uint32_t flags, const char *data, size_t len, zval *out, const char *what)
{
    if (!(flags & TIDE_TASK_SERIALIZED)) {
        ZVAL_STRINGL_FAST(out, data, len);
        return;
    }
    const unsigned char *p = (const unsigned char *)data;
    php_unserialize_data_t vh;
    ZVAL_UNDEF(out);
    PHP_VAR_UNSERIALIZE_INIT(vh);
    bool ok = php_var_unserialize(out, &p, p + len, &vh);
    PHP_VAR_UNSERIALIZE_DESTROY(vh);
    if (php_tide_log_pending()) /* __wakeup() or __unserialize() threw */
        ok = false;
    if (!ok) {
        zval_ptr_dtor(out);
        ZVAL_NULL(out);
        tide_log(TIDE_LOG_WARNING, "%s could not be unserialized", what);
    }
}

/* ---- the worker that sends ---- */

/* The running server if this process may send tasks (and dst names a task worker);
 * else NULL with the exception. */
static php_tide_server_t *sender(zval *this_zv, const char *method, zend_long dst, uint32_t argn)
{
    php_tide_server_t *srv = php_tide_server_running(php_tide_server_from(Z_OBJ_P(this_zv)),
                                                     method);
    if (!srv)
        return NULL;
    tide_server_t *s = &srv->core;
    if (!s->cfg.task_worker_num) {
        php_tide_refuse(0, "Tide\\Server::%s(): the server has no task workers "
                           "(set task_worker_num)", method);
        return NULL;
    }
    if (s->role != TIDE_ROLE_WORKER || TIDE_SERVER_IS_TASK(s, s->worker_id)) {
        php_tide_refuse(0, "Tide\\Server::%s() can only be called from a worker, not from %s",
                       method, s->role == TIDE_ROLE_WORKER ? "a task worker"
                                                           : tide_role_name(s->role, "php"));
        return NULL;
    }
    if (argn && (dst < -1 || dst >= s->cfg.task_worker_num)) {
        zend_argument_value_error(argn, "must be -1 (any) or a task worker index between 0 "
                                        "and %d", s->cfg.task_worker_num - 1);
        return NULL;
    }
    return srv;
}

static void wake_room(void)
{
    if (!T.nroom)
        return;
    tide_coro_t *co = T.room[0];
    memmove(T.room, T.room + 1, --T.nroom * sizeof(*T.room));
    tide_coro_wake(php_tide_sched(), co);
}

/* Waits for room for a task of len bytes: true when there is, false (with a warning or an
 * exception) when there is none and cannot be. */
static bool no_room(size_t len)
{
    return T.out >= TASK_WINDOW || (T.out && T.out_bytes + len > TASK_WINDOW_BYTES);
}

static bool wait_room(size_t len)
{
    /* In line: a coroutine that finds others waiting waits behind them, and one woken
     * without room (a larger task) keeps its place at the front. */
    bool first = true;
    while (no_room(len) || (first && T.nroom && php_tide_coro_can_suspend())) {
        if (!php_tide_coro_can_suspend()) {
            php_error_docref(NULL, E_WARNING, "%u tasks (%zu bytes) of this worker are not done "
                             "yet, the most it may have out: the task workers do not keep up "
                             "(inside a coroutine the call would wait)", T.out, T.out_bytes);
            return false;
        }
        if (T.nroom == T.caproom) {
            T.caproom = T.caproom ? 2 * T.caproom : 16;
            T.room = erealloc(T.room, T.caproom * sizeof(*T.room));
        }
        tide_sched_t *sc = php_tide_sched();
        tide_coro_t *me = tide_coro_current(sc);
        if (first) {
            T.room[T.nroom++] = me;
        } else {
            memmove(T.room + 1, T.room, T.nroom++ * sizeof(*T.room));
            T.room[0] = me;
        }
        first = false;
        php_tide_coro_waits_on("room for a task");
        int rc = tide_coro_wait(sc, -1, false);
        for (size_t i = 0; i < T.nroom; i++) /* still listed if woken by something else */
            if (T.room[i] == me) {
                memmove(T.room + i, T.room + i + 1, (--T.nroom - i) * sizeof(*T.room));
                break;
            }
        if (rc == TIDE_EKILLED) {
            php_tide_coro_killed();
            return false;
        }
    }
    /* One task's end may make room for several: the next in line looks too. */
    if (T.nroom && !no_room(0))
        wake_room();
    return true;
}

/* Sends one task: its id, or 0 (with a warning or an exception). */
static uint64_t send_task(php_tide_server_t *srv, zval *data, zend_long dst, zval *on_finish,
                          waiter_t *w, zval *key, uint64_t sync_deadline)
{
    smart_str buf = {0};
    const char *bytes;
    size_t len;
    uint32_t flags;
    if (!encode(data, &buf, &bytes, &len, &flags, "The task's data", srv->o.task_max_length)) {
        smart_str_free(&buf);
        return 0;
    }
    if (!wait_room(len)) {
        smart_str_free(&buf);
        return 0;
    }
    uint64_t id = ++T.next_id;
    tide_msg_task_t head = {flags, 0, 0};
    uint32_t to = dst < 0 ? TIDE_TASK_ANY : (uint32_t)dst;
    /* A caller that blocks sends over the blocking channel (the link's writes wait for the
     * loop, which does not turn while it blocks). */
    int rc = sync_deadline ? tide_server_task_sync(&srv->core, id, to, &head, bytes, len,
                                                   sync_deadline)
                           : tide_server_task(&srv->core, id, to, &head, bytes, len);
    smart_str_free(&buf);
    if (rc < 0) {
        php_error_docref(NULL, E_WARNING, "The task could not be sent: %s", tide_strerror(rc));
        return 0;
    }
    if (!T.pending) {
        ALLOC_HASHTABLE(T.pending);
        zend_hash_init(T.pending, 16, NULL, pending_free, 0);
    }
    pending_t *p = ecalloc(1, sizeof(*p));
    p->bytes = len;
    ZVAL_UNDEF(&p->on_finish);
    ZVAL_UNDEF(&p->key);
    if (on_finish)
        ZVAL_COPY(&p->on_finish, on_finish);
    p->w = w;
    if (key)
        ZVAL_COPY(&p->key, key);
    zend_hash_index_add_new_ptr(T.pending, (zend_ulong)id, p);
    T.out++;
    T.out_bytes += len;
    return id;
}

/* Calls a task's own callback, or the finish event, with (server, id, result). */
static void deliver(php_tide_server_t *srv, pending_t *p, uint64_t id, zval *result)
{
    php_tide_cb_t own, *cb = NULL;
    if (!Z_ISUNDEF(p->on_finish)) {
        memset(&own, 0, sizeof(own));
        ZVAL_COPY_VALUE(&own.fn, &p->on_finish);
        if (!zend_is_callable_ex(&own.fn, NULL, 0, NULL, &own.fcc, NULL)) {
            tide_log(TIDE_LOG_WARNING, "task %llu: the callback given to task() cannot be "
                     "called any more; its result is dropped", (unsigned long long)id);
            return;
        }
        cb = &own;
    } else {
        cb = php_tide_port_cb(srv, -1, EV_FINISH);
    }
    if (!cb) {
        if (!T.warned_no_finish)
            tide_log(TIDE_LOG_WARNING, "task %llu has a result, but there is no 'finish' "
                     "callback (nor one given to task()): it is dropped",
                     (unsigned long long)id);
        T.warned_no_finish = true;
        return;
    }
    zval args[3];
    ZVAL_COPY(&args[0], &php_tide_running_zv);
    ZVAL_LONG(&args[1], (zend_long)id);
    ZVAL_COPY_VALUE(&args[2], result);
    php_tide_event_call(srv, cb, args, 3);
    zval_ptr_dtor(&args[0]);
}

void php_tide_task_finish(tide_server_t *s, int task_worker, uint64_t id,
                          const tide_msg_task_t *head, const char *data, size_t len)
{
    TIDE_UNUSED(task_worker);
    php_tide_server_t *srv = s->udata;
    zval *pz = T.pending ? zend_hash_index_find(T.pending, (zend_ulong)id) : NULL;
    if (!pz)
        return; /* a waiter gave up on it: dropped */
    pending_t *p = Z_PTR_P(pz);
    if ((head->flags & TIDE_TASK_RESULT) && !p->answered) {
        zval result;
        decode(head->flags, data, len, &result, "a task's result");
        p->answered = true;
        if (p->w) {
            zend_hash_update(Z_ARRVAL(p->w->results), Z_STR(p->key), &result);
            if (!--p->w->left && p->w->waiting)
                tide_coro_wake(php_tide_sched(), p->w->co);
        } else {
            deliver(srv, p, id, &result);
            zval_ptr_dtor(&result);
        }
    }
    if (!(head->flags & TIDE_TASK_END))
        return;
    waiter_t *w = p->w;
    if (w && !p->answered)
        w->left--; /* no result: its key stays out of the results */
    T.out--;
    T.out_bytes -= p->bytes;
    zend_hash_index_del(T.pending, (zend_ulong)id);
    wake_room();
    if (w && !w->left && w->waiting)
        tide_coro_wake(php_tide_sched(), w->co);
}

ZEND_METHOD(Tide_Server, task)
{
    zval *data;
    zend_long dst = -1;
    zend_fcall_info fci = empty_fcall_info;
    zend_fcall_info_cache fcc = empty_fcall_info_cache;
    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_ZVAL(data)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(dst)
        Z_PARAM_FUNC_OR_NULL(fci, fcc)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = sender(ZEND_THIS, "task", dst, 2);
    if (!srv)
        PHP_TIDE_RETURN_REFUSED();
    uint64_t id = send_task(srv, data, dst, ZEND_FCI_INITIALIZED(fci) ? &fci.function_name : NULL,
                            NULL, NULL, 0);
    if (!id) {
        if (EG(exception))
            RETURN_THROWS();
        RETURN_FALSE;
    }
    RETURN_LONG((zend_long)id);
}

/* Sends every task of `tasks` (dst: any) and waits, in this coroutine, up to timeout for
 * their results: an array keyed like tasks (a task that did not answer in time, or ended
 * without a result, has no key). NULL with an exception when it cannot wait. */
static bool all_answered(void *arg)
{
    return !((waiter_t *)arg)->left;
}

static bool wait_all(php_tide_server_t *srv, HashTable *tasks, zend_long dst, double timeout,
                     const char *method, zval *out)
{
    if (!(timeout > 0) || timeout > 9.2e9) {
        zend_argument_value_error(2, "must be a timeout in seconds above 0");
        return false;
    }
    /* Outside a coroutine the worker blocks: nothing else runs until the answers came. */
    bool block = !php_tide_coro_can_suspend();
    waiter_t *w = ecalloc(1, sizeof(*w));
    w->co = block ? NULL : tide_coro_current(php_tide_sched());
    array_init(&w->results);
    uint64_t deadline = tide_time_ns() + (uint64_t)(timeout * 1e9);
    uint64_t *ids = safe_emalloc(zend_hash_num_elements(tasks) + 1, sizeof(uint64_t), 0);
    uint32_t n = 0;
    zend_ulong idx;
    zend_string *skey;
    zval *v;
    ZEND_HASH_FOREACH_KEY_VAL(tasks, idx, skey, v) {
        zval key;
        if (skey)
            ZVAL_STR_COPY(&key, skey);
        else
            ZVAL_STR(&key, zend_long_to_str((zend_long)idx));
        uint64_t id = send_task(srv, v, dst, NULL, w, &key, block ? deadline : 0);
        zval_ptr_dtor(&key);
        if (!id)
            break;
        ids[n++] = id;
        w->left++;
    } ZEND_HASH_FOREACH_END();
    bool ok = !EG(exception);
    if (block && ok && w->left)
        tide_server_sync_wait(&srv->core, deadline, all_answered, w);
    while (!block && ok && w->left) {
        uint64_t now = tide_time_ns();
        if (now >= deadline)
            break;
        php_tide_coro_waits_on(method);
        w->waiting = true;
        int rc = tide_coro_wait(php_tide_sched(), (int64_t)(deadline - now), true);
        w->waiting = false;
        if (rc == TIDE_EKILLED) {
            php_tide_coro_killed();
            ok = false;
        } else if (rc == -ECANCELED) {
            break;
        }
    }
    /* What did not answer: forgotten (its late answer is dropped), its room kept until the
     * task worker says it ended. */
    for (uint32_t i = 0; i < n; i++) {
        zval *pz = zend_hash_index_find(T.pending, (zend_ulong)ids[i]);
        if (pz) {
            pending_t *p = Z_PTR_P(pz);
            p->w = NULL;
            p->answered = true; /* nothing of it reaches the finish event */
        }
    }
    efree(ids);
    /* Results keyed as strings by zend_hash_update: integer-like keys back to integers. */
    if (ok) {
        array_init_size(out, zend_hash_num_elements(Z_ARRVAL(w->results)));
        ZEND_HASH_FOREACH_KEY_VAL(tasks, idx, skey, v) {
            zval *r;
            if (skey) {
                r = zend_hash_find(Z_ARRVAL(w->results), skey);
                if (r) {
                    Z_TRY_ADDREF_P(r);
                    zend_hash_add_new(Z_ARRVAL_P(out), skey, r);
                }
            } else {
                zend_string *k = zend_long_to_str((zend_long)idx);
                r = zend_hash_find(Z_ARRVAL(w->results), k);
                zend_string_release(k);
                if (r) {
                    Z_TRY_ADDREF_P(r);
                    zend_hash_index_add_new(Z_ARRVAL_P(out), idx, r);
                }
            }
        } ZEND_HASH_FOREACH_END();
    }
    zval_ptr_dtor(&w->results);
    efree(w);
    return ok;
}

ZEND_METHOD(Tide_Server, taskwait)
{
    zval *data;
    double timeout = 0.5;
    zend_long dst = -1;
    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_ZVAL(data)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
        Z_PARAM_LONG(dst)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = sender(ZEND_THIS, "taskwait", dst, 3);
    if (!srv)
        PHP_TIDE_RETURN_REFUSED();
    HashTable one;
    zend_hash_init(&one, 1, NULL, NULL, 0);
    zend_hash_index_add_new(&one, 0, data);
    zval out;
    bool ok = wait_all(srv, &one, dst, timeout, "taskwait", &out);
    zend_hash_destroy(&one);
    if (!ok)
        RETURN_THROWS();
    zval *r = zend_hash_index_find(Z_ARRVAL(out), 0);
    if (r)
        RETVAL_COPY(r);
    else
        RETVAL_FALSE;
    zval_ptr_dtor(&out);
}

static void wait_many(INTERNAL_FUNCTION_PARAMETERS, const char *method)
{
    HashTable *tasks;
    double timeout = 0.5;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ARRAY_HT(tasks)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = sender(ZEND_THIS, method, -1, 0);
    if (!srv)
        PHP_TIDE_RETURN_REFUSED();
    if (!wait_all(srv, tasks, -1, timeout, method, return_value))
        RETURN_THROWS();
}

ZEND_METHOD(Tide_Server, taskWaitMulti)
{
    wait_many(INTERNAL_FUNCTION_PARAM_PASSTHRU, "taskWaitMulti");
}

ZEND_METHOD(Tide_Server, taskCo)
{
    wait_many(INTERNAL_FUNCTION_PARAM_PASSTHRU, "taskCo");
}

/* ---- the task worker ---- */

/* Sends the answer to a task: a result (RESULT) and/or its end (END). */
static bool answer(tide_server_t *s, const task_ref_t *t, uint32_t flags, zval *result,
                   size_t max)
{
    smart_str buf = {0};
    const char *bytes = NULL;
    size_t len = 0;
    uint32_t enc = 0;
    if (result && !encode(result, &buf, &bytes, &len, &enc, "The task's result", max)) {
        smart_str_free(&buf);
        return false;
    }
    tide_msg_task_t head = t->head;
    head.flags = (t->head.flags & TIDE_TASK_SYNC) | flags | enc | (result ? TIDE_TASK_RESULT : 0);
    tide_server_task_end(s, t->src, t->id, &head, bytes, len);
    smart_str_free(&buf);
    return true;
}

/* A task's callback returned rv (UNDEF if it threw): its result unless it had one, and its
 * end. */
static void task_ended(tide_server_t *s, task_ref_t *t, zval *rv)
{
    php_tide_server_t *srv = s->udata;
    bool result = !t->finished && !Z_ISUNDEF_P(rv) && Z_TYPE_P(rv) != IS_NULL;
    /* Counted first: the sender may read stats() as soon as the answer reaches it, and a
     * long answer may be written before answer() returns. */
    __atomic_sub_fetch(&s->tab.pids->worker[s->worker_id].running, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&s->tab.pids->worker[s->worker_id].task_count, 1, __ATOMIC_RELAXED);
    if (!result || !answer(s, t, TIDE_TASK_END, rv, srv->o.task_max_length)) {
        php_tide_log_pending(); /* a result that could not be encoded */
        answer(s, t, TIDE_TASK_END, NULL, 0);
    }
    t->finished = true;
}

typedef struct co_task {
    tide_server_t *s;
    zend_object *obj; /* its Tide\Task */
    zval rv;
} co_task_t;

/* Runs once the task's coroutine is gone (not on its stack: what PHP code runs from here,
 * a result's __serialize() or a destructor, may not suspend; what it throws is logged). */
static void co_task_done(void *arg)
{
    co_task_t *ct = arg;
    php_tide_task_t *t = (php_tide_task_t *)((char *)ct->obj - XtOffsetOf(php_tide_task_t, std));
    task_ended(ct->s, &t->ref, &ct->rv);
    zval_ptr_dtor(&ct->rv);
    OBJ_RELEASE(ct->obj);
    efree(ct);
    php_tide_log_pending();
}

/* task_enable_coroutine: the task in a coroutine of its own, as a Tide\Task. */
static void run_in_coroutine(tide_server_t *s, php_tide_cb_t *cb, int src, uint64_t id,
                             const tide_msg_task_t *head, const char *data, size_t len)
{
    zval task;
    object_init_ex(&task, task_ce);
    php_tide_task_t *t = (php_tide_task_t *)((char *)Z_OBJ(task) - XtOffsetOf(php_tide_task_t, std));
    t->ref = (task_ref_t){src, id, *head, false};
    t->live = true;
    zend_object *obj = Z_OBJ(task);
    ZVAL_LONG(OBJ_PROP_NUM(obj, P_ID), (zend_long)id);
    ZVAL_LONG(OBJ_PROP_NUM(obj, P_WORKER_ID), src);
    ZVAL_LONG(OBJ_PROP_NUM(obj, P_FLAGS), (zend_long)head->flags);
    decode(head->flags, data, len, OBJ_PROP_NUM(obj, P_DATA), "a task's data");
    ZVAL_DOUBLE(OBJ_PROP_NUM(obj, P_DISPATCH_TIME), (double)head->dispatch_us / 1e6);
    co_task_t *ct = emalloc(sizeof(*ct));
    ct->s = s;
    ct->obj = obj;
    GC_ADDREF(obj);
    zval args[2];
    ZVAL_COPY(&args[0], &php_tide_running_zv);
    ZVAL_COPY_VALUE(&args[1], &task);
    zend_fcall_info_cache fcc = cb->fcc;
    php_tide_coro_spawn_result(&cb->fn, &fcc, args, 2, &ct->rv, co_task_done, ct);
    if (EG(exception) && !zend_is_unwind_exit(EG(exception)))
        zend_clear_exception();
    zval_ptr_dtor(&args[0]);
    zval_ptr_dtor(&args[1]);
}

void php_tide_task_run(tide_server_t *s, int src, uint64_t id, const tide_msg_task_t *head,
                       const char *data, size_t len)
{
    php_tide_server_t *srv = s->udata;
    php_tide_cb_t *cb = php_tide_port_cb(srv, -1, EV_TASK);
    __atomic_add_fetch(&s->tab.pids->worker[s->worker_id].running, 1, __ATOMIC_RELAXED);
    if (cb && srv->o.task_coroutine) {
        run_in_coroutine(s, cb, src, id, head, data, len);
        return;
    }
    T.in_task = true;
    T.cur = (task_ref_t){src, id, *head, false};
    zval rv;
    ZVAL_UNDEF(&rv);
    if (cb) {
        zval args[4];
        ZVAL_COPY(&args[0], &php_tide_running_zv);
        ZVAL_LONG(&args[1], (zend_long)id);
        ZVAL_LONG(&args[2], src);
        decode(head->flags, data, len, &args[3], "a task's data");
        php_tide_call_direct_rv(cb, args, 4, &rv);
        zval_ptr_dtor(&args[0]);
        zval_ptr_dtor(&args[3]);
    }
    /* The return value, when not null, is the result (unless finish() gave one). */
    task_ended(s, &T.cur, &rv);
    zval_ptr_dtor(&rv);
    T.in_task = false;
}

ZEND_METHOD(Tide_Server, finish)
{
    zval *data;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(data)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = php_tide_server_running(php_tide_server_from(Z_OBJ_P(ZEND_THIS)),
                                                     "finish");
    if (!srv)
        RETURN_THROWS();
    tide_server_t *s = &srv->core;
    if (s->role != TIDE_ROLE_WORKER || !TIDE_SERVER_IS_TASK(s, s->worker_id)) {
        php_tide_refuse(0, "Tide\\Server::finish() can only be called from a task worker, not "
                           "from %s",
                        s->role == TIDE_ROLE_WORKER ? "a worker" : tide_role_name(s->role, "php"));
        PHP_TIDE_RETURN_REFUSED();
    }
    if (!T.in_task || T.cur.finished) {
        php_error_docref(NULL, E_WARNING, "%s",
                         T.in_task ? "The task has its result already"
                         : srv->o.task_coroutine
                             ? "With task_enable_coroutine, answer with Tide\\Task::finish()"
                             : "No task is running: finish() answers the task whose callback "
                               "calls it");
        RETURN_FALSE;
    }
    if (!answer(s, &T.cur, 0, data, srv->o.task_max_length))
        RETURN_THROWS();
    T.cur.finished = true;
    RETURN_TRUE;
}

/* ---- Tide\Task ---- */

static zend_object *task_create(zend_class_entry *ce)
{
    php_tide_task_t *t = zend_object_alloc(sizeof(php_tide_task_t), ce);
    zend_object_std_init(&t->std, ce);
    object_properties_init(&t->std, ce);
    t->std.handlers = &task_handlers;
    return &t->std;
}

ZEND_METHOD(Tide_Task, finish)
{
    zval *data;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(data)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_task_t *t =
        (php_tide_task_t *)((char *)Z_OBJ_P(ZEND_THIS) - XtOffsetOf(php_tide_task_t, std));
    php_tide_server_t *srv = php_tide_running;
    if (!t->live || !srv || srv->core.role != TIDE_ROLE_WORKER) {
        php_tide_throw(0, "Tide\\Task::finish(): this task was not handed to this process");
        RETURN_THROWS();
    }
    if (t->ref.finished) {
        php_error_docref(NULL, E_WARNING, "The task has its result already");
        RETURN_FALSE;
    }
    if (!answer(&srv->core, &t->ref, 0, data, srv->o.task_max_length))
        RETURN_THROWS();
    t->ref.finished = true;
    RETURN_TRUE;
}

void php_tide_task_minit(zend_class_entry *ce)
{
    task_ce = ce;
    ce->create_object = task_create;
    memcpy(&task_handlers, zend_get_std_object_handlers(), sizeof(task_handlers));
    task_handlers.offset = XtOffsetOf(php_tide_task_t, std);
    task_handlers.clone_obj = NULL;
}

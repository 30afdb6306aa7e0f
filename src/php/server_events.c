/* SPDX-License-Identifier: MIT */
/*
 * Events: the names on() takes, and the core's hooks (tide/server.h), each of which calls
 * the PHP callback for its event. Worker events run each in a coroutine of their own with
 * enable_coroutine (the default); a request (receive, packet) is done for the core when its
 * coroutine ends, which is what bounds the requests in flight.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <unistd.h>

#include "php.h"
#include "ext/standard/php_var.h"
#include "php_tide_server.h"
#include "zend_exceptions.h"
#include "zend_smart_str.h"

static const struct event {
    const char *name;
    bool port;      /* Port::on() takes it too */
    const char *later; /* a feature not built yet */
} events[EV_COUNT] = {
    [EV_START] = {"start", false, NULL},
    [EV_SHUTDOWN] = {"shutdown", false, NULL},
    [EV_MANAGER_START] = {"managerStart", false, NULL},
    [EV_MANAGER_STOP] = {"managerStop", false, NULL},
    [EV_WORKER_START] = {"workerStart", false, NULL},
    [EV_WORKER_STOP] = {"workerStop", false, NULL},
    [EV_WORKER_EXIT] = {"workerExit", false, NULL},
    [EV_WORKER_ERROR] = {"workerError", false, NULL},
    [EV_CONNECT] = {"connect", true, NULL},
    [EV_RECEIVE] = {"receive", true, NULL},
    [EV_PACKET] = {"packet", true, NULL},
    [EV_CLOSE] = {"close", true, NULL},
    [EV_TASK] = {"task", false, NULL},
    [EV_FINISH] = {"finish", false, NULL},
    [EV_PIPE_MESSAGE] = {"pipeMessage", false, NULL},
    [EV_BEFORE_RELOAD] = {"beforeReload", false, NULL},
    [EV_AFTER_RELOAD] = {"afterReload", false, NULL},
    [EV_REQUEST] = {"request", true, NULL},
    [EV_HANDSHAKE] = {"handshake", true, NULL},
    [EV_OPEN] = {"open", true, NULL},
    [EV_MESSAGE] = {"message", true, NULL},
};

const char *php_tide_event_name(int ev)
{
    return events[ev].name;
}

int php_tide_event_index(zend_string *name, bool for_port)
{
    for (int i = 0; i < EV_COUNT; i++) {
        if (zend_binary_strcasecmp(ZSTR_VAL(name), ZSTR_LEN(name), events[i].name,
                                   strlen(events[i].name)) != 0)
            continue;
        if (for_port && !events[i].port)
            break;
        if (events[i].later) {
            php_tide_throw(0, "Event '%s': %s are not available in this version of Tide",
                           ZSTR_VAL(name), events[i].later);
            return -2;
        }
        return i;
    }
    smart_str list = {0};
    for (int i = 0; i < EV_COUNT; i++) {
        if ((for_port && !events[i].port) || events[i].later)
            continue;
        smart_str_appends(&list, list.s ? ", " : "");
        smart_str_appends(&list, events[i].name);
    }
    smart_str_0(&list);
    zend_argument_value_error(1, "'%s' is not an event of %s (%s)", ZSTR_VAL(name),
                              for_port ? "Tide\\Server\\Port" : "Tide\\Server", ZSTR_VAL(list.s));
    smart_str_free(&list);
    return -1;
}

void php_tide_cb_set(php_tide_cb_t *cb, zval *fn, zend_fcall_info_cache *fcc)
{
    if (Z_TYPE(cb->fn) != IS_UNDEF)
        zval_ptr_dtor(&cb->fn);
    ZVAL_COPY(&cb->fn, fn);
    cb->fcc = *fcc;
}

void php_tide_cb_free(php_tide_cb_t *cb)
{
    if (Z_TYPE(cb->fn) != IS_UNDEF)
        zval_ptr_dtor(&cb->fn);
    ZVAL_UNDEF(&cb->fn);
}

HashTable *php_tide_gc_callbacks(zend_object *obj, php_tide_cb_t *cbs, zval **table, int *n)
{
    zend_get_gc_buffer *buf = zend_get_gc_buffer_create();
    for (int i = 0; i < EV_COUNT; i++)
        if (php_tide_cb_isset(&cbs[i]))
            zend_get_gc_buffer_add_zval(buf, &cbs[i].fn);
    zend_get_gc_buffer_use(buf, table, n);
    return zend_std_get_properties(obj);
}

php_tide_cb_t *php_tide_port_cb(php_tide_server_t *srv, int port, int ev)
{
    tide_server_t *s = &srv->core;
    if (port >= 0 && port < s->nports) {
        php_tide_port_t *p = s->ports[port]->udata;
        if (php_tide_cb_isset(&p->cb[ev]))
            return &p->cb[ev];
    }
    return php_tide_cb_isset(&srv->cb[ev]) ? &srv->cb[ev] : NULL;
}

/* ---- calling PHP ---- */

void php_tide_log_uncaught(zend_object *ex)
{
    zval zex;
    ZVAL_OBJ(&zex, ex);
    zend_object *saved = EG(exception);
    EG(exception) = NULL;
    zend_string *s = zval_try_get_string(&zex);
    if (EG(exception))
        zend_clear_exception();
    EG(exception) = saved;
    tide_log(TIDE_LOG_ERROR, "Uncaught %s", s ? ZSTR_VAL(s) : ZSTR_VAL(ex->ce->name));
    if (s)
        zend_string_release(s);
}

/* Calls a callback in the current context (master/manager events, or without
 * enable_coroutine). An exception is logged; exit() propagates. */
void php_tide_call_direct(php_tide_cb_t *cb, zval *args, uint32_t argc)
{
    zval rv;
    php_tide_call_direct_rv(cb, args, argc, &rv);
    zval_ptr_dtor(&rv);
}

void php_tide_call_direct_rv(php_tide_cb_t *cb, zval *args, uint32_t argc, zval *rv)
{
    zend_fcall_info fci = {
        .size = sizeof(fci), .retval = rv, .params = args, .param_count = argc,
    };
    ZVAL_COPY_VALUE(&fci.function_name, &cb->fn);
    ZVAL_UNDEF(rv);
    zend_fcall_info_cache fcc = cb->fcc;
    zend_call_function(&fci, &fcc);
    php_tide_log_pending();
}

bool php_tide_log_pending(void)
{
    if (!EG(exception) || zend_is_unwind_exit(EG(exception)) ||
        zend_is_graceful_exit(EG(exception)))
        return false;
    zend_object *ex = EG(exception);
    GC_ADDREF(ex);
    zend_clear_exception();
    php_tide_log_uncaught(ex);
    OBJ_RELEASE(ex);
    return true;
}

/* A request the core handed this worker, to report done when its callback ends. Kept on a
 * free list: one is taken and given back per request. */
typedef struct request {
    tide_server_t *s;
    uint64_t session;
    size_t len;
    struct request *next;
} request_t;

static request_t *free_requests;
static size_t nfree_requests;

static void request_done(void *arg)
{
    request_t *rq = arg;
    tide_server_done(rq->s, rq->session, rq->len);
    if (nfree_requests < 256) {
        rq->next = free_requests;
        free_requests = rq;
        nfree_requests++;
    } else {
        efree(rq);
    }
}

void php_tide_requests_free(void)
{
    while (free_requests) {
        request_t *rq = free_requests;
        free_requests = rq->next;
        efree(rq);
    }
    nfree_requests = 0;
}

/* A worker event: in its own coroutine with enable_coroutine, else directly. A request
 * (rq not NULL) is done when the callback is. */
static void call_event_req(php_tide_server_t *srv, php_tide_cb_t *cb, zval *args, uint32_t argc,
                           request_t *rq)
{
    if (srv->o.enable_coroutine && srv->core.role == TIDE_ROLE_WORKER) {
        zend_fcall_info_cache fcc = cb->fcc;
        if (rq)
            php_tide_coro_spawn_done(&cb->fn, &fcc, args, argc, request_done, rq);
        else
            php_tide_coro_spawn(&cb->fn, &fcc, args, argc);
        if (EG(exception) && !zend_is_unwind_exit(EG(exception)))
            zend_clear_exception();
        return;
    }
    php_tide_call_direct(cb, args, argc);
    if (rq)
        request_done(rq);
}

static void call_event(php_tide_server_t *srv, php_tide_cb_t *cb, zval *args, uint32_t argc)
{
    call_event_req(srv, cb, args, argc, NULL);
}

void php_tide_event_call(php_tide_server_t *srv, php_tide_cb_t *cb, zval *args, uint32_t argc)
{
    call_event_req(srv, cb, args, argc, NULL);
}

static php_tide_server_t *of(tide_server_t *s)
{
    return s->udata;
}

static request_t *request(tide_server_t *s, uint64_t session, size_t len);

void php_tide_event_call_done(php_tide_server_t *srv, php_tide_cb_t *cb, zval *args, uint32_t argc,
                              uint64_t session, size_t len)
{
    call_event_req(srv, cb, args, argc, request(&srv->core, session, len));
}

static void call_simple(tide_server_t *s, int ev)
{
    php_tide_cb_t *cb = php_tide_port_cb(of(s), -1, ev);
    if (!cb)
        return;
    zval args[1];
    ZVAL_COPY(&args[0], &php_tide_running_zv);
    php_tide_call_direct(cb, args, 1);
    zval_ptr_dtor(&args[0]);
}

static void call_worker_event(tide_server_t *s, int ev)
{
    php_tide_cb_t *cb = php_tide_port_cb(of(s), -1, ev);
    if (!cb)
        return;
    zval args[2];
    ZVAL_COPY(&args[0], &php_tide_running_zv);
    ZVAL_LONG(&args[1], s->worker_id);
    call_event(of(s), cb, args, 2);
    zval_ptr_dtor(&args[0]);
}

static zend_long reactor_id(const tide_server_t *s)
{
    return s->cfg.mode == TIDE_MODE_BASE ? s->worker_id : 0;
}

static void args_fd(tide_server_t *s, zval *args, uint64_t session)
{
    ZVAL_COPY(&args[0], &php_tide_running_zv);
    ZVAL_LONG(&args[1], (zend_long)session);
    ZVAL_LONG(&args[2], reactor_id(s));
}

/* ---- the core's hooks ---- */

static void on_start(tide_server_t *s)
{
    call_simple(s, EV_START);
}

static void on_manager_start(tide_server_t *s)
{
    call_simple(s, EV_MANAGER_START);
}

static void on_manager_stop(tide_server_t *s)
{
    call_simple(s, EV_MANAGER_STOP);
}

static void on_reload(tide_server_t *s, bool after)
{
    call_simple(s, after ? EV_AFTER_RELOAD : EV_BEFORE_RELOAD);
}

static void on_worker_error(tide_server_t *s, int id, pid_t pid, int exit_code, int signo)
{
    php_tide_cb_t *cb = php_tide_port_cb(of(s), -1, EV_WORKER_ERROR);
    if (!cb)
        return;
    zval args[5];
    ZVAL_COPY(&args[0], &php_tide_running_zv);
    ZVAL_LONG(&args[1], id);
    ZVAL_LONG(&args[2], pid);
    ZVAL_LONG(&args[3], exit_code);
    ZVAL_LONG(&args[4], signo);
    php_tide_call_direct(cb, args, 5);
    zval_ptr_dtor(&args[0]);
}

static void on_worker_start(tide_server_t *s)
{
    call_worker_event(s, EV_WORKER_START);
}

static void on_worker_exit(tide_server_t *s)
{
    call_worker_event(s, EV_WORKER_EXIT);
    php_tide_timer_clear_all();
}

static void on_worker_stop(tide_server_t *s)
{
    call_worker_event(s, EV_WORKER_STOP);
}

static void on_connect(tide_server_t *s, int port, uint64_t session)
{
    php_tide_cb_t *cb = php_tide_port_cb(of(s), port, EV_CONNECT);
    if (!cb)
        return;
    zval args[3];
    args_fd(s, args, session);
    call_event(of(s), cb, args, 3);
    zval_ptr_dtor(&args[0]);
}

static request_t *request(tide_server_t *s, uint64_t session, size_t len)
{
    request_t *rq = free_requests;
    if (rq) {
        free_requests = rq->next;
        nfree_requests--;
    } else {
        rq = emalloc(sizeof(*rq));
    }
    rq->s = s;
    rq->session = session;
    rq->len = len;
    return rq;
}

static void on_receive(tide_server_t *s, int port, uint64_t session, const char *data,
                       size_t len)
{
    if (port >= 0 && port < s->nports) {
        php_tide_port_t *p = s->ports[port]->udata;
        if (p->http.ws && len >= sizeof(tide_ws_msg_t) && (uint8_t)data[0] == TIDE_WS_MSG_MAGIC) {
            php_tide_ws_message(of(s), p, session, data, len);
            return;
        }
        if (p->http.on) {
            php_tide_http_request(of(s), p, session, data, len, -1, 0);
            return;
        }
    }
    php_tide_cb_t *cb = php_tide_port_cb(of(s), port, EV_RECEIVE);
    if (!cb) {
        tide_server_done(s, session, len);
        return;
    }
    zval args[4];
    args_fd(s, args, session);
    ZVAL_STRINGL_FAST(&args[3], data, len);
    call_event_req(of(s), cb, args, 4, request(s, session, len));
    zval_ptr_dtor(&args[0]);
    zval_ptr_dtor(&args[3]);
}

static void on_receive_file(tide_server_t *s, int port, uint64_t session, const char *head,
                            size_t len, int fd, uint64_t body_len)
{
    if (port >= 0 && port < s->nports) {
        php_tide_port_t *p = s->ports[port]->udata;
        if (p->http.on) {
            php_tide_http_request(of(s), p, session, head, len, fd, body_len);
            return;
        }
    }
    close(fd); /* only HTTP ports spool */
    tide_server_done(s, session, len);
}

static void on_close(tide_server_t *s, int port, uint64_t session)
{
    php_tide_cb_t *cb = php_tide_port_cb(of(s), port, EV_CLOSE);
    if (!cb)
        return;
    zval args[3];
    args_fd(s, args, session);
    call_event(of(s), cb, args, 3);
    zval_ptr_dtor(&args[0]);
}

static void on_packet(tide_server_t *s, int port, const tide_msg_peer_t *from, const char *data,
                      size_t len)
{
    php_tide_cb_t *cb = php_tide_port_cb(of(s), port, EV_PACKET);
    if (!cb) {
        tide_server_done(s, 0, len);
        return;
    }
    php_tide_port_t *p = s->ports[port]->udata;
    zval args[3];
    ZVAL_COPY(&args[0], &php_tide_running_zv);
    ZVAL_STRINGL_FAST(&args[1], data, len);
    array_init(&args[2]);
    add_assoc_string(&args[2], "address", (char *)from->addr);
    add_assoc_long(&args[2], "port", from->port);
    add_assoc_long(&args[2], "server_socket", from->server_fd);
    add_assoc_long(&args[2], "server_port", p->p.port);
    call_event_req(of(s), cb, args, 3, request(s, 0, len));
    zval_ptr_dtor(&args[0]);
    zval_ptr_dtor(&args[1]);
    zval_ptr_dtor(&args[2]);
}

static void on_pipe_message(tide_server_t *s, int src, const char *data, size_t len)
{
    php_tide_cb_t *cb = php_tide_port_cb(of(s), -1, EV_PIPE_MESSAGE);
    if (!cb)
        return;
    zval args[3];
    ZVAL_COPY(&args[0], &php_tide_running_zv);
    ZVAL_LONG(&args[1], src);
    const unsigned char *p = (const unsigned char *)data;
    php_unserialize_data_t vh;
    PHP_VAR_UNSERIALIZE_INIT(vh);
    if (!php_var_unserialize(&args[2], &p, p + len, &vh)) {
        zval_ptr_dtor(&args[2]);
        ZVAL_NULL(&args[2]);
        tide_log(TIDE_LOG_WARNING, "pipe message from worker #%d could not be unserialized", src);
    }
    PHP_VAR_UNSERIALIZE_DESTROY(vh);
    call_event(of(s), cb, args, 3);
    zval_ptr_dtor(&args[0]);
    zval_ptr_dtor(&args[2]);
}

/* ---- the process's loop ---- */

static void on_uncaught(zend_object *ex)
{
    php_tide_log_uncaught(ex);
}

/* The backend the server's first process ended up with: its other processes take the same
 * one (without probing io_uring again, or logging the fallback once per process). */
static tide_reactor_t *make_reactor(tide_server_t *s)
{
    php_tide_server_t *srv = of(s);
    tide_reactor_t *r = php_tide_reactor();
    if (!r) {
        /* In the caller the exception goes to start()'s caller; elsewhere it is logged. */
        zend_object *ex = EG(exception);
        zval zex;
        ZVAL_OBJ(&zex, ex);
        zval *msg = ex ? zend_read_property(ex->ce, ex, "message", 7, true, &zex) : NULL;
        snprintf(s->error, sizeof(s->error), "%s",
                 msg && Z_TYPE_P(msg) == IS_STRING ? Z_STRVAL_P(msg) : "no event loop");
        if (s->started && ex)
            zend_clear_exception();
        return NULL;
    }
    TIDE_G(server_backend) = tide_reactor_backend(r);
    if (s->role == TIDE_ROLE_WORKER) {
        if (!php_tide_sched()) {
            snprintf(s->error, sizeof(s->error), "cannot make the coroutine scheduler");
            if (EG(exception))
                zend_clear_exception();
            return NULL;
        }
        php_tide_coro_set_uncaught_handler(on_uncaught);
    }
    TIDE_UNUSED(srv);
    return r;
}

/* Runs the loop (scheduler included) until nothing is left; a fatal error propagates.
 * False when a callback ended the worker (exit(), or an exception that escaped). */
static bool run_loop(tide_server_t *s)
{
    TIDE_UNUSED(s);
    TIDE_G(in_loop) = true;
    zend_try
    {
        php_tide_loop_run();
    }
    zend_catch
    {
        TIDE_G(in_loop) = false;
        zend_bailout();
    }
    zend_end_try();
    TIDE_G(in_loop) = false;
    return !(TIDE_G(coro_exit) || EG(exception));
}

void php_tide_event_shutdown(php_tide_server_t *srv)
{
    call_simple(&srv->core, EV_SHUTDOWN);
}

static void on_process_start(tide_server_t *s)
{
    php_tide_server_t *srv = of(s);
    zend_object *obj = &srv->std;
    php_tide_prop_long(obj, "master_pid", s->tab.pids->master);
    php_tide_prop_long(obj, "manager_pid", s->tab.pids->manager);
    if (s->role == TIDE_ROLE_WORKER) {
        php_tide_prop_long(obj, "worker_id", s->worker_id);
        php_tide_prop_long(obj, "worker_pid", getpid());
        php_tide_prop_bool(obj, "taskworker", TIDE_SERVER_IS_TASK(s, s->worker_id));
    }
    /* Paths the parent resolved (/proc/self ...) are not this process's. */
    realpath_cache_clean();
}

/* A process added with addProcess(), in the child the manager started for it. */
static void on_user_process(tide_server_t *s, int index)
{
    php_tide_server_t *srv = of(s);
    zval *p = Z_TYPE(srv->processes) == IS_ARRAY
                  ? zend_hash_index_find(Z_ARRVAL(srv->processes), (zend_ulong)index)
                  : NULL;
    if (!p) {
        tide_log(TIDE_LOG_ERROR, "process #%d: not found", index);
        return;
    }
    php_tide_process_run_child(Z_OBJ_P(p));
}

const tide_server_hooks_t php_tide_server_hooks = {
    .reactor = make_reactor,
    .run = run_loop,
    .process_start = on_process_start,
    .start = on_start,
    .manager_start = on_manager_start,
    .manager_stop = on_manager_stop,
    .worker_error = on_worker_error,
    .reload = on_reload,
    .user_process = on_user_process,
    .worker_start = on_worker_start,
    .worker_exit = on_worker_exit,
    .worker_stop = on_worker_stop,
    .connect = on_connect,
    .receive = on_receive,
    .receive_file = on_receive_file,
    .close = on_close,
    .packet = on_packet,
    .pipe_message = on_pipe_message,
    .task = php_tide_task_run,
    .finish = php_tide_task_finish,
};

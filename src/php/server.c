/* SPDX-License-Identifier: MIT */
/*
 * Tide\Server: the object, its constructor, set(), on() and start(). The process model is
 * the core's (src/server, tide/server.h); start() hands it the configuration and the hooks
 * (server_events.c) and runs it.
 *
 * A process the server forks (the manager, the workers) never returns into the script as
 * the caller: when the core says it is done, start() unwinds it as exit() does, and an
 * exception left pending there is logged, not thrown into the caller's code.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "php.h"
#include "php_tide_server.h"
#include "tide_server_arginfo.h"
#include "zend_exceptions.h"

zend_class_entry *php_tide_server_ce;
static zend_object_handlers server_handlers;

php_tide_server_t *php_tide_running;
zval php_tide_running_zv;

/* ---- readonly properties ---- */

void php_tide_prop_set(zend_object *obj, const char *name, zval *v)
{
    zend_property_info *pi =
        zend_hash_str_find_ptr(&obj->ce->properties_info, name, strlen(name));
    ZEND_ASSERT(pi);
    zval *slot = OBJ_PROP(obj, pi->offset);
    zval old;
    ZVAL_COPY_VALUE(&old, slot);
    ZVAL_COPY(slot, v);
    Z_PROP_FLAG_P(slot) = 0;
    zval_ptr_dtor(&old);
}

void php_tide_prop_long(zend_object *obj, const char *name, zend_long v)
{
    zval z;
    ZVAL_LONG(&z, v);
    php_tide_prop_set(obj, name, &z);
}

void php_tide_prop_bool(zend_object *obj, const char *name, bool v)
{
    zval z;
    ZVAL_BOOL(&z, v);
    php_tide_prop_set(obj, name, &z);
}

/* ---- logging ---- */

static void log_sink(int level, const char *line, void *udata)
{
    php_tide_server_t *srv = udata;
    const tide_server_t *s = &srv->core;
    static const char *const names[] = {"DEBUG", "TRACE", "INFO", "NOTICE", "WARNING", "ERROR"};
    char stamp[32], who[32];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
    if (s->role == TIDE_ROLE_WORKER)
        snprintf(who, sizeof(who), "%s #%d",
                 TIDE_SERVER_IS_TASK(s, s->worker_id) ? "task worker" : "worker", s->worker_id);
    else
        snprintf(who, sizeof(who), "%s", tide_role_name(s->role, "php"));
    /* One write per line, so lines of several processes do not interleave. */
    char buf[2048];
    int len = snprintf(buf, sizeof(buf), "[%s.%03ld %s pid %d] %s %s\n", stamp,
                       ts.tv_nsec / 1000000, who, (int)getpid(), names[level], line);
    if (len > (int)sizeof(buf) - 1)
        len = sizeof(buf) - 1;
    ssize_t w = write(srv->log_fd >= 0 ? srv->log_fd : 2, buf, (size_t)len);
    TIDE_UNUSED(w);
}

/* ---- the object ---- */

static zend_object *server_create(zend_class_entry *ce)
{
    php_tide_server_t *s = zend_object_alloc(sizeof(php_tide_server_t), ce);
    zend_object_std_init(&s->std, ce);
    object_properties_init(&s->std, ce);
    s->std.handlers = &server_handlers;
    s->http = php_tide_http_server_ce && instanceof_function(ce, php_tide_http_server_ce);
    s->websocket = php_tide_ws_server_ce && instanceof_function(ce, php_tide_ws_server_ce);
    for (int i = 0; i < EV_COUNT; i++)
        ZVAL_UNDEF(&s->cb[i].fn);
    array_init(&s->setting_all);
    ZVAL_UNDEF(&s->processes);
    tide_server_init(&s->core, &php_tide_server_hooks, s);
    s->o.enable_coroutine = true;
    s->o.hook_flags = -1;
    s->o.log_level = TIDE_LOG_INFO;
    s->log_fd = -1;
    return &s->std;
}

static void release_str(zend_string **s)
{
    if (*s)
        zend_string_release(*s);
    *s = NULL;
}

static void server_free(zend_object *obj)
{
    php_tide_server_t *s = php_tide_server_from(obj);
    for (int i = 0; i < EV_COUNT; i++)
        php_tide_cb_free(&s->cb[i]);
    for (int i = 0; i < s->core.nports; i++) {
        php_tide_port_t *p = s->core.ports[i]->udata;
        p->server = NULL;
    }
    s->core.nports = 0;
    tide_server_destroy(&s->core);
    zval_ptr_dtor(&s->setting_all);
    zval_ptr_dtor(&s->processes);
    release_str(&s->pid_file);
    release_str(&s->user);
    release_str(&s->group);
    release_str(&s->o.log_file);
    release_str(&s->o.ignored);
    if (s->log_fd >= 0)
        close(s->log_fd);
    zend_object_std_dtor(obj);
}

static HashTable *server_get_gc(zend_object *obj, zval **table, int *n)
{
    php_tide_server_t *s = php_tide_server_from(obj);
    zend_get_gc_buffer *buf = zend_get_gc_buffer_create();
    for (int i = 0; i < EV_COUNT; i++)
        if (php_tide_cb_isset(&s->cb[i]))
            zend_get_gc_buffer_add_zval(buf, &s->cb[i].fn);
    if (Z_TYPE(s->processes) == IS_ARRAY)
        zend_get_gc_buffer_add_zval(buf, &s->processes);
    zend_get_gc_buffer_use(buf, table, n);
    return zend_std_get_properties(obj);
}

ZEND_METHOD(Tide_Server, __construct)
{
    zend_string *host = NULL;
    zend_long port = 0, mode = TIDE_MODE_PROCESS, type = TIDE_SOCK_TCP;
    ZEND_PARSE_PARAMETERS_START(0, 4)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR(host)
        Z_PARAM_LONG(port)
        Z_PARAM_LONG(mode)
        Z_PARAM_LONG(type)
    ZEND_PARSE_PARAMETERS_END();

    php_tide_server_t *srv = php_tide_server_from(Z_OBJ_P(ZEND_THIS));
    if (srv->core.nports) {
        zend_throw_error(NULL, "Tide\\Server::__construct() cannot be called twice");
        RETURN_THROWS();
    }
    if (mode != TIDE_MODE_BASE && mode != TIDE_MODE_PROCESS) {
        zend_argument_value_error(3, "must be Tide\\MODE_BASE or Tide\\MODE_PROCESS");
        RETURN_THROWS();
    }
    srv->core.cfg.mode = (int)mode;
    zend_object *obj = &srv->std;
    php_tide_prop_long(obj, "master_pid", 0);
    php_tide_prop_long(obj, "manager_pid", 0);
    php_tide_prop_long(obj, "worker_id", -1);
    php_tide_prop_long(obj, "worker_pid", 0);
    php_tide_prop_bool(obj, "taskworker", false);
    php_tide_prop_long(obj, "mode", mode);
    zval empty;
    array_init(&empty);
    php_tide_prop_set(obj, "setting", &empty);
    php_tide_prop_set(obj, "ports", &empty);
    zval_ptr_dtor(&empty);
    if (!php_tide_port_open(srv, host ? ZSTR_VAL(host) : "0.0.0.0", port, type, true))
        RETURN_THROWS();
}

ZEND_METHOD(Tide_Server, set)
{
    HashTable *ht;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(ht)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = php_tide_server_from(Z_OBJ_P(ZEND_THIS));
    if (srv->state != 0) {
        php_tide_throw(0, "Tide\\Server::set() cannot be called after start()");
        RETURN_THROWS();
    }
    if (!php_tide_settings_check_keys(ht, false))
        RETURN_THROWS();
    zval merged;
    ZVAL_ARR(&merged, zend_array_dup(Z_ARRVAL(srv->setting_all)));
    zend_hash_merge(Z_ARRVAL(merged), ht, zval_add_ref, true);
    /* Checked whole before anything is kept: a refused set() leaves the settings as they
     * were, for the server and for every port. */
    tide_port_t tmp;
    php_tide_http_opts_t tmp_http;
    bool ok = php_tide_settings_server(srv, Z_ARRVAL(merged)) &&
              php_tide_settings_port(Z_ARRVAL(merged), &tmp, &tmp_http,
                                     php_tide_port_defaults(srv)) &&
              php_tide_settings_coro(ht);
    for (int i = 0; ok && i < srv->core.nports; i++) {
        php_tide_port_t *p = srv->core.ports[i]->udata;
        zval eff;
        php_tide_settings_merge(Z_ARRVAL(merged), p->has_own ? Z_ARRVAL(p->own_setting) : NULL,
                                &eff);
        ok = php_tide_settings_port(Z_ARRVAL(eff), &tmp, &tmp_http, php_tide_port_defaults(srv));
        zval_ptr_dtor(&eff);
    }
    if (!ok) {
        /* The parsed options go back to what the kept settings say. */
        php_tide_settings_server(srv, Z_ARRVAL(srv->setting_all));
        zval_ptr_dtor(&merged);
        RETURN_THROWS();
    }
    zval_ptr_dtor(&srv->setting_all);
    ZVAL_COPY_VALUE(&srv->setting_all, &merged);
    php_tide_prop_set(&srv->std, "setting", &srv->setting_all);
    for (int i = 0; i < srv->core.nports; i++) {
        php_tide_port_t *p = srv->core.ports[i]->udata;
        zval eff;
        php_tide_port_effective(p, &eff);
        php_tide_prop_set(&p->std, "setting", &eff);
        zval_ptr_dtor(&eff);
    }
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Server, on)
{
    zend_string *name;
    zend_fcall_info fci;
    zend_fcall_info_cache fcc;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(name)
        Z_PARAM_FUNC(fci, fcc)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = php_tide_server_from(Z_OBJ_P(ZEND_THIS));
    if (srv->state != 0) {
        php_tide_throw(0, "Tide\\Server::on() cannot be called after start()");
        RETURN_THROWS();
    }
    int ev = php_tide_event_index(name, false);
    if (ev < 0)
        RETURN_THROWS();
    php_tide_cb_set(&srv->cb[ev], &fci.function_name, &fcc);
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Server, addProcess)
{
    zval *process;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_OBJECT_OF_CLASS(process, php_tide_process_ce)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = php_tide_server_from(Z_OBJ_P(ZEND_THIS));
    if (srv->state != 0) {
        php_tide_refuse(0, "Tide\\Server::addProcess() cannot be called after start()");
        PHP_TIDE_RETURN_REFUSED();
    }
    if (!php_tide_process_check_addable(Z_OBJ_P(process), 1))
        RETURN_THROWS();
    if (Z_TYPE(srv->processes) != IS_ARRAY)
        array_init(&srv->processes);
    Z_TRY_ADDREF_P(process);
    add_next_index_zval(&srv->processes, process);
    RETURN_LONG(srv->core.cfg.process_num++);
}

ZEND_METHOD(Tide_Server, getCallback)
{
    zend_string *name;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(name)
    ZEND_PARSE_PARAMETERS_END();
    int ev = php_tide_event_index(name, false);
    if (ev < 0)
        RETURN_THROWS();
    php_tide_server_t *srv = php_tide_server_from(Z_OBJ_P(ZEND_THIS));
    if (Z_TYPE(srv->cb[ev].fn) == IS_UNDEF)
        RETURN_NULL();
    RETURN_COPY(&srv->cb[ev].fn);
}

/* ---- start ---- */

/* Each port's options, and the callbacks it needs; false with an exception. */
static bool prepare_ports(php_tide_server_t *srv)
{
    tide_server_t *s = &srv->core;
    for (int i = 0; i < s->nports; i++) {
        php_tide_port_t *port = s->ports[i]->udata;
        zval eff;
        php_tide_port_effective(port, &eff);
        bool ok = php_tide_settings_port(Z_ARRVAL(eff), &port->p, &port->http,
                                         tide_sock_is_dgram(port->p.type)
                                             ? 0
                                             : php_tide_port_defaults(srv));
        zval_ptr_dtor(&eff);
        if (!ok)
            return false;
        /* The socket listens since the constructor or listen() (with 512): give it the
         * backlog it was set (MODE_BASE TCP workers listen on sockets of their own). */
        bool base_tcp = s->cfg.mode == TIDE_MODE_BASE && tide_sock_is_tcp(port->p.type);
        if (!base_tcp && !tide_sock_is_dgram(port->p.type) &&
            listen(port->p.fd, port->p.backlog) < 0)
            tide_log(TIDE_LOG_WARNING, "port %d: listen: %s", port->p.port, strerror(errno));
        bool dgram = tide_sock_is_dgram(port->p.type);
        int need = dgram ? EV_PACKET : port->http.ws ? EV_MESSAGE
                                     : port->http.on ? EV_REQUEST : EV_RECEIVE;
        /* A WebSocket port may serve plain HTTP only, or handle messages: one of them. */
        bool has = php_tide_port_cb(srv, i, need) ||
                   (port->http.ws && php_tide_port_cb(srv, i, EV_REQUEST));
        if (!has) {
            php_tide_throw(0, "Tide\\Server::start(): port %s:%d %s a '%s' callback%s",
                           port->p.host, port->p.port,
                           dgram ? "is a datagram socket and needs" : "needs",
                           php_tide_event_name(need),
                           port->http.ws ? " (or a 'request' one)" : "");
            return false;
        }
    }
    if (s->cfg.task_worker_num && !php_tide_port_cb(srv, -1, EV_TASK)) {
        php_tide_throw(0, "Tide\\Server::start(): task_worker_num is %d: the server needs a "
                          "'task' callback", s->cfg.task_worker_num);
        return false;
    }
    return true;
}

/* Forked processes never return into the script: unwind it as exit() does. exit() in a
 * callback did already, with its own status; anything else pending is logged here, not
 * thrown into the caller's code in a process that is not the caller. */
static void leave_process(int status)
{
    if (!EG(exception))
        php_tide_coro_rethrow();
    zend_object *ex = EG(exception);
    if (ex && (zend_is_unwind_exit(ex) || zend_is_graceful_exit(ex)))
        return;
    if (ex) {
        GC_ADDREF(ex);
        zend_clear_exception();
        php_tide_log_uncaught(ex);
        OBJ_RELEASE(ex);
        status = 255;
    }
    EG(exit_status) = status;
    zend_throw_unwind_exit();
}

static void close_ports(php_tide_server_t *srv)
{
    for (int i = 0; i < srv->core.nports; i++) {
        php_tide_port_t *p = srv->core.ports[i]->udata;
        if (p->p.fd < 0)
            continue;
        close(p->p.fd);
        if (tide_sock_is_unix(p->p.type) && p->owner == getpid())
            unlink(p->p.host);
        p->p.fd = -1;
    }
}

static void stop_running(php_tide_server_t *srv)
{
    TIDE_UNUSED(srv);
    zval_ptr_dtor(&php_tide_running_zv);
    ZVAL_UNDEF(&php_tide_running_zv);
    php_tide_running = NULL;
    TIDE_G(server_backend) = TIDE_BACKEND_AUTO;
    TIDE_G(reactor_entries) = 0;
    php_tide_coro_set_uncaught_handler(NULL);
}

ZEND_METHOD(Tide_Server, start)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_server_t *srv = php_tide_server_from(Z_OBJ_P(ZEND_THIS));
    tide_server_t *s = &srv->core;
    if (srv->state != 0) {
        php_tide_refuse(0, "Tide\\Server::start(): the server was already started");
        PHP_TIDE_RETURN_REFUSED();
    }
    if (php_tide_running) {
        php_tide_refuse(0, "Tide\\Server::start(): another server runs in this process");
        PHP_TIDE_RETURN_REFUSED();
    }
    if (TIDE_G(in_loop) || (TIDE_G(sched) && !tide_coro_is_main(tide_coro_current(TIDE_G(sched))))) {
        php_tide_throw(0, "Tide\\Server::start() cannot be called from a coroutine or inside "
                          "the event loop");
        RETURN_THROWS();
    }
    if (!php_tide_settings_server(srv, Z_ARRVAL(srv->setting_all)) || !prepare_ports(srv))
        RETURN_THROWS();
    if (srv->o.log_file) {
        srv->log_fd = open(ZSTR_VAL(srv->o.log_file), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (srv->log_fd < 0) {
            php_tide_throw(-errno, "Setting 'log_file': %s: %s", ZSTR_VAL(srv->o.log_file),
                           strerror(errno));
            RETURN_THROWS();
        }
    }
    s->cfg.log_fd = srv->log_fd;
    if (srv->o.coroutine_stack_size)
        TIDE_G(stack_size) = srv->o.coroutine_stack_size;
    if (srv->o.max_coroutine)
        TIDE_G(max_coroutine) = srv->o.max_coroutine;
    if (srv->o.hook_flags >= 0)
        TIDE_G(hook_flags) = srv->o.hook_flags; /* in every process forked from here */
    /* The server's reactor_backend wins over TIDE_REACTOR and tide.reactor_backend. */
    tide_backend_t backend = TIDE_BACKEND_AUTO;
    if (srv->o.reactor_backend)
        tide_backend_parse(srv->o.reactor_backend, &backend);
    TIDE_G(server_backend) = backend;
    TIDE_G(reactor_entries) = srv->o.io_uring_entries;

    srv->state = 1;
    php_tide_running = srv;
    ZVAL_OBJ_COPY(&php_tide_running_zv, &srv->std);
    tide_log_set_sink(log_sink, srv);
    tide_log_set_level((int)srv->o.log_level);
    if (srv->o.ignored)
        tide_log(TIDE_LOG_NOTICE, "settings that have no meaning in Tide, accepted and ignored: %s",
                 ZSTR_VAL(srv->o.ignored));

    pid_t caller = getpid();
    int status = 0;
    int rc = tide_server_start(s, &status);
    if (rc == TIDE_SERVER_LEAVE) {
        if (getpid() == caller) {
            /* The caller of a daemonizing start: the daemon owns the ports now. */
            for (int i = 0; i < s->nports; i++)
                ((php_tide_port_t *)s->ports[i]->udata)->owner = 0;
        }
        leave_process(status);
        RETURN_THROWS();
    }
    if (rc == 0)
        php_tide_event_shutdown(srv);
    close_ports(srv);
    srv->state = 2;
    stop_running(srv);
    tide_log_set_sink(NULL, NULL);
    if (rc < 0) {
        if (!EG(exception))
            php_tide_throw(rc, "Tide\\Server::start(): %s", s->error);
        RETURN_THROWS();
    }
    if (EG(exception))
        RETURN_THROWS();
    RETURN_TRUE;
}

/* ---- module ---- */

php_tide_server_t *php_tide_server_running(php_tide_server_t *srv, const char *method)
{
    if (php_tide_running && (!srv || srv == php_tide_running))
        return php_tide_running;
    if (srv && srv->state == 2)
        php_tide_throw(0, "Tide\\Server::%s(): the server has shut down", method);
    else
        php_tide_throw(0, "Tide\\Server::%s() cannot be called before start()", method);
    return NULL;
}

int php_tide_server_minit(INIT_FUNC_ARGS)
{
    TIDE_UNUSED(type);
    register_tide_server_symbols(module_number);
    php_tide_server_ce = register_class_Tide_Server();
    php_tide_server_ce->create_object = server_create;
    memcpy(&server_handlers, zend_get_std_object_handlers(), sizeof(server_handlers));
    server_handlers.offset = XtOffsetOf(php_tide_server_t, std);
    server_handlers.free_obj = server_free;
    server_handlers.get_gc = server_get_gc;
    server_handlers.clone_obj = NULL;
    php_tide_port_minit(register_class_Tide_Server_Port());
    php_tide_task_minit(register_class_Tide_Task());
    php_tide_http_minit();
    php_tide_ws_minit(module_number);
    server_handlers.read_property = php_tide_server_read_property;
    server_handlers.get_property_ptr_ptr = php_tide_server_property_ptr;
    server_handlers.has_property = php_tide_server_has_property;
    ZVAL_UNDEF(&php_tide_running_zv);
    return SUCCESS;
}

void php_tide_server_rshutdown(void)
{
    php_tide_requests_free();
    php_tide_task_rshutdown();
    if (php_tide_running) {
        php_tide_running->core.role = TIDE_ROLE_NONE;
        stop_running(php_tide_running);
    }
    tide_log_set_sink(NULL, NULL);
}

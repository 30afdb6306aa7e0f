/* SPDX-License-Identifier: MIT */
/*
 * Tide\Server and Tide\Server\Port: settings, callbacks, and the process model.
 *
 * start() turns the process into a server:
 *
 *   MODE_PROCESS  this process is the master: it forks the manager, which forks the
 *                 workers. The master accepts and reads (src/server/engine.c), frames
 *                 messages and hands each to a worker over that worker's SOCK_SEQPACKET
 *                 link; workers run the PHP callbacks and send replies back the same way.
 *   MODE_BASE     this process is the manager; every worker accepts and reads itself (its
 *                 own SO_REUSEPORT socket for TCP) and runs the callbacks on what it read.
 *                 The manager relays what one worker sends to another (pipe messages, or a
 *                 send() to a connection another worker owns).
 *
 * Forked processes leave start() by unwinding with exit(): the script after start() runs
 * only in the process that called it (the master, or the manager in MODE_BASE), once the
 * server has shut down.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include "php.h"
#include "ext/standard/php_var.h"
#include "zend_exceptions.h"
#include "zend_smart_str.h"
#include "zend_interfaces.h"
#include "php_tide.h"
#include "tide/log.h"
#include "tide/server.h"

#define TIDE_MODE_BASE 1
#define TIDE_MODE_PROCESS 2
#define TIDE_SOCK_SSL 512

#include "../../php_stubs/tide_server_arginfo.h"

#define MAX_PORTS 64

/* ---- events ---- */

enum {
    EV_START, EV_SHUTDOWN, EV_MANAGER_START, EV_MANAGER_STOP, EV_WORKER_START,
    EV_WORKER_STOP, EV_WORKER_EXIT, EV_WORKER_ERROR, EV_CONNECT, EV_RECEIVE, EV_PACKET,
    EV_CLOSE, EV_TASK, EV_FINISH, EV_PIPE_MESSAGE, EV_BEFORE_RELOAD, EV_AFTER_RELOAD,
    EV_COUNT
};

static const char *const ev_names[EV_COUNT] = {
    "start", "shutdown", "managerStart", "managerStop", "workerStart", "workerStop",
    "workerExit", "workerError", "connect", "receive", "packet", "close", "task", "finish",
    "pipeMessage", "beforeReload", "afterReload",
};

static bool is_port_event(int ev)
{
    return ev == EV_CONNECT || ev == EV_RECEIVE || ev == EV_PACKET || ev == EV_CLOSE;
}

typedef struct cb {
    zval fn; /* IS_UNDEF when not set */
    zend_fcall_info_cache fcc;
} cb_t;

/* ---- IPC message types ---- */

enum {
    /* to a worker */
    M_CONNECT = 1, /* session; worker field = port index */
    M_DATA,        /* session; worker field = port index; payload = the package */
    M_CLOSE,       /* session; worker field = port index */
    M_PACKET,      /* worker field = port index; payload = pkt_addr_t + datagram */
    M_PIPE,        /* session = source worker id; payload = serialized message */
    M_ACK,         /* the master will send this worker nothing more */
    /* to the owner of connections (master, or MODE_BASE worker through the manager) */
    M_SEND = 16,   /* session; payload = bytes */
    M_CLOSE_REQ,   /* session; worker field = reset */
    M_PAUSE,
    M_RESUME,
    M_SENDFILE,    /* session; payload = sendfile_req_t + path */
    /* to the master or manager */
    M_EXITING = 32, /* the worker stops: send it nothing more (answered with M_ACK) */
    M_PIPE_REQ,     /* session = source; worker field = destination */
    M_RELAY,        /* MODE_BASE: worker field = owner; payload = relay_hdr_t + request */
    M_SHUTDOWN,     /* shutdown() from a worker (which may not signal a root master) */
    M_RELOAD,       /* reload() from a worker; worker field = 1 for task workers only */
};

typedef struct relay_hdr {
    int32_t type;
    uint32_t field;
} relay_hdr_t;

typedef struct pkt_addr {
    int32_t remote_port;
    int32_t server_fd;
    char addr[TIDE_ADDR_MAX];
} pkt_addr_t;

typedef struct sendfile_req {
    int64_t offset, length;
} sendfile_req_t;

/* ---- objects ---- */

typedef struct php_tide_server php_tide_server_t;

typedef struct php_tide_port {
    tide_port_t p;
    cb_t cb[EV_COUNT];
    zval own_setting; /* what Port::set() was given (array), merged over the server's */
    bool has_own;
    pid_t owner; /* the process that made the socket: only it removes a Unix socket's file */
    int server_fd; /* its number in the master (getClientInfo()'s server_fd, everywhere) */
    php_tide_server_t *server; /* weak */
    zend_object std;
} php_tide_port_t;

typedef struct srv_opts {
    zend_long worker_num, max_request, dispatch_mode, log_level, max_connection, backlog;
    zend_long heartbeat_check_interval, heartbeat_idle_time;
    double max_wait_time;
    bool daemonize, enable_coroutine;
    zend_string *pid_file, *log_file, *user, *group;
} srv_opts_t;

struct php_tide_server {
    int mode;
    int state; /* 0 made, 1 started, 2 done */
    cb_t cb[EV_COUNT];
    zval setting_all; /* merged settings (array) */
    php_tide_port_t *ports[MAX_PORTS];
    int nports;
    srv_opts_t o;
    zend_object std;
};

static zend_class_entry *server_ce, *port_ce;
static zend_object_handlers server_handlers, port_handlers;

static inline php_tide_server_t *server_from(zend_object *obj)
{
    return (php_tide_server_t *)((char *)obj - XtOffsetOf(php_tide_server_t, std));
}
static inline php_tide_port_t *port_from(zend_object *obj)
{
    return (php_tide_port_t *)((char *)obj - XtOffsetOf(php_tide_port_t, std));
}
#define THIS_SERVER() server_from(Z_OBJ_P(ZEND_THIS))
#define THIS_PORT() port_from(Z_OBJ_P(ZEND_THIS))

/* ---- the running server's process state (one per process) ---- */

enum { ROLE_NONE, ROLE_MASTER, ROLE_MANAGER, ROLE_WORKER };

enum { SLOT_DOWN, SLOT_UP, SLOT_DRAINING };

typedef struct pending_msg {
    struct pending_msg *next;
    int type;
    uint64_t session;
    uint32_t worker;
    size_t len;
    char data[];
} pending_msg_t;

/* One incarnation of a worker, as the master (or MODE_BASE manager) sees it: its link, read
 * until EOF even after a replacement took the slot (its last replies are still in it). */
typedef struct wlink {
    tide_link_t l;
    int id;
    int state; /* SLOT_UP, or SLOT_DRAINING once it said it stops */
} wlink_t;

typedef struct mslot {
    wlink_t *cur; /* NULL while the worker is being replaced */
    pid_t pid;
    bool crashed; /* its connections are being closed: nobody to tell */
    pending_msg_t *head, *tail; /* held while the worker is being replaced */
} mslot_t;

static struct runtime {
    php_tide_server_t *srv;
    zval zsrv; /* the server object, for callback arguments */
    int role;
    int worker_id;
    tide_conntab_t tab;
    tide_reactor_t *r;
    tide_engine_t *engine;
    tide_manager_t *manager;
    tide_op_t *sigs[6];
    int log_fd;
    bool stopping;
    bool link_done; /* worker: the master will send nothing more */
    uint64_t requests;
    uint64_t rr;
    uint64_t *dispatched; /* master: messages handed to each worker (dispatch_mode 3) */
    /* worker */
    tide_link_t link;
    /* master (MODE_PROCESS) or manager (MODE_BASE) */
    mslot_t *slots;
    int ctl_fd; /* master <-> manager */
    tide_op_t *ctl_watch;
    pid_t manager_pid;
    bool manager_gone;
    int listen_fds[MAX_PORTS]; /* MODE_BASE worker: its own listening sockets */
    /* worker: session -> the taken_bytes value its connection reaches once every byte this
     * worker asked the owner to send (over the link) has been handled there */
    HashTable *inflight;
} rt = {.ctl_fd = -1, .log_fd = -1};

static const char *role_name(void)
{
    switch (rt.role) {
    case ROLE_MASTER:
        return rt.srv && rt.srv->mode == TIDE_MODE_BASE ? "manager" : "master";
    case ROLE_MANAGER:
        return "manager";
    case ROLE_WORKER:
        return "worker";
    default:
        return "php";
    }
}

/* ---- logging ---- */

static void log_sink(int level, const char *line, void *udata)
{
    TIDE_UNUSED(udata);
    static const char *const names[] = {"DEBUG", "TRACE", "INFO", "NOTICE", "WARNING", "ERROR"};
    char stamp[32];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
    /* One write per line, so lines of several processes do not interleave. */
    char buf[2048];
    int len = snprintf(buf, sizeof(buf), "[%s.%03ld %s%s%d pid %d] %s %s\n", stamp,
                       ts.tv_nsec / 1000000, role_name(), rt.role == ROLE_WORKER ? " #" : "",
                       rt.role == ROLE_WORKER ? rt.worker_id : 0, (int)getpid(), names[level], line);
    if (rt.role != ROLE_WORKER) {
        len = snprintf(buf, sizeof(buf), "[%s.%03ld %s pid %d] %s %s\n", stamp,
                       ts.tv_nsec / 1000000, role_name(), (int)getpid(), names[level], line);
    }
    if (len > (int)sizeof(buf) - 1)
        len = sizeof(buf) - 1;
    int fd = rt.log_fd >= 0 ? rt.log_fd : 2;
    ssize_t w = write(fd, buf, (size_t)len);
    TIDE_UNUSED(w);
}

/* ---- callbacks ---- */

static void cb_set(cb_t *cb, zval *fn, zend_fcall_info_cache *fcc)
{
    if (Z_TYPE(cb->fn) != IS_UNDEF)
        zval_ptr_dtor(&cb->fn);
    ZVAL_COPY(&cb->fn, fn);
    cb->fcc = *fcc;
}

static void cb_free(cb_t *cb)
{
    if (Z_TYPE(cb->fn) != IS_UNDEF)
        zval_ptr_dtor(&cb->fn);
    ZVAL_UNDEF(&cb->fn);
}

static bool cb_isset(const cb_t *cb)
{
    return Z_TYPE(cb->fn) != IS_UNDEF;
}

/* Logs an exception a callback left and clears it (the process keeps serving). */
static void log_uncaught(zend_object *ex)
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

static void on_uncaught(zend_object *ex)
{
    log_uncaught(ex);
}

/* Calls a callback in the current context (master/manager events, or without
 * enable_coroutine). An exception is logged; exit() propagates. */
static void call_direct(cb_t *cb, zval *args, uint32_t argc)
{
    zval rv;
    zend_fcall_info fci = {
        .size = sizeof(fci), .retval = &rv, .params = args, .param_count = argc,
    };
    ZVAL_COPY_VALUE(&fci.function_name, &cb->fn);
    ZVAL_UNDEF(&rv);
    zend_fcall_info_cache fcc = cb->fcc;
    zend_call_function(&fci, &fcc);
    zval_ptr_dtor(&rv);
    if (EG(exception) && !zend_is_unwind_exit(EG(exception)) &&
        !zend_is_graceful_exit(EG(exception))) {
        zend_object *ex = EG(exception);
        GC_ADDREF(ex);
        zend_clear_exception();
        log_uncaught(ex);
        OBJ_RELEASE(ex);
    }
}

/* Requests this worker has finished, in the shared table (dispatch_mode 3 reads them). */
static void request_done(void *arg)
{
    TIDE_UNUSED(arg);
    if (rt.tab.mem && rt.role == ROLE_WORKER && rt.worker_id >= 0 &&
        (unsigned)rt.worker_id < rt.tab.workers)
        __atomic_add_fetch(&tide_conntab_stats(&rt.tab, 0)->worker_request[rt.worker_id], 1,
                           __ATOMIC_RELAXED);
}

/* A worker event: in its own coroutine with enable_coroutine, else directly. With
 * `request`, the worker counts the request finished when the callback is done. */
static void call_event_req(cb_t *cb, zval *args, uint32_t argc, bool request)
{
    /* Only dispatch_mode 3 (MODE_PROCESS) reads the count: nobody else pays for it. */
    request = request && rt.srv->mode == TIDE_MODE_PROCESS && rt.srv->o.dispatch_mode == 3;
    if (rt.srv->o.enable_coroutine && rt.role == ROLE_WORKER) {
        zend_fcall_info_cache fcc = cb->fcc;
        if (request)
            php_tide_coro_spawn_done(&cb->fn, &fcc, args, argc, request_done, NULL);
        else
            php_tide_coro_spawn(&cb->fn, &fcc, args, argc);
        if (EG(exception) && !zend_is_unwind_exit(EG(exception)))
            zend_clear_exception();
        return;
    }
    call_direct(cb, args, argc);
    if (request)
        request_done(NULL);
}

static void call_event(cb_t *cb, zval *args, uint32_t argc)
{
    call_event_req(cb, args, argc, false);
}

static cb_t *port_cb(int port_index, int ev)
{
    php_tide_server_t *srv = rt.srv;
    if (port_index >= 0 && port_index < srv->nports && cb_isset(&srv->ports[port_index]->cb[ev]))
        return &srv->ports[port_index]->cb[ev];
    return cb_isset(&srv->cb[ev]) ? &srv->cb[ev] : NULL;
}

/* ---- property writes (the properties are readonly for PHP code) ---- */

static void prop_set(zend_object *obj, const char *name, zval *v)
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

static void prop_long(zend_object *obj, const char *name, zend_long v)
{
    zval z;
    ZVAL_LONG(&z, v);
    prop_set(obj, name, &z);
}

static void prop_bool(zend_object *obj, const char *name, bool v)
{
    zval z;
    ZVAL_BOOL(&z, v);
    prop_set(obj, name, &z);
}

/* ---- settings ---- */

static const char *const server_keys[] = {
    "worker_num", "task_worker_num", "reactor_num", "max_request", "max_wait_time",
    "reload_async", "daemonize", "pid_file", "log_file", "log_level", "user", "group",
    "dispatch_mode", "enable_coroutine", "hook_flags", "task_enable_coroutine",
    "task_ipc_mode", "coroutine_stack_size", "reactor_backend", "io_uring_entries",
    "io_uring_sqpoll", "max_connection", "heartbeat_check_interval", "heartbeat_idle_time",
    "max_coroutine", NULL,
};
static const char *const port_keys[] = {
    "backlog", "open_tcp_nodelay", "buffer_output_size", "socket_buffer_size",
    "package_max_length", "open_eof_check", "open_eof_split", "package_eof",
    "open_length_check", "package_length_type", "package_length_offset",
    "package_body_offset", NULL,
};
/* Known to the API (later issues) but not served by this version. */
static const char *const later_keys[] = {
    "open_http_protocol", "open_http2_protocol", "open_websocket_protocol",
    "open_fastcgi_protocol", "http_parse_post", "http_parse_cookie", "http_compression",
    "http_compression_level", "http_compression_min_length", "upload_tmp_dir",
    "upload_max_filesize", "document_root", "enable_static_handler",
    "static_handler_locations", "http_header_timeout", "http_max_header_size",
    "websocket_compression", "open_websocket_ping_frame", "open_websocket_pong_frame",
    "open_websocket_close_frame", "ssl_cert_file", "ssl_key_file", "ssl_protocols",
    "ssl_ciphers", "ssl_verify_peer", "ssl_client_cert_file", NULL,
};

static bool in_list(const char *const *list, const char *key)
{
    for (; *list; list++)
        if (strcmp(*list, key) == 0)
            return true;
    return false;
}

static bool get_long(HashTable *ht, const char *key, zend_long *out, zend_long min, zend_long max)
{
    zval *v = zend_hash_str_find(ht, key, strlen(key));
    if (!v)
        return true;
    zend_long n;
    if (Z_TYPE_P(v) == IS_LONG)
        n = Z_LVAL_P(v);
    else if (Z_TYPE_P(v) == IS_DOUBLE && Z_DVAL_P(v) == (double)(zend_long)Z_DVAL_P(v))
        n = (zend_long)Z_DVAL_P(v);
    else if (Z_TYPE_P(v) == IS_STRING && is_numeric_string(Z_STRVAL_P(v), Z_STRLEN_P(v), &n, NULL, false) == IS_LONG)
        ;
    else if (Z_TYPE_P(v) == IS_TRUE || Z_TYPE_P(v) == IS_FALSE)
        n = Z_TYPE_P(v) == IS_TRUE;
    else {
        zend_value_error("Setting '%s' must be an integer, %s given", key, zend_zval_type_name(v));
        return false;
    }
    if (n < min || n > max) {
        zend_value_error("Setting '%s' must be between " ZEND_LONG_FMT " and " ZEND_LONG_FMT
                         ", " ZEND_LONG_FMT " given",
                         key, min, max, n);
        return false;
    }
    *out = n;
    return true;
}

static bool get_bool(HashTable *ht, const char *key, bool *out)
{
    zval *v = zend_hash_str_find(ht, key, strlen(key));
    if (!v)
        return true;
    if (Z_TYPE_P(v) == IS_ARRAY || Z_TYPE_P(v) == IS_OBJECT) {
        zend_value_error("Setting '%s' must be a bool, %s given", key, zend_zval_type_name(v));
        return false;
    }
    *out = zend_is_true(v);
    return true;
}

static bool get_double(HashTable *ht, const char *key, double *out, double min)
{
    zval *v = zend_hash_str_find(ht, key, strlen(key));
    if (!v)
        return true;
    if (Z_TYPE_P(v) != IS_LONG && Z_TYPE_P(v) != IS_DOUBLE) {
        zend_value_error("Setting '%s' must be a number, %s given", key, zend_zval_type_name(v));
        return false;
    }
    double d = zval_get_double(v);
    if (d < min) {
        zend_value_error("Setting '%s' must be at least %g, %g given", key, min, d);
        return false;
    }
    *out = d;
    return true;
}

static bool get_string(HashTable *ht, const char *key, zend_string **out)
{
    zval *v = zend_hash_str_find(ht, key, strlen(key));
    if (!v)
        return true;
    if (Z_TYPE_P(v) != IS_STRING) {
        zend_value_error("Setting '%s' must be a string, %s given", key, zend_zval_type_name(v));
        return false;
    }
    *out = Z_STR_P(v); /* borrowed from the settings array */
    return true;
}

static zend_long cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? n : 1;
}

static zend_long default_max_connection(void)
{
    struct rlimit rl;
    zend_long n = 65536;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        (zend_long)rl.rlim_cur < n)
        n = (zend_long)rl.rlim_cur;
    return n;
}

/* The server-wide options from the merged settings; false with an exception. */
static bool parse_server(HashTable *ht, srv_opts_t *o)
{
    memset(o, 0, sizeof(*o));
    o->worker_num = cpu_count();
    o->dispatch_mode = 2;
    o->log_level = TIDE_LOG_INFO;
    o->max_wait_time = 3;
    o->enable_coroutine = true;
    o->max_connection = default_max_connection();
    zend_long task_workers = 0, ignored;
    bool bignored;
    if (!get_long(ht, "worker_num", &o->worker_num, 1, 1024) ||
        !get_long(ht, "task_worker_num", &task_workers, 0, 1024) ||
        !get_long(ht, "reactor_num", &ignored, 1, 1024) ||
        !get_long(ht, "max_request", &o->max_request, 0, ZEND_LONG_MAX) ||
        !get_double(ht, "max_wait_time", &o->max_wait_time, 0.001) ||
        !get_bool(ht, "reload_async", &bignored) || !get_bool(ht, "daemonize", &o->daemonize) ||
        !get_string(ht, "pid_file", &o->pid_file) || !get_string(ht, "log_file", &o->log_file) ||
        !get_long(ht, "log_level", &o->log_level, 0, 6) || !get_string(ht, "user", &o->user) ||
        !get_string(ht, "group", &o->group) ||
        !get_long(ht, "dispatch_mode", &o->dispatch_mode, 1, 4) ||
        !get_bool(ht, "enable_coroutine", &o->enable_coroutine) ||
        !get_long(ht, "hook_flags", &ignored, 0, ZEND_LONG_MAX) ||
        !get_long(ht, "max_connection", &o->max_connection, 1, 1 << 24) ||
        !get_long(ht, "heartbeat_check_interval", &o->heartbeat_check_interval, 0, 86400) ||
        !get_long(ht, "heartbeat_idle_time", &o->heartbeat_idle_time, 0, 86400 * 30) ||
        !get_long(ht, "coroutine_stack_size", &ignored, 16384, 1 << 30) ||
        !get_long(ht, "max_coroutine", &ignored, 1, ZEND_LONG_MAX) ||
        !get_long(ht, "io_uring_entries", &ignored, 1, 32768) ||
        !get_bool(ht, "io_uring_sqpoll", &bignored))
        return false;
    if (task_workers > 0) {
        zend_throw_exception(php_tide_exception_ce,
                             "Setting 'task_worker_num': task workers are not available in this "
                             "version of Tide yet",
                             0);
        return false;
    }
    if (zend_hash_str_exists(ht, "reactor_backend", sizeof("reactor_backend") - 1)) {
        zval *v = zend_hash_str_find(ht, "reactor_backend", sizeof("reactor_backend") - 1);
        tide_backend_t b;
        if (Z_TYPE_P(v) != IS_STRING || tide_backend_parse(Z_STRVAL_P(v), &b) < 0) {
            zend_value_error("Setting 'reactor_backend' must be 'auto', 'io_uring' or 'epoll'");
            return false;
        }
    }
    if (o->heartbeat_check_interval && !o->heartbeat_idle_time)
        o->heartbeat_idle_time = 2 * o->heartbeat_check_interval;
    if (o->heartbeat_idle_time && !o->heartbeat_check_interval)
        o->heartbeat_check_interval = o->heartbeat_idle_time / 2 ? o->heartbeat_idle_time / 2 : 1;
    return true;
}

/* A port's options from its merged settings; false with an exception. */
static bool parse_port(HashTable *ht, tide_port_t *p)
{
    zend_long backlog = 512, outsize = 2 << 20, maxlen = 2 << 20, loff = 0, boff = 0, sockbuf = 0;
    bool eof_check = false, eof_split = false, length_check = false, nodelay = false;
    zend_string *eof = NULL, *ltype = NULL;
    if (!get_long(ht, "backlog", &backlog, 1, 65535) ||
        !get_bool(ht, "open_tcp_nodelay", &nodelay) ||
        !get_long(ht, "buffer_output_size", &outsize, 1, ZEND_LONG_MAX) ||
        !get_long(ht, "socket_buffer_size", &sockbuf, 0, INT_MAX) ||
        !get_long(ht, "package_max_length", &maxlen, 1, (zend_long)1 << 31) ||
        !get_bool(ht, "open_eof_check", &eof_check) ||
        !get_bool(ht, "open_eof_split", &eof_split) || !get_string(ht, "package_eof", &eof) ||
        !get_bool(ht, "open_length_check", &length_check) ||
        !get_string(ht, "package_length_type", &ltype) ||
        !get_long(ht, "package_length_offset", &loff, 0, 65535) ||
        !get_long(ht, "package_body_offset", &boff, 0, 65535))
        return false;
    tide_frame_opts_t f = {0};
    if ((eof_check || eof_split) && length_check) {
        zend_value_error("Settings 'open_eof_check'/'open_eof_split' and 'open_length_check' "
                         "cannot both be on");
        return false;
    }
    if (eof_check || eof_split) {
        f.mode = TIDE_FRAME_EOF;
        f.eof_split = eof_split;
        if (!eof) {
            memcpy(f.eof, "\r\n", 2);
            f.eof_len = 2;
        } else if (ZSTR_LEN(eof) == 0 || ZSTR_LEN(eof) > TIDE_FRAME_EOF_MAX) {
            zend_value_error("Setting 'package_eof' must be 1 to %d bytes long, %zu given",
                             TIDE_FRAME_EOF_MAX, ZSTR_LEN(eof));
            return false;
        } else {
            memcpy(f.eof, ZSTR_VAL(eof), ZSTR_LEN(eof));
            f.eof_len = ZSTR_LEN(eof);
        }
    } else if (length_check) {
        f.mode = TIDE_FRAME_LENGTH;
        f.length_type = ltype && ZSTR_LEN(ltype) == 1 ? ZSTR_VAL(ltype)[0] : 'N';
        if (ltype && (ZSTR_LEN(ltype) != 1 || !tide_frame_length_size(f.length_type))) {
            zend_value_error("Setting 'package_length_type' must be one of c C s S n N l L v V "
                             "q J P, '%s' given",
                             ZSTR_VAL(ltype));
            return false;
        }
        f.length_offset = (size_t)loff;
        f.body_offset = (size_t)boff;
    }
    f.max_length = (size_t)maxlen;
    if (tide_frame_opts_check(&f) < 0) {
        zend_value_error("Settings 'package_length_offset' (" ZEND_LONG_FMT
                         ") and 'package_body_offset' (" ZEND_LONG_FMT
                         ") do not describe a valid length header",
                         loff, boff);
        return false;
    }
    p->frame = f;
    p->buffer_output_size = (size_t)outsize;
    p->tcp_nodelay = nodelay;
    return true;
}

/* Checks every key of a set() call; false with a ValueError naming the first bad one. */
static bool check_keys(HashTable *ht, bool for_port)
{
    zend_string *key;
    zend_ulong idx;
    ZEND_HASH_FOREACH_KEY(ht, idx, key) {
        if (!key) {
            zend_value_error("Settings must be keyed by name, got index " ZEND_ULONG_FMT, idx);
            return false;
        }
        if (in_list(port_keys, ZSTR_VAL(key)))
            continue;
        if (in_list(server_keys, ZSTR_VAL(key))) {
            if (for_port) {
                zend_value_error("Setting '%s' belongs to the server: use Tide\\Server::set()",
                                 ZSTR_VAL(key));
                return false;
            }
            continue;
        }
        if (in_list(later_keys, ZSTR_VAL(key))) {
            zend_throw_exception_ex(php_tide_exception_ce, 0,
                                    "Setting '%s' is not available on a plain Tide\\Server in "
                                    "this version of Tide",
                                    ZSTR_VAL(key));
            return false;
        }
        zend_value_error("Unknown setting '%s'", ZSTR_VAL(key));
        return false;
    } ZEND_HASH_FOREACH_END();
    return true;
}

/* The framing switches: a port that picks its own framing inherits none of the server's. */
static const char *const framing_keys[] = {"open_eof_check", "open_eof_split", "open_length_check", NULL};

/* The server's settings with a port's own merged over them, into out. */
static void merge_port_settings(HashTable *server, HashTable *own, zval *out)
{
    ZVAL_ARR(out, zend_array_dup(server));
    if (!own)
        return;
    bool own_framing = false;
    for (const char *const *k = framing_keys; *k; k++)
        if (zend_hash_str_exists(own, *k, strlen(*k)))
            own_framing = true;
    if (own_framing) {
        /* Turned off in place (the order of the keys stays the server's). */
        for (const char *const *k = framing_keys; *k; k++) {
            if (!zend_hash_str_exists(own, *k, strlen(*k)) &&
                zend_hash_str_exists(Z_ARRVAL_P(out), *k, strlen(*k))) {
                zval off;
                ZVAL_FALSE(&off);
                zend_hash_str_update(Z_ARRVAL_P(out), *k, strlen(*k), &off);
            }
        }
    }
    zend_hash_merge(Z_ARRVAL_P(out), own, zval_add_ref, true);
}

/* The settings a port runs with: the server's, then its own over them. */
static void port_effective(php_tide_port_t *port, zval *out)
{
    merge_port_settings(Z_ARRVAL(port->server->setting_all),
                        port->has_own ? Z_ARRVAL(port->own_setting) : NULL, out);
}

/* ---- object handlers ---- */

static zend_object *server_create(zend_class_entry *ce)
{
    php_tide_server_t *s = zend_object_alloc(sizeof(php_tide_server_t), ce);
    zend_object_std_init(&s->std, ce);
    object_properties_init(&s->std, ce);
    s->std.handlers = &server_handlers;
    for (int i = 0; i < EV_COUNT; i++)
        ZVAL_UNDEF(&s->cb[i].fn);
    array_init(&s->setting_all);
    return &s->std;
}

static void server_free(zend_object *obj)
{
    php_tide_server_t *s = server_from(obj);
    for (int i = 0; i < EV_COUNT; i++)
        cb_free(&s->cb[i]);
    for (int i = 0; i < s->nports; i++) {
        php_tide_port_t *p = s->ports[i];
        p->server = NULL;
        OBJ_RELEASE(&p->std);
    }
    zval_ptr_dtor(&s->setting_all);
    zend_object_std_dtor(obj);
}

/* The GC sees the callbacks an object holds, and its properties. */
static HashTable *gc_with_callbacks(zend_object *obj, cb_t *cbs, zval **table, int *n)
{
    zend_get_gc_buffer *buf = zend_get_gc_buffer_create();
    for (int i = 0; i < EV_COUNT; i++)
        if (cb_isset(&cbs[i]))
            zend_get_gc_buffer_add_zval(buf, &cbs[i].fn);
    zend_get_gc_buffer_use(buf, table, n);
    return zend_std_get_properties(obj);
}

static HashTable *server_get_gc(zend_object *obj, zval **table, int *n)
{
    return gc_with_callbacks(obj, server_from(obj)->cb, table, n);
}

static zend_object *port_create(zend_class_entry *ce)
{
    php_tide_port_t *p = zend_object_alloc(sizeof(php_tide_port_t), ce);
    zend_object_std_init(&p->std, ce);
    object_properties_init(&p->std, ce);
    p->std.handlers = &port_handlers;
    for (int i = 0; i < EV_COUNT; i++)
        ZVAL_UNDEF(&p->cb[i].fn);
    array_init(&p->own_setting);
    p->p.fd = -1;
    return &p->std;
}

static void port_free(zend_object *obj)
{
    php_tide_port_t *p = port_from(obj);
    for (int i = 0; i < EV_COUNT; i++)
        cb_free(&p->cb[i]);
    zval_ptr_dtor(&p->own_setting);
    if (p->p.fd >= 0) {
        close(p->p.fd);
        if ((p->p.type == TIDE_SOCK_UNIX_STREAM || p->p.type == TIDE_SOCK_UNIX_DGRAM) &&
            p->owner == getpid())
            unlink(p->p.host);
    }
    zend_object_std_dtor(obj);
}

static HashTable *port_get_gc(zend_object *obj, zval **table, int *n)
{
    return gc_with_callbacks(obj, port_from(obj)->cb, table, n);
}

/* ---- ports ---- */

/* Opens a port's socket; NULL with a warning (listen) or exception (constructor). */
static php_tide_port_t *open_port(php_tide_server_t *srv, const char *host, zend_long port,
                                  zend_long type, bool throw)
{
    char why[256] = "";
    int fd = -EADDRINUSE;
    if ((type & ~(zend_long)(TIDE_SOCK_SSL | TIDE_SOCK_TYPE_MASK)) ||
        !tide_sock_valid((int)(type & TIDE_SOCK_TYPE_MASK))) {
        zend_value_error("Socket type " ZEND_LONG_FMT " is not one of Tide\\SOCK_*", type);
        return NULL;
    }
    if (type & TIDE_SOCK_SSL) {
        zend_throw_exception(php_tide_exception_ce,
                             "Tide\\SSL: TLS is not available in this version of Tide", 0);
        return NULL;
    }
    bool is_unix = type == TIDE_SOCK_UNIX_STREAM || type == TIDE_SOCK_UNIX_DGRAM;
    if (!is_unix && (port < 0 || port > 65535)) {
        zend_value_error("Port must be between 0 and 65535, " ZEND_LONG_FMT " given", port);
        return NULL;
    }
    if (srv->nports == MAX_PORTS) {
        zend_throw_exception_ex(php_tide_exception_ce, 0, "A server has at most %d ports", MAX_PORTS);
        return NULL;
    }
    /* SO_REUSEPORT (MODE_BASE) would let a second port of this server bind the same
     * address without an error: the server's own ports are checked here. */
    if (!is_unix && port != 0) {
        for (int i = 0; i < srv->nports; i++) {
            tide_port_t *q = &srv->ports[i]->p;
            if (q->type == (int)type && q->port == port &&
                (strcmp(q->host, host) == 0 || strcmp(q->host, "0.0.0.0") == 0 ||
                 strcmp(q->host, "::") == 0 || strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0)) {
                snprintf(why, sizeof(why), "cannot listen on %s:%d: Address already in use (port %d of this server)",
                         host, (int)port, i);
                goto fail;
            }
        }
    }
    /* MODE_BASE: each worker listens on its own SO_REUSEPORT socket; this one only holds
     * the address (and finds the port when 0 is asked for). It is bound without
     * SO_REUSEPORT (SO_REUSEADDR and not listening is enough for the workers' sockets to
     * bind next to it), so that an address someone else listens on is refused here. */
    bool base_tcp = srv->mode == TIDE_MODE_BASE && (type == TIDE_SOCK_TCP || type == TIDE_SOCK_TCP6);
    fd = tide_sock_listen((int)type, host, is_unix ? 0 : (int)port, 512, false,
                              !base_tcp, why, sizeof(why));
    if (fd < 0) {
fail:
        if (throw)
            zend_throw_exception_ex(php_tide_exception_ce, -fd, "%s", why);
        else
            php_error_docref(NULL, E_WARNING, "%s", why);
        return NULL;
    }
    zend_object *obj = port_create(port_ce);
    php_tide_port_t *p = port_from(obj);
    p->server = srv;
    p->p.index = srv->nports;
    p->p.type = (int)type;
    p->p.fd = fd;
    p->p.port = is_unix ? 0 : tide_sock_port(fd);
    strncpy(p->p.host, host, sizeof(p->p.host) - 1);
    p->p.udata = p;
    p->owner = getpid();
    p->server_fd = fd;
    srv->ports[srv->nports++] = p;

    zval z;
    ZVAL_STRING(&z, host);
    prop_set(obj, "host", &z);
    zval_ptr_dtor(&z);
    prop_long(obj, "port", p->p.port);
    prop_long(obj, "type", type);
    zval empty;
    array_init(&empty);
    prop_set(obj, "setting", &empty);
    zval_ptr_dtor(&empty);

    /* $server->ports lists them all. */
    zval *ports = zend_read_property(server_ce, &srv->std, "ports", 5, true, NULL);
    zval arr;
    ZVAL_ARR(&arr, zend_array_dup(Z_ARRVAL_P(ports)));
    zval zp;
    ZVAL_OBJ_COPY(&zp, obj);
    add_next_index_zval(&arr, &zp);
    prop_set(&srv->std, "ports", &arr);
    zval_ptr_dtor(&arr);
    return p;
}

/* ---- methods: setup ---- */

static bool not_started(php_tide_server_t *srv, const char *method)
{
    if (srv->state == 0)
        return true;
    zend_throw_exception_ex(php_tide_exception_ce, 0,
                            "Tide\\Server::%s() cannot be called after start()", method);
    return false;
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

    php_tide_server_t *srv = THIS_SERVER();
    if (srv->nports) {
        zend_throw_error(NULL, "Tide\\Server::__construct() cannot be called twice");
        RETURN_THROWS();
    }
    if (mode != TIDE_MODE_BASE && mode != TIDE_MODE_PROCESS) {
        zend_argument_value_error(3, "must be Tide\\MODE_BASE or Tide\\MODE_PROCESS");
        RETURN_THROWS();
    }
    srv->mode = (int)mode;
    prop_long(&srv->std, "master_pid", 0);
    prop_long(&srv->std, "manager_pid", 0);
    prop_long(&srv->std, "worker_id", -1);
    prop_long(&srv->std, "worker_pid", 0);
    prop_bool(&srv->std, "taskworker", false);
    prop_long(&srv->std, "mode", mode);
    zval empty;
    array_init(&empty);
    prop_set(&srv->std, "setting", &empty);
    prop_set(&srv->std, "ports", &empty);
    zval_ptr_dtor(&empty);
    if (!open_port(srv, host ? ZSTR_VAL(host) : "0.0.0.0", port, type, true))
        RETURN_THROWS();
}

ZEND_METHOD(Tide_Server, set)
{
    HashTable *ht;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(ht)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = THIS_SERVER();
    if (!not_started(srv, "set") || !check_keys(ht, false))
        RETURN_THROWS();
    zval merged;
    ZVAL_ARR(&merged, zend_array_dup(Z_ARRVAL(srv->setting_all)));
    zend_hash_merge(Z_ARRVAL(merged), ht, zval_add_ref, true);
    srv_opts_t o;
    tide_port_t p;
    if (!parse_server(Z_ARRVAL(merged), &o) || !parse_port(Z_ARRVAL(merged), &p)) {
        zval_ptr_dtor(&merged);
        RETURN_THROWS();
    }
    zval_ptr_dtor(&srv->setting_all);
    ZVAL_COPY_VALUE(&srv->setting_all, &merged);
    prop_set(&srv->std, "setting", &srv->setting_all);
    for (int i = 0; i < srv->nports; i++) {
        zval eff;
        port_effective(srv->ports[i], &eff);
        prop_set(&srv->ports[i]->std, "setting", &eff);
        zval_ptr_dtor(&eff);
    }
    RETURN_TRUE;
}

static int event_index(zend_string *name)
{
    for (int i = 0; i < EV_COUNT; i++)
        if (zend_binary_strcasecmp(ZSTR_VAL(name), ZSTR_LEN(name), ev_names[i],
                                   strlen(ev_names[i])) == 0)
            return i;
    return -1;
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
    php_tide_server_t *srv = THIS_SERVER();
    if (!not_started(srv, "on"))
        RETURN_THROWS();
    int ev = event_index(name);
    if (ev < 0) {
        zend_argument_value_error(1, "'%s' is not an event of Tide\\Server (start, shutdown, "
                                  "managerStart, managerStop, workerStart, workerStop, workerExit, "
                                  "workerError, connect, receive, packet, close, pipeMessage, "
                                  "beforeReload, afterReload)",
                                  ZSTR_VAL(name));
        RETURN_THROWS();
    }
    if (ev == EV_TASK || ev == EV_FINISH) {
        zend_throw_exception_ex(php_tide_exception_ce, 0,
                                "Event '%s': task workers are not available in this version of Tide",
                                ZSTR_VAL(name));
        RETURN_THROWS();
    }
    cb_set(&srv->cb[ev], &fci.function_name, &fcc);
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Server, listen)
{
    zend_string *host;
    zend_long port, type;
    ZEND_PARSE_PARAMETERS_START(3, 3)
        Z_PARAM_STR(host)
        Z_PARAM_LONG(port)
        Z_PARAM_LONG(type)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = THIS_SERVER();
    if (!not_started(srv, "listen"))
        RETURN_THROWS();
    php_tide_port_t *p = open_port(srv, ZSTR_VAL(host), port, type, false);
    if (!p) {
        if (EG(exception))
            RETURN_THROWS();
        RETURN_FALSE;
    }
    zval eff;
    port_effective(p, &eff);
    prop_set(&p->std, "setting", &eff);
    zval_ptr_dtor(&eff);
    RETURN_OBJ_COPY(&p->std);
}

ZEND_METHOD(Tide_Server_Port, __construct)
{
    TIDE_UNUSED(return_value);
    ZEND_PARSE_PARAMETERS_NONE();
}

ZEND_METHOD(Tide_Server_Port, set)
{
    HashTable *ht;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(ht)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_port_t *port = THIS_PORT();
    if (!port->server) {
        zend_throw_exception(php_tide_exception_ce, "This port's server is gone", 0);
        RETURN_THROWS();
    }
    if (port->server->state != 0) {
        zend_throw_exception(php_tide_exception_ce,
                             "Tide\\Server\\Port::set() cannot be called after start()", 0);
        RETURN_THROWS();
    }
    if (!check_keys(ht, true))
        RETURN_THROWS();
    zval own;
    ZVAL_ARR(&own, zend_array_dup(Z_ARRVAL(port->own_setting)));
    zend_hash_merge(Z_ARRVAL(own), ht, zval_add_ref, true);
    zval eff;
    merge_port_settings(Z_ARRVAL(port->server->setting_all), Z_ARRVAL(own), &eff);
    tide_port_t tmp;
    if (!parse_port(Z_ARRVAL(eff), &tmp)) {
        zval_ptr_dtor(&own);
        zval_ptr_dtor(&eff);
        RETURN_THROWS();
    }
    zval_ptr_dtor(&port->own_setting);
    ZVAL_COPY_VALUE(&port->own_setting, &own);
    port->has_own = true;
    prop_set(&port->std, "setting", &eff);
    zval_ptr_dtor(&eff);
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Server_Port, on)
{
    zend_string *name;
    zend_fcall_info fci;
    zend_fcall_info_cache fcc;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(name)
        Z_PARAM_FUNC(fci, fcc)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_port_t *port = THIS_PORT();
    if (port->server && port->server->state != 0) {
        zend_throw_exception(php_tide_exception_ce,
                             "Tide\\Server\\Port::on() cannot be called after start()", 0);
        RETURN_THROWS();
    }
    int ev = event_index(name);
    if (ev < 0 || !is_port_event(ev)) {
        zend_argument_value_error(1, "'%s' is not an event of Tide\\Server\\Port (connect, "
                                  "receive, packet, close)",
                                  ZSTR_VAL(name));
        RETURN_THROWS();
    }
    cb_set(&port->cb[ev], &fci.function_name, &fcc);
    RETURN_TRUE;
}

/* ---- the running server: worker side ---- */

static void worker_begin_stop(void);

static void args_fd(zval *args, uint64_t session, zend_long reactor)
{
    ZVAL_COPY(&args[0], &rt.zsrv);
    ZVAL_LONG(&args[1], (zend_long)session);
    ZVAL_LONG(&args[2], reactor);
}

static void count_request(void)
{
    rt.requests++;
    if (rt.srv->o.max_request && rt.requests >= (uint64_t)rt.srv->o.max_request && !rt.stopping) {
        tide_log(TIDE_LOG_INFO, "worker #%d served max_request (" ZEND_LONG_FMT "); restarting it",
                 rt.worker_id, rt.srv->o.max_request);
        worker_begin_stop();
    }
}

static zend_long reactor_id(void)
{
    return rt.srv->mode == TIDE_MODE_BASE ? rt.worker_id : 0;
}

static void ev_connect(int port, uint64_t session)
{
    cb_t *cb = port_cb(port, EV_CONNECT);
    if (!cb)
        return;
    zval args[3];
    args_fd(args, session, reactor_id());
    call_event(cb, args, 3);
    zval_ptr_dtor(&args[0]);
}

static void ev_receive(int port, uint64_t session, const char *data, size_t len)
{
    cb_t *cb = port_cb(port, EV_RECEIVE);
    if (cb) {
        zval args[4];
        args_fd(args, session, reactor_id());
        ZVAL_STRINGL_FAST(&args[3], data, len);
        call_event_req(cb, args, 4, true);
        zval_ptr_dtor(&args[0]);
        zval_ptr_dtor(&args[3]);
    } else if (rt.srv->mode == TIDE_MODE_PROCESS && rt.srv->o.dispatch_mode == 3) {
        request_done(NULL);
    }
    count_request();
}

static void inflight_forget(uint64_t session)
{
    if (rt.inflight)
        zend_hash_index_del(rt.inflight, session);
}

static void ev_close(int port, uint64_t session)
{
    inflight_forget(session);
    cb_t *cb = port_cb(port, EV_CLOSE);
    if (!cb)
        return;
    zval args[3];
    args_fd(args, session, reactor_id());
    call_event(cb, args, 3);
    zval_ptr_dtor(&args[0]);
}

static void ev_packet(int port, const pkt_addr_t *a, const char *data, size_t len)
{
    cb_t *cb = port_cb(port, EV_PACKET);
    if (cb) {
        zval args[3];
        ZVAL_COPY(&args[0], &rt.zsrv);
        ZVAL_STRINGL_FAST(&args[1], data, len);
        array_init(&args[2]);
        add_assoc_string(&args[2], "address", (char *)a->addr);
        add_assoc_long(&args[2], "port", a->remote_port);
        add_assoc_long(&args[2], "server_socket", a->server_fd);
        add_assoc_long(&args[2], "server_port", rt.srv->ports[port]->p.port);
        call_event_req(cb, args, 3, true);
        zval_ptr_dtor(&args[0]);
        zval_ptr_dtor(&args[1]);
        zval_ptr_dtor(&args[2]);
    } else if (rt.srv->mode == TIDE_MODE_PROCESS && rt.srv->o.dispatch_mode == 3) {
        request_done(NULL);
    }
    count_request();
}

static void ev_pipe(uint64_t src, const char *data, size_t len)
{
    cb_t *cb = port_cb(-1, EV_PIPE_MESSAGE);
    if (!cb)
        return;
    zval args[3];
    ZVAL_COPY(&args[0], &rt.zsrv);
    ZVAL_LONG(&args[1], (zend_long)src);
    const unsigned char *p = (const unsigned char *)data;
    php_unserialize_data_t vh;
    PHP_VAR_UNSERIALIZE_INIT(vh);
    if (!php_var_unserialize(&args[2], &p, p + len, &vh)) {
        zval_ptr_dtor(&args[2]);
        ZVAL_NULL(&args[2]);
        tide_log(TIDE_LOG_WARNING, "pipe message from worker #%llu could not be unserialized",
                 (unsigned long long)src);
    }
    PHP_VAR_UNSERIALIZE_DESTROY(vh);
    call_event(cb, args, 3);
    zval_ptr_dtor(&args[0]);
    zval_ptr_dtor(&args[2]);
}

/* Requests about connections this process owns (MODE_BASE worker, relayed). */
static void owner_request(int type, uint64_t session, uint32_t worker, const char *payload,
                          size_t len);

static void worker_on_msg(tide_link_t *l, void *udata, int type, uint64_t session,
                          uint32_t worker, const char *payload, size_t len)
{
    TIDE_UNUSED(l);
    TIDE_UNUSED(udata);
    switch (type) {
    case M_CONNECT:
        ev_connect((int)worker, session);
        break;
    case M_DATA:
        ev_receive((int)worker, session, payload, len);
        break;
    case M_CLOSE:
        ev_close((int)worker, session);
        break;
    case M_PACKET:
        if (len >= sizeof(pkt_addr_t)) {
            pkt_addr_t a;
            memcpy(&a, payload, sizeof(a));
            a.addr[sizeof(a.addr) - 1] = 0;
            ev_packet((int)worker, &a, payload + sizeof(a), len - sizeof(a));
        }
        break;
    case M_PIPE:
        ev_pipe(session, payload, len);
        break;
    case M_ACK:
        rt.link_done = true;
        tide_link_stop_reading(&rt.link);
        break;
    default:
        owner_request(type, session, worker, payload, len);
        break;
    }
}

static void worker_on_gone(tide_link_t *l, void *udata, int err)
{
    TIDE_UNUSED(l);
    TIDE_UNUSED(udata);
    TIDE_UNUSED(err);
    rt.link_done = true;
    if (!rt.stopping) {
        tide_log(TIDE_LOG_WARNING, "worker #%d lost its link to the %s; stopping", rt.worker_id,
                 rt.srv->mode == TIDE_MODE_BASE ? "manager" : "master");
        worker_begin_stop();
    }
}

/* MODE_BASE worker engine handlers: PHP directly. */
static void base_connect(void *udata, tide_conninfo_t *c)
{
    TIDE_UNUSED(udata);
    ev_connect(c->port, c->session);
}
static void base_receive(void *udata, tide_conninfo_t *c, const char *data, size_t len)
{
    TIDE_UNUSED(udata);
    c->last_dispatch_time = c->last_time;
    ev_receive(c->port, c->session, data, len);
}
static void base_close(void *udata, tide_conninfo_t *c)
{
    TIDE_UNUSED(udata);
    ev_close(c->port, c->session);
}
static void fill_pkt_addr(pkt_addr_t *a, tide_port_t *p, const struct sockaddr *addr)
{
    memset(a, 0, sizeof(*a));
    a->server_fd = p->fd;
    if (addr->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
        inet_ntop(AF_INET, &in->sin_addr, a->addr, sizeof(a->addr));
        a->remote_port = ntohs(in->sin_port);
    } else if (addr->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)addr;
        inet_ntop(AF_INET6, &in6->sin6_addr, a->addr, sizeof(a->addr));
        a->remote_port = ntohs(in6->sin6_port);
    } else if (addr->sa_family == AF_UNIX) {
        const struct sockaddr_un *un = (const struct sockaddr_un *)addr;
        snprintf(a->addr, sizeof(a->addr), "%.*s", (int)sizeof(un->sun_path), un->sun_path);
    }
}
static void base_packet(void *udata, tide_port_t *p, const struct sockaddr *addr,
                        socklen_t addrlen, const char *data, size_t len)
{
    TIDE_UNUSED(udata);
    TIDE_UNUSED(addrlen);
    pkt_addr_t a;
    fill_pkt_addr(&a, p, addr);
    ev_packet(p->index, &a, data, len);
}

/* ---- the engine's owner: requests (send, close...) from workers ---- */

/* A sendfile in progress: the owner reads the file in pieces as the socket takes them. */
static void owner_sendfile(uint64_t session, const char *payload, size_t len)
{
    if (len <= sizeof(sendfile_req_t))
        return;
    sendfile_req_t req;
    memcpy(&req, payload, sizeof(req));
    char path[PATH_MAX];
    size_t plen = len - sizeof(req) < sizeof(path) - 1 ? len - sizeof(req) : sizeof(path) - 1;
    memcpy(path, payload + sizeof(req), plen);
    path[plen] = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        tide_log(TIDE_LOG_WARNING, "sendfile to #%llu: %s: %s", (unsigned long long)session,
                 path, strerror(errno));
        return;
    }
    /* The engine reads it as the socket takes it (and closes fd). */
    if (tide_engine_sendfile(rt.engine, session, fd, (uint64_t)req.offset, (uint64_t)req.length) < 0)
        tide_log(TIDE_LOG_DEBUG, "sendfile to #%llu: the connection is gone", (unsigned long long)session);
}

static void owner_request(int type, uint64_t session, uint32_t worker, const char *payload,
                          size_t len)
{
    if (!rt.engine)
        return;
    int rc = 0;
    switch (type) {
    case M_SEND: {
        rc = tide_engine_send(rt.engine, session, payload, len);
        if (rc == TIDE_ELIMIT)
            tide_log(TIDE_LOG_WARNING,
                     "connection #%llu: output buffer full (buffer_output_size); %zu bytes dropped",
                     (unsigned long long)session, len);
        tide_conninfo_t *c = tide_conntab_find(&rt.tab, session);
        if (c)
            __atomic_add_fetch(&c->taken_bytes, (uint64_t)len, __ATOMIC_RELEASE);
        break;
    }
    case M_CLOSE_REQ:
        tide_engine_close(rt.engine, session, worker != 0);
        break;
    case M_PAUSE:
        tide_engine_pause(rt.engine, session);
        break;
    case M_RESUME:
        tide_engine_resume(rt.engine, session);
        break;
    case M_SENDFILE:
        owner_sendfile(session, payload, len);
        break;
    }
}

/* ---- master (MODE_PROCESS) ---- */

static void slot_send(int w, int type, uint64_t session, uint32_t field, const void *a,
                      size_t alen, const void *b, size_t blen)
{
    mslot_t *s = &rt.slots[w];
    if (s->cur && s->cur->state == SLOT_UP && !s->head) {
        tide_link_send2(&s->cur->l, type, session, field, a, alen, b, blen);
        return;
    }
    /* Being replaced: held for the next one. */
    pending_msg_t *m = emalloc(sizeof(*m) + alen + blen);
    m->next = NULL;
    m->type = type;
    m->session = session;
    m->worker = field;
    m->len = alen + blen;
    if (alen)
        memcpy(m->data, a, alen);
    if (blen)
        memcpy(m->data + alen, b, blen);
    if (s->tail)
        s->tail->next = m;
    else
        s->head = m;
    s->tail = m;
}

static void slot_flush(int w)
{
    mslot_t *s = &rt.slots[w];
    while (s->head && s->cur && s->cur->state == SLOT_UP) {
        pending_msg_t *m = s->head;
        s->head = m->next;
        if (!s->head)
            s->tail = NULL;
        tide_link_send(&s->cur->l, m->type, m->session, m->worker, m->data, m->len);
        efree(m);
    }
}

static void slot_drop_pending(int w)
{
    mslot_t *s = &rt.slots[w];
    while (s->head) {
        pending_msg_t *m = s->head;
        s->head = m->next;
        efree(m);
    }
    s->tail = NULL;
}

static int pick_worker(void)
{
    int n = (int)rt.srv->o.worker_num;
    /* Round robin over the workers that are up; any if none is. */
    for (int i = 0; i < n; i++) {
        int w = (int)(rt.rr++ % (uint64_t)n);
        if (rt.slots[w].cur && rt.slots[w].cur->state == SLOT_UP)
            return w;
    }
    return (int)(rt.rr++ % (uint64_t)n);
}

/* dispatch_mode 3: the worker with the fewest requests handed to it and not finished yet
 * (ties go round robin). */
static int pick_idle_worker(void)
{
    int n = (int)rt.srv->o.worker_num, best = -1;
    uint64_t best_load = UINT64_MAX;
    uint64_t *done = tide_conntab_stats(&rt.tab, 0)->worker_request;
    for (int i = 0; i < n; i++) {
        int w = (int)((rt.rr + (uint64_t)i) % (uint64_t)n);
        if (!rt.slots[w].cur || rt.slots[w].cur->state != SLOT_UP)
            continue;
        uint64_t fin = __atomic_load_n(&done[w], __ATOMIC_RELAXED);
        uint64_t load = rt.dispatched[w] > fin ? rt.dispatched[w] - fin : 0;
        if (load < best_load) {
            best_load = load;
            best = w;
        }
    }
    rt.rr++;
    return best >= 0 ? best : pick_worker();
}

static bool per_message_dispatch(void)
{
    return rt.srv->o.dispatch_mode == 1 || rt.srv->o.dispatch_mode == 3;
}

static void master_connect(void *udata, tide_conninfo_t *c)
{
    TIDE_UNUSED(udata);
    int n = (int)rt.srv->o.worker_num;
    int w;
    if (rt.srv->o.dispatch_mode == 4) {
        uint32_t h = 2166136261u;
        for (const char *p = c->remote_ip; *p; p++)
            h = (h ^ (uint8_t)*p) * 16777619u;
        w = (int)(h % (uint32_t)n);
    } else if (rt.srv->o.dispatch_mode == 2) {
        w = (int)((c->session - 1) % (uint64_t)n);
    } else {
        w = pick_worker();
    }
    c->worker = w;
    if (!per_message_dispatch())
        slot_send(w, M_CONNECT, c->session, (uint32_t)c->port, NULL, 0, NULL, 0);
}

static void master_receive(void *udata, tide_conninfo_t *c, const char *data, size_t len)
{
    TIDE_UNUSED(udata);
    int w = rt.srv->o.dispatch_mode == 3 ? pick_idle_worker()
            : per_message_dispatch()       ? pick_worker()
                                           : c->worker;
    rt.dispatched[w]++;
    c->last_dispatch_time = c->last_time;
    tide_conntab_stats(&rt.tab, 0)->dispatch_count++;
    slot_send(w, M_DATA, c->session, (uint32_t)c->port, data, len, NULL, 0);
}

static void master_close(void *udata, tide_conninfo_t *c)
{
    TIDE_UNUSED(udata);
    if (per_message_dispatch() || c->worker < 0)
        return;
    if (rt.slots[c->worker].crashed)
        return; /* its worker died with it: nobody to tell */
    slot_send(c->worker, M_CLOSE, c->session, (uint32_t)c->port, NULL, 0, NULL, 0);
}

static void master_packet(void *udata, tide_port_t *p, const struct sockaddr *addr,
                          socklen_t addrlen, const char *data, size_t len)
{
    TIDE_UNUSED(udata);
    TIDE_UNUSED(addrlen);
    pkt_addr_t a;
    fill_pkt_addr(&a, p, addr);
    int w = rt.srv->o.dispatch_mode == 3 ? pick_idle_worker() : pick_worker();
    rt.dispatched[w]++;
    slot_send(w, M_PACKET, 0, (uint32_t)p->index, &a, sizeof(a), data, len);
}

/* Relays a pipe message (master or MODE_BASE manager). */
static void hub_pipe(uint64_t src, uint32_t dst, const char *payload, size_t len)
{
    if (dst >= (uint32_t)rt.srv->o.worker_num) {
        tide_log(TIDE_LOG_WARNING, "pipe message from worker #%llu to unknown worker #%u dropped",
                 (unsigned long long)src, dst);
        return;
    }
    slot_send((int)dst, M_PIPE, src, dst, payload, len, NULL, 0);
}

static void master_shutdown_begin(void);

static void master_on_msg(tide_link_t *l, void *udata, int type, uint64_t session,
                          uint32_t worker, const char *payload, size_t len)
{
    wlink_t *wl = udata;
    switch (type) {
    case M_EXITING:
        /* It finishes what it has; what comes for its connections waits for the next. */
        wl->state = SLOT_DRAINING;
        tide_link_send(l, M_ACK, 0, 0, NULL, 0);
        break;
    case M_PIPE_REQ:
        hub_pipe(session, worker, payload, len);
        break;
    case M_SHUTDOWN:
        if (rt.manager) /* MODE_BASE: the manager is the hub */
            tide_manager_shutdown(rt.manager);
        else
            master_shutdown_begin();
        break;
    case M_RELOAD:
        if (rt.manager)
            tide_manager_reload(rt.manager);
        else if (rt.manager_pid > 0 && !rt.manager_gone)
            kill(rt.manager_pid, worker ? SIGUSR2 : SIGUSR1);
        break;
    case M_RELAY:
        if (len >= sizeof(relay_hdr_t) && worker < (uint32_t)rt.srv->o.worker_num) {
            relay_hdr_t h;
            memcpy(&h, payload, sizeof(h));
            slot_send((int)worker, h.type, session, h.field, payload + sizeof(h),
                      len - sizeof(h), NULL, 0);
        }
        break;
    default:
        owner_request(type, session, worker, payload, len);
        break;
    }
}

static void master_on_gone(tide_link_t *l, void *udata, int err)
{
    TIDE_UNUSED(l);
    TIDE_UNUSED(err);
    wlink_t *wl = udata;
    int w = wl->id;
    mslot_t *s = &rt.slots[w];
    bool crashed = wl->state == SLOT_UP && !rt.stopping;
    if (s->cur == wl) {
        s->cur = NULL;
        s->pid = 0;
    }
    tide_link_close(&wl->l);
    efree(wl);
    if (crashed && rt.engine) {
        /* Died without saying goodbye: its connections go with it. */
        tide_log(TIDE_LOG_WARNING, "worker #%d is gone; closing its connections", w);
        slot_drop_pending(w);
        s->crashed = true;
        tide_engine_close_worker(rt.engine, w);
        s->crashed = false;
    }
}

/* A new worker incarnation for slot id, on fd. */
static void slot_attach(int id, pid_t pid, int fd)
{
    mslot_t *s = &rt.slots[id];
    wlink_t *wl = ecalloc(1, sizeof(*wl));
    wl->id = id;
    wl->state = SLOT_UP;
    if (tide_link_open(&wl->l, rt.r, fd, master_on_msg, master_on_gone, wl) < 0) {
        close(fd);
        efree(wl);
        return;
    }
    /* An older incarnation still being read keeps its link until its EOF. The manager
     * replaces a worker only once it has exited, so one that never said it was stopping
     * (M_EXITING) crashed, even if the EOF of its link has not been read yet: its
     * connections go with it now, before the new one takes the slot. */
    if (s->cur && s->cur->state == SLOT_UP) {
        s->cur->state = SLOT_DRAINING;
        if (!rt.stopping && rt.engine) {
            tide_log(TIDE_LOG_WARNING, "worker #%d is gone; closing its connections", id);
            slot_drop_pending(id);
            s->crashed = true;
            tide_engine_close_worker(rt.engine, id);
            s->crashed = false;
        }
    }
    s->cur = wl;
    s->pid = pid;
    if (rt.dispatched) {
        /* What the last one never finished is not this one's load. */
        uint64_t fin = __atomic_load_n(&tide_conntab_stats(&rt.tab, 0)->worker_request[id],
                                       __ATOMIC_RELAXED);
        rt.dispatched[id] = fin;
        for (pending_msg_t *m = s->head; m; m = m->next)
            if (m->type == M_DATA || m->type == M_PACKET)
                rt.dispatched[id]++;
    }
    slot_flush(id);
}

typedef struct ctl_msg {
    int32_t id;
    int32_t pid;
} ctl_msg_t;


static void on_ctl(tide_reactor_t *r, void *udata, int fd)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(udata);
    for (;;) {
        ctl_msg_t m;
        int wfd = -1;
        ssize_t n = tide_recv_fd(fd, &wfd, &m, sizeof(m));
        if (n == -EAGAIN || n == -EWOULDBLOCK)
            return;
        if (n <= 0) {
            /* The manager is gone. */
            if (rt.ctl_watch) {
                tide_reactor_cancel(rt.r, rt.ctl_watch);
                rt.ctl_watch = NULL;
            }
            rt.manager_gone = true;
            if (!rt.stopping)
                tide_log(TIDE_LOG_ERROR, "the manager process is gone; shutting down");
            master_shutdown_begin();
            tide_reactor_stop(rt.r);
            return;
        }
        if (wfd < 0 || (size_t)n != sizeof(m) || m.id < 0 || m.id >= rt.srv->o.worker_num) {
            if (wfd >= 0)
                close(wfd);
            continue;
        }
        slot_attach(m.id, m.pid, wfd);
    }
}

static void master_shutdown_begin(void)
{
    if (rt.stopping)
        return;
    rt.stopping = true;
    if (rt.engine)
        tide_engine_stop_ports(rt.engine);
    if (rt.manager_pid > 0 && !rt.manager_gone)
        kill(rt.manager_pid, SIGTERM);
}

static void master_on_signal(tide_reactor_t *r, void *udata, int signo)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(udata);
    switch (signo) {
    case SIGTERM:
    case SIGINT:
        master_shutdown_begin();
        break;
    case SIGUSR1:
    case SIGUSR2:
        if (rt.manager_pid > 0 && !rt.manager_gone)
            kill(rt.manager_pid, signo);
        break;
    case SIGCHLD: {
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
            if (pid == rt.manager_pid)
                rt.manager_pid = -pid; /* reaped: the control socket says the rest */
        break;
    }
    }
}

/* ---- manager ---- */

static void manager_forked(void *udata, int id, pid_t pid, int fd)
{
    TIDE_UNUSED(udata);
    if (rt.srv->mode == TIDE_MODE_PROCESS) {
        ctl_msg_t m = {id, (int32_t)pid};
        if (tide_send_fd(rt.ctl_fd, fd, &m, sizeof(m)) < 0)
            tide_log(TIDE_LOG_ERROR, "cannot hand worker #%d to the master: %s", id, strerror(errno));
        close(fd);
        return;
    }
    /* MODE_BASE: the manager is the hub that relays between workers. */
    slot_attach(id, pid, fd);
}

static void manager_exited(void *udata, int id, pid_t pid, int status, bool expected)
{
    TIDE_UNUSED(udata);
    bool failed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    if (!failed && expected)
        return;
    if (!failed)
        return; /* max_request, or stop(): a normal exit */
    cb_t *cb = port_cb(-1, EV_WORKER_ERROR);
    if (!cb)
        return;
    zval args[5];
    ZVAL_COPY(&args[0], &rt.zsrv);
    ZVAL_LONG(&args[1], id);
    ZVAL_LONG(&args[2], pid);
    ZVAL_LONG(&args[3], WIFEXITED(status) ? WEXITSTATUS(status) : 0);
    ZVAL_LONG(&args[4], WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    call_direct(cb, args, 5);
    zval_ptr_dtor(&args[0]);
}

static void manager_reload_hook(void *udata, int ev)
{
    TIDE_UNUSED(udata);
    cb_t *cb = port_cb(-1, ev);
    if (!cb)
        return;
    zval args[1];
    ZVAL_COPY(&args[0], &rt.zsrv);
    call_direct(cb, args, 1);
    zval_ptr_dtor(&args[0]);
}
static void manager_reload_begin(void *udata)
{
    manager_reload_hook(udata, EV_BEFORE_RELOAD);
}
static void manager_reload_end(void *udata)
{
    manager_reload_hook(udata, EV_AFTER_RELOAD);
}

/* ---- process lifecycle ---- */

static void call_simple(int ev)
{
    cb_t *cb = port_cb(-1, ev);
    if (!cb)
        return;
    zval args[1];
    ZVAL_COPY(&args[0], &rt.zsrv);
    call_direct(cb, args, 1);
    zval_ptr_dtor(&args[0]);
}

static void call_worker_event(int ev)
{
    cb_t *cb = port_cb(-1, ev);
    if (!cb)
        return;
    zval args[2];
    ZVAL_COPY(&args[0], &rt.zsrv);
    ZVAL_LONG(&args[1], rt.worker_id);
    call_event(cb, args, 2);
    zval_ptr_dtor(&args[0]);
}

static void cancel_signals(void)
{
    for (size_t i = 0; i < sizeof(rt.sigs) / sizeof(rt.sigs[0]); i++)
        if (rt.sigs[i]) {
            tide_reactor_cancel(rt.r, rt.sigs[i]);
            rt.sigs[i] = NULL;
        }
}

static void watch_signals(const int *sigs, size_t n, tide_signal_cb cb)
{
    for (size_t i = 0; i < n && i < sizeof(rt.sigs) / sizeof(rt.sigs[0]); i++) {
        int err = 0;
        rt.sigs[i] = tide_reactor_signal(rt.r, sigs[i], cb, NULL, &err);
        if (rt.sigs[i])
            tide_reactor_unref(rt.r, rt.sigs[i]);
    }
}

static void free_slots(void)
{
    if (!rt.slots)
        return;
    for (int i = 0; i < rt.srv->o.worker_num; i++) {
        if (rt.slots[i].cur) {
            tide_link_close(&rt.slots[i].cur->l);
            efree(rt.slots[i].cur);
            rt.slots[i].cur = NULL;
        }
        slot_drop_pending(i);
    }
    efree(rt.slots);
    rt.slots = NULL;
}

/* In a freshly forked child: drops the parent's state without touching its reactor. */
static void forget_parent_state(int keep_fd)
{
    if (rt.slots) {
        for (int i = 0; i < rt.srv->o.worker_num; i++) {
            if (rt.slots[i].cur) {
                tide_link_forget(&rt.slots[i].cur->l);
                efree(rt.slots[i].cur);
            }
            slot_drop_pending(i);
        }
        efree(rt.slots);
        rt.slots = NULL;
    }
    if (rt.manager) {
        tide_manager_destroy(rt.manager);
        rt.manager = NULL;
    }
    if (rt.ctl_fd >= 0 && rt.ctl_fd != keep_fd)
        close(rt.ctl_fd);
    rt.ctl_fd = -1;
    rt.ctl_watch = NULL;
    memset(rt.sigs, 0, sizeof(rt.sigs));
    rt.engine = NULL;
}

static void worker_on_signal(tide_reactor_t *r, void *udata, int signo)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(udata);
    TIDE_UNUSED(signo);
    worker_begin_stop();
}

static void worker_begin_stop(void)
{
    if (rt.stopping)
        return;
    rt.stopping = true;
    if (rt.srv->mode == TIDE_MODE_PROCESS) {
        if (!rt.link_done && tide_link_send(&rt.link, M_EXITING, 0, (uint32_t)rt.worker_id, NULL, 0) < 0) {
            rt.link_done = true;
            tide_link_stop_reading(&rt.link);
        }
    } else {
        if (rt.engine) {
            tide_engine_stop_ports(rt.engine);
            tide_engine_pause_all(rt.engine);
        }
        for (int i = 0; i < MAX_PORTS; i++)
            if (rt.listen_fds[i] > 0) {
                close(rt.listen_fds[i]);
                rt.listen_fds[i] = 0;
                rt.srv->ports[i]->p.fd = -1;
            }
        /* Relays to this worker are no longer read; the manager sees it leave. */
        tide_link_stop_reading(&rt.link);
        rt.link_done = true;
    }
    call_worker_event(EV_WORKER_EXIT);
    php_tide_timer_clear_all();
}

/* Drops privileges as the user/group settings ask (workers only). */
static bool switch_user(void)
{
    srv_opts_t *o = &rt.srv->o;
    if (o->group) {
        struct group *g = getgrnam(ZSTR_VAL(o->group));
        if (!g || setgid(g->gr_gid) < 0) {
            tide_log(TIDE_LOG_ERROR, "group '%s': %s", ZSTR_VAL(o->group), g ? strerror(errno) : "no such group");
            return false;
        }
    }
    if (o->user) {
        struct passwd *pw = getpwnam(ZSTR_VAL(o->user));
        if (!pw || (!o->group && setgid(pw->pw_gid) < 0) ||
            initgroups(pw->pw_name, o->group ? getgid() : pw->pw_gid) < 0 ||
            setuid(pw->pw_uid) < 0) {
            tide_log(TIDE_LOG_ERROR, "user '%s': %s", ZSTR_VAL(o->user), pw ? strerror(errno) : "no such user");
            return false;
        }
    }
    return true;
}

/* Runs the loop (scheduler included) until nothing is left; a fatal error propagates. */
static void run_loop(void)
{
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
}

static int worker_main(int id, int fd)
{
    php_tide_server_t *srv = rt.srv;
    rt.role = ROLE_WORKER;
    rt.worker_id = id;
    rt.stopping = false;
    rt.link_done = false;
    rt.requests = 0;
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    /* The manager's signals stay blocked for the worker's own signalfd; the others are
     * unblocked again. */
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, SIGCHLD);
    sigaddset(&unblock, SIGUSR1);
    sigaddset(&unblock, SIGUSR2);
    pthread_sigmask(SIG_UNBLOCK, &unblock, NULL);
    prop_long(&srv->std, "worker_id", id);
    prop_long(&srv->std, "worker_pid", getpid());
    /* Paths the parent resolved (/proc/self ...) are not this process's. */
    realpath_cache_clean();
    if (geteuid() == 0 && !switch_user())
        return 1;

    rt.r = php_tide_reactor();
    if (!rt.r || !php_tide_sched())
        return 1;
    php_tide_coro_set_uncaught_handler(on_uncaught);
    if (tide_link_open(&rt.link, rt.r, fd, worker_on_msg, worker_on_gone, NULL) < 0) {
        tide_log(TIDE_LOG_ERROR, "worker #%d: cannot read its link", id);
        return 1;
    }
    static const int sigs[] = {SIGTERM, SIGINT};
    watch_signals(sigs, 2, worker_on_signal);

    if (srv->mode == TIDE_MODE_BASE) {
        tide_engine_opts_t eo = {
            .max_connection = (uint32_t)srv->o.max_connection,
            .heartbeat_check_ms = (uint64_t)srv->o.heartbeat_check_interval * 1000,
            .heartbeat_idle_ms = (uint64_t)srv->o.heartbeat_idle_time * 1000,
        };
        tide_engine_handlers_t h = {base_connect, base_receive, base_close, base_packet};
        /* Connections a crashed predecessor left in this worker's part of the table died
         * with it. */
        size_t left = tide_conntab_reset_part(&rt.tab, (unsigned)id);
        if (left)
            tide_log(TIDE_LOG_INFO, "worker #%d: %zu connection(s) of the previous worker #%d are gone",
                     id, left, id);
        rt.engine = tide_engine_create(rt.r, &rt.tab, (unsigned)id, &eo, &h, NULL);
        for (int i = 0; i < srv->nports; i++) {
            tide_port_t *p = &srv->ports[i]->p;
            if (p->type == TIDE_SOCK_TCP || p->type == TIDE_SOCK_TCP6) {
                char why[256];
                zval eff;
                port_effective(srv->ports[i], &eff);
                zend_long backlog = 512;
                zval *b = zend_hash_str_find(Z_ARRVAL(eff), "backlog", 7);
                if (b)
                    backlog = zval_get_long(b);
                zval_ptr_dtor(&eff);
                int lfd = tide_sock_listen(p->type, p->host, p->port, (int)backlog, true, true,
                                           why, sizeof(why));
                if (lfd < 0) {
                    tide_log(TIDE_LOG_ERROR, "worker #%d: %s", id, why);
                    return 1;
                }
                close(p->fd); /* the manager's reservation */
                p->fd = lfd;
                rt.listen_fds[i] = lfd;
            }
            int rc = tide_engine_add_port(rt.engine, p);
            if (rc < 0) {
                tide_log(TIDE_LOG_ERROR, "worker #%d: port %d: %s", id, p->port, tide_strerror(rc));
                return 1;
            }
        }
    }

    call_worker_event(EV_WORKER_START);
    run_loop();
    if (!rt.stopping) {
        /* exit() in a callback: the worker dies with requests unanswered. No goodbye
         * (M_EXITING), so that the master closes its connections as a crashed worker's. */
        if (TIDE_G(coro_exit) || EG(exception)) {
            rt.link_done = true;
            tide_link_stop_reading(&rt.link);
        }
        worker_begin_stop(); /* exit() in a callback, or nothing left to serve */
    }
    if (rt.engine) {
        tide_engine_close_all(rt.engine);
        run_loop();
    }
    call_worker_event(EV_WORKER_STOP);
    run_loop();
    /* A second SIGTERM (the manager's, after a terminal's or a process group's) must not
     * kill the worker with the default action once its signalfd is gone. */
    signal(SIGTERM, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    cancel_signals();
    if (rt.engine) {
        tide_engine_destroy(rt.engine);
        rt.engine = NULL;
    }
    tide_link_close(&rt.link);
    if (rt.inflight) {
        zend_hash_destroy(rt.inflight);
        FREE_HASHTABLE(rt.inflight);
        rt.inflight = NULL;
    }
    php_tide_coro_set_uncaught_handler(NULL);
    return 0;
}

static int manager_main(void)
{
    php_tide_server_t *srv = rt.srv;
    rt.r = php_tide_reactor();
    if (!rt.r)
        return 1;
    if (srv->mode == TIDE_MODE_PROCESS) {
        rt.role = ROLE_MANAGER;
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        /* The master accepts; the manager and its workers keep only the datagram sockets
         * (workers answer datagrams with sendto() on them). */
        for (int i = 0; i < srv->nports; i++) {
            tide_port_t *p = &srv->ports[i]->p;
            if (!tide_sock_is_dgram(p->type) && p->fd >= 0) {
                close(p->fd);
                p->fd = -1;
            }
        }
        call_simple(EV_MANAGER_START);
    } else {
        rt.slots = ecalloc((size_t)srv->o.worker_num, sizeof(mslot_t));
        call_simple(EV_START);
        call_simple(EV_MANAGER_START);
    }
    tide_manager_opts_t mo = {
        .worker_num = (int)srv->o.worker_num,
        .max_wait_ms = (uint64_t)(srv->o.max_wait_time * 1000),
    };
    tide_manager_hooks_t mh = {manager_forked, manager_exited, manager_reload_begin,
                               manager_reload_end};
    rt.manager = tide_manager_create(rt.r, &mo, &mh, NULL, rt.tab.pids);
    int fd = -1;
    int id = tide_manager_run(rt.manager, &fd);
    if (id >= 0) {
        /* A worker: what the manager had is not ours. */
        forget_parent_state(fd);
        return worker_main(id, fd) ? 1 : 0;
    }
    call_simple(EV_MANAGER_STOP);
    tide_manager_destroy(rt.manager);
    rt.manager = NULL;
    free_slots();
    return 0;
}

static int master_main(void)
{
    php_tide_server_t *srv = rt.srv;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
        zend_throw_exception_ex(php_tide_exception_ce, errno, "socketpair: %s", strerror(errno));
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(sv[0]);
        close(sv[1]);
        zend_throw_exception_ex(php_tide_exception_ce, errno, "fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        close(sv[0]);
        rt.ctl_fd = sv[1];
        rt.tab.pids->manager = getpid();
        prop_long(&srv->std, "manager_pid", getpid());
        return manager_main() ? 1 : 0;
    }
    close(sv[1]);
    rt.ctl_fd = sv[0];
    rt.manager_pid = pid;
    rt.tab.pids->manager = pid;
    prop_long(&srv->std, "manager_pid", pid);
    fcntl(rt.ctl_fd, F_SETFL, fcntl(rt.ctl_fd, F_GETFL) | O_NONBLOCK);

    rt.r = php_tide_reactor();
    if (!rt.r)
        return -1;
    rt.slots = ecalloc((size_t)srv->o.worker_num, sizeof(mslot_t));
    rt.dispatched = ecalloc((size_t)srv->o.worker_num, sizeof(uint64_t));
    tide_engine_opts_t eo = {
        .max_connection = (uint32_t)srv->o.max_connection,
        .heartbeat_check_ms = (uint64_t)srv->o.heartbeat_check_interval * 1000,
        .heartbeat_idle_ms = (uint64_t)srv->o.heartbeat_idle_time * 1000,
    };
    tide_engine_handlers_t h = {master_connect, master_receive, master_close, master_packet};
    rt.engine = tide_engine_create(rt.r, &rt.tab, 0, &eo, &h, NULL);
    for (int i = 0; i < srv->nports; i++) {
        int rc = tide_engine_add_port(rt.engine, &srv->ports[i]->p);
        if (rc < 0)
            tide_log(TIDE_LOG_ERROR, "port %d: %s", srv->ports[i]->p.port, tide_strerror(rc));
    }
    int err = 0;
    rt.ctl_watch = tide_reactor_poll(rt.r, rt.ctl_fd, on_ctl, NULL, &err);
    static const int sigs[] = {SIGTERM, SIGINT, SIGUSR1, SIGUSR2, SIGCHLD};
    watch_signals(sigs, 5, master_on_signal);
    call_simple(EV_START);

    while (!rt.manager_gone) {
        int rc = tide_reactor_run(rt.r, TIDE_RUN_ONCE);
        if (rc < 0 && rc != -EINTR) {
            tide_log(TIDE_LOG_ERROR, "master loop: %s", tide_strerror(rc));
            break;
        }
    }
    /* Every worker has left: close what is left, give the closes a moment to flush. */
    tide_engine_close_all(rt.engine);
    uint64_t deadline = tide_time_ns() + 1000000000ull;
    while (tide_engine_connections(rt.engine) && tide_time_ns() < deadline)
        if (tide_reactor_run(rt.r, TIDE_RUN_ONCE) < 0)
            break;
    if (rt.ctl_watch)
        tide_reactor_cancel(rt.r, rt.ctl_watch);
    rt.ctl_watch = NULL;
    close(rt.ctl_fd);
    rt.ctl_fd = -1;
    if (rt.manager_pid > 0) {
        int status;
        waitpid(rt.manager_pid, &status, 0);
    }
    cancel_signals();
    free_slots();
    efree(rt.dispatched);
    rt.dispatched = NULL;
    tide_engine_destroy(rt.engine);
    rt.engine = NULL;
    tide_reactor_run(rt.r, TIDE_RUN_NOWAIT);
    return 0;
}

/* daemonize: the caller's process exits, the server goes on in a grandchild. */
static bool daemonize(bool *parent)
{
    *parent = false;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid > 0) {
        int status;
        waitpid(pid, &status, 0);
        *parent = true;
        return true;
    }
    setsid();
    pid = fork();
    if (pid < 0)
        _exit(1);
    if (pid > 0)
        _exit(0);
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, 0);
        dup2(rt.log_fd >= 0 ? rt.log_fd : null, 1);
        dup2(rt.log_fd >= 0 ? rt.log_fd : null, 2);
        close(null);
    }
    return true;
}

static void leave_process(int status)
{
    /* Forked processes never return into the script: unwind it as exit() does (exit() in
     * a callback already did, with its own status). */
    if (EG(exception))
        return;
    if (php_tide_coro_rethrow())
        return;
    EG(exit_status) = status;
    zend_throw_unwind_exit();
}

ZEND_METHOD(Tide_Server, start)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_server_t *srv = THIS_SERVER();
    if (srv->state != 0) {
        zend_throw_exception(php_tide_exception_ce, "Tide\\Server::start(): the server was already started", 0);
        RETURN_THROWS();
    }
    if (rt.srv) {
        zend_throw_exception(php_tide_exception_ce,
                             "Tide\\Server::start(): another server runs in this process", 0);
        RETURN_THROWS();
    }
    if (TIDE_G(in_loop) || (TIDE_G(sched) && !tide_coro_is_main(tide_coro_current(TIDE_G(sched))))) {
        zend_throw_exception(php_tide_exception_ce,
                             "Tide\\Server::start() cannot be called from a coroutine or inside "
                             "the event loop",
                             0);
        RETURN_THROWS();
    }
    if (!parse_server(Z_ARRVAL(srv->setting_all), &srv->o))
        RETURN_THROWS();
    for (int i = 0; i < srv->nports; i++) {
        php_tide_port_t *port = srv->ports[i];
        zval eff;
        port_effective(port, &eff);
        bool ok = parse_port(Z_ARRVAL(eff), &port->p);
        zval *backlog = ok ? zend_hash_str_find(Z_ARRVAL(eff), "backlog", sizeof("backlog") - 1) : NULL;
        /* The socket listens since the constructor or listen() (with 512): give it the
         * backlog it was set (MODE_BASE TCP workers listen on sockets of their own). */
        bool base_tcp = srv->mode == TIDE_MODE_BASE &&
                        (port->p.type == TIDE_SOCK_TCP || port->p.type == TIDE_SOCK_TCP6);
        if (backlog && !base_tcp && !tide_sock_is_dgram(port->p.type) &&
            listen(port->p.fd, (int)zval_get_long(backlog)) < 0)
            tide_log(TIDE_LOG_WARNING, "port %d: listen: %s", port->p.port, strerror(errno));
        zval_ptr_dtor(&eff);
        if (!ok)
            RETURN_THROWS();
        bool dgram = tide_sock_is_dgram(port->p.type);
        if (dgram && !cb_isset(&srv->cb[EV_PACKET]) && !cb_isset(&port->cb[EV_PACKET])) {
            zend_throw_exception_ex(php_tide_exception_ce, 0,
                                    "Tide\\Server::start(): port %s:%d is a datagram socket and "
                                    "needs a 'packet' callback",
                                    port->p.host, port->p.port);
            RETURN_THROWS();
        }
        if (!dgram && !cb_isset(&srv->cb[EV_RECEIVE]) && !cb_isset(&port->cb[EV_RECEIVE])) {
            zend_throw_exception_ex(php_tide_exception_ce, 0,
                                    "Tide\\Server::start(): port %s:%d needs a 'receive' callback",
                                    port->p.host, port->p.port);
            RETURN_THROWS();
        }
    }
    zval *backend = zend_hash_str_find(Z_ARRVAL(srv->setting_all), "reactor_backend", 15);
    if (backend && !getenv("TIDE_REACTOR"))
        setenv("TIDE_REACTOR", Z_STRVAL_P(backend), 1);
    zval *stack = zend_hash_str_find(Z_ARRVAL(srv->setting_all), "coroutine_stack_size", 20);
    if (stack)
        TIDE_G(stack_size) = zval_get_long(stack);
    zval *maxco = zend_hash_str_find(Z_ARRVAL(srv->setting_all), "max_coroutine", 13);
    if (maxco)
        TIDE_G(max_coroutine) = zval_get_long(maxco);

    if (srv->o.log_file) {
        rt.log_fd = open(ZSTR_VAL(srv->o.log_file), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (rt.log_fd < 0) {
            zend_throw_exception_ex(php_tide_exception_ce, errno, "Setting 'log_file': %s: %s",
                                    ZSTR_VAL(srv->o.log_file), strerror(errno));
            RETURN_THROWS();
        }
    }
    int rc = tide_conntab_create(&rt.tab, srv->mode == TIDE_MODE_BASE ? (unsigned)srv->o.worker_num : 1,
                                 (uint32_t)srv->o.max_connection, (unsigned)srv->o.worker_num);
    if (rc < 0) {
        zend_throw_exception_ex(php_tide_exception_ce, -rc, "Cannot map the connection table: %s",
                                strerror(-rc));
        if (rt.log_fd >= 0)
            close(rt.log_fd);
        rt.log_fd = -1;
        RETURN_THROWS();
    }
    srv->state = 1;
    rt.srv = srv;
    ZVAL_OBJ_COPY(&rt.zsrv, &srv->std);
    rt.role = ROLE_MASTER;
    tide_log_set_sink(log_sink, NULL);
    tide_log_set_level((int)srv->o.log_level);

    if (srv->o.daemonize) {
        bool parent;
        if (!daemonize(&parent)) {
            zend_throw_exception_ex(php_tide_exception_ce, errno, "daemonize: %s", strerror(errno));
            RETURN_THROWS();
        }
        if (parent) {
            /* The caller's process: the daemon runs on without it (and owns the ports). */
            for (int i = 0; i < srv->nports; i++)
                srv->ports[i]->owner = 0;
            leave_process(0);
            RETURN_THROWS();
        }
    }
    rt.tab.pids->master = getpid();
    prop_long(&srv->std, "master_pid", getpid());
    if (srv->mode == TIDE_MODE_BASE) {
        rt.tab.pids->manager = getpid();
        prop_long(&srv->std, "manager_pid", getpid());
    }
    if (srv->o.pid_file) {
        FILE *f = fopen(ZSTR_VAL(srv->o.pid_file), "w");
        if (f) {
            fprintf(f, "%d\n", (int)getpid());
            fclose(f);
        } else {
            tide_log(TIDE_LOG_WARNING, "pid_file %s: %s", ZSTR_VAL(srv->o.pid_file), strerror(errno));
        }
    }
    pid_t master = getpid();

    int status = srv->mode == TIDE_MODE_PROCESS ? master_main() : manager_main();
    if (getpid() != master) {
        /* A manager or worker process: it ends here. */
        leave_process(status);
        RETURN_THROWS();
    }
    call_simple(EV_SHUTDOWN);
    if (srv->o.pid_file)
        unlink(ZSTR_VAL(srv->o.pid_file));
    for (int i = 0; i < srv->nports; i++) {
        tide_port_t *p = &srv->ports[i]->p;
        if (p->fd >= 0) {
            close(p->fd);
            if (p->type == TIDE_SOCK_UNIX_STREAM || p->type == TIDE_SOCK_UNIX_DGRAM)
                unlink(p->host);
            p->fd = -1;
        }
    }
    srv->state = 2;
    if (status < 0)
        RETURN_THROWS();
    RETURN_TRUE;
}

/* ---- methods that work while the server runs ---- */

static bool running(const char *method)
{
    if (rt.srv && rt.tab.mem)
        return true;
    php_error_docref(NULL, E_WARNING, "the server is not running");
    TIDE_UNUSED(method);
    return false;
}

static tide_conninfo_t *live_conn(zend_long fd)
{
    if (fd <= 0)
        return NULL;
    tide_conninfo_t *c = tide_conntab_find(&rt.tab, (uint64_t)fd);
    return c && !(c->flags & TIDE_CONN_CLOSING) ? c : NULL;
}

/* Whether a send to this connection from here goes over a link (and is in flight until
 * the owner handles it), rather than straight into this process's engine. */
static bool send_over_link(uint64_t session)
{
    if (rt.role != ROLE_WORKER)
        return false;
    return rt.srv->mode == TIDE_MODE_PROCESS ||
           (int)tide_conntab_part(&rt.tab, session) != rt.worker_id;
}

/* Bytes this worker sent to c that its owner has not handled yet. */
static uint64_t inflight_bytes(const tide_conninfo_t *c, uint64_t session)
{
    zval *z = rt.inflight ? zend_hash_index_find(rt.inflight, session) : NULL;
    if (!z)
        return 0;
    uint64_t until = (uint64_t)Z_LVAL_P(z);
    uint64_t taken = __atomic_load_n(&c->taken_bytes, __ATOMIC_ACQUIRE);
    if (taken >= until) {
        zend_hash_index_del(rt.inflight, session);
        return 0;
    }
    return until - taken;
}

static void inflight_add(const tide_conninfo_t *c, uint64_t session, size_t len)
{
    if (!rt.inflight) {
        ALLOC_HASHTABLE(rt.inflight);
        zend_hash_init(rt.inflight, 8, NULL, NULL, 0);
    }
    zval *z = zend_hash_index_find(rt.inflight, session);
    if (z) {
        Z_LVAL_P(z) += (zend_long)len;
    } else {
        zval v;
        ZVAL_LONG(&v, (zend_long)(__atomic_load_n(&c->taken_bytes, __ATOMIC_ACQUIRE) + len));
        zend_hash_index_add_new(rt.inflight, session, &v);
    }
}

/* owner_request() with the payload in two pieces, in this process. */
static void owner_request_parts(int type, uint64_t session, uint32_t field, const void *a,
                                size_t alen, const void *b, size_t blen)
{
    char *buf = emalloc(alen + blen + 1);
    if (alen)
        memcpy(buf, a, alen);
    if (blen)
        memcpy(buf + alen, b, blen);
    owner_request(type, session, field, buf, alen + blen);
    efree(buf);
}

/* Sends a request about connection fd to whoever owns it. */
static int to_owner(int type, uint64_t session, uint32_t field, const void *a, size_t alen,
                    const void *b, size_t blen)
{
    if (rt.srv->mode == TIDE_MODE_BASE) {
        unsigned owner = tide_conntab_part(&rt.tab, session);
        if (rt.role == ROLE_WORKER && (int)owner == rt.worker_id) {
            /* Ours: straight to the engine. */
            switch (type) {
            case M_SEND: {
                /* a and b together (sendfile passes them separately) */
                if (!blen)
                    return tide_engine_send(rt.engine, session, a, alen);
                int rc = tide_engine_send(rt.engine, session, a, alen);
                return rc < 0 ? rc : tide_engine_send(rt.engine, session, b, blen);
            }
            case M_CLOSE_REQ:
                return tide_engine_close(rt.engine, session, field != 0);
            case M_PAUSE:
                return tide_engine_pause(rt.engine, session);
            case M_RESUME:
                return tide_engine_resume(rt.engine, session);
            default:
                owner_request_parts(type, session, field, a, alen, b, blen);
                return 0;
            }
        }
        if (rt.role == ROLE_WORKER) {
            /* Another worker's: the manager relays it. */
            relay_hdr_t h = {type, field};
            size_t n = sizeof(h) + alen + blen;
            char *buf = emalloc(n);
            memcpy(buf, &h, sizeof(h));
            if (alen)
                memcpy(buf + sizeof(h), a, alen);
            if (blen)
                memcpy(buf + sizeof(h) + alen, b, blen);
            int rc = tide_link_send(&rt.link, M_RELAY, session, owner, buf, n);
            efree(buf);
            return rc;
        }
        return TIDE_ECLOSED;
    }
    if (rt.role == ROLE_WORKER)
        return tide_link_send2(&rt.link, type, session, field, a, alen, b, blen);
    if (rt.role == ROLE_MASTER && rt.engine) {
        owner_request_parts(type, session, field, a, alen, b, blen);
        return 0;
    }
    return TIDE_ECLOSED;
}

ZEND_METHOD(Tide_Server, send)
{
    zend_long fd;
    zend_string *data;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_LONG(fd)
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();
    if (!running("send"))
        RETURN_FALSE;
    tide_conninfo_t *c = live_conn(fd);
    if (!c) {
        inflight_forget((uint64_t)fd);
        php_error_docref(NULL, E_WARNING, "connection #" ZEND_LONG_FMT " does not exist", fd);
        RETURN_FALSE;
    }
    php_tide_port_t *port = c->port >= 0 && c->port < rt.srv->nports ? rt.srv->ports[c->port] : NULL;
    size_t limit = port && port->p.buffer_output_size ? port->p.buffer_output_size : (2u << 20);
    /* What the owner has queued, and what this worker sent that has not reached it yet
     * (in this worker's link or the socket): the owner would drop what does not fit.
     * In flight first: the owner adds to out_bytes before it counts the bytes taken. */
    bool linked = send_over_link((uint64_t)fd);
    uint64_t inflight = linked ? inflight_bytes(c, (uint64_t)fd) : 0;
    uint64_t queued = __atomic_load_n(&c->out_bytes, __ATOMIC_RELAXED) + inflight;
    if (queued + ZSTR_LEN(data) > limit) {
        php_error_docref(NULL, E_WARNING,
                         "connection #" ZEND_LONG_FMT
                         ": output buffer full (%llu bytes queued, buffer_output_size is %zu)",
                         fd, (unsigned long long)queued, limit);
        RETURN_FALSE;
    }
    if (ZSTR_LEN(data) == 0)
        RETURN_TRUE;
    int rc = to_owner(M_SEND, (uint64_t)fd, 0, ZSTR_VAL(data), ZSTR_LEN(data), NULL, 0);
    if (rc == 0 && linked)
        inflight_add(c, (uint64_t)fd, ZSTR_LEN(data));
    if (rc < 0) {
        php_error_docref(NULL, E_WARNING, "connection #" ZEND_LONG_FMT ": %s",
                         fd, rc == TIDE_ELIMIT ? "output buffer full" : tide_strerror(rc));
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Server, sendfile)
{
    zend_long fd, offset = 0, length = 0;
    zend_string *file;
    ZEND_PARSE_PARAMETERS_START(2, 4)
        Z_PARAM_LONG(fd)
        Z_PARAM_PATH_STR(file)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(offset)
        Z_PARAM_LONG(length)
    ZEND_PARSE_PARAMETERS_END();
    if (!running("sendfile"))
        RETURN_FALSE;
    if (!live_conn(fd)) {
        php_error_docref(NULL, E_WARNING, "connection #" ZEND_LONG_FMT " does not exist", fd);
        RETURN_FALSE;
    }
    char path[PATH_MAX];
    struct stat st;
    if (!realpath(ZSTR_VAL(file), path) || stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
        php_error_docref(NULL, E_WARNING, "%s: %s", ZSTR_VAL(file),
                         errno ? strerror(errno) : "not a regular file");
        RETURN_FALSE;
    }
    if (offset < 0 || length < 0 || offset > st.st_size) {
        zend_value_error("Tide\\Server::sendfile(): offset " ZEND_LONG_FMT " / length " ZEND_LONG_FMT
                         " do not fit in %s (%lld bytes)",
                         offset, length, ZSTR_VAL(file), (long long)st.st_size);
        RETURN_THROWS();
    }
    if (length == 0 || offset + length > st.st_size)
        length = st.st_size - offset;
    if (length == 0)
        RETURN_TRUE;
    sendfile_req_t req = {offset, length};
    int rc = to_owner(M_SENDFILE, (uint64_t)fd, 0, &req, sizeof(req), path, strlen(path));
    RETURN_BOOL(rc >= 0);
}

static void fd_request(INTERNAL_FUNCTION_PARAMETERS, int type, const char *method)
{
    zend_long fd;
    bool reset = false;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_LONG(fd)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(reset)
    ZEND_PARSE_PARAMETERS_END();
    if (!running(method))
        RETURN_FALSE;
    tide_conninfo_t *c = live_conn(fd);
    if (!c) {
        php_error_docref(NULL, E_WARNING, "connection #" ZEND_LONG_FMT " does not exist", fd);
        RETURN_FALSE;
    }
    if (type == M_PAUSE && (c->flags & TIDE_CONN_PAUSED))
        RETURN_FALSE;
    if (type == M_RESUME && !(c->flags & TIDE_CONN_PAUSED))
        RETURN_FALSE;
    if (type == M_CLOSE_REQ)
        c->flags |= TIDE_CONN_CLOSING; /* exists() is false from now on */
    else if (type == M_PAUSE)
        c->flags |= TIDE_CONN_PAUSED;
    RETURN_BOOL(to_owner(type, (uint64_t)fd, reset, NULL, 0, NULL, 0) >= 0);
}

ZEND_METHOD(Tide_Server, close)
{
    fd_request(INTERNAL_FUNCTION_PARAM_PASSTHRU, M_CLOSE_REQ, "close");
}

ZEND_METHOD(Tide_Server, pause)
{
    fd_request(INTERNAL_FUNCTION_PARAM_PASSTHRU, M_PAUSE, "pause");
}

ZEND_METHOD(Tide_Server, resume)
{
    fd_request(INTERNAL_FUNCTION_PARAM_PASSTHRU, M_RESUME, "resume");
}

ZEND_METHOD(Tide_Server, exists)
{
    zend_long fd;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(fd)
    ZEND_PARSE_PARAMETERS_END();
    RETURN_BOOL(rt.srv && rt.tab.mem && live_conn(fd));
}

static void conn_array(zval *out, const tide_conninfo_t *c)
{
    array_init(out);
    php_tide_port_t *port = c->port >= 0 && c->port < rt.srv->nports ? rt.srv->ports[c->port] : NULL;
    add_assoc_long(out, "server_port", port ? port->p.port : 0);
    add_assoc_long(out, "server_fd", port ? port->server_fd : -1);
    add_assoc_long(out, "socket_fd", c->fd);
    add_assoc_long(out, "socket_type", port ? port->p.type : 0);
    add_assoc_long(out, "remote_port", c->remote_port);
    add_assoc_string(out, "remote_ip", (char *)c->remote_ip);
    add_assoc_long(out, "reactor_id", rt.srv->mode == TIDE_MODE_BASE ? (zend_long)tide_conntab_part(&rt.tab, c->session) : 0);
    add_assoc_long(out, "connect_time", (zend_long)c->connect_time);
    add_assoc_long(out, "last_time", (zend_long)c->last_time);
    add_assoc_long(out, "last_recv_time", (zend_long)c->last_time);
    add_assoc_long(out, "last_dispatch_time", (zend_long)c->last_dispatch_time);
    add_assoc_long(out, "close_errno", 0);
    add_assoc_long(out, "worker_id", rt.srv->mode == TIDE_MODE_BASE ? (zend_long)tide_conntab_part(&rt.tab, c->session) : c->worker);
    add_assoc_long(out, "recv_bytes", (zend_long)c->recv_bytes);
    add_assoc_long(out, "sent_bytes", (zend_long)c->sent_bytes);
    add_assoc_long(out, "out_buffer_bytes", (zend_long)c->out_bytes);
    add_assoc_bool(out, "paused", (c->flags & TIDE_CONN_PAUSED) != 0);
}

ZEND_METHOD(Tide_Server, getClientInfo)
{
    zend_long fd;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(fd)
    ZEND_PARSE_PARAMETERS_END();
    if (!rt.srv || !rt.tab.mem)
        RETURN_FALSE;
    tide_conninfo_t *c = live_conn(fd);
    if (!c)
        RETURN_FALSE;
    tide_conninfo_t copy = *c;
    if (copy.session != (uint64_t)fd)
        RETURN_FALSE;
    conn_array(return_value, &copy);
}

typedef struct list_arg {
    zval *out;
    zend_long left;
} list_arg_t;

static bool list_one(const tide_conninfo_t *c, void *arg)
{
    list_arg_t *a = arg;
    if (c->flags & TIDE_CONN_CLOSING)
        return true;
    add_next_index_long(a->out, (zend_long)c->session);
    return --a->left > 0;
}

ZEND_METHOD(Tide_Server, getClientList)
{
    zend_long start = 0, count = 10;
    ZEND_PARSE_PARAMETERS_START(0, 2)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(start)
        Z_PARAM_LONG(count)
    ZEND_PARSE_PARAMETERS_END();
    if (count <= 0 || count > 100) {
        zend_argument_value_error(2, "must be between 1 and 100");
        RETURN_THROWS();
    }
    if (!rt.srv || !rt.tab.mem)
        RETURN_FALSE;
    array_init(return_value);
    list_arg_t a = {return_value, count};
    tide_conntab_each(&rt.tab, start > 0 ? (uint64_t)start : 0, list_one, &a);
}

ZEND_METHOD(Tide_Server, stats)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_server_t *srv = THIS_SERVER();
    array_init(return_value);
    if (!rt.tab.mem) {
        add_assoc_long(return_value, "start_time", 0);
        add_assoc_long(return_value, "connection_num", 0);
        return;
    }
    tide_conntab_stats_t s;
    uint64_t *per = ecalloc(rt.tab.workers ? rt.tab.workers : 1, sizeof(uint64_t));
    tide_conntab_sum(&rt.tab, &s, per);
    add_assoc_long(return_value, "start_time", (zend_long)s.start_time);
    add_assoc_long(return_value, "connection_num", (zend_long)s.connection_num);
    add_assoc_long(return_value, "abort_count", 0);
    add_assoc_long(return_value, "accept_count", (zend_long)s.accept_count);
    add_assoc_long(return_value, "close_count", (zend_long)s.close_count);
    add_assoc_long(return_value, "worker_num", srv->o.worker_num);
    add_assoc_long(return_value, "task_worker_num", 0);
    add_assoc_long(return_value, "idle_worker_num", 0);
    add_assoc_long(return_value, "tasking_num", 0);
    add_assoc_long(return_value, "request_count", (zend_long)s.request_count);
    add_assoc_long(return_value, "dispatch_count", (zend_long)s.dispatch_count);
    if (rt.role == ROLE_WORKER) {
        add_assoc_long(return_value, "worker_request_count", (zend_long)rt.requests);
        add_assoc_long(return_value, "worker_id", rt.worker_id);
    }
    if (TIDE_G(sched)) {
        tide_sched_stats_t cs;
        tide_sched_stats(TIDE_G(sched), &cs);
        add_assoc_long(return_value, "coroutine_num", (zend_long)cs.coroutine_num);
        add_assoc_long(return_value, "coroutine_peak_num", (zend_long)cs.coroutine_peak_num);
    }
    efree(per);
}

ZEND_METHOD(Tide_Server, sendto)
{
    zend_string *ip, *data;
    zend_long port, server_socket = -1;
    ZEND_PARSE_PARAMETERS_START(3, 4)
        Z_PARAM_STR(ip)
        Z_PARAM_LONG(port)
        Z_PARAM_STR(data)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(server_socket)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = THIS_SERVER();
    int want = strchr(ZSTR_VAL(ip), '/') ? TIDE_SOCK_UNIX_DGRAM
               : strchr(ZSTR_VAL(ip), ':') ? TIDE_SOCK_UDP6 : TIDE_SOCK_UDP;
    tide_port_t *p = NULL;
    for (int i = 0; i < srv->nports && !p; i++) {
        tide_port_t *q = &srv->ports[i]->p;
        if (server_socket >= 0 ? q->fd == server_socket && tide_sock_is_dgram(q->type)
                               : q->type == want)
            p = q;
    }
    if (!p) {
        php_error_docref(NULL, E_WARNING,
                         "no datagram port to send to %s from (listen on a "
                         "Tide\\SOCK_UDP, SOCK_UDP6 or SOCK_UNIX_DGRAM port)",
                         ZSTR_VAL(ip));
        RETURN_FALSE;
    }
    int rc = tide_port_sendto(p, ZSTR_VAL(ip), (int)port, ZSTR_VAL(data), ZSTR_LEN(data));
    if (rc < 0) {
        php_error_docref(NULL, E_WARNING, "sending to %s port " ZEND_LONG_FMT ": %s",
                         ZSTR_VAL(ip), port, tide_strerror(rc));
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Server, sendMessage)
{
    zval *msg;
    zend_long dst;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_ZVAL(msg)
        Z_PARAM_LONG(dst)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = THIS_SERVER();
    if (dst < 0 || dst >= srv->o.worker_num || !rt.srv) {
        if (!rt.srv) {
            php_error_docref(NULL, E_WARNING, "the server is not running");
            RETURN_FALSE;
        }
        zend_argument_value_error(2, "must be a worker id between 0 and " ZEND_LONG_FMT, srv->o.worker_num - 1);
        RETURN_THROWS();
    }
    if (rt.role != ROLE_WORKER) {
        php_error_docref(NULL, E_WARNING, "only a worker can send messages to workers");
        RETURN_FALSE;
    }
    smart_str buf = {0};
    php_serialize_data_t vh;
    PHP_VAR_SERIALIZE_INIT(vh);
    php_var_serialize(&buf, msg, &vh);
    PHP_VAR_SERIALIZE_DESTROY(vh);
    if (EG(exception)) {
        smart_str_free(&buf);
        RETURN_THROWS();
    }
    int rc = tide_link_send(&rt.link, M_PIPE_REQ, (uint64_t)rt.worker_id, (uint32_t)dst,
                            buf.s ? ZSTR_VAL(buf.s) : "", buf.s ? ZSTR_LEN(buf.s) : 0);
    smart_str_free(&buf);
    RETURN_BOOL(rc >= 0);
}

ZEND_METHOD(Tide_Server, getWorkerId)
{
    ZEND_PARSE_PARAMETERS_NONE();
    if (rt.role != ROLE_WORKER)
        RETURN_FALSE;
    RETURN_LONG(rt.worker_id);
}

ZEND_METHOD(Tide_Server, getWorkerPid)
{
    zend_long id = -1;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(id)
    ZEND_PARSE_PARAMETERS_END();
    if (id < 0) {
        if (rt.role != ROLE_WORKER)
            RETURN_FALSE;
        RETURN_LONG(getpid());
    }
    if (!rt.tab.mem || id >= (zend_long)rt.tab.workers || !rt.tab.pids->worker[id])
        RETURN_FALSE;
    RETURN_LONG(rt.tab.pids->worker[id]);
}

ZEND_METHOD(Tide_Server, getMasterPid)
{
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_LONG(rt.tab.mem ? rt.tab.pids->master : 0);
}

ZEND_METHOD(Tide_Server, getManagerPid)
{
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_LONG(rt.tab.mem ? rt.tab.pids->manager : 0);
}

static bool signal_to(pid_t pid, int signo, const char *method)
{
    if (!rt.srv || !rt.tab.mem || pid <= 0) {
        php_error_docref(NULL, E_WARNING, "the server is not running");
    TIDE_UNUSED(method);
        return false;
    }
    if (kill(pid, signo) < 0) {
        php_error_docref(NULL, E_WARNING, "kill(%d): %s", (int)pid, strerror(errno));
        return false;
    }
    return true;
}

ZEND_METHOD(Tide_Server, shutdown)
{
    ZEND_PARSE_PARAMETERS_NONE();
    /* From a worker over its link: a worker that dropped to another user may not signal
     * the master. */
    if (rt.role == ROLE_WORKER && !rt.link_done)
        RETURN_BOOL(tide_link_send(&rt.link, M_SHUTDOWN, 0, 0, NULL, 0) == 0);
    RETURN_BOOL(signal_to(rt.tab.mem ? rt.tab.pids->master : 0, SIGTERM, "shutdown"));
}

ZEND_METHOD(Tide_Server, reload)
{
    bool only_tasks = false;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(only_tasks)
    ZEND_PARSE_PARAMETERS_END();
    if (rt.role == ROLE_WORKER && !rt.link_done)
        RETURN_BOOL(tide_link_send(&rt.link, M_RELOAD, 0, only_tasks, NULL, 0) == 0);
    RETURN_BOOL(signal_to(rt.tab.mem ? rt.tab.pids->manager : 0, only_tasks ? SIGUSR2 : SIGUSR1, "reload"));
}

ZEND_METHOD(Tide_Server, stop)
{
    zend_long id = -1;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(id)
    ZEND_PARSE_PARAMETERS_END();
    if (!rt.srv) {
        php_error_docref(NULL, E_WARNING, "the server is not running");
        RETURN_FALSE;
    }
    if (id < 0 || (rt.role == ROLE_WORKER && id == rt.worker_id)) {
        if (rt.role != ROLE_WORKER) {
            php_error_docref(NULL, E_WARNING, "not called from a worker; pass a worker id");
            RETURN_FALSE;
        }
        worker_begin_stop();
        RETURN_TRUE;
    }
    if (id >= rt.srv->o.worker_num) {
        zend_argument_value_error(1, "must be a worker id between 0 and " ZEND_LONG_FMT, rt.srv->o.worker_num - 1);
        RETURN_THROWS();
    }
    RETURN_BOOL(signal_to(rt.tab.pids->worker[id], SIGTERM, "stop"));
}

/* ---- module ---- */

static zval *server_write_property(zend_object *obj, zend_string *name, zval *value, void **cache)
{
    return zend_std_write_property(obj, name, value, cache);
}

int php_tide_server_minit(INIT_FUNC_ARGS)
{
    TIDE_UNUSED(type);
    register_tide_server_symbols(module_number);
    server_ce = register_class_Tide_Server();
    server_ce->create_object = server_create;
    memcpy(&server_handlers, zend_get_std_object_handlers(), sizeof(server_handlers));
    server_handlers.offset = XtOffsetOf(php_tide_server_t, std);
    server_handlers.free_obj = server_free;
    server_handlers.get_gc = server_get_gc;
    server_handlers.clone_obj = NULL;
    server_handlers.write_property = server_write_property;

    port_ce = register_class_Tide_Server_Port();
    port_ce->create_object = port_create;
    memcpy(&port_handlers, zend_get_std_object_handlers(), sizeof(port_handlers));
    port_handlers.offset = XtOffsetOf(php_tide_port_t, std);
    port_handlers.free_obj = port_free;
    port_handlers.get_gc = port_get_gc;
    port_handlers.clone_obj = NULL;
    return SUCCESS;
}

void php_tide_server_rshutdown(void)
{
    if (rt.srv) {
        zval_ptr_dtor(&rt.zsrv);
        ZVAL_UNDEF(&rt.zsrv);
    }
    rt.srv = NULL;
    if (rt.tab.mem)
        tide_conntab_destroy(&rt.tab);
    if (rt.log_fd >= 0)
        close(rt.log_fd);
    rt.log_fd = -1;
    tide_log_set_sink(NULL, NULL);
    rt.role = ROLE_NONE;
}

/* SPDX-License-Identifier: MIT */
/*
 * What the files of the Tide\Server binding share. The process model is the core's
 * (tide/server.h); these files turn its hooks into PHP calls and PHP calls into core calls:
 *
 *   server.c           the class: objects, constructor, start(), the core's hooks
 *   server_port.c      Tide\Server\Port, listen()
 *   server_settings.c  set(): the declarative table of settings
 *   server_events.c    on(): the event table, and calling PHP for an event
 *   server_conn.c      methods on connections (send, close, getClientInfo...)
 *   server_process.c   methods on processes (stats, sendMessage, reload, stop...)
 */
#ifndef PHP_TIDE_SERVER_H
#define PHP_TIDE_SERVER_H

#include "php.h"
#include "php_tide.h"
#include "tide/http1.h"
#include "tide/server.h"
#include "tide/websocket.h"

/* Socket type flag (OR'd into a type): TLS, not available yet. */
#define TIDE_SOCK_SSL 512

/* ---- events ---- */

enum {
    EV_START, EV_SHUTDOWN, EV_MANAGER_START, EV_MANAGER_STOP, EV_WORKER_START,
    EV_WORKER_STOP, EV_WORKER_EXIT, EV_WORKER_ERROR, EV_CONNECT, EV_RECEIVE, EV_PACKET,
    EV_CLOSE, EV_TASK, EV_FINISH, EV_PIPE_MESSAGE, EV_BEFORE_RELOAD, EV_AFTER_RELOAD,
    EV_REQUEST, EV_HANDSHAKE, EV_OPEN, EV_MESSAGE, EV_COUNT
};

typedef struct php_tide_cb {
    zval fn; /* IS_UNDEF when not set */
    zend_fcall_info_cache fcc;
} php_tide_cb_t;

typedef struct php_tide_server php_tide_server_t;

#define PHP_TIDE_STATIC_LOCATIONS 32

/* What a port speaking HTTP was set to. */
typedef struct php_tide_http_opts {
    bool on;           /* open_http_protocol */
    bool parse_post;   /* http_parse_post */
    bool parse_cookie; /* http_parse_cookie */
    uint64_t upload_max_filesize;
    bool compression;          /* http_compression */
    int compression_level;     /* http_compression_level: 1..9 */
    size_t compression_min_length;
    char upload_tmp_dir[1024]; /* "": the system's temporary directory */
    char spool_dir[1024];      /* where large bodies are spooled: upload_tmp_dir or that */
    /* the static file handler: enable_static_handler, document_root (its real path), and
     * static_handler_locations (paths packed in locations, none: every path) */
    bool static_on;
    char document_root[1024];
    int static_root_fd;    /* document_root opened by this process (-1: not yet) */
    pid_t static_root_pid; /* the process that opened it */
    uint32_t nlocations;
    uint16_t location_off[PHP_TIDE_STATIC_LOCATIONS], location_len[PHP_TIDE_STATIC_LOCATIONS];
    char locations[2048];
    tide_http1_opts_t wire;
    /* WebSocket: open_websocket_protocol, websocket_compression, and the protocol's
     * options (the open_websocket_*_frame settings, package_max_length) */
    bool ws;
    bool ws_compression;
    tide_ws_opts_t ws_wire;
} php_tide_http_opts_t;

typedef struct php_tide_port {
    tide_port_t p;
    php_tide_http_opts_t http;
    php_tide_cb_t cb[EV_COUNT];
    zval own_setting; /* what Port::set() was given (array), merged over the server's */
    bool has_own;
    pid_t owner;   /* the process that made the socket: only it removes a Unix socket's file */
    int server_fd; /* its number in the master (getClientInfo()'s server_fd, everywhere) */
    php_tide_server_t *server; /* weak */
    zend_object std;
} php_tide_port_t;

/* What set() decided beyond the core's configuration. */
typedef struct php_tide_server_opts {
    bool enable_coroutine;
    zend_long log_level;
    size_t task_max_length; /* package_max_length: the most a task or a result may carry */
    bool task_coroutine;    /* task_enable_coroutine: each task in a coroutine, as a Tide\Task */
    zend_long max_coroutine, coroutine_stack_size; /* 0: unchanged */
    zend_long hook_flags;   /* -1: unchanged (Tide\Runtime's, HOOK_ALL by default) */
    zend_long io_uring_entries;
    const char *reactor_backend; /* NULL: as TIDE_REACTOR / tide.reactor_backend say */
    zend_string *log_file;
    zend_string *ignored; /* Swoole keys without meaning in Tide that were set, or NULL */
} php_tide_server_opts_t;

struct php_tide_server {
    tide_server_t core;
    bool http; /* a Tide\Http\Server: its ports speak HTTP unless set otherwise */
    bool websocket; /* a Tide\WebSocket\Server: and WebSocket */
    int state; /* 0 made, 1 started, 2 done */
    php_tide_cb_t cb[EV_COUNT];
    zval setting_all; /* merged settings (array) */
    php_tide_server_opts_t o;
    zend_string *pid_file, *user, *group; /* the core's strings point into these */
    int log_fd;
    /* addProcess(): the Tide\Process objects (a packed array, UNDEF before the first), in
     * the order added; core.cfg.process_num counts them */
    zval processes;
    zend_object std;
};

extern zend_class_entry *php_tide_server_ce, *php_tide_port_ce;

/* What a port speaks when its settings do not say (PHP_TIDE_PORT_*). */
enum { PHP_TIDE_PORT_HTTP = 1, PHP_TIDE_PORT_WS = 2 };
static inline unsigned php_tide_port_defaults(const php_tide_server_t *srv)
{
    return (srv->http ? PHP_TIDE_PORT_HTTP : 0) | (srv->websocket ? PHP_TIDE_PORT_WS : 0);
}

static inline php_tide_server_t *php_tide_server_from(zend_object *obj)
{
    return (php_tide_server_t *)((char *)obj - XtOffsetOf(php_tide_server_t, std));
}
static inline php_tide_port_t *php_tide_port_from(zend_object *obj)
{
    return (php_tide_port_t *)((char *)obj - XtOffsetOf(php_tide_port_t, std));
}

/* The server running in this process (between start() and its end), or NULL; its object
 * as a zval for callback arguments. */
extern php_tide_server_t *php_tide_running;
extern zval php_tide_running_zv;

/* Readonly properties written by the extension. */
void php_tide_prop_set(zend_object *obj, const char *name, zval *v);
void php_tide_prop_long(zend_object *obj, const char *name, zend_long v);
void php_tide_prop_bool(zend_object *obj, const char *name, bool v);

/* ---- settings (server_settings.c) ---- */

/* Checks every key of a set() call: unknown -> ValueError, server key on a port ->
 * ValueError, a feature not built yet -> Tide\Exception. */
bool php_tide_settings_check_keys(HashTable *ht, bool for_port);
/* The keys of ht that are Coroutine::set() options and no server setting, applied to this
 * process (and so to every process the server forks), as Swoole's Server::set() does. */
bool php_tide_settings_coro(HashTable *ht);
/* The server's options from its merged settings into srv->core.cfg and srv->o; false with
 * an exception. */
bool php_tide_settings_server(php_tide_server_t *srv, HashTable *ht);
/* A port's options from its merged settings (defaults: what open_http_protocol and
 * open_websocket_protocol are when not set); false with an exception. */
bool php_tide_settings_port(HashTable *ht, tide_port_t *p, php_tide_http_opts_t *http,
                            unsigned defaults);
/* The settings a port runs with: the server's, then its own over them. */
void php_tide_settings_merge(HashTable *server, HashTable *own, zval *out);
void php_tide_port_effective(php_tide_port_t *port, zval *out);

/* ---- events (server_events.c) ---- */

int php_tide_event_index(zend_string *name, bool for_port);
const char *php_tide_event_name(int ev);
void php_tide_cb_set(php_tide_cb_t *cb, zval *fn, zend_fcall_info_cache *fcc);
void php_tide_cb_free(php_tide_cb_t *cb);
static inline bool php_tide_cb_isset(const php_tide_cb_t *cb)
{
    return Z_TYPE(cb->fn) != IS_UNDEF;
}
/* The port's callback for ev, else the server's, else NULL. */
php_tide_cb_t *php_tide_port_cb(php_tide_server_t *srv, int port, int ev);
/* The GC sees the callbacks an object holds, and its properties. */
HashTable *php_tide_gc_callbacks(zend_object *obj, php_tide_cb_t *cbs, zval **table, int *n);
/* The core's hooks that call PHP. */
extern const tide_server_hooks_t php_tide_server_hooks;
/* Frees the records of requests kept for reuse (at request shutdown). */
void php_tide_requests_free(void);
/* The shutdown event, in the process that called start(). */
void php_tide_event_shutdown(php_tide_server_t *srv);
/* Logs an exception a callback left (the process keeps serving). */
void php_tide_log_uncaught(zend_object *ex);

/* ---- HTTP (http.c) ---- */

extern zend_class_entry *php_tide_http_server_ce;
void php_tide_http_minit(void);
/* A request on a port that speaks HTTP: the request event with Request and Response.
 * data[0..len) is its head and body, or its head alone when the body was spooled to the
 * file body_fd (-1: none; closed here) of body_len bytes. */
void php_tide_http_request(php_tide_server_t *srv, php_tide_port_t *port, uint64_t session,
                           const char *data, size_t len, int body_fd, uint64_t body_len);
/* Calls a callback in the current context; an exception is logged. */
void php_tide_call_direct(php_tide_cb_t *cb, zval *args, uint32_t argc);
/* The same, with the callback's return value in *rv (the caller's to release; UNDEF when it
 * threw). */
void php_tide_call_direct_rv(php_tide_cb_t *cb, zval *args, uint32_t argc, zval *rv);
/* Logs the exception PHP code left pending (with its trace) and clears it; exit() is left
 * alone. Whether there was one. */
bool php_tide_log_pending(void);
/* A worker event's callback: in a coroutine of its own with enable_coroutine, else at once. */
void php_tide_event_call(php_tide_server_t *srv, php_tide_cb_t *cb, zval *args, uint32_t argc);
/* The same for a message of len bytes of a connection: done for the core when the callback
 * has returned (its coroutine ended). */
void php_tide_event_call_done(php_tide_server_t *srv, php_tide_cb_t *cb, zval *args, uint32_t argc,
                              uint64_t session, size_t len);
/* Tasks (server_task.c): the core's hooks in a task worker and in the worker that sent. */
void php_tide_task_run(tide_server_t *s, int src, uint64_t id, const tide_msg_task_t *head,
                       const char *data, size_t len);
void php_tide_task_finish(tide_server_t *s, int task_worker, uint64_t id,
                          const tide_msg_task_t *head, const char *data, size_t len);
void php_tide_task_minit(zend_class_entry *ce);
/* Frees what the tasks of this process hold (at the end of the request). */
void php_tide_task_rshutdown(void);

/* ---- WebSocket (websocket.c) ---- */

extern zend_class_entry *php_tide_ws_server_ce;
void php_tide_ws_minit(int module_number);
void php_tide_ws_rshutdown(void);
/* A message of a WebSocket connection (a tide_ws_msg_t head, then its payload): the
 * message event with a Frame. */
void php_tide_ws_message(php_tide_server_t *srv, php_tide_port_t *port, uint64_t session,
                         const char *data, size_t len);
/* Tide\Server's $connections, read through these handlers. */
zval *php_tide_server_read_property(zend_object *obj, zend_string *name, int type,
                                    void **cache_slot, zval *rv);
zval *php_tide_server_property_ptr(zend_object *obj, zend_string *name, int type,
                                   void **cache_slot);
int php_tide_server_has_property(zend_object *obj, zend_string *name, int has_set_exists,
                                 void **cache_slot);
/* getClientInfo($fd) of the running server (server_conn.c): true with the array in out, or
 * false when fd is not an open connection of it. */
bool php_tide_server_client_info(zend_long fd, zval *out);

/* ---- ports (server_port.c) ---- */

/* Opens a port's socket; NULL with a warning (listen) or an exception (constructor). */
php_tide_port_t *php_tide_port_open(php_tide_server_t *srv, const char *host, zend_long port,
                                    zend_long type, bool throw);
void php_tide_port_minit(zend_class_entry *ce);

/* ---- methods: the state they need ---- */

/* A warning a loop can repeat: at most a burst a second, with a count of the rest. */
void php_tide_warn_limited(tide_ratelimit_t *rl, const char *fmt, ...)
    ZEND_ATTRIBUTE_FORMAT(printf, 2, 3);

/* The running server, for a method that needs one; else a Tide\Exception naming it. */
php_tide_server_t *php_tide_server_running(php_tide_server_t *srv, const char *method);

#endif

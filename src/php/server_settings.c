/* SPDX-License-Identifier: MIT */
/*
 * Tide\Server::set() and Port::set(): every key, its type, its bounds and where it goes, in
 * one table. A key is a server key (the process model), a port key (a port may set its own,
 * over the server's), a key for a feature not built yet (set() throws naming it), or a
 * Swoole key that has no meaning in Tide (accepted; start() names them in one log line).
 *
 * Values are checked by type: an int setting takes an int (or a float with an integral
 * value), never a string; a bool setting takes a bool (or 0/1, as Swoole code writes it); a
 * number outside its bounds is a ValueError naming the key and the bounds.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <limits.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "php.h"
#include "php_open_temporary_file.h"
#include "php_tide_server.h"
#include "zend_exceptions.h"
#include "zend_smart_str.h"

/* T_SIZE: an int, or a string with PHP's ini suffixes ('2M'), as Swoole takes sizes. */
typedef enum { T_INT, T_SIZE, T_BOOL, T_DOUBLE, T_STRING, T_ARRAY, T_BACKEND } type_t;
typedef enum { SERVER, PORT, LATER, IGNORED } scope_t;

typedef struct setting {
    const char *name;
    scope_t scope;
    type_t type;
    double min, max;
    const char *why; /* LATER: the feature; IGNORED: why it has no meaning */
} setting_t;

#define INT(n, s, lo, hi) {n, s, T_INT, lo, hi, NULL}
#define SIZE(n, s, lo, hi) {n, s, T_SIZE, lo, hi, NULL}
#define BOOL(n, s) {n, s, T_BOOL, 0, 1, NULL}
#define LATER_(n, what) {n, LATER, T_INT, 0, 0, what}

static const setting_t settings[] = {
    /* the process model */
    INT("worker_num", SERVER, 1, 1024),
    INT("task_worker_num", SERVER, 0, 1024),
    BOOL("task_enable_coroutine", SERVER),
    INT("max_request", SERVER, 0, 9.2e18),
    {"max_wait_time", SERVER, T_DOUBLE, 0.001, 86400, NULL},
    BOOL("daemonize", SERVER),
    {"pid_file", SERVER, T_STRING, 0, 0, NULL},
    {"log_file", SERVER, T_STRING, 0, 0, NULL},
    INT("log_level", SERVER, 0, 6),
    {"user", SERVER, T_STRING, 0, 0, NULL},
    {"group", SERVER, T_STRING, 0, 0, NULL},
    INT("dispatch_mode", SERVER, 1, 4),
    BOOL("enable_coroutine", SERVER),
    SIZE("coroutine_stack_size", SERVER, 16384, 1 << 30),
    INT("max_coroutine", SERVER, 1, 9.2e18),
    INT("hook_flags", SERVER, 0, PHP_TIDE_HOOK_ALL),
    {"reactor_backend", SERVER, T_BACKEND, 0, 0, NULL},
    INT("io_uring_entries", SERVER, 1, 32768),
    INT("max_connection", SERVER, 1, 1 << 24),
    INT("heartbeat_check_interval", SERVER, 0, 86400),
    INT("heartbeat_idle_time", SERVER, 0, 86400 * 30),
    INT("connection_max_inflight", SERVER, 0, 1 << 20),
    INT("worker_max_inflight", SERVER, 0, 1 << 24),
    /* per port */
    INT("backlog", PORT, 1, 65535),
    BOOL("open_tcp_nodelay", PORT),
    SIZE("buffer_output_size", PORT, 1, 1099511627776.0),
    SIZE("socket_buffer_size", PORT, 0, 2147483647),
    SIZE("package_max_length", PORT, 1, 2147483648.0),
    BOOL("open_eof_check", PORT),
    BOOL("open_eof_split", PORT),
    {"package_eof", PORT, T_STRING, 0, 0, NULL},
    BOOL("open_length_check", PORT),
    {"package_length_type", PORT, T_STRING, 0, 0, NULL},
    INT("package_length_offset", PORT, 0, 65535),
    INT("package_body_offset", PORT, 0, 65535),
    BOOL("open_http_protocol", PORT),
    BOOL("http_parse_post", PORT),
    BOOL("http_parse_cookie", PORT),
    SIZE("http_max_header_size", PORT, 1024, 1 << 20),
    {"http_header_timeout", PORT, T_DOUBLE, 0, 86400, NULL},
    {"upload_tmp_dir", PORT, T_STRING, 0, 0, NULL},
    SIZE("upload_max_filesize", PORT, 0, 1099511627776.0),
    SIZE("http_body_buffer_size", PORT, 0, 1099511627776.0),
    BOOL("http_compression", PORT),
    INT("http_compression_level", PORT, 1, 9),
    SIZE("http_compression_min_length", PORT, 0, 2147483647),
    {"document_root", PORT, T_STRING, 0, 0, NULL},
    BOOL("enable_static_handler", PORT),
    {"static_handler_locations", PORT, T_ARRAY, 0, 0, NULL},
    BOOL("open_websocket_protocol", PORT),
    BOOL("websocket_compression", PORT),
    BOOL("open_websocket_ping_frame", PORT),
    BOOL("open_websocket_pong_frame", PORT),
    BOOL("open_websocket_close_frame", PORT),
    BOOL("open_websocket_continuation_frame", PORT),
    {"websocket_close_timeout", PORT, T_DOUBLE, 0.001, 3600, NULL},
    /* features of later versions */
    LATER_("io_uring_sqpoll", "an SQPOLL ring"),
    LATER_("open_http2_protocol", "HTTP/2"),
    LATER_("open_fastcgi_protocol", "FastCGI"),
    LATER_("ssl_cert_file", "TLS"), LATER_("ssl_key_file", "TLS"),
    LATER_("ssl_protocols", "TLS"), LATER_("ssl_ciphers", "TLS"),
    LATER_("ssl_verify_peer", "TLS"), LATER_("ssl_client_cert_file", "TLS"),
    LATER_("ssl_sni_certs", "TLS"),
    /* Swoole keys whose subject does not exist in Tide */
    {"reactor_num", IGNORED, T_INT, 1, 1024, "one reactor per process, no reactor threads"},
    {"task_ipc_mode", IGNORED, T_INT, 1, 3,
     "tasks always go over Unix sockets (mode 1), idle task worker first"},
    {"single_thread", IGNORED, T_BOOL, 0, 1, "no reactor threads"},
    {"reload_async", IGNORED, T_BOOL, 0, 1, "a reload always lets workers finish"},
    {"enable_reuse_port", IGNORED, T_BOOL, 0, 1,
     "MODE_BASE workers use SO_REUSEPORT themselves"},
    {NULL, SERVER, T_INT, 0, 0, NULL},
};

static const setting_t *find(const char *name)
{
    for (const setting_t *s = settings; s->name; s++)
        if (strcmp(s->name, name) == 0)
            return s;
    return NULL;
}

bool php_tide_settings_check_keys(HashTable *ht, bool for_port)
{
    zend_string *key;
    zend_ulong idx;
    ZEND_HASH_FOREACH_KEY(ht, idx, key) {
        if (!key) {
            zend_value_error("Settings must be keyed by name, got index " ZEND_ULONG_FMT, idx);
            return false;
        }
        const setting_t *s = find(ZSTR_VAL(key));
        if (!s && !for_port && php_tide_coro_option_known(ZSTR_VAL(key)))
            continue; /* a Coroutine::set() option: Server::set() applies it (as Swoole) */
        if (!s && TIDE_G(swoole_compat)) {
            /* Swoole ignores a key it does not know; a warning at least names it */
            php_error_docref(NULL, E_WARNING, "Unknown setting '%s' ignored", ZSTR_VAL(key));
            continue;
        }
        if (!s) {
            zend_value_error("Unknown setting '%s'", ZSTR_VAL(key));
            return false;
        }
        if (s->scope == LATER) {
            php_tide_throw(0, "Setting '%s': %s %s not available in this version of Tide",
                           ZSTR_VAL(key), s->why,
                           strcmp(s->why, "tasks (task(), finish())") == 0 ||
                                   strcmp(s->why, "runtime hooks") == 0
                               ? "are"
                               : "is");
            return false;
        }
        if (for_port && s->scope != PORT) {
            zend_value_error("Setting '%s' belongs to the server: use Tide\\Server::set()",
                             ZSTR_VAL(key));
            return false;
        }
    } ZEND_HASH_FOREACH_END();
    return true;
}

bool php_tide_settings_coro(HashTable *ht)
{
    zend_string *key;
    zval *v;
    ZEND_HASH_FOREACH_STR_KEY_VAL(ht, key, v) {
        if (key && !find(ZSTR_VAL(key)) && php_tide_coro_option_known(ZSTR_VAL(key)) &&
            !php_tide_coro_option(key, v, 1))
            return false;
    } ZEND_HASH_FOREACH_END();
    return true;
}

/* ---- typed reads ---- */

static zval *lookup(HashTable *ht, const char *key)
{
    return zend_hash_str_find(ht, key, strlen(key));
}

static bool bad_type(const setting_t *s, zval *v, const char *want)
{
    zend_value_error("Setting '%s' must be %s, %s given", s->name, want, zend_zval_type_name(v));
    return false;
}

bool php_tide_parse_size(zval *value, zend_long *out, uint32_t arg, const char *name)
{
    if (Z_TYPE_P(value) != IS_STRING) {
        *out = zval_get_long(value);
        return true;
    }
    zend_string *err = NULL;
    zend_long n = zend_ini_parse_quantity(Z_STR_P(value), &err);
    if (err) {
        /* PHP's own words for what is wrong with the quantity */
        if (arg)
            zend_argument_value_error(arg, "option \"%s\": %s", name, ZSTR_VAL(err));
        else
            zend_value_error("Setting '%s': %s", name, ZSTR_VAL(err));
        zend_string_release(err);
        return false;
    }
    *out = n;
    return true;
}

/* The value of an int setting, checked; false with a ValueError. */
static bool read_int(const setting_t *s, zval *v, zend_long *out)
{
    double d;
    if (s->type == T_SIZE && Z_TYPE_P(v) == IS_STRING) {
        if (!php_tide_parse_size(v, out, 0, s->name))
            return false;
        d = (double)*out;
    } else if (Z_TYPE_P(v) == IS_LONG) {
        d = (double)Z_LVAL_P(v);
        *out = Z_LVAL_P(v);
    } else if (Z_TYPE_P(v) == IS_DOUBLE && isfinite(Z_DVAL_P(v)) &&
               Z_DVAL_P(v) == floor(Z_DVAL_P(v)) && fabs(Z_DVAL_P(v)) < 9.2e18) {
        d = Z_DVAL_P(v);
        *out = (zend_long)d;
    } else {
        return bad_type(s, v, "an integer");
    }
    if (d < s->min || d > s->max) {
        zend_value_error("Setting '%s' must be between %.0f and %.0f, %.0f given", s->name,
                         s->min, s->max, d);
        return false;
    }
    return true;
}

static bool read_bool(const setting_t *s, zval *v, bool *out)
{
    if (Z_TYPE_P(v) == IS_TRUE || Z_TYPE_P(v) == IS_FALSE) {
        *out = Z_TYPE_P(v) == IS_TRUE;
        return true;
    }
    if (Z_TYPE_P(v) == IS_LONG && (Z_LVAL_P(v) == 0 || Z_LVAL_P(v) == 1)) {
        *out = Z_LVAL_P(v) == 1;
        return true;
    }
    return bad_type(s, v, "a bool");
}

static bool read_double(const setting_t *s, zval *v, double *out)
{
    double d;
    if (Z_TYPE_P(v) == IS_LONG)
        d = (double)Z_LVAL_P(v);
    else if (Z_TYPE_P(v) == IS_DOUBLE && !isnan(Z_DVAL_P(v)))
        d = Z_DVAL_P(v);
    else
        return bad_type(s, v, "a number");
    if (d < s->min || d > s->max) {
        zend_value_error("Setting '%s' must be between %g and %g, %g given", s->name, s->min,
                         s->max, d);
        return false;
    }
    *out = d;
    return true;
}

/* Reads key from ht into out as its type says; true when absent (out untouched). */
static bool get(HashTable *ht, const char *key, void *out)
{
    const setting_t *s = find(key);
    ZEND_ASSERT(s);
    zval *v = lookup(ht, key);
    if (!v)
        return true;
    switch (s->type) {
    case T_INT:
    case T_SIZE:
        return read_int(s, v, out);
    case T_BOOL:
        return read_bool(s, v, out);
    case T_DOUBLE:
        return read_double(s, v, out);
    case T_STRING:
        if (Z_TYPE_P(v) != IS_STRING)
            return bad_type(s, v, "a string");
        *(zend_string **)out = Z_STR_P(v); /* borrowed from the settings array */
        return true;
    case T_ARRAY:
        if (Z_TYPE_P(v) != IS_ARRAY)
            return bad_type(s, v, "an array");
        *(HashTable **)out = Z_ARRVAL_P(v); /* borrowed from the settings array */
        return true;
    case T_BACKEND: {
        tide_backend_t b;
        if (Z_TYPE_P(v) != IS_STRING || tide_backend_parse(Z_STRVAL_P(v), &b) < 0) {
            zend_value_error("Setting 'reactor_backend' must be 'auto', 'io_uring' or 'epoll'");
            return false;
        }
        *(const char **)out = Z_STRVAL_P(v);
        return true;
    }
    }
    return true;
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

static zend_string *dup_or_null(zend_string *s)
{
    return s ? zend_string_copy(s) : NULL;
}

static void replace_str(zend_string **slot, zend_string *v)
{
    if (*slot)
        zend_string_release(*slot);
    *slot = dup_or_null(v);
}

bool php_tide_settings_server(php_tide_server_t *srv, HashTable *ht)
{
    tide_server_config_t *cfg = &srv->core.cfg;
    php_tide_server_opts_t *o = &srv->o;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    zend_long worker_num = cpus > 0 ? cpus : 1, tasks = 0, max_request = 0, log_level = 2;
    zend_long dispatch = 2, stack = 0, maxco = 0, entries = 0, max_conn = default_max_connection();
    zend_long hb_check = 0, hb_idle = 0, conn_inflight = 64, worker_inflight = 1024;
    zend_long max_length = 2 << 20, ignored_int, hook_flags = -1;
    double max_wait = 3;
    bool daemonize = false, coro = true, task_coro = false, ignored_bool;
    zend_string *pid_file = NULL, *log_file = NULL, *user = NULL, *group = NULL;
    const char *backend = NULL;
    if (!get(ht, "worker_num", &worker_num) || !get(ht, "task_worker_num", &tasks) ||
        !get(ht, "max_request", &max_request) || !get(ht, "max_wait_time", &max_wait) ||
        !get(ht, "daemonize", &daemonize) || !get(ht, "pid_file", &pid_file) ||
        !get(ht, "log_file", &log_file) || !get(ht, "log_level", &log_level) ||
        !get(ht, "user", &user) || !get(ht, "group", &group) ||
        !get(ht, "dispatch_mode", &dispatch) || !get(ht, "enable_coroutine", &coro) ||
        !get(ht, "coroutine_stack_size", &stack) || !get(ht, "max_coroutine", &maxco) ||
        !get(ht, "hook_flags", &hook_flags) ||
        !get(ht, "reactor_backend", &backend) || !get(ht, "io_uring_entries", &entries) ||
        !get(ht, "max_connection", &max_conn) ||
        !get(ht, "heartbeat_check_interval", &hb_check) ||
        !get(ht, "heartbeat_idle_time", &hb_idle) ||
        !get(ht, "connection_max_inflight", &conn_inflight) ||
        !get(ht, "worker_max_inflight", &worker_inflight) ||
        !get(ht, "package_max_length", &max_length) ||
        !get(ht, "reactor_num", &ignored_int) || !get(ht, "single_thread", &ignored_bool) ||
        !get(ht, "task_ipc_mode", &ignored_int) || !get(ht, "task_enable_coroutine", &task_coro) ||
        !get(ht, "reload_async", &ignored_bool) || !get(ht, "enable_reuse_port", &ignored_bool))
        return false;
    if (hook_flags >= 0 && (hook_flags & ~(zend_long)PHP_TIDE_HOOK_ALL)) {
        zend_value_error("Setting 'hook_flags' must be a set of Tide\\HOOK_* flags (0 for none, "
                         "Tide\\HOOK_ALL for all), " ZEND_LONG_FMT " has others", hook_flags);
        return false;
    }
    if (hb_check && !hb_idle)
        hb_idle = 2 * hb_check;
    if (hb_idle && !hb_check)
        hb_check = hb_idle / 2 ? hb_idle / 2 : 1;

    cfg->worker_num = (int)worker_num;
    cfg->task_worker_num = (int)tasks;
    cfg->dispatch_mode = (int)dispatch;
    cfg->max_request = (uint64_t)max_request;
    cfg->max_wait_ms = (uint64_t)(max_wait * 1000);
    cfg->max_connection = (uint32_t)max_conn;
    cfg->heartbeat_check_ms = (uint64_t)hb_check * 1000;
    cfg->heartbeat_idle_ms = (uint64_t)hb_idle * 1000;
    cfg->connection_max_inflight = (uint32_t)conn_inflight;
    cfg->worker_max_inflight = (uint32_t)worker_inflight;
    o->task_max_length = (size_t)max_length;
    o->task_coroutine = task_coro;
    /* Task callbacks outside coroutines block their loop: each answer goes out before the
     * next task starts. */
    srv->core.tasks_block = !task_coro;
    /* A worker holds at most this much of what it was handed: room for the largest
     * package twice over, and never less than 64 MiB. */
    uint64_t bytes = 2 * (uint64_t)max_length;
    cfg->worker_max_inflight_bytes = bytes > (64u << 20) ? bytes : (64u << 20);
    if (!worker_inflight)
        cfg->worker_max_inflight_bytes = 0;
    cfg->daemonize = daemonize;
    replace_str(&srv->pid_file, pid_file);
    replace_str(&srv->user, user);
    replace_str(&srv->group, group);
    cfg->pid_file = srv->pid_file ? ZSTR_VAL(srv->pid_file) : NULL;
    cfg->user = srv->user ? ZSTR_VAL(srv->user) : NULL;
    cfg->group = srv->group ? ZSTR_VAL(srv->group) : NULL;

    o->enable_coroutine = coro;
    o->log_level = log_level;
    o->max_coroutine = maxco;
    o->hook_flags = hook_flags;
    o->coroutine_stack_size = stack;
    o->io_uring_entries = entries;
    o->reactor_backend = backend;
    replace_str(&o->log_file, log_file);
    /* The Swoole keys that mean nothing here, for start()'s log line. */
    smart_str names = {0};
    for (const setting_t *s = settings; s->name; s++) {
        if (s->scope != IGNORED || !lookup(ht, s->name))
            continue;
        smart_str_appends(&names, names.s ? ", " : "");
        smart_str_appends(&names, s->name);
        smart_str_appends(&names, " (");
        smart_str_appends(&names, s->why);
        smart_str_appendc(&names, ')');
    }
    smart_str_0(&names);
    if (o->ignored)
        zend_string_release(o->ignored);
    o->ignored = names.s;
    return true;
}

/* document_root, enable_static_handler and static_handler_locations into http; false with
 * a ValueError naming the setting. */
static bool static_settings(php_tide_http_opts_t *http, zend_string *root, bool on,
                            HashTable *locations)
{
    http->static_on = false;
    http->document_root[0] = 0;
    http->static_root_fd = -1;
    http->static_root_pid = 0;
    http->nlocations = 0;
    if (root) {
        char real[PATH_MAX];
        struct stat st;
        if (!ZSTR_LEN(root) || !realpath(ZSTR_VAL(root), real) || stat(real, &st) < 0 ||
            !S_ISDIR(st.st_mode)) {
            zend_value_error("Setting 'document_root' must be an existing directory, '%s' is not",
                             ZSTR_VAL(root));
            return false;
        }
        if (strlen(real) >= sizeof(http->document_root)) {
            zend_value_error("Setting 'document_root' must be a path of at most %zu bytes",
                             sizeof(http->document_root) - 1);
            return false;
        }
        strcpy(http->document_root, real);
    }
    if (on && !root) {
        zend_value_error("Setting 'enable_static_handler' needs 'document_root'");
        return false;
    }
    http->static_on = on;
    if (!locations)
        return true;
    zval *v;
    size_t used = 0;
    ZEND_HASH_FOREACH_VAL(locations, v) {
        if (Z_TYPE_P(v) != IS_STRING || Z_STRVAL_P(v)[0] != '/' ||
            memchr(Z_STRVAL_P(v), 0, Z_STRLEN_P(v))) {
            zend_value_error("Setting 'static_handler_locations' must be a list of paths that "
                             "start with '/'");
            return false;
        }
        if (http->nlocations == PHP_TIDE_STATIC_LOCATIONS ||
            used + Z_STRLEN_P(v) > sizeof(http->locations)) {
            zend_value_error("Setting 'static_handler_locations' holds at most %d paths of %zu "
                             "bytes in all",
                             PHP_TIDE_STATIC_LOCATIONS, sizeof(http->locations));
            return false;
        }
        memcpy(http->locations + used, Z_STRVAL_P(v), Z_STRLEN_P(v));
        http->location_off[http->nlocations] = (uint16_t)used;
        http->location_len[http->nlocations] = (uint16_t)Z_STRLEN_P(v);
        http->nlocations++;
        used += Z_STRLEN_P(v);
    } ZEND_HASH_FOREACH_END();
    return true;
}

bool php_tide_settings_port(HashTable *ht, tide_port_t *p, php_tide_http_opts_t *http,
                            unsigned defaults)
{
    bool http_default = defaults & PHP_TIDE_PORT_HTTP;
    bool ws = defaults & PHP_TIDE_PORT_WS, ws_compression = false, ws_ping = false,
         ws_pong = false, ws_close = false, ws_cont = false;
    double ws_close_timeout = 3;
    if (!get(ht, "open_websocket_protocol", &ws) || !get(ht, "websocket_compression", &ws_compression) ||
        !get(ht, "open_websocket_ping_frame", &ws_ping) ||
        !get(ht, "open_websocket_pong_frame", &ws_pong) ||
        !get(ht, "open_websocket_close_frame", &ws_close) ||
        !get(ht, "open_websocket_continuation_frame", &ws_cont) ||
        !get(ht, "websocket_close_timeout", &ws_close_timeout))
        return false;
    /* WebSocket begins with an HTTP/1.1 upgrade: it brings HTTP along. */
    if (ws && lookup(ht, "open_http_protocol")) {
        bool h = true;
        get(ht, "open_http_protocol", &h);
        if (!h) {
            zend_value_error("Setting 'open_websocket_protocol' needs 'open_http_protocol' (a "
                             "WebSocket begins as an HTTP/1.1 request)");
            return false;
        }
    }
    if (ws)
        http_default = true;
    zend_long backlog = 512, outsize = 2 << 20, maxlen = 2 << 20, loff = 0, boff = 0, sockbuf = 0;
    zend_long max_head = 16384;
    double head_timeout = 60;
    zend_long upload_max = 2 << 20;
    zend_long body_buffer = 256 << 10; /* nginx's client_body_buffer_size, roomier */
    zend_string *upload_dir = NULL;
    /* Swoole's defaults: on, level 1 (the fastest: most of the gain for a fraction of the
     * CPU of level 6), bodies of 20 bytes or more. */
    bool compression = true;
    zend_long level = 1, min_length = 20;
    zend_string *docroot = NULL;
    bool static_on = false;
    HashTable *locations = NULL;
    bool eof_check = false, eof_split = false, length_check = false, nodelay = false;
    bool http_on = http_default, parse_post = true, parse_cookie = true;
    zend_string *eof = NULL, *ltype = NULL;
    if (!get(ht, "backlog", &backlog) || !get(ht, "open_tcp_nodelay", &nodelay) ||
        !get(ht, "buffer_output_size", &outsize) || !get(ht, "socket_buffer_size", &sockbuf) ||
        !get(ht, "package_max_length", &maxlen) || !get(ht, "open_eof_check", &eof_check) ||
        !get(ht, "open_eof_split", &eof_split) || !get(ht, "package_eof", &eof) ||
        !get(ht, "open_length_check", &length_check) ||
        !get(ht, "package_length_type", &ltype) || !get(ht, "package_length_offset", &loff) ||
        !get(ht, "package_body_offset", &boff) || !get(ht, "open_http_protocol", &http_on) ||
        !get(ht, "http_parse_post", &parse_post) || !get(ht, "http_parse_cookie", &parse_cookie) ||
        !get(ht, "http_max_header_size", &max_head) ||
        !get(ht, "http_header_timeout", &head_timeout) ||
        !get(ht, "upload_max_filesize", &upload_max) || !get(ht, "upload_tmp_dir", &upload_dir) ||
        !get(ht, "http_body_buffer_size", &body_buffer) ||
        !get(ht, "http_compression", &compression) || !get(ht, "http_compression_level", &level) ||
        !get(ht, "http_compression_min_length", &min_length) ||
        !get(ht, "document_root", &docroot) || !get(ht, "enable_static_handler", &static_on) ||
        !get(ht, "static_handler_locations", &locations))
        return false;
    if (!static_settings(http, docroot, static_on, locations))
        return false;
    if (upload_dir && (ZSTR_LEN(upload_dir) == 0 ||
                       ZSTR_LEN(upload_dir) >= sizeof(http->upload_tmp_dir))) {
        zend_value_error("Setting 'upload_tmp_dir' must be a directory path of 1 to %zu bytes",
                         sizeof(http->upload_tmp_dir) - 1);
        return false;
    }
    zend_stat_t st;
    if (upload_dir && (VCWD_STAT(ZSTR_VAL(upload_dir), &st) != 0 || !S_ISDIR(st.st_mode))) {
        zend_value_error("Setting 'upload_tmp_dir' must be an existing directory, '%s' is not",
                         ZSTR_VAL(upload_dir));
        return false;
    }
    /* A framing setting turns off the HTTP an Http\Server's port has by default. */
    if (!lookup(ht, "open_http_protocol") && (eof_check || eof_split || length_check))
        http_on = false;
    if (http_on && (eof_check || eof_split || length_check)) {
        zend_value_error("Setting 'open_http_protocol' cannot be on with a framing setting "
                         "('open_eof_check', 'open_eof_split', 'open_length_check')");
        return false;
    }
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
    http->on = http_on;
    http->parse_post = parse_post;
    http->parse_cookie = parse_cookie;
    http->wire.max_head = (size_t)max_head;
    http->wire.max_body = (size_t)maxlen;
    http->wire.head_timeout_ns = (uint64_t)(head_timeout * 1e9);
    http->upload_max_filesize = (uint64_t)upload_max;
    http->compression = compression;
    http->compression_level = (int)level;
    http->compression_min_length = (size_t)min_length;
    http->upload_tmp_dir[0] = 0;
    if (upload_dir)
        memcpy(http->upload_tmp_dir, ZSTR_VAL(upload_dir), ZSTR_LEN(upload_dir) + 1);
    /* Bodies over http_body_buffer_size are spooled to upload_tmp_dir as they arrive. */
    http->wire.spool_min = (size_t)body_buffer;
    snprintf(http->spool_dir, sizeof(http->spool_dir), "%s",
             upload_dir ? ZSTR_VAL(upload_dir) : php_get_temporary_directory());
    p->spool_dir = http_on && body_buffer ? http->spool_dir : NULL;
    p->proto = http_on ? &tide_proto_http1 : NULL;
    p->proto_opts = http_on ? &http->wire : NULL;
    http->ws = ws && http_on;
    http->ws_compression = ws_compression;
    http->ws_wire = (tide_ws_opts_t){.max_len = (size_t)maxlen,
                                     .pass_ping = ws_ping,
                                     .pass_pong = ws_pong,
                                     .pass_close = ws_close,
                                     .pass_fragments = ws_cont,
                                     .close_timeout_ns = (uint64_t)(ws_close_timeout * 1e9)};
    p->upgrade = http->ws ? &tide_proto_websocket : NULL;
    p->upgrade_opts = http->ws ? &http->ws_wire : NULL;
    p->buffer_output_size = (size_t)outsize;
    p->socket_buffer_size = (int)sockbuf;
    p->tcp_nodelay = nodelay;
    p->backlog = (int)backlog;
    return true;
}

/* The framing switches: a port that picks its own framing inherits none of the server's. */
static const char *const framing_keys[] = {"open_eof_check", "open_eof_split", "open_length_check",
                                           "open_http_protocol", NULL};

void php_tide_settings_merge(HashTable *server, HashTable *own, zval *out)
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

void php_tide_port_effective(php_tide_port_t *port, zval *out)
{
    php_tide_settings_merge(Z_ARRVAL(port->server->setting_all),
                            port->has_own ? Z_ARRVAL(port->own_setting) : NULL, out);
}

/* SPDX-License-Identifier: MIT */
/* The module: ini, globals, startup/shutdown in order, phpinfo(). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "ext/standard/info.h"
#include "php_ini.h"
#include "zend_exceptions.h"
#include "php_tide.h"
#include "tide/http_static.h"
#include "php_tide_http.h"
#include "tide_arginfo.h"

ZEND_DECLARE_MODULE_GLOBALS(tide)

zend_class_entry *php_tide_exception_ce;

static ZEND_INI_MH(on_update_backend)
{
    tide_backend_t b;
    if (tide_backend_parse(ZSTR_VAL(new_value), &b) < 0) {
        php_error_docref(NULL, E_WARNING,
                         "tide.reactor_backend must be auto, io_uring or epoll, \"%s\" given",
                         ZSTR_VAL(new_value));
        return FAILURE;
    }
    return OnUpdateString(entry, new_value, mh_arg1, mh_arg2, mh_arg3, stage);
}

PHP_INI_BEGIN()
STD_PHP_INI_ENTRY("tide.reactor_backend", "auto", PHP_INI_ALL, on_update_backend,
                  reactor_backend, zend_tide_globals, tide_globals)
STD_PHP_INI_BOOLEAN("tide.swoole_compat", "0", PHP_INI_SYSTEM, OnUpdateBool, swoole_compat,
                    zend_tide_globals, tide_globals)
PHP_INI_END()

static PHP_GINIT_FUNCTION(tide)
{
    memset(tide_globals, 0, sizeof(*tide_globals));
}

static PHP_MINIT_FUNCTION(tide)
{
    REGISTER_INI_ENTRIES();
    register_tide_symbols(module_number);
    php_tide_exception_ce = register_class_Tide_Exception(zend_ce_exception);
    register_class_Tide_Event();
    if (php_tide_loop_minit(INIT_FUNC_ARGS_PASSTHRU) == FAILURE ||
        php_tide_timer_minit(INIT_FUNC_ARGS_PASSTHRU) == FAILURE ||
        php_tide_coro_minit(INIT_FUNC_ARGS_PASSTHRU) == FAILURE ||
        php_tide_channel_minit(INIT_FUNC_ARGS_PASSTHRU) == FAILURE ||
        php_tide_runtime_minit(INIT_FUNC_ARGS_PASSTHRU) == FAILURE ||
        php_tide_server_minit(INIT_FUNC_ARGS_PASSTHRU) == FAILURE)
        return FAILURE;
    php_tide_autoload_minit();
    php_tide_system_minit();
    php_tide_scheduler_minit();
    php_tide_colock_minit();
    php_tide_table_minit();
    php_tide_sync_minit();
    php_tide_http_client_minit();
    php_tide_coserver_minit();
    php_tide_response_ws_minit();
    php_tide_client_minit(module_number);
    php_tide_process_minit(module_number);
    /* last: Swoole's names point at every class made above */
    return php_tide_compat_minit(module_number) == SUCCESS ? SUCCESS : FAILURE;
}

static PHP_MSHUTDOWN_FUNCTION(tide)
{
    TIDE_UNUSED(type);
    php_tide_coro_mshutdown();
    php_tide_runtime_mshutdown();
    php_tide_autoload_mshutdown();
    php_tide_response_mshutdown();
    tide_mime_reset(); /* the media types swoole_mime_type_add/set() gave */
    UNREGISTER_INI_ENTRIES();
    return SUCCESS;
}

static PHP_RINIT_FUNCTION(tide)
{
    TIDE_UNUSED(type);
    TIDE_UNUSED(module_number);
    php_tide_timer_rinit();
    php_tide_coro_rinit();
    return SUCCESS;
}

static PHP_RSHUTDOWN_FUNCTION(tide)
{
    TIDE_UNUSED(type);
    TIDE_UNUSED(module_number);
    php_tide_server_rshutdown();
    php_tide_process_rshutdown();
    php_tide_stream_hooks_rshutdown();
    php_tide_autoload_rshutdown();
    php_tide_response_rshutdown();
    php_tide_ws_rshutdown();
    php_tide_event_rshutdown();
    php_tide_coro_rshutdown();
    php_tide_timer_rshutdown();
    php_tide_loop_rshutdown();
    return SUCCESS;
}

/* "io_uring (multishot accept, ...)" or "epoll (why)" for phpinfo() and --ri. */
static void describe_backend(char *out, size_t len)
{
    tide_backend_t want;
    const char *source, *bad;
    char why[256] = "";
    tide_reactor_t *r;

    if (!php_tide_requested_backend(&want, &source, &bad)) {
        snprintf(out, len, "none (%s is not a backend name)", bad);
        return;
    }
    tide_reactor_opts_t opts = {want, 8};
    int rc = tide_reactor_create(&r, &opts, why, sizeof(why));
    if (rc < 0) {
        snprintf(out, len, "none (%s asks for %s: %s)", source, tide_backend_name(want),
                 why[0] ? why : tide_strerror(rc));
        return;
    }
    if (tide_reactor_backend(r) == TIDE_BACKEND_URING) {
        const tide_reactor_features_t *f = tide_reactor_features(r);
        snprintf(out, len, "io_uring (accept: %s, recv: %s%s)",
                 f->multishot_accept ? "multishot" : "single-shot",
                 f->multishot_recv ? "multishot, provided buffer ring" : "single-shot",
                 f->defer_taskrun ? ", DEFER_TASKRUN" : "");
    } else if (want == TIDE_BACKEND_EPOLL) {
        snprintf(out, len, "epoll (forced by %s)", source);
    } else {
        snprintf(out, len, "epoll (io_uring unavailable: %s)", why);
    }
    tide_reactor_destroy(r);
}

static PHP_MINFO_FUNCTION(tide)
{
    char backend[512];
    describe_backend(backend, sizeof(backend));

    php_info_print_table_start();
    php_info_print_table_row(2, "Tide support", "enabled");
    php_info_print_table_row(2, "Version", TIDE_VERSION);
    php_info_print_table_row(2, "Reactor backend", backend);
    php_info_print_table_row(2, "liburing", TIDE_LIBURING_VERSION);
    php_info_print_table_end();
    DISPLAY_INI_ENTRIES();
}

zend_module_entry tide_module_entry = {
    STANDARD_MODULE_HEADER,
    "tide",
    ext_functions,
    PHP_MINIT(tide),
    PHP_MSHUTDOWN(tide),
    PHP_RINIT(tide),
    PHP_RSHUTDOWN(tide),
    PHP_MINFO(tide),
    TIDE_VERSION,
    PHP_MODULE_GLOBALS(tide),
    PHP_GINIT(tide),
    NULL,
    NULL,
    STANDARD_MODULE_PROPERTIES_EX,
};

#ifdef COMPILE_DL_TIDE
ZEND_GET_MODULE(tide)
#endif

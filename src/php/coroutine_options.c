/* SPDX-License-Identifier: MIT */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>

#include "php.h"
#include "php_tide.h"
#include "tide/log.h"

/*
 * Coroutine::set()'s options (and the same keys in Server::set()). Swoole's names are taken
 * with Swoole's meaning where Tide has the subject; Swoole's tuning knobs of parts Tide
 * does not have (its AIO thread pool, its DNS cache) are accepted and change nothing;
 * what Tide cannot do (a preemptive scheduler, a loop exit condition) is refused.
 */
typedef enum { OPT_MAX_COROUTINE, OPT_STACK_SIZE, OPT_HOOK_FLAGS, OPT_DEADLOCK, OPT_LOG_LEVEL,
               OPT_SOCKET_TIMEOUT, OPT_ACCEPTED, OPT_REFUSED } opt_t;

static const struct {
    const char *name;
    opt_t opt;
    const char *why; /* OPT_ACCEPTED: what it tunes in Swoole; OPT_REFUSED: why not here */
} coro_options[] = {
    {"max_coroutine", OPT_MAX_COROUTINE, NULL},
    {"stack_size", OPT_STACK_SIZE, NULL},
    {"c_stack_size", OPT_STACK_SIZE, NULL},
    {"hook_flags", OPT_HOOK_FLAGS, NULL},
    {"deadlock_check", OPT_DEADLOCK, NULL},
    {"enable_deadlock_check", OPT_DEADLOCK, NULL},
    {"log_level", OPT_LOG_LEVEL, NULL},
    {"socket_timeout", OPT_SOCKET_TIMEOUT, NULL},
    {"socket_connect_timeout", OPT_SOCKET_TIMEOUT, NULL},
    {"socket_read_timeout", OPT_SOCKET_TIMEOUT, NULL},
    {"socket_write_timeout", OPT_SOCKET_TIMEOUT, NULL},
    {"socket_dns_timeout", OPT_ACCEPTED, "a lookup runs on a helper thread as long as the resolver takes"},
    {"dns_cache_expire", OPT_ACCEPTED, "no DNS cache: the system resolver (nscd, systemd-resolved) caches"},
    {"dns_cache_capacity", OPT_ACCEPTED, "no DNS cache"},
    {"dns_cache_refresh_time", OPT_ACCEPTED, "no DNS cache"},
    {"aio_core_worker_num", OPT_ACCEPTED, "file I/O goes through io_uring (helper threads on epoll)"},
    {"aio_worker_num", OPT_ACCEPTED, "file I/O goes through io_uring"},
    {"aio_max_wait_time", OPT_ACCEPTED, "file I/O goes through io_uring"},
    {"aio_max_idle_time", OPT_ACCEPTED, "file I/O goes through io_uring"},
    {"enable_signalfd", OPT_ACCEPTED, "signals always go through the reactor"},
    {"wait_signal", OPT_ACCEPTED, "signals always go through the reactor"},
    {"trace_flags", OPT_ACCEPTED, "Swoole's debug-build tracing"},
    {"print_backtrace_on_error", OPT_ACCEPTED, "a crash prints a line from the fault handler"},
    {"enable_preemptive_scheduler", OPT_REFUSED, "Tide's scheduler is cooperative"},
    {"exit_condition", OPT_REFUSED, "the loop ends when nothing is left to wait for"},
    {"dns_server", OPT_REFUSED, "lookups use the system resolver (/etc/resolv.conf)"},
    {"name_resolver", OPT_REFUSED, "lookups use the system resolver (/etc/resolv.conf)"},
};

static int coro_option_find(const char *name)
{
    for (size_t i = 0; i < sizeof(coro_options) / sizeof(coro_options[0]); i++)
        if (strcmp(coro_options[i].name, name) == 0)
            return (int)i;
    return -1;
}

bool php_tide_coro_option_known(const char *name)
{
    return coro_option_find(name) >= 0;
}

/* Applies one option; false with a ValueError (arg: the argument number to name). */
bool php_tide_coro_option(zend_string *key, zval *value, uint32_t arg)
{
    int i = coro_option_find(ZSTR_VAL(key));
    if (i < 0 && TIDE_G(swoole_compat)) {
        /* Swoole ignores an option it does not know; a warning at least names it */
        php_error_docref(NULL, E_WARNING, "Unknown option \"%s\" ignored", ZSTR_VAL(key));
        return !EG(exception);
    }
    if (i < 0) {
        zend_argument_value_error(arg, "contains an unknown option \"%s\"", ZSTR_VAL(key));
        return false;
    }
    const char *name = ZSTR_VAL(key);
    switch (coro_options[i].opt) {
    case OPT_MAX_COROUTINE: {
        zend_long n = zval_get_long(value);
        if (n < 0) {
            zend_argument_value_error(arg, "option \"%s\" must be 0 (no limit) or more", name);
            return false;
        }
        TIDE_G(max_coroutine) = n;
        if (TIDE_G(sched))
            tide_sched_set_max(TIDE_G(sched), (size_t)n);
        break;
    }
    case OPT_STACK_SIZE: {
        zend_long n;
        if (!php_tide_parse_size(value, &n, arg, name))
            return false;
        if (n < 16384 || n > (zend_long)1 << 30) {
            zend_argument_value_error(arg, "option \"%s\" must be between 16384 and 1073741824 bytes", name);
            return false;
        }
        TIDE_G(stack_size) = n;
        if (TIDE_G(sched))
            tide_sched_set_stack_size(TIDE_G(sched), (size_t)n);
        break;
    }
    case OPT_HOOK_FLAGS:
        if (!php_tide_hook_flags_valid(zval_get_long(value), arg, name))
            return false;
        TIDE_G(hook_flags) = zval_get_long(value);
        break;
    case OPT_DEADLOCK:
        TIDE_G(deadlock_check) = zend_is_true(value);
        break;
    case OPT_LOG_LEVEL: {
        zend_long n = zval_get_long(value);
        if (n < 0 || n > 6) {
            zend_argument_value_error(arg, "option \"%s\" must be between 0 (debug) and 6 (none)", name);
            return false;
        }
        tide_log_set_level((int)n); /* the process's log lines, as a server's log_level */
        break;
    }
    case OPT_SOCKET_TIMEOUT: {
        /* PHP's streams have one timeout for connects, reads and writes, which the hooked
         * streams keep: default_socket_timeout. */
        double t = zval_get_double(value);
        if (!(t > 0 || t == -1)) {
            zend_argument_value_error(arg, "option \"%s\" must be greater than 0, or -1 (none)", name);
            return false;
        }
        char buf[64];
        snprintf(buf, sizeof(buf), "%.17g", t < 0 ? -1.0 : t);
        zend_string *ini = zend_string_init_interned("default_socket_timeout",
                                                     sizeof("default_socket_timeout") - 1, 0);
        zend_alter_ini_entry_chars(ini, buf, strlen(buf), PHP_INI_USER, PHP_INI_STAGE_RUNTIME);
        zend_string_release(ini);
        break;
    }
    case OPT_ACCEPTED:
        break;
    case OPT_REFUSED:
        if (zend_is_true(value)) {
            zend_argument_value_error(arg, "option \"%s\" is not supported: %s", name,
                                      coro_options[i].why);
            return false;
        }
        break;
    }
    if (Z_TYPE(TIDE_G(coro_options)) != IS_ARRAY)
        array_init(&TIDE_G(coro_options));
    Z_TRY_ADDREF_P(value);
    zend_hash_update(Z_ARRVAL(TIDE_G(coro_options)), key, value);
    return true;
}

ZEND_METHOD(Tide_Coroutine, set)
{
    HashTable *options;
    zend_string *key;
    zval *value;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(options)
    ZEND_PARSE_PARAMETERS_END();

    ZEND_HASH_FOREACH_STR_KEY_VAL(options, key, value) {
        if (!key) {
            zend_argument_value_error(1, "must have string keys (option names)");
            RETURN_THROWS();
        }
        if (!php_tide_coro_option(key, value, 1))
            RETURN_THROWS();
    } ZEND_HASH_FOREACH_END();
}

ZEND_METHOD(Tide_Coroutine, getOptions)
{
    ZEND_PARSE_PARAMETERS_NONE();
    if (Z_TYPE(TIDE_G(coro_options)) != IS_ARRAY)
        RETURN_NULL();
    RETURN_COPY(&TIDE_G(coro_options));
}


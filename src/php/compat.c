/* SPDX-License-Identifier: MIT */
/*
 * tide.swoole_compat=On: Swoole's names for Tide's classes, functions and constants,
 * registered natively at startup (the same classes under a second name: `new
 * Swoole\Server` makes a Tide\Server, and `instanceof` holds both ways). Off by default:
 * then nothing here runs. Loading it next to the real swoole extension is refused.
 *
 * extension_loaded('swoole') stays false: Tide is not Swoole, and code that checks for
 * the extension to pick a code path should know. swoole_version() and SWOOLE_VERSION say
 * which Swoole API level Tide follows.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "php_tide.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include "tide/http_static.h"
#include "tide/log.h"
#include "zend_constants.h"

/* The Swoole API level whose names and behaviour Tide follows. */
#define SWOOLE_API_VERSION "6.0.0"
#define SWOOLE_API_VERSION_ID 60000

/* Tide's class, and its Swoole names. */
static const struct {
    const char *tide;
    const char *swoole[2];
} classes[] = {
    {"Tide\\Server", {"Swoole\\Server"}},
    {"Tide\\Server\\Port", {"Swoole\\Server\\Port"}},
    {"Tide\\Task", {"Swoole\\Server\\Task"}},
    {"Tide\\Http\\Server", {"Swoole\\Http\\Server"}},
    {"Tide\\Http\\Request", {"Swoole\\Http\\Request"}},
    {"Tide\\Http\\Response", {"Swoole\\Http\\Response"}},
    {"Tide\\Http\\Cookie", {"Swoole\\Http\\Cookie"}},
    {"Tide\\Server\\ConnectionIterator", {"Swoole\\Connection\\Iterator"}},
    {"Tide\\WebSocket\\Server", {"Swoole\\WebSocket\\Server"}},
    {"Tide\\WebSocket\\Frame", {"Swoole\\WebSocket\\Frame"}},
    {"Tide\\WebSocket\\CloseFrame", {"Swoole\\WebSocket\\CloseFrame"}},
    {"Tide\\Coroutine", {"Swoole\\Coroutine", "Co"}},
    {"Tide\\Coroutine\\Channel", {"Swoole\\Coroutine\\Channel", "Co\\Channel"}},
    {"Tide\\Coroutine\\WaitGroup", {"Swoole\\Coroutine\\WaitGroup", "Co\\WaitGroup"}},
    {"Tide\\Coroutine\\Context", {"Swoole\\Coroutine\\Context", "Co\\Context"}},
    {"Tide\\Coroutine\\System", {"Swoole\\Coroutine\\System", "Co\\System"}},
    {"Tide\\Coroutine\\Scheduler", {"Swoole\\Coroutine\\Scheduler", "Co\\Scheduler"}},
    {"Tide\\Coroutine\\Lock", {"Swoole\\Coroutine\\Lock", "Co\\Lock"}},
    {"Tide\\Coroutine\\Http\\Client", {"Swoole\\Coroutine\\Http\\Client", "Co\\Http\\Client"}},
    {"Tide\\Coroutine\\Http\\Server", {"Swoole\\Coroutine\\Http\\Server", "Co\\Http\\Server"}},
    {"Tide\\Timer", {"Swoole\\Timer"}},
    {"Tide\\Event", {"Swoole\\Event"}},
    {"Tide\\Table", {"Swoole\\Table"}},
    {"Tide\\Atomic", {"Swoole\\Atomic"}},
    {"Tide\\Atomic\\Long", {"Swoole\\Atomic\\Long"}},
    {"Tide\\Lock", {"Swoole\\Lock"}},
    {"Tide\\Runtime", {"Swoole\\Runtime"}},
    {"Tide\\Process", {"Swoole\\Process"}},
    {"Tide\\Exception", {"Swoole\\Exception"}},
    {"Tide\\Coroutine\\Client", {"Swoole\\Coroutine\\Client", "Co\\Client"}},
    {"Tide\\Client", {"Swoole\\Client"}},
};

/* Swoole's constant, and the Tide constant it is. */
static const struct {
    const char *swoole, *tide;
} constants[] = {
    {"SWOOLE_BASE", "Tide\\MODE_BASE"},
    {"SWOOLE_PROCESS", "Tide\\MODE_PROCESS"},
    {"SWOOLE_SOCK_TCP", "Tide\\SOCK_TCP"},
    {"SWOOLE_SOCK_TCP6", "Tide\\SOCK_TCP6"},
    {"SWOOLE_SOCK_UDP", "Tide\\SOCK_UDP"},
    {"SWOOLE_SOCK_UDP6", "Tide\\SOCK_UDP6"},
    {"SWOOLE_SOCK_UNIX_STREAM", "Tide\\SOCK_UNIX_STREAM"},
    {"SWOOLE_SOCK_UNIX_DGRAM", "Tide\\SOCK_UNIX_DGRAM"},
    {"SWOOLE_SSL", "Tide\\SSL"},
    {"SWOOLE_HOOK_TCP", "Tide\\HOOK_TCP"},
    {"SWOOLE_HOOK_UDP", "Tide\\HOOK_UDP"},
    {"SWOOLE_HOOK_UNIX", "Tide\\HOOK_UNIX"},
    {"SWOOLE_HOOK_UDG", "Tide\\HOOK_UDG"},
    {"SWOOLE_HOOK_SSL", "Tide\\HOOK_SSL"},
    {"SWOOLE_HOOK_TLS", "Tide\\HOOK_TLS"},
    {"SWOOLE_HOOK_STREAM_FUNCTION", "Tide\\HOOK_STREAM_FUNCTION"},
    {"SWOOLE_HOOK_FILE", "Tide\\HOOK_FILE"},
    {"SWOOLE_HOOK_SLEEP", "Tide\\HOOK_SLEEP"},
    {"SWOOLE_HOOK_PROC", "Tide\\HOOK_PROC"},
    {"SWOOLE_HOOK_CURL", "Tide\\HOOK_CURL"},
    {"SWOOLE_HOOK_NATIVE_CURL", "Tide\\HOOK_CURL"},
    {"SWOOLE_HOOK_BLOCKING_FUNCTION", "Tide\\HOOK_DNS"},
    {"SWOOLE_HOOK_ALL", "Tide\\HOOK_ALL"},
    {"SWOOLE_MSGQUEUE_ORIENT", "Tide\\MSGQUEUE_ORIENT"},
    {"SWOOLE_MSGQUEUE_BALANCE", "Tide\\MSGQUEUE_BALANCE"},
    {"WEBSOCKET_OPCODE_CONTINUATION", "Tide\\WebSocket\\OPCODE_CONTINUATION"},
    {"WEBSOCKET_OPCODE_TEXT", "Tide\\WebSocket\\OPCODE_TEXT"},
    {"WEBSOCKET_OPCODE_BINARY", "Tide\\WebSocket\\OPCODE_BINARY"},
    {"WEBSOCKET_OPCODE_CLOSE", "Tide\\WebSocket\\OPCODE_CLOSE"},
    {"WEBSOCKET_OPCODE_PING", "Tide\\WebSocket\\OPCODE_PING"},
    {"WEBSOCKET_OPCODE_PONG", "Tide\\WebSocket\\OPCODE_PONG"},
    {"SWOOLE_WEBSOCKET_OPCODE_CONTINUATION", "Tide\\WebSocket\\OPCODE_CONTINUATION"},
    {"SWOOLE_WEBSOCKET_OPCODE_TEXT", "Tide\\WebSocket\\OPCODE_TEXT"},
    {"SWOOLE_WEBSOCKET_OPCODE_BINARY", "Tide\\WebSocket\\OPCODE_BINARY"},
    {"SWOOLE_WEBSOCKET_OPCODE_CLOSE", "Tide\\WebSocket\\OPCODE_CLOSE"},
    {"SWOOLE_WEBSOCKET_OPCODE_PING", "Tide\\WebSocket\\OPCODE_PING"},
    {"SWOOLE_WEBSOCKET_OPCODE_PONG", "Tide\\WebSocket\\OPCODE_PONG"},
    {"SWOOLE_WEBSOCKET_FLAG_FIN", "Tide\\WebSocket\\FLAG_FIN"},
    {"SWOOLE_WEBSOCKET_FLAG_COMPRESS", "Tide\\WebSocket\\FLAG_COMPRESS"},
    {"SWOOLE_WEBSOCKET_FLAG_RSV1", "Tide\\WebSocket\\FLAG_RSV1"},
    {"SWOOLE_WEBSOCKET_FLAG_RSV2", "Tide\\WebSocket\\FLAG_RSV2"},
    {"SWOOLE_WEBSOCKET_FLAG_RSV3", "Tide\\WebSocket\\FLAG_RSV3"},
    {"SWOOLE_WEBSOCKET_FLAG_MASK", "Tide\\WebSocket\\FLAG_MASK"},
    {"WEBSOCKET_CLOSE_NORMAL", "Tide\\WebSocket\\CLOSE_NORMAL"},
    {"WEBSOCKET_CLOSE_GOING_AWAY", "Tide\\WebSocket\\CLOSE_GOING_AWAY"},
    {"WEBSOCKET_CLOSE_PROTOCOL_ERROR", "Tide\\WebSocket\\CLOSE_PROTOCOL_ERROR"},
    {"WEBSOCKET_CLOSE_DATA_ERROR", "Tide\\WebSocket\\CLOSE_DATA_ERROR"},
    {"WEBSOCKET_CLOSE_MESSAGE_TOO_BIG", "Tide\\WebSocket\\CLOSE_MESSAGE_TOO_BIG"},
    {"WEBSOCKET_CLOSE_SERVER_ERROR", "Tide\\WebSocket\\CLOSE_SERVER_ERROR"},
};

ZEND_FUNCTION(Tide_go);
ZEND_FUNCTION(Tide_run);

/* go() and Co\run() are Tide\go() and Tide\run() (the handler parses the arguments and names
 * the function called in its errors). */
static ZEND_FUNCTION(swoole_go)
{
    ZEND_FN(Tide_go)(INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

static ZEND_FUNCTION(swoole_co_run)
{
    ZEND_FN(Tide_run)(INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

static ZEND_FUNCTION(swoole_version)
{
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_STRING(SWOOLE_API_VERSION);
}

/* The number of CPUs online (a default for worker_num). */
static ZEND_FUNCTION(swoole_cpu_num)
{
    ZEND_PARSE_PARAMETERS_NONE();
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    RETURN_LONG(n > 0 ? n : 1);
}

/* The process's title, as ps shows it: the CLI's cli_set_process_title(). */
static ZEND_FUNCTION(swoole_set_process_name)
{
    zend_string *name;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(name)
    ZEND_PARSE_PARAMETERS_END();
    zval fn, arg, rv;
    ZVAL_STRING(&fn, "cli_set_process_title");
    ZVAL_STR_COPY(&arg, name);
    ZVAL_UNDEF(&rv);
    bool ok = zend_hash_str_exists(CG(function_table), "cli_set_process_title",
                                   sizeof("cli_set_process_title") - 1) &&
              call_user_function(NULL, NULL, &fn, &rv, 1, &arg) == SUCCESS &&
              Z_TYPE(rv) == IS_TRUE;
    zval_ptr_dtor(&fn);
    zval_ptr_dtor(&arg);
    zval_ptr_dtor(&rv);
    if (EG(exception))
        RETURN_THROWS();
    RETURN_BOOL(ok);
}

/* The message of an errno value. */
static ZEND_FUNCTION(swoole_strerror)
{
    zend_long code;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(code)
    ZEND_PARSE_PARAMETERS_END();
    RETURN_STRING(strerror((int)code)); /* NTS PHP: one thread */
}

/* The code of the last failure Tide reported with one (a Tide\Exception's code). */
static ZEND_FUNCTION(swoole_last_error)
{
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_LONG(TIDE_G(last_error));
}

static ZEND_FUNCTION(swoole_clear_error)
{
    TIDE_UNUSED(return_value);
    ZEND_PARSE_PARAMETERS_NONE();
    TIDE_G(last_error) = 0;
    errno = 0;
}

/* The C library's errno, as the last system call left it. */
static ZEND_FUNCTION(swoole_errno)
{
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_LONG(errno);
}

/* The IPv4 (family 2) or IPv6 (10) address of each interface but loopback, by name. */
static ZEND_FUNCTION(swoole_get_local_ip)
{
    zend_long family = AF_INET;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(family)
    ZEND_PARSE_PARAMETERS_END();
    if (family != AF_INET && family != AF_INET6) {
        zend_argument_value_error(1, "must be AF_INET (2) or AF_INET6 (10)");
        RETURN_THROWS();
    }
    struct ifaddrs *ifs, *i;
    array_init(return_value);
    if (getifaddrs(&ifs) < 0)
        return;
    for (i = ifs; i; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != family || (i->ifa_flags & IFF_LOOPBACK))
            continue;
        char ip[INET6_ADDRSTRLEN];
        const void *a = family == AF_INET ? (const void *)&((struct sockaddr_in *)i->ifa_addr)->sin_addr
                                          : (const void *)&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
        if (inet_ntop((int)family, a, ip, sizeof(ip)))
            add_assoc_string(return_value, i->ifa_name, ip);
    }
    freeifaddrs(ifs);
}

/* The MAC address of each interface but loopback, by name. */
static ZEND_FUNCTION(swoole_get_local_mac)
{
    ZEND_PARSE_PARAMETERS_NONE();
    struct ifaddrs *ifs, *i;
    array_init(return_value);
    if (getifaddrs(&ifs) < 0)
        return;
    for (i = ifs; i; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_PACKET || (i->ifa_flags & IFF_LOOPBACK))
            continue;
        const struct sockaddr_ll *ll = (const struct sockaddr_ll *)i->ifa_addr;
        if (ll->sll_halen != 6)
            continue;
        char mac[18];
        snprintf(mac, sizeof(mac), "%02X:%02X:%02X:%02X:%02X:%02X", ll->sll_addr[0],
                 ll->sll_addr[1], ll->sll_addr[2], ll->sll_addr[3], ll->sll_addr[4],
                 ll->sll_addr[5]);
        add_assoc_string(return_value, i->ifa_name, mac);
    }
    freeifaddrs(ifs);
}

/* ---- media types (the static handler's table, with this process's own over it) ---- */

static ZEND_FUNCTION(swoole_mime_type_get)
{
    zend_string *file;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(file)
    ZEND_PARSE_PARAMETERS_END();
    RETURN_STRING(tide_mime_type(ZSTR_VAL(file), ZSTR_LEN(file)));
}

static ZEND_FUNCTION(swoole_mime_type_exists)
{
    zend_string *file;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(file)
    ZEND_PARSE_PARAMETERS_END();
    /* known: a type other than the default, or the default named for the extension */
    const char *t = tide_mime_type(ZSTR_VAL(file), ZSTR_LEN(file));
    RETURN_BOOL(strcmp(t, "application/octet-stream") != 0);
}

/* add (only a new extension), set (any) or delete (type NULL); false with a warning. */
static bool mime_change(zend_string *ext, zend_string *type, bool only_new, const char *fn)
{
    if ((type && memchr(ZSTR_VAL(type), 0, ZSTR_LEN(type))) ||
        memchr(ZSTR_VAL(ext), 0, ZSTR_LEN(ext))) {
        zend_argument_value_error(type ? 2 : 1, "must not contain NUL bytes");
        return false;
    }
    int rc = tide_mime_set(ZSTR_VAL(ext), type ? ZSTR_VAL(type) : NULL, only_new);
    if (rc == -EINVAL) {
        zend_value_error("%s(): the extension must be 1 to 15 bytes without dots, slashes "
                         "or spaces, the type 1 to 255 bytes without control characters", fn);
        return false;
    }
    if (rc < 0)
        php_error_docref(NULL, E_WARNING, "extension '%s': %s", ZSTR_VAL(ext),
                         rc == -EEXIST   ? "known already (swoole_mime_type_set() replaces)"
                         : rc == -ENOENT ? "not known"
                                         : "too many types added (256)");
    return rc == 0;
}

static ZEND_FUNCTION(swoole_mime_type_add)
{
    zend_string *ext, *type;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(ext)
        Z_PARAM_STR(type)
    ZEND_PARSE_PARAMETERS_END();
    bool ok = mime_change(ext, type, true, "swoole_mime_type_add");
    if (EG(exception))
        RETURN_THROWS();
    RETURN_BOOL(ok);
}

static ZEND_FUNCTION(swoole_mime_type_set)
{
    zend_string *ext, *type;
    TIDE_UNUSED(return_value);
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(ext)
        Z_PARAM_STR(type)
    ZEND_PARSE_PARAMETERS_END();
    mime_change(ext, type, false, "swoole_mime_type_set");
}

static ZEND_FUNCTION(swoole_mime_type_delete)
{
    zend_string *ext;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(ext)
    ZEND_PARSE_PARAMETERS_END();
    bool ok = mime_change(ext, NULL, false, "swoole_mime_type_delete");
    if (EG(exception))
        RETURN_THROWS();
    RETURN_BOOL(ok);
}

static void add_mime(const char *ext, const char *type, void *arg)
{
    add_assoc_string((zval *)arg, ext, type);
}

/* extension => type (Swoole gives a list of the types: iterating the values is the same) */
static ZEND_FUNCTION(swoole_mime_type_list)
{
    ZEND_PARSE_PARAMETERS_NONE();
    array_init(return_value);
    tide_mime_foreach(add_mime, return_value);
}

/* ---- the rest ---- */

/* Coroutine::set()'s options (Swoole's async settings are the same keys). */
static ZEND_FUNCTION(swoole_async_set)
{
    HashTable *ht;
    zend_string *key;
    zval *v;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(ht)
    ZEND_PARSE_PARAMETERS_END();
    ZEND_HASH_FOREACH_STR_KEY_VAL(ht, key, v) {
        if (!key) {
            zend_argument_value_error(1, "must have string keys (option names)");
            RETURN_THROWS();
        }
        if (zend_string_equals_literal(key, "enable_coroutine"))
            continue; /* coroutines are always on */
        if (!php_tide_coro_option(key, v, 1))
            RETURN_THROWS();
    } ZEND_HASH_FOREACH_END();
    RETURN_TRUE;
}

/* A line in Tide's log (stderr, or the server's log_file), at SWOOLE_LOG_* level. */
static void error_log_line(zend_long level, zend_long code, zend_string *msg)
{
    if (level < 0 || level > 5) {
        zend_argument_value_error(1, "must be a SWOOLE_LOG_* level from SWOOLE_LOG_DEBUG to "
                                     "SWOOLE_LOG_ERROR");
        return;
    }
    /* one line: what would end it early goes */
    int n = (int)MIN(ZSTR_LEN(msg), (size_t)8192);
    const char *nl = memchr(ZSTR_VAL(msg), '\n', (size_t)n);
    if (nl)
        n = (int)(nl - ZSTR_VAL(msg));
    if (code)
        tide_log((int)level, "%.*s (error " ZEND_LONG_FMT ")", n, ZSTR_VAL(msg), code);
    else
        tide_log((int)level, "%.*s", n, ZSTR_VAL(msg));
}

static ZEND_FUNCTION(swoole_error_log)
{
    zend_long level;
    zend_string *msg;
    TIDE_UNUSED(return_value);
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_LONG(level)
        Z_PARAM_STR(msg)
    ZEND_PARSE_PARAMETERS_END();
    error_log_line(level, 0, msg);
}

static ZEND_FUNCTION(swoole_error_log_ex)
{
    zend_long level, code;
    zend_string *msg;
    TIDE_UNUSED(return_value);
    ZEND_PARSE_PARAMETERS_START(3, 3)
        Z_PARAM_LONG(level)
        Z_PARAM_LONG(code)
        Z_PARAM_STR(msg)
    ZEND_PARSE_PARAMETERS_END();
    error_log_line(level, code, msg);
}

/* Tide keeps no DNS cache (lookups go to the system resolver): nothing to clear. */
static ZEND_FUNCTION(swoole_clear_dns_cache)
{
    TIDE_UNUSED(return_value);
    ZEND_PARSE_PARAMETERS_NONE();
}

/* $fn(substr($str, $offset, $length ?: null), ...$rest): unserialize() or json_decode()
 * of a part of a string, with PHP's own errors for what it holds. */
static void of_substr(INTERNAL_FUNCTION_PARAMETERS, const char *fn)
{
    zend_string *str;
    zend_long offset, length = 0;
    zval *rest = NULL;
    uint32_t nrest = 0;
    ZEND_PARSE_PARAMETERS_START(2, -1)
        Z_PARAM_STR(str)
        Z_PARAM_LONG(offset)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(length)
        Z_PARAM_VARIADIC('*', rest, nrest)
    ZEND_PARSE_PARAMETERS_END();
    size_t len = ZSTR_LEN(str);
    if (offset < 0 || (size_t)offset > len) {
        zend_argument_value_error(2, "must be between 0 and the length of argument #1 (%zu)", len);
        RETURN_THROWS();
    }
    if (length < 0 || (size_t)length > len - (size_t)offset) {
        zend_argument_value_error(3, "must be between 0 and the bytes left after the offset");
        RETURN_THROWS();
    }
    size_t n = length ? (size_t)length : len - (size_t)offset;
    zval args[8], func;
    if (nrest > 4)
        nrest = 4;
    ZVAL_STRINGL(&args[0], ZSTR_VAL(str) + offset, n);
    for (uint32_t i = 0; i < nrest; i++)
        ZVAL_COPY_VALUE(&args[i + 1], &rest[i]);
    ZVAL_STRING(&func, fn);
    call_user_function(NULL, NULL, &func, return_value, nrest + 1, args);
    zval_ptr_dtor(&func);
    zval_ptr_dtor(&args[0]);
}

static ZEND_FUNCTION(swoole_substr_unserialize)
{
    of_substr(INTERNAL_FUNCTION_PARAM_PASSTHRU, "unserialize");
}

static ZEND_FUNCTION(swoole_substr_json_decode)
{
    of_substr(INTERNAL_FUNCTION_PARAM_PASSTHRU, "json_decode");
}

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_swoole_filename_string, 0, 1, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO(0, filename, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_swoole_filename_bool, 0, 1, _IS_BOOL, 0)
    ZEND_ARG_TYPE_INFO(0, filename, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_swoole_mime_type_add, 0, 2, _IS_BOOL, 0)
    ZEND_ARG_TYPE_INFO(0, suffix, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO(0, mime_type, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_swoole_mime_type_set, 0, 2, IS_VOID, 0)
    ZEND_ARG_TYPE_INFO(0, suffix, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO(0, mime_type, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_swoole_mime_type_delete, 0, 1, _IS_BOOL, 0)
    ZEND_ARG_TYPE_INFO(0, suffix, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_swoole_none_array, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_swoole_async_set, 0, 1, _IS_BOOL, 0)
    ZEND_ARG_TYPE_INFO(0, settings, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_swoole_error_log, 0, 2, IS_VOID, 0)
    ZEND_ARG_TYPE_INFO(0, level, IS_LONG, 0)
    ZEND_ARG_TYPE_INFO(0, msg, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_swoole_error_log_ex, 0, 3, IS_VOID, 0)
    ZEND_ARG_TYPE_INFO(0, level, IS_LONG, 0)
    ZEND_ARG_TYPE_INFO(0, error, IS_LONG, 0)
    ZEND_ARG_TYPE_INFO(0, msg, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_swoole_substr_unserialize, 0, 2, IS_MIXED, 0)
    ZEND_ARG_TYPE_INFO(0, str, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO(0, offset, IS_LONG, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, length, IS_LONG, 0, "0")
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_swoole_substr_json_decode, 0, 2, IS_MIXED, 0)
    ZEND_ARG_TYPE_INFO(0, str, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO(0, offset, IS_LONG, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, length, IS_LONG, 0, "0")
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, associative, _IS_BOOL, 1, "null")
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, depth, IS_LONG, 0, "512")
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, flags, IS_LONG, 0, "0")
ZEND_END_ARG_INFO()

ZEND_METHOD(Tide_Timer, list);

/* Timer::list() as swoole_timer_list() (its return type names a class: not copied below). */
static ZEND_FUNCTION(swoole_timer_list)
{
    zim_Tide_Timer_list(INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_swoole_timer_list, 0, 0, Iterator, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_swoole_none_long, 0, 0, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_swoole_clear_error, 0, 0, IS_VOID, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_swoole_get_local_ip, 0, 0, IS_ARRAY, 0)
    ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, family, IS_LONG, 0, "2")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_swoole_get_local_mac, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_swoole_cpu_num, 0, 0, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_swoole_set_process_name, 0, 1, _IS_BOOL, 0)
    ZEND_ARG_TYPE_INFO(0, process_name, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_swoole_strerror, 0, 1, IS_STRING, 0)
    ZEND_ARG_TYPE_INFO(0, errno, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_go, 0, 1, MAY_BE_LONG | MAY_BE_FALSE)
    ZEND_ARG_TYPE_INFO(0, func, IS_CALLABLE, 0)
    ZEND_ARG_VARIADIC_TYPE_INFO(0, args, IS_MIXED, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_co_run, 0, 1, _IS_BOOL, 0)
    ZEND_ARG_TYPE_INFO(0, func, IS_CALLABLE, 0)
    ZEND_ARG_VARIADIC_TYPE_INFO(0, args, IS_MIXED, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_swoole_version, 0, 0, IS_STRING, 0)
ZEND_END_ARG_INFO()

/* Written out (ZEND_RAW_FENTRY takes two more arguments from PHP 8.4 on). */
#define ENTRY(name, fn, ai)                                                                    \
    {.fname = name,                                                                            \
     .handler = ZEND_FN(fn),                                                                   \
     .arg_info = ai,                                                                           \
     .num_args = (uint32_t)(sizeof(ai) / sizeof(struct _zend_internal_arg_info) - 1),          \
     .flags = 0}

static const zend_function_entry functions[] = {
    ENTRY("go", swoole_go, arginfo_go),
    ENTRY("Co\\run", swoole_co_run, arginfo_co_run),
    ENTRY("Swoole\\Coroutine\\run", swoole_co_run, arginfo_co_run), /* (Swoole's library) */
    ENTRY("swoole_version", swoole_version, arginfo_swoole_version),
    ENTRY("swoole_cpu_num", swoole_cpu_num, arginfo_swoole_cpu_num),
    ENTRY("swoole_set_process_name", swoole_set_process_name, arginfo_swoole_set_process_name),
    ENTRY("swoole_strerror", swoole_strerror, arginfo_swoole_strerror),
    ENTRY("swoole_last_error", swoole_last_error, arginfo_swoole_none_long),
    ENTRY("swoole_errno", swoole_errno, arginfo_swoole_none_long),
    ENTRY("swoole_clear_error", swoole_clear_error, arginfo_swoole_clear_error),
    ENTRY("swoole_get_local_ip", swoole_get_local_ip, arginfo_swoole_get_local_ip),
    ENTRY("swoole_get_local_mac", swoole_get_local_mac, arginfo_swoole_get_local_mac),
    ENTRY("swoole_timer_list", swoole_timer_list, arginfo_swoole_timer_list),
    ENTRY("swoole_mime_type_get", swoole_mime_type_get, arginfo_swoole_filename_string),
    ENTRY("swoole_get_mime_type", swoole_mime_type_get, arginfo_swoole_filename_string),
    ENTRY("swoole_mime_type_exists", swoole_mime_type_exists, arginfo_swoole_filename_bool),
    ENTRY("swoole_mime_type_add", swoole_mime_type_add, arginfo_swoole_mime_type_add),
    ENTRY("swoole_mime_type_set", swoole_mime_type_set, arginfo_swoole_mime_type_set),
    ENTRY("swoole_mime_type_delete", swoole_mime_type_delete, arginfo_swoole_mime_type_delete),
    ENTRY("swoole_mime_type_list", swoole_mime_type_list, arginfo_swoole_none_array),
    ENTRY("swoole_async_set", swoole_async_set, arginfo_swoole_async_set),
    ENTRY("swoole_error_log", swoole_error_log, arginfo_swoole_error_log),
    ENTRY("swoole_error_log_ex", swoole_error_log_ex, arginfo_swoole_error_log_ex),
    ENTRY("swoole_clear_dns_cache", swoole_clear_dns_cache, arginfo_swoole_clear_error),
    ENTRY("swoole_substr_unserialize", swoole_substr_unserialize, arginfo_swoole_substr_unserialize),
    ENTRY("swoole_substr_json_decode", swoole_substr_json_decode, arginfo_swoole_substr_json_decode),
    ZEND_FE_END
};

static zend_class_entry *class_named(const char *name);

/* Swoole's functions that are one of Tide's static methods under another name. */
static const struct {
    const char *function, *class_name, *method;
} method_functions[] = {
    {"swoole_timer_tick", "Tide\\Timer", "tick"},
    {"swoole_timer_after", "Tide\\Timer", "after"},
    {"swoole_timer_exists", "Tide\\Timer", "exists"},
    {"swoole_timer_info", "Tide\\Timer", "info"},
    {"swoole_timer_stats", "Tide\\Timer", "stats"},
    {"swoole_timer_clear", "Tide\\Timer", "clear"},
    {"swoole_timer_clear_all", "Tide\\Timer", "clearAll"},
    {"swoole_coroutine_create", "Tide\\Coroutine", "create"},
    {"swoole_coroutine_defer", "Tide\\Coroutine", "defer"},
    {"defer", "Tide\\Coroutine", "defer"},
    {"swoole_async_dns_lookup_coro", "Tide\\Coroutine\\System", "dnsLookup"},
    {"swoole_event_add", "Tide\\Event", "add"},
    {"swoole_event_set", "Tide\\Event", "set"},
    {"swoole_event_del", "Tide\\Event", "del"},
    {"swoole_event_isset", "Tide\\Event", "isset"},
    {"swoole_event_write", "Tide\\Event", "write"},
    {"swoole_event_wait", "Tide\\Event", "wait"},
    {"swoole_event_exit", "Tide\\Event", "exit"},
    {"swoole_event_defer", "Tide\\Event", "defer"},
    {"swoole_event_cycle", "Tide\\Event", "cycle"},
    {"swoole_event_dispatch", "Tide\\Event", "dispatch"},
};

/* Whether an internal function's argument or return types name a class (such arg_info
 * holds strings its function owns: it must not be registered a second time). */
static bool names_a_class(const zend_internal_function *fn)
{
    uint32_t n = fn->num_args + ((fn->fn_flags & ZEND_ACC_VARIADIC) ? 1 : 0);
    for (int32_t i = -1; i < (int32_t)n; i++)
        if (ZEND_TYPE_HAS_NAME(fn->arg_info[i].type))
            return true;
    return false;
}

/* Registers each of method_functions whose method exists (the Event methods come with
 * Tide\Event's own file) and names no class in its types. */
static int register_method_functions(void)
{
    for (size_t i = 0; i < sizeof(method_functions) / sizeof(method_functions[0]); i++) {
        zend_class_entry *ce = class_named(method_functions[i].class_name);
        if (!ce)
            continue;
        zend_string *lc =
            zend_string_init(method_functions[i].method, strlen(method_functions[i].method), 0);
        zend_str_tolower(ZSTR_VAL(lc), ZSTR_LEN(lc));
        zend_function *m = zend_hash_find_ptr(&ce->function_table, lc);
        zend_string_release(lc);
        if (!m || m->type != ZEND_INTERNAL_FUNCTION || names_a_class(&m->internal_function))
            continue;
        zend_internal_function *f = &m->internal_function;
        zend_function_entry e[2] = {
            {.fname = method_functions[i].function,
             .handler = f->handler,
             .arg_info = f->arg_info - 1,
             .num_args = f->num_args + ((f->fn_flags & ZEND_ACC_VARIADIC) ? 1 : 0),
             .flags = 0},
            ZEND_FE_END};
        if (zend_register_functions(NULL, e, NULL, MODULE_PERSISTENT) == FAILURE)
            return FAILURE;
    }
    return SUCCESS;
}

static zend_class_entry *class_named(const char *name)
{
    zend_string *lc = zend_string_init(name, strlen(name), 1);
    zend_str_tolower(ZSTR_VAL(lc), ZSTR_LEN(lc));
    zend_class_entry *ce = zend_hash_find_ptr(CG(class_table), lc);
    zend_string_release(lc);
    return ce;
}

int php_tide_compat_minit(int module_number)
{
    if (!TIDE_G(swoole_compat))
        return SUCCESS;
    if (zend_hash_str_exists(&module_registry, "swoole", sizeof("swoole") - 1) ||
        zend_hash_str_exists(&module_registry, "openswoole", sizeof("openswoole") - 1)) {
        zend_error(E_CORE_WARNING,
                   "tide.swoole_compat=On registers Swoole's class, function and constant "
                   "names, and the swoole extension is loaded too: remove one of them (Tide is "
                   "not loaded)");
        return FAILURE;
    }
    for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
        zend_class_entry *ce = class_named(classes[i].tide);
        if (!ce)
            continue; /* a class of a later version */
        for (int j = 0; j < 2 && classes[i].swoole[j]; j++)
            zend_register_class_alias_ex(classes[i].swoole[j], strlen(classes[i].swoole[j]), ce,
                                         1);
        /* PHP reports the class by Swoole's name (get_class(), ::class of an object, error
         * messages, var_dump), as Swoole code compares and logs it; the Tide name stays a
         * name of the class. Both names are interned and permanent: nothing to release. */
        ce->name = zend_string_init_interned(classes[i].swoole[0], strlen(classes[i].swoole[0]), 1);
        zend_alloc_ce_cache(ce->name); /* the class-lookup cache slot every class name has */
    }
    php_tide_channel_swoole_order();
    if (zend_register_functions(NULL, functions, NULL, MODULE_PERSISTENT) == FAILURE ||
        register_method_functions() == FAILURE)
        return FAILURE;
    for (size_t i = 0; i < sizeof(constants) / sizeof(constants[0]); i++) {
        /* a namespaced constant is kept under its namespace in lowercase */
        char key[128];
        size_t n = strlen(constants[i].tide);
        const char *last = strrchr(constants[i].tide, '\\');
        if (n >= sizeof(key))
            continue;
        memcpy(key, constants[i].tide, n + 1);
        for (size_t k = 0; last && k < (size_t)(last - constants[i].tide); k++)
            key[k] = (char)tolower((unsigned char)key[k]);
        zval *v = zend_get_constant_str(key, n);
        if (v && Z_TYPE_P(v) == IS_LONG)
            zend_register_long_constant(constants[i].swoole, strlen(constants[i].swoole),
                                        Z_LVAL_P(v), CONST_PERSISTENT, module_number);
    }
    static const char *const log_levels[] = {"SWOOLE_LOG_DEBUG", "SWOOLE_LOG_TRACE",
                                              "SWOOLE_LOG_INFO", "SWOOLE_LOG_NOTICE",
                                              "SWOOLE_LOG_WARNING", "SWOOLE_LOG_ERROR",
                                              "SWOOLE_LOG_NONE"};
    /* Channel::$errCode's values (Tide's are Swoole's) */
    static const struct { const char *name; zend_long v; } chan[] = {
        {"SWOOLE_CHANNEL_OK", 0}, {"SWOOLE_CHANNEL_TIMEOUT", -1},
        {"SWOOLE_CHANNEL_CLOSED", -2}, {"SWOOLE_CHANNEL_CANCELED", -3}};
    for (size_t i = 0; i < sizeof(chan) / sizeof(chan[0]); i++)
        zend_register_long_constant(chan[i].name, strlen(chan[i].name), chan[i].v,
                                    CONST_PERSISTENT, module_number);
    for (int i = 0; i < 7; i++) /* log_level's values, the same in Tide */
        zend_register_long_constant(log_levels[i], strlen(log_levels[i]), i, CONST_PERSISTENT,
                                    module_number);
    zend_register_long_constant("SWOOLE_EVENT_READ", sizeof("SWOOLE_EVENT_READ") - 1,
                                PHP_TIDE_EVENT_READ, CONST_PERSISTENT, module_number);
    zend_register_long_constant("SWOOLE_EVENT_WRITE", sizeof("SWOOLE_EVENT_WRITE") - 1,
                                PHP_TIDE_EVENT_WRITE, CONST_PERSISTENT, module_number);
    zend_register_string_constant("SWOOLE_VERSION", sizeof("SWOOLE_VERSION") - 1,
                                  SWOOLE_API_VERSION, CONST_PERSISTENT, module_number);
    zend_register_long_constant("SWOOLE_VERSION_ID", sizeof("SWOOLE_VERSION_ID") - 1,
                                SWOOLE_API_VERSION_ID, CONST_PERSISTENT, module_number);
    zend_register_long_constant("SWOOLE_MAJOR_VERSION", sizeof("SWOOLE_MAJOR_VERSION") - 1,
                                SWOOLE_API_VERSION_ID / 10000, CONST_PERSISTENT, module_number);
    return SUCCESS;
}

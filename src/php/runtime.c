/* SPDX-License-Identifier: MIT */
/*
 * Tide\Runtime and the runtime hooks: PHP's blocking functions, made to suspend only the
 * calling coroutine when they are called inside one and their hook is on
 * (TIDE_G(hook_flags), HOOK_ALL unless changed). Outside a coroutine, with the hook off,
 * or where PHP forbids a switch (a destructor before 8.4, a tick function), the stock
 * function runs: the same result, the same errors, the same blocking.
 *
 * A hooked function is the stock internal function with its handler replaced (at MINIT,
 * put back at MSHUTDOWN); the replacement parses the arguments as the stock one does, and
 * hands anything outside the range it serves itself (negative times, a time in the past)
 * to the stock handler, so that errors and warnings stay PHP's own, word for word.
 *
 * HOOK_SLEEP: sleep, usleep, time_nanosleep, time_sleep_until. A coroutine canceled
 * (Tide\Coroutine::cancel) while in one returns early, as a signal would make the stock
 * function return: sleep() the seconds left (rounded up), time_nanosleep() an array of
 * what was left, usleep() nothing, time_sleep_until() false.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <sys/time.h>

#include "php.h"
#include "php_tide.h"
#include "tide/coro.h"
#include "tide/reactor.h"
#include "tide_runtime_arginfo.h"
#include "zend_exceptions.h"

enum { H_SLEEP, H_USLEEP, H_NANOSLEEP, H_SLEEP_UNTIL, H_COUNT };
/* The stock handlers of the hooked functions (NULL: not hooked). */
static zif_handler stock[H_COUNT];

bool php_tide_hook_flags_valid(zend_long flags, uint32_t arg, const char *option)
{
    if (flags & ~(zend_long)PHP_TIDE_HOOK_ALL) {
        zend_argument_value_error(arg, "%s%s%smust be a set of Tide\\HOOK_* flags (0 for none, "
                                       "Tide\\HOOK_ALL for all), %lld has others",
                                  option ? "option \"" : "", option ? option : "",
                                  option ? "\" " : "", (long long)flags);
        return false;
    }
    return true;
}

bool php_tide_hooked(int flag)
{
    return (TIDE_G(hook_flags) & flag) && php_tide_coro_can_suspend();
}

/* Suspends the coroutine for ns (clamped); the nanoseconds left when it was canceled
 * early (0 when it slept the whole time), or -1 after it was killed (exit: thrown). */
static int64_t coro_sleep(const char *what, uint64_t ns)
{
    if (ns > (uint64_t)INT64_MAX)
        ns = INT64_MAX;
    uint64_t start = tide_time_ns();
    php_tide_coro_waits_on(what);
    int rc = tide_coro_sleep(TIDE_G(sched), (int64_t)ns);
    if (rc == TIDE_EKILLED) {
        php_tide_coro_killed();
        return -1;
    }
    if (rc == 0)
        return 0;
    uint64_t slept = tide_time_ns() - start;
    return slept >= ns ? 0 : (int64_t)(ns - slept);
}

/* ---- HOOK_SLEEP ---- */

static ZEND_NAMED_FUNCTION(hook_sleep)
{
    zend_long seconds;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(seconds)
    ZEND_PARSE_PARAMETERS_END();
    if (seconds < 0 || !php_tide_hooked(PHP_TIDE_HOOK_SLEEP)) {
        stock[H_SLEEP](execute_data, return_value);
        return;
    }
    uint64_t ns = (uint64_t)seconds > UINT64_MAX / 1000000000u ? UINT64_MAX
                                                                : (uint64_t)seconds * 1000000000u;
    int64_t left = coro_sleep("sleep()", ns);
    if (left < 0)
        RETURN_THROWS();
    RETURN_LONG((zend_long)((left + 999999999) / 1000000000));
}

static ZEND_NAMED_FUNCTION(hook_usleep)
{
    zend_long us;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(us)
    ZEND_PARSE_PARAMETERS_END();
    if (us < 0 || !php_tide_hooked(PHP_TIDE_HOOK_SLEEP)) {
        stock[H_USLEEP](execute_data, return_value);
        return;
    }
    if (coro_sleep("usleep()", (uint64_t)us * 1000u) < 0)
        RETURN_THROWS();
}

static ZEND_NAMED_FUNCTION(hook_time_nanosleep)
{
    zend_long sec, nsec;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_LONG(sec)
        Z_PARAM_LONG(nsec)
    ZEND_PARSE_PARAMETERS_END();
    if (sec < 0 || nsec < 0 || nsec > 999999999 || !php_tide_hooked(PHP_TIDE_HOOK_SLEEP)) {
        stock[H_NANOSLEEP](execute_data, return_value);
        return;
    }
    uint64_t ns = (uint64_t)sec > (UINT64_MAX - 999999999u) / 1000000000u
                      ? UINT64_MAX
                      : (uint64_t)sec * 1000000000u + (uint64_t)nsec;
    int64_t left = coro_sleep("time_nanosleep()", ns);
    if (left < 0)
        RETURN_THROWS();
    if (left == 0)
        RETURN_TRUE;
    array_init(return_value);
    add_assoc_long(return_value, "seconds", (zend_long)(left / 1000000000));
    add_assoc_long(return_value, "nanoseconds", (zend_long)(left % 1000000000));
}

static ZEND_NAMED_FUNCTION(hook_time_sleep_until)
{
    double target;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_DOUBLE(target)
    ZEND_PARSE_PARAMETERS_END();
    struct timeval tv;
    /* A time in the past (or an unreadable clock) is the stock function's to refuse. */
    if (!php_tide_hooked(PHP_TIDE_HOOK_SLEEP) || gettimeofday(&tv, NULL) != 0 || !(target >= 0) ||
        target >= 9.2e9) {
        stock[H_SLEEP_UNTIL](execute_data, return_value);
        return;
    }
    uint64_t target_ns = (uint64_t)(target * 1e9);
    uint64_t now_ns = (uint64_t)tv.tv_sec * 1000000000u + (uint64_t)tv.tv_usec * 1000u;
    if (target_ns < now_ns) {
        stock[H_SLEEP_UNTIL](execute_data, return_value);
        return;
    }
    int64_t left = coro_sleep("time_sleep_until()", target_ns - now_ns);
    if (left < 0)
        RETURN_THROWS();
    RETURN_BOOL(left == 0);
}

static const php_tide_hook_t hooks[H_COUNT] = {
    [H_SLEEP] = {"sleep", hook_sleep},
    [H_USLEEP] = {"usleep", hook_usleep},
    [H_NANOSLEEP] = {"time_nanosleep", hook_time_nanosleep},
    [H_SLEEP_UNTIL] = {"time_sleep_until", hook_time_sleep_until},
};

/* ---- Tide\Runtime ---- */

static bool set_flags(zend_long flags, uint32_t arg)
{
    if (!php_tide_hook_flags_valid(flags, arg, NULL))
        return false;
    TIDE_G(hook_flags) = flags;
    return true;
}

ZEND_METHOD(Tide_Runtime, enableCoroutine)
{
    zend_long flags = PHP_TIDE_HOOK_ALL;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(flags)
    ZEND_PARSE_PARAMETERS_END();
    if (!set_flags(flags, 1))
        RETURN_THROWS();
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Runtime, setHookFlags)
{
    zend_long flags;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(flags)
    ZEND_PARSE_PARAMETERS_END();
    if (!set_flags(flags, 1))
        RETURN_THROWS();
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Runtime, getHookFlags)
{
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_LONG(TIDE_G(hook_flags));
}

void php_tide_hook_function(const char *name, zif_handler hook, zif_handler *stock_out)
{
    zend_function *f = zend_hash_str_find_ptr(CG(function_table), name, strlen(name));
    if (!f || f->type != ZEND_INTERNAL_FUNCTION)
        return; /* not in this build of PHP: nothing to hook */
    *stock_out = f->internal_function.handler;
    f->internal_function.handler = hook;
}

void php_tide_unhook_function(const char *name, zif_handler hook, zif_handler *stock_io)
{
    zend_function *f = *stock_io ? zend_hash_str_find_ptr(CG(function_table), name, strlen(name))
                                 : NULL;
    if (f && f->internal_function.handler == hook)
        f->internal_function.handler = *stock_io;
    *stock_io = NULL;
}

void php_tide_hook_functions(const php_tide_hook_t *hooks, zif_handler *stock, size_t n)
{
    for (size_t i = 0; i < n; i++)
        php_tide_hook_function(hooks[i].name, hooks[i].handler, &stock[i]);
}

void php_tide_unhook_functions(const php_tide_hook_t *hooks, zif_handler *stock, size_t n)
{
    for (size_t i = 0; i < n; i++)
        php_tide_unhook_function(hooks[i].name, hooks[i].handler, &stock[i]);
}

/* After every extension's MINIT: what other extensions define (ext/curl) is there now. */
static zend_result (*next_post_startup)(void);

static zend_result runtime_post_startup(void)
{
    php_tide_curl_hooks_startup();
    return next_post_startup ? next_post_startup() : SUCCESS;
}

int php_tide_runtime_minit(INIT_FUNC_ARGS)
{
    TIDE_UNUSED(type);
    register_tide_runtime_symbols(module_number);
    register_class_Tide_Runtime();
    php_tide_hook_functions(hooks, stock, H_COUNT);
    php_tide_stream_hooks_minit();
    php_tide_file_hooks_minit();
    php_tide_dns_hooks_minit();
    php_tide_proc_hooks_minit();
    next_post_startup = zend_post_startup_cb;
    zend_post_startup_cb = runtime_post_startup;
    return SUCCESS;
}

void php_tide_runtime_mshutdown(void)
{
    if (zend_post_startup_cb == runtime_post_startup)
        zend_post_startup_cb = next_post_startup;
    php_tide_curl_hooks_mshutdown();
    php_tide_proc_hooks_mshutdown();
    php_tide_dns_hooks_mshutdown();
    php_tide_file_hooks_mshutdown();
    php_tide_stream_hooks_mshutdown();
    php_tide_unhook_functions(hooks, stock, H_COUNT);
}

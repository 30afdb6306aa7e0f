/* SPDX-License-Identifier: MIT */
/*
 * HOOK_CURL: ext/curl's curl_exec() and curl_multi_select() wait on the reactor, in the
 * calling coroutine, so Guzzle-style clients (curl_exec() for one request, curl_multi_exec()
 * + curl_multi_select() for several) run concurrently inside one worker.
 *
 * curl_exec() in a coroutine is the same transfer through PHP's own multi interface: a
 * private CurlMultiHandle (curl_multi_init), curl_multi_add_handle() (which checks and
 * resets the handle as curl_exec() does), libcurl's socket and timer callbacks telling us
 * which sockets to wait for and until when, curl_multi_socket_action() when they are ready,
 * then curl_multi_info_read() (which stores the result on the handle for curl_errno() and
 * curl_error()) and curl_multi_getcontent() (CURLOPT_RETURNTRANSFER's string). What PHP
 * returns is curl_exec()'s: the content, true, or false. Options, callbacks (a PHP
 * CURLOPT_WRITEFUNCTION runs in the coroutine), timeouts and errors are libcurl's and
 * PHP's own.
 *
 * curl_multi_select() in a coroutine asks libcurl which sockets the transfers wait for
 * (curl_multi_fdset) and for how long (curl_multi_timeout), and waits on those; it returns
 * the number of sockets ready, as curl_multi_wait()'s count. A socket numbered 1024 or
 * above cannot be in an fd_set: libcurl leaves it out, and the wait is then bounded by
 * libcurl's timeout (the transfers go on, later); the curl_exec() path has no such limit.
 *
 * libcurl is not linked: ext/curl has loaded it, and its functions are found at startup
 * (dlsym); the few declarations needed are libcurl's stable ABI (curl/multi.h), written out
 * here so that building Tide needs no libcurl headers. Without ext/curl nothing is hooked.
 * The CURL and CURLM handles are the first member of PHP's CurlHandle and CurlMultiHandle
 * objects (PHP 8.0 to 8.4), found from the object through its handlers' offset.
 *
 * A cancel does not end these calls (libcurl's own timeouts do, as in stock PHP); a
 * coroutine killed while it waits abandons the transfer, which the multi handle's end
 * cleans up.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <sys/select.h>

#include "php.h"
#include "php_tide.h"
#include "tide/coro.h"
#include "tide/reactor.h"

/* ---- libcurl, as ext/curl loaded it ---- */

typedef void CURL;
typedef void CURLM;
typedef int (*curl_socket_cb)(CURL *easy, int s, int what, void *userp, void *socketp);
typedef int (*curl_timer_cb)(CURLM *multi, long timeout_ms, void *userp);

enum {
    CURLMOPT_SOCKETFUNCTION = 20001, /* CURLOPTTYPE_FUNCTIONPOINT + 1 */
    CURLMOPT_SOCKETDATA = 10002,     /* CURLOPTTYPE_OBJECTPOINT + 2 */
    CURLMOPT_TIMERFUNCTION = 20004,
    CURLMOPT_TIMERDATA = 10005,
};
enum { CURL_POLL_IN = 1, CURL_POLL_OUT = 2, CURL_POLL_INOUT = 3, CURL_POLL_REMOVE = 4 };
enum { CURL_CSELECT_IN = 1, CURL_CSELECT_OUT = 2, CURL_CSELECT_ERR = 4 };
#define CURL_SOCKET_TIMEOUT (-1)

static struct {
    int (*multi_setopt)(CURLM *m, int option, ...);
    int (*socket_action)(CURLM *m, int s, int ev_bitmask, int *running);
    int (*fdset)(CURLM *m, fd_set *r, fd_set *w, fd_set *e, int *max_fd);
    int (*timeout)(CURLM *m, long *ms);
} lc;

/* The CURLM* (or CURL*) of a CurlMultiHandle (CurlHandle) object of ext/curl, or NULL. */
static void *handle_of(zval *z, const char *class_name)
{
    if (Z_TYPE_P(z) != IS_OBJECT || !zend_string_equals_cstr(Z_OBJCE_P(z)->name, class_name,
                                                             strlen(class_name)))
        return NULL;
    zend_object *obj = Z_OBJ_P(z);
    return *(void **)((char *)obj - obj->handlers->offset);
}

/* Calls PHP function `name` with argc arguments into *ret (undef when it could not). */
static void call(const char *name, zval *ret, uint32_t argc, zval *argv)
{
    zval fn;
    ZVAL_STRING(&fn, name);
    ZVAL_UNDEF(ret);
    if (call_user_function(CG(function_table), NULL, &fn, ret, argc, argv) != SUCCESS)
        ZVAL_UNDEF(ret);
    zval_ptr_dtor(&fn);
}

/* ---- curl_exec() ---- */

typedef struct curl_sock {
    int fd;
    int what; /* CURL_POLL_* */
} curl_sock_t;

typedef struct curl_wait {
    curl_sock_t *socks;
    size_t n, cap;
    int64_t deadline; /* libcurl's timer (tide_time_ns), -1 for none */
} curl_wait_t;

static int on_socket(CURL *easy, int s, int what, void *userp, void *socketp)
{
    TIDE_UNUSED(easy);
    TIDE_UNUSED(socketp);
    curl_wait_t *cw = userp;
    size_t i = 0;
    while (i < cw->n && cw->socks[i].fd != s)
        i++;
    if (what == CURL_POLL_REMOVE) {
        if (i < cw->n)
            cw->socks[i] = cw->socks[--cw->n];
        return 0;
    }
    if (i == cw->n) {
        if (cw->n == cw->cap) {
            cw->cap = cw->cap ? 2 * cw->cap : 4;
            cw->socks = erealloc(cw->socks, cw->cap * sizeof(*cw->socks));
        }
        cw->socks[cw->n++] = (curl_sock_t){.fd = s};
    }
    cw->socks[i].what = what;
    return 0;
}

static int on_timer(CURLM *multi, long timeout_ms, void *userp)
{
    TIDE_UNUSED(multi);
    curl_wait_t *cw = userp;
    cw->deadline = timeout_ms < 0 ? -1 : (int64_t)tide_time_ns() + (int64_t)timeout_ms * 1000000;
    return 0;
}

/* Drives the transfers of m until none runs: 0, or TIDE_EKILLED. */
static int drive(CURLM *m, curl_wait_t *cw)
{
    int running = 0;
    lc.socket_action(m, CURL_SOCKET_TIMEOUT, 0, &running);
    while (running > 0 && !EG(exception)) {
        /* Wait for what libcurl asked for, until its timer. A socket it wants both ways is
         * waited on for writability; the poll below says whether it is readable too. */
        int *fds = emalloc((2 * cw->n + 1) * sizeof(*fds));
        size_t nr = 0, nw = 0;
        for (size_t i = 0; i < cw->n; i++)
            if (cw->socks[i].what == CURL_POLL_IN)
                fds[nr++] = cw->socks[i].fd;
        for (size_t i = 0; i < cw->n; i++)
            if (cw->socks[i].what & CURL_POLL_OUT)
                fds[nr + nw++] = cw->socks[i].fd;
        int64_t left = -1;
        if (cw->deadline >= 0) {
            left = cw->deadline - (int64_t)tide_time_ns();
            if (left < 0)
                left = 0;
        } else if (nr + nw == 0) {
            left = 10000000; /* (libcurl keeps a timer while it runs: not expected) */
        }
        if (left != 0) {
            int rc = php_tide_wait_fds(fds, nr, fds + nr, nw, left, "curl_exec()", false);
            if (rc == TIDE_EKILLED) {
                efree(fds);
                return rc;
            }
            if (rc < 0) /* a socket another coroutine waits on: look again soon */
                tide_coro_sleep(TIDE_G(sched), 1000000);
        }
        /* Tell libcurl what is ready (noted first: its callbacks change the list). */
        size_t nready = 0;
        for (size_t i = 0; i < cw->n; i++) {
            struct pollfd p = {.fd = cw->socks[i].fd, .events = 0};
            if (cw->socks[i].what & CURL_POLL_IN)
                p.events |= POLLIN;
            if (cw->socks[i].what & CURL_POLL_OUT)
                p.events |= POLLOUT;
            if (poll(&p, 1, 0) <= 0)
                continue;
            fds[nready++] = cw->socks[i].fd;
            fds[nready++] = (p.revents & (POLLIN | POLLHUP) ? CURL_CSELECT_IN : 0) |
                            (p.revents & POLLOUT ? CURL_CSELECT_OUT : 0) |
                            (p.revents & POLLERR ? CURL_CSELECT_ERR : 0);
        }
        for (size_t i = 0; i < nready && running > 0 && !EG(exception); i += 2)
            lc.socket_action(m, fds[i], fds[i + 1], &running);
        efree(fds);
        if (running > 0 && cw->deadline >= 0 && (int64_t)tide_time_ns() >= cw->deadline) {
            cw->deadline = -1;
            lc.socket_action(m, CURL_SOCKET_TIMEOUT, 0, &running);
        }
    }
    return 0;
}

static zif_handler stock_exec, stock_select;

static ZEND_NAMED_FUNCTION(hook_curl_exec)
{
    zval *zch = ZEND_NUM_ARGS() == 1 ? ZEND_CALL_ARG(execute_data, 1) : NULL;
    if (!php_tide_hooked(PHP_TIDE_HOOK_CURL) || !zch || !handle_of(zch, "CurlHandle")) {
        stock_exec(execute_data, return_value); /* (and its TypeError) */
        return;
    }
    zval mh, ret, args[2];
    call("curl_multi_init", &mh, 0, NULL);
    CURLM *m = Z_TYPE(mh) == IS_OBJECT ? handle_of(&mh, "CurlMultiHandle") : NULL;
    if (!m) {
        zval_ptr_dtor(&mh);
        stock_exec(execute_data, return_value);
        return;
    }
    curl_wait_t cw = {.deadline = -1};
    lc.multi_setopt(m, CURLMOPT_SOCKETFUNCTION, (curl_socket_cb)on_socket);
    lc.multi_setopt(m, CURLMOPT_SOCKETDATA, &cw);
    lc.multi_setopt(m, CURLMOPT_TIMERFUNCTION, (curl_timer_cb)on_timer);
    lc.multi_setopt(m, CURLMOPT_TIMERDATA, &cw);

    /* curl_multi_add_handle() checks the handle's callbacks and resets it, as curl_exec()
     * does; a handle another multi handle holds is refused (as libcurl refuses
     * curl_easy_perform() on it): the stock curl_exec() then reports that. */
    ZVAL_COPY_VALUE(&args[0], &mh);
    ZVAL_COPY_VALUE(&args[1], zch);
    call("curl_multi_add_handle", &ret, 2, args);
    bool added = Z_TYPE(ret) == IS_LONG && Z_LVAL(ret) == 0;
    zval_ptr_dtor(&ret);
    int rc = added ? drive(m, &cw) : 0;

    bool ok = false;
    if (added && rc == 0 && !EG(exception)) {
        call("curl_multi_info_read", &ret, 1, args); /* the result, kept on the handle */
        zval *res = Z_TYPE(ret) == IS_ARRAY ? zend_hash_str_find(Z_ARRVAL(ret), "result", 6)
                                            : NULL;
        ok = res && Z_TYPE_P(res) == IS_LONG && Z_LVAL_P(res) == 0;
        zval_ptr_dtor(&ret);
        if (ok) {
            call("curl_multi_getcontent", &ret, 1, &args[1]);
            if (Z_TYPE(ret) == IS_STRING)
                RETVAL_STR_COPY(Z_STR(ret));
            else
                RETVAL_TRUE;
            zval_ptr_dtor(&ret);
        } else {
            RETVAL_FALSE;
        }
    }
    if (added && !EG(exception)) {
        call("curl_multi_remove_handle", &ret, 2, args);
        zval_ptr_dtor(&ret);
    }
    /* The callbacks go before the handle does (its end tells them about its sockets). */
    lc.multi_setopt(m, CURLMOPT_SOCKETFUNCTION, (curl_socket_cb)NULL);
    lc.multi_setopt(m, CURLMOPT_TIMERFUNCTION, (curl_timer_cb)NULL);
    zval_ptr_dtor(&mh);
    if (cw.socks)
        efree(cw.socks);
    if (EG(exception))
        RETURN_THROWS();
    if (!added)
        stock_exec(execute_data, return_value);
}

/* ---- curl_multi_select() ---- */

static ZEND_NAMED_FUNCTION(hook_curl_multi_select)
{
    uint32_t argc = ZEND_NUM_ARGS();
    zval *zmh = argc >= 1 ? ZEND_CALL_ARG(execute_data, 1) : NULL;
    zval *zt = argc >= 2 ? ZEND_CALL_ARG(execute_data, 2) : NULL;
    CURLM *m = zmh ? handle_of(zmh, "CurlMultiHandle") : NULL;
    double timeout = 1.0;
    if (zt && (Z_TYPE_P(zt) == IS_DOUBLE || Z_TYPE_P(zt) == IS_LONG))
        timeout = zval_get_double(zt);
    else if (zt)
        m = NULL; /* (the stock function converts or refuses) */
    if (!php_tide_hooked(PHP_TIDE_HOOK_CURL) || !m || argc > 2 || !(timeout >= 0.0) ||
        timeout > (double)INT_MAX / 1000.0) {
        stock_select(execute_data, return_value);
        return;
    }
    fd_set r, w, e;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&e);
    int maxfd = -1;
    long curl_ms = -1;
    if (lc.fdset(m, &r, &w, &e, &maxfd) != 0 || lc.timeout(m, &curl_ms) != 0) {
        stock_select(execute_data, return_value);
        return;
    }
    /* As curl_multi_wait(): no longer than libcurl's own timer. */
    int64_t ms = (int64_t)(timeout * 1000.0);
    if (curl_ms >= 0 && curl_ms < ms)
        ms = curl_ms;
    int fds[2 * FD_SETSIZE];
    size_t nr = 0, nw = 0;
    for (int fd = 0; fd <= maxfd; fd++)
        if (FD_ISSET(fd, &r) && !FD_ISSET(fd, &w))
            fds[nr++] = fd;
    for (int fd = 0; fd <= maxfd; fd++)
        if (FD_ISSET(fd, &w))
            fds[nr + nw++] = fd;
    if (ms > 0) {
        int rc = php_tide_wait_fds(fds, nr, fds + nr, nw, ms * 1000000, "curl_multi_select()",
                                   false);
        if (rc == TIDE_EKILLED)
            RETURN_THROWS();
    }
    zend_long ready = 0;
    for (int fd = 0; fd <= maxfd; fd++) {
        struct pollfd p = {.fd = fd, .events = (short)((FD_ISSET(fd, &r) ? POLLIN : 0) |
                                                       (FD_ISSET(fd, &w) ? POLLOUT : 0))};
        if (p.events && poll(&p, 1, 0) > 0)
            ready++;
    }
    RETURN_LONG(ready);
}

/* ---- hooking, once every extension is loaded ---- */

static bool find_libcurl(void)
{
    lc.multi_setopt = (int (*)(CURLM *, int, ...))dlsym(RTLD_DEFAULT, "curl_multi_setopt");
    lc.socket_action =
        (int (*)(CURLM *, int, int, int *))dlsym(RTLD_DEFAULT, "curl_multi_socket_action");
    lc.fdset = (int (*)(CURLM *, fd_set *, fd_set *, fd_set *, int *))dlsym(RTLD_DEFAULT,
                                                                          "curl_multi_fdset");
    lc.timeout = (int (*)(CURLM *, long *))dlsym(RTLD_DEFAULT, "curl_multi_timeout");
    return lc.multi_setopt && lc.socket_action && lc.fdset && lc.timeout;
}

void php_tide_curl_hooks_startup(void)
{
    if (!zend_hash_str_exists(&module_registry, "curl", 4) || !find_libcurl())
        return; /* no ext/curl in this process: nothing to hook */
    php_tide_hook_function("curl_exec", hook_curl_exec, &stock_exec);
    php_tide_hook_function("curl_multi_select", hook_curl_multi_select, &stock_select);
}

void php_tide_curl_hooks_mshutdown(void)
{
    php_tide_unhook_function("curl_exec", hook_curl_exec, &stock_exec);
    php_tide_unhook_function("curl_multi_select", hook_curl_multi_select, &stock_select);
}

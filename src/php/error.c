/* SPDX-License-Identifier: MIT */
/*
 * The one place errors become exceptions. Tide\Exception::getCode() follows one convention:
 *   0      PHP code called something where it cannot be used (wrong process or state);
 *   > 0    a failure: the errno of a failed system call (98 = EADDRINUSE), or one of Tide's
 *          own codes, above 10000 (10001: io_uring unavailable ... see tide_strerror()).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "php.h"
#include "php_tide.h"
#include "zend_exceptions.h"

void php_tide_throw(int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    zend_string *msg = zend_vstrpprintf(0, fmt, ap);
    va_end(ap);
    if (rc < 0)
        TIDE_G(last_error) = -(zend_long)rc; /* swoole_last_error() */
    zend_throw_exception(php_tide_exception_ce, ZSTR_VAL(msg), rc < 0 ? -(zend_long)rc : 0);
    zend_string_release(msg);
}

void php_tide_refuse(int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    zend_string *msg = zend_vstrpprintf(0, fmt, ap);
    va_end(ap);
    if (TIDE_G(swoole_compat)) {
        if (rc < 0)
            TIDE_G(last_error) = -(zend_long)rc;
        /* the warning names the function itself: no second "Tide\\X::f(): " */
        const char *text = ZSTR_VAL(msg), *call = strstr(text, "()");
        if (strncmp(text, "Tide\\", 5) == 0 && call && call - text < 80) {
            text = call + 2;
            text += strncmp(text, ": ", 2) == 0 ? 2 : *text == ' ';
        }
        php_error_docref(NULL, E_WARNING, "%s", text);
    } else {
        php_tide_throw(rc, "%s", ZSTR_VAL(msg));
    }
    zend_string_release(msg);
}

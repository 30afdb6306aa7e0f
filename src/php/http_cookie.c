/* SPDX-License-Identifier: MIT */
/*
 * Tide\Http\Cookie (Swoole\Http\Cookie, Swoole 6), and the one place a Set-Cookie line is
 * checked and written: Response::cookie()/rawcookie() build a php_tide_cookie_t from their
 * arguments, a Cookie object holds one.
 *
 * A Cookie is mutable, as Swoole's: each with*() sets a field and returns the same object
 * (not a copy). A field is checked when it is set, so the ValueError names the with*() call
 * that brought the bad byte; the one thing left to check when the line is written is that
 * the cookie has a name. An empty string is "not set", as in Swoole: no attribute, and an
 * empty value deletes the cookie (PHP's setcookie() does the same).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "ext/standard/url.h"
#include "php_tide_http.h"
#include "zend_exceptions.h"

zend_class_entry *php_tide_http_cookie_ce;
static zend_object_handlers cookie_handlers;

/* Bytes that would end a cookie's value or attribute (and, with '=', its name). */
#define COOKIE_BAD ",; \t\r\n\013\014"
#define COOKIE_BAD_PRINT "\",; \\t\\r\\n\\013\\014\""

const char *php_tide_cookie_check(php_tide_cookie_field_t f, const zend_string *v, bool encode)
{
    if (!v)
        return NULL;
    if (f == PHP_TIDE_COOKIE_NAME) {
        if (!ZSTR_LEN(v))
            return "must not be empty";
        if (strpbrk(ZSTR_VAL(v), "=" COOKIE_BAD) || memchr(ZSTR_VAL(v), 0, ZSTR_LEN(v)))
            return "must not contain any of \"=,; \\t\\r\\n\\013\\014\"";
        return NULL;
    }
    if (f == PHP_TIDE_COOKIE_VALUE && encode)
        return NULL; /* URL-encoded: any byte will do */
    if (strpbrk(ZSTR_VAL(v), COOKIE_BAD) || memchr(ZSTR_VAL(v), 0, ZSTR_LEN(v)))
        return "must not contain any of " COOKIE_BAD_PRINT;
    return NULL;
}

static bool set(const zend_string *s)
{
    return s && ZSTR_LEN(s);
}

void php_tide_cookie_format(const php_tide_cookie_t *c, smart_str *out)
{
    char date[TIDE_HTTP_DATE_LEN];
    smart_str_append(out, c->name);
    smart_str_appendc(out, '=');
    if (!set(c->value)) {
        /* PHP's way to delete a cookie. */
        smart_str_appends(out, "deleted; expires=");
        smart_str_appends(out, tide_http_date(1, date, sizeof(date)));
        smart_str_appends(out, "; Max-Age=0");
    } else {
        if (c->encode) {
            zend_string *enc = php_url_encode(ZSTR_VAL(c->value), ZSTR_LEN(c->value));
            smart_str_append(out, enc);
            zend_string_release(enc);
        } else {
            smart_str_append(out, c->value);
        }
        if (c->expires > 0) {
            smart_str_appends(out, "; expires=");
            smart_str_appends(out, tide_http_date(c->expires, date, sizeof(date)));
            zend_long age = c->expires - (zend_long)tide_unix_time();
            smart_str_appends(out, "; Max-Age=");
            smart_str_append_long(out, age > 0 ? age : 0);
        }
    }
    if (set(c->path)) {
        smart_str_appends(out, "; path=");
        smart_str_append(out, c->path);
    }
    if (set(c->domain)) {
        smart_str_appends(out, "; domain=");
        smart_str_append(out, c->domain);
    }
    if (c->secure)
        smart_str_appends(out, "; secure");
    if (c->httponly)
        smart_str_appends(out, "; HttpOnly");
    if (set(c->samesite)) {
        smart_str_appends(out, "; SameSite=");
        smart_str_append(out, c->samesite);
    }
    if (set(c->priority)) {
        smart_str_appends(out, "; Priority=");
        smart_str_append(out, c->priority);
    }
    if (c->partitioned)
        smart_str_appends(out, "; Partitioned");
}

/* ---- Tide\Http\Cookie ---- */

typedef struct cookie_obj {
    php_tide_cookie_t c; /* its strings are references this object holds */
    zend_object std;
} cookie_obj_t;

static cookie_obj_t *cookie_from(zend_object *o)
{
    return (cookie_obj_t *)((char *)o - XtOffsetOf(cookie_obj_t, std));
}

#define THIS_COOKIE() (&cookie_from(Z_OBJ_P(ZEND_THIS))->c)

const php_tide_cookie_t *php_tide_cookie_of(zend_object *obj)
{
    return &cookie_from(obj)->c;
}

static void clear(php_tide_cookie_t *c)
{
    zend_string **s[] = {&c->name, &c->value, &c->path, &c->domain, &c->samesite, &c->priority};
    for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
        if (*s[i])
            zend_string_release(*s[i]);
        *s[i] = NULL;
    }
    c->expires = 0;
    c->secure = c->httponly = c->partitioned = false;
}

static zend_object *cookie_create(zend_class_entry *ce)
{
    cookie_obj_t *o = zend_object_alloc(sizeof(cookie_obj_t), ce);
    zend_object_std_init(&o->std, ce);
    object_properties_init(&o->std, ce);
    o->std.handlers = &cookie_handlers;
    o->c.encode = true;
    return &o->std;
}

static void cookie_free(zend_object *obj)
{
    clear(&cookie_from(obj)->c);
    zend_object_std_dtor(obj);
}

ZEND_METHOD(Tide_Http_Cookie, __construct)
{
    TIDE_UNUSED(return_value);
    bool encode = true;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(encode)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_cookie_t *c = THIS_COOKIE();
    clear(c);
    c->encode = encode;
}

/* A string field: checked, then replaced (an empty string unsets it); returns $this. */
static void with_str(INTERNAL_FUNCTION_PARAMETERS, php_tide_cookie_field_t f, size_t offset,
                     bool optional)
{
    zend_string *v = NULL;
    ZEND_PARSE_PARAMETERS_START(optional ? 0 : 1, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR(v)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_cookie_t *c = THIS_COOKIE();
    const char *why = php_tide_cookie_check(f, v, c->encode);
    if (why) {
        zend_argument_value_error(1, "%s", why);
        RETURN_THROWS();
    }
    zend_string **slot = (zend_string **)((char *)c + offset);
    if (*slot)
        zend_string_release(*slot);
    *slot = v && ZSTR_LEN(v) ? zend_string_copy(v) : NULL;
    RETURN_OBJ_COPY(Z_OBJ_P(ZEND_THIS));
}

#define WITH_STR(method, field, kind, optional)                                                  \
    ZEND_METHOD(Tide_Http_Cookie, method)                                                        \
    {                                                                                            \
        with_str(INTERNAL_FUNCTION_PARAM_PASSTHRU, kind, XtOffsetOf(php_tide_cookie_t, field),   \
                 optional);                                                                      \
    }

WITH_STR(withName, name, PHP_TIDE_COOKIE_NAME, false)
WITH_STR(withValue, value, PHP_TIDE_COOKIE_VALUE, true)
WITH_STR(withDomain, domain, PHP_TIDE_COOKIE_ATTR, true)
WITH_STR(withSameSite, samesite, PHP_TIDE_COOKIE_ATTR, true)
WITH_STR(withPriority, priority, PHP_TIDE_COOKIE_ATTR, true)

/* withPath()'s default is "/" (Swoole's stub), not "unset". */
ZEND_METHOD(Tide_Http_Cookie, withPath)
{
    if (ZEND_NUM_ARGS() == 0) {
        php_tide_cookie_t *c = THIS_COOKIE();
        if (c->path)
            zend_string_release(c->path);
        c->path = ZSTR_CHAR('/');
        RETURN_OBJ_COPY(Z_OBJ_P(ZEND_THIS));
    }
    with_str(INTERNAL_FUNCTION_PARAM_PASSTHRU, PHP_TIDE_COOKIE_ATTR,
             XtOffsetOf(php_tide_cookie_t, path), true);
}

ZEND_METHOD(Tide_Http_Cookie, withExpires)
{
    zend_long expires = 0;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(expires)
    ZEND_PARSE_PARAMETERS_END();
    THIS_COOKIE()->expires = expires;
    RETURN_OBJ_COPY(Z_OBJ_P(ZEND_THIS));
}

static void with_bool(INTERNAL_FUNCTION_PARAMETERS, size_t offset)
{
    bool v = false;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(v)
    ZEND_PARSE_PARAMETERS_END();
    *(bool *)((char *)THIS_COOKIE() + offset) = v;
    RETURN_OBJ_COPY(Z_OBJ_P(ZEND_THIS));
}

ZEND_METHOD(Tide_Http_Cookie, withSecure)
{
    with_bool(INTERNAL_FUNCTION_PARAM_PASSTHRU, XtOffsetOf(php_tide_cookie_t, secure));
}

ZEND_METHOD(Tide_Http_Cookie, withHttpOnly)
{
    with_bool(INTERNAL_FUNCTION_PARAM_PASSTHRU, XtOffsetOf(php_tide_cookie_t, httponly));
}

ZEND_METHOD(Tide_Http_Cookie, withPartitioned)
{
    with_bool(INTERNAL_FUNCTION_PARAM_PASSTHRU, XtOffsetOf(php_tide_cookie_t, partitioned));
}

static void add_str(zval *arr, const char *key, zend_string *s)
{
    if (s)
        add_assoc_str(arr, key, zend_string_copy(s));
    else
        add_assoc_str(arr, key, ZSTR_EMPTY_ALLOC());
}

ZEND_METHOD(Tide_Http_Cookie, toArray)
{
    ZEND_PARSE_PARAMETERS_NONE();
    const php_tide_cookie_t *c = THIS_COOKIE();
    array_init(return_value);
    add_str(return_value, "name", c->name);
    add_str(return_value, "value", c->value);
    add_str(return_value, "path", c->path);
    add_str(return_value, "domain", c->domain);
    add_str(return_value, "sameSite", c->samesite);
    add_str(return_value, "priority", c->priority);
    add_assoc_bool(return_value, "encode", c->encode);
    add_assoc_long(return_value, "expires", c->expires);
    add_assoc_bool(return_value, "secure", c->secure);
    add_assoc_bool(return_value, "httpOnly", c->httponly);
    add_assoc_bool(return_value, "partitioned", c->partitioned);
}

ZEND_METHOD(Tide_Http_Cookie, toString)
{
    ZEND_PARSE_PARAMETERS_NONE();
    const php_tide_cookie_t *c = THIS_COOKIE();
    if (!c->name) {
        zend_throw_error(zend_ce_value_error, "Tide\\Http\\Cookie::toString(): the cookie has no "
                                              "name (call withName() first)");
        RETURN_THROWS();
    }
    smart_str out = {0};
    php_tide_cookie_format(c, &out);
    RETURN_STR(smart_str_extract(&out));
}

ZEND_METHOD(Tide_Http_Cookie, reset)
{
    TIDE_UNUSED(return_value);
    ZEND_PARSE_PARAMETERS_NONE();
    clear(THIS_COOKIE()); /* encode stays what the constructor said */
}

void php_tide_cookie_minit(zend_class_entry *ce)
{
    php_tide_http_cookie_ce = ce;
    ce->create_object = cookie_create;
    memcpy(&cookie_handlers, zend_get_std_object_handlers(), sizeof(cookie_handlers));
    cookie_handlers.offset = XtOffsetOf(cookie_obj_t, std);
    cookie_handlers.free_obj = cookie_free;
    cookie_handlers.clone_obj = NULL;
}

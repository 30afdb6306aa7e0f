/* SPDX-License-Identifier: MIT */
/*
 * The socket clients' settings (set() of Tide\Coroutine\Client and Tide\Client): one
 * table of keys with their types and bounds, checked before anything is applied; the
 * framing and timeouts they give the client; and the stream context (the "ssl" options,
 * bindto) that connect() hands PHP.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "php.h"
#include "php_tide.h"
#include "php_tide_client.h"
#include "tide/frame.h"
#include "tide/sock.h"

/* ---- settings ---- */

typedef enum { S_BOOL, S_INT, S_NUM, S_STR } stype_t;

static const struct key {
    const char *name;
    stype_t type;
    double min, max;
    const char *ssl; /* the "ssl" stream context option it is */
} keys[] = {
    {"timeout", S_NUM, -1, 86400 * 365, NULL},
    {"connect_timeout", S_NUM, -1, 86400 * 365, NULL},
    {"read_timeout", S_NUM, -1, 86400 * 365, NULL},
    {"write_timeout", S_NUM, -1, 86400 * 365, NULL},
    {"open_eof_check", S_BOOL, 0, 1, NULL},
    {"open_eof_split", S_BOOL, 0, 1, NULL},
    {"package_eof", S_STR, 0, 0, NULL},
    {"open_length_check", S_BOOL, 0, 1, NULL},
    {"package_length_type", S_STR, 0, 0, NULL},
    {"package_length_offset", S_INT, 0, 65535, NULL},
    {"package_body_offset", S_INT, 0, 65535, NULL},
    {"package_max_length", S_INT, 1, 2147483648.0, NULL},
    {"open_tcp_nodelay", S_BOOL, 0, 1, NULL},
    {"bind_address", S_STR, 0, 0, NULL},
    {"bind_port", S_INT, 0, 65535, NULL},
    {"ssl_verify_peer", S_BOOL, 0, 1, "verify_peer"},
    {"ssl_allow_self_signed", S_BOOL, 0, 1, "allow_self_signed"},
    {"ssl_host_name", S_STR, 0, 0, "peer_name"},
    {"ssl_cafile", S_STR, 0, 0, "cafile"},
    {"ssl_capath", S_STR, 0, 0, "capath"},
    {"ssl_cert_file", S_STR, 0, 0, "local_cert"},
    {"ssl_key_file", S_STR, 0, 0, "local_pk"},
    {"ssl_passphrase", S_STR, 0, 0, "passphrase"},
    {"ssl_verify_depth", S_INT, 0, 100, "verify_depth"},
    {"ssl_ciphers", S_STR, 0, 0, "ciphers"},
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static const struct key *find_key(const zend_string *name)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (zend_string_equals_cstr(name, keys[i].name, strlen(keys[i].name)))
            return &keys[i];
    return NULL;
}

/* Every key known and of its type and bounds; false after a ValueError naming it. */
bool php_tide_client_check_settings(HashTable *ht)
{
    zend_string *name;
    zend_ulong idx;
    zval *v;
    ZEND_HASH_FOREACH_KEY_VAL(ht, idx, name, v) {
        if (!name) {
            zend_value_error("Settings must be keyed by name, got index " ZEND_ULONG_FMT, idx);
            return false;
        }
        const struct key *k = find_key(name);
        if (!k) {
            zend_value_error("Unknown setting '%s'", ZSTR_VAL(name));
            return false;
        }
        ZVAL_DEREF(v);
        double d = 0;
        switch (k->type) {
        case S_BOOL:
            if (Z_TYPE_P(v) == IS_TRUE || Z_TYPE_P(v) == IS_FALSE ||
                (Z_TYPE_P(v) == IS_LONG && (Z_LVAL_P(v) == 0 || Z_LVAL_P(v) == 1)))
                continue;
            zend_value_error("Setting '%s' must be a bool, %s given", k->name,
                             zend_zval_type_name(v));
            return false;
        case S_STR:
            if (Z_TYPE_P(v) == IS_STRING)
                continue;
            zend_value_error("Setting '%s' must be a string, %s given", k->name,
                             zend_zval_type_name(v));
            return false;
        case S_INT:
            if (Z_TYPE_P(v) != IS_LONG) {
                zend_value_error("Setting '%s' must be an integer, %s given", k->name,
                                 zend_zval_type_name(v));
                return false;
            }
            d = (double)Z_LVAL_P(v);
            break;
        case S_NUM:
            if (Z_TYPE_P(v) != IS_LONG && (Z_TYPE_P(v) != IS_DOUBLE || isnan(Z_DVAL_P(v)))) {
                zend_value_error("Setting '%s' must be a number, %s given", k->name,
                                 zend_zval_type_name(v));
                return false;
            }
            d = zval_get_double(v);
            break;
        }
        if (d < k->min || d > k->max) {
            zend_value_error("Setting '%s' must be between %g and %g, %g given", k->name, k->min,
                             k->max, d);
            return false;
        }
    } ZEND_HASH_FOREACH_END();
    return true;
}

static zval *setting(php_tide_client_t *c, const char *name)
{
    if (Z_TYPE(c->settings) != IS_ARRAY)
        return NULL;
    return zend_hash_str_find_deref(Z_ARRVAL(c->settings), name, strlen(name));
}

static bool setting_bool(php_tide_client_t *c, const char *name)
{
    zval *v = setting(c, name);
    return v && zend_is_true(v);
}

/* Applies the (checked) settings of ht to the client; false after a ValueError. */
bool php_tide_client_apply_settings(php_tide_client_t *c, HashTable *ht)
{
    zval *v;
    tide_frame_opts_t f = {0};
    bool eof = (v = zend_hash_str_find_deref(ht, ZEND_STRL("open_eof_check"))) && zend_is_true(v);
    bool split = (v = zend_hash_str_find_deref(ht, ZEND_STRL("open_eof_split"))) && zend_is_true(v);
    bool length =
        (v = zend_hash_str_find_deref(ht, ZEND_STRL("open_length_check"))) && zend_is_true(v);
    if ((eof || split) && length) {
        zend_value_error("Settings 'open_eof_check'/'open_eof_split' and 'open_length_check' "
                         "cannot both be on");
        return false;
    }
    if (eof || split) {
        f.mode = TIDE_FRAME_EOF;
        f.eof_split = split;
        v = zend_hash_str_find_deref(ht, ZEND_STRL("package_eof"));
        if (!v) {
            memcpy(f.eof, "\r\n", 2);
            f.eof_len = 2;
        } else if (Z_STRLEN_P(v) == 0 || Z_STRLEN_P(v) > TIDE_FRAME_EOF_MAX) {
            zend_value_error("Setting 'package_eof' must be 1 to %d bytes long, %zu given",
                             TIDE_FRAME_EOF_MAX, Z_STRLEN_P(v));
            return false;
        } else {
            memcpy(f.eof, Z_STRVAL_P(v), Z_STRLEN_P(v));
            f.eof_len = Z_STRLEN_P(v);
        }
    } else if (length) {
        f.mode = TIDE_FRAME_LENGTH;
        v = zend_hash_str_find_deref(ht, ZEND_STRL("package_length_type"));
        f.length_type = v ? (Z_STRLEN_P(v) == 1 ? Z_STRVAL_P(v)[0] : 0) : 'N';
        if (!tide_frame_length_size(f.length_type)) {
            zend_value_error("Setting 'package_length_type' must be one of c C s S n N l L v V "
                             "q J P, '%s' given", Z_STRVAL_P(v));
            return false;
        }
        if ((v = zend_hash_str_find_deref(ht, ZEND_STRL("package_length_offset"))))
            f.length_offset = (size_t)Z_LVAL_P(v);
        if ((v = zend_hash_str_find_deref(ht, ZEND_STRL("package_body_offset"))))
            f.body_offset = (size_t)Z_LVAL_P(v);
    }
    f.max_length = (v = zend_hash_str_find_deref(ht, ZEND_STRL("package_max_length")))
                       ? (size_t)Z_LVAL_P(v)
                       : 2u << 20;
    if (tide_frame_opts_check(&f) < 0) {
        zend_value_error("Settings 'package_length_offset' and 'package_body_offset' do not "
                         "describe a valid length header");
        return false;
    }
    double t;
    if ((v = zend_hash_str_find_deref(ht, ZEND_STRL("timeout")))) {
        t = zval_get_double(v);
        c->connect_timeout = c->read_timeout = c->write_timeout = t;
    }
    if ((v = zend_hash_str_find_deref(ht, ZEND_STRL("connect_timeout"))))
        c->connect_timeout = zval_get_double(v);
    if ((v = zend_hash_str_find_deref(ht, ZEND_STRL("read_timeout"))))
        c->read_timeout = zval_get_double(v);
    if ((v = zend_hash_str_find_deref(ht, ZEND_STRL("write_timeout"))))
        c->write_timeout = zval_get_double(v);
    c->nodelay =
        (v = zend_hash_str_find_deref(ht, ZEND_STRL("open_tcp_nodelay"))) && zend_is_true(v);
    /* A change of framing starts afresh (bytes held for the old one would not parse). */
    if (f.mode != c->fo.mode) {
        tide_framer_destroy(&c->framer);
        tide_framer_init(&c->framer, &c->fo);
    }
    c->fo = f;
    return true;
}

/* The "ssl" context options of the settings (Swoole's defaults: no verification). */
php_stream_context *php_tide_client_context(php_tide_client_t *c)
{
    php_stream_context *ctx = php_stream_context_alloc();
    zval v;
    bool verify = setting_bool(c, "ssl_verify_peer");
    ZVAL_BOOL(&v, verify);
    php_stream_context_set_option(ctx, "ssl", "verify_peer", &v);
    php_stream_context_set_option(ctx, "ssl", "verify_peer_name", &v);
    ZVAL_TRUE(&v);
    php_stream_context_set_option(ctx, "ssl", "capture_peer_cert", &v);
    for (size_t i = 0; i < NKEYS; i++) {
        zval *s = keys[i].ssl ? setting(c, keys[i].name) : NULL;
        if (s && strcmp(keys[i].name, "ssl_verify_peer") != 0)
            php_stream_context_set_option(ctx, "ssl", keys[i].ssl, s);
    }
    zval *addr = setting(c, "bind_address"), *port = setting(c, "bind_port");
    if (addr || port) {
        const char *a = addr ? Z_STRVAL_P(addr) : (c->type == TIDE_SOCK_TCP6 ? "::" : "0.0.0.0");
        zend_string *to = strchr(a, ':') ? zend_strpprintf(0, "[%s]:" ZEND_LONG_FMT, a,
                                                           port ? Z_LVAL_P(port) : 0)
                                         : zend_strpprintf(0, "%s:" ZEND_LONG_FMT, a,
                                                           port ? Z_LVAL_P(port) : 0);
        ZVAL_STR(&v, to);
        php_stream_context_set_option(ctx, "socket", "bindto", &v);
        zval_ptr_dtor(&v);
    }
    return ctx;
}

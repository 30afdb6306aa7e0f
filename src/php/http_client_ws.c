/* SPDX-License-Identifier: MIT */
/*
 * Tide\Coroutine\Http\Client's WebSocket: upgrade() on the client's connection, then
 * frames sent (push(), ping(), disconnect()) and messages read (recv()) with the codec of
 * src/proto/websocket.c. A message over http_max_body_size fails recv() instead of growing.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <sys/random.h>

#include "php.h"
#include "ext/standard/base64.h"
#include "zend_smart_str.h"
#include "php_tide.h"
#include "php_tide_http_client.h"
#include "tide/websocket.h"

/* Tide\\WebSocket\\Frame and CloseFrame (websocket.c registers them before the client). */
static zend_class_entry *frame_ce, *close_frame_ce;

ZEND_METHOD(Tide_Coroutine_Http_Client, upgrade)
{
    zend_string *path;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(path)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_http_client_t *c = THIS();
    if (!php_tide_http_client_enter(c, "upgrade"))
        RETURN_THROWS();
    unsigned char raw[16];
    if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
        memset(raw, 0x3c, sizeof(raw));
    zend_string *key = php_base64_encode(raw, sizeof(raw));
    php_tide_http_client_prop_str(c, P_METHOD, zend_string_init("GET", 3, 0));
    php_tide_http_client_prop_null(c, P_REQ_BODY);
    php_tide_http_client_prop_null(c, P_UPLOAD_FILES);
    tide_http1_response_t *r = emalloc(sizeof(*r));
    php_tide_http_client_result_t res =
        php_tide_http_client_request(c, path, NULL, 0, ZSTR_VAL(key), r);
    php_tide_http_client_reset_request(c);
    if (res == RES_OK) {
        char want[29];
        tide_ws_accept(ZSTR_VAL(key), ZSTR_LEN(key), want);
        zval *h = PROP(c, P_HEADERS), *acc = NULL;
        if (Z_TYPE_P(h) == IS_ARRAY)
            acc = zend_hash_str_find(Z_ARRVAL_P(h), "sec-websocket-accept", 20);
        if (Z_LVAL_P(PROP(c, P_STATUS)) != 101 || !c->s) {
            php_tide_http_client_set_error(c, EPROTO, "the server did not accept the WebSocket upgrade (status " ZEND_LONG_FMT ")",
                      Z_LVAL_P(PROP(c, P_STATUS)));
            php_tide_http_client_drop(c);
            res = RES_FAILED;
        } else if (!acc || Z_TYPE_P(acc) != IS_STRING || strcmp(Z_STRVAL_P(acc), want)) {
            php_tide_http_client_set_error(c, EPROTO, "the server's Sec-WebSocket-Accept does not match the key");
            php_tide_http_client_drop(c);
            res = RES_FAILED;
        } else {
            c->websocket = true;
        }
    }
    efree(r);
    zend_string_release(key);
    php_tide_http_client_leave(c);
    if (res == RES_EXCEPTION)
        RETURN_THROWS();
    RETURN_BOOL(res == RES_OK);
}

/* Sends one frame: 0, or a negative code (errCode set). */
static int ws_send(php_tide_http_client_t *c, uint8_t first, const char *p, size_t n)
{
    uint8_t key[4], *k = NULL;
    if (c->ws_mask) {
        if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key))
            memset(key, 0x5a, sizeof(key));
        k = key;
    }
    char head[TIDE_WS_HEAD_MAX];
    size_t hl = tide_ws_frame_head(head, first, n, k);
    zend_string *f = zend_string_alloc(hl + n, 0);
    memcpy(ZSTR_VAL(f), head, hl);
    memcpy(ZSTR_VAL(f) + hl, p, n);
    ZSTR_VAL(f)[hl + n] = 0;
    if (k)
        tide_ws_mask(ZSTR_VAL(f) + hl, n, k, 0);
    c->deadline = 0;
    int rc = php_tide_http_client_send(c, ZSTR_VAL(f), ZSTR_LEN(f));
    zend_string_release(f);
    if (rc < 0 && rc != TIDE_EKILLED) {
        php_tide_http_client_set_error(c, -rc, NULL);
        php_tide_http_client_drop(c);
    }
    return rc;
}

static bool ws_ready(php_tide_http_client_t *c)
{
    if (c->websocket && c->s)
        return true;
    php_tide_http_client_set_error(c, ENOTCONN, "the client is not connected by WebSocket: call upgrade() first");
    return false;
}

static bool opcode_ok(zend_long op)
{
    return op == TIDE_WS_CONTINUATION || op == TIDE_WS_TEXT || op == TIDE_WS_BINARY ||
           op == TIDE_WS_CLOSE || op == TIDE_WS_PING || op == TIDE_WS_PONG;
}

ZEND_METHOD(Tide_Coroutine_Http_Client, push)
{
    zval *data;
    zend_long opcode = TIDE_WS_TEXT, flags = TIDE_WS_FLAG_FIN;
    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_ZVAL(data)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(opcode)
        Z_PARAM_LONG(flags)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_http_client_t *c = THIS();
    zend_string *s;
    if (Z_TYPE_P(data) == IS_OBJECT && instanceof_function(Z_OBJCE_P(data), frame_ce)) {
        zend_object *o = Z_OBJ_P(data);
        zval rv, *d = zend_read_property(frame_ce, o, "data", 4, 1, &rv);
        zval *op = zend_read_property(frame_ce, o, "opcode", 6, 1, &rv);
        opcode = Z_TYPE_P(op) == IS_LONG ? Z_LVAL_P(op) : TIDE_WS_TEXT;
        zval *fl = zend_read_property(frame_ce, o, "flags", 5, 1, &rv);
        flags = Z_TYPE_P(fl) == IS_LONG ? Z_LVAL_P(fl) : TIDE_WS_FLAG_FIN;
        s = zval_get_string(d);
    } else if (!(s = zval_try_get_string(data))) {
        RETURN_THROWS();
    }
    if (!opcode_ok(opcode)) {
        zend_string_release(s);
        zend_argument_value_error(2, "must be a WebSocket opcode, " ZEND_LONG_FMT " given", opcode);
        RETURN_THROWS();
    }
    if (flags & TIDE_WS_FLAG_COMPRESS) {
        zend_string_release(s);
        zend_argument_value_error(3, "asks for compression, which this client does not do");
        RETURN_THROWS();
    }
    if ((opcode & 8) && (ZSTR_LEN(s) > 125 || !(flags & TIDE_WS_FLAG_FIN))) {
        zend_string_release(s);
        zend_argument_value_error(1, "is a control frame: at most 125 bytes, with FLAG_FIN");
        RETURN_THROWS();
    }
    if (!php_tide_http_client_enter(c, "push")) {
        zend_string_release(s);
        RETURN_THROWS();
    }
    bool ok = ws_ready(c);
    int rc = 0;
    if (ok) {
        uint8_t first = (uint8_t)opcode | ((flags & TIDE_WS_FLAG_FIN) ? 0x80 : 0) |
                        ((flags & TIDE_WS_FLAG_RSV1) ? 0x40 : 0) |
                        ((flags & TIDE_WS_FLAG_RSV2) ? 0x20 : 0) |
                        ((flags & TIDE_WS_FLAG_RSV3) ? 0x10 : 0);
        rc = ws_send(c, first, ZSTR_VAL(s), ZSTR_LEN(s));
        if (opcode == TIDE_WS_CLOSE && rc == 0)
            c->ws_closing = true;
        ok = rc == 0;
    }
    zend_string_release(s);
    php_tide_http_client_leave(c);
    if (rc == TIDE_EKILLED)
        RETURN_THROWS();
    RETURN_BOOL(ok);
}

ZEND_METHOD(Tide_Coroutine_Http_Client, ping)
{
    zend_string *data = ZSTR_EMPTY_ALLOC();
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();
    if (ZSTR_LEN(data) > 125) {
        zend_argument_value_error(1, "must be at most 125 bytes");
        RETURN_THROWS();
    }
    php_tide_http_client_t *c = THIS();
    if (!php_tide_http_client_enter(c, "ping"))
        RETURN_THROWS();
    int rc = ws_ready(c) ? ws_send(c, 0x80 | TIDE_WS_PING, ZSTR_VAL(data), ZSTR_LEN(data)) : -ENOTCONN;
    php_tide_http_client_leave(c);
    if (rc == TIDE_EKILLED)
        RETURN_THROWS();
    RETURN_BOOL(rc == 0);
}

/* A Frame (or CloseFrame) object for a message. */
static void frame_new(zval *out, uint8_t opcode, bool fin, const char *p, size_t n)
{
    object_init_ex(out, opcode == TIDE_WS_CLOSE ? close_frame_ce : frame_ce);
    zend_object *o = Z_OBJ_P(out);
    zend_update_property_long(frame_ce, o, "opcode", 6, opcode);
    zend_update_property_long(frame_ce, o, "flags", 5, fin ? TIDE_WS_FLAG_FIN : 0);
    zend_update_property_bool(frame_ce, o, "finish", 6, fin);
    if (opcode == TIDE_WS_CLOSE) {
        zend_update_property_long(close_frame_ce, o, "code", 4,
                                  n >= 2 ? ((uint8_t)p[0] << 8 | (uint8_t)p[1]) : TIDE_WS_CLOSE_NO_STATUS);
        if (n > 2) {
            zend_update_property_stringl(close_frame_ce, o, "reason", 6, p + 2, n - 2);
            zend_update_property_stringl(frame_ce, o, "data", 4, p + 2, n - 2);
        }
        return;
    }
    zend_update_property_stringl(frame_ce, o, "data", 4, p, n);
}

/*
 * Reads the next message: data frames put together (up to http_max_body_size), ping
 * answered with pong, pong and close handed out. 0 with *out set, or a negative code.
 */
static int ws_read(php_tide_http_client_t *c, int64_t timeout_ns, zval *out)
{
    smart_str msg = {0};
    uint8_t msg_op = 0;
    for (;;) {
        tide_ws_frame_t f;
        long h = tide_ws_parse_frame(c->buf + c->off, c->len - c->off, &f);
        if (h > 0 && f.len > c->max_body) {
            smart_str_free(&msg);
            return TIDE_ETOOBIG;
        }
        if (h < 0 || (h > 0 && (f.rsv || !opcode_ok(f.opcode) ||
                                ((f.opcode & 8) && (f.len > 125 || !f.fin))))) {
            smart_str_free(&msg);
            return TIDE_EPROTO;
        }
        if (h == 0 || c->len - c->off < (size_t)h + f.len) {
            ssize_t n = php_tide_http_client_fill(c, timeout_ns);
            if (n <= 0) {
                smart_str_free(&msg);
                return n == 0 ? -ECONNRESET : (int)n;
            }
            continue;
        }
        char *p = c->buf + c->off + h;
        size_t n = (size_t)f.len;
        if (f.masked)
            tide_ws_mask(p, n, f.key, 0);
        c->off += (size_t)h + n;
        if (f.opcode == TIDE_WS_PING) {
            int rc = ws_send(c, 0x80 | TIDE_WS_PONG, p, n);
            if (rc < 0) {
                smart_str_free(&msg);
                return rc;
            }
            continue;
        }
        if (f.opcode & 8) { /* pong, close */
            frame_new(out, f.opcode, true, p, n);
            if (f.opcode == TIDE_WS_CLOSE) {
                if (!c->ws_closing)
                    ws_send(c, 0x80 | TIDE_WS_CLOSE, p, n >= 2 ? 2 : 0);
                php_tide_http_client_drop(c);
            }
            smart_str_free(&msg);
            return 0;
        }
        if ((f.opcode == TIDE_WS_CONTINUATION) != (msg_op != 0)) {
            smart_str_free(&msg);
            return TIDE_EPROTO;
        }
        if (!msg_op)
            msg_op = f.opcode;
        if (n > c->max_body - (msg.s ? ZSTR_LEN(msg.s) : 0)) {
            smart_str_free(&msg);
            return TIDE_ETOOBIG;
        }
        smart_str_appendl(&msg, p, n);
        if (f.fin) {
            frame_new(out, msg_op, true, msg.s ? ZSTR_VAL(msg.s) : "", msg.s ? ZSTR_LEN(msg.s) : 0);
            smart_str_free(&msg);
            return 0;
        }
    }
}

ZEND_METHOD(Tide_Coroutine_Http_Client, recv)
{
    double timeout = 0;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_http_client_t *c = THIS();
    if (!php_tide_http_client_enter(c, "recv"))
        RETURN_THROWS();
    if (!ws_ready(c)) {
        php_tide_http_client_leave(c);
        RETURN_FALSE;
    }
    /* 0: the read_timeout setting; below 0: none */
    int64_t ns = timeout == 0 ? c->read_ns : timeout < 0 ? -1 : (int64_t)(timeout * NS_PER_S);
    c->deadline = 0;
    int rc = ws_read(c, ns, return_value);
    php_tide_http_client_leave(c);
    if (rc == TIDE_EKILLED || EG(exception)) {
        zval_ptr_dtor(return_value);
        ZVAL_UNDEF(return_value);
        RETURN_THROWS();
    }
    if (rc < 0) {
        if (rc == -ETIMEDOUT) {
            php_tide_http_client_set_error(c, ETIMEDOUT, "recv() timed out");
        } else {
            if (rc == TIDE_ETOOBIG)
                php_tide_http_client_set_error(c, EMSGSIZE, "a WebSocket message is over http_max_body_size (%zu bytes)", c->max_body);
            else if (rc == TIDE_EPROTO)
                php_tide_http_client_set_error(c, EPROTO, "the server sent a malformed WebSocket frame");
            else
                php_tide_http_client_set_error(c, ECONNRESET, "the server closed the connection");
            php_tide_http_client_drop(c);
        }
        RETURN_FALSE;
    }
}

ZEND_METHOD(Tide_Coroutine_Http_Client, disconnect)
{
    zend_long code = TIDE_WS_CLOSE_NORMAL;
    zend_string *reason = ZSTR_EMPTY_ALLOC();
    ZEND_PARSE_PARAMETERS_START(0, 2)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(code)
        Z_PARAM_STR(reason)
    ZEND_PARSE_PARAMETERS_END();
    if (code > 65535 || !tide_ws_close_code_valid((unsigned)code)) {
        zend_argument_value_error(1, "must be a close code that may be sent (1000-1003, 1007-1014, 3000-4999)");
        RETURN_THROWS();
    }
    if (ZSTR_LEN(reason) > 123) {
        zend_argument_value_error(2, "must be at most 123 bytes");
        RETURN_THROWS();
    }
    php_tide_http_client_t *c = THIS();
    if (!php_tide_http_client_enter(c, "disconnect"))
        RETURN_THROWS();
    int rc = -ENOTCONN;
    if (ws_ready(c)) {
        char p[125];
        p[0] = (char)(code >> 8);
        p[1] = (char)code;
        memcpy(p + 2, ZSTR_VAL(reason), ZSTR_LEN(reason));
        rc = ws_send(c, 0x80 | TIDE_WS_CLOSE, p, 2 + ZSTR_LEN(reason));
        if (rc != TIDE_EKILLED)
            php_tide_http_client_drop(c);
    }
    php_tide_http_client_leave(c);
    if (rc == TIDE_EKILLED)
        RETURN_THROWS();
    RETURN_BOOL(rc == 0);
}

void php_tide_http_client_ws_minit(void)
{
    frame_ce = zend_hash_str_find_ptr(CG(class_table), "tide\\websocket\\frame",
                                      sizeof("tide\\websocket\\frame") - 1);
    close_frame_ce = zend_hash_str_find_ptr(CG(class_table), "tide\\websocket\\closeframe",
                                            sizeof("tide\\websocket\\closeframe") - 1);
}

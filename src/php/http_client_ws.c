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
#include "php_tide_http.h"
#include "php_tide_ws_peer.h"

/* Tide\\WebSocket\\Frame and CloseFrame (websocket.c registers them before the client). */
static zend_class_entry *frame_ce;

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

static int peer_send(void *ctx, const char *data, size_t n)
{
    php_tide_http_client_t *c = ctx;
    c->deadline = 0;
    int rc = php_tide_http_client_send(c, data, n);
    if (rc < 0 && rc != TIDE_EKILLED) {
        php_tide_http_client_set_error(c, -rc, NULL);
        php_tide_http_client_drop(c);
    }
    return rc;
}

static ssize_t peer_fill(void *ctx, int64_t timeout_ns)
{
    return php_tide_http_client_fill(ctx, timeout_ns);
}

static void peer_done(void *ctx)
{
    php_tide_http_client_drop(ctx);
}

/* The client's connection as a WebSocket peer: made by upgrade(), its limits kept in step
 * with set(). */
static php_tide_ws_peer_t *peer_of(php_tide_http_client_t *c)
{
    if (!c->ws.fill)
        c->ws = (php_tide_ws_peer_t){
            .buf = &c->buf, .off = &c->off, .len = &c->len,
            .fill = peer_fill, .send = peer_send, .done = peer_done, .ctx = c,
        };
    c->ws.max_len = c->max_body;
    c->ws.mask = c->ws_mask;
    return &c->ws;
}

/* Sends one frame: 0, or a negative code (errCode set). */
static int ws_send(php_tide_http_client_t *c, uint8_t first, const char *p, size_t n)
{
    return php_tide_ws_peer_send(peer_of(c), first, p, n);
}

static bool ws_ready(php_tide_http_client_t *c)
{
    if (c->websocket && c->s)
        return true;
    php_tide_http_client_set_error(c, ENOTCONN, "the client is not connected by WebSocket: call upgrade() first");
    return false;
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
    zend_object *fobj = NULL;
    zend_string *str = NULL;
    if (Z_TYPE_P(data) == IS_OBJECT && instanceof_function(Z_OBJCE_P(data), frame_ce))
        fobj = Z_OBJ_P(data); /* its opcode and flags count, a CloseFrame's code and reason */
    else if (!(str = zval_try_get_string(data)))
        RETURN_THROWS();
    php_tide_ws_frame_args_t a;
    bool parsed = php_tide_ws_frame_args(fobj, str, opcode, flags, 1, &a);
    if (str)
        zend_string_release(str);
    if (!parsed)
        RETURN_THROWS();
    if (a.flags & TIDE_WS_FLAG_COMPRESS) {
        zend_string_release(a.data);
        zend_argument_value_error(3, "asks for compression, which this client does not do");
        RETURN_THROWS();
    }
    if (!php_tide_http_client_enter(c, "push")) {
        zend_string_release(a.data);
        RETURN_THROWS();
    }
    bool ok = ws_ready(c);
    int rc = 0;
    if (ok) {
        a.flags = c->ws_mask ? a.flags | TIDE_WS_FLAG_MASK : a.flags & ~TIDE_WS_FLAG_MASK;
        zend_string *frame = php_tide_ws_build_frame(&a, 0, 0);
        rc = peer_send(c, ZSTR_VAL(frame), ZSTR_LEN(frame));
        zend_string_release(frame);
        if (rc == 0 && a.opcode == TIDE_WS_CLOSE)
            c->ws.closing = true;
        ok = rc == 0;
    }
    zend_string_release(a.data);
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
    int rc = php_tide_ws_peer_read(peer_of(c), ns, return_value);
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
            else if (rc == PHP_TIDE_WS_EBADDATA)
                php_tide_http_client_set_error(c, EILSEQ, "the server sent WebSocket text that is not UTF-8");
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
}

/* SPDX-License-Identifier: MIT */
/*
 * A Tide\Http\Response of Tide\Coroutine\Http\Server after upgrade(): the handler talks
 * WebSocket on its connection itself, as Swoole's coroutine server lets it. recv() reads
 * the next message (a ping is answered, a close is answered and ends the connection),
 * push(), ping() and disconnect() write frames. Every call runs in the handler's coroutine,
 * which owns the connection; the connection closes when the handler returns.
 *
 * A response of Tide\Http\Server or Tide\WebSocket\Server has no frames here: there the
 * messages come to the 'message' event and go out with WebSocket\Server::push().
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>

#include "php.h"
#include "php_tide.h"
#include "php_tide_http.h"
#include "tide/websocket.h"

#define THIS_RESPONSE() php_tide_response_from(Z_OBJ_P(ZEND_THIS))

static zend_class_entry *frame_ce;

/* The connection's WebSocket end for sending, or NULL (false for the caller): with a warning
 * when the response never had one, quietly (swoole_last_error() says ENOTCONN) when it is
 * done or our close frame went out (nothing may follow it). */
static php_tide_ws_peer_t *peer_of(php_tide_response_t *r, const char *method)
{
    if (r->peer && !r->peer->closing)
        return r->peer;
    if (!r->upgraded || r->s) {
        php_error_docref(NULL, E_WARNING,
                         "%s() needs a response of Tide\\Coroutine\\Http\\Server switched to "
                         "WebSocket by upgrade() (on Tide\\WebSocket\\Server, messages come to "
                         "the 'message' event and go out with push())", method);
    }
    TIDE_G(last_error) = ENOTCONN;
    return NULL;
}

/* After a failed write, or the close handshake: nothing more on this connection. */
static void drop(php_tide_response_t *r)
{
    r->peer = NULL;
    if (r->sink)
        r->sink->close(r->conn);
}

/* Sends one frame (frame: whole; else first byte and payload), counted as a call on the
 * peer: true, or false with the connection dropped (its error in swoole_last_error()) or an
 * exception pending (killed). */
static bool send_one(php_tide_response_t *r, php_tide_ws_peer_t *p, const zend_string *frame,
                     uint8_t first, const char *data, size_t n)
{
    p->busy++;
    int rc = frame ? p->send(p->ctx, ZSTR_VAL(frame), ZSTR_LEN(frame))
                   : php_tide_ws_peer_send(p, first, data, n);
    p->busy--;
    if (rc < 0 && rc != TIDE_EKILLED) {
        TIDE_G(last_error) = -rc;
        drop(r);
    }
    return rc == 0;
}

ZEND_METHOD(Tide_Http_Response, push)
{
    zend_object *fobj = NULL;
    zend_string *str = NULL;
    zend_long opcode = TIDE_WS_TEXT, flags = TIDE_WS_FLAG_FIN;
    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_OBJ_OF_CLASS_OR_STR(fobj, frame_ce, str)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(opcode)
        Z_PARAM_LONG(flags)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_ws_frame_args_t a;
    if (!php_tide_ws_frame_args(fobj, str, opcode, flags, 1, &a))
        RETURN_THROWS();
    php_tide_response_t *r = THIS_RESPONSE();
    php_tide_ws_peer_t *p = peer_of(r, "push");
    if (!p) {
        zend_string_release(a.data);
        RETURN_FALSE;
    }
    a.flags &= ~TIDE_WS_FLAG_MASK; /* a server never masks */
    zend_string *frame = php_tide_ws_build_frame(&a, 0, 0);
    zend_string_release(a.data);
    bool ok = send_one(r, p, frame, 0, NULL, 0);
    zend_string_release(frame);
    if (ok && a.opcode == TIDE_WS_CLOSE)
        p->closing = true;
    if (EG(exception))
        RETURN_THROWS();
    RETURN_BOOL(ok);
}

ZEND_METHOD(Tide_Http_Response, ping)
{
    zend_string *data = ZSTR_EMPTY_ALLOC();
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();
    if (ZSTR_LEN(data) > 125) {
        zend_argument_value_error(1, "is a control frame (opcode 9): at most 125 bytes, %zu given",
                                  ZSTR_LEN(data));
        RETURN_THROWS();
    }
    php_tide_response_t *r = THIS_RESPONSE();
    php_tide_ws_peer_t *p = peer_of(r, "ping");
    if (!p)
        RETURN_FALSE;
    bool ok = send_one(r, p, NULL, 0x80 | TIDE_WS_PING, ZSTR_VAL(data), ZSTR_LEN(data));
    if (EG(exception))
        RETURN_THROWS();
    RETURN_BOOL(ok);
}

/* Sends a close frame. recv() then reads what comes until the client's answering close;
 * the connection closes when the handler returns (or at close()). */
ZEND_METHOD(Tide_Http_Response, disconnect)
{
    zend_long code = TIDE_WS_CLOSE_NORMAL;
    zend_string *reason = NULL;
    ZEND_PARSE_PARAMETERS_START(0, 2)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(code)
        Z_PARAM_STR(reason)
    ZEND_PARSE_PARAMETERS_END();
    char payload[125];
    size_t n;
    if (!php_tide_ws_close_args(code, reason, 1, payload, &n))
        RETURN_THROWS();
    php_tide_response_t *r = THIS_RESPONSE();
    php_tide_ws_peer_t *p = peer_of(r, "disconnect");
    if (!p)
        RETURN_FALSE;
    bool ok = send_one(r, p, NULL, 0x80 | TIDE_WS_CLOSE, payload, n);
    if (EG(exception))
        RETURN_THROWS();
    RETURN_BOOL(ok);
}

/*
 * The next message: a Frame (a CloseFrame for the client's close, which is answered and
 * ends the connection), '' when the client closed the connection without one, false at
 * the timeout (0: the server's heartbeat_idle_time, if set; swoole_last_error() ETIMEDOUT;
 * the connection stays usable) or for a
 * malformed frame (answered with close 1002), text that is not UTF-8 (1007) or a message
 * over package_max_length (1009).
 */
ZEND_METHOD(Tide_Http_Response, recv)
{
    double timeout = 0;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    if (timeout != timeout) {
        zend_argument_value_error(1, "must be a number of seconds, NAN given");
        RETURN_THROWS();
    }
    php_tide_response_t *r = THIS_RESPONSE();
    /* (after our disconnect(), what comes until the client's answering close) */
    php_tide_ws_peer_t *p = r->peer && !r->peer->ended ? r->peer : peer_of(r, "recv");
    if (!p)
        RETURN_FALSE;
    /* 0: the server's heartbeat_idle_time (none without it); below 0, or a year or more:
     * none (and no overflow) */
    int64_t ns = timeout == 0 ? p->idle_ns
                 : timeout < 0 || timeout >= 365 * 86400.0 ? -1 : (int64_t)(timeout * 1e9);
    p->busy++;
    int rc = php_tide_ws_peer_read(p, ns, return_value);
    p->busy--;
    if (EG(exception)) { /* killed, also while answering a ping or a close */
        if (rc == 0)
            zval_ptr_dtor(return_value);
        ZVAL_UNDEF(return_value);
        RETURN_THROWS();
    }
    if (rc == 0) {
        if (p->ended) /* the client's close, answered: nothing more on this connection */
            drop(r);
        return;
    }
    TIDE_G(last_error) = rc == TIDE_ETOOBIG ? EMSGSIZE : rc == TIDE_EPROTO ? EPROTO : -rc;
    if (rc == -ETIMEDOUT || rc == -ECANCELED)
        RETURN_FALSE;
    if (rc == TIDE_ETOOBIG || rc == TIDE_EPROTO || rc == PHP_TIDE_WS_EBADDATA) {
        char payload[2];
        unsigned code = rc == TIDE_ETOOBIG         ? TIDE_WS_CLOSE_TOO_BIG
                        : rc == PHP_TIDE_WS_EBADDATA ? TIDE_WS_CLOSE_BAD_DATA
                                                     : TIDE_WS_CLOSE_PROTOCOL;
        payload[0] = (char)(code >> 8);
        payload[1] = (char)code;
        if (!p->closing) {
            p->busy++;
            php_tide_ws_peer_send(p, 0x80 | TIDE_WS_CLOSE, payload, 2);
            p->busy--;
        }
        drop(r);
        if (EG(exception))
            RETURN_THROWS();
        RETURN_FALSE;
    }
    drop(r);
    if (rc == -ECONNRESET)
        RETURN_EMPTY_STRING(); /* the client closed the connection */
    RETURN_FALSE;
}

void php_tide_response_ws_minit(void)
{
    frame_ce = zend_hash_str_find_ptr(CG(class_table), "tide\\websocket\\frame",
                                      sizeof("tide\\websocket\\frame") - 1);
    php_tide_ws_peer_minit();
}

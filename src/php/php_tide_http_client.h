/* SPDX-License-Identifier: MIT */
/*
 * What the files of Tide\Coroutine\Http\Client share:
 *
 *   http_client.c          the object, its settings, the request being prepared
 *                          (setMethod() ... addData()), the connection (connect, send,
 *                          read into the buffer), what came back (getBody() ...), close()
 *   http_client_request.c  one request and its response: building the request (headers,
 *                          form and multipart bodies), sending it, reading the response
 *                          (head, body, cookies); execute(), get(), post(), download()
 *   http_client_ws.c       the WebSocket: upgrade(), push(), ping(), recv(), disconnect()
 */
#ifndef PHP_TIDE_HTTP_CLIENT_H
#define PHP_TIDE_HTTP_CLIENT_H

#include "php.h"
#include "tide/http1_response.h"
#include "php_tide_ws_peer.h"

/* Swoole's statusCode values for a request that got no response. */
#define STATUS_CONNECT_FAILED (-1)
#define STATUS_TIMEOUT (-2)
#define STATUS_SERVER_RESET (-3)
#define STATUS_SEND_FAILED (-4)

#define NS_PER_S 1000000000.0

/* The declared properties, in the stub's order. */
enum {
    P_ERRCODE, P_ERRMSG, P_CONNECTED, P_HOST, P_PORT, P_SSL, P_SETTING, P_METHOD,
    P_REQ_HEADERS, P_REQ_BODY, P_UPLOAD_FILES, P_DOWNLOAD_FILE, P_DOWNLOAD_OFFSET,
    P_STATUS, P_HEADERS, P_SET_COOKIE_HEADERS, P_COOKIES, P_BODY,
};

/* The object: it owns its stream (a resource referenced from `stream`), its receive buffer
 * and its settings; all live as long as the object, or until close(). */
typedef struct php_tide_http_client {
    zval stream;   /* the connection's stream resource, UNDEF when not connected */
    php_stream *s; /* its stream */
    bool reused;   /* the connection carried a whole response already */
    bool websocket;
    php_tide_ws_peer_t ws; /* after upgrade(): the connection's WebSocket end */
    /* settings: times in ns, -1 for none */
    int64_t connect_ns, read_ns, write_ns, total_ns;
    bool keep_alive, ws_mask, http_compression, body_decompression, lowercase_header;
    size_t max_header, max_body;
    /* received bytes not used yet: buf[off..len) */
    char *buf;
    size_t off, len, cap;
    uint64_t deadline; /* of the running request (0: none) */
    zend_string *header_out;
    int64_t busy;      /* the coroutine using the client, 0 when none */
    zend_object std;
} php_tide_http_client_t;


/* How a request ended, for execute(). */
typedef enum {
    RES_OK = 0,
    RES_CLOSED_IDLE, /* the connection closed before any byte of the response */
    RES_FAILED,      /* statusCode, errCode and errMsg are set */
    RES_EXCEPTION,   /* an exception is pending */
} php_tide_http_client_result_t;

static inline php_tide_http_client_t *php_tide_http_client_from(zend_object *o)
{
    return (php_tide_http_client_t *)((char *)o - XtOffsetOf(php_tide_http_client_t, std));
}
#define THIS() php_tide_http_client_from(Z_OBJ_P(ZEND_THIS))
#define PROP(c, n) OBJ_PROP_NUM(&(c)->std, n)

/* http_client.c */

/* Replace property n (taking v's reference). */
void php_tide_http_client_prop_set(php_tide_http_client_t *c, int n, zval *v);
void php_tide_http_client_prop_long(php_tide_http_client_t *c, int n, zend_long l);
void php_tide_http_client_prop_bool(php_tide_http_client_t *c, int n, bool b);
void php_tide_http_client_prop_null(php_tide_http_client_t *c, int n);
void php_tide_http_client_prop_str(php_tide_http_client_t *c, int n, zend_string *s);
/* errCode and errMsg (errMsg formatted when fmt, else strerror(code)). */
void php_tide_http_client_set_error(php_tide_http_client_t *c, int code, const char *fmt, ...)
    ZEND_ATTRIBUTE_FORMAT(printf, 3, 4);
/* Drops the connection (and what was read from it). */
void php_tide_http_client_drop(php_tide_http_client_t *c);
/* Whether the running coroutine may use the client now (throws otherwise); leave() ends
 * the call. */
bool php_tide_http_client_enter(php_tide_http_client_t *c, const char *method);
void php_tide_http_client_leave(php_tide_http_client_t *c);
/* Connects: true, or false with statusCode -1 and errCode/errMsg (or an exception). */
bool php_tide_http_client_connect(php_tide_http_client_t *c);
/* Writes all of p[0..n): 0, or -ETIMEDOUT / -EPIPE, TIDE_EKILLED (exception pending). */
int php_tide_http_client_send(php_tide_http_client_t *c, const char *p, size_t n);
/* Reads into buf: the bytes read, 0 at the end of the stream, -ETIMEDOUT, -ECONNRESET,
 * or TIDE_EKILLED (exception pending). */
ssize_t php_tide_http_client_fill(php_tide_http_client_t *c, int64_t op_ns);

/* http_client_request.c */

/* One request and its response (ws_key: the upgrade of upgrade()). */
php_tide_http_client_result_t php_tide_http_client_request(php_tide_http_client_t *c,
                                                           zend_string *path, php_stream *file,
                                                           zend_long range_from,
                                                           const char *ws_key,
                                                           tide_http1_response_t *r);
/* After a request: what was asked for is forgotten (headers and cookies stay), as Swoole. */
void php_tide_http_client_reset_request(php_tide_http_client_t *c);

/* http_client_ws.c */

/* Finds the Frame classes; from php_tide_http_client_minit(). */
void php_tide_http_client_ws_minit(void);

/* The methods defined outside http_client.c (the arginfo, with the method table, is
 * included there only). */
ZEND_METHOD(Tide_Coroutine_Http_Client, execute);
ZEND_METHOD(Tide_Coroutine_Http_Client, get);
ZEND_METHOD(Tide_Coroutine_Http_Client, post);
ZEND_METHOD(Tide_Coroutine_Http_Client, download);
ZEND_METHOD(Tide_Coroutine_Http_Client, upgrade);
ZEND_METHOD(Tide_Coroutine_Http_Client, push);
ZEND_METHOD(Tide_Coroutine_Http_Client, recv);
ZEND_METHOD(Tide_Coroutine_Http_Client, ping);
ZEND_METHOD(Tide_Coroutine_Http_Client, disconnect);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * What the files of the Tide\Http binding share:
 *
 *   http.c           Tide\Http\Server, Tide\Http\Request, and a request's path from the
 *                    core's message to the request event
 *   http_response.c  Tide\Http\Response: status, headers, cookies, the body (whole,
 *                    chunked, or a file), and the 500 for a request left unanswered
 *   http_cookie.c    Tide\Http\Cookie, and the checks and format of a Set-Cookie line
 *   http_static.c    the static file handler (document_root), before the request handler
 *   coserver.c       Tide\Coroutine\Http\Server, which makes Requests and Responses (bound
 *                    to its connections through a sink) without the server engine
 *   http_response_ws.c  a sink-bound Response after upgrade(): recv(), push(), ping(),
 *                    disconnect() on its connection (Swoole's coroutine WebSocket)
 */
#ifndef PHP_TIDE_HTTP_H
#define PHP_TIDE_HTTP_H

#include "php_tide_server.h"
#include "tide/compress.h"
#include "tide/http_static.h"
#include "tide/websocket.h"
#include "zend_smart_str.h"
#include "php_tide_ws_peer.h"

/* A connection the server engine does not own (Tide\Coroutine\Http\Server's): a response
 * bound to one writes and closes through these instead of the engine. */
typedef struct php_tide_response_sink {
    /* Writes all of data[0..len), the calling coroutine waiting while the socket is full:
     * 0, or a negative errno / TIDE_E* code (the peer went away). */
    int (*send)(void *conn, const char *data, size_t len);
    /* No more requests on the connection: it closes once this response is out. */
    void (*close)(void *conn);
    /* A 101 went out: the connection speaks WebSocket from now on, through the peer this
     * returns (NULL: it cannot). The connection closes once the handler returns. */
    php_tide_ws_peer_t *(*upgrade)(void *conn);
} php_tide_response_sink_t;

typedef struct php_tide_response {
    tide_server_t *s; /* the running server's core (NULL with a sink) */
    const php_tide_response_sink_t *sink; /* or the connection's sink, and its conn */
    void *conn;
    uint64_t session;
    int status;
    zend_string *reason;  /* NULL: the code's own */
    HashTable *headers;   /* lower-cased name -> [name as sent, value, value...] */
    smart_str cookies;    /* "Set-Cookie: ...\r\n" lines */
    HashTable *trailers;  /* trailer(): lower-cased name -> [name as given, value] */
    bool head;            /* a HEAD request: no body goes out */
    bool keep_alive;      /* the request allows the connection to stay open */
    bool http10;
    bool chunked;         /* write() sent the head: the body goes in chunks */
    bool header_sent;
    bool ended;
    bool detached;
    /* compression: what the request accepts (NONE when the port has it off), the port's
     * level and minimum length, and, for a body streamed by write(), its stream */
    tide_coding_t coding;
    int level;
    size_t min_length;
    bool vary;            /* the body could be compressed: the head says Vary: Accept-Encoding */
    bool encoding;        /* the head says Content-Encoding: the body goes through zlib */
    tide_deflate_t *z;
    /* A WebSocket upgrade request on a port with open_websocket_protocol: what the default
     * handshake answers (ws_refuse: 400 or 426 instead of 101), and whether a 101 switched
     * the connection. */
    bool ws;
    bool upgraded;
    /* A sink's connection once upgraded: its WebSocket end (recv(), push()...), NULL once
     * the connection is done (closed, or the close handshake happened). */
    php_tide_ws_peer_t *peer;
    int ws_refuse;
    char ws_accept[29];
    tide_ws_deflate_t ws_deflate;
    zend_object std;
} php_tide_response_t;

/* A Request object for the request data[0..len) (copied) whose head h was parsed from it;
 * its body follows the head, or lies in body_fd (body_len bytes; the request owns the fd
 * then). o: what to parse (http_parse_post, http_parse_cookie, uploads). remote_ip: NULL
 * when unknown. */
zend_object *php_tide_request_new(const php_tide_http_opts_t *o, uint64_t session,
                                  const char *remote_ip, int remote_port, int server_port,
                                  const char *data, size_t len, const tide_http1_head_t *h,
                                  int body_fd, uint64_t body_len);
/* The request is done: its uploaded files are removed (as PHP does at a request's end). */
void php_tide_request_end(zend_object *req);

extern zend_class_entry *php_tide_http_request_ce, *php_tide_http_response_ce,
    *php_tide_http_cookie_ce;

/* A cookie's fields: a Tide\Http\Cookie's, or Response::cookie()'s arguments. The strings
 * belong to whoever filled it in; NULL or empty: not set. */
typedef struct php_tide_cookie {
    zend_string *name, *value, *path, *domain, *samesite, *priority;
    zend_long expires;
    bool secure, httponly, partitioned;
    bool encode; /* the value goes URL-encoded (cookie()), or as it is (rawcookie()) */
} php_tide_cookie_t;

typedef enum { PHP_TIDE_COOKIE_NAME, PHP_TIDE_COOKIE_VALUE, PHP_TIDE_COOKIE_ATTR } php_tide_cookie_field_t;

/* NULL when v (NULL: not given) may be a cookie's field of kind f, else what is wrong with
 * it, as the end of a ValueError's "Argument #n ($x) ..." message. */
const char *php_tide_cookie_check(php_tide_cookie_field_t f, const zend_string *v, bool encode);
/* Appends "name=value; attributes" (without "Set-Cookie: " and CRLF) for a cookie whose
 * fields were checked and that has a name. */
void php_tide_cookie_format(const php_tide_cookie_t *c, smart_str *out);
/* The fields of a Tide\Http\Cookie object. */
const php_tide_cookie_t *php_tide_cookie_of(zend_object *obj);
void php_tide_cookie_minit(zend_class_entry *ce);

static inline php_tide_response_t *php_tide_response_from(zend_object *obj)
{
    return (php_tide_response_t *)((char *)obj - XtOffsetOf(php_tide_response_t, std));
}

/* A Response object for a connection of the running server. */
zend_object *php_tide_response_new(tide_server_t *s, uint64_t session, bool keep_alive,
                                   bool http10, bool head);
/* A Response object writing to a connection through sink (conn: its argument), until
 * php_tide_response_unbind(). */
zend_object *php_tide_response_new_sink(const php_tide_response_sink_t *sink, void *conn,
                                        uint64_t id, bool keep_alive, bool http10, bool head);
/* The connection is done with r: it belongs to no connection from now on (methods warn and
 * return false, as for an ended response). */
void php_tide_response_unbind(php_tide_response_t *r);
/* A response its handler left without end(): answered 500 (unless detached). */
void php_tide_response_finish(php_tide_response_t *r);
void php_tide_response_minit(zend_class_entry *ce);
/* Frees what detach() remembered for create(). */
void php_tide_response_rshutdown(void);
/* The default WebSocket handshake on r (r->ws): 101 and the switch, true; or the refusal
 * (400, 426) with the connection closed after it, false. */
bool php_tide_response_ws_accept(php_tide_response_t *r);
/* Fills r's handshake fields from the upgrade request h (data: its bytes). */
void php_tide_ws_prepare(php_tide_response_t *r, const tide_http1_head_t *h, const char *data,
                         bool compression);
/* Whether the request asks for a WebSocket (Upgrade: websocket). */
bool php_tide_ws_is_upgrade(const tide_http1_head_t *h, const char *data);
/* The Date header's value for now, remade once a second. */
const char *php_tide_http_date_now(void);

/* The static file handler (http_static.c): answers a GET or HEAD request from the port's
 * document_root when the path is its to serve; true when it answered (the request is done
 * then), false when the request goes to the request handler. */
bool php_tide_http_static(php_tide_server_t *srv, php_tide_port_t *port, uint64_t session,
                          const char *data, size_t len, const tide_http1_head_t *h);


/* ---- what http_response.c and http_response_body.c share ---- */

static inline bool has_header(const php_tide_response_t *r, const char *lower)
{
    return r->headers && zend_hash_str_exists(r->headers, lower, strlen(lower));
}

/* No body with these (RFC 9110, 6.4.1). */
static inline bool bodiless(int status)
{
    return (status >= 100 && status < 200) || status == 204 || status == 304;
}

/* The first value of a header the handler set, or NULL. */
static inline zval *header_value(const php_tide_response_t *r, const char *lower, size_t n)
{
    zval *entry = r->headers ? zend_hash_str_find(r->headers, lower, n) : NULL;
    return entry ? zend_hash_index_find(Z_ARRVAL_P(entry), 1) : NULL;
}

/* Whether the body may go compressed (length: the whole body's, or -1 when streamed). */
bool php_tide_response_compressible(const php_tide_response_t *r, int64_t length);
/* The whole body compressed into out; false when zlib failed. */
bool php_tide_response_compress_whole(const php_tide_response_t *r, const char *body, size_t len,
                                      smart_str *out);
/* A piece of a streamed body as it goes on the wire (compressed, chunked); false when zlib
 * failed. finish: the last piece. */
bool php_tide_response_append_piece(php_tide_response_t *r, smart_str *out, const char *p,
                                    size_t n, bool finish);


/* What push() and pack() were given: a string with opcode and flags, or a Frame. */
typedef struct php_tide_ws_frame_args {
    zend_string *data; /* a reference the caller releases */
    zend_long opcode, flags;
} php_tide_ws_frame_args_t;

/* Reads push()/pack()'s (data, opcode, flags) from argument `first` on (fobj: a Frame given
 * instead of str; first 0: a Frame's own __toString()): false with a ValueError. */
bool php_tide_ws_frame_args(zend_object *fobj, zend_string *str, zend_long opcode, zend_long flags,
                            uint32_t first, php_tide_ws_frame_args_t *a);
/* The frame for a: compressed (RSV1) when FLAG_COMPRESS asks and bits > 0 (the window the
 * peer agreed to; 0: no compression), masked when FLAG_MASK asks (a client's frame). */
zend_string *php_tide_ws_build_frame(const php_tide_ws_frame_args_t *a, int bits, int level);
/* One frame: its head (first byte: FIN, RSV, opcode), then p[0..n), masked with a random key
 * when mask (a client's frame). */
zend_string *php_tide_ws_frame_bytes(uint8_t first, const char *p, size_t n, bool mask);
/* disconnect()'s code (argument code_arg) and reason (the next): the close frame's payload
 * in out, its length in *n; false with a ValueError. */
bool php_tide_ws_close_args(zend_long code, zend_string *reason, uint32_t code_arg,
                            char out[125], size_t *n);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Tide\WebSocket\Server, Frame and CloseFrame, and Tide\Server's $connections (an Iterator
 * over the ids open when it was read, Countable, and ArrayAccess by id to the live
 * getClientInfo(), read-only, as Swoole\Connection\Iterator).
 *
 * The engine's WebSocket protocol (src/proto/websocket.c) reads the frames: this file
 * turns each message it hands a worker into a Frame for the message event, prepares the
 * default handshake of an upgrade request (http_response.c answers it), and builds the
 * frames push() sends. The server's frames are never masked; a compressed push is deflated
 * here, in whichever process pushes, since the server keeps no compression context between
 * messages (server_no_context_takeover is always agreed).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/random.h>

#include "php.h"
#include "php_tide_http.h"
#include "tide/ascii.h"
#include "tide/websocket.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"

#include "../../php_stubs/tide_websocket_arginfo.h"

zend_class_entry *php_tide_ws_server_ce;
static zend_class_entry *frame_ce, *close_frame_ce, *iter_ce;
static zend_object_handlers iter_handlers;
static tide_ratelimit_t rl_full;

/* Property slots of Frame (CloseFrame adds code and reason), in the stubs' order. */
enum { F_FD, F_DATA, F_OPCODE, F_FLAGS, F_FINISH, F_CODE, F_REASON };

/* ---- the handshake ---- */

/* Whether the comma-separated list v[0..n) holds token (lowercase), ignoring case. */
static bool has_token(const char *v, size_t n, const char *token)
{
    size_t k = strlen(token);
    const char *end = v + n;
    while (v < end) {
        while (v < end && (tide_is_ows(*v) || *v == ','))
            v++;
        const char *e = v;
        while (e < end && *e != ',')
            e++;
        const char *t = e;
        while (t > v && tide_is_ows(t[-1]))
            t--;
        if ((size_t)(t - v) == k && tide_prefix_ci(v, k, token))
            return true;
        v = e;
    }
    return false;
}

bool php_tide_ws_is_upgrade(const tide_http1_head_t *h, const char *data)
{
    const tide_http1_header_t *up = tide_http1_find(h, data, "upgrade");
    return up && has_token(data + up->value.off, up->value.len, "websocket");
}

void php_tide_ws_prepare(php_tide_response_t *r, const tide_http1_head_t *h, const char *data,
                         bool compression)
{
    r->ws = true;
    const tide_http1_header_t *ver = tide_http1_find(h, data, "sec-websocket-version");
    const tide_http1_header_t *key = tide_http1_find(h, data, "sec-websocket-key");
    bool get = h->method.len == 3 && memcmp(data + h->method.off, "GET", 3) == 0;
    if (!get || h->version != 11 || !h->upgrade) {
        r->ws_refuse = 400; /* RFC 6455, 4.1: a GET of HTTP/1.1 with Connection: Upgrade */
        return;
    }
    if (!ver || ver->value.len != 2 || memcmp(data + ver->value.off, "13", 2) != 0) {
        r->ws_refuse = 426;
        return;
    }
    if (!key || !tide_ws_key_valid(data + key->value.off, key->value.len)) {
        r->ws_refuse = 400;
        return;
    }
    tide_ws_accept(data + key->value.off, key->value.len, r->ws_accept);
    if (!compression)
        return;
    /* Every Sec-WebSocket-Extensions line, in order, as one list. */
    smart_str ext = {0};
    for (uint32_t i = 0; i < h->nheaders; i++) {
        const tide_http1_header_t *hd = &h->headers[i];
        if (hd->name.len == 24 && tide_prefix_ci(data + hd->name.off, 24, "sec-websocket-extensions")) {
            if (ext.s)
                smart_str_appends(&ext, ", ");
            smart_str_appendl(&ext, data + hd->value.off, hd->value.len);
        }
    }
    if (ext.s)
        tide_ws_deflate_offer(ZSTR_VAL(ext.s), ZSTR_LEN(ext.s), &r->ws_deflate);
    smart_str_free(&ext);
}

/* ---- frames ---- */

static void frame_init(zval *out, uint64_t fd, uint8_t opcode, uint8_t flags, const char *p,
                       size_t n)
{
    object_init_ex(out, opcode == TIDE_WS_CLOSE ? close_frame_ce : frame_ce);
    zend_object *o = Z_OBJ_P(out);
    ZVAL_LONG(OBJ_PROP_NUM(o, F_FD), (zend_long)fd);
    ZVAL_LONG(OBJ_PROP_NUM(o, F_OPCODE), opcode);
    ZVAL_LONG(OBJ_PROP_NUM(o, F_FLAGS), flags);
    ZVAL_BOOL(OBJ_PROP_NUM(o, F_FINISH), (flags & TIDE_WS_FLAG_FIN) != 0);
    if (opcode == TIDE_WS_CLOSE) {
        /* code and reason; the data is the reason, as Swoole gives it */
        zend_long code = n >= 2 ? ((uint8_t)p[0] << 8 | (uint8_t)p[1]) : TIDE_WS_CLOSE_NO_STATUS;
        ZVAL_LONG(OBJ_PROP_NUM(o, F_CODE), code);
        if (n > 2) {
            ZVAL_STRINGL(OBJ_PROP_NUM(o, F_REASON), p + 2, n - 2);
            ZVAL_STRINGL(OBJ_PROP_NUM(o, F_DATA), p + 2, n - 2);
        }
        return;
    }
    if (n)
        ZVAL_STRINGL_FAST(OBJ_PROP_NUM(o, F_DATA), p, n);
}

void php_tide_ws_message(php_tide_server_t *srv, php_tide_port_t *port, uint64_t session,
                         const char *data, size_t len)
{
    tide_ws_msg_t h;
    memcpy(&h, data, sizeof(h));
    php_tide_cb_t *cb = php_tide_port_cb(srv, port->p.index, EV_MESSAGE);
    if (!cb) {
        tide_server_done(&srv->core, session, len);
        return;
    }
    zval args[2];
    ZVAL_COPY(&args[0], &php_tide_running_zv);
    frame_init(&args[1], session, h.opcode, h.flags, data + sizeof(h), len - sizeof(h));
    php_tide_event_call_done(srv, cb, args, 2, session, len);
    zval_ptr_dtor(&args[0]);
    zval_ptr_dtor(&args[1]);
}

/* One deflater per window size, reused by every compressed frame this process builds. */
static tide_ws_zout_t *zouts[16];

static tide_ws_zout_t *zout(int bits, int level)
{
    if (bits < 9 || bits > 15)
        bits = 15;
    if (!zouts[bits])
        zouts[bits] = tide_ws_zout_new(level, bits);
    return zouts[bits];
}

void php_tide_ws_rshutdown(void)
{
    for (size_t i = 0; i < sizeof(zouts) / sizeof(zouts[0]); i++) {
        tide_ws_zout_free(zouts[i]);
        zouts[i] = NULL;
    }
}

static bool opcode_ok(zend_long op)
{
    return op == TIDE_WS_CONTINUATION || op == TIDE_WS_TEXT || op == TIDE_WS_BINARY ||
           op == TIDE_WS_CLOSE || op == TIDE_WS_PING || op == TIDE_WS_PONG;
}

/* A ValueError about argument arg of push()/pack(), or, arg 0, about the property prop of
 * the Frame whose __toString() runs. */
static void frame_error(uint32_t arg, const char *prop, const char *fmt, ...)
    ZEND_ATTRIBUTE_FORMAT(printf, 3, 4);
static void frame_error(uint32_t arg, const char *prop, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    zend_string *msg = zend_vstrpprintf(0, fmt, ap);
    va_end(ap);
    if (arg)
        zend_argument_value_error(arg, "%s", ZSTR_VAL(msg));
    else
        zend_value_error("Tide\\WebSocket\\Frame::__toString(): the frame's $%s %s", prop,
                         ZSTR_VAL(msg));
    zend_string_release(msg);
}

/* Reads a Frame's fields (a CloseFrame's payload is its code and reason); false with a
 * ValueError naming arg (0: the frame's own property). */
static bool from_frame(zend_object *o, php_tide_ws_frame_args_t *a, uint32_t arg)
{
    zval *op = OBJ_PROP_NUM(o, F_OPCODE), *fl = OBJ_PROP_NUM(o, F_FLAGS);
    a->opcode = Z_TYPE_P(op) == IS_LONG ? Z_LVAL_P(op) : TIDE_WS_TEXT;
    a->flags = Z_TYPE_P(fl) == IS_LONG ? Z_LVAL_P(fl) : TIDE_WS_FLAG_FIN;
    if (instanceof_function(o->ce, close_frame_ce)) {
        zval *code = OBJ_PROP_NUM(o, F_CODE), *reason = OBJ_PROP_NUM(o, F_REASON);
        zend_long c = Z_TYPE_P(code) == IS_LONG ? Z_LVAL_P(code) : TIDE_WS_CLOSE_NORMAL;
        size_t rl = Z_TYPE_P(reason) == IS_STRING ? Z_STRLEN_P(reason) : 0;
        if (!tide_ws_close_code_valid((unsigned)c) || c > 65535) {
            frame_error(arg, "code", arg ? "is a CloseFrame whose code (" ZEND_LONG_FMT ") may not "
                                           "be sent (1000-1003, 1007-1014, 3000-4999)"
                                         : "(" ZEND_LONG_FMT ") may not be sent (1000-1003, "
                                           "1007-1014, 3000-4999)", c);
            return false;
        }
        if (rl > 123) {
            frame_error(arg, "reason", "%s", arg ? "is a CloseFrame whose reason is longer than 123 bytes"
                                                 : "is longer than 123 bytes");
            return false;
        }
        a->data = zend_string_alloc(2 + rl, 0);
        ZSTR_VAL(a->data)[0] = (char)(c >> 8);
        ZSTR_VAL(a->data)[1] = (char)c;
        if (rl)
            memcpy(ZSTR_VAL(a->data) + 2, Z_STRVAL_P(reason), rl);
        ZSTR_VAL(a->data)[2 + rl] = 0;
        a->opcode = TIDE_WS_CLOSE;
        return true;
    }
    zval *d = OBJ_PROP_NUM(o, F_DATA);
    a->data = Z_TYPE_P(d) == IS_STRING ? zend_string_copy(Z_STR_P(d)) : ZSTR_EMPTY_ALLOC();
    return true;
}

bool php_tide_ws_frame_args(zend_object *fobj, zend_string *str, zend_long opcode, zend_long flags,
                       uint32_t first, php_tide_ws_frame_args_t *a)
{
    uint32_t op_arg = first ? first + 1 : 0, flags_arg = first ? first + 2 : 0;
    if (fobj) {
        if (!from_frame(fobj, a, first))
            return false;
    } else {
        a->data = zend_string_copy(str);
        a->opcode = opcode;
        a->flags = flags;
    }
    if (!opcode_ok(a->opcode)) {
        frame_error(op_arg, "opcode", "must be a Tide\\WebSocket\\OPCODE_* constant, "
                    ZEND_LONG_FMT " given", a->opcode);
        zend_string_release(a->data);
        return false;
    }
    if (a->flags < 0 || a->flags > 63) {
        frame_error(flags_arg, "flags", "must be Tide\\WebSocket\\FLAG_* constants, "
                    ZEND_LONG_FMT " given", a->flags);
        zend_string_release(a->data);
        return false;
    }
    if ((a->opcode & 8) && (ZSTR_LEN(a->data) > 125 || !(a->flags & TIDE_WS_FLAG_FIN))) {
        frame_error(first, "data", first ? "is a control frame (opcode " ZEND_LONG_FMT "): at most "
                                           "125 bytes, with FLAG_FIN"
                                         : "is a control frame's (opcode " ZEND_LONG_FMT "): at most "
                                           "125 bytes, with FLAG_FIN", a->opcode);
        zend_string_release(a->data);
        return false;
    }
    return true;
}

zend_string *php_tide_ws_build_frame(const php_tide_ws_frame_args_t *a, int bits, int level)
{
    const char *p = ZSTR_VAL(a->data);
    size_t n = ZSTR_LEN(a->data);
    char *z = NULL;
    bool compress = (a->flags & TIDE_WS_FLAG_COMPRESS) && bits > 0 &&
                    (a->opcode == TIDE_WS_TEXT || a->opcode == TIDE_WS_BINARY) &&
                    (a->flags & TIDE_WS_FLAG_FIN);
    if (compress) {
        tide_ws_zout_t *zo = zout(bits, level);
        size_t zn;
        if (zo && tide_ws_zout_run(zo, p, n, &z, &zn) == 0) {
            p = z;
            n = zn;
        } else {
            compress = false;
        }
    }
    uint8_t first = (uint8_t)a->opcode;
    if (a->flags & TIDE_WS_FLAG_FIN)
        first |= 0x80;
    if (compress || (a->flags & TIDE_WS_FLAG_RSV1))
        first |= 0x40;
    if (a->flags & TIDE_WS_FLAG_RSV2)
        first |= 0x20;
    if (a->flags & TIDE_WS_FLAG_RSV3)
        first |= 0x10;
    zend_string *out = php_tide_ws_frame_bytes(first, p, n, a->flags & TIDE_WS_FLAG_MASK);
    tide_free(z);
    return out;
}

zend_string *php_tide_ws_frame_bytes(uint8_t first, const char *p, size_t n, bool mask)
{
    uint8_t key[4], *k = NULL;
    if (mask) {
        if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key))
            memset(key, 0x5a, sizeof(key));
        k = key;
    }
    char head[TIDE_WS_HEAD_MAX];
    size_t hl = tide_ws_frame_head(head, first, n, k);
    zend_string *out = zend_string_alloc(hl + n, 0);
    memcpy(ZSTR_VAL(out), head, hl);
    memcpy(ZSTR_VAL(out) + hl, p, n);
    ZSTR_VAL(out)[hl + n] = 0;
    if (k)
        tide_ws_mask(ZSTR_VAL(out) + hl, n, k, 0);
    return out;
}

bool php_tide_ws_close_args(zend_long code, zend_string *reason, uint32_t code_arg,
                            char out[125], size_t *n)
{
    if (code < 0 || code > 65535 || !tide_ws_close_code_valid((unsigned)code)) {
        zend_argument_value_error(code_arg, "must be a close code a server may send (1000-1003, "
                                            "1007-1014, 3000-4999), " ZEND_LONG_FMT " given", code);
        return false;
    }
    size_t rl = reason ? ZSTR_LEN(reason) : 0;
    if (rl > 123) {
        zend_argument_value_error(code_arg + 1, "must be at most 123 bytes long, %zu given", rl);
        return false;
    }
    out[0] = (char)(code >> 8);
    out[1] = (char)code;
    if (rl)
        memcpy(out + 2, ZSTR_VAL(reason), rl);
    *n = 2 + rl;
    return true;
}

/* ---- Tide\WebSocket\Server ---- */

#define THIS_SERVER() php_tide_server_from(Z_OBJ_P(ZEND_THIS))

/* The connection's slot, if it is a WebSocket connection of the running server. */
static bool established(php_tide_server_t *srv, zend_long fd, tide_conninfo_t *info)
{
    return fd > 0 && tide_conntab_snapshot(&srv->core.tab, (uint64_t)fd, info) &&
           (info->flags & TIDE_CONN_UPGRADED) &&
           !(info->flags & (TIDE_CONN_CLOSING | TIDE_CONN_ENDING));
}

/* push() and ping(): the frame (data from argument 2 on) to connection fd. */
static void push(INTERNAL_FUNCTION_PARAMETERS, const char *method, zend_long fd, zend_object *fobj,
                 zend_string *str, zend_long opcode, zend_long flags)
{
    php_tide_server_t *srv = php_tide_server_running(THIS_SERVER(), method);
    if (!srv)
        RETURN_THROWS();
    php_tide_ws_frame_args_t a;
    if (!php_tide_ws_frame_args(fobj, str, opcode, flags, 2, &a))
        RETURN_THROWS();
    tide_conninfo_t info;
    if (!established(srv, fd, &info)) {
        zend_string_release(a.data);
        /* Gone or closing: false, quietly (a broadcast meets those); a connection that
         * speaks something else is a mistake of the caller's. */
        if (fd > 0 && tide_conntab_snapshot(&srv->core.tab, (uint64_t)fd, &info) &&
            !(info.flags & (TIDE_CONN_UPGRADED | TIDE_CONN_CLOSING)))
            php_error_docref(NULL, E_WARNING, "connection #" ZEND_LONG_FMT " is not a WebSocket "
                             "connection (its handshake has not been accepted)", fd);
        RETURN_FALSE;
    }
    tide_port_t *port = tide_server_port_of(&srv->core, &info);
    int level = port ? ((php_tide_port_t *)port->udata)->http.compression_level : 1;
    int bits = info.proto_info & TIDE_WS_INFO_DEFLATE ? TIDE_WS_INFO_BITS(info.proto_info) : 0;
    a.flags &= ~TIDE_WS_FLAG_MASK; /* a server never masks */
    zend_string *frame = php_tide_ws_build_frame(&a, bits, level);
    zend_string_release(a.data);
    uint64_t queued = 0;
    int rc = tide_server_send(&srv->core, (uint64_t)fd, ZSTR_VAL(frame), ZSTR_LEN(frame), &queued);
    if (rc == TIDE_EFULL)
        php_tide_warn_limited(&rl_full,
                              "connection #" ZEND_LONG_FMT ": %s(): output buffer full (%llu "
                              "bytes queued, buffer_output_size is %zu); message of %zu bytes "
                              "not sent",
                              fd, method, (unsigned long long)queued,
                              port && port->buffer_output_size ? port->buffer_output_size
                                                               : (size_t)2 << 20,
                              ZSTR_LEN(frame));
    zend_string_release(frame);
    RETURN_BOOL(rc == 0);
}

ZEND_METHOD(Tide_WebSocket_Server, push)
{
    zend_long fd, opcode = TIDE_WS_TEXT, flags = TIDE_WS_FLAG_FIN;
    zend_object *fobj = NULL;
    zend_string *str = NULL;
    ZEND_PARSE_PARAMETERS_START(2, 4)
        Z_PARAM_LONG(fd)
        Z_PARAM_OBJ_OF_CLASS_OR_STR(fobj, frame_ce, str)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(opcode)
        Z_PARAM_LONG(flags)
    ZEND_PARSE_PARAMETERS_END();
    push(INTERNAL_FUNCTION_PARAM_PASSTHRU, "push", fd, fobj, str, opcode, flags);
}

ZEND_METHOD(Tide_WebSocket_Server, ping)
{
    zend_long fd;
    zend_string *data = ZSTR_EMPTY_ALLOC();
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_LONG(fd)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();
    push(INTERNAL_FUNCTION_PARAM_PASSTHRU, "ping", fd, NULL, data, TIDE_WS_PING, TIDE_WS_FLAG_FIN);
}

ZEND_METHOD(Tide_WebSocket_Server, disconnect)
{
    zend_long fd, code = TIDE_WS_CLOSE_NORMAL;
    zend_string *reason = NULL;
    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_LONG(fd)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(code)
        Z_PARAM_STR(reason)
    ZEND_PARSE_PARAMETERS_END();
    char arg[2 + 123];
    size_t n;
    if (!php_tide_ws_close_args(code, reason, 2, arg, &n))
        RETURN_THROWS();
    php_tide_server_t *srv = php_tide_server_running(THIS_SERVER(), "disconnect");
    if (!srv)
        RETURN_THROWS();
    tide_conninfo_t info;
    if (!established(srv, fd, &info))
        RETURN_FALSE;
    if (tide_server_control(&srv->core, (uint64_t)fd, TIDE_WS_CTL_CLOSE, arg, n) < 0)
        RETURN_FALSE;
    /* Nothing may follow the close frame: push() and isEstablished() say so from now on. */
    tide_conninfo_t *c = tide_conntab_find(&srv->core.tab, (uint64_t)fd);
    if (c)
        tide_conninfo_set(c, TIDE_CONN_ENDING);
    RETURN_TRUE;
}

ZEND_METHOD(Tide_WebSocket_Server, isEstablished)
{
    zend_long fd;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(fd)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = php_tide_server_running(THIS_SERVER(), "isEstablished");
    if (!srv)
        RETURN_THROWS();
    tide_conninfo_t info;
    RETURN_BOOL(established(srv, fd, &info));
}

ZEND_METHOD(Tide_WebSocket_Server, pack)
{
    zend_long opcode = TIDE_WS_TEXT, flags = TIDE_WS_FLAG_FIN;
    zend_object *fobj = NULL;
    zend_string *str = NULL;
    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_OBJ_OF_CLASS_OR_STR(fobj, frame_ce, str)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(opcode)
        Z_PARAM_LONG(flags)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_ws_frame_args_t a;
    if (!php_tide_ws_frame_args(fobj, str, opcode, flags, 1, &a))
        RETURN_THROWS();
    zend_string *frame = php_tide_ws_build_frame(&a, 15, 1);
    zend_string_release(a.data);
    RETURN_NEW_STR(frame);
}

ZEND_METHOD(Tide_WebSocket_Server, unpack)
{
    zend_string *data;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();
    tide_ws_frame_t f;
    long hl = tide_ws_parse_frame(ZSTR_VAL(data), ZSTR_LEN(data), &f);
    if (hl <= 0 || f.len > ZSTR_LEN(data) - (size_t)hl || !opcode_ok(f.opcode))
        RETURN_FALSE; /* not one whole frame */
    size_t n = (size_t)f.len;
    char *payload = estrndup(ZSTR_VAL(data) + hl, n);
    if (f.masked)
        tide_ws_mask(payload, n, f.key, 0);
    uint8_t flags = (f.fin ? TIDE_WS_FLAG_FIN : 0) |
                    (f.rsv & 0x40 ? TIDE_WS_FLAG_RSV1 | TIDE_WS_FLAG_COMPRESS : 0) |
                    (f.rsv & 0x20 ? TIDE_WS_FLAG_RSV2 : 0) | (f.rsv & 0x10 ? TIDE_WS_FLAG_RSV3 : 0) |
                    (f.masked ? TIDE_WS_FLAG_MASK : 0);
    frame_init(return_value, 0, f.opcode, flags, payload, n);
    efree(payload);
}

ZEND_METHOD(Tide_WebSocket_Frame, __toString)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_ws_frame_args_t a;
    if (!php_tide_ws_frame_args(Z_OBJ_P(ZEND_THIS), NULL, 0, 0, 0, &a))
        RETURN_THROWS();
    zend_string *frame = php_tide_ws_build_frame(&a, 15, 1);
    zend_string_release(a.data);
    RETURN_NEW_STR(frame);
}

/* ---- $connections ---- */

typedef struct conn_iter {
    zval ids; /* array of the connection ids, taken when the property was read */
    HashPosition pos;
    zend_object std;
} conn_iter_t;

static conn_iter_t *iter_from(zend_object *o)
{
    return (conn_iter_t *)((char *)o - XtOffsetOf(conn_iter_t, std));
}

static zend_object *iter_create(zend_class_entry *ce)
{
    conn_iter_t *it = zend_object_alloc(sizeof(conn_iter_t), ce);
    zend_object_std_init(&it->std, ce);
    object_properties_init(&it->std, ce);
    it->std.handlers = &iter_handlers;
    array_init(&it->ids);
    return &it->std;
}

static void iter_free(zend_object *o)
{
    conn_iter_t *it = iter_from(o);
    zval_ptr_dtor(&it->ids);
    zend_object_std_dtor(o);
}

static bool add_id(const tide_conninfo_t *c, void *arg)
{
    if (!(tide_conninfo_flags(c) & TIDE_CONN_CLOSING))
        add_next_index_long(arg, (zend_long)c->session);
    return true;
}

static zend_string *connections_name;

zval *php_tide_server_read_property(zend_object *obj, zend_string *name, int type,
                                    void **cache_slot, zval *rv)
{
    if (!zend_string_equals(name, connections_name))
        return zend_std_read_property(obj, name, type, cache_slot, rv);
    object_init_ex(rv, iter_ce);
    conn_iter_t *it = iter_from(Z_OBJ_P(rv));
    php_tide_server_t *srv = php_tide_server_from(obj);
    if (php_tide_running == srv)
        tide_conntab_each(&srv->core.tab, 0, add_id, &it->ids);
    zend_hash_internal_pointer_reset_ex(Z_ARRVAL(it->ids), &it->pos);
    return rv;
}

zval *php_tide_server_property_ptr(zend_object *obj, zend_string *name, int type,
                                   void **cache_slot)
{
    if (zend_string_equals(name, connections_name))
        return NULL; /* read through read_property; never written */
    return zend_std_get_property_ptr_ptr(obj, name, type, cache_slot);
}

int php_tide_server_has_property(zend_object *obj, zend_string *name, int has_set_exists,
                                 void **cache_slot)
{
    if (zend_string_equals(name, connections_name))
        return 1;
    return zend_std_has_property(obj, name, has_set_exists, cache_slot);
}

#define THIS_ITER() iter_from(Z_OBJ_P(ZEND_THIS))

ZEND_METHOD(Tide_Server_ConnectionIterator, __construct)
{
    TIDE_UNUSED(return_value);
    ZEND_PARSE_PARAMETERS_NONE();
}

ZEND_METHOD(Tide_Server_ConnectionIterator, current)
{
    ZEND_PARSE_PARAMETERS_NONE();
    conn_iter_t *it = THIS_ITER();
    zval *v = zend_hash_get_current_data_ex(Z_ARRVAL(it->ids), &it->pos);
    if (!v)
        RETURN_NULL();
    RETURN_COPY(v);
}

ZEND_METHOD(Tide_Server_ConnectionIterator, key)
{
    ZEND_PARSE_PARAMETERS_NONE();
    conn_iter_t *it = THIS_ITER();
    zend_hash_get_current_key_zval_ex(Z_ARRVAL(it->ids), return_value, &it->pos);
}

ZEND_METHOD(Tide_Server_ConnectionIterator, next)
{
    TIDE_UNUSED(return_value);
    ZEND_PARSE_PARAMETERS_NONE();
    conn_iter_t *it = THIS_ITER();
    zend_hash_move_forward_ex(Z_ARRVAL(it->ids), &it->pos);
}

ZEND_METHOD(Tide_Server_ConnectionIterator, rewind)
{
    TIDE_UNUSED(return_value);
    ZEND_PARSE_PARAMETERS_NONE();
    conn_iter_t *it = THIS_ITER();
    zend_hash_internal_pointer_reset_ex(Z_ARRVAL(it->ids), &it->pos);
}

ZEND_METHOD(Tide_Server_ConnectionIterator, valid)
{
    ZEND_PARSE_PARAMETERS_NONE();
    conn_iter_t *it = THIS_ITER();
    RETURN_BOOL(zend_hash_get_current_data_ex(Z_ARRVAL(it->ids), &it->pos) != NULL);
}

ZEND_METHOD(Tide_Server_ConnectionIterator, count)
{
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_LONG(zend_hash_num_elements(Z_ARRVAL(THIS_ITER()->ids)));
}

/* An offset of $connections: a connection id (an int, or a string of one). */
static bool offset_fd(zval *offset, zend_long *fd)
{
    if (Z_TYPE_P(offset) == IS_LONG) {
        *fd = Z_LVAL_P(offset);
        return true;
    }
    if (Z_TYPE_P(offset) == IS_STRING &&
        is_numeric_string(Z_STRVAL_P(offset), Z_STRLEN_P(offset), fd, NULL, false) == IS_LONG)
        return true;
    zend_argument_type_error(1, "must be a connection id (int), %s given", zend_zval_type_name(offset));
    return false;
}

ZEND_METHOD(Tide_Server_ConnectionIterator, offsetExists)
{
    zval *offset;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(offset)
    ZEND_PARSE_PARAMETERS_END();
    zend_long fd;
    if (!offset_fd(offset, &fd))
        RETURN_THROWS();
    zval info;
    bool open = php_tide_server_client_info(fd, &info);
    if (open)
        zval_ptr_dtor(&info);
    RETURN_BOOL(open);
}

ZEND_METHOD(Tide_Server_ConnectionIterator, offsetGet)
{
    zval *offset;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(offset)
    ZEND_PARSE_PARAMETERS_END();
    zend_long fd;
    if (!offset_fd(offset, &fd))
        RETURN_THROWS();
    if (!php_tide_server_client_info(fd, return_value))
        RETURN_FALSE;
}

ZEND_METHOD(Tide_Server_ConnectionIterator, offsetSet)
{
    zval *offset, *value;
    TIDE_UNUSED(return_value);
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_ZVAL(offset)
        Z_PARAM_ZVAL(value)
    ZEND_PARSE_PARAMETERS_END();
    zend_throw_error(NULL, "Tide\\Server::$connections is read-only: a connection is opened by "
                           "its client");
}

ZEND_METHOD(Tide_Server_ConnectionIterator, offsetUnset)
{
    zval *offset;
    TIDE_UNUSED(return_value);
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(offset)
    ZEND_PARSE_PARAMETERS_END();
    zend_throw_error(NULL, "Tide\\Server::$connections is read-only: use Tide\\Server::close() "
                           "to close a connection");
}

void php_tide_ws_minit(int module_number)
{
    register_tide_websocket_symbols(module_number);
    php_tide_ws_server_ce = register_class_Tide_WebSocket_Server(php_tide_http_server_ce);
    frame_ce = register_class_Tide_WebSocket_Frame();
    close_frame_ce = register_class_Tide_WebSocket_CloseFrame(frame_ce);
    iter_ce = register_class_Tide_Server_ConnectionIterator(zend_ce_iterator, zend_ce_countable,
                                                            zend_ce_arrayaccess);
    iter_ce->create_object = iter_create;
    memcpy(&iter_handlers, zend_get_std_object_handlers(), sizeof(iter_handlers));
    iter_handlers.offset = XtOffsetOf(conn_iter_t, std);
    iter_handlers.free_obj = iter_free;
    iter_handlers.clone_obj = NULL;
    connections_name = zend_string_init_interned("connections", sizeof("connections") - 1, 1);
}

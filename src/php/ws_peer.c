/* SPDX-License-Identifier: MIT */
/*
 * One end of a WebSocket connection driven from a coroutine (php_tide_ws_peer.h): the
 * message reader and the frame writer that Tide\Coroutine\Http\Client and the upgraded
 * responses of Tide\Coroutine\Http\Server share, over the codec of src/proto/websocket.c.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>

#include "php.h"
#include "zend_smart_str.h"
#include "php_tide.h"
#include "php_tide_http.h"
#include "php_tide_ws_peer.h"

/* Tide\WebSocket\Frame and CloseFrame (websocket.c registers them first). */
static zend_class_entry *frame_ce, *close_frame_ce;

void php_tide_ws_peer_minit(void)
{
    frame_ce = zend_hash_str_find_ptr(CG(class_table), "tide\\websocket\\frame",
                                      sizeof("tide\\websocket\\frame") - 1);
    close_frame_ce = zend_hash_str_find_ptr(CG(class_table), "tide\\websocket\\closeframe",
                                            sizeof("tide\\websocket\\closeframe") - 1);
}

int php_tide_ws_peer_send(php_tide_ws_peer_t *p, uint8_t first, const char *data, size_t n)
{
    zend_string *f = php_tide_ws_frame_bytes(first, data, n, p->mask);
    int rc = p->send(p->ctx, ZSTR_VAL(f), ZSTR_LEN(f));
    zend_string_release(f);
    if (rc == 0 && (first & 0x0f) == TIDE_WS_CLOSE)
        p->closing = true;
    return rc;
}

static bool opcode_ok(unsigned op)
{
    return op == TIDE_WS_CONTINUATION || op == TIDE_WS_TEXT || op == TIDE_WS_BINARY ||
           op == TIDE_WS_CLOSE || op == TIDE_WS_PING || op == TIDE_WS_PONG;
}

/* A Frame (or CloseFrame) object for a message. */
static void frame_new(const php_tide_ws_peer_t *peer, zval *out, uint8_t opcode, const char *p,
                      size_t n)
{
    object_init_ex(out, opcode == TIDE_WS_CLOSE ? close_frame_ce : frame_ce);
    zend_object *o = Z_OBJ_P(out);
    if (peer->fd)
        zend_update_property_long(frame_ce, o, "fd", 2, peer->fd);
    zend_update_property_long(frame_ce, o, "opcode", 6, opcode);
    zend_update_property_long(frame_ce, o, "flags", 5, TIDE_WS_FLAG_FIN);
    zend_update_property_bool(frame_ce, o, "finish", 6, true);
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

void php_tide_ws_peer_reset(php_tide_ws_peer_t *p)
{
    smart_str_free(&p->msg);
    p->msg_op = 0;
    p->closing = p->ended = false;
}

int php_tide_ws_peer_read(php_tide_ws_peer_t *peer, int64_t timeout_ns, zval *out)
{
    smart_str *msg = &peer->msg;
    for (;;) {
        tide_ws_frame_t f;
        char *at = *peer->buf + *peer->off;
        size_t have = *peer->len - *peer->off;
        long h = tide_ws_parse_frame(at, have, &f);
        if (h > 0 && f.len > peer->max_len)
            return TIDE_ETOOBIG;
        if (h < 0 || (h > 0 && (f.rsv || !opcode_ok(f.opcode) || (peer->must_mask && !f.masked) ||
                                ((f.opcode & 8) && (f.len > 125 || !f.fin)) ||
                                (f.opcode == TIDE_WS_CLOSE && f.len == 1))))
            return TIDE_EPROTO;
        if (h == 0 || have < (size_t)h + f.len) {
            ssize_t n = peer->fill(peer->ctx, timeout_ns);
            if (n <= 0)
                return n == 0 ? -ECONNRESET : (int)n;
            continue;
        }
        char *p = at + h;
        size_t n = (size_t)f.len;
        if (f.masked)
            tide_ws_mask(p, n, f.key, 0);
        *peer->off += (size_t)h + n;
        if (f.opcode == TIDE_WS_PING) {
            int rc = php_tide_ws_peer_send(peer, 0x80 | TIDE_WS_PONG, p, n);
            if (rc < 0)
                return rc;
            continue;
        }
        if (f.opcode == TIDE_WS_CLOSE && n >= 2 &&
            !tide_ws_close_code_valid((unsigned)((uint8_t)p[0] << 8 | (uint8_t)p[1])))
            return TIDE_EPROTO;
        if (f.opcode == TIDE_WS_CLOSE && n > 2 && tide_utf8_run(TIDE_UTF8_OK, p + 2, n - 2) != TIDE_UTF8_OK)
            return PHP_TIDE_WS_EBADDATA;
        if (f.opcode & 8) { /* pong, close */
            frame_new(peer, out, f.opcode, p, n);
            if (f.opcode == TIDE_WS_CLOSE) {
                /* Answered with its code (RFC 6455, 5.5.1), unless ours went out first. */
                if (!peer->closing)
                    php_tide_ws_peer_send(peer, 0x80 | TIDE_WS_CLOSE, p, n >= 2 ? 2 : 0);
                peer->ended = true;
                peer->done(peer->ctx);
            }
            return 0;
        }
        if ((f.opcode == TIDE_WS_CONTINUATION) != (peer->msg_op != 0))
            return TIDE_EPROTO;
        if (!peer->msg_op)
            peer->msg_op = f.opcode;
        if (n > peer->max_len - (msg->s ? ZSTR_LEN(msg->s) : 0))
            return TIDE_ETOOBIG;
        smart_str_appendl(msg, p, n);
        if (f.fin) {
            if (peer->msg_op == TIDE_WS_TEXT && msg->s &&
                tide_utf8_run(TIDE_UTF8_OK, ZSTR_VAL(msg->s), ZSTR_LEN(msg->s)) != TIDE_UTF8_OK)
                return PHP_TIDE_WS_EBADDATA;
            frame_new(peer, out, peer->msg_op, msg->s ? ZSTR_VAL(msg->s) : "",
                      msg->s ? ZSTR_LEN(msg->s) : 0);
            smart_str_free(msg);
            peer->msg_op = 0;
            return 0;
        }
    }
}

/* SPDX-License-Identifier: MIT */
/*
 * What the files of the socket clients (Tide\Coroutine\Client, Tide\Client) share:
 *
 *   client.c           the classes: objects, methods, errCode/errMsg, MINIT
 *   client_settings.c  set(): the table of settings, their checks, the framing and
 *                      timeouts they give, and the "ssl" stream context they make
 *   client_io.c        the connection: deadlines, waiting on the socket, reading and
 *                      writing, connect, TLS, close
 */
#ifndef PHP_TIDE_CLIENT_H
#define PHP_TIDE_CLIENT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "php.h"
#include "php_tide.h"
#include "tide/frame.h"

/* Swoole's error codes where errno has none (include/swoole_error.h in Swoole). */
enum {
    E_DNS_FAILED = 711,        /* SW_ERROR_DNSLOOKUP_RESOLVE_FAILED */
    E_SSL_NO_PEER_CERT = 1013, /* SW_ERROR_SSL_EMPTY_PEER_CERTIFICATE */
    E_SSL_HANDSHAKE = 1018,    /* SW_ERROR_SSL_HANDSHAKE_FAILED */
    E_TOO_BIG = 1201,          /* SW_ERROR_PACKAGE_LENGTH_TOO_LARGE */
    E_MALFORMED = 1204,        /* SW_ERROR_PACKAGE_MALFORMED_DATA */
    E_NO_CONNECTION = 5001,    /* SW_ERROR_CLIENT_NO_CONNECTION */
};

/*
 * One client object. It owns the stream (closed by close() or when the object is freed),
 * the framer's buffer and its copy of the settings. `busy` counts the methods running on
 * it (a coroutine may wait in one while another calls close(): the close then only shuts
 * the socket down, which wakes the waiter, and the last method out closes the stream).
 */
typedef struct php_tide_client {
    php_stream *stream; /* NULL: no socket */
    int fd;
    int type;       /* TIDE_SOCK_* */
    bool ssl;       /* Tide\SSL was asked for: TLS at connect */
    bool tls;       /* TLS is on */
    bool sync;      /* Tide\Client */
    bool connected; /* connect() succeeded (a datagram socket made by sendto() is not) */
    bool close_pending;
    int busy;
    double connect_timeout, read_timeout, write_timeout; /* seconds; < 0: no limit */
    bool nodelay;
    tide_frame_opts_t fo;
    tide_framer_t framer;
    char *rbuf;        /* READ_CHUNK bytes for framed reads, made on first use */
    zend_string *pkg;  /* the package the framer just handed out */
    zval settings;     /* the merged settings array (UNDEF before set()) */
    zend_object std;
} php_tide_client_t;

/* ---- client_settings.c ---- */

/* Every key known and of its type and bounds; false after a ValueError naming it. */
bool php_tide_client_check_settings(HashTable *ht);
/* Applies the (checked) settings of ht to the client; false after a ValueError. */
bool php_tide_client_apply_settings(php_tide_client_t *c, HashTable *ht);
/* A new stream context with the "ssl" and "socket" options of the client's settings. */
php_stream_context *php_tide_client_context(php_tide_client_t *c);

/* ---- client_io.c ---- */

/* The deadline (tide_time_ns()) seconds from now; -1 for a negative (no limit). */
int64_t php_tide_client_deadline(double seconds);
/* Waits until fd is readable (writable: out) or the deadline; 0 or a negative code. */
int php_tide_client_wait_io(int fd, bool out, int64_t deadline, const char *what);
/* Reads what is there: > 0 bytes, 0 at the peer's close, or a negative errno. */
ssize_t php_tide_client_read(php_tide_client_t *c, char *buf, size_t len, int flags,
                             int64_t deadline);
/* Writes all of buf; 0, or a negative errno with *sent what went. */
int php_tide_client_write_all(php_tide_client_t *c, const char *buf, size_t len,
                              int64_t deadline, size_t *sent);
/* Closes the stream (if any) and resets the connection state and the framer. */
void php_tide_client_drop_stream(php_tide_client_t *c);
/* close(): false when there is no socket. */
bool php_tide_client_close(php_tide_client_t *c);
/* Around a method's I/O: the last one out carries out a close() made meanwhile. */
void php_tide_client_enter(php_tide_client_t *c);
void php_tide_client_leave(php_tide_client_t *c);
/* The fd/sock and connected properties from the connection's state. */
void php_tide_client_set_connected_props(php_tide_client_t *c);
/* Turns TLS on over the connected tcp:// stream; 0 or E_SSL_HANDSHAKE. */
int php_tide_client_start_tls(php_tide_client_t *c, int64_t deadline);
/* Connects; 0 or an error code (errno, or one of Swoole's). */
int php_tide_client_connect(php_tide_client_t *c, const char *host, size_t host_len,
                            zend_long port, double timeout);
/* The unconnected datagram socket of sendto(); 0 or an errno. */
int php_tide_client_make_dgram(php_tide_client_t *c);

#endif

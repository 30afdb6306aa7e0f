/* SPDX-License-Identifier: MIT */
/*
 * The connection engine of the process that owns connections (the master, or a MODE_BASE
 * worker): listening ports of every socket type, the connections accepted on them, their
 * protocol (tide/proto.h), output buffers, pause/resume, heartbeat, and the bound on
 * requests in flight per connection. Plain C on a reactor; what happens to a connection's
 * messages is up to the owner's handlers (MODE_BASE: call PHP; MODE_PROCESS: the master
 * hands them to a worker).
 *
 * A connection's private state is here; its public facts are in its slot of the shared
 * connection table (tide/conntab.h), which only the engine writes.
 *
 * Requests in flight: a message the owner takes counts in the connection's `inflight` until
 * the owner calls tide_engine_done() for it. While a connection has conn_max_inflight of
 * them, it is not read (the kernel's socket buffer, then TCP, push back on the client). A
 * peer that closes its side (EOF) while requests are in flight keeps its connection until
 * they are done and their replies are written (a half-closed client gets its answers).
 */
#ifndef TIDE_ENGINE_H
#define TIDE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "tide/conntab.h"
#include "tide/frame.h"
#include "tide/proto.h"
#include "tide/reactor.h"
#include "tide/sock.h"

typedef struct tide_engine tide_engine_t;

/* A listening (or datagram) port. Made and owned by the caller; must outlive the engine. */
typedef struct tide_port {
    int index;
    int type;           /* TIDE_SOCK_* */
    char host[TIDE_ADDR_MAX];
    int port;
    int fd;             /* the listening (or datagram) socket; -1 when not open here */
    int backlog;
    /* The protocol its connections speak: NULL is the stream framing of `frame`. */
    const tide_proto_t *proto;
    const void *proto_opts;
    /* The protocol a connection may switch to (tide_engine_control, TIDE_PROTO_CTL_UPGRADE:
     * WebSocket after an HTTP/1.1 upgrade), and its options; NULL: none. */
    const tide_proto_t *upgrade;
    const void *upgrade_opts;
    tide_frame_opts_t frame;
    size_t buffer_output_size; /* bound of a connection's output queue; 0: 2 MiB */
    int socket_buffer_size;    /* SO_SNDBUF and SO_RCVBUF of its connections; 0: the kernel's */
    bool tcp_nodelay;
    /* Where its protocol may spool the bodies of large messages as they arrive (unnamed
     * files); NULL: bodies are held in memory. */
    const char *spool_dir;
    void *udata;        /* the owner's (the Zend layer's Port object) */
    /* The engine's: */
    tide_op_t *watch;   /* accept, or readiness of a datagram socket */
    bool stopping;      /* a graceful accept stop is under way */
    tide_engine_t *engine;
    struct tide_dgram *held; /* a datagram the owner did not take yet */
} tide_port_t;

/* What a receive or packet handler returns. */
enum {
    TIDE_ENGINE_TAKEN = 0, /* the owner took the message */
    TIDE_ENGINE_HOLD = 2,  /* not now: keep it; stop reading until told to proceed */
};

typedef struct tide_engine_handlers {
    void (*connect)(void *udata, tide_conninfo_t *c);
    /* One message. TAKEN: it counts as in flight until tide_engine_done(). HOLD: the engine
     * keeps it and stops reading c; tide_engine_proceed() hands it over again. */
    int (*receive)(void *udata, tide_conninfo_t *c, const char *data, size_t len);
    /* The same for a message whose body was spooled: data[0..len) is its head, and the
     * body is the body_len bytes of the file fd (from offset 0). TAKEN: fd is the
     * handler's to close. NULL: the engine never spools. */
    int (*receive_spooled)(void *udata, tide_conninfo_t *c, const char *data, size_t len,
                           int fd, uint64_t body_len);
    /* The connection is gone (peer, error, close, heartbeat); c is released after. */
    void (*close)(void *udata, tide_conninfo_t *c);
    /* A datagram; addr/addrlen is the sender. HOLD: kept, and the port is not read until
     * tide_engine_port_proceed(). */
    int (*packet)(void *udata, tide_port_t *p, const struct sockaddr *addr, socklen_t addrlen,
                  const char *data, size_t len);
} tide_engine_handlers_t;

typedef struct tide_engine_opts {
    uint32_t max_connection;
    uint64_t heartbeat_check_ms; /* 0: no heartbeat */
    uint64_t heartbeat_idle_ms;
    uint32_t conn_max_inflight;  /* requests in flight per connection; 0: no bound */
} tide_engine_opts_t;

tide_engine_t *tide_engine_create(tide_reactor_t *r, tide_conntab_t *tab, unsigned part,
                                  const tide_engine_opts_t *opts,
                                  const tide_engine_handlers_t *h, void *udata);
/* Stops every port, closes every connection (no close handler; output gathered this turn
 * is dropped) and frees it. Writes and closes already on the reactor still finish: run the
 * loop afterwards (tide_reactor_destroy without that leaks their buffers). */
void tide_engine_destroy(tide_engine_t *e);
/* Starts accepting (streams) or reading (datagrams) on p; p must outlive the engine. */
int tide_engine_add_port(tide_engine_t *e, tide_port_t *p);
/* Stops accepting and reading datagrams on every port (a graceful stop): connections in
 * the backlog, and any the reactor had accepted already, are still served (the connect
 * handler may run for those after this returns, until the accept watch has ended). */
void tide_engine_stop_ports(tide_engine_t *e);
/* Stops reading from every connection, as pause() would, and from any accepted after. */
void tide_engine_pause_all(tide_engine_t *e);
/* Closes every connection (the close handler runs for each; writes are flushed first). */
void tide_engine_close_all(tide_engine_t *e);
size_t tide_engine_connections(const tide_engine_t *e);

/* Queues data (copied) for the connection. 0, TIDE_ECLOSED for an unknown or closing
 * session, TIDE_ELIMIT when its output buffer would pass buffer_output_size. */
int tide_engine_send(tide_engine_t *e, uint64_t session, const void *data, size_t len);
/* Queues length bytes of the file fd from offset (the engine owns fd from now on, and
 * closes it): read a window at a time as the socket takes them, without blocking the loop
 * (tide_reactor_read_file), in order with send(). */
int tide_engine_sendfile(tide_engine_t *e, uint64_t session, int fd, uint64_t offset,
                         uint64_t length);
/* Closes after what is queued is written (reset: at once, with RST). 0 or TIDE_ECLOSED. */
int tide_engine_close(tide_engine_t *e, uint64_t session, bool reset);
int tide_engine_pause(tide_engine_t *e, uint64_t session);
int tide_engine_resume(tide_engine_t *e, uint64_t session);
/* An owner's request to the connection's protocol (tide_proto_t.control). With
 * TIDE_PROTO_CTL_UPGRADE the connection first switches to its port's upgrade protocol: the
 * bytes the old one held after its last message go to the new one, and the connection's
 * slot says TIDE_CONN_UPGRADED. 0, TIDE_ECLOSED for a gone connection, -EINVAL when the
 * protocol takes no such request. */
int tide_engine_control(tide_engine_t *e, uint64_t session, int op, const void *arg, size_t len);
/* n requests of the connection are done (a gone connection is ignored). */
void tide_engine_done(tide_engine_t *e, uint64_t session, uint32_t n);
/* A connection held by its receive handler may be read again. */
void tide_engine_proceed(tide_engine_t *e, uint64_t session);
/* A port held by its packet handler may be read again. */
void tide_engine_port_proceed(tide_engine_t *e, tide_port_t *p);
/* Closes every connection whose worker == w (MODE_PROCESS: that worker died); a protocol
 * with an answer for a lost message (HTTP: 502) gives it first. */
void tide_engine_close_worker(tide_engine_t *e, int worker);
/* n requests of the connection were lost with their worker (per-message dispatch modes):
 * done, or, for a protocol with an answer for that, answered and closed. */
void tide_engine_lost(tide_engine_t *e, uint64_t session, uint32_t n);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Sockets: the types a server listens on (values as Swoole's SWOOLE_SOCK_*), opening a
 * listener, addresses as text, datagram replies, and descriptor passing between the
 * server's processes (SCM_RIGHTS over a Unix socket).
 */
#ifndef TIDE_SOCK_H
#define TIDE_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

enum {
    TIDE_SOCK_TCP = 1,
    TIDE_SOCK_UDP = 2,
    TIDE_SOCK_TCP6 = 3,
    TIDE_SOCK_UDP6 = 4,
    TIDE_SOCK_UNIX_STREAM = 5,
    TIDE_SOCK_UNIX_DGRAM = 6,
};
#define TIDE_SOCK_TYPE_MASK 0xff

/* Room for a Unix socket path, or an IPv6 address as text. */
#define TIDE_ADDR_MAX 108

static inline bool tide_sock_is_dgram(int type)
{
    return type == TIDE_SOCK_UDP || type == TIDE_SOCK_UDP6 || type == TIDE_SOCK_UNIX_DGRAM;
}
static inline bool tide_sock_is_unix(int type)
{
    return type == TIDE_SOCK_UNIX_STREAM || type == TIDE_SOCK_UNIX_DGRAM;
}
static inline bool tide_sock_is_tcp(int type)
{
    return type == TIDE_SOCK_TCP || type == TIDE_SOCK_TCP6;
}
static inline bool tide_sock_valid(int type)
{
    return type >= TIDE_SOCK_TCP && type <= TIDE_SOCK_UNIX_DGRAM;
}

/*
 * Opens, binds and (for streams) listens: host is an address (or a path for Unix
 * sockets), port 0 picks a free one (read it back with tide_sock_port). reuseport sets
 * SO_REUSEPORT first; listen is false for a socket that only reserves the address (MODE_BASE).
 * Returns the fd (non-blocking, close-on-exec) or -errno, with `why` saying what failed.
 */
int tide_sock_listen(int type, const char *host, int port, int backlog, bool reuseport,
                     bool listen, char *why, size_t why_len);
/* The port a socket is bound to (0 for a Unix socket), or -errno. */
int tide_sock_port(int fd);

/* A peer's address as text (a Unix socket's path) and its port (0 for Unix). */
void tide_sockaddr_text(const struct sockaddr *addr, socklen_t len, char *out, size_t out_len,
                        int *port);

/* Sends one datagram to host:port from the datagram socket fd of the given type. 0 or
 * -errno (EAGAIN: the socket buffer is full; EINVAL: host is not an address of the type). */
int tide_sock_sendto(int fd, int type, const char *host, int port, const void *data,
                     size_t len);

/*
 * Descriptor passing: one message of len bytes carrying nfds descriptors (0..4) over the
 * Unix socket sock. Small and blocking-safe. 0 or -errno.
 */
int tide_send_fds(int sock, const int *fds, int nfds, const void *data, size_t len);
/*
 * Receives one such message without waiting: its length, or -EAGAIN when none is there,
 * or -errno. The descriptors (close-on-exec) go to fds[0..*nfds); descriptors beyond max
 * are closed.
 */
ssize_t tide_recv_fds(int sock, int *fds, int max, int *nfds, void *data, size_t len);

#endif

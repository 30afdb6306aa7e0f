/* SPDX-License-Identifier: MIT */
/*
 * Listening sockets of every type the server speaks, datagram replies, and descriptor
 * passing between the server's processes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "tide/common.h"
#include "tide/sock.h"

typedef union any_addr {
    struct sockaddr sa;
    struct sockaddr_in in4;
    struct sockaddr_in6 in6;
    struct sockaddr_un un;
    struct sockaddr_storage ss;
} any_addr_t;

static int family_of(int type)
{
    switch (type) {
    case TIDE_SOCK_TCP6:
    case TIDE_SOCK_UDP6:
        return AF_INET6;
    case TIDE_SOCK_UNIX_STREAM:
    case TIDE_SOCK_UNIX_DGRAM:
        return AF_UNIX;
    default:
        return AF_INET;
    }
}

/* Fills addr for host/port; its length, or -EINVAL. */
static int make_addr(int type, const char *host, int port, any_addr_t *a)
{
    memset(a, 0, sizeof(*a));
    switch (family_of(type)) {
    case AF_INET:
        a->in4.sin_family = AF_INET;
        a->in4.sin_port = htons((uint16_t)port);
        if (inet_pton(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host,
                      &a->in4.sin_addr) != 1)
            return -EINVAL;
        return sizeof(a->in4);
    case AF_INET6:
        a->in6.sin6_family = AF_INET6;
        a->in6.sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, strcmp(host, "localhost") == 0 ? "::1" : host,
                      &a->in6.sin6_addr) != 1)
            return -EINVAL;
        return sizeof(a->in6);
    default:
        if (strlen(host) >= sizeof(a->un.sun_path) || !*host)
            return -EINVAL;
        a->un.sun_family = AF_UNIX;
        strcpy(a->un.sun_path, host);
        return (int)(offsetof(struct sockaddr_un, sun_path) + strlen(host) + 1);
    }
}

int tide_sock_listen(int type, const char *host, int port, int backlog, bool reuseport,
                     bool listen_now, char *why, size_t why_len)
{
    any_addr_t a;
    int alen = make_addr(type, host, port, &a);
    if (alen < 0) {
        snprintf(why, why_len, "'%s' is not a valid %s address", host,
                 family_of(type) == AF_INET6 ? "IPv6" : family_of(type) == AF_UNIX ? "Unix socket path" : "IPv4");
        return alen;
    }
    int kind = tide_sock_is_dgram(type) ? SOCK_DGRAM : SOCK_STREAM;
    int fd = socket(family_of(type), kind | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        goto fail_errno;
    int one = 1;
    if (family_of(type) != AF_UNIX) {
        /* Only streams need it (TIME_WAIT); on a datagram socket it would let a second
         * socket bind an address another one (with SO_REUSEADDR) already has. */
        if (kind == SOCK_STREAM)
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (reuseport)
            setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
        if (family_of(type) == AF_INET6)
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    } else {
        /* A stale socket file from an earlier run would make bind fail: a socket file
         * nobody listens on any more is removed (anything else is left alone). */
        struct stat st;
        if (stat(host, &st) == 0 && S_ISSOCK(st.st_mode)) {
            int probe = socket(AF_UNIX, kind | SOCK_CLOEXEC, 0);
            if (probe >= 0 && connect(probe, &a.sa, (socklen_t)alen) < 0 && errno == ECONNREFUSED)
                unlink(host);
            if (probe >= 0)
                close(probe);
        }
    }
    if (bind(fd, &a.sa, (socklen_t)alen) < 0)
        goto fail_errno_fd;
    if (kind == SOCK_STREAM && listen_now && listen(fd, backlog > 0 ? backlog : 512) < 0)
        goto fail_errno_fd;
    return fd;

fail_errno_fd: {
    int rc = -errno;
    close(fd);
    snprintf(why, why_len, "cannot listen on %s:%d: %s", host, port, strerror(-rc));
    return rc;
}
fail_errno: {
    int rc = -errno;
    snprintf(why, why_len, "socket: %s", strerror(-rc));
    return rc;
}
}

int tide_sock_port(int fd)
{
    any_addr_t a;
    socklen_t len = sizeof(a);
    if (getsockname(fd, &a.sa, &len) < 0)
        return -errno;
    if (a.sa.sa_family == AF_INET)
        return ntohs(a.in4.sin_port);
    if (a.sa.sa_family == AF_INET6)
        return ntohs(a.in6.sin6_port);
    return 0;
}

void tide_sockaddr_text(const struct sockaddr *addr, socklen_t len, char *out, size_t out_len,
                        int *port)
{
    *port = 0;
    if (out_len)
        out[0] = 0;
    if (addr->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
        inet_ntop(AF_INET, &in->sin_addr, out, (socklen_t)out_len);
        *port = ntohs(in->sin_port);
    } else if (addr->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)addr;
        inet_ntop(AF_INET6, &in6->sin6_addr, out, (socklen_t)out_len);
        *port = ntohs(in6->sin6_port);
    } else if (addr->sa_family == AF_UNIX && out_len) {
        const struct sockaddr_un *un = (const struct sockaddr_un *)addr;
        size_t n = len > offsetof(struct sockaddr_un, sun_path)
                       ? len - offsetof(struct sockaddr_un, sun_path)
                       : 0;
        if (n > sizeof(un->sun_path))
            n = sizeof(un->sun_path);
        n = strnlen(un->sun_path, n);
        if (n >= out_len)
            n = out_len - 1;
        memcpy(out, un->sun_path, n);
        out[n] = 0;
    }
}

int tide_sock_sendto(int fd, int type, const char *host, int port, const void *data,
                     size_t len)
{
    any_addr_t a;
    int alen = make_addr(type, host, port, &a);
    if (alen < 0)
        return alen;
    for (;;) {
        ssize_t n = sendto(fd, data, len, MSG_DONTWAIT | MSG_NOSIGNAL, &a.sa, (socklen_t)alen);
        if (n >= 0)
            return 0;
        if (errno != EINTR)
            return -errno;
    }
}

#define MAX_FDS 4

int tide_send_fds(int sock, const int *fds, int nfds, const void *data, size_t len)
{
    char cbuf[CMSG_SPACE(MAX_FDS * sizeof(int))];
    struct iovec iov = {(void *)data, len};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    if (nfds < 0 || nfds > MAX_FDS)
        return -EINVAL;
    memset(cbuf, 0, sizeof(cbuf));
    if (nfds > 0) {
        msg.msg_control = cbuf;
        msg.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
        struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
        memcpy(CMSG_DATA(cm), fds, (size_t)nfds * sizeof(int));
    }
    for (;;) {
        if (sendmsg(sock, &msg, MSG_NOSIGNAL | MSG_DONTWAIT) >= 0)
            return 0;
        if (errno != EINTR)
            return -errno;
    }
}

ssize_t tide_recv_fds(int sock, int *fds, int max, int *nfds, void *data, size_t len)
{
    char cbuf[CMSG_SPACE(MAX_FDS * sizeof(int))];
    struct iovec iov = {data, len};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
                         .msg_controllen = sizeof(cbuf)};
    *nfds = 0;
    ssize_t n;
    do
        n = recvmsg(sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -errno;
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
        if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
            continue;
        size_t count = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < count; i++) {
            int fd;
            memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
            if (*nfds < max)
                fds[(*nfds)++] = fd;
            else
                close(fd);
        }
    }
    return n;
}

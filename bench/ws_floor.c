/*
 * The C floor of bench/ws.sh: a minimal WebSocket echo server, to show what this machine
 * can do with no PHP, no IPC and no generality. WORKERS processes (2) each listen on PORT
 * with SO_REUSEPORT and run one level-triggered epoll loop. Each connection: read the
 * Upgrade request, answer 101 with the accept key (OpenSSL's SHA-1), then for every
 * complete frame from the client, unmask it and write it back unmasked with the same
 * opcode (no UTF-8 check, no fragment reassembly, no control-frame handling beyond a close,
 * which closes). Prints "READY <port>" once listening.
 *
 *   ws_floor PORT [WORKERS]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

struct conn {
    int fd;
    int upgraded, armed;
    unsigned char *in, *out;
    size_t in_len, in_cap, out_len, out_off, out_cap;
};

static void reserve(unsigned char **b, size_t *cap, size_t need)
{
    if (need <= *cap)
        return;
    while (*cap < need)
        *cap = *cap ? *cap * 2 : 4096;
    if (!(*b = realloc(*b, *cap)))
        abort();
}

static void drop(int ep, struct conn *c)
{
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c->in);
    free(c->out);
    free(c);
}

/* Writes what c->out holds, arming EPOLLOUT while some is left; -1 on a dead peer. */
static int flush(int ep, struct conn *c)
{
    while (c->out_off < c->out_len) {
        ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno != EAGAIN)
                return -1;
            if (!c->armed) {
                struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
                epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
                c->armed = 1;
            }
            return 0;
        }
        c->out_off += n;
    }
    c->out_len = c->out_off = 0;
    if (c->armed) {
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
        c->armed = 0;
    }
    return 0;
}

/* Parses what is in c->in; queues answers in c->out. Returns -1 to close. */
static int parse(struct conn *c)
{
    size_t off = 0;
    if (!c->upgraded) {
        char *end, *key, accept[64];
        unsigned char sha[SHA_DIGEST_LENGTH], buf[128];
        reserve(&c->in, &c->in_cap, c->in_len + 1);
        c->in[c->in_len] = 0;
        if (!(end = strstr((char *)c->in, "\r\n\r\n")))
            return c->in_len > 8192 ? -1 : 0;
        if (!(key = strcasestr((char *)c->in, "\r\nSec-WebSocket-Key:")))
            return -1;
        key += 20;
        while (*key == ' ')
            key++;
        size_t kl = strcspn(key, "\r\n ");
        if (kl > 60)
            return -1;
        memcpy(buf, key, kl);
        memcpy(buf + kl, "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", 36);
        SHA1(buf, kl + 36, sha);
        EVP_EncodeBlock((unsigned char *)accept, sha, SHA_DIGEST_LENGTH);
        reserve(&c->out, &c->out_cap, c->out_len + 256);
        c->out_len += sprintf((char *)c->out + c->out_len,
                              "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                              "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n", accept);
        c->upgraded = 1;
        off = end + 4 - (char *)c->in;
    }
    for (;;) {
        unsigned char *p = c->in + off;
        size_t avail = c->in_len - off, hl = 2;
        uint64_t len;
        if (avail < 2)
            break;
        len = p[1] & 0x7f;
        if (len == 126) {
            hl = 4;
            if (avail < hl)
                break;
            len = (uint64_t)p[2] << 8 | p[3];
        } else if (len == 127) {
            hl = 10;
            if (avail < hl)
                break;
            len = 0;
            for (int k = 0; k < 8; k++)
                len = len << 8 | p[2 + k];
        }
        if (!(p[1] & 0x80))
            return -1; /* a client frame must be masked */
        if (avail < hl + 4 + len)
            break;
        if ((p[0] & 0x0f) == 8)
            return -1;
        /* out: the header without the mask bit, then the payload unmasked */
        size_t ohl = len < 126 ? 2 : len < 65536 ? 4 : 10;
        reserve(&c->out, &c->out_cap, c->out_len + ohl + len);
        unsigned char *o = c->out + c->out_len;
        o[0] = p[0];
        if (ohl == 2) {
            o[1] = len;
        } else if (ohl == 4) {
            o[1] = 126;
            o[2] = len >> 8;
            o[3] = len;
        } else {
            o[1] = 127;
            for (int k = 0; k < 8; k++)
                o[2 + k] = len >> (56 - 8 * k);
        }
        const unsigned char *m = p + hl, *src = p + hl + 4;
        unsigned char *dst = o + ohl;
        uint32_t m32;
        uint64_t m64;
        memcpy(&m32, m, 4);
        m64 = (uint64_t)m32 << 32 | m32;
        size_t k = 0;
        for (; k + 8 <= len; k += 8) {
            uint64_t v;
            memcpy(&v, src + k, 8);
            v ^= m64;
            memcpy(dst + k, &v, 8);
        }
        for (; k < len; k++)
            dst[k] = src[k] ^ m[k & 3];
        c->out_len += ohl + len;
        off += hl + 4 + len;
    }
    memmove(c->in, c->in + off, c->in_len - off);
    c->in_len -= off;
    return 0;
}

static void serve(int lfd)
{
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL}, evs[256];
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    for (;;) {
        int n = epoll_wait(ep, evs, 256, -1);
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            if (!c) {
                int fd, one = 1;
                while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    c = calloc(1, sizeof *c);
                    c->fd = fd;
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    ev.events = EPOLLIN;
                    ev.data.ptr = c;
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
                }
                continue;
            }
            if (evs[i].events & EPOLLOUT) {
                if (flush(ep, c) < 0) {
                    drop(ep, c);
                    continue;
                }
            }
            if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                ssize_t r;
                reserve(&c->in, &c->in_cap, c->in_len + 65536);
                r = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len - 1, 0);
                if (r < 0 && errno == EAGAIN)
                    continue;
                if (r <= 0) {
                    drop(ep, c);
                    continue;
                }
                c->in_len += r;
                if (parse(c) < 0 || flush(ep, c) < 0)
                    drop(ep, c);
            }
        }
    }
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 9503, workers = argc > 2 ? atoi(argv[2]) : 2;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    signal(SIGPIPE, SIG_IGN);
    for (int w = 0; w < workers; w++) {
        int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
        setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        setsockopt(lfd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
        if (bind(lfd, (struct sockaddr *)&a, sizeof a) < 0 || listen(lfd, 4096) < 0) {
            perror("ws_floor: bind/listen");
            return 1;
        }
        if (fork() == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            serve(lfd);
            return 0;
        }
        close(lfd);
    }
    printf("READY %d\n", port);
    fflush(stdout);
    while (wait(NULL) > 0)
        ;
    return 0;
}

/*
 * The WebSocket load generator of bench/ws.sh: one thread, one epoll, no pinning.
 *
 *   ws_load [-c CONNS] [-d SECONDS] [-s BYTES] [-t] [-H HOST] PORT
 *       CONNS connections (100) each do the handshake, then a closed loop for SECONDS (5):
 *       send one masked binary frame (-t: text) of BYTES (64) fixed bytes, read the whole
 *       echo, check it byte for byte, repeat. Prints one line:
 *       "messages <n> seconds <s> msgs/s <r> cpu_us <this process's CPU in the loop>".
 *   ws_load -i [-c CONNS] [-H HOST] PORT
 *       Idle: opens CONNS connections (at most 256 handshakes in flight), prints
 *       "READY <n>" once every handshake is done, then holds them until stdin closes or
 *       SIGTERM, and resets them (SO_LINGER 0, so no TIME_WAIT is left behind).
 *
 * The echo must be one unmasked, unfragmented frame with the opcode sent; anything else
 * (a short read at EOF, other bytes) stops the run with an error naming the connection.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { CONNECTING, HANDSHAKE, RUNNING, IDLE };

struct conn {
    int fd;
    int state;
    int want_out;     /* EPOLLOUT armed */
    size_t sent;      /* of the current frame (or the handshake request) */
    size_t got;       /* of the echo (or the handshake answer) */
    unsigned char *in;
};

static struct conn *conns;
static int nconns = 100, ep;
static double seconds = 5;
static size_t size = 64;
static int text, idle;
static const char *host = "127.0.0.1";
static int port;
static unsigned char *frame, *echo; /* what we send, what must come back */
static size_t frame_len, echo_len;
static char request[512];
static size_t request_len;
static volatile sig_atomic_t stop;

static void die(const char *what, int i)
{
    if (i >= 0)
        fprintf(stderr, "ws_load: connection %d: %s%s%s\n", i, what, errno ? ": " : "",
                errno ? strerror(errno) : "");
    else
        fprintf(stderr, "ws_load: %s%s%s\n", what, errno ? ": " : "", errno ? strerror(errno) : "");
    exit(1);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_us(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

static void arm(int i, int out)
{
    struct epoll_event ev = {.events = EPOLLIN | (out ? EPOLLOUT : 0), .data.u32 = i};
    if (conns[i].want_out == out)
        return;
    conns[i].want_out = out;
    if (epoll_ctl(ep, EPOLL_CTL_MOD, conns[i].fd, &ev) < 0)
        die("epoll_ctl", i);
}

static void open_conn(int i)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN, .data.u32 = i};
    int one = 1;
    inet_pton(AF_INET, host, &a.sin_addr);
    conns[i].fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (conns[i].fd < 0)
        die("socket", i);
    setsockopt(conns[i].fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(conns[i].fd, (struct sockaddr *)&a, sizeof a) < 0 && errno != EINPROGRESS)
        die("connect", i);
    conns[i].state = CONNECTING;
    conns[i].want_out = 1;
    conns[i].sent = conns[i].got = 0;
    if (!conns[i].in && !(conns[i].in = malloc(echo_len > 1024 ? echo_len : 1024)))
        die("malloc", i);
    if (epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev) < 0)
        die("epoll_ctl", i);
}

/* Writes what is left of buf; returns 1 when all of it is out. */
static int push(int i, const void *buf, size_t len)
{
    struct conn *c = &conns[i];
    while (c->sent < len) {
        ssize_t n = send(c->fd, (const char *)buf + c->sent, len - c->sent, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN) {
                arm(i, 1);
                return 0;
            }
            die("send", i);
        }
        c->sent += n;
    }
    arm(i, 0);
    return 1;
}

static long messages;

/* An event on connection i; returns 1 when its handshake just completed. */
static int on_event(int i, uint32_t events)
{
    struct conn *c = &conns[i];
    ssize_t n;
    if (c->state == CONNECTING) {
        int err = 0;
        socklen_t l = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
        if (err) {
            errno = err;
            die("connect", i);
        }
        c->state = HANDSHAKE;
        c->sent = 0;
        push(i, request, request_len);
        return 0;
    }
    if (c->state == HANDSHAKE) {
        char *end;
        if ((events & EPOLLOUT) && !push(i, request, request_len))
            return 0;
        if (!(events & EPOLLIN))
            return 0;
        n = recv(c->fd, c->in + c->got, 1023 - c->got, 0);
        if (n <= 0) {
            if (n < 0 && errno == EAGAIN)
                return 0;
            if (n == 0)
                errno = 0;
            die("handshake: no answer", i);
        }
        c->got += n;
        c->in[c->got] = 0;
        if (!(end = strstr((char *)c->in, "\r\n\r\n"))) {
            if (c->got == 1023) {
                errno = 0;
                die("handshake: answer too long", i);
            }
            return 0;
        }
        errno = 0;
        if (strncmp((char *)c->in, "HTTP/1.1 101", 12))
            die("handshake: not 101", i);
        if ((unsigned char *)end + 4 != c->in + c->got)
            die("handshake: bytes after the answer", i);
        c->got = c->sent = 0;
        c->state = idle ? IDLE : RUNNING;
        return 1;
    }
    if (c->state == IDLE) {
        char b[256];
        n = recv(c->fd, b, sizeof b, 0);
        if (n < 0 && errno == EAGAIN)
            return 0;
        errno = 0;
        die(n == 0 ? "closed by the server while idle" : "bytes while idle", i);
    }
    /* RUNNING */
    if ((events & EPOLLOUT) && !push(i, frame, frame_len))
        return 0;
    if (!(events & EPOLLIN))
        return 0;
    n = recv(c->fd, c->in + c->got, echo_len - c->got, 0);
    if (n <= 0) {
        if (n < 0 && errno == EAGAIN)
            return 0;
        if (n == 0)
            errno = 0;
        die("echo: connection lost", i);
    }
    c->got += n;
    if (c->got < echo_len)
        return 0;
    if (memcmp(c->in, echo, echo_len)) {
        errno = 0;
        die("echo: not the bytes sent", i);
    }
    messages++;
    c->got = c->sent = 0;
    if (!stop)
        push(i, frame, frame_len);
    return 0;
}

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

int main(int argc, char **argv)
{
    int opt, done = 0, opened = 0, inflight = 0;
    struct epoll_event evs[256];
    unsigned char hdr[10];
    size_t hl = 0;
    const unsigned char mask[4] = {0x37, 0xfa, 0x21, 0x3d};

    while ((opt = getopt(argc, argv, "c:d:s:tiH:")) != -1) {
        switch (opt) {
        case 'c': nconns = atoi(optarg); break;
        case 'd': seconds = atof(optarg); break;
        case 's': size = strtoul(optarg, NULL, 10); break;
        case 't': text = 1; break;
        case 'i': idle = 1; break;
        case 'H': host = optarg; break;
        default:
            fprintf(stderr, "usage: ws_load [-i] [-c CONNS] [-d SECONDS] [-s BYTES] [-t] [-H HOST] PORT\n");
            return 2;
        }
    }
    if (optind >= argc || nconns <= 0)
        return fprintf(stderr, "ws_load: PORT?\n"), 2;
    port = atoi(argv[optind]);

    /* The frame (masked, one fixed content) and the echo it must bring back. */
    hdr[0] = 0x80 | (text ? 1 : 2);
    if (size < 126) {
        hdr[1] = size;
        hl = 2;
    } else if (size < 65536) {
        hdr[1] = 126;
        hdr[2] = size >> 8;
        hdr[3] = size;
        hl = 4;
    } else {
        hdr[1] = 127;
        for (int k = 0; k < 8; k++)
            hdr[2 + k] = (uint64_t)size >> (56 - 8 * k);
        hl = 10;
    }
    echo_len = hl + size;
    frame_len = hl + 4 + size;
    echo = malloc(echo_len);
    frame = malloc(frame_len);
    memcpy(echo, hdr, hl);
    memcpy(frame, hdr, hl);
    frame[1] |= 0x80;
    memcpy(frame + hl, mask, 4);
    for (size_t k = 0; k < size; k++) {
        echo[hl + k] = 'a' + k % 26;
        frame[hl + 4 + k] = echo[hl + k] ^ mask[k % 4];
    }
    request_len = snprintf(request, sizeof request,
                           "GET / HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n", host, port);

    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);
    if ((ep = epoll_create1(EPOLL_CLOEXEC)) < 0)
        die("epoll_create1", -1);
    if (!(conns = calloc(nconns, sizeof *conns)))
        die("calloc", -1);

    /* Handshakes, at most 256 in flight (a burst of 10,000 SYNs would overflow the backlog). */
    while (done < nconns) {
        while (opened < nconns && inflight < 256) {
            open_conn(opened++);
            inflight++;
        }
        int n = epoll_wait(ep, evs, 256, 10000);
        if (n < 0 && errno == EINTR) {
            if (stop)
                die("interrupted during the handshakes", -1);
            continue;
        }
        if (n <= 0) {
            errno = 0;
            die("handshakes stalled for 10 s", -1);
        }
        for (int k = 0; k < n; k++) {
            if (on_event(evs[k].data.u32, evs[k].events)) {
                done++;
                inflight--;
            }
        }
    }

    if (idle) {
        struct linger lg = {1, 0};
        char b[64];
        struct epoll_event ev = {.events = EPOLLIN};
        printf("READY %d\n", nconns);
        fflush(stdout);
        /* watch stdin too when it can be (a pipe): its EOF ends the hold */
        ev.data.u32 = (uint32_t)-1;
        epoll_ctl(ep, EPOLL_CTL_ADD, 0, &ev);
        while (!stop) {
            int n = epoll_wait(ep, evs, 256, -1);
            for (int k = 0; k < n; k++) {
                if (evs[k].data.u32 == (uint32_t)-1) {
                    if (read(0, b, sizeof b) <= 0)
                        stop = 1;
                } else {
                    on_event(evs[k].data.u32, evs[k].events);
                }
            }
        }
        for (int i = 0; i < nconns; i++) {
            setsockopt(conns[i].fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
            close(conns[i].fd);
        }
        return 0;
    }

    /* The closed loop. */
    double c0 = cpu_us(), t0 = now(), end = t0 + seconds, t;
    for (int i = 0; i < nconns; i++)
        push(i, frame, frame_len);
    while ((t = now()) < end && !stop) {
        int ms = (int)((end - t) * 1000) + 1;
        int n = epoll_wait(ep, evs, 256, ms);
        if (n < 0 && errno != EINTR)
            die("epoll_wait", -1);
        for (int k = 0; k < n; k++)
            on_event(evs[k].data.u32, evs[k].events);
    }
    t = now() - t0;
    printf("messages %ld seconds %.3f msgs/s %.0f cpu_us %.0f\n", messages, t, messages / t,
           cpu_us() - c0);
    return 0;
}

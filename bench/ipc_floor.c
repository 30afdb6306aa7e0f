/* SPDX-License-Identifier: MIT */
/*
 * The floor of MODE_PROCESS's extra hop: what one round trip master -> worker -> master
 * costs on this machine when nothing else is done, as CPU (utime + stime of both
 * processes) and wall time per round trip, over a SOCK_SEQPACKET pair (Tide's links).
 * Each side waits for the other in epoll_wait, as an event loop does (with "block", in
 * recv itself). A batch of k messages goes as one packet each way, as Tide's links batch
 * what one loop turn sends: the cost per message is the round trip's divided by k.
 *
 *   cc -O2 -o /tmp/ipc_floor bench/ipc_floor.c && /tmp/ipc_floor [rounds] [epoll|block]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int use_epoll = 1;

static void wait_readable(int ep)
{
    struct epoll_event ev;
    if (use_epoll)
        while (epoll_wait(ep, &ev, 1, -1) != 1)
            ;
}

static int loop_fd(int fd)
{
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    return ep;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu(int who)
{
    struct rusage ru;
    getrusage(who, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

/* One run: rounds round trips of a packet of `size` bytes. */
static void run(long rounds, size_t size)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
        perror("socketpair");
        exit(1);
    }
    char *buf = calloc(1, size > 65536 ? size : 65536);
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        int ep = loop_fd(sv[1]);
        for (;;) {
            wait_readable(ep);
            ssize_t n = recv(sv[1], buf, 65536, 0);
            if (n <= 0)
                _exit(0);
            if (send(sv[1], buf, (size_t)n, 0) != n)
                _exit(1);
        }
    }
    close(sv[1]);
    int ep = loop_fd(sv[0]);
    double c0 = cpu(RUSAGE_SELF), t0 = now();
    for (long i = 0; i < rounds; i++) {
        if (send(sv[0], buf, size, 0) != (ssize_t)size) {
            perror("send");
            exit(1);
        }
        wait_readable(ep);
        if (recv(sv[0], buf, 65536, 0) <= 0) {
            perror("recv");
            exit(1);
        }
    }
    double wall = now() - t0;
    close(sv[0]);
    waitpid(pid, NULL, 0);
    double used = cpu(RUSAGE_SELF) - c0 + cpu(RUSAGE_CHILDREN);
    printf("%6zu bytes per packet: %6.2f us CPU and %6.2f us wall per round trip\n", size,
           used * 1e6 / (double)rounds, wall * 1e6 / (double)rounds);
    free(buf);
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? atol(argv[1]) : 200000;
    if (argc > 2 && strcmp(argv[2], "block") == 0)
        use_epoll = 0;
    printf("%ld round trips, waiting in %s\n", rounds, use_epoll ? "epoll_wait" : "recv");
    /* One request of a hello benchmark (~80 bytes with its IPC header), and batches of 8
     * and 64 of them in one packet. */
    run(rounds, 100);
    run(rounds, 800);
    run(rounds, 6400);
    return 0;
}

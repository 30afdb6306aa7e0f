/* SPDX-License-Identifier: MIT */
/*
 * The reactor and descriptors (src/core/reactor.c, uring.c, epoll.c): what a cancelled
 * accept took, a reader handed over or restarted while the kernel still holds a read, fd
 * numbers reused after a close, and closes asked for before a destroy.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test.h"
#include "tide/common.h"
#include "tide/reactor.h"

static void on_deadline_fd(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(id);
    FAILF("deadline reached: %s", (const char *)udata);
}

static void guard(tide_reactor_t *r, uint64_t ms, const char *what)
{
    tide_timer_unref(r, tide_timer_add(r, ms, 0, on_deadline_fd, (void *)what));
}

static int count_open_fds(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    CHECK(d != NULL);
    for (struct dirent *de; (de = readdir(d));)
        if (de->d_name[0] != '.')
            n++;
    closedir(d);
    return n - 1; /* the DIR's own fd */
}

/* ---- io_uring: a cancelled multishot accept drops the sockets it still accepts ---- */

typedef struct acc1 {
    tide_op_t *op;
    int accepted;
} acc1_t;

static void accept_once_then_cancel(tide_reactor_t *r, void *udata, int fd)
{
    acc1_t *a = udata;
    CHECK(fd >= 0);
    a->accepted++;
    close(fd);
    tide_reactor_cancel(r, a->op); /* from inside its own callback */
}

REACTOR_TEST(cancelled_accept_leaks_no_accepted_socket)
{
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(sa);
    CHECK_EQ(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    CHECK_EQ(listen(lfd, 64), 0);
    CHECK_EQ(getsockname(lfd, (struct sockaddr *)&sa, &len), 0);
    /* Four connections waiting in the backlog before the accept is armed: a multishot
     * accept takes them all in one go, posting one CQE each. */
    int clients[4];
    for (int i = 0; i < 4; i++) {
        clients[i] = socket(AF_INET, SOCK_STREAM, 0);
        CHECK_EQ(connect(clients[i], (struct sockaddr *)&sa, sizeof(sa)), 0);
    }

    tide_reactor_t *r = test_reactor(backend);
    int before = count_open_fds();
    acc1_t a = {0};
    a.op = tide_reactor_accept(r, lfd, accept_once_then_cancel, &a, NULL);
    CHECK(a.op != NULL);
    guard(r, 5000, "accept");
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 0);
    CHECK_EQ(a.accepted, 1);
    /* Whatever the kernel accepted after the cancel must have been closed, not dropped. */
    CHECK_EQ(count_open_fds(), before);
    tide_reactor_destroy(r);
    for (int i = 0; i < 4; i++)
        close(clients[i]);
    close(lfd);
}

/* ---- io_uring: a recv restarted while the cancelled one is still in flight ---- */

typedef struct handoff {
    int fd;
    tide_op_t *first;
    size_t got;
    int eof;
    int restarted;
} handoff_t;

static void second_reader(tide_reactor_t *r, void *udata, const char *data, ssize_t n)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(data);
    handoff_t *h = udata;
    if (n > 0)
        h->got += (size_t)n;
    else
        h->eof = n == 0 ? 1 : (int)n;
}

/* Reads one chunk, then hands the connection to another reader (a protocol switch). */
static void first_reader(tide_reactor_t *r, void *udata, const char *data, ssize_t n)
{
    TIDE_UNUSED(data);
    handoff_t *h = udata;
    CHECK(n > 0);
    h->got += (size_t)n;
    tide_reactor_cancel(r, h->first);
    int err = 0;
    CHECK(tide_reactor_recv(r, h->fd, second_reader, h, &err) != NULL);
    h->restarted = 1;
}

REACTOR_TEST(recv_handed_over_from_its_callback_loses_no_bytes)
{
    tide_reactor_t *r = test_reactor(backend);
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
    static char payload[20000];
    memset(payload, 'p', sizeof(payload));
    /* More than one 16 KiB ring buffer: a multishot recv posts two CQEs in one batch. */
    CHECK_EQ(write(sv[1], payload, sizeof(payload)), (ssize_t)sizeof(payload));
    handoff_t h = {.fd = sv[0]};
    h.first = tide_reactor_recv(r, sv[0], first_reader, &h, NULL);
    CHECK(h.first != NULL);
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_NOWAIT), 1);
    tide_reactor_run(r, TIDE_RUN_NOWAIT);
    CHECK(h.restarted);
    shutdown(sv[1], SHUT_WR);
    guard(r, 5000, "handoff");
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 0);
    CHECK_EQ(h.eof, 1);
    CHECK_EQ(h.got, sizeof(payload));
    close(sv[0]);
    close(sv[1]);
    tide_reactor_destroy(r);
}

REACTOR_TEST(recv_restarted_before_the_cancel_lands_loses_no_bytes)
{
    tide_reactor_t *r = test_reactor(backend);
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
    handoff_t h = {.fd = sv[0]};
    tide_op_t *a = tide_reactor_recv(r, sv[0], second_reader, &h, NULL);
    CHECK(a != NULL);
    tide_reactor_run(r, TIDE_RUN_NOWAIT); /* the recv is in the kernel */
    CHECK_EQ(write(sv[1], "hello", 5), 5);
    /* Cancel and start over in the same turn (e.g. a coroutine that stops and resumes). */
    tide_reactor_cancel(r, a);
    CHECK(tide_reactor_recv(r, sv[0], second_reader, &h, NULL) != NULL);
    shutdown(sv[1], SHUT_WR);
    guard(r, 5000, "restart");
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 0);
    CHECK_EQ(h.eof, 1);
    CHECK_EQ(h.got, 5);
    close(sv[0]);
    close(sv[1]);
    tide_reactor_destroy(r);
}

/* ---- epoll: a close completing after its number was reused forgets the new fd ---- */

static void ignore_recv(tide_reactor_t *r, void *udata, const char *data, ssize_t n)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(data);
    if (n > 0)
        *(size_t *)udata += (size_t)n;
}

REACTOR_TEST(reader_on_a_reused_fd_number_can_be_restarted)
{
    tide_reactor_t *r = test_reactor(backend);
    int old[2], sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, old), 0);
    CHECK_EQ(tide_reactor_close(r, old[0], NULL, NULL), 0);
    /* epoll closes at once and reports at the end of the turn: a socket made now (as an
     * accept callback later in the same turn would) gets the same number. */
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
    size_t got = 0;
    tide_op_t *op = tide_reactor_recv(r, sv[0], ignore_recv, &got, NULL);
    CHECK(op != NULL);
    tide_reactor_run(r, TIDE_RUN_NOWAIT); /* the close's completion */
    tide_reactor_run(r, TIDE_RUN_NOWAIT);
    tide_reactor_cancel(r, op);
    int err = 0;
    op = tide_reactor_recv(r, sv[0], ignore_recv, &got, &err);
    if (!op)
        FAILF("restarting the reader failed: %s", strerror(-err));
    tide_reactor_run(r, TIDE_RUN_NOWAIT); /* io_uring: the cancel lands before the data */
    CHECK_EQ(write(sv[1], "abc", 3), 3);
    guard(r, 5000, "reuse");
    while (got < 3)
        tide_reactor_run(r, TIDE_RUN_ONCE);
    tide_reactor_cancel(r, op);
    tide_reactor_run(r, TIDE_RUN_NOWAIT);
    close(old[1]);
    close(sv[0]);
    close(sv[1]);
    tide_reactor_destroy(r);
}

/* ---- destroy forgets closes it already accepted ---- */

REACTOR_TEST(destroy_still_closes_what_close_was_asked_to_close)
{
    tide_reactor_t *r = test_reactor(backend);
    int sv[2], sw[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sw), 0);
    /* A close queued behind a write the peer never reads... */
    static char big[8 << 20];
    CHECK_EQ(tide_reactor_send(r, sw[0], big, sizeof(big), NULL, NULL), 0);
    CHECK_EQ(tide_reactor_close(r, sw[0], NULL, NULL), 0);
    tide_reactor_run(r, TIDE_RUN_NOWAIT);
    /* ...and one asked for just before (io_uring: not submitted yet). */
    CHECK_EQ(tide_reactor_close(r, sv[0], NULL, NULL), 0); /* returned 0: "will be closed" */
    tide_reactor_destroy(r);
    /* Else leaked: the caller handed them over and nobody owns them any more. */
    CHECK(fcntl(sv[0], F_GETFD) < 0);
    CHECK(fcntl(sw[0], F_GETFD) < 0);
    close(sv[1]);
    close(sw[1]);
}

static uint64_t cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void nothing(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(udata);
    TIDE_UNUSED(id);
}

REACTOR_TEST(paused_reader_on_a_reused_fd_number_does_not_spin)
{
    tide_reactor_t *r = test_reactor(backend);
    int old[2], sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, old), 0);
    CHECK_EQ(tide_reactor_close(r, old[0], NULL, NULL), 0);
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
    size_t got = 0;
    tide_op_t *op = tide_reactor_recv(r, sv[0], ignore_recv, &got, NULL);
    CHECK(op != NULL);
    tide_reactor_run(r, TIDE_RUN_NOWAIT);
    tide_reactor_run(r, TIDE_RUN_NOWAIT);
    /* Back-pressure: stop reading while the peer still has bytes for us. */
    tide_reactor_cancel(r, op);
    tide_reactor_run(r, TIDE_RUN_NOWAIT);
    CHECK_EQ(write(sv[1], "abc", 3), 3);
    tide_timer_add(r, 200, 0, nothing, NULL);
    uint64_t cpu = cpu_ns();
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 0);
    cpu = (cpu_ns() - cpu) / 1000000;
    if (cpu > 100)
        FAILF("the loop burnt %llu ms of CPU waiting 200 ms for a timer", (unsigned long long)cpu);
    close(old[1]);
    close(sv[0]);
    close(sv[1]);
    tide_reactor_destroy(r);
}

/* ---- io_uring: bytes stashed for a number outlive a plain close(2) of that number ---- */

REACTOR_TEST(new_socket_never_sees_bytes_of_an_old_one_with_the_same_number)
{
    tide_reactor_t *r = test_reactor(backend);
    int old[2], sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, old), 0);
    size_t got = 0;
    tide_op_t *a = tide_reactor_recv(r, old[0], ignore_recv, &got, NULL);
    CHECK(a != NULL);
    tide_reactor_run(r, TIDE_RUN_NOWAIT);
    CHECK_EQ(write(old[1], "secret", 6), 6);
    tide_reactor_cancel(r, a);
    tide_reactor_run(r, TIDE_RUN_NOWAIT);
    tide_reactor_run(r, TIDE_RUN_NOWAIT);
    /* The application closes the socket itself (reactor.h does not ask for
     * tide_reactor_close), and the next socket gets the same number. */
    int num = old[0];
    close(old[0]);
    close(old[1]);
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
    CHECK_EQ(sv[0], num);
    CHECK(tide_reactor_recv(r, sv[0], ignore_recv, &got, NULL) != NULL);
    tide_reactor_run(r, TIDE_RUN_NOWAIT);
    tide_reactor_run(r, TIDE_RUN_NOWAIT);
    CHECK_EQ(got, 0); /* else: the old connection's bytes went to the new one */
    close(sv[0]);
    close(sv[1]);
    tide_reactor_destroy(r);
}

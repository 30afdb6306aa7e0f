/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test.h"
#include "tide/common.h"
#include "tide/reactor.h"

static void set_nonblock(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* Fails the test if the loop is still running after `ms`. */
static void on_deadline(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(id);
    FAILF("deadline reached: %s", (const char *)udata);
}

/* ---- socketpair echo, with a payload big enough for short writes ---- */

typedef struct echo {
    int server_fd, client_fd;
    size_t echoed, received, expected;
    unsigned char *expect;
    int eof_seen;
} echo_t;

static void server_recv(tide_reactor_t *r, void *udata, const char *data, ssize_t n)
{
    echo_t *e = udata;
    if (n <= 0) {
        CHECK_EQ(n, 0); /* the client shut its side down */
        e->eof_seen = 1;
        tide_reactor_close(r, e->server_fd, NULL, NULL);
        return;
    }
    /* The data is only valid during the callback: copy it for the send. */
    char *copy = tide_malloc((size_t)n);
    memcpy(copy, data, (size_t)n);
    e->echoed += (size_t)n;
    CHECK_EQ(tide_reactor_send(r, e->server_fd, copy, (size_t)n, (tide_done_cb)(void *)0, NULL), 0);
    /* Freed when the write is done: the harness leaks nothing that outlives the test. */
}

static void free_after_send(tide_reactor_t *r, void *udata, ssize_t res)
{
    TIDE_UNUSED(r);
    CHECK(res > 0);
    tide_free(udata);
}

static void server_recv_owned(tide_reactor_t *r, void *udata, const char *data, ssize_t n)
{
    echo_t *e = udata;
    if (n <= 0) {
        server_recv(r, udata, data, n);
        return;
    }
    char *copy = tide_malloc((size_t)n);
    memcpy(copy, data, (size_t)n);
    e->echoed += (size_t)n;
    CHECK_EQ(tide_reactor_send(r, e->server_fd, copy, (size_t)n, free_after_send, copy), 0);
}

static void client_recv(tide_reactor_t *r, void *udata, const char *data, ssize_t n)
{
    echo_t *e = udata;
    if (n == 0) {
        CHECK_EQ(e->received, e->expected);
        tide_reactor_close(r, e->client_fd, NULL, NULL);
        return;
    }
    CHECK(n > 0);
    CHECK(e->received + (size_t)n <= e->expected);
    CHECK(memcmp(data, e->expect + e->received, (size_t)n) == 0);
    e->received += (size_t)n;
    if (e->received == e->expected)
        shutdown(e->client_fd, SHUT_WR); /* lets the server see EOF and close */
}

REACTOR_TEST(socketpair_echo_keeps_order_across_short_writes)
{
    tide_reactor_t *r = test_reactor(backend);
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    set_nonblock(sv[0]);
    set_nonblock(sv[1]);
    int small = 4096;
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
    setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));

    echo_t e = {.server_fd = sv[0], .client_fd = sv[1], .expected = 4u << 20};
    e.expect = malloc(e.expected);
    for (size_t i = 0; i < e.expected; i++)
        e.expect[i] = (unsigned char)(i * 31 + i / 4099);

    CHECK(tide_reactor_recv(r, sv[0], server_recv_owned, &e, NULL) != NULL);
    CHECK(tide_reactor_recv(r, sv[1], client_recv, &e, NULL) != NULL);
    /* Many queued writes on one fd, some as iovecs: they must arrive in order. */
    size_t off = 0, chunk = 65536;
    while (off < e.expected) {
        struct iovec iov[3] = {
            {e.expect + off, chunk / 4},
            {e.expect + off + chunk / 4, 0},
            {e.expect + off + chunk / 4, chunk - chunk / 4},
        };
        CHECK_EQ(tide_reactor_writev(r, sv[1], iov, 3, NULL, NULL), 0);
        off += chunk;
    }
    uint64_t guard = tide_timer_add(r, 20000, 0, on_deadline, "echo");
    tide_timer_unref(r, guard);
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 0);
    CHECK_EQ(e.echoed, e.expected);
    CHECK_EQ(e.received, e.expected);
    CHECK(e.eof_seen);
    tide_reactor_destroy(r);
    free(e.expect);
}

/* ---- accept 1,000 connections ---- */

typedef struct acceptor {
    int lfd;
    int accepted;
    tide_op_t *op;
} acceptor_t;

static void on_accept(tide_reactor_t *r, void *udata, int fd)
{
    acceptor_t *a = udata;
    CHECK(fd >= 0);
    CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
    CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    tide_reactor_close(r, fd, NULL, NULL);
    if (++a->accepted == 1000)
        tide_reactor_cancel(r, a->op); /* from inside its own callback */
}

static int listen_loopback(int *port)
{
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(sa);
    CHECK_EQ(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    CHECK_EQ(listen(lfd, 2048), 0);
    CHECK_EQ(getsockname(lfd, (struct sockaddr *)&sa, &len), 0);
    *port = ntohs(sa.sin_port);
    return lfd;
}

REACTOR_TEST(accepts_1000_connections)
{
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < 2200)
        SKIP("RLIMIT_NOFILE hard limit %lu is too low for 2,000 sockets",
             (unsigned long)rl.rlim_cur);

    tide_reactor_t *r = test_reactor(backend);
    int port;
    acceptor_t a = {0};
    a.lfd = listen_loopback(&port);
    a.op = tide_reactor_accept(r, a.lfd, on_accept, &a, NULL);
    CHECK(a.op != NULL);
    int err = 0;
    CHECK(tide_reactor_accept(r, a.lfd, on_accept, &a, &err) == NULL);
    CHECK_EQ(err, -EBUSY);

    int clients[1000];
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    for (int i = 0; i < 1000; i++) {
        clients[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        int rc = connect(clients[i], (struct sockaddr *)&sa, sizeof(sa));
        CHECK(rc == 0 || errno == EINPROGRESS);
        /* Let the loop accept as we go, as a real server would. */
        if (i % 100 == 99)
            tide_reactor_run(r, TIDE_RUN_NOWAIT);
    }
    uint64_t guard = tide_timer_add(r, 20000, 0, on_deadline, "accept");
    tide_timer_unref(r, guard);
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 0);
    CHECK_EQ(a.accepted, 1000);
    for (int i = 0; i < 1000; i++)
        close(clients[i]);
    close(a.lfd);
    tide_reactor_destroy(r);
}

/* ---- timers ---- */

typedef struct timer_log {
    uint64_t order[64];
    int n;
    uint64_t cancel_me;
    int ticks;
    tide_reactor_t *r;
} timer_log_t;

static void log_timer(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    timer_log_t *l = udata;
    l->order[l->n++] = id;
}

static void cancel_other(tide_reactor_t *r, void *udata, uint64_t id)
{
    timer_log_t *l = udata;
    l->order[l->n++] = id;
    CHECK(tide_timer_cancel(r, l->cancel_me));
    CHECK(!tide_timer_cancel(r, l->cancel_me));
}

static void tick_three_times(tide_reactor_t *r, void *udata, uint64_t id)
{
    timer_log_t *l = udata;
    if (++l->ticks == 3)
        CHECK(tide_timer_cancel(r, id)); /* a tick cancelling itself */
}

REACTOR_TEST(timers_fire_in_deadline_order_and_cancel)
{
    tide_reactor_t *r = test_reactor(backend);
    timer_log_t l = {.r = r};
    uint64_t before = tide_time_ns();
    uint64_t t30 = tide_timer_add(r, 30, 0, log_timer, &l);
    uint64_t t10 = tide_timer_add(r, 10, 0, log_timer, &l);
    uint64_t t20a = tide_timer_add(r, 20, 0, log_timer, &l);
    uint64_t t50 = tide_timer_add(r, 50, 0, log_timer, &l);
    uint64_t t40 = tide_timer_add(r, 40, 0, log_timer, &l);
    uint64_t t15 = tide_timer_add(r, 15, 0, cancel_other, &l);
    uint64_t t0 = tide_timer_add(r, 0, 0, log_timer, &l);
    l.cancel_me = t40;
    CHECK(tide_timer_cancel(r, t50));
    CHECK(!tide_timer_cancel(r, t50));
    CHECK(!tide_timer_cancel(r, 999999));
    tide_timer_add(r, 5, 5, tick_three_times, &l);
    CHECK_EQ(tide_timer_count(r), 7);

    tide_timer_info_t info;
    CHECK(tide_timer_info(r, t30, &info));
    CHECK(info.remaining_ns > 20000000ull && info.remaining_ns <= 30000000ull);
    CHECK_EQ(info.interval_ms, 0);
    CHECK(info.udata == &l);

    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 0);
    uint64_t took = tide_time_ns() - before;
    CHECK(took >= 30000000ull);

    uint64_t want[] = {t0, t10, t15, t20a, t30};
    CHECK_EQ(l.n, 5);
    for (int i = 0; i < 5; i++)
        CHECK_EQ(l.order[i], want[i]);
    CHECK_EQ(l.ticks, 3);
    CHECK_EQ(tide_timer_count(r), 0);
    CHECK(!tide_timer_info(r, t30, &info));
    tide_reactor_destroy(r);
}

REACTOR_TEST(timers_with_equal_deadlines_fire_in_insertion_order)
{
    tide_reactor_t *r = test_reactor(backend);
    timer_log_t l = {.r = r};
    uint64_t ids[40];
    /* Same delay, added within the same millisecond or a few: never out of order. */
    for (int i = 0; i < 40; i++)
        ids[i] = tide_timer_add(r, 1, 0, log_timer, &l);
    tide_reactor_run(r, TIDE_RUN_DEFAULT);
    CHECK_EQ(l.n, 40);
    for (int i = 0; i < 40; i++)
        CHECK_EQ(l.order[i], ids[i]);
    tide_reactor_destroy(r);
}

REACTOR_TEST(destroy_frees_pending_timers_and_ops)
{
    tide_reactor_t *r = test_reactor(backend);
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
    for (int i = 0; i < 100; i++)
        tide_timer_add(r, 100000, 0, log_timer, NULL);
    CHECK(tide_reactor_recv(r, sv[0], client_recv, NULL, NULL) != NULL);
    CHECK(tide_reactor_alive(r));
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_NOWAIT), 1);
    tide_reactor_destroy(r); /* under valgrind/ASan: nothing leaks, no callback runs */
    close(sv[0]);
    close(sv[1]);
}

/* ---- wake-up from another thread ---- */

static void *waker(void *arg)
{
    usleep(20000);
    tide_reactor_wake(arg);
    return NULL;
}

static void on_wake(tide_reactor_t *r, void *udata)
{
    (*(int *)udata)++;
    tide_reactor_stop(r);
}

REACTOR_TEST(wake_from_another_thread_runs_the_callback)
{
    tide_reactor_t *r = test_reactor(backend);
    int woken = 0;
    tide_reactor_on_wake(r, on_wake, &woken);
    /* Something must keep the loop waiting: a far timer. */
    uint64_t far = tide_timer_add(r, 10000, 0, on_deadline, "wake");
    pthread_t th;
    pthread_create(&th, NULL, waker, r);
    uint64_t before = tide_time_ns();
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 1);
    CHECK(tide_time_ns() - before < 5000000000ull);
    CHECK_EQ(woken, 1);
    pthread_join(th, NULL);
    CHECK(tide_timer_cancel(r, far));
    tide_reactor_destroy(r);
}

/* ---- signals ---- */

static void on_signal(tide_reactor_t *r, void *udata, int signo)
{
    CHECK_EQ(signo, SIGUSR1);
    (*(int *)udata)++;
    tide_reactor_stop(r);
}

static void raise_usr1(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(udata);
    TIDE_UNUSED(id);
    kill(getpid(), SIGUSR1);
}

REACTOR_TEST(signal_arrives_through_the_loop)
{
    tide_reactor_t *r = test_reactor(backend);
    int got = 0, err = 0;
    tide_op_t *w = tide_reactor_signal(r, SIGUSR1, on_signal, &got, &err);
    CHECK(w != NULL);
    CHECK(tide_reactor_signal(r, SIGUSR1, on_signal, &got, &err) == NULL);
    CHECK_EQ(err, -EBUSY);
    CHECK(tide_reactor_signal(r, SIGKILL, on_signal, &got, &err) == NULL);
    CHECK_EQ(err, -EINVAL);
    tide_timer_add(r, 5, 0, raise_usr1, NULL);
    tide_reactor_run(r, TIDE_RUN_DEFAULT);
    CHECK_EQ(got, 1);
    tide_reactor_cancel(r, w);
    CHECK(!tide_reactor_alive(r));
    tide_reactor_destroy(r);
}

/* ---- close after queued writes; recv sees EOF and errors ---- */

typedef struct closer {
    size_t got;
    int eof;
    int close_res;
} closer_t;

static void count_recv(tide_reactor_t *r, void *udata, const char *data, ssize_t n)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(data);
    closer_t *c = udata;
    if (n > 0)
        c->got += (size_t)n;
    else
        c->eof = n == 0 ? 1 : (int)n;
}

static void on_closed(tide_reactor_t *r, void *udata, ssize_t res)
{
    TIDE_UNUSED(r);
    ((closer_t *)udata)->close_res = (int)res + 100;
}

REACTOR_TEST(close_waits_for_queued_writes_and_peer_sees_eof)
{
    tide_reactor_t *r = test_reactor(backend);
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
    static char big[1 << 20];
    memset(big, 'x', sizeof(big));
    closer_t c = {0};
    CHECK(tide_reactor_recv(r, sv[1], count_recv, &c, NULL) != NULL);
    for (int i = 0; i < 4; i++)
        CHECK_EQ(tide_reactor_send(r, sv[0], big, sizeof(big), NULL, NULL), 0);
    CHECK_EQ(tide_reactor_close(r, sv[0], on_closed, &c), 0);
    CHECK_EQ(tide_reactor_send(r, -1, big, 1, NULL, NULL), -EBADF);
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 0);
    CHECK_EQ(c.got, 4 * sizeof(big));
    CHECK_EQ(c.eof, 1);
    CHECK_EQ(c.close_res, 100);
    CHECK(fcntl(sv[0], F_GETFD) < 0); /* really closed */
    close(sv[1]);
    tide_reactor_destroy(r);
}

static void expect_error(tide_reactor_t *r, void *udata, ssize_t res)
{
    TIDE_UNUSED(r);
    *(ssize_t *)udata = res;
}

REACTOR_TEST(send_to_a_closed_peer_reports_epipe_without_sigpipe)
{
    tide_reactor_t *r = test_reactor(backend);
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
    close(sv[1]);
    ssize_t res = 0;
    CHECK_EQ(tide_reactor_send(r, sv[0], "hello", 5, expect_error, &res), 0);
    tide_reactor_run(r, TIDE_RUN_DEFAULT);
    CHECK_EQ(res, -EPIPE);
    close(sv[0]);
    tide_reactor_destroy(r);
}

REACTOR_TEST(cancelled_recv_never_calls_back)
{
    tide_reactor_t *r = test_reactor(backend);
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
    closer_t c = {0};
    tide_op_t *op = tide_reactor_recv(r, sv[1], count_recv, &c, NULL);
    CHECK(op != NULL);
    tide_reactor_run(r, TIDE_RUN_NOWAIT); /* the recv is in the kernel now */
    tide_reactor_cancel(r, op);
    tide_reactor_cancel(r, op); /* twice is harmless */
    CHECK_EQ(write(sv[0], "data", 4), 4);
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 0);
    tide_reactor_run(r, TIDE_RUN_NOWAIT);
    CHECK_EQ(c.got, 0);
    /* A new reader on the same fd gets the bytes. */
    CHECK(tide_reactor_recv(r, sv[1], count_recv, &c, NULL) != NULL);
    close(sv[0]);
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 0);
    CHECK_EQ(c.got, 4);
    CHECK_EQ(c.eof, 1);
    close(sv[1]);
    tide_reactor_destroy(r);
}

/* ---- a provided-buffer ring that runs dry (-ENOBUFS) loses nothing ---- */

typedef struct dry {
    size_t got[8];
    int eofs;
} dry_t;

static void dry_recv(tide_reactor_t *r, void *udata, const char *data, ssize_t n)
{
    TIDE_UNUSED(r);
    size_t *got = udata;
    if (n > 0) {
        for (ssize_t i = 0; i < n; i++)
            CHECK_EQ((unsigned char)data[i], (unsigned char)((*got + (size_t)i) % 251));
        *got += (size_t)n;
    }
}

REACTOR_TEST(recv_buffer_ring_running_dry_loses_no_bytes)
{
    setenv("TIDE_URING_RECV_BUFFERS", "2", 1); /* 2 buffers for 8 busy sockets */
    tide_reactor_t *r = test_reactor(backend);
    dry_t d = {0};
    int sv[8][2];
    static unsigned char payload[256 * 1024];
    for (size_t i = 0; i < sizeof(payload); i++)
        payload[i] = (unsigned char)(i % 251);
    for (int i = 0; i < 8; i++) {
        CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv[i]), 0);
        CHECK(tide_reactor_recv(r, sv[i][1], dry_recv, &d.got[i], NULL) != NULL);
        CHECK_EQ(tide_reactor_send(r, sv[i][0], payload, sizeof(payload), NULL, NULL), 0);
        CHECK_EQ(tide_reactor_close(r, sv[i][0], NULL, NULL), 0);
    }
    uint64_t guard = tide_timer_add(r, 20000, 0, on_deadline, "dry ring");
    tide_timer_unref(r, guard);
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 0); /* every recv saw its EOF */
    for (int i = 0; i < 8; i++) {
        CHECK_EQ(d.got[i], sizeof(payload));
        close(sv[i][1]);
    }
    tide_reactor_destroy(r);
}

/* ---- accept out of descriptors: back off instead of spinning ---- */

typedef struct starved {
    int emfile, accepted;
} starved_t;

static void starved_accept(tide_reactor_t *r, void *udata, int fd)
{
    starved_t *s = udata;
    if (fd == -EMFILE) {
        s->emfile++;
        return;
    }
    CHECK(fd >= 0);
    s->accepted++;
    tide_reactor_close(r, fd, NULL, NULL);
}

static void stop_loop(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(udata);
    TIDE_UNUSED(id);
    tide_reactor_stop(r);
}

REACTOR_TEST(accept_out_of_descriptors_backs_off_then_resumes)
{
    tide_reactor_t *r = test_reactor(backend);
    int port;
    int lfd = listen_loopback(&port);
    starved_t st = {0};
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int clients[10], top = lfd;
    for (int i = 0; i < 10; i++) {
        clients[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (clients[i] > top)
            top = clients[i];
    }
    /* No descriptor left for accept(): every one fails with EMFILE (lowered before any
     * connection exists, since io_uring may accept as soon as a client connects). */
    struct rlimit old, low;
    getrlimit(RLIMIT_NOFILE, &old);
    low = old;
    low.rlim_cur = (rlim_t)top + 1;
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
    tide_op_t *op = tide_reactor_accept(r, lfd, starved_accept, &st, NULL);
    CHECK(op != NULL);
    tide_reactor_run(r, TIDE_RUN_NOWAIT);
    for (int i = 0; i < 10; i++) {
        int rc = connect(clients[i], (struct sockaddr *)&sa, sizeof(sa));
        CHECK(rc == 0 || errno == EINPROGRESS);
    }
    tide_timer_add(r, 350, 0, stop_loop, NULL);
    tide_reactor_run(r, TIDE_RUN_DEFAULT);
    /* About one try per 100 ms, not one per loop turn. */
    if (!(st.emfile >= 1 && st.emfile <= 8))
        FAILF("emfile callbacks: %d, accepted %d", st.emfile, st.accepted);
    CHECK_EQ(st.accepted, 0);

    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &old), 0);
    tide_timer_add(r, 1000, 0, stop_loop, NULL);
    for (int i = 0; i < 50 && st.accepted < 10; i++)
        tide_reactor_run(r, TIDE_RUN_ONCE);
    CHECK_EQ(st.accepted, 10);
    tide_reactor_cancel(r, op);
    for (int i = 0; i < 10; i++)
        close(clients[i]);
    close(lfd);
    tide_reactor_destroy(r);
}

/* ---- accept_stop: a graceful end that loses no connection the kernel took ---- */

typedef struct stopper {
    tide_op_t *op;
    int fds;        /* connections handed to the callback */
    int ecanceled;  /* -ECANCELED calls */
    int after_end;  /* calls after -ECANCELED */
    int other_err;  /* other negative fds */
    int emfile;
    bool stop_in_cb; /* stop from inside the callback, at the first connection */
    bool in_stop;    /* set around tide_reactor_accept_stop() */
} stopper_t;

static void stopper_accept(tide_reactor_t *r, void *udata, int fd)
{
    stopper_t *s = udata;
    CHECK(!s->in_stop); /* never called back from inside accept_stop */
    if (s->ecanceled)
        s->after_end++;
    if (fd == -ECANCELED) {
        s->ecanceled++;
        return;
    }
    if (fd == -EMFILE) {
        s->emfile++;
        return;
    }
    if (fd < 0) {
        s->other_err++;
        return;
    }
    s->fds++;
    close(fd);
    if (s->stop_in_cb) {
        s->in_stop = true;
        tide_reactor_accept_stop(r, s->op);
        s->in_stop = false;
    }
}

static int connect_loopback(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    CHECK_EQ(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    return fd;
}

/* What the caller takes from the backlog itself after the stop. */
static int accept_backlog(int lfd)
{
    int n = 0, fd;
    while ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
        close(fd);
        n++;
    }
    CHECK(errno == EAGAIN || errno == EWOULDBLOCK);
    return n;
}

/* Runs the loop until the stopped watch has ended (it keeps the loop alive until then). */
static void run_until_ended(tide_reactor_t *r, stopper_t *s)
{
    uint64_t guard = tide_timer_add(r, 5000, 0, on_deadline, "the end of the accept watch");
    tide_timer_unref(r, guard);
    CHECK_EQ(tide_reactor_run(r, TIDE_RUN_DEFAULT), 0);
    CHECK(tide_timer_cancel(r, guard));
    CHECK_EQ(s->ecanceled, 1);
}

REACTOR_TEST(accept_stop_hands_over_what_the_kernel_accepted_then_ends_with_ecanceled)
{
    tide_reactor_t *r = test_reactor(backend);
    int port, lfd = listen_loopback(&port);
    stopper_t s = {0};
    s.op = tide_reactor_accept(r, lfd, stopper_accept, &s, NULL);
    CHECK(s.op != NULL);
    tide_reactor_run(r, TIDE_RUN_NOWAIT); /* the accept is armed */
    /* Connected while the loop does not run. Without DEFER_TASKRUN io_uring accepts one
     * of them already, as task work on the way back from connect(): a CQE not reaped yet. */
    int cl[3];
    for (int i = 0; i < 3; i++)
        cl[i] = connect_loopback(port);
    s.in_stop = true;
    tide_reactor_accept_stop(r, s.op);
    tide_reactor_accept_stop(r, s.op); /* twice does nothing */
    s.in_stop = false;
    CHECK_EQ(s.ecanceled, 0);
    int taken = accept_backlog(lfd);
    CHECK(tide_reactor_alive(r)); /* until its -ECANCELED */
    run_until_ended(r, &s);
    if (s.fds + taken != 3)
        FAILF("%d connection(s) handed over, %d taken from the backlog: %d lost", s.fds, taken,
              3 - s.fds - taken);
    CHECK_EQ(s.after_end, 0);
    CHECK_EQ(s.other_err, 0);
    /* The race this is about did happen: a connection came from a CQE, not the backlog. */
    if (backend == TIDE_BACKEND_URING && !tide_reactor_features(r)->defer_taskrun)
        CHECK(s.fds >= 1);
    tide_reactor_run(r, TIDE_RUN_NOWAIT);
    CHECK_EQ(s.after_end, 0);
    for (int i = 0; i < 3; i++)
        close(cl[i]);
    close(lfd);
    tide_reactor_destroy(r);
}

REACTOR_TEST(accept_stop_from_inside_the_callback)
{
    tide_reactor_t *r = test_reactor(backend);
    int port, lfd = listen_loopback(&port);
    stopper_t s = {.stop_in_cb = true};
    s.op = tide_reactor_accept(r, lfd, stopper_accept, &s, NULL);
    CHECK(s.op != NULL);
    tide_reactor_run(r, TIDE_RUN_NOWAIT);
    int cl[3];
    for (int i = 0; i < 3; i++)
        cl[i] = connect_loopback(port);
    run_until_ended(r, &s);
    CHECK(s.fds >= 1);
    int taken = accept_backlog(lfd);
    CHECK_EQ(s.fds + taken, 3);
    CHECK_EQ(s.after_end, 0);
    for (int i = 0; i < 3; i++)
        close(cl[i]);
    close(lfd);
    tide_reactor_destroy(r);
}

REACTOR_TEST(accept_stop_then_cancel_ends_at_once)
{
    tide_reactor_t *r = test_reactor(backend);
    int port, lfd = listen_loopback(&port);
    stopper_t s = {0};
    s.op = tide_reactor_accept(r, lfd, stopper_accept, &s, NULL);
    CHECK(s.op != NULL);
    tide_reactor_run(r, TIDE_RUN_NOWAIT);
    int cl = connect_loopback(port);
    tide_reactor_accept_stop(r, s.op);
    tide_reactor_cancel(r, s.op);
    tide_reactor_cancel(r, s.op);
    tide_reactor_accept_stop(r, s.op); /* on a cancelled op: nothing */
    CHECK(!tide_reactor_alive(r));
    uint64_t guard = tide_timer_add(r, 5000, 0, on_deadline, "the cancel");
    tide_timer_unref(r, guard);
    for (int i = 0; i < 5; i++)
        tide_reactor_run(r, TIDE_RUN_NOWAIT);
    /* No callback at all: what io_uring had accepted is closed by the reactor. */
    CHECK_EQ(s.fds + s.ecanceled + s.other_err, 0);
    close(cl);
    close(lfd);
    tide_reactor_destroy(r);
}

REACTOR_TEST(accept_stop_frees_the_listener_for_a_new_watch)
{
    tide_reactor_t *r = test_reactor(backend);
    int port, lfd = listen_loopback(&port);
    stopper_t old = {0}, fresh = {0};
    old.op = tide_reactor_accept(r, lfd, stopper_accept, &old, NULL);
    CHECK(old.op != NULL);
    tide_reactor_run(r, TIDE_RUN_NOWAIT);
    tide_reactor_accept_stop(r, old.op);
    /* The stopped watch no longer holds lfd: it may have a new reader at once. */
    fresh.op = tide_reactor_accept(r, lfd, stopper_accept, &fresh, NULL);
    CHECK(fresh.op != NULL);
    uint64_t guard = tide_timer_add(r, 5000, 0, on_deadline, "the new watch");
    tide_timer_unref(r, guard);
    while (!old.ecanceled)
        CHECK(tide_reactor_run(r, TIDE_RUN_ONCE) >= 0);
    int cl = connect_loopback(port);
    while (!fresh.fds)
        CHECK(tide_reactor_run(r, TIDE_RUN_ONCE) >= 0);
    CHECK_EQ(old.fds, 0);
    CHECK_EQ(old.after_end, 0);
    tide_reactor_cancel(r, fresh.op);
    close(cl);
    close(lfd);
    tide_reactor_destroy(r);
}

REACTOR_TEST(accept_stop_while_backing_off_after_emfile)
{
    tide_reactor_t *r = test_reactor(backend);
    int port, lfd = listen_loopback(&port);
    int cl = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int top = cl > lfd ? cl : lfd;
    struct rlimit old, low;
    getrlimit(RLIMIT_NOFILE, &old);
    low = old;
    low.rlim_cur = (rlim_t)top + 1;
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
    stopper_t s = {0};
    s.op = tide_reactor_accept(r, lfd, stopper_accept, &s, NULL);
    CHECK(s.op != NULL);
    tide_reactor_run(r, TIDE_RUN_NOWAIT);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int rc = connect(cl, (struct sockaddr *)&sa, sizeof(sa));
    CHECK(rc == 0 || errno == EINPROGRESS);
    uint64_t guard = tide_timer_add(r, 5000, 0, on_deadline, "EMFILE");
    tide_timer_unref(r, guard);
    while (!s.emfile)
        CHECK(tide_reactor_run(r, TIDE_RUN_ONCE) >= 0);
    /* Pausing now (100 ms): the stop ends it without waiting for the pause. */
    uint64_t before = tide_time_ns();
    tide_reactor_accept_stop(r, s.op);
    while (!s.ecanceled)
        CHECK(tide_reactor_run(r, TIDE_RUN_ONCE) >= 0);
    CHECK(tide_time_ns() - before < 50000000ull);
    CHECK_EQ(s.fds, 0);
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &old), 0);
    CHECK_EQ(accept_backlog(lfd), 1);
    CHECK(tide_timer_cancel(r, guard));
    CHECK(!tide_reactor_alive(r));
    close(cl);
    close(lfd);
    tide_reactor_destroy(r);
}

/* ---- deferred work ---- */

typedef struct deferred {
    tide_defer_t a, b, c;
    int ran_a, ran_b, ran_c;
} deferred_t;

static void run_a(tide_reactor_t *r, void *udata)
{
    deferred_t *d = udata;
    d->ran_a++;
    /* What owns b goes away in a's callback (a connection closed by its own drain). */
    tide_reactor_undefer(r, &d->b);
    memset(&d->b, 0xff, sizeof(d->b));
    d->b.queued = false;
}

static void run_b(tide_reactor_t *r, void *udata)
{
    TIDE_UNUSED(r);
    ((deferred_t *)udata)->ran_b++;
}

static void run_c(tide_reactor_t *r, void *udata)
{
    TIDE_UNUSED(r);
    ((deferred_t *)udata)->ran_c++;
}

REACTOR_TEST(undefer_from_a_deferred_callback_takes_the_node_out_of_the_running_batch)
{
    tide_reactor_t *r = test_reactor(backend);
    deferred_t d;
    memset(&d, 0, sizeof(d));
    d.a.cb = run_a;
    d.b.cb = run_b;
    d.c.cb = run_c;
    d.a.udata = d.b.udata = d.c.udata = &d;
    tide_reactor_defer(r, &d.a);
    tide_reactor_defer(r, &d.b);
    tide_reactor_defer(r, &d.c);
    CHECK(tide_reactor_run(r, TIDE_RUN_NOWAIT) >= 0);
    CHECK_EQ(d.ran_a, 1);
    CHECK_EQ(d.ran_b, 0); /* taken out before its turn: never touched again */
    CHECK_EQ(d.ran_c, 1); /* the rest of the batch still runs */
    tide_reactor_destroy(r);
}

/* ---- waiting for room to write ---- */

typedef struct room {
    int calls;
    tide_op_t *op;
} room_t;

static void on_room(tide_reactor_t *r, void *udata, int fd)
{
    room_t *w = udata;
    TIDE_UNUSED(fd);
    w->calls++;
    tide_reactor_cancel(r, w->op); /* once is enough */
    w->op = NULL;
}

/* poll_out calls back when a full socket has room again (not before), takes the reader
 * place of the fd, and a cancelled one never calls back. */
REACTOR_TEST(poll_out_calls_back_when_a_full_socket_has_room)
{
    tide_reactor_t *r = test_reactor(backend);
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
    int small = 4096;
    CHECK_EQ(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
    static char chunk[65536];
    size_t filled = 0;
    for (;;) {
        ssize_t n = send(sv[0], chunk, sizeof(chunk), MSG_DONTWAIT);
        if (n < 0) {
            CHECK(errno == EAGAIN || errno == EWOULDBLOCK);
            break;
        }
        filled += (size_t)n;
    }
    CHECK(filled > 0);
    room_t w = {0};
    int err = 0;
    w.op = tide_reactor_poll_out(r, sv[0], on_room, &w, &err);
    CHECK(w.op != NULL);
    /* The reader place is taken. */
    CHECK(tide_reactor_poll(r, sv[0], on_room, &w, &err) == NULL);
    CHECK_EQ(err, -EBUSY);
    CHECK(tide_reactor_run(r, TIDE_RUN_NOWAIT) >= 0);
    CHECK_EQ(w.calls, 0); /* still full */
    /* The peer reads it all: room. */
    size_t drained = 0;
    while (drained < filled) {
        ssize_t n = recv(sv[1], chunk, sizeof(chunk), MSG_DONTWAIT);
        if (n <= 0)
            break;
        drained += (size_t)n;
    }
    CHECK_EQ(drained, filled);
    uint64_t deadline = tide_time_ns() + 5000000000ull;
    while (w.calls == 0 && tide_time_ns() < deadline)
        CHECK(tide_reactor_run(r, TIDE_RUN_ONCE) >= 0);
    CHECK_EQ(w.calls, 1);
    /* A writable socket calls back at once; one cancelled first never does. */
    room_t again = {0};
    again.op = tide_reactor_poll_out(r, sv[0], on_room, &again, &err);
    CHECK(again.op != NULL);
    deadline = tide_time_ns() + 5000000000ull;
    while (again.calls == 0 && tide_time_ns() < deadline)
        CHECK(tide_reactor_run(r, TIDE_RUN_ONCE) >= 0);
    CHECK_EQ(again.calls, 1);
    room_t never = {0};
    never.op = tide_reactor_poll_out(r, sv[0], on_room, &never, &err);
    CHECK(never.op != NULL);
    tide_reactor_cancel(r, never.op);
    CHECK(tide_reactor_run(r, TIDE_RUN_NOWAIT) >= 0);
    CHECK(tide_reactor_run(r, TIDE_RUN_NOWAIT) >= 0);
    CHECK_EQ(never.calls, 0);
    close(sv[0]);
    close(sv[1]);
    CHECK(tide_reactor_run(r, TIDE_RUN_DEFAULT) >= 0);
    tide_reactor_destroy(r);
}

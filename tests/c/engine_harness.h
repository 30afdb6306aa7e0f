/* SPDX-License-Identifier: MIT */
/*
 * What the engine tests share: a server on 127.0.0.1 with recording handlers, driven one
 * loop turn at a time (a 5 ms ticking timer makes every TIDE_RUN_ONCE return), and plain
 * blocking client sockets in between.
 */
#ifndef TIDE_TEST_ENGINE_HARNESS_H
#define TIDE_TEST_ENGINE_HARNESS_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test.h"
#include "tide/common.h"
#include "tide/log.h"
#include "tide/conntab.h"
#include "tide/engine.h"
#include "tide/sock.h"

typedef struct msg {
    uint64_t session;
    size_t len;
    char *data;
} msg_t;

typedef struct srv srv_t;
struct srv {
    tide_reactor_t *r;
    tide_conntab_t tab;
    tide_engine_t *e;
    tide_port_t port;
    uint64_t tick;
    /* What the handlers saw. */
    uint64_t conns[64];
    int nconn;
    uint64_t closed[64];
    int nclosed;
    msg_t *msgs;
    int nmsg, msg_cap;
    int packets;
    /* Per-test behaviour. */
    void (*on_connect)(srv_t *s, tide_conninfo_t *c);
    void (*on_receive)(srv_t *s, tide_conninfo_t *c, const char *data, size_t len);
    void (*on_close)(srv_t *s, tide_conninfo_t *c);
    void (*on_packet)(srv_t *s, tide_port_t *p, const struct sockaddr *addr, socklen_t alen,
                      const char *data, size_t len);
    void *arg;
    /* Messages stay in flight (tide_engine_done not called at once) while this is set. */
    bool keep_inflight;
    /* This many next messages (and datagrams) are refused with TIDE_ENGINE_HOLD. */
    int hold_next, hold_packets;
    int holds; /* refusals so far */
    int spooled; /* messages whose body came in a file */
};

static int warnings;

static inline void quiet_sink(int level, const char *line, void *udata)
{
    TIDE_UNUSED(line);
    TIDE_UNUSED(udata);
    if (level >= TIDE_LOG_WARNING)
        warnings++;
}

static inline void h_connect(void *udata, tide_conninfo_t *c)
{
    srv_t *s = udata;
    CHECK(s->nconn < 64);
    CHECK(c->session != 0);
    CHECK(tide_conntab_find(&s->tab, c->session) == c);
    s->conns[s->nconn++] = c->session;
    if (s->on_connect)
        s->on_connect(s, c);
}

static inline int h_receive(void *udata, tide_conninfo_t *c, const char *data, size_t len)
{
    srv_t *s = udata;
    if (s->hold_next > 0) {
        s->hold_next--;
        s->holds++;
        return TIDE_ENGINE_HOLD;
    }
    CHECK(!(c->flags & TIDE_CONN_CLOSING));
    CHECK(!(c->flags & TIDE_CONN_PAUSED)); /* nothing is received while paused */
    if (s->nmsg == s->msg_cap) {
        s->msg_cap = s->msg_cap ? 2 * s->msg_cap : 64;
        s->msgs = realloc(s->msgs, (size_t)s->msg_cap * sizeof(msg_t));
    }
    msg_t *m = &s->msgs[s->nmsg++];
    m->session = c->session;
    m->len = len;
    m->data = malloc(len + 1);
    memcpy(m->data, data, len);
    m->data[len] = 0;
    if (s->on_receive)
        s->on_receive(s, c, data, len);
    if (!s->keep_inflight)
        tide_engine_done(s->e, c->session, 1);
    return TIDE_ENGINE_TAKEN;
}

/* A spooled message is recorded as its head followed by the file's bytes. */
static inline int h_receive_spooled(void *udata, tide_conninfo_t *c, const char *data, size_t len,
                                    int fd, uint64_t body_len)
{
    srv_t *s = udata;
    char *all = malloc(len + body_len);
    memcpy(all, data, len);
    CHECK_EQ(pread(fd, all + len, body_len, 0), (ssize_t)body_len);
    struct stat st;
    CHECK_EQ(fstat(fd, &st), 0);
    CHECK_EQ((uint64_t)st.st_size, body_len);
    CHECK_EQ(st.st_nlink, 0); /* unnamed: gone with its last descriptor */
    close(fd);
    bool keep = s->keep_inflight;
    s->keep_inflight = true;
    int rc = h_receive(udata, c, all, len + body_len);
    s->keep_inflight = keep;
    free(all);
    if (rc == TIDE_ENGINE_TAKEN) {
        s->spooled++;
        if (!keep)
            tide_engine_done(s->e, c->session, 1);
    }
    return rc;
}

static inline void h_close(void *udata, tide_conninfo_t *c)
{
    srv_t *s = udata;
    CHECK(s->nclosed < 64);
    /* The close handler runs once per connection. */
    for (int i = 0; i < s->nclosed; i++)
        CHECK(s->closed[i] != c->session);
    CHECK(c->flags & TIDE_CONN_CLOSING);
    /* Still findable while the handler runs. */
    CHECK(tide_conntab_find(&s->tab, c->session) == c);
    s->closed[s->nclosed++] = c->session;
    if (s->on_close)
        s->on_close(s, c);
}

static inline int h_packet(void *udata, tide_port_t *p, const struct sockaddr *addr, socklen_t alen,
                    const char *data, size_t len)
{
    srv_t *s = udata;
    if (s->hold_packets > 0) {
        s->hold_packets--;
        s->holds++;
        return TIDE_ENGINE_HOLD;
    }
    s->packets++;
    if (s->on_packet)
        s->on_packet(s, p, addr, alen, data, len);
    return TIDE_ENGINE_TAKEN;
}

static const tide_engine_handlers_t handlers = {.connect = h_connect,
                                                .receive = h_receive,
                                                .receive_spooled = h_receive_spooled,
                                                .close = h_close,
                                                .packet = h_packet};

static inline void on_deadline(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(id);
    FAILF("deadline reached: %s", (const char *)udata);
}

static inline void on_tick(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(udata);
    TIDE_UNUSED(id);
}

static inline void port_init(tide_port_t *p, int index, int type, const char *host)
{
    char why[256];
    memset(p, 0, sizeof(*p));
    p->index = index;
    p->type = type;
    snprintf(p->host, sizeof(p->host), "%s", host);
    p->fd = tide_sock_listen(type, host, 0, 128, false, true, why, sizeof(why));
    if (p->fd < 0)
        FAILF("tide_sock_listen: %s", why);
    p->port = tide_sock_port(p->fd);
    if (type != TIDE_SOCK_UNIX_STREAM && type != TIDE_SOCK_UNIX_DGRAM)
        CHECK(p->port > 0);
}

/* A server on 127.0.0.1 (port 0) with the given framing and options; frame may be NULL; a
 * protocol (with its options and spool directory) when proto is not NULL. */
static inline void srv_start_proto(srv_t *s, tide_backend_t backend, int type,
                                   const tide_frame_opts_t *frame, const tide_engine_opts_t *opts,
                                   const tide_proto_t *proto, const void *proto_opts,
                                   const char *spool_dir)
{
    memset(s, 0, sizeof(*s));
    tide_log_set_sink(quiet_sink, NULL);
    s->r = test_reactor(backend);
    CHECK_EQ(tide_conntab_create(&s->tab, 1, 32, 4), 0);
    port_init(&s->port, 0, type, "127.0.0.1");
    if (frame)
        s->port.frame = *frame;
    s->port.proto = proto;
    s->port.proto_opts = proto_opts;
    s->port.spool_dir = spool_dir;
    tide_engine_opts_t none = {0};
    s->e = tide_engine_create(s->r, &s->tab, 0, opts ? opts : &none, &handlers, s);
    CHECK(s->e != NULL);
    CHECK_EQ(tide_engine_add_port(s->e, &s->port), 0);
    s->tick = tide_timer_add(s->r, 5, 5, on_tick, NULL);
}

static inline void srv_start(srv_t *s, tide_backend_t backend, int type, const tide_frame_opts_t *frame,
                      const tide_engine_opts_t *opts)
{
    srv_start_proto(s, backend, type, frame, opts, NULL, NULL, NULL);
}

static inline bool count_live(const tide_conninfo_t *c, void *arg)
{
    TIDE_UNUSED(c);
    (*(int *)arg)++;
    return true;
}

static inline void srv_stop(srv_t *s)
{
    tide_engine_destroy(s->e);
    s->e = NULL;
    tide_timer_cancel(s->r, s->tick);
    tide_reactor_destroy(s->r);
    /* Every connection's slot went back to the table. */
    tide_conntab_stats_t st;
    tide_conntab_sum(&s->tab, &st);
    CHECK_EQ(st.connection_num, 0);
    int live = 0;
    tide_conntab_each(&s->tab, 0, count_live, &live);
    CHECK_EQ(live, 0);
    tide_conntab_destroy(&s->tab);
    close(s->port.fd);
    for (int i = 0; i < s->nmsg; i++)
        free(s->msgs[i].data);
    free(s->msgs);
}

#define PUMP_UNTIL(s, cond)                                                                        \
    do {                                                                                           \
        uint64_t dl_ = tide_time_ns() + 3000000000ull;                                             \
        while (!(cond)) {                                                                          \
            if (tide_time_ns() > dl_)                                                              \
                FAILF("timed out waiting for %s", #cond);                                          \
            int rc_ = tide_reactor_run((s)->r, TIDE_RUN_ONCE);                                     \
            CHECK(rc_ >= 0);                                                                       \
        }                                                                                          \
    } while (0)

static inline void pump_ms(srv_t *s, int ms)
{
    uint64_t until = tide_time_ns() + (uint64_t)ms * 1000000ull;
    while (tide_time_ns() < until)
        CHECK(tide_reactor_run(s->r, TIDE_RUN_ONCE) >= 0);
}

static inline int client_connect(const srv_t *s)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port.port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    CHECK_EQ(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

static inline int client_local_port(int fd)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);
    CHECK_EQ(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    return ntohs(sa.sin_port);
}

static inline void client_write(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        CHECK(n > 0);
        p += n;
        len -= (size_t)n;
    }
}

static inline void client_puts(int fd, const char *s)
{
    client_write(fd, s, strlen(s));
}

/* Reads until `want` bytes came (the loop runs meanwhile), or EOF or an error (*end gets 0
 * or -errno then; 1 while the connection is open). */
static inline size_t client_read(srv_t *s, int fd, char *buf, size_t want, int *end)
{
    size_t got = 0;
    uint64_t dl = tide_time_ns() + 3000000000ull;
    *end = 1;
    while (got < want) {
        ssize_t n = recv(fd, buf + got, want - got, MSG_DONTWAIT);
        if (n > 0) {
            got += (size_t)n;
            dl = tide_time_ns() + 3000000000ull; /* a time limit without progress */
            continue;
        }
        if (n == 0) {
            *end = 0;
            break;
        }
        if (errno != EAGAIN && errno != EINTR) {
            *end = -errno;
            break;
        }
        if (tide_time_ns() > dl)
            FAILF("timed out reading %zu bytes (got %zu)", want, got);
        CHECK(tide_reactor_run(s->r, TIDE_RUN_ONCE) >= 0);
    }
    return got;
}

static inline void client_expect(srv_t *s, int fd, const char *want)
{
    size_t len = strlen(want);
    char *buf = malloc(len + 1);
    int end;
    size_t got = client_read(s, fd, buf, len, &end);
    buf[got] = 0;
    if (got != len || memcmp(buf, want, len))
        FAILF("client read \"%s\", wanted \"%s\"", buf, want);
    free(buf);
}

/* Runs the loop until the server ends the connection: 0 for EOF, -errno for a reset.
 * Bytes that come first are discarded (their count in *bytes, may be NULL). */
static inline int client_wait_end(srv_t *s, int fd, size_t *bytes)
{
    char buf[65536];
    size_t total = 0;
    for (;;) {
        int end;
        total += client_read(s, fd, buf, sizeof(buf), &end);
        if (end <= 0) {
            if (bytes)
                *bytes = total;
            return end;
        }
    }
}

/* Nothing arrives at the client (EAGAIN) right now. */
static inline void client_nothing(int fd)
{
    char c;
    ssize_t n = recv(fd, &c, 1, MSG_DONTWAIT);
    if (n >= 0)
        FAILF("the client read %zd byte(s) where nothing was due", n);
    CHECK(errno == EAGAIN || errno == EWOULDBLOCK);
}

static inline bool was_closed(const srv_t *s, uint64_t session)
{
    for (int i = 0; i < s->nclosed; i++)
        if (s->closed[i] == session)
            return true;
    return false;
}

#endif

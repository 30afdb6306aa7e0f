/* SPDX-License-Identifier: MIT */
/*
 * The engine's requests in flight (tide/engine.h): the per-connection bound, messages the
 * owner refuses (HOLD) and lets proceed, a peer that closes its side while requests are in
 * flight, held datagrams, and sendfile reads that never block the loop.
 */
#include "engine_harness.h"
#include "tide/http1.h"
#include "tide/websocket.h"

static const tide_frame_opts_t lines = {.mode = TIDE_FRAME_EOF, .eof_split = true, .eof = "\n",
                                        .eof_len = 1};

static int seen(const srv_t *s, const char *what)
{
    for (int i = 0; i < s->nmsg; i++)
        if (strcmp(s->msgs[i].data, what) == 0)
            return i;
    return -1;
}

REACTOR_TEST(engine_connection_at_its_bound_is_not_read_until_a_request_is_done)
{
    srv_t s;
    tide_engine_opts_t o = {.conn_max_inflight = 2};
    srv_start(&s, backend, TIDE_SOCK_TCP, &lines, &o);
    s.keep_inflight = true;
    int c = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);
    client_puts(c, "a\nb\nc\nd\n");
    PUMP_UNTIL(&s, s.nmsg == 2);
    pump_ms(&s, 50);
    CHECK_EQ(s.nmsg, 2); /* c and d wait */
    tide_conninfo_t *info = tide_conntab_find(&s.tab, s.conns[0]);
    CHECK_EQ(info->inflight, 2);
    /* More bytes meanwhile wait behind them, in order. */
    client_puts(c, "e\n");
    pump_ms(&s, 30);
    CHECK_EQ(s.nmsg, 2);
    tide_engine_done(s.e, s.conns[0], 1);
    PUMP_UNTIL(&s, s.nmsg == 3);
    pump_ms(&s, 30);
    CHECK_EQ(s.nmsg, 3);
    tide_engine_done(s.e, s.conns[0], 2);
    PUMP_UNTIL(&s, s.nmsg == 5);
    CHECK_STR(s.msgs[2].data, "c\n");
    CHECK_STR(s.msgs[3].data, "d\n");
    CHECK_STR(s.msgs[4].data, "e\n");
    CHECK_EQ(info->inflight, 2); /* d and e: at the bound again */
    /* done for more than is in flight, or for a gone connection, changes nothing */
    tide_engine_done(s.e, s.conns[0], 10);
    CHECK_EQ(info->inflight, 0);
    tide_engine_done(s.e, 987654, 1);
    close(c);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    srv_stop(&s);
}

REACTOR_TEST(engine_held_message_comes_again_after_proceed_in_order)
{
    srv_t s;
    srv_start(&s, backend, TIDE_SOCK_TCP, &lines, NULL);
    int c = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);
    s.hold_next = 1;
    client_puts(c, "first\nsecond\n");
    PUMP_UNTIL(&s, s.holds == 1);
    pump_ms(&s, 30);
    CHECK_EQ(s.nmsg, 0);
    CHECK_EQ(s.holds, 1); /* refused once: the engine does not offer it again by itself */
    client_puts(c, "third\n");
    pump_ms(&s, 30);
    CHECK_EQ(s.nmsg, 0);
    tide_engine_proceed(s.e, s.conns[0]);
    tide_engine_proceed(s.e, s.conns[0]); /* twice is once */
    PUMP_UNTIL(&s, s.nmsg == 3);
    CHECK_STR(s.msgs[0].data, "first\n");
    CHECK_STR(s.msgs[1].data, "second\n");
    CHECK_STR(s.msgs[2].data, "third\n");
    /* A refusal in the middle of a read keeps what follows. */
    s.hold_next = 1;
    client_puts(c, "x\ny\n");
    PUMP_UNTIL(&s, s.holds == 2);
    CHECK_EQ(s.nmsg, 3);
    tide_engine_proceed(s.e, s.conns[0]);
    PUMP_UNTIL(&s, s.nmsg == 5);
    CHECK_STR(s.msgs[3].data, "x\n");
    CHECK_STR(s.msgs[4].data, "y\n");
    close(c);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    srv_stop(&s);
}

REACTOR_TEST(engine_unframed_message_held_comes_again_with_what_followed)
{
    srv_t s;
    srv_start(&s, backend, TIDE_SOCK_TCP, NULL, NULL);
    int c = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);
    s.hold_next = 1;
    client_puts(c, "raw bytes");
    PUMP_UNTIL(&s, s.holds == 1);
    client_puts(c, " and more");
    pump_ms(&s, 30);
    CHECK_EQ(s.nmsg, 0);
    tide_engine_proceed(s.e, s.conns[0]);
    PUMP_UNTIL(&s, s.nmsg >= 1);
    /* Without framing, what a read gave goes as one message: the held bytes come first. */
    size_t total = 0;
    char all[64] = {0};
    for (int i = 0; i < s.nmsg; i++) {
        memcpy(all + total, s.msgs[i].data, s.msgs[i].len);
        total += s.msgs[i].len;
    }
    while (total < 18) {
        PUMP_UNTIL(&s, s.nmsg > 0);
        pump_ms(&s, 10);
        total = 0;
        for (int i = 0; i < s.nmsg; i++) {
            memcpy(all + total, s.msgs[i].data, s.msgs[i].len);
            total += s.msgs[i].len;
        }
    }
    CHECK_STR(all, "raw bytes and more");
    close(c);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    srv_stop(&s);
}

REACTOR_TEST(engine_half_closed_peer_gets_its_replies_before_the_close)
{
    srv_t s;
    srv_start(&s, backend, TIDE_SOCK_TCP, &lines, NULL);
    s.keep_inflight = true;
    int c = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);
    client_puts(c, "question\n");
    CHECK_EQ(shutdown(c, SHUT_WR), 0);
    PUMP_UNTIL(&s, s.nmsg == 1);
    pump_ms(&s, 50);
    CHECK_EQ(s.nclosed, 0); /* EOF came, but the request is in flight */
    CHECK(tide_conntab_find(&s.tab, s.conns[0]) != NULL);
    CHECK_EQ(tide_engine_send(s.e, s.conns[0], "answer\n", 7), 0);
    client_expect(&s, c, "answer\n");
    tide_engine_done(s.e, s.conns[0], 1);
    PUMP_UNTIL(&s, s.nclosed == 1);
    size_t more = 0;
    CHECK_EQ(client_wait_end(&s, c, &more), 0);
    CHECK_EQ(more, 0);
    close(c);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    srv_stop(&s);
}

REACTOR_TEST(engine_half_closed_peer_still_gets_messages_held_by_the_bound)
{
    srv_t s;
    tide_engine_opts_t o = {.conn_max_inflight = 1};
    srv_start(&s, backend, TIDE_SOCK_TCP, &lines, &o);
    s.keep_inflight = true;
    int c = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);
    client_puts(c, "one\ntwo\nthree\nunfinished");
    CHECK_EQ(shutdown(c, SHUT_WR), 0);
    PUMP_UNTIL(&s, s.nmsg == 1);
    pump_ms(&s, 30);
    CHECK_EQ(s.nmsg, 1);
    for (int i = 2; i <= 3; i++) {
        tide_engine_done(s.e, s.conns[0], 1);
        PUMP_UNTIL(&s, s.nmsg == i);
        CHECK_EQ(s.nclosed, 0);
    }
    CHECK(seen(&s, "three\n") == 2);
    /* The last request done: what is left is an incomplete message, and the peer is gone. */
    tide_engine_done(s.e, s.conns[0], 1);
    PUMP_UNTIL(&s, s.nclosed == 1);
    CHECK_EQ(s.nmsg, 3);
    CHECK_EQ(client_wait_end(&s, c, NULL), 0);
    close(c);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    srv_stop(&s);
}

REACTOR_TEST(engine_half_closed_peer_with_nothing_in_flight_is_closed_at_once)
{
    srv_t s;
    srv_start(&s, backend, TIDE_SOCK_TCP, &lines, NULL);
    int c = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);
    client_puts(c, "done at once\n");
    CHECK_EQ(shutdown(c, SHUT_WR), 0);
    PUMP_UNTIL(&s, s.nclosed == 1);
    CHECK_EQ(s.nmsg, 1);
    close(c);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    srv_stop(&s);
}

static int udp_client(const srv_t *s, struct sockaddr_in *to)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    CHECK(fd >= 0);
    memset(to, 0, sizeof(*to));
    to->sin_family = AF_INET;
    to->sin_port = htons((uint16_t)s->port.port);
    to->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return fd;
}

REACTOR_TEST(engine_held_datagram_stops_the_port_until_it_may_proceed)
{
    srv_t s;
    srv_start(&s, backend, TIDE_SOCK_UDP, NULL, NULL);
    struct sockaddr_in to;
    int fd = udp_client(&s, &to);
    s.hold_packets = 1;
    CHECK_EQ(sendto(fd, "one", 3, 0, (struct sockaddr *)&to, sizeof(to)), 3);
    PUMP_UNTIL(&s, s.holds == 1);
    CHECK(s.port.watch == NULL); /* the port is not read */
    CHECK_EQ(sendto(fd, "two", 3, 0, (struct sockaddr *)&to, sizeof(to)), 3);
    pump_ms(&s, 30);
    CHECK_EQ(s.packets, 0);
    tide_engine_port_proceed(s.e, &s.port);
    PUMP_UNTIL(&s, s.packets == 2);
    CHECK(s.port.watch != NULL);
    tide_conntab_stats_t st;
    tide_conntab_sum(&s.tab, &st);
    CHECK_EQ(st.request_count, 2); /* a refused datagram is not counted twice */
    close(fd);
    srv_stop(&s);
}

/* ---- sendfile does not block the loop ---- */

static void count_tick(tide_reactor_t *r, void *udata, uint64_t id)
{
    TIDE_UNUSED(r);
    TIDE_UNUSED(id);
    (*(int *)udata)++;
}

REACTOR_TEST(engine_sendfile_waits_for_a_slow_file_without_blocking_the_loop)
{
    srv_t s;
    srv_start(&s, backend, TIDE_SOCK_TCP, &lines, NULL);
    int c = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);
    /* A FIFO stands for a file whose pages are not in memory: a read of it waits. Opened
     * read-write so that neither open blocks. */
    char path[] = "/tmp/tide-fifo-XXXXXX";
    CHECK(mkdtemp(path) != NULL);
    char fifo[64];
    snprintf(fifo, sizeof(fifo), "%s/f", path);
    CHECK_EQ(mkfifo(fifo, 0600), 0);
    int rfd = open(fifo, O_RDWR | O_CLOEXEC);
    int wfd = open(fifo, O_WRONLY | O_CLOEXEC);
    CHECK(rfd >= 0 && wfd >= 0);
    CHECK_EQ(tide_engine_sendfile(s.e, s.conns[0], rfd, 0, 10), 0);
    CHECK_EQ(tide_engine_send(s.e, s.conns[0], "after\n", 6), 0);
    int ticks = 0;
    uint64_t t = tide_timer_add(s.r, 1, 1, count_tick, &ticks);
    PUMP_UNTIL(&s, ticks >= 20); /* the loop turns while the "file" has nothing */
    client_nothing(c);
    CHECK_EQ(write(wfd, "0123456789", 10), 10);
    client_expect(&s, c, "0123456789after\n");
    tide_timer_cancel(s.r, t);
    close(wfd);
    unlink(fifo);
    rmdir(path);
    close(c);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    srv_stop(&s);
}

/* Each queued file holds an open fd: past 64 on one connection sendfile is refused (and
 * closes the fd it was given), and the queue takes files again once they went out. */
REACTOR_TEST(engine_sendfile_bounds_the_files_queued_per_connection)
{
    srv_t s;
    srv_start(&s, backend, TIDE_SOCK_TCP, &lines, NULL);
    int c = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);
    char path[] = "/tmp/tide-files-XXXXXX";
    CHECK(mkdtemp(path) != NULL);
    char file[64];
    snprintf(file, sizeof(file), "%s/f", path);
    int w = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    CHECK_EQ(write(w, "x", 1), 1);
    close(w);
    int refused = 0, queued = 0, last = -1;
    for (int i = 0; i < 70; i++) {
        int fd = open(file, O_RDONLY | O_CLOEXEC);
        int rc = tide_engine_sendfile(s.e, s.conns[0], fd, 0, 1);
        if (rc == TIDE_EFULL) {
            refused++;
            last = fd;
        } else {
            CHECK_EQ(rc, 0);
            queued++;
        }
    }
    CHECK_EQ(queued + refused, 70);
    CHECK(queued >= 64 - 1 && queued <= 64); /* the first may be on its way already */
    CHECK(fcntl(last, F_GETFD) < 0); /* a refused file's fd is closed */
    char want[71];
    memset(want, 'x', (size_t)queued);
    want[queued] = 0;
    client_expect(&s, c, want);
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    CHECK_EQ(tide_engine_sendfile(s.e, s.conns[0], fd, 0, 1), 0); /* room again */
    client_expect(&s, c, "x");
    unlink(file);
    rmdir(path);
    close(c);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    srv_stop(&s);
}

/* Writes all of data while the loop runs (the server reads as the client writes). */
static void write_pumping(srv_t *s, int fd, const char *data, size_t len)
{
    uint64_t dl = tide_time_ns() + 5000000000ull;
    while (len) {
        ssize_t n = send(fd, data, len, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) {
            data += n;
            len -= (size_t)n;
            continue;
        }
        CHECK(n < 0 && (errno == EAGAIN || errno == EINTR));
        if (tide_time_ns() > dl)
            FAILF("timed out writing (%zu bytes left)", len);
        CHECK(tide_reactor_run(s->r, TIDE_RUN_ONCE) >= 0);
    }
}

/* An HTTP body over spool_min goes to an unnamed file in the port's spool directory as it
 * arrives, and the owner gets the head and that file; a small body stays in memory. */
REACTOR_TEST(engine_spools_a_large_http_body_to_an_unnamed_file)
{
    char dir[] = "/tmp/tide-spool-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    static const tide_http1_opts_t o = {.max_body = 1 << 20, .spool_min = 4096};
    srv_t s;
    srv_start_proto(&s, backend, TIDE_SOCK_TCP, NULL, NULL, &tide_proto_http1, &o, dir);
    int c = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);
    size_t n = 300000;
    char *req = malloc(n + 256);
    int hl = snprintf(req, 256, "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: %zu\r\n\r\n", n);
    for (size_t i = 0; i < n; i++)
        req[hl + (int)i] = (char)('A' + (i * 7 + i / 1000) % 26);
    const char small[] = "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";
    memcpy(req + hl + n, small, sizeof(small));
    write_pumping(&s, c, req, (size_t)hl + n + sizeof(small) - 1);
    PUMP_UNTIL(&s, s.nmsg == 2);
    CHECK_EQ(s.spooled, 1);
    CHECK_EQ(s.msgs[0].len, (size_t)hl + n);
    CHECK(memcmp(s.msgs[0].data, req, (size_t)hl + n) == 0);
    CHECK_STR(s.msgs[1].data, small);
    close(c);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    srv_stop(&s);
    free(req);
    CHECK_EQ(rmdir(dir), 0); /* nothing was left in it, nor named there */
}

/* A spool directory that cannot take the file: 500 and the connection closes; the next
 * connection is served. */
REACTOR_TEST(engine_a_body_that_cannot_be_spooled_is_answered_500)
{
    static const tide_http1_opts_t o = {.max_body = 1 << 20, .spool_min = 16};
    srv_t s;
    srv_start_proto(&s, backend, TIDE_SOCK_TCP, NULL, NULL, &tide_proto_http1, &o,
                    "/nonexistent/tide-spool");
    int c = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);
    client_puts(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n");
    PUMP_UNTIL(&s, tide_conntab_find(&s.tab, s.conns[0])->recv_bytes > 0);
    char body[100];
    memset(body, 'b', sizeof(body));
    client_write(c, body, sizeof(body));
    char got[40] = {0};
    int end;
    client_read(&s, c, got, 36, &end);
    CHECK(strncmp(got, "HTTP/1.1 500 Internal Server Error\r\n", 36) == 0);
    CHECK_EQ(client_wait_end(&s, c, NULL), 0);
    CHECK_EQ(s.nmsg, 0);
    close(c);
    c = client_connect(&s);
    client_puts(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    PUMP_UNTIL(&s, s.nmsg == 1);
    close(c);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    srv_stop(&s);
}

/* ---- a connection that switches protocol (an HTTP/1.1 Upgrade to WebSocket) ---- */

/* A masked client frame (FIN, opcode) with its payload into out: its length. */
static size_t ws_client_frame(char *out, uint8_t opcode, const char *payload)
{
    static const uint8_t key[4] = {0x11, 0x22, 0x33, 0x44};
    size_t n = strlen(payload);
    size_t h = tide_ws_frame_head(out, 0x80 | opcode, n, key);
    memcpy(out + h, payload, n);
    tide_ws_mask(out + h, n, key, 0);
    return h + n;
}

static const char upgrade_req[] = "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                                  "Connection: Upgrade\r\n\r\n";

/* The handler of the Upgrade request switches at once, inside the old protocol's feed. */
static void switch_in_handler(srv_t *s, tide_conninfo_t *c, const char *data, size_t len)
{
    TIDE_UNUSED(len);
    if (data[0] != 'G')
        return;
    tide_engine_send(s->e, c->session, "101\r\n", 5);
    CHECK_EQ(tide_engine_control(s->e, c->session, TIDE_PROTO_CTL_UPGRADE, NULL, 0), 0);
    /* a second switch is refused */
    CHECK_EQ(tide_engine_control(s->e, c->session, TIDE_PROTO_CTL_UPGRADE, NULL, 0), -EINVAL);
}

/* The frames a client sent behind its Upgrade request, in the same write, reach the new
 * protocol in order, whether the owner switches from inside the request's handler (MODE_BASE)
 * or later (MODE_PROCESS: the switch comes over a link); a ping is answered by the new
 * protocol; the slot says TIDE_CONN_UPGRADED; a port with no upgrade protocol refuses. */
REACTOR_TEST(engine_switches_a_connection_to_its_upgrade_protocol_with_the_bytes_behind_the_request)
{
    static const tide_http1_opts_t o = {.max_body = 1 << 20};
    static const tide_ws_opts_t wo = {.max_len = 1 << 20};
    for (int later = 0; later < 2; later++) {
        srv_t s;
        srv_start_proto(&s, backend, TIDE_SOCK_TCP, NULL, NULL, &tide_proto_http1, &o, NULL);
        s.port.upgrade = &tide_proto_websocket;
        s.port.upgrade_opts = &wo;
        if (!later)
            s.on_receive = switch_in_handler;
        else
            s.keep_inflight = true;
        int c = client_connect(&s);
        PUMP_UNTIL(&s, s.nconn == 1);
        char buf[512];
        size_t n = sizeof(upgrade_req) - 1;
        memcpy(buf, upgrade_req, n);
        n += ws_client_frame(buf + n, TIDE_WS_TEXT, "first");
        n += ws_client_frame(buf + n, TIDE_WS_PING, "are you there");
        n += ws_client_frame(buf + n, TIDE_WS_BINARY, "second");
        client_write(c, buf, n);
        PUMP_UNTIL(&s, s.nmsg >= 1);
        if (later) {
            pump_ms(&s, 20);
            CHECK_EQ(s.nmsg, 1); /* the request is in flight: nothing more is handed out */
            tide_engine_send(s.e, s.conns[0], "101\r\n", 5);
            CHECK_EQ(tide_engine_control(s.e, s.conns[0], TIDE_PROTO_CTL_UPGRADE, NULL, 0), 0);
            s.keep_inflight = false;
            tide_engine_done(s.e, s.conns[0], 1);
        }
        PUMP_UNTIL(&s, s.nmsg == 3);
        CHECK(memcmp(s.msgs[0].data, "GET /ws", 7) == 0);
        for (int i = 1; i < 3; i++) {
            CHECK_EQ((uint8_t)s.msgs[i].data[0], TIDE_WS_MSG_MAGIC);
            CHECK_EQ(s.msgs[i].data[1], i == 1 ? TIDE_WS_TEXT : TIDE_WS_BINARY);
            CHECK_STR(s.msgs[i].data + sizeof(tide_ws_msg_t), i == 1 ? "first" : "second");
        }
        tide_conninfo_t *info = tide_conntab_find(&s.tab, s.conns[0]);
        CHECK(info && (tide_conninfo_flags(info) & TIDE_CONN_UPGRADED));
        /* "101\r\n", then the pong of "are you there" */
        char got[64];
        int end;
        size_t want = 5 + 2 + 13;
        CHECK_EQ(client_read(&s, c, got, want, &end), want);
        CHECK(memcmp(got, "101\r\n", 5) == 0);
        CHECK_EQ((uint8_t)got[5], 0x80 | TIDE_WS_PONG);
        CHECK(memcmp(got + 7, "are you there", 13) == 0);
        close(c);
        PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
        srv_stop(&s);
    }
    /* no upgrade protocol on the port */
    srv_t s;
    srv_start_proto(&s, backend, TIDE_SOCK_TCP, NULL, NULL, &tide_proto_http1, &o, NULL);
    s.keep_inflight = true;
    int c = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);
    client_write(c, upgrade_req, sizeof(upgrade_req) - 1);
    PUMP_UNTIL(&s, s.nmsg == 1);
    CHECK_EQ(tide_engine_control(s.e, s.conns[0], TIDE_PROTO_CTL_UPGRADE, NULL, 0), -EINVAL);
    CHECK_EQ(tide_engine_control(s.e, 999999, TIDE_PROTO_CTL_UPGRADE, NULL, 0), TIDE_ECLOSED);
    tide_engine_done(s.e, s.conns[0], 1);
    close(c);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    srv_stop(&s);
}

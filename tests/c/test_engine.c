/* SPDX-License-Identifier: MIT */
/*
 * The connection engine (src/server/engine.c, sock.c) over real sockets on 127.0.0.1, on
 * every reactor backend: accepting, framing, sending, closing, pause, limits, heartbeat,
 * stopping, datagrams.
 */
#include "engine_harness.h"

/* ---- accept and framing ---- */

static void check_peer(srv_t *s, uint64_t session, int client)
{
    tide_conninfo_t *c = tide_conntab_find(&s->tab, session);
    CHECK(c != NULL);
    CHECK_STR(c->remote_ip, "127.0.0.1");
    CHECK_EQ(c->remote_port, client_local_port(client));
    CHECK_EQ(c->port, s->port.index);
    CHECK_EQ(c->worker, -1);
    CHECK(c->fd >= 0);
    CHECK(c->connect_time > 0);
}

REACTOR_TEST(engine_accepts_and_splits_eof_packages)
{
    srv_t s;
    tide_frame_opts_t fo = {.mode = TIDE_FRAME_EOF, .eof_split = true, .eof = "\r\n", .eof_len = 2};
    srv_start(&s, backend, TIDE_SOCK_TCP, &fo, NULL);
    int a = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);
    check_peer(&s, s.conns[0], a);
    CHECK_EQ(tide_engine_connections(s.e), 1);

    client_puts(a, "hel");
    pump_ms(&s, 30);
    CHECK_EQ(s.nmsg, 0); /* no eof yet */
    client_puts(a, "lo\r");
    pump_ms(&s, 30);
    CHECK_EQ(s.nmsg, 0); /* half an eof */
    client_puts(a, "\nwor");
    PUMP_UNTIL(&s, s.nmsg == 1);
    client_puts(a, "ld\r\n!\r\n\r\n");
    PUMP_UNTIL(&s, s.nmsg == 4);
    CHECK_STR(s.msgs[0].data, "hello\r\n");
    CHECK_STR(s.msgs[1].data, "world\r\n");
    CHECK_STR(s.msgs[2].data, "!\r\n");
    CHECK_STR(s.msgs[3].data, "\r\n");
    for (int i = 0; i < 4; i++)
        CHECK_EQ(s.msgs[i].session, s.conns[0]);
    tide_conninfo_t *c = tide_conntab_find(&s.tab, s.conns[0]);
    CHECK_EQ(c->recv_bytes, strlen("hello\r\nworld\r\n!\r\n\r\n"));

    /* A second client gets a larger id; both are counted. */
    int b = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 2);
    CHECK(s.conns[1] > s.conns[0]);
    check_peer(&s, s.conns[1], b);
    client_puts(b, "x\r\n");
    PUMP_UNTIL(&s, s.nmsg == 5);
    CHECK_EQ(s.msgs[4].session, s.conns[1]);
    tide_conntab_stats_t st;
    tide_conntab_sum(&s.tab, &st);
    CHECK_EQ(st.accept_count, 2);
    CHECK_EQ(st.connection_num, 2);
    CHECK_EQ(st.request_count, 5);

    close(a);
    close(b);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    CHECK_EQ(s.nclosed, 2);
    srv_stop(&s);
}

static size_t put_pkg(char *out, const char *body, size_t len)
{
    uint32_t n = htonl((uint32_t)len);
    memcpy(out, &n, 4);
    memcpy(out + 4, body, len);
    return len + 4;
}

REACTOR_TEST(engine_frames_length_prefixed_packages_split_across_writes)
{
    srv_t s;
    tide_frame_opts_t fo = {.mode = TIDE_FRAME_LENGTH, .length_type = 'N', .length_offset = 0,
                            .body_offset = 4};
    srv_start(&s, backend, TIDE_SOCK_TCP, &fo, NULL);
    int a = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);

    char big[3000];
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)('a' + i % 26);
    char wire[8192];
    size_t n = 0;
    n += put_pkg(wire + n, "A", 1);
    n += put_pkg(wire + n, big, sizeof(big));
    n += put_pkg(wire + n, "xyz", 3);
    n += put_pkg(wire + n, "last", 4);
    /* Byte by byte through the first header, then cut inside the big body. */
    size_t cuts[] = {1, 2, 3, 4, 5, 6, 100, 2000, 3009, 3011, n};
    size_t off = 0;
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        client_write(a, wire + off, cuts[i] - off);
        off = cuts[i];
        if (off == 5)
            PUMP_UNTIL(&s, s.nmsg == 1);
        else
            pump_ms(&s, 2);
        if (off < 5)
            CHECK_EQ(s.nmsg, 0);
        if (off < 3009)
            CHECK(s.nmsg <= 1);
    }
    PUMP_UNTIL(&s, s.nmsg == 4);
    CHECK_EQ(s.msgs[0].len, 5);
    CHECK(memcmp(s.msgs[0].data, wire, 5) == 0);
    CHECK_EQ(s.msgs[1].len, 4 + sizeof(big));
    CHECK(memcmp(s.msgs[1].data + 4, big, sizeof(big)) == 0);
    CHECK_EQ(s.msgs[2].len, 7);
    CHECK(memcmp(s.msgs[2].data + 4, "xyz", 3) == 0);
    CHECK_EQ(s.msgs[3].len, 8);
    CHECK(memcmp(s.msgs[3].data + 4, "last", 4) == 0);

    /* Many packages in one write arrive one by one. */
    n = 0;
    for (int i = 0; i < 100; i++) {
        char body[16];
        int len = snprintf(body, sizeof(body), "%d", i);
        n += put_pkg(wire + n, body, (size_t)len);
    }
    client_write(a, wire, n);
    PUMP_UNTIL(&s, s.nmsg == 104);
    for (int i = 0; i < 100; i++) {
        char body[16];
        snprintf(body, sizeof(body), "%d", i);
        CHECK_STR(s.msgs[4 + i].data + 4, body);
    }
    close(a);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    srv_stop(&s);
}

/* ---- sending ---- */

static int server_fd_of(srv_t *s, uint64_t session)
{
    tide_conninfo_t *c = tide_conntab_find(&s->tab, session);
    CHECK(c != NULL);
    return c->fd;
}

static uint32_t data_segs_out(int fd)
{
    struct tcp_info ti;
    socklen_t len = sizeof(ti);
    memset(&ti, 0, sizeof(ti));
    CHECK_EQ(getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len), 0);
    return ti.tcpi_data_segs_out;
}

typedef struct send_state {
    int client;
    uint32_t segs_before;
} send_state_t;

static void reply_in_pieces(srv_t *s, tide_conninfo_t *c, const char *data, size_t len)
{
    TIDE_UNUSED(data);
    TIDE_UNUSED(len);
    send_state_t *st = s->arg;
    st->segs_before = data_segs_out(c->fd);
    CHECK_EQ(tide_engine_send(s->e, c->session, "one,", 4), 0);
    CHECK_EQ(tide_engine_send(s->e, c->session, "", 0), 0);
    CHECK_EQ(tide_engine_send(s->e, c->session, "two,", 4), 0);
    CHECK_EQ(tide_engine_send(s->e, c->session, "three", 5), 0);
    CHECK_EQ(c->out_bytes, 13);
    /* Nothing is written before the loop turn ends. */
    client_nothing(st->client);
}

REACTOR_TEST(engine_sends_of_one_turn_arrive_in_order_as_one_write)
{
    srv_t s;
    srv_start(&s, backend, TIDE_SOCK_TCP, NULL, NULL);
    s.port.tcp_nodelay = true;
    send_state_t st = {0};
    s.arg = &st;
    s.on_receive = reply_in_pieces;
    st.client = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);
    client_puts(st.client, "go");
    client_expect(&s, st.client, "one,two,three");
    /* One write: one TCP segment (the pieces were gathered into a single send). */
    int sfd = server_fd_of(&s, s.conns[0]);
    CHECK_EQ(data_segs_out(sfd) - st.segs_before, 1);
    tide_conninfo_t *c = tide_conntab_find(&s.tab, s.conns[0]);
    PUMP_UNTIL(&s, c->out_bytes == 0 && c->sent_bytes == 13);

    /* A large send (several short writes underneath) from outside any handler. */
    size_t big = 4u << 20;
    char *data = malloc(big), *back = malloc(big);
    for (size_t i = 0; i < big; i++)
        data[i] = (char)(i * 13 + i / 1000);
    s.port.buffer_output_size = 8u << 20;
    CHECK_EQ(tide_engine_send(s.e, s.conns[0], data, big / 2), 0);
    CHECK_EQ(tide_engine_send(s.e, s.conns[0], data + big / 2, big / 2), 0);
    int end;
    CHECK_EQ(client_read(&s, st.client, back, big, &end), big);
    CHECK(memcmp(back, data, big) == 0);
    PUMP_UNTIL(&s, c->out_bytes == 0);
    CHECK_EQ(c->sent_bytes, 13 + big);
    free(data);
    free(back);
    close(st.client);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    srv_stop(&s);
}

/* ---- closing ---- */

static void reply_then_close(srv_t *s, tide_conninfo_t *c, const char *data, size_t len)
{
    TIDE_UNUSED(data);
    TIDE_UNUSED(len);
    CHECK_EQ(tide_engine_send(s->e, c->session, "bye", 3), 0);
    CHECK_EQ(tide_engine_close(s->e, c->session, false), 0);
    /* Closing: no more sends, no second close, and no more packages from this read. */
    CHECK_EQ(tide_engine_send(s->e, c->session, "x", 1), TIDE_ECLOSED);
    CHECK_EQ(tide_engine_close(s->e, c->session, false), TIDE_ECLOSED);
    CHECK_EQ(tide_engine_pause(s->e, c->session), TIDE_ECLOSED);
    CHECK_EQ(tide_engine_resume(s->e, c->session), TIDE_ECLOSED);
}

REACTOR_TEST(engine_close_from_the_receive_handler_flushes_first)
{
    srv_t s;
    tide_frame_opts_t fo = {.mode = TIDE_FRAME_EOF, .eof_split = true, .eof = "\n", .eof_len = 1};
    srv_start(&s, backend, TIDE_SOCK_TCP, &fo, NULL);
    s.on_receive = reply_then_close;
    int a = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);
    uint64_t id = s.conns[0];
    client_puts(a, "quit\nmore\nand more\n");
    client_expect(&s, a, "bye");
    int end;
    char c;
    client_read(&s, a, &c, 1, &end);
    CHECK_EQ(end, 0); /* then EOF */
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    CHECK_EQ(s.nmsg, 1); /* the packages after the close were not delivered */
    CHECK_EQ(s.nclosed, 1);
    CHECK_EQ(s.closed[0], id);
    CHECK(tide_conntab_find(&s.tab, id) == NULL);
    CHECK_EQ(tide_engine_send(s.e, id, "x", 1), TIDE_ECLOSED);
    CHECK_EQ(tide_engine_close(s.e, id, false), TIDE_ECLOSED);
    tide_conntab_stats_t st;
    tide_conntab_sum(&s.tab, &st);
    CHECK_EQ(st.close_count, 1);
    CHECK_EQ(st.connection_num, 0);
    close(a);
    srv_stop(&s);
}

REACTOR_TEST(engine_peer_close_runs_the_close_handler_once)
{
    srv_t s;
    srv_start(&s, backend, TIDE_SOCK_TCP, NULL, NULL);
    int a = client_connect(&s), b = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 2);
    client_puts(a, "last words");
    shutdown(a, SHUT_WR); /* data, then EOF */
    PUMP_UNTIL(&s, s.nclosed == 1);
    CHECK_EQ(s.nmsg, 1);
    CHECK_STR(s.msgs[0].data, "last words");
    uint64_t ida = s.msgs[0].session;
    CHECK_EQ(s.closed[0], ida);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 1);
    CHECK(tide_conntab_find(&s.tab, ida) == NULL);
    int end;
    char c;
    client_read(&s, a, &c, 1, &end);
    CHECK_EQ(end, 0);
    close(a);

    /* A reset by the peer closes too, once. */
    uint64_t idb = s.conns[0] == ida ? s.conns[1] : s.conns[0];
    struct linger lg = {1, 0};
    setsockopt(b, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    close(b);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    pump_ms(&s, 20);
    CHECK_EQ(s.nclosed, 2);
    CHECK_EQ(s.closed[1], idb);
    srv_stop(&s);
}

static void send_then_reset(srv_t *s, tide_conninfo_t *c, const char *data, size_t len)
{
    TIDE_UNUSED(data);
    TIDE_UNUSED(len);
    CHECK_EQ(tide_engine_send(s->e, c->session, "dropped", 7), 0);
    CHECK_EQ(tide_engine_close(s->e, c->session, true), 0);
    CHECK_EQ(c->out_bytes, 0); /* what was queued is dropped */
}

REACTOR_TEST(engine_reset_close_sends_rst_and_drops_queued_output)
{
    srv_t s;
    srv_start(&s, backend, TIDE_SOCK_TCP, NULL, NULL);
    s.on_receive = send_then_reset;
    int a = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);
    client_puts(a, "x");
    size_t bytes = 99;
    CHECK_EQ(client_wait_end(&s, a, &bytes), -ECONNRESET);
    CHECK_EQ(bytes, 0);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    CHECK_EQ(s.nclosed, 1);
    close(a);

    /* From outside a handler, with nothing queued. */
    s.on_receive = NULL;
    int b = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 2);
    CHECK_EQ(tide_engine_close(s.e, s.conns[1], true), 0);
    CHECK_EQ(s.nclosed, 2); /* the handler runs at once */
    CHECK_EQ(client_wait_end(&s, b, NULL), -ECONNRESET);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    close(b);
    srv_stop(&s);
}

/* ---- pause and resume ---- */

REACTOR_TEST(engine_pause_stops_receiving_and_resume_loses_nothing)
{
    srv_t s;
    tide_frame_opts_t fo = {.mode = TIDE_FRAME_EOF, .eof_split = true, .eof = "\n", .eof_len = 1};
    srv_start(&s, backend, TIDE_SOCK_TCP, &fo, NULL);
    int a = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);
    uint64_t id = s.conns[0];
    client_puts(a, "first\n");
    PUMP_UNTIL(&s, s.nmsg == 1);

    tide_conninfo_t *c = tide_conntab_find(&s.tab, id);
    CHECK_EQ(tide_engine_pause(s.e, id), 0);
    CHECK(c->flags & TIDE_CONN_PAUSED);
    CHECK_EQ(tide_engine_pause(s.e, id), 0); /* twice is fine */
    /* Enough to fill a few receive buffers, in pieces, with a package cut between writes. */
    char line[100];
    size_t total = 0;
    for (int i = 0; i < 2000; i++) {
        int n = snprintf(line, sizeof(line), "line %d of the paused stream\n", i);
        client_write(a, line, (size_t)n);
        total += (size_t)n;
    }
    client_puts(a, "cut ");
    pump_ms(&s, 100);
    CHECK_EQ(s.nmsg, 1);
    CHECK_EQ(s.nclosed, 0);

    CHECK_EQ(tide_engine_resume(s.e, id), 0);
    CHECK(!(c->flags & TIDE_CONN_PAUSED));
    CHECK_EQ(tide_engine_resume(s.e, id), 0);
    PUMP_UNTIL(&s, s.nmsg == 2001);
    client_puts(a, "here\n");
    PUMP_UNTIL(&s, s.nmsg == 2002);
    for (int i = 0; i < 2000; i++) {
        snprintf(line, sizeof(line), "line %d of the paused stream\n", i);
        CHECK_STR(s.msgs[1 + i].data, line);
    }
    CHECK_STR(s.msgs[2001].data, "cut here\n");
    CHECK_EQ(c->recv_bytes, 6 + total + 9);

    /* A peer that goes away while paused is noticed on resume. */
    CHECK_EQ(tide_engine_pause(s.e, id), 0);
    close(a);
    pump_ms(&s, 30);
    CHECK_EQ(tide_engine_resume(s.e, id), 0);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    CHECK_EQ(s.nclosed, 1);
    srv_stop(&s);
}

static void pause_on_first(srv_t *s, tide_conninfo_t *c, const char *data, size_t len)
{
    TIDE_UNUSED(data);
    TIDE_UNUSED(len);
    if (s->nmsg == 1)
        CHECK_EQ(tide_engine_pause(s->e, c->session), 0);
}

REACTOR_TEST(engine_pause_from_the_receive_handler_holds_the_rest_of_the_read)
{
    srv_t s;
    tide_frame_opts_t fo = {.mode = TIDE_FRAME_EOF, .eof_split = true, .eof = "\n", .eof_len = 1};
    srv_start(&s, backend, TIDE_SOCK_TCP, &fo, NULL);
    s.on_receive = pause_on_first;
    int a = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);
    /* Three packages in one write: one read. */
    client_puts(a, "a\nb\nc\n");
    PUMP_UNTIL(&s, s.nmsg >= 1);
    pump_ms(&s, 50);
    CHECK_EQ(s.nmsg, 1); /* paused after the first: the others wait */
    s.on_receive = NULL;
    CHECK_EQ(tide_engine_resume(s.e, s.conns[0]), 0);
    PUMP_UNTIL(&s, s.nmsg == 3);
    CHECK_STR(s.msgs[1].data, "b\n");
    CHECK_STR(s.msgs[2].data, "c\n");
    client_puts(a, "d\n");
    PUMP_UNTIL(&s, s.nmsg == 4);
    CHECK_STR(s.msgs[3].data, "d\n");
    close(a);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    srv_stop(&s);
}

/* ---- limits ---- */

REACTOR_TEST(engine_max_connection_closes_the_extra_connection)
{
    srv_t s;
    tide_engine_opts_t o = {.max_connection = 2};
    srv_start(&s, backend, TIDE_SOCK_TCP, NULL, &o);
    int a = client_connect(&s), b = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 2);
    int w = warnings;
    int c = client_connect(&s);
    CHECK_EQ(client_wait_end(&s, c, NULL) <= 0, 1);
    CHECK_EQ(s.nconn, 2);
    CHECK(warnings > w);
    close(c);
    /* The others still work, and a freed place takes a new connection. */
    client_puts(a, "a");
    PUMP_UNTIL(&s, s.nmsg == 1);
    close(b);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 1);
    int d = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 3);
    client_puts(d, "d");
    PUMP_UNTIL(&s, s.nmsg == 2);
    CHECK_EQ(s.msgs[1].session, s.conns[2]);
    tide_conntab_stats_t st;
    tide_conntab_sum(&s.tab, &st);
    CHECK_EQ(st.accept_count, 3);
    close(a);
    close(d);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    srv_stop(&s);
}

REACTOR_TEST(engine_package_max_length_closes_only_that_connection)
{
    srv_t s;
    tide_frame_opts_t fo = {.mode = TIDE_FRAME_LENGTH, .length_type = 'N', .body_offset = 4,
                            .max_length = 64};
    srv_start(&s, backend, TIDE_SOCK_TCP, &fo, NULL);
    int a = client_connect(&s), b = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 2);
    char wire[128];
    size_t n = put_pkg(wire, "ok", 2);
    client_write(a, wire, n);
    PUMP_UNTIL(&s, s.nmsg == 1);
    uint64_t ida = s.msgs[0].session;
    /* A header announcing 61 bytes of body: 65 > 64. */
    uint32_t too = htonl(61);
    client_write(a, &too, 4);
    CHECK_EQ(client_wait_end(&s, a, NULL) <= 0, 1);
    PUMP_UNTIL(&s, s.nclosed == 1);
    CHECK_EQ(s.closed[0], ida);
    /* Exactly the limit is fine on the other connection. */
    char body[60];
    memset(body, 'z', sizeof(body));
    n = put_pkg(wire, body, sizeof(body));
    client_write(b, wire, n);
    PUMP_UNTIL(&s, s.nmsg == 2);
    CHECK(s.msgs[1].session != ida);
    CHECK_EQ(s.msgs[1].len, 64);
    CHECK_EQ(tide_engine_connections(s.e), 1);
    close(a);
    close(b);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    srv_stop(&s);
}

REACTOR_TEST(engine_eof_package_longer_than_the_limit_closes_the_connection)
{
    srv_t s;
    tide_frame_opts_t fo = {.mode = TIDE_FRAME_EOF, .eof_split = true, .eof = "\n", .eof_len = 1,
                            .max_length = 100};
    srv_start(&s, backend, TIDE_SOCK_TCP, &fo, NULL);
    int a = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);
    char junk[200];
    memset(junk, 'j', sizeof(junk));
    client_write(a, junk, sizeof(junk));
    CHECK_EQ(client_wait_end(&s, a, NULL) <= 0, 1);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    CHECK_EQ(s.nmsg, 0);
    CHECK_EQ(s.nclosed, 1);
    close(a);
    srv_stop(&s);
}

REACTOR_TEST(engine_buffer_output_size_refuses_sends_past_it)
{
    srv_t s;
    srv_start(&s, backend, TIDE_SOCK_TCP, NULL, NULL);
    s.port.buffer_output_size = 1000;
    int a = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);
    uint64_t id = s.conns[0];
    tide_conninfo_t *c = tide_conntab_find(&s.tab, id);
    char data[1001];
    memset(data, 'o', sizeof(data));
    CHECK_EQ(tide_engine_send(s.e, id, data, 1001), TIDE_EFULL);
    CHECK_EQ(tide_engine_send(s.e, id, data, 600), 0);
    CHECK_EQ(tide_engine_send(s.e, id, data, 401), TIDE_EFULL);
    CHECK_EQ(tide_engine_send(s.e, id, data, 400), 0); /* exactly the limit */
    CHECK_EQ(c->out_bytes, 1000);
    CHECK_EQ(tide_engine_send(s.e, id, data, 1), TIDE_EFULL);
    CHECK_EQ(tide_engine_send(s.e, id, "", 0), 0); /* nothing is never too much */
    /* Unknown sessions. */
    CHECK_EQ(tide_engine_send(s.e, id + 1, data, 1), TIDE_ECLOSED);
    CHECK_EQ(tide_engine_send(s.e, 0, data, 1), TIDE_ECLOSED);
    CHECK_EQ(tide_engine_close(s.e, id + 1, false), TIDE_ECLOSED);
    CHECK_EQ(tide_engine_pause(s.e, id + 1), TIDE_ECLOSED);
    /* Once written, there is room again. */
    char back[1000];
    int end;
    CHECK_EQ(client_read(&s, a, back, sizeof(back), &end), 1000);
    PUMP_UNTIL(&s, c->out_bytes == 0);
    CHECK_EQ(tide_engine_send(s.e, id, data, 1000), 0);
    CHECK_EQ(client_read(&s, a, back, sizeof(back), &end), 1000);
    close(a);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    srv_stop(&s);
}

/* ---- heartbeat ---- */

REACTOR_TEST(engine_heartbeat_closes_idle_connections_only)
{
    srv_t s;
    tide_engine_opts_t o = {.heartbeat_check_ms = 20, .heartbeat_idle_ms = 300};
    srv_start(&s, backend, TIDE_SOCK_TCP, NULL, &o);
    int a = client_connect(&s), b = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 2);
    /* b talks every 100 ms, a never: a goes after 300 ms idle, b stays. */
    uint64_t t0 = tide_time_ns();
    size_t sent = 0;
    while (s.nclosed == 0 && tide_time_ns() - t0 < 2000000000ull) {
        pump_ms(&s, 100);
        client_puts(b, "alive");
        sent++;
    }
    CHECK_EQ(s.nclosed, 1);
    uint64_t took = tide_time_ns() - t0;
    CHECK(took >= 280000000ull && took < 1000000000ull);
    CHECK_EQ(s.closed[0], s.conns[0]);
    CHECK_EQ(client_wait_end(&s, a, NULL), 0);
    pump_ms(&s, 100);
    CHECK_EQ(s.nclosed, 1);
    PUMP_UNTIL(&s, s.nmsg >= 1);
    close(a);
    close(b);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    srv_stop(&s);
}

REACTOR_TEST(engine_heartbeat_closes_a_connection_idle_for_real)
{
    srv_t s;
    tide_engine_opts_t o = {.heartbeat_check_ms = 50, .heartbeat_idle_ms = 1000};
    srv_start(&s, backend, TIDE_SOCK_TCP, NULL, &o);
    int a = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);
    uint64_t t0 = tide_time_ns();
    PUMP_UNTIL(&s, s.nclosed == 1); /* within 3 s */
    /* Idle for at least part of a second; the check has one-second resolution. */
    CHECK(tide_time_ns() - t0 < 2200000000ull);
    CHECK_EQ(client_wait_end(&s, a, NULL), 0);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    close(a);
    srv_stop(&s);
}

/* ---- worker ownership, stopping ---- */

REACTOR_TEST(engine_close_worker_closes_only_that_workers_connections)
{
    srv_t s;
    srv_start(&s, backend, TIDE_SOCK_TCP, NULL, NULL);
    int cl[4];
    for (int i = 0; i < 4; i++)
        cl[i] = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 4);
    /* Which client is which session: each says its index. */
    uint64_t sess[4];
    for (int i = 0; i < 4; i++) {
        char m[2] = {(char)('0' + i), 0};
        client_puts(cl[i], m);
        PUMP_UNTIL(&s, s.nmsg == i + 1);
        sess[i] = s.msgs[i].session;
    }
    int workers[4] = {1, 2, 1, 0};
    for (int i = 0; i < 4; i++)
        tide_conntab_find(&s.tab, sess[i])->worker = workers[i];
    tide_engine_close_worker(s.e, 1);
    CHECK_EQ(s.nclosed, 2);
    CHECK(was_closed(&s, sess[0]) && was_closed(&s, sess[2]));
    CHECK_EQ(client_wait_end(&s, cl[0], NULL), 0);
    CHECK_EQ(client_wait_end(&s, cl[2], NULL), 0);
    tide_engine_close_worker(s.e, 1); /* nothing left for it */
    tide_engine_close_worker(s.e, 7);
    CHECK_EQ(s.nclosed, 2);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 2);
    /* The others still answer. */
    CHECK_EQ(tide_engine_send(s.e, sess[1], "w2", 2), 0);
    CHECK_EQ(tide_engine_send(s.e, sess[3], "w0", 2), 0);
    client_expect(&s, cl[1], "w2");
    client_expect(&s, cl[3], "w0");

    tide_engine_close_all(s.e);
    CHECK_EQ(s.nclosed, 4);
    CHECK_EQ(client_wait_end(&s, cl[1], NULL), 0);
    CHECK_EQ(client_wait_end(&s, cl[3], NULL), 0);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    for (int i = 0; i < 4; i++)
        close(cl[i]);
    srv_stop(&s);
}

REACTOR_TEST(engine_stop_ports_stops_accepting_and_keeps_connections)
{
    srv_t s;
    srv_start(&s, backend, TIDE_SOCK_TCP, NULL, NULL);
    int a = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 1);
    tide_engine_stop_ports(s.e);
    tide_engine_stop_ports(s.e); /* twice is fine */
    /* The socket still listens (the kernel completes the handshake), but nobody accepts. */
    int b = client_connect(&s);
    pump_ms(&s, 100);
    CHECK_EQ(s.nconn, 1);
    CHECK(s.port.watch == NULL); /* the accept watch has ended */
    /* The connection made before goes on. */
    client_puts(a, "still here");
    PUMP_UNTIL(&s, s.nmsg == 1);
    CHECK_EQ(tide_engine_send(s.e, s.conns[0], "yes", 3), 0);
    client_expect(&s, a, "yes");
    close(a);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    close(b);
    srv_stop(&s);
}

REACTOR_TEST(engine_stop_ports_serves_connections_waiting_in_the_backlog)
{
    srv_t s;
    srv_start(&s, backend, TIDE_SOCK_TCP, NULL, NULL);
    pump_ms(&s, 10); /* the accept is armed */
    /* Connected while the loop does not run: in the backlog, or (io_uring without
     * DEFER_TASKRUN) accepted by the kernel already, as task work on the way back from
     * connect(), in a CQE the loop has not reaped yet. */
    int a = client_connect(&s), b = client_connect(&s);
    int w = warnings;
    tide_engine_stop_ports(s.e);
    CHECK(s.port.watch != NULL); /* the watch's end comes from the loop */
    /* The backlog's at once, the kernel's when the loop reaps it; then the watch ends. */
    PUMP_UNTIL(&s, s.nconn == 2 && s.port.watch == NULL);
    /* Nothing is accepted after the stop: a later client waits in the backlog. */
    int late = client_connect(&s);
    pump_ms(&s, 20);
    CHECK_EQ(s.nconn, 2);
    CHECK_EQ(warnings, w); /* the watch's end is not an accept error */
    close(late);
    client_puts(a, "a");
    client_puts(b, "b");
    PUMP_UNTIL(&s, s.nmsg == 2);
    close(a);
    close(b);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    srv_stop(&s);
}

/* Base mode's stop: stop_ports, then pause_all. A connection the kernel had accepted
 * before the stop arrives after pause_all, and is paused too (else it would keep a
 * stopping worker's loop alive). */
REACTOR_TEST(engine_pause_all_also_pauses_a_connection_accepted_before_the_stop)
{
    srv_t s;
    srv_start(&s, backend, TIDE_SOCK_TCP, NULL, NULL);
    pump_ms(&s, 10);
    int a = client_connect(&s);
    tide_engine_stop_ports(s.e);
    tide_engine_pause_all(s.e);
    PUMP_UNTIL(&s, s.nconn == 1 && s.port.watch == NULL);
    tide_conninfo_t *c = tide_conntab_find(&s.tab, s.conns[0]);
    CHECK(c != NULL);
    CHECK(c->flags & TIDE_CONN_PAUSED);
    client_puts(a, "not read");
    pump_ms(&s, 30);
    CHECK_EQ(s.nmsg, 0);
    tide_engine_close_all(s.e);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    close(a);
    srv_stop(&s);
}

/* destroy while a graceful stop is still ending: the watch is cancelled, so nothing
 * reaches the freed engine (ASan), and what the kernel accepted meanwhile is closed. */
REACTOR_TEST(engine_destroy_during_a_graceful_stop)
{
    srv_t s;
    srv_start(&s, backend, TIDE_SOCK_TCP, NULL, NULL);
    pump_ms(&s, 10);
    int a = client_connect(&s);
    tide_engine_stop_ports(s.e);
    tide_engine_destroy(s.e);
    s.e = NULL;
    CHECK(s.port.watch == NULL);
    for (int i = 0; i < 5; i++)
        CHECK(tide_reactor_run(s.r, TIDE_RUN_NOWAIT) >= 0);
    CHECK(s.nconn <= 1); /* taken from the backlog by stop_ports, then closed by destroy */
    CHECK_EQ(client_wait_end(&s, a, NULL), 0);
    close(a);
    srv_stop(&s);
}

/* ---- destroy ---- */

static void hold_partial(srv_t *s, tide_conninfo_t *c, const char *data, size_t len)
{
    TIDE_UNUSED(s);
    TIDE_UNUSED(c);
    TIDE_UNUSED(data);
    TIDE_UNUSED(len);
}

REACTOR_TEST(engine_destroy_with_live_connections_frees_everything)
{
    srv_t s;
    tide_frame_opts_t fo = {.mode = TIDE_FRAME_EOF, .eof_split = true, .eof = "\n", .eof_len = 1};
    srv_start(&s, backend, TIDE_SOCK_TCP, &fo, NULL);
    s.on_receive = hold_partial;
    int cl[5];
    for (int i = 0; i < 5; i++)
        cl[i] = client_connect(&s);
    PUMP_UNTIL(&s, s.nconn == 5);
    /* 0: an incomplete package held by its framer. */
    client_puts(cl[0], "no eof yet");
    client_puts(cl[4], "x\n");
    PUMP_UNTIL(&s, s.nmsg == 1);
    pump_ms(&s, 20);
    /* 1: paused. 2: output queued but not written. 3: closing. 4: idle. */
    CHECK_EQ(tide_engine_pause(s.e, s.conns[1]), 0);
    CHECK_EQ(tide_engine_send(s.e, s.conns[2], "queued", 6), 0);
    CHECK_EQ(tide_engine_send(s.e, s.conns[3], "queued", 6), 0);
    CHECK_EQ(tide_engine_close(s.e, s.conns[3], false), 0);
    CHECK_EQ(s.nclosed, 1);
    uint64_t ids[5];
    memcpy(ids, s.conns, sizeof(ids));

    tide_engine_destroy(s.e);
    s.e = NULL;
    /* No close handler for the connections destroyed with the engine. */
    CHECK_EQ(s.nclosed, 1);
    for (int i = 0; i < 5; i++)
        CHECK(tide_conntab_find(&s.tab, ids[i]) == NULL);
    tide_conntab_stats_t st;
    tide_conntab_sum(&s.tab, &st);
    CHECK_EQ(st.connection_num, 0);
    /* Every socket is closed; the closing one after its queued write, which the loop
     * still runs (its buffer and connection are freed by the reactor's callbacks). */
    size_t bytes;
    for (int i = 0; i < 5; i++) {
        CHECK_EQ(client_wait_end(&s, cl[i], &bytes), 0);
        if (i == 3)
            CHECK_EQ(bytes, 6);
    }
    tide_timer_cancel(s.r, s.tick);
    tide_timer_unref(s.r, tide_timer_add(s.r, 3000, 0, on_deadline, "the loop to drain"));
    CHECK_EQ(tide_reactor_run(s.r, TIDE_RUN_DEFAULT), 0);
    tide_reactor_destroy(s.r);
    tide_conntab_destroy(&s.tab);
    close(s.port.fd);
    for (int i = 0; i < 5; i++)
        close(cl[i]);
    for (int i = 0; i < s.nmsg; i++)
        free(s.msgs[i].data);
    free(s.msgs);
}

/* A write that cannot finish (the peer reads nothing) when the engine goes: the connection
 * waits on the reactor as an orphan and goes when the write fails. */
REACTOR_TEST(engine_destroy_leaves_writes_in_flight_to_the_loop)
{
    srv_t s;
    srv_start(&s, backend, TIDE_SOCK_TCP, NULL, NULL);
    int a = client_connect(&s);
    int small = 65536;
    setsockopt(a, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    PUMP_UNTIL(&s, s.nconn == 1);
    size_t big = 4u << 20;
    s.port.buffer_output_size = big;
    char *data = calloc(1, big);
    tide_conninfo_t *c = tide_conntab_find(&s.tab, s.conns[0]);
    setsockopt(c->fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
    CHECK_EQ(tide_engine_send(s.e, s.conns[0], data, big), 0);
    pump_ms(&s, 50);
    CHECK(c->out_bytes == big); /* stuck in flight */
    CHECK_EQ(tide_engine_close(s.e, s.conns[0], false), 0);
    int b = client_connect(&s);
    setsockopt(b, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    PUMP_UNTIL(&s, s.nconn == 2);
    setsockopt(tide_conntab_find(&s.tab, s.conns[1])->fd, SOL_SOCKET, SO_SNDBUF, &small,
               sizeof(small));
    CHECK_EQ(tide_engine_send(s.e, s.conns[1], data, big), 0);
    pump_ms(&s, 50);
    tide_engine_destroy(s.e);
    s.e = NULL;
    CHECK(tide_conntab_find(&s.tab, s.conns[0]) == NULL);
    CHECK(tide_conntab_find(&s.tab, s.conns[1]) == NULL);
    /* The peers read what was sent, then see the end. */
    size_t bytes;
    CHECK_EQ(client_wait_end(&s, a, &bytes), 0);
    CHECK_EQ(bytes, big);
    CHECK_EQ(client_wait_end(&s, b, &bytes), 0);
    CHECK_EQ(bytes, big);
    tide_timer_cancel(s.r, s.tick);
    tide_timer_unref(s.r, tide_timer_add(s.r, 3000, 0, on_deadline, "the loop to drain"));
    CHECK_EQ(tide_reactor_run(s.r, TIDE_RUN_DEFAULT), 0);
    tide_reactor_destroy(s.r);
    tide_conntab_destroy(&s.tab);
    close(s.port.fd);
    close(a);
    close(b);
    free(data);
    free(s.msgs);
}

/* ---- datagrams ---- */

typedef struct udp_state {
    int client_port;
    int got;
} udp_state_t;

static void udp_reply(srv_t *s, tide_port_t *p, const struct sockaddr *addr, socklen_t alen,
                      const char *data, size_t len)
{
    udp_state_t *u = s->arg;
    CHECK(p == &s->port);
    CHECK_EQ(alen, sizeof(struct sockaddr_in));
    const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
    CHECK_EQ(in->sin_family, AF_INET);
    CHECK_EQ(ntohs(in->sin_port), u->client_port);
    char ip[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &in->sin_addr, ip, sizeof(ip));
    CHECK_STR(ip, "127.0.0.1");
    char reply[128];
    int n = snprintf(reply, sizeof(reply), "re:%.*s", (int)len, data);
    CHECK_EQ(tide_sock_sendto(p->fd, p->type, ip, ntohs(in->sin_port), reply, (size_t)n), 0);
    u->got++;
}

REACTOR_TEST(engine_datagram_port_gets_the_sender_and_replies)
{
    srv_t s;
    srv_start(&s, backend, TIDE_SOCK_UDP, NULL, NULL);
    udp_state_t u = {0};
    s.arg = &u;
    s.on_packet = udp_reply;
    int cfd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in local = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    CHECK_EQ(bind(cfd, (struct sockaddr *)&local, sizeof(local)), 0);
    u.client_port = client_local_port(cfd);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s.port.port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    /* Several datagrams at once: each is its own packet. */
    for (int i = 0; i < 5; i++) {
        char m[32];
        int n = snprintf(m, sizeof(m), "ping%d", i);
        CHECK_EQ(sendto(cfd, m, (size_t)n, 0, (struct sockaddr *)&to, sizeof(to)), n);
    }
    PUMP_UNTIL(&s, u.got == 5);
    for (int i = 0; i < 5; i++) {
        char buf[64], want[32];
        ssize_t n = recv(cfd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
        CHECK(n > 0);
        buf[n] = 0;
        snprintf(want, sizeof(want), "re:ping%d", i);
        CHECK_STR(buf, want);
    }
    /* An empty datagram is a packet too. */
    CHECK_EQ(sendto(cfd, "", 0, 0, (struct sockaddr *)&to, sizeof(to)), 0);
    PUMP_UNTIL(&s, u.got == 6);
    tide_conntab_stats_t st;
    tide_conntab_sum(&s.tab, &st);
    CHECK_EQ(st.request_count, 6);
    CHECK_EQ(st.accept_count, 0);
    CHECK_EQ(tide_engine_connections(s.e), 0);
    /* A bad address is refused. */
    CHECK_EQ(tide_sock_sendto(s.port.fd, s.port.type, "not an ip", 1, "x", 1), -EINVAL);

    /* Stopped ports read no more datagrams. */
    tide_engine_stop_ports(s.e);
    CHECK_EQ(sendto(cfd, "late", 4, 0, (struct sockaddr *)&to, sizeof(to)), 4);
    pump_ms(&s, 50);
    CHECK_EQ(u.got, 6);
    close(cfd);
    srv_stop(&s);
}

/* ---- a Unix stream port ---- */

REACTOR_TEST(engine_serves_a_unix_stream_port)
{
    char path[108];
    snprintf(path, sizeof(path), "/tmp/tide-ctest-%d.sock", (int)getpid());
    unlink(path);
    srv_t s;
    memset(&s, 0, sizeof(s));
    tide_log_set_sink(quiet_sink, NULL);
    s.r = test_reactor(backend);
    CHECK_EQ(tide_conntab_create(&s.tab, 1, 8, 0), 0);
    port_init(&s.port, 3, TIDE_SOCK_UNIX_STREAM, path);
    tide_engine_opts_t o = {0};
    s.e = tide_engine_create(s.r, &s.tab, 0, &o, &handlers, &s);
    CHECK_EQ(tide_engine_add_port(s.e, &s.port), 0);
    s.tick = tide_timer_add(s.r, 5, 5, on_tick, NULL);

    int a = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    strcpy(sa.sun_path, path);
    CHECK_EQ(connect(a, (struct sockaddr *)&sa, sizeof(sa)), 0);
    PUMP_UNTIL(&s, s.nconn == 1);
    tide_conninfo_t *c = tide_conntab_find(&s.tab, s.conns[0]);
    CHECK_EQ(c->port, 3);
    CHECK_STR(c->remote_ip, ""); /* an unnamed client */
    client_puts(a, "over unix");
    PUMP_UNTIL(&s, s.nmsg == 1);
    CHECK_STR(s.msgs[0].data, "over unix");
    CHECK_EQ(tide_engine_send(s.e, s.conns[0], "back", 4), 0);
    client_expect(&s, a, "back");
    close(a);
    PUMP_UNTIL(&s, tide_engine_connections(s.e) == 0);
    srv_stop(&s);
    unlink(path);
}

TEST(sock_listen_reports_bad_addresses)
{
    char why[256] = "";
    CHECK_EQ(tide_sock_listen(TIDE_SOCK_TCP, "300.1.1.1", 0, 0, false, true, why, sizeof(why)),
             -EINVAL);
    CHECK(strstr(why, "IPv4") != NULL);
    CHECK_EQ(tide_sock_listen(TIDE_SOCK_TCP6, "127.0.0.1", 0, 0, false, true, why, sizeof(why)),
             -EINVAL);
    CHECK_EQ(tide_sock_listen(TIDE_SOCK_UNIX_STREAM, "", 0, 0, false, true, why, sizeof(why)),
             -EINVAL);
    /* An address in use. */
    int fd = tide_sock_listen(TIDE_SOCK_TCP, "127.0.0.1", 0, 0, false, true, why, sizeof(why));
    CHECK(fd >= 0);
    int port = tide_sock_port(fd);
    CHECK(port > 0);
    int fd2 = tide_sock_listen(TIDE_SOCK_TCP, "localhost", port, 0, false, true, why, sizeof(why));
    CHECK_EQ(fd2, -EADDRINUSE);
    CHECK(strstr(why, "cannot listen") != NULL);
    /* Non-blocking and close-on-exec. */
    CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
    CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    close(fd);

    /* A Unix socket file nobody listens on any more is replaced; a live one is not. */
    char path[108];
    snprintf(path, sizeof(path), "/tmp/tide-ctest-stale-%d.sock", (int)getpid());
    unlink(path);
    fd = tide_sock_listen(TIDE_SOCK_UNIX_STREAM, path, 0, 16, false, true, why, sizeof(why));
    CHECK(fd >= 0);
    CHECK_EQ(tide_sock_listen(TIDE_SOCK_UNIX_STREAM, path, 0, 16, false, true, why, sizeof(why)),
             -EADDRINUSE);
    close(fd);
    fd = tide_sock_listen(TIDE_SOCK_UNIX_STREAM, path, 0, 16, false, true, why, sizeof(why));
    if (fd < 0)
        FAILF("a stale socket file was not replaced: %s", why);
    close(fd);
    unlink(path);
}

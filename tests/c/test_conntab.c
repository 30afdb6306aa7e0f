/* SPDX-License-Identifier: MIT */
/*
 * The connection table (src/server/conntab.c): ids, partitions, shared memory; and its
 * promises to readers in other processes: a snapshot is a consistent copy while the owner
 * writes, never a copy of another connection, and flags change by atomic read-modify-write.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/mman.h>
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

TEST(conntab_refuses_empty_shapes)
{
    tide_conntab_t t;
    CHECK_EQ(tide_conntab_create(&t, 0, 10, 0), -EINVAL);
    CHECK_EQ(tide_conntab_create(&t, 1, 0, 0), -EINVAL);
    CHECK(tide_conntab_find(&t, 1) == NULL); /* a table that was never made finds nothing */
    CHECK_EQ(tide_conntab_create(&t, 1, 10, 0), 0);
    CHECK(t.cap >= 20 && (t.cap & (t.cap - 1)) == 0);
    tide_conntab_destroy(&t);
    CHECK(t.mem == NULL);
}

TEST(conntab_ids_increase_and_are_never_reused_across_wraps)
{
    tide_conntab_t t;
    CHECK_EQ(tide_conntab_create(&t, 1, 10, 0), 0);
    uint32_t cap = t.cap;
    /* Two long-lived connections hold their slots while many short ones go round the
     * table several times: the new ids must skip the held slots and never repeat. */
    tide_conninfo_t *held1 = tide_conntab_take(&t, 0);
    tide_conninfo_t *held2 = tide_conntab_take(&t, 0);
    CHECK(held1 && held2);
    uint64_t h1 = held1->session, h2 = held2->session;
    CHECK_EQ(h1, 1);
    CHECK_EQ(h2, 2);
    uint64_t last = h2;
    size_t n = (size_t)cap * 5 + 3;
    uint64_t *seen = calloc(n, sizeof(uint64_t));
    tide_conninfo_t *prev = NULL;
    uint64_t prev_id = 0;
    for (size_t i = 0; i < n; i++) {
        tide_conninfo_t *c = tide_conntab_take(&t, 0);
        CHECK(c != NULL);
        CHECK(c != held1 && c != held2);
        CHECK(c->session > last);
        /* Fields of an earlier tenant of the slot are gone. */
        CHECK_EQ(c->fd, 0);
        CHECK_EQ(c->recv_bytes, 0);
        CHECK_EQ(c->remote_ip[0], 0);
        c->fd = 100 + (int)i;
        c->recv_bytes = 7;
        strcpy(c->remote_ip, "10.0.0.1");
        last = c->session;
        seen[i] = c->session;
        CHECK(tide_conntab_find(&t, c->session) == c);
        /* Keep one connection alive across each take, so slots are released out of order. */
        if (prev) {
            tide_conntab_release(&t, prev);
            CHECK(tide_conntab_find(&t, prev_id) == NULL);
        }
        prev = c;
        prev_id = c->session;
    }
    /* The ids went round the table: the last one is far past the capacity. */
    CHECK(last > (uint64_t)cap * 5);
    for (size_t i = 1; i < n; i++)
        CHECK(seen[i] > seen[i - 1]);
    /* Released or recycled ids find nothing; the live ones find their slots. */
    for (size_t i = 0; i + 1 < n; i++)
        CHECK(tide_conntab_find(&t, seen[i]) == NULL);
    CHECK(tide_conntab_find(&t, seen[n - 1]) == prev);
    CHECK(tide_conntab_find(&t, h1) == held1);
    CHECK(tide_conntab_find(&t, h2) == held2);
    /* Ids never issued. */
    CHECK(tide_conntab_find(&t, 0) == NULL);
    CHECK(tide_conntab_find(&t, last + 1) == NULL);
    CHECK(tide_conntab_find(&t, last + cap) == NULL);
    CHECK(tide_conntab_find(&t, UINT64_MAX) == NULL);
    free(seen);
    tide_conntab_destroy(&t);
}

TEST(conntab_take_fails_when_full_and_recovers)
{
    tide_conntab_t t;
    CHECK_EQ(tide_conntab_create(&t, 1, 1, 0), 0);
    tide_conninfo_t **all = calloc(t.cap, sizeof(*all));
    for (uint32_t i = 0; i < t.cap; i++) {
        all[i] = tide_conntab_take(&t, 0);
        CHECK(all[i] != NULL);
    }
    CHECK(tide_conntab_take(&t, 0) == NULL);
    uint64_t last = all[t.cap - 1]->session;
    /* One slot in the middle frees: the next id maps to it, and is still the largest. */
    uint64_t freed = all[5]->session;
    tide_conntab_release(&t, all[5]);
    tide_conninfo_t *c = tide_conntab_take(&t, 0);
    CHECK(c == all[5]);
    CHECK(c->session > last);
    CHECK(c->session != freed);
    CHECK(tide_conntab_find(&t, freed) == NULL);
    CHECK(tide_conntab_find(&t, c->session) == c);
    CHECK(tide_conntab_take(&t, 0) == NULL);
    free(all);
    tide_conntab_destroy(&t);
}

TEST(conntab_partitions_keep_their_ids)
{
    tide_conntab_t t;
    enum { PARTS = 3, EACH = 20 };
    CHECK_EQ(tide_conntab_create(&t, PARTS, 16, 0), 0);
    uint64_t ids[PARTS][EACH];
    tide_conninfo_t *cs[PARTS][EACH];
    for (int k = 0; k < EACH; k++)
        for (unsigned p = 0; p < PARTS; p++) {
            cs[p][k] = tide_conntab_take(&t, p);
            CHECK(cs[p][k] != NULL);
            ids[p][k] = cs[p][k]->session;
            CHECK_EQ(tide_conntab_part(&t, ids[p][k]), p);
            if (k)
                CHECK(ids[p][k] > ids[p][k - 1]);
            /* The slot lies in its partition's block. */
            size_t slot = (size_t)(cs[p][k] - t.slots);
            CHECK_EQ(slot / t.cap, p);
        }
    /* Every id is unique across partitions, and each finds its own slot. */
    for (unsigned p = 0; p < PARTS; p++)
        for (int k = 0; k < EACH; k++) {
            CHECK(tide_conntab_find(&t, ids[p][k]) == cs[p][k]);
            for (unsigned q = 0; q < PARTS; q++)
                for (int j = 0; j < EACH; j++)
                    if (p != q || j != k)
                        CHECK(ids[p][k] != ids[q][j]);
        }
    /* Releasing in one partition leaves the same sequence number of the others alone. */
    tide_conntab_release(&t, cs[1][3]);
    CHECK(tide_conntab_find(&t, ids[1][3]) == NULL);
    CHECK(tide_conntab_find(&t, ids[0][3]) == cs[0][3]);
    CHECK(tide_conntab_find(&t, ids[2][3]) == cs[2][3]);
    tide_conntab_destroy(&t);
}

typedef struct visit {
    uint64_t ids[256];
    int n;
    int stop_after;
} visit_t;

static bool collect_ids(const tide_conninfo_t *c, void *arg)
{
    visit_t *v = arg;
    CHECK(v->n < 256);
    v->ids[v->n++] = c->session;
    return v->stop_after == 0 || v->n < v->stop_after;
}

TEST(conntab_each_visits_live_connections_in_id_order)
{
    tide_conntab_t t;
    CHECK_EQ(tide_conntab_create(&t, 2, 16, 0), 0);
    visit_t v = {0};
    tide_conntab_each(&t, 0, collect_ids, &v);
    CHECK_EQ(v.n, 0);

    /* Partition 1 fills first, so slot order and id order differ; then some wrap. */
    tide_conninfo_t *c1[10], *c0[10];
    for (int i = 0; i < 10; i++)
        c1[i] = tide_conntab_take(&t, 1);
    for (int i = 0; i < 10; i++)
        c0[i] = tide_conntab_take(&t, 0);
    for (int i = 0; i < 10; i += 2) {
        tide_conntab_release(&t, c1[i]);
        tide_conntab_release(&t, c0[i + 1]);
    }
    /* Churn partition 0 past its capacity so its ids wrap onto low slots. */
    for (uint32_t i = 0; i < t.cap + 3; i++)
        tide_conntab_release(&t, tide_conntab_take(&t, 0));
    tide_conninfo_t *late = tide_conntab_take(&t, 0);
    CHECK(late != NULL);

    uint64_t want[32];
    int nw = 0;
    for (int i = 0; i < 10; i++) {
        if (i % 2)
            want[nw++] = c1[i]->session;
        else
            want[nw++] = c0[i]->session;
    }
    want[nw++] = late->session;
    /* Sort what we expect. */
    for (int i = 0; i < nw; i++)
        for (int j = i + 1; j < nw; j++)
            if (want[j] < want[i]) {
                uint64_t x = want[i];
                want[i] = want[j];
                want[j] = x;
            }

    tide_conntab_each(&t, 0, collect_ids, &v);
    CHECK_EQ(v.n, nw);
    for (int i = 0; i < nw; i++)
        CHECK_EQ(v.ids[i], want[i]);

    /* `after` skips ids up to and including it; false from cb stops the walk. */
    visit_t v2 = {0};
    tide_conntab_each(&t, want[3], collect_ids, &v2);
    CHECK_EQ(v2.n, nw - 4);
    CHECK_EQ(v2.ids[0], want[4]);
    visit_t v3 = {.stop_after = 2};
    tide_conntab_each(&t, 0, collect_ids, &v3);
    CHECK_EQ(v3.n, 2);
    CHECK_EQ(v3.ids[1], want[1]);
    tide_conntab_destroy(&t);
}

TEST(conntab_sum_adds_partition_counters)
{
    tide_conntab_t t;
    enum { PARTS = 3, WORKERS = 4 };
    CHECK_EQ(tide_conntab_create(&t, PARTS, 8, WORKERS), 0);
    for (unsigned p = 0; p < PARTS; p++) {
        tide_conntab_stats_t *s = tide_conntab_stats(&t, p);
        CHECK(s->start_time > 0);
        s->start_time = 1000 - p; /* the earliest start wins */
        s->accept_count = 10 * (p + 1);
        s->close_count = p + 1;
        s->request_count = 100 * (p + 1);
        s->dispatch_count = 1000 * (p + 1);
        s->connection_num = p;
    }
    /* The per-partition blocks do not overlap. */
    CHECK((char *)tide_conntab_stats(&t, 0) + sizeof(tide_conntab_stats_t) <=
          (char *)tide_conntab_stats(&t, 1));

    tide_conntab_stats_t out;
    tide_conntab_sum(&t, &out);
    CHECK_EQ(out.start_time, 1000 - (PARTS - 1));
    CHECK_EQ(out.accept_count, 10 + 20 + 30);
    CHECK_EQ(out.close_count, 1 + 2 + 3);
    CHECK_EQ(out.request_count, 600);
    CHECK_EQ(out.dispatch_count, 6000);
    CHECK_EQ(out.connection_num, 0 + 1 + 2);
    tide_conntab_destroy(&t);
}

TEST(conntab_is_shared_with_forked_processes_and_holds_the_pids)
{
    tide_conntab_t t;
    enum { WORKERS = 5 };
    CHECK_EQ(tide_conntab_create(&t, 2, 8, WORKERS), 0);
    /* The pids block stands apart from the rest of the table. */
    CHECK((char *)t.pids >= (char *)(t.next_seq + t.parts));
    CHECK((char *)&t.pids->worker[WORKERS] <= (char *)t.mem + t.mem_len);
    t.pids->master = getpid();
    t.pids->manager = 1;
    for (int w = 0; w < WORKERS; w++)
        t.pids->worker[w].pid = 100 + w;
    CHECK_EQ(t.next_seq[0], 0);
    CHECK_EQ(t.next_seq[1], 0);

    tide_conninfo_t *mine = tide_conntab_take(&t, 0);
    uint64_t mine_id = mine->session;
    int pfd[2];
    CHECK_EQ(pipe(pfd), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        /* A child owns partition 1: what it writes the parent reads, and the reverse. */
        int ok = tide_conntab_find(&t, mine_id) == mine && t.pids->master == getppid() &&
                 t.pids->worker[WORKERS - 1].pid == 100 + WORKERS - 1;
        tide_conninfo_t *c = tide_conntab_take(&t, 1);
        c->fd = 42;
        strcpy(c->remote_ip, "192.0.2.7");
        t.pids->worker[2].pid = getpid();
        tide_conntab_stats(&t, 1)->accept_count = 9;
        uint64_t id = c->session;
        if (write(pfd[1], &id, sizeof(id)) != sizeof(id))
            ok = 0;
        _exit(ok ? 0 : 1);
    }
    close(pfd[1]);
    uint64_t child_id = 0;
    CHECK_EQ(read(pfd[0], &child_id, sizeof(child_id)), sizeof(child_id));
    close(pfd[0]);
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_EQ(tide_conntab_part(&t, child_id), 1);
    tide_conninfo_t *c = tide_conntab_find(&t, child_id);
    CHECK(c != NULL);
    CHECK_EQ(c->fd, 42);
    CHECK_STR(c->remote_ip, "192.0.2.7");
    CHECK_EQ(t.pids->worker[2].pid, pid);
    CHECK_EQ(t.pids->worker[1].pid, 101);
    tide_conntab_stats_t out;
    tide_conntab_sum(&t, &out);
    CHECK_EQ(out.accept_count, 9);
    visit_t v = {0};
    tide_conntab_each(&t, 0, collect_ids, &v);
    CHECK_EQ(v.n, 2);
    CHECK_EQ(v.ids[0], mine_id);
    CHECK_EQ(v.ids[1], child_id);
    tide_conntab_destroy(&t);
}

/* ======================================================================================
 * The engine
 * ====================================================================================== */

/* ---- readers in other processes ---- */

/* Writes state k into every field an owner writes (one by one, as the engine does). */
static void write_state(tide_conninfo_t *c, uint32_t k)
{
    tide_conninfo_begin(c);
    c->fd = (int32_t)k;
    c->port = (int32_t)k;
    c->worker = (int32_t)k;
    c->remote_port = (int32_t)k;
    c->inflight = k;
    c->connect_time = k;
    c->last_time = k;
    c->last_dispatch_time = k;
    c->out_bytes = k;
    c->recv_bytes = k;
    c->sent_bytes = k;
    c->taken_bytes = k;
    for (size_t i = 0; i + 1 < sizeof(c->remote_ip); i++)
        c->remote_ip[i] = (char)('a' + k);
    c->remote_ip[sizeof(c->remote_ip) - 1] = 0;
    tide_conninfo_end(c);
}

/* The state a copy holds, or -1 for a mix of two. */
static int state_of(const tide_conninfo_t *c)
{
    uint32_t k = (uint32_t)c->fd;
    if ((uint32_t)c->port != k || (uint32_t)c->worker != k || (uint32_t)c->remote_port != k ||
        c->inflight != k || c->connect_time != k || c->last_time != k ||
        c->last_dispatch_time != k || c->out_bytes != k || c->recv_bytes != k ||
        c->sent_bytes != k || c->taken_bytes != k)
        return -1;
    for (size_t i = 0; i + 1 < sizeof(c->remote_ip); i++)
        if (c->remote_ip[i] != (char)('a' + k))
            return -1;
    return (int)k;
}

TEST(conntab_snapshot_never_copies_a_half_written_slot)
{
    tide_conntab_t t;
    CHECK_EQ(tide_conntab_create(&t, 1, 32, 1), 0);
    tide_conninfo_t *c = tide_conntab_take(&t, 0);
    CHECK(c != NULL);
    uint64_t id = c->session;
    write_state(c, 1);
    volatile uint64_t *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                                     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(shared != MAP_FAILED);
    pid_t writer = fork();
    CHECK(writer >= 0);
    if (writer == 0) {
        /* The owner: between two consistent states until told to stop, with a breath
         * between writes as an owner doing other work has (one that never pauses starves
         * readers: every try meets a write, and a snapshot gives up as if it were gone). */
        uint64_t n = 0;
        while (!__atomic_load_n(&shared[0], __ATOMIC_RELAXED)) {
            write_state(c, 1 + (uint32_t)(++n & 1));
            for (volatile int i = 0; i < 100; i++)
                ;
        }
        shared[1] = n;
        _exit(0);
    }
    uint64_t seen[3] = {0}, refused = 0, torn = 0, reads = 0;
    uint64_t until = tide_time_ns() + 500000000ull;
    while (tide_time_ns() < until) {
        for (int i = 0; i < 64; i++, reads++) {
            tide_conninfo_t out;
            if (!tide_conntab_snapshot(&t, id, &out)) {
                refused++;
                continue;
            }
            CHECK_EQ(out.session, id);
            int k = state_of(&out);
            if (k < 0)
                torn++;
            else
                seen[k]++;
        }
    }
    __atomic_store_n(&shared[0], 1, __ATOMIC_RELAXED);
    int status;
    CHECK_EQ(waitpid(writer, &status, 0), writer);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    if (torn)
        FAILF("%llu of %llu snapshots were a mix of two states", (unsigned long long)torn,
              (unsigned long long)reads);
    /* The writer did write meanwhile, and the reader saw both states. */
    CHECK(shared[1] > 100);
    CHECK(seen[1] > 0 && seen[2] > 0);
    if (getenv("TIDE_TEST_VERBOSE"))
        fprintf(stderr, "    %llu reads, %llu refused, states %llu/%llu, %llu writes\n",
                (unsigned long long)reads, (unsigned long long)refused,
                (unsigned long long)seen[1], (unsigned long long)seen[2],
                (unsigned long long)shared[1]);
    munmap((void *)shared, 4096);
    tide_conntab_destroy(&t);
}

/* Takes and releases slots until the slot c comes back; its new connection. */
static tide_conninfo_t *reuse(tide_conntab_t *t, tide_conninfo_t *c)
{
    for (uint32_t i = 0; i <= t->cap; i++) {
        tide_conninfo_t *n = tide_conntab_take(t, 0);
        CHECK(n != NULL);
        if (n == c)
            return n;
        tide_conntab_release(t, n);
    }
    FAILF("slot %zu was not taken again", tide_conntab_index(t, c));
}

TEST(conntab_snapshot_is_false_for_a_free_slot_or_one_reused_by_another_connection)
{
    tide_conntab_t t;
    CHECK_EQ(tide_conntab_create(&t, 1, 16, 1), 0);
    tide_conninfo_t out;
    tide_conninfo_t *c = tide_conntab_take(&t, 0);
    uint64_t id1 = c->session;
    write_state(c, 3);
    CHECK(tide_conntab_snapshot(&t, id1, &out));
    CHECK_EQ(state_of(&out), 3);
    tide_conntab_release(&t, c);
    CHECK(!tide_conntab_snapshot(&t, id1, &out));
    CHECK(tide_conntab_find(&t, id1) == NULL);

    tide_conninfo_t *again = reuse(&t, c);
    uint64_t id2 = again->session;
    CHECK(id2 > id1);
    CHECK_EQ(tide_conntab_index(&t, again), tide_conntab_index(&t, c));
    CHECK(!tide_conntab_snapshot(&t, id1, &out)); /* same slot, another connection */
    CHECK(tide_conntab_snapshot(&t, id2, &out));
    CHECK_EQ(out.session, id2);
    CHECK_EQ(out.fd, 0); /* a new connection starts clean */
    CHECK_EQ(out.remote_ip[0], 0);
    CHECK(!tide_conntab_snapshot(&t, 0, &out));
    CHECK(!tide_conntab_snapshot(&t, id2 + 1000 * t.cap, &out));
    tide_conntab_destroy(&t);
    CHECK(!tide_conntab_snapshot(&t, id2, &out)); /* a table that is gone */
}

TEST(conntab_take_of_a_reused_slot_moves_its_sequence_lock)
{
    /* A reader that began copying the old connection before its slot was reused must see
     * the sequence move: take() clears the fields inside the owner's bracket. */
    tide_conntab_t t;
    CHECK_EQ(tide_conntab_create(&t, 1, 16, 1), 0);
    tide_conninfo_t *c = tide_conntab_take(&t, 0);
    write_state(c, 2);
    uint32_t before = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
    CHECK_EQ(before & 1, 0);
    tide_conntab_release(&t, c);
    tide_conninfo_t *again = reuse(&t, c);
    uint32_t after = __atomic_load_n(&again->seq, __ATOMIC_ACQUIRE);
    CHECK(after != before);
    CHECK_EQ(after & 1, 0); /* not left open */
    tide_conntab_destroy(&t);
}

TEST(conntab_claim_sets_a_flag_for_exactly_one_caller_across_processes)
{
    enum { SLOTS = 1000, PROCS = 4 };
    tide_conntab_t t;
    CHECK_EQ(tide_conntab_create(&t, 1, SLOTS, 1), 0);
    tide_conninfo_t *slot[SLOTS];
    for (int i = 0; i < SLOTS; i++) {
        slot[i] = tide_conntab_take(&t, 0);
        CHECK(slot[i] != NULL);
    }
    uint32_t *winner = mmap(NULL, SLOTS * sizeof(uint32_t), PROT_READ | PROT_WRITE,
                            MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(winner != MAP_FAILED);
    pid_t pids[PROCS];
    for (int p = 0; p < PROCS; p++) {
        pids[p] = fork();
        CHECK(pids[p] >= 0);
        if (pids[p] == 0) {
            for (int i = 0; i < SLOTS; i++) {
                /* Everyone sets PAUSED too: it must not disturb CLOSING. */
                tide_conninfo_set(slot[i], TIDE_CONN_PAUSED);
                if (tide_conninfo_claim(slot[i], TIDE_CONN_CLOSING))
                    __atomic_fetch_add(&winner[i], 1u << (8 * p), __ATOMIC_RELAXED);
            }
            _exit(0);
        }
    }
    for (int p = 0; p < PROCS; p++) {
        int status;
        CHECK_EQ(waitpid(pids[p], &status, 0), pids[p]);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    for (int i = 0; i < SLOTS; i++) {
        uint32_t w = winner[i];
        if (w == 0 || (w & (w - 1)))
            FAILF("slot %d: CLOSING claimed by 0x%x (one bit per process)", i, w);
        CHECK_EQ(tide_conninfo_flags(slot[i]), TIDE_CONN_PAUSED | TIDE_CONN_CLOSING);
    }
    /* Cleared, it can be claimed once more. */
    tide_conninfo_t *c = slot[0];
    CHECK(!tide_conninfo_claim(c, TIDE_CONN_CLOSING));
    tide_conninfo_clear(c, TIDE_CONN_CLOSING);
    CHECK_EQ(tide_conninfo_flags(c), TIDE_CONN_PAUSED);
    CHECK(tide_conninfo_claim(c, TIDE_CONN_CLOSING));
    CHECK(!tide_conninfo_claim(c, TIDE_CONN_CLOSING));
    tide_conninfo_clear(c, TIDE_CONN_PAUSED | TIDE_CONN_CLOSING);
    CHECK_EQ(tide_conninfo_flags(c), 0);
    munmap(winner, SLOTS * sizeof(uint32_t));
    tide_conntab_destroy(&t);
}

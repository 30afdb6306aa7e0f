/* SPDX-License-Identifier: MIT */
/*
 * The connection table's promises to readers in other processes (tide/conntab.h): a
 * snapshot is a consistent copy while the owner writes, never a copy of another
 * connection, and flags change by atomic read-modify-write. (Ids, partitions and the
 * shared pids are tested in test_server.c.)
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"
#include "tide/common.h"
#include "tide/conntab.h"
#include "tide/reactor.h"

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
        /* The owner: between two consistent states until told to stop. */
        uint64_t n = 0;
        while (!__atomic_load_n(&shared[0], __ATOMIC_RELAXED))
            write_state(c, 1 + (uint32_t)(++n & 1));
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
    CHECK(shared[1] > 1000);
    CHECK(seen[1] > 0 && seen[2] > 0);
    /* Not checked: how often a snapshot of this live connection gave up (every try met a
     * write: "as if gone"). Against a writer that never pauses, most do. */
    (void)refused;
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

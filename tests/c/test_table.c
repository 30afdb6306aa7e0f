/* SPDX-License-Identifier: MIT */
/*
 * The shared-memory table (tide/table.h) and the dead-owner spinlock (tide/shm.h): a table of
 * size rows holds size keys of any spread, what a full table says, incr exact and rows never
 * half written under processes that race, and a lock whose owner died is taken over.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"
#include "tide/common.h"
#include "tide/shm.h"
#include "tide/table.h"

static void table_new(tide_table_t *t, uint64_t size)
{
    CHECK_EQ(tide_table_init(t, size), 0);
    CHECK_EQ(tide_table_column(t, "n", 1, TIDE_TABLE_INT, 0), 0);
    CHECK_EQ(tide_table_column(t, "f", 1, TIDE_TABLE_FLOAT, 0), 0);
    CHECK_EQ(tide_table_column(t, "s", 1, TIDE_TABLE_STRING, 32), 0);
    CHECK_EQ(tide_table_create(t), 0);
}

static uint64_t rnd_state = 88172645463325252ull;
static uint64_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

/* Random keys of 1 to 63 bytes, all different. */
static void random_key(char *k, size_t *n, uint32_t i)
{
    *n = 5 + rnd() % 59;
    for (size_t j = 0; j < *n; j++)
        k[j] = (char)rnd();
    memcpy(k, &i, 4); /* distinct */
}

TEST(table_columns_and_sizes_are_checked)
{
    tide_table_t t;
    CHECK_EQ(tide_table_init(&t, 0), -EINVAL);
    CHECK_EQ(tide_table_init(&t, (uint64_t)TIDE_TABLE_SIZE_MAX + 1), -EINVAL);
    CHECK_EQ(tide_table_init(&t, 1000), 0);
    CHECK_EQ(t.size, 1024u);
    CHECK_EQ(tide_table_column(&t, "", 0, TIDE_TABLE_INT, 0), -EINVAL);
    CHECK_EQ(tide_table_column(&t, "x", 1, 9, 0), -EINVAL);
    CHECK_EQ(tide_table_column(&t, "x", 1, TIDE_TABLE_STRING, 0), -EINVAL);
    CHECK_EQ(tide_table_column(&t, "x", 1, TIDE_TABLE_INT, 0), 0);
    CHECK_EQ(tide_table_column(&t, "x", 1, TIDE_TABLE_FLOAT, 0), -EEXIST);
    CHECK_EQ(tide_table_create(&t), 0);
    CHECK_EQ(tide_table_column(&t, "y", 1, TIDE_TABLE_INT, 0), -EBUSY);
    CHECK_EQ(tide_table_create(&t), -EBUSY);
    tide_table_destroy(&t);
}

/* Every row of the pool takes a key, however the keys spread over the buckets; the next
 * key is refused (-ENOSPC); a deleted row is taken again. */
TEST(table_of_size_rows_holds_size_random_keys_then_refuses_one_more)
{
    for (uint64_t size = 64; size <= 65536; size *= 32) {
        tide_table_t t;
        table_new(&t, size);
        char k[64], first[64];
        size_t n, first_len = 0;
        tide_table_field_t f = {.col = 0};
        for (uint32_t i = 0; i < size; i++) {
            random_key(k, &n, i);
            if (i == 0) {
                memcpy(first, k, n);
                first_len = n;
            }
            f.i = i;
            if (tide_table_set(&t, k, n, &f, 1) != 0)
                FAILF("key %u of %llu refused", i, (unsigned long long)size);
        }
        CHECK_EQ(tide_table_count(&t), size);
        random_key(k, &n, (uint32_t)size);
        CHECK_EQ(tide_table_set(&t, k, n, &f, 1), -ENOSPC);
        int64_t out;
        double d;
        CHECK_EQ(tide_table_incr(&t, k, n, 0, 1, 0, &out, &d), -ENOSPC);
        /* an existing key is still updated */
        memcpy(k, first, first_len);
        n = first_len;
        f.i = 42;
        CHECK_EQ(tide_table_set(&t, k, n, &f, 1), 0);
        char row[256];
        CHECK_EQ(tide_table_get(&t, k, n, row), 0);
        CHECK_EQ(tide_table_get_int(&t, row, 0), 42);
        CHECK_EQ(tide_table_del(&t, k, n), 0);
        CHECK_EQ(tide_table_del(&t, k, n), -ENOENT);
        CHECK(!tide_table_exists(&t, k, n));
        random_key(k, &n, 999999);
        CHECK_EQ(tide_table_set(&t, k, n, &f, 1), 0); /* the freed row */
        tide_table_stats_t st;
        tide_table_stats(&t, &st);
        CHECK_EQ(st.num, size);
        CHECK_EQ(st.rows_free, 0);
        CHECK_EQ(st.set_fail_count, 2);
        tide_table_destroy(&t);
    }
}

static void count_row(void *arg, const char *key, size_t klen, const void *data)
{
    TIDE_UNUSED(key);
    TIDE_UNUSED(klen);
    TIDE_UNUSED(data);
    (*(size_t *)arg)++;
}

TEST(table_rows_keep_their_columns_and_iteration_sees_every_row)
{
    tide_table_t t;
    table_new(&t, 100);
    tide_table_field_t f[3] = {{.col = 0, .i = -7}, {.col = 1, .d = 2.5}, {.col = 2, .s = "hello", .len = 5}};
    CHECK_EQ(tide_table_set(&t, "k\0ey", 4, f, 3), 0); /* binary keys */
    CHECK(!tide_table_exists(&t, "k", 1));
    char row[256];
    CHECK_EQ(tide_table_get(&t, "k\0ey", 4, row), 0);
    CHECK_EQ(tide_table_get_int(&t, row, 0), -7);
    CHECK(tide_table_get_float(&t, row, 1) == 2.5);
    uint32_t n;
    const char *s = tide_table_get_str(&t, row, 2, &n);
    CHECK_EQ(n, 5u);
    CHECK(memcmp(s, "hello", 5) == 0);
    /* a partial set keeps the other columns */
    tide_table_field_t one = {.col = 0, .i = 9};
    CHECK_EQ(tide_table_set(&t, "k\0ey", 4, &one, 1), 0);
    CHECK_EQ(tide_table_get(&t, "k\0ey", 4, row), 0);
    CHECK_EQ(tide_table_get_int(&t, row, 0), 9);
    s = tide_table_get_str(&t, row, 2, &n);
    CHECK(n == 5 && memcmp(s, "hello", 5) == 0);
    int64_t oi;
    double od;
    CHECK_EQ(tide_table_incr(&t, "new", 3, 1, 0, 0.25, &oi, &od), 0);
    CHECK(od == 0.25);
    CHECK_EQ(tide_table_incr(&t, "new", 3, 2, 1, 0, &oi, &od), -EINVAL);
    for (int i = 0; i < 100; i++) {
        char k[16];
        int kl = snprintf(k, sizeof(k), "row%d", i);
        CHECK_EQ(tide_table_set(&t, k, (size_t)kl, &one, 1), 0);
    }
    size_t seen = 0;
    for (uint32_t b = 0; b < t.size; b++)
        tide_table_bucket(&t, b, count_row, &seen);
    CHECK_EQ(seen, 102u);
    CHECK_EQ(tide_table_count(&t), 102u);
    tide_table_destroy(&t);
}

/* Processes race on incr of the same keys: nothing is lost. */
TEST(table_incr_is_exact_when_processes_race)
{
    tide_table_t t;
    table_new(&t, 1024);
    enum { PROCS = 4, N = 50000 };
    pid_t kids[PROCS];
    for (int p = 0; p < PROCS; p++) {
        kids[p] = fork();
        CHECK(kids[p] >= 0);
        if (kids[p] == 0) {
            int64_t oi;
            double od;
            for (int i = 0; i < N; i++) {
                char k[8];
                int kl = snprintf(k, sizeof(k), "c%d", i % 8);
                if (tide_table_incr(&t, k, (size_t)kl, 0, 1, 0, &oi, &od) != 0)
                    _exit(1);
                if (tide_table_incr(&t, "f", 1, 1, 0, 0.5, &oi, &od) != 0)
                    _exit(1);
            }
            _exit(0);
        }
    }
    for (int p = 0; p < PROCS; p++) {
        int st;
        CHECK_EQ(waitpid(kids[p], &st, 0), kids[p]);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    int64_t total = 0;
    char row[256];
    for (int i = 0; i < 8; i++) {
        char k[8];
        int kl = snprintf(k, sizeof(k), "c%d", i);
        CHECK_EQ(tide_table_get(&t, k, (size_t)kl, row), 0);
        total += tide_table_get_int(&t, row, 0);
    }
    CHECK_EQ(total, (int64_t)PROCS * N);
    CHECK_EQ(tide_table_get(&t, "f", 1, row), 0);
    CHECK(tide_table_get_float(&t, row, 1) == 0.5 * PROCS * N);
    tide_table_destroy(&t);
}

/* Writers flip rows between two consistent states (n = i, s = "i" repeated) while readers
 * check every row they read, in other processes: no reader sees half of a write. */
TEST(table_readers_never_see_half_a_write)
{
    tide_table_t t;
    table_new(&t, 64);
    enum { KEYS = 4 };
    pid_t kids[4];
    for (int p = 0; p < 4; p++) {
        kids[p] = fork();
        CHECK(kids[p] >= 0);
        if (kids[p] == 0) {
            bool writer = p < 2;
            for (int i = 0; i < 200000; i++) {
                char k[4] = {'k', (char)('0' + i % KEYS), 0, 0};
                if (writer) {
                    int64_t v = (i / KEYS) % 2 ? 1111111111 : 2222222222;
                    char s[32];
                    memset(s, v == 1111111111 ? 'a' : 'b', sizeof(s));
                    tide_table_field_t f[2] = {{.col = 0, .i = v}, {.col = 2, .s = s, .len = 32}};
                    tide_table_set(&t, k, 2, f, 2);
                } else {
                    char row[256];
                    if (tide_table_get(&t, k, 2, row) != 0)
                        continue;
                    int64_t v = tide_table_get_int(&t, row, 0);
                    uint32_t n;
                    const char *s = tide_table_get_str(&t, row, 2, &n);
                    char want = v == 1111111111 ? 'a' : 'b';
                    for (uint32_t j = 0; j < n; j++)
                        if (s[j] != want)
                            _exit(2);
                }
            }
            _exit(0);
        }
    }
    for (int p = 0; p < 4; p++) {
        int st;
        CHECK_EQ(waitpid(kids[p], &st, 0), kids[p]);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            FAILF("process %d: a torn row (status %d)", p, st);
    }
    tide_table_destroy(&t);
}

/* A process killed while it holds a spinlock: the next locker takes it over (and is told). */
TEST(spinlock_of_a_dead_owner_is_taken_over)
{
    tide_spin_t *s = tide_shm_alloc(sizeof(*s));
    CHECK(s != NULL);
    int ready[2];
    CHECK_EQ(pipe(ready), 0);
    pid_t kid = fork();
    CHECK(kid >= 0);
    if (kid == 0) {
        tide_spin_lock(s);
        (void)!write(ready[1], "x", 1);
        pause();
        _exit(0);
    }
    char c;
    CHECK_EQ(read(ready[0], &c, 1), 1);
    CHECK(!tide_spin_trylock(s));
    kill(kid, SIGKILL);
    CHECK_EQ(waitpid(kid, NULL, 0), kid);
    CHECK(tide_spin_lock(s)); /* taken over */
    tide_spin_unlock(s);
    CHECK(!tide_spin_lock(s)); /* an ordinary lock now */
    tide_spin_unlock(s);
    close(ready[0]);
    close(ready[1]);
    tide_shm_free(s, sizeof(*s));
}

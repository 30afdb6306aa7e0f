/* SPDX-License-Identifier: MIT */
/* Atomic, Atomic\Long and Lock across forked processes (include/tide/sync.h). */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test.h"
#include "tide/shm.h"
#include "tide/sync.h"

static const tide_lock_type_t lock_types[] = {TIDE_LOCK_MUTEX, TIDE_LOCK_SPINLOCK,
                                              TIDE_LOCK_RWLOCK};
static const char *const lock_names[] = {"MUTEX", "SPINLOCK", "RWLOCK"};

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Waits for every child in pids; each must exit 0. */
static void reap_all(const pid_t *pids, int n)
{
    for (int i = 0; i < n; i++) {
        int status;
        CHECK_EQ(waitpid(pids[i], &status, 0), pids[i]);
        CHECK(WIFEXITED(status));
        CHECK_EQ(WEXITSTATUS(status), 0);
    }
}

/* Waits (in the kernel, at most 5 s) until pid sleeps in a futex wait. */
static void await_futex_sleep(pid_t pid)
{
    char path[64], wchan[64];
    snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
    int64_t end = mono_ns() + 5000000000LL;
    for (;;) {
        FILE *f = fopen(path, "r");
        size_t n = f ? fread(wchan, 1, sizeof(wchan) - 1, f) : 0;
        if (f)
            fclose(f);
        wchan[n] = 0;
        if (strncmp(wchan, "futex", 5) == 0)
            return;
        CHECK(mono_ns() < end);
        sched_yield();
    }
}

/* Reads one byte a child writes when it got somewhere (at most 5 s). */
static void await_byte(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    CHECK_EQ(poll(&p, 1, 5000), 1);
    char c;
    CHECK_EQ(read(fd, &c, 1), 1);
}

TEST(atomic_add_sub_set_and_cmpset_wrap_at_32_bits)
{
    tide_atomic_t *a = tide_atomic_new(5);
    CHECK(a != NULL);
    CHECK_EQ(tide_atomic_get(a), 5);
    CHECK_EQ(tide_atomic_add(a, 10), 15);
    CHECK_EQ(tide_atomic_sub(a, 20), UINT32_MAX - 4);
    CHECK_EQ(tide_atomic_add(a, 5), 0);
    tide_atomic_set(a, UINT32_MAX);
    CHECK_EQ(tide_atomic_add(a, 1), 0);
    CHECK(!tide_atomic_cmpset(a, 1, 2));
    CHECK(tide_atomic_cmpset(a, 0, 7));
    CHECK_EQ(tide_atomic_get(a), 7);
    tide_atomic_free(a);
}

TEST(atomic64_is_signed_and_wraps_as_twos_complement)
{
    tide_atomic64_t *a = tide_atomic64_new(-5);
    CHECK(a != NULL);
    CHECK_EQ(tide_atomic64_add(a, 3), -2);
    CHECK_EQ(tide_atomic64_sub(a, 10), -12);
    tide_atomic64_set(a, INT64_MAX);
    CHECK(tide_atomic64_add(a, 1) == INT64_MIN);
    CHECK(tide_atomic64_cmpset(a, INT64_MIN, 1LL << 40));
    CHECK(!tide_atomic64_cmpset(a, 0, 1));
    CHECK(tide_atomic64_get(a) == 1LL << 40);
    tide_atomic64_free(a);
}

TEST(atomic_adds_from_four_processes_give_the_exact_total)
{
    enum { PROCS = 4, ADDS = 100000 };
    tide_atomic_t *a = tide_atomic_new(0);
    tide_atomic64_t *l = tide_atomic64_new(0);
    pid_t pids[PROCS];
    for (int i = 0; i < PROCS; i++) {
        if ((pids[i] = fork()) == 0) {
            for (int k = 0; k < ADDS; k++) {
                tide_atomic_add(a, 1);
                tide_atomic64_add(l, 3);
                tide_atomic64_sub(l, 1);
            }
            _exit(0);
        }
    }
    reap_all(pids, PROCS);
    CHECK_EQ(tide_atomic_get(a), PROCS * ADDS);
    CHECK_EQ(tide_atomic64_get(l), 2LL * PROCS * ADDS);
    tide_atomic_free(a);
    tide_atomic64_free(l);
}

TEST(atomic_cmpset_increments_racing_in_four_processes_lose_none)
{
    enum { PROCS = 4, INCS = 50000 };
    tide_atomic_t *a = tide_atomic_new(0);
    tide_atomic_t *lost = tide_atomic_new(0);
    pid_t pids[PROCS];
    for (int i = 0; i < PROCS; i++) {
        if ((pids[i] = fork()) == 0) {
            for (int k = 0; k < INCS;) {
                uint32_t v = tide_atomic_get(a);
                if (tide_atomic_cmpset(a, v, v + 1))
                    k++;
                else
                    tide_atomic_add(lost, 1);
            }
            _exit(0);
        }
    }
    reap_all(pids, PROCS);
    CHECK_EQ(tide_atomic_get(a), PROCS * INCS);
    tide_atomic_free(a);
    tide_atomic_free(lost);
}

TEST(atomic_wait_times_out_after_its_timeout)
{
    tide_atomic_t *a = tide_atomic_new(0);
    CHECK_EQ(tide_atomic_wait(a, 0), -ETIMEDOUT);
    int64_t t0 = mono_ns();
    CHECK_EQ(tide_atomic_wait(a, 150000000), -ETIMEDOUT);
    int64_t took = mono_ns() - t0;
    CHECK(took >= 150000000);
    CHECK(took < 1000000000);
    CHECK_EQ(tide_atomic_get(a), 0);
    tide_atomic_free(a);
}

TEST(atomic_wait_refuses_a_counter_that_is_neither_0_nor_1)
{
    tide_atomic_t *a = tide_atomic_new(5);
    CHECK_EQ(tide_atomic_wait(a, 1000000000), -EAGAIN);
    CHECK_EQ(tide_atomic_wakeup(a, 1), 0); /* nothing to wake, value kept */
    CHECK_EQ(tide_atomic_get(a), 5);
    tide_atomic_free(a);
}

TEST(atomic_wakeup_before_the_wait_is_not_lost_and_is_consumed_once)
{
    tide_atomic_t *a = tide_atomic_new(0);
    CHECK_EQ(tide_atomic_wakeup(a, 1), 0);
    CHECK_EQ(tide_atomic_get(a), 1);
    CHECK_EQ(tide_atomic_wakeup(a, 1), 0); /* already pending */
    CHECK_EQ(tide_atomic_wait(a, 0), 0);
    CHECK_EQ(tide_atomic_get(a), 0);
    CHECK_EQ(tide_atomic_wait(a, 0), -ETIMEDOUT);
    tide_atomic_free(a);
}

TEST(atomic_wakeups_from_the_parent_end_waits_in_three_processes)
{
    enum { PROCS = 3 };
    tide_atomic_t *a = tide_atomic_new(0);
    int woke[2];
    CHECK_EQ(pipe(woke), 0);
    pid_t pids[PROCS];
    for (int i = 0; i < PROCS; i++) {
        if ((pids[i] = fork()) == 0) {
            int rc = tide_atomic_wait(a, 5000000000LL);
            (void)!write(woke[1], "w", 1);
            _exit(rc == 0 ? 0 : 1);
        }
    }
    /* Every child asleep in the kernel: the wakeups below go through futex_wake. */
    for (int i = 0; i < PROCS; i++)
        await_futex_sleep(pids[i]);
    for (int i = 0; i < PROCS; i++) {
        /* One wakeup ends one wait: the next is sent once a waiter has taken it. */
        tide_atomic_wakeup(a, PROCS);
        await_byte(woke[0]);
    }
    reap_all(pids, PROCS);
    CHECK_EQ(tide_atomic_wait(a, 0), -ETIMEDOUT);
    close(woke[0]);
    close(woke[1]);
    tide_atomic_free(a);
}

/* Four processes add 1 to a plain (non-atomic) counter 20,000 times each under the lock. */
static void critical_section(tide_lock_type_t type)
{
    enum { PROCS = 4, INCS = 20000 };
    tide_lock_t *l = tide_lock_new(type);
    CHECK(l != NULL);
    volatile uint64_t *counter = tide_shm_alloc(sizeof(*counter));
    pid_t pids[PROCS];
    for (int i = 0; i < PROCS; i++) {
        if ((pids[i] = fork()) == 0) {
            for (int k = 0; k < INCS; k++) {
                if (tide_lock_acquire(l, false, -1, NULL) != 0)
                    _exit(2);
                uint64_t v = *counter;
                if ((k & 255) == 0)
                    sched_yield(); /* widen the window a broken lock would show */
                *counter = v + 1;
                if (tide_lock_release(l) != 0)
                    _exit(3);
            }
            _exit(0);
        }
    }
    reap_all(pids, PROCS);
    CHECK_EQ(*counter, PROCS * INCS);
    tide_shm_free((void *)counter, sizeof(*counter));
    tide_lock_free(l);
}

TEST(lock_mutex_keeps_a_counter_exact_across_four_processes)
{
    critical_section(TIDE_LOCK_MUTEX);
}

TEST(lock_spinlock_keeps_a_counter_exact_across_four_processes)
{
    critical_section(TIDE_LOCK_SPINLOCK);
}

TEST(lock_rwlock_write_lock_keeps_a_counter_exact_across_four_processes)
{
    critical_section(TIDE_LOCK_RWLOCK);
}

/* A child takes the lock (shared: a read lock) and is then killed, or holds it until the
 * parent says so. Returns its pid. */
static pid_t child_holding(tide_lock_t *l, bool shared, tide_atomic_t *held, tide_atomic_t *go)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (tide_lock_acquire(l, shared, -1, NULL) != 0)
            _exit(2);
        tide_atomic_wakeup(held, 1);
        if (!go)
            for (;;)
                pause(); /* until killed */
        if (tide_atomic_wait(go, 10000000000LL) != 0)
            _exit(4);
        _exit(tide_lock_release(l) == 0 ? 0 : 3);
    }
    CHECK_EQ(tide_atomic_wait(held, 5000000000LL), 0);
    return pid;
}

static void killed_holder(tide_lock_type_t type, bool shared, bool shared_after)
{
    tide_lock_t *l = tide_lock_new(type);
    tide_atomic_t *held = tide_atomic_new(0);
    pid_t pid = child_holding(l, shared, held, NULL), dead = 0;
    CHECK_EQ(kill(pid, SIGKILL), 0);
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFSIGNALED(status));
    int64_t t0 = mono_ns();
    CHECK_EQ(tide_lock_acquire(l, shared_after, 5000000000LL, &dead), 1);
    CHECK(mono_ns() - t0 < 2000000000LL);
    CHECK_EQ(dead, pid);
    CHECK_EQ(tide_lock_release(l), 0);
    /* Consistent again: taken and let go without a report. */
    CHECK_EQ(tide_lock_acquire(l, false, 0, &dead), 0);
    CHECK_EQ(tide_lock_release(l), 0);
    tide_atomic_free(held);
    tide_lock_free(l);
}

TEST(lock_mutex_of_a_killed_owner_is_taken_over_and_reported)
{
    killed_holder(TIDE_LOCK_MUTEX, false, false);
}

TEST(lock_spinlock_of_a_killed_owner_is_taken_over_and_reported)
{
    killed_holder(TIDE_LOCK_SPINLOCK, false, false);
}

TEST(lock_rwlock_of_a_killed_writer_is_taken_over_and_reported)
{
    killed_holder(TIDE_LOCK_RWLOCK, false, false);
    killed_holder(TIDE_LOCK_RWLOCK, false, true);
}

TEST(lock_rwlock_of_a_killed_reader_is_taken_over_by_a_writer_and_reported)
{
    killed_holder(TIDE_LOCK_RWLOCK, true, false);
}

TEST(lock_a_try_of_a_lock_whose_owner_was_killed_takes_it_over)
{
    for (size_t i = 0; i < sizeof(lock_types) / sizeof(lock_types[0]); i++) {
        tide_lock_t *l = tide_lock_new(lock_types[i]);
        tide_atomic_t *held = tide_atomic_new(0);
        pid_t pid = child_holding(l, false, held, NULL), dead = 0;
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        int rc = tide_lock_acquire(l, false, 0, &dead);
        if (rc != 1 || dead != pid)
            FAILF("%s: rc %d, dead %d (child %d)", lock_names[i], rc, (int)dead, (int)pid);
        CHECK_EQ(tide_lock_release(l), 0);
        tide_atomic_free(held);
        tide_lock_free(l);
    }
}

TEST(lock_a_timed_lock_held_by_a_live_process_times_out_on_time)
{
    for (size_t i = 0; i < sizeof(lock_types) / sizeof(lock_types[0]); i++) {
        tide_lock_t *l = tide_lock_new(lock_types[i]);
        tide_atomic_t *held = tide_atomic_new(0), *go = tide_atomic_new(0);
        pid_t pid = child_holding(l, false, held, go);
        CHECK_EQ(tide_lock_acquire(l, false, 0, NULL), -EBUSY);
        CHECK_EQ(tide_lock_acquire(l, true, 0, NULL), -EBUSY);
        int64_t t0 = mono_ns();
        int rc = tide_lock_acquire(l, false, 200000000, NULL);
        int64_t took = mono_ns() - t0;
        if (rc != -ETIMEDOUT || took < 200000000 || took > 1000000000)
            FAILF("%s: rc %d after %lld ns", lock_names[i], rc, (long long)took);
        CHECK_EQ(tide_lock_release(l), -EPERM); /* not ours */
        tide_atomic_wakeup(go, 1);
        /* The child lets go: a waiter gets it. */
        CHECK_EQ(tide_lock_acquire(l, false, 5000000000LL, NULL), 0);
        CHECK_EQ(tide_lock_release(l), 0);
        reap_all(&pid, 1);
        tide_atomic_free(held);
        tide_atomic_free(go);
        tide_lock_free(l);
    }
}

TEST(lock_rwlock_readers_share_and_a_writer_waits_for_them)
{
    tide_lock_t *l = tide_lock_new(TIDE_LOCK_RWLOCK);
    tide_atomic_t *held = tide_atomic_new(0), *go = tide_atomic_new(0);
    pid_t pid = child_holding(l, true, held, go);
    CHECK_EQ(tide_lock_acquire(l, true, 0, NULL), 0); /* a second reader */
    CHECK_EQ(tide_lock_acquire(l, false, 0, NULL), -EBUSY);
    CHECK_EQ(tide_lock_release(l), 0);
    CHECK_EQ(tide_lock_acquire(l, false, 0, NULL), -EBUSY); /* the child still reads */
    tide_atomic_wakeup(go, 1);
    CHECK_EQ(tide_lock_acquire(l, false, 5000000000LL, NULL), 0);
    reap_all(&pid, 1);
    /* A writer keeps readers out. */
    CHECK_EQ(tide_lock_acquire(l, true, 0, NULL), -EBUSY);
    CHECK_EQ(tide_lock_release(l), 0);
    CHECK_EQ(tide_lock_release(l), -EPERM);
    tide_atomic_free(held);
    tide_atomic_free(go);
    tide_lock_free(l);
}

TEST(lock_rwlock_holds_64_readers_and_the_next_waits_for_a_slot)
{
    tide_lock_t *l = tide_lock_new(TIDE_LOCK_RWLOCK);
    for (int i = 0; i < TIDE_RWLOCK_READERS; i++)
        CHECK_EQ(tide_lock_acquire(l, true, 0, NULL), 0);
    CHECK_EQ(tide_lock_acquire(l, true, 0, NULL), -EBUSY);
    CHECK_EQ(tide_lock_release(l), 0);
    CHECK_EQ(tide_lock_acquire(l, true, 0, NULL), 0);
    for (int i = 0; i < TIDE_RWLOCK_READERS; i++)
        CHECK_EQ(tide_lock_release(l), 0);
    CHECK_EQ(tide_lock_release(l), -EPERM);
    tide_lock_free(l);
}

TEST(lock_relocking_what_only_this_process_holds_fails_instead_of_hanging)
{
    for (size_t i = 0; i < sizeof(lock_types) / sizeof(lock_types[0]); i++) {
        tide_lock_t *l = tide_lock_new(lock_types[i]);
        CHECK_EQ(tide_lock_release(l), -EPERM);
        CHECK_EQ(tide_lock_acquire(l, false, -1, NULL), 0);
        CHECK_EQ(tide_lock_acquire(l, false, 0, NULL), -EBUSY);
        CHECK_EQ(tide_lock_acquire(l, false, -1, NULL), -EDEADLK);
        CHECK_EQ(tide_lock_acquire(l, false, 100000000, NULL), -EDEADLK);
        CHECK_EQ(tide_lock_release(l), 0);
        CHECK_EQ(tide_lock_release(l), -EPERM);
        tide_lock_free(l);
    }
}

TEST(lock_of_an_unknown_type_is_refused)
{
    errno = 0;
    CHECK(tide_lock_new((tide_lock_type_t)2) == NULL);
    CHECK_EQ(errno, EINVAL);
}

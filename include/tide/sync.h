/* SPDX-License-Identifier: MIT */
/*
 * Counters and locks in shared memory, for every process of a server (Tide\Atomic,
 * Tide\Atomic\Long, Tide\Lock).
 *
 * Each object is one tide_shm_alloc() mapping made before the server forks: the processes
 * forked later share it, and each unmaps it on its own (tide_*_free); the kernel frees it
 * when the last one is gone. Nothing here is initialised again after a fork.
 *
 * A process killed while it holds a lock does not leave the others stuck: the MUTEX is a
 * robust pthread mutex (the kernel marks it when its owner dies), the SPINLOCK's word is its
 * owner's pid, and the RWLOCK keeps the pids of its writer and readers; a waiter that finds
 * a dead holder takes over from it, and says so (a return value > 0), because what the lock
 * guarded may be half written. A dead holder is found with kill(pid, 0): a pid the kernel
 * has already given to a new process looks alive (pids wrap after pid_max).
 *
 * The calls take a timeout in nanoseconds: < 0 waits for ever, 0 only tries (-EBUSY when
 * it cannot), > 0 waits at most that long (-ETIMEDOUT). They block in the kernel; a caller
 * that must not block (a coroutine) tries in a loop with a sleep of its own.
 */
#ifndef TIDE_SYNC_H
#define TIDE_SYNC_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- Atomic: a 32-bit unsigned counter that can also be waited on (futex) ---- */

typedef struct tide_atomic {
    uint32_t value;
} tide_atomic_t;

/* A new counter in shared memory holding value; NULL with errno when mmap fails. Free with
 * tide_atomic_free() (in each process; the others keep theirs). */
tide_atomic_t *tide_atomic_new(uint32_t value);
void tide_atomic_free(tide_atomic_t *a);

/* add/sub return the new value (modulo 2^32); cmpset replaces cmp by new, true if it did. */
uint32_t tide_atomic_add(tide_atomic_t *a, uint32_t n);
uint32_t tide_atomic_sub(tide_atomic_t *a, uint32_t n);
uint32_t tide_atomic_get(const tide_atomic_t *a);
void tide_atomic_set(tide_atomic_t *a, uint32_t v);
bool tide_atomic_cmpset(tide_atomic_t *a, uint32_t cmp, uint32_t new_);

/*
 * Swoole's futex pair. wait() sleeps while the value is 0 and returns 0 once it has taken
 * a wakeup: a value of 1 that it turns back to 0 (so of several waiters woken together,
 * one returns 0 and the others wait on). -ETIMEDOUT when timeout_ns passes first (0: at
 * once), -EAGAIN when the value is neither 0 nor 1 (the counter is used as a counter),
 * -EINTR when a signal interrupts the sleep (the caller's signal handling runs).
 * wakeup() sets 0 to 1 and wakes up to n waiters (if the value was not 0, a wakeup is
 * already pending, or the counter is used as a counter: nothing is woken); the number
 * woken, or a negative errno.
 */
int tide_atomic_wait(tide_atomic_t *a, int64_t timeout_ns);
int tide_atomic_wakeup(tide_atomic_t *a, int n);

/* ---- Atomic\Long: a 64-bit signed counter ---- */

typedef struct tide_atomic64 {
    int64_t value;
} tide_atomic64_t;

tide_atomic64_t *tide_atomic64_new(int64_t value);
void tide_atomic64_free(tide_atomic64_t *a);
/* Wrap around as two's complement. */
int64_t tide_atomic64_add(tide_atomic64_t *a, int64_t n);
int64_t tide_atomic64_sub(tide_atomic64_t *a, int64_t n);
int64_t tide_atomic64_get(const tide_atomic64_t *a);
void tide_atomic64_set(tide_atomic64_t *a, int64_t v);
bool tide_atomic64_cmpset(tide_atomic64_t *a, int64_t cmp, int64_t new_);

/* ---- Lock ---- */

/* Swoole's values (SWOOLE_RWLOCK, SWOOLE_MUTEX, SWOOLE_SPINLOCK); 2 and 4 were its file
 * lock and semaphore, which Tide does not have. */
typedef enum tide_lock_type {
    TIDE_LOCK_RWLOCK = 1,
    TIDE_LOCK_MUTEX = 3,
    TIDE_LOCK_SPINLOCK = 5,
} tide_lock_type_t;

/* How many readers an RWLOCK holds at once; one more waits for a slot. */
#define TIDE_RWLOCK_READERS 64

typedef struct tide_lock tide_lock_t;

/* A new lock in shared memory; NULL with errno (EINVAL: not a tide_lock_type_t). Free with
 * tide_lock_free() in each process: it only unmaps (another process may hold the lock). */
tide_lock_t *tide_lock_new(tide_lock_type_t type);
void tide_lock_free(tide_lock_t *l);
tide_lock_type_t tide_lock_type(const tide_lock_t *l);

/*
 * Takes the lock, shared (a read lock: RWLOCK only; the other types take it exclusive,
 * as Swoole does) or exclusive. Returns 0; or the number (> 0) of dead holders it took
 * over from, *dead (if not NULL) set to the pid of one of them; -EBUSY (timeout_ns 0) or
 * -ETIMEDOUT when it is held; -EDEADLK when only this process holds it and waiting would
 * be for ever (never with timeout_ns 0: another coroutine of this process may let it go).
 */
int tide_lock_acquire(tide_lock_t *l, bool shared, int64_t timeout_ns, pid_t *dead);
/* Lets go of a hold of this process (its write lock before a read lock); -EPERM when this
 * process holds none. */
int tide_lock_release(tide_lock_t *l);

#endif

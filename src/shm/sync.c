/* SPDX-License-Identifier: MIT */
/* Counters and locks in shared memory: see include/tide/sync.h. */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "tide/shm.h"
#include "tide/sync.h"

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The deadline of a timeout (< 0: none). */
static int64_t deadline_of(int64_t timeout_ns)
{
    return timeout_ns < 0 ? -1 : now_ns() + timeout_ns;
}

/* What is left of a deadline, 0 once it has passed; -1 for none. */
static int64_t left_of(int64_t deadline)
{
    if (deadline < 0)
        return -1;
    int64_t left = deadline - now_ns();
    return left > 0 ? left : 0;
}

static struct timespec ts_of(int64_t ns)
{
    return (struct timespec){(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
}

/* Shared futexes (no FUTEX_PRIVATE_FLAG): the word is in a mapping other processes see. */
static int futex_wait(uint32_t *word, uint32_t val, int64_t ns)
{
    struct timespec ts = ts_of(ns < 0 ? 0 : ns);
    if (syscall(SYS_futex, word, FUTEX_WAIT, val, ns < 0 ? NULL : &ts, NULL, 0) == 0)
        return 0;
    return -errno; /* ETIMEDOUT, EAGAIN (the word changed), EINTR */
}

static int futex_wake(uint32_t *word, int n)
{
    long r = syscall(SYS_futex, word, FUTEX_WAKE, n, NULL, NULL, 0);
    return r < 0 ? -errno : (int)r;
}

static bool pid_dead(uint32_t pid)
{
    return pid && kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* ---- Atomic ---- */

tide_atomic_t *tide_atomic_new(uint32_t value)
{
    tide_atomic_t *a = tide_shm_alloc(sizeof(*a));
    if (a)
        a->value = value;
    return a;
}

void tide_atomic_free(tide_atomic_t *a)
{
    tide_shm_free(a, sizeof(*a));
}

uint32_t tide_atomic_add(tide_atomic_t *a, uint32_t n)
{
    return __atomic_add_fetch(&a->value, n, __ATOMIC_SEQ_CST);
}

uint32_t tide_atomic_sub(tide_atomic_t *a, uint32_t n)
{
    return __atomic_sub_fetch(&a->value, n, __ATOMIC_SEQ_CST);
}

uint32_t tide_atomic_get(const tide_atomic_t *a)
{
    return __atomic_load_n(&a->value, __ATOMIC_SEQ_CST);
}

void tide_atomic_set(tide_atomic_t *a, uint32_t v)
{
    __atomic_store_n(&a->value, v, __ATOMIC_SEQ_CST);
}

bool tide_atomic_cmpset(tide_atomic_t *a, uint32_t cmp, uint32_t new_)
{
    return __atomic_compare_exchange_n(&a->value, &cmp, new_, false, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
}

int tide_atomic_wait(tide_atomic_t *a, int64_t timeout_ns)
{
    int64_t deadline = deadline_of(timeout_ns);
    for (;;) {
        if (tide_atomic_cmpset(a, 1, 0))
            return 0;
        uint32_t v = tide_atomic_get(a);
        if (v == 1)
            continue; /* set between the two reads: take it */
        if (v != 0)
            return -EAGAIN;
        int64_t left = left_of(deadline);
        if (left == 0)
            return -ETIMEDOUT;
        /* 0 (woken: take it if no other waiter did), EAGAIN (it changed), ETIMEDOUT (one
         * last look, then the deadline has passed): all loop. */
        int rc = futex_wait(&a->value, 0, left);
        if (rc == -EINTR)
            return rc;
    }
}

int tide_atomic_wakeup(tide_atomic_t *a, int n)
{
    if (!tide_atomic_cmpset(a, 0, 1))
        return 0;
    return futex_wake(&a->value, n);
}

/* ---- Atomic\Long ---- */

tide_atomic64_t *tide_atomic64_new(int64_t value)
{
    tide_atomic64_t *a = tide_shm_alloc(sizeof(*a));
    if (a)
        a->value = value;
    return a;
}

void tide_atomic64_free(tide_atomic64_t *a)
{
    tide_shm_free(a, sizeof(*a));
}

/* Through uint64_t: a signed overflow would be undefined. */
int64_t tide_atomic64_add(tide_atomic64_t *a, int64_t n)
{
    return (int64_t)__atomic_add_fetch((uint64_t *)&a->value, (uint64_t)n, __ATOMIC_SEQ_CST);
}

int64_t tide_atomic64_sub(tide_atomic64_t *a, int64_t n)
{
    return (int64_t)__atomic_sub_fetch((uint64_t *)&a->value, (uint64_t)n, __ATOMIC_SEQ_CST);
}

int64_t tide_atomic64_get(const tide_atomic64_t *a)
{
    return __atomic_load_n(&a->value, __ATOMIC_SEQ_CST);
}

void tide_atomic64_set(tide_atomic64_t *a, int64_t v)
{
    __atomic_store_n(&a->value, v, __ATOMIC_SEQ_CST);
}

bool tide_atomic64_cmpset(tide_atomic64_t *a, int64_t cmp, int64_t new_)
{
    return __atomic_compare_exchange_n(&a->value, &cmp, new_, false, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
}

/* ---- Lock ---- */

/*
 * The RWLOCK: a robust mutex held only while the state below is read or changed, never
 * while the lock is held, so a process dying with the lock held leaves only its pid in
 * the state (a process dying inside the guard leaves it to the next one, marked).
 * Waiters sleep on `seq`, which every release bumps.
 */
typedef struct rwlock {
    pthread_mutex_t guard;
    uint32_t writer;                        /* pid, 0: none */
    uint32_t seq;                           /* futex word: bumped by each release */
    uint32_t readers[TIDE_RWLOCK_READERS];  /* pids, 0: free slot; a pid once per hold */
} rwlock_t;

/* Owned by no process in particular: every process that mapped it may use it; the first
 * tide_lock_free() does not end it for the others. */
struct tide_lock {
    uint32_t type;
    uint32_t holder; /* MUTEX: the owner's pid, to name it when it died */
    union {
        pthread_mutex_t mutex;
        tide_spin_t spin;
        rwlock_t rw;
    } u;
};

/* A wait longer than this for a held lock makes the waiter check that its holders live. */
#define BUSY_CHECK_NS 10000000

static int robust_mutex_init(pthread_mutex_t *m)
{
    pthread_mutexattr_t attr;
    int rc = pthread_mutexattr_init(&attr);
    if (rc)
        return rc;
    /* ERRORCHECK: relocking in the same process fails with EDEADLK instead of hanging,
     * and only the owner may unlock (EPERM). */
    if (!(rc = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED)) &&
        !(rc = pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST)) &&
        !(rc = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK)))
        rc = pthread_mutex_init(m, &attr);
    pthread_mutexattr_destroy(&attr);
    return rc;
}

tide_lock_t *tide_lock_new(tide_lock_type_t type)
{
    if (type != TIDE_LOCK_MUTEX && type != TIDE_LOCK_RWLOCK && type != TIDE_LOCK_SPINLOCK) {
        errno = EINVAL;
        return NULL;
    }
    tide_lock_t *l = tide_shm_alloc(sizeof(*l));
    if (!l)
        return NULL;
    l->type = type;
    int rc = 0;
    if (type == TIDE_LOCK_MUTEX)
        rc = robust_mutex_init(&l->u.mutex);
    else if (type == TIDE_LOCK_RWLOCK)
        rc = robust_mutex_init(&l->u.rw.guard);
    if (rc) {
        tide_shm_free(l, sizeof(*l));
        errno = rc;
        return NULL;
    }
    return l;
}

void tide_lock_free(tide_lock_t *l)
{
    tide_shm_free(l, sizeof(*l));
}

tide_lock_type_t tide_lock_type(const tide_lock_t *l)
{
    return (tide_lock_type_t)l->type;
}

static int mutex_acquire(tide_lock_t *l, int64_t timeout_ns, pid_t *dead)
{
    int rc;
    if (timeout_ns == 0) {
        rc = pthread_mutex_trylock(&l->u.mutex);
    } else if (timeout_ns < 0) {
        rc = pthread_mutex_lock(&l->u.mutex);
    } else {
        struct timespec abs = ts_of(now_ns() + timeout_ns);
        rc = pthread_mutex_clocklock(&l->u.mutex, CLOCK_MONOTONIC, &abs);
    }
    if (rc == EOWNERDEAD) {
        *dead = (pid_t)l->holder;
        pthread_mutex_consistent(&l->u.mutex);
        l->holder = tide_self_pid();
        return 1;
    }
    if (rc == EDEADLK && timeout_ns == 0)
        rc = EBUSY; /* a try: another coroutine of this process may let go */
    if (rc)
        return -rc; /* EBUSY, ETIMEDOUT, EDEADLK */
    l->holder = tide_self_pid();
    return 0;
}

static int mutex_release(tide_lock_t *l)
{
    if (l->holder != tide_self_pid())
        return -EPERM;
    l->holder = 0;
    return -pthread_mutex_unlock(&l->u.mutex);
}

static int spin_acquire(tide_lock_t *l, int64_t timeout_ns, pid_t *dead)
{
    uint32_t me = tide_self_pid(), *word = &l->u.spin.owner;
    int64_t deadline = deadline_of(timeout_ns), start = now_ns();
    for (unsigned spins = 0;; spins++) {
        uint32_t cur = __atomic_load_n(word, __ATOMIC_RELAXED);
        if (cur == 0) {
            if (tide_spin_trylock(&l->u.spin))
                return 0;
            continue;
        }
        if (cur == me && timeout_ns != 0)
            return -EDEADLK;
        if (spins < 64 && timeout_ns != 0) {
            cpu_relax();
            continue;
        }
        /* A try, or held long: is the owner alive? */
        if ((timeout_ns == 0 || (spins & 63) == 0) && pid_dead(cur) &&
            __atomic_compare_exchange_n(word, &cur, me, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED)) {
            *dead = (pid_t)cur;
            return 1;
        }
        if (timeout_ns == 0)
            return -EBUSY;
        if (left_of(deadline) == 0)
            return -ETIMEDOUT;
        if (now_ns() - start < BUSY_CHECK_NS) {
            sched_yield();
        } else {
            /* Held for long: stop burning a CPU the holder may need. */
            struct timespec ts = {0, 100000};
            nanosleep(&ts, NULL);
        }
    }
}

static int spin_release(tide_lock_t *l)
{
    uint32_t me = tide_self_pid();
    if (!__atomic_compare_exchange_n(&l->u.spin.owner, &me, 0, false, __ATOMIC_RELEASE,
                                     __ATOMIC_RELAXED))
        return -EPERM;
    return 0;
}

static void guard_lock(rwlock_t *rw)
{
    /* A process died inside the guard: the state holds at worst its pid, which the
     * checks below drop. */
    if (pthread_mutex_lock(&rw->guard) == EOWNERDEAD)
        pthread_mutex_consistent(&rw->guard);
}

/* Under the guard: takes it if it is free for this kind of hold. */
static bool rw_take(rwlock_t *rw, bool shared, uint32_t me)
{
    if (rw->writer)
        return false;
    if (!shared) {
        for (int i = 0; i < TIDE_RWLOCK_READERS; i++)
            if (rw->readers[i])
                return false;
        rw->writer = me;
        return true;
    }
    for (int i = 0; i < TIDE_RWLOCK_READERS; i++) {
        if (!rw->readers[i]) {
            rw->readers[i] = me;
            return true;
        }
    }
    return false; /* every slot taken: wait for one */
}

/* Under the guard: drops the holders that are dead; how many. */
static int rw_reap(rwlock_t *rw, pid_t *dead)
{
    int n = 0;
    if (pid_dead(rw->writer)) {
        *dead = (pid_t)rw->writer;
        rw->writer = 0;
        n++;
    }
    for (int i = 0; i < TIDE_RWLOCK_READERS; i++) {
        if (rw->readers[i] && pid_dead(rw->readers[i])) {
            *dead = (pid_t)rw->readers[i];
            rw->readers[i] = 0;
            n++;
        }
    }
    return n;
}

/* Under the guard: this process is the only holder, so waiting would be for ever. */
static bool rw_self_held(const rwlock_t *rw, uint32_t me)
{
    if (rw->writer)
        return rw->writer == me;
    bool mine = false;
    for (int i = 0; i < TIDE_RWLOCK_READERS; i++) {
        if (rw->readers[i] && rw->readers[i] != me)
            return false;
        mine |= rw->readers[i] == me;
    }
    return mine;
}

static int rw_acquire(tide_lock_t *l, bool shared, int64_t timeout_ns, pid_t *dead)
{
    rwlock_t *rw = &l->u.rw;
    uint32_t me = tide_self_pid();
    int64_t deadline = deadline_of(timeout_ns), next_check = now_ns() + BUSY_CHECK_NS;
    int reaped = 0;
    for (bool check = timeout_ns == 0;; check = now_ns() >= next_check) {
        guard_lock(rw);
        if (check) {
            reaped += rw_reap(rw, dead);
            next_check = now_ns() + BUSY_CHECK_NS;
        }
        if (rw_take(rw, shared, me)) {
            pthread_mutex_unlock(&rw->guard);
            return reaped;
        }
        bool self = timeout_ns != 0 && rw_self_held(rw, me);
        uint32_t seq = __atomic_load_n(&rw->seq, __ATOMIC_ACQUIRE);
        pthread_mutex_unlock(&rw->guard);
        if (self)
            return -EDEADLK;
        if (timeout_ns == 0)
            return -EBUSY;
        int64_t left = left_of(deadline);
        if (left == 0)
            return -ETIMEDOUT;
        /* Woken by a release, or after a slice to see whether the holders live. */
        futex_wait(&rw->seq, seq, left < 0 || left > BUSY_CHECK_NS ? BUSY_CHECK_NS : left);
    }
}

static int rw_release(tide_lock_t *l)
{
    rwlock_t *rw = &l->u.rw;
    uint32_t me = tide_self_pid();
    int rc = -EPERM;
    guard_lock(rw);
    if (rw->writer == me) {
        rw->writer = 0;
        rc = 0;
    } else {
        for (int i = 0; i < TIDE_RWLOCK_READERS && rc; i++) {
            if (rw->readers[i] == me) {
                rw->readers[i] = 0;
                rc = 0;
            }
        }
    }
    if (rc == 0)
        __atomic_add_fetch(&rw->seq, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&rw->guard);
    if (rc == 0)
        futex_wake(&rw->seq, INT_MAX);
    return rc;
}

int tide_lock_acquire(tide_lock_t *l, bool shared, int64_t timeout_ns, pid_t *dead)
{
    pid_t ignored;
    if (!dead)
        dead = &ignored;
    *dead = 0;
    switch (l->type) {
    case TIDE_LOCK_MUTEX:
        return mutex_acquire(l, timeout_ns, dead);
    case TIDE_LOCK_SPINLOCK:
        return spin_acquire(l, timeout_ns, dead);
    default:
        return rw_acquire(l, shared, timeout_ns, dead);
    }
}

int tide_lock_release(tide_lock_t *l)
{
    switch (l->type) {
    case TIDE_LOCK_MUTEX:
        return mutex_release(l);
    case TIDE_LOCK_SPINLOCK:
        return spin_release(l);
    default:
        return rw_release(l);
    }
}

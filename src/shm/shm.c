/* SPDX-License-Identifier: MIT */
/* Shared mappings and the owner-checking spinlock: see include/tide/shm.h. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tide/shm.h"

void *tide_shm_alloc(size_t len)
{
    void *p = mmap(NULL, len ? len : 1, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void tide_shm_free(void *p, size_t len)
{
    if (p)
        munmap(p, len ? len : 1);
}

/* The pid, kept: getpid() is a system call (glibc no longer caches it), and it would be
 * most of a table operation's cost. A fork's child starts with the cache empty. */
static uint32_t pid_cache;
static pthread_once_t pid_once = PTHREAD_ONCE_INIT;

static void pid_forget(void)
{
    pid_cache = 0;
}

static void pid_watch_forks(void)
{
    pthread_atfork(NULL, NULL, pid_forget);
}

uint32_t tide_self_pid(void)
{
    if (__builtin_expect(pid_cache == 0, 0)) {
        pthread_once(&pid_once, pid_watch_forks);
        pid_cache = (uint32_t)getpid();
    }
    return pid_cache;
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static bool owner_dead(uint32_t pid)
{
    return pid && kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

bool tide_spin_trylock(tide_spin_t *s)
{
    uint32_t free_ = 0;
    return __atomic_compare_exchange_n(&s->owner, &free_, tide_self_pid(), false, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED);
}

bool tide_spin_lock(tide_spin_t *s)
{
    uint32_t me = tide_self_pid();
    for (unsigned spins = 0;; spins++) {
        uint32_t cur = __atomic_load_n(&s->owner, __ATOMIC_RELAXED);
        if (cur == 0) {
            if (__atomic_compare_exchange_n(&s->owner, &cur, me, true, __ATOMIC_ACQUIRE,
                                            __ATOMIC_RELAXED))
                return false;
            continue;
        }
        if (spins < 64) {
            cpu_relax();
            continue;
        }
        /* Held long: let the owner run, and see whether it is still alive. */
        if ((spins & 1023) == 0 && owner_dead(cur) &&
            __atomic_compare_exchange_n(&s->owner, &cur, me, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return true;
        sched_yield();
    }
}

void tide_spin_unlock(tide_spin_t *s)
{
    __atomic_store_n(&s->owner, 0, __ATOMIC_RELEASE);
}

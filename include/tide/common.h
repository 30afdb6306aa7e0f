/* SPDX-License-Identifier: MIT */
/*
 * Things every core file needs: allocation that never returns NULL, error codes,
 * assertions. Plain C, no PHP.
 */
#ifndef TIDE_COMMON_H
#define TIDE_COMMON_H

#include <stddef.h>
#include <stdint.h>

#define TIDE_VERSION "0.1.0"

/*
 * Errors: core functions return 0 (or a count), a negative errno, or one of these
 * negative Tide codes, which live above the errno range. tide_strerror() names both.
 */
enum {
    TIDE_EBASE = 10000,
    TIDE_ENOURING = -(TIDE_EBASE + 1),  /* io_uring forced but unavailable */
    TIDE_EBACKEND = -(TIDE_EBASE + 2),  /* unknown reactor backend name */
    TIDE_ECLOSED = -(TIDE_EBASE + 3),   /* object closed / reactor stopping */
    TIDE_EFORKED = -(TIDE_EBASE + 4),   /* the reactor belongs to the parent process */
    TIDE_ELIMIT = -(TIDE_EBASE + 5),    /* max_coroutine coroutines are alive */
    TIDE_EKILLED = -(TIDE_EBASE + 6),   /* the coroutine is being torn down: unwind */
    TIDE_ETOOBIG = -(TIDE_EBASE + 7),   /* a package longer than package_max_length */
    TIDE_EPROTO = -(TIDE_EBASE + 8),    /* bytes that break the protocol */
    TIDE_EFULL = -(TIDE_EBASE + 9),     /* a connection's output queue is full */
    TIDE_ESTATE = -(TIDE_EBASE + 10),   /* not possible in this process or state */
    TIDE_EMAX = TIDE_EBASE + 10,
};

/* A static string describing rc (a negative errno or a TIDE_E* code). */
const char *tide_strerror(int rc);

/*
 * Allocation: aborts on out-of-memory, so callers never check for NULL. The hooks
 * can be swapped (tests count allocations with them); set them before any allocation.
 */
typedef struct tide_allocator {
    void *(*malloc)(size_t n);
    void *(*realloc)(void *p, size_t n);
    void (*free)(void *p);
} tide_allocator_t;

void tide_set_allocator(const tide_allocator_t *a);
void *tide_malloc(size_t n);
void *tide_calloc(size_t count, size_t n);
void *tide_realloc(void *p, size_t n);
void tide_free(void *p);

/* For the impossible: prints file:line and the message to stderr, then aborts. */
__attribute__((noreturn, format(printf, 3, 4))) void tide_panic_at(const char *file, int line,
                                                                    const char *fmt, ...);
#define tide_panic(...) tide_panic_at(__FILE__, __LINE__, __VA_ARGS__)

#ifdef TIDE_DEBUG
#define TIDE_ASSERT(cond)                                                                          \
    do {                                                                                           \
        if (!(cond))                                                                               \
            tide_panic("assertion failed: %s", #cond);                                             \
    } while (0)
#else
#define TIDE_ASSERT(cond) ((void)0)
#endif

#define TIDE_UNUSED(x) ((void)(x))
#define TIDE_LIKELY(x) __builtin_expect(!!(x), 1)
#define TIDE_UNLIKELY(x) __builtin_expect(!!(x), 0)

#endif

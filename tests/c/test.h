/* SPDX-License-Identifier: MIT */
/*
 * A small unit-test harness: TEST(name) { ... } registers a test; each runs in its own
 * forked child with a time limit, so a crash or a hang fails one test, not the run.
 * REACTOR_TEST(name) runs once per reactor variant (io_uring, io_uring with single-shot
 * ops and no DEFER_TASKRUN, epoll). Exit 77 from a test (SKIP()) marks it skipped.
 */
#ifndef TIDE_TEST_H
#define TIDE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tide/reactor.h"

typedef struct test_case {
    const char *name;
    void (*fn)(void);
    void (*rfn)(tide_backend_t backend);
    struct test_case *next;
} test_case_t;

void test_register(test_case_t *t);
/* The reactor under test, created with the variant's backend; aborts the test on failure. */
tide_reactor_t *test_reactor(tide_backend_t backend);

#define TEST(name)                                                                                 \
    static void name(void);                                                                        \
    __attribute__((constructor)) static void register_##name(void)                                \
    {                                                                                              \
        static test_case_t t = {#name, name, NULL, NULL};                                          \
        test_register(&t);                                                                         \
    }                                                                                              \
    static void name(void)

#define REACTOR_TEST(name)                                                                         \
    static void name(tide_backend_t backend);                                                      \
    __attribute__((constructor)) static void register_##name(void)                                \
    {                                                                                              \
        static test_case_t t = {#name, NULL, name, NULL};                                          \
        test_register(&t);                                                                         \
    }                                                                                              \
    static void name(tide_backend_t backend)

#define FAILF(...)                                                                                 \
    do {                                                                                           \
        fprintf(stderr, "    %s:%d: ", __FILE__, __LINE__);                                        \
        fprintf(stderr, __VA_ARGS__);                                                              \
        fputc('\n', stderr);                                                                       \
        exit(1);                                                                                   \
    } while (0)

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            FAILF("CHECK(%s) failed", #cond);                                                      \
    } while (0)

#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        long long va_ = (long long)(a), vb_ = (long long)(b);                                      \
        if (va_ != vb_)                                                                            \
            FAILF("CHECK_EQ(%s, %s) failed: %lld != %lld", #a, #b, va_, vb_);                      \
    } while (0)

#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *sa_ = (a), *sb_ = (b);                                                         \
        if (strcmp(sa_, sb_))                                                                      \
            FAILF("CHECK_STR(%s, %s) failed: \"%s\" != \"%s\"", #a, #b, sa_, sb_);                 \
    } while (0)

#define SKIP(...)                                                                                  \
    do {                                                                                           \
        fprintf(stderr, "    skipped: ");                                                          \
        fprintf(stderr, __VA_ARGS__);                                                              \
        fputc('\n', stderr);                                                                       \
        exit(77);                                                                                  \
    } while (0)

#endif

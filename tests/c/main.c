/* SPDX-License-Identifier: MIT */
/*
 * The test runner: `tide-ctest [substring]`. Runs every registered test (reactor tests once
 * per variant) in a forked child with a 30 s limit and ends with
 * "N passed, N failed, N skipped".
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"
#include "tide/common.h"

#define TIME_LIMIT 30

static test_case_t *tests, **tail = &tests;

void test_register(test_case_t *t)
{
    *tail = t;
    tail = &t->next;
}

static const struct variant {
    const char *name;
    tide_backend_t backend;
    const char *env; /* set in the child before the reactor is made */
} variants[] = {
    {"io_uring", TIDE_BACKEND_URING, NULL},
    {"io_uring-single-shot", TIDE_BACKEND_URING,
     "TIDE_URING_NO_MULTISHOT=1 TIDE_URING_NO_DEFER_TASKRUN=1"},
    {"epoll", TIDE_BACKEND_EPOLL, NULL},
};

tide_reactor_t *test_reactor(tide_backend_t backend)
{
    tide_reactor_t *r;
    tide_reactor_opts_t opts = {backend, 0};
    char why[256];
    int rc = tide_reactor_create(&r, &opts, why, sizeof(why));
    if (rc == TIDE_ENOURING)
        SKIP("io_uring unavailable here: %s", why);
    if (rc < 0)
        FAILF("tide_reactor_create: %s", tide_strerror(rc));
    return r;
}

static int run_child(const test_case_t *t, const struct variant *v)
{
    pid_t pid = fork();
    if (pid == 0) {
        alarm(TIME_LIMIT);
        if (v && v->env) {
            char env[128];
            snprintf(env, sizeof(env), "%s", v->env);
            for (char *kv = strtok(env, " "); kv; kv = strtok(NULL, " ")) {
                char *eq = strchr(kv, '=');
                *eq = 0;
                setenv(kv, eq + 1, 1);
            }
        }
        if (v)
            t->rfn(v->backend);
        else
            t->fn();
        exit(0); /* not _exit: LeakSanitizer checks at exit */
    }
    int status;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) {
        fprintf(stderr, "    killed by signal %d%s\n", WTERMSIG(status),
                WTERMSIG(status) == SIGALRM ? " (time limit)" : "");
    }
    return 1;
}

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    int passed = 0, failed = 0, skipped = 0;

    setvbuf(stdout, NULL, _IOLBF, 0);
    for (test_case_t *t = tests; t; t = t->next) {
        int nv = t->rfn ? (int)(sizeof(variants) / sizeof(variants[0])) : 1;
        for (int i = 0; i < nv; i++) {
            char name[160];
            const struct variant *v = t->rfn ? &variants[i] : NULL;
            snprintf(name, sizeof(name), "%s%s%s%s", t->name, v ? "[" : "", v ? v->name : "",
                     v ? "]" : "");
            if (filter && !strstr(name, filter))
                continue;
            int rc = run_child(t, v);
            if (rc == 0) {
                passed++;
                printf("ok   %s\n", name);
            } else if (rc == 77) {
                skipped++;
                printf("skip %s\n", name);
            } else {
                failed++;
                printf("FAIL %s\n", name);
            }
        }
    }
    printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    return failed ? 1 : 0;
}

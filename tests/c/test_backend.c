/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "seccomp.h"
#include "test.h"
#include "tide/common.h"
#include "tide/log.h"
#include "tide/reactor.h"

TEST(backend_names_parse)
{
    tide_backend_t b;
    CHECK_EQ(tide_backend_parse("auto", &b), 0);
    CHECK_EQ(b, TIDE_BACKEND_AUTO);
    CHECK_EQ(tide_backend_parse("io_uring", &b), 0);
    CHECK_EQ(b, TIDE_BACKEND_URING);
    CHECK_EQ(tide_backend_parse("epoll", &b), 0);
    CHECK_EQ(b, TIDE_BACKEND_EPOLL);
    CHECK_EQ(tide_backend_parse("kqueue", &b), TIDE_EBACKEND);
    CHECK_STR(tide_backend_name(TIDE_BACKEND_URING), "io_uring");
}

TEST(auto_prefers_io_uring_with_every_feature_on_this_kernel)
{
    char why[256] = "";
    tide_reactor_t *r;
    CHECK_EQ(tide_reactor_create(&r, NULL, why, sizeof(why)), 0);
    if (tide_reactor_backend(r) != TIDE_BACKEND_URING)
        SKIP("io_uring refused here: %s", why);
    const tide_reactor_features_t *f = tide_reactor_features(r);
    /* ENVIRONMENT.md: this kernel has all of them. Older kernels skip above or fall back. */
    CHECK(f->multishot_accept);
    CHECK(f->multishot_recv);
    CHECK(f->buf_ring);
    CHECK(f->defer_taskrun);
    tide_reactor_destroy(r);
}

TEST(env_forces_single_shot_and_plain_setup)
{
    setenv("TIDE_URING_NO_MULTISHOT", "1", 1);
    setenv("TIDE_URING_NO_DEFER_TASKRUN", "1", 1);
    tide_reactor_t *r = test_reactor(TIDE_BACKEND_URING);
    const tide_reactor_features_t *f = tide_reactor_features(r);
    CHECK(!f->multishot_accept);
    CHECK(!f->multishot_recv);
    CHECK(!f->defer_taskrun);
    tide_reactor_destroy(r);
}

static char logged[512];
static int log_lines;

static void capture_log(int level, const char *line, void *udata)
{
    TIDE_UNUSED(level);
    TIDE_UNUSED(udata);
    snprintf(logged, sizeof(logged), "%s", line);
    log_lines++;
}

TEST(refused_io_uring_falls_back_to_epoll_or_fails_when_forced)
{
    if (deny_io_uring() < 0)
        SKIP("cannot install a seccomp filter here");
    tide_log_set_sink(capture_log, NULL);

    char why[256] = "";
    tide_reactor_t *r = NULL;
    tide_reactor_opts_t forced = {TIDE_BACKEND_URING, 0};
    CHECK_EQ(tide_reactor_create(&r, &forced, why, sizeof(why)), TIDE_ENOURING);
    CHECK(strstr(why, "io_uring_setup: Operation not permitted") != NULL);

    CHECK_EQ(tide_reactor_create(&r, NULL, why, sizeof(why)), 0);
    CHECK_EQ(tide_reactor_backend(r), TIDE_BACKEND_EPOLL);
    CHECK_EQ(log_lines, 1);
    CHECK(strstr(logged, "io_uring unavailable (io_uring_setup: Operation not permitted)"));
    tide_reactor_destroy(r);

    /* One line per process, not one per reactor. */
    CHECK_EQ(tide_reactor_create(&r, NULL, why, sizeof(why)), 0);
    CHECK_EQ(log_lines, 1);
    tide_reactor_destroy(r);

    CHECK_EQ(tide_reactor_probe(TIDE_BACKEND_AUTO, why, sizeof(why)), TIDE_BACKEND_EPOLL);
    CHECK_EQ(tide_reactor_probe(TIDE_BACKEND_URING, why, sizeof(why)), TIDE_BACKEND_AUTO);
}

/* SPDX-License-Identifier: MIT */
/*
 * Process set-up (src/server/process.c) against tide/process.h: users, the pid file, dying
 * with the parent, reaping by pid, daemonizing. Each test runs in its own forked child, so
 * it may fork, become a subreaper and daemonize without touching the runner.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"
#include "tide/common.h"
#include "tide/process.h"
#include "tide/reactor.h"

/* ---- users ---- */

TEST(process_user_check_accepts_existing_entries_and_names_a_missing_one)
{
    char why[256] = "";
    CHECK_EQ(tide_user_check(NULL, NULL, why, sizeof(why)), 0);
    CHECK_EQ(tide_user_check("root", NULL, why, sizeof(why)), 0);
    CHECK_EQ(tide_user_check(NULL, "root", why, sizeof(why)), 0);
    CHECK_EQ(tide_user_check("root", "root", why, sizeof(why)), 0);
    CHECK_STR(why, "");

    CHECK_EQ(tide_user_check("tide-no-such-user", NULL, why, sizeof(why)), -ENOENT);
    CHECK(strstr(why, "user 'tide-no-such-user'"));
    CHECK_EQ(tide_user_check("root", "tide-no-such-group", why, sizeof(why)), -ENOENT);
    CHECK(strstr(why, "group 'tide-no-such-group'"));
    /* A short buffer is cut, not overrun. */
    char tiny[8];
    memset(tiny, 'z', sizeof(tiny));
    CHECK_EQ(tide_user_check("tide-no-such-user", NULL, tiny, sizeof(tiny)), -ENOENT);
    CHECK_EQ(strlen(tiny), sizeof(tiny) - 1);
}

/* ---- pid file ---- */

static void read_file(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    CHECK(fd >= 0);
    ssize_t n = read(fd, buf, cap - 1);
    CHECK(n >= 0);
    buf[n] = 0;
    close(fd);
}

TEST(process_pid_file_holds_the_pid_and_replaces_what_was_there)
{
    char dir[] = "/tmp/tide-pidXXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256], buf[64];
    snprintf(path, sizeof(path), "%s/server.pid", dir);
    CHECK_EQ(tide_pid_file_write(path, 1234567), 0);
    read_file(path, buf, sizeof(buf));
    CHECK_STR(buf, "1234567\n");
    /* A shorter pid over a longer one: nothing of the old one is left. */
    CHECK_EQ(tide_pid_file_write(path, 42), 0);
    read_file(path, buf, sizeof(buf));
    CHECK_STR(buf, "42\n");
    struct stat st;
    CHECK_EQ(stat(path, &st), 0);
    CHECK_EQ(st.st_size, 3);
    unlink(path);

    snprintf(path, sizeof(path), "%s/no-such-dir/server.pid", dir);
    CHECK_EQ(tide_pid_file_write(path, 1), -ENOENT);
    CHECK_EQ(tide_pid_file_write(dir, 1), -EISDIR);
    rmdir(dir);
}

/* ---- dying with the parent ---- */

/* Waits up to 5 s for child pid to end; its status. */
static int wait_for(pid_t pid)
{
    uint64_t dl = tide_time_ns() + 5000000000ull;
    for (;;) {
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return status;
        CHECK(r == 0 || (r < 0 && errno == EINTR));
        if (tide_time_ns() > dl) {
            kill(pid, SIGKILL);
            FAILF("process %d did not end", (int)pid);
        }
        usleep(1000);
    }
}

static void read_byte(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    CHECK_EQ(poll(&p, 1, 5000), 1);
    char c;
    CHECK_EQ(read(fd, &c, 1), 1);
}

TEST(process_die_with_parent_sends_sigterm_when_the_parent_exits)
{
    /* Orphans come to this process, so it can see how the grandchild ended. */
    CHECK_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    int ready[2], gpid[2];
    CHECK_EQ(pipe(ready), 0);
    CHECK_EQ(pipe(gpid), 0);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        pid_t parent = getpid();
        pid_t g = fork();
        if (g == 0) {
            if (!tide_die_with_parent(parent))
                _exit(2);
            CHECK_EQ(write(ready[1], "r", 1), 1);
            for (;;)
                pause(); /* until SIGTERM */
        }
        CHECK_EQ(write(gpid[1], &g, sizeof(g)), (ssize_t)sizeof(g));
        read_byte(ready[0]); /* the grandchild asked for the signal: leave */
        _exit(0);
    }
    pid_t g;
    CHECK_EQ(read(gpid[0], &g, sizeof(g)), (ssize_t)sizeof(g));
    int status = wait_for(child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    status = wait_for(g);
    if (!WIFSIGNALED(status))
        FAILF("the grandchild exited with %d instead of dying", WEXITSTATUS(status));
    CHECK_EQ(WTERMSIG(status), SIGTERM);
}

TEST(process_die_with_parent_is_false_when_the_parent_died_already)
{
    CHECK_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    int go[2], gpid[2];
    CHECK_EQ(pipe(go), 0);
    CHECK_EQ(pipe(gpid), 0);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        pid_t parent = getpid();
        pid_t g = fork();
        if (g == 0) {
            /* Until the test has reaped the child: it is gone, and reparented us. */
            char c;
            struct pollfd p = {go[0], POLLIN, 0};
            if (poll(&p, 1, 5000) != 1 || read(go[0], &c, 1) != 1)
                _exit(3);
            /* What fork() returned in the child stands for "the parent at fork time". */
            _exit(tide_die_with_parent(parent) ? 1 : 0);
        }
        CHECK_EQ(write(gpid[1], &g, sizeof(g)), (ssize_t)sizeof(g));
        _exit(0);
    }
    pid_t g;
    CHECK_EQ(read(gpid[0], &g, sizeof(g)), (ssize_t)sizeof(g));
    int status = wait_for(child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_EQ(write(go[1], "g", 1), 1);
    status = wait_for(g);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0); /* false: it should exit */
}

/* ---- reaping ---- */

/* Waits until child pid has ended, without reaping it. */
static void wait_zombie(pid_t pid)
{
    siginfo_t si;
    memset(&si, 0, sizeof(si));
    CHECK_EQ(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT), 0);
    CHECK_EQ(si.si_pid, pid);
}

static pid_t child_exiting(int code)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        _exit(code);
    return pid;
}

TEST(process_reap_reaps_only_the_child_it_names)
{
    pid_t a = child_exiting(3), b = child_exiting(4);
    int ready[2];
    CHECK_EQ(pipe(ready), 0);
    pid_t running = fork();
    CHECK(running >= 0);
    if (running == 0) {
        close(ready[1]);
        char c;
        (void)!read(ready[0], &c, 1); /* until the test closes its end */
        _exit(5);
    }
    close(ready[0]);
    wait_zombie(a);
    wait_zombie(b);

    int status = -1;
    CHECK_EQ(tide_reap(running, &status), 0); /* it runs */
    CHECK_EQ(tide_reap(a, &status), a);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 3);
    CHECK_EQ(tide_reap(a, &status), -ECHILD); /* reaped already */
    CHECK_EQ(tide_reap(getpid(), &status), -ECHILD); /* not a child */

    /* b was left alone: its status is still there for whoever started it. */
    siginfo_t si;
    memset(&si, 0, sizeof(si));
    CHECK_EQ(waitid(P_PID, (id_t)b, &si, WEXITED | WNOHANG | WNOWAIT), 0);
    CHECK_EQ(si.si_pid, b);
    CHECK_EQ(waitpid(b, &status, 0), b);
    CHECK_EQ(WEXITSTATUS(status), 4);

    close(ready[1]);
    CHECK_EQ(waitpid(running, &status, 0), running);
    CHECK_EQ(WEXITSTATUS(status), 5);
}

TEST(process_reap_never_reaps_a_child_it_does_not_name)
{
    /* pid 0 (a worker slot being replaced) or -1 would be waitpid()'s "any child". */
    pid_t b = child_exiting(4);
    wait_zombie(b);
    int status;
    CHECK_EQ(tide_reap(0, &status), -ECHILD);
    CHECK_EQ(tide_reap(-1, &status), -ECHILD);
    CHECK_EQ(tide_reap(-getpgrp(), &status), -ECHILD);
    CHECK_EQ(waitpid(b, &status, WNOHANG), b);
    CHECK_EQ(WEXITSTATUS(status), 4);
}

/* ---- daemonizing ---- */

TEST(process_daemonize_goes_on_in_a_new_session_with_output_on_the_fd)
{
    int out[2];
    CHECK_EQ(pipe2(out, O_CLOEXEC), 0);
    pid_t me = getpid(), my_sid = getsid(0);
    int rc = tide_daemonize(out[1]);
    if (rc == 0) {
        /* The daemon: report who it is on stdout and stderr, then leave. */
        struct stat in, null;
        bool stdin_null = fstat(0, &in) == 0 && stat("/dev/null", &null) == 0 &&
                          in.st_rdev == null.st_rdev && S_ISCHR(in.st_mode);
        dprintf(1, "pid %d sid %d ppid_was_me %d stdin_null %d\n", (int)getpid(),
                (int)getsid(0), getppid() == me, stdin_null);
        dprintf(2, "stderr too\n");
        _exit(0);
    }
    CHECK_EQ(rc, 1); /* the original, once the first child has exited */
    close(out[1]);
    char buf[512];
    size_t len = 0;
    for (;;) {
        struct pollfd p = {out[0], POLLIN, 0};
        CHECK_EQ(poll(&p, 1, 5000), 1);
        ssize_t n = read(out[0], buf + len, sizeof(buf) - 1 - len);
        CHECK(n >= 0);
        if (n == 0)
            break; /* every copy of the fd closed: the daemon ended */
        len += (size_t)n;
    }
    buf[len] = 0;
    int pid, sid, ppid_was_me, stdin_null;
    if (sscanf(buf, "pid %d sid %d ppid_was_me %d stdin_null %d", &pid, &sid, &ppid_was_me,
               &stdin_null) != 4)
        FAILF("the daemon said \"%s\"", buf);
    CHECK(pid != me);
    CHECK(sid != my_sid);  /* a session of its own */
    CHECK(sid != pid);     /* and not its leader: it cannot take a terminal back */
    CHECK_EQ(ppid_was_me, 0);
    CHECK_EQ(stdin_null, 1);
    CHECK(strstr(buf, "stderr too\n"));
    CHECK_EQ(getsid(0), my_sid); /* the original stays where it was */
    /* The first child was reaped by tide_daemonize. */
    CHECK_EQ(waitpid(-1, NULL, WNOHANG), -1);
    CHECK_EQ(errno, ECHILD);
}

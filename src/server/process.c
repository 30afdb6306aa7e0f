/* SPDX-License-Identifier: MIT */
/*
 * Process set-up for a server (tide/process.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tide/common.h"
#include "tide/process.h"

int tide_daemonize(int out_fd)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        return -errno;
    if (pid > 0) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        return 1;
    }
    setsid();
    pid = fork();
    if (pid < 0)
        _exit(1);
    if (pid > 0)
        _exit(0);
    /* Out of the way of 0..2 first, which the dup2s below replace. */
    if (out_fd >= 0 && out_fd <= 2) {
        int moved = fcntl(out_fd, F_DUPFD_CLOEXEC, 3);
        out_fd = moved >= 0 ? moved : -1;
    }
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, 0);
        dup2(out_fd >= 0 ? out_fd : null, 1);
        dup2(out_fd >= 0 ? out_fd : null, 2);
        close(null);
    }
    return 0;
}

int tide_user_check(const char *user, const char *group, char *why, size_t why_len)
{
    if (group && !getgrnam(group)) {
        snprintf(why, why_len, "group '%s' does not exist", group);
        return -ENOENT;
    }
    if (user && !getpwnam(user)) {
        snprintf(why, why_len, "user '%s' does not exist", user);
        return -ENOENT;
    }
    return 0;
}

int tide_user_switch(const char *user, const char *group, char *why, size_t why_len)
{
    gid_t gid = (gid_t)-1;
    if (group) {
        struct group *g = getgrnam(group);
        if (!g) {
            snprintf(why, why_len, "group '%s' does not exist", group);
            return -ENOENT;
        }
        gid = g->gr_gid;
    }
    if (user) {
        struct passwd *pw = getpwnam(user);
        if (!pw) {
            snprintf(why, why_len, "user '%s' does not exist", user);
            return -ENOENT;
        }
        if (gid == (gid_t)-1)
            gid = pw->pw_gid;
        /* Group first: once the user is switched, setgid is no longer allowed. */
        if (setgid(gid) < 0 || initgroups(pw->pw_name, gid) < 0 || setuid(pw->pw_uid) < 0) {
            int rc = -errno;
            snprintf(why, why_len, "user '%s': %s", user, strerror(-rc));
            return rc;
        }
        return 0;
    }
    if (gid != (gid_t)-1 && (setgid(gid) < 0 || setgroups(1, &gid) < 0)) {
        int rc = -errno;
        snprintf(why, why_len, "group '%s': %s", group, strerror(-rc));
        return rc;
    }
    return 0;
}

int tide_pid_file_write(const char *path, pid_t pid)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -errno;
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%d\n", (int)pid);
    ssize_t w = write(fd, buf, (size_t)n);
    int rc = w == n ? 0 : -(w < 0 ? errno : EIO);
    close(fd);
    return rc;
}

bool tide_die_with_parent(pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    /* The parent may have died between fork() and prctl(): then nobody will signal. */
    return getppid() == parent;
}

pid_t tide_reap(pid_t pid, int *status)
{
    /* 0 or below would be waitpid()'s "any child" (of the group): never ours to take. */
    if (pid <= 0)
        return -ECHILD;
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r >= 0)
            return r;
        if (errno != EINTR)
            return -errno;
    }
}

void tide_signals_block(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, old);
}

void tide_signals_unblock(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * Setting up a server's processes: daemonizing, dropping to another user, the pid file,
 * dying with the parent, and reaping exactly the children a process made (never
 * waitpid(-1), which would steal the status of a child PHP code started for proc_close()).
 */
#ifndef TIDE_PROCESS_H
#define TIDE_PROCESS_H

#include <stdbool.h>
#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Detaches from the terminal: the calling process forks, the child starts a new session
 * and forks again; the grandchild goes on as the daemon with stdin on /dev/null and
 * stdout/stderr on out_fd (or /dev/null when -1). Returns 0 in the daemon, 1 in the original
 * process once the first child has exited (it should leave), or -errno.
 */
int tide_daemonize(int out_fd);

/* Checks that user and group (either may be NULL) name existing entries: 0, or -ENOENT with
 * `why` naming the culprit. */
int tide_user_check(const char *user, const char *group, char *why, size_t why_len);
/* Switches to group and user (setgid, initgroups, setuid). 0 or -errno with `why`. */
int tide_user_switch(const char *user, const char *group, char *why, size_t why_len);

/* Writes pid and a newline to path (replacing it). 0 or -errno. */
int tide_pid_file_write(const char *path, pid_t pid);

/*
 * In a child just forked: get SIGTERM when the parent dies. prctl(PR_SET_PDEATHSIG) does not
 * fire for a parent that died before it was set: false when the parent is already gone
 * (getppid() is no longer `parent`), and the child should exit.
 */
bool tide_die_with_parent(pid_t parent);

/*
 * Blocks the signals a server's processes watch (SIGTERM, SIGINT, SIGUSR1, SIGUSR2,
 * SIGCHLD), saving the mask in *old: done around a fork, so that a signal sent to the child
 * before its own watches exist waits for them (a watch unblocks its signal) instead of
 * meeting the default action. The parent puts *old back right after the fork.
 */
void tide_signals_block(sigset_t *old);
/* Unblocks those signals (a process that starts with their default actions). */
void tide_signals_unblock(void);

/* waitpid(pid, WNOHANG) retried on EINTR: pid when it ended (*status set), 0 when it runs,
 * -errno (-ECHILD: not our child, or reaped already). */
pid_t tide_reap(pid_t pid, int *status);

#endif

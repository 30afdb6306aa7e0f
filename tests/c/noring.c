/* SPDX-License-Identifier: MIT */
/*
 * noring: runs a command with io_uring_setup refused (EPERM), as under Docker's default
 * seccomp profile. The phpt tests use it to check the epoll fallback and the error when
 * io_uring is forced: `noring php -r ...`.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "seccomp.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: noring command [args...]\n");
        return 2;
    }
    int rc = deny_io_uring();
    if (rc < 0) {
        fprintf(stderr, "noring: seccomp: %s\n", strerror(-rc));
        return 2;
    }
    execvp(argv[1], argv + 1);
    perror("noring: exec");
    return 127;
}

/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tide/common.h"

const char *tide_strerror(int rc)
{
    switch (rc) {
    case 0:
        return "success";
    case TIDE_ENOURING:
        return "io_uring is unavailable";
    case TIDE_EBACKEND:
        return "unknown reactor backend (expected auto, io_uring or epoll)";
    case TIDE_ECLOSED:
        return "closed";
    case TIDE_ELIMIT:
        return "too many coroutines (max_coroutine reached)";
    case TIDE_EKILLED:
        return "the coroutine is being destroyed";
    case TIDE_ETOOBIG:
        return "package longer than package_max_length";
    case TIDE_EPROTO:
        return "protocol error";
    case TIDE_EFULL:
        return "output buffer full (buffer_output_size)";
    case TIDE_ESTATE:
        return "not possible in this process or state";
    case TIDE_EFORKED:
        return "the event loop belongs to the parent process (fork)";
    }
    if (rc < 0 && -rc < TIDE_EBASE)
        return strerror(-rc);
    return "unknown error";
}

void tide_panic_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "[tide] panic at %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

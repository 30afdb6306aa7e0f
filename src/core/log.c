/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>

#include "tide/log.h"

static tide_log_sink_t sink;
static void *sink_udata;
static int min_level = TIDE_LOG_INFO;

void tide_log_set_sink(tide_log_sink_t s, void *udata)
{
    sink = s;
    sink_udata = udata;
}

void tide_log_set_level(int level)
{
    min_level = level;
}

int tide_log_get_level(void)
{
    return min_level;
}

void tide_log(int level, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    if (level < min_level || level >= TIDE_LOG_NONE)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (sink)
        sink(level, line, sink_udata);
    else
        fprintf(stderr, "[tide] %s\n", line);
}

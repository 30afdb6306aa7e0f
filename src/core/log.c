/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

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

bool tide_ratelimit_allow(tide_ratelimit_t *rl, uint64_t *dropped)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t now = (uint64_t)ts.tv_sec;
    unsigned burst = rl->burst ? rl->burst : 10;
    if (now != rl->second) {
        rl->second = now;
        rl->used = 0;
    }
    if (rl->used >= burst) {
        rl->dropped++;
        *dropped = 0;
        return false;
    }
    rl->used++;
    *dropped = rl->dropped;
    rl->dropped = 0;
    return true;
}

void tide_log_limited(tide_ratelimit_t *rl, int level, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    uint64_t dropped;

    if (level < min_level || level >= TIDE_LOG_NONE || !tide_ratelimit_allow(rl, &dropped))
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (dropped)
        tide_log(level, "%s (%llu similar lines dropped)", line, (unsigned long long)dropped);
    else
        tide_log(level, "%s", line);
}

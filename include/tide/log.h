/* SPDX-License-Identifier: MIT */
/*
 * Logging. The core never prints: it formats a line and hands it to a sink. The default
 * sink writes "[tide] <line>\n" to stderr; the Zend layer installs its own (log_file,
 * log_level of a server).
 */
#ifndef TIDE_LOG_H
#define TIDE_LOG_H

#include <stdbool.h>
#include <stdint.h>

/* Levels as in API.md: 0 debug ... 5 error, 6 none. */
enum {
    TIDE_LOG_DEBUG = 0,
    TIDE_LOG_TRACE = 1,
    TIDE_LOG_INFO = 2,
    TIDE_LOG_NOTICE = 3,
    TIDE_LOG_WARNING = 4,
    TIDE_LOG_ERROR = 5,
    TIDE_LOG_NONE = 6,
};

/* Receives one formatted line (no trailing newline). Called on the logging thread. */
typedef void (*tide_log_sink_t)(int level, const char *line, void *udata);

/* Installs a sink (NULL restores the stderr default) and the minimum level logged. */
void tide_log_set_sink(tide_log_sink_t sink, void *udata);
void tide_log_set_level(int level);
int tide_log_get_level(void);

__attribute__((format(printf, 2, 3))) void tide_log(int level, const char *fmt, ...);

/*
 * A bound on how often one kind of line is written: at most `burst` lines per second; what
 * is held back is counted and reported with the next line let through ("... (N similar
 * lines dropped)"). Zero-initialised with burst set; not shared between threads.
 */
typedef struct tide_ratelimit {
    unsigned burst;      /* lines per second (0: 10) */
    unsigned used;       /* lines let through in the current second */
    uint64_t second;     /* which second (monotonic) */
    uint64_t dropped;    /* held back since the last line let through */
} tide_ratelimit_t;

/* Whether a line may be written now; *dropped gets how many were held back before it. */
bool tide_ratelimit_allow(tide_ratelimit_t *rl, uint64_t *dropped);
/* tide_log() through a rate limit. */
__attribute__((format(printf, 3, 4))) void tide_log_limited(tide_ratelimit_t *rl, int level,
                                                            const char *fmt, ...);

#endif

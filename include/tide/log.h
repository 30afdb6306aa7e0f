/* SPDX-License-Identifier: MIT */
/*
 * Logging. The core never prints: it formats a line and hands it to a sink. The default
 * sink writes "[tide] <line>\n" to stderr; the Zend layer installs its own (log_file,
 * log_level of a server).
 */
#ifndef TIDE_LOG_H
#define TIDE_LOG_H

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

#endif

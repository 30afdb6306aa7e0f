/* SPDX-License-Identifier: MIT */
/*
 * Tide\Process's object, shared by process.c (the process, its pipe, signals, waits) and
 * process_queue.c (its SysV message queue: useQueue(), push(), pop()...).
 */
#ifndef PHP_TIDE_PROCESS_H
#define PHP_TIDE_PROCESS_H

#include "php.h"

/* useQueue()'s modes (Swoole's values): ORIENT, a pop() takes the messages pushed to its
 * own process object; BALANCE, any message. */
#define PHP_TIDE_MSGQUEUE_ORIENT 1
#define PHP_TIDE_MSGQUEUE_BALANCE 2
#define PHP_TIDE_IPC_NOWAIT (1 << 8)

/* The declared properties, in order (process_minit). */
enum { PROP_PIPE, PROP_PID, PROP_ID, PROP_CALLBACK };

/* One Tide\Process; the object owns its descriptors, and the callback is its private
 * property (so the garbage collector sees it). */
typedef struct php_tide_process {
    bool constructed;
    bool redirect;         /* the child's stdin, stdout, stderr are its end of the pipe */
    bool enable_coroutine; /* the child runs the callback inside Tide\run() */
    bool blocking;         /* setBlocking(): false, read/write return false at once */
    bool child;            /* we are the process this object started (in its callback) */
    int pipe_type;         /* PHP_TIDE_PIPE_TYPE_* */
    int master_fd;         /* the parent's end, -1 when closed (the child closes it) */
    int worker_fd;         /* the child's end, -1 when closed (the parent closes it) */
    double timeout;        /* setTimeout(), seconds; < 0 no limit */
    pid_t pid;             /* the child's; in the child, its own; 0 before start() */
    int queue_id;          /* useQueue(): the SysV message queue's id, -1: none */
    int queue_mode;        /* PHP_TIDE_MSGQUEUE_ORIENT or _BALANCE */
    bool queue_nowait;     /* useQueue()'s mode had IPC_NOWAIT: push/pop never wait */
    zend_object std;
} php_tide_process_t;

static inline php_tide_process_t *process_of(zend_object *obj)
{
    return (php_tide_process_t *)((char *)obj - XtOffsetOf(php_tide_process_t, std));
}

#endif

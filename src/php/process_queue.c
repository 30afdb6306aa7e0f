/* SPDX-License-Identifier: MIT */
/*
 * Tide\Process's SysV message queue (Swoole's useQueue(), push(), pop(), statQueue(),
 * freeQueue()): processes that share a key share a queue, forked children inherit their
 * object's. A message pushed through a process object has that object's id + 1 as its type;
 * pop() takes any message (MSGQUEUE_BALANCE) or only those (MSGQUEUE_ORIENT).
 *
 * Unlike Swoole, a push() or pop() that must wait does not block the process when it runs
 * in a coroutine: it tries again without waiting, the coroutine sleeping 0.1 ms, doubling
 * to 5 ms, in between (a SysV queue has no descriptor to watch).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <sys/ipc.h>
#include <sys/msg.h>

#include "php.h"
#include "php_tide.h"
#include "php_tide_process.h"

/* Swoole's limit on one message. */
#define MSG_MAX 65536

typedef struct queue_msg {
    long type;
    char data[]; /* (allocated for the message's length) */
} queue_msg_t;

#define THIS_PROCESS() process_of(Z_OBJ_P(ZEND_THIS))

/* The queue, or -1 with a warning naming the method. */
static int queue_of(php_tide_process_t *p, const char *method)
{
    if (p->queue_id < 0)
        php_error_docref(NULL, E_WARNING, "this process has no message queue: call useQueue() "
                                          "before %s()", method);
    return p->queue_id;
}

static long own_type(php_tide_process_t *p)
{
    zval *id = OBJ_PROP_NUM(&p->std, PROP_ID);
    return (Z_TYPE_P(id) == IS_LONG ? (long)Z_LVAL_P(id) : 0) + 1;
}

/*
 * Runs op (msgsnd or msgrcv with IPC_NOWAIT) until it does not have to wait: in a
 * coroutine by sleeping between tries, outside by blocking in the call. 0 or the result of
 * the call, or -1 with errno (EAGAIN for a queue that would make a nowait call wait;
 * ECANCELED; TIDE_EKILLED with an exception pending: errno EINTR and *killed).
 */
typedef ssize_t (*queue_op_t)(int id, queue_msg_t *m, size_t n, long type, int flags);

static ssize_t op_send(int id, queue_msg_t *m, size_t n, long type, int flags)
{
    TIDE_UNUSED(type);
    return msgsnd(id, m, n, flags);
}

static ssize_t op_recv(int id, queue_msg_t *m, size_t n, long type, int flags)
{
    return msgrcv(id, m, n, type, flags); /* a longer message stays (E2BIG), as in Swoole */
}

static ssize_t queue_run(php_tide_process_t *p, queue_op_t op, queue_msg_t *m, size_t n,
                         long type, bool *killed)
{
    bool in_coro = php_tide_coro_can_suspend();
    int64_t step = 100000; /* 0.1 ms .. 5 ms */
    for (;;) {
        int flags = p->queue_nowait || in_coro ? IPC_NOWAIT : 0;
        ssize_t rc = op(p->queue_id, m, n, type, flags);
        if (rc >= 0)
            return rc;
        if (errno != EAGAIN && errno != ENOMSG) {
            /* EINTR (a signal: false, as in Swoole), E2BIG (pop()'s $size is too small for
             * the message, which stays), EINVAL (over the kernel's msgmax), EIDRM... */
            if (errno != EINTR)
                php_error_docref(NULL, E_WARNING, "the message queue: %s", strerror(errno));
            return -1;
        }
        if (p->queue_nowait || !in_coro)
            return -1;
        php_tide_coro_waits_on("Tide\\Process message queue");
        int w = tide_coro_sleep(TIDE_G(sched), step);
        if (w == TIDE_EKILLED) {
            php_tide_coro_killed();
            *killed = true;
            return -1;
        }
        if (w == -ECANCELED) {
            errno = ECANCELED;
            return -1;
        }
        if (step < 5000000)
            step *= 2;
    }
}

ZEND_METHOD(Tide_Process, useQueue)
{
    zend_long key = 0, mode = PHP_TIDE_MSGQUEUE_BALANCE, capacity = -1;
    ZEND_PARSE_PARAMETERS_START(0, 3)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(key)
        Z_PARAM_LONG(mode)
        Z_PARAM_LONG(capacity)
    ZEND_PARSE_PARAMETERS_END();
    zend_long base = mode & ~PHP_TIDE_IPC_NOWAIT;
    if (base != PHP_TIDE_MSGQUEUE_ORIENT && base != PHP_TIDE_MSGQUEUE_BALANCE) {
        zend_argument_value_error(2, "must be Tide\\MSGQUEUE_BALANCE or Tide\\MSGQUEUE_ORIENT, "
                                     "optionally | Tide\\Process::IPC_NOWAIT");
        RETURN_THROWS();
    }
    if (key < 0 || key > INT32_MAX) {
        zend_argument_value_error(1, "must be a key from 1 to %d, or 0 for one made from the "
                                     "script's path", INT32_MAX);
        RETURN_THROWS();
    }
    if (key == 0) {
        const char *script = zend_get_executed_filename();
        key_t k = script ? ftok(script, 1) : -1;
        if (k == -1) {
            php_error_docref(NULL, E_WARNING, "no key could be made from the script's path (%s): "
                             "give one", strerror(errno));
            RETURN_FALSE;
        }
        key = (zend_long)k;
    }
    int id = msgget((key_t)key, IPC_CREAT | 0666);
    if (id < 0) {
        php_error_docref(NULL, E_WARNING, "msgget(" ZEND_LONG_FMT ") failed: %s", key, strerror(errno));
        RETURN_FALSE;
    }
    if (capacity > 0) {
        struct msqid_ds ds;
        if (msgctl(id, IPC_STAT, &ds) == 0) {
            unsigned long was = (unsigned long)ds.msg_qbytes;
            ds.msg_qbytes = (msglen_t)capacity;
            if (msgctl(id, IPC_SET, &ds) != 0)
                php_error_docref(NULL, E_WARNING, "the queue's capacity stays %lu bytes: %s",
                                 was, strerror(errno));
        }
    }
    php_tide_process_t *p = THIS_PROCESS();
    p->queue_id = id;
    p->queue_mode = (int)base;
    p->queue_nowait = (mode & PHP_TIDE_IPC_NOWAIT) != 0;
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Process, statQueue)
{
    ZEND_PARSE_PARAMETERS_NONE();
    int id = queue_of(THIS_PROCESS(), "statQueue");
    struct msqid_ds ds;
    if (id < 0 || msgctl(id, IPC_STAT, &ds) != 0)
        RETURN_FALSE;
    array_init(return_value);
    add_assoc_long(return_value, "queue_num", (zend_long)ds.msg_qnum);
    add_assoc_long(return_value, "queue_bytes", (zend_long)ds.__msg_cbytes);
}

ZEND_METHOD(Tide_Process, freeQueue)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_process_t *p = THIS_PROCESS();
    int id = queue_of(p, "freeQueue");
    if (id < 0)
        RETURN_FALSE;
    p->queue_id = -1;
    RETURN_BOOL(msgctl(id, IPC_RMID, NULL) == 0);
}

ZEND_METHOD(Tide_Process, push)
{
    zend_string *data;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_process_t *p = THIS_PROCESS();
    if (ZSTR_LEN(data) > MSG_MAX) {
        zend_argument_value_error(1, "must be at most %d bytes, %zu given", MSG_MAX, ZSTR_LEN(data));
        RETURN_THROWS();
    }
    if (queue_of(p, "push") < 0)
        RETURN_FALSE;
    queue_msg_t *m = emalloc(sizeof(queue_msg_t) + ZSTR_LEN(data));
    m->type = own_type(p);
    memcpy(m->data, ZSTR_VAL(data), ZSTR_LEN(data));
    bool killed = false;
    ssize_t rc = queue_run(p, op_send, m, ZSTR_LEN(data), 0, &killed);
    efree(m);
    if (killed)
        RETURN_THROWS();
    RETURN_BOOL(rc == 0);
}

ZEND_METHOD(Tide_Process, pop)
{
    zend_long size = MSG_MAX;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(size)
    ZEND_PARSE_PARAMETERS_END();
    if (size < 1) {
        zend_argument_value_error(1, "must be greater than 0");
        RETURN_THROWS();
    }
    if (size > MSG_MAX)
        size = MSG_MAX;
    php_tide_process_t *p = THIS_PROCESS();
    if (queue_of(p, "pop") < 0)
        RETURN_FALSE;
    queue_msg_t *m = emalloc(sizeof(queue_msg_t) + (size_t)size);
    long type = p->queue_mode == PHP_TIDE_MSGQUEUE_ORIENT ? own_type(p) : 0;
    bool killed = false;
    ssize_t n = queue_run(p, op_recv, m, (size_t)size, type, &killed);
    if (n >= 0)
        RETVAL_STRINGL(m->data, (size_t)n);
    efree(m);
    if (killed)
        RETURN_THROWS();
    if (n < 0)
        RETURN_FALSE;
}

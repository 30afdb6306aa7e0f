/* SPDX-License-Identifier: MIT */
/*
 * Methods on the server's processes: stats, sendMessage, the ids and pids, shutdown,
 * reload and stop.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <unistd.h>

#include "php.h"
#include "ext/standard/php_var.h"
#include "php_tide_server.h"
#include "zend_exceptions.h"
#include "zend_smart_str.h"

#define THIS_SERVER() php_tide_server_from(Z_OBJ_P(ZEND_THIS))

ZEND_METHOD(Tide_Server, stats)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_server_t *srv = php_tide_server_running(THIS_SERVER(), "stats");
    if (!srv)
        RETURN_THROWS();
    tide_server_t *s = &srv->core;
    tide_conntab_stats_t st;
    tide_conntab_sum(&s->tab, &st);
    zend_long idle = 0;
    for (int i = 0; i < s->cfg.worker_num; i++)
        if (__atomic_load_n(&s->tab.pids->worker[i].pid, __ATOMIC_RELAXED) &&
            !__atomic_load_n(&s->tab.pids->worker[i].inflight, __ATOMIC_RELAXED))
            idle++;
    array_init(return_value);
    add_assoc_long(return_value, "start_time", (zend_long)st.start_time);
    add_assoc_long(return_value, "connection_num", (zend_long)st.connection_num);
    add_assoc_long(return_value, "accept_count", (zend_long)st.accept_count);
    add_assoc_long(return_value, "close_count", (zend_long)st.close_count);
    add_assoc_long(return_value, "worker_num", s->cfg.worker_num);
    add_assoc_long(return_value, "idle_worker_num", idle);
    add_assoc_long(return_value, "task_worker_num", s->cfg.task_worker_num);
    /* Tasks: handed to task workers and not ended (the hub's count, and each worker's of
     * its direct tasks), of which not begun yet (queued), and per task worker. */
    zend_long tasking = 0, queued = 0, idle_tasks = 0;
    zval per;
    array_init(&per);
    for (int t = s->cfg.worker_num; t < TIDE_SERVER_PROCS(s); t++) {
        uint32_t n = __atomic_load_n(&s->tab.pids->worker[t].inflight, __ATOMIC_RELAXED);
        for (int w = 0; s->task_pairs && w < s->cfg.worker_num; w++)
            n += __atomic_load_n(&tide_task_pair(s, w, t)->open, __ATOMIC_RELAXED);
        uint32_t run = __atomic_load_n(&s->tab.pids->worker[t].running, __ATOMIC_RELAXED);
        int32_t pid = __atomic_load_n(&s->tab.pids->worker[t].pid, __ATOMIC_RELAXED);
        tasking += n;
        queued += n > run ? n - run : 0;
        idle_tasks += pid && !n;
        zval one;
        array_init(&one);
        add_assoc_long(&one, "pid", pid);
        add_assoc_long(&one, "tasking", n);
        add_assoc_long(&one, "running", run);
        add_assoc_long(&one, "task_count",
                       (zend_long)__atomic_load_n(&s->tab.pids->worker[t].task_count,
                                                  __ATOMIC_RELAXED));
        add_index_zval(&per, t, &one);
    }
    add_assoc_long(return_value, "tasking_num", tasking);
    add_assoc_long(return_value, "task_queue_num", queued);
    add_assoc_long(return_value, "task_idle_worker_num", idle_tasks);
    add_assoc_zval(return_value, "task_workers", &per);
    add_assoc_long(return_value, "request_count", (zend_long)st.request_count);
    add_assoc_long(return_value, "dispatch_count", (zend_long)st.dispatch_count);
    if (s->role == TIDE_ROLE_WORKER) {
        add_assoc_long(return_value, "worker_request_count", (zend_long)s->requests);
        add_assoc_long(return_value, "worker_id", s->worker_id);
    }
    if (TIDE_G(sched)) {
        tide_sched_stats_t cs;
        tide_sched_stats(TIDE_G(sched), &cs);
        add_assoc_long(return_value, "coroutine_num", (zend_long)cs.coroutine_num);
        add_assoc_long(return_value, "coroutine_peak_num", (zend_long)cs.coroutine_peak_num);
    }
}

ZEND_METHOD(Tide_Server, sendMessage)
{
    zval *msg;
    zend_long dst;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_ZVAL(msg)
        Z_PARAM_LONG(dst)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = php_tide_server_running(THIS_SERVER(), "sendMessage");
    if (!srv)
        RETURN_THROWS();
    tide_server_t *s = &srv->core;
    if (dst < 0 || dst >= TIDE_SERVER_PROCS(s)) {
        zend_argument_value_error(2, "must be a worker id between 0 and %d%s",
                                  TIDE_SERVER_PROCS(s) - 1,
                                  s->cfg.task_worker_num ? " (task workers included)" : "");
        RETURN_THROWS();
    }
    if (s->role != TIDE_ROLE_WORKER) {
        php_tide_refuse(0, "Tide\\Server::sendMessage() can only be called from a worker, not "
                           "from the %s process",
                        tide_role_name(s->role, "calling"));
        PHP_TIDE_RETURN_REFUSED();
    }
    smart_str buf = {0};
    php_serialize_data_t vh;
    PHP_VAR_SERIALIZE_INIT(vh);
    php_var_serialize(&buf, msg, &vh);
    PHP_VAR_SERIALIZE_DESTROY(vh);
    if (EG(exception)) {
        smart_str_free(&buf);
        RETURN_THROWS();
    }
    int rc = tide_server_send_message(s, (int)dst, buf.s ? ZSTR_VAL(buf.s) : "",
                                      buf.s ? ZSTR_LEN(buf.s) : 0);
    smart_str_free(&buf);
    if (rc < 0) {
        php_error_docref(NULL, E_WARNING, "message to worker #" ZEND_LONG_FMT ": %s", dst,
                         tide_strerror(rc));
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Server, getWorkerId)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_server_t *srv = THIS_SERVER();
    if (srv != php_tide_running || srv->core.role != TIDE_ROLE_WORKER)
        RETURN_FALSE;
    RETURN_LONG(srv->core.worker_id);
}

ZEND_METHOD(Tide_Server, getWorkerPid)
{
    zend_long id = -1;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(id)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = THIS_SERVER();
    tide_server_t *s = &srv->core;
    if (id < 0) {
        if (srv != php_tide_running || s->role != TIDE_ROLE_WORKER)
            RETURN_FALSE;
        RETURN_LONG(getpid());
    }
    if (!s->tab.mem || id >= (zend_long)s->tab.workers || !s->tab.pids->worker[id].pid)
        RETURN_FALSE;
    RETURN_LONG(s->tab.pids->worker[id].pid);
}

ZEND_METHOD(Tide_Server, getMasterPid)
{
    ZEND_PARSE_PARAMETERS_NONE();
    tide_server_t *s = &THIS_SERVER()->core;
    RETURN_LONG(s->tab.mem ? s->tab.pids->master : 0);
}

ZEND_METHOD(Tide_Server, getManagerPid)
{
    ZEND_PARSE_PARAMETERS_NONE();
    tide_server_t *s = &THIS_SERVER()->core;
    RETURN_LONG(s->tab.mem ? s->tab.pids->manager : 0);
}

/* A core call that signals or messages another process: true, false with a warning when it
 * could not reach it, an exception where it cannot be asked. */
static void process_result(zval *return_value, int rc, const char *method)
{
    if (rc == 0) {
        RETVAL_TRUE;
    } else if (rc == TIDE_ESTATE) {
        php_tide_throw(0, "Tide\\Server::%s() cannot be used in the %s process", method,
                       tide_role_name(php_tide_running->core.role, "calling"));
    } else {
        php_error_docref(NULL, E_WARNING, "%s", tide_strerror(rc));
        RETVAL_FALSE;
    }
}

ZEND_METHOD(Tide_Server, shutdown)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_server_t *srv = php_tide_server_running(THIS_SERVER(), "shutdown");
    if (!srv)
        RETURN_THROWS();
    process_result(return_value, tide_server_shutdown(&srv->core), "shutdown");
}

ZEND_METHOD(Tide_Server, reload)
{
    bool only_tasks = false;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(only_tasks)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = php_tide_server_running(THIS_SERVER(), "reload");
    if (!srv)
        RETURN_THROWS();
    process_result(return_value, tide_server_reload(&srv->core, only_tasks), "reload");
}

ZEND_METHOD(Tide_Server, stop)
{
    zend_long id = -1;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(id)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = php_tide_server_running(THIS_SERVER(), "stop");
    if (!srv)
        RETURN_THROWS();
    tide_server_t *s = &srv->core;
    if (id >= TIDE_SERVER_PROCS(s)) {
        zend_argument_value_error(1, "must be a worker id between 0 and %d%s",
                                  TIDE_SERVER_PROCS(s) - 1,
                                  s->cfg.task_worker_num ? " (task workers included)" : "");
        RETURN_THROWS();
    }
    if (id < 0 && s->role != TIDE_ROLE_WORKER) {
        php_tide_throw(0, "Tide\\Server::stop() without a worker id stops the calling worker: "
                          "pass one from the %s process",
                       tide_role_name(s->role, "calling"));
        RETURN_THROWS();
    }
    process_result(return_value, tide_server_stop_worker(s, (int)id), "stop");
}

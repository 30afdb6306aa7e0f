/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: aba970fee8da5348acee4c42a3f07f82ad7de033 */

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Tide_Server___construct, 0, 0, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, host, IS_STRING, 0, "\"0.0.0.0\"")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, port, IS_LONG, 0, "0")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, mode, IS_LONG, 0, "Tide\\MODE_PROCESS")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, sockType, IS_LONG, 0, "Tide\\SOCK_TCP")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_set, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, settings, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_on, 0, 2, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, event, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, callback, IS_CALLABLE, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_getCallback, 0, 1, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO(0, event, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_TYPE_MASK_EX(arginfo_class_Tide_Server_listen, 0, 3, Tide\\Server\\Port, MAY_BE_FALSE)
	ZEND_ARG_TYPE_INFO(0, host, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, port, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, sockType, IS_LONG, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Tide_Server_addListener arginfo_class_Tide_Server_listen

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_class_Tide_Server_addProcess, 0, 1, MAY_BE_LONG|MAY_BE_FALSE)
	ZEND_ARG_OBJ_INFO(0, process, Tide\\Process, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_start, 0, 0, _IS_BOOL, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Tide_Server_shutdown arginfo_class_Tide_Server_start

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_reload, 0, 0, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, onlyTaskWorkers, _IS_BOOL, 0, "false")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_stop, 0, 0, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, workerId, IS_LONG, 0, "-1")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_send, 0, 2, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, fd, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, data, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_sendto, 0, 3, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, ip, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, port, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, data, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, serverSocket, IS_LONG, 0, "-1")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_sendfile, 0, 2, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, fd, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, file, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, offset, IS_LONG, 0, "0")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, length, IS_LONG, 0, "0")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_close, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, fd, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, reset, _IS_BOOL, 0, "false")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_exists, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, fd, IS_LONG, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Tide_Server_exist arginfo_class_Tide_Server_exists

#define arginfo_class_Tide_Server_pause arginfo_class_Tide_Server_exists

#define arginfo_class_Tide_Server_resume arginfo_class_Tide_Server_exists

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_class_Tide_Server_getClientInfo, 0, 1, MAY_BE_ARRAY|MAY_BE_FALSE)
	ZEND_ARG_TYPE_INFO(0, fd, IS_LONG, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Tide_Server_connection_info arginfo_class_Tide_Server_getClientInfo

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_class_Tide_Server_getClientList, 0, 0, MAY_BE_ARRAY|MAY_BE_FALSE)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, startFd, IS_LONG, 0, "0")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, count, IS_LONG, 0, "10")
ZEND_END_ARG_INFO()

#define arginfo_class_Tide_Server_connection_list arginfo_class_Tide_Server_getClientList

#define arginfo_class_Tide_Server_sendwait arginfo_class_Tide_Server_send

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_class_Tide_Server_heartbeat, 0, 0, MAY_BE_ARRAY|MAY_BE_FALSE)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, ifCloseConnection, _IS_BOOL, 0, "true")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_getLastError, 0, 0, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_stats, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_sendMessage, 0, 2, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, message, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO(0, dstWorkerId, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_class_Tide_Server_task, 0, 1, MAY_BE_LONG|MAY_BE_FALSE)
	ZEND_ARG_TYPE_INFO(0, data, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, dstWorkerId, IS_LONG, 0, "-1")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, finishCallback, IS_CALLABLE, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_taskwait, 0, 1, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO(0, data, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, timeout, IS_DOUBLE, 0, "0.5")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, dstWorkerId, IS_LONG, 0, "-1")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_class_Tide_Server_taskWaitMulti, 0, 1, MAY_BE_ARRAY|MAY_BE_FALSE)
	ZEND_ARG_TYPE_INFO(0, tasks, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, timeout, IS_DOUBLE, 0, "0.5")
ZEND_END_ARG_INFO()

#define arginfo_class_Tide_Server_taskCo arginfo_class_Tide_Server_taskWaitMulti

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_finish, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, data, IS_MIXED, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_class_Tide_Server_getWorkerId, 0, 0, MAY_BE_LONG|MAY_BE_FALSE)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_class_Tide_Server_getWorkerPid, 0, 0, MAY_BE_LONG|MAY_BE_FALSE)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, workerId, IS_LONG, 0, "-1")
ZEND_END_ARG_INFO()

#define arginfo_class_Tide_Server_getMasterPid arginfo_class_Tide_Server_getLastError

#define arginfo_class_Tide_Server_getManagerPid arginfo_class_Tide_Server_getLastError

#define arginfo_class_Tide_Task_finish arginfo_class_Tide_Server_finish

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Tide_Server_Port___construct, 0, 0, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Tide_Server_Port_set arginfo_class_Tide_Server_set

#define arginfo_class_Tide_Server_Port_on arginfo_class_Tide_Server_on

#define arginfo_class_Tide_Server_Port_getCallback arginfo_class_Tide_Server_getCallback


ZEND_METHOD(Tide_Server, __construct);
ZEND_METHOD(Tide_Server, set);
ZEND_METHOD(Tide_Server, on);
ZEND_METHOD(Tide_Server, getCallback);
ZEND_METHOD(Tide_Server, listen);
ZEND_METHOD(Tide_Server, addProcess);
ZEND_METHOD(Tide_Server, start);
ZEND_METHOD(Tide_Server, shutdown);
ZEND_METHOD(Tide_Server, reload);
ZEND_METHOD(Tide_Server, stop);
ZEND_METHOD(Tide_Server, send);
ZEND_METHOD(Tide_Server, sendto);
ZEND_METHOD(Tide_Server, sendfile);
ZEND_METHOD(Tide_Server, close);
ZEND_METHOD(Tide_Server, exists);
ZEND_METHOD(Tide_Server, pause);
ZEND_METHOD(Tide_Server, resume);
ZEND_METHOD(Tide_Server, getClientInfo);
ZEND_METHOD(Tide_Server, getClientList);
ZEND_METHOD(Tide_Server, sendwait);
ZEND_METHOD(Tide_Server, heartbeat);
ZEND_METHOD(Tide_Server, getLastError);
ZEND_METHOD(Tide_Server, stats);
ZEND_METHOD(Tide_Server, sendMessage);
ZEND_METHOD(Tide_Server, task);
ZEND_METHOD(Tide_Server, taskwait);
ZEND_METHOD(Tide_Server, taskWaitMulti);
ZEND_METHOD(Tide_Server, taskCo);
ZEND_METHOD(Tide_Server, finish);
ZEND_METHOD(Tide_Server, getWorkerId);
ZEND_METHOD(Tide_Server, getWorkerPid);
ZEND_METHOD(Tide_Server, getMasterPid);
ZEND_METHOD(Tide_Server, getManagerPid);
ZEND_METHOD(Tide_Task, finish);
ZEND_METHOD(Tide_Server_Port, __construct);
ZEND_METHOD(Tide_Server_Port, set);
ZEND_METHOD(Tide_Server_Port, on);
ZEND_METHOD(Tide_Server_Port, getCallback);


static const zend_function_entry class_Tide_Server_methods[] = {
	ZEND_ME(Tide_Server, __construct, arginfo_class_Tide_Server___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, set, arginfo_class_Tide_Server_set, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, on, arginfo_class_Tide_Server_on, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, getCallback, arginfo_class_Tide_Server_getCallback, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, listen, arginfo_class_Tide_Server_listen, ZEND_ACC_PUBLIC)
	ZEND_MALIAS(Tide_Server, addListener, listen, arginfo_class_Tide_Server_addListener, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, addProcess, arginfo_class_Tide_Server_addProcess, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, start, arginfo_class_Tide_Server_start, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, shutdown, arginfo_class_Tide_Server_shutdown, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, reload, arginfo_class_Tide_Server_reload, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, stop, arginfo_class_Tide_Server_stop, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, send, arginfo_class_Tide_Server_send, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, sendto, arginfo_class_Tide_Server_sendto, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, sendfile, arginfo_class_Tide_Server_sendfile, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, close, arginfo_class_Tide_Server_close, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, exists, arginfo_class_Tide_Server_exists, ZEND_ACC_PUBLIC)
	ZEND_MALIAS(Tide_Server, exist, exists, arginfo_class_Tide_Server_exist, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, pause, arginfo_class_Tide_Server_pause, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, resume, arginfo_class_Tide_Server_resume, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, getClientInfo, arginfo_class_Tide_Server_getClientInfo, ZEND_ACC_PUBLIC)
	ZEND_MALIAS(Tide_Server, connection_info, getClientInfo, arginfo_class_Tide_Server_connection_info, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, getClientList, arginfo_class_Tide_Server_getClientList, ZEND_ACC_PUBLIC)
	ZEND_MALIAS(Tide_Server, connection_list, getClientList, arginfo_class_Tide_Server_connection_list, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, sendwait, arginfo_class_Tide_Server_sendwait, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, heartbeat, arginfo_class_Tide_Server_heartbeat, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, getLastError, arginfo_class_Tide_Server_getLastError, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, stats, arginfo_class_Tide_Server_stats, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, sendMessage, arginfo_class_Tide_Server_sendMessage, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, task, arginfo_class_Tide_Server_task, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, taskwait, arginfo_class_Tide_Server_taskwait, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, taskWaitMulti, arginfo_class_Tide_Server_taskWaitMulti, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, taskCo, arginfo_class_Tide_Server_taskCo, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, finish, arginfo_class_Tide_Server_finish, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, getWorkerId, arginfo_class_Tide_Server_getWorkerId, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, getWorkerPid, arginfo_class_Tide_Server_getWorkerPid, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, getMasterPid, arginfo_class_Tide_Server_getMasterPid, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server, getManagerPid, arginfo_class_Tide_Server_getManagerPid, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_Tide_Task_methods[] = {
	ZEND_ME(Tide_Task, finish, arginfo_class_Tide_Task_finish, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_Tide_Server_Port_methods[] = {
	ZEND_ME(Tide_Server_Port, __construct, arginfo_class_Tide_Server_Port___construct, ZEND_ACC_PRIVATE)
	ZEND_ME(Tide_Server_Port, set, arginfo_class_Tide_Server_Port_set, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server_Port, on, arginfo_class_Tide_Server_Port_on, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server_Port, getCallback, arginfo_class_Tide_Server_Port_getCallback, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};

static void register_tide_server_symbols(int module_number)
{
	REGISTER_LONG_CONSTANT("Tide\\MODE_BASE", TIDE_MODE_BASE, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\MODE_PROCESS", TIDE_MODE_PROCESS, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\SOCK_TCP", TIDE_SOCK_TCP, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\SOCK_TCP6", TIDE_SOCK_TCP6, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\SOCK_UDP", TIDE_SOCK_UDP, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\SOCK_UDP6", TIDE_SOCK_UDP6, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\SOCK_UNIX_STREAM", TIDE_SOCK_UNIX_STREAM, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\SOCK_UNIX_DGRAM", TIDE_SOCK_UNIX_DGRAM, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\SSL", TIDE_SOCK_SSL, CONST_PERSISTENT);
}

static zend_class_entry *register_class_Tide_Server(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tide", "Server", class_Tide_Server_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_NOT_SERIALIZABLE;

	zval property_master_pid_default_value;
	ZVAL_UNDEF(&property_master_pid_default_value);
	zend_string *property_master_pid_name = zend_string_init("master_pid", sizeof("master_pid") - 1, 1);
	zend_declare_typed_property(class_entry, property_master_pid_name, &property_master_pid_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_master_pid_name);

	zval property_manager_pid_default_value;
	ZVAL_UNDEF(&property_manager_pid_default_value);
	zend_string *property_manager_pid_name = zend_string_init("manager_pid", sizeof("manager_pid") - 1, 1);
	zend_declare_typed_property(class_entry, property_manager_pid_name, &property_manager_pid_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_manager_pid_name);

	zval property_worker_id_default_value;
	ZVAL_UNDEF(&property_worker_id_default_value);
	zend_string *property_worker_id_name = zend_string_init("worker_id", sizeof("worker_id") - 1, 1);
	zend_declare_typed_property(class_entry, property_worker_id_name, &property_worker_id_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_worker_id_name);

	zval property_worker_pid_default_value;
	ZVAL_UNDEF(&property_worker_pid_default_value);
	zend_string *property_worker_pid_name = zend_string_init("worker_pid", sizeof("worker_pid") - 1, 1);
	zend_declare_typed_property(class_entry, property_worker_pid_name, &property_worker_pid_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_worker_pid_name);

	zval property_taskworker_default_value;
	ZVAL_UNDEF(&property_taskworker_default_value);
	zend_string *property_taskworker_name = zend_string_init("taskworker", sizeof("taskworker") - 1, 1);
	zend_declare_typed_property(class_entry, property_taskworker_name, &property_taskworker_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_BOOL));
	zend_string_release(property_taskworker_name);

	zval property_setting_default_value;
	ZVAL_UNDEF(&property_setting_default_value);
	zend_string *property_setting_name = zend_string_init("setting", sizeof("setting") - 1, 1);
	zend_declare_typed_property(class_entry, property_setting_name, &property_setting_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_ARRAY));
	zend_string_release(property_setting_name);

	zval property_ports_default_value;
	ZVAL_UNDEF(&property_ports_default_value);
	zend_string *property_ports_name = zend_string_init("ports", sizeof("ports") - 1, 1);
	zend_declare_typed_property(class_entry, property_ports_name, &property_ports_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_ARRAY));
	zend_string_release(property_ports_name);

	zval property_mode_default_value;
	ZVAL_UNDEF(&property_mode_default_value);
	zend_string *property_mode_name = zend_string_init("mode", sizeof("mode") - 1, 1);
	zend_declare_typed_property(class_entry, property_mode_name, &property_mode_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_mode_name);

	return class_entry;
}

static zend_class_entry *register_class_Tide_Task(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tide", "Task", class_Tide_Task_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL;

	zval property_id_default_value;
	ZVAL_UNDEF(&property_id_default_value);
	zend_string *property_id_name = zend_string_init("id", sizeof("id") - 1, 1);
	zend_declare_typed_property(class_entry, property_id_name, &property_id_default_value, ZEND_ACC_PUBLIC, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_id_name);

	zval property_worker_id_default_value;
	ZVAL_UNDEF(&property_worker_id_default_value);
	zend_string *property_worker_id_name = zend_string_init("worker_id", sizeof("worker_id") - 1, 1);
	zend_declare_typed_property(class_entry, property_worker_id_name, &property_worker_id_default_value, ZEND_ACC_PUBLIC, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_worker_id_name);

	zval property_flags_default_value;
	ZVAL_UNDEF(&property_flags_default_value);
	zend_string *property_flags_name = zend_string_init("flags", sizeof("flags") - 1, 1);
	zend_declare_typed_property(class_entry, property_flags_name, &property_flags_default_value, ZEND_ACC_PUBLIC, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_flags_name);

	zval property_data_default_value;
	ZVAL_UNDEF(&property_data_default_value);
	zend_string *property_data_name = zend_string_init("data", sizeof("data") - 1, 1);
	zend_declare_typed_property(class_entry, property_data_name, &property_data_default_value, ZEND_ACC_PUBLIC, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_ANY));
	zend_string_release(property_data_name);

	zval property_dispatch_time_default_value;
	ZVAL_UNDEF(&property_dispatch_time_default_value);
	zend_string *property_dispatch_time_name = zend_string_init("dispatch_time", sizeof("dispatch_time") - 1, 1);
	zend_declare_typed_property(class_entry, property_dispatch_time_name, &property_dispatch_time_default_value, ZEND_ACC_PUBLIC, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_DOUBLE));
	zend_string_release(property_dispatch_time_name);

	return class_entry;
}

static zend_class_entry *register_class_Tide_Server_Port(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tide\\Server", "Port", class_Tide_Server_Port_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	zval property_host_default_value;
	ZVAL_UNDEF(&property_host_default_value);
	zend_string *property_host_name = zend_string_init("host", sizeof("host") - 1, 1);
	zend_declare_typed_property(class_entry, property_host_name, &property_host_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_host_name);

	zval property_port_default_value;
	ZVAL_UNDEF(&property_port_default_value);
	zend_string *property_port_name = zend_string_init("port", sizeof("port") - 1, 1);
	zend_declare_typed_property(class_entry, property_port_name, &property_port_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_port_name);

	zval property_type_default_value;
	ZVAL_UNDEF(&property_type_default_value);
	zend_string *property_type_name = zend_string_init("type", sizeof("type") - 1, 1);
	zend_declare_typed_property(class_entry, property_type_name, &property_type_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_type_name);

	zval property_setting_default_value;
	ZVAL_UNDEF(&property_setting_default_value);
	zend_string *property_setting_name = zend_string_init("setting", sizeof("setting") - 1, 1);
	zend_declare_typed_property(class_entry, property_setting_name, &property_setting_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_ARRAY));
	zend_string_release(property_setting_name);

	return class_entry;
}

/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 5a47c43d8fac67c8d9d3285f84ee0500578164e9 */

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Runtime_enableCoroutine, 0, 0, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, flags, IS_LONG, 0, "HOOK_ALL")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Runtime_getHookFlags, 0, 0, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Runtime_setHookFlags, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, flags, IS_LONG, 0)
ZEND_END_ARG_INFO()


ZEND_METHOD(Tide_Runtime, enableCoroutine);
ZEND_METHOD(Tide_Runtime, getHookFlags);
ZEND_METHOD(Tide_Runtime, setHookFlags);


static const zend_function_entry class_Tide_Runtime_methods[] = {
	ZEND_ME(Tide_Runtime, enableCoroutine, arginfo_class_Tide_Runtime_enableCoroutine, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Tide_Runtime, getHookFlags, arginfo_class_Tide_Runtime_getHookFlags, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Tide_Runtime, setHookFlags, arginfo_class_Tide_Runtime_setHookFlags, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_FE_END
};

static void register_tide_runtime_symbols(int module_number)
{
	REGISTER_LONG_CONSTANT("Tide\\HOOK_TCP", PHP_TIDE_HOOK_TCP, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\HOOK_UDP", PHP_TIDE_HOOK_UDP, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\HOOK_UNIX", PHP_TIDE_HOOK_UNIX, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\HOOK_UDG", PHP_TIDE_HOOK_UDG, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\HOOK_SSL", PHP_TIDE_HOOK_SSL, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\HOOK_TLS", PHP_TIDE_HOOK_TLS, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\HOOK_STREAM_FUNCTION", PHP_TIDE_HOOK_STREAM_FUNCTION, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\HOOK_FILE", PHP_TIDE_HOOK_FILE, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\HOOK_SLEEP", PHP_TIDE_HOOK_SLEEP, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\HOOK_PROC", PHP_TIDE_HOOK_PROC, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\HOOK_DNS", PHP_TIDE_HOOK_DNS, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\HOOK_CURL", PHP_TIDE_HOOK_CURL, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\HOOK_ALL", PHP_TIDE_HOOK_ALL, CONST_PERSISTENT);
}

static zend_class_entry *register_class_Tide_Runtime(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tide", "Runtime", class_Tide_Runtime_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}

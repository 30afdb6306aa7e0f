/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: f67f106d22e12fe83f8a0a0101e7a365f785edf7 */

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Coroutine_Scheduler_add, 0, 1, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, fn, IS_CALLABLE, 0)
	ZEND_ARG_VARIADIC_TYPE_INFO(0, args, IS_MIXED, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Coroutine_Scheduler_parallel, 0, 2, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, n, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, fn, IS_CALLABLE, 0)
	ZEND_ARG_VARIADIC_TYPE_INFO(0, args, IS_MIXED, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Coroutine_Scheduler_set, 0, 1, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, settings, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Coroutine_Scheduler_getOptions, 0, 0, IS_ARRAY, 1)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Coroutine_Scheduler_start, 0, 0, _IS_BOOL, 0)
ZEND_END_ARG_INFO()


ZEND_METHOD(Tide_Coroutine_Scheduler, add);
ZEND_METHOD(Tide_Coroutine_Scheduler, parallel);
ZEND_METHOD(Tide_Coroutine_Scheduler, set);
ZEND_METHOD(Tide_Coroutine_Scheduler, getOptions);
ZEND_METHOD(Tide_Coroutine_Scheduler, start);


static const zend_function_entry class_Tide_Coroutine_Scheduler_methods[] = {
	ZEND_ME(Tide_Coroutine_Scheduler, add, arginfo_class_Tide_Coroutine_Scheduler_add, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Coroutine_Scheduler, parallel, arginfo_class_Tide_Coroutine_Scheduler_parallel, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Coroutine_Scheduler, set, arginfo_class_Tide_Coroutine_Scheduler_set, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Coroutine_Scheduler, getOptions, arginfo_class_Tide_Coroutine_Scheduler_getOptions, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Coroutine_Scheduler, start, arginfo_class_Tide_Coroutine_Scheduler_start, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};

static zend_class_entry *register_class_Tide_Coroutine_Scheduler(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tide\\Coroutine", "Scheduler", class_Tide_Coroutine_Scheduler_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}

/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 9567c557f2034c33628c65e584a7996fc9a6bea6 */

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_class_Tide_Timer_tick, 0, 2, MAY_BE_LONG|MAY_BE_FALSE)
	ZEND_ARG_TYPE_INFO(0, ms, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, callback, IS_CALLABLE, 0)
	ZEND_ARG_VARIADIC_TYPE_INFO(0, params, IS_MIXED, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Tide_Timer_after arginfo_class_Tide_Timer_tick

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Timer_clear, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, timerId, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Timer_clearAll, 0, 0, _IS_BOOL, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Timer_info, 0, 1, IS_ARRAY, 1)
	ZEND_ARG_TYPE_INFO(0, timerId, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_class_Tide_Timer_list, 0, 0, Iterator, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Tide_Timer_exists arginfo_class_Tide_Timer_clear

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Timer_stats, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()


ZEND_METHOD(Tide_Timer, tick);
ZEND_METHOD(Tide_Timer, after);
ZEND_METHOD(Tide_Timer, clear);
ZEND_METHOD(Tide_Timer, clearAll);
ZEND_METHOD(Tide_Timer, info);
ZEND_METHOD(Tide_Timer, list);
ZEND_METHOD(Tide_Timer, exists);
ZEND_METHOD(Tide_Timer, stats);


static const zend_function_entry class_Tide_Timer_methods[] = {
	ZEND_ME(Tide_Timer, tick, arginfo_class_Tide_Timer_tick, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Tide_Timer, after, arginfo_class_Tide_Timer_after, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Tide_Timer, clear, arginfo_class_Tide_Timer_clear, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Tide_Timer, clearAll, arginfo_class_Tide_Timer_clearAll, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Tide_Timer, info, arginfo_class_Tide_Timer_info, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Tide_Timer, list, arginfo_class_Tide_Timer_list, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Tide_Timer, exists, arginfo_class_Tide_Timer_exists, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Tide_Timer, stats, arginfo_class_Tide_Timer_stats, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_FE_END
};

static zend_class_entry *register_class_Tide_Timer(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tide", "Timer", class_Tide_Timer_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}

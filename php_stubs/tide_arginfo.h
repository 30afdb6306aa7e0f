/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 34611b09019d5e3fdd979b46a9d58f8567effaec */

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_Tide_run, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, fn, IS_CALLABLE, 0)
	ZEND_ARG_VARIADIC_TYPE_INFO(0, args, IS_MIXED, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_Tide_go, 0, 1, MAY_BE_LONG|MAY_BE_FALSE)
	ZEND_ARG_TYPE_INFO(0, fn, IS_CALLABLE, 0)
	ZEND_ARG_VARIADIC_TYPE_INFO(0, args, IS_MIXED, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_class_Tide_Event_add, 0, 1, MAY_BE_LONG|MAY_BE_FALSE)
	ZEND_ARG_TYPE_INFO(0, fd, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, read, IS_CALLABLE, 1, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, write, IS_CALLABLE, 1, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, events, IS_LONG, 0, "Tide\\Event::READ")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Event_set, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, fd, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, read, IS_CALLABLE, 1, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, write, IS_CALLABLE, 1, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, events, IS_LONG, 0, "0")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Event_del, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, fd, IS_MIXED, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Event_isset, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, fd, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, events, IS_LONG, 0, "Tide\\Event::READ | Tide\\Event::WRITE")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Event_write, 0, 2, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, fd, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO(0, data, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Event_defer, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, callback, IS_CALLABLE, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Event_cycle, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, callback, IS_CALLABLE, 1)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, before, _IS_BOOL, 0, "false")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Event_dispatch, 0, 0, _IS_BOOL, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Event_exit, 0, 0, IS_VOID, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Tide_Event_wait arginfo_class_Tide_Event_exit


ZEND_FUNCTION(Tide_run);
ZEND_FUNCTION(Tide_go);
ZEND_METHOD(Tide_Event, add);
ZEND_METHOD(Tide_Event, set);
ZEND_METHOD(Tide_Event, del);
ZEND_METHOD(Tide_Event, isset);
ZEND_METHOD(Tide_Event, write);
ZEND_METHOD(Tide_Event, defer);
ZEND_METHOD(Tide_Event, cycle);
ZEND_METHOD(Tide_Event, dispatch);
ZEND_METHOD(Tide_Event, exit);
ZEND_METHOD(Tide_Event, wait);


static const zend_function_entry ext_functions[] = {
	ZEND_NS_FALIAS("Tide", run, Tide_run, arginfo_Tide_run)
	ZEND_NS_FALIAS("Tide", go, Tide_go, arginfo_Tide_go)
	ZEND_FE_END
};


static const zend_function_entry class_Tide_Exception_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Tide_Event_methods[] = {
	ZEND_ME(Tide_Event, add, arginfo_class_Tide_Event_add, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Tide_Event, set, arginfo_class_Tide_Event_set, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Tide_Event, del, arginfo_class_Tide_Event_del, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Tide_Event, isset, arginfo_class_Tide_Event_isset, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Tide_Event, write, arginfo_class_Tide_Event_write, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Tide_Event, defer, arginfo_class_Tide_Event_defer, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Tide_Event, cycle, arginfo_class_Tide_Event_cycle, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Tide_Event, dispatch, arginfo_class_Tide_Event_dispatch, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Tide_Event, exit, arginfo_class_Tide_Event_exit, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Tide_Event, wait, arginfo_class_Tide_Event_wait, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_FE_END
};

static void register_tide_symbols(int module_number)
{
	REGISTER_STRING_CONSTANT("Tide\\VERSION", TIDE_VERSION, CONST_PERSISTENT);
}

static zend_class_entry *register_class_Tide_Exception(zend_class_entry *class_entry_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tide", "Exception", class_Tide_Exception_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Exception);

	return class_entry;
}

static zend_class_entry *register_class_Tide_Event(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tide", "Event", class_Tide_Event_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NOT_SERIALIZABLE;

	zval const_READ_value;
	ZVAL_LONG(&const_READ_value, PHP_TIDE_EVENT_READ);
	zend_string *const_READ_name = zend_string_init_interned("READ", sizeof("READ") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_READ_name, &const_READ_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_READ_name);

	zval const_WRITE_value;
	ZVAL_LONG(&const_WRITE_value, PHP_TIDE_EVENT_WRITE);
	zend_string *const_WRITE_name = zend_string_init_interned("WRITE", sizeof("WRITE") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_WRITE_name, &const_WRITE_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_WRITE_name);

	return class_entry;
}

/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 70becaf1a6a018b9ca0986722acee3d3cec07f40 */

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_Tide_run, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, fn, IS_CALLABLE, 0)
	ZEND_ARG_VARIADIC_TYPE_INFO(0, args, IS_MIXED, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_Tide_go, 0, 1, MAY_BE_LONG|MAY_BE_FALSE)
	ZEND_ARG_TYPE_INFO(0, fn, IS_CALLABLE, 0)
	ZEND_ARG_VARIADIC_TYPE_INFO(0, args, IS_MIXED, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Event_wait, 0, 0, IS_VOID, 0)
ZEND_END_ARG_INFO()


ZEND_FUNCTION(Tide_run);
ZEND_FUNCTION(Tide_go);
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

	return class_entry;
}

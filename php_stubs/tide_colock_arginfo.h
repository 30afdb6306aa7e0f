/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 8db3e22f738f43dff1b1509bccf6761fcc6f2520 */

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Tide_Coroutine_Lock___construct, 0, 0, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, shared, _IS_BOOL, 0, "false")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Coroutine_Lock_lock, 0, 0, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, operation, IS_LONG, 0, "LOCK_EX")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Coroutine_Lock_unlock, 0, 0, _IS_BOOL, 0)
ZEND_END_ARG_INFO()


ZEND_METHOD(Tide_Coroutine_Lock, __construct);
ZEND_METHOD(Tide_Coroutine_Lock, lock);
ZEND_METHOD(Tide_Coroutine_Lock, unlock);


static const zend_function_entry class_Tide_Coroutine_Lock_methods[] = {
	ZEND_ME(Tide_Coroutine_Lock, __construct, arginfo_class_Tide_Coroutine_Lock___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Coroutine_Lock, lock, arginfo_class_Tide_Coroutine_Lock_lock, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Coroutine_Lock, unlock, arginfo_class_Tide_Coroutine_Lock_unlock, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};

static zend_class_entry *register_class_Tide_Coroutine_Lock(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tide\\Coroutine", "Lock", class_Tide_Coroutine_Lock_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}

/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 036d66f67406f116c7185bb0d9d7fc9424d5613c */

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Tide_Atomic___construct, 0, 0, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, value, IS_LONG, 0, "0")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Atomic_add, 0, 0, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, n, IS_LONG, 0, "1")
ZEND_END_ARG_INFO()

#define arginfo_class_Tide_Atomic_sub arginfo_class_Tide_Atomic_add

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Atomic_get, 0, 0, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Atomic_set, 0, 1, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, v, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Atomic_cmpset, 0, 2, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, cmp, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, new, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Atomic_wait, 0, 0, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, timeout, IS_DOUBLE, 0, "1.0")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Atomic_wakeup, 0, 0, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, n, IS_LONG, 0, "1")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Tide_Lock___construct, 0, 0, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, type, IS_LONG, 0, "Tide\\Lock::MUTEX")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Lock_lock, 0, 0, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, operation, IS_LONG, 0, "LOCK_EX")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, timeout, IS_DOUBLE, 0, "-1")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Lock_trylock, 0, 0, _IS_BOOL, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Tide_Lock_unlock arginfo_class_Tide_Lock_trylock

#define arginfo_class_Tide_Lock_lockwait arginfo_class_Tide_Atomic_wait

#define arginfo_class_Tide_Lock_lock_read arginfo_class_Tide_Lock_trylock

#define arginfo_class_Tide_Lock_trylock_read arginfo_class_Tide_Lock_trylock

#define arginfo_class_Tide_Atomic_Long___construct arginfo_class_Tide_Atomic___construct

#define arginfo_class_Tide_Atomic_Long_add arginfo_class_Tide_Atomic_add

#define arginfo_class_Tide_Atomic_Long_sub arginfo_class_Tide_Atomic_add

#define arginfo_class_Tide_Atomic_Long_get arginfo_class_Tide_Atomic_get

#define arginfo_class_Tide_Atomic_Long_set arginfo_class_Tide_Atomic_set

#define arginfo_class_Tide_Atomic_Long_cmpset arginfo_class_Tide_Atomic_cmpset


ZEND_METHOD(Tide_Atomic, __construct);
ZEND_METHOD(Tide_Atomic, add);
ZEND_METHOD(Tide_Atomic, sub);
ZEND_METHOD(Tide_Atomic, get);
ZEND_METHOD(Tide_Atomic, set);
ZEND_METHOD(Tide_Atomic, cmpset);
ZEND_METHOD(Tide_Atomic, wait);
ZEND_METHOD(Tide_Atomic, wakeup);
ZEND_METHOD(Tide_Lock, __construct);
ZEND_METHOD(Tide_Lock, lock);
ZEND_METHOD(Tide_Lock, trylock);
ZEND_METHOD(Tide_Lock, unlock);
ZEND_METHOD(Tide_Lock, lockwait);
ZEND_METHOD(Tide_Lock, lock_read);
ZEND_METHOD(Tide_Lock, trylock_read);
ZEND_METHOD(Tide_Atomic_Long, __construct);
ZEND_METHOD(Tide_Atomic_Long, add);
ZEND_METHOD(Tide_Atomic_Long, sub);
ZEND_METHOD(Tide_Atomic_Long, get);
ZEND_METHOD(Tide_Atomic_Long, set);
ZEND_METHOD(Tide_Atomic_Long, cmpset);


static const zend_function_entry class_Tide_Atomic_methods[] = {
	ZEND_ME(Tide_Atomic, __construct, arginfo_class_Tide_Atomic___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Atomic, add, arginfo_class_Tide_Atomic_add, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Atomic, sub, arginfo_class_Tide_Atomic_sub, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Atomic, get, arginfo_class_Tide_Atomic_get, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Atomic, set, arginfo_class_Tide_Atomic_set, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Atomic, cmpset, arginfo_class_Tide_Atomic_cmpset, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Atomic, wait, arginfo_class_Tide_Atomic_wait, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Atomic, wakeup, arginfo_class_Tide_Atomic_wakeup, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_Tide_Lock_methods[] = {
	ZEND_ME(Tide_Lock, __construct, arginfo_class_Tide_Lock___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Lock, lock, arginfo_class_Tide_Lock_lock, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Lock, trylock, arginfo_class_Tide_Lock_trylock, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Lock, unlock, arginfo_class_Tide_Lock_unlock, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Lock, lockwait, arginfo_class_Tide_Lock_lockwait, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Lock, lock_read, arginfo_class_Tide_Lock_lock_read, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Lock, trylock_read, arginfo_class_Tide_Lock_trylock_read, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_Tide_Atomic_Long_methods[] = {
	ZEND_ME(Tide_Atomic_Long, __construct, arginfo_class_Tide_Atomic_Long___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Atomic_Long, add, arginfo_class_Tide_Atomic_Long_add, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Atomic_Long, sub, arginfo_class_Tide_Atomic_Long_sub, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Atomic_Long, get, arginfo_class_Tide_Atomic_Long_get, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Atomic_Long, set, arginfo_class_Tide_Atomic_Long_set, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Atomic_Long, cmpset, arginfo_class_Tide_Atomic_Long_cmpset, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};

static zend_class_entry *register_class_Tide_Atomic(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tide", "Atomic", class_Tide_Atomic_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}

static zend_class_entry *register_class_Tide_Lock(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tide", "Lock", class_Tide_Lock_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	zval const_MUTEX_value;
	ZVAL_LONG(&const_MUTEX_value, TIDE_LOCK_MUTEX);
	zend_string *const_MUTEX_name = zend_string_init_interned("MUTEX", sizeof("MUTEX") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_MUTEX_name, &const_MUTEX_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_MUTEX_name);

	zval const_RWLOCK_value;
	ZVAL_LONG(&const_RWLOCK_value, TIDE_LOCK_RWLOCK);
	zend_string *const_RWLOCK_name = zend_string_init_interned("RWLOCK", sizeof("RWLOCK") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_RWLOCK_name, &const_RWLOCK_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_RWLOCK_name);

	zval const_SPINLOCK_value;
	ZVAL_LONG(&const_SPINLOCK_value, TIDE_LOCK_SPINLOCK);
	zend_string *const_SPINLOCK_name = zend_string_init_interned("SPINLOCK", sizeof("SPINLOCK") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_SPINLOCK_name, &const_SPINLOCK_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_SPINLOCK_name);

	return class_entry;
}

static zend_class_entry *register_class_Tide_Atomic_Long(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tide\\Atomic", "Long", class_Tide_Atomic_Long_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}

/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: cfeb7a6c7503431c3e9d4055f47276ea16c98f51 */

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_WebSocket_Server_push, 0, 2, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, fd, IS_LONG, 0)
	ZEND_ARG_OBJ_TYPE_MASK(0, data, Tide\\WebSocket\\Frame, MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, opcode, IS_LONG, 0, "Tide\\WebSocket\\OPCODE_TEXT")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, flags, IS_LONG, 0, "Tide\\WebSocket\\FLAG_FIN")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_WebSocket_Server_disconnect, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, fd, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, code, IS_LONG, 0, "Tide\\WebSocket\\CLOSE_NORMAL")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, reason, IS_STRING, 0, "\"\"")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_WebSocket_Server_isEstablished, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, fd, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_WebSocket_Server_ping, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, fd, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, data, IS_STRING, 0, "\"\"")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_WebSocket_Server_pack, 0, 1, IS_STRING, 0)
	ZEND_ARG_OBJ_TYPE_MASK(0, data, Tide\\WebSocket\\Frame, MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, opcode, IS_LONG, 0, "Tide\\WebSocket\\OPCODE_TEXT")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, flags, IS_LONG, 0, "Tide\\WebSocket\\FLAG_FIN")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_TYPE_MASK_EX(arginfo_class_Tide_WebSocket_Server_unpack, 0, 1, Tide\\WebSocket\\Frame, MAY_BE_FALSE)
	ZEND_ARG_TYPE_INFO(0, data, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_WebSocket_Frame___toString, 0, 0, IS_STRING, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Tide_WebSocket_Frame_pack arginfo_class_Tide_WebSocket_Server_pack

#define arginfo_class_Tide_WebSocket_Frame_unpack arginfo_class_Tide_WebSocket_Server_unpack

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Tide_Server_ConnectionIterator___construct, 0, 0, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_ConnectionIterator_current, 0, 0, IS_MIXED, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Tide_Server_ConnectionIterator_key arginfo_class_Tide_Server_ConnectionIterator_current

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_ConnectionIterator_next, 0, 0, IS_VOID, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Tide_Server_ConnectionIterator_rewind arginfo_class_Tide_Server_ConnectionIterator_next

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_ConnectionIterator_valid, 0, 0, _IS_BOOL, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_ConnectionIterator_count, 0, 0, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_ConnectionIterator_offsetExists, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, fd, IS_MIXED, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_ConnectionIterator_offsetGet, 0, 1, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO(0, fd, IS_MIXED, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_ConnectionIterator_offsetSet, 0, 2, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, fd, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO(0, value, IS_MIXED, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Tide_Server_ConnectionIterator_offsetUnset, 0, 1, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, fd, IS_MIXED, 0)
ZEND_END_ARG_INFO()


ZEND_METHOD(Tide_WebSocket_Server, push);
ZEND_METHOD(Tide_WebSocket_Server, disconnect);
ZEND_METHOD(Tide_WebSocket_Server, isEstablished);
ZEND_METHOD(Tide_WebSocket_Server, ping);
ZEND_METHOD(Tide_WebSocket_Server, pack);
ZEND_METHOD(Tide_WebSocket_Server, unpack);
ZEND_METHOD(Tide_WebSocket_Frame, __toString);
ZEND_METHOD(Tide_Server_ConnectionIterator, __construct);
ZEND_METHOD(Tide_Server_ConnectionIterator, current);
ZEND_METHOD(Tide_Server_ConnectionIterator, key);
ZEND_METHOD(Tide_Server_ConnectionIterator, next);
ZEND_METHOD(Tide_Server_ConnectionIterator, rewind);
ZEND_METHOD(Tide_Server_ConnectionIterator, valid);
ZEND_METHOD(Tide_Server_ConnectionIterator, count);
ZEND_METHOD(Tide_Server_ConnectionIterator, offsetExists);
ZEND_METHOD(Tide_Server_ConnectionIterator, offsetGet);
ZEND_METHOD(Tide_Server_ConnectionIterator, offsetSet);
ZEND_METHOD(Tide_Server_ConnectionIterator, offsetUnset);


static const zend_function_entry class_Tide_WebSocket_Server_methods[] = {
	ZEND_ME(Tide_WebSocket_Server, push, arginfo_class_Tide_WebSocket_Server_push, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_WebSocket_Server, disconnect, arginfo_class_Tide_WebSocket_Server_disconnect, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_WebSocket_Server, isEstablished, arginfo_class_Tide_WebSocket_Server_isEstablished, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_WebSocket_Server, ping, arginfo_class_Tide_WebSocket_Server_ping, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_WebSocket_Server, pack, arginfo_class_Tide_WebSocket_Server_pack, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(Tide_WebSocket_Server, unpack, arginfo_class_Tide_WebSocket_Server_unpack, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_FE_END
};


static const zend_function_entry class_Tide_WebSocket_Frame_methods[] = {
	ZEND_ME(Tide_WebSocket_Frame, __toString, arginfo_class_Tide_WebSocket_Frame___toString, ZEND_ACC_PUBLIC)
	ZEND_MALIAS(Tide_WebSocket_Server, pack, pack, arginfo_class_Tide_WebSocket_Frame_pack, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_MALIAS(Tide_WebSocket_Server, unpack, unpack, arginfo_class_Tide_WebSocket_Frame_unpack, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_FE_END
};


static const zend_function_entry class_Tide_WebSocket_CloseFrame_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Tide_Server_ConnectionIterator_methods[] = {
	ZEND_ME(Tide_Server_ConnectionIterator, __construct, arginfo_class_Tide_Server_ConnectionIterator___construct, ZEND_ACC_PRIVATE)
	ZEND_ME(Tide_Server_ConnectionIterator, current, arginfo_class_Tide_Server_ConnectionIterator_current, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server_ConnectionIterator, key, arginfo_class_Tide_Server_ConnectionIterator_key, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server_ConnectionIterator, next, arginfo_class_Tide_Server_ConnectionIterator_next, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server_ConnectionIterator, rewind, arginfo_class_Tide_Server_ConnectionIterator_rewind, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server_ConnectionIterator, valid, arginfo_class_Tide_Server_ConnectionIterator_valid, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server_ConnectionIterator, count, arginfo_class_Tide_Server_ConnectionIterator_count, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server_ConnectionIterator, offsetExists, arginfo_class_Tide_Server_ConnectionIterator_offsetExists, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server_ConnectionIterator, offsetGet, arginfo_class_Tide_Server_ConnectionIterator_offsetGet, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server_ConnectionIterator, offsetSet, arginfo_class_Tide_Server_ConnectionIterator_offsetSet, ZEND_ACC_PUBLIC)
	ZEND_ME(Tide_Server_ConnectionIterator, offsetUnset, arginfo_class_Tide_Server_ConnectionIterator_offsetUnset, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};

static void register_tide_websocket_symbols(int module_number)
{
	REGISTER_LONG_CONSTANT("Tide\\WebSocket\\OPCODE_CONTINUATION", TIDE_WS_CONTINUATION, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\WebSocket\\OPCODE_TEXT", TIDE_WS_TEXT, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\WebSocket\\OPCODE_BINARY", TIDE_WS_BINARY, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\WebSocket\\OPCODE_CLOSE", TIDE_WS_CLOSE, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\WebSocket\\OPCODE_PING", TIDE_WS_PING, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\WebSocket\\OPCODE_PONG", TIDE_WS_PONG, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\WebSocket\\FLAG_FIN", TIDE_WS_FLAG_FIN, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\WebSocket\\FLAG_COMPRESS", TIDE_WS_FLAG_COMPRESS, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\WebSocket\\FLAG_RSV1", TIDE_WS_FLAG_RSV1, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\WebSocket\\FLAG_RSV2", TIDE_WS_FLAG_RSV2, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\WebSocket\\FLAG_RSV3", TIDE_WS_FLAG_RSV3, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\WebSocket\\FLAG_MASK", TIDE_WS_FLAG_MASK, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\WebSocket\\CLOSE_NORMAL", TIDE_WS_CLOSE_NORMAL, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\WebSocket\\CLOSE_GOING_AWAY", TIDE_WS_CLOSE_GOING_AWAY, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\WebSocket\\CLOSE_PROTOCOL_ERROR", TIDE_WS_CLOSE_PROTOCOL, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\WebSocket\\CLOSE_DATA_ERROR", TIDE_WS_CLOSE_BAD_DATA, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\WebSocket\\CLOSE_POLICY_ERROR", TIDE_WS_CLOSE_POLICY, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\WebSocket\\CLOSE_MESSAGE_TOO_BIG", TIDE_WS_CLOSE_TOO_BIG, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("Tide\\WebSocket\\CLOSE_SERVER_ERROR", TIDE_WS_CLOSE_ERROR, CONST_PERSISTENT);
}

static zend_class_entry *register_class_Tide_WebSocket_Server(zend_class_entry *class_entry_Tide_Http_Server)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tide\\WebSocket", "Server", class_Tide_WebSocket_Server_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Tide_Http_Server);
	class_entry->ce_flags |= ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}

static zend_class_entry *register_class_Tide_WebSocket_Frame(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tide\\WebSocket", "Frame", class_Tide_WebSocket_Frame_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);

	zval property_fd_default_value;
	ZVAL_LONG(&property_fd_default_value, 0);
	zend_string *property_fd_name = zend_string_init("fd", sizeof("fd") - 1, 1);
	zend_declare_typed_property(class_entry, property_fd_name, &property_fd_default_value, ZEND_ACC_PUBLIC, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_fd_name);

	zval property_data_default_value;
	ZVAL_EMPTY_STRING(&property_data_default_value);
	zend_string *property_data_name = zend_string_init("data", sizeof("data") - 1, 1);
	zend_declare_typed_property(class_entry, property_data_name, &property_data_default_value, ZEND_ACC_PUBLIC, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_data_name);

	zval property_opcode_default_value;
	ZVAL_LONG(&property_opcode_default_value, TIDE_WS_TEXT);
	zend_string *property_opcode_name = zend_string_init("opcode", sizeof("opcode") - 1, 1);
	zend_declare_typed_property(class_entry, property_opcode_name, &property_opcode_default_value, ZEND_ACC_PUBLIC, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_opcode_name);

	zval property_flags_default_value;
	ZVAL_LONG(&property_flags_default_value, TIDE_WS_FLAG_FIN);
	zend_string *property_flags_name = zend_string_init("flags", sizeof("flags") - 1, 1);
	zend_declare_typed_property(class_entry, property_flags_name, &property_flags_default_value, ZEND_ACC_PUBLIC, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_flags_name);

	zval property_finish_default_value;
	ZVAL_TRUE(&property_finish_default_value);
	zend_string *property_finish_name = zend_string_init("finish", sizeof("finish") - 1, 1);
	zend_declare_typed_property(class_entry, property_finish_name, &property_finish_default_value, ZEND_ACC_PUBLIC, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_BOOL));
	zend_string_release(property_finish_name);

	return class_entry;
}

static zend_class_entry *register_class_Tide_WebSocket_CloseFrame(zend_class_entry *class_entry_Tide_WebSocket_Frame)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tide\\WebSocket", "CloseFrame", class_Tide_WebSocket_CloseFrame_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Tide_WebSocket_Frame);

	zval property_opcode_default_value;
	ZVAL_LONG(&property_opcode_default_value, TIDE_WS_CLOSE);
	zend_string *property_opcode_name = zend_string_init("opcode", sizeof("opcode") - 1, 1);
	zend_declare_typed_property(class_entry, property_opcode_name, &property_opcode_default_value, ZEND_ACC_PUBLIC, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_opcode_name);

	zval property_code_default_value;
	ZVAL_LONG(&property_code_default_value, TIDE_WS_CLOSE_NORMAL);
	zend_string *property_code_name = zend_string_init("code", sizeof("code") - 1, 1);
	zend_declare_typed_property(class_entry, property_code_name, &property_code_default_value, ZEND_ACC_PUBLIC, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_code_name);

	zval property_reason_default_value;
	ZVAL_EMPTY_STRING(&property_reason_default_value);
	zend_string *property_reason_name = zend_string_init("reason", sizeof("reason") - 1, 1);
	zend_declare_typed_property(class_entry, property_reason_name, &property_reason_default_value, ZEND_ACC_PUBLIC, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_reason_name);

	return class_entry;
}

static zend_class_entry *register_class_Tide_Server_ConnectionIterator(zend_class_entry *class_entry_Iterator, zend_class_entry *class_entry_Countable, zend_class_entry *class_entry_ArrayAccess)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Tide\\Server", "ConnectionIterator", class_Tide_Server_ConnectionIterator_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NOT_SERIALIZABLE;
	zend_class_implements(class_entry, 3, class_entry_Iterator, class_entry_Countable, class_entry_ArrayAccess);

	return class_entry;
}

/* SPDX-License-Identifier: MIT */
/*
 * Tide\Server\Port: a listening socket of a server, with settings and callbacks of its own
 * over the server's. Made by the constructor (the first port) and by listen().
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <unistd.h>

#include "php.h"
#include "php_tide_server.h"
#include "zend_exceptions.h"

zend_class_entry *php_tide_port_ce;
static zend_object_handlers port_handlers;

static zend_object *port_create(zend_class_entry *ce)
{
    php_tide_port_t *p = zend_object_alloc(sizeof(php_tide_port_t), ce);
    zend_object_std_init(&p->std, ce);
    object_properties_init(&p->std, ce);
    p->std.handlers = &port_handlers;
    for (int i = 0; i < EV_COUNT; i++)
        ZVAL_UNDEF(&p->cb[i].fn);
    array_init(&p->own_setting);
    p->p.fd = -1;
    p->p.backlog = 512;
    return &p->std;
}

static void port_free(zend_object *obj)
{
    php_tide_port_t *p = php_tide_port_from(obj);
    for (int i = 0; i < EV_COUNT; i++)
        php_tide_cb_free(&p->cb[i]);
    zval_ptr_dtor(&p->own_setting);
    if (p->p.fd >= 0) {
        close(p->p.fd);
        if (tide_sock_is_unix(p->p.type) && p->owner == getpid())
            unlink(p->p.host);
    }
    zend_object_std_dtor(obj);
}

static HashTable *port_get_gc(zend_object *obj, zval **table, int *n)
{
    return php_tide_gc_callbacks(obj, php_tide_port_from(obj)->cb, table, n);
}

php_tide_port_t *php_tide_port_open(php_tide_server_t *srv, const char *host, zend_long port,
                                    zend_long type, bool throw)
{
    if ((type & ~(zend_long)(TIDE_SOCK_SSL | TIDE_SOCK_TYPE_MASK)) ||
        !tide_sock_valid((int)(type & TIDE_SOCK_TYPE_MASK))) {
        zend_value_error("Socket type " ZEND_LONG_FMT " is not one of Tide\\SOCK_*", type);
        return NULL;
    }
    if (type & TIDE_SOCK_SSL) {
        php_tide_throw(0, "Tide\\SSL: TLS is not available in this version of Tide");
        return NULL;
    }
    bool is_unix = tide_sock_is_unix((int)type);
    if (!is_unix && (port < 0 || port > 65535)) {
        zend_value_error("Port must be between 0 and 65535, " ZEND_LONG_FMT " given", port);
        return NULL;
    }
    if (strlen(host) >= TIDE_ADDR_MAX) {
        zend_value_error("Host must be shorter than %d bytes", TIDE_ADDR_MAX);
        return NULL;
    }
    zend_object *obj = port_create(php_tide_port_ce);
    php_tide_port_t *p = php_tide_port_from(obj);
    p->p.type = (int)type;
    p->p.port = is_unix ? 0 : (int)port;
    strncpy(p->p.host, host, sizeof(p->p.host) - 1);
    p->p.udata = p;
    char why[256] = "";
    int rc = tide_server_listen(&srv->core, &p->p, why, sizeof(why));
    if (rc < 0) {
        OBJ_RELEASE(obj);
        if (throw)
            php_tide_throw(rc, "%s", why);
        else
            php_error_docref(NULL, E_WARNING, "%s", why);
        return NULL;
    }
    p->server = srv;
    p->owner = getpid();
    p->server_fd = p->p.fd;

    zval z;
    ZVAL_STRING(&z, host);
    php_tide_prop_set(obj, "host", &z);
    zval_ptr_dtor(&z);
    php_tide_prop_long(obj, "port", p->p.port);
    php_tide_prop_long(obj, "type", type);
    zval eff;
    php_tide_port_effective(p, &eff);
    php_tide_prop_set(obj, "setting", &eff);
    zval_ptr_dtor(&eff);

    /* $server->ports lists them all (and holds them). */
    zval *ports = zend_read_property(php_tide_server_ce, &srv->std, "ports", 5, true, NULL);
    zval arr;
    ZVAL_ARR(&arr, zend_array_dup(Z_ARRVAL_P(ports)));
    add_next_index_object(&arr, obj);
    php_tide_prop_set(&srv->std, "ports", &arr);
    zval_ptr_dtor(&arr);
    return p;
}

ZEND_METHOD(Tide_Server, listen)
{
    zend_string *host;
    zend_long port, type;
    ZEND_PARSE_PARAMETERS_START(3, 3)
        Z_PARAM_STR(host)
        Z_PARAM_LONG(port)
        Z_PARAM_LONG(type)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_server_t *srv = php_tide_server_from(Z_OBJ_P(ZEND_THIS));
    if (srv->state != 0) {
        php_tide_throw(0, "Tide\\Server::listen() cannot be called after start()");
        RETURN_THROWS();
    }
    php_tide_port_t *p = php_tide_port_open(srv, ZSTR_VAL(host), port, type, false);
    if (!p) {
        if (EG(exception))
            RETURN_THROWS();
        RETURN_FALSE;
    }
    RETURN_OBJ_COPY(&p->std);
}

ZEND_METHOD(Tide_Server_Port, __construct)
{
    TIDE_UNUSED(return_value);
    ZEND_PARSE_PARAMETERS_NONE();
}

ZEND_METHOD(Tide_Server_Port, set)
{
    HashTable *ht;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(ht)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_port_t *port = php_tide_port_from(Z_OBJ_P(ZEND_THIS));
    if (!port->server) {
        php_tide_throw(0, "Tide\\Server\\Port::set(): this port's server is gone");
        RETURN_THROWS();
    }
    if (port->server->state != 0) {
        php_tide_throw(0, "Tide\\Server\\Port::set() cannot be called after start()");
        RETURN_THROWS();
    }
    if (!php_tide_settings_check_keys(ht, true))
        RETURN_THROWS();
    zval own;
    ZVAL_ARR(&own, zend_array_dup(Z_ARRVAL(port->own_setting)));
    zend_hash_merge(Z_ARRVAL(own), ht, zval_add_ref, true);
    zval eff;
    php_tide_settings_merge(Z_ARRVAL(port->server->setting_all), Z_ARRVAL(own), &eff);
    tide_port_t tmp;
    php_tide_http_opts_t tmp_http;
    if (!php_tide_settings_port(Z_ARRVAL(eff), &tmp, &tmp_http,
                                php_tide_port_defaults(port->server))) {
        zval_ptr_dtor(&own);
        zval_ptr_dtor(&eff);
        RETURN_THROWS();
    }
    zval_ptr_dtor(&port->own_setting);
    ZVAL_COPY_VALUE(&port->own_setting, &own);
    port->has_own = true;
    php_tide_prop_set(&port->std, "setting", &eff);
    zval_ptr_dtor(&eff);
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Server_Port, on)
{
    zend_string *name;
    zend_fcall_info fci;
    zend_fcall_info_cache fcc;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(name)
        Z_PARAM_FUNC(fci, fcc)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_port_t *port = php_tide_port_from(Z_OBJ_P(ZEND_THIS));
    if (port->server && port->server->state != 0) {
        php_tide_throw(0, "Tide\\Server\\Port::on() cannot be called after start()");
        RETURN_THROWS();
    }
    int ev = php_tide_event_index(name, true);
    if (ev < 0)
        RETURN_THROWS();
    php_tide_cb_set(&port->cb[ev], &fci.function_name, &fcc);
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Server_Port, getCallback)
{
    zend_string *name;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(name)
    ZEND_PARSE_PARAMETERS_END();
    int ev = php_tide_event_index(name, true);
    if (ev < 0)
        RETURN_THROWS();
    php_tide_port_t *port = php_tide_port_from(Z_OBJ_P(ZEND_THIS));
    if (Z_TYPE(port->cb[ev].fn) == IS_UNDEF)
        RETURN_NULL();
    RETURN_COPY(&port->cb[ev].fn);
}

void php_tide_port_minit(zend_class_entry *ce)
{
    php_tide_port_ce = ce;
    php_tide_port_ce->create_object = port_create;
    memcpy(&port_handlers, zend_get_std_object_handlers(), sizeof(port_handlers));
    port_handlers.offset = XtOffsetOf(php_tide_port_t, std);
    port_handlers.free_obj = port_free;
    port_handlers.get_gc = port_get_gc;
    port_handlers.clone_obj = NULL;
}

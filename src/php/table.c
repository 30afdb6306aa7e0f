/* SPDX-License-Identifier: MIT */
/*
 * Tide\Table: the shared-memory table of src/shm/table.c for PHP. Its memory is mapped by
 * create() and shared with every process forked after it (a server's master, manager,
 * workers and task workers); each process unmaps its own view when its object goes.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "php_tide.h"
#include "tide/table.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"

#include "../../php_stubs/tide_table_arginfo.h"

static zend_class_entry *table_ce;
static zend_object_handlers table_handlers;

typedef struct php_tide_table {
    tide_table_t t;
    bool inited;
    /* foreach: the next bucket to read, and the rows of the ones read ([key => row]) */
    uint32_t next_bucket;
    zval batch;
    HashPosition pos;
    zend_object std;
} php_tide_table_t;

static php_tide_table_t *table_from(zend_object *o)
{
    return (php_tide_table_t *)((char *)o - XtOffsetOf(php_tide_table_t, std));
}
#define THIS_TABLE() table_from(Z_OBJ_P(ZEND_THIS))

static zend_object *table_create(zend_class_entry *ce)
{
    php_tide_table_t *t = zend_object_alloc(sizeof(php_tide_table_t), ce);
    zend_object_std_init(&t->std, ce);
    object_properties_init(&t->std, ce);
    t->std.handlers = &table_handlers;
    ZVAL_UNDEF(&t->batch);
    return &t->std;
}

static void table_free(zend_object *o)
{
    php_tide_table_t *t = table_from(o);
    tide_table_destroy(&t->t);
    zval_ptr_dtor(&t->batch);
    zend_object_std_dtor(o);
}

/* The created table, or NULL with a Tide\Exception naming the method. */
static php_tide_table_t *created(zval *this_zv, const char *method)
{
    php_tide_table_t *t = table_from(Z_OBJ_P(this_zv));
    if (!t->t.hdr) {
        php_tide_throw(0, "Tide\\Table::%s(): the table is not created yet (call create() first)",
                       method);
        return NULL;
    }
    return t;
}

static bool key_ok(zend_string *key, uint32_t arg)
{
    if (ZSTR_LEN(key) > TIDE_TABLE_KEY_MAX) {
        zend_argument_value_error(arg, "must be a key of at most %d bytes, %zu given",
                                  TIDE_TABLE_KEY_MAX, ZSTR_LEN(key));
        return false;
    }
    return true;
}

static void row_to_array(const tide_table_t *t, const void *data, zval *out)
{
    array_init_size(out, t->ncols);
    for (uint32_t i = 0; i < t->ncols; i++) {
        const tide_table_col_t *c = &t->cols[i];
        zval v;
        if (c->type == TIDE_TABLE_INT) {
            ZVAL_LONG(&v, (zend_long)tide_table_get_int(t, data, i));
        } else if (c->type == TIDE_TABLE_FLOAT) {
            ZVAL_DOUBLE(&v, tide_table_get_float(t, data, i));
        } else {
            uint32_t n;
            const char *s = tide_table_get_str(t, data, i, &n);
            ZVAL_STRINGL_FAST(&v, s, n);
        }
        zend_hash_str_add_new(Z_ARRVAL_P(out), c->name, c->name_len, &v);
    }
}

/* A column by name, or -1 with a ValueError naming it (argument arg). */
static int column_of(const tide_table_t *t, zend_string *name, uint32_t arg)
{
    int c = tide_table_find_col(t, ZSTR_VAL(name), ZSTR_LEN(name));
    if (c < 0)
        zend_argument_value_error(arg, "names no column of the table ('%s')", ZSTR_VAL(name));
    return c;
}

ZEND_METHOD(Tide_Table, __construct)
{
    zend_long size;
    double conflict = 0.2;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_LONG(size)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(conflict)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_table_t *t = THIS_TABLE();
    if (t->inited) {
        php_tide_throw(0, "Tide\\Table::__construct(): the table is made already");
        RETURN_THROWS();
    }
    if (size < 1 || (uint64_t)size > TIDE_TABLE_SIZE_MAX) {
        zend_argument_value_error(1, "must be between 1 and %u rows, " ZEND_LONG_FMT " given",
                                  TIDE_TABLE_SIZE_MAX, size);
        RETURN_THROWS();
    }
    /* conflict_proportion: Swoole's room for colliding keys; Tide needs none (a collision
     * costs a link, not a row), so it is accepted and has no effect. */
    if (!(conflict >= 0 && conflict <= 1)) {
        zend_argument_value_error(2, "must be between 0 and 1");
        RETURN_THROWS();
    }
    tide_table_init(&t->t, (uint64_t)size);
    t->inited = true;
}

ZEND_METHOD(Tide_Table, column)
{
    zend_string *name;
    zend_long type, size = 0;
    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_STR(name)
        Z_PARAM_LONG(type)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(size)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_table_t *t = THIS_TABLE();
    if (t->t.hdr) {
        php_tide_refuse(0, "Tide\\Table::column(): the table is created already: its columns "
                           "are fixed");
        PHP_TIDE_RETURN_REFUSED();
    }
    if (type != TIDE_TABLE_INT && type != TIDE_TABLE_FLOAT && type != TIDE_TABLE_STRING) {
        zend_argument_value_error(2, "must be Tide\\Table::TYPE_INT, TYPE_FLOAT or TYPE_STRING, "
                                  ZEND_LONG_FMT " given", type);
        RETURN_THROWS();
    }
    if (type == TIDE_TABLE_STRING && (size < 1 || size > TIDE_TABLE_STRING_MAX)) {
        zend_argument_value_error(3, "must be between 1 and %u bytes for a TYPE_STRING column ('%s'), "
                                  ZEND_LONG_FMT " given", TIDE_TABLE_STRING_MAX, ZSTR_VAL(name), size);
        RETURN_THROWS();
    }
    int rc = tide_table_column(&t->t, ZSTR_VAL(name), ZSTR_LEN(name), (int)type, (uint64_t)size);
    if (rc == -EEXIST) {
        zend_argument_value_error(1, "names a column the table has already ('%s')", ZSTR_VAL(name));
        RETURN_THROWS();
    }
    if (rc == -E2BIG) {
        zend_argument_value_error(1, "is one column too many: a table has at most %d",
                                  TIDE_TABLE_COLS_MAX);
        RETURN_THROWS();
    }
    if (rc < 0) {
        zend_argument_value_error(1, "must be a column name of 1 to %d bytes, %zu given",
                                  TIDE_TABLE_NAME_MAX, ZSTR_LEN(name));
        RETURN_THROWS();
    }
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Table, create)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_table_t *t = THIS_TABLE();
    if (t->t.hdr)
        RETURN_TRUE;
    int rc = tide_table_create(&t->t);
    if (rc < 0) {
        php_tide_throw(rc, "Tide\\Table::create(): cannot map %zu bytes of shared memory for %u rows",
                       tide_table_memory(t->t.size, t->t.data_size), t->t.size);
        RETURN_THROWS();
    }
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Table, destroy)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_table_t *t = THIS_TABLE();
    tide_table_destroy(&t->t);
    RETURN_TRUE;
}

ZEND_METHOD(Tide_Table, set)
{
    zend_string *key;
    HashTable *row;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(key)
        Z_PARAM_ARRAY_HT(row)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_table_t *t = created(ZEND_THIS, "set");
    if (!t)
        RETURN_THROWS();
    if (!key_ok(key, 1))
        RETURN_THROWS();
    tide_table_field_t fields[TIDE_TABLE_COLS_MAX];
    zend_string *strs[TIDE_TABLE_COLS_MAX];
    size_t nf = 0, ns = 0;
    zend_string *name;
    zend_ulong idx;
    zval *v;
    bool ok = true;
    ZEND_HASH_FOREACH_KEY_VAL(row, idx, name, v) {
        int c = name ? tide_table_find_col(&t->t, ZSTR_VAL(name), ZSTR_LEN(name)) : -1;
        if (c < 0) {
            if (name)
                zend_argument_value_error(2, "names no column of the table ('%s')", ZSTR_VAL(name));
            else
                zend_argument_value_error(2, "names no column of the table (index " ZEND_ULONG_FMT ")",
                                          idx);
            ok = false;
            break;
        }
        if (nf == TIDE_TABLE_COLS_MAX)
            break;
        tide_table_field_t *f = &fields[nf++];
        memset(f, 0, sizeof(*f));
        f->col = (uint32_t)c;
        const tide_table_col_t *col = &t->t.cols[c];
        if (col->type == TIDE_TABLE_INT) {
            f->i = (int64_t)zval_get_long(v);
        } else if (col->type == TIDE_TABLE_FLOAT) {
            f->d = zval_get_double(v);
        } else {
            zend_string *s = zval_try_get_string(v);
            if (!s) {
                ok = false;
                break;
            }
            strs[ns++] = s;
            if (ZSTR_LEN(s) > col->size) {
                zend_argument_value_error(2, "holds %zu bytes for column '%s', which holds %u",
                                          ZSTR_LEN(s), col->name, col->size);
                ok = false;
                break;
            }
            f->s = ZSTR_VAL(s);
            f->len = (uint32_t)ZSTR_LEN(s);
        }
    } ZEND_HASH_FOREACH_END();
    int rc = ok ? tide_table_set(&t->t, ZSTR_VAL(key), ZSTR_LEN(key), fields, nf) : 0;
    for (size_t i = 0; i < ns; i++)
        zend_string_release(strs[i]);
    if (!ok)
        RETURN_THROWS();
    if (rc == -ENOSPC) {
        php_error_docref(NULL, E_WARNING, "the table is full: its %u rows are taken", t->t.size);
        RETURN_FALSE;
    }
    RETURN_BOOL(rc == 0);
}

ZEND_METHOD(Tide_Table, get)
{
    zend_string *key, *field = NULL;
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_STR(key)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(field)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_table_t *t = created(ZEND_THIS, "get");
    if (!t)
        RETURN_THROWS();
    int c = -1;
    if (field && (c = column_of(&t->t, field, 2)) < 0)
        RETURN_THROWS();
    char stack[1024];
    char *data = t->t.data_size <= sizeof(stack) ? stack : emalloc(t->t.data_size);
    if (tide_table_get(&t->t, ZSTR_VAL(key), ZSTR_LEN(key), data) < 0) {
        if (data != stack)
            efree(data);
        RETURN_FALSE;
    }
    if (c < 0) {
        row_to_array(&t->t, data, return_value);
    } else if (t->t.cols[c].type == TIDE_TABLE_INT) {
        RETVAL_LONG((zend_long)tide_table_get_int(&t->t, data, (uint32_t)c));
    } else if (t->t.cols[c].type == TIDE_TABLE_FLOAT) {
        RETVAL_DOUBLE(tide_table_get_float(&t->t, data, (uint32_t)c));
    } else {
        uint32_t n;
        const char *s = tide_table_get_str(&t->t, data, (uint32_t)c, &n);
        RETVAL_STRINGL_FAST(s, n);
    }
    if (data != stack)
        efree(data);
}

ZEND_METHOD(Tide_Table, exists)
{
    zend_string *key;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(key)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_table_t *t = created(ZEND_THIS, "exists");
    if (!t)
        RETURN_THROWS();
    RETURN_BOOL(tide_table_exists(&t->t, ZSTR_VAL(key), ZSTR_LEN(key)));
}

ZEND_METHOD(Tide_Table, del)
{
    zend_string *key;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(key)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_table_t *t = created(ZEND_THIS, "del");
    if (!t)
        RETURN_THROWS();
    RETURN_BOOL(tide_table_del(&t->t, ZSTR_VAL(key), ZSTR_LEN(key)) == 0);
}

static void incr(INTERNAL_FUNCTION_PARAMETERS, int sign, const char *method)
{
    zend_string *key, *column;
    zval *by = NULL;
    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_STR(key)
        Z_PARAM_STR(column)
        Z_PARAM_OPTIONAL
        Z_PARAM_NUMBER(by)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_table_t *t = created(ZEND_THIS, method);
    if (!t)
        RETURN_THROWS();
    if (!key_ok(key, 1))
        RETURN_THROWS();
    int c = column_of(&t->t, column, 2);
    if (c < 0)
        RETURN_THROWS();
    if (t->t.cols[c].type == TIDE_TABLE_STRING) {
        zend_argument_value_error(2, "is a TYPE_STRING column ('%s'): only numbers count",
                                  ZSTR_VAL(column));
        RETURN_THROWS();
    }
    int64_t by_i = 1, out_i = 0;
    double by_d = 1, out_d = 0;
    if (by) {
        by_i = Z_TYPE_P(by) == IS_LONG ? (int64_t)Z_LVAL_P(by) : (int64_t)Z_DVAL_P(by);
        by_d = Z_TYPE_P(by) == IS_LONG ? (double)Z_LVAL_P(by) : Z_DVAL_P(by);
    }
    int rc = tide_table_incr(&t->t, ZSTR_VAL(key), ZSTR_LEN(key), (uint32_t)c,
                             sign > 0 ? by_i : (int64_t)(0 - (uint64_t)by_i), sign * by_d,
                             &out_i, &out_d);
    if (rc == -ENOSPC) {
        php_error_docref(NULL, E_WARNING, "the table is full: its %u rows are taken", t->t.size);
        RETURN_FALSE;
    }
    if (t->t.cols[c].type == TIDE_TABLE_INT)
        RETURN_LONG((zend_long)out_i);
    RETURN_DOUBLE(out_d);
}

ZEND_METHOD(Tide_Table, incr)
{
    incr(INTERNAL_FUNCTION_PARAM_PASSTHRU, 1, "incr");
}

ZEND_METHOD(Tide_Table, decr)
{
    incr(INTERNAL_FUNCTION_PARAM_PASSTHRU, -1, "decr");
}

ZEND_METHOD(Tide_Table, count)
{
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_LONG((zend_long)tide_table_count(&THIS_TABLE()->t));
}

ZEND_METHOD(Tide_Table, getSize)
{
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_LONG((zend_long)THIS_TABLE()->t.size);
}

ZEND_METHOD(Tide_Table, getMemorySize)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_table_t *t = THIS_TABLE();
    RETURN_LONG((zend_long)(t->t.hdr ? t->t.mem_len : tide_table_memory(t->t.size, t->t.data_size)));
}

ZEND_METHOD(Tide_Table, stats)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_table_t *t = THIS_TABLE();
    if (!t->t.hdr)
        RETURN_FALSE;
    tide_table_stats_t st;
    tide_table_stats(&t->t, &st);
    array_init(return_value);
    add_assoc_long(return_value, "num", (zend_long)st.num);
    add_assoc_long(return_value, "size", (zend_long)t->t.size);
    add_assoc_long(return_value, "memory_size", (zend_long)st.memory_size);
    add_assoc_long(return_value, "row_size", (zend_long)(t->t.row_size + 8));
    add_assoc_long(return_value, "insert_count", (zend_long)st.insert_count);
    add_assoc_long(return_value, "delete_count", (zend_long)st.delete_count);
    add_assoc_long(return_value, "set_fail_count", (zend_long)st.set_fail_count);
    add_assoc_long(return_value, "available_slice_num", (zend_long)st.rows_free);
    add_assoc_long(return_value, "total_slice_num", (zend_long)t->t.size);
    add_assoc_long(return_value, "max_chain", (zend_long)st.max_chain);
}

/* ---- foreach ---- */

static void add_row(void *arg, const char *key, size_t klen, const void *data)
{
    php_tide_table_t *t = arg;
    zval row;
    row_to_array(&t->t, data, &row);
    zend_hash_str_update(Z_ARRVAL(t->batch), key, klen, &row);
}

/* Reads buckets until some rows are found (or the table ends). */
static void fill(php_tide_table_t *t)
{
    zval_ptr_dtor(&t->batch);
    array_init(&t->batch);
    while (t->t.hdr && t->next_bucket < t->t.size &&
           zend_hash_num_elements(Z_ARRVAL(t->batch)) == 0)
        tide_table_bucket(&t->t, t->next_bucket++, add_row, t);
    zend_hash_internal_pointer_reset_ex(Z_ARRVAL(t->batch), &t->pos);
}

ZEND_METHOD(Tide_Table, rewind)
{
    TIDE_UNUSED(return_value);
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_table_t *t = THIS_TABLE();
    t->next_bucket = 0;
    fill(t);
}

ZEND_METHOD(Tide_Table, valid)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_table_t *t = THIS_TABLE();
    RETURN_BOOL(Z_TYPE(t->batch) == IS_ARRAY &&
                zend_hash_get_current_data_ex(Z_ARRVAL(t->batch), &t->pos) != NULL);
}

ZEND_METHOD(Tide_Table, current)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_table_t *t = THIS_TABLE();
    zval *v = Z_TYPE(t->batch) == IS_ARRAY
                  ? zend_hash_get_current_data_ex(Z_ARRVAL(t->batch), &t->pos)
                  : NULL;
    if (!v)
        RETURN_NULL();
    RETURN_COPY(v);
}

ZEND_METHOD(Tide_Table, key)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_table_t *t = THIS_TABLE();
    if (Z_TYPE(t->batch) != IS_ARRAY)
        RETURN_NULL();
    zend_hash_get_current_key_zval_ex(Z_ARRVAL(t->batch), return_value, &t->pos);
    /* a numeric-looking key came back as an int: keys are strings */
    if (Z_TYPE_P(return_value) == IS_LONG)
        ZVAL_STR(return_value, zend_long_to_str(Z_LVAL_P(return_value)));
}

ZEND_METHOD(Tide_Table, next)
{
    TIDE_UNUSED(return_value);
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_table_t *t = THIS_TABLE();
    if (Z_TYPE(t->batch) != IS_ARRAY)
        return;
    zend_hash_move_forward_ex(Z_ARRVAL(t->batch), &t->pos);
    if (!zend_hash_get_current_data_ex(Z_ARRVAL(t->batch), &t->pos))
        fill(t);
}

void php_tide_table_minit(void)
{
    table_ce = register_class_Tide_Table(zend_ce_iterator, zend_ce_countable);
    table_ce->create_object = table_create;
    memcpy(&table_handlers, zend_get_std_object_handlers(), sizeof(table_handlers));
    table_handlers.offset = XtOffsetOf(php_tide_table_t, std);
    table_handlers.free_obj = table_free;
    table_handlers.clone_obj = NULL;
}

/* SPDX-License-Identifier: MIT */
/*
 * Tide\Http\Server and Tide\Http\Request. The engine's HTTP/1.1 protocol (src/proto/http1.c)
 * hands each worker whole requests (the head, then the body with any chunked coding
 * removed); this file turns one into a Request and a Response and calls the request event,
 * in a coroutine of its own with enable_coroutine. The request is done for the core (and
 * the next one on its connection is read) when that coroutine ends; a response it left
 * unanswered is answered 500 then.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "php.h"
#include "SAPI.h"
#include "php_open_temporary_file.h"
#include "php_variables.h"
#include "ext/standard/url.h"
#include "php_tide_http.h"
#include "tide/multipart.h"
#include "zend_exceptions.h"
#include "zend_smart_str.h"

#include "../../php_stubs/tide_http_arginfo.h"

zend_class_entry *php_tide_http_server_ce, *php_tide_http_request_ce;
static zend_object_handlers request_handlers;

/* Property slots of Request, in the order the stub declares them. */
enum { P_FD, P_STREAM_ID, P_HEADER, P_SERVER, P_COOKIE, P_GET, P_FILES, P_POST };

typedef struct php_tide_request {
    zend_string *data; /* the request: head, then the body (unless it is in body_fd) */
    HashTable *tmp_files; /* uploaded files (paths), removed when the request is done */
    size_t head_len;
    int body_fd;       /* a body spooled to an unnamed file as it arrived (-1: none) */
    uint64_t body_len; /* its length */
    tide_span_t method;
    struct request_parser *parser; /* made by Request::create(), for parse() */
    zend_object std;
} php_tide_request_t;

/* A request made by Request::create(): what parse() was given goes through the server's
 * HTTP/1.1 parser (the same limits and checks), and fills the request once it is whole. */
typedef struct request_parser {
    php_tide_http_opts_t o;
    tide_http1_conn_t st;
    bool live;      /* st holds memory (until the request is whole or refused) */
    bool completed;
    bool failed;
    bool feeding;   /* in parse(): a nested call (from an error handler) is refused */
} request_parser_t;

static tide_ratelimit_t rl_form;

/* The keys of Request::$server, and its most common values, interned once: a request
 * allocates and hashes none of them. */
enum {
    K_REQUEST_METHOD, K_REQUEST_URI, K_PATH_INFO, K_QUERY_STRING, K_SERVER_PROTOCOL,
    K_REMOTE_ADDR, K_REMOTE_PORT, K_SERVER_PORT, K_REQUEST_TIME, K_REQUEST_TIME_FLOAT,
    V_HTTP10, V_HTTP11, V_GET, V_HEAD, V_POST, K_COUNT
};
static const char *const interned_names[K_COUNT] = {
    "request_method", "request_uri", "path_info", "query_string", "server_protocol",
    "remote_addr", "remote_port", "server_port", "request_time", "request_time_float",
    "HTTP/1.0", "HTTP/1.1", "GET", "HEAD", "POST",
};
static zend_string *interned[K_COUNT];

static void put_str(HashTable *ht, int key, const char *p, size_t n)
{
    zval v;
    ZVAL_STRINGL_FAST(&v, p, n);
    zend_hash_add_new(ht, interned[key], &v);
}

static void put_interned(HashTable *ht, int key, int value)
{
    zval v;
    ZVAL_INTERNED_STR(&v, interned[value]);
    zend_hash_add_new(ht, interned[key], &v);
}

static void put_long(HashTable *ht, int key, zend_long n)
{
    zval v;
    ZVAL_LONG(&v, n);
    zend_hash_add_new(ht, interned[key], &v);
}

/* The method as an interned string when it is a common one, else -1. */
static int common_method(const char *p, size_t n)
{
    if (n == 3 && memcmp(p, "GET", 3) == 0)
        return V_GET;
    if (n == 4 && memcmp(p, "POST", 4) == 0)
        return V_POST;
    if (n == 4 && memcmp(p, "HEAD", 4) == 0)
        return V_HEAD;
    return -1;
}

static php_tide_request_t *request_from(zend_object *obj)
{
    return (php_tide_request_t *)((char *)obj - XtOffsetOf(php_tide_request_t, std));
}
#define THIS_REQUEST() request_from(Z_OBJ_P(ZEND_THIS))

static zend_object *request_create(zend_class_entry *ce)
{
    php_tide_request_t *r = zend_object_alloc(sizeof(php_tide_request_t), ce);
    zend_object_std_init(&r->std, ce);
    object_properties_init(&r->std, ce);
    r->std.handlers = &request_handlers;
    r->body_fd = -1;
    return &r->std;
}

/* Removes the request's uploaded files (the handler may have renamed them away). */
static void remove_uploads(php_tide_request_t *r)
{
    if (!r->tmp_files)
        return;
    zval *path;
    ZEND_HASH_FOREACH_VAL(r->tmp_files, path) {
        unlink(Z_STRVAL_P(path));
    } ZEND_HASH_FOREACH_END();
    zend_hash_destroy(r->tmp_files);
    FREE_HASHTABLE(r->tmp_files);
    r->tmp_files = NULL;
}

static void request_free(zend_object *obj)
{
    php_tide_request_t *r = request_from(obj);
    remove_uploads(r);
    if (r->parser) {
        if (r->parser->live)
            tide_proto_http1.destroy(&r->parser->st);
        efree(r->parser);
    }
    if (r->data)
        zend_string_release(r->data);
    if (r->body_fd >= 0)
        close(r->body_fd);
    zend_object_std_dtor(obj);
}

static void set_prop_arr(zend_object *obj, int slot, zval *arr)
{
    zval *p = OBJ_PROP_NUM(obj, slot);
    zval_ptr_dtor(p);
    ZVAL_COPY_VALUE(p, arr);
}

/* ---- parsing what PHP code reads ---- */

/* name=value pairs as PHP's parse_str() reads them (arrays, max_input_vars). */
static void parse_query(const char *p, size_t n, zval *out)
{
    array_init(out);
    if (!n)
        return;
    sapi_module.treat_data(PARSE_STRING, estrndup(p, n), out); /* frees the copy */
}

/* A Cookie header: "a=1; b=2", values URL-decoded; the first of a name wins (as PHP). */
static void parse_cookies(const char *p, size_t n, zval *out)
{
    const char *end = p + n;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == ';' || *p == '\t'))
            p++;
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *e = semi ? semi : end;
        const char *eq = memchr(p, '=', (size_t)(e - p));
        if (eq && eq > p) {
            const char *ne = eq;
            while (ne > p && (ne[-1] == ' ' || ne[-1] == '\t'))
                ne--;
            const char *v = eq + 1, *ve = e;
            while (v < ve && *v == ' ')
                v++;
            while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
                ve--;
            if (!zend_hash_str_exists(Z_ARRVAL_P(out), p, (size_t)(ne - p))) {
                zend_string *val = zend_string_init(v, (size_t)(ve - v), 0);
                ZSTR_LEN(val) = php_url_decode(ZSTR_VAL(val), ZSTR_LEN(val));
                zval zv;
                ZVAL_STR(&zv, val);
                zend_symtable_str_update(Z_ARRVAL_P(out), p, (size_t)(ne - p), &zv);
            }
        }
        p = e;
    }
}

static bool starts_ci(const char *p, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && strncasecmp(p, prefix, k) == 0;
}

/* ---- multipart/form-data ---- */

enum { UPLOAD_OK = 0, UPLOAD_INI_SIZE = 1, UPLOAD_NO_FILE = 4, UPLOAD_CANT_WRITE = 7 };

typedef struct form {
    php_tide_request_t *r;
    const php_tide_http_opts_t *o;
    const char *body;
    zval *post, *files;
} form_t;

/* "up[a][]" with attribute "name" is "up[name][a][]": PHP's $_FILES shape. */
static void file_attr(zval *files, const char *field, size_t flen, const char *attr, zval *v)
{
    const char *br = memchr(field, '[', flen);
    size_t base = br ? (size_t)(br - field) : flen;
    smart_str var = {0};
    smart_str_appendl(&var, field, base);
    smart_str_appendc(&var, '[');
    smart_str_appends(&var, attr);
    smart_str_appendc(&var, ']');
    smart_str_appendl(&var, field + base, flen - base);
    smart_str_0(&var);
    php_register_variable_ex(ZSTR_VAL(var.s), v, files);
    smart_str_free(&var);
}

/* A file part: written to a temporary file of its own (within upload_max_filesize). */
static void form_file(form_t *f, const tide_multipart_part_t *p, const char *field, size_t flen)
{
    const char *fname = f->body + p->filename.off;
    size_t fnlen = p->filename.len;
    /* The name without a path, as PHP gives it (the path is full_path). */
    size_t base = fnlen;
    while (base > 0 && fname[base - 1] != '/' && fname[base - 1] != '\\')
        base--;
    int error = UPLOAD_OK;
    zend_string *tmp = NULL;
    if (!fnlen && !p->data.len) {
        error = UPLOAD_NO_FILE;
    } else if (f->o->upload_max_filesize && p->data.len > f->o->upload_max_filesize) {
        error = UPLOAD_INI_SIZE;
    } else {
        const char *dir = f->o->upload_tmp_dir[0] ? f->o->upload_tmp_dir : php_get_temporary_directory();
        tmp = zend_strpprintf(0, "%s/tide-upload-XXXXXX", dir);
        int fd = mkstemp(ZSTR_VAL(tmp));
        size_t done = 0;
        while (fd >= 0 && done < p->data.len) {
            ssize_t w = write(fd, f->body + p->data.off + done, p->data.len - done);
            if (w <= 0)
                break;
            done += (size_t)w;
        }
        if (fd < 0 || done < p->data.len) {
            if (fd >= 0)
                unlink(ZSTR_VAL(tmp));
            error = UPLOAD_CANT_WRITE;
            zend_string_release(tmp);
            tmp = NULL;
        }
        if (fd >= 0)
            close(fd);
    }
    if (tmp) {
        if (!f->r->tmp_files) {
            ALLOC_HASHTABLE(f->r->tmp_files);
            zend_hash_init(f->r->tmp_files, 4, NULL, ZVAL_PTR_DTOR, 0);
        }
        zval zp;
        ZVAL_STR_COPY(&zp, tmp);
        zend_hash_next_index_insert(f->r->tmp_files, &zp);
    }
    zval v;
    ZVAL_STRINGL(&v, fname + base, fnlen - base);
    file_attr(f->files, field, flen, "name", &v);
    ZVAL_STRINGL(&v, fname, fnlen);
    file_attr(f->files, field, flen, "full_path", &v);
    ZVAL_STRINGL(&v, f->body + p->content_type.off, p->content_type.len);
    file_attr(f->files, field, flen, "type", &v);
    if (tmp)
        ZVAL_STR(&v, tmp);
    else
        ZVAL_EMPTY_STRING(&v);
    file_attr(f->files, field, flen, "tmp_name", &v);
    ZVAL_LONG(&v, error);
    file_attr(f->files, field, flen, "error", &v);
    ZVAL_LONG(&v, error == UPLOAD_OK ? (zend_long)p->data.len : 0);
    file_attr(f->files, field, flen, "size", &v);
}

static int form_part(void *arg, const tide_multipart_part_t *p)
{
    form_t *f = arg;
    if (!p->name.len)
        return 0;
    char *field = estrndup(f->body + p->name.off, p->name.len);
    if (p->has_filename) {
        form_file(f, p, field, p->name.len);
    } else {
        php_register_variable_safe(field, f->body + p->data.off, p->data.len, f->post);
    }
    efree(field);
    return 0;
}

static void parse_multipart(php_tide_request_t *r, const php_tide_http_opts_t *o,
                            const char *ct, size_t ctlen, const char *body, size_t n,
                            zend_object *obj)
{
    tide_span_t b;
    if (!tide_multipart_boundary(ct, ctlen, &b))
        return;
    zval post, files;
    array_init(&post);
    array_init(&files);
    form_t f = {r, o, body, &post, &files};
    if (tide_multipart_parse(body, n, ct + b.off, b.len, form_part, &f) < 0)
        php_tide_warn_limited(&rl_form, "connection #%lld: a malformed multipart/form-data body "
                                        "(its parts before the fault are kept)",
                              (long long)Z_LVAL_P(OBJ_PROP_NUM(obj, P_FD)));
    set_prop_arr(obj, P_POST, &post);
    set_prop_arr(obj, P_FILES, &files);
}

/* ---- a request ---- */

typedef struct http_call {
    tide_server_t *s;
    uint64_t session;
    size_t len;
    zend_object *request, *response;
} http_call_t;

static void request_done(void *arg)
{
    http_call_t *c = arg;
    php_tide_response_finish(php_tide_response_from(c->response));
    OBJ_RELEASE(c->response);
    remove_uploads(request_from(c->request)); /* as PHP does at the end of a request */
    OBJ_RELEASE(c->request);
    tide_server_done(c->s, c->session, c->len);
    efree(c);
}

/* The spooled body of r read whole (NULL, with a warning, when it cannot be). */
static zend_string *read_body(php_tide_request_t *r)
{
    zend_string *s = zend_string_alloc((size_t)r->body_len, 0);
    size_t got = 0;
    while (got < r->body_len) {
        ssize_t n = pread(r->body_fd, ZSTR_VAL(s) + got, (size_t)r->body_len - got, (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            php_error_docref(NULL, E_WARNING, "Cannot read the request body back from its "
                             "spool file: %s", n < 0 ? strerror(errno) : "it is shorter");
            zend_string_efree(s);
            return NULL;
        }
        got += (size_t)n;
    }
    ZSTR_VAL(s)[got] = 0;
    return s;
}

/* $post (urlencoded) or $post and $files (multipart/form-data) from the body. */
static void parse_form(zend_object *obj, const php_tide_http_opts_t *o, zval *ct, bool multipart,
                       const char *inline_body, size_t inline_len)
{
    php_tide_request_t *r = request_from(obj);
    const char *body = inline_body;
    size_t n = inline_len;
    void *map = NULL;
    if (r->body_fd >= 0) {
        /* Spooled: read where it lies (the pages are the file's, not the worker's heap). */
        n = (size_t)r->body_len;
        map = mmap(NULL, n, PROT_READ, MAP_PRIVATE, r->body_fd, 0);
        if (map == MAP_FAILED) {
            php_tide_warn_limited(&rl_form, "connection #%lld: cannot map its spooled body "
                                            "(%s); $post and $files left empty",
                                  (long long)Z_LVAL_P(OBJ_PROP_NUM(obj, P_FD)), strerror(errno));
            return;
        }
        body = map;
    }
    if (!n) {
        /* nothing to parse */
    } else if (multipart) {
        parse_multipart(r, o, Z_STRVAL_P(ct), Z_STRLEN_P(ct), body, n, obj);
    } else {
        zval post;
        parse_query(body, n, &post);
        set_prop_arr(obj, P_POST, &post);
    }
    if (map)
        munmap(map, n);
}

/* Fills obj (a Request with no data yet) from the request data[0..len) whose head is h. */
static void request_fill(zend_object *obj, const php_tide_http_opts_t *o, uint64_t session,
                         const char *remote_ip, int remote_port, int server_port,
                         const char *data, size_t len, const tide_http1_head_t *h, int body_fd,
                         uint64_t body_len)
{
    php_tide_request_t *r = request_from(obj);
    r->data = zend_string_init(data, len, 0);
    r->head_len = h->len;
    r->body_fd = body_fd;
    r->body_len = body_len;
    r->method = h->method;
    const char *p = ZSTR_VAL(r->data);

    ZVAL_LONG(OBJ_PROP_NUM(obj, P_FD), (zend_long)session);

    /* header: lower-cased names; a name said twice gets its values joined with ", " (a
     * Cookie header with "; ") */
    zval header, cookie;
    array_init_size(&header, h->nheaders);
    ZVAL_UNDEF(&cookie);
    for (uint32_t i = 0; i < h->nheaders; i++) {
        const tide_http1_header_t *hd = &h->headers[i];
        zend_string *name = zend_string_alloc(hd->name.len, 0);
        zend_str_tolower_copy(ZSTR_VAL(name), p + hd->name.off, hd->name.len);
        zval *old = zend_hash_find(Z_ARRVAL(header), name);
        if (old) {
            bool is_cookie = zend_string_equals_literal(name, "cookie");
            zend_string *joined = zend_string_concat3(
                Z_STRVAL_P(old), Z_STRLEN_P(old), is_cookie ? "; " : ", ", 2,
                p + hd->value.off, hd->value.len);
            zval_ptr_dtor(old);
            ZVAL_STR(old, joined);
        } else {
            zval v;
            ZVAL_STRINGL_FAST(&v, p + hd->value.off, hd->value.len);
            zend_hash_add_new(Z_ARRVAL(header), name, &v);
        }
        zend_string_release(name);
    }

    /* server */
    zval server;
    array_init_size(&server, 16);
    HashTable *sv = Z_ARRVAL(server);
    int m = common_method(p + h->method.off, h->method.len);
    if (m >= 0)
        put_interned(sv, K_REQUEST_METHOD, m);
    else
        put_str(sv, K_REQUEST_METHOD, p + h->method.off, h->method.len);
    put_str(sv, K_REQUEST_URI, p + h->path.off, h->path.len);
    put_str(sv, K_PATH_INFO, p + h->path.off, h->path.len);
    if (h->query.len || memchr(p + h->target.off, '?', h->target.len))
        put_str(sv, K_QUERY_STRING, p + h->query.off, h->query.len);
    put_interned(sv, K_SERVER_PROTOCOL, h->version == 10 ? V_HTTP10 : V_HTTP11);
    if (remote_ip) {
        put_str(sv, K_REMOTE_ADDR, remote_ip, strlen(remote_ip));
        put_long(sv, K_REMOTE_PORT, remote_port);
    }
    put_long(sv, K_SERVER_PORT, server_port);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    put_long(sv, K_REQUEST_TIME, (zend_long)ts.tv_sec);
    zval tf;
    ZVAL_DOUBLE(&tf, (double)ts.tv_sec + ts.tv_nsec / 1e9);
    zend_hash_add_new(sv, interned[K_REQUEST_TIME_FLOAT], &tf);
    set_prop_arr(obj, P_SERVER, &server);

    if (h->query.len) {
        zval get;
        parse_query(p + h->query.off, h->query.len, &get);
        set_prop_arr(obj, P_GET, &get);
    }
    zval *ck = o->parse_cookie ? zend_hash_str_find(Z_ARRVAL(header), "cookie", 6) : NULL;
    if (ck) {
        array_init(&cookie);
        parse_cookies(Z_STRVAL_P(ck), Z_STRLEN_P(ck), &cookie);
        set_prop_arr(obj, P_COOKIE, &cookie);
    }
    zval *ct = zend_hash_str_find(Z_ARRVAL(header), "content-type", 12);
    if (o->parse_post && ct && (len > h->len || body_fd >= 0)) {
        if (starts_ci(Z_STRVAL_P(ct), Z_STRLEN_P(ct), "application/x-www-form-urlencoded"))
            parse_form(obj, o, ct, false, p + h->len, len - h->len);
        else if (starts_ci(Z_STRVAL_P(ct), Z_STRLEN_P(ct), "multipart/form-data"))
            parse_form(obj, o, ct, true, p + h->len, len - h->len);
    }
    set_prop_arr(obj, P_HEADER, &header);
}

zend_object *php_tide_request_new(const php_tide_http_opts_t *o, uint64_t session,
                                  const char *remote_ip, int remote_port, int server_port,
                                  const char *data, size_t len, const tide_http1_head_t *h,
                                  int body_fd, uint64_t body_len)
{
    zval zreq;
    object_init_ex(&zreq, php_tide_http_request_ce);
    request_fill(Z_OBJ(zreq), o, session, remote_ip, remote_port, server_port, data, len, h,
                 body_fd, body_len);
    return Z_OBJ(zreq);
}

/* ---- Request::create() and parse(): a request from bytes, without a server ---- */

ZEND_METHOD(Tide_Http_Request, create)
{
    HashTable *options = NULL;
    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT(options)
    ZEND_PARSE_PARAMETERS_END();
    request_parser_t *p = ecalloc(1, sizeof(*p));
    /* Tide\Http\Server's defaults, which are Swoole's */
    p->o.on = true;
    p->o.parse_post = p->o.parse_cookie = true;
    p->o.upload_max_filesize = 2 << 20;
    p->o.static_root_fd = -1;
    p->o.wire.max_head = 16384;
    p->o.wire.max_body = 2 << 20;
    zend_string *key;
    zval *v;
    if (options) {
        ZEND_HASH_FOREACH_STR_KEY_VAL(options, key, v) {
            zend_long n;
            if (key && zend_string_equals_literal(key, "parse_cookie")) {
                p->o.parse_cookie = zend_is_true(v);
            } else if (key && zend_string_equals_literal(key, "parse_body")) {
                p->o.parse_post = zend_is_true(v);
            } else if (key && (zend_string_equals_literal(key, "package_max_length") ||
                               zend_string_equals_literal(key, "upload_max_filesize") ||
                               zend_string_equals_literal(key, "http_max_header_size"))) {
                if (!php_tide_parse_size(v, &n, 0, ZSTR_VAL(key)) || n < 1 || n > (1 << 30)) {
                    if (!EG(exception))
                        zend_argument_value_error(1, "option \"%s\" must be a size from 1 byte "
                                                     "to 1G", ZSTR_VAL(key));
                    efree(p);
                    RETURN_THROWS();
                }
                if (ZSTR_VAL(key)[0] == 'p')
                    p->o.wire.max_body = (size_t)n;
                else if (ZSTR_VAL(key)[0] == 'u')
                    p->o.upload_max_filesize = (uint64_t)n;
                else
                    p->o.wire.max_head = (size_t)n;
            } else if (key && (zend_string_equals_literal(key, "parse_files") ||
                               zend_string_equals_literal(key, "enable_compression") ||
                               zend_string_equals_literal(key, "compression_level"))) {
                /* Swoole's; accepted: files come with parse_body, and a request is never
                 * compressed */
            } else {
                zend_argument_value_error(1, "has an unknown option \"%s\" (it takes "
                                             "parse_cookie, parse_body, parse_files, "
                                             "package_max_length, upload_max_filesize, "
                                             "http_max_header_size, enable_compression, "
                                             "compression_level)",
                                          key ? ZSTR_VAL(key) : "(an integer key)");
                efree(p);
                RETURN_THROWS();
            }
        } ZEND_HASH_FOREACH_END();
    }
    tide_proto_http1.init(&p->st, &p->o.wire);
    p->live = true;
    object_init_ex(return_value, php_tide_http_request_ce);
    request_from(Z_OBJ_P(return_value))->parser = p;
}

typedef struct parse_call {
    zend_object *obj;
    request_parser_t *p;
} parse_call_t;

static int parsed_message(void *ctx, const char *data, size_t len)
{
    parse_call_t *c = ctx;
    tide_http1_head_t h;
    if (tide_http1_parse_head(data, len, len, &h) <= 0) {
        c->p->failed = true;
        return TIDE_PROTO_STOP;
    }
    request_fill(c->obj, &c->p->o, 0, NULL, 0, 0, data, len, &h, -1, 0);
    c->p->completed = true;
    return TIDE_PROTO_STOP; /* one request: what follows is not this one's */
}

static void parsed_reply(void *ctx, const void *data, size_t len)
{
    /* (the parser's own answers, 100 Continue or an error: nobody to send them to) */
    TIDE_UNUSED(ctx);
    TIDE_UNUSED(data);
    TIDE_UNUSED(len);
}

ZEND_METHOD(Tide_Http_Request, parse)
{
    zend_string *data;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();
    php_tide_request_t *r = THIS_REQUEST();
    request_parser_t *p = r->parser;
    if (!p) {
        php_error_docref(NULL, E_WARNING, "only a request made by create() can be parsed");
        RETURN_FALSE;
    }
    if (p->failed || p->feeding)
        RETURN_FALSE;
    if (p->completed)
        RETURN_LONG(0); /* the request is whole: nothing more is its */
    parse_call_t call = {.obj = &r->std, .p = p};
    tide_proto_io_t io = {.message = parsed_message, .reply = parsed_reply, .ctx = &call,
                          .now_ns = tide_time_ns()};
    p->feeding = true;
    int rc = tide_proto_http1.feed(&p->st, ZSTR_VAL(data), ZSTR_LEN(data), &io);
    p->feeding = false;
    if (rc == TIDE_EPROTO || rc == TIDE_ETOOBIG)
        p->failed = true;
    /* What the parser holds after the request is what followed it in these bytes (a
     * request that closes its connection keeps nothing: all of them count as its). */
    size_t rest = p->completed ? p->st.len : 0;
    if (p->completed || p->failed) {
        tide_proto_http1.destroy(&p->st); /* its buffer is not needed any more */
        p->live = false;
    }
    if (EG(exception))
        RETURN_THROWS();
    if (p->failed)
        RETURN_FALSE;
    RETURN_LONG((zend_long)(ZSTR_LEN(data) - (rest < ZSTR_LEN(data) ? rest : ZSTR_LEN(data))));
}

ZEND_METHOD(Tide_Http_Request, isCompleted)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_request_t *r = THIS_REQUEST();
    RETURN_BOOL(r->parser ? r->parser->completed : r->data != NULL);
}

void php_tide_request_end(zend_object *req)
{
    remove_uploads(request_from(req));
}

/* A request of the running server's connection `session`. */
static zend_object *make_request(php_tide_server_t *srv, php_tide_port_t *port, uint64_t session,
                                 const char *data, size_t len, const tide_http1_head_t *h,
                                 int body_fd, uint64_t body_len)
{
    tide_conninfo_t info;
    bool known = tide_conntab_snapshot(&srv->core.tab, session, &info);
    return php_tide_request_new(&port->http, session, known ? (const char *)info.remote_ip : NULL,
                                known ? info.remote_port : 0, port->p.port, data, len, h,
                                body_fd, body_len);
}

void php_tide_http_request(php_tide_server_t *srv, php_tide_port_t *port, uint64_t session,
                           const char *data, size_t len, int body_fd, uint64_t body_len)
{
    tide_server_t *s = &srv->core;
    tide_http1_head_t h;
    /* The engine parsed and checked it already: this only finds the spans again. */
    long hl = tide_http1_parse_head(data, len, len, &h);
    /* A WebSocket upgrade goes to the handshake event; else, with an open handler, to the
     * default handshake and then open; else to the request handler (which may call
     * Response::upgrade()); else to the default handshake. */
    bool ws_up = hl > 0 && port->http.ws && php_tide_ws_is_upgrade(&h, data);
    int ev = EV_REQUEST;
    php_tide_cb_t *cb = NULL;
    if (ws_up) {
        if ((cb = php_tide_port_cb(srv, port->p.index, EV_HANDSHAKE)))
            ev = EV_HANDSHAKE;
        else if ((cb = php_tide_port_cb(srv, port->p.index, EV_OPEN)))
            ev = EV_OPEN;
        else if (!(cb = php_tide_port_cb(srv, port->p.index, EV_REQUEST)))
            ev = EV_OPEN;
    }
    /* The static handler answers (and is done with) the requests it serves. */
    bool served = !ws_up && hl > 0 && port->http.static_on &&
                  php_tide_http_static(srv, port, session, data, len, &h);
    if (!ws_up && !served)
        cb = php_tide_port_cb(srv, port->p.index, EV_REQUEST);
    if (served || hl <= 0 || (!cb && !ws_up && !port->http.ws)) {
        if (body_fd >= 0)
            close(body_fd);
        if (!served)
            tide_server_done(s, session, len);
        return;
    }
    bool head = h.method.len == 4 && memcmp(data + h.method.off, "HEAD", 4) == 0;
    zend_object *req = make_request(srv, port, session, data, len, &h, body_fd, body_len);
    zend_object *res = php_tide_response_new(s, session, h.keep_alive, h.version == 10, head);
    if (port->http.compression) {
        php_tide_response_t *r = php_tide_response_from(res);
        const tide_http1_header_t *ae = tide_http1_find(&h, data, "accept-encoding");
        r->coding = ae ? tide_accept_coding(data + ae->value.off, ae->value.len) : TIDE_CODING_NONE;
        r->level = port->http.compression_level;
        r->min_length = port->http.compression_min_length;
    }
    if (ws_up)
        php_tide_ws_prepare(php_tide_response_from(res), &h, data, port->http.ws_compression);
    if (!cb || ev == EV_OPEN) {
        /* The default handshake (or, on a WebSocket port with no request handler, a plain
         * request answered 426), then open with the request. */
        php_tide_response_t *r = php_tide_response_from(res);
        if (!ws_up)
            r->ws_refuse = 426;
        bool ok = php_tide_response_ws_accept(r);
        if (!ok || !cb) {
            OBJ_RELEASE(res);
            remove_uploads(request_from(req));
            OBJ_RELEASE(req);
            tide_server_done(s, session, len);
            return;
        }
    }
    zval args[2];
    uint32_t argc = 2;
    if (ev == EV_OPEN) {
        ZVAL_COPY(&args[0], &php_tide_running_zv); /* open(Server, Request) */
        ZVAL_OBJ(&args[1], req); /* res: its first reference is dropped at the end */
    } else {
        ZVAL_OBJ(&args[0], req);
        ZVAL_OBJ(&args[1], res);
    }
    http_call_t *call = emalloc(sizeof(*call));
    *call = (http_call_t){s, session, len, req, res};
    GC_ADDREF(req); /* the call's, released when the request is done */
    GC_ADDREF(res);
    if (srv->o.enable_coroutine) {
        zend_fcall_info_cache fcc = cb->fcc;
        php_tide_coro_spawn_done(&cb->fn, &fcc, args, argc, request_done, call);
        if (EG(exception) && !zend_is_unwind_exit(EG(exception)))
            zend_clear_exception();
    } else {
        php_tide_call_direct(cb, args, argc);
        request_done(call);
    }
    zval_ptr_dtor(&args[0]);
    zval_ptr_dtor(&args[1]);
    if (ev == EV_OPEN)
        OBJ_RELEASE(res);
}

/* ---- Request methods ---- */


ZEND_METHOD(Tide_Http_Request, __construct)
{
    TIDE_UNUSED(return_value);
    ZEND_PARSE_PARAMETERS_NONE();
}

ZEND_METHOD(Tide_Http_Request, getContent)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_request_t *r = THIS_REQUEST();
    if (!r->data)
        RETURN_FALSE;
    if (r->body_fd >= 0) {
        zend_string *body = read_body(r);
        if (!body)
            RETURN_FALSE;
        RETURN_NEW_STR(body);
    }
    RETURN_STRINGL(ZSTR_VAL(r->data) + r->head_len, ZSTR_LEN(r->data) - r->head_len);
}

ZEND_METHOD(Tide_Http_Request, getData)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_request_t *r = THIS_REQUEST();
    if (!r->data)
        RETURN_FALSE;
    if (r->body_fd >= 0) {
        zend_string *body = read_body(r);
        if (!body)
            RETURN_FALSE;
        zend_string *all = zend_string_concat2(ZSTR_VAL(r->data), ZSTR_LEN(r->data),
                                               ZSTR_VAL(body), ZSTR_LEN(body));
        zend_string_release(body);
        RETURN_NEW_STR(all);
    }
    RETURN_STR_COPY(r->data);
}

ZEND_METHOD(Tide_Http_Request, getMethod)
{
    ZEND_PARSE_PARAMETERS_NONE();
    php_tide_request_t *r = THIS_REQUEST();
    if (!r->data)
        RETURN_FALSE;
    RETURN_STRINGL(ZSTR_VAL(r->data) + r->method.off, r->method.len);
}

void php_tide_http_minit(void)
{
    for (int i = 0; i < K_COUNT; i++)
        interned[i] = zend_string_init_interned(interned_names[i], strlen(interned_names[i]), 1);
    php_tide_http_server_ce = register_class_Tide_Http_Server(php_tide_server_ce);
    php_tide_http_request_ce = register_class_Tide_Http_Request();
    php_tide_http_request_ce->create_object = request_create;
    memcpy(&request_handlers, zend_get_std_object_handlers(), sizeof(request_handlers));
    request_handlers.offset = XtOffsetOf(php_tide_request_t, std);
    request_handlers.free_obj = request_free;
    request_handlers.clone_obj = NULL;
    php_tide_response_minit(register_class_Tide_Http_Response());
    php_tide_cookie_minit(register_class_Tide_Http_Cookie());
}

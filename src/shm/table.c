/* SPDX-License-Identifier: MIT */
/* The shared-memory table: see include/tide/table.h. */
#include <errno.h>
#include <string.h>

#include "tide/common.h"
#include "tide/table.h"

typedef struct bucket {
    tide_spin_t lock;
    uint32_t head; /* row number + 1; 0: empty */
} bucket_t;

typedef struct row {
    uint32_t next; /* the chain (row number + 1), or the free list */
    uint8_t klen;
    char key[TIDE_TABLE_KEY_MAX];
    uint32_t pad;
    char data[]; /* at offset TIDE_TABLE_ROW_OVERHEAD */
} row_t;

_Static_assert(sizeof(row_t) == TIDE_TABLE_ROW_OVERHEAD, "row header size");

struct tide_table_hdr {
    uint32_t size, row_size;
    tide_spin_t free_lock;
    uint32_t free_head; /* rows given back (row number + 1) */
    uint32_t fresh;     /* rows never used yet start at this number */
    uint32_t pad;
    uint64_t count;
    uint64_t inserts, deletes, set_fails;
    char pad2[64];
    bucket_t buckets[];
};

static inline bool same(const char *a, const char *b, size_t n);

static size_t align8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

size_t tide_table_memory(uint32_t rows, uint32_t data_size)
{
    size_t row = TIDE_TABLE_ROW_OVERHEAD + align8(data_size);
    return align8(sizeof(tide_table_hdr_t) + (size_t)rows * sizeof(bucket_t)) + (size_t)rows * row;
}

int tide_table_init(tide_table_t *t, uint64_t size)
{
    memset(t, 0, sizeof(*t));
    if (size < 1 || size > TIDE_TABLE_SIZE_MAX)
        return -EINVAL;
    uint32_t n = 1;
    while (n < size)
        n <<= 1;
    t->size = n;
    return 0;
}

int tide_table_find_col(const tide_table_t *t, const char *name, size_t len)
{
    for (uint32_t i = 0; i < t->ncols; i++)
        if (t->cols[i].name_len == len && same(t->cols[i].name, name, len))
            return (int)i;
    return -1;
}

int tide_table_column(tide_table_t *t, const char *name, size_t len, int type, uint64_t size)
{
    if (t->hdr)
        return -EBUSY;
    if (len == 0 || len > TIDE_TABLE_NAME_MAX)
        return -EINVAL;
    if (type != TIDE_TABLE_INT && type != TIDE_TABLE_FLOAT && type != TIDE_TABLE_STRING)
        return -EINVAL;
    if (type == TIDE_TABLE_STRING && (size == 0 || size > TIDE_TABLE_STRING_MAX))
        return -EINVAL;
    if (tide_table_find_col(t, name, len) >= 0)
        return -EEXIST;
    if (t->ncols == TIDE_TABLE_COLS_MAX)
        return -E2BIG;
    tide_table_col_t *c = &t->cols[t->ncols++];
    memcpy(c->name, name, len);
    c->name[len] = 0;
    c->name_len = (uint8_t)len;
    c->type = (uint8_t)type;
    c->size = type == TIDE_TABLE_STRING ? (uint32_t)size : 8;
    c->offset = t->data_size;
    t->data_size += (uint32_t)align8(type == TIDE_TABLE_STRING ? 4 + size : 8);
    return 0;
}

int tide_table_create(tide_table_t *t)
{
    if (t->hdr)
        return -EBUSY;
    t->row_size = (uint32_t)(TIDE_TABLE_ROW_OVERHEAD + align8(t->data_size));
    t->mem_len = tide_table_memory(t->size, t->data_size);
    t->hdr = tide_shm_alloc(t->mem_len);
    if (!t->hdr)
        return -ENOMEM;
    t->hdr->size = t->size;
    t->hdr->row_size = t->row_size;
    return 0;
}

void tide_table_destroy(tide_table_t *t)
{
    tide_shm_free(t->hdr, t->mem_len);
    t->hdr = NULL;
}

static row_t *row_at(const tide_table_t *t, uint32_t ref)
{
    char *rows = (char *)t->hdr + align8(sizeof(tide_table_hdr_t) + (size_t)t->size * sizeof(bucket_t));
    return (row_t *)(rows + (size_t)(ref - 1) * t->row_size);
}

/* FNV-1a, then mixed: keys that differ in their last bytes spread over the buckets. */
static uint32_t hash(const char *key, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (uint8_t)key[i];
        h *= 1099511628211ull;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return (uint32_t)h;
}

static bucket_t *bucket_of(const tide_table_t *t, const char *key, size_t n)
{
    return &t->hdr->buckets[hash(key, n) & (t->size - 1)];
}

/* Short keys compared inline: libc's memcmp is a call, with more set-up than a key of a few
 * bytes takes to compare. */
static inline bool same(const char *a, const char *b, size_t n)
{
    if (n > 16)
        return memcmp(a, b, n) == 0;
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* The row of key in b's chain (b locked), and the link that points at it. */
static row_t *find(const tide_table_t *t, bucket_t *b, const char *key, size_t n, uint32_t **link)
{
    uint32_t *l = &b->head;
    for (uint32_t ref = *l; ref; ref = *l) {
        row_t *r = row_at(t, ref);
        if (r->klen == n && same(r->key, key, n)) {
            if (link)
                *link = l;
            return r;
        }
        l = &r->next;
    }
    return NULL;
}

/* A row from the pool (a given-back one first), or 0 when all are taken. */
static uint32_t take_row(tide_table_t *t)
{
    tide_table_hdr_t *h = t->hdr;
    uint32_t ref = 0;
    tide_spin_lock(&h->free_lock);
    if (h->free_head) {
        ref = h->free_head;
        h->free_head = row_at(t, ref)->next;
    } else if (h->fresh < h->size) {
        ref = ++h->fresh;
    }
    tide_spin_unlock(&h->free_lock);
    return ref;
}

static void give_row(tide_table_t *t, uint32_t ref)
{
    tide_table_hdr_t *h = t->hdr;
    tide_spin_lock(&h->free_lock);
    row_at(t, ref)->next = h->free_head;
    h->free_head = ref;
    tide_spin_unlock(&h->free_lock);
}

/* The row of key in b (locked), made zeroed when absent; NULL when none is free. */
static row_t *find_or_make(tide_table_t *t, bucket_t *b, const char *key, size_t n, bool *made)
{
    row_t *r = find(t, b, key, n, NULL);
    *made = false;
    if (r)
        return r;
    uint32_t ref = take_row(t);
    if (!ref)
        return NULL;
    r = row_at(t, ref);
    memset(r->data, 0, t->row_size - TIDE_TABLE_ROW_OVERHEAD);
    r->klen = (uint8_t)n;
    memcpy(r->key, key, n);
    r->next = b->head;
    __atomic_store_n(&b->head, ref, __ATOMIC_RELEASE);
    __atomic_add_fetch(&t->hdr->count, 1, __ATOMIC_RELAXED);
    *made = true;
    return r;
}

int tide_table_set(tide_table_t *t, const char *key, size_t klen, const tide_table_field_t *f,
                   size_t nf)
{
    if (klen > TIDE_TABLE_KEY_MAX)
        return -EINVAL;
    bucket_t *b = bucket_of(t, key, klen);
    tide_spin_lock(&b->lock);
    bool made;
    row_t *r = find_or_make(t, b, key, klen, &made);
    if (!r) {
        tide_spin_unlock(&b->lock);
        __atomic_add_fetch(&t->hdr->set_fails, 1, __ATOMIC_RELAXED);
        return -ENOSPC;
    }
    for (size_t i = 0; i < nf; i++) {
        const tide_table_col_t *c = &t->cols[f[i].col];
        char *p = r->data + c->offset;
        if (c->type == TIDE_TABLE_INT) {
            memcpy(p, &f[i].i, 8);
        } else if (c->type == TIDE_TABLE_FLOAT) {
            memcpy(p, &f[i].d, 8);
        } else {
            uint32_t n = f[i].len < c->size ? f[i].len : c->size;
            memcpy(p, &n, 4);
            if (n)
                memcpy(p + 4, f[i].s, n);
        }
    }
    tide_spin_unlock(&b->lock);
    /* Only inserts are counted: a counter every set() touched would be a cache line that
     * every process writes (the cost of the whole operation when two race). */
    if (made)
        __atomic_add_fetch(&t->hdr->inserts, 1, __ATOMIC_RELAXED);
    return 0;
}

int tide_table_get(tide_table_t *t, const char *key, size_t klen, void *out)
{
    if (klen > TIDE_TABLE_KEY_MAX)
        return -ENOENT;
    bucket_t *b = bucket_of(t, key, klen);
    tide_spin_lock(&b->lock);
    row_t *r = find(t, b, key, klen, NULL);
    if (r)
        memcpy(out, r->data, t->data_size);
    tide_spin_unlock(&b->lock);
    return r ? 0 : -ENOENT;
}

bool tide_table_exists(tide_table_t *t, const char *key, size_t klen)
{
    if (klen > TIDE_TABLE_KEY_MAX)
        return false;
    bucket_t *b = bucket_of(t, key, klen);
    tide_spin_lock(&b->lock);
    bool found = find(t, b, key, klen, NULL) != NULL;
    tide_spin_unlock(&b->lock);
    return found;
}

int tide_table_del(tide_table_t *t, const char *key, size_t klen)
{
    if (klen > TIDE_TABLE_KEY_MAX)
        return -ENOENT;
    bucket_t *b = bucket_of(t, key, klen);
    tide_spin_lock(&b->lock);
    uint32_t *link;
    row_t *r = find(t, b, key, klen, &link);
    uint32_t ref = 0;
    if (r) {
        ref = *link;
        __atomic_store_n(link, r->next, __ATOMIC_RELEASE);
        r->klen = 0;
    }
    tide_spin_unlock(&b->lock);
    if (!ref)
        return -ENOENT;
    give_row(t, ref);
    __atomic_sub_fetch(&t->hdr->count, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&t->hdr->deletes, 1, __ATOMIC_RELAXED);
    return 0;
}

int tide_table_incr(tide_table_t *t, const char *key, size_t klen, uint32_t col, int64_t by_i,
                    double by_d, int64_t *out_i, double *out_d)
{
    const tide_table_col_t *c = &t->cols[col];
    if (c->type == TIDE_TABLE_STRING || klen > TIDE_TABLE_KEY_MAX)
        return -EINVAL;
    bucket_t *b = bucket_of(t, key, klen);
    tide_spin_lock(&b->lock);
    bool made;
    row_t *r = find_or_make(t, b, key, klen, &made);
    if (!r) {
        tide_spin_unlock(&b->lock);
        __atomic_add_fetch(&t->hdr->set_fails, 1, __ATOMIC_RELAXED);
        return -ENOSPC;
    }
    char *p = r->data + c->offset;
    if (c->type == TIDE_TABLE_INT) {
        int64_t v;
        memcpy(&v, p, 8);
        v = (int64_t)((uint64_t)v + (uint64_t)by_i); /* wraps, as PHP's ints do not: defined */
        memcpy(p, &v, 8);
        *out_i = v;
    } else {
        double v;
        memcpy(&v, p, 8);
        v += by_d;
        memcpy(p, &v, 8);
        *out_d = v;
    }
    tide_spin_unlock(&b->lock);
    if (made)
        __atomic_add_fetch(&t->hdr->inserts, 1, __ATOMIC_RELAXED);
    return 0;
}

uint64_t tide_table_count(const tide_table_t *t)
{
    return t->hdr ? __atomic_load_n(&t->hdr->count, __ATOMIC_RELAXED) : 0;
}

void tide_table_stats(const tide_table_t *t, tide_table_stats_t *out)
{
    memset(out, 0, sizeof(*out));
    out->memory_size = t->hdr ? t->mem_len : tide_table_memory(t->size, t->data_size);
    if (!t->hdr)
        return;
    tide_table_hdr_t *h = t->hdr;
    out->num = __atomic_load_n(&h->count, __ATOMIC_RELAXED);
    out->insert_count = __atomic_load_n(&h->inserts, __ATOMIC_RELAXED);
    out->delete_count = __atomic_load_n(&h->deletes, __ATOMIC_RELAXED);
    out->set_fail_count = __atomic_load_n(&h->set_fails, __ATOMIC_RELAXED);
    out->rows_free = h->size - out->num;
    /* the longest chain, read without locks (a statistic) */
    for (uint32_t i = 0; i < h->size; i++) {
        uint64_t len = 0;
        for (uint32_t ref = __atomic_load_n(&h->buckets[i].head, __ATOMIC_ACQUIRE);
             ref && len <= h->size; ref = __atomic_load_n(&row_at(t, ref)->next, __ATOMIC_ACQUIRE))
            len++;
        if (len > out->max_chain)
            out->max_chain = len;
    }
}

size_t tide_table_bucket(tide_table_t *t, uint32_t b, tide_table_row_cb cb, void *arg)
{
    if (!t->hdr || b >= t->size)
        return 0;
    bucket_t *bk = &t->hdr->buckets[b];
    if (!__atomic_load_n(&bk->head, __ATOMIC_ACQUIRE))
        return 0; /* most buckets of a sparse table: no lock taken */
    /* Copies under the lock, callbacks after it (they may take other buckets' locks). */
    char stack[8192];
    size_t each = TIDE_TABLE_ROW_OVERHEAD + t->data_size, cap = sizeof(stack) / each, n = 0;
    char *buf = stack;
    if (cap == 0) {
        cap = 1;
        buf = tide_malloc(each);
    }
    tide_spin_lock(&bk->lock);
    for (uint32_t ref = bk->head; ref; ref = row_at(t, ref)->next) {
        if (n == cap) {
            cap *= 2;
            char *bigger = tide_malloc(cap * each);
            memcpy(bigger, buf, n * each);
            if (buf != stack)
                tide_free(buf);
            buf = bigger;
        }
        row_t *r = row_at(t, ref);
        memcpy(buf + n * each, r, TIDE_TABLE_ROW_OVERHEAD);
        memcpy(buf + n * each + TIDE_TABLE_ROW_OVERHEAD, r->data, t->data_size);
        n++;
    }
    tide_spin_unlock(&bk->lock);
    for (size_t i = 0; i < n; i++) {
        const row_t *r = (const row_t *)(buf + i * each);
        cb(arg, r->key, r->klen, buf + i * each + TIDE_TABLE_ROW_OVERHEAD);
    }
    if (buf != stack)
        tide_free(buf);
    return n;
}

/* SPDX-License-Identifier: MIT */
/*
 * A table in shared memory (Swoole's Table): fixed-size rows of typed columns under binary
 * keys of at most 63 bytes, shared by every process forked after it was created.
 *
 * Layout: a header, then one bucket per row (a lock word and the head of a chain), then the
 * rows. A key hashes to a bucket; the rows of a bucket are chained through the rows
 * themselves, and rows come from one pool of exactly `size` rows. So a table of `size` rows
 * holds `size` keys whatever their spread: a collision costs a link in a chain, never a
 * row (Swoole's tables put colliding keys in a separate area of conflict_proportion * size
 * rows, and fail when it is full long before the table is). A row costs
 * TIDE_TABLE_ROW_OVERHEAD bytes, plus its columns, plus 8 bytes of bucket.
 *
 * Each bucket's lock guards its chain and the contents of its rows: a reader copies a row
 * under it, so it never sees half of a write; incr/decr are atomic. A lock held by a
 * process that died is taken over (tide/shm.h).
 */
#ifndef TIDE_TABLE_H
#define TIDE_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tide/shm.h"

enum { TIDE_TABLE_INT = 1, TIDE_TABLE_FLOAT = 2, TIDE_TABLE_STRING = 3 };

#define TIDE_TABLE_KEY_MAX 63
#define TIDE_TABLE_NAME_MAX 63
#define TIDE_TABLE_COLS_MAX 64
#define TIDE_TABLE_SIZE_MAX (1u << 30)
#define TIDE_TABLE_STRING_MAX (1u << 20)
/* A row's own bytes: the link of its chain, the key and its length. */
#define TIDE_TABLE_ROW_OVERHEAD 72

typedef struct tide_table_col {
    char name[TIDE_TABLE_NAME_MAX + 1];
    uint8_t name_len;
    uint8_t type;
    uint32_t size;   /* STRING: the most bytes it holds (stored with a 4-byte length) */
    uint32_t offset; /* in the row's data */
} tide_table_col_t;

typedef struct tide_table_hdr tide_table_hdr_t;

typedef struct tide_table {
    uint32_t size;         /* rows (a power of two) */
    uint32_t ncols;
    tide_table_col_t cols[TIDE_TABLE_COLS_MAX];
    uint32_t data_size;    /* bytes of column data in a row */
    uint32_t row_size;
    size_t mem_len;
    tide_table_hdr_t *hdr; /* the shared memory (NULL until created) */
} tide_table_t;

/* A value for set(). */
typedef struct tide_table_field {
    uint32_t col;
    int64_t i;
    double d;
    const char *s;
    uint32_t len;
} tide_table_field_t;

typedef struct tide_table_stats {
    uint64_t num, insert_count, delete_count, set_fail_count; /* updates are not counted */
    uint64_t rows_free, max_chain;
    size_t memory_size;
} tide_table_stats_t;

/* size: rows wanted (1 .. TIDE_TABLE_SIZE_MAX), rounded up to a power of two. 0 or -EINVAL. */
int tide_table_init(tide_table_t *t, uint64_t size);
/* Before create(): -EINVAL (bad type, a STRING size of 0 or over TIDE_TABLE_STRING_MAX, an
 * empty or long name), -EEXIST (a name taken), -E2BIG (too many columns), -EBUSY (created). */
int tide_table_column(tide_table_t *t, const char *name, size_t len, int type, uint64_t size);
/* Maps the shared memory: 0, -ENOMEM, -EBUSY (created already). */
int tide_table_create(tide_table_t *t);
/* Unmaps it in this process (other processes keep theirs). */
void tide_table_destroy(tide_table_t *t);
/* The column of that name, or -1. */
int tide_table_find_col(const tide_table_t *t, const char *name, size_t len);
/* Bytes the table's memory takes for that many rows and that row data. */
size_t tide_table_memory(uint32_t rows, uint32_t data_size);

/* Sets the given fields of the row of key (made, zeroed, when absent). 0, -ENOSPC when a
 * new row is needed and every row is taken. A string is cut to its column's size (the
 * binding refuses longer ones before). */
int tide_table_set(tide_table_t *t, const char *key, size_t klen, const tide_table_field_t *f,
                   size_t nf);
/* Copies the row's data (data_size bytes) into out: 0 or -ENOENT. */
int tide_table_get(tide_table_t *t, const char *key, size_t klen, void *out);
bool tide_table_exists(tide_table_t *t, const char *key, size_t klen);
/* 0 or -ENOENT. */
int tide_table_del(tide_table_t *t, const char *key, size_t klen);
/* Adds to an INT (by_i) or FLOAT (by_d) column, making the row at 0 when absent; the new
 * value in *out_i / *out_d. 0, -ENOSPC, -EINVAL (a STRING column). */
int tide_table_incr(tide_table_t *t, const char *key, size_t klen, uint32_t col, int64_t by_i,
                    double by_d, int64_t *out_i, double *out_d);
uint64_t tide_table_count(const tide_table_t *t);
void tide_table_stats(const tide_table_t *t, tide_table_stats_t *out);

/* Iteration, a bucket at a time: calls cb with a copy of each row of bucket b (key, and
 * data_size bytes of data) taken under the bucket's lock. Returns how many. */
typedef void (*tide_table_row_cb)(void *arg, const char *key, size_t klen, const void *data);
size_t tide_table_bucket(tide_table_t *t, uint32_t b, tide_table_row_cb cb, void *arg);

/* Reading a column from a row's data (as get() copied it). */
static inline int64_t tide_table_get_int(const tide_table_t *t, const void *data, uint32_t col)
{
    int64_t v;
    __builtin_memcpy(&v, (const char *)data + t->cols[col].offset, sizeof(v));
    return v;
}
static inline double tide_table_get_float(const tide_table_t *t, const void *data, uint32_t col)
{
    double v;
    __builtin_memcpy(&v, (const char *)data + t->cols[col].offset, sizeof(v));
    return v;
}
static inline const char *tide_table_get_str(const tide_table_t *t, const void *data,
                                             uint32_t col, uint32_t *len)
{
    const char *p = (const char *)data + t->cols[col].offset;
    uint32_t n;
    __builtin_memcpy(&n, p, sizeof(n));
    *len = n <= t->cols[col].size ? n : t->cols[col].size;
    return p + 4;
}

#endif

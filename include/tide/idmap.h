/* SPDX-License-Identifier: MIT */
/*
 * A map from non-zero 64-bit ids (timer ids, later session ids) to pointers: open
 * addressing with linear probing and backward-shift deletion, so there are no tombstones
 * and lookups stay short under churn. The map does not own the values.
 */
#ifndef TIDE_IDMAP_H
#define TIDE_IDMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct tide_idmap_slot {
    uint64_t id; /* 0 = empty */
    void *value;
} tide_idmap_slot_t;

typedef struct tide_idmap {
    tide_idmap_slot_t *slots;
    size_t len, cap; /* cap is 0 or a power of two */
} tide_idmap_t;

void tide_idmap_init(tide_idmap_t *m);
void tide_idmap_destroy(tide_idmap_t *m);
/* Inserts or replaces; id must not be 0. */
void tide_idmap_put(tide_idmap_t *m, uint64_t id, void *value);
void *tide_idmap_get(const tide_idmap_t *m, uint64_t id);
/* Removes id and returns its value, or NULL when absent. */
void *tide_idmap_del(tide_idmap_t *m, uint64_t id);

#endif

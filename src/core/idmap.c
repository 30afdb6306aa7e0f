/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "tide/common.h"
#include "tide/idmap.h"

static inline size_t slot_of(uint64_t id, size_t cap)
{
    /* Fibonacci hashing spreads sequential ids over the table. */
    return (size_t)((id * 0x9E3779B97F4A7C15ull) >> 17) & (cap - 1);
}

void tide_idmap_init(tide_idmap_t *m)
{
    m->slots = NULL;
    m->len = m->cap = 0;
}

void tide_idmap_destroy(tide_idmap_t *m)
{
    tide_free(m->slots);
    tide_idmap_init(m);
}

static void resize(tide_idmap_t *m, size_t cap)
{
    tide_idmap_slot_t *old = m->slots;
    size_t old_cap = m->cap;

    m->slots = tide_calloc(cap, sizeof(*m->slots));
    m->cap = cap;
    for (size_t i = 0; i < old_cap; i++) {
        if (!old[i].id)
            continue;
        size_t j = slot_of(old[i].id, cap);
        while (m->slots[j].id)
            j = (j + 1) & (cap - 1);
        m->slots[j] = old[i];
    }
    tide_free(old);
}

void tide_idmap_put(tide_idmap_t *m, uint64_t id, void *value)
{
    TIDE_ASSERT(id != 0);
    if ((m->len + 1) * 4 > m->cap * 3)
        resize(m, m->cap ? m->cap * 2 : 16);
    size_t i = slot_of(id, m->cap);
    while (m->slots[i].id && m->slots[i].id != id)
        i = (i + 1) & (m->cap - 1);
    if (!m->slots[i].id)
        m->len++;
    m->slots[i].id = id;
    m->slots[i].value = value;
}

static size_t find(const tide_idmap_t *m, uint64_t id)
{
    if (!m->cap || !id)
        return SIZE_MAX;
    size_t i = slot_of(id, m->cap);
    while (m->slots[i].id) {
        if (m->slots[i].id == id)
            return i;
        i = (i + 1) & (m->cap - 1);
    }
    return SIZE_MAX;
}

void *tide_idmap_get(const tide_idmap_t *m, uint64_t id)
{
    size_t i = find(m, id);
    return i == SIZE_MAX ? NULL : m->slots[i].value;
}

void *tide_idmap_del(tide_idmap_t *m, uint64_t id)
{
    size_t i = find(m, id);
    if (i == SIZE_MAX)
        return NULL;
    void *value = m->slots[i].value;
    size_t mask = m->cap - 1;

    /* Backward shift: pull later members of the probe run into the hole. */
    for (size_t j = (i + 1) & mask; m->slots[j].id; j = (j + 1) & mask) {
        size_t home = slot_of(m->slots[j].id, m->cap);
        /* j may move to i only if its home is not cyclically within (i, j]. */
        if (((j - home) & mask) >= ((j - i) & mask)) {
            m->slots[i] = m->slots[j];
            i = j;
        }
    }
    m->slots[i].id = 0;
    m->slots[i].value = NULL;
    m->len--;
    if (m->cap > 64 && m->len * 8 < m->cap)
        resize(m, m->cap / 2);
    return value;
}

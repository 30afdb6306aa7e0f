/* SPDX-License-Identifier: MIT */
/*
 * An intrusive binary min-heap ordered by (key, insertion order): equal keys come out in
 * the order they went in. Nodes live inside their owners (the reactor's timers); the heap
 * owns an array of (key, node) entries. Each node knows its index, so removal is O(log n).
 *
 * The keys are copied into the array so that sifting compares entries of the array, not
 * keys in the owners: with 100,000 sleeping coroutines the owners are spread over 100,000
 * stack slots, and reading one per comparison cost a cache miss each (13% of the time of a
 * burst of sleepers went to taking expired timers off the heap). Owners only see a write
 * of their index when they move. The key must not change while the node is in the heap.
 */
#ifndef TIDE_HEAP_H
#define TIDE_HEAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct tide_heap_node {
    uint64_t key;   /* set by the owner before push */
    uint64_t seq;   /* set by push: ties break by insertion order */
    size_t index;   /* position in the heap, SIZE_MAX when not in it */
} tide_heap_node_t;

typedef struct tide_heap_entry {
    uint64_t key;
    tide_heap_node_t *node;
} tide_heap_entry_t;

typedef struct tide_heap {
    tide_heap_entry_t *ents;
    size_t len, cap;
    uint64_t next_seq;
} tide_heap_t;

void tide_heap_init(tide_heap_t *h);
/* Frees the array and marks the nodes as out of it. */
void tide_heap_destroy(tide_heap_t *h);

void tide_heap_push(tide_heap_t *h, tide_heap_node_t *n);
/* The smallest node, or NULL when empty. */
static inline tide_heap_node_t *tide_heap_top(const tide_heap_t *h)
{
    return h->len ? h->ents[0].node : NULL;
}
tide_heap_node_t *tide_heap_pop(tide_heap_t *h);
/* Removes n, which must be in h. */
void tide_heap_remove(tide_heap_t *h, tide_heap_node_t *n);

static inline int tide_heap_contains(const tide_heap_node_t *n)
{
    return n->index != SIZE_MAX;
}

#endif

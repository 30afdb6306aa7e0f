/* SPDX-License-Identifier: MIT */
/*
 * An intrusive binary min-heap ordered by (key, insertion order): equal keys come out in
 * the order they went in. Nodes live inside their owners (the reactor's timers); the heap
 * only owns its array of pointers. Each node knows its index, so removal is O(log n).
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

typedef struct tide_heap {
    tide_heap_node_t **nodes;
    size_t len, cap;
    uint64_t next_seq;
} tide_heap_t;

void tide_heap_init(tide_heap_t *h);
/* Frees the array; the nodes belong to their owners and are not touched. */
void tide_heap_destroy(tide_heap_t *h);

void tide_heap_push(tide_heap_t *h, tide_heap_node_t *n);
/* The smallest node, or NULL when empty. */
static inline tide_heap_node_t *tide_heap_top(const tide_heap_t *h)
{
    return h->len ? h->nodes[0] : NULL;
}
tide_heap_node_t *tide_heap_pop(tide_heap_t *h);
/* Removes n, which must be in h. */
void tide_heap_remove(tide_heap_t *h, tide_heap_node_t *n);

static inline int tide_heap_contains(const tide_heap_node_t *n)
{
    return n->index != SIZE_MAX;
}

#endif

/* SPDX-License-Identifier: MIT */
#include "tide/heap.h"
#include "tide/common.h"

static inline int less(const tide_heap_node_t *a, const tide_heap_node_t *b)
{
    return a->key < b->key || (a->key == b->key && a->seq < b->seq);
}

static inline void place(tide_heap_t *h, size_t i, tide_heap_node_t *n)
{
    h->nodes[i] = n;
    n->index = i;
}

static void sift_up(tide_heap_t *h, size_t i)
{
    tide_heap_node_t *n = h->nodes[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!less(n, h->nodes[parent]))
            break;
        place(h, i, h->nodes[parent]);
        i = parent;
    }
    place(h, i, n);
}

static void sift_down(tide_heap_t *h, size_t i)
{
    tide_heap_node_t *n = h->nodes[i];
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= h->len)
            break;
        if (child + 1 < h->len && less(h->nodes[child + 1], h->nodes[child]))
            child++;
        if (!less(h->nodes[child], n))
            break;
        place(h, i, h->nodes[child]);
        i = child;
    }
    place(h, i, n);
}

void tide_heap_init(tide_heap_t *h)
{
    h->nodes = NULL;
    h->len = h->cap = 0;
    h->next_seq = 0;
}

void tide_heap_destroy(tide_heap_t *h)
{
    for (size_t i = 0; i < h->len; i++)
        h->nodes[i]->index = SIZE_MAX;
    tide_free(h->nodes);
    tide_heap_init(h);
}

void tide_heap_push(tide_heap_t *h, tide_heap_node_t *n)
{
    if (h->len == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 64;
        h->nodes = tide_realloc(h->nodes, h->cap * sizeof(*h->nodes));
    }
    n->seq = h->next_seq++;
    place(h, h->len++, n);
    sift_up(h, n->index);
}

/* Gives memory back after a burst (100,000 timers that all fired), keeping some slack. */
static void maybe_shrink(tide_heap_t *h)
{
    if (h->cap > 1024 && h->len < h->cap / 4) {
        h->cap /= 2;
        h->nodes = tide_realloc(h->nodes, h->cap * sizeof(*h->nodes));
    }
}

void tide_heap_remove(tide_heap_t *h, tide_heap_node_t *n)
{
    size_t i = n->index;
    TIDE_ASSERT(i < h->len && h->nodes[i] == n);
    n->index = SIZE_MAX;
    tide_heap_node_t *last = h->nodes[--h->len];
    if (i < h->len) {
        place(h, i, last);
        if (i > 0 && less(last, h->nodes[(i - 1) / 2]))
            sift_up(h, i);
        else
            sift_down(h, i);
    }
    maybe_shrink(h);
}

tide_heap_node_t *tide_heap_pop(tide_heap_t *h)
{
    tide_heap_node_t *top = tide_heap_top(h);
    if (top)
        tide_heap_remove(h, top);
    return top;
}

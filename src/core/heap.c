/* SPDX-License-Identifier: MIT */
#include "tide/heap.h"
#include "tide/common.h"

/* Ties (equal keys, rare: keys are nanosecond deadlines) read the nodes' insertion order. */
static inline int less(const tide_heap_entry_t *a, const tide_heap_entry_t *b)
{
    return a->key < b->key || (a->key == b->key && a->node->seq < b->node->seq);
}

static inline void place(tide_heap_t *h, size_t i, tide_heap_entry_t e)
{
    h->ents[i] = e;
    e.node->index = i;
}

static void sift_up(tide_heap_t *h, size_t i)
{
    tide_heap_entry_t e = h->ents[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!less(&e, &h->ents[parent]))
            break;
        place(h, i, h->ents[parent]);
        i = parent;
    }
    place(h, i, e);
}

static void sift_down(tide_heap_t *h, size_t i)
{
    tide_heap_entry_t e = h->ents[i];
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= h->len)
            break;
        if (child + 1 < h->len && less(&h->ents[child + 1], &h->ents[child]))
            child++;
        if (!less(&h->ents[child], &e))
            break;
        place(h, i, h->ents[child]);
        i = child;
    }
    place(h, i, e);
}

void tide_heap_init(tide_heap_t *h)
{
    h->ents = NULL;
    h->len = h->cap = 0;
    h->next_seq = 0;
}

void tide_heap_destroy(tide_heap_t *h)
{
    for (size_t i = 0; i < h->len; i++)
        h->ents[i].node->index = SIZE_MAX;
    tide_free(h->ents);
    tide_heap_init(h);
}

void tide_heap_push(tide_heap_t *h, tide_heap_node_t *n)
{
    if (h->len == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 64;
        h->ents = tide_realloc(h->ents, h->cap * sizeof(*h->ents));
    }
    n->seq = h->next_seq++;
    size_t i = h->len++;
    place(h, i, (tide_heap_entry_t){n->key, n});
    sift_up(h, i);
}

/* Gives memory back after a burst (100,000 timers that all fired), keeping some slack. */
static void maybe_shrink(tide_heap_t *h)
{
    if (h->cap > 1024 && h->len < h->cap / 4) {
        h->cap /= 2;
        h->ents = tide_realloc(h->ents, h->cap * sizeof(*h->ents));
    }
}

void tide_heap_remove(tide_heap_t *h, tide_heap_node_t *n)
{
    size_t i = n->index;
    TIDE_ASSERT(i < h->len && h->ents[i].node == n);
    n->index = SIZE_MAX;
    tide_heap_entry_t last = h->ents[--h->len];
    if (i < h->len) {
        place(h, i, last);
        if (i > 0 && less(&last, &h->ents[(i - 1) / 2]))
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

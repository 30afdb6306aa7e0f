/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the timer heap and the id map: the input is a program of
 * push / pop / remove / put / del operations, checked against a plain reference model.
 * Build and run: make -C fuzz run (or ./dev fuzz).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tide/common.h"
#include "tide/heap.h"
#include "tide/idmap.h"

#define SLOTS 256

typedef struct item {
    tide_heap_node_t node;
    int in_heap;
} item_t;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static item_t items[SLOTS];
    tide_heap_t h;
    tide_idmap_t m;
    uintptr_t model[SLOTS];

    memset(items, 0, sizeof(items));
    memset(model, 0, sizeof(model));
    tide_heap_init(&h);
    tide_idmap_init(&m);
    for (size_t i = 0; i + 2 < size; i += 3) {
        uint8_t op = data[i] % 5, slot = data[i + 1];
        uint64_t key = data[i + 2];
        item_t *it = &items[slot];
        switch (op) {
        case 0: /* push */
            if (!it->in_heap) {
                it->node.key = key;
                tide_heap_push(&h, &it->node);
                it->in_heap = 1;
            }
            break;
        case 1: { /* pop: must be a minimum, ties by insertion order */
            item_t *top = (item_t *)tide_heap_pop(&h);
            if (!top)
                break;
            for (int j = 0; j < SLOTS; j++) {
                const tide_heap_node_t *o = &items[j].node;
                if (items[j].in_heap && &items[j] != top &&
                    (o->key < top->node.key || (o->key == top->node.key && o->seq < top->node.seq)))
                    abort();
            }
            top->in_heap = 0;
            break;
        }
        case 2: /* remove */
            if (it->in_heap) {
                tide_heap_remove(&h, &it->node);
                it->in_heap = 0;
            }
            break;
        case 3: /* idmap put (ids are slot+1: never 0) */
            model[slot] = (uintptr_t)key + 1;
            tide_idmap_put(&m, slot + 1u, (void *)model[slot]);
            break;
        case 4: /* idmap del */
            if ((uintptr_t)tide_idmap_del(&m, slot + 1u) != model[slot])
                abort();
            model[slot] = 0;
            break;
        }
    }
    size_t live = 0;
    for (int j = 0; j < SLOTS; j++) {
        if ((uintptr_t)tide_idmap_get(&m, j + 1u) != model[j])
            abort();
        live += model[j] != 0;
    }
    if (live != m.len)
        abort();
    tide_heap_destroy(&h);
    tide_idmap_destroy(&m);
    return 0;
}

/* SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "test.h"
#include "tide/common.h"
#include "tide/heap.h"
#include "tide/idmap.h"

typedef struct item {
    tide_heap_node_t node;
    int id;
} item_t;

TEST(heap_pops_in_key_order_and_ties_in_insertion_order)
{
    enum { N = 20000 };
    tide_heap_t h;
    item_t *items = calloc(N, sizeof(*items));
    tide_heap_init(&h);
    srand(7);
    for (int i = 0; i < N; i++) {
        items[i].id = i;
        items[i].node.key = (uint64_t)(rand() % 500); /* many equal keys */
        tide_heap_push(&h, &items[i].node);
    }
    CHECK_EQ(h.len, N);
    uint64_t last_key = 0;
    int last_id = -1;
    for (int i = 0; i < N; i++) {
        item_t *it = (item_t *)tide_heap_pop(&h);
        CHECK(it != NULL);
        CHECK(it->node.key >= last_key);
        if (it->node.key == last_key)
            CHECK(it->id > last_id);
        CHECK(!tide_heap_contains(&it->node));
        last_key = it->node.key;
        last_id = it->id;
    }
    CHECK(tide_heap_pop(&h) == NULL);
    tide_heap_destroy(&h);
    free(items);
}

TEST(heap_remove_from_the_middle_keeps_order)
{
    enum { N = 5000 };
    tide_heap_t h;
    item_t *items = calloc(N, sizeof(*items));
    tide_heap_init(&h);
    srand(11);
    for (int i = 0; i < N; i++) {
        items[i].id = i;
        items[i].node.key = (uint64_t)(rand() % 100000);
        tide_heap_push(&h, &items[i].node);
    }
    for (int i = 0; i < N; i += 3)
        tide_heap_remove(&h, &items[i].node);
    CHECK_EQ(h.len, N - (N + 2) / 3);
    uint64_t last = 0;
    size_t count = 0;
    item_t *it;
    while ((it = (item_t *)tide_heap_pop(&h))) {
        CHECK(it->id % 3 != 0);
        CHECK(it->node.key >= last);
        last = it->node.key;
        count++;
    }
    CHECK_EQ(count, N - (N + 2) / 3);
    /* The array shrank back after the burst. */
    CHECK(h.cap <= 1024);
    tide_heap_destroy(&h);
    free(items);
}

TEST(idmap_matches_a_reference_under_random_churn)
{
    enum { N = 50000 };
    tide_idmap_t m;
    void **ref = calloc(N + 1, sizeof(void *));
    tide_idmap_init(&m);
    srand(3);
    size_t live = 0;
    for (int i = 0; i < 400000; i++) {
        uint64_t id = 1 + (uint64_t)(rand() % N);
        int op = rand() % 3;
        if (op == 0) {
            if (!ref[id])
                live++;
            ref[id] = (void *)(uintptr_t)(id * 2 + 1);
            tide_idmap_put(&m, id, ref[id]);
        } else if (op == 1) {
            CHECK(tide_idmap_del(&m, id) == ref[id]);
            if (ref[id])
                live--;
            ref[id] = NULL;
        } else {
            CHECK(tide_idmap_get(&m, id) == ref[id]);
        }
        CHECK_EQ(m.len, live);
    }
    for (uint64_t id = 1; id <= N; id++)
        CHECK(tide_idmap_get(&m, id) == ref[id]);
    CHECK(tide_idmap_get(&m, 0) == NULL);
    tide_idmap_destroy(&m);
    free(ref);
}

/* SPDX-License-Identifier: MIT */
/*
 * The connection table: session ids and what PHP may ask about a connection, in shared
 * memory. A session id encodes its partition and a sequence number:
 * id = seq * parts + part + 1, and the slot is seq % cap of that partition. A new id skips
 * sequence numbers whose slot is still taken, so ids only grow and a lookup is one slot.
 */
#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>

#include "tide/common.h"
#include "tide/conntab.h"
#include "tide/reactor.h"

int tide_conntab_create(tide_conntab_t *t, unsigned parts, uint32_t max_conn, unsigned workers)
{
    memset(t, 0, sizeof(*t));
    if (parts == 0 || max_conn == 0)
        return -EINVAL;
    uint32_t cap = 64;
    while (cap < 2 * (uint64_t)max_conn && cap < (1u << 30))
        cap <<= 1;
    size_t slots = (size_t)parts * cap * sizeof(tide_conninfo_t);
    size_t stats = parts * sizeof(tide_conntab_stats_t);
    size_t seqs = (parts + 1) * sizeof(uint64_t); /* next_seq[parts], then last_id */
    size_t pids = (sizeof(tide_server_pids_t) + workers * sizeof(t->pids->worker[0]) + 63) &
                  ~(size_t)63;
    size_t len = slots + stats + seqs + pids;
    void *mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        return -errno;
    t->mem = mem;
    t->mem_len = len;
    t->parts = parts;
    t->cap = cap;
    t->workers = workers;
    t->slots = mem;
    t->stats = (tide_conntab_stats_t *)((char *)mem + slots);
    t->next_seq = (uint64_t *)((char *)mem + slots + stats);
    t->last_id = t->next_seq + parts;
    t->pids = (tide_server_pids_t *)((char *)mem + slots + stats + seqs);
    uint64_t now = tide_unix_time();
    for (unsigned p = 0; p < parts; p++)
        tide_conntab_stats(t, p)->start_time = now;
    return 0;
}

void tide_conntab_destroy(tide_conntab_t *t)
{
    if (t->mem)
        munmap(t->mem, t->mem_len);
    memset(t, 0, sizeof(*t));
}

static tide_conninfo_t *slot_of(const tide_conntab_t *t, unsigned part, uint64_t seq)
{
    return &t->slots[(size_t)part * t->cap + (seq & (t->cap - 1))];
}

tide_conninfo_t *tide_conntab_take(tide_conntab_t *t, unsigned part)
{
    /* Ids grow server-wide, not only per partition: the new one is the first of this
     * partition above the last id any partition gave out (claimed with a CAS). */
    for (;;) {
        uint64_t last = __atomic_load_n(t->last_id, __ATOMIC_ACQUIRE);
        uint64_t seq = last / t->parts;
        if (seq * t->parts + part + 1 <= last)
            seq++;
        if (seq < t->next_seq[part])
            seq = t->next_seq[part];
        tide_conninfo_t *c = NULL;
        for (uint32_t tries = 0; tries < t->cap; tries++, seq++) {
            tide_conninfo_t *s = slot_of(t, part, seq);
            if (__atomic_load_n(&s->session, __ATOMIC_ACQUIRE) == 0) {
                c = s;
                break;
            }
        }
        if (!c)
            return NULL;
        uint64_t id = seq * t->parts + part + 1;
        if (!__atomic_compare_exchange_n(t->last_id, &last, id, false, __ATOMIC_ACQ_REL,
                                         __ATOMIC_ACQUIRE))
            continue; /* another partition took an id meanwhile */
        /* Only the owner writes a slot, inside its bracket: the sequence lock goes on from
         * where it was, so a reader still copying the old connection sees the change. */
        _Static_assert(offsetof(tide_conninfo_t, flags) == sizeof(uint64_t) + sizeof(uint32_t),
                       "session and seq come first: the rest is cleared");
        tide_conninfo_begin(c);
        size_t keep = offsetof(tide_conninfo_t, flags);
        memset((char *)c + keep, 0, sizeof(*c) - keep);
        tide_conninfo_end(c);
        t->next_seq[part] = seq + 1;
        __atomic_store_n(&c->session, id, __ATOMIC_RELEASE);
        return c;
    }
}

void tide_conntab_release(tide_conntab_t *t, tide_conninfo_t *c)
{
    TIDE_UNUSED(t);
    __atomic_store_n(&c->session, 0, __ATOMIC_RELEASE);
}

tide_conninfo_t *tide_conntab_find(const tide_conntab_t *t, uint64_t session)
{
    if (session == 0 || !t->mem)
        return NULL;
    unsigned part = tide_conntab_part(t, session);
    uint64_t seq = t->parts == 1 ? session - 1 : (session - 1) / t->parts;
    tide_conninfo_t *c = slot_of(t, part, seq);
    return __atomic_load_n(&c->session, __ATOMIC_ACQUIRE) == session ? c : NULL;
}

bool tide_conntab_snapshot(const tide_conntab_t *t, uint64_t session, tide_conninfo_t *out)
{
    tide_conninfo_t *c = tide_conntab_find(t, session);
    if (!c)
        return false;
    /* A sequence lock: the copy counts only if no write was under way or began meanwhile.
     * An owner's writes are a few stores between turns of its loop; a reader that keeps
     * meeting one yields to it now and then rather than give up. */
    for (int tries = 0; tries < 100000; tries++) {
        if (tries && tries % 64 == 0)
            sched_yield();
        uint32_t before = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
        if (before & 1)
            continue;
        memcpy(out, c, sizeof(*out));
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (__atomic_load_n(&c->seq, __ATOMIC_RELAXED) == before)
            return out->session == session;
    }
    return false; /* its owner never stopped writing it: as if gone */
}

void tide_conntab_each(const tide_conntab_t *t, uint64_t after,
                       bool (*cb)(const tide_conninfo_t *c, void *arg), void *arg)
{
    /* Sorted by id across partitions: ids interleave, so walk sequence numbers. Gathers per
     * partition the live slots, then merges. Simple and good enough for the few calls PHP
     * makes (getClientList pages through it). */
    for (;;) {
        const tide_conninfo_t *best = NULL;
        uint64_t best_id = UINT64_MAX;
        for (unsigned p = 0; p < t->parts; p++) {
            /* Only slots ever used: untouched pages of the table stay unmapped. */
            uint64_t used = t->next_seq[p] < t->cap ? t->next_seq[p] : t->cap;
            for (uint64_t i = 0; i < used; i++) {
                const tide_conninfo_t *c = slot_of(t, p, i);
                uint64_t id = __atomic_load_n(&c->session, __ATOMIC_ACQUIRE);
                if (id > after && id < best_id) {
                    best_id = id;
                    best = c;
                }
            }
        }
        if (!best || !cb(best, arg))
            return;
        after = best_id;
    }
}

void tide_conntab_sum(const tide_conntab_t *t, tide_conntab_stats_t *out)
{
    memset(out, 0, sizeof(*out));
    for (unsigned p = 0; p < t->parts; p++) {
        tide_conntab_stats_t *s = tide_conntab_stats(t, p);
        if (p == 0 || s->start_time < out->start_time)
            out->start_time = s->start_time;
        out->accept_count += s->accept_count;
        out->close_count += s->close_count;
        out->request_count += s->request_count;
        out->dispatch_count += s->dispatch_count;
        out->connection_num += s->connection_num;
    }
}

size_t tide_conntab_reset_part(tide_conntab_t *t, unsigned part)
{
    size_t n = 0;
    uint64_t used = t->next_seq[part] < t->cap ? t->next_seq[part] : t->cap;
    for (uint64_t i = 0; i < used; i++) {
        tide_conninfo_t *c = slot_of(t, part, i);
        if (__atomic_load_n(&c->session, __ATOMIC_ACQUIRE)) {
            __atomic_store_n(&c->session, 0, __ATOMIC_RELEASE);
            n++;
        }
    }
    tide_conntab_stats_t *st = tide_conntab_stats(t, part);
    st->close_count += n;
    st->connection_num = 0;
    return n;
}

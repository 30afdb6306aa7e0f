/* SPDX-License-Identifier: MIT */
/*
 * Shared memory for every process of a server: anonymous MAP_SHARED mappings made before
 * the server forks (a Table, an Atomic, a Lock), and the spinlock that guards the Table's
 * rows.
 *
 * Nothing here outlives its processes: an anonymous shared mapping is the kernel's to free
 * when the last process that maps it is gone, so a crash leaks no segment (unlike System V
 * shared memory or a named file).
 *
 * The spinlock's word holds the pid of its owner, so that a process killed while it holds
 * one does not leave the others spinning forever: a waiter that has spun long enough checks
 * that the owner is alive, and takes the lock over from a dead one.
 */
#ifndef TIDE_SHM_H
#define TIDE_SHM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* len bytes (rounded up to pages), zeroed, shared with processes forked later; NULL with
 * errno when the kernel refuses. */
void *tide_shm_alloc(size_t len);
void tide_shm_free(void *p, size_t len);

/* This process's pid, kept (getpid() is a system call; a forked child asks again). */
uint32_t tide_self_pid(void);

/* A lock word: 0 free, else the owner's pid. */
typedef struct tide_spin {
    uint32_t owner;
} tide_spin_t;

/* Takes the lock; true when it was taken over from a dead owner (what it guarded may be half
 * written: the caller decides what that means). */
bool tide_spin_lock(tide_spin_t *s);
bool tide_spin_trylock(tide_spin_t *s);
void tide_spin_unlock(tide_spin_t *s);

#endif

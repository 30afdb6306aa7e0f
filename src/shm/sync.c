/* SPDX-License-Identifier: MIT */
/* Tide\Atomic and Tide\Lock in shared memory: see include/tide/sync.h (being written). */
#include "tide/shm.h"

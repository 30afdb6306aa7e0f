/* SPDX-License-Identifier: MIT */
/* Tide\Atomic, Tide\Atomic\Long and Tide\Lock (being written). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "php_tide.h"

void php_tide_sync_minit(void)
{
}

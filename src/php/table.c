/* SPDX-License-Identifier: MIT */
/* Tide\Table (being written). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "php_tide.h"

void php_tide_table_minit(void)
{
}

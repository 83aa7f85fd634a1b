// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The security modules active on this machine: see lsm_list.h. */
#include "lsm_list.h"
#include "util.h"

void lt_active_lsms(char *buf, size_t len)
{
	lt_read_first_line(LT_LSM_FILE, buf, len);
}

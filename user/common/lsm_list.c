// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The security modules active on this machine: see lsm_list.h. */
#include <stdio.h>
#include <string.h>
#include "lsm_list.h"

void lt_active_lsms(char *buf, size_t len)
{
	FILE *f = fopen(LT_LSM_FILE, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

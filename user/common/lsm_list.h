/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The security modules active on this machine, as the kernel lists them. */
#ifndef LOCKTRACE_LSM_LIST_H
#define LOCKTRACE_LSM_LIST_H

#include <stddef.h>

#define LT_LSM_FILE "/sys/kernel/security/lsm"

/* The active security modules (LT_LSM_FILE), comma-separated as there
 * ("lockdown,capability,landlock"); "" unknown. */
void lt_active_lsms(char *buf, size_t len);

#endif /* LOCKTRACE_LSM_LIST_H */

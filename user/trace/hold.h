/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --holders' lock events (struct lt_hold after the path): their names and
 * their JSON, for format.c. */
#ifndef LOCKTRACE_HOLD_H
#define LOCKTRACE_HOLD_H

#include <stdbool.h>
#include "common/buf.h"
#include "locktrace.h"

/* Was the lock event's lock a flock (not a POSIX or OFD lock)? */
bool lt_hold_is_flock(const struct lt_event *ev);
/* The call the lock event stands for: "flock", "fcntl", "close", "exit". */
const char *lt_hold_syscall(const struct lt_event *ev, const struct lt_hold *h);
/* The lock's flags as the JSON "flags" shows them ("LOCK_EX", "F_WRLCK"). */
const char *lt_hold_flags(const struct lt_event *ev, const struct lt_hold *h);
/* ,"hold":{...} (appended to an event object being built). */
void lt_hold_json(struct lt_buf *b, const struct lt_event *ev, const struct lt_hold *h,
		  bool *first);

#endif /* LOCKTRACE_HOLD_H */

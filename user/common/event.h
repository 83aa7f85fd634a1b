/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The ring buffer's access records (bpf/locktrace.h): whether one is well
 * formed, and its parts. */
#ifndef LOCKTRACE_EVENT_H
#define LOCKTRACE_EVENT_H

#include <stddef.h>
#include "locktrace.h"

/* Is data[0..size) a well-formed access record? 0 if so, else -1. */
int lt_event_check(const void *data, size_t size);

/* The LSM tier's record of the check that refused, NULL if none; only
 * for records lt_event_check() accepted. */
const struct lt_deny *lt_event_deny(const struct lt_event *ev);

/* A network filesystem's own answer to the call (bpf/locktrace.h), NULL if
 * none came with it; only for records lt_event_check() accepted. */
const struct lt_remote *lt_event_remote(const struct lt_event *ev);
/* --holders: the lock taken or let go, NULL if the record is not one;
 * only for records lt_event_check() accepted. */
const struct lt_hold *lt_event_hold(const struct lt_event *ev);

#endif /* LOCKTRACE_EVENT_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Every count a tracing session keeps, in one table: the summary on stderr,
 * the recording's trailer and the --json stats line are all made from it.
 * X(name, kind, phrase): name is the field and the JSON key; kind is TOTAL
 * (how many) or LOSS (events lost or degraded, by reason: the summary names
 * each one that is not 0); phrase is what the summary says after the
 * number. The kernel's own reasons come from bpf/locktrace.h.
 */
#ifndef LOCKTRACE_COUNTERS_H
#define LOCKTRACE_COUNTERS_H

#include <linux/types.h>
#include "common/buf.h"
#include "locktrace.h"

#define LT_COUNTERS(X)                                               \
	X(seen, TOTAL, "events seen")                                \
	X(written, TOTAL, "events written")                          \
	X(dropped_kernel, LOSS, "ring buffer full")                  \
	X(dropped_write, LOSS, "not written to the recording")       \
	X(malformed, LOSS, "malformed records")                      \
	X(filtered, TOTAL, "filtered in user space")                 \
	X(rotations, TOTAL, "rotations")                             \
	LT_KERNEL_LOSSES(X)                                          \
	X(recursion_misses, LOSS, "program runs missed (recursion)") \
	X(facts_timeout, LOSS, "fact lookups timed out")             \
	X(facts_slow_mount, LOSS, "facts skipped on a slow mount")   \
	X(facts_busy, LOSS, "facts skipped: every fact worker busy") \
	X(rotate_failed, LOSS, "rotations that failed")

enum lt_counter_kind {
	LT_CNT_TOTAL,
	LT_CNT_LOSS,
};

struct lt_counters {
#define LT_COUNTERS_FIELD(name, kind, phrase) unsigned long long name;
	LT_COUNTERS(LT_COUNTERS_FIELD)
#undef LT_COUNTERS_FIELD
};

/* Take in the kernel's counters, summed over the CPUs (dropped_kernel and
 * every LT_KERNEL_LOSSES reason). */
void lt_counters_from_kernel(struct lt_counters *c, const struct lt_stats *st);
/* ,"seen":N,"written":N,...: every counter, in the table's order. */
void lt_counters_json(struct lt_buf *b, const struct lt_counters *c);
/* "3 ring buffer full, 2 unreadable user memory (path)": the losses that
 * are not 0, in the table's order; returns how many. */
int lt_counters_losses(struct lt_buf *b, const struct lt_counters *c);
/* The sum of the kernel side's losses (the ring buffer, the reasons of
 * LT_KERNEL_LOSSES, recursion misses): it grows when the kernel loses. */
unsigned long long lt_counters_kernel_losses(const struct lt_counters *c);

#endif /* LOCKTRACE_COUNTERS_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What an event read (ingest.c) adds to the model beyond its counts
 * (group.c): its failure's group, its place on the timeline, and the
 * contention on its lock. */
#ifndef LOCKTRACE_REPORT_GROUP_H
#define LOCKTRACE_REPORT_GROUP_H

#include <linux/types.h>
#include "model.h"
#include "parse.h"

/* The fields of one event, as kept (each at most its limit, no NUL), the
 * uid in decimal; and the path's hash, one for the paths and the locks. */
struct lt_rep_fields {
	struct lt_str event, path, comm, error, kind, detail, fix, evidence, lsm, uid;
	__u64 path_hash;
};

/* A failure at @t: counted in its group (the same path, error, cause, comm
 * and uid), made if it is the first. Its key is built in r->scratch after
 * the fields (r->scratch_used). */
void lt_rep_group_add(struct lt_report *r, __s64 t, const struct lt_rep_fields *f, __u32 uid);

/* A failure on the timeline, with its kind's item in by_cause (NULL when
 * by_cause did not keep it: "other causes"). */
void lt_rep_point_add(struct lt_report *r, __s64 t, const struct lt_rep_count *kind);

/* Contention on the event's path: a lock_held failure by @pid (its holders
 * in @e), or a lock_wait event at @t (its wait and holder in @e). */
void lt_rep_lock_held(struct lt_report *r, const struct lt_rep_fields *f, __u32 pid, __u32 uid,
		      const struct lt_rep_rec *e);
void lt_rep_lock_wait(struct lt_report *r, __s64 t, const struct lt_rep_fields *f, __u32 pid,
		      __u32 uid, const struct lt_rep_rec *e);

#endif /* LOCKTRACE_REPORT_GROUP_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Several instances, one story (xhost.c): what an event read (ingest.c)
 * adds to the cross-host model. Each source's host and its network mounts
 * (from its header); the locks held on files on shares (lock_acquired,
 * lock_released: a hold from one to the other); the failures on those
 * files. When reading ends, each failure is set against the holds of
 * other hosts that cover its time.
 */
#ifndef LOCKTRACE_REPORT_XHOST_H
#define LOCKTRACE_REPORT_XHOST_H

#include <linux/types.h>
#include "group.h"
#include "model.h"
#include "parse.h"

/* A header of source @s: its host (and session), and its network mounts. */
void lt_rep_xhost_header(struct lt_report *r, struct lt_rep_source *s, const struct lt_rep_rec *e);
/* An event of @s at @t: when it ended, as far as the report knows. */
void lt_rep_xhost_seen(struct lt_report *r, struct lt_rep_source *s, __s64 t);

/* The fields of a hold event, as kept. */
struct lt_rep_hold_fields {
	struct lt_str path, comm, share, share_path, kind, type, mount;
};

/* A lock taken or let go (@e->event says which) at @t, whatever the
 * filters: the holds are the failures' context. */
void lt_rep_xhost_hold(struct lt_report *r, struct lt_rep_source *s, __s64 t,
		       const struct lt_rep_rec *e, const struct lt_rep_hold_fields *h);
/* A failure at @t that passed the filters, of the given items of the
 * count tables: kept when its file is on a share one of @s's mounts of its
 * mount namespace @mntns names. */
void lt_rep_xhost_failure(struct lt_report *r, struct lt_rep_source *s, __s64 t,
			  const struct lt_rep_fields *f, __u64 mntns, __u32 pid, __u32 uid,
			  const struct lt_rep_count *event, const struct lt_rep_count *error,
			  const struct lt_rep_count *cause, const struct lt_rep_count *comm);

/* Reading is over: each failure against the other hosts' holds; the rows
 * and the files with rows, sorted (lt_report_finish). */
void lt_rep_xhost_finish(struct lt_report *r);
/* Free what the model's tables do not own. */
void lt_rep_xhost_free(struct lt_report *r);

#endif /* LOCKTRACE_REPORT_XHOST_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The per-CPU workspace of the programs: the record being built, the path
 * buffer, and the state of the matcher and of the dentry walk. State lives
 * here rather than in registers so the verifier sees unknown scalars and
 * checks each loop body once (see bpf/match.h).
 */
#ifndef LOCKTRACE_SCRATCH_BPF_H
#define LOCKTRACE_SCRATCH_BPF_H

#include "locktrace.h"
#include "match.h"

#define LT_NAME_MAX 255

/*
 * Scratch layout (per CPU): the directory part of a path is written
 * backwards so that it ends at LT_HALF; a name the process passed is read
 * forwards from LT_HALF + 1. A path is therefore buf[off .. end) with
 * 0 <= off <= LT_HALF < end < 2 * LT_HALF.
 */
#define LT_HALF LT_PATH_MAX
#define LT_BUF_SIZE (2 * LT_PATH_MAX)
#define LT_BUF_MASK (LT_BUF_SIZE - 1)
#define LT_HALF_MASK (LT_HALF - 1)

/* State of a dentry walk, kept in the map value (see lt_walk_path). */
struct lt_walk {
	__u64 dentry;
	__u64 vfsmnt;
	__u64 mnt;
	__u64 root_dentry;
	__u64 root_mnt;
	__u32 off; /* the name so far is buf[off .. LT_HALF) */
	__u32 truncated;
};

struct lt_scratch {
	/* The record being built: struct lt_event, then its path[]. */
	__u8 rec[sizeof(struct lt_event) + LT_PATH_MAX];
	char buf[LT_BUF_SIZE + LT_NAME_MAX + 1]; /* slack for masked reads */
	struct lt_glob_state glob;
	struct lt_walk walk;
};

static __always_inline struct lt_event *lt_ev(struct lt_scratch *sc)
{
	return (struct lt_event *)sc->rec;
}

#endif /* LOCKTRACE_SCRATCH_BPF_H */

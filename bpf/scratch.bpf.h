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

/*
 * LSM tier: a thread's refusal, from the check that returned it to the
 * system-call exit that reports it. d is a struct lt_deny and its path[]
 * (raw bytes: a struct ending in a flexible array cannot be embedded).
 */
#define LT_DENY_SIZE (sizeof(struct lt_deny) + LT_PATH_MAX)

struct lt_deny_slot {
	__u32 nr; /* the system call it happened in */
	__u32 __pad;
	__u8 d[LT_DENY_SIZE];
};

static __always_inline struct lt_deny *lt_slot_deny(struct lt_deny_slot *slot)
{
	return (struct lt_deny *)slot->d;
}

/* A record: struct lt_event, path[], padding, struct lt_deny, its path[]. */
#define LT_REC_MAX (sizeof(struct lt_event) + LT_PATH_MAX + 8 + LT_DENY_SIZE)

struct lt_scratch {
	/* The record being built. */
	__u8 rec[LT_REC_MAX];
	char buf[LT_BUF_SIZE + LT_NAME_MAX + 1]; /* slack for masked reads */
	struct lt_glob_state glob;
	struct lt_walk walk;
	struct lt_deny_slot deny; /* being built (fexit) or taken (sys_exit) */
	__u32 deny_valid; /* deny belongs to the record being built */
	__u32 __pad;
	struct path fake_path; /* a dentry without its mount, for the walk */
};

static __always_inline struct lt_event *lt_ev(struct lt_scratch *sc)
{
	return (struct lt_event *)sc->rec;
}

#endif /* LOCKTRACE_SCRATCH_BPF_H */

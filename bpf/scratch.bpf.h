/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The per-CPU workspaces of the programs: the record being built, the path
 * buffer, and the state of the matcher and of the dentry walk. State lives
 * here rather than in registers so the verifier sees unknown scalars and
 * checks each loop body once (see bpf/match.h).
 *
 * Tracepoint programs run with preemption disabled: each finishes before
 * another can start on its CPU, and they share one workspace. Trampoline
 * (fexit) programs only have migration disabled: on a preemptible kernel
 * one can be preempted half-way through its record, and other tasks'
 * programs then run on the same CPU. They have workspaces of their own,
 * each taken by one program at a time (busy), so that neither a tracepoint
 * program nor another fexit program can overwrite a record being built; a
 * program that finds them all taken records nothing and counts it.
 */
#ifndef LOCKTRACE_SCRATCH_BPF_H
#define LOCKTRACE_SCRATCH_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
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
	__u32 crossed; /* the walk stepped out of the path's own mount */
	__u32 mnt_off; /* then, where the path within that mount began */
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

/* A record: struct lt_event, path[], padding, struct lt_deny, its path[],
 * padding, struct lt_remote. */
#define LT_REC_MAX \
	(sizeof(struct lt_event) + LT_PATH_MAX + 8 + LT_DENY_SIZE + 8 + sizeof(struct lt_remote))

/* Workspaces per CPU, at most (keys LT_WS_*, bpf/locktrace.h). */
#define LT_WS_COUNT (LT_WS_FEXIT + LT_WS_FEXIT_N)

struct lt_scratch {
	/* The record being built. */
	__u8 rec[LT_REC_MAX];
	char buf[LT_BUF_SIZE + LT_NAME_MAX + 1]; /* slack for masked reads */
	struct lt_glob_state glob;
	struct lt_walk walk;
	struct lt_deny_slot deny; /* being built (fexit) or taken (sys_exit) */
	__u32 deny_valid; /* deny belongs to the record being built */
	__u32 remote_valid; /* remote belongs to the record being built */
	__u32 __pad3;
	struct lt_remote remote; /* a network filesystem's answer, taken */
	/* fexit workspaces: programs using it (one may, see lt_ws_take()). */
	__u32 busy;
	__u32 ws; /* its key, set by the program that took it */
	__u32 __pad2;
	struct path fake_path; /* a dentry without its mount, for the walk */
};

static __always_inline struct lt_event *lt_ev(struct lt_scratch *sc)
{
	return (struct lt_event *)sc->rec;
}

#endif /* LOCKTRACE_SCRATCH_BPF_H */

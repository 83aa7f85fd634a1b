/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel side's state, all of it: the settings user space writes
 * between open and load (cfg_*, read-only once loaded), every map with the
 * kernel-only records it holds, and the two counters that let the hot path
 * skip lookups. User space reaches each by the same name, through the
 * skeleton.
 */
#ifndef LOCKTRACE_MAPS_BPF_H
#define LOCKTRACE_MAPS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "locktrace.h"
#include "scratch.bpf.h"

/* ---- settings ------------------------------------------------------- */

/* Set by user space between open and load. */
const volatile bool cfg_all = false; /* successes too */
const volatile bool cfg_lock_calls_all = true; /* every lock call passes the path filter */
const volatile __u32 cfg_self_tgid = 0; /* never trace the tracer */
const volatile __u64 cfg_min_wait_ns = 10000000; /* report lock waits this long */
const volatile __u32 cfg_npatterns = 0;
const volatile __u32 cfg_npids = 0;
const volatile __u32 cfg_nuids = 0;
const volatile __u32 cfg_ncomms = 0;
/* Wake the reader once the ring holds this much; below it, the reader
 * finds the events within its poll interval. Batches save a wakeup per
 * event in a storm. */
const volatile __u64 cfg_wakeup_bytes = 1 << 20;

/* ---- filters -------------------------------------------------------- */

/* Set-valued filters, sized by user space; unused ones cost nothing. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8);
} pid_filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8);
} uid_filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, char[LT_COMM_LEN]);
	__type(value, __u8);
} comm_filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LT_MAX_PATTERNS);
	__type(key, __u32);
	__type(value, struct lt_pattern);
} patterns SEC(".maps");

/* ---- counters ------------------------------------------------------- */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lt_stats);
} stats SEC(".maps");

/* ---- lock calls in progress, by thread -------------------------------- */

/* The lock layer's view of a lock call in progress (filelock tracepoints),
 * for its system-call exit. */
struct lt_fl_facts {
	__u32 flags;
	__u32 type;
	__u32 pid;
	__s32 ret; /* the lock layer's verdict */
	__s64 start;
	__s64 end;
	__u32 holder_pid; /* a conflicting lock's process, 0 if none seen */
	__u32 __pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct lt_fl_facts);
} fl_inflight SEC(".maps");

/* Lock calls waiting for a lock, keyed by thread: since when, behind whom. */
struct lt_wait {
	__u64 start_ns;
	__u32 blocker_pid;
	__u32 __pad;
};

/* A plain hash: an LRU would evict behind waits_pending's back. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct lt_wait);
} lock_waits SEC(".maps");

/* ---- notes on inodes ------------------------------------------------ */

/* Lock files seen created (LT_O_CREAT|LT_O_EXCL), system-wide: the creator a
 * failure is explained with. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct lt_inode_key);
	__type(value, struct lt_inode_who);
} creators SEC(".maps");

/* The last release of a lock on each inode: who let a waiter go. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct lt_inode_key);
	__type(value, struct lt_inode_who);
} releases SEC(".maps");

/* Entries in lock_waits: when zero, a successful lock call costs no lookup. */
__u64 waits_pending;

/* ---- output and workspaces ------------------------------------------ */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24); /* resized by user space */
} events SEC(".maps");

/* Per-CPU workspaces (bpf/scratch.bpf.h), LT_WS_*. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LT_WS_COUNT);
	__type(key, __u32);
	__type(value, struct lt_scratch);
} scratch SEC(".maps");

/* ---- LSM tier: refusals in progress, by thread ------------------------ */

/* A refusal kept for the system-call exit that reports it (bpf/deny.bpf.h). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct lt_deny_slot);
} denials SEC(".maps");

/* Entries in denials: when zero, sys_exit looks nothing up. */
__u64 denials_pending;

/* A module's own hook refused: which module, until its dispatcher returns. */
struct lt_module_verdict {
	__u32 lsm; /* enum lt_lsm_id */
	__s32 ret;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct lt_module_verdict);
} module_verdicts SEC(".maps");

/* ---- network filesystems: their own answers, for the call's exit ------ */

/*
 * What a network filesystem's client traced of a call in progress (its
 * server's NT status, its failing operation), kept for the call's exit
 * (bpf/netfs.bpf.h); written by the programs of bpf/netfs.bpf.c, a BPF
 * object of its own loaded when the module is there, which shares these
 * maps and the .data.remote section.
 */
struct lt_remote_slot {
	__u32 nr; /* the system call it happened in */
	__u32 __pad;
	struct lt_remote r;
};

/* By thread. A plain hash: an LRU would evict behind remotes_pending's
 * back. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct lt_remote_slot);
} remote_tids SEC(".maps");

/* The last answer seen by each of the client's own threads (cifsd), for
 * the read or write error it reports next. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct lt_remote);
} remote_cifsd SEC(".maps");

/* Reads and writes refused, by the open file's id on the server and the
 * tree it is on: the client's own thread reports them while the caller
 * waits. */
struct lt_remote_fid_key {
	__u64 fid;
	__u32 tid;
	__u32 __pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, struct lt_remote_fid_key);
	__type(value, struct lt_remote);
} remote_fids SEC(".maps");

/* Entries in remote_tids: when zero, sys_exit looks nothing up. */
__u64 remotes_pending SEC(".data.remote");
/* The cifs client's open file, as user space read it from the module's
 * BTF; valid 0 until then. */
struct lt_cifs_layout cifs_layout SEC(".data.remote");

/* ---- keys ----------------------------------------------------------- */

/* The key of the one-entry maps (stats). */
static const __u32 zero;
/* The scratch map's key of the tracepoint programs' workspace. */
static const __u32 ws_tp = LT_WS_TP;

/* Count one loss of reason @field (struct lt_stats). Atomic: fexit programs
 * count too, and can be preempted on their CPU. */
#define LT_LOSS(field)                                                      \
	do {                                                                \
		struct lt_stats *__st = bpf_map_lookup_elem(&stats, &zero); \
		if (__st)                                                   \
			__sync_fetch_and_add(&__st->field, 1);              \
	} while (0)

/* Take the tracepoint workspace for a trampoline program (bpf/fexit.bpf.h); false, counted,
 * while another task's program holds it. */
static __always_inline bool lt_ws_tp_take(void)
{
	struct lt_scratch *sc = bpf_map_lookup_elem(&scratch, &ws_tp);

	if (!sc)
		return false;
	__sync_fetch_and_add(&sc->busy, 1);
	if (*(volatile __u32 *)&sc->busy == 1)
		return true;
	__sync_fetch_and_add(&sc->busy, -1);
	LT_LOSS(workspace_busy);
	return false;
}

/* Is the tracepoint workspace held by a trampoline program (of the fexit
 * plan, preempted on this CPU)? A tracepoint program that would use it
 * then gives way, counted. */
static __always_inline bool lt_ws_tp_busy(void)
{
	struct lt_scratch *sc = bpf_map_lookup_elem(&scratch, &ws_tp);

	if (sc && *(volatile __u32 *)&sc->busy == 0)
		return false;
	LT_LOSS(workspace_busy);
	return true;
}

static __always_inline void lt_ws_tp_give(void)
{
	struct lt_scratch *sc = bpf_map_lookup_elem(&scratch, &ws_tp);

	if (sc)
		__sync_fetch_and_add(&sc->busy, -1);
}

/* ---- --holders: locks held on watched filesystems ---------------------- */

/* The watched filesystem types (--holders-fs): their names as the kernel
 * gives them (file_system_type.name), NUL-padded to LT_FSTYPE_LEN bytes, as
 * two 64-bit words each, compared in the program itself: no map lookup on
 * the lock calls of other filesystems. Set by user space between open and
 * load. */
const volatile __u32 cfg_nholders_fs = 0;
const volatile __u64 cfg_holders_fs[LT_HOLDERS_FS_MAX][2] = {};

/* The verdict on the filesystem types seen, each by its struct
 * file_system_type (static: one a type, for as long as the type exists), in
 * the slot of its superblocks' magic: a lock call on a type seen before
 * costs an inlined lookup and a compare. Per CPU: an entry is never read
 * half-written. */
#define LT_FSTYPE_CACHE 64
struct lt_fstype_verdict {
	__u64 type; /* the struct file_system_type's address; 0: none yet */
	__u64 watched;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LT_FSTYPE_CACHE);
	__type(key, __u32);
	__type(value, struct lt_fstype_verdict);
} fstype_verdicts SEC(".maps");

/* A lock's owner on a file: the struct file of a flock or OFD lock, the
 * files_struct of a POSIX lock (the lock layer's fl_owner). */
struct lt_hold_key {
	__u64 ino;
	__u64 owner;
	__u32 dev;
	__u32 __pad;
};

/* What a lock taken is remembered by until its owner lets it go. */
struct lt_hold_slot {
	__u64 id;
	__u64 since_ns; /* CLOCK_BOOTTIME of the acquisition */
	__s64 start;
	__s64 end;
	__u32 type;
	__u32 pid; /* the lock's own (fl_pid) */
};

/* Locks taken and not yet let go, on watched filesystems only. A plain
 * hash: an LRU would forget a hold without a word; a full table is
 * counted (holds_full). Sized by user space (1 without --holders). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, struct lt_hold_key);
	__type(value, struct lt_hold_slot);
} holds SEC(".maps");

/* Each CPU's count of holds, for their ids (no atomic needed: a CPU runs
 * one tracepoint program at a time). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} hold_seq SEC(".maps");

#endif /* LOCKTRACE_MAPS_BPF_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * An access record (struct lt_event), from start to ring buffer: begun in
 * the tracepoint workspace (lt_begin), filled by the open or lock call's
 * handler, passed through the path filter, completed with the process's
 * facts, the path, the LSM tier's refusal and a network filesystem's
 * answer if they explain it, and sent (lt_emit). Every record sent, or
 * lost to a full ring, is counted.
 */
#ifndef LOCKTRACE_EVENT_BPF_H
#define LOCKTRACE_EVENT_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "locktrace.h"
#include "match.h"
#include "compat.bpf.h"
#include "filter.bpf.h"
#include "maps.bpf.h"
#include "netfs.bpf.h"
#include "notes.bpf.h"
#include "scratch.bpf.h"

/* Reset the per-CPU record; returns it with the caller's facts to fill. */
static __always_inline struct lt_scratch *lt_begin(__u32 sys, long ret, bool denied, bool ia32)
{
	struct lt_scratch *sc = bpf_map_lookup_elem(&scratch, &ws_tp);
	struct lt_event *ev;

	if (!sc)
		return NULL;
	ev = lt_ev(sc);
	__builtin_memset(ev, 0, sizeof(*ev));
	ev->syscall = sys;
	ev->ret = ret;
	if (ia32)
		ev->ev_flags = LT_EVF_IA32;
	sc->deny_valid = denied; /* lt_take_denial() filled sc->deny */
	/* A network filesystem's answer to this call, kept by thread. */
	sc->remote_valid = remotes_pending && lt_take_remote(sc, ret);
	return sc;
}

/* The process's facts: ids, credentials, capabilities, groups, command. */
static __always_inline void lt_fill_task(struct lt_event *ev, struct task_struct *task)
{
	const struct cred *cred = BPF_CORE_READ(task, cred);
	struct group_info *gi = BPF_CORE_READ(cred, group_info);
	__u64 id = bpf_get_current_pid_tgid();
	__u32 ngroups;

	ev->type = LT_REC_ACCESS;
	ev->ts_boot_ns = bpf_ktime_get_boot_ns();
	ev->tgid = id >> 32;
	ev->tid = (__u32)id;
	ev->ppid = BPF_CORE_READ(task, real_parent, tgid);
	ev->cgroup_id = bpf_get_current_cgroup_id();
	ev->mntns = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
	ev->userns = BPF_CORE_READ(cred, user_ns, ns.inum);
	ev->uid = BPF_CORE_READ(cred, uid.val);
	ev->gid = BPF_CORE_READ(cred, gid.val);
	ev->euid = BPF_CORE_READ(cred, euid.val);
	ev->egid = BPF_CORE_READ(cred, egid.val);
	ev->fsuid = BPF_CORE_READ(cred, fsuid.val);
	ev->fsgid = BPF_CORE_READ(cred, fsgid.val);
	ev->cap_eff = lt_read_cap_eff(cred);
	if (bpf_core_field_exists(task->loginuid)) {
		ev->auid = BPF_CORE_READ(task, loginuid.val);
		ev->ev_flags |= LT_EVF_HAVE_AUID;
	}
	ngroups = BPF_CORE_READ(gi, ngroups);
	ev->ngroups = ngroups;
	if (ngroups > LT_MAX_GROUPS) {
		ev->ev_flags |= LT_EVF_GROUPS_TRUNCATED;
		ngroups = LT_MAX_GROUPS;
	}
	if (ngroups > 0)
		bpf_probe_read_kernel(ev->groups, ngroups * sizeof(__u32),
				      __builtin_preserve_access_index(&gi->gid));
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
}

/* Flags for an output to the ring buffer: a wakeup only for a batch. */
static __always_inline __u64 lt_wakeup(void)
{
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= cfg_wakeup_bytes ?
		       BPF_RB_FORCE_WAKEUP :
		       BPF_RB_NO_WAKEUP;
}

/* Count a record sent (@dropped: lost, the ring buffer full). Atomic, as
 * LT_LOSS: lt_selinux_audited can run in softirq context, nested in
 * another program on the same CPU. */
static __always_inline void lt_count(bool dropped)
{
	struct lt_stats *st = bpf_map_lookup_elem(&stats, &zero);

	if (!st)
		return;
	__sync_fetch_and_add(&st->matched, 1);
	if (dropped)
		__sync_fetch_and_add(&st->dropped_kernel, 1);
}

/* Copy buf[off .. off + len) to the record, finish it and send it. */
static __always_inline int lt_emit(struct lt_scratch *sc, struct task_struct *task, __u32 off,
				   __u32 len)
{
	struct lt_event *ev = lt_ev(sc);
	__u32 size;
	long err;

	if (len > LT_PATH_MAX - 1) {
		/* Keep the end: the file's own name matters most. */
		__u32 cut = len - (LT_PATH_MAX - 1);

		off += cut;
		len = LT_PATH_MAX - 1;
		/* The name as passed starts that much earlier, or was cut. */
		ev->arg_off = ev->arg_off > cut ? ev->arg_off - cut : 0;
		ev->ev_flags |= LT_EVF_PATH_TRUNCATED;
	}
	if (ev->ev_flags & LT_EVF_ARGS_UNREADABLE) {
		if (ev->syscall == LT_SYS_OPENAT2)
			LT_LOSS(unreadable_open_how);
		else
			LT_LOSS(unreadable_flock);
	}
	/* Keep the mask in the object: clang drops it as redundant after the
	 * test above, and older verifiers (6.1) then cannot bound len. */
	barrier_var(len);
	len &= LT_PATH_MAX - 1;
	bpf_probe_read_kernel(ev->path, len, &sc->buf[off & LT_BUF_MASK]);
	ev->path[len] = '\0';
	ev->path_len = len;
	lt_fill_task(ev, task);
	size = sizeof(*ev) + len + 1;
	if (sc->deny_valid) {
		/* The LSM tier's refusal: after path[], 8-byte aligned. */
		struct lt_deny *d = lt_slot_deny(&sc->deny);
		__u32 doff = (size + 7) & ~7u, dlen = d->path_len;

		barrier_var(dlen);
		dlen &= LT_PATH_MAX - 1;
		bpf_probe_read_kernel(&sc->rec[doff], sizeof(*d) + dlen + 1, d);
		ev->ev_flags |= LT_EVF_HAVE_DENY;
		size = doff + sizeof(*d) + dlen + 1;
		sc->deny_valid = 0;
	}
	if (sc->remote_valid) {
		/* A network filesystem's answer: last, 8-byte aligned. */
		__u32 roff = (size + 7) & ~7u;

		if (roff <= LT_REC_MAX - sizeof(struct lt_remote)) {
			bpf_probe_read_kernel(&sc->rec[roff], sizeof(struct lt_remote),
					      &sc->remote);
			ev->ev_flags |= LT_EVF_HAVE_REMOTE;
			size = roff + sizeof(struct lt_remote);
		}
		sc->remote_valid = 0;
	}
	ev->size = size;
	err = bpf_ringbuf_output(&events, ev, size, lt_wakeup());
	lt_count(err != 0);
	return 0;
}

/*
 * Apply the path filter to buf[off .. off + len), then emit. @note_only: an
 * exclusive create by a process the filters do not ask for, whose creation
 * is noted and nothing sent.
 */
static __always_inline int lt_filter_emit(struct lt_scratch *sc, struct task_struct *task,
					  __u32 off, __u32 len, bool lock_call, bool note_only,
					  bool use_loop)
{
	struct lt_event *ev = lt_ev(sc);

	if (!(lock_call && cfg_lock_calls_all)) {
		int r = lt_path_wanted(off, len, use_loop);

		if (r == LT_NOMATCH)
			return 0;
		if (r == LT_MATCH_BUDGET)
			ev->ev_flags |= LT_EVF_MATCH_UNSURE;
	}
	/* A lock file created by this open: its creator explains a later
	 * refusal. Only the creation is of interest unless --all, or when the
	 * creating process is not one the filters ask for. */
	if (!lock_call && ev->ret >= 0 &&
	    (ev->open_flags & (LT_O_CREAT | LT_O_EXCL)) == (LT_O_CREAT | LT_O_EXCL)) {
		lt_note_creator(ev->ret);
		if (!cfg_all || note_only)
			return 0;
	}
	return lt_emit(sc, task, off, len);
}

#endif /* LOCKTRACE_EVENT_BPF_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * LSM tier: a refusal record (struct lt_deny), from the check that
 * returned the error to the system-call exit that reports it. Built in an
 * fexit workspace of its own (bpf/scratch.bpf.h): the object refused, its
 * path as the process sees it (or within its filesystem), the name being
 * created; kept per thread (denials) and taken, at most once, by the
 * call's exit.
 */
#ifndef LOCKTRACE_DENY_BPF_H
#define LOCKTRACE_DENY_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "locktrace.h"
#include "filter.bpf.h"
#include "maps.bpf.h"
#include "path.bpf.h"
#include "scratch.bpf.h"
#include "syscalls.bpf.h"

/*
 * Is a refusal of the current thread worth keeping: inside a traced system
 * call of a process the filters ask for? *nr is the call.
 */
static __always_inline bool lt_deny_wanted(__u32 *nr)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct pt_regs *regs;
	long n;

	if (task->flags & PF_KTHREAD)
		return false;
	regs = (struct pt_regs *)bpf_task_pt_regs(task);
	n = LT_SYSCALL_NR(regs);
	if ((!lt_maybe_traced_nr(n) && !lt_maybe_io_nr(n)) ||
	    !lt_sys_of(n, lt_in_compat_syscall(task)))
		return false;
	*nr = n;
	return lt_task_wanted(bpf_get_current_pid_tgid() >> 32);
}

/*
 * Take a free fexit workspace of this CPU; NULL, counted, while programs of
 * other tasks have them all (each preempted half-way through its record).
 * Add, then look: an atomic add cannot be split by preemption, so of the
 * programs racing for one workspace on a CPU at most one sees 1, and those
 * that see more give way.
 */
static __always_inline struct lt_scratch *lt_ws_take(void)
{
	int i;

#pragma unroll
	for (i = 0; i < LT_WS_FEXIT_N; i++) {
		__u32 key = LT_WS_FEXIT + i;
		struct lt_scratch *sc = bpf_map_lookup_elem(&scratch, &key);

		if (!sc)
			break;
		__sync_fetch_and_add(&sc->busy, 1);
		if (*(volatile __u32 *)&sc->busy == 1) {
			sc->ws = key;
			return sc;
		}
		__sync_fetch_and_add(&sc->busy, -1);
	}
	LT_LOSS(workspace_busy);
	return NULL;
}

/* Give back a workspace lt_ws_take() gave. */
static __always_inline void lt_ws_give(struct lt_scratch *sc)
{
	__sync_fetch_and_add(&sc->busy, -1);
}

/* Start a refusal record in the fexit workspace, which the caller then has
 * until lt_deny_commit(); NULL: not wanted, or the workspace is busy. */
static __always_inline struct lt_scratch *lt_deny_begin(__u32 hook, int ret, __u32 mask)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), nr;
	struct lt_module_verdict *v;
	struct lt_scratch *sc;
	struct lt_deny *d;

	if (!lt_deny_wanted(&nr))
		return NULL;
	sc = lt_ws_take();
	if (!sc)
		return NULL;
	d = lt_slot_deny(&sc->deny);
	__builtin_memset(d, 0, sizeof(*d));
	sc->deny.nr = nr;
	d->hook = hook;
	d->ret = ret;
	d->mask = mask;
	if (hook == LT_HOOK_INODE_PERMISSION) {
		d->lsm = LT_LSM_NONE;
	} else {
		/* The module whose own hook function just returned this. */
		v = bpf_map_lookup_elem(&module_verdicts, &tid);
		d->lsm = v && v->ret == ret ? v->lsm : LT_LSM_UNKNOWN;
		if (v)
			bpf_map_delete_elem(&module_verdicts, &tid);
	}
	return sc;
}

/* The object refused: @inode's number, device, mode, owner and flags. */
static __always_inline void lt_deny_inode(struct lt_scratch *sc, struct inode *inode)
{
	struct lt_deny *d = lt_slot_deny(&sc->deny);

	d->ino = BPF_CORE_READ(inode, i_ino);
	d->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	d->i_mode = BPF_CORE_READ(inode, i_mode);
	d->i_uid = BPF_CORE_READ(inode, i_uid.val);
	d->i_gid = BPF_CORE_READ(inode, i_gid.val);
	d->i_flags = BPF_CORE_READ(inode, i_flags);
}

/* Copy the walk's result, buf[off .. end), to the record's path[]. */
static __always_inline void lt_deny_copy_path(struct lt_scratch *sc, __u32 end)
{
	struct lt_deny *d = lt_slot_deny(&sc->deny);
	__u32 off = sc->walk.off, len;

	if (sc->walk.truncated)
		d->flags |= LT_DENY_PATH_TRUNCATED;
	if (off >= LT_HALF && end <= LT_HALF) { /* the root directory */
		off = LT_HALF - 1;
		sc->buf[off] = '/';
	}
	if (off > LT_HALF)
		off = LT_HALF;
	len = end > off ? end - off : 0;
	if (len > LT_PATH_MAX - 1) {
		off += len - (LT_PATH_MAX - 1);
		len = LT_PATH_MAX - 1;
		d->flags |= LT_DENY_PATH_TRUNCATED;
	}
	barrier_var(len);
	len &= LT_PATH_MAX - 1;
	bpf_probe_read_kernel(d->path, len, &sc->buf[off & LT_BUF_MASK]);
	d->path[len] = '\0';
	d->path_len = len;
}

/*
 * A pointer as a plain number: the global function lt_walk_path() takes
 * scalars, and the verifier types the arguments of fexit programs (and what
 * is reached through them) as kernel pointers.
 */
static __always_inline __u64 lt_scalar(const void *p)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), &p);
	return v;
}

/* Name the object at struct path @p (with its mount: as the process sees it). */
static __always_inline void lt_deny_walk(struct lt_scratch *sc, const struct path *p)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct fs_struct *fs = BPF_CORE_READ(task, fs);

	lt_walk_path(lt_scalar(p), (__u64)__builtin_preserve_access_index(&fs->root), sc->ws);
}

/*
 * Name @inode. The path walk in progress (current->nameidata) is at it when
 * a directory on the way or the file being opened is refused: that names it
 * as the process sees it. Otherwise its first dentry, named within its own
 * filesystem.
 */
static __always_inline void lt_deny_walk_inode(struct lt_scratch *sc, struct inode *inode)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct nameidata *nd = NULL;
	struct hlist_node *alias;

	if (bpf_core_field_exists(task->nameidata))
		nd = BPF_CORE_READ(task, nameidata);
	if (nd && BPF_CORE_READ(nd, path.dentry, d_inode) == inode) {
		lt_deny_walk(sc, __builtin_preserve_access_index(&nd->path));
		return;
	}
	alias = BPF_CORE_READ(inode, i_dentry.first);
	sc->fake_path.mnt = NULL;
	sc->fake_path.dentry = alias ? (void *)((char *)alias -
						bpf_core_field_offset(struct dentry, d_u.d_alias)) :
				       NULL;
	lt_slot_deny(&sc->deny)->flags |= LT_DENY_PATH_IN_FS;
	if (!alias) {
		sc->walk.off = LT_HALF;
		sc->walk.truncated = 1;
		return;
	}
	lt_deny_walk(sc, &sc->fake_path);
}

/* Creation hooks: the walk named the directory; add "/name". */
static __always_inline __u32 lt_deny_add_name(struct lt_scratch *sc, struct dentry *dentry)
{
	struct lt_deny *d = lt_slot_deny(&sc->deny);
	struct qstr name = BPF_CORE_READ(dentry, d_name);
	__u32 off = sc->walk.off, len = name.len;

	if (len > LT_NAME_MAX)
		len = LT_NAME_MAX;
	if (off > LT_HALF)
		off = LT_HALF;
	sc->buf[LT_HALF] = '/';
	bpf_probe_read_kernel(&sc->buf[LT_HALF + 1], len & LT_NAME_MAX, name.name);
	d->flags |= LT_DENY_HAS_NAME;
	d->name_off = LT_HALF + 1 - off;
	return LT_HALF + 1 + (len & LT_NAME_MAX);
}

/* Keep the record for this thread's system-call exit; the workspace is
 * given back. */
static __always_inline void lt_deny_commit(struct lt_scratch *sc)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	bool had = bpf_map_lookup_elem(&denials, &tid) != NULL;

	if (bpf_map_update_elem(&denials, &tid, &sc->deny, BPF_ANY))
		LT_LOSS(denials_full);
	else if (!had)
		__sync_fetch_and_add(&denials_pending, 1);
	lt_ws_give(sc);
}

/*
 * At system-call exit (@nr, @ret): take this thread's refusal, if any, into
 * the workspace; true if it explains this failure. Whatever comes of the
 * call, the record goes: none is left to be mistaken for a later call's.
 */
static __always_inline bool lt_take_denial(long nr, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct lt_deny_slot *slot = bpf_map_lookup_elem(&denials, &tid);
	struct lt_scratch *sc;
	bool ok = false;

	if (!slot)
		return false;
	if (slot->nr == nr && ret < 0 && lt_slot_deny(slot)->ret == ret) {
		sc = bpf_map_lookup_elem(&scratch, &ws_tp);
		if (sc) {
			bpf_probe_read_kernel(&sc->deny, sizeof(sc->deny), slot);
			ok = true;
		}
	}
	if (!bpf_map_delete_elem(&denials, &tid))
		__sync_fetch_and_add(&denials_pending, -1);
	return ok;
}

#endif /* LOCKTRACE_DENY_BPF_H */

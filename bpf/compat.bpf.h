/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Kernel structures that changed shape between versions: the older
 * flavour of each, and the readers that pick the one the running kernel
 * has (bpf_core_field_exists, settled by the loader from its BTF), each
 * with the change. The rest of the kernel side reads through these and
 * never asks which kernel it runs on.
 */
#ifndef LOCKTRACE_COMPAT_BPF_H
#define LOCKTRACE_COMPAT_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "maps.bpf.h"

/* ---- struct file_lock: v6.9 ------------------------------------------ */

/*
 * struct file_lock before v6.9. The v6.9 change "filelock: split common
 * fields into struct file_lock_core" moved fl_blocker, fl_list, fl_owner,
 * fl_flags, fl_type, fl_pid and fl_file into an embedded struct
 * file_lock_core c (flc_blocker, flc_list, flc_owner ...); fl_start and
 * fl_end stayed. The running kernel's BTF decides which one the loader
 * relocates.
 */
struct file_lock___pre69 {
	struct file_lock___pre69 *fl_blocker;
	struct list_head fl_list;
	void *fl_owner;
	unsigned int fl_flags;
	unsigned char fl_type;
	int fl_pid;
	struct file *fl_file;
	long long fl_start;
	long long fl_end;
} __attribute__((preserve_access_index));

/* The pid of the lock that blocks request @fl (0 if none): flc_blocker,
 * fl_blocker before v6.9. */
static __always_inline __u32 lt_file_lock_blocker_pid(const struct file_lock *fl)
{
	if (bpf_core_field_exists(fl->c)) {
		struct file_lock_core *b = BPF_CORE_READ(fl, c.flc_blocker);

		return b ? BPF_CORE_READ(b, flc_pid) : 0;
	} else {
		const struct file_lock___pre69 *old = (const void *)fl;
		struct file_lock___pre69 *b = BPF_CORE_READ(old, fl_blocker);

		return b ? BPF_CORE_READ(b, fl_pid) : 0;
	}
}

/* A request's own fields, as a filelock tracepoint saw it (@out's ret and
 * holder_pid are the caller's). */
static __always_inline void lt_read_file_lock(const struct file_lock *fl, struct lt_fl_facts *out)
{
	if (bpf_core_field_exists(fl->c)) {
		out->flags = BPF_CORE_READ(fl, c.flc_flags);
		out->type = BPF_CORE_READ(fl, c.flc_type);
		out->pid = BPF_CORE_READ(fl, c.flc_pid);
	} else {
		const struct file_lock___pre69 *old = (const void *)fl;

		out->flags = BPF_CORE_READ(old, fl_flags);
		out->type = BPF_CORE_READ(old, fl_type);
		out->pid = BPF_CORE_READ(old, fl_pid);
	}
	out->start = BPF_CORE_READ(fl, fl_start);
	out->end = BPF_CORE_READ(fl, fl_end);
}

/* What decides a conflict between two locks (bpf/lockconflict.bpf.h). */
struct lt_lock_view {
	__u64 owner;
	__u64 file;
	__s64 start;
	__s64 end;
	__u32 type;
	__s32 pid;
};

static __always_inline void lt_lock_view(const struct file_lock *fl, struct lt_lock_view *v)
{
	if (bpf_core_field_exists(fl->c)) {
		v->owner = (__u64)BPF_CORE_READ(fl, c.flc_owner);
		v->file = (__u64)BPF_CORE_READ(fl, c.flc_file);
		v->type = BPF_CORE_READ(fl, c.flc_type);
		v->pid = BPF_CORE_READ(fl, c.flc_pid);
	} else {
		const struct file_lock___pre69 *old = (const void *)fl;

		v->owner = (__u64)BPF_CORE_READ(old, fl_owner);
		v->file = (__u64)BPF_CORE_READ(old, fl_file);
		v->type = BPF_CORE_READ(old, fl_type);
		v->pid = BPF_CORE_READ(old, fl_pid);
	}
	v->start = BPF_CORE_READ(fl, fl_start);
	v->end = BPF_CORE_READ(fl, fl_end);
}

/* Where the list node is in a struct file_lock like @fl (c.flc_list,
 * fl_list before v6.9): the offset from a list entry back to its lock. */
static __always_inline __u64 lt_file_lock_list_off(const struct file_lock *fl)
{
	if (bpf_core_field_exists(fl->c))
		return bpf_core_field_offset(struct file_lock, c.flc_list);
	else
		return bpf_core_field_offset(struct file_lock___pre69, fl_list);
}

/* ---- kernel_cap_t: v6.3 ---------------------------------------------- */

/*
 * kernel_cap_t is a u64 since v6.3 ("capability: just use a 'u64' instead
 * of a 'u32[2]' array"), and a __u32 cap[2] before. Both are the same 8
 * little-endian bytes, lowest capability first, so one 8-byte read serves
 * both layouts.
 */
static __always_inline __u64 lt_read_cap_eff(const struct cred *cred)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), &cred->cap_effective);
	return v;
}

#endif /* LOCKTRACE_COMPAT_BPF_H */

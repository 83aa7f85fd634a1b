/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Where kernels differ: struct flavours for renamed fields, and the
 * architecture's system-call numbers and argument registers.
 */
#ifndef LOCKTRACE_COMPAT_BPF_H
#define LOCKTRACE_COMPAT_BPF_H

#include <bpf/bpf_core_read.h>
#include "locktrace.h"

/*
 * struct file_lock before v6.9. The v6.9 change "filelock: split
 * common fields into struct file_lock_core" moved fl_flags, fl_type and
 * fl_pid into an embedded struct file_lock_core c (flc_flags, flc_type,
 * flc_pid). The running kernel's BTF decides which one the loader relocates.
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

#define LT_F_WRLCK 1
/* Locks on an inode looked at for a conflict, at most. */
#define LT_MAX_LOCK_WALK 16

/* What decides a conflict between two locks. */
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

/*
 * The process holding a lock on @inode that conflicts with request @req,
 * 0 if none is seen: the inode's flock (or POSIX and OFD) list, walked as
 * the kernel's flock_locks_conflict() / posix_locks_conflict() would, read
 * just after the lock layer refused (its list lock is dropped by then: a
 * lock released in between is simply not found). Only on failures: no
 * bookkeeping of every lock taken.
 */
static __always_inline __u32 lt_conflicting_pid(struct inode *inode, const struct file_lock *req,
						bool posix)
{
	struct file_lock_context *ctx = BPF_CORE_READ(inode, i_flctx);
	struct lt_lock_view r = {}, s = {};
	struct list_head *head, *pos;
	__u64 off;
	int i;

	if (!ctx || !req)
		return 0;
	lt_lock_view(req, &r);
	if (posix)
		head = __builtin_preserve_access_index(&ctx->flc_posix);
	else
		head = __builtin_preserve_access_index(&ctx->flc_flock);
	if (bpf_core_field_exists(req->c))
		off = bpf_core_field_offset(struct file_lock, c.flc_list);
	else
		off = bpf_core_field_offset(struct file_lock___pre69, fl_list);
	pos = BPF_CORE_READ(head, next);
	for (i = 0; i < LT_MAX_LOCK_WALK && pos && pos != head; i++) {
		const struct file_lock *fl = (const void *)((char *)pos - off);

		lt_lock_view(fl, &s);
		if ((r.type == LT_F_WRLCK || s.type == LT_F_WRLCK) &&
		    (posix ? s.owner != r.owner && r.start <= s.end && s.start <= r.end :
			     s.file != r.file))
			return s.pid > 0 ? (__u32)s.pid : 0;
		pos = BPF_CORE_READ(pos, next);
	}
	return 0;
}

/*
 * kernel_cap_t is a u64 since v6.3 ("capability: just
 * use a 'u64' instead of a 'u32[2]' array"), and a __u32 cap[2] before.
 * Both are the same 8 little-endian bytes, lowest capability first, so one
 * 8-byte read serves both layouts.
 */
static __always_inline __u64 lt_read_cap_eff(const struct cred *cred)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), &cred->cap_effective);
	return v;
}

/*
 * System-call numbers and arguments. At raw_syscalls:sys_exit the saved
 * user registers still hold the arguments (the return value goes to ax,
 * the number stays in orig_ax), so no entry probe is needed.
 *
 * Three ABIs reach the same kernel: the native one; ia32 (a 32-bit
 * process, thread_info.status TS_COMPAT), with its own numbers, its
 * arguments in bx, cx, dx, si, di, and its own struct flock layouts; and
 * x32 (the native numbers with __X32_SYSCALL_BIT set, native registers
 * and structures, where the kernel has it).
 */
#if defined(__TARGET_ARCH_x86)
#define LT_NR_OPEN 2
#define LT_NR_CREAT 85
#define LT_NR_FLOCK 73
#define LT_NR_FCNTL 72
#define LT_NR_OPENAT 257
#define LT_NR_OPENAT2 437
/* arch/x86/entry/syscalls/syscall_32.tbl */
#define LT_NR_IA32_OPEN 5
#define LT_NR_IA32_CREAT 8
#define LT_NR_IA32_FCNTL 55
#define LT_NR_IA32_FLOCK 143
#define LT_NR_IA32_FCNTL64 221
#define LT_NR_IA32_OPENAT 295
#define LT_NR_IA32_OPENAT2 437
#define LT_X32_SYSCALL_BIT 0x40000000
#define LT_SYSCALL_NR(regs) ((regs)->orig_ax)

/* Argument @n (1-4) of the system call in @regs. */
static __always_inline unsigned long lt_arg(const struct pt_regs *regs, bool ia32, int n)
{
	if (ia32) {
		/* Zero-extended 32-bit values. */
		if (n == 1)
			return (__u32)regs->bx;
		if (n == 2)
			return (__u32)regs->cx;
		if (n == 3)
			return (__u32)regs->dx;
		return (__u32)regs->si;
	}
	if (n == 1)
		return regs->di;
	if (n == 2)
		return regs->si;
	if (n == 3)
		return regs->dx;
	return regs->r10;
}

/* thread_info.status bit of a 32-bit (ia32) system call:
 * arch/x86/include/asm/thread_info.h TS_COMPAT. */
#define LT_TS_COMPAT 0x0002

/* struct compat_flock and struct compat_flock64 (x86: packed). */
struct lt_compat_flock {
	short l_type;
	short l_whence;
	__s32 l_start;
	__s32 l_len;
	__s32 l_pid;
};

struct lt_compat_flock64 {
	short l_type;
	short l_whence;
	__s64 l_start;
	__s64 l_len;
	__s32 l_pid;
} __attribute__((packed));
#else
#error "locktrace: only x86_64 is supported so far (system-call table in bpf/compat.bpf.h)"
#endif

static __always_inline bool lt_in_compat_syscall(struct task_struct *task)
{
	return BPF_CORE_READ(task, thread_info.status) & LT_TS_COMPAT;
}

/* The traced call (enum lt_syscall) that @nr is in its ABI, 0 if none. */
static __always_inline __u32 lt_sys_of(long nr, bool ia32)
{
	if (ia32) {
		switch (nr) {
		case LT_NR_IA32_OPEN:
			return LT_SYS_OPEN;
		case LT_NR_IA32_CREAT:
			return LT_SYS_CREAT;
		case LT_NR_IA32_OPENAT:
			return LT_SYS_OPENAT;
		case LT_NR_IA32_OPENAT2:
			return LT_SYS_OPENAT2;
		case LT_NR_IA32_FLOCK:
			return LT_SYS_FLOCK;
		case LT_NR_IA32_FCNTL:
			return LT_SYS_FCNTL;
		case LT_NR_IA32_FCNTL64:
			return LT_SYS_FCNTL64;
		}
		return 0;
	}
	switch (nr & ~LT_X32_SYSCALL_BIT) {
	case LT_NR_OPEN:
		return LT_SYS_OPEN;
	case LT_NR_CREAT:
		return LT_SYS_CREAT;
	case LT_NR_OPENAT:
		return LT_SYS_OPENAT;
	case LT_NR_OPENAT2:
		return LT_SYS_OPENAT2;
	case LT_NR_FLOCK:
		return LT_SYS_FLOCK;
	case LT_NR_FCNTL:
		return LT_SYS_FCNTL;
	}
	return 0;
}

/* Might @nr be a traced call in some ABI (before the ABI is known)? */
static __always_inline bool lt_maybe_traced_nr(long nr)
{
	return lt_sys_of(nr, false) || lt_sys_of(nr, true);
}

/* Might @nr be a lock call in some ABI? */
static __always_inline bool lt_maybe_lock_nr(long nr)
{
	return lt_sys_is_lock(lt_sys_of(nr, false)) || lt_sys_is_lock(lt_sys_of(nr, true));
}

#endif /* LOCKTRACE_COMPAT_BPF_H */

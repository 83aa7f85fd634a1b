/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The traced system calls in each ABI that reaches the kernel: their
 * numbers, where their arguments are at raw_syscalls:sys_exit, the ia32
 * struct flock layouts, and which enum lt_syscall a number is.
 */
#ifndef LOCKTRACE_SYSCALLS_BPF_H
#define LOCKTRACE_SYSCALLS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "locktrace.h"

/*
 * At raw_syscalls:sys_exit the saved user registers still hold the
 * arguments (the return value goes to ax, the number stays in orig_ax), so
 * no entry probe is needed.
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
#error "locktrace: only x86_64 is supported so far (system-call table in bpf/syscalls.bpf.h)"
#endif

/* Is @task in a 32-bit (ia32) system call? */
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

#endif /* LOCKTRACE_SYSCALLS_BPF_H */

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
/* I/O after open (arch/x86/entry/syscalls/syscall_64.tbl) */
#define LT_NR_READ 0
#define LT_NR_WRITE 1
#define LT_NR_PREAD64 17
#define LT_NR_PWRITE64 18
#define LT_NR_READV 19
#define LT_NR_WRITEV 20
#define LT_NR_TRUNCATE 76
#define LT_NR_FTRUNCATE 77
#define LT_NR_FALLOCATE 285
#define LT_NR_PREADV 295
#define LT_NR_PWRITEV 296
#define LT_NR_PREADV2 327
#define LT_NR_PWRITEV2 328
/* arch/x86/entry/syscalls/syscall_32.tbl */
#define LT_NR_IA32_OPEN 5
#define LT_NR_IA32_CREAT 8
#define LT_NR_IA32_FCNTL 55
#define LT_NR_IA32_FLOCK 143
#define LT_NR_IA32_FCNTL64 221
#define LT_NR_IA32_OPENAT 295
#define LT_NR_IA32_OPENAT2 437
#define LT_NR_IA32_READ 3
#define LT_NR_IA32_WRITE 4
#define LT_NR_IA32_TRUNCATE 92
#define LT_NR_IA32_FTRUNCATE 93
#define LT_NR_IA32_READV 145
#define LT_NR_IA32_WRITEV 146
#define LT_NR_IA32_PREAD64 180
#define LT_NR_IA32_PWRITE64 181
#define LT_NR_IA32_TRUNCATE64 193
#define LT_NR_IA32_FTRUNCATE64 194
#define LT_NR_IA32_FALLOCATE 324
#define LT_NR_IA32_PREADV 333
#define LT_NR_IA32_PWRITEV 334
#define LT_NR_IA32_PREADV2 378
#define LT_NR_IA32_PWRITEV2 379
#define LT_X32_SYSCALL_BIT 0x40000000
#define LT_SYSCALL_NR(regs) ((regs)->orig_ax)

/* Argument @n (1-6) of the system call in @regs. */
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
		if (n == 4)
			return (__u32)regs->si;
		if (n == 5)
			return (__u32)regs->di;
		return (__u32)regs->bp;
	}
	if (n == 1)
		return regs->di;
	if (n == 2)
		return regs->si;
	if (n == 3)
		return regs->dx;
	if (n == 4)
		return regs->r10;
	if (n == 5)
		return regs->r8;
	return regs->r9;
}

/* A 64-bit file offset or length passed from argument @n: one register
 * natively; in ia32, its low half in @n and its high half in @n + 1 (the
 * kernel's ia32_pread64, ia32_fallocate, compat preadv ...). */
static __always_inline __s64 lt_arg64(const struct pt_regs *regs, bool ia32, int n)
{
	if (ia32)
		return (__s64)(lt_arg(regs, true, n) | (__u64)lt_arg(regs, true, n + 1) << 32);
	return (__s64)lt_arg(regs, false, n);
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

/* What I/O call @sys asked, from its arguments in its ABI, into @ev's io_*
 * fields (struct lt_event). */
static __always_inline void lt_io_args(struct lt_event *ev, const struct pt_regs *regs, bool ia32,
				       __u32 sys)
{
	switch (sys) {
	case LT_SYS_TRUNCATE:
	case LT_SYS_FTRUNCATE:
		/* A long natively; a compat_off_t (32 bits, signed) in ia32. */
		ev->io_off = ia32 ? (__s64)(__s32)lt_arg(regs, true, 2) :
				    (__s64)lt_arg(regs, false, 2);
		break;
	case LT_SYS_TRUNCATE64:
	case LT_SYS_FTRUNCATE64:
		ev->io_off = lt_arg64(regs, ia32, 2);
		break;
	case LT_SYS_FALLOCATE:
		ev->io_flags = lt_arg(regs, ia32, 2);
		ev->io_off = lt_arg64(regs, ia32, 3);
		ev->io_len = lt_arg64(regs, ia32, ia32 ? 5 : 4);
		break;
	case LT_SYS_PWRITE64:
	case LT_SYS_PREAD64:
	case LT_SYS_PWRITEV:
	case LT_SYS_PREADV:
		/* preadv, pwritev: natively the position is all in pos_l. */
		ev->io_len = lt_arg(regs, ia32, 3);
		ev->io_off = lt_arg64(regs, ia32, 4);
		break;
	case LT_SYS_PWRITEV2:
	case LT_SYS_PREADV2:
		ev->io_len = lt_arg(regs, ia32, 3);
		ev->io_off = lt_arg64(regs, ia32, 4);
		ev->io_flags = lt_arg(regs, ia32, 6);
		break;
	default: /* read, write: bytes; readv, writev: iovecs */
		ev->io_len = lt_arg(regs, ia32, 3);
		break;
	}
}

/* Is @task in a 32-bit (ia32) system call? */
static __always_inline bool lt_in_compat_syscall(struct task_struct *task)
{
	return BPF_CORE_READ(task, thread_info.status) & LT_TS_COMPAT;
}

/* The open or lock call (enum lt_syscall) that @nr is in its ABI, 0 if
 * none. */
static __always_inline __u32 lt_open_lock_of(long nr, bool ia32)
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

/* The I/O call (enum lt_syscall, lt_sys_is_io) that @nr is in its ABI, 0
 * if none. (x32 has numbers of its own for the vector calls: not these.) */
static __always_inline __u32 lt_io_of(long nr, bool ia32)
{
	if (ia32) {
		switch (nr) {
		case LT_NR_IA32_TRUNCATE:
			return LT_SYS_TRUNCATE;
		case LT_NR_IA32_FTRUNCATE:
			return LT_SYS_FTRUNCATE;
		case LT_NR_IA32_TRUNCATE64:
			return LT_SYS_TRUNCATE64;
		case LT_NR_IA32_FTRUNCATE64:
			return LT_SYS_FTRUNCATE64;
		case LT_NR_IA32_WRITE:
			return LT_SYS_WRITE;
		case LT_NR_IA32_PWRITE64:
			return LT_SYS_PWRITE64;
		case LT_NR_IA32_WRITEV:
			return LT_SYS_WRITEV;
		case LT_NR_IA32_PWRITEV:
			return LT_SYS_PWRITEV;
		case LT_NR_IA32_PWRITEV2:
			return LT_SYS_PWRITEV2;
		case LT_NR_IA32_READ:
			return LT_SYS_READ;
		case LT_NR_IA32_PREAD64:
			return LT_SYS_PREAD64;
		case LT_NR_IA32_READV:
			return LT_SYS_READV;
		case LT_NR_IA32_PREADV:
			return LT_SYS_PREADV;
		case LT_NR_IA32_PREADV2:
			return LT_SYS_PREADV2;
		case LT_NR_IA32_FALLOCATE:
			return LT_SYS_FALLOCATE;
		}
		return 0;
	}
	switch (nr & ~LT_X32_SYSCALL_BIT) {
	case LT_NR_TRUNCATE:
		return LT_SYS_TRUNCATE;
	case LT_NR_FTRUNCATE:
		return LT_SYS_FTRUNCATE;
	case LT_NR_WRITE:
		return LT_SYS_WRITE;
	case LT_NR_PWRITE64:
		return LT_SYS_PWRITE64;
	case LT_NR_WRITEV:
		return LT_SYS_WRITEV;
	case LT_NR_PWRITEV:
		return LT_SYS_PWRITEV;
	case LT_NR_PWRITEV2:
		return LT_SYS_PWRITEV2;
	case LT_NR_READ:
		return LT_SYS_READ;
	case LT_NR_PREAD64:
		return LT_SYS_PREAD64;
	case LT_NR_READV:
		return LT_SYS_READV;
	case LT_NR_PREADV:
		return LT_SYS_PREADV;
	case LT_NR_PREADV2:
		return LT_SYS_PREADV2;
	case LT_NR_FALLOCATE:
		return LT_SYS_FALLOCATE;
	}
	return 0;
}

/* The traced call (enum lt_syscall) that @nr is in its ABI, 0 if none. */
static __always_inline __u32 lt_sys_of(long nr, bool ia32)
{
	__u32 sys = lt_open_lock_of(nr, ia32);

	return sys ? sys : lt_io_of(nr, ia32);
}

/* Might @nr be an open or a lock call in some ABI (before the ABI is
 * known)? These are traced whatever their result. */
static __always_inline bool lt_maybe_traced_nr(long nr)
{
	return lt_open_lock_of(nr, false) || lt_open_lock_of(nr, true);
}

/* Might @nr be an I/O call in some ABI? These are traced when they fail. */
static __always_inline bool lt_maybe_io_nr(long nr)
{
	return lt_io_of(nr, false) || lt_io_of(nr, true);
}

/* Might @nr be a lock call in some ABI? */
static __always_inline bool lt_maybe_lock_nr(long nr)
{
	return lt_sys_is_lock(lt_sys_of(nr, false)) || lt_sys_is_lock(lt_sys_of(nr, true));
}

#endif /* LOCKTRACE_SYSCALLS_BPF_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * System-call exits: raw_syscalls:sys_exit, every system call of the
 * machine (raw plan), or the traced calls' own exit tracepoints (syscalls
 * plan): the hot path that lets all but a few out after a compare or two,
 * then which call it
 * was (number and ABI), the process filters, and the handler of an open,
 * a lock call or a failed I/O call. The end of a lock call's wait record,
 * of the LSM tier's refusal record and of a network filesystem's answer
 * are here too: whatever comes of the call, none is left behind.
 */
#ifndef LOCKTRACE_SYSEXIT_BPF_H
#define LOCKTRACE_SYSEXIT_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "locktrace.h"
#include "deny.bpf.h"
#include "filter.bpf.h"
#include "io.bpf.h"
#include "lockcall.bpf.h"
#include "maps.bpf.h"
#include "netfs.bpf.h"
#include "open.bpf.h"
#include "syscalls.bpf.h"

/* Kernel-internal restart codes: the call is retried, user space never
 * sees them (include/linux/errno.h). */
#define ERESTARTSYS 512
#define ERESTART_RESTARTBLOCK 516
#define EAGAIN 11

/*
 * An I/O call's result worth going on for: a failure, but not EAGAIN
 * (EWOULDBLOCK), a non-blocking descriptor's "not now": what every event
 * loop gets from its pipes and sockets millions of times, and a regular
 * file only when the caller asked not to wait (RWF_NOWAIT). Tested on the
 * number alone, before the file is looked at.
 */
static __always_inline bool lt_io_ret_wanted(long ret)
{
	return ret < 0 && ret != -EAGAIN;
}

/* An open that creates its file exclusively: a lock file's creation. Native
 * numbers and registers; the caller checks the call was a native one. */
static __always_inline bool lt_excl_create(long nr, struct pt_regs *regs)
{
	if (nr == LT_NR_OPENAT)
		return (lt_arg(regs, false, 3) & (LT_O_CREAT | LT_O_EXCL)) ==
		       (LT_O_CREAT | LT_O_EXCL);
	if (nr == LT_NR_OPEN)
		return (lt_arg(regs, false, 2) & (LT_O_CREAT | LT_O_EXCL)) ==
		       (LT_O_CREAT | LT_O_EXCL);
	return false;
}

/* A thread's wait record ends with the lock call that made it, whatever
 * comes of the call (restarted, interrupted, filtered out): none is left
 * behind to be mistaken for a later call's wait. */
static __always_inline bool lt_end_wait(struct lt_wait *out)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct lt_wait *w = bpf_map_lookup_elem(&lock_waits, &tid);

	if (!w)
		return false;
	*out = *w;
	if (!bpf_map_delete_elem(&lock_waits, &tid))
		__sync_fetch_and_add(&waits_pending, -1);
	return true;
}

/* Everything past the hot path (lt_on_sys_exit). */
static __always_inline int lt_sys_exit_slow(struct pt_regs *regs, long ret, long nr, bool use_loop)
{
	struct lt_wait wait = {};
	bool creating, denied, ia32, note_only = false, waited = false;
	__u32 sys, tgid;

	/* LSM tier: a check refused something during this call. */
	denied = denials_pending && lt_take_denial(nr, ret);
	/* A network filesystem answered during this call: kept for its
	 * record (lt_begin) if it explains the failure, else ended here. */
	if (remotes_pending)
		lt_remote_end(nr, ret);
	creating = ret >= 0 && lt_excl_create(nr, regs);
	/* Successes matter only with --all, when a lock call waited, or when
	 * an open created a file exclusively (a lock file's creator). */
	if (ret >= 0 && !cfg_all && !creating && (!waits_pending || !lt_maybe_lock_nr(nr)))
		return 0;
	if (!lt_maybe_traced_nr(nr) && (!lt_io_ret_wanted(ret) || !lt_maybe_io_nr(nr)))
		return 0;
	/* Which ABI: the numbers mean other calls in each. (creating read
	 * the native open's arguments: an ia32 call of its number is none of
	 * ours, sys 0.) */
	ia32 = lt_in_compat_syscall((void *)bpf_get_current_task());
	sys = lt_sys_of(nr, ia32);
	/* An I/O call only when it failed (not EAGAIN), --all or not: not
	 * every read and write of the machine. */
	if (!sys || (lt_sys_is_io(sys) && !lt_io_ret_wanted(ret)))
		return 0;
	/* A lock call's wait record ends with it, in every ABI and whatever
	 * comes of the call: none may be left behind. */
	if (lt_sys_is_lock(sys) && waits_pending)
		waited = lt_end_wait(&wait);
	if (ret <= -ERESTARTSYS && ret >= -ERESTART_RESTARTBLOCK)
		return 0; /* restarted, not a failure the process sees */
	tgid = bpf_get_current_pid_tgid() >> 32;
	if (tgid == cfg_self_tgid)
		return 0;
	/* An exclusive create is noted whichever process made it; everything
	 * else is filtered. Only a native open or openat counts as one
	 * (lt_excl_create; without --all the hot path lets no other success
	 * through): an ia32, x32 or openat2 exclusive create is not noted. */
	if (!lt_task_wanted(tgid)) {
		if (!creating)
			return 0;
		note_only = true;
	}

	if (sys == LT_SYS_FLOCK)
		return lt_on_flock(regs, ia32, ret, waited ? &wait : NULL, denied, use_loop);
	if (lt_sys_fcntl(sys))
		return lt_on_fcntl(regs, ia32, sys, ret, waited ? &wait : NULL, denied, use_loop);
	if (lt_sys_is_io(sys) && !lt_sys_by_name(sys))
		return lt_on_io(regs, ia32, ret, sys, denied, use_loop);
	/* An open, or truncate by name. */
	return lt_on_open(regs, ia32, ret, sys, denied, note_only, use_loop);
}

/* Calls of their own: the hot path keeps its few registers, nothing is
 * spilled before its early return. The loader keeps one of the two. */
static __noinline int lt_sys_exit_slow_loop(struct pt_regs *regs, long ret, long nr)
{
	return lt_sys_exit_slow(regs, ret, nr, true);
}

static __noinline int lt_sys_exit_slow_noloop(struct pt_regs *regs, long ret, long nr)
{
	return lt_sys_exit_slow(regs, ret, nr, false);
}

/*
 * The hot path, every exit the plan sees: can call @nr, returning @ret, be
 * let go at once? Successes are, unless --all, a lock wait, a refusal (LSM
 * tier) or a network filesystem's answer is pending, or an open may be
 * creating a lock file (its creator explains a later refusal). Of the
 * failures, none but a traced number goes on (an open, a lock call, or an
 * I/O call: those only when they fail, and not with EAGAIN). A lock wait
 * ends only at a lock call's exit, a traced number. A refusal or an answer
 * is kept only during a traced number, and ended at its exit; while one is
 * kept, every exit the plan sees goes on, so that one whose own exit was
 * missed is ended at the thread's next (syscalls plan: its next traced
 * exit, or its end, lt_on_task_exit).
 */
static __always_inline bool lt_exit_let_go(long nr, long ret)
{
	if (ret >= 0 && !cfg_all && !waits_pending && !denials_pending && !remotes_pending &&
	    nr != LT_NR_OPENAT && nr != LT_NR_OPEN)
		return true;
	return !denials_pending && !remotes_pending && !lt_maybe_traced_nr(nr) &&
	       (!lt_io_ret_wanted(ret) || !lt_maybe_io_nr(nr));
}

/* raw_syscalls:sys_exit of system call @regs, returning @ret (raw plan):
 * out after a load and two compares on the hot path. */
static __always_inline int lt_on_sys_exit(struct pt_regs *regs, long ret, bool use_loop)
{
	long nr = LT_SYSCALL_NR(regs);

	if (lt_exit_let_go(nr, ret))
		return 0;
	return use_loop ? lt_sys_exit_slow_loop(regs, ret, nr) :
			  lt_sys_exit_slow_noloop(regs, ret, nr);
}

/*
 * syscalls:sys_exit_<call>'s record as a BPF program gets it
 * (kernel/trace/trace_syscalls.c, perf_call_bpf_exit): the first 8 bytes
 * hold the kernel's own pointer, then the number and the result. Only
 * native calls come here: the kernel skips ia32 calls (trace_get_syscall_nr)
 * and x32 numbers are past NR_syscalls.
 */
struct lt_sc_exit_ctx {
	__u64 __head;
	int nr;
	int __pad;
	long ret;
};

/* A per-syscall exit tracepoint (syscalls plan): only the traced numbers'
 * exits come here, and their arguments are in the saved user registers, as
 * at raw_syscalls:sys_exit. */
static __always_inline int lt_on_sc_exit(const struct lt_sc_exit_ctx *ctx, bool use_loop)
{
	long nr = ctx->nr, ret = ctx->ret;
	struct pt_regs *regs;

	if (lt_exit_let_go(nr, ret))
		return 0;
	regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	return use_loop ? lt_sys_exit_slow_loop(regs, ret, nr) :
			  lt_sys_exit_slow_noloop(regs, ret, nr);
}

/*
 * A thread ends (syscalls plan): its wait record, refusal and answer, if
 * any was left (a call whose exit the plan does not see: a 32-bit lock
 * call, a refusal during a call not traced), go with it.
 */
static __always_inline int lt_on_task_exit(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (waits_pending && !bpf_map_delete_elem(&lock_waits, &tid))
		__sync_fetch_and_add(&waits_pending, -1);
	if (denials_pending && !bpf_map_delete_elem(&denials, &tid))
		__sync_fetch_and_add(&denials_pending, -1);
	if (remotes_pending)
		lt_remote_drop(tid);
	return 0;
}

#endif /* LOCKTRACE_SYSEXIT_BPF_H */

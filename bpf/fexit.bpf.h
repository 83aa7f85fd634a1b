/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The fexit plan: trampolines on the traced calls' own entry functions
 * (bpf/fexit.def) instead of one program on every system call's exit. A
 * process that makes none of these calls pays nothing: no program runs for
 * it and the system-call slow path stays off. Each program has what the
 * raw plan has at raw_syscalls:sys_exit: the saved registers (the
 * function's one argument), the number in them, the result; and goes on to
 * the same slow path (sysexit.bpf.h), with the same records, causes and
 * counters.
 *
 * Trampoline programs can be preempted half-way (bpf/scratch.bpf.h), and
 * the slow path builds its record in the tracepoint workspace: the program
 * takes that workspace for the while (add, then look, as lt_ws_take()); a
 * program that finds it taken, by another task's program preempted on this
 * CPU, records nothing and counts it (workspace_busy).
 *
 * Pending records (a lock wait, a refusal, a network filesystem's answer)
 * are ended as at sys_exit, at the traced call's exit; one whose call's
 * exit is not seen (a call of another number) is ended at the thread's
 * next traced call.
 */
#ifndef LOCKTRACE_FEXIT_BPF_H
#define LOCKTRACE_FEXIT_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "locktrace.h"
#include "maps.bpf.h"
#include "scratch.bpf.h"
#include "sysexit.bpf.h"

/* What a program's calls are (bpf/fexit.def). */
enum lt_fexit_kind {
	LT_FX_OPEN, /* every result matters (an exclusive create, --all) */
	LT_FX_LOCK, /* every result matters (a lock wait ends) */
	LT_FX_IO, /* failures only (not EAGAIN) */
};

/* bpf_loop() or not: set by the loader before load; the verifier keeps
 * one branch. */
const volatile bool cfg_use_loop = true;

/* The slow path, one program (lt_fxc_slow) that every call's program
 * tail-calls: verified once, not once a function. Key 0; the loader puts
 * the program in. */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} fexit_slow SEC(".maps");

/* The tail call's target: the slow path of sys_exit, in the tracepoint
 * workspace taken for the while. */
static __always_inline int lt_fexit_slow(const struct pt_regs *regs, long ret)
{
	long nr = LT_SYSCALL_NR(regs);

	if (!lt_ws_tp_take())
		return 0;
	if (cfg_use_loop)
		lt_sys_exit_slow_loop((struct pt_regs *)regs, ret, nr);
	else
		lt_sys_exit_slow_noloop((struct pt_regs *)regs, ret, nr);
	lt_ws_tp_give();
	return 0;
}

/* The exit of a traced call of @kind, its saved registers and result in
 * @ctx (the function's argument and return value); the slow path by a
 * tail call (@tail), or called. */
static __always_inline int lt_on_fexit_call(__u64 *ctx, enum lt_fexit_kind kind, bool tail)
{
	const struct pt_regs *regs = (const struct pt_regs *)ctx[0];
	long ret = (long)ctx[1];

	/* The hot path. The read and write family: a successful call (or
	 * EAGAIN) is out after a compare, unless a record is pending. An open
	 * or a lock call that succeeded: out, unless --all, a lock wait or a
	 * record is pending, or the open creates its file exclusively (a lock
	 * file's creator; a native open's flags, as at sys_exit). */
	if (kind == LT_FX_IO && !lt_io_ret_wanted(ret) && !denials_pending && !remotes_pending)
		return 0;
	if (kind != LT_FX_IO && ret >= 0 && !cfg_all && !waits_pending && !denials_pending &&
	    !remotes_pending &&
	    (kind != LT_FX_OPEN || !lt_excl_create(LT_SYSCALL_NR(regs), (struct pt_regs *)regs)))
		return 0;
	if (!tail)
		return lt_fexit_slow(regs, ret);
	bpf_tail_call(ctx, &fexit_slow, 0);
	return 0;
}

#endif /* LOCKTRACE_FEXIT_BPF_H */

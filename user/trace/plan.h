/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The attach plan (--attach): where the traced system calls' results are
 * caught, chosen for this kernel by what loads and what costs least, and
 * why it was chosen.
 */
#ifndef LOCKTRACE_PLAN_H
#define LOCKTRACE_PLAN_H

#include <stdio.h>
#include "common/opts.h"
#include "probe.h"
#include "sysplan.h"

struct lt_plan {
	enum lt_attach plan; /* FEXIT, SYSCALLS or RAW: never AUTO */
	bool chosen; /* by --attach auto: a failure to load falls back to raw */
	char why[512]; /* why this plan, one phrase */
	struct lt_sc_ids sc_ids; /* the syscalls plan's events, when it is chosen */
};

/*
 * The plan for --attach @want: @p is this kernel's probe (lt_probe_run), or
 * NULL when it was not run (then auto takes what needs no probing). 0, or
 * -EOPNOTSUPP when a forced plan is not available here (said in one line).
 */
int lt_plan_choose(enum lt_attach want, const struct lt_probe *p, struct lt_plan *out);
/* `locktrace probe`'s lines on the plans: each one's availability, and
 * which --attach auto uses and why. */
void lt_plan_print(const struct lt_probe *p, FILE *out);

/*
 * Does a kernel preempt kernel code, BPF programs included (full, lazy or
 * real-time preemption)? Then a trampoline program can be preempted
 * half-way, and while it is, the kernel's recursion guard keeps it off its
 * CPU: the calls other tasks make there meanwhile are not seen (--attach
 * auto then takes the raw plan). Told by @sched, the scheduler's
 * sched/preempt file ("none voluntary (full)"; NULL or "" if unread), else
 * by the version string @version (PREEMPT, PREEMPT_RT; PREEMPT_DYNAMIC
 * with preempt=full or =lazy in @cmdline). @how says which.
 */
bool lt_plan_preempts(const char *sched, const char *version, const char *cmdline, char *how,
		      size_t len);

#endif /* LOCKTRACE_PLAN_H */

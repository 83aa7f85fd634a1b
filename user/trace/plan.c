// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The attach plan: which one, and why; see plan.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include "plan.h"
#include "common/util.h"

bool lt_plan_preempts(const char *sched, const char *version, const char *cmdline, char *how,
		      size_t len)
{
	if (sched && sched[0]) {
		snprintf(how, len, "sched/preempt: %.64s", sched);
		return strstr(sched, "(full)") || strstr(sched, "(lazy)");
	}
	snprintf(how, len, "kernel %.64s", version);
	if (strstr(version, "PREEMPT_RT"))
		return true;
	if (strstr(version, "PREEMPT_DYNAMIC")) {
		if (strstr(cmdline, "preempt=full") || strstr(cmdline, "preempt=lazy")) {
			snprintf(how, len, "preempt= on the kernel's command line");
			return true;
		}
		return false;
	}
	return strstr(version, "PREEMPT ") != NULL;
}

/* lt_plan_preempts() of the running kernel: the scheduler's own file where
 * debugfs is mounted (nothing is mounted for it), else uname's version and
 * the kernel's command line. */
static bool kernel_preempts(char *how, size_t len)
{
	char sched[256], cmdline[4096];
	struct utsname u;

	lt_read_first_line("/sys/kernel/debug/sched/preempt", sched, sizeof(sched));
	lt_read_first_line("/proc/cmdline", cmdline, sizeof(cmdline));
	if (uname(&u))
		u.version[0] = '\0';
	return lt_plan_preempts(sched, u.version, cmdline, how, len);
}

/* The syscalls plan does not see these: said wherever it is named. */
#define LT_SC_GAP "32-bit (ia32) calls not seen"

/* Is @plan available here? If not, @why says what is missing. The syscalls
 * plan's event ids go to @ids. */
static bool plan_available(enum lt_attach plan, const struct lt_probe *p, struct lt_sc_ids *ids,
			   char *why, size_t len)
{
	switch (plan) {
	case LT_ATTACH_RAW:
		return true;
	case LT_ATTACH_FEXIT:
		if (p && p->ok[LT_FEAT_FEXIT])
			return true;
		snprintf(why, len, "BPF trampolines do not load here%s%.120s", p ? ": " : "",
			 p ? p->detail[LT_FEAT_FEXIT] : "");
		return false;
	case LT_ATTACH_SYSCALLS:
		return !lt_sc_read_ids(ids, why, len);
	default:
		snprintf(why, len, "not in this build");
		return false;
	}
}

int lt_plan_choose(enum lt_attach want, const struct lt_probe *p, struct lt_plan *out)
{
	char why[192], sc_why[192], how[128];

	memset(out, 0, sizeof(*out));
	if (want != LT_ATTACH_AUTO) {
		out->plan = want;
		if (!plan_available(want, p, &out->sc_ids, why, sizeof(why))) {
			p_err("--attach %s: not available here: %s (see locktrace probe)",
			      lt_attach_name(want), why);
			return -EOPNOTSUPP;
		}
		snprintf(out->why, sizeof(out->why), "forced by --attach %s%s",
			 lt_attach_name(want), want == LT_ATTACH_SYSCALLS ? "; " LT_SC_GAP : "");
		return 0;
	}
	out->chosen = true;
	/* Where BPF programs can be preempted, the other plans miss calls (the
	 * VM's race check, under preempt=full): a trampoline program
	 * preempted half-way keeps the kernel from running it again on its
	 * CPU meanwhile, and per-syscall exit programs lose some of the
	 * refusals six tasks make at once on one CPU, uncounted. The raw
	 * plan misses none. */
	if (kernel_preempts(how, sizeof(how))) {
		out->plan = LT_ATTACH_RAW;
		snprintf(out->why, sizeof(out->why),
			 "this kernel preempts BPF programs (%.60s): the fexit and syscalls plans "
			 "miss calls there",
			 how);
		return 0;
	}
	if (plan_available(LT_ATTACH_FEXIT, p, NULL, why, sizeof(why))) {
		out->plan = LT_ATTACH_FEXIT;
		snprintf(out->why, sizeof(out->why),
			 "BPF trampolines load here: only the traced calls run a program");
		return 0;
	}
	/* Per-syscall exit tracepoints cost less than raw_syscalls:sys_exit
	 * for every call not traced (tests/bench.sh; README Performance). */
	if (plan_available(LT_ATTACH_SYSCALLS, p, &out->sc_ids, sc_why, sizeof(sc_why))) {
		out->plan = LT_ATTACH_SYSCALLS;
		snprintf(out->why, sizeof(out->why),
			 "fexit: %s; cheaper than raw for calls not traced; " LT_SC_GAP
			 " (--attach raw sees them)",
			 why);
		return 0;
	}
	out->plan = LT_ATTACH_RAW;
	snprintf(out->why, sizeof(out->why), "fexit: %s; syscalls: %s", why, sc_why);
	return 0;
}

void lt_plan_print(const struct lt_probe *p, FILE *out)
{
	struct lt_plan plan;
	struct lt_sc_ids ids;
	char why[192];

	fputs("\nattach plans (--attach):\n", out);
	for (int i = LT_ATTACH_AUTO + 1; i < LT_ATTACH_COUNT; i++) {
		bool ok = plan_available((enum lt_attach)i, p, &ids, why, sizeof(why));

		fprintf(out, "  %-9s %-11s %s%s%s\n", lt_attach_name((enum lt_attach)i),
			ok ? "available" : "unavailable", lt_attach_desc((enum lt_attach)i),
			ok ? "" : ": ", ok ? "" : why);
	}
	if (!lt_plan_choose(LT_ATTACH_AUTO, p, &plan))
		fprintf(out, "--attach auto uses %s (%s)\n", lt_attach_name(plan.plan), plan.why);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The attach plan: which one, and why; see plan.h. */
#include <errno.h>
#include <string.h>
#include "plan.h"
#include "common/util.h"

/* The syscalls plan does not see these: said wherever it is named. */
#define LT_SC_GAP "32-bit (ia32) calls not seen"

/* Is @plan available here? If not, @why says what is missing. The syscalls
 * plan's event ids go to @ids. */
static bool plan_available(enum lt_attach plan, const struct lt_probe *p __attribute__((unused)),
			   struct lt_sc_ids *ids, char *why, size_t len)
{
	switch (plan) {
	case LT_ATTACH_RAW:
		return true;
	case LT_ATTACH_SYSCALLS:
		return !lt_sc_read_ids(ids, why, len);
	case LT_ATTACH_FEXIT:
	default:
		snprintf(why, len, "not in this build");
		return false;
	}
}

int lt_plan_choose(enum lt_attach want, const struct lt_probe *p, struct lt_plan *out)
{
	char why[192], sc_why[192];

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
	if (plan_available(LT_ATTACH_FEXIT, p, NULL, why, sizeof(why))) {
		out->plan = LT_ATTACH_FEXIT;
		snprintf(out->why, sizeof(out->why), "BPF trampolines load here");
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

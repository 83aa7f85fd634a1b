// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The attach plan: which one, and why; see plan.h. */
#include <errno.h>
#include <string.h>
#include "plan.h"
#include "common/util.h"

/* Is @plan available here? If not, @why says what is missing. */
static bool plan_available(enum lt_attach plan, const struct lt_probe *p, char *why, size_t len)
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
	default:
		snprintf(why, len, "not in this build");
		return false;
	}
}

int lt_plan_choose(enum lt_attach want, const struct lt_probe *p, struct lt_plan *out)
{
	char why[192];

	memset(out, 0, sizeof(*out));
	if (want != LT_ATTACH_AUTO) {
		out->plan = want;
		if (!plan_available(want, p, why, sizeof(why))) {
			p_err("--attach %s: not available here: %s (see locktrace probe)",
			      lt_attach_name(want), why);
			return -EOPNOTSUPP;
		}
		snprintf(out->why, sizeof(out->why), "forced by --attach %s", lt_attach_name(want));
		return 0;
	}
	out->chosen = true;
	if (plan_available(LT_ATTACH_FEXIT, p, why, sizeof(why))) {
		out->plan = LT_ATTACH_FEXIT;
		snprintf(out->why, sizeof(out->why),
			 "BPF trampolines load here: only the traced calls run a program");
		return 0;
	}
	out->plan = LT_ATTACH_RAW;
	snprintf(out->why, sizeof(out->why), "the only other plan of this build");
	return 0;
}

void lt_plan_print(const struct lt_probe *p, FILE *out)
{
	struct lt_plan plan;
	char why[192];

	fputs("\nattach plans (--attach):\n", out);
	for (int i = LT_ATTACH_AUTO + 1; i < LT_ATTACH_COUNT; i++) {
		bool ok = plan_available((enum lt_attach)i, p, why, sizeof(why));

		fprintf(out, "  %-9s %-11s %s%s%s\n", lt_attach_name((enum lt_attach)i),
			ok ? "available" : "unavailable", lt_attach_desc((enum lt_attach)i),
			ok ? "" : ": ", ok ? "" : why);
	}
	if (!lt_plan_choose(LT_ATTACH_AUTO, p, &plan))
		fprintf(out, "--attach auto uses %s (%s)\n", lt_attach_name(plan.plan), plan.why);
}

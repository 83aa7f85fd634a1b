// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for user/trace/plan.c: whether a kernel preempts BPF programs
 * (--attach auto passes the fexit plan over where it does). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>
#include "trace/plan.h"

static bool preempts(const char *sched, const char *version, const char *cmdline)
{
	char how[128];

	return lt_plan_preempts(sched, version, cmdline, how, sizeof(how));
}

/* The scheduler's own file, where it is read, decides. */
static void test_sched_file(void **state)
{
	(void)state;
	assert_true(preempts("none voluntary (full)", "#1 SMP PREEMPT_DYNAMIC", ""));
	assert_true(preempts("none voluntary full (lazy)", "#1 SMP PREEMPT_DYNAMIC", ""));
	assert_false(preempts("none (voluntary) full", "#1 SMP PREEMPT_DYNAMIC", "preempt=full"));
	assert_false(preempts("(none) voluntary full", "#1 SMP PREEMPT", ""));
}

/* Without it: the version string, and preempt= for a dynamic kernel. */
static void test_version(void **state)
{
	char how[128];

	(void)state;
	assert_true(preempts(NULL, "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2",
			     "console=ttyS0 preempt=full quiet"));
	assert_true(preempts("", "#1 SMP PREEMPT_DYNAMIC", "preempt=lazy"));
	assert_false(preempts(NULL, "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2", "console=ttyS0"));
	assert_true(preempts(NULL, "#1 SMP PREEMPT_RT Fri Nov 28", ""));
	assert_true(preempts(NULL, "#1 SMP PREEMPT Fri Nov 28", ""));
	assert_false(preempts(NULL, "#1 SMP Fri Nov 28", "preempt=full"));
	assert_true(
		lt_plan_preempts(NULL, "#1 SMP PREEMPT_DYNAMIC", "preempt=full", how, sizeof(how)));
	assert_string_equal(how, "preempt= on the kernel's command line");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sched_file),
		cmocka_unit_test(test_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

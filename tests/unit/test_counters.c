// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for the table of counters: JSON keys, the summary's losses. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "trace/counters.h"

/* The recording's trailer keys that reports read come first, in order. */
static void test_json_keys(void **state)
{
	struct lt_counters c;
	struct lt_buf b = {};

	(void)state;
	memset(&c, 0, sizeof(c));
	c.seen = 9;
	c.written = 8;
	c.dropped_kernel = 1;
	c.rotations = 2;
	c.unreadable_path = 3;
	c.workspace_busy = 4;
	c.facts_busy = 5;
	c.rotate_failed = 6;
	lt_counters_json(&b, &c);
	assert_false(b.oom);
	assert_true(!strncmp(
		b.data,
		",\"seen\":9,\"written\":8,\"dropped_kernel\":1,\"dropped_write\":0,"
		"\"malformed\":0,\"filtered\":0,\"rotations\":2,\"unreadable_path\":3,",
		strlen(",\"seen\":9,\"written\":8,\"dropped_kernel\":1,\"dropped_write\":0,"
		       "\"malformed\":0,\"filtered\":0,\"rotations\":2,"
		       "\"unreadable_path\":3,")));
	assert_non_null(strstr(b.data, ",\"workspace_busy\":4,"));
	assert_non_null(strstr(b.data, ",\"recursion_misses\":0,"));
	assert_non_null(
		strstr(b.data, ",\"facts_timeout\":0,\"facts_slow_mount\":0,\"facts_busy\":5,"));
	assert_non_null(strstr(b.data, ",\"rotate_failed\":6"));
	/* Every field once: as many keys as the struct has counters. */
	{
		size_t n = 0;

		for (const char *p = b.data; (p = strchr(p, ':')); p++)
			n++;
		assert_int_equal(n, sizeof(c) / sizeof(c.seen));
	}
	lt_buf_free(&b);
}

/* Only losses that are not 0, in the table's order; totals never. */
static void test_losses(void **state)
{
	struct lt_counters c;
	struct lt_buf b = {};

	(void)state;
	memset(&c, 0, sizeof(c));
	c.seen = 100;
	c.filtered = 7;
	assert_int_equal(lt_counters_losses(&b, &c), 0);
	assert_int_equal(b.len, 0);
	c.dropped_kernel = 3;
	c.unreadable_path = 2;
	c.rotate_failed = 1;
	assert_int_equal(lt_counters_losses(&b, &c), 3);
	assert_string_equal(b.data, "3 ring buffer full, 2 unreadable user memory (path), "
				    "1 rotations that failed");
	lt_buf_free(&b);
}

/* The kernel's counters map onto the table by name. */
static void test_from_kernel(void **state)
{
	struct lt_stats st;
	struct lt_counters c;

	(void)state;
	memset(&st, 0, sizeof(st));
	memset(&c, 0, sizeof(c));
	c.seen = 5;
	st.matched = 40;
	st.dropped_kernel = 1;
	st.unreadable_open_how = 2;
	st.unreadable_flock = 3;
	st.lock_waits_full = 4;
	st.lock_layer_lost = 5;
	st.notes_lost = 6;
	st.denials_full = 7;
	st.workspace_busy = 8;
	lt_counters_from_kernel(&c, &st);
	assert_int_equal(c.seen, 5); /* not the kernel's */
	assert_int_equal(c.dropped_kernel, 1);
	assert_int_equal(c.unreadable_path, 0);
	assert_int_equal(c.unreadable_open_how, 2);
	assert_int_equal(c.unreadable_flock, 3);
	assert_int_equal(c.lock_waits_full, 4);
	assert_int_equal(c.lock_layer_lost, 5);
	assert_int_equal(c.notes_lost, 6);
	assert_int_equal(c.denials_full, 7);
	assert_int_equal(c.workspace_busy, 8);
	c.recursion_misses = 10;
	c.dropped_write = 100; /* user space's, not the kernel's */
	assert_int_equal(lt_counters_kernel_losses(&c), 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_keys),
		cmocka_unit_test(test_losses),
		cmocka_unit_test(test_from_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

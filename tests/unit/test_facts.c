// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for user/facts.c's pure parts: /proc/locks lines and snapshots. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cause/facts.h"

static void test_line_posix(void **state)
{
	struct lt_holder h;
	__u32 maj, min;
	__u64 ino;

	(void)state;
	assert_int_equal(lt_proc_locks_parse("1: POSIX  ADVISORY  WRITE 1234 fd:00:10955318 0 EOF",
					     &h, &maj, &min, &ino),
			 1);
	assert_int_equal(h.pid, 1234);
	assert_int_equal(h.type, 1);
	assert_true(h.posix);
	assert_false(h.ofd);
	assert_int_equal(h.start, 0);
	assert_int_equal(h.end, -1);
	assert_int_equal(maj, 0xfd);
	assert_int_equal(min, 0);
	assert_int_equal(ino, 10955318);

	assert_int_equal(lt_proc_locks_parse("12: POSIX  ADVISORY  READ 77 08:11:99 5 9\n", &h,
					     &maj, &min, &ino),
			 1);
	assert_int_equal(h.type, 0);
	assert_int_equal(h.start, 5);
	assert_int_equal(h.end, 9);
	assert_int_equal(maj, 8);
	assert_int_equal(min, 0x11);
}

static void test_line_kinds(void **state)
{
	struct lt_holder h;
	__u32 maj, min;
	__u64 ino;

	(void)state;
	assert_int_equal(lt_proc_locks_parse("3: FLOCK  ADVISORY  WRITE 42 00:2a:7 0 EOF", &h, &maj,
					     &min, &ino),
			 1);
	assert_false(h.posix);
	assert_int_equal(h.pid, 42);
	/* OFD locks belong to no process: pid -1. */
	assert_int_equal(lt_proc_locks_parse("4: OFDLCK ADVISORY  READ -1 00:2a:7 0 EOF", &h, &maj,
					     &min, &ino),
			 1);
	assert_true(h.posix);
	assert_true(h.ofd);
	assert_int_equal(h.pid, 0);
	/* A waiter is not a holder. */
	assert_int_equal(lt_proc_locks_parse("4: -> FLOCK  ADVISORY  WRITE 43 00:2a:7 0 EOF", &h,
					     &maj, &min, &ino),
			 0);
}

static void test_line_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"garbage",
		"1: POSIX ADVISORY WRITE",
		"1: POSIX ADVISORY WRITE x fd:00:1 0 EOF",
		"1: POSIX ADVISORY WRITE 1 fd00:1 0 EOF",
		"1: POSIX ADVISORY WRITE 1 fd:00:1x 0 EOF",
		"1: POSIX ADVISORY WRITE 1 fd:00:1 0",
		"1: POSIX ADVISORY WRITE 1 fd:00:1 0 12x",
		"1 POSIX ADVISORY WRITE 1 fd:00:1 0 EOF",
	};
	struct lt_holder h;
	__u32 maj, min;
	__u64 ino;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(lt_proc_locks_parse(bad[i], &h, &maj, &min, &ino), -1);
}

/* A snapshot: sorted, every lock of an inode found, at most max. */
static void test_snapshot_find(void **state)
{
	const char text[] = "1: POSIX  ADVISORY  WRITE 10 00:05:200 0 EOF\n"
			    "2: FLOCK  ADVISORY  WRITE 11 00:05:100 0 EOF\n"
			    "2: -> FLOCK  ADVISORY  WRITE 12 00:05:100 0 EOF\n"
			    "3: POSIX  ADVISORY  READ 13 00:05:200 10 19\n"
			    "4: POSIX  ADVISORY  READ 14 00:06:200 0 EOF\n"
			    "not a line\n"
			    "5: POSIX  ADVISORY  READ 15 00:05:200 20 29";
	struct lt_locks_snap snap;
	struct lt_holder out[8];

	(void)state;
	assert_int_equal(lt_locks_parse(&snap, text, strlen(text)), 5);
	assert_false(snap.partial);
	assert_int_equal(lt_locks_find(&snap, 5, 200, out, 8), 3);
	for (int i = 0; i < 3; i++)
		assert_true(out[i].pid == 10 || out[i].pid == 13 || out[i].pid == 15);
	assert_int_equal(lt_locks_find(&snap, 5, 100, out, 8), 1);
	assert_int_equal(out[0].pid, 11);
	assert_int_equal(lt_locks_find(&snap, 6, 200, out, 8), 1);
	assert_int_equal(out[0].pid, 14);
	assert_int_equal(lt_locks_find(&snap, 5, 300, out, 8), 0);
	assert_int_equal(lt_locks_find(&snap, 5, 200, out, 2), 2);
	free(snap.v);

	assert_int_equal(lt_locks_parse(&snap, "", 0), 0);
	assert_int_equal(lt_locks_find(&snap, 5, 200, out, 8), 0);
	free(snap.v);
}

/* Hostile sizes: a line too long to be one is skipped; past LT_LOCKS_MAX
 * locks the snapshot is partial, not unbounded. */
static void test_snapshot_bounds(void **state)
{
	size_t cap = (size_t)(LT_LOCKS_MAX + 10) * 64 + 4096, len = 0;
	char *text = malloc(cap);
	struct lt_locks_snap snap;
	struct lt_holder out[2];

	(void)state;
	assert_non_null(text);
	memset(text, 'a', 1000);
	len = 1000;
	len += snprintf(text + len, cap - len, " 00:05:1 0 EOF\n");
	for (int i = 0; i < LT_LOCKS_MAX + 10; i++)
		len += snprintf(text + len, cap - len,
				"%d: POSIX ADVISORY WRITE %d 00:07:%d 0 EOF\n", i, i + 1, i);
	assert_int_equal(lt_locks_parse(&snap, text, len), LT_LOCKS_MAX);
	assert_true(snap.partial);
	assert_int_equal(lt_locks_find(&snap, 7, 123, out, 2), 1);
	assert_int_equal(out[0].pid, 124);
	free(snap.v);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_posix),	cmocka_unit_test(test_line_kinds),
		cmocka_unit_test(test_line_malformed),	cmocka_unit_test(test_snapshot_find),
		cmocka_unit_test(test_snapshot_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

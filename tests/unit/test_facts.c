// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests for the facts' parsers of what users can shape: /proc/locks
 * lines and snapshots (user/cause/locks.c), POSIX ACL xattr values
 * (user/cause/examine.c). Hostile input: cut, oversized, garbage.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cause/examine.h"
#include "cause/locks.h"
#include "rng.h"

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
		assert_int_equal(lt_proc_locks_parse(bad[i], &h, &maj, &min, &ino), -EINVAL);
}

/* A line cut anywhere is no holder; separators may be tabs; an inode
 * number takes all 64 bits. */
static void test_line_cut(void **state)
{
	static const char line[] = "7:\tPOSIX\tADVISORY\tWRITE\t4321\t08:01:18446744073709551615 "
				   "100 EOF";
	char buf[sizeof(line)];
	struct lt_holder h;
	__u32 maj, min;
	__u64 ino;

	(void)state;
	for (size_t n = 0; n < sizeof(line) - 1; n++) {
		memcpy(buf, line, n);
		buf[n] = '\0';
		if (lt_proc_locks_parse(buf, &h, &maj, &min, &ino) != -EINVAL)
			fail_msg("\"%s\" parsed", buf);
	}
	assert_int_equal(lt_proc_locks_parse(line, &h, &maj, &min, &ino), 1);
	assert_int_equal(h.pid, 4321);
	assert_int_equal(maj, 8);
	assert_int_equal(min, 1);
	assert_true(ino == UINT64_MAX);
	assert_int_equal(h.start, 100);
	assert_int_equal(h.end, -1);
}

/* Random bytes never crash the parser; lines of random words, each valid
 * or not for its field, parse exactly when every field is valid. */
static void test_line_garbage(void **state)
{
	/* Per field: its words, and how many of the first are valid. */
	static const struct {
		const char *w[6];
		int n, valid;
	} fields[] = {
		{ { "1:", "12:", "x", "1" }, 4, 2 },
		{ { "POSIX", "FLOCK", "OFDLCK", "LEASE", "->" }, 5, 4 },
		{ { "ADVISORY", "MANDATORY" }, 2, 2 },
		{ { "READ", "WRITE", "UNLCK" }, 3, 3 },
		{ { "1234", "-1", "0", "2147483647", "x1", "12y" }, 6, 4 },
		{ { "fd:00:1", "08:11:99", "0:0:0", ":::", "fd00:1", "fd:00:1x" }, 6, 3 },
		{ { "0", "5", "-3", "9223372036854775807", "x", "1-" }, 6, 4 },
		{ { "EOF", "9", "-1", "12x", "EOFX" }, 5, 3 },
	};
	const int nf = sizeof(fields) / sizeof(fields[0]);
	char line[256];
	struct lt_holder h;
	__u32 maj, min;
	__u64 ino;
	int holders = 0;

	(void)state;
	rng_state = 0x10c5f11e5ULL;
	for (int t = 0; t < 20000; t++) {
		int pick[8], r, want = 1;
		size_t off = 0;

		if (t % 4 == 0) { /* bytes */
			size_t n = rng() % (sizeof(line) - 1);

			for (size_t i = 0; i < n; i++)
				line[i] = (char)(rng() % 255 + 1);
			line[n] = '\0';
			r = lt_proc_locks_parse(line, &h, &maj, &min, &ino);
			assert_true(r == 1 || r == 0 || r == -EINVAL);
			continue;
		}
		for (int f = 0; f < nf; f++) {
			pick[f] = (int)(rng() % fields[f].n);
			if (f == 1 && pick[f] == 4 && want == 1)
				want = 0; /* "->": a waiter, whatever follows */
			else if (pick[f] >= fields[f].valid && want == 1)
				want = -EINVAL;
			off += snprintf(line + off, sizeof(line) - off, "%s%s", f ? " " : "",
					fields[f].w[pick[f]]);
		}
		r = lt_proc_locks_parse(line, &h, &maj, &min, &ino);
		if (r != want)
			fail_msg("\"%s\": %d, not %d", line, r, want);
		if (r != 1)
			continue;
		holders++;
		assert_int_equal(h.pid, pick[4] == 0 ? 1234 : pick[4] == 3 ? 2147483647 : 0);
		assert_int_equal(h.type, pick[3] == 1);
		assert_int_equal(h.posix, pick[1] == 0 || pick[1] == 2);
		assert_int_equal(h.ofd, pick[1] == 2);
		assert_false(h.kernel);
		assert_int_equal(maj, pick[5] == 0 ? 0xfd : pick[5] == 1 ? 8 : 0);
		assert_int_equal(min, pick[5] == 1 ? 0x11 : 0);
		assert_true(ino == (pick[5] == 0 ? 1 : pick[5] == 1 ? 99 : 0));
		assert_true(h.start == (pick[6] == 1 ? 5 :
					pick[6] == 2 ? -3 :
					pick[6] == 3 ? INT64_MAX :
						       0));
		assert_true(h.end == (pick[7] == 1 ? 9 : -1));
	}
	assert_true(holders > 500); /* the valid lines are tried too */
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

/* A system.posix_acl_access value: version 2, then 8-byte entries. */
static size_t acl_blob(unsigned char *buf, __u32 version, const struct lt_acl_entry *e, int n)
{
	size_t off = 4;

	memcpy(buf, &version, 4);
	for (int i = 0; i < n; i++, off += 8) {
		memcpy(buf + off, &e[i].tag, 2);
		memcpy(buf + off + 2, &e[i].perm, 2);
		memcpy(buf + off + 4, &e[i].id, 4);
	}
	return off;
}

static void test_acl_parse(void **state)
{
	static const struct lt_acl_entry in[] = {
		{ LT_ACL_USER_OBJ, 6, 0xffffffff },
		{ LT_ACL_USER, 4, 4242 },
		{ LT_ACL_GROUP_OBJ, 4, 0xffffffff },
		{ LT_ACL_GROUP, 0xfff7, 60 },
		{ LT_ACL_MASK, 6, 0xffffffff },
		{ LT_ACL_OTHER, 0, 0xffffffff },
		{ 0x4000, 5, 7 }, /* a tag of no known kind: kept as it is */
	};
	unsigned char buf[4 + 8 * 8];
	struct lt_acl_entry out[8];
	size_t len = acl_blob(buf, 2, in, 7);

	(void)state;
	assert_int_equal(lt_acl_parse(buf, len, out, 8), 7);
	for (int i = 0; i < 7; i++) {
		assert_int_equal(out[i].tag, in[i].tag);
		assert_int_equal(out[i].perm, in[i].perm & 7); /* rwx only */
		assert_int_equal(out[i].id, in[i].id);
	}
	/* The header alone: no entries. */
	assert_int_equal(lt_acl_parse(buf, 4, out, 8), 0);
}

/* Cut, oversized or of another version: not an ACL, or as much of it as
 * fits; never a byte read or written past either buffer. */
static void test_acl_parse_hostile(void **state)
{
	struct lt_acl_entry e[LT_ACL_MAX + 8], out[LT_ACL_MAX + 1];
	unsigned char buf[4 + 8 * (LT_ACL_MAX + 8)];
	size_t len;

	(void)state;
	for (int i = 0; i < LT_ACL_MAX + 8; i++)
		e[i] = (struct lt_acl_entry){ LT_ACL_USER, 7, 1000 + i };
	len = acl_blob(buf, 2, e, LT_ACL_MAX + 8);
	/* More entries than room: the first max, the rest not touched. */
	memset(out, 0x5a, sizeof(out));
	assert_int_equal(lt_acl_parse(buf, len, out, LT_ACL_MAX), LT_ACL_MAX);
	assert_int_equal(out[LT_ACL_MAX - 1].id, 1000 + LT_ACL_MAX - 1);
	assert_int_equal(out[LT_ACL_MAX].tag, 0x5a5a);
	/* Cut anywhere but at an entry's end: not an ACL. */
	for (size_t n = 0; n < 4 + 8 * 3; n++)
		if (n < 4 || (n - 4) % 8)
			assert_int_equal(lt_acl_parse(buf, n, out, LT_ACL_MAX), -EINVAL);
	/* Another version, or garbage. */
	for (__u32 v = 0; v < 8; v++)
		if (v != 2) {
			len = acl_blob(buf, v, e, 3);
			assert_int_equal(lt_acl_parse(buf, len, out, LT_ACL_MAX), -EINVAL);
		}
	len = acl_blob(buf, 0xffffffff, e, 3);
	assert_int_equal(lt_acl_parse(buf, len, out, LT_ACL_MAX), -EINVAL);
	rng_state = 0xac15eedULL;
	for (int t = 0; t < 1000; t++) {
		int r;

		len = rng() % sizeof(buf);
		for (size_t i = 0; i < len; i++)
			buf[i] = (unsigned char)rng();
		if (t % 2)
			memcpy(buf, &(__u32){ 2 }, len < 4 ? len : 4);
		r = lt_acl_parse(buf, len, out, LT_ACL_MAX);
		if (len >= 4 && !((len - 4) % 8) && !memcmp(buf, &(__u32){ 2 }, 4))
			assert_int_equal(r, (int)((len - 4) / 8 < LT_ACL_MAX ? (len - 4) / 8 :
									       LT_ACL_MAX));
		else
			assert_int_equal(r, -EINVAL);
		for (int i = 0; i < r; i++)
			assert_true(out[i].perm <= 7);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_posix),	  cmocka_unit_test(test_line_kinds),
		cmocka_unit_test(test_line_malformed),	  cmocka_unit_test(test_line_cut),
		cmocka_unit_test(test_line_garbage),	  cmocka_unit_test(test_snapshot_find),
		cmocka_unit_test(test_snapshot_bounds),	  cmocka_unit_test(test_acl_parse),
		cmocka_unit_test(test_acl_parse_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

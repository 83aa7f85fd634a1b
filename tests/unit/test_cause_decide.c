// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests for user/cause/decide.c and names.c: the decision's entry,
 * what it says without facts or with a cause it cannot tell (unknown: the
 * raw facts), and the names of kinds and evidence; the cases of kinds none
 * and unknown.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include "cause/cause.h"
#include "common/decode.h"
#include "cause_build.h"

static void test_names(void **state)
{
	static const char *const kinds[] = {
		"none",	       "dac",	    "dac_search", "acl",       "capability", "lsm",
		"readonly_fs", "no_space",  "quota",	  "immutable", "lock_held",  "stale_lock",
		"bad_fd_mode", "not_found", "remote_fs",  "unknown",
	};
	size_t i;

	(void)state;
	assert_int_equal(sizeof(kinds) / sizeof(kinds[0]), LT_CAUSE_UNKNOWN + 1);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		assert_string_equal(lt_cause_kind_name((enum lt_cause_kind)i), kinds[i]);
	assert_string_equal(lt_evidence_name(LT_EV_KERNEL), "kernel");
	assert_string_equal(lt_evidence_name(LT_EV_POSTHOC), "post-hoc");
	assert_string_equal(lt_evidence_name(LT_EV_INFERRED), "inferred");
}

static void test_null_input(void **state)
{
	struct lt_cause out;

	(void)state;
	memset(&out, 0x5a, sizeof(out));
	lt_cause_decide(NULL, &out);
	assert_int_equal(out.kind, LT_CAUSE_UNKNOWN);
	assert_int_equal(out.obj, -1);
	assert_null(out.class);
	assert_true(out.detail[0] != '\0');
}

/* Every kind is exercised by at least one case. */
static void test_table_covers_kinds(void **state)
{
	bool seen[LT_CAUSE_UNKNOWN + 1] = { false };
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < cause_ncases; i++)
		seen[cause_cases[i].x.kind] = true;
	for (k = 0; k <= LT_CAUSE_UNKNOWN; k++)
		if (!seen[k])
			fail_msg("no case for kind %s", lt_cause_kind_name(k));
}

/* The errors of I/O calls with no cause of their own: unknown, the call
 * and what it asked, and what the errno means; never a guess at a cause. */
static void test_io_unknown_errnos(void **state)
{
	static const struct {
		__u32 sys;
		int err;
		const char *says;
	} t[] = {
		{ LT_SYS_FTRUNCATE, EFBIG,
		  "EFBIG from ftruncate to 4096 bytes on /srv/locks/a.lock: "
		  "the length is past" },
		{ LT_SYS_WRITE, EFBIG, "the file would grow past" },
		{ LT_SYS_READ, EINTR, "a signal interrupted it" },
		{ LT_SYS_PREAD64, EIO, "an I/O error" },
		{ LT_SYS_FTRUNCATE, ETXTBSY, "a running program or an active swap file" },
		{ LT_SYS_WRITE, EAGAIN, "non-blocking" },
		{ LT_SYS_FALLOCATE, EOPNOTSUPP, "does not support this mode" },
		{ LT_SYS_FALLOCATE, EINVAL, "a length of 0 or less" },
		{ LT_SYS_PWRITEV, ESTALE, "stale" },
		{ LT_SYS_WRITE, ENOENT, "ENOENT from write of 4096 bytes on /srv/locks/a.lock" },
	};
	struct cause_case tc = {
		.flags = O_RDWR,
		.fd = 3,
		.ev_flags = LT_EVF_HAVE_INODE,
		.io_len = 4096,
		.io_off = 4096,
		.fd_acc = "rw",
		.fd_acc_kernel = true,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0666, 0, 0) },
	};
	struct lt_cause_input in;
	struct lt_cause out;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		tc.sys = t[i].sys;
		tc.err = t[i].err;
		cause_build(&tc, &in);
		lt_cause_decide(&in, &out);
		assert_int_equal(out.kind, LT_CAUSE_UNKNOWN);
		assert_int_equal(out.evidence, LT_EV_INFERRED);
		if (!strstr(out.detail, t[i].says))
			fail_msg("%s %d: \"%s\" lacks \"%s\"", lt_syscall_name(t[i].sys), t[i].err,
				 out.detail, t[i].says);
	}
}

int main(void)
{
	static const struct CMUnitTest direct[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_null_input),
		cmocka_unit_test(test_table_covers_kinds),
		cmocka_unit_test(test_io_unknown_errnos),
	};

	return cause_run(direct, sizeof(direct) / sizeof(direct[0]), CAUSE_DECIDE);
}

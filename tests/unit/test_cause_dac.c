// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests for user/cause/dac.c and perm.c: the kernel's DAC check
 * mirrored (open flags, mode bits, ACL and mask, capabilities), directly;
 * the permission walk through the cases of kinds dac, dac_search, acl,
 * capability and immutable.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include "cause/cause.h"
#include "common/decode.h"
#include "cause_build.h"

static void test_open_may(void **state)
{
	(void)state;
	assert_int_equal(lt_open_may(O_RDONLY), R);
	assert_int_equal(lt_open_may(O_WRONLY), W);
	assert_int_equal(lt_open_may(O_RDWR), R | W);
	assert_int_equal(lt_open_may(O_ACCMODE), R | W);
	assert_int_equal(lt_open_may(O_RDONLY | O_TRUNC), R | W);
	assert_int_equal(lt_open_may(O_RDONLY | O_APPEND), R); /* MAY_APPEND: not DAC */
	assert_int_equal(lt_open_may(O_WRONLY | O_APPEND), W);
	assert_int_equal(lt_open_may(O_WRONLY | O_CREAT | O_TRUNC), W);
	assert_int_equal(lt_open_may(O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC), R | W);
	assert_int_equal(lt_open_may(O_PATH), 0);
}

static void test_may_str(void **state)
{
	char buf[4];

	(void)state;
	lt_may_str(0, buf);
	assert_string_equal(buf, "---");
	lt_may_str(R, buf);
	assert_string_equal(buf, "r--");
	lt_may_str(W | X, buf);
	assert_string_equal(buf, "-wx");
	lt_may_str(R | W | X, buf);
	assert_string_equal(buf, "rwx");
	lt_may_str(R | X, buf);
	assert_string_equal(buf, "r-x");
}

static void test_dac_check(void **state)
{
	static struct lt_obj o;
	const __u32 groups[] = { 100, 50 };
	const char *class;
	int ent;

	(void)state;
	/* Owner: only the owner bits, even if others have more. */
	cause_obj_from(&o, 'f', 0466, 5, 50, NULL);
	assert_int_equal(lt_dac_check(&o, 5, 5, NULL, 0, W, &class, &ent), -EACCES);
	assert_string_equal(class, "owner");
	assert_int_equal(ent, -1);
	assert_int_equal(lt_dac_check(&o, 5, 5, NULL, 0, R, &class, &ent), 0);
	/* Group by fsgid, by a supplementary group; other. */
	cause_obj_from(&o, 'f', 0640, 0, 50, NULL);
	assert_int_equal(lt_dac_check(&o, 7, 50, NULL, 0, R, &class, &ent), 0);
	assert_string_equal(class, "group");
	assert_int_equal(lt_dac_check(&o, 7, 7, groups, 2, W, &class, &ent), -EACCES);
	assert_string_equal(class, "group");
	assert_int_equal(lt_dac_check(&o, 7, 7, groups, 1, R, &class, &ent), -EACCES);
	assert_string_equal(class, "other");
	/* Exec on a directory. */
	cause_obj_from(&o, 'd', 0711, 0, 0, NULL);
	assert_int_equal(lt_dac_check(&o, 7, 7, NULL, 0, X, &class, &ent), 0);
	assert_int_equal(lt_dac_check(&o, 7, 7, NULL, 0, R | X, &class, &ent), -EACCES);
	/* Class and entry may be left out. */
	assert_int_equal(lt_dac_check(&o, 7, 7, NULL, 0, X, NULL, NULL), 0);

	/* ACL: named user, masked. */
	cause_obj_from(&o, 'f', 0640, 0, 50, "u::rw-,u:42:rw-,g::r--,g:60:rw-,m::r--,o::---");
	assert_int_equal(lt_dac_check(&o, 42, 42, NULL, 0, R, &class, &ent), 0);
	assert_string_equal(class, "acl_user");
	assert_int_equal(ent, 1);
	assert_int_equal(lt_dac_check(&o, 42, 42, NULL, 0, W, &class, &ent), -EACCES);
	assert_string_equal(class, "acl_user");
	assert_int_equal(ent, 1);
	/* The owner is not subject to the ACL. */
	assert_int_equal(lt_dac_check(&o, 0, 0, NULL, 0, R | W, &class, &ent), 0);
	assert_string_equal(class, "owner");
	/* Owning group and named group: the mask keeps both to r--. */
	assert_int_equal(lt_dac_check(&o, 43, 50, NULL, 0, R, &class, &ent), 0);
	assert_string_equal(class, "acl_group");
	assert_int_equal(ent, 2);
	assert_int_equal(lt_dac_check(&o, 43, 43, (const __u32[]){ 60 }, 1, W, &class, &ent),
			 -EACCES);
	assert_string_equal(class, "acl_group");
	assert_int_equal(ent, 3);
	/* No entry matches: ACL_OTHER. */
	assert_int_equal(lt_dac_check(&o, 43, 43, NULL, 0, R, &class, &ent), -EACCES);
	assert_string_equal(class, "other");
	assert_int_equal(ent, 5);
	/* Any matching group entry that grants is enough. */
	cause_obj_from(&o, 'f', 0660, 0, 50, "u::rw-,g::r--,g:60:rw-,m::rw-,o::---");
	assert_int_equal(lt_dac_check(&o, 43, 50, (const __u32[]){ 60 }, 1, W, &class, &ent), 0);
	assert_string_equal(class, "acl_group");
	assert_int_equal(ent, 2);
	/* With the ACL, the group mode bits are the mask, not group::. */
	cause_obj_from(&o, 'f', 0670, 0, 50, "u::rw-,g::---,g:60:r--,m::rwx,o::---");
	assert_int_equal(lt_dac_check(&o, 43, 50, NULL, 0, R, &class, &ent), -EACCES);
	assert_string_equal(class, "acl_group");
	assert_int_equal(ent, 1);
}

static void test_cap_would_grant(void **state)
{
	static struct lt_obj o;

	(void)state;
	cause_obj_from(&o, 'd', 0000, 5, 5, NULL);
	assert_int_equal(lt_cap_would_grant(&o, X), CAP_DAC_READ_SEARCH);
	assert_int_equal(lt_cap_would_grant(&o, R | X), CAP_DAC_READ_SEARCH);
	assert_int_equal(lt_cap_would_grant(&o, W | X), CAP_DAC_OVERRIDE);
	cause_obj_from(&o, 'f', 0000, 5, 5, NULL);
	assert_int_equal(lt_cap_would_grant(&o, R), CAP_DAC_READ_SEARCH);
	assert_int_equal(lt_cap_would_grant(&o, W), CAP_DAC_OVERRIDE);
	assert_int_equal(lt_cap_would_grant(&o, R | W), CAP_DAC_OVERRIDE);
	/* Exec on a file: only with some x bit set. */
	assert_int_equal(lt_cap_would_grant(&o, X), -1);
	assert_int_equal(lt_cap_would_grant(&o, R | X), -1);
	cause_obj_from(&o, 'f', 0001, 5, 5, NULL);
	assert_int_equal(lt_cap_would_grant(&o, X), CAP_DAC_OVERRIDE);
	assert_int_equal(lt_cap_would_grant(&o, R | X), CAP_DAC_OVERRIDE);
}

/*
 * EPERM and the inode's flags, as the kernel checks them for each call:
 * the immutable flag refuses every change; the append-only flag any
 * truncation, any fallocate mode but FALLOC_FL_KEEP_SIZE, and a write that
 * would not append. Reads are never the flags'.
 */
static void test_io_flags_by_call(void **state)
{
	static const struct {
		__u32 sys, io_flags, i_flags;
		bool refused;
	} t[] = {
		{ LT_SYS_FTRUNCATE, 0, LT_S_APPEND, true },
		{ LT_SYS_FTRUNCATE64, 0, LT_S_APPEND, true },
		{ LT_SYS_FTRUNCATE, 0, LT_S_IMMUTABLE, true },
		{ LT_SYS_WRITE, 0, LT_S_IMMUTABLE, true },
		{ LT_SYS_PWRITEV2, 0x20, LT_S_APPEND, true },
		{ LT_SYS_FALLOCATE, 0x01, LT_S_APPEND, false },
		{ LT_SYS_FALLOCATE, 0x02 | 0x01, LT_S_APPEND, true },
		{ LT_SYS_FALLOCATE, 0, LT_S_IMMUTABLE, true },
		{ LT_SYS_READ, 0, LT_S_IMMUTABLE, false },
		{ LT_SYS_FTRUNCATE, 0, 0, false },
	};
	struct cause_case tc = {
		.err = EPERM,
		.fd = 3,
		.ev_flags = LT_EVF_HAVE_INODE,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0666, 0, 0) },
	};
	struct lt_cause_input in;
	struct lt_cause out;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		tc.sys = t[i].sys;
		tc.io_flags = t[i].io_flags;
		tc.i_flags = t[i].i_flags;
		cause_build(&tc, &in);
		lt_cause_decide(&in, &out);
		if ((out.kind == LT_CAUSE_IMMUTABLE) != t[i].refused)
			fail_msg("%s flags %#x i_flags %#x: %s: %s", lt_syscall_name(t[i].sys),
				 t[i].io_flags, t[i].i_flags, lt_cause_kind_name(out.kind),
				 out.detail);
		if (t[i].refused)
			assert_int_equal(out.evidence, LT_EV_KERNEL);
	}
}

int main(void)
{
	static const struct CMUnitTest direct[] = {
		cmocka_unit_test(test_open_may),	 cmocka_unit_test(test_may_str),
		cmocka_unit_test(test_dac_check),	 cmocka_unit_test(test_cap_would_grant),
		cmocka_unit_test(test_io_flags_by_call),
	};

	return cause_run(direct, sizeof(direct) / sizeof(direct[0]), CAUSE_DAC);
}

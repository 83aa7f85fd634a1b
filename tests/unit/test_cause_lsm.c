// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests for user/cause/lsm.c: which security module refused, from
 * the LSM tier's record or by elimination, and the cause object's fields
 * for it; the cases of kind lsm.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include "cause/cause.h"
#include "cause/explain.h"
#include "common/buf.h"
#include "common/decode.h"
#include "cause_build.h"

/* Fields that do not apply stay -1/NULL whatever was in out before. */
/* The JSON cause object carries SELinux's fields for an lsm cause. */
static void test_selinux_json(void **state)
{
	static struct lt_obj objs[4];
	struct lt_event *ev =
		cause_make_event(LT_SYS_OPENAT, EACCES, 4242, 4242, "/srv/locks/a.lock");
	struct lt_cause_input in = {};
	struct lt_verdict v = { .in = &in };
	struct lt_buf b = {};

	(void)state;
	ev->open_flags = O_RDWR;
	cause_obj_from(&objs[0], 'd', 0755, 0, 0, NULL);
	snprintf(objs[0].path, sizeof(objs[0].path), "/");
	cause_obj_from(&objs[1], 'd', 0755, 0, 0, NULL);
	snprintf(objs[1].path, sizeof(objs[1].path), "/srv");
	cause_obj_from(&objs[2], 'd', 0755, 0, 0, NULL);
	snprintf(objs[2].path, sizeof(objs[2].path), "/srv/locks");
	cause_obj_from(&objs[3], 'f', 0666, 0, 0, NULL);
	snprintf(objs[3].path, sizeof(objs[3].path), "/srv/locks/a.lock");
	in.ev = ev;
	in.creds_in_init_userns = true;
	in.comp = objs;
	in.ncomp = 4;
	in.fd_accmode = -1;
	snprintf(in.lsm_list, sizeof(in.lsm_list), "lockdown,capability,selinux,bpf");
	in.avc = &cause_avc_write;
	snprintf(in.avc_denied, sizeof(in.avc_denied), "write open");
	lt_cause_decide(&in, &v.cause);
	assert_int_equal(v.cause.kind, LT_CAUSE_LSM);
	lt_cause_json(&b, &v);
	assert_non_null(b.data);
	assert_non_null(strstr(b.data, "\"lsm\":{\"name\":\"selinux\""));
	assert_non_null(strstr(b.data, "\"scontext\":\"system_u:system_r:test_t\""));
	assert_non_null(strstr(b.data, "\"tcontext\":\"system_u:object_r:lock_t\""));
	assert_non_null(strstr(b.data, "\"tclass\":\"file\""));
	assert_non_null(strstr(b.data, "\"permission\":\"write open\""));
	assert_non_null(strstr(b.data, "\"evidence\":\"kernel\""));
	lt_buf_free(&b);
}

/* LSM tier: the cause object carries the kernel's record. */
static void test_kernel_json(void **state)
{
	static const struct deny_spec ds = { LT_HOOK_SEC_PATH_MKNOD,
					     LT_LSM_APPARMOR,
					     -EACCES,
					     0100600,
					     040755,
					     0,
					     0,
					     0,
					     LT_DENY_HAS_NAME,
					     11,
					     "/srv/locks/new.lock" };
	static const struct cause_case tc = {
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_WRONLY | O_CREAT,
		.comp = { LOCKS, MISSING("/srv/locks/new.lock") },
		.lsm_list = "apparmor,bpf",
		.deny = &ds,
	};
	struct lt_cause_input in;
	struct lt_verdict v = { .in = &in };
	struct lt_buf b = {};

	(void)state;
	cause_build(&tc, &in);
	lt_cause_decide(&in, &v.cause);
	assert_true(v.cause.kernel_check);
	lt_cause_json(&b, &v);
	assert_non_null(b.data);
	assert_non_null(strstr(b.data, "\"lsm\":{\"name\":\"apparmor\""));
	assert_non_null(strstr(b.data, "\"kernel\":{\"check\":\"security_path_mknod\","
				       "\"function\":\"apparmor_path_mknod\",\"ret\":-13,"
				       "\"error\":\"EACCES\",\"object\":{\"path\":\"/srv/locks\","
				       "\"name\":\"new.lock\",\"ino\":77,\"dev\":\"8:1\","
				       "\"type\":\"dir\",\"mode\":\"0755\""));
	lt_buf_free(&b);
	/* Without the tier: no kernel object. */
	in.deny = NULL;
	lt_cause_decide(&in, &v.cause);
	assert_false(v.cause.kernel_check);
	lt_cause_json(&b, &v);
	assert_null(strstr(b.data, "\"kernel\""));
	lt_buf_free(&b);
}

/* By elimination, the one active module that refuses by its own policy
 * (the mac column of bpf/lsm.def) is named, by name in JSON and in words in
 * the detail; a BPF LSM program is not among them. */
static void test_single_mac(void **state)
{
	static const struct {
		const char *name;
		bool mac;
	} modules[] = {
#define LT_LSM_MODULE(ID, value, name, title, fn_prefix, mac) { name, mac },
#include "lsm.def"
	};
	struct cause_case tc = {
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0666, 0, 0) },
	};
	struct lt_cause_input in;
	struct lt_verdict v = { .in = &in };
	struct lt_buf b = {};
	char list[64], want[96];

	(void)state;
	for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++) {
		snprintf(list, sizeof(list), "lockdown,capability,%s", modules[i].name);
		tc.lsm_list = list;
		cause_build(&tc, &in);
		lt_cause_decide(&in, &v.cause);
		assert_int_equal(v.cause.kind, LT_CAUSE_LSM);
		lt_buf_reset(&b);
		lt_cause_json(&b, &v);
		assert_non_null(b.data);
		if (!modules[i].mac) {
			assert_int_equal(v.cause.lsm, LT_LSM_NONE);
			assert_non_null(strstr(b.data, "\"lsm\":{\"name\":null"));
			continue;
		}
		assert_string_equal(lt_lsm_id_name(v.cause.lsm), modules[i].name);
		snprintf(want, sizeof(want), "\"lsm\":{\"name\":\"%s\"", modules[i].name);
		assert_non_null(strstr(b.data, want));
		snprintf(want, sizeof(want), "; the %s security module refused", modules[i].name);
		assert_non_null(strstr(v.cause.detail, want));
	}
	lt_buf_free(&b);
}

int main(void)
{
	static const struct CMUnitTest direct[] = {
		cmocka_unit_test(test_selinux_json),
		cmocka_unit_test(test_kernel_json),
		cmocka_unit_test(test_single_mac),
	};

	return cause_run(direct, sizeof(direct) / sizeof(direct[0]), CAUSE_LSM);
}

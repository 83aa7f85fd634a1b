// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests for user/cause/remote.c and ntstatus.c: a network share's
 * server answered (its NT status, as the cifs client traced it), or the
 * client refused by itself; the table of NT statuses and SMB2 commands;
 * the answer's place in the ring buffer's record (common/event.c), its
 * JSON and its fix; and the cases of kinds remote_*.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include "cause/cause.h"
#include "cause/explain.h"
#include "cause/ntstatus.h"
#include "common/event.h"
#include "cause_build.h"

/* The statuses a refusal comes with: their names, and the cause each
 * stands for by itself. */
static void test_nt_status_table(void **state)
{
	static const struct {
		__u32 status;
		const char *name;
		enum lt_cause_kind kind;
	} want[] = {
		{ 0xC0000055, "STATUS_LOCK_NOT_GRANTED", LT_CAUSE_REMOTE_LOCK_CONFLICT },
		{ 0xC0000054, "STATUS_FILE_LOCK_CONFLICT", LT_CAUSE_REMOTE_LOCK_CONFLICT },
		{ 0xC0000043, "STATUS_SHARING_VIOLATION", LT_CAUSE_REMOTE_SHARING_VIOLATION },
		{ 0xC0000022, "STATUS_ACCESS_DENIED", LT_CAUSE_REMOTE_ACCESS_DENIED },
		{ 0xC00000CA, "STATUS_NETWORK_ACCESS_DENIED", LT_CAUSE_REMOTE_ACCESS_DENIED },
		{ 0xC00000A2, "STATUS_MEDIA_WRITE_PROTECTED", LT_CAUSE_REMOTE_READ_ONLY },
		{ 0xC000007F, "STATUS_DISK_FULL", LT_CAUSE_REMOTE_DISK_FULL },
		{ 0xC0000044, "STATUS_QUOTA_EXCEEDED", LT_CAUSE_REMOTE_QUOTA },
		/* Named, deciding nothing by themselves. */
		{ 0xC0000016, "STATUS_MORE_PROCESSING_REQUIRED", LT_CAUSE_NONE },
		{ 0xC00000CC, "STATUS_BAD_NETWORK_NAME", LT_CAUSE_NONE },
		{ 0xC0000034, "STATUS_OBJECT_NAME_NOT_FOUND", LT_CAUSE_NONE },
		{ 0xC000007E, "STATUS_RANGE_NOT_LOCKED", LT_CAUSE_NONE },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_non_null(lt_nt_status_name(want[i].status));
		assert_string_equal(lt_nt_status_name(want[i].status), want[i].name);
		assert_int_equal(lt_nt_status_kind(want[i].status), want[i].kind);
	}
	/* Not in the table: no name, no kind. */
	assert_null(lt_nt_status_name(0xC0001234));
	assert_int_equal(lt_nt_status_kind(0xC0001234), LT_CAUSE_NONE);
	assert_true(lt_cause_kind_is_remote(LT_CAUSE_REMOTE_QUOTA));
	assert_true(lt_cause_kind_is_remote(LT_CAUSE_REMOTE_LOCK_CONFLICT));
	assert_false(lt_cause_kind_is_remote(LT_CAUSE_REMOTE_FS));
	assert_false(lt_cause_kind_is_remote(LT_CAUSE_NONE));
	assert_string_equal(lt_smb2_cmd_name(5), "CREATE");
	assert_string_equal(lt_smb2_cmd_name(8), "READ");
	assert_string_equal(lt_smb2_cmd_name(9), "WRITE");
	assert_string_equal(lt_smb2_cmd_name(10), "LOCK");
	assert_string_equal(lt_smb2_cmd_name(18), "OPLOCK_BREAK");
	assert_null(lt_smb2_cmd_name(19));
	assert_null(lt_smb2_cmd_name(0xffff));
}

/* Every row: a STATUS_ name, a value of its own, a known kind. */
static void test_nt_status_rows(void **state)
{
	static const struct {
		__u32 value;
		const char *name;
		int kind;
	} rows[] = {
#define LT_X(name, value, kind) { value, #name, kind },
		LT_NT_STATUSES(LT_X)
#undef LT_X
	};
	size_t n = sizeof(rows) / sizeof(rows[0]);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(strncmp(rows[i].name, "STATUS_", 7), 0);
		assert_true(rows[i].kind >= 0 && rows[i].kind < LT_CAUSE_KIND_COUNT);
		assert_string_equal(lt_nt_status_name(rows[i].value), rows[i].name);
		for (size_t j = i + 1; j < n; j++)
			if (rows[i].value == rows[j].value)
				fail_msg("%s and %s: both 0x%08x", rows[i].name, rows[j].name,
					 rows[i].value);
	}
}

/* A ring-buffer record: event, path, the LSM tier's record (optional),
 * then the answer at the next 8-byte boundary. */
static size_t make_record(char *buf, size_t cap, bool with_deny, const struct lt_remote *r)
{
	struct lt_event *ev = (void *)buf;
	const char *path = "/home/site/locks/status.lock", *dpath = "/home/site/locks";
	size_t n = strlen(path), off;

	memset(buf, 0, cap);
	ev->type = LT_REC_ACCESS;
	ev->syscall = LT_SYS_FLOCK;
	ev->ret = -EACCES;
	memcpy(ev->path, path, n + 1);
	ev->path_len = (__u16)n;
	ev->arg_off = (__u16)n;
	off = sizeof(*ev) + n + 1;
	if (with_deny) {
		struct lt_deny *d = (void *)(buf + LT_DENY_OFFSET(n));

		ev->ev_flags |= LT_EVF_HAVE_DENY;
		d->path_len = (__u16)strlen(dpath);
		memcpy(d->path, dpath, d->path_len + 1);
		off = LT_DENY_OFFSET(n) + sizeof(*d) + d->path_len + 1;
	}
	off = (off + 7) & ~(size_t)7;
	ev->ev_flags |= LT_EVF_HAVE_REMOTE;
	memcpy(buf + off, r, sizeof(*r));
	ev->size = (__u32)(off + sizeof(*r));
	return ev->size;
}

static void test_event_layout(void **state)
{
	static char buf[sizeof(struct lt_event) + 1024];
	const struct lt_event *ev = (void *)buf;
	struct lt_remote r = { .fs = LT_NETFS_CIFS,
			       .flags = LT_REMOTE_STATUS,
			       .status = 0xC0000055 };
	size_t size;

	(void)state;
	for (int deny = 0; deny < 2; deny++) {
		size = make_record(buf, sizeof(buf), deny, &r);
		assert_int_equal(lt_event_check(buf, size), 0);
		assert_non_null(lt_event_remote(ev));
		assert_int_equal(lt_event_remote(ev)->status, 0xC0000055);
		assert_int_equal((uintptr_t)lt_event_remote(ev) % 8, 0);
		assert_true(deny ? lt_event_deny(ev) != NULL : lt_event_deny(ev) == NULL);
		/* A record that claims an answer it does not hold is refused. */
		((struct lt_event *)buf)->size -= 8;
		assert_int_equal(lt_event_check(buf, size), -1);
	}
	((struct lt_event *)buf)->ev_flags &= ~LT_EVF_HAVE_REMOTE;
	assert_null(lt_event_remote(ev));
}

/* The cause's JSON says where the share is and what its server answered. */
static void test_remote_json(void **state)
{
	static const struct lt_remote r = {
		.fs = LT_NETFS_CIFS,
		.flags = LT_REMOTE_STATUS | LT_REMOTE_CLIENT,
		.status = 0xC0000055,
		.cmd = 10,
		.op = LT_ROP_LOCK,
		.status_rc = -EACCES,
		.rc = -EACCES,
		.tid = 0x5,
		.sesid = 0x9d4e1a7f00000001ULL,
		.func = "cifs_flock",
	};
	static const struct fs_spec fs = { "cifs", "//srv/share", "/home", "rw", false, 0, 0, 0, 0 };
	const struct cause_case tc = {
		.sys = LT_SYS_FLOCK,
		.err = EACCES,
		.lock_cmd = LOCK_EX | LOCK_NB,
		.comp = { ROOT, DIR_("/home", 0755, 0, 0), FILE_("/home/status.lock", 0755, 0, 0) },
		.fs = &fs,
		.remote = &r,
	};
	static struct lt_cause_input in;
	struct lt_verdict v = { .in = &in };
	struct lt_buf b = {};

	(void)state;
	cause_build(&tc, &in);
	lt_cause_decide(&in, &v.cause);
	assert_int_equal(v.cause.kind, LT_CAUSE_REMOTE_LOCK_CONFLICT);
	lt_buf_puts(&b, "{\"x\":0");
	lt_cause_json(&b, &v);
	lt_buf_puts(&b, "}");
	assert_non_null(strstr(
		b.data,
		"\"remote\":{\"fs\":\"cifs\",\"share\":\"//srv/share\",\"mountpoint\":\"/home\","
		"\"status\":\"STATUS_LOCK_NOT_GRANTED\",\"status_hex\":\"0xc0000055\","
		"\"command\":\"LOCK\",\"status_errno\":\"EACCES\","
		"\"session_id\":\"0x9d4e1a7f00000001\",\"tree_id\":\"0x5\",\"operation\":\"lock\","
		"\"function\":\"cifs_flock\",\"errno\":\"EACCES\"}"));
	assert_non_null(strstr(b.data, "\"kind\":\"remote_lock_conflict\""));
	assert_non_null(strstr(b.data, "\"evidence\":\"kernel\""));
	lt_buf_reset(&b);
	lt_cause_fix(&b, &v);
	assert_non_null(strstr(b.data, "smbstatus -L"));
	assert_non_null(strstr(b.data, "//srv/share"));
	lt_buf_free(&b);
}

/* A holder through another mount of the share is named in the fix. */
static void test_remote_peer_fix(void **state)
{
	static const struct lt_remote r = {
		.fs = LT_NETFS_CIFS,
		.flags = LT_REMOTE_STATUS,
		.status = 0xC0000055,
		.cmd = 10,
		.status_rc = -EACCES,
	};
	static const struct fs_spec fs = {
		"cifs", "//srv/share", "/mnt/b", "rw", false, 0, 0, 0, 0
	};
	const struct cause_case tc = {
		.sys = LT_SYS_FCNTL,
		.err = EACCES,
		.lock_cmd = F_SETLK,
		.lock_type = F_WRLCK,
		.comp = { ROOT, DIR_("/mnt", 0755, 0, 0), DIR_("/mnt/b", 0755, 0, 0),
			  FILE_("/mnt/b/status.lock", 0755, 0, 0) },
		.fs = &fs,
		.remote = &r,
		.peer = "/mnt/a",
		.holders = { { .pid = 4711,
			       .comm = "dotnet",
			       .type = F_WRLCK,
			       .posix = true,
			       .end = -1,
			       .via_peer = true } },
		.nholders = 1,
	};
	static struct lt_cause_input in;
	struct lt_verdict v = { .in = &in };
	struct lt_buf b = {};

	(void)state;
	cause_build(&tc, &in);
	lt_cause_decide(&in, &v.cause);
	assert_int_equal(v.cause.kind, LT_CAUSE_REMOTE_LOCK_CONFLICT);
	assert_int_equal(v.cause.holder, 0);
	assert_non_null(strstr(v.cause.detail, "write lock on the whole file, through /mnt/a"));
	lt_cause_fix(&b, &v);
	assert_non_null(strstr(b.data, "wait for pid 4711 (dotnet) to release it (it holds it "
				       "through /mnt/a, another session to //srv/share)"));
	lt_buf_reset(&b);
	lt_cause_json(&b, &v);
	assert_null(strstr(b.data, "\"seen_by_kernel\""));
	assert_non_null(strstr(b.data, "\"through\":\"/mnt/a\""));
	lt_buf_free(&b);
}

/* Off cifs nothing changes: EACCES from fcntl is a holder in the way, and
 * flock's EACCES is no conflict at all. */
static void test_not_cifs(void **state)
{
	static const struct fs_spec fs = { "ext4", "/dev/sda1", "/", "rw", false, 0, 0, 0, 0 };
	const struct cause_case tc = {
		.sys = LT_SYS_FLOCK,
		.err = EACCES,
		.lock_cmd = LOCK_EX | LOCK_NB,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0644, 0, 0) },
		.fs = &fs,
	};
	static struct lt_cause_input in;
	struct lt_cause out;

	(void)state;
	cause_build(&tc, &in);
	lt_cause_decide(&in, &out);
	assert_int_equal(out.kind, LT_CAUSE_UNKNOWN);
}

int main(void)
{
	static const struct CMUnitTest direct[] = {
		cmocka_unit_test(test_nt_status_table), cmocka_unit_test(test_nt_status_rows),
		cmocka_unit_test(test_event_layout),	cmocka_unit_test(test_remote_json),
		cmocka_unit_test(test_remote_peer_fix), cmocka_unit_test(test_not_cifs),
	};

	return cause_run(direct, sizeof(direct) / sizeof(direct[0]), CAUSE_REMOTE);
}

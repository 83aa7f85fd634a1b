// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests for user/cause/fs.c: missing names, read-only, full and
 * over-quota filesystems, and remote ones whose server refused; the cases
 * of kinds not_found, readonly_fs, no_space, quota and remote_fs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include "cause/cause.h"
#include "cause_build.h"

/* When every local check allows it, the server of a network filesystem
 * (or a FUSE daemon) is the one that refused; on a local one, a module. */
static void test_remote_types(void **state)
{
	static const char *const remote[] = { "cifs", "smb3", "smbfs", "nfs",	    "nfs4",
					      "9p",   "ceph", "fuse",  "fuse.sshfs" };
	static const char *const local[] = { "ext4", "tmpfs", "xfs", "overlay", "nfsd" };
	struct fs_spec fs = { .source = "src", .mountpoint = "/srv", .options = "rw" };
	struct cause_case tc = {
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0666, 0, 0) },
		.fs = &fs,
	};
	struct lt_cause_input in;
	struct lt_cause out;

	(void)state;
	for (size_t i = 0; i < sizeof(remote) / sizeof(remote[0]); i++) {
		fs.type = remote[i];
		cause_build(&tc, &in);
		lt_cause_decide(&in, &out);
		if (out.kind != LT_CAUSE_REMOTE_FS)
			fail_msg("%s: %s", remote[i], lt_cause_kind_name(out.kind));
		assert_non_null(strstr(out.detail, "but the server refused"));
	}
	for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++) {
		fs.type = local[i];
		cause_build(&tc, &in);
		lt_cause_decide(&in, &out);
		if (out.kind != LT_CAUSE_LSM)
			fail_msg("%s: %s", local[i], lt_cause_kind_name(out.kind));
	}
}

/* EACCES from a write on a descriptor: the mode bits are not checked
 * after open, so on a network filesystem the server refused, on a local
 * one a security module; never a DAC cause, even when the bits deny now. */
static void test_io_eacces_remote_types(void **state)
{
	static const char *const remote[] = { "cifs", "smb3", "nfs4", "9p", "ceph", "fuse.sshfs" };
	static const char *const local[] = { "ext4", "tmpfs", "xfs", "btrfs" };
	struct fs_spec fs = { .source = "src", .mountpoint = "/srv", .options = "rw" };
	struct cause_case tc = {
		.sys = LT_SYS_PWRITE64,
		.err = EACCES,
		.flags = O_WRONLY,
		.fsuid = 4242,
		.fsgid = 4242,
		.fd = 3,
		.ev_flags = LT_EVF_HAVE_INODE,
		.io_len = 16,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0600, 0, 0) },
		.fd_acc = "w",
		.fd_acc_kernel = true,
		.fs = &fs,
	};
	struct lt_cause_input in;
	struct lt_cause out;

	(void)state;
	for (size_t i = 0; i < sizeof(remote) / sizeof(remote[0]); i++) {
		fs.type = remote[i];
		cause_build(&tc, &in);
		lt_cause_decide(&in, &out);
		if (out.kind != LT_CAUSE_REMOTE_FS)
			fail_msg("%s: %s", remote[i], lt_cause_kind_name(out.kind));
		assert_non_null(
			strstr(out.detail, "the server refused pwrite64 of 16 bytes at offset 0"));
	}
	for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++) {
		fs.type = local[i];
		cause_build(&tc, &in);
		lt_cause_decide(&in, &out);
		if (out.kind != LT_CAUSE_LSM)
			fail_msg("%s: %s", local[i], lt_cause_kind_name(out.kind));
		assert_non_null(strstr(out.detail, "refused after open"));
	}
}

int main(void)
{
	static const struct CMUnitTest direct[] = {
		cmocka_unit_test(test_remote_types),
		cmocka_unit_test(test_io_eacces_remote_types),
	};

	return cause_run(direct, sizeof(direct) / sizeof(direct[0]), CAUSE_FS);
}

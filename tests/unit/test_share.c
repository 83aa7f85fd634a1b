// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for user/common/share.c: a file on a share named the same way
 * from every host that mounts it, whatever the mount's source says. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include "common/share.h"

static void expect_share(const char *src, const char *path, const char *share, const char *spath)
{
	struct lt_buf s = {}, p = {};

	lt_share_of(src, strlen(src), path, strlen(path), &s, &p);
	assert_false(s.oom || p.oom);
	if (strcmp(s.data ? s.data : "", share) || strcmp(p.data ? p.data : "", spath))
		fail_msg("'%s' + '%s': got '%s' '%s', want '%s' '%s'", src, path,
			 s.data ? s.data : "", p.data ? p.data : "", share, spath);
	lt_buf_free(&s);
	lt_buf_free(&p);
}

static void test_smb(void **state)
{
	(void)state;
	/* Host A mounts the share's root at /home, host B a directory of it
	 * at /mnt/site: one name for the file either way. */
	expect_share("//FileSrv/Share", "/site/locks/status.lock", "//filesrv/share",
		     "/site/locks/status.lock");
	expect_share("//filesrv/share/site", "/site/locks/status.lock", "//filesrv/share",
		     "/site/locks/status.lock");
	/* ... also when the filesystem's root is the mounted directory
	 * (cifs's prefix path without access to the share's root). */
	expect_share("//filesrv/share/site", "/locks/status.lock", "//filesrv/share",
		     "/site/locks/status.lock");
	/* Backslashes, doubled and trailing separators. */
	expect_share("\\\\FileSrv\\Share\\Site\\\\", "/locks/x.lock", "//filesrv/share",
		     "/Site/locks/x.lock");
	expect_share("//srv/share", "/", "//srv/share", "/");
	expect_share("//srv/share/site", "/", "//srv/share", "/site");
	/* A path that only starts like the directory is not within it. */
	expect_share("//srv/share/site", "/sitex/a.lock", "//srv/share", "/site/sitex/a.lock");
}

static void test_nfs_and_others(void **state)
{
	(void)state;
	expect_share("NAS01:/export/home", "/locks/a.lock", "nas01:", "/export/home/locks/a.lock");
	expect_share("nas01:/export", "/home/locks/a.lock", "nas01:", "/export/home/locks/a.lock");
	expect_share("[fe80::1]:/export", "/a.lock", "[fe80::1]:", "/export/a.lock");
	expect_share("user@host:/data", "/a.lock", "user@host:", "/data/a.lock");
	/* A FUSE daemon's source directory, or its name: as it is. */
	expect_share("/srv/src", "/locks/a.lock", "/srv/src", "/locks/a.lock");
	expect_share("bindfs", "/locks/a.lock", "bindfs", "/locks/a.lock");
	expect_share("/odd:dir", "/a.lock", "/odd:dir", "/a.lock");
	expect_share("", "/a.lock", "", "/a.lock");
}

/* The network filesystems by the kernel's type names: FUSE's subtypes are
 * FUSE, fuseblk (a local disk) and fusectl are not; no prefix matches; the
 * --holders default is the same list. */
static void test_netfs_types(void **state)
{
	static const char *const yes[] = { "cifs", "smb3", "nfs",	 "nfs4",       "9p",
					   "ceph", "fuse", "fuse.sshfs", "fuse.bindfs" };
	static const char *const no[] = { "",	  "ext4",  "tmpfs", "fuseblk", "fusectl",
					  "nfsd", "cifsx", "nfs4x", "smb",     ".fuse" };
	char fixed[16] = "cifs"; /* a fixed-size name, NUL-padded */

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!lt_netfs_type(yes[i], strlen(yes[i])))
			fail_msg("'%s' not taken as a network filesystem", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (lt_netfs_type(no[i], strlen(no[i])))
			fail_msg("'%s' taken as a network filesystem", no[i]);
	assert_true(lt_netfs_type(fixed, sizeof(fixed)));
	assert_true(lt_netfs_type("nfs4", 3)); /* "nfs": the first 3 bytes */
	assert_string_equal(LT_NETFS_DEFAULT, "cifs,smb3,smbfs,nfs,nfs4,9p,ceph,fuse");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smb),
		cmocka_unit_test(test_nfs_and_others),
		cmocka_unit_test(test_netfs_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

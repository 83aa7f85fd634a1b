// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* ltwork: the open subcommands (open, sys-open, creat, openat, openat2, burst, repeat). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/landlock.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "ltwork.h"

int cmd_open(int argc, char **argv)
{
	int flags;
	long ret;

	if (argc < 2)
		usage();
	flags = parse_open_flags(argc - 1, argv + 1);
	ret = sys_openat(AT_FDCWD, argv[0], flags);
	result(ret, errno);
	return 0;
}

int cmd_sys_open(int argc, char **argv)
{
	int flags;
	long ret;

	if (argc < 2)
		usage();
	flags = parse_open_flags(argc - 1, argv + 1);
#ifdef SYS_open
	ret = syscall(SYS_open, argv[0], flags, CREAT_MODE);
#else
	errno = ENOSYS;
	ret = -1;
#endif
	result(ret, errno);
	return 0;
}

int cmd_creat(int argc, char **argv)
{
	long ret;

	if (argc != 1)
		usage();
#ifdef SYS_creat
	ret = syscall(SYS_creat, argv[0], CREAT_MODE);
#else
	errno = ENOSYS;
	ret = -1;
#endif
	result(ret, errno);
	return 0;
}

int cmd_openat2(int argc, char **argv)
{
	struct open_how how;
	unsigned long long resolve = 0;
	int flags, dirfd;
	long ret;

	if (argc < 3)
		usage();
	flags = parse_open_flags2(argc - 2, argv + 2, &resolve);
	dirfd = open_or_die(argv[0], O_RDONLY | O_DIRECTORY);
	printf("dirfd=%d\n", dirfd);
	memset(&how, 0, sizeof(how));
	how.flags = (unsigned long long)flags;
	how.mode = (flags & O_CREAT) ? CREAT_MODE : 0;
	how.resolve = resolve;
	ret = syscall(SYS_openat2, dirfd, argv[1], &how, sizeof(how));
	result(ret, errno);
	return 0;
}

int cmd_openat(int argc, char **argv)
{
	int flags, dirfd;
	long ret;

	if (argc < 3)
		usage();
	flags = parse_open_flags(argc - 2, argv + 2);
	dirfd = open_or_die(argv[0], O_RDONLY | O_DIRECTORY);
	printf("dirfd=%d\n", dirfd);
	ret = sys_openat(dirfd, argv[1], flags);
	result(ret, errno);
	return 0;
}

int cmd_burst(int argc, char **argv)
{
	char path[PATH_MAX];
	long long i, n, failures = 0;

	if (argc != 2)
		usage();
	n = parse_num("count", argv[1], 0, 10000000);
	for (i = 0; i < n; i++) {
		int len = snprintf(path, sizeof(path), "%s/burst-%lld.lock", argv[0], i);
		long fd;

		if (len < 0 || (size_t)len >= sizeof(path))
			bad("directory", argv[0]);
		fd = sys_openat(AT_FDCWD, path, O_RDWR);
		if (fd < 0)
			failures++;
		else
			close((int)fd);
	}
	printf("done %lld failures=%lld\n", n, failures);
	fflush(stdout);
	return 0;
}

int cmd_repeat(int argc, char **argv)
{
	long long i, n, failures = 0;

	if (argc != 2)
		usage();
	n = parse_num("count", argv[1], 0, 100000000);
	for (i = 0; i < n; i++) {
		long fd = sys_openat(AT_FDCWD, argv[0], O_RDWR);

		if (fd < 0)
			failures++;
		else
			close((int)fd);
	}
	printf("done %lld failures=%lld\n", n, failures);
	fflush(stdout);
	return 0;
}

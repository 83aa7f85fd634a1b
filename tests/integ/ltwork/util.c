// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* ltwork: what every subcommand uses: parsing, results, identity, the go file. */
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

const char *prog = "ltwork";

/* Restrict this process with Landlock: no file may be opened for writing,
 * anywhere (a handled right with no rule allowing it). */
void landlock_no_writes(void)
{
	struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
	int fd;

	fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_landlock_restrict_self, fd, 0)) {
		fprintf(stderr, "%s: landlock: %s\n", prog, strerror(errno));
		printf("setup-err=landlock\n");
		exit(1);
	}
	close(fd);
}

void bad(const char *what, const char *arg)
{
	fprintf(stderr, "%s: bad %s: '%s'\n", prog, what, arg);
	exit(2);
}

static const char *errname(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "EUNKNOWN";
}

void result(long ret, int err)
{
	if (ret < 0)
		printf("err=%s errno=%d\n", errname(err), err);
	else
		printf("ok\n");
	fflush(stdout);
}

void setup_failed(const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(err));
	printf("setup-err=%s errno=%d\n", errname(err), err);
	fflush(stdout);
	exit(1);
}

long long parse_num(const char *what, const char *s, long long min, long long max)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		bad(what, s);
	return v;
}

static int parse_access(const char *s)
{
	if (!strcmp(s, "rdonly"))
		return O_RDONLY;
	if (!strcmp(s, "wronly"))
		return O_WRONLY;
	if (!strcmp(s, "rdwr"))
		return O_RDWR;
	bad("access mode", s);
	return -1;
}

/* rdonly|wronly|rdwr [creat] [excl] [beneath]; beneath only if resolve */
int parse_open_flags2(int argc, char **argv, unsigned long long *resolve)
{
	int flags, i;

	if (argc < 1)
		usage();
	flags = parse_access(argv[0]);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "creat"))
			flags |= O_CREAT;
		else if (!strcmp(argv[i], "excl"))
			flags |= O_EXCL;
		else if (resolve && !strcmp(argv[i], "beneath"))
			*resolve |= RESOLVE_BENEATH;
		else
			bad("open flag", argv[i]);
	}
	return flags;
}

int parse_open_flags(int argc, char **argv)
{
	return parse_open_flags2(argc, argv, NULL);
}

void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void wait_for_go(const char *file)
{
	long waited;

	printf("pid=%d\n", (int)getpid());
	fflush(stdout);
	for (waited = 0; waited < 30000; waited++) {
		if (access(file, F_OK) == 0)
			return;
		sleep_ms(1);
	}
	fprintf(stderr, "%s: %s did not appear in 30 s, going on\n", prog, file);
}

void set_identity(long long uid, long long gid)
{
	if (gid >= 0 || uid >= 0) {
		if (setgroups(0, NULL))
			setup_failed("setgroups", errno);
	}
	if (gid < 0 && uid >= 0)
		gid = uid;
	if (gid >= 0 && setresgid((gid_t)gid, (gid_t)gid, (gid_t)gid))
		setup_failed("setresgid", errno);
	if (uid >= 0 && setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid))
		setup_failed("setresuid", errno);
}

long sys_openat(int dirfd, const char *name, int flags)
{
	return syscall(SYS_openat, dirfd, name, flags, CREAT_MODE);
}

int open_or_die(const char *path, int flags)
{
	long fd = sys_openat(AT_FDCWD, path, flags);

	if (fd < 0)
		setup_failed(path, errno);
	return (int)fd;
}

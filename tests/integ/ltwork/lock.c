// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* ltwork: lock calls and lock holders (flock, setlk, getlk, hold-*, flock-burst). */
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

static int flock_op(const char *s)
{
	if (!strcmp(s, "ex"))
		return LOCK_EX;
	if (!strcmp(s, "sh"))
		return LOCK_SH;
	bad("lock kind", s);
	return -1;
}

int cmd_flock(int argc, char **argv)
{
	int op, fd;
	long ret;

	if (argc < 2 || argc > 3)
		usage();
	op = flock_op(argv[1]);
	if (argc == 3) {
		if (strcmp(argv[2], "nb"))
			bad("flock flag", argv[2]);
		op |= LOCK_NB;
	}
	fd = open_or_die(argv[0], O_RDONLY);
	printf("fd=%d\n", fd);
	ret = syscall(SYS_flock, fd, op);
	result(ret, errno);
	return 0;
}

#ifdef SYS_fcntl64
/* i386: fcntl64 with a struct flock64 (F_SETLK64, F_SETLKW64, OFD). */
static long setlk64_at(void *where, int fd, int cmd, short type, long long start, long long len)
{
	struct flock64 *fl = where;

	memset(fl, 0, sizeof(*fl));
	fl->l_type = type;
	fl->l_whence = SEEK_SET;
	fl->l_start = start;
	fl->l_len = len;
	if (cmd == F_SETLK)
		cmd = F_SETLK64;
	else if (cmd == F_SETLKW)
		cmd = F_SETLKW64;
	return syscall(SYS_fcntl64, fd, cmd, fl);
}

#endif

/* An fcntl lock call with its struct flock at @where: fcntl and struct
 * flock; on i386 fcntl64 and struct flock64 for OFD locks or with @f64. */
long setlk_at(void *where, int fd, int cmd, short type, long long start, long long len, int f64)
{
	struct flock *fl = where;

#ifdef SYS_fcntl64
	if (f64 || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW)
		return setlk64_at(where, fd, cmd, type, start, len);
#else
	if (f64)
		bad("setlk flag", "f64 (i386 only)");
#endif
	memset(fl, 0, sizeof(*fl));
	fl->l_type = type;
	fl->l_whence = SEEK_SET;
	fl->l_start = (off_t)start;
	fl->l_len = (off_t)len;
	return syscall(SYS_fcntl, fd, cmd, fl);
}

/* The system call setlk_at makes for @cmd (as /proc/PID/syscall shows it). */
long setlk_nr(int cmd, int f64)
{
#ifdef SYS_fcntl64
	if (f64 || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW)
		return SYS_fcntl64;
#endif
	(void)cmd;
	(void)f64;
	return SYS_fcntl;
}

long setlk(int fd, int cmd, short type, long long start, long long len)
{
	union {
		struct flock fl;
#ifdef SYS_fcntl64
		struct flock64 fl64;
#endif
	} u;

	return setlk_at(&u, fd, cmd, type, start, len, 0);
}

int cmd_setlk(int argc, char **argv)
{
	long long start, len;
	int fd, cmd = F_SETLK, acc = O_RDWR, err, f64 = 0;
	struct timespec t0, t1;
	union {
		struct flock fl;
#ifdef SYS_fcntl64
		struct flock64 fl64;
#endif
	} u;
	short type;
	long ret;

	if (argc != 4 && argc != 5)
		usage();
	if (argc == 5) {
		if (!strcmp(argv[4], "ofd"))
			cmd = F_OFD_SETLK;
		else if (!strcmp(argv[4], "ro"))
			acc = O_RDONLY;
		else if (!strcmp(argv[4], "wait"))
			cmd = F_SETLKW;
		else if (!strcmp(argv[4], "f64"))
			f64 = 1;
		else
			bad("setlk flag", argv[4]);
	}
	start = parse_num("start", argv[1], 0, LLONG_MAX);
	len = parse_num("len", argv[2], 0, LLONG_MAX);
	if (!strcmp(argv[3], "w"))
		type = F_WRLCK;
	else if (!strcmp(argv[3], "r"))
		type = F_RDLCK;
	else
		bad("lock type", argv[3]);
	fd = open_or_die(argv[0], acc);
	printf("fd=%d\n", fd);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = setlk_at(&u, fd, cmd, type, start, len, f64);
	err = errno;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (cmd == F_SETLKW)
		printf("waited_us=%lld\n", (long long)(t1.tv_sec - t0.tv_sec) * 1000000 +
						   (t1.tv_nsec - t0.tv_nsec) / 1000);
	errno = err;
	result(ret, errno);
	return 0;
}

int cmd_getlk(int argc, char **argv)
{
	struct flock fl;
	int fd;
	long ret;

	if (argc != 1)
		usage();
	fd = open_or_die(argv[0], O_RDWR);
	printf("fd=%d\n", fd);
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	ret = syscall(SYS_fcntl, fd, F_GETLK, &fl);
	if (ret >= 0)
		ret = syscall(SYS_fcntl, fd, F_GETFL);
	result(ret, errno);
	return 0;
}

/* Print "held"; after ms milliseconds (if > 0) release the lock with
 * release(fd) and print "released"; then stay until killed. */
void hold(int fd, long long ms, void (*release)(int fd))
{
	printf("held\n");
	fflush(stdout);
	if (ms > 0) {
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);
		release(fd);
		printf("released\n");
		fflush(stdout);
	}
	for (;;)
		pause();
}

static void release_flock(int fd)
{
	if (syscall(SYS_flock, fd, LOCK_UN))
		setup_failed("flock LOCK_UN", errno);
}

static void release_fcntl(int fd)
{
	if (setlk(fd, F_SETLK, F_UNLCK, 0, 0))
		setup_failed("fcntl F_UNLCK", errno);
}

int cmd_hold_flock(int argc, char **argv)
{
	int op, fd;

	if (argc != 2 && argc != 3)
		usage();
	op = flock_op(argv[1]);
	fd = open_or_die(argv[0], O_RDONLY);
	if (syscall(SYS_flock, fd, op))
		setup_failed("flock", errno);
	hold(fd, argc == 3 ? parse_num("ms", argv[2], 1, 600000) : 0, release_flock);
	return 0;
}

int cmd_hold_fcntl(int argc, char **argv)
{
	long long start, len;
	int fd;

	if (argc != 3 && argc != 4)
		usage();
	start = parse_num("start", argv[1], 0, LLONG_MAX);
	len = parse_num("len", argv[2], 0, LLONG_MAX);
	fd = open_or_die(argv[0], O_RDWR);
	if (setlk(fd, F_SETLK, F_WRLCK, start, len))
		setup_failed("fcntl F_SETLK", errno);
	hold(fd, argc == 4 ? parse_num("ms", argv[3], 1, 600000) : 0, release_fcntl);
	return 0;
}

int cmd_hold_ranges(int argc, char **argv)
{
	char path[PATH_MAX];
	long long i, n;
	int fd = -1;

	if (argc != 2)
		usage();
	n = parse_num("count", argv[1], 1, 1000000);
	/* 100 to a file: each lock taken checks those already on its inode. */
	for (i = 0; i < n; i++) {
		if (i % 100 == 0) {
			int len = snprintf(path, sizeof(path), "%s-%lld", argv[0], i / 100);

			if (len < 0 || (size_t)len >= sizeof(path))
				bad("path", argv[0]);
			fd = open(path, O_RDWR | O_CREAT, 0644);
			if (fd < 0)
				setup_failed("open", errno);
		}
		if (setlk(fd, F_SETLK, F_WRLCK, 2 * (i % 100), 1))
			setup_failed("fcntl F_SETLK", errno);
	}
	hold(fd, 0, release_fcntl);
	return 0;
}

/* DIR/f-I.lock, or a bad-usage exit. */
static void many_name(char *path, size_t len, const char *dir, long long i)
{
	int n = snprintf(path, len, "%s/f-%lld.lock", dir, i);

	if (n < 0 || (size_t)n >= len)
		bad("directory", dir);
}

int cmd_hold_flocks(int argc, char **argv)
{
	char path[PATH_MAX];
	long long i, n;
	int fd = -1;

	if (argc != 2)
		usage();
	n = parse_num("count", argv[1], 1, 100000);
	for (i = 0; i < n; i++) {
		many_name(path, sizeof(path), argv[0], i);
		fd = open(path, O_RDONLY | O_CREAT, 0644);
		if (fd < 0)
			setup_failed("open", errno);
		if (syscall(SYS_flock, fd, LOCK_EX))
			setup_failed("flock", errno);
	}
	hold(fd, 0, release_flock);
	return 0;
}

int cmd_flock_burst(int argc, char **argv)
{
	char path[PATH_MAX];
	long long i, n, failures = 0;

	if (argc != 2)
		usage();
	n = parse_num("count", argv[1], 0, 100000);
	for (i = 0; i < n; i++) {
		int fd;

		many_name(path, sizeof(path), argv[0], i);
		fd = open_or_die(path, O_RDONLY);
		if (syscall(SYS_flock, fd, LOCK_EX | LOCK_NB))
			failures++;
		close(fd);
	}
	printf("done %lld failures=%lld\n", n, failures);
	fflush(stdout);
	return 0;
}

/* holds PATH: locks on PATH taken and let go each its own way, one after
 * the other, 20 ms apart: flock LOCK_EX let go by LOCK_UN; a POSIX write
 * lock of bytes 0-9 and one of 20-29 (one owner: one hold), 0-9 let go by
 * F_UNLCK (the other is still held), then both by close; an OFD read lock
 * let go by F_OFD_SETLK F_UNLCK; flock LOCK_SH let go at the process's
 * exit. Prints "fd=N kind" as each is taken, then "done". */
int cmd_holds(int argc, char **argv)
{
	struct flock fl = { .l_whence = SEEK_SET };
	int fd;

	if (argc != 1)
		usage();
	fd = open_or_die(argv[0], O_RDWR);
	printf("fd=%d flock-unlock\n", fd);
	if (syscall(SYS_flock, fd, LOCK_EX))
		setup_failed("flock LOCK_EX", errno);
	sleep_ms(20);
	release_flock(fd);
	close(fd);

	fd = open_or_die(argv[0], O_RDWR);
	printf("fd=%d posix-close\n", fd);
	if (setlk(fd, F_SETLK, F_WRLCK, 0, 10) || setlk(fd, F_SETLK, F_WRLCK, 20, 10))
		setup_failed("fcntl F_SETLK", errno);
	sleep_ms(20);
	if (setlk(fd, F_SETLK, F_UNLCK, 0, 10))
		setup_failed("fcntl F_UNLCK", errno);
	sleep_ms(20);
	close(fd);

	fd = open_or_die(argv[0], O_RDWR);
	printf("fd=%d ofd-unlock\n", fd);
	fl.l_type = F_RDLCK;
	if (fcntl(fd, F_OFD_SETLK, &fl))
		setup_failed("fcntl F_OFD_SETLK", errno);
	sleep_ms(20);
	fl.l_type = F_UNLCK;
	if (fcntl(fd, F_OFD_SETLK, &fl))
		setup_failed("fcntl F_OFD_SETLK F_UNLCK", errno);
	close(fd);

	fd = open_or_die(argv[0], O_RDWR);
	printf("fd=%d flock-exit\n", fd);
	if (syscall(SYS_flock, fd, LOCK_SH))
		setup_failed("flock LOCK_SH", errno);
	sleep_ms(20);
	printf("done\n");
	fflush(stdout);
	return 0; /* exit lets it go */
}

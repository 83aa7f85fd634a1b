// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * lockloop: the benchmark workloads.
 *
 *   lockloop loop PATH N     N x (open O_RDWR|O_CREAT, flock LOCK_EX|LOCK_NB,
 *                            flock LOCK_UN, close); prints "ns_per_op=X"
 *                            (and, as every workload but deny,
 *                            "cpu_ns_per_op=Y": its own CPU time)
 *   lockloop deny PATH N     N failing opens (O_RDWR) of PATH, as fast as it
 *                            can; prints "failed=K ns_per_op=X"
 *   lockloop rw PATH N       N x (pwrite 64 bytes at 0, pread them back) on
 *                            PATH open O_RDWR|O_CREAT: successful writes
 *                            and reads of an open file; "ns_per_op=X"
 *   lockloop pipe - N        N x (write 64 bytes, read them back) on a pipe
 *   lockloop eagain - N      N x (read of an empty non-blocking pipe): the
 *                            EAGAIN of an event loop; "ns_per_op=X"
 *   lockloop ebadf - N       N x (read of a pipe's write end): EBADF, a
 *                            failure of a file that is not a regular one;
 *                            "ns_per_op=X"
 *   lockloop getppid - N     N x getppid(): a call locktrace never reports
 *   lockloop stat PATH N     N x (open O_RDONLY, close, stat) of PATH, a
 *                            deep path no pattern asks for
 *
 * --uid N first drops to that uid (and gid).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* N x (write 64 bytes to fd w, read 64 bytes back from r) at offset off
 * (-1: the file position); fail: N reads of r that must fail with it. */
static bool io_loop(int w, int r, long long off, long n, int fail)
{
	char buf[64] = { 0 };
	const ssize_t len = sizeof(buf);

	for (long i = 0; i < n; i++) {
		if (fail) {
			if (read(r, buf, len) != -1 || errno != fail)
				return false;
		} else if (off >= 0) {
			if (pwrite(w, buf, len, off) != len || pread(r, buf, len, off) != len)
				return false;
		} else if (write(w, buf, len) != len || read(r, buf, len) != len) {
			return false;
		}
	}
	return true;
}

/* The thread's CPU time at the last two now_ns() calls (the start and the
 * end of a run): what it cost this process, the time other processes of a
 * busy machine had the CPU left out. */
static double cpu_mark[2];
static int marks;

static double now_ns(void)
{
	struct timespec ts, cpu;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
	cpu_mark[marks++ & 1] = cpu.tv_sec * 1e9 + cpu.tv_nsec;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* "ns_per_op=X" (wall) and "cpu_ns_per_op=Y" (this thread's CPU time). */
static void print_per_op(double t0, double t1, long n)
{
	printf("ns_per_op=%.1f\ncpu_ns_per_op=%.1f\n", (t1 - t0) / n,
	       (cpu_mark[1] - cpu_mark[0]) / n);
}

int main(int argc, char **argv)
{
	long n, i, failed = 0;
	double t0, t1;
	int a = 1;

	if (argc > 2 && !strcmp(argv[1], "--uid")) {
		uid_t uid = (uid_t)atol(argv[2]);

		if (setgroups(0, NULL) || setgid(uid) || setuid(uid)) {
			perror("lockloop: --uid");
			return 1;
		}
		a = 3;
	}
	if (argc != a + 3) {
		fprintf(stderr,
			"usage: lockloop [--uid N] loop|deny|rw|pipe|eagain|ebadf|getppid|stat "
			"PATH N\n");
		return 2;
	}
	n = atol(argv[a + 2]);
	if (!strcmp(argv[a], "loop")) {
		t0 = now_ns();
		for (i = 0; i < n; i++) {
			int fd = open(argv[a + 1], O_RDWR | O_CREAT, 0644);

			if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) || flock(fd, LOCK_UN)) {
				perror("lockloop");
				return 1;
			}
			close(fd);
		}
		t1 = now_ns();
		print_per_op(t0, t1, n);
	} else if (!strcmp(argv[a], "deny")) {
		t0 = now_ns();
		for (i = 0; i < n; i++) {
			int fd = open(argv[a + 1], O_RDWR);

			if (fd >= 0)
				close(fd);
			else
				failed++;
		}
		t1 = now_ns();
		printf("failed=%ld ns_per_op=%.1f\n", failed, (t1 - t0) / n);
	} else if (!strcmp(argv[a], "rw") || !strcmp(argv[a], "pipe") ||
		   !strcmp(argv[a], "eagain") || !strcmp(argv[a], "ebadf")) {
		bool file = !strcmp(argv[a], "rw"), eagain = !strcmp(argv[a], "eagain");
		int fail = eagain ? EAGAIN : !strcmp(argv[a], "ebadf") ? EBADF : 0;
		int p[2];

		if (file) {
			p[0] = p[1] = open(argv[a + 1], O_RDWR | O_CREAT, 0644);
			if (p[0] < 0) {
				perror("lockloop: open");
				return 1;
			}
		} else if (pipe2(p, eagain ? O_NONBLOCK : 0)) {
			perror("lockloop: pipe2");
			return 1;
		}
		t0 = now_ns();
		if (fail == EBADF)
			p[0] = p[1]; /* read the write end */
		if (!io_loop(p[1], p[0], file ? 0 : -1, n, fail)) {
			perror("lockloop: I/O");
			return 1;
		}
		t1 = now_ns();
		print_per_op(t0, t1, n);
	} else if (!strcmp(argv[a], "getppid")) {
		t0 = now_ns();
		for (i = 0; i < n; i++)
			syscall(SYS_getppid); /* not the C library's: one call each */
		t1 = now_ns();
		print_per_op(t0, t1, n);
	} else if (!strcmp(argv[a], "stat")) {
		struct stat st;

		t0 = now_ns();
		for (i = 0; i < n; i++) {
			int fd = open(argv[a + 1], O_RDONLY);

			if (fd < 0 || close(fd) || stat(argv[a + 1], &st)) {
				perror("lockloop: stat");
				return 1;
			}
		}
		t1 = now_ns();
		print_per_op(t0, t1, n);
	} else {
		fprintf(stderr, "lockloop: unknown workload '%s'\n", argv[a]);
		return 2;
	}
	return 0;
}

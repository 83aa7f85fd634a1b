// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * lockloop: the benchmark workloads.
 *
 *   lockloop loop PATH N     N x (open O_RDWR|O_CREAT, flock LOCK_EX|LOCK_NB,
 *                            flock LOCK_UN, close); prints "ns_per_op=X"
 *   lockloop deny PATH N     N failing opens (O_RDWR) of PATH, as fast as it
 *                            can; prints "failed=K ns_per_op=X"
 *
 * --uid N first drops to that uid (and gid).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
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
		fprintf(stderr, "usage: lockloop [--uid N] loop|deny PATH N\n");
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
		printf("ns_per_op=%.1f\n", (t1 - t0) / n);
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
	} else {
		fprintf(stderr, "lockloop: unknown workload '%s'\n", argv[a]);
		return 2;
	}
	return 0;
}

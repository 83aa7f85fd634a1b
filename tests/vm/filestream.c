// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The VM test's .NET-like workload: what FileStream(path, FileMode.Create,
 * FileAccess.Write, FileShare.None) does on Linux, step by step, then a
 * read through a read-only open, one line a step.
 *
 *   filestream COMM PATH
 *
 * COMM is the process's name (prctl), for the test to find its events.
 * Steps: open O_WRONLY|O_CREAT|O_CLOEXEC 0666, flock LOCK_EX|LOCK_NB,
 * fcntl F_SETLK F_WRLCK on the whole file, ftruncate 0, write 1 byte; open
 * O_RDONLY, read 1 byte. Each prints "STEP: ok" or "STEP: err=ENAME
 * errno=N"; a failed open ends its part. The exit status is 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <unistd.h>

static const char *errname(int e)
{
	switch (e) {
	case EACCES:
		return "EACCES";
	case EAGAIN:
		return "EAGAIN";
	case EBUSY:
		return "EBUSY";
	case EPERM:
		return "EPERM";
	case ENOENT:
		return "ENOENT";
	case EIO:
		return "EIO";
	}
	return "E?";
}

static int step(const char *what, long rc)
{
	if (rc < 0)
		printf("%s: err=%s errno=%d\n", what, errname(errno), errno);
	else
		printf("%s: ok\n", what);
	fflush(stdout);
	return rc < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	char b;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: filestream COMM PATH\n");
		return 2;
	}
	prctl(PR_SET_NAME, argv[1], 0, 0, 0);
	fd = open(argv[2], O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
	if (!step("open", fd)) {
		step("flock", flock(fd, LOCK_EX | LOCK_NB));
		step("setlk", fcntl(fd, F_SETLK, &fl));
		step("ftruncate", ftruncate(fd, 0));
		step("write", write(fd, "x", 1));
	}
	fd = open(argv[2], O_RDONLY | O_CLOEXEC);
	if (!step("open-ro", fd))
		step("read", read(fd, &b, 1));
	return 0;
}

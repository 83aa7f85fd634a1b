// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ltwork: I/O after open (io, dotnet): writes, reads, truncates and
 * fallocate on one descriptor, and .NET's FileStream sequence. Each call
 * prints "CALL=ok" or "CALL=err=ENAME errno=N"; the last line is the last
 * call's result. The calls are the system calls of their names in this
 * build's ABI (syscall(2)); dotnet calls libc, as .NET does.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include "ltwork.h"

/* What dotnet writes: a lock file's content as Kudu writes it. */
static const char kudu_json[] = "{\"OperationName\":\"Deploy\",\"InstanceId\":\"ltwork\"}\n";

static const char *errname(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "EUNKNOWN";
}

/* "CALL=ok" or "CALL=err=ENAME errno=N"; returns ret. */
static long said(const char *call, long ret, int err)
{
	if (ret < 0)
		printf("%s=err=%s errno=%d\n", call, errname(err), err);
	else
		printf("%s=ok\n", call);
	fflush(stdout);
	return ret;
}

/* Wait for FILE, as --go does, saying so first ("paused"). */
static void pause_for(const char *file)
{
	printf("paused\n");
	fflush(stdout);
	for (long waited = 0; waited < 30000 && access(file, F_OK); waited++)
		sleep_ms(1);
}

/* ACCESS[,append][,creat]: rdonly, wronly, rdwr; path: O_PATH. */
static int io_open_flags(const char *spec)
{
	char buf[64], *save = NULL, *tok;
	int flags = -1;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (flags < 0) {
			flags = !strcmp(tok, "rdonly") ? O_RDONLY :
				!strcmp(tok, "wronly") ? O_WRONLY :
				!strcmp(tok, "rdwr")   ? O_RDWR :
				!strcmp(tok, "path")   ? O_PATH :
							 -2;
			if (flags == -2)
				bad("access mode", tok);
		} else if (!strcmp(tok, "append")) {
			flags |= O_APPEND;
		} else if (!strcmp(tok, "creat")) {
			flags |= O_CREAT;
		} else {
			bad("open flag", tok);
		}
	}
	if (flags < 0)
		bad("access mode", spec);
	return flags;
}

/* The calls of io and how many numbers each takes. */
static const struct {
	const char *name;
	int nargs;
} io_calls[] = {
	{ "write", 1 },	   { "pwrite", 2 },    { "writev", 1 },	   { "pwritev2", 2 },
	{ "read", 1 },	   { "pread", 2 },     { "ftruncate", 1 }, { "ftruncate64", 1 },
	{ "truncate", 1 }, { "fallocate", 3 },
};

/* Call @op with @a, @b, @c on @fd (PATH for truncate); -1 with errno on
 * failure. Sizes are capped at the buffer's. */
static long io_do(const char *path, int fd, const char *op, long long a, long long b, long long c)
{
	static char buf[65536];
	size_t n = (size_t)(a < 0 ? 0 : a > (long long)sizeof(buf) ? (long long)sizeof(buf) : a);
	size_t m = (size_t)(b < 0 ? 0 : b > (long long)sizeof(buf) ? (long long)sizeof(buf) : b);
	struct iovec iov[2] = { { buf, n / 2 }, { buf + n / 2, n - n / 2 } };
	struct iovec iov32[2] = { { buf, 16 }, { buf + 16, 16 } };

	memset(buf, 'x', sizeof(buf));
	if (!strcmp(op, "write"))
		return syscall(SYS_write, fd, buf, n);
	if (!strcmp(op, "pwrite"))
		return pwrite(fd, buf, m, (off_t)a);
	if (!strcmp(op, "writev"))
		return syscall(SYS_writev, fd, iov, 2);
	if (!strcmp(op, "pwritev2")) /* OFF FLAGS: 32 bytes in two iovecs */
		return pwritev2(fd, iov32, 2, (off_t)a, (int)b);
	if (!strcmp(op, "read"))
		return syscall(SYS_read, fd, buf, n);
	if (!strcmp(op, "pread"))
		return pread(fd, buf, m, (off_t)a);
	if (!strcmp(op, "ftruncate"))
		return syscall(SYS_ftruncate, fd, (long)a);
	if (!strcmp(op, "truncate"))
		return syscall(SYS_truncate, path, (long)a);
	if (!strcmp(op, "fallocate"))
		return fallocate(fd, (int)a, (off_t)b, (off_t)c);
#ifdef SYS_ftruncate64
	if (!strcmp(op, "ftruncate64"))
		return ftruncate64(fd, (off64_t)a); /* i386 libc: the ftruncate64 call */
#endif
	bad("call in this build", op);
	return -1;
}

/*
 * io PATH ACCESS[,append][,creat] CALL ARGS... [pause FILE] CALL ARGS...
 * Open PATH (openat; mode 0600 when creating; "fd=N"), then each call on
 * that descriptor in turn; "pause FILE" waits for FILE between two
 * ("paused"). Calls: write N, pwrite OFF N, writev N (two iovecs),
 * pwritev2 OFF RWF-FLAGS (32 bytes, two iovecs), read N, pread OFF N,
 * ftruncate LEN, ftruncate64 LEN (i386), truncate LEN (PATH by name),
 * fallocate MODE OFF LEN. ACCESS: rdonly, wronly, rdwr, path (O_PATH).
 */
int cmd_io(int argc, char **argv)
{
	long ret = 0;
	int fd, i, err = 0;

	if (argc < 3)
		usage();
	fd = open_or_die(argv[0], io_open_flags(argv[1]));
	printf("fd=%d\n", fd);
	for (i = 2; i < argc;) {
		long long v[3] = { 0, 0, 0 };
		size_t c;
		int k;

		if (!strcmp(argv[i], "pause") && i + 1 < argc) {
			pause_for(argv[i + 1]);
			i += 2;
			continue;
		}
		for (c = 0; c < sizeof(io_calls) / sizeof(io_calls[0]); c++)
			if (!strcmp(argv[i], io_calls[c].name))
				break;
		if (c == sizeof(io_calls) / sizeof(io_calls[0]))
			bad("call", argv[i]);
		if (i + io_calls[c].nargs >= argc)
			usage();
		for (k = 0; k < io_calls[c].nargs; k++)
			v[k] = parse_num("number", argv[i + 1 + k], -1, 1LL << 40);
		errno = 0;
		ret = io_do(argv[0], fd, argv[i], v[0], v[1], v[2]);
		err = errno;
		said(argv[i], ret, err);
		i += 1 + io_calls[c].nargs;
	}
	result(ret, err);
	return 0;
}

/*
 * dotnet PATH [pause-before CALL FILE]: what .NET's
 * new FileStream(PATH, FileMode.Create, FileAccess.Write, FileShare.None)
 * and a write through it do: open(O_WRONLY|O_CREAT|O_CLOEXEC, 0666),
 * flock(LOCK_EX|LOCK_NB), ftruncate(fd, 0), write, each call's result
 * printed, stopping at the first that fails as .NET throws there; except
 * flock's EACCES and EOPNOTSUPP, which .NET ignores ("flock-ignored").
 * pause-before waits for FILE before CALL (open, flock, ftruncate or
 * write), "paused" said first.
 */
int cmd_dotnet(int argc, char **argv)
{
	const char *pause_call = NULL, *pause_file = NULL;
	long ret;
	int fd, err;

	if (argc == 4 && !strcmp(argv[1], "pause-before")) {
		pause_call = argv[2];
		pause_file = argv[3];
	} else if (argc != 1) {
		usage();
	}
	if (pause_call && !strcmp(pause_call, "open"))
		pause_for(pause_file);
	fd = open(argv[0], O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
	err = errno;
	if (said("open", fd, err) < 0) {
		result(-1, err);
		return 0;
	}
	printf("fd=%d\n", fd);
	if (pause_call && !strcmp(pause_call, "flock"))
		pause_for(pause_file);
	ret = flock(fd, LOCK_EX | LOCK_NB);
	err = errno;
	if (said("flock", ret, err) < 0) {
		if (err != EACCES && err != EOPNOTSUPP)
			goto out;
		printf("flock-ignored\n");
	}
	if (pause_call && !strcmp(pause_call, "ftruncate"))
		pause_for(pause_file);
	ret = ftruncate(fd, 0);
	err = errno;
	if (said("ftruncate", ret, err) < 0)
		goto out;
	if (pause_call && !strcmp(pause_call, "write"))
		pause_for(pause_file);
	printf("write-count=%zu\n", sizeof(kudu_json) - 1);
	ret = write(fd, kudu_json, sizeof(kudu_json) - 1);
	err = errno;
	said("write", ret, err);
out:
	close(fd);
	result(ret, err);
	return 0;
}

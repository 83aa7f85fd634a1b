// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ltwork: the workload the integration tests trace.
 *
 * ltwork [--uid N] [--gid N] [--comm NAME] [--go FILE] SUBCOMMAND ARGS...
 *
 *   --uid N     setgroups(0) + setgid + setuid to N (gid N too unless --gid)
 *   --gid N     the gid to take (with or without --uid)
 *   --comm NAME prctl(PR_SET_NAME)
 *   --go FILE   print "pid=N", then wait until FILE exists (polled every
 *               1 ms with access(2), which no tracer path pattern sees; up
 *               to 30 s, then proceed anyway)
 *   --thread    run the subcommand in a second thread (prints "tid=N")
 *
 * Order: comm, identity, go, then the subcommand.
 *
 * Subcommands (the last line is the result of the final operation: "ok" or
 * "err=ENAME errno=N"; the exit status is 0 whatever that result):
 *   open PATH rdonly|wronly|rdwr [creat] [excl]          openat(AT_FDCWD)
 *   sys-open PATH rdonly|wronly|rdwr [creat] [excl]      the open syscall
 *   creat PATH                                           the creat syscall
 *   openat DIR NAME rdonly|wronly|rdwr [creat] [excl]   prints dirfd=N first
 *   openat2 DIR NAME rdonly|wronly|rdwr [creat] [excl] [beneath]
 *                                         RESOLVE_BENEATH if asked; dirfd=N
 *   flock PATH ex|sh [nb]                 O_RDONLY, then flock; fd=N first
 *   setlk PATH START LEN w|r [ofd]        O_RDWR, then F_SETLK (F_OFD_SETLK
 *                                         with ofd); fd=N first
 *   getlk PATH                            O_RDWR, then F_GETLK and F_GETFL
 *                                         (not lock-setting calls); fd=N
 *   hold-flock PATH ex|sh [MS]            lock, print "held", sleep forever
 *                                         (or release after MS ms first)
 *   hold-fcntl PATH START LEN             F_WRLCK, print "held", sleep forever
 *   burst DIR N                           N failing opens of DIR/burst-%d.lock
 *                                         prints "done N failures=K"
 *   hold-ranges PATH N                    N POSIX write locks (bytes 0, 2, 4 ...
 *                                         of PATH-0, PATH-1 ..., 100 a file: N
 *                                         lines of /proc/locks), "held", sleep
 *   hold-flocks DIR N                     create DIR/f-%d.lock (0644) and flock
 *                                         each LOCK_EX, print "held", sleep
 *   flock-burst DIR N                     flock LOCK_EX|LOCK_NB each of
 *                                         DIR/f-%d.lock; "done N failures=K"
 *   repeat PATH N                         N opens O_RDWR of PATH, as fast as
 *                                         it can; prints "done N failures=K"
 *   vanish name|how|flock PATH            a blocking call whose argument in
 *                                         user memory is unmapped by a second
 *                                         thread while it waits, then let go:
 *                                         name: openat of FIFO PATH, the name
 *                                         in that memory; how: openat2 of FIFO
 *                                         PATH, its struct open_how there (the
 *                                         thread opens the FIFO for writing);
 *                                         flock: F_OFD_SETLKW on PATH behind
 *                                         the thread's own OFD lock, the struct
 *                                         flock there (the thread unlocks)
 *   badptr name|how|flock PATH            the same calls, not blocking, with
 *                                         the argument in a PROT_NONE page:
 *                                         EFAULT (name opens PATH/.. no name)
 *   waits PATH N flock|fcntl|fcntl64|ofd [MS]
 *                                         N blocking lock calls, each by a new
 *                                         thread, behind a child process that
 *                                         holds the lock until the thread
 *                                         sleeps in the call (and MS ms more);
 *                                         prints "waits N" (fcntl: F_SETLKW,
 *                                         fcntl64: F_SETLKW64 (i386 only),
 *                                         ofd: F_OFD_SETLKW)
 *   crowd PATH N                          N threads sharing one descriptor
 *                                         wait at once in flock LOCK_EX
 *                                         behind a child process's lock,
 *                                         released once all N sleep there;
 *                                         prints "crowd N"
 *
 * Built for i386 too (ltwork32, -m32): every call is then the 32-bit
 * system call of the same name. fcntl locks use fcntl with the 32-bit
 * struct flock, except with the setlk flag f64 (fcntl64, F_SETLK64 and a
 * struct flock64) and for OFD locks (fcntl64 and a struct flock64: the
 * 32-bit fcntl refuses them).
 *
 * O_CREAT opens use mode 0600. A failing setup step (opening the file a
 * lock call needs, say) prints "setup-err=ENAME errno=N" and exits 1.
 * Bad usage exits 2.
 */
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

#define CREAT_MODE 0600

static const char *prog = "ltwork";

static void usage(void)
{
	fprintf(stderr,
		"usage: %s [--uid N] [--gid N] [--comm NAME] [--go FILE] [--thread] [--landlock]\n"
		"       SUBCOMMAND ARGS...\n"
		"  open PATH rdonly|wronly|rdwr [creat] [excl]\n"
		"  sys-open PATH rdonly|wronly|rdwr [creat] [excl]\n"
		"  creat PATH\n"
		"  openat DIR NAME rdonly|wronly|rdwr [creat] [excl]\n"
		"  openat2 DIR NAME rdonly|wronly|rdwr [creat] [excl] [beneath]\n"
		"  flock PATH ex|sh [nb]\n"
		"  setlk PATH START LEN w|r [ofd|ro|wait|f64]  (ro: O_RDONLY fd; wait: F_SETLKW)\n"
		"  getlk PATH\n"
		"  hold-flock PATH ex|sh [MS]      (MS: release after MS ms, stay alive)\n"
		"  hold-fcntl PATH START LEN [MS]\n"
		"  burst DIR N\n"
		"  repeat PATH N\n"
		"  vanish name|how|flock PATH\n"
		"  badptr name|how|flock PATH\n"
		"  waits PATH N flock|fcntl|fcntl64|ofd [MS]\n"
		"  crowd PATH N\n",
		prog);
	exit(2);
}

/* Restrict this process with Landlock: no file may be opened for writing,
 * anywhere (a handled right with no rule allowing it). */
static void landlock_no_writes(void)
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

static void bad(const char *what, const char *arg)
{
	fprintf(stderr, "%s: bad %s: '%s'\n", prog, what, arg);
	exit(2);
}

static const char *errname(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "EUNKNOWN";
}

static void result(long ret, int err)
{
	if (ret < 0)
		printf("err=%s errno=%d\n", errname(err), err);
	else
		printf("ok\n");
	fflush(stdout);
}

static void setup_failed(const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(err));
	printf("setup-err=%s errno=%d\n", errname(err), err);
	fflush(stdout);
	exit(1);
}

static long long parse_num(const char *what, const char *s, long long min, long long max)
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
static int parse_open_flags2(int argc, char **argv, unsigned long long *resolve)
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

static int parse_open_flags(int argc, char **argv)
{
	return parse_open_flags2(argc, argv, NULL);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void wait_for_go(const char *file)
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

static void set_identity(long long uid, long long gid)
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

static long sys_openat(int dirfd, const char *name, int flags)
{
	return syscall(SYS_openat, dirfd, name, flags, CREAT_MODE);
}

static int open_or_die(const char *path, int flags)
{
	long fd = sys_openat(AT_FDCWD, path, flags);

	if (fd < 0)
		setup_failed(path, errno);
	return (int)fd;
}

static int cmd_open(int argc, char **argv)
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

static int cmd_sys_open(int argc, char **argv)
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

static int cmd_creat(int argc, char **argv)
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

static int cmd_openat2(int argc, char **argv)
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

static int cmd_openat(int argc, char **argv)
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

static int flock_op(const char *s)
{
	if (!strcmp(s, "ex"))
		return LOCK_EX;
	if (!strcmp(s, "sh"))
		return LOCK_SH;
	bad("lock kind", s);
	return -1;
}

static int cmd_flock(int argc, char **argv)
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
static long setlk_at(void *where, int fd, int cmd, short type, long long start, long long len,
		     int f64)
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
static long setlk_nr(int cmd, int f64)
{
#ifdef SYS_fcntl64
	if (f64 || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW)
		return SYS_fcntl64;
#endif
	(void)cmd;
	(void)f64;
	return SYS_fcntl;
}

static long setlk(int fd, int cmd, short type, long long start, long long len)
{
	union {
		struct flock fl;
#ifdef SYS_fcntl64
		struct flock64 fl64;
#endif
	} u;

	return setlk_at(&u, fd, cmd, type, start, len, 0);
}

static int cmd_setlk(int argc, char **argv)
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

static int cmd_getlk(int argc, char **argv)
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
static void hold(int fd, long long ms, void (*release)(int fd))
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

static int cmd_hold_flock(int argc, char **argv)
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

static int cmd_hold_fcntl(int argc, char **argv)
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

static int cmd_burst(int argc, char **argv)
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

/* ---- arguments that are gone, or never were, in user memory ---------- */

/* Is thread @tid asleep in system call @nr? (/proc: "S" and the call). */
static int asleep_in(pid_t tid, long nr)
{
	char name[64], buf[256], *p;
	long got;
	FILE *f;

	snprintf(name, sizeof(name), "/proc/self/task/%d/stat", (int)tid);
	f = fopen(name, "r");
	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	p = p ? strrchr(buf, ')') : NULL;
	if (!p || p[1] != ' ' || p[2] != 'S')
		return 0;
	snprintf(name, sizeof(name), "/proc/self/task/%d/syscall", (int)tid);
	f = fopen(name, "r");
	if (!f)
		return 0;
	got = fscanf(f, "%ld", &got) == 1 ? got : -1;
	fclose(f);
	return got == nr;
}

/* Wait (10 s at most) until thread @tid sleeps in system call @nr. */
static void wait_asleep(pid_t tid, long nr)
{
	int i;

	for (i = 0; i < 200000; i++) {
		if (asleep_in(tid, nr))
			return;
		usleep(50);
	}
	fprintf(stderr, "%s: thread %d never slept in system call %ld\n", prog, (int)tid, nr);
	printf("setup-err=ETIMEDOUT errno=%d\n", ETIMEDOUT);
	fflush(stdout);
	exit(1);
}

static void *page_map(int prot)
{
	void *p =
		mmap(NULL, (size_t)sysconf(_SC_PAGESIZE), prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		setup_failed("mmap", errno);
	return p;
}

struct vanish {
	const char *kind, *path;
	void *page;
	pid_t tid; /* the thread making the blocking call */
	long nr; /* its system call */
	int ofd; /* flock: the second thread's locked descriptor */
	volatile int ready;
};

/* The second thread: once the call sleeps, unmap its argument, let it go. */
static void *vanish_main(void *arg)
{
	struct vanish *v = arg;
	int fd;

	while (!v->ready)
		usleep(100);
	wait_asleep(v->tid, v->nr);
	if (munmap(v->page, (size_t)sysconf(_SC_PAGESIZE)))
		setup_failed("munmap", errno);
	usleep(20000); /* the wait lasts past --min-wait */
	if (!strcmp(v->kind, "flock")) {
		if (setlk(v->ofd, F_OFD_SETLK, F_UNLCK, 0, 0))
			setup_failed("F_OFD_SETLK F_UNLCK", errno);
		return NULL;
	}
	fd = open(v->path, O_WRONLY | O_NONBLOCK);
	if (fd < 0)
		setup_failed("open the FIFO for writing", errno);
	close(fd);
	return NULL;
}

static int cmd_vanish(int argc, char **argv)
{
	struct vanish v = { 0 };
	pthread_t t;
	long ret;
	int err, fd = -1;

	if (argc != 2)
		usage();
	v.kind = argv[0];
	v.path = argv[1];
	v.page = page_map(PROT_READ | PROT_WRITE);
	v.tid = gettid();
	if (!strcmp(v.kind, "name")) {
		snprintf(v.page, (size_t)sysconf(_SC_PAGESIZE), "%s", v.path);
		v.nr = SYS_openat;
	} else if (!strcmp(v.kind, "how")) {
		struct open_how *how = v.page;

		how->flags = O_RDONLY;
		v.nr = SYS_openat2;
	} else if (!strcmp(v.kind, "flock")) {
		v.ofd = open_or_die(v.path, O_RDWR);
		if (setlk(v.ofd, F_OFD_SETLK, F_WRLCK, 0, 0))
			setup_failed("F_OFD_SETLK", errno);
		fd = open_or_die(v.path, O_RDWR);
		printf("fd=%d\n", fd);
		v.nr = setlk_nr(F_OFD_SETLKW, 0);
	} else {
		bad("vanish kind", v.kind);
	}
	err = pthread_create(&t, NULL, vanish_main, &v);
	if (err)
		setup_failed("pthread_create", err);
	v.ready = 1;
	if (!strcmp(v.kind, "name"))
		ret = syscall(SYS_openat, AT_FDCWD, v.page, O_RDONLY);
	else if (!strcmp(v.kind, "how"))
		ret = syscall(SYS_openat2, AT_FDCWD, v.path, v.page, sizeof(struct open_how));
	else
		ret = setlk_at(v.page, fd, F_OFD_SETLKW, F_WRLCK, 0, 0, 0);
	err = errno;
	pthread_join(t, NULL);
	result(ret, err);
	return 0;
}

static int cmd_badptr(int argc, char **argv)
{
	void *none;
	long ret;
	int fd;

	if (argc != 2)
		usage();
	none = page_map(PROT_NONE);
	if (!strcmp(argv[0], "name")) {
		ret = syscall(SYS_openat, AT_FDCWD, none, O_RDONLY);
	} else if (!strcmp(argv[0], "how")) {
		ret = syscall(SYS_openat2, AT_FDCWD, argv[1], none, sizeof(struct open_how));
	} else if (!strcmp(argv[0], "flock")) {
		fd = open_or_die(argv[1], O_RDWR);
		printf("fd=%d\n", fd);
		ret = syscall(setlk_nr(F_SETLK, 0), fd, F_SETLK, none);
	} else {
		bad("badptr kind", argv[0]);
		return 2;
	}
	result(ret, errno);
	return 0;
}

/* ---- many lock waits, each by its own thread -------------------------- */

struct waiter {
	const char *path, *mode;
	pid_t tid;
	long nr; /* the blocking call, as /proc shows it */
	volatile int started;
	long ret;
	int err;
};

/* One blocking lock call on its own descriptor, then unlock. */
static void *waiter_main(void *arg)
{
	struct waiter *w = arg;
	int fd = open_or_die(w->path, O_RDWR);

	w->tid = gettid();
	w->started = 1;
	if (!strcmp(w->mode, "flock")) {
		w->ret = syscall(SYS_flock, fd, LOCK_EX);
		w->err = errno;
		syscall(SYS_flock, fd, LOCK_UN);
	} else {
		int cmd = strcmp(w->mode, "ofd") ? F_SETLKW : F_OFD_SETLKW;
		int f64 = !strcmp(w->mode, "fcntl64");
		union {
			struct flock fl;
#ifdef SYS_fcntl64
			struct flock64 fl64;
#endif
		} u;

		w->ret = setlk_at(&u, fd, cmd, F_WRLCK, 0, 0, f64);
		w->err = errno;
		setlk_at(&u, fd, cmd == F_SETLKW ? F_SETLK : F_OFD_SETLK, F_UNLCK, 0, 0, f64);
	}
	close(fd);
	return NULL;
}

/* The holder: a child process that locks ('l') and unlocks ('u') on
 * command, answering each with a byte. */
static void holder(const char *path, const char *mode, int in, int out)
{
	int fd = open_or_die(path, O_RDWR);
	char c;

	while (read(in, &c, 1) == 1) {
		long r;

		if (!strcmp(mode, "flock"))
			r = syscall(SYS_flock, fd, c == 'l' ? LOCK_EX : LOCK_UN);
		else
			r = setlk(fd, F_SETLK, c == 'l' ? F_WRLCK : F_UNLCK, 0, 0);
		if (r)
			setup_failed("holder lock", errno);
		if (write(out, &c, 1) != 1)
			exit(1);
	}
	exit(0);
}

static void ask(int to, int from, char c)
{
	if (write(to, &c, 1) != 1 || read(from, &c, 1) != 1)
		setup_failed("holder", EPIPE);
}

static int cmd_waits(int argc, char **argv)
{
	int req[2], ack[2], err, f64;
	long long n, i, ms = 0;
	const char *mode;
	pid_t child;

	if (argc != 3 && argc != 4)
		usage();
	n = parse_num("count", argv[1], 1, 1000000);
	mode = argv[2];
	if (strcmp(mode, "flock") && strcmp(mode, "fcntl") && strcmp(mode, "fcntl64") &&
	    strcmp(mode, "ofd"))
		bad("wait mode", mode);
	f64 = !strcmp(mode, "fcntl64");
#ifndef SYS_fcntl64
	if (f64)
		bad("wait mode", "fcntl64 (i386 only)");
#endif
	if (argc == 4)
		ms = parse_num("ms", argv[3], 0, 60000);
	if (pipe(req) || pipe(ack))
		setup_failed("pipe", errno);
	child = fork();
	if (child < 0)
		setup_failed("fork", errno);
	if (child == 0) {
		close(req[1]);
		close(ack[0]);
		holder(argv[0], mode, req[0], ack[1]);
	}
	close(req[0]);
	close(ack[1]);
	printf("holder=%d\n", (int)child);
	for (i = 0; i < n; i++) {
		struct waiter w = { .path = argv[0], .mode = mode };
		pthread_t t;

		if (!strcmp(mode, "flock"))
			w.nr = SYS_flock;
		else
			w.nr = setlk_nr(strcmp(mode, "ofd") ? F_SETLKW : F_OFD_SETLKW, f64);
		ask(req[1], ack[0], 'l');
		err = pthread_create(&t, NULL, waiter_main, &w);
		if (err)
			setup_failed("pthread_create", err);
		while (!w.started)
			usleep(10);
		wait_asleep(w.tid, w.nr);
		if (ms)
			sleep_ms(ms);
		ask(req[1], ack[0], 'u');
		pthread_join(t, NULL);
		if (w.ret) {
			errno = w.err;
			setup_failed("blocking lock", w.err);
		}
	}
	close(req[1]);
	waitpid(child, NULL, 0);
	printf("waits %lld\n", n);
	fflush(stdout);
	return 0;
}

/* ---- many lock waits at once ------------------------------------------ */

static void *crowd_main(void *arg)
{
	long fd = (long)arg;

	if (syscall(SYS_flock, (int)fd, LOCK_EX))
		setup_failed("flock", errno);
	return NULL;
}

/* Threads of this process asleep in flock. */
static long long crowd_asleep(void)
{
	struct dirent *d;
	long long n = 0;
	DIR *dir = opendir("/proc/self/task");

	if (!dir)
		setup_failed("/proc/self/task", errno);
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.')
			n += asleep_in(atoi(d->d_name), SYS_flock);
	closedir(dir);
	return n;
}

static int cmd_crowd(int argc, char **argv)
{
	int req[2], ack[2], fd, err;
	long long n, i, tries;
	pthread_attr_t attr;
	pthread_t *t;
	pid_t child;

	if (argc != 2)
		usage();
	n = parse_num("count", argv[1], 1, 100000);
	t = calloc((size_t)n, sizeof(*t));
	if (!t || pipe(req) || pipe(ack))
		setup_failed("setup", errno ? errno : ENOMEM);
	child = fork();
	if (child < 0)
		setup_failed("fork", errno);
	if (child == 0) {
		close(req[1]);
		close(ack[0]);
		holder(argv[0], "flock", req[0], ack[1]);
	}
	close(req[0]);
	close(ack[1]);
	printf("holder=%d\n", (int)child);
	ask(req[1], ack[0], 'l');
	fd = open_or_die(argv[0], O_RDONLY);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (i = 0; i < n; i++) {
		err = pthread_create(&t[i], &attr, crowd_main, (void *)(long)fd);
		if (err)
			setup_failed("pthread_create", err);
	}
	for (tries = 0; crowd_asleep() < n; tries++) {
		if (tries == 600)
			setup_failed("the crowd never slept in flock", ETIMEDOUT);
		sleep_ms(50);
	}
	ask(req[1], ack[0], 'u');
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	close(req[1]);
	waitpid(child, NULL, 0);
	printf("crowd %lld\n", n);
	fflush(stdout);
	return 0;
}

static int cmd_repeat(int argc, char **argv)
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

static int cmd_hold_ranges(int argc, char **argv)
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

static int cmd_hold_flocks(int argc, char **argv)
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

static int cmd_flock_burst(int argc, char **argv)
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

struct run {
	int (*fn)(int argc, char **argv);
	int argc;
	char **argv;
	int ret;
};

static void *thread_main(void *arg)
{
	struct run *r = arg;

	printf("tid=%d\n", (int)gettid());
	fflush(stdout);
	r->ret = r->fn(r->argc, r->argv);
	return NULL;
}

static int run_cmd(struct run *r, int in_thread)
{
	pthread_t t;
	int err;

	if (!in_thread)
		return r->fn(r->argc, r->argv);
	err = pthread_create(&t, NULL, thread_main, r);
	if (err)
		setup_failed("pthread_create", err);
	err = pthread_join(t, NULL);
	if (err)
		setup_failed("pthread_join", err);
	return r->ret;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv);
	} cmds[] = {
		{ "open", cmd_open },
		{ "sys-open", cmd_sys_open },
		{ "creat", cmd_creat },
		{ "openat", cmd_openat },
		{ "openat2", cmd_openat2 },
		{ "flock", cmd_flock },
		{ "setlk", cmd_setlk },
		{ "getlk", cmd_getlk },
		{ "hold-flock", cmd_hold_flock },
		{ "hold-fcntl", cmd_hold_fcntl },
		{ "burst", cmd_burst },
		{ "hold-ranges", cmd_hold_ranges },
		{ "hold-flocks", cmd_hold_flocks },
		{ "flock-burst", cmd_flock_burst },
		{ "repeat", cmd_repeat },
		{ "vanish", cmd_vanish },
		{ "badptr", cmd_badptr },
		{ "waits", cmd_waits },
		{ "crowd", cmd_crowd },
	};
	long long uid = -1, gid = -1;
	const char *comm = NULL, *go = NULL;
	int i = 1, in_thread = 0, landlock = 0;
	size_t c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (; i < argc; i += 2) {
		const char *opt = argv[i];

		if (strncmp(opt, "--", 2))
			break;
		if (!strcmp(opt, "--thread") || !strcmp(opt, "--landlock")) {
			*(opt[2] == 't' ? &in_thread : &landlock) = 1;
			i--;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		if (!strcmp(opt, "--uid"))
			uid = parse_num("uid", argv[i + 1], 0, 0xfffffffe);
		else if (!strcmp(opt, "--gid"))
			gid = parse_num("gid", argv[i + 1], 0, 0xfffffffe);
		else if (!strcmp(opt, "--comm"))
			comm = argv[i + 1];
		else if (!strcmp(opt, "--go"))
			go = argv[i + 1];
		else
			bad("option", opt);
	}
	if (i >= argc)
		usage();

	for (c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
		struct run r = { cmds[c].fn, argc - i - 1, argv + i + 1, 0 };

		if (strcmp(argv[i], cmds[c].name))
			continue;
		if (comm && prctl(PR_SET_NAME, comm, 0, 0, 0))
			setup_failed("prctl(PR_SET_NAME)", errno);
		set_identity(uid, gid);
		if (landlock)
			landlock_no_writes();
		if (go)
			wait_for_go(go);
		return run_cmd(&r, in_thread);
	}
	bad("subcommand", argv[i]);
	return 2;
}

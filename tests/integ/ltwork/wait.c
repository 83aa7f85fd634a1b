// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* ltwork: blocking calls: arguments that vanish or were never readable, waits behind a holder, crowds. */
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

int cmd_vanish(int argc, char **argv)
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

int cmd_badptr(int argc, char **argv)
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

int cmd_waits(int argc, char **argv)
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

int cmd_crowd(int argc, char **argv)
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

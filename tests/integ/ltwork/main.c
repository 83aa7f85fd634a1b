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
 *   holds PATH                            locks on PATH taken and let go each
 *                                         its own way: flock then LOCK_UN; two
 *                                         POSIX ranges, one F_UNLCK'd, then
 *                                         close; OFD then F_UNLCK; flock LOCK_SH
 *                                         then exit; "fd=N KIND" for each
 *   crowd PATH N                          N threads sharing one descriptor
 *                                         wait at once in flock LOCK_EX
 *                                         behind a child process's lock,
 *                                         released once all N sleep there;
 *                                         prints "crowd N"
 *   io PATH ACCESS[,append][,creat] CALL ARGS... [pause FILE] ...
 *                                         open PATH, then each call on the
 *                                         descriptor, each printing
 *                                         CALL=RESULT (io.c lists them)
 *   dotnet PATH [pause-before CALL FILE]  .NET's FileStream(FileMode.Create,
 *                                         FileAccess.Write, FileShare.None)
 *                                         and a write: open, flock, ftruncate,
 *                                         write, each CALL=RESULT, up to the
 *                                         first failure (io.c)
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
#include "ltwork.h"

void usage(void)
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
		"  crowd PATH N\n"
		"  io PATH rdonly|wronly|rdwr|path[,append][,creat] CALL ARGS... [pause FILE] ...\n"
		"  dotnet PATH [pause-before open|flock|ftruncate|write FILE]\n"
		"  holds PATH\n",
		prog);
	exit(2);
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
		{ "io", cmd_io },
		{ "dotnet", cmd_dotnet },
		{ "holds", cmd_holds },
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

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests for user/cause/lock.c: lock calls refused (the holder in the
 * way, the descriptor's mode) and lock files that exist; the cases of
 * kinds lock_held, stale_lock and bad_fd_mode.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include "cause/cause.h"
#include "cause/explain.h"
#include "cause_build.h"
#include "common/decode.h"

/* The holder the kernel named at the refusal comes first, whatever the
 * order of /proc/locks, and the JSON says the kernel saw it. */
static void test_kernel_holder(void **state)
{
	struct lt_event *ev =
		cause_make_event(LT_SYS_FLOCK, EWOULDBLOCK, 0, 0, "/srv/locks/q.lock");
	struct lt_cause_input in = {};
	struct lt_verdict v = { .in = &in };
	struct lt_buf b = {};

	(void)state;
	ev->lock_cmd = LOCK_EX | LOCK_NB;
	in.ev = ev;
	in.creds_in_init_userns = true;
	in.fd_accmode = -1;
	in.nholders = 2;
	in.holders[0].pid = 700;
	in.holders[0].type = F_RDLCK;
	in.holders[1].pid = 812;
	in.holders[1].type = F_WRLCK;
	in.holders[1].kernel = true;
	snprintf(in.holders[1].comm, sizeof(in.holders[1].comm), "deploy.sh");
	lt_cause_decide(&in, &v.cause);
	assert_int_equal(v.cause.kind, LT_CAUSE_LOCK_HELD);
	assert_int_equal(v.cause.evidence, LT_EV_KERNEL);
	assert_int_equal(v.cause.holder, 1);
	assert_non_null(strstr(v.cause.detail, "held by pid 812 (deploy.sh"));
	lt_cause_json(&b, &v);
	assert_non_null(strstr(
		b.data,
		"{\"pid\":812,\"uid\":0,\"comm\":\"deploy.sh\",\"type\":\"F_WRLCK\",\"lock\":\"flock\",\"seen_by_kernel\":true}"));
	lt_buf_free(&b);
}

/*
 * I/O calls need the descriptor opened for what they do: a read
 * FMODE_READ, the others FMODE_WRITE (EBADF; ftruncate's is EINVAL). Each
 * call, on each mode: bad_fd_mode exactly when the mode lacks it.
 */
static void test_io_fd_modes(void **state)
{
	static const char *const modes[] = { "r", "w", "rw" };
	struct cause_case tc = {
		.fd = 3,
		.ev_flags = LT_EVF_HAVE_INODE,
		.fd_acc_kernel = true,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0666, 0, 0) },
	};
	struct lt_cause_input in;
	struct lt_cause out;

	(void)state;
	for (__u32 sys = LT_SYS_FTRUNCATE; sys <= LT_SYS_FALLOCATE; sys++) {
		bool read = lt_sys_is_read(sys);

		if (lt_sys_by_name(sys))
			continue;
		tc.sys = sys;
		tc.err = lt_sys_is_truncate(sys) ? EINVAL : EBADF;
		for (size_t m = 0; m < 3; m++) {
			bool lacks = read ? !strchr(modes[m], 'r') : !strchr(modes[m], 'w');

			tc.fd_acc = modes[m];
			cause_build(&tc, &in);
			lt_cause_decide(&in, &out);
			if ((out.kind == LT_CAUSE_BAD_FD_MODE) != lacks)
				fail_msg("%s on an %s descriptor: %s: %s", lt_syscall_name(sys),
					 modes[m], lt_cause_kind_name(out.kind), out.detail);
			if (lacks && !strstr(out.detail, read ? "opened write-only (O_WRONLY)" :
								"opened read-only (O_RDONLY)"))
				fail_msg("%s: %s", lt_syscall_name(sys), out.detail);
		}
	}
}

int main(void)
{
	static const struct CMUnitTest direct[] = {
		cmocka_unit_test(test_kernel_holder),
		cmocka_unit_test(test_io_fd_modes),
	};

	return cause_run(direct, sizeof(direct) / sizeof(direct[0]), CAUSE_LOCK);
}

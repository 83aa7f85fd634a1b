/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The syscalls plan's tracepoints: syscalls:sys_exit_<call> of exactly the
 * calls bpf/syscalls.bpf.h traces natively, their ids read from tracefs
 * without mounting it on the host, and the program attached to each through
 * a perf event.
 */
#ifndef LOCKTRACE_SYSPLAN_H
#define LOCKTRACE_SYSPLAN_H

#include <stdbool.h>
#include <stddef.h>

struct bpf_program;
struct bpf_link;

/* X(call, required): the opens and lock calls, then the I/O calls
 * (lt_maybe_traced_nr, lt_maybe_io_nr). Without a required one the plan
 * is not worth having; openat2 is newer (Linux 5.6). */
#define LT_SC_CALLS(X)     \
	X(open, true)      \
	X(creat, true)     \
	X(openat, true)    \
	X(openat2, false)  \
	X(flock, true)     \
	X(fcntl, true)     \
	X(read, true)      \
	X(write, true)     \
	X(pread64, true)   \
	X(pwrite64, true)  \
	X(readv, true)     \
	X(writev, true)    \
	X(truncate, true)  \
	X(ftruncate, true) \
	X(fallocate, true) \
	X(preadv, true)    \
	X(pwritev, true)   \
	X(preadv2, true)   \
	X(pwritev2, true)

enum {
#define LT_SC_ENUM(call, required) LT_SC_##call,
	LT_SC_CALLS(LT_SC_ENUM)
#undef LT_SC_ENUM
		LT_SC_COUNT,
};

struct lt_sc_ids {
	int id[LT_SC_COUNT]; /* the event's id, or -errno when it is not there */
	int n; /* ids found */
};

/* "openat" for LT_SC_openat. */
const char *lt_sc_name(int call);
/*
 * Read the events' ids: from tracefs where it is already mounted, else in
 * a child in a mount namespace of its own, which mounts tracefs there and
 * sends them back. 0, or -errno with @why saying what failed (one phrase);
 * a missing required event is a failure.
 */
int lt_sc_read_ids(struct lt_sc_ids *ids, char *why, size_t len);
/*
 * Attach @prog to each event of @ids (a perf event on CPU 0: the program
 * runs on every CPU) into links[LT_SC_COUNT] (NULL where none); 0 or
 * -errno with @why. On failure, what was attached is destroyed.
 */
int lt_sc_attach(struct bpf_program *prog, const struct lt_sc_ids *ids, struct bpf_link **links,
		 char *why, size_t len);

/* Detach and destroy links[LT_SC_COUNT] (NULL where none), all at once;
 * they are NULL after. */
void lt_sc_detach(struct bpf_link **links);

#endif /* LOCKTRACE_SYSPLAN_H */

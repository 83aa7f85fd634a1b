/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The decision's cases: one failure each, the facts looked up for it and
 * the cause it must get (cause_cases.c). The test_cause_* tests run them by
 * domain; test_golden runs them all through every output.
 */
#ifndef LOCKTRACE_TEST_CAUSE_CASES_H
#define LOCKTRACE_TEST_CAUSE_CASES_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/capability.h>
#include <linux/types.h>
#include "locktrace.h"
#include "cause/cause.h"

#define R LT_MAY_READ
#define W LT_MAY_WRITE
#define X LT_MAY_EXEC

#define CAPS_ALL (~0ULL)
#define CAPB(c) (1ULL << (c))
#define CAPS_NO_DAC (CAPS_ALL & ~CAPB(CAP_DAC_OVERRIDE) & ~CAPB(CAP_DAC_READ_SEARCH))

/*
 * One component: type 'd' directory, 'f' regular file, 'p' FIFO, 'c'
 * character device 10:130, 'm' missing, '?' not looked up; attr "i"
 * immutable, "a" append-only; acl in the short text form
 * "u::rw-,u:4242:---,g::r--,m::r--,o::---". link: the name is a symbolic
 * link to that, owned by link_uid (and gid), leading to what the rest
 * says ('m': a dangling link); real: the real path, when a link is on the
 * way.
 */
struct comp_spec {
	const char *path;
	char type;
	__u32 mode;
	__u32 uid;
	__u32 gid;
	const char *attr;
	const char *acl;
	const char *link;
	__u32 link_uid;
	const char *real;
};

#define ROOT                                     \
	{                                        \
		"/", 'd', 0755, 0, 0, NULL, NULL \
	}
#define DIR_(p, m, u, g)                    \
	{                                   \
		p, 'd', m, u, g, NULL, NULL \
	}
#define FILE_(p, m, u, g)                   \
	{                                   \
		p, 'f', m, u, g, NULL, NULL \
	}
#define MISSING(p)                          \
	{                                   \
		p, 'm', 0, 0, 0, NULL, NULL \
	}
/* p: a symbolic link of uid lu to target, to an object of type t. */
#define LINK_(p, target, lu, t, m, u, g, real)              \
	{                                                   \
		p, t, m, u, g, NULL, NULL, target, lu, real \
	}

struct fs_spec {
	const char *type;
	const char *source;
	const char *mountpoint;
	const char *options;
	bool readonly;
	__u64 blocks_free, blocks_total, inodes_free, inodes_total;
};

/* What the decision must say. obj/acl_entry/cap/holder: -1 none. */
struct expect {
	enum lt_cause_kind kind;
	enum lt_evidence evidence;
	int obj;
	__u32 want;
	const char *class;
	int acl_entry;
	int cap;
	const char *lsm;
	int holder;
};

/* LSM tier: the kernel's record of the check that refused. */
struct deny_spec {
	__u32 hook, lsm;
	int ret;
	__u32 mask;
	__u32 mode, uid, gid, i_flags;
	__u16 flags, name_off;
	const char *path;
};

struct cause_case {
	const char *name;
	/* the event */
	__u32 sys;
	int err; /* 0: the call succeeded */
	__u32 flags; /* open flags */
	__u32 fsuid, fsgid;
	__u32 groups[4];
	__u32 ngroups;
	__u64 caps;
	bool in_userns; /* credentials of a child user namespace */
	const struct lt_id_map *idmap; /* its uid and gid map (one line) */
	__u32 ev_flags;
	int fd;
	__u32 lock_cmd, lock_type;
	__s64 lock_start, lock_len;
	const char *ev_path; /* default: the last component's path */
	/* facts */
	struct comp_spec comp[8];
	const struct fs_spec *fs;
	const char *lsm_list;
	bool landlocked;
	struct lt_holder holders[3];
	int nholders;
	const char *fd_acc; /* "r", "w", "rw"; NULL: unknown */
	bool fd_acc_kernel; /* fd_acc was captured in the kernel */
	const struct lt_avc *avc; /* SELinux's denial record */
	const char *avc_denied;
	__u32 pidfile_pid;
	bool pidfile_alive;
	const struct deny_spec *deny;
	const struct lt_owner_hint *owner; /* what the lock file names */
	/* I/O calls: what the call asked (io_off, io_len, io_flags); the
	 * inode's S_APPEND/S_IMMUTABLE at the call (with LT_EVF_HAVE_INODE) */
	__s64 io_off;
	__u64 io_len;
	__u32 io_flags, i_flags;
	/* a network share's answer (the cifs client's trace), and another
	 * mount of the share here (peers[0]; holders[].via_peer name it) */
	const struct lt_remote *remote;
	const char *peer;
	/* the verdict */
	struct expect x;
	const char *contains[5];
};

/* The usual way to a lock file. */
#define SRV ROOT, DIR_("/srv", 0755, 0, 0)
#define LOCKS SRV, DIR_("/srv/locks", 0755, 0, 0)

/* SELinux's record of a denied write. */
extern const struct lt_avc cause_avc_write;

/* The table, in the order of tests/golden/explain.golden. */
extern const struct cause_case cause_cases[];
extern const size_t cause_ncases;

#endif /* LOCKTRACE_TEST_CAUSE_CASES_H */

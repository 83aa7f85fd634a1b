/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The mounts a path goes through, from /proc/PID/mountinfo: read without
 * asking any filesystem, so a mount that does not answer is known before
 * a lookup waits on it. And the other mounts of the same network share.
 */
#ifndef LOCKTRACE_MOUNTS_H
#define LOCKTRACE_MOUNTS_H

#include <stdbool.h>
#include <linux/types.h>
#include "cause.h"

/* Mounts on the way to one path, at most (deeper stacks keep the deepest). */
#define LT_MAX_MOUNTS 8

/* A mount a path goes through: its mount point is the path's first len bytes. */
struct lt_mount_on {
	__u32 s_dev; /* kernel encoding, from mountinfo */
	__u32 len;
	char type[32];
};

/*
 * The mounts path goes through as process pid sees them (self_ok: ours if
 * it is gone, it saw the mounts we see): every mount point that prefixes
 * it, into mounts[] from "/" to the deepest (*nmounts of them); fs gets the
 * deepest, left as it is if none.
 */
void lt_find_mounts(__u32 pid, bool self_ok, const char *path, struct lt_mount_on *mounts,
		    int *nmounts, struct lt_fs *fs);

/*
 * The other mounts of fs's network share (same type and source, another
 * superblock: another session to the server) as process pid sees them, at
 * most max into peers[]; how many.
 */
int lt_find_share_peers(__u32 pid, bool self_ok, const struct lt_fs *fs,
			struct lt_peer_mount *peers, int max);

#endif /* LOCKTRACE_MOUNTS_H */

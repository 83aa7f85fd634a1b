/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Who records, for the recording's header: this host's identity and its
 * network mounts, each as the share it mounts (so that a report can tell
 * one host's recording from another's, and name a file on a share the same
 * way on each, whatever its mount point there). Functions return 0 or
 * -errno.
 */
#ifndef LOCKTRACE_HOST_H
#define LOCKTRACE_HOST_H

#include <stddef.h>
#include "locktrace.h"
#include "common/buf.h"

/* Mounts a header lists at most (the rest are counted: "mounts_more"). */
#define LT_HEADER_MOUNTS 64

/* The machine's id (/etc/machine-id: 32 hex digits), into buf (33 bytes);
 * -ENOENT if there is none, -EINVAL if it is not one. Read only from a
 * regular file, at most 64 bytes. */
int lt_host_machine_id(char *buf, size_t len);

/*
 * ,"mounts":[{"mount","fs","source","root","share","share_path","dev"}...]
 * for every mount of this process's mount namespace whose filesystem type
 * is one of types[0..n) (FUSE's "fuse.sshfs" is "fuse"): the share it
 * mounts, and the path within the share its mount point shows (see
 * common/share.h). Read from /proc/self/mountinfo, which asks no
 * filesystem.
 */
int lt_host_mounts_json(struct lt_buf *b, const char (*types)[LT_FSTYPE_LEN], int n);

#endif /* LOCKTRACE_HOST_H */

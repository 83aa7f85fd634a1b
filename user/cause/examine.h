/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Looking at what a process sees at a path, where unprivileged users name
 * and shape the paths: from the process's root (its absolute symbolic
 * links stay inside it), one component at a time, the name itself before
 * what it leads to; nothing opened but a regular file or a directory, and
 * no regular file of a pseudo filesystem, through a descriptor that cannot
 * be swapped since it was looked at.
 */
#ifndef LOCKTRACE_EXAMINE_H
#define LOCKTRACE_EXAMINE_H

#include <stdbool.h>
#include <stddef.h>
#include "cause.h"

/* An O_PATH descriptor for path as the process sees it from its root
 * rootfd, or -errno; lt_resolve_name: the name itself, a symbolic link as
 * the last component not followed. */
int lt_resolve_in(int rootfd, const char *path);
int lt_resolve_name(int rootfd, const char *path);

/*
 * Open what the O_PATH descriptor fd names, with open(2) flags (O_RDONLY),
 * never touching its access time where we may: a regular file or a
 * directory, never a device, a FIFO, a socket, a symbolic link or a regular
 * file of a pseudo filesystem (-EPERM). A descriptor, or -errno.
 */
int lt_reopen(int fd, int flags);

/* A system.posix_acl_access value (buf, len bytes) into out, at most max
 * entries: their number, or -EINVAL if it is not one. */
int lt_acl_parse(const void *buf, size_t len, struct lt_acl_entry *out, int max);

/*
 * Examine component path of the walk into o (via: one before it was a
 * symbolic link). The name first: a symbolic link is described in o
 * (is_link, link) and -ELOOP returned, for the caller to decide whether to
 * follow it (lt_resolve_in()); else a descriptor of it, or -errno.
 */
int lt_examine_name(int rootfd, const char *path, bool via, struct lt_obj *o);
/*
 * Then what it leads to: fd, from lt_examine_name() or lt_resolve_in(),
 * is closed here (-errno: it is not there, or could not be looked at).
 * root: the path of the process's root as we see it, filled in when first
 * needed (LT_PATH_MAX bytes, "" at first).
 */
void lt_examine_obj(int fd, int rootfd, char *root, struct lt_obj *o);

#endif /* LOCKTRACE_EXAMINE_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A file on a network share named the same way on every host that mounts
 * it: the share (from the mount's source) and the path within the share
 * (from the path within the mounted filesystem), whatever the mount point.
 * Pure.
 */
#ifndef LOCKTRACE_SHARE_H
#define LOCKTRACE_SHARE_H

#include <stdbool.h>
#include <stddef.h>
#include "buf.h"

/*
 * The network filesystems, by the kernel's names (mountinfo's type, FUSE's
 * "fuse.SUBTYPE" as "fuse"): where the holder of a lock may be on another
 * host. What --holders watches by default, and what the causes take as
 * remote (a refusal the server may have made, a pid that may be another
 * host's). LT_NETFS_TYPES(X, SEP): X(name) for each, SEP between.
 */
#define LT_NETFS_TYPES(X, SEP) \
	X(cifs) SEP X(smb3)    \
	SEP X(smbfs)           \
	SEP X(nfs)             \
	SEP X(nfs4)            \
	SEP X(9p) SEP X(ceph)  \
	SEP X(fuse)
#define LT_NETFS_STR(name) #name
/* "cifs,smb3,...": --holders' default list. */
#define LT_NETFS_DEFAULT LT_NETFS_TYPES(LT_NETFS_STR, ",")

/* Is type[0..n) (mountinfo's, or statfs's name for it) a network
 * filesystem's? "fuse.sshfs" is FUSE's; "fuseblk" and "fusectl" are not. */
bool lt_netfs_type(const char *type, size_t n);

/*
 * The share mount source src[0..sn) names, into @share, and path[0..pn)
 * (a path within the mounted filesystem, from its root) as a path within
 * that share, into @spath (starting with '/'):
 *
 *   SMB "//Server/Share/site" (or with backslashes): share "//server/share"
 *     (server and share names are case-insensitive: lower case), the rest
 *     ("/site") a directory of it;
 *   NFS and the like "server:/export/dir": share "server:" (the server's
 *     name in lower case), the rest ("/export/dir") a directory of it;
 *   anything else (a FUSE daemon's name or source directory): the source
 *     itself, with nothing more.
 *
 * The filesystem's root is the mounted directory (a prefix mount of SMB,
 * an NFS export) or the share's own root, depending on the filesystem: a
 * path that already starts with the source's directory is taken as within
 * the share's root, any other as within that directory.
 */
void lt_share_of(const char *src, size_t sn, const char *path, size_t pn, struct lt_buf *share,
		 struct lt_buf *spath);

#endif /* LOCKTRACE_SHARE_H */

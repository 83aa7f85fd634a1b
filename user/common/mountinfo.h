/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One line of /proc/PID/mountinfo, split into its fields in place (see
 * proc(5)): "id parent maj:min root mount options [optional...] - type
 * source super". The kernel escapes space, tab, newline and backslash in
 * paths as \ooo, so a field holds no space, whatever names the users who
 * shaped the mounts chose; the names are unescaped here. Pure.
 */
#ifndef LOCKTRACE_MOUNTINFO_H
#define LOCKTRACE_MOUNTINFO_H

#include <stdio.h>
#include <linux/types.h>

struct lt_mountinfo {
	unsigned int major, minor;
	char *root; /* the directory of the filesystem the mount shows */
	char *mount; /* the mount point, as the reading process sees it */
	char *options; /* the mount's: "rw,nosuid,..." */
	char *type; /* the filesystem's: "cifs", "fuse.sshfs" */
	char *source; /* "//server/share", "/dev/sda1", "none" */
	char *super; /* the superblock's options */
};

/*
 * Split @line (one line, its newline included or not) into @mi, unescaping
 * root, mount and source. 0, or -EINVAL when it is not a mountinfo line
 * (a field missing, no "-" separator, a device that is no "maj:min").
 */
int lt_mountinfo_parse(char *line, struct lt_mountinfo *mi);

/*
 * The next line of mountinfo @f into *line (grown as getline(3) does, *cap
 * its size: the kernel bounds a line by its paths'), parsed into @mi.
 * Lines that do not parse are skipped: a long line is read whole, never in
 * pieces a later parse could take for lines of their own. 0, or -ENOENT at
 * the end, -ENOMEM.
 */
int lt_mountinfo_next(FILE *f, char **line, size_t *cap, struct lt_mountinfo *mi);

#endif /* LOCKTRACE_MOUNTINFO_H */

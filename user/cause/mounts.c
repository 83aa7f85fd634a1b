// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The mounts a path goes through, and the other mounts of its share: see
 * mounts.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mounts.h"
#include "common/mountinfo.h"
#include "common/util.h"

static bool has_opt(const char *opts, const char *opt)
{
	size_t n = strlen(opt);

	for (const char *p = opts; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, opt, n) && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* The process's mountinfo (ours if it is gone and self_ok). */
static FILE *open_mountinfo(__u32 pid, bool self_ok)
{
	char file[64];
	FILE *f;

	snprintf(file, sizeof(file), "/proc/%u/mountinfo", pid);
	f = fopen(file, "r");
	if (!f && self_ok) /* gone, but it saw the mounts we see */
		f = fopen("/proc/self/mountinfo", "r");
	return f;
}

void lt_find_mounts(__u32 pid, bool self_ok, const char *path, struct lt_mount_on *mounts,
		    int *nmounts, struct lt_fs *fs)
{
	size_t plen = strlen(path), cap = 0;
	struct lt_mountinfo mi;
	char *line = NULL;
	FILE *f;

	*nmounts = 0;
	f = open_mountinfo(pid, self_ok);
	if (!f)
		return;
	while (!lt_mountinfo_next(f, &line, &cap, &mi)) {
		size_t n = strlen(mi.mount);
		struct lt_mount_on *m;
		int i;

		if (n > plen || strncmp(path, mi.mount, n) ||
		    (n > 1 && path[n] != '/' && path[n] != '\0'))
			continue;
		/* Sorted by length; a later mount on the same point covers it. */
		for (i = 0; i < *nmounts && mounts[i].len < n; i++)
			;
		if (i == *nmounts || mounts[i].len != n) {
			if (*nmounts == LT_MAX_MOUNTS) {
				if (i == 0)
					continue; /* keep the deepest */
				memmove(&mounts[0], &mounts[1], (i - 1) * sizeof(*m));
				i--;
			} else {
				memmove(&mounts[i + 1], &mounts[i], (*nmounts - i) * sizeof(*m));
				(*nmounts)++;
			}
		}
		m = &mounts[i];
		m->len = n;
		m->s_dev = mi.major << 20 | mi.minor;
		snprintf(m->type, sizeof(m->type), "%s", mi.type);
		if (i != *nmounts - 1)
			continue;
		fs->known = true;
		snprintf(fs->mountpoint, sizeof(fs->mountpoint), "%s", mi.mount);
		snprintf(fs->type, sizeof(fs->type), "%s", mi.type);
		snprintf(fs->source, sizeof(fs->source), "%s", mi.source);
		snprintf(fs->options, sizeof(fs->options), "%s", mi.options);
		fs->readonly = has_opt(mi.options, "ro") || has_opt(mi.super, "ro");
		fs->s_dev = mi.major << 20 | mi.minor;
	}
	free(line);
	fclose(f);
}

/* A filesystem whose source names a share of a server. */
static bool is_share(const char *type)
{
	static const char *const shares[] = { "cifs", "smb3", "nfs", "nfs4" };

	for (size_t i = 0; i < sizeof(shares) / sizeof(shares[0]); i++)
		if (!strcmp(type, shares[i]))
			return true;
	return false;
}

int lt_find_share_peers(__u32 pid, bool self_ok, const struct lt_fs *fs,
			struct lt_peer_mount *peers, int max)
{
	struct lt_mountinfo mi;
	char *line = NULL;
	size_t cap = 0;
	int n = 0;
	FILE *f;

	/* Network shares only, whose inode numbers are the server's: a
	 * "tmpfs" source names no share. */
	if (!fs->known || !fs->source[0] || !is_share(fs->type))
		return 0;
	f = open_mountinfo(pid, self_ok);
	if (!f)
		return 0;
	while (n < max && !lt_mountinfo_next(f, &line, &cap, &mi)) {
		__u32 dev = mi.major << 20 | mi.minor;
		int i;

		if (dev == fs->s_dev || strncmp(mi.type, fs->type, sizeof(fs->type)) ||
		    strncmp(mi.source, fs->source, sizeof(fs->source)))
			continue;
		for (i = 0; i < n && peers[i].s_dev != dev; i++)
			;
		if (i < n)
			continue; /* the same superblock mounted again: the same session */
		peers[n].s_dev = dev;
		snprintf(peers[n].mountpoint, sizeof(peers[n].mountpoint), "%s", mi.mount);
		n++;
	}
	free(line);
	fclose(f);
	return n;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Causes the filesystem gives: a name that is missing (ENOENT), a
 * read-only (EROFS), full (ENOSPC) or over-quota (EDQUOT) filesystem, and
 * a remote one whose server refused what every local check allows.
 */
#include <string.h>
#include "common/share.h"
#include "common/util.h"
#include "decide.h"

static bool fs_is_readonly(const struct lt_fs *fs)
{
	return fs->readonly || lt_list_has(fs->options, "ro");
}

void lt_decide_readonly_fs(struct decision *c)
{
	const struct lt_fs *fs = &c->in->fs;

	if (!fs->known) {
		lt_set_kind(c, LT_CAUSE_READONLY_FS, LT_EV_INFERRED);
		lt_set_detail(c->out, "read-only filesystem under %s (the mount was not examined)",
			      lt_target_path(c));
	} else if (fs_is_readonly(fs)) {
		lt_set_kind(c, LT_CAUSE_READONLY_FS, LT_EV_POSTHOC);
		lt_set_detail(c->out, "filesystem mounted read-only: %.*s (%.*s, %.*s, %.*s)",
			      ARR(fs->mountpoint), ARR(fs->source), ARR(fs->type),
			      ARR(fs->options));
	} else {
		lt_set_kind(c, LT_CAUSE_READONLY_FS, LT_EV_INFERRED);
		lt_set_detail(c->out, "filesystem was read-only at the call; ");
		lt_add_detail(c->out, "%.*s (%.*s, %.*s, %.*s) is read-write now",
			      ARR(fs->mountpoint), ARR(fs->source), ARR(fs->type),
			      ARR(fs->options));
	}
}

void lt_decide_no_space(struct decision *c, bool quota)
{
	const struct lt_fs *fs = &c->in->fs;

	lt_set_kind(c, quota ? LT_CAUSE_QUOTA : LT_CAUSE_NO_SPACE,
		    fs->known ? LT_EV_POSTHOC : LT_EV_INFERRED);
	if (quota)
		lt_set_detail(c->out, "disk quota exceeded for uid %u gid %u on ", c->ev->fsuid,
			      c->ev->fsgid);
	else
		lt_set_detail(c->out, "no space left on ");
	if (!fs->known) {
		lt_add_detail(c->out, "the filesystem of %s (not examined)", lt_target_path(c));
		return;
	}
	lt_add_detail(c->out, "%.*s (%.*s): %llu of %llu blocks free, %llu of %llu inodes free",
		      ARR(fs->mountpoint), ARR(fs->type), (unsigned long long)fs->blocks_free,
		      (unsigned long long)fs->blocks_total, (unsigned long long)fs->inodes_free,
		      (unsigned long long)fs->inodes_total);
}

void lt_decide_not_found(struct decision *c)
{
	const struct lt_cause_input *in = c->in;
	int n = c->ncomp, t = n - 1, i;
	bool create = c->ev->open_flags & LT_O_CREAT;

	if (n <= 0) {
		lt_set_kind(c, LT_CAUSE_NOT_FOUND, LT_EV_INFERRED);
		lt_set_detail(c->out, "no such file or directory: %s", lt_ev_path(c));
		return;
	}
	for (i = 0; i < n; i++) {
		if (!in->comp[i].looked_up) {
			lt_set_kind(c, LT_CAUSE_NOT_FOUND, LT_EV_INFERRED);
			lt_set_detail(c->out,
				      "no such file or directory: %s (%s could not be examined)",
				      lt_ev_path(c), in->comp[i].path);
			return;
		}
		if (!in->comp[i].exists)
			break;
	}
	/* Creating the target itself cannot fail with ENOENT: its directory
	 * was missing at the time, even if it is back now. */
	if (create && i >= t && t > 0 && c->last_is_target) {
		lt_set_kind(c, LT_CAUSE_NOT_FOUND, LT_EV_INFERRED);
		c->out->obj = t - 1;
		lt_set_detail(c->out, "no such file or directory: %s was missing when %s",
			      in->comp[t - 1].path, in->comp[t].path);
		lt_add_detail(c->out, " was to be created (it exists now)");
		return;
	}
	if (i >= n) {
		lt_set_kind(c, LT_CAUSE_NOT_FOUND, LT_EV_INFERRED);
		c->out->obj = c->last_is_target ? t : -1;
		lt_set_detail(
			c->out,
			"no such file or directory: %s was missing at the call (it exists now)",
			lt_target_path(c));
		return;
	}
	lt_set_kind(c, LT_CAUSE_NOT_FOUND, LT_EV_POSTHOC);
	c->out->obj = i;
	if (in->comp[i].is_link)
		lt_set_detail(c->out,
			      "no such file or directory: %s is a symbolic link (uid %u) to %s, "
			      "which is missing",
			      in->comp[i].path, in->comp[i].link.uid, in->comp[i].link.target);
	else
		lt_set_detail(c->out, "no such file or directory: %s is missing", in->comp[i].path);
	if (i != t || !c->last_is_target)
		lt_add_detail(c->out, " (on the way to %s)", lt_ev_path(c));
}

bool lt_fs_is_remote(const struct lt_fs *fs)
{
	return fs->known && lt_netfs_type(fs->type, sizeof(fs->type));
}

/* 4. of the permission walk: everything local allows it, and on a remote
 * filesystem the server refused. false when the filesystem is local. */
bool lt_decide_remote(struct decision *c, bool creating, __u32 want, int via)
{
	const struct lt_cause_input *in = c->in;

	if (!in->fs.known || !lt_fs_is_remote(&in->fs))
		return false;
	lt_set_kind(c, LT_CAUSE_REMOTE_FS, LT_EV_INFERRED);
	lt_set_detail(c->out, "local mode bits ");
	lt_add_allowed(c, creating, want, via);
	lt_add_detail(c->out, " but the server refused (%.*s %.*s mounted at %.*s)",
		      ARR(in->fs.type), ARR(in->fs.source), ARR(in->fs.mountpoint));
	return true;
}

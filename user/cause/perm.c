// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The permission walk (EACCES, EPERM), in the kernel's order: search on
 * every directory of the path, write and search on the parent of a file
 * being created, the fs.protected_* sysctls' refusals, then the target:
 * its immutable flag, DAC with ACL and capabilities (in a user namespace,
 * only over the inodes mapped into it), its append-only flag. What every
 * local check allows goes to a remote server or a security module.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/capability.h>
#include "common/decode.h"
#include "decide.h"

/* What was being done on an object of the walk. */
enum step {
	STEP_SEARCH, /* a directory on the way: --x */
	STEP_CREATE, /* the parent of a file being created: -wx */
	STEP_OPEN, /* the target: lt_open_may() */
};

struct denial {
	struct dac_verdict v;
	int cap; /* the capability that would have granted, -1 none */
	bool cap_held; /* ... and the process has it (user namespace) */
};

static bool has_cap(const struct decision *c, int cap)
{
	return cap >= 0 && cap < 64 && (c->ev->cap_eff & (1ULL << cap));
}

static bool id_mapped(const struct lt_id_map *map, int n, __u32 id)
{
	for (int i = 0; i < n && i < LT_MAX_ID_MAPS; i++)
		if (id >= map[i].outside && id - map[i].outside < map[i].count)
			return true;
	return false;
}

/* Do the process's capabilities count over o? In the initial user
 * namespace always; in another, when o's uid and gid are mapped into it. */
static bool caps_count_over(const struct decision *c, const struct lt_obj *o)
{
	const struct lt_cause_input *in = c->in;

	return in->creds_in_init_userns || (id_mapped(in->uid_map, in->nuid_map, o->uid) &&
					    id_mapped(in->gid_map, in->ngid_map, o->gid));
}

/*
 * generic_permission() for one object: DAC, then CAP_DAC_READ_SEARCH and
 * CAP_DAC_OVERRIDE, which count for credentials of the initial user
 * namespace, or of another over inodes mapped into it. *via is the
 * capability that granted, -1 if DAC did.
 */
static bool may(const struct decision *c, const struct lt_obj *o, bool is_dir, __u32 want,
		struct denial *d, int *via)
{
	const struct lt_event *ev = c->ev;
	bool rs, ov;

	*via = -1;
	d->cap = -1;
	d->cap_held = false;
	if (!lt_dac_eval(o, ev->fsuid, ev->fsgid, ev->groups, c->ngroups, want, &d->v))
		return true;
	rs = lt_cap_grants(is_dir, o->mode, CAP_DAC_READ_SEARCH, want) &&
	     has_cap(c, CAP_DAC_READ_SEARCH);
	ov = lt_cap_grants(is_dir, o->mode, CAP_DAC_OVERRIDE, want) && has_cap(c, CAP_DAC_OVERRIDE);
	if (caps_count_over(c, o) && (rs || ov)) {
		*via = rs ? CAP_DAC_READ_SEARCH : CAP_DAC_OVERRIDE;
		return true;
	}
	d->cap = lt_cap_grant_mode(is_dir, o->mode, want);
	d->cap_held = rs || ov;
	return false;
}

/* "search", "create in", "open ... for rw-", "truncate" around the
 * object's path. */
static void add_action(const struct decision *c, enum step step, const char *path, __u32 want)
{
	char w[4];

	lt_may_str(want, w);
	if (step == STEP_SEARCH)
		lt_add_detail(c->out, "search %s", path);
	else if (step == STEP_CREATE)
		lt_add_detail(c->out, "create in %s", path);
	else if (lt_sys_by_name(c->ev->syscall))
		lt_add_detail(c->out, "truncate %s", path);
	else
		lt_add_detail(c->out, "open %s for %s", path, w);
}

static void report_denial(struct decision *c, int idx, enum step step, __u32 want,
			  const struct denial *d)
{
	const struct lt_event *ev = c->ev;
	const struct lt_obj *o = &c->in->comp[idx];
	struct lt_cause *out = c->out;
	bool userns = !c->in->creds_in_init_userns;
	char w[4], miss[4];

	out->obj = idx;
	out->want = want;
	out->class = d->v.class;
	out->acl_entry = d->v.acl_entry;
	lt_may_str(want, w);
	lt_may_str(want & ~d->v.perm, miss);

	if (d->cap >= 0 && (ev->fsuid == 0 || (userns && d->cap_held))) {
		lt_set_kind(c, LT_CAUSE_CAPABILITY, LT_EV_POSTHOC);
		out->capability = d->cap;
		if (ev->fsuid == 0)
			lt_set_detail(out, "root ");
		else
			lt_set_detail(out, "uid %u ", ev->fsuid);
		if (userns)
			lt_add_detail(out, "in a user namespace cannot ");
		else
			lt_add_detail(out, "without %s cannot ", lt_cap_name(d->cap));
		add_action(c, step, o->path, want);
		lt_add_detail(out, " (%04o uid %u gid %u)", o->mode & 07777, o->uid, o->gid);
		if (userns)
			lt_add_detail(out,
				      ": %s does not apply to files owned outside the namespace",
				      lt_cap_name(d->cap));
		lt_add_link_note(c, idx);
		return;
	}

	if (!strcmp(d->v.class, "acl_user") || !strcmp(d->v.class, "acl_group")) {
		const struct lt_acl_entry *e = &o->acl[d->v.acl_entry];
		int m = lt_acl_find(o, LT_ACL_MASK);
		char ent[48], mask[48];

		lt_set_kind(c, LT_CAUSE_ACL, LT_EV_POSTHOC);
		lt_acl_entry_str(e, ent, sizeof(ent));
		lt_set_detail(out, "ACL entry %s", ent);
		if (m >= 0 && (e->perm & want & 7) != (d->v.perm & want & 7)) {
			lt_acl_entry_str(&o->acl[m], mask, sizeof(mask));
			lt_add_detail(out, " limited by %s", mask);
		}
		lt_add_detail(out, " on %s denies ", o->path);
		if (step == STEP_SEARCH)
			lt_add_detail(out, "search");
		else if (step == STEP_CREATE)
			lt_add_detail(out, "%s (create in it)", w);
		else
			lt_add_detail(out, "%s", w);
		lt_add_detail(out, " to uid %u", ev->fsuid);
		lt_add_link_note(c, idx);
		return;
	}

	lt_set_kind(c, step == STEP_OPEN ? LT_CAUSE_DAC : LT_CAUSE_DAC_SEARCH, LT_EV_POSTHOC);
	lt_set_detail(out, "mode %04o uid %u gid %u on %s gives %s (uid %u", o->mode & 07777,
		      o->uid, o->gid, o->path, d->v.class, ev->fsuid);
	if (!strcmp(d->v.class, "group"))
		lt_add_detail(out, " via gid %u", o->gid);
	lt_add_detail(out, ") no %s; asked %s", miss, w);
	if (step == STEP_SEARCH)
		lt_add_detail(out, " to search it");
	else if (step == STEP_CREATE)
		lt_add_detail(out, " to create %s in it", lt_target_path(c));
	if (!strcmp(d->v.class, "other") && (ev->ev_flags & LT_EVF_GROUPS_TRUNCATED))
		lt_add_detail(out, "; only the first %d supplementary groups were seen",
			      LT_MAX_GROUPS);
	lt_add_link_note(c, idx);
	/* A badly permissioned lock file usually has a culprit. */
	if (step == STEP_OPEN && c->in->have_creator)
		lt_add_detail(out, "; created %04o by pid %u (%.*s) uid %u",
			      c->in->creator.mode & 07777, c->in->creator.pid,
			      ARR(c->in->creator.comm), c->in->creator.uid);
}

static void no_facts(struct decision *c, const struct lt_obj *o)
{
	lt_set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_INFERRED);
	lt_set_detail(c->out, "no facts for %s: it could not be examined", o->path);
}

static void path_changed(struct decision *c, const struct lt_obj *o)
{
	lt_set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_INFERRED);
	lt_set_detail(c->out, "%s from %s, but %s no longer exists: the path changed since",
		      c->err == EPERM ? "EPERM" : "EACCES", lt_syscall_name(c->ev->syscall),
		      o->path);
}

/*
 * The kernel's may_create_in_sticky(): with fs.protected_regular (or
 * protected_fifos) set, LT_O_CREAT on an existing file in a sticky
 * world-writable (or, at level 2, group-writable) directory is refused
 * unless the caller or the directory's owner owns the file. The sysctl is
 * not among the facts, hence only "probably".
 */
static bool sticky_refusal(struct decision *c, const struct lt_obj *dir, const struct lt_obj *t)
{
	if (!(c->ev->open_flags & LT_O_CREAT) || !(dir->mode & S_ISVTX))
		return false;
	if (!S_ISREG(t->mode) && !S_ISFIFO(t->mode))
		return false;
	if (t->uid == dir->uid || t->uid == c->ev->fsuid)
		return false;
	if (!(dir->mode & (S_IWOTH | S_IWGRP)))
		return false;
	lt_set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_INFERRED);
	lt_set_detail(c->out, "probably fs.protected_%s: O_CREAT on %s (uid %u)",
		      S_ISFIFO(t->mode) ? "fifos" : "regular", t->path, t->uid);
	lt_add_detail(c->out, " in sticky %s-writable %s (%04o uid %u)",
		      dir->mode & S_IWOTH ? "world" : "group", dir->path, dir->mode & 07777,
		      dir->uid);
	lt_add_detail(c->out, " is refused to uid %u, who owns neither", c->ev->fsuid);
	return true;
}

/*
 * The kernel's may_follow_link(): with fs.protected_symlinks set, a
 * symbolic link in a sticky world-writable directory is followed only by
 * its owner, or when the directory's owner owns it (root included). The
 * sysctl is not among the facts, hence only "probably".
 */
static bool symlink_refusal(struct decision *c, int i)
{
	const struct lt_obj *l, *dir;

	if (i < 1)
		return false;
	l = &c->in->comp[i];
	dir = &c->in->comp[i - 1];
	if (!l->is_link || !dir->exists)
		return false;
	if ((dir->mode & (S_ISVTX | S_IWOTH)) != (S_ISVTX | S_IWOTH))
		return false;
	if (l->link.uid == c->ev->fsuid || l->link.uid == dir->uid)
		return false;
	lt_set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_INFERRED);
	c->out->about = LT_ABOUT_PROTECTED_SYMLINK;
	c->out->obj = i;
	lt_set_detail(c->out,
		      "probably fs.protected_symlinks: %s is a symbolic link (uid %u) to %s",
		      l->path, l->link.uid, l->link.target);
	lt_add_detail(c->out, " in sticky world-writable %s (%04o uid %u);", dir->path,
		      dir->mode & 07777, dir->uid);
	lt_add_detail(c->out, " uid %u, who owns neither, may not follow it", c->ev->fsuid);
	return true;
}

void lt_decide_access(struct decision *c)
{
	const struct lt_cause_input *in = c->in;
	const struct lt_event *ev = c->ev;
	const struct lt_obj *t;
	/* truncate by name asks write of the target, as an open for writing. */
	__u32 fl = ev->open_flags,
	      want = lt_sys_by_name(ev->syscall) ? LT_MAY_WRITE : lt_open_may(fl);
	struct denial d;
	bool creating;
	int n = c->ncomp, ti, i, via = -1;

	if (n <= 0) {
		lt_set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_INFERRED);
		lt_set_detail(c->out,
			      "no facts: the process or the file was gone before it could be");
		lt_add_detail(c->out, " examined (%s)", lt_ev_path(c));
		return;
	}
	/* Without the target (the facts stop short of it), every component
	 * is a directory on the way. */
	ti = c->last_is_target ? n - 1 : n;
	t = c->last_is_target ? &in->comp[ti] : NULL;
	creating = t && (fl & LT_O_CREAT) && t->looked_up && !t->exists;

	/* 1. The walk: search on each directory, write too on the parent of
	 * a file being created. */
	for (i = 0; i < ti; i++) {
		const struct lt_obj *o = &in->comp[i];
		bool parent = creating && i == ti - 1;
		bool is_dir = S_ISDIR(o->mode) || !(o->mode & S_IFMT);
		__u32 w_here = parent ? LT_MAY_WRITE | LT_MAY_EXEC : LT_MAY_EXEC;

		if (i > 0 && symlink_refusal(c, i))
			return;
		if (!o->looked_up) {
			no_facts(c, o);
			return;
		}
		if (!o->exists) {
			path_changed(c, o);
			return;
		}
		if (parent && o->immutable && may(c, o, is_dir, LT_MAY_EXEC, &d, &via)) {
			lt_set_kind(c, LT_CAUSE_IMMUTABLE, LT_EV_POSTHOC);
			c->out->obj = i;
			c->out->want = w_here;
			lt_set_detail(c->out,
				      "immutable flag (chattr +i) on %s forbids creating %s in it",
				      o->path, lt_target_path(c));
			lt_add_link_note(c, i);
			return;
		}
		if (!may(c, o, is_dir, w_here, &d, &via)) {
			report_denial(c, i, parent ? STEP_CREATE : STEP_SEARCH, w_here, &d);
			return;
		}
	}

	if (!t) {
		lt_set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_INFERRED);
		lt_set_detail(c->out, "the facts stop at %s, short of %s", in->comp[n - 1].path,
			      lt_ev_path(c));
		return;
	}
	/* The last link is followed unless O_NOFOLLOW or LT_O_CREAT|LT_O_EXCL. */
	if (ti > 0 && !(fl & LT_O_NOFOLLOW) &&
	    (fl & (LT_O_CREAT | LT_O_EXCL)) != (LT_O_CREAT | LT_O_EXCL) && symlink_refusal(c, ti))
		return;
	if (!creating) {
		if (!t->looked_up) {
			no_facts(c, t);
			return;
		}
		if (!t->exists) {
			path_changed(c, t);
			return;
		}
		/* 2. The immutable flag, checked before DAC. */
		if ((want & LT_MAY_WRITE) && t->immutable) {
			lt_set_kind(c, LT_CAUSE_IMMUTABLE, LT_EV_POSTHOC);
			c->out->obj = ti;
			c->out->want = want;
			lt_set_detail(c->out, "immutable flag (chattr +i) on %s forbids writing",
				      t->path);
			lt_add_link_note(c, ti);
			return;
		}
		/* 3. DAC, ACL and capabilities on the target. */
		if (!may(c, t, S_ISDIR(t->mode), want, &d, &via)) {
			report_denial(c, ti, STEP_OPEN, want, &d);
			return;
		}
		/* The append-only flag, which may_open() checks after DAC. */
		if (t->append_only && (want & LT_MAY_WRITE) &&
		    (!(fl & LT_O_APPEND) || (fl & LT_O_TRUNC))) {
			lt_set_kind(c, LT_CAUSE_IMMUTABLE, LT_EV_POSTHOC);
			c->out->obj = ti;
			c->out->want = want;
			lt_set_detail(
				c->out, "append-only flag (chattr +a) on %s forbids %s", t->path,
				fl & LT_O_TRUNC ? "truncating it" : "writing except with O_APPEND");
			return;
		}
		if (ti > 0 && sticky_refusal(c, &in->comp[ti - 1], t))
			return;
	}

	/* 4. Everything local allows it: a server refused ... */
	if (lt_decide_remote(c, creating, want, via))
		return;
	/* 5. ... or a security module. */
	lt_decide_lsm(c, creating, want, via);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Which security module refused. In the LSM tier the kernel's record of
 * the refusing check says so (and for inode_permission() it confirms, or
 * overrules, the DAC reading of the facts); otherwise, when every local
 * check allows the access, by elimination: SELinux's own denial record,
 * Landlock, the one active module that refuses by its own policy.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "common/decode.h"
#include "common/util.h"
#include "decide.h"

/* Modules that refuse file accesses by their own policy: the mac column
 * of bpf/lsm.def. */
static const bool lsm_mac[LT_LSM_COUNT] = {
#define LT_LSM_MODULE(ID, value, name, title, fn_prefix, mac) [LT_LSM_##ID] = mac,
#include "lsm.def"
};

/* Modules for people ("SELinux", "a BPF LSM program"): its title column. */
static const char *const lsm_title[LT_LSM_COUNT] = {
#define LT_LSM_MODULE(ID, value, name, title, fn_prefix, mac) [LT_LSM_##ID] = title,
#include "lsm.def"
};

/* The one active module that can refuse a file access for its own reasons,
 * if there is exactly one. Landlock counts: a process may restrict itself. */
static enum lt_lsm_id single_mac(const char *list)
{
	enum lt_lsm_id found = LT_LSM_NONE;

	for (int id = 0; id < LT_LSM_COUNT; id++) {
		if (!lsm_mac[id] || !lt_list_has(list, lt_lsm_id_name(id)))
			continue;
		if (found)
			return LT_LSM_NONE;
		found = id;
	}
	return found;
}

/* ------------------------------------------------------------------ */
/* LSM tier: the check the kernel itself recorded */

/* The kernel's record, if it is about this failure. */
const struct lt_deny *lt_kernel_deny(const struct decision *c)
{
	const struct lt_deny *d = c->in->deny;

	return d && d->ret == c->ev->ret && d->hook && d->hook < LT_HOOK_COUNT ? d : NULL;
}

/* "/x/y.lock" of the kernel's record ("/x" for a directory the name was
 * to be created in). */
static void deny_object(const struct lt_deny *d, char *buf, size_t len)
{
	size_t n = d->path_len;

	if ((d->flags & LT_DENY_HAS_NAME) && d->name_off > 0)
		n = d->name_off - 1;
	snprintf(buf, len, "%.*s", (int)n, n ? d->path : "/");
}

/* Is component o the inode the kernel refused? */
static bool is_deny_obj(const struct lt_obj *o, const struct lt_deny *d)
{
	char p[LT_PATH_MAX];

	if (o->exists && o->ino == d->ino && major(o->dev) == d->dev >> 20 &&
	    minor(o->dev) == (d->dev & 0xfffff))
		return true;
	deny_object(d, p, sizeof(p));
	return !(d->flags & LT_DENY_PATH_IN_FS) && !strcmp(o->path, p);
}

/* A security module's hook refused: the kernel says which. */
void lt_kernel_lsm(struct decision *c, const struct lt_deny *d)
{
	const char *hook = lt_hook_name(d->hook);
	char fn[64], ebuf[24], what[LT_PATH_MAX];

	lt_set_kind(c, LT_CAUSE_LSM, LT_EV_KERNEL);
	c->out->kernel_check = true;
	c->out->lsm = lt_lsm_id_name(d->lsm) ? d->lsm : LT_LSM_NONE;
	deny_object(d, what, sizeof(what));
	if (c->out->lsm)
		lt_set_detail(c->out, "%s refused %s", lsm_title[c->out->lsm], hook + 9);
	else
		lt_set_detail(c->out, "a security module refused %s", hook + 9);
	if (d->flags & LT_DENY_HAS_NAME)
		lt_add_detail(c->out, " of %s (creating it in %s)", d->path, what);
	else
		lt_add_detail(c->out, " of %s", what);
	if (lt_lsm_function(d->lsm, d->hook, fn, sizeof(fn)))
		lt_add_detail(c->out, ": %s returned %s", fn,
			      lt_decision_errno(c, ebuf, sizeof(ebuf)));
	else
		lt_add_detail(c->out, ": %s returned %s", hook,
			      lt_decision_errno(c, ebuf, sizeof(ebuf)));
	if (d->lsm == LT_LSM_UNKNOWN)
		lt_add_detail(c->out, " (active: %.*s)", ARR(c->in->lsm_list));
	if (c->in->avc && d->lsm == LT_LSM_SELINUX)
		lt_add_detail(c->out, "; denied { %.*s } to %.*s on %.*s (tclass %.*s)",
			      ARR(c->in->avc_denied), ARR(c->in->avc->scontext),
			      ARR(c->in->avc->tcontext), ARR(c->in->avc->tclass));
}

/*
 * The kernel's inode_permission() refused (mode bits, ACL, capabilities,
 * immutable flag): the reading of the facts above agrees, and the evidence
 * is the kernel's, or the kernel's record wins over facts gathered after
 * things changed.
 */
void lt_kernel_confirm(struct decision *c, const struct lt_deny *d)
{
	struct lt_cause *out = c->out;
	enum lt_cause_kind k = out->kind;
	int err = -d->ret, i, obj = -1;
	char p[LT_PATH_MAX], w[4];

	out->kernel_check = true;
	for (i = 0; i < c->ncomp; i++)
		if (is_deny_obj(&c->in->comp[i], d))
			obj = i;
	if ((k == LT_CAUSE_DAC || k == LT_CAUSE_DAC_SEARCH || k == LT_CAUSE_ACL ||
	     k == LT_CAUSE_CAPABILITY) &&
	    err == EACCES && out->obj >= 0 && out->obj == obj) {
		out->evidence = LT_EV_KERNEL;
		return;
	}
	if ((k == LT_CAUSE_IMMUTABLE && err == EPERM &&
	     (d->i_flags & (LT_S_IMMUTABLE | LT_S_APPEND))) ||
	    (k == LT_CAUSE_READONLY_FS && err == EROFS)) {
		out->evidence = LT_EV_KERNEL;
		return;
	}
	/* The facts gathered afterwards tell another story: the kernel's
	 * record is what happened. */
	deny_object(d, p, sizeof(p));
	out->obj = obj;
	out->want = d->mask & (LT_MAY_READ | LT_MAY_WRITE | LT_MAY_EXEC);
	out->class = NULL;
	out->acl_entry = -1;
	out->capability = -1;
	lt_may_str(out->want, w);
	if (err == EPERM && (d->i_flags & (LT_S_IMMUTABLE | LT_S_APPEND))) {
		lt_set_kind(c, LT_CAUSE_IMMUTABLE, LT_EV_KERNEL);
		lt_set_detail(out, "%s flag on %s refused %s",
			      d->i_flags & LT_S_IMMUTABLE ? "immutable" : "append-only", p, w);
	} else if (err == EROFS) {
		lt_set_kind(c, LT_CAUSE_READONLY_FS, LT_EV_KERNEL);
		lt_set_detail(out, "read-only filesystem under %s refused %s", p, w);
	} else {
		bool dir = S_ISDIR(d->i_mode) &&
			   !(obj >= 0 && obj == c->ncomp - 1 && c->last_is_target);

		lt_set_kind(c, dir ? LT_CAUSE_DAC_SEARCH : LT_CAUSE_DAC, LT_EV_KERNEL);
		lt_set_detail(out, "mode %04o uid %u gid %u on %s refused %s to uid %u",
			      d->i_mode & 07777, d->i_uid, d->i_gid, p, w, c->ev->fsuid);
	}
	lt_add_detail(out, " (the kernel's %s returned %s; looked at afterwards, it had changed)",
		      lt_hook_name(d->hook), lt_errno_name(err) ?: "an error");
}

/* ------------------------------------------------------------------ */
/* By elimination: every local check allows it */

enum lt_lsm_id lt_lsm_by_elimination(const struct lt_cause_input *in)
{
	return in->landlocked ? LT_LSM_LANDLOCK : single_mac(in->lsm_list);
}

void lt_decide_lsm(struct decision *c, bool creating, __u32 want, int via)
{
	const struct lt_cause_input *in = c->in;

	/* SELinux says so itself when it was SELinux (its denial record from
	 * this thread, just before). */
	if (in->avc) {
		lt_set_kind(c, LT_CAUSE_LSM, LT_EV_KERNEL);
		c->out->lsm = LT_LSM_SELINUX;
		lt_set_detail(c->out, "SELinux denied { %.*s } to %.*s on %.*s (tclass %.*s)",
			      ARR(in->avc_denied), ARR(in->avc->scontext), ARR(in->avc->tcontext),
			      ARR(in->avc->tclass));
		lt_add_detail(c->out, "; permission bits ");
		lt_add_allowed(c, creating, want, via);
		return;
	}
	lt_set_kind(c, LT_CAUSE_LSM, LT_EV_INFERRED);
	c->out->lsm = lt_lsm_by_elimination(in);
	lt_set_detail(c->out, "permission bits ");
	lt_add_allowed(c, creating, want, via);
	if (c->out->lsm)
		lt_add_detail(c->out, "; the %s security module refused",
			      lt_lsm_id_name(c->out->lsm));
	else
		lt_add_detail(c->out, "; a security module refused");
	if (in->lsm_list[0])
		lt_add_detail(c->out, " (active: %.*s)", ARR(in->lsm_list));
	else
		lt_add_detail(c->out, " (active modules unknown)");
}

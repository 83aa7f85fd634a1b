// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The decision itself, lt_cause_decide(): a pure function of the facts in
 * struct lt_cause_input (see cause.h). No I/O, no state.
 *
 * The order of the checks follows the kernel's own: the system call picks
 * the family of a lock call or an I/O call (io.c), and an open's errno its
 * own (lock conflict, missing name, read-only or full filesystem,
 * permission); for a permission error the path walk comes first
 * (search on every directory, write and search on the parent of a file
 * being created), then the target (immutable flag, DAC with ACL and
 * capabilities, append-only flag), and what is left is a remote server or
 * a security module, by elimination. A network filesystem's server that
 * said why (its NT status, as its client traced it) is believed first.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "common/decode.h"
#include "decide.h"

/*
 * Whether the last component is the target. The components are prefixes of
 * the event's path; a walk that stopped early (at a missing directory, say)
 * ends short of it. Without a path to compare, the contract says it is.
 */
static bool last_is_target(const struct decision *c)
{
	const char *last = c->in->comp[c->ncomp - 1].path, *p = c->ev->path;
	size_t n = strnlen(last, sizeof(c->in->comp[0].path));

	if (!p[0] || c->ev->ev_flags & LT_EVF_PATH_TRUNCATED)
		return true;
	if (strncmp(p, last, n))
		return false;
	for (p += n; *p == '/'; p++)
		;
	return !*p;
}

static void decide_open(struct decision *c)
{
	char ebuf[24];

	switch (c->err) {
	case ENOENT:
		lt_decide_not_found(c);
		return;
	case EROFS:
		lt_decide_readonly_fs(c);
		return;
	case ENOSPC:
		lt_decide_no_space(c, false);
		return;
	case EDQUOT:
		lt_decide_no_space(c, true);
		return;
	case EEXIST:
		lt_decide_eexist(c);
		return;
	case EACCES:
	case EPERM:
		lt_decide_access(c);
		return;
	}
	lt_set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_INFERRED);
	lt_set_detail(c->out, "%s from %s on %s", lt_decision_errno(c, ebuf, sizeof(ebuf)),
		      lt_syscall_name(c->ev->syscall), lt_target_path(c));
}

/*
 * The facts were not all looked up (a filesystem that did not answer, a
 * path cut short): an unknown cause says so instead of guessing.
 */
static void facts_missing(struct decision *c)
{
	const struct lt_facts_note *n = &c->in->note;
	const char *path = lt_ev_path(c);
	size_t len = strlen(path);

	if (n->state == LT_FACTS_COMPLETE || c->out->kind != LT_CAUSE_UNKNOWN)
		return;
	switch (n->state) {
	case LT_FACTS_TIMEOUT:
		lt_set_detail(c->out, "facts not looked up: %s %s", lt_lookup_name(n->lookup),
			      n->path[0] ? n->path : path);
		if (n->mount[0])
			lt_add_detail(c->out, " on %s (%s)", n->mount,
				      n->fstype[0] ? n->fstype : "?");
		lt_add_detail(c->out, " did not answer within %u ms", n->ms);
		break;
	case LT_FACTS_SLOW:
		if (n->mount[0])
			lt_set_detail(c->out, "facts not looked up: the mount %s (%s)", n->mount,
				      n->fstype[0] ? n->fstype : "?");
		else
			lt_set_detail(c->out, "facts not looked up: %s", n->path);
		lt_add_detail(c->out, " has not answered a lookup for %u ms", n->ms);
		break;
	case LT_FACTS_BUSY:
		lt_set_detail(c->out,
			      "facts not looked up: every fact worker is waiting on a filesystem "
			      "that does not answer (%s)",
			      path);
		break;
	case LT_FACTS_PATH_CUT:
		lt_set_detail(c->out,
			      "facts not looked up: the path is longer than locktrace captures; "
			      "its captured end (...%s) is not a path to look at",
			      path + (len > 64 ? len - 64 : 0));
		break;
	default:
		break;
	}
}

/* One line: names may hold control characters, newlines included. */
static void sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

void lt_cause_decide(const struct lt_cause_input *in, struct lt_cause *out)
{
	struct decision c = { .in = in, .out = out };
	const struct lt_deny *deny;

	memset(out, 0, sizeof(*out));
	out->kind = LT_CAUSE_UNKNOWN;
	out->evidence = LT_EV_INFERRED;
	out->obj = -1;
	out->acl_entry = -1;
	out->capability = -1;
	out->holder = -1;

	if (!in || !in->ev) {
		lt_set_detail(out, "no event");
		return;
	}
	c.ev = in->ev;
	c.ncomp = in->comp && in->ncomp > 0 ? in->ncomp : 0;
	c.last_is_target = c.ncomp > 0 && last_is_target(&c);
	c.ngroups = c.ev->ngroups > LT_MAX_GROUPS ? LT_MAX_GROUPS : (int)c.ev->ngroups;
	if (c.ev->ret >= 0) {
		out->kind = LT_CAUSE_NONE;
		out->evidence = LT_EV_KERNEL;
		return;
	}
	c.err = c.ev->ret < -4095 ? 4095 : (int)-c.ev->ret;
	deny = lt_kernel_deny(&c);

	if (deny && deny->hook != LT_HOOK_INODE_PERMISSION) {
		lt_kernel_lsm(&c, deny);
	} else if (!lt_sys_is_lock(c.ev->syscall) && lt_decide_remote_status(&c)) {
		/* A network filesystem's server answered (remote.c); a lock
		 * call's answer is weighed against local holders (lock.c). */
	} else {
		if (lt_sys_is_lock(c.ev->syscall))
			lt_decide_lock(&c);
		else if (lt_sys_is_io(c.ev->syscall))
			lt_decide_io(&c);
		else
			decide_open(&c);
		if (deny)
			lt_kernel_confirm(&c, deny);
	}
	if (in->owner.form != LT_OWNER_NONE && !c.owner_said) {
		lt_add_detail(out, "; the lock file names ");
		lt_add_owner(&c);
	}
	facts_missing(&c);
	sanitize(out->detail);
	if (!out->detail[0])
		lt_set_detail(out, "%s", lt_cause_kind_name(out->kind));
}

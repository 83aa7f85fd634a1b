// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What every family of the decision shares: the cause's kind and evidence,
 * its one-line detail, the paths, objects and symbolic links it names, and
 * whether a lock holder stands in the way of the request.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "common/decode.h"
#include "decide.h"

void lt_set_kind(struct decision *c, enum lt_cause_kind kind, enum lt_evidence ev)
{
	c->out->kind = kind;
	c->out->evidence = ev;
}

void lt_set_detail(struct lt_cause *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out->detail, sizeof(out->detail), fmt, ap);
	va_end(ap);
}

void lt_add_detail(struct lt_cause *out, const char *fmt, ...)
{
	size_t n = strlen(out->detail);
	va_list ap;

	if (n + 1 >= sizeof(out->detail))
		return;
	va_start(ap, fmt);
	vsnprintf(out->detail + n, sizeof(out->detail) - n, fmt, ap);
	va_end(ap);
}

const char *lt_decision_errno(const struct decision *c, char *buf, size_t len)
{
	const char *name = lt_errno_name_for(c->err, c->ev->syscall);

	if (name)
		return name;
	snprintf(buf, len, "errno %d", c->err);
	return buf;
}

/* The path of the event itself (open: the name; lock: the descriptor's). */
const char *lt_ev_path(const struct decision *c)
{
	return c->ev->path[0] ? c->ev->path : "(path unknown)";
}

/* The target's path: as looked up, else as the kernel saw it. */
const char *lt_target_path(const struct decision *c)
{
	if (c->last_is_target)
		return c->in->comp[c->ncomp - 1].path;
	return lt_ev_path(c);
}

int lt_cause_foreign_link(const struct lt_cause_input *in, int obj, __u32 owner)
{
	for (int i = 0; in->comp && i <= obj && i < in->ncomp; i++) {
		const struct lt_obj *o = &in->comp[i];

		if (o->is_link && o->link.uid != 0 && o->link.uid != owner)
			return i;
	}
	return -1;
}

/* "; /a/x.lock is a symbolic link (uid 4242) to /b/y", or reached through
 * one: the facts are the file the kernel checked, not the link. */
void lt_add_link_note(struct decision *c, int idx)
{
	const struct lt_obj *o = &c->in->comp[idx], *l = NULL;

	for (int j = idx; j >= 0 && !l; j--)
		if (c->in->comp[j].is_link)
			l = &c->in->comp[j];
	if (!l)
		return;
	if (l == o)
		lt_add_detail(c->out, "; %s is a symbolic link (uid %u) to %s", o->path,
			      l->link.uid, l->link.target);
	else
		lt_add_detail(c->out, "; %s is reached through the symbolic link %s (uid %u) to %s",
			      o->path, l->path, l->link.uid, l->link.target);
}

/* "a FIFO (uid 4242 gid 4242)", "a character device 1:3 (uid 0 gid 0)". */
void lt_add_what(struct lt_cause *out, const struct lt_obj *o)
{
	lt_add_detail(out, "a %s", lt_file_type_words(o->mode));
	if (S_ISCHR(o->mode) || S_ISBLK(o->mode))
		lt_add_detail(out, " %u:%u", major(o->rdev), minor(o->rdev));
	lt_add_detail(out, " (uid %u gid %u)", o->uid, o->gid);
}

/* "allow rw- on /x" or "allow creating /x", plus the capability used. */
void lt_add_allowed(struct decision *c, bool creating, __u32 want, int via)
{
	char w[4];

	lt_may_str(want, w);
	if (creating)
		lt_add_detail(c->out, "allow creating %s", lt_target_path(c));
	else
		lt_add_detail(c->out, "allow %s on %s", w, lt_target_path(c));
	if (via >= 0)
		lt_add_detail(c->out, " (through %s)", lt_cap_name(via));
}

/* "pid 4711 on host web-1, not this host", "pid 4711, alive here (dotnet)",
 * "operation deploy, instance 3f2a9c, acquired 2026-11-24T10:40:55Z". */
void lt_add_owner(struct decision *c)
{
	const struct lt_owner_hint *h = &c->in->owner;
	bool any = false;

	c->owner_said = true;
	if (h->operation[0]) {
		lt_add_detail(c->out, "operation %s", h->operation);
		any = true;
	}
	if (h->instance_id[0]) {
		lt_add_detail(c->out, "%sinstance %s", any ? ", " : "", h->instance_id);
		any = true;
	}
	if (h->pid) {
		lt_add_detail(c->out, "%spid %u", any ? ", " : "", h->pid);
		any = true;
	}
	if (h->host[0]) {
		lt_add_detail(c->out, "%son host %s%s", any ? " " : "", h->host,
			      h->this_host ? " (this host)" : ", not this host");
		any = true;
	}
	if (h->alive_known && h->alive && h->comm[0])
		lt_add_detail(c->out, ", alive here (%.*s)", ARR(h->comm));
	else if (h->alive_known)
		lt_add_detail(c->out, h->alive ? ", alive here" : ", not running here");
	if (h->acquired[0])
		lt_add_detail(c->out, "%sacquired %s", any ? ", " : "", h->acquired);
}

/* ------------------------------------------------------------------ */
/* Lock holders (lock.c, remote.c) */

/* Inclusive byte range; INT64_MAX for "to the end of the file". */
void lt_lock_req_range(const struct lt_event *ev, __s64 *start, __s64 *end)
{
	__s64 s = ev->lock_start, len = ev->lock_len;

	if (len == 0) {
		*start = s;
		*end = INT64_MAX;
	} else if (len > 0) {
		*start = s;
		*end = s > INT64_MAX - len + 1 ? INT64_MAX : s + len - 1;
	} else {
		/* POSIX: a negative length covers the bytes before start. */
		*start = s < INT64_MIN - len ? 0 : s + len;
		*end = s > INT64_MIN ? s - 1 : INT64_MIN;
	}
}

static bool is_ofd_cmd(__u32 cmd)
{
	return cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW || cmd == F_OFD_GETLK;
}

/* Does h stand in the way of the lock the event asked for? */
bool lt_holder_conflicts(const struct lt_event *ev, const struct lt_holder *h)
{
	__s64 s, e, hs, he;

	if (ev->syscall == LT_SYS_FLOCK) {
		if (h->posix || h->ofd)
			return false;
		if (ev->lock_cmd & LOCK_EX)
			return true;
		return h->type == F_WRLCK;
	}
	if (!h->posix && !h->ofd)
		return false;
	/* A process's own classic record locks are replaced, not in conflict. */
	if (!h->ofd && !is_ofd_cmd(ev->lock_cmd) && h->pid == ev->tgid)
		return false;
	if (ev->lock_type != F_WRLCK && h->type != F_WRLCK)
		return false;
	lt_lock_req_range(ev, &s, &e);
	hs = h->start;
	he = h->end < 0 ? INT64_MAX : h->end;
	return s <= he && hs <= e;
}

void lt_add_holder_lock(struct lt_cause *out, const struct lt_holder *h)
{
	if (!h->posix && !h->ofd) {
		lt_add_detail(out, "%s flock", h->type == F_WRLCK ? "exclusive" : "shared");
		return;
	}
	lt_add_detail(out, "%s lock%s", h->type == F_WRLCK ? "write" : "read",
		      h->ofd ? " (OFD)" : "");
	if (h->start == 0 && h->end < 0)
		lt_add_detail(out, " on the whole file");
	else if (h->end < 0)
		lt_add_detail(out, " on bytes %lld-EOF", (long long)h->start);
	else
		lt_add_detail(out, " on bytes %lld-%lld", (long long)h->start, (long long)h->end);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Lock causes: a lock call refused (flock, fcntl: the holder in the way, a
 * descriptor opened without the mode the lock needs, the other errors with
 * their raw facts), and a lock file that already exists (O_CREAT|O_EXCL:
 * its owner alive, gone, or a name that is no lock file at all).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "common/decode.h"
#include "decide.h"

/* ------------------------------------------------------------------ */
/* Lock calls: flock, fcntl */

static void lock_held(struct decision *c)
{
	const struct lt_cause_input *in = c->in;
	struct lt_cause *out = c->out;
	const struct lt_holder *h;
	int n = in->nholders, i, pick, kernel = -1, conflicting = -1, peer = -1;

	if (n > LT_MAX_HOLDERS)
		n = LT_MAX_HOLDERS;
	if (n <= 0) {
		lt_set_kind(c, LT_CAUSE_LOCK_HELD, LT_EV_INFERRED);
		lt_set_detail(out, "another process holds a conflicting lock (holder not seen)");
		return;
	}
	/* The holder the kernel named at the refusal, else the first whose
	 * lock conflicts, else the first. */
	for (i = 0; i < n; i++) {
		if (in->holders[i].via_peer) {
			/* Through another mount of the share: last resort. */
			if (peer < 0 && lt_holder_conflicts(c->ev, &in->holders[i]))
				peer = i;
			continue;
		}
		if (kernel < 0 && in->holders[i].kernel)
			kernel = i;
		if (conflicting < 0 && lt_holder_conflicts(c->ev, &in->holders[i]))
			conflicting = i;
	}
	pick = kernel >= 0 ? kernel : conflicting >= 0 ? conflicting : peer >= 0 ? peer : 0;
	h = &in->holders[pick];
	lt_set_kind(c, LT_CAUSE_LOCK_HELD, h->kernel ? LT_EV_KERNEL : LT_EV_POSTHOC);
	out->holder = pick;
	if (h->comm[0])
		lt_set_detail(out, "held by pid %u (%.*s, uid %u): ", h->pid, ARR(h->comm), h->uid);
	else
		lt_set_detail(out, "held by pid %u (uid %u): ", h->pid, h->uid);
	lt_add_holder_lock(out, h);
	if (h->via_peer && h->peer < in->npeers && h->peer < LT_MAX_PEERS)
		lt_add_detail(out, " through %s, another mount of the same share",
			      in->peers[h->peer].mountpoint);
}

/* "fcntl F_SETLKW" or "flock LOCK_EX|LOCK_NB". */
static void lock_call_str(const struct decision *c, char *buf, size_t len)
{
	const struct lt_event *ev = c->ev;
	char op[64];

	if (ev->syscall == LT_SYS_FLOCK) {
		lt_flock_op_str(ev->lock_cmd, op, sizeof(op));
		snprintf(buf, len, "flock %s", op);
	} else {
		const char *cmd = lt_fcntl_cmd_name(ev->lock_cmd);

		if (cmd)
			snprintf(buf, len, "fcntl %s", cmd);
		else
			snprintf(buf, len, "fcntl cmd %u", ev->lock_cmd);
	}
}

static const char *lock_errno_meaning(int err)
{
	switch (err) {
	case EDEADLK:
		return "lock wait would deadlock";
	case EINTR:
		return "the wait was interrupted by a signal";
	case ENOLCK:
		return "no lock record available (lock table full, or the filesystem's lock service failed)";
	case EINVAL:
		return "the lock request was not valid for this descriptor";
	case EOVERFLOW:
		return "the lock range does not fit in the caller's offset type";
	}
	return NULL;
}

/* Raw facts, no guess. */
static void lock_unknown(struct decision *c)
{
	const struct lt_event *ev = c->ev;
	const char *meaning = lock_errno_meaning(c->err);
	char call[96], ebuf[24];

	lock_call_str(c, call, sizeof(call));
	lt_set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_INFERRED);
	lt_set_detail(c->out, "%s from %s", lt_decision_errno(c, ebuf, sizeof(ebuf)), call);
	if (meaning)
		lt_add_detail(c->out, ": %s", meaning);
	lt_add_detail(c->out, " (descriptor %d", ev->fd);
	if (lt_sys_fcntl(ev->syscall)) {
		const char *type = lt_lock_type_name(ev->lock_type);

		if (type)
			lt_add_detail(c->out, ", %s", type);
		else
			lt_add_detail(c->out, ", l_type %u", ev->lock_type);
		lt_add_detail(c->out, " start %lld len %lld", (long long)ev->lock_start,
			      (long long)ev->lock_len);
	}
	if (ev->path[0])
		lt_add_detail(c->out, ", %s", ev->path);
	lt_add_detail(c->out, ")");
}

static const char *accmode_name(int accmode)
{
	switch (accmode) {
	case LT_O_RDONLY:
		return "O_RDONLY";
	case LT_O_WRONLY:
		return "O_WRONLY";
	case LT_O_RDWR:
		return "O_RDWR";
	}
	return "?";
}

static void lock_bad_fd(struct decision *c)
{
	const struct lt_event *ev = c->ev;
	int acc = c->in->fd_accmode;

	if (ev->ev_flags & LT_EVF_BAD_FD) {
		lt_set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_KERNEL);
		lt_set_detail(c->out, "descriptor %d was not open", ev->fd);
		return;
	}
	if (!lt_sys_fcntl(ev->syscall) || (ev->lock_type != F_WRLCK && ev->lock_type != F_RDLCK)) {
		lock_unknown(c);
		return;
	}
	if (ev->lock_type == F_WRLCK && acc == LT_O_RDONLY) {
		lt_set_kind(c, LT_CAUSE_BAD_FD_MODE,
			    c->in->fd_accmode_kernel ? LT_EV_KERNEL : LT_EV_POSTHOC);
		lt_set_detail(
			c->out,
			"write lock on a descriptor opened read-only (O_RDONLY): descriptor %d",
			ev->fd);
	} else if (ev->lock_type == F_RDLCK && acc == LT_O_WRONLY) {
		lt_set_kind(c, LT_CAUSE_BAD_FD_MODE,
			    c->in->fd_accmode_kernel ? LT_EV_KERNEL : LT_EV_POSTHOC);
		lt_set_detail(
			c->out,
			"read lock on a descriptor opened write-only (O_WRONLY): descriptor %d",
			ev->fd);
	} else if (acc == -1) {
		lt_set_kind(c, LT_CAUSE_BAD_FD_MODE, LT_EV_INFERRED);
		lt_set_detail(c->out, "%s lock needs a descriptor opened for %s; ",
			      ev->lock_type == F_WRLCK ? "write" : "read",
			      ev->lock_type == F_WRLCK ? "writing" : "reading");
		lt_add_detail(c->out, "descriptor %d was open but its mode could not be read",
			      ev->fd);
	} else {
		lock_unknown(c);
		lt_add_detail(c->out, "; the descriptor was opened %s", accmode_name(acc));
	}
}

/* A process holds a conflicting lock through this very mount (or the lock
 * layer named one at the refusal). */
static bool local_holder(const struct decision *c)
{
	const struct lt_cause_input *in = c->in;

	for (int i = 0; i < in->nholders && i < LT_MAX_HOLDERS; i++) {
		const struct lt_holder *h = &in->holders[i];

		if (!h->via_peer && (h->kernel || lt_holder_conflicts(c->ev, h)))
			return true;
	}
	return false;
}

void lt_decide_lock(struct decision *c)
{
	__u32 sys = c->ev->syscall;
	bool netfs = lt_netfs_lock_refusal(c);

	/* On cifs a conflict is EACCES wherever the lock is held: a holder
	 * through this mount first, else another session's. */
	if (netfs && !local_holder(c))
		lt_decide_remote_lock(c);
	else if (netfs || (sys == LT_SYS_FLOCK && c->err == EWOULDBLOCK) ||
		 (lt_sys_fcntl(sys) && (c->err == EAGAIN || c->err == EACCES)))
		lock_held(c);
	else if (c->err == EBADF)
		lock_bad_fd(c);
	else
		lock_unknown(c);
}

/* ------------------------------------------------------------------ */
/* Lock files: O_CREAT|O_EXCL and EEXIST */

/* LT_O_CREAT|LT_O_EXCL found a name that is no lock file: what it is (it was
 * neither opened nor read through). */
static void not_regular(struct decision *c, const struct lt_obj *t)
{
	lt_set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_POSTHOC);
	c->out->about = LT_ABOUT_NOT_REGULAR;
	lt_set_detail(c->out, "lock file %s exists: ", t->path);
	if (!t->is_link) {
		lt_add_what(c->out, t);
		lt_add_detail(c->out, ", not a regular file; not opened");
		return;
	}
	lt_add_detail(c->out, "a symbolic link (uid %u gid %u) to %s", t->link.uid, t->link.gid,
		      t->link.target);
	if (t->exists) {
		lt_add_detail(c->out, ", ");
		lt_add_what(c->out, t);
	} else {
		lt_add_detail(c->out, ", which does not exist");
	}
	lt_add_detail(c->out, "; not read through");
}

/* The lock file exists and says nothing that can be checked here: what it
 * says, if anything (a pid of another host, a JSON object's fields). */
static void eexist_unknown(struct decision *c)
{
	const struct lt_owner_hint *h = &c->in->owner;
	char ebuf[24];

	lt_set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_POSTHOC);
	if (h->form != LT_OWNER_NONE) {
		lt_set_detail(c->out, "lock file %s exists and names ", lt_target_path(c));
		lt_add_owner(c);
		if (h->pid && !h->host[0] && lt_fs_is_remote(&c->in->fs))
			lt_add_detail(c->out,
				      "; it is on %.*s, a network filesystem: the pid may be "
				      "another host's",
				      ARR(c->in->fs.type));
	} else if (h->read_err) {
		snprintf(ebuf, sizeof(ebuf), "errno %d", h->read_err);
		lt_set_detail(c->out, "lock file %s exists (it could not be read: %s)",
			      lt_target_path(c), lt_errno_name(h->read_err) ?: ebuf);
	} else {
		lt_set_detail(c->out, "lock file %s exists (no owner pid written in it)",
			      lt_target_path(c));
	}
}

void lt_decide_eexist(struct decision *c)
{
	const struct lt_cause_input *in = c->in;
	__u32 fl = c->ev->open_flags;

	if ((fl & (LT_O_CREAT | LT_O_EXCL)) != (LT_O_CREAT | LT_O_EXCL)) {
		lt_set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_INFERRED);
		lt_set_detail(c->out, "EEXIST from %s on %s without O_CREAT|O_EXCL",
			      lt_syscall_name(c->ev->syscall), lt_target_path(c));
		return;
	}
	if (c->last_is_target) {
		const struct lt_obj *t = &in->comp[c->ncomp - 1];

		c->out->obj = c->ncomp - 1;
		if (t->looked_up && (t->is_link || (t->exists && !S_ISREG(t->mode)))) {
			not_regular(c, t);
			return;
		}
	}
	if (!in->pidfile_pid) {
		eexist_unknown(c);
	} else if (in->pidfile_pid_alive) {
		lt_set_kind(c, LT_CAUSE_LOCK_HELD, LT_EV_POSTHOC);
		lt_set_detail(c->out, "lock file %s exists and its owner pid %u", lt_target_path(c),
			      in->pidfile_pid);
		if (in->owner.pid == in->pidfile_pid && in->owner.comm[0])
			lt_add_detail(c->out, " (%.*s)", ARR(in->owner.comm));
		lt_add_detail(c->out, " is alive");
		c->owner_said = in->owner.form != LT_OWNER_JSON;
	} else {
		lt_set_kind(c, LT_CAUSE_STALE_LOCK, LT_EV_POSTHOC);
		lt_set_detail(c->out, "lock file %s left by pid %u, which no longer exists",
			      lt_target_path(c), in->pidfile_pid);
		c->owner_said = in->owner.form != LT_OWNER_JSON;
	}
}

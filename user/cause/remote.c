// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Causes a network filesystem's server gives, as its client traced them:
 * the NT status an SMB server answered (a lock held through another
 * session, a deny-share open elsewhere, its ACL, a read-only share, a full
 * disk, a quota), or the cifs client's own refusal without asking it. On
 * cifs a conflicting lock is refused with EACCES wherever it is held: a
 * holder through this very mount is looked for first (lock.c), then one
 * through another mount of the same share on this host, then the server's
 * word; without the server's word, by inference.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/file.h>
#include "common/decode.h"
#include "common/util.h"
#include "decide.h"
#include "ntstatus.h"

static bool fs_is_cifs(const struct lt_fs *fs)
{
	return fs->known && (!strncmp(fs->type, "cifs", sizeof(fs->type)) ||
			     !strncmp(fs->type, "smb3", sizeof(fs->type)));
}

/* On cifs: the mount says so, or the inode's filesystem the kernel saw,
 * or the client's own trace came with the event. */
static bool on_cifs(const struct decision *c)
{
	const struct lt_event *ev = c->ev;

	if (fs_is_cifs(&c->in->fs))
		return true;
	if ((ev->ev_flags & LT_EVF_HAVE_INODE) &&
	    (ev->fs_magic == LT_CIFS_MAGIC || ev->fs_magic == LT_SMB2_MAGIC))
		return true;
	return c->in->remote && c->in->remote->fs == LT_NETFS_CIFS;
}

bool lt_netfs_lock_refusal(const struct decision *c)
{
	return lt_sys_is_lock(c->ev->syscall) && c->err == EACCES && on_cifs(c);
}

const struct lt_remote *lt_remote_answer(const struct decision *c)
{
	const struct lt_remote *r = c->in->remote;

	if (!r)
		return NULL;
	if ((r->flags & LT_REMOTE_STATUS) && r->status_rc == c->ev->ret)
		return r;
	if ((r->flags & (LT_REMOTE_CLIENT | LT_REMOTE_FID)) || r->op != LT_ROP_NONE)
		return r->rc == c->ev->ret ? r : NULL;
	return NULL;
}

/* The server's status explains this failure. */
static bool status_answer(const struct lt_remote *r, const struct decision *c)
{
	return r && (r->flags & LT_REMOTE_STATUS) && r->status_rc == c->ev->ret;
}

/* "//srv/share" (the mount's source), or words for a share not looked up. */
static const char *share_of(const struct decision *c)
{
	const struct lt_fs *fs = &c->in->fs;

	return fs->known && fs->source[0] ? fs->source : "the share (its mount was not looked up)";
}

/* "STATUS_LOCK_NOT_GRANTED (0xc0000055) to LOCK" */
static void add_status(struct lt_cause *out, const struct lt_remote *r)
{
	const char *name = lt_nt_status_name(r->status), *cmd = lt_smb2_cmd_name(r->cmd);

	if (name)
		lt_add_detail(out, "%s (0x%08x)", name, r->status);
	else
		lt_add_detail(out, "NT status 0x%08x", r->status);
	if (cmd)
		lt_add_detail(out, " to %s", cmd);
	else
		lt_add_detail(out, " to command %u", r->cmd);
	if (r->flags & LT_REMOTE_RANGE)
		lt_add_detail(out, " (offset %llu, %u bytes)", (unsigned long long)r->offset,
			      r->len);
}

/* " (session 0x..., mounted at /home)" */
static void add_session(struct decision *c, const struct lt_remote *r)
{
	lt_add_detail(c->out, " (session 0x%llx", (unsigned long long)r->sesid);
	if (c->in->fs.known)
		lt_add_detail(c->out, ", mounted at %.*s", ARR(c->in->fs.mountpoint));
	lt_add_detail(c->out, ")");
}

bool lt_decide_remote_status(struct decision *c)
{
	const struct lt_remote *r = c->in->remote;
	struct lt_cause *out = c->out;
	enum lt_cause_kind kind;

	if (!status_answer(r, c))
		return false;
	kind = lt_nt_status_kind(r->status);
	switch (kind) {
	case LT_CAUSE_REMOTE_LOCK_CONFLICT:
		lt_set_detail(out, "a lock held through another SMB session to %s refused it: ",
			      share_of(c));
		break;
	case LT_CAUSE_REMOTE_SHARING_VIOLATION:
		lt_set_detail(out,
			      "another client of %s has it open with a deny-share mode: the "
			      "server answered ",
			      share_of(c));
		break;
	case LT_CAUSE_REMOTE_ACCESS_DENIED:
		lt_set_detail(out,
			      "the server of %s refused access by its own permissions (the "
			      "share's and the file's ACL), not the local mode bits: it answered ",
			      share_of(c));
		break;
	case LT_CAUSE_REMOTE_READ_ONLY:
		lt_set_detail(out, "the server of %s is read-only there: it answered ",
			      share_of(c));
		break;
	case LT_CAUSE_REMOTE_DISK_FULL:
		lt_set_detail(out, "the server's disk behind %s is full: it answered ",
			      share_of(c));
		break;
	case LT_CAUSE_REMOTE_QUOTA:
		lt_set_detail(out,
			      "the server's quota for this share's user on %s is exceeded: "
			      "it answered ",
			      share_of(c));
		break;
	default:
		return false;
	}
	lt_set_kind(c, kind, LT_EV_KERNEL);
	if (kind == LT_CAUSE_REMOTE_LOCK_CONFLICT)
		lt_add_detail(out, "the server answered ");
	add_status(out, r);
	add_session(c, r);
	return true;
}

/*
 * Through another session the server decides, by its byte-range locks:
 * the cifs client makes a flock one on the whole file, and an exclusive
 * lock conflicts with any lock on the bytes it covers, flock or POSIX.
 */
static bool smb_conflicts(const struct lt_event *ev, const struct lt_holder *h)
{
	__s64 s = 0, e = INT64_MAX, hs = 0, he = INT64_MAX;
	bool excl = ev->syscall == LT_SYS_FLOCK ? (ev->lock_cmd & LOCK_EX) != 0 :
						  ev->lock_type == F_WRLCK;

	if (lt_sys_fcntl(ev->syscall))
		lt_lock_req_range(ev, &s, &e);
	if (h->posix || h->ofd) {
		hs = h->start;
		he = h->end < 0 ? INT64_MAX : h->end;
	}
	return (excl || h->type == F_WRLCK) && s <= he && hs <= e;
}

/* A holder through another mount of the same share here, whose lock stands
 * in the way: its index in holders[], -1 if none. */
static int peer_holder(const struct decision *c)
{
	const struct lt_cause_input *in = c->in;

	for (int i = 0; i < in->nholders && i < LT_MAX_HOLDERS; i++)
		if (in->holders[i].via_peer && in->holders[i].peer < in->npeers &&
		    smb_conflicts(c->ev, &in->holders[i]))
			return i;
	return -1;
}

/* "held through another SMB session to //s/x: pid 7 (a, uid 0), exclusive
 * flock, through /mnt/a, another mount of the same share on this host" */
static void add_peer_holder(struct decision *c, int idx)
{
	const struct lt_holder *h = &c->in->holders[idx];
	struct lt_cause *out = c->out;

	c->out->holder = idx;
	lt_set_detail(out, "held through another SMB session to %s: pid %u", share_of(c), h->pid);
	if (h->comm[0])
		lt_add_detail(out, " (%.*s, uid %u)", ARR(h->comm), h->uid);
	else
		lt_add_detail(out, " (uid %u)", h->uid);
	lt_add_detail(out, ", ");
	lt_add_holder_lock(out, h);
	lt_add_detail(out, ", through %s, another mount of the same share on this host",
		      c->in->peers[h->peer].mountpoint);
}

void lt_decide_remote_lock(struct decision *c)
{
	const struct lt_remote *r = lt_remote_answer(c);
	struct lt_cause *out = c->out;
	char ebuf[24];
	int peer = peer_holder(c);

	if (status_answer(r, c) && lt_nt_status_kind(r->status) == LT_CAUSE_REMOTE_LOCK_CONFLICT) {
		lt_set_kind(c, LT_CAUSE_REMOTE_LOCK_CONFLICT, LT_EV_KERNEL);
		if (peer >= 0)
			add_peer_holder(c, peer);
		else
			lt_set_detail(out,
				      "no process on this host holds it; it is held through "
				      "another SMB session to %s",
				      share_of(c));
		lt_add_detail(out, ": the server answered ");
		add_status(out, r);
		add_session(c, r);
		return;
	}
	if (status_answer(r, c) && lt_decide_remote_status(c))
		return;
	if (r && (r->flags & LT_REMOTE_CLIENT) && !(r->flags & LT_REMOTE_STATUS)) {
		/* cifs_lock_add_if(): a lock of another open of the file
		 * through this mount, in the client's own list. */
		lt_set_kind(c, LT_CAUSE_LOCK_HELD, LT_EV_KERNEL);
		lt_set_detail(out,
			      "the cifs client refused it without asking the server (%.*s returned "
			      "%s): another open of it through this mount",
			      (int)strnlen(r->func, sizeof(r->func)), r->func,
			      lt_decision_errno(c, ebuf, sizeof(ebuf)));
		if (c->in->fs.known)
			lt_add_detail(out, " (%.*s)", ARR(c->in->fs.mountpoint));
		lt_add_detail(out, " holds a conflicting lock; its holder was not in /proc/locks");
		return;
	}
	/* No word from the server (its client's programs not loaded, or the
	 * answer lost): by inference. */
	lt_set_kind(c, LT_CAUSE_REMOTE_LOCK_CONFLICT, LT_EV_INFERRED);
	if (peer >= 0) {
		add_peer_holder(c, peer);
		lt_add_detail(out, " (the server's answer was not seen)");
		return;
	}
	lt_set_detail(out,
		      "no process on this host holds it (none in /proc/locks); on cifs a lock "
		      "held elsewhere is refused with %s: probably held through another SMB "
		      "session to %s (the server's answer was not seen)",
		      lt_decision_errno(c, ebuf, sizeof(ebuf)), share_of(c));
}

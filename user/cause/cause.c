// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Why the kernel said no: a pure decision over the facts in struct
 * lt_cause_input (see cause.h). No I/O, no state.
 *
 * The order of the checks follows the kernel's own: the system call's errno
 * picks the family (lock conflict, missing name, read-only or full
 * filesystem, permission); for a permission error the path walk comes first
 * (search on every directory, write and search on the parent of a file
 * being created), then the target (immutable flag, DAC with ACL and
 * capabilities, append-only flag), and what is left is a remote server or
 * a security module, by elimination.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <linux/capability.h>
#include "cause.h"
#include "common/util.h"
#include "common/decode.h"

/* A char array that may lack its NUL, for "%.*s". */
#define ARR(s) (int)sizeof(s), (s)

const char *lt_cause_kind_name(enum lt_cause_kind kind)
{
	static const char *const names[] = {
		[LT_CAUSE_NONE] = "none",
		[LT_CAUSE_DAC] = "dac",
		[LT_CAUSE_DAC_SEARCH] = "dac_search",
		[LT_CAUSE_ACL] = "acl",
		[LT_CAUSE_CAPABILITY] = "capability",
		[LT_CAUSE_LSM] = "lsm",
		[LT_CAUSE_READONLY_FS] = "readonly_fs",
		[LT_CAUSE_NO_SPACE] = "no_space",
		[LT_CAUSE_QUOTA] = "quota",
		[LT_CAUSE_IMMUTABLE] = "immutable",
		[LT_CAUSE_LOCK_HELD] = "lock_held",
		[LT_CAUSE_STALE_LOCK] = "stale_lock",
		[LT_CAUSE_BAD_FD_MODE] = "bad_fd_mode",
		[LT_CAUSE_NOT_FOUND] = "not_found",
		[LT_CAUSE_REMOTE_FS] = "remote_fs",
		[LT_CAUSE_UNKNOWN] = "unknown",
	};

	if ((unsigned int)kind < ARRAY_SIZE(names) && names[kind])
		return names[kind];
	return "unknown";
}

const char *lt_evidence_name(enum lt_evidence ev)
{
	switch (ev) {
	case LT_EV_KERNEL:
		return "kernel";
	case LT_EV_POSTHOC:
		return "post-hoc";
	case LT_EV_INFERRED:
		return "inferred";
	}
	return "?";
}

const char *lt_facts_state_name(enum lt_facts_state state)
{
	static const char *const names[] = {
#define LT_X(e, name) [e] = name,
		LT_FACTS_STATES(LT_X)
#undef LT_X
	};

	return (unsigned int)state < ARRAY_SIZE(names) ? names[state] : "?";
}

const char *lt_lookup_name(enum lt_lookup lookup)
{
	static const char *const names[] = {
#define LT_X(e, what) [e] = what,
		LT_LOOKUPS(LT_X)
#undef LT_X
	};

	return (unsigned int)lookup < ARRAY_SIZE(names) ? names[lookup] : "looking up";
}

void lt_may_str(__u32 may, char *buf)
{
	buf[0] = may & LT_MAY_READ ? 'r' : '-';
	buf[1] = may & LT_MAY_WRITE ? 'w' : '-';
	buf[2] = may & LT_MAY_EXEC ? 'x' : '-';
	buf[3] = '\0';
}

/* File types: st_mode's type, the JSON name, the words for people. */
#define LT_FILE_TYPES(X)                          \
	X(S_IFREG, "file", "regular file")        \
	X(S_IFDIR, "dir", "directory")            \
	X(S_IFIFO, "fifo", "FIFO")                \
	X(S_IFCHR, "chardev", "character device") \
	X(S_IFBLK, "blockdev", "block device")    \
	X(S_IFSOCK, "socket", "socket")           \
	X(S_IFLNK, "symlink", "symbolic link")

const char *lt_file_type_name(__u32 mode)
{
#define X(type, name, words)           \
	if ((mode & S_IFMT) == (type)) \
		return name;
	LT_FILE_TYPES(X)
#undef X
	return "?";
}

const char *lt_file_type_words(__u32 mode)
{
#define X(type, name, words)           \
	if ((mode & S_IFMT) == (type)) \
		return words;
	LT_FILE_TYPES(X)
#undef X
	return "file of unknown type";
}

/*
 * As the kernel's build_open_flags(): LT_O_TRUNC asks for write; LT_O_APPEND adds
 * MAY_APPEND, which DAC ignores (only security modules and the append-only
 * check look at it), so it asks nothing more here. LT_O_PATH opens check
 * nothing on the target.
 */
__u32 lt_open_may(__u32 open_flags)
{
	__u32 may;

	if (open_flags & LT_O_PATH)
		return 0;
	switch (open_flags & LT_O_ACCMODE) {
	case LT_O_RDONLY:
		may = LT_MAY_READ;
		break;
	case LT_O_WRONLY:
		may = LT_MAY_WRITE;
		break;
	default: /* LT_O_RDWR, and 3 which the kernel reads as both */
		may = LT_MAY_READ | LT_MAY_WRITE;
		break;
	}
	if (open_flags & LT_O_TRUNC)
		may |= LT_MAY_WRITE;
	return may;
}

static bool in_group(__u32 gid, __u32 fsgid, const __u32 *groups, int ngroups)
{
	int i;

	if (gid == fsgid)
		return true;
	for (i = 0; groups && i < ngroups; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

static int acl_count(const struct lt_obj *o)
{
	if (o->nacl < 0)
		return 0;
	return o->nacl > LT_ACL_MAX ? LT_ACL_MAX : o->nacl;
}

/*
 * Whether the kernel walks the ACL for a non-owner: only an extended ACL
 * (named entries or a mask; a minimal one is just the mode bits), and only
 * when the group-class bits, which hold the mask, are not all clear: with a
 * mask of --- the kernel skips the ACL and the group/other mode bits decide.
 */
static bool acl_applies(const struct lt_obj *o)
{
	int i, n = acl_count(o);

	if (!(o->mode & S_IRWXG))
		return false;
	for (i = 0; i < n; i++)
		if (o->acl[i].tag & (LT_ACL_USER | LT_ACL_GROUP | LT_ACL_MASK))
			return true;
	return false;
}

static int acl_find(const struct lt_obj *o, __u16 tag)
{
	int i, n = acl_count(o);

	for (i = 0; i < n; i++)
		if (o->acl[i].tag == tag)
			return i;
	return -1;
}

/* What applied: the class, the ACL entry (or -1), and the bits it gives. */
struct dac_verdict {
	const char *class;
	int acl_entry;
	__u32 perm; /* after the mask, for named and group entries */
};

/* The kernel's posix_acl_permission() for a non-owner. */
static void acl_eval(const struct lt_obj *o, __u32 fsuid, __u32 fsgid, const __u32 *groups,
		     int ngroups, __u32 want, struct dac_verdict *v)
{
	int i, n = acl_count(o), m = acl_find(o, LT_ACL_MASK), first = -1;
	__u32 mask = m >= 0 ? o->acl[m].perm & 7 : 7;

	for (i = 0; i < n; i++) {
		if (o->acl[i].tag == LT_ACL_USER && o->acl[i].id == fsuid) {
			v->class = "acl_user";
			v->acl_entry = i;
			v->perm = o->acl[i].perm & mask;
			return;
		}
	}
	/*
	 * The first group entry that grants without the mask decides, and the
	 * mask then has the last word; as the mask is the same for every
	 * entry, no other group entry could do better.
	 */
	for (i = 0; i < n; i++) {
		const struct lt_acl_entry *e = &o->acl[i];
		bool match;

		if (e->tag == LT_ACL_GROUP_OBJ)
			match = in_group(o->gid, fsgid, groups, ngroups);
		else if (e->tag == LT_ACL_GROUP)
			match = in_group(e->id, fsgid, groups, ngroups);
		else
			continue;
		if (!match)
			continue;
		if ((e->perm & want) == want) {
			v->class = "acl_group";
			v->acl_entry = i;
			v->perm = e->perm & mask;
			return;
		}
		if (first < 0)
			first = i;
	}
	if (first >= 0) {
		v->class = "acl_group";
		v->acl_entry = first;
		v->perm = o->acl[first].perm & mask;
		return;
	}
	v->class = "other";
	v->acl_entry = acl_find(o, LT_ACL_OTHER);
	v->perm = v->acl_entry >= 0 ? o->acl[v->acl_entry].perm & 7 : o->mode & S_IRWXO;
}

/* The kernel's acl_permission_check(): 0 granted, -1 denied. */
static int dac_eval(const struct lt_obj *o, __u32 fsuid, __u32 fsgid, const __u32 *groups,
		    int ngroups, __u32 want, struct dac_verdict *v)
{
	want &= 7;
	v->acl_entry = -1;
	if (fsuid == o->uid) {
		v->class = "owner";
		v->perm = (o->mode >> 6) & 7;
	} else if (acl_applies(o)) {
		acl_eval(o, fsuid, fsgid, groups, ngroups, want, v);
	} else if (in_group(o->gid, fsgid, groups, ngroups)) {
		v->class = "group";
		v->perm = (o->mode >> 3) & 7;
	} else {
		v->class = "other";
		v->perm = o->mode & 7;
	}
	return (want & ~v->perm) ? -1 : 0;
}

int lt_dac_check(const struct lt_obj *o, __u32 fsuid, __u32 fsgid, const __u32 *groups, int ngroups,
		 __u32 want, const char **class, int *acl_entry)
{
	struct dac_verdict v;
	int ret = dac_eval(o, fsuid, fsgid, groups, ngroups, want, &v);

	if (class)
		*class = v.class;
	if (acl_entry)
		*acl_entry = v.acl_entry;
	return ret;
}

/* The capability half of the kernel's generic_permission(): would cap
 * alone grant want? */
static bool cap_grants(bool is_dir, __u32 mode, int cap, __u32 want)
{
	want &= 7;
	if (is_dir) {
		if (cap == CAP_DAC_READ_SEARCH)
			return !(want & LT_MAY_WRITE);
		return cap == CAP_DAC_OVERRIDE;
	}
	if (cap == CAP_DAC_READ_SEARCH)
		return want == LT_MAY_READ;
	if (cap == CAP_DAC_OVERRIDE)
		return !(want & LT_MAY_EXEC) || (mode & (S_IXUSR | S_IXGRP | S_IXOTH));
	return false;
}

static int cap_would_grant(bool is_dir, __u32 mode, __u32 want)
{
	if (cap_grants(is_dir, mode, CAP_DAC_READ_SEARCH, want))
		return CAP_DAC_READ_SEARCH;
	if (cap_grants(is_dir, mode, CAP_DAC_OVERRIDE, want))
		return CAP_DAC_OVERRIDE;
	return -1;
}

int lt_cap_would_grant(const struct lt_obj *o, __u32 want)
{
	return cap_would_grant(S_ISDIR(o->mode), o->mode, want);
}

const char *lt_cap_name(int cap)
{
	switch (cap) {
	case CAP_DAC_OVERRIDE:
		return "CAP_DAC_OVERRIDE";
	case CAP_DAC_READ_SEARCH:
		return "CAP_DAC_READ_SEARCH";
	}
	return "?";
}

/* ------------------------------------------------------------------ */

struct ctx {
	const struct lt_cause_input *in;
	const struct lt_event *ev;
	struct lt_cause *out;
	int err;
	int ngroups;
	int ncomp; /* 0 when there are none (or no array) */
	bool last_is_target; /* comp[ncomp - 1] is the target, not a directory */
};

static void set_detail(struct lt_cause *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_detail(struct lt_cause *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out->detail, sizeof(out->detail), fmt, ap);
	va_end(ap);
}

static void add_detail(struct lt_cause *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add_detail(struct lt_cause *out, const char *fmt, ...)
{
	size_t n = strlen(out->detail);
	va_list ap;

	if (n + 1 >= sizeof(out->detail))
		return;
	va_start(ap, fmt);
	vsnprintf(out->detail + n, sizeof(out->detail) - n, fmt, ap);
	va_end(ap);
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
static void add_link_note(struct ctx *c, int idx)
{
	const struct lt_obj *o = &c->in->comp[idx], *l = NULL;

	for (int j = idx; j >= 0 && !l; j--)
		if (c->in->comp[j].is_link)
			l = &c->in->comp[j];
	if (!l)
		return;
	if (l == o)
		add_detail(c->out, "; %s is a symbolic link (uid %u) to %s", o->path, l->link.uid,
			   l->link.target);
	else
		add_detail(c->out, "; %s is reached through the symbolic link %s (uid %u) to %s",
			   o->path, l->path, l->link.uid, l->link.target);
}

/* "a FIFO (uid 4242 gid 4242)", "a character device 1:3 (uid 0 gid 0)". */
static void add_what(struct lt_cause *out, const struct lt_obj *o)
{
	add_detail(out, "a %s", lt_file_type_words(o->mode));
	if (S_ISCHR(o->mode) || S_ISBLK(o->mode))
		add_detail(out, " %u:%u", major(o->rdev), minor(o->rdev));
	add_detail(out, " (uid %u gid %u)", o->uid, o->gid);
}

static void set_kind(struct ctx *c, enum lt_cause_kind kind, enum lt_evidence ev)
{
	c->out->kind = kind;
	c->out->evidence = ev;
}

static bool has_cap(const struct ctx *c, int cap)
{
	return cap >= 0 && cap < 64 && (c->ev->cap_eff & (1ULL << cap));
}

static const char *errno_name(const struct ctx *c, char *buf, size_t len)
{
	const char *name = lt_errno_name_for(c->err, c->ev->syscall);

	if (name)
		return name;
	snprintf(buf, len, "errno %d", c->err);
	return buf;
}

/* The path of the event itself (open: the name; lock: the descriptor's). */
static const char *ev_path(const struct ctx *c)
{
	return c->ev->path[0] ? c->ev->path : "(path unknown)";
}

/* The target's path: as looked up, else as the kernel saw it. */
static const char *target_path(const struct ctx *c)
{
	if (c->last_is_target)
		return c->in->comp[c->ncomp - 1].path;
	return ev_path(c);
}

/*
 * Whether the last component is the target. The components are prefixes of
 * the event's path; a walk that stopped early (at a missing directory, say)
 * ends short of it. Without a path to compare, the contract says it is.
 */
static bool last_is_target(const struct ctx *c)
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

/* ------------------------------------------------------------------ */
/* Lock calls */

/* Inclusive byte range; INT64_MAX for "to the end of the file". */
static void req_range(const struct lt_event *ev, __s64 *start, __s64 *end)
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
static bool holder_conflicts(const struct lt_event *ev, const struct lt_holder *h)
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
	req_range(ev, &s, &e);
	hs = h->start;
	he = h->end < 0 ? INT64_MAX : h->end;
	return s <= he && hs <= e;
}

static void describe_holder_lock(struct lt_cause *out, const struct lt_holder *h)
{
	if (!h->posix && !h->ofd) {
		add_detail(out, "%s flock", h->type == F_WRLCK ? "exclusive" : "shared");
		return;
	}
	add_detail(out, "%s lock%s", h->type == F_WRLCK ? "write" : "read", h->ofd ? " (OFD)" : "");
	if (h->start == 0 && h->end < 0)
		add_detail(out, " on the whole file");
	else if (h->end < 0)
		add_detail(out, " on bytes %lld-EOF", (long long)h->start);
	else
		add_detail(out, " on bytes %lld-%lld", (long long)h->start, (long long)h->end);
}

static void lock_held(struct ctx *c)
{
	const struct lt_cause_input *in = c->in;
	struct lt_cause *out = c->out;
	const struct lt_holder *h;
	int n = in->nholders, i, pick, kernel = -1, conflicting = -1;

	if (n > LT_MAX_HOLDERS)
		n = LT_MAX_HOLDERS;
	if (n <= 0) {
		set_kind(c, LT_CAUSE_LOCK_HELD, LT_EV_INFERRED);
		set_detail(out, "another process holds a conflicting lock (holder not seen)");
		return;
	}
	/* The holder the kernel named at the refusal, else the first whose
	 * lock conflicts, else the first. */
	for (i = 0; i < n; i++) {
		if (kernel < 0 && in->holders[i].kernel)
			kernel = i;
		if (conflicting < 0 && holder_conflicts(c->ev, &in->holders[i]))
			conflicting = i;
	}
	pick = kernel >= 0 ? kernel : conflicting >= 0 ? conflicting : 0;
	h = &in->holders[pick];
	set_kind(c, LT_CAUSE_LOCK_HELD, h->kernel ? LT_EV_KERNEL : LT_EV_POSTHOC);
	out->holder = pick;
	if (h->comm[0])
		set_detail(out, "held by pid %u (%.*s, uid %u): ", h->pid, ARR(h->comm), h->uid);
	else
		set_detail(out, "held by pid %u (uid %u): ", h->pid, h->uid);
	describe_holder_lock(out, h);
}

/* "fcntl F_SETLKW" or "flock LOCK_EX|LOCK_NB". */
static void lock_call_str(const struct ctx *c, char *buf, size_t len)
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
static void lock_unknown(struct ctx *c)
{
	const struct lt_event *ev = c->ev;
	const char *meaning = lock_errno_meaning(c->err);
	char call[96], ebuf[24];

	lock_call_str(c, call, sizeof(call));
	set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_INFERRED);
	set_detail(c->out, "%s from %s", errno_name(c, ebuf, sizeof(ebuf)), call);
	if (meaning)
		add_detail(c->out, ": %s", meaning);
	add_detail(c->out, " (descriptor %d", ev->fd);
	if (lt_sys_fcntl(ev->syscall)) {
		const char *type = lt_lock_type_name(ev->lock_type);

		if (type)
			add_detail(c->out, ", %s", type);
		else
			add_detail(c->out, ", l_type %u", ev->lock_type);
		add_detail(c->out, " start %lld len %lld", (long long)ev->lock_start,
			   (long long)ev->lock_len);
	}
	if (ev->path[0])
		add_detail(c->out, ", %s", ev->path);
	add_detail(c->out, ")");
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

static void lock_bad_fd(struct ctx *c)
{
	const struct lt_event *ev = c->ev;
	int acc = c->in->fd_accmode;

	if (ev->ev_flags & LT_EVF_BAD_FD) {
		set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_KERNEL);
		set_detail(c->out, "descriptor %d was not open", ev->fd);
		return;
	}
	if (!lt_sys_fcntl(ev->syscall) || (ev->lock_type != F_WRLCK && ev->lock_type != F_RDLCK)) {
		lock_unknown(c);
		return;
	}
	if (ev->lock_type == F_WRLCK && acc == LT_O_RDONLY) {
		set_kind(c, LT_CAUSE_BAD_FD_MODE,
			 c->in->fd_accmode_kernel ? LT_EV_KERNEL : LT_EV_POSTHOC);
		set_detail(c->out,
			   "write lock on a descriptor opened read-only (O_RDONLY): descriptor %d",
			   ev->fd);
	} else if (ev->lock_type == F_RDLCK && acc == LT_O_WRONLY) {
		set_kind(c, LT_CAUSE_BAD_FD_MODE,
			 c->in->fd_accmode_kernel ? LT_EV_KERNEL : LT_EV_POSTHOC);
		set_detail(c->out,
			   "read lock on a descriptor opened write-only (O_WRONLY): descriptor %d",
			   ev->fd);
	} else if (acc == -1) {
		set_kind(c, LT_CAUSE_BAD_FD_MODE, LT_EV_INFERRED);
		set_detail(c->out, "%s lock needs a descriptor opened for %s; ",
			   ev->lock_type == F_WRLCK ? "write" : "read",
			   ev->lock_type == F_WRLCK ? "writing" : "reading");
		add_detail(c->out, "descriptor %d was open but its mode could not be read", ev->fd);
	} else {
		lock_unknown(c);
		add_detail(c->out, "; the descriptor was opened %s", accmode_name(acc));
	}
}

static void decide_lock(struct ctx *c)
{
	__u32 sys = c->ev->syscall;

	if ((sys == LT_SYS_FLOCK && c->err == EWOULDBLOCK) ||
	    (lt_sys_fcntl(sys) && (c->err == EAGAIN || c->err == EACCES)))
		lock_held(c);
	else if (c->err == EBADF)
		lock_bad_fd(c);
	else
		lock_unknown(c);
}

/* ------------------------------------------------------------------ */
/* Opens: the filesystem-level causes */

static bool fs_is_readonly(const struct lt_fs *fs)
{
	return fs->readonly || lt_list_has(fs->options, "ro");
}

static void readonly_fs(struct ctx *c)
{
	const struct lt_fs *fs = &c->in->fs;

	if (!fs->known) {
		set_kind(c, LT_CAUSE_READONLY_FS, LT_EV_INFERRED);
		set_detail(c->out, "read-only filesystem under %s (the mount was not examined)",
			   target_path(c));
	} else if (fs_is_readonly(fs)) {
		set_kind(c, LT_CAUSE_READONLY_FS, LT_EV_POSTHOC);
		set_detail(c->out, "filesystem mounted read-only: %.*s (%.*s, %.*s, %.*s)",
			   ARR(fs->mountpoint), ARR(fs->source), ARR(fs->type), ARR(fs->options));
	} else {
		set_kind(c, LT_CAUSE_READONLY_FS, LT_EV_INFERRED);
		set_detail(c->out, "filesystem was read-only at the call; ");
		add_detail(c->out, "%.*s (%.*s, %.*s, %.*s) is read-write now", ARR(fs->mountpoint),
			   ARR(fs->source), ARR(fs->type), ARR(fs->options));
	}
}

static void no_space(struct ctx *c, bool quota)
{
	const struct lt_fs *fs = &c->in->fs;

	set_kind(c, quota ? LT_CAUSE_QUOTA : LT_CAUSE_NO_SPACE,
		 fs->known ? LT_EV_POSTHOC : LT_EV_INFERRED);
	if (quota)
		set_detail(c->out, "disk quota exceeded for uid %u gid %u on ", c->ev->fsuid,
			   c->ev->fsgid);
	else
		set_detail(c->out, "no space left on ");
	if (!fs->known) {
		add_detail(c->out, "the filesystem of %s (not examined)", target_path(c));
		return;
	}
	add_detail(c->out, "%.*s (%.*s): %llu of %llu blocks free, %llu of %llu inodes free",
		   ARR(fs->mountpoint), ARR(fs->type), (unsigned long long)fs->blocks_free,
		   (unsigned long long)fs->blocks_total, (unsigned long long)fs->inodes_free,
		   (unsigned long long)fs->inodes_total);
}

static void not_found(struct ctx *c)
{
	const struct lt_cause_input *in = c->in;
	int n = c->ncomp, t = n - 1, i;
	bool create = c->ev->open_flags & LT_O_CREAT;

	if (n <= 0) {
		set_kind(c, LT_CAUSE_NOT_FOUND, LT_EV_INFERRED);
		set_detail(c->out, "no such file or directory: %s", ev_path(c));
		return;
	}
	for (i = 0; i < n; i++) {
		if (!in->comp[i].looked_up) {
			set_kind(c, LT_CAUSE_NOT_FOUND, LT_EV_INFERRED);
			set_detail(c->out,
				   "no such file or directory: %s (%s could not be examined)",
				   ev_path(c), in->comp[i].path);
			return;
		}
		if (!in->comp[i].exists)
			break;
	}
	/* Creating the target itself cannot fail with ENOENT: its directory
	 * was missing at the time, even if it is back now. */
	if (create && i >= t && t > 0 && c->last_is_target) {
		set_kind(c, LT_CAUSE_NOT_FOUND, LT_EV_INFERRED);
		c->out->obj = t - 1;
		set_detail(c->out, "no such file or directory: %s was missing when %s",
			   in->comp[t - 1].path, in->comp[t].path);
		add_detail(c->out, " was to be created (it exists now)");
		return;
	}
	if (i >= n) {
		set_kind(c, LT_CAUSE_NOT_FOUND, LT_EV_INFERRED);
		c->out->obj = c->last_is_target ? t : -1;
		set_detail(c->out,
			   "no such file or directory: %s was missing at the call (it exists now)",
			   target_path(c));
		return;
	}
	set_kind(c, LT_CAUSE_NOT_FOUND, LT_EV_POSTHOC);
	c->out->obj = i;
	if (in->comp[i].is_link)
		set_detail(c->out,
			   "no such file or directory: %s is a symbolic link (uid %u) to %s, "
			   "which is missing",
			   in->comp[i].path, in->comp[i].link.uid, in->comp[i].link.target);
	else
		set_detail(c->out, "no such file or directory: %s is missing", in->comp[i].path);
	if (i != t || !c->last_is_target)
		add_detail(c->out, " (on the way to %s)", ev_path(c));
}

/* LT_O_CREAT|LT_O_EXCL found a name that is no lock file: what it is (it was
 * neither opened nor read through). */
static void not_regular(struct ctx *c, const struct lt_obj *t)
{
	set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_POSTHOC);
	c->out->about = LT_ABOUT_NOT_REGULAR;
	set_detail(c->out, "lock file %s exists: ", t->path);
	if (!t->is_link) {
		add_what(c->out, t);
		add_detail(c->out, ", not a regular file; not opened");
		return;
	}
	add_detail(c->out, "a symbolic link (uid %u gid %u) to %s", t->link.uid, t->link.gid,
		   t->link.target);
	if (t->exists) {
		add_detail(c->out, ", ");
		add_what(c->out, t);
	} else {
		add_detail(c->out, ", which does not exist");
	}
	add_detail(c->out, "; not read through");
}

static void eexist(struct ctx *c)
{
	const struct lt_cause_input *in = c->in;
	__u32 fl = c->ev->open_flags;

	if ((fl & (LT_O_CREAT | LT_O_EXCL)) != (LT_O_CREAT | LT_O_EXCL)) {
		set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_INFERRED);
		set_detail(c->out, "EEXIST from %s on %s without O_CREAT|O_EXCL",
			   lt_syscall_name(c->ev->syscall), target_path(c));
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
		set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_POSTHOC);
		set_detail(c->out, "lock file %s exists (no owner pid written in it)",
			   target_path(c));
	} else if (in->pidfile_pid_alive) {
		set_kind(c, LT_CAUSE_LOCK_HELD, LT_EV_POSTHOC);
		set_detail(c->out, "lock file %s exists and its owner pid %u is alive",
			   target_path(c), in->pidfile_pid);
	} else {
		set_kind(c, LT_CAUSE_STALE_LOCK, LT_EV_POSTHOC);
		set_detail(c->out, "lock file %s left by pid %u, which no longer exists",
			   target_path(c), in->pidfile_pid);
	}
}

/* ------------------------------------------------------------------ */
/* Opens: permission */

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

static bool id_mapped(const struct lt_id_map *map, int n, __u32 id)
{
	for (int i = 0; i < n && i < LT_MAX_ID_MAPS; i++)
		if (id >= map[i].outside && id - map[i].outside < map[i].count)
			return true;
	return false;
}

/* Do the process's capabilities count over o? In the initial user
 * namespace always; in another, when o's uid and gid are mapped into it. */
static bool caps_count_over(const struct ctx *c, const struct lt_obj *o)
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
static bool may(const struct ctx *c, const struct lt_obj *o, bool is_dir, __u32 want,
		struct denial *d, int *via)
{
	const struct lt_event *ev = c->ev;
	bool rs, ov;

	*via = -1;
	d->cap = -1;
	d->cap_held = false;
	if (!dac_eval(o, ev->fsuid, ev->fsgid, ev->groups, c->ngroups, want, &d->v))
		return true;
	rs = cap_grants(is_dir, o->mode, CAP_DAC_READ_SEARCH, want) &&
	     has_cap(c, CAP_DAC_READ_SEARCH);
	ov = cap_grants(is_dir, o->mode, CAP_DAC_OVERRIDE, want) && has_cap(c, CAP_DAC_OVERRIDE);
	if (caps_count_over(c, o) && (rs || ov)) {
		*via = rs ? CAP_DAC_READ_SEARCH : CAP_DAC_OVERRIDE;
		return true;
	}
	d->cap = cap_would_grant(is_dir, o->mode, want);
	d->cap_held = rs || ov;
	return false;
}

void lt_acl_entry_str(const struct lt_acl_entry *e, char *buf, size_t len)
{
	char p[4];

	lt_may_str(e->perm, p);
	switch (e->tag) {
	case LT_ACL_USER_OBJ:
		snprintf(buf, len, "user::%s", p);
		break;
	case LT_ACL_USER:
		snprintf(buf, len, "user:%u:%s", e->id, p);
		break;
	case LT_ACL_GROUP_OBJ:
		snprintf(buf, len, "group::%s", p);
		break;
	case LT_ACL_GROUP:
		snprintf(buf, len, "group:%u:%s", e->id, p);
		break;
	case LT_ACL_MASK:
		snprintf(buf, len, "mask::%s", p);
		break;
	case LT_ACL_OTHER:
		snprintf(buf, len, "other::%s", p);
		break;
	default:
		snprintf(buf, len, "tag 0x%x:%u:%s", e->tag, e->id, p);
		break;
	}
}

/* "search", "create in", "open ... for rw-" around the object's path. */
static void add_action(struct lt_cause *out, enum step step, const char *path, __u32 want)
{
	char w[4];

	lt_may_str(want, w);
	if (step == STEP_SEARCH)
		add_detail(out, "search %s", path);
	else if (step == STEP_CREATE)
		add_detail(out, "create in %s", path);
	else
		add_detail(out, "open %s for %s", path, w);
}

static void report_denial(struct ctx *c, int idx, enum step step, __u32 want,
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
		set_kind(c, LT_CAUSE_CAPABILITY, LT_EV_POSTHOC);
		out->capability = d->cap;
		if (ev->fsuid == 0)
			set_detail(out, "root ");
		else
			set_detail(out, "uid %u ", ev->fsuid);
		if (userns)
			add_detail(out, "in a user namespace cannot ");
		else
			add_detail(out, "without %s cannot ", lt_cap_name(d->cap));
		add_action(out, step, o->path, want);
		add_detail(out, " (%04o uid %u gid %u)", o->mode & 07777, o->uid, o->gid);
		if (userns)
			add_detail(out, ": %s does not apply to files owned outside the namespace",
				   lt_cap_name(d->cap));
		add_link_note(c, idx);
		return;
	}

	if (!strcmp(d->v.class, "acl_user") || !strcmp(d->v.class, "acl_group")) {
		const struct lt_acl_entry *e = &o->acl[d->v.acl_entry];
		int m = acl_find(o, LT_ACL_MASK);
		char ent[48], mask[48];

		set_kind(c, LT_CAUSE_ACL, LT_EV_POSTHOC);
		lt_acl_entry_str(e, ent, sizeof(ent));
		set_detail(out, "ACL entry %s", ent);
		if (m >= 0 && (e->perm & want & 7) != (d->v.perm & want & 7)) {
			lt_acl_entry_str(&o->acl[m], mask, sizeof(mask));
			add_detail(out, " limited by %s", mask);
		}
		add_detail(out, " on %s denies ", o->path);
		if (step == STEP_SEARCH)
			add_detail(out, "search");
		else if (step == STEP_CREATE)
			add_detail(out, "%s (create in it)", w);
		else
			add_detail(out, "%s", w);
		add_detail(out, " to uid %u", ev->fsuid);
		add_link_note(c, idx);
		return;
	}

	set_kind(c, step == STEP_OPEN ? LT_CAUSE_DAC : LT_CAUSE_DAC_SEARCH, LT_EV_POSTHOC);
	set_detail(out, "mode %04o uid %u gid %u on %s gives %s (uid %u", o->mode & 07777, o->uid,
		   o->gid, o->path, d->v.class, ev->fsuid);
	if (!strcmp(d->v.class, "group"))
		add_detail(out, " via gid %u", o->gid);
	add_detail(out, ") no %s; asked %s", miss, w);
	if (step == STEP_SEARCH)
		add_detail(out, " to search it");
	else if (step == STEP_CREATE)
		add_detail(out, " to create %s in it", target_path(c));
	if (!strcmp(d->v.class, "other") && (ev->ev_flags & LT_EVF_GROUPS_TRUNCATED))
		add_detail(out, "; only the first %d supplementary groups were seen",
			   LT_MAX_GROUPS);
	add_link_note(c, idx);
	/* A badly permissioned lock file usually has a culprit. */
	if (step == STEP_OPEN && c->in->have_creator)
		add_detail(out, "; created %04o by pid %u (%.*s) uid %u",
			   c->in->creator.mode & 07777, c->in->creator.pid,
			   ARR(c->in->creator.comm), c->in->creator.uid);
}

static void no_facts(struct ctx *c, const struct lt_obj *o)
{
	set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_INFERRED);
	set_detail(c->out, "no facts for %s: it could not be examined", o->path);
}

static void path_changed(struct ctx *c, const struct lt_obj *o)
{
	set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_INFERRED);
	set_detail(c->out, "%s from %s, but %s no longer exists: the path changed since",
		   c->err == EPERM ? "EPERM" : "EACCES", lt_syscall_name(c->ev->syscall), o->path);
}

static bool fs_is_remote(const struct lt_fs *fs)
{
	static const char *const remote[] = { "cifs", "smb3", "smbfs", "nfs",
					      "nfs4", "9p",   "ceph",  NULL };
	int i;

	for (i = 0; remote[i]; i++)
		if (!strncmp(fs->type, remote[i], sizeof(fs->type)))
			return true;
	return !strncmp(fs->type, "fuse", 4);
}

/* "allow rw- on /x" or "allow creating /x", plus the capability used. */
static void add_allowed(struct ctx *c, bool creating, __u32 want, int via)
{
	char w[4];

	lt_may_str(want, w);
	if (creating)
		add_detail(c->out, "allow creating %s", target_path(c));
	else
		add_detail(c->out, "allow %s on %s", w, target_path(c));
	if (via >= 0)
		add_detail(c->out, " (through %s)", lt_cap_name(via));
}

/* Modules that refuse file accesses by their own policy (bpf/lsm.def). */
static const bool lsm_mac[LT_LSM_COUNT] = {
#define LT_LSM_MODULE(ID, value, name, title, fn_prefix, mac) [LT_LSM_##ID] = mac,
#include "lsm.def"
};

/* Modules for people: "SELinux", "a BPF LSM program" (bpf/lsm.def). */
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

/*
 * The kernel's may_create_in_sticky(): with fs.protected_regular (or
 * protected_fifos) set, LT_O_CREAT on an existing file in a sticky
 * world-writable (or, at level 2, group-writable) directory is refused
 * unless the caller or the directory's owner owns the file. The sysctl is
 * not among the facts, hence only "probably".
 */
static bool sticky_refusal(struct ctx *c, const struct lt_obj *dir, const struct lt_obj *t)
{
	if (!(c->ev->open_flags & LT_O_CREAT) || !(dir->mode & S_ISVTX))
		return false;
	if (!S_ISREG(t->mode) && !S_ISFIFO(t->mode))
		return false;
	if (t->uid == dir->uid || t->uid == c->ev->fsuid)
		return false;
	if (!(dir->mode & (S_IWOTH | S_IWGRP)))
		return false;
	set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_INFERRED);
	set_detail(c->out, "probably fs.protected_%s: O_CREAT on %s (uid %u)",
		   S_ISFIFO(t->mode) ? "fifos" : "regular", t->path, t->uid);
	add_detail(c->out, " in sticky %s-writable %s (%04o uid %u)",
		   dir->mode & S_IWOTH ? "world" : "group", dir->path, dir->mode & 07777, dir->uid);
	add_detail(c->out, " is refused to uid %u, who owns neither", c->ev->fsuid);
	return true;
}

/*
 * The kernel's may_follow_link(): with fs.protected_symlinks set, a
 * symbolic link in a sticky world-writable directory is followed only by
 * its owner, or when the directory's owner owns it (root included). The
 * sysctl is not among the facts, hence only "probably".
 */
static bool symlink_refusal(struct ctx *c, int i)
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
	set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_INFERRED);
	c->out->about = LT_ABOUT_PROTECTED_SYMLINK;
	c->out->obj = i;
	set_detail(c->out, "probably fs.protected_symlinks: %s is a symbolic link (uid %u) to %s",
		   l->path, l->link.uid, l->link.target);
	add_detail(c->out, " in sticky world-writable %s (%04o uid %u);", dir->path,
		   dir->mode & 07777, dir->uid);
	add_detail(c->out, " uid %u, who owns neither, may not follow it", c->ev->fsuid);
	return true;
}

/* ------------------------------------------------------------------ */
/* LSM tier: the check the kernel itself recorded */

/* The kernel's record, if it is about this failure. */
static const struct lt_deny *kernel_deny(const struct ctx *c)
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
static void kernel_lsm(struct ctx *c, const struct lt_deny *d)
{
	const char *hook = lt_hook_name(d->hook);
	char fn[64], ebuf[24], what[LT_PATH_MAX];

	set_kind(c, LT_CAUSE_LSM, LT_EV_KERNEL);
	c->out->kernel_check = true;
	c->out->lsm = lt_lsm_id_name(d->lsm) ? d->lsm : LT_LSM_NONE;
	deny_object(d, what, sizeof(what));
	if (c->out->lsm)
		set_detail(c->out, "%s refused %s", lsm_title[c->out->lsm], hook + 9);
	else
		set_detail(c->out, "a security module refused %s", hook + 9);
	if (d->flags & LT_DENY_HAS_NAME)
		add_detail(c->out, " of %s (creating it in %s)", d->path, what);
	else
		add_detail(c->out, " of %s", what);
	if (lt_lsm_function(d->lsm, d->hook, fn, sizeof(fn)))
		add_detail(c->out, ": %s returned %s", fn, errno_name(c, ebuf, sizeof(ebuf)));
	else
		add_detail(c->out, ": %s returned %s", hook, errno_name(c, ebuf, sizeof(ebuf)));
	if (d->lsm == LT_LSM_UNKNOWN)
		add_detail(c->out, " (active: %.*s)", ARR(c->in->lsm_list));
	if (c->in->avc && d->lsm == LT_LSM_SELINUX)
		add_detail(c->out, "; denied { %.*s } to %.*s on %.*s (tclass %.*s)",
			   ARR(c->in->avc_denied), ARR(c->in->avc->scontext),
			   ARR(c->in->avc->tcontext), ARR(c->in->avc->tclass));
}

/*
 * The kernel's inode_permission() refused (mode bits, ACL, capabilities,
 * immutable flag): the reading of the facts above agrees, and the evidence
 * is the kernel's, or the kernel's record wins over facts gathered after
 * things changed.
 */
static void kernel_confirm(struct ctx *c, const struct lt_deny *d)
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
		set_kind(c, LT_CAUSE_IMMUTABLE, LT_EV_KERNEL);
		set_detail(out, "%s flag on %s refused %s",
			   d->i_flags & LT_S_IMMUTABLE ? "immutable" : "append-only", p, w);
	} else if (err == EROFS) {
		set_kind(c, LT_CAUSE_READONLY_FS, LT_EV_KERNEL);
		set_detail(out, "read-only filesystem under %s refused %s", p, w);
	} else {
		bool dir = S_ISDIR(d->i_mode) &&
			   !(obj >= 0 && obj == c->ncomp - 1 && c->last_is_target);

		set_kind(c, dir ? LT_CAUSE_DAC_SEARCH : LT_CAUSE_DAC, LT_EV_KERNEL);
		set_detail(out, "mode %04o uid %u gid %u on %s refused %s to uid %u",
			   d->i_mode & 07777, d->i_uid, d->i_gid, p, w, c->ev->fsuid);
	}
	add_detail(out, " (the kernel's %s returned %s; looked at afterwards, it had changed)",
		   lt_hook_name(d->hook), lt_errno_name(err) ?: "an error");
}

static void access_denied(struct ctx *c)
{
	const struct lt_cause_input *in = c->in;
	const struct lt_event *ev = c->ev;
	const struct lt_obj *t;
	__u32 fl = ev->open_flags, want = lt_open_may(fl);
	struct denial d;
	bool creating;
	int n = c->ncomp, ti, i, via = -1;

	if (n <= 0) {
		set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_INFERRED);
		set_detail(c->out, "no facts: the process or the file was gone before it could be");
		add_detail(c->out, " examined (%s)", ev_path(c));
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
			set_kind(c, LT_CAUSE_IMMUTABLE, LT_EV_POSTHOC);
			c->out->obj = i;
			c->out->want = w_here;
			set_detail(c->out,
				   "immutable flag (chattr +i) on %s forbids creating %s in it",
				   o->path, target_path(c));
			add_link_note(c, i);
			return;
		}
		if (!may(c, o, is_dir, w_here, &d, &via)) {
			report_denial(c, i, parent ? STEP_CREATE : STEP_SEARCH, w_here, &d);
			return;
		}
	}

	if (!t) {
		set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_INFERRED);
		set_detail(c->out, "the facts stop at %s, short of %s", in->comp[n - 1].path,
			   ev_path(c));
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
			set_kind(c, LT_CAUSE_IMMUTABLE, LT_EV_POSTHOC);
			c->out->obj = ti;
			c->out->want = want;
			set_detail(c->out, "immutable flag (chattr +i) on %s forbids writing",
				   t->path);
			add_link_note(c, ti);
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
			set_kind(c, LT_CAUSE_IMMUTABLE, LT_EV_POSTHOC);
			c->out->obj = ti;
			c->out->want = want;
			set_detail(c->out, "append-only flag (chattr +a) on %s forbids %s", t->path,
				   fl & LT_O_TRUNC ? "truncating it" :
						     "writing except with O_APPEND");
			return;
		}
		if (ti > 0 && sticky_refusal(c, &in->comp[ti - 1], t))
			return;
	}

	/* 4. Everything local allows it: a server refused ... */
	if (in->fs.known && fs_is_remote(&in->fs)) {
		set_kind(c, LT_CAUSE_REMOTE_FS, LT_EV_INFERRED);
		set_detail(c->out, "local mode bits ");
		add_allowed(c, creating, want, via);
		add_detail(c->out, " but the server refused (%.*s %.*s mounted at %.*s)",
			   ARR(in->fs.type), ARR(in->fs.source), ARR(in->fs.mountpoint));
		return;
	}

	/* 5. ... or a security module: SELinux says so itself when it was
	 * SELinux (its denial record from this thread, just before). */
	if (in->avc) {
		set_kind(c, LT_CAUSE_LSM, LT_EV_KERNEL);
		c->out->lsm = LT_LSM_SELINUX;
		set_detail(c->out, "SELinux denied { %.*s } to %.*s on %.*s (tclass %.*s)",
			   ARR(in->avc_denied), ARR(in->avc->scontext), ARR(in->avc->tcontext),
			   ARR(in->avc->tclass));
		add_detail(c->out, "; permission bits ");
		add_allowed(c, creating, want, via);
		return;
	}
	set_kind(c, LT_CAUSE_LSM, LT_EV_INFERRED);
	if (in->landlocked)
		c->out->lsm = LT_LSM_LANDLOCK;
	else
		c->out->lsm = single_mac(in->lsm_list);
	set_detail(c->out, "permission bits ");
	add_allowed(c, creating, want, via);
	if (c->out->lsm)
		add_detail(c->out, "; the %s security module refused", lt_lsm_id_name(c->out->lsm));
	else
		add_detail(c->out, "; a security module refused");
	if (in->lsm_list[0])
		add_detail(c->out, " (active: %.*s)", ARR(in->lsm_list));
	else
		add_detail(c->out, " (active modules unknown)");
}

static void decide_open(struct ctx *c)
{
	char ebuf[24];

	switch (c->err) {
	case ENOENT:
		not_found(c);
		return;
	case EROFS:
		readonly_fs(c);
		return;
	case ENOSPC:
		no_space(c, false);
		return;
	case EDQUOT:
		no_space(c, true);
		return;
	case EEXIST:
		eexist(c);
		return;
	case EACCES:
	case EPERM:
		access_denied(c);
		return;
	}
	set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_INFERRED);
	set_detail(c->out, "%s from %s on %s", errno_name(c, ebuf, sizeof(ebuf)),
		   lt_syscall_name(c->ev->syscall), target_path(c));
}

/*
 * The facts were not all looked up (a filesystem that did not answer, a
 * path cut short): an unknown cause says so instead of guessing.
 */
static void facts_missing(struct ctx *c)
{
	const struct lt_facts_note *n = &c->in->note;
	const char *path = ev_path(c);
	size_t len = strlen(path);

	if (n->state == LT_FACTS_COMPLETE || c->out->kind != LT_CAUSE_UNKNOWN)
		return;
	switch (n->state) {
	case LT_FACTS_TIMEOUT:
		set_detail(c->out, "facts not looked up: %s %s", lt_lookup_name(n->lookup),
			   n->path[0] ? n->path : path);
		if (n->mount[0])
			add_detail(c->out, " on %s (%s)", n->mount, n->fstype[0] ? n->fstype : "?");
		add_detail(c->out, " did not answer within %u ms", n->ms);
		break;
	case LT_FACTS_SLOW:
		if (n->mount[0])
			set_detail(c->out, "facts not looked up: the mount %s (%s)", n->mount,
				   n->fstype[0] ? n->fstype : "?");
		else
			set_detail(c->out, "facts not looked up: %s", n->path);
		add_detail(c->out, " has not answered a lookup for %u ms", n->ms);
		break;
	case LT_FACTS_BUSY:
		set_detail(c->out,
			   "facts not looked up: every fact worker is waiting on a filesystem "
			   "that does not answer (%s)",
			   path);
		break;
	case LT_FACTS_PATH_CUT:
		set_detail(c->out,
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
	struct ctx c = { .in = in, .out = out };
	const struct lt_deny *deny;

	memset(out, 0, sizeof(*out));
	out->kind = LT_CAUSE_UNKNOWN;
	out->evidence = LT_EV_INFERRED;
	out->obj = -1;
	out->acl_entry = -1;
	out->capability = -1;
	out->holder = -1;

	if (!in || !in->ev) {
		set_detail(out, "no event");
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
	deny = kernel_deny(&c);

	if (deny && deny->hook != LT_HOOK_INODE_PERMISSION) {
		kernel_lsm(&c, deny);
	} else {
		if (lt_sys_is_lock(c.ev->syscall))
			decide_lock(&c);
		else
			decide_open(&c);
		if (deny)
			kernel_confirm(&c, deny);
	}
	facts_missing(&c);
	sanitize(out->detail);
	if (!out->detail[0])
		set_detail(out, "%s", lt_cause_kind_name(out->kind));
}

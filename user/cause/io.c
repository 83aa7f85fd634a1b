// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Failures after open: write, read, truncate and fallocate of a lock file,
 * in the order of the kernel's own checks on each call: the descriptor's
 * mode (EBADF, and ftruncate's EINVAL), the inode's immutable and
 * append-only flags (EPERM), a full or over-quota filesystem (ENOSPC,
 * EDQUOT), a read-only one (EROFS), a refusal (EACCES) by a server or a
 * security module; the other errors with their raw facts and what they
 * mean. truncate by name walks its path as an open does (perm.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include "common/decode.h"
#include "decide.h"

/* fallocate modes the append-only flag allows (include/linux/falloc.h):
 * FALLOC_FL_KEEP_SIZE alone. */
#define LT_FALLOC_FL_KEEP_SIZE 0x01
/* pwritev2's flag that asks not to append (include/uapi/linux/fs.h). */
#define LT_RWF_NOAPPEND 0x20

static bool is_vector(__u32 sys)
{
	return sys == LT_SYS_READV || sys == LT_SYS_WRITEV || sys == LT_SYS_PREADV ||
	       sys == LT_SYS_PWRITEV || sys == LT_SYS_PREADV2 || sys == LT_SYS_PWRITEV2;
}

static bool has_offset(__u32 sys)
{
	return sys == LT_SYS_PREAD64 || sys == LT_SYS_PWRITE64 || sys == LT_SYS_PREADV ||
	       sys == LT_SYS_PWRITEV || sys == LT_SYS_PREADV2 || sys == LT_SYS_PWRITEV2 ||
	       sys == LT_SYS_FALLOCATE;
}

/* Does the call change the file (a write, a truncate, an fallocate)? */
static bool io_writes(__u32 sys)
{
	return !lt_sys_is_read(sys);
}

/* "pwrite64 of 10 bytes at offset 0", "ftruncate to 0 bytes", "writev of
 * 2 iovecs", "fallocate of 4096 bytes at offset 0 (FALLOC_FL_KEEP_SIZE)". */
static void add_io_what(struct decision *c)
{
	const struct lt_event *ev = c->ev;
	__u32 sys = ev->syscall;
	char mode[128];

	lt_add_detail(c->out, "%s", lt_syscall_name(sys));
	if (lt_sys_is_truncate(sys)) {
		lt_add_detail(c->out, " to %" PRId64 " bytes", (int64_t)ev->io_off);
		return;
	}
	lt_add_detail(c->out, " of %" PRIu64 " %s%s", (uint64_t)ev->io_len,
		      is_vector(sys) ? "iovec" : "byte", ev->io_len == 1 ? "" : "s");
	if (has_offset(sys) && ev->io_off >= 0)
		lt_add_detail(c->out, " at offset %" PRId64, (int64_t)ev->io_off);
	if (sys == LT_SYS_FALLOCATE && ev->io_flags) {
		lt_falloc_mode_str(ev->io_flags, mode, sizeof(mode));
		lt_add_detail(c->out, " (%s)", mode);
	}
	if ((sys == LT_SYS_PREADV2 || sys == LT_SYS_PWRITEV2) && ev->io_flags) {
		lt_rwf_str(ev->io_flags, mode, sizeof(mode));
		lt_add_detail(c->out, " (%s)", mode);
	}
}

/* The file the call was on, when the facts reached it (for a descriptor:
 * the same inode, not another file at its path since); else NULL. */
static const struct lt_obj *io_target(struct decision *c)
{
	const struct lt_obj *t;

	if (!c->last_is_target)
		return NULL;
	t = &c->in->comp[c->ncomp - 1];
	if (!t->looked_up || !t->exists)
		return NULL;
	if ((c->ev->ev_flags & LT_EVF_HAVE_INODE) && t->ino != c->ev->ino)
		return NULL;
	return t;
}

static const char *accmode_name(int accmode)
{
	return accmode == LT_O_RDONLY ? "O_RDONLY" : accmode == LT_O_WRONLY ? "O_WRONLY" : "O_RDWR";
}

/*
 * EBADF (read, write, fallocate) and ftruncate's EINVAL: the descriptor
 * was not opened for what the call does (FMODE_READ for a read,
 * FMODE_WRITE for the others), or is an O_PATH one. false: it was.
 */
static bool io_fd_mode(struct decision *c)
{
	const struct lt_event *ev = c->ev;
	int acc = c->in->fd_accmode;
	bool write = io_writes(ev->syscall);

	if ((ev->ev_flags & LT_EVF_HAVE_INODE) && (ev->open_flags & LT_O_PATH)) {
		lt_set_kind(c, LT_CAUSE_BAD_FD_MODE, LT_EV_KERNEL);
		lt_set_detail(c->out,
			      "%s on a descriptor opened O_PATH, which can be neither read "
			      "nor written: descriptor %d",
			      lt_syscall_name(ev->syscall), ev->fd);
		return true;
	}
	if (acc < 0 || (write && acc != LT_O_RDONLY) || (!write && acc != LT_O_WRONLY))
		return false;
	lt_set_kind(c, LT_CAUSE_BAD_FD_MODE,
		    c->in->fd_accmode_kernel ? LT_EV_KERNEL : LT_EV_POSTHOC);
	lt_set_detail(c->out, "%s on a descriptor opened %s (%s): descriptor %d",
		      lt_syscall_name(ev->syscall), write ? "read-only" : "write-only",
		      accmode_name(acc), ev->fd);
	if (c->err == EINVAL)
		lt_add_detail(c->out, "; %s says so with EINVAL", lt_syscall_name(ev->syscall));
	return true;
}

/*
 * The immutable and append-only flags (EPERM), as the kernel checks them
 * for each call: as they were at the call when the kernel captured the
 * descriptor's inode, else as they are now. false: neither refuses it.
 */
static bool io_flags(struct decision *c)
{
	const struct lt_event *ev = c->ev;
	const struct lt_obj *t = io_target(c);
	bool kernel = ev->ev_flags & LT_EVF_HAVE_INODE;
	bool immutable = kernel ? ev->i_flags & LT_S_IMMUTABLE : t && t->immutable;
	bool append = kernel ? ev->i_flags & LT_S_APPEND : t && t->append_only;
	__u32 sys = ev->syscall;
	const char *what;

	if (!io_writes(sys))
		return false;
	if (immutable) {
		what = lt_sys_is_truncate(sys) ? "truncating it" :
		       sys == LT_SYS_FALLOCATE ? "allocating space in it" :
						 "writing to it";
		lt_set_kind(c, LT_CAUSE_IMMUTABLE, kernel ? LT_EV_KERNEL : LT_EV_POSTHOC);
		lt_set_detail(c->out, "immutable flag (chattr +i) on %s forbids %s",
			      lt_target_path(c), what);
	} else if (append) {
		/* do_sys_ftruncate() and vfs_truncate() refuse any truncation;
		 * vfs_fallocate() any mode but FALLOC_FL_KEEP_SIZE; a write, one
		 * that would not append (pwritev2's RWF_NOAPPEND). */
		if (lt_sys_is_truncate(sys))
			what = "truncating it";
		else if (sys == LT_SYS_FALLOCATE && (ev->io_flags & ~LT_FALLOC_FL_KEEP_SIZE))
			what = "fallocate modes other than FALLOC_FL_KEEP_SIZE";
		else if (sys != LT_SYS_FALLOCATE)
			what = "writing anywhere but at its end (O_APPEND)";
		else
			return false;
		lt_set_kind(c, LT_CAUSE_IMMUTABLE, kernel ? LT_EV_KERNEL : LT_EV_POSTHOC);
		lt_set_detail(c->out, "append-only flag (chattr +a) on %s forbids %s",
			      lt_target_path(c), what);
		if (sys == LT_SYS_PWRITEV2 && (ev->io_flags & LT_RWF_NOAPPEND))
			lt_add_detail(c->out, "; the write asked RWF_NOAPPEND");
	} else {
		return false;
	}
	c->out->want = LT_MAY_WRITE;
	if (t) {
		c->out->obj = c->ncomp - 1;
		lt_add_link_note(c, c->ncomp - 1);
	}
	if (kernel && t && (t->immutable != immutable || t->append_only != append))
		lt_add_detail(c->out, " (as the kernel saw it at the call; the flags have changed "
				      "since)");
	return true;
}

/* EPERM with neither flag set now: the raw facts. */
static void io_eperm_unknown(struct decision *c)
{
	char ebuf[24];

	lt_set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_INFERRED);
	lt_set_detail(c->out, "%s from ", lt_decision_errno(c, ebuf, sizeof(ebuf)));
	add_io_what(c);
	lt_add_detail(c->out, " on %s", lt_target_path(c));
	if (c->ev->ev_flags & LT_EVF_HAVE_INODE)
		lt_add_detail(c->out, ": neither the immutable nor the append-only flag was set "
				      "on it at the call");
	else if (io_target(c))
		lt_add_detail(c->out, ": neither the immutable nor the append-only flag is set "
				      "on it now (cleared since?)");
	else
		lt_add_detail(c->out, " (the file could not be examined)");
}

/*
 * EACCES from an I/O call on a descriptor: after open the mode bits are
 * not checked again, so the refusal is a server's (a network filesystem)
 * or a security module's. Kept apart from the other errors: the remote
 * filesystems' own evidence belongs here.
 */
void lt_decide_io_access(struct decision *c)
{
	const struct lt_cause_input *in = c->in;
	const struct lt_event *ev = c->ev;

	if (lt_sys_by_name(ev->syscall)) {
		lt_decide_access(c); /* truncate by name: the walk, as an open */
		return;
	}
	if (in->fs.known && lt_fs_is_remote(&in->fs)) {
		lt_set_kind(c, LT_CAUSE_REMOTE_FS, LT_EV_INFERRED);
		lt_set_detail(c->out, "the server refused ");
		add_io_what(c);
		lt_add_detail(c->out, " on %s (%.*s %.*s mounted at %.*s)", lt_target_path(c),
			      ARR(in->fs.type), ARR(in->fs.source), ARR(in->fs.mountpoint));
		if (in->fd_accmode >= 0)
			lt_add_detail(c->out,
				      "; the descriptor is open %s, and no local check refuses "
				      "it after open",
				      accmode_name(in->fd_accmode));
		return;
	}
	if (in->avc) {
		lt_set_kind(c, LT_CAUSE_LSM, LT_EV_KERNEL);
		c->out->lsm = LT_LSM_SELINUX;
		lt_set_detail(c->out, "SELinux denied { %.*s } to %.*s on %.*s (tclass %.*s): ",
			      ARR(in->avc_denied), ARR(in->avc->scontext), ARR(in->avc->tcontext),
			      ARR(in->avc->tclass));
		add_io_what(c);
		lt_add_detail(c->out, " on %s", lt_target_path(c));
		return;
	}
	lt_set_kind(c, LT_CAUSE_LSM, LT_EV_INFERRED);
	c->out->lsm = lt_lsm_by_elimination(in);
	add_io_what(c);
	lt_add_detail(c->out,
		      " on %s refused after open, where the mode bits are not checked "
		      "again",
		      lt_target_path(c));
	if (in->fs.known)
		lt_add_detail(c->out, " (a local %.*s)", ARR(in->fs.type));
	if (c->out->lsm)
		lt_add_detail(c->out, ": the %s security module refused",
			      lt_lsm_id_name(c->out->lsm));
	else
		lt_add_detail(c->out, ": a security module refused");
	if (in->lsm_list[0])
		lt_add_detail(c->out, " (active: %.*s)", ARR(in->lsm_list));
	else
		lt_add_detail(c->out, " (active modules unknown)");
}

/* What an errno means from an I/O call, NULL if nothing more is known. */
static const char *io_errno_meaning(int err, __u32 sys)
{
	bool trunc = lt_sys_is_truncate(sys);

	switch (err) {
	case EFBIG:
		return trunc ? "the length is past the process's file size limit (RLIMIT_FSIZE) "
			       "or the largest file the filesystem allows" :
			       "the file would grow past the process's file size limit "
			       "(RLIMIT_FSIZE) or the largest file the filesystem allows";
	case EINTR:
		return "a signal interrupted it before anything was done";
	case EIO:
		return "an I/O error: the device, or the server of a network filesystem, failed";
	case ETXTBSY:
		return "the file is a running program or an active swap file";
	case EAGAIN:
		return "the descriptor is non-blocking (O_NONBLOCK, RWF_NOWAIT) and the call would "
		       "have waited";
	case EOPNOTSUPP:
		return "the filesystem does not support this mode";
	case EFAULT:
		return "the buffer is not in the process's memory";
	case EOVERFLOW:
		return "the offset does not fit in the caller's offset type";
	case ESTALE:
		return "the file handle went stale on the server (the file was replaced or "
		       "removed there)";
	case EISDIR:
		return "it is a directory";
	case EINVAL:
		return trunc ? "a negative length, or not a regular file" :
		       sys == LT_SYS_FALLOCATE ?
			       "a negative offset, a length of 0 or less, or a bad mode" :
			       "a bad offset or flags, or misaligned O_DIRECT I/O";
	}
	return NULL;
}

/* Anything else: the raw facts and what the errno means, never a guess. */
static void io_unknown(struct decision *c)
{
	const char *meaning = io_errno_meaning(c->err, c->ev->syscall);
	char ebuf[24];

	lt_set_kind(c, LT_CAUSE_UNKNOWN, LT_EV_INFERRED);
	lt_set_detail(c->out, "%s from ", lt_decision_errno(c, ebuf, sizeof(ebuf)));
	add_io_what(c);
	lt_add_detail(c->out, " on %s", lt_target_path(c));
	if (meaning)
		lt_add_detail(c->out, ": %s", meaning);
}

void lt_decide_io(struct decision *c)
{
	switch (c->err) {
	case EBADF:
		if (!io_fd_mode(c))
			io_unknown(c);
		return;
	case EINVAL:
		/* ftruncate of a descriptor not open for writing. */
		if (!(lt_sys_is_truncate(c->ev->syscall) && !lt_sys_by_name(c->ev->syscall) &&
		      io_fd_mode(c)))
			io_unknown(c);
		return;
	case EPERM:
		if (io_flags(c))
			return;
		if (lt_sys_by_name(c->ev->syscall))
			lt_decide_access(c);
		else
			io_eperm_unknown(c);
		return;
	case EACCES:
		lt_decide_io_access(c);
		return;
	case ENOSPC:
	case EDQUOT:
		lt_decide_no_space(c, c->err == EDQUOT);
		lt_add_detail(c->out, "; ");
		add_io_what(c);
		if (io_target(c))
			lt_add_detail(c->out, " on a file that exists: it needed blocks");
		return;
	case EROFS:
		lt_decide_readonly_fs(c);
		return;
	case ENOENT:
		if (lt_sys_by_name(c->ev->syscall)) {
			lt_decide_not_found(c);
			return;
		}
		break;
	}
	io_unknown(c);
}

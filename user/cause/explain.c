// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --explain's lines: why (the cause's detail) and the fix a person would
 * apply, one line of commands that name every file exactly and never go
 * through a symbolic link to a file its owner does not own.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "common/text.h"
#include "explain.h"

const struct lt_obj *lt_cause_obj(const struct lt_verdict *v)
{
	int i = v->cause.obj;

	return i >= 0 && i < v->in->ncomp ? &v->in->comp[i] : NULL;
}

/*
 * path as one shell word a person can paste: as is when only safe bytes,
 * else in '...', or in $'...' with \xNN when it holds control bytes, bytes
 * that are not UTF-8 or characters lt_cp_unsafe() names (none of which may
 * reach the terminal raw; \xNN keeps the command exact).
 */
static void shell_quote(const char *path, char *out, size_t len)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789_./-+:@,%=";
	size_t n = strlen(path), i, o = 0, k;
	bool plain = n > 0, raw_ok = true;
	uint32_t cp;

	for (i = 0; i < n; i += k ? k : 1) {
		unsigned char ch = path[i];

		if (!strchr(safe, ch))
			plain = false;
		k = lt_utf8_decode(path + i, n - i, &cp);
		if (!k || lt_cp_unsafe(cp))
			raw_ok = false;
	}
	if (plain) {
		snprintf(out, len, "%s", path);
		return;
	}
	o += snprintf(out + o, len - o, raw_ok ? "'" : "$'");
	for (i = 0; i < n && o + 8 < len; i++) {
		unsigned char ch = path[i];

		k = raw_ok ? 1 : lt_utf8_decode(path + i, n - i, &cp);
		if (raw_ok && ch == '\'')
			o += snprintf(out + o, len - o, "'\\''");
		else if (!raw_ok && (ch == '\'' || ch == '\\'))
			o += snprintf(out + o, len - o, "\\%c", ch);
		else if (!raw_ok && (k == 0 || lt_cp_unsafe(cp))) {
			/* Every byte of it, so that the shell makes the same name. */
			for (size_t j = 0; j < (k ? k : 1) && o + 8 < len; j++)
				o += snprintf(out + o, len - o, "\\x%02x",
					      (unsigned char)path[i + j]);
			i += (k ? k : 1) - 1;
		} else {
			if (o + k + 2 >= len)
				break;
			memcpy(out + o, path + i, k);
			o += k;
			i += k - 1;
		}
	}
	snprintf(out + o, len - o, "'");
}

/* A command name fit for a terminal: non-printable bytes become '?'. */
static const char *printable(const char *comm, char *out)
{
	size_t i;

	for (i = 0; i < LT_COMM_LEN - 1 && comm[i]; i++)
		out[i] = (unsigned char)comm[i] < 0x20 || (unsigned char)comm[i] >= 0x7f ? '?' :
											   comm[i];
	out[i] = '\0';
	return out;
}

/* Quoted paths for one fix line: one set per thread (the fact workers
 * build fix lines side by side). */
static __thread char qpath[4 * LT_PATH_MAX + 8], qmnt[4 * LT_PATH_MAX + 8], qa[4 * LT_PATH_MAX + 8],
	qb[4 * LT_PATH_MAX + 8];

/* Who owns what a fix would change: the object, or for a missing one the
 * directory it would be made in. */
static __u32 fix_owner(const struct lt_cause_input *in, int obj)
{
	const struct lt_obj *o = &in->comp[obj];

	return o->exists || obj == 0 ? o->uid : in->comp[obj - 1].uid;
}

/*
 * Where comp[obj] really is, for a command that follows symbolic links
 * (chown, chmod, setfacl, chattr, mkdir -p, rm of what is not a link): its
 * path when no link is on the way, else its real path (a missing one's
 * from its directory's); "" when that cannot be told.
 */
static const char *own_path(const struct lt_cause_input *in, int obj, char *buf, size_t len)
{
	const struct lt_obj *o = &in->comp[obj], *d;
	const char *base = strrchr(o->path, '/');

	if (!o->via_link)
		return o->path;
	if (o->exists)
		return o->real;
	if (o->is_link || obj == 0 || !base)
		return "";
	d = &in->comp[obj - 1];
	if (!d->exists || !d->real[0])
		return d->via_link ? "" : o->path;
	snprintf(buf, len, "%s%s", strcmp(d->real, "/") ? d->real : "", base);
	return buf;
}

/* Fixes that name the object in commands that follow symbolic links. */
static bool fix_follows(enum lt_cause_kind kind)
{
	switch (kind) {
	case LT_CAUSE_DAC:
	case LT_CAUSE_DAC_SEARCH:
	case LT_CAUSE_ACL:
	case LT_CAUSE_CAPABILITY:
	case LT_CAUSE_IMMUTABLE:
	case LT_CAUSE_LSM:
	case LT_CAUSE_STALE_LOCK:
	case LT_CAUSE_NOT_FOUND:
		return true;
	default:
		return false;
	}
}

/*
 * A user's symbolic link on the way to a file the user does not own: a
 * chown or chmod through it would hand that file over. Say so, and to
 * remove the link instead.
 */
static void fix_foreign_link(struct lt_buf *b, const struct lt_cause_input *in, int obj, int l)
{
	const struct lt_obj *lnk = &in->comp[l];
	__u32 owner = fix_owner(in, obj);

	shell_quote(lnk->path, qa, sizeof(qa));
	shell_quote(lnk->link.target, qb, sizeof(qb));
	lt_buf_printf(b,
		      "%s is a symbolic link of uid %u to %s, and what it leads to is uid %u's, "
		      "not uid %u's: do not change that file's owner or mode for it; remove the "
		      "link (`rm %s`) if it is not meant to be there, and let the program create "
		      "its lock file itself",
		      qa, lnk->link.uid, qb, owner, lnk->link.uid, qa);
}

/* O_CREAT|O_EXCL met a name that is no lock file. */
static void fix_not_regular(struct lt_buf *b, const struct lt_obj *o)
{
	shell_quote(o->path, qa, sizeof(qa));
	if (o->is_link) {
		shell_quote(o->link.target, qb, sizeof(qb));
		lt_buf_printf(b,
			      "%s is a symbolic link to %s, not a lock file the program can "
			      "create: if no program locks with it, remove the link (`rm %s`); "
			      "never change what it points to",
			      qa, qb, qa);
	} else if (S_ISDIR(o->mode)) {
		lt_buf_printf(b, "%s is a directory: fix the lock path, or move the directory away",
			      qa);
	} else {
		lt_buf_printf(b,
			      "%s is a %s, not a lock file the program can create: remove it "
			      "(`rm %s`) if it is not meant to be there, or fix the lock path",
			      qa, lt_file_type_words(o->mode), qa);
	}
}

/* fs.protected_symlinks refused to follow a link: the link is the object. */
static void fix_protected_link(struct lt_buf *b, const struct lt_cause_input *in, int obj)
{
	const struct lt_obj *o = &in->comp[obj];

	shell_quote(o->path, qa, sizeof(qa));
	lt_buf_printf(b,
		      "the kernel follows %s only for its owner or the directory's "
		      "(fs.protected_symlinks): remove it (`rm %s`) and let the program create "
		      "its file, or if it is meant to be there, give the link itself to the "
		      "directory's owner (`chown -h %u %s`)",
		      qa, qa, in->comp[obj - 1].uid, qa);
}

/* A security module refused: where its rule is. */
static void fix_lsm(struct lt_buf *b, const struct lt_verdict *v, const char *path,
		    const char *comm, const char *want)
{
	switch (v->cause.lsm) {
	case LT_LSM_SELINUX:
		lt_buf_printf(b,
			      "look at the AVC denial (`ausearch -m AVC`), then relabel "
			      "(`restorecon -v %s`) or adjust the policy",
			      path);
		break;
	case LT_LSM_APPARMOR:
		lt_buf_printf(b, "look at the profile of %s (`aa-status`) and allow %s for %s",
			      comm, want, path);
		break;
	case LT_LSM_LANDLOCK:
		lt_buf_printf(b,
			      "the process restricted itself with Landlock: add %s to the "
			      "directories its ruleset allows",
			      path);
		break;
	case LT_LSM_BPF:
		lt_buf_printf(b, "a BPF LSM program refused: find it (`bpftool prog list`, type "
				 "lsm) and the tool that loaded it");
		break;
	default:
		lt_buf_printf(b, "find the module's rule for %s (active: %s)", path,
			      v->in->lsm_list);
		break;
	}
}

/* No holder seen here, but the lock file names its owner: where to look. */
static bool fix_named_owner(struct lt_buf *b, const struct lt_cause_input *in, const char *qfile)
{
	const struct lt_owner_hint *h = &in->owner;
	char who[LT_COMM_LEN];

	if (h->form == LT_OWNER_NONE)
		return false;
	if (h->alive_known && h->alive)
		lt_buf_printf(b,
			      "wait for pid %u (%.16s), which the lock file names, to finish, or "
			      "stop it",
			      h->pid, printable(h->comm, who));
	else if (h->host[0] && !h->this_host)
		lt_buf_printf(b,
			      "the lock file names its owner on host %s: find it there and wait "
			      "for it; remove the lock file only once that owner is gone (`rm %s`)",
			      h->host, qfile);
	else
		lt_buf_printf(b,
			      "find the owner the lock file names and wait for it; remove the lock "
			      "file only once that owner is gone (`rm %s`)",
			      qfile);
	return true;
}

/* An I/O call on a descriptor not open for it (bad_fd_mode). */
static void fix_io_fd_mode(struct lt_buf *b, const struct lt_event *ev)
{
	__u32 sys = ev->syscall;
	const char *verb = lt_sys_is_read(sys)	   ? "reading it" :
			   lt_sys_is_truncate(sys) ? "truncating it" :
			   sys == LT_SYS_FALLOCATE ? "allocating space in it" :
						     "writing to it";

	if (ev->open_flags & LT_O_PATH)
		lt_buf_printf(b, "open the file without O_PATH (%s) before %s",
			      lt_sys_is_read(sys) ? "O_RDONLY or O_RDWR" : "O_WRONLY or O_RDWR",
			      verb);
	else
		lt_buf_printf(b, "open the file %s before %s (descriptor %d was not)",
			      lt_sys_is_read(sys) ? "O_RDONLY or O_RDWR" : "O_WRONLY or O_RDWR",
			      verb, ev->fd);
}

/* An I/O call's error with no cause of its own: what to do about it, by
 * errno; false for those with nothing more to say. */
static bool fix_io_errno(struct lt_buf *b, const struct lt_verdict *v)
{
	const struct lt_event *ev = v->in->ev;
	int err = ev->ret < 0 && ev->ret > -4096 ? (int)-ev->ret : 0;

	switch (err) {
	case EFBIG:
		lt_buf_printf(b, "raise the process's file size limit (`ulimit -f`, systemd "
				 "LimitFSIZE=) or keep the file smaller");
		return true;
	case EINTR:
		lt_buf_printf(b, "a signal interrupted the call: retry it (or install the "
				 "handler with SA_RESTART)");
		return true;
	case EIO:
		lt_buf_printf(b,
			      "look for errors of the device or server of %s in the kernel log "
			      "(`dmesg`)",
			      qmnt);
		return true;
	case ETXTBSY:
		lt_buf_printf(b, "the file is in use as a program or a swap file: stop that use, "
				 "or use another lock file");
		return true;
	case EAGAIN:
		lt_buf_printf(b,
			      "the descriptor is non-blocking: wait until it is ready (poll), or "
			      "do without O_NONBLOCK/RWF_NOWAIT");
		return true;
	case EOPNOTSUPP:
		lt_buf_printf(b, "use a mode %s supports (or write zeroes instead)", qmnt);
		return true;
	case ESTALE:
		lt_buf_printf(b, "reopen the file: the server no longer knows this handle");
		return true;
	}
	return false;
}

/* A network share's server answered (remote.c): what to look at there. */
static void fix_remote(struct lt_buf *b, const struct lt_verdict *v, const char *share,
		       const char *mnt)
{
	const struct lt_cause_input *in = v->in;
	const struct lt_holder *h = v->cause.holder >= 0 && v->cause.holder < in->nholders ?
					    &in->holders[v->cause.holder] :
					    NULL;
	const char *rel = in->ev->path;
	char who[LT_COMM_LEN];
	size_t n = in->fs.known ? strlen(in->fs.mountpoint) : 0;

	/* The file's path within the share, for the server's tools. */
	if (n && !strncmp(rel, in->fs.mountpoint, n) && rel[n] == '/')
		rel += n + 1;
	shell_quote(rel, qa, sizeof(qa));
	switch (v->cause.kind) {
	case LT_CAUSE_REMOTE_LOCK_CONFLICT:
		if (h && h->via_peer && h->peer < in->npeers)
			lt_buf_printf(b,
				      "wait for pid %u (%.16s) to release it (it holds it through "
				      "%s, another session to %s), or stop it; ",
				      h->pid, printable(h->comm, who),
				      in->peers[h->peer].mountpoint, share);
		else
			lt_buf_printf(b,
				      "find the client holding it: the server lists its locks "
				      "(Samba: `smbstatus -L`; Windows: `Get-SmbOpenFile`) on %s; "
				      "wait for that instance to release it, or stop it; ",
				      share);
		lt_buf_printf(b, "retry with a blocking lock instead of LOCK_NB/F_SETLK");
		break;
	case LT_CAUSE_REMOTE_SHARING_VIOLATION:
		lt_buf_printf(b, "another client has the file open with a deny-share mode (.NET's "
				 "FileShare.None): find it on the server (Samba: `smbstatus`; "
				 "Windows: `Get-SmbOpenFile`), let it close the file, or open it "
				 "with sharing allowed everywhere");
		break;
	case LT_CAUSE_REMOTE_ACCESS_DENIED:
		lt_buf_printf(b,
			      "the server decides by its own permissions: check the file's and "
			      "the share's ACL there (`smbcacls %s %s`) and the user the mount "
			      "authenticates as (`findmnt %s`); a local chmod does not change them",
			      share, qa, mnt);
		break;
	case LT_CAUSE_REMOTE_READ_ONLY:
		lt_buf_printf(b,
			      "the server holds %s read-only: check the share's setting there "
			      "(Samba: `read only`) and the state of its volume",
			      share);
		break;
	case LT_CAUSE_REMOTE_DISK_FULL:
		lt_buf_printf(b,
			      "free space on the server's volume behind %s (`df -h %s` shows "
			      "what the server reports)",
			      share, mnt);
		break;
	default: /* LT_CAUSE_REMOTE_QUOTA */
		lt_buf_printf(b,
			      "raise the server's quota for the user the mount authenticates as "
			      "(`findmnt %s`), or free space it owns on %s",
			      mnt, share);
		break;
	}
}

void lt_cause_fix(struct lt_buf *b, const struct lt_verdict *v)
{
	const struct lt_cause *c = &v->cause;
	const struct lt_cause_input *in = v->in;
	const struct lt_event *ev = in->ev;
	const struct lt_obj *o = lt_cause_obj(v);
	char want[4] = "", comm[LT_COMM_LEN], who[LT_COMM_LEN];
	char own[LT_PATH_MAX];

	/* A symbolic link on the way: commands never go through one to a
	 * file its owner does not own, and name the real file otherwise. */
	if (o && c->about == LT_ABOUT_PROTECTED_SYMLINK && c->obj > 0) {
		fix_protected_link(b, in, c->obj);
		return;
	}
	if (o && (c->about == LT_ABOUT_NOT_REGULAR || fix_follows(c->kind))) {
		bool name = c->about == LT_ABOUT_NOT_REGULAR; /* rm: not followed */
		int l = lt_cause_foreign_link(in, name ? c->obj - 1 : c->obj,
					      name && c->obj > 0 ? in->comp[c->obj - 1].uid :
								   fix_owner(in, c->obj));

		if (l >= 0) {
			fix_foreign_link(b, in, c->obj, l);
			return;
		}
	}
	if (o && c->about == LT_ABOUT_NOT_REGULAR) {
		fix_not_regular(b, o);
		return;
	}
	/* Everything from the file system is quoted: it may be hostile. */
	shell_quote(o ? o->path : ev->path, qpath, sizeof(qpath));
	if (o && o->via_link && fix_follows(c->kind)) {
		const char *real = own_path(in, c->obj, own, sizeof(own));

		if (!real[0]) {
			lt_buf_printf(b,
				      "%s is reached through a symbolic link and where it leads "
				      "could not be told: find the file (`readlink -f %s`) and fix "
				      "that, never the link",
				      qpath, qpath);
			return;
		}
		shell_quote(real, qa, sizeof(qa));
		lt_buf_printf(b, "%s is %s through a symbolic link: ", qpath, qa);
		memcpy(qpath, qa, strlen(qa) + 1);
	}
	shell_quote(in->fs.known ? in->fs.mountpoint : (o ? o->path : ev->path), qmnt,
		    sizeof(qmnt));
	printable(ev->comm, comm);
	lt_may_str(c->want, want);
	switch (c->kind) {
	case LT_CAUSE_DAC:
	case LT_CAUSE_DAC_SEARCH:
		lt_buf_printf(b,
			      "give uid %u access: `chown %u %s`, or `chgrp %u %s` and "
			      "`chmod g+%s %s`, or run the process as the owner (uid %u)",
			      ev->fsuid, ev->fsuid, qpath, ev->fsgid, qpath,
			      c->kind == LT_CAUSE_DAC_SEARCH ? "x" : "rw", qpath, o ? o->uid : 0);
		if (c->kind == LT_CAUSE_DAC && in->have_creator)
			lt_buf_printf(b,
				      "; then make %.16s (which created it %04o) create it "
				      "with the mode and owner its users need",
				      printable(in->creator.comm, who), in->creator.mode & 07777);
		break;
	case LT_CAUSE_ACL:
		lt_buf_printf(b, "change the ACL entry: `setfacl -m u:%u:%s %s` (see `getfacl %s`)",
			      ev->fsuid,
			      c->kind == LT_CAUSE_ACL && o && S_ISDIR(o->mode) ? "rx" : "rw", qpath,
			      qpath);
		break;
	case LT_CAUSE_CAPABILITY:
		lt_buf_printf(b,
			      "grant the process %s (e.g. systemd AmbientCapabilities=, or do "
			      "not drop it), or fix the owner and mode of %s",
			      lt_cap_name(c->capability), qpath);
		break;
	case LT_CAUSE_LSM:
		fix_lsm(b, v, qpath, comm, want);
		break;
	case LT_CAUSE_READONLY_FS:
		lt_buf_printf(b,
			      "remount read-write (`mount -o remount,rw %s`) or move the lock "
			      "to a writable directory",
			      qmnt);
		break;
	case LT_CAUSE_NO_SPACE:
	case LT_CAUSE_QUOTA:
		lt_buf_printf(b, "free space or inodes on %s (`df -h %s; df -i %s`)%s", qmnt, qmnt,
			      qmnt,
			      c->kind == LT_CAUSE_QUOTA ? ", or raise the quota (`quota -v`)" : "");
		break;
	case LT_CAUSE_IMMUTABLE:
		lt_buf_printf(b, "clear the flag: `chattr -i -a %s` (needs CAP_LINUX_IMMUTABLE)",
			      qpath);
		break;
	case LT_CAUSE_LOCK_HELD:
		if (c->holder >= 0 && c->holder < in->nholders && in->holders[c->holder].pid)
			lt_buf_printf(b,
				      "wait for pid %u (%.16s) to release it, or stop it; "
				      "retry with a blocking lock instead of LOCK_NB/F_SETLK",
				      in->holders[c->holder].pid,
				      printable(in->holders[c->holder].comm, who));
		else if (!fix_named_owner(b, in, qpath))
			lt_buf_printf(b, "find the holder (`lslocks -p`, /proc/locks) and wait "
					 "for it; serialise the callers");
		break;
	case LT_CAUSE_STALE_LOCK:
		lt_buf_printf(b, "pid %u is gone: remove the stale lock file (`rm %s`)",
			      in->pidfile_pid, qpath);
		break;
	case LT_CAUSE_BAD_FD_MODE:
		if (lt_sys_is_io(ev->syscall))
			fix_io_fd_mode(b, ev);
		else
			lt_buf_printf(b, "open the file O_RDWR (or O_WRONLY) before taking a "
					 "write lock on it");
		break;
	case LT_CAUSE_NOT_FOUND:
		if (o && !strcmp(o->path, ev->path) && !(ev->open_flags & LT_O_CREAT))
			/* The file itself is missing, and the call would not
			 * create it. */
			lt_buf_printf(b,
				      "%s does not exist: create it first (or open it with "
				      "O_CREAT), or fix the path",
				      qpath);
		else
			lt_buf_printf(
				b, "create the missing directory (`mkdir -p %s`) or fix the path",
				qpath);
		break;
	case LT_CAUSE_REMOTE_FS:
		if (lt_sys_is_io(ev->syscall) && !lt_sys_by_name(ev->syscall))
			lt_buf_printf(
				b,
				"the server refused it after the open: another client of "
				"the share may hold a byte-range lock on the file or have it "
				"open with a deny mode (on a Samba server, `smbstatus -L` lists "
				"both); else check the share's permissions (`findmnt %s`)",
				qmnt);
		else
			lt_buf_printf(b,
				      "the server decided: check the share's permissions and the "
				      "mount's uid=/gid=/file_mode= options (`findmnt %s`)",
				      qmnt);
		break;
	case LT_CAUSE_REMOTE_LOCK_CONFLICT:
	case LT_CAUSE_REMOTE_SHARING_VIOLATION:
	case LT_CAUSE_REMOTE_ACCESS_DENIED:
	case LT_CAUSE_REMOTE_READ_ONLY:
	case LT_CAUSE_REMOTE_DISK_FULL:
	case LT_CAUSE_REMOTE_QUOTA:
		shell_quote(in->fs.known ? in->fs.source : "//server/share", qb, sizeof(qb));
		fix_remote(b, v, qb, qmnt);
		break;
	default:
		if (lt_sys_is_io(ev->syscall) && fix_io_errno(b, v))
			break;
		if (in->note.state == LT_FACTS_TIMEOUT || in->note.state == LT_FACTS_SLOW) {
			shell_quote(in->note.mount[0] ? in->note.mount : in->note.path, qmnt,
				    sizeof(qmnt));
			lt_buf_printf(b,
				      "%s does not answer: check its server or daemon (`findmnt "
				      "%s`, `stat %s` in another shell); the refusal itself is "
				      "the kernel's, its facts could not be looked up",
				      qmnt, qmnt, qmnt);
		} else if (in->note.state == LT_FACTS_BUSY) {
			lt_buf_printf(b, "filesystems that do not answer hold every fact worker: "
					 "find them (the lines above say which) and their "
					 "servers or daemons");
		} else if (in->note.state == LT_FACTS_PATH_CUT) {
			lt_buf_printf(b, "the path is too long to capture: shorten the lock "
					 "file's path");
		} else if (-ev->ret == EEXIST && fix_named_owner(b, in, qpath)) {
			/* said */
		} else {
			lt_buf_printf(b, "no cause could be established from the facts; rerun "
					 "with --json for all of them");
		}
		break;
	}
}

void lt_explain(struct lt_buf *b, const struct lt_verdict *v)
{
	static struct lt_buf fix;

	if (v->cause.kind == LT_CAUSE_NONE)
		return;
	/* For a terminal: names in the detail (and the fix's other strings,
	 * mount options, module lists) shown as the text view shows them. */
	lt_buf_printf(b, "    why: %s: ", lt_cause_kind_name(v->cause.kind));
	lt_text_str(b, v->cause.detail, strlen(v->cause.detail), false);
	lt_buf_printf(b, " [%s]\n", lt_evidence_name(v->cause.evidence));
	lt_buf_reset(&fix);
	lt_cause_fix(&fix, v);
	lt_buf_puts(b, "    fix: ");
	lt_text_str(b, fix.data ? fix.data : "", fix.len, false);
	lt_buf_puts(b, "\n");
	if (fix.oom)
		b->oom = true;
}

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --holders: locks taken and let go on watched filesystems (network shares),
 * from the lock layer's own tracepoints (filelock:flock_lock_inode,
 * posix_lock_inode), so that a refusal on one host can be set against the
 * lock another host held at that moment. Programs of their own, loaded only
 * with --holders: without it nothing here runs.
 *
 * A lock taken (the lock layer says 0 to a read or write lock) is reported
 * when its file is on a watched filesystem type, its process passes the
 * filters and its path the path filter, and kept in holds by its owner and
 * file until its owner holds no lock on the file any more: then its release
 * is reported, with how long it was held and how it went (an unlock call,
 * a close, the process's exit: the lock layer sees all three). Cost on the
 * lock calls of other filesystems: their type's verdict, kept (a lookup
 * the verifier inlines, a compare).
 */
#ifndef LOCKTRACE_HOLDERS_BPF_H
#define LOCKTRACE_HOLDERS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "locktrace.h"
#include "compat.bpf.h"
#include "deny.bpf.h"
#include "event.bpf.h"
#include "filter.bpf.h"
#include "lockconflict.bpf.h"
#include "maps.bpf.h"
#include "path.bpf.h"
#include "scratch.bpf.h"
#include "syscalls.bpf.h"

/* The lock layer's fl_flags and l_type (include/linux/filelock.h,
 * include/uapi/asm-generic/fcntl.h). */
#define LT_FL_POSIX 1
#define LT_FL_FLOCK 2
#define LT_FL_ACCESS 8
#define LT_FL_CLOSE 64
#define LT_F_UNLCK 2
/* task_struct.flags of a task in do_exit() (include/linux/sched.h). */
#define LT_PF_EXITING 0x00000004
/* close(2): arch/x86/entry/syscalls/syscall_64.tbl and syscall_32.tbl. */
#define LT_NR_CLOSE 3
#define LT_NR_IA32_CLOSE 6

/* Is filesystem type @name (LT_FSTYPE_LEN bytes, NUL-padded) watched? */
static __always_inline bool lt_fstype_watched(const char *name)
{
	__u64 w[2];
	__u32 i;

	__builtin_memcpy(w, name, sizeof(w));
	for (i = 0; i < LT_HOLDERS_FS_MAX; i++) {
		if (i >= cfg_nholders_fs)
			break;
		if (w[0] == cfg_holders_fs[i][0] && w[1] == cfg_holders_fs[i][1])
			return true;
	}
	return false;
}

/*
 * Is @inode on a watched filesystem type? Its type's verdict is kept
 * (fstype_verdicts): a lock call on another filesystem costs three loads
 * through the tracepoint's own pointers, an inlined lookup and a compare;
 * the type's name is read and compared the first time the type is seen on
 * this CPU (or after another type took its slot), and for a
 * watched one. @name (LT_FSTYPE_LEN bytes, zeroed) gets it then.
 */
static __always_inline bool lt_holders_fs(struct inode *inode, char *name)
{
	struct super_block *sb = inode->i_sb;
	struct file_system_type *type = sb->s_type;
	__u32 slot = sb->s_magic % LT_FSTYPE_CACHE;
	struct lt_fstype_verdict *v = bpf_map_lookup_elem(&fstype_verdicts, &slot);
	bool watched;

	if (!type || !v)
		return false;
	if (v->type == (__u64)type && !v->watched)
		return false; /* seen, not watched */
	if (bpf_probe_read_kernel_str(name, LT_FSTYPE_LEN, type->name) <= 0)
		return false;
	watched = lt_fstype_watched(name);
	v->type = (__u64)type;
	v->watched = watched;
	return watched;
}

/* A kernel thread entering a lock on its process's behalf (NFSv4's grant,
 * from nfsiod) has the lock's pid, but not the process's credentials or
 * command: it passes only when no uid or command filter asks for them. */
static __always_inline bool lt_hold_wanted(__u32 pid, bool kthread)
{
	if (!kthread)
		return lt_task_wanted(pid);
	if (pid == cfg_self_tgid || (cfg_npids && !bpf_map_lookup_elem(&pid_filter, &pid)))
		return false;
	return !cfg_nuids && !cfg_ncomms;
}

/*
 * Does @owner still hold a lock on @inode after an unlock (its flock list,
 * or the POSIX one, which has the OFD locks too)? Read after the lock layer
 * let go of its list lock: a lock taken or let go in between is seen or
 * not. A list longer than the walk counts as yes (the hold stays: its end
 * is then the owner's next unlock or close).
 */
static __always_inline bool lt_owner_holds(struct inode *inode, const struct file_lock *req,
					   __u64 owner, bool posix)
{
	struct file_lock_context *ctx = BPF_CORE_READ(inode, i_flctx);
	struct list_head *head, *pos;
	struct lt_lock_view s = {};
	__u64 off;
	int i;

	if (!ctx)
		return false;
	if (posix)
		head = __builtin_preserve_access_index(&ctx->flc_posix);
	else
		head = __builtin_preserve_access_index(&ctx->flc_flock);
	off = lt_file_lock_list_off(req);
	pos = BPF_CORE_READ(head, next);
	for (i = 0; i < LT_MAX_LOCK_WALK; i++) {
		if (!pos || pos == head)
			return false;
		lt_lock_view((const void *)((char *)pos - off), &s);
		if (s.owner == owner)
			return true;
		pos = BPF_CORE_READ(pos, next);
	}
	return true;
}

/* A new hold's id: the CPU's count and the CPU, never 0. */
static __always_inline __u64 lt_hold_id(void)
{
	__u64 *seq = bpf_map_lookup_elem(&hold_seq, &zero);

	if (!seq)
		return 0;
	*seq += 1;
	return (*seq << 12) | (bpf_get_smp_processor_id() & 0xfff);
}

/* The walk's result as buf[*off .. LT_HALF): "/" for a root; its length. */
static __always_inline __u32 lt_hold_walked(struct lt_scratch *sc, __u32 *off)
{
	__u32 o = sc->walk.off;

	if (o > LT_HALF)
		o = LT_HALF;
	if (o == LT_HALF) { /* the root directory itself */
		o = LT_HALF - 1;
		sc->buf[o] = '/';
	}
	sc->buf[LT_HALF] = '\0';
	*off = o;
	return LT_HALF - o;
}

/* The event's path: the lock's file as @task sees it, copied to the record
 * from buf[off .. off + len) (the end kept when it is too long). */
static __always_inline void lt_hold_put_path(struct lt_scratch *sc, __u32 off, __u32 len)
{
	struct lt_event *ev = lt_ev(sc);

	if (len > LT_PATH_MAX - 1) {
		off += len - (LT_PATH_MAX - 1);
		len = LT_PATH_MAX - 1;
		ev->ev_flags |= LT_EVF_PATH_TRUNCATED;
	}
	barrier_var(len);
	len &= LT_PATH_MAX - 1;
	bpf_probe_read_kernel(ev->path, len, &sc->buf[off & LT_BUF_MASK]);
	ev->path[len] = '\0';
	ev->path_len = len;
	ev->arg_off = len; /* no name as passed: the lock's file */
}

/*
 * The hold's own record, built in the refusal workspace (sc->deny, unused
 * by a tracepoint program between system calls): its id and state, the
 * filesystem's type, the mount's source and the file's path within its
 * filesystem. That path is the event's walk below its mount point when the
 * walk crossed the file's mount and the mount shows the filesystem's root
 * (no bind mount of a directory of it): nothing more to walk. Else a walk
 * that ignores mounts, to the filesystem's root, which reuses the path
 * buffer: the event's path is copied out before.
 */
static __always_inline void lt_hold_stage(struct lt_scratch *sc, struct task_struct *task,
					  struct file *file, const char *fstype)
{
	struct lt_hold *h = (void *)sc->deny.d;
	struct fs_struct *fs = BPF_CORE_READ(task, fs);
	struct vfsmount *vfsmnt = BPF_CORE_READ(file, f_path.mnt);
	struct mount *mnt = (void *)((char *)vfsmnt - bpf_core_field_offset(struct mount, mnt));
	const char *source = BPF_CORE_READ(mnt, mnt_devname);
	__u32 off;
	__u64 len; /* 64 bits: the bound checked is the one the copy uses */
	long n = 0;
	char c = 0;

	bpf_probe_read_kernel(h->fstype, LT_FSTYPE_LEN, fstype);
	if (source)
		n = bpf_probe_read_kernel_str(h->source, LT_SOURCE_MAX, source);
	if (n <= 0) {
		h->source[0] = '\0';
		n = 1;
	} else if (n == LT_SOURCE_MAX && !bpf_probe_read_kernel(&c, 1, source + n - 1) && c) {
		h->flags |= LT_HOLD_SOURCE_TRUNCATED;
	}
	h->source_len = (__u16)(n - 1);
	off = sc->walk.mnt_off;
	if (sc->walk.crossed && off < LT_HALF &&
	    BPF_CORE_READ(vfsmnt, mnt_root) == BPF_CORE_READ(vfsmnt, mnt_sb, s_root)) {
		len = LT_HALF - off;
	} else {
		sc->fake_path.mnt = NULL;
		sc->fake_path.dentry = BPF_CORE_READ(file, f_path.dentry);
		lt_walk_path(lt_scalar(&sc->fake_path),
			     (__u64)__builtin_preserve_access_index(&fs->root), LT_WS_TP);
		if (sc->walk.truncated)
			h->flags |= LT_HOLD_PATH_TRUNCATED;
		len = lt_hold_walked(sc, &off);
	}
	if (len > LT_HOLD_PATH_MAX - 1) { /* keep the end: the file's own name */
		off += len - (LT_HOLD_PATH_MAX - 1);
		len = LT_HOLD_PATH_MAX - 1;
		h->flags |= LT_HOLD_PATH_TRUNCATED;
	}
	barrier_var(len);
	if (len > LT_HOLD_PATH_MAX - 1)
		len = LT_HOLD_PATH_MAX - 1;
	bpf_probe_read_kernel(h->path, len, &sc->buf[off & LT_BUF_MASK]);
	h->path[len] = '\0';
	h->path_len = (__u16)len;
}

/* The descriptor of the lock call (or of the close) in progress, when the
 * kernel gives a task's saved registers (bpf_task_pt_regs, 5.15): the
 * first argument, when it is the lock's file (a call) or the call was
 * close(2), whose descriptor is already out of the table. */
static __always_inline void lt_hold_fd(struct lt_event *ev, struct lt_hold *h,
				       struct task_struct *task, struct file *file)
{
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_task_pt_regs)) {
		struct pt_regs *regs = (void *)bpf_task_pt_regs(bpf_get_current_task_btf());
		bool ia32 = ev->ev_flags & LT_EVF_IA32;
		long nr, fd;

		if (!regs)
			return;
		nr = BPF_CORE_READ(regs, orig_ax);
		fd = (int)lt_arg(regs, ia32, 1);
		if (h->how == LT_HOLD_CLOSE ?
			    nr == (ia32 ? LT_NR_IA32_CLOSE : LT_NR_CLOSE) :
			    h->how == LT_HOLD_CALL && lt_fd_file(task, fd) == file) {
			ev->fd = fd;
			h->flags |= LT_HOLD_HAVE_FD;
		}
	}
}

/* Send the event (its path in the record) with the staged hold after it. */
static __always_inline void lt_hold_send(struct lt_scratch *sc, struct task_struct *task, __u32 pid)
{
	struct lt_event *ev = lt_ev(sc);
	struct lt_hold *h = (void *)sc->deny.d;
	__u64 hlen = h->path_len; /* 64 bits, as lt_hold_stage's len */
	__u32 size, doff;
	long err;

	lt_fill_task(ev, task);
	if (h->flags & LT_HOLD_KTHREAD)
		ev->tgid = ev->tid = pid;
	size = sizeof(*ev) + (ev->path_len & (LT_PATH_MAX - 1)) + 1;
	doff = (size + 7) & ~7u;
	barrier_var(hlen);
	if (hlen > LT_HOLD_PATH_MAX - 1)
		hlen = LT_HOLD_PATH_MAX - 1;
	bpf_probe_read_kernel(&sc->rec[doff], sizeof(*h) + hlen + 1, h);
	ev->ev_flags |= LT_EVF_HAVE_HOLD;
	size = doff + sizeof(*h) + hlen + 1;
	ev->size = size;
	err = bpf_ringbuf_output(&events, ev, size, lt_wakeup());
	lt_count(err != 0);
}

/*
 * The lock layer's verdict on a request (flock, or POSIX and OFD: @posix):
 * a lock taken or let go on a watched filesystem. Filters first, in cost
 * order: the verdict, the filesystem, the process, the path (acquisitions:
 * a release is of a hold that passed them); then the holds table, then the
 * ring buffer.
 */
static __always_inline int lt_on_hold(struct inode *inode, struct file_lock *fl, int ret,
				      bool posix, bool use_loop)
{
	char fstype[LT_FSTYPE_LEN] __attribute__((aligned(8))) = {};
	struct lt_hold_key key = {};
	struct lt_hold_slot held = {}, *slot;
	struct lt_fl_facts req = {};
	struct lt_lock_view v = {};
	struct task_struct *task;
	struct lt_scratch *sc;
	struct lt_event *ev;
	struct lt_hold *h;
	struct file *file;
	struct fs_struct *fs;
	__u32 pid, off, len, mount_len, how = LT_HOLD_CALL;
	bool kthread, release;
	__u64 now;

	if (ret != 0 || !fl || !inode || !lt_holders_fs(inode, fstype))
		return 0;
	/* Its record is built in the tracepoint workspace. */
	if (lt_ws_tp_busy())
		return 0;
	lt_read_file_lock(fl, &req);
	/* Not a lease or a delegation; nor a request that only asks whether it
	 * would be granted (FL_ACCESS: NFSv4 asks so before it asks the
	 * server, and enters the lock once the server granted it). */
	if (!(req.flags & (LT_FL_FLOCK | LT_FL_POSIX)) || (req.flags & LT_FL_ACCESS))
		return 0;
	lt_lock_view(fl, &v);
	file = (void *)v.file;
	if (!file)
		return 0;
	key.ino = BPF_CORE_READ(inode, i_ino);
	key.dev = BPF_CORE_READ(inode, i_sb, s_dev);
	key.owner = v.owner;
	task = (void *)bpf_get_current_task();
	kthread = BPF_CORE_READ(task, flags) & PF_KTHREAD;
	release = req.type == LT_F_UNLCK;
	now = bpf_ktime_get_boot_ns();
	if (release) {
		slot = bpf_map_lookup_elem(&holds, &key);
		if (!slot || lt_owner_holds(inode, fl, v.owner, posix))
			return 0; /* never seen taken, or a part let go */
		held = *slot;
		bpf_map_delete_elem(&holds, &key);
		if (req.flags & LT_FL_CLOSE)
			how = BPF_CORE_READ(task, flags) & LT_PF_EXITING ? LT_HOLD_EXIT :
									   LT_HOLD_CLOSE;
		pid = kthread ? held.pid : bpf_get_current_pid_tgid() >> 32;
	} else {
		pid = kthread ? (__u32)req.pid : bpf_get_current_pid_tgid() >> 32;
		if (!lt_hold_wanted(pid, kthread))
			return 0;
	}

	sc = lt_begin(req.flags & LT_FL_FLOCK ? LT_SYS_FLOCK : LT_SYS_FCNTL, 0, false,
		      lt_in_compat_syscall(task));
	if (!sc)
		return 0;
	ev = lt_ev(sc);
	ev->fd = -1;
	ev->fl_flags = req.flags;
	ev->fl_type = req.type;
	ev->fl_pid = req.pid;
	ev->fl_start = req.start;
	ev->fl_end = req.end;
	ev->ev_flags |= LT_EVF_HAVE_FL;
	lt_inode_facts(ev, inode, file);
	fs = BPF_CORE_READ(task, fs);
	lt_walk_path((__u64)__builtin_preserve_access_index(&file->f_path),
		     (__u64)__builtin_preserve_access_index(&fs->root), LT_WS_TP);
	if (sc->walk.truncated)
		ev->ev_flags |= LT_EVF_PATH_TRUNCATED;
	len = lt_hold_walked(sc, &off);
	/* Where its mount point ends in the path (kept in the hold, below). */
	mount_len = sc->walk.crossed && sc->walk.mnt_off > off && sc->walk.mnt_off <= LT_HALF ?
			    sc->walk.mnt_off - off :
			    0;
	if (!release && !cfg_lock_calls_all) {
		int r = lt_path_wanted(off, len, use_loop);

		if (r == LT_NOMATCH)
			return 0;
		if (r == LT_MATCH_BUDGET)
			ev->ev_flags |= LT_EVF_MATCH_UNSURE;
	}
	lt_hold_put_path(sc, off, len);

	h = (void *)sc->deny.d;
	__builtin_memset(h, 0, sizeof(*h));
	h->how = how;
	if (kthread)
		h->flags |= LT_HOLD_KTHREAD;
	if (release) {
		h->state = LT_HOLD_RELEASED;
		h->held_ns = now - held.since_ns;
	} else {
		slot = bpf_map_lookup_elem(&holds, &key);
		if (slot && slot->type == req.type && slot->start == req.start &&
		    slot->end == req.end)
			return 0; /* the same lock again: nothing new */
		h->state = LT_HOLD_ACQUIRED;
		if (slot) {
			slot->type = req.type;
			slot->start = req.start;
			slot->end = req.end;
			held = *slot;
		} else {
			held.id = lt_hold_id();
			held.since_ns = now;
			held.start = req.start;
			held.end = req.end;
			held.type = req.type;
			held.pid = pid;
			if (bpf_map_update_elem(&holds, &key, &held, BPF_NOEXIST) &&
			    !bpf_map_lookup_elem(&holds, &key)) {
				LT_LOSS(holds_full);
				h->flags |= LT_HOLD_UNTRACKED;
				held.id = 0;
			}
		}
	}
	h->id = held.id;
	/* The path as recorded keeps its end: a cut one has no mount point. */
	if (!(ev->ev_flags & LT_EVF_PATH_TRUNCATED) && mount_len < ev->path_len)
		h->mount_len = (__u16)mount_len;
	h->type = held.type;
	h->start = held.start;
	h->end = held.end;
	lt_hold_fd(ev, h, task, file);
	lt_hold_stage(sc, task, file, fstype);
	lt_hold_send(sc, task, pid);
	return 0;
}

#endif /* LOCKTRACE_HOLDERS_BPF_H */

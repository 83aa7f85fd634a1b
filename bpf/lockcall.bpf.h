/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Lock calls (flock, fcntl's lock commands) at their exit: the operation
 * and, for fcntl, the caller's struct flock in its ABI's layout; the
 * descriptor's path and inode; the lock layer's view of the call
 * (fl_inflight) and the holder it named; how long a blocking call waited
 * and who released it.
 */
#ifndef LOCKTRACE_LOCKCALL_BPF_H
#define LOCKTRACE_LOCKCALL_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "locktrace.h"
#include "event.bpf.h"
#include "maps.bpf.h"
#include "netfs.bpf.h"
#include "path.bpf.h"
#include "scratch.bpf.h"
#include "syscalls.bpf.h"

/* fcntl commands that set a lock (include/uapi/asm-generic/fcntl.h). */
#define F_SETLK 6
#define F_SETLKW 7
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38

/* Flag the event when its call waited --min-wait or more. */
static __always_inline bool lt_apply_wait(struct lt_event *ev, const struct lt_wait *w)
{
	__u64 waited;

	if (!w)
		return false;
	waited = bpf_ktime_get_boot_ns() - w->start_ns;
	if (waited < cfg_min_wait_ns)
		return false;
	ev->blocker_pid = w->blocker_pid;
	ev->wait_ns = waited;
	ev->ev_flags |= LT_EVF_LOCK_WAIT;
	return true;
}

/*
 * The rest of a lock call's record, from its descriptor @fd: its path and
 * inode (and who released a lock on the inode while the call waited), the
 * lock layer's view of the call (taken from fl_inflight); then the filter
 * and the record.
 */
static __always_inline int lt_on_lock_fd(struct lt_scratch *sc, int fd, bool use_loop)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct lt_event *ev = lt_ev(sc);
	struct lt_fl_facts *fl;
	struct file *file;
	__u32 off = LT_HALF;

	ev->fd = fd;
	file = lt_fd_file(task, fd);
	if (file) {
		off = lt_file_facts(sc, task, file);
		if (ev->ev_flags & LT_EVF_LOCK_WAIT) {
			struct lt_inode_key key = { .ino = ev->ino, .dev = ev->dev };
			struct lt_inode_who *r = bpf_map_lookup_elem(&releases, &key);

			/* Released while this call waited: that let it go. */
			if (r && r->since_ns >= bpf_ktime_get_boot_ns() - ev->wait_ns)
				ev->releaser_pid = r->pid;
		}
		/* A network filesystem's answer by the file, if none by thread. */
		if (!sc->remote_valid && ev->ret < 0)
			sc->remote_valid = lt_remote_take_file(sc, file, ev->ret);
	} else {
		ev->ev_flags |= LT_EVF_BAD_FD;
	}
	sc->buf[LT_HALF] = '\0';

	fl = bpf_map_lookup_elem(&fl_inflight, &tid);
	if (fl) {
		ev->fl_flags = fl->flags;
		ev->fl_type = fl->type;
		ev->fl_pid = fl->pid;
		ev->fl_start = fl->start;
		ev->fl_end = fl->end;
		ev->fl_ret = fl->ret;
		ev->ev_flags |= LT_EVF_HAVE_FL;
		if (fl->holder_pid && !(ev->ev_flags & LT_EVF_LOCK_WAIT)) {
			/* Who held it at the refusal, from the lock layer's list. */
			ev->blocker_pid = fl->holder_pid;
			ev->ev_flags |= LT_EVF_HAVE_HOLDER;
		}
		bpf_map_delete_elem(&fl_inflight, &tid);
	}
	ev->arg_off = LT_HALF - off;
	return lt_filter_emit(sc, task, off, LT_HALF - off, true, false, use_loop);
}

/* flock(fd, operation): reported when it failed or waited --min-wait, or
 * with --all. */
static __always_inline int lt_on_flock(struct pt_regs *regs, bool ia32, long ret,
				       const struct lt_wait *w, bool denied, bool use_loop)
{
	struct lt_scratch *sc = lt_begin(LT_SYS_FLOCK, ret, denied, ia32);

	if (!sc)
		return 0;
	if (!lt_apply_wait(lt_ev(sc), w) && ret >= 0 && !cfg_all)
		return 0;
	lt_ev(sc)->lock_cmd = lt_arg(regs, ia32, 2);
	return lt_on_lock_fd(sc, lt_arg(regs, ia32, 1), use_loop);
}

/* The struct flock a lock-setting fcntl command reads. */
enum lt_flock_layout {
	LT_FLOCK_NONE = 0, /* not a lock-setting command */
	LT_FLOCK_NATIVE, /* struct flock */
	LT_FLOCK_COMPAT, /* ia32 struct compat_flock */
	LT_FLOCK_COMPAT64, /* ia32 struct compat_flock64 */
};

/* Which struct flock fcntl command @cmd of call @sys reads in its ABI. */
static __always_inline enum lt_flock_layout lt_flock_layout(__u32 sys, bool ia32, __u32 cmd)
{
	bool setlk = cmd == F_SETLK || cmd == F_SETLKW;
	bool ofd = cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;

	if (!ia32)
		return setlk || ofd ? LT_FLOCK_NATIVE : LT_FLOCK_NONE;
	if (setlk)
		return LT_FLOCK_COMPAT;
	/* The 32-bit fcntl refuses these (EINVAL); fcntl64 takes them. */
	if (sys == LT_SYS_FCNTL64 && (ofd || cmd == LT_F_SETLK64 || cmd == LT_F_SETLKW64))
		return LT_FLOCK_COMPAT64;
	return LT_FLOCK_NONE;
}

/* Read the caller's struct flock, of struct type @type, at @arg into @ev's
 * lock_* fields; the value is bpf_probe_read_user's. Unreadable, they are
 * zero: the copy starts zeroed, and a failed read zeroes it. */
#define LT_READ_FLOCK(type, ev, arg)                                        \
	({                                                                  \
		type __fl = {};                                             \
		long __err = bpf_probe_read_user(&__fl, sizeof(__fl), arg); \
                                                                            \
		(ev)->lock_type = __fl.l_type;                              \
		(ev)->lock_whence = __fl.l_whence;                          \
		(ev)->lock_start = __fl.l_start;                            \
		(ev)->lock_len = __fl.l_len;                                \
		(ev)->lock_pid = __fl.l_pid;                                \
		__err;                                                      \
	})

/* fcntl(fd, cmd, arg), or the ia32 fcntl64, with a command that sets a
 * lock: reported as lt_on_flock's, with the caller's struct flock. */
static __always_inline int lt_on_fcntl(struct pt_regs *regs, bool ia32, __u32 sys, long ret,
				       const struct lt_wait *w, bool denied, bool use_loop)
{
	__u32 cmd = lt_arg(regs, ia32, 2);
	const void *arg = (const void *)lt_arg(regs, ia32, 3);
	enum lt_flock_layout layout = lt_flock_layout(sys, ia32, cmd);
	struct lt_scratch *sc;
	struct lt_event *ev;
	long err;

	if (layout == LT_FLOCK_NONE)
		return 0;
	sc = lt_begin(sys, ret, denied, ia32);
	if (!sc)
		return 0;
	ev = lt_ev(sc);
	if (!lt_apply_wait(ev, w) && ret >= 0 && !cfg_all)
		return 0;
	ev->lock_cmd = cmd;
	if (layout == LT_FLOCK_NATIVE)
		err = LT_READ_FLOCK(struct flock, ev, arg);
	else if (layout == LT_FLOCK_COMPAT)
		err = LT_READ_FLOCK(struct lt_compat_flock, ev, arg);
	else
		err = LT_READ_FLOCK(struct lt_compat_flock64, ev, arg);
	/* Unreadable: still the descriptor's path and inode, flagged. */
	ev->ev_flags |= err ? LT_EVF_ARGS_UNREADABLE : LT_EVF_HAVE_FLOCK;
	return lt_on_lock_fd(sc, lt_arg(regs, ia32, 1), use_loop);
}

#undef LT_READ_FLOCK

#endif /* LOCKTRACE_LOCKCALL_BPF_H */

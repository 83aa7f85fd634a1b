/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Opens: what an open-family call asked for, and the absolute path of the
 * file it named, as the process sees it. truncate by name too: its name is
 * read the same way.
 */
#ifndef LOCKTRACE_OPEN_BPF_H
#define LOCKTRACE_OPEN_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "locktrace.h"
#include "event.bpf.h"
#include "maps.bpf.h"
#include "path.bpf.h"
#include "scratch.bpf.h"
#include "syscalls.bpf.h"

#define AT_FDCWD -100

/*
 * An open-family call (open, creat, openat, openat2), or a truncate by
 * name, at its exit: its flags and mode (truncate: the length), its name
 * read again from the process's memory, and for a relative name the
 * directory it is relative to (its dirfd or working directory); then the
 * filter and the record.
 */
static __always_inline int lt_on_open(struct pt_regs *regs, bool ia32, long ret, __u32 sys,
				      bool denied, bool note_only, bool use_loop)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct fs_struct *fs = BPF_CORE_READ(task, fs);
	const char *upath;
	struct lt_scratch *sc;
	struct lt_event *ev;
	__u32 off = LT_HALF + 1, end;
	long n;

	sc = lt_begin(sys, ret, denied, ia32);
	if (!sc)
		return 0;
	ev = lt_ev(sc);
	ev->fd = AT_FDCWD;
	switch (sys) {
	case LT_SYS_OPEN:
		upath = (const char *)lt_arg(regs, ia32, 1);
		ev->open_flags = lt_arg(regs, ia32, 2);
		ev->open_mode = lt_arg(regs, ia32, 3);
		break;
	case LT_SYS_CREAT:
		upath = (const char *)lt_arg(regs, ia32, 1);
		ev->open_flags = LT_O_CREAT | LT_O_WRONLY | LT_O_TRUNC;
		ev->open_mode = lt_arg(regs, ia32, 2);
		break;
	case LT_SYS_OPENAT:
		ev->fd = lt_arg(regs, ia32, 1);
		upath = (const char *)lt_arg(regs, ia32, 2);
		ev->open_flags = lt_arg(regs, ia32, 3);
		ev->open_mode = lt_arg(regs, ia32, 4);
		break;
	case LT_SYS_TRUNCATE: /* truncate by name: the name as an open's */
	case LT_SYS_TRUNCATE64:
		upath = (const char *)lt_arg(regs, ia32, 1);
		lt_io_args(ev, regs, ia32, sys);
		break;
	default: { /* LT_SYS_OPENAT2: struct open_how is the same in every ABI */
		struct open_how how = {};

		ev->fd = lt_arg(regs, ia32, 1);
		upath = (const char *)lt_arg(regs, ia32, 2);
		if (bpf_probe_read_user(&how, sizeof(how), (void *)lt_arg(regs, ia32, 3)))
			ev->ev_flags |= LT_EVF_ARGS_UNREADABLE; /* counted if sent */
		ev->open_flags = how.flags;
		ev->open_mode = how.mode;
		ev->resolve = how.resolve;
		break;
	}
	}

	/*
	 * The name, read again from the process's memory. One byte more than
	 * the longest name carried (LT_PATH_MAX - 1 bytes, PATH_MAX less its
	 * NUL) is read, so that a name that did not fit is told from one that
	 * fit exactly: the kernel refuses it (ENAMETOOLONG), the event carries
	 * its first LT_PATH_MAX - 1 bytes, flagged.
	 */
	n = bpf_probe_read_user_str(&sc->buf[LT_HALF + 1], LT_PATH_MAX + 1, upath);
	if (n <= 0) {
		/* Gone from its memory, or never readable (EFAULT): no name to
		 * match, nothing to send. */
		if (!note_only)
			LT_LOSS(unreadable_path);
		return 0;
	}
	if (n > LT_PATH_MAX) {
		n = LT_PATH_MAX;
		ev->ev_flags |= LT_EVF_PATH_TRUNCATED;
	}
	end = LT_HALF + n; /* n counts the NUL */
	if (sc->buf[LT_HALF + 1] != '/') {
		/* Relative: resolve the directory it is relative to. */
		struct path *root = __builtin_preserve_access_index(&fs->root);
		struct file *dir = NULL;
		const struct path *base;

		if (ev->fd == AT_FDCWD) {
			base = __builtin_preserve_access_index(&fs->pwd);
		} else {
			dir = lt_fd_file(task, ev->fd);
			if (!dir) {
				ev->ev_flags |= LT_EVF_BAD_FD;
				goto out;
			}
			base = __builtin_preserve_access_index(&dir->f_path);
		}
		lt_walk_path((__u64)base, (__u64)root, LT_WS_TP);
		off = sc->walk.off;
		if (off > LT_HALF)
			off = LT_HALF;
		sc->buf[LT_HALF] = '/';
		ev->ev_flags |= LT_EVF_PATH_RESOLVED;
		if (sc->walk.truncated)
			ev->ev_flags |= LT_EVF_PATH_TRUNCATED;
	}
out:
	ev->arg_off = LT_HALF + 1 - off;
	return lt_filter_emit(sc, task, off, end - off, false, note_only, use_loop);
}

#endif /* LOCKTRACE_OPEN_BPF_H */

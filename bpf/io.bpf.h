/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * I/O after open, at its exit when it failed: write, read, ftruncate and
 * fallocate, and their variants, on a descriptor resolved to its file and
 * path. (truncate takes a name: it goes the way of an open's, open.bpf.h.)
 * Only a regular file goes on: the failures of pipes, sockets and devices
 * (the EAGAIN of every event loop) stop at the file's type, before the
 * record is begun.
 */
#ifndef LOCKTRACE_IO_BPF_H
#define LOCKTRACE_IO_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "locktrace.h"
#include "event.bpf.h"
#include "netfs.bpf.h"
#include "path.bpf.h"
#include "scratch.bpf.h"
#include "syscalls.bpf.h"

/* include/uapi/linux/stat.h */
#define LT_S_IFMT 00170000
#define LT_S_IFREG 0100000

/*
 * A failed I/O call @sys on a descriptor: the descriptor's file (its path,
 * inode and open flags) and what the call asked; then the path filter and
 * the record. A descriptor that is not open (EBADF) has no path to match:
 * nothing is sent.
 */
static __always_inline int lt_on_io(struct pt_regs *regs, bool ia32, long ret, __u32 sys,
				    bool denied, bool use_loop)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	int fd = lt_arg(regs, ia32, 1);
	struct file *file = lt_fd_file(task, fd);
	struct lt_scratch *sc;
	struct lt_event *ev;
	__u32 off;

	if (!file || (BPF_CORE_READ(file, f_inode, i_mode) & LT_S_IFMT) != LT_S_IFREG)
		return 0;
	sc = lt_begin(sys, ret, denied, ia32);
	if (!sc)
		return 0;
	ev = lt_ev(sc);
	ev->fd = fd;
	lt_io_args(ev, regs, ia32, sys);
	off = lt_file_facts(sc, task, file);
	ev->open_flags = BPF_CORE_READ(file, f_flags);
	/* A network filesystem's answer: by thread (lt_begin), else by the
	 * file, where the server's answer came to the cifsd thread. */
	if (!sc->remote_valid)
		sc->remote_valid = lt_remote_take_file(sc, file, ev->ret);
	sc->buf[LT_HALF] = '\0';
	ev->arg_off = LT_HALF - off;
	return lt_filter_emit(sc, task, off, LT_HALF - off, false, false, use_loop);
}

#endif /* LOCKTRACE_IO_BPF_H */

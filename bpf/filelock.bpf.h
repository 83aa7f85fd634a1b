/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The lock layer's tracepoints (filelock:flock_lock_inode,
 * posix_lock_inode, fcntl_setlk): a blocking request put to sleep begins
 * a wait (lock_waits); a refused one leaves its own view and the holder of
 * the conflicting lock for the call's exit (fl_inflight); a release while
 * some call waits is noted (releases).
 */
#ifndef LOCKTRACE_FILELOCK_BPF_H
#define LOCKTRACE_FILELOCK_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "compat.bpf.h"
#include "filter.bpf.h"
#include "lockconflict.bpf.h"
#include "maps.bpf.h"
#include "notes.bpf.h"

#define EEXIST 17
/* The lock layer's "will wait" verdict (include/linux/filelock.h). */
#define FILE_LOCK_DEFERRED 1

/* The lock layer put this thread's request to sleep behind another lock:
 * note since when and behind whom (the first time only, a wait may be
 * retried). */
static __always_inline int lt_wait_begins(struct file_lock *fl)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct task_struct *task = (void *)bpf_get_current_task();
	struct lt_wait w = {};
	long err;

	/* Kernel threads (lock daemons) wait without a system call to end it. */
	if (!fl || (BPF_CORE_READ(task, flags) & PF_KTHREAD) ||
	    !lt_task_wanted(bpf_get_current_pid_tgid() >> 32))
		return 0;
	w.start_ns = bpf_ktime_get_boot_ns();
	w.blocker_pid = lt_file_lock_blocker_pid(fl);
	err = bpf_map_update_elem(&lock_waits, &tid, &w, BPF_NOEXIST);
	if (!err)
		__sync_fetch_and_add(&waits_pending, 1);
	else if (err != -EEXIST) /* -EEXIST: the same call, asleep again */
		LT_LOSS(lock_waits_full); /* a sleep: again at the wait's next */
	return 0;
}

/* The lock layer's verdict on a request of this thread (flock, or fcntl's
 * POSIX and OFD locks: @posix), kept for the system-call exit. */
static __always_inline int lt_on_filelock(struct inode *inode, struct file_lock *fl, int ret,
					  bool posix)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct lt_fl_facts facts = {};

	if (ret == FILE_LOCK_DEFERRED)
		return lt_wait_begins(fl);
	if (ret >= 0 && !cfg_all)
		return 0;
	if (!fl || !lt_task_wanted(bpf_get_current_pid_tgid() >> 32))
		return 0;
	lt_read_file_lock(fl, &facts);
	facts.ret = ret;
	if (ret < 0 && inode)
		facts.holder_pid = lt_conflicting_pid(inode, fl, posix);
	if (bpf_map_update_elem(&fl_inflight, &tid, &facts, BPF_ANY))
		LT_LOSS(lock_layer_lost);
	return 0;
}

/* filelock:flock_lock_inode, every flock request. Successes cost a compare,
 * and a lookup-free write only while some call waits for a lock. */
static __always_inline int lt_on_flock_lock_inode(struct inode *inode, struct file_lock *fl,
						  int ret)
{
	if (ret == 0) {
		if (waits_pending)
			lt_note_release(inode, fl);
		if (!cfg_all)
			return 0;
	}
	return lt_on_filelock(inode, fl, ret, false);
}

/* filelock:posix_lock_inode, every attempt of a POSIX lock: the "will wait"
 * verdict, and releases. */
static __always_inline int lt_on_posix_lock_inode(struct inode *inode, struct file_lock *fl,
						  int ret)
{
	if (ret == FILE_LOCK_DEFERRED)
		return lt_wait_begins(fl);
	if (ret == 0 && waits_pending)
		lt_note_release(inode, fl);
	return 0;
}

#endif /* LOCKTRACE_FILELOCK_BPF_H */

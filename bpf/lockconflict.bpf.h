/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Who holds the lock that refused a request: the inode's lock list walked
 * for a lock that conflicts with it, as the kernel's own conflict check
 * does, just after the lock layer refused.
 */
#ifndef LOCKTRACE_LOCKCONFLICT_BPF_H
#define LOCKTRACE_LOCKCONFLICT_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "compat.bpf.h"

#define LT_F_WRLCK 1
/* Locks on an inode looked at for a conflict, at most. */
#define LT_MAX_LOCK_WALK 16

/*
 * The process holding a lock on @inode that conflicts with request @req,
 * 0 if none is seen: the inode's flock (or POSIX and OFD) list, walked as
 * the kernel's flock_locks_conflict() / posix_locks_conflict() would, read
 * just after the lock layer refused (its list lock is dropped by then: a
 * lock released in between is simply not found). Only on failures: no
 * bookkeeping of every lock taken.
 */
static __always_inline __u32 lt_conflicting_pid(struct inode *inode, const struct file_lock *req,
						bool posix)
{
	struct file_lock_context *ctx = BPF_CORE_READ(inode, i_flctx);
	struct lt_lock_view r = {}, s = {};
	struct list_head *head, *pos;
	__u64 off;
	int i;

	if (!ctx || !req)
		return 0;
	lt_lock_view(req, &r);
	if (posix)
		head = __builtin_preserve_access_index(&ctx->flc_posix);
	else
		head = __builtin_preserve_access_index(&ctx->flc_flock);
	off = lt_file_lock_list_off(req);
	pos = BPF_CORE_READ(head, next);
	for (i = 0; i < LT_MAX_LOCK_WALK && pos && pos != head; i++) {
		const struct file_lock *fl = (const void *)((char *)pos - off);

		lt_lock_view(fl, &s);
		if ((r.type == LT_F_WRLCK || s.type == LT_F_WRLCK) &&
		    (posix ? s.owner != r.owner && r.start <= s.end && s.start <= r.end :
			     s.file != r.file))
			return s.pid > 0 ? (__u32)s.pid : 0;
		pos = BPF_CORE_READ(pos, next);
	}
	return 0;
}

#endif /* LOCKTRACE_LOCKCONFLICT_BPF_H */

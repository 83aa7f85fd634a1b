/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The cifs client's own record of what its server answered: its
 * tracepoints (the module's, fs/smb/client/trace.h), each kept where the
 * failing call can find it (bpf/netfs.bpf.h).
 *
 *  - smb3_cmd_err: a response's NT status, with its command, session,
 *    tree and message id, and the errno the client made of it
 *    (map_smb2_to_linux_error). In the caller's context for a request it
 *    sent and waits for (open, lock, set EOF); in the client's own thread
 *    (cifsd) for an asynchronous one (read, write), just before it reports
 *    the failed read or write.
 *  - smb3_lock_err, smb3_open_err, smb3_set_eof_err: the caller's failing
 *    operation; smb3_exit_err: the client's entry point that returned the
 *    error (free_xid), the only trace when the client refused by itself
 *    (cifs_lock_add_if: another open of the file through this mount holds
 *    a conflicting lock).
 *  - smb3_read_err, smb3_write_err: in cifsd, with the open file's id:
 *    kept by that id, with the status cifsd saw just before.
 *
 * Only what a wanted process's traced system call causes is kept by
 * thread; cifsd's answers cannot be told apart by process and are kept in
 * small tables that evict the oldest.
 */
#ifndef LOCKTRACE_SMB3_BPF_H
#define LOCKTRACE_SMB3_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "locktrace.h"
#include "filter.bpf.h"
#include "maps.bpf.h"
#include "syscalls.bpf.h"

/* cifsd's answer and the read or write error it reports next are one
 * response's: a few microseconds apart, never this much. */
#define LT_CIFSD_PAIR_NS 1000000000ULL

/* A kernel thread (cifsd, a worker), not a process's system call. */
static __always_inline bool lt_in_kthread(void)
{
	struct task_struct *task = bpf_get_current_task_btf();

	return task->flags & PF_KTHREAD;
}

/*
 * This thread's answer of the system call in progress, begun if there is
 * none yet; NULL when the call is none locktrace traces, or its process is
 * not wanted, or the table is full (counted).
 */
static __always_inline struct lt_remote *lt_remote_slot(void)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct lt_remote_slot fresh = {}, *slot;
	struct pt_regs *regs;
	long nr;

	if (task->flags & PF_KTHREAD)
		return NULL;
	regs = (struct pt_regs *)bpf_task_pt_regs(task);
	nr = LT_SYSCALL_NR(regs);
	if (!lt_maybe_traced_nr(nr) || !lt_sys_of(nr, lt_in_compat_syscall(task)) ||
	    !lt_task_wanted(bpf_get_current_pid_tgid() >> 32))
		return NULL;
	slot = bpf_map_lookup_elem(&remote_tids, &tid);
	if (slot && slot->nr == nr)
		return &slot->r;
	fresh.nr = nr;
	fresh.r.fs = LT_NETFS_CIFS;
	if (slot) {
		/* An earlier call's, whose exit was not seen: this call's now. */
		*slot = fresh;
		return &slot->r;
	}
	if (bpf_map_update_elem(&remote_tids, &tid, &fresh, BPF_NOEXIST)) {
		LT_LOSS(remote_lost);
		return NULL;
	}
	__sync_fetch_and_add(&remotes_pending, 1);
	slot = bpf_map_lookup_elem(&remote_tids, &tid);
	return slot ? &slot->r : NULL;
}

/* smb3_cmd_err: the server's NT status to a request. */
static __always_inline int lt_on_smb3_cmd_err(__u32 tid, __u64 sesid, __u16 cmd, __u64 mid,
					      __u32 status, int rc)
{
	struct lt_remote *r, a = {};

	if (lt_in_kthread()) {
		/* cifsd: for the read or write error it reports next. */
		__u32 me = (__u32)bpf_get_current_pid_tgid();

		a.fs = LT_NETFS_CIFS;
		a.flags = LT_REMOTE_STATUS;
		a.status = status;
		a.cmd = cmd;
		a.mid = mid;
		a.status_rc = rc;
		a.tid = tid;
		a.sesid = sesid;
		a.ts_ns = bpf_ktime_get_boot_ns();
		bpf_map_update_elem(&remote_cifsd, &me, &a, BPF_ANY);
		return 0;
	}
	r = lt_remote_slot();
	if (!r)
		return 0;
	r->flags |= LT_REMOTE_STATUS;
	r->status = status;
	r->cmd = cmd;
	r->mid = mid;
	r->status_rc = rc;
	r->tid = tid;
	r->sesid = sesid;
	r->ts_ns = bpf_ktime_get_boot_ns();
	return 0;
}

/* smb3_lock_err, smb3_open_err, smb3_set_eof_err: the caller's operation
 * failed (@fid 0: the tracepoint has none). */
static __always_inline int lt_on_smb3_op_err(__u16 op, __u64 fid, __u32 tid, __u64 sesid, int rc)
{
	struct lt_remote *r = lt_remote_slot();

	if (!r)
		return 0;
	r->op = op;
	r->rc = rc;
	r->tid = tid;
	r->sesid = sesid;
	if (fid) {
		r->fid = fid;
		r->flags |= LT_REMOTE_FID;
	}
	return 0;
}

/* smb3_exit_err: the client's entry point @func returned @rc. The last
 * to fire in a call is its outermost (cifs_flock, cifs_lock ...). */
static __always_inline int lt_on_smb3_exit_err(const char *func, int rc)
{
	struct lt_remote *r = lt_remote_slot();

	if (!r)
		return 0;
	r->flags |= LT_REMOTE_CLIENT;
	r->rc = rc;
	bpf_probe_read_kernel_str(r->func, sizeof(r->func), func);
	return 0;
}

/* smb3_read_err, smb3_write_err: a read or write of open file @fid
 * refused. In cifsd: kept by the file's id, with the status cifsd saw
 * just before; in the caller's context (a synchronous one): by thread. */
static __always_inline int lt_on_smb3_rw_err(__u16 op, __u64 fid, __u32 tid, __u64 sesid,
					     __u64 offset, __u32 len, int rc)
{
	struct lt_remote_fid_key key = { .fid = fid, .tid = tid };
	__u32 me = (__u32)bpf_get_current_pid_tgid();
	struct lt_remote *r, a = {}, *seen;

	if (!lt_in_kthread()) {
		r = lt_remote_slot();
		if (!r)
			return 0;
		r->op = op;
		r->rc = rc;
		r->fid = fid;
		r->offset = offset;
		r->len = len;
		r->flags |= LT_REMOTE_FID | LT_REMOTE_RANGE;
		return 0;
	}
	a.fs = LT_NETFS_CIFS;
	a.flags = LT_REMOTE_FID | LT_REMOTE_RANGE | LT_REMOTE_BY_FID;
	a.op = op;
	a.rc = rc;
	a.tid = tid;
	a.sesid = sesid;
	a.fid = fid;
	a.offset = offset;
	a.len = len;
	a.ts_ns = bpf_ktime_get_boot_ns();
	seen = bpf_map_lookup_elem(&remote_cifsd, &me);
	if (seen && seen->status_rc == rc && seen->tid == tid &&
	    a.ts_ns - seen->ts_ns < LT_CIFSD_PAIR_NS) {
		a.flags |= LT_REMOTE_STATUS;
		a.status = seen->status;
		a.cmd = seen->cmd;
		a.mid = seen->mid;
		a.status_rc = seen->status_rc;
		bpf_map_delete_elem(&remote_cifsd, &me);
	}
	bpf_map_update_elem(&remote_fids, &key, &a, BPF_ANY);
	return 0;
}

#endif /* LOCKTRACE_SMB3_BPF_H */

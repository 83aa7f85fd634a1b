/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A network filesystem's own answer to a call (struct lt_remote), from the
 * client's tracepoint (bpf/smb3.bpf.h, in the object bpf/netfs.bpf.c) to
 * the record of the call that failed. Two ways:
 *
 *  - by thread: what fires in the caller's own context (an open, a lock:
 *    the request is sent and its answer read while the call waits) is kept
 *    per thread (remote_tids) with the system call it happened in, and
 *    taken, at most once, by that call's exit (lt_begin); every exit of
 *    the thread ends it, whatever comes of the call, while any is kept
 *    (remotes_pending), as the LSM tier's refusals are;
 *  - by file: what the client's own thread (cifsd) reports while the
 *    caller waits (a read or a write refused) is kept by the open file's
 *    id on the server (remote_fids); a failed call on a descriptor finds
 *    it through its file (lt_remote_take_file), whose id is read at the
 *    offsets user space found in the module's BTF (cifs_layout).
 */
#ifndef LOCKTRACE_NETFS_BPF_H
#define LOCKTRACE_NETFS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "locktrace.h"
#include "maps.bpf.h"
#include "scratch.bpf.h"

/* An answer by file older than this is another call's. */
#define LT_REMOTE_FID_MAX_AGE_NS 10000000000ULL

/* Does answer @r explain a call that returned @ret: the server's status,
 * or the client's failing operation or function, gave that errno. */
static __always_inline bool lt_remote_explains(const struct lt_remote *r, long ret)
{
	if ((r->flags & LT_REMOTE_STATUS) && r->status_rc == ret)
		return true;
	return (r->op != LT_ROP_NONE || (r->flags & LT_REMOTE_CLIENT)) && r->rc == ret;
}

/* Drop this thread's answer (remotes_pending follows). */
static __always_inline void lt_remote_drop(__u32 tid)
{
	if (!bpf_map_delete_elem(&remote_tids, &tid))
		__sync_fetch_and_add(&remotes_pending, -1);
}

/*
 * At system-call exit (@nr, @ret), while answers are kept: end this
 * thread's, unless it explains this very call's failure (then lt_begin
 * takes it). None is left to be mistaken for a later call's: one whose
 * call is let go before its record is begun (a process filter, a restart)
 * is ended at the thread's next exit, unless that is the same call
 * failing the same way again, which then gets it.
 */
static __always_inline void lt_remote_end(long nr, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct lt_remote_slot *slot = bpf_map_lookup_elem(&remote_tids, &tid);

	if (!slot)
		return;
	if (ret < 0 && slot->nr == nr && lt_remote_explains(&slot->r, ret))
		return;
	lt_remote_drop(tid);
}

/* The call's record is begun (lt_begin): take this thread's answer into
 * the workspace; true if it explains the failure. It goes either way. */
static __always_inline bool lt_take_remote(struct lt_scratch *sc, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct lt_remote_slot *slot = bpf_map_lookup_elem(&remote_tids, &tid);
	bool ok;

	if (!slot)
		return false;
	ok = ret < 0 && lt_remote_explains(&slot->r, ret);
	if (ok)
		bpf_probe_read_kernel(&sc->remote, sizeof(sc->remote), &slot->r);
	lt_remote_drop(tid);
	return ok;
}

/* A field of @size bytes (8 at most) of the cifs client's structures, at
 * a run-time offset. */
static __always_inline __u64 lt_read_at(const void *base, __u32 off, __u32 size)
{
	__u64 v = 0;

	if (base)
		bpf_probe_read_kernel(&v, size, (const char *)base + off);
	return v;
}

/*
 * A failed call on @file, a cifs file whose server refused a read or a
 * write in the client's own thread: take that answer into the workspace
 * (any event on a descriptor may). True if one explains @ret.
 */
static __always_inline bool lt_remote_take_file(struct lt_scratch *sc, struct file *file, long ret)
{
	struct lt_remote_fid_key key = {};
	struct lt_remote *r;
	__u64 magic, cfile, tlink, tcon;

	if (ret >= 0 || !cifs_layout.valid)
		return false;
	magic = BPF_CORE_READ(file, f_inode, i_sb, s_magic);
	if (magic != LT_CIFS_MAGIC && magic != LT_SMB2_MAGIC)
		return false;
	cfile = (__u64)BPF_CORE_READ(file, private_data);
	key.fid = lt_read_at((void *)cfile, cifs_layout.fid_off, 8);
	tlink = lt_read_at((void *)cfile, cifs_layout.tlink_off, 8);
	tcon = lt_read_at((void *)tlink, cifs_layout.tcon_off, 8);
	key.tid = (__u32)lt_read_at((void *)tcon, cifs_layout.tid_off, 4);
	r = bpf_map_lookup_elem(&remote_fids, &key);
	if (!r || !lt_remote_explains(r, ret) ||
	    bpf_ktime_get_boot_ns() - r->ts_ns > LT_REMOTE_FID_MAX_AGE_NS)
		return false;
	bpf_probe_read_kernel(&sc->remote, sizeof(sc->remote), r);
	bpf_map_delete_elem(&remote_fids, &key);
	return true;
}

#endif /* LOCKTRACE_NETFS_BPF_H */

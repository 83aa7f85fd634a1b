/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The LSM tier: which check inside the kernel refused, on which object.
 *
 * Where each refusal is visible (a denial stops the chain, so no single
 * attach point sees them all):
 *  - the mode bits, ACL and capabilities are checked in inode_permission()
 *    before any security module: fexit on inode_permission names the
 *    refused inode (a directory on the way, or the file) and the access;
 *  - a security module refuses inside a security_<hook>() dispatcher:
 *    fexit on the dispatcher gives the object and the verdict, fexit on
 *    the module's own hook function (selinux_inode_permission,
 *    apparmor_file_open, Landlock's hook_file_open ...: the
 *    LT_LSM_MODULE_HOOK rows of bpf/lsm.def) says which module;
 *  - BPF LSM programs run last, only when every other module allowed, and
 *    once one of them refuses the others on that hook are skipped: a
 *    refusal by another BPF LSM program (a security tool enforcing with
 *    BPF) is seen by fexit on the hook's bpf_lsm_<hook>() function, which
 *    returns the BPF programs' verdict. Our own LSM programs return the
 *    verdict they are given.
 *
 * A refusal is kept per thread (denials), tagged with the system call it
 * happened in, and consumed by that call's raw_syscalls:sys_exit, which
 * appends it to the event when the call failed with the same error. Only
 * refusals are written, after the same process filters as the events; the
 * allowed path costs a compare. Observe only: fexit programs cannot change
 * a return value, and the LSM programs return the verdict they were given.
 *
 * This file is what each program does (bpf/locktrace.bpf.c lists them;
 * the recording itself is bpf/deny.bpf.h). The loader loads them only in
 * the LSM tier, and of the module functions only those of active modules
 * present in the kernel's BTF.
 */
#ifndef LOCKTRACE_LSM_BPF_H
#define LOCKTRACE_LSM_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "locktrace.h"
#include "deny.bpf.h"
#include "maps.bpf.h"
#include "scratch.bpf.h"

#define MAX_ERRNO 4095
#define ECHILD 10

/* ---- the kernel's DAC check ----------------------------------------- */

/* A permission check on @inode refused (@hook). */
static __always_inline int lt_deny_inode_check(__u32 hook, struct inode *inode, int mask, int ret)
{
	struct lt_scratch *sc = lt_deny_begin(hook, ret, mask);

	if (!sc)
		return 0;
	lt_deny_inode(sc, inode);
	lt_deny_walk_inode(sc, inode);
	lt_deny_copy_path(sc, LT_HALF);
	lt_deny_commit(sc);
	return 0;
}

/* inode_permission() returned @ret: a refusal by the mode bits, ACL,
 * capabilities, the immutable flag or a read-only superblock, unless a
 * security module's record of the same refusal is already kept. */
static __always_inline int lt_on_inode_permission(struct inode *inode, int mask, int ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct lt_deny_slot *prev;

	if (!ret || ret == -ECHILD)
		return 0; /* allowed, or an RCU walk to be retried */
	/* A security module refused inside it: keep the module's record. */
	prev = bpf_map_lookup_elem(&denials, &tid);
	if (prev && lt_slot_deny(prev)->hook == LT_HOOK_SEC_INODE_PERMISSION &&
	    lt_slot_deny(prev)->ret == ret &&
	    lt_slot_deny(prev)->ino == BPF_CORE_READ(inode, i_ino))
		return 0;
	return lt_deny_inode_check(LT_HOOK_INODE_PERMISSION, inode, mask, ret);
}

/* ---- the security-module dispatchers ---------------------------------- */

/* A module refused a permission check on @inode (a directory on the way,
 * or the file). */
static __always_inline int lt_on_security_inode_permission(struct inode *inode, int mask, int ret)
{
	if (!ret || ret == -ECHILD)
		return 0;
	return lt_deny_inode_check(LT_HOOK_SEC_INODE_PERMISSION, inode, mask, ret);
}

/* A refusal of an open file (open, lock): the object is the file. */
static __always_inline int lt_deny_file(__u32 hook, struct file *file, __u32 mask, int ret)
{
	struct lt_scratch *sc;

	if (!ret)
		return 0;
	sc = lt_deny_begin(hook, ret, mask);
	if (!sc)
		return 0;
	lt_deny_inode(sc, BPF_CORE_READ(file, f_inode));
	lt_deny_walk(sc, __builtin_preserve_access_index(&file->f_path));
	lt_deny_copy_path(sc, LT_HALF);
	lt_deny_commit(sc);
	return 0;
}

/*
 * A module refused to open @file. bpf_d_path() is allowed here
 * (security_file_open is on the kernel's list for it): the kernel names the
 * file itself, as the process sees it.
 */
static __always_inline int lt_on_security_file_open(struct file *file, int ret)
{
	struct lt_scratch *sc;
	struct lt_deny *d;
	long n;

	if (!ret)
		return 0;
	sc = lt_deny_begin(LT_HOOK_SEC_FILE_OPEN, ret, file->f_flags);
	if (!sc)
		return 0;
	d = lt_slot_deny(&sc->deny);
	lt_deny_inode(sc, file->f_inode);
	n = bpf_d_path((struct path *)&file->f_path, d->path, LT_PATH_MAX);
	if (n > 0 && n <= LT_PATH_MAX) {
		d->path_len = n - 1;
	} else {
		lt_deny_walk(sc, &file->f_path);
		lt_deny_copy_path(sc, LT_HALF);
	}
	lt_deny_commit(sc);
	return 0;
}

/* Creating a file in @dir: the object is the directory, named with the new
 * name after it. */
static __always_inline int lt_on_security_inode_create(struct inode *dir, struct dentry *dentry,
						       umode_t mode, int ret)
{
	struct lt_scratch *sc;

	if (!ret)
		return 0;
	sc = lt_deny_begin(LT_HOOK_SEC_INODE_CREATE, ret, mode);
	if (!sc)
		return 0;
	lt_deny_inode(sc, dir);
	lt_deny_walk_inode(sc, dir);
	lt_deny_copy_path(sc, lt_deny_add_name(sc, dentry));
	lt_deny_commit(sc);
	return 0;
}

/* Likewise, with the directory's path (and mount) given. */
static __always_inline int lt_on_security_path_mknod(const struct path *dir, struct dentry *dentry,
						     umode_t mode, int ret)
{
	struct lt_scratch *sc;

	if (!ret)
		return 0;
	sc = lt_deny_begin(LT_HOOK_SEC_PATH_MKNOD, ret, mode);
	if (!sc)
		return 0;
	lt_deny_inode(sc, BPF_CORE_READ(dir, dentry, d_inode));
	lt_deny_walk(sc, dir);
	lt_deny_copy_path(sc, lt_deny_add_name(sc, dentry));
	lt_deny_commit(sc);
	return 0;
}

/* ---- the modules' own hook functions ---------------------------------- */

/* A module's hook function returned @ret: remember which module it was. */
static __always_inline int lt_module_said(__u32 lsm, int ret)
{
	struct lt_module_verdict v = { .lsm = lsm, .ret = ret };
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), nr;

	if (!ret || !lt_deny_wanted(&nr))
		return 0;
	if (bpf_map_update_elem(&module_verdicts, &tid, &v, BPF_ANY))
		LT_LOSS(notes_lost);
	return 0;
}

/* fexit on a module's hook function, of any arity (@ctx): its return value
 * only, said by module @lsm. */
static __always_inline int lt_on_module_hook(void *ctx, __u32 lsm)
{
	__u64 ret = 0;

	bpf_get_func_ret(ctx, &ret);
	return lt_module_said(lsm, (int)ret);
}

/* ---- BPF LSM: called only when every other module allowed -------------- */

/*
 * Return the verdict we were given (0: the trampoline skips the programs
 * after one that refused). Verifiers since v6.12 ("bpf, lsm: Add check
 * for BPF LSM return value") accept only [-MAX_ERRNO, 0] from these hooks,
 * so no earlier program can have returned anything else there; the bounds
 * below let ours pass that check.
 */
static __always_inline int lt_lsm_pass(int ret)
{
	if (ret > 0 || ret < -MAX_ERRNO)
		return 0;
	return ret;
}

#endif /* LOCKTRACE_LSM_BPF_H */

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * locktrace kernel side: failed (or, with --all, every) open and lock call
 * on a lock path, and failed I/O on one (write, read, truncate, fallocate),
 * with who made it, captured at system-call exit. This file
 * is the list of the programs; what each one does is in the header named
 * above it. Observe only: no program here can change what the kernel
 * decides.
 *
 * Tracepoint tier, every kernel: one BTF raw tracepoint on
 * raw_syscalls:sys_exit reads the arguments back from the saved user
 * registers, so nothing is stored at entry and a successful call costs two
 * compares; the filelock tracepoints add the lock layer's own view of a
 * failed lock call, and avc:selinux_audited SELinux's record of a denial.
 * LSM tier, where fexit and BPF LSM are allowed: which check inside the
 * kernel refused, on which object.
 *
 * The rest, by job:
 *   maps.bpf.h          every map, and the settings user space writes (cfg_*)
 *   scratch.bpf.h       the per-CPU workspaces: record, path buffer, state
 *   syscalls.bpf.h      system-call numbers and arguments, in each ABI
 *   compat.bpf.h        kernel structures that changed between versions
 *   filter.bpf.h        which processes and which paths are wanted
 *   path.bpf.h          paths from dentries, files from descriptors
 *   event.bpf.h         an access record, from start to ring buffer
 *   notes.bpf.h         who created a lock file, who released a lock
 *   sysexit.bpf.h       sys_exit: the hot path, then an open or a lock call
 *   fexit.bpf.h         the fexit plan: the traced calls' own exits instead
 *   open.bpf.h          an open at its exit
 *   lockcall.bpf.h      a lock call at its exit
 *   io.bpf.h            a failed I/O call on a descriptor at its exit
 *   filelock.bpf.h      the lock layer's tracepoints
 *   lockconflict.bpf.h  who holds the lock that refused a request
 *   selinux.bpf.h       SELinux's record of a denial
 *   holders.bpf.h       --holders: locks taken and let go on network shares
 *   lsm.bpf.h           LSM tier: what each hook's program does
 *   deny.bpf.h          LSM tier: the refusal record, hook to system-call exit
 *   netfs.bpf.h         a network filesystem's answer, its tracepoint to the
 *                       failed call's record (by thread, or by open file)
 * The network filesystem's own tracepoints are a BPF object of their own,
 * netfs.bpf.c (smb3.bpf.h), loaded only where its module is: it shares
 * these maps. Shared with user space: locktrace.h (the ABI), lsm.def (the
 * LSM tier's hooks and modules), netfs.def (the network filesystem
 * programs), match.h (the glob matcher).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "locktrace.h"
#include "filelock.bpf.h"
#include "holders.bpf.h"
#include "lsm.bpf.h"
#include "selinux.bpf.h"
#include "fexit.bpf.h"
#include "sysexit.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* ---- LSM tier (lsm.bpf.h) ------------------------------------------- */

/*
 * The kernel's DAC check. inode_permission(idmap, inode, mask): its first
 * argument was a struct user_namespace * from v5.12 ("fs: make permission
 * helpers idmapped mounts aware") and is a struct mnt_idmap * since v6.3;
 * the loader checks the function has the three arguments read here.
 */
SEC("fexit/inode_permission")
int BPF_PROG(lt_fx_inode_permission, void *idmap, struct inode *inode, int mask, int ret)
{
	return lt_on_inode_permission(inode, mask, ret);
}

/* The security-module dispatchers, security_<hook>() (bpf/lsm.def). */
SEC("fexit/security_inode_permission")
int BPF_PROG(lt_fx_security_inode_permission, struct inode *inode, int mask, int ret)
{
	return lt_on_security_inode_permission(inode, mask, ret);
}

SEC("fexit/security_file_open")
int BPF_PROG(lt_fx_security_file_open, struct file *file, int ret)
{
	return lt_on_security_file_open(file, ret);
}

SEC("fexit/security_file_lock")
int BPF_PROG(lt_fx_security_file_lock, struct file *file, unsigned int cmd, int ret)
{
	return lt_deny_file(LT_HOOK_SEC_FILE_LOCK, file, cmd, ret);
}

SEC("fexit/security_inode_create")
int BPF_PROG(lt_fx_security_inode_create, struct inode *dir, struct dentry *dentry, umode_t mode,
	     int ret)
{
	return lt_on_security_inode_create(dir, dentry, mode, ret);
}

SEC("fexit/security_path_mknod")
int BPF_PROG(lt_fx_security_path_mknod, const struct path *dir, struct dentry *dentry, umode_t mode,
	     unsigned int dev, int ret)
{
	return lt_on_security_path_mknod(dir, dentry, mode, ret);
}

/* The modules' own hook functions: lt_mod_<function>, one program for each
 * LT_LSM_MODULE_HOOK row of bpf/lsm.def; any arity, the return value only. */
#define LT_LSM_MODULE_HOOK(ID, func)                        \
	SEC("fexit/" #func)                                 \
	int lt_mod_##func(void *ctx)                        \
	{                                                   \
		return lt_on_module_hook(ctx, LT_LSM_##ID); \
	}
#include "lsm.def"

/* BPF LSM, called only when every other module allowed: these pass on the
 * verdict they are given (another BPF LSM program's refusal is seen by
 * fexit on bpf_lsm_<hook>, above). */
SEC("lsm/inode_permission")
int BPF_PROG(lt_lsm_inode_permission, struct inode *inode, int mask, int ret)
{
	return lt_lsm_pass(ret);
}

SEC("lsm/file_open")
int BPF_PROG(lt_lsm_file_open, struct file *file, int ret)
{
	return lt_lsm_pass(ret);
}

SEC("lsm/file_lock")
int BPF_PROG(lt_lsm_file_lock, struct file *file, unsigned int cmd, int ret)
{
	return lt_lsm_pass(ret);
}

SEC("lsm/inode_create")
int BPF_PROG(lt_lsm_inode_create, struct inode *dir, struct dentry *dentry, umode_t mode, int ret)
{
	return lt_lsm_pass(ret);
}

SEC("lsm/path_mknod")
int BPF_PROG(lt_lsm_path_mknod, const struct path *dir, struct dentry *dentry, umode_t mode,
	     unsigned int dev, int ret)
{
	return lt_lsm_pass(ret);
}

/* ---- tracepoint tier ------------------------------------------------ */

/* Every system call's exit (sysexit.bpf.h). The loader keeps exactly one of
 * these two: bpf_loop() or not. */
SEC("tp_btf/sys_exit")
int BPF_PROG(lt_sys_exit, struct pt_regs *regs, long ret)
{
	return lt_on_sys_exit(regs, ret, true);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(lt_sys_exit_noloop, struct pt_regs *regs, long ret)
{
	return lt_on_sys_exit(regs, ret, false);
}

/* The traced calls' own exit tracepoints, syscalls:sys_exit_<call>
 * (syscalls plan): attached by the loader through perf events, the one
 * program on each; the loader keeps one of the two. */
SEC("tracepoint")
int lt_sc_exit(struct lt_sc_exit_ctx *ctx)
{
	return lt_on_sc_exit(ctx, true);
}

SEC("tracepoint")
int lt_sc_exit_noloop(struct lt_sc_exit_ctx *ctx)
{
	return lt_on_sc_exit(ctx, false);
}

/* A thread's end (syscalls plan): what it left pending goes with it. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(lt_task_exit)
{
	return lt_on_task_exit();
}

/* ---- fexit plan (fexit.bpf.h) ------------------------------------------ */

/* One program on each traced call's entry function (bpf/fexit.def), in
 * place of sys_exit's where trampolines load, each a compare or two, then
 * the slow path: lt_fxc_<ID> tail-calls lt_fxc_slow, lt_fxd_<ID> calls it.
 * A tail call needs the same function prototype in the kernel's BTF as the
 * target's; the loader keeps one of the two for each function. */
#define LT_FEXIT_CALL(ID, func, kind)                              \
	SEC("fexit/" #func)                                        \
	int lt_fxc_##ID(__u64 *ctx)                                \
	{                                                          \
		return lt_on_fexit_call(ctx, LT_FX_##kind, true);  \
	}                                                          \
	SEC("fexit/" #func)                                        \
	int lt_fxd_##ID(__u64 *ctx)                                \
	{                                                          \
		return lt_on_fexit_call(ctx, LT_FX_##kind, false); \
	}
#include "fexit.def"

/* The tail calls' target, loaded (on a function of the same prototype as
 * every entry function's) and never attached. */
SEC("fexit/__x64_sys_openat")
int BPF_PROG(lt_fxc_slow, const struct pt_regs *regs, long ret)
{
	return lt_fexit_slow(regs, ret);
}

/* The lock layer (filelock.bpf.h). */
SEC("tp_btf/flock_lock_inode")
int BPF_PROG(lt_flock_lock_inode, struct inode *inode, struct file_lock *fl, int ret)
{
	return lt_on_flock_lock_inode(inode, fl, ret);
}

SEC("tp_btf/posix_lock_inode")
int BPF_PROG(lt_posix_lock_inode, struct inode *inode, struct file_lock *fl, int ret)
{
	return lt_on_posix_lock_inode(inode, fl, ret);
}

SEC("tp_btf/fcntl_setlk")
int BPF_PROG(lt_fcntl_setlk, struct inode *inode, struct file_lock *fl, int ret)
{
	return lt_on_filelock(inode, fl, ret, true);
}

/* SELinux's record of a denial (selinux.bpf.h). Loaded only where the
 * kernel has this tracepoint. */
SEC("tp_btf/selinux_audited")
int BPF_PROG(lt_selinux_audited, struct selinux_audit_data *sad, char *scontext, char *tcontext,
	     const char *tclass)
{
	return lt_on_selinux_audited(sad, scontext, tcontext, tclass);
}

/* --holders (holders.bpf.h): locks taken and let go on watched filesystems.
 * Loaded only with --holders, the loader keeping one of each pair (bpf_loop()
 * or not, as for sys_exit): without it, nothing more runs on a lock call. */
SEC("tp_btf/flock_lock_inode")
int BPF_PROG(lt_hold_flock, struct inode *inode, struct file_lock *fl, int ret)
{
	return lt_on_hold(inode, fl, ret, false, true);
}

SEC("tp_btf/flock_lock_inode")
int BPF_PROG(lt_hold_flock_noloop, struct inode *inode, struct file_lock *fl, int ret)
{
	return lt_on_hold(inode, fl, ret, false, false);
}

SEC("tp_btf/posix_lock_inode")
int BPF_PROG(lt_hold_posix, struct inode *inode, struct file_lock *fl, int ret)
{
	return lt_on_hold(inode, fl, ret, true, true);
}

SEC("tp_btf/posix_lock_inode")
int BPF_PROG(lt_hold_posix_noloop, struct inode *inode, struct file_lock *fl, int ret)
{
	return lt_on_hold(inode, fl, ret, true, false);
}

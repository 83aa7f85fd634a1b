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
 *    apparmor_file_open, Landlock's hook_file_open ...) says which module;
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
 * The loader loads these programs only in the LSM tier, and of the module
 * functions only those of active modules present in the kernel's BTF.
 */
#ifndef LOCKTRACE_LSM_BPF_H
#define LOCKTRACE_LSM_BPF_H

#include "compat.bpf.h"
#include "scratch.bpf.h"

#define MAX_ERRNO 4095
#define ECHILD 10

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct lt_deny_slot);
} denials SEC(".maps");

/* Entries in denials: when zero, sys_exit looks nothing up. */
__u64 denials_pending;

/* A module's own hook refused: which module, until its dispatcher returns. */
struct lt_module_verdict {
	__u32 lsm; /* enum lt_lsm_id */
	__s32 ret;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct lt_module_verdict);
} module_verdicts SEC(".maps");

/*
 * Is a refusal of the current thread worth keeping: inside a traced system
 * call of a process the filters ask for? *nr is the call.
 */
static __always_inline bool lt_deny_wanted(__u32 *nr)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct pt_regs *regs;
	long n;

	if (task->flags & PF_KTHREAD)
		return false;
	regs = (struct pt_regs *)bpf_task_pt_regs(task);
	n = LT_SYSCALL_NR(regs);
	if (!lt_maybe_traced_nr(n) || !lt_sys_of(n, lt_in_compat_syscall(task)))
		return false;
	*nr = n;
	return lt_task_wanted(bpf_get_current_pid_tgid() >> 32);
}

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

/*
 * Take a free fexit workspace of this CPU; NULL, counted, while programs of
 * other tasks have them all (each preempted half-way through its record).
 * Add, then look: an atomic add cannot be split by preemption, so of the
 * programs racing for one workspace on a CPU at most one sees 1, and those
 * that see more give way.
 */
static __always_inline struct lt_scratch *lt_ws_take(void)
{
	int i;

#pragma unroll
	for (i = 0; i < LT_WS_FEXIT_N; i++) {
		__u32 key = LT_WS_FEXIT + i;
		struct lt_scratch *sc = bpf_map_lookup_elem(&scratch, &key);

		if (!sc)
			break;
		__sync_fetch_and_add(&sc->busy, 1);
		if (*(volatile __u32 *)&sc->busy == 1) {
			sc->ws = key;
			return sc;
		}
		__sync_fetch_and_add(&sc->busy, -1);
	}
	LT_LOSS(workspace_busy);
	return NULL;
}

static __always_inline void lt_ws_give(struct lt_scratch *sc)
{
	__sync_fetch_and_add(&sc->busy, -1);
}

/* Start a refusal record in the fexit workspace, which the caller then has
 * until lt_deny_commit(); NULL: not wanted, or the workspace is busy. */
static __always_inline struct lt_scratch *lt_deny_begin(__u32 hook, int ret, __u32 mask)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), nr;
	struct lt_module_verdict *v;
	struct lt_scratch *sc;
	struct lt_deny *d;

	if (!lt_deny_wanted(&nr))
		return NULL;
	sc = lt_ws_take();
	if (!sc)
		return NULL;
	d = lt_slot_deny(&sc->deny);
	__builtin_memset(d, 0, sizeof(*d));
	sc->deny.nr = nr;
	d->hook = hook;
	d->ret = ret;
	d->mask = mask;
	if (hook == LT_HOOK_INODE_PERMISSION) {
		d->lsm = LT_LSM_NONE;
	} else {
		/* The module whose own hook function just returned this. */
		v = bpf_map_lookup_elem(&module_verdicts, &tid);
		d->lsm = v && v->ret == ret ? v->lsm : LT_LSM_UNKNOWN;
		if (v)
			bpf_map_delete_elem(&module_verdicts, &tid);
	}
	return sc;
}

static __always_inline void lt_deny_inode(struct lt_scratch *sc, struct inode *inode)
{
	struct lt_deny *d = lt_slot_deny(&sc->deny);

	d->ino = BPF_CORE_READ(inode, i_ino);
	d->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	d->i_mode = BPF_CORE_READ(inode, i_mode);
	d->i_uid = BPF_CORE_READ(inode, i_uid.val);
	d->i_gid = BPF_CORE_READ(inode, i_gid.val);
	d->i_flags = BPF_CORE_READ(inode, i_flags);
}

/* Copy the walk's result, buf[off .. end), to the record's path[]. */
static __always_inline void lt_deny_copy_path(struct lt_scratch *sc, __u32 end)
{
	struct lt_deny *d = lt_slot_deny(&sc->deny);
	__u32 off = sc->walk.off, len;

	if (sc->walk.truncated)
		d->flags |= LT_DENY_PATH_TRUNCATED;
	if (off >= LT_HALF && end <= LT_HALF) { /* the root directory */
		off = LT_HALF - 1;
		sc->buf[off] = '/';
	}
	if (off > LT_HALF)
		off = LT_HALF;
	len = end > off ? end - off : 0;
	if (len > LT_PATH_MAX - 1) {
		off += len - (LT_PATH_MAX - 1);
		len = LT_PATH_MAX - 1;
		d->flags |= LT_DENY_PATH_TRUNCATED;
	}
	barrier_var(len);
	len &= LT_PATH_MAX - 1;
	bpf_probe_read_kernel(d->path, len, &sc->buf[off & LT_BUF_MASK]);
	d->path[len] = '\0';
	d->path_len = len;
}

/*
 * A pointer as a plain number: the global function lt_walk_path() takes
 * scalars, and the verifier types the arguments of fexit programs (and what
 * is reached through them) as kernel pointers.
 */
static __always_inline __u64 lt_scalar(const void *p)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), &p);
	return v;
}

/* Name the object at struct path @p (with its mount: as the process sees it). */
static __always_inline void lt_deny_walk(struct lt_scratch *sc, const struct path *p)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct fs_struct *fs = BPF_CORE_READ(task, fs);

	lt_walk_path(lt_scalar(p), (__u64)__builtin_preserve_access_index(&fs->root), sc->ws);
}

/*
 * Name @inode. The path walk in progress (current->nameidata) is at it when
 * a directory on the way or the file being opened is refused: that names it
 * as the process sees it. Otherwise its first dentry, named within its own
 * filesystem.
 */
static __always_inline void lt_deny_walk_inode(struct lt_scratch *sc, struct inode *inode)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct nameidata *nd = NULL;
	struct hlist_node *alias;

	if (bpf_core_field_exists(task->nameidata))
		nd = BPF_CORE_READ(task, nameidata);
	if (nd && BPF_CORE_READ(nd, path.dentry, d_inode) == inode) {
		lt_deny_walk(sc, __builtin_preserve_access_index(&nd->path));
		return;
	}
	alias = BPF_CORE_READ(inode, i_dentry.first);
	sc->fake_path.mnt = NULL;
	sc->fake_path.dentry = alias ? (void *)((char *)alias -
						bpf_core_field_offset(struct dentry, d_u.d_alias)) :
				       NULL;
	lt_slot_deny(&sc->deny)->flags |= LT_DENY_PATH_IN_FS;
	if (!alias) {
		sc->walk.off = LT_HALF;
		sc->walk.truncated = 1;
		return;
	}
	lt_deny_walk(sc, &sc->fake_path);
}

/* Creation hooks: the walk named the directory; add "/name". */
static __always_inline __u32 lt_deny_add_name(struct lt_scratch *sc, struct dentry *dentry)
{
	struct lt_deny *d = lt_slot_deny(&sc->deny);
	struct qstr name = BPF_CORE_READ(dentry, d_name);
	__u32 off = sc->walk.off, len = name.len;

	if (len > LT_NAME_MAX)
		len = LT_NAME_MAX;
	if (off > LT_HALF)
		off = LT_HALF;
	sc->buf[LT_HALF] = '/';
	bpf_probe_read_kernel(&sc->buf[LT_HALF + 1], len & LT_NAME_MAX, name.name);
	d->flags |= LT_DENY_HAS_NAME;
	d->name_off = LT_HALF + 1 - off;
	return LT_HALF + 1 + (len & LT_NAME_MAX);
}

/* Keep the record for this thread's system-call exit; the workspace is
 * given back. */
static __always_inline void lt_deny_commit(struct lt_scratch *sc)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	bool had = bpf_map_lookup_elem(&denials, &tid) != NULL;

	if (bpf_map_update_elem(&denials, &tid, &sc->deny, BPF_ANY))
		LT_LOSS(denials_full);
	else if (!had)
		__sync_fetch_and_add(&denials_pending, 1);
	lt_ws_give(sc);
}

/*
 * At system-call exit (@nr, @ret): take this thread's refusal, if any, into
 * the workspace; true if it explains this failure. Whatever comes of the
 * call, the record goes: none is left to be mistaken for a later call's.
 */
static __always_inline bool lt_take_denial(long nr, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct lt_deny_slot *slot = bpf_map_lookup_elem(&denials, &tid);
	struct lt_scratch *sc;
	bool ok = false;

	if (!slot)
		return false;
	if (slot->nr == nr && ret < 0 && lt_slot_deny(slot)->ret == ret) {
		sc = bpf_map_lookup_elem(&scratch, &ws_tp);
		if (sc) {
			bpf_probe_read_kernel(&sc->deny, sizeof(sc->deny), slot);
			ok = true;
		}
	}
	if (!bpf_map_delete_elem(&denials, &tid))
		__sync_fetch_and_add(&denials_pending, -1);
	return ok;
}

/* ---- the kernel's DAC check ----------------------------------------- */

/*
 * inode_permission(idmap, inode, mask): its first argument was a struct
 * user_namespace * from v5.12 ("fs: make permission helpers idmapped
 * mounts aware") and is a struct mnt_idmap * since v6.3; the loader checks
 * the function has the three arguments read here.
 */
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

SEC("fexit/inode_permission")
int BPF_PROG(lt_fx_inode_permission, void *idmap, struct inode *inode, int mask, int ret)
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

SEC("fexit/security_inode_permission")
int BPF_PROG(lt_fx_security_inode_permission, struct inode *inode, int mask, int ret)
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
 * bpf_d_path() is allowed here (security_file_open is on the kernel's list
 * for it): the kernel names the file itself, as the process sees it.
 */
SEC("fexit/security_file_open")
int BPF_PROG(lt_fx_security_file_open, struct file *file, int ret)
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

SEC("fexit/security_file_lock")
int BPF_PROG(lt_fx_security_file_lock, struct file *file, unsigned int cmd, int ret)
{
	return lt_deny_file(LT_HOOK_SEC_FILE_LOCK, file, cmd, ret);
}

/* Creating a file in @dir: the object is the directory, named with the new
 * name after it. */
SEC("fexit/security_inode_create")
int BPF_PROG(lt_fx_security_inode_create, struct inode *dir, struct dentry *dentry, umode_t mode,
	     int ret)
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

SEC("fexit/security_path_mknod")
int BPF_PROG(lt_fx_security_path_mknod, const struct path *dir, struct dentry *dentry, umode_t mode,
	     unsigned int dev, int ret)
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

/* One fexit per module hook function; any arity, the return value only. */
#define LT_MODULE_HOOK(fn, lsm)                       \
	SEC("fexit/" #fn)                             \
	int lt_mod_##fn(void *ctx)                    \
	{                                             \
		__u64 ret = 0;                        \
                                                      \
		bpf_get_func_ret(ctx, &ret);          \
		return lt_module_said(lsm, (int)ret); \
	}

LT_MODULE_HOOK(selinux_inode_permission, LT_LSM_SELINUX)
LT_MODULE_HOOK(selinux_file_open, LT_LSM_SELINUX)
LT_MODULE_HOOK(selinux_file_lock, LT_LSM_SELINUX)
LT_MODULE_HOOK(selinux_inode_create, LT_LSM_SELINUX)
LT_MODULE_HOOK(apparmor_file_open, LT_LSM_APPARMOR)
LT_MODULE_HOOK(apparmor_file_lock, LT_LSM_APPARMOR)
LT_MODULE_HOOK(apparmor_path_mknod, LT_LSM_APPARMOR)
LT_MODULE_HOOK(hook_file_open, LT_LSM_LANDLOCK)
LT_MODULE_HOOK(hook_path_mknod, LT_LSM_LANDLOCK)
LT_MODULE_HOOK(smack_inode_permission, LT_LSM_SMACK)
LT_MODULE_HOOK(smack_file_open, LT_LSM_SMACK)
LT_MODULE_HOOK(smack_file_lock, LT_LSM_SMACK)
LT_MODULE_HOOK(tomoyo_file_open, LT_LSM_TOMOYO)
LT_MODULE_HOOK(tomoyo_path_mknod, LT_LSM_TOMOYO)
LT_MODULE_HOOK(bpf_lsm_inode_permission, LT_LSM_BPF)
LT_MODULE_HOOK(bpf_lsm_file_open, LT_LSM_BPF)
LT_MODULE_HOOK(bpf_lsm_file_lock, LT_LSM_BPF)
LT_MODULE_HOOK(bpf_lsm_inode_create, LT_LSM_BPF)
LT_MODULE_HOOK(bpf_lsm_path_mknod, LT_LSM_BPF)

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

#endif /* LOCKTRACE_LSM_BPF_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Paths in the kernel: a bounded dentry walk that writes a struct path's
 * name backwards into the scratch buffer, crossing mount points, and stops
 * at the process's own root so the result is the path as the process sees
 * it (what it would pass to open(2)). bpf_d_path() would do this, but it is
 * not allowed from tracepoint programs. And the open file behind a
 * descriptor: its path and its inode.
 */
#ifndef LOCKTRACE_PATH_BPF_H
#define LOCKTRACE_PATH_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "maps.bpf.h"
#include "scratch.bpf.h"

/* Path components walked at most; deeper paths are flagged truncated. */
#define LT_MAX_DEPTH 64

/* One component of the walk: 0 to go on, 1 when done. */
static __always_inline int lt_walk_step(struct lt_scratch *sc)
{
	struct lt_walk *w = &sc->walk;
	struct dentry *dentry = (void *)w->dentry;
	struct vfsmount *vfsmnt = (void *)w->vfsmnt;
	struct mount *mnt = (void *)w->mnt;
	struct dentry *mnt_root, *parent;
	struct qstr name;
	__u32 len, off;

	if (w->dentry == w->root_dentry && w->vfsmnt == w->root_mnt)
		return 1;
	mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
	parent = BPF_CORE_READ(dentry, d_parent);
	if (dentry == mnt_root || dentry == parent) {
		struct mount *mnt_parent = BPF_CORE_READ(mnt, mnt_parent);

		if (dentry != mnt_root || mnt == mnt_parent)
			return 1; /* the global root, or unreachable */
		/* The path within the first mount: buf[mnt_off .. LT_HALF). */
		if (!w->crossed) {
			w->crossed = 1;
			w->mnt_off = w->off;
		}
		/* Step from this mount's root to where it is mounted. */
		w->dentry = (__u64)BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = (__u64)mnt_parent;
		w->vfsmnt = (__u64)mnt_parent + bpf_core_field_offset(struct mount, mnt);
		return 0;
	}
	name = BPF_CORE_READ(dentry, d_name);
	len = name.len;
	if (len > LT_NAME_MAX)
		len = LT_NAME_MAX;
	off = w->off;
	if (off > LT_HALF || len + 1 > off) {
		w->truncated = 1;
		return 1;
	}
	off -= len;
	bpf_probe_read_kernel(&sc->buf[off & LT_HALF_MASK], len, name.name);
	off -= 1;
	sc->buf[off & LT_HALF_MASK] = '/';
	w->off = off;
	w->dentry = (__u64)parent;
	return 0;
}

/*
 * Write the name of the struct path at @path backwards so that it ends at
 * buf[LT_HALF] of workspace @ws; the result is in its walk (off,
 * truncated; mnt_off, where the path within the first mount begins, if
 * crossed). A global function with its state in the map value: the
 * verifier checks it once, with unknown scalars, instead of once per
 * reachable (depth, offset).
 */
__noinline int lt_walk_path(__u64 path, __u64 root, __u32 ws)
{
	struct lt_scratch *sc = bpf_map_lookup_elem(&scratch, &ws);
	const struct path *p = (const void *)path, *r = (const void *)root;
	struct lt_walk *w;
	int i;

	if (!sc)
		return 0;
	w = &sc->walk;
	w->dentry = (__u64)BPF_CORE_READ(p, dentry);
	w->vfsmnt = (__u64)BPF_CORE_READ(p, mnt);
	w->mnt = w->vfsmnt - bpf_core_field_offset(struct mount, mnt);
	w->root_dentry = (__u64)BPF_CORE_READ(r, dentry);
	w->root_mnt = (__u64)BPF_CORE_READ(r, mnt);
	w->off = LT_HALF;
	w->truncated = 0;
	w->crossed = 0;
	w->mnt_off = LT_HALF;
	for (i = 0; i < LT_MAX_DEPTH; i++) {
		if (lt_walk_step(sc))
			return 0;
	}
	w->truncated = 1;
	return 0;
}

/* The event's facts of @inode, the file of @file (its open mode and
 * mount): number, device, filesystem, mode, owner. */
static __always_inline void lt_inode_facts(struct lt_event *ev, struct inode *inode,
					   struct file *file)
{
	ev->f_mode = BPF_CORE_READ(file, f_mode) & 3; /* FMODE_READ | FMODE_WRITE */
	ev->ino = BPF_CORE_READ(inode, i_ino);
	ev->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	ev->fs_magic = BPF_CORE_READ(inode, i_sb, s_magic);
	ev->i_mode = BPF_CORE_READ(inode, i_mode);
	ev->i_uid = BPF_CORE_READ(inode, i_uid.val);
	ev->i_gid = BPF_CORE_READ(inode, i_gid.val);
	ev->mnt_flags = BPF_CORE_READ(file, f_path.mnt, mnt_flags);
	ev->ev_flags |= LT_EVF_HAVE_INODE;
}

/*
 * The open file @file of a descriptor into the record being built in @sc:
 * its path as @task sees it, written to end at buf[LT_HALF] (where it
 * starts is returned), and its inode as the kernel sees it at the call.
 */
static __always_inline __u32 lt_file_facts(struct lt_scratch *sc, struct task_struct *task,
					   struct file *file)
{
	struct lt_event *ev = lt_ev(sc);
	struct fs_struct *fs = BPF_CORE_READ(task, fs);
	struct path *root = __builtin_preserve_access_index(&fs->root);
	struct inode *inode;
	__u32 off;

	lt_walk_path((__u64)__builtin_preserve_access_index(&file->f_path), (__u64)root, LT_WS_TP);
	off = sc->walk.off;
	if (off > LT_HALF)
		off = LT_HALF;
	if (sc->walk.truncated)
		ev->ev_flags |= LT_EVF_PATH_TRUNCATED;
	inode = BPF_CORE_READ(file, f_inode);
	lt_inode_facts(ev, inode, file);
	ev->i_flags = BPF_CORE_READ(inode, i_flags);
	if (off == LT_HALF) { /* the root directory itself */
		off = LT_HALF - 1;
		sc->buf[off] = '/';
	}
	return off;
}

/* The struct file behind descriptor @fd of @task, or NULL. */
static __always_inline struct file *lt_fd_file(struct task_struct *task, int fd)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds;
	struct file *file = NULL;

	if (!fdt || fd < 0 || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
	return file;
}

#endif /* LOCKTRACE_PATH_BPF_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Notes on inodes, kept for explaining later failures: who created a lock
 * file (creators) and who last released a lock on it (releases), by inode
 * (struct lt_inode_key). User space reads creators; releases name who let
 * a waiting lock call go.
 */
#ifndef LOCKTRACE_NOTES_BPF_H
#define LOCKTRACE_NOTES_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "locktrace.h"
#include "compat.bpf.h"
#include "maps.bpf.h"
#include "path.bpf.h"

#define F_UNLCK 2

/* The current process as a note's who, at @mode (struct lt_inode_who). */
static __always_inline void lt_who_now(struct lt_inode_who *w, __u32 mode)
{
	w->since_ns = bpf_ktime_get_boot_ns();
	w->pid = bpf_get_current_pid_tgid() >> 32;
	w->uid = (__u32)bpf_get_current_uid_gid();
	w->mode = mode;
	bpf_get_current_comm(w->comm, sizeof(w->comm));
}

/* The key of @inode in the inode tables (creators, releases); @key zeroed. */
static __always_inline void lt_inode_key_of(struct lt_inode_key *key, struct inode *inode)
{
	key->ino = BPF_CORE_READ(inode, i_ino);
	key->dev = BPF_CORE_READ(inode, i_sb, s_dev);
}

/* A lock file was created by this open (fd): remember by whom. */
static __always_inline void lt_note_creator(int fd)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct file *file = lt_fd_file(task, fd);
	struct lt_inode_key key = {};
	struct lt_inode_who who = {};
	struct inode *inode;

	if (!file)
		return;
	inode = BPF_CORE_READ(file, f_inode);
	lt_inode_key_of(&key, inode);
	lt_who_now(&who, BPF_CORE_READ(inode, i_mode));
	if (bpf_map_update_elem(&creators, &key, &who, BPF_ANY))
		LT_LOSS(notes_lost);
}

/* A lock was released while some call waits: note who let the waiter go
 * (only worth a write then). */
static __always_inline void lt_note_release(struct inode *inode, struct file_lock *fl)
{
	struct lt_inode_key key = {};
	struct lt_inode_who who = {};
	struct lt_fl_facts facts = {};

	if (!inode || !fl)
		return;
	lt_read_file_lock(fl, &facts);
	if (facts.type != F_UNLCK)
		return;
	lt_inode_key_of(&key, inode);
	lt_who_now(&who, F_UNLCK);
	if (bpf_map_update_elem(&releases, &key, &who, BPF_ANY))
		LT_LOSS(notes_lost);
}

#endif /* LOCKTRACE_NOTES_BPF_H */

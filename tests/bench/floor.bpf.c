// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The floor for the benchmark: empty programs on the same attach points as
 * locktrace's tracepoint tier. Their cost is what the kernel charges for
 * attaching there at all; locktrace's overhead is measured against it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_sys_exit, struct pt_regs *regs, long ret)
{
	return 0;
}

SEC("tp_btf/flock_lock_inode")
int BPF_PROG(floor_flock, struct inode *inode, struct file_lock *fl, int ret)
{
	return 0;
}

SEC("tp_btf/posix_lock_inode")
int BPF_PROG(floor_posix, struct inode *inode, struct file_lock *fl, int ret)
{
	return 0;
}

SEC("tp_btf/fcntl_setlk")
int BPF_PROG(floor_setlk, struct inode *inode, struct file_lock *fl, int ret)
{
	return 0;
}

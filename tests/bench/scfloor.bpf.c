// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The per-syscall tracepoint floor for the benchmark: empty programs on the
 * same attach points as locktrace's syscalls plan (user/trace/sysplan.h:
 * syscalls:sys_exit_<call> of the traced calls, the thread's end, the lock
 * layer). Their cost is what the kernel charges for attaching there at all.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define SC_FLOOR(call)                             \
	SEC("tracepoint/syscalls/sys_exit_" #call) \
	int floor_sc_##call(void *ctx)             \
	{                                          \
		return 0;                          \
	}

SC_FLOOR(open)
SC_FLOOR(creat)
SC_FLOOR(openat)
SC_FLOOR(openat2)
SC_FLOOR(flock)
SC_FLOOR(fcntl)
SC_FLOOR(read)
SC_FLOOR(write)
SC_FLOOR(pread64)
SC_FLOOR(pwrite64)
SC_FLOOR(readv)
SC_FLOOR(writev)
SC_FLOOR(truncate)
SC_FLOOR(ftruncate)
SC_FLOOR(fallocate)
SC_FLOOR(preadv)
SC_FLOOR(pwritev)
SC_FLOOR(preadv2)
SC_FLOOR(pwritev2)

SEC("tp_btf/sched_process_exit")
int BPF_PROG(floor_task_exit)
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

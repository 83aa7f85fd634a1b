// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The VM test's refusing BPF LSM program: opens of files named
 * "bpf-denied.lock" get EPERM. It stands for a security tool that enforces
 * with BPF LSM; locktrace must name it ("bpf") as the module that refused.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define EPERM 1

SEC("lsm/file_open")
int BPF_PROG(ltdeny_file_open, struct file *file, int ret)
{
	static const char want[] = "bpf-denied.lock";
	char name[sizeof(want)] = {};

	if (ret)
		return ret;
	bpf_probe_read_kernel_str(name, sizeof(name),
				  BPF_CORE_READ(file, f_path.dentry, d_name.name));
	for (int i = 0; i < (int)sizeof(want); i++)
		if (name[i] != want[i])
			return 0;
	return -EPERM;
}

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
#define MAX_ERRNO 4095

SEC("lsm/file_open")
int BPF_PROG(ltdeny_file_open, struct file *file, int ret)
{
	static const char want[] = "bpf-denied.lock";
	char name[sizeof(want)] = {};
	int err = ret;

	if (!err) {
		bpf_probe_read_kernel_str(name, sizeof(name),
					  BPF_CORE_READ(file, f_path.dentry, d_name.name));
		if (!bpf_strncmp(name, sizeof(name), want))
			err = -EPERM;
	}
	/*
	 * Verifiers since v6.12 ("bpf, lsm: Add check for BPF LSM return
	 * value") accept only [-MAX_ERRNO, 0] from this hook, and must see
	 * it: clang had made "match ? -EPERM : 0" into -(match & 1), whose
	 * range the verifier does not follow through the negation. The
	 * compare is done on the value the compiler cannot fold away.
	 */
	barrier_var(err);
	if (err > 0 || err < -MAX_ERRNO)
		return 0;
	return err;
}

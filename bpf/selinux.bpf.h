/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * SELinux's own record of a denial (avc:selinux_audited): which contexts,
 * which class, which permissions, sent as a struct lt_avc for user space
 * to pair with the failure it causes in the same thread.
 */
#ifndef LOCKTRACE_SELINUX_BPF_H
#define LOCKTRACE_SELINUX_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "locktrace.h"
#include "event.bpf.h"
#include "filter.bpf.h"
#include "maps.bpf.h"

/* A denial SELinux audited; permissive ones (the access went ahead) are
 * not refusals. */
static __always_inline int lt_on_selinux_audited(struct selinux_audit_data *sad, char *scontext,
						 char *tcontext, const char *tclass)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct lt_avc *a;
	__u32 denied;

	if (!sad)
		return 0;
	denied = BPF_CORE_READ(sad, denied);
	/* result 0: permissive, the access went ahead; not a refusal. */
	if (!denied || !BPF_CORE_READ(sad, result) || !lt_task_wanted(id >> 32))
		return 0;
	a = bpf_ringbuf_reserve(&events, sizeof(*a), 0);
	if (!a) {
		lt_count(true);
		return 0;
	}
	a->type = LT_REC_AVC;
	a->size = sizeof(*a);
	a->ts_boot_ns = bpf_ktime_get_boot_ns();
	a->tgid = id >> 32;
	a->tid = (__u32)id;
	a->requested = BPF_CORE_READ(sad, requested);
	a->denied = denied;
	a->result = BPF_CORE_READ(sad, result);
	a->__pad = 0;
	bpf_probe_read_kernel_str(a->tclass, sizeof(a->tclass), tclass);
	bpf_probe_read_kernel_str(a->scontext, sizeof(a->scontext), scontext);
	bpf_probe_read_kernel_str(a->tcontext, sizeof(a->tcontext), tcontext);
	bpf_ringbuf_submit(a, lt_wakeup());
	lt_count(false);
	return 0;
}

#endif /* LOCKTRACE_SELINUX_BPF_H */

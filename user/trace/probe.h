/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What this kernel lets locktrace do, found by trying (loading, and where it
 * matters attaching, a do-nothing program), never by kernel version.
 */
#ifndef LOCKTRACE_PROBE_H
#define LOCKTRACE_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum lt_feature {
	LT_FEAT_BTF, /* /sys/kernel/btf/vmlinux */
	LT_FEAT_RINGBUF, /* BPF ring buffer maps */
	LT_FEAT_TP_BTF, /* BTF raw tracepoints (tp_btf/), the tracepoint tier */
	LT_FEAT_BPF_LOOP, /* the bpf_loop() helper */
	LT_FEAT_FEXIT, /* fentry/fexit programs (BPF trampolines) */
	LT_FEAT_BPF_LSM, /* BPF LSM programs */
	LT_FEAT_NETFS, /* the cifs client's tracepoints (its module's BTF) */
	LT_FEAT_COUNT,
};

struct lt_probe {
	bool ok[LT_FEAT_COUNT];
	char detail[LT_FEAT_COUNT][160]; /* what was tried and what came back */
	char lsm_list[128]; /* active security modules, "" if unknown */
	/* Security modules whose refusals the LSM tier can name: active, with
	 * their hook functions in the kernel's BTF ("apparmor (3), ..."). */
	char attributable[160];
};

/* The module ("selinux", "landlock" ...) whose own hook function @func is,
 * NULL if it is none of those the LSM tier watches. */
const char *lt_lsm_hook_module(const char *func);

/* The cifs module's, whose tracepoints the network filesystem evidence
 * reads (netfs.c). */
#define LT_CIFS_MODULE_PATH "/sys/module/cifs"
#define LT_CIFS_BTF_PATH "/sys/kernel/btf/cifs"

/*
 * Can the cifs programs load now: the module is loaded and its BTF is
 * there? 0, or -ENOENT with *why saying which is missing.
 */
int lt_cifs_available(char *why, size_t len);
/* The fd of kernel module @name's BTF object (to attach to its
 * tracepoints), or -errno; the caller closes it. */
int lt_module_btf_fd(const char *name);

/* Try everything; needs the privileges tracing needs. */
void lt_probe_run(struct lt_probe *p);
/* Does this kernel allow the LSM tier? */
bool lt_probe_lsm_tier(const struct lt_probe *p);
/* What the LSM tier lacks here, one line ("fentry/fexit: ...; BPF LSM: ..."). */
void lt_probe_lsm_missing(const struct lt_probe *p, char *buf, size_t len);
/* The table `locktrace probe` prints, with how to get what is missing. */
void lt_probe_print(const struct lt_probe *p, FILE *out);

#endif /* LOCKTRACE_PROBE_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The BPF side's lifecycle: checks, open, configure, load, attach. */
#ifndef LOCKTRACE_LOADER_H
#define LOCKTRACE_LOADER_H

#include <stdbool.h>
#include <linux/types.h>
#include "locktrace.h"
#include "common/opts.h"

struct locktrace_bpf;

enum lt_tier {
	LT_TIER_TRACEPOINT = 0, /* BTF raw tracepoints: facts at system-call exit */
	LT_TIER_LSM, /* plus fexit and BPF LSM on the permission checks */
};

struct lt_loader {
	struct locktrace_bpf *skel;
	enum lt_tier tier;
	/* Trying the LSM tier under --mode auto: failures are the caller's
	 * to report (it falls back), not errors. */
	bool trying;
	char why[256]; /* why the last load or attach failed */
	const char *lsm_list; /* the active security modules, as the caller read them */
	struct lt_pattern patterns[LT_MAX_PATTERNS]; /* what the kernel filters on */
	int npatterns;
	bool use_loop; /* matcher steps with bpf_loop() */
	int nattached;
	char attached[1024]; /* "raw_syscalls:sys_exit, ..." */
};

/* Privileges and kernel BTF; prints one line and returns an exit code. */
int lt_loader_check(void);
/* Open, configure from opts for l->tier, load and fill the filter maps. */
int lt_loader_load(struct lt_loader *l, const struct lt_opts *opts);
int lt_loader_attach(struct lt_loader *l);
/* Stop the programs: no event is produced after this returns. */
void lt_loader_detach(struct lt_loader *l);
/* Sum the per-CPU counters. */
int lt_loader_stats(struct lt_loader *l, struct lt_stats *out);
/* Runs of the programs that the kernel skipped because a program was
 * already running on that CPU (bpf_prog_info.recursion_misses), summed. */
__u64 lt_loader_recursion_misses(struct lt_loader *l);
int lt_loader_events_fd(struct lt_loader *l);
/* The kernel's table of lock files seen created (struct lt_inode_key/who). */
int lt_loader_creators_fd(struct lt_loader *l);
void lt_loader_destroy(struct lt_loader *l);
/* "tracepoint" or "lsm". */
const char *lt_tier_name(enum lt_tier tier);

#endif /* LOCKTRACE_LOADER_H */

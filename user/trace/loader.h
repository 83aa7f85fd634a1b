/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The BPF side's lifecycle: checks, open, configure, load, attach, detach.
 * The only file that knows the skeleton. Functions return 0 or -errno.
 */
#ifndef LOCKTRACE_LOADER_H
#define LOCKTRACE_LOADER_H

#include <stdbool.h>
#include <linux/types.h>
#include "locktrace.h"
#include "common/opts.h"
#include "sysplan.h"

struct locktrace_bpf;

enum lt_tier {
	LT_TIER_TRACEPOINT = 0, /* BTF raw tracepoints: facts at system-call exit */
	LT_TIER_LSM, /* plus fexit and BPF LSM on the permission checks */
};

/* What to load: the tier and what the kernel filters on. The arrays are
 * the caller's and must outlive lt_loader_load(). */
struct lt_loader_opts {
	enum lt_tier tier;
	enum lt_attach plan; /* where system calls' results are caught: not AUTO */
	const struct lt_sc_ids *sc_ids; /* the syscalls plan's events */
	/* Trying the LSM tier under --mode auto: a failure to load or attach
	 * is the caller's to report (it falls back), not an error said here. */
	bool trying;
	const char *lsm_list; /* the active security modules, as the caller read them */
	const struct lt_pattern *patterns; /* the path filter (the defaults, without -p) */
	int npatterns;
	bool lock_calls_all; /* every flock/fcntl lock call, whatever its path */
	bool all; /* successful calls too */
	const __u32 *pids;
	int npids;
	const __u32 *uids;
	int nuids;
	const char (*comms)[LT_COMM_LEN];
	int ncomms;
	double min_wait_ms; /* blocking lock calls that waited this long */
	__u32 ringbuf_mb; /* the ring buffer's size, a power of two */
	/* --holders: locks taken and let go on these filesystem types */
	bool holders;
	const char (*holders_fs)[LT_FSTYPE_LEN];
	int nholders_fs;
};

/* --holders: locks held at once that the kernel keeps, at most (the holds
 * table); past them an acquisition is reported, its release not (counted). */
#define LT_HOLDS_MAX 16384

struct lt_loader {
	struct locktrace_bpf *skel;
	enum lt_tier tier;
	enum lt_attach plan;
	const struct lt_sc_ids *sc_ids;
	struct bpf_link *sc_links[LT_SC_COUNT]; /* the syscalls plan's, NULL where none */
	bool trying;
	/* The process filters' sizes, for the objects that share its maps. */
	__u32 npids, nuids, ncomms;
	char why[256]; /* why the last load or attach failed */
	bool use_loop; /* matcher steps with bpf_loop() */
	int nfexit; /* the fexit plan's programs loaded (bpf/fexit.def) */
	int nattached;
	char attached[1024]; /* "raw_syscalls:sys_exit, ..." */
};

/* Privileges and kernel BTF; says what is missing in one line. */
int lt_loader_check(void);
/* Open, configure from @o, load and fill the filter maps; @l starts afresh
 * (after lt_loader_destroy(), the same options may load another tier). */
int lt_loader_load(struct lt_loader *l, const struct lt_loader_opts *o);
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
/* The loaded object's map @name (".data.remote" for that section), for an
 * object that shares it (netfs.c); -ENOENT if there is none. */
int lt_loader_map_fd(struct lt_loader *l, const char *name);
/* Where the cifs client keeps an open file's id (bpf/locktrace.h), for the
 * programs that find a network filesystem's answer by file. */
void lt_loader_set_cifs_layout(struct lt_loader *l, const struct lt_cifs_layout *layout);
/* Unload everything (nothing if nothing was loaded). */
void lt_loader_destroy(struct lt_loader *l);
/* "tracepoint" or "lsm". */
const char *lt_tier_name(enum lt_tier tier);

#endif /* LOCKTRACE_LOADER_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The command line: the subcommands, the tracer's options and their usage
 * text. Pure: no I/O but the --help and --version text written to @out
 * and the one-line messages it returns in err.
 */
#ifndef LOCKTRACE_OPTS_H
#define LOCKTRACE_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>
#include "locktrace.h"
#include "share.h"

/*
 * The subcommands: X(name, usage), @usage being the command's line in the
 * usage text after "locktrace ". main.c gives each its handler; without
 * one of them first, locktrace traces.
 */
#define LT_COMMANDS(X)                                                                 \
	X(record, "record -o FILE [OPTIONS]   record to FILE, nothing on stdout")      \
	X(report, "report [OPTIONS] FILE...   a report of recordings (report --help)") \
	X(probe, "probe      what this kernel allows, and how to get the rest")

#define LT_MAX_PIDS 1024
#define LT_MAX_UIDS 1024
#define LT_MAX_COMMS 64
#define LT_MAX_HOLDERS_FS LT_HOLDERS_FS_MAX
/* --host NAME: bytes at most */
#define LT_HOST_MAX 255

/*
 * How system calls' results are caught, --attach: X(ID, name, description).
 * auto resolves to one of the others (user/trace/plan.c).
 */
#define LT_ATTACH_PLANS(X)                                                                        \
	X(AUTO, auto,                                                                             \
	  "fexit where trampolines load and are not preempted, else syscalls, else raw")          \
	X(FEXIT, fexit, "BPF trampolines on the traced calls' entry functions (native and ia32)") \
	X(SYSCALLS, syscalls,                                                                     \
	  "per-syscall exit tracepoints of the traced calls only (no 32-bit calls)")              \
	X(RAW, raw, "raw_syscalls:sys_exit, every system call of the machine")

enum lt_attach {
#define LT_ATTACH_ENUM(ID, name, desc) LT_ATTACH_##ID,
	LT_ATTACH_PLANS(LT_ATTACH_ENUM)
#undef LT_ATTACH_ENUM
		LT_ATTACH_COUNT,
};

/* A plan's name ("syscalls") and one-line description. */
const char *lt_attach_name(enum lt_attach plan);
const char *lt_attach_desc(enum lt_attach plan);
/* The plan named @s; -EINVAL if none. */
int lt_attach_parse(const char *s, enum lt_attach *out);

enum lt_mode {
	LT_MODE_AUTO = 0, /* the richest tier this kernel allows */
	LT_MODE_TRACEPOINT,
	LT_MODE_LSM,
};

struct lt_opts {
	struct lt_pattern patterns[LT_MAX_PATTERNS];
	int npatterns; /* 0: the defaults */
	__u32 pids[LT_MAX_PIDS];
	int npids;
	__u32 uids[LT_MAX_UIDS];
	int nuids;
	char comms[LT_MAX_COMMS][LT_COMM_LEN];
	int ncomms;
	bool all; /* successes too */
	bool json; /* JSON Lines on stdout */
	const char *output; /* -o FILE */
	bool force; /* -o may replace an existing regular file */
	double duration; /* seconds, 0: until interrupted */
	bool wide; /* text: never elide paths */
	bool explain; /* text: why and the fix under each failure */
	bool verbose;
	enum lt_mode mode;
	enum lt_attach attach; /* --attach */
	__u32 ringbuf_mb; /* ring buffer size in MiB (power of two) */
	double min_wait_ms; /* report blocking lock waits this long */
	/* Recording (-o): `locktrace record` keeps standard output quiet. */
	bool record;
	double sync_interval; /* seconds between fsyncs of the file */
	__u64 rotate_bytes; /* 0: never rotate */
	__u32 keep; /* rotated parts kept besides FILE */
	int nice; /* the tracer's own scheduling priority while it runs */
	__u32 facts_timeout_ms; /* a failure's facts are waited for this long */
	/* --holders: report locks taken and let go on these filesystem types
	 * (--holders-fs, else LT_HOLDERS_FS_DEFAULT; the list names the
	 * network mounts of the recording's header either way). */
	bool holders;
	char holders_fs[LT_MAX_HOLDERS_FS][LT_FSTYPE_LEN];
	int nholders_fs;
	const char *host; /* --host: the host the recording's header names */
};

/* --holders' filesystem types without --holders-fs: the kernel's names of
 * the network filesystems' types, and FUSE's (sshfs, blobfuse, glusterfs,
 * ceph-fuse ... mount as "fuse"). */
#define LT_HOLDERS_FS_DEFAULT LT_NETFS_DEFAULT

/* "cifs,nfs4" (a list of filesystem types' names, as the kernel gives
 * them) into list[*n...]; LT_PARSE_OK or LT_PARSE_ERROR (err). */
int lt_parse_fs_list(const char *arg, char (*list)[LT_FSTYPE_LEN], int *n, char *err,
		     size_t errlen);

/* --facts-timeout's default (milliseconds). */
#define LT_FACTS_TIMEOUT_DEFAULT 250

enum lt_parse_result {
	LT_PARSE_OK = 0,
	LT_PARSE_EXIT = 1, /* --help or --version was printed: exit 0 */
	LT_PARSE_ERROR = -1, /* err holds one line: exit 2 */
};

/* err = the message (one line); returns LT_PARSE_ERROR. */
int lt_parse_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A decimal number in [min, max], the whole string; -EINVAL if not. */
int lt_parse_long(const char *s, long min, long max, long *out);
/* "1,2,3" into list[*n...] (numbers >= min, at most max of them); @what
 * names the option in the message err gets. Returns LT_PARSE_OK or
 * LT_PARSE_ERROR. */
int lt_parse_id_list(const char *arg, const char *what, unsigned long min, __u32 *list, int *n,
		     int max, char *err, size_t errlen);

/* "64M" and friends: bytes (K, M, G: powers of 1024); -EINVAL if invalid. */
int lt_parse_size(const char *s, __u64 *out);

/*
 * Parse the tracer's options, argv[1..argc), into opts (argv[0], the
 * program or the subcommand, is skipped); @record: `locktrace record`,
 * which needs -o FILE and keeps standard output quiet. On error, err gets
 * one line (no "locktrace:" prefix, no newline). --help and --version
 * write to out.
 */
int lt_parse_opts(int argc, char **argv, bool record, struct lt_opts *opts, char *err,
		  size_t errlen, FILE *out);

/* The usage text (--help): the subcommands' lines, then the options. */
extern const char lt_usage[];

#endif /* LOCKTRACE_OPTS_H */

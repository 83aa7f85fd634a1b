/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Facts looked up after a failure, for what the tracepoint tier could not
 * capture in the kernel: every path component as the process sees it
 * (through /proc/PID/root while it lives), ACLs, inode flags, the mount and
 * its free space, lock holders, how a descriptor was opened, pid files.
 */
#ifndef LOCKTRACE_FACTS_H
#define LOCKTRACE_FACTS_H

#include "cause.h"

#define LT_NS_CACHE 16

struct lt_ns_pid {
	__u64 mntns;
	__u32 pid;
};

struct lt_facts_ctx {
	char lsm_list[128]; /* active security modules, read once */
	__u64 own_mntns; /* ours: a gone process in the same one shares our view */
	__u64 own_pidns; /* ours: pids written in files mean ours only in it */
	__u64 init_userns; /* inode of the initial user namespace */
	struct lt_ns_pid ns_pid[LT_NS_CACHE]; /* a live process per mount namespace */
	int creators_fd; /* the kernel's creators table, -1 if not loaded */
	struct lt_obj comp[LT_MAX_COMPONENTS]; /* workspace for one event */
};

/* Read what does not change while tracing (security modules, namespaces).
 * Mounts securityfs when it is missing and we may. */
void lt_facts_init(struct lt_facts_ctx *fc);

/* Use the kernel's table of lock files seen created (O_CREAT|O_EXCL). */
void lt_facts_use_maps(struct lt_facts_ctx *fc, int creators_fd);

/* Fill in everything lt_cause_decide() needs for ev. */
void lt_facts_collect(struct lt_facts_ctx *fc, const struct lt_event *ev,
		      struct lt_cause_input *in);

/* Name and real uid of a live process from /proc/PID/status (left as they
 * are if it is gone). */
void lt_proc_comm_uid(__u32 pid, char *comm, __u32 *uid);

/* Names of the permission bits of SELinux class tclass ("write open"),
 * from selinuxfs; hex when it cannot say. */
void lt_selinux_perm_names(const char *tclass, __u32 bits, char *buf, size_t len);

/* Parsers, exposed for the unit tests. */
/* A system.posix_acl_access xattr value; returns entries or -1. */
int lt_acl_parse(const void *buf, size_t len, struct lt_acl_entry *out, int max);
/* One /proc/locks line: the holder and the inode it locks (major, minor,
 * ino); 1 for a holder, 0 for a waiter's line, -1 unparsable. */
int lt_proc_locks_parse(const char *line, struct lt_holder *h, __u32 *major, __u32 *minor,
			__u64 *ino);
/* One /proc/locks line for inode (dev major:minor, ino); fills h and
 * returns 1 when it is a lock on that inode, 0 if not, -1 unparsable. */
int lt_proc_locks_line(const char *line, __u32 major, __u32 minor, __u64 ino, struct lt_holder *h);

#endif /* LOCKTRACE_FACTS_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Facts looked up after a failure, for what the tracepoint tier could not
 * capture in the kernel: every path component as the process sees it
 * (through /proc/PID/root while it lives), ACLs, inode flags, the mount and
 * its free space, lock holders, how a descriptor was opened, what a lock
 * file says of its owner (owner.c parses it).
 * facts.c walks the path and gathers the rest; examine.c looks at each
 * component, mounts.c reads mountinfo, locks.c /proc/locks.
 */
#ifndef LOCKTRACE_FACTS_H
#define LOCKTRACE_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "locktrace.h"
#include "cause.h"
#include "locks.h"
#include "mounts.h"

/* A live process of a mount namespace, for the failures of those gone. */
#define LT_NS_CACHE 16
struct lt_ns_pid {
	__u64 mntns;
	__u32 pid;
};

struct lt_facts_ctx;

/*
 * The caller's hook around lookups that may wait on a filesystem: called
 * before each, with what it is and where: the path's first len bytes, on
 * mount index mount of fc->mounts (-1: not known, a symbolic link was
 * followed on the way). Returns false to skip every remaining filesystem
 * lookup of the event; note then says why. Steps that do not ask the
 * event's filesystems (LT_LOOKUP_ON_FS false) are told with a NULL note and
 * cannot be skipped.
 */
struct lt_facts_watch {
	bool (*step)(void *ctx, const struct lt_facts_ctx *fc, enum lt_lookup what, size_t len,
		     int mount, struct lt_facts_note *note);
	void *ctx;
};

struct lt_facts_ctx {
	char lsm_list[128]; /* active security modules, read once */
	__u64 own_mntns; /* ours: a gone process in the same one shares our view */
	__u64 own_pidns; /* ours: pids written in files mean ours only in it */
	__u64 init_userns; /* inode of the initial user namespace */
	struct lt_ns_pid ns_pid[LT_NS_CACHE]; /* a live process per mount namespace */
	int creators_fd; /* the kernel's creators table, -1 if not loaded */
	struct lt_locks_cache *locks; /* shared; NULL: holders from the kernel only */
	const struct lt_facts_watch *watch; /* NULL: look without a hook */
	char hostname[256]; /* ours: a lock file naming it names this host */
	/* Workspace for one event. */
	const struct lt_event *ev;
	bool redirected; /* a symbolic link was followed: mounts[] may not apply */
	int nmounts; /* mounts[] from "/" to the deepest */
	struct lt_mount_on mounts[LT_MAX_MOUNTS];
	struct lt_obj comp[LT_MAX_COMPONENTS];
};

/* Read what does not change while tracing (security modules, namespaces).
 * Mounts securityfs when it is missing and we may. */
void lt_facts_init(struct lt_facts_ctx *fc);

/* Use the kernel's table of lock files seen created (O_CREAT|O_EXCL). */
void lt_facts_use_maps(struct lt_facts_ctx *fc, int creators_fd);

/* Fill in everything lt_cause_decide() needs for ev but SELinux's denial
 * record (fc's workspace holds the components, in->comp points there). */
void lt_facts_collect(struct lt_facts_ctx *fc, const struct lt_event *ev,
		      struct lt_cause_input *in);

/* What needs no lookup, from the event alone: the LSM tier's record of the
 * refusing check, a lock call's descriptor mode and the holder the kernel
 * named (for a decision without facts). */
void lt_facts_kernel(const struct lt_event *ev, struct lt_cause_input *in);

/* Names of the permission bits of SELinux class tclass ("write open"),
 * from selinuxfs; hex when it cannot say. */
void lt_selinux_perm_names(const char *tclass, __u32 bits, char *buf, size_t len);

#endif /* LOCKTRACE_FACTS_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Facts looked up after a failure, for what the tracepoint tier could not
 * capture in the kernel: every path component as the process sees it
 * (through /proc/PID/root while it lives), ACLs, inode flags, the mount and
 * its free space, lock holders, how a descriptor was opened, pid files.
 */
#ifndef LOCKTRACE_FACTS_H
#define LOCKTRACE_FACTS_H

#include <pthread.h>
#include "cause.h"

#define LT_NS_CACHE 16
/* Mounts on the way to one path, at most (deeper stacks keep the deepest). */
#define LT_MAX_MOUNTS 8
/* /proc/locks lines kept in a snapshot, at most. */
#define LT_LOCKS_MAX 65536
/* Bytes of /proc/locks read at first, and at most. */
#define LT_LOCKS_READ_BUF (256 * 1024)
#define LT_LOCKS_READ_MAX (8 * 1024 * 1024)
/* Time one read of /proc/locks may take: then it is partial. */
#define LT_LOCKS_READ_NS 100000000ULL
/* A snapshot of /proc/locks serves failures up to this long before it. */
#define LT_LOCKS_SLACK_NS 10000000ULL

struct lt_ns_pid {
	__u64 mntns;
	__u32 pid;
};

/* A mount a path goes through: its mount point is the path's first len bytes. */
struct lt_mount_on {
	__u32 s_dev; /* kernel encoding, from mountinfo */
	__u32 len;
	char type[32];
};

/* One lock of /proc/locks, on inode (dev, ino). */
struct lt_proc_lock {
	__u64 ino;
	__u32 dev; /* kernel encoding (MAJOR << 20 | MINOR) */
	__u32 __pad;
	struct lt_holder h; /* comm and uid not filled */
};

/* A snapshot of /proc/locks. */
struct lt_locks_snap {
	struct lt_proc_lock *v; /* sorted by (dev, ino) */
	int n;
	bool partial; /* not all of it: LT_LOCKS_MAX, LT_LOCKS_READ_MAX or _NS */
	__u64 taken_ns; /* CLOCK_BOOTTIME when the read began; 0: never */
};

/*
 * /proc/locks, read at most once for all the failures that happened before
 * the read began (and up to LT_LOCKS_SLACK_NS after it): a storm of lock
 * failures does not read a file of thousands of lines for each. Shared by
 * the fact workers: one reads, the others wait for it.
 */
struct lt_locks_cache {
	pthread_mutex_t lock;
	pthread_cond_t done; /* a read ended */
	struct lt_locks_snap cur;
	bool refreshing; /* a worker is reading it */
	unsigned long long reads;
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

/* Name and real uid of a live process from /proc/PID/status (left as they
 * are if it is gone). */
void lt_proc_comm_uid(__u32 pid, char *comm, __u32 *uid);

/* Names of the permission bits of SELinux class tclass ("write open"),
 * from selinuxfs; hex when it cannot say. */
void lt_selinux_perm_names(const char *tclass, __u32 bits, char *buf, size_t len);

void lt_locks_init(struct lt_locks_cache *c);
void lt_locks_free(struct lt_locks_cache *c);
/* The text of /proc/locks into snap (sorted; its v to free). Returns the
 * number of locks. */
int lt_locks_parse(struct lt_locks_snap *snap, const char *text, size_t len);
/* The locks on inode (dev, ino) in snap, at most max into out. */
int lt_locks_find(const struct lt_locks_snap *snap, __u32 dev, __u64 ino, struct lt_holder *out,
		  int max);

/* One /proc/locks line: the holder and the inode it locks (major, minor,
 * ino); 1 for a holder, 0 for a waiter's line, -1 unparsable. */
int lt_proc_locks_parse(const char *line, struct lt_holder *h, __u32 *major, __u32 *minor,
			__u64 *ino);

#endif /* LOCKTRACE_FACTS_H */

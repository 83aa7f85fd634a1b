/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Who holds a lock on a file: /proc/locks, parsed by hand and cached for
 * the failures around one read of it (a storm of lock failures reads it
 * once), and the holder the kernel named at the refusal.
 */
#ifndef LOCKTRACE_LOCKS_H
#define LOCKTRACE_LOCKS_H

#include <stdbool.h>
#include <stddef.h>
#include <pthread.h>
#include <linux/types.h>
#include "locktrace.h"
#include "cause.h"

/* /proc/locks lines kept in a snapshot, at most. */
#define LT_LOCKS_MAX 65536
/* Bytes of /proc/locks read at first, and at most. */
#define LT_LOCKS_READ_BUF (256 * 1024)
#define LT_LOCKS_READ_MAX (8 * 1024 * 1024)
/* Time one read of /proc/locks may take: then it is partial. */
#define LT_LOCKS_READ_NS 100000000ULL
/* A snapshot of /proc/locks serves failures up to this long before it. */
#define LT_LOCKS_SLACK_NS 10000000ULL

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

void lt_locks_init(struct lt_locks_cache *c);
void lt_locks_free(struct lt_locks_cache *c);
/* The text of /proc/locks into snap (sorted; its v to free). Returns the
 * number of locks. */
int lt_locks_parse(struct lt_locks_snap *snap, const char *text, size_t len);
/* The locks on inode (dev, ino) in snap, at most max into out. */
int lt_locks_find(const struct lt_locks_snap *snap, __u32 dev, __u64 ino, struct lt_holder *out,
		  int max);

/* One /proc/locks line: the holder and the inode it locks (major, minor,
 * ino); 1 for a holder, 0 for a waiter's line, -EINVAL unparsable. */
int lt_proc_locks_parse(const char *line, struct lt_holder *h, __u32 *major, __u32 *minor,
			__u64 *ino);

/* Who holds a lock on ev's inode (from cache, NULL for none, and the
 * holder the kernel named), into in->holders, with their names and uids. */
void lt_locks_holders(struct lt_locks_cache *cache, const struct lt_event *ev,
		      struct lt_cause_input *in);
/* The holder the kernel named at ev's refusal, as far as the request says. */
void lt_kernel_holder(const struct lt_event *ev, struct lt_holder *h);
/* Name and real uid of a live process from /proc/PID/status (left as they
 * are if it is gone). */
void lt_proc_comm_uid(__u32 pid, char *comm, __u32 *uid);

#endif /* LOCKTRACE_LOCKS_H */

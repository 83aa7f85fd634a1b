/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Causes decided off the event reader. The reader never waits on a
 * filesystem: the facts of a failure are looked up (facts.c) by a small
 * pool of worker threads (pool.c), each event waits at most a deadline for
 * its cause, and events leave in the order they came. A lookup that does
 * not answer in time (a stopped FUSE daemon, an NFS or CIFS server gone)
 * leaves its event with cause "unknown" and a note of which lookup, on
 * which mount, did not answer; that mount goes on a slow list, and the
 * failures on it that follow are decided without looking at it, until the
 * stuck lookup returns. Identical failures in a storm share one decision.
 */
#ifndef LOCKTRACE_RESOLVE_H
#define LOCKTRACE_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "explain.h"
#include "facts.h"

/* Events waiting for their cause, at most: a full queue waits for its
 * oldest (at most its deadline) before taking more. */
#define LT_RESOLVE_QUEUE 1024
/* Fact workers; with those stuck in a lookup that does not answer, at most
 * LT_WORKERS_MAX threads. */
#define LT_WORKERS 4
#define LT_WORKERS_MAX 8
/* A failure no worker took waits at most this many deadlines. */
#define LT_QUEUE_WAITS 4
/* Mounts (or, past a symbolic link, paths) on the slow list, at most. */
#define LT_SLOW_MAX 16
/* An identical failure reuses a cause decided up to this long before. */
#define LT_MEMO_SLOTS 256
#define LT_MEMO_NS 1000000000ULL

/* Where a decided event goes, in order: 0, or -EPIPE to stop. v is NULL
 * for an event without a cause (a success). */
typedef int (*lt_emit_fn)(void *ctx, const struct lt_event *ev, const struct lt_verdict *v);
/* What looks up the facts: lt_facts_collect (the unit tests put theirs). */
typedef void (*lt_collect_fn)(struct lt_facts_ctx *fc, const struct lt_event *ev,
			      struct lt_cause_input *in);

struct lt_resolve_cfg {
	const struct lt_facts_ctx *facts; /* copied for each worker */
	struct lt_locks_cache *locks; /* shared by the workers, may be NULL */
	__u64 timeout_ns; /* each event's deadline */
	int workers; /* 0: LT_WORKERS */
	bool explain; /* build --explain's lines too */
	__s64 boot_to_real_ns;
	lt_collect_fn collect; /* NULL: lt_facts_collect */
	lt_emit_fn emit;
	void *emit_ctx;
};

/* Degraded decisions, by reason. */
struct lt_resolve_stats {
	unsigned long long memo_hits; /* causes reused for identical failures */
	unsigned long long facts_timeout; /* a lookup did not answer in time */
	unsigned long long facts_slow_mount; /* skipped: on the slow list */
	unsigned long long facts_busy; /* skipped: no worker free in time */
	int threads, stuck; /* worker threads now, of which stuck in a lookup */
};

struct lt_resolver;

/* Start the workers. 0 or -errno. */
int lt_resolver_new(struct lt_resolver **out, const struct lt_resolve_cfg *cfg);
/*
 * An event from the ring buffer (size bytes; copied if it has to wait),
 * with the SELinux denial behind it if any. Emitted now when nothing is
 * waiting before it and it needs no lookup, else later, in order. 0, or
 * -EPIPE once emit returned it.
 */
int lt_resolver_push(struct lt_resolver *r, const struct lt_event *ev, size_t size,
		     const struct lt_avc *avc);
/* Emit, in order, every event decided or due. final: wait for all of them
 * (each at most until its deadline). 0, or -EPIPE. */
int lt_resolver_drain(struct lt_resolver *r, bool final);
/* Readable when a worker has decided something: poll it with the ring buffer. */
int lt_resolver_fd(const struct lt_resolver *r);
/* Milliseconds until the oldest waiting event is due; -1 if none waits. */
int lt_resolver_due_ms(struct lt_resolver *r);
void lt_resolver_stats(struct lt_resolver *r, struct lt_resolve_stats *st);
/* Stop the workers. One stuck in a lookup cannot be stopped: it and what it
 * uses (the resolver, the locks cache) are left to the process's exit.
 * 0 when all is freed, -EBUSY when left. */
int lt_resolver_free(struct lt_resolver *r);

#endif /* LOCKTRACE_RESOLVE_H */

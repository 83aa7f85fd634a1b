/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The resolver's insides, shared by the event reader's side (resolve.c:
 * the ordered queue, the memo, the deadlines) and the fact workers
 * (pool.c), and included nowhere else. What both touch is under
 * struct lt_resolver's lock; the queue and the memo are the reader's alone.
 */
#ifndef LOCKTRACE_POOL_H
#define LOCKTRACE_POOL_H

#include <stdbool.h>
#include <pthread.h>
#include <linux/types.h>
#include "locktrace.h"
#include "common/buf.h"
#include "cause.h"
#include "facts.h"
#include "resolve.h"

/* What a worker decided, or what the reader decided when it gave up. */
struct lt_result {
	struct lt_cause cause;
	struct lt_buf json; /* ,"cause":{...} */
	struct lt_buf explain; /* --explain's lines */
	char blocker_comm[LT_COMM_LEN];
	char releaser_comm[LT_COMM_LEN];
};

/* Where a worker's lookup is: what, at the path's first len bytes, on
 * which mount (as far as it is known). */
struct lt_where {
	enum lt_lookup lookup;
	__u32 len;
	bool mount_known;
	struct lt_mount_on mount;
};

enum lt_job_state {
	LT_JOB_QUEUED, /* waiting for a worker */
	LT_JOB_RUNNING,
	LT_JOB_DONE, /* res is the worker's decision */
};

/* One decision: for a failure, and the identical ones that share it. */
struct lt_job {
	int refs; /* waiting events, the memo, the worker: under r->lock */
	enum lt_job_state state;
	bool given_up; /* due before decided: tres is the reader's decision */
	__u64 queued_ns, started_ns; /* CLOCK_MONOTONIC; started 0 while queued */
	struct lt_job *next; /* the workers' queue */
	int worker; /* the worker running it */
	struct lt_where where; /* under r->lock */
	bool have_avc;
	struct lt_avc avc;
	struct lt_result res, tres;
	struct lt_event *ev; /* a copy */
};

/* An event waiting to be emitted. */
struct lt_entry {
	struct lt_event *ev;
	bool own_ev; /* ev is ours to free (else the job's) */
	struct lt_job *job; /* NULL: no cause to wait for */
};

/* A mount, or past a symbolic link a path, that did not answer a lookup. */
struct lt_slow {
	bool used;
	bool by_dev; /* s_dev names it, else the path prefix name */
	__u32 s_dev;
	char *name; /* mount point or path */
	char fstype[32];
	__u64 since_ns;
	int stuck; /* workers still waiting on it */
};

struct lt_worker {
	struct lt_resolver *r;
	int idx;
	bool alive;
	bool stuck; /* its job was given up while it waits in a lookup */
	int slow; /* the slow-list entry it holds, -1 */
	struct lt_job *job;
	struct lt_facts_watch watch;
	struct lt_facts_ctx fc;
	struct lt_cause_input in;
};

struct lt_memo {
	__u64 ts_boot_ns; /* the first failure it decided */
	struct lt_job *job; /* NULL: empty; its ev is the failure decided */
};

struct lt_resolver {
	struct lt_resolve_cfg cfg;
	pthread_mutex_t lock;
	pthread_cond_t work; /* a job queued, or stopping */
	int efd; /* eventfd: a job is done */
	bool stopping;
	/* Jobs waiting for a worker, oldest first. */
	struct lt_job *todo, *todo_tail;
	int nthreads, nstuck;
	struct lt_worker *workers[LT_WORKERS_MAX];
	struct lt_slow slow[LT_SLOW_MAX];
	struct lt_resolve_stats st;
	/* The reader's own, unlocked. */
	struct lt_entry q[LT_RESOLVE_QUEUE];
	unsigned int head, count;
	struct lt_memo memo[LT_MEMO_SLOTS];
	struct lt_cause_input tin; /* for decisions the reader makes */
};

/* Drop a reference to job, freed with the last; lt_job_put() under r->lock,
 * lt_job_put_locked() takes it. */
void lt_job_put(struct lt_job *job);
void lt_job_put_locked(struct lt_resolver *r, struct lt_job *job);
/* Start a worker in a free slot. Under lock. 0 or -errno. */
int lt_worker_spawn(struct lt_resolver *r);
/* w's job is due and its lookup has not answered: put what it waits on on
 * the slow list (a new entry said in msg). Under lock. */
void lt_worker_mark_slow(struct lt_resolver *r, struct lt_worker *w, const struct lt_job *job,
			 const struct lt_facts_note *note, struct lt_buf *msg);

#endif /* LOCKTRACE_POOL_H */

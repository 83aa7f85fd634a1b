// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Causes decided off the event reader (see resolve.h), the reader's side:
 * events wait in order in a bounded queue, each for its cause until its
 * deadline; one due and not decided is decided from what the kernel
 * captured, with a note of why the facts are missing. Identical failures
 * in a storm share one decision (the memo). pool.c runs the workers.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include "common/event.h"
#include "common/util.h"
#include "explain.h"
#include "pool.h"
#include "resolve.h"

/*
 * What a cause depends on: the call, the credentials, the namespaces, the
 * object and, for lock calls, the holder the kernel named, for I/O calls
 * what they asked; and the path.
 * Compared whole on a hit, not only by its hash: paths are the users', and
 * one made to collide must not be given another failure's cause.
 */
struct lt_memo_key {
	__s64 ret;
	__u64 cap_eff;
	__u64 ino;
	__s64 lock_start, lock_len;
	__u32 mntns, userns, fsuid, fsgid;
	__u32 ngroups, groups[LT_MAX_GROUPS];
	__u32 syscall, flags, open_flags, lock_cmd, lock_type, f_mode, dev, blocker_pid;
	__s64 io_off; /* I/O calls: what they asked */
	__u64 io_len;
	__u32 io_flags;
	/* A network share's answer: what the cause says of it. */
	__u64 remote_sesid, remote_offset;
	__u32 remote_flags, remote_status, remote_cmd_op, remote_tid, remote_len;
	__s32 remote_status_rc, remote_rc;
	char remote_func[LT_REMOTE_FUNC_MAX];
};

static void memo_key_of(const struct lt_event *ev, struct lt_memo_key *k)
{
	const struct lt_remote *r;

	memset(k, 0, sizeof(*k)); /* padding too: keys are compared whole */
	k->ret = ev->ret;
	k->cap_eff = ev->cap_eff;
	k->ino = ev->ino;
	k->lock_start = ev->lock_start;
	k->lock_len = ev->lock_len;
	k->mntns = ev->mntns;
	k->userns = ev->userns;
	k->fsuid = ev->fsuid;
	k->fsgid = ev->fsgid;
	k->ngroups = ev->ngroups > LT_MAX_GROUPS ? LT_MAX_GROUPS : ev->ngroups;
	memcpy(k->groups, ev->groups, k->ngroups * sizeof(k->groups[0]));
	k->syscall = ev->syscall;
	k->flags = ev->ev_flags & (LT_EVF_HAVE_HOLDER | LT_EVF_BAD_FD | LT_EVF_HAVE_INODE |
				   LT_EVF_PATH_TRUNCATED | LT_EVF_ARGS_UNREADABLE);
	k->open_flags = ev->open_flags;
	k->lock_cmd = ev->lock_cmd;
	k->lock_type = ev->lock_type;
	k->f_mode = ev->f_mode;
	k->dev = ev->dev;
	if (ev->ev_flags & LT_EVF_HAVE_HOLDER)
		k->blocker_pid = ev->blocker_pid;
	k->io_off = ev->io_off;
	k->io_len = ev->io_len;
	k->io_flags = ev->io_flags;
	r = lt_event_remote(ev);
	if (r) {
		k->remote_sesid = r->sesid;
		k->remote_offset = r->offset;
		k->remote_flags = r->flags;
		k->remote_status = r->status;
		k->remote_cmd_op = (__u32)r->cmd << 16 | r->op;
		k->remote_tid = r->tid;
		k->remote_len = r->len;
		k->remote_status_rc = r->status_rc;
		k->remote_rc = r->rc;
		memcpy(k->remote_func, r->func, sizeof(k->remote_func));
	}
}

/* The memo slot of ev (the hash only picks the slot). */
static __u64 memo_hash(const struct lt_event *ev)
{
	struct lt_memo_key k;

	memo_key_of(ev, &k);
	return lt_fnv1a(lt_fnv1a(LT_FNV_BASIS, &k, sizeof(k)), ev->path, ev->path_len);
}

/* Would a and b get the same cause? */
static bool memo_same(const struct lt_event *a, const struct lt_event *b)
{
	struct lt_memo_key ka, kb;

	memo_key_of(a, &ka);
	memo_key_of(b, &kb);
	return !memcmp(&ka, &kb, sizeof(ka)) && a->path_len == b->path_len &&
	       !memcmp(a->path, b->path, a->path_len);
}

static int emit(struct lt_resolver *r, const struct lt_event *ev, struct lt_job *job)
{
	const struct lt_result *res;
	struct lt_verdict v = {};

	if (!job)
		return r->cfg.emit(r->cfg.emit_ctx, ev, NULL);
	res = job->given_up ? &job->tres : &job->res;
	v.cause = res->cause;
	memcpy(v.blocker_comm, res->blocker_comm, sizeof(v.blocker_comm));
	memcpy(v.releaser_comm, res->releaser_comm, sizeof(v.releaser_comm));
	/* Decided text only: the facts it was decided on are gone. */
	v.cause_json = res->json.oom || !res->json.data ? "" : res->json.data;
	v.cause_json_len = res->json.oom ? 0 : res->json.len;
	v.explain = res->explain.oom || !res->explain.data ? "" : res->explain.data;
	v.explain_len = res->explain.oom ? 0 : res->explain.len;
	return r->cfg.emit(r->cfg.emit_ctx, ev, &v);
}

/*
 * job is due and not decided: decide from what the kernel captured, with a
 * note of why the facts are missing; the worker, if one waits in a lookup,
 * is stuck and its mount slow. Under lock; builds tres after unlocking.
 */
static void give_up(struct lt_resolver *r, struct lt_job *job)
{
	struct lt_cause_input *in = &r->tin;
	struct lt_facts_note *note = &in->note;
	const struct lt_event *ev = job->ev;
	struct lt_verdict v = { .in = in };
	struct lt_buf msg = {};

	memset(in, 0, sizeof(*in));
	job->given_up = true;
	note->ms = r->cfg.timeout_ns / 1000000;
	if (job->state == LT_JOB_RUNNING) {
		const struct lt_where *where = &job->where;
		struct lt_worker *w = r->workers[job->worker];

		note->state = LT_FACTS_TIMEOUT;
		note->lookup = where->lookup;
		snprintf(note->path, sizeof(note->path), "%.*s",
			 (int)(where->len < ev->path_len ? where->len : ev->path_len), ev->path);
		if (where->mount_known) {
			snprintf(note->mount, sizeof(note->mount), "%.*s",
				 (int)(where->mount.len < ev->path_len ? where->mount.len :
									 ev->path_len),
				 ev->path);
			snprintf(note->fstype, sizeof(note->fstype), "%s", where->mount.type);
		}
		r->st.facts_timeout++;
		if (!w->stuck) {
			w->stuck = true;
			r->nstuck++;
			if (LT_LOOKUP_ON_FS(where->lookup))
				lt_worker_mark_slow(r, w, job, note, &msg);
			if (r->nthreads < LT_WORKERS_MAX && lt_worker_spawn(r))
				p_debug("cannot start another fact worker");
		}
	} else {
		note->state = LT_FACTS_BUSY;
		r->st.facts_busy++;
	}
	for (int i = 0; i < LT_MEMO_SLOTS; i++) {
		if (r->memo[i].job == job) {
			r->memo[i].job = NULL;
			lt_job_put(job);
		}
	}
	pthread_mutex_unlock(&r->lock);

	if (msg.len && !msg.oom)
		p_warn("%.*s", (int)msg.len, msg.data);
	lt_buf_free(&msg);
	in->ev = ev;
	in->fd_accmode = -1;
	in->boot_to_real_ns = r->cfg.boot_to_real_ns;
	in->creds_in_init_userns = true;
	snprintf(in->lsm_list, sizeof(in->lsm_list), "%s", r->cfg.facts->lsm_list);
	in->avc = job->have_avc ? &job->avc : NULL;
	lt_facts_kernel(ev, in);
	lt_cause_decide(in, &v.cause);
	job->tres.cause = v.cause;
	if (v.cause.kind != LT_CAUSE_NONE)
		lt_cause_json(&job->tres.json, &v);
	if (r->cfg.explain)
		lt_explain(&job->tres.explain, &v);
	pthread_mutex_lock(&r->lock);
}

/*
 * When the reader stops waiting for job: its lookups have the deadline
 * from when a worker took it; a job no worker took waits
 * LT_QUEUE_WAITS deadlines at most, and none at all when every worker is
 * stuck. Under lock.
 */
static __u64 job_due(const struct lt_resolver *r, const struct lt_job *job)
{
	if (job->started_ns)
		return job->started_ns + r->cfg.timeout_ns;
	if (r->nthreads - r->nstuck <= 0)
		return 0;
	return job->queued_ns + LT_QUEUE_WAITS * r->cfg.timeout_ns;
}

/* Until a worker has decided something, or the oldest event is due. */
static void wait_worker(struct lt_resolver *r)
{
	struct pollfd p = { .fd = r->efd, .events = POLLIN };
	int ms = lt_resolver_due_ms(r);
	__u64 done;

	if (poll(&p, 1, ms < 0 ? 0 : ms + 1) > 0 && read(r->efd, &done, sizeof(done)) < 0)
		p_debug("eventfd: %s", strerror(errno));
}

/* Emit the oldest events while they are decided or due. */
static int drain_ready(struct lt_resolver *r, bool wait_all)
{
	while (r->count) {
		struct lt_entry *e = &r->q[r->head];
		int err;

		if (e->job) {
			bool waiting;

			pthread_mutex_lock(&r->lock);
			waiting = e->job->state != LT_JOB_DONE && !e->job->given_up;
			if (waiting && lt_clock_ns(CLOCK_MONOTONIC) >= job_due(r, e->job)) {
				give_up(r, e->job);
				waiting = false;
			}
			pthread_mutex_unlock(&r->lock);
			if (waiting && !wait_all)
				return 0;
			if (waiting) {
				wait_worker(r);
				continue;
			}
		}
		err = emit(r, e->ev, e->job);
		if (e->own_ev)
			free(e->ev);
		if (e->job)
			lt_job_put_locked(r, e->job);
		e->ev = NULL;
		e->job = NULL;
		r->head = (r->head + 1) % LT_RESOLVE_QUEUE;
		r->count--;
		if (err == -EPIPE)
			return err;
	}
	return 0;
}

int lt_resolver_drain(struct lt_resolver *r, bool final)
{
	__u64 drained;

	if (read(r->efd, &drained, sizeof(drained)) < 0 && errno != EAGAIN)
		p_debug("eventfd: %s", strerror(errno));
	return drain_ready(r, final);
}

int lt_resolver_due_ms(struct lt_resolver *r)
{
	const struct lt_entry *e;
	__u64 now, due;

	if (!r->count)
		return -1;
	e = &r->q[r->head];
	if (!e->job)
		return 0;
	pthread_mutex_lock(&r->lock);
	due = e->job->state == LT_JOB_DONE || e->job->given_up ? 0 : job_due(r, e->job);
	pthread_mutex_unlock(&r->lock);
	now = lt_clock_ns(CLOCK_MONOTONIC);
	return due <= now ? 0 : (int)((due - now + 999999) / 1000000);
}

static int enqueue(struct lt_resolver *r, struct lt_event *ev, bool own, struct lt_job *job)
{
	struct lt_entry *e;
	int err;

	/* Full: the oldest goes first (decided, or at its deadline). */
	while (r->count == LT_RESOLVE_QUEUE) {
		err = drain_ready(r, false);
		if (err)
			return err;
		if (r->count == LT_RESOLVE_QUEUE)
			wait_worker(r);
	}
	e = &r->q[(r->head + r->count) % LT_RESOLVE_QUEUE];
	e->ev = ev;
	e->own_ev = own;
	e->job = job;
	r->count++;
	return 0;
}

static struct lt_event *copy_event(const struct lt_event *ev, size_t size)
{
	struct lt_event *c = malloc(size);

	if (c)
		memcpy(c, ev, size);
	return c;
}

/* A new job for ev, queued for the workers. Under lock. */
static struct lt_job *new_job(struct lt_resolver *r, const struct lt_event *ev, size_t size,
			      const struct lt_avc *avc)
{
	struct lt_job *job = calloc(1, sizeof(*job));

	if (!job || !(job->ev = copy_event(ev, size))) {
		free(job);
		return NULL;
	}
	job->refs = 2; /* the queue's entry, the workers' list */
	job->state = LT_JOB_QUEUED;
	job->queued_ns = lt_clock_ns(CLOCK_MONOTONIC);
	if (avc) {
		job->have_avc = true;
		job->avc = *avc;
	}
	/* Queued even when every worker waits on a filesystem: then it is due
	 * at once (job_due), unless a worker comes back first. */
	if (r->todo_tail)
		r->todo_tail->next = job;
	else
		r->todo = job;
	r->todo_tail = job;
	pthread_cond_signal(&r->work);
	return job;
}

int lt_resolver_push(struct lt_resolver *r, const struct lt_event *ev, size_t size,
		     const struct lt_avc *avc)
{
	struct lt_memo *m = NULL;
	struct lt_job *job;
	struct lt_event *copy;
	int err;

	if (ev->ret >= 0 && !(ev->ev_flags & LT_EVF_LOCK_WAIT)) {
		/* No cause: now, unless something waits before it. */
		if (!r->count)
			return emit(r, ev, NULL);
		copy = copy_event(ev, size);
		if (!copy)
			return emit(r, ev, NULL); /* out of order rather than lost */
		err = enqueue(r, copy, true, NULL);
		if (err)
			free(copy);
		return err;
	}
	pthread_mutex_lock(&r->lock);
	/* A storm repeats one failure: decided once, shared for LT_MEMO_NS.
	 * Failures with their own kernel record are always decided afresh. */
	if (!avc && !(ev->ev_flags & (LT_EVF_HAVE_DENY | LT_EVF_LOCK_WAIT))) {
		m = &r->memo[memo_hash(ev) % LT_MEMO_SLOTS];
		if (m->job && ev->ts_boot_ns >= m->ts_boot_ns &&
		    ev->ts_boot_ns - m->ts_boot_ns < LT_MEMO_NS && !m->job->given_up &&
		    !m->job->res.json.oom && !m->job->res.explain.oom &&
		    memo_same(m->job->ev, ev)) {
			job = m->job;
			r->st.memo_hits++;
			if (job->state == LT_JOB_DONE && !r->count) {
				pthread_mutex_unlock(&r->lock);
				return emit(r, ev, job);
			}
			job->refs++;
			pthread_mutex_unlock(&r->lock);
			copy = copy_event(ev, size);
			if (!copy) {
				lt_job_put_locked(r, job);
				return 0; /* counted by the caller as not decided */
			}
			err = enqueue(r, copy, true, job);
			if (err) {
				free(copy);
				lt_job_put_locked(r, job);
			}
			return err;
		}
		lt_job_put(m->job);
		m->job = NULL;
		m->ts_boot_ns = ev->ts_boot_ns;
	}
	job = new_job(r, ev, size, avc);
	if (job && m) {
		m->job = job;
		job->refs++;
	}
	pthread_mutex_unlock(&r->lock);
	if (!job)
		return emit(r, ev, NULL) == -EPIPE ? -EPIPE : -ENOMEM;
	err = enqueue(r, job->ev, false, job);
	if (err)
		lt_job_put_locked(r, job);
	return err;
}

int lt_resolver_fd(const struct lt_resolver *r)
{
	return r->efd;
}

void lt_resolver_stats(struct lt_resolver *r, struct lt_resolve_stats *st)
{
	pthread_mutex_lock(&r->lock);
	*st = r->st;
	st->threads = r->nthreads;
	st->stuck = r->nstuck;
	pthread_mutex_unlock(&r->lock);
}

int lt_resolver_new(struct lt_resolver **out, const struct lt_resolve_cfg *cfg)
{
	struct lt_resolver *r = calloc(1, sizeof(*r));
	int err = 0;

	*out = NULL;
	if (!r)
		return -ENOMEM;
	r->cfg = *cfg;
	if (!r->cfg.workers)
		r->cfg.workers = LT_WORKERS;
	if (r->cfg.workers > LT_WORKERS_MAX)
		r->cfg.workers = LT_WORKERS_MAX;
	if (!r->cfg.collect)
		r->cfg.collect = lt_facts_collect;
	r->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (r->efd < 0) {
		err = -errno;
		free(r);
		return err;
	}
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->work, NULL);
	pthread_mutex_lock(&r->lock);
	for (int i = 0; i < r->cfg.workers && !err; i++)
		err = lt_worker_spawn(r);
	pthread_mutex_unlock(&r->lock);
	if (err) {
		if (lt_resolver_free(r))
			p_debug("a fact worker is left running");
		return err;
	}
	*out = r;
	return 0;
}

int lt_resolver_free(struct lt_resolver *r)
{
	bool left;

	if (!r)
		return 0;
	/* Whatever still waits is emitted before: the caller drained it. */
	for (; r->count; r->count--, r->head = (r->head + 1) % LT_RESOLVE_QUEUE) {
		struct lt_entry *e = &r->q[r->head];

		if (e->own_ev)
			free(e->ev);
		if (e->job)
			lt_job_put_locked(r, e->job);
	}
	pthread_mutex_lock(&r->lock);
	for (int i = 0; i < LT_MEMO_SLOTS; i++) {
		lt_job_put(r->memo[i].job);
		r->memo[i].job = NULL;
	}
	r->stopping = true;
	pthread_cond_broadcast(&r->work);
	/* Idle workers end at once; a stuck one may never. */
	for (int tries = 0; r->nthreads > r->nstuck && tries < 100; tries++) {
		pthread_mutex_unlock(&r->lock);
		usleep(1000);
		pthread_mutex_lock(&r->lock);
	}
	left = r->nthreads > 0;
	while (!left && r->todo) {
		struct lt_job *job = r->todo;

		r->todo = job->next;
		lt_job_put(job);
	}
	pthread_mutex_unlock(&r->lock);
	if (left)
		return -EBUSY; /* still in use by a thread the process's exit ends */
	for (int i = 0; i < LT_WORKERS_MAX; i++)
		free(r->workers[i]);
	for (int i = 0; i < LT_SLOW_MAX; i++)
		free(r->slow[i].name);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->work);
	close(r->efd);
	free(r);
	return 0;
}

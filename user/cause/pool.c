// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The fact workers: threads that take the queued failures one at a time,
 * look up their facts (which may wait on a filesystem that does not
 * answer) and decide them. Each tells, before each lookup, where it is;
 * what is on the slow list is skipped. A worker stuck past its job's
 * deadline is replaced (up to LT_WORKERS_MAX threads) and says so when its
 * lookup returns.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "common/text.h"
#include "common/util.h"
#include "explain.h"
#include "pool.h"

static void result_free(struct lt_result *res)
{
	lt_buf_free(&res->json);
	lt_buf_free(&res->explain);
}

void lt_job_put(struct lt_job *job)
{
	if (!job || --job->refs)
		return;
	result_free(&job->res);
	result_free(&job->tres);
	free(job->ev);
	free(job);
}

void lt_job_put_locked(struct lt_resolver *r, struct lt_job *job)
{
	pthread_mutex_lock(&r->lock);
	lt_job_put(job);
	pthread_mutex_unlock(&r->lock);
}

static bool mount_is_slow(const struct lt_slow *s, const struct lt_facts_ctx *fc)
{
	size_t n = strlen(s->name);

	if (s->by_dev) {
		for (int i = 0; i < fc->nmounts; i++)
			if (fc->mounts[i].s_dev == s->s_dev)
				return true;
		return false;
	}
	return !strncmp(fc->ev->path, s->name, n) &&
	       (fc->ev->path[n] == '/' || fc->ev->path[n] == '\0' || n == 1);
}

/* The watcher's hook (struct lt_facts_watch), before each lookup. */
static bool on_step(void *ctx, const struct lt_facts_ctx *fc, enum lt_lookup what, size_t len,
		    int mount, struct lt_facts_note *note)
{
	struct lt_worker *w = ctx;
	struct lt_resolver *r = w->r;
	struct lt_where *where = &w->job->where;
	bool go = true;

	pthread_mutex_lock(&r->lock);
	where->lookup = what;
	where->len = len;
	where->mount_known = mount >= 0 && mount < fc->nmounts;
	if (where->mount_known)
		where->mount = fc->mounts[mount];
	for (int i = 0; i < LT_SLOW_MAX && go && LT_LOOKUP_ON_FS(what); i++) {
		const struct lt_slow *s = &r->slow[i];

		if (!s->used || !mount_is_slow(s, fc))
			continue;
		go = false;
		note->state = LT_FACTS_SLOW;
		note->lookup = what;
		note->ms = (lt_clock_ns(CLOCK_MONOTONIC) - s->since_ns) / 1000000;
		snprintf(note->fstype, sizeof(note->fstype), "%s", s->fstype);
		snprintf(s->by_dev ? note->mount : note->path, sizeof(note->path), "%s", s->name);
		r->st.facts_slow_mount++;
	}
	pthread_mutex_unlock(&r->lock);
	return go;
}

/* Decide job (a worker, unlocked: it may wait on a filesystem). */
static void decide(struct lt_worker *w, struct lt_job *job)
{
	struct lt_resolver *r = w->r;
	const struct lt_event *ev = job->ev;
	struct lt_cause_input *in = &w->in;
	struct lt_result *res = &job->res;
	struct lt_verdict v = { .in = in };
	__u32 uid;

	w->fc.ev = ev;
	r->cfg.collect(&w->fc, ev, in);
	in->boot_to_real_ns = r->cfg.boot_to_real_ns;
	in->avc = job->have_avc ? &job->avc : NULL;
	if (in->avc)
		lt_selinux_perm_names(in->avc->tclass, in->avc->denied, in->avc_denied,
				      sizeof(in->avc_denied));
	lt_cause_decide(in, &v.cause);
	if (ev->ev_flags & LT_EVF_LOCK_WAIT) {
		lt_proc_comm_uid(ev->blocker_pid, v.blocker_comm, &uid);
		if (ev->releaser_pid)
			lt_proc_comm_uid(ev->releaser_pid, v.releaser_comm, &uid);
	}
	res->cause = v.cause;
	memcpy(res->blocker_comm, v.blocker_comm, sizeof(res->blocker_comm));
	memcpy(res->releaser_comm, v.releaser_comm, sizeof(res->releaser_comm));
	if (v.cause.kind != LT_CAUSE_NONE)
		lt_cause_json(&res->json, &v);
	if (r->cfg.explain)
		lt_explain(&res->explain, &v);
}

static void wake_reader(struct lt_resolver *r)
{
	__u64 one = 1;

	if (write(r->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		p_debug("cannot wake the reader: %s", strerror(errno));
}

/*
 * A stuck worker's lookup returned: the slow entry it held goes when no
 * other worker waits on it. Under lock; returns the entry's name (for the
 * caller to say, unlocked, and free) when it went.
 */
static char *unstick(struct lt_resolver *r, struct lt_worker *w, double *after_s)
{
	struct lt_slow *s = w->slow >= 0 ? &r->slow[w->slow] : NULL;
	char *name;

	w->stuck = false;
	r->nstuck--;
	w->slow = -1;
	if (!s || --s->stuck > 0)
		return NULL;
	name = s->name;
	*after_s = (lt_clock_ns(CLOCK_MONOTONIC) - s->since_ns) / 1e9;
	memset(s, 0, sizeof(*s));
	return name;
}

static void *worker_main(void *arg)
{
	struct lt_worker *w = arg;
	struct lt_resolver *r = w->r;

	pthread_mutex_lock(&r->lock);
	for (;;) {
		struct lt_job *job;
		char *answers;
		double after_s;
		bool was_stuck;

		while (!r->todo && !r->stopping)
			pthread_cond_wait(&r->work, &r->lock);
		if (r->stopping)
			break;
		job = r->todo;
		r->todo = job->next;
		if (!r->todo)
			r->todo_tail = NULL;
		if (job->given_up) { /* due before any worker was free */
			lt_job_put(job);
			continue;
		}
		job->state = LT_JOB_RUNNING;
		job->started_ns = lt_clock_ns(CLOCK_MONOTONIC);
		job->worker = w->idx;
		w->job = job;
		wake_reader(r); /* its deadline starts now */
		pthread_mutex_unlock(&r->lock);

		decide(w, job);

		pthread_mutex_lock(&r->lock);
		job->state = LT_JOB_DONE;
		w->job = NULL;
		was_stuck = w->stuck;
		answers = was_stuck ? unstick(r, w, &after_s) : NULL;
		lt_job_put(job);
		wake_reader(r);
		if (answers) {
			struct lt_buf msg = {};

			pthread_mutex_unlock(&r->lock);
			lt_text_str(&msg, answers, strlen(answers), false);
			if (!msg.oom)
				p_warn("%.*s answers again after %.1f s; its facts are looked up "
				       "again",
				       (int)msg.len, msg.data, after_s);
			lt_buf_free(&msg);
			free(answers);
			pthread_mutex_lock(&r->lock);
		}
		/* A replacement took over while this one was stuck. */
		if (was_stuck && r->nthreads > r->cfg.workers)
			break;
	}
	w->alive = false;
	r->nthreads--;
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

int lt_worker_spawn(struct lt_resolver *r)
{
	pthread_attr_t attr;
	struct lt_worker *w = NULL;
	pthread_t tid;
	int i, err;

	for (i = 0; i < LT_WORKERS_MAX; i++) {
		if (!r->workers[i]) {
			r->workers[i] = calloc(1, sizeof(*w));
			if (!r->workers[i])
				return -ENOMEM;
		}
		if (!r->workers[i]->alive) {
			w = r->workers[i];
			break;
		}
	}
	if (!w)
		return -EAGAIN;
	w->r = r;
	w->idx = i;
	w->stuck = false;
	w->slow = -1;
	w->job = NULL;
	w->fc = *r->cfg.facts;
	w->fc.locks = r->cfg.locks;
	w->watch.step = on_step;
	w->watch.ctx = w;
	w->fc.watch = &w->watch;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	err = pthread_create(&tid, &attr, worker_main, w);
	pthread_attr_destroy(&attr);
	if (err)
		return -err;
	w->alive = true;
	r->nthreads++;
	return 0;
}

void lt_worker_mark_slow(struct lt_resolver *r, struct lt_worker *w, const struct lt_job *job,
			 const struct lt_facts_note *note, struct lt_buf *msg)
{
	const struct lt_where *where = &job->where;
	struct lt_slow *s, *free_slot = NULL;
	bool by_dev = where->mount_known;
	const char *name = by_dev ? note->mount : note->path;

	for (int i = 0; i < LT_SLOW_MAX; i++) {
		s = &r->slow[i];
		if (!s->used) {
			free_slot = free_slot ?: s;
			continue;
		}
		if (s->by_dev == by_dev &&
		    (by_dev ? s->s_dev == where->mount.s_dev : !strcmp(s->name, name))) {
			s->stuck++;
			w->slow = i;
			return;
		}
	}
	if (!free_slot || !(name = strdup(name)))
		return; /* the cap on stuck workers still bounds it */
	s = free_slot;
	s->used = true;
	s->by_dev = by_dev;
	s->s_dev = where->mount.s_dev;
	s->name = (char *)name;
	snprintf(s->fstype, sizeof(s->fstype), "%s", by_dev ? where->mount.type : "");
	s->since_ns = lt_clock_ns(CLOCK_MONOTONIC);
	s->stuck = 1;
	w->slow = s - r->slow;
	/* Names are the users': shown as the text view shows them. */
	lt_text_str(msg, s->name, strlen(s->name), false);
	if (by_dev) { /* a FUSE subtype is the mounting user's too */
		lt_buf_puts(msg, " (");
		lt_text_str(msg, s->fstype, strlen(s->fstype), false);
		lt_buf_puts(msg, ")");
	}
	lt_buf_printf(msg,
		      " did not answer a lookup within %u ms; its failures are reported "
		      "without looking at it until it does",
		      note->ms);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The report's aggregation beyond counts: failures grouped (the same path,
 * error, cause, command and uid), contention on each lock (holders,
 * waiters, the longest waits), the timeline of failures (points, then
 * time buckets); and all of it sorted for the formats when reading ends.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "group.h"
#include "model.h"
#include "parse.h"
#include "table.h"
#include "xhost.h"

/* ---- fields ------------------------------------------------------------- */

/* A field as a C string, cut to the buffer (fixed-size command names). */
static const char *cstr(const struct lt_str *f, char *buf, size_t len)
{
	size_t n = f->n < len - 1 ? f->n : len - 1;

	if (f->s)
		memcpy(buf, f->s, n);
	else
		n = 0;
	buf[n] = '\0';
	/* An embedded NUL ends it, as it would anyway. */
	return buf;
}

/* A command name for the fixed-size who-lists: at most LT_COMM_LEN - 1
 * bytes (a kept name holds no NUL). */
static void copy_comm(char *dst, struct lt_str comm)
{
	size_t n = comm.n < LT_COMM_LEN - 1 ? comm.n : LT_COMM_LEN - 1;

	memcpy(dst, comm.s, n);
	dst[n] = '\0';
}

/* Put s[0..n) and a NUL at p; where the next one goes. */
static char *put0(char *p, struct lt_str f)
{
	memcpy(p, f.s, f.n);
	p[f.n] = '\0';
	return p + f.n + 1;
}

/* ---- the timeline ------------------------------------------------------- */

/* Widen the time buckets until @u is in them: each doubling adds pairs of
 * buckets together, bins_lo staying a multiple of the buckets' span. */
static void bins_fit(struct lt_report *r, __u64 u)
{
	for (;;) {
		unsigned int span = r->bins_shift + LT_REP_BINS_LOG;
		__u64 lo, off;

		if (span >= 64 || (u >= r->bins_lo && (u - r->bins_lo) >> span == 0))
			return;
		lo = span + 1 >= 64 ? 0 : r->bins_lo & ~((2ULL << span) - 1);
		off = (r->bins_lo - lo) >> (r->bins_shift + 1); /* 0 or LT_REP_BINS / 2 */
		for (size_t k = 0; k < r->bins_rows; k++) {
			unsigned long long *b = r->bins + k * LT_REP_BINS;

			if (!off) {
				for (size_t j = 0; j < LT_REP_BINS / 2; j++)
					b[j] = b[2 * j] + b[2 * j + 1];
				memset(b + LT_REP_BINS / 2, 0, LT_REP_BINS / 2 * sizeof(*b));
			} else {
				for (size_t j = LT_REP_BINS / 2; j-- > 0;)
					b[LT_REP_BINS / 2 + j] = b[2 * j] + b[2 * j + 1];
				memset(b, 0, LT_REP_BINS / 2 * sizeof(*b));
			}
		}
		r->bins_lo = lo;
		r->bins_shift++;
	}
}

static void bins_add(struct lt_report *r, __s64 t, __u32 kind, unsigned long long n)
{
	__u64 u = lt_rep_time_ord(t);
	size_t row = kind < r->bins_rows - 1 ? kind : r->bins_rows - 1;

	bins_fit(r, u);
	r->bins[row * LT_REP_BINS + ((u - r->bins_lo) >> r->bins_shift)] += n;
}

/* From one point a failure to time buckets: the points go into them. */
static bool bins_start(struct lt_report *r)
{
	r->bins_rows = r->by_cause.max + 1;
	r->bins = calloc(r->bins_rows * LT_REP_BINS, sizeof(*r->bins));
	if (!r->bins) {
		r->oom = true;
		return false;
	}
	r->bins_shift = 0;
	r->bins_lo = lt_rep_time_ord(r->points[0].t_us) & ~(__u64)(LT_REP_BINS - 1);
	for (size_t i = 0; i < r->npoints; i++)
		bins_add(r, r->points[i].t_us, r->points[i].cause, 1);
	free(r->points);
	r->points = NULL;
	r->npoints = r->points_cap = 0;
	return true;
}

void lt_rep_point_add(struct lt_report *r, __s64 t, const struct lt_rep_count *kind)
{
	if (r->npoints && r->npoints >= r->points_max && !r->bins && !bins_start(r))
		return;
	if (r->bins) {
		bins_add(r, t, kind ? kind->index : UINT32_MAX, 1);
		return;
	}
	if (r->npoints == r->points_cap) {
		size_t cap = r->points_cap ? r->points_cap * 2 : 1024;
		struct lt_rep_point *p = realloc(r->points, cap * sizeof(*p));

		if (!p) {
			r->oom = true;
			return;
		}
		r->points = p;
		r->points_cap = cap;
	}
	r->points[r->npoints].t_us = t;
	r->points[r->npoints].cause = kind ? kind->index : UINT32_MAX;
	r->npoints++;
}

/* ---- groups ------------------------------------------------------------- */

void lt_rep_group_add(struct lt_report *r, __s64 t, const struct lt_rep_fields *f, __u32 uid)
{
	char *key, *p;
	size_t n, extra;
	struct lt_rep_group *g;
	bool added;

	/* The key: path, error, cause, comm, uid and the call (a refused
	 * flock and the write refused after it have each their why), each
	 * ending in a NUL (none of them holds one): the six are told apart
	 * exactly. */
	n = f->path.n + 1 + f->error.n + 1 + f->kind.n + 1 + f->comm.n + 1 + f->uid.n + 1 +
	    f->event.n;
	key = r->scratch + r->scratch_used;
	if (r->scratch_used + n + 1 > LT_REP_SCRATCH) {
		r->oom = true; /* cannot happen: the fields are bounded */
		return;
	}
	p = put0(key, f->path);
	p = put0(p, f->error);
	p = put0(p, f->kind);
	p = put0(p, f->comm);
	p = put0(p, f->uid);
	put0(p, f->event);
	extra = f->detail.n + 1 + f->fix.n + 1 + f->lsm.n + 1 + f->evidence.n + 1;
	g = lt_rep_tab_get(r, &r->group_set, sizeof(*g), key, n, lt_rep_hash(r, key, n), extra,
			   &added);
	if (!g)
		return;
	if (!added) {
		g->count++;
		if (t < g->first_us)
			g->first_us = t;
		if (t > g->last_us)
			g->last_us = t;
		return;
	}
	/* The key follows the struct, the other strings follow the key. */
	g->path = g->key.s;
	g->error = g->path + f->path.n + 1;
	g->cause = g->error + f->error.n + 1;
	g->comm = g->cause + f->kind.n + 1;
	g->event = g->comm + f->comm.n + 1 + f->uid.n + 1;
	g->detail = g->key.s + n + 1;
	g->fix = put0(g->detail, f->detail);
	g->lsm = put0(g->fix, f->fix);
	g->evidence = put0(g->lsm, f->lsm);
	put0(g->evidence, f->evidence);
	g->uid = uid;
	g->count = 1;
	g->first_us = g->last_us = t;
}

/* ---- contention --------------------------------------------------------- */

static struct lt_rep_lock *lock_of(struct lt_report *r, const struct lt_rep_fields *f)
{
	bool added;

	return lt_rep_tab_get(r, &r->lock_set, sizeof(struct lt_rep_lock), f->path.s, f->path.n,
			      f->path_hash, 0, &added);
}

/* Count @pid in a who-list, keeping the most frequent LT_REP_WHO_MAX. */
static void who_add(struct lt_rep_who *list, int *n, __u32 pid, __u32 uid, struct lt_str comm)
{
	int i, min = 0;

	for (i = 0; i < *n; i++) {
		if (list[i].pid == pid) {
			list[i].n++;
			return;
		}
		if (list[i].n < list[min].n)
			min = i;
	}
	if (*n < LT_REP_WHO_MAX)
		i = (*n)++;
	else if (list[min].n <= 1)
		i = min;
	else
		return;
	list[i].pid = pid;
	list[i].uid = uid;
	list[i].n = 1;
	copy_comm(list[i].comm, comm);
}

void lt_rep_lock_held(struct lt_report *r, const struct lt_rep_fields *f, __u32 pid, __u32 uid,
		      const struct lt_rep_rec *e)
{
	struct lt_rep_lock *l = lock_of(r, f);
	char c[LT_COMM_LEN];

	if (!l)
		return;
	l->refused++;
	who_add(l->waiters, &l->nwaiters, pid, uid, f->comm);
	for (int i = 0; i < e->nholders; i++) {
		cstr(&e->holders[i].comm, c, sizeof(c));
		who_add(l->holders, &l->nholders, e->holders[i].pid, e->holders[i].uid,
			(struct lt_str){ c, strlen(c) });
	}
}

void lt_rep_lock_wait(struct lt_report *r, __s64 t, const struct lt_rep_fields *f, __u32 pid,
		      __u32 uid, const struct lt_rep_rec *e)
{
	struct lt_rep_lock *l = lock_of(r, f);
	struct lt_rep_wait w = { .t_us = t, .pid = pid };
	int i;

	if (!l)
		return;
	w.wait_us = e->wait_us > 0 ? (__u64)e->wait_us : 0;
	copy_comm(w.comm, f->comm);
	w.holder_pid = e->holder_pid;
	cstr(&e->holder_comm, w.holder_comm, sizeof(w.holder_comm));
	l->waits++;
	if (w.wait_us > UINT64_MAX - l->wait_total_us)
		l->wait_total_us = UINT64_MAX; /* saturated: a recording may claim any wait */
	else
		l->wait_total_us += w.wait_us;
	if (w.wait_us > l->wait_max_us)
		l->wait_max_us = w.wait_us;
	who_add(l->waiters, &l->nwaiters, pid, uid, f->comm);
	if (w.holder_pid)
		who_add(l->holders, &l->nholders, w.holder_pid, 0,
			(struct lt_str){ w.holder_comm, strlen(w.holder_comm) });
	/* Keep the longest, longest first. */
	for (i = l->nlongest; i > 0 && l->longest[i - 1].wait_us < w.wait_us; i--)
		if (i < LT_REP_WAITS_MAX)
			l->longest[i] = l->longest[i - 1];
	if (i < LT_REP_WAITS_MAX) {
		l->longest[i] = w;
		if (l->nlongest < LT_REP_WAITS_MAX)
			l->nlongest++;
	}
}

/* ---- the end of reading ------------------------------------------------- */

static int group_cmp(const void *a, const void *b)
{
	const struct lt_rep_group *x = *(const struct lt_rep_group *const *)a;
	const struct lt_rep_group *y = *(const struct lt_rep_group *const *)b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->first_us != y->first_us)
		return x->first_us < y->first_us ? -1 : 1;
	return lt_rep_key_cmp(&x->key, &y->key);
}

static int lock_cmp(const void *a, const void *b)
{
	const struct lt_rep_lock *x = *(const struct lt_rep_lock *const *)a;
	const struct lt_rep_lock *y = *(const struct lt_rep_lock *const *)b;
	unsigned long long nx = x->refused + x->waits, ny = y->refused + y->waits;

	if (nx != ny)
		return nx > ny ? -1 : 1;
	if (x->wait_max_us != y->wait_max_us)
		return x->wait_max_us > y->wait_max_us ? -1 : 1;
	return lt_rep_key_cmp(&x->key, &y->key);
}

static int point_cmp(const void *a, const void *b)
{
	const struct lt_rep_point *x = a, *y = b;

	return x->t_us < y->t_us ? -1 : x->t_us > y->t_us;
}

static int who_cmp(const void *a, const void *b)
{
	const struct lt_rep_who *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* The cause kinds by their index in by_cause (lt_rep_point.cause): the
 * items' indexes are 0 .. used - 1, each given once, in order. */
static void cause_names(struct lt_report *r)
{
	const struct lt_rep_tab *t = &r->by_cause;

	free(r->cause_names);
	r->cause_names = NULL;
	r->ncause_names = 0;
	if (!t->used)
		return;
	r->cause_names = calloc(t->used, sizeof(*r->cause_names));
	if (!r->cause_names) {
		r->oom = true;
		return;
	}
	for (size_t i = 0; i < t->cap; i++) {
		const struct lt_rep_count *c = t->slots[i];

		if (c)
			r->cause_names[c->index] = c->key.s;
	}
	r->ncause_names = t->used;
}

void lt_report_finish(struct lt_report *r)
{
	cause_names(r);
	lt_rep_tab_pack(&r->group_set);
	r->groups = (struct lt_rep_group **)r->group_set.slots;
	r->ngroups = r->group_set.used;
	if (r->ngroups)
		qsort(r->groups, r->ngroups, sizeof(*r->groups), group_cmp);
	lt_rep_tab_pack(&r->lock_set);
	r->locks = (struct lt_rep_lock **)r->lock_set.slots;
	r->nlocks = r->lock_set.used;
	if (r->nlocks)
		qsort(r->locks, r->nlocks, sizeof(*r->locks), lock_cmp);
	for (size_t i = 0; i < r->nlocks; i++) {
		struct lt_rep_lock *l = r->locks[i];

		qsort(l->holders, l->nholders, sizeof(l->holders[0]), who_cmp);
		qsort(l->waiters, l->nwaiters, sizeof(l->waiters[0]), who_cmp);
	}
	if (r->points)
		qsort(r->points, r->npoints, sizeof(*r->points), point_cmp);
	lt_rep_xhost_finish(r);
}

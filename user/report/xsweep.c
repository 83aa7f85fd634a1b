// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The cross-host model's end (see xhost.h): every failure on a file on a
 * share set against the holds other hosts had on the file at its time. A
 * sweep over time: the holds sorted by when they began, the failures by
 * when they happened, and for each host a heap of its holds that cover the
 * time swept to, the one that ends first on top; each failure then costs
 * the heaps of the hosts that hold the file, so no recording can make it
 * quadratic. Rows (the same file, holder, host, process, operation, error
 * and cause) are kept in a bounded table, what it cannot keep counted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "table.h"
#include "xhost.h"

/* The holds of one host that cover the time swept to: a heap, the one that
 * ends first on top (all of them cover it once the top does). */
struct heap {
	struct lt_rep_xhold **a;
	size_t n, cap;
};

static bool ends_before(const struct lt_rep_xhold *x, const struct lt_rep_xhold *y)
{
	if (x->to_us != y->to_us)
		return x->to_us < y->to_us;
	if (x->from_us != y->from_us)
		return x->from_us < y->from_us;
	return x->index < y->index;
}

static bool heap_push(struct lt_report *r, struct heap *h, struct lt_rep_xhold *x)
{
	size_t i;

	if (!lt_rep_grow(r, (void **)&h->a, &h->cap, h->n, sizeof(*h->a)))
		return false;
	for (i = h->n++; i && ends_before(x, h->a[(i - 1) / 2]); i = (i - 1) / 2)
		h->a[i] = h->a[(i - 1) / 2];
	h->a[i] = x;
	return true;
}

static void heap_pop(struct heap *h)
{
	struct lt_rep_xhold *last = h->a[--h->n];
	size_t i = 0, c;

	while ((c = 2 * i + 1) < h->n) {
		if (c + 1 < h->n && ends_before(h->a[c + 1], h->a[c]))
			c++;
		if (!ends_before(h->a[c], last))
			break;
		h->a[i] = h->a[c];
		i = c;
	}
	if (h->n)
		h->a[i] = last;
}

/* The heaps of every host, and which of them are not empty (live). */
struct sweep {
	struct heap *heaps;
	int *live, *pos; /* live[0 .. nlive): hosts; pos[host]: where, or -1 */
	size_t nlive;
};

static void live_add(struct sweep *w, int host)
{
	if (w->pos[host] >= 0)
		return;
	w->pos[host] = (int)w->nlive;
	w->live[w->nlive++] = host;
}

static void live_del(struct sweep *w, size_t i)
{
	int host = w->live[i];

	w->live[i] = w->live[--w->nlive];
	w->pos[w->live[i]] = (int)i;
	w->pos[host] = -1;
}

static int hold_cmp(const void *a, const void *b)
{
	const struct lt_rep_xhold *x = *(const struct lt_rep_xhold *const *)a;
	const struct lt_rep_xhold *y = *(const struct lt_rep_xhold *const *)b;

	if (x->from_us != y->from_us)
		return x->from_us < y->from_us ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int fail_cmp(const void *a, const void *b)
{
	const struct lt_rep_xfail *x = a, *y = b;

	return x->t_us < y->t_us ? -1 : x->t_us > y->t_us;
}

static __u32 item_index(const struct lt_rep_count *c)
{
	return c ? c->index : UINT32_MAX;
}

/* Failure @f, covered by @holder (and @others more holds of other hosts):
 * counted in its row. */
static void row_add(struct lt_report *r, struct lt_rep_xlock *l, const struct lt_rep_xfail *f,
		    struct lt_rep_xhold *holder, unsigned long long others)
{
	__u32 key[9] = { l->index,
			 holder->index,
			 (__u32)f->host,
			 f->pid,
			 f->uid,
			 item_index(f->event),
			 item_index(f->error),
			 item_index(f->cause),
			 item_index(f->comm) };
	struct lt_rep_xrow *row;
	bool added;

	row = lt_rep_tab_get(r, &r->xrow_set, sizeof(*row), (const char *)key, sizeof(key),
			     lt_rep_hash(r, (const char *)key, sizeof(key)), 0, &added);
	l->matched++;
	r->xmatched++;
	if (!row)
		return;
	if (added) {
		row->lock = l;
		row->holder = holder;
		row->host = f->host;
		row->pid = f->pid;
		row->uid = f->uid;
		row->event = f->event;
		row->error = f->error;
		row->cause = f->cause;
		row->comm = f->comm;
		row->first_us = row->last_us = f->t_us;
	}
	row->count++;
	if (f->t_us < row->first_us)
		row->first_us = f->t_us;
	if (f->t_us > row->last_us)
		row->last_us = f->t_us;
	if (others > row->others)
		row->others = others;
}

/* Each failure of @l against the holds of other hosts that cover it. */
static void sweep_lock(struct lt_report *r, struct sweep *w, struct lt_rep_xlock *l)
{
	size_t next = 0;

	qsort(l->holds, l->nholds, sizeof(*l->holds), hold_cmp);
	qsort(l->fails, l->nfails, sizeof(*l->fails), fail_cmp);
	for (size_t i = 0; i < r->nhosts; i++) {
		w->heaps[i].n = 0;
		w->pos[i] = -1;
	}
	w->nlive = 0;
	for (size_t k = 0; k < l->nfails; k++) {
		const struct lt_rep_xfail *f = &l->fails[k];
		struct lt_rep_xhold *best = NULL;
		unsigned long long n = 0;

		for (; next < l->nholds && l->holds[next]->from_us <= f->t_us; next++) {
			struct lt_rep_xhold *x = l->holds[next];

			if (x->host >= 0 && (size_t)x->host < r->nhosts &&
			    heap_push(r, &w->heaps[x->host], x))
				live_add(w, x->host);
		}
		for (size_t i = 0; i < w->nlive;) {
			int host = w->live[i];
			struct heap *h = &w->heaps[host];

			while (h->n && h->a[0]->to_us < f->t_us)
				heap_pop(h);
			if (!h->n) {
				live_del(w, i);
				continue;
			}
			i++;
			if (host == f->host)
				continue;
			n += h->n;
			/* The first host's (by the order the recordings were
			 * given), its hold that ends first. */
			if (!best || host < best->host)
				best = h->a[0];
		}
		if (best)
			row_add(r, l, f, best, n - 1);
	}
}

static int row_cmp(const void *a, const void *b)
{
	const struct lt_rep_xrow *x = *(const struct lt_rep_xrow *const *)a;
	const struct lt_rep_xrow *y = *(const struct lt_rep_xrow *const *)b;
	int c;

	/* The files with the most failures first, then by name; each file's
	 * rows by time. */
	if (x->lock->matched != y->lock->matched)
		return x->lock->matched > y->lock->matched ? -1 : 1;
	c = lt_rep_key_cmp(&x->lock->key, &y->lock->key);
	if (c)
		return c;
	if (x->first_us != y->first_us)
		return x->first_us < y->first_us ? -1 : 1;
	return lt_rep_key_cmp(&x->key, &y->key);
}

/* When each session's recording ended; each hold's interval made whole. */
static void close_holds(struct lt_report *r)
{
	for (size_t i = 0; i < r->nsources; i++) {
		const struct lt_rep_source *s = &r->sources[i];
		struct lt_rep_session *x;

		if (s->session_idx < 0 || (size_t)s->session_idx >= r->nsessions || !s->have_end)
			continue;
		x = &r->sessions[s->session_idx];
		if (!x->have_end || s->end_us > x->end_us)
			x->end_us = s->end_us;
		x->have_end = true;
	}
	for (size_t i = 0; i < r->xhold_set.cap; i++) {
		struct lt_rep_xhold *x = r->xhold_set.slots[i];

		if (!x)
			continue;
		if (!x->have_to) {
			/* Still held when its recording ended. */
			const struct lt_rep_session *se = &r->sessions[x->session];

			x->to_us = se->have_end && se->end_us > x->from_us ? se->end_us :
									     x->from_us;
			x->open = true;
		}
		if (!x->have_from)
			x->from_us = x->to_us;
	}
}

void lt_rep_xhost_finish(struct lt_report *r)
{
	struct sweep w = {};
	size_t nlocks = 0;

	close_holds(r);
	if (r->nhosts) {
		w.heaps = calloc(r->nhosts, sizeof(*w.heaps));
		w.live = calloc(r->nhosts, sizeof(*w.live));
		w.pos = calloc(r->nhosts, sizeof(*w.pos));
	}
	if (r->nhosts && (!w.heaps || !w.live || !w.pos)) {
		r->oom = true;
	} else {
		for (size_t i = 0; i < r->xlock_set.cap; i++) {
			struct lt_rep_xlock *l = r->xlock_set.slots[i];

			if (l && l->nholds && l->nfails)
				sweep_lock(r, &w, l);
		}
	}
	for (size_t i = 0; i < r->nhosts && w.heaps; i++)
		free(w.heaps[i].a);
	free(w.heaps);
	free(w.live);
	free(w.pos);
	/* The rows, by file and time; the files that have some, in that order. */
	lt_rep_tab_pack(&r->xrow_set);
	r->xrows = (struct lt_rep_xrow **)r->xrow_set.slots;
	r->nxrows = r->xrow_set.used;
	if (r->nxrows)
		qsort(r->xrows, r->nxrows, sizeof(*r->xrows), row_cmp);
	free(r->xlocks);
	r->xlocks = r->nxrows ? calloc(r->nxrows, sizeof(*r->xlocks)) : NULL;
	if (r->nxrows && !r->xlocks) {
		r->oom = true;
		r->nxlocks = 0;
		return;
	}
	for (size_t i = 0; i < r->nxrows; i++) {
		struct lt_rep_xlock *l = r->xrows[i]->lock;

		if (!nlocks || r->xlocks[nlocks - 1] != l) {
			r->xlocks[nlocks++] = l;
			l->row0 = i;
			l->nrows = 0;
		}
		l->nrows++;
	}
	r->nxlocks = nlocks;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Reports: recordings parsed (report_parse.cc) and aggregated as they are read. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "common/pattern.h"
#include "report.h"
#include "parse.h"
#include "common/util.h"
#include "common/text.h"

/* ---- time ----------------------------------------------------------- */

static int digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static __s64 days_from_civil(int y, int m, int d)
{
	__s64 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int lt_rep_parse_time(const char *s, __s64 *us)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, oh, om;
	__s64 frac = 0, off = 0;
	size_t n = strlen(s);
	const char *p;

	if (n < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
	    digits(s + 8, 2, &d))
		return -1;
	p = s + 10;
	if (*p == 'T' || *p == ' ') {
		if (strlen(p) < 9 || digits(p + 1, 2, &h) || p[3] != ':' || digits(p + 4, 2, &mi) ||
		    p[6] != ':' || digits(p + 7, 2, &sec))
			return -1;
		p += 9;
		if (*p == '.') {
			int nd = 0;

			for (p++; *p >= '0' && *p <= '9'; p++, nd++)
				if (nd < 6)
					frac = frac * 10 + (*p - '0');
			if (!nd)
				return -1;
			for (; nd < 6; nd++)
				frac *= 10;
		}
		if (*p == 'Z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			if (strlen(p) != 6 || digits(p + 1, 2, &oh) || p[3] != ':' ||
			    digits(p + 4, 2, &om) || oh > 23 || om > 59)
				return -1;
			off = (oh * 3600 + om * 60) * (*p == '+' ? 1 : -1);
			p += 6;
		}
	}
	if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	*us = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off) * 1000000) +
	      frac;
	return 0;
}

/* ---- tables ------------------------------------------------------------ */

/*
 * Recordings are untrusted: every table is keyed by the bytes and their
 * length (a NUL is a byte like another), hashed with SipHash under a key
 * drawn at random for each report (nobody can make values collide without
 * knowing it), and bounded (LT_REP_TABLES): a value first seen in a full
 * table is counted, not kept.
 */

__u64 lt_rep_hash(const struct lt_report *r, const char *s, size_t n)
{
	return lt_siphash13(r->hash_key, s, n);
}

/* Malloc's own cost of a block, and a table slot's, charged to the table. */
#define ITEM_OVERHEAD (2 * sizeof(void *) + 16)

/* The item of key s[0..n) with hash h, NULL if none. */
static void *tab_find(const struct lt_rep_tab *t, const char *s, size_t n, __u64 h)
{
	size_t mask = t->cap - 1;

	if (!t->cap)
		return NULL;
	for (size_t j = h & mask; t->slots[j]; j = (j + 1) & mask) {
		const struct lt_rep_key *k = t->slots[j];

		if (k->hash == h && k->n == n && !memcmp(k->s, s, n))
			return t->slots[j];
	}
	return NULL;
}

/* May the table keep one more item of @bytes? If not, the event is counted
 * as not kept. */
static bool tab_room(struct lt_rep_tab *t, size_t bytes)
{
	if (t->used < t->max && t->bytes + bytes + ITEM_OVERHEAD <= t->max_bytes)
		return true;
	t->more++;
	return false;
}

/* Insert @item (not in the table; tab_room said yes), growing the table. */
static bool tab_insert(struct lt_report *r, struct lt_rep_tab *t, void *item, size_t bytes)
{
	const struct lt_rep_key *k = item;
	size_t j;

	if ((t->used + 1) * 4 > t->cap * 3) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		void **slots = calloc(cap, sizeof(*slots));

		if (!slots) {
			r->oom = true;
			return false;
		}
		for (size_t i = 0; i < t->cap; i++) {
			const struct lt_rep_key *o = t->slots[i];

			if (!o)
				continue;
			for (j = o->hash & (cap - 1); slots[j]; j = (j + 1) & (cap - 1))
				;
			slots[j] = t->slots[i];
		}
		free(t->slots);
		t->slots = slots;
		t->cap = cap;
	}
	for (j = k->hash & (t->cap - 1); t->slots[j]; j = (j + 1) & (t->cap - 1))
		;
	t->slots[j] = item;
	t->used++;
	t->bytes += bytes + ITEM_OVERHEAD;
	return true;
}

/* Pack a table's items to its first t->used slots: it is no longer a
 * hash table (lt_report_finish). */
static void tab_pack(struct lt_rep_tab *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i])
			t->slots[n++] = t->slots[i];
	for (size_t i = n; i < t->cap; i++)
		t->slots[i] = NULL;
	t->used = n;
}

/* Items are one allocation each. */
static void tab_free(struct lt_rep_tab *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->slots[i]);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

/* A new item: @size bytes of struct, then key s[0..n), a NUL and @extra
 * bytes. */
static void *item_new(struct lt_report *r, size_t size, const char *s, size_t n, __u64 h,
		      size_t extra)
{
	struct lt_rep_key *k = calloc(1, size + n + 1 + extra);

	if (!k) {
		r->oom = true;
		return NULL;
	}
	k->s = (char *)k + size;
	memcpy(k->s, s, n);
	k->n = n;
	k->hash = h;
	return k;
}

struct lt_rep_count *lt_rep_count_add(struct lt_report *r, struct lt_rep_tab *t, const char *s,
				      size_t n, __u64 h, __s64 t_us)
{
	struct lt_rep_count *c = tab_find(t, s, n, h);

	if (!c) {
		if (!tab_room(t, sizeof(*c) + n + 1))
			return NULL;
		c = item_new(r, sizeof(*c), s, n, h, 0);
		if (!c)
			return NULL;
		c->index = (__u32)t->used;
		if (!tab_insert(r, t, c, sizeof(*c) + n + 1)) {
			free(c);
			return NULL;
		}
	}
	c->n++;
	c->last_us = t_us;
	return c;
}

static struct lt_rep_count *count_add(struct lt_report *r, struct lt_rep_tab *t, struct lt_str v,
				      __s64 t_us)
{
	return lt_rep_count_add(r, t, v.s, v.n, lt_rep_hash(r, v.s, v.n), t_us);
}

/* Byte order, then the shorter first (strcmp's order, NULs included). */
static int key_cmp(const struct lt_rep_key *x, const struct lt_rep_key *y)
{
	int c = memcmp(x->s, y->s, x->n < y->n ? x->n : y->n);

	if (c)
		return c;
	return x->n < y->n ? -1 : x->n > y->n;
}

static int count_cmp(const void *a, const void *b)
{
	const struct lt_rep_count *x = *(const struct lt_rep_count *const *)a;
	const struct lt_rep_count *y = *(const struct lt_rep_count *const *)b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return key_cmp(&x->key, &y->key);
}

size_t lt_rep_tab_sorted(const struct lt_rep_tab *t, const struct lt_rep_count **out, size_t max)
{
	const struct lt_rep_count **all;
	size_t n = 0;

	if (!t->used || !max)
		return 0;
	all = malloc(t->used * sizeof(*all));
	if (!all)
		return 0;
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i])
			all[n++] = t->slots[i];
	qsort(all, n, sizeof(*all), count_cmp);
	if (n > max)
		n = max;
	memcpy(out, all, n * sizeof(*out));
	free(all);
	return n;
}

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

#define CUT_MARK "...[cut from %zu bytes]"
#define CUT_MARK_MAX (sizeof(CUT_MARK) + 20)
/* The scratch space for one event's fields (three long, six short) and its
 * group's key (made of four of them). */
#define SCRATCH_SIZE \
	(2 * (3 * (LT_REP_STR_LONG + CUT_MARK_MAX) + 6 * (LT_REP_STR_SHORT + CUT_MARK_MAX)))

/*
 * A field as the report keeps it: a NUL (which no path or name the kernel
 * gives can hold) as U+FFFD, so that what is kept is also a C string; at
 * most @max bytes, cut on a character boundary and marked, the cut
 * counted. Built in @buf (max + CUT_MARK_MAX bytes) only when it differs.
 */
static struct lt_str keep_in(struct lt_report *r, struct lt_str f, size_t max, char *buf)
{
	size_t i = 0, o = 0;

	if (!f.s)
		return (struct lt_str){ "", 0 };
	if (f.n <= max && !memchr(f.s, '\0', f.n))
		return f;
	while (i < f.n) {
		size_t k = f.s[i] ? lt_utf8_seq(f.s + i, f.n - i) : 1;
		size_t out = f.s[i] ? (k ? k : 1) : 3;

		if (o + out > max)
			break;
		if (!f.s[i])
			memcpy(buf + o, "\xef\xbf\xbd", 3);
		else
			memcpy(buf + o, f.s + i, out);
		o += out;
		i += k ? k : 1;
	}
	if (i < f.n) {
		o += (size_t)snprintf(buf + o, CUT_MARK_MAX, CUT_MARK, f.n);
		r->cut++;
	}
	return (struct lt_str){ buf, o };
}

/* The same, in the event's scratch space (events are read only when the
 * report has one: lt_report_line_padded). */
static struct lt_str keep(struct lt_report *r, struct lt_str f, size_t max)
{
	char *buf = r->scratch + r->scratch_used;

	if (r->scratch_used + max + CUT_MARK_MAX > SCRATCH_SIZE) {
		r->oom = true; /* cannot happen: nine fields an event */
		return (struct lt_str){ "", 0 };
	}
	f = keep_in(r, f, max, buf);
	if (f.s == buf)
		r->scratch_used += f.n;
	return f;
}

/* A field as recorded (any bytes, NULs included), "" if absent: what the
 * filters match. */
static struct lt_str raw(struct lt_str f)
{
	return f.s ? f : (struct lt_str){ "", 0 };
}

/* A header field, kept: a C string of its own. */
static char *keep_dup(struct lt_report *r, const struct lt_str *f)
{
	char buf[LT_REP_STR_HEAD + CUT_MARK_MAX];
	struct lt_str k = keep_in(r, *f, LT_REP_STR_HEAD, buf);
	char *d = malloc(k.n + 1);

	if (!d) {
		r->oom = true;
		return NULL;
	}
	memcpy(d, k.s, k.n);
	d[k.n] = '\0';
	return d;
}

static bool str_is(struct lt_str f, const char *s)
{
	size_t n = strlen(s);

	return f.n == n && !memcmp(f.s, s, n);
}

/* A command name for the fixed-size who-lists: at most LT_COMM_LEN - 1
 * bytes (a kept name holds no NUL). */
static void copy_comm(char *dst, struct lt_str comm)
{
	size_t n = comm.n < LT_COMM_LEN - 1 ? comm.n : LT_COMM_LEN - 1;

	memcpy(dst, comm.s, n);
	dst[n] = '\0';
}

/* ---- the model ---------------------------------------------------------- */

void lt_report_init(struct lt_report *r, const struct lt_rep_opts *opts)
{
	memset(r, 0, sizeof(*r));
	r->opts = opts;
#define X(member, json, unit, what, max_items, max_mem) \
	r->member.max = (max_items);                    \
	r->member.max_bytes = (max_mem);
	LT_REP_TABLES(X)
#undef X
	r->points_max = LT_REP_POINTS_MAX;
	lt_hash_key(r->hash_key);
	r->scratch = malloc(SCRATCH_SIZE);
	r->tok = lt_rep_parser_new();
	if (!r->tok || !r->scratch)
		r->oom = true;
}

struct lt_rep_source *lt_report_source(struct lt_report *r, const char *file)
{
	struct lt_rep_source *s = realloc(r->sources, (r->nsources + 1) * sizeof(*s));

	if (!s) {
		r->oom = true;
		return NULL;
	}
	r->sources = s;
	s = &r->sources[r->nsources++];
	memset(s, 0, sizeof(*s));
	s->file = strdup(file);
	if (!s->file)
		r->oom = true;
	return s;
}

static struct lt_rep_source *cur_source(struct lt_report *r)
{
	if (!r->nsources && !lt_report_source(r, "-"))
		return NULL;
	return &r->sources[r->nsources - 1];
}

static void on_header(struct lt_report *r, struct lt_rep_source *s, const struct lt_rep_rec *e)
{
	if (s->header)
		return; /* a rotated part: the first one says it */
	s->header = true;
	s->host = keep_dup(r, &e->host);
	s->kernel = keep_dup(r, &e->kernel);
	s->tier = keep_dup(r, &e->tier);
	s->version = keep_dup(r, &e->version);
	s->start = keep_dup(r, &e->start);
}

static void on_trailer(struct lt_rep_source *s, const struct lt_rep_rec *e)
{
	s->trailer = true;
	s->seen = e->seen;
	s->written = e->written;
	s->dropped_kernel = e->dropped_kernel;
	s->dropped_write = e->dropped_write;
}

static bool in_list_str(const char *const *list, int n, struct lt_str s)
{
	for (int i = 0; i < n; i++)
		if (str_is(s, list[i]))
			return true;
	return false;
}

static bool wanted(const struct lt_report *r, __s64 t, struct lt_str path, struct lt_str cause,
		   __u32 uid, struct lt_str comm)
{
	const struct lt_rep_opts *o = r->opts;
	int i;

	if (!o)
		return true;
	if ((o->have_since && t < o->since_us) || (o->have_until && t > o->until_us))
		return false;
	if (o->npaths && !lt_patterns_match(o->paths, o->npaths, path.s, path.n))
		return false;
	if (o->ncauses && !in_list_str(o->causes, o->ncauses, cause))
		return false;
	if (o->ncomms && !in_list_str(o->comms, o->ncomms, comm))
		return false;
	if (o->nuids) {
		for (i = 0; i < o->nuids && o->uids[i] != uid; i++)
			;
		if (i == o->nuids)
			return false;
	}
	return true;
}

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

/* A failure on the timeline, with its kind's index in by_cause (past the
 * last kind when by_cause did not keep it: "other causes"). */
static void add_point(struct lt_report *r, __s64 t, const struct lt_rep_count *kind)
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

/* The fields of one event, as kept, the uid in decimal; and the path's
 * hash, one for the paths and the locks. */
struct ev_fields {
	struct lt_str event, path, comm, error, kind, detail, fix, evidence, lsm, uid;
	__u64 path_hash;
};

/* Put s[0..n) and a NUL at p; where the next one goes. */
static char *put0(char *p, struct lt_str f)
{
	memcpy(p, f.s, f.n);
	p[f.n] = '\0';
	return p + f.n + 1;
}

static void add_group(struct lt_report *r, __s64 t, const struct ev_fields *f, __u32 uid)
{
	char *key, *p;
	size_t n, size;
	struct lt_rep_group *g;
	__u64 h;

	/* The key: path, error, cause, comm and uid, each ending in a NUL
	 * (none of them holds one): the five are told apart exactly. */
	n = f->path.n + 1 + f->error.n + 1 + f->kind.n + 1 + f->comm.n + 1 + f->uid.n;
	key = r->scratch + r->scratch_used;
	if (r->scratch_used + n + 1 > SCRATCH_SIZE) {
		r->oom = true; /* cannot happen: the fields are bounded */
		return;
	}
	p = put0(key, f->path);
	p = put0(p, f->error);
	p = put0(p, f->kind);
	p = put0(p, f->comm);
	put0(p, f->uid);
	h = lt_rep_hash(r, key, n);
	g = tab_find(&r->group_set, key, n, h);
	if (g) {
		g->count++;
		if (t < g->first_us)
			g->first_us = t;
		if (t > g->last_us)
			g->last_us = t;
		return;
	}
	size = n + 1 + f->event.n + 1 + f->detail.n + 1 + f->fix.n + 1 + f->lsm.n + 1 +
	       f->evidence.n + 1;
	if (!tab_room(&r->group_set, sizeof(*g) + size))
		return;
	g = item_new(r, sizeof(*g), key, n, h, size - (n + 1));
	if (!g)
		return;
	/* The key follows the struct, the other strings follow the key. */
	g->path = g->key.s;
	g->error = g->path + f->path.n + 1;
	g->cause = g->error + f->error.n + 1;
	g->comm = g->cause + f->kind.n + 1;
	g->event = g->key.s + n + 1;
	g->detail = put0(g->event, f->event);
	g->fix = put0(g->detail, f->detail);
	g->lsm = put0(g->fix, f->fix);
	g->evidence = put0(g->lsm, f->lsm);
	put0(g->evidence, f->evidence);
	g->uid = uid;
	g->count = 1;
	g->first_us = g->last_us = t;
	if (!tab_insert(r, &r->group_set, g, sizeof(*g) + size))
		free(g);
}

static struct lt_rep_lock *lock_of(struct lt_report *r, const struct ev_fields *f)
{
	struct lt_str path = f->path;
	__u64 h = f->path_hash;
	struct lt_rep_lock *l = tab_find(&r->lock_set, path.s, path.n, h);

	if (l)
		return l;
	if (!tab_room(&r->lock_set, sizeof(*l) + path.n + 1))
		return NULL;
	l = item_new(r, sizeof(*l), path.s, path.n, h, 0);
	if (!l)
		return NULL;
	if (!tab_insert(r, &r->lock_set, l, sizeof(*l) + path.n + 1)) {
		free(l);
		return NULL;
	}
	return l;
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

static void lock_held(struct lt_report *r, const struct ev_fields *f, __u32 pid, __u32 uid,
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

static void lock_wait(struct lt_report *r, __s64 t, const struct ev_fields *f, __u32 pid, __u32 uid,
		      const struct lt_rep_rec *e)
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

static void on_event(struct lt_report *r, struct lt_rep_source *s, const struct lt_rep_rec *e)
{
	char tbuf[64], ubuf[16];
	struct ev_fields f;
	__u32 pid = e->pid, uid = e->uid;
	__s64 t;

	if (!e->time.s || e->time.n >= sizeof(tbuf) || memchr(e->time.s, '\0', e->time.n) ||
	    !e->event.n) {
		s->bad_lines++;
		return;
	}
	memcpy(tbuf, e->time.s, e->time.n);
	tbuf[e->time.n] = '\0';
	if (lt_rep_parse_time(tbuf, &t)) {
		s->bad_lines++;
		return;
	}
	s->events++;
	/* The filters see the fields as recorded, whole; only what passes is
	 * kept (and its cuts counted). */
	if (!wanted(r, t, raw(e->path), raw(e->kind_s), uid, raw(e->comm))) {
		r->filtered_out++;
		return;
	}
	r->scratch_used = 0;
	f.event = keep(r, e->event, LT_REP_STR_SHORT);
	f.path = keep(r, e->path, LT_REP_STR_LONG);
	f.comm = keep(r, e->comm, LT_REP_STR_SHORT);
	if (!r->events || t < r->first_us)
		r->first_us = t;
	if (!r->events || t > r->last_us)
		r->last_us = t;
	r->events++;
	f.path_hash = lt_rep_hash(r, f.path.s, f.path.n);
	f.uid.s = ubuf;
	f.uid.n = (size_t)snprintf(ubuf, sizeof(ubuf), "%u", uid);
	count_add(r, &r->by_event, f.event, t);
	lt_rep_count_add(r, &r->paths, f.path.s, f.path.n, f.path_hash, t);
	count_add(r, &r->comms, f.comm, t);
	count_add(r, &r->uids, f.uid, t);
	if (str_is(f.event, "lock_wait")) {
		r->waits++;
		lock_wait(r, t, &f, pid, uid, e);
	}
	if (e->ret >= 0 || !e->error.n)
		return;
	f.error = keep(r, e->error, LT_REP_STR_SHORT);
	f.kind = keep(r, e->kind_s, LT_REP_STR_SHORT);
	f.detail = keep(r, e->detail, LT_REP_STR_LONG);
	f.fix = keep(r, e->fix, LT_REP_STR_LONG);
	f.evidence = keep(r, e->evidence, LT_REP_STR_SHORT);
	f.lsm = keep(r, e->lsm, LT_REP_STR_SHORT);
	if (!f.kind.n)
		f.kind = (struct lt_str){ "none", 4 };
	r->failures++;
	count_add(r, &r->by_error, f.error, t);
	add_point(r, t, count_add(r, &r->by_cause, f.kind, t));
	add_group(r, t, &f, uid);
	if (str_is(f.kind, "lock_held"))
		lock_held(r, &f, pid, uid, e);
}

void lt_report_line_padded(struct lt_report *r, const char *line, size_t len, size_t cap)
{
	struct lt_rep_source *s = cur_source(r);
	struct lt_rep_rec e;

	if (!s || !r->tok || !r->scratch)
		return;
	while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
		len--;
	if (!len)
		return; /* blank: nothing to say */
	s->lines++;
	switch (lt_rep_parse(r->tok, line, len, cap, &e)) {
	case LT_REP_HEADER:
		on_header(r, s, &e);
		break;
	case LT_REP_TRAILER:
		on_trailer(s, &e);
		break;
	case LT_REP_EVENT:
		on_event(r, s, &e);
		break;
	default:
		s->bad_lines++;
		break;
	}
}

void lt_report_line(struct lt_report *r, const char *line, size_t len)
{
	char *copy = malloc(len + LT_REP_PADDING);

	if (!copy) {
		r->oom = true;
		return;
	}
	memcpy(copy, line, len);
	memset(copy + len, 0, LT_REP_PADDING);
	lt_report_line_padded(r, copy, len, len + LT_REP_PADDING);
	free(copy);
}

void lt_report_buffer(struct lt_report *r, const char *data, size_t len)
{
	const char *p = data, *end = data + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl) {
			struct lt_rep_source *s = cur_source(r);
			unsigned long long bad = s ? s->bad_lines : 0;

			/* No newline: the torn end of a killed recording, unless
			 * it happens to be a whole line. */
			lt_report_line(r, p, (size_t)(end - p));
			if (s && s->bad_lines > bad) {
				s->bad_lines--;
				s->lines--;
				s->torn = true;
			}
			return;
		}
		lt_report_line(r, p, (size_t)(nl - p));
		p = nl + 1;
	}
}

static int group_cmp(const void *a, const void *b)
{
	const struct lt_rep_group *x = *(const struct lt_rep_group *const *)a;
	const struct lt_rep_group *y = *(const struct lt_rep_group *const *)b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->first_us != y->first_us)
		return x->first_us < y->first_us ? -1 : 1;
	return key_cmp(&x->key, &y->key);
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
	return key_cmp(&x->key, &y->key);
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
	tab_pack(&r->group_set);
	r->groups = (struct lt_rep_group **)r->group_set.slots;
	r->ngroups = r->group_set.used;
	if (r->ngroups)
		qsort(r->groups, r->ngroups, sizeof(*r->groups), group_cmp);
	tab_pack(&r->lock_set);
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
}

void lt_report_free(struct lt_report *r)
{
	size_t i;

#define X(member, ...) tab_free(&r->member);
	LT_REP_TABLES(X)
#undef X
	free(r->points);
	free(r->bins);
	free(r->cause_names); /* by_cause's keys */
	for (i = 0; i < r->nsources; i++) {
		struct lt_rep_source *s = &r->sources[i];

		free(s->file);
		free(s->host);
		free(s->kernel);
		free(s->tier);
		free(s->version);
		free(s->start);
	}
	free(r->sources);
	free(r->scratch);
	lt_rep_parser_free(r->tok);
	memset(r, 0, sizeof(*r));
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Reports: recordings parsed (report_parse.cc) and aggregated as they are read. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "pattern.h"
#include "report.h"
#include "report_parse.h"
#include "util.h"

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

/* ---- string -> count tables ------------------------------------------- */

static char *dup_n(struct lt_report *r, const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (!d) {
		r->oom = true;
		return NULL;
	}
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static bool tab_grow(struct lt_report *r, struct lt_rep_tab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 64;
	struct lt_rep_count *slots = calloc(cap, sizeof(*slots));

	if (!slots) {
		r->oom = true;
		return false;
	}
	for (size_t i = 0; i < t->cap; i++) {
		struct lt_rep_count *c = &t->slots[i];
		size_t j;

		if (!c->key)
			continue;
		for (j = lt_fnv1a(LT_FNV_BASIS, c->key, strlen(c->key)) & (cap - 1); slots[j].key;
		     j = (j + 1) & (cap - 1))
			;
		slots[j] = *c;
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
	return true;
}

static void tab_add(struct lt_report *r, struct lt_rep_tab *t, const char *key, size_t n,
		    __s64 t_us)
{
	size_t j;

	if ((t->used + 1) * 4 > t->cap * 3 && !tab_grow(r, t))
		return;
	for (j = lt_fnv1a(LT_FNV_BASIS, key, n) & (t->cap - 1); t->slots[j].key;
	     j = (j + 1) & (t->cap - 1)) {
		if (!strncmp(t->slots[j].key, key, n) && !t->slots[j].key[n]) {
			t->slots[j].n++;
			t->slots[j].last_us = t_us;
			return;
		}
	}
	t->slots[j].key = dup_n(r, key, n);
	if (!t->slots[j].key)
		return;
	t->slots[j].n = 1;
	t->slots[j].last_us = t_us;
	t->used++;
}

static void tab_free(struct lt_rep_tab *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->slots[i].key);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

static int count_cmp(const void *a, const void *b)
{
	const struct lt_rep_count *x = *(const struct lt_rep_count *const *)a;
	const struct lt_rep_count *y = *(const struct lt_rep_count *const *)b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->key, y->key);
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
		if (t->slots[i].key)
			all[n++] = &t->slots[i];
	qsort(all, n, sizeof(*all), count_cmp);
	if (n > max)
		n = max;
	memcpy(out, all, n * sizeof(*out));
	free(all);
	return n;
}

/* ---- groups and locks: open-addressed tables of pointers --------------- */

/* Find (or make room for) the slot of @key in a pointer table whose items
 * start with their key (char *). */
static void **ptab_slot(struct lt_report *r, void ***tab, size_t *cap, size_t used, const char *key,
			size_t n, bool *found)
{
	size_t j;

	*found = false;
	if ((used + 1) * 4 > *cap * 3) {
		size_t ncap = *cap ? *cap * 2 : 64;
		void **nt = calloc(ncap, sizeof(*nt));

		if (!nt) {
			r->oom = true;
			return NULL;
		}
		for (size_t i = 0; i < *cap; i++) {
			char *k;

			if (!(*tab)[i])
				continue;
			k = *(char **)(*tab)[i];
			for (j = lt_fnv1a(LT_FNV_BASIS, k, strlen(k)) & (ncap - 1); nt[j];
			     j = (j + 1) & (ncap - 1))
				;
			nt[j] = (*tab)[i];
		}
		free(*tab);
		*tab = nt;
		*cap = ncap;
	}
	for (j = lt_fnv1a(LT_FNV_BASIS, key, n) & (*cap - 1); (*tab)[j]; j = (j + 1) & (*cap - 1)) {
		const char *k = *(char **)(*tab)[j];

		if (!strncmp(k, key, n) && !k[n]) {
			*found = true;
			break;
		}
	}
	return &(*tab)[j];
}

/* ---- fields ------------------------------------------------------------- */

/* A field as a C string, cut to the buffer (control bytes are the
 * renderers' to handle). */
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

static char *sdup(struct lt_report *r, const struct lt_str *f)
{
	return dup_n(r, f->s ? f->s : "", f->s ? f->n : 0);
}

static void copy_comm(char *dst, const char *src)
{
	snprintf(dst, LT_COMM_LEN, "%s", src);
}

/* ---- the model ---------------------------------------------------------- */

void lt_report_init(struct lt_report *r, const struct lt_rep_opts *opts)
{
	memset(r, 0, sizeof(*r));
	r->opts = opts;
	r->tok = lt_rep_parser_new();
	if (!r->tok)
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
	s->file = dup_n(r, file, strlen(file));
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
	s->host = sdup(r, &e->host);
	s->kernel = sdup(r, &e->kernel);
	s->tier = sdup(r, &e->tier);
	s->version = sdup(r, &e->version);
	s->start = sdup(r, &e->start);
}

static void on_trailer(struct lt_rep_source *s, const struct lt_rep_rec *e)
{
	s->trailer = true;
	s->seen = e->seen;
	s->written = e->written;
	s->dropped_kernel = e->dropped_kernel;
	s->dropped_write = e->dropped_write;
}

static bool in_list_str(const char *const *list, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

static bool wanted(const struct lt_report *r, __s64 t, const char *path, size_t plen,
		   const char *cause, __u32 uid, const char *comm)
{
	const struct lt_rep_opts *o = r->opts;
	int i;

	if (!o)
		return true;
	if ((o->have_since && t < o->since_us) || (o->have_until && t > o->until_us))
		return false;
	if (o->npaths && !lt_patterns_match(o->paths, o->npaths, path, plen))
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

static __u32 cause_index(struct lt_report *r, const char *cause)
{
	char **names;
	size_t i;

	for (i = 0; i < r->ncause_names; i++)
		if (!strcmp(r->cause_names[i], cause))
			return (__u32)i;
	names = realloc(r->cause_names, (r->ncause_names + 1) * sizeof(*names));
	if (!names) {
		r->oom = true;
		return 0;
	}
	r->cause_names = names;
	names[i] = dup_n(r, cause, strlen(cause));
	if (!names[i])
		return 0;
	r->ncause_names++;
	return (__u32)i;
}

static void add_point(struct lt_report *r, __s64 t, const char *cause)
{
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
	r->points[r->npoints].cause = cause_index(r, cause);
	r->npoints++;
}

static void add_group(struct lt_report *r, __s64 t, const char *event, const char *path,
		      size_t plen, const char *error, const char *kind, const char *comm, __u32 uid,
		      const struct lt_rep_rec *e)
{
	char head[160];
	size_t hn, n;
	char *key;
	struct lt_rep_group *g, **slot;
	bool found;

	/* The key: path, error, cause, comm and uid, separated by 0x1f. */
	hn = (size_t)snprintf(head, sizeof(head), "%s\x1f%s\x1f%s\x1f%u", error, kind, comm, uid);
	if (hn >= sizeof(head))
		hn = sizeof(head) - 1;
	n = plen + 1 + hn;
	key = malloc(n + 1);
	if (!key) {
		r->oom = true;
		return;
	}
	memcpy(key, path, plen);
	key[plen] = '\x1f';
	memcpy(key + plen + 1, head, hn);
	key[n] = '\0';
	slot = (struct lt_rep_group **)ptab_slot(r, (void ***)&r->groups, &r->groups_cap,
						 r->ngroups, key, n, &found);
	if (!slot) {
		free(key);
		return;
	}
	if (found) {
		g = *slot;
		free(key);
		g->count++;
		if (t < g->first_us)
			g->first_us = t;
		if (t > g->last_us)
			g->last_us = t;
		return;
	}
	g = calloc(1, sizeof(*g));
	if (!g) {
		free(key);
		r->oom = true;
		return;
	}
	g->key = key;
	g->path = dup_n(r, path, plen);
	g->error = dup_n(r, error, strlen(error));
	g->cause = dup_n(r, kind, strlen(kind));
	g->comm = dup_n(r, comm, strlen(comm));
	g->uid = uid;
	g->event = dup_n(r, event, strlen(event));
	g->detail = sdup(r, &e->detail);
	g->fix = sdup(r, &e->fix);
	g->lsm = sdup(r, &e->lsm);
	g->evidence = sdup(r, &e->evidence);
	g->count = 1;
	g->first_us = g->last_us = t;
	*slot = g;
	r->ngroups++;
}

static struct lt_rep_lock *lock_of(struct lt_report *r, const char *path, size_t plen)
{
	struct lt_rep_lock **slot, *l;
	bool found;

	slot = (struct lt_rep_lock **)ptab_slot(r, (void ***)&r->locks, &r->locks_cap, r->nlocks,
						path, plen, &found);
	if (!slot)
		return NULL;
	if (found)
		return *slot;
	l = calloc(1, sizeof(*l));
	if (!l || !(l->path = dup_n(r, path, plen))) {
		free(l);
		r->oom = true;
		return NULL;
	}
	*slot = l;
	r->nlocks++;
	return l;
}

/* Count @pid in a who-list, keeping the most frequent LT_REP_WHO_MAX. */
static void who_add(struct lt_rep_who *list, int *n, __u32 pid, __u32 uid, const char *comm)
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

static void lock_held(struct lt_report *r, const char *path, size_t plen, __u32 pid, __u32 uid,
		      const char *comm, const struct lt_rep_rec *e)
{
	struct lt_rep_lock *l = lock_of(r, path, plen);
	char c[LT_COMM_LEN];

	if (!l)
		return;
	l->refused++;
	who_add(l->waiters, &l->nwaiters, pid, uid, comm);
	for (int i = 0; i < e->nholders; i++)
		who_add(l->holders, &l->nholders, e->holders[i].pid, e->holders[i].uid,
			cstr(&e->holders[i].comm, c, sizeof(c)));
}

static void lock_wait(struct lt_report *r, __s64 t, const char *path, size_t plen, __u32 pid,
		      __u32 uid, const char *comm, const struct lt_rep_rec *e)
{
	struct lt_rep_lock *l = lock_of(r, path, plen);
	struct lt_rep_wait w = { .t_us = t, .pid = pid };
	int i;

	if (!l)
		return;
	w.wait_us = e->wait_us > 0 ? (__u64)e->wait_us : 0;
	copy_comm(w.comm, comm);
	w.holder_pid = e->holder_pid;
	cstr(&e->holder_comm, w.holder_comm, sizeof(w.holder_comm));
	l->waits++;
	l->wait_total_us += w.wait_us;
	if (w.wait_us > l->wait_max_us)
		l->wait_max_us = w.wait_us;
	who_add(l->waiters, &l->nwaiters, pid, uid, comm);
	if (w.holder_pid)
		who_add(l->holders, &l->nholders, w.holder_pid, 0, w.holder_comm);
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
	char event[32], comm[64], error[32], kind[32], tbuf[64], ubuf[16];
	const char *path = e->path.s ? e->path.s : "";
	size_t plen = e->path.n;
	__u32 pid = e->pid, uid = e->uid;
	__s64 t;

	cstr(&e->event, event, sizeof(event));
	cstr(&e->comm, comm, sizeof(comm));
	cstr(&e->error, error, sizeof(error));
	cstr(&e->kind_s, kind, sizeof(kind));
	if (lt_rep_parse_time(cstr(&e->time, tbuf, sizeof(tbuf)), &t) || !*event) {
		s->bad_lines++;
		return;
	}
	s->events++;
	if (!wanted(r, t, path, plen, kind, uid, comm)) {
		r->filtered_out++;
		return;
	}
	if (!r->events || t < r->first_us)
		r->first_us = t;
	if (!r->events || t > r->last_us)
		r->last_us = t;
	r->events++;
	tab_add(r, &r->by_event, event, strlen(event), t);
	tab_add(r, &r->paths, path, plen, t);
	tab_add(r, &r->comms, comm, strlen(comm), t);
	snprintf(ubuf, sizeof(ubuf), "%u", uid);
	tab_add(r, &r->uids, ubuf, strlen(ubuf), t);
	if (!strcmp(event, "lock_wait")) {
		r->waits++;
		lock_wait(r, t, path, plen, pid, uid, comm, e);
	}
	if (e->ret >= 0 || !*error)
		return;
	if (!*kind)
		snprintf(kind, sizeof(kind), "none");
	r->failures++;
	tab_add(r, &r->by_error, error, strlen(error), t);
	tab_add(r, &r->by_cause, kind, strlen(kind), t);
	add_point(r, t, kind);
	add_group(r, t, event, path, plen, error, kind, comm, uid, e);
	if (!strcmp(kind, "lock_held"))
		lock_held(r, path, plen, pid, uid, comm, e);
}

void lt_report_line_padded(struct lt_report *r, const char *line, size_t len, size_t cap)
{
	struct lt_rep_source *s = cur_source(r);
	struct lt_rep_rec e;

	if (!s || !r->tok)
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
	return strcmp(x->key, y->key);
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
	return strcmp(x->path, y->path);
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

/* Pack an open-addressed pointer table to its first n slots. */
static size_t pack(void **tab, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < cap; i++)
		if (tab[i])
			tab[n++] = tab[i];
	return n;
}

void lt_report_finish(struct lt_report *r)
{
	if (r->groups) {
		r->ngroups = pack((void **)r->groups, r->groups_cap);
		qsort(r->groups, r->ngroups, sizeof(*r->groups), group_cmp);
	}
	if (r->locks) {
		r->nlocks = pack((void **)r->locks, r->locks_cap);
		qsort(r->locks, r->nlocks, sizeof(*r->locks), lock_cmp);
		for (size_t i = 0; i < r->nlocks; i++) {
			struct lt_rep_lock *l = r->locks[i];

			qsort(l->holders, l->nholders, sizeof(l->holders[0]), who_cmp);
			qsort(l->waiters, l->nwaiters, sizeof(l->waiters[0]), who_cmp);
		}
	}
	if (r->points)
		qsort(r->points, r->npoints, sizeof(*r->points), point_cmp);
	/* The tables are no longer hashed: finish is the last step. */
	r->groups_cap = r->ngroups;
	r->locks_cap = r->nlocks;
}

static void group_free(struct lt_rep_group *g)
{
	free(g->key);
	free((char *)g->path);
	free((char *)g->error);
	free((char *)g->cause);
	free((char *)g->comm);
	free(g->event);
	free(g->detail);
	free(g->fix);
	free(g->lsm);
	free(g->evidence);
	free(g);
}

void lt_report_free(struct lt_report *r)
{
	size_t i;

	for (i = 0; i < r->groups_cap; i++)
		if (r->groups[i])
			group_free(r->groups[i]);
	free(r->groups);
	for (i = 0; i < r->locks_cap; i++) {
		if (r->locks[i]) {
			free(r->locks[i]->path);
			free(r->locks[i]);
		}
	}
	free(r->locks);
	tab_free(&r->by_event);
	tab_free(&r->by_error);
	tab_free(&r->by_cause);
	tab_free(&r->paths);
	tab_free(&r->comms);
	tab_free(&r->uids);
	free(r->points);
	for (i = 0; i < r->ncause_names; i++)
		free(r->cause_names[i]);
	free(r->cause_names);
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
	lt_rep_parser_free(r->tok);
	memset(r, 0, sizeof(*r));
}

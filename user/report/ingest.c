// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The report's model, its life and its input: recording lines parsed
 * (parse.cc), the filters, each field kept to its limit, then counted in
 * the tables (table.c) and grouped (group.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/pattern.h"
#include "common/text.h"
#include "common/util.h"
#include "group.h"
#include "model.h"
#include "parse.h"
#include "table.h"
#include "xhost.h"

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

/* ---- fields ------------------------------------------------------------- */

/*
 * A field as the report keeps it: a NUL (which no path or name the kernel
 * gives can hold) as U+FFFD, so that what is kept is also a C string; at
 * most @max bytes, cut on a character boundary and marked, the cut
 * counted. Built in @buf (max + LT_REP_CUT_MAX bytes) only when it differs.
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
		o += (size_t)snprintf(buf + o, LT_REP_CUT_MAX, LT_REP_CUT_MARK, f.n);
		r->cut++;
	}
	return (struct lt_str){ buf, o };
}

/* The same, in the event's scratch space (events are read only when the
 * report has one: lt_report_line_padded). */
static struct lt_str keep(struct lt_report *r, struct lt_str f, size_t max)
{
	char *buf = r->scratch + r->scratch_used;

	if (r->scratch_used + max + LT_REP_CUT_MAX > LT_REP_SCRATCH) {
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
	char buf[LT_REP_STR_HEAD + LT_REP_CUT_MAX];
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
	r->xfails_max = LT_REP_XFAILS_MAX;
	lt_hash_key(r->hash_key);
	r->scratch = malloc(LT_REP_SCRATCH);
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
	s->host_idx = s->session_idx = -1; /* not known yet (xhost.c) */
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
	if (e->format > s->format)
		s->format = e->format; /* whatever follows is in that format */
	if (s->header)
		return; /* a rotated part: the first one says it */
	s->header = true;
	s->host = keep_dup(r, &e->host);
	s->kernel = keep_dup(r, &e->kernel);
	s->tier = keep_dup(r, &e->tier);
	s->version = keep_dup(r, &e->version);
	s->start = keep_dup(r, &e->start);
	if (e->machine_id.s)
		s->machine_id = keep_dup(r, &e->machine_id);
	lt_rep_xhost_header(r, s, e);
}

/* A time as recorded (a JSON string's bytes): microseconds; -1 if it is not one. */
static int time_of(struct lt_str f, __s64 *t)
{
	char tbuf[64];

	if (!f.s || f.n >= sizeof(tbuf) || memchr(f.s, '\0', f.n))
		return -1;
	memcpy(tbuf, f.s, f.n);
	tbuf[f.n] = '\0';
	return lt_rep_parse_time(tbuf, t);
}

static void on_trailer(struct lt_report *r, struct lt_rep_source *s, const struct lt_rep_rec *e)
{
	__s64 end;

	/* When the recording ended: a hold still held lasted until then. */
	if (!time_of(e->end, &end))
		lt_rep_xhost_seen(r, s, end);
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

/* One event of value @v, kept, counted in table @t. */
static struct lt_rep_count *count_add(struct lt_report *r, struct lt_rep_tab *t, struct lt_str v,
				      __s64 t_us)
{
	return lt_rep_count_add(r, t, v.s, v.n, lt_rep_hash(r, v.s, v.n), t_us);
}

static void on_event(struct lt_report *r, struct lt_rep_source *s, const struct lt_rep_rec *e)
{
	struct lt_rep_hold_fields h = {};
	const struct lt_rep_count *ev_item, *comm_item, *err_item, *kind_item;
	char ubuf[16];
	struct lt_rep_fields f;
	__u32 pid = e->pid, uid = e->uid;
	bool hold = e->have_hold && e->ret >= 0;
	__s64 t;

	if (time_of(e->time, &t) || !e->event.n) {
		s->bad_lines++;
		return;
	}
	s->events++;
	lt_rep_xhost_seen(r, s, t);
	r->scratch_used = 0;
	if (hold) {
		/* A lock taken or let go: the context of failures on other
		 * hosts, whatever the filters. */
		h.path = keep(r, e->path, LT_REP_STR_LONG);
		h.comm = keep(r, e->comm, LT_REP_STR_SHORT);
		h.share = keep(r, e->share, LT_REP_STR_HEAD);
		h.share_path = keep(r, e->share_path, LT_REP_STR_LONG);
		h.kind = keep(r, e->hold_kind, LT_REP_STR_SHORT);
		h.type = keep(r, e->hold_type, LT_REP_STR_SHORT);
		h.mount = keep(r, e->hold_mount, LT_REP_STR_LONG);
		lt_rep_xhost_hold(r, s, t, e, &h);
	}
	/* The filters see the fields as recorded, whole; only what passes is
	 * kept (and its cuts counted). */
	if (!wanted(r, t, raw(e->path), raw(e->kind_s), uid, raw(e->comm))) {
		r->filtered_out++;
		return;
	}
	f.event = keep(r, e->event, LT_REP_STR_SHORT);
	f.path = hold ? h.path : keep(r, e->path, LT_REP_STR_LONG);
	f.comm = hold ? h.comm : keep(r, e->comm, LT_REP_STR_SHORT);
	if (!r->events || t < r->first_us)
		r->first_us = t;
	if (!r->events || t > r->last_us)
		r->last_us = t;
	r->events++;
	f.path_hash = lt_rep_hash(r, f.path.s, f.path.n);
	f.uid.s = ubuf;
	f.uid.n = (size_t)snprintf(ubuf, sizeof(ubuf), "%u", uid);
	ev_item = count_add(r, &r->by_event, f.event, t);
	lt_rep_count_add(r, &r->paths, f.path.s, f.path.n, f.path_hash, t);
	comm_item = count_add(r, &r->comms, f.comm, t);
	count_add(r, &r->uids, f.uid, t);
	if (str_is(f.event, "lock_wait")) {
		r->waits++;
		lt_rep_lock_wait(r, t, &f, pid, uid, e);
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
	err_item = count_add(r, &r->by_error, f.error, t);
	kind_item = count_add(r, &r->by_cause, f.kind, t);
	lt_rep_point_add(r, t, kind_item);
	lt_rep_group_add(r, t, &f, uid);
	if (str_is(f.kind, "lock_held"))
		lt_rep_lock_held(r, &f, pid, uid, e);
	lt_rep_xhost_failure(r, s, t, &f, e->mntns, pid, uid, ev_item, err_item, kind_item,
			     comm_item);
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
		on_trailer(r, s, &e);
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

void lt_report_free(struct lt_report *r)
{
	size_t i;

	lt_rep_xhost_free(r); /* before the tables: it walks them */
#define X(member, ...) lt_rep_tab_free(&r->member);
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

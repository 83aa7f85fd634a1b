// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The report as one JSON object: every table and group, for programs. Pure. */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "common/text.h"
#include "common/timefmt.h"
#include "fmt.h"
#include "model.h"
#include "render.h"

static void json_time(struct lt_buf *b, const char *key, __s64 us)
{
	lt_buf_printf(b, "\"%s\":\"", key);
	lt_rep_put_time(b, us);
	lt_buf_puts(b, "\"");
}

static void json_s(struct lt_buf *b, const char *key, const char *s)
{
	lt_buf_printf(b, "\"%s\":", key);
	lt_json_str(b, s ? s : "", s ? strlen(s) : 0);
}

static void json_tab(struct lt_buf *b, const char *key, const struct lt_rep_tab *t, size_t max)
{
	const struct lt_rep_count **rows;
	size_t n;

	lt_buf_printf(b, ",\"%s\":[", key);
	rows = t->used ? calloc(t->used, sizeof(*rows)) : NULL;
	n = rows ? lt_rep_tab_sorted(t, rows, max < t->used ? max : t->used) : 0;
	for (size_t i = 0; i < n; i++) {
		lt_buf_puts(b, i ? ",{\"key\":" : "{\"key\":");
		lt_json_str(b, rows[i]->key.s, rows[i]->key.n);
		lt_buf_printf(b, ",\"count\":%llu}", rows[i]->n);
	}
	free(rows);
	lt_buf_puts(b, "]");
}

static void json_who(struct lt_buf *b, const char *key, const struct lt_rep_who *w, int n)
{
	lt_buf_printf(b, ",\"%s\":[", key);
	for (int i = 0; i < n; i++) {
		lt_buf_printf(b, "%s{\"pid\":%u,\"uid\":%u,", i ? "," : "", w[i].pid, w[i].uid);
		json_s(b, "comm", w[i].comm);
		lt_buf_printf(b, ",\"count\":%llu}", w[i].n);
	}
	lt_buf_puts(b, "]");
}

/* What the report's limits left out, only when they did: "strings_cut",
 * and "not_kept" with, for each array that does not hold every value, the
 * events (failures, lock events) of the values it did not keep. */
static void json_limits(const struct lt_report *r, struct lt_buf *b)
{
	bool first = true;

	if (r->cut)
		lt_buf_printf(b, ",\"strings_cut\":%llu", r->cut);
#define X(member, json, ...)                                                             \
	if (r->member.more) {                                                            \
		lt_buf_printf(b, "%s\"%s\":%llu", first ? ",\"not_kept\":{" : ",", json, \
			      r->member.more);                                           \
		first = false;                                                           \
	}
	LT_REP_TABLES(X)
#undef X
	if (!first)
		lt_buf_puts(b, "}");
}

/* A time to the microsecond: the cross-host section's intervals are. */
static void json_time_us(struct lt_buf *b, const char *key, __s64 us)
{
	char t[LT_TIME_LEN];

	lt_time_utc(us, LT_TIME_USEC, t, sizeof(t));
	lt_buf_printf(b, "\"%s\":\"%s\"", key, t);
}

static void json_xholder(const struct lt_report *r, struct lt_buf *b, const struct lt_rep_xhold *x)
{
	lt_buf_puts(b, ",\"holder\":{");
	json_s(b, "host", r->hosts[x->host]);
	lt_buf_printf(b, ",\"pid\":%u,\"uid\":%u,", x->pid, x->uid);
	json_s(b, "comm", x->comm);
	lt_buf_puts(b, ",");
	json_s(b, "kind", x->kind);
	lt_buf_puts(b, ",");
	json_s(b, "type", x->type);
	lt_buf_printf(b, ",\"hold\":%llu,", (unsigned long long)x->id);
	json_time_us(b, "from", x->from_us);
	lt_buf_puts(b, ",");
	json_time_us(b, "to", x->to_us);
	lt_buf_printf(b, ",\"still_held\":%s}", x->open ? "true" : "false");
}

static void json_xrow(const struct lt_report *r, struct lt_buf *b, const struct lt_rep_xrow *w)
{
	lt_buf_puts(b, "{");
	json_s(b, "host", r->hosts[w->host]);
	lt_buf_printf(b, ",\"count\":%llu,", w->count);
	json_time_us(b, "first", w->first_us);
	lt_buf_puts(b, ",");
	json_time_us(b, "last", w->last_us);
	lt_buf_puts(b, ",");
	json_s(b, "event", lt_rep_item(w->event));
	lt_buf_puts(b, ",");
	json_s(b, "error", lt_rep_item(w->error));
	lt_buf_puts(b, ",");
	json_s(b, "cause", lt_rep_item(w->cause));
	lt_buf_printf(b, ",\"pid\":%u,\"uid\":%u,", w->pid, w->uid);
	json_s(b, "comm", lt_rep_item(w->comm));
	json_xholder(r, b, w->holder);
	lt_buf_printf(b, ",\"other_holds\":%llu}", w->others);
}

/* "cross_host": the failures on shares another host's hold covered, by
 * file; only when the recordings hold locks or failures on shares. */
static void json_xhost(const struct lt_report *r, struct lt_buf *b)
{
	if (!lt_rep_has_xhost(r))
		return;
	lt_buf_printf(
		b,
		",\"cross_host\":{\"failures_on_shares\":%llu,\"while_held\":%llu,"
		"\"holds\":%zu,\"untracked_holds\":%llu,\"failures_not_kept\":%llu,\"hosts\":[",
		r->xfails, r->xmatched, r->xhold_set.used, r->xuntracked, r->xfails_more);
	for (size_t i = 0; i < r->nhosts; i++) {
		lt_buf_puts(b, i ? "," : "");
		lt_json_str(b, r->hosts[i], strlen(r->hosts[i]));
	}
	lt_buf_puts(b, "],\"files\":[");
	for (size_t i = 0; i < r->nxlocks; i++) {
		const struct lt_rep_xlock *l = r->xlocks[i];

		lt_buf_puts(b, i ? ",{" : "{");
		json_s(b, "share", l->share);
		lt_buf_puts(b, ",");
		json_s(b, "share_path", l->share_path);
		lt_buf_printf(b, ",\"while_held\":%llu,\"paths\":[", l->matched);
		for (int k = 0; k < l->nwhere; k++) {
			lt_buf_puts(b, k ? ",{" : "{");
			json_s(b, "host", r->hosts[l->where[k].host]);
			lt_buf_puts(b, ",");
			json_s(b, "path", l->where[k].path);
			lt_buf_puts(b, "}");
		}
		lt_buf_puts(b, "],\"rows\":[");
		for (size_t k = 0; k < l->nrows; k++) {
			lt_buf_puts(b, k ? "," : "");
			json_xrow(r, b, r->xrows[l->row0 + k]);
		}
		lt_buf_puts(b, "]}");
	}
	lt_buf_puts(b, "]}");
}

void lt_report_render_json(const struct lt_report *r, struct lt_buf *b)
{
	lt_buf_puts(b, "{\"type\":\"report\",");
	if (r->events) {
		json_time(b, "first", r->first_us);
		lt_buf_puts(b, ",");
		json_time(b, "last", r->last_us);
		lt_buf_puts(b, ",");
	}
	lt_buf_printf(b,
		      "\"events\":%llu,\"failures\":%llu,\"lock_waits\":%llu,\"filtered_out\":%llu",
		      r->events, r->failures, r->waits, r->filtered_out);
	json_limits(r, b);
	lt_buf_puts(b, ",\"sources\":[");
	for (size_t i = 0; i < r->nsources; i++) {
		const struct lt_rep_source *s = &r->sources[i];

		lt_buf_puts(b, i ? ",{" : "{");
		json_s(b, "file", s->file);
		if (s->header) {
			lt_buf_puts(b, ",");
			json_s(b, "host", s->host);
			lt_buf_puts(b, ",");
			json_s(b, "kernel", s->kernel);
			lt_buf_puts(b, ",");
			json_s(b, "tier", s->tier);
			lt_buf_puts(b, ",");
			json_s(b, "start", s->start);
		}
		lt_buf_printf(b, ",\"lines\":%llu,\"events\":%llu,\"bad_lines\":%llu,\"torn\":%s",
			      s->lines, s->events, s->bad_lines, s->torn ? "true" : "false");
		if (s->trailer)
			lt_buf_printf(b,
				      ",\"trailer\":{\"seen\":%llu,\"written\":%llu,"
				      "\"dropped_kernel\":%llu,\"dropped_write\":%llu}",
				      s->seen, s->written, s->dropped_kernel, s->dropped_write);
		lt_buf_puts(b, "}");
	}
	lt_buf_puts(b, "]");
	json_tab(b, "by_operation", &r->by_event, (size_t)-1);
	json_tab(b, "by_error", &r->by_error, (size_t)-1);
	json_tab(b, "by_cause", &r->by_cause, (size_t)-1);
	json_tab(b, "top_paths", &r->paths, lt_rep_top(r));
	json_tab(b, "top_commands", &r->comms, lt_rep_top(r));
	json_tab(b, "top_uids", &r->uids, lt_rep_top(r));
	lt_buf_puts(b, ",\"groups\":[");
	for (size_t i = 0; i < r->ngroups; i++) {
		const struct lt_rep_group *g = r->groups[i];

		lt_buf_printf(b, "%s{\"count\":%llu,", i ? "," : "", g->count);
		json_time(b, "first", g->first_us);
		lt_buf_puts(b, ",");
		json_time(b, "last", g->last_us);
		lt_buf_puts(b, ",");
		json_s(b, "path", g->path);
		lt_buf_puts(b, ",");
		json_s(b, "event", g->event);
		lt_buf_puts(b, ",");
		json_s(b, "error", g->error);
		lt_buf_puts(b, ",");
		json_s(b, "cause", g->cause);
		lt_buf_puts(b, ",");
		json_s(b, "comm", g->comm);
		lt_buf_printf(b, ",\"uid\":%u,", g->uid);
		json_s(b, "detail", g->detail);
		lt_buf_puts(b, ",");
		json_s(b, "fix", g->fix);
		lt_buf_puts(b, ",");
		json_s(b, "evidence", g->evidence);
		if (g->lsm && *g->lsm) {
			lt_buf_puts(b, ",");
			json_s(b, "lsm", g->lsm);
		}
		lt_buf_puts(b, "}");
	}
	lt_buf_puts(b, "],\"contention\":[");
	for (size_t i = 0; i < r->nlocks; i++) {
		const struct lt_rep_lock *l = r->locks[i];

		lt_buf_puts(b, i ? ",{" : "{");
		json_s(b, "path", l->key.s);
		lt_buf_printf(b,
			      ",\"refused\":%llu,\"waits\":%llu,\"wait_max_us\":%llu,"
			      "\"wait_total_us\":%llu",
			      l->refused, l->waits, (unsigned long long)l->wait_max_us,
			      (unsigned long long)l->wait_total_us);
		json_who(b, "holders", l->holders, l->nholders);
		json_who(b, "waiters", l->waiters, l->nwaiters);
		lt_buf_puts(b, ",\"longest_waits\":[");
		for (int k = 0; k < l->nlongest; k++) {
			const struct lt_rep_wait *w = &l->longest[k];

			lt_buf_printf(b, "%s{", k ? "," : "");
			json_time(b, "time", w->t_us);
			lt_buf_printf(b, ",\"wait_us\":%llu,\"pid\":%u,",
				      (unsigned long long)w->wait_us, w->pid);
			json_s(b, "comm", w->comm);
			lt_buf_printf(b, ",\"holder_pid\":%u,", w->holder_pid);
			json_s(b, "holder_comm", w->holder_comm);
			lt_buf_puts(b, "}");
		}
		lt_buf_puts(b, "]}");
	}
	lt_buf_puts(b, "]");
	json_xhost(r, b);
	lt_buf_puts(b, "}\n");
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The report as one self-contained HTML page: its head and style, the
 * summary, the distinct failures and the contention; the timeline is
 * timeline.c's. Pure. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "common/timefmt.h"
#include "fmt.h"
#include "model.h"
#include "render.h"

static const char html_css[] =
	"body{font:14px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:1200px;"
	"padding:0 1em;color:#1b1b1b;background:#fff}\n"
	"h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin:1.6em 0 .5em;"
	"border-bottom:1px solid #ccc}h3{font-size:1.05em;margin:1.2em 0 .4em}\n"
	"table{border-collapse:collapse;margin:.4em 0 1em}\n"
	"th,td{border:1px solid #bbb;padding:2px 6px;text-align:left;vertical-align:top}\n"
	"th{background:#eef1f5}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	"code,.path,.t{font-family:ui-monospace,monospace;font-size:.93em}\n"
	".path{word-break:break-all}.t{white-space:nowrap}\n"
	".esc{color:#b00;background:#fde8e8}\n"
	".warn{color:#8a4b00;background:#fff4e0;border-left:4px solid #e69500;padding:2px 8px}\n"
	".tops{display:flex;flex-wrap:wrap;gap:0 2em}.tops h3{margin-top:.6em}\n"
	"tr.group-detail td{background:#fafafa;border-top:none}\n"
	".why,.fix{margin:0}.why b,.fix b{display:inline-block;width:2.5em}\n"
	"svg{background:#fcfcfc;border:1px solid #ccc;max-width:100%;height:auto}\n"
	"svg text{font:11px ui-monospace,monospace;fill:#333}\n"
	"ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3em 1.4em}\n"
	".sw{display:inline-block;width:.9em;height:.9em;margin-right:.35em;"
	"vertical-align:-.1em;border:1px solid #0003}\n"
	".lock{border:1px solid #ccc;padding:.2em 1em .6em;margin:1em 0}\n"
	".muted{color:#666}\n";

/* A command name: LT_COMM_LEN bytes, not necessarily NUL-terminated. */
static void html_comm(struct lt_buf *b, const char *comm)
{
	lt_rep_html_esc(b, comm, strnlen(comm, LT_COMM_LEN), true);
}

static bool has_range(const struct lt_report *r)
{
	return r->events && r->first_us <= r->last_us;
}

/* ---- Head and summary --------------------------------------------- */

static void render_head(const struct lt_report *r, struct lt_buf *b)
{
	lt_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
	/* Nothing is fetched and nothing runs, even if a string got through. */
	lt_buf_puts(b, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		       "style-src 'unsafe-inline'\">\n");
	lt_buf_puts(b,
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
	lt_buf_puts(b, "<title>locktrace report");
	if (has_range(r)) {
		lt_buf_puts(b, ": ");
		lt_rep_put_time(b, r->first_us);
		lt_buf_puts(b, " to ");
		lt_rep_put_time(b, r->last_us);
	}
	lt_buf_puts(b, "</title>\n<style>\n");
	lt_buf_puts(b, html_css);
	lt_buf_puts(b, "</style>\n</head>\n<body>\n");
}

static void render_sources(const struct lt_report *r, struct lt_buf *b)
{
	size_t i;

	lt_buf_puts(b, "<h3>Recordings</h3>\n");
	if (!r->nsources) {
		lt_buf_puts(b, "<p class=\"muted\">none</p>\n");
		return;
	}
	lt_buf_puts(b, "<table id=\"sources\">\n<tr><th>file</th><th>host</th><th>kernel</th>"
		       "<th>tier</th><th>version</th><th>start</th><th>lines</th><th>events</th>"
		       "<th>seen</th><th>written</th><th>dropped (kernel)</th>"
		       "<th>dropped (write)</th></tr>\n");
	for (i = 0; i < r->nsources; i++) {
		const struct lt_rep_source *s = &r->sources[i];

		lt_buf_puts(b, "<tr><td class=\"path\">");
		lt_rep_html_str(b, s->file);
		if (s->header) {
			lt_buf_puts(b, "</td><td>");
			lt_rep_html_str(b, s->host);
			lt_buf_puts(b, "</td><td>");
			lt_rep_html_str(b, s->kernel);
			lt_buf_puts(b, "</td><td>");
			lt_rep_html_str(b, s->tier);
			lt_buf_puts(b, "</td><td>");
			lt_rep_html_str(b, s->version);
			lt_buf_puts(b, "</td><td class=\"t\">");
			lt_rep_html_str(b, s->start);
		} else {
			lt_buf_puts(b, "</td><td colspan=\"5\" class=\"muted\">no header");
		}
		lt_buf_printf(b, "</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td>",
			      s->lines, s->events);
		if (s->trailer)
			lt_buf_printf(b,
				      "<td class=\"n\">%llu</td><td class=\"n\">%llu</td>"
				      "<td class=\"n\">%llu</td><td class=\"n\">%llu</td>",
				      s->seen, s->written, s->dropped_kernel, s->dropped_write);
		else
			lt_buf_puts(b,
				    "<td colspan=\"4\" class=\"muted\">no trailer (the recording "
				    "did not end cleanly)</td>");
		lt_buf_puts(b, "</tr>\n");
	}
	lt_buf_puts(b, "</table>\n");
	for (i = 0; i < r->nsources; i++) {
		const struct lt_rep_source *s = &r->sources[i];
		unsigned long long dropped = s->trailer ? s->dropped_kernel + s->dropped_write : 0;
		const char *sep = "";

		if (!s->torn && !s->bad_lines && !dropped)
			continue;
		lt_buf_puts(b, "<p class=\"warn\">warning: <span class=\"path\">");
		lt_rep_html_str(b, s->file);
		lt_buf_puts(b, "</span>: ");
		if (s->torn) {
			lt_buf_puts(b, "its last line was cut (a killed recording) and skipped");
			sep = "; ";
		}
		if (s->bad_lines) {
			lt_buf_printf(b, "%s%llu malformed line%s skipped", sep, s->bad_lines,
				      s->bad_lines == 1 ? "" : "s");
			sep = "; ";
		}
		if (dropped)
			lt_buf_printf(b, "%s%llu event%s dropped while recording", sep, dropped,
				      dropped == 1 ? "" : "s");
		lt_buf_puts(b, "</p>\n");
	}
}

/* What a table did not keep, if anything (the report's limits). */
static void html_more(const struct lt_report *r, struct lt_buf *b, const struct lt_rep_tab *t)
{
	char line[200];

	if (lt_rep_more(r, t, line, sizeof(line)))
		lt_buf_printf(b, "<p class=\"warn more\">%s</p>\n", line);
}

/* One "top" table: key, count and when last seen, the most frequent first. */
static void render_tab(const struct lt_report *r, struct lt_buf *b, const char *title,
		       const char *id, const struct lt_rep_tab *t, size_t rows, bool mono)
{
	const struct lt_rep_count **v;
	size_t n, i;

	lt_buf_printf(b, "<div>\n<h3>%s</h3>\n", title);
	if (rows > t->used)
		rows = t->used;
	v = calloc(rows ? rows : 1, sizeof(*v));
	if (!v) {
		b->oom = true;
		return;
	}
	n = lt_rep_tab_sorted(t, v, rows);
	if (!n) {
		lt_buf_puts(b, "<p class=\"muted\">none</p>\n");
		html_more(r, b, t);
		lt_buf_puts(b, "</div>\n");
		free(v);
		return;
	}
	lt_buf_printf(b,
		      "<table id=\"%s\">\n<tr><th>%s</th><th>count</th><th>last seen</th></tr>\n",
		      id, title);
	for (i = 0; i < n; i++) {
		lt_buf_puts(b, mono ? "<tr><td class=\"path\">" : "<tr><td>");
		lt_rep_html_str(b, v[i]->key.s);
		lt_buf_printf(b, "</td><td class=\"n\">%llu</td><td class=\"t\">", v[i]->n);
		if (v[i]->last_us)
			lt_rep_put_time(b, v[i]->last_us);
		lt_buf_puts(b, "</td></tr>\n");
	}
	if (t->used > n)
		lt_buf_printf(b, "<tr><td colspan=\"3\" class=\"muted\">%zu more</td></tr>\n",
			      t->used - n);
	lt_buf_puts(b, "</table>\n");
	html_more(r, b, t);
	lt_buf_puts(b, "</div>\n");
	free(v);
}

static void render_summary(const struct lt_report *r, struct lt_buf *b)
{
	size_t rows = lt_rep_top(r);

	lt_buf_puts(b, "<h1>locktrace report</h1>\n<section id=\"summary\">\n<p>");
	if (has_range(r)) {
		lt_buf_puts(b, "From <span class=\"t\">");
		lt_rep_put_time(b, r->first_us);
		lt_buf_puts(b, "</span> to <span class=\"t\">");
		lt_rep_put_time(b, r->last_us);
		lt_buf_puts(b, "</span> (UTC).");
	} else {
		lt_buf_puts(b, "No events in the recordings (after the filters).");
	}
	lt_buf_puts(b, "</p>\n");
	if (r->oom)
		lt_buf_puts(b, "<p class=\"warn\">warning: memory ran out while reading: this "
			       "report is incomplete</p>\n");
	if (r->cut)
		lt_buf_printf(
			b,
			"<p class=\"warn\" id=\"cut\">%llu strings over the report's length "
			"limits were cut; they end in &quot;...[cut from N bytes]&quot;</p>\n",
			r->cut);
	render_sources(r, b);
	lt_buf_puts(b, "<h3>Totals</h3>\n<table id=\"totals\">\n");
	lt_buf_printf(b, "<tr><th>events</th><td class=\"n\">%llu</td></tr>\n", r->events);
	lt_buf_printf(b, "<tr><th>failures</th><td class=\"n\">%llu</td></tr>\n", r->failures);
	lt_buf_printf(b, "<tr><th>lock waits</th><td class=\"n\">%llu</td></tr>\n", r->waits);
	if (r->filtered_out)
		lt_buf_printf(b, "<tr><th>filtered out</th><td class=\"n\">%llu</td></tr>\n",
			      r->filtered_out);
	lt_buf_puts(b, "</table>\n<div class=\"tops\">\n");
	render_tab(r, b, "operation", "by-event", &r->by_event, rows, false);
	render_tab(r, b, "error", "by-error", &r->by_error, rows, false);
	render_tab(r, b, "cause", "by-cause", &r->by_cause, rows, false);
	lt_buf_puts(b, "</div>\n<div class=\"tops\">\n");
	render_tab(r, b, "path", "top-paths", &r->paths, rows, true);
	render_tab(r, b, "process", "top-comms", &r->comms, rows, false);
	render_tab(r, b, "uid", "top-uids", &r->uids, rows, false);
	lt_buf_puts(b, "</div>\n</section>\n");
}

/* ---- Groups ----------------------------------------------------------- */

static void render_groups(const struct lt_report *r, struct lt_buf *b)
{
	size_t max = lt_rep_group_rows(r), i;

	lt_buf_puts(b, "<section id=\"groups-section\">\n<h2>Distinct failures</h2>\n");
	lt_buf_puts(b, "<table id=\"groups\">\n<tr><th>count</th><th>first</th><th>last</th>"
		       "<th>path</th><th>operation</th><th>error</th><th>cause</th><th>comm</th>"
		       "<th>uid</th></tr>\n");
	for (i = 0; i < r->ngroups && i < max; i++) {
		const struct lt_rep_group *g = r->groups[i];

		lt_buf_puts(b, "<tr class=\"group\" data-cause=\"");
		lt_rep_html_attr(b, g->cause);
		lt_buf_printf(b, "\"><td class=\"n\">%llu</td><td class=\"t\">", g->count);
		lt_rep_put_time(b, g->first_us);
		lt_buf_puts(b, "</td><td class=\"t\">");
		lt_rep_put_time(b, g->last_us);
		lt_buf_puts(b, "</td><td class=\"path\">");
		lt_rep_html_str(b, g->path);
		lt_buf_puts(b, "</td><td>");
		lt_rep_html_str(b, g->event);
		lt_buf_puts(b, "</td><td>");
		lt_rep_html_str(b, g->error);
		lt_buf_puts(b, "</td><td>");
		lt_rep_html_str(b, g->cause);
		lt_buf_puts(b, "</td><td>");
		lt_rep_html_str(b, g->comm);
		lt_buf_printf(b, "</td><td class=\"n\">%u</td></tr>\n", (unsigned int)g->uid);

		lt_buf_puts(b, "<tr class=\"group-detail\" data-cause=\"");
		lt_rep_html_attr(b, g->cause);
		lt_buf_puts(b, "\"><td colspan=\"9\"><p class=\"why\"><b>why</b> ");
		lt_rep_html_str(b, g->detail);
		if (g->evidence && g->evidence[0]) {
			lt_buf_puts(b, " <span class=\"muted\">[");
			lt_rep_html_str(b, g->evidence);
			lt_buf_puts(b, "]</span>");
		}
		if (g->lsm && g->lsm[0]) {
			lt_buf_puts(b, " <span class=\"muted\">(security module: ");
			lt_rep_html_str(b, g->lsm);
			lt_buf_puts(b, ")</span>");
		}
		lt_buf_puts(b, "</p>");
		if (g->fix && g->fix[0]) {
			lt_buf_puts(b, "<p class=\"fix\"><b>fix</b> ");
			lt_rep_html_str(b, g->fix);
			lt_buf_puts(b, "</p>");
		}
		lt_buf_puts(b, "</td></tr>\n");
	}
	if (!i)
		lt_buf_puts(b, "<tr><td colspan=\"9\" class=\"muted\">no failures</td></tr>\n");
	lt_buf_puts(b, "</table>\n");
	if (r->ngroups > i)
		lt_buf_printf(b, "<p class=\"muted\">%zu more distinct failures not shown</p>\n",
			      r->ngroups - i);
	html_more(r, b, &r->group_set);
	lt_buf_puts(b, "</section>\n");
}

/* ---- Contention ------------------------------------------------------- */

static void render_who(struct lt_buf *b, const char *title, const struct lt_rep_who *w, int n)
{
	int i;

	if (n <= 0)
		return;
	if (n > LT_REP_WHO_MAX)
		n = LT_REP_WHO_MAX;
	lt_buf_printf(b,
		      "<table class=\"who\">\n<tr><th colspan=\"4\">%s</th></tr>\n"
		      "<tr><th>pid</th><th>comm</th><th>uid</th><th>seen</th></tr>\n",
		      title);
	for (i = 0; i < n; i++) {
		lt_buf_printf(b, "<tr><td class=\"n\">%u</td><td>", (unsigned int)w[i].pid);
		html_comm(b, w[i].comm);
		lt_buf_printf(b, "</td><td class=\"n\">%u</td><td class=\"n\">%llu</td></tr>\n",
			      (unsigned int)w[i].uid, w[i].n);
	}
	lt_buf_puts(b, "</table>\n");
}

static void render_lock(const struct lt_rep_lock *l, struct lt_buf *b)
{
	int i, n;

	lt_buf_puts(b, "<div class=\"lock\" data-path=\"");
	lt_rep_html_attr(b, l->key.s);
	lt_buf_puts(b, "\">\n<h3 class=\"path\">");
	lt_rep_html_str(b, l->key.s);
	lt_buf_printf(b, "</h3>\n<p>refused <b>%llu</b> time%s; <b>%llu</b> wait%s", l->refused,
		      l->refused == 1 ? "" : "s", l->waits, l->waits == 1 ? "" : "s");
	if (l->waits) {
		lt_buf_puts(b, ", longest ");
		lt_rep_put_ms(b, l->wait_max_us);
		lt_buf_puts(b, ", in all ");
		lt_rep_put_ms(b, l->wait_total_us);
	}
	lt_buf_puts(b, "</p>\n<div class=\"tops\">\n");
	render_who(b, "holders", l->holders, l->nholders);
	render_who(b, "waiters", l->waiters, l->nwaiters);
	lt_buf_puts(b, "</div>\n");
	n = l->nlongest < LT_REP_WAITS_MAX ? l->nlongest : LT_REP_WAITS_MAX;
	if (n <= 0) {
		lt_buf_puts(b, "</div>\n");
		return;
	}
	lt_buf_puts(b, "<table class=\"waits\">\n<tr><th>time</th><th>waiter</th><th>holder</th>"
		       "<th>wait</th></tr>\n");
	for (i = 0; i < n; i++) {
		const struct lt_rep_wait *w = &l->longest[i];

		lt_buf_puts(b, "<tr><td class=\"t\">");
		lt_rep_put_time(b, w->t_us);
		lt_buf_printf(b, "</td><td>%u (", (unsigned int)w->pid);
		html_comm(b, w->comm);
		lt_buf_puts(b, ")</td><td>");
		if (w->holder_pid) {
			lt_buf_printf(b, "%u (", (unsigned int)w->holder_pid);
			html_comm(b, w->holder_comm);
			lt_buf_puts(b, ")");
		} else {
			lt_buf_puts(b, "<span class=\"muted\">unknown</span>");
		}
		lt_buf_puts(b, "</td><td class=\"n\">");
		lt_rep_put_ms(b, w->wait_us);
		lt_buf_puts(b, "</td></tr>\n");
	}
	lt_buf_puts(b, "</table>\n</div>\n");
}

static void render_contention(const struct lt_report *r, struct lt_buf *b)
{
	size_t max = lt_rep_group_rows(r), i;

	lt_buf_puts(b, "<section id=\"contention\">\n<h2>Lock contention</h2>\n");
	for (i = 0; i < r->nlocks && i < max; i++)
		render_lock(r->locks[i], b);
	if (!i)
		lt_buf_puts(b, "<p class=\"muted\">no lock was refused or waited for</p>\n");
	if (r->nlocks > i)
		lt_buf_printf(b, "<p class=\"muted\">%zu more locks not shown</p>\n",
			      r->nlocks - i);
	html_more(r, b, &r->lock_set);
	lt_buf_puts(b, "</section>\n");
}

/* ---- Cross-host contention --------------------------------------------- */

/* A time to the millisecond, in a cell. */
static void html_ms(struct lt_buf *b, __s64 us)
{
	char t[LT_TIME_LEN];

	lt_time_utc(us, LT_TIME_MSEC, t, sizeof(t));
	lt_rep_html_str(b, t);
}

static void render_xrow(const struct lt_report *r, struct lt_buf *b, const struct lt_rep_xrow *w)
{
	const struct lt_rep_xhold *x = w->holder;
	const char *note = lt_rep_remote_note(w->cause);
	char lock[48];

	lt_buf_puts(b, "<tr class=\"xrow\" data-cause=\"");
	lt_rep_html_attr(b, lt_rep_item(w->cause));
	lt_buf_puts(b, "\"><td>");
	lt_rep_html_str(b, r->hosts[w->host]);
	lt_buf_puts(b, "</td><td class=\"t\">");
	html_ms(b, w->first_us);
	if (w->count > 1) {
		lt_buf_puts(b, " to ");
		html_ms(b, w->last_us);
	}
	lt_buf_printf(b, "</td><td class=\"n\">%llu</td><td>", w->count);
	lt_rep_html_str(b, lt_rep_item(w->event));
	lt_buf_puts(b, "</td><td>");
	lt_rep_html_str(b, lt_rep_item(w->error));
	lt_buf_puts(b, "</td><td>");
	lt_rep_html_str(b, lt_rep_item(w->cause));
	if (note) {
		lt_buf_puts(b, " <span class=\"muted\">(");
		lt_rep_html_str(b, note);
		lt_buf_puts(b, ")</span>");
	}
	lt_buf_printf(b, "</td><td>%u (", w->pid);
	lt_rep_html_str(b, lt_rep_item(w->comm));
	lt_buf_printf(b, ") uid %u</td><td>", w->uid);
	lt_rep_html_str(b, r->hosts[x->host]);
	lt_buf_printf(b, ": %u (", x->pid);
	html_comm(b, x->comm);
	lt_buf_puts(b, ")");
	if (w->others)
		lt_buf_printf(b, " <span class=\"muted\">and %llu other hold%s</span>", w->others,
			      w->others == 1 ? "" : "s");
	lt_buf_puts(b, "</td><td>");
	lt_rep_html_str(b, lt_rep_hold_lock(x, lock, sizeof(lock)));
	lt_buf_puts(b, "</td><td class=\"t\">");
	html_ms(b, x->from_us);
	lt_buf_puts(b, "</td><td class=\"t\">");
	html_ms(b, x->to_us);
	if (x->open)
		lt_buf_puts(b,
			    " <span class=\"muted\">(still held when its recording ended)</span>");
	lt_buf_puts(b, "</td></tr>\n");
}

/* Each failure on a share's file that another host's hold covered, by file;
 * only when the recordings hold locks or failures on shares. */
static void render_xhost(const struct lt_report *r, struct lt_buf *b)
{
	size_t max = lt_rep_group_rows(r), shown = 0;

	if (!lt_rep_has_xhost(r))
		return;
	lt_buf_printf(
		b,
		"<section id=\"cross-host\">\n<h2>Cross-host contention</h2>\n<p>%llu of %llu "
		"failures on shares happened while another host held the lock (%zu lock%s "
		"held on shares, in recordings of %zu host%s)",
		r->xmatched, r->xfails, r->xhold_set.used, r->xhold_set.used == 1 ? "" : "s",
		r->nhosts, r->nhosts == 1 ? "" : "s");
	if (r->xuntracked)
		lt_buf_printf(b, "; %llu more taken untracked", r->xuntracked);
	lt_buf_puts(b, ".</p>\n");
	for (size_t i = 0; i < r->nxlocks && shown < max; i++) {
		const struct lt_rep_xlock *l = r->xlocks[i];

		lt_buf_puts(b, "<div class=\"lock xlock\" data-share=\"");
		lt_rep_html_attr(b, l->share);
		lt_buf_puts(b, "\">\n<h3 class=\"path\">");
		lt_rep_html_str(b, l->share);
		lt_rep_html_str(b, l->share_path);
		lt_buf_puts(b, "</h3>\n<p>");
		for (int k = 0; k < l->nwhere; k++) {
			lt_buf_puts(b, k ? "; on " : "on ");
			lt_rep_html_str(b, r->hosts[l->where[k].host]);
			lt_buf_puts(b, ": <span class=\"path\">");
			lt_rep_html_str(b, l->where[k].path);
			lt_buf_puts(b, "</span>");
		}
		lt_buf_puts(b,
			    "</p>\n<table class=\"xrows\">\n<tr><th>host</th><th>when</th>"
			    "<th>count</th><th>operation</th><th>error</th><th>cause</th>"
			    "<th>process</th><th>while held by</th><th>lock</th><th>held from</th>"
			    "<th>held to</th></tr>\n");
		for (size_t k = 0; k < l->nrows && shown < max; k++, shown++)
			render_xrow(r, b, r->xrows[l->row0 + k]);
		lt_buf_puts(b, "</table>\n</div>\n");
	}
	if (r->nxrows > shown)
		lt_buf_printf(b, "<p class=\"muted\">%zu more rows not shown</p>\n",
			      r->nxrows - shown);
	if (r->xfails_more)
		lt_buf_printf(b,
			      "<p class=\"warn more\">%llu more failures on shares not set against "
			      "holds: the report keeps the first %zu</p>\n",
			      r->xfails_more, r->xfails_max);
	html_more(r, b, &r->xrow_set);
	html_more(r, b, &r->xlock_set);
	html_more(r, b, &r->xhold_set);
	lt_buf_puts(b, "</section>\n");
}

void lt_report_render_html(const struct lt_report *r, struct lt_buf *b)
{
	render_head(r, b);
	render_summary(r, b);
	lt_rep_html_timeline(r, b);
	render_groups(r, b);
	render_contention(r, b);
	render_xhost(r, b);
	lt_buf_puts(b, "<footer class=\"muted\"><p>locktrace report</p></footer>\n"
		       "</body>\n</html>\n");
}

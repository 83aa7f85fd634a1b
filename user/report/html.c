// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The post-incident report as one self-contained HTML page. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "common/text.h"
#include "common/timefmt.h"

#define USEC_PER_SEC 1000000LL

/* Timeline geometry: columns, and the SVG's size and margins in pixels. */
#define TL_COLS 60
#define TL_W 960
#define TL_H 280
#define TL_ML 64
#define TL_MR 16
#define TL_MT 16
#define TL_MB 44
#define TL_PLOT_W (TL_W - TL_ML - TL_MR)
#define TL_PLOT_H (TL_H - TL_MT - TL_MB)

/* One colour a cause, the most frequent first; the rest share the last. */
#define TL_COLOURS 12
static const char *const tl_palette[TL_COLOURS + 1] = {
	"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
	"#ff9da7", "#9c755f", "#1f77b4", "#8c564b", "#17becf", "#7f7f7f",
};

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

/*
 * Append s[0..n) HTML-escaped (& < > " ' as entities, so it is safe in text
 * and in quoted attributes). Control bytes, DEL, '\\', bytes that are not
 * valid UTF-8 and the characters lt_cp_unsafe() names (C1 and bidirectional
 * controls, invisible characters, noncharacters: nothing may display as
 * another path) become \xNN, one per byte; with markup, inside a
 * highlighting span. The result is valid UTF-8 whatever the input.
 */
static void html_esc(struct lt_buf *b, const char *s, size_t n, bool markup)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0; /* s[run..i) is still to be copied as is */

	while (i < n) {
		unsigned char c = u[i];
		const char *ent = NULL;
		uint32_t cp = 0;
		size_t k, j;

		switch (c) {
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		case '"':
			ent = "&quot;";
			break;
		case '\'':
			ent = "&#39;";
			break;
		}
		if (ent) {
			lt_buf_put(b, s + run, i - run);
			lt_buf_puts(b, ent);
			run = ++i;
			continue;
		}
		k = lt_utf8_decode(s + i, n - i, &cp);
		if (k && c != '\\' && !lt_cp_unsafe(cp)) {
			i += k;
			continue;
		}
		if (!k)
			k = 1;
		lt_buf_put(b, s + run, i - run);
		if (markup)
			lt_buf_puts(b, "<span class=\"esc\">");
		for (j = 0; j < k; j++)
			lt_buf_printf(b, "\\x%02x", u[i + j]);
		if (markup)
			lt_buf_puts(b, "</span>");
		i += k;
		run = i;
	}
	lt_buf_put(b, s + run, i - run);
}

/* A NUL-terminated string (NULL as empty) as element content. */
static void html_str(struct lt_buf *b, const char *s)
{
	if (s)
		html_esc(b, s, strlen(s), true);
}

/* The same for an attribute value or an SVG <title>: no markup. */
static void attr_str(struct lt_buf *b, const char *s)
{
	if (s)
		html_esc(b, s, strlen(s), false);
}

/* A command name: LT_COMM_LEN bytes, not necessarily NUL-terminated. */
static void html_comm(struct lt_buf *b, const char *comm)
{
	html_esc(b, comm, strnlen(comm, LT_COMM_LEN), true);
}

/* RFC 3339 UTC to the second; a time no calendar can hold as microseconds. */
static void put_time(struct lt_buf *b, __s64 us)
{
	char t[LT_TIME_LEN];

	lt_time_utc(us, LT_TIME_SEC, t, sizeof(t));
	lt_buf_puts(b, t);
}

/* A duration in microseconds, in milliseconds. */
static void put_ms(struct lt_buf *b, __u64 us)
{
	lt_buf_printf(b, "%.1f ms", (double)us / 1000.0);
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
		put_time(b, r->first_us);
		lt_buf_puts(b, " to ");
		put_time(b, r->last_us);
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
		html_str(b, s->file);
		if (s->header) {
			lt_buf_puts(b, "</td><td>");
			html_str(b, s->host);
			lt_buf_puts(b, "</td><td>");
			html_str(b, s->kernel);
			lt_buf_puts(b, "</td><td>");
			html_str(b, s->tier);
			lt_buf_puts(b, "</td><td>");
			html_str(b, s->version);
			lt_buf_puts(b, "</td><td class=\"t\">");
			html_str(b, s->start);
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
		html_str(b, s->file);
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
		html_str(b, v[i]->key.s);
		lt_buf_printf(b, "</td><td class=\"n\">%llu</td><td class=\"t\">", v[i]->n);
		if (v[i]->last_us)
			put_time(b, v[i]->last_us);
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
		put_time(b, r->first_us);
		lt_buf_puts(b, "</span> to <span class=\"t\">");
		put_time(b, r->last_us);
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

/* ---- Timeline ------------------------------------------------------- */

static const char *cause_name(const struct lt_report *r, size_t i)
{
	if (i < r->ncause_names && r->cause_names && r->cause_names[i])
		return r->cause_names[i];
	return "?";
}

/* The causes that get a colour: the most points first, then by name. */
static size_t pick_causes(const struct lt_report *r, const unsigned long long *total, size_t *sel)
{
	size_t nsel = 0, i, k;

	while (nsel < TL_COLOURS) {
		size_t best = SIZE_MAX;

		for (i = 0; i < r->ncause_names; i++) {
			bool taken = false;

			if (!total[i])
				continue;
			for (k = 0; k < nsel; k++)
				taken |= sel[k] == i;
			if (taken)
				continue;
			if (best == SIZE_MAX || total[i] > total[best] ||
			    (total[i] == total[best] &&
			     strcmp(cause_name(r, i), cause_name(r, best)) < 0))
				best = i;
		}
		if (best == SIZE_MAX)
			break;
		sel[nsel++] = best;
	}
	return nsel;
}

static void tl_title(struct lt_buf *b, const char *cause, unsigned long long n, __s64 from,
		     __s64 to)
{
	lt_buf_puts(b, "<title>");
	attr_str(b, cause);
	lt_buf_printf(b, ": %llu failure%s, ", n, n == 1 ? "" : "s");
	put_time(b, from);
	lt_buf_puts(b, " to ");
	put_time(b, to);
	lt_buf_puts(b, "</title>");
}

static void tl_empty(struct lt_buf *b)
{
	lt_buf_printf(b,
		      "<svg id=\"timeline\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		      "role=\"img\" aria-label=\"failures over time\">"
		      "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">no failures</text></svg>\n"
		      "<ul class=\"legend\"></ul>\n",
		      TL_W, TL_H / 4, TL_W, TL_H / 4, TL_W / 2, TL_H / 8);
}

/* The timeline's failures one after the other: the points, or past
 * LT_REP_POINTS_MAX the time buckets (each at its middle, with its count). */
struct tl_it {
	size_t k;
	__s64 t;
	__u32 cause;
	unsigned long long n;
};

static bool tl_next(const struct lt_report *r, struct tl_it *it)
{
	if (!r->bins) {
		if (it->k >= r->npoints || !r->points)
			return false;
		it->t = r->points[it->k].t_us;
		it->cause = r->points[it->k].cause;
		it->n = 1;
		it->k++;
		return true;
	}
	while (it->k < r->bins_rows * LT_REP_BINS) {
		size_t k = it->k++, row = k / LT_REP_BINS;
		__u64 u;

		if (!r->bins[k])
			continue;
		u = r->bins_lo + ((__u64)(k % LT_REP_BINS) << r->bins_shift) +
		    ((1ULL << r->bins_shift) >> 1);
		it->t = (__s64)(u ^ (1ULL << 63));
		it->cause = row + 1 < r->bins_rows ? (__u32)row : UINT32_MAX;
		it->n = r->bins[k];
		return true;
	}
	return false;
}

static void render_timeline(const struct lt_report *r, struct lt_buf *b)
{
	unsigned long long col[TL_COLS][TL_COLOURS + 1], *total, ymax = 0, other = 0;
	size_t sel[TL_COLOURS], nsel, i, c;
	struct tl_it it = {};
	__u64 span, w, off;
	__s64 lo, hi;
	__u32 *slot;

	lt_buf_puts(b,
		    "<section id=\"timeline-section\">\n<h2>Failures over time, by cause</h2>\n");
	if (!tl_next(r, &(struct tl_it){})) {
		tl_empty(b);
		lt_buf_puts(b, "</section>\n");
		return;
	}
	lo = r->first_us;
	hi = r->last_us;
	if (lo > hi) {
		lo = INT64_MAX;
		hi = INT64_MIN;
		for (it.k = 0; tl_next(r, &it);) {
			lo = it.t < lo ? it.t : lo;
			hi = it.t > hi ? it.t : hi;
		}
	}
	if (lo == hi) {
		if (hi <= INT64_MAX - USEC_PER_SEC)
			hi += USEC_PER_SEC;
		else
			lo -= USEC_PER_SEC;
	}
	span = (__u64)hi - (__u64)lo;
	w = span / TL_COLS + (span % TL_COLS != 0);

	total = calloc(r->ncause_names + 1, sizeof(*total));
	slot = calloc(r->ncause_names + 1, sizeof(*slot));
	if (!total || !slot) {
		free(total);
		free(slot);
		b->oom = true;
		return;
	}
	for (it.k = 0; tl_next(r, &it);)
		total[it.cause < r->ncause_names ? it.cause : r->ncause_names] += it.n;
	nsel = pick_causes(r, total, sel);
	for (i = 0; i <= r->ncause_names; i++)
		slot[i] = TL_COLOURS;
	for (c = 0; c < nsel; c++)
		slot[sel[c]] = (__u32)c;
	for (i = 0; i <= r->ncause_names; i++)
		if (slot[i] == TL_COLOURS)
			other += total[i];

	memset(col, 0, sizeof(col));
	for (it.k = 0; tl_next(r, &it);) {
		__s64 t = it.t < lo ? lo : it.t > hi ? hi : it.t;
		size_t x = (size_t)(((__u64)t - (__u64)lo) / w);

		if (x >= TL_COLS)
			x = TL_COLS - 1;
		col[x][slot[it.cause < r->ncause_names ? it.cause : r->ncause_names]] += it.n;
	}
	for (i = 0; i < TL_COLS; i++) {
		unsigned long long sum = 0;

		for (c = 0; c <= TL_COLOURS; c++)
			sum += col[i][c];
		ymax = sum > ymax ? sum : ymax;
	}

	lt_buf_printf(b,
		      "<svg id=\"timeline\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		      "role=\"img\" aria-label=\"failures over time, by cause\">\n",
		      TL_W, TL_H, TL_W, TL_H);
	/* Axes, the y axis's maximum and the time range. */
	lt_buf_printf(b,
		      "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>"
		      "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>\n",
		      TL_ML, TL_MT, TL_ML, TL_MT + TL_PLOT_H, TL_ML, TL_MT + TL_PLOT_H,
		      TL_ML + TL_PLOT_W, TL_MT + TL_PLOT_H);
	lt_buf_printf(b,
		      "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
		      "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%llu</text>"
		      "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n",
		      TL_ML, TL_MT, TL_ML + TL_PLOT_W, TL_MT, TL_ML - 6, TL_MT + 4, ymax, TL_ML - 6,
		      TL_MT + TL_PLOT_H + 4);
	lt_buf_printf(
		b,
		"<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 %d %d)\">"
		"failures</text>\n",
		TL_ML - 30, TL_MT + TL_PLOT_H / 2, TL_ML - 30, TL_MT + TL_PLOT_H / 2);
	lt_buf_printf(b, "<text class=\"start\" x=\"%d\" y=\"%d\">", TL_ML, TL_H - 22);
	put_time(b, lo);
	lt_buf_printf(b, "</text><text class=\"end\" x=\"%d\" y=\"%d\" text-anchor=\"end\">",
		      TL_ML + TL_PLOT_W, TL_H - 22);
	put_time(b, hi);
	lt_buf_printf(b,
		      "</text><text x=\"%d\" y=\"%d\" text-anchor=\"middle\">time (UTC), one "
		      "column = ",
		      TL_ML + TL_PLOT_W / 2, TL_H - 6);
	if (w >= (__u64)USEC_PER_SEC)
		lt_buf_printf(b, "%.1f s", (double)w / USEC_PER_SEC);
	else
		put_ms(b, w);
	lt_buf_puts(b, "</text>\n");

	/* The bars: one stack a column, the legend's order from the bottom. */
	for (i = 0; i < TL_COLS; i++) {
		double x = TL_ML + (double)i * TL_PLOT_W / TL_COLS + 1;
		double bw = (double)TL_PLOT_W / TL_COLS - 2;
		double y = TL_MT + TL_PLOT_H;
		__s64 from, to;

		off = (__u64)i * w;
		from = (__s64)((__u64)lo + (off < span ? off : span));
		off += w;
		to = (__s64)((__u64)lo + (off < span ? off : span));
		for (c = 0; c <= TL_COLOURS; c++) {
			unsigned long long n = col[i][c];
			double h;

			if (!n)
				continue;
			h = (double)n * TL_PLOT_H / (double)ymax;
			if (h < 1)
				h = 1;
			if (y - h < TL_MT)
				h = y - TL_MT;
			y -= h;
			lt_buf_printf(b,
				      "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
				      "fill=\"%s\">",
				      x, y, bw, h, tl_palette[c]);
			tl_title(b, c < nsel ? cause_name(r, sel[c]) : "other causes", n, from, to);
			lt_buf_puts(b, "</rect>\n");
		}
	}
	lt_buf_puts(b, "</svg>\n<ul class=\"legend\">\n");
	for (c = 0; c < nsel; c++) {
		lt_buf_printf(
			b,
			"<li class=\"legend-item\"><span class=\"sw\" style=\"background:%s\">"
			"</span>",
			tl_palette[c]);
		html_str(b, cause_name(r, sel[c]));
		lt_buf_printf(b, " (%llu)</li>\n", total[sel[c]]);
	}
	if (other)
		lt_buf_printf(
			b,
			"<li class=\"legend-item\"><span class=\"sw\" style=\"background:%s\">"
			"</span>other causes (%llu)</li>\n",
			tl_palette[TL_COLOURS], other);
	lt_buf_puts(b, "</ul>\n</section>\n");
	free(total);
	free(slot);
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
		attr_str(b, g->cause);
		lt_buf_printf(b, "\"><td class=\"n\">%llu</td><td class=\"t\">", g->count);
		put_time(b, g->first_us);
		lt_buf_puts(b, "</td><td class=\"t\">");
		put_time(b, g->last_us);
		lt_buf_puts(b, "</td><td class=\"path\">");
		html_str(b, g->path);
		lt_buf_puts(b, "</td><td>");
		html_str(b, g->event);
		lt_buf_puts(b, "</td><td>");
		html_str(b, g->error);
		lt_buf_puts(b, "</td><td>");
		html_str(b, g->cause);
		lt_buf_puts(b, "</td><td>");
		html_str(b, g->comm);
		lt_buf_printf(b, "</td><td class=\"n\">%u</td></tr>\n", (unsigned int)g->uid);

		lt_buf_puts(b, "<tr class=\"group-detail\" data-cause=\"");
		attr_str(b, g->cause);
		lt_buf_puts(b, "\"><td colspan=\"9\"><p class=\"why\"><b>why</b> ");
		html_str(b, g->detail);
		if (g->evidence && g->evidence[0]) {
			lt_buf_puts(b, " <span class=\"muted\">[");
			html_str(b, g->evidence);
			lt_buf_puts(b, "]</span>");
		}
		if (g->lsm && g->lsm[0]) {
			lt_buf_puts(b, " <span class=\"muted\">(security module: ");
			html_str(b, g->lsm);
			lt_buf_puts(b, ")</span>");
		}
		lt_buf_puts(b, "</p>");
		if (g->fix && g->fix[0]) {
			lt_buf_puts(b, "<p class=\"fix\"><b>fix</b> ");
			html_str(b, g->fix);
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
	attr_str(b, l->key.s);
	lt_buf_puts(b, "\">\n<h3 class=\"path\">");
	html_str(b, l->key.s);
	lt_buf_printf(b, "</h3>\n<p>refused <b>%llu</b> time%s; <b>%llu</b> wait%s", l->refused,
		      l->refused == 1 ? "" : "s", l->waits, l->waits == 1 ? "" : "s");
	if (l->waits) {
		lt_buf_puts(b, ", longest ");
		put_ms(b, l->wait_max_us);
		lt_buf_puts(b, ", in all ");
		put_ms(b, l->wait_total_us);
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
		put_time(b, w->t_us);
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
		put_ms(b, w->wait_us);
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

void lt_report_render_html(const struct lt_report *r, struct lt_buf *b)
{
	render_head(r, b);
	render_summary(r, b);
	render_timeline(r, b);
	render_groups(r, b);
	render_contention(r, b);
	lt_buf_puts(b, "<footer class=\"muted\"><p>locktrace report</p></footer>\n"
		       "</body>\n</html>\n");
}

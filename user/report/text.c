// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Reports as text, Markdown and JSON (HTML: report_html.c). Pure. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "common/util.h"
#include "common/text.h"
#include "common/timefmt.h"

#define DEFAULT_TOP 10

size_t lt_rep_top(const struct lt_report *r)
{
	return r->opts && r->opts->top > 0 ? (size_t)r->opts->top : DEFAULT_TOP;
}

size_t lt_rep_group_rows(const struct lt_report *r)
{
	return lt_rep_top(r) * 5;
}

static void fmt_dur(__u64 us, char *buf, size_t len)
{
	if (us < 1000)
		snprintf(buf, len, "%llu us", (unsigned long long)us);
	else if (us < 1000000)
		snprintf(buf, len, "%.1f ms", us / 1e3);
	else
		snprintf(buf, len, "%.2f s", us / 1e6);
}

/* The report's tables, as LT_REP_TABLES describes them. */
static const struct {
	size_t off;
	const char *json, *unit, *what;
} tables[] = {
#define X(member, json, unit, what, ...) { offsetof(struct lt_report, member), json, unit, what },
	LT_REP_TABLES(X)
#undef X
};

static size_t tab_index(const struct lt_report *r, const struct lt_rep_tab *t)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tables); i++)
		if ((const char *)t == (const char *)r + tables[i].off)
			break;
	return i;
}

bool lt_rep_more(const struct lt_report *r, const struct lt_rep_tab *t, char *buf, size_t len)
{
	size_t i = tab_index(r, t);

	if (!t->more || i == ARRAY_SIZE(tables))
		return false;
	snprintf(buf, len, "%llu more %s not shown: the report keeps the first %zu distinct %s",
		 t->more, tables[i].unit, t->used, tables[i].what);
	return true;
}

/*
 * Text and Markdown from the recording are untrusted: control bytes become
 * '?', the other characters lt_cp_unsafe() names (C1 controls,
 * bidirectional controls, invisible characters, noncharacters) \uXXXX,
 * bytes that are not UTF-8 \xNN; in Markdown, table cells escape '|', '\'
 * and backquotes, and '<' '>' '&' are written as entities so nothing
 * renders as HTML.
 */
static void put_text(struct lt_buf *b, const char *s, bool md)
{
	size_t n, run = 0; /* s[run..i) is still to be written */

	if (!s)
		return;
	n = strlen(s);
	/* The ASCII specials here; the runs between them (no special byte is
	 * part of a UTF-8 sequence) escaped as in the text view. */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *ent;
		char esc[3] = { '\\', (char)c, '\0' };

		if (c < 0x20 || c == 0x7f)
			ent = "?";
		else if (!md)
			continue;
		else if (c == '|' || c == '\\' || c == '`' || c == '*' || c == '_' || c == '[')
			ent = esc;
		else if (c == '<')
			ent = "&lt;";
		else if (c == '>')
			ent = "&gt;";
		else if (c == '&')
			ent = "&amp;";
		else
			continue;
		lt_text_str(b, s + run, i - run, false);
		lt_buf_puts(b, ent);
		run = i + 1;
	}
	lt_text_str(b, s + run, n - run, false);
}

/* A table's "N more not shown" line, if it did not keep every value. */
static void text_more(const struct lt_report *r, struct lt_buf *b, const struct lt_rep_tab *t,
		      bool md)
{
	char line[200];

	if (lt_rep_more(r, t, line, sizeof(line)))
		lt_buf_printf(b, md ? "\n(%s)\n" : "  (%s)\n", line);
}

static void text_tab(const struct lt_report *r, struct lt_buf *b, const char *title,
		     const struct lt_rep_tab *t, size_t max, bool md)
{
	const struct lt_rep_count *rows[256];
	size_t n = lt_rep_tab_sorted(t, rows, max < 256 ? max : 256);

	if (!n && !t->more)
		return;
	if (md)
		lt_buf_printf(b, "\n### %s\n\n| count | %s |\n| ---: | --- |\n", title, title);
	else
		lt_buf_printf(b, "\n%s:\n", title);
	for (size_t i = 0; i < n; i++) {
		if (md) {
			lt_buf_printf(b, "| %llu | ", rows[i]->n);
			put_text(b, rows[i]->key.s, true);
			lt_buf_puts(b, " |\n");
		} else {
			lt_buf_printf(b, "  %8llu  ", rows[i]->n);
			put_text(b, rows[i]->key.s, false);
			lt_buf_puts(b, "\n");
		}
	}
	text_more(r, b, t, md);
}

static void sources(const struct lt_report *r, struct lt_buf *b, bool md)
{
	for (size_t i = 0; i < r->nsources; i++) {
		const struct lt_rep_source *s = &r->sources[i];

		lt_buf_puts(b, md ? "- " : "  ");
		put_text(b, s->file, md);
		if (s->header) {
			lt_buf_puts(b, ": host ");
			put_text(b, s->host, md);
			lt_buf_puts(b, ", kernel ");
			put_text(b, s->kernel, md);
			lt_buf_puts(b, ", tier ");
			put_text(b, s->tier, md);
			lt_buf_puts(b, ", since ");
			put_text(b, s->start, md);
		}
		lt_buf_printf(b, "; %llu events", s->events);
		if (s->trailer)
			lt_buf_printf(b,
				      " (tracer: %llu seen, %llu written, %llu dropped in the "
				      "kernel, %llu not written)",
				      s->seen, s->written, s->dropped_kernel, s->dropped_write);
		else
			lt_buf_puts(b, " (no trailer: the tracer did not stop normally, or "
				       "this is not the last part)");
		if (s->bad_lines)
			lt_buf_printf(b, "; %llu malformed lines skipped", s->bad_lines);
		if (s->torn)
			lt_buf_puts(b, "; a torn last line skipped");
		lt_buf_puts(b, "\n");
	}
}

static void groups(const struct lt_report *r, struct lt_buf *b, bool md)
{
	size_t n = r->ngroups, max = lt_rep_group_rows(r);
	char first[32], last[32];

	if (!n && !r->group_set.more)
		return;
	if (md)
		lt_buf_printf(b, "\n## Failures, grouped (%zu distinct)\n\n", n);
	else
		lt_buf_printf(b,
			      "\nFailures, grouped (%zu distinct; same path, error, cause, "
			      "command and uid):\n",
			      n);
	for (size_t i = 0; i < n && i < max; i++) {
		const struct lt_rep_group *g = r->groups[i];
		/* event path -> error, cause, by comm: the same fields, each
		 * format's own punctuation between them. */
		const char *const fields[] = { g->event, g->path, g->error, g->cause, g->comm };
		static const char *const sep[2][4] = { { " ", " -> ", " [", "] by " },
						       { "` ", " -> ", ", cause **", "**, by " } };

		lt_time_utc(g->first_us, LT_TIME_SEC, first, sizeof(first));
		lt_time_utc(g->last_us, LT_TIME_SEC, last, sizeof(last));
		if (md)
			lt_buf_printf(b, "%zu. **%llu x** `", i + 1, g->count);
		else
			lt_buf_printf(b, "  %8llu  ", g->count);
		for (size_t k = 0; k < ARRAY_SIZE(fields); k++) {
			put_text(b, fields[k], md);
			if (k < ARRAY_SIZE(sep[0]))
				lt_buf_puts(b, sep[md][k]);
		}
		if (md)
			lt_buf_printf(b, " (uid %u), %s .. %s\n   - why: ", g->uid, first, last);
		else
			lt_buf_printf(b,
				      " uid %u\n            first %s, last %s\n            why: ",
				      g->uid, first, last);
		put_text(b, g->detail, md);
		lt_buf_puts(b, md ? "\n   - fix: " : "\n            fix: ");
		put_text(b, g->fix, md);
		lt_buf_puts(b, "\n");
	}
	if (n > max)
		lt_buf_printf(b, "%s(%zu more groups; --top shows more)\n", md ? "\n" : "  ",
			      n - max);
	text_more(r, b, &r->group_set, md);
}

static void who_list(struct lt_buf *b, const struct lt_rep_who *w, int n, bool md)
{
	for (int i = 0; i < n; i++) {
		lt_buf_printf(b, "%spid %u (", i ? ", " : "", w[i].pid);
		put_text(b, w[i].comm, md);
		lt_buf_printf(b, ") x%llu", w[i].n);
	}
	if (!n)
		lt_buf_puts(b, "none seen");
}

static void contention(const struct lt_report *r, struct lt_buf *b, bool md)
{
	size_t max = lt_rep_top(r);
	char d[32], t[32], tot[32];

	if (!r->nlocks && !r->lock_set.more)
		return;
	lt_buf_puts(b, md ? "\n## Contention\n\n" : "\nContention (lock -> holders -> waiters):\n");
	for (size_t i = 0; i < r->nlocks && i < max; i++) {
		const struct lt_rep_lock *l = r->locks[i];

		fmt_dur(l->wait_max_us, d, sizeof(d));
		fmt_dur(l->wait_total_us, tot, sizeof(tot));
		lt_buf_puts(b, md ? "- **" : "  ");
		put_text(b, l->key.s, md);
		lt_buf_printf(b, "%s: %llu refused, %llu waits (longest %s, %s in all)\n",
			      md ? "**" : "", l->refused, l->waits, d, tot);
		lt_buf_puts(b, md ? "  - holders: " : "      holders: ");
		who_list(b, l->holders, l->nholders, md);
		lt_buf_puts(b, md ? "\n  - waiters: " : "\n      waiters: ");
		who_list(b, l->waiters, l->nwaiters, md);
		lt_buf_puts(b, "\n");
		for (int k = 0; k < l->nlongest; k++) {
			const struct lt_rep_wait *w = &l->longest[k];

			lt_time_utc(w->t_us, LT_TIME_SEC, t, sizeof(t));
			fmt_dur(w->wait_us, d, sizeof(d));
			lt_buf_printf(b, "%s%s pid %u (", md ? "  - wait: " : "      wait ", d,
				      w->pid);
			put_text(b, w->comm, md);
			lt_buf_printf(b, ") behind pid %u (", w->holder_pid);
			put_text(b, w->holder_comm, md);
			lt_buf_printf(b, ") at %s\n", t);
		}
	}
	text_more(r, b, &r->lock_set, md);
}

static void render_text(const struct lt_report *r, struct lt_buf *b, bool md)
{
	char first[32], last[32];
	size_t top = lt_rep_top(r);

	lt_buf_puts(b, md ? "# locktrace report\n\n" : "locktrace report\n");
	if (r->events) {
		lt_time_utc(r->first_us, LT_TIME_SEC, first, sizeof(first));
		lt_time_utc(r->last_us, LT_TIME_SEC, last, sizeof(last));
		lt_buf_printf(b, "%s%s .. %s: %llu events, %llu failures, %llu lock waits",
			      md ? "" : "  ", first, last, r->events, r->failures, r->waits);
	} else {
		lt_buf_printf(b, "%sno events", md ? "" : "  ");
	}
	if (r->filtered_out)
		lt_buf_printf(b, " (%llu more left out by the filters)", r->filtered_out);
	if (r->cut)
		lt_buf_printf(b,
			      "%s(%llu strings over the report's length limits were cut; they "
			      "end in \"...[cut from N bytes]\")",
			      md ? "\n\n" : "\n  ", r->cut);
	lt_buf_puts(b, md ? "\n\n## Sources\n\n" : "\n\nSources:\n");
	sources(r, b, md);
	if (md)
		lt_buf_puts(b, "\n## Totals\n");
	text_tab(r, b, "operation", &r->by_event, 64, md);
	text_tab(r, b, "error", &r->by_error, 64, md);
	text_tab(r, b, "cause", &r->by_cause, 64, md);
	text_tab(r, b, "path", &r->paths, top, md);
	text_tab(r, b, "command", &r->comms, top, md);
	text_tab(r, b, "uid", &r->uids, top, md);
	contention(r, b, md);
	groups(r, b, md);
}

/* ---- JSON --------------------------------------------------------------- */

static void json_time(struct lt_buf *b, const char *key, __s64 us)
{
	char t[32];

	lt_time_utc(us, LT_TIME_SEC, t, sizeof(t));
	lt_buf_printf(b, "\"%s\":\"%s\"", key, t);
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
	for (size_t i = 0; i < ARRAY_SIZE(tables); i++) {
		const struct lt_rep_tab *t = (const void *)((const char *)r + tables[i].off);

		if (!t->more)
			continue;
		lt_buf_printf(b, "%s\"%s\":%llu", first ? ",\"not_kept\":{" : ",", tables[i].json,
			      t->more);
		first = false;
	}
	if (!first)
		lt_buf_puts(b, "}");
}

static void render_json(const struct lt_report *r, struct lt_buf *b)
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
	lt_buf_puts(b, "]}\n");
}

void lt_report_render(const struct lt_report *r, struct lt_buf *b)
{
	switch (r->opts ? r->opts->format : LT_REP_TEXT) {
	case LT_REP_JSON:
		render_json(r, b);
		break;
	case LT_REP_MARKDOWN:
		render_text(r, b, true);
		break;
	case LT_REP_HTML:
		lt_report_render_html(r, b);
		break;
	default:
		render_text(r, b, false);
		break;
	}
}

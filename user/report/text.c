// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The report as plain text or as Markdown: one layout, the same words;
 * Markdown adds its headings, lists and escapes. Pure. */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "common/text.h"
#include "common/timefmt.h"
#include "common/util.h"
#include "fmt.h"
#include "model.h"
#include "render.h"

/* A duration in microseconds: "250 us", "148.1 ms", "3.14 s". */
static void fmt_dur(__u64 us, char *buf, size_t len)
{
	if (us < 1000)
		snprintf(buf, len, "%llu us", (unsigned long long)us);
	else if (us < 1000000)
		snprintf(buf, len, "%.1f ms", us / 1e3);
	else
		snprintf(buf, len, "%.2f s", us / 1e6);
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
			if (s->machine_id) {
				lt_buf_puts(b, ", machine ");
				put_text(b, s->machine_id, md);
			}
			if (s->nmounts || s->mounts_more)
				lt_buf_printf(b, ", %zu network mount%s", s->nmounts,
					      s->nmounts == 1 ? "" : "s");
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
			lt_buf_printf(b, "; %llu malformed line%s skipped", s->bad_lines,
				      s->bad_lines == 1 ? "" : "s");
		if (s->torn)
			lt_buf_puts(b, "; a torn last line skipped");
		lt_buf_puts(b, "\n");
	}
}

static void groups(const struct lt_report *r, struct lt_buf *b, bool md)
{
	size_t n = r->ngroups, max = lt_rep_group_rows(r);
	char first[LT_TIME_LEN], last[LT_TIME_LEN];

	if (!n && !r->group_set.more)
		return;
	if (md)
		lt_buf_printf(b, "\n## Failures, grouped (%zu distinct)\n\n", n);
	else
		lt_buf_printf(b,
			      "\nFailures, grouped (%zu distinct; same call, path, error, cause, "
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
	char d[32], t[LT_TIME_LEN], tot[32];

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

/* "host-a's pid 4711 (dotnet) held it (flock LOCK_EX) from T to T" */
static void text_holder(const struct lt_report *r, struct lt_buf *b, const struct lt_rep_xhold *x,
			bool md)
{
	char lock[48], from[LT_TIME_LEN], to[LT_TIME_LEN];

	lt_time_utc(x->from_us, LT_TIME_MSEC, from, sizeof(from));
	lt_time_utc(x->to_us, LT_TIME_MSEC, to, sizeof(to));
	put_text(b, r->hosts[x->host], md);
	lt_buf_printf(b, "'s pid %u (", x->pid);
	put_text(b, x->comm, md);
	lt_buf_puts(b, ") held it (");
	put_text(b, lt_rep_hold_lock(x, lock, sizeof(lock)), md);
	lt_buf_printf(b, ") from %s to %s", from, to);
	if (x->open)
		lt_buf_puts(b, " (still held when its recording ended)");
}

/* A row: "refused on host-b at T (flock EACCES, cause) by pid P (comm) uid U
 * while <holder>". */
static void text_xrow(const struct lt_report *r, struct lt_buf *b, const struct lt_rep_xrow *w,
		      bool md)
{
	char first[LT_TIME_LEN], last[LT_TIME_LEN];
	const char *note = lt_rep_remote_note(w->cause);

	lt_time_utc(w->first_us, LT_TIME_MSEC, first, sizeof(first));
	lt_time_utc(w->last_us, LT_TIME_MSEC, last, sizeof(last));
	lt_buf_printf(b, md ? "  - %s " : "      %s ", lt_rep_failed(w->error));
	if (w->count > 1)
		lt_buf_printf(b, "%llu times ", w->count);
	lt_buf_puts(b, "on ");
	put_text(b, r->hosts[w->host], md);
	if (w->count > 1)
		lt_buf_printf(b, " from %s to %s (", first, last);
	else
		lt_buf_printf(b, " at %s (", first);
	put_text(b, lt_rep_item(w->event), md);
	lt_buf_puts(b, " ");
	put_text(b, lt_rep_item(w->error), md);
	lt_buf_puts(b, md ? ", cause **" : ", ");
	put_text(b, lt_rep_item(w->cause), md);
	if (md)
		lt_buf_puts(b, "**");
	if (note)
		lt_buf_printf(b, ": %s", note);
	lt_buf_printf(b, ") by pid %u (", w->pid);
	put_text(b, lt_rep_item(w->comm), md);
	lt_buf_printf(b, ") uid %u while ", w->uid);
	text_holder(r, b, w->holder, md);
	if (w->others)
		lt_buf_printf(b, ", and %llu other hold%s of other hosts", w->others,
			      w->others == 1 ? "" : "s");
	lt_buf_puts(b, "\n");
}

/* Cross-host contention: each failure on a share's file set against the
 * hold another host had on it at that moment. Only when the recordings
 * hold locks or failures on shares. */
static void cross_host(const struct lt_report *r, struct lt_buf *b, bool md)
{
	size_t max = lt_rep_group_rows(r), shown = 0;

	if (!lt_rep_has_xhost(r))
		return;
	lt_buf_puts(b, md ? "\n## Cross-host contention\n\n" :
			    "\nCross-host contention (a failure on a share while another host held "
			    "its lock):\n");
	lt_buf_printf(b,
		      "%s%llu of %llu failures on shares happened while another host held the "
		      "lock (%zu lock%s held on shares, in recordings of %zu host%s)",
		      md ? "" : "  ", r->xmatched, r->xfails, r->xhold_set.used,
		      r->xhold_set.used == 1 ? "" : "s", r->nhosts, r->nhosts == 1 ? "" : "s");
	if (r->xuntracked)
		lt_buf_printf(b,
			      "; %llu more taken untracked (their tracer's holds table was "
			      "full, or their release could not be paired)",
			      r->xuntracked);
	lt_buf_puts(b, md ? "\n\n" : "\n");
	for (size_t i = 0; i < r->nxlocks && shown < max; i++) {
		const struct lt_rep_xlock *l = r->xlocks[i];

		lt_buf_puts(b, md ? "- **" : "  ");
		put_text(b, l->share, md);
		put_text(b, l->share_path, md);
		lt_buf_printf(b, "%s: %llu failure%s while another host held it\n", md ? "**" : "",
			      l->matched, l->matched == 1 ? "" : "s");
		for (int k = 0; k < l->nwhere; k++) {
			lt_buf_puts(b, md ? "  - on " : "      on ");
			put_text(b, r->hosts[l->where[k].host], md);
			lt_buf_puts(b, ": ");
			put_text(b, l->where[k].path, md);
			lt_buf_puts(b, "\n");
		}
		for (size_t k = 0; k < l->nrows && shown < max; k++, shown++)
			text_xrow(r, b, r->xrows[l->row0 + k], md);
	}
	if (r->nxrows > shown)
		lt_buf_printf(b, "%s(%zu more rows; --top shows more)\n", md ? "\n" : "  ",
			      r->nxrows - shown);
	if (r->xfails_more)
		lt_buf_printf(b,
			      md ? "\n(%llu more failures on shares not set against holds: the "
				   "report keeps the first %zu)\n" :
				   "  (%llu more failures on shares not set against holds: the "
				   "report keeps the first %zu)\n",
			      r->xfails_more, r->xfails_max);
	text_more(r, b, &r->xrow_set, md);
	text_more(r, b, &r->xlock_set, md);
	text_more(r, b, &r->xhold_set, md);
}

void lt_report_render_text(const struct lt_report *r, struct lt_buf *b, bool md)
{
	char first[LT_TIME_LEN], last[LT_TIME_LEN];
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
	cross_host(r, b, md);
	groups(r, b, md);
}

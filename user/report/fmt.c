// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* What the report's formats share: rows shown, what a table did not keep,
 * times, durations, HTML escaping. Below every format; calls none. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "common/text.h"
#include "common/timefmt.h"
#include "fmt.h"
#include "model.h"

#define DEFAULT_TOP 10

size_t lt_rep_top(const struct lt_report *r)
{
	return r->opts && r->opts->top > 0 ? (size_t)r->opts->top : DEFAULT_TOP;
}

size_t lt_rep_group_rows(const struct lt_report *r)
{
	return lt_rep_top(r) * 5;
}

bool lt_rep_more(const struct lt_report *r, const struct lt_rep_tab *t, char *buf, size_t len)
{
	const char *unit = NULL, *what = NULL;

	/* Which of the report's tables, as LT_REP_TABLES describes them. */
#define X(member, json, u, w, ...) \
	if (t == &r->member) {     \
		unit = u;          \
		what = w;          \
	}
	LT_REP_TABLES(X)
#undef X
	if (!t->more || !unit)
		return false;
	snprintf(buf, len, "%llu more %s not shown: the report keeps the first %zu distinct %s",
		 t->more, unit, t->used, what);
	return true;
}

const char *lt_rep_hold_lock(const struct lt_rep_xhold *x, char *buf, size_t len)
{
	bool wr = !strcmp(x->type, "F_WRLCK"), rd = !strcmp(x->type, "F_RDLCK");

	if (!strcmp(x->kind, "flock") && (wr || rd))
		snprintf(buf, len, "flock %s", wr ? "LOCK_EX" : "LOCK_SH");
	else if (x->kind[0] || x->type[0])
		snprintf(buf, len, "%s%s%s", x->kind, x->kind[0] && x->type[0] ? " " : "", x->type);
	else
		snprintf(buf, len, "a lock");
	return buf;
}

const char *lt_rep_failed(const struct lt_rep_count *error)
{
	static const char *const refusals[] = { "EACCES", "EPERM", "EAGAIN", "EWOULDBLOCK",
						"EBUSY" };

	for (size_t i = 0; error && i < sizeof(refusals) / sizeof(refusals[0]); i++)
		if (!strcmp(error->key.s, refusals[i]))
			return "refused";
	return "failed";
}

const char *lt_rep_remote_note(const struct lt_rep_count *cause)
{
	/* The cause kind the kernel's own evidence from an SMB server gives:
	 * the server refused the lock because another client holds it. */
	if (cause && !strcmp(cause->key.s, "remote_lock_conflict"))
		return "the server refused it as held by another client";
	return NULL;
}

const char *lt_rep_item(const struct lt_rep_count *c)
{
	return c ? c->key.s : "?";
}

bool lt_rep_has_xhost(const struct lt_report *r)
{
	return r->xfails || r->xhold_set.used || r->xuntracked || r->xlock_set.more ||
	       r->xhold_set.more;
}

void lt_rep_put_time(struct lt_buf *b, __s64 us)
{
	char t[LT_TIME_LEN];

	lt_time_utc(us, LT_TIME_SEC, t, sizeof(t));
	lt_buf_puts(b, t);
}

void lt_rep_put_ms(struct lt_buf *b, __u64 us)
{
	lt_buf_printf(b, "%.1f ms", (double)us / 1000.0);
}

void lt_rep_html_esc(struct lt_buf *b, const char *s, size_t n, bool markup)
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

void lt_rep_html_str(struct lt_buf *b, const char *s)
{
	if (s)
		lt_rep_html_esc(b, s, strlen(s), true);
}

void lt_rep_html_attr(struct lt_buf *b, const char *s)
{
	if (s)
		lt_rep_html_esc(b, s, strlen(s), false);
}

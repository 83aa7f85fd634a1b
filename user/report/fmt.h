/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the report's formats share: how many rows they show, what a table
 * did not keep, times, durations and HTML escaping. Pure. */
#ifndef LOCKTRACE_REPORT_FMT_H
#define LOCKTRACE_REPORT_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "common/buf.h"
#include "model.h"

/* Rows in the top lists (--top, default 10), and groups or locks shown
 * (five times that). */
size_t lt_rep_top(const struct lt_report *r);
size_t lt_rep_group_rows(const struct lt_report *r);

/* "N more <unit> not shown: the report keeps the first M distinct <what>"
 * for a table of @r that did not keep every value; false (and nothing
 * written) if it did. */
bool lt_rep_more(const struct lt_report *r, const struct lt_rep_tab *t, char *buf, size_t len);

/* RFC 3339 UTC to the second; a time no calendar holds as "N us". */
void lt_rep_put_time(struct lt_buf *b, __s64 us);
/* A duration in microseconds, in milliseconds ("148.1 ms"). */
void lt_rep_put_ms(struct lt_buf *b, __u64 us);

/*
 * s[0..n) HTML-escaped (& < > " ' as entities, so it is safe in text and
 * in quoted attributes). Control bytes, DEL, '\\', bytes that are not
 * valid UTF-8 and the characters lt_cp_unsafe() names (C1 and
 * bidirectional controls, invisible characters, noncharacters: nothing
 * may display as another path) become \xNN, one per byte; with @markup,
 * inside a highlighting span. The result is valid UTF-8 whatever the input.
 */
void lt_rep_html_esc(struct lt_buf *b, const char *s, size_t n, bool markup);
/* A NUL-terminated string (NULL as empty) as element content. */
void lt_rep_html_str(struct lt_buf *b, const char *s);
/* The same for an attribute value or an SVG <title>: no markup. */
void lt_rep_html_attr(struct lt_buf *b, const char *s);

#endif /* LOCKTRACE_REPORT_FMT_H */

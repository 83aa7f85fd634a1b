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

/* Cross-host contention, as every format words it: the lock a hold held
 * ("flock LOCK_EX", "posix F_WRLCK"), into buf; a failure "refused" (an
 * error that refuses: EACCES, EPERM, EAGAIN, EWOULDBLOCK, EBUSY) or
 * "failed"; what a cause kind that says another client of the server holds
 * the lock adds (NULL for the others); a count item's name ("?" for one a
 * table did not keep). */
const char *lt_rep_hold_lock(const struct lt_rep_xhold *x, char *buf, size_t len);
const char *lt_rep_failed(const struct lt_rep_count *error);
const char *lt_rep_remote_note(const struct lt_rep_count *cause);
const char *lt_rep_item(const struct lt_rep_count *c);
/* Does the report have a cross-host contention section: holds or failures
 * on shares in its recordings? */
bool lt_rep_has_xhost(const struct lt_report *r);

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

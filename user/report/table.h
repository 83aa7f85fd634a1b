/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The report's tables from inside the model (ingest.c, group.c): items
 * found or made, and the tables packed, sorted and freed at the end. */
#ifndef LOCKTRACE_REPORT_TABLE_H
#define LOCKTRACE_REPORT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "model.h"

/*
 * The item of key s[0..n) (hash h) in @t. If there is none and the table
 * may keep one more, a new one (*added set): @size bytes of struct (which
 * starts with its struct lt_rep_key), then the key and a NUL, then @extra
 * bytes, all zeroed but the key. NULL if the table is full (the event is
 * counted in t->more) or memory ran out (r->oom).
 */
void *lt_rep_tab_get(struct lt_report *r, struct lt_rep_tab *t, size_t size, const char *s,
		     size_t n, __u64 h, size_t extra, bool *added);

/* Byte order, then the shorter first (strcmp's order, NULs included). */
int lt_rep_key_cmp(const struct lt_rep_key *x, const struct lt_rep_key *y);

/* Pack a table's items to its first t->used slots: it is no longer a hash
 * table (lt_report_finish). */
void lt_rep_tab_pack(struct lt_rep_tab *t);
/* Free its items and its slots. */
void lt_rep_tab_free(struct lt_rep_tab *t);

/* Grow *a (of *cap items of @size) to hold n + 1; false, with r->oom
 * set, when memory runs out. */
bool lt_rep_grow(struct lt_report *r, void **a, size_t *cap, size_t n, size_t size);

#endif /* LOCKTRACE_REPORT_TABLE_H */

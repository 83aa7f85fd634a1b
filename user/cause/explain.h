/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Causes for people: the JSON cause object (json.c) and --explain's why and
 * fix (explain.c). */
#ifndef LOCKTRACE_EXPLAIN_H
#define LOCKTRACE_EXPLAIN_H

#include "cause.h"
#include "common/buf.h"

/* A decided cause with the facts it was decided on. */
struct lt_verdict {
	const struct lt_cause_input *in;
	struct lt_cause cause;
	char blocker_comm[LT_COMM_LEN]; /* lock_wait: the holder's name, if seen */
	char releaser_comm[LT_COMM_LEN]; /* lock_wait: who released it, if seen */
	/* The same cause decided for an identical failure just before: its
	 * JSON object (",\"cause\":{...}") and --explain lines, used as they
	 * are; in is then NULL. */
	const char *cause_json, *explain;
	size_t cause_json_len, explain_len;
};

/* ,"cause":{...} (appended to an event object being built). */
void lt_cause_json(struct lt_buf *b, const struct lt_verdict *v);
/* --explain: indented lines (each ending in '\n') saying why and the fix. */
void lt_explain(struct lt_buf *b, const struct lt_verdict *v);
/* The fix a person would apply, one line (--explain's and JSON's "fix"). */
void lt_cause_fix(struct lt_buf *b, const struct lt_verdict *v);
/* The object the cause is about (in->comp[cause.obj]), NULL if none. */
const struct lt_obj *lt_cause_obj(const struct lt_verdict *v);

#endif /* LOCKTRACE_EXPLAIN_H */

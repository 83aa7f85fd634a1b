/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* For the report's unit tests: a report fed line by line, rendered in any
 * format, and its tables searched by key. */
#ifndef LOCKTRACE_TEST_REPORT_FIXTURE_H
#define LOCKTRACE_TEST_REPORT_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/pattern.h"
#include "report/model.h"
#include "report/render.h"
#include "common/util.h"
#include "common/text.h"

static struct lt_rep_opts opts;
static struct lt_report rep;

static __attribute__((unused)) void add(const char *line)
{
	lt_report_line(&rep, line, strlen(line));
}

/* A refused open of @path (a JSON string's contents) with cause @kind. */
static __attribute__((unused)) void fail_line(const char *path, const char *kind, const char *comm,
					      unsigned uid)
{
	char *b;

	assert_true(asprintf(&b,
			     "{\"time\":\"2026-11-24T10:00:00Z\",\"event\":\"open\",\"pid\":1,"
			     "\"uid\":%u,\"comm\":\"%s\",\"path\":\"%s\",\"ret\":-13,"
			     "\"error\":\"EACCES\",\"cause\":{\"kind\":\"%s\",\"detail\":\"d\","
			     "\"fix\":\"f\",\"evidence\":\"post-hoc\"}}",
			     uid, comm, path, kind) > 0);
	add(b);
	free(b);
}

static __attribute__((unused)) char *render(enum lt_rep_format fmt)
{
	struct lt_buf b = {};

	opts.format = fmt;
	lt_report_render(&rep, &b);
	assert_false(b.oom);
	assert_non_null(b.data);
	return b.data;
}

#define HAS(h, s)                                                        \
	do {                                                             \
		if (!strstr((h), (s)))                                   \
			fail_msg("missing '%s' in:\n%.3000s", (s), (h)); \
	} while (0)

static __attribute__((unused)) void setup(int top)
{
	memset(&opts, 0, sizeof(opts));
	opts.top = top;
	lt_report_init(&rep, &opts);
	lt_report_source(&rep, "hostile.jsonl");
}

/* Every item of @t, by key. */
static __attribute__((unused)) const struct lt_rep_count *find(const struct lt_rep_tab *t,
							       const char *s, size_t n)
{
	for (size_t i = 0; i < t->cap; i++) {
		const struct lt_rep_count *c = t->slots[i];

		if (c && c->key.n == n && !memcmp(c->key.s, s, n))
			return c;
	}
	return NULL;
}

#endif /* LOCKTRACE_TEST_REPORT_FIXTURE_H */

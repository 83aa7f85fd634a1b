// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: the report's reader and renderers over untrusted
 * recordings. Any input is one recording; it is read, aggregated and
 * rendered in every format: with filters off, on, and with every table's
 * limits (and the timeline's points) cut down to a few values, so that a
 * short input reaches what a huge one would; and as two recordings (its
 * first lines and the others), so that the cross-host contention of two
 * hosts is reached too. Every report must be valid
 * UTF-8 without a character a terminal must not see raw (lt_cp_unsafe),
 * newlines aside, and so must the input as one string through the text
 * view's and JSON's escaping; anything else aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/text.h"
#include "common/pattern.h"
#include "report/model.h"
#include "report/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Valid UTF-8, and nothing lt_cp_unsafe() names but newlines if @nl. */
static void check_output(const struct lt_buf *b, int format, bool nl)
{
	size_t i = 0;

	while (i < b->len) {
		unsigned char c = b->data[i];
		uint32_t cp = 0;
		size_t k;

		if (c >= 0x20 && c < 0x7f) { /* printable ASCII: fine, and most of it */
			i++;
			continue;
		}
		k = lt_utf8_decode(b->data + i, b->len - i, &cp);

		if (!k || ((cp != '\n' || !nl) && lt_cp_unsafe(cp))) {
			fprintf(stderr, "format %d: %s at byte %zu (0x%02x)\n", format,
				k ? "a character a terminal must not see" : "not UTF-8", i,
				(unsigned char)b->data[i]);
			abort();
		}
		i += k;
	}
}

/* The input as one string, through the text view's and JSON's escaping. */
static void strings(const uint8_t *data, size_t size)
{
	struct lt_buf b = {};

	lt_text_str(&b, (const char *)data, size, true);
	check_output(&b, -1, false);
	lt_buf_reset(&b);
	lt_text_str(&b, (const char *)data, size, false);
	check_output(&b, -2, false);
	lt_buf_reset(&b);
	lt_json_str(&b, (const char *)data, size);
	check_output(&b, -3, false);
	lt_buf_free(&b);
}

static void one(const uint8_t *data, size_t size, struct lt_rep_opts *opts, bool tight, bool split)
{
	static const enum lt_rep_format formats[] = { LT_REP_TEXT, LT_REP_MARKDOWN, LT_REP_JSON,
						      LT_REP_HTML };
	struct lt_report r;
	struct lt_buf b = {};

	lt_report_init(&r, opts);
	if (tight) {
#define X(member, ...)    \
	r.member.max = 3; \
	r.member.max_bytes = 4096;
		LT_REP_TABLES(X)
#undef X
		r.points_max = 8;
		r.xfails_max = 8;
	}
	if (split) {
		/* Two recordings (two hosts, if their headers say so): the
		 * lines before the middle one, and the rest. */
		const uint8_t *nl = memchr(data + size / 2, '\n', size - size / 2);
		size_t first = nl ? (size_t)(nl - data) + 1 : size;

		lt_report_source(&r, "fuzz-a.jsonl");
		lt_report_buffer(&r, (const char *)data, first);
		lt_report_source(&r, "fuzz-b.jsonl");
		lt_report_buffer(&r, (const char *)data + first, size - first);
	} else {
		lt_report_source(&r, "fuzz.jsonl");
		lt_report_buffer(&r, (const char *)data, size);
	}
	lt_report_finish(&r);
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		opts->format = formats[i];
		lt_report_render(&r, &b);
		if (!b.oom)
			check_output(&b, formats[i], true);
		lt_buf_reset(&b);
	}
	lt_buf_free(&b);
	lt_report_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lt_rep_opts plain = { .top = 3 }, filtered = { .top = 1 };
	static int ready;
	char err[128];

	if (!ready) {
		lt_pattern_compile("**/*.lock", &filtered.paths[0], err, sizeof(err));
		filtered.npaths = 1;
		filtered.have_since = true;
		filtered.since_us = 1700000000000000LL;
		filtered.causes[filtered.ncauses++] = "dac";
		filtered.uids[filtered.nuids++] = 4242;
		ready = 1;
	}
	one(data, size, &plain, false, false);
	one(data, size, &filtered, false, false);
	one(data, size, &plain, true, false);
	one(data, size, &plain, false, true);
	one(data, size, &plain, true, true);
	strings(data, size);
	return 0;
}

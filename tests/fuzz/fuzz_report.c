// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: the report's reader and renderers over untrusted
 * recordings. Any input is one recording; it is read, aggregated and
 * rendered in every format, with filters on and off.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "pattern.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const uint8_t *data, size_t size, struct lt_rep_opts *opts)
{
	static const enum lt_rep_format formats[] = { LT_REP_TEXT, LT_REP_MARKDOWN, LT_REP_JSON,
						      LT_REP_HTML };
	struct lt_report r;
	struct lt_buf b = {};

	lt_report_init(&r, opts);
	lt_report_source(&r, "fuzz.jsonl");
	lt_report_buffer(&r, (const char *)data, size);
	lt_report_finish(&r);
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		opts->format = formats[i];
		lt_report_render(&r, &b);
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
	one(data, size, &plain);
	one(data, size, &filtered);
	return 0;
}

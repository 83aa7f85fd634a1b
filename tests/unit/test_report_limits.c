// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests for the report's limits on hostile recordings: the cause
 * kinds, groups, bytes and locks kept, long strings cut on a character,
 * terminal controls, filters, and the "N more not shown" counts in every
 * format.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report_fixture.h"

/* 300 distinct cause kinds: 256 kept, the failures of the other 44
 * counted, said in every format; the timeline puts them under "other". */
static void test_kinds_capped(void **state)
{
	char kind[32], line[200];
	char *h;

	(void)state;
	setup(3);
	for (int i = 0; i < 300; i++) {
		snprintf(kind, sizeof(kind), "kind%03d", i);
		fail_line("/srv/l/a.lock", kind, "w", 1);
		if (i >= 256) /* a second failure of a kind not kept */
			fail_line("/srv/l/a.lock", kind, "w", 1);
	}
	lt_report_finish(&rep);
	assert_int_equal(rep.failures, 344);
	assert_int_equal(rep.by_cause.used, 256);
	assert_int_equal(rep.by_cause.more, 88);
	assert_int_equal(rep.ncause_names, 256);
	/* By index, the order of first appearance. */
	for (int i = 0; i < 256; i++) {
		snprintf(kind, sizeof(kind), "kind%03d", i);
		assert_string_equal(rep.cause_names[i], kind);
	}
	assert_int_equal(rep.npoints, 344);
	/* Groups (one a kind) are not capped at 256: 300 of them. */
	assert_int_equal(rep.ngroups, 300);
	for (size_t i = 0; i < rep.npoints; i++)
		assert_true(rep.points[i].cause < 256 || rep.points[i].cause == UINT32_MAX);
	snprintf(line, sizeof(line),
		 "88 more failures not shown: the report keeps the first 256 distinct causes");
	h = render(LT_REP_TEXT);
	HAS(h, "  (88 more failures not shown: the report keeps the first 256 distinct causes)\n");
	free(h);
	h = render(LT_REP_MARKDOWN);
	HAS(h, line);
	free(h);
	h = render(LT_REP_JSON);
	HAS(h, "\"not_kept\":{\"by_cause\":88}");
	free(h);
	h = render(LT_REP_HTML);
	HAS(h, line);
	HAS(h, "<title>other causes: ");
	free(h);
	lt_report_free(&rep);
}

/* Groups past the limit: exactly the failures of the groups not kept. */
static void test_groups_capped(void **state)
{
	char path[64];
	char *h;

	(void)state;
	setup(1);
	rep.group_set.max = 10;
	rep.paths.max = 12;
	for (int i = 0; i < 25; i++) {
		snprintf(path, sizeof(path), "/srv/l/%d.lock", i);
		for (int k = 0; k <= i % 3; k++)
			fail_line(path, "dac", "w", 1);
	}
	lt_report_finish(&rep);
	/* i % 3 + 1 failures a path: 49 in all, 19 in the first ten. */
	assert_int_equal(rep.failures, 49);
	assert_int_equal(rep.ngroups, 10);
	assert_int_equal(rep.group_set.more, 30);
	assert_int_equal(rep.paths.used, 12);
	assert_int_equal(rep.paths.more, 49 - 24);
	h = render(LT_REP_TEXT);
	HAS(h, "Failures, grouped (10 distinct;");
	HAS(h, "  (5 more groups; --top shows more)\n");
	HAS(h, "  (30 more failures not shown: the report keeps the first 10 distinct groups)\n");
	HAS(h, "  (25 more events not shown: the report keeps the first 12 distinct paths)\n");
	free(h);
	h = render(LT_REP_MARKDOWN);
	HAS(h, "\n(30 more failures not shown: the report keeps the first 10 distinct groups)\n");
	free(h);
	h = render(LT_REP_JSON);
	HAS(h, "\"not_kept\":{\"top_paths\":25,\"groups\":30}");
	free(h);
	h = render(LT_REP_HTML);
	HAS(h, "<p class=\"warn more\">30 more failures not shown: the report keeps the first 10 "
	       "distinct groups</p>");
	HAS(h, "<p class=\"warn more\">25 more events not shown: the report keeps the first 12 "
	       "distinct paths</p>");
	free(h);
	lt_report_free(&rep);
}

/* The bytes a table may hold stop it too, and locks have their limit. */
static void test_bytes_and_locks_capped(void **state)
{
	char path[64], line[400];
	char *h;

	(void)state;
	setup(2);
	rep.lock_set.max = 3;
	rep.comms.max_bytes = 4 * (sizeof(struct lt_rep_count) + 64);
	for (int i = 0; i < 8; i++) {
		snprintf(path, sizeof(path), "/srv/l/%d.lock", i);
		snprintf(
			line, sizeof(line),
			"{\"time\":\"2026-11-24T10:00:00Z\",\"event\":\"flock\",\"pid\":9,\"uid\":1,"
			"\"comm\":\"c%d\",\"path\":\"%s\",\"ret\":-11,\"error\":\"EWOULDBLOCK\","
			"\"cause\":{\"kind\":\"lock_held\",\"holders\":[{\"pid\":7,\"comm\":\"h\"}]}}",
			i, path);
		add(line);
	}
	lt_report_finish(&rep);
	assert_int_equal(rep.nlocks, 3);
	assert_int_equal(rep.lock_set.more, 5);
	assert_true(rep.comms.used < 8);
	assert_int_equal(rep.comms.more, 8 - rep.comms.used);
	h = render(LT_REP_TEXT);
	HAS(h, "  (5 more lock events not shown: the report keeps the first 3 distinct locks)\n");
	free(h);
	h = render(LT_REP_JSON);
	HAS(h, "\"contention\":5}");
	free(h);
	lt_report_free(&rep);
}

/* Long strings: each field cut to its limit, marked, counted; header
 * strings too. */
static void test_long_strings_cut(void **state)
{
	size_t big = 100000;
	char *line, *p, *h;

	(void)state;
	setup(3);
	line = malloc(3 * big + 400);
	assert_non_null(line);
	p = line + sprintf(line, "{\"type\":\"header\",\"host\":\"");
	memset(p, 'h', big);
	strcpy(p + big, "\",\"kernel\":\"k\"}");
	add(line);
	p = line + sprintf(line, "{\"time\":\"2026-11-24T10:00:00Z\",\"event\":\"open\",\"pid\":1,"
				 "\"uid\":1,\"comm\":\"w\",\"ret\":-13,\"error\":\"EACCES\","
				 "\"path\":\"/");
	memset(p, 'p', big);
	p += big;
	p += sprintf(p, "\",\"cause\":{\"kind\":\"");
	memset(p, 'k', 200);
	p += 200;
	p += sprintf(p, "\",\"detail\":\"");
	memset(p, 'd', big);
	p += big;
	strcpy(p, "\"}}");
	add(line);
	free(line);
	lt_report_finish(&rep);
	/* host, path, kind, detail. */
	assert_int_equal(rep.cut, 4);
	assert_int_equal(strlen(rep.sources[0].host),
			 LT_REP_STR_HEAD + strlen("...[cut from 100000 bytes]"));
	assert_non_null(strstr(rep.sources[0].host, "h...[cut from 100000 bytes]"));
	assert_int_equal(rep.ngroups, 1);
	assert_non_null(strstr(rep.groups[0]->path, "p...[cut from 100001 bytes]"));
	assert_non_null(strstr(rep.groups[0]->cause, "k...[cut from 200 bytes]"));
	assert_int_equal(strlen(rep.groups[0]->cause),
			 LT_REP_STR_SHORT + strlen("...[cut from 200 bytes]"));
	assert_non_null(strstr(rep.groups[0]->detail, "d...[cut from 100000 bytes]"));
	h = render(LT_REP_TEXT);
	HAS(h, "(4 strings over the report's length limits were cut;");
	free(h);
	h = render(LT_REP_JSON);
	HAS(h, "\"strings_cut\":4");
	free(h);
	h = render(LT_REP_HTML);
	HAS(h, "4 strings over the report's length limits were cut");
	free(h);
	lt_report_free(&rep);
}

/* A cut never splits a character, whatever lands on the limit. */
static void test_cut_on_character(void **state)
{
	char *line, *p;
	size_t n = LT_REP_STR_SHORT + 10;

	(void)state;
	setup(3);
	line = malloc(4 * n + 300);
	assert_non_null(line);
	p = line + sprintf(line,
			   "{\"time\":\"2026-11-24T10:00:00Z\",\"event\":\"open\",\"path\":\"/x\","
			   "\"comm\":\"a");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "\xe2\x82\xac"); /* 3 bytes: 64 is not a multiple */
	strcpy(p, "\"}");
	add(line);
	free(line);
	lt_report_finish(&rep);
	assert_int_equal(rep.comms.used, 1);
	for (size_t i = 0; i < rep.comms.cap; i++) {
		const struct lt_rep_count *c = rep.comms.slots[i];

		if (c)
			assert_true(lt_utf8_valid(c->key.s, c->key.n));
	}
	lt_report_free(&rep);
}

/* Unsafe characters in the report's text and Markdown: escaped. */
static void test_terminal_in_report(void **state)
{
	char *h;

	(void)state;
	setup(3);
	fail_line("/srv/x\\u009b2J\\u202ekcol.lock", "dac", "c\\u2066", 1);
	lt_report_finish(&rep);
	for (int fmt = LT_REP_TEXT; fmt <= LT_REP_HTML; fmt++) {
		h = render(fmt);
		if (strstr(h, "\xc2\x9b") || strstr(h, "\xe2\x80\xae") || strstr(h, "\xe2\x81\xa6"))
			fail_msg("format %d has a raw C1 or bidi control:\n%s", fmt, h);
		if (fmt == LT_REP_TEXT)
			HAS(h, "/srv/x\\u009b2J\\u202ekcol.lock -> EACCES [dac] by c\\u2066 uid 1");
		if (fmt == LT_REP_MARKDOWN)
			HAS(h, "/srv/x\\u009b2J\\u202ekcol.lock -> EACCES");
		if (fmt == LT_REP_JSON)
			HAS(h, "\"path\":\"/srv/x\\u009b2J\\u202ekcol.lock\"");
		free(h);
	}
	lt_report_free(&rep);
}

/* Filters compare the whole field: "dac" and a NUL, or "lock_wait" and
 * more, are not "dac" or "lock_wait". */
static void test_filters_by_length(void **state)
{
	(void)state;
	memset(&opts, 0, sizeof(opts));
	opts.top = 3;
	opts.causes[opts.ncauses++] = "dac";
	lt_report_init(&rep, &opts);
	fail_line("/a", "dac", "w", 1);
	fail_line("/a", "dac\\u0000x", "w", 1);
	fail_line("/a", "dacx", "w", 1);
	add("{\"time\":\"2026-11-24T10:00:00Z\",\"event\":\"lock_wait\\u0000\",\"path\":\"/l\","
	    "\"wait_us\":5}");
	lt_report_finish(&rep);
	assert_int_equal(rep.events, 1);
	assert_int_equal(rep.filtered_out, 3);
	assert_int_equal(rep.waits, 0);
	assert_int_equal(rep.nlocks, 0);
	lt_report_free(&rep);
}

/* The filters match the fields as recorded: a path past its limit on its
 * real end, not on the cut mark. Only what the report keeps is cut and
 * counted: not the fields of an event filtered out, nor a success's cause
 * strings, which no format shows. */
static void test_filters_see_whole_fields(void **state)
{
	size_t big = 9000;
	char err[128], *line, *p;
	const char *path;

	(void)state;
	memset(&opts, 0, sizeof(opts));
	opts.top = 3;
	assert_int_equal(lt_pattern_compile("/b*y", &opts.paths[0], err, sizeof(err)), 0);
	opts.npaths = 1;
	lt_report_init(&rep, &opts);
	line = malloc(3 * big + 400);
	assert_non_null(line);
	/* A refused open of /b and 9000 y: matched, its path cut. */
	p = line + sprintf(line, "{\"time\":\"2026-11-24T10:00:00Z\",\"event\":\"open\",\"pid\":1,"
				 "\"uid\":1,\"comm\":\"w\",\"ret\":-13,\"error\":\"EACCES\","
				 "\"path\":\"/b");
	memset(p, 'y', big);
	strcpy(p + big, "\",\"cause\":{\"kind\":\"dac\",\"detail\":\"d\"}}");
	add(line);
	/* The same under /a, with a long kind and detail: filtered out. */
	p = line + sprintf(line, "{\"time\":\"2026-11-24T10:00:00Z\",\"event\":\"open\",\"pid\":1,"
				 "\"uid\":1,\"comm\":\"w\",\"ret\":-13,\"error\":\"EACCES\","
				 "\"path\":\"/a");
	memset(p, 'y', big);
	p += big;
	p += sprintf(p, "\",\"cause\":{\"kind\":\"");
	memset(p, 'k', 200);
	p += 200;
	p += sprintf(p, "\",\"detail\":\"");
	memset(p, 'd', big);
	strcpy(p + big, "\"}}");
	add(line);
	/* A success with a long detail: matched, nothing of it cut. */
	p = line + sprintf(line, "{\"time\":\"2026-11-24T10:00:01Z\",\"event\":\"open\",\"pid\":1,"
				 "\"uid\":1,\"comm\":\"w\",\"ret\":3,\"path\":\"/by\","
				 "\"cause\":{\"kind\":\"dac\",\"detail\":\"");
	memset(p, 'd', big);
	strcpy(p + big, "\"}}");
	add(line);
	free(line);
	lt_report_finish(&rep);
	assert_int_equal(rep.sources[0].events, 3);
	assert_int_equal(rep.events, 2);
	assert_int_equal(rep.filtered_out, 1);
	assert_int_equal(rep.failures, 1);
	assert_int_equal(rep.ngroups, 1);
	path = rep.groups[0]->path;
	assert_memory_equal(path, "/byyy", 5);
	assert_non_null(strstr(path, "y...[cut from 9002 bytes]"));
	assert_int_equal(rep.cut, 1);
	lt_report_free(&rep);
}

/* Waits a recording claims to be as long as can be: their total stops at
 * the largest number, it does not wrap around to a short one. */
static void test_wait_total_saturates(void **state)
{
	char *h;

	(void)state;
	setup(3);
	for (int i = 0; i < 3; i++)
		add("{\"time\":\"2026-11-24T10:00:00Z\",\"event\":\"lock_wait\",\"pid\":5,"
		    "\"path\":\"/l\",\"wait_us\":9223372036854775807}");
	add("{\"time\":\"2026-11-24T10:00:01Z\",\"event\":\"lock_wait\",\"pid\":6,"
	    "\"path\":\"/l\",\"wait_us\":7}");
	lt_report_finish(&rep);
	assert_int_equal(rep.waits, 4);
	assert_int_equal(rep.nlocks, 1);
	assert_int_equal(rep.locks[0]->waits, 4);
	assert_true(rep.locks[0]->wait_max_us == INT64_MAX);
	assert_true(rep.locks[0]->wait_total_us == UINT64_MAX);
	h = render(LT_REP_JSON);
	HAS(h, "\"wait_max_us\":9223372036854775807,\"wait_total_us\":18446744073709551615");
	free(h);
	lt_report_free(&rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds_capped),
		cmocka_unit_test(test_groups_capped),
		cmocka_unit_test(test_bytes_and_locks_capped),
		cmocka_unit_test(test_long_strings_cut),
		cmocka_unit_test(test_cut_on_character),
		cmocka_unit_test(test_terminal_in_report),
		cmocka_unit_test(test_filters_by_length),
		cmocka_unit_test(test_filters_see_whole_fields),
		cmocka_unit_test(test_wait_total_saturates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

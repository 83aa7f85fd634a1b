// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests for the report's tables on hostile recordings: keys compared
 * by their bytes and length (NULs, prefixes, equal hashes), the keyed hash,
 * the cause kinds, the limits, and the "N more not shown" counts in every
 * format.
 */
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

static void add(const char *line)
{
	lt_report_line(&rep, line, strlen(line));
}

/* A refused open of @path (a JSON string's contents) with cause @kind. */
static void fail_line(const char *path, const char *kind, const char *comm, unsigned uid)
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

static char *render(enum lt_rep_format fmt)
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

static void setup(int top)
{
	memset(&opts, 0, sizeof(opts));
	opts.top = top;
	lt_report_init(&rep, &opts);
	lt_report_source(&rep, "hostile.jsonl");
}

/* Every item of @t, by key. */
static const struct lt_rep_count *find(const struct lt_rep_tab *t, const char *s, size_t n)
{
	for (size_t i = 0; i < t->cap; i++) {
		const struct lt_rep_count *c = t->slots[i];

		if (c && c->key.n == n && !memcmp(c->key.s, s, n))
			return c;
	}
	return NULL;
}

/* ---- keys ---------------------------------------------------------------- */

/* Keys that differ after a NUL, keys that are prefixes of others, all with
 * the same hash: each its own item, found again exactly. */
static void test_keys_nul_prefix_equal_hash(void **state)
{
	static const struct {
		const char *s;
		size_t n;
	} keys[] = {
		{ "", 0 },     { "a", 1 },     { "a\0", 2 }, { "a\0b", 3 },
		{ "a\0c", 3 }, { "a\0bb", 4 }, { "ab", 2 },  { "a\0\0", 3 },
		{ "\0", 1 },   { "\0\0", 2 },  { "b", 1 },   { "a\0b\0", 4 },
	};
	struct lt_rep_tab *t;
	const size_t nk = sizeof(keys) / sizeof(keys[0]);

	(void)state;
	setup(10);
	t = &rep.paths;
	/* Key i is added i + 1 times, all under hash 42. */
	for (size_t round = 0; round < nk; round++)
		for (size_t i = round; i < nk; i++)
			assert_non_null(lt_rep_count_add(&rep, t, keys[i].s, keys[i].n, 42, 1));
	assert_int_equal(t->used, nk);
	for (size_t i = 0; i < nk; i++) {
		const struct lt_rep_count *c = find(t, keys[i].s, keys[i].n);

		assert_non_null(c);
		assert_int_equal(c->n, i + 1);
		assert_int_equal(c->key.hash, 42);
		/* Kept NUL-terminated as well (a convenience, not the key). */
		assert_int_equal(c->key.s[c->key.n], '\0');
	}
	/* The same bytes under another hash are another slot's business:
	 * never confused with the one under 42. */
	assert_non_null(lt_rep_count_add(&rep, t, "a", 1, 43, 1));
	assert_int_equal(t->used, nk + 1);
	lt_report_free(&rep);
}

/* The two-line recording that crashed the report: a path, then the same
 * path, a NUL and a megabyte more. Both are counted, apart. */
static void test_nul_in_path_two_lines(void **state)
{
	char *line, *p;
	size_t big = 1 << 20;
	const struct lt_rep_count *c;

	(void)state;
	setup(10);
	add("{\"time\":\"2026-11-24T10:00:00Z\",\"event\":\"open\",\"path\":\"/a\"}");
	line = malloc(big + 200);
	assert_non_null(line);
	p = line + sprintf(line, "{\"time\":\"2026-11-24T10:00:00Z\",\"event\":\"open\",\"path\":\""
				 "/a\\u0000");
	memset(p, 'b', big);
	strcpy(p + big, "\"}");
	add(line);
	free(line);
	lt_report_finish(&rep);
	assert_int_equal(rep.events, 2);
	assert_int_equal(rep.paths.used, 2);
	assert_non_null(find(&rep.paths, "/a", 2));
	/* The NUL kept as U+FFFD, the rest cut and marked. */
	c = NULL;
	for (size_t i = 0; i < rep.paths.cap; i++) {
		const struct lt_rep_count *x = rep.paths.slots[i];

		if (x && x->key.n > 2)
			c = x;
	}
	assert_non_null(c);
	assert_memory_equal(c->key.s,
			    "/a\xef\xbf\xbd"
			    "bbb",
			    8);
	assert_true(c->key.n <= LT_REP_STR_LONG + 40);
	assert_non_null(strstr(c->key.s, "b...[cut from 1048579 bytes]"));
	assert_null(memchr(c->key.s, '\0', c->key.n));
	assert_int_equal(rep.cut, 1);
	lt_report_free(&rep);
}

/* ---- the keyed hash -------------------------------------------------------- */

/* Home slots of the same keys in a table of @cap slots under two keys. */
static void test_seeds_move_slots(void **state)
{
	struct lt_report a, b;
	size_t same = 0;
	char k[32];

	(void)state;
	lt_report_init(&a, NULL);
	lt_report_init(&b, NULL);
	/* Fixed keys: the test does not depend on getrandom's luck. */
	a.hash_key[0] = 1;
	a.hash_key[1] = 2;
	b.hash_key[0] = 3;
	b.hash_key[1] = 4;
	for (int i = 0; i < 64; i++) {
		int n = snprintf(k, sizeof(k), "/srv/locks/%d.lock", i);

		same += (lt_rep_hash(&a, k, (size_t)n) & 1023) ==
			(lt_rep_hash(&b, k, (size_t)n) & 1023);
	}
	/* By chance about 64/1024 would agree. */
	assert_true(same < 8);
	lt_report_free(&a);
	lt_report_free(&b);
	/* And a report draws its own key. */
	lt_report_init(&a, NULL);
	lt_report_init(&b, NULL);
	assert_true(a.hash_key[0] != b.hash_key[0] || a.hash_key[1] != b.hash_key[1]);
	lt_report_free(&a);
	lt_report_free(&b);
}

/* 2000 paths made to share one FNV-1a home slot in a 4096-slot table (the
 * old tables' hash): under the keyed hash they spread, and no probe runs
 * long. */
static void test_fnv_collisions_spread(void **state)
{
	enum { N = 2000, MASK = 4095 };
	struct lt_rep_tab *t;
	char k[48];
	unsigned long long target = lt_fnv1a(LT_FNV_BASIS, "/c/0", 4) & MASK;
	size_t found = 0, homes = 0, maxprobe = 0;
	static bool home_used[MASK + 1];

	(void)state;
	setup(10);
	t = &rep.paths;
	for (unsigned long i = 0; found < N; i++) {
		int n = snprintf(k, sizeof(k), "/c/%lu", i);

		if ((lt_fnv1a(LT_FNV_BASIS, k, (size_t)n) & MASK) != target)
			continue;
		assert_non_null(lt_rep_count_add(&rep, t, k, (size_t)n,
						 lt_rep_hash(&rep, k, (size_t)n), 1));
		found++;
	}
	assert_int_equal(t->used, N);
	assert_int_equal(t->cap, MASK + 1);
	memset(home_used, 0, sizeof(home_used));
	for (size_t j = 0; j < t->cap; j++) {
		const struct lt_rep_key *key = t->slots[j];
		size_t home, probe;

		if (!key)
			continue;
		/* Every item's FNV home is the same one slot... */
		assert_int_equal(lt_fnv1a(LT_FNV_BASIS, key->s, key->n) & MASK, target);
		/* ...its keyed home is its own. */
		home = key->hash & MASK;
		homes += !home_used[home];
		home_used[home] = true;
		probe = (j - home) & MASK;
		if (probe > maxprobe)
			maxprobe = probe;
	}
	/* 2000 random homes in 4096 slots: about 1580 distinct. */
	assert_true(homes > 1300);
	assert_true(maxprobe < 64);
	lt_report_free(&rep);
}

/* ---- kinds and limits -------------------------------------------------------- */

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

/* Failure i of n at T0 + i seconds, alternately dac and not_found. */
static void timeline_load(int n, size_t points_max)
{
	char line[300];

	setup(3);
	rep.points_max = points_max;
	for (int i = 0; i < n; i++) {
		snprintf(
			line, sizeof(line),
			"{\"time\":\"2026-11-24T10:%02d:%02dZ\",\"event\":\"open\",\"path\":\"/l\","
			"\"ret\":-13,\"error\":\"EACCES\",\"cause\":{\"kind\":\"%s\"}}",
			i / 60 % 60, i % 60, i % 2 ? "not_found" : "dac");
		add(line);
	}
	lt_report_finish(&rep);
}

/* Past points_max failures the timeline counts in time buckets: memory no
 * longer grows with the failures, and every failure is still counted, in
 * the legend and in the bars. */
static void test_timeline_binned(void **state)
{
	unsigned long long sum = 0, exact_sum = 0;
	char *exact, *binned;

	(void)state;
	timeline_load(3000, LT_REP_POINTS_MAX);
	assert_int_equal(rep.npoints, 3000);
	assert_null(rep.bins);
	exact = render(LT_REP_HTML);
	lt_report_free(&rep);
	timeline_load(3000, 100);
	assert_int_equal(rep.npoints, 0);
	assert_non_null(rep.bins);
	assert_int_equal(rep.bins_rows, 257);
	for (size_t i = 0; i < rep.bins_rows * LT_REP_BINS; i++)
		sum += rep.bins[i];
	assert_int_equal(sum, 3000);
	binned = render(LT_REP_HTML);
	/* The legend counts each kind exactly. */
	HAS(binned, "</span>dac (1500)</li>");
	HAS(binned, "</span>not_found (1500)</li>");
	HAS(exact, "</span>dac (1500)</li>");
	/* 3000 s over 60 columns of 50 s: the bars' heights add up the same. */
	for (const char *p = strstr(binned, "<svg"); (p = strstr(p, "<title>")); p++)
		sum += strtoull(strchr(p, ':') + 2, NULL, 10);
	for (const char *p = strstr(exact, "<svg"); (p = strstr(p, "<title>")); p++)
		exact_sum += strtoull(strchr(p, ':') + 2, NULL, 10);
	assert_int_equal(sum - 3000, 3000);
	assert_int_equal(exact_sum, 3000);
	free(exact);
	free(binned);
	lt_report_free(&rep);
}

/* Times from year 1 to 9999 and back again: the buckets widen as far as
 * they must, never wrong, never out of bounds. */
static void test_timeline_extremes(void **state)
{
	static const char *const times[] = { "2026-11-24T10:00:00Z", "0001-01-01T00:00:00Z",
					     "9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
					     "2026-11-24T10:00:01Z" };
	unsigned long long sum = 0;
	char line[300], *h;

	(void)state;
	setup(3);
	rep.points_max = 2;
	for (int i = 0; i < 50; i++) {
		snprintf(line, sizeof(line),
			 "{\"time\":\"%s\",\"event\":\"open\",\"path\":\"/l\",\"ret\":-13,"
			 "\"error\":\"EACCES\",\"cause\":{\"kind\":\"k%d\"}}",
			 times[i % 5], i % 3);
		add(line);
	}
	lt_report_finish(&rep);
	for (size_t i = 0; i < rep.bins_rows * LT_REP_BINS; i++)
		sum += rep.bins[i];
	assert_int_equal(sum, 50);
	h = render(LT_REP_HTML);
	HAS(h, "<svg id=\"timeline\"");
	free(h);
	lt_report_free(&rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_nul_prefix_equal_hash),
		cmocka_unit_test(test_nul_in_path_two_lines),
		cmocka_unit_test(test_seeds_move_slots),
		cmocka_unit_test(test_fnv_collisions_spread),
		cmocka_unit_test(test_kinds_capped),
		cmocka_unit_test(test_groups_capped),
		cmocka_unit_test(test_bytes_and_locks_capped),
		cmocka_unit_test(test_long_strings_cut),
		cmocka_unit_test(test_cut_on_character),
		cmocka_unit_test(test_terminal_in_report),
		cmocka_unit_test(test_filters_by_length),
		cmocka_unit_test(test_filters_see_whole_fields),
		cmocka_unit_test(test_wait_total_saturates),
		cmocka_unit_test(test_timeline_binned),
		cmocka_unit_test(test_timeline_extremes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

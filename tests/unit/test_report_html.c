// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for user/report/html.c and timeline.c: the HTML report from a
 * hand-built model. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/model.h"
#include "report/render.h"
#include "common/text.h"

#define T0 1795487091000000LL /* 2026-11-24T02:24:51Z */
#define T0_S "2026-11-24T02:24:51Z"
#define T1 (T0 + 60000000LL)
#define T1_S "2026-11-24T02:25:51Z"
#define T0_1S "2026-11-24T02:24:52Z"

#define HOSTILE_PATH "/srv/a<script>&\"'.lock"
#define HOSTILE_PATH_ESC "/srv/a&lt;script&gt;&amp;&quot;&#39;.lock"
#define HOSTILE_CAUSE "dac\"><img src=x onerror=alert(1)>"
#define HOSTILE_CAUSE_ESC "dac&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"

#define TAB_CAP 8
#define MAX_GROUPS 8
#define MAX_POINTS 16

/* Everything a report points to, in one place: nothing is freed. */
struct fixture {
	struct lt_rep_opts opts;
	struct lt_report r;
	struct lt_rep_count items[6][TAB_CAP];
	void *slots[6][TAB_CAP];
	struct lt_rep_group g[MAX_GROUPS];
	struct lt_rep_group *gp[MAX_GROUPS];
	struct lt_rep_lock lock;
	struct lt_rep_lock *lp[1];
	struct lt_rep_point pts[MAX_POINTS];
	char *causes[3];
	struct lt_rep_source src[2];
};

static struct fixture fx;

/* Put key -> n in the first free slot (slot 0 stays empty, as in a hash
 * table); its item is the same index of items. */
static void tab_add(struct lt_rep_tab *t, const char *key, unsigned long long n)
{
	struct lt_rep_count *items = fx.items[(void *(*)[TAB_CAP])t->slots - fx.slots];
	size_t i;

	for (i = 1; i < t->cap; i++) {
		if (!t->slots[i]) {
			items[i].key.s = (char *)key;
			items[i].key.n = strlen(key);
			items[i].n = n;
			items[i].last_us = T1;
			t->slots[i] = &items[i];
			t->used++;
			return;
		}
	}
	fail_msg("table full");
}

static void add_group(struct lt_report *r, const char *path, const char *cause,
		      unsigned long long count)
{
	struct lt_rep_group *g = &fx.g[r->ngroups];

	g->key.s = (char *)"k";
	g->key.n = 1;
	g->path = path;
	g->error = "EACCES";
	g->cause = cause;
	g->comm = "dotnet";
	g->uid = 4242;
	g->event = (char *)"open";
	g->detail = (char *)"mode 0600 uid 0 gid 0 gives other (uid 4242) no rw-";
	g->fix = (char *)"chown 4242 the file";
	g->lsm = (char *)"";
	g->evidence = (char *)"post-hoc";
	g->count = count;
	g->first_us = T0;
	g->last_us = T1;
	fx.gp[r->ngroups++] = g;
}

static void add_point(struct lt_report *r, __s64 t, __u32 cause)
{
	fx.pts[r->npoints].t_us = t;
	fx.pts[r->npoints].cause = cause;
	r->npoints++;
}

/* An empty report over fx, with top rows. */
static struct lt_report *empty_report(int top)
{
	struct lt_report *r = &fx.r;
	struct lt_rep_tab *tabs[6];
	int i;

	memset(&fx, 0, sizeof(fx));
	fx.opts.format = LT_REP_HTML;
	fx.opts.top = top;
	r->opts = &fx.opts;
	tabs[0] = &r->by_event;
	tabs[1] = &r->by_error;
	tabs[2] = &r->by_cause;
	tabs[3] = &r->paths;
	tabs[4] = &r->comms;
	tabs[5] = &r->uids;
	for (i = 0; i < 6; i++) {
		tabs[i]->slots = fx.slots[i];
		tabs[i]->cap = TAB_CAP;
	}
	r->groups = fx.gp;
	r->locks = fx.lp;
	r->points = fx.pts;
	r->points_cap = MAX_POINTS;
	r->cause_names = fx.causes;
	r->sources = fx.src;
	return r;
}

/* A small incident: three causes, a hostile path, one contended lock. */
static struct lt_report *incident(int top)
{
	struct lt_report *r = empty_report(top);
	struct lt_rep_lock *l = &fx.lock;

	r->first_us = T0;
	r->last_us = T1;
	r->events = 9;
	r->failures = 6;
	r->waits = 1;

	fx.src[0].file = (char *)"/var/log/locktrace/rec.jsonl";
	fx.src[0].host = (char *)"web-1";
	fx.src[0].kernel = (char *)"6.8.0";
	fx.src[0].tier = (char *)"tracepoint";
	fx.src[0].version = (char *)"0.1.0";
	fx.src[0].start = (char *)T0_S;
	fx.src[0].header = fx.src[0].trailer = true;
	fx.src[0].seen = 12345;
	fx.src[0].written = 12000;
	fx.src[0].dropped_kernel = 300;
	fx.src[0].dropped_write = 45;
	fx.src[0].lines = 11;
	fx.src[0].events = 9;
	fx.src[1].file = (char *)"killed.jsonl";
	fx.src[1].torn = true;
	fx.src[1].bad_lines = 2;
	r->nsources = 2;

	tab_add(&r->by_event, "open", 5);
	tab_add(&r->by_event, "flock", 1);
	tab_add(&r->by_error, "EACCES", 5);
	tab_add(&r->by_error, "EWOULDBLOCK", 1);
	tab_add(&r->by_cause, "dac", 3);
	tab_add(&r->by_cause, "not_found", 2);
	tab_add(&r->by_cause, "lock_held", 1);
	tab_add(&r->paths, HOSTILE_PATH, 3);
	tab_add(&r->comms, "dotnet", 6);
	tab_add(&r->uids, "4242", 6);

	add_group(r, HOSTILE_PATH, "dac", 3);
	add_group(r, "/srv/app/missing/status.lock", "not_found", 2);
	add_group(r, "/srv/app/locks/queue.lock", "lock_held", 1);

	fx.causes[0] = (char *)"dac";
	fx.causes[1] = (char *)"lock_held";
	fx.causes[2] = (char *)"not_found";
	r->ncause_names = 3;
	add_point(r, T0, 0);
	add_point(r, T0 + 1000, 0);
	add_point(r, T0 + 2000, 0);
	add_point(r, T0 + 30000000LL, 1);
	add_point(r, T1, 2);
	add_point(r, T1, 2);

	l->key.s = (char *)"/srv/app/locks/queue.lock";
	l->key.n = strlen(l->key.s);
	l->refused = 1;
	l->waits = 1;
	l->wait_total_us = 148100;
	l->wait_max_us = 148100;
	l->holders[0] = (struct lt_rep_who){ .pid = 27570, .uid = 0, .comm = "holder", .n = 2 };
	l->nholders = 1;
	l->waiters[0] = (struct lt_rep_who){ .pid = 27575, .uid = 0, .comm = "dotnet", .n = 1 };
	l->nwaiters = 1;
	l->longest[0] = (struct lt_rep_wait){ .t_us = T0 + 500000,
					      .wait_us = 148100,
					      .pid = 27575,
					      .holder_pid = 27570,
					      .comm = "dotnet",
					      .holder_comm = "releaser" };
	l->nlongest = 1;
	fx.lp[0] = l;
	r->nlocks = 1;
	return r;
}

/* Render r; the caller frees. */
static char *render(const struct lt_report *r)
{
	struct lt_buf b = { 0 };

	lt_report_render_html(r, &b);
	assert_false(b.oom);
	assert_non_null(b.data);
	assert_int_equal(b.len, strlen(b.data));
	return b.data;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

#define HAS(s, lit)                                   \
	do {                                          \
		if (!strstr(s, lit))                  \
			fail_msg("missing: %s", lit); \
	} while (0)

/* Self-contained, valid UTF-8, no control bytes but newlines. */
static void check_page(const char *h)
{
	const unsigned char *p;

	assert_int_equal(strncmp(h, "<!DOCTYPE html>\n", 16), 0);
	assert_non_null(strstr(h, "</html>\n"));
	assert_null(strstr(h, "http://"));
	assert_null(strstr(h, "https://"));
	assert_null(strcasestr(h, "<script"));
	assert_null(strcasestr(h, "<link"));
	assert_null(strcasestr(h, "<img"));
	assert_null(strcasestr(h, "url("));
	assert_null(strcasestr(h, "@import"));
	assert_true(lt_utf8_valid(h, strlen(h)));
	for (p = (const unsigned char *)h; *p; p++)
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			fail_msg("control byte 0x%02x at offset %td", *p, (const char *)p - h);
}

static void test_structure(void **state)
{
	char *h;

	(void)state;
	h = render(incident(10));
	check_page(h);
	HAS(h, "<meta charset=\"utf-8\">");
	HAS(h, "<style>");
	HAS(h, "<svg id=\"timeline\"");
	HAS(h, "<table id=\"groups\">");
	HAS(h, "<section id=\"contention\">");
	assert_int_equal(count(h, "class=\"legend-item\""), 3);
	assert_int_equal(count(h, "<tr class=\"group\" "), 3);
	HAS(h, "<tr class=\"group\" data-cause=\"dac\">");
	HAS(h, "<tr class=\"group\" data-cause=\"not_found\">");
	/* The sections come in order. */
	assert_true(strstr(h, "id=\"summary\"") < strstr(h, "id=\"timeline\""));
	assert_true(strstr(h, "id=\"timeline\"") < strstr(h, "id=\"groups\""));
	assert_true(strstr(h, "id=\"groups\"") < strstr(h, "id=\"contention\""));
	free(h);
}

static void test_summary(void **state)
{
	char *h;

	(void)state;
	h = render(incident(10));
	HAS(h, T0_S);
	HAS(h, T1_S);
	HAS(h, "web-1");
	HAS(h, "6.8.0");
	HAS(h, "tracepoint");
	HAS(h, ">12345<");
	HAS(h, ">12000<");
	HAS(h, ">300<");
	HAS(h, ">45<");
	HAS(h, "345 events dropped while recording");
	HAS(h, "killed.jsonl</span>: its last line was cut");
	HAS(h, "2 malformed lines skipped");
	HAS(h, "<th>failures</th><td class=\"n\">6</td>");
	HAS(h, "<th>lock waits</th><td class=\"n\">1</td>");
	HAS(h, "EWOULDBLOCK");
	HAS(h, ">4242<");
	/* The top causes, the most frequent first. */
	assert_true(strstr(h, ">dac</td><td class=\"n\">3<") <
		    strstr(h, ">not_found</td><td class=\"n\">2<"));
	assert_true(strstr(h, ">not_found</td><td class=\"n\">2<") <
		    strstr(h, ">lock_held</td><td class=\"n\">1<"));
	free(h);
}

static void test_hostile_escaped(void **state)
{
	struct lt_report *r;
	char *h;

	(void)state;
	r = incident(10);
	fx.g[1].cause = HOSTILE_CAUSE;
	fx.g[1].detail = (char *)"</td></tr></table><b>x</b>";
	fx.causes[2] = (char *)HOSTILE_CAUSE;
	fx.src[0].host = (char *)"<h1>host</h1>";
	fx.lock.holders[0].comm[0] = '<';
	h = render(r);
	check_page(h);
	HAS(h, HOSTILE_PATH_ESC);
	assert_null(strstr(h, HOSTILE_PATH));
	/* In the row's attribute, its cell, the legend and the tooltips. */
	HAS(h, "data-cause=\"" HOSTILE_CAUSE_ESC "\"");
	assert_true(count(h, HOSTILE_CAUSE_ESC) >= 4);
	HAS(h, "<title>" HOSTILE_CAUSE_ESC ": 2 failures, ");
	HAS(h, "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;b&gt;x&lt;/b&gt;");
	HAS(h, "&lt;h1&gt;host&lt;/h1&gt;");
	HAS(h, "&lt;older");
	assert_null(strstr(h, "<b>x"));
	assert_int_equal(count(h, "<table id=\"groups\">"), 1);
	assert_int_equal(count(h, "<h1>"), 1);
	free(h);
}

static void test_utf8(void **state)
{
	static const char path[] = "/srv/\xff\x01"
				   "x\\y\x7f\xc3\xa9\xe2\x80\xae.lock";
	struct lt_report *r;
	char *h;

	(void)state;
	r = incident(10);
	fx.g[0].path = path;
	fx.g[0].comm = "\xc0\xaf";
	fx.items[3][1].key.s = (char *)path;
	fx.items[3][1].key.n = strlen(path);
	fx.lock.key.s = (char *)path;
	fx.lock.key.n = strlen(path);
	/* Full-length command names are not NUL-terminated. */
	memcpy(fx.lock.waiters[0].comm, "abcdefghijklmno\x80", LT_COMM_LEN);
	memcpy(fx.lock.longest[0].holder_comm, "ABCDEFGHIJKLMNOP", LT_COMM_LEN);
	h = render(r);
	check_page(h);
	/* Bad bytes, controls, '\\' and bidi controls as \xNN; é kept. */
	HAS(h, "/srv/<span class=\"esc\">\\xff</span><span class=\"esc\">\\x01</span>x"
	       "<span class=\"esc\">\\x5c</span>y<span class=\"esc\">\\x7f</span>\xc3\xa9"
	       "<span class=\"esc\">\\xe2\\x80\\xae</span>.lock");
	HAS(h, "data-path=\"/srv/\\xff\\x01x\\x5cy\\x7f\xc3\xa9\\xe2\\x80\\xae.lock\"");
	HAS(h, "<span class=\"esc\">\\xc0</span><span class=\"esc\">\\xaf</span>");
	HAS(h, "abcdefghijklmno<span class=\"esc\">\\x80</span></td>");
	HAS(h, "27570 (ABCDEFGHIJKLMNOP)");
	free(h);
}

static void test_timeline(void **state)
{
	char *h, *svg, *end;

	(void)state;
	h = render(incident(10));
	svg = strstr(h, "<svg id=\"timeline\"");
	assert_non_null(svg);
	end = strstr(svg, "</svg>");
	assert_non_null(end);
	*end = '\0';
	/* dac's three fall in the first column, not_found's two in the last. */
	assert_int_equal(count(svg, "<rect "), 3);
	assert_int_equal(count(svg, "<title>"), 3);
	HAS(svg, "<title>dac: 3 failures, " T0_S " to ");
	HAS(svg, "<title>lock_held: 1 failure, ");
	HAS(svg, "<title>not_found: 2 failures, ");
	HAS(svg, " to " T1_S "</title>");
	HAS(svg, ">" T0_S "</text>");
	HAS(svg, ">" T1_S "</text>");
	HAS(svg, ">3</text>"); /* the y axis's maximum */
	HAS(svg, "one column = 1.0 s");
	/* The legend: by count, each with its colour. */
	end += strlen("</svg>");
	assert_true(strstr(end, "</span>dac (3)</li>") < strstr(end, "</span>not_found (2)</li>"));
	assert_true(strstr(end, "</span>not_found (2)</li>") <
		    strstr(end, "</span>lock_held (1)</li>"));
	free(h);
}

static void test_timeline_one_instant(void **state)
{
	struct lt_report *r;
	char *h;

	(void)state;
	r = empty_report(0);
	r->first_us = r->last_us = T0;
	r->events = r->failures = 2;
	fx.causes[0] = (char *)"lock_held";
	r->ncause_names = 1;
	add_point(r, T0, 0);
	add_point(r, T0, 7); /* an index past the names: counted, not read */
	h = render(r);
	check_page(h);
	/* Widened by a second. */
	HAS(h, ">" T0_S "</text>");
	HAS(h, ">" T0_1S "</text>");
	HAS(h, "<title>lock_held: 1 failure, ");
	HAS(h, "<title>other causes: 1 failure, ");
	assert_int_equal(count(h, "class=\"legend-item\""), 2);
	free(h);
}

static void test_limits(void **state)
{
	struct lt_report *r;
	char *h;
	int i;

	(void)state;
	r = incident(1);
	for (i = 0; i < 5; i++)
		add_group(r, "/srv/app/locks/more.lock", "dac", 1);
	assert_int_equal(r->ngroups, 8);
	h = render(r);
	check_page(h);
	assert_int_equal(count(h, "<tr class=\"group\" "), 5);
	HAS(h, "3 more distinct failures not shown");
	/* One row a top table: by_cause shows dac and says 2 more. */
	HAS(h, ">dac</td><td class=\"n\">3<");
	assert_null(strstr(h, ">lock_held</td><td class=\"n\">1<"));
	HAS(h, ">2 more<");
	free(h);
}

static void test_contention(void **state)
{
	char *h, *c;

	(void)state;
	h = render(incident(10));
	c = strstr(h, "<section id=\"contention\">");
	assert_non_null(c);
	HAS(c, "/srv/app/locks/queue.lock");
	HAS(c, "refused <b>1</b> time;");
	HAS(c, "148.1 ms");
	HAS(c, ">27570<");
	HAS(c, "holder");
	HAS(c, ">27575<");
	HAS(c, "27575 (dotnet)");
	HAS(c, "27570 (releaser)");
	HAS(c, "2026-11-24T02:24:51Z");
	free(h);
}

static void test_empty(void **state)
{
	struct lt_report *r;
	char *h;

	(void)state;
	r = empty_report(0);
	r->first_us = INT64_MAX; /* nothing seen */
	r->last_us = INT64_MIN;
	h = render(r);
	check_page(h);
	HAS(h, "No events");
	HAS(h, "<svg id=\"timeline\"");
	HAS(h, "<table id=\"groups\">");
	HAS(h, "<section id=\"contention\">");
	assert_int_equal(count(h, "class=\"legend-item\""), 0);
	assert_int_equal(count(h, "<tr class=\"group\" "), 0);
	free(h);
	/* Without options at all. */
	r->opts = NULL;
	h = render(r);
	check_page(h);
	free(h);
}

static void test_deterministic(void **state)
{
	char *a, *b;

	(void)state;
	a = render(incident(3));
	b = render(incident(3));
	assert_string_equal(a, b);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_structure),	cmocka_unit_test(test_summary),
		cmocka_unit_test(test_hostile_escaped), cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_timeline),	cmocka_unit_test(test_timeline_one_instant),
		cmocka_unit_test(test_limits),		cmocka_unit_test(test_contention),
		cmocka_unit_test(test_empty),		cmocka_unit_test(test_deterministic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

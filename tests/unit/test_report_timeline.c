// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for the report's timeline: failures binned into a bounded
 * number of points, and times at the extremes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report_fixture.h"

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
		cmocka_unit_test(test_timeline_binned),
		cmocka_unit_test(test_timeline_extremes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

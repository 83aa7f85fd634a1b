// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for user/common/timefmt.c: RFC 3339 UTC times, to the second
 * and the microsecond, the date made once a second, and times no calendar
 * holds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include "common/timefmt.h"

#define T0 1795516867123456LL /* 2026-11-24T10:41:07.123456Z */

static const char *utc(int64_t us, enum lt_time_prec prec)
{
	static char buf[LT_TIME_LEN];

	memset(buf, 'x', sizeof(buf));
	lt_time_utc(us, prec, buf, sizeof(buf));
	return buf;
}

static void test_seconds_and_micros(void **state)
{
	(void)state;
	assert_string_equal(utc(0, LT_TIME_SEC), "1970-01-01T00:00:00Z");
	assert_string_equal(utc(0, LT_TIME_USEC), "1970-01-01T00:00:00.000000Z");
	assert_string_equal(utc(T0, LT_TIME_SEC), "2026-11-24T10:41:07Z");
	assert_string_equal(utc(T0, LT_TIME_USEC), "2026-11-24T10:41:07.123456Z");
	assert_string_equal(utc(T0 + 876543, LT_TIME_USEC), "2026-11-24T10:41:07.999999Z");
	assert_string_equal(utc(T0 + 876544, LT_TIME_USEC), "2026-11-24T10:41:08.000000Z");
	assert_string_equal(utc(951782400000007LL, LT_TIME_USEC), "2000-02-29T00:00:00.000007Z");
	assert_string_equal(utc(T0, LT_TIME_MSEC), "2026-11-24T10:41:07.123Z");
	assert_string_equal(utc(T0 + 876543, LT_TIME_MSEC), "2026-11-24T10:41:07.999Z");
	assert_string_equal(utc(-1, LT_TIME_MSEC), "1969-12-31T23:59:59.999Z");
	/* Before the epoch: rounded down, to the second before. */
	assert_string_equal(utc(-1, LT_TIME_SEC), "1969-12-31T23:59:59Z");
	assert_string_equal(utc(-1, LT_TIME_USEC), "1969-12-31T23:59:59.999999Z");
	assert_string_equal(utc(-1000000, LT_TIME_USEC), "1969-12-31T23:59:59.000000Z");
}

/* The date is made once a second: each call still gets its own time,
 * whatever came before it. */
static void test_cached_date(void **state)
{
	static const int64_t times[] = { T0, T0 + 1, T0 + 1000000, T0, -1, T0 + 1000000, T0 };
	static const char *const want[] = {
		"2026-11-24T10:41:07.123456Z", "2026-11-24T10:41:07.123457Z",
		"2026-11-24T10:41:08.123456Z", "2026-11-24T10:41:07.123456Z",
		"1969-12-31T23:59:59.999999Z", "2026-11-24T10:41:08.123456Z",
		"2026-11-24T10:41:07.123456Z",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++)
		assert_string_equal(utc(times[i], LT_TIME_USEC), want[i]);
	/* A time no calendar holds between two of the same second. */
	assert_string_equal(utc(T0, LT_TIME_SEC), "2026-11-24T10:41:07Z");
	assert_string_equal(utc(INT64_MAX, LT_TIME_SEC), "9223372036854775807 us");
	assert_string_equal(utc(T0, LT_TIME_SEC), "2026-11-24T10:41:07Z");
}

/* Past year 9999, or past what gmtime holds: microseconds, as a number. */
static void test_out_of_range(void **state)
{
	const int64_t y10k = 253402300800000000LL; /* 10000-01-01T00:00:00Z */

	(void)state;
	assert_string_equal(utc(y10k - 1, LT_TIME_SEC), "9999-12-31T23:59:59Z");
	assert_string_equal(utc(y10k - 1, LT_TIME_USEC), "9999-12-31T23:59:59.999999Z");
	assert_string_equal(utc(y10k, LT_TIME_SEC), "253402300800000000 us");
	assert_string_equal(utc(y10k, LT_TIME_USEC), "253402300800000000 us");
	assert_string_equal(utc(INT64_MAX, LT_TIME_USEC), "9223372036854775807 us");
	assert_string_equal(utc(INT64_MIN, LT_TIME_SEC), "-9223372036854775808 us");
	assert_true(strlen("-9223372036854775808 us") < LT_TIME_LEN);
}

/* A short buffer: cut, NUL-terminated. */
static void test_short_buffer(void **state)
{
	char buf[11];

	(void)state;
	lt_time_utc(T0, LT_TIME_USEC, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-24");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seconds_and_micros),
		cmocka_unit_test(test_cached_date),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_short_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

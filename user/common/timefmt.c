// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Times as RFC 3339 UTC text: one formatter for the tracer and the report. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include "timefmt.h"

#define USEC_PER_SEC 1000000LL

/* "2026-11-24T10:41:07" for @sec seconds since the epoch in date[0..len);
 * false if no calendar holds it. */
static bool date_of(int64_t sec, char *date, size_t len)
{
	time_t t = (time_t)sec;
	struct tm tm;

	return (int64_t)t == sec && gmtime_r(&t, &tm) && tm.tm_year >= -1900 &&
	       tm.tm_year <= 9999 - 1900 && strftime(date, len, "%Y-%m-%dT%H:%M:%S", &tm);
}

void lt_time_utc(int64_t us, enum lt_time_prec prec, char *buf, size_t len)
{
	static __thread int64_t last;
	static __thread bool valid; /* date holds last's */
	static __thread char date[LT_TIME_LEN];
	int64_t sec = us / USEC_PER_SEC, frac = us % USEC_PER_SEC;

	if (frac < 0) {
		sec--;
		frac += USEC_PER_SEC;
	}
	if (!valid || sec != last) {
		valid = date_of(sec, date, sizeof(date));
		last = sec;
	}
	if (!valid)
		snprintf(buf, len, "%" PRId64 " us", us);
	else if (prec == LT_TIME_USEC)
		snprintf(buf, len, "%s.%06" PRId64 "Z", date, frac);
	else if (prec == LT_TIME_MSEC)
		snprintf(buf, len, "%s.%03" PRId64 "Z", date, frac / 1000);
	else
		snprintf(buf, len, "%sZ", date);
}
